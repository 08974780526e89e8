//! The PostgreSQL store against a real server: the library's store next to the SQLite one on
//! the demo corpus, writers racing on the same ids, and the real binary (`index add`, `index
//! stats`, `index query`) with two workers filling one database at once.
//!
//! Each test starts its own server from Debian's `postgresql` package (`initdb` and `pg_ctl`
//! under `/usr/lib/postgresql/<version>/bin/`), as the `postgres` user when run as root, with
//! its data in a temporary folder, trust authentication and a free port on 127.0.0.1; a drop
//! guard stops it, also when the test fails. Without the package the tests say so and pass.

use assert_cmd::Command;
use newstrace::index::anchors::anchors;
use newstrace::index::{self, IndexConfig, Indexer, NewArticle, Searcher, Store, StoryDelta};
use newstrace::{Article, Config};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A PostgreSQL server of its own, stopped and deleted when dropped.
struct Server {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Run the server's tools as the `postgres` user (PostgreSQL refuses to run as root).
    as_postgres: bool,
    port: u16,
}

/// The newest PostgreSQL's binaries under /usr/lib/postgresql, where `initdb` is.
fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

impl Server {
    /// Starts a server, or says why not and returns `None` where PostgreSQL is not installed.
    fn start() -> Option<Server> {
        let Some(bin) = postgres_bin() else {
            // CI installs it and sets this: there, a missing server is a failure, not a skip.
            assert!(
                std::env::var_os("NEWSTRACE_REQUIRE_POSTGRES").is_none(),
                "PostgreSQL is not installed, and NEWSTRACE_REQUIRE_POSTGRES is set"
            );
            eprintln!("skipped: PostgreSQL is not installed (.ci/run installs it)");
            return None;
        };
        let as_postgres = is_root();
        // Where the postgres user can reach it (a root-owned TMPDIR may not be).
        let dir = if as_postgres {
            tempfile::Builder::new()
                .prefix("newstrace-pg-")
                .tempdir_in("/tmp")
        } else {
            tempfile::Builder::new().prefix("newstrace-pg-").tempdir()
        }
        .expect("a temporary folder");
        let mut server = Server {
            dir,
            bin,
            as_postgres,
            port: 0,
        };
        if as_postgres {
            let status = std::process::Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(server.dir.path())
                .status()
                .expect("chown runs");
            assert!(status.success(), "cannot give the data folder to postgres");
        }
        let data = server.data();
        server.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        // Another process may take the port between our probe and the server's bind: retry.
        for attempt in 1..=5 {
            server.port = free_port();
            let options = format!(
                "-p {} -h 127.0.0.1 -k {} -c fsync=off -c max_connections=40",
                server.port,
                server.dir.path().display()
            );
            let log = server.dir.path().join("log").display().to_string();
            let out = server
                .command("pg_ctl")
                .args([
                    "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
                ])
                .output()
                .expect("pg_ctl runs");
            if out.status.success() {
                return Some(server);
            }
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(
                attempt < 5,
                "PostgreSQL did not start: {}{}\n{log}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        None
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn command(&self, tool: &str) -> std::process::Command {
        let mut c = if self.as_postgres {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            std::process::Command::new(self.bin.join(tool))
        };
        c.stdin(Stdio::null());
        c
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self.command(tool).args(args).output().expect("tool runs");
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A plain connection, for checks the store's interface does not offer.
    fn sql(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls).expect("connects")
    }

    /// Rows of a query of numbers.
    fn numbers(&self, query: &str) -> Vec<i64> {
        let row = self.sql().query_one(query, &[]).expect("query runs");
        (0..row.len()).map(|i| row.get::<_, i64>(i)).collect()
    }

    /// Asserts what must hold however the store was filled: every article once, its key
    /// its own, its postings exactly its anchors, story sizes summing to the articles.
    fn check_consistent(&self) {
        let [articles, keys, ids] = self
            .numbers("SELECT count(*), count(DISTINCT key), count(DISTINCT id) FROM articles")[..]
        else {
            unreachable!()
        };
        assert_eq!((keys, ids), (articles, articles), "keys and ids are unique");
        let [postings, anchors, orphans] = self.numbers(
            "SELECT (SELECT count(*) FROM postings),
                    (SELECT coalesce(sum(length(anchors) / 8), 0)::bigint FROM articles),
                    (SELECT count(*) FROM postings p
                     WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.key = p.key))",
        )[..] else {
            unreachable!()
        };
        assert_eq!(orphans, 0, "every posting belongs to a stored article");
        assert!(
            postings <= anchors && postings > 0,
            "{postings} postings, {anchors} anchors"
        );
        let [sizes, orphan_reuse] = self.numbers(
            "SELECT (SELECT coalesce(sum(size), 0)::bigint FROM stories),
                    (SELECT count(*) FROM reuse r WHERE NOT EXISTS
                        (SELECT 1 FROM articles a WHERE a.key = r.source)
                     OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.key = r.derived))",
        )[..] else {
            unreachable!()
        };
        assert_eq!(sizes, articles, "story sizes add up to the articles");
        assert_eq!(orphan_reuse, 0, "reuse entries point at stored articles");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.port != 0 {
            let _ = self
                .command("pg_ctl")
                .args(["-D", &self.data(), "-m", "fast", "-w", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn demo() -> Vec<Article> {
    let (articles, skipped) = newstrace::load(&[repo("examples/corpus")], Config::default().limits);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(articles.len(), 9, "the demo corpus has nine articles");
    articles
}

/// Fills `store` with `articles`, `batch` at a time, as `index add` does.
fn fill(store: &mut dyn Store, articles: &[Article], batch: usize) -> index::AddReport {
    let cfg = IndexConfig {
        batch,
        ..IndexConfig::default()
    };
    let mut indexer = Indexer::new(store, cfg).expect("indexer");
    let mut total = index::AddReport::default();
    for chunk in articles.chunks(batch) {
        let r = indexer.add(chunk.to_vec()).expect("batch stored");
        total.added += r.added;
        total.replaced += r.replaced;
        total.unchanged += r.unchanged;
        total.reuse += r.reuse;
        total.stories += r.stories;
    }
    indexer.finish().expect("statistics saved");
    total
}

/// Asserts that two stores hold the same articles, keys, stories, postings, reuse and meta.
fn assert_same(pg: &mut dyn Store, lite: &mut dyn Store, articles: &[Article]) {
    let (a, b) = (pg.stats().unwrap(), lite.stats().unwrap());
    assert_eq!(
        (a.articles, a.stories, a.reuse),
        (b.articles, b.stories, b.reuse)
    );
    assert!(a.bytes > 0);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.0.as_str()).collect();
    let existing = pg.existing(&ids).unwrap();
    assert_eq!(existing, lite.existing(&ids).unwrap());
    let keys: Vec<i64> = existing.iter().flatten().map(|e| e.0).collect();
    let (x, y) = (pg.articles(&keys).unwrap(), lite.articles(&keys).unwrap());
    assert_eq!(x.len(), keys.len());
    for (x, y) in x.iter().zip(&y) {
        assert_eq!((x.key, x.story, &x.article), (y.key, y.story, &y.article));
        let by_id = pg.article_by_id(&x.article.id.0).unwrap().expect("stored");
        assert_eq!(by_id.key, x.key);
        assert_eq!(pg.reuse_of(x.key).unwrap(), lite.reuse_of(x.key).unwrap());
        let mut anchors = anchors(&x.article.text);
        anchors.push(anchors.first().copied().unwrap_or(7)); // a repeat gets its own list
        for (below, limit) in [(i64::MAX, 65), (x.key + 1, 2), (1, 65)] {
            assert_eq!(
                pg.holders(&anchors, below, limit).unwrap(),
                lite.holders(&anchors, below, limit).unwrap()
            );
        }
    }
    assert_eq!(
        pg.meta("term-stats").unwrap(),
        lite.meta("term-stats").unwrap()
    );
    assert_eq!(pg.is_empty().unwrap(), lite.is_empty().unwrap());
}

/// The library's PostgreSQL store does what the SQLite store does, row for row: the demo
/// corpus added in batches, added again (nothing changes), and one article changed (it
/// replaces the stored one).
#[test]
fn postgres_store_matches_sqlite_row_for_row() {
    let Some(server) = Server::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let lite_path = tmp.path().join("store.db");
    let mut pg = index::open(&server.url(), 0).expect("opens");
    let mut lite = index::open(lite_path.to_str().unwrap(), 1 << 20).unwrap();
    assert!(pg.is_empty().unwrap());
    assert!(pg.meta("term-stats").unwrap().is_none());
    assert!(pg.article_by_id("nothing").unwrap().is_none());
    assert_eq!(pg.existing(&["nothing"]).unwrap(), vec![None]);
    assert!(pg.articles(&[]).unwrap().is_empty());
    assert_eq!(pg.holders(&[], 10, 10).unwrap(), Vec::<Vec<i64>>::new());

    let articles = demo();
    let r = fill(pg.as_mut(), &articles, 4);
    assert_eq!(fill(lite.as_mut(), &articles, 4), r);
    assert_eq!(r.added, 9);
    assert!(
        r.reuse >= 3,
        "copies and spins of the demo corpus found: {r:?}"
    );
    assert_same(pg.as_mut(), lite.as_mut(), &articles);
    server.check_consistent();

    // Added again: nothing to do.
    let again = fill(pg.as_mut(), &articles, 4);
    assert_eq!((again.added, again.unchanged), (0, 9));
    assert_eq!(fill(lite.as_mut(), &articles, 4), again);

    // One article changed: it replaces the stored one (new key, its old postings gone).
    let mut changed = articles.clone();
    let copy = changed
        .iter_mut()
        .find(|a| a.id.0 == "quake-2005/copy-gulfmorningpost")
        .expect("the demo's copy");
    copy.text
        .push_str("\nThis report was updated with a closing paragraph of its own.");
    let copy = copy.clone();
    let old_key = pg.article_by_id(&copy.id.0).unwrap().unwrap().key;
    let r = fill(pg.as_mut(), &changed, 9);
    assert_eq!((r.added, r.replaced, r.unchanged), (1, 1, 8));
    assert_eq!(fill(lite.as_mut(), &changed, 9), r);
    let new_key = pg.article_by_id(&copy.id.0).unwrap().unwrap().key;
    assert!(new_key > old_key);
    assert!(pg.articles(&[old_key]).unwrap().is_empty());
    assert!(pg.reuse_of(old_key).unwrap().is_empty());
    let held = pg.holders(&anchors(&copy.text), i64::MAX, 100).unwrap();
    assert!(held.iter().flatten().all(|&k| k != old_key));
    assert_same(pg.as_mut(), lite.as_mut(), &changed);
    server.check_consistent();

    // A copy queried against the store finds its source, as in SQLite.
    let query = &articles
        .iter()
        .find(|a| a.id.0 == "quake-2005/copy-gulfmorningpost")
        .unwrap();
    let found = Searcher::new(pg.as_mut(), IndexConfig::default())
        .unwrap()
        .search(query)
        .unwrap();
    let from_lite = Searcher::new(lite.as_mut(), IndexConfig::default())
        .unwrap()
        .search(query)
        .unwrap();
    let pairs = |f: &index::Found| -> BTreeSet<(String, String, &'static str)> {
        f.reuse
            .iter()
            .map(|r| {
                (
                    f.articles[r.source].id.0.clone(),
                    f.articles[r.derived].id.0.clone(),
                    r.relation.as_str(),
                )
            })
            .collect()
    };
    assert_eq!(pairs(&found), pairs(&from_lite));
    assert!(
        pairs(&found)
            .iter()
            .any(|(s, d, _)| s == "quake-2005/original-usatoday"
                && d == "quake-2005/copy-gulfmorningpost"),
        "{:?}",
        pairs(&found)
    );

    // Counters are shared and start at 1, as in SQLite.
    let mut other = index::open(&server.url(), 0).unwrap();
    let next = other.allocate("test", 5).unwrap();
    assert_eq!(next, 1);
    assert_eq!(pg.allocate("test", 1).unwrap(), 6);
    assert_eq!(other.allocate("test", 0).unwrap(), 7);
}

/// Writers racing on the same ids: each batch replaces what the other stored, and however
/// their transactions interleave, each id is stored once with its postings and story.
#[test]
fn concurrent_writers_of_the_same_ids_leave_one_article_each() {
    let Some(server) = Server::start() else {
        return;
    };
    const IDS: usize = 8;
    const ROUNDS: usize = 25;
    let url = server.url();
    // Both open at once: the schema is created once.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = index::open(&url, 0).expect("opens");
                for round in 0..ROUNDS {
                    let key = store.allocate("article", IDS as u64).unwrap();
                    let story = store.allocate("story", 1).unwrap();
                    let articles = (0..IDS)
                        .map(|i| {
                            let text = format!(
                                "Writer {w} wrote version {round} of article {i}. The harbour \
                                 authority said on Monday that ships would wait outside the port \
                                 until the storm had passed, and that the ferry to the island \
                                 would not sail before Wednesday morning."
                            );
                            let article = Article::from_text(&format!("article-{i}"), text);
                            NewArticle {
                                key: key + i as i64,
                                digest: index::store::digest(&article),
                                story,
                                anchors: anchors(&article.text),
                                article,
                            }
                        })
                        .collect();
                    let batch = index::Batch {
                        articles,
                        stories: vec![StoryDelta {
                            id: story,
                            title: format!("writer {w}"),
                            size: IDS as i64,
                        }],
                        meta: vec![("writer".into(), vec![w as u8])],
                        ..Default::default()
                    };
                    store.commit(&batch).expect("batch stored");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    let mut store = index::open(&url, 0).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, IDS as u64);
    server.check_consistent();
    let [postings] = server.numbers("SELECT count(*) FROM postings")[..] else {
        unreachable!()
    };
    // Every stored version has its own anchors and nothing of the replaced ones is left.
    let expected: usize = (0..IDS)
        .map(|i| {
            let a = store
                .article_by_id(&format!("article-{i}"))
                .unwrap()
                .unwrap();
            let mut a = anchors(&a.article.text);
            a.sort_unstable();
            a.dedup();
            a.len()
        })
        .sum();
    assert_eq!(postings, expected as i64);
    assert_eq!(
        store.allocate("article", 1).unwrap(),
        1 + 3 * (ROUNDS * IDS) as i64,
        "no number handed out twice or skipped"
    );
}

// The binary.

fn bin() -> Command {
    Command::cargo_bin("newstrace").expect("binary builds")
}

/// Runs `newstrace ARGS` and returns its stdout; asserts exit 0 and no panic.
fn newstrace(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "newstrace {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stats(db: &str) -> Value {
    let out = newstrace(&["index", "stats", "--db", db, "--json"]);
    serde_json::from_str(out.trim()).expect("stats is one JSON object")
}

fn counts(v: &Value) -> [u64; 3] {
    ["articles", "stories", "reuse"].map(|k| v[k].as_u64().expect("a count"))
}

/// `index add` of the demo corpus into PostgreSQL stores what SQLite stores, adding it again
/// changes nothing, and a query of a new copy finds its source.
#[test]
fn cli_indexes_the_demo_corpus_into_postgres() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = server.url();
    let corpus = repo("examples/corpus");
    let corpus = corpus.to_str().unwrap();
    newstrace(&["index", "add", corpus, "--db", &db]);
    let first = stats(&db);
    assert_eq!(first["articles"], 9, "{first}");
    assert!(first["reuse"].as_u64().unwrap() >= 3, "{first}");
    assert!(first["bytes"].as_u64().unwrap() > 0, "{first}");

    let tmp = tempfile::tempdir().unwrap();
    let lite = tmp.path().join("store.db");
    let lite = lite.to_str().unwrap();
    newstrace(&["index", "add", corpus, "--db", lite]);
    assert_eq!(counts(&first), counts(&stats(lite)), "the same as SQLite");

    // Added again: nothing changes.
    newstrace(&["index", "add", corpus, "--db", &db]);
    assert_eq!(counts(&first), counts(&stats(&db)));
    server.check_consistent();

    // A new copy (the original trimmed to its first lines), queried, took from the original.
    let original =
        std::fs::read_to_string(repo("examples/corpus/quake-2005/original-usatoday.txt")).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let copy = tmp.path().join("new-copy.txt");
    std::fs::write(&copy, lines[..lines.len() * 2 / 3].join("\n")).unwrap();
    let out = newstrace(&[
        "index",
        "query",
        copy.to_str().unwrap(),
        "--db",
        &db,
        "--json",
    ]);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    let entries = lines[0]["reuse"].as_array().expect("reuse entries");
    assert!(
        entries
            .iter()
            .any(|e| e["source"] == "quake-2005/original-usatoday"
                && e["derived"] == lines[0]["id"]
                && e["passages"].as_array().is_some_and(|p| !p.is_empty())),
        "{out}"
    );
}

/// A corpus split in two halves of distinct ids: ECB+'s 772 texts where `../shared` has
/// them, else the demo corpus's two stories.
fn two_halves(tmp: &Path) -> [PathBuf; 2] {
    let ecb = repo("../shared/data/stories-ecbplus/documents.jsonl");
    if let Ok(text) = std::fs::read_to_string(&ecb) {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let (a, b) = lines.split_at(lines.len() / 2);
        return [("a", a), ("b", b)].map(|(name, half)| {
            let path = tmp.join(format!("half-{name}.jsonl"));
            std::fs::write(&path, half.join("\n") + "\n").unwrap();
            path
        });
    }
    eprintln!("../shared is absent: the two workers share the demo corpus's nine articles");
    [
        repo("examples/corpus/quake-2005"),
        repo("examples/corpus/quake-2008"),
    ]
}

/// Two `index add` workers (separate processes) fill one database at once from disjoint
/// halves of a corpus: every article is stored exactly once under a key of its own.
#[test]
fn cli_two_workers_fill_one_database_at_once() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = server.url();
    let tmp = tempfile::tempdir().unwrap();
    let halves = two_halves(tmp.path());
    let mut ids: Vec<BTreeSet<String>> = Vec::new();
    for h in &halves {
        let (articles, _) = newstrace::load(std::slice::from_ref(h), Config::default().limits);
        ids.push(articles.into_iter().map(|a| a.id.0).collect());
    }
    assert!(ids[0].is_disjoint(&ids[1]));
    let expected: BTreeSet<String> = ids.iter().flatten().cloned().collect();

    let start = std::time::Instant::now();
    let workers: Vec<std::process::Child> = halves
        .iter()
        .map(|h| {
            std::process::Command::new(env!("CARGO_BIN_EXE_newstrace"))
                .args(["index", "add"])
                .arg(h)
                // Small batches: many commits, interleaved with the other worker's.
                .args(["--db", &db, "--batch", "20"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("worker starts")
        })
        .collect();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "worker failed: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "two workers stored {} articles in {secs:.1} s ({:.0} articles/s)",
        expected.len(),
        expected.len() as f64 / secs
    );

    let after = stats(&db);
    assert_eq!(after["articles"], expected.len() as u64, "{after}");
    let stored: BTreeSet<String> = server
        .sql()
        .query("SELECT id FROM articles", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(stored, expected, "every article of both halves, once");
    server.check_consistent();

    // Both halves again, one after the other: nothing changes.
    for h in &halves {
        newstrace(&["index", "add", h.to_str().unwrap(), "--db", &db]);
    }
    assert_eq!(counts(&after), counts(&stats(&db)));
}

/// What the web app reads, PostgreSQL as SQLite: the stories largest first and paged, a
/// story's articles, the reuse among a set of articles, and search (all the words, in any
/// case, the best match first; by outlet; newest first without words; hostile text as plain
/// words), also of articles stored after the word index was built.
#[test]
fn postgres_lists_and_searches_as_sqlite_does() {
    let Some(server) = Server::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let lite_path = tmp.path().join("store.db");
    let mut pg = index::open(&server.url(), 0).expect("opens");
    let mut lite = index::open(lite_path.to_str().unwrap(), 1 << 20).unwrap();
    assert!(pg.stories(0, 10).unwrap().is_empty());
    assert!(pg.search("earthquake", None, 0, 10).unwrap().is_empty());
    assert!(pg.reuse_among(&[]).unwrap().is_empty());
    let articles = demo();
    fill(pg.as_mut(), &articles, 4);
    fill(lite.as_mut(), &articles, 4);

    // Stories: largest, then newest first; paged.
    let stories = pg.stories(0, 100).unwrap();
    assert_eq!(stories, lite.stories(0, 100).unwrap());
    assert!(stories.len() >= 2, "{stories:?}");
    assert_eq!(stories.iter().map(|s| s.size).sum::<i64>(), 9);
    assert!(stories
        .windows(2)
        .all(|w| (w[0].size, w[0].id) > (w[1].size, w[1].id)));
    assert_eq!(pg.stories(1, 1).unwrap(), stories[1..2].to_vec());
    assert!(pg.stories(stories.len(), 10).unwrap().is_empty());
    let keys_of = |found: &[index::StoredArticle]| -> Vec<(i64, String)> {
        found
            .iter()
            .map(|a| (a.key, a.article.id.0.clone()))
            .collect()
    };
    for s in &stories {
        assert_eq!(pg.story(s.id).unwrap().as_ref(), Some(s));
        let members = pg.story_articles(s.id, 100).unwrap();
        assert_eq!(members.len() as i64, s.size);
        assert!(members.windows(2).all(|w| w[0].key < w[1].key));
        assert!(members.iter().all(|a| a.story == s.id));
        assert_eq!(
            keys_of(&members),
            keys_of(&lite.story_articles(s.id, 100).unwrap())
        );
        assert_eq!(
            keys_of(&pg.story_articles(s.id, 1).unwrap()),
            keys_of(&members[..1])
        );
    }
    assert_eq!(pg.story(-1).unwrap(), None);

    // Reuse among all the articles, one story's, and thousands of keys (most not stored).
    let ids: Vec<&str> = articles.iter().map(|a| a.id.0.as_str()).collect();
    let keys: Vec<i64> = pg
        .existing(&ids)
        .unwrap()
        .iter()
        .flatten()
        .map(|e| e.0)
        .collect();
    let among = pg.reuse_among(&keys).unwrap();
    assert_eq!(among, lite.reuse_among(&keys).unwrap());
    assert!(among.len() >= 3, "{among:?}");
    let mut all: Vec<_> = keys.iter().flat_map(|&k| pg.reuse_of(k).unwrap()).collect();
    all.sort_by_key(|r| (r.source, r.derived));
    all.dedup();
    assert_eq!(among, all);
    let first: Vec<i64> = pg
        .story_articles(stories[0].id, 100)
        .unwrap()
        .iter()
        .map(|a| a.key)
        .collect();
    let inside = pg.reuse_among(&first).unwrap();
    assert_eq!(inside, lite.reuse_among(&first).unwrap());
    assert!(inside
        .iter()
        .all(|r| first.contains(&r.source) && first.contains(&r.derived)));
    let mut many: Vec<i64> = (100_000..103_000).collect();
    many.extend(&first);
    assert_eq!(pg.reuse_among(&many).unwrap(), inside);

    // The word index: built once (a valid index), then nothing to do.
    assert_eq!(pg.prepare_search().unwrap(), 0);
    assert_eq!(
        server.numbers(
            "SELECT count(*) FROM pg_index
             WHERE indexrelid = to_regclass('articles_words') AND indisvalid"
        ),
        [1]
    );
    assert_eq!(pg.prepare_search().unwrap(), 0);
    assert_eq!(lite.prepare_search().unwrap(), 9);

    let ids_of = |found: Vec<index::StoredArticle>| -> Vec<String> {
        found.into_iter().map(|a| a.article.id.0).collect()
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // The same articles as SQLite finds, whatever the ranking.
    for q in [
        "earthquake",
        "IRAN oman",
        "Qeshm",
        "quake island",
        "tremor",
        "seismic",
    ] {
        let found = sorted(ids_of(pg.search(q, None, 0, 100).unwrap()));
        assert!(!found.is_empty(), "{q}");
        assert_eq!(
            found,
            sorted(ids_of(lite.search(q, None, 0, 100).unwrap())),
            "{q}"
        );
    }
    assert!(pg
        .search("earthquake nonexistentword", None, 0, 10)
        .unwrap()
        .is_empty());
    // By outlet, in any case but whole.
    assert_eq!(
        ids_of(
            pg.search("Iran", Some("NORTHSHORE 24 news"), 0, 10)
                .unwrap()
        ),
        ["quake-2005/republished-northshore24"]
    );
    assert!(pg
        .search("Iran", Some("NorthShore"), 0, 10)
        .unwrap()
        .is_empty());
    assert_eq!(
        ids_of(pg.search("", Some("gulf bulletin"), 0, 10).unwrap()),
        ["quake-2008/copy-gulfbulletin"]
    );
    // No words: newest first, paged, as in SQLite.
    let newest = ids_of(pg.search("", None, 0, 100).unwrap());
    assert_eq!(newest.len(), 9);
    assert_eq!(newest, ids_of(lite.search("", None, 0, 100).unwrap()));
    assert_eq!(
        ids_of(pg.search("", Some(""), 2, 3).unwrap()),
        newest[2..5].to_vec()
    );

    // Stored after the index was built: found at once in PostgreSQL (SQLite indexes it
    // when asked). The best match first; a replaced article once.
    let extra = |id: &str, outlet: &str, title: &str, text: &str| {
        let mut a = Article::from_text(id, text.to_string());
        a.title = Some(title.to_string());
        a.outlet = Some(outlet.to_string());
        a
    };
    let more = [
        extra(
            "lighthouse-1",
            "Coast Weekly",
            "The lighthouse keeper retires",
            "The lighthouse keeper of Zürich Point retires after forty years. The lighthouse \
             will be run from the mainland.",
        ),
        extra(
            "lighthouse-2",
            "Harbour Times",
            "Ferry timetable changes",
            "The ferry now leaves at nine. Passengers can see the old lighthouse from the deck.",
        ),
    ];
    fill(pg.as_mut(), &more, 4);
    fill(lite.as_mut(), &more, 4);
    assert_eq!(pg.prepare_search().unwrap(), 0);
    assert_eq!(lite.prepare_search().unwrap(), 2);
    for store in [&mut pg, &mut lite] {
        assert_eq!(
            ids_of(store.search("LIGHTHOUSE", None, 0, 10).unwrap()),
            ["lighthouse-1", "lighthouse-2"]
        );
        assert_eq!(
            ids_of(
                store
                    .search("lighthouse", Some("harbour TIMES"), 0, 10)
                    .unwrap()
            ),
            ["lighthouse-2"]
        );
        assert_eq!(
            ids_of(store.search("ZüRICH keeper", None, 0, 10).unwrap()),
            ["lighthouse-1"]
        );
        assert_eq!(
            ids_of(store.search("lighthouse", None, 1, 10).unwrap()),
            ["lighthouse-2"]
        );
    }
    let mut changed = more[1].clone();
    changed.text = "The ferry now leaves at ten. The lighthouse is closed.".into();
    fill(pg.as_mut(), std::slice::from_ref(&changed), 4);
    let found = pg.search("ferry lighthouse", None, 0, 10).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].article.text.contains("ten"));
    assert!(pg
        .search("passengers deck", None, 0, 10)
        .unwrap()
        .is_empty());

    // Hostile text is plain words: never an error, never syntax.
    let long = "earthquake ".repeat(5_000);
    for q in [
        "\"",
        "NEAR(",
        "*",
        "AND",
        "-x",
        "col:",
        "'; DROP TABLE articles; --",
        "earthquake & !iran | (oman",
        "earthquake:* <-> iran",
        "'earthquake'",
        "\\",
        "\0",
        "🙂",
        long.as_str(),
    ] {
        for outlet in [None, Some("'; DROP TABLE articles; --"), Some("\\")] {
            let found = pg.search(q, outlet, 0, 10);
            assert!(found.is_ok(), "{q:?}: {found:?}");
        }
    }
    assert_eq!(
        sorted(ids_of(
            pg.search("earthquake & !iran", None, 0, 100).unwrap()
        )),
        sorted(ids_of(pg.search("earthquake iran", None, 0, 100).unwrap()))
    );
    assert!(pg.search("earth:*", None, 0, 10).unwrap().is_empty());
    assert_eq!(pg.search("\"*() -:", None, 0, 100).unwrap().len(), 11);
    assert_eq!(pg.stats().unwrap().articles, 11);
    server.check_consistent();
}

#[test]
fn a_store_of_a_newer_layout_is_refused_with_a_message() {
    let Some(server) = Server::start() else {
        return;
    };
    let store = index::open(&server.url(), 0).expect("opens");
    drop(store);
    let mut client = postgres::Client::connect(&server.url(), postgres::NoTls).unwrap();
    let layout: Vec<u8> = client
        .query_one("SELECT value FROM meta WHERE name = 'layout'", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        layout,
        index::store::LAYOUT_VERSION.to_string().into_bytes()
    );
    client
        .execute("UPDATE meta SET value = '99' WHERE name = 'layout'", &[])
        .unwrap();
    let e = index::open(&server.url(), 0).err().expect("refused");
    assert!(format!("{e:#}").contains("newer newstrace"), "{e:#}");
    // A store from before the header (no layout row) opens, and gets one.
    client
        .execute("DELETE FROM meta WHERE name = 'layout'", &[])
        .unwrap();
    index::open(&server.url(), 0).expect("an old store opens");
}
