//! A guard against a panic in the HTML parser. html5ever 0.39 (under scraper 0.27 and the
//! trafilatura crate) indexes past the end of the `content` of a
//! `<meta http-equiv="Content-Type">` tag whose value ends in the word "charset"
//! (`content="text/html; charset"`, a real typo), and the panic takes the whole run down
//! (html5ever's `encoding.rs`; fixed upstream in 0.40). Found by the `html` fuzz target
//! (`fuzz/`; the input is kept in `tests/fixtures/fuzz/html/`).
//!
//! The parser reads that tag only for the page's charset, which the reader has settled before
//! (`read::decode`), so [`defuse`] renames the `http-equiv` attribute of every `<meta>` tag
//! whose `http-equiv` may be `content-type` (to `xttp-equiv`, in place) and the parser passes
//! the tag by. The tags the extractor reads (`http-equiv` `date`, `last-modified`,
//! `content-language`) are left alone.
//!
//! The scan follows the HTML tokenizer's rules for a tag's attributes (quoted and unquoted
//! values, `/`, a `>` inside quotes, an `=` starting a name) and errs on the side of renaming:
//! it looks at every `<meta` in the page, even in a script or a comment, and takes a value with
//! a character reference (`&…`) for `content-type`.

/// `html` with the `http-equiv` attribute of its content-type `<meta>` tags renamed.
pub fn defuse(html: String) -> String {
    let b = html.as_bytes();
    let mut edits = Vec::new();
    let mut from = 0;
    while let Some(at) = find_meta(b, from) {
        content_type_equivs(b, at + "<meta".len(), &mut edits);
        from = at + "<meta".len();
    }
    if edits.is_empty() {
        return html;
    }
    let mut b = html.into_bytes();
    for at in edits {
        b[at] = b'x';
    }
    // Only ASCII letters were replaced, by an ASCII letter.
    String::from_utf8(b).expect("still UTF-8")
}

/// Whitespace between a tag's attributes (with `\r`, which the tokenizer reads as `\n`).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The next `<meta` start tag at or after `from`.
fn find_meta(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = b.get(i..)?.iter().position(|&c| c == b'<') {
        let at = i + p;
        let name_ends = b
            .get(at + 5)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
        if name_ends && b[at + 1..at + 5].eq_ignore_ascii_case(b"meta") {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Reads the attributes of the tag whose name ends at `i` and adds to `edits` where each
/// `http-equiv` attribute that may say `content-type` begins. Nothing for a tag the input
/// ends in: the tokenizer drops it.
fn content_type_equivs(b: &[u8], mut i: usize, edits: &mut Vec<usize>) {
    let mut found = Vec::new();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return,
            Some(b'>') => break,
            Some(_) => {}
        }
        // The name: its first character may be anything, `=` included.
        let name = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &b[name..i];
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                None => return,
                Some(&q @ (b'"' | b'\'')) => {
                    let len = b[i + 1..].iter().position(|&c| c == q);
                    let Some(len) = len else { return };
                    value = &b[i + 1..i + 1 + len];
                    i += len + 2;
                }
                Some(b'>') => {}
                Some(_) => {
                    let start = i;
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = &b[start..i];
                }
            }
        }
        let may_be_content_type =
            value.contains(&b'&') || value.eq_ignore_ascii_case(b"content-type");
        if name.eq_ignore_ascii_case(b"http-equiv") && may_be_content_type {
            found.push(name.as_ptr() as usize - b.as_ptr() as usize);
        }
    }
    edits.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defused(html: &str) -> String {
        defuse(html.to_string())
    }

    #[test]
    fn content_type_tags_are_renamed_others_kept() {
        assert_eq!(
            defused(r#"<meta http-equiv="Content-Type" content="text/html; charset">"#),
            r#"<meta xttp-equiv="Content-Type" content="text/html; charset">"#
        );
        assert_eq!(
            defused("<META HTTP-EQUIV=content-type CONTENT='text/html; charset '/>"),
            "<META xTTP-EQUIV=content-type CONTENT='text/html; charset '/>"
        );
        // A `>` inside a quoted value, an entity, a slash between attributes.
        assert_eq!(
            defused(r#"<meta content="a>b"/http-equiv = "content&#45;type">"#),
            r#"<meta content="a>b"/xttp-equiv = "content&#45;type">"#
        );
        for kept in [
            r#"<meta http-equiv="date" content="2019-11-18">"#,
            r#"<meta http-equiv="content-language" content="de">"#,
            r#"<meta name="http-equiv" content="content-type">"#,
            r#"<meta http-equiv="Content-Type" content="text/html"#, // the input ends in the tag
            "<p>http-equiv=content-type</p><metadata http-equiv=content-type>",
        ] {
            assert_eq!(defused(kept), kept);
        }
    }

    #[test]
    fn a_page_with_a_bare_charset_declaration_is_extracted() {
        // The fuzzer's input, minimised: it made html5ever panic.
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset\">\
                    <title>Storm</title></head><body><article><p>A fast-moving storm knocked out \
                    power to more than 80,000 homes along the coast overnight, officials said.\
                    </p></article></body></html>";
        let mut articles = Vec::new();
        crate::read::read_named("p.html", html.as_bytes(), Default::default(), &mut |doc| {
            articles.push(crate::extract::extract(doc.expect("read")))
        });
        let article = articles.pop().unwrap().expect("an article");
        assert!(article.text.contains("80,000 homes"));
    }
}
