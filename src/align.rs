//! Stage 6, **align**: which passages of two articles correspond, and how each was changed.
//!
//! Seed-extend-filter at the sentence level, as the PAN text-alignment winners do:
//! - *seed*: every sentence pair with shared content words is scored twice — the longest
//!   common subsequence of its normalised words (copies, edits and spins keep word order)
//!   and the TF-IDF cosine of its content stems (paraphrases keep the facts, not the words);
//! - *select*: pairs are taken best first, each derived sentence once, each source sentence
//!   at most twice, so split and merged sentences and reordered paragraphs still align;
//! - *extend*: runs of adjacent matched sentences of one kind merge into one [`Passage`];
//! - *filter*: whether the passages add up to reuse is for [`crate::judge`] to say.
//!
//! Invariant: passage spans are [`CharSpan`]s of the clean texts, on sentence boundaries.

use crate::article::{covered_chars, CharSpan};
use crate::fingerprint::{TermStats, TermVector};
use crate::normalize::{Normalized, Token};
use crate::synonyms::synonyms;
use std::collections::HashMap;

/// How a passage of the derived text relates to its source passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PassageKind {
    /// The same words (case, punctuation and quote styles aside).
    Identical,
    /// Mostly the same words in the same order: trimmed, padded, a few words changed.
    Edited,
    /// The same facts in other words: a person's rewrite.
    Paraphrased,
    /// The same sentence skeleton with many single words swapped: a synonym spinner.
    Spun,
}

impl PassageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Identical => "identical",
            PassageKind::Edited => "edited",
            PassageKind::Paraphrased => "paraphrased",
            PassageKind::Spun => "spun",
        }
    }
}

/// One aligned pair of passages: `a` in the first article, `b` in the second.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub a: CharSpan,
    pub b: CharSpan,
    pub kind: PassageKind,
}

/// One matched sentence pair, by sentence index.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceMatch {
    pub a: usize,
    pub b: usize,
    pub kind: PassageKind,
    /// Word-order similarity, 2·LCS / (|a| + |b|).
    pub order_sim: f32,
    /// Content similarity, TF-IDF cosine of the two sentences.
    pub cosine: f32,
    /// Found by extension between stronger matches rather than on its own.
    pub extended: bool,
}

/// The words one side put where the other has different ones (inside substitution gaps):
/// a spinner's replacements are rarer and longer than the words they replace.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Swaps {
    pub words: usize,
    /// Sum of the swapped content words' IDF and character lengths.
    pub idf: f32,
    pub chars: usize,
}

/// The result of aligning two articles.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub matches: Vec<SentenceMatch>,
    pub passages: Vec<Passage>,
    /// Share of each text's characters inside passages.
    pub a_coverage: f32,
    pub b_coverage: f32,
    /// Matches that keep the order of the other text (longest increasing run).
    pub in_order: usize,
    /// Characters of `b` covered, by passage kind (identical, edited, paraphrased, spun).
    pub b_chars_by_kind: [usize; 4],
    /// Characters of `b` in edited sentences that kept under [`LOOSE_EDIT`] of the words in
    /// order: reworded more than a copy editor would.
    pub b_chars_loosely_edited: usize,
    pub a_sentences: usize,
    pub b_sentences: usize,
    /// Words swapped in spun and edited sentence pairs, on each side.
    pub a_swaps: Swaps,
    pub b_swaps: Swaps,
    /// Whether each side's unmatched sentences look like padding: at most two, the first
    /// and/or the last, and generic (no name or number), as a local intro or an outlet's
    /// sign-off is.
    pub a_padded: bool,
    pub b_padded: bool,
}

impl Swaps {
    fn add(&mut self, o: Swaps) {
        self.words += o.words;
        self.idf += o.idf;
        self.chars += o.chars;
    }
}

/// Word-order similarity under which an edited sentence was reworded rather than copy-edited.
pub const LOOSE_EDIT: f32 = 0.85;

/// An article prepared for alignment: its tokens, sentence vectors and length.
pub struct AlignDoc<'a> {
    pub norm: &'a Normalized,
    pub sentence_vectors: &'a [TermVector],
    /// Length of the clean text in characters.
    pub chars: usize,
}

