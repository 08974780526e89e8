//! Stage 5, **find candidates**: the pairs of articles worth aligning, without comparing all
//! pairs. Two inverted indices: shingle → articles (copies share many), and telling term →
//! articles (rewrites share names and rare words, not word sequences).
//!
//! Invariant: the result is a sorted list of `(i, j)` with `i < j`, independent of the order
//! in which pairs were discovered. Not for: deciding reuse (that is [`crate::align`]).

use crate::fingerprint::{nearest_neighbours, TermVector};
use std::collections::HashMap;

/// How candidate pairs are found.
#[derive(Debug, Clone, Copy)]
pub struct CandidateConfig {
    /// Shared shingles that make a pair worth aligning.
    pub min_shared_shingles: u32,
    /// A shingle in more articles than this links each of them to the first few only
    /// (a wire story republished a thousand times must not cost a million pairs).
    pub shingle_df_cap: usize,
    /// How many earlier holders of a capped shingle each article is linked to.
    pub capped_links: usize,
    /// Terms per article indexed for the term route (its most telling ones).
    pub terms_per_doc: usize,
    /// Terms in more than this share of the articles are not telling; skipped.
    pub term_df_share: f32,
    /// Partial cosine over indexed terms that makes a pair worth aligning.
    pub min_term_cosine: f32,
    /// Nearest neighbours by terms each article is paired with.
    pub term_neighbours: usize,
}

impl Default for CandidateConfig {
    fn default() -> Self {
        CandidateConfig {
            min_shared_shingles: 2,
            shingle_df_cap: 200,
            capped_links: 8,
            terms_per_doc: 40,
            term_df_share: 0.25,
            min_term_cosine: 0.12,
            term_neighbours: 12,
        }
    }
}

/// How many shingles each pair of articles shares, through an inverted index (pairs that
/// share none are never visited). Keys are `(i, j)` with `i < j`.
pub fn shared_shingles(shingles: &[Vec<u64>], cfg: &CandidateConfig) -> HashMap<(u32, u32), u32> {
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (d, sh) in shingles.iter().enumerate() {
        for &h in sh {
            postings.entry(h).or_default().push(d as u32);
        }
    }
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for list in postings.values() {
        if list.len() < 2 {
            continue;
        }
        if list.len() <= cfg.shingle_df_cap {
            for (x, &a) in list.iter().enumerate() {
                for &b in &list[x + 1..] {
                    *shared.entry((a, b)).or_insert(0) += 1;
                }
            }
        } else {
            for (x, &b) in list.iter().enumerate().skip(1) {
                for &a in &list[..x.min(cfg.capped_links)] {
                    *shared.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }
    shared
}

/// Groups of near-identical articles: pairs sharing at least `min_containment` of the
/// smaller one's shingles, joined transitively. Each group is sorted; singletons included.
pub fn near_duplicates(
    shingles: &[Vec<u64>],
    shared: &HashMap<(u32, u32), u32>,
    min_containment: f32,
) -> Vec<Vec<usize>> {
    let mut keys: Vec<(&(u32, u32), &u32)> = shared.iter().collect();
    keys.sort_unstable();
    let close = keys.into_iter().filter_map(|(&(a, b), &k)| {
        let (a, b) = (a as usize, b as usize);
        let smaller = shingles[a].len().min(shingles[b].len()).max(1);
        (k as f32 >= min_containment * smaller as f32).then_some((a, b))
    });
    crate::groups::connected(shingles.len(), close)
}

/// Pairs `(i, j)`, `i < j`, of articles that share enough shingles (`shared`, from
/// [`shared_shingles`]) or telling terms.
pub fn candidate_pairs<V: std::borrow::Borrow<TermVector> + Sync>(
    shared: &HashMap<(u32, u32), u32>,
    vectors: &[V],
    cfg: &CandidateConfig,
) -> Vec<(usize, usize)> {
    let mut pairs: HashMap<(u32, u32), f32> = HashMap::new();
    for (&k, &n) in shared {
        if n >= cfg.min_shared_shingles {
            pairs.insert(k, 1.0);
        }
    }

    // Route 2: telling terms in common. Each article keeps its nearest neighbours only: a
    // rewrite is among the articles most like its source, and a big story must not cost all
    // pairs of its articles.
    let near = nearest_neighbours(
        vectors,
        cfg.terms_per_doc,
        cfg.term_df_share,
        cfg.term_neighbours,
    );
    for (a, list) in near.iter().enumerate() {
        let a = a as u32;
        for &(b, dot) in list.iter().filter(|&&(_, dot)| dot >= cfg.min_term_cosine) {
            pairs.entry((a.min(b), a.max(b))).or_insert(dot);
        }
    }

    let mut out: Vec<(usize, usize)> = pairs
        .into_keys()
        .map(|(a, b)| (a.min(b) as usize, a.max(b) as usize))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_shingles_make_a_pair() {
        let sh = vec![vec![1, 2, 3], vec![2, 3, 9], vec![7, 8]];
        let v = vec![TermVector::default(); 3];
        let cfg = CandidateConfig::default();
        assert_eq!(
            candidate_pairs(&shared_shingles(&sh, &cfg), &v, &cfg),
            vec![(0, 1)]
        );
        assert_eq!(
            near_duplicates(&sh, &shared_shingles(&sh, &cfg), 0.6),
            vec![vec![0, 1], vec![2]]
        );
    }

    #[test]
    fn capped_shingles_link_to_the_first_holders_only() {
        let cfg = CandidateConfig {
            shingle_df_cap: 3,
            capped_links: 1,
            min_shared_shingles: 1,
            ..Default::default()
        };
        let sh = vec![vec![5]; 6];
        let v = vec![TermVector::default(); 6];
        let pairs = candidate_pairs(&shared_shingles(&sh, &cfg), &v, &cfg);
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]);
    }
}
