#!/usr/bin/env python3
"""Picks a small corpus to keep in the repository from a libFuzzer merge control file.

    trim_corpus.py CONTROL_FILE OUT_DIR BUDGET_BYTES

CONTROL_FILE is what `<target> -merge=1 -use_counters=0 -merge_control_file=CONTROL_FILE
EMPTY_DIR CORPUS_DIR` leaves: every corpus file with the coverage edges it reaches. The
hand-written seeds (files whose names are not 40-hex hashes) are always kept; then, greedily,
the file that reaches the most edges not yet reached (the smaller one on a tie), while the
corpus stays within BUDGET_BYTES. A plain `cargo fuzz cmin` keeps every file that adds any
edge, hundreds of files after ten minutes; this keeps the most coverage a budget buys.
Copies the chosen files into OUT_DIR and prints what share of the edges they keep.
Standard library only.
"""

import heapq
import os
import re
import shutil
import sys


def main() -> None:
    control, out_dir, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(control, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    n = int(lines[0])
    paths = lines[2 : 2 + n]
    features: dict[int, set[int]] = {}
    for line in lines[2 + n :]:
        if line.startswith("FT "):
            parts = line.split()
            features[int(parts[1])] = set(map(int, parts[2:]))
    sizes = {i: os.path.getsize(p) for i, p in enumerate(paths) if os.path.exists(p)}

    is_hash = re.compile(r"^[0-9a-f]{40}$")
    chosen = [i for i in sizes if not is_hash.match(os.path.basename(paths[i]))]
    covered: set[int] = set().union(*(features.get(i, set()) for i in chosen))
    used = sum(sizes[i] for i in chosen)
    everything: set[int] = set().union(*features.values()) if features else set()

    # Lazy greedy: a file's gain only shrinks as more is covered, so a stale heap entry is
    # re-scored when it comes up and pushed back if it is no longer the best.
    heap = [(-len(features.get(i, ())), sizes[i], i) for i in sizes if i not in chosen]
    heapq.heapify(heap)
    while heap:
        _, size, i = heapq.heappop(heap)
        gain = len(features.get(i, set()) - covered)
        if gain == 0:
            continue
        if heap and (-gain, size) > heap[0][:2]:
            heapq.heappush(heap, (-gain, size, i))
            continue
        if used + size > budget:
            continue
        chosen.append(i)
        covered |= features[i]
        used += size

    os.makedirs(out_dir, exist_ok=True)
    for i in chosen:
        shutil.copy(paths[i], os.path.join(out_dir, os.path.basename(paths[i])))
    share = 100.0 * len(covered) / max(1, len(everything))
    print(
        f"kept {len(chosen)} of {len(sizes)} files, {used} bytes (budget {budget}): "
        f"{len(covered)} of {len(everything)} edges ({share:.1f}%)"
    )


if __name__ == "__main__":
    main()
