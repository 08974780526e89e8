//! `newstrace eval`, meaning-changing edits: real articles of `stories-ecbplus`, each given a
//! derived copy with ONE planted edit of a known kind at a known place (a number changed, a
//! qualifier dropped or added, an attribution dropped or added, a negation inserted or
//! removed, a name swapped for another name of the corpus, a paragraph added) and another
//! copy with ONE harmless edit (two sentences swapped, a synonym spin, the last sentences
//! trimmed, quote styles changed, numbers rewritten in another form). Each pair goes through
//! the real engine (`compare`), then `changes`.
//!
//! Counting, strictly: a planted edit is *found* when a change of its kind overlaps its span
//! in the derived text (in the source, for what was removed). Every other change reported on
//! a meaning pair is wrong (the rest of the text is verbatim), and so is a second change for
//! the same edit. A pair the engine finds no reuse in, or whose source it names wrongly, is a
//! miss. The harmless rate is the share of harmless pairs with any change reported.
//!
//! `NEWSTRACE_EVAL_ONLY=changes` runs this section alone; `NEWSTRACE_CHANGES_N` sets how many
//! articles (300), `NEWSTRACE_CHANGES_SEED` the seed (9); `NEWSTRACE_CHANGES_VERBOSE=1` prints every miss and wrong change.

use anyhow::Result;
use newstrace::article::CharSpan;
use newstrace::changes::{changes, Change, ChangeKind};
use newstrace::normalize::{is_stopword, sentence_spans};
use newstrace::{Article, Config};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;

/// The default seed of the article sample and the edits (`NEWSTRACE_CHANGES_SEED`).
const SEED: u64 = 9;

/// One planted edit: the derived text, what was done, and where.
struct Plant {
    text: String,
    /// None for a harmless edit.
    kind: Option<ChangeKind>,
    /// How it was made: "number", "reorder", ….
    how: &'static str,
    /// What was removed or replaced, in the source; what was put in, in the derived text.
    src: Option<CharSpan>,
    der: Option<CharSpan>,
    /// The rest of the derived text was synonym-spun too.
    spun: bool,
}

fn chars_of(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// `text` with the characters `[a, b)` replaced by `rep`, and the span `rep` takes.
fn splice(text: &str, a: usize, b: usize, rep: &str) -> (String, CharSpan) {
    let chars: Vec<char> = text.chars().collect();
    let mut out: String = chars[..a].iter().collect();
    out.push_str(rep);
    out.extend(&chars[b..]);
    (out, CharSpan::new(a, a + rep.chars().count()))
}

/// The sentences of at least `min` words, as (span, text).
fn sentences(text: &str, min: usize) -> Vec<(CharSpan, String)> {
    let chars: Vec<char> = text.chars().collect();
    sentence_spans(text)
        .into_iter()
        .map(|s| (s, chars[s.start..s.end].iter().collect::<String>()))
        .filter(|(_, t)| t.split_whitespace().count() >= min)
        .collect()
}

/// A match's groups (0 the whole match): absolute character range and text.
type Groups = Vec<Option<(usize, usize, String)>>;

/// All matches of `re` in the long sentences of `text` without quotes.
fn find_all(text: &str, re: &Regex) -> Vec<Groups> {
    let mut out = Vec::new();
    for (span, s) in sentences(text, 8) {
        if has_quote(&s) {
            continue;
        }
        for c in re.captures_iter(&s) {
            out.push(
                c.iter()
                    .map(|g| {
                        g.map(|g| {
                            (
                                span.start + chars_of(&s, g.start()),
                                span.start + chars_of(&s, g.end()),
                                g.as_str().to_string(),
                            )
                        })
                    })
                    .collect(),
            );
        }
    }
    out
}

fn has_quote(s: &str) -> bool {
    s.contains('"') || s.contains("''") || s.contains("``") || s.contains(['\u{201C}', '\u{201D}'])
}

const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

fn plant_number(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let re = Regex::new(
        r"(?:^|[^\w.,-])(\d{1,3}(?:, ?\d{3})+|\d+(?:\.\d+)?)(?:$|[^\w,-]|,[^\d])|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    )
    .ok()?;
    let found = find_all(text, &re);
    if found.is_empty() {
        return None;
    }
    let g = &found[rng.usize(..found.len())];
    let (a, b, rep) = if let Some((a, b, digits)) = &g[1] {
        let v: f64 = digits.replace([',', ' '], "").parse().ok()?;
        let chars: Vec<char> = text.chars().collect();
        let next_word =
            chars.get(*b) == Some(&' ') && chars.get(b + 1).is_some_and(|c| c.is_lowercase());
        let rep = if next_word
            && (20.0..100.0).contains(&v)
            && !digits.contains('.')
            && rng.f32() < 0.3
        {
            "dozens of".to_string()
        } else if next_word && (200.0..1000.0).contains(&v) && rng.f32() < 0.3 {
            "hundreds of".to_string()
        } else if digits.contains('.') {
            format!("{:.1}", v + 1.5)
        } else {
            let w = (v + (v * 0.2).round().max(1.0) + rng.u32(0..3) as f64) as u64;
            w.to_string()
        };
        (*a, *b, rep)
    } else {
        let (a, b, word) = g[2].as_ref()?;
        let k = NUMBER_WORDS.iter().position(|w| w == word)?;
        (
            *a,
            *b,
            NUMBER_WORDS[(k + 1 + rng.usize(..3)) % NUMBER_WORDS.len()].to_string(),
        )
    };
    let (out, der) = splice(text, a, b, &rep);
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::NumberChanged),
        how: "number",
        src: Some(CharSpan::new(a, b)),
        der: Some(der),
        spun: false,
    })
}

