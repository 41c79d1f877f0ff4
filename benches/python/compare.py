"""storelytics against the established Python stack, in one process, on the same generated lines.

Workloads: Parquet ingest, a KPI report with its comparison period, daily net revenue per store,
the top-10 products, RFM with ten segments, k-means on the log RFM matrix, the automatic
forecast choice (with and without AutoARIMA), anomaly detection and association rules. Peers:
pandas + statsmodels + scikit-learn, polars, DuckDB, statsforecast and mlxtend.

Before timing, every workload runs once (the warm-up: numba compiles statsforecast, caches
fill) and the results are checked against each other; the check is printed, and a failed
check makes the exit status 1. Each time is then the best of N runs. Data generation and
the conversions for the peers are not timed.

Run with the storelytics wheel and the peers installed (see the README's "Python" section):

    python benches/python/compare.py --sizes 1000000,10000000 [--markdown]
    python benches/python/compare.py --quick          # smoke test: 50k lines, 1 repeat
    python benches/python/compare.py --only kpi,rfm
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import datetime as dt
import gc
import os
import platform
import sys
import tempfile
import time
import traceback
from typing import Callable, Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import duckdb  # noqa: E402

from comparison import customers, data, rules, series, tables  # noqa: E402
from comparison.tables import Workload  # noqa: E402

COLUMNS = [
    ("pandas / statsmodels / scikit-learn", ("pandas", "statsmodels", "sklearn")),
    ("polars", ("polars",)),
    ("DuckDB", ("duckdb",)),
    ("statsforecast", ("statsforecast",)),
    ("mlxtend", ("mlxtend",)),
]
SIZE_FREE = {"forecast", "forecast_arima", "anomaly"}
"""Rows on the stores' daily series, which do not grow with the lines: run at the first size only."""
WORKLOADS = ["ingest", "kpi", "trend", "top", "rfm", "kmeans", "forecast", "forecast_arima", "anomaly", "rules"]


