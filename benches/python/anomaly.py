"""Times the default anomaly detector (S-H-ESD) of storelytics against a Python peer.

The peer is the same algorithm in the Python scientific stack: statsmodels' STL with the
storelytics parameters, then the generalized ESD test with median / MAD (SciPy t quantiles),
as in tests/reference/test_anomaly.py. Both run on the same daily series (two years each,
weekly and yearly pattern, trend, noise, a few spikes and drops) on the additive scale;
storelytics is timed inside its release-built reference tool (`detect_many`, all cores), the
peer in this process (one core, as statsmodels runs). The script also reports how often both
flag exactly the same days.

    ~/.cache/storelytics/venv/bin/python benches/python/anomaly.py [--series 200]
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "reference"))
from test_anomaly import s_h_esd  # noqa: E402


def series(count, days=730, seed=7):
    rng = np.random.default_rng(seed)
    week = np.array([0.9, 0.85, 0.95, 1.0, 1.15, 1.35, 1.1])
    t = np.arange(days)
    out = []
    for _ in range(count):
        base = rng.uniform(500, 2500)
        x = base * (1 + 0.0003 * t) * week[t % 7] * (1 + 0.15 * np.sin(2 * np.pi * t / 365.25))
        x *= 1 + rng.normal(0, 0.06, days)
        where = rng.choice(days, size=8, replace=False)
        x[where] *= rng.choice([0.4, 1.8], size=8)
        out.append(x)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=200)
    args = ap.parse_args()
    data = series(args.series)

    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_anomaly"],
                   cwd=ROOT, check=True)
    exe = pathlib.Path(target) / "release" / "ref_anomaly"
    request = {"op": "detect_many", "series": [x.tolist() for x in data], "season_length": 7}
    proc = subprocess.run([str(exe)], input=json.dumps(request), capture_output=True, text=True, check=True)
    ours = json.loads(proc.stdout)

    clock = time.perf_counter()
    theirs = [s_h_esd(x)[0] for x in data]
    peer_seconds = time.perf_counter() - clock

    same = sum(a == b for a, b in zip(ours["anomalies"], theirs))
    print(f"{'implementation':<42} {'series':>7} {'seconds':>9} {'ms/series':>10}")
    print(f"{'storelytics detect_many (S-H-ESD)':<42} {len(data):>7} {ours['seconds']:>9.3f} "
          f"{1000 * ours['seconds'] / len(data):>10.3f}")
    print(f"{'statsmodels STL + SciPy GESD (Python)':<42} {len(data):>7} {peer_seconds:>9.3f} "
          f"{1000 * peer_seconds / len(data):>10.3f}")
    print(f"speed-up: {peer_seconds / ours['seconds']:.1f}x; identical anomaly days in {same}/{len(data)} series")


if __name__ == "__main__":
    main()
