//! The domain's nouns: an [`Article`] as it comes out of extraction, with its [`DocId`],
//! [`Credit`]s and the [`CharSpan`]s that every later stage points into.
//!
//! Invariant: every offset in the engine is a character offset into `Article::text`
//! (the clean text), never a byte offset. [`CharSpan`] is the only way to carry one.

use chrono::{DateTime, Utc};
use std::fmt;

/// The id of one article: a path without extension, a JSONL `id`, `file:line`, or a WARC URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub String);

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A half-open `[start, end)` range in Unicode characters of an article's clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        CharSpan { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Characters inside the union of `spans` (overlaps counted once).
pub fn covered_chars(spans: impl IntoIterator<Item = CharSpan>) -> usize {
    let mut v: Vec<CharSpan> = spans.into_iter().collect();
    v.sort();
    let (mut sum, mut end) = (0usize, 0usize);
    for s in v {
        let start = s.start.max(end);
        if s.end > start {
            sum += s.end - start;
            end = s.end;
        }
    }
    sum
}

/// A wire agency or outlet an article credits for its content, with how it was credited.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Credit {
    /// Canonical agency name: "Reuters", "AP", "AFP", "BBC", …
    pub agency: String,
    pub kind: CreditKind,
}

/// How an article credits an agency; a dateline is the strongest sign of wire copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CreditKind {
    /// "AMMAN (Reuters) -", "(AP) —" at the head of the text.
    Dateline,
    /// "— BBC", "(AFP)" at the end of the text, or a byline naming the agency.
    Byline,
    /// "Based on reporting by Reuters and AP", "Reporting by …", "contributed to this report".
    BasedOn,
    /// "told Reuters": the agency did the reporting.
    Told,
}

/// One article, extracted and cleaned: the unit every later stage works on.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: DocId,
    /// Where it was read from (a path, `path:line`, or `path#record`).
    pub source_path: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The publishing site: a site name from the page, else the URL's host without `www.`.
    pub outlet: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Which rule found `published` in a page ("json-ld", "meta", "time", "url", "text");
    /// none where the input gave the date or there is none.
    pub published_from: Option<&'static str>,
    /// The author line as the page gives it ("By Jane Doe and John Roe"), if any.
    pub byline: Option<String>,
    /// The page's own canonical URL (`<link rel=canonical>`, `og:url`), if it names one.
    pub canonical_url: Option<String>,
    /// ISO 639-1 code of the text's language ("en", "de"), detected from the text, else as
    /// the page declares it.
    pub language: Option<String>,
    /// When the page was fetched (WARC records): a publication date is never after it.
    pub fetched: Option<DateTime<Utc>>,
    pub credits: Vec<Credit>,
    /// The clean article text every offset refers to: paragraphs separated by newlines.
    pub text: String,
}

impl Article {
    /// An article of plain text with nothing else known: for tests, benchmarks and planted
    /// copies. Credits are found in the text, as extraction would find them.
    pub fn from_text(id: &str, text: String) -> Self {
        Article {
            id: DocId(id.to_string()),
            source_path: id.to_string(),
            url: None,
            title: None,
            outlet: None,
            published: None,
            published_from: None,
            byline: None,
            canonical_url: None,
            language: None,
            fetched: None,
            credits: crate::credits::find_credits(&text),
            text,
        }
    }

    /// Number of words in the clean text (runs of alphanumeric characters).
    pub fn word_count(&self) -> usize {
        crate::normalize::word_spans(&self.text).count()
    }

    /// Distinct agency names credited, in order of first mention.
    pub fn credited_agencies(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.credits {
            if !out.contains(&c.agency.as_str()) {
                out.push(&c.agency);
            }
        }
        out
    }

    /// The text between two character offsets (clamped to the text).
    pub fn slice(&self, span: CharSpan) -> String {
        self.text
            .chars()
            .skip(span.start)
            .take(span.end.saturating_sub(span.start))
            .collect()
    }
}
