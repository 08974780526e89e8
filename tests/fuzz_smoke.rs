//! The fuzz targets in smoke mode, on the stable toolchain, inside `cargo test`: every file of
//! `fuzz/corpus/<target>/` (the seeds and what cargo-fuzz kept, minimised) and of
//! `tests/fixtures/fuzz/<target>/` (inputs that once crashed, hung or blew up a target) goes
//! through the same target function the cargo-fuzz binary runs (`fuzz/targets.rs`), then a
//! fixed number of deterministic mutations of them (a fixed seed: every run tries the same
//! inputs). No input may panic, and none may run longer than a few seconds: a watchdog ends
//! the test process on one that does, after saving it. The long coverage-guided runs are
//! cargo-fuzz's (`fuzz/run.sh`, figures in `fuzz/README.md`).

#[path = "../fuzz/targets.rs"]
mod targets;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Mutated inputs tried per target.
const MUTATIONS: usize = 4000;
/// The longest one input may take (the test profile's build is less optimised).
const INPUT_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 5 });
/// The largest mutated input (cargo-fuzz runs with `-max_len` of this order).
const MAX_LEN: usize = 64 * 1024;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where a failing input is saved.
fn saved(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-smoke");
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir.join(name)
}

/// The replayed files of one target, sorted by path: its corpus, then its regression cases.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        root().join("fuzz/corpus").join(target),
        root().join("tests/fixtures/fuzz").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).expect("corpus file readable");
            let shown = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            out.push((shown, bytes));
        }
    }
    out
}

/// The input running now: when it started, its name and its bytes.
type Running = Arc<Mutex<Option<(Instant, String, Vec<u8>)>>>;

/// Runs inputs through one target, each under a watchdog; the first panic fails the test
/// and the input is saved, an input over [`INPUT_LIMIT`] ends the process.
struct Runner {
    target: &'static str,
    run: targets::Target,
    articles: usize,
    current: Running,
    slowest: (Duration, String),
}

impl Runner {
    fn new(target: &'static str, run: targets::Target) -> Runner {
        let current: Running = Arc::default();
        let watched = Arc::downgrade(&current);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let Some(slot) = watched.upgrade() else {
                return;
            };
            let guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((started, label, input)) = guard.as_ref() {
                if started.elapsed() > INPUT_LIMIT {
                    let path = saved(&format!("{target}-slow.bin"));
                    let _ = std::fs::write(&path, input);
                    eprintln!(
                        "fuzz smoke: target `{target}`, input {label} ran over {INPUT_LIMIT:?}; \
                         saved as {}",
                        path.display()
                    );
                    std::process::exit(101);
                }
            }
        });
        Runner {
            target,
            run,
            articles: 0,
            current,
            slowest: (Duration::ZERO, String::new()),
        }
    }

    fn run(&mut self, label: &str, input: &[u8]) {
        let started = Instant::now();
        *self.current.lock().unwrap() = Some((started, label.to_string(), input.to_vec()));
        let result = std::panic::catch_unwind(|| (self.run)(input));
        *self.current.lock().unwrap() = None;
        let Ok(articles) = result else {
            let path = saved(&format!("{}-panic.bin", self.target));
            std::fs::write(&path, input).expect("failing input saved");
            panic!(
                "fuzz smoke: target `{}` panicked on {label}; the input is saved as {} \
                 (replay it with `cargo fuzz run {} <file>` in fuzz/)",
                self.target,
                path.display(),
                self.target
            );
        };
        self.articles += articles;
        let took = started.elapsed();
        if took > self.slowest.0 {
            self.slowest = (took, label.to_string());
        }
    }
}

