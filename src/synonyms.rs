//! **Synonyms**: which words a synonym spinner may put for one another, from a compact table
//! derived from WordNet 3.0 (`data/wordnet-synonyms.tsv`, built by
//! `tools/wordnet_synonyms.py`; licence in `data/WORDNET-LICENSE`).
//!
//! Used by alignment (a swapped synonym still counts as the same word, and marks a sentence
//! as spun) and by the synthetic test set's spinner. Lookups are by stem, so "killed" and
//! "slays" are synonyms when "kill" and "slay" are.

use crate::normalize::{stem, term_hash};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/wordnet-synonyms.tsv");

/// The synonym table, loaded once.
pub struct Synonyms {
    /// Headword → its synonyms, as written in the table (lemmas).
    words: HashMap<&'static str, Vec<&'static str>>,
    /// Stem hash → the stem hashes of its synonyms (both directions of the table), sorted.
    stems: HashMap<u64, Vec<u64>>,
}

/// The shared table.
pub fn synonyms() -> &'static Synonyms {
    static S: OnceLock<Synonyms> = OnceLock::new();
    S.get_or_init(|| Synonyms::parse(TABLE))
}

impl Synonyms {
    fn parse(table: &'static str) -> Self {
        let mut words = HashMap::new();
        let mut pairs: HashSet<(u64, u64)> = HashSet::new();
        for line in table.lines() {
            let Some((head, rest)) = line.split_once('\t') else {
                continue;
            };
            let syns: Vec<&'static str> = rest.split_whitespace().collect();
            let h = term_hash(&stem(head));
            for s in &syns {
                let hs = term_hash(&stem(s));
                if hs != h {
                    pairs.insert((h, hs));
                    pairs.insert((hs, h));
                }
            }
            words.insert(head, syns);
        }
        let mut stems: HashMap<u64, Vec<u64>> = HashMap::new();
        for (a, b) in pairs {
            stems.entry(a).or_default().push(b);
        }
        for v in stems.values_mut() {
            v.sort_unstable();
        }
        Synonyms { words, stems }
    }

    /// The synonyms of a term hash (of a stem, as in [`crate::normalize::Token::hash`]).
    pub fn of_term(&self, term: u64) -> &[u64] {
        self.stems.get(&term).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether two term hashes are synonyms.
    pub fn are_synonyms(&self, a: u64, b: u64) -> bool {
        a != b && self.of_term(a).binary_search(&b).is_ok()
    }

    /// The synonyms of a lower-case word, trying its inflected form, then simple lemmas
    /// ("killed" → "kill", "cities" → "city").
    pub fn of(&self, word: &str) -> &[&'static str] {
        for cand in lemma_candidates(word) {
            if let Some(s) = self.words.get(cand.as_str()) {
                return s;
            }
        }
        &[]
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// A word and the lemmas it may be an inflection of, most likely first.
fn lemma_candidates(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    let strip = |suffix: &str, add: &str| {
        w.strip_suffix(suffix)
            .filter(|s| s.len() >= 3)
            .map(|s| format!("{s}{add}"))
    };
    let rules: [(&str, &str); 9] = [
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
    ];
    for (suffix, add) in rules {
        if let Some(c) = strip(suffix, add) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_common_spinner_swaps() {
        let s = synonyms();
        assert!(s.len() > 1000, "table loaded: {}", s.len());
        assert!(s.of("city").contains(&"metropolis"));
        assert!(s.of("cities").contains(&"metropolis"));
        let h = |w: &str| term_hash(&stem(w));
        assert!(s.are_synonyms(h("city"), h("metropolis")));
        assert!(!s.are_synonyms(h("city"), h("banana")));
    }
}
