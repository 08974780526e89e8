//! Stage 1, **read**: turn paths (files, directories, `-` for stdin) into [`RawDoc`]s.
//!
//! One file per input form: [`text`] (`.txt`, `.md`), [`jsonl`], [`warc`]; HTML files are
//! read whole here. Gzip (`.gz`) and charset detection are shared by all forms.
//!
//! Invariant: reading never aborts a run. Every document that cannot be read becomes a
//! [`Skipped`] that names it and says why; the other documents go on.
//! Not for: extracting article text from HTML (that is [`crate::extract`]).

pub mod gzip;
pub mod jsonl;
pub mod text;
pub mod warc;

use crate::article::DocId;
use chrono::{DateTime, Utc};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A document as read, before extraction: its body is plain text or a whole HTML page.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    pub id: DocId,
    pub source_path: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub fetched: Option<DateTime<Utc>>,
    pub body: Body,
}

impl RawDoc {
    fn new(id: DocId, source_path: String, body: Body) -> Self {
        RawDoc {
            id,
            source_path,
            url: None,
            title: None,
            outlet: None,
            published: None,
            fetched: None,
            body,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Text(String),
    Html(String),
}

/// A document (or whole file) that was not read, and why: printed as one warning line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, `file:line` or `file#record` that failed.
    pub source: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// Limits that keep one hostile input from taking the run down. Each is a rule a warning
/// names when it skips a document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest document (after decompression) read, in bytes: a file, a JSONL line, a WARC
    /// record. `--max-doc-mb` at the command line.
    pub max_doc_bytes: u64,
}

impl Limits {
    /// The default document limit, in MiB.
    pub const DEFAULT_DOC_MB: u64 = 20;
    /// A gzip stream may expand at most this many times over any window of its output:
    /// text compresses 3 to 10 times, a bomb about 1,000.
    pub const GZIP_RATIO: u64 = 200;
    /// The output over which the gzip ratio is measured (and so the most a bomb produces).
    pub const GZIP_WINDOW: u64 = 4 << 20;
    /// Longest header block of a WARC record.
    pub const MAX_WARC_HEADER: u64 = 64 << 10;

    /// Limits with a document limit of `mb` MiB.
    pub fn with_max_doc_mb(mb: u64) -> Self {
        Limits {
            max_doc_bytes: mb.saturating_mul(1 << 20),
        }
    }

    /// The document limit as a warning names it: "the document limit of 20 MB (--max-doc-mb)".
    pub fn doc_rule(&self) -> String {
        let b = self.max_doc_bytes;
        if b >= 1 << 20 && b & ((1 << 20) - 1) == 0 {
            format!("the document limit of {} MB (--max-doc-mb)", b >> 20)
        } else {
            format!("the document limit of {b} bytes (--max-doc-mb)")
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::with_max_doc_mb(Limits::DEFAULT_DOC_MB)
    }
}

/// What a reader hands on: a document, or the reason one was skipped.
pub type ReadItem = Result<RawDoc, Skipped>;

/// The input forms the reader knows, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Text,
    Html,
    Jsonl,
    Warc,
}

/// The form and whether it is gzipped, from a file name; `None` for anything else.
pub fn form_of(path: &Path) -> Option<(Form, bool)> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name, false),
    };
    let ext = Path::new(&stem)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let form = match ext.as_str() {
        "txt" | "md" if !gz => Form::Text,
        "html" | "htm" => Form::Html,
        "jsonl" => Form::Jsonl,
        "warc" => Form::Warc,
        _ => return None,
    };
    Some((form, gz))
}

/// Reads every path in order, handing each document (or skip) to `sink` as soon as it is read.
/// Directories are walked recursively in sorted order; `-` reads JSONL from stdin.
pub fn read_paths(paths: &[PathBuf], limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    for arg in paths {
        if arg.as_os_str() == "-" {
            let stdin = std::io::stdin();
            jsonl::read_jsonl(stdin.lock(), "stdin", limits, sink);
            continue;
        }
        match std::fs::metadata(arg) {
            Err(e) => sink(Err(Skipped {
                source: arg.display().to_string(),
                reason: io_reason(&e),
            })),
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                walk(arg, &mut files, sink);
                for file in files {
                    if form_of(&file).is_some() {
                        read_file(arg, &file, limits, sink);
                    }
                }
            }
            Ok(_) => {
                let base = arg.parent().unwrap_or(Path::new(""));
                read_file(base, arg, limits, sink)
            }
        }
    }
}

