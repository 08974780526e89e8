//! The persistent store's engine: `index add` ([`Indexer`]) and `index query` ([`Searcher`])
//! over any [`Store`] (SQLite by default, PostgreSQL for many writers).
//!
//! Adding a batch of articles: each is fingerprinted in parallel ([`anchors`], a sample of its
//! word 4-grams, and its story terms by a fast scan, [`quick`]); its anchors are looked up
//! among the articles added before it (in memory for this run, in the store for earlier ones),
//! and the articles that share enough anchors are normalised in full, aligned and judged as
//! `analyze` does (copies and spins); each article joins the story of a source it took from,
//! else the story it most probably reports the same event as ([`StoryWindow`], over the latest
//! articles), else starts one; the batch is then committed in one transaction, on a writer
//! thread while the next batch is prepared. A run starts its story window with the latest
//! stored articles, so that stories go on across runs. Term statistics (for the weights of
//! words) are counted over the first [`IndexConfig::full_stats`] articles and one in
//! [`IndexConfig::stats_every`] after, and committed to the store with the batch that counted
//! them (after the first `full_stats` articles, once they have grown by a fiftieth: a crash
//! can then lose at most that much of the sample, which a rerun does not count again).
//!
//! Memory is bounded by [`IndexConfig::memory_budget`], not by the store: the in-memory
//! postings are dropped when they outgrow it (older articles are then looked up on disk), and
//! the story window holds a fixed number of articles.
//!
//! Invariant: a batch is all or nothing in the store; an article re-added unchanged is not
//! touched, a changed one replaces the stored one.

pub mod anchors;
pub mod postgres;
pub mod quick;
pub mod sqlite;
pub mod store;

use crate::article::Article;
use crate::fingerprint::TermStats;
use crate::judge::Reuse;
use crate::pipeline::{judge_ready, story_title, AlignReady, Config, StoryStats};
use crate::stories::{StoryConfig, StoryDoc, StoryWindow};
use anchors::{anchors, Postings};
use anyhow::{bail, Result};
use quick::StoryTerms;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::Arc;
pub use store::{
    Batch, Key, NewArticle, Store, StoreStats, StoredArticle, StoredReuse, StoryDelta, StoryRow,
};

/// Opens the store at `location`: a PostgreSQL URL (`postgres://…`, `postgresql://…`) or the
/// path of a SQLite file (created if absent). `cache_bytes` is the store's page cache, where
/// it has one of its own.
pub fn open(location: &str, cache_bytes: usize) -> Result<Box<dyn Store>> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return Ok(Box::new(postgres::PgStore::open(location)?));
    }
    Ok(Box::new(sqlite::SqliteStore::open(
        std::path::Path::new(location),
        cache_bytes,
    )?))
}

/// How a store is filled and searched.
#[derive(Debug, Clone, Copy)]
pub struct IndexConfig {
    pub pipeline: Config,
    /// Articles per committed batch.
    pub batch: usize,
    /// Bytes the in-memory postings may take.
    pub memory_budget: usize,
    /// Latest articles that stories are formed among.
    pub window: usize,
    /// An anchor held by more articles than this is common (a stock phrase, a wire story
    /// republished a thousand times): only its first holders count.
    pub anchor_cap: usize,
    /// How many of a common anchor's first holders count.
    pub capped_links: usize,
    /// Shared anchors that make a pair worth aligning (one where the article has at most
    /// three anchors).
    pub min_shared: u32,
    /// Share of the smaller article's anchors that a pair must share (rare ones).
    pub min_containment: f32,
    /// Most candidates aligned per article (those sharing the most anchors).
    pub max_candidates: usize,
    /// Nearest articles each arriving article is compared with, in the window and again in
    /// its batch; the telling terms it finds them by; holders of a term read at most. Fewer
    /// than in a batch `analyze` (30, 40, 100): the work per article is what bounds a store's
    /// speed.
    pub story_neighbours: usize,
    pub story_terms: usize,
    pub story_postings: usize,
    /// Average probability over a story's articles at which an arriving article joins it:
    /// lower than a stream's 0.6, because a store never revisits a story to attach its
    /// fragments (0.4 scores BCubed F1 0.875 on `stories-ecbplus` added in batches, 0.6 0.820).
    pub story_join: f32,
    /// Articles counted whole into the term statistics ...
    pub full_stats: u64,
    /// ... and one in this many after.
    pub stats_every: u64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            pipeline: Config::default(),
            batch: 5_000,
            memory_budget: 2 << 30,
            window: 20_000,
            anchor_cap: 64,
            capped_links: 8,
            min_shared: 2,
            max_candidates: 16,
            min_containment: 0.12,
            story_neighbours: 12,
            story_terms: 24,
            story_postings: 40,
            story_join: 0.4,
            full_stats: 50_000,
            stats_every: 50,
        }
    }
}

