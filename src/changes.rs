//! **Changes**: the edits of a derived article against its source that change what is said —
//! a number changed, a hedge or descriptor dropped or added, an attribution dropped or added,
//! a negation flipped, a name swapped, a paragraph of its own added.
//!
//! Rule-based and explainable. Inside each aligned passage that is not identical, the two
//! sides are cut into words and diffed word by word (`similar`); a word the other side puts a
//! dictionary synonym for counts as the same word (what a spinner does), and the diff is run
//! again. Each rule then lists its *items* on both sides (number phrases, qualifiers,
//! attribution verbs, negations, names) and matches them: first an item with the same value
//! at the same place, then anywhere in the passage (a moved item is no change). What is left
//! over is a change: dropped on one side, added on the other, or — for numbers and names —
//! one replaced by another at the same place. Added paragraphs are the derived text's runs of
//! sentences outside every passage, long enough and mostly made of words the source lacks.
//!
//! Invariant: spans are [`CharSpan`]s of each article's `text`, on token boundaries.

use crate::align::PassageKind;
use crate::article::{Article, CharSpan};
use crate::judge::Reuse;
use crate::normalize::{is_stopword, sentence_spans, stem, term_hash};
use crate::synonyms::synonyms;
use similar::{capture_diff_slices, Algorithm, DiffTag};
use std::collections::HashSet;

/// What kind of meaning-changing edit a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    NumberChanged,
    QualifierDropped,
    QualifierAdded,
    AttributionDropped,
    AttributionAdded,
    NegationFlipped,
    NameSwapped,
    ParagraphAdded,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::NumberChanged => "number_changed",
            ChangeKind::QualifierDropped => "qualifier_dropped",
            ChangeKind::QualifierAdded => "qualifier_added",
            ChangeKind::AttributionDropped => "attribution_dropped",
            ChangeKind::AttributionAdded => "attribution_added",
            ChangeKind::NegationFlipped => "negation_flipped",
            ChangeKind::NameSwapped => "name_swapped",
            ChangeKind::ParagraphAdded => "paragraph_added",
        }
    }

    /// Every kind, in order.
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::NumberChanged,
        ChangeKind::QualifierDropped,
        ChangeKind::QualifierAdded,
        ChangeKind::AttributionDropped,
        ChangeKind::AttributionAdded,
        ChangeKind::NegationFlipped,
        ChangeKind::NameSwapped,
        ChangeKind::ParagraphAdded,
    ];
}

/// One meaning-changing edit: where it is on each side (none where that side has nothing of
/// it, as the source of an added paragraph) and one line quoting both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    pub source: Option<CharSpan>,
    pub derived: Option<CharSpan>,
    pub description: String,
}

/// Words a diff compares at least this share of (2·equal / both lengths) in a passage, after
/// synonyms: below it a passage is reworded too freely to say what changed word by word.
const MIN_PASSAGE_SIM: f32 = 0.5;
/// Words a run of derived sentences outside the passages needs to be an added paragraph.
const MIN_PARAGRAPH_WORDS: usize = 12;
/// Share of an added paragraph's content words that the source may have (topic words).
const MAX_PARAGRAPH_KNOWN: f32 = 0.6;
/// … and an added paragraph with opinion cues ("we", "must", "shameful").
const MAX_OPINION_KNOWN: f32 = 0.85;

/// The edits of `derived` against `source` that change what is said, found inside the aligned
/// passages of `reuse` (and, for added paragraphs, outside them).
pub fn changes(source: &Article, derived: &Article, reuse: &Reuse) -> Vec<Change> {
    let s = Side::new(&source.text);
    let d = Side::new(&derived.text);
    let mut out: Vec<Change> = Vec::new();
    // Derived words a passage's diff finds no counterpart for: a paragraph put inside one.
    let mut inserted = vec![false; d.toks.len()];
    for p in &reuse.passages {
        passage_changes(
            &s,
            &d,
            s.range(p.source),
            d.range(p.derived),
            p.kind == PassageKind::Identical,
            &mut inserted,
            &mut out,
        );
    }
    let spans: Vec<CharSpan> = reuse.passages.iter().map(|p| p.derived).collect();
    added_paragraphs(&s, &d, &spans, &inserted, &mut out);
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert((c.kind, c.source, c.derived)));
    out.sort_by_key(|c| {
        (
            c.derived.map(|s| s.start),
            c.source.map(|s| s.start),
            c.kind,
        )
    });
    out
}

/// One word of a text, with what the rules read off it.
#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    /// Case-folded, quotes folded to `'` and dashes to `-`.
    lower: String,
    /// What the diff compares: a number's value, else the stemmed form.
    key: String,
    /// Hash of the stem, as the synonym table knows it.
    hash: u64,
    cap: bool,
    sent_start: bool,
    /// Joined to the previous word by a hyphen ("Iranian-backed", "35-year-old").
    hyph: bool,
    /// A currency sign right before it, a `%` right after it.
    currency: bool,
    percent: bool,
}

/// An article's text cut into words, once.
struct Side {
    chars: Vec<char>,
    toks: Vec<Tok>,
    sentences: Vec<CharSpan>,
}