/// Words worth inserting, per input form (libFuzzer finds these by itself; a blind mutator
/// needs them given).
fn dictionary(target: &str) -> &'static [&'static [u8]] {
    match target {
        "text" => &[
            b"https://x.example/2019/11/18/a\n\n",
            b"http:// www. x. com/a",
            b"\n\n",
            b"\r\n",
            b"\xef\xbb\xbf",
            b"(Reuters) - ",
            b"AMMAN, Jordan (AP) \xe2\x80\x94 ",
            b"READ MORE: ",
            b"By JANE DOE, Associated Press\n",
            b"PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM\n",
            b"May 03, 2013\n",
            b"# ",
            b"* ",
            b"1. ",
            b"```\n",
            b"| a | b |\n|---|---|\n",
            b"[link](http://x.example/ \"t\")",
            b"<img src=x>",
            b"[^1]: ",
            b"Follow her on Twitter. ",
            b"\xe5\x9c\xb0\xe9\x9c\x87\xe3\x80\x82",
        ],
        "jsonl" => &[
            b"{\"text\":\"",
            b"{\"html\":\"<p>",
            b"\"id\":",
            b"\"published\":\"2008-12-14T15:10:00+03:30\"",
            b"\"url\":\"http://x.example/a\"",
            b"null",
            b"\\u0000",
            b"\\ud800",
            b"\\n\\n",
            b"\"},\n",
            b"\n",
            b"1e999",
            b"[{",
            b"\\\"",
        ],
        "warc" => &[
            b"WARC/1.0\r\n",
            b"WARC-Type: response\r\n",
            b"WARC-Type: request\r\n",
            b"WARC-Target-URI: https://x.example/a\r\n",
            b"WARC-Date: 2020-01-02T03:04:05Z\r\n",
            b"Content-Length: ",
            b"Content-Length: 18446744073709551615\r\n",
            b"\r\n\r\n",
            b"HTTP/1.1 200 OK\r\n",
            b"Content-Type: text/html; charset=shift_jis\r\n",
            b"Transfer-Encoding: chunked\r\n",
            b"Content-Encoding: gzip\r\n",
            b"ffffffffffffffff\r\n",
            b"0\r\n\r\n",
            b"<html><body><p>",
        ],
        _ => &[
            b"<div>",
            b"</div>",
            b"<p>",
            b"</p>",
            b"<article>",
            b"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"",
            b"</script>",
            b"<!--",
            b"-->",
            b"<meta charset=\"",
            b"<meta property=\"article:published_time\" content=\"",
            b"<time datetime=\"2019-11-18T10:00:00Z\">",
            b"<span><img src=a><a href=b>x</a><a href=c>y</a></span>",
            b"&#x10FFFF;",
            b"&amp;",
            b"<![CDATA[",
            b"<table><tr><td>",
            b"<noscript>",
            b"<title>",
            b"<h1>",
            b"<html lang=\"",
            b"<link rel=\"canonical\" href=\"",
            b"<svg><math><template><select><textarea>",
            b"<pre>",
            b"<br>",
            b"\"",
            b">",
        ],
    }
}

