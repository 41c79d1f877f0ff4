"""Every forecasting model by name (storelytics.models, forecast_model, backtest): the results
equal the Rust golden files exactly, backtest scores agree with an independent numpy
computation from the returned windows, and bad input raises typed errors naming the
parameter."""

import dataclasses
import inspect
import json
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import storelytics as sl
from storelytics import _native, models
from conftest import load_golden


def from_spec(spec):
    """The Python model for a golden spec, built through the public classes."""
    spec = dict(spec)
    cls = models.MODELS[spec.pop("name")]
    kwargs = {}
    for key, value in spec.items():
        if key == "order":
            value = models.ArimaOrder(**{k: v for k, v in value.items() if k != "season_length"})
        elif key in ("options", "fit"):
            value = models.EtsOptions(**value)
        elif key == "box_cox" and isinstance(value, dict):
            value = value["lambda"]
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


GOLDEN_MODELS = load_golden("forecast_models.json")
GOLDEN_BACKTEST = load_golden("forecast_backtest.json")


def case_id(case):
    return f"{case['series']}-{json.dumps(case['spec'], sort_keys=True)[:60]}-{case['intervals']}"


@pytest.mark.parametrize("case", GOLDEN_MODELS["cases"], ids=case_id)
def test_every_model_equals_the_rust_golden_file(case):
    model = from_spec(case["spec"])
    assert model.to_spec() == case["spec"], "the Python spec must serialise as the Rust one"
    y = GOLDEN_MODELS["series"][case["series"]]
    result = sl.forecast_model(
        np.asarray(y),
        model,
        GOLDEN_MODELS["horizon"],
        levels=GOLDEN_MODELS["levels"],
        season_length=GOLDEN_MODELS["season_length"],
        intervals=case["intervals"],
    )
    assert result.to_dict() == case["result"]
    want = case["result"]["forecast"]
    assert result.forecast["mean"].to_list() == want["mean"]
    assert result.interval_method == want["interval_method"]
    for interval in want["intervals"]:
        name = f"{interval['level']:g}"
        assert result.forecast[f"lower_{name}"].to_list() == interval["lower"]
        assert result.forecast[f"upper_{name}"].to_list() == interval["upper"]
    assert result.parameters == case["result"]["parameters"]


def test_golden_covers_every_model_and_the_parameters():
    names = {c["spec"]["name"] for c in GOLDEN_MODELS["cases"]}
    assert names == set(models.MODELS)
    kinds = {c["spec"]["name"]: (c["result"]["parameters"] or {}).get("kind") for c in GOLDEN_MODELS["cases"]}
    assert kinds["arima"] == kinds["auto_arima"] == "arima"
    assert kinds["ets"] == kinds["auto_ets"] == "ets"
    assert kinds["naive"] is None
    methods = {(c["spec"]["name"], c["intervals"]): c["result"]["forecast"]["interval_method"] for c in GOLDEN_MODELS["cases"]}
    assert methods[("naive", "model")] == "analytic"
    assert methods[("croston", "model")] == "conformal"
    assert methods[("seasonal_naive", "conformal")] == "conformal"


def test_parameters_are_reported():
    y = GOLDEN_MODELS["series"]["weekly"]
    f = sl.forecast_model(y, models.Arima(order=(1, 0, 1)), 3, season_length=7)
    p = f.parameters
    assert p["kind"] == "arima" and p["order"]["p"] == 1 and p["order"]["q"] == 1
    assert len(p["coefficients"]["ar"]) == 1 and len(p["coefficients"]["ma"]) == 1
    assert all(math.isfinite(p[k]) for k in ("aic", "aicc", "bic", "loglik", "sigma2"))
    e = sl.forecast_model(y, "auto_ets", 3, season_length=7).parameters
    assert e["kind"] == "ets" and e["candidates"] and 0 < e["params"]["alpha"] < 1
    assert min(c["aicc"] for c in e["candidates"]) == e["aicc"]
    assert sl.forecast_model(y, "theta", 3).parameters is None
    assert sl.forecast_model(y, "naive", 3, levels=[]).interval_method == "none"


