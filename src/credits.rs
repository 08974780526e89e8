//! **Credits**: which wire agency an article credits, and how ("AMMAN (Reuters) -",
//! "(AP) —", "— BBC", "Based on reporting by Reuters and AP", "told Reuters").
//!
//! Part of extraction; the judge uses credits to name the source. Agency names are matched
//! case-sensitively ("AP", not "ap") and reported in canonical form.

use crate::article::{Credit, CreditKind};
use regex::Regex;
use std::sync::OnceLock;

/// Canonical agency name and the ways articles write it (longest first).
const AGENCIES: &[(&str, &[&str])] = &[
    ("Reuters", &["Thomson Reuters", "Reuters"]),
    ("AP", &["The Associated Press", "Associated Press", "AP"]),
    (
        "AFP",
        &["Agence France-Presse", "Agence France Presse", "AFP"],
    ),
    ("BBC", &["BBC News", "BBC"]),
    ("Bloomberg", &["Bloomberg News", "Bloomberg"]),
    ("UPI", &["United Press International", "UPI"]),
    ("dpa", &["Deutsche Presse-Agentur", "dpa", "DPA"]),
    ("Xinhua", &["Xinhua News Agency", "Xinhua"]),
    ("PA", &["Press Association", "PA Media"]),
    ("ANSA", &["ANSA"]),
    ("EFE", &["EFE"]),
    ("Kyodo", &["Kyodo News", "Kyodo"]),
    ("TASS", &["TASS"]),
    ("Anadolu", &["Anadolu Agency", "Anadolu"]),
    ("Yonhap", &["Yonhap"]),
    ("PTI", &["Press Trust of India", "PTI"]),
    ("CNN", &["CNN"]),
];

/// Hosts of agencies' own sites, for telling that an outlet *is* the agency.
const AGENCY_HOSTS: &[(&str, &str)] = &[
    ("reuters.com", "Reuters"),
    ("apnews.com", "AP"),
    ("ap.org", "AP"),
    ("afp.com", "AFP"),
    ("bbc.co.uk", "BBC"),
    ("bbc.com", "BBC"),
    ("bloomberg.com", "Bloomberg"),
    ("upi.com", "UPI"),
    ("dpa.com", "dpa"),
    ("xinhuanet.com", "Xinhua"),
    ("ansa.it", "ANSA"),
    ("efe.com", "EFE"),
    ("kyodonews.net", "Kyodo"),
    ("tass.com", "TASS"),
    ("aa.com.tr", "Anadolu"),
    ("yna.co.kr", "Yonhap"),
    ("ptinews.com", "PTI"),
    ("cnn.com", "CNN"),
];

fn alias_pattern() -> String {
    let mut all: Vec<&str> = AGENCIES
        .iter()
        .flat_map(|(_, a)| a.iter().copied())
        .collect();
    all.sort_by_key(|a| std::cmp::Reverse(a.len()));
    all.iter()
        .map(|a| regex::escape(a))
        .collect::<Vec<_>>()
        .join("|")
}

fn canonical(alias: &str) -> Option<&'static str> {
    AGENCIES
        .iter()
        .find(|(_, aliases)| aliases.contains(&alias))
        .map(|(name, _)| *name)
}

struct Patterns {
    dateline: Regex,
    bracket: Regex,
    end_line: Regex,
    based_on: Regex,
    alias: Regex,
    told: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let a = alias_pattern();
        let dash = "[-\u{2013}\u{2014}:]";
        let re = |s: String| Regex::new(&s).expect("credit patterns are valid");
        Patterns {
            // "AMMAN (Reuters) -", "TEHRAN, Iran (AP) —", "(AFP) -" at the head of a paragraph.
            dateline: re(format!(
                r"(?m)^\s*(?:[\p{{Lu}}][\p{{L}}\p{{Lu}} .,'/-]{{0,60}}\s)?\((?P<a>{a})\)\s*{dash}"
            )),
            // "PARIS, June 3 (Reuters) -" anywhere in the lead.
            bracket: re(format!(r"\((?P<a>{a})\)\s*{dash}")),
            // "— BBC", "(AFP)", "© 2017 Reuters", "Source: AP" alone on a line.
            end_line: re(format!(
                r"(?m)^\s*(?:[-\u{{2013}}\u{{2014}}]\s*|\(|©\s*(?:\d{{4}}\s*)?|(?:Source|Credit|Copyright)\s*:?\s*(?:\d{{4}}\s*)?)?(?:The\s+)?(?P<a>{a})\)?\s*\.?\s*$"
            )),
            based_on: re(format!(
                r"(?i:based on (?:reporting|reports|material|information) (?:by|from)|with (?:additional )?(?:reporting|material) (?:by|from)|additional reporting by)\s+(?P<list>(?:(?:the\s+)?(?:{a})(?:\s*(?:,|and|&)\s*)?)+)"
            )),
            alias: re(format!(r"\b(?P<a>{a})\b")),
            told: re(format!(
                r"\b(?:told|said to|in an interview with|speaking to)\s+(?:the\s+)?(?P<a>{a})\b"
            )),
        }
    })
}

