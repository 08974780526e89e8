//! Speed benchmark: `cargo bench --bench speed [-- N]`.
//!
//! Prints a table to compare with the last run:
//! - `compare` of two ~800-word articles (an article and its 30%-spun copy), in-process,
//!   median and p99 over 200 runs;
//! - `analyze` of N articles (default 10,000): the stories-ecbplus articles, new articles
//!   recombined from their sentences (same-event sentences, so stories stay realistic), and
//!   planted copies and spins — read from `../shared/data/stories-ecbplus` (skipped with a
//!   message where absent).

use newstrace::synth::{spin, trimmed_copy};
use newstrace::{Article, Config};
use std::collections::BTreeMap;
use std::time::Instant;

fn article(id: String, text: String) -> Article {
    Article::from_text(&id, text)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/stories-ecbplus/documents.jsonl");
    if !data.is_file() {
        println!("skipped: {} is absent", data.display());
        return;
    }
    let cfg = Config::default();
    let (originals, _) = newstrace::load(std::slice::from_ref(&data), cfg.limits);
    let mut events: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(&data).unwrap_or_default().lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let (Some(ev), Some(text)) = (v["event"].as_str(), v["text"].as_str()) {
                let sentences = newstrace::normalize::sentence_spans(text)
                    .into_iter()
                    .map(|s| text.chars().skip(s.start).take(s.len()).collect::<String>())
                    .filter(|s| s.split_whitespace().count() >= 6);
                events.entry(ev.to_string()).or_default().extend(sentences);
            }
        }
    }
    let mut rng = fastrand::Rng::with_seed(42);

    // compare: two ~800-word articles.
    let pool: Vec<&String> = events.values().flatten().collect();
    let mut long = String::new();
    while long.split_whitespace().count() < 800 {
        long.push_str(pool[rng.usize(..pool.len())]);
        long.push('\n');
    }
    let a = article("a".into(), long);
    let b = spin(&a, "b", 0.3, &mut rng).article;
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r = newstrace::compare(&a, &b, &cfg);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(r.is_some(), "the spun copy is found");
    }
    times.sort_by(f64::total_cmp);

    // analyze: N articles.
    let mut corpus: Vec<Article> = originals.clone();
    let event_list: Vec<&Vec<String>> = events.values().collect();
    let mut k = 0;
    while corpus.len() < n {
        k += 1;
        let sentences = event_list[rng.usize(..event_list.len())];
        let len = 6 + rng.usize(..10);
        // Sentences of one event, each with three in five of its longer words swapped for other
        // words of the event: a new report of the same story, not a copy of one.
        let vocab: Vec<&str> = sentences
            .iter()
            .flat_map(|s| s.split_whitespace())
            .filter(|w| w.len() > 3)
            .collect();
        let text: Vec<String> = (0..len)
            .map(|_| {
                sentences[rng.usize(..sentences.len())]
                    .split_whitespace()
                    .map(|w| {
                        if w.len() > 3 && rng.u8(..5) < 3 {
                            vocab[rng.usize(..vocab.len())]
                        } else {
                            w
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let made = article(format!("made/{k}"), text.join("\n"));
        // Every tenth made article gets a trimmed copy, every twentieth a spin.
        if k % 10 == 0 {
            corpus.push(trimmed_copy(&made, &format!("made/{k}/copy"), 0.5).article);
        }
        if k % 20 == 0 {
            corpus.push(spin(&made, &format!("made/{k}/spin"), 0.3, &mut rng).article);
        }
        corpus.push(made);
    }
    corpus.truncate(n);
    let words: usize = corpus.iter().map(|a| a.word_count()).sum();
    let t = Instant::now();
    let an = newstrace::analyze(corpus, Vec::new(), &cfg);
    let secs = t.elapsed().as_secs_f64();

    println!("| benchmark | result |");
    println!("|---|---|");
    println!(
        "| compare, two {}-word articles (30% spun), 200 runs | median {:.2} ms, p99 {:.2} ms |",
        a.word_count(),
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
    println!(
        "| analyze, {} articles ({} words), {} threads | {:.1} s ({:.0} articles/s); {} stories, {} reuse links |",
        an.articles.len(),
        words,
        rayon::current_num_threads(),
        secs,
        an.articles.len() as f64 / secs,
        an.stories.len(),
        an.reuse.len()
    );
}
