"""Bad input raises the right StorelyticsError subclass, with a message naming the column,
row or parameter; nothing crashes the interpreter."""

import math

import pandas as pd
import polars as pl
import pytest

import storelytics as sl


def lines(**overrides):
    data = {
        "order_id": [1, 1, 2],
        "ts": ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-02"],
        "product_id": ["a", "b", "a"],
        "quantity": [1.0, 2.0, 1.0],
        "unit_price": [10.0, 5.0, 10.0],
    }
    data.update(overrides)
    return pl.DataFrame(data)


@pytest.fixture(scope="module")
def sales():
    return sl.Sales(lines())


def test_every_class_derives_from_the_base():
    for cls in (
        sl.SchemaError,
        sl.InvalidParameterError,
        sl.InsufficientDataError,
        sl.UnknownIdError,
        sl.NumericalError,
        sl.StorelyticsIOError,
    ):
        assert issubclass(cls, sl.StorelyticsError)
        assert issubclass(cls, Exception)


@pytest.mark.parametrize(
    "frame, words",
    [
        (lines().drop("quantity"), ["missing required column", "`quantity`"]),
        (lines().drop("unit_price"), ["`unit_price`", "amount"]),
        (lines(quantity=["1", "2", "x"]), ["`quantity`", "number", "str"]),
        (lines(product_id=["a", None, "a"]), ["`product_id`", "null", "row 1"]),
        (lines(unit_price=[10.0, math.nan, 10.0]), ["`unit_price`", "row 1"]),
        (lines(quantity=[1.0, math.inf, 1.0]), ["`quantity`", "row 1"]),
        (lines(ts=["2024-03-01", "yesterday", "2024-13-45"]), ["`ts`", "unparseable", "rows 1, 2"]),
        (lines(order_id=[1.5, 1.5, 2.0]), ["`order_id`", "id"]),
        (lines(ts=[1, 2, 3]), ["`ts`", "datetime"]),
    ],
)
def test_schema_errors_name_column_and_rows(frame, words):
    with pytest.raises(sl.SchemaError) as err:
        sl.Sales(frame)
    for w in words:
        assert w.lower() in str(err.value).lower(), str(err.value)


def test_schema_errors_through_pandas_and_pyarrow_name_the_mapped_column():
    frame = lines(product_id=["a", None, "a"]).rename({"product_id": "SKU"})
    for data in (frame.to_pandas(), frame.to_arrow()):
        with pytest.raises(sl.SchemaError, match="`SKU`.*row 1"):
            sl.Sales(data, mapping={"product_id": "SKU"})


def test_unknown_time_zone_is_an_invalid_parameter():
    with pytest.raises(sl.InvalidParameterError, match="Mars/Olympus_Mons"):
        sl.Sales(lines(), time_zone="Mars/Olympus_Mons")
    with pytest.raises(sl.InvalidParameterError, match="store_time_zones"):
        sl.Sales(lines(), store_time_zones={1.5: "UTC"})


def test_bad_mapping_and_scale():
    with pytest.raises(sl.InvalidParameterError, match="`mapping`.*order_number"):
        sl.Sales(lines(), mapping={"order_number": "order_id"})
    with pytest.raises(sl.InvalidParameterError, match="money_scale"):
        sl.Sales(lines(), money_scale=-1)
    with pytest.raises(sl.InvalidParameterError, match="money_scale"):
        sl.Sales(lines(), money_scale=40)


def test_inputs_that_are_not_tables():
    with pytest.raises(sl.SchemaError, match="list"):
        sl.Sales([1, 2, 3])
    with pytest.raises(sl.InvalidParameterError, match="neither a .csv nor a .parquet"):
        sl.Sales("sales.xlsx")


