//! A page's publication date, by a fixed cascade of rules, most trustworthy first:
//!
//! 1. JSON-LD `datePublished` (of the page's article object where there are several);
//! 2. meta tags (`article:published_time`, `pubdate`, `DC.date.issued`, `itemprop=datePublished`, …);
//! 3. `<time datetime>` elements (one marked as the publication time first);
//! 4. a date in the URL (`/2017/11/13/`, `/20171113/`, `2017-11-13`);
//! 5. the visible text (the extractor's own date search over the page's elements and text).
//!
//! A candidate after the fetch time (or, with none known, after now) or before 1990 is not a
//! publication date; the cascade goes on to the next rule. The raw HTML is scanned with
//! patterns rather than parsed again: the extractor has already paid for one parse.

use super::floor_char_boundary;
use crate::read::parse_date;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use regex::Regex;
use std::sync::OnceLock;

/// Which rule of the cascade found a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    JsonLd,
    Meta,
    Time,
    Url,
    Text,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::JsonLd => "json-ld",
            DateSource::Meta => "meta",
            DateSource::Time => "time",
            DateSource::Url => "url",
            DateSource::Text => "text",
        }
    }
}

/// One rule of the cascade: its candidate dates, best first.
type Candidates<'a> = dyn Fn() -> Vec<DateTime<Utc>> + 'a;

/// How far into a page the head-of-page rules look (the metadata is near the top).
const SCAN_BYTES: usize = 400_000;

/// The publication date of a page. `urls` are the page's own URLs (given, canonical);
/// `text_date` is the extractor's date from the page's visible text, the last resort.
pub fn publication_date(
    html: &str,
    urls: &[&str],
    fetched: Option<DateTime<Utc>>,
    text_date: Option<NaiveDate>,
) -> Option<(DateTime<Utc>, DateSource)> {
    let latest = fetched.unwrap_or_else(Utc::now);
    let plausible = |d: DateTime<Utc>| d.year() >= 1990 && d <= latest;
    let head = &html[..floor_char_boundary(html, SCAN_BYTES)];
    let rules: [(DateSource, &Candidates); 5] = [
        (DateSource::JsonLd, &|| json_ld_dates(head)),
        (DateSource::Meta, &|| meta_dates(head)),
        (DateSource::Time, &|| time_dates(head)),
        (DateSource::Url, &|| {
            urls.iter().filter_map(|u| url_date(u)).collect()
        }),
        (DateSource::Text, &|| {
            text_date
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
                .into_iter()
                .collect()
        }),
    ];
    rules.iter().find_map(|(source, candidates)| {
        candidates()
            .into_iter()
            .find(|&d| plausible(d))
            .map(|d| (d, *source))
    })
}

/// `datePublished` of the JSON-LD blocks: the article object's first, then any other's.
/// A block that is not valid JSON (common) is searched as text.
fn json_ld_dates(html: &str) -> Vec<DateTime<Utc>> {
    static BLOCK: OnceLock<Regex> = OnceLock::new();
    static LOOSE: OnceLock<Regex> = OnceLock::new();
    let block = BLOCK.get_or_init(|| {
        Regex::new(r#"(?is)<script[^>]*application/ld\+json[^>]*>(.*?)</script>"#)
            .expect("valid pattern")
    });
    let loose = LOOSE.get_or_init(|| {
        Regex::new(r#""datePublished"\s*:\s*"([^"]{8,40})""#).expect("valid pattern")
    });
    let (mut of_article, mut others) = (Vec::new(), Vec::new());
    for c in block.captures_iter(html) {
        let body = &c[1];
        match serde_json::from_str::<serde_json::Value>(body.trim()) {
            Ok(v) => walk_json_ld(&v, &mut of_article, &mut others),
            Err(_) => others.extend(loose.captures_iter(body).map(|m| m[1].to_string())),
        }
    }
    of_article
        .into_iter()
        .chain(others)
        .filter_map(|s| parse_date(&s))
        .collect()
}

fn walk_json_ld(v: &serde_json::Value, of_article: &mut Vec<String>, others: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| walk_json_ld(i, of_article, others)),
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get("datePublished") {
                let is_article = |t: &Value| {
                    t.as_str().is_some_and(|t| {
                        t.contains("Article") || t.contains("Posting") || t == "Report"
                    })
                };
                let article = match map.get("@type") {
                    Some(Value::Array(ts)) => ts.iter().any(is_article),
                    Some(t) => is_article(t),
                    None => false,
                };
                if article {
                    &mut *of_article
                } else {
                    &mut *others
                }
                .push(d.clone());
            }
            for (k, child) in map {
                if k != "datePublished" && (child.is_object() || child.is_array()) {
                    walk_json_ld(child, of_article, others);
                }
            }
        }
        _ => {}
    }
}

