"""KPIs, trends and rankings of storelytics against DuckDB SQL on generated data.

Sums and counts must be equal exactly: money is compared in integer cents, counts as integers,
and money in major units as the same double (both sides round the exact decimal once).
Ratios are compared with a relative tolerance of 1e-12 (one division in either engine, so
they can differ only in the last bits of the float division order).
"""

import datetime as dt
import math

import duckdb
import pytest

REL = 1e-12
START = dt.date(2023, 1, 1)
PERIODS = [
    (dt.date(2024, 3, 1), dt.date(2024, 3, 31), "previous_period"),
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30), "same_period_last_year"),
    (dt.date(2023, 3, 26), dt.date(2023, 3, 26), "previous_period"),  # a DST day in Europe
]
METRICS_SQL = {
    "gross_revenue": "sum(case when quantity > 0 then amount else 0 end)",
    "returns": "-sum(case when quantity < 0 then amount else 0 end)",
    "net_revenue": "sum(amount)",
    "cost": "sum(cost)",
    "gross_margin": "sum(amount) - sum(cost)",
    "orders": "count(distinct case when quantity > 0 then order_key end)",
    "units": "sum(case when quantity > 0 then quantity else 0 end)",
    "returned_units": "-sum(case when quantity < 0 then quantity else 0 end)",
    "unique_customers": "count(distinct case when quantity > 0 then customer_id end)",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from conftest import run_ref

    csv = tmp_path_factory.mktemp("sales") / "lines.csv"
    request = {
        "seed": 11,
        "lines": 60000,
        "stores": 3,
        "days": 600,
        "start": START.isoformat(),
        "csv_path": str(csv),
        "kpi": [{"period": [a.isoformat(), b.isoformat()], "comparison": c} for a, b, c in PERIODS],
        "trends": [
            {"metric": m, "granularity": g, "period": ["2023-02-15", "2024-07-10"], "store": s, "moving_average": 3}
            for m, g, s in [
                ("net_revenue", "day", None),
                ("net_revenue", "week", "S2"),
                ("orders", "month", None),
                ("unique_customers", "week", None),
                ("avg_order_value", "quarter", "S1"),
                ("units", "year", None),
                ("new_customers", "month", "S3"),
            ]
        ],
        "rankings": [
            {"entity": e, "metric": m, "n": 15, "bottom": b, "period": ["2024-01-01", "2024-03-31"],
             "comparison": "previous_period", "store": s}
            for e, m, b, s in [
                ("product", "net_revenue", False, None),
                ("product", "units", True, None),
                ("customer", "net_revenue", False, "S1"),
                ("category", "gross_margin", False, None),
                ("store", "orders", False, None),
                ("product", "unique_customers", False, None),
            ]
        ],
    }
    answer = run_ref("sales", request)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""
        CREATE TABLE lines AS
        SELECT store_id, time_zone, order_id::VARCHAR AS order_id, store_id || '/' || order_id AS order_key,
               ts::TIMESTAMPTZ AS ts, product_id, category, customer_id,
               quantity::DECIMAL(18,3) AS quantity, amount::DECIMAL(18,2) AS amount, cost::DECIMAL(18,2) AS cost,
               (ts::TIMESTAMPTZ AT TIME ZONE time_zone)::DATE AS d
        FROM read_csv('{csv}', header=true, all_varchar=true)
    """)
    con.execute("UPDATE lines SET customer_id = NULL WHERE customer_id = ''")
    con.execute("UPDATE lines SET category = NULL WHERE category = ''")
    return answer, con


def scalar(con, sql, params=()):
    return con.execute(sql, params).fetchone()[0]


def kpis_sql(con, start, end, store):
    """Every KPI for one period, one store or all, in SQL."""
    where = "d BETWEEN ? AND ?" + (" AND store_id = ?" if store else "")
    params = [start, end] + ([store] if store else [])
    row = con.execute(
        "SELECT " + ", ".join(f"{sql} AS {name}" for name, sql in METRICS_SQL.items()) + f", count(*) FROM lines WHERE {where}",
        params,
    ).fetchone()
    out = dict(zip(list(METRICS_SQL) + ["lines"], row))
    scope = "WHERE store_id = ?" if store else ""
    first = f"SELECT customer_id, min(d) AS fd FROM lines {scope} {'AND' if store else 'WHERE'} quantity > 0 AND customer_id IS NOT NULL GROUP BY 1"
    per_cust = f"SELECT customer_id, count(DISTINCT order_key) AS n FROM lines WHERE {where} AND quantity > 0 AND customer_id IS NOT NULL GROUP BY 1"
    out["new_customers"] = scalar(
        con, f"SELECT count(*) FROM ({per_cust}) c JOIN ({first}) f USING (customer_id) WHERE f.fd >= ?",
        params + ([store] if store else []) + [start])
    out["repeat"] = scalar(con, f"SELECT count(*) FROM ({per_cust}) WHERE n >= 2", params)
    return out


def cents(x):
    return int(round(x * 100))


def check_kpis(ours, ref):
    assert ours["gross_revenue"] == cents(ref["gross_revenue"] or 0)
    assert ours["returns"] == cents(ref["returns"] or 0)
    assert ours["net_revenue"] == cents(ref["net_revenue"] or 0)
    assert ours["cost"] == cents(ref["cost"] or 0)
    assert ours["gross_margin"] == cents(ref["gross_margin"] or 0)
    assert ours["orders"] == ref["orders"]
    assert ours["units"] == float(ref["units"] or 0)
    assert ours["returned_units"] == float(ref["returned_units"] or 0)
    assert ours["unique_customers"] == ref["unique_customers"]
    assert ours["new_customers"] == ref["new_customers"]
    assert ours["returning_customers"] == ref["unique_customers"] - ref["new_customers"]
    assert ours["lines"] == ref["lines"]
    gross, net = float(ref["gross_revenue"] or 0), float(ref["net_revenue"] or 0)
    ratios = {
        "avg_order_value": gross / ref["orders"] if ref["orders"] else None,
        "items_per_order": float(ref["units"]) / ref["orders"] if ref["orders"] else None,
        "repeat_rate": 100 * ref["repeat"] / ref["unique_customers"] if ref["unique_customers"] else None,
        "return_rate": 100 * float(ref["returns"]) / gross if gross else None,
        "margin_pct": 100 * float(ref["gross_margin"]) / net if net else None,
    }
    for name, want in ratios.items():
        if want is None:
            assert ours[name] is None, name
        else:
            assert ours[name] == pytest.approx(want, rel=REL), name


def test_every_kpi_overall_and_per_store_equals_sql(run):
    answer, con = run
    assert len(answer["kpi"]) == len(PERIODS)
    for report, (a, b, comparison) in zip(answer["kpi"], PERIODS):
        check_kpis(report["overall"]["current"], kpis_sql(con, a, b, None))
        prev = report["comparison_period"]
        pa, pb = dt.date.fromisoformat(prev["start"]), dt.date.fromisoformat(prev["end"])
        check_kpis(report["overall"]["previous"], kpis_sql(con, pa, pb, None))
        assert [s["store"] for s in report["stores"]] == ["S1", "S2", "S3"]
        for s in report["stores"]:
            check_kpis(s["kpis"]["current"], kpis_sql(con, a, b, s["store"]))
            check_kpis(s["kpis"]["previous"], kpis_sql(con, pa, pb, s["store"]))
        # Changes are derived from the two periods.
        for ch in report["overall"]["changes"]:
            if ch["current"] is not None and ch["previous"] is not None:
                assert ch["abs_change"] == pytest.approx(ch["current"] - ch["previous"], rel=REL, abs=1e-9)


TRUNC = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def trend_sql(con, metric, gran, start, end, store):
    where = "d BETWEEN ? AND ?" + (" AND store_id = ?" if store else "")
    params = [start, end] + ([store] if store else [])
    if metric == "avg_order_value":
        expr = f"{METRICS_SQL['gross_revenue']} / nullif({METRICS_SQL['orders']}, 0)"
    elif metric == "new_customers":
        scope = "AND store_id = ?" if store else ""
        rows = con.execute(f"""
            WITH f AS (SELECT customer_id, min(d) fd FROM lines WHERE quantity > 0 AND customer_id IS NOT NULL {scope} GROUP BY 1)
            SELECT date_trunc('{TRUNC[gran]}', fd)::DATE, count(*) FROM f WHERE fd BETWEEN ? AND ? GROUP BY 1
        """, ([store] if store else []) + [start, end]).fetchall()
        return {b: float(v) for b, v in rows}
    else:
        expr = METRICS_SQL[metric]
    rows = con.execute(
        f"SELECT date_trunc('{TRUNC[gran]}', d)::DATE AS b, {expr} FROM lines WHERE {where} GROUP BY 1", params
    ).fetchall()
    return {b: (None if v is None else float(v)) for b, v in rows}


def bucket_of(gran, day):
    if gran == "day":
        return day
    if gran == "week":
        return day - dt.timedelta(days=day.weekday())
    if gran == "month":
        return day.replace(day=1)
    if gran == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def test_every_trend_bucket_equals_sql(run):
    answer, con = run
    for t in answer["trends"]:
        gran, metric, store = t["granularity"], t["metric"], t["store"]
        start, end = dt.date.fromisoformat(t["period"]["start"]), dt.date.fromisoformat(t["period"]["end"])
        # Buckets are clipped to the period, so SQL groups the period's lines by calendar bucket.
        ref = trend_sql(con, metric, gran, start, end, store)
        points = t["points"]
        assert points[0]["start"] == start.isoformat() and points[-1]["end"] == end.isoformat()
        expected_buckets = sorted({bucket_of(gran, start + dt.timedelta(days=i)) for i in range((end - start).days + 1)})
        assert [bucket_of(gran, dt.date.fromisoformat(p["start"])) for p in points] == expected_buckets
        empty_value = None if metric == "avg_order_value" else 0.0
        values = []
        for p in points:
            b = bucket_of(gran, dt.date.fromisoformat(p["start"]))
            want = ref.get(b, empty_value)
            if want is None:
                assert p["value"] is None
            else:
                assert p["value"] == pytest.approx(want, rel=REL), (metric, gran, b)
            values.append(p["value"])
        # Growth, moving average and cumulative values follow from the bucket values.
        for i, p in enumerate(points):
            prev = values[i - 1] if i > 0 else None
            if i > 0 and prev not in (None, 0.0) and p["value"] is not None:
                assert p["growth_pct"] == pytest.approx(100 * (p["value"] - prev) / abs(prev), rel=1e-9)
            if i >= 2 and None not in values[i - 2:i + 1]:
                assert p["moving_average"] == pytest.approx(sum(values[i - 2:i + 1]) / 3, rel=1e-9)
        if metric in ("net_revenue", "orders", "units", "new_customers"):
            total = 0.0
            for p in points:
                total += p["value"]
                assert p["cumulative"] == pytest.approx(total, rel=1e-12, abs=1e-6)
        if metric == "unique_customers":
            # To date: distinct customers from the period start through each bucket's end.
            for p in points[:: max(1, len(points) // 6)]:
                want = scalar(con, "SELECT count(DISTINCT customer_id) FROM lines WHERE quantity > 0 AND d BETWEEN ? AND ?",
                              [start, dt.date.fromisoformat(p["end"])])
                assert p["cumulative"] == want


RANK_GROUP = {"product": "product_id", "customer": "customer_id", "category": "coalesce(category, '(uncategorized)')",
              "store": "store_id"}


def test_every_ranking_equals_sql(run):
    answer, con = run
    for r in answer["rankings"]:
        entity, metric = r["entity"], r["metric"]
        start, end = dt.date.fromisoformat(r["period"]["start"]), dt.date.fromisoformat(r["period"]["end"])
        where = "d BETWEEN ? AND ?"
        params = [start, end]
        store = None
        # The ranking request of customers is restricted to store S1.
        if entity == "customer":
            store = "S1"
            where += " AND store_id = ? AND customer_id IS NOT NULL"
            params.append(store)
        group = RANK_GROUP[entity]
        rows = con.execute(
            f"SELECT {group} AS g, {METRICS_SQL[metric]} AS v FROM lines WHERE {where} GROUP BY 1", params
        ).fetchall()
        rows = [(g, float(v or 0)) for g, v in rows]
        desc = r["order"] == "top"
        rows.sort(key=lambda x: ((-x[1] if desc else x[1]), x[0]))
        assert r["entities"] == len(rows)
        total = sum(v for _, v in rows)
        got = [(e["id"], e["value"]) for e in r["entries"]]
        want = rows[: len(got)]
        assert len(got) == min(15, len(rows))
        assert [g for g, _ in got] == [g for g, _ in want], (entity, metric)
        for (_, v), (_, w) in zip(got, want):
            assert v == pytest.approx(w, rel=REL)
        if metric not in ("unique_customers",):
            for e in r["entries"]:
                assert e["share_pct"] == pytest.approx(100 * e["value"] / total, rel=1e-9)
        # Rank change: rank in the previous period of equal length.
        ps, pe = dt.date.fromisoformat(r["comparison_period"]["start"]), dt.date.fromisoformat(r["comparison_period"]["end"])
        prev = con.execute(
            f"SELECT {group} AS g, {METRICS_SQL[metric]} AS v FROM lines WHERE {where.replace('d BETWEEN ? AND ?', 'd BETWEEN ? AND ?')} GROUP BY 1",
            [ps, pe] + params[2:],
        ).fetchall()
        prev = sorted([(g, float(v or 0)) for g, v in prev], key=lambda x: ((-x[1] if desc else x[1]), x[0]))
        prev_rank = {g: i + 1 for i, (g, _) in enumerate(prev)}
        for e in r["entries"]:
            assert e["previous_rank"] == prev_rank.get(e["id"])
