"""storelytics.fit_bgnbd, fit_gamma_gamma and predict_values on given histories, checked against
the `lifetimes` package on its CDNOW sample (weeks), and their parameter errors."""

import numpy as np
import pandas as pd
import polars as pl
import pytest

import storelytics as sl

lifetimes = pytest.importorskip("lifetimes")
hyp2f1 = pytest.importorskip("scipy.special").hyp2f1  # a dependency of lifetimes


@pytest.fixture(scope="module")
def cdnow():
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    return load_cdnow_summary_data_with_monetary_value()


@pytest.fixture(scope="module")
def reference(cdnow):
    bg = lifetimes.BetaGeoFitter(penalizer_coef=0.0).fit(cdnow.frequency, cdnow.recency, cdnow["T"])
    repeat = cdnow[(cdnow.frequency > 0) & (cdnow.monetary_value > 0)]
    gg = lifetimes.GammaGammaFitter(penalizer_coef=0.0).fit(repeat.frequency, repeat.monetary_value)
    return bg, gg


def bgnbd_mean_log_likelihood(fit, data):
    from scipy.special import betaln, gammaln

    x, t, age = data.frequency.to_numpy(), data.recency.to_numpy(), data["T"].to_numpy()
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    alive = betaln(a, b + x) - betaln(a, b) + common - (r + x) * np.log(alpha + age)
    dropped = np.where(
        x > 0,
        betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b) + common - (r + x) * np.log(alpha + t),
        -np.inf,
    )
    return float(np.logaddexp(alive, dropped).mean())


def test_fits_match_lifetimes(cdnow, reference):
    bg, gg = reference
    f = sl.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow["T"])
    g = sl.fit_gamma_gamma(cdnow.frequency, cdnow.monetary_value)
    # The same likelihoods maximised by different optimisers (BFGS in lifetimes, Nelder-Mead
    # here); on these flat likelihoods the optima agree to 2e-3 relative, as in
    # test_clusters_lifetime.py and tests/reference/test_customers.py.
    np.testing.assert_allclose([f.r, f.alpha, f.a, f.b], bg.params_[["r", "alpha", "a", "b"]].to_numpy(), rtol=2e-3)
    np.testing.assert_allclose([g.p, g.q, g.gamma], gg.params_[["p", "q", "v"]].to_numpy(), rtol=2e-3)
    assert g.customers_used == int(((cdnow.frequency > 0) & (cdnow.monetary_value > 0)).sum())
    # The reported likelihood is the BG/NBD likelihood (Fader, Hardie & Lee 2005, eq. 6) at the
    # returned parameters, written here with scipy: 1e-9 relative (log-gamma round-off).
    np.testing.assert_allclose(f.mean_log_likelihood, bgnbd_mean_log_likelihood(f, cdnow), rtol=1e-9)
    assert f.converged and g.converged
    assert f.to_dict()["params"] == f.params and set(g.to_dict()) == {
        "params", "mean_log_likelihood", "customers_used", "converged"}


def test_predictions_match_lifetimes(cdnow, reference):
    bg, gg = reference
    v = sl.predict_values(cdnow.frequency, cdnow.recency, cdnow["T"], cdnow.monetary_value,
                          bgnbd=bg.params_.to_dict(), gamma_gamma=tuple(gg.params_[["p", "q", "v"]]),
                          horizon_months=12, monthly_discount_rate=0.01, time_unit="weeks")
    assert v.height == len(cdnow)
    expected = {
        "expected_purchases": bg.conditional_expected_number_of_purchases_up_to_time(
            12 * 4.345, cdnow.frequency, cdnow.recency, cdnow["T"]).to_numpy(),
        "probability_alive": bg.conditional_probability_alive(cdnow.frequency, cdnow.recency, cdnow["T"]),
        "expected_average_spend": gg.conditional_expected_average_profit(
            cdnow.frequency, cdnow.monetary_value).to_numpy(),
        "lifetime_value": gg.customer_lifetime_value(
            bg, cdnow.frequency, cdnow.recency, cdnow["T"], cdnow.monetary_value, time=12, discount_rate=0.01,
            freq="W").to_numpy(),
    }
    # The same formulas with the same parameters: only floating-point (special functions,
    # summation order) differs, 1e-7 relative.
    for name, want in expected.items():
        np.testing.assert_allclose(v[name].to_numpy(), want, rtol=1e-7, atol=1e-10, err_msg=name)