def test_missing_files_are_io_errors(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(sl.StorelyticsIOError, match="nope.csv"):
        sl.Sales(missing)
    with pytest.raises(sl.StorelyticsIOError, match="nope.parquet"):
        sl.Sales.read_parquet(tmp_path / "nope.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(sl.StorelyticsIOError, match="bad.parquet"):
        sl.Sales(bad)


@pytest.mark.parametrize(
    "call, cls, words",
    [
        (lambda s: sl.trend(s, metric="profit"), sl.InvalidParameterError, ["`metric`", "profit"]),
        (lambda s: sl.trend(s, granularity="fortnight"), sl.InvalidParameterError, ["`granularity`"]),
        (lambda s: sl.trend(s, moving_average=-1), sl.InvalidParameterError, ["`moving_average`"]),
        (lambda s: sl.trend(s, output="excel"), sl.InvalidParameterError, ["`output`"]),
        (lambda s: sl.rank(s, n=0), sl.InvalidParameterError, ["`n`"]),
        (lambda s: sl.rank(s, entity="supplier"), sl.InvalidParameterError, ["`entity`"]),
        (lambda s: sl.rank(s, order="middle"), sl.InvalidParameterError, ["`order`"]),
        (lambda s: sl.kpi_report(s, comparison="last_decade"), sl.InvalidParameterError, ["`comparison`"]),
        (lambda s: sl.kpi_report(s, period=("2024-03-05", "2024-03-01")), sl.InvalidParameterError, ["`period`"]),
        (lambda s: sl.kpi_report(s, period=("2024-03-05", "soon")), sl.InvalidParameterError, ["`period`"]),
        (lambda s: sl.kpi_report(s, period="March"), sl.InvalidParameterError, ["`period`"]),
        (lambda s: sl.trend(s, store="paris"), sl.UnknownIdError, ["store", "paris"]),
        (lambda s: s.for_store(7), sl.UnknownIdError, ["store", "7"]),
        (lambda s: sl.rank(s, store=[1]), sl.InvalidParameterError, ["`store`"]),
    ],
)
def test_parameter_errors(sales, call, cls, words):
    with pytest.raises(cls) as err:
        call(sales)
    for w in words:
        assert w in str(err.value), str(err.value)


def test_empty_table_needs_an_explicit_period():
    empty = sl.Sales(lines().head(0))
    assert len(empty) == 0 and empty.date_range is None
    with pytest.raises(sl.InsufficientDataError, match="period"):
        sl.kpi_report(empty)
    r = sl.kpi_report(empty, period=sl.Period.month(2024, 3))
    assert r.overall.current.orders == 0 and r.overall.current.avg_order_value is None


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(stores=0), "stores"),
        (dict(stores=99), "stores"),
        (dict(lines=0), "lines"),
        (dict(days=0), "days"),
        (dict(guest_share=1.5), "guest_share"),
        (dict(return_rate=float("nan")), "return_rate"),
        (dict(start="someday"), "start"),
        (dict(lines=-5), "lines"),
        (dict(seed=2**70), "seed"),
        (dict(guest_share="many"), "guest_share"),
    ],
)
def test_generator_parameters(kwargs, name):
    with pytest.raises(sl.InvalidParameterError, match=f"`{name}`"):
        sl.generate(**kwargs)


def test_extreme_values_give_typed_errors_or_results_never_crashes():
    huge = lines(quantity=[1e300, 1.0, 1.0], unit_price=[1e300, 1.0, 1.0])
    try:
        s = sl.Sales(huge)
        sl.kpi_report(s)
    except sl.StorelyticsError:
        pass
    one = sl.Sales(lines().head(1))
    assert sl.kpi_report(one).overall.current.lines == 1
    zeros = sl.Sales(lines(quantity=[0.0, 0.0, 0.0]))
    assert sl.kpi_report(zeros).overall.current.units == 0.0
    weird = pd.DataFrame({"order_id": [object()], "ts": ["2024-01-01"], "product_id": ["a"], "quantity": [1], "unit_price": [1]})
    with pytest.raises(sl.SchemaError, match="pandas"):
        sl.Sales(weird)
    with pytest.raises(sl.SchemaError, match="`order_id`.*list"):
        sl.Sales(lines(order_id=[[1], [1], [2]]))