/// Thresholds of the sentence-pair classifier.
#[derive(Debug, Clone, Copy)]
pub struct AlignConfig {
    /// Shortest sentence (in words) that may match, unless identical.
    pub min_words: usize,
    /// Word-order similarity of an edited copy.
    pub edited_order_sim: f32,
    /// Word-order similarity below which a pair is not a copy or spin.
    pub spun_order_sim: f32,
    /// Content cosine of a paraphrase, with `paraphrase_shared` content words in common.
    pub paraphrase_cosine: f32,
    pub paraphrase_shared: usize,
    /// Longest sentence compared word by word (longer ones are cut).
    pub max_words: usize,
    /// Content cosine at which a sentence pair lying between two matches is taken as a
    /// paraphrase too (extension).
    pub extend_cosine: f32,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            min_words: 5,
            edited_order_sim: 0.7,
            spun_order_sim: 0.5,
            paraphrase_cosine: 0.35,
            paraphrase_shared: 3,
            max_words: 160,
            extend_cosine: 0.2,
        }
    }
}

/// Aligns two prepared articles.
pub fn align(a: &AlignDoc, b: &AlignDoc, stats: &TermStats, cfg: &AlignConfig) -> Alignment {
    let sa = &a.norm.sentences;
    let sb = &b.norm.sentences;
    let mut scored: Vec<(f32, SentenceMatch, Swaps, Swaps)> = Vec::new();
    let mut weak: Vec<(f32, usize, usize)> = Vec::new();
    // Sentence pairs sharing two content terms, found through an inverted index of b's
    // sentences (terms in very many sentences are skipped), never by trying all pairs.
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, v) in b.sentence_vectors.iter().enumerate() {
        for &(h, _) in &v.0 {
            index.entry(h).or_default().push(j as u32);
        }
    }
    let busy = (sb.len() / 4).max(64);
    let mut shared_with: HashMap<u32, u32> = HashMap::new();
    for (i, s1) in sa.iter().enumerate() {
        let v1 = &a.sentence_vectors[i];
        shared_with.clear();
        for &(h, _) in &v1.0 {
            if let Some(list) = index.get(&h).filter(|l| l.len() <= busy) {
                for &j in list {
                    *shared_with.entry(j).or_insert(0) += 1;
                }
            }
        }
        let mut partners: Vec<(u32, u32)> = shared_with
            .iter()
            .map(|(&j, &n)| (j, n))
            .filter(|&(_, n)| n >= 2)
            .collect();
        partners.sort_unstable();
        for (j, _) in partners {
            let j = j as usize;
            let s2 = &sb[j];
            let v2 = &b.sentence_vectors[j];
            let shared = v1.shared_terms(v2);
            if shared < 2 {
                continue;
            }
            let cosine = v1.cosine(v2);
            let ta = &a.norm.tokens[s1.tokens.clone()];
            let tb = &b.norm.tokens[s2.tokens.clone()];
            let equal = ta.len() == tb.len() && ta.iter().zip(tb).all(|(x, y)| x.hash == y.hash);
            let ha: Vec<u64> = ta.iter().take(cfg.max_words).map(|t| t.hash).collect();
            let hb: Vec<u64> = tb.iter().take(cfg.max_words).map(|t| t.hash).collect();
            if let Some((kind, order_sim, lcs)) = classify(&ha, &hb, equal, cosine, shared, cfg) {
                let (mut wa, mut wb) = (Swaps::default(), Swaps::default());
                if matches!(kind, PassageKind::Spun | PassageKind::Edited) {
                    count_swaps(&lcs.pairs, ta, tb, stats, &mut wa, &mut wb);
                }
                let score = order_sim.max(cosine);
                scored.push((
                    score,
                    SentenceMatch {
                        a: i,
                        b: j,
                        kind,
                        order_sim,
                        cosine,
                        extended: false,
                    },
                    wa,
                    wb,
                ));
            } else if cosine >= cfg.extend_cosine && ta.len().min(tb.len()) >= cfg.min_words {
                weak.push((cosine, i, j));
            }
        }
    }
    // Best first; among equals the pair nearest the diagonal (a repeated sentence pairs with
    // its own occurrence), then by position, so the result never depends on iteration order.
    let diagonal = |m: &SentenceMatch| {
        let x = m.a as f64 / sa.len().max(1) as f64 - m.b as f64 / sb.len().max(1) as f64;
        x.abs()
    };
    scored.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(diagonal(&x.1).total_cmp(&diagonal(&y.1)))
            .then(x.1.b.cmp(&y.1.b))
            .then(x.1.a.cmp(&y.1.a))
    });
    let mut a_swaps = Swaps::default();
    let mut b_swaps = Swaps::default();
    let mut b_match: Vec<Option<usize>> = vec![None; sb.len()];
    let mut a_uses = vec![0u8; sa.len()];
    let mut matches: Vec<SentenceMatch> = Vec::new();
    // Whether each sentence of b already has its whole match (identical or nearly): such a
    // sentence merges nothing.
    let mut b_whole = vec![false; sb.len()];
    for (_, m, wa, wb) in scored {
        let take = match b_match[m.b] {
            None => a_uses[m.a] < 2,
            // A sentence of b that merges two adjacent sentences of a.
            Some(prev) => prev.abs_diff(m.a) == 1 && a_uses[m.a] == 0 && !b_whole[m.b],
        };
        if take {
            b_whole[m.b] |= m.kind == PassageKind::Identical || m.order_sim >= 0.9;
            b_match[m.b].get_or_insert(m.a);
            a_uses[m.a] += 1;
            matches.push(m);
            a_swaps.add(wa);
            b_swaps.add(wb);
        }
    }
    matches.sort_by_key(|m| (m.b, m.a));
    // Short sentences that no index pairs ("Seriously, Jackman?") still match their identical
    // twin, so that coverage and padding are not thrown off by them.
    let key = |n: &Normalized, i: usize| -> Vec<u64> {
        n.tokens[n.sentences[i].tokens.clone()]
            .iter()
            .map(|t| t.hash)
            .collect()
    };
    let mut free_a: HashMap<Vec<u64>, Vec<usize>> = HashMap::new();
    for i in (0..sa.len()).filter(|&i| a_uses[i] == 0) {
        free_a.entry(key(a.norm, i)).or_default().push(i);
    }
    for (j, slot) in b_match.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        if let Some(list) = free_a.get_mut(&key(b.norm, j)) {
            if !list.is_empty() {
                let i = list.remove(0);
                *slot = Some(i);
                a_uses[i] += 1;
                matches.push(SentenceMatch {
                    a: i,
                    b: j,
                    kind: PassageKind::Identical,
                    order_sim: 1.0,
                    cosine: 1.0,
                    extended: true,
                });
            }
        }
    }
    matches.sort_by_key(|m| (m.b, m.a));
    extend_between(&mut matches, &weak, &mut b_match, &mut a_uses);
    let in_order = longest_non_decreasing(&matches.iter().map(|m| m.a).collect::<Vec<_>>());

    let passages = extend(&matches, a.norm, b.norm);
    let a_cov = covered(passages.iter().map(|p| p.a), a.chars);
    let b_cov = covered(passages.iter().map(|p| p.b), b.chars);
    let mut by_kind = [0usize; 4];
    let mut loosely_edited = 0;
    let mut seen_b = vec![false; sb.len()];
    for m in &matches {
        if !std::mem::replace(&mut seen_b[m.b], true) {
            by_kind[m.kind as usize] += sb[m.b].span.len();
            if m.kind == PassageKind::Edited && m.order_sim < LOOSE_EDIT {
                loosely_edited += sb[m.b].span.len();
            }
        }
    }
    let a_padded = padded(a, matches.iter().map(|m| m.a));
    let b_padded = padded(b, matches.iter().map(|m| m.b));
    Alignment {
        a_padded,
        b_padded,
        matches,
        passages,
        a_coverage: a_cov,
        b_coverage: b_cov,
        in_order,
        b_chars_by_kind: by_kind,
        b_chars_loosely_edited: loosely_edited,
        a_sentences: sa.len(),
        b_sentences: sb.len(),
        a_swaps,
        b_swaps,
    }
}

