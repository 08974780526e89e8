//! A page's metadata besides its date ([`super::dates`]): site name, byline, canonical URL
//! and language, each cleaned into what a reader would write.

use regex::Regex;
use std::sync::OnceLock;

/// The `<link rel="canonical">` or `og:url` of a page, where it is an absolute URL.
pub fn declared_canonical_url(html: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r#"(?i)<link\s[^>]*rel=["']canonical["'][^>]*href=["'](https?://[^"']+)["']|<link\s[^>]*href=["'](https?://[^"']+)["'][^>]*rel=["']canonical["']|property=["']og:url["'][^>]*content=["'](https?://[^"']+)["']"#,
        )
        .expect("valid pattern")
    });
    let head = &html[..super::floor_char_boundary(html, 200_000)];
    let c = re.captures(head)?;
    Some(c.get(1).or(c.get(2)).or(c.get(3))?.as_str().to_string())
}

/// The language a page declares (`<html lang="de-DE">` → "de").
pub fn declared_language(html: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r#"(?i)<html\s[^>]*\blang\s*=\s*["']?([a-z]{2,3})\b"#).expect("valid pattern")
    });
    let head = &html[..super::floor_char_boundary(html, 20_000)];
    let code = re.captures(head)?[1].to_ascii_lowercase();
    let lang = if code.len() == 2 {
        isolang::Language::from_639_1(&code)
    } else {
        isolang::Language::from_639_3(&code)
    };
    lang.and_then(|l| l.to_639_1()).map(str::to_string)
}

/// The language of a text (ISO 639-1), where the detector is confident. Reads the first 1,200
/// characters: enough for the detector (the same 90 of 91 pages as 3,000 did), and a cost
/// that does not grow with the text (it was a fifth of `index add`'s time at 3,000).
pub fn detect_language(text: &str) -> Option<String> {
    let sample = &text[..super::floor_char_boundary(text, 1_200)];
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    isolang::Language::from_639_3(info.lang().code())?
        .to_639_1()
        .map(str::to_string)
}

/// Words that follow a name in a byline but are not part of it: a dateline's month, "Published".
const TRAILING: &[&str] = &[
    "published",
    "updated",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Job titles: a byline part ending in one of these describes a person, it does not name one.
const ROLES: &[&str] = &[
    "writer",
    "writers",
    "correspondent",
    "editor",
    "reporter",
    "contributor",
    "columnist",
];

/// A byline as a reader would want it: the names, comma-separated, without "By", job titles
/// ("AP Auto Writer"), credentials ("MS", "RD"), trailing dateline words, links or e-mail
/// addresses; names in capitals put in title case. None where nothing like a name is left.
/// Also the wire agencies it names ("Jill Lawless Associated Press"): credits of the article.
pub fn byline(raw: &str) -> (Option<String>, Vec<&'static str>) {
    let mut names: Vec<(String, bool)> = Vec::new();
    let mut agencies: Vec<&'static str> = Vec::new();
    for part in raw.split([';', '|']) {
        let part = part.trim();
        let part = ["By ", "by ", "BY "]
            .iter()
            .find_map(|p| part.strip_prefix(p))
            .unwrap_or(part);
        if part.contains("://") || part.starts_with("www.") || part.contains('@') {
            continue;
        }
        let mut words: Vec<&str> = part.split_whitespace().collect();
        while words.last().is_some_and(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || w.chars().all(|c| c.is_ascii_digit())
                || TRAILING.contains(&w.to_lowercase().as_str())
        }) {
            words.pop();
        }
        // A trailing agency name is a credit, not part of the person's name.
        let mut agency_only = false;
        for n in (1..=3.min(words.len())).rev() {
            let tail = words[words.len() - n..].join(" ");
            let tail = tail.strip_prefix("The ").unwrap_or(&tail);
            if let Some(agency) = crate::credits::agency_of_outlet(tail) {
                if !agencies.contains(&agency) {
                    agencies.push(agency);
                }
                if words.len() > n {
                    words.truncate(words.len() - n);
                } else {
                    agency_only = true;
                }
                break;
            }
        }
        let Some(last) = words.last() else { continue };
        let credential = words.len() == 1
            && last.len() <= 4
            && last.chars().all(|c| c.is_ascii_uppercase() || c == '.')
            && crate::credits::agency_of_outlet(last).is_none();
        if credential || ROLES.contains(&last.to_lowercase().as_str()) || words.len() > 8 {
            continue;
        }
        // Names in capitals read as names ("TOM KRISHER" → "Tom Krisher"); an acronym alone
        // ("PTI") stays.
        let shouting = words.len() > 1 && !words.iter().any(|w| w.chars().any(char::is_lowercase));
        let name = if shouting {
            words
                .iter()
                .map(|w| title_case(w))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            words.join(" ")
        };
        if !names.iter().any(|(n, _)| *n == name) {
            names.push((name, agency_only));
        }
    }
    // An agency beside named reporters is their credit; alone, it is the byline.
    if names.iter().any(|(_, agency)| !agency) {
        names.retain(|(_, agency)| !agency);
    }
    let names: Vec<String> = names.into_iter().map(|(n, _)| n).collect();
    ((!names.is_empty()).then(|| names.join(", ")), agencies)
}

