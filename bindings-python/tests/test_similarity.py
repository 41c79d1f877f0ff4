"""item_similarity, bought_together, frequent_itemsets and evaluate_sales, recomputed
independently with numpy from the exported line items (Sales.to_polars)."""

import math

import numpy as np
import polars as pl
import pytest

import storelytics as sl
from storelytics.recommend import DEFAULTS


@pytest.fixture(scope="module")
def sales():
    return sl.generate(seed=3, stores=2, lines=5000).sales


@pytest.fixture(scope="module")
def lines(sales):
    """Purchase lines (positive quantity) with an order key unique across stores."""
    return (
        sales.to_polars()
        .filter(pl.col("quantity") > 0)
        .with_columns(order=pl.concat_str([pl.col("store_id"), pl.col("order_id").cast(pl.String)], separator="/"))
    )


def incidence(lines, rows):
    """Dense rows × products matrix: 1 per (order, product) for orders; distinct orders per
    (customer, product) for customers."""
    pairs = (
        lines.select(pl.col(rows).alias("row"), "order", "product_id").unique().group_by("row", "product_id").len()
    )
    r = {v: i for i, v in enumerate(pairs["row"].unique().sort().to_list())}
    p = {v: i for i, v in enumerate(pairs["product_id"].unique().sort().to_list())}
    x = np.zeros((len(r), len(p)))
    for row, product, n in pairs.select("row", "product_id", "len").iter_rows():
        x[r[row], p[product]] = n
    return x, list(p)


def bm25(x, k1, b):
    """Entry weights idf_r · x (k1 + 1) / (x + k1 (1 - b + b · len_p / avg_len))."""
    n_r = (x > 0).sum(axis=1)
    idf = np.log(1 + (x.shape[1] - n_r + 0.5) / (n_r + 0.5))
    length = x.sum(axis=0)
    norm = k1 * (1 - b + b * length / length.mean())
    return np.where(x > 0, idf[:, None] * x * (k1 + 1) / (x + norm[None, :]), 0.0)


def cosine(w):
    unit = w / np.linalg.norm(w, axis=0)
    return unit.T @ unit


@pytest.mark.parametrize("basis, measure", [("orders", "cosine"), ("customers", "cosine"), ("customers", "bm25"),
                                            ("orders", "bm25")])
def test_similarity_equals_numpy(sales, lines, basis, measure):
    rows = "order" if basis == "orders" else "customer_id"
    data = lines.filter(pl.col("customer_id").is_not_null()) if basis == "customers" else lines
    x, products = incidence(data, rows)
    k1, b = DEFAULTS["similarity"]["bm25_k1"], DEFAULTS["similarity"]["bm25_b"]
    s = cosine(bm25(x, k1, b) if measure == "bm25" else x)
    np.fill_diagonal(s, 0.0)
    got = sl.item_similarity(sales, basis=basis, measure=measure, neighbours=5)
    index = {p: i for i, p in enumerate(products)}
    assert got.height > 0
    for product, group in got.group_by("product"):
        i = index[product[0]]
        # Each score is the cosine of the two columns (summation order differs: 1e-12).
        mine = group.sort("rank")
        want = [s[i, index[q]] for q in mine["neighbour"]]
        np.testing.assert_allclose(mine["score"].to_numpy(), want, rtol=1e-12, atol=1e-15)
        # ... and they are the product's best five (ties may pick different products).
        best = np.sort(s[i][s[i] > 0])[::-1][:5]
        np.testing.assert_allclose(mine["score"].to_numpy(), best, rtol=1e-12, atol=1e-15)
    assert set(got["product"]) == {p for j, p in enumerate(products) if (s[j] > 0).any()}


def test_one_products_neighbours_and_bm25_parameters(sales):
    everything = sl.item_similarity(sales, basis="orders")
    first = everything["product"][0]
    one = sl.item_similarity(sales, basis="orders", product=first)
    assert one.to_dicts() == everything.filter(pl.col("product") == first).to_dicts()
    # b = 0 and k1 = 0 are valid edge values.
    assert sl.item_similarity(sales, measure="bm25", k1=0.0, b=0.0).height > 0