impl Side {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut toks = tokenize(&chars);
        let sentences = sentence_spans(text);
        for s in &sentences {
            let k = toks.partition_point(|t| t.start < s.start);
            if let Some(t) = toks.get_mut(k) {
                if t.start < s.end {
                    t.sent_start = true;
                }
            }
        }
        Side {
            chars,
            toks,
            sentences,
        }
    }

    /// Indices of the tokens inside a span.
    fn range(&self, span: CharSpan) -> std::ops::Range<usize> {
        let a = self.toks.partition_point(|t| t.start < span.start);
        let b = self.toks.partition_point(|t| t.start < span.end);
        a..b.max(a)
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.chars.len())..end.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The span of tokens `a..b` (absolute indices; `b > a`).
    fn span(&self, a: usize, b: usize) -> CharSpan {
        CharSpan::new(self.toks[a].start, self.toks[b - 1].end)
    }

    /// The text of tokens `a..b` with `ctx` words either side, within `lim`.
    fn quote(&self, a: usize, b: usize, ctx: usize, lim: &std::ops::Range<usize>) -> String {
        let a = a.saturating_sub(ctx).max(lim.start);
        let b = (b + ctx).min(lim.end);
        if b <= a {
            return String::new();
        }
        let sp = self.span(a, b);
        self.slice(sp.start, sp.end)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The sentence holding character `at` (or the nearest before it).
    fn sentence_at(&self, at: usize) -> Option<CharSpan> {
        let k = self.sentences.partition_point(|s| s.start <= at);
        self.sentences.get(k.checked_sub(1)?).copied()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else if is_hyphen(c) {
            out.push('-');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Cuts text into words: runs of letters and digits, joined across inner apostrophes
/// ("didn't", "n't") and digit groups ("1,000", "2.5", and the corpus' spaced "20, 000").
/// Hyphenated compounds are cut into their words, each marked as joined to the one before.
fn tokenize(chars: &[char]) -> Vec<Tok> {
    let n = chars.len();
    let alnum = |i: usize| i < n && chars[i].is_alphanumeric();
    let digit = |i: usize| i < n && chars[i].is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < n {
            if chars[i].is_alphanumeric() {
                i += 1;
            } else if is_apostrophe(chars[i]) && alnum(i + 1) {
                // "didn't", "n't", "family's", "we're"; not "Nationals'best" (two words).
                let run = (i + 1..n)
                    .take_while(|&k| chars[k].is_alphanumeric())
                    .count();
                if run > 2 {
                    break;
                }
                i += 1;
            } else if (chars[i] == ',' || chars[i] == '.') && digit(i - 1) && digit(i + 1) {
                i += 1;
            } else if chars[i] == ','
                && i + 5 <= n
                && chars[i + 1] == ' '
                && (i + 2..i + 5).all(digit)
                && !alnum(i + 5)
                && chars[start..i].iter().all(|c| c.is_ascii_digit())
                && i - start <= 3
            {
                i += 2;
            } else {
                break;
            }
        }
        let surface: String = chars[start..i].iter().collect();
        let lower = fold(&surface);
        let key = match number_value(&lower) {
            Some((v, suffix)) => format!("#{v}{suffix}"),
            None => word_key(&lower),
        };
        let hash = term_hash(&stem(&lower.replace('\'', "")));
        let mut b = start;
        while b > 0 && chars[b - 1] == ' ' {
            b -= 1;
        }
        let currency = b > 0 && matches!(chars[b - 1], '$' | '£' | '€' | '¥');
        let mut e = i;
        while e < n && chars[e] == ' ' {
            e += 1;
        }
        let percent = e < n && chars[e] == '%';
        let hyph = start > 0 && is_hyphen(chars[start - 1]) && alnum(start.wrapping_sub(2));
        out.push(Tok {
            hyph,
            start,
            end: i,
            cap: chars[start].is_uppercase(),
            lower,
            key,
            hash,
            sent_start: false,
            currency,
            percent,
        });
    }
    out
}

/// The diff key of a word: each hyphen-joined part stemmed, apostrophes and a possessive
/// dropped.
fn word_key(lower: &str) -> String {
    let w = lower.strip_suffix("'s").unwrap_or(lower).replace('\'', "");
    if let Some(v) = crate::numbers::word_value(&w) {
        return format!("#{v}");
    }
    w.split('-').map(stem).collect::<Vec<_>>().join("-")
}

/// The value of a token written in digits ("1,000", "2.5", "20, 000", "22nd", "1950s"),
/// with any letters after the digits.
fn number_value(lower: &str) -> Option<(f64, String)> {
    if !lower.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = lower
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' '))
        .filter(|c| !matches!(c, ',' | ' '))
        .collect();
    let suffix: String = lower
        .chars()
        .skip_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' '))
        .collect();
    let v: f64 = digits.trim_end_matches('.').parse().ok()?;
    // Ordinal endings name the same number; other letters (a unit: "5km") are kept.
    let suffix = match suffix.as_str() {
        "st" | "nd" | "rd" | "th" => "th".to_string(),
        _ => suffix,
    };
    Some((v, suffix))
}

fn scale_word(w: &str) -> Option<f64> {
    match w {
        "hundred" => Some(1e2),
        "thousand" => Some(1e3),
        "million" | "mln" | "m" => Some(1e6),
        "billion" | "bln" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        "dozen" => Some(12.0),
        _ => None,
    }
}

/// Words that stand for a number without naming it: "dozens", "hundreds".
fn vague_number(w: &str) -> Option<f64> {
    match w {
        "dozens" => Some(12.0),
        "scores" => Some(20.0),
        "hundreds" => Some(1e2),
        "thousands" => Some(1e3),
        "millions" => Some(1e6),
        "billions" => Some(1e9),
        "several" => Some(3.0),
        "tens" => Some(10.0),
        _ => None,
    }
}

/// How a number is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Exact,
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    About,
    Vague,
}

/// The bound words starting at `i`, and how many words they are.
fn bound_at(lo: &[&str], i: usize) -> (Bound, usize) {
    let w = |k: usize| lo.get(i + k).copied().unwrap_or("");
    match (w(0), w(1), w(2)) {
        ("at", "least", _) => (Bound::AtLeast, 2),
        ("no", "fewer", "than") | ("no", "less", "than") => (Bound::AtLeast, 3),
        ("no", "more", "than") => (Bound::AtMost, 3),
        ("at", "most", _) | ("up", "to", _) => (Bound::AtMost, 2),
        ("more", "than", _) | ("upwards", "of", _) | ("in", "excess", "of") => {
            (Bound::MoreThan, if w(0) == "in" { 3 } else { 2 })
        }
        ("over", ..) | ("above", ..) => (Bound::MoreThan, 1),
        ("less", "than", _) | ("fewer", "than", _) => (Bound::LessThan, 2),
        ("under", ..) | ("below", ..) => (Bound::LessThan, 1),
        ("close", "to", _) | ("an", "estimated", _) => (Bound::About, 2),
        ("a", "minimum", "of") => (Bound::AtLeast, 3),
        ("a", "maximum", "of") => (Bound::AtMost, 3),
        (
            "about" | "around" | "approximately" | "roughly" | "nearly" | "almost" | "some"
            | "estimated" | "approx" | "circa",
            ..,
        ) => (Bound::About, 1),
        _ => (Bound::Exact, 0),
    }
}

/// A number phrase: its value, bound and unit, and its tokens (relative to the passage).
#[derive(Debug, Clone)]
struct Num {
    value: f64,
    bound: Bound,
    unit: String,
    /// Where the number itself starts (after the bound words).
    core: usize,
}

