//! Conflicting claims on real reports: the seed story (five reports of the battle for Albu
//! Kamal, `../shared/seeds`) and the multi-article events of ECB+ (`../shared/data`). Both are
//! read from the shared folder, never copied here; a test without them says so and passes.

use newstrace::disagree::{disagreements, ClaimKind, Disagreement};
use newstrace::Article;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(rel);
    p.exists().then_some(p)
}

fn print(articles: &[Article], found: &[Disagreement]) {
    for d in found {
        println!("{} — {}", d.kind.as_str(), d.about);
        for s in &d.sides {
            println!("  side: {}", s.value);
            for c in &s.claims {
                let a = &articles[c.article];
                println!("    [{}] {}: {}", a.id, c.value, a.slice(c.span));
            }
        }
    }
}

#[test]
fn seeds_disagree_on_who_holds_albu_kamal() {
    let Some(seeds) = shared("seeds") else {
        eprintln!("skipped: ../shared/seeds is absent");
        return;
    };
    let (articles, _) = newstrace::load(&[seeds], Default::default());
    assert_eq!(articles.len(), 5);
    let all: Vec<usize> = (0..articles.len()).collect();
    let found = disagreements(&articles, &all);
    print(&articles, &found);
    let town = found.iter().find(|d| {
        let about: String = d
            .about
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        d.kind == ClaimKind::Outcome
            && ["albukamal", "abukamal", "boukamal"]
                .iter()
                .any(|k| about.contains(k))
    });
    let town = town.expect("an outcome disagreement about Albu Kamal");
    assert!(town.sides.len() >= 2);
    // Each side is an article's claim, with the sentence that makes it.
    for s in &town.sides {
        for c in &s.claims {
            assert!(!articles[c.article].slice(c.span).is_empty());
        }
    }
    let articles_of =
        |i: usize| -> Vec<usize> { town.sides[i].claims.iter().map(|c| c.article).collect() };
    assert_ne!(articles_of(0), articles_of(1));
}

/// Disagreements per multi-article event of ECB+, printed for a reader to judge.
#[test]
fn ecbplus_events() {
    let Some(data) = shared("data/stories-ecbplus/documents.jsonl") else {
        eprintln!("skipped: ../shared/data/stories-ecbplus is absent");
        return;
    };
    let text = std::fs::read_to_string(&data).unwrap();
    let mut event_of: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        event_of.insert(
            v["id"].as_str().unwrap().to_string(),
            v["event"].as_str().unwrap().to_string(),
        );
    }
    let (articles, _) = newstrace::load(&[data], Default::default());
    let mut events: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(e) = event_of.get(&a.id.0) {
            events.entry(e).or_default().push(i);
        }
    }
    let (mut stories, mut total) = (0, 0);
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (event, members) in &events {
        if members.len() < 2 {
            continue;
        }
        stories += 1;
        let found = disagreements(&articles, members);
        total += found.len();
        for d in &found {
            *by_kind.entry(d.kind.as_str()).or_default() += 1;
        }
        if !found.is_empty() {
            println!(
                "== event {event} ({} articles): {} disagreements",
                members.len(),
                found.len()
            );
            print(&articles, &found);
        }
    }
    println!("{stories} events, {total} disagreements: {by_kind:?}");
}
