//! cargo-fuzz target `gzip`: the body is `targets::gzip` in `fuzz/targets.rs`, shared with
//! the stable smoke test `tests/fuzz_smoke.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::gzip(data);
});