/// Collects the files under `dir`, sorted by path, skipping hidden entries.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, sink: &mut dyn FnMut(ReadItem)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            sink(Err(Skipped {
                source: dir.display().to_string(),
                reason: io_reason(&e),
            }));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    for p in paths {
        // Symbolic links to directories are not followed: a link back up would loop.
        let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if p.is_dir() {
            if !is_link {
                walk(&p, out, sink);
            }
        } else {
            out.push(p);
        }
    }
}

/// The id of a file-based document: its path relative to `base`, without extensions, with `/`.
pub fn file_id(base: &Path, file: &Path) -> DocId {
    let rel = file.strip_prefix(base).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        let mut name = last.clone();
        if let Some(s) = name.strip_suffix(".gz") {
            name = s.to_string();
        }
        if let Some(dot) = name.rfind('.') {
            if dot > 0 {
                name.truncate(dot);
            }
        }
        *last = name;
    }
    DocId(parts.join("/"))
}

/// The name a file is reported under: relative to `base` where it can be.
fn display_name(base: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(base).unwrap_or(file);
    rel.to_string_lossy().replace('\\', "/")
}

fn read_file(base: &Path, file: &Path, limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    let shown = file.display().to_string();
    let Some((form, gz)) = form_of(file) else {
        sink(Err(Skipped {
            source: shown,
            reason: "unsupported file type (expected .txt, .md, .html, .htm, .jsonl, .warc, optionally .gz)".into(),
        }));
        return;
    };
    let opened = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) => {
            sink(Err(Skipped {
                source: shown,
                reason: io_reason(&e),
            }));
            return;
        }
    };
    let id = file_id(base, file);
    read_form(
        (form, gz),
        Box::new(opened),
        Source {
            id,
            shown: &shown,
            name: &display_name(base, file),
        },
        limits,
        sink,
    );
}

/// Reads a document (or a JSONL or WARC file of them) that arrived as bytes under a file
/// name, as from an upload: the name's extension says the form, as for files on disk.
pub fn read_named(name: &str, bytes: &[u8], limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    let Some(form) = form_of(Path::new(name)) else {
        sink(Err(Skipped {
            source: name.to_string(),
            reason: "unsupported file type (expected .txt, .md, .html, .htm, .jsonl, .warc, optionally .gz)".into(),
        }));
        return;
    };
    let id = file_id(Path::new(""), Path::new(name));
    let source = Source {
        id,
        shown: name,
        name,
    };
    read_form(form, Box::new(bytes), source, limits, sink);
}

/// Where a document came from: the id a single-document file gives it, and its names.
struct Source<'a> {
    id: DocId,
    /// The name warnings and `source_path` show.
    shown: &'a str,
    /// The name JSONL line ids are made from (`name:line`).
    name: &'a str,
}

fn read_form(
    (form, gz): (Form, bool),
    opened: Box<dyn Read + '_>,
    source: Source<'_>,
    limits: Limits,
    sink: &mut dyn FnMut(ReadItem),
) {
    let shown = source.shown.to_string();
    let reader: Box<dyn Read + '_> = if gz {
        Box::new(gzip::GuardedGz::new(std::io::BufReader::new(opened)))
    } else {
        opened
    };
    match form {
        Form::Jsonl => {
            jsonl::read_jsonl(std::io::BufReader::new(reader), source.name, limits, sink)
        }
        Form::Warc => warc::read_warc(std::io::BufReader::new(reader), &shown, limits, sink),
        Form::Text | Form::Html => {
            let bytes = match read_limited(reader, limits.max_doc_bytes) {
                Ok(b) => b,
                Err(reason) => {
                    let reason = if reason != LIMIT_EXCEEDED {
                        reason
                    } else if gz {
                        format!("decompresses to more than {}", limits.doc_rule())
                    } else {
                        format!("larger than {}", limits.doc_rule())
                    };
                    sink(Err(Skipped {
                        source: shown,
                        reason,
                    }));
                    return;
                }
            };
            let id = source.id;
            let item = if form == Form::Text {
                text::parse_text(&bytes, id, &shown)
            } else {
                decode(&bytes, sniff_html_charset(&bytes))
                    .map(|html| RawDoc::new(id, shown.clone(), Body::Html(html)))
                    .map_err(|reason| Skipped {
                        source: shown,
                        reason,
                    })
            };
            sink(item);
        }
    }
}