@pytest.mark.parametrize("which", ["result", "conformal_result"])
def test_backtest_equals_the_rust_golden_file(which):
    g = GOLDEN_BACKTEST
    specs = g["specs"] if which == "result" else g["specs"][:2]
    b = sl.backtest(
        g["series"],
        [from_spec(s) for s in specs],
        season_length=g["season_length"],
        intervals="model" if which == "result" else "conformal",
        **g["options"],
    )
    assert b.to_dict() == {"series": g[which]}


def mase_scale(train, m):
    """In-sample mean absolute seasonal-naive error, with the fallbacks the docs state."""
    lag = max(m, 1) if len(train) > m else 1
    scale = np.mean(np.abs(train[lag:] - train[:-lag])) if len(train) > lag else 0.0
    if scale > 0 and np.isfinite(scale):
        return scale
    level = np.mean(np.abs(train))
    return level if level > 0 and np.isfinite(level) else 1.0


@pytest.mark.parametrize("output", ["polars", "pandas"])
def test_backtest_scores_recomputed_from_the_windows(output):
    y = np.asarray(GOLDEN_BACKTEST["series"])
    m = 7
    labelled = {"naive": "naive", "snaive": models.SeasonalNaive(), "ets": models.AutoEts(), "theta": models.Theta()}
    b = sl.backtest(y, labelled, horizon=5, step=3, n_windows=4, season_length=m, output=output)
    windows = pl.from_pandas(b.windows) if output == "pandas" else b.windows
    scores = pl.from_pandas(b.scores) if output == "pandas" else b.scores
    assert scores["model"].to_list() == list(labelled)
    assert scores.columns == ["series", "model", "mase", "smape", "rmse", "coverage_80", "coverage_95", "error"]
    for label in labelled:
        w = windows.filter(pl.col("model") == label).sort("window", "step")
        assert w["window"].n_unique() == 4 and w["step"].max() == 5
        origins = w["origin"].unique().sort().to_list()
        assert origins == [len(y) - 5 - k * 3 for k in (3, 2, 1, 0)]
        assert np.array_equal(w["actual"].to_numpy(), np.concatenate([y[o : o + 5] for o in origins]))
        a, f = w["actual"].to_numpy(), w["forecast"].to_numpy()
        e = a - f
        mase = np.mean([np.mean(np.abs(e[k * 5 : (k + 1) * 5])) / mase_scale(y[:o], m) for k, o in enumerate(origins)])
        denom = np.abs(a) + np.abs(f)
        smape = np.mean(np.where(denom > 0, 200 * np.abs(e) / np.where(denom > 0, denom, 1), 0.0))
        rmse = math.sqrt(np.mean(e**2))
        row = scores.filter(pl.col("model") == label).row(0, named=True)
        assert row["mase"] == pytest.approx(mase, rel=1e-12)
        assert row["smape"] == pytest.approx(smape, rel=1e-12)
        assert row["rmse"] == pytest.approx(rmse, rel=1e-12)
        assert 0 <= row["coverage_80"] <= row["coverage_95"] <= 1
        assert row["error"] is None


def test_backtest_of_several_series_and_of_sales():
    data = sl.generate(lines=8_000, days=120, stores=2, seed=3)
    b = sl.backtest(data.sales, ["seasonal_naive", "auto_ets"], horizon=7, n_windows=2)
    assert b.scores["series"].n_unique() == 1 and b.scores["mase"].null_count() == 0
    many = sl.backtest({"a": [1.0, 2.0, 3.0] * 10, "b": list(range(30))}, ["naive", "random_walk_with_drift"], horizon=3)
    assert many.scores.select("series", "model").rows() == [
        ("a", "Naive"),
        ("a", "RandomWalkWithDrift"),
        ("b", "Naive"),
        ("b", "RandomWalkWithDrift"),
    ]
    assert many.scores.filter(pl.col("series") == "b", pl.col("model") == "RandomWalkWithDrift")["rmse"][0] == 0.0


