//! Page furniture that survives into article text — "READ MORE: …", "WATCH: …",
//! "Get breaking National news", share prompts, trending-headline lists, "Comments" —
//! recognised by its shape, for HTML and text input alike.
//!
//! Shapes, not one site's strings: an upper-case label and a colon before a headline; a short
//! line with no sentence punctuation that starts with a call to action or names a page
//! section; a run of short lines or bullet headlines after the article's last sentence.

use crate::credits::is_credit_line;
use regex::Regex;
use std::sync::OnceLock;

/// Verbs that open a call to action ("Get breaking news", "Sign up", "Follow us").
const CALL_TO_ACTION: &[&str] = &[
    "get",
    "sign",
    "subscribe",
    "follow",
    "download",
    "click",
    "tap",
    "share",
    "join",
    "like",
    "watch",
    "listen",
    "read",
    "see",
    "view",
    "load",
    "show",
    "skip",
    "back",
    "leave",
    "post",
    "continue",
    "register",
    "log",
    "login",
    "email",
    "print",
    "tweet",
    "support",
    "donate",
    "explore",
    "discover",
];

/// Words that name a page section rather than say something ("Comments", "Related Post").
const SECTION_WORDS: &[&str] = &[
    "advertisement",
    "advertising",
    "sponsored",
    "comments",
    "comment",
    "related",
    "trending",
    "popular",
    "recommended",
    "tags",
    "topics",
    "share",
    "newsletter",
    "more",
    "menu",
    "home",
    "previous",
    "next",
    "latest",
    "top",
    "stories",
    "articles",
    "post",
    "posts",
    "video",
    "videos",
    "photos",
    "gallery",
    "also",
    "most",
    "read",
    "viewed",
    "watched",
    "you",
    "may",
    "like",
    "from",
    "around",
    "web",
    "promoted",
    "content",
    "caption",
    "image",
    "copyright",
    "getty",
    "images",
    "reply",
    "replies",
];

fn label_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // An all-caps label of one to four words, a colon or bar, then a headline.
    R.get_or_init(|| {
        Regex::new(r"^[\p{Lu}][\p{Lu}'’ ]{1,30}\s*[:|>»]\s*\S").expect("valid pattern")
    })
}

fn bullet() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*[-•*·▪►–]\s+\S").expect("valid pattern"))
}

fn words(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn ends_like_sentence(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(['.', '!', '?', '"', '\u{201D}', ')', ':', ';'])
}

/// Labels that introduce a link to another page rather than a sentence of this one.
const LINK_LABELS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "more",
    "related",
    "watch",
    "listen",
    "video",
    "photos",
    "photo",
    "gallery",
    "recommended",
    "trending",
    "subscribe",
    "sign up",
    "sponsored",
    "advertisement",
    "must read",
    "don't miss",
    "editor's pick",
    "more on this",
    "click here",
    "follow us",
    "read next",
    "up next",
    "latest",
];

/// A label line: "READ MORE: Should soldiers …", "WATCH: An emotional homecoming". A
/// dateline ("NEW DELHI: The government said …") or "UPDATE: …" that goes on as a sentence
/// is text.
fn is_label_line(line: &str) -> bool {
    let t = line.trim();
    if !label_line().is_match(t) {
        return false;
    }
    let label = t
        .split([':', '|', '>', '»'])
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    if !LINK_LABELS.contains(&label.as_str()) && ends_like_sentence(t) && !t.ends_with('?') {
        return false;
    }
    let label_words = t
        .split([':', '|', '>', '»'])
        .next()
        .map(|l| l.split_whitespace().count())
        .unwrap_or(0);
    label_words <= 4 && words(t).len() <= 30
}

/// A short line that is a call to action or names a page section.
fn is_furniture_line(line: &str) -> bool {
    let t = line.trim();
    if is_copyright_line(t) {
        return true;
    }
    if t.is_empty() || ends_like_sentence(t) && !t.ends_with(':') {
        return false;
    }
    let w = words(t);
    if w.is_empty() {
        // Punctuation or symbols only: a separator.
        return true;
    }
    if w.len() > 7 {
        return false;
    }
    let first = w[0].as_str();
    let section = |x: &String| SECTION_WORDS.contains(&x.as_str());
    CALL_TO_ACTION.contains(&first) && w.len() <= 6
        || w.iter().any(section)
            && w.iter()
                .all(|x| section(x) || x.len() <= 2 && !x.chars().all(|c| c.is_ascii_digit()))
}

/// A short line that carries a copyright ("© Inexhibit, 2018", "Copyright 2019 …"): a photo
/// credit or the page's footer.
fn is_copyright_line(t: &str) -> bool {
    let lower = t.to_lowercase();
    (t.contains('©') || lower.starts_with("copyright") || lower.starts_with("(c) "))
        && words(t).len() <= 20
}