/// Whether the sentences of `n` not in `matched` are padding (see [`Alignment::a_padded`]).
fn padded(doc: &AlignDoc, matched: impl Iterator<Item = usize>) -> bool {
    let n = doc.norm;
    let total = n.sentences.len();
    let mut used = vec![false; total];
    for i in matched {
        used[i] = true;
    }
    // Fragments too short to align ("He batted .467.") say nothing either way.
    let extra: Vec<usize> = (0..total)
        .filter(|&i| !used[i] && n.sentences[i].tokens.len() >= 5)
        .collect();
    if extra.is_empty() || extra.len() > 2 || extra.len() * 3 > total {
        return false;
    }
    extra.iter().all(|&i| {
        let at_edge = i == 0 || i + 1 == total;
        // Boilerplate the corpus has seen across stories (its vector was emptied) is padding.
        if at_edge && doc.sentence_vectors[i].is_empty() && n.sentences[i].tokens.len() >= 4 {
            return true;
        }
        let toks = &n.tokens[n.sentences[i].tokens.clone()];
        // Names: capitalised words other than the sentence's first (one, a weekday or the
        // outlet's name, is allowed); numbers.
        let names = toks.iter().skip(1).filter(|t| t.capitalized).count();
        let generic = names <= 1 && !toks.iter().any(|t| t.number);
        // A sign-off says nothing of the story: no content word of it recurs in the text.
        let own: Vec<u64> = toks
            .iter()
            .filter(|t| t.is_content())
            .map(|t| t.hash)
            .collect();
        let recurs = n.tokens.iter().enumerate().any(|(k, t)| {
            !n.sentences[i].tokens.contains(&k) && t.is_content() && own.contains(&t.hash)
        });
        at_edge && generic && !recurs
    })
}

