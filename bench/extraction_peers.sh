#!/usr/bin/env bash
# Peer benchmark: newstrace extract vs Python trafilatura on the extraction dev pages.
# Usage: bench/extraction_peers.sh   (NEWSTRACE_DATA=/path/to/data overrides ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."

data="${NEWSTRACE_DATA:-../shared/data}/extraction"
if [[ ! -f "$data/ground-truth.json" || ! -d "$data/html" ]]; then
    echo "skipped: extraction data not found at $data (set NEWSTRACE_DATA to the folder holding extraction/)"
    exit 0
fi

venv=target/peers-venv
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    # lxml >= 5.2 split lxml.html.clean out; justext (a trafilatura dependency) still imports it.
    "$venv/bin/pip" install -q trafilatura lxml_html_clean
fi

cargo build --release -q
exec "$venv/bin/python" bench/extraction_peers.py "$data" target/release/newstrace
