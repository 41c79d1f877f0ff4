"""Product recommendations: :func:`association_rules` and :func:`recommend`."""

from __future__ import annotations

import json
from typing import Any, Optional

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics.errors import InvalidParameterError
from storelytics.sales import Id, Sales

RULE_MEASURES = [
    "count",
    "antecedent_support",
    "consequent_support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "zhangs_metric",
    "jaccard",
    "certainty",
    "kulczynski",
]
"""Columns of :func:`association_rules` after ``antecedent`` and ``consequent``."""


def _check_int(name: str, value: Any, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int >= {minimum}")


def association_rules(
    sales: Sales,
    *,
    min_support: float = 0.01,
    max_len: Optional[int] = None,
    max_itemsets: int = 10_000_000,
    min_confidence: float = 0.5,
    min_lift: float = 0.0,
    include_returns: bool = False,
    store: Optional[Id] = None,
    output: Output = "polars",
) -> Any:
    """Association rules between products bought in the same order, as a DataFrame.

    Baskets are the distinct products per order (``recommend::Baskets::from_sales`` with
    ``BasketOptions``: returns excluded, all stores); itemsets are mined by FP-growth
    (``FpGrowthOptions``: ``min_support`` 0.01, no length limit) and turned into rules by
    ``recommend::association_rules`` (``RuleOptions``: ``min_confidence`` 0.5, ``min_lift`` 0),
    with the measures of mlxtend's ``association_rules``. Columns: ``antecedent`` and
    ``consequent`` (lists of product ids) and :data:`RULE_MEASURES`.
    """
    check_output(output)
    _check_int("max_itemsets", max_itemsets)
    if max_len is not None:
        _check_int("max_len", max_len)
    rules = json.loads(
        _native.association_rules_json(
            sales._native,
            min_support=float(min_support),
            max_len=max_len,
            max_itemsets=max_itemsets,
            min_confidence=float(min_confidence),
            min_lift=float(min_lift),
            include_returns=include_returns,
            store=store,
        )
    )
    ids = id_dtype([p for r in rules for p in r["antecedent"] + r["consequent"]])
    schema = {"antecedent": pl.List(ids), "consequent": pl.List(ids), "count": pl.Int64}
    schema.update({m: pl.Float64 for m in RULE_MEASURES[1:]})
    return frame(rules, schema, output)


def recommend(
    sales: Sales,
    customer: Id,
    *,
    top: int = 10,
    include_returns: bool = False,
    store: Optional[Id] = None,
    neighbours: int = 50,
    output: Output = "polars",
) -> Any:
    """Products ``customer`` has not bought yet, best first (``recommend::Recommender``:
    item-item cosine similarity on the customer × product history, ``neighbours`` kept per
    product, popular products as the fallback), as a DataFrame with ``product``, ``score`` and
    ``source`` (``similar`` or ``popular``).
    """
    check_output(output)
    _check_int("top", top)
    _check_int("neighbours", neighbours)
    rows = json.loads(
        _native.recommend_json(
            sales._native,
            customer,
            top=top,
            include_returns=include_returns,
            store=store,
            neighbours=neighbours,
        )
    )
    schema = {"product": id_dtype([r["product"] for r in rows]), "score": pl.Float64, "source": pl.String}
    return frame(rows, schema, output)
