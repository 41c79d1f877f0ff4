"""A metric over time by calendar bucket: :func:`trend`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame
from storelytics._options import Granularity, Metric
from storelytics.errors import InvalidParameterError
from storelytics.period import Period, PeriodLike, to_native
from storelytics.sales import Id, Sales

POINT_SCHEMA = {
    "start": pl.Date,
    "end": pl.Date,
    "label": pl.String,
    "value": pl.Float64,
    "growth_pct": pl.Float64,
    "last_year": pl.Float64,
    "yoy_growth_pct": pl.Float64,
    "moving_average": pl.Float64,
    "cumulative": pl.Float64,
}
"""Columns of :attr:`Trend.points`."""

_DEFAULTS = json.loads(_native.trend_defaults_json())
"""The core defaults of ``TrendOptions`` (``trend_defaults_json``)."""


@dataclass(frozen=True)
class Trend:
    """A metric by calendar bucket (``storelytics::trend::Trend``).

    ``points`` has one row per bucket, oldest first, including buckets without sales, with the
    columns ``start``, ``end`` (dates, clipped to the period), ``label`` (e.g. ``2024-W07``),
    ``value``, ``growth_pct`` (vs. the previous bucket), ``last_year``, ``yoy_growth_pct``,
    ``moving_average`` and ``cumulative`` (to date). Money is in major units; undefined values
    are null.
    """

    metric: Metric
    granularity: Granularity
    period: Period
    store: Optional[Id]
    points: Any
    """A polars DataFrame (or pandas, with ``output="pandas"``)."""
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The trend as the plain dict of the core's JSON (the shape of the golden files)."""
        return json.loads(json.dumps(self._raw))


def trend(
    sales: Sales,
    *,
    metric: Metric = _DEFAULTS["metric"],
    granularity: Granularity = _DEFAULTS["granularity"],
    period: Optional[PeriodLike] = None,
    store: Optional[Id] = None,
    moving_average: int = _DEFAULTS["moving_average"],
    output: Output = "polars",
) -> Trend:
    """A metric by calendar bucket in each store's time zone, with growth vs. the previous
    bucket and vs. last year, a trailing moving average and the cumulative value to date.

    Defaults are those of ``storelytics::trend::TrendOptions``: net revenue by day over the
    data's date range, all stores together, moving average over 7 buckets (0 turns it off).
    """
    check_output(output)
    if isinstance(moving_average, bool) or not isinstance(moving_average, int) or moving_average < 0:
        raise InvalidParameterError(f"invalid parameter `moving_average`: {moving_average!r} is not an int >= 0")
    raw = json.loads(
        _native.trend_json(
            sales._native,
            metric=metric,
            granularity=granularity,
            period=to_native(period),
            store=store,
            moving_average=moving_average,
        )
    )
    rows = [
        {**p, "start": dt.date.fromisoformat(p["start"]), "end": dt.date.fromisoformat(p["end"])}
        for p in raw["points"]
    ]
    return Trend(
        metric=raw["metric"],
        granularity=raw["granularity"],
        period=Period.from_dict(raw["period"]),
        store=raw["store"],
        points=frame(rows, POINT_SCHEMA, output),
        _raw=raw,
    )
