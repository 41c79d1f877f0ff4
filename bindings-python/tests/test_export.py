"""Sales.to_polars / to_pandas / to_arrow: the line items with the caller's ids, exact money and
UTC instants; reading the export back gives the same table (identical KPIs and analyses)."""

import datetime as dt

import polars as pl
import pyarrow as pa
import pytest

import storelytics as sl
from conftest import GOLDEN


def analyses(sales):
    """Results that read every column: KPIs per store (money, costs, customers, orders), daily
    trends in the stores' time zones, rankings by category and customer."""
    march = sl.Period.month(2024, 3)
    return {
        "kpi": sl.kpi_report(sales).to_dict(),
        "kpi_march": sl.kpi_report(sales, period=march).to_dict(),
        "trend": sl.trend(sales, metric="gross_margin").to_dict(),
        "categories": sl.rank(sales, entity="category", n=50).to_dict(),
        "customers": sl.rank(sales, entity="customer", metric="orders", n=50).to_dict(),
    }


def round_trips(sales):
    kw = dict(store_time_zones=sales.store_time_zones, money_scale=sales.money_scale)
    yield "polars", sl.Sales(sales.to_polars(), **kw)
    yield "pandas", sl.Sales(sales.to_pandas(), **kw)
    yield "pyarrow", sl.Sales(sales.to_arrow(), **kw)
    yield "frame", sl.Sales(sales.to_frame("pandas"), **kw)


def test_golden_table_round_trips(golden_zones):
    sales = sl.Sales(GOLDEN / "sales_small.csv", store_time_zones=golden_zones)
    want = analyses(sales)
    for route, back in round_trips(sales):
        assert len(back) == len(sales)
        assert analyses(back) == want, route
        assert back.to_polars().equals(sales.to_polars()), route


def test_export_columns_and_values(golden_frame, golden_zones):
    sales = sl.Sales(golden_frame, store_time_zones=golden_zones)
    f = sales.to_polars()
    assert f.columns == ["order_id", "ts", "product_id", "quantity", "unit_price", "amount", "amount_minor",
                         "unit_cost", "cost_minor", "customer_id", "store_id", "category"]
    assert f.schema["ts"] == pl.Datetime("us", "UTC")
    assert f.schema["order_id"] == pl.Int64 and f.schema["product_id"] == pl.String
    # Same lines as the CSV (as a multiset): ids, instants, money to the cent.
    src = golden_frame.with_columns(
        pl.col("ts").str.to_datetime(time_zone="UTC").dt.cast_time_unit("us"),
        pl.col("quantity").cast(pl.Float64),
        amount_minor=(pl.col("quantity") * pl.col("unit_price") * 100).round().cast(pl.Int64),
        cost_minor=(pl.col("quantity") * pl.col("unit_cost") * 100).round().cast(pl.Int64),
    )
    key = ["order_id", "ts", "product_id", "quantity", "amount_minor", "cost_minor", "customer_id", "store_id"]
    assert f.select(key).sort(key).equals(src.select(key).sort(key))
    assert (f["amount"] * 100).round().cast(pl.Int64).to_list() == f["amount_minor"].to_list()
    # Guests stay null; a product without category has a null category.
    assert f["customer_id"].null_count() == golden_frame["customer_id"].null_count()
    assert f["category"].null_count() == golden_frame["category"].null_count()
    pd_frame = sales.to_pandas()
    assert str(pd_frame["ts"].dtype).startswith("timestamp[us, tz=UTC]")
    assert sales.to_arrow().schema.field("ts").type == pa.timestamp("us", "UTC")


def test_generated_data_round_trips_with_every_analysis():
    sales = sl.generate(seed=5, stores=3, lines=4000).sales
    want = analyses(sales)
    rfm = sl.rfm(sales).to_dict()
    for route, back in round_trips(sales):
        assert analyses(back) == want, route
        assert sl.rfm(back).to_dict() == rfm, route


def test_money_scale_and_integer_ids_survive():
    frame = pl.DataFrame({
        "order_id": [10, 10, 11], "ts": ["2024-03-01 10:00:00", "2024-03-01 10:00:00", "2024-03-02"],
        "product_id": [7, 8, 7], "quantity": [1.5, 2.0, -0.5], "amount": [1.234, 0.002, -0.411],
        "customer_id": [None, None, 3], "store_id": [1, 1, 1],
    })
    sales = sl.Sales(frame, money_scale=3, time_zone="Asia/Tokyo")
    f = sales.to_polars()
    assert f["amount_minor"].to_list() == [1234, 2, -411]
    assert f.schema["product_id"] == pl.Int64 and f.schema["store_id"] == pl.Int64
    assert "unit_cost" not in f.columns
    assert f["ts"][2] == dt.datetime(2024, 3, 1, 15, 0, tzinfo=dt.timezone.utc)  # Tokyo midnight
    back = sl.Sales(f, store_time_zones=sales.store_time_zones, money_scale=3)
    assert back.to_polars().equals(f)
    assert sl.kpi_report(back).to_dict() == sl.kpi_report(sales).to_dict()


def test_empty_table_exports_an_empty_frame():
    empty = sl.Sales(pl.DataFrame(schema={"order_id": pl.Int64, "ts": pl.String, "product_id": pl.String,
                                          "quantity": pl.Float64, "unit_price": pl.Float64}))
    f = empty.to_polars()
    assert f.height == 0 and "ts" in f.columns
    assert len(sl.Sales(f)) == 0
    with pytest.raises(sl.InvalidParameterError, match="`output`"):
        empty.to_frame("excel")