def test_bought_together_equals_counts(sales, lines):
    baskets = lines.group_by("order").agg(pl.col("product_id").unique())["product_id"].to_list()
    baskets = [set(b) for b in baskets]
    n = len(baskets)
    counts = {}
    for bsk in baskets:
        for p in bsk:
            counts[p] = counts.get(p, 0) + 1
    product = max(counts, key=lambda p: counts[p])
    got = sl.bought_together(sales, product, top=8)
    assert got.height == 8
    for row in got.iter_rows(named=True):
        both = sum(1 for bsk in baskets if product in bsk and row["product"] in bsk)
        n_p, n_q = counts[product], counts[row["product"]]
        assert row["count"] == both
        assert math.isclose(row["confidence"], both / n_p, rel_tol=1e-15)
        assert math.isclose(row["lift"], both * n / (n_p * n_q), rel_tol=1e-14)
        assert math.isclose(row["cosine"], both / math.sqrt(n_p * n_q), rel_tol=1e-14)
    assert got["count"].to_list() == sorted(got["count"].to_list(), reverse=True)
    lift = sl.bought_together(sales, product, rank_by="lift", min_count=3, output="pandas")
    assert list(lift["lift"]) == sorted(lift["lift"], reverse=True) and (lift["count"] >= 3).all()


def test_frequent_itemsets_equal_brute_force(sales, lines):
    baskets = [set(b) for b in lines.group_by("order").agg(pl.col("product_id").unique())["product_id"].to_list()]
    n = len(baskets)
    got = sl.frequent_itemsets(sales, min_support=0.004, max_len=2)
    assert got.height > 0 and got["products"].list.len().max() <= 2
    for row in got.iter_rows(named=True):
        items = set(row["products"])
        count = sum(1 for bsk in baskets if items <= bsk)
        assert row["count"] == count and row["support"] == count / n
    pairs = got.filter(pl.col("products").list.len() == 2).height
    products = sorted({p for bsk in baskets for p in bsk})
    frequent = [p for p in products if sum(p in bsk for bsk in baskets) >= 0.004 * n]
    brute = sum(1 for i, p in enumerate(frequent) for q in frequent[i + 1:]
                if sum(1 for bsk in baskets if p in bsk and q in bsk) >= 0.004 * n)
    assert pairs == brute


def test_evaluation_metrics(sales):
    ev = sl.evaluate_sales(sales, "2024-07-01", k=5)
    for side in (ev.recommender, ev.popularity):
        assert side["k"] == 5 and side["customers"] > 0
        for m in ("precision", "recall", "map", "ndcg", "hit_rate", "coverage"):
            assert 0.0 <= side[m] <= 1.0, m
        # precision@k can never exceed hit rate / 1 and recall > 0 needs a hit.
        assert side["precision"] <= side["hit_rate"]
    assert ev.recommender["customers"] == ev.popularity["customers"]
    assert ev.training_lines + ev.test_lines == sum(1 for q in sales.to_polars()["quantity"] if q > 0)
    assert ev.table["model"].to_list() == ["recommender", "popularity"]
    bm = sl.evaluate_sales(sales, "2024-07-01", basis="orders", measure="bm25", neighbours=20)
    assert bm.recommender["customers"] == ev.recommender["customers"]


def first_product(sales):
    return sales.to_polars()["product_id"][0]


