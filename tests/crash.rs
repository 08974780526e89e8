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

/// Waits until `log` reports at least one stored batch (or `limit` passes).
fn wait_for_a_batch(log: &Path, limit: Duration) {
    let start = Instant::now();
    while reported(log) == 0 && start.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigint_stores_the_batch_in_hand_reports_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let total = write_corpus(&corpus) as u64;
    let db = dir.path().join("store.db");
    let log = dir.path().join("run.log");
    let mut child = add(&corpus, &db, &log);
    wait_for_a_batch(&log, Duration::from_secs(60));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let status = child.wait().expect("reaped");
    let text = std::fs::read_to_string(&log).unwrap();
    if status.code() == Some(0) {
        // The run finished before the signal arrived: nothing to check but that.
        assert_eq!(contents(&db).0.len() as u64, total);
        eprintln!("the run ended before SIGINT; log:\n{text}");
        return;
    }
    assert_eq!(status.code(), Some(130), "exit status; log:\n{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("interrupted: stored the "))
        .unwrap_or_else(|| panic!("no report of how far it got; log:\n{text}"));
    let read: u64 = line["interrupted: stored the ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (ids, _) = contents(&db);
    assert!(ids.iter().all(|(_, n)| *n == 1));
    // Everything read before the signal is stored, not only the batches reported earlier.
    assert_eq!(ids.len() as u64, read, "log:\n{text}");
    assert!(read < total, "the signal stopped the run early");
    eprintln!("SIGINT: {line}");
    // A rerun completes the job.
    let status = add(&corpus, &db, &dir.path().join("rerun.log"))
        .wait()
        .unwrap();
    assert!(status.success());
    assert_eq!(contents(&db).0.len() as u64, total);
}

#[test]
fn two_adds_on_one_store_take_turns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let total = write_corpus(&corpus);
    // Two halves with ids of their own, added by two processes at once.
    let text = std::fs::read_to_string(&corpus).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&a, lines[..total / 2].join("\n")).unwrap();
    std::fs::write(&b, lines[total / 2..].join("\n")).unwrap();
    let db = dir.path().join("store.db");
    // The store exists before both start (each would otherwise create it).
    let seed = dir.path().join("seed.jsonl");
    std::fs::write(&seed, lines[0]).unwrap();
    assert!(add(&seed, &db, &dir.path().join("seed.log"))
        .wait()
        .unwrap()
        .success());
    let (log_a, log_b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    let mut first = add(&a, &db, &log_a);
    wait_for_a_batch(&log_a, Duration::from_secs(60));
    let mut second = add(&b, &db, &log_b);
    let (sa, sb) = (first.wait().unwrap(), second.wait().unwrap());
    let (la, lb) = (
        std::fs::read_to_string(&log_a).unwrap(),
        std::fs::read_to_string(&log_b).unwrap(),
    );
    assert!(sa.success() && sb.success(), "a:\n{la}\nb:\n{lb}");
    if !la.contains("added ") || !lb.contains("waiting: another `newstrace index add`") {
        // Only if the first had already finished may the second not have waited.
        assert!(
            lb.contains("waiting") || la.contains("added"),
            "a:\n{la}\nb:\n{lb}"
        );
    }
    let (ids, pairs) = contents(&db);
    assert_eq!(ids.len(), total, "both halves stored");
    assert!(ids.iter().all(|(_, n)| *n == 1));
    // Taking turns, the second writer saw the first's articles: reuse across the halves.
    assert!(pairs.iter().any(|(s, d)| {
        let half = |id: &str| {
            lines[..total / 2]
                .iter()
                .any(|l| l.contains(&format!("\"id\":\"{id}\"")))
        };
        half(s) != half(d)
    }));
}

#[test]
fn a_full_disk_fails_with_one_line_and_leaves_the_store_readable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let total = write_corpus(&corpus);
    let text = std::fs::read_to_string(&corpus).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = dir.path().join("first.jsonl");
    std::fs::write(&first, lines[..100].join("\n")).unwrap();
    let db = dir.path().join("store.db");
    assert!(add(&first, &db, &dir.path().join("first.log"))
        .wait()
        .unwrap()
        .success());
    let (before, _) = contents(&db);
    // The rest, with files limited to a little more than the store's size now: the system
    // refuses the write that would grow past it (EFBIG, as ENOSPC on a full disk), and
    // SIGXFSZ is ignored so that the process sees the error instead of being killed.
    let size = std::fs::metadata(&db).unwrap().len()
        + std::fs::metadata(dir.path().join("store.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    let limit_kb = size / 1024 + 256;
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {limit_kb}; exec \"$0\" index add \"$1\" --db \"$2\" --batch 40 --memory 64"
        ))
        .arg(bin())
        .arg(&corpus)
        .arg(&db)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    assert!(
        errors[0].contains("full") || errors[0].contains("large") || errors[0].contains("I/O"),
        "{}",
        errors[0]
    );
    assert!(!stderr.contains("panicked"));
    eprintln!("full disk: {}", errors[0]);
    // Readable, whole, and holding everything it held (and whatever was committed since).
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let (after, _) = contents(&db);
    assert!(after.len() >= before.len() && after.iter().all(|(_, n)| *n == 1));
    let stats = Command::new(bin())
        .args(["index", "stats", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(stats.status.success());
    // With room again, the same command completes the job.
    assert!(add(&corpus, &db, &dir.path().join("rerun.log"))
        .wait()
        .unwrap()
        .success());
    assert_eq!(contents(&db).0.len(), total);
}
