//! Stage 3, **normalise**: clean text → [`Token`]s and [`Sentence`]s for matching.
//!
//! Unicode NFKC, quote and dash variants folded, case folded, apostrophes dropped inside words
//! ("Shi'ite" → "shiite"), possessives dropped ("Syria's", and the stripped form "Syria s"),
//! split words rejoined where the corpus knows the whole ("Shi ite" → "shiite"), then
//! Snowball stemming.
//!
//! Invariant: every token and sentence carries the [`CharSpan`] of the clean text it came
//! from, so every match found on normalised text maps back to the text a person reads.

use crate::article::CharSpan;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// One normalised word of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Stemmed, case-folded form: what matching compares.
    pub term: String,
    /// `term` hashed: what fingerprints and indices store.
    pub hash: u64,
    pub span: CharSpan,
    /// A function word ("the", "of"): kept for alignment, left out of content similarity.
    pub stop: bool,
    /// Written with a capital letter in the text (a name, or a sentence's first word).
    pub capitalized: bool,
    /// Made of digits: numbers survive rewriting and spinning.
    pub number: bool,
}

impl Token {
    /// Names, numbers and rare words: what a rewrite or a spinner leaves untouched.
    pub fn is_content(&self) -> bool {
        !self.stop
    }
}

/// A sentence: its span in the clean text and the range of its tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub span: CharSpan,
    pub tokens: std::ops::Range<usize>,
}

/// An article's text in matchable form.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

/// A word as first cut from the text, before joining and stemming.
#[derive(Debug, Clone)]
struct Surface {
    form: String,
    span: CharSpan,
    capitalized: bool,
    /// Separated from the previous word by exactly one space.
    tight_after_prev: bool,
}

/// Words known to the corpus as whole words: lets "Shi ite" be rejoined to "shiite".
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    words: HashSet<String>,
}

impl Lexicon {
    /// Learns the whole words of a text.
    pub fn add_text(&mut self, text: &str) {
        for s in surfaces(text) {
            if s.form.chars().count() >= 5 && !self.words.contains(&s.form) {
                self.words.insert(s.form);
            }
        }
    }

    fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

fn stopwords() -> &'static HashSet<String> {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        stop_words::get(stop_words::LANGUAGE::English)
            .iter()
            .map(|w| w.replace('\'', ""))
            .collect()
    })
}

/// Whether a case-folded word is a function word.
pub fn is_stopword(w: &str) -> bool {
    stopwords().contains(w)
}

/// Stems one case-folded word.
pub fn stem(w: &str) -> String {
    stemmer().stem(w).into_owned()
}

/// Terms of word forms seen, per thread (news repeats its words; stemming is most of the
/// cost of normalising a word). Cleared when it holds this many.
const TERM_CACHE: usize = 100_000;
thread_local! {
    static TERMS: std::cell::RefCell<rustc_hash::FxHashMap<String, (String, u64, bool)>> =
        Default::default();
}

/// Calls `f` with the matching term of a case-folded word form (its stem; a number or a
/// function word as it is), the term's hash and whether it is a function word. Remembered
/// per thread: the one place a word becomes a term, for full normalisation and the store's
/// fast scan alike.
pub fn with_term<R>(form: &str, f: impl FnOnce(&str, u64, bool) -> R) -> R {
    TERMS.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((term, hash, stop)) = c.get(form) {
            return f(term, *hash, *stop);
        }
        let number = form.starts_with(|c: char| c.is_ascii_digit());
        let stop = is_stopword(form);
        let term = if number || stop {
            form.to_string()
        } else {
            stem(form)
        };
        let hash = term_hash(&term);
        let r = f(&term, hash, stop);
        if c.len() >= TERM_CACHE {
            c.clear();
        }
        c.insert(form.to_string(), (term, hash, stop));
        r
    })
}

/// Hash of a term, stable across runs and machines.
pub fn term_hash(term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes())
}

