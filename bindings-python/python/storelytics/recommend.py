"""Product recommendations: :func:`frequent_itemsets`, :func:`association_rules`,
:func:`item_similarity`, :func:`bought_together`, :func:`recommend` and the hold-out evaluation
:func:`evaluate_sales`.

Baskets are the distinct products per order (returns excluded unless ``include_returns``; all
stores unless ``store``). Defaults are the Rust core's option defaults (``BasketOptions``,
``FpGrowthOptions``, ``RuleOptions``, ``SimilarityOptions``, ``TogetherOptions``,
``EvaluationOptions``), read from the native module at import (:data:`DEFAULTS`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Union

import polars as pl

from storelytics import _args, _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics._options import SimilarityBasis, SimilarityMeasure, TogetherRanking
from storelytics.errors import InvalidParameterError
from storelytics.sales import Id, Sales

DEFAULTS: Dict[str, Any] = json.loads(_native.recommend_defaults_json())
"""The core defaults of this module's options: ``baskets``, ``fp_growth``, ``rules``,
``similarity`` (with BM25's customary ``bm25_k1`` / ``bm25_b``), ``together``, ``evaluation``."""
_BASKETS = DEFAULTS["baskets"]
_FP = DEFAULTS["fp_growth"]
_RULES = DEFAULTS["rules"]
_SIM = DEFAULTS["similarity"]
_TOGETHER = DEFAULTS["together"]
_EVAL = DEFAULTS["evaluation"]

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
    _args.integer(name, value, minimum)


def _bm25(measure: str, k1: Optional[float], b: Optional[float]) -> Dict[str, Optional[float]]:
    """``k1`` / ``b`` for the native call: only with ``bm25`` (``None`` = the core's BM25 default)."""
    _args.choice("measure", measure, ("cosine", "bm25"))
    return {
        "k1": None if k1 is None else _args.number("k1", k1),
        "b": None if b is None else _args.number("b", b),
    }


def association_rules(
    sales: Sales,
    *,
    min_support: float = _FP["min_support"],
    max_len: Optional[int] = _FP["max_len"],
    max_itemsets: int = _FP["max_itemsets"],
    min_confidence: float = _RULES["min_confidence"],
    min_lift: float = _RULES["min_lift"],
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
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
            min_support=_args.number("min_support", min_support),
            max_len=max_len,
            max_itemsets=max_itemsets,
            min_confidence=_args.number("min_confidence", min_confidence),
            min_lift=_args.number("min_lift", min_lift),
            include_returns=_args.boolean("include_returns", include_returns),
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
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
    neighbours: int = _SIM["neighbours"],
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
            include_returns=_args.boolean("include_returns", include_returns),
            store=store,
            neighbours=neighbours,
        )
    )
    schema = {"product": id_dtype([r["product"] for r in rows]), "score": pl.Float64, "source": pl.String}
    return frame(rows, schema, output)


DateLike = Union[dt.date, str]


def frequent_itemsets(
    sales: Sales,
    *,
    min_support: float = _FP["min_support"],
    max_len: Optional[int] = _FP["max_len"],
    max_itemsets: int = _FP["max_itemsets"],
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
    output: Output = "polars",
) -> Any:
    """Itemsets of products bought together in at least ``min_support`` of the baskets
    (``recommend::frequent_itemsets``, FP-growth; the itemsets :func:`association_rules` is built
    on), as a DataFrame with ``products`` (list of product ids, in product-code order),
    ``count`` (baskets holding all of them) and ``support``; ordered by size, then products.

    Mining stops with :class:`~storelytics.InvalidParameterError` naming ``min_support`` past
    ``max_itemsets`` itemsets; raise ``min_support`` or set ``max_len``.
    """
    check_output(output)
    rows = json.loads(
        _native.frequent_itemsets_json(
            sales._native,
            min_support=_args.number("min_support", min_support),
            max_len=_args.opt_integer("max_len", max_len),
            max_itemsets=_args.integer("max_itemsets", max_itemsets),
            include_returns=_args.boolean("include_returns", include_returns),
            store=store,
        )
    )
    ids = id_dtype([p for r in rows for p in r["products"]])
    return frame(rows, {"products": pl.List(ids), "count": pl.Int64, "support": pl.Float64}, output)


def item_similarity(
    sales: Sales,
    *,
    product: Optional[Id] = None,
    basis: SimilarityBasis = _SIM["basis"],
    measure: SimilarityMeasure = _SIM["measure"],
    k1: Optional[float] = None,
    b: Optional[float] = None,
    neighbours: int = _SIM["neighbours"],
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
    output: Output = "polars",
) -> Any:
    """Item-item similarity (``recommend::item_similarity``): for every product (or only
    ``product``) its top ``neighbours`` most similar products, as a DataFrame with ``product``,
    ``neighbour``, ``rank`` (1 = most similar) and ``score`` in (0, 1], best first (ties by
    product code).

    ``basis`` picks the incidence: ``"orders"`` (order × product, each product once per order)
    or ``"customers"`` (customer × product counts of distinct orders, guests left out).
    ``measure`` ``"cosine"`` is the plain cosine of the product columns; ``"bm25"`` weights each
    entry ``x`` of row ``r`` in product ``p``'s column by
    ``idf_r · x (k1 + 1) / (x + k1 (1 - b + b · len_p / avg_len))`` before the cosine, with
    ``idf_r = ln(1 + (P - n_r + 0.5) / (n_r + 0.5))``; ``k1`` and ``b`` default to
    ``SimilarityMeasure::BM25`` (``DEFAULTS["similarity"]["bm25_k1"]`` / ``["bm25_b"]``) and are
    an error with ``cosine``. A ``product`` not in the data raises
    :class:`~storelytics.UnknownIdError`; a product in no basket has no neighbours.
    """
    check_output(output)
    rows = json.loads(
        _native.item_similarity_json(
            sales._native,
            product=product,
            basis=_args.choice("basis", basis, ("customers", "orders")),
            measure=measure,
            **_bm25(measure, k1, b),
            neighbours=_args.integer("neighbours", neighbours),
            include_returns=_args.boolean("include_returns", include_returns),
            store=store,
        )
    )
    ids = id_dtype([r["product"] for r in rows] + [r["neighbour"] for r in rows])
    schema = {"product": ids, "neighbour": ids, "rank": pl.Int64, "score": pl.Float64}
    return frame(rows, schema, output)


