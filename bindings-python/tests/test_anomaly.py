"""storelytics.detect_anomalies: anomalies of a metric built from sales."""

import datetime as dt

import polars as pl
import pytest

import storelytics as sl
from storelytics.anomaly import ANOMALY_SCHEMA

PATTERN = [100.0, 98.0, 103.0, 101.0, 120.0, 150.0, 140.0]
START = dt.date(2024, 3, 4)


def sales_with(revenue):
    days = [START + dt.timedelta(days=i) for i in range(len(revenue))]
    return sl.Sales(
        pl.DataFrame(
            {
                "order_id": list(range(len(days))),
                "ts": days,
                "product_id": ["tea"] * len(days),
                "quantity": [1.0] * len(days),
                "unit_price": revenue,
            }
        )
    )


def revenue_with_bad_days():
    """Eight weeks with a weekend peak and small noise, one collapse and one spike."""
    revenue = [PATTERN[d % 7] + (d % 5) for d in range(56)]
    revenue[30] = 20.0  # 2024-04-03
    revenue[45] = 600.0  # 2024-04-18
    return revenue


def test_injected_drop_and_spike_are_found():
    revenue = revenue_with_bad_days()
    report = sl.detect_anomalies(sales_with(revenue))
    a = report.anomalies
    assert a.columns == list(ANOMALY_SCHEMA)
    assert a["date"].to_list() == [dt.date(2024, 4, 3), dt.date(2024, 4, 18)]
    assert a["direction"].to_list() == ["drop", "spike"]
    # The actual values are the day's revenue, exactly (money in cents → major units).
    assert a["actual"].to_list() == [20.0, 600.0]
    # The expected value is the normal day it replaced: within 10 % (robust STL fit with noise).
    normal = [PATTERN[30 % 7] + 30 % 5, PATTERN[45 % 7] + 45 % 5]
    assert a["expected"].to_list() == pytest.approx(normal, rel=0.1)
    assert (a["lower"] <= a["expected"]).all() and (a["expected"] <= a["upper"]).all()
    assert a["actual"][0] < a["lower"][0] and a["actual"][1] > a["upper"][1]
    assert (a["score"].abs() > 0).all()
    assert report.summary["count"] == 2 and report.summary["buckets"] == 56
    assert report.detector == "seasonal_esd"
    spikes = sl.detect_anomalies(sales_with(revenue), direction="spikes", output="pandas")
    assert list(spikes.anomalies["date"].dt.date) == [dt.date(2024, 4, 18)]


def test_clean_series_has_no_anomalies():
    report = sl.detect_anomalies(sales_with([PATTERN[d % 7] + (d % 5) for d in range(56)]))
    assert report.anomalies.height == 0


def test_bad_input():
    sales = sales_with(revenue_with_bad_days())
    with pytest.raises(sl.InvalidParameterError, match="sensitivity"):
        sl.detect_anomalies(sales, sensitivity=1.5)
    with pytest.raises(sl.InvalidParameterError, match="detector"):
        sl.detect_anomalies(sales, detector="magic")
    with pytest.raises(sl.InsufficientDataError):
        sl.detect_anomalies(sales_with([10.0, 12.0, 11.0]))