def peer_threads(n: int):
    """Limits the OpenMP / BLAS threads of the peers (threadpoolctl comes with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n)


def builders(d: data.Dataset, sales, con, rules_lines: int, windows: int) -> Dict[str, Callable[[], Workload]]:
    return {
        "ingest": lambda: tables.ingest_workload(d, con),
        "kpi": lambda: tables.kpi_workload(d, sales, con),
        "trend": lambda: tables.trend_workload(d, sales, con),
        "top": lambda: tables.top_products_workload(d, sales, con),
        "rfm": lambda: customers.rfm_workload(d, sales),
        "kmeans": lambda: customers.kmeans_workload(d, sales),
        "forecast": lambda: series.forecast_workload(d, sales, include_arima=False, windows=windows),
        "forecast_arima": lambda: series.forecast_workload(d, sales, include_arima=True, windows=windows),
        "anomaly": lambda: series.anomaly_workload(d, sales),
        "rules": lambda: rules.rules_workload(d, rules_lines),
    }


def best_of(f: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


class Row:
    def __init__(self, workload: Workload, lines: int, repeats: int) -> None:
        self.workload = workload
        self.lines = lines
        self.repeats = repeats
        self.ours: Optional[float] = None
        self.peers: Dict[str, Optional[float]] = {}
        self.problems: Dict[str, str] = dict(workload.skipped)
        self.check = ""
        self.ok = True


def timed(f: Callable[[], object]) -> Tuple[object, float]:
    t = time.perf_counter()
    result = f()
    return result, time.perf_counter() - t


def run_workload(w: Workload, lines: int, repeats: int, warm_up: bool) -> Row:
    """Runs every engine once (the warm-up, whose results are checked), then `repeats` timed
    runs each; without `warm_up` (--quick) the checked run is also the timed one."""
    row = Row(w, lines, min(repeats, w.repeats or repeats))
    for name in w.peers:
        if importlib.util.find_spec(name) is None:
            row.problems[name] = "not installed"
            w.skipped[name] = "not installed"
    print(f"\n== {w.name} ({w.size or f'{lines:,} lines'})", flush=True)
    results, first = {}, {}
    ours = None
    try:
        if "storelytics" not in w.skipped:
            ours, first["storelytics"] = timed(w.storelytics)
    except Exception as e:  # a binding failure is reported, not fatal to the whole table
        row.problems["storelytics"] = f"error: {e}"
        row.ok = False
        traceback.print_exc()
    for name, f in w.peers.items():
        if name in row.problems:
            continue
        try:
            results[name], first[name] = timed(f)
        except Exception as e:
            row.problems[name] = f"error: {type(e).__name__}: {e}"
            row.ok = False
            print(f"   {name} failed: {e}", flush=True)
    print("   first run: " + ", ".join(f"{k} {v:.3f} s" for k, v in first.items()), flush=True)
    if not results and all(w.skipped.get(name) == "not installed" for name in w.peers):
        row.check = "no peer installed"
        print("   check skipped: no peer installed", flush=True)
    elif "storelytics" not in row.problems or w.skipped.get("storelytics"):
        try:
            row.check = w.check(ours, results)
            print(f"   check ok: {row.check}", flush=True)
        except Exception as e:  # AssertionError, or a result missing because an engine failed
            row.check = f"CHECK FAILED: {type(e).__name__}: {e}"
            row.ok = False
            print(f"   {row.check}", flush=True)
    for note in w.notes:
        print(f"   note: {note}")
    if "storelytics" not in row.problems:
        row.ours = best_of(w.storelytics, row.repeats) if warm_up else first["storelytics"]
    for name, f in w.peers.items():
        if name not in row.problems:
            row.peers[name] = best_of(f, row.repeats) if warm_up else first[name]
    times = ", ".join(f"{k} {v:.3f} s" for k, v in [("storelytics", row.ours), *row.peers.items()] if v is not None)
    print(f"   best of {row.repeats}: {times}", flush=True)
    return row


def ratio_text(r: float) -> str:
    return f"{r:.2f}x" if r < 10 else f"{r:.0f}x"


def cell(row: Row, names: Tuple[str, ...]) -> str:
    for name in names:
        if name in row.peers:
            secs = row.peers[name]
            label = "" if name in ("pandas", "polars", "duckdb", "statsforecast", "mlxtend") else f"{name} "
            ratio = f" ({ratio_text(secs / row.ours)})" if row.ours else ""
            return f"{label}{secs:.3f}{ratio}"
        if name in row.problems:
            return f"{name}: skipped"
    return "-"


def table(rows: List[Row], markdown: bool) -> str:
    head = ["workload", "size", "N", "storelytics s"] + [c for c, _ in COLUMNS]
    body = []
    for r in rows:
        ours = f"{r.ours:.3f}" if r.ours is not None else "skipped"
        size = r.workload.size or f"{r.lines:,} lines"
        body.append([r.workload.name, size, str(r.repeats), ours] + [cell(r, names) for _, names in COLUMNS])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(b) + " |" for b in body]
        return "\n".join(lines)
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    fmt = lambda xs: "  ".join(x.ljust(w) for x, w in zip(xs, widths))  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(b) for b in body])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        with open("/proc/meminfo") as f:
            mem_kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 2**20:.0f} GiB RAM, Python {platform.python_version()}"


def versions() -> str:
    names = ["storelytics", "pandas", "polars", "duckdb", "statsmodels", "sklearn", "statsforecast", "mlxtend"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.import_module(name).__version__}")
        except ImportError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000000", help="comma-separated line counts (default 1000000)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per workload after the warm-up (best is kept)")
    p.add_argument("--quick", action="store_true", help="smoke test: 50k lines, one run (no warm-up), one forecast window, no AutoARIMA row")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown (the README's)")
    p.add_argument("--only", default="", help=f"comma-separated workloads of: {', '.join(WORKLOADS)}")
    p.add_argument(
        "--omp-threads",
        type=int,
        default=1,
        help="OpenMP / BLAS threads of the peers (scikit-learn, statsmodels); default 1, because "
        "OpenMP's spinning threads slow scikit-learn's KMeans 40-fold on a loaded machine",
    )
    p.add_argument("--rules-lines", type=int, default=300_000, help="lines the association-rules row uses")
    args = p.parse_args(argv)
    sizes = [50_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeats = 1 if args.quick else args.repeats
    # AutoARIMA's search is the slowest row by far (minutes); the smoke test leaves it out.
    only = [w for w in args.only.split(",") if w] or [w for w in WORKLOADS if not (args.quick and w == "forecast_arima")]
    unknown = set(only) - set(WORKLOADS)
    if unknown:
        p.error(f"unknown workload(s) {sorted(unknown)}; choose from {WORKLOADS}")

    started = dt.datetime.now(dt.timezone.utc)
    print(f"{started:%Y-%m-%d %H:%M} UTC; {machine()}\n{versions()}")
    rows: List[Row] = []
    with tempfile.TemporaryDirectory(prefix="storelytics-compare-") as workdir:
        for lines in sizes:
            t = time.perf_counter()
            d = data.generate(lines, workdir)
            sales = data.sales_of(d)
            con = duckdb.connect()
            con.execute(f"CREATE TABLE lines AS SELECT * FROM read_parquet('{d.parquet}')")
            print(f"\n# {d.lines:,} lines, {len(sales.stores)} stores, generated and converted in "
                  f"{time.perf_counter() - t:.1f} s (not timed)", flush=True)
            build = builders(d, sales, con, min(args.rules_lines, lines), 1 if args.quick else 5)
            for name in only:
                if name in SIZE_FREE and lines != sizes[0]:
                    continue  # the same 3 x 730-day series at every size
                with peer_threads(args.omp_threads):
                    rows.append(run_workload(build[name](), d.lines, repeats, warm_up=not args.quick))
            con.close()
            del d, sales, con
            gc.collect()

    command = "python benches/python/compare.py " + " ".join(argv if argv is not None else sys.argv[1:])
    how = "one run each, no warm-up (--quick)" if args.quick else "best of N after a warm-up run"
    print(f"\nTimes in seconds, {how}; (Nx) = peer time / storelytics time; "
          f"peers' OpenMP / BLAS threads: {args.omp_threads}.")
    print(f"Taken {started:%Y-%m-%d} on {machine()}.\nCommand: {command.strip()}\n")
    print(table(rows, args.markdown))
    notes = {}
    for r in rows:
        for n in r.workload.notes + [f"{k}: {v}" for k, v in r.problems.items()]:
            notes.setdefault(r.workload.name, []).append(n)
    print()
    for name, ns in notes.items():
        for n in dict.fromkeys(ns):
            print(f"- {name}: {n}" if args.markdown else f"note, {name}: {n}")
    failed = [r.workload.name for r in rows if not r.ok]
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
