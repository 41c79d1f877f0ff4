"""Customer analytics: storelytics vs pandas (RFM + segments) and scikit-learn (k-means).

Runs the `customers_timing` example of the core crate (release build, without polars), which
generates sales, times storelytics and writes the same data as raw arrays; then times the pandas groupby + qcut
implementation of the same RFM convention and scikit-learn's KMeans on the same feature matrix,
and prints a table with the ratios.

k-means: both sides cluster the same standardised log R/F/M matrix (written by the example), with
the same k, the same number of k-means++ starts (scikit-learn's n_init), max_iter 300 and
tol 1e-4 (both stop at scikit-learn's rule: squared centre shift <= tol x mean feature
variance); neither side's time includes the RFM table. storelytics uses all cores (rayon);
scikit-learn is timed with its default OpenMP threads and with one thread (on a loaded machine
OpenMP's spinning threads can slow it down), and the ratio is against the faster of the two.
Each side's time is the best of the same number of fits (15, set in the example), as runs of
a few tens of milliseconds move with the machine.
The inertias are printed and checked (storelytics <= scikit-learn x 1.01).

    ~/.cache/storelytics/venv/bin/python benches/python/customers.py [lines] [k] [n_init]
    # defaults: 10,000,000 lines, k 5, n_init 1
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

ROOT = pathlib.Path(__file__).resolve().parents[2]
GUEST = np.iinfo(np.uint32).max

SEGMENTS = {}
for rf, name in [
    ("[1-2][1-2]", "Hibernating"), ("[1-2][3-4]", "At Risk"), ("[1-2]5", "Can't Lose Them"),
    ("3[1-2]", "About To Sleep"), ("33", "Need Attention"), ("[3-4][4-5]", "Loyal"), ("41", "Promising"),
    ("51", "New Customers"), ("[4-5][2-3]", "Potential Loyalists"), ("5[4-5]", "Champions"),
]:
    import re
    for r in range(1, 6):
        for f in range(1, 6):
            if re.fullmatch(rf, f"{r}{f}"):
                SEGMENTS[r * 10 + f] = name


def pandas_rfm(df, as_of):
    """The storelytics RFM convention, the usual pandas way (groupby + rank + qcut)."""
    d = df[df.customer != GUEST]
    sold = d[d.quantity > 0]
    g = sold.groupby("customer")
    rfm = pd.DataFrame({"last": g.day.max(), "frequency": g.order.nunique()})
    rfm = rfm.join(d.groupby("customer").amount.sum().rename("monetary"), how="left")
    rfm["recency"] = as_of - rfm["last"]
    rfm["R"] = pd.qcut(rfm.recency.rank(method="first"), 5, labels=[5, 4, 3, 2, 1]).astype(int)
    rfm["F"] = pd.qcut(rfm.frequency.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    rfm["M"] = pd.qcut(rfm.monetary.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    rfm["segment"] = (rfm.R * 10 + rfm.F).map(SEGMENTS)
    summary = rfm.groupby("segment").agg(customers=("R", "size"), revenue=("monetary", "sum"),
                                         recency=("recency", "mean"), frequency=("frequency", "mean"))
    return rfm, summary


def best_of(runs, f):
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    n_init = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    env = dict(os.environ)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "storelytics", "--no-default-features",
                    "--features", "parallel,generator", "--example", "customers_timing"], cwd=ROOT, check=True, env=env)
    meta = json.loads(subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                                     check=True, capture_output=True, text=True).stdout)
    exe = pathlib.Path(meta["target_directory"]) / "release" / "examples" / "customers_timing"
    with tempfile.TemporaryDirectory() as tmp:
        ours = json.loads(subprocess.run([str(exe), str(lines), tmp, str(k), str(n_init)], check=True, capture_output=True, text=True).stdout)
        p = pathlib.Path(tmp)
        df = pd.DataFrame({
            "day": np.fromfile(p / "days.i32", dtype="<i4"),
            "order": np.fromfile(p / "orders.u32", dtype="<u4"),
            "customer": np.fromfile(p / "customers.u32", dtype="<u4"),
            "quantity": np.fromfile(p / "quantities.i64", dtype="<i8"),
            "amount": np.fromfile(p / "amounts.i64", dtype="<i8"),
        })
        features = np.fromfile(p / "features.f64", dtype="<f8").reshape(-1, 3)
    as_of = int(ours["as_of_day"])
    pandas_s, (rfm, summary) = best_of(3, lambda: pandas_rfm(df, as_of))
    # Same answer: customers and revenue per segment.
    for name, customers, revenue in ours["segments"]:
        if customers:
            assert summary.loc[name, "customers"] == customers, name
            assert summary.loc[name, "revenue"] == revenue, name
    km = lambda: KMeans(n_clusters=k, init="k-means++", n_init=n_init, max_iter=300, tol=1e-4, random_state=0).fit(features)
    timed = int(ours["kmeans_timed_runs"])
    sk_default_s, model = best_of(timed, km)
    with threadpool_limits(limits=1):
        sk_one_s, _ = best_of(timed, km)
    sk_s = min(sk_default_s, sk_one_s)

    print(f"{ours['lines']:,} line items, {ours['customers']:,} customers, {os.cpu_count()} cores")
    print(f"{'task':<40}{'storelytics':>13}{'peer':>12}{'peer / storelytics':>21}")
    rows = [
        ("RFM + segments vs pandas", ours["rfm_segments_seconds"], pandas_s),
        (f"k-means k={k} ({n_init} init) vs sklearn", ours["kmeans_seconds"], sk_s),
    ]
    for name, a, b in rows:
        print(f"{name:<40}{a:>12.3f}s{b:>11.3f}s{b / a:>20.1f}x")
    print(f"scikit-learn KMeans: {sk_default_s:.3f}s with its default threads, {sk_one_s:.3f}s with one thread "
          f"(best of {timed} each); storelytics best of {timed} on {ours['threads']} threads")
    print(f"k-means inertia: storelytics {ours['kmeans_inertia']:.1f}, sklearn {model.inertia_:.1f}")
    print("both sides: the same feature matrix, k, k-means++ starts, max_iter 300 and tol 1e-4; no RFM in either time")
    assert ours["kmeans_inertia"] <= model.inertia_ * 1.01, (ours["kmeans_inertia"], model.inertia_)


if __name__ == "__main__":
    main()
