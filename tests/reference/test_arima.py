"""ARIMA and AutoARIMA against statsmodels SARIMAX and statsforecast (a port of R's forecast).

Fixed orders: statsmodels' SARIMAX is an exact-likelihood state-space fit with a careful
optimiser, so log-likelihoods and coefficients are compared tightly with it; statsforecast's
`Arima` uses the same algorithm as storelytics (CSS then exact ML, Gardner initialisation) but
its scipy BFGS run sometimes stops early, so there storelytics must be at least as good.
AutoARIMA: same chosen order on most series and holdout MASE no worse on average.
"""

import warnings

import numpy as np
import pytest

import arima_data as data
from conftest import RefError

warnings.filterwarnings("ignore")


def order_dict(p, d, q, P=0, D=0, Q=0, m=1):
    return dict(p=p, d=d, q=q, seasonal_p=P, seasonal_d=D, seasonal_q=Q, season_length=m)


# Log AirPassengers: the airline model and two richer ones (no constants: d + D = 2).
SARIMAX_CASES = [((0, 1, 1), (0, 1, 1, 12)), ((2, 1, 1), (0, 1, 0, 12)), ((1, 1, 1), (1, 1, 1, 12))]


@pytest.mark.parametrize("order,seasonal", SARIMAX_CASES)
def test_fixed_order_matches_sarimax(ref, order, seasonal):
    import statsmodels.api as sm

    y, _ = data.air_passengers()
    y = np.log(y)
    res = sm.tsa.SARIMAX(y, order=order, seasonal_order=seasonal).fit(disp=False)
    ours = ref("arima", {"kind": "fit", "y": y.tolist(), "order": order_dict(*order, *seasonal), "horizon": 12,
                         "levels": [95]})
    # Both compute the exact likelihood with a diffuse prior (kappa 1e6) for the differencing
    # states and leave the first d + mD observations out; the priors differ in detail, which
    # moves the log-likelihood by ~0.01. 0.05 allows that plus optimiser tolerance.
    assert abs(ours["loglik"] - res.llf) < 0.05
    # Same optimum: coefficients agree to the optimisers' tolerance (flat directions allow
    # ~1e-2; the likelihood check above is the sharper one).
    coefs = ours["ar"] + ours["ma"] + ours["seasonal_ar"] + ours["seasonal_ma"]
    np.testing.assert_allclose(coefs, res.params[: len(coefs)], atol=0.02)
    # Point forecasts of the same model agree to 0.1% (log scale values near 6).
    fc = res.get_forecast(12)
    np.testing.assert_allclose(ours["mean"], fc.predicted_mean, rtol=1e-3)
    # Interval half-widths: SARIMAX uses the ML variance, storelytics (like R's forecast)
    # divides the residual sum of squares by n - d - mD - k instead; that and the coefficient
    # differences change widths by a few percent.
    lo = fc.conf_int(alpha=0.05)[:, 0]
    ours_half = np.asarray(ours["mean"]) - np.asarray(ours["intervals"][0]["lower"])
    np.testing.assert_allclose(ours_half, fc.predicted_mean - lo, rtol=0.05)


def sf_fixed(y, order, seasonal, m, **kw):
    from statsforecast.arima import Arima

    return Arima(y, order=order, seasonal={"order": seasonal, "period": m}, method="CSS-ML", **kw)


FIXED_CASES = [
    ("air_passengers", (0, 1, 1), (0, 1, 1), {}),
    ("air_passengers", (1, 0, 0), (0, 1, 0), {"include_drift": True}),
    ("air_passengers", (1, 0, 0), (0, 0, 0), {}),
    ("realcons", (1, 1, 0), (0, 0, 0), {"include_drift": True}),
    ("nile", (1, 0, 1), (0, 0, 0), {}),
    ("daily", (1, 0, 1), (0, 1, 1), {}),
    ("daily", (1, 1, 1), (0, 1, 1), {}),
]


def load(name):
    return {
        "air_passengers": data.air_passengers,
        "realcons": lambda: data.macro("realcons"),
        "nile": data.nile,
        "daily": lambda: data.daily_store(3),
    }[name]()


def sf_exact_loglik(y, fit):
    """statsforecast's own exact likelihood at its reported coefficients. (Its reported
    `loglik` comes from the CSS objective on some code paths, e.g. drift models.)"""
    from statsforecast.arima import arima_like, make_arima

    final = fit["model"]
    mod = make_arima(final["phi"], final["theta"], final["delta"], 1e6)
    z = y.astype(float).copy()
    if "intercept" in fit["coef"]:
        z = z - fit["coef"]["intercept"]
    if "drift" in fit["coef"]:
        z = z - fit["coef"]["drift"] * np.arange(1, len(y) + 1)
    ssq, sumlog, nu = arima_like(z, mod["phi"], mod["theta"], mod["delta"], mod["a"], mod["P"], mod["Pn"], 0,
                                 False)[:3]
    n_used = len(y) - len(mod["delta"])
    value = 0.5 * (np.log(ssq / nu) + sumlog / nu)
    return -0.5 * (2 * n_used * value + n_used + n_used * np.log(2 * np.pi))


