//! The one interface every store implements ([`Store`]), and the rows that cross it.
//!
//! A store keeps articles (with their anchors and story), the anchor postings, reuse found
//! between articles, stories and a few named blobs (the term statistics). Everything an
//! `index add` batch writes goes through one [`Store::commit`], which is atomic: a crash
//! leaves the store as it was before or after the batch, never between.
//!
//! Invariant: keys are allocated by the store ([`Store::allocate`]), so several writers (on
//! several machines, with PostgreSQL) never hand out the same one.

use crate::article::{Article, CharSpan, Credit, CreditKind, DocId};
use anyhow::Result;
use std::borrow::Cow;

/// The layout of the stores this build writes, kept in each store's header (SQLite's
/// `user_version`, PostgreSQL's `meta` row `layout`). 1: articles, postings, reuse, stories,
/// counters, meta; 2: and the word index. A store of an older layout is upgraded in place when
/// opened; one of a newer layout is refused with a message.
pub const LAYOUT_VERSION: i64 = 2;

/// A stored article's number.
pub type Key = i64;

/// An article as stored, with its key and story.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    pub key: Key,
    pub story: i64,
    pub article: Article,
}

/// An article to write: what [`Store::commit`] inserts (replacing a stored one of the same id).
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub key: Key,
    /// Hash of what the article says (see [`digest`]): an unchanged article re-added is skipped.
    pub digest: i64,
    pub story: i64,
    pub anchors: Vec<u64>,
    pub article: Article,
}

/// One reuse entry between stored articles.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReuse {
    pub source: Key,
    pub derived: Key,
    pub relation: String,
    pub confidence: f32,
    pub source_coverage: f32,
    pub derived_coverage: f32,
    /// Source span, derived span, passage kind.
    pub passages: Vec<(CharSpan, CharSpan, String)>,
    pub evidence: Vec<String>,
}

/// A story's row: created with its title, grown (or shrunk, on replacement) by `size`.
#[derive(Debug, Clone)]
pub struct StoryDelta {
    pub id: i64,
    pub title: String,
    pub size: i64,
}

/// A story's row as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    pub id: i64,
    pub title: String,
    /// Articles stored in it.
    pub size: i64,
}

/// Everything one `index add` batch writes, committed atomically.
#[derive(Debug, Default)]
pub struct Batch {
    pub articles: Vec<NewArticle>,
    pub reuse: Vec<StoredReuse>,
    pub stories: Vec<StoryDelta>,
    /// Named blobs to set (the term statistics).
    pub meta: Vec<(String, Vec<u8>)>,
}

/// Counts and size of a store.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StoreStats {
    pub articles: u64,
    pub stories: u64,
    pub reuse: u64,
    /// Bytes on disk (SQLite: the file and its write-ahead log; PostgreSQL: the tables).
    pub bytes: u64,
}

/// A persistent store of articles, anchors, reuse and stories.
pub trait Store: Send {
    /// `n` fresh numbers of the named counter (`"article"`, `"story"`); returns the first.
    /// Numbers are never handed out twice, also across processes.
    fn allocate(&mut self, counter: &str, n: u64) -> Result<i64>;

    /// Whether other processes may write to the store at the same time as this one (a
    /// database server): then every batch looks up what they stored meanwhile.
    fn many_writers(&self) -> bool {
        false
    }

    /// Whether any article is stored.
    fn is_empty(&mut self) -> Result<bool>;

    /// For each id, the stored article's key and digest, if it is stored.
    fn existing(&mut self, ids: &[&str]) -> Result<Vec<Option<(Key, i64)>>>;

    /// For each anchor, the keys below `below` that hold it, earliest first, at most `limit`.
    fn holders(&mut self, anchors: &[u64], below: Key, limit: usize) -> Result<Vec<Vec<Key>>>;

    /// For each key, how many anchors its article has (`None` where it is not stored).
    fn anchor_counts(&mut self, keys: &[Key]) -> Result<Vec<Option<usize>>>;

    /// The stored articles of `keys` (missing ones left out), in key order.
    fn articles(&mut self, keys: &[Key]) -> Result<Vec<StoredArticle>>;

    /// The stored article of an id.
    fn article_by_id(&mut self, id: &str) -> Result<Option<StoredArticle>>;

    /// The `n` articles stored last (highest keys), in key order.
    fn latest(&mut self, n: usize) -> Result<Vec<StoredArticle>>;

    /// Writes a batch atomically. An article whose id is stored replaces it: the old one's
    /// anchors, reuse entries and story membership go with it.
    fn commit(&mut self, batch: &Batch) -> Result<()>;

    /// A named blob.
    fn meta(&mut self, name: &str) -> Result<Option<Vec<u8>>>;