def test_forecast_from_sales_has_dates_and_equals_the_values_route():
    data = sl.generate(lines=8_000, days=120, stores=2, seed=5)
    f = sl.forecast_model(data.sales, "seasonal_naive", 14, granularity="day")
    assert f.forecast.columns[:2] == ["step", "date"]
    history = f.history
    last = history["date"][-1]
    assert f.forecast["date"][0] == last + (history["date"][1] - history["date"][0])
    again = sl.forecast_model(history["value"], "seasonal_naive", 14, season_length=f.season_length)
    assert again.to_dict() == f.to_dict()
    weekly = sl.forecast_model(data.sales, models.AutoEts(), 4, granularity="week", season_length=4, output="pandas")
    assert isinstance(weekly.forecast, pd.DataFrame) and len(weekly.forecast) == 4


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda y: sl.forecast_model(y, models.Ses(alpha=1.5), 3), "alpha"),
        (lambda y: sl.forecast_model(y, models.Tsb(alpha_p=0.0), 3), "alpha_p"),
        (lambda y: sl.forecast_model(y, models.AutoTheta(variants=()), 3), "variants"),
        (lambda y: sl.forecast_model(y, models.Ets(spec="XYZ"), 3), "spec"),
        (lambda y: sl.forecast_model(y, models.Arima(order=(0, 3, 0)), 3), "order"),
        (lambda y: sl.forecast_model(y, models.AutoEts(model="QQQ"), 3), "model"),
        (lambda y: sl.forecast_model(y, "prophet", 3), "model"),
        (lambda y: sl.forecast_model(y, "naive", 0), "horizon"),
        (lambda y: sl.forecast_model(y, "naive", -1), "horizon"),
        (lambda y: sl.forecast_model(y, "naive", 3, levels=[100]), "levels"),
        (lambda y: sl.forecast_model(y, "naive", 3, levels="95"), "levels"),
        (lambda y: sl.forecast_model(y, "naive", 3, season_length=0), "season_length"),
        (lambda y: sl.forecast_model(y, "naive", 3, intervals="bootstrap"), "intervals"),
        (lambda y: sl.forecast_model(y, "naive", 3, output="arrow"), "output"),
        (lambda y: sl.forecast_model(["a", "b"], "naive", 3), "data"),
        (lambda y: sl.forecast_model("123", "naive", 3), "data"),
        (lambda y: sl.backtest(y, ["naive"], n_windows=0), "n_windows"),
        (lambda y: sl.backtest(y, ["naive"], step=0), "step"),
        (lambda y: sl.backtest(y, ["naive"], horizon=0), "horizon"),
        (lambda y: sl.backtest(y, []), "models"),
        (lambda y: sl.backtest(y, "naive"), "models"),
        (lambda y: sl.backtest(y, [models.Ses(alpha=2.0)]), "alpha"),
    ],
)
def test_bad_parameters_raise_invalid_parameter_naming_it(call, parameter):
    y = GOLDEN_MODELS["series"]["weekly"]
    with pytest.raises(sl.InvalidParameterError, match=f"`{parameter}`"):
        call(y)


