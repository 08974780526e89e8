//! `.warc` and `.warc.gz` archives: every `response` record with an HTML body is a page.
//! The record's target URI is the page's URL and id; its WARC-Date is the fetch time.
//!
//! Records are parsed here (a version line, header fields, a blank line, `Content-Length`
//! bytes of block, then `\r\n\r\n`), streaming, so that a hostile file costs bounded memory:
//! a header block is at most [`Limits::MAX_WARC_HEADER`], a block over the document limit is
//! skipped without being held, and a record whose `Content-Length` lies (its block is not
//! followed by the record end) is skipped with a warning while reading goes on at the next
//! line that starts a record (`WARC/1.0`), whether that line lies inside the block the length
//! claimed or after it.

use super::{decode, sniff_html_charset, Body, Limits, RawDoc, ReadItem, Skipped};
use crate::article::DocId;
use std::collections::HashMap;
use std::io::{self, BufRead, Read};

/// Reads every record of a WARC stream (already decompressed) and hands on its HTML pages.
pub fn read_warc(r: impl BufRead, name: &str, limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    let mut input = Input {
        front: Vec::new(),
        at: 0,
        inner: r,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut n = 0usize;
    loop {
        let header = match read_header(&mut input) {
            Ok(None) => return,
            Ok(Some(h)) => h,
            Err(Broken::Io(e)) => {
                // A read error (corrupt or truncated gzip, a gzip bomb) ends the file.
                sink(Err(Skipped {
                    source: format!("{name}#{}", n + 1),
                    reason: super::io_reason(&e),
                }));
                return;
            }
            Err(Broken::NotWarc(reason)) if n == 0 => {
                // Not a WARC file at all: one warning for the whole file.
                sink(Err(Skipped {
                    source: name.to_string(),
                    reason: format!("not a WARC file ({reason})"),
                }));
                return;
            }
            Err(Broken::Format(reason) | Broken::NotWarc(reason)) => {
                n += 1;
                sink(Err(Skipped {
                    source: format!("{name}#{n}"),
                    reason: format!(
                        "corrupt WARC record: {reason}; reading goes on at the next record"
                    ),
                }));
                if let Err(e) = skip_to_record(&mut input, false) {
                    sink(Err(Skipped {
                        source: format!("{name}#{n}"),
                        reason: super::io_reason(&e),
                    }));
                    return;
                }
                continue;
            }
        };
        n += 1;
        let url = header
            .field("warc-target-uri")
            .map(|u| {
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|u| !u.is_empty());
        let at = match &url {
            Some(u) => format!("{name}#{n} ({u})"),
            None => format!("{name}#{n}"),
        };
        let length = header.content_length;
        let is_response = header
            .field("warc-type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("response"));
        let block = if length > limits.max_doc_bytes {
            match skip_block(&mut input, length) {
                Ok(End::Clean) if is_response => {
                    sink(Err(Skipped {
                        source: at,
                        reason: format!("record larger than {}", limits.doc_rule()),
                    }));
                    continue;
                }
                Ok(End::Clean) => continue,
                Ok(end) => {
                    sink(Err(Skipped {
                        source: at,
                        reason: lie(length, end),
                    }));
                    if end == End::Eof {
                        return;
                    }
                    match skip_to_record(&mut input, true) {
                        Ok(()) => continue,
                        Err(e) => {
                            sink(Err(Skipped {
                                source: format!("{name}#{n}"),
                                reason: super::io_reason(&e),
                            }));
                            return;
                        }
                    }
                }
                Err(e) => {
                    sink(Err(Skipped {
                        source: at,
                        reason: super::io_reason(&e),
                    }));
                    return;
                }
            }
        } else {
            let mut block = Vec::new();
            if let Err(e) = (&mut input).take(length).read_to_end(&mut block) {
                sink(Err(Skipped {
                    source: at,
                    reason: super::io_reason(&e),
                }));
                return;
            }
            let end = if (block.len() as u64) < length {
                End::Eof
            } else {
                match record_end(&mut input) {
                    Ok(end) => end,
                    Err(e) => {
                        sink(Err(Skipped {
                            source: at,
                            reason: super::io_reason(&e),
                        }));
                        return;
                    }
                }
            };
            if end != End::Clean {
                sink(Err(Skipped {
                    source: at,
                    reason: lie(length, end),
                }));
                // The next record may start inside the block the length claimed (the length
                // is too long) or after it (too short).
                if let Some(p) = record_start_in(&block) {
                    input.push_front(&block[p..]);
                    continue;
                }
                if end == End::Eof {
                    return;
                }
                match skip_to_record(&mut input, true) {
                    Ok(()) => continue,
                    Err(e) => {
                        sink(Err(Skipped {
                            source: format!("{name}#{n}"),
                            reason: super::io_reason(&e),
                        }));
                        return;
                    }
                }
            }
            block
        };
        if !is_response {
            continue;
        }
        let fetched = header.field("warc-date").and_then(super::parse_date);
        match http_html_body(&block, limits) {
            Ok(Some((html_bytes, charset))) => {
                let html = match decode(
                    &html_bytes,
                    charset.or_else(|| sniff_html_charset(&html_bytes)),
                ) {
                    Ok(h) => h,
                    Err(reason) => {
                        sink(Err(Skipped { source: at, reason }));
                        continue;
                    }
                };
                let base = url.clone().unwrap_or_else(|| format!("{name}#{n}"));
                let count = seen.entry(base.clone()).or_insert(0);
                *count += 1;
                let id = if *count == 1 {
                    base
                } else {
                    format!("{base}#{count}")
                };
                let mut doc = RawDoc::new(DocId(id), at, Body::Html(html));
                doc.url = url;
                doc.fetched = fetched;
                sink(Ok(doc));
            }
            Ok(None) => {} // not an HTML page (an image, a redirect): not an article
            Err(reason) => sink(Err(Skipped { source: at, reason })),
        }
    }
}

/// The reason a record whose `Content-Length` is not followed by the record end is skipped.
fn lie(length: u64, end: End) -> String {
    match end {
        End::Eof => format!(
            "WARC Content-Length ({length} bytes) runs past the end of the file (a length that \
             lies, or a truncated file)"
        ),
        _ => format!(
            "WARC Content-Length ({length} bytes) does not match the record (no record end after \
             it); reading goes on at the next record"
        ),
    }
}

/// A record's header block: its fields (names lower-cased) and its block's length.
struct Header {
    fields: Vec<(String, String)>,
    content_length: u64,
}

impl Header {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a header block could not be read.
enum Broken {
    /// The stream failed: nothing more can be read from it.
    Io(io::Error),
    /// The bytes are not a record header; the stream can be searched for the next one.
    Format(String),
    /// No version line where a record should start (in a file's first record: not a WARC).
    NotWarc(String),
}

/// Reads the next record's header block; `None` at the end of the stream.
fn read_header(input: &mut impl BufRead) -> Result<Option<Header>, Broken> {
    let budget = Limits::MAX_WARC_HEADER as usize;
    let mut line = Vec::new();
    let mut complete;
    // Blank lines between records are tolerated.
    loop {
        line.clear();
        complete = read_line(input, &mut line, budget).map_err(Broken::Io)?;
        if line.is_empty() {
            return Ok(None);
        }
        if !trim_eol(&line).is_empty() {
            break;
        }
    }
    if !is_version_line(&line) {
        let what = if super::looks_binary(&line) {
            "binary data, no WARC/1.0 version line"
        } else {
            "no WARC/1.0 version line"
        };
        if !complete {
            discard_line(input).map_err(Broken::Io)?;
        }
        return Err(Broken::NotWarc(what.into()));
    }
    let too_long = || Broken::Format(format!("a header block longer than {} KB", budget >> 10));
    if !complete {
        discard_line(input).map_err(Broken::Io)?;
        return Err(too_long());
    }
    let mut used = line.len();
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        if used >= budget {
            return Err(too_long());
        }
        line.clear();
        let complete = read_line(input, &mut line, budget - used).map_err(Broken::Io)?;
        used += line.len();
        if line.is_empty() {
            return Err(Broken::Format(
                "the file ends inside a record header".into(),
            ));
        }
        if !complete {
            discard_line(input).map_err(Broken::Io)?;
            return Err(too_long());
        }
        let text = String::from_utf8_lossy(trim_eol(&line)).into_owned();
        if text.is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            // A folded line continues the field before it.
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(text.trim());
            }
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(Broken::Format(format!(
                "a header line that is not a field: {:?}",
                text.chars().take(60).collect::<String>()
            )));
        };
        fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let content_length = fields
        .iter()
        .find(|(n, _)| n == "content-length")
        .ok_or_else(|| Broken::Format("no Content-Length".into()))?
        .1
        .parse::<u64>()
        .map_err(|_| Broken::Format("a Content-Length that is not a number".into()))?;
    Ok(Some(Header {
        fields,
        content_length,
    }))
}

/// `WARC/` and a version number.
fn is_version_line(line: &[u8]) -> bool {
    line.starts_with(b"WARC/") && line.get(5).is_some_and(u8::is_ascii_digit)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads one line (with its `\n`) into `out`, holding at most `max` bytes of it; `false` when
/// the line was longer (the rest of it is left unread). An empty `out` is the end of stream.
fn read_line(input: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> io::Result<bool> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(true);
        }
        let room = max.saturating_sub(out.len());
        let (take, done) = match chunk.iter().take(room).position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len().min(room), false),
        };
        out.extend_from_slice(&chunk[..take]);
        input.consume(take);
        if done {
            return Ok(true);
        }
        if out.len() >= max {
            return Ok(false);
        }
    }
}