    /// Reuse entries in which `key` is the source or the derived article.
    fn reuse_of(&mut self, key: Key) -> Result<Vec<StoredReuse>>;

    fn stats(&mut self) -> Result<StoreStats>;

    /// Stories that hold articles (size > 0), largest first, then newest (higher id) first:
    /// `limit` of them after skipping `offset`.
    fn stories(&mut self, offset: usize, limit: usize) -> Result<Vec<StoryRow>>;

    /// The story numbered `id`, if there is one (also an emptied one, of size 0).
    fn story(&mut self, id: i64) -> Result<Option<StoryRow>>;

    /// The stored articles of a story, in key order, at most `limit`.
    fn story_articles(&mut self, story: i64, limit: usize) -> Result<Vec<StoredArticle>>;

    /// Every reuse entry whose source and derived article are both among `keys` (a few
    /// thousand at most), ordered by source, then derived.
    fn reuse_among(&mut self, keys: &[Key]) -> Result<Vec<StoredReuse>>;

    /// Brings the word index that [`Store::search`] reads up to date with the stored
    /// articles; returns how many articles it newly indexed. The first call on a big store
    /// may take a while; later ones are cheap (only articles stored since are indexed), so it
    /// can be called before each search. In SQLite nothing on the write path keeps the
    /// index, so an article stored after the last call is not found until the next;
    /// PostgreSQL keeps it up to date once built (and returns 0).
    fn prepare_search(&mut self) -> Result<u64>;

    /// Stored articles that contain all the words of `words` (in their title or text), best
    /// match first: `limit` of them after skipping `offset`. Words are compared without
    /// regard to case or diacritics (in PostgreSQL diacritics count: see
    /// [`super::postgres`]); the query is split into words by [`search_words`], so no
    /// character of it is syntax and any text is a valid query.
    /// With `outlet` (not empty), only that outlet's articles, compared case-insensitively
    /// (ASCII letters) but otherwise exactly. A query without words (empty, or punctuation
    /// only) lists the articles newest (highest key) first.
    fn search(
        &mut self,
        words: &str,
        outlet: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StoredArticle>>;
}

/// Most words of a search that count: the rest of a longer query is left out.
pub const MAX_SEARCH_WORDS: usize = 32;

/// The words of a search query: runs of letters and digits (after canonical composition, so
/// that a decomposed accent stays in its word), lower-cased, each once, in order, at most
/// [`MAX_SEARCH_WORDS`]. Everything else (quotes, operators, brackets, colons, stars) only
/// separates words, so the words can be handed to a full-text engine quoted, never as syntax.
pub fn search_words(query: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let composed: String = query.nfc().collect();
    let mut words: Vec<String> = Vec::new();
    for w in composed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !words.contains(&w) {
            words.push(w);
            if words.len() == MAX_SEARCH_WORDS {
                break;
            }
        }
    }
    words
}

/// A count or position as SQL's integer (saturating).
pub fn sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What identifies an article's content: re-adding an article with the same digest is a no-op.
pub fn digest(a: &Article) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        Some(a.id.0.as_str()),
        Some(a.text.as_str()),
        a.title.as_deref(),
        a.url.as_deref(),
        a.outlet.as_deref(),
    ] {
        h.update(part.unwrap_or("\u{0}").as_bytes());
        h.update(&[0xff]);
    }
    h.update(&a.published.map_or(0, |t| t.timestamp()).to_le_bytes());
    h.digest() as i64
}

/// Anchors as bytes (8 little-endian bytes each), as stored.
pub fn anchors_to_bytes(anchors: &[u64]) -> Vec<u8> {
    anchors.iter().flat_map(|a| a.to_le_bytes()).collect()
}

/// Anchors from [`anchors_to_bytes`].
pub fn anchors_from_bytes(b: &[u8]) -> Vec<u64> {
    b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
        .collect()
}