/// Meta-tag names that carry the publication time, best first.
const META_NAMES: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "date",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
];

/// Dates of the page's meta tags (and other elements with `itemprop="datePublished"` and a
/// `content` or `datetime`), in the order of [`META_NAMES`].
fn meta_dates(html: &str) -> Vec<DateTime<Utc>> {
    static TAG: OnceLock<Regex> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        Regex::new(r#"(?i)<(?:meta|span|div|abbr|p)\s[^>]*(?:property|name|itemprop|http-equiv)\s*=\s*["'][^"']*["'][^>]*>"#)
            .expect("valid pattern")
    });
    let mut found: Vec<(usize, DateTime<Utc>)> = Vec::new();
    for m in tag.find_iter(html) {
        let t = m.as_str();
        let key = ["property", "name", "itemprop", "http-equiv"]
            .iter()
            .find_map(|a| attribute(t, a))
            .map(|k| k.to_ascii_lowercase());
        let Some(key) = key else { continue };
        let Some(rank) = META_NAMES.iter().position(|n| *n == key) else {
            continue;
        };
        let value = attribute(t, "content").or_else(|| attribute(t, "datetime"));
        if let Some(d) = value.as_deref().and_then(parse_date) {
            found.push((rank, d));
        }
    }
    found.sort_by_key(|&(rank, _)| rank);
    found.into_iter().map(|(_, d)| d).collect()
}

/// `<time datetime>` values: the ones marked as the publication time (`pubdate`,
/// `itemprop="datePublished"`, a class or id naming publication) first, then unmarked ones in
/// page order, then those marked as an update.
fn time_dates(html: &str) -> Vec<DateTime<Utc>> {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME.get_or_init(|| Regex::new(r#"(?i)<time\s[^>]*>"#).expect("valid pattern"));
    let (mut marked, mut rest, mut updates) = (Vec::new(), Vec::new(), Vec::new());
    for m in time.find_iter(html) {
        let t = m.as_str();
        let Some(d) = attribute(t, "datetime").as_deref().and_then(parse_date) else {
            continue;
        };
        let lower = t.to_ascii_lowercase();
        let is_publication = lower.contains("pubdate")
            || lower.contains("datepublished")
            || lower.contains("publish")
            || lower.contains("posted");
        let is_update = lower.contains("modif") || lower.contains("updated");
        if is_publication && !is_update {
            marked.push(d);
        } else if !is_update {
            rest.push(d);
        } else {
            updates.push(d);
        }
    }
    marked.into_iter().chain(rest).chain(updates).collect()
}

/// A date in a URL's path: `/2017/11/13/`, `/2017/11/13-slug`, `/20171113/`, `2017-11-13`,
/// `/2019/nov/18/`.
pub fn url_date(url: &str) -> Option<DateTime<Utc>> {
    static NAMED: OnceLock<Regex> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        Regex::new(r"(?i)/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(0?[1-9]|[12]\d|3[01])(?:$|/)")
            .expect("valid pattern")
    });
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:^|[/_-])((?:19|20)\d\d)([/_-]?)(0[1-9]|1[0-2])([/_-]?)(0[1-9]|[12]\d|3[01])(?:$|[/_.-])")
            .expect("valid pattern")
    });
    let path = url::Url::parse(url.trim())
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    if let Some(c) = named.captures(&path) {
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let month = MONTHS.iter().position(|m| c[2].eq_ignore_ascii_case(m))? as u32 + 1;
        let day = NaiveDate::from_ymd_opt(c[1].parse().ok()?, month, c[3].parse().ok()?)?;
        return Some(day.and_hms_opt(0, 0, 0)?.and_utc());
    }
    let c = re.captures(&path)?;
    if c[2] != c[4] {
        return None; // "2017/1113" is not a date
    }
    let day = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[3].parse().ok()?, c[5].parse().ok()?)?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// The date a short header line of a plain-text article gives ("May 03, 2013", "PUBLISHED:
/// THURSDAY, MAY 2, 2013, 1: 32 PM", "14 June 2013", "Posted 2/3/2009 11: 11 PM", "8/2/13",
/// "2013-05-02"). Numeric dates are read month first unless the first number cannot be a
/// month. The time of day, often split by tokenisation ("1: 32 PM"), is not read.
pub fn date_in_line(line: &str) -> Option<NaiveDate> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(?:(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+",
            r"(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)",
            r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<year2>(?:19|20)\d\d)",
            r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2})",
            r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d))\b",
        ))
        .expect("valid pattern")
    });
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month_of = |m: &str| {
        MONTHS
            .iter()
            .position(|x| m.eq_ignore_ascii_case(x))
            .map(|i| i as u32 + 1)
    };
    let num = |c: &regex::Captures, k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    re.captures_iter(line).find_map(|c| {
        let (y, m, d) = if let Some(mon) = c.name("mon") {
            (num(&c, "year")?, month_of(mon.as_str())?, num(&c, "day")?)
        } else if let Some(mon) = c.name("mon2") {
            (num(&c, "year2")?, month_of(mon.as_str())?, num(&c, "day2")?)
        } else if c.name("iy").is_some() {
            (num(&c, "iy")?, num(&c, "im")?, num(&c, "id")?)
        } else {
            let (a, b, y) = (num(&c, "a")?, num(&c, "b")?, num(&c, "y")?);
            let y = if y < 100 { 2000 + y } else { y };
            if a > 12 {
                (y, b, a)
            } else {
                (y, a, b)
            }
        };
        NaiveDate::from_ymd_opt(y as i32, m, d)
    })
}