/// Anchors an article shares with another: all of them, and the rare ones (held by at most
/// [`IndexConfig::anchor_cap`] articles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shared {
    pub rare: u32,
    pub all: u32,
}

/// The articles worth aligning with one that has `own` anchors, from the anchors each shares
/// with it and how many anchors it has (`other`). The rare anchors decide: at least
/// [`IndexConfig::min_shared`] (one where either has at most three) and
/// [`IndexConfig::min_containment`] of the smaller one's anchors (half that of its own where
/// the other's count is unknown). A copy trimmed to a third of its source still has all of its
/// own anchors in it, a spin a third of them; two articles that share stock phrases or a name
/// share a few. Common anchors (a phrase, a name, a wire story republished a thousand times)
/// count only for a pair that shares two rare ones too, or half of the article's anchors or
/// more: a republication.
/// Most shared first, at most [`IndexConfig::max_candidates`].
pub fn worth_aligning<K: Copy + Ord + std::hash::Hash>(
    shared: FxHashMap<K, Shared>,
    own: usize,
    other: impl Fn(K) -> Option<usize>,
    cfg: &IndexConfig,
) -> Vec<K> {
    let need = |k: K| -> u32 {
        let (smaller, share) = match other(k) {
            Some(o) => (own.min(o), cfg.min_containment),
            None => (own, cfg.min_containment / 2.0),
        };
        if smaller <= 3 {
            1
        } else {
            cfg.min_shared.max((smaller as f32 * share).ceil() as u32)
        }
    };
    let republished = (own as u32).div_ceil(2).max(cfg.min_shared);
    let mut found: Vec<(Shared, K)> = shared
        .into_iter()
        .filter(|&(k, c)| {
            let need = need(k);
            // Common anchors add to a pair that shares rare ones too (a spin of an article
            // full of stock phrases), or make one alone (a republication).
            c.rare >= need || (c.rare >= cfg.min_shared && c.all >= need) || c.all >= republished
        })
        .map(|(k, c)| (c, k))
        .collect();
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.truncate(cfg.max_candidates);
    found.into_iter().map(|(_, k)| k).collect()
}

/// Counts one anchor's holders into `shared`: all of them, or of a common anchor (more than
/// [`IndexConfig::anchor_cap`] holders) the first [`IndexConfig::capped_links`], as common.
pub fn count_holders<K: Copy + Eq + std::hash::Hash>(
    holders: impl ExactSizeIterator<Item = K>,
    shared: &mut FxHashMap<K, Shared>,
    cfg: &IndexConfig,
) {
    let common = holders.len() > cfg.anchor_cap;
    let take = if common {
        cfg.capped_links
    } else {
        holders.len()
    };
    for k in holders.take(take) {
        let s = shared.entry(k).or_default();
        s.all += 1;
        s.rare += !common as u32;
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AddReport {
    /// Articles written (new or replacing a stored one).
    pub added: usize,
    /// Of those, how many replaced a stored article of the same id.
    pub replaced: usize,
    /// Articles already stored as they are: left alone.
    pub unchanged: usize,
    /// Reuse entries found.
    pub reuse: usize,
    /// Stories started.
    pub stories: usize,
}

const STATS_META: &str = "term-stats";

/// The three term statistics of [`StoryStats`] and the count of articles seen, as one blob.
fn stats_to_bytes(s: &StoryStats, seen: u64) -> Vec<u8> {
    let mut out = seen.to_le_bytes().to_vec();
    for t in [&s.words, &s.names, &s.numbers] {
        let b = t.to_bytes();
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(&b);
    }
    out
}

fn stats_from_bytes(b: &[u8]) -> Option<(StoryStats, u64)> {
    let word = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(
            b.get(at..at.checked_add(8)?)?.try_into().ok()?,
        ))
    };
    let seen = word(0)?;
    let mut at = 8;
    let mut parts = Vec::new();
    for _ in 0..3 {
        let len = usize::try_from(word(at)?).ok()?;
        let end = at.checked_add(8)?.checked_add(len)?;
        parts.push(TermStats::from_bytes(b.get(at + 8..end)?)?);
        at = end;
    }
    let numbers = parts.pop()?;
    let names = parts.pop()?;
    let words = parts.pop()?;
    Some((
        StoryStats {
            words,
            names,
            numbers,
        },
        seen,
    ))
}