/// Folds one character to its matching form: NFKC, quotes to `'`, dashes to `-`, lower case.
fn fold_char(c: char, out: &mut String) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => {
            out.push('\'')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            out.push('-')
        }
        _ => {
            for n in std::iter::once(c).nfkc() {
                for l in n.to_lowercase() {
                    out.push(l);
                }
            }
        }
    }
}

/// Spans of the words of a text (runs of letters and digits), in characters.
pub fn word_spans(text: &str) -> impl Iterator<Item = CharSpan> + '_ {
    let mut chars = text.chars().enumerate().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + 1;
            chars.next();
        }
        Some(CharSpan::new(start, end))
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// Cuts a text into surface words: apostrophes inside words dropped, possessive `'s` dropped,
/// digits joined across `,` and `.` ("1,000", "3.5").
fn surfaces(text: &str) -> Vec<Surface> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Surface> = Vec::new();
    let mut i = 0;
    let mut prev_end: Option<usize> = None;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut form = String::new();
        let mut end = i;
        while i < chars.len() {
            let c = chars[i];
            let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            if c.is_alphanumeric() {
                fold_char(c, &mut form);
                end = i + 1;
                i += 1;
            } else if is_apostrophe(c) && next_alnum && end == i {
                // "'s" at the end of a word is a possessive: drop it and end the word.
                let s_end = chars.get(i + 1).is_some_and(|&n| n == 's' || n == 'S')
                    && !chars.get(i + 2).is_some_and(|n| n.is_alphanumeric());
                if s_end {
                    i += 2;
                    break;
                }
                i += 1; // inner apostrophe: "shi'ite" → "shiite"
            } else if (c == ',' || c == '.')
                && next_alnum
                && form.chars().last().is_some_and(|l| l.is_ascii_digit())
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
            {
                if c == '.' {
                    form.push('.');
                }
                i += 1;
            } else {
                break;
            }
        }
        let tight = prev_end.is_some_and(|p| start == p + 1 && chars[p] == ' ');
        let capitalized = chars[start].is_uppercase();
        prev_end = Some(end);
        // The stripped-apostrophe possessive "Syria s": a lone "s" right after a word.
        if form == "s" && tight && !capitalized {
            continue;
        }
        out.push(Surface {
            form,
            span: CharSpan::new(start, end),
            capitalized,
            tight_after_prev: tight,
        });
    }
    out
}

/// Normalises a text into tokens and sentences. `lexicon`, when given, rejoins words that
/// lost an apostrophe to a space ("Shi ite") where the corpus has the whole word.
pub fn normalize(text: &str, lexicon: Option<&Lexicon>) -> Normalized {
    let surf = surfaces(text);
    let mut tokens: Vec<Token> = Vec::with_capacity(surf.len());
    let mut i = 0;
    while i < surf.len() {
        let mut form = surf[i].form.clone();
        let mut span = surf[i].span;
        if let (Some(lex), Some(next)) = (lexicon, surf.get(i + 1)) {
            let joined = format!("{}{}", form, next.form);
            if next.tight_after_prev
                && !next.capitalized
                && next.form.chars().count() <= 4
                && !is_stopword(&next.form)
                && lex.contains(&joined)
            {
                form = joined;
                span.end = next.span.end;
                i += 1;
            }
        }
        let number = form.chars().next().is_some_and(|c| c.is_ascii_digit());
        let (term, hash, stop) = with_term(&form, |t, h, s| (t.to_string(), h, s));
        tokens.push(Token {
            hash,
            term,
            span,
            stop,
            capitalized: surf[i].capitalized,
            number,
        });
        i += 1;
    }
    let sentences = sentence_spans(text)
        .into_iter()
        .map(|span| {
            let a = tokens.partition_point(|t| t.span.start < span.start);
            let b = tokens.partition_point(|t| t.span.start < span.end);
            Sentence { span, tokens: a..b }
        })
        .filter(|s| !s.tokens.is_empty())
        .collect();
    Normalized { tokens, sentences }
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "brig", "col", "lt", "sgt", "capt", "maj", "cmdr",
    "adm", "gov", "sen", "rep", "rev", "st", "jr", "sr", "co", "corp", "inc", "ltd", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
    "u.k", "u.n", "e.g", "i.e", "etc", "approx", "dept", "est", "fig", "mt", "ft",
];

