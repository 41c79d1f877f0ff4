"""Workloads on the whole table: ingest, KPI report, daily trend, top products.

Each `*_workload` returns a :class:`Workload`: the storelytics call, the peers' calls and the
check that their results agree (run once, untimed, before timing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import duckdb
import numpy as np
import pandas as pd
import polars as pl

import storelytics as sl
from comparison.data import STORE_ZONES, Dataset

KPI_PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
"""The KPI report's period; the comparison is the 182 days right before."""
CENT = 0.01 + 1e-9
"""Money tolerance of the peers: they sum float line amounts, storelytics integer cents."""
REL = 1e-9


@dataclass
class Workload:
    """One row of the table: storelytics and its peers on the same input."""

    name: str
    storelytics: Callable[[], Any]
    peers: Dict[str, Callable[[], Any]]
    check: Callable[[Any, Dict[str, Any]], str]
    """Compares the peers' results with storelytics'; raises AssertionError, or returns a note."""
    size: str = ""
    """What the row ran on, when not the whole table."""
    repeats: Optional[int] = None
    """Repeats of this row when fewer than the run's (slow rows)."""
    notes: List[str] = field(default_factory=list)
    skipped: Dict[str, str] = field(default_factory=dict)
    """Peers left out, with the reason."""


def close(a: float, b: float, tol: float) -> bool:
    return abs(float(a) - float(b)) <= tol


# ---------------------------------------------------------------------------------------------
# ingest
# ---------------------------------------------------------------------------------------------


def ingest_workload(data: Dataset, con: duckdb.DuckDBPyConnection) -> Workload:
    path = data.parquet

    def duck():
        con.execute(f"CREATE OR REPLACE TABLE lines AS SELECT * FROM read_parquet('{path}')")
        return con.execute("SELECT count(*) FROM lines").fetchone()[0]

    def check(ours, peers):
        n = len(ours)
        got = {"pandas": len(peers["pandas"]), "polars": peers["polars"].height, "duckdb": peers["duckdb"]}
        assert all(v == n for v in got.values()), (n, got)
        return f"{n:,} lines in every engine"

    return Workload(
        "ingest Parquet",
        lambda: sl.Sales.read_parquet(path, store_time_zones=STORE_ZONES),
        {"pandas": lambda: pd.read_parquet(path), "polars": lambda: pl.read_parquet(path), "duckdb": duck},
        check,
        notes=["storelytics validates, dictionary-encodes ids and derives store-local days; peers only load"],
    )


# ---------------------------------------------------------------------------------------------
# KPI report
# ---------------------------------------------------------------------------------------------

KPI_NAMES = ["gross", "returns", "net", "orders", "units", "aov", "customers"]


def _ours_kpis(k) -> Dict[str, float]:
    return {
        "gross": k.gross_revenue / 100,
        "returns": k.returns / 100,
        "net": k.net_revenue / 100,
        "orders": k.orders,
        "units": k.units,
        "aov": k.avg_order_value,
        "customers": k.unique_customers,
    }


def _pandas_kpis(df: pd.DataFrame, periods) -> Dict[Tuple[int, Any], Dict[str, float]]:
    out = {}
    for i, (a, b) in enumerate(periods):
        d = df[(df.date >= pd.Timestamp(a)) & (df.date <= pd.Timestamp(b))]
        amount = d.quantity * d.unit_price
        sale = d.quantity > 0
        x = pd.DataFrame(
            {
                "store_id": d.store_id,
                "gross": amount.where(sale, 0.0),
                "returns": -amount.where(~sale, 0.0),
                "net": amount,
                "units": d.quantity.where(sale, 0.0),
                "order": d.order_id.where(sale),
                "customer": d.customer_id.where(sale),
            }
        )
        aggs = dict(
            gross=("gross", "sum"),
            returns=("returns", "sum"),
            net=("net", "sum"),
            units=("units", "sum"),
            orders=("order", "nunique"),
            customers=("customer", "nunique"),
        )
        per_store = x.groupby("store_id").agg(**aggs)
        overall = x.assign(store_id=0).groupby("store_id").agg(**aggs)
        for frame, overall_row in ((per_store, False), (overall, True)):
            frame["aov"] = frame.gross / frame.orders
            for store, row in frame.iterrows():
                out[(i, None if overall_row else store)] = row.to_dict()
    return out


