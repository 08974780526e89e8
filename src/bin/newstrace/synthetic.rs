//! `newstrace eval`, synthetic reuse: real articles of `stories-ecbplus` with planted trimmed,
//! padded and edited copies, copies of copies, spins at 15/30/45% of words and mashups of two
//! sources (see `newstrace::synth`), analysed together with all the untouched originals.
//! Reports precision and recall per relation, direction accuracy, spin recall per rate,
//! mashups with every source found, copies of copies with the right source named, false
//! reuse between independent articles of one event, and confidence calibration.

use anyhow::Result;
use newstrace::synth::{
    copy_of_copy, edited_copy, mashup, padded_copy, spin, trimmed_copy, Planted,
};
use newstrace::{Article, Config, Relation};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

/// Words per shingle for calling two originals independent: no 8-word run in common.
const INDEPENDENT_WORDS: usize = 8;

fn word_shingles(text: &str) -> HashSet<u64> {
    let words: Vec<String> = newstrace::normalize::word_spans(text)
        .map(|s| {
            text.chars()
                .skip(s.start)
                .take(s.len())
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    words
        .windows(INDEPENDENT_WORDS)
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
        .collect()
}

struct Truth {
    planted: HashMap<String, Planted>,
    /// Every article a planted one descends from (a copy of a copy: its parent and grandparent).
    ancestors: HashMap<String, HashSet<String>>,
}

fn plant(
    articles: &[Article],
    gold: &HashMap<String, String>,
) -> (Vec<Planted>, Vec<(String, String)>) {
    // Originals that share no 8-word run with any other article are independent reports.
    let grams: Vec<HashSet<u64>> = articles.iter().map(|a| word_shingles(&a.text)).collect();
    let mut holders: HashMap<u64, u32> = HashMap::new();
    for g in &grams {
        for &h in g {
            *holders.entry(h).or_insert(0) += 1;
        }
    }
    let independent: Vec<bool> = grams
        .iter()
        .map(|g| g.iter().all(|h| holders[h] == 1))
        .collect();
    // One source per event: its first independent article with at least 8 sentences.
    let mut by_event: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let Some(ev) = gold.get(&a.id.0) else {
            continue;
        };
        let long = newstrace::normalize::sentence_spans(&a.text).len() >= 8;
        if independent[i] && long {
            by_event.entry(ev).or_insert(i);
        }
    }
    let sources: Vec<usize> = by_event.values().copied().collect();
    let mut planted = Vec::new();
    for (k, &si) in sources.iter().enumerate() {
        let s = &articles[si];
        let mut rng = fastrand::Rng::with_seed(k as u64 + 1);
        let base = format!("synthetic/{}", s.id);
        planted.push(trimmed_copy(s, &format!("{base}/trimmed30"), 0.3));
        planted.push(trimmed_copy(s, &format!("{base}/trimmed60"), 0.6));
        planted.push(padded_copy(s, &format!("{base}/padded"), &mut rng));
        let edited = edited_copy(s, &format!("{base}/edited"), 0.8, &mut rng);
        planted.push(copy_of_copy(
            &edited.article,
            &format!("{base}/copy-of-copy"),
            0.7,
        ));
        planted.push(edited);
        for rate in [0.15, 0.30, 0.45] {
            planted.push(spin(
                s,
                &format!("{base}/spin{:.0}", rate * 100.0),
                rate,
                &mut rng,
            ));
        }
        // A mashup with the source of the next event (every second source, so that no two
        // mashups share a source).
        if k % 2 == 0 && k + 1 < sources.len() {
            let other = &articles[sources[k + 1]];
            planted.push(mashup(s, other, &format!("{base}/mashup"), &mut rng));
        }
    }
    // Pairs of independent originals of one event: any reuse between them is false.
    let mut negatives = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for (j, b) in articles.iter().enumerate().skip(i + 1) {
            if independent[i] && independent[j] && gold.get(&a.id.0) == gold.get(&b.id.0) {
                negatives.push((a.id.0.clone(), b.id.0.clone()));
            }
        }
    }
    (planted, negatives)
}