/// The number at `j`: its value, where it ends, whether it is vague.
fn core_at(toks: &[&Tok], lo: &[&str], j: usize) -> Option<(f64, usize, bool)> {
    let w = |k: usize| lo.get(k).copied().unwrap_or("");
    let mut k = j;
    // "a dozen", "a hundred", "a million".
    if w(k) == "a" || w(k) == "an" {
        if scale_word(w(k + 1)).is_some() {
            k += 1;
        } else {
            return None;
        }
    }
    if let Some(v) = vague_number(w(k)) {
        let mut v = v;
        let mut e = k + 1;
        // "tens of thousands".
        if w(e) == "of" {
            if let Some(v2) = vague_number(w(e + 1)) {
                v *= v2;
                e += 2;
            }
        }
        return Some((v, e, true));
    }
    #[derive(PartialEq)]
    enum Prev {
        Start,
        Digits,
        Unit,
        Tens,
        Hundred,
        Scale,
        And,
    }
    let (mut total, mut cur) = (0.0f64, 0.0f64);
    let mut prev = Prev::Start;
    if let Some((v, _)) = number_value(&toks.get(k)?.lower) {
        cur = v;
        prev = Prev::Digits;
        k += 1;
    }
    loop {
        let word = w(k);
        let after_a = k > j && prev == Prev::Start;
        if let Some(v) = crate::numbers::word_value(word).filter(|_| !after_a) {
            // "twenty five", "one hundred and five", "two million three"; not "five six".
            let ok = matches!(prev, Prev::Start | Prev::Hundred | Prev::Scale | Prev::And)
                || (prev == Prev::Tens && v < 10.0);
            if !ok {
                break;
            }
            cur += v;
            prev = if v >= 20.0 && v % 10.0 == 0.0 {
                Prev::Tens
            } else {
                Prev::Unit
            };
            k += 1;
        } else if let Some(sc) = scale_word(word).filter(|_| prev != Prev::And) {
            if prev == Prev::Start && !after_a {
                break;
            }
            let c = if cur == 0.0 { 1.0 } else { cur };
            if sc == 1e2 || sc == 12.0 {
                cur = c * sc;
                prev = Prev::Hundred;
            } else {
                total += c * sc;
                cur = 0.0;
                prev = Prev::Scale;
            }
            k += 1;
        } else if word == "and"
            && matches!(prev, Prev::Hundred | Prev::Scale)
            && crate::numbers::word_value(w(k + 1)).is_some()
        {
            prev = Prev::And;
            k += 1;
        } else {
            break;
        }
    }
    if prev == Prev::And {
        k -= 1;
    }
    (prev != Prev::Start && k > j).then_some((total + cur, k, false))
}

/// The number phrases of a passage's tokens.
fn numbers(toks: &[&Tok], lo: &[&str]) -> Vec<(std::ops::Range<usize>, Num)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (bound, blen) = bound_at(lo, i);
        if let Some((value, mut end, vague)) = core_at(toks, lo, i + blen) {
            let core = i + blen;
            let mut unit = String::new();
            if toks[core].currency || (core > 0 && toks[core - 1].currency && blen > 0) {
                unit.push('$');
            }
            if let Some((_, suffix)) = number_value(&toks[core].lower) {
                unit.push_str(&suffix);
            }
            if toks[end - 1].percent {
                unit.push('%');
            } else if lo.get(end) == Some(&"percent") {
                unit.push('%');
                end += 1;
            } else if lo.get(end) == Some(&"per") && lo.get(end + 1) == Some(&"cent") {
                unit.push('%');
                end += 2;
            }
            let bound = if vague { Bound::Vague } else { bound };
            out.push((
                i..end,
                Num {
                    value,
                    bound,
                    unit,
                    core,
                },
            ));
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Qualifiers whose presence changes what is claimed, by class: a swap within a class at the
/// same place ("allegedly" → "reportedly") is not a change.
fn qualifier_class(lower: &str, cap: bool) -> Option<&'static str> {
    const HEDGES: &[&str] = &[
        "allegedly",
        "reportedly",
        "purportedly",
        "supposedly",
        "apparently",
        "seemingly",
        "alleged",
        "purported",
        "suspected",
        "presumed",
        "unconfirmed",
        "unverified",
        "possibly",
        "probably",
        "perhaps",
        "maybe",
        "likely",
        "unlikely",
        "rumored",
        "rumoured",
        "might",
        "may",
        "so-called",
        "self-styled",
        "self-proclaimed",
        "would-be",
    ];
    const DEGREES: &[&str] = &[
        "nearly",
        "almost",
        "partly",
        "partially",
        "largely",
        "mostly",
        "virtually",
    ];
    const STATUS: &[&str] = &["former", "acting", "interim", "outgoing", "ousted"];
    const AFFIL_SUFFIX: &[&str] = &[
        "backed",
        "led",
        "linked",
        "allied",
        "affiliated",
        "sponsored",
        "funded",
        "supported",
        "aligned",
        "controlled",
        "held",
        "inspired",
        "owned",
    ];
    const PREFIX: &[&str] = &["pro", "anti", "ex", "then"];
    if HEDGES.contains(&lower) {
        // "May" the month is no hedge.
        return (!(cap && lower == "may")).then_some("hedge");
    }
    if DEGREES.contains(&lower) {
        return Some("degree");
    }
    if STATUS.contains(&lower) {
        return Some("status");
    }
    if let Some((head, tail)) = lower.split_once('-') {
        let last = lower.rsplit('-').next().unwrap_or(tail);
        if AFFIL_SUFFIX.contains(&last) && !head.is_empty() {
            return Some("affiliation");
        }
        if PREFIX.contains(&head) {
            return Some(if head == "ex" || head == "then" {
                "status"
            } else {
                "affiliation"
            });
        }
    }
    None
}

const ATTRIBUTION: &[&str] = &[
    "said",
    "say",
    "says",
    "saying",
    "told",
    "tell",
    "tells",
    "telling",
    "reported",
    "reporting",
    "stated",
    "added",
    "announced",
    "claimed",
    "claims",
    "declared",
    "explained",
    "noted",
    "insisted",
    "wrote",
    "tweeted",
    "quoted",
    "quoting",
    "cited",
    "citing",
    "acknowledged",
    "admitted",
    "testified",
    "according",
];

const NEGATIONS: &[&str] = &[
    "not", "n't", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
    "cannot", "denied", "denies", "deny", "denying",
];
/// Verbs that negate only before "to": "failed to", "refused to".
const NEGATING_BEFORE_TO: &[&str] = &["failed", "fails", "fail", "refused", "refuses", "refuse"];

fn is_negation(lo: &[&str], i: usize) -> bool {
    let w = lo[i];
    let next = lo.get(i + 1).copied().unwrap_or("");
    if NEGATING_BEFORE_TO.contains(&w) {
        return next == "to";
    }
    if w == "no" {
        // "No. 5" is a number, not a negation.
        return !next.starts_with(|c: char| c.is_ascii_digit());
    }
    NEGATIONS.contains(&w) || (w.ends_with("n't") && w.len() > 3)
}

