//! Stage 2, **extract**: a [`RawDoc`] (a page or a text) → an [`Article`]: clean text,
//! title, publication date, outlet and credits.
//!
//! HTML goes through the `trafilatura` crate (a port of the best-measured open extractor);
//! text input skips that step. Both then get the same cleaning: whitespace folded, page
//! furniture stripped ([`furniture`]), credits found ([`crate::credits`]).
//!
//! Invariant: extraction never fails a run; a document with no article text comes back as a
//! [`Skipped`] naming it. Nothing after this stage knows about HTML.

pub mod dates;
pub mod furniture;
pub mod meta;
pub mod nesting;

pub use nesting::{nesting_depth, MAX_NESTING};

use crate::article::Article;
use crate::credits::find_credits;
use crate::read::{Body, RawDoc, Skipped};
use chrono::{DateTime, Utc};
use regex::Regex;
use std::sync::OnceLock;

/// Extracts the article of one read document.
pub fn extract(raw: RawDoc) -> Result<Article, Skipped> {
    let RawDoc {
        id,
        source_path,
        url,
        title,
        outlet,
        published,
        fetched,
        body,
    } = raw;
    let mut article = Article {
        id,
        source_path,
        url,
        title,
        outlet,
        published,
        published_from: None,
        byline: None,
        canonical_url: None,
        language: None,
        fetched,
        credits: Vec::new(),
        text: String::new(),
    };
    let mut byline_agencies = Vec::new();
    let paragraphs = match body {
        Body::Text(t) => {
            let t = if is_markdown(&article.source_path) {
                markdown_text(&t)
            } else {
                t
            };
            let t = text_header(&mut article, &t);
            if article.title.is_none() {
                article.title = headline_line(&t);
            }
            paragraphs_of(&unwrap_hard_wraps(&t))
        }
        Body::Html(h) => {
            if nesting_depth(&h) > MAX_NESTING {
                // The extractor's cost grows with the square of the depth, and its recursion
                // overflows the stack on a page built to do that.
                return Err(Skipped {
                    source: article.source_path,
                    reason: format!(
                        "HTML nested more than {MAX_NESTING} elements deep (the nesting limit)"
                    ),
                });
            }
            let page = extract_html(
                &without_hover_cards(&h),
                article.url.as_deref(),
                article.fetched,
            );
            if article.title.is_none() {
                article.title = page.title;
            }
            if article.outlet.is_none() {
                // A republisher's page that names the wire agency as its site ("Associated
                // Press" on sfgate.com) was published by the host; the agency is a credit.
                let host = article.url.as_deref().and_then(host_of);
                let agency = |o: &str| crate::credits::agency_of_outlet(o);
                article.outlet = match (page.site_name, host) {
                    (Some(name), Some(host))
                        if agency(&name).is_some() && agency(&name) != agency(&host) =>
                    {
                        Some(host)
                    }
                    (name, _) => name,
                };
            }
            if article.published.is_none() {
                if let Some((at, from)) = page.published {
                    article.published = Some(at);
                    article.published_from = Some(from.as_str());
                }
            }
            if article.url.is_none() {
                article.url = page.canonical_url.clone();
            }
            article.canonical_url = page.canonical_url;
            article.byline = page.byline;
            byline_agencies = page.byline_agencies;
            article.language = page.language;
            let mut paragraphs =
                without_headline(paragraphs_of(&page.text), article.title.as_deref());
            // The standfirst summarises the article; it is the outlet's, not the story's text.
            if let Some(dek) = &page.standfirst {
                if paragraphs.len() > 1 && paragraphs.first() == Some(dek) {
                    paragraphs.remove(0);
                }
            }
            paragraphs.retain(|p| !furniture::is_date_stamp(p));
            if !paragraphs.iter().any(|p| is_running_text(p)) {
                return Err(Skipped {
                    source: article.source_path,
                    reason: "not an article: no paragraph of running text (an index, error or \
                             near-empty page)"
                        .into(),
                });
            }
            paragraphs
        }
    };
    let paragraphs = furniture::strip_furniture(paragraphs);
    article.text = paragraphs.join("\n\n");
    if article.text.trim().is_empty() || crate::normalize::word_spans(&article.text).count() < 3 {
        return Err(Skipped {
            source: article.source_path,
            reason: "no article text after extraction (not an article page?)".into(),
        });
    }
    if article.outlet.is_none() {
        article.outlet = article.url.as_deref().and_then(host_of);
    }
    article.language = meta::detect_language(&article.text).or(article.language);
    article.credits = find_credits(&article.text);
    for agency in byline_agencies {
        if !article.credits.iter().any(|c| c.agency == agency) {
            article.credits.push(crate::article::Credit {
                agency: agency.to_string(),
                kind: crate::article::CreditKind::Byline,
            });
        }
    }
    Ok(article)
}