/// The value of attribute `name` in one start tag, entities for quotes undone.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = start > 0 && lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        let (quote, body) = match value.chars().next()? {
            q @ ('"' | '\'') => (q, &value[1..]),
            _ => (' ', value),
        };
        let end = body.find([quote, '>']).unwrap_or(body.len());
        return Some(
            body[..end]
                .trim()
                .replace("&#x2B;", "+")
                .replace("&#43;", "+"),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(html: &str, url: &str) -> Option<(String, &'static str)> {
        let fetched = parse_date("2020-06-01T00:00:00Z");
        publication_date(html, &[url], fetched, None)
            .map(|(d, s)| (d.format("%Y-%m-%d %H:%M").to_string(), s.as_str()))
    }

    const URL: &str = "https://news.example/world/story";

    #[test]
    fn dates_in_header_lines() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (line, want) in [
            ("May 03, 2013", day(2013, 5, 3)),
            (
                "PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM",
                day(2013, 5, 2),
            ),
            ("May 3rd, 2013 2: 00pm EDT", day(2013, 5, 3)),
            ("14 June 2013", day(2013, 6, 14)),
            ("Posted 2/3/2009 11: 11 PM", day(2009, 2, 3)),
            ("8/2/13 at 1: 30 PM", day(2013, 8, 2)),
            ("UPDATED 05/03/2013 at 11: 00 AM EDT", day(2013, 5, 3)),
            ("Fri., May. 3, 2013 11: 45 AM PDT", day(2013, 5, 3)),
            ("13/02/2009", day(2009, 2, 13)),
            ("2013-09-18", day(2013, 9, 18)),
            ("He was 95.", None),
            ("Mayors met 3 times in 2013", None),
        ] {
            assert_eq!(date_in_line(line), want, "{line}");
        }
    }

    #[test]
    fn json_ld_date_published_of_the_article_comes_first() {
        let html = r#"<html><head>
            <meta property="article:published_time" content="2019-01-02T10:00:00Z">
            <script type="application/ld+json">[{"@type":"WebSite","datePublished":"2001-01-01"},
              {"@type":"NewsArticle","datePublished":"2019-01-01T08:30:00+01:00","dateModified":"2019-01-05"}]</script>
            </head><body><time datetime="2019-01-03">Jan 3</time></body></html>"#;
        assert_eq!(
            date(html, "https://news.example/2019/01/04/story"),
            Some(("2019-01-01 07:30".into(), "json-ld"))
        );
        // A graph nests the article object.
        let graph = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage"},{"@type":["NewsArticle"],"datePublished":"2018-05-06"}]}</script>"#;
        assert_eq!(
            date(graph, URL),
            Some(("2018-05-06 00:00".into(), "json-ld"))
        );
        // Broken JSON is still searched.
        let broken = r#"<script type="application/ld+json">{"datePublished": "2017-11-13T09:00:00Z",}</script>"#;
        assert_eq!(
            date(broken, URL),
            Some(("2017-11-13 09:00".into(), "json-ld"))
        );
    }

    #[test]
    fn meta_tags_come_next_in_their_order() {
        let html = r#"<head><meta name="date" content="2018-02-02">
            <meta content="2018-02-01T12:00:00-05:00" property="article:published_time">
            <meta property="article:modified_time" content="2018-03-01"></head>"#;
        assert_eq!(date(html, URL), Some(("2018-02-01 17:00".into(), "meta")));
        let dc = r#"<meta name="DC.date.issued" content="2016-07-08">"#;
        assert_eq!(date(dc, URL), Some(("2016-07-08 00:00".into(), "meta")));
        let item =
            r#"<span itemprop="datePublished" content="2015-03-04T05:06:07Z">March 4</span>"#;
        assert_eq!(date(item, URL), Some(("2015-03-04 05:06".into(), "meta")));
    }

    #[test]
    fn time_elements_prefer_the_publication_one() {
        let html = r#"<body><time datetime="2019-09-09" class="updated">Updated</time>
            <time class="entry-date published" datetime="2019-09-01T10:00:00+00:00">Sep 1</time>
            <time datetime="2019-09-05">related</time></body>"#;
        assert_eq!(date(html, URL), Some(("2019-09-01 10:00".into(), "time")));
        let plain = r#"<body><time datetime="2019-09-05T00:00:00Z">Sep 5</time></body>"#;
        assert_eq!(date(plain, URL), Some(("2019-09-05 00:00".into(), "time")));
        // An update time alone is the best the page gives.
        let updated = r#"<time class="updated" datetime="2018-10-05T08:15:05+00:00">"#;
        assert_eq!(
            date(updated, URL),
            Some(("2018-10-05 08:15".into(), "time"))
        );
    }

    #[test]
    fn the_url_then_the_text() {
        let html = "<html><body><p>No dates here.</p></body></html>";
        assert_eq!(
            date(html, "https://x.example/2017/11/13/army-retakes-town"),
            Some(("2017-11-13 00:00".into(), "url"))
        );
        assert_eq!(
            date(html, "https://x.example/news/20171113-army"),
            Some(("2017-11-13 00:00".into(), "url"))
        );
        assert_eq!(
            date(html, "https://x.example/statements/2019/nov/18/slug/"),
            Some(("2019-11-18 00:00".into(), "url"))
        );
        assert_eq!(date(html, "https://x.example/2017/1113/a"), None);
        assert_eq!(date(html, "https://x.example/id/20171313"), None);
        let fetched = parse_date("2020-06-01T00:00:00Z");
        let text = NaiveDate::from_ymd_opt(2018, 4, 5);
        let (d, s) = publication_date(html, &[URL], fetched, text).unwrap();
        assert_eq!((d.date_naive(), s), (text.unwrap(), DateSource::Text));
    }

    #[test]
    fn never_after_the_fetch_time_nor_before_1990() {
        // The JSON-LD date is after the fetch: the meta tag's is taken.
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-01-01"}</script>
            <meta property="article:published_time" content="1985-01-01">
            <meta name="pubdate" content="2020-05-30">"#;
        assert_eq!(date(html, URL), Some(("2020-05-30 00:00".into(), "meta")));
    }

    #[test]
    fn attributes_in_any_quote_and_case() {
        assert_eq!(
            attribute(r#"<meta Name='pubdate' CONTENT='2020-01-01'>"#, "content").as_deref(),
            Some("2020-01-01")
        );
        assert_eq!(
            attribute(r#"<meta data-name="x" name=pubdate>"#, "name").as_deref(),
            Some("pubdate")
        );
    }
}
