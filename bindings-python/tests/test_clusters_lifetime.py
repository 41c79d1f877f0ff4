"""storelytics.cluster_customers and lifetime_value: checked against independent computations
(numpy features, the `lifetimes` package) and for their edge cases."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

import storelytics as sl
from storelytics.customers import DEFAULTS


@pytest.fixture(scope="module")
def sales():
    return sl.generate(seed=11, stores=2, lines=8000).sales


def test_cluster_features_are_standardised_log_rfm(sales):
    c = sl.cluster_customers(sales, k=4)
    a = c.assignments
    assert c.k == 4 and c.profiles.height == 4 and c.silhouettes == {}
    assert a.height == sl.rfm(sales).table.height
    # The features recomputed from the exported RFM values with numpy.
    m = a["monetary"].to_numpy()
    raw = np.column_stack([np.log1p(a["recency_days"].to_numpy()), np.log1p(a["frequency"].to_numpy()),
                           np.sign(m) * np.log1p(np.abs(m))])
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    got = a.select("recency_feature", "frequency_feature", "monetary_feature").to_numpy()
    # Same formula, summation order may differ: 1e-12 absolute on values of order 1.
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # Every row sits nearer its own centre than any other one (a k-means fixed point).
    centres = c.profiles.select("centroid_recency", "centroid_frequency", "centroid_monetary").to_numpy()
    nearest = np.argmin(((got[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
    assert (nearest == a["cluster"].to_numpy()).all()
    # Profiles: clusters by descending mean monetary value, exact revenue sums.
    p = c.profiles
    assert p["mean_monetary"].to_list() == sorted(p["mean_monetary"].to_list(), reverse=True)
    assert p["customers"].to_list() == [int((a["cluster"] == i).sum()) for i in range(4)]
    assert p["net_revenue_minor"].sum() == a["monetary_minor"].sum()
    assert p["net_revenue"].to_list() == [v / 100 for v in p["net_revenue_minor"].to_list()]


def test_k_chosen_by_silhouette_is_seeded_and_deterministic(sales):
    c = sl.cluster_customers(sales, k_range=(2, 4))
    assert set(c.silhouettes) == {2, 3, 4}
    assert c.k == max(c.silhouettes, key=lambda k: (c.silhouettes[k], -k))
    again = sl.cluster_customers(sales, k_range=(2, 4))
    assert again.to_dict() == c.to_dict()
    one = sl.cluster_customers(sales, k=3, store="S1", output="pandas")
    assert set(one.assignments["store"]) == {"S1"}


def test_lifetime_value_matches_lifetimes(sales):
    lifetimes = pytest.importorskip("lifetimes")
    v = sl.lifetime_value(sales, horizon_months=6, monthly_discount_rate=0.02)
    assert v.stores.height == 2 and not v.notes
    for store in ("S1", "S2"):
        t = v.table.filter(pl.col("store") == store).to_pandas()
        s = v.stores.filter(pl.col("store") == store).row(0, named=True)
        bg = lifetimes.BetaGeoFitter(penalizer_coef=0.0).fit(t.frequency, t.recency, t["age"])
        rep = t[(t.frequency > 0) & (t.monetary > 0)]
        gg = lifetimes.GammaGammaFitter(penalizer_coef=0.0).fit(rep.frequency, rep.monetary)
        # Both maximise the same likelihoods from different optimisers (BFGS to 1e-7 in lifetimes,
        # Nelder-Mead here); on these flat likelihoods the optima agree to 2e-3 relative, as in
        # tests/reference/test_customers.py.
        np.testing.assert_allclose([s["r"], s["alpha"], s["a"], s["b"]],
                                   bg.params_[["r", "alpha", "a", "b"]].to_numpy(), rtol=2e-3)
        np.testing.assert_allclose([s["p"], s["q"], s["gamma"]], gg.params_[["p", "q", "v"]].to_numpy(), rtol=2e-3)
        # Predictions are smooth in the parameters: 5e-3 relative (1e-6 absolute near zero).
        horizon = 6 * 30.0
        expected = {
            "expected_purchases": bg.conditional_expected_number_of_purchases_up_to_time(
                horizon, t.frequency, t.recency, t["age"]).to_numpy(),
            "probability_alive": bg.conditional_probability_alive(t.frequency, t.recency, t["age"]),
            "expected_average_spend": gg.conditional_expected_average_profit(t.frequency, t.monetary).to_numpy(),
            "lifetime_value": gg.customer_lifetime_value(
                bg, t.frequency, t.recency, t["age"], t.monetary, time=6, discount_rate=0.02, freq="D").to_numpy(),
        }
        for name, want in expected.items():
            np.testing.assert_allclose(t[name].to_numpy(), want, rtol=5e-3, atol=1e-6, err_msg=name)


def test_lifetime_value_options(sales):
    days = sl.lifetime_value(sales)
    weeks = sl.lifetime_value(sales, time_unit="weeks")
    # The same histories in weeks: recency and age scale by 1/7.
    np.testing.assert_allclose(weeks.table["age"].to_numpy(), days.table["age"].to_numpy() / 7, rtol=1e-12)
    early = sl.lifetime_value(sales, as_of=dt.date(2024, 6, 30))
    assert set(early.stores["as_of"].to_list()) == {dt.date(2024, 6, 30)}
    longer = sl.lifetime_value(sales, horizon_months=24)
    assert (longer.table["lifetime_value"] >= days.table["lifetime_value"] - 1e-9).all()
    assert days.to_dict()["rows"][0].keys() == {"store", "customer", "history", "value"}


@pytest.mark.parametrize(
    "call, cls, words",
    [
        (lambda s: sl.cluster_customers(s, k=0), sl.InvalidParameterError, ["`k`"]),
        (lambda s: sl.cluster_customers(s, k=-1), sl.InvalidParameterError, ["`k`"]),
        (lambda s: sl.cluster_customers(s, k_range=(1, 3)), sl.InvalidParameterError, ["`k_range`"]),
        (lambda s: sl.cluster_customers(s, k_range=(5, 3)), sl.InvalidParameterError, ["`k_range`"]),
        (lambda s: sl.cluster_customers(s, k_range=3), sl.InvalidParameterError, ["`k_range`"]),
        (lambda s: sl.cluster_customers(s, runs=0), sl.InvalidParameterError, ["`runs`"]),
        (lambda s: sl.cluster_customers(s, max_iterations=0), sl.InvalidParameterError, ["`max_iterations`"]),
        (lambda s: sl.cluster_customers(s, tolerance=0.0), sl.InvalidParameterError, ["`tolerance`"]),
        (lambda s: sl.cluster_customers(s, tolerance="tight"), sl.InvalidParameterError, ["`tolerance`"]),
        (lambda s: sl.cluster_customers(s, seed=1.5), sl.InvalidParameterError, ["`seed`"]),
        (lambda s: sl.cluster_customers(s, k=10**9), sl.InsufficientDataError, ["clusters"]),
        (lambda s: sl.cluster_customers(s, store="nowhere"), sl.UnknownIdError, ["nowhere"]),
        (lambda s: sl.cluster_customers(s, as_of="yesterday"), sl.InvalidParameterError, ["`as_of`"]),
        (lambda s: sl.lifetime_value(s, horizon_months=0), sl.InvalidParameterError, ["`horizon_months`"]),
        (lambda s: sl.lifetime_value(s, horizon_months=-3), sl.InvalidParameterError, ["`horizon_months`"]),
        (lambda s: sl.lifetime_value(s, monthly_discount_rate=-1.5), sl.InvalidParameterError,
         ["`monthly_discount_rate`"]),
        (lambda s: sl.lifetime_value(s, monthly_discount_rate=float("nan")), sl.InvalidParameterError,
         ["`monthly_discount_rate`"]),
        (lambda s: sl.lifetime_value(s, time_unit="months"), sl.InvalidParameterError, ["`time_unit`"]),
        (lambda s: sl.lifetime_value(s, as_of="2000-01-01"), sl.InvalidParameterError, ["`as_of`"]),
        (lambda s: sl.lifetime_value(s, output="excel"), sl.InvalidParameterError, ["`output`"]),
    ],
)
def test_parameter_errors(sales, call, cls, words):
    with pytest.raises(cls) as err:
        call(sales)
    for w in words:
        assert w in str(err.value), str(err.value)


def tiny(customers, orders_each=1, alike=False):
    """Each customer buys `orders_each` times; `alike` customers have identical R/F/M."""
    rows = []
    for c in range(customers):
        for o in range(orders_each):
            day = 1 + o * 3 + (0 if alike else c % 3)
            rows.append({"order_id": c * 100 + o, "ts": f"2024-03-{day:02d}", "product_id": "a",
                         "quantity": 1.0, "unit_price": 2.0 if alike else 2.0 + c, "customer_id": c})
    return sl.Sales(pl.DataFrame(rows))


def test_edge_cases_give_typed_errors_or_results():
    guests = sl.Sales(pl.DataFrame({"order_id": [1], "ts": ["2024-03-01"], "product_id": ["a"], "quantity": [1.0],
                                    "unit_price": [1.0]}))
    for call in (sl.cluster_customers, sl.lifetime_value):
        with pytest.raises(sl.StorelyticsError):
            call(guests)
        with pytest.raises(sl.StorelyticsError):
            call(sl.Sales(pl.DataFrame(schema={"order_id": pl.Int64, "ts": pl.String, "product_id": pl.String,
                                               "quantity": pl.Float64, "unit_price": pl.Float64})))
    # Two customers cannot choose k by silhouette; one cluster each works.
    with pytest.raises(sl.InsufficientDataError, match="3 customers"):
        sl.cluster_customers(tiny(2))
    assert sl.cluster_customers(tiny(2), k=2).k == 2
    # Identical customers: constant features are noted (or a typed error), never a crash.
    try:
        same = sl.cluster_customers(tiny(5, alike=True), k=2)
        assert len(same.notes) == 3, same.notes
    except sl.StorelyticsError:
        pass
    # No repeat purchases anywhere: BG/NBD cannot be fitted.
    with pytest.raises(sl.StorelyticsError):
        sl.lifetime_value(tiny(20))
    try:
        r = sl.lifetime_value(tiny(20, orders_each=3))
        assert r.table.height == 20
    except sl.StorelyticsError:
        pass


def test_defaults_are_the_core_defaults():
    import inspect

    assert DEFAULTS["clusters"]["k_range"] == [2, 8] and DEFAULTS["clusters"]["seed"] == 42
    sig = inspect.signature(sl.cluster_customers).parameters
    for name in ("k", "seed", "runs", "max_iterations", "tolerance", "silhouette_sample"):
        assert sig[name].default == DEFAULTS["clusters"][name], name
    assert list(sig["k_range"].default) == DEFAULTS["clusters"]["k_range"]
    sig = inspect.signature(sl.lifetime_value).parameters
    for name in ("horizon_months", "monthly_discount_rate", "time_unit"):
        assert sig[name].default == DEFAULTS["lifetime"][name], name
    assert inspect.signature(sl.rfm).parameters["bins"].default == DEFAULTS["rfm"]["bins"] == 5
