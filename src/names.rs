//! Names in an article, and their spelling variants learnt from the corpus itself.
//!
//! A name is a run of capitalised content words in one sentence ("Lindsay Lohan", "Betty Ford
//! Center", "Abu Kamal"); a lone capitalised word that opens a sentence is not one ("Despite").
//! Its key is its letters, lower-cased, without spaces or marks ("abukamal").
//!
//! Transliterations and misspellings ("Albu Kamal" / "Abu Kamal" / "Boukamal", "Hezbollah" /
//! "Hizballah") are found without a list: two names are variants of one when their letters are
//! close (at most one edit in four letters) *and* they occur in the same contexts (the telling words of the
//! articles that mention them). Candidates are only the names whose consonant skeletons agree
//! up to one deleted letter ("hzblh" = "hzblh", "lbkml" ⊃ "bkml"), so the search grows with
//! the number of names, not with its square.
//!
//! Invariant: the variant groups depend on the set of articles, not on their order.

use crate::fingerprint::TermVector;
use crate::normalize::Normalized;
use std::collections::{BTreeMap, HashMap};

/// Names a corpus must mention in this many articles before their variants are looked for.
const MIN_ARTICLES: usize = 2;
/// Least cosine of the contexts two variants are used in.
const MIN_CONTEXT: f32 = 0.2;
/// A skeleton shared by more names than this says nothing (very short names).
const MAX_BLOCK: usize = 60;
/// Articles per name whose words make its context.
const CONTEXT_ARTICLES: usize = 40;

/// One mention of a name: its key and the hashes of its words' terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub key: String,
    pub terms: Vec<u64>,
}

/// The names an article mentions, in text order.
pub fn names_in(text: &str, n: &Normalized) -> Vec<Name> {
    let chars: Vec<char> = text.chars().collect();
    let span = |a: usize, b: usize| &chars[a.min(chars.len())..b.min(chars.len())];
    let is_name_word = |t: &crate::normalize::Token| t.capitalized && !t.stop && !t.number;
    let mut out = Vec::new();
    for s in &n.sentences {
        let mut k = s.tokens.start;
        while k < s.tokens.end {
            if !is_name_word(&n.tokens[k]) {
                k += 1;
                continue;
            }
            let start = k;
            k += 1;
            // Words joined by spaces, hyphens or initials' dots only.
            while k < s.tokens.end
                && is_name_word(&n.tokens[k])
                && span(n.tokens[k - 1].span.end, n.tokens[k].span.start)
                    .iter()
                    .all(|c| c.is_whitespace() || *c == '-' || *c == '.')
            {
                k += 1;
            }
            if k - start == 1 && start == s.tokens.start {
                continue; // a sentence's first word
            }
            let run = &n.tokens[start..k];
            let key: String = run
                .iter()
                .flat_map(|t| span(t.span.start, t.span.end).iter())
                .filter(|c| c.is_alphabetic())
                .flat_map(|c| c.to_lowercase())
                .collect();
            if key.chars().count() >= 2 {
                out.push(Name {
                    key,
                    terms: run.iter().map(|t| t.hash).collect(),
                });
            }
        }
    }
    out
}

/// Spelling variants of names, learnt from a corpus: each key maps to its group's most
/// mentioned spelling.
#[derive(Debug, Default, Clone)]
pub struct Variants {
    canonical: HashMap<String, String>,
}

