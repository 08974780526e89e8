//! Stage 4, **fingerprint**: what an article is matched by.
//!
//! Two fingerprints per article: hashed word n-grams ([`shingles`], for copies) and a
//! TF-IDF vector over content-word stems ([`TermVector`], for rewrites and stories).
//! Invariant: fingerprints depend only on the normalised tokens and corpus document
//! frequencies ([`TermStats`]), never on ids or input order.

use crate::normalize::{Sentence, Token};
use std::borrow::Borrow;
use std::collections::HashMap;

/// Words per shingle: long enough that a shared one is rarely chance, short enough to
/// survive light edits.
pub const SHINGLE_WORDS: usize = 4;

/// Hashed word n-grams of a token stream (every token, function words too), sorted, unique.
pub fn shingles(tokens: &[Token]) -> Vec<u64> {
    if tokens.len() < SHINGLE_WORDS {
        return Vec::new();
    }
    let mut out: Vec<u64> = tokens
        .windows(SHINGLE_WORDS)
        .map(|w| {
            let mut buf = [0u8; 8 * SHINGLE_WORDS];
            for (i, t) in w.iter().enumerate() {
                buf[i * 8..i * 8 + 8].copy_from_slice(&t.hash.to_le_bytes());
            }
            xxhash_rust::xxh3::xxh3_64(&buf)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The distinct content terms of a token stream, sorted.
pub fn content_terms(tokens: &[Token]) -> Vec<u64> {
    let mut t: Vec<u64> = tokens
        .iter()
        .filter(|t| t.is_content())
        .map(|t| t.hash)
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Document frequencies of content terms over a corpus: how rare, and so how telling, a word is.
#[derive(Debug, Default, Clone)]
pub struct TermStats {
    pub docs: usize,
    df: rustc_hash::FxHashMap<u64, u32>,
}

impl TermStats {
    /// Counts one document's distinct content terms.
    pub fn add(&mut self, tokens: &[Token]) {
        self.docs += 1;
        for h in content_terms(tokens) {
            *self.df.entry(h).or_insert(0) += 1;
        }
    }

    /// Counts one document's terms (each distinct term once).
    pub fn add_terms(&mut self, terms: impl IntoIterator<Item = u64>) {
        self.docs += 1;
        let mut t: Vec<u64> = terms.into_iter().collect();
        t.sort_unstable();
        t.dedup();
        for h in t {
            *self.df.entry(h).or_insert(0) += 1;
        }
    }

    /// The statistics as bytes (little-endian: documents, then term and count pairs), to
    /// keep in a store.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 12 * self.df.len());
        out.extend_from_slice(&(self.docs as u64).to_le_bytes());
        let mut terms: Vec<(&u64, &u32)> = self.df.iter().collect();
        terms.sort_unstable();
        for (t, n) in terms {
            out.extend_from_slice(&t.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        out
    }

    /// Statistics from [`TermStats::to_bytes`]; `None` where the bytes are not such.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() < 8 || !(b.len() - 8).is_multiple_of(12) {
            return None;
        }
        let docs = u64::from_le_bytes(b[..8].try_into().ok()?) as usize;
        let df = b[8..]
            .chunks_exact(12)
            .map(|c| {
                let t = u64::from_le_bytes(c[..8].try_into().unwrap_or_default());
                let n = u32::from_le_bytes(c[8..].try_into().unwrap_or_default());
                (t, n)
            })
            .collect();
        Some(TermStats { docs, df })
    }

    /// Distinct terms counted.
    pub fn terms(&self) -> usize {
        self.df.len()
    }

    pub fn df(&self, term: u64) -> u32 {
        self.df.get(&term).copied().unwrap_or(0)
    }

    /// Smoothed inverse document frequency, ≥ 1.
    pub fn idf(&self, term: u64) -> f32 {
        (((self.docs + 1) as f32) / ((self.df(term) + 1) as f32)).ln() + 1.0
    }
}

/// A sparse, L2-normalised term vector, sorted by term hash.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(pub Vec<(u64, f32)>);

impl TermVector {
    /// Sublinear TF × IDF over the content tokens given, normalised; names and numbers count
    /// half again (they identify an event). For documents and stories.
    pub fn from_tokens<'a>(tokens: impl Iterator<Item = &'a Token>, stats: &TermStats) -> Self {
        Self::weighted(
            tokens,
            |t| if t.number || t.capitalized { 1.5 } else { 1.0 },
            |h| stats.idf(h),
        )
    }

    /// Sublinear TF × `weight` over the content tokens, each occurrence counted `boost(token)`
    /// times; normalised.
    pub fn weighted<'a>(
        tokens: impl Iterator<Item = &'a Token>,
        boost: impl Fn(&Token) -> f32,
        weight: impl Fn(u64) -> f32,
    ) -> Self {
        let mut tf: rustc_hash::FxHashMap<u64, f32> = Default::default();
        for t in tokens.filter(|t| t.is_content()) {
            *tf.entry(t.hash).or_insert(0.0) += boost(t);
        }
        Self::from_weights(tf.into_iter().map(|(h, f)| (h, (1.0 + f.ln()) * weight(h))))
    }

    /// Sublinear TF × IDF over counted terms (a term counted `f` times weighs `1 + ln f`).
    pub fn from_counts(counts: impl IntoIterator<Item = (u64, f32)>, stats: &TermStats) -> Self {
        Self::from_weights(
            counts
                .into_iter()
                .filter(|&(_, f)| f > 0.0)
                .map(|(h, f)| (h, (1.0 + f.ln()) * stats.idf(h))),
        )
    }

    /// The vector of the positive weights given (one per distinct term), normalised.
    pub fn from_weights(weights: impl IntoIterator<Item = (u64, f32)>) -> Self {
        let mut v: Vec<(u64, f32)> = weights.into_iter().filter(|&(_, w)| w > 0.0).collect();
        v.sort_unstable_by_key(|&(h, _)| h);
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut v {
                *w /= norm;
            }
        }
        TermVector(v)
    }

    /// Vector of one sentence, every content word counted once per occurrence.
    pub fn of_sentence(tokens: &[Token], s: &Sentence, weight: impl Fn(u64) -> f32) -> Self {
        Self::weighted(tokens[s.tokens.clone()].iter(), |_| 1.0, weight)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Cosine similarity of two normalised vectors.
    pub fn cosine(&self, other: &TermVector) -> f32 {
        self.common(other).map(|(x, y)| x * y).sum()
    }

    /// Number of terms both vectors have.
    pub fn shared_terms(&self, other: &TermVector) -> usize {
        self.common(other).count()
    }

    /// The weights of the terms both vectors have, pairwise (a merge of two sorted lists).
    fn common<'a>(&'a self, other: &'a TermVector) -> impl Iterator<Item = (f32, f32)> + 'a {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j) = (0, 0);
        std::iter::from_fn(move || {
            while i < a.len() && j < b.len() {
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let w = (a[i].1, b[j].1);
                        i += 1;
                        j += 1;
                        return Some(w);
                    }
                }
            }
            None
        })
    }
}

