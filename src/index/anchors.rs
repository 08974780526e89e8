//! The copy fingerprint of a store: **anchors**, a sample of an article's hashed word 4-grams
//! that two texts sharing a passage share too, and the in-memory postings they are looked up
//! in.
//!
//! An anchor is a word 4-gram whose hash is 0 modulo [`ANCHOR_MODULUS`]: whether a 4-gram is
//! one depends on its words alone, so a copy keeps every anchor of the passages it kept, an
//! edit or a swapped synonym loses only the anchors it touches, and a copy trimmed to 150
//! words still shares about nine with its source. One anchor per sixteen words is what an
//! article costs in the index. Words are cut and lower-cased by a byte scan (no stemming, no
//! Unicode normalisation): the fast path that every stored and queried article takes.
//!
//! Invariant: anchors depend on the text alone, never on ids, order or the corpus.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Words per anchor.
pub const ANCHOR_WORDS: usize = 4;
/// One 4-gram in this many (by hash) is an anchor.
pub const ANCHOR_MODULUS: u64 = 8;

/// Calls `f` with each word of `text`, lower-cased: runs of letters and digits, an apostrophe
/// inside a word dropped ("don't" → "dont").
fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    let bytes = text.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                buf.push(b.to_ascii_lowercase());
            } else if b == b'\''
                && !buf.is_empty()
                && bytes.get(i).is_some_and(u8::is_ascii_alphanumeric)
            {
                // inside a word
            } else if !buf.is_empty() {
                f(&buf);
                buf.clear();
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            let mut tmp = [0u8; 4];
            for l in c.to_lowercase() {
                buf.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
            }
        } else if c == '\u{2019}' && !buf.is_empty() {
            // a typographic apostrophe inside a word
        } else if !buf.is_empty() {
            f(&buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(&buf);
    }
}

/// Hashes of the word 4-grams of `text`, in text order (repeats included).
pub fn shingle_hashes(text: &str, mut f: impl FnMut(u64)) {
    let mut w = [0u64; ANCHOR_WORDS];
    let mut n = 0usize;
    for_each_word(text, |word| {
        w.rotate_left(1);
        w[ANCHOR_WORDS - 1] = xxhash_rust::xxh3::xxh3_64(word);
        n += 1;
        if n >= ANCHOR_WORDS {
            let mut h = w[0];
            for &x in &w[1..] {
                h = (h.rotate_left(23) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            f(h ^ (h >> 31));
        }
    });
}

/// The anchors of `text`, sorted and distinct.
pub fn anchors(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    shingle_hashes(text, |h| {
        if h % ANCHOR_MODULUS == 0 {
            out.push(h);
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// Anchor hashes are already uniform: the map's hasher only spreads their low bits, which
/// are all zero for an anchor.
#[derive(Default)]
pub struct SpreadHasher(u64);

impl Hasher for SpreadHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
}

type Spread = BuildHasherDefault<SpreadHasher>;

/// Anchor → the articles holding it, in memory: the first holder inline (most anchors have
/// one), more in a second map, at most `cap + 1` per anchor (the earliest: enough to know an
/// anchor is common and which articles had it first).
#[derive(Debug)]
pub struct Postings {
    first: HashMap<u64, u32, Spread>,
    more: HashMap<u64, Vec<u32>, Spread>,
    cap: usize,
}

impl Postings {
    pub fn new(cap: usize) -> Self {
        Postings {
            first: HashMap::default(),
            more: HashMap::default(),
            cap,
        }
    }

    pub fn insert(&mut self, anchor: u64, doc: u32) {
        match self.first.entry(anchor) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(doc);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                let list = self.more.entry(anchor).or_default();
                if list.len() < self.cap {
                    list.push(doc);
                }
            }
        }
    }

    /// The holders of `anchor` (the earliest `cap + 1` at most), earliest first.
    pub fn holders(&self, anchor: u64, out: &mut Vec<u32>) {
        out.clear();
        if let Some(&d) = self.first.get(&anchor) {
            out.push(d);
            if let Some(more) = self.more.get(&anchor) {
                out.extend_from_slice(more);
            }
        }
    }

    /// Distinct anchors held.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Heap bytes, estimated from the maps' capacities (an entry, its control byte, its slack).
    pub fn bytes(&self) -> usize {
        self.first.capacity() * (12 + 1)
            + self.more.capacity() * (32 + 1)
            + self.more.values().map(|v| v.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_and_folded() {
        let mut words = Vec::new();
        for_each_word("Don't STOP — Ünïcode’s 42nd, ok", |w| {
            words.push(String::from_utf8_lossy(w).into_owned())
        });
        assert_eq!(words, ["dont", "stop", "ünïcodes", "42nd", "ok"]);
    }

    #[test]
    fn a_copy_keeps_the_anchors_of_the_passage_it_kept() {
        let sentence = "the quick brown fox jumps over the lazy dog near the river bank today";
        let source: String = (0..40)
            .map(|i| format!("{sentence} number {i}. "))
            .collect();
        let trimmed: String = (10..22)
            .map(|i| format!("{sentence} number {i}. "))
            .collect();
        let (a, b) = (anchors(&source), anchors(&trimmed));
        assert!(!b.is_empty());
        assert!(b.iter().all(|h| a.binary_search(h).is_ok()));
        // Case and punctuation do not matter.
        assert_eq!(anchors(&trimmed.to_uppercase().replace('.', ";")), b);
    }

    #[test]
    fn postings_keep_the_earliest_holders() {
        let mut p = Postings::new(2);
        for d in 0..5 {
            p.insert(32, d);
        }
        let mut out = Vec::new();
        p.holders(32, &mut out);
        assert_eq!(out, [0, 1, 2]);
        p.holders(48, &mut out);
        assert!(out.is_empty());
    }
}
