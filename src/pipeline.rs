//! The pipeline, stage after stage: read → extract → normalise → fingerprint → candidates →
//! align → judge → stories. [`load`] runs the first two, [`analyze`] the rest.
//!
//! Invariant: the result depends on the set of articles, not on the order they were given
//! in: articles are put in id order first, and every later stage is deterministic.

use crate::align::{align, AlignConfig, AlignDoc, Alignment};
use crate::article::{Article, DocId};
use crate::candidates::{candidate_pairs, near_duplicates, shared_shingles, CandidateConfig};
use crate::extract::extract;
use crate::fingerprint::{content_terms, shingles, TermStats, TermVector};
use crate::judge::{judge, JudgeConfig, Relation, Reuse};
use crate::lineage;
use crate::names::{names_in, Name, Variants};
use crate::normalize::{normalize, Lexicon, Normalized};
use crate::read::{read_paths, Body, Limits, RawDoc, Skipped};
use crate::stories::{group, join, most_central, StoryConfig, StoryDoc};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

/// Every stage's settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Config {
    pub limits: Limits,
    pub candidates: CandidateConfig,
    pub align: AlignConfig,
    pub judge: JudgeConfig,
    pub stories: StoryConfig,
}

/// A group of articles reporting one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// A readable title: the headline (or lead) of the story's most central article.
    pub title: String,
    /// Indices into [`Analysis::articles`], ordered by publication time where known.
    pub articles: Vec<usize>,
}

/// The answer for a collection of articles.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub articles: Vec<Article>,
    pub stories: Vec<Story>,
    pub reuse: Vec<Reuse>,
    pub skipped: Vec<Skipped>,
}

/// Reads and extracts every article under `paths`; unreadable documents are returned as
/// skips, in input order.
pub fn load(paths: &[PathBuf], limits: Limits) -> (Vec<Article>, Vec<Skipped>) {
    // Pages are extracted a chunk at a time as they are read, so that memory holds one
    // chunk of raw pages (a 2 GB WARC file is 2 GB of HTML; its articles' text a tenth).
    const CHUNK_BYTES: usize = 64 << 20;
    let mut raws: Vec<RawDoc> = Vec::new();
    let mut raw_bytes = 0usize;
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    let extract_chunk =
        |raws: &mut Vec<RawDoc>, articles: &mut Vec<Article>, skipped: &mut Vec<Skipped>| {
            let extracted: Vec<Result<Article, Skipped>> =
                std::mem::take(raws).into_par_iter().map(extract).collect();
            for e in extracted {
                match e {
                    Ok(a) => articles.push(a),
                    Err(s) => skipped.push(s),
                }
            }
        };
    read_paths(paths, limits, &mut |item| match item {
        Ok(r) => {
            raw_bytes += match &r.body {
                Body::Text(t) | Body::Html(t) => t.len(),
            };
            raws.push(r);
            if raw_bytes >= CHUNK_BYTES {
                extract_chunk(&mut raws, &mut articles, &mut skipped);
                raw_bytes = 0;
            }
        }
        Err(s) => skipped.push(s),
    });
    extract_chunk(&mut raws, &mut articles, &mut skipped);
    crate::extract::furniture::strip_outlet_repeats(&mut articles);
    (articles, skipped)
}

/// Articles normalised and fingerprinted, ready to align.
struct Prepared {
    norms: Vec<Normalized>,
    /// Each article's distinct content terms, sorted.
    doc_terms: Vec<Vec<u64>>,
    /// What each article's story is recognised by.
    story_docs: Vec<StoryDoc>,
    /// Spelling variants of the corpus's names.
    variants: Variants,
    /// Shingles shared by pairs of articles.
    shared: HashMap<(u32, u32), u32>,
    chars: Vec<usize>,
    stats: TermStats,
    /// Per article and sentence: seen in articles of many different stories, boilerplate
    /// ("Follow us for updates"), never evidence of reuse.
    boilerplate: Vec<Vec<bool>>,
    /// Per article, its sentences' vectors under corpus weights alone (boilerplate empty):
    /// what pass 1 aligns with, computed once rather than once per pair.
    sentence_vectors: Vec<Vec<TermVector>>,
}