fn is_markdown(source_path: &str) -> bool {
    source_path.to_ascii_lowercase().ends_with(".md")
}

/// The text of a Markdown document, markup removed, one line per block.
fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Where the raw text of a `<script>` or `<style>` that starts at `from` ends (after its
/// closing tag), or the end of the page.
fn end_of_raw_text(html: &str, from: usize) -> usize {
    static END: OnceLock<Regex> = OnceLock::new();
    let end = END.get_or_init(|| Regex::new(r"(?i)</(?:script|style)\s*>").expect("valid pattern"));
    end.find_at(html, from.min(html.len()))
        .map_or(html.len(), |e| e.end())
}

/// The host of a URL without `www.`: the outlet where nothing better is known.
pub fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Rejoins the lines of a hard-wrapped text (an email, an old wire feed, a text saved at 72
/// columns), so that a line break inside a paragraph is not taken for a paragraph break.
///
/// A text is hard-wrapped when most of its lines that run on into another line stop where the
/// next line's first word would no longer have fitted under its widest lines. Only those
/// lines are joined; a list item, a short line or a blank line keeps its break.
pub fn unwrap_hard_wraps(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.chars().count())
        .collect();
    if lens.len() < 4 {
        return text.to_string();
    }
    lens.sort_unstable();
    let width = lens[(lens.len() * 19 / 20).min(lens.len() - 1)];
    if !(30..=110).contains(&width) {
        return text.to_string();
    }
    let list_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with(['-', '*', '•', '>', '|'])
            || t.split_once(['.', ')']).is_some_and(|(n, _)| {
                !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
            })
    };
    let wraps = |i: usize| -> bool {
        let (cur, next) = (lines[i], lines[i + 1]);
        if cur.trim().is_empty() || next.trim().is_empty() || list_item(next) {
            return false;
        }
        let first = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        cur.chars().count() + 1 + first > width.saturating_sub(2)
    };
    let run_on: Vec<usize> = (0..lines.len() - 1)
        .filter(|&i| !lines[i].trim().is_empty() && !lines[i + 1].trim().is_empty())
        .collect();
    let wrapped = run_on.iter().filter(|&&i| wraps(i)).count();
    if wrapped < 3 || wrapped * 10 < run_on.len() * 7 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i + 1 < lines.len() {
            out.push(if wraps(i) { ' ' } else { '\n' });
        }
    }
    out
}

/// Splits a text into trimmed, non-empty paragraphs (one per line), whitespace folded.
fn paragraphs_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// A paragraph a person would read as article text: a sentence or more, not a link label, a
/// menu entry or an error message ("Page not found").
fn is_running_text(p: &str) -> bool {
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    let words = crate::normalize::word_spans(p).count();
    let cjk = p
        .chars()
        .filter(|c| ('\u{3040}'..='\u{9fff}').contains(c))
        .count();
    let long_enough = words >= 10 || cjk >= 25;
    let ends = p.trim_end().ends_with([
        '.', '!', '?', '"', '\u{201D}', '\u{3002}', '\u{FF01}', '\u{FF1F}', ')', '\u{06D4}',
        '\u{061F}',
    ]);
    (long_enough && ends || words >= 40) && letters >= 40.min(p.chars().count())
}