def bought_together(
    sales: Sales,
    product: Id,
    *,
    top: int = _TOGETHER["top"],
    rank_by: TogetherRanking = _TOGETHER["rank_by"],
    min_count: int = _TOGETHER["min_count"],
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
    output: Output = "polars",
) -> Any:
    """"Frequently bought together": the products sharing baskets with ``product``
    (``recommend::bought_together``), best first, as a DataFrame with ``product``, ``count``
    (baskets holding both), ``confidence`` (share of ``product``'s baskets), ``lift``
    (``count · baskets / (n_product · n_companion)``) and ``cosine``
    (``count / sqrt(n_product · n_companion)``). ``rank_by`` is ``"count"``, ``"lift"`` or
    ``"cosine"``; ``min_count`` is the fewest shared baskets a companion needs (raise it when
    ranking by lift, which favours rare products). A product not in the data raises
    :class:`~storelytics.UnknownIdError`.
    """
    check_output(output)
    rows = json.loads(
        _native.bought_together_json(
            sales._native,
            product,
            top=_args.integer("top", top),
            rank_by=_args.choice("rank_by", rank_by, ("count", "lift", "cosine")),
            min_count=_args.integer("min_count", min_count),
            include_returns=_args.boolean("include_returns", include_returns),
            store=store,
        )
    )
    schema = {
        "product": id_dtype([r["product"] for r in rows]),
        "count": pl.Int64,
        "confidence": pl.Float64,
        "lift": pl.Float64,
        "cosine": pl.Float64,
    }
    return frame(rows, schema, output)


RANKING_METRICS = ["k", "customers", "precision", "recall", "map", "ndcg", "hit_rate", "coverage"]
"""Fields of each :class:`Evaluation` side (``recommend::RankingMetrics``)."""


@dataclass(frozen=True)
class Evaluation:
    """A temporal hold-out evaluation (``storelytics::recommend::Evaluation``).

    ``recommender`` and ``popularity`` (the baseline: most popular products the customer has not
    bought) are dicts of :data:`RANKING_METRICS`: list length ``k``, ``customers`` evaluated,
    mean ``precision``@k, ``recall``@k, ``map`` (MAP@k), ``ndcg`` (NDCG@k, binary gains),
    ``hit_rate`` and catalogue ``coverage``. ``table`` holds both as rows (``model`` column).
    """

    recommender: Dict[str, Any]
    popularity: Dict[str, Any]
    training_lines: int
    test_lines: int
    table: Any
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's ``Evaluation`` JSON."""
        return json.loads(json.dumps(self._raw))


def evaluate_sales(
    sales: Sales,
    split: DateLike,
    *,
    k: int = _EVAL["k"],
    basis: SimilarityBasis = _EVAL["basis"],
    measure: SimilarityMeasure = _SIM["measure"],
    k1: Optional[float] = None,
    b: Optional[float] = None,
    neighbours: int = _SIM["neighbours"],
    include_returns: bool = _BASKETS["include_returns"],
    store: Optional[Id] = _BASKETS["store"],
    output: Output = "polars",
) -> Evaluation:
    """Hold-out evaluation of the item-item recommender (``recommend::evaluate_sales``): fits on
    lines with a store-local date before ``split``, then for every customer with a training
    history who bought new products from ``split`` on, compares the top-``k`` recommendations
    (similarities over ``basis``, ``measure``, ``neighbours`` as in :func:`item_similarity`)
    and the popularity baseline with those products: precision@k, recall@k, MAP@k, NDCG@k, hit
    rate and coverage.

    Raises :class:`~storelytics.InsufficientDataError` when the split leaves no training lines
    or no customer to evaluate.
    """
    check_output(output)
    split_text = _args.date_text("split", split)
    if split_text is None:
        raise InvalidParameterError("invalid parameter `split`: a date is required")
    raw = json.loads(
        _native.evaluate_sales_json(
            sales._native,
            split_text,
            k=_args.integer("k", k),
            basis=_args.choice("basis", basis, ("customers", "orders")),
            measure=measure,
            **_bm25(measure, k1, b),
            neighbours=_args.integer("neighbours", neighbours),
            include_returns=_args.boolean("include_returns", include_returns),
            store=store,
        )
    )
    rows = [{"model": side, **raw[side]} for side in ("recommender", "popularity")]
    schema: Dict[str, Any] = {"model": pl.String, "k": pl.Int64, "customers": pl.Int64}
    schema.update({m: pl.Float64 for m in RANKING_METRICS[2:]})
    return Evaluation(
        recommender=dict(raw["recommender"]),
        popularity=dict(raw["popularity"]),
        training_lines=raw["training_lines"],
        test_lines=raw["test_lines"],
        table=frame(rows, schema, output),
        _raw=raw,
    )
