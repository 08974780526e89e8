#!/usr/bin/env bash
# Peer benchmark: MinHash-LSH in Python datasketch and rensa on a corpus from our index benchmark.
# Usage: bench/index_peers.sh DIR [index_peers.py args, e.g. --num-perm 64]
#   DIR holds corpus.jsonl, queries.jsonl, truth.jsonl (e.g. target/index-bench/100000).
# One process per peer and threshold, so each peak RSS is its own; JSON lines to stdout, a table to stderr.
set -euo pipefail
if [[ $# -lt 1 || ! -f "$1/corpus.jsonl" ]]; then
    echo "usage: $0 DIR [args]   (DIR must hold corpus.jsonl, queries.jsonl, truth.jsonl)" >&2
    exit 2
fi
dir=$(realpath "$1")
shift
cd "$(dirname "$0")/.."

venv=target/peers-venv
py="$venv/bin/python"
[[ -x "$py" ]] || python3 -m venv "$venv"
"$py" -c 'import datasketch, rensa' 2>/dev/null || "$venv/bin/pip" install -q datasketch rensa
"$py" -c 'from importlib.metadata import version as v; print("datasketch", v("datasketch"), "| rensa", v("rensa"))' >&2

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for peer in datasketch rensa; do
    # 0.8: a usual near-duplicate setting; 0.5: looser, for trimmed and edited reuse.
    for t in 0.8 0.5; do
        "$py" bench/index_peers.py "$dir" --peer "$peer" --threshold "$t" "$@" | tee -a "$results"
    done
done
"$py" bench/index_peers.py --table "$results"