/// Removes the characters `[a, b)` and one space after (or before) them.
fn remove(text: &str, a: usize, b: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (a, b) = if chars.get(b) == Some(&' ') {
        (a, b + 1)
    } else if a > 0 && chars[a - 1] == ' ' {
        (a - 1, b)
    } else {
        (a, b)
    };
    splice(text, a, b, "").0
}

fn plant_qualifier_drop(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let re = Regex::new(
        r"\b(allegedly|reportedly|suspected|alleged|former|acting|interim|possibly|apparently|unconfirmed|so-called|nearly|\w+-(?:backed|led|linked|held|allied|controlled))\b|\b(at least|more than|about) \d|\b(pro-|anti-)\w",
    )
    .ok()?;
    let found = find_all(text, &re);
    if found.is_empty() {
        return None;
    }
    let g = &found[rng.usize(..found.len())];
    let (a, b, prefix) = match (&g[1], &g[2], &g[3]) {
        (Some((a, b, _)), ..) | (_, Some((a, b, _)), _) => (*a, *b, false),
        (_, _, Some((a, b, _))) => (*a, *b, true),
        _ => return None,
    };
    // A capitalised word at a sentence's head is left alone (it would need re-casing).
    if text.chars().nth(a).is_some_and(|c| c.is_uppercase()) {
        return None;
    }
    let out = if prefix {
        splice(text, a, b, "").0
    } else {
        remove(text, a, b)
    };
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::QualifierDropped),
        how: "qualifier dropped",
        src: Some(CharSpan::new(a, b)),
        der: None,
        spun: false,
    })
}

