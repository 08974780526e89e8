//! Claims that conflict across a story: numbers of dead or hurt that differ, dates that
//! differ, and different parties said to hold the same place.
//!
//! Rule-based and explainable: every [`Claim`] is a pattern found in one sentence, carries that
//! sentence's [`CharSpan`], and a normalised value a person can read ("at least 50 civilians
//! killed", "2017-11-09", "Islamic State regained control of Albu Kamal").
//!
//! - **Quantities**: a number (digits or words, with its bound: "at least", "more than",
//!   "about", "nearly", "up to", a range; or "dozens", "hundreds") counting something ("people",
//!   "civilians", "homes") with an event ("killed", "dead", "injured", "arrested", "missing")
//!   after it, or before it ("killing 5 people", "the death toll rose to 50"). Claims about the
//!   same counted thing and event are compared as intervals: bounds, rounding ("1,000") and
//!   "about" widen them; two claims disagree when their intervals do not meet. An earthquake's
//!   magnitude is a quantity too.
//! - **Dates**: an explicit date ("Nov. 8", "9 November 2017"; "on Sunday" only when the
//!   article's publication date is known) in a sentence stating one event: a place taken, a
//!   named person who died, resigned or was arrested, an earthquake that struck.
//! - **Outcomes**: *who did what to whom* between names: "X captured / took / retook /
//!   regained control of / holds / acquired / won Y", "Y was captured from X by Z", "X lost Y",
//!   "Y fell to X". Names are grouped across spellings ("Albu Kamal", "Abu Kamal", "Boukamal";
//!   "IS", "ISIS", "Islamic State"). Sides disagree when two parties are said to hold or take
//!   the same thing, or one party to have taken it and lost it.
//!
//! Precision first: claims in questions, under a modal or negation ("could", "not", "to
//! recapture"), or with a scope of their own ("since Friday", "in one strike", "last year",
//! another year) are left out; and two sides disagree only when some article says the one and
//! not the other and another article the other and not the one (an article giving both, as a
//! toll that rose, is telling a story, not disagreeing).

use crate::article::{Article, CharSpan};
use crate::normalize::{is_stopword, sentence_spans};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimKind {
    Quantity,
    Date,
    Outcome,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Quantity => "quantity",
            ClaimKind::Date => "date",
            ClaimKind::Outcome => "outcome",
        }
    }
}

/// One article's statement, found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Index into the articles given to [`disagreements`].
    pub article: usize,
    /// The supporting sentence.
    pub span: CharSpan,
    /// The claim, normalised: "at least 50 civilians killed", "2017-11-09",
    /// "Islamic State regained control of Albu Kamal".
    pub value: String,
}

/// One position taken on a question, with the claims that take it.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub value: String,
    pub claims: Vec<Claim>,
}

/// Claims of a story about the same thing that cannot all be true.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub kind: ClaimKind,
    /// What the sides speak of: "civilians killed", "who holds Albu Kamal".
    pub about: String,
    /// At least two.
    pub sides: Vec<Side>,
}

/// The claims of a story's articles (`members`, indices into `articles`) that speak of the
/// same thing and disagree; ordered by kind, then by what they are about.
pub fn disagreements(articles: &[Article], members: &[usize]) -> Vec<Disagreement> {
    let mut members: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&m| m < articles.len())
        .collect();
    members.sort_unstable();
    members.dedup();
    let docs: Vec<Doc> = members.iter().map(|&m| Doc::new(m, &articles[m])).collect();
    let names = NameGroups::new(&docs);
    let mut found: Vec<Found> = Vec::new();
    for d in &docs {
        let mut prev_scoped = false;
        for s in &d.sentences {
            let ctx = SentenceCtx {
                doc: d,
                sent: s,
                names: &names,
                prev_scoped,
            };
            prev_scoped = ctx.scoped();
            let outcomes = outcome_claims(&ctx);
            found.extend(quantity_claims(&ctx));
            found.extend(date_claims(&ctx, &outcomes));
            found.extend(outcomes);
        }
    }
    compare(found)
}

// ---------------------------------------------------------------------------------------
// Text: tokens of a sentence.

#[derive(Debug, Clone)]
struct Tok {
    text: String,
    lower: String,
    word: bool,
    cap: bool,
    /// Digits (with `,` and `.` inside), parsed.
    num: Option<f64>,
    /// Decimal places written.
    decimals: u32,
}

struct Sent {
    span: CharSpan,
    toks: Vec<Tok>,
    /// Starts with the digits after a decimal point the sentence splitter cut at ("6. 1").
    cut_start: bool,
    /// Ends with the digits before such a point.
    cut_end: bool,
}

struct Doc<'a> {
    index: usize,
    article: &'a Article,
    sentences: Vec<Sent>,
}

impl<'a> Doc<'a> {
    fn new(index: usize, article: &'a Article) -> Self {
        let chars: Vec<char> = article.text.chars().collect();
        let spans = sentence_spans(&article.text);
        let digit_at = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
        let cut_before = |span: &CharSpan| {
            digit_at(span.start)
                && span.start >= 3
                && chars[span.start - 1] == ' '
                && chars[span.start - 2] == '.'
                && digit_at(span.start - 3)
        };
        let sentences = spans
            .iter()
            .enumerate()
            .map(|(n, span)| Sent {
                span: *span,
                toks: tokenize(&chars, *span),
                cut_start: cut_before(span),
                cut_end: spans.get(n + 1).is_some_and(&cut_before),
            })
            .collect();
        Doc {
            index,
            article,
            sentences,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Words (letters and digits; `,`/`.` inside numbers, apostrophes inside words, a possessive
/// `'s` dropped) and single punctuation marks.
fn tokenize(chars: &[char], span: CharSpan) -> Vec<Tok> {
    let mut out = Vec::new();
    let end = span.end.min(chars.len());
    let mut i = span.start;
    while i < end {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let s = c.to_string();
            out.push(Tok {
                lower: s.clone(),
                text: s,
                word: false,
                cap: false,
                num: None,
                decimals: 0,
            });
            i += 1;
            continue;
        }
        let mut text = String::new();
        while i < end {
            let c = chars[i];
            let next = chars.get(i + 1).copied().filter(|_| i + 1 < end);
            let in_number = (c == ',' || c == '.')
                && text.chars().last().is_some_and(|l| l.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit())
                && text
                    .chars()
                    .all(|l| l.is_ascii_digit() || l == ',' || l == '.');
            if c.is_alphanumeric() || in_number {
                text.push(c);
                i += 1;
            } else if c == ','
                && text.chars().last().is_some_and(|l| l.is_ascii_digit())
                && text.chars().all(|l| l.is_ascii_digit() || l == ',')
                && chars.get(i + 1) == Some(&' ')
                && i + 5 <= end
                && chars[i + 2..i + 5].iter().all(|d| d.is_ascii_digit())
                && !chars.get(i + 5).is_some_and(|d| d.is_alphanumeric())
                && !(chars.get(i + 5) == Some(&'.')
                    && chars.get(i + 6).is_some_and(|d| d.is_ascii_digit()))
            {
                // "120, 000": a thousands separator with a space after it.
                text.push(',');
                i += 2;
            } else if is_apostrophe(c) && next.is_some_and(|n| n.is_alphabetic()) {
                let after = chars.get(i + 2).copied().filter(|_| i + 2 < end);
                if matches!(next, Some('s' | 'S')) && !after.is_some_and(|a| a.is_alphanumeric()) {
                    i += 2; // possessive
                    break;
                }
                i += 1; // "Shi'ite"
            } else {
                break;
            }
        }
        let digits = text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
        let (num, decimals) = if digits {
            let plain: String = text.chars().filter(|&c| c != ',').collect();
            let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len() as u32);
            (plain.parse::<f64>().ok(), decimals)
        } else {
            (None, 0)
        };
        out.push(Tok {
            lower: text.to_lowercase(),
            cap: text.chars().next().is_some_and(|c| c.is_uppercase()),
            text,
            word: true,
            num,
            decimals,
        });
    }
    out
}

fn is_all_caps(t: &Tok) -> bool {
    t.word
        && t.text.chars().count() >= 2
        && t.text
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit())
        && t.text.chars().any(|c| c.is_alphabetic())
}

use crate::numbers::MONTHS;
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn month_of(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(w) && (w.len() == 3 || w == "sept")))
        .map(|p| p as u32 + 1)
}

fn weekday_of(w: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    WEEKDAYS
        .iter()
        .position(|d| *d == w)
        .map(|p| [Mon, Tue, Wed, Thu, Fri, Sat, Sun][p])
}

// ---------------------------------------------------------------------------------------
// Names and their spellings.

/// A run of capitalised words: where it is and its key (letters, lower case).
#[derive(Debug, Clone)]
struct NameRun {
    start: usize,
    end: usize,
    key: String,
    display: String,
}

/// Words that join capitalised words into one name ("Deir al-Zour", "Bank of America").
const NAME_JOINERS: &[&str] = &["al", "el", "bin", "ibn", "de", "van", "von", "da", "of"];