/// The term statistics kept in a store (empty for a new one), and the articles seen.
fn load_stats(store: &mut dyn Store) -> Result<(StoryStats, u64)> {
    match store.meta(STATS_META)? {
        None => Ok((StoryStats::default(), 0)),
        Some(b) => match stats_from_bytes(&b) {
            Some(s) => Ok(s),
            None => bail!("the store's term statistics are damaged"),
        },
    }
}

/// An article made ready: anchored, its story terms counted.
struct Ready {
    anchors: Vec<u64>,
    terms: StoryTerms,
}

fn ready(a: &Article) -> Ready {
    Ready {
        anchors: anchors(&a.text),
        terms: StoryTerms::of(a),
    }
}

/// A pair to align: a batch article and either an earlier one of the batch or a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Other {
    Batch(usize),
    Stored(Key),
}

/// Fills a store, batch by batch.
pub struct Indexer<'s> {
    store: &'s mut dyn Store,
    cfg: IndexConfig,
    postings: Postings,
    /// Keys in `postings` are offsets from this one.
    base: Key,
    /// Anchors of each article in `postings`, by offset (zero where unknown).
    counts: Vec<u16>,
    /// Key blocks this run was given since `base`.
    own: Vec<(Key, Key)>,
    /// Unused keys of the last block, for articles and for stories: `[next, end)`.
    keys: (Key, Key),
    story_keys: (Key, Key),
    /// Another writer may add to the store at the same time (a database server says so; a
    /// SQLite file shows it by a gap between this run's key blocks): every batch then looks
    /// up the store below its own keys.
    shared: bool,
    /// Commits on a thread of its own, where there is one.
    writer: Option<Writer>,
    /// Articles in batches known committed.
    committed: u64,
    /// Articles below `base` may be stored: look their anchors up in the store.
    older: bool,
    stats: StoryStats,
    /// Articles seen by the statistics' sampling, and their count at the last save.
    seen: u64,
    saved_docs: usize,
    window: StoryWindow,
}

impl<'s> Indexer<'s> {
    pub fn new(store: &'s mut dyn Store, cfg: IndexConfig) -> Result<Self> {
        let (stats, seen) = load_stats(store)?;
        let older = !store.is_empty()?;
        let shared = store.many_writers();
        let mut window = StoryWindow::new(
            StoryConfig {
                neighbours: cfg.story_neighbours,
                terms_per_doc: cfg.story_terms,
                max_postings: cfg.story_postings,
                stream_join: cfg.story_join,
                ..cfg.pipeline.stories
            },
            cfg.window,
        );
        // The latest stored articles are where an arriving one's story most likely is: they
        // fill the window again (a fast scan each), so that runs continue each other's stories.
        if older {
            let latest = store.latest(cfg.window)?;
            let docs: Vec<(StoryDoc, i64)> = latest
                .par_iter()
                .map(|s| (StoryTerms::of(&s.article).doc(&stats), s.story))
                .collect();
            for (doc, story) in docs {
                let top = window.top(&doc);
                window.push(doc, top, story as u64);
            }
        }
        Ok(Indexer {
            saved_docs: stats.words.docs,
            stats,
            seen,
            postings: Postings::new(cfg.anchor_cap + 1),
            base: -1,
            counts: Vec::new(),
            own: Vec::new(),
            keys: (0, 0),
            story_keys: (0, 0),
            shared,
            writer: None,
            committed: 0,
            older,
            window,
            cfg,
            store,
        })
    }

    /// Heap bytes of the in-memory postings.
    pub fn memory(&self) -> usize {
        self.postings.bytes()
    }

    /// Commits through `store` (a second connection to the same store) on a thread of its
    /// own, so that a batch is written while the next one is prepared.
    pub fn with_writer(mut self, store: Box<dyn Store>) -> Self {
        self.writer = Some(Writer::start(store));
        self
    }

    /// Articles in batches committed so far (what is safe in the store).
    pub fn committed(&mut self) -> Result<u64> {
        if let Some(w) = &mut self.writer {
            self.committed += w.confirmed(false)?;
        }
        Ok(self.committed)
    }

    /// `n` fresh numbers of a counter, from a block taken from the store (blocks keep a
    /// store's lock rarely taken; a crash leaves a gap, which is harmless).
    fn take(&mut self, counter: &'static str, n: usize) -> Result<Key> {
        let block = (n as Key).max(KEY_BLOCK);
        let pool = if counter == "article" {
            self.keys
        } else {
            self.story_keys
        };
        let (next, end) = if pool.1 - pool.0 >= n as Key {
            pool
        } else {
            let first = self.store.allocate(counter, block as u64)?;
            if counter == "article" {
                // Another writer took keys since this run's last block: a shared store.
                if pool.1 > 0 && first != pool.1 {
                    self.shared = true;
                }
                self.own.push((first, first + block));
            }
            (first, first + block)
        };
        let rest = (next + n as Key, end);
        if counter == "article" {
            self.keys = rest;
        } else {
            self.story_keys = rest;
        }
        Ok(next)
    }