fn plant_qualifier_add(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let options: [(&str, &[&str]); 4] = [
        (
            r"\b(?:was|were|is|are|has been|had been|have been|will be) ()[a-z]",
            &["reportedly ", "allegedly ", "possibly ", "apparently "],
        ),
        (
            r"[a-z,] ()(?:President|Governor|Minister|Senator|Mayor|Chairman|Director|Coach|Secretary|Chief)\b",
            &["former "],
        ),
        (
            r"\b(?:killed|injured|hurt|dead|of|with|and) ()\d",
            &["at least ", "more than ", "nearly "],
        ),
        (
            r"\b(?:the|a|two|three) ()(?:gunman|killer|shooter|attacker|thief|robber|bomber|militants|rebels|hackers|arsonist)\b",
            &["suspected "],
        ),
    ];
    let mut all = Vec::new();
    for (pat, words) in options {
        let re = Regex::new(pat).ok()?;
        for g in find_all(text, &re) {
            all.push((g[1].as_ref()?.0, words));
        }
    }
    if all.is_empty() {
        return None;
    }
    let (at, words) = all[rng.usize(..all.len())];
    let w = words[rng.usize(..words.len())];
    let (out, der) = splice(text, at, at, w);
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::QualifierAdded),
        how: "qualifier added",
        src: None,
        der: Some(CharSpan::new(der.start, der.end - 1)),
        spun: false,
    })
}

fn capitalize_at(text: &str, at: usize) -> String {
    text.chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if i == at {
                c.to_uppercase().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn plant_attribution_drop(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let pats: [&str; 5] = [
        // ", the monitor said." / ", police said on Tuesday."
        r", ((?:[\w.'-]+ ){0,5}?(?:said|says|reported|added|told reporters)(?: on \w+)?)\s*\.$",
        // ", said police spokesman John Smith."
        r", ((?:said|says) [^,.]{3,60})\s*\.$",
        // ", according to officials"
        r", (according to [^,.]{3,60})[,.]",
        // "According to police, …"
        r"^(According to [^,]{3,60}, )[a-zA-Z]",
        // "Police said (that) …", "The spokesman says …"
        r"^((?:[A-Z][\w.'-]*|The [a-z]+)(?: [\w.'-]+){0,3} (?:said|says) (?:that )?)[a-z]",
    ];
    let mut all = Vec::new();
    for (k, pat) in pats.iter().enumerate() {
        let re = Regex::new(pat).ok()?;
        for g in find_all(text, &re) {
            let (a, b, _) = g[1].clone()?;
            all.push((k, a, b));
        }
    }
    if all.is_empty() {
        return None;
    }
    let (k, a, b) = all[rng.usize(..all.len())];
    let (out, src) = if k >= 3 {
        let out = splice(text, a, b, "").0;
        let trim = if k == 3 { 2 } else { 1 };
        (capitalize_at(&out, a), CharSpan::new(a, b - trim))
    } else {
        // Remove ", " before the clause too.
        (splice(text, a - 2, b, "").0, CharSpan::new(a, b))
    };
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::AttributionDropped),
        how: "attribution dropped",
        src: Some(src),
        der: None,
        spun: false,
    })
}

fn plant_attribution_add(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    const CLAUSES: &[&str] = &[
        "officials said",
        "police said",
        "according to a spokesman",
        "the agency reported",
        "a source told reporters",
        "witnesses said",
    ];
    let attr =
        Regex::new(r"\b(said|says|told|according|reported|added|announced|stated)\b").ok()?;
    let cands: Vec<CharSpan> = sentences(text, 8)
        .into_iter()
        .filter(|(_, s)| !has_quote(s) && !attr.is_match(s) && s.ends_with('.'))
        .map(|(sp, _)| sp)
        .collect();
    if cands.is_empty() {
        return None;
    }
    let sp = cands[rng.usize(..cands.len())];
    let mut at = sp.end - 1;
    let chars: Vec<char> = text.chars().collect();
    while at > sp.start && chars[at - 1] == ' ' {
        at -= 1;
    }
    let clause = CLAUSES[rng.usize(..CLAUSES.len())];
    let (out, der) = splice(text, at, at, &format!(", {clause}"));
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::AttributionAdded),
        how: "attribution added",
        src: None,
        der: Some(CharSpan::new(der.start + 2, der.end)),
        spun: false,
    })
}

