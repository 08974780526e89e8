//! Stage 7b, **lineage**: from pairwise judgements to a family tree. Each pair of articles
//! was judged on its own; here the judgements are made to agree across pairs:
//! - a mashup (one article covered in disjoint parts by unrelated partners) is the derived
//!   side of both ([`orient_mashups`]);
//! - each derived article keeps only the sources it took from directly
//!   ([`name_direct_sources`]): a copy of a copy names its parent, not its grandparent;
//! - the graph has no cycles ([`break_cycles`]).
//!
//! Invariant: entries are only dropped or turned around, never invented.

use crate::article::{covered_chars, Article, CharSpan};
use crate::judge::{Relation, Reuse};
use std::collections::HashMap;

/// The spans an entry's passages cover in article `doc`, which is its source or derived.
fn spans_in(r: &Reuse, doc: usize) -> Vec<CharSpan> {
    r.passages
        .iter()
        .map(|p| {
            if r.derived == doc {
                p.derived
            } else {
                p.source
            }
        })
        .collect()
}

/// A content farm's mashup stitches passages of two articles together. Containment alone
/// gets its direction backwards (each source is half found in it), so: when an article's
/// text is covered by two partners in disjoint parts, the partners share no reuse, and they
/// are of different stories or neither lies mostly inside the article, the article is the
/// derived side of both.
pub fn orient_mashups(reuse: &mut [Reuse], articles: &[Article], story_of: &[usize]) {
    let linked: std::collections::HashSet<(usize, usize)> = reuse
        .iter()
        .flat_map(|r| [(r.source, r.derived), (r.derived, r.source)])
        .collect();
    let mut by_doc: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (k, r) in reuse.iter().enumerate() {
        // Farms stitch copied and spun passages; a rewrite is one person's work.
        if r.relation == Relation::Rewrite {
            continue;
        }
        by_doc.entry(r.source).or_default().push(k);
        by_doc.entry(r.derived).or_default().push(k);
    }
    let mut flip: Vec<(usize, usize)> = Vec::new(); // (entry, mashup doc)
    for (&m, entries) in &by_doc {
        let chars = articles[m].text.chars().count().max(1);
        for (x, &e) in entries.iter().enumerate() {
            for &f in &entries[x + 1..] {
                let partner = |k: usize| {
                    if reuse[k].source == m {
                        reuse[k].derived
                    } else {
                        reuse[k].source
                    }
                };
                let (a, b) = (partner(e), partner(f));
                if linked.contains(&(a, b)) {
                    continue;
                }
                // Two partners of one story mostly inside the article are its partial copies, not
                // its sources; partners of different stories make it a digest or a mashup.
                let partner_cov = |k: usize| {
                    if reuse[k].source == m {
                        reuse[k].derived_coverage
                    } else {
                        reuse[k].source_coverage
                    }
                };
                let same_story = story_of[a] == story_of[b];
                if same_story && (partner_cov(e) >= 0.8 || partner_cov(f) >= 0.8) {
                    continue;
                }
                let (se, sf) = (spans_in(&reuse[e], m), spans_in(&reuse[f], m));
                let (le, lf) = (covered_chars(se.clone()), covered_chars(sf.clone()));
                let both = covered_chars(se.into_iter().chain(sf));
                let overlap = le + lf - both;
                let disjoint = overlap * 5 < le.min(lf);
                if disjoint && le * 5 >= chars && lf * 5 >= chars && both * 10 >= chars * 6 {
                    flip.push((e, m));
                    flip.push((f, m));
                }
            }
        }
    }
    for (k, m) in flip {
        let r = &mut reuse[k];
        if r.derived != m {
            std::mem::swap(&mut r.source, &mut r.derived);
            std::mem::swap(&mut r.source_coverage, &mut r.derived_coverage);
            for p in &mut r.passages {
                std::mem::swap(&mut p.source, &mut p.derived);
            }
            r.evidence
                .retain(|e| !e.contains(" is found in ") && !e.contains(" sentences of "));
            r.evidence.push(format!(
                "{} stitches passages of this and another unrelated article together (a mashup)",
                articles[m].id
            ));
        }
    }
}