    /// Commits a batch: on the writer's thread if there is one (waiting for the one before
    /// it), else here.
    fn commit(&mut self, batch: Batch) -> Result<()> {
        match &mut self.writer {
            Some(w) => {
                self.committed += w.send(batch)?;
            }
            None => {
                self.store.commit(&batch)?;
                self.committed += batch.articles.len() as u64;
            }
        }
        Ok(())
    }

    /// Adds one batch of articles and commits it. Within the batch, the last article of an
    /// id wins.
    pub fn add(&mut self, mut articles: Vec<Article>) -> Result<AddReport> {
        let mut report = AddReport::default();
        let mut seen_ids = std::collections::HashSet::new();
        articles.reverse();
        articles.retain(|a| seen_ids.insert(a.id.0.clone()));
        articles.reverse();
        let ids: Vec<&str> = articles.iter().map(|a| a.id.0.as_str()).collect();
        let mut existing = self.store.existing(&ids)?;
        if let Some(w) = &self.writer {
            for (e, id) in existing.iter_mut().zip(&ids) {
                if let Some(&k) = w.ids.get(*id) {
                    *e = Some(k);
                }
            }
        }
        let mut todo = Vec::with_capacity(articles.len());
        // The stored versions of articles being replaced: not other articles to compare with.
        let mut replaced = std::collections::HashSet::new();
        for (a, old) in articles.into_iter().zip(existing) {
            let d = store::digest(&a);
            match old {
                Some((_, od)) if od == d => report.unchanged += 1,
                Some((key, _)) => {
                    report.replaced += 1;
                    replaced.insert(key);
                    todo.push((a, d));
                }
                None => todo.push((a, d)),
            }
        }
        let n = todo.len();
        report.added = n;
        if n == 0 {
            return Ok(report);
        }
        let lap = Lap::new();
        let first_key = self.take("article", n)?;
        if self.base < 0 || first_key - self.base + KEY_BLOCK > u32::MAX as i64 {
            self.wait_for_writer()?;
            self.reset_postings(first_key);
        }

        let (articles, digests): (Vec<Article>, Vec<i64>) = todo.into_iter().unzip();
        let readies: Vec<Ready> = articles.par_iter().map(ready).collect();
        lap.at("ready");
        for r in &readies {
            self.seen += 1;
            if self.seen <= self.cfg.full_stats
                || self.seen.is_multiple_of(self.cfg.stats_every.max(1))
            {
                r.terms.count(&mut self.stats);
            }
        }

        // Candidates, in order: each article is looked up among those before it.
        let mut pairs: Vec<(usize, Other)> = Vec::new();
        let mut holders = Vec::new();
        for (i, r) in readies.iter().enumerate() {
            let key = first_key + i as Key;
            let mut shared: FxHashMap<Other, Shared> = FxHashMap::default();
            let other = |k: Key| {
                if k >= first_key {
                    Other::Batch((k - first_key) as usize)
                } else {
                    Other::Stored(k)
                }
            };
            // Earlier articles in the store (earliest first), then those of this run.
            let mut disk = if self.shared {
                let mut lists =
                    self.store
                        .holders(&r.anchors, first_key, self.cfg.anchor_cap + 1)?;
                let (own, base) = (&self.own, self.base);
                for l in &mut lists {
                    l.retain(|&k| k < base || !own.iter().any(|&(a, b)| a <= k && k < b));
                }
                lists
            } else if self.older {
                self.store
                    .holders(&r.anchors, self.base, self.cfg.anchor_cap + 1)?
            } else {
                Vec::new()
            };
            for (x, &h) in r.anchors.iter().enumerate() {
                self.postings.holders(h, &mut holders);
                let mut keys = disk.get_mut(x).map(std::mem::take).unwrap_or_default();
                keys.extend(holders.iter().map(|&d| self.base + d as Key));
                count_holders(keys.into_iter().map(other), &mut shared, &self.cfg);
            }
            let at = (key - self.base) as u32;
            for &h in &r.anchors {
                self.postings.insert(h, at);
            }
            if self.counts.len() <= at as usize {
                self.counts.resize(at as usize + 1, 0);
            }
            self.counts[at as usize] = r.anchors.len().min(u16::MAX as usize) as u16;
            // The stored version of an article being replaced is not another article.
            shared.retain(|o, _| !matches!(o, Other::Stored(k) if replaced.contains(k)));
            // How many anchors the others have: from memory, else from the store (for those
            // that share enough to matter).
            let (counts, base) = (&self.counts, self.base);
            let in_memory = |k: Key| -> Option<usize> {
                let c = *counts.get(usize::try_from(k - base).ok()?)?;
                (c > 0).then_some(c as usize)
            };
            let unknown: Vec<Key> = shared
                .iter()
                .filter_map(|(o, c)| match *o {
                    Other::Stored(k) if c.rare >= self.cfg.min_shared && in_memory(k).is_none() => {
                        Some(k)
                    }
                    _ => None,
                })
                .collect();
            let on_disk: HashMap<Key, usize> = if unknown.is_empty() {
                HashMap::new()
            } else {
                let n = self.store.anchor_counts(&unknown)?;
                unknown
                    .into_iter()
                    .zip(n)
                    .filter_map(|(k, c)| Some((k, c?)))
                    .collect()
            };
            let other_count = |o: Other| match o {
                Other::Batch(j) => Some(readies[j].anchors.len()),
                Other::Stored(k) => in_memory(k).or_else(|| on_disk.get(&k).copied()),
            };
            let found = worth_aligning(shared, r.anchors.len(), other_count, &self.cfg);
            pairs.extend(found.into_iter().map(|o| (i, o)));
        }

        lap.at(&format!("candidates ({} pairs)", pairs.len()));
        // The stored articles to align with.
        let mut stored_keys: Vec<Key> = pairs
            .iter()
            .filter_map(|p| match p.1 {
                Other::Stored(k) => Some(k),
                Other::Batch(_) => None,
            })
            .collect();
        stored_keys.sort_unstable();
        stored_keys.dedup();
        let mut stored = self.store.articles(&stored_keys)?;
        if let Some(w) = &self.writer {
            // Those of the batch being written may not be in the store yet.
            let found: std::collections::HashSet<Key> = stored.iter().map(|s| s.key).collect();
            stored.extend(
                stored_keys
                    .iter()
                    .filter(|k| !found.contains(k))
                    .filter_map(|&k| w.article(k)),
            );
        }
        let stats = &self.stats.words;
        let stored_ready: Vec<AlignReady> = stored
            .par_iter()
            .map(|s| AlignReady::new(&s.article.text, stats))
            .collect();
        // Only the batch's articles in a pair are normalised in full.
        let mut in_pairs: Vec<usize> = pairs
            .iter()
            .flat_map(|&(i, o)| match o {
                Other::Batch(j) => vec![i, j],
                Other::Stored(_) => vec![i],
            })
            .collect();
        in_pairs.sort_unstable();
        in_pairs.dedup();
        let batch_ready: HashMap<usize, AlignReady> = in_pairs
            .into_par_iter()
            .map(|i| (i, AlignReady::new(&articles[i].text, stats)))
            .collect();
        let stored_at: HashMap<Key, usize> =
            stored.iter().enumerate().map(|(i, s)| (s.key, i)).collect();

        lap.at("fetch");
        // Align and judge: indices below `n` are the batch's, `n + i` the i-th stored one's.
        let cfg = self.cfg.pipeline;
        let found: Vec<Reuse> = pairs
            .par_iter()
            .filter_map(|&(i, o)| {
                let (b, bi, rb) = match o {
                    Other::Batch(j) => (&articles[j], j, batch_ready.get(&j)?),
                    Other::Stored(k) => {
                        let s = *stored_at.get(&k)?;
                        (&stored[s].article, n + s, &stored_ready[s])
                    }
                };
                let ra = batch_ready.get(&i)?;
                judge_ready((b, bi, rb), (&articles[i], i, ra), stats, &cfg)
            })
            .collect();
        report.reuse = found.len();
        lap.at("align");
        let key_of = |x: usize| {
            if x < n {
                first_key + x as Key
            } else {
                stored[x - n].key
            }
        };

        // Stories: a copy joins its source's story; else the likeliest story, else a new one.
        let mut partner: Vec<Option<usize>> = vec![None; n];
        for r in &found {
            let (x, y) = (r.source, r.derived);
            let (new, other) = match (x < n, y < n) {
                (true, true) => (x.max(y), x.min(y)),
                (true, false) => (x, y),
                (false, true) => (y, x),
                (false, false) => continue,
            };
            partner[new].get_or_insert(other);
        }
        let docs: Vec<StoryDoc> = readies
            .par_iter()
            .map(|r| r.terms.doc(&self.stats))
            .collect();
        lap.at("story docs");
        let tops: Vec<Vec<(u64, f32)>> = docs.par_iter().map(|d| self.window.top(d)).collect();
        let near = self.window.near(&docs, &tops);
        lap.at("story near");
        let mut story = vec![0i64; n];
        let mut added: HashMap<u64, usize> = HashMap::new();
        let mut deltas: HashMap<i64, StoryDelta> = HashMap::new();
        let mut fresh: Vec<usize> = Vec::new();
        for i in 0..n {
            let joined = match partner[i] {
                Some(o) if o < n => Some(story[o]),
                Some(o) => Some(stored[o - n].story),
                None => self
                    .window
                    .best(&near[i], |j| story[j] as u64, &added)
                    .map(|s| s as i64),
            };
            let s = match joined {
                Some(s) => s,
                None => {
                    fresh.push(i);
                    self.take("story", 1)?
                }
            };
            story[i] = s;
            *added.entry(s as u64).or_insert(0) += 1;
            deltas
                .entry(s)
                .or_insert_with(|| StoryDelta {
                    id: s,
                    title: story_title(&articles[i]),
                    size: 0,
                })
                .size += 1;
        }
        lap.at("story choice");
        for ((doc, top), &s) in docs.into_iter().zip(tops).zip(&story) {
            self.window.push(doc, top, s as u64);
        }
        report.stories = fresh.len();
        lap.at("stories");

        let mut batch = Batch {
            articles: articles
                .into_iter()
                .zip(digests)
                .zip(readies)
                .enumerate()
                .map(|(i, ((article, digest), r))| NewArticle {
                    key: first_key + i as Key,
                    digest,
                    story: story[i],
                    anchors: r.anchors,
                    article,
                })
                .collect(),
            reuse: found
                .iter()
                .map(|r| StoredReuse {
                    source: key_of(r.source),
                    derived: key_of(r.derived),
                    relation: r.relation.as_str().to_string(),
                    confidence: r.confidence,
                    source_coverage: r.source_coverage,
                    derived_coverage: r.derived_coverage,
                    passages: r
                        .passages
                        .iter()
                        .map(|p| (p.source, p.derived, p.kind.as_str().to_string()))
                        .collect(),
                    evidence: r.evidence.clone(),
                })
                .collect(),
            stories: {
                let mut d: Vec<StoryDelta> = deltas.into_values().collect();
                d.sort_by_key(|s| s.id);
                d
            },
            meta: Vec::new(),
        };
        // The statistics go with the articles they count, each batch while they are young (a
        // rerun after a crash then weighs words as an uninterrupted run does); once they count
        // `full_stats` articles, when they have grown by a fiftieth: rewriting them (megabytes)
        // with every batch was work on the hot path for a change of a hundred articles.
        let docs = self.stats.words.docs;
        if docs != self.saved_docs
            && (docs as u64 <= self.cfg.full_stats
                || docs >= self.saved_docs + self.saved_docs / 50)
        {
            batch.meta.push(self.stats_blob());
        }
        self.commit(batch)?;
        lap.at("commit");
        if self.postings.bytes() > self.cfg.memory_budget {
            // The batch in flight must be on disk before its articles leave memory.
            self.wait_for_writer()?;
            self.reset_postings(first_key + n as Key);
        }
        Ok(report)
    }

