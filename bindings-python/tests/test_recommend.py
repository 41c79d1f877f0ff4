"""storelytics.association_rules / recommend, rules checked against a brute-force count."""

import datetime as dt
import itertools
import random

import polars as pl
import pytest

import storelytics as sl
from storelytics.recommend import RULE_MEASURES


def lines(seed=5, orders=300):
    """Baskets of 1-4 of 8 products; tea and milk often go together."""
    rng = random.Random(seed)
    rows = []
    for order in range(orders):
        products = set(rng.sample([f"p{i}" for i in range(8)], rng.randint(1, 3)))
        if rng.random() < 0.3:
            products |= {"tea", "milk"}
        for p in sorted(products):
            rows.append(
                {
                    "order_id": order,
                    "ts": dt.date(2024, 1, 1) + dt.timedelta(days=order % 60),
                    "product_id": p,
                    "quantity": 1.0,
                    "unit_price": 2.5,
                    "customer_id": order % 40,
                }
            )
    return pl.DataFrame(rows)


def brute_force_pair_rules(df, min_support, min_confidence):
    baskets = [set(g) for g in df.group_by("order_id").agg(pl.col("product_id"))["product_id"].to_list()]
    n = len(baskets)
    support = lambda items: sum(1 for b in baskets if items <= b) / n  # noqa: E731
    products = sorted({p for b in baskets for p in b})
    rules = {}
    for a, c in itertools.permutations(products, 2):
        s = support({a, c})
        if s < min_support or support({a}) < min_support:
            continue
        confidence = s / support({a})
        if confidence >= min_confidence:
            rules[(a, c)] = (s, confidence, confidence / support({c}))
    return rules


def test_pair_rules_match_brute_force():
    df = lines()
    rules = sl.association_rules(sl.Sales(df), min_support=0.05, max_len=2, min_confidence=0.2)
    assert rules.columns == ["antecedent", "consequent"] + RULE_MEASURES
    expected = brute_force_pair_rules(df, 0.05, 0.2)
    got = {
        (r["antecedent"][0], r["consequent"][0]): (r["support"], r["confidence"], r["lift"])
        for r in rules.iter_rows(named=True)
    }
    assert set(got) == set(expected)
    for key, values in expected.items():
        # Ratios of the same integer counts: equal up to floating-point rounding.
        assert got[key] == pytest.approx(values, rel=1e-12), key
    assert expected[("tea", "milk")][1] == 1.0
    pandas = sl.association_rules(sl.Sales(df), min_support=0.05, max_len=2, min_confidence=0.2, output="pandas")
    assert len(pandas) == rules.height


def test_recommendations_are_new_products_best_first():
    df = lines()
    sales = sl.Sales(df)
    recs = sl.recommend(sales, 3, top=5)
    assert recs.columns == ["product", "score", "source"]
    bought = set(df.filter(pl.col("customer_id") == 3)["product_id"])
    assert recs.height <= 5
    assert not set(recs["product"]) & bought
    assert recs["score"].to_list() == sorted(recs["score"].to_list(), reverse=True)
    assert set(recs["source"]) <= {"similar", "popular"}


def test_bad_input():
    sales = sl.Sales(lines())
    with pytest.raises(sl.UnknownIdError, match="customer"):
        sl.recommend(sales, 999)
    with pytest.raises(sl.InvalidParameterError, match="min_support"):
        sl.association_rules(sales, min_support=2.0)
