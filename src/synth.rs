//! **Synthetic reuse**: planted copies, copies of copies, spins and mashups of real articles,
//! with the truth recorded, for measuring the engine (`newstrace eval`) and for benchmarks.
//!
//! Every generator is deterministic given its random-number generator's seed. Not for
//! rewrites: a person's paraphrase cannot be faked by a program, so rewrites are measured on
//! the seeds, the demo corpus and the short-answer set instead.

use crate::article::{Article, DocId};
use crate::judge::Relation;
use crate::normalize::{is_stopword, sentence_spans};
use crate::synonyms::synonyms;
use fastrand::Rng;

/// What a planted article is and where it took its text from.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    pub article: Article,
    /// The articles it took text from directly (two for a mashup).
    pub sources: Vec<DocId>,
    pub relation: Relation,
    /// A short name of how it was made: `trimmed`, `padded`, `copy-of-copy`, `spin30`, ….
    pub kind: String,
}

impl Planted {
    /// A copy of `source` made of `lines`.
    fn copy(id: &str, lines: &[String], source: &Article, kind: &str) -> Self {
        Planted {
            article: Article::from_text(id, lines.join("\n")),
            sources: vec![source.id.clone()],
            relation: Relation::Copy,
            kind: kind.into(),
        }
    }
}

/// How many of `n` sentences a copy that keeps `share` of them keeps: rounded up, at least two
/// (where there are two).
fn kept(n: usize, share: f32) -> usize {
    ((n as f32 * share).ceil() as usize).clamp(2.min(n), n)
}

fn sentences(text: &str) -> Vec<String> {
    sentence_spans(text)
        .into_iter()
        .map(|s| text.chars().skip(s.start).take(s.len()).collect())
        .collect()
}

/// Local intros and outlet boilerplate that copiers add.
const INTROS: &[&str] = &[
    "Here is the latest on the story our readers have been following this week.",
    "The following report was received by our newsroom on Monday evening.",
    "Readers in our region have been asking about this story, so we bring it in full.",
];
const OUTROS: &[&str] = &[
    "Follow our website for further updates on this developing story.",
    "Copyright of this report belongs to its original publisher and is reproduced for our readers.",
    "Send your news tips to our editorial desk by email at any time of day.",
];

/// The first `share` of the source's sentences, verbatim.
pub fn trimmed_copy(src: &Article, id: &str, share: f32) -> Planted {
    let s = sentences(&src.text);
    Planted::copy(id, &s[..kept(s.len(), share)], src, "trimmed")
}

/// The source with a local intro before and outlet boilerplate after.
pub fn padded_copy(src: &Article, id: &str, rng: &mut Rng) -> Planted {
    let mut s = sentences(&src.text);
    s.insert(0, INTROS[rng.usize(..INTROS.len())].to_string());
    s.push(OUTROS[rng.usize(..OUTROS.len())].to_string());
    Planted::copy(id, &s, src, "padded")
}

/// An edited copy: trimmed to `share`, with an outlet's own changes to two sentences (a clause
/// added, a sentence dropped), so that a copy of it can be told from a copy of the source.
pub fn edited_copy(src: &Article, id: &str, share: f32, rng: &mut Rng) -> Planted {
    let mut s = sentences(&src.text);
    s.truncate(kept(s.len(), share));
    if s.len() > 3 {
        s.remove(1 + rng.usize(..s.len() - 2));
    }
    const CLAUSES: &[&str] = &[
        ", according to local officials quoted by our correspondent",
        ", a spokesman told our reporter on condition of anonymity",
        ", witnesses told this newspaper by telephone",
    ];
    if let Some(last) = s.last_mut() {
        let clause = CLAUSES[rng.usize(..CLAUSES.len())];
        let body = last.trim_end_matches(['.', '!', '?']).to_string();
        *last = format!("{body}{clause}.");
    }
    Planted::copy(id, &s, src, "edited")
}

