//! `newstrace index add|query|stats`: the persistent store at the command line.

use crate::contract;
use anyhow::{bail, Context, Result};
use newstrace::index::{self, IndexConfig, Indexer, Searcher, Store};
use newstrace::read::{read_paths, Limits, RawDoc};
use newstrace::Article;
use rayon::prelude::*;
use signal_hook::consts::{SIGINT, SIGTERM};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Where the store is, and how much memory it may use.
pub struct StoreArgs {
    pub db: String,
    pub memory_mib: usize,
}

pub fn open(args: &StoreArgs) -> Result<Box<dyn Store>> {
    // A quarter of the budget is SQLite's page cache.
    index::open(&args.db, args.memory_mib << 18)
}

pub fn config(args: &StoreArgs, batch: usize) -> IndexConfig {
    IndexConfig {
        batch: batch.max(1),
        memory_budget: (args.memory_mib << 20) / 2,
        ..IndexConfig::default()
    }
}

/// Refuses a SQLite store that does not exist (reading must not create an empty one).
pub fn check_store(args: &StoreArgs) -> Result<()> {
    if !args.db.contains("://") && !Path::new(&args.db).exists() {
        bail!(
            "{}: no such store (create one with `newstrace index add`)",
            args.db
        );
    }
    Ok(())
}

fn check_paths(paths: &[PathBuf]) -> Result<()> {
    for p in paths {
        if p.as_os_str() != "-" && !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(())
}

/// Documents in the inputs, where cheap to tell (a file is one, a JSONL file one a line):
/// the progress bar's length. `None` for standard input and WARC files.
fn count_documents(paths: &[PathBuf]) -> Option<u64> {
    fn walk(p: &Path, total: &mut u64) -> Option<()> {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for e in entries {
                walk(&e, total)?;
            }
            return Some(());
        }
        let name = p.file_name()?.to_string_lossy().to_lowercase();
        if name.ends_with(".jsonl") {
            // Streamed: a file of millions of articles is not held to count its lines.
            use std::io::BufRead;
            let file = std::io::BufReader::new(std::fs::File::open(p).ok()?);
            *total += file
                .split(b'\n')
                .filter(|l| l.as_ref().is_ok_and(|l| !l.is_empty()))
                .count() as u64;
        } else if name.contains(".warc") || name.ends_with(".jsonl.gz") {
            return None;
        } else if newstrace::read::form_of(p).is_some() {
            *total += 1;
        }
        Some(())
    }
    let mut total = 0;
    for p in paths {
        if p.as_os_str() == "-" {
            return None;
        }
        walk(p, &mut total)?;
    }
    Some(total)
}

/// Progress on stderr: a bar with articles/s and ETA on a terminal, a line per batch
/// otherwise: `stored: N articles`, N being those safe in the store (committed, or found
/// stored unchanged), the record a crash cannot take back.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
}

impl Progress {
    fn new(total: Option<u64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let style = indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} articles  {rate} articles/s  ETA {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", s.per_sec());
                },
            );
            let bar = indicatif::ProgressBar::new(total.unwrap_or(0)).with_style(style);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
        }
    }

    fn committed(&self, done: u64, report: &index::AddReport) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(done);
                bar.set_message(format!("{} reuse", report.reuse));
            }
            None => {
                let secs = self.start.elapsed().as_secs_f64().max(1e-9);
                eprintln!("stored: {done} articles ({:.0}/s)", done as f64 / secs);
            }
        }
    }

    fn warn(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

/// Totals of an `index add` run.
#[derive(Default)]
struct Totals {
    read: u64,
    report: index::AddReport,
    skipped: u64,
}

/// `index add` stopped by SIGINT or SIGTERM after storing what it had read: exit status 130.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// Holds a SQLite store for this process's `index add`: a second `index add` on the same
/// file waits for the first to finish (two writers would each miss the other's articles as
/// candidates). A lock on the store file itself (`flock`, which SQLite's own locks ignore),
/// released by the system when the process ends, however it ends.
fn writer_lock(args: &StoreArgs) -> Result<Option<std::fs::File>> {
    if args.db.contains("://") {
        // PostgreSQL: many writers by design.
        return Ok(None);
    }
    let Ok(file) = std::fs::File::open(&args.db) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting: another `newstrace index add` is writing to {}",
                args.db
            );
            file.lock()
                .with_context(|| format!("cannot lock store {}", args.db))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock store {}", args.db))
        }
    }
    Ok(Some(file))
}

/// The most page text a batch holds before it is stored, whatever `--batch` says.
const BATCH_BYTES: usize = 256 << 20;

fn raw_bytes(raw: &RawDoc) -> usize {
    match &raw.body {
        newstrace::read::Body::Text(t) | newstrace::read::Body::Html(t) => t.len(),
    }
}