fn plant_negation(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let insert = Regex::new(
        r"\b(?:was|were|is|are|has|have|had|will|would|could|did|does|can|should) ()(?:[a-mo-z][a-z]+)\b",
    )
    .ok()?;
    let removal = Regex::new(r"\b(not |never )[a-z]|\w( n't)\b|\w(n't)\b").ok()?;
    let ins = find_all(text, &insert);
    let rem = find_all(text, &removal);
    if ins.is_empty() && rem.is_empty() {
        return None;
    }
    if !rem.is_empty() && (ins.is_empty() || rng.f32() < 0.4) {
        let g = &rem[rng.usize(..rem.len())];
        let (a, b, w) = g[1].as_ref().or(g[2].as_ref()).or(g[3].as_ref())?;
        let out = splice(text, *a, *b, "").0;
        let word = w.trim();
        let start = a + w.chars().take_while(|c| *c == ' ').count();
        return Some(Plant {
            text: out,
            kind: Some(ChangeKind::NegationFlipped),
            how: "negation removed",
            src: Some(CharSpan::new(start, start + word.chars().count())),
            der: None,
            spun: false,
        });
    }
    let at = ins[rng.usize(..ins.len())][1].as_ref()?.0;
    let (out, der) = splice(text, at, at, "not ");
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::NegationFlipped),
        how: "negation inserted",
        src: None,
        der: Some(CharSpan::new(der.start, der.end - 1)),
        spun: false,
    })
}

const NOT_NAMES: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Names of two or three capitalised words, not at a sentence's head.
fn names_in(text: &str) -> Vec<(usize, usize, String)> {
    let re = Regex::new(r"[a-z,] ([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b").expect("valid pattern");
    let mut out = Vec::new();
    for (sp, s) in sentences(text, 6) {
        for c in re.captures_iter(&s) {
            let m = c.get(1).expect("group");
            let name = m.as_str();
            if name
                .split(' ')
                .any(|w| NOT_NAMES.contains(&w) || is_stopword(&w.to_lowercase()))
            {
                continue;
            }
            out.push((
                sp.start + chars_of(&s, m.start()),
                sp.start + chars_of(&s, m.end()),
                name.to_string(),
            ));
        }
    }
    out
}

fn plant_name(text: &str, pool: &[String], rng: &mut fastrand::Rng) -> Option<Plant> {
    let found = names_in(text);
    if found.is_empty() || pool.is_empty() {
        return None;
    }
    let (a, b, name) = &found[rng.usize(..found.len())];
    let other = (0..20).map(|_| &pool[rng.usize(..pool.len())]).find(|o| {
        strsim::normalized_levenshtein(o, name) < 0.5
            && !o.split(' ').any(|w| name.split(' ').any(|v| v == w))
            && !text.contains(o.as_str())
    })?;
    let (out, der) = splice(text, *a, *b, other);
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::NameSwapped),
        how: "name swapped",
        src: Some(CharSpan::new(*a, *b)),
        der: Some(der),
        spun: false,
    })
}

const OPINIONS: &[&str] = &[
    "We believe this should serve as a wake-up call, and the authorities must act now before more lives are needlessly lost.",
    "It is shameful that nobody has yet been held accountable, and our leaders should stop making excuses and take responsibility.",
    "In our view the official response has been inadequate, and it is imperative that an independent inquiry is opened without delay.",
    "Readers will rightly ask why the warnings were ignored for so long; we think those in charge owe the public a full explanation.",
];

fn plant_paragraph(text: &str, paras: &[String], rng: &mut fastrand::Rng) -> Option<Plant> {
    let para = if rng.bool() || paras.is_empty() {
        OPINIONS[rng.usize(..OPINIONS.len())].to_string()
    } else {
        paras[rng.usize(..paras.len())].clone()
    };
    let lines: Vec<usize> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '\n')
        .map(|(i, _)| i)
        .collect();
    let n = text.chars().count();
    // After a random paragraph (not the first), or at the end.
    let at = if lines.len() >= 3 && rng.bool() {
        lines[1 + rng.usize(..lines.len() - 1)]
    } else {
        n
    };
    let (out, der) = splice(text, at, at, &format!("\n{para}"));
    Some(Plant {
        text: out,
        kind: Some(ChangeKind::ParagraphAdded),
        how: "paragraph added",
        src: None,
        der: Some(CharSpan::new(der.start + 1, der.end)),
        spun: false,
    })
}