    fn stats_blob(&mut self) -> (String, Vec<u8>) {
        self.saved_docs = self.stats.words.docs;
        (
            STATS_META.to_string(),
            stats_to_bytes(&self.stats, self.seen),
        )
    }

    /// Forgets the in-memory postings: articles from `key` on are held in memory, earlier
    /// ones are looked up in the store.
    fn reset_postings(&mut self, key: Key) {
        if self.base >= 0 {
            self.older = true;
        }
        self.postings = Postings::new(self.cfg.anchor_cap + 1);
        self.counts = Vec::new();
        self.base = key;
        // Blocks wholly below the new base are looked up on disk anyway.
        self.own.retain(|&(_, end)| end > key);
    }

    /// Waits until every batch sent to the writer is committed.
    fn wait_for_writer(&mut self) -> Result<()> {
        if let Some(w) = &mut self.writer {
            self.committed += w.confirmed(true)?;
        }
        Ok(())
    }

    /// Saves what is not yet saved (the term statistics) and waits for every commit; returns
    /// the articles committed in all.
    pub fn finish(mut self) -> Result<u64> {
        if self.stats.words.docs != self.saved_docs {
            let meta = vec![self.stats_blob()];
            self.commit(Batch {
                meta,
                ..Default::default()
            })?;
        }
        if let Some(w) = self.writer.take() {
            self.committed += w.stop()?;
        }
        Ok(self.committed)
    }
}

