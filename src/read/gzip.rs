//! Gzip with a guard against bombs: a stream whose output outgrows its input by more than
//! [`Limits::GZIP_RATIO`] over any [`Limits::GZIP_WINDOW`] of output is stopped with an error,
//! so that nothing much past the window is ever produced, let alone held.
//!
//! The ratio is measured per window rather than over the whole stream, so that a bomb member
//! at the end of a large, honest `.warc.gz` (gzipped record by record) is caught as soon as it
//! starts, not only once it has outgrown everything before it.

use super::Limits;
use std::io::{self, BufRead, Read};

/// Why a gzip stream was stopped: printed as the warning's reason.
#[derive(Debug)]
pub struct GzipBomb;

impl std::fmt::Display for GzipBomb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "gzip bomb: expands more than {} times (the gzip ratio limit, checked per {} MB of output)",
            Limits::GZIP_RATIO,
            Limits::GZIP_WINDOW >> 20
        )
    }
}

impl std::error::Error for GzipBomb {}

/// Whether an I/O error is the guard's.
pub fn is_bomb(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<GzipBomb>())
}

/// A `BufRead` that counts what its consumer has consumed: the compressed bytes the decoder
/// has used, not what it has buffered ahead.
struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// A multi-member gzip decoder (per-record gzipped WARC files are many members) that stops
/// with a [`GzipBomb`] error when its output outgrows its input past the ratio.
pub struct GuardedGz<R: BufRead> {
    decoder: flate2::bufread::MultiGzDecoder<Counted<R>>,
    produced: u64,
    /// Input consumed and output produced when the current window began.
    window_in: u64,
    window_out: u64,
    tripped: bool,
}

impl<R: BufRead> GuardedGz<R> {
    pub fn new(r: R) -> Self {
        GuardedGz {
            decoder: flate2::bufread::MultiGzDecoder::new(Counted {
                inner: r,
                consumed: 0,
            }),
            produced: 0,
            window_in: 0,
            window_out: 0,
            tripped: false,
        }
    }
}

impl<R: BufRead> Read for GuardedGz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.tripped {
            return Err(io::Error::other(GzipBomb));
        }
        // Never more than a window at a time, so that one call cannot overshoot by much.
        let cap = buf.len().min(Limits::GZIP_WINDOW as usize);
        let n = self.decoder.read(&mut buf[..cap])?;
        self.produced += n as u64;
        let out = self.produced - self.window_out;
        if out >= Limits::GZIP_WINDOW {
            let consumed = self.decoder.get_ref().consumed;
            let input = (consumed - self.window_in).max(1);
            if out > Limits::GZIP_RATIO.saturating_mul(input) {
                self.tripped = true;
                return Err(io::Error::other(GzipBomb));
            }
            self.window_in = consumed;
            self.window_out = self.produced;
        }
        Ok(n)
    }
}

/// Decompresses a whole gzip stream (an HTTP body's `Content-Encoding: gzip`), refusing more
/// than `max` bytes of output or a bomb; errors are worded for a warning line.
pub fn gunzip_limited(bytes: &[u8], limits: Limits) -> Result<Vec<u8>, String> {
    super::read_limited(GuardedGz::new(bytes), limits.max_doc_bytes).map_err(|reason| {
        if reason == super::LIMIT_EXCEEDED {
            format!(
                "gzip content encoding decompresses to more than {}",
                limits.doc_rule()
            )
        } else {
            format!("gzip content encoding: {reason}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Drains a reader into a sink that keeps nothing, returning what it produced and how
    /// it ended.
    fn drain(mut r: impl Read) -> (u64, io::Result<()>) {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            match r.read(&mut buf) {
                Ok(0) => return (total, Ok(())),
                Ok(n) => total += n as u64,
                Err(e) => return (total, Err(e)),
            }
        }
    }

    #[test]
    fn honest_text_passes() {
        let text: Vec<u8> = (0..400_000u32)
            .flat_map(|i| format!("word{} and some text {} ", i % 977, i % 13).into_bytes())
            .collect();
        let (n, end) = drain(GuardedGz::new(&gz(&text)[..]));
        assert!(end.is_ok());
        assert_eq!(n, text.len() as u64);
    }

    #[test]
    fn a_bomb_is_stopped_after_a_window() {
        // 64 MB of zeros compress about 1000 to 1.
        let bomb = gz(&vec![0u8; 64 << 20]);
        let (n, end) = drain(GuardedGz::new(&bomb[..]));
        let e = end.unwrap_err();
        assert!(is_bomb(&e), "{e}");
        assert!(n <= Limits::GZIP_WINDOW, "{n}");
        assert!(e.to_string().contains("200 times"), "{e}");
    }

    #[test]
    fn a_bomb_member_after_honest_ones_is_stopped() {
        let honest: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{} ", i.wrapping_mul(2_654_435_761)).into_bytes())
            .collect();
        let mut stream = gz(&honest);
        stream.extend(gz(&vec![b'a'; 32 << 20]));
        let (n, end) = drain(GuardedGz::new(&stream[..]));
        assert!(is_bomb(&end.unwrap_err()));
        assert!(n < honest.len() as u64 + 2 * Limits::GZIP_WINDOW);
    }
}