/// Each article's `k` nearest neighbours by a partial dot product over its `terms_per_doc`
/// most telling terms, best first (ties by index). Terms held by more than `max_df_share` of
/// the articles (at least 50) are skipped. The work grows with articles × the articles that
/// share a telling term, never with all pairs; articles are searched in parallel.
pub fn nearest_neighbours<V: Borrow<TermVector> + Sync>(
    vectors: &[V],
    terms_per_doc: usize,
    max_df_share: f32,
    k: usize,
) -> Vec<Vec<(u32, f32)>> {
    nearest_neighbours_sampled(vectors, terms_per_doc, max_df_share, k, usize::MAX)
}

/// [`nearest_neighbours`], reading at most `max_postings` holders of any one term (an even
/// sample of a longer list): the work per article is then bounded, and grows linearly with the
/// corpus however many articles share a word.
pub fn nearest_neighbours_sampled<V: Borrow<TermVector> + Sync>(
    vectors: &[V],
    terms_per_doc: usize,
    max_df_share: f32,
    k: usize,
    max_postings: usize,
) -> Vec<Vec<(u32, f32)>> {
    use rayon::prelude::*;
    let n = vectors.len();
    let max_df = ((n as f32 * max_df_share).ceil() as usize).max(50);
    let tops: Vec<Vec<(u64, f32)>> = vectors
        .iter()
        .map(|v| {
            let mut top = v.borrow().0.clone();
            top.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            top.truncate(terms_per_doc);
            top
        })
        .collect();
    let mut postings: HashMap<u64, Vec<(u32, f32)>> = HashMap::new();
    for (d, top) in tops.iter().enumerate() {
        for &(h, w) in top {
            postings.entry(h).or_default().push((d as u32, w));
        }
    }
    (0..n)
        .into_par_iter()
        .map(|d| {
            let mut acc: HashMap<u32, f32> = HashMap::new();
            for &(h, w) in &tops[d] {
                let Some(list) = postings.get(&h).filter(|l| l.len() <= max_df) else {
                    continue;
                };
                let step = list.len().div_ceil(max_postings.max(1));
                for &(o, wo) in list.iter().step_by(step) {
                    if o as usize != d {
                        *acc.entry(o).or_insert(0.0) += w * wo;
                    }
                }
            }
            let mut near: Vec<(u32, f32)> = acc.into_iter().collect();
            near.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            near.truncate(k);
            near
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn shingles_match_across_case_and_quotes() {
        let a = shingles(&normalize("The army’s units entered the town on Sunday.", None).tokens);
        let b = shingles(&normalize("THE ARMY'S UNITS ENTERED THE TOWN ON SUNDAY", None).tokens);
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }

    #[test]
    fn cosine_of_self_is_one() {
        let n = normalize("Rebels seized the airport in Goma on Tuesday.", None);
        let mut st = TermStats::default();
        st.add(&n.tokens);
        let v = TermVector::from_tokens(n.tokens.iter(), &st);
        assert!((v.cosine(&v) - 1.0).abs() < 1e-5);
    }
}
