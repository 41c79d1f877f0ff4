"""storelytics.forecast: the automatic choice on a series built from sales."""

import datetime as dt

import polars as pl
import pytest

import storelytics as sl

PATTERN = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]
START = dt.date(2024, 1, 1)


def periodic_sales(weeks=12):
    """One line a day whose revenue repeats every week: the future is known exactly."""
    days = [START + dt.timedelta(days=i) for i in range(7 * weeks)]
    return sl.Sales(
        pl.DataFrame(
            {
                "order_id": list(range(len(days))),
                "ts": days,
                "product_id": ["tea"] * len(days),
                "quantity": [1.0] * len(days),
                "unit_price": [PATTERN[i % 7] for i in range(len(days))],
            }
        )
    )


def test_periodic_series_is_forecast_exactly():
    sales = periodic_sales()
    result = sl.forecast(sales, 14)
    fc = result.forecast
    assert fc.columns == ["date", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert fc["date"].to_list() == [START + dt.timedelta(days=84 + i) for i in range(14)]
    # A weekly pattern without noise: a model with zero backtest error continues it; 1e-6
    # allows for the rounding of fitted smoothing models that reach the same forecast.
    assert fc["mean"].to_list() == pytest.approx([PATTERN[i % 7] for i in range(14)], abs=1e-6)
    for level in ("80", "95"):
        assert (fc[f"lower_{level}"] <= fc["mean"] + 1e-9).all()
        assert (fc[f"upper_{level}"] >= fc["mean"] - 1e-9).all()
    assert result.levels == [80.0, 95.0]
    assert result.season_length == 7
    assert not result.intermittent
    assert result.chosen in result.candidates["model"].to_list()
    chosen = result.candidates.filter(pl.col("model") == result.chosen)
    assert chosen["mase"][0] == pytest.approx(result.candidates["mase"].drop_nulls().min())


def test_history_is_the_trend_and_pandas_matches():
    sales = sl.generate(lines=20_000, seed=7).sales
    result = sl.forecast(sales, 7, metric="units", levels=[90])
    trend = sl.trend(sales, metric="units", moving_average=0).points
    assert result.history["date"].to_list() == trend["start"].to_list()
    assert result.history["value"].to_list() == trend["value"].to_list()
    assert result.forecast.columns == ["date", "mean", "lower_90", "upper_90"]
    assert result.forecast["date"][0] == trend["end"][-1] + dt.timedelta(days=1)
    pandas = sl.forecast(sales, 7, metric="units", levels=[90], output="pandas")
    assert pandas.forecast["mean"].tolist() == result.forecast["mean"].to_list()
    assert pandas.model == result.model
    assert result.to_dict()["choice"]["chosen"] == result.chosen


def test_bad_input_raises_invalid_parameter():
    sales = periodic_sales(weeks=4)
    with pytest.raises(sl.InvalidParameterError, match="horizon"):
        sl.forecast(sales, 0)
    with pytest.raises(sl.InvalidParameterError, match="level"):
        sl.forecast(sales, 7, levels=[150])
    with pytest.raises(sl.InvalidParameterError, match="thoroughness"):
        sl.forecast(sales, 7, thoroughness="slow")