/// A sentence's identity for boilerplate detection: the hash of its normalised words.
fn sentence_key(n: &Normalized, s: &crate::normalize::Sentence) -> u64 {
    let mut buf = Vec::with_capacity(8 * s.tokens.len());
    for t in &n.tokens[s.tokens.clone()] {
        buf.extend_from_slice(&t.hash.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&buf)
}

fn prepare(articles: &[Article], cfg: &Config) -> Prepared {
    let mut lexicon = Lexicon::default();
    for a in articles {
        lexicon.add_text(&a.text);
    }
    let norms: Vec<Normalized> = articles
        .par_iter()
        .map(|a| normalize(&a.text, Some(&lexicon)))
        .collect();
    let shingles: Vec<Vec<u64>> = norms.par_iter().map(|n| shingles(&n.tokens)).collect();
    let shared = shared_shingles(&shingles, &cfg.candidates);
    // Document frequencies over distinct texts: a story republished a hundred times must not
    // make its own words look common.
    let mut stats = TermStats::default();
    for group in near_duplicates(&shingles, &shared, 0.5) {
        stats.add(&norms[group[0]].tokens);
    }
    let doc_terms = norms.par_iter().map(|n| content_terms(&n.tokens)).collect();
    let doc_vectors: Vec<TermVector> = norms
        .par_iter()
        .map(|n| TermVector::from_tokens(n.tokens.iter(), &stats))
        .collect();
    let chars = articles.iter().map(|a| a.text.chars().count()).collect();
    let (story_docs, variants) = story_docs(articles, &norms, &stats, doc_vectors);
    Prepared {
        norms,
        doc_terms,
        story_docs,
        variants,
        shared,
        chars,
        stats,
        boilerplate: Vec::new(),
        sentence_vectors: Vec::new(),
    }
}

/// How many voices of a story use each content term: the event's shared vocabulary.
type StoryVocabulary = HashMap<u64, u32>;

/// Articles grouped into voices: an article with its copies and spins. Each voice has the
/// union of its articles' content terms.
struct Voices {
    of: Vec<usize>,
    terms: Vec<Vec<u64>>,
}

impl Voices {
    fn new(prep: &Prepared, links: impl Iterator<Item = (usize, usize)>) -> Self {
        let n = prep.doc_terms.len();
        let mut of = vec![0usize; n];
        for (voice, members) in crate::groups::connected(n, links).into_iter().enumerate() {
            for d in members {
                of[d] = voice;
            }
        }
        let mut terms: Vec<Vec<u64>> = vec![Vec::new(); n];
        for d in 0..n {
            terms[of[d]].extend_from_slice(&prep.doc_terms[d]);
        }
        for t in &mut terms {
            t.sort_unstable();
            t.dedup();
        }
        Voices { of, terms }
    }

    fn has(&self, voice: usize, h: u64) -> bool {
        self.terms[voice].binary_search(&h).is_ok()
    }

    fn vocabulary(&self, members: &[usize]) -> StoryVocabulary {
        let mut voices: Vec<usize> = members.iter().map(|&d| self.of[d]).collect();
        voices.sort_unstable();
        voices.dedup();
        let mut v = HashMap::new();
        for voice in voices {
            for &t in &self.terms[voice] {
                *v.entry(t).or_insert(0) += 1;
            }
        }
        v
    }
}

/// Marks a name's term apart from a word's.
pub(crate) const NAME_TERM: u64 = 0x9E37_79B9_7F4A_7C15;

/// What each article's story is recognised by: its words' vector (`words`, moved in), and vectors of its
/// names (variants folded into one spelling), numbers, and headline with the lead's first two
/// sentences, each weighted by its own corpus document frequencies.
fn story_docs(
    articles: &[Article],
    norms: &[Normalized],
    stats: &TermStats,
    words: Vec<TermVector>,
) -> (Vec<StoryDoc>, Variants) {
    let names: Vec<Vec<Name>> = articles
        .par_iter()
        .zip(norms)
        .map(|(a, n)| names_in(&a.text, n))
        .collect();
    let variants = Variants::learn(&names, &words);
    let name_counts: Vec<HashMap<u64, f32>> = names
        .par_iter()
        .map(|ns| count_names(ns, &variants))
        .collect();
    let number_counts: Vec<HashMap<u64, f32>> = norms.par_iter().map(count_numbers).collect();
    let (mut name_stats, mut number_stats) = (TermStats::default(), TermStats::default());
    for (n, m) in name_counts.iter().zip(&number_counts) {
        name_stats.add_terms(n.keys().copied());
        number_stats.add_terms(m.keys().copied());
    }
    let weights = [stats, &name_stats, &number_stats];
    let docs = name_counts
        .into_par_iter()
        .zip(number_counts)
        .zip(words)
        .enumerate()
        .map(|(d, ((names, numbers), words))| {
            assemble_story_doc(&articles[d], &norms[d], words, names, numbers, weights)
        })
        .collect();
    (docs, variants)
}

/// The document frequencies a story fingerprint is weighted by: of words, of names and of
/// numbers.
#[derive(Debug, Default, Clone)]
pub struct StoryStats {
    pub words: TermStats,
    pub names: TermStats,
    pub numbers: TermStats,
}

fn count_names(ns: &[Name], variants: &Variants) -> HashMap<u64, f32> {
    let mut c: HashMap<u64, f32> = HashMap::new();
    for n in ns {
        let key = crate::normalize::term_hash(variants.canonical(&n.key)) ^ NAME_TERM;
        for h in n.terms.iter().copied().chain([key]) {
            *c.entry(h).or_insert(0.0) += 1.0;
        }
    }
    c
}

fn count_numbers(n: &Normalized) -> HashMap<u64, f32> {
    let mut c: HashMap<u64, f32> = HashMap::new();
    for t in n.tokens.iter().filter(|t| t.number) {
        *c.entry(t.hash).or_insert(0.0) += 1.0;
    }
    c
}

fn assemble_story_doc(
    article: &Article,
    n: &Normalized,
    words: TermVector,
    names: HashMap<u64, f32>,
    numbers: HashMap<u64, f32>,
    [word_stats, name_stats, number_stats]: [&TermStats; 3],
) -> StoryDoc {
    let lead_end = n.sentences.get(1).or(n.sentences.first());
    let lead_tokens = &n.tokens[..lead_end.map_or(0, |s| s.tokens.end)];
    let title = article
        .title
        .as_deref()
        .map(|t| normalize(t, None))
        .unwrap_or_default();
    StoryDoc {
        words,
        names: TermVector::from_counts(names, name_stats),
        numbers: TermVector::from_counts(numbers, number_stats),
        lead: TermVector::from_tokens(title.tokens.iter().chain(lead_tokens), word_stats),
        day: article.published.map(|t| t.timestamp() as f64 / 86_400.0),
    }
}

/// Articles fingerprinted for story grouping, with the name variants the corpus showed: what
/// [`crate::stories::group`] and [`crate::stories::StoryStream`] take. Articles are used in
/// the order given.
pub fn story_fingerprints(articles: &[Article], cfg: &Config) -> (Vec<StoryDoc>, Variants) {
    let prep = prepare(articles, cfg);
    (prep.story_docs, prep.variants)
}

impl Prepared {
    /// Marks the boilerplate sentences (by [`sentence_key`]) and computes the corpus-weighted
    /// sentence vectors pass 1 aligns with.
    fn set_boilerplate(&mut self, keys: std::collections::HashSet<u64>) {
        self.boilerplate = self
            .norms
            .iter()
            .map(|n| {
                n.sentences
                    .iter()
                    .map(|s| keys.contains(&sentence_key(n, s)))
                    .collect()
            })
            .collect();
        let stats = &self.stats;
        self.sentence_vectors = self
            .norms
            .par_iter()
            .zip(&self.boilerplate)
            .map(|(n, boiler)| {
                n.sentences
                    .iter()
                    .zip(boiler)
                    .map(|(s, &b)| {
                        if b {
                            TermVector::default()
                        } else {
                            TermVector::of_sentence(&n.tokens, s, |h| stats.idf(h))
                        }
                    })
                    .collect()
            })
            .collect();
    }

    /// Aligns articles `i` and `j`. A word counts for reuse as much as it is rare in the
    /// corpus (IDF) *and* unshared by the other reports of their story: names and facts that
    /// every report of an event carries are no sign that one took from the other.
    fn align_pair(
        &self,
        i: usize,
        j: usize,
        story: Option<(&StoryVocabulary, &Voices)>,
        cfg: &AlignConfig,
    ) -> Alignment {
        let weight = |h: u64| {
            let others = story
                .and_then(|(v, voices)| {
                    let df = *v.get(&h)?;
                    let (vi, vj) = (voices.of[i], voices.of[j]);
                    let mut own = voices.has(vi, h) as u32;
                    if vj != vi {
                        own += voices.has(vj, h) as u32;
                    }
                    Some(df.saturating_sub(own))
                })
                .unwrap_or(0);
            self.stats.idf(h) / (1.0 + others as f32)
        };
        let vectors = |d: usize| -> Vec<TermVector> {
            let n = &self.norms[d];
            n.sentences
                .iter()
                .zip(&self.boilerplate[d])
                .map(|(s, &boiler)| {
                    if boiler {
                        TermVector::default()
                    } else {
                        TermVector::of_sentence(&n.tokens, s, weight)
                    }
                })
                .collect()
        };
        // Under corpus weights alone the vectors do not depend on the pair: reuse them.
        let owned;
        let (vi, vj): (&[TermVector], &[TermVector]) = if story.is_none() {
            (&self.sentence_vectors[i], &self.sentence_vectors[j])
        } else {
            owned = (vectors(i), vectors(j));
            (&owned.0, &owned.1)
        };
        align(
            &AlignDoc {
                norm: &self.norms[i],
                sentence_vectors: vi,
                chars: self.chars[i],
            },
            &AlignDoc {
                norm: &self.norms[j],
                sentence_vectors: vj,
                chars: self.chars[j],
            },
            &self.stats,
            cfg,
        )
    }
}

/// Prints the time of each stage to stderr when `NEWSTRACE_TIMING` is set.
struct StageTimer(Option<std::cell::Cell<std::time::Instant>>);

impl StageTimer {
    fn new() -> Self {
        StageTimer(
            std::env::var_os("NEWSTRACE_TIMING")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn lap(&self, stage: &str) {
        if let Some(t) = &self.0 {
            eprintln!("timing: {stage}: {:.2} s", t.get().elapsed().as_secs_f64());
            t.set(std::time::Instant::now());
        }
    }
}

/// Gives every article a distinct id: repeats get `#2`, `#3`, … (the first free one) in
/// sorted order.
fn dedupe_ids(articles: &mut [Article]) {
    let mut used: std::collections::HashSet<String> =
        articles.iter().map(|a| a.id.0.clone()).collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for a in articles.iter_mut() {
        if seen.insert(a.id.0.clone()) {
            continue;
        }
        let mut n = 2;
        let fresh = loop {
            let candidate = format!("{}#{}", a.id.0, n);
            if !used.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        used.insert(fresh.clone());
        seen.insert(fresh.clone());
        a.id = DocId(fresh);
    }
}

/// Runs the pipeline from normalisation to stories over extracted articles.
pub fn analyze(mut articles: Vec<Article>, skipped: Vec<Skipped>, cfg: &Config) -> Analysis {
    articles.sort_by(|a, b| a.id.cmp(&b.id).then(a.source_path.cmp(&b.source_path)));
    dedupe_ids(&mut articles);
    let timer = StageTimer::new();
    let mut prep = prepare(&articles, cfg);
    timer.lap("normalise + fingerprint");

    // Stories by content first: they tell which words are an event's common vocabulary.
    let first_stories = group(&prep.story_docs, &cfg.stories);
    timer.lap("stories");
    let mut story_of = vec![0usize; articles.len()];
    for (s, members) in first_stories.iter().enumerate() {
        for &d in members {
            story_of[d] = s;
        }
    }
    prep.set_boilerplate(boilerplate(&prep, &story_of));
    let prep = prep;
    let words: Vec<&TermVector> = prep.story_docs.iter().map(|d| &d.words).collect();
    let pairs = candidate_pairs(&prep.shared, &words, &cfg.candidates);
    timer.lap(&format!("candidates ({} pairs)", pairs.len()));

    // Pass 1: copies and spins keep their source's word order, which independent reports
    // never do; corpus weights alone tell them.
    // Each pair also says whether it could still be a rewrite: one needs a chain of matched
    // sentences, which weighting words by the story only thins out.
    let judged: Vec<(Option<Reuse>, bool)> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let al = prep.align_pair(i, j, None, &cfg.align);
            let maybe_rewrite = al.matches.len() >= cfg.judge.min_rewrite_sentences.min(2);
            let r = judge(&articles[i], i, &articles[j], j, &al, &cfg.judge)
                .filter(|r| r.relation != Relation::Rewrite);
            (r, maybe_rewrite)
        })
        .collect();
    let (first, maybe_rewrite): (Vec<Option<Reuse>>, Vec<bool>) = judged.into_iter().unzip();

    // An article and its copies and spins are one voice: their shared words must not make
    // an event's vocabulary look common.
    let voices = Voices::new(&prep, first.iter().flatten().map(|r| (r.source, r.derived)));
    let vocabularies: Vec<Option<StoryVocabulary>> = first_stories
        .par_iter()
        .map(|m| (m.len() > 2).then(|| voices.vocabulary(m)))
        .collect();

    // Pass 2: rewrites, judged on the words two articles share that the story's other
    // voices do not. Two articles of different stories (two events of one kind: two rehab
    // stays, two quakes) are judged against the voices of both stories: the words of their
    // kind of event are no sign that one took from the other.
    timer.lap("align + judge, pass 1");
    let rewrite_pairs: Vec<(usize, usize)> = pairs
        .iter()
        .zip(first.iter().zip(&maybe_rewrite))
        .filter(|(_, (f, maybe))| f.is_none() && **maybe)
        .map(|(&p, _)| p)
        .collect();
    let mut story_pairs: Vec<(usize, usize)> = rewrite_pairs
        .iter()
        .map(|&(i, j)| (story_of[i].min(story_of[j]), story_of[i].max(story_of[j])))
        .filter(|(a, b)| a != b)
        .collect();
    story_pairs.sort_unstable();
    story_pairs.dedup();
    let joint: HashMap<(usize, usize), StoryVocabulary> = story_pairs
        .into_par_iter()
        .map(|(a, b)| {
            let mut members = first_stories[a].clone();
            members.extend(&first_stories[b]);
            ((a, b), voices.vocabulary(&members))
        })
        .collect();
    let second: Vec<Reuse> = rewrite_pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (si, sj) = (story_of[i], story_of[j]);
            let story = if si == sj {
                vocabularies[si].as_ref()
            } else {
                joint.get(&(si.min(sj), si.max(sj)))
            }
            .map(|v| (v, &voices));
            let al = prep.align_pair(i, j, story, &cfg.align);
            judge(&articles[i], i, &articles[j], j, &al, &cfg.judge)
        })
        .collect();
    let mut reuse: Vec<Reuse> = first.into_iter().flatten().chain(second).collect();
    reuse.sort_by_key(|r| (r.source, r.derived));
    lineage::orient_mashups(&mut reuse, &articles, &story_of);
    let reuse = lineage::break_cycles(lineage::name_direct_sources(reuse));

    timer.lap("align + judge, pass 2; lineage");
    let links: Vec<(usize, usize)> = reuse.iter().map(|r| (r.source, r.derived)).collect();
    let groups = join(&first_stories, &links);
    let mut stories: Vec<Story> = groups
        .into_iter()
        .map(|mut g| {
            let face = most_central(&g, &prep.story_docs);
            g.sort_by(|&x, &y| {
                let (px, py) = (articles[x].published, articles[y].published);
                match (px, py) {
                    (Some(a), Some(b)) => a.cmp(&b),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
                .then(x.cmp(&y))
            });
            Story {
                title: story_title(&articles[face]),
                articles: g,
            }
        })
        .collect();
    stories.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(articles[a.articles[0]].id.cmp(&articles[b.articles[0]].id))
    });
    Analysis {
        articles,
        stories,
        reuse,
        skipped,
    }
}

