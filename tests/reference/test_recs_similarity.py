"""Similarity, "bought together", ranking metrics and the hold-out evaluation vs direct
numpy / scipy / pandas computations.

Tolerance 1e-12 absolute: the scores are short sums of products of the same doubles on both
sides; only the summation order differs (error ~1e-16 per term).
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import RefError
from recs_data import generate_baskets, generate_purchases

TOL = 1e-12


def incidence(rows, products):
    row_codes = sorted(set(rows))
    product_codes = sorted(set(products))
    ri = {r: i for i, r in enumerate(row_codes)}
    pi = {p: j for j, p in enumerate(product_codes)}
    x = sp.coo_matrix(
        (np.ones(len(rows)), ([ri[r] for r in rows], [pi[p] for p in products])),
        shape=(len(row_codes), len(product_codes)),
    ).tocsr()  # duplicates are summed: counts
    return x, product_codes


def expected_similarity(rows, products, measure, k1=1.2, b=0.75):
    x, codes = incidence(rows, products)
    if measure == "bm25":
        n_products = x.shape[1]
        n_r = np.diff(x.indptr)
        idf = np.log(1.0 + (n_products - n_r + 0.5) / (n_r + 0.5))
        length = np.asarray(x.sum(axis=0)).ravel()
        avg = length.mean()
        coo = x.tocoo()
        data = idf[coo.row] * coo.data * (k1 + 1.0) / (coo.data + k1 * (1.0 - b + b * length[coo.col] / avg))
        x = sp.coo_matrix((data, (coo.row, coo.col)), shape=x.shape).tocsr()
    dots = (x.T @ x).toarray()
    norms = np.sqrt(np.diag(dots))
    scores = dots / np.outer(norms, norms)
    np.fill_diagonal(scores, 0.0)
    return {codes[p]: {codes[q]: scores[p, q] for q in np.nonzero(dots[p] > 0)[0] if q != p} for p in range(len(codes))}


def pairs_from(baskets):
    rows, products = [], []
    for i, b in enumerate(baskets):
        rows.extend([i] * len(b))
        products.extend(b)
    return rows, products


@pytest.mark.parametrize("measure", ["cosine", "bm25"])
@pytest.mark.parametrize("source", ["orders", "customers"])
def test_similarity_matches_scipy(ref, measure, source):
    if source == "orders":
        rows, products = pairs_from(generate_baskets(11, 800, 40))
    else:
        customers, orders, products, _ = generate_purchases(3, n_customers=150, periods=4)
        # One pair per (order, product): customer x product counts of orders.
        seen = sorted(set(zip(customers, orders, products)))
        rows, products = [c for c, _, _ in seen], [p for _, _, p in seen]
    expected = expected_similarity(rows, products, measure)
    got = ref("recs", {"op": "similarity", "rows": rows, "products": products, "measure": measure,
                       "k1": 1.2, "b": 0.75, "neighbours": 10_000})
    got = {e["product"]: {n["product"]: n["score"] for n in e["neighbours"]} for e in got["similarity"]}
    assert got.keys() == expected.keys()
    for p, neighbours in expected.items():
        assert got[p].keys() == neighbours.keys(), p
        for q, score in neighbours.items():
            assert abs(got[p][q] - score) <= TOL, (p, q, got[p][q], score)
    # Top-k keeps the k best scores.
    top = ref("recs", {"op": "similarity", "rows": rows, "products": products, "measure": measure,
                       "k1": 1.2, "b": 0.75, "neighbours": 5})
    for e in top["similarity"]:
        best = sorted(expected[e["product"]].values(), reverse=True)[:5]
        assert np.allclose([n["score"] for n in e["neighbours"]], best, atol=TOL, rtol=0)


def test_bought_together_matches_pandas_counts(ref):
    baskets = generate_baskets(12, 1500, 30)
    n = len(baskets)
    counts = {}
    for b in baskets:
        for p in b:
            counts[p] = counts.get(p, 0) + 1
    product = max(counts, key=counts.get)
    together = {}
    for b in baskets:
        if product in b:
            for q in b:
                if q != product:
                    together[q] = together.get(q, 0) + 1
    for rank_by in ["count", "lift", "cosine"]:
        got = ref("recs", {"op": "together", "baskets": baskets, "product": product, "top": 5,
                           "rank_by": rank_by, "min_count": 3})["companions"]
        assert len(got) == 5
        for c in got:
            q = c["product"]
            assert c["count"] == together[q]
            assert abs(c["lift"] - together[q] * n / (counts[product] * counts[q])) <= TOL
            assert abs(c["cosine"] - together[q] / math.sqrt(counts[product] * counts[q])) <= TOL
            assert abs(c["confidence"] - together[q] / counts[product]) <= TOL
        key = {"count": "count", "lift": "lift", "cosine": "cosine"}[rank_by]
        values = [c[key] for c in got]
        assert values == sorted(values, reverse=True)
        eligible = sorted((v for v in together.values() if v >= 3), reverse=True)
        if rank_by == "count":
            assert values == eligible[:5]


def python_metrics(recommended, relevant, k, catalogue):
    rows, shown = [], set()
    for recs, rel in zip(recommended, relevant):
        rel = set(rel)
        if not rel:
            continue
        top = recs[:k]
        shown.update(top)
        hits = [1 if p in rel else 0 for p in top]
        precision = sum(hits) / k
        recall = sum(hits) / len(rel)
        ap = sum(sum(hits[: i + 1]) / (i + 1) for i in range(len(hits)) if hits[i]) / min(len(rel), k)
        dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
        idcg = sum(1 / math.log2(i + 2) for i in range(min(len(rel), k)))
        rows.append((precision, recall, ap, dcg / idcg, 1.0 if sum(hits) else 0.0))
    m = np.mean(rows, axis=0)
    return dict(precision=m[0], recall=m[1], map=m[2], ndcg=m[3], hit_rate=m[4], coverage=len(shown) / catalogue,
                customers=len(rows))


def test_ranking_metrics_match_python(ref):
    rng = np.random.default_rng(5)
    recommended = [list(rng.choice(50, size=rng.integers(1, 15), replace=False).tolist()) for _ in range(200)]
    relevant = [list(rng.choice(50, size=rng.integers(0, 6), replace=False).tolist()) for _ in range(200)]
    for k in [1, 5, 10]:
        got = ref("recs", {"op": "ranking_metrics", "recommended": recommended, "relevant": relevant, "k": k,
                           "catalogue_size": 50})
        expected = python_metrics(recommended, relevant, k, 50)
        assert got["customers"] == expected["customers"]
        for m in ["precision", "recall", "map", "ndcg", "hit_rate", "coverage"]:
            assert abs(got[m] - expected[m]) <= TOL, (k, m)
    with pytest.raises(RefError) as err:
        ref("recs", {"op": "ranking_metrics", "recommended": [[1]], "relevant": [[1]], "k": 0, "catalogue_size": 1})
    assert err.value.kind == "invalid_parameter"


def test_recommendations_beat_popularity_on_map_at_10(ref):
    customers, orders, products, times = generate_purchases(21)
    split = 6
    request = {"op": "evaluate", "customers": customers, "orders": orders, "products": products, "times": times,
               "split": split, "k": 10, "basis": "customers", "neighbours": 50}
    got = ref("recs", request)
    assert got["recommender"]["map"] > got["popularity"]["map"] * 1.2, got
    assert got["recommender"]["customers"] > 100

    # The popularity baseline, computed independently: products by number of distinct training
    # customers (ties by code), minus what the customer bought; relevant = new products later.
    train = [(c, p) for c, p, t in zip(customers, products, times) if t < split]
    test = [(c, p) for c, p, t in zip(customers, products, times) if t >= split]
    bought = {}
    for c, p in train:
        bought.setdefault(c, set()).add(p)
    buyers = {}
    for c, items in bought.items():
        for p in items:
            buyers[p] = buyers.get(p, 0) + 1
    ranking = sorted(buyers, key=lambda p: (-buyers[p], p))
    later = {}
    for c, p in test:
        later.setdefault(c, set()).add(p)
    recs, rel = [], []
    for c in sorted(later):
        if c not in bought:
            continue
        new = later[c] - bought[c]
        if new:
            recs.append([p for p in ranking if p not in bought[c]][:10])
            rel.append(sorted(new))
    expected = python_metrics(recs, rel, 10, len(buyers))
    for m in ["precision", "recall", "map", "ndcg", "hit_rate", "coverage", "customers"]:
        assert abs(got["popularity"][m] - expected[m]) <= TOL, m

    by_orders = ref("recs", dict(request, basis="orders"))
    assert by_orders["recommender"]["map"] > by_orders["popularity"]["map"]