fn is_name_word(toks: &[Tok], k: usize, first_ok: &HashSet<String>) -> bool {
    let t = &toks[k];
    if !t.word || !t.cap || t.num.is_some() {
        return false;
    }
    if is_all_caps(t) {
        return true;
    }
    // An initial: "U.S.", "J. Smith".
    if t.text.chars().count() == 1 && toks.get(k + 1).is_some_and(|n| n.text == ".") {
        return true;
    }
    if is_stopword(&t.lower) || month_of(&t.lower).is_some() || weekday_of(&t.lower).is_some() {
        return false;
    }
    // A sentence's first word is a name only if the story writes it capitalised elsewhere, or
    // a name goes on after it ("Islamic State militants").
    let opener = k == 0 || (k == 1 && !toks[0].word);
    !opener
        || first_ok.contains(&t.lower)
        || (toks
            .get(k + 1)
            .is_some_and(|n| n.word && n.cap && n.num.is_none())
            && is_name_word(toks, k + 1, first_ok))
}

fn name_runs(toks: &[Tok], first_ok: &HashSet<String>) -> Vec<NameRun> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        if !is_name_word(toks, k, first_ok) {
            k += 1;
            continue;
        }
        let mut start = k;
        let mut end = k + 1;
        loop {
            if end < toks.len() && is_name_word(toks, end, first_ok) {
                end += 1;
            } else if end + 1 < toks.len()
                && (toks[end].text == "-"
                    || toks[end].text == "."
                    || (toks[end].word && NAME_JOINERS.contains(&toks[end].text.as_str())))
                && is_name_word(toks, end + 1, first_ok)
            {
                end += 2;
            } else if end + 2 < toks.len()
                && NAME_JOINERS.contains(&toks[end].text.as_str())
                && toks[end].text != "of"
                && toks[end + 1].text == "-"
                && is_name_word(toks, end + 2, first_ok)
            {
                end += 3; // "Deir al-Zour"
            } else {
                break;
            }
        }
        // A title is no part of the name: "Mr. LaRue" is "LaRue".
        while start + 1 < end && TITLES.contains(&toks[start].lower.as_str()) {
            start += 1;
            if toks[start].text == "." && start + 1 < end {
                start += 1;
            }
        }
        let key: String = toks[start..end]
            .iter()
            .flat_map(|t| t.text.chars())
            .filter(|c| c.is_alphabetic())
            .flat_map(|c| c.to_lowercase())
            .collect();
        let mut display = String::new();
        for (n, t) in toks[start..end].iter().enumerate() {
            if n > 0 && t.word && toks[start + n - 1].word {
                display.push(' ');
            }
            display.push_str(&t.text);
        }
        if key.chars().count() >= 2 {
            out.push(NameRun {
                start,
                end,
                key,
                display,
            });
        }
        k = end;
    }
    out
}

/// Titles before a person's name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "general",
    "president",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "judge",
    "sir",
    "lord",
    "king",
    "queen",
    "prince",
    "capt",
    "col",
    "sgt",
    "lt",
    "insp",
    "inspector",
    "officer",
    "minister",
    "chairman",
];

/// Well-known names of one group that spelling cannot join.
const ALIASES: &[(&str, &str)] = &[
    ("is", "islamicstate"),
    ("isis", "islamicstate"),
    ("isil", "islamicstate"),
    ("daesh", "islamicstate"),
    ("islamicstategroup", "islamicstate"),
    ("hizbollah", "hezbollah"),
];

/// A name's mentions, the articles that mention it and how often each spelling is written.
type NameCount = (usize, BTreeSet<usize>, BTreeMap<String, usize>);

/// Spelling groups of the names of one story.
struct NameGroups {
    canonical: HashMap<String, String>,
    display: HashMap<String, String>,
    first_ok: HashSet<String>,
}

impl NameGroups {
    fn new(docs: &[Doc]) -> Self {
        // Words written capitalised inside sentences: names, not sentence openers.
        let mut first_ok = HashSet::new();
        for d in docs {
            for s in &d.sentences {
                for (k, t) in s.toks.iter().enumerate().skip(1) {
                    if t.cap && t.word && s.toks[k - 1].word {
                        first_ok.insert(t.lower.clone());
                    }
                }
            }
        }
        let mut counts: BTreeMap<String, NameCount> = BTreeMap::new();
        let mut initials: Vec<(String, String)> = Vec::new();
        for d in docs {
            for s in &d.sentences {
                for r in name_runs(&s.toks, &first_ok) {
                    let e = counts.entry(r.key.clone()).or_default();
                    e.0 += 1;
                    e.1.insert(d.index);
                    *e.2.entry(r.display.clone()).or_insert(0) += 1;
                    let words: Vec<&Tok> = s.toks[r.start..r.end]
                        .iter()
                        .filter(|t| t.word && t.cap)
                        .collect();
                    if words.len() >= 2 {
                        let ini: String = words
                            .iter()
                            .filter_map(|t| t.text.chars().next())
                            .flat_map(|c| c.to_lowercase())
                            .collect();
                        initials.push((ini, r.key.clone()));
                    }
                }
            }
        }
        let keys: Vec<&String> = counts.keys().collect();
        let index: HashMap<&str, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut sets = petgraph::unionfind::UnionFind::<usize>::new(keys.len() + ALIASES.len());
        for i in 0..keys.len() {
            for j in i + 1..keys.len() {
                if crate::names::alike_in_spelling(keys[i], keys[j]) {
                    sets.union(i, j);
                }
            }
        }
        // Acronyms of the story's own names ("IS" = "Islamic State").
        for (ini, key) in &initials {
            if let (Some(&a), Some(&b)) = (index.get(ini.as_str()), index.get(key.as_str())) {
                sets.union(a, b);
            }
        }
        for (n, (a, b)) in ALIASES.iter().enumerate() {
            // Aliases meet through a slot of their own, so that they join even when the
            // canonical spelling is absent.
            let slot = keys.len() + n;
            let target = ALIASES.iter().position(|(_, c)| c == b).unwrap() + keys.len();
            sets.union(slot, target);
            for k in [a, b] {
                if let Some(&i) = index.get(*k) {
                    sets.union(i, target);
                }
            }
        }
        let labels = sets.into_labeling();
        let mut best: HashMap<usize, usize> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            let e = best.entry(labels[i]).or_insert(i);
            // The most mentioned spelling, longer (fuller) first on a tie: "Islamic State"
            // over "IS".
            let (m, mb) = (counts[*key].0, counts[keys[*e]].0);
            if m > mb || (m == mb && key.len() > keys[*e].len()) {
                *e = i;
            }
        }
        let mut canonical = HashMap::new();
        let mut display = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            let c = keys[best[&labels[i]]].clone();
            canonical.insert((*key).clone(), c);
            let d = counts[*key]
                .2
                .iter()
                .max_by_key(|(d, n)| (**n, std::cmp::Reverse((*d).clone())))
                .map(|(d, _)| d.clone())
                .unwrap_or_default();
            display.insert((*key).clone(), d);
        }
        NameGroups {
            canonical,
            display,
            first_ok,
        }
    }

    fn canonical<'a>(&'a self, key: &'a str) -> &'a str {
        self.canonical.get(key).map_or(key, String::as_str)
    }

    /// How the group of `key` is best written.
    fn display(&self, key: &str) -> String {
        let c = self.canonical(key);
        self.display
            .get(c)
            .cloned()
            .unwrap_or_else(|| c.to_string())
    }
}

// ---------------------------------------------------------------------------------------
// Shared guards.

struct SentenceCtx<'a> {
    doc: &'a Doc<'a>,
    sent: &'a Sent,
    names: &'a NameGroups,
    /// The sentence before speaks of another time or a part of the event.
    prev_scoped: bool,
}

impl SentenceCtx<'_> {
    /// Whether the sentence's numbers and dates are not the event's own: it has a scope of
    /// its own, goes on from a sentence that has one ("It killed 612 people"), or is the
    /// tail of a number the sentence splitter cut.
    fn scoped(&self) -> bool {
        let toks = &self.sent.toks;
        let year = self.doc.article.published.map(|p| p.year());
        let goes_on = toks.first().is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "it" | "that" | "this" | "those" | "these" | "they" | "there"
            )
        });
        self.sent.cut_start || (self.prev_scoped && goes_on) || scoped(toks, year)
    }
}

/// A claim found, before claims are grouped: its group key, what the group is about, its
/// side's key and how sides are compared.
#[derive(Debug, Clone)]
struct Found {
    kind: ClaimKind,
    key: String,
    about: String,
    side: String,
    side_value: String,
    test: Test,
    claim: Claim,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// A closed interval: sides disagree when theirs do not meet.
    Interval(f64, f64),
    /// A date (year, when known): sides disagree when they name different days; `weekday`
    /// when the day was found from a weekday name (a week apart is then no disagreement).
    Day {
        year: Option<i32>,
        month: u32,
        day: u32,
        weekday: bool,
    },
    /// Who, and whether they took or hold it (`true`) or lost it.
    Holder(String, bool),
}

fn words_at(toks: &[Tok], k: usize, seq: &[&str]) -> bool {
    seq.iter()
        .enumerate()
        .all(|(i, w)| toks.get(k + i).is_some_and(|t| t.lower == *w))
}

