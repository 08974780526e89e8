//! `.jsonl` articles (and `-` on stdin): one JSON object a line with `text` or `html`, and
//! optional `id`, `url`, `title`, `outlet`, `published`.

use super::{parse_date, Body, Limits, RawDoc, ReadItem, Skipped};
use crate::article::DocId;
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct Line {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
}

/// Reads JSONL from `r`; `name` is the file as reported (`file:line` ids and warnings).
pub fn read_jsonl(mut r: impl BufRead, name: &str, limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    // A file that is not text (a zip or a picture named .jsonl) is one warning, not one per
    // "line" of it.
    match r.fill_buf() {
        Ok(head) if super::looks_binary(head) => {
            sink(Err(Skipped {
                source: name.to_string(),
                reason: "not text (binary data)".into(),
            }));
            return;
        }
        _ => {}
    }
    let mut lineno = 0usize;
    let mut buf = Vec::new();
    loop {
        lineno += 1;
        buf.clear();
        let at = format!("{name}:{lineno}");
        // Read one line, but never hold more than the document limit of it in memory.
        let mut too_long = false;
        let mut eof = false;
        loop {
            let chunk = match r.fill_buf() {
                Ok(c) => c,
                Err(e) => {
                    sink(Err(Skipped {
                        source: at,
                        reason: super::io_reason(&e),
                    }));
                    return;
                }
            };
            if chunk.is_empty() {
                eof = true;
                break;
            }
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                buf.extend_from_slice(&chunk[..take]);
                if buf.len() as u64 > limits.max_doc_bytes {
                    too_long = true;
                    buf.clear();
                }
            }
            r.consume(take);
            if done {
                break;
            }
        }
        if too_long {
            sink(Err(Skipped {
                source: at,
                reason: format!("line longer than {}", limits.doc_rule()),
            }));
        } else if !buf.iter().all(|b| b.is_ascii_whitespace()) {
            sink(parse_line(&buf, name, lineno));
        }
        if eof {
            return;
        }
    }
}

fn parse_line(bytes: &[u8], name: &str, lineno: usize) -> ReadItem {
    let at = format!("{name}:{lineno}");
    let skip = |reason: String| Skipped {
        source: at.clone(),
        reason,
    };
    let line: Line =
        serde_json::from_slice(bytes).map_err(|e| skip(format!("invalid JSON: {e}")))?;
    let id = match line.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => at.clone(),
    };
    let body = match (line.text, line.html) {
        (Some(t), _) if !t.trim().is_empty() => Body::Text(t),
        (_, Some(h)) if !h.trim().is_empty() => Body::Html(h),
        _ => return Err(skip("no `text` or `html` field".into())),
    };
    let mut doc = RawDoc::new(DocId(id), at.clone(), body);
    doc.url = line.url.filter(|u| !u.trim().is_empty());
    doc.title = line.title.filter(|t| !t.trim().is_empty());
    doc.outlet = line.outlet.filter(|o| !o.trim().is_empty());
    // `published` is optional: one that cannot be read is dropped, the article kept.
    doc.published = line.published.as_deref().and_then(parse_date);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<ReadItem> {
        let mut out = Vec::new();
        read_jsonl(s.as_bytes(), "f.jsonl", Limits::default(), &mut |i| {
            out.push(i)
        });
        out
    }

    #[test]
    fn lines_ids_and_errors() {
        let items = read(
            "{\"id\":\"a\",\"text\":\"Hello there.\",\"published\":\"2020-01-02\"}\n\
             not json\n\
             {\"text\":\"Second.\"}\n\
             {\"title\":\"no body\"}\n",
        );
        assert_eq!(items.len(), 4);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.id.0, "a");
        assert!(a.published.is_some());
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .reason
            .starts_with("invalid JSON"));
        assert_eq!(items[2].as_ref().unwrap().id.0, "f.jsonl:3");
        assert_eq!(items[3].as_ref().unwrap_err().source, "f.jsonl:4");
    }

    #[test]
    fn over_long_line_is_skipped_not_held() {
        let limits = Limits { max_doc_bytes: 20 };
        let mut out = Vec::new();
        let input = "{\"text\":\"a very long line indeed\"}\n{\"text\":\"ok\"}\n";
        read_jsonl(input.as_bytes(), "f", limits, &mut |i| out.push(i));
        assert!(out[0].is_err());
        assert!(out[1].is_ok());
    }
}
