"""The store benchmark's table: newstrace beside datasketch and rensa, from bench/index.sh's
results (one JSON line per step)."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
by = {}
for r in rows:
    key = (r["step"], r.get("articles"), r.get("memory_budget_mib"))
    by.setdefault(key, r)
gen = [r for r in rows if r["step"] == "generate"]
sizes = [r["articles"] for r in gen]


def get(step, n, budget=None):
    for r in rows:
        if r["step"] == step and r.get("articles", n) == n and (budget is None or r.get("memory_budget_mib") == budget):
            return r
    return None


def recall(r):
    k = r.get("recall_by_kind", {})
    parts = ", ".join(f"{name} {v[0]}/{v[1]}" for name, v in sorted(k.items()))
    return f"{r['recall']:.3f} ({parts})"


print("## newstrace, by corpus size\n")
print("| articles | index in memory: articles/s (1 thread) | B/article | candidate recall | `index add`: articles/s | peak RSS MiB | store MiB (B/article) | judged recall | query p50 / p99 ms | query recall |")
print("|---|---|---|---|---|---|---|---|---|---|")
queries = [r for r in rows if r["step"] == "query"]
for i, n in enumerate(sizes):
    m, s = get("memory", n), get("store", n, 4096)
    q = queries[i] if i < len(queries) else None
    if not (m and s):
        continue
    print(
        f"| {n:,} | {m['index_articles_per_s']:,.0f} ({m['single_thread_articles_per_s']:,.0f}) "
        f"| {m['index_bytes_per_article']:.0f} | {recall(m)} | {s['articles_per_s']:,.0f} "
        f"| {s['peak_rss_mib']:,.0f} | {s['store_mib']:,.0f} ({s['store_bytes_per_article']:,.0f}) "
        f"| {recall(s)} | "
        + (f"{q['query_p50_ms']:.2f} / {q['query_p99_ms']:.2f} | {recall(q)} |" if q else "| |")
    )
for r in rows:
    if r["step"] == "store" and r.get("memory_budget_mib") != 4096:
        print(f"\nBudget {r['memory_budget_mib']} MiB, {r['articles']:,} articles: {r['articles_per_s']:,.0f} articles/s, peak RSS {r['peak_rss_mib']:,.0f} MiB, in-memory index at most {r['in_memory_index_mib']:,.0f} MiB, judged recall {r['recall']:.3f}")
    if r["step"] == "cli":
        print(f"\n`newstrace index add` (the command line, JSONL in), {r['articles']:,} articles: {r['seconds']:.0f} s ({r['articles'] / max(r['seconds'], 1e-9):,.0f} articles/s), peak RSS {r['peak_rss_mib']:,.0f} MiB")

peers = [r for r in rows if r["step"] == "peer"]
if peers:
    n = int(peers[0]["dir"])
    m = get("memory", n)
    q = None
    for i, size in enumerate(sizes):
        if size == n and i < len(queries):
            q = queries[i]
    s = get("store", n, 4096)
    print(f"\n## Beside the peers, {n:,} articles\n")
    print("| | fingerprint + index, articles/s | ratio to ours | query p50 / p99 ms | peak RSS MiB | recall of planted reuse |")
    print("|---|---|---|---|---|---|")
    if m:
        print(f"| newstrace anchors, in memory (2 threads) | {m['index_articles_per_s']:,.0f} | 1 | {q['query_p50_ms']:.2f} / {q['query_p99_ms']:.2f} (`index query`, with alignment) | {m['peak_rss_mib']:,.0f} | {recall(m)} (candidates); {recall(s)} (judged, store) |" if q and s else "")
    for p in peers:
        ratio = m["index_articles_per_s"] / p["index_articles_per_s"] if m else float("nan")
        print(
            f"| {p['peer']} {p['version']}, threshold {p['threshold']} ({p['bands']}×{p['rows']}) | {p['index_articles_per_s']:,.0f} "
            f"| newstrace {ratio:.1f}× | {p['query_p50_ms']:.2f} / {p['query_p99_ms']:.2f} | {p['peak_rss_mib']:,.0f} | {recall(p)} |"
        )

stores = [get("store", n, 4096) for n in sizes]
if len([s for s in stores if s]) >= 2:
    a, b = stores[0], stores[-1]
    import math
    k = math.log(b["articles"] / a["articles"])
    def exp(x, y):
        return 1 + math.log(x / y) / k
    print(f"\n## Growth from {a['articles']:,} to {b['articles']:,} articles (1 = linear)\n")
    print(f"- `index add` time: exponent {exp(a['articles_per_s'], b['articles_per_s']):.2f}")
    print(f"- store size: exponent {1 + math.log(b['store_bytes_per_article'] / a['store_bytes_per_article']) / k:.2f}")
    qa, qb = queries[0], queries[-1]
    print(f"- query p50: {qa['query_p50_ms']:.2f} → {qb['query_p50_ms']:.2f} ms")
