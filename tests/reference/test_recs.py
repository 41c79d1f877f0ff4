"""Recommendations vs mlxtend (itemsets, rules) and numpy / scipy (similarity).

Tolerance for itemsets and rule metrics: 1e-9 absolute. Both sides compute supports as
count / baskets and the metrics from the same formulas, so they differ only by floating-point
rounding (~1e-16); 1e-9 is the bound the project promises and leaves no room for a wrong
formula or count (the smallest support step here is 1 / 2201 > 4e-4).
"""

import math

import pytest
from mlxtend.frequent_patterns import association_rules, fpgrowth

from conftest import RefError
from recs_data import generate_baskets, one_hot, titanic_transactions

TOL = 1e-9
METRICS = [
    "antecedent_support", "consequent_support", "support", "confidence", "lift", "leverage",
    "conviction", "zhangs_metric", "jaccard", "certainty", "kulczynski",
]


def mlxtend_rules(baskets, min_support, max_len, metric, threshold):
    df = one_hot(baskets)
    itemsets = fpgrowth(df, min_support=min_support, use_colnames=True, max_len=max_len)
    expected_sets = {frozenset(int(p) for p in s): sup for s, sup in zip(itemsets["itemsets"], itemsets["support"])}
    if len(itemsets) == 0:
        return expected_sets, {}
    rules = association_rules(itemsets, num_itemsets=len(df), metric=metric, min_threshold=threshold)
    expected_rules = {}
    for _, r in rules.iterrows():
        key = (frozenset(int(p) for p in r["antecedents"]), frozenset(int(p) for p in r["consequents"]))
        expected_rules[key] = {m: float(r[m.replace("_support", " support")]) for m in METRICS}
    return expected_sets, expected_rules


def compare(ref, baskets, min_support, max_len=None, min_confidence=0.0, min_lift=0.0):
    metric, threshold = ("lift", min_lift) if min_lift > 0 else ("confidence", min_confidence)
    expected_sets, expected_rules = mlxtend_rules(baskets, min_support, max_len, metric, threshold)
    got = ref("recs", {
        "op": "rules", "baskets": baskets, "min_support": min_support, "max_len": max_len,
        "min_confidence": min_confidence, "min_lift": min_lift,
    })
    got_sets = {frozenset(s["products"]): s["support"] for s in got["itemsets"]}
    assert got_sets.keys() == expected_sets.keys()
    for key, support in expected_sets.items():
        assert abs(got_sets[key] - support) <= TOL, key
    got_rules = {(frozenset(r["antecedent"]), frozenset(r["consequent"])): r for r in got["rules"]}
    assert got_rules.keys() == expected_rules.keys()
    for key, expected in expected_rules.items():
        for m in METRICS:
            mine, theirs = got_rules[key][m], expected[m]
            if math.isinf(theirs):
                assert mine is None, (key, m)  # infinite conviction travels as null
            else:
                assert mine is not None and abs(mine - theirs) <= TOL, (key, m, mine, theirs)
    return got


@pytest.mark.parametrize("seed,min_support,max_len", [(1, 0.01, None), (2, 0.02, None), (3, 0.005, 2), (4, 0.05, 3)])
def test_generated_baskets_match_mlxtend(ref, seed, min_support, max_len):
    baskets = generate_baskets(seed, 3000, 60)
    got = compare(ref, baskets, min_support, max_len, min_confidence=0.1)
    assert len(got["rules"]) >= 5  # the bundles make rules; the comparison is not vacuous


def test_generated_baskets_lift_filter(ref):
    baskets = generate_baskets(7, 2000, 40)
    got = compare(ref, baskets, 0.01, min_lift=1.5)
    assert all(r["lift"] >= 1.5 for r in got["rules"]) and got["rules"]


@pytest.mark.parametrize("min_support,min_confidence", [(0.005, 0.8), (0.05, 0.3), (0.3, 0.0)])
def test_titanic_matches_mlxtend(ref, min_support, min_confidence):
    baskets, _ = titanic_transactions()
    assert len(baskets) == 2201
    got = compare(ref, baskets, min_support, min_confidence=min_confidence)
    assert got["itemsets"]


def test_product_bought_by_everyone_and_single_item_baskets(ref):
    everyone = [[0] + b for b in generate_baskets(5, 500, 10)]
    everyone = [sorted(set(b)) for b in everyone]
    got = compare(ref, everyone, 0.02)
    assert any(r["conviction"] is None for r in got["rules"])  # confidence 1 -> infinite conviction
    singles = [[i % 7] for i in range(100)]
    got = compare(ref, singles, 0.05)
    assert got["rules"] == [] and len(got["itemsets"]) == 7


def test_one_giant_basket(ref):
    giant = [list(range(12))]
    got = compare(ref, giant, 1.0, max_len=3)
    assert len(got["itemsets"]) == 12 + 66 + 220


@pytest.mark.parametrize("min_support", [0.0, -0.5, 1.5])
def test_bad_min_support_rejected_like_mlxtend(ref, min_support):
    baskets = [[1, 2], [2]]
    with pytest.raises(ValueError):
        fpgrowth(one_hot(baskets), min_support=min_support)
    with pytest.raises(RefError) as err:
        ref("recs", {"op": "rules", "baskets": baskets, "min_support": min_support, "max_len": None})
    assert err.value.kind == "invalid_parameter" and "min_support" in err.value.message
