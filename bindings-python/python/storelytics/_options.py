"""Names accepted for enum-like options (the lower-case names of the Rust enums). Internal
module; the public aliases are re-exported by the package."""

from typing import Literal

Metric = Literal[
    "gross_revenue",
    "returns",
    "net_revenue",
    "cost",
    "gross_margin",
    "margin_pct",
    "orders",
    "units",
    "returned_units",
    "avg_order_value",
    "items_per_order",
    "unique_customers",
    "new_customers",
    "returning_customers",
    "repeat_rate",
    "return_rate",
]
"""A metric (``storelytics::Metric``); money metrics are in major units where they are values."""

Granularity = Literal["day", "week", "month", "quarter", "year"]
"""Calendar bucket size (``storelytics::Granularity``); weeks are ISO weeks."""

Comparison = Literal["previous_period", "same_period_last_year", "none"]
"""Which period a result is compared with (``storelytics::Comparison``)."""

Entity = Literal["product", "customer", "category", "store"]
"""What a ranking ranks (``storelytics::rank::Entity``)."""

RankOrder = Literal["top", "bottom"]
"""Largest (``top``) or smallest (``bottom``) first."""

TimeUnit = Literal["days", "weeks"]
"""Time unit of lifetime-value histories (``storelytics::customers::TimeUnit``)."""

SimilarityBasis = Literal["customers", "orders"]
"""Rows of an item similarity: customer × product or order × product
(``storelytics::recommend::SimilarityBasis``)."""

SimilarityMeasure = Literal["cosine", "bm25"]
"""Weighting of an item similarity (``storelytics::recommend::SimilarityMeasure``)."""

TogetherRanking = Literal["count", "lift", "cosine"]
"""How :func:`~storelytics.bought_together` ranks companions (``recommend::TogetherRanking``)."""
