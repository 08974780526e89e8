//! Stage 8, **group stories**: articles that report the same *event*, as an editor would
//! group them: two earthquakes in different places are two stories, though their words agree.
//!
//! Each article is described by a [`StoryDoc`]: TF-IDF vectors of its words, its names (with
//! spelling variants folded, see [`crate::names`]), its numbers and its headline and lead, and
//! its publication time. For a pair of articles, [`features`] are the cosines of those vectors
//! and a Gaussian time decay (σ = 3 days) where both times are known; a logistic model
//! ([`StoryConfig::weights`], learnt by [`train`] on `stories-ecbplus` by `newstrace eval`)
//! turns them into the probability that the two report one event.
//!
//! Batch grouping ([`group`]): probabilities for each article's nearest neighbours only (an
//! inverted index of telling terms finds them, so the work grows with articles × neighbours,
//! not with all pairs); average-link agglomeration that merges groups while their average
//! probability is above [`StoryConfig::core`]; then each fragment (a group of at most
//! [`StoryConfig::fragment`] articles) joins the story it is most probably part of, where that
//! average is above [`StoryConfig::attach`]: a long feature or a short brief about an event
//! rarely looks like each report of it, but belongs with them.
//!
//! Stream grouping ([`StoryStream`]): articles arrive one by one; each joins the story whose
//! articles it most probably shares an event with (average over the story), or starts one;
//! [`StoryStream::finish`] attaches fragments as above.
//!
//! Reuse joins stories ([`join`]): an article that took text from another is in its story.
//!
//! Invariant: every article is in exactly one story; in batch, story order and membership do
//! not depend on input order.

use crate::fingerprint::{nearest_neighbours_sampled, TermVector};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// What an article's story is recognised by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryDoc {
    /// Content words (stems), names and numbers weighted up.
    pub words: TermVector,
    /// Names, spelling variants folded, and their words.
    pub names: TermVector,
    /// Numbers.
    pub numbers: TermVector,
    /// The headline and the lead's first sentences.
    pub lead: TermVector,
    /// Publication time in days since 1970, where known.
    pub day: Option<f64>,
}

/// Number of pair features, the constant term included.
pub const FEATURES: usize = 6;

/// What each pair feature is, in order.
pub const FEATURE_NAMES: [&str; FEATURES] =
    ["words", "names", "numbers", "lead", "time", "constant"];

/// How stories are formed.
#[derive(Debug, Clone, Copy)]
pub struct StoryConfig {
    /// Logistic weights of [`features`] (learnt on all of `stories-ecbplus` by `newstrace eval`).
    pub weights: [f32; FEATURES],
    /// Average probability at which two groups merge.
    pub core: f32,
    /// Average probability at which a fragment joins a story.
    pub attach: f32,
    /// A group of at most this many articles is a fragment.
    pub fragment: usize,
    /// In a stream, average probability at which an arriving article joins a story.
    pub stream_join: f32,
    /// Width of the time decay, in days.
    pub sigma_days: f32,
    /// Two articles published further apart than this (both times known) are not one event.
    pub max_days: f32,
    /// Terms per article used to find neighbours.
    pub terms_per_doc: usize,
    /// Terms in more than this share of articles do not find neighbours.
    pub term_df_share: f32,
    /// Nearest neighbours each article is compared with.
    pub neighbours: usize,
    /// Holders of one term read when finding neighbours (an even sample of more): bounds the
    /// work per article.
    pub max_postings: usize,
}

const MAX_DAYS: f32 = 365.0;

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            weights: [5.21, 5.78, 3.13, 3.57, 5.16, -4.67],
            core: 0.6,
            attach: 0.1,
            fragment: 4,
            stream_join: 0.6,
            sigma_days: 3.0,
            max_days: MAX_DAYS,
            terms_per_doc: 40,
            term_df_share: 0.3,
            neighbours: 30,
            max_postings: 100,
        }
    }
}

impl StoryConfig {
    /// The probability that two articles report the same event.
    pub fn probability(&self, a: &StoryDoc, b: &StoryDoc) -> f32 {
        if self.too_far(a, b) {
            return 0.0;
        }
        logistic(&self.weights, &features(a, b, self.sigma_days))
    }

    /// Whether two articles were published more than [`StoryConfig::max_days`] apart.
    pub fn too_far(&self, a: &StoryDoc, b: &StoryDoc) -> bool {
        match (a.day, b.day) {
            (Some(x), Some(y)) => (x - y).abs() as f32 > self.max_days,
            _ => false,
        }
    }
}