/// "KRISHER" → "Krisher".
fn title_case(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// A site name as a reader would write it: the first of several names ("Autoracing | F1 |
/// Indy; …" → "Autoracing"), none where the page gave a link or a slogan instead.
pub fn site_name(raw: &str) -> Option<String> {
    let first = raw
        .split([';', '|'])
        .next()
        .unwrap_or(raw)
        .split(" - ")
        .next()
        .unwrap_or(raw)
        .trim();
    let looks_like_link = first.contains("://") || first.starts_with("www.") || first.contains('/');
    let words = first.split_whitespace().count();
    (!first.is_empty() && !looks_like_link && words <= 6).then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_cleaned_or_dropped() {
        assert_eq!(site_name("The Hill").as_deref(), Some("The Hill"));
        assert_eq!(
            site_name("Autoracing | F1 | Indy | MotoGP | StockCar; Autoracing").as_deref(),
            Some("Autoracing")
        );
        assert_eq!(
            site_name("LinkNaija - Nigeria's popular news platform").as_deref(),
            Some("LinkNaija")
        );
        assert_eq!(site_name("https://www.facebook.com/CBSNews"), None);
    }

    #[test]
    fn bylines_keep_the_names_only() {
        let cases: [(&str, Option<&str>, &[&str]); 12] = [
            ("By Sarah E Needleman", Some("Sarah E Needleman"), &[]),
            ("TOM KRISHER; AP Auto Writer", Some("Tom Krisher"), &[]),
            (
                "DANICA KIRKA; JILL LAWLESS Associated Press",
                Some("Danica Kirka, Jill Lawless"),
                &["AP"],
            ),
            (
                "Jane Doe; John Roe; Associated Press",
                Some("Jane Doe, John Roe"),
                &["AP"],
            ),
            (
                "The Associated Press",
                Some("The Associated Press"),
                &["AP"],
            ),
            ("Rachael Link; MS; RD", Some("Rachael Link"), &[]),
            (
                "Carrie Arnold November 15, 2019",
                Some("Carrie Arnold"),
                &[],
            ),
            (
                "Detroit News wire services Published",
                Some("Detroit News wire services"),
                &[],
            ),
            ("PTI", Some("PTI"), &["PTI"]),
            ("https://www.facebook.com/someone", None, &[]),
            ("  ", None, &[]),
            ("Sandee LaMotte; CNN", Some("Sandee LaMotte"), &["CNN"]),
        ];
        for (raw, names, agencies) in cases {
            assert_eq!(
                byline(raw),
                (names.map(str::to_string), agencies.to_vec()),
                "{raw}"
            );
        }
    }

    #[test]
    fn languages_declared_and_detected() {
        assert_eq!(
            declared_language(r#"<html lang="de-DE"><body></body></html>"#).as_deref(),
            Some("de")
        );
        assert_eq!(declared_language("<html><body></body></html>"), None);
        assert_eq!(
            detect_language(
                "Die Bundesregierung hat am Mittwoch ein neues Gesetz zum Klimaschutz \
                 beschlossen, das den Ausstoß von Treibhausgasen bis 2030 deutlich senken soll."
            )
            .as_deref(),
            Some("de")
        );
        assert_eq!(detect_language("ok"), None);
    }

    #[test]
    fn canonical_url_from_link_or_open_graph() {
        let link = r#"<head><link href="https://a.example/story-1" rel="canonical"></head>"#;
        assert_eq!(
            declared_canonical_url(link).as_deref(),
            Some("https://a.example/story-1")
        );
        let og = r#"<meta property="og:url" content="https://b.example/s">"#;
        assert_eq!(
            declared_canonical_url(og).as_deref(),
            Some("https://b.example/s")
        );
        let relative = r#"<link rel="canonical" href="/story-1">"#;
        assert_eq!(declared_canonical_url(relative), None);
    }
}
