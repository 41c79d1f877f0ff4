"""Times storelytics vs mlxtend on the same generated baskets: FP-growth + association rules.

Run from the repository root (builds the release reference tool first):

    ~/.cache/storelytics/venv/bin/python benches/python/recs.py [--large]

storelytics time is measured inside the tool around `frequent_itemsets` + `association_rules`
(input parsing excluded); mlxtend time around `fpgrowth` + `association_rules` (one-hot
encoding excluded). Both wall-clock and CPU seconds are printed: on a shared, busy machine the
wall-clock ratio is distorted by waiting for a core, CPU time is not (storelytics' CPU time
sums its threads, so the CPU ratio understates its wall-clock advantage on an idle machine). `--large` adds the 4M baskets x 20k products case (storelytics only: a
dense one-hot matrix of that size would need 80 GB for mlxtend).
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


def storelytics_time(exe, offsets, items, min_support, min_confidence):
    request = {"op": "rules", "basket_offsets": offsets, "basket_items": items, "min_support": min_support,
               "max_len": None, "min_confidence": min_confidence, "summary_only": True}
    proc = subprocess.run([str(exe)], input=json.dumps(request), capture_output=True, text=True, check=True)
    answer = json.loads(proc.stdout)
    return answer["seconds"], answer["cpu_seconds"], answer["itemset_count"], answer["rule_count"]


def mlxtend_time(offsets, items, n_products, min_support, min_confidence):
    import pandas as pd
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    n = len(offsets) - 1
    matrix = np.zeros((n, n_products), dtype=bool)
    for i in range(n):
        matrix[i, items[offsets[i]:offsets[i + 1]]] = True
    df = pd.DataFrame(matrix)
    start, cpu = time.perf_counter(), time.process_time()
    sets = fpgrowth(df, min_support=min_support)
    rules = association_rules(sets, num_itemsets=n, metric="confidence", min_threshold=min_confidence)
    return time.perf_counter() - start, time.process_time() - cpu, len(sets), len(rules)


def main():
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_recs"], cwd=ROOT,
                   check=True)
    exe = pathlib.Path(target) / "release" / "ref_recs"
    cases = [(20_000, 1_000, 0.002), (100_000, 2_000, 0.001)]
    if "--large" in sys.argv:
        cases.append((4_000_000, 20_000, 0.001))
    print(f"{'baskets':>9} {'products':>8} {'support':>7} {'itemsets':>8} {'rules':>7} | {'wall s: ours':>12} "
          f"{'mlxtend':>8} {'ratio':>6} | {'CPU s: ours':>11} {'mlxtend':>8} {'ratio':>6}")
    for n, products, support in cases:
        offsets, items = generate_flat(1, n, products)
        ours, our_cpu, sets, rules = storelytics_time(exe, offsets, items, support, 0.1)
        if n * products <= 500_000_000:
            theirs, their_cpu, their_sets, their_rules = mlxtend_time(offsets, items, products, support, 0.1)
            assert (their_sets, their_rules) == (sets, rules), "itemset / rule counts differ"
            mlx = f"{theirs:8.2f} {theirs / ours:5.0f}x | {our_cpu:11.3f} {their_cpu:8.2f} {their_cpu / our_cpu:5.0f}x"
        else:
            mlx = f"{'not run':>8} {'-':>6} | {our_cpu:11.3f} {'not run':>8} {'-':>6}"
        print(f"{n:>9} {products:>8} {support:>7} {sets:>8} {rules:>7} | {ours:12.3f} {mlx}", flush=True)


if __name__ == "__main__":
    main()