@pytest.mark.parametrize(
    "make, parameter",
    [
        (lambda: models.Ses(alpha="high"), "alpha"),
        (lambda: models.AutoArima(max_p=-1), "max_p"),
        (lambda: models.AutoArima(stepwise="yes"), "stepwise"),
        (lambda: models.AutoArima(box_cox="log"), "box_cox"),
        (lambda: models.AutoArima(criterion="aiccc"), "criterion"),
        (lambda: models.Theta(variant="classic"), "variant"),
        (lambda: models.AutoTheta(variants=("standard", "x")), "variants"),
        (lambda: models.MstlForecaster(periods=(7, -1)), "periods"),
        (lambda: models.MstlForecaster(trend="arima"), "trend"),
        (lambda: models.Arima(order=(1, 2)), "order"),
        (lambda: models.Arima(method="ols"), "method"),
        (lambda: models.EtsOptions(seed=-3), "seed"),
        (lambda: models.model(3), "model"),
    ],
)
def test_bad_model_options_raise_invalid_parameter_naming_it(make, parameter):
    with pytest.raises(sl.InvalidParameterError, match=f"`{parameter}`"):
        make()


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_edge_cases_give_typed_errors_never_crashes(name):
    with pytest.raises(sl.InsufficientDataError):
        sl.forecast_model([], name, 3)
    for bad in ([1.0, float("nan"), 2.0] * 10, [1.0, None, 2.0] * 10, pl.Series([1.0, None, 3.0] * 10)):
        with pytest.raises(sl.SchemaError, match="NaN"):
            sl.forecast_model(bad, name, 3)
    with pytest.raises(sl.SchemaError):
        sl.forecast_model([1.0, float("inf")] * 10, name, 3)
    # One point, a constant series and huge values: a forecast or a typed error.
    # (An internal panic would surface as the base class StorelyticsError: never expected.)
    for y, m in (([5.0], 1), ([3.0] * 30, 7), ([0.0] * 30, 1), ([1e300, 2e300] * 15, 1)):
        try:
            f = sl.forecast_model(y, name, 4, season_length=m)
        except sl.StorelyticsError as e:
            assert type(e) is not sl.StorelyticsError, e
            continue
        assert len(f.forecast) == 4
    # Constant series forecast the constant (SBA deflates it by its documented bias correction).
    try:
        f = sl.forecast_model([3.0] * 30, name, 4, season_length=7)
    except sl.StorelyticsError as e:
        assert type(e) is not sl.StorelyticsError, e
        return
    if name != "sba":
        assert f.forecast["mean"].to_list() == pytest.approx([3.0] * 4, rel=1e-6)


def test_defaults_come_from_rust():
    d = models.DEFAULTS
    assert d == json.loads(_native.forecast_defaults_json())
    for name, cls in models.MODELS.items():
        assert cls().to_spec() == d["models"][name], name
    assert models.AutoArima().max_p == 5 and models.AutoEts().model == "ZZZ"  # documented Rust defaults
    sig = inspect.signature(sl.backtest).parameters
    assert (sig["horizon"].default, sig["step"].default, sig["n_windows"].default) == (7, 7, 3)
    assert list(sig["levels"].default) == d["backtest"]["levels"] == [80.0, 95.0]
    assert inspect.signature(sl.forecast_model).parameters["conformal_windows"].default == d["conformal"]["n_windows"] == 20
    assert inspect.signature(sl.forecast).parameters["n_windows"].default == d["auto"]["n_windows"] == 5
    areas = {
        sl.kpi_report: _native.kpi_defaults_json,
        sl.trend: _native.trend_defaults_json,
        sl.rank: _native.rank_defaults_json,
    }
    for function, defaults in areas.items():
        params = inspect.signature(function).parameters
        for key, value in json.loads(defaults()).items():
            assert params[key].default == value, (function.__name__, key)
    anomaly = json.loads(_native.anomaly_defaults_json())
    params = inspect.signature(sl.detect_anomalies).parameters
    for key, value in anomaly.items():
        if key == "series":
            for k, v in value.items():
                assert params[k].default == v
        else:
            got = params[key].default
            assert (list(got) if isinstance(got, tuple) else got) == value, key
    assert json.loads(_native.trend_defaults_json())["moving_average"] == 7
    assert json.loads(_native.rank_defaults_json()) == {
        "entity": "product",
        "metric": "net_revenue",
        "n": 10,
        "order": "top",
        "comparison": "previous_period",
    }


def test_model_classes_are_frozen_and_documented():
    for cls in models.MODELS.values():
        assert (cls.__doc__ or "").strip()
        instance = cls()
        if dataclasses.fields(instance):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(instance, dataclasses.fields(instance)[0].name, None)