/// A few stacked random edits of `input`: bit flips, interesting bytes, deletions,
/// insertions of random bytes or dictionary words, repeated ranges, splices of another
/// input, truncation.
fn mutate(rng: &mut fastrand::Rng, input: &[u8], others: &[Vec<u8>], dict: &[&[u8]]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..rng.usize(1..=6) {
        let len = v.len();
        let at = rng.usize(0..=len);
        match rng.u8(0..9) {
            0 if len > 0 => {
                let i = rng.usize(0..len);
                v[i] ^= 1 << rng.u8(0..8);
            }
            1 if len > 0 => {
                let i = rng.usize(0..len);
                v[i] = *rng
                    .choice(&[
                        0u8, 0x7f, 0x80, 0xc3, 0xff, b'<', b'>', b'"', b'\n', b'\r', b'{',
                    ])
                    .unwrap();
            }
            2 => {
                let end = (at + rng.usize(1..=64)).min(len);
                v.drain(at..end);
            }
            3 => {
                let n = rng.usize(1..=16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
                v.splice(at..at, bytes);
            }
            4 | 5 => {
                let word = rng.choice(dict).unwrap();
                v.splice(at..at, word.iter().copied());
            }
            6 if len > 0 => {
                // A range repeated many times: deep nesting, long lines, many records.
                let start = rng.usize(0..len);
                let end = (start + rng.usize(1..=64)).min(len);
                let piece = v[start..end].to_vec();
                let most = if rng.bool() { 8 } else { 1200 };
                let times = rng.usize(2..=most);
                let repeated: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                v.splice(start..start, repeated);
            }
            7 if !others.is_empty() => {
                let other = rng.choice(others).unwrap();
                let start = rng.usize(0..=other.len());
                let end = (start + rng.usize(0..=512)).min(other.len());
                v.splice(at..at, other[start..end].iter().copied());
            }
            8 => v.truncate(at),
            _ => {}
        }
        v.truncate(MAX_LEN);
    }
    v
}

/// The gzip stream's content (as far as it decodes) and the form's dictionary word list.
fn gunzip(stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(stream)
        .take(MAX_LEN as u64)
        .read_to_end(&mut out);
    out
}

fn gzip(content: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(content).expect("in memory");
    enc.finish().expect("in memory")
}

/// The `gzip` target's mutations: half edit the compressed bytes (bad headers, CRCs,
/// truncation), half edit the content of the stream and compress it again, so that the
/// parsers behind the decoder see mutated documents too.
fn mutate_gzip(rng: &mut fastrand::Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let Some((&selector, stream)) = input.split_first() else {
        return vec![rng.u8(..)];
    };
    if rng.bool() {
        return mutate(
            rng,
            input,
            others,
            &[b"\x1f\x8b\x08\x00", b"\x00\x00\x00\x00"],
        );
    }
    let dict = dictionary(match selector % 3 {
        0 => "html",
        1 => "jsonl",
        _ => "warc",
    });
    let content = mutate(rng, &gunzip(stream), &[], dict);
    let mut out = vec![selector];
    out.extend(gzip(&content));
    if rng.u8(0..8) == 0 {
        // A second member, or trailing garbage.
        out.extend(if rng.bool() { gzip(&content) } else { content });
    }
    out.truncate(MAX_LEN);
    out
}

fn smoke(target: &'static str) {
    let (_, run) = *targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a target of fuzz/targets.rs");
    let seeds = inputs(target);
    assert!(
        !seeds.is_empty(),
        "fuzz/corpus/{target}/ holds the target's seed inputs"
    );
    let started = Instant::now();
    let mut runner = Runner::new(target, run);
    for (label, bytes) in &seeds {
        runner.run(label, bytes);
    }
    // The hand-written seeds and the regression inputs (names that are not cargo-fuzz's
    // 40-hex hashes) are whole articles; most of what cargo-fuzz kept is small pieces. Half
    // the mutations start from the former, so that many reach the extractor.
    let named: Vec<Vec<u8>> = seeds
        .iter()
        .filter(|(label, _)| {
            let name = label.rsplit('/').next().unwrap_or(label);
            !(name.len() == 40 && name.bytes().all(|c| c.is_ascii_hexdigit()))
        })
        .map(|(_, b)| b.clone())
        .collect();
    let corpus: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).collect();
    let mut rng = fastrand::Rng::with_seed(0x6e657773 ^ target.len() as u64);
    // Recent mutants are mutated again now and then, to reach further from the seeds.
    let mut recent: Vec<Vec<u8>> = Vec::new();
    for i in 0..MUTATIONS {
        let base = match rng.u8(0..4) {
            0 if !recent.is_empty() => rng.choice(&recent).unwrap().clone(),
            1 | 2 if !named.is_empty() => rng.choice(&named).unwrap().clone(),
            _ => rng.choice(&corpus).unwrap().clone(),
        };
        let input = if target == "gzip" {
            mutate_gzip(&mut rng, &base, &corpus)
        } else {
            mutate(&mut rng, &base, &corpus, dictionary(target))
        };
        runner.run(&format!("mutation {i}"), &input);
        if recent.len() < 32 {
            recent.push(input);
        } else {
            let slot = rng.usize(0..recent.len());
            recent[slot] = input;
        }
    }
    eprintln!(
        "fuzz smoke `{target}`: {} corpus files and {MUTATIONS} mutations in {:.1?}, {} articles extracted; slowest input {:.1?} ({})",
        corpus.len(),
        started.elapsed(),
        runner.articles,
        runner.slowest.0,
        runner.slowest.1
    );
}

#[test]
fn text() {
    smoke("text");
}

#[test]
fn html() {
    smoke("html");
}

#[test]
fn jsonl() {
    smoke("jsonl");
}

#[test]
fn warc() {
    smoke("warc");
}

#[test]
fn gzip_() {
    smoke("gzip");
}

/// The seeds are read as intended: each form's seeds give articles, so the mutations start
/// from inputs that reach the extractor, not from ones every parser refuses at once.
#[test]
fn seeds_reach_the_extractor() {
    let articles = |name: &str, bytes: &[u8]| targets::read_and_extract(name, bytes);
    let corpus = root().join("fuzz/corpus");
    let read = |p: &str| std::fs::read(corpus.join(p)).expect("seed file");
    assert_eq!(articles("x.txt", &read("text/article-txt")[1..]), 1);
    assert_eq!(articles("x.md", &read("text/article-md")[1..]), 1);
    assert_eq!(articles("x.html", &read("html/forms-page.html")), 1);
    assert_eq!(articles("x.jsonl", &read("jsonl/articles.jsonl")), 2);
    assert_eq!(articles("x.warc", &read("warc/pages.warc")), 2);
    assert!(articles("x.warc", &read("warc/encodings.warc")) >= 2);
    assert_eq!(articles("x.html.gz", &read("gzip/page-html-gz")[1..]), 1);
    assert_eq!(
        articles("x.jsonl.gz", &read("gzip/articles-jsonl-gz")[1..]),
        2
    );
    assert_eq!(articles("x.warc.gz", &read("gzip/pages-warc-gz")[1..]), 2);
}