/// How a record's block ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// With `\r\n\r\n` (or the end of the file).
    Clean,
    /// With something else: the length does not match the record.
    Mismatch,
    /// The file ended before the block did.
    Eof,
}

/// Reads the record end after a block.
fn record_end(input: &mut Input<impl BufRead>) -> io::Result<End> {
    let mut end = Vec::with_capacity(4);
    (&mut *input).take(4).read_to_end(&mut end)?;
    let clean = match end.as_slice() {
        b"\r\n\r\n" | b"" | b"\r\n" => true,
        // Line feeds alone, as some tools write.
        [b'\n', b'\n', rest @ ..] => {
            let rest = rest.to_vec();
            input.push_front(&rest);
            true
        }
        _ => false,
    };
    if clean {
        return Ok(End::Clean);
    }
    input.push_front(&end);
    Ok(End::Mismatch)
}

/// Skips a block too large to hold, without holding it, and reads the record end.
fn skip_block(input: &mut Input<impl BufRead>, length: u64) -> io::Result<End> {
    let skipped = io::copy(&mut (&mut *input).take(length), &mut io::sink())?;
    if skipped < length {
        return Ok(End::Eof);
    }
    record_end(input)
}

/// Where the first line that starts a record (`WARC/1.0`) begins in `bytes`, if anywhere.
fn record_start_in(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b'\n') {
        let p = from + i + 1;
        if is_version_line(&bytes[p..]) {
            return Some(p);
        }
        from = p;
    }
    None
}

