#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS (default 600), one after another, then minimises
# its corpus; prints per target: seconds, executions, exec/s, peak RSS, crashes, corpus size.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (targets: text html jsonl warc gzip; default all)
#
# Environment: SANITIZER (none; or address), CORPUS_BUDGET (bytes kept per target, 65536),
# MINIMISE=0 to leave fuzz/corpus/ as the run left it (a CI smoke run), FUZZ_COMMIT (the
# commit named in the summary; default `git rev-parse`).
#
# One libFuzzer process at a time, niced, single-threaded (no -jobs/-workers: libFuzzer
# without them fuzzes in-process on one thread). On the stable toolchain through
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs unstable -Z flags). Built optimised with debug
# assertions and overflow checks, and no sanitizer by default: the code under test is safe
# Rust, and AddressSanitizer made the targets about 4 times slower (93 against 344 exec/s for
# `html`); SANITIZER=address fuzz/run.sh runs under ASan (with ODR checks off: the bundled
# SQLite, linked but never called here, trips a false ODR report). Each sanitizer builds in
# its own fuzz/target/<sanitizer>. Crashes, hangs (-timeout) and OOMs (-rss_limit_mb) land in
# fuzz/artifacts/<target>/; logs in fuzz/logs/.
# The summary table is also written to fuzz/logs/summary.md. Exit status 1 if any target
# found something.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text html jsonl warc gzip)

export RUSTC_BOOTSTRAP=1
san="${SANITIZER:-none}"
build=(-s "$san" --target-dir "target/$san")
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}"
# The largest input libFuzzer makes: a page, a JSONL or WARC file of a few documents; the
# gzip target's streams expand to at most the 1 MiB document limit of fuzz/targets.rs.
max_len=65536
# The most each target's minimised corpus keeps in the repository, in bytes.
budget="${CORPUS_BUDGET:-65536}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets (release, debug assertions, sanitizer: $san)"
nice -n 19 cargo fuzz build "${build[@]}"
# The binaries are run directly, not through `cargo fuzz run`: every target then fuzzes the
# same build, even if the sources change during the run.
bin="target/$san/$(rustc -vV | sed -n 's/^host: //p')/release"

mkdir -p logs
summary=logs/summary.md
{
    echo "| target | seconds | executions | exec/s | peak RSS MB | crashes | corpus files | corpus bytes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$summary"

found=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    dict=()
    [ -f "dicts/$t.dict" ] && dict=("-dict=dicts/$t.dict")
    # The pages inside JSONL lines and WARC records are HTML too.
    case "$t" in jsonl | warc) [ -f dicts/html.dict ] && cat "dicts/$t.dict" dicts/html.dict >"logs/$t.dict" && dict=("-dict=logs/$t.dict") ;; esac
    before=$(find "artifacts/$t" -type f | wc -l)
    log="logs/$t.log"
    echo "== $t: fuzzing for $seconds s (log: fuzz/$log)"
    set +e
    started=$(date +%s)
    nice -n 19 "$bin/$t" "corpus/$t" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="artifacts/$t/" "${dict[@]}" >"$log" 2>&1
    status=$?
    wall=$(($(date +%s) - started))
    set -e
    after=$(find "artifacts/$t" -type f | wc -l)
    crashes=$((after - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes="? (exit $status, see $log)"
    fi
    [ "$crashes" = 0 ] || found=1

    # Minimise the corpus for the repository: a libFuzzer merge (as `cargo fuzz cmin` runs)
    # records the edges each file reaches (-use_counters=0: edges, not how often each ran),
    # then trim_corpus.py keeps the hand-written seeds and, greedily, the files that add the
    # most edges, within $budget bytes.
    control="logs/$t.merge.txt"
    rm -f "$control"
    scratch=$(mktemp -d)
    mkdir -p "$scratch/merged"
    if [ "${MINIMISE:-1}" = 0 ]; then
        echo "   corpus: not minimised (MINIMISE=0)"
    elif nice -n 19 "$bin/$t" -merge=1 -use_counters=0 -merge_control_file="$control" \
        -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" "$scratch/merged" "corpus/$t" \
        >"logs/$t.cmin.log" 2>&1 &&
        python3 trim_corpus.py "$control" "$scratch/$t" "$budget" >>"logs/$t.cmin.log"; then
        tail -1 "logs/$t.cmin.log" | sed 's/^/   corpus: /'
        rm -rf "corpus/$t"
        mv "$scratch/$t" "corpus/$t"
        chmod 755 "corpus/$t"
    else
        echo "   (corpus minimisation failed, see fuzz/logs/$t.cmin.log; corpus left as it was)"
    fi
    rm -rf "$scratch"

    final_stat() { { grep -a "^stat::$1:" "$log" || true; } | tail -1 | awk '{print $2}'; }
    execs=$(final_stat number_of_executed_units)
    rate=$(final_stat average_exec_per_sec)
    rss=$(final_stat peak_rss_mb)
    # libFuzzer's own count of seconds; the wall clock where it stopped on a crash.
    secs=$({ grep -ao 'Done [0-9]* runs in [0-9]* second' "$log" || true; } | tail -1 | awk '{print $5}')
    secs=${secs:-$wall}
    files=$(find "corpus/$t" -type f | wc -l)
    bytes=$(find "corpus/$t" -type f -exec cat {} + | wc -c)
    line="| $t | ${secs:-?} | ${execs:-?} | ${rate:-?} | ${rss:-?} | $crashes | $files | $bytes |"
    echo "$line" >>"$summary"
    echo "   seconds ${secs:-?}, executions ${execs:-?}, exec/s ${rate:-?}, peak RSS ${rss:-?} MB, crashes $crashes, corpus $files files / $bytes bytes"
done

echo
commit="${FUZZ_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo '?')}"
[ -z "$(git status --porcelain -- ../src ../vendor ../Cargo.toml 2>/dev/null)" ] || commit="$commit + uncommitted changes"
echo "== summary ($(date -u +%Y-%m-%d), commit $commit, sanitizer: $san)"
cat "$summary"
if [ "$found" -ne 0 ]; then
    echo "crashes, hangs or OOMs: see fuzz/artifacts/" >&2
    exit 1
fi
