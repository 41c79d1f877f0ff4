"""Customer analytics: RFM scores, segments and the segment summary (:func:`rfm`), k-means
clusters on standardised log R/F/M (:func:`cluster_customers`) and lifetime value with BG/NBD and
Gamma-Gamma (:func:`lifetime_value`).

Defaults are the Rust core's ``RfmOptions``, ``ClusterOptions`` and ``ValueOptions`` defaults,
read from the native module at import (:data:`DEFAULTS`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import polars as pl

from storelytics import _args, _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics._options import TimeUnit
from storelytics.errors import InvalidParameterError
from storelytics.sales import Id, Sales

DateLike = Union[dt.date, str]

DEFAULTS: Dict[str, Any] = json.loads(_native.customers_defaults_json())
"""The core defaults of this module's options: ``rfm`` (``RfmOptions``), ``segments`` (the
rules of the default ``SegmentMap``), ``clusters`` (``ClusterOptions``) and ``lifetime``
(``ValueOptions``)."""
_RFM = DEFAULTS["rfm"]
_CLUSTERS = DEFAULTS["clusters"]
_LIFETIME = DEFAULTS["lifetime"]


def _summary_schema(store: Any) -> Dict[str, Any]:
    return {
        "store": store,
        "segment": pl.String,
        "customers": pl.Int64,
        "customer_share": pl.Float64,
        "net_revenue_minor": pl.Int64,
        "net_revenue": pl.Float64,
        "revenue_share": pl.Float64,
        "mean_recency_days": pl.Float64,
        "mean_frequency": pl.Float64,
        "mean_monetary": pl.Float64,
    }


@dataclass(frozen=True)
class RfmResult:
    """RFM of every (store, customer) (``storelytics::customers::RfmTable``).

    ``table`` has one row per (store, customer) with ``recency_days``, ``frequency``,
    ``monetary`` (net revenue, major units; ``monetary_minor`` exact), ``first_purchase``,
    ``last_purchase``, ``tenure_days``, ``average_order_value``, the three scores (1..bins) and
    ``segment``. ``summary`` is ``RfmTable::segment_summary``: per store and segment the
    customers, their share, net revenue and its share, and mean recency / frequency / monetary.
    ``stores`` lists per store its ``as_of`` date, customers, return-only customers and net
    revenue.
    """

    table: Any
    summary: Any
    stores: List[Dict[str, Any]]
    bins: int
    money_scale: int
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    _table: Any = field(repr=False, compare=False, default=None)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON: ``table`` (the ``RfmTable``, dates as ISO text) and ``summary``."""
        rows = self._table.with_columns(pl.col("first_purchase", "last_purchase").dt.to_string("%Y-%m-%d")).to_dicts()
        raw = json.loads(json.dumps(self._raw))
        summary = raw.pop("summary")
        return {"table": {"rows": rows, **raw}, "summary": summary}


ScoreRange = Tuple[int, int]
"""An inclusive range of scores ``(low, high)``."""

SegmentRuleLike = Union[
    Tuple[str, ScoreRange, ScoreRange],
    Tuple[str, ScoreRange, ScoreRange, ScoreRange],
    Dict[str, Any],
]
"""One rule of a segment map (``storelytics::customers::SegmentRule``): ``(segment, recency,
frequency)`` (any monetary score), ``(segment, recency, frequency, monetary)`` or a dict with
the keys ``segment``, ``recency``, ``frequency`` and optionally ``monetary``."""

DEFAULT_SEGMENTS: List[Tuple[str, ScoreRange, ScoreRange, ScoreRange]] = [
    (r["segment"], tuple(r["recency"]), tuple(r["frequency"]), tuple(r["monetary"]))  # type: ignore[misc]
    for r in DEFAULTS["segments"]
]
"""The core's default segment map (``SegmentMap::default()``): ten R/F segments, as
``(segment, recency, frequency, monetary)`` rules in priority order."""