/// Keys taken from the store at a time.
const KEY_BLOCK: Key = 100_000;

/// The thread that commits batches, and what it has not yet confirmed. One batch is in
/// flight at most: sending the next waits for the one before to be committed.
struct Writer {
    send: Option<std::sync::mpsc::SyncSender<std::sync::Arc<Batch>>>,
    done: std::sync::mpsc::Receiver<Result<u64>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Batches sent and not confirmed.
    pending: usize,
    /// The batch in flight (its keys run on from its first article's), and its ids (key,
    /// digest).
    in_flight: Option<std::sync::Arc<Batch>>,
    ids: HashMap<String, (Key, i64)>,
}

impl Writer {
    fn start(mut store: Box<dyn Store>) -> Self {
        let (send, batches) = std::sync::mpsc::sync_channel::<std::sync::Arc<Batch>>(0);
        let (report, done) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            for batch in batches {
                let r = store.commit(&batch).map(|()| batch.articles.len() as u64);
                let failed = r.is_err();
                if report.send(r).is_err() || failed {
                    return;
                }
            }
        });
        Writer {
            send: Some(send),
            done,
            thread: Some(thread),
            pending: 0,
            in_flight: None,
            ids: HashMap::new(),
        }
    }

    /// An article of the batch in flight, which may not be in the store yet.
    fn article(&self, key: Key) -> Option<StoredArticle> {
        let batch = self.in_flight.as_ref()?;
        let at = usize::try_from(key - batch.articles.first()?.key).ok()?;
        let a = batch.articles.get(at).filter(|a| a.key == key)?;
        Some(StoredArticle {
            key,
            story: a.story,
            article: a.article.clone(),
        })
    }

    /// Hands a batch over (once the one before is being committed, nothing is left to wait
    /// for but its confirmation); returns the articles confirmed meanwhile.
    fn send(&mut self, batch: Batch) -> Result<u64> {
        let ids = batch
            .articles
            .iter()
            .map(|a| (a.article.id.0.clone(), (a.key, a.digest)))
            .collect();
        let batch = std::sync::Arc::new(batch);
        let sent = self.send.as_ref().map(|s| s.send(batch.clone()));
        if !matches!(sent, Some(Ok(()))) {
            // The thread has stopped: its error says why.
            return Err(self.stop_now());
        }
        self.pending += 1;
        self.in_flight = Some(batch);
        self.ids = ids;
        self.confirmed(false)
    }

    /// Articles of the batches confirmed since the last call; with `all`, waits for every
    /// batch sent.
    fn confirmed(&mut self, all: bool) -> Result<u64> {
        let mut n = 0;
        while self.pending > 0 {
            let r = if all {
                self.done.recv().map_err(|_| ())
            } else {
                match self.done.try_recv() {
                    Ok(r) => Ok(r),
                    Err(std::sync::mpsc::TryRecvError::Empty) => break,
                    Err(_) => Err(()),
                }
            };
            match r {
                Ok(Ok(k)) => {
                    n += k;
                    self.pending -= 1;
                }
                Ok(Err(e)) => return Err(e),
                Err(()) => return Err(anyhow::anyhow!("the store's writer stopped")),
            }
        }
        if self.pending == 0 {
            self.in_flight = None;
            self.ids.clear();
        }
        Ok(n)
    }

    /// The error that stopped the thread.
    fn stop_now(&mut self) -> anyhow::Error {
        self.send = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        match self.done.try_iter().find_map(|r| r.err()) {
            Some(e) => e,
            None => anyhow::anyhow!("the store's writer stopped"),
        }
    }

    /// Waits for every batch sent, then stops the thread; returns the articles confirmed.
    fn stop(mut self) -> Result<u64> {
        let n = self.confirmed(true)?;
        self.send = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        Ok(n)
    }
}

