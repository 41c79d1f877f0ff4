"""The generated sales table every workload of `compare.py` reads, in each library's form.

The lines are generated with numpy rather than `storelytics.generate`, because the Python
package has no way to hand its generated lines back as a frame, and every engine must read the
very same lines. The shape follows the storelytics generator: stores in three time zones over
two years, weekly and yearly seasonality with growth, customers (15 % guests), a skewed product
popularity, bundles of products bought together, 3 % return lines and injected spike / drop
days per store.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, List, Tuple

import numpy as np
import pandas as pd
import polars as pl

START = dt.date(2023, 1, 1)
DAYS = 730
STORE_ZONES = {1: "Europe/Berlin", 2: "America/New_York", 3: "Asia/Tokyo"}
STORE_WEIGHTS = np.array([0.5, 0.3, 0.2])
CATEGORIES = 12
BUNDLES = 24
ANOMALIES_PER_STORE = 8


@dataclass
class Dataset:
    """One generated table and its copies for the peers (none of this is timed)."""

    lines: int
    polars: pl.DataFrame
    """Contract columns plus `date`, the store-local date (the peers' precomputed day)."""
    pandas: pd.DataFrame
    parquet: str
    """Path of the Parquet file the ingest workload reads."""
    anomalies: List[Tuple[int, dt.date, str]]
    """Injected (store, local date, kind) anomalies."""

    @property
    def first_date(self) -> dt.date:
        return START

    @property
    def last_date(self) -> dt.date:
        return START + dt.timedelta(days=DAYS - 1)


def _day_weights(rng: np.random.Generator) -> Tuple[np.ndarray, List[Tuple[int, dt.date, str]]]:
    """Relative order volume per store and local day: weekly and yearly season, growth, anomalies."""
    d = np.arange(DAYS)
    dates = [START + dt.timedelta(days=int(i)) for i in d]
    weekday = np.array([x.weekday() for x in dates])
    weekly = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.45, 0.8])[weekday]
    yearly = 1 + 0.25 * np.cos(2 * np.pi * (d - 350) / 365.25)
    growth = 1.1 ** (d / 365.25)
    weights, anomalies = [], []
    for store in STORE_ZONES:
        w = weekly * yearly * growth * rng.lognormal(0, 0.08, DAYS)
        for i in rng.choice(np.arange(30, DAYS - 30), ANOMALIES_PER_STORE, replace=False):
            spike = rng.random() < 0.5
            w[i] *= 3.0 if spike else 0.25
            anomalies.append((store, dates[int(i)], "spike" if spike else "drop"))
        weights.append(w / w.sum())
    return np.array(weights), sorted(anomalies)


def generate(lines: int, workdir: str, seed: int = 7) -> Dataset:
    """About `lines` line items (orders of 1-5 lines until the count is reached)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, lines // 3 + 10)
    while sizes.sum() < lines:  # orders of mean size 3 may fall short of `lines`
        sizes = np.concatenate([sizes, rng.integers(1, 6, 1000)])
    ends = np.cumsum(sizes)
    n_orders = int(np.searchsorted(ends, lines)) + 1
    sizes = sizes[:n_orders]
    sizes[-1] -= int(ends[n_orders - 1] - lines)
    n_lines = int(sizes.sum())
    customers = max(100, lines // 25)
    products = max(200, min(5000, lines // 200))

    # Orders: store, customer (None = guest), local day and time of day.
    store = rng.choice(np.array(list(STORE_ZONES)), n_orders, p=STORE_WEIGHTS)
    day_weights, anomalies = _day_weights(rng)
    day = np.empty(n_orders, dtype=np.int64)
    for k, s in enumerate(STORE_ZONES):
        idx = np.flatnonzero(store == s)
        day[idx] = rng.choice(DAYS, idx.size, p=day_weights[k])
    activity = rng.pareto(1.5, customers) + 0.05
    customer = rng.choice(customers, n_orders, p=activity / activity.sum()).astype(np.float64) + 1
    customer[rng.random(n_orders) < 0.15] = np.nan
    seconds = rng.integers(8 * 3600, 21 * 3600, n_orders)  # no DST gap or overlap at these hours

    # Lines: skewed product popularity; some orders hold one of the bundles.
    order_of_line = np.repeat(np.arange(n_orders), sizes)
    popularity = 1.0 / np.arange(1, products + 1) ** 0.9
    product = rng.choice(products, n_lines, p=popularity / popularity.sum()) + 1
    bundles = rng.choice(np.arange(1, products + 1), (BUNDLES, 3), replace=False)
    bundle_len = rng.integers(2, 4, BUNDLES)
    first_line = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    with_bundle = np.flatnonzero((rng.random(n_orders) < 0.2) & (sizes >= 2))
    chosen = rng.integers(0, BUNDLES, with_bundle.size)
    for j in range(3):
        ok = (bundle_len[chosen] > j) & (sizes[with_bundle] > j)
        product[first_line[with_bundle[ok]] + j] = bundles[chosen[ok], j]
    price_cents = rng.integers(99, 9999, products + 1)
    quantity = rng.integers(1, 4, n_lines).astype(np.float64)
    quantity[rng.random(n_lines) < 0.03] *= -1

    # Timestamps: the store-local wall time of the order, as a UTC instant.
    local = pd.DatetimeIndex(pd.Timestamp(START) + pd.to_timedelta(day, unit="D") + pd.to_timedelta(seconds, unit="s"))
    utc = np.empty(n_orders, dtype="datetime64[us]")
    for s, zone in STORE_ZONES.items():
        idx = np.flatnonzero(store == s)
        utc[idx] = local[idx].tz_localize(zone).tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[us]")

    o = order_of_line
    frame = pl.DataFrame(
        {
            "order_id": (o + 1).astype(np.int64),
            "ts": pl.Series(utc[o]).dt.replace_time_zone("UTC"),
            "product_id": product.astype(np.int64),
            "category": pl.Series((product % CATEGORIES).astype(np.int64)).cast(pl.String).str.zfill(2),
            "quantity": quantity,
            "unit_price": price_cents[product] / 100.0,
            "customer_id": pl.Series(customer[o]).fill_nan(None).cast(pl.Int64),
            "store_id": store[o].astype(np.int64),
            "date": pl.Series((np.datetime64(START) + day[o].astype("timedelta64[D]"))),
        }
    ).with_columns(("cat-" + pl.col("category")).alias("category"))
    path = os.path.join(workdir, f"lines_{lines}.parquet")
    frame.write_parquet(path)
    return Dataset(lines=n_lines, polars=frame, pandas=frame.to_pandas(), parquet=path, anomalies=anomalies)


def sales_of(data: Dataset) -> Any:
    """The storelytics table of the same lines (read from the Parquet file)."""
    import storelytics as sl

    return sl.Sales.read_parquet(data.parquet, store_time_zones=STORE_ZONES)