_ANY_MONETARY = tuple(DEFAULTS["segments"][0]["monetary"]) if DEFAULTS["segments"] else (1, 10)


def _score_range(name: str, value: Any) -> List[int]:
    bad = InvalidParameterError(f"invalid parameter `segments`: {name} {value!r} is not a pair of scores (low, high)")
    if isinstance(value, (str, bytes)):
        raise bad
    try:
        pair = list(value)
    except TypeError:
        raise bad from None
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 255 for v in pair):
        raise bad
    return pair


def _segment_rules(segments: Sequence[SegmentRuleLike]) -> str:
    """The rules as the JSON the native module takes (a list of ``SegmentRule``)."""
    if isinstance(segments, (str, bytes, dict)):
        raise InvalidParameterError(f"invalid parameter `segments`: {segments!r} is not a list of rules")
    rules = []
    for rule in segments:
        if isinstance(rule, dict):
            unknown = set(rule) - {"segment", "recency", "frequency", "monetary"}
            if unknown or not {"segment", "recency", "frequency"} <= set(rule):
                raise InvalidParameterError(
                    f"invalid parameter `segments`: rule {rule!r} needs the keys segment, recency, frequency "
                    "and optionally monetary"
                )
            parts = [rule["segment"], rule["recency"], rule["frequency"], rule.get("monetary", _ANY_MONETARY)]
        elif isinstance(rule, (tuple, list)) and len(rule) in (3, 4):
            parts = [*rule, _ANY_MONETARY] if len(rule) == 3 else list(rule)
        else:
            raise InvalidParameterError(
                f"invalid parameter `segments`: rule {rule!r} is not (segment, recency, frequency[, monetary]) or a dict"
            )
        if not isinstance(parts[0], str) or not parts[0]:
            raise InvalidParameterError(f"invalid parameter `segments`: segment {parts[0]!r} is not a name")
        rules.append(
            {
                "segment": parts[0],
                "recency": _score_range("recency", parts[1]),
                "frequency": _score_range("frequency", parts[2]),
                "monetary": _score_range("monetary", parts[3]),
            }
        )
    return json.dumps(rules)


def rfm(
    sales: Sales,
    *,
    as_of: Optional[DateLike] = _RFM["as_of"],
    bins: int = _RFM["bins"],
    segments: Optional[Sequence[SegmentRuleLike]] = None,
    output: Output = "polars",
) -> RfmResult:
    """Recency, frequency and monetary value per (store, customer), quantile scores and the
    named segments (``storelytics::customers::rfm`` with ``RfmOptions``: recency at each
    store's last sale date unless ``as_of`` is given, 5 bins, the ten R/F segments of
    :data:`DEFAULT_SEGMENTS` unless ``segments`` is given).

    Scores are pandas ``qcut(x.rank(method="first"), bins)`` within each store (recency
    reversed), rows in ascending customer id order per store.

    ``segments`` is a custom segment map (``SegmentMap``): rules in priority order, the first
    matching rule names the segment; each rule is ``(segment, (r_low, r_high), (f_low,
    f_high))`` with inclusive score ranges and any monetary score, ``(segment, recency,
    frequency, (m_low, m_high))`` or a dict with those keys. Names are free (the ten default
    names keep their meaning). A map that leaves some score combination of ``bins`` without a
    segment raises :class:`~storelytics.InvalidParameterError` naming ``segments``.

    >>> import storelytics as sl
    >>> s = sl.generate(seed=3, stores=1, lines=2000).sales
    >>> vip = [("VIP", (4, 5), (4, 5)), ("Others", (1, 5), (1, 5))]
    >>> sorted(sl.rfm(s, segments=vip).table["segment"].unique())
    ['Others', 'VIP']
    """
    check_output(output)
    if isinstance(bins, bool) or not isinstance(bins, int) or not 0 <= bins <= 255:
        raise InvalidParameterError(f"invalid parameter `bins`: {bins!r} is not an int between 2 and 10")
    native_table, facts_text = _native.rfm_frames(
        sales._native,
        as_of=_args.date_text("as_of", as_of),
        bins=bins,
        segments=None if segments is None else _segment_rules(segments),
    )
    facts = json.loads(facts_text)
    summary_store_t = id_dtype([s["store"] for s in facts["summary"]])
    return RfmResult(
        table=native_table.to_pandas() if output == "pandas" else native_table,
        summary=frame(facts["summary"], _summary_schema(summary_store_t), output),
        stores=[{**s, "as_of": dt.date.fromisoformat(s["as_of"])} for s in facts["stores"]],
        bins=facts["bins"],
        money_scale=facts["money_scale"],
        notes=list(facts["notes"]),
        _raw=facts,
        _table=native_table,
    )