/// Words that make a sentence's claim hypothetical or denied.
const MODAL: &[&str] = &[
    "could",
    "would",
    "might",
    "should",
    "will",
    "not",
    "never",
    "feared",
    "fear",
    "fears",
    "possibly",
    "if",
    "whether",
    "unless",
    "expected",
    "threatened",
    "threatens",
    "plan",
    "plans",
    "planned",
    "aims",
    "trying",
    "tried",
    "attempt",
    "attempted",
    "failed",
    "claimed",
    "claim",
    "rumoured",
    "rumored",
    "denied",
    "denies",
    "t",
    "can",
    "believed",
];

/// Phrases that give a claim a scope of its own: another time span or a part of the event.
const SCOPE: &[&[&str]] = &[
    &["since"],
    &["so", "far"],
    &["this", "year"],
    &["last", "year"],
    &["last", "month"],
    &["last", "decade"],
    &["previous"],
    &["previously"],
    &["earlier", "this"],
    &["ago"],
    &["years", "after"],
    &["years", "before"],
    &["in", "recent"],
    &["over", "the", "past"],
    &["over", "the", "course"],
    &["in", "the", "past"],
    &["in", "one"],
    &["in", "a", "single"],
    &["in", "another"],
    &["each"],
    &["per"],
    &["every"],
    &["annually"],
    &["average"],
    &["worst"],
    &["history"],
    &["anniversary"],
];

fn has_question(toks: &[Tok]) -> bool {
    toks.iter().any(|t| t.text == "?")
}

/// Whether a sentence speaks of another span of time or a part of the event: then its
/// numbers and dates are not the event's own.
fn scoped(toks: &[Tok], published_year: Option<i32>) -> bool {
    for k in 0..toks.len() {
        if SCOPE.iter().any(|p| words_at(toks, k, p)) {
            return true;
        }
        // "in September": another month than the event's day.
        if toks[k].lower == "in"
            && toks
                .get(k + 1)
                .is_some_and(|m| m.cap && month_of(&m.lower).is_some())
        {
            return true;
        }
        // Another year than the article's (or any year where that is unknown), outside a date.
        if let Some(y) = toks[k].num.filter(|_| toks[k].decimals == 0) {
            let is_year = (1900.0..=2100.0).contains(&y)
                && !toks[k].text.contains(',')
                && !next_is_counted(toks, k + 1);
            let in_date = k >= 1
                && (month_of(&toks[k - 1].lower).is_some()
                    || (toks[k - 1].text == ","
                        && k >= 3
                        && toks[k - 2].num.is_some()
                        && month_of(&toks[k - 3].lower).is_some())
                    || (toks[k - 1].num.is_some() && k >= 2)
                    || (k >= 2
                        && toks[k - 1].text == "."
                        && month_of(&toks[k - 2].lower).is_some()));
            if is_year && !in_date && published_year.is_none_or(|p| p != y as i32) {
                return true;
            }
        }
    }
    false
}

fn next_is_counted(toks: &[Tok], k: usize) -> bool {
    toks.get(k)
        .is_some_and(|t| counted_noun(&t.lower).is_some())
}

/// Whether a modal or negating word is among `toks[from..to]`.
fn modal_in(toks: &[Tok], from: usize, to: usize) -> bool {
    toks[from.min(to)..to]
        .iter()
        .any(|t| t.word && MODAL.contains(&t.lower.as_str()) && !(t.lower == "may" && t.cap))
}

/// Whether the verb at `to` is hypothetical or denied: a modal between `from` and it, or an
/// infinitive ("to recapture", "to have captured").
fn modal_before(toks: &[Tok], from: usize, to: usize) -> bool {
    modal_in(toks, from, to)
        || (to > 0 && toks[to - 1].lower == "to")
        || (to > 1
            && toks[to - 2].lower == "to"
            && matches!(toks[to - 1].lower.as_str(), "have" | "be"))
}

// ---------------------------------------------------------------------------------------
// Quantities.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Exact,
    AtLeast,
    MoreThan,
    About,
    Nearly,
    UpTo,
    FewerThan,
}

const BOUNDS: &[(&[&str], Bound)] = &[
    (&["at", "least"], Bound::AtLeast),
    (&["a", "minimum", "of"], Bound::AtLeast),
    (&["no", "fewer", "than"], Bound::AtLeast),
    (&["no", "less", "than"], Bound::AtLeast),
    (&["more", "than"], Bound::MoreThan),
    (&["over"], Bound::MoreThan),
    (&["upwards", "of"], Bound::MoreThan),
    (&["in", "excess", "of"], Bound::MoreThan),
    (&["about"], Bound::About),
    (&["around"], Bound::About),
    (&["approximately"], Bound::About),
    (&["roughly"], Bound::About),
    (&["some"], Bound::About),
    (&["an", "estimated"], Bound::About),
    (&["estimated"], Bound::About),
    (&["nearly"], Bound::Nearly),
    (&["almost"], Bound::Nearly),
    (&["close", "to"], Bound::Nearly),
    (&["up", "to"], Bound::UpTo),
    (&["as", "many", "as"], Bound::UpTo),
    (&["at", "most"], Bound::UpTo),
    (&["no", "more", "than"], Bound::UpTo),
    (&["fewer", "than"], Bound::FewerThan),
    (&["less", "than"], Bound::FewerThan),
];

fn scale_of(w: &str) -> Option<f64> {
    match w {
        "hundred" => Some(1e2),
        "thousand" => Some(1e3),
        "million" | "mln" => Some(1e6),
        "billion" | "bln" | "bn" => Some(1e9),
        _ => None,
    }
}

/// A number as written: its value, the half-width of its rounding, where it ends and how it
/// reads.
#[derive(Debug, Clone)]
struct Core {
    value: f64,
    lo: f64,
    hi: f64,
    end: usize,
    text: String,
    /// "dozens", "hundreds": an order of magnitude, not a count.
    vague: bool,
}

