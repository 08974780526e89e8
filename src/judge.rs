//! Stage 7, **judge**: does an [`Alignment`] amount to reuse, of what kind ([`Relation`]),
//! and which article is the source?
//!
//! Reuse needs more than shared facts: independent reports of one event share names,
//! numbers and a quote, but not a run of passages. So: copied passages (identical, edited,
//! spun) must cover a real part of a text; paraphrased ones must come several in the same
//! order. Direction comes from, strongest first: a credit naming the other's outlet,
//! publication dates, a wire dateline one has and the other lacks, and containment (the
//! derived text is the one more covered by the other).
//!
//! Invariant: every judgement carries the evidence it rests on, in words.

use crate::align::{Alignment, PassageKind};
use crate::article::{Article, CharSpan, CreditKind};
use crate::credits::agency_of_outlet;

/// What kind of reuse a derived article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// Verbatim or lightly edited republication, also trimmed or padded.
    Copy,
    /// The same content reworded by a person: paraphrase, summary, translation.
    Rewrite,
    /// Mechanical word-by-word synonym substitution.
    Spin,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Copy => "copy",
            Relation::Rewrite => "rewrite",
            Relation::Spin => "spin",
        }
    }
}

/// One aligned passage, oriented: `source` in the source article, `derived` in the derived.
#[derive(Debug, Clone, PartialEq)]
pub struct ReusedPassage {
    pub source: CharSpan,
    pub derived: CharSpan,
    pub kind: PassageKind,
}

/// `derived` took text from `source`: the engine's answer for one pair of articles.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    /// Indices of the two articles in the analysed collection.
    pub source: usize,
    pub derived: usize,
    pub relation: Relation,
    pub confidence: f32,
    pub source_coverage: f32,
    pub derived_coverage: f32,
    pub passages: Vec<ReusedPassage>,
    pub evidence: Vec<String>,
}

/// Thresholds for calling an alignment reuse.
#[derive(Debug, Clone, Copy)]
pub struct JudgeConfig {
    /// Copied sentences needed, and the share of a text they must cover.
    pub min_copied_sentences: usize,
    pub min_copied_coverage: f32,
    /// Matched sentences needed for a rewrite, the share of them in order, and coverage.
    pub min_rewrite_sentences: usize,
    pub min_rewrite_in_order: f32,
    pub min_rewrite_coverage: f32,
    /// Share of the shorter text's sentences that in-order matches (seeded and extended)
    /// must reach for a rewrite.
    pub min_rewrite_chain: f32,
}

impl Default for JudgeConfig {
    fn default() -> Self {
        JudgeConfig {
            min_copied_sentences: 2,
            min_copied_coverage: 0.15,
            min_rewrite_sentences: 3,
            min_rewrite_in_order: 0.6,
            min_rewrite_coverage: 0.4,
            min_rewrite_chain: 0.3,
        }
    }
}