_FEATURES = ("recency", "frequency", "monetary")


@dataclass(frozen=True)
class CustomerClusters:
    """k-means clusters of customers (``storelytics::customers::CustomerClusters``).

    ``assignments`` has one row per (store, customer) of the RFM table, stores and customers by
    ascending id: ``cluster`` (0 = highest mean monetary value), the RFM values it was computed
    from (``recency_days``, ``frequency``, ``monetary`` in major units, ``monetary_minor``
    exact) and the standardised log features ``recency_feature``, ``frequency_feature``,
    ``monetary_feature``. ``profiles`` has one row per cluster: ``customers``,
    ``customer_share``, mean recency / frequency / monetary, ``net_revenue`` (major units;
    ``net_revenue_minor`` exact, summing to the table's total), ``revenue_share`` (null when
    the total is not positive) and the centre ``centroid_recency`` / ``centroid_frequency`` /
    ``centroid_monetary`` in feature space. ``silhouettes`` maps each ``k`` tried to its mean
    silhouette (empty when ``k`` was given); ``notes`` lists documented fallbacks.
    """

    k: int
    assignments: Any
    profiles: Any
    silhouettes: Dict[int, float]
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    _assignments: Any = field(repr=False, compare=False, default=None)

    def to_dict(self) -> Dict[str, Any]:
        """The native answer: ``k``, ``assignments`` (with ``features`` as a list), ``profiles``,
        ``silhouettes``, ``notes``."""
        features = [f"{name}_feature" for name in _FEATURES]
        assignments = [
            {**{key: r[key] for key in r if key not in features}, "features": [r[f] for f in features]}
            for r in self._assignments.to_dicts()
        ]
        return {**json.loads(json.dumps(self._raw)), "assignments": assignments}