/// Lineage is a graph without cycles: each pair's direction is judged on its own, so a
/// cycle (a → b → c → a) can appear on odd input; its least confident entry goes.
pub fn break_cycles(mut reuse: Vec<Reuse>) -> Vec<Reuse> {
    loop {
        let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, r) in reuse.iter().enumerate() {
            out.entry(r.source).or_default().push(k);
        }
        let Some(cycle) = find_cycle(&reuse, &out) else {
            return reuse;
        };
        let weakest = cycle.into_iter().min_by(|&x, &y| {
            reuse[x]
                .confidence
                .total_cmp(&reuse[y].confidence)
                .then(x.cmp(&y))
        });
        match weakest {
            Some(k) => {
                reuse.remove(k);
            }
            None => return reuse,
        }
    }
}

/// The entries of one cycle of the reuse graph, if it has one (iterative depth-first search).
fn find_cycle(reuse: &[Reuse], out: &HashMap<usize, Vec<usize>>) -> Option<Vec<usize>> {
    let mut starts: Vec<usize> = out.keys().copied().collect();
    starts.sort_unstable();
    // 0 = unseen, 1 = on the current path, 2 = done.
    let mut state: HashMap<usize, u8> = HashMap::new();
    for start in starts {
        if state.get(&start).copied().unwrap_or(0) != 0 {
            continue;
        }
        // Stack of (node, next edge index); `path` holds the entry taken into each node.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        let mut path: Vec<usize> = Vec::new();
        state.insert(start, 1);
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let edges = out.get(&node).map(Vec::as_slice).unwrap_or(&[]);
            if *next < edges.len() {
                let k = edges[*next];
                *next += 1;
                let to = reuse[k].derived;
                match state.get(&to).copied().unwrap_or(0) {
                    0 => {
                        state.insert(to, 1);
                        stack.push((to, 0));
                        path.push(k);
                    }
                    1 => {
                        // The cycle: the path's entries from the one leaving `to`, plus k.
                        let from = path
                            .iter()
                            .position(|&e| reuse[e].source == to)
                            .unwrap_or(0);
                        let mut cycle: Vec<usize> = path[from..].to_vec();
                        cycle.push(k);
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                state.insert(node, 2);
                stack.pop();
                path.pop();
            }
        }
    }
    None
}

/// Share of a reuse's derived text (in characters) inside passages identical to the source.
fn identical_share(r: &Reuse) -> f32 {
    let all = covered_chars(r.passages.iter().map(|p| p.derived));
    let same = covered_chars(
        r.passages
            .iter()
            .filter(|p| p.kind == crate::align::PassageKind::Identical)
            .map(|p| p.derived),
    );
    // Over the whole derived text: the identical share of the passages (overlapping ones
    // counted once) times the share they cover.
    same as f32 / all.max(1) as f32 * r.derived_coverage
}

/// How much more of a derived text (identical share) a copy source must repeat word for word
/// than a spun one to be named its parent: a copy of a spin repeats the spin almost whole.
const COPY_OF_SPIN: f32 = 0.5;

/// Coverage difference under which two candidate sources explain a derived text equally.
const SAME_COVERAGE: f32 = 0.05;

/// Keeps, for each derived article, only the sources it took from directly. When two of its
/// sources are themselves linked (one took from the other), the text reached it through one
/// of them: keep the one that explains more of it, the upstream one when both explain as
/// much. Sources not linked to each other (a mashup) all stay.
pub fn name_direct_sources(reuse: Vec<Reuse>) -> Vec<Reuse> {
    let linked: std::collections::HashMap<(usize, usize), usize> = reuse
        .iter()
        .flat_map(|r| {
            [
                ((r.source, r.derived), r.source),
                ((r.derived, r.source), r.source),
            ]
        })
        .collect();
    let mut by_derived: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (k, r) in reuse.iter().enumerate() {
        by_derived.entry(r.derived).or_default().push(k);
    }
    let mut dropped = vec![false; reuse.len()];
    for entries in by_derived.values() {
        for &d in entries {
            for &e in entries {
                if d == e || dropped[d] || dropped[e] {
                    continue;
                }
                let (rd, re) = (&reuse[d], &reuse[e]);
                let Some(&up) = linked.get(&(rd.source, re.source)) else {
                    continue;
                };
                // A copy keeps its parent's edits: the source it matches word for word over
                // more of its text is the one it copied; then the one that explains more; then,
                // as much, the upstream one.
                let ident = identical_share(rd) - identical_share(re);
                let diff = rd.derived_coverage - re.derived_coverage;
                let both_copies = rd.relation == Relation::Copy && re.relation == Relation::Copy;
                // Two spins of one text match each other about as well as either matches the
                // text: among spins the upstream one needs a wide margin to lose.
                let margin = if both_copies {
                    SAME_COVERAGE
                } else {
                    6.0 * SAME_COVERAGE
                };
                let closeness = |r: &Reuse| (r.relation == Relation::Rewrite) as u8;
                let copy_of = |r: &Reuse| (r.relation == Relation::Copy) as i8;
                let drop_e = if closeness(rd) != closeness(re) {
                    // A source that kept the words is more direct than a paraphrased one.
                    closeness(rd) < closeness(re)
                } else if copy_of(rd) != copy_of(re) && ident.abs() > COPY_OF_SPIN {
                    // A copy of a spin: the source it repeats word for word (the spin) is the
                    // one it took from, not the text the spin was made of. (Not the rule for
                    // two copies with a smaller margin: between a copy and a spin relation a
                    // small difference in identical text is an edit, not a parent; with it,
                    // eval's synthetic spins lose recall.)
                    ident > 0.0
                } else if both_copies && ident.abs() > SAME_COVERAGE / 5.0 {
                    ident > 0.0
                } else if rd.source == up {
                    diff > -margin
                } else {
                    diff > margin
                };
                if drop_e {
                    dropped[e] = true;
                }
            }
        }
    }
    reuse
        .into_iter()
        .zip(dropped)
        .filter_map(|(r, x)| (!x).then_some(r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: usize, derived: usize, confidence: f32) -> Reuse {
        Reuse {
            source,
            derived,
            relation: Relation::Copy,
            confidence,
            source_coverage: 0.5,
            derived_coverage: 0.5,
            passages: Vec::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn overlapping_passages_do_not_dilute_the_identical_share() {
        use crate::align::PassageKind;
        let p = |a: usize, b: usize, kind| crate::judge::ReusedPassage {
            source: CharSpan { start: a, end: b },
            derived: CharSpan { start: a, end: b },
            kind,
        };
        let mut r = entry(0, 1, 0.9);
        r.derived_coverage = 1.0;
        r.passages = vec![
            p(0, 900, PassageKind::Identical),
            p(600, 750, PassageKind::Paraphrased),
            p(900, 1000, PassageKind::Identical),
        ];
        assert_eq!(identical_share(&r), 1.0);
        r.passages[2].kind = PassageKind::Edited;
        assert!((identical_share(&r) - 0.9).abs() < 1e-6);
    }

    #[test]
    fn cycles_lose_their_least_confident_entry() {
        let r = break_cycles(vec![
            entry(0, 1, 0.9),
            entry(1, 2, 0.4),
            entry(2, 0, 0.8),
            entry(2, 3, 0.7),
        ]);
        let pairs: Vec<(usize, usize)> = r.iter().map(|e| (e.source, e.derived)).collect();
        assert_eq!(pairs, vec![(0, 1), (2, 0), (2, 3)]);
        let acyclic = vec![entry(0, 1, 0.9), entry(0, 2, 0.4), entry(1, 2, 0.8)];
        assert_eq!(break_cycles(acyclic.clone()), acyclic);
    }
}