/// Judges the alignment of articles `a` (index `ai`) and `b` (index `bi`).
pub fn judge(
    a: &Article,
    ai: usize,
    b: &Article,
    bi: usize,
    al: &Alignment,
    cfg: &JudgeConfig,
) -> Option<Reuse> {
    // Matches found on their own decide whether this is reuse; extended ones add coverage.
    // Counted by sentences of each side, so that one sentence merging two counts once.
    let distinct = |side: fn(&crate::align::SentenceMatch) -> usize| {
        let mut v: Vec<usize> = al
            .matches
            .iter()
            .filter(|m| !m.extended)
            .map(side)
            .collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let n = distinct(|m| m.a).min(distinct(|m| m.b));
    if n == 0 {
        return None;
    }
    let copied = al
        .matches
        .iter()
        .filter(|m| m.kind != PassageKind::Paraphrased && !m.extended)
        .count();
    let max_cov = al.a_coverage.max(al.b_coverage);
    let fewest = al.a_sentences.min(al.b_sentences).max(1);
    let identical = al
        .matches
        .iter()
        .filter(|m| m.kind == PassageKind::Identical)
        .count();
    let ordered = al.in_order as f32 >= cfg.min_rewrite_in_order * al.matches.len() as f32;
    // Copies keep their source's order; identical sentences are copying in any order.
    // A text of one or two sentences is a copy when a sentence of it is taken nearly word
    // for word; a spun or paraphrased single sentence is too little to tell.
    let near_verbatim = al
        .matches
        .iter()
        .filter(|m| !m.extended && (m.kind == PassageKind::Identical || m.order_sim >= 0.8))
        .count();
    let copy_evidence = (ordered || identical >= 2)
        && ((copied >= cfg.min_copied_sentences && max_cov >= cfg.min_copied_coverage)
            || (near_verbatim >= 1 && fewest <= 2 && max_cov >= 0.5));
    // A rewrite follows its source sentence after sentence: seeds plus extension must chain
    // through a good part of the shorter text, which independent reports of one event do not.
    // ... and at least four sentences long: three matched sentences of a short trimmed copy
    // are what any report of the event shares with it.
    let share_ok = al.in_order as f32 >= cfg.min_rewrite_chain * fewest as f32 && al.in_order >= 4;
    let rewrite_evidence = (n >= cfg.min_rewrite_sentences
        && ordered
        && share_ok
        && max_cov >= cfg.min_rewrite_coverage)
        || (n >= 2
            && al.a_sentences.max(al.b_sentences) <= 10
            && al.in_order >= n
            && al.in_order == al.matches.len()
            && max_cov >= 0.4);
    if !(copy_evidence || rewrite_evidence) {
        return None;
    }

    // Relation, from how the derived side's matched characters were changed.
    let k = al.b_chars_by_kind;
    let total = k.iter().sum::<usize>().max(1) as f32;
    let share = |kind: PassageKind| k[kind as usize] as f32 / total;
    // Sentences edited beyond a copy editor's touch count towards a rewrite.
    let loose = al.b_chars_loosely_edited as f32 / total;
    let verbatim = share(PassageKind::Identical) + share(PassageKind::Edited) - loose;
    let spun = share(PassageKind::Spun);
    let para = share(PassageKind::Paraphrased) + loose;
    let relation = if spun >= 0.2 && spun >= para {
        Relation::Spin
    } else if verbatim >= 0.5 {
        Relation::Copy
    } else if para >= spun {
        Relation::Rewrite
    } else {
        Relation::Spin
    };

    // A few spun-looking sentences in a long text are chance; a spin is of most of a text.
    if relation == Relation::Spin && max_cov < 0.3 {
        return None;
    }
    let mut evidence = Vec::new();
    let (a_src, dir_strength) = direction(a, b, al, relation, &mut evidence);
    let (src, src_i, der, der_i) = if a_src {
        (a, ai, b, bi)
    } else {
        (b, bi, a, ai)
    };
    let (source_coverage, derived_coverage) = if a_src {
        (al.a_coverage, al.b_coverage)
    } else {
        (al.b_coverage, al.a_coverage)
    };
    let der_sents = if a_src {
        al.b_sentences
    } else {
        al.a_sentences
    };
    let mut matched: Vec<usize> = al
        .matches
        .iter()
        .map(|m| if a_src { m.b } else { m.a })
        .collect();
    matched.sort_unstable();
    matched.dedup();
    let matched_derived = matched.len();
    evidence.insert(
        0,
        format!(
            "{} of {der_sents} sentences of {} match {}, {} in the same order",
            matched_derived, der.id, src.id, al.in_order
        ),
    );
    let kinds: Vec<String> = [
        PassageKind::Identical,
        PassageKind::Edited,
        PassageKind::Paraphrased,
        PassageKind::Spun,
    ]
    .iter()
    .filter(|&&kd| share(kd) > 0.0)
    .map(|&kd| format!("{:.0}% {}", share(kd) * 100.0, kd.as_str()))
    .collect();
    evidence.insert(1, format!("matched text is {}", kinds.join(", ")));
    for agency in src.credited_agencies() {
        if !der.credits.iter().any(|c| c.agency == agency) {
            evidence.push(format!("no credit to {agency}"));
        }
    }

    // Confidence = P(this is reuse) × P(the source is the right one), each read off how often
    // entries with that evidence were right on the synthetic test set (`newstrace eval`).
    let spun_sentences = al
        .matches
        .iter()
        .filter(|m| m.kind == PassageKind::Spun)
        .count();
    let real = match relation {
        Relation::Copy if near_verbatim >= 2 && max_cov >= 0.5 => 0.99,
        Relation::Copy if copied >= 2 => 0.9,
        Relation::Spin if spun_sentences >= 3 => 0.97,
        Relation::Rewrite if al.in_order >= 8 => 0.9,
        Relation::Rewrite if al.in_order >= 5 => 0.75,
        _ => 0.6,
    };
    let confidence = ((real * dir_strength) * 100.0).round() / 100.0;
    let passages = al
        .passages
        .iter()
        .map(|p| ReusedPassage {
            source: if a_src { p.a } else { p.b },
            derived: if a_src { p.b } else { p.a },
            kind: p.kind,
        })
        .collect();
    Some(Reuse {
        source: src_i,
        derived: der_i,
        relation,
        confidence,
        source_coverage,
        derived_coverage,
        passages,
        evidence,
    })
}

/// Whether `a` is the source, and how sure (0.5 a coin toss, 1.0 certain), with reasons.
fn direction(
    a: &Article,
    b: &Article,
    al: &Alignment,
    relation: Relation,
    evidence: &mut Vec<String>,
) -> (bool, f32) {
    let mut score = 0.0f32; // > 0: a is the source
    let mut reasons: Vec<(f32, String)> = Vec::new();

    // 1. A credit naming the other article's outlet.
    for (x, y, sign) in [(a, b, 1.0f32), (b, a, -1.0)] {
        if let Some(agency) = x.outlet.as_deref().and_then(agency_of_outlet) {
            if y.credits.iter().any(|c| c.agency == agency) {
                score += 3.0 * sign;
                reasons.push((
                    3.0 * sign,
                    format!("{} credits {agency}, the outlet of {}", y.id, x.id),
                ));
            }
        }
    }
    // 2. Publication times.
    if let (Some(pa), Some(pb)) = (a.published, b.published) {
        let hours = (pb - pa).num_seconds() as f32 / 3600.0;
        // A date given without a time of day (read as midnight) only tells the day.
        let day_only = pa.time() == chrono::NaiveTime::MIN || pb.time() == chrono::NaiveTime::MIN;
        let tells = if day_only {
            pa.date_naive() != pb.date_naive()
        } else {
            pa != pb
        };
        if tells {
            let s = 2.0 * hours.signum();
            score += s;
            let (early, late) = if hours > 0.0 { (a, b) } else { (b, a) };
            reasons.push((
                s,
                format!(
                    "{} was published {} after {}",
                    late.id,
                    human_hours(hours.abs()),
                    early.id
                ),
            ));
        }
    }
    // 3. A wire dateline that one has and the other lacks.
    let dateline = |x: &Article| x.credits.iter().any(|c| c.kind == CreditKind::Dateline);
    match (dateline(a), dateline(b)) {
        (true, false) => {
            score += 1.0;
            reasons.push((
                1.0,
                format!("{} carries the wire dateline, {} does not", a.id, b.id),
            ));
        }
        (false, true) => {
            score -= 1.0;
            reasons.push((
                -1.0,
                format!("{} carries the wire dateline, {} does not", b.id, a.id),
            ));
        }
        _ => {}
    }
    // 4. Containment: the derived text is the one more covered by the other, unless what the
    // other has on top is only padding (a local intro, an outlet's sign-off).
    let diff = al.b_coverage - al.a_coverage;
    let padding = (diff > 0.0 && al.a_padded) || (diff < 0.0 && al.b_padded);
    if padding {
        let s = -diff.signum();
        score += s;
        let (padded, plain) = if diff > 0.0 { (a, b) } else { (b, a) };
        reasons.push((
            s,
            format!(
                "{} is {} with a generic intro or sign-off added",
                padded.id, plain.id
            ),
        ));
    } else if diff.abs() >= 0.1 {
        let s = diff.signum();
        score += s;
        let (more, less) = if diff > 0.0 { (b, a) } else { (a, b) };
        let cov = al.a_coverage.max(al.b_coverage);
        reasons.push((
            s,
            format!("{:.0}% of {} is found in {}", cov * 100.0, more.id, less.id),
        ));
    }
    // 5. A spinner's replacements are rarer (and longer) than the words they replace.
    if relation != Relation::Rewrite && al.a_swaps.words >= 3 && al.b_swaps.words >= 3 {
        let mean =
            |s: &crate::align::Swaps| (s.idf / s.words as f32, s.chars as f32 / s.words as f32);
        let ((ia, ca), (ib, cb)) = (mean(&al.a_swaps), mean(&al.b_swaps));
        let s = if (ia - ib).abs() >= 0.05 {
            (ib - ia).signum()
        } else if (ca - cb).abs() >= 0.3 {
            (cb - ca).signum()
        } else {
            0.0
        };
        if s != 0.0 {
            score += 1.5 * s;
            let (plain, odd) = if s > 0.0 { (a, b) } else { (b, a) };
            reasons.push((
                1.5 * s,
                format!(
                    "{} swaps {}'s words for rarer, longer ones, as a spinner does",
                    odd.id, plain.id
                ),
            ));
        }
    }
    let a_src = if score != 0.0 {
        score > 0.0
    } else {
        // Nothing tells: the longer text is more likely the one others took from.
        a.text.chars().count() >= b.text.chars().count()
    };
    for (s, r) in reasons {
        if (s > 0.0) == a_src {
            evidence.push(r);
        }
    }
    let strength = match score.abs() {
        x if x >= 2.0 => 0.98,
        x if x >= 1.0 => 0.95,
        _ => 0.6,
    };
    (a_src, strength)
}

fn human_hours(h: f32) -> String {
    if h >= 48.0 {
        format!("{:.0} days", h / 24.0)
    } else if h >= 1.0 {
        format!("{h:.0} hours")
    } else {
        format!("{:.0} minutes", h * 60.0)
    }
}