fn harmless(how: &'static str, text: String) -> Plant {
    Plant {
        text,
        kind: None,
        how,
        src: None,
        der: None,
        spun: false,
    }
}

fn plant_reorder(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let sp = sentence_spans(text);
    let chars: Vec<char> = text.chars().collect();
    let words = |s: &CharSpan| chars[s.start..s.end].iter().filter(|c| **c == ' ').count() + 1;
    let ks: Vec<usize> = (1..sp.len().saturating_sub(1))
        .filter(|&k| words(&sp[k]) >= 5 && words(&sp[k + 1]) >= 5)
        .collect();
    if ks.is_empty() {
        return None;
    }
    let k = ks[rng.usize(..ks.len())];
    let (x, y) = (sp[k], sp[k + 1]);
    let s = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let out = format!(
        "{}{}{}{}{}",
        s(0, x.start),
        s(y.start, y.end),
        s(x.end, y.start),
        s(x.start, x.end),
        s(y.end, chars.len())
    );
    Some(harmless("reorder two sentences", out))
}

fn plant_trim(text: &str, rng: &mut fastrand::Rng) -> Option<Plant> {
    let sp = sentence_spans(text);
    if sp.len() < 5 {
        return None;
    }
    let keep = sp.len() - 1 - rng.usize(..3.min(sp.len() - 4));
    let chars: Vec<char> = text.chars().collect();
    Some(harmless(
        "trim the last sentences",
        chars[..sp[keep - 1].end].iter().collect(),
    ))
}

fn plant_quotes(text: &str) -> Option<Plant> {
    if !text.contains("``") && !text.contains('"') && !text.contains('\'') {
        return None;
    }
    let mut out = text
        .replace("`` ", "\u{201C}")
        .replace("``", "\u{201C}")
        .replace(" ''", "\u{201D}")
        .replace("''", "\u{201D}");
    let mut open = true;
    out = out
        .chars()
        .map(|c| match c {
            '"' => {
                open = !open;
                if open {
                    '\u{201D}'
                } else {
                    '\u{201C}'
                }
            }
            '\'' => '\u{2019}',
            c => c,
        })
        .collect();
    (out != text).then(|| harmless("change quote styles", out))
}

fn plant_reformat(text: &str) -> Option<Plant> {
    let spaced = Regex::new(r"(^|[^\w.,-])(\d{1,3}), (\d{3})([ .;])").ok()?;
    let comma = Regex::new(r"(^|[^\w.,-])(\d{1,3}),(\d{3})([ .;])").ok()?;
    let small = Regex::new(r"(^|[^\w.,-])([2-9]) ([a-z]{3,})").ok()?;
    let words = Regex::new(r"\b(two|three|four|five|six|seven|eight|nine) ([a-z]{3,})").ok()?;
    let out = spaced.replace_all(text, "$1$2,$3$4").to_string();
    let out = comma.replace_all(&out, "$1$2$3$4").to_string();
    let out = small
        .replace_all(&out, |c: &regex::Captures| {
            let k: usize = c[2].parse().unwrap_or(2);
            format!("{}{} {}", &c[1], NUMBER_WORDS[k - 2], &c[3])
        })
        .to_string();
    let out = if out == text {
        words
            .replace_all(&out, |c: &regex::Captures| {
                let k = NUMBER_WORDS.iter().position(|w| *w == &c[1]).unwrap_or(0);
                format!("{} {}", k + 2, &c[2])
            })
            .to_string()
    } else {
        out
    };
    (out != text).then(|| harmless("rewrite numbers in another form", out))
}