/// Extension: an unmatched sentence of `b` lying between two matches takes the best weak
/// candidate of `a` lying between their partners (a paraphrase that shares fewer words).
fn extend_between(
    matches: &mut Vec<SentenceMatch>,
    weak: &[(f32, usize, usize)],
    b_match: &mut [Option<usize>],
    a_uses: &mut [u8],
) {
    if matches.is_empty() || weak.is_empty() {
        return;
    }
    let anchors: Vec<(usize, usize)> = matches.iter().map(|m| (m.b, m.a)).collect();
    let mut added = Vec::new();
    for (j, slot) in b_match.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let prev = anchors.iter().rev().find(|&&(b, _)| b < j);
        let next = anchors.iter().find(|&&(b, _)| b > j);
        let (lo, hi) = match (prev, next) {
            (Some(&(_, pa)), Some(&(_, na))) if pa <= na => (pa, na),
            (Some(&(_, pa)), None) => (pa, pa + 2),
            (None, Some(&(_, na))) => (na.saturating_sub(2), na),
            _ => continue,
        };
        let best = weak
            .iter()
            .filter(|&&(_, i, jj)| jj == j && i >= lo && i <= hi && a_uses[i] == 0)
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some(&(cosine, i, _)) = best {
            *slot = Some(i);
            a_uses[i] += 1;
            added.push(SentenceMatch {
                a: i,
                b: j,
                kind: PassageKind::Paraphrased,
                order_sim: 0.0,
                cosine,
                extended: true,
            });
        }
    }
    matches.extend(added);
    matches.sort_by_key(|m| (m.b, m.a));
}

/// Adds the content words inside substitution gaps of one sentence pair to each side's swaps.
fn count_swaps(
    pairs: &[(usize, usize)],
    ta: &[Token],
    tb: &[Token],
    stats: &TermStats,
    sa: &mut Swaps,
    sb: &mut Swaps,
) {
    let add = |t: &Token, sw: &mut Swaps| {
        if t.is_content() && !t.number {
            sw.words += 1;
            sw.idf += stats.idf(t.hash);
            sw.chars += t.span.len();
        }
    };
    // Synonyms matched in place.
    for &(i, j) in pairs {
        if ta[i].hash != tb[j].hash {
            add(&ta[i], sa);
            add(&tb[j], sb);
        }
    }
    // Words swapped for ones the dictionary does not know as synonyms.
    for w in pairs.windows(2) {
        let (ga, gb) = (w[0].0 + 1..w[1].0, w[0].1 + 1..w[1].1);
        if ga.is_empty() || gb.is_empty() || ga.len() > 4 || gb.len() > 4 {
            continue;
        }
        for t in &ta[ga] {
            add(t, sa);
        }
        for t in &tb[gb] {
            add(t, sb);
        }
    }
}

