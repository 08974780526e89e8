#!/usr/bin/env bash
# Load test of `newstrace serve` from a second process on loopback: wrk (Debian's package),
# 64 connections for 30 s against the read routes, then against the trace route.
# Usage: bench/load.sh [STORE] [SECONDS]
#   STORE: a store to serve (default: one made from ../shared/data/stories-ecbplus, else from
#   examples/corpus, in target/load/). Prints one line per run: requests, rate, latency
#   percentiles, non-2xx answers and socket errors (both must be 0).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
secs=${2:-30}
out=target/load
mkdir -p "$out"
cargo build --release -q
bin=target/release/newstrace
store=${1:-}
if [[ -z $store ]]; then
    store=$out/store.db
    rm -f "$store" "$store-wal" "$store-shm"
    input=../shared/data/stories-ecbplus/documents.jsonl
    [[ -f $input ]] || input=examples/corpus
    "$bin" index add "$input" --db "$store" >/dev/null 2>&1
fi
"$bin" index stats --db "$store"
rm -f "$out/serve.out" "$out/serve.err"
"$bin" serve --db "$store" --addr 127.0.0.1:0 > "$out/serve.out" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q listening "$out/serve.out" 2>/dev/null && break; sleep 0.2; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$out/serve.out" | head -1)
base=http://127.0.0.1:$port
# The read routes: pages and API of the largest stories, their articles and entries, searches.
python3 - "$base" "$out" <<'PY'
import json, sys, urllib.parse, urllib.request
base, out = sys.argv[1], sys.argv[2]
get = lambda p: json.load(urllib.request.urlopen(base + p))
q = urllib.parse.quote
reads, trace = ["GET /", "GET /api/stats", "GET /api/stories", "GET /search?q=police",
                "GET /api/search?q=earthquake+killed", "GET /search?q=&outlet=x"], []
for st in get("/api/stories?limit=20")["stories"]:
    reads += [f"GET /story?id={st['id']}", f"GET /api/story?id={st['id']}"]
    story = get(f"/api/story?id={st['id']}")
    for d in story["documents"][:3]:
        reads += [f"GET /article?id={q(d['id'])}", f"GET /api/article?id={q(d['id'])}"]
        words = d["text"].split()
        if len(words) > 40:
            reads.append(f"GET /api/search?q={q(words[20])}+{q(words[30])}")
    for r in story["reuse"][:2]:
        pair = f"source={q(r['source'])}&derived={q(r['derived'])}"
        reads += [f"GET /reuse?{pair}", f"GET /api/reuse?{pair}"]
    for i, d in enumerate(story["documents"][:2]):
        body = f"{out}/trace-{st['id']}-{i}.jsonl"
        with open(body, "w") as f:
            f.write(json.dumps({"id": "traced", "text": d["text"] + "\n\nA closing paragraph of our own."}) + "\n")
        trace.append(f"POST /api/trace {body}")
open(f"{out}/reads.txt", "w").write("\n".join(reads) + "\n")
open(f"{out}/trace.txt", "w").write("\n".join(trace) + "\n")
print(f"{len(reads)} read requests, {len(trace)} trace bodies")
PY
failed=0
for kind in reads trace; do
    LOAD_REQUESTS=$out/$kind.txt wrk -t2 -c64 -d"${secs}s" --timeout 10s -s bench/load.lua "$base" \
        > "$out/$kind.wrk" 2>&1 || true
    result=$(grep RESULT "$out/$kind.wrk" | sed 's/^RESULT //')
    echo "$kind: $result"
    [[ -n $result ]] || { cat "$out/$kind.wrk"; failed=1; continue; }
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(1 if d["non_2xx"] or d["socket_errors"] or not d["requests"] else 0)' "$result" \
        || { echo "error: $kind: failed requests under load" >&2; failed=1; }
done
ps -o rss= -p "$server" | awk '{printf "server RSS after the runs: %.0f MiB\n", $1/1024}'
exit $failed