/// The plant with the derived text outside the edited sentence synonym-spun (15% of words),
/// as a spinner that also changed a fact would leave it; the edited sentence stays as it is.
fn spun_around(p: Plant, rng: &mut fastrand::Rng) -> Plant {
    let at = match (p.der, p.src) {
        (Some(d), _) => d.start,
        (None, Some(s)) => s.start.min(p.text.chars().count().saturating_sub(1)),
        _ => return p,
    };
    let spans = sentence_spans(&p.text);
    let Some(sent) = spans.iter().find(|s| s.start <= at && at <= s.end).copied() else {
        return p;
    };
    let chars: Vec<char> = p.text.chars().collect();
    let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let spin = |t: String, rng: &mut fastrand::Rng| {
        if t.trim().is_empty() {
            return t;
        }
        newstrace::synth::spin(&Article::from_text("part", t), "spun", 0.15, rng)
            .article
            .text
    };
    let before = part(0, sent.start);
    let spun_before = spin(before.clone(), rng);
    let after = spin(part(sent.end, chars.len()), rng);
    let shift = spun_before.chars().count() as isize - before.chars().count() as isize;
    let text = format!("{spun_before}{}{after}", part(sent.start, sent.end));
    Plant {
        text,
        der: p.der.map(|d| {
            CharSpan::new(
                (d.start as isize + shift) as usize,
                (d.end as isize + shift) as usize,
            )
        }),
        spun: true,
        ..p
    }
}

fn overlaps(a: CharSpan, b: CharSpan) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Whether a reported change is the planted edit.
fn is_hit(c: &Change, p: &Plant) -> bool {
    if Some(c.kind) != p.kind {
        return false;
    }
    match (p.der, p.src) {
        (Some(d), _) => c.derived.is_some_and(|x| overlaps(x, d)),
        (None, Some(s)) => c.source.is_some_and(|x| overlaps(x, s)),
        _ => false,
    }
}

#[derive(Default)]
struct PerKind {
    planted: usize,
    found: usize,
    reported: usize,
    right: usize,
}

