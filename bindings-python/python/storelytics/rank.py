"""Top / bottom N products, customers, categories and stores: :func:`rank`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics._options import Comparison, Entity, Metric, RankOrder
from storelytics.errors import InvalidParameterError
from storelytics.period import Period, PeriodLike, to_native
from storelytics.sales import Id, Sales

_DEFAULTS = json.loads(_native.rank_defaults_json())
"""The core defaults of ``RankOptions`` (``rank_defaults_json``)."""


@dataclass(frozen=True)
class Ranking:
    """A ranking (``storelytics::rank::Ranking``).

    ``entries`` has the first ``n`` entities with the columns ``rank`` (1-based), ``id``,
    ``value`` (money in major units), ``share_pct`` (of the total; additive metrics only),
    ``previous_rank``, ``rank_change`` (positive = moved up) and ``previous_value``.
    """

    entity: Entity
    metric: Metric
    order: RankOrder
    period: Period
    comparison_period: Optional[Period]
    total: Optional[float]
    """Sum of the metric over all entities (additive metrics only)."""
    entities: int
    """Number of entities active in the period."""
    entries: Any
    """A polars DataFrame (or pandas, with ``output="pandas"``)."""
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The ranking as the plain dict of the core's JSON (the shape of the golden files)."""
        return json.loads(json.dumps(self._raw))


def rank(
    sales: Sales,
    *,
    entity: Entity = _DEFAULTS["entity"],
    metric: Metric = _DEFAULTS["metric"],
    n: int = _DEFAULTS["n"],
    order: RankOrder = _DEFAULTS["order"],
    period: Optional[PeriodLike] = None,
    comparison: Comparison = _DEFAULTS["comparison"],
    store: Optional[Id] = None,
    output: Output = "polars",
) -> Ranking:
    """Ranks entities by a metric; only entities with a line in the period are ranked, ties are
    broken by id. Defaults are those of ``storelytics::rank::RankOptions``: top 10 products by
    net revenue over the data's date range, rank changes vs. the previous period, all stores.
    """
    check_output(output)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidParameterError(f"invalid parameter `n`: must be at least 1, got {n!r}")
    raw = json.loads(
        _native.rank_json(
            sales._native,
            entity=entity,
            metric=metric,
            n=n,
            order=order,
            period=to_native(period),
            comparison=comparison,
            store=store,
        )
    )
    entries = raw["entries"]
    schema = {
        "rank": pl.UInt32,
        "id": id_dtype([e["id"] for e in entries]),
        "value": pl.Float64,
        "share_pct": pl.Float64,
        "previous_rank": pl.UInt32,
        "rank_change": pl.Int64,
        "previous_value": pl.Float64,
    }
    cp = raw["comparison_period"]
    return Ranking(
        entity=raw["entity"],
        metric=raw["metric"],
        order=raw["order"],
        period=Period.from_dict(raw["period"]),
        comparison_period=None if cp is None else Period.from_dict(cp),
        total=raw["total"],
        entities=raw["entities"],
        entries=frame(entries, schema, output),
        _raw=raw,
    )
