//! Store benchmark: `cargo bench --bench index -- <step> DIR [N]`; `bench/index.sh` runs the
//! steps at several sizes, each in its own process (so each peak memory is its own), and the
//! Python peers beside them.
//!
//! - `generate DIR N`: a corpus of N articles (`corpus.jsonl`), 1,000 query articles
//!   (`queries.jsonl`) and the planted truth (`truth.jsonl`). Articles are 8 to 24 sentences
//!   of `../shared/data/stories-ecbplus` recombined, each sentence's content words and names
//!   swapped at random (60%) for words and names of the same texts (so that unrelated articles
//!   share stock phrases, not sentences) and its numbers redrawn, published one after another over a year. About one article in ten is a
//!   planted copy of a recent one: padded (`copy`), trimmed to 30% (`trimmed30`), edited and
//!   trimmed to 70% (`edited`), or synonym-spun, 30% of words (`spin`); half the queries are
//!   such copies of corpus articles, half new articles.
//! - `memory DIR`: the anchor fingerprint and in-memory index alone (what MinHash LSH does):
//!   articles/s on all cores and on one, bytes per article, and recall of the planted pairs as
//!   candidates.
//! - `store DIR [MIB]`: `index add` into a fresh SQLite store (memory budget MIB, default
//!   4096): articles/s, peak memory, store size, and recall of planted pairs as judged reuse.
//! - `query DIR`: each query article against the store: latency p50/p99 (normalising,
//!   fingerprinting, lookup, alignment, naming direct sources; not reading), recall of its
//!   planted source among the articles judged to share text with it, and how often that
//!   source is the one named direct (another copy of the same source may explain it as well).
//!
//! Each step prints one JSON line.

use newstrace::index::anchors::{anchors, Postings};
use newstrace::index::{self, count_holders, worth_aligning, IndexConfig, Indexer, Searcher};
use newstrace::Article;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(step), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench index -- generate|memory|store|query DIR [N|MIB]");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let num = args.get(2).and_then(|a| a.parse::<usize>().ok());
    match step.as_str() {
        "generate" => generate(&dir, num.unwrap_or(100_000)),
        "memory" => memory(&dir),
        "store" => store(&dir, num.unwrap_or(4096)),
        "query" => query(&dir),
        other => {
            eprintln!("unknown step {other}");
            std::process::exit(2);
        }
    }
}

