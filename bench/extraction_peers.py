"""Peer benchmark: newstrace extract vs trafilatura, word-4-gram P/R/F1 and pages/s.

Usage: extraction_peers.py <data/extraction> <path/to/newstrace>
Metric as in data/README.md (Zyte article-extraction benchmark) and `newstrace eval`.
"""
import codecs
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import trafilatura

WORD = re.compile(r"\w+")
CHARSET = re.compile(rb"charset=[\"' ]*([A-Za-z0-9_-]+)", re.I)


def decode(raw: bytes) -> str:
    """Declared charset (first 2 KiB, as newstrace sniffs it), else UTF-8 with replacement."""
    m = CHARSET.search(raw[:2048])
    enc = "utf-8"
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode()).name
        except LookupError:
            pass
    return raw.decode(enc, errors="replace")


def page_scores(pred: str, gold: str) -> tuple[float, float]:
    """Per-page precision/recall of word 4-gram multisets, tp/fp/fn normalised to sum 1."""
    def grams(t):
        w = WORD.findall(t)
        return Counter(" ".join(w[i:i + 4]) for i in range(len(w) - 3))
    p, g = grams(pred), grams(gold)
    tp = sum((p & g).values())
    fp, fn = sum(p.values()) - tp, sum(g.values()) - tp
    if tp + fp + fn == 0:
        return 1.0, 1.0
    # Normalising by the total cancels out in the ratios below.
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(texts: dict, gt: dict) -> tuple[float, float, float]:
    ps, rs = zip(*(page_scores(texts.get(i) or "", gt[i]["articleBody"] or "") for i in gt))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_ours(binary: str, html_dir: Path, threads: int | None):
    """One `newstrace extract --json` process over the whole folder; wall clock incl. start-up and gunzip."""
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)  # no --threads flag; the extractor parallelises with rayon
    timer = shutil.which("time", path="/usr/bin")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        cmd = [binary, "extract", "--json", str(html_dir)]
        if timer:
            cmd = [timer, "-v", "-o", tf.name] + cmd
        t0 = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        secs = time.perf_counter() - t0
        if timer:
            rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tf.read()).group(1))
        else:  # peak over all children so far (Linux: KiB)
            rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    texts = {}
    for line in out.splitlines():
        doc = json.loads(line)
        texts[doc["id"]] = doc.get("text") or ""
    return texts, secs, rss_kb


def run_trafilatura(pages: dict, **opts):
    """In-process, single thread; times the extraction loop only."""
    texts = {}
    t0 = time.perf_counter()
    for pid, (url, html) in pages.items():
        texts[pid] = trafilatura.extract(html, url=url, include_comments=False, **opts) or ""
    return texts, time.perf_counter() - t0


def main():
    data, binary = Path(sys.argv[1]), sys.argv[2]
    gt = json.loads((data / "ground-truth.json").read_text())
    pages = {}
    for pid, rec in gt.items():
        f = data / "html" / f"{pid}.html.gz"
        pages[pid] = (rec.get("url"), decode(gzip.decompress(f.read_bytes())) if f.exists() else "")
    n = len(pages)

    rows, rss = [], {}
    for label, threads in [(f"newstrace ({os.cpu_count()} threads)", None), ("newstrace (1 thread)", 1)]:
        texts, secs, rss[label] = run_ours(binary, data / "html", threads)
        missing = len(set(gt) - set(texts))
        rows.append((label + (f" [{missing} ids missing]" if missing else ""), n, *score(texts, gt), n / secs))
    for label, opts in [("trafilatura", {}), ("trafilatura favor_precision", {"favor_precision": True})]:
        texts, secs = run_trafilatura(pages, **opts)
        rows.append((label, n, *score(texts, gt), n / secs))
    rss["trafilatura (python process)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"extraction peers on {data} — trafilatura {trafilatura.__version__}\n")
    print("| tool | pages | P | R | F1 | pages/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, pg, p, r, f1, pps in rows:
        print(f"| {label} | {pg} | {p:.3f} | {r:.3f} | {f1:.3f} | {pps:.0f} |")
    print(f"\nspeed ratio newstrace/trafilatura (single thread): {rows[1][5] / rows[2][5]:.1f}x")
    print("note: newstrace pages/s is whole-process wall clock (start-up, reading, gunzip, JSON output);"
          " trafilatura times only the extract() loop over pages already decoded in memory.")
    print("peak RSS: " + ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in rss.items()))


if __name__ == "__main__":
    main()