/// Reads on to the next line that starts a record, leaving it unread; `mid_line` when the
/// stream is inside a line (which then cannot be a record's start).
fn skip_to_record(input: &mut Input<impl BufRead>, mid_line: bool) -> io::Result<()> {
    let mut line = Vec::new();
    if mid_line {
        discard_line(input)?;
    }
    loop {
        line.clear();
        let complete = read_line(input, &mut line, 64)?;
        if line.is_empty() {
            return Ok(());
        }
        if is_version_line(&line) && complete {
            input.push_front(&line);
            return Ok(());
        }
        if !complete {
            discard_line(input)?;
        }
    }
}

/// Consumes the rest of a line, holding none of it.
fn discard_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
}

/// The stream, with bytes put back in front of it (a record found inside a block whose
/// length lied).
struct Input<R> {
    front: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R> Input<R> {
    fn push_front(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut front = bytes.to_vec();
        front.extend_from_slice(&self.front[self.at..]);
        self.front = front;
        self.at = 0;
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let chunk = self.fill_buf()?;
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.front.len() {
            Ok(&self.front[self.at..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, n: usize) {
        if self.at < self.front.len() {
            self.at += n;
            if self.at >= self.front.len() {
                self.front = Vec::new();
                self.at = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

/// Splits an HTTP response into its body when it is an HTML page with status 200.
/// `Ok(None)` for a response that is not a page; `Err` for one that cannot be parsed.
/// An HTML body and the charset its headers declare.
type HtmlBody = (Vec<u8>, Option<&'static encoding_rs::Encoding>);

fn http_html_body(payload: &[u8], limits: Limits) -> Result<Option<HtmlBody>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let body_at = match resp.parse(payload) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return Err("truncated HTTP headers in response record".into())
        }
        Err(e) => return Err(format!("bad HTTP response in record: {e}")),
    };
    if resp.code.is_some_and(|c| !(200..300).contains(&c)) {
        return Ok(None);
    }
    let header = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
    };
    let content_type = header("content-type").unwrap_or_default();
    let body = &payload[body_at..];
    let html = if content_type.is_empty() {
        let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
        head.contains("<html") || head.contains("<!doctype html")
    } else {
        content_type.contains("html")
    };
    if !html {
        return Ok(None);
    }
    let mut bytes = body.to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        bytes = dechunk(&bytes).ok_or("bad chunked transfer encoding in response record")?;
    }
    if header("content-encoding").is_some_and(|e| e.contains("gzip")) {
        bytes = super::gzip::gunzip_limited(&bytes, limits)?;
    }
    let charset = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .find_map(|l| encoding_rs::Encoding::for_label(l.trim_matches('"').as_bytes()));
    Ok(Some((bytes, charset)))
}

/// Undoes HTTP/1.1 chunked transfer encoding.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&b[..line_end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = &b[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_body_is_split_and_typed() {
        let p = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>hi</html>";
        let (body, cs) = http_html_body(p, Limits::default()).unwrap().unwrap();
        assert_eq!(body, b"<html>hi</html>");
        assert_eq!(cs, Some(encoding_rs::UTF_8));
        let img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert!(http_html_body(img, Limits::default()).unwrap().is_none());
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(http_html_body(redirect, Limits::default())
            .unwrap()
            .is_none());
    }

    fn record(n: usize, block: &[u8], length: usize) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/{n}\r\n\
             WARC-Date: 2020-01-02T03:04:05Z\r\nContent-Length: {length}\r\n\r\n"
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn page(n: usize) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Page {n}.</p></body></html>")
            .into_bytes()
    }

    fn honest(n: usize) -> Vec<u8> {
        let p = page(n);
        record(n, &p, p.len())
    }

    /// Reads `bytes` as a WARC file: the URLs of its pages and the warnings, as `#n: reason`.
    fn read(bytes: &[u8], limits: Limits) -> (Vec<String>, Vec<String>) {
        let (mut pages, mut warnings) = (Vec::new(), Vec::new());
        read_warc(bytes, "f.warc", limits, &mut |item| match item {
            Ok(doc) => pages.push(doc.url.unwrap_or_default()),
            Err(s) => warnings.push(s.to_string()),
        });
        (pages, warnings)
    }

    fn urls(ns: &[usize]) -> Vec<String> {
        ns.iter()
            .map(|n| format!("https://x.example/{n}"))
            .collect()
    }

    #[test]
    fn records_are_read_with_their_url_and_date() {
        let mut file = honest(1);
        file.extend(honest(2));
        let mut docs = Vec::new();
        read_warc(&file[..], "f.warc", Limits::default(), &mut |i| {
            docs.push(i)
        });
        assert_eq!(docs.len(), 2);
        let d = docs[1].as_ref().unwrap();
        assert_eq!(d.url.as_deref(), Some("https://x.example/2"));
        assert_eq!(d.source_path, "f.warc#2 (https://x.example/2)");
        assert_eq!(d.fetched.unwrap().to_rfc3339(), "2020-01-02T03:04:05+00:00");
    }

    #[test]
    fn a_length_that_lies_skips_its_record_and_reading_resumes() {
        let p = page(2);
        for length in [p.len() + 40, p.len() + 200, p.len() - 10, 3] {
            let mut file = honest(1);
            file.extend(record(2, &p, length));
            file.extend(honest(3));
            let (pages, warnings) = read(&file, Limits::default());
            assert_eq!(pages, urls(&[1, 3]), "length {length}");
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(
                warnings[0].starts_with("f.warc#2 (https://x.example/2): WARC Content-Length"),
                "{warnings:?}"
            );
        }
        // Past the end of the file.
        let mut file = honest(1);
        file.extend(record(2, &p, p.len() + 10_000));
        let (pages, warnings) = read(&file, Limits::default());
        assert_eq!(pages, urls(&[1]));
        assert!(
            warnings[0].contains("runs past the end of the file"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_unread_and_the_next_read() {
        let big = [page(2), vec![b'x'; 5000]].concat();
        let mut file = honest(1);
        file.extend(record(2, &big, big.len()));
        file.extend(honest(3));
        let (pages, warnings) = read(
            &file,
            Limits {
                max_doc_bytes: 1000,
            },
        );
        assert_eq!(pages, urls(&[1, 3]));
        assert_eq!(
            warnings,
            [
                "f.warc#2 (https://x.example/2): record larger than the document limit of 1000 \
              bytes (--max-doc-mb)"
            ]
        );
    }

    #[test]
    fn a_header_that_never_ends_is_cut_short() {
        let mut file = honest(1);
        file.extend(b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: ");
        file.extend(vec![b'y'; 1 << 20]);
        file.extend(b"\r\n\r\n");
        file.extend(honest(3));
        let (pages, warnings) = read(&file, Limits::default());
        assert_eq!(pages, urls(&[1, 3]));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("a header block longer than 64 KB"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_warc_is_one_warning() {
        let junk: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let (pages, warnings) = read(&junk, Limits::default());
        assert!(pages.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("f.warc: not a WARC file"),
            "{warnings:?}"
        );
    }

    #[test]
    fn chunked() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert!(dechunk(b"zz\r\n").is_none());
    }
}
