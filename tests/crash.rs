//! Crash safety of `index add`: a real `newstrace index add` process is killed with SIGKILL
//! at random moments, many times; after each kill the store must open, hold every article
//! whose batch was reported stored, and hold each id once; a final rerun must complete the
//! job, ending with the same articles and the same reuse as one uninterrupted run.

use newstrace::synth;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_newstrace"))
}

/// A corpus of real articles (the demo corpus and the test fixtures) and copies of them made
/// by the synthetic planter: trimmed, padded, edited and spun, so that reuse is found across
/// batches. Written as JSONL; returns the number of articles.
fn write_corpus(path: &Path) -> usize {
    let (articles, _) = newstrace::load(
        &[
            PathBuf::from("examples/corpus"),
            PathBuf::from("tests/fixtures/forms"),
        ],
        Default::default(),
    );
    assert!(
        articles.len() >= 10,
        "the real articles are in the repository"
    );
    let mut rng = fastrand::Rng::with_seed(11);
    let mut lines = Vec::new();
    let mut push = |id: String, a: &newstrace::Article| {
        lines.push(
            serde_json::json!({
                "id": id,
                "title": a.title,
                "published": a.published.map(|t| t.to_rfc3339()),
                "text": a.text,
            })
            .to_string(),
        );
    };
    for round in 0..80 {
        for (i, a) in articles.iter().enumerate() {
            let id = format!("r{round}-{i}");
            let planted = match (round + i) % 5 {
                0 => synth::trimmed_copy(a, &id, 0.5).article,
                1 => synth::padded_copy(a, &id, &mut rng).article,
                2 => synth::edited_copy(a, &id, 0.7, &mut rng).article,
                3 => synth::spin(a, &id, 0.3, &mut rng).article,
                _ => a.clone(),
            };
            push(id, &planted);
        }
    }
    let n = lines.len();
    std::fs::write(path, lines.join("\n") + "\n").expect("corpus written");
    n
}

fn add(corpus: &Path, db: &Path, log: &Path) -> std::process::Child {
    Command::new(bin())
        .args(["index", "add"])
        .arg(corpus)
        .arg("--db")
        .arg(db)
        .args(["--batch", "40", "--memory", "64"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("index add starts")
}

/// The largest count of a `stored: N articles` line: what the process reported done.
fn reported(log: &Path) -> u64 {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("stored: ")?.split(' ').next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// Each stored id with how often it is stored.
type Ids = Vec<(String, i64)>;
/// Reuse entries as (source id, derived id).
type Pairs = BTreeSet<(String, String)>;

/// Ids and reuse pairs by id, read with SQLite itself.
fn contents(db: &Path) -> (Ids, Pairs) {
    let conn = rusqlite::Connection::open(db).expect("the store opens");
    let ids = conn
        .prepare("SELECT id, count(*) FROM articles GROUP BY id ORDER BY id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("sql")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    let pairs = conn
        .prepare(
            "SELECT a.id, b.id FROM reuse r JOIN articles a ON a.key = r.source
             JOIN articles b ON b.key = r.derived",
        )
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("sql")
        .collect::<Result<BTreeSet<_>, _>>()
        .expect("rows");
    (ids, pairs)
}

#[test]
fn kill_9_at_random_moments_loses_nothing_reported_and_a_rerun_completes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let total = write_corpus(&corpus);

    // One uninterrupted run: the reference, and how long a run takes.
    let clean = dir.path().join("clean.db");
    let start = Instant::now();
    let status = add(&corpus, &clean, &dir.path().join("clean.log"))
        .wait()
        .expect("runs");
    let mut run_time = start.elapsed();
    assert!(status.success());
    let (clean_ids, clean_pairs) = contents(&clean);
    assert_eq!(clean_ids.len(), total);
    assert!(!clean_pairs.is_empty(), "the planted copies are found");

    // Three series of runs into a fresh store each, every run killed at a random moment of
    // what is left to do (re-adding what is stored costs little).
    let mut rng = fastrand::Rng::with_seed(3);
    let mut kills = 0;
    let mut db = PathBuf::new();
    for series in 0..3 {
        db = dir.path().join(format!("crashed{series}.db"));
        let mut last = 0u64;
        for round in 0..8 {
            let log = dir.path().join(format!("run{series}-{round}.log"));
            let left = 1.0 - last as f64 / total as f64;
            let wait = run_time.mul_f64(0.1 + rng.f64() * left);
            let mut child = add(&corpus, &db, &log);
            std::thread::sleep(wait.min(Duration::from_secs(30)));
            if child.try_wait().expect("child state").is_none() {
                child.kill().expect("SIGKILL");
                kills += 1;
            } else {
                // The run finished first (the reference run was slowed by a busy machine, or
                // little was left): aim earlier from now on.
                run_time = run_time.mul_f64(0.6);
            }
            child.wait().expect("reaped");
            let done = reported(&log);
            let (ids, _) = contents(&db);
            assert!(
                ids.iter().all(|(_, n)| *n == 1),
                "run {series}-{round}: an id stored twice"
            );
            let stored = ids.len() as u64;
            assert!(
                stored >= done && stored >= last,
                "run {series}-{round}: {stored} stored, but {done} were reported done ({last} before); log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            eprintln!("run {series}-{round}: waited {wait:?}, {done} reported, {stored} stored");
            last = stored;
            // The store opens through the engine too.
            let out = Command::new(bin())
                .args(["index", "stats", "--json", "--db"])
                .arg(&db)
                .output()
                .expect("stats runs");
            assert!(
                out.status.success(),
                "run {series}-{round}: stats fails after a kill"
            );
        }
    }
    assert!(kills >= 12, "only {kills} runs were killed mid-way");

    // The rerun completes the job: the same articles and reuse as the uninterrupted run.
    let status = add(&corpus, &db, &dir.path().join("final.log"))
        .wait()
        .expect("runs");
    assert!(status.success());
    let (ids, pairs) = contents(&db);
    assert_eq!(ids, clean_ids);
    let missing: Vec<_> = clean_pairs.difference(&pairs).collect();
    let extra: Vec<_> = pairs.difference(&clean_pairs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "reuse differs from an uninterrupted run: missing {missing:?}, extra {extra:?}"
    );
}