/// Whether a case-folded word is an abbreviation that a full stop does not end a sentence
/// after ("mr", "gen", "jan").
pub fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(&word)
}

/// Splits a text into sentence spans: at line breaks, and after `.`, `!`, `?` followed by
/// space and a capital, digit or quote, unless the full stop ends an abbreviation or initial.
pub fn sentence_spans(text: &str) -> Vec<CharSpan> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let push = |out: &mut Vec<CharSpan>, s: usize, e: usize| {
        let mut s = s;
        let mut e = e;
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if e > s {
            out.push(CharSpan::new(s, e));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push(&mut out, start, i);
            start = i + 1;
        } else if matches!(c, '.' | '!' | '?') {
            // Take closing quotes and brackets along with the stop.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '"' | '\'' | '\u{201D}' | '\u{2019}' | ')')
            {
                j += 1;
            }
            let space = j < chars.len() && chars[j] == ' ';
            let mut k = j;
            while k < chars.len() && chars[k] == ' ' {
                k += 1;
            }
            let next_starts = k < chars.len()
                && (chars[k].is_uppercase()
                    || chars[k].is_ascii_digit()
                    || matches!(chars[k], '"' | '\u{201C}' | '\'' | '\u{2018}' | '('));
            if space && next_starts && !(c == '.' && ends_abbreviation(&chars, i)) {
                push(&mut out, start, j);
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

/// Whether the full stop at `dot` ends an abbreviation ("Gen.", "U.S.") or an initial ("J.").
fn ends_abbreviation(chars: &[char], dot: usize) -> bool {
    let mut s = dot;
    while s > 0 && (chars[s - 1].is_alphabetic() || chars[s - 1] == '.') {
        s -= 1;
    }
    let word: String = chars[s..dot].iter().collect::<String>().to_lowercase();
    if word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic()) {
        return chars[dot - 1].is_uppercase();
    }
    is_abbreviation(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &str, lex: Option<&Lexicon>) -> Vec<String> {
        normalize(t, lex)
            .tokens
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn folds_quotes_apostrophes_and_possessives() {
        assert_eq!(terms("Shi\u{2019}ite", None), terms("Shiite", None));
        assert_eq!(terms("Shiite", None).len(), 1);
        assert_eq!(
            terms("Syria's army", None),
            terms("Syria\u{2019}s army", None)
        );
        assert_eq!(terms("Syria s army", None), terms("Syria's army", None));
        assert_eq!(terms("ＡＢＣ", None), vec!["abc"]);
    }

    #[test]
    fn rejoins_split_words_the_corpus_knows() {
        let mut lex = Lexicon::default();
        lex.add_text("Shiite militias");
        assert_eq!(
            terms("Shi ite fighters", Some(&lex)),
            terms("Shiite fighters", None)
        );
        // Without the whole word in the corpus the pieces stay apart.
        assert_eq!(terms("Shi ite", None).len(), 2);
    }

    #[test]
    fn numbers_and_stems() {
        let n = normalize("At least 1,000 people were killed.", None);
        let t: Vec<&str> = n.tokens.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(t, vec!["at", "least", "1000", "peopl", "were", "kill"]);
        assert!(n.tokens[2].number);
        assert!(n.tokens[0].stop);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Le président — «Déjà» vu.";
        let n = normalize(text, None);
        let chars: Vec<char> = text.chars().collect();
        for t in &n.tokens {
            let s: String = chars[t.span.start..t.span.end].iter().collect();
            assert!(s.chars().all(|c| c.is_alphanumeric()), "{s}");
        }
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let s = sentence_spans("Iranian Brig. Gen. Khayrallah Samadi was killed. The U.S. said so. Next one!\nNew line");
        assert_eq!(s.len(), 4, "{s:?}");
    }
}
