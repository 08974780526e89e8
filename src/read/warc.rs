//! `.warc` and `.warc.gz` archives: every `response` record with an HTML body is a page.
//! The record's target URI is the page's URL and id; its WARC-Date is the fetch time.

use super::{decode, sniff_html_charset, Body, Limits, RawDoc, ReadItem, Skipped};
use crate::article::DocId;
use std::collections::HashMap;
use std::io::{BufRead, Read};
use warc::{RecordType, WarcHeader, WarcReader};

/// Reads every record of a WARC stream (already decompressed) and hands on its HTML pages.
pub fn read_warc(r: impl BufRead, name: &str, limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    let mut reader = WarcReader::new(r);
    let mut stream = reader.stream_records();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut n = 0usize;
    while let Some(item) = stream.next_item() {
        n += 1;
        let at = format!("{name}#{n}");
        let mut record = match item {
            Ok(r) => r,
            Err(e) => {
                // After a broken record the stream position is unknown: stop this file here.
                sink(Err(Skipped {
                    source: at,
                    reason: format!("corrupt WARC record: {e}"),
                }));
                return;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let url = record
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim().to_string());
        let fetched = Some(*record.date());
        let at = match &url {
            Some(u) => format!("{name}#{n} ({u})"),
            None => at,
        };
        if record.content_length() > limits.max_doc_bytes {
            sink(Err(Skipped {
                source: at,
                reason: format!(
                    "record larger than the {}-byte document limit",
                    limits.max_doc_bytes
                ),
            }));
            continue;
        }
        let mut payload = Vec::new();
        if let Err(e) = (&mut record)
            .take(limits.max_doc_bytes)
            .read_to_end(&mut payload)
        {
            sink(Err(Skipped {
                source: at,
                reason: format!("corrupt WARC record: {}", super::io_reason(&e)),
            }));
            return;
        }
        match http_html_body(&payload) {
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

/// Splits an HTTP response into its body when it is an HTML page with status 200.
/// `Ok(None)` for a response that is not a page; `Err` for one that cannot be parsed.
/// An HTML body and the charset its headers declare.
type HtmlBody = (Vec<u8>, Option<&'static encoding_rs::Encoding>);

fn http_html_body(payload: &[u8]) -> Result<Option<HtmlBody>, String> {
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
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .take(64 * 1024 * 1024)
            .read_to_end(&mut out)
            .map_err(|e| format!("bad gzip content encoding: {}", super::io_reason(&e)))?;
        bytes = out;
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
        let (body, cs) = http_html_body(p).unwrap().unwrap();
        assert_eq!(body, b"<html>hi</html>");
        assert_eq!(cs, Some(encoding_rs::UTF_8));
        let img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert!(http_html_body(img).unwrap().is_none());
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(http_html_body(redirect).unwrap().is_none());
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
