"""The Sales table: accessors, filters and options mirror the Rust API."""

import datetime as dt

import polars as pl

import storelytics as sl


def test_accessors_and_filters(golden_frame, golden_zones):
    sales = sl.Sales(golden_frame, store_time_zones=golden_zones)
    assert len(sales) == golden_frame.height
    assert sales.money_scale == 2
    assert [(s.id, s.time_zone) for s in sales.stores] == [("berlin", "Europe/Berlin"), ("newyork", "America/New_York")]
    assert sales.date_range == sl.Period(dt.date(2024, 2, 27), dt.date(2024, 4, 1))
    march = sales.filter_period(sl.Period.month(2024, 3))
    assert 0 < len(march) < len(sales)
    assert march.date_range.start >= dt.date(2024, 3, 1) and march.date_range.end <= dt.date(2024, 3, 31)
    berlin = sales.for_store("berlin")
    assert [s.id for s in berlin.stores] == ["berlin"]
    assert len(berlin) + len(sales.for_store("newyork")) == len(sales)
    assert "lines" in repr(sales)


def test_mapping_money_scale_and_default_time_zone():
    frame = pl.DataFrame(
        {
            "InvoiceNo": [1, 2],
            "InvoiceDate": ["2024-03-01T23:30:00Z", "2024-03-02T00:30:00Z"],
            "StockCode": ["a", "a"],
            "Qty": [1.0, 1.0],
            "Price": [1.005, 2.0],
        }
    )
    mapping = {"order_id": "InvoiceNo", "ts": "InvoiceDate", "product_id": "StockCode", "quantity": "Qty", "unit_price": "Price"}
    utc = sl.Sales(frame, mapping=mapping)
    assert utc.date_range == sl.Period(dt.date(2024, 3, 1), dt.date(2024, 3, 2))
    tokyo = sl.Sales(frame, mapping=mapping, time_zone="Asia/Tokyo")
    assert tokyo.date_range == sl.Period.day("2024-03-02")
    mills = sl.Sales(frame, mapping=mapping, money_scale=3)
    assert sl.kpi_report(mills).overall.current.gross_revenue == 3005
    assert sl.kpi_report(mills).money_scale == 3


def test_defaults_mirror_rust(golden_frame, golden_zones):
    sales = sl.Sales(golden_frame, store_time_zones=golden_zones)
    t = sl.trend(sales)
    assert (t.metric, t.granularity, t.store) == ("net_revenue", "day", None)
    assert t.period == sales.date_range
    # moving average 7 by default: the first six buckets have none.
    assert t.points["moving_average"].head(6).null_count() == 6 and t.points["moving_average"][6] is not None
    r = sl.rank(sales)
    assert (r.entity, r.metric, r.order) == ("product", "net_revenue", "top")
    assert r.entries.height == min(10, r.entities)
    k = sl.kpi_report(sales)
    assert k.comparison_period == sl.Period(dt.date(2024, 1, 23), dt.date(2024, 2, 26))


def test_pandas_output(golden_frame, golden_zones):
    import pandas as pd

    sales = sl.Sales(golden_frame, store_time_zones=golden_zones)
    t = sl.trend(sales, granularity="week", output="pandas")
    assert isinstance(t.points, pd.DataFrame)
    assert list(t.points.columns)[:3] == ["start", "end", "label"]
    g = sl.generate(lines=2_000, output="pandas")
    assert isinstance(g.products, pd.DataFrame) and isinstance(g.anomalies, pd.DataFrame)