#[derive(Default)]
struct Count {
    hit: usize,
    total: usize,
}

impl Count {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hit += ok as usize;
    }
    fn rate(&self) -> f64 {
        self.hit as f64 / self.total.max(1) as f64
    }
}

pub fn run(dir: &Path, cfg: &Config, out: Option<&Path>) -> Result<()> {
    let file = dir.join("documents.jsonl");
    if !file.is_file() {
        println!("\nsynthetic reuse: skipped, {} is absent", file.display());
        return Ok(());
    }
    let mut gold: HashMap<String, String> = HashMap::new();
    for line in std::fs::read_to_string(&file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if let (Some(id), Some(ev)) = (v["id"].as_str(), v["event"].as_str()) {
            gold.insert(id.to_string(), ev.to_string());
        }
    }
    let (originals, _) = newstrace::load(&[file], cfg.limits);
    let (planted, negatives) = plant(&originals, &gold);
    let mut truth = Truth {
        planted: HashMap::new(),
        ancestors: HashMap::new(),
    };
    for p in &planted {
        truth.planted.insert(p.article.id.0.clone(), p.clone());
    }
    for p in &planted {
        let mut anc: HashSet<String> = HashSet::new();
        let mut stack: Vec<String> = p.sources.iter().map(|s| s.0.clone()).collect();
        while let Some(x) = stack.pop() {
            if anc.insert(x.clone()) {
                if let Some(pp) = truth.planted.get(&x) {
                    stack.extend(pp.sources.iter().map(|s| s.0.clone()));
                }
            }
        }
        truth.ancestors.insert(p.article.id.0.clone(), anc);
    }

    if let Some(path) = out {
        // The whole test corpus as JSONL, the truth in extra fields, for `analyze` and benches.
        let mut lines = Vec::new();
        for a in &originals {
            lines.push(
                serde_json::json!({"id": a.id.0, "text": a.text, "event": gold.get(&a.id.0)})
                    .to_string(),
            );
        }
        for p in &planted {
            lines.push(
                serde_json::json!({
                    "id": p.article.id.0, "text": p.article.text, "relation": p.relation.as_str(),
                    "kind": p.kind, "sources": p.sources.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
                })
                .to_string(),
            );
        }
        std::fs::write(path, lines.join("\n") + "\n")?;
        println!("  synthetic corpus written to {}", path.display());
    }
    let mut all = originals.clone();
    all.extend(planted.iter().map(|p| p.article.clone()));
    let start = Instant::now();
    let an = newstrace::analyze(all, Vec::new(), cfg);
    let secs = start.elapsed().as_secs_f64();
    let id = |i: usize| an.articles[i].id.0.as_str();

    // Entries by unordered pair.
    let mut entries: HashMap<(String, String), (String, String, Relation, f32)> = HashMap::new();
    for r in &an.reuse {
        let (s, d) = (id(r.source).to_string(), id(r.derived).to_string());
        let key = if s < d {
            (s.clone(), d.clone())
        } else {
            (d.clone(), s.clone())
        };
        entries.insert(key, (s, d, r.relation, r.confidence));
    }
    let find = |a: &str, b: &str| {
        let key = if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        };
        entries.get(&key)
    };

    // Recall per relation, direction, spin rates, mashups, copies of copies.
    let mut recall: BTreeMap<&str, Count> = BTreeMap::new();
    let mut labelled: BTreeMap<&str, Count> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Count> = BTreeMap::new();
    let mut direction = Count::default();
    let mut mashups = Count::default();
    let mut grandchildren = Count::default();
    for p in &planted {
        let d = p.article.id.0.as_str();
        let rel = p.relation.as_str();
        let mut all_found = true;
        for s in &p.sources {
            let e = find(&s.0, d);
            recall.entry(rel).or_default().add(e.is_some());
            labelled
                .entry(rel)
                .or_default()
                .add(e.is_some_and(|e| e.2 == p.relation));
            by_kind.entry(p.kind.clone()).or_default().add(e.is_some());
            if let Some(e) = e {
                direction.add(e.0 == s.0);
            }
            all_found &= e.is_some();
        }
        if p.kind == "mashup" {
            mashups.add(all_found);
        }
        if p.kind == "copy-of-copy" {
            let parent = &p.sources[0].0;
            let grand = &truth.planted[parent].sources[0].0;
            let named = an
                .reuse
                .iter()
                .filter(|r| id(r.derived) == d)
                .map(|r| id(r.source))
                .collect::<Vec<_>>();
            grandchildren.add(named.contains(&parent.as_str()) && !named.contains(&grand.as_str()));
        }
    }

    // Precision per relation over entries that involve a planted article; calibration.
    let mut precision: BTreeMap<&str, Count> = BTreeMap::new();
    let mut confident = Count::default();
    let mut bins: [Count; 4] = Default::default();
    for (s, d, rel, conf) in entries.values() {
        if !truth.planted.contains_key(s) && !truth.planted.contains_key(d) {
            continue; // two originals: their truth is unknown (wire copy is common in ECB+)
        }
        let (true_rel, right_way) = match (truth.planted.get(d), truth.planted.get(s)) {
            (Some(p), _) if truth.ancestors[d].contains(s) => (Some(p.relation), true),
            (_, Some(p)) if truth.ancestors[s].contains(d) => (Some(p.relation), false),
            _ => (None, false),
        };
        let ok = true_rel == Some(*rel);
        precision.entry(rel.as_str()).or_default().add(ok);
        if *conf >= 0.9 {
            confident.add(ok && right_way);
        }
        let bin = match *conf {
            c if c >= 0.9 => 3,
            c if c >= 0.7 => 2,
            c if c >= 0.5 => 1,
            _ => 0,
        };
        bins[bin].add(ok && right_way);
    }

    // False reuse between independent reports of one event.
    let mut false_reuse = Count::default();
    for (a, b) in &negatives {
        false_reuse.add(find(a, b).is_some());
    }

    println!(
        "\nsynthetic reuse: {} originals + {} planted ({} sources), analysed in {secs:.1} s",
        originals.len(),
        planted.len(),
        planted.iter().filter(|p| p.kind == "trimmed").count() / 2
    );
    println!(
        "  {:<8} {:>9} {:>9} {:>16}",
        "relation", "precision", "recall", "recall, labelled"
    );
    for rel in ["copy", "spin"] {
        println!(
            "  {rel:<8} {:>9.3} {:>9.3} {:>16.3}",
            precision.get(rel).map(Count::rate).unwrap_or(0.0),
            recall.get(rel).map(Count::rate).unwrap_or(0.0),
            labelled.get(rel).map(Count::rate).unwrap_or(0.0)
        );
    }
    if let Some(c) = precision.get("rewrite") {
        println!(
            "  rewrite entries on planted articles: {} (all wrong: none was planted)",
            c.total
        );
    }
    let kinds: Vec<String> = by_kind
        .iter()
        .map(|(k, c)| format!("{k} {:.3}", c.rate()))
        .collect();
    println!("  found by kind: {}", kinds.join(", "));
    println!(
        "  direction right {:.3} ({}/{}); mashups with every source found {:.3} ({}/{}); copies of copies naming their parent {:.3} ({}/{})",
        direction.rate(), direction.hit, direction.total,
        mashups.rate(), mashups.hit, mashups.total,
        grandchildren.rate(), grandchildren.hit, grandchildren.total,
    );
    println!(
        "  false reuse between independent reports of one event {:.4} ({}/{} pairs); entries at confidence >= 0.9 right {:.3} ({}/{})",
        false_reuse.rate(), false_reuse.hit, false_reuse.total,
        confident.rate(), confident.hit, confident.total,
    );
    let cal: Vec<String> = ["<0.5", "0.5-0.7", "0.7-0.9", ">=0.9"]
        .iter()
        .zip(&bins)
        .map(|(l, c)| format!("{l}: {:.2} of {}", c.rate(), c.total))
        .collect();
    println!(
        "  right (pair, relation and direction) by confidence: {}",
        cal.join("; ")
    );
    Ok(())
}