/// Whether a capitalised token may be (part of) a name: not a date word, and at the head of
/// a sentence only when it is no dictionary word ("Reid", not "Police").
fn name_like(t: &Tok, lower: &str) -> bool {
    if !t.cap
        || crate::numbers::is_calendar_word(lower)
        || t.lower.starts_with(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    if t.sent_start || is_stopword(lower) {
        return !is_stopword(lower) && synonyms().of(lower).is_empty();
    }
    true
}

/// Whether two names are one name spelled or shortened differently ("Albu Kamal" and "Abu
/// Kamal", "Obama" and "Barack Obama", "IS" and "Islamic State").
fn same_name(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '-')
            .map(squash)
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (mut wa, mut wb) = (words(a), words(b));
    // Only the words that differ count: "Officer Brad Baehr" and "Officer North Carolina"
    // differ in the name, whatever title they share.
    while !wa.is_empty() && !wb.is_empty() && wa[0] == wb[0] {
        wa.remove(0);
        wb.remove(0);
    }
    while !wa.is_empty() && !wb.is_empty() && wa.last() == wb.last() {
        wa.pop();
        wb.pop();
    }
    if wa.is_empty() || wb.is_empty() {
        return true;
    }
    let (sa, sb) = (wa.concat(), wb.concat());
    if strsim::normalized_levenshtein(&sa, &sb) >= 0.75 || strsim::jaro_winkler(&sa, &sb) >= 0.92 {
        return true;
    }
    let initials = |w: &[String]| -> String { w.iter().filter_map(|x| x.chars().next()).collect() };
    if (wa.len() == 1 && wb.len() > 1 && initials(&wb) == wa[0])
        || (wb.len() == 1 && wa.len() > 1 && initials(&wa) == wb[0])
    {
        return true;
    }
    // One is the other shortened: every word of the shorter in the longer.
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    short.iter().all(|w| {
        long.iter()
            .any(|l| l == w || strsim::normalized_levenshtein(l, w) >= 0.75)
    })
}

/// What a rule found on one side of a passage.
#[derive(Debug, Clone)]
struct Item {
    cat: Cat,
    key: String,
    class: &'static str,
    /// Tokens, relative to the passage.
    r: std::ops::Range<usize>,
    num: Option<Num>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Number,
    Qualifier,
    Attribution,
    Negation,
    Name,
}

fn items(toks: &[&Tok], lo: &[&str]) -> Vec<Item> {
    let mut out = Vec::new();
    let mut in_number = vec![false; toks.len()];
    for (r, num) in numbers(toks, lo) {
        for k in r.clone() {
            in_number[k] = true;
        }
        out.push(Item {
            cat: Cat::Number,
            key: format!("{}|{:?}|{}", num.value, num.bound, num.unit),
            class: "",
            r,
            num: Some(num),
        });
    }
    let mut i = 0;
    let mut qual_from = 0;
    while i < toks.len() {
        let w = lo[i];
        if !in_number[i] && i >= qual_from {
            // A compound first ("Iranian-backed", "so-called", "pro-government").
            let compound = (i + 1 < toks.len() && toks[i + 1].hyph)
                .then(|| format!("{w}-{}", lo[i + 1]))
                .and_then(|c| Some((qualifier_class(&c, toks[i].cap)?, c)));
            let found = match compound {
                Some((class, c)) => Some((class, c, i..i + 2)),
                None => {
                    qualifier_class(w, toks[i].cap).map(|class| (class, w.to_string(), i..i + 1))
                }
            };
            if let Some((class, key, r)) = found {
                qual_from = r.end;
                out.push(Item {
                    cat: Cat::Qualifier,
                    key,
                    class,
                    r,
                    num: None,
                });
            }
        }
        if ATTRIBUTION.contains(&w)
            && (!toks[i].cap || toks[i].sent_start)
            && (w != "according" || lo.get(i + 1) == Some(&"to"))
        {
            let end = if w == "according" { i + 2 } else { i + 1 };
            out.push(Item {
                cat: Cat::Attribution,
                key: "attr".into(),
                class: "",
                r: i..end,
                num: None,
            });
        }
        if is_negation(lo, i) {
            out.push(Item {
                cat: Cat::Negation,
                key: "neg".into(),
                class: "",
                r: i..i + 1,
                num: None,
            });
        }
        if name_like(toks[i], w) {
            let mut e = i + 1;
            while e < toks.len()
                && toks[e].cap
                && !toks[e].sent_start
                && !crate::numbers::is_calendar_word(lo[e])
                && toks[e].start <= toks[e - 1].end + 1
            {
                e += 1;
            }
            let key = lo[i..e].join(" ");
            out.push(Item {
                cat: Cat::Name,
                key,
                class: "",
                r: i..e,
                num: None,
            });
            i = e;
            continue;
        }
        i += 1;
    }
    out
}

/// For each token of one side, a range of the other side's token indices.
type Proj = Vec<(usize, usize)>;

/// Where each token of one side lies in the other side's token indices, by the diff: the
/// token it equals, or the range it replaces, or the point it was inserted at.
fn projections(ops: &[similar::DiffOp], n_old: usize, n_new: usize) -> (Proj, Proj) {
    let mut old_to_new = vec![(0, 0); n_old];
    let mut new_to_old = vec![(0, 0); n_new];
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (k, i) in o.clone().enumerate() {
                    old_to_new[i] = (n.start + k, n.start + k + 1);
                    new_to_old[n.start + k] = (i, i + 1);
                }
            }
            _ => {
                for i in o.clone() {
                    old_to_new[i] = (n.start, n.end);
                }
                for j in n.clone() {
                    new_to_old[j] = (o.start, o.end);
                }
            }
        }
    }
    (old_to_new, new_to_old)
}

/// The range a token range projects to (through `proj`).
fn project(proj: &[(usize, usize)], r: &std::ops::Range<usize>) -> (usize, usize) {
    let a = r.clone().map(|k| proj[k].0).min().unwrap_or(0);
    let b = r.clone().map(|k| proj[k].1).max().unwrap_or(0);
    (a, b)
}