/// Per-step times of a batch on stderr, where `NEWSTRACE_TIMING` is set.
struct Lap(Option<std::cell::Cell<std::time::Instant>>);

impl Lap {
    fn new() -> Self {
        Lap(std::env::var_os("NEWSTRACE_TIMING")
            .map(|_| std::cell::Cell::new(std::time::Instant::now())))
    }

    fn at(&self, step: &str) {
        if let Some(t) = &self.0 {
            eprintln!("timing: {step}: {:.3} s", t.get().elapsed().as_secs_f64());
            t.set(std::time::Instant::now());
        }
    }
}

/// A stored reuse entry as the engine's [`Reuse`] between articles `source` and `derived`
/// (indices); `None` where its relation is not one the engine knows.
pub fn from_stored(r: &StoredReuse, source: usize, derived: usize) -> Option<Reuse> {
    use crate::align::PassageKind;
    use crate::judge::{Relation, ReusedPassage};
    let relation = match r.relation.as_str() {
        "copy" => Relation::Copy,
        "rewrite" => Relation::Rewrite,
        "spin" => Relation::Spin,
        _ => return None,
    };
    let passages = r
        .passages
        .iter()
        .filter_map(|(s, d, k)| {
            let kind = match k.as_str() {
                "identical" => PassageKind::Identical,
                "edited" => PassageKind::Edited,
                "paraphrased" => PassageKind::Paraphrased,
                "spun" => PassageKind::Spun,
                _ => return None,
            };
            Some(ReusedPassage {
                source: *s,
                derived: *d,
                kind,
            })
        })
        .collect();
    Some(Reuse {
        source,
        derived,
        relation,
        confidence: r.confidence,
        source_coverage: r.source_coverage,
        derived_coverage: r.derived_coverage,
        passages,
        evidence: r.evidence.clone(),
    })
}

