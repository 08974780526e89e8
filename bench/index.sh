#!/usr/bin/env bash
# Store benchmark: newstrace's anchor index and `index add` / `index query` beside the Python
# MinHash-LSH peers (datasketch, rensa; installed from PyPI into target/peers-venv).
# Usage: bench/index.sh [SIZE...]        (default: 10000 100000 1000000)
#   PEERS_AT=N   corpus size the peers run on (default 100000; datasketch does ~1,300/s)
#   BUDGET_MIB=M also fill the largest store with this memory budget (default 512)
# Needs ../shared/data/stories-ecbplus (the generator recombines its sentences).
# Every step is its own process; results go to target/index-bench/results.jsonl and a table
# to stdout. One run: the figures are from one run each, not averages.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100000 1000000)
peers_at=${PEERS_AT:-100000}
budget=${BUDGET_MIB:-512}
out=target/index-bench
mkdir -p "$out"
results=$out/results.jsonl
: > "$results"

cargo bench --bench index --no-run -q 2>/dev/null
step() { cargo bench -q --bench index -- "$@" | tee -a "$results"; }
largest=${sizes[-1]}
for n in "${sizes[@]}"; do
    dir=$out/$n
    step generate "$dir" "$n"
    step memory "$dir"
    step store "$dir" 4096
    step query "$dir"
    if [[ $n == "$largest" ]]; then
        # The same corpus in a store whose memory budget is far below what its index needs.
        step store "$dir" "$budget"
        # The command line itself, timed from outside, as a user runs it.
        rm -f "$dir/cli.db" "$dir/cli.db-wal" "$dir/cli.db-shm"
        cargo build --release -q
        /usr/bin/time -f '{"step": "cli", "articles": '"$n"', "seconds": %e, "peak_rss_mib": %M}' \
            target/release/newstrace index add "$dir/corpus.jsonl" --db "$dir/cli.db" \
            >/dev/null 2>"$dir/cli.time" || true
        tail -1 "$dir/cli.time" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["peak_rss_mib"]/=1024; print(json.dumps(d))' | tee -a "$results"
        rm -f "$dir/cli.db" "$dir/cli.db-wal" "$dir/cli.db-shm"
    fi
done
if [[ -f $out/$peers_at/corpus.jsonl ]]; then
    bench/index_peers.sh "$out/$peers_at" 2>/dev/null | sed 's/^{/{"step": "peer", "dir": "'"$peers_at"'", /' | tee -a "$results"
fi
python3 bench/index_table.py "$results"