/// Whether ranges `[a0, a1)` and `[b0, b1)` overlap or touch.
fn touch(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn passage_changes(
    s: &Side,
    d: &Side,
    ps: std::ops::Range<usize>,
    pd: std::ops::Range<usize>,
    identical: bool,
    inserted: &mut [bool],
    out: &mut Vec<Change>,
) {
    if ps.is_empty() || pd.is_empty() {
        return;
    }
    let st: Vec<&Tok> = s.toks[ps.clone()].iter().collect();
    let dt: Vec<&Tok> = d.toks[pd.clone()].iter().collect();
    let sk: Vec<&str> = st.iter().map(|t| t.key.as_str()).collect();
    let mut dk: Vec<&str> = dt.iter().map(|t| t.key.as_str()).collect();
    let slo: Vec<&str> = st.iter().map(|t| t.lower.as_str()).collect();
    let mut dlo: Vec<&str> = dt.iter().map(|t| t.lower.as_str()).collect();
    if sk == dk {
        return;
    }
    // A word replaced by a dictionary synonym counts as the word itself (a spinner's swap).
    let ops = capture_diff_slices(Algorithm::Myers, &sk, &dk);
    let syn = synonyms();
    let is_syn = |a: &Tok, b: &Tok| {
        syn.are_synonyms(a.hash, b.hash)
            || syn.of(&a.lower).contains(&b.lower.as_str())
            || syn.of(&b.lower).contains(&a.lower.as_str())
    };
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            // The same stem written otherwise ("roughly" for "rough"): the source's word.
            DiffTag::Equal => {
                for (i, j) in o.zip(n) {
                    dlo[j] = slo[i];
                }
            }
            DiffTag::Replace => {
                // Each source word once, the one at the same offset first.
                let mut used = vec![false; o.len()];
                for (k, j) in n.clone().enumerate() {
                    let mut order: Vec<usize> = (0..o.len()).collect();
                    order.sort_by_key(|&x| x.abs_diff(k));
                    if let Some(x) = order
                        .into_iter()
                        .find(|&x| !used[x] && is_syn(st[o.start + x], dt[j]))
                    {
                        used[x] = true;
                        dk[j] = sk[o.start + x];
                        dlo[j] = slo[o.start + x];
                    }
                }
            }
            _ => {}
        }
    }
    let ops = capture_diff_slices(Algorithm::Myers, &sk, &dk);
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Insert
            || (tag == DiffTag::Replace && n.len() >= o.len() + MIN_PARAGRAPH_WORDS)
        {
            for j in n {
                inserted[pd.start + j] = true;
            }
        }
    }
    // An identical passage changes nothing; it was diffed only for a paragraph put inside.
    if identical {
        return;
    }
    let equal: usize = ops
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| op.old_range().len())
        .sum();
    let sim = 2.0 * equal as f32 / (sk.len() + dk.len()) as f32;
    if sim < MIN_PASSAGE_SIM {
        return;
    }
    let (s2d, d2s) = projections(&ops, st.len(), dt.len());
    let si = items(&st, &slo);
    let di = items(&dt, &dlo);
    // Match items: same key at the same place, then same key anywhere (moved).
    let mut s_used = vec![false; si.len()];
    let mut d_used = vec![false; di.len()];
    for pass in 0..2 {
        for (a, x) in si.iter().enumerate() {
            if s_used[a] {
                continue;
            }
            let px = project(&s2d, &x.r);
            let found = di.iter().enumerate().find(|(b, y)| {
                !d_used[*b]
                    && y.cat == x.cat
                    && y.key == x.key
                    && (pass == 1 || touch(px, (y.r.start, y.r.end)))
            });
            if let Some((b, _)) = found {
                s_used[a] = true;
                d_used[b] = true;
            }
        }
    }
    let abs_s = |r: &std::ops::Range<usize>| s.span(ps.start + r.start, ps.start + r.end);
    let abs_d = |r: &std::ops::Range<usize>| d.span(pd.start + r.start, pd.start + r.end);
    let quote_s = |r: &std::ops::Range<usize>, ctx: usize| {
        s.quote(ps.start + r.start, ps.start + r.end, ctx, &ps)
    };
    let quote_d = |r: &std::ops::Range<usize>, ctx: usize| {
        d.quote(pd.start + r.start, pd.start + r.end, ctx, &pd)
    };
    // The derived sentence where a source item would have been.
    let gap_d = |r: &std::ops::Range<usize>| -> (std::ops::Range<usize>, Option<CharSpan>) {
        let (a, b) = project(&s2d, r);
        let at = if a < dt.len() {
            dt[a].start
        } else {
            dt[dt.len() - 1].end
        };
        (a..b, d.sentence_at(at))
    };
    let gap_s = |r: &std::ops::Range<usize>| -> (std::ops::Range<usize>, Option<CharSpan>) {
        let (a, b) = project(&d2s, r);
        let at = if a < st.len() {
            st[a].start
        } else {
            st[st.len() - 1].end
        };
        (a..b, s.sentence_at(at))
    };
    // The other side's unmatched item of `cat` at the same place, if any.
    let partner_in_d = |x: &Item, d_used: &[bool], cat: Cat| -> Option<usize> {
        let px = project(&s2d, &x.r);
        (0..di.len())
            .find(|&b| !d_used[b] && di[b].cat == cat && touch(px, (di[b].r.start, di[b].r.end)))
    };

    for (a, x) in si.iter().enumerate() {
        if s_used[a] {
            continue;
        }
        match x.cat {
            Cat::Number => {
                let Some(b) = partner_in_d(x, &d_used, Cat::Number) else {
                    continue;
                };
                d_used[b] = true;
                s_used[a] = true;
                let y = &di[b];
                // Both numbers found, with their neighbours, on the other side: the
                // passages were cut at other sentence breaks.
                if elsewhere(&sk, &x.r, &d.toks) && elsewhere(&dk, &y.r, &s.toks) {
                    continue;
                }
                let (nx, ny) = (x.num.as_ref().unwrap(), y.num.as_ref().unwrap());
                let same_value = nx.value == ny.value && nx.unit == ny.unit;
                let ctx_s = number_context(&slo, &x.r);
                let ctx_d = number_context(&dlo, &y.r);
                let (kind, src, der) = if same_value && ny.bound == Bound::Exact {
                    (
                        ChangeKind::QualifierDropped,
                        abs_s(&(x.r.start..nx.core)),
                        abs_d(&y.r),
                    )
                } else if same_value && nx.bound == Bound::Exact {
                    (
                        ChangeKind::QualifierAdded,
                        abs_s(&x.r),
                        abs_d(&(y.r.start..ny.core)),
                    )
                } else {
                    (ChangeKind::NumberChanged, abs_s(&x.r), abs_d(&y.r))
                };
                out.push(Change {
                    kind,
                    source: Some(src),
                    derived: Some(der),
                    description: format!(
                        "\"{}\" became \"{}\"",
                        quote_s(&(x.r.start..ctx_s), 0),
                        quote_d(&(y.r.start..ctx_d), 0)
                    ),
                });
            }
            Cat::Qualifier => {
                if let Some(b) =
                    partner_in_d(x, &d_used, Cat::Qualifier).filter(|&b| di[b].class == x.class)
                {
                    d_used[b] = true;
                    continue;
                }
                if elsewhere(&sk, &x.r, &d.toks) {
                    continue;
                }
                let (g, sent) = gap_d(&x.r);
                out.push(Change {
                    kind: ChangeKind::QualifierDropped,
                    source: Some(abs_s(&x.r)),
                    derived: sent,
                    description: format!(
                        "\"{}\" dropped: \"{}\" became \"{}\"",
                        quote_s(&x.r, 0),
                        quote_s(&x.r, 2),
                        quote_d(&g, 2)
                    ),
                });
            }
            Cat::Attribution => {
                if let Some(b) = partner_in_d(x, &d_used, Cat::Attribution) {
                    d_used[b] = true;
                    continue;
                }
                if elsewhere(&sk, &x.r, &d.toks) {
                    continue;
                }
                let clause = clause_of(&st, &x.r, &s2d);
                let (g, sent) = gap_d(&clause);
                out.push(Change {
                    kind: ChangeKind::AttributionDropped,
                    source: Some(abs_s(&clause)),
                    derived: sent,
                    description: format!(
                        "attribution \"{}\" dropped: \"{}\" became \"{}\"",
                        quote_s(&clause, 0),
                        quote_s(&clause, 2),
                        quote_d(&g, 2)
                    ),
                });
            }
            Cat::Negation => {
                if elsewhere(&sk, &x.r, &d.toks) {
                    continue;
                }
                let (g, sent) = gap_d(&x.r);
                out.push(Change {
                    kind: ChangeKind::NegationFlipped,
                    source: Some(abs_s(&x.r)),
                    derived: if g.is_empty() { sent } else { Some(abs_d(&g)) },
                    description: format!(
                        "negation \"{}\" dropped: \"{}\" became \"{}\"",
                        quote_s(&x.r, 0),
                        quote_s(&x.r, 2),
                        quote_d(&g, 2)
                    ),
                });
            }
            Cat::Name => {
                let Some(b) = partner_in_d(x, &d_used, Cat::Name) else {
                    continue;
                };
                d_used[b] = true;
                let y = &di[b];
                if same_name(&x.key, &y.key) {
                    continue;
                }
                out.push(Change {
                    kind: ChangeKind::NameSwapped,
                    source: Some(abs_s(&x.r)),
                    derived: Some(abs_d(&y.r)),
                    description: format!(
                        "\"{}\" became \"{}\"",
                        quote_s(&x.r, 0),
                        quote_d(&y.r, 0)
                    ),
                });
            }
        }
    }
    for (b, y) in di.iter().enumerate() {
        if d_used[b] {
            continue;
        }
        let (kind, what) = match y.cat {
            Cat::Qualifier => (ChangeKind::QualifierAdded, ""),
            Cat::Attribution => (ChangeKind::AttributionAdded, "attribution "),
            Cat::Negation => (ChangeKind::NegationFlipped, "negation "),
            Cat::Number | Cat::Name => continue,
        };
        if elsewhere(&dk, &y.r, &s.toks) {
            continue;
        }
        let r = if y.cat == Cat::Attribution {
            clause_of(&dt, &y.r, &d2s)
        } else {
            y.r.clone()
        };
        let (g, sent) = gap_s(&r);
        out.push(Change {
            kind,
            source: if g.is_empty() || y.cat != Cat::Negation {
                sent
            } else {
                Some(abs_s(&g))
            },
            derived: Some(abs_d(&r)),
            description: format!(
                "{what}\"{}\" added: \"{}\" became \"{}\"",
                quote_d(&r, 0),
                quote_s(&g, 2),
                quote_d(&r, 2)
            ),
        });
    }
}