/// Peak resident memory of this process, in MiB (`VmHWM`).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Doc {
    id: String,
    title: String,
    published: String,
    text: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Truth {
    source: String,
    derived: String,
    kind: String,
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Vec<T> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

fn article(d: &Doc) -> Article {
    let mut a = Article::from_text(&d.id, d.text.clone());
    a.title = Some(d.title.clone());
    a.published = newstrace::read::parse_date(&d.published);
    a
}

fn generate(dir: &Path, n: usize) {
    let data = std::env::var("NEWSTRACE_DATA").unwrap_or_else(|_| "../shared/data".into());
    let path = Path::new(&data).join("stories-ecbplus/documents.jsonl");
    if !path.exists() {
        eprintln!(
            "skipped: {} is absent (the generator recombines its sentences)",
            path.display()
        );
        std::process::exit(0);
    }
    #[derive(serde::Deserialize)]
    struct Ecb {
        text: String,
    }
    let texts: Vec<Ecb> = read_jsonl(&path);
    let mut pool: Vec<Vec<String>> = Vec::new();
    let mut vocabulary: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for t in &texts {
        for s in newstrace::normalize::sentence_spans(&t.text) {
            let sentence: String = t.text.chars().skip(s.start).take(s.len()).collect();
            let words: Vec<String> = sentence.split_whitespace().map(str::to_string).collect();
            if words.len() >= 6 {
                vocabulary.extend(words.iter().filter(|w| swappable(w)).cloned());
                names.extend(words.iter().skip(1).filter(|w| name(w)).cloned());
                pool.push(words);
            }
        }
    }
    let mut rng = fastrand::Rng::with_seed(7);
    let fresh = |rng: &mut fastrand::Rng| -> String {
        let k = 8 + rng.usize(..17);
        let mut lines = Vec::with_capacity(k);
        for _ in 0..k {
            let words = &pool[rng.usize(..pool.len())];
            let out: Vec<String> = words
                .iter()
                .map(|w| {
                    let swap = if swappable(w) {
                        Some(&vocabulary)
                    } else if name(w) {
                        Some(&names)
                    } else {
                        None
                    };
                    if let Some(words) = swap.filter(|_| rng.f32() < 0.6) {
                        let mut v = words[rng.usize(..words.len())].clone();
                        if let Some(p) = w.chars().last().filter(|c| c.is_ascii_punctuation()) {
                            v = v
                                .trim_end_matches(|c: char| c.is_ascii_punctuation())
                                .to_string();
                            v.push(p);
                        }
                        v
                    } else if w.chars().any(|c| c.is_ascii_digit()) {
                        rng.u32(1..5000).to_string()
                    } else {
                        w.clone()
                    }
                })
                .collect();
            lines.push(out.join(" "));
        }
        lines.join("\n")
    };
    // Published one after another over a year: a copy is always later than its source.
    let day = |i: usize| {
        let start = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .map(|t| t.timestamp())
            .unwrap_or_default();
        let t = start + (i as i64) * 365 * 86_400 / n.max(1) as i64;
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap_or_default()
            .to_rfc3339()
    };
    let kinds = ["copy", "trimmed30", "edited", "spin"];
    let plant = |src: &Doc, id: String, kind: &str, at: usize, rng: &mut fastrand::Rng| -> Doc {
        let a = Article::from_text(&src.id, src.text.clone());
        let p = match kind {
            "copy" => newstrace::synth::padded_copy(&a, &id, rng),
            "trimmed30" => newstrace::synth::trimmed_copy(&a, &id, 0.3),
            "edited" => newstrace::synth::edited_copy(&a, &id, 0.7, rng),
            _ => newstrace::synth::spin(&a, &id, 0.3, rng),
        };
        Doc {
            id,
            title: src.title.clone(),
            published: day(at),
            text: p.article.text,
        }
    };
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let open = |name: &str| {
        std::io::BufWriter::new(
            std::fs::File::create(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")),
        )
    };
    let (mut corpus, mut queries, mut truth) = (
        open("corpus.jsonl"),
        open("queries.jsonl"),
        open("truth.jsonl"),
    );
    let write = |w: &mut dyn Write, v: &dyn erased::Json| {
        writeln!(w, "{}", v.json()).unwrap_or_else(|e| panic!("write: {e}"));
    };
    // Recent originals a copy may take from.
    let mut recent: Vec<Doc> = Vec::new();
    let (mut written, mut planted, mut base) = (0usize, 0usize, 0usize);
    while written < n {
        if !recent.is_empty() && rng.f32() < 0.1 {
            let src = &recent[rng.usize(..recent.len())];
            let kind = kinds[planted % kinds.len()];
            let d = plant(src, format!("p{planted}-{kind}"), kind, written, &mut rng);
            write(
                &mut truth,
                &Truth {
                    source: src.id.clone(),
                    derived: d.id.clone(),
                    kind: kind.into(),
                },
            );
            write(&mut corpus, &d);
            planted += 1;
        } else {
            let text = fresh(&mut rng);
            let title: String = text
                .split_whitespace()
                .take(9)
                .collect::<Vec<_>>()
                .join(" ");
            let d = Doc {
                id: format!("a{base}"),
                title,
                published: day(written),
                text,
            };
            write(&mut corpus, &d);
            if recent.len() >= 2000 {
                let at = rng.usize(..recent.len());
                recent[at] = d;
            } else {
                recent.push(d);
            }
            base += 1;
        }
        written += 1;
    }
    for q in 0..1000 {
        let d = if q % 2 == 0 {
            let src = &recent[rng.usize(..recent.len())];
            let kind = kinds[(q / 2) % kinds.len()];
            let d = plant(src, format!("q{q}-{kind}"), kind, n, &mut rng);
            write(
                &mut truth,
                &Truth {
                    source: src.id.clone(),
                    derived: d.id.clone(),
                    kind: kind.into(),
                },
            );
            d
        } else {
            let text = fresh(&mut rng);
            Doc {
                id: format!("q{q}-new"),
                title: text
                    .split_whitespace()
                    .take(9)
                    .collect::<Vec<_>>()
                    .join(" "),
                published: day(n),
                text,
            }
        };
        write(&mut queries, &d);
    }
    for mut w in [corpus, queries, truth] {
        w.flush().unwrap_or_else(|e| panic!("flush: {e}"));
    }
    println!(
        "{}",
        serde_json::json!({"step": "generate", "articles": n, "planted": planted, "queries": 1000})
    );
}

/// A word the generator may swap: lower-case letters, four or more, not a function word.
fn swappable(w: &str) -> bool {
    let core = w.trim_end_matches(|c: char| c.is_ascii_punctuation());
    core.len() >= 4
        && core.chars().all(|c| c.is_ascii_lowercase())
        && !newstrace::normalize::is_stopword(core)
}

/// A name the generator may swap: a capitalised word of letters.
fn name(w: &str) -> bool {
    let core = w.trim_end_matches(|c: char| c.is_ascii_punctuation());
    core.len() >= 3
        && core.starts_with(|c: char| c.is_ascii_uppercase())
        && core.chars().all(|c| c.is_ascii_alphabetic())
}

mod erased {
    /// Anything written as one JSON line.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// Recall by kind: `[found, total]`.
fn recall(hits: &[(String, bool)]) -> (f64, serde_json::Value) {
    let mut by: std::collections::BTreeMap<&str, [usize; 2]> = Default::default();
    for (k, found) in hits {
        let e = by.entry(k).or_default();
        e[0] += *found as usize;
        e[1] += 1;
    }
    let found = hits.iter().filter(|h| h.1).count();
    (
        found as f64 / hits.len().max(1) as f64,
        serde_json::to_value(by).unwrap_or_default(),
    )
}

fn memory(dir: &Path) {
    let corpus: Vec<Doc> = read_jsonl(&dir.join("corpus.jsonl"));
    let truth: Vec<Truth> = read_jsonl(&dir.join("truth.jsonl"));
    let queries: Vec<Doc> = read_jsonl(&dir.join("queries.jsonl"));
    let cfg = IndexConfig::default();
    let n = corpus.len();

    let t = Instant::now();
    let _single: Vec<Vec<u64>> = corpus.iter().map(|d| anchors(&d.text)).collect();
    let single_s = t.elapsed().as_secs_f64();
    drop(_single);

    let t = Instant::now();
    let fps: Vec<Vec<u64>> = corpus.par_iter().map(|d| anchors(&d.text)).collect();
    let mut postings = Postings::new(cfg.anchor_cap + 1);
    for (d, fp) in fps.iter().enumerate() {
        for &h in fp {
            postings.insert(h, d as u32);
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let insert_s = {
        let t = Instant::now();
        let mut p = Postings::new(cfg.anchor_cap + 1);
        for (d, fp) in fps.iter().enumerate() {
            for &h in fp {
                p.insert(h, d as u32);
            }
        }
        t.elapsed().as_secs_f64()
    };

    let at: HashMap<&str, usize> = corpus
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let query_at: HashMap<&str, &Doc> = queries.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut holders = Vec::new();
    let hits: Vec<(String, bool)> = truth
        .iter()
        .filter_map(|t| {
            let src = *at.get(t.source.as_str())?;
            let (fp, me) = match at.get(t.derived.as_str()) {
                Some(&d) => (fps[d].clone(), Some(d as u32)),
                None => (anchors(&query_at.get(t.derived.as_str())?.text), None),
            };
            let mut shared: rustc_hash::FxHashMap<u32, index::Shared> = Default::default();
            for &h in &fp {
                postings.holders(h, &mut holders);
                let others = holders
                    .iter()
                    .copied()
                    .filter(|&o| Some(o) != me)
                    .collect::<Vec<_>>();
                count_holders(others.into_iter(), &mut shared, &cfg);
            }
            let other = |d: u32| fps.get(d as usize).map(Vec::len);
            let found = worth_aligning(shared, fp.len(), other, &cfg).contains(&(src as u32));
            Some((t.kind.clone(), found))
        })
        .collect();
    let (r, by_kind) = recall(&hits);
    let anchors_total: usize = fps.iter().map(Vec::len).sum();
    println!(
        "{}",
        serde_json::json!({
            "step": "memory", "articles": n,
            "index_articles_per_s": n as f64 / secs,
            "index_seconds": secs,
            "single_thread_fingerprint_per_s": n as f64 / single_s,
            "single_thread_articles_per_s": n as f64 / (single_s + insert_s),
            "anchors_per_article": anchors_total as f64 / n as f64,
            "index_bytes_per_article": postings.bytes() as f64 / n as f64,
            "peak_rss_mib": peak_mib(),
            "recall": r, "recall_by_kind": by_kind,
        })
    );
}

fn store(dir: &Path, memory_mib: usize) {
    let truth: Vec<Truth> = read_jsonl(&dir.join("truth.jsonl"));
    let db = dir.join("store.db");
    for ext in ["", "-wal", "-shm"] {
        let mut p = db.clone().into_os_string();
        p.push(ext);
        let _ = std::fs::remove_file(p);
    }
    let cfg = IndexConfig {
        memory_budget: (memory_mib << 20) / 2,
        ..IndexConfig::default()
    };
    // The corpus is read as the command line reads it: a batch at a time, so that peak
    // memory is the store's, not the corpus's.
    let path = dir.join("corpus.jsonl");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = std::io::BufReader::new(file).lines().map_while(Result::ok);
    let mut ids: HashSet<String> = HashSet::new();
    let t = Instant::now();
    let mut st = index::open(&db.to_string_lossy(), memory_mib << 18).expect("open store");
    let writer = index::open(&db.to_string_lossy(), memory_mib << 18).expect("open store");
    let mut indexer = Indexer::new(st.as_mut(), cfg)
        .expect("indexer")
        .with_writer(writer);
    let mut reuse = 0;
    let mut index_bytes = 0;
    loop {
        let articles: Vec<Article> = lines
            .by_ref()
            .take(cfg.batch)
            .filter_map(|l| serde_json::from_str::<Doc>(&l).ok())
            .map(|d| article(&d))
            .collect();
        if articles.is_empty() {
            break;
        }
        ids.extend(articles.iter().map(|a| a.id.0.clone()));
        reuse += indexer.add(articles).expect("add").reuse;
        index_bytes = index_bytes.max(indexer.memory());
    }
    let n = ids.len();
    indexer.finish().expect("finish");
    let secs = t.elapsed().as_secs_f64();
    let stats = st.stats().expect("stats");
    drop(st);

    // Judged recall: the planted pair is a stored reuse entry (either way round).
    let conn = rusqlite::Connection::open(&db).expect("reopen");
    let mut pairs: HashSet<(String, String)> = HashSet::new();
    let mut q = conn
        .prepare("SELECT a.id, b.id FROM reuse r JOIN articles a ON a.key = r.source JOIN articles b ON b.key = r.derived")
        .expect("sql");
    let rows = q
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("sql");
    for row in rows.flatten() {
        pairs.insert(row);
    }
    let mut right_way = 0;
    let hits: Vec<(String, bool)> = truth
        .iter()
        .filter(|t| ids.contains(t.derived.as_str()))
        .map(|t| {
            let forward = pairs.contains(&(t.source.clone(), t.derived.clone()));
            right_way += forward as usize;
            let found = forward || pairs.contains(&(t.derived.clone(), t.source.clone()));
            (t.kind.clone(), found)
        })
        .collect();
    let (r, by_kind) = recall(&hits);
    let planted: HashSet<(&str, &str)> = truth
        .iter()
        .map(|t| (t.source.as_str(), t.derived.as_str()))
        .collect();
    let unplanted = pairs
        .iter()
        .filter(|(a, b)| {
            !planted.contains(&(a.as_str(), b.as_str()))
                && !planted.contains(&(b.as_str(), a.as_str()))
        })
        .count();
    println!(
        "{}",
        serde_json::json!({
            "step": "store", "articles": n, "memory_budget_mib": memory_mib,
            "articles_per_s": n as f64 / secs, "seconds": secs,
            "peak_rss_mib": peak_mib(),
            "in_memory_index_mib": index_bytes as f64 / (1 << 20) as f64,
            "store_mib": stats.bytes as f64 / (1 << 20) as f64,
            "store_bytes_per_article": stats.bytes as f64 / n as f64,
            "stories": stats.stories, "reuse_entries": reuse,
            "reuse_not_planted": unplanted,
            "recall": r, "recall_by_kind": by_kind,
            "direction_right": right_way as f64 / hits.iter().filter(|h| h.1).count().max(1) as f64,
        })
    );
}

fn query(dir: &Path) {
    let queries: Vec<Doc> = read_jsonl(&dir.join("queries.jsonl"));
    let truth: Vec<Truth> = read_jsonl(&dir.join("truth.jsonl"));
    let db = dir.join("store.db");
    let t = Instant::now();
    let mut st = index::open(&db.to_string_lossy(), 1 << 30).expect("open store");
    let mut searcher = Searcher::new(st.as_mut(), IndexConfig::default()).expect("searcher");
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let source_of: HashMap<&str, &Truth> = truth.iter().map(|t| (t.derived.as_str(), t)).collect();
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = Vec::new();
    let mut false_hits = 0;
    let mut named_source = 0;
    for d in &queries {
        let a = article(d);
        let t = Instant::now();
        let found = searcher.search(&a).expect("search");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        let other = |r: &newstrace::Reuse| {
            found.articles[if r.source == 0 { r.derived } else { r.source }]
                .id
                .0
                .as_str()
        };
        let judged: HashSet<&str> = found.judged.iter().map(other).collect();
        let named: HashSet<&str> = found.reuse.iter().map(other).collect();
        match source_of.get(d.id.as_str()) {
            Some(t) => {
                hits.push((t.kind.clone(), judged.contains(t.source.as_str())));
                named_source += named.contains(t.source.as_str()) as usize;
            }
            None => false_hits += judged.len(),
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let (r, by_kind) = recall(&hits);
    println!(
        "{}",
        serde_json::json!({
            "step": "query", "queries": queries.len(), "open_ms": open_ms,
            "query_p50_ms": pct(0.5), "query_p99_ms": pct(0.99),
            "peak_rss_mib": peak_mib(),
            "recall": r, "recall_by_kind": by_kind,
            "reuse_for_new_articles": false_hits,
            "planted_source_named_direct": named_source as f64 / hits.len().max(1) as f64,
        })
    );
}
