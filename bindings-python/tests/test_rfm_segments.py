"""storelytics.rfm with custom segment maps: segments recomputed in pandas from the returned
scores with the first matching rule, every accepted rule form, and invalid maps."""

import pandas as pd
import pytest

import storelytics as sl
from storelytics.customers import DEFAULT_SEGMENTS

from test_customers import lines


@pytest.fixture(scope="module")
def sales():
    return sl.Sales(lines(seed=5, customers=80, orders=600))


def first_match(table, rules):
    """The segment of each row: the first rule whose inclusive ranges hold its R, F, M scores."""
    def segment(row):
        for name, r, f, m in rules:
            if (r[0] <= row.recency_score <= r[1] and f[0] <= row.frequency_score <= f[1]
                    and m[0] <= row.monetary_score <= m[1]):
                return name
        return None

    return [segment(row) for row in table.itertuples()]


CUSTOM = [
    ("VIP", (5, 5), (4, 5), (4, 5)),
    ("Rising", (4, 5), (1, 5), (1, 10)),
    ("Big spenders", (1, 3), (1, 5), (5, 5)),
    ("Others", (1, 5), (1, 5), (1, 10)),
]


def test_custom_map_segments_match_pandas(sales):
    default = sl.rfm(sales, output="pandas")
    custom = sl.rfm(sales, segments=CUSTOM, output="pandas")
    t = custom.table
    # Scores do not depend on the map.
    for col in ("recency_score", "frequency_score", "monetary_score", "monetary_minor"):
        assert t[col].tolist() == default.table[col].tolist()
    assert t["segment"].tolist() == first_match(t, CUSTOM)
    assert set(t["segment"]) == {"VIP", "Rising", "Big spenders", "Others"}
    assert t["segment"].tolist() != default.table["segment"].tolist()
    # The summary lists the map's segments in map order, counts and revenue adding up.
    s = custom.summary
    assert s["segment"].tolist() == [name for name, *_ in CUSTOM]
    counts = t.groupby("segment").size()
    assert [int(counts.get(name, 0)) for name in s["segment"]] == s["customers"].tolist()
    revenue = t.groupby("segment")["monetary_minor"].sum()
    assert [int(revenue.get(name, 0)) for name in s["segment"]] == s["net_revenue_minor"].tolist()
    assert custom.to_dict()["table"]["segments"]["rules"][0] == {
        "segment": "VIP", "recency": [5, 5], "frequency": [4, 5], "monetary": [4, 5]}


def test_rule_forms_are_equivalent(sales):
    tuples = [("Top", (4, 5), (3, 5)), ("Rest", (1, 5), (1, 5))]
    dicts = [{"segment": "Top", "recency": [4, 5], "frequency": (3, 5)},
             {"segment": "Rest", "recency": (1, 5), "frequency": (1, 5), "monetary": (1, 10)}]
    a = sl.rfm(sales, segments=tuples).table["segment"].to_list()
    b = sl.rfm(sales, segments=dicts).table["segment"].to_list()
    assert a == b
    table = sl.rfm(sales, segments=tuples, output="pandas").table
    assert a == first_match(table, [(n, r, f, (1, 10)) for n, r, f in tuples])


def test_default_map_is_the_core_default(sales):
    assert len(DEFAULT_SEGMENTS) == 10 and DEFAULT_SEGMENTS[0] == ("Champions", (5, 5), (4, 5), (1, 10))
    default = sl.rfm(sales)
    explicit = sl.rfm(sales, segments=DEFAULT_SEGMENTS)
    assert explicit.to_dict() == default.to_dict()
    # The default names keep their meaning; a custom map may reuse them.
    reused = sl.rfm(sales, segments=[("Champions", (1, 5), (1, 5))])
    assert set(reused.table["segment"]) == {"Champions"}


def test_custom_map_with_other_bins(sales):
    three = [("High", (3, 3), (2, 3)), ("Low", (1, 3), (1, 3))]
    t = sl.rfm(sales, bins=3, segments=three, output="pandas").table
    assert t["recency_score"].max() == 3
    assert t["segment"].tolist() == first_match(t, [(n, r, f, (1, 10)) for n, r, f in three])


@pytest.mark.parametrize(
    "segments, words",
    [
        ([("VIP", (5, 5), (4, 5))], ["`segments`", "no rule covers"]),
        ([], ["`segments`", "no rule covers"]),
        ([("A", (1, 4), (1, 5)), ("B", (5, 5), (1, 4))], ["`segments`", "R=5, F=5"]),
        ([("A", (1, 5))], ["`segments`"]),
        ([("A", (1, 5), (1, 300))], ["`segments`", "frequency"]),
        ([("A", (1, 5), "15")], ["`segments`", "frequency"]),
        ([("", (1, 5), (1, 5))], ["`segments`"]),
        ([{"segment": "A", "recency": (1, 5)}], ["`segments`", "frequency"]),
        ([{"segment": "A", "recency": (1, 5), "frequency": (1, 5), "money": (1, 5)}], ["`segments`"]),
        ("Champions", ["`segments`"]),
        ([7], ["`segments`"]),
    ],
)
def test_invalid_maps(sales, segments, words):
    with pytest.raises(sl.InvalidParameterError) as e:
        sl.rfm(sales, segments=segments)
    for word in words:
        assert word in str(e.value)