/// Decides what kind of reuse a sentence pair shows, if any, and its word-order similarity.
fn classify(
    a: &[u64],
    b: &[u64],
    equal: bool,
    cosine: f32,
    shared: usize,
    cfg: &AlignConfig,
) -> Option<(PassageKind, f32, LcsGaps)> {
    let (la, lb) = (a.len(), b.len());
    if la == 0 || lb == 0 {
        return None;
    }
    if equal && la >= cfg.min_words.saturating_sub(1) {
        return Some((PassageKind::Identical, 1.0, LcsGaps::default()));
    }
    if la.min(lb) < cfg.min_words {
        return None;
    }
    let lcs = lcs_gaps(a, b);
    let order_sim = 2.0 * lcs.matched as f32 / (la + lb) as f32;
    let containment = lcs.matched as f32 / la.min(lb) as f32;
    // A spinner swaps single words throughout while keeping the sentence's skeleton.
    let swaps = lcs.substitutions + lcs.synonym_swaps;
    let spin_like = la.min(lb) >= 8
        && swaps >= 2
        && swaps * 7 >= la.min(lb)
        && lcs.one_sided_words * 3 <= la.min(lb);
    // Dictionary synonyms in place are a spinner's mark even when everything else is equal.
    if order_sim >= cfg.spun_order_sim && spin_like && (order_sim < 0.9 || lcs.synonym_swaps >= 2) {
        return Some((PassageKind::Spun, order_sim, lcs));
    }
    if order_sim >= cfg.edited_order_sim || (containment >= 0.85 && la.min(lb) >= 8) {
        return Some((PassageKind::Edited, order_sim, lcs));
    }
    // A paraphrase says about as much as its source: a long sentence that merely contains a
    // short one's few content words is not one.
    let paraphrase = la.min(lb) * 3 >= la.max(lb)
        && ((cosine >= cfg.paraphrase_cosine && shared >= cfg.paraphrase_shared)
            || (cosine >= cfg.paraphrase_cosine + 0.15 && shared >= 2));
    if paraphrase {
        return Some((PassageKind::Paraphrased, order_sim, lcs));
    }
    None
}

/// What the longest common subsequence of two word sequences says about their differences.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct LcsGaps {
    /// Matched word positions `(in a, in b)`, synonyms included.
    pairs: Vec<(usize, usize)>,
    /// Matched positions whose words are synonyms, not the same word.
    synonym_swaps: usize,
    matched: usize,
    /// Gaps between matched words where both sides have other words: swapped words.
    substitutions: usize,
    /// Words inside gaps that only one side has: insertions and deletions.
    one_sided_words: usize,
}

