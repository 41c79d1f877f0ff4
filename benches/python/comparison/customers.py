"""Customer workloads: RFM scores with the ten segments, and k-means on the log RFM matrix."""

from __future__ import annotations

import inspect
import re
from typing import Any, Optional, Tuple

import numpy as np
import pandas as pd
import polars as pl

import storelytics as sl
from comparison.data import Dataset
from comparison.tables import Workload

BINS = 5
CLUSTERS = 4
RUNS = 10
SEGMENT_REGEX = {
    r"[1-2][1-2]": "Hibernating",
    r"[1-2][3-4]": "At Risk",
    r"[1-2]5": "Can't Lose Them",
    r"3[1-2]": "About To Sleep",
    r"33": "Need Attention",
    r"[3-4][4-5]": "Loyal",
    r"41": "Promising",
    r"51": "New Customers",
    r"[4-5][2-3]": "Potential Loyalists",
    r"5[4-5]": "Champions",
}
"""The ten-segment map as RFM notebooks write it: regular expressions on the "RF" score text."""
SEGMENTS = {
    f"{r}{f}": next(name for rx, name in SEGMENT_REGEX.items() if re.fullmatch(rx, f"{r}{f}"))
    for r in range(1, 6)
    for f in range(1, 6)
}


def _qcut_rank_first(values: pd.Series, reverse: bool) -> pd.Series:
    labels = list(range(BINS, 0, -1)) if reverse else list(range(1, BINS + 1))
    return pd.qcut(values.rank(method="first"), BINS, labels=labels).astype(int)


def pandas_rfm(df: pd.DataFrame, as_of) -> pd.DataFrame:
    """RFM per (store, customer) the pandas way: groupby, then qcut(rank(method="first")) per store."""
    d = df[df.customer_id.notna()]
    amount = d.quantity * d.unit_price
    sold = d[d.quantity > 0]
    g = sold.groupby(["store_id", "customer_id"])
    rfm = pd.DataFrame({"frequency": g.order_id.nunique(), "last": g.date.max()})
    monetary = amount.groupby([d.store_id, d.customer_id]).sum().round(2).rename("monetary")
    rfm = rfm.join(monetary, how="left").reset_index()
    rfm["recency_days"] = (pd.Timestamp(as_of) - rfm["last"]).dt.days
    by_store = rfm.groupby("store_id")
    rfm["R"] = by_store.recency_days.transform(lambda v: _qcut_rank_first(v, True))
    rfm["F"] = by_store.frequency.transform(lambda v: _qcut_rank_first(v, False))
    rfm["M"] = by_store.monetary.transform(lambda v: _qcut_rank_first(v, False))
    rfm["segment"] = (rfm.R.astype(str) + rfm.F.astype(str)).map(SEGMENTS)
    return rfm


def _score(col: str, reverse: bool) -> pl.Expr:
    # qcut of the ordinal rank 1..n into BINS equal-count bins: bin edges 1 + (n-1)·i/BINS.
    r = pl.col(col).rank("ordinal").over("store_id").cast(pl.Int64)
    n = pl.len().over("store_id").cast(pl.Int64)
    score = ((r - 1) * BINS + n - 2).floordiv(pl.max_horizontal(n - 1, 1)).clip(1, BINS)
    return (BINS + 1 - score if reverse else score).alias(col[0].upper())


def polars_rfm(lf: pl.LazyFrame, as_of) -> pl.DataFrame:
    """The same RFM in polars lazy: group_by, ordinal rank within store, equal-count bins."""
    sale = pl.col("quantity") > 0
    return (
        lf.filter(pl.col("customer_id").is_not_null())
        .group_by("store_id", "customer_id")
        .agg(
            pl.col("order_id").filter(sale).n_unique().alias("frequency"),
            pl.col("date").filter(sale).max().alias("last"),
            (pl.col("quantity") * pl.col("unit_price")).sum().round(2).alias("monetary"),
        )
        .filter(pl.col("frequency") > 0)
        .sort("store_id", "customer_id")
        .with_columns((pl.lit(as_of) - pl.col("last")).dt.total_days().alias("recency"))
        .with_columns(_score("recency", True), _score("frequency", False), _score("monetary", False))
        .with_columns(
            (pl.col("R").cast(pl.String) + pl.col("F").cast(pl.String)).replace_strict(SEGMENTS).alias("segment")
        )
        .collect()
    )


