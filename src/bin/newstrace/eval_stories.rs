//! `newstrace eval`, stories part: BCubed P/R/F1 of story grouping on `stories-ecbplus`.
//!
//! Three figures:
//! 1. the whole pipeline (`analyze`, reuse joining stories) with the shipped model;
//! 2. cross-validated by topic (the figure that counts): five folds of whole topics; for each,
//!    the logistic weights are learnt and the grouping settings chosen on the other four folds'
//!    articles only, then the held-out topics are grouped; BCubed over all held-out articles;
//! 3. the stream: held-out articles arriving in five random orders, each joining a story or
//!    starting one, with the fold's model; BCubed mean and spread over the orders;
//! 4. the store: all articles added by `index add` (batches of 100) in five random orders,
//!    with the shipped model and the store's settings; BCubed mean over the orders.

use crate::eval::{absent, bcubed};
use anyhow::{Context, Result};
use newstrace::stories::{
    candidate_pairs, features, group_graph, logistic, train, StoryConfig, StoryDoc, StoryStream,
    FEATURES, FEATURE_NAMES,
};
use newstrace::Config;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

const FOLDS: usize = 5;
const ORDERS: u64 = 5;

/// The grouping settings tried on training folds: (core, attach, fragment).
fn grid() -> Vec<(f32, f32, usize)> {
    let mut g = Vec::new();
    for core in [0.6, 0.7, 0.8] {
        for attach in [0.05, 0.1, 0.2] {
            for fragment in [2, 3, 4] {
                g.push((core, attach, fragment));
            }
        }
    }
    g
}

/// Articles per batch when the store is filled for evaluation.
const STORE_BATCH: usize = 100;

/// The stories a SQLite store at `path` (created) holds after `index add` of `articles` in
/// batches, as lists of ids.
fn store_stories(path: &Path, articles: Vec<newstrace::Article>) -> Result<Vec<Vec<String>>> {
    use newstrace::index::{sqlite::SqliteStore, IndexConfig, Indexer, Store};
    let mut store = SqliteStore::open(path, 64 << 20)?;
    let n = articles.len();
    let mut indexer = Indexer::new(&mut store, IndexConfig::default())?;
    let mut rest = articles;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(STORE_BATCH));
        indexer.add(rest)?;
        rest = tail;
    }
    indexer.finish()?;
    let mut by_story: HashMap<i64, Vec<String>> = HashMap::new();
    for s in store.latest(n)? {
        by_story.entry(s.story).or_default().push(s.article.id.0);
    }
    Ok(by_story.into_values().collect())
}

/// One labelled article of the set.
struct Labelled {
    id: String,
    topic: String,
}

