"""storelytics.rfm: RFM scores and segments, checked against a pandas computation."""

import datetime as dt
import random

import pandas as pd
import polars as pl
import pytest

import storelytics as sl


def lines(seed=3, customers=60, orders=400):
    """Orders of one store over 90 days; a few customers only return goods."""
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    rows = []
    for order in range(orders):
        customer = rng.randrange(customers)
        day = start + dt.timedelta(days=rng.randrange(90))
        for _ in range(rng.randint(1, 3)):
            rows.append(
                {
                    "order_id": order,
                    "ts": day,
                    "product_id": f"p{rng.randrange(20)}",
                    "quantity": float(rng.randint(1, 4)),
                    "unit_price": rng.randrange(100, 5000) / 100,
                    "customer_id": customer,
                }
            )
    return pl.DataFrame(rows)


def pandas_rfm(df, bins=5):
    """RFM as the module docs define it, in pandas: purchases are orders with a positive line,
    monetary is all lines' net revenue, scores are qcut of rank(method="first") by customer id."""
    d = df.to_pandas()
    d["amount"] = (d["quantity"] * d["unit_price"] * 100).round().astype("int64")
    as_of = d["ts"].max()
    purchases = d[d["quantity"] > 0].groupby("customer_id").agg(
        frequency=("order_id", "nunique"), first=("ts", "min"), last=("ts", "max")
    )
    monetary = d.groupby("customer_id")["amount"].sum()
    r = purchases.join(monetary).sort_index()
    r["recency_days"] = (as_of - r["last"]).dt.days
    labels = list(range(1, bins + 1))
    r["recency_score"] = pd.qcut(r["recency_days"].rank(method="first"), bins, labels=labels[::-1]).astype(int)
    r["frequency_score"] = pd.qcut(r["frequency"].rank(method="first"), bins, labels=labels).astype(int)
    r["monetary_score"] = pd.qcut(r["amount"].rank(method="first"), bins, labels=labels).astype(int)
    return r


def test_rfm_matches_pandas():
    df = lines()
    result = sl.rfm(sl.Sales(df))
    t = result.table
    ref = pandas_rfm(df)
    assert t["customer"].to_list() == ref.index.tolist()
    assert t["frequency"].to_list() == ref["frequency"].tolist()
    assert t["recency_days"].to_list() == ref["recency_days"].tolist()
    # Money is exact in cents on both sides (each line rounded to cents).
    assert t["monetary_minor"].to_list() == ref["amount"].tolist()
    for score in ("recency_score", "frequency_score", "monetary_score"):
        assert t[score].to_list() == ref[score].tolist(), score
    # The summary adds up to the table.
    s = result.summary
    assert s["customers"].sum() == t.height
    assert s["net_revenue_minor"].sum() == t["monetary_minor"].sum()
    by_segment = t.group_by("segment").len().sort("segment")
    assert by_segment["len"].to_list() == s.filter(pl.col("customers") > 0).sort("segment")["customers"].to_list()
    assert set(t["segment"]) <= {
        "Champions", "Loyal", "Potential Loyalists", "New Customers", "Promising",
        "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating",
    }
    pandas = sl.rfm(sl.Sales(df), output="pandas")
    assert pandas.table["segment"].tolist() == t["segment"].to_list()


def test_bad_input():
    df = lines()
    with pytest.raises(sl.InvalidParameterError, match="bins"):
        sl.rfm(sl.Sales(df), bins=1)
    guests = df.drop("customer_id")
    with pytest.raises(sl.InsufficientDataError):
        sl.rfm(sl.Sales(guests))
