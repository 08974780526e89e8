//! A store's story fingerprint, made fast: the same [`StoryDoc`] that
//! [`crate::pipeline::story_doc`] builds (stemmed content words, names, numbers, headline and
//! lead, publication day), from one byte scan of the text with the stems of words already
//! seen cached per thread, instead of the full normalisation (Unicode folding, sentence
//! splitting with abbreviations, lexicon joins) that alignment needs. Every article added to a
//! store takes this path; only the articles that share anchors with another are normalised
//! in full.
//!
//! Invariant: term hashes are those of [`crate::normalize`] for the same plain words, so the
//! statistics counted here weigh the words of a full normalisation too.

use crate::article::Article;
use crate::fingerprint::{TermStats, TermVector};
use crate::normalize::{is_abbreviation, term_hash, with_term};
use crate::pipeline::{StoryStats, NAME_TERM};
use crate::stories::StoryDoc;

/// One word as the scan saw it.
#[derive(Debug, Clone, Copy)]
struct Word {
    hash: u64,
    stop: bool,
    number: bool,
    capitalized: bool,
    /// First word of a sentence (after `.`, `!`, `?` or a line break).
    opens: bool,
    /// Only spaces, hyphens or dots since the previous word (a name may run on).
    tight: bool,
    /// The lower-cased letters, in the scan's letter buffer.
    letters: (u32, u32),
}

/// The words of `text`, and the buffer their letters are in.
fn scan(text: &str) -> (Vec<Word>, String) {
    let mut words = Vec::new();
    let mut letters = String::new();
    let mut word = String::new();
    let (mut capitalized, mut opens, mut tight) = (false, true, false);
    let mut gap_tight = true;
    let mut flush = |word: &mut String, capitalized: bool, opens: bool, tight: bool| {
        if word.is_empty() {
            return;
        }
        if word.ends_with("'s") {
            word.truncate(word.len() - 2);
        }
        if word.contains('\'') {
            word.retain(|c| c != '\'');
        }
        let w = word.as_str();
        if !w.is_empty() {
            let (hash, stop) = with_term(w, |_, hash, stop| (hash, stop));
            let start = letters.len() as u32;
            letters.extend(w.chars().filter(|c| c.is_alphabetic()));
            words.push(Word {
                hash,
                stop,
                number: w.starts_with(|c: char| c.is_ascii_digit()),
                capitalized,
                opens,
                tight,
                letters: (start, letters.len() as u32),
            });
        }
        word.clear();
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                capitalized = c.is_uppercase();
                tight = gap_tight;
            }
            word.extend(c.to_lowercase());
        } else if (c == '\'' || c == '\u{2019}')
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            word.push('\'');
        } else {
            // A full stop right after an abbreviation or an initial ("Mr.", "Gen.", "J.")
            // does not end a sentence.
            let mut abbreviated = false;
            if !word.is_empty() {
                abbreviated = c == '.'
                    && ((capitalized && word.chars().count() == 1) || is_abbreviation(&word));
                flush(&mut word, capitalized, opens, tight);
                opens = false;
                gap_tight = true;
            }
            match c {
                '.' | '!' | '?' => {
                    if !abbreviated && chars.peek().is_none_or(|n| n.is_whitespace()) {
                        opens = true;
                    }
                    gap_tight &= c == '.';
                }
                '\n' => {
                    opens = true;
                    gap_tight = false;
                }
                ' ' | '-' => {}
                _ => gap_tight = false,
            }
        }
    }
    flush(&mut word, capitalized, opens, tight);
    (words, letters)
}

type Counts = rustc_hash::FxHashMap<u64, f32>;

/// The counted terms of an article's story fingerprint, before weighting.
#[derive(Debug, Clone, Default)]
pub struct StoryTerms {
    words: Counts,
    names: Counts,
    numbers: Counts,
    lead: Counts,
    day: Option<f64>,
}