@pytest.mark.parametrize(
    "call, cls, words",
    [
        (lambda s: sl.item_similarity(s, neighbours=0), sl.InvalidParameterError, ["`neighbours`"]),
        (lambda s: sl.item_similarity(s, measure="jaccard"), sl.InvalidParameterError, ["`measure`"]),
        (lambda s: sl.item_similarity(s, basis="baskets"), sl.InvalidParameterError, ["`basis`"]),
        (lambda s: sl.item_similarity(s, measure="bm25", b=2.0), sl.InvalidParameterError, ["`b`"]),
        (lambda s: sl.item_similarity(s, measure="bm25", k1=-1.0), sl.InvalidParameterError, ["`k1`"]),
        (lambda s: sl.item_similarity(s, k1=1.0), sl.InvalidParameterError, ["`k1`", "bm25"]),
        (lambda s: sl.item_similarity(s, product="no-such"), sl.UnknownIdError, ["no-such"]),
        (lambda s: sl.item_similarity(s, store="nowhere"), sl.UnknownIdError, ["nowhere"]),
        (lambda s: sl.bought_together(s, "no-such"), sl.UnknownIdError, ["no-such"]),
        (lambda s: sl.bought_together(s, first_product(s), top=0), sl.InvalidParameterError, ["`top`"]),
        (lambda s: sl.bought_together(s, first_product(s), min_count=0), sl.InvalidParameterError, ["`min_count`"]),
        (lambda s: sl.bought_together(s, first_product(s), rank_by="price"), sl.InvalidParameterError, ["`rank_by`"]),
        (lambda s: sl.bought_together(s, [1]), sl.InvalidParameterError, ["`product`"]),
        (lambda s: sl.frequent_itemsets(s, min_support=0.0), sl.InvalidParameterError, ["`min_support`"]),
        (lambda s: sl.frequent_itemsets(s, min_support=2.0), sl.InvalidParameterError, ["`min_support`"]),
        (lambda s: sl.frequent_itemsets(s, max_len=0), sl.InvalidParameterError, ["`max_len`"]),
        (lambda s: sl.frequent_itemsets(s, max_itemsets=-1), sl.InvalidParameterError, ["`max_itemsets`"]),
        (lambda s: sl.frequent_itemsets(s, include_returns="yes"), sl.InvalidParameterError, ["`include_returns`"]),
        (lambda s: sl.evaluate_sales(s, "2024-07-01", k=0), sl.InvalidParameterError, ["`k`"]),
        (lambda s: sl.evaluate_sales(s, "July"), sl.InvalidParameterError, ["`split`"]),
        (lambda s: sl.evaluate_sales(s, None), sl.InvalidParameterError, ["`split`"]),
        (lambda s: sl.evaluate_sales(s, "2000-01-01"), sl.InsufficientDataError, ["before the split"]),
        (lambda s: sl.evaluate_sales(s, "2030-01-01"), sl.InsufficientDataError, ["relevant"]),
    ],
)
def test_parameter_errors(sales, call, cls, words):
    with pytest.raises(cls) as err:
        call(sales)
    for w in words:
        assert w in str(err.value), str(err.value)


def test_edge_cases_never_crash():
    one = sl.Sales(pl.DataFrame({"order_id": [1], "ts": ["2024-03-01"], "product_id": ["a"], "quantity": [1.0],
                                 "unit_price": [1.0], "customer_id": [1]}))
    assert sl.item_similarity(one).height == 0
    assert sl.bought_together(one, "a").height == 0
    assert sl.frequent_itemsets(one, min_support=0.5)["products"].to_list() == [["a"]]
    returns = sl.Sales(pl.DataFrame({"order_id": [1], "ts": ["2024-03-01"], "product_id": ["a"],
                                     "quantity": [-1.0], "unit_price": [1.0]}))
    assert sl.item_similarity(returns, basis="orders").height == 0
    for call in (lambda s: sl.frequent_itemsets(s), lambda s: sl.evaluate_sales(s, "2024-03-01"),
                 lambda s: sl.bought_together(s, "a")):
        try:
            call(returns)
        except sl.StorelyticsError:
            pass


def test_defaults_are_the_core_defaults():
    import inspect

    d = DEFAULTS
    assert (d["similarity"]["measure"], d["similarity"]["neighbours"]) == ("cosine", 50)
    assert (d["together"]["top"], d["together"]["rank_by"], d["evaluation"]["k"]) == (10, "count", 10)
    sig = inspect.signature(sl.item_similarity).parameters
    assert (sig["measure"].default, sig["neighbours"].default, sig["basis"].default) == (
        d["similarity"]["measure"], d["similarity"]["neighbours"], d["similarity"]["basis"])
    sig = inspect.signature(sl.association_rules).parameters
    assert sig["min_support"].default == d["fp_growth"]["min_support"] == 0.01
    assert sig["min_confidence"].default == d["rules"]["min_confidence"] == 0.5
    sig = inspect.signature(sl.bought_together).parameters
    assert sig["rank_by"].default == d["together"]["rank_by"] and sig["min_count"].default == d["together"]["min_count"]
