"""Reference tests of the fcx forecasting models against statsforecast.

Series: AirPassengers (bundled with statsforecast, monthly, strongly seasonal), two
statsmodels datasets (CO2 weekly means aggregated to monthly, sunspots yearly), and seeded
generated data (intermittent demand, daily sales with weekly + yearly seasonality).
"""

import numpy as np
import pytest
import statsmodels.api as sm
from statsforecast.models import (
    TSB,
    AutoTheta,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    DynamicOptimizedTheta,
    DynamicTheta,
    HistoricAverage,
    Naive,
    OptimizedTheta,
    RandomWalkWithDrift,
    SeasonalNaive,
    Theta,
)
from statsforecast.models import MSTL
from statsforecast.mstl import mstl as sf_mstl
from statsforecast.utils import AirPassengers


def air():
    return np.asarray(AirPassengers, dtype=float)


def co2_monthly():
    data = sm.datasets.co2.load_pandas().data["co2"]
    return data.resample("MS").mean().interpolate().to_numpy()[-240:]


def sunspots():
    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype=float)


def intermittent(seed, n=120, p=0.3):
    rng = np.random.default_rng(seed)
    occurs = rng.random(n) < p
    sizes = rng.poisson(4, n) + 1
    return np.where(occurs, sizes, 0).astype(float)


def daily_sales(seed, n=730):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    week = np.array([1.3, 0.8, 0.85, 0.9, 1.0, 1.25, 0.9])
    year = 1 + 0.2 * np.sin(2 * np.pi * t / 365.25)
    return 200 * week[t % 7] * year + 0.05 * t + rng.normal(0, 8, n)


def forecast(ref, model, y, season_length=1, horizon=12, levels=(), **extra):
    req = {"task": "forecast", "model": model, "y": list(map(float, y)), "season_length": season_length,
           "horizon": horizon, "levels": list(levels), **extra}
    return ref("fcx", req)


def bounds(answer, level):
    iv = next(i for i in answer["intervals"] if abs(i["level"] - level) < 1e-9)
    return np.array(iv["lower"]), np.array(iv["upper"])


# --- baselines: closed-form, so agreement to rounding error (1e-9 relative) ------------------

BASELINES = [
    ("Naive", Naive, False),
    ("SeasonalNaive", SeasonalNaive, True),
    ("RandomWalkWithDrift", RandomWalkWithDrift, False),
    ("HistoricAverage", HistoricAverage, False),
]


@pytest.mark.parametrize("name,cls,seasonal", BASELINES)
@pytest.mark.parametrize("series", ["air", "co2"])
def test_baselines_match_statsforecast(ref, name, cls, seasonal, series):
    y = air() if series == "air" else co2_monthly()
    model = cls(season_length=12) if seasonal else cls()
    expected = model.forecast(y, h=18, level=[80, 95])
    got = forecast(ref, name, y, 12, 18, [80, 95])
    np.testing.assert_allclose(got["mean"], expected["mean"], rtol=1e-9)
    for level in (80, 95):
        lo, hi = bounds(got, level)
        np.testing.assert_allclose(lo, expected[f"lo-{level}"], rtol=1e-9)
        np.testing.assert_allclose(hi, expected[f"hi-{level}"], rtol=1e-9)
    assert got["interval_method"] == "analytic"


# --- Croston family: same closed-form recursions; CrostonOptimized's golden-section search
# stops at a slightly different alpha, which moves the forecast by well under 1% -----------

@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_croston_family_matches_statsforecast(ref, seed):
    y = intermittent(seed)
    for name, model, rtol in [
        ("Croston", CrostonClassic(), 1e-9),
        ("SBA", CrostonSBA(), 1e-9),
        ("CrostonOptimized", CrostonOptimized(), 5e-3),
    ]:
        expected = model.forecast(y, h=7)["mean"]
        got = forecast(ref, name, y, 1, 7)["mean"]
        np.testing.assert_allclose(got, expected, rtol=rtol, err_msg=name)


@pytest.mark.parametrize("alpha_d,alpha_p", [(0.1, 0.1), (0.3, 0.05), (0.5, 0.2)])
def test_tsb_with_fixed_parameters_matches_statsforecast(ref, alpha_d, alpha_p):
    # Fixed smoothing parameters: identical recursions, so rounding-error agreement.
    y = intermittent(7)
    expected = TSB(alpha_d=alpha_d, alpha_p=alpha_p).forecast(y, h=5)["mean"]
    got = forecast(ref, "TSB", y, 1, 5, alpha_d=alpha_d, alpha_p=alpha_p)["mean"]
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_intermittent_models_give_conformal_intervals(ref):
    y = intermittent(11, n=200)
    got = forecast(ref, "CrostonOptimized", y, 1, 7, [80, 95])
    assert got["interval_method"] == "conformal"
    lo80, hi80 = bounds(got, 80)
    lo95, hi95 = bounds(got, 95)
    assert np.all(hi95 >= hi80) and np.all(lo95 <= lo80)


