//! The fuzz targets' bodies, in one place: the cargo-fuzz binaries in `fuzz/fuzz_targets/`
//! and the stable smoke test `tests/fuzz_smoke.rs` both include this file, so a crash found
//! by either is replayed by the other exactly.
//!
//! Each target reads the input bytes with [`read_named`] under a file name whose extension
//! picks the parser, then extracts every document read. Work is bounded by [`limits`]: no
//! document over 1 MiB is held, so a run's memory stays bounded whatever the input.

use newstrace::read::{read_named, Limits};

/// A target: the input bytes in, the number of articles extracted out.
pub type Target = fn(&[u8]) -> usize;

/// The targets, by name: the name of the corpus folder and of the cargo-fuzz binary.
pub const TARGETS: [(&str, Target); 5] = [
    ("text", text),
    ("html", html),
    ("jsonl", jsonl),
    ("warc", warc),
    ("gzip", gzip),
];

/// The largest document a target reads (after decompression).
pub const MAX_DOC_BYTES: u64 = 1024 * 1024;

/// The reader's limits for fuzzing: the defaults with a 1 MiB document limit.
#[allow(clippy::needless_update)] // other limits may join `max_doc_bytes`; keep their defaults
pub fn limits() -> Limits {
    Limits {
        max_doc_bytes: MAX_DOC_BYTES,
        ..Limits::default()
    }
}

/// Reads `data` as a file called `name` and extracts every document read. Checks the
/// invariants the rest of the engine relies on; returns the number of articles extracted.
pub fn read_and_extract(name: &str, data: &[u8]) -> usize {
    let mut articles = 0;
    read_named(name, data, limits(), &mut |item| {
        let Ok(raw) = item else { return };
        if let Ok(article) = newstrace::extract::extract(raw) {
            // Extraction's invariant: an article has text (an empty one is a `Skipped`).
            assert!(
                !article.text.trim().is_empty(),
                "an extracted article has no text"
            );
            articles += 1;
        }
    });
    articles
}

/// Each target returns the number of articles extracted.
///
/// `text`: a `.txt` document, or `.md` where the first byte is odd (seeds begin with `t`
/// or `m`); the rest of the input is the file.
pub fn text(data: &[u8]) -> usize {
    let Some((&first, rest)) = data.split_first() else {
        return 0;
    };
    let name = if first & 1 == 0 { "x.txt" } else { "x.md" };
    read_and_extract(name, rest)
}

/// `html`: an HTML page (charset sniffing, the HTML parser and the extractor).
pub fn html(data: &[u8]) -> usize {
    read_and_extract("x.html", data)
}

/// `jsonl`: a JSONL file, each line's document extracted.
pub fn jsonl(data: &[u8]) -> usize {
    read_and_extract("x.jsonl", data)
}

/// `warc`: a WARC file (records, HTTP responses, chunked and gzip content encodings), each
/// HTML page extracted.
pub fn warc(data: &[u8]) -> usize {
    read_and_extract("x.warc", data)
}

/// `gzip`: the gzip decoder in front of each form. The first byte picks the form (modulo 3:
/// `.html.gz`, `.jsonl.gz`, `.warc.gz`); the rest of the input is the gzip stream.
pub fn gzip(data: &[u8]) -> usize {
    let Some((&first, rest)) = data.split_first() else {
        return 0;
    };
    let name = match first % 3 {
        0 => "x.html.gz",
        1 => "x.jsonl.gz",
        _ => "x.warc.gz",
    };
    read_and_extract(name, rest)
}