/// Aligns and judges two articles alone: `compare`'s answer. Indices in the result are
/// 0 for `a` and 1 for `b`.
pub fn compare(a: &Article, b: &Article, cfg: &Config) -> Option<Reuse> {
    compare_aligned(a, b, cfg).1
}

/// [`compare`], with the sentence alignment the judgement rests on (to explain a "no").
pub fn compare_aligned(a: &Article, b: &Article, cfg: &Config) -> (Alignment, Option<Reuse>) {
    let articles = [a.clone(), b.clone()];
    let mut prep = prepare(&articles, cfg);
    prep.set_boilerplate(Default::default());
    let al = prep.align_pair(0, 1, None, &cfg.align);
    let r = judge(a, 0, b, 1, &al, &cfg.judge);
    (al, r)
}

/// An article made ready to be aligned under fixed corpus weights, without the rest of its
/// corpus at hand: what a store aligns a new article and a stored one with.
pub struct AlignReady {
    pub norm: Normalized,
    sentence_vectors: Vec<TermVector>,
    chars: usize,
}

impl AlignReady {
    /// Normalises `text` (no corpus lexicon) and weighs its sentences by `stats`.
    pub fn new(text: &str, stats: &TermStats) -> Self {
        Self::of(normalize(text, None), text, stats)
    }