impl Variants {
    /// Learns the variant groups of the names of `docs` (one list per article), using each
    /// article's `contexts` vector (its telling words) to tell variants from namesakes.
    pub fn learn(docs: &[Vec<Name>], contexts: &[TermVector]) -> Self {
        // Per name: mentions and the articles that mention it (sorted by index).
        let mut seen: BTreeMap<&str, (usize, Vec<usize>)> = BTreeMap::new();
        for (d, names) in docs.iter().enumerate() {
            for name in names {
                let e = seen.entry(name.key.as_str()).or_default();
                e.0 += 1;
                if e.1.last() != Some(&d) {
                    e.1.push(d);
                }
            }
        }
        let names: Vec<(&str, usize, &Vec<usize>)> = seen
            .iter()
            .filter(|(_, (_, arts))| arts.len() >= MIN_ARTICLES)
            .map(|(k, (m, arts))| (*k, *m, arts))
            .collect();
        let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (key, _, _)) in names.iter().enumerate() {
            for b in skeleton_keys(key) {
                blocks.entry(b).or_default().push(i);
            }
        }
        let mut pairs: Vec<(usize, usize)> = blocks
            .into_values()
            .filter(|b| (2..=MAX_BLOCK).contains(&b.len()))
            .flat_map(|b| {
                let mut p = Vec::new();
                for x in 0..b.len() {
                    for y in x + 1..b.len() {
                        p.push((b[x].min(b[y]), b[x].max(b[y])));
                    }
                }
                p
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        // Spelling first (cheap), then context for the pairs that pass.
        let spelled: Vec<(usize, usize)> = pairs
            .into_iter()
            .filter(|&(i, j)| alike_in_spelling(names[i].0, names[j].0))
            .filter(|&(i, j)| {
                // An article keeps to one spelling: names often written side by side ("Los
                // Angeles Angels", "Australia" and "Australian") are two names.
                let (da, db) = (names[i].2, names[j].2);
                together(da, db) * 5 <= da.len().min(db.len())
            })
            .collect();
        let mut context_of: HashMap<usize, TermVector> = HashMap::new();
        for &(i, j) in &spelled {
            for k in [i, j] {
                context_of.entry(k).or_insert_with(|| {
                    let mut sum: HashMap<u64, f32> = HashMap::new();
                    for &d in names[k].2.iter().take(CONTEXT_ARTICLES) {
                        for &(h, w) in &contexts[d].0 {
                            *sum.entry(h).or_insert(0.0) += w;
                        }
                    }
                    TermVector::from_weights(sum)
                });
            }
        }
        let mut sets = petgraph::unionfind::UnionFind::<usize>::new(names.len());
        for (i, j) in spelled {
            if context_of[&i].cosine(&context_of[&j]) >= MIN_CONTEXT {
                sets.union(i, j);
            }
        }
        let labels = sets.into_labeling();
        let mut best: HashMap<usize, usize> = HashMap::new();
        for (i, &l) in labels.iter().enumerate() {
            let e = best.entry(l).or_insert(i);
            // Most mentioned, then alphabetically first (names are in key order).
            if names[i].1 > names[*e].1 {
                *e = i;
            }
        }
        let canonical = labels
            .iter()
            .enumerate()
            .filter(|&(i, l)| best[l] != i)
            .map(|(i, l)| (names[i].0.to_string(), names[best[l]].0.to_string()))
            .collect();
        Variants { canonical }
    }

    /// The spelling that stands for `key`'s variant group (`key` itself when it has none).
    pub fn canonical<'a>(&'a self, key: &'a str) -> &'a str {
        self.canonical.get(key).map_or(key, String::as_str)
    }

    /// Every (variant, canonical spelling) pair, sorted.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .canonical
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        v.sort_unstable();
        v
    }
}

/// Whether two name keys could be spellings of one name: at most one edit in four letters,
/// and not differing only in their ending (words of one family: "Canada" / "Canadian",
/// "China" / "Chinese").
pub(crate) fn alike_in_spelling(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = (la.min(lb), la.max(lb));
    if short < 4 || short * 3 < long * 2 {
        return false;
    }
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    strsim::levenshtein(a, b) <= (short / 4).max(1) && prefix + 2 < short
}

/// How many articles two sorted lists share.
fn together(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The blocking keys of a name: its consonant skeleton (vowels and `y` dropped, doubled
/// letters single) and, for skeletons of four letters or more, each with one letter deleted.
fn skeleton_keys(key: &str) -> Vec<String> {
    let mut sk: Vec<char> = Vec::new();
    for c in key.chars().filter(|c| !"aeiouy".contains(*c)) {
        if sk.last() != Some(&c) {
            sk.push(c);
        }
    }
    if sk.is_empty() {
        return Vec::new();
    }
    let mut out = vec![sk.iter().collect::<String>()];
    if sk.len() >= 4 {
        for i in 0..sk.len() {
            let s: String = sk
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != i)
                .map(|(_, c)| c)
                .collect();
            out.push(s);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn keys(text: &str) -> Vec<String> {
        names_in(text, &normalize(text, None))
            .into_iter()
            .map(|n| n.key)
            .collect()
    }

    #[test]
    fn names_are_runs_of_capitalised_words() {
        assert_eq!(
            keys("Despite the rain, Lindsay Lohan checked into the Betty Ford Center. Lohan said so."),
            vec!["lindsaylohan", "bettyfordcenter"]
        );
        assert_eq!(
            keys("Troops entered Abu Kamal on Thursday."),
            vec!["abukamal", "thursday"]
        );
    }

    #[test]
    fn skeletons_meet_across_transliterations() {
        let shared = |a: &str, b: &str| {
            let (x, y) = (skeleton_keys(a), skeleton_keys(b));
            x.iter().any(|k| y.contains(k))
        };
        assert!(shared("hezbollah", "hizballah"));
        assert!(shared("albukamal", "abukamal"));
        assert!(shared("abukamal", "boukamal"));
        assert!(!shared("lohan", "reid"));
    }
}