/// Runs the section; true when `NEWSTRACE_EVAL_ONLY=changes` asks for it alone (the caller
/// then stops), false when the other sections are to run too.
pub fn run(dir: &Path, cfg: &Config) -> Result<bool> {
    let only = std::env::var("NEWSTRACE_EVAL_ONLY").ok();
    match only.as_deref() {
        Some("changes") => {}
        Some(_) => return Ok(false),
        None => {}
    }
    let alone = only.is_some();
    if crate::eval::absent("changes (meaning-changing edits)", dir) {
        return Ok(alone);
    }
    let n: usize = std::env::var("NEWSTRACE_CHANGES_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("NEWSTRACE_CHANGES_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SEED);
    let verbose = std::env::var("NEWSTRACE_CHANGES_VERBOSE").is_ok_and(|v| v != "0");
    let start = std::time::Instant::now();
    let (all, _) = newstrace::load(&[dir.join("documents.jsonl")], cfg.limits);
    let topic = |a: &Article| a.id.0.split('_').next().unwrap_or("").to_string();
    let mut pool: Vec<usize> = (0..all.len())
        .filter(|&i| sentence_spans(&all[i].text).len() >= 5 && all[i].word_count() >= 100)
        .collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    rng.shuffle(&mut pool);
    pool.truncate(n);

    let mut meaning: BTreeMap<ChangeKind, PerKind> = BTreeMap::new();
    let mut by_how: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut harmless_by: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut harmless_kinds: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    let (mut no_reuse, mut reversed, mut harmless_no_reuse) = (0usize, 0usize, 0usize);
    let (mut reported, mut right, mut found, mut planted) = (0usize, 0usize, 0usize, 0usize);
    let mut notes: Vec<String> = Vec::new();
    let t0 = chrono::DateTime::parse_from_rfc3339("2020-01-01T08:00:00Z")
        .expect("valid date")
        .with_timezone(&chrono::Utc);
    for (k, &i) in pool.iter().enumerate() {
        let src_article = &all[i];
        let text = &src_article.text;
        let t = topic(src_article);
        // Names and paragraphs of other topics: what a swap or an addition brings in.
        let mut names: Vec<String> = Vec::new();
        let mut paras: Vec<String> = Vec::new();
        for _ in 0..6 {
            let o = &all[rng.usize(..all.len())];
            if topic(o) == t {
                continue;
            }
            names.extend(names_in(&o.text).into_iter().map(|(_, _, n)| n));
            paras.extend(
                o.text
                    .lines()
                    .filter(|l| (15..=60).contains(&l.split_whitespace().count()))
                    .map(str::to_string),
            );
        }
        let mut krng = fastrand::Rng::with_seed(seed * 1000 + k as u64);
        // One meaning edit, of the kind whose turn it is (the next that applies).
        let mut m_plant = None;
        for off in 0..8 {
            let p = match (k + off) % 8 {
                0 => plant_number(text, &mut krng),
                1 => plant_qualifier_drop(text, &mut krng),
                2 => plant_qualifier_add(text, &mut krng),
                3 => plant_attribution_drop(text, &mut krng),
                4 => plant_attribution_add(text, &mut krng),
                5 => plant_negation(text, &mut krng),
                6 => plant_name(text, &names, &mut krng),
                _ => plant_paragraph(text, &paras, &mut krng),
            };
            if let Some(p) = p {
                // Every second article: the rest of the copy spun as well.
                m_plant = Some(if (k / 8) % 2 == 1 {
                    spun_around(p, &mut krng)
                } else {
                    p
                });
                break;
            }
        }
        let mut h_plant = None;
        for off in 0..6 {
            let p = match (k + off) % 6 {
                0 => plant_reorder(text, &mut krng),
                1 => {
                    let rate = if krng.bool() { 0.15 } else { 0.3 };
                    let s = newstrace::synth::spin(src_article, "spun", rate, &mut krng);
                    Some(harmless("synonym spin", s.article.text))
                }
                2 => plant_trim(text, &mut krng),
                3 => plant_quotes(text),
                4 => plant_reformat(text),
                _ => {
                    // All at once: spun, quotes changed, two sentences swapped, trimmed.
                    let s = newstrace::synth::spin(src_article, "spun", 0.3, &mut krng);
                    let t = s.article.text;
                    let t = plant_quotes(&t).map_or(t, |p| p.text);
                    let t = plant_reorder(&t, &mut krng).map_or(t, |p| p.text);
                    let t = plant_trim(&t, &mut krng).map_or(t, |p| p.text);
                    Some(harmless("spin, quotes, reorder and trim together", t))
                }
            };
            if p.is_some() {
                h_plant = p;
                break;
            }
        }
        let mut src = src_article.clone();
        src.published = Some(t0);
        for p in [m_plant, h_plant].into_iter().flatten() {
            let mut der = Article::from_text(&format!("{}/derived", src.id), p.text.clone());
            der.published = Some(t0 + chrono::Duration::hours(2));
            let r = newstrace::compare(&src, &der, cfg);
            let (list, ok) = match &r {
                Some(r) if r.source == 0 => (changes(&src, &der, r), true),
                Some(r) => (changes(&der, &src, r), false),
                None => (Vec::new(), false),
            };
            match p.kind {
                Some(kind) => {
                    planted += 1;
                    meaning.entry(kind).or_default().planted += 1;
                    let how = format!("{}{}", p.how, if p.spun { " in a spun copy" } else { "" });
                    by_how.entry(how.clone()).or_default().1 += 1;
                    if r.is_none() {
                        no_reuse += 1;
                    } else if !ok {
                        reversed += 1;
                    }
                    let mut hit = false;
                    for c in &list {
                        reported += 1;
                        let e = meaning.entry(c.kind).or_default();
                        e.reported += 1;
                        if ok && !hit && is_hit(c, &p) {
                            hit = true;
                            right += 1;
                            e.right += 1;
                        } else if verbose {
                            notes.push(format!(
                                "  wrong on {} ({}): {}: {}",
                                src.id,
                                p.how,
                                c.kind.as_str(),
                                c.description
                            ));
                        }
                    }
                    if hit {
                        found += 1;
                        meaning.entry(kind).or_default().found += 1;
                        by_how.entry(how).or_default().0 += 1;
                    } else if verbose {
                        let what = |s: Option<CharSpan>, a: &Article| {
                            s.map(|s| a.slice(s)).unwrap_or_default()
                        };
                        notes.push(format!(
                            "  missed on {} ({}{}): source \"{}\", derived \"{}\"",
                            src.id,
                            p.how,
                            if r.is_none() {
                                ", no reuse found"
                            } else if !ok {
                                ", source named wrongly"
                            } else {
                                ""
                            },
                            what(p.src, &src),
                            what(p.der, &der)
                        ));
                    }
                }
                None => {
                    let h = harmless_by.entry(p.how).or_default();
                    h.1 += 1;
                    if r.is_none() {
                        harmless_no_reuse += 1;
                    }
                    if !list.is_empty() {
                        h.0 += 1;
                        for c in &list {
                            *harmless_kinds.entry(c.kind).or_default() += 1;
                            if verbose {
                                notes.push(format!(
                                    "  flagged on {} ({}): {}: {}",
                                    src.id,
                                    p.how,
                                    c.kind.as_str(),
                                    c.description
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let p = ratio(right, reported);
    let r = ratio(found, planted);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let h_total: usize = harmless_by.values().map(|v| v.1).sum();
    let h_flagged: usize = harmless_by.values().map(|v| v.0).sum();
    println!(
        "\nchanges: {} ({} articles, seed {seed}: {planted} with one meaning-changing edit, {h_total} with one harmless edit; {:.1} s)",
        dir.display(),
        pool.len(),
        start.elapsed().as_secs_f64()
    );
    println!(
        "  meaning edits: precision {p:.3} recall {r:.3} F1 {f1:.3} (found {found}/{planted}; {reported} changes reported, {right} right; engine found no reuse on {no_reuse}, named the derived copy as source on {reversed})"
    );
    println!(
        "  harmless edits flagged {:.1}% ({h_flagged}/{h_total}; engine found no reuse on {harmless_no_reuse}){}",
        100.0 * ratio(h_flagged, h_total),
        if harmless_kinds.is_empty() {
            String::new()
        } else {
            format!(
                "; flagged as {}",
                harmless_kinds
                    .iter()
                    .map(|(k, n)| format!("{} {n}", k.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    println!(
        "  {:<20} {:>7} {:>5} {:>6} {:>8} {:>5} {:>9}",
        "kind", "planted", "found", "recall", "reported", "right", "precision"
    );
    for kind in ChangeKind::ALL {
        let e = meaning.get(&kind).map_or(PerKind::default(), |e| PerKind {
            planted: e.planted,
            found: e.found,
            reported: e.reported,
            right: e.right,
        });
        println!(
            "  {:<20} {:>7} {:>5} {:>6.3} {:>8} {:>5} {:>9.3}",
            kind.as_str(),
            e.planted,
            e.found,
            ratio(e.found, e.planted),
            e.reported,
            e.right,
            ratio(e.right, e.reported)
        );
    }
    println!(
        "  found by edit: {}",
        by_how
            .iter()
            .map(|(h, (f, t))| format!("{h} {f}/{t}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  harmless flagged by edit: {}",
        harmless_by
            .iter()
            .map(|(h, (f, t))| format!("{h} {f}/{t}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("  (counting: a planted edit is found when a change of its kind overlaps it; every other change on a meaning pair counts as wrong; no reuse or a reversed source counts as a miss)");
    for n in notes {
        println!("{n}");
    }
    Ok(alone)
}
