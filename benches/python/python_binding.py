"""Cost of the Python binding on 1M line items: ingestion from each frame library, the
generator, and `kpi_report` from Python against the same core call timed inside Rust.

Run with the wheel installed (see the README's "Python" section):

    python benches/python/python_binding.py [lines]
"""

import sys
import time

import numpy as np
import polars as pl

import storelytics as sl
from storelytics import _native


def best(f, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def frame(lines):
    rng = np.random.default_rng(1)
    orders = lines // 3
    order = np.sort(rng.integers(0, orders, lines))
    secs = rng.integers(0, 730 * 86400, orders)[order]
    return pl.DataFrame(
        {
            "order_id": order,
            "ts": pl.Series((np.datetime64("2023-01-01") + secs.astype("timedelta64[s]")).astype("datetime64[us]")),
            "product_id": rng.integers(0, 5000, lines),
            "quantity": rng.integers(1, 5, lines).astype(float),
            "unit_price": rng.integers(50, 5000, lines) / 100,
            "customer_id": rng.integers(0, 40000, orders)[order],
            "store_id": rng.integers(0, 3, orders)[order],
        }
    ).with_columns(pl.col("ts").dt.replace_time_zone("UTC"))


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    df = frame(lines)
    pdf, table = df.to_pandas(), df.to_arrow()
    rows = [
        ("Sales(polars DataFrame)", best(lambda: sl.Sales(df))),
        ("Sales(pandas DataFrame)", best(lambda: sl.Sales(pdf))),
        ("Sales(pyarrow Table)", best(lambda: sl.Sales(table))),
        ("generate(lines)", best(lambda: sl.generate(lines=lines), 1)),
    ]
    sales = sl.generate(lines=lines).sales
    py = best(lambda: sl.kpi_report(sales), 5)
    rust = _native._kpi_report_seconds(sales._native, 5)
    rows += [("kpi_report from Python", py), ("kpi_report inside Rust", rust)]
    print(f"{len(sales):,} generated lines, {lines:,} frame rows")
    print(f"{'call':<28}{'seconds':>10}")
    for name, secs in rows:
        print(f"{name:<28}{secs:>10.4f}")
    print(f"Python / Rust for kpi_report: {py / rust:.2f}x")


if __name__ == "__main__":
    main()