@pytest.mark.filterwarnings("ignore:invalid value encountered in log")  # lifetimes, see below
def test_defaults_and_inputs(cdnow):
    sample = cdnow.head(300)
    # The CDNOW histories in days (the default time unit).
    in_days = sample.assign(recency=sample.recency * 7, T=sample["T"] * 7)
    f = sl.fit_bgnbd(in_days.frequency.tolist(), pl.Series(in_days.recency), in_days["T"].to_numpy())
    g = sl.fit_gamma_gamma(in_days.frequency, in_days.monetary_value)
    days = sl.predict_values(in_days.frequency, in_days.recency, in_days["T"], in_days.monetary_value, bgnbd=f,
                             gamma_gamma=g)
    explicit = sl.predict_values(in_days.frequency, in_days.recency, in_days["T"], in_days.monetary_value,
                                 bgnbd=f.params, gamma_gamma=g.params, horizon_months=12,
                                 monthly_discount_rate=0.01, time_unit="days", output="pandas")
    assert sl.customers.DEFAULTS["lifetime"] == {"horizon_months": 12, "monthly_discount_rate": 0.01,
                                                  "time_unit": "days"}
    assert days.to_pandas().equals(explicit)
    # Here a + b < 1, so customers without repeats need ₂F₁ with a negative c, where it is
    # negative: lifetimes takes its log and returns NaN. Equation 10 of the BG/NBD paper with
    # scipy's ₂F₁ (untransformed, unlike the core): 1e-7 relative, as above.
    assert f.a + f.b < 1
    bg = lifetimes.BetaGeoFitter()
    bg.params_ = pd.Series(f.params)
    x, t_x, age, t = in_days.frequency.to_numpy(), in_days.recency.to_numpy(), in_days["T"].to_numpy(), 360.0
    lib = bg.conditional_expected_number_of_purchases_up_to_time(t, x, t_x, age)
    assert np.isnan(lib[x == 0]).all()
    r, alpha, a, b = f.r, f.alpha, f.a, f.b
    z = t / (alpha + age + t)
    bracket = 1 - ((alpha + age) / (alpha + age + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    rest = np.where(x > 0, a / (b + np.maximum(x, 1) - 1) * ((alpha + age) / (alpha + t_x)) ** (r + x), 0.0)
    want = (a + b + x - 1) / (a - 1) * bracket / (1 + rest)
    np.testing.assert_allclose(days["expected_purchases"].to_numpy(), want, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(days["expected_purchases"].to_numpy()[x > 0], lib[x > 0], rtol=1e-7)
    # The same model in weeks (alpha / 7): a month of 4.345 weeks is longer than 30 days, so
    # more expected purchases; the probability alive does not depend on the unit (1e-9 relative).
    in_weeks = dict(f.params, alpha=f.alpha / 7)
    weeks = sl.predict_values(sample.frequency, sample.recency, sample["T"], sample.monetary_value,
                              bgnbd=in_weeks, gamma_gamma=g, time_unit="weeks")
    assert (weeks["expected_purchases"] > days["expected_purchases"]).all()
    np.testing.assert_allclose(weeks["probability_alive"].to_numpy(), days["probability_alive"].to_numpy(),
                               rtol=1e-9)


F, R, T, M = [2, 0, 1], [3.0, 0.0, 1.0], [5.0, 4.0, 2.0], [10.0, 0.0, 5.0]
BG, GG = (0.5, 2.0, 0.8, 2.5), (6.0, 4.0, 15.0)


@pytest.mark.parametrize(
    "call, cls, words",
    [
        (lambda: sl.fit_bgnbd(F, R[:2], T), sl.InvalidParameterError, ["`recency`", "2 values"]),
        (lambda: sl.fit_bgnbd([1.5, 0, 1], R, T), sl.InvalidParameterError, ["`frequency`", "customer 0"]),
        (lambda: sl.fit_bgnbd([-1, 0, 1], R, T), sl.InvalidParameterError, ["`frequency`"]),
        (lambda: sl.fit_bgnbd(F, [9.0, 0.0, 1.0], T), sl.InvalidParameterError, ["histories", "recency greater"]),
        (lambda: sl.fit_bgnbd(F, R, [5.0, float("nan"), 2.0]), sl.InvalidParameterError, ["non-finite"]),
        (lambda: sl.fit_bgnbd(F, R, "T"), sl.InvalidParameterError, ["`T`"]),
        (lambda: sl.fit_bgnbd([0, 0], [0.0, 0.0], [3.0, 4.0]), sl.InsufficientDataError, ["repeat"]),
        (lambda: sl.fit_bgnbd([], [], []), sl.InsufficientDataError, ["no customers"]),
        (lambda: sl.fit_gamma_gamma(F, ["a", 1, 2]), sl.InvalidParameterError, ["`monetary_value`"]),
        (lambda: sl.fit_gamma_gamma([1, 0], [5.0, 0.0]), sl.InsufficientDataError, ["Gamma-Gamma"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd={"r": 1}, gamma_gamma=GG), sl.InvalidParameterError,
         ["`bgnbd`"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd=BG, gamma_gamma=(1, 2)), sl.InvalidParameterError,
         ["`gamma_gamma`"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd=BG, gamma_gamma=(6.0, 0.5, 15.0)), sl.NumericalError,
         ["q = 0.5"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd=BG, gamma_gamma=GG, horizon_months=0),
         sl.InvalidParameterError, ["`horizon_months`"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd=BG, gamma_gamma=GG, monthly_discount_rate=-2.0),
         sl.InvalidParameterError, ["`monthly_discount_rate`"]),
        (lambda: sl.predict_values(F, R, T, M, bgnbd=BG, gamma_gamma=GG, time_unit="months"),
         sl.InvalidParameterError, ["`time_unit`"]),
        (lambda: sl.predict_values(F, R, T, M[:1], bgnbd=BG, gamma_gamma=GG), sl.InvalidParameterError,
         ["`monetary_value`"]),
    ],
)
def test_parameter_errors(call, cls, words):
    with pytest.raises(cls) as e:
        call()
    for word in words:
        assert word in str(e.value)
