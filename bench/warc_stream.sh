#!/usr/bin/env bash
# Streaming a large WARC file: peak memory and throughput of `newstrace extract --json` and
# `newstrace index add` on a generated WARC of news-like pages (bench/make_warc.py), to show
# that memory stays bounded however large the input.
# Usage: bench/warc_stream.sh [SIZE_MB]     (default 2048; the file is deleted afterwards)
# Runs niced; needs SIZE_MB plus about a quarter more free on the disk holding target/.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb="${1:-2048}"
dir=target/warc-bench
warc="$dir/stream.warc"
db="$dir/stream.db"
mkdir -p "$dir"
cleanup() { rm -f "$warc" "$db" "$db"-* "$dir/out.txt"; }
trap cleanup EXIT

need_kb=$(( size_mb * 1024 * 5 / 4 ))
free_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
if (( free_kb < need_kb )); then
    echo "not enough disk: $(( free_kb / 1024 )) MB free under $dir, $(( need_kb / 1024 )) MB needed" >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "needs GNU time (/usr/bin/time -v) for peak memory" >&2
    exit 1
fi

cargo build --release -q
bin=target/release/newstrace

nice python3 bench/make_warc.py "$warc" "$size_mb"
input_mb=$(( $(stat -c %s "$warc") / 1048576 ))

# Runs a command under GNU time, its output to $dir/out.txt and $dir/err.txt; sets peak (MB)
# and wall (s) from time's report.
measure() {
    local report="$dir/time.txt"
    nice /usr/bin/time -v -o "$report" "$@" > "$dir/out.txt" 2> "$dir/err.txt"
    peak=$(( $(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report") / 1024 ))
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$report" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
}

row() { # step articles
    awk -v step="$1" -v mb="$input_mb" -v n="$2" -v peak="$peak" -v wall="$wall" 'BEGIN {
        printf "%-22s %10d %10d %10.1f %10.1f %12d\n", step, mb, n, wall, mb / wall, peak }'
}

printf '%-22s %10s %10s %10s %10s %12s\n' step "input MB" articles "wall s" "MB/s" "peak RSS MB"

measure "$bin" extract --json "$warc"
row "extract --json" "$(wc -l < "$dir/out.txt")"
grep -h '^warning' "$dir/err.txt" | cut -d: -f3- | sort | uniq -c | sort -rn | head -3 || true

measure "$bin" index add "$warc" --db "$db"
row "index add (SQLite)" "$(sed -n 's/^added \([0-9]*\) articles.*/\1/p' "$dir/out.txt")"
grep -h '^warning' "$dir/err.txt" | cut -d: -f3- | sort | uniq -c | sort -rn | head -3 || true
tail -1 "$dir/out.txt"
rm -f "$dir/out.txt" "$dir/err.txt" "$dir/time.txt"
