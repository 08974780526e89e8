//! The `newstrace` command: parses flags, wires the library's stages together and writes the
//! contract's outputs. It holds no engine logic.

mod contract;
mod eval;
mod eval_changes;
mod eval_stories;
mod html;
mod index_cmd;
mod report;
mod serve;
mod summary;
mod synthetic;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};

use newstrace::read::{Limits, Skipped};
use newstrace::{Article, Config};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Trace news articles: which report the same story, who wrote first, who copied, rewrote
/// or machine-spun whom, and which passages were taken.
#[derive(Parser)]
#[command(name = "newstrace", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract, group into stories, find reuse and lineage; print a summary.
    ///
    /// PATHs are files (.txt, .md, .html, .htm, .jsonl, .warc, optionally .gz), directories
    /// (read recursively in sorted order) or `-` for JSONL on stdin.
    Analyze {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write the result as JSON to FILE (`-` for stdout instead of the summary).
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Write a self-contained HTML report to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitFlags,
    },
    /// Align two articles and say whether one took text from the other.
    Compare {
        a: PathBuf,
        b: PathBuf,
        /// Print JSON instead of the side-by-side view.
        #[arg(long)]
        json: bool,
    },
    /// Extract articles only: title, date, outlet, credits and clean text.
    Extract {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// One JSON document per line instead of the human view.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitFlags,
    },
    /// The persistent store: add articles, query new ones against it, show its counts.
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
    /// A local web app over the store: stories, lineage graphs, side-by-side passages, word
    /// and outlet search, and a box to paste or upload an article and trace it. JSON API
    /// under /api/ (see the README). Read-only; binds to loopback unless told otherwise.
    Serve {
        #[command(flatten)]
        store: StoreFlags,
        /// Address to listen on (port 0: any free port; the chosen one is printed).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
        /// Largest request body (a pasted or uploaded article) in MiB; larger ones get 413.
        #[arg(long, value_name = "MIB", default_value_t = 5)]
        max_body_mb: usize,
        /// Connections to the store, each serving one request at a time.
        #[arg(long, value_name = "N", default_value_t = 4)]
        connections: usize,
    },
    /// Score the engine on the labelled development data (stories, reuse, extraction).
    Eval {
        /// The data folder (holds stories-ecbplus/, reuse-short-answers/, extraction/).
        #[arg(
            long,
            value_name = "DIR",
            env = "NEWSTRACE_DATA",
            default_value = "../shared/data"
        )]
        data: PathBuf,
        /// Also print story-grouping F1 over a range of thresholds.
        #[arg(long)]
        sweep: bool,
        /// Write the synthetic reuse test corpus (with its truth) as JSONL to FILE.
        #[arg(long, value_name = "FILE")]
        synthetic_out: Option<PathBuf>,
    },
}

/// Where the store is and what memory it may use: shared by every `index` command.
#[derive(clap::Args)]
struct StoreFlags {
    /// The store: a SQLite file (created if absent) or a PostgreSQL URL
    /// (`postgres://user@host/db`).
    #[arg(
        long,
        value_name = "PATH",
        env = "NEWSTRACE_DB",
        default_value = "newstrace.db"
    )]
    db: String,
    /// Memory budget in MiB: half for the in-memory anchor index of this run, a quarter for
    /// the store's page cache; the rest of the memory use is per batch.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    memory: usize,
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Store articles, their fingerprints, stories and reuse (incremental; an id already
    /// stored is replaced; an unchanged one is left alone).
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        store: StoreFlags,
        /// Articles per committed batch: what a crash can lose at most.
        #[arg(long, value_name = "N", default_value_t = 5000)]
        batch: usize,
        #[command(flatten)]
        limits: LimitFlags,
    },
    /// For each input article, the stored articles it took text from and those that took
    /// text from it.
    Query {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        store: StoreFlags,
        /// One JSON line per input article: `{"id": …, "reuse": […]}`.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitFlags,
    },
    /// Article, story and reuse counts and the store's size.
    Stats {
        #[command(flatten)]
        store: StoreFlags,
        /// One JSON object instead of the line.
        #[arg(long)]
        json: bool,
    },
}

/// How large a document may be: shared by every command that reads articles.
#[derive(clap::Args)]
struct LimitFlags {
    /// Skip, with a warning, a document larger than MB MiB after decompression (a file, a
    /// JSONL line, a WARC record).
    #[arg(
        long = "max-doc-mb",
        value_name = "MB",
        default_value_t = Limits::DEFAULT_DOC_MB,
        value_parser = clap::value_parser!(u64).range(1..=1 << 20)
    )]
    max_doc_mb: u64,
}

impl LimitFlags {
    fn limits(&self) -> Limits {
        Limits::with_max_doc_mb(self.max_doc_mb)
    }
}