/// Whether the words of `r` with their neighbours (two each side, or more on the one side a
/// passage's edge leaves) occur in the other article: the item moved to another passage, or
/// the passages were cut at other sentence breaks.
fn elsewhere(keys: &[&str], r: &std::ops::Range<usize>, other: &[Tok]) -> bool {
    let a = r.start.saturating_sub(2);
    let b = (r.end + 2).min(keys.len());
    // At a passage's edge, the words on the other side make up for those missing.
    let short = (r.start - a) + (b - r.end);
    let (a, b) = if short < 4 {
        let want = 4 - short;
        let b2 = (b + if r.start - a < 2 { want } else { 0 }).min(keys.len());
        let a2 = a.saturating_sub(if b - r.end < 2 { want } else { 0 });
        (a2, b2)
    } else {
        (a, b)
    };
    let needle = &keys[a..b];
    if needle.len() < r.len() + 3 {
        return false;
    }
    other
        .windows(needle.len())
        .any(|w| w.iter().zip(needle).all(|(t, k)| t.key == *k))
}

/// Where to end the quote of a number: after "of" and one more word ("dozens of civilians"),
/// or one word ("50 civilians").
fn number_context(lo: &[&str], r: &std::ops::Range<usize>) -> usize {
    let mut e = r.end;
    if lo.get(e) == Some(&"of") {
        e += 1;
    }
    if lo
        .get(e)
        .is_some_and(|w| w.chars().all(|c| c.is_alphabetic()) && !is_stopword(w))
    {
        e += 1;
    }
    e.min(lo.len())
}

/// The attribution clause around a verb: the words that the diff changed with it (its
/// subject, "the monitor said"), else the verb alone.
fn clause_of(
    toks: &[&Tok],
    r: &std::ops::Range<usize>,
    proj: &[(usize, usize)],
) -> std::ops::Range<usize> {
    // Tokens the diff kept project onto exactly one token of the other side.
    let unchanged_equal = |k: usize| proj[k].1 == proj[k].0 + 1;
    let mut a = r.start;
    let mut b = r.end;
    // Extend over tokens the diff did not keep, up to five words each way and within the
    // sentence.
    while a > 0 && r.start - a < 5 && !unchanged_equal(a - 1) && !toks[a].sent_start {
        a -= 1;
    }
    while b < toks.len() && b - r.end < 5 && !unchanged_equal(b) && !toks[b].sent_start {
        b += 1;
    }
    a..b
}

