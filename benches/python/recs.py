"""Times storelytics vs mlxtend on the same generated baskets: FP-growth + association rules.

Run from the repository root (builds the release reference tool first):

    ~/.cache/storelytics/venv/bin/python benches/python/recs.py [--large] [--repeats N]

What is timed (printed as a note above the table):
- Both sides get the same baskets (lists of product codes) and each first builds the input its
  library takes; that preparation is EXCLUDED from the timed ratio and shown in its own columns:
  storelytics `Baskets::from_lists` (inside the tool, after JSON parsing), mlxtend the dense
  one-hot boolean DataFrame (the input `fpgrowth` requires, built with numpy).
- Timed: storelytics `frequent_itemsets` + `association_rules`; mlxtend `fpgrowth` +
  `association_rules(num_itemsets=..., metric="confidence")`; same min support and min
  confidence 0.1, and both must find the same numbers of itemsets and rules (asserted).
- Each side runs N times (default 3) in this one invocation; the fastest wall-clock run is
  reported, which filters out time spent waiting for a core on a shared machine. CPU seconds
  are the mean per run. storelytics runs twice: with its default rayon pool (all cores) and with
  RAYON_NUM_THREADS=1; mlxtend is single-threaded.
`--large` adds the 4M baskets x 20k products case (storelytics only: a dense one-hot matrix of
that size would need 80 GB for mlxtend).
"""

import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "reference"))


def generate_flat(seed, n_baskets, n_products, n_bundles=50, bundle_rate=0.3):
    """Baskets as (offsets, items): Zipf-like popularity (exponent 0.9), 1-6 draws per basket,
    30% of baskets add one of 50 fixed bundles (each bundle product kept with p=0.85)."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_products + 1) ** 0.9
    cdf = np.cumsum(weights / weights.sum())
    perm = rng.permutation(n_products)
    sizes = rng.integers(1, 7, size=n_baskets)
    draws = perm[np.minimum(np.searchsorted(cdf, rng.random(int(sizes.sum()))), n_products - 1)]
    bundles = [rng.choice(n_products, size=rng.integers(2, 5), replace=False) for _ in range(n_bundles)]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    extra_for = np.nonzero(rng.random(n_baskets) < bundle_rate)[0]
    which = rng.integers(0, n_bundles, size=len(extra_for))
    extras = {int(i): bundles[w][rng.random(len(bundles[w])) < 0.85] for i, w in zip(extra_for, which)}
    offsets, items = [0], []
    for i in range(n_baskets):
        b = draws[starts[i]:starts[i + 1]]
        if i in extras:
            b = np.concatenate([b, extras[i]])
        b = np.unique(b)
        items.extend(b.tolist())
        offsets.append(len(items))
    return offsets, items


def storelytics_time(exe, offsets, items, min_support, min_confidence, repeats, threads=None):
    """(fastest wall s, mean CPU s, preparation s, itemsets, rules) of the release tool."""
    request = {"op": "rules", "basket_offsets": offsets, "basket_items": items, "min_support": min_support,
               "max_len": None, "min_confidence": min_confidence, "summary_only": True, "repeats": repeats}
    env = dict(os.environ)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    proc = subprocess.run([str(exe)], input=json.dumps(request), capture_output=True, text=True, check=True, env=env)
    a = json.loads(proc.stdout)
    return a["seconds"], a["cpu_seconds"], a["prepare_seconds"], a["itemset_count"], a["rule_count"]


def mlxtend_time(offsets, items, n_products, min_support, min_confidence, repeats):
    """(fastest wall s, mean CPU s, preparation s, itemsets, rules) of mlxtend."""
    import pandas as pd
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    start = time.perf_counter()
    n = len(offsets) - 1
    sizes = np.diff(np.asarray(offsets))
    matrix = np.zeros((n, n_products), dtype=bool)
    matrix[np.repeat(np.arange(n), sizes), np.asarray(items, dtype=np.int64)] = True
    df = pd.DataFrame(matrix)
    prepare = time.perf_counter() - start
    best, cpu_total = float("inf"), 0.0
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        sets = fpgrowth(df, min_support=min_support)
        rules = association_rules(sets, num_itemsets=n, metric="confidence", min_threshold=min_confidence)
        best = min(best, time.perf_counter() - start)
        cpu_total += time.process_time() - cpu
    return best, cpu_total / repeats, prepare, len(sets), len(rules)


def main():
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_recs"], cwd=ROOT,
                   check=True)
    exe = pathlib.Path(target) / "release" / "ref_recs"
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    cases = [(20_000, 1_000, 0.002), (100_000, 2_000, 0.001), (300_000, 3_000, 0.001)]
    if "--large" in sys.argv:
        cases.append((4_000_000, 20_000, 0.001))
    print(f"FP-growth + association rules (min confidence 0.1), fastest of {repeats} runs per side, {os.cpu_count()} "
          "cores.\nTimed: storelytics frequent_itemsets + association_rules on Baskets; mlxtend fpgrowth + "
          "association_rules on a one-hot bool DataFrame.\nExcluded from the timing and ratios (shown as 'prep'): "
          "building Baskets from the lists / building the one-hot DataFrame; JSON transfer to the tool.\n"
          "'1 thr' = storelytics with RAYON_NUM_THREADS=1 (mlxtend is single-threaded). CPU = mean CPU s per run.")
    print(f"{'baskets':>9} {'products':>8} {'support':>7} {'itemsets':>8} {'rules':>6} | {'prep s: ours':>12} "
          f"{'mlxtend':>7} | {'wall s: ours':>12} {'1 thr':>7} {'mlxtend':>8} {'ratio':>6} {'1 thr':>6} | "
          f"{'CPU s: ours':>11} {'mlxtend':>8} {'ratio':>6}")
    for n, products, support in cases:
        offsets, items = generate_flat(1, n, products)
        ours, our_cpu, our_prep, sets, rules = storelytics_time(exe, offsets, items, support, 0.1, repeats)
        single = storelytics_time(exe, offsets, items, support, 0.1, repeats, threads=1)[0]
        if n * products <= 1_000_000_000:
            theirs, their_cpu, their_prep, their_sets, their_rules = mlxtend_time(
                offsets, items, products, support, 0.1, repeats)
            assert (their_sets, their_rules) == (sets, rules), "itemset / rule counts differ"
            mlx = (f"{their_prep:7.2f} | {ours:12.4f} {single:7.4f} {theirs:8.2f} {theirs / ours:5.0f}x "
                   f"{theirs / single:5.0f}x | {our_cpu:11.4f} {their_cpu:8.2f} {their_cpu / our_cpu:5.0f}x")
        else:
            mlx = (f"{'not run':>7} | {ours:12.4f} {single:7.4f} {'not run':>8} {'-':>6} {'-':>6} | "
                   f"{our_cpu:11.4f} {'not run':>8} {'-':>6}")
        print(f"{n:>9} {products:>8} {support:>7} {sets:>8} {rules:>6} | {our_prep:12.3f} {mlx}", flush=True)


if __name__ == "__main__":
    main()