/// The number starting at token `k`, digits or words.
fn core_at(toks: &[Tok], k: usize) -> Option<Core> {
    let t = toks.get(k)?;
    // Vague amounts.
    let vague: &[(&[&str], f64, f64, &str)] = &[
        (
            &["tens", "of", "thousands"],
            1.5e4,
            2e5,
            "tens of thousands",
        ),
        (
            &["hundreds", "of", "thousands"],
            1.5e5,
            2e6,
            "hundreds of thousands",
        ),
        (&["dozens"], 20.0, 300.0, "dozens"),
        (&["scores"], 30.0, 300.0, "scores"),
        (&["hundreds"], 150.0, 3000.0, "hundreds"),
        (&["thousands"], 1500.0, 3e4, "thousands"),
        (&["millions"], 1.5e6, 3e7, "millions"),
    ];
    for (seq, lo, hi, text) in vague {
        if words_at(toks, k, seq) {
            return Some(Core {
                value: *lo,
                lo: *lo,
                hi: *hi,
                end: k + seq.len(),
                text: format!("{text} of"),
                vague: true,
            });
        }
    }
    if words_at(toks, k, &["a", "dozen"]) || words_at(toks, k, &["half", "a", "dozen"]) {
        let (v, n) = if t.lower == "half" {
            (6.0, 3)
        } else {
            (12.0, 2)
        };
        return Some(Core {
            value: v,
            lo: v - 2.0,
            hi: v + 2.0,
            end: k + n,
            text: if v == 6.0 { "half a dozen" } else { "a dozen" }.into(),
            vague: false,
        });
    }
    if let Some(v) = t.num {
        // Not part of a time, a score or an age ("8:30", "3-1", "33-year-old").
        if toks.get(k + 1).is_some_and(|n| n.text == ":")
            || (toks.get(k + 1).is_some_and(|n| n.text == "-")
                && toks
                    .get(k + 2)
                    .is_some_and(|n| n.num.is_some() || n.lower == "year"))
        {
            return None;
        }
        let (mut value, mut unit) = (v, 10f64.powi(-(t.decimals as i32)));
        let mut end = k + 1;
        let mut text = format_number(v);
        if let Some(s) = toks.get(k + 1).and_then(|n| scale_of(&n.lower)) {
            value *= s;
            unit *= s;
            end += 1;
            text = format!("{} {}", text, toks[k + 1].lower);
        }
        // Round numbers are rounded: "1,000" is 950 to 1,050 or so, at most 10%.
        let tol = if t.decimals == 0 && end == k + 1 && v >= 100.0 {
            let mut tz = 0;
            let mut x = v as u64;
            while x > 0 && x.is_multiple_of(10) {
                tz += 1;
                x /= 10;
            }
            (0.5 * 10f64.powi(tz)).min(0.1 * v)
        } else if end > k + 1 {
            (0.5 * unit).min(0.1 * value)
        } else {
            0.0
        };
        return Some(Core {
            value,
            lo: value - tol,
            hi: value + tol,
            end,
            text,
            vague: false,
        });
    }
    // Number words: "five", "twenty-five", "two hundred", "three million".
    let (mut total, mut cur, mut any) = (0.0f64, 0.0f64, false);
    let mut j = k;
    let mut words = Vec::new();
    while let Some(w) = toks.get(j) {
        if let Some(v) = crate::numbers::word_value(&w.lower) {
            let rem = cur % 100.0;
            if !(rem == 0.0 || (rem >= 20.0 && rem % 10.0 == 0.0 && v < 10.0)) {
                break;
            }
            cur += v;
            any = true;
            words.push(w.lower.clone());
            j += 1;
            if toks.get(j).is_some_and(|h| h.text == "-") {
                if let Some(o) = toks
                    .get(j + 1)
                    .and_then(|o| crate::numbers::word_value(&o.lower))
                {
                    cur += o;
                    words.push(toks[j + 1].lower.clone());
                    j += 2;
                }
            }
        } else if any && w.lower == "hundred" {
            cur *= 100.0;
            words.push(w.lower.clone());
            j += 1;
        } else if let Some(s) = scale_of(&w.lower).filter(|_| any) {
            total += cur * s;
            cur = 0.0;
            words.push(w.lower.clone());
            j += 1;
        } else {
            break;
        }
    }
    if !any {
        return None;
    }
    let value = total + cur;
    Some(Core {
        value,
        lo: value,
        hi: value,
        end: j,
        text: format_number(value),
        vague: false,
    })
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A bounded number: where it starts and ends, its interval and how it reads.
#[derive(Debug, Clone)]
struct Amount {
    start: usize,
    end: usize,
    lo: f64,
    hi: f64,
    text: String,
    value: f64,
}

fn amount_at(toks: &[Tok], k: usize) -> Option<Amount> {
    let (mut bound, mut j) = (Bound::Exact, k);
    let mut bound_text = "";
    for (seq, b) in BOUNDS {
        if words_at(toks, k, seq) {
            bound = *b;
            j = k + seq.len();
            bound_text = match b {
                Bound::AtLeast => "at least",
                Bound::MoreThan => "more than",
                Bound::About => "about",
                Bound::Nearly => "nearly",
                Bound::UpTo => "up to",
                Bound::FewerThan => "fewer than",
                Bound::Exact => "",
            };
            break;
        }
    }
    let between = toks.get(k).is_some_and(|t| t.lower == "between");
    if between {
        j = k + 1;
    }
    let core = core_at(toks, j)?;
    if bound != Bound::Exact && core.vague {
        return None;
    }
    let mut end = core.end;
    let (mut lo, mut hi) = (core.lo, core.hi);
    let mut text = core.text.clone();
    // A range: "10 to 12", "10-12", "between 10 and 12", "10 or 12".
    let joiner = toks.get(end).map(|t| t.lower.as_str());
    let from = k > 0 && toks[k - 1].lower == "from";
    let ranged = matches!(joiner, Some("to" | "-" | "or")) || (joiner == Some("and") && between);
    if !core.vague && !from && ranged {
        if let Some(second) = core_at(toks, end + 1).filter(|c| !c.vague) {
            if second.value > core.value {
                hi = second.hi;
                text = format!("{}-{}", core.text, second.text);
                end = second.end;
            }
        }
    }
    if between && end == core.end {
        return None;
    }
    if words_at(toks, end, &["or", "more"]) {
        bound = Bound::AtLeast;
        bound_text = "at least";
        end += 2;
    }
    let v = core.value;
    match bound {
        Bound::Exact => {}
        Bound::AtLeast | Bound::MoreThan => hi = f64::INFINITY,
        Bound::About => {
            lo = lo.min(0.8 * v);
            hi = hi.max(1.2 * v);
        }
        Bound::Nearly => lo = lo.min(0.8 * v),
        Bound::UpTo | Bound::FewerThan => lo = 0.0,
    }
    if !bound_text.is_empty() {
        text = format!("{bound_text} {text}");
    }
    Some(Amount {
        start: k,
        end,
        lo,
        hi,
        text,
        value: v,
    })
}

/// What a number counts, as the group key's noun (plural, lower case).
fn counted_noun(w: &str) -> Option<&'static str> {
    Some(match w {
        "people" | "persons" | "person" | "individuals" => "people",
        "civilians" | "civilian" => "civilians",
        "children" | "child" | "kids" => "children",
        "women" | "woman" => "women",
        "men" | "man" => "men",
        "soldiers" | "soldier" | "troops" | "servicemen" => "soldiers",
        "policemen" | "policeman" | "officers" | "officer" | "police" => "police officers",
        "militants" | "militant" | "fighters" | "fighter" | "insurgents" | "jihadists"
        | "rebels" => "militants",
        "students" | "student" => "students",
        "passengers" | "passenger" => "passengers",
        "workers" | "worker" | "employees" | "employee" | "staff" | "jobs" => "workers",
        "miners" | "miner" => "miners",
        "tourists" | "tourist" => "tourists",
        "residents" | "villagers" | "inhabitants" => "residents",
        "protesters" | "protestors" | "demonstrators" => "protesters",
        "inmates" | "prisoners" => "prisoners",
        "hostages" => "hostages",
        "migrants" | "refugees" => "refugees",
        "families" => "families",
        "homes" | "houses" | "buildings" => "buildings",
        "villages" => "villages",
        "victims" => "victims",
        "patients" => "patients",
        "pilgrims" | "worshippers" => "pilgrims",
        "crew" | "sailors" => "crew",
        "bodies" => "bodies",
        "suspects" => "suspects",
        _ => return None,
    })
}

/// Units after a number that make it a measure, not a count.
const UNITS: &[&str] = &[
    "ft",
    "feet",
    "foot",
    "metres",
    "meters",
    "metre",
    "meter",
    "m",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "kg",
    "kilograms",
    "pounds",
    "lbs",
    "tons",
    "tonnes",
    "euros",
    "euro",
    "dollars",
    "yuan",
    "pounds",
    "percent",
    "per",
    "%",
    "years",
    "year",
    "months",
    "days",
    "hours",
    "minutes",
    "seconds",
    "am",
    "pm",
    "degrees",
    "mph",
    "kmh",
    "times",
    "point",
    "points",
    "goals",
    "shots",
    "rounds",
    "cents",
];

/// The event a count is of, as the group key's verb.
fn event_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "kill" | "kills" | "killing" | "dead" | "died" | "die" | "dies" | "deaths"
        | "death" | "fatalities" | "perished" | "lives" => "killed",
        "injured" | "injuring" | "injures" | "injuries" | "wounded" | "wounding" | "wounds"
        | "hurt" | "hurting" => "injured",
        "arrested" | "arresting" | "arrests" | "detained" | "detaining" => "arrested",
        "displaced" | "homeless" => "displaced",
        "evacuated" | "evacuating" => "evacuated",
        "missing" | "unaccounted" => "missing",
        "destroyed" | "destroying" => "destroyed",
        "damaged" | "damaging" => "damaged",
        "rescued" => "rescued",
        "hospitalized" | "hospitalised" => "hospitalised",
        _ => return None,
    })
}

/// Words that end the search for a count's event.
const CLAUSE_ENDS: &[&str] = &[
    ";",
    ":",
    "(",
    "\u{2014}",
    "\u{2013}",
    "but",
    "while",
    "whereas",
    "after",
    "when",
    "before",
    "including",
    "among",
    "as",
];

fn quantity_claims(c: &SentenceCtx) -> Vec<Found> {
    let toks = &c.sent.toks;
    if has_question(toks) || c.scoped() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let Some(a) = amount_at(toks, k) else {
            k += 1;
            continue;
        };
        // Inside a date or after a money sign, or a part of a whole: not a count.
        let before = |n: usize| (a.start >= n).then(|| &toks[a.start - n]);
        if before(1).is_some_and(|t| {
            t.text == "$"
                || t.text == "\u{20AC}"
                || t.text == "\u{00A3}"
                || month_of(&t.lower).is_some()
                || matches!(
                    t.lower.as_str(),
                    "another" | "other" | "additional" | "extra"
                )
        }) || (before(1).is_some_and(|t| t.text == ".")
            && before(2).is_some_and(|t| month_of(&t.lower).is_some()))
            || (k > 0 && toks[k - 1].lower == "from")
        {
            k = a.end;
            continue;
        }
        if let Some(f) = magnitude(c, &a) {
            out.push(f);
            k = a.end;
            continue;
        }
        if let Some(f) = count_claim(c, &a) {
            out.push(f);
        }
        k = a.end.max(k + 1);
    }
    out
}

/// An earthquake's magnitude: "a 6.1-magnitude quake", "magnitude 6.1", "measuring 6.1".
fn magnitude(c: &SentenceCtx, a: &Amount) -> Option<Found> {
    let toks = &c.sent.toks;
    // Magnitudes are written with a decimal; an integer is often half of one cut in two.
    if !(1.0..10.0).contains(&a.value)
        || !toks[a.start..a.end].iter().any(|t| t.decimals == 1)
        || c.sent.cut_start
        || c.sent.cut_end
    {
        return None;
    }
    let near = |w: &[&str]| {
        toks[a.start.saturating_sub(3)..(a.end + 3).min(toks.len())]
            .iter()
            .any(|t| w.contains(&t.lower.as_str()))
    };
    let quake = toks
        .iter()
        .any(|t| matches!(t.lower.as_str(), "earthquake" | "quake" | "tremor"));
    if !(quake && near(&["magnitude", "richter", "measuring", "measured"])) {
        return None;
    }
    if toks
        .iter()
        .any(|t| t.lower == "aftershock" || t.lower == "aftershocks")
    {
        return None;
    }
    // Written with one decimal: 6.1 is 6.05 to 6.15.
    let (lo, hi) = (a.lo - 0.05, a.hi + 0.05);
    Some(found(
        c,
        ClaimKind::Quantity,
        "magnitude".into(),
        "earthquake magnitude".into(),
        a.text.clone(),
        format!("magnitude {}", a.text),
        Test::Interval(lo, hi),
    ))
}