# --- Theta: same state-space model and criterion, different Nelder-Mead stopping rules.
# Point forecasts agree to 0.5% relative; statsforecast's intervals are quantiles of 200
# simulated paths (sampling error of a 95% quantile from 200 draws is ~10%), ours analytic,
# so interval half-widths agree to 25% ----------------------------------------------------

THETAS = [
    ("Theta", Theta),
    ("OptimizedTheta", OptimizedTheta),
    ("DynamicTheta", DynamicTheta),
    ("DynamicOptimizedTheta", DynamicOptimizedTheta),
    ("AutoTheta", AutoTheta),
]


@pytest.mark.parametrize("name,cls", THETAS)
@pytest.mark.parametrize("series", ["air", "co2", "sunspots"])
def test_theta_matches_statsforecast(ref, name, cls, series):
    if series == "air":
        y, m = air(), 12
    elif series == "co2":
        y, m = co2_monthly(), 12
    else:
        y, m = sunspots(), 1
    expected = cls(season_length=m).forecast(y, h=12, level=[95])
    got = forecast(ref, name, y, m, 12, [95])
    np.testing.assert_allclose(got["mean"], expected["mean"], rtol=5e-3)
    lo, hi = bounds(got, 95)
    half = (hi - lo) / 2
    half_sf = (expected["hi-95"] - expected["lo-95"]) / 2
    np.testing.assert_allclose(half, half_sf, rtol=0.25)


# --- MSTL: same STL settings (seasonal degree 0, windows 11/15, statsmodels defaults), so the
# decomposition agrees to 1e-6 relative to the series scale; forecasts use the same trend
# model (random walk with drift) and agree to the same order ----------------------------

def test_mstl_decomposition_matches_statsforecast(ref):
    y = daily_sales(3)
    expected = sf_mstl(y, [7, 365])
    got = ref("fcx", {"task": "mstl", "y": list(y), "periods": [7, 365]})
    scale = np.abs(y).mean()
    assert got["periods"] == [7, 365]
    np.testing.assert_allclose(got["trend"], expected["trend"], atol=1e-6 * scale)
    np.testing.assert_allclose(got["seasonals"][0], expected["seasonal7"], atol=1e-6 * scale)
    np.testing.assert_allclose(got["seasonals"][1], expected["seasonal365"], atol=1e-6 * scale)


def test_mstl_single_period_matches_statsforecast(ref):
    y = air()
    expected = sf_mstl(y, 12)
    got = ref("fcx", {"task": "mstl", "y": list(y), "periods": [12]})
    np.testing.assert_allclose(got["trend"], expected["trend"], atol=1e-6 * y.mean())
    np.testing.assert_allclose(got["seasonals"][0], expected["seasonal"], atol=1e-6 * y.mean())


@pytest.mark.parametrize("periods", [[12], [7, 365]])
def test_mstl_forecast_matches_statsforecast(ref, periods):
    y = air() if periods == [12] else daily_sales(5)
    model = MSTL(season_length=periods, trend_forecaster=RandomWalkWithDrift())
    expected = model.forecast(y, h=24, level=[90])
    got = forecast(ref, "MSTL", y, periods[0], 24, [90], periods=periods, trend="drift")
    np.testing.assert_allclose(got["mean"], expected["mean"], rtol=1e-6)
    lo, hi = bounds(got, 90)
    np.testing.assert_allclose(lo, expected["lo-90"], rtol=1e-6)
    np.testing.assert_allclose(hi, expected["hi-90"], rtol=1e-6)


# --- automatic choice and backtests ----------------------------------------------------------

def test_backtest_mase_matches_direct_computation(ref):
    # MASE computed here from statsforecast's seasonal naive forecasts on the same windows.
    y = air()
    h, step, windows = 12, 6, 3
    got = ref("fcx", {"task": "backtest", "model": "SeasonalNaive", "y": list(y), "season_length": 12,
                      "horizon": h, "step": step, "n_windows": windows, "levels": [95]})
    n = len(y)
    mases = []
    for w in reversed(range(windows)):
        origin = n - h - w * step
        train, test = y[:origin], y[origin:origin + h]
        fc = SeasonalNaive(season_length=12).forecast(train, h=h)["mean"]
        scale = np.mean(np.abs(train[12:] - train[:-12]))
        mases.append(np.mean(np.abs(test - fc)) / scale)
    assert got["scores"]["mase"] == pytest.approx(np.mean(mases), rel=1e-9)
    assert [w["origin"] for w in got["windows"]] == [n - h - w * step for w in reversed(range(windows))]


def test_auto_choice_routes_intermittent_and_reports_candidates(ref):
    got = ref("fcx", {"task": "auto", "y": list(intermittent(5)), "season_length": 7, "horizon": 7, "levels": [90]})
    assert got["intermittent"] is True
    names = [c["model"] for c in got["candidates"]]
    assert {"Croston", "CrostonOptimized", "SBA", "TSB"} <= set(names)
    assert got["chosen"] in names
    regular = ref("fcx", {"task": "auto", "y": list(air()), "season_length": 12, "horizon": 12})
    assert regular["intermittent"] is False
    scored = [c for c in regular["candidates"] if c["scores"]]
    best = min(scored, key=lambda c: c["scores"]["mase"])
    assert regular["chosen"] == best["model"]