impl StoryTerms {
    /// Scans an article (title and text).
    pub fn of(a: &Article) -> Self {
        let (words, letters) = scan(&a.text);
        let mut t = StoryTerms {
            day: a.published.map(|t| t.timestamp() as f64 / 86_400.0),
            ..Default::default()
        };
        let boost = |w: &Word| if w.number || w.capitalized { 1.5 } else { 1.0 };
        let mut sentences = 0;
        for w in &words {
            sentences += w.opens as usize;
            if w.stop {
                continue;
            }
            *t.words.entry(w.hash).or_insert(0.0) += boost(w);
            if sentences <= 2 {
                *t.lead.entry(w.hash).or_insert(0.0) += boost(w);
            }
            if w.number {
                *t.numbers.entry(w.hash).or_insert(0.0) += 1.0;
            }
        }
        if let Some(title) = &a.title {
            for w in scan(title).0.iter().filter(|w| !w.stop) {
                *t.lead.entry(w.hash).or_insert(0.0) += boost(w);
            }
        }
        // Names: runs of capitalised content words; a sentence's lone first word is not one.
        let is_name = |w: &Word| w.capitalized && !w.stop && !w.number;
        let mut k = 0;
        while k < words.len() {
            if !is_name(&words[k]) {
                k += 1;
                continue;
            }
            let start = k;
            k += 1;
            while k < words.len() && is_name(&words[k]) && words[k].tight && !words[k].opens {
                k += 1;
            }
            if k - start == 1 && words[start].opens {
                continue;
            }
            let key = &letters[words[start].letters.0 as usize..words[k - 1].letters.1 as usize];
            if key.chars().count() >= 2 {
                for w in &words[start..k] {
                    *t.names.entry(w.hash).or_insert(0.0) += 1.0;
                }
                *t.names.entry(term_hash(key) ^ NAME_TERM).or_insert(0.0) += 1.0;
            }
        }
        t
    }

    /// Counts the article into statistics (each distinct term once).
    pub fn count(&self, stats: &mut StoryStats) {
        stats.words.add_terms(self.words.keys().copied());
        stats.names.add_terms(self.names.keys().copied());
        stats.numbers.add_terms(self.numbers.keys().copied());
    }

    /// The story fingerprint, weighted by `stats`.
    pub fn doc(&self, stats: &StoryStats) -> StoryDoc {
        let v =
            |c: &Counts, s: &TermStats| TermVector::from_counts(c.iter().map(|(&h, &f)| (h, f)), s);
        StoryDoc {
            words: v(&self.words, &stats.words),
            names: v(&self.names, &stats.names),
            numbers: v(&self.numbers, &stats.numbers),
            lead: v(&self.lead, &stats.words),
            day: self.day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn the_scan_hashes_words_as_normalisation_does() {
        let text = "Fighters of Islamic State retreated from Albu Kamal. The army's advance continued on Tuesday, officials said.";
        let (words, _) = scan(text);
        let full = normalize(text, None);
        let quick: Vec<u64> = words.iter().map(|w| w.hash).collect();
        let slow: Vec<u64> = full.tokens.iter().map(|t| t.hash).collect();
        assert_eq!(quick, slow);
    }

    #[test]
    fn names_are_runs_of_capitalised_words() {
        let a = Article::from_text(
            "x",
            "Troops entered Albu Kamal on Monday. Syria said so.".into(),
        );
        let t = StoryTerms::of(&a);
        let key = term_hash("albukamal") ^ NAME_TERM;
        assert!(t.names.contains_key(&key));
        // "Troops" opens a sentence alone: not a name; "Syria" neither.
        assert!(!t.names.contains_key(&(term_hash("troops") ^ NAME_TERM)));
        assert!(!t.names.contains_key(&(term_hash("syria") ^ NAME_TERM)));
    }

    #[test]
    fn a_full_stop_after_an_abbreviation_or_initial_does_not_open_a_sentence() {
        let a = Article::from_text(
            "x",
            "Talks began. Gen. Petraeus and J. Smith met Mr. Obama.".into(),
        );
        let t = StoryTerms::of(&a);
        for key in ["genpetraeus", "jsmith", "mrobama"] {
            assert!(
                t.names.contains_key(&(term_hash(key) ^ NAME_TERM)),
                "{key} is a name"
            );
        }
    }
}