/// A copy of `parent` (itself a copy): its first `share` of sentences, keeping the parent's
/// edits, and ending with the parent's last (edited) sentence.
pub fn copy_of_copy(parent: &Article, id: &str, share: f32) -> Planted {
    let s = sentences(&parent.text);
    let mut out: Vec<String> = s[..kept(s.len(), share).saturating_sub(1)].to_vec();
    if let Some(last) = s.last() {
        out.push(last.clone());
    }
    Planted::copy(id, &out, parent, "copy-of-copy")
}

/// A synonym spinner: swaps `rate` of all words for a dictionary synonym, leaving names
/// (capitalised words), numbers and function words alone, as spinning software does.
pub fn spin(src: &Article, id: &str, rate: f32, rng: &mut Rng) -> Planted {
    let text = &src.text;
    // Word spans in bytes, with whether the spinner may touch each.
    let mut words: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = &text[s..i];
                let lower = w.to_lowercase();
                let eligible = w.chars().next().is_some_and(|f| f.is_lowercase())
                    && w.chars().count() >= 3
                    && !is_stopword(&lower)
                    && !synonyms().of(&lower).is_empty();
                words.push((s, i, eligible));
                start = None;
            }
            _ => {}
        }
    }
    let mut eligible: Vec<usize> = (0..words.len()).filter(|&k| words[k].2).collect();
    rng.shuffle(&mut eligible);
    let target = ((words.len() as f32 * rate).round() as usize).min(eligible.len());
    let mut chosen: Vec<usize> = eligible[..target].to_vec();
    chosen.sort_unstable();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut at = 0;
    for k in chosen {
        let (s, e, _) = words[k];
        let lower = text[s..e].to_lowercase();
        let options = synonyms().of(&lower);
        let pick = options[rng.usize(..options.len())];
        out.push_str(&text[at..s]);
        out.push_str(pick);
        at = e;
    }
    out.push_str(&text[at..]);
    Planted {
        article: Article::from_text(id, out),
        sources: vec![src.id.clone()],
        relation: Relation::Spin,
        kind: format!("spin{:.0}", rate * 100.0),
    }
}

/// A content farm's mashup: blocks of sentences from two sources, alternating.
pub fn mashup(a: &Article, b: &Article, id: &str, rng: &mut Rng) -> Planted {
    let (sa, sb) = (sentences(&a.text), sentences(&b.text));
    let block = 3 + rng.usize(..2);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let limit = 4 * block;
    while (i < sa.len() || j < sb.len()) && out.len() < limit {
        out.extend(sa.iter().skip(i).take(block).cloned());
        i += block;
        out.extend(sb.iter().skip(j).take(block).cloned());
        j += block;
    }
    Planted {
        article: Article::from_text(id, out.join("\n")),
        sources: vec![a.id.clone(), b.id.clone()],
        relation: Relation::Copy,
        kind: "mashup".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(text: &str) -> Article {
        Article::from_text("s", text.into())
    }

    const TEXT: &str = "The city council approved the new budget on Tuesday. \
        Officials said the plan would reduce spending on roads. \
        The mayor called the decision a victory for residents. \
        Critics warned that public services would suffer. \
        A final vote is expected next month.";

    #[test]
    fn trimmed_and_padded() {
        let t = trimmed_copy(&art(TEXT), "t", 0.4);
        assert_eq!(t.article.text.lines().count(), 2);
        let mut rng = Rng::with_seed(1);
        let p = padded_copy(&art(TEXT), "p", &mut rng);
        assert_eq!(p.article.text.lines().count(), 7);
    }

    #[test]
    fn spin_swaps_words_but_keeps_names() {
        let mut rng = Rng::with_seed(7);
        let s = spin(&art(TEXT), "x", 0.3, &mut rng);
        assert_ne!(s.article.text, TEXT);
        assert!(s.article.text.starts_with("The "));
        let changed = TEXT
            .split_whitespace()
            .zip(s.article.text.split_whitespace())
            .filter(|(a, b)| a != b)
            .count();
        assert!(changed >= 3, "{}", s.article.text);
    }
}