/// The body without a leading copy of the headline: the title is metadata, and a headline
/// left in the text would be reported as a copied passage of every article that repeats it.
fn without_headline(mut paragraphs: Vec<String>, title: Option<&str>) -> Vec<String> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let (Some(first), Some(title)) = (paragraphs.first(), title) {
        let (f, t) = (fold(first), fold(title));
        if paragraphs.len() > 1
            && !f.is_empty()
            && (f == t || (t.starts_with(&f) && f.len() * 2 > t.len()))
        {
            paragraphs.remove(0);
        }
    }
    paragraphs
}

/// How many of a text's first lines may hold its header (URL, headline, date).
const HEADER_LINES: usize = 5;

/// The header a pasted article often carries above its text: its URL, also as text re-joined
/// from tokens ("http:// www. x. com/2013/05/02/…"), and a date line ("May 03, 2013",
/// "PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM") near its headline. The URL line and date lines
/// leave the text; they fill `url` and `published` where the input gave none (a date from the
/// URL where no line gives one). Returns the text without them.
fn text_header(article: &mut Article, text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    if let Some(at) = first {
        let line = lines[at].trim();
        let joined: String = line.split_whitespace().collect();
        let url_line = (line.starts_with("http://") || line.starts_with("https://"))
            && host_of(&joined).is_some_and(|h| h.contains('.'));
        if url_line {
            article.url.get_or_insert(joined);
            lines.remove(at);
        }
    }
    let latest = article.fetched.unwrap_or_else(chrono::Utc::now);
    let mut found = None;
    let mut seen = 0;
    lines.retain(|l| {
        let t = l.trim();
        if t.is_empty() || seen >= HEADER_LINES {
            return true;
        }
        seen += 1;
        let short = t.split_whitespace().count() <= 10;
        let day = short
            .then(|| dates::date_in_line(t))
            .flatten()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .filter(|d| chrono::Datelike::year(d) >= 1990 && *d <= latest);
        match day {
            Some(d) if prose_words(t) <= 2 => {
                found.get_or_insert(d);
                false
            }
            _ => true,
        }
    });
    if article.published.is_none() {
        let from_url = || {
            article
                .url
                .as_deref()
                .and_then(dates::url_date)
                .map(|d| (d, "url"))
        };
        if let Some((d, from)) = found.map(|d| (d, "text")).or_else(from_url) {
            article.published = Some(d);
            article.published_from = Some(from);
        }
    }
    lines.join("\n")
}

/// Words of a line that are neither a date's nor a time stamp's ("Published", "Thursday",
/// "May", "EDT"): a date line has at most a label's worth.
fn prose_words(line: &str) -> usize {
    const STAMP: &[&str] = &[
        "published",
        "posted",
        "updated",
        "last",
        "originally",
        "edited",
        "first",
        "on",
        "at",
        "am",
        "pm",
        "edt",
        "est",
        "cdt",
        "cst",
        "pdt",
        "pst",
        "gmt",
        "utc",
        "bst",
        "cet",
        "ist",
    ];
    const CALENDAR: [&str; 19] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon",
        "tue", "wed", "thu", "fri", "sat", "sun",
    ];
    line.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STAMP.contains(&w.as_str()) && !CALENDAR.iter().any(|c| w.starts_with(c)))
        .count()
}

/// A first line that reads as a headline: short, no full stop, followed by more text.
fn headline_line(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    lines.next()?;
    let words = first.split_whitespace().count();
    let looks = (2..=16).contains(&words) && !first.ends_with(['.', '!', ',', ';', ':']);
    looks.then(|| first.to_string())
}