fn count_claim(c: &SentenceCtx, a: &Amount) -> Option<Found> {
    let toks = &c.sent.toks;
    let is = |k: usize, w: &str| toks.get(k).is_some_and(|t| t.lower == w);
    // Half of a decimal the sentence splitter cut ("6. 1").
    if (c.sent.cut_start && a.start == 0)
        || (c.sent.cut_end && toks[a.end..].iter().all(|t| !t.word))
    {
        return None;
    }
    // "mother of 12", "30 of the 80": a part, or not a count. "a toll of 50" is one.
    if a.start > 0
        && toks[a.start - 1].lower == "of"
        && !(a.start > 1 && matches!(toks[a.start - 2].lower.as_str(), "toll" | "total"))
    {
        return None;
    }
    // "a 10-juror majority", "357 Magnum", "700 metres", "1,000 euros".
    if let Some(next) = toks.get(a.end) {
        if next.text == "-"
            || (next.word && next.cap && counted_noun(&next.lower).is_none())
            || UNITS.contains(&next.lower.as_str())
        {
            return None;
        }
    }
    // What it counts: a noun right after (up to two words between: "50 Syrian civilians"),
    // after "of" for vague amounts ("dozens of civilians"), or people by default.
    let mut j = a.end;
    if is(j, "of") {
        let vague = toks[a.start..a.end].iter().all(|t| t.num.is_none())
            && crate::numbers::word_value(&toks[a.end - 1].lower).is_none();
        if !vague {
            return None; // "10 of the victims"
        }
        j += 1;
    }
    let mut noun = None;
    let mut noun_end = j;
    for (n, t) in toks.iter().enumerate().skip(j).take(3) {
        if !t.word || t.num.is_some() || event_word(&t.lower).is_some() {
            break;
        }
        if let Some(cn) = counted_noun(&t.lower) {
            // "civilian deaths": the noun as an adjective.
            noun = Some(cn);
            noun_end = n + 1;
            break;
        }
        if matches!(
            t.lower.as_str(),
            "others" | "more" | "of" | "percent" | "per" | "years"
        ) {
            return None;
        }
    }
    // "Benjamin Banky, 40, the CEO": an age, or another apposition.
    if noun.is_none() && a.start > 0 && toks[a.start - 1].text == "," {
        return None;
    }
    let small_word = toks[a.start..a.end].iter().all(|t| t.num.is_none());
    if noun.is_none() && small_word && a.value < 20.0 {
        // "one", "two": too often not a count without a noun.
        let e = toks.get(a.end).and_then(|t| event_word(&t.lower));
        e?;
    }
    // The event: a verb just before the number ("killing at least 5 people", "the death
    // toll rose to 50"), else after the noun, within eight words, before another number or
    // clause; a participle there starts a clause of its own ("shooting three people, killing
    // one").
    let mut event = None;
    let mut modal = false;
    if let Some(t) = a.start.checked_sub(1).map(|p| &toks[p]) {
        event = event_word(&t.lower)
            .filter(|_| !matches!(t.lower.as_str(), "dead" | "death" | "deaths" | "missing"));
    }
    if event.is_none() && noun.is_none() {
        let from = a.start.saturating_sub(6);
        if let Some(p) = toks[from..a.start].iter().position(|t| t.lower == "toll") {
            let p = from + p;
            if p > 0 && matches!(toks[p - 1].lower.as_str(), "death" | "deaths") {
                event = Some("killed");
            }
        }
    }
    if event.is_none() {
        for t in toks.iter().skip(noun_end).take(8) {
            if t.num.is_some()
                || crate::numbers::word_value(&t.lower).is_some()
                || CLAUSE_ENDS.contains(&t.lower.as_str())
                || t.text == "."
            {
                break;
            }
            if t.word && MODAL.contains(&t.lower.as_str()) {
                modal = true;
            }
            if let Some(e) = event_word(&t.lower) {
                if !t.lower.ends_with("ing") {
                    event = Some(e);
                }
                break;
            }
        }
    }
    let event = event?;
    if modal || modal_in(toks, a.start.saturating_sub(4), a.start) {
        return None;
    }
    let noun = noun.unwrap_or("people");
    let key = format!("{noun} {event}");
    Some(found(
        c,
        ClaimKind::Quantity,
        format!("count:{key}"),
        key.clone(),
        a.text.clone(),
        format!("{} {}", a.text, key),
        Test::Interval(a.lo, a.hi),
    ))
}

