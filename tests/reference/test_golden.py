"""The golden files in tests/golden/ recomputed independently with DuckDB SQL.

The Rust test tests/it/golden.rs checks that storelytics reproduces these files exactly; this
test checks that the files themselves hold the right numbers, computed from the CSV by SQL.
Money is compared exactly in cents, counts exactly, ratios to 1e-12 relative.
"""

import datetime as dt
import json
import pathlib

import duckdb
import pytest

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture(scope="module")
def con():
    zones = json.loads((GOLDEN / "stores.json").read_text())
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    c.execute("CREATE TABLE zones (store_id VARCHAR, tz VARCHAR)")
    c.executemany("INSERT INTO zones VALUES (?, ?)", list(zones.items()))
    c.execute(f"""
        CREATE TABLE lines AS
        SELECT l.*, l.store_id || '/' || l.order_id AS order_key,
               l.quantity * l.unit_price AS amount, l.quantity * l.unit_cost AS cost,
               (l.ts AT TIME ZONE z.tz)::DATE AS d
        FROM read_csv('{GOLDEN / "sales_small.csv"}', header=true,
                      types={{'order_id': 'VARCHAR', 'ts': 'TIMESTAMPTZ', 'quantity': 'DECIMAL(18,3)',
                              'unit_price': 'DECIMAL(18,2)', 'unit_cost': 'DECIMAL(18,2)',
                              'customer_id': 'VARCHAR', 'category': 'VARCHAR'}}) l
        JOIN zones z USING (store_id)
    """)
    return c


def load(name):
    return json.loads((GOLDEN / name).read_text())


def kpis(con, start, end, store=None):
    cond = "d BETWEEN ? AND ?" + (" AND store_id = ?" if store else "")
    p = [start, end] + ([store] if store else [])
    gross, returns, net, cost, orders, units, customers = con.execute(f"""
        SELECT coalesce(sum(amount) FILTER (quantity > 0), 0), coalesce(-sum(amount) FILTER (quantity < 0), 0),
               coalesce(sum(amount), 0), coalesce(sum(cost), 0),
               count(DISTINCT order_key) FILTER (quantity > 0), coalesce(sum(quantity) FILTER (quantity > 0), 0),
               count(DISTINCT customer_id) FILTER (quantity > 0)
        FROM lines WHERE {cond}""", p).fetchone()
    scope = " AND store_id = ?" if store else ""
    new = con.execute(f"""
        SELECT count(*) FROM (SELECT DISTINCT customer_id FROM lines WHERE {cond} AND quantity > 0 AND customer_id IS NOT NULL) c
        JOIN (SELECT customer_id, min(d) fd FROM lines WHERE quantity > 0 {scope} GROUP BY 1) f USING (customer_id)
        WHERE fd >= ?""", p + ([store] if store else []) + [start]).fetchone()[0]
    return dict(gross=gross, returns=returns, net=net, cost=cost, orders=orders, units=units, customers=customers, new=new)


def cents(x):
    return int(round(float(x) * 100))


def test_kpi_report(con):
    r = load("kpi_march.json")
    assert (r["period"]["start"], r["period"]["end"]) == ("2024-03-01", "2024-03-31")
    for part, store in [(r["overall"], None)] + [(s["kpis"], s["store"]) for s in r["stores"]]:
        for k, per in [(part["current"], r["period"]), (part["previous"], r["comparison_period"])]:
            ref = kpis(con, per["start"], per["end"], store)
            assert k["gross_revenue"] == cents(ref["gross"])
            assert k["returns"] == cents(ref["returns"])
            assert k["net_revenue"] == cents(ref["net"])
            assert k["cost"] == cents(ref["cost"])
            assert k["gross_margin"] == cents(ref["net"]) - cents(ref["cost"])
            assert k["orders"] == ref["orders"]
            assert k["units"] == float(ref["units"])
            assert k["unique_customers"] == ref["customers"]
            assert k["new_customers"] == ref["new"]
            if ref["orders"]:
                assert k["avg_order_value"] == pytest.approx(float(ref["gross"]) / ref["orders"], rel=1e-12)
            else:
                assert k["avg_order_value"] is None


def test_daily_trend(con):
    t = load("trend_daily_net_revenue.json")
    rows = {d.isoformat(): float(v) for d, v in con.execute("SELECT d, sum(amount) FROM lines GROUP BY d").fetchall()}
    first, last = min(rows), max(rows)
    assert (t["period"]["start"], t["period"]["end"]) == (first, last)
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    assert len(t["points"]) == days  # days without sales are present
    for p in t["points"]:
        assert p["value"] == rows.get(p["start"], 0.0), p["start"]


def test_weekly_orders_newyork(con):
    t = load("trend_weekly_orders_newyork.json")
    rows = {b.isoformat(): n for b, n in con.execute(
        "SELECT date_trunc('week', d)::DATE, count(DISTINCT order_key) FILTER (quantity > 0) FROM lines "
        "WHERE store_id = 'newyork' GROUP BY 1").fetchall()}
    assert sum(p["value"] for p in t["points"]) == sum(rows.values())
    for p in t["points"]:
        start = dt.date.fromisoformat(p["start"])
        monday = start - dt.timedelta(days=start.weekday())
        assert p["value"] == float(rows.get(monday.isoformat(), 0)), p["label"]


def test_rankings(con):
    r = load("rank_products.json")
    rows = con.execute("SELECT product_id, sum(amount) v FROM lines WHERE d BETWEEN '2024-03-01' AND '2024-03-31' "
                       "GROUP BY 1 ORDER BY v DESC, product_id").fetchall()
    assert [(e["id"], e["value"]) for e in r["entries"]] == [(p, float(v)) for p, v in rows[:5]]
    c = load("rank_customers.json")
    rows = con.execute("SELECT customer_id, count(DISTINCT order_key) FILTER (quantity > 0) v FROM lines "
                       "WHERE d BETWEEN '2024-03-01' AND '2024-03-31' AND customer_id IS NOT NULL "
                       "GROUP BY 1 ORDER BY v DESC, customer_id").fetchall()
    assert [(e["id"], e["value"]) for e in c["entries"]] == [(p, float(v)) for p, v in rows[:3]]