/// A headline written in title case ("Married Woman Caught In A Boutique With Her Friend"):
/// most of its longer words start with a capital. Sentences of article text do not.
fn is_title_case(t: &str) -> bool {
    let long: Vec<&str> = t
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capital = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    long.len() >= 4 && capital * 5 >= long.len() * 4
}

/// A line a person would not count as article text at the end of a page: a bulleted
/// headline (a trending or related list) or furniture.
fn is_tail_line(line: &str) -> bool {
    let t = line.trim();
    bullet().is_match(t) && words(t).len() >= 4 || is_furniture_line(t) || is_sign_off(t)
}

/// Channels a sign-off sends the reader to.
const CHANNELS: &[&str] = &[
    "newsletter",
    "newsletters",
    "inbox",
    "twitter",
    "facebook",
    "instagram",
    "podcast",
    "app",
    "email",
    "e-mail",
];

/// The outlet's sign-off after an article: a short paragraph that gives an e-mail address
/// ("may be reached at jdoe@example.com") or whose sentences send the reader somewhere
/// ("Subscribe to our newsletters.", "Follow her on Twitter").
fn is_sign_off(t: &str) -> bool {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let email =
        EMAIL.get_or_init(|| Regex::new(r"[\w.+-]+@[\w-]+\.[\w.]+").expect("valid pattern"));
    let w = words(t);
    if w.len() > 40 {
        return false;
    }
    let prompts = t
        .split(['.', '!', '?'])
        .filter(|s| {
            let sw = words(s);
            sw.first()
                .is_some_and(|f| CALL_TO_ACTION.contains(&f.as_str()))
                && sw.iter().any(|x| CHANNELS.contains(&x.as_str()))
        })
        .count();
    email.is_match(t) || prompts > 0
}

/// Markup or code that leaked into the text: a tag (`<img …>` inside a `<noscript>`), or a
/// path or widget setting with no space in it ("3/random/post-list").
fn is_markup(line: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let tag = R.get_or_init(|| {
        Regex::new(r"^\s*<(?:[a-zA-Z][a-zA-Z0-9]*|!--)[\s>/]").expect("valid pattern")
    });
    let t = line.trim();
    let path = !t.contains(char::is_whitespace)
        && !t.starts_with("http")
        && !t.starts_with("www.")
        && t.matches('/').count() >= 2
        && t.chars().any(char::is_alphabetic);
    tag.is_match(line) && t.ends_with('>') || path
}

/// A line that is only a date and time ("NOVEMBER 20, 2019 10:43", "11/20/2019 01:14 PM"): a
/// page's stamp. Stripped from pages, whose date is in their metadata. In plain text, a date
/// line in the header is read into `published` and leaves (`extract::text_header`); one further
/// down may be the only record of a date, and stays.
pub fn is_date_stamp(line: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$",
        )
        .expect("valid pattern")
    })
    .is_match(line)
}

/// A short line that does not read as a sentence: a menu entry or a linked headline.
fn is_headline_like(line: &str) -> bool {
    let t = line.trim();
    let w = words(t);
    let call_to_action = w.len() <= 12
        && w.first()
            .is_some_and(|f| CALL_TO_ACTION.contains(&f.as_str()));
    (1..=14).contains(&w.len())
        && (!ends_like_sentence(t) || call_to_action || is_title_case(t))
        && !is_credit_line(t)
}

/// Whether a line carries numbers other than a year ("Nov. 20 — Chicago", "3-1"): data, where
/// "Design Week 2018 | …" only names an edition.
fn carries_numbers(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .any(|d| !(d.len() == 4 && (d.starts_with("19") || d.starts_with("20"))))
}

/// Removes furniture lines from an article text. Lines are paragraphs; the result keeps the
/// remaining paragraphs in order.
pub fn strip_furniture(paragraphs: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = paragraphs
        .into_iter()
        .filter(|p| {
            is_credit_line(p) || !(is_label_line(p) || is_furniture_line(p) || is_markup(p))
        })
        .collect();
    // A menu before the article or a list of linked headlines after it: a run of at least
    // three short lines that do not read as sentences, at either end of the text.
    // A list whose lines mostly carry numbers (tour dates, results, a timeline) is data the
    // article gives, and stays.
    let run = |it: &mut dyn Iterator<Item = &String>| -> usize {
        let lines: Vec<&String> = it.take_while(|p| is_headline_like(p)).collect();
        let numbered = lines.iter().filter(|p| carries_numbers(p)).count();
        if lines.len() >= 3 && numbered * 2 < lines.len() {
            lines.len()
        } else {
            0
        }
    };
    let head = run(&mut kept.iter());
    if head < kept.len() {
        kept.drain(..head);
    }
    let tail = run(&mut kept.iter().rev());
    if tail < kept.len() {
        kept.truncate(kept.len() - tail);
    }
    // A trailing block of bullets and short lines after the last sentence: trending lists,
    // "Comments", "Related Post".
    while let Some(last) = kept.last() {
        if kept.len() > 1 && is_tail_line(last) && !is_credit_line(last) {
            kept.pop();
        } else {
            break;
        }
    }
    kept
}