/// Runs of derived sentences outside every passage, within one paragraph, of at least
/// [`MIN_PARAGRAPH_WORDS`] words and mostly of words the source lacks.
fn added_paragraphs(
    s: &Side,
    d: &Side,
    passages: &[CharSpan],
    inserted: &[bool],
    out: &mut Vec<Change>,
) {
    let known: HashSet<u64> = s
        .toks
        .iter()
        .filter(|t| !is_stopword(&t.lower))
        .map(|t| t.hash)
        .collect();
    let syn = synonyms();
    let covered = |sp: &CharSpan| {
        let r = d.range(*sp);
        let all_inserted = !r.is_empty() && r.clone().all(|k| inserted[k]);
        !all_inserted
            && passages
                .iter()
                .any(|p| p.start < sp.end && sp.start < p.end)
    };
    // Paragraph boundaries: line breaks.
    let mut para_of = Vec::with_capacity(d.sentences.len());
    let mut para = 0usize;
    let mut at = 0usize;
    let breaks: Vec<usize> = d
        .chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '\n')
        .map(|(i, _)| i)
        .collect();
    for sp in &d.sentences {
        while at < breaks.len() && breaks[at] < sp.start {
            at += 1;
            para += 1;
        }
        para_of.push(para);
    }
    let mut k = 0;
    while k < d.sentences.len() {
        if covered(&d.sentences[k]) {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        while e < d.sentences.len() && !covered(&d.sentences[e]) && para_of[e] == para_of[k] {
            e += 1;
        }
        let span = CharSpan::new(d.sentences[k].start, d.sentences[e - 1].end);
        k = e;
        let r = d.range(span);
        let words = r.len();
        if words < MIN_PARAGRAPH_WORDS {
            continue;
        }
        let content: Vec<&Tok> = d.toks[r.clone()]
            .iter()
            .filter(|t| {
                !is_stopword(&t.lower)
                    && t.lower.chars().count() >= 3
                    && t.lower.chars().all(|c| c.is_alphabetic())
            })
            .collect();
        if content.is_empty() {
            continue;
        }
        let seen = content
            .iter()
            .filter(|t| {
                known.contains(&t.hash) || syn.of_term(t.hash).iter().any(|h| known.contains(h))
            })
            .count();
        let cues = opinion_cues(&d.toks[r.clone()]);
        // An opinion is new whatever words of the story it uses.
        let limit = if cues.is_empty() {
            MAX_PARAGRAPH_KNOWN
        } else {
            MAX_OPINION_KNOWN
        };
        if seen as f32 > limit * content.len() as f32 {
            continue;
        }
        let whole = (span.start == 0 || d.chars[span.start - 1] == '\n')
            && (span.end == d.chars.len() || d.chars[span.end] == '\n');
        let body = d.slice(span.start, span.end);
        let head: Vec<&str> = body.split_whitespace().collect();
        let shown = if head.len() > 12 {
            format!("{} …", head[..12].join(" "))
        } else {
            head.join(" ")
        };
        let what = if whole { "paragraph" } else { "sentences" };
        let description = if cues.is_empty() {
            format!("{what} added ({words} words): \"{shown}\"")
        } else {
            format!(
                "opinion {what} added ({words} words; {}): \"{shown}\"",
                cues.iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(Change {
            kind: ChangeKind::ParagraphAdded,
            source: None,
            derived: Some(span),
            description,
        });
    }
}

/// First-person, modal and evaluative words that mark an opinion.
fn opinion_cues(toks: &[Tok]) -> Vec<String> {
    const WORDS: &[&str] = &[
        "we",
        "our",
        "i",
        "my",
        "must",
        "should",
        "ought",
        "imperative",
        "shameful",
        "disgraceful",
        "outrageous",
        "unacceptable",
        "deplorable",
        "appalling",
        "scandalous",
        "hypocrisy",
        "hypocritical",
        "inexcusable",
        "sadly",
        "clearly",
        "undoubtedly",
        "frankly",
        "regrettably",
    ];
    let lo: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
    let mut out: Vec<String> = Vec::new();
    for (k, w) in lo.iter().enumerate() {
        let phrase = match (*w, lo.get(k + 1).copied(), lo.get(k + 2).copied()) {
            ("it", Some("is"), Some("imperative" | "time" | "shameful")) => {
                Some(format!("it is {}", lo[k + 2]))
            }
            _ if WORDS.contains(w) => Some(w.to_string()),
            _ => None,
        };
        if let Some(p) = phrase {
            if !out.contains(&p) && !out.iter().any(|o| o.ends_with(&p)) {
                out.push(p);
            }
        }
    }
    // First person alone ("our readers") is no opinion; with a modal or a judgement it is.
    let strong = out
        .iter()
        .any(|c| !matches!(c.as_str(), "we" | "our" | "i" | "my"));
    if strong {
        out
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::{Relation, ReusedPassage};

    /// A reuse of one edited passage per line pair (lines align one to one).
    fn pair(src: &str, der: &str) -> Vec<Change> {
        let a = Article::from_text("a", src.to_string());
        let b = Article::from_text("b", der.to_string());
        let sa = sentence_spans(src);
        let sb = sentence_spans(der);
        let passages = sa
            .iter()
            .zip(&sb)
            .map(|(x, y)| ReusedPassage {
                source: *x,
                derived: *y,
                kind: PassageKind::Edited,
            })
            .collect();
        let reuse = Reuse {
            source: 0,
            derived: 1,
            relation: Relation::Copy,
            confidence: 1.0,
            source_coverage: 1.0,
            derived_coverage: 1.0,
            passages,
            evidence: vec![],
        };
        changes(&a, &b, &reuse)
    }

    fn kinds(c: &[Change]) -> Vec<ChangeKind> {
        c.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn numbers_changed() {
        let c = pair(
            "The monitor said at least 50 civilians were killed in the town.",
            "The monitor said dozens of civilians were killed in the town.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NumberChanged], "{c:?}");
        assert_eq!(
            c[0].description,
            "\"at least 50 civilians\" became \"dozens of civilians\""
        );
        let c = pair(
            "Five people were hurt and the damage came to $2.5 million in the city.",
            "Seven people were hurt and the damage came to $2.5 million in the city.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NumberChanged], "{c:?}");
        let c = pair(
            "Unemployment rose to 7 percent in the region last year, officials said.",
            "Unemployment rose to 9 percent in the region last year, officials said.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NumberChanged], "{c:?}");
        // The span is the changed number, in characters.
        let der = "Unemployment rose to 9 percent in the region last year, officials said.";
        let sp = c[0].derived.unwrap();
        assert_eq!(
            der.chars()
                .skip(sp.start)
                .take(sp.len())
                .collect::<String>(),
            "9 percent"
        );
    }

    #[test]
    fn numbers_reformatted_or_moved_are_no_change() {
        let c = pair(
            "More than 1,000 people fled the five villages near the border on Monday.",
            "More than 1000 people fled the 5 villages near the border on Monday.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "About 20, 000 troops and one thousand police were sent to the area.",
            "About 20,000 troops and 1,000 police were sent to the area.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "On Monday 12 soldiers were killed near the base in the north.",
            "Near the base in the north 12 soldiers were killed on Monday.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn number_bound_reworded_is_no_change() {
        let c = pair(
            "Locals say at least 50 civilians died in the raids on the town.",
            "Locals say a minimum of 50 civilians died in the raids on the town.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn number_bound_dropped_is_a_qualifier() {
        let c = pair(
            "At least 50 people were killed in the blast in the capital.",
            "50 people were killed in the blast in the capital.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::QualifierDropped], "{c:?}");
    }

    #[test]
    fn qualifiers_dropped_and_added() {
        let c = pair(
            "The suspected gunman allegedly opened fire on the crowd outside the club.",
            "The gunman opened fire on the crowd outside the club.",
        );
        assert_eq!(
            kinds(&c),
            vec![ChangeKind::QualifierDropped, ChangeKind::QualifierDropped],
            "{c:?}"
        );
        let c = pair(
            "Iranian-backed militias took the town from the militants on Thursday.",
            "Militias took the town from the militants on Thursday.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::QualifierDropped], "{c:?}");
        let c = pair(
            "The minister resigned after the vote in parliament on Friday.",
            "The former minister resigned after the vote in parliament on Friday.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::QualifierAdded], "{c:?}");
    }

    #[test]
    fn qualifier_swapped_within_its_class_or_for_a_synonym_is_no_change() {
        let c = pair(
            "The man was allegedly seen near the house of the victim that night.",
            "The man was reportedly seen near the house of the victim that night.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "The former coach praised the team after the final game of the season.",
            "The erstwhile coach praised the team after the final game of the season.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn attributions_dropped_and_added() {
        let c = pair(
            "Rebels seized the airport on Tuesday, the monitor said.",
            "Rebels seized the airport on Tuesday.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::AttributionDropped], "{c:?}");
        assert!(c[0].description.contains("the monitor said"), "{c:?}");
        let c = pair(
            "According to police, the driver was drunk at the time of the crash.",
            "The driver was drunk at the time of the crash.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::AttributionDropped], "{c:?}");
        let c = pair(
            "The driver was drunk at the time of the crash on the highway.",
            "The driver was drunk at the time of the crash on the highway, officials said.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::AttributionAdded], "{c:?}");
    }

    #[test]
    fn attribution_dropped_at_the_head_of_a_sentence() {
        let c = pair(
            "Kroon says the fire broke out Friday night while a small group of women were working on crafts.",
            "The fire broke out Friday night while a small group of women were working on crafts.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::AttributionDropped], "{c:?}");
    }

    #[test]
    fn attribution_reworded_or_moved_is_no_change() {
        let c = pair(
            "The monitor said rebels seized the airport on Tuesday morning.",
            "Rebels seized the airport on Tuesday morning, the monitor said.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "Officials said rebels seized the airport on Tuesday morning.",
            "Officials told reporters rebels seized the airport on Tuesday morning.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn negations_flipped() {
        let c = pair(
            "The company said it would comment on the report before the hearing.",
            "The company said it would not comment on the report before the hearing.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NegationFlipped], "{c:?}");
        let c = pair(
            "The ministry denied that troops had entered the village overnight.",
            "The ministry confirmed that troops had entered the village overnight.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NegationFlipped], "{c:?}");
        let c = pair(
            "Police failed to find the weapon used in the attack last week.",
            "Police managed to find the weapon used in the attack last week.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NegationFlipped], "{c:?}");
    }

    #[test]
    fn negation_contracted_or_kept_is_no_change() {
        let c = pair(
            "The spokesman did not say where the prisoners were being held now.",
            "The spokesman didn't say where the prisoners were being held now.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn names_swapped_but_not_respelled() {
        let c = pair(
            "Troops loyal to Bashar Assad entered the town with militia support.",
            "Troops loyal to Tara Reid entered the town with militia support.",
        );
        assert_eq!(kinds(&c), vec![ChangeKind::NameSwapped], "{c:?}");
        assert_eq!(c[0].description, "\"Bashar Assad\" became \"Tara Reid\"");
        let c = pair(
            "Government forces retook Albu Kamal from the militants on Thursday.",
            "Government forces retook Abu Kamal from the militants on Thursday.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "The attack was claimed by Islamic State in a statement online.",
            "The attack was claimed by IS in a statement online.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn spin_punctuation_quotes_and_case_are_no_change() {
        let c = pair(
            "The army said the attack killed soldiers in the big city near the border.",
            "The army said the onslaught killed soldiers in the large metropolis near the border.",
        );
        assert!(c.is_empty(), "{c:?}");
        let c = pair(
            "He called it `` a disgrace , '' and left the room without a word.",
            "He called it \u{201C}A disgrace,\u{201D} and left the room without a word.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn paragraph_added_outside_passages() {
        let src = "Rebels seized the airport on Tuesday after a week of fighting.\nThe army said it would send reinforcements to the area.";
        let der = "Rebels seized the airport on Tuesday after a week of fighting.\nThe army said it would send reinforcements to the area.\nWe believe the international community must act now, and it is shameful that nobody has been held to account for these crimes.";
        let a = Article::from_text("a", src.into());
        let b = Article::from_text("b", der.into());
        let sa = sentence_spans(src);
        let sb = sentence_spans(der);
        let reuse = Reuse {
            source: 0,
            derived: 1,
            relation: Relation::Copy,
            confidence: 1.0,
            source_coverage: 1.0,
            derived_coverage: 0.5,
            passages: vec![ReusedPassage {
                source: CharSpan::new(sa[0].start, sa[1].end),
                derived: CharSpan::new(sb[0].start, sb[1].end),
                kind: PassageKind::Identical,
            }],
            evidence: vec![],
        };
        let c = changes(&a, &b, &reuse);
        assert_eq!(kinds(&c), vec![ChangeKind::ParagraphAdded], "{c:?}");
        assert!(
            c[0].description.starts_with("opinion paragraph added"),
            "{c:?}"
        );
        assert!(c[0].description.contains("\"must\""), "{c:?}");
        // A short unmatched line, or one made of the source's words, is no added paragraph.
        let der2 = "Rebels seized the airport on Tuesday after a week of fighting.\nThe army said it would send reinforcements to the area.\nMore soon.";
        let b2 = Article::from_text("b", der2.into());
        assert!(changes(&a, &b2, &reuse).is_empty());
        let der3 = "Rebels seized the airport on Tuesday after a week of fighting.\nThe army said it would send reinforcements to the area.\nAfter a week of fighting the rebels seized the airport, and the army would send reinforcements.";
        let b3 = Article::from_text("b", der3.into());
        assert!(changes(&a, &b3, &reuse).is_empty());
    }

    #[test]
    fn kinds_have_names() {
        let names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names[0], "number_changed");
        assert_eq!(names[7], "paragraph_added");
    }
}