fn found(
    c: &SentenceCtx,
    kind: ClaimKind,
    key: String,
    about: String,
    side: String,
    value: String,
    test: Test,
) -> Found {
    Found {
        kind,
        key,
        about,
        side_value: side.clone(),
        side,
        test,
        claim: Claim {
            article: c.doc.index,
            span: c.sent.span,
            value,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Outcomes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    /// Took it, or holds it.
    Gain,
    Lose,
}

/// Verbs of taking and holding (active forms, and what they may be followed by before their
/// object).
const GAIN_VERBS: &[&str] = &[
    "captured",
    "captures",
    "seized",
    "seizes",
    "took",
    "takes",
    "taken",
    "retook",
    "retakes",
    "retaken",
    "recaptured",
    "recaptures",
    "regained",
    "regains",
    "overran",
    "overrun",
    "liberated",
    "liberates",
    "conquered",
    "holds",
    "held",
    "controls",
    "controlled",
    "acquired",
    "acquires",
    "bought",
    "buys",
    "purchased",
    "purchases",
    "won",
    "wins",
];
const LOSE_VERBS: &[&str] = &["lost", "loses", "ceded", "cedes", "surrendered"];
/// Verbs that take their object after a preposition: "withdrew from", "pulled out of".
const LOSE_PHRASES: &[&[&str]] = &[
    &["withdrew", "from"],
    &["withdrawn", "from"],
    &["retreated", "from"],
    &["pulled", "out", "of"],
    &["driven", "out", "of"],
    &["expelled", "from"],
];
const GAIN_PASSIVES: &[&str] = &[
    "captured",
    "seized",
    "taken",
    "retaken",
    "recaptured",
    "liberated",
    "overrun",
    "acquired",
    "bought",
    "purchased",
    "won",
    "conquered",
];
/// Words between a verb and its object: "took control of", "took back".
const VERB_PARTICLES: &[&str] = &[
    "control",
    "of",
    "back",
    "over",
    "full",
    "complete",
    "total",
    "effective",
    "the",
    "a",
    "an",
];
/// Nouns that describe a place or a thing before its name: "the town of Albu Kamal".
const DESCRIPTORS: &[&str] = &[
    "town",
    "city",
    "village",
    "province",
    "region",
    "district",
    "area",
    "capital",
    "port",
    "base",
    "airport",
    "stronghold",
    "bastion",
    "metropolis",
    "enclave",
    "company",
    "firm",
    "maker",
    "group",
    "state",
    "county",
    "island",
    "border",
    "strategic",
    "key",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "last",
    "major",
    "rival",
    "oil",
    "desert",
    "frontier",
];
/// Words after a party's name that say which of its people: "Islamic State militants".
const HEADS: &[&str] = &[
    "militants",
    "fighters",
    "forces",
    "troops",
    "army",
    "militia",
    "militias",
    "group",
    "rebels",
    "government",
    "authorities",
    "soldiers",
    "jets",
    "police",
    "military",
    "regime",
    "coalition",
    "units",
    "insurgents",
];
/// Heads that name an institution, shown with the name: "Syrian army".
const INSTITUTIONS: &[&str] = &[
    "army",
    "forces",
    "troops",
    "government",
    "authorities",
    "military",
    "regime",
    "police",
    "coalition",
];
/// Words allowed between a subject and its verb.
const FILLERS: &[&str] = &[
    "had",
    "has",
    "have",
    "was",
    "were",
    "is",
    "are",
    "reportedly",
    "finally",
    "also",
    "now",
    "already",
    "then",
    "eventually",
    "successfully",
    "still",
    "later",
    "again",
    "quickly",
    "recently",
    "officially",
    "effectively",
    "on",
];

struct Party {
    key: String,
    display: String,
}

/// A party named at tokens `start..end` of a run, with a generic head after it.
fn party(c: &SentenceCtx, r: &NameRun, head: Option<&str>) -> Option<Party> {
    let toks = &c.sent.toks;
    // "non-Syrian army" is not the Syrian army.
    if r.start >= 2 && toks[r.start - 1].text == "-" && toks[r.start - 2].lower == "non" {
        return None;
    }
    let key = c.names.canonical(&r.key).to_string();
    let mut display = c.names.display(&r.key);
    // An institution's head says who ("Syrian army"); a group's says nothing ("Islamic State
    // militants").
    if let Some(h) = head.filter(|h| INSTITUTIONS.contains(h)) {
        display = format!("{display} {h}");
    }
    Some(Party { key, display })
}

/// The party whose name ends right before `v` (fillers and a generic head between).
fn subject_before(c: &SentenceCtx, runs: &[NameRun], v: usize) -> Option<(Party, usize)> {
    let toks = &c.sent.toks;
    let mut k = v;
    while k > 0 && (FILLERS.contains(&toks[k - 1].lower.as_str()) || is_date_word(&toks[k - 1])) {
        k -= 1;
    }
    let mut head = None;
    if k > 0 && HEADS.contains(&toks[k - 1].lower.as_str()) {
        head = Some(toks[k - 1].lower.as_str());
        k -= 1;
    }
    let r = runs.iter().find(|r| r.end == k)?;
    Some((party(c, r, head)?, r.start))
}

fn is_date_word(t: &Tok) -> bool {
    weekday_of(&t.lower).is_some()
}

/// The name that is the object of a verb whose particles end at `k`: "the Syrian town of
/// Abu Kamal", "Albu Kamal".
fn object_after(c: &SentenceCtx, runs: &[NameRun], k: usize) -> Option<(Party, usize)> {
    let toks = &c.sent.toks;
    let mut j = k;
    while j < toks.len() && matches!(toks[j].lower.as_str(), "the" | "a" | "an" | "its" | "their") {
        j += 1;
    }
    // "the Syrian town of X": a name as an adjective before a descriptor.
    let skip_name = runs.iter().find(|r| r.start == j).and_then(|r| {
        let mut e = r.end;
        let mut n = 0;
        while e < toks.len() && DESCRIPTORS.contains(&toks[e].lower.as_str()) {
            e += 1;
            n += 1;
        }
        (n > 0 && toks.get(e).is_some_and(|t| t.lower == "of")).then_some(e + 1)
    });
    if let Some(e) = skip_name {
        j = e;
    } else {
        let mut n = 0;
        while j < toks.len() && DESCRIPTORS.contains(&toks[j].lower.as_str()) {
            j += 1;
            n += 1;
        }
        if n > 0 {
            if toks.get(j).is_some_and(|t| t.lower == "of") {
                j += 1;
            } else {
                return None;
            }
        }
    }
    let r = runs.iter().find(|r| r.start == j)?;
    // A name followed by a descriptor is an adjective: "took Syrian territory".
    if toks.get(r.end).is_some_and(|t| {
        t.word
            && !t.cap
            && !is_stopword(&t.lower)
            && t.num.is_none()
            && !matches!(
                t.lower.as_str(),
                "from" | "after" | "on" | "in" | "and" | "last" | "this"
            )
    }) {
        return None;
    }
    Some((party(c, r, None)?, r.end))
}

fn outcome(c: &SentenceCtx, who: &Party, verb: Verb, what: &Party, written: &str) -> Found {
    let about = format!("who holds {}", what.display);
    let side_value = match verb {
        Verb::Gain => format!("{} holds {}", who.display, what.display),
        Verb::Lose => format!("{} lost {}", who.display, what.display),
    };
    let mut f = found(
        c,
        ClaimKind::Outcome,
        format!("holds:{}", what.key),
        about,
        format!("{}:{}", who.key, verb == Verb::Gain),
        format!("{} {} {}", who.display, written, what.display),
        Test::Holder(who.key.clone(), verb == Verb::Gain),
    );
    f.side_value = side_value;
    f
}

fn outcome_claims(c: &SentenceCtx) -> Vec<Found> {
    let toks = &c.sent.toks;
    let year = c.doc.article.published.map(|p| p.year());
    if has_question(toks) || scoped(toks, year) {
        return Vec::new();
    }
    let runs = name_runs(toks, &c.names.first_ok);
    let mut out = Vec::new();
    for v in 0..toks.len() {
        let w = toks[v].lower.as_str();
        if !toks[v].word {
            continue;
        }
        let passive = v > 0
            && matches!(
                toks[v - 1].lower.as_str(),
                "was" | "were" | "been" | "is" | "are"
            );
        // Passive: "Abu Kamal was captured from ISIS ... by Z".
        if passive && GAIN_PASSIVES.contains(&w) {
            let aux = if v >= 2 && toks[v - 1].lower == "been" {
                v - 2
            } else {
                v - 1
            };
            let aux = if aux > 0 && matches!(toks[aux - 1].lower.as_str(), "has" | "had" | "have") {
                aux - 1
            } else {
                aux
            };
            let Some(r) = runs.iter().find(|r| r.end == aux) else {
                continue;
            };
            if modal_before(toks, r.start.saturating_sub(3), r.start) {
                continue;
            }
            let Some(what) = party(c, r, None) else {
                continue;
            };
            if toks.get(v + 1).is_some_and(|t| t.lower == "from") {
                if let Some(loser) = name_after_preposition(c, &runs, v + 2) {
                    out.push(outcome(
                        c,
                        &loser,
                        Verb::Lose,
                        &what,
                        &format!("lost ({w} from)"),
                    ));
                }
            }
            for (b, tb) in toks.iter().enumerate().take(v + 13).skip(v + 1) {
                if matches!(tb.text.as_str(), ";" | ":" | "\u{2014}" | "\u{2013}") {
                    break;
                }
                if tb.lower == "by" {
                    if let Some(agent) = name_after_preposition(c, &runs, b + 1) {
                        out.push(outcome(c, &agent, Verb::Gain, &what, w));
                    }
                    break;
                }
            }
            continue;
        }
        // "Y fell to X".
        if w == "fell" && toks.get(v + 1).is_some_and(|t| t.lower == "to") {
            if let (Some(r), Some(agent)) = (
                runs.iter().find(|r| r.end == v),
                name_after_preposition(c, &runs, v + 2),
            ) {
                if let Some(what) = party(c, r, None) {
                    if !modal_before(toks, r.start.saturating_sub(3), r.start) {
                        out.push(outcome(c, &agent, Verb::Gain, &what, "took (fell to)"));
                    }
                }
            }
            continue;
        }
        let (verb, obj_from) = if GAIN_VERBS.contains(&w) && !passive {
            (Verb::Gain, v + 1)
        } else if LOSE_VERBS.contains(&w) && !passive {
            if toks.get(v + 1).is_some_and(|t| t.lower == "to") {
                continue; // "lost to X": X is the winner, of something unnamed
            }
            (Verb::Lose, v + 1)
        } else if let Some(p) = LOSE_PHRASES.iter().find(|p| words_at(toks, v, p)) {
            (Verb::Lose, v + p.len())
        } else {
            continue;
        };
        let Some((who, s_start)) = subject_before(c, &runs, v) else {
            continue;
        };
        if modal_before(toks, s_start, v)
            || (s_start > 0 && matches!(toks[s_start - 1].lower.as_str(), "to" | "if" | "whether"))
        {
            continue;
        }
        let mut k = obj_from;
        let mut particles = Vec::new();
        while k < toks.len()
            && VERB_PARTICLES.contains(&toks[k].lower.as_str())
            && particles.len() < 4
        {
            particles.push(toks[k].lower.clone());
            k += 1;
        }
        // "took part in", "held talks": the verb's own idioms are no taking.
        if particles.iter().any(|p| p == "control") && !particles.iter().any(|p| p == "of") {
            continue;
        }
        let Some((what, _)) = object_after(c, &runs, k) else {
            continue;
        };
        if what.key == who.key {
            continue;
        }
        let mut written = w.to_string();
        let kept: Vec<&str> = particles
            .iter()
            .map(String::as_str)
            .filter(|p| matches!(*p, "control" | "of" | "back" | "over"))
            .collect();
        if !kept.is_empty() {
            written = format!("{written} {}", kept.join(" "));
        }
        if obj_from > v + 1 {
            written = toks[v..obj_from]
                .iter()
                .map(|t| t.lower.as_str())
                .collect::<Vec<_>>()
                .join(" ");
        }
        out.push(outcome(c, &who, verb, &what, &written));
    }
    out
}

/// The name after a preposition ("from ISIS", "by the Syrian army"): up to one article and
/// no other word between.
fn name_after_preposition(c: &SentenceCtx, runs: &[NameRun], k: usize) -> Option<Party> {
    let toks = &c.sent.toks;
    let mut j = k;
    if toks
        .get(j)
        .is_some_and(|t| matches!(t.lower.as_str(), "the" | "a" | "an"))
    {
        j += 1;
    }
    let r = runs.iter().find(|r| r.start == j)?;
    let head = toks
        .get(r.end)
        .filter(|t| HEADS.contains(&t.lower.as_str()))
        .map(|t| t.lower.as_str());
    // A name as an adjective of a noun not a party's: "by a Syrian court".
    if head.is_none()
        && toks.get(r.end).is_some_and(|t| {
            t.word
                && !t.cap
                && t.num.is_none()
                && !is_stopword(&t.lower)
                && !matches!(
                    t.lower.as_str(),
                    "from" | "after" | "on" | "in" | "last" | "this"
                )
        })
    {
        return None;
    }
    party(c, r, head)
}

// ---------------------------------------------------------------------------------------
// Dates.

/// One date written in a sentence.
#[derive(Debug, Clone, PartialEq)]
struct When {
    start: usize,
    year: Option<i32>,
    month: u32,
    day: u32,
    weekday: bool,
}

fn dates_in(toks: &[Tok], published: Option<NaiveDate>) -> Vec<When> {
    let mut out = Vec::new();
    let day_at = |k: usize| -> Option<u32> {
        let t = toks.get(k)?;
        let d = t.lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        let d: u32 = d.parse().ok()?;
        (t.num.is_some() || matches!(&t.lower[d.to_string().len()..], "st" | "nd" | "rd" | "th"))
            .then_some(d)
            .filter(|d| (1..=31).contains(d))
    };
    let year_at = |k: usize| -> Option<i32> {
        let t = toks.get(k)?;
        let y = t.num.filter(|_| t.decimals == 0 && !t.text.contains(','))?;
        (1900.0..=2100.0).contains(&y).then_some(y as i32)
    };
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        if let Some(m) = month_of(&t.lower).filter(|_| t.cap) {
            // "Nov. 8, 2017", "November 8 2017"
            let mut j = k + 1;
            if toks.get(j).is_some_and(|t| t.text == ".") {
                j += 1;
            }
            if let Some(d) = day_at(j) {
                let mut e = j + 1;
                let mut year = None;
                if toks.get(e).is_some_and(|t| t.text == ",") {
                    if let Some(y) = year_at(e + 1) {
                        year = Some(y);
                        e += 2;
                    }
                } else if let Some(y) = year_at(e) {
                    year = Some(y);
                    e += 1;
                }
                out.push(When {
                    start: k,
                    year,
                    month: m,
                    day: d,
                    weekday: false,
                });
                k = e;
                continue;
            }
            // "9 November 2017"
            if k > 0 {
                if let Some(d) = day_at(k - 1) {
                    let year = year_at(k + 1);
                    out.push(When {
                        start: k - 1,
                        year,
                        month: m,
                        day: d,
                        weekday: false,
                    });
                    k += 1 + year.is_some() as usize;
                    continue;
                }
            }
        }
        k += 1;
    }
    if out.is_empty() {
        if let Some(p) = published {
            for (k, t) in toks.iter().enumerate() {
                if let Some(wd) = weekday_of(&t.lower).filter(|_| t.cap) {
                    // The latest such day on or before publication.
                    let back =
                        (p.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                    let d = p - chrono::Duration::days(back as i64);
                    out.push(When {
                        start: k,
                        year: Some(d.year()),
                        month: d.month(),
                        day: d.day(),
                        weekday: true,
                    });
                }
            }
        }
    } else if let Some(p) = published {
        for w in &mut out {
            if w.year.is_none() {
                let mut y = p.year();
                if NaiveDate::from_ymd_opt(y, w.month, w.day)
                    .is_some_and(|d| d > p + chrono::Duration::days(7))
                {
                    y -= 1;
                }
                w.year = Some(y);
            }
        }
    }
    out
}

/// Verbs of reporting: a date right after one is when it was said, not when it happened.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "added",
    "stated",
    "announced",
    "confirmed",
    "report",
    "statement",
];
/// Events a named person or thing undergoes, with a date of their own.
const DATED_EVENTS: &[&str] = &[
    "died",
    "resigned",
    "arrested",
    "fired",
    "sacked",
    "dismissed",
    "elected",
    "sentenced",
    "convicted",
    "indicted",
    "charged",
    "released",
    "executed",
    "kidnapped",
    "murdered",
    "married",
    "hired",
    "appointed",
    "named",
];

fn date_claims(c: &SentenceCtx, outcomes: &[Found]) -> Vec<Found> {
    let toks = &c.sent.toks;
    let published = c.doc.article.published.map(|p| p.date_naive());
    if has_question(toks) || c.scoped() {
        return Vec::new();
    }
    let mut dates = dates_in(toks, published);
    // When it was said is not when it happened.
    dates.retain(|d| {
        let from = d.start.saturating_sub(2);
        !toks[from..d.start]
            .iter()
            .any(|t| REPORTING.contains(&t.lower.as_str()))
    });
    let first = match dates.first() {
        Some(f)
            if dates
                .iter()
                .all(|d| (d.year, d.month, d.day) == (f.year, f.month, f.day)) =>
        {
            f.clone()
        }
        _ => return Vec::new(),
    };
    let value = match first.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", first.month, first.day),
        None => format!("--{:02}-{:02}", first.month, first.day),
    };
    let test = Test::Day {
        year: first.year,
        month: first.month,
        day: first.day,
        weekday: first.weekday,
    };
    let mut events: Vec<(String, String)> = Vec::new();
    for o in outcomes {
        if let Test::Holder(_, true) = o.test {
            let what = o.about.trim_start_matches("who holds ").to_string();
            events.push((format!("taken:{}", o.key), format!("when {what} was taken")));
        }
    }
    let runs = name_runs(toks, &c.names.first_ok);
    // The date is the event's when it opens the sentence ("On June 6, ...") or follows the
    // verb ("died on June 6", "convicted March 20"; not "convicted of the June 20 murder").
    let dates_event = |v: usize| {
        first.start <= 2
            || (first.start > v
                && first.start - v <= 4
                && toks[v + 1..first.start]
                    .iter()
                    .all(|t| matches!(t.lower.as_str(), "on" | "," | "early" | "late" | "last")))
    };
    for (v, t) in toks.iter().enumerate() {
        if DATED_EVENTS.contains(&t.lower.as_str()) && dates_event(v) {
            if modal_before(toks, v.saturating_sub(4), v) {
                continue;
            }
            let mut k = v;
            while k > 0 && FILLERS.contains(&toks[k - 1].lower.as_str()) {
                k -= 1;
            }
            if let Some(r) = runs.iter().find(|r| r.end == k) {
                if let Some(p) = party(c, r, None) {
                    events.push((
                        format!("{}:{}", t.lower, p.key),
                        format!("when {} {}", p.display, t.lower),
                    ));
                }
            }
        }
        if matches!(
            t.lower.as_str(),
            "struck" | "hit" | "jolted" | "rocked" | "shook"
        ) && v > 0
            && (first.start <= 2 || first.start > v)
            && toks[v.saturating_sub(3)..v]
                .iter()
                .any(|q| matches!(q.lower.as_str(), "earthquake" | "quake"))
            && !toks.iter().any(|q| q.lower.starts_with("aftershock"))
        {
            events.push(("quake".into(), "when the earthquake struck".into()));
        }
    }
    events.sort();
    events.dedup();
    events
        .into_iter()
        .map(|(key, about)| {
            found(
                c,
                ClaimKind::Date,
                format!("date:{key}"),
                about,
                value.clone(),
                value.clone(),
                test.clone(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Grouping and comparing.

fn conflicts(a: &Test, b: &Test) -> bool {
    match (a, b) {
        (Test::Interval(l1, h1), Test::Interval(l2, h2)) => h1 < l2 || h2 < l1,
        (
            Test::Day {
                year: y1,
                month: m1,
                day: d1,
                weekday: w1,
            },
            Test::Day {
                year: y2,
                month: m2,
                day: d2,
                weekday: w2,
            },
        ) => {
            if let (Some(y1), Some(y2)) = (y1, y2) {
                let (Some(a), Some(b)) = (
                    NaiveDate::from_ymd_opt(*y1, *m1, *d1),
                    NaiveDate::from_ymd_opt(*y2, *m2, *d2),
                ) else {
                    return false;
                };
                let gap = (a - b).num_days().abs();
                gap != 0 && !((*w1 || *w2) && gap % 7 == 0)
            } else {
                (m1, d1) != (m2, d2)
            }
        }
        (Test::Holder(p1, g1), Test::Holder(p2, g2)) => {
            (p1 == p2 && g1 != g2) || (p1 != p2 && *g1 && *g2)
        }
        _ => false,
    }
}

fn compare(found: Vec<Found>) -> Vec<Disagreement> {
    let mut groups: BTreeMap<(ClaimKind, String), Vec<Found>> = BTreeMap::new();
    for f in found {
        groups.entry((f.kind, f.key.clone())).or_default().push(f);
    }
    let mut out = Vec::new();
    for ((kind, _), fs) in groups {
        // Sides: claims of one value.
        let mut sides: BTreeMap<String, Vec<Found>> = BTreeMap::new();
        for f in fs {
            sides.entry(f.side.clone()).or_default().push(f);
        }
        let sides: Vec<Vec<Found>> = sides.into_values().collect();
        let arts: Vec<BTreeSet<usize>> = sides
            .iter()
            .map(|s| s.iter().map(|f| f.claim.article).collect())
            .collect();
        let mut keep = vec![false; sides.len()];
        for i in 0..sides.len() {
            for j in i + 1..sides.len() {
                // Some article says the one and not the other, another the other and not the one.
                let apart = arts[i].difference(&arts[j]).next().is_some()
                    && arts[j].difference(&arts[i]).next().is_some();
                if apart && conflicts(&sides[i][0].test, &sides[j][0].test) {
                    keep[i] = true;
                    keep[j] = true;
                }
            }
        }
        let kept: Vec<&Vec<Found>> = sides
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(s, _)| s)
            .collect();
        if kept.len() < 2 {
            continue;
        }
        // What it is about: as most claims put it.
        let mut abouts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in kept.iter().flat_map(|s| s.iter()) {
            *abouts.entry(f.about.as_str()).or_insert(0) += 1;
        }
        let about = abouts
            .iter()
            .max_by_key(|(a, n)| (**n, std::cmp::Reverse(**a)))
            .map(|(a, _)| a.to_string())
            .unwrap_or_default();
        let mut sides: Vec<Side> = kept
            .into_iter()
            .map(|s| {
                let mut claims: Vec<Claim> = s.iter().map(|f| f.claim.clone()).collect();
                claims.sort_by_key(|c| (c.article, c.span));
                claims.dedup();
                Side {
                    value: s[0].side_value.clone(),
                    claims,
                }
            })
            .collect();
        sides.sort_by(|a, b| {
            b.claims
                .len()
                .cmp(&a.claims.len())
                .then_with(|| a.value.cmp(&b.value))
        });
        out.push(Disagreement { kind, about, sides });
    }
    out.sort_by(|a, b| (a.kind, &a.about).cmp(&(b.kind, &b.about)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(texts: &[&str]) -> Vec<Article> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Article::from_text(&format!("a{i}"), t.to_string()))
            .collect()
    }

    fn found_in(texts: &[&str]) -> Vec<Disagreement> {
        let a = story(texts);
        let m: Vec<usize> = (0..a.len()).collect();
        disagreements(&a, &m)
    }

    fn values(d: &Disagreement) -> Vec<String> {
        let mut v: Vec<String> = d.sides.iter().map(|s| s.value.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn counts_that_differ_disagree() {
        let d = found_in(&[
            "The blast left 10 people dead, police said.",
            "Five people were killed in the blast on the market.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].kind, ClaimKind::Quantity);
        assert_eq!(d[0].about, "people killed");
        assert_eq!(values(&d[0]), vec!["10", "5"]);
        assert!(d[0].sides[0].claims[0].value.ends_with("people killed"));
    }

    #[test]
    fn bounds_and_rounding_are_no_disagreement() {
        assert!(found_in(&[
            "At least 50 people were killed in the attack.",
            "The attack killed 53 people, officials said.",
            "About 50 people died in the attack.",
        ])
        .is_empty());
        assert!(found_in(&[
            "The storm destroyed 1,000 homes.",
            "Some 1,020 homes were destroyed by the storm.",
        ])
        .is_empty());
        // Dozens and 40 agree.
        assert!(found_in(&[
            "Dozens of civilians were killed.",
            "Forty civilians were killed.",
        ])
        .is_empty());
        // More than 50 against 30 does not.
        let d = found_in(&[
            "More than 50 people were killed in the attack.",
            "The attack killed 30 people.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
    }

    #[test]
    fn different_things_counted_are_apart() {
        // Five hurt and ten dead; civilians and people; a toll that rose in one article.
        assert!(found_in(&[
            "The quake left five people hurt.",
            "Ten people were dead after the quake.",
        ])
        .is_empty());
        assert!(found_in(&[
            "Twelve civilians were killed.",
            "Thirty people were killed in the fighting.",
        ])
        .is_empty());
        assert!(found_in(&[
            "Ten people were killed. Later the toll rose and 14 people were reported killed.",
            "Ten people were killed.",
        ])
        .is_empty());
    }

    #[test]
    fn scoped_and_hypothetical_counts_are_left_out() {
        assert!(found_in(&[
            "In one air strike, 30 people were killed.",
            "Fifty people were killed in the strikes.",
        ])
        .is_empty());
        assert!(found_in(&[
            "Officials feared 100 people could have been killed.",
            "Fifty people were killed in the flood.",
        ])
        .is_empty());
        assert!(found_in(&[
            "A quake in 2004 killed 230,000 people.",
            "The quake killed 12 people.",
        ])
        .is_empty());
    }

    #[test]
    fn verb_before_the_number_and_tolls() {
        let d = found_in(&[
            "The earthquake killed at least 40 people in the province.",
            "The death toll rose to 12, officials said.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].about, "people killed");
        assert_eq!(values(&d[0]), vec!["12", "at least 40"]);
    }

    #[test]
    fn magnitudes() {
        let d = found_in(&[
            "A 6.1-magnitude earthquake struck the island.",
            "The quake measured 5.8 on the Richter scale.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].about, "earthquake magnitude");
        assert!(found_in(&[
            "A 6.1-magnitude earthquake struck the island.",
            "A magnitude 6.1 quake hit the island.",
        ])
        .is_empty());
    }

    #[test]
    fn numbers_in_words() {
        let text = "twenty-five, two hundred, three million";
        let toks = tokenize(
            &text.chars().collect::<Vec<_>>(),
            CharSpan::new(0, text.len()),
        );
        assert_eq!(core_at(&toks, 0).unwrap().value, 25.0);
        assert_eq!(core_at(&toks, 4).unwrap().value, 200.0);
        assert_eq!(core_at(&toks, 7).unwrap().value, 3e6);
    }

    #[test]
    fn dates_that_differ_disagree() {
        let d = found_in(&[
            "The actress Esther Williams died on June 6, 2013, her agent said.",
            "Esther Williams died June 7, 2013 in her sleep.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].kind, ClaimKind::Date);
        assert_eq!(d[0].about, "when Esther Williams died");
        assert_eq!(values(&d[0]), vec!["2013-06-06", "2013-06-07"]);
        // The same day written two ways; a date it was said on is not the event's.
        assert!(found_in(&[
            "Esther Williams died on 6 June 2013.",
            "Esther Williams died June 6, 2013.",
            "Esther Williams died, her agent said on June 9, 2013.",
        ])
        .is_empty());
    }

    #[test]
    fn weekdays_need_a_publication_date() {
        let mut a = story(&[
            "Esther Williams died on Thursday in her sleep.",
            "Esther Williams died on Nov 9 in her sleep.",
        ]);
        assert!(disagreements(&a, &[0, 1]).is_empty());
        let p = chrono::NaiveDate::from_ymd_opt(2017, 11, 12)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc();
        a[0].published = Some(p); // a Sunday: Thursday is Nov 9
        a[1].published = Some(p);
        assert!(disagreements(&a, &[0, 1]).is_empty());
        a[1].text = "Esther Williams died on Nov 8 in her sleep.".into();
        let d = disagreements(&a, &[0, 1]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(values(&d[0]), vec!["2017-11-08", "2017-11-09"]);
    }

    #[test]
    fn outcomes_across_spellings() {
        let d = found_in(&[
            "Islamic State militants regained control of Albu Kamal on Monday.",
            "The Syrian town of Abu Kamal was captured from ISIS on Thursday.",
            "Troops said the Syrian army holds Boukamal.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].kind, ClaimKind::Outcome);
        assert_eq!(d[0].about, "who holds Albu Kamal");
        assert_eq!(
            values(&d[0]),
            vec![
                "Islamic State holds Albu Kamal",
                "Islamic State lost Albu Kamal",
                "Syrian army holds Albu Kamal"
            ]
        );
    }

    #[test]
    fn outcomes_that_agree_or_are_not_claims() {
        // Taker and loser agree; an intention, a denial and an idiom are no outcome.
        assert!(found_in(&[
            "Government forces captured Mosul from the rebels.",
            "The rebels lost Mosul last night.",
            "Rebels are trying to retake Mosul.",
            "Rebels did not take Mosul.",
            "Rebels took part in the battle of Mosul.",
        ])
        .is_empty());
        let d = found_in(&[
            "On Monday Oracle acquired Sun Microsystems for $7.4 billion.",
            "IBM bought Sun Microsystems in a surprise deal.",
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].about, "who holds Sun Microsystems");
    }

    #[test]
    fn one_article_telling_both_is_no_disagreement() {
        assert!(found_in(&[
            "Hezbollah captured Aleppo. Weeks later Islamic State retook Aleppo.",
            "Hezbollah captured Aleppo.",
        ])
        .is_empty());
    }

    #[test]
    fn names_tokenise_with_offsets() {
        let text = "Syria's army retook Deir al-Zour and U.S. troops left.";
        let chars: Vec<char> = text.chars().collect();
        let toks = tokenize(&chars, CharSpan::new(0, chars.len()));
        let runs = name_runs(&toks, &HashSet::new());
        let d: Vec<&str> = runs.iter().map(|r| r.display.as_str()).collect();
        assert_eq!(d, vec!["Deir al-Zour", "U.S"]);

        assert_eq!(toks[0].text, "Syria");
        assert_eq!(toks[1].text, "army");
        let titled = "It was Mr. LaRue and Gen. Khayrallah Samadi.";
        let tchars: Vec<char> = titled.chars().collect();
        let ttoks = tokenize(&tchars, CharSpan::new(0, tchars.len()));
        let keys: Vec<String> = name_runs(&ttoks, &HashSet::new())
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, vec!["larue", "khayrallahsamadi"]);
    }
}