/// What [`read_limited`] says of input over its limit; callers name their rule instead.
pub(crate) const LIMIT_EXCEEDED: &str = "larger than the document limit";

/// Reads all of `r`, refusing more than `max` bytes (nothing past `max + 1` is read or held);
/// errors are worded for a warning line.
pub fn read_limited(r: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let mut limited = r.take(max.saturating_add(1));
    limited.read_to_end(&mut buf).map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > max {
        return Err(LIMIT_EXCEEDED.into());
    }
    Ok(buf)
}

/// One-line wording of an I/O error, including gzip's own.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => "truncated input (unexpected end of file)".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("corrupt data: {e}")
        }
        _ => e.to_string(),
    }
}

/// Decodes bytes to text: UTF-8 (BOM stripped), else the declared charset, else a detected one.
/// Binary data and empty input are refused.
pub fn decode(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<String, String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty document".into());
    }
    if looks_binary(bytes) {
        return Err("not text (binary data)".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let encoding = declared.unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(format!("not valid text in {} or UTF-8", encoding.name()));
    }
    Ok(text.into_owned())
}

/// Whether bytes are not text: a NUL or many control characters in the first 8 KiB (a
/// PNG, a zip, random bytes), or many control characters over the whole (text with a binary
/// tail). Text has almost none besides tab, line breaks and form feed.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0) || too_many_controls(head) || too_many_controls(bytes)
}

fn too_many_controls(bytes: &[u8]) -> bool {
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 20 > bytes.len()
}

/// The charset an HTML page declares in its first 2 KiB (`<meta charset>` or http-equiv).
pub fn sniff_html_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")?;
    let rest = head[at + 8..].trim_start_matches(['"', '\'', ' ']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Parses a date as RFC 3339, `YYYY-MM-DD`, or a few common variants, in UTC.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.and_utc());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let day = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_by_name() {
        assert_eq!(form_of(Path::new("a/b.txt")), Some((Form::Text, false)));
        assert_eq!(form_of(Path::new("b.HTML.gz")), Some((Form::Html, true)));
        assert_eq!(form_of(Path::new("x.warc.gz")), Some((Form::Warc, true)));
        assert_eq!(form_of(Path::new("x.jsonl")), Some((Form::Jsonl, false)));
        assert_eq!(form_of(Path::new("x.json")), None);
        assert_eq!(form_of(Path::new("x.txt.gz")), None);
    }

    #[test]
    fn ids_are_relative_without_extensions() {
        let id = file_id(Path::new("corpus"), Path::new("corpus/quake/a.html.gz"));
        assert_eq!(id.0, "quake/a");
        assert_eq!(file_id(Path::new(""), Path::new("001_x.txt")).0, "001_x");
    }

    #[test]
    fn decodes_latin1_and_refuses_binary() {
        let latin1 = b"Le pr\xe9sident a d\xe9clar\xe9 que la r\xe9forme \xe9tait n\xe9cessaire.";
        assert!(decode(latin1, None).unwrap().contains("président"));
        assert!(decode(b"\x00\x01\x02binary", None).is_err());
        assert!(decode(b"  \n", None).is_err());
    }

    #[test]
    fn dates() {
        assert!(parse_date("2017-11-13").is_some());
        assert!(parse_date("2017-11-13T10:00:00+02:00").is_some());
        assert!(parse_date("2017-11-13T10:00:00Z").is_some());
        assert!(parse_date("yesterday").is_none());
    }
}