pub fn run(dir: &Path, sweep: bool, cfg: &Config) -> Result<()> {
    if absent("stories (BCubed)", dir) {
        return Ok(());
    }
    let file = dir.join("documents.jsonl");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut gold: HashMap<String, String> = HashMap::new();
    let mut topic_of: HashMap<String, String> = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if let (Some(id), Some(ev)) = (v["id"].as_str(), v["event"].as_str()) {
            gold.insert(id.to_string(), ev.to_string());
            topic_of.insert(id.to_string(), v["topic"].to_string());
        }
    }
    let (articles, skipped) = newstrace::load(&[file], cfg.limits);
    let events: BTreeSet<&String> = gold.values().collect();
    println!(
        "\nstories: {} ({} articles read, {} skipped, {} gold events)",
        dir.display(),
        articles.len(),
        skipped.len(),
        events.len()
    );

    // 1. The whole pipeline.
    let start = Instant::now();
    let an = newstrace::analyze(articles.clone(), Vec::new(), cfg);
    let secs = start.elapsed().as_secs_f64();
    let predicted: Vec<Vec<String>> = an
        .stories
        .iter()
        .map(|s| {
            s.articles
                .iter()
                .map(|&i| an.articles[i].id.0.clone())
                .collect()
        })
        .collect();
    let (p, r, f) = bcubed(&predicted, &gold);
    println!(
        "  analyze, shipped model: precision {p:.3} recall {r:.3} F1 {f:.3} ({} stories, {secs:.2} s)",
        an.stories.len()
    );
    // Reuse between articles of different gold events is always wrong: a floor under the
    // false-reuse rate on real independent reporting.
    let across = an
        .reuse
        .iter()
        .filter(|r| gold.get(&an.articles[r.source].id.0) != gold.get(&an.articles[r.derived].id.0))
        .count();
    println!(
        "  reuse links: {} ({} across different gold events)",
        an.reuse.len(),
        across
    );

    // 2. Cross-validation by topic, on the story fingerprints alone.
    let (docs, variants) = newstrace::pipeline::story_fingerprints(&articles, cfg);
    let labelled: Vec<Labelled> = articles
        .iter()
        .map(|a| Labelled {
            id: a.id.0.clone(),
            topic: topic_of.get(&a.id.0).cloned().unwrap_or_default(),
        })
        .collect();
    let pairs = candidate_pairs(&docs, &cfg.stories);
    // Pairs published too far apart are never one story: left out of training and grouping.
    let pairs: Vec<(usize, usize)> = pairs
        .into_iter()
        .filter(|&(i, j)| !cfg.stories.too_far(&docs[i], &docs[j]))
        .collect();
    let pair_features: Vec<[f32; FEATURES]> = pairs
        .iter()
        .map(|&(i, j)| features(&docs[i], &docs[j], cfg.stories.sigma_days))
        .collect();
    let same = |i: usize, j: usize| gold.get(&labelled[i].id) == gold.get(&labelled[j].id);
    let topics: BTreeSet<&str> = labelled.iter().map(|l| l.topic.as_str()).collect();
    let fold_of_topic: HashMap<&str, usize> = topics
        .iter()
        .enumerate()
        .map(|(k, t)| (*t, k % FOLDS))
        .collect();
    let fold: Vec<usize> = labelled
        .iter()
        .map(|l| fold_of_topic[l.topic.as_str()])
        .collect();
    let ctx = Ctx {
        docs: &docs,
        labelled: &labelled,
        gold: &gold,
        pairs: &pairs,
        features: &pair_features,
    };

    let everything: Vec<usize> = (0..docs.len()).collect();
    let all_weights = train(&ctx.examples(&everything, &same));
    let all_choice = ctx.choose(&everything, &all_weights, &cfg.stories);
    println!(
        "  weights learnt on all topics: {}",
        FEATURE_NAMES
            .iter()
            .zip(all_weights)
            .map(|(n, w)| format!("{n} {w:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  settings chosen on all topics: core {} attach {} fragment {} (shipped: {} {} {})",
        all_choice.0,
        all_choice.1,
        all_choice.2,
        cfg.stories.core,
        cfg.stories.attach,
        cfg.stories.fragment
    );
    if sweep {
        println!(
            "  {:>5} {:>6} {:>8} {:>9} {:>9} {:>9}",
            "core", "attach", "fragment", "precision", "recall", "F1"
        );
        for (core, attach, fragment) in grid() {
            let c = StoryConfig {
                weights: cfg.stories.weights,
                core,
                attach,
                fragment,
                ..cfg.stories
            };
            let (p, r, f) = ctx.score(&ctx.group(&everything, &c));
            println!("  {core:>5} {attach:>6} {fragment:>8} {p:>9.3} {r:>9.3} {f:>9.3}");
        }
    }

    let mut held_out: Vec<Vec<String>> = Vec::new();
    let mut fold_f1 = Vec::new();
    let mut models = Vec::new();
    let mut chosen = Vec::new();
    for k in 0..FOLDS {
        let train_docs: Vec<usize> = (0..docs.len()).filter(|&d| fold[d] != k).collect();
        let test_docs: Vec<usize> = (0..docs.len()).filter(|&d| fold[d] == k).collect();
        let w = train(&ctx.examples(&train_docs, &same));
        let (core, attach, fragment) = ctx.choose(&train_docs, &w, &cfg.stories);
        let model = StoryConfig {
            weights: w,
            core,
            attach,
            fragment,
            ..cfg.stories
        };
        let stories = ctx.group(&test_docs, &model);
        fold_f1.push(ctx.score(&stories).2);
        chosen.push(format!("{core}/{attach}/{fragment}"));
        held_out.extend(stories);
        models.push((test_docs, model));
    }
    let (p, r, f) = ctx.score(&held_out);
    println!(
        "  held-out topics ({FOLDS} folds by topic, model learnt on the others): precision {p:.3} recall {r:.3} F1 {f:.3}"
    );
    println!(
        "    F1 by fold: {}",
        fold_f1
            .iter()
            .map(|f| format!("{f:.3}"))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    println!(
        "    settings chosen by fold (core/attach/fragment): {}",
        chosen.join(", ")
    );

    // 3. The stream.
    let mut runs = Vec::new();
    for seed in 0..ORDERS {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut predicted: Vec<Vec<String>> = Vec::new();
        for (test_docs, model) in &models {
            let mut order = test_docs.clone();
            rng.shuffle(&mut order);
            let mut stream = StoryStream::new(*model);
            for &d in &order {
                stream.add(docs[d].clone());
            }
            predicted.extend(stream.finish().into_iter().map(|s| {
                s.into_iter()
                    .map(|k| labelled[order[k]].id.clone())
                    .collect()
            }));
        }
        runs.push(bcubed(&predicted, &gold));
    }
    let mean =
        |f: &dyn Fn(&(f64, f64, f64)) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
    let (mp, mr, mf) = (mean(&|x| x.0), mean(&|x| x.1), mean(&|x| x.2));
    let sd = (runs.iter().map(|x| (x.2 - mf).powi(2)).sum::<f64>() / runs.len() as f64).sqrt();
    let (lo, hi) = runs.iter().fold((f64::MAX, f64::MIN), |(lo, hi), x| {
        (lo.min(x.2), hi.max(x.2))
    });
    println!(
        "  stream, held-out topics, {ORDERS} random arrival orders: precision {mp:.3} recall {mr:.3} F1 {mf:.3} (sd {sd:.3}, range {lo:.3}–{hi:.3})"
    );

    // 4. The store: `index add` in batches, stories as stored.
    let mut runs = Vec::new();
    for seed in 0..ORDERS {
        let mut order: Vec<usize> = (0..articles.len()).collect();
        fastrand::Rng::with_seed(seed).shuffle(&mut order);
        let path =
            std::env::temp_dir().join(format!("newstrace-eval-{}-{seed}.db", std::process::id()));
        let result = store_stories(&path, order.iter().map(|&i| articles[i].clone()).collect());
        for ext in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(ext);
            let _ = std::fs::remove_file(p);
        }
        runs.push(bcubed(&result?, &gold));
    }
    let mean =
        |f: &dyn Fn(&(f64, f64, f64)) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
    let (mp, mr, mf) = (mean(&|x| x.0), mean(&|x| x.1), mean(&|x| x.2));
    println!(
        "  store (`index add`, batches of {STORE_BATCH}, shipped model), {ORDERS} random orders: precision {mp:.3} recall {mr:.3} F1 {mf:.3}"
    );

    let v = variants.pairs();
    println!(
        "  name variants found: {}{}",
        v.len(),
        if v.is_empty() {
            String::new()
        } else {
            format!(
                " (e.g. {})",
                v.iter()
                    .take(8)
                    .map(|(a, b)| format!("{a} → {b}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    Ok(())
}

/// What the cross-validation works over.
struct Ctx<'a> {
    docs: &'a [StoryDoc],
    labelled: &'a [Labelled],
    gold: &'a HashMap<String, String>,
    pairs: &'a [(usize, usize)],
    features: &'a [[f32; FEATURES]],
}

impl Ctx<'_> {
    /// Labelled candidate pairs with both articles among `docs`.
    fn examples(
        &self,
        docs: &[usize],
        same: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<([f32; FEATURES], bool)> {
        let inside = self.membership(docs);
        self.pairs
            .iter()
            .zip(self.features)
            .filter(|((i, j), _)| inside[*i] && inside[*j])
            .map(|(&(i, j), f)| (*f, same(i, j)))
            .collect()
    }

    fn membership(&self, docs: &[usize]) -> Vec<bool> {
        let mut inside = vec![false; self.docs.len()];
        for &d in docs {
            inside[d] = true;
        }
        inside
    }

    /// Stories of `docs` under `model`, as ids.
    fn group(&self, docs: &[usize], model: &StoryConfig) -> Vec<Vec<String>> {
        let mut local = vec![usize::MAX; self.docs.len()];
        for (k, &d) in docs.iter().enumerate() {
            local[d] = k;
        }
        let edges: Vec<(usize, usize, f32)> = self
            .pairs
            .iter()
            .zip(self.features)
            .filter(|((i, j), _)| local[*i] != usize::MAX && local[*j] != usize::MAX)
            .map(|(&(i, j), f)| (local[i], local[j], logistic(&model.weights, f)))
            .collect();
        group_graph(docs.len(), &edges, model)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|k| self.labelled[docs[k]].id.clone())
                    .collect()
            })
            .collect()
    }

    fn score(&self, stories: &[Vec<String>]) -> (f64, f64, f64) {
        bcubed(stories, self.gold)
    }

    /// The grid settings with the best F1 on `docs` under weights `w` (first best wins).
    fn choose(&self, docs: &[usize], w: &[f32; FEATURES], base: &StoryConfig) -> (f32, f32, usize) {
        let mut best = (f64::MIN, (base.core, base.attach, base.fragment));
        for (core, attach, fragment) in grid() {
            let model = StoryConfig {
                weights: *w,
                core,
                attach,
                fragment,
                ..*base
            };
            let f = self.score(&self.group(docs, &model)).2;
            if f > best.0 + 1e-9 {
                best = (f, (core, attach, fragment));
            }
        }
        best.1
    }
}
