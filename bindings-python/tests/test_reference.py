"""KPIs from the Python package against the same numbers computed with DuckDB SQL (and pandas)
on a random table built here, independently of storelytics.

Money is compared exactly in integer cents (prices have two decimals and quantities are
integers, so every line amount is an exact number of cents on both sides); counts exactly;
ratios with a relative tolerance of 1e-12 (one float division in either engine)."""

import duckdb
import numpy as np
import pandas as pd
import pytest

import storelytics as sl

REL = 1e-12
MARCH = sl.Period.month(2024, 3)


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(7)
    orders = 4000
    n_lines = rng.integers(1, 5, orders)
    order_id = np.repeat(np.arange(orders), n_lines)
    order_ts = pd.Timestamp("2024-01-15", tz="UTC") + pd.to_timedelta(rng.integers(0, 90 * 86400, orders), unit="s")
    customer = rng.integers(0, 600, orders).astype(object)
    customer[rng.random(orders) < 0.15] = None  # guest checkouts
    store = rng.choice(["north", "south"], orders)
    n = len(order_id)
    qty = rng.integers(1, 6, n).astype(float)
    qty[rng.random(n) < 0.04] *= -1  # returns
    price_cents = rng.integers(50, 5000, n)
    cost_cents = (price_cents * rng.uniform(0.3, 0.8, n)).astype(np.int64)
    return pd.DataFrame(
        {
            "order_id": order_id,
            "ts": order_ts[order_id],
            "product_id": [f"p{k}" for k in rng.integers(0, 300, n)],
            "quantity": qty,
            "unit_price": price_cents / 100,
            "unit_cost": cost_cents / 100,
            "customer_id": pd.array(customer[order_id], dtype="Int64"),
            "store_id": store[order_id],
            "price_cents": price_cents,
            "cost_cents": cost_cents,
        }
    )


@pytest.fixture(scope="module")
def report(table):
    sales = sl.Sales(table.drop(columns=["price_cents", "cost_cents"]))
    return sl.kpi_report(sales, period=MARCH)


def sql_kpis(table, start, end, store=None):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("t", table)
    cond = "CAST(ts AS DATE) BETWEEN ? AND ?" + (" AND store_id = ?" if store else "")
    params = [start, end] + ([store] if store else [])
    row = con.execute(
        f"""
        SELECT
          coalesce(sum(CASE WHEN quantity > 0 THEN quantity * price_cents END), 0)::BIGINT AS gross,
          coalesce(-sum(CASE WHEN quantity < 0 THEN quantity * price_cents END), 0)::BIGINT AS returns,
          coalesce(sum(quantity * cost_cents), 0)::BIGINT AS cost,
          count(DISTINCT CASE WHEN quantity > 0 THEN order_id END) AS orders,
          coalesce(sum(CASE WHEN quantity > 0 THEN quantity END), 0) AS units,
          count(DISTINCT CASE WHEN quantity > 0 THEN customer_id END) AS customers,
          count(*) AS lines
        FROM t WHERE {cond}""",
        params,
    ).fetchone()
    return dict(zip(["gross", "returns", "cost", "orders", "units", "customers", "lines"], row))


def test_overall_and_store_kpis_equal_sql(table, report):
    parts = [(report.overall, None)] + [(s.kpis, s.store) for s in report.stores]
    assert sorted(s.store for s in report.stores) == ["north", "south"]
    for part, store in parts:
        for k, period in [(part.current, report.period), (part.previous, report.comparison_period)]:
            ref = sql_kpis(table, period.start, period.end, store)
            assert k.gross_revenue == ref["gross"]
            assert k.returns == ref["returns"]
            assert k.net_revenue == ref["gross"] - ref["returns"]
            assert k.cost == ref["cost"]
            assert k.gross_margin == ref["gross"] - ref["returns"] - ref["cost"]
            assert k.orders == ref["orders"]
            assert k.units == ref["units"]
            assert k.unique_customers == ref["customers"]
            assert k.lines == ref["lines"]
            assert k.avg_order_value == pytest.approx(ref["gross"] / 100 / ref["orders"], rel=REL)
            assert k.items_per_order == pytest.approx(ref["units"] / ref["orders"], rel=REL)


def in_march(table):
    return (table.ts >= pd.Timestamp("2024-03-01", tz="UTC")) & (table.ts < pd.Timestamp("2024-04-01", tz="UTC"))


def test_net_revenue_by_day_equals_pandas(table):
    sales = sl.Sales(table.drop(columns=["price_cents", "cost_cents"]))
    t = sl.trend(sales, period=MARCH, moving_average=0)
    march = table[in_march(table)]
    cents = (march.quantity * march.price_cents).groupby(march.ts.dt.date).sum()
    got = dict(zip(t.points["start"].to_list(), t.points["value"].to_list()))
    assert len(got) == 31
    for day, value in got.items():
        assert round(value * 100) == int(cents.get(day, 0))


def test_top_products_equal_pandas(table):
    sales = sl.Sales(table.drop(columns=["price_cents", "cost_cents"]))
    r = sl.rank(sales, metric="units", n=5, period=MARCH, comparison="none")
    march = table[in_march(table) & (table.quantity > 0)]
    units = march.groupby("product_id").quantity.sum()
    # Ties are broken by id, ascending.
    expected = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert list(zip(r.entries["id"].to_list(), r.entries["value"].to_list())) == expected