@pytest.mark.parametrize("name,order,seasonal,kw", FIXED_CASES)
def test_fixed_order_not_worse_than_statsforecast(ref, name, order, seasonal, kw):
    y, m = load(name)
    m_used = 1 if sum(seasonal) == 0 else m
    sf = sf_fixed(y, order, seasonal, m_used, **kw)
    sf_ll = sf_exact_loglik(y, sf)
    ours = ref("arima", {"kind": "fit", "y": y.tolist(), "order": order_dict(*order, *seasonal, m_used),
                         "include_drift": kw.get("include_drift", False), "horizon": 5, "levels": [80, 95]})
    # The same likelihood function (checked to 1e-9 at equal coefficients during development);
    # the optimisers may end at different points of a flat optimum. storelytics must not be
    # worse than statsforecast's fit by more than 0.05 (its optimiser tolerance), and both must
    # describe the same fit: within 1% of |loglik|.
    assert ours["loglik"] >= sf_ll - 0.05
    assert abs(ours["loglik"] - sf_ll) <= 0.01 * abs(sf_ll) + 0.05
    assert len(ours["mean"]) == 5 and all(np.isfinite(ours["mean"]))
    lo80, lo95 = ours["intervals"][0]["lower"], ours["intervals"][1]["lower"]
    assert all(a > b for a, b in zip(lo80, lo95))


def sf_auto(y, m):
    from statsforecast.arima import auto_arima_f, forecast_arima

    # approximation=False as statsforecast's `AutoARIMA` class (and storelytics' default);
    # `auto_arima_f` alone would switch to CSS ranking for series longer than 150.
    fit = auto_arima_f(y, period=m, approximation=False)
    p, q, P, Q, _, d, D = fit["arma"]
    return fit, (p, d, q, P, D, Q) if m > 1 and P + D + Q > 0 else (p, d, q, 0, 0, 0), forecast_arima


def test_auto_arima_orders_and_accuracy(ref):
    same, ours_mase, sf_mase, rows = 0, [], [], []
    series = data.auto_series()
    for name, y, m in series:
        h = 14 if m == 7 else (2 * m if m > 1 else 10)
        train, test = y[:-h], y[-h:]
        fit, sf_order, forecast_arima = sf_auto(train, m)
        sf_mean = forecast_arima(fit, h)["mean"]
        ours = ref("arima", {"kind": "auto", "y": train.tolist(), "season_length": m, "horizon": h})
        o = ours["order"]
        ours_order = (o["p"], o["d"], o["q"], o["seasonal_p"], o["seasonal_d"], o["seasonal_q"])
        if o["season_length"] <= 1 or sum(ours_order[3:]) == 0:
            ours_order = ours_order[:3] + (0, 0, 0)
        same += ours_order == sf_order
        ours_mase.append(data.mase(train, test, ours["mean"], m))
        sf_mase.append(data.mase(train, test, sf_mean, m))
        rows.append((name, ours_order, sf_order, ours_mase[-1], sf_mase[-1]))
    report = "\n".join(f"{r[0]:>16} ours {r[1]} sf {r[2]} MASE {r[3]:.3f} vs {r[4]:.3f}" for r in rows)
    print(report)
    # Order agreement. Both run the same stepwise search with the same d and D (KPSS, seasonal
    # strength) on every series here; they part only where a fit differs. statsforecast's scipy
    # BFGS (100 iterations) often stops short of the likelihood maximum: on these series its
    # AICc values are up to ~10 units above storelytics' for the same model (e.g. the
    # (1,0,0)(0,1,1)[7] of daily_store_0). A seasonal MA that converges towards -1 (a weekly or
    # yearly pattern that the seasonal-strength rule differenced away) fails the "roots outside
    # 1.01" check when fully converged, so storelytics' search fits keep seasonal MA roots just
    # outside 1.01. The remaining differences come from statsforecast's unconverged fits
    # steering its walk (daily stores: a seasonal AR term compensates its unconverged seasonal
    # MA; elnino likewise). Measured: 8 of 12 agree; at least 7 must (one AICc near-tie may flip
    # with rounding).
    assert same >= 7, report
    # Holdout accuracy no worse on average, with 2% slack: 12 series give a noisy mean.
    assert np.mean(ours_mase) <= 1.02 * np.mean(sf_mase), report


def test_auto_arima_exhaustive_and_approximation_agree_on_airline(ref):
    y, m = data.air_passengers()
    stepwise = ref("arima", {"kind": "auto", "y": np.log(y).tolist(), "season_length": m})
    exhaustive = ref("arima", {"kind": "auto", "y": np.log(y).tolist(), "season_length": m,
                               "options": {"stepwise": False}})
    approx = ref("arima", {"kind": "auto", "y": np.log(y).tolist(), "season_length": m,
                           "options": {"approximation": True}})
    # The exhaustive search visits every model the stepwise one does: its AICc is no larger.
    assert exhaustive["aicc"] <= stepwise["aicc"] + 1e-9
    # The approximation ranks by CSS but refits the winner exactly: a valid, finite AICc.
    assert np.isfinite(approx["aicc"])


def test_errors_are_typed(ref):
    with pytest.raises(RefError) as e:
        ref("arima", {"kind": "auto", "y": [], "season_length": 7})
    assert e.value.kind == "insufficient_data"
    with pytest.raises(RefError) as e:
        ref("arima", {"kind": "auto", "y": [1.0, None, 2.0], "season_length": 1})
    assert e.value.kind in ("schema", "request")