def cluster_customers(
    sales: Sales,
    *,
    k: Optional[int] = _CLUSTERS["k"],
    k_range: Tuple[int, int] = tuple(_CLUSTERS["k_range"]),  # type: ignore[assignment]
    seed: int = _CLUSTERS["seed"],
    runs: int = _CLUSTERS["runs"],
    max_iterations: int = _CLUSTERS["max_iterations"],
    tolerance: float = _CLUSTERS["tolerance"],
    silhouette_sample: int = _CLUSTERS["silhouette_sample"],
    as_of: Optional[DateLike] = _RFM["as_of"],
    store: Optional[Id] = None,
    output: Output = "polars",
) -> CustomerClusters:
    """k-means clusters of the customers on standardised log recency, frequency and monetary
    value (``storelytics::customers::cluster_customers`` on ``rfm(sales, as_of)``).

    Features per customer are ``ln(1 + recency_days)``, ``ln(1 + frequency)`` and
    ``sign(m)·ln(1 + |m|)`` of the net revenue ``m``, each standardised over the table. With
    ``k=None`` the number of clusters is the one of best mean silhouette over ``k_range``
    (inclusive; silhouettes on an evenly spaced sample of ``silhouette_sample`` rows). Lloyd
    iterations from ``runs`` seeded k-means++ starts (``seed``), stopping at ``max_iterations``
    or when centres move less than ``tolerance`` × the mean feature variance; the same input
    and arguments give the same clusters on every platform. All stores' customers are clustered
    together unless ``store`` picks one store. Defaults: ``ClusterOptions::default()``.

    >>> import storelytics as sl
    >>> c = sl.cluster_customers(sl.generate(lines=10_000, stores=1).sales, k=3)
    >>> c.profiles.height
    3
    """
    check_output(output)
    if not (isinstance(k_range, (tuple, list)) and len(k_range) == 2):
        raise InvalidParameterError(f"invalid parameter `k_range`: {k_range!r} is not a pair (low, high)")
    native_assignments, facts_text = _native.cluster_customers_frames(
        sales._native,
        k=_args.opt_integer("k", k),
        k_range=(_args.integer("k_range", k_range[0]), _args.integer("k_range", k_range[1])),
        seed=_args.integer("seed", seed),
        runs=_args.integer("runs", runs),
        max_iterations=_args.integer("max_iterations", max_iterations),
        tolerance=_args.number("tolerance", tolerance),
        silhouette_sample=_args.integer("silhouette_sample", silhouette_sample),
        as_of=_args.date_text("as_of", as_of),
        store=store,
    )
    raw = json.loads(facts_text)
    scale = 10 ** sales.money_scale
    profiles = [
        {
            **{key: p[key] for key in ("cluster", "customers", "customer_share", "mean_recency_days")},
            "mean_frequency": p["mean_frequency"],
            "mean_monetary": p["mean_monetary"],
            "net_revenue_minor": p["net_revenue_minor"],
            "net_revenue": p["net_revenue_minor"] / scale,
            "revenue_share": p["revenue_share"],
            **{f"centroid_{name}": p["centroid"][i] for i, name in enumerate(_FEATURES)},
        }
        for p in raw["profiles"]
    ]
    profile_schema = {
        "cluster": pl.Int64,
        "customers": pl.Int64,
        "customer_share": pl.Float64,
        "mean_recency_days": pl.Float64,
        "mean_frequency": pl.Float64,
        "mean_monetary": pl.Float64,
        "net_revenue_minor": pl.Int64,
        "net_revenue": pl.Float64,
        "revenue_share": pl.Float64,
        **{f"centroid_{name}": pl.Float64 for name in _FEATURES},
    }
    return CustomerClusters(
        k=raw["k"],
        assignments=native_assignments.to_pandas() if output == "pandas" else native_assignments,
        profiles=frame(profiles, profile_schema, output),
        silhouettes={int(k_): s for k_, s in raw["silhouettes"]},
        notes=list(raw["notes"]),
        _raw=raw,
        _assignments=native_assignments,
    )


_HISTORY = ("frequency", "recency", "age", "monetary")
_VALUE = ("expected_purchases", "probability_alive", "expected_average_spend", "lifetime_value")


@dataclass(frozen=True)
class LifetimeValue:
    """Lifetime value of every (store, customer) (``storelytics::customers::LifetimeTable``).

    ``table`` has one row per (store, customer) of the fitted stores, customers by ascending id:
    the repeat history in the ``lifetimes`` calibration-summary convention (``frequency``:
    purchase days after the first; ``recency``: first to last purchase day; ``age``: first
    purchase day to the end of observation, T; ``monetary``: mean net spend of the repeat
    purchase days, major units; times in ``time_unit``) and the predictions
    ``expected_purchases`` over the horizon, ``probability_alive``, ``expected_average_spend``
    and the discounted ``lifetime_value`` (major units). ``stores`` has one row per fitted store:
    ``as_of``, the BG/NBD parameters ``r``, ``alpha``, ``a``, ``b`` with
    ``bgnbd_mean_log_likelihood`` and ``bgnbd_converged``, the Gamma-Gamma parameters ``p``,
    ``q``, ``gamma`` with ``gamma_gamma_mean_log_likelihood``, ``gamma_gamma_customers_used``
    and ``gamma_gamma_converged``. ``notes`` lists stores skipped and why.
    """

    table: Any
    stores: Any
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's ``LifetimeTable`` JSON: ``stores``, ``rows``, ``notes``."""
        return json.loads(json.dumps(self._raw))