def _polars_kpis(lf: pl.LazyFrame, periods) -> Dict[Tuple[int, Any], Dict[str, float]]:
    sale = pl.col("quantity") > 0
    amount = pl.col("quantity") * pl.col("unit_price")
    aggs = [
        pl.when(sale).then(amount).otherwise(0.0).sum().alias("gross"),
        (-pl.when(~sale).then(amount).otherwise(0.0).sum()).alias("returns"),
        amount.sum().alias("net"),
        pl.when(sale).then(pl.col("quantity")).otherwise(0.0).sum().alias("units"),
        pl.col("order_id").filter(sale).n_unique().alias("orders"),
        pl.col("customer_id").filter(sale & pl.col("customer_id").is_not_null()).n_unique().alias("customers"),
    ]
    queries = []
    for a, b in periods:
        d = lf.filter(pl.col("date").is_between(a, b))
        queries.append(d.group_by("store_id").agg(aggs))
        queries.append(d.select(aggs).with_columns(pl.lit(None, pl.Int64).alias("store_id")))
    frames = pl.collect_all(queries)
    out = {}
    for j, f in enumerate(frames):
        for row in f.with_columns((pl.col("gross") / pl.col("orders")).alias("aov")).iter_rows(named=True):
            out[(j // 2, row["store_id"])] = row
    return out


def _duckdb_kpis(con: duckdb.DuckDBPyConnection, periods) -> Dict[Tuple[int, Any], Dict[str, float]]:
    (a, b), (c, d) = periods
    rows = con.execute(
        f"""
        SELECT p, store_id,
               sum(CASE WHEN quantity > 0 THEN quantity * unit_price ELSE 0 END) AS gross,
               -sum(CASE WHEN quantity < 0 THEN quantity * unit_price ELSE 0 END) AS returns,
               sum(quantity * unit_price) AS net,
               sum(CASE WHEN quantity > 0 THEN quantity ELSE 0 END) AS units,
               count(DISTINCT CASE WHEN quantity > 0 THEN order_id END) AS orders,
               count(DISTINCT CASE WHEN quantity > 0 THEN customer_id END) AS customers
        FROM (SELECT *, CASE WHEN date BETWEEN '{a}' AND '{b}' THEN 0 ELSE 1 END AS p FROM lines
              WHERE date BETWEEN '{a}' AND '{b}' OR date BETWEEN '{c}' AND '{d}')
        GROUP BY GROUPING SETS ((p, store_id), (p))
        """
    ).fetchall()
    out = {}
    for p, store, gross, returns, net, units, orders, customers in rows:
        out[(p, store)] = dict(
            gross=gross, returns=returns, net=net, units=units, orders=orders, customers=customers, aov=gross / orders
        )
    return out


def kpi_workload(data: Dataset, sales, con) -> Workload:
    report = sl.kpi_report(sales, period=KPI_PERIOD)
    cp = report.comparison_period
    periods = [KPI_PERIOD, (cp.start, cp.end)]
    pdf, lf = data.pandas, data.polars.lazy()

    def check(ours, peers):
        expected = {}
        for i, side in enumerate(("current", "previous")):
            expected[(i, None)] = _ours_kpis(getattr(ours.overall, side))
            for s in ours.stores:
                expected[(i, s.store)] = _ours_kpis(getattr(s.kpis, side))
        for name, got in peers.items():
            assert set(got) == set(expected), (name, sorted(got, key=str))
            for key, want in expected.items():
                for m in KPI_NAMES:
                    g, w = got[key][m], want[m]
                    tol = CENT if m in ("gross", "returns", "net") else REL * abs(w)
                    assert close(g, w, tol), (name, key, m, g, w)
        return f"{len(KPI_NAMES)} KPIs x (3 stores + overall) x 2 periods equal (money to the cent)"

    return Workload(
        "KPI report + comparison",
        lambda: sl.kpi_report(sales, period=KPI_PERIOD),
        {
            "pandas": lambda: _pandas_kpis(pdf, periods),
            "polars": lambda: _polars_kpis(lf, periods),
            "duckdb": lambda: _duckdb_kpis(con, periods),
        },
        check,
        notes=[
            "storelytics computes all 17 KPIs (new / returning customers, repeat rate, ...) and the changes; "
            "peers compute the 7 compared"
        ],
    )


# ---------------------------------------------------------------------------------------------
# daily trend per store
# ---------------------------------------------------------------------------------------------


def trend_workload(data: Dataset, sales, con) -> Workload:
    stores = [s.id for s in sales.stores]
    pdf, lf = data.pandas, data.polars.lazy()

    def ours():
        return {s: sl.trend(sales, store=s) for s in stores}

    def pandas_trend():
        d = pdf.assign(amount=pdf.quantity * pdf.unit_price)
        daily = d.groupby(["store_id", "date"]).amount.sum().reset_index()
        g = daily.groupby("store_id").amount
        daily["moving_average"] = g.transform(lambda v: v.rolling(7).mean())
        daily["cumulative"] = g.cumsum()
        return daily

    def polars_trend():
        return (
            lf.group_by("store_id", "date")
            .agg((pl.col("quantity") * pl.col("unit_price")).sum().alias("amount"))
            .sort("store_id", "date")
            .with_columns(
                pl.col("amount").rolling_mean(7).over("store_id").alias("moving_average"),
                pl.col("amount").cum_sum().over("store_id").alias("cumulative"),
            )
            .collect()
        )

    def duckdb_trend():
        return con.execute(
            """
            SELECT store_id, date, amount,
                   CASE WHEN count(*) OVER w7 = 7 THEN avg(amount) OVER w7 END AS moving_average,
                   sum(amount) OVER (PARTITION BY store_id ORDER BY date) AS cumulative
            FROM (SELECT store_id, date, sum(quantity * unit_price) AS amount FROM lines GROUP BY ALL)
            WINDOW w7 AS (PARTITION BY store_id ORDER BY date ROWS 6 PRECEDING)
            ORDER BY store_id, date
            """
        ).df()

    def check(ours_result, peers):
        days = 0
        for name, frame in peers.items():
            f = pl.from_pandas(frame) if isinstance(frame, pd.DataFrame) else frame
            f = f.with_columns(pl.col("date").cast(pl.Date))
            for s in stores:
                pts = ours_result[s].points.filter(pl.col("value") != 0)
                mine = f.filter(pl.col("store_id") == s).sort("date")
                assert pts.height == mine.height, (name, s, pts.height, mine.height)
                assert pts["start"].to_list() == mine["date"].to_list(), (name, s)
                diff = (pts["value"] - mine["amount"]).abs().max()
                assert diff <= CENT, (name, s, diff)
                days += pts.height
        return f"{days // len(peers):,} store-days of net revenue equal to the cent"

    return Workload(
        "daily net revenue per store",
        ours,
        {"pandas": pandas_trend, "polars": polars_trend, "duckdb": duckdb_trend},
        check,
        notes=["storelytics also gives growth, last-year value and YoY; peers: sum, 7-day mean, cumulative"],
    )


# ---------------------------------------------------------------------------------------------
# top products
# ---------------------------------------------------------------------------------------------


def top_products_workload(data: Dataset, sales, con) -> Workload:
    pdf, lf = data.pandas, data.polars.lazy()

    def pandas_top():
        revenue = (pdf.quantity * pdf.unit_price).groupby(pdf.product_id).sum()
        top = revenue.sort_values(ascending=False, kind="stable").head(10)
        return pd.DataFrame({"id": top.index, "value": top.values, "share_pct": 100 * top.values / revenue.sum()})

    def polars_top():
        return (
            lf.group_by("product_id")
            .agg((pl.col("quantity") * pl.col("unit_price")).sum().alias("value"))
            .with_columns((100 * pl.col("value") / pl.col("value").sum()).alias("share_pct"))
            .top_k(10, by="value")
            .rename({"product_id": "id"})
            .collect()
        )

    def duckdb_top():
        return con.execute(
            """
            SELECT product_id AS id, v AS value, 100 * v / sum(v) OVER () AS share_pct
            FROM (SELECT product_id, sum(quantity * unit_price) AS v FROM lines GROUP BY ALL)
            ORDER BY v DESC, id LIMIT 10
            """
        ).df()

    def check(ours, peers):
        want = ours.entries
        for name, frame in peers.items():
            got = pl.from_pandas(frame) if isinstance(frame, pd.DataFrame) else frame
            got = got.sort("value", descending=True)
            assert got["id"].to_list() == want["id"].to_list(), (name, got["id"].to_list(), want["id"].to_list())
            assert (got["value"] - want["value"]).abs().max() <= CENT, name
            assert np.allclose(got["share_pct"], want["share_pct"], rtol=1e-9), name
        return "the same 10 products, revenue to the cent, shares to 1e-9"

    return Workload(
        "top-10 products + share",
        lambda: sl.rank(sales, entity="product", n=10, comparison="none"),
        {"pandas": pandas_top, "polars": polars_top, "duckdb": duckdb_top},
        check,
    )