/// Reuse between a new article and stored ones: indices in `reuse` point into `articles`,
/// where 0 is the new article.
#[derive(Debug, Clone)]
pub struct Found {
    pub articles: Vec<Article>,
    /// The direct sources and derivatives: what `index query` reports.
    pub reuse: Vec<Reuse>,
    /// Every stored article judged to share text with the new one, direct or not.
    pub judged: Vec<Reuse>,
}

/// Answers `index query`: which stored articles a new one took from, and which took from it.
pub struct Searcher<'s> {
    store: &'s mut dyn Store,
    cfg: IndexConfig,
    stats: Arc<TermStats>,
}

impl<'s> Searcher<'s> {
    pub fn new(store: &'s mut dyn Store, cfg: IndexConfig) -> Result<Self> {
        let stats = Self::stored_stats(store)?;
        Ok(Self::with_stats(store, cfg, stats))
    }

    /// The stored term statistics that searches weigh words by. Decoding them is most of the
    /// cost of a one-off search on a big store (5.5 MB at 10⁶ articles): a long-lived caller
    /// (`serve`) loads them once in a while and hands them to [`Searcher::with_stats`].
    pub fn stored_stats(store: &mut dyn Store) -> Result<Arc<TermStats>> {
        Ok(Arc::new(load_stats(store)?.0.words))
    }

    pub fn with_stats(store: &'s mut dyn Store, cfg: IndexConfig, stats: Arc<TermStats>) -> Self {
        Searcher { store, cfg, stats }
    }

    pub fn search(&mut self, article: &Article) -> Result<Found> {
        let mine = anchors(&article.text);
        let lists = self
            .store
            .holders(&mine, Key::MAX, self.cfg.anchor_cap + 1)?;
        let mut shared: FxHashMap<Key, Shared> = FxHashMap::default();
        for list in lists {
            count_holders(list.into_iter(), &mut shared, &self.cfg);
        }
        let sure: Vec<Key> = shared
            .iter()
            .filter(|(_, c)| c.rare >= self.cfg.min_shared)
            .map(|(&k, _)| k)
            .collect();
        let counts: HashMap<Key, usize> = sure
            .iter()
            .copied()
            .zip(self.store.anchor_counts(&sure)?)
            .filter_map(|(k, c)| Some((k, c?)))
            .collect();
        let keys = worth_aligning(shared, mine.len(), |k| counts.get(&k).copied(), &self.cfg);
        let stored: Vec<StoredArticle> = self
            .store
            .articles(&keys)?
            .into_iter()
            .filter(|s| s.article.id != article.id)
            .collect();
        let stats = &self.stats;
        let cfg = self.cfg.pipeline;
        let mine = AlignReady::new(&article.text, stats);
        let reuse: Vec<Reuse> = stored
            .par_iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let rs = AlignReady::new(&s.article.text, stats);
                judge_ready((&s.article, i + 1, &rs), (article, 0, &mine), stats, &cfg)
            })
            .collect();
        // As `analyze` does, name only the sources each article took from directly: the
        // store's entries between the others tell which of them took from which.
        let at: HashMap<Key, usize> = stored
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key, i + 1))
            .collect();
        let judged = reuse.clone();
        let mut all = reuse;
        for s in &stored {
            for r in self.store.reuse_of(s.key)? {
                // Each link between two candidates once: from its source's side.
                if r.source != s.key {
                    continue;
                }
                if let (Some(&a), Some(&b)) = (at.get(&r.source), at.get(&r.derived)) {
                    all.extend(from_stored(&r, a, b));
                }
            }
        }
        let reuse = crate::lineage::name_direct_sources(all)
            .into_iter()
            .filter(|r| r.source == 0 || r.derived == 0)
            .collect();
        let mut articles = vec![article.clone()];
        articles.extend(stored.into_iter().map(|s| s.article));
        Ok(Found {
            articles,
            reuse,
            judged,
        })
    }
}