/// A paragraph's identity across articles: its first eight words, case-folded (an outlet's
/// "About us" paragraph keeps its opening while its figures change), or all of a shorter one.
/// A hash of a paragraph's first eight words (lower-cased), for paragraphs of three words
/// or more: a number rather than the words, so that a batch of a hundred thousand articles
/// costs a few bytes a paragraph.
fn paragraph_key(p: &str) -> Option<u64> {
    let mut key = String::new();
    let mut n = 0;
    for w in p
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        if n < 8 {
            key.extend(w.chars().flat_map(char::to_lowercase));
            key.push(' ');
        }
        n += 1;
        if n >= 8 {
            break;
        }
    }
    (n >= 3).then(|| xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// Strips an outlet's own boilerplate, found by repetition: a paragraph that recurs in two or
/// more articles of one outlet that are otherwise different articles (they share under half
/// of their paragraphs: two versions of one story are not) is the outlet's, not the story's:
/// an "About the company" note, a newsletter box, a standing disclaimer. Credit lines stay,
/// and so does an article that would be left with no text.
///
/// Returns how many paragraphs went. Articles with no outlet are left alone.
pub fn strip_outlet_repeats(articles: &mut [crate::article::Article]) -> usize {
    use std::collections::{HashMap, HashSet};
    let mut by_outlet: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(o) = a.outlet.as_deref() {
            by_outlet.entry(o).or_default().push(i);
        }
    }
    let keys: Vec<Vec<Option<u64>>> = articles
        .iter()
        .map(|a| a.text.split("\n\n").map(paragraph_key).collect())
        .collect();
    let mut drop: Vec<HashSet<usize>> = vec![HashSet::new(); articles.len()];
    for members in by_outlet.values().filter(|m| m.len() >= 2) {
        let sets: HashMap<usize, HashSet<u64>> = members
            .iter()
            .map(|&i| (i, keys[i].iter().flatten().copied().collect()))
            .collect();
        let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
        for &i in members {
            for &k in &sets[&i] {
                holders.entry(k).or_default().push(i);
            }
        }
        for (k, list) in holders.iter().filter(|(_, l)| l.len() >= 2) {
            let different = list.iter().enumerate().any(|(x, &a)| {
                list[x + 1..].iter().any(|&b| {
                    let common = sets[&a].intersection(&sets[&b]).count();
                    common * 2 < sets[&a].len().min(sets[&b].len())
                })
            });
            if !different {
                continue;
            }
            for &i in list {
                for (n, pk) in keys[i].iter().enumerate() {
                    if *pk == Some(*k) {
                        drop[i].insert(n);
                    }
                }
            }
        }
    }
    let mut removed = 0;
    for (a, gone) in articles.iter_mut().zip(drop) {
        if gone.is_empty() {
            continue;
        }
        let ps: Vec<&str> = a.text.split("\n\n").collect();
        let total = ps.len();
        let kept: Vec<&str> = ps
            .into_iter()
            .enumerate()
            .filter(|(n, p)| !gone.contains(n) || is_credit_line(p))
            .map(|(_, p)| p)
            .collect();
        if words(&kept.join(" ")).len() < 3 {
            continue;
        }
        removed += total - kept.len();
        a.text = kept.join("\n\n");
        a.credits = crate::credits::find_credits(&a.text);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlets_repeated_paragraph_goes_but_a_story_update_keeps_its_text() {
        use crate::article::Article;
        let about = "Ascom is a global solutions provider focused on healthcare ICT and mobile \
            workflow solutions, with subsidiaries in 15 countries.";
        let about2 = "Ascom is a global solutions provider focused on healthcare ICT and mobile \
            workflow solutions, with subsidiaries in 18 countries.";
        let mut a = Article::from_text(
            "a",
            format!("Ascom signs a distribution deal with GE Healthcare in Europe.\n\nThe deal covers intensive care units.\n\n{about}"),
        );
        let mut b = Article::from_text(
            "b",
            format!("Ascom and Draeger introduce an alarm management system.\n\nIt filters routine alerts for nurses.\n\n{about2}"),
        );
        // Another outlet's article with the same paragraph is not this outlet's boilerplate.
        let mut c = Article::from_text(
            "c",
            format!("A wholly other report on hospitals.\n\n{about}"),
        );
        a.outlet = Some("ascom.com".into());
        b.outlet = Some("ascom.com".into());
        c.outlet = Some("example.com".into());
        let mut v = vec![a, b, c];
        assert_eq!(strip_outlet_repeats(&mut v), 2);
        assert!(!v[0].text.contains("global solutions") && !v[1].text.contains("global"));
        assert!(v[2].text.contains("global solutions"));
        // Two versions of one story share most paragraphs: nothing goes.
        let story =
            "Rebels seized the airport in Goma on Tuesday.\n\nThe army withdrew to the south.";
        let mut x = Article::from_text("x", story.to_string());
        let mut y = Article::from_text(
            "y",
            format!("{story}\n\nAid groups said thousands had fled."),
        );
        x.outlet = Some("o".into());
        y.outlet = Some("o".into());
        let mut v = vec![x, y];
        assert_eq!(strip_outlet_repeats(&mut v), 0);
    }

    fn strip(lines: &[&str]) -> Vec<String> {
        strip_furniture(lines.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn drops_labels_calls_to_action_and_trailing_lists() {
        let out = strip(&[
            "BEIRUT – Pro-government forces defeated the group, state media reported on Sunday.",
            "READ MORE: Should soldiers kill fighters recruited from Canada before they can return?",
            "But they could not hold it against a coalition of forces.",
            "WATCH: An emotional homecoming for hostages",
            "Get breaking National news",
            "Despite its recent defeats, the group's media apparatus has remained active.",
            "- Donald Trump threatens to take back the Panama Canal",
            "- Biden commutes 37 death row inmates. Who still faces execution?",
            "Comments",
        ]);
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(out[2].starts_with("Despite"));
    }

    #[test]
    fn drops_leaked_markup_stamps_menus_and_headline_lists_but_not_data_lists() {
        let body = "Chelsea have paid the fee to secure the signing of the keeper, the club said.";
        let out = strip(&[
            // (Date stamps go before this, for pages only: see `is_date_stamp`.)
            "<img height=\"1\" width=\"1\" style=\"display:none\" src=\"https://x.com/tr\">",
            "Israel News",
            "Middle East",
            "Opinion",
            body,
            "The 23-year-old flew to London yesterday evening to complete the deal.",
            "OMG! See How A Lady Was Abused By Three Men (Photos+video)",
            "Married Woman Caught In A Boutique With Boy Friend (WATCH FULL VIDEO) 18+",
            "Get all latest content delivered straight to your inbox.",
            "Followers",
            "3/random/post-list",
            "copyright Inexhibit 2019 - ISSN: 2283-5474",
        ]);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0], body);
        // Headlines of an edition ("... 2018 | ...") are a related list, not data; a photo
        // credit goes; a link the article gives stays.
        let out = strip(&[
            body,
            "Jewels after Jewels, installation views, photos \u{a9} Inexhibit, 2018",
            "https://www.example.org/report/2019/full-text",
            body,
            "Milan Design Week 2018 | FLOS pays tribute to Achille Castiglioni",
            "Milano Design Week 2018 | Seiko's 'The Flow of Time' at the Triennale",
            "Milano Design Week 2018 | a preview of DOUTDESign at Zona Santambrogio",
        ]);
        assert_eq!(
            out,
            vec![body, "https://www.example.org/report/2019/full-text", body]
        );
        assert!(is_date_stamp("NOVEMBER 20, 2019 10:43") && is_date_stamp("11/20/2019 01:14 PM"));
        assert!(!is_date_stamp("On November 20, 2019 the court ruled."));
        // Tour dates after the article are its data, not a related-links list.
        let out = strip(&[
            body,
            "The Doobie Brothers Tour Dates",
            "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre",
            "June 10 – Tampa, FL @ MIDFLORIDA Credit Union Amphitheatre",
            "June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre",
        ]);
        assert_eq!(out.len(), 5, "{out:?}");
    }

    #[test]
    fn keeps_real_paragraphs_and_credits() {
        let out = strip(&[
            "The army said it had taken the town.",
            "It is uncertain how much co-ordination there will be between the forces.",
            "Related Post",
            "\u{2014} BBC",
        ]);
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(out[2], "\u{2014} BBC");
        // Colon datelines and update notes that go on as sentences are text.
        let out = strip(&[
            "NEW DELHI: The government on Monday announced a new scheme for farmers in five states.",
            "UPDATE: Officials later said the cost would be higher than planned.",
        ]);
        assert_eq!(out.len(), 2, "{out:?}");
        // A short dateline-less headline-like sentence inside the text stays.
        let out = strip(&[
            "Officials said on Monday the bridge would reopen.",
            "It did.",
        ]);
        assert_eq!(out.len(), 2);
    }
}
