//! Story-grouping benchmark: `cargo bench --bench stories [-- N]` (default 100,000).
//!
//! Builds N articles in synthetic events (so it needs no data folder): events of 1 to 30
//! articles, each of one of 300 kinds (a kind's 40 words are shared by all its events, as two
//! earthquakes share "magnitude" and "rubble"), with names, numbers and words of its own and a
//! publication day within five years; articles are sentences drawn from those, with dictionary
//! words as noise (WordNet headwords from `data/`). Fingerprints every article, then times
//! [`newstrace::stories::group`] alone on the first N/4, N/2 and N articles and prints the time,
//! the growth exponent between sizes (1 = linear, 2 = quadratic), peak memory and BCubed F1
//! against the planted events.

use newstrace::stories::group;
use newstrace::{Article, Config};
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dictionary: Vec<&str> = include_str!("../data/wordnet-synonyms.tsv")
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    let mut rng = fastrand::Rng::with_seed(5);
    let pick = |rng: &mut fastrand::Rng| dictionary[rng.usize(..dictionary.len())];
    let kinds: Vec<Vec<&str>> = (0..300)
        .map(|_| (0..40).map(|_| pick(&mut rng)).collect())
        .collect();
    let capital = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let t = Instant::now();
    let mut articles = Vec::with_capacity(n);
    let mut event_of = Vec::with_capacity(n);
    let mut event = 0usize;
    while articles.len() < n {
        let kind = &kinds[rng.usize(..kinds.len())];
        let names: Vec<String> = (0..6)
            .map(|_| format!("{} {}", capital(pick(&mut rng)), capital(pick(&mut rng))))
            .collect();
        let own: Vec<&str> = (0..30).map(|_| pick(&mut rng)).collect();
        let numbers: Vec<String> = (0..3).map(|_| rng.u32(2..5000).to_string()).collect();
        let day = 16_000 + rng.i64(..1800);
        let size = 1 + (rng.f32().powi(2) * 30.0) as usize;
        for _ in 0..size.min(n - articles.len()) {
            let mut text = Vec::new();
            for _ in 0..8 + rng.usize(..8) {
                let mut s: Vec<String> = Vec::new();
                for _ in 0..12 + rng.usize(..9) {
                    s.push(match rng.u8(..100) {
                        0..=34 => kind[rng.usize(..kind.len())].to_string(),
                        35..=49 => names[rng.usize(..names.len())].clone(),
                        50..=74 => own[rng.usize(..own.len())].to_string(),
                        75..=79 => numbers[rng.usize(..numbers.len())].clone(),
                        _ => pick(&mut rng).to_string(),
                    });
                }
                text.push(format!("The {}.", s.join(" ")));
            }
            let mut a = Article::from_text(&format!("a{}", articles.len()), text.join(" "));
            a.published = chrono::DateTime::from_timestamp((day + rng.i64(..3)) * 86_400, 0);
            articles.push(a);
            event_of.push(event);
        }
        event += 1;
    }
    println!(
        "built {n} articles in {event} events: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let cfg = Config::default();
    let t = Instant::now();
    let (docs, _) = newstrace::pipeline::story_fingerprints(&articles, &cfg);
    println!(
        "fingerprinted (normalise, TF-IDF, names, variants): {:.1} s",
        t.elapsed().as_secs_f64()
    );
    drop(articles);

    println!("| articles | group stories | growth exponent | stories | BCubed F1 |");
    println!("|---|---|---|---|---|");
    let mut last: Option<(usize, f64)> = None;
    for size in [n / 4, n / 2, n] {
        let t = Instant::now();
        let stories = group(&docs[..size], &cfg.stories);
        let secs = t.elapsed().as_secs_f64();
        let growth = last
            .map(|(m, s)| format!("{:.2}", (secs / s).ln() / (size as f64 / m as f64).ln()))
            .unwrap_or_else(|| "—".into());
        println!(
            "| {size} | {secs:.1} s | {growth} | {} | {:.3} |",
            stories.len(),
            bcubed_f1(&stories, &event_of[..size])
        );
        last = Some((size, secs));
    }
    println!(
        "threads: {}; peak memory (whole process): {}",
        rayon::current_num_threads(),
        peak_memory()
    );
}

fn bcubed_f1(stories: &[Vec<usize>], gold: &[usize]) -> f64 {
    let mut gold_size: HashMap<usize, usize> = HashMap::new();
    for &g in gold {
        *gold_size.entry(g).or_insert(0) += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for s in stories {
        let mut in_story: HashMap<usize, usize> = HashMap::new();
        for &d in s {
            *in_story.entry(gold[d]).or_insert(0) += 1;
        }
        for &d in s {
            let same = in_story[&gold[d]] as f64;
            p += same / s.len() as f64;
            r += same / gold_size[&gold[d]] as f64;
        }
    }
    let n = gold.len() as f64;
    let (p, r) = (p / n, r / n);
    2.0 * p * r / (p + r)
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}