    /// As [`AlignReady::new`], from a text already normalised.
    pub fn of(norm: Normalized, text: &str, stats: &TermStats) -> Self {
        let sentence_vectors = norm
            .sentences
            .iter()
            .map(|s| TermVector::of_sentence(&norm.tokens, s, |h| stats.idf(h)))
            .collect();
        AlignReady {
            norm,
            sentence_vectors,
            chars: text.chars().count(),
        }
    }
}

/// Aligns and judges two prepared articles (indices `ai`, `bi` go into the [`Reuse`]) under
/// corpus weights alone, as `analyze`'s first pass does: copies and spins. A rewrite needs
/// the voices of its story, which a pair alone does not show; it is not returned.
pub fn judge_ready(
    (a, ai, ra): (&Article, usize, &AlignReady),
    (b, bi, rb): (&Article, usize, &AlignReady),
    stats: &TermStats,
    cfg: &Config,
) -> Option<Reuse> {
    fn doc(r: &AlignReady) -> AlignDoc<'_> {
        AlignDoc {
            norm: &r.norm,
            sentence_vectors: &r.sentence_vectors,
            chars: r.chars,
        }
    }
    let al = align(&doc(ra), &doc(rb), stats, &cfg.align);
    judge(a, ai, b, bi, &al, &cfg.judge).filter(|r| r.relation != Relation::Rewrite)
}

/// Sentences (of four words or more) found in articles of at least three different stories.
fn boilerplate(prep: &Prepared, story_of: &[usize]) -> std::collections::HashSet<u64> {
    let mut stories: HashMap<u64, Vec<usize>> = HashMap::new();
    for (d, n) in prep.norms.iter().enumerate() {
        for s in n.sentences.iter().filter(|s| s.tokens.len() >= 4) {
            let seen = stories.entry(sentence_key(n, s)).or_default();
            if seen.len() < 3 && !seen.contains(&story_of[d]) {
                seen.push(story_of[d]);
            }
        }
    }
    stories
        .into_iter()
        .filter_map(|(k, v)| (v.len() >= 3).then_some(k))
        .collect()
}

/// The headline, else the first sentence of the lead, cut to a readable length.
pub fn story_title(a: &Article) -> String {
    let raw = a.title.clone().unwrap_or_else(|| {
        let spans = crate::normalize::sentence_spans(&a.text);
        spans.first().map(|s| a.slice(*s)).unwrap_or_default()
    });
    let words: Vec<&str> = raw.split_whitespace().collect();
    if words.len() > 16 {
        format!("{} …", words[..16].join(" "))
    } else {
        words.join(" ")
    }
}