def rfm_workload(data: Dataset, sales) -> Workload:
    as_of = data.last_date
    pdf, lf = data.pandas, data.polars.lazy()

    def check(ours, peers):
        want = ours.table.select(
            pl.col("store").alias("store_id"),
            pl.col("customer").alias("customer_id"),
            pl.col("recency_score").alias("R"),
            pl.col("frequency_score").alias("F"),
            pl.col("monetary_score").alias("M"),
            "segment",
        ).sort("store_id", "customer_id")
        for name, got in peers.items():
            g = pl.from_pandas(got) if isinstance(got, pd.DataFrame) else got
            g = g.select(
                pl.col("store_id").cast(pl.Int64),
                pl.col("customer_id").cast(pl.Int64),
                pl.col("R").cast(pl.Int64),
                pl.col("F").cast(pl.Int64),
                pl.col("M").cast(pl.Int64),
                "segment",
            ).sort("store_id", "customer_id")
            assert g.height == want.height, (name, g.height, want.height)
            for c in want.columns:
                bad = (g[c] != want[c]).sum()
                assert bad == 0, (name, c, bad)
        return f"R, F, M scores and segment of all {want.height:,} (store, customer) rows identical"

    return Workload(
        "RFM + 10 segments",
        lambda: sl.rfm(sales, as_of=as_of),
        {"pandas": lambda: pandas_rfm(pdf, as_of), "polars": lambda: polars_rfm(lf, as_of)},
        check,
        notes=["storelytics returns the full table (tenure, AOV, ...) and the segment summary as frames"],
    )


def rfm_features(table: pl.DataFrame) -> np.ndarray:
    """The storelytics clustering features: log1p recency and frequency, signed log1p monetary,
    standardised with the population standard deviation."""
    m = table["monetary"].to_numpy()
    x = np.column_stack(
        [
            np.log1p(np.maximum(table["recency_days"].to_numpy(), 0)),
            np.log1p(table["frequency"].to_numpy()),
            np.sign(m) * np.log1p(np.abs(m)),
        ]
    )
    return (x - x.mean(axis=0)) / x.std(axis=0)


def cluster_api() -> Tuple[Optional[Any], str]:
    """The storelytics k-means entry point ``cluster_customers(sales, *, k, runs, seed, as_of)``,
    or why it cannot be used (an older wheel without it)."""
    for name in ("cluster_customers",):
        if hasattr(sl, name):
            api = getattr(sl, name)
            missing = {"k", "runs", "seed", "as_of"} - set(inspect.signature(api).parameters)
            if missing:
                return None, f"sl.{name} has no {sorted(missing)} arguments: update comparison/customers.py"
            return api, ""
    return None, "the Python package does not expose clustering yet"


def _labels(result: Any) -> np.ndarray:
    return result.assignments["cluster"].to_numpy()


def _inertia(x: np.ndarray, labels: np.ndarray) -> float:
    return float(sum(((x[labels == c] - x[labels == c].mean(axis=0)) ** 2).sum() for c in np.unique(labels)))


def kmeans_workload(data: Dataset, sales) -> Workload:
    table = sl.rfm(sales, as_of=data.last_date).table
    x = rfm_features(table)
    api, why_not = cluster_api()

    def sklearn_fit():
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=CLUSTERS, n_init=RUNS, init="k-means++", max_iter=300, tol=1e-4, random_state=42).fit(x)

    def check(ours, peers):
        theirs = peers["sklearn"].inertia_
        if ours is None:
            return f"storelytics skipped ({why_not}); scikit-learn inertia {theirs:.1f}"
        mine = _inertia(x, _labels(ours))
        assert mine <= theirs * 1.01, (mine, theirs)
        return f"inertia {mine:.1f} vs scikit-learn {theirs:.1f} (k={CLUSTERS}, {RUNS} k-means++ starts each)"

    w = Workload(
        f"k-means k={CLUSTERS} on log RFM",
        (lambda: api(sales, k=CLUSTERS, runs=RUNS, seed=42, as_of=data.last_date)) if api else (lambda: None),
        {"sklearn": sklearn_fit},
        check,
        size=f"{x.shape[0]:,} customers",
        notes=["scikit-learn gets the feature matrix; storelytics starts from the sales (its RFM included)"],
    )
    if api is None:
        w.skipped["storelytics"] = why_not
    return w