pub fn add(paths: &[PathBuf], args: &StoreArgs, batch: usize, limits: Limits) -> Result<()> {
    check_paths(paths)?;
    let cfg = config(args, batch);
    let mut store = open(args)?;
    let _lock = writer_lock(args)?;
    // SIGINT or SIGTERM: stop reading, store the batch in hand, report, exit 130. A second
    // one ends the process at once (what is committed is safe either way).
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // A second connection commits each batch while the next one is prepared.
    let writer = open(args)?;
    let mut indexer = Indexer::new(store.as_mut(), cfg)?.with_writer(writer);
    let progress = Progress::new(count_documents(paths));
    let start = Instant::now();
    let mut totals = Totals::default();
    let mut pending: Vec<RawDoc> = Vec::new();
    let mut failure: Option<anyhow::Error> = None;

    let flush =
        |pending: &mut Vec<RawDoc>, totals: &mut Totals, indexer: &mut Indexer| -> Result<()> {
            let raws = std::mem::take(pending);
            let extracted: Vec<_> = raws
                .into_par_iter()
                .map(newstrace::extract::extract)
                .collect();
            let mut articles: Vec<Article> = Vec::with_capacity(extracted.len());
            for e in extracted {
                match e {
                    Ok(a) => articles.push(a),
                    Err(s) => {
                        totals.skipped += 1;
                        progress.warn(&format!("warning: skipped {s}"));
                    }
                }
            }
            let r = indexer.add(articles)?;
            totals.report.added += r.added;
            totals.report.replaced += r.replaced;
            totals.report.unchanged += r.unchanged;
            totals.report.reuse += r.reuse;
            totals.report.stories += r.stories;
            // Safe in the store: committed, or found stored unchanged.
            let safe = indexer.committed()? + totals.report.unchanged as u64;
            progress.committed(safe, &totals.report);
            Ok(())
        };

    // Reading runs ahead on its own thread, so that a stop does not wait for the rest of
    // the input to be read.
    // Memory holds the pages of a batch (at most `BATCH_BYTES` of them) and a few read ahead.
    let (tx, rx) = std::sync::mpsc::sync_channel(16);
    let reading = paths.to_vec();
    std::thread::spawn(move || {
        read_paths(&reading, limits, &mut |item| {
            let _ = tx.send(item);
        })
    });
    let mut interrupted = false;
    let mut pending_bytes = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            interrupted = true;
            break;
        }
        let item = match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(item) => item,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        match item {
            Ok(raw) => {
                totals.read += 1;
                pending_bytes += raw_bytes(&raw);
                pending.push(raw);
                if pending.len() >= cfg.batch || pending_bytes >= BATCH_BYTES {
                    pending_bytes = 0;
                    if let Err(e) = flush(&mut pending, &mut totals, &mut indexer) {
                        failure = Some(e);
                        break;
                    }
                }
            }
            Err(s) => {
                totals.read += 1;
                totals.skipped += 1;
                progress.warn(&format!("warning: skipped {s}"));
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if !pending.is_empty() {
        flush(&mut pending, &mut totals, &mut indexer)?;
    }
    let committed = indexer.finish()?;
    progress.committed(committed + totals.report.unchanged as u64, &totals.report);
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let secs = start.elapsed().as_secs_f64();
    let r = &totals.report;
    let stats = store.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "added {} articles ({} replacing stored ones), {} unchanged, {} skipped; {} reuse entries, {} new stories; {:.1} s ({:.0} articles/s)",
        r.added,
        r.replaced,
        r.unchanged,
        totals.skipped,
        r.reuse,
        r.stories,
        secs,
        (r.added + r.unchanged) as f64 / secs.max(1e-9)
    )?;
    write_stats(&mut out, &args.db, &stats)?;
    if interrupted {
        drop(out);
        eprintln!(
            "interrupted: stored the {} articles read before the signal ({} stored in all); run the same command again to add the rest",
            totals.read - totals.skipped,
            stats.articles
        );
        return Err(Interrupted.into());
    }
    if r.added + r.unchanged == 0 {
        return Err(crate::no_article(paths, totals.skipped as usize));
    }
    Ok(())
}

fn write_stats(out: &mut impl Write, db: &str, s: &index::StoreStats) -> Result<()> {
    writeln!(
        out,
        "store {db}: {} articles, {} stories, {} reuse entries, {:.1} MiB",
        s.articles,
        s.stories,
        s.reuse,
        s.bytes as f64 / (1 << 20) as f64
    )?;
    Ok(())
}

pub fn stats(args: &StoreArgs, json: bool) -> Result<()> {
    check_store(args)?;
    let mut store = open(args)?;
    let s = store.stats()?;
    let mut out = std::io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "articles": s.articles, "stories": s.stories, "reuse": s.reuse, "bytes": s.bytes
        });
        writeln!(out, "{v}")?;
    } else {
        write_stats(&mut out, &args.db, &s)?;
    }
    Ok(())
}

pub fn query(paths: &[PathBuf], args: &StoreArgs, json: bool, limits: Limits) -> Result<()> {
    check_paths(paths)?;
    check_store(args)?;
    let (articles, skipped) = newstrace::load(paths, limits);
    for s in &skipped {
        eprintln!("warning: skipped {s}");
    }
    if articles.is_empty() {
        bail!("no readable article to query ({} skipped)", skipped.len());
    }
    let mut store = open(args)?;
    let mut searcher = Searcher::new(store.as_mut(), config(args, 1))?;
    let mut out = std::io::stdout().lock();
    for a in &articles {
        let found = searcher
            .search(a)
            .with_context(|| format!("querying {}", a.id))?;
        if json {
            let reuse: Vec<contract::ReuseEntry> = found
                .reuse
                .iter()
                .map(|r| contract::ReuseEntry::of(r, &found.articles))
                .collect();
            let line = serde_json::json!({ "id": a.id.0, "reuse": reuse });
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{}", a.id)?;
            if found.reuse.is_empty() {
                writeln!(out, "  no stored article shares text with it")?;
            }
            for r in &found.reuse {
                let (verb, other, cov) = if r.derived == 0 {
                    ("took from", &found.articles[r.source], r.derived_coverage)
                } else {
                    (
                        "was taken by",
                        &found.articles[r.derived],
                        r.source_coverage,
                    )
                };
                let n = r.passages.len();
                writeln!(
                    out,
                    "  {verb} {} ({}, {:.0}% of this text, {n} passage{})",
                    other.id,
                    r.relation.as_str(),
                    cov * 100.0,
                    if n == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(())
}
