"""Many-series AutoARIMA throughput: storelytics vs statsforecast on the same series.

Run from the repository root (builds the release `ref_arima` tool first):

    ~/.cache/storelytics/venv/bin/python benches/python/arima.py [--series 20] [--length 730]

statsforecast's numba compilation is excluded (one warm-up fit before timing). storelytics is
timed inside the tool (`seconds`, no process start-up), once on one thread (per-series cost,
comparable with statsforecast's single-threaded loop) and once on all threads. Both forecast a
held-out tail; the table reports mean MASE (seasonal-naive scale) of each.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "reference"))
import arima_data as data  # noqa: E402

warnings.filterwarnings("ignore")


def tool_path():
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_arima"], cwd=ROOT,
                   check=True)
    return pathlib.Path(json.loads(meta.stdout)["target_directory"]) / "release" / "ref_arima"


def run_ours(exe, series, m, h, threads):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    req = {"kind": "many", "series": [s.tolist() for s in series], "season_length": m, "horizon": h}
    out = subprocess.run([str(exe)], input=json.dumps(req), capture_output=True, text=True, env=env, check=True)
    answer = json.loads(out.stdout)
    means = [f["mean"] if f else [np.nan] * h for f in answer["forecasts"]]
    return answer["seconds"], means


def run_statsforecast(series, m, h):
    from statsforecast.models import AutoARIMA

    AutoARIMA(season_length=m).forecast(y=series[0][:60].astype(float), h=h)  # numba warm-up
    start = time.perf_counter()
    means = [AutoARIMA(season_length=m).forecast(y=s.astype(float), h=h)["mean"] for s in series]
    return time.perf_counter() - start, means


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--length", type=int, default=730)
    args = parser.parse_args()
    exe = tool_path()
    rng = np.random.default_rng(7)
    monthly = []
    for _ in range(args.series):
        t = np.arange(144)
        season = 1 + rng.uniform(0.1, 0.3) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6))
        monthly.append(np.round(rng.uniform(100, 1000) * (1 + 0.005 * t) * season * np.exp(rng.normal(0, 0.05, 144)), 2))
    cases = [
        ("daily stores, season 7", [data.daily_store(s, args.length)[0] for s in range(args.series)], 7, 30),
        ("monthly, season 12", monthly, 12, 12),
    ]
    print(f"{'case':<24}{'series':>7}{'sf s':>9}{'ours 1t s':>11}{'ours all s':>12}{'sf/ours 1t':>12}"
          f"{'MASE sf':>9}{'MASE ours':>11}")
    for name, series, m, h in cases:
        train = [s[:-h] for s in series]
        test = [s[-h:] for s in series]
        sf_time, sf_means = run_statsforecast(train, m, h)
        ours_1t, ours_means = run_ours(exe, train, m, h, 1)
        ours_all, _ = run_ours(exe, train, m, h, None)
        sf_mase = np.mean([data.mase(tr, te, f, m) for tr, te, f in zip(train, test, sf_means)])
        ours_mase = np.mean([data.mase(tr, te, f, m) for tr, te, f in zip(train, test, ours_means)])
        print(f"{name:<24}{len(series):>7}{sf_time:>9.2f}{ours_1t:>11.2f}{ours_all:>12.2f}"
              f"{sf_time / ours_1t:>12.1f}{sf_mase:>9.3f}{ours_mase:>11.3f}")


if __name__ == "__main__":
    main()
