//! Stage 8, **group stories**: articles that report the same event, as an editor would group
//! them.
//!
//! Average-link agglomerative clustering over a sparse graph of TF-IDF cosine similarities
//! (content stems, names and numbers weighted up), the graph built from an inverted index of
//! each article's most telling terms so that the cost grows with the number of similar
//! pairs, not with all pairs. Reuse joins stories: an article that took text from another is
//! in its story whatever the words say.
//!
//! Invariant: every article is in exactly one story; story order and membership do not
//! depend on input order.

use crate::fingerprint::{nearest_neighbours, TermVector};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// How stories are formed.
#[derive(Debug, Clone, Copy)]
pub struct StoryConfig {
    /// Average similarity at which two groups are the same story (chosen on
    /// `stories-ecbplus` by `newstrace eval`).
    pub threshold: f32,
    /// Terms per article used to find neighbours.
    pub terms_per_doc: usize,
    /// Terms in more than this share of articles do not find neighbours.
    pub term_df_share: f32,
    /// Nearest neighbours each article is linked to in the similarity graph.
    pub neighbours: usize,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            threshold: 0.16,
            terms_per_doc: 40,
            term_df_share: 0.3,
            neighbours: 60,
        }
    }
}

/// Groups articles (by index) into stories by content. Each story lists its articles in index
/// order; stories are ordered by their first article.
pub fn group(vectors: &[TermVector], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    let n = vectors.len();
    let t0 = std::time::Instant::now();
    let edges = similarity_graph(vectors, cfg);
    if std::env::var_os("NEWSTRACE_TIMING").is_some() {
        eprintln!(
            "timing:   story graph ({} edges): {:.2} s",
            edges.len(),
            t0.elapsed().as_secs_f64()
        );
    }

    // Average-link agglomeration with a lazy max-heap of cluster pairs.
    let mut size = vec![1usize; n];
    let mut alive = vec![true; n];
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut adj: Vec<HashMap<usize, f32>> = vec![HashMap::new(); n];
    let mut heap = BinaryHeap::new();
    for &(i, j, s) in &edges {
        adj[i].insert(j, s);
        adj[j].insert(i, s);
        heap.push(Candidate { avg: s, a: i, b: j });
    }
    while let Some(Candidate { avg, a, b }) = heap.pop() {
        if avg < cfg.threshold {
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

    let mut out: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter_map(|(mut m, alive)| {
            m.sort_unstable();
            alive.then_some(m)
        })
        .collect();
    out.sort();
    out
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

/// The article whose vector is closest to the rest of its story: the story's face.
pub fn most_central(story: &[usize], vectors: &[TermVector]) -> usize {
    let mut best = (f32::MIN, story[0]);
    for &i in story {
        let s: f32 = story
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| vectors[i].cosine(&vectors[j]))
            .sum();
        if s > best.0 + 1e-6 {
            best = (s, i);
        }
    }
    best.1
}

/// Similar pairs `(i, j, cosine)`, found through an inverted index of telling terms.
fn similarity_graph(vectors: &[TermVector], cfg: &StoryConfig) -> Vec<(usize, usize, f32)> {
    // Each article's nearest neighbours, then their exact cosine: the graph grows with
    // articles × neighbours, not with all pairs of a big story.
    let near = nearest_neighbours(
        vectors,
        cfg.terms_per_doc,
        cfg.term_df_share,
        cfg.neighbours,
    );
    let mut edges: Vec<(usize, usize, f32)> = near
        .iter()
        .enumerate()
        .flat_map(|(d, list)| {
            list.iter().filter_map(move |&(o, _)| {
                let o = o as usize;
                let s = vectors[d].cosine(&vectors[o]);
                (s > 0.0).then_some((d.min(o), d.max(o), s))
            })
        })
        .collect();
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
    edges
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
    use crate::fingerprint::TermStats;
    use crate::normalize::normalize;

    fn vectors(texts: &[&str]) -> Vec<TermVector> {
        let norms: Vec<_> = texts.iter().map(|t| normalize(t, None)).collect();
        let mut st = TermStats::default();
        for n in &norms {
            st.add(&n.tokens);
        }
        norms
            .iter()
            .map(|n| TermVector::from_tokens(n.tokens.iter(), &st))
            .collect()
    }

    #[test]
    fn groups_same_event_and_separates_others() {
        let v = vectors(&[
            "An earthquake of magnitude 5.9 struck Qeshm island in Iran, killing ten people.",
            "Ten people died when a magnitude 5.9 earthquake hit Iran's Qeshm island.",
            "The central bank raised interest rates to curb inflation, the governor said.",
            "Interest rates were raised by the central bank as inflation rose, said the governor.",
        ]);
        let s = group(&v, &StoryConfig::default());
        assert_eq!(s, vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn links_join_stories() {
        let v = vectors(&["Quake hits island.", "Bank raises rates."]);
        assert_eq!(group(&v, &StoryConfig::default()).len(), 2);
        assert_eq!(
            join(&group(&v, &StoryConfig::default()), &[(0, 1)]),
            vec![vec![0, 1]]
        );
    }
}