/// Credits as stored: `agency:kind` joined by `;`.
pub fn credits_to_text(credits: &[Credit]) -> String {
    credits
        .iter()
        .map(|c| {
            let kind = match c.kind {
                CreditKind::Dateline => "dateline",
                CreditKind::Byline => "byline",
                CreditKind::BasedOn => "based_on",
                CreditKind::Told => "told",
            };
            format!("{}:{kind}", c.agency)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Credits from [`credits_to_text`]; unknown kinds are left out.
pub fn credits_from_text(s: &str) -> Vec<Credit> {
    s.split(';')
        .filter_map(|c| {
            let (agency, kind) = c.rsplit_once(':')?;
            let kind = match kind {
                "dateline" => CreditKind::Dateline,
                "byline" => CreditKind::Byline,
                "based_on" => CreditKind::BasedOn,
                "told" => CreditKind::Told,
                _ => return None,
            };
            Some(Credit {
                agency: agency.to_string(),
                kind,
            })
        })
        .collect()
}

/// The rule names of [`Article::published_from`], as stored text back to the static name.
pub fn published_from(s: &str) -> Option<&'static str> {
    ["json-ld", "meta", "time", "url", "text"]
        .into_iter()
        .find(|r| *r == s)
}

/// The text columns of an article, in the order stores keep them: id, source path, url,
/// title, outlet, published, published_from, byline, canonical url, language, fetched,
/// credits, text.
/// Borrowed where the article holds the text already (its body is not copied to be written).
pub fn article_columns(a: &Article) -> [Option<Cow<'_, str>>; 13] {
    fn borrowed(s: &Option<String>) -> Option<Cow<'_, str>> {
        s.as_deref().map(Cow::Borrowed)
    }
    [
        Some(Cow::Borrowed(a.id.0.as_str())),
        Some(Cow::Borrowed(a.source_path.as_str())),
        borrowed(&a.url),
        borrowed(&a.title),
        borrowed(&a.outlet),
        a.published.map(|t| Cow::Owned(t.to_rfc3339())),
        a.published_from.map(Cow::Borrowed),
        borrowed(&a.byline),
        borrowed(&a.canonical_url),
        borrowed(&a.language),
        a.fetched.map(|t| Cow::Owned(t.to_rfc3339())),
        Some(Cow::Owned(credits_to_text(&a.credits))),
        Some(Cow::Borrowed(a.text.as_str())),
    ]
}

/// An article from the columns of [`article_columns`].
pub fn article_from_columns(c: [Option<String>; 13]) -> Article {
    let [id, source_path, url, title, outlet, published, from, byline, canonical_url, language, fetched, credits, text] =
        c;
    let time = |s: Option<String>| {
        s.and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    Article {
        id: DocId(id.unwrap_or_default()),
        source_path: source_path.unwrap_or_default(),
        url,
        title,
        outlet,
        published: time(published),
        published_from: from.as_deref().and_then(published_from),
        byline,
        canonical_url,
        language,
        fetched: time(fetched),
        credits: credits
            .as_deref()
            .map(credits_from_text)
            .unwrap_or_default(),
        text: text.unwrap_or_default(),
    }
}

/// The column names of [`article_columns`], comma-separated (for SQL).
pub const ARTICLE_COLUMNS: &str = "id, source_path, url, title, outlet, published, published_from, byline, canonical_url, language, fetched, credits, text";

/// Passages as stored: one JSON array of `[s0, s1, d0, d1, kind]`.
pub fn passages_to_json(p: &[(CharSpan, CharSpan, String)]) -> String {
    let v: Vec<serde_json::Value> = p
        .iter()
        .map(|(s, d, k)| serde_json::json!([s.start, s.end, d.start, d.end, k]))
        .collect();
    serde_json::Value::Array(v).to_string()
}

/// Passages from [`passages_to_json`]; malformed entries are left out.
pub fn passages_from_json(s: &str) -> Vec<(CharSpan, CharSpan, String)> {
    let v: Vec<serde_json::Value> = serde_json::from_str(s).unwrap_or_default();
    v.iter()
        .filter_map(|p| {
            let n = |i: usize| p.get(i)?.as_u64().map(|x| x as usize);
            let (s0, s1, d0, d1) = (n(0)?, n(1)?, n(2)?, n(3)?);
            let kind = p.get(4)?.as_str()?.to_string();
            (s0 <= s1 && d0 <= d1).then(|| (CharSpan::new(s0, s1), CharSpan::new(d0, d1), kind))
        })
        .collect()
}

/// Evidence as stored (a JSON array of strings) and back.
pub fn evidence_to_json(e: &[String]) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| "[]".into())
}

pub fn evidence_from_json(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_letters_and_digits_only() {
        assert_eq!(search_words("Storm HARBOUR storm"), ["storm", "harbour"]);
        assert_eq!(
            search_words("\"NEAR(x, 2)\" AND -y col:z * '; DROP TABLE articles; --"),
            ["near", "x", "2", "and", "y", "col", "z", "drop", "table", "articles"]
        );
        assert_eq!(search_words("Zürich café"), ["zürich", "café"]);
        // A decomposed accent stays in its word.
        assert_eq!(search_words("Zu\u{308}rich"), ["zürich"]);
        assert_eq!(
            search_words("magnitude-5.9 al-Assad's"),
            ["magnitude", "5", "9", "al", "assad", "s"]
        );
        assert!(search_words("\"*() -: ^{} \u{0} 🙂").is_empty());
        assert!(search_words("").is_empty());
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(search_words(&many).len(), MAX_SEARCH_WORDS);
    }
}