/// The page without its hover cards: an inline `<span>` inside the text that holds a picture
/// and two or more links (a person's card with their latest headlines, shown when the reader
/// hovers over a name). Its text would otherwise run into the sentence around it. The
/// innermost such span goes; the name that opens it is outside it and stays.
fn without_hover_cards(html: &str) -> std::borrow::Cow<'_, str> {
    static TAG: OnceLock<Regex> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        Regex::new(r"(?i)</?(?:span|img|a|script|style)\b[^>]*>").expect("valid pattern")
    });
    struct Open {
        start: usize,
        images: usize,
        links: usize,
        holds_card: bool,
    }
    static BLOCK: OnceLock<Regex> = OnceLock::new();
    let block_start = BLOCK.get_or_init(|| {
        Regex::new(r"(?i)<(?:p|div|h[1-6]|li|ul|ol|table|section|article|br|blockquote)\b")
            .expect("valid pattern")
    });
    let mut open: Vec<Open> = Vec::new();
    let mut cards: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(whole) = tag.find_at(html, at) {
        at = whole.end();
        let t = whole.as_str().as_bytes();
        let closing = t[1] == b'/';
        let name = &t[1 + closing as usize..];
        let name_len = name
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .unwrap_or(name.len());
        let is = |n: &str| name[..name_len].eq_ignore_ascii_case(n.as_bytes());
        match (closing, is("span")) {
            (false, _) if is("script") || is("style") => at = end_of_raw_text(html, at),
            (_, false) if is("img") => open.iter_mut().for_each(|o| o.images += 1),
            (false, false) if is("a") => open.iter_mut().for_each(|o| o.links += 1),
            (false, true) if !whole.as_str().ends_with("/>") => open.push(Open {
                start: whole.start(),
                images: 0,
                links: 0,
                holds_card: false,
            }),
            (true, true) => {
                if let Some(o) = open.pop() {
                    // Inline and small: a span the page never closed would otherwise
                    // reach over whole paragraphs.
                    let inside = &html[o.start..whole.end()];
                    let card = o.images >= 1
                        && o.links >= 2
                        && inside.len() <= 4_000
                        && !block_start.is_match(inside);
                    if card && !o.holds_card {
                        cards.push((o.start, whole.end()));
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.holds_card |= card || o.holds_card;
                    }
                }
            }
            _ => {}
        }
    }
    if cards.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (start, end) in cards {
        out.push_str(&html[last..start]);
        last = end;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// Letters (about 100 English words) under which a precision-focused extraction is taken to
/// have missed the article.
const PRECISE_ENOUGH_LETTERS: usize = 450;

/// What extraction found in one page.
#[derive(Debug, Default)]
struct Page {
    text: String,
    title: Option<String>,
    site_name: Option<String>,
    published: Option<(DateTime<Utc>, dates::DateSource)>,
    canonical_url: Option<String>,
    byline: Option<String>,
    /// Wire agencies the byline names.
    byline_agencies: Vec<&'static str>,
    /// A standfirst (the summary under the headline), as its own paragraph of `text`.
    standfirst: Option<String>,
    /// As the page declares it (`<html lang>`, `og:locale`).
    language: Option<String>,
}

fn extract_html(html: &str, url: Option<&str>, fetched: Option<DateTime<Utc>>) -> Page {
    let mut opts = trafilatura::Options::default();
    opts.exclude_comments = true;
    opts.original_url = url.and_then(|u| url::Url::parse(u).ok());
    let mut page = Page::default();
    // Precision first (it leaves out more of the page around the article); where that finds
    // too little, the recall setting, if it finds clearly more. (Recall rather than balanced:
    // where precision finds nothing, balanced falls back on the page's whole text as one
    // block, captions and all, while recall still finds the article's paragraphs.)
    // Letters, not words: Chinese and Japanese do not put spaces between words.
    let letters = |r: &trafilatura::ExtractResult| {
        r.content_text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
    };
    opts.focus = trafilatura::ExtractionFocus::FavorPrecision;
    let mut result = trafilatura::extract(html, &opts);
    let precise = result.as_ref().map_or(0, letters);
    if precise < PRECISE_ENOUGH_LETTERS {
        opts.focus = trafilatura::ExtractionFocus::FavorRecall;
        let recall = trafilatura::extract(html, &opts);
        if recall.as_ref().is_ok_and(|b| letters(b) * 2 > precise * 3) {
            result = recall;
        }
    }
    let mut text_date = None;
    if let Ok(r) = result {
        // The crate's plain text runs paragraphs together; its cleaned HTML keeps them apart.
        let cleaned = scraper::Html::parse_fragment(&r.content_html);
        page.text = with_paragraph_breaks(&r.content_text, &block_text(&cleaned));
        page.standfirst = standfirst(&cleaned);
        let m = r.metadata;
        page.title = non_empty(m.title);
        page.site_name = non_empty(m.sitename).and_then(|n| meta::site_name(&n));
        (page.byline, page.byline_agencies) = meta::byline(&m.author);
        text_date = m.date;
    }
    // The page's own (the crate's `url` falls back on the one it was given).
    page.canonical_url = meta::declared_canonical_url(html);
    let urls: Vec<&str> = url
        .into_iter()
        .chain(page.canonical_url.as_deref())
        .collect();
    page.published = dates::publication_date(html, &urls, fetched, text_date);
    page.language = meta::declared_language(html);
    page
}

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "br",
    "hr",
    "dd",
    "dt",
    "dl",
    "main",
    "aside",
    "nav",
    "td",
    "th",
];