def lifetime_value(
    sales: Sales,
    *,
    as_of: Optional[DateLike] = None,
    horizon_months: int = _LIFETIME["horizon_months"],
    monthly_discount_rate: float = _LIFETIME["monthly_discount_rate"],
    time_unit: TimeUnit = _LIFETIME["time_unit"],
    output: Output = "polars",
) -> LifetimeValue:
    """BG/NBD (purchase counts) and Gamma-Gamma (spend per purchase) fitted by maximum
    likelihood per store, and each customer's expected purchases, probability of being alive,
    expected spend and lifetime value (``storelytics::customers::lifetime_value``).

    The value sums, month by month over ``horizon_months``, expected spend × expected purchases
    in that month / (1 + ``monthly_discount_rate``)^month (the ``lifetimes``
    ``customer_lifetime_value`` convention; a month is 30 days or 4.345 weeks). ``time_unit``
    (``"days"`` or ``"weeks"``) is the unit of the histories and of ``alpha``. Observation ends
    at ``as_of`` (default: each store's last sale date). Stores whose data cannot support the
    models are skipped with a note; if none can be fitted the first store's error is raised.
    Defaults: ``LifetimeOptions::default()``.

    >>> import storelytics as sl
    >>> v = sl.lifetime_value(sl.generate(lines=20_000, stores=1).sales)
    >>> bool((v.table["probability_alive"] <= 1.0).all())
    True
    """
    check_output(output)
    raw = json.loads(
        _native.lifetime_value_json(
            sales._native,
            as_of=_args.date_text("as_of", as_of),
            horizon_months=_args.integer("horizon_months", horizon_months, limit=2**32),
            monthly_discount_rate=_args.number("monthly_discount_rate", monthly_discount_rate),
            time_unit=_args.choice("time_unit", time_unit, ("days", "weeks")),
        )
    )
    rows = [
        {"store": r["store"], "customer": r["customer"], **r["history"], **r["value"]} for r in raw["rows"]
    ]
    schema: Dict[str, Any] = {
        "store": id_dtype([r["store"] for r in rows]),
        "customer": id_dtype([r["customer"] for r in rows]),
        "frequency": pl.Int64,
        **{name: pl.Float64 for name in _HISTORY[1:] + _VALUE},
    }
    stores = [
        {
            "store": s["store"],
            "as_of": dt.date.fromisoformat(s["as_of"]),
            **s["bgnbd"]["params"],
            "bgnbd_mean_log_likelihood": s["bgnbd"]["mean_log_likelihood"],
            "bgnbd_converged": s["bgnbd"]["converged"],
            **s["gamma_gamma"]["params"],
            "gamma_gamma_mean_log_likelihood": s["gamma_gamma"]["mean_log_likelihood"],
            "gamma_gamma_customers_used": s["gamma_gamma"]["customers_used"],
            "gamma_gamma_converged": s["gamma_gamma"]["converged"],
        }
        for s in raw["stores"]
    ]
    store_schema: Dict[str, Any] = {
        "store": id_dtype([s["store"] for s in stores]),
        "as_of": pl.Date,
        **{name: pl.Float64 for name in ("r", "alpha", "a", "b", "bgnbd_mean_log_likelihood")},
        "bgnbd_converged": pl.Boolean,
        **{name: pl.Float64 for name in ("p", "q", "gamma", "gamma_gamma_mean_log_likelihood")},
        "gamma_gamma_customers_used": pl.Int64,
        "gamma_gamma_converged": pl.Boolean,
    }
    return LifetimeValue(
        table=frame(rows, schema, output),
        stores=frame(stores, store_schema, output),
        notes=list(raw["notes"]),
        _raw=raw,
    )
