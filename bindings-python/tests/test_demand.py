"""storelytics.top_product_demand and product_daily_units: the daily series checked against a
polars recomputation, the forecasts against sl.forecast_model with the chosen model on the same
series (one core, so equal to the last bit), options, defaults and errors."""

import datetime as dt
import inspect
import re

import numpy as np
import polars as pl
import pytest

import storelytics as sl


def lines():
    """Two stores, 120 days: a dense weekly-seasonal product, an intermittent one with a
    return, a rare one; naive timestamps (no time-zone shift of days)."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(120):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        rows.append(dict(order_id=i, ts=f"{day}T10:00:00", product_id="bread", store_id="S1",
                         quantity=float(round(20 + 5 * np.sin(2 * np.pi * i / 7)) + rng.integers(0, 4)),
                         unit_price=2.0))
        if i % 3 == 0:
            rows.append(dict(order_id=1000 + i, ts=f"{day}T11:00:00", product_id="jam", store_id="S2",
                             quantity=float(rng.integers(1, 3)), unit_price=4.0))
        if i % 17 == 5:
            rows.append(dict(order_id=2000 + i, ts=f"{day}T12:00:00", product_id="tea", store_id="S1",
                             quantity=1.0, unit_price=3.0))
    rows.append(dict(order_id=5000, ts="2024-02-10T15:00:00", product_id="jam", store_id="S2",
                     quantity=-1.0, unit_price=4.0))
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def sales():
    return sl.Sales(lines())


def _key(chosen):
    """The model key of a candidate name: AutoETS -> auto_ets, CrostonOptimized -> croston_optimized."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", chosen).lower()


def test_daily_units_match_polars(sales):
    df = lines().with_columns(day=pl.col("ts").str.slice(0, 10).str.to_date())
    got = sl.product_daily_units(sales, top_n=2)
    totals = df.group_by("product_id").agg(pl.col("quantity").sum()).sort("quantity", descending=True)
    top = totals["product_id"].head(2).to_list()
    assert top == ["bread", "jam"]
    assert got["product"].unique(maintain_order=True).to_list() == top
    days = pl.DataFrame({"date": pl.date_range(df["day"].min(), df["day"].max(), eager=True)})
    for product in top:
        per_day = df.filter(pl.col("product_id") == product).group_by("day").agg(pl.col("quantity").sum())
        want = days.join(per_day, left_on="date", right_on="day", how="left").fill_null(0.0).sort("date")
        mine = got.filter(pl.col("product") == product)
        assert mine["date"].to_list() == want["date"].to_list()
        # Units are exact in thousandths on both sides.
        assert mine["units"].to_list() == want["quantity"].to_list()
    # One store: only its products, still every day of that store's range.
    s2 = sl.product_daily_units(sales, store="S2")
    assert set(s2["product"]) == {"jam"}
    part = sl.product_daily_units(sales, period=sl.Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29)))
    assert part.group_by("product").len()["len"].to_list() == [29] * part["product"].n_unique()
    assert sl.product_daily_units(sales, output="pandas").shape == (3 * 120, 3)


@pytest.mark.parametrize("data", ["lines", "generated"])
def test_forecasts_equal_forecast_model_on_the_daily_series(sales, data):
    s = sales if data == "lines" else sl.generate(seed=5, stores=2, lines=6000).sales
    d = sl.top_product_demand(s, top_n=3, horizon=14)
    history = sl.product_daily_units(s, top_n=3)
    assert d.products["product"].to_list() == history["product"].unique(maintain_order=True).to_list()
    assert d.history.equals(history)
    assert d.forecast.height == 3 * 14
    for p in d.products.iter_rows(named=True):
        y = history.filter(pl.col("product") == p["product"])["units"].to_list()
        model = sl.forecast_model(y, _key(p["chosen"]), 14, season_length=7)
        assert model.model == p["model"]
        assert model.interval_method == p["interval_method"]
        mine = d.forecast.filter(pl.col("product") == p["product"])
        # The same core code on the same values: identical numbers.
        assert mine.drop("product", "date").equals(model.forecast.drop("step"))
        last = history.filter(pl.col("product") == p["product"])["date"].max()
        assert p["forecast_start"] == last + dt.timedelta(days=1)
        assert mine["date"].to_list() == [p["forecast_start"] + dt.timedelta(days=i) for i in range(14)]
        assert set(d.candidates.filter(pl.col("product") == p["product"])["model"]) >= {p["chosen"]}
    if data == "lines":
        # The dense product gets a seasonal model, the sparse ones the Croston family.
        rows = {r["product"]: r for r in d.products.iter_rows(named=True)}
        assert not rows["bread"]["intermittent"] and rows["jam"]["intermittent"]


def test_defaults_are_the_core_defaults(sales):
    assert sl.models.DEFAULTS["demand"] == {"top_n": 10, "horizon": 28, "period": None, "store": None}
    params = inspect.signature(sl.top_product_demand).parameters
    assert params["top_n"].default == 10 and params["horizon"].default == 28
    assert params["n_windows"].default == sl.models.DEFAULTS["auto"]["n_windows"]
    d = sl.top_product_demand(sales)
    assert d.products.height == 3 and d.forecast.height == 3 * 28
    assert d.levels == [80.0, 95.0]


def test_options_and_outputs(sales):
    d = sl.top_product_demand(sales, top_n=1, horizon=7, levels=[90], store="S1", thoroughness="thorough",
                              output="pandas")
    assert list(d.forecast.columns) == ["product", "date", "mean", "lower_90", "upper_90"]
    assert d.products["product"].tolist() == ["bread"]
    raw = d.to_dict()
    assert raw["products"][0]["demand"]["product"] == "bread"
    assert raw["products"][0]["choice"]["forecast"]["mean"] == d.forecast["mean"].tolist()
    empty = sl.top_product_demand(sales, top_n=0)
    assert empty.forecast.height == 0 and empty.forecast.columns[:3] == ["product", "date", "mean"]


@pytest.mark.parametrize(
    "call, cls, words",
    [
        (lambda s: sl.top_product_demand(s, top_n=-1), sl.InvalidParameterError, ["`top_n`"]),
        (lambda s: sl.top_product_demand(s, horizon="7"), sl.InvalidParameterError, ["`horizon`"]),
        (lambda s: sl.top_product_demand(s, horizon=0), sl.InvalidParameterError, ["horizon"]),
        (lambda s: sl.top_product_demand(s, thoroughness="slow"), sl.InvalidParameterError, ["`thoroughness`"]),
        (lambda s: sl.top_product_demand(s, levels=[150]), sl.InvalidParameterError, ["level"]),
        (lambda s: sl.top_product_demand(s, levels="80"), sl.InvalidParameterError, ["`levels`"]),
        (lambda s: sl.top_product_demand(s, step=-2), sl.InvalidParameterError, ["`step`"]),
        (lambda s: sl.top_product_demand(s, include_arima=1), sl.InvalidParameterError, ["`include_arima`"]),
        (lambda s: sl.top_product_demand(s, output="arrow"), sl.InvalidParameterError, ["`output`"]),
        (lambda s: sl.top_product_demand(s, store="nowhere"), sl.UnknownIdError, ["nowhere"]),
        (lambda s: sl.product_daily_units(s, period=("2024-03-01", "2024-02-01")), sl.InvalidParameterError,
         ["period"]),
        (lambda s: sl.product_daily_units(s, top_n=2.5), sl.InvalidParameterError, ["`top_n`"]),
    ],
)
def test_parameter_errors(sales, call, cls, words):
    with pytest.raises(cls) as e:
        call(sales)
    for word in words:
        assert word in str(e.value)
