//! The JSON of `../shared/CONTRACT.md`, and nothing else: the engine's plain types are turned
//! into the contract's shapes here, at the edge, so the engine can change inside without
//! breaking outside tools. Field names and meanings here are the contract: extend, never rename.

use chrono::SecondsFormat;
use newstrace::{Analysis, Article, Reuse};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Document<'a> {
    pub id: &'a str,
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub published: Option<String>,
    pub credits: Vec<&'a str>,
    pub words: usize,
    pub text: &'a str,
    /// Extensions to the contract's document (added fields, never renamed):
    /// which rule found `published` ("json-ld", "meta", "time", "url", "text").
    pub published_from: Option<&'static str>,
    pub byline: Option<&'a str>,
    pub canonical_url: Option<&'a str>,
    /// ISO 639-1 code of the text's language.
    pub language: Option<&'a str>,
    /// `extract --json` only: where the document was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_path: Option<&'a str>,
}

impl<'a> Document<'a> {
    pub fn of(a: &'a Article) -> Self {
        Document {
            id: &a.id.0,
            url: a.url.as_deref(),
            title: a.title.as_deref(),
            outlet: a.outlet.as_deref(),
            published: a
                .published
                .map(|p| p.to_rfc3339_opts(SecondsFormat::Secs, true)),
            credits: a.credited_agencies(),
            words: a.word_count(),
            text: &a.text,
            published_from: a.published_from,
            byline: a.byline.as_deref(),
            canonical_url: a.canonical_url.as_deref(),
            language: a.language.as_deref(),
            source_path: None,
        }
    }
}

#[derive(Serialize)]
pub struct Story<'a> {
    pub id: String,
    pub title: &'a str,
    pub documents: Vec<&'a str>,
    /// Extension (issue 9): claims of its documents that disagree.
    pub disagreements: Vec<DisagreementEntry<'a>>,
}

#[derive(Serialize)]
pub struct Passage {
    pub source: [usize; 2],
    pub derived: [usize; 2],
    pub kind: &'static str,
}

/// An edit of the derived text that changes what is said (extension, issue 9).
#[derive(Serialize)]
pub struct ChangeEntry {
    pub kind: &'static str,
    pub source: Option<[usize; 2]>,
    pub derived: Option<[usize; 2]>,
    pub description: String,
}

impl ChangeEntry {
    fn of(c: &newstrace::changes::Change) -> Self {
        ChangeEntry {
            kind: c.kind.as_str(),
            source: c.source.map(|s| [s.start, s.end]),
            derived: c.derived.map(|s| [s.start, s.end]),
            description: c.description.clone(),
        }
    }
}

/// Claims of a story's documents that disagree (extension, issue 9).
#[derive(Serialize)]
pub struct DisagreementEntry<'a> {
    pub kind: &'static str,
    pub about: String,
    pub sides: Vec<SideEntry<'a>>,
}

#[derive(Serialize)]
pub struct SideEntry<'a> {
    pub value: String,
    pub documents: Vec<&'a str>,
    pub claims: Vec<ClaimEntry<'a>>,
}

#[derive(Serialize)]
pub struct ClaimEntry<'a> {
    pub document: &'a str,
    pub span: [usize; 2],
    pub sentence: String,
}

impl<'a> DisagreementEntry<'a> {
    pub fn of(d: &newstrace::disagree::Disagreement, articles: &'a [Article]) -> Self {
        DisagreementEntry {
            kind: d.kind.as_str(),
            about: d.about.clone(),
            sides: d
                .sides
                .iter()
                .map(|side| {
                    let mut documents: Vec<&str> = side
                        .claims
                        .iter()
                        .map(|c| articles[c.article].id.0.as_str())
                        .collect();
                    documents.dedup();
                    SideEntry {
                        value: side.value.clone(),
                        documents,
                        claims: side
                            .claims
                            .iter()
                            .map(|c| ClaimEntry {
                                document: &articles[c.article].id.0,
                                span: [c.span.start, c.span.end],
                                sentence: articles[c.article].slice(c.span),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct ReuseEntry<'a> {
    pub source: &'a str,
    pub derived: &'a str,
    pub relation: &'static str,
    pub confidence: f64,
    pub source_coverage: f64,
    pub derived_coverage: f64,
    pub passages: Vec<Passage>,
    pub evidence: &'a [String],
    /// Extension (issue 9): edits that change what is said.
    pub changes: Vec<ChangeEntry>,
}

fn round(x: f32, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x as f64 * m).round() / m
}

impl<'a> ReuseEntry<'a> {
    /// `articles` are the ones the reuse's indices point into.
    pub fn of(r: &'a Reuse, articles: &'a [Article]) -> Self {
        ReuseEntry {
            source: &articles[r.source].id.0,
            derived: &articles[r.derived].id.0,
            relation: r.relation.as_str(),
            confidence: round(r.confidence, 2),
            source_coverage: round(r.source_coverage, 3),
            derived_coverage: round(r.derived_coverage, 3),
            passages: r
                .passages
                .iter()
                .map(|p| Passage {
                    source: [p.source.start, p.source.end],
                    derived: [p.derived.start, p.derived.end],
                    kind: p.kind.as_str(),
                })
                .collect(),
            evidence: &r.evidence,
            changes: newstrace::changes::changes(&articles[r.source], &articles[r.derived], r)
                .iter()
                .map(ChangeEntry::of)
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct AnalyzeResult<'a> {
    pub version: u32,
    pub documents: Vec<Document<'a>>,
    pub stories: Vec<Story<'a>>,
    pub reuse: Vec<ReuseEntry<'a>>,
    /// Extension: documents that could not be read, as `{source, reason}`.
    pub skipped: Vec<SkippedEntry<'a>>,
}

#[derive(Serialize)]
pub struct SkippedEntry<'a> {
    pub source: &'a str,
    pub reason: &'a str,
}

impl<'a> AnalyzeResult<'a> {
    pub fn of(an: &'a Analysis) -> Self {
        AnalyzeResult {
            version: VERSION,
            documents: an.articles.iter().map(Document::of).collect(),
            stories: an
                .stories
                .iter()
                .enumerate()
                .map(|(i, s)| Story {
                    id: format!("s{}", i + 1),
                    title: &s.title,
                    documents: s
                        .articles
                        .iter()
                        .map(|&d| an.articles[d].id.0.as_str())
                        .collect(),
                    disagreements: newstrace::disagree::disagreements(&an.articles, &s.articles)
                        .iter()
                        .map(|d| DisagreementEntry::of(d, &an.articles))
                        .collect(),
                })
                .collect(),
            reuse: an
                .reuse
                .iter()
                .map(|r| ReuseEntry::of(r, &an.articles))
                .collect(),
            skipped: an
                .skipped
                .iter()
                .map(|s| SkippedEntry {
                    source: &s.source,
                    reason: &s.reason,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct CompareResult<'a> {
    pub a: Document<'a>,
    pub b: Document<'a>,
    pub reuse: Vec<ReuseEntry<'a>>,
}
