"""Peer benchmark: MinHash-LSH indexing in datasketch and rensa on a corpus from our index benchmark.

Usage: index_peers.py DIR --peer {datasketch,rensa} --threshold T [--num-perm 128]
       index_peers.py --table RESULTS.jsonl   (readable table of the JSON lines, to stderr)
DIR holds corpus.jsonl, queries.jsonl and truth.jsonl. Prints one JSON line to stdout.
Single process, single thread, one article per call, as users run these libraries.
"""
import argparse
import json
import re
import resource
import sys
import time
from importlib.metadata import version
from pathlib import Path

WORD = re.compile(r"\w+")
SEED = 42


def shingles(text: str) -> list[str]:
    """Distinct lowercase word 4-grams."""
    w = WORD.findall(text.lower())
    return list({" ".join(w[i:i + 4]) for i in range(len(w) - 3)})


def rensa_bands(threshold: float, num_perm: int) -> int:
    """rensa's own choice when RMinHashDeduplicator gets no num_bands (rensa 0.5, inline_dedup):
    >=0.9: 4, >=0.8: 8, >=0.7: 16, >=0.5: 32, else num_perm/2; the largest divisor of num_perm
    at or below that. Its README benchmark uses 8 bands at 0.8, and its lsh_benchmark.py's
    "optimal" rule (S-curve crossing 0.5 nearest the threshold) gives 8 at 0.8 and 32 at 0.5."""
    b = next((b for t, b in [(0.9, 4), (0.8, 8), (0.7, 16), (0.5, 32)] if threshold >= t),
             max(num_perm // 2, 1))
    return next(d for d in range(min(b, num_perm), 0, -1) if num_perm % d == 0)


def make_peer(peer: str, threshold: float, num_perm: int):
    """(index, sketch(shingles) -> MinHash, insert(key, mh), query(mh) -> keys, bands, rows)."""
    if peer == "datasketch":
        from datasketch import MinHash, MinHashLSH
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)  # picks bands/rows itself

        def sketch(sh):
            m = MinHash(num_perm=num_perm, seed=SEED)
            m.update_batch([s.encode() for s in sh])
            return m
        return lsh, sketch, lsh.insert, lsh.query, lsh.b, lsh.r
    from rensa import RMinHash, RMinHashLSH
    bands = rensa_bands(threshold, num_perm)
    lsh = RMinHashLSH(threshold, num_perm, bands)  # keys are ints: the corpus position

    def sketch(sh):
        m = RMinHash(num_perm=num_perm, seed=SEED)
        m.update(sh)
        return m
    return lsh, sketch, lsh.insert, lsh.query, bands, num_perm // bands


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def bench(d: Path, peer: str, threshold: float, num_perm: int) -> dict:
    corpus, queries, truth = load(d / "corpus.jsonl"), load(d / "queries.jsonl"), load(d / "truth.jsonl")
    load_rss = max_rss_mib()
    lsh, sketch, insert, query, bands, rows = make_peer(peer, threshold, num_perm)
    # rensa keys are ints, so both peers index corpus positions; results map back through ids.
    key = (lambda i: i) if peer == "rensa" else (lambda i: corpus[i]["id"])
    wanted = {t["derived"] for t in truth}  # keep only the sketches that recall needs
    kept = {}

    t0 = time.perf_counter()
    for i, a in enumerate(corpus):
        m = sketch(shingles(a["text"]))
        insert(key(i), m)
        if a["id"] in wanted:
            kept[a["id"]] = m
    index_s = time.perf_counter() - t0

    lat = []
    for a in queries:
        t = time.perf_counter()
        m = sketch(shingles(a["text"]))
        query(m)
        lat.append(time.perf_counter() - t)
        if a["id"] in wanted:
            kept[a["id"]] = m
    lat.sort()

    pos = {a["id"]: i for i, a in enumerate(corpus)}
    by_kind = {}
    for t in truth:
        found = key(pos[t["source"]]) in query(kept[t["derived"]])
        c = by_kind.setdefault(t["kind"], [0, 0])
        c[0] += found
        c[1] += 1
    hits = sum(c[0] for c in by_kind.values())

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 4) if lat else None
    return {
        "peer": peer, "version": version(peer), "threshold": threshold, "num_perm": num_perm,
        "bands": bands, "rows": rows, "articles": len(corpus),
        "index_articles_per_s": round(len(corpus) / index_s, 1), "index_seconds": round(index_s, 3),
        "query_p50_ms": pct(0.50), "query_p99_ms": pct(0.99), "queries": len(queries),
        # load_rss_mib: the parsed corpus alone, before any sketch; peak_rss_mib includes it.
        "peak_rss_mib": round(max_rss_mib(), 1), "load_rss_mib": round(load_rss, 1),
        "recall": round(hits / len(truth), 4) if truth else None,
        "recall_by_kind": dict(sorted(by_kind.items())),
    }


def table(path: Path):
    runs = load(path)
    kinds = sorted({k for r in runs for k in r["recall_by_kind"]})
    head = ["peer", "threshold", "bands x rows", "articles", "articles/s", "query p50 ms",
            "query p99 ms", "peak MiB", "recall"] + kinds
    out = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in runs:
        by = r["recall_by_kind"]
        cells = [f"{r['peer']} {r['version']}", r["threshold"], f"{r['bands']}x{r['rows']}",
                 r["articles"], f"{r['index_articles_per_s']:.0f}", r["query_p50_ms"],
                 r["query_p99_ms"], f"{r['peak_rss_mib']:.0f}", r["recall"]]
        cells += [f"{by[k][0]}/{by[k][1]}" if k in by else "" for k in kinds]
        out.append("| " + " | ".join(map(str, cells)) + " |")
    print("\n".join(out), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path)
    ap.add_argument("--peer", choices=["datasketch", "rensa"])
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--table", type=Path, help="print a table of these JSON lines and exit")
    a = ap.parse_args()
    if a.table:
        return table(a.table)
    if not (a.dir and a.peer and a.threshold is not None):
        ap.error("DIR, --peer and --threshold are required")
    print(json.dumps(bench(a.dir, a.peer, a.threshold, a.num_perm)), flush=True)


if __name__ == "__main__":
    main()