/// The agency an outlet is, by its host or name ("reuters.com", "Reuters"), if any.
pub fn agency_of_outlet(outlet: &str) -> Option<&'static str> {
    let o = outlet.trim().to_ascii_lowercase();
    let o = o.strip_prefix("www.").unwrap_or(&o);
    for (host, name) in AGENCY_HOSTS {
        if o == *host || o.ends_with(&format!(".{host}")) {
            return Some(name);
        }
    }
    AGENCIES
        .iter()
        .find(|(_, aliases)| {
            aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(outlet.trim()))
        })
        .map(|(name, _)| *name)
}

/// Whether a whole line is a credit line ("— BBC", "(AFP)"): kept when furniture is stripped.
pub fn is_credit_line(line: &str) -> bool {
    let p = patterns();
    p.end_line.is_match(line) || p.based_on.is_match(line)
}

/// Finds the credits of an article's clean text, in order of appearance, without repeats.
pub fn find_credits(text: &str) -> Vec<Credit> {
    let p = patterns();
    let mut found: Vec<(usize, Credit)> = Vec::new();
    let mut push = |at: usize, alias: &str, kind: CreditKind| {
        if let Some(agency) = canonical(alias) {
            found.push((
                at,
                Credit {
                    agency: agency.to_string(),
                    kind,
                },
            ));
        }
    };
    // Datelines sit in the first paragraphs; later "(Reuters)" is usually a quoted source.
    let lead_end = text
        .char_indices()
        .nth(600)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let lead = &text[..lead_end];
    for c in p
        .dateline
        .captures_iter(lead)
        .chain(p.bracket.captures_iter(lead))
    {
        if let Some(m) = c.name("a") {
            push(m.start(), m.as_str(), CreditKind::Dateline);
        }
    }
    for c in p.end_line.captures_iter(text) {
        if let Some(m) = c.name("a") {
            push(m.start(), m.as_str(), CreditKind::Byline);
        }
    }
    for c in p.based_on.captures_iter(text) {
        if let Some(list) = c.name("list") {
            for m in p.alias.captures_iter(list.as_str()) {
                if let Some(a) = m.name("a") {
                    push(list.start() + a.start(), a.as_str(), CreditKind::BasedOn);
                }
            }
        }
    }
    for c in p.told.captures_iter(text) {
        if let Some(m) = c.name("a") {
            push(m.start(), m.as_str(), CreditKind::Told);
        }
    }
    found.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut out: Vec<Credit> = Vec::new();
    for (_, c) in found {
        if !out.iter().any(|o| o.agency == c.agency && o.kind == c.kind) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agencies(text: &str) -> Vec<(String, CreditKind)> {
        find_credits(text)
            .into_iter()
            .map(|c| (c.agency, c.kind))
            .collect()
    }

    #[test]
    fn datelines() {
        assert_eq!(
            agencies("AMMAN (Reuters) - Islamic State militants regained control."),
            vec![("Reuters".into(), CreditKind::Dateline)]
        );
        assert_eq!(
            agencies("TEHRAN, Iran (AP) \u{2014} An earthquake struck."),
            vec![("AP".into(), CreditKind::Dateline)]
        );
        assert_eq!(agencies("(AFP) - Paris was calm.")[0].0, "AFP");
    }

    #[test]
    fn bylines_based_on_and_told() {
        let t = "The army advanced.\nA commander told Reuters the town fell.\nBased on reporting by Reuters and AP\n\u{2014} BBC";
        let got = agencies(t);
        assert!(got.contains(&("Reuters".into(), CreditKind::Told)));
        assert!(got.contains(&("Reuters".into(), CreditKind::BasedOn)));
        assert!(got.contains(&("AP".into(), CreditKind::BasedOn)));
        assert!(got.contains(&("BBC".into(), CreditKind::Byline)));
    }

    #[test]
    fn no_false_credits() {
        assert!(find_credits("The apple was ripe. Apart from that, nothing happened.").is_empty());
        assert!(find_credits("She reported to the AP office in the morning and left.").is_empty());
    }

    #[test]
    fn outlets_that_are_agencies() {
        assert_eq!(agency_of_outlet("www.reuters.com"), Some("Reuters"));
        assert_eq!(agency_of_outlet("news.bbc.co.uk"), Some("BBC"));
        assert_eq!(agency_of_outlet("Reuters"), Some("Reuters"));
        assert_eq!(agency_of_outlet("globalnews.ca"), None);
    }
}