/// Puts a line break before each block of `blocks` (one per line) where it starts in `text`,
/// so the text keeps exactly its words and gains the page's paragraph structure.
fn with_paragraph_breaks(text: &str, blocks: &str) -> String {
    let mut breaks = Vec::new();
    let mut cursor = 0;
    for block in blocks.lines().map(str::trim).filter(|b| !b.is_empty()) {
        let probe: String = block.chars().take(40).collect();
        let probe = probe.split_whitespace().next().map(|first| {
            // Match on the first words, whitespace-insensitively enough for folded spaces.
            let n = probe.len().min(first.len().max(probe.trim_end().len()));
            &probe[..n]
        });
        let Some(probe) = probe else { continue };
        if let Some(at) = text[cursor..].find(probe) {
            breaks.push(cursor + at);
            cursor += at + probe.len();
        }
    }
    let mut out = String::with_capacity(text.len() + breaks.len());
    let mut last = 0;
    for b in breaks {
        if b > last {
            out.push_str(text[last..b].trim_end());
            out.push('\n');
            last = b;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The standfirst of an extracted article (its cleaned HTML, parsed): a sub-heading that
/// reads as a sentence (eight words or more, ending in a full stop), before any paragraph of
/// the body. A heading that is a section title ("Hostage swap") does not end like a sentence.
fn standfirst(doc: &scraper::Html) -> Option<String> {
    for node in doc.tree.root().descendants() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        match e.name() {
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = scraper::ElementRef::wrap(node)?.text().collect::<String>();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let sentence = text.ends_with(['.', '!', '?'])
                    && crate::normalize::word_spans(&text).count() >= 8;
                return sentence.then_some(text);
            }
            "p" | "li" | "blockquote" | "table" | "pre" => return None,
            _ => {}
        }
    }
    None
}

/// The text of a parsed HTML fragment, one line per block element.
fn block_text(doc: &scraper::Html) -> String {
    fn walk(node: ego_tree::NodeRef<'_, scraper::Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                scraper::Node::Text(t) => out.push_str(t),
                scraper::Node::Element(e) => {
                    let block = BLOCKS.contains(&e.name());
                    if block {
                        out.push('\n');
                    }
                    walk(child, out);
                    if block {
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(doc.tree.root(), &mut out);
    out
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The largest char boundary at or before byte `at`: where to cut a page's head.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DocId;

    #[test]
    fn a_page_with_a_bare_charset_declaration_is_extracted() {
        // The html fuzz target's input, minimised: html5ever 0.39 indexed past the end of
        // `content="…; charset"` and panicked (fixed in vendor/html5ever, see PATCHES.md).
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset\">\
                    <title>Storm</title></head><body><article><p>A fast-moving storm knocked out \
                    power to more than 80,000 homes along the coast overnight, officials said.\
                    </p></article></body></html>";
        let mut articles = Vec::new();
        crate::read::read_named("p.html", html.as_bytes(), Default::default(), &mut |doc| {
            articles.push(extract(doc.expect("read")))
        });
        let article = articles.pop().unwrap().expect("an article");
        assert!(article.text.contains("80,000 homes"));
    }

    fn raw(body: Body) -> RawDoc {
        RawDoc {
            id: DocId("x".into()),
            source_path: "x".into(),
            url: Some("https://www.example.com/news/1".into()),
            title: None,
            outlet: None,
            published: None,
            fetched: None,
            body,
        }
    }

    #[test]
    fn a_leading_copy_of_the_headline_leaves_the_text() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let body = p(&[
            "Home Depot sales miss, shares plunge",
            "Home Depot missed forecasts.",
        ]);
        assert_eq!(
            without_headline(body.clone(), Some("Home Depot sales miss, shares plunge")),
            p(&["Home Depot missed forecasts."])
        );
        // A first paragraph that merely starts like the title stays.
        assert_eq!(without_headline(body.clone(), Some("Home Depot")), body);
        assert_eq!(without_headline(body.clone(), None), body);
    }

    #[test]
    fn a_sentence_sub_heading_before_the_body_is_a_standfirst() {
        let parse = scraper::Html::parse_fragment;
        let html = "<h1>Ways to play</h1><h2>There are more devices, platforms and services \
            to choose from than ever before.</h2><p>Gaming used to be simple.</p>";
        assert_eq!(
            standfirst(&parse(html)).as_deref(),
            Some("There are more devices, platforms and services to choose from than ever before.")
        );
        // A section heading, or a sub-heading after the body has begun, is not one.
        assert_eq!(
            standfirst(&parse("<h2>Hostage swap</h2><p>The government said.</p>")),
            None
        );
        assert_eq!(
            standfirst(&parse(
                "<p>Body first.</p><h2>Then a heading that reads like a full sentence here.</h2>"
            )),
            None
        );
    }

    /// The two changes to the vendored extractor (vendor/trafilatura/PATCHES.md).
    #[test]
    fn text_after_a_heading_and_inside_unknown_elements_is_kept() {
        let para = "<p>This is a long enough paragraph of article text, so that the extractor \
            keeps the article body and does not throw it away as too short to matter.</p>";
        let html = format!(
            "<html><body><article>{para}{para}<div><h2>Switch Lite with Pokemon for $238.99</h2>\
             <a href=\"https://r.example/u/x\"><img src=\"a.jpg\"></a>Save $31 if you get a \
             turquoise Switch Lite with your choice of game.</div>\
             <p>Binge eating is the most common eating disorder in the United States \
             (<x-trusted-source source=\"PubMed\"><a href=\"https://x.example/1\">1</a>\
             </x-trusted-source>). It is treatable.</p>{para}{para}</article></body></html>"
        );
        let a = extract(raw(Body::Html(html))).unwrap();
        assert!(a.text.contains("Save $31 if you get"), "{}", a.text);
        assert!(
            a.text.contains("United States (1). It is treatable."),
            "{}",
            a.text
        );
    }

    #[test]
    fn hover_cards_leave_the_text_but_the_name_stays() {
        let html = r#"<p>A man threatened to kill Rep. <span class="r"><a href="/p/io">Ilhan Omar</a><span class="card"><span><img src="io.jpg"><a href="/p/io">Ilhan Omar</a><a href="/n/1">Progressives oppose funding bill</a> <a href="/n/2">Omar asks court</a> MORE</span></span></span> (D-Minn.), officials said.</p><script>var s = "<span>";</script><p>A <span>plain <a href="/x">link</a></span> stays.</p>"#;
        let out = without_hover_cards(html);
        assert!(out.contains("Rep. <span class=\"r\"><a href=\"/p/io\">Ilhan Omar</a><span class=\"card\"></span></span> (D-Minn.)"), "{out}");
        assert!(!out.contains("Progressives"));
        assert!(out.contains("A <span>plain <a href=\"/x\">link</a></span> stays."));
        // A span left open reaches over paragraphs: not a card.
        let unclosed = r#"<div><span><img src="a.jpg"><a href="/1">One</a><p>The article text goes on here.</p><a href="/2">Two</a></span></div>"#;
        assert_eq!(without_hover_cards(unclosed), unclosed);
        let plain = "<p>No cards here.</p>";
        assert!(matches!(
            without_hover_cards(plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn hard_wrapped_lines_are_rejoined_but_lists_are_not() {
        let wrapped = "Inheritance is also sometimes called generalization, because the is-a\n\
            relationships represent a hierarchy between classes of objects. For\n\
            instance, a fruit is a generalization of apple, orange, mango and\n\
            many others. One can consider fruit to be an abstraction of apple,\n\
            orange, etc.\n\nA second paragraph starts here, and it is also a rather long one that\n\
            wraps before the right margin of the page.\n";
        let out = unwrap_hard_wraps(wrapped);
        assert_eq!(paragraphs_of(&out).len(), 2, "{out}");
        assert!(out.contains("objects. For instance, a fruit"));
        // One paragraph a line, as most news text comes: untouched.
        let news = "Rebels seized the airport in the eastern city of Goma on Tuesday, officials said.\n\
            The army withdrew.\nAid groups said thousands of people had fled the fighting overnight.\n\
            The United Nations called for calm.\n";
        assert_eq!(unwrap_hard_wraps(news), news);
        let list = "The model has the following limitations, which matter a great deal:\n\
            1. Long documents are poorly represented because they have poor similarity\n\
            2. Search keywords must precisely match document terms; word substrings\n\
            3. Semantic sensitivity; documents with similar context but different terms\n\
            4. The order in which the terms appear in the document is lost in the model\n";
        assert_eq!(paragraphs_of(&unwrap_hard_wraps(list)).len(), 5);
    }

    #[test]
    fn text_article_gets_outlet_from_host_and_headline() {
        let a = extract(raw(Body::Text(
            "Quake hits island\n\nAn earthquake struck the island on Sunday, officials said.\n"
                .into(),
        )))
        .unwrap();
        assert_eq!(a.outlet.as_deref(), Some("example.com"));
        assert_eq!(a.title.as_deref(), Some("Quake hits island"));
    }

    #[test]
    fn html_page_is_extracted_with_metadata() {
        let html = r#"<html><head><title>Quake hits island | Example News</title>
            <meta property="og:site_name" content="Example News">
            <meta property="article:published_time" content="2005-11-27T18:40:00Z">
            </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Quake hits island</h1>
            <p>An earthquake of magnitude 5.9 struck the island of Qeshm on Sunday, killing at least ten people, officials said.</p>
            <p>Rescue teams were sent from the port city of Bandar Abbas, and the injured were taken to hospitals on the mainland.</p>
            <p>The island lies in the Strait of Hormuz and has been hit by several earthquakes in recent years.</p>
            </article><footer>Copyright Example News</footer></body></html>"#;
        let a = extract(raw(Body::Html(html.into()))).unwrap();
        assert!(a.text.contains("Qeshm"), "{}", a.text);
        assert!(!a.text.contains("Home"));
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2005-11-27T18:40:00+00:00"
        );
    }

    #[test]
    fn pages_nested_too_deep_are_skipped_not_parsed() {
        let deep = format!(
            "<html><body>{}text{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let e = extract(raw(Body::Html(deep))).unwrap_err();
        assert!(e.reason.contains("nested"), "{}", e.reason);
        let normal = "<html><body><div><p>One<p>Two<div><span>x</span></div></div></body></html>";
        assert!(nesting_depth(normal) < 10);
    }

    #[test]
    fn empty_page_is_skipped() {
        let e = extract(raw(Body::Html(
            "<html><body><nav>Home</nav></body></html>".into(),
        )));
        assert!(e.is_err());
    }
}