/// The logistic model's probability for features `x` under weights `w`.
pub fn logistic(w: &[f32; FEATURES], x: &[f32; FEATURES]) -> f32 {
    let z: f32 = w.iter().zip(x).map(|(w, x)| w * x).sum();
    1.0 / (1.0 + (-z).exp())
}

/// The pair features: cosines of words, names, numbers and lead; the time decay
/// `2·exp(-Δ²/2σ²) - 1` where both times are known (1 the same day, -1 weeks apart; 0, no
/// evidence either way, where a time is unknown); 1.
pub fn features(a: &StoryDoc, b: &StoryDoc, sigma_days: f32) -> [f32; FEATURES] {
    let time = match (a.day, b.day) {
        (Some(x), Some(y)) => {
            let d = (x - y) as f32 / sigma_days;
            (-0.5 * d * d).exp()
        }
        _ => 0.0,
    };
    [
        a.words.cosine(&b.words),
        a.names.cosine(&b.names),
        a.numbers.cosine(&b.numbers),
        a.lead.cosine(&b.lead),
        time,
        1.0,
    ]
}

/// The pairs worth scoring: each article with its nearest neighbours by words, `(i, j)` with
/// `i < j`, sorted.
pub fn candidate_pairs(docs: &[StoryDoc], cfg: &StoryConfig) -> Vec<(usize, usize)> {
    let words: Vec<&TermVector> = docs.iter().map(|d| &d.words).collect();
    let near = nearest_neighbours_sampled(
        &words,
        cfg.terms_per_doc,
        cfg.term_df_share,
        cfg.neighbours,
        cfg.max_postings,
    );
    let mut pairs: Vec<(usize, usize)> = near
        .iter()
        .enumerate()
        .flat_map(|(d, list)| {
            list.iter().map(move |&(o, _)| {
                let o = o as usize;
                (d.min(o), d.max(o))
            })
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The candidate pairs with the probability that they report one event.
pub fn similarity_graph(docs: &[StoryDoc], cfg: &StoryConfig) -> Vec<(usize, usize, f32)> {
    candidate_pairs(docs, cfg)
        .into_par_iter()
        .map(|(i, j)| (i, j, cfg.probability(&docs[i], &docs[j])))
        .collect()
}

/// Groups articles (by index) into stories. Each story lists its articles in index order;
/// stories are ordered by their first article.
pub fn group(docs: &[StoryDoc], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    let t0 = std::time::Instant::now();
    let edges = similarity_graph(docs, cfg);
    if std::env::var_os("NEWSTRACE_TIMING").is_some() {
        eprintln!(
            "timing:   story graph ({} edges): {:.2} s",
            edges.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    group_graph(docs.len(), &edges, cfg)
}

/// [`group`] over a graph already scored: agglomeration, then fragments attached.
pub fn group_graph(n: usize, edges: &[(usize, usize, f32)], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    let core = agglomerate(n, edges, cfg.core);
    attach_fragments(core, edges, cfg)
}

/// Average-link agglomeration with a lazy max-heap of group pairs: merges the two groups of
/// highest average edge weight (missing edges weigh 0) while it is at least `threshold`.
fn agglomerate(n: usize, edges: &[(usize, usize, f32)], threshold: f32) -> Vec<Vec<usize>> {
    let mut size = vec![1usize; n];
    let mut alive = vec![true; n];
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut adj: Vec<HashMap<usize, f32>> = vec![HashMap::new(); n];
    let mut heap = BinaryHeap::new();
    for &(i, j, s) in edges {
        if i == j || i >= n || j >= n {
            continue;
        }
        adj[i].insert(j, s);
        adj[j].insert(i, s);
        heap.push(Candidate { avg: s, a: i, b: j });
    }
    while let Some(Candidate { avg, a, b }) = heap.pop() {
        if avg < threshold {
            break;
        }
        if !alive[a] || !alive[b] {
            continue;
        }
        let current = adj[a].get(&b).copied().unwrap_or(0.0) / (size[a] * size[b]) as f32;
        if (current - avg).abs() > 1e-6 {
            continue; // stale entry
        }
        // Merge b into a.
        alive[b] = false;
        let b_adj = std::mem::take(&mut adj[b]);
        for (c, w) in b_adj {
            if c == a {
                continue;
            }
            *adj[a].entry(c).or_insert(0.0) += w;
            if let Some(x) = adj[c].remove(&b) {
                *adj[c].entry(a).or_insert(0.0) += x;
            }
        }
        adj[a].remove(&b);
        size[a] += size[b];
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        let mut neighbours: Vec<(usize, f32)> = adj[a].iter().map(|(&c, &w)| (c, w)).collect();
        neighbours.sort_by_key(|&(c, _)| c);
        for (c, w) in neighbours {
            let avg = w / (size[a] * size[c]) as f32;
            heap.push(Candidate {
                avg,
                a: a.min(c),
                b: a.max(c),
            });
        }
    }
    sorted_groups(
        members
            .into_iter()
            .zip(alive)
            .filter_map(|(m, alive)| alive.then_some(m))
            .collect(),
    )
}

/// Each fragment (a group of at most `cfg.fragment` articles), smallest first, joins the group
/// at least as large with the highest average edge weight to it, where that is above
/// `cfg.attach`: a story's brief or long feature finds its story, in a small corpus as in a
/// large one.
pub fn attach_fragments(
    groups: Vec<Vec<usize>>,
    edges: &[(usize, usize, f32)],
    cfg: &StoryConfig,
) -> Vec<Vec<usize>> {
    let n = groups
        .iter()
        .flatten()
        .map(|&d| d + 1)
        .chain(edges.iter().map(|e| e.0.max(e.1) + 1))
        .max()
        .unwrap_or(0);
    let mut adjacent: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for &(i, j, p) in edges {
        adjacent[i].push((j, p));
        adjacent[j].push((i, p));
    }
    let mut group_of = vec![usize::MAX; n];
    for (g, m) in groups.iter().enumerate() {
        for &d in m {
            group_of[d] = g;
        }
    }
    let mut groups = groups;
    let mut order: Vec<usize> = (0..groups.len())
        .filter(|&g| groups[g].len() <= cfg.fragment)
        .collect();
    order.sort_by_key(|&g| (groups[g].len(), groups[g].iter().min().copied()));
    for f in order {
        let mut sums: HashMap<usize, f32> = HashMap::new();
        for &d in &groups[f] {
            for &(o, p) in &adjacent[d] {
                let g = group_of[o];
                if g != f && g != usize::MAX {
                    *sums.entry(g).or_insert(0.0) += p;
                }
            }
        }
        let size = groups[f].len();
        let best = sums
            .into_iter()
            .filter(|&(g, _)| groups[g].len() > size)
            .map(|(g, sum)| (sum / (size * groups[g].len()) as f32, g))
            .filter(|&(avg, _)| avg > cfg.attach)
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((_, b)) = best {
            let moved = std::mem::take(&mut groups[f]);
            for &d in &moved {
                group_of[d] = b;
            }
            groups[b].extend(moved);
        }
    }
    sorted_groups(groups)
}

fn sorted_groups(mut groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.retain(|g| !g.is_empty());
    groups.sort();
    groups
}

/// Stories formed as articles arrive one at a time (as from `index add`).
#[derive(Debug)]
pub struct StoryStream {
    cfg: StoryConfig,
    docs: Vec<StoryDoc>,
    story_of: Vec<usize>,
    stories: Vec<Vec<usize>>,
    /// Telling term → articles (and the term's weight in them).
    postings: HashMap<u64, Vec<(u32, f32)>>,
    edges: Vec<(usize, usize, f32)>,
}

impl StoryStream {
    pub fn new(cfg: StoryConfig) -> Self {
        StoryStream {
            cfg,
            docs: Vec::new(),
            story_of: Vec::new(),
            stories: Vec::new(),
            postings: HashMap::new(),
            edges: Vec::new(),
        }
    }

    /// Adds one article; returns the index of the story it joined or started. Articles are
    /// numbered in arrival order from 0.
    pub fn add(&mut self, doc: StoryDoc) -> usize {
        let d = self.docs.len();
        let top = top_terms(&doc.words, self.cfg.terms_per_doc);
        let near = near_holders(&self.postings, &top, d, &self.cfg);
        let mut by_story: HashMap<usize, f32> = HashMap::new();
        for &(o, _) in &near {
            let o = o as usize;
            let p = self.cfg.probability(&doc, &self.docs[o]);
            self.edges.push((o, d, p));
            *by_story.entry(self.story_of[o]).or_insert(0.0) += p;
        }
        let best = likeliest(by_story, |s| self.stories[s].len(), self.cfg.stream_join);
        let story = match best {
            Some(s) => s,
            None => {
                self.stories.push(Vec::new());
                self.stories.len() - 1
            }
        };
        self.stories[story].push(d);
        self.story_of.push(story);
        for (h, w) in top {
            self.postings.entry(h).or_default().push((d as u32, w));
        }
        self.docs.push(doc);
        story
    }

    /// The stories so far, fragments attached (see [`attach_fragments`]).
    pub fn finish(&self) -> Vec<Vec<usize>> {
        attach_fragments(self.stories.clone(), &self.edges, &self.cfg)
    }
}

/// The nearest of the articles in `postings` (telling term → holders and the term's weight
/// there) to an article with `top` terms, out of `docs` so far: at most `cfg.neighbours`,
/// best first. A term held by more than a share of the articles is skipped, and of a common
/// term only the latest `cfg.max_postings` holders are read: the work per article is bounded.
fn near_holders<H: std::hash::BuildHasher>(
    postings: &HashMap<u64, Vec<(u32, f32)>, H>,
    top: &[(u64, f32)],
    docs: usize,
    cfg: &StoryConfig,
) -> Vec<(u32, f32)> {
    near_holders_before(postings, top, docs, cfg, u32::MAX)
}

/// [`near_holders`] among the holders numbered below `before` (postings in number order).
fn near_holders_before<H: std::hash::BuildHasher>(
    postings: &HashMap<u64, Vec<(u32, f32)>, H>,
    top: &[(u64, f32)],
    docs: usize,
    cfg: &StoryConfig,
    before: u32,
) -> Vec<(u32, f32)> {
    let max_df = ((docs as f32 * cfg.term_df_share).ceil() as usize).max(50);
    let mut acc: rustc_hash::FxHashMap<u32, f32> = Default::default();
    for &(h, w) in top {
        if let Some(list) = postings.get(&h).filter(|l| l.len() <= max_df) {
            let end = list.partition_point(|&(o, _)| o < before);
            let from = end.saturating_sub(cfg.max_postings);
            for &(o, wo) in &list[from..end] {
                *acc.entry(o).or_insert(0.0) += w * wo;
            }
        }
    }
    let mut near: Vec<(u32, f32)> = acc.into_iter().collect();
    near.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    near.truncate(cfg.neighbours);
    near
}

/// The story with the highest average probability over its `size` articles, if it reaches
/// `join` (ties to the lower story).
fn likeliest<S: Copy + Ord>(
    sums: HashMap<S, f32>,
    size: impl Fn(S) -> usize,
    join: f32,
) -> Option<S> {
    sums.into_iter()
        .map(|(s, sum)| (sum / size(s).max(1) as f32, s))
        .filter(|&(avg, _)| avg >= join)
        .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)))
        .map(|(_, s)| s)
}

/// A near article of one arriving at a [`StoryWindow`]: one of the window's (its story), or
/// an earlier one of the same batch (its index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Near {
    Story(u64),
    Earlier(usize),
}

/// Stories for a store that grows without end: each arriving article joins the story it
/// most probably shares an event with among the latest `capacity` articles (an event is
/// reported within days; older articles are forgotten, so memory stays bounded), or starts
/// one. Story numbers are the caller's.
#[derive(Debug)]
pub struct StoryWindow {
    cfg: StoryConfig,
    capacity: usize,
    /// Slot number of `docs[0]`; slots count every article ever pushed.
    first: u32,
    docs: std::collections::VecDeque<(StoryDoc, u64)>,
    postings: FxHashMap<u64, Vec<(u32, f32)>>,
    /// Articles of each story in the window.
    members: FxHashMap<u64, usize>,
}

impl StoryWindow {
    pub fn new(cfg: StoryConfig, capacity: usize) -> Self {
        StoryWindow {
            cfg,
            capacity: capacity.max(2),
            first: 0,
            docs: Default::default(),
            postings: FxHashMap::default(),
            members: FxHashMap::default(),
        }
    }

    /// The telling terms an article is found by (its heaviest words).
    pub fn top(&self, doc: &StoryDoc) -> Vec<(u64, f32)> {
        top_terms(&doc.words, self.cfg.terms_per_doc)
    }

    /// For each of `docs` (arriving in this order after the window's articles, with their
    /// [`StoryWindow::top`] terms), the probability that it reports the event of each of its
    /// nearest articles: those of the window (by story) and those before it in `docs` (by
    /// index). In parallel.
    pub fn near(&self, docs: &[StoryDoc], tops: &[Vec<(u64, f32)>]) -> Vec<Vec<(Near, f32)>> {
        let mut batch: FxHashMap<u64, Vec<(u32, f32)>> = FxHashMap::default();
        for (i, top) in tops.iter().enumerate() {
            for &(h, w) in top {
                batch.entry(h).or_default().push((i as u32, w));
            }
        }
        let window = self.docs.len();
        let cfg = self.cfg;
        docs.par_iter()
            .zip(tops)
            .enumerate()
            .map(|(i, (doc, top))| {
                let mut out = Vec::new();
                for (o, _) in near_holders(&self.postings, top, window + i, &cfg) {
                    if let Some((other, story)) = self.docs.get(o.wrapping_sub(self.first) as usize)
                    {
                        out.push((Near::Story(*story), self.cfg.probability(doc, other)));
                    }
                }
                for (j, _) in near_holders_before(&batch, top, window + i, &cfg, i as u32) {
                    let p = self.cfg.probability(doc, &docs[j as usize]);
                    out.push((Near::Earlier(j as usize), p));
                }
                out
            })
            .collect()
    }

    /// The story an article most probably shares an event with, from its [`StoryWindow::near`]
    /// list, if one is likely enough. `story_of` gives the stories of the earlier articles of
    /// its batch, `added` the articles each story gained in the batch so far.
    pub fn best(
        &self,
        near: &[(Near, f32)],
        story_of: impl Fn(usize) -> u64,
        added: &HashMap<u64, usize>,
    ) -> Option<u64> {
        let mut by_story: HashMap<u64, f32> = HashMap::new();
        for &(n, p) in near {
            let s = match n {
                Near::Story(s) => s,
                Near::Earlier(j) => story_of(j),
            };
            *by_story.entry(s).or_insert(0.0) += p;
        }
        // An article is compared with `neighbours` articles on each side, so a story larger
        // than that counts as that large: otherwise the average over a big event could never
        // reach the threshold, and its later reports would start stories of their own.
        let size = |s: u64| {
            let n =
                self.members.get(&s).copied().unwrap_or(0) + added.get(&s).copied().unwrap_or(0);
            n.min(self.cfg.neighbours)
        };
        likeliest(by_story, size, self.cfg.stream_join)
    }

    /// Remembers an article (with its [`StoryWindow::top`] terms) as one of `story`'s; when
    /// full, the older half is forgotten.
    pub fn push(&mut self, doc: StoryDoc, top: Vec<(u64, f32)>, story: u64) {
        if self.docs.len() >= self.capacity {
            let drop = self.docs.len() / 2;
            for (_, s) in self.docs.drain(..drop) {
                if let Some(m) = self.members.get_mut(&s) {
                    *m -= 1;
                    if *m == 0 {
                        self.members.remove(&s);
                    }
                }
            }
            self.first = self.first.wrapping_add(drop as u32);
            let first = self.first;
            self.postings.retain(|_, list| {
                list.retain(|&(o, _)| o.wrapping_sub(first) < u32::MAX / 2);
                !list.is_empty()
            });
        }
        let slot = self.first.wrapping_add(self.docs.len() as u32);
        for (h, w) in top {
            self.postings.entry(h).or_default().push((slot, w));
        }
        *self.members.entry(story).or_insert(0) += 1;
        self.docs.push_back((doc, story));
    }

    /// Articles remembered.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// A vector's `k` heaviest terms.
fn top_terms(v: &TermVector, k: usize) -> Vec<(u64, f32)> {
    let heavier = |x: &(u64, f32), y: &(u64, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
    let mut top = v.0.clone();
    if top.len() > k {
        top.select_nth_unstable_by(k, heavier);
        top.truncate(k);
    }
    top.sort_by(heavier);
    top
}

/// Learns logistic weights from labelled pair features (`true`: one event), by gradient
/// descent on the mean log loss with a little L2 shrinkage. Deterministic.
pub fn train(examples: &[([f32; FEATURES], bool)]) -> [f32; FEATURES] {
    let mut w = [0f64; FEATURES];
    if examples.is_empty() {
        return [0.0; FEATURES];
    }
    let n = examples.len() as f64;
    for _ in 0..3000 {
        let mut g = [0f64; FEATURES];
        for (x, y) in examples {
            let z: f64 = w.iter().zip(x).map(|(w, &x)| w * x as f64).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let e = p - if *y { 1.0 } else { 0.0 };
            for k in 0..FEATURES {
                g[k] += e * x[k] as f64;
            }
        }
        for k in 0..FEATURES {
            w[k] -= 2.0 * (g[k] / n + 1e-4 * w[k]);
        }
    }
    w.map(|x| x as f32)
}

/// Merges the stories that `links` join: an article that took text from another is in its
/// story, whatever the words say.
pub fn join(stories: &[Vec<usize>], links: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let n = stories.iter().map(Vec::len).sum();
    let within = stories
        .iter()
        .flat_map(|m| m.windows(2).map(|w| (w[0], w[1])));
    crate::groups::connected(n, within.chain(links.iter().copied()))
}

/// The article whose words are closest to the rest of its story: the story's face.
pub fn most_central(story: &[usize], docs: &[StoryDoc]) -> usize {
    let mut best = (f32::MIN, story[0]);
    for &i in story {
        let s: f32 = story
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| docs[i].words.cosine(&docs[j].words))
            .sum();
        if s > best.0 + 1e-6 {
            best = (s, i);
        }
    }
    best.1
}

#[derive(Debug, PartialEq)]
struct Candidate {
    avg: f32,
    a: usize,
    b: usize,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, o: &Self) -> Ordering {
        self.avg
            .total_cmp(&o.avg)
            .then(o.a.cmp(&self.a))
            .then(o.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_join_the_story_they_belong_to() {
        // 0..=5 a tight story, 6 a brief weakly like it, 7 unrelated.
        let mut edges = Vec::new();
        for i in 0..6 {
            for j in i + 1..6 {
                edges.push((i, j, 0.9));
            }
            edges.push((i, 6, 0.3));
        }
        edges.push((6, 7, 0.05));
        let cfg = StoryConfig::default();
        let g = group_graph(8, &edges, &cfg);
        assert_eq!(g, vec![vec![0, 1, 2, 3, 4, 5, 6], vec![7]]);
    }

    #[test]
    fn training_learns_the_telling_feature() {
        let mut ex = Vec::new();
        for k in 0..200 {
            let x = (k % 10) as f32 / 10.0;
            let mut f = [0.0; FEATURES];
            f[1] = x;
            f[FEATURES - 1] = 1.0;
            ex.push((f, x > 0.5));
        }
        let w = train(&ex);
        assert!(w[1] > 5.0 && w[FEATURES - 1] < 0.0, "{w:?}");
    }

    #[test]
    fn links_join_stories() {
        assert_eq!(join(&[vec![0], vec![1]], &[(0, 1)]), vec![vec![0, 1]]);
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    fn doc(terms: &[u64]) -> StoryDoc {
        let words = TermVector::from_weights(terms.iter().map(|&t| (t, 1.0)));
        StoryDoc {
            lead: words.clone(),
            words,
            ..Default::default()
        }
    }

    #[test]
    fn a_big_story_still_takes_new_reports() {
        let cfg = StoryConfig {
            neighbours: 12,
            stream_join: 0.4,
            ..StoryConfig::default()
        };
        let mut w = StoryWindow::new(cfg, 1000);
        // Other news, one story each, so that the event's words are not common words.
        for s in 0..300u64 {
            let d = doc(&[1000 + 3 * s, 1001 + 3 * s, 1002 + 3 * s]);
            let top = w.top(&d);
            w.push(d, top, 100 + s);
        }
        let event: Vec<u64> = (1..30).collect();
        for _ in 0..60 {
            let d = doc(&event);
            let top = w.top(&d);
            w.push(d, top, 7);
        }
        // Another report of the event, and one of something else.
        let same = doc(&event[..25]);
        let other = doc(&(100..130).collect::<Vec<u64>>());
        let docs = [same, other];
        let tops: Vec<_> = docs.iter().map(|d| w.top(d)).collect();
        let near = w.near(&docs, &tops);
        let none = HashMap::new();
        assert_eq!(w.best(&near[0], |_| 0, &none), Some(7));
        assert_eq!(w.best(&near[1], |_| 0, &none), None);
    }
}