fn lcs_gaps(a: &[u64], b: &[u64]) -> LcsGaps {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let syn = synonyms();
    let a_syn: Vec<&[u64]> = a.iter().map(|&x| syn.of_term(x)).collect();
    // Equal words match; so do dictionary synonyms (what a spinner swaps).
    let eq = |i: usize, y: u64| a[i] == y || (!a_syn[i].is_empty() && a_syn[i].contains(&y));
    let mut dp = vec![0u16; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            dp[i * w + j] = if eq(i, b[j]) {
                dp[(i + 1) * w + j + 1] + 1
            } else {
                dp[(i + 1) * w + j].max(dp[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if eq(i, b[j]) {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if dp[(i + 1) * w + j] >= dp[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let mut subs = 0;
    let mut one_sided = 0;
    for win in pairs.windows(2) {
        let (ga, gb) = (win[1].0 - win[0].0 - 1, win[1].1 - win[0].1 - 1);
        match (ga, gb) {
            (0, 0) => {}
            (x, 0) | (0, x) => one_sided += x,
            (x, y) if x.max(y) <= 4 => subs += 1,
            (x, y) => one_sided += x.abs_diff(y) + x.min(y),
        }
    }
    let synonym_swaps = pairs.iter().filter(|&&(i, j)| a[i] != b[j]).count();
    LcsGaps {
        synonym_swaps,
        matched: pairs.len(),
        pairs,
        substitutions: subs,
        one_sided_words: one_sided,
    }
}

/// Length of the longest non-decreasing subsequence (patience sorting).
fn longest_non_decreasing(xs: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &x in xs {
        let at = tails.partition_point(|&t| t <= x);
        if at == tails.len() {
            tails.push(x);
        } else {
            tails[at] = x;
        }
    }
    tails.len()
}

/// Merges runs of adjacent sentence matches of one kind into passages.
fn extend(matches: &[SentenceMatch], a: &Normalized, b: &Normalized) -> Vec<Passage> {
    let mut out: Vec<(usize, usize, usize, usize, PassageKind)> = Vec::new();
    for m in matches {
        if let Some(last) = out.last_mut() {
            let (a0, a1, _b0, b1, kind) = *last;
            let b_next = m.b == b1 || m.b == b1 + 1;
            let a_next = m.a == a1 || m.a == a1 + 1;
            if kind == m.kind && b_next && a_next && m.a >= a0 {
                last.1 = m.a;
                last.3 = m.b;
                continue;
            }
        }
        out.push((m.a, m.a, m.b, m.b, m.kind));
    }
    out.into_iter()
        .map(|(a0, a1, b0, b1, kind)| Passage {
            a: CharSpan::new(a.sentences[a0].span.start, a.sentences[a1].span.end),
            b: CharSpan::new(b.sentences[b0].span.start, b.sentences[b1].span.end),
            kind,
        })
        .collect()
}

/// Share of `total` characters inside the union of `spans`.
fn covered(spans: impl Iterator<Item = CharSpan>, total: usize) -> f32 {
    if total == 0 {
        return 0.0;
    }
    (covered_chars(spans) as f32 / total as f32).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::TermStats;
    use crate::normalize::normalize;

    fn prep(texts: &[&str]) -> (Vec<Normalized>, Vec<Vec<TermVector>>, TermStats) {
        let norms: Vec<Normalized> = texts.iter().map(|t| normalize(t, None)).collect();
        let mut st = TermStats::default();
        for n in &norms {
            st.add(&n.tokens);
        }
        let vecs = norms
            .iter()
            .map(|n| {
                n.sentences
                    .iter()
                    .map(|s| TermVector::of_sentence(&n.tokens, s, |h| st.idf(h)))
                    .collect()
            })
            .collect();
        (norms, vecs, st)
    }

    fn run(a: &str, b: &str) -> Alignment {
        let (n, v, st) = prep(&[a, b]);
        align(
            &AlignDoc {
                norm: &n[0],
                sentence_vectors: &v[0],
                chars: a.chars().count(),
            },
            &AlignDoc {
                norm: &n[1],
                sentence_vectors: &v[1],
                chars: b.chars().count(),
            },
            &st,
            &AlignConfig::default(),
        )
    }

    const TEXT: &str = "Rebels seized the airport in the eastern city of Goma on Tuesday. \
        The United Nations said at least 40 people were killed in two days of fighting. \
        Thousands of residents fled across the border into Rwanda, aid workers said.";

    #[test]
    fn an_article_aligned_with_itself_is_one_identical_passage() {
        let al = run(TEXT, TEXT);
        assert_eq!(al.passages.len(), 1);
        assert_eq!(al.passages[0].kind, PassageKind::Identical);
        assert_eq!(al.passages[0].a, CharSpan::new(0, TEXT.chars().count()));
        assert!((al.a_coverage - 1.0).abs() < 1e-6);
    }

    #[test]
    fn spun_sentences_are_told_from_edits() {
        let a = "Pro-government forces backed by Russian airpower are advancing rapidly towards a border town still held by the Islamic State group.";
        let b = "Pro-government forces subsidized through Russian airpower are advancing unexpectedly toward a border town nevertheless held with the aid of the Islamic State institution.";
        let al = run(a, b);
        assert_eq!(al.matches.len(), 1);
        assert_eq!(al.matches[0].kind, PassageKind::Spun);
        let c = "Pro-government forces backed by Russian airpower are advancing towards a border town still held by the Islamic State group, officials said.";
        assert_eq!(run(a, c).matches[0].kind, PassageKind::Edited);
    }

    #[test]
    fn unrelated_sentences_do_not_match() {
        let al = run(
            TEXT,
            "The central bank raised interest rates by half a point on Thursday to curb inflation.",
        );
        assert!(al.matches.is_empty());
    }

    #[test]
    fn lis() {
        assert_eq!(longest_non_decreasing(&[0, 1, 5, 2, 3]), 4);
        assert_eq!(longest_non_decreasing(&[]), 0);
    }
}
