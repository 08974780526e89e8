//! `.txt` and `.md` articles: one article a file, with an optional URL on the first line.

use super::{decode, Body, RawDoc, ReadItem, Skipped};
use crate::article::DocId;

/// Parses one text article. A first line that is an `http(s)://` URL followed by an empty
/// line is the article's URL; the rest is its text.
pub fn parse_text(bytes: &[u8], id: DocId, source: &str) -> ReadItem {
    let text = decode(bytes, None).map_err(|reason| Skipped {
        source: source.to_string(),
        reason,
    })?;
    let (url, body) = split_url_line(&text);
    if body.trim().is_empty() {
        return Err(Skipped {
            source: source.to_string(),
            reason: "empty document".into(),
        });
    }
    let mut doc = RawDoc::new(id, source.to_string(), Body::Text(body.to_string()));
    doc.url = url.map(str::to_string);
    Ok(doc)
}

/// Splits off a leading URL line (`http(s)://…` then an empty line) from a text.
pub fn split_url_line(text: &str) -> (Option<&str>, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.splitn(3, '\n');
    let first = lines.next().unwrap_or("").trim();
    let is_url = (first.starts_with("http://") || first.starts_with("https://"))
        && !first.contains(char::is_whitespace);
    if is_url {
        if let (Some(second), rest) = (lines.next(), lines.next()) {
            if second.trim().is_empty() {
                return (Some(first), rest.unwrap_or(""));
            }
        }
    }
    (None, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_line_needs_blank_line_after() {
        let (u, b) = split_url_line("https://x.com/a\n\nBody here.");
        assert_eq!(u, Some("https://x.com/a"));
        assert_eq!(b, "Body here.");
        let (u, b) = split_url_line("https://x.com/a\nBody here.");
        assert_eq!(u, None);
        assert!(b.starts_with("https://"));
        let (u, _) = split_url_line("Plain text.\n\nMore.");
        assert_eq!(u, None);
    }

    #[test]
    fn empty_after_url_is_skipped() {
        let r = parse_text(b"https://x.com/a\n\n  \n", DocId("a".into()), "a.txt");
        assert_eq!(r.unwrap_err().reason, "empty document");
    }
}
