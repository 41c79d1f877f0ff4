"""Anomaly detection compared with established Python implementations.

- PELT change points against `ruptures` (Pelt, l2 cost): the same penalised objective, both
  exact, so the change points must be identical.
- Rosner's generalized ESD critical values against the formula evaluated with SciPy's
  Student-t quantile.
- The S-H-ESD detector end to end against statsmodels' STL with the same parameters, followed
  by the generalized ESD test with median / MAD written out below from Rosner (1983) and
  Hochenbaum et al. (2017).
"""

import math

import numpy as np
import pytest
import ruptures as rpt
from scipy import stats
from statsmodels.tsa.seasonal import STL


def stepped_series(seed, n=300, steps=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    for at in sorted(rng.choice(np.arange(20, n - 20), size=steps, replace=False)):
        x[at:] += rng.choice([-1, 1]) * rng.uniform(1.5, 4.0)
    return x


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("min_segment,penalty", [(2, 3.0), (5, 10.0), (7, 25.0), (5, 0.5)])
def test_change_points_match_ruptures(ref, seed, min_segment, penalty):
    x = stepped_series(seed)
    ours = ref("anomaly", {"op": "change_points", "values": x.tolist(), "penalty": penalty,
                           "min_segment": min_segment})
    theirs = rpt.Pelt(model="l2", min_size=min_segment, jump=1).fit(x).predict(pen=penalty)[:-1]
    # Exact: both minimise the same objective exactly; ties have probability zero with
    # continuous noise.
    assert ours == theirs


def rosner_lambda(n, i, alpha, one_sided):
    m = n - i
    p = 1 - (alpha / (m + 1) if one_sided else alpha / (2 * (m + 1)))
    t = stats.t.ppf(p, m - 1)
    return m * t / math.sqrt((m - 1 + t * t) * (m + 1))


@pytest.mark.parametrize("n", [12, 54, 730])
@pytest.mark.parametrize("alpha", [0.001, 0.05, 0.3])
@pytest.mark.parametrize("one_sided", [False, True])
def test_esd_critical_values_match_scipy(ref, n, alpha, one_sided):
    count = min(n - 3, 40)
    ours = ref("anomaly", {"op": "critical_values", "n": n, "alpha": alpha, "one_sided": one_sided,
                           "count": count})
    theirs = [rosner_lambda(n, i, alpha, one_sided) for i in range(1, count + 1)]
    # 1e-9 relative: both sides invert the regularised incomplete beta function to close to
    # double precision; the critical values are O(1) to O(5).
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def weekly_series(seed, n=364, outliers=8):
    rng = np.random.default_rng(seed)
    week = np.array([100.0, 95.0, 105.0, 110.0, 130.0, 160.0, 120.0])
    t = np.arange(n)
    x = week[t % 7] + 0.03 * t + 10 * np.sin(2 * np.pi * t / 365.25) + rng.normal(0, 4.0, n)
    where = rng.choice(np.arange(5, n - 5), size=outliers, replace=False)
    x[where] += rng.choice([-1, 1], size=outliers) * rng.uniform(20, 50, size=outliers)
    return x, sorted(where.tolist())


def s_h_esd(x, max_share=0.1, alpha=0.05):
    """S-H-ESD with the storelytics STL parameters: seasonal span 51 cycles (degree 0), trend
    span 21, low-pass span 9 (the smallest odd number above the period), jumps of a tenth of each span, one inner and two robustness
    iterations; then the generalized ESD test with median and 1.4826 * MAD."""
    fit = STL(x, period=7, seasonal=51, trend=21, low_pass=9, seasonal_deg=0, trend_deg=1,
              low_pass_deg=1, robust=True, seasonal_jump=6, trend_jump=3, low_pass_jump=1).fit(
                  inner_iter=1, outer_iter=2)
    fitted = fit.seasonal + fit.trend
    r = x - fitted
    n = len(r)
    k = int(math.floor(max_share * n))
    remaining = list(range(n))
    removed, stat = [], []
    for _ in range(k):
        vals = r[remaining]
        med = np.median(vals)
        sd = 1.4826 * np.median(np.abs(vals - med))
        dev = np.abs(vals - med)
        j = int(np.argmax(dev))
        stat.append(dev[j] / sd)
        removed.append(remaining.pop(j))
    count = 0
    for i in range(k, 0, -1):
        if stat[i - 1] > rosner_lambda(n, i, alpha, False):
            count = i
            break
    return sorted(removed[:count]), fitted


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_seasonal_esd_matches_statsmodels_stl_and_rosner(ref, seed):
    x, planted = weekly_series(seed)
    report = ref("anomaly", {"op": "detect", "values": x.tolist(), "season_length": 7,
                             "detector": "seasonal_esd", "scale": "additive"})
    ours = [a["index"] for a in report["anomalies"]]
    theirs, fitted = s_h_esd(x)
    # The same points: both sides run the same deterministic algorithm; the decompositions
    # agree to rounding, far below the gap between outliers and noise.
    assert ours == theirs
    # Sanity check that the comparison is about real anomalies: most planted ones are found.
    assert len(set(planted) & set(ours)) >= len(planted) - 2
    # Expected value = seasonal + trend + median of the remainder after removing the outliers;
    # agreement to 1e-6 relative allows for the two STL implementations' rounding.
    rest = np.delete(x - fitted, theirs)
    for a in report["anomalies"]:
        expected = fitted[a["index"]] + np.median(rest)
        assert a["expected"] == pytest.approx(expected, rel=1e-6)