fn store_args(f: StoreFlags) -> index_cmd::StoreArgs {
    index_cmd::StoreArgs {
        db: f.db,
        memory_mib: f.memory.max(16),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: print and succeed.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // The contract: a bad invocation is one line on stderr and exit 1.
            let rendered = e.to_string();
            let first: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty() && !l.starts_with("Usage:"))
                .collect();
            let message = first.join(" ");
            let message = message.trim_start_matches("error: ");
            eprintln!("error: {message} (see `newstrace --help`)");
            return ExitCode::from(1);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        // Stopped by a signal after storing what it had: the shell's convention, 128 + 2.
        Err(e) if e.downcast_ref::<index_cmd::Interrupted>().is_some() => ExitCode::from(130),
        Err(e) => {
            // One line: the chain of causes, joined.
            let msg = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let cfg = Config::default();
    match cli.command {
        Command::Analyze {
            paths,
            json,
            html,
            limits,
        } => {
            let cfg = Config {
                limits: limits.limits(),
                ..cfg
            };
            let (articles, skipped) = load_checked(&paths, &cfg)?;
            let analysis = newstrace::analyze(articles, skipped, &cfg);
            let result = contract::AnalyzeResult::of(&analysis);
            let json_to_stdout = json.as_deref() == Some(Path::new("-"));
            if let Some(path) = &json {
                let text = serde_json::to_string_pretty(&result)?;
                write_out(path, &text)?;
            }
            if let Some(path) = &html {
                write_out(path, &report::render(&analysis))?;
            }
            if !json_to_stdout {
                let mut out = std::io::stdout().lock();
                summary::write(&mut out, &analysis)?;
            }
        }
        Command::Compare { a, b, json } => {
            let first = load_one(&a, &cfg)?;
            let second = load_one(&b, &cfg)?;
            let (alignment, reuse) = newstrace::pipeline::compare_aligned(&first, &second, &cfg);
            let pair = [first, second];
            if json {
                let result = contract::CompareResult {
                    a: contract::Document::of(&pair[0]),
                    b: contract::Document::of(&pair[1]),
                    reuse: reuse
                        .iter()
                        .map(|r| contract::ReuseEntry::of(r, &pair))
                        .collect(),
                };
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
            } else {
                let mut out = std::io::stdout().lock();
                summary::write_compare(&mut out, &pair, reuse.as_ref(), &alignment)?;
            }
        }
        Command::Extract {
            paths,
            json,
            limits,
        } => {
            let cfg = Config {
                limits: limits.limits(),
                ..cfg
            };
            let (articles, _) = load_checked(&paths, &cfg)?;
            let mut out = std::io::stdout().lock();
            for a in &articles {
                if json {
                    let mut d = contract::Document::of(a);
                    d.source_path = Some(&a.source_path);
                    writeln!(out, "{}", serde_json::to_string(&d)?)?;
                } else {
                    summary::write_extracted(&mut out, a)?;
                }
            }
        }
        Command::Serve {
            store,
            addr,
            max_body_mb,
            connections,
        } => serve::serve(
            &store_args(store),
            &serve::ServeArgs {
                addr,
                max_body_mb,
                connections,
            },
        )?,
        Command::Index { command } => match command {
            IndexCommand::Add {
                paths,
                store,
                batch,
                limits,
            } => index_cmd::add(&paths, &store_args(store), batch, limits.limits())?,
            IndexCommand::Query {
                paths,
                store,
                json,
                limits,
            } => index_cmd::query(&paths, &store_args(store), json, limits.limits())?,
            IndexCommand::Stats { store, json } => index_cmd::stats(&store_args(store), json)?,
        },
        Command::Eval {
            data,
            sweep,
            synthetic_out,
        } => eval::run(&data, sweep, synthetic_out.as_deref(), &cfg)?,
    }
    Ok(())
}

/// Loads articles, printing a warning per skipped document. Fails when a path does not exist
/// or when nothing at all could be read.
fn load_checked(paths: &[PathBuf], cfg: &Config) -> Result<(Vec<Article>, Vec<Skipped>)> {
    for p in paths {
        if p.as_os_str() != "-" && !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let (articles, skipped) = newstrace::load(paths, cfg.limits);
    for s in &skipped {
        eprintln!("warning: skipped {s}");
    }
    if articles.is_empty() {
        return Err(no_article(paths, skipped.len()));
    }
    Ok((articles, skipped))
}

/// The error of a run whose inputs held no readable article.
fn no_article(paths: &[PathBuf], skipped: usize) -> anyhow::Error {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    anyhow::anyhow!(
        "no readable article in {} ({skipped} skipped)",
        names.join(", ")
    )
}

/// Loads exactly one article from a path.
fn load_one(path: &Path, cfg: &Config) -> Result<Article> {
    let (mut articles, _) = load_checked(&[path.to_path_buf()], cfg)?;
    if articles.len() > 1 {
        bail!(
            "{}: holds {} articles; compare takes one article per argument",
            path.display(),
            articles.len()
        );
    }
    Ok(articles.remove(0))
}

fn write_out(path: &Path, text: &str) -> Result<()> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
