"""Forecasts of a metric built from sales, with the automatic model choice: :func:`forecast`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, Sequence

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame
from storelytics._options import Granularity, Metric
from storelytics.errors import InvalidParameterError
from storelytics.period import PeriodLike, to_native
from storelytics.sales import Id, Sales

Thoroughness = Literal["fast", "thorough"]
"""How many candidates the automatic choice tries (``forecast::auto::Thoroughness``)."""


def _level_name(level: float) -> str:
    return f"{level:g}".replace(".", "_")


@dataclass(frozen=True)
class ForecastResult:
    """The automatic choice on a series built from sales (``forecast::auto::AutoChoice``).

    ``forecast`` has one row per future bucket with the columns ``date`` (the bucket start),
    ``mean`` and, per interval level ``L`` (e.g. 80, 95), ``lower_L`` and ``upper_L``.
    ``history`` is the series the models were fitted on (``date``, ``value``). ``candidates``
    lists every candidate's cross-validation scores (``model``, ``mase``, ``rmse``, ``smape``,
    ``error``).
    """

    model: str
    """The chosen model's description, e.g. ``AutoETS(A,N,A)``."""
    chosen: str
    """The chosen candidate's name, e.g. ``AutoETS``."""
    forecast: Any
    history: Any
    candidates: Any
    levels: List[float]
    interval_method: str
    intermittent: bool
    season_length: int
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON: ``series``, ``dates`` and ``choice`` (the ``AutoChoice``)."""
        return json.loads(json.dumps(self._raw))


def forecast(
    sales: Sales,
    horizon: int,
    *,
    metric: Metric = "net_revenue",
    granularity: Granularity = "day",
    period: Optional[PeriodLike] = None,
    store: Optional[Id] = None,
    product: Optional[Id] = None,
    season_length: Optional[int] = None,
    keep_partial_buckets: bool = False,
    thoroughness: Thoroughness = "fast",
    include_arima: bool = False,
    route_intermittent: bool = True,
    n_windows: int = 5,
    step: Optional[int] = None,
    levels: Sequence[float] = (80.0, 95.0),
    output: Output = "polars",
) -> ForecastResult:
    """Forecasts ``horizon`` buckets of a metric with the automatic model choice.

    The series is ``storelytics::forecast::TimeSeries::from_sales`` (``SeriesOptions``: net
    revenue by day over the whole table, all stores and products, season length 7 for days, 52
    for weeks, 12 for months; partial first / last buckets dropped). The model is picked by
    ``forecast::auto::auto_forecast`` (``AutoOptions``: fast candidates, no AutoARIMA unless
    ``include_arima``, intermittent series routed to Croston-type models, 5 rolling windows of
    ``horizon`` steps, the lowest mean MASE wins) and refitted on the whole series, with
    intervals at ``levels`` percent (default 80 and 95).
    """
    check_output(output)
    for name, value in (("horizon", horizon), ("n_windows", n_windows)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int >= 0")
    for name, value in (("season_length", season_length), ("step", step)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int >= 0")
    try:
        levels = [float(v) for v in levels]
    except (TypeError, ValueError):
        raise InvalidParameterError(f"invalid parameter `levels`: {levels!r} is not a list of numbers") from None
    raw = json.loads(
        _native.forecast_json(
            sales._native,
            horizon,
            metric=metric,
            granularity=granularity,
            period=to_native(period),
            store=store,
            product=product,
            season_length=season_length,
            keep_partial_buckets=keep_partial_buckets,
            thoroughness=thoroughness,
            include_arima=include_arima,
            route_intermittent=route_intermittent,
            n_windows=n_windows,
            step=step,
            levels=levels,
        )
    )
    choice = raw["choice"]
    fc = choice["forecast"]
    dates = [dt.date.fromisoformat(d) for d in raw["dates"]]
    columns: Dict[str, Any] = {"date": dates, "mean": fc["mean"]}
    schema: Dict[str, Any] = {"date": pl.Date, "mean": pl.Float64}
    for interval in fc["intervals"]:
        name = _level_name(interval["level"])
        columns[f"lower_{name}"] = interval["lower"]
        columns[f"upper_{name}"] = interval["upper"]
        schema[f"lower_{name}"] = pl.Float64
        schema[f"upper_{name}"] = pl.Float64
    rows = [{k: v[i] for k, v in columns.items()} for i in range(len(dates))]
    series = raw["series"]
    history = [
        {"date": dt.date.fromisoformat(d), "value": v} for d, v in zip(series["dates"], series["values"])
    ]
    score_schema = {
        "model": pl.String,
        "mase": pl.Float64,
        "rmse": pl.Float64,
        "smape": pl.Float64,
        "error": pl.String,
    }
    scores = [
        {
            "model": c["model"],
            **{k: (c.get("scores") or {}).get(k) for k in ("mase", "rmse", "smape")},
            "error": c.get("error"),
        }
        for c in choice["candidates"]
    ]
    return ForecastResult(
        model=fc["model"],
        chosen=choice["chosen"],
        forecast=frame(rows, schema, output),
        history=frame(history, {"date": pl.Date, "value": pl.Float64}, output),
        candidates=frame(scores, score_schema, output),
        levels=[i["level"] for i in fc["intervals"]],
        interval_method=fc["interval_method"],
        intermittent=choice["intermittent"],
        season_length=series["season_length"],
        notes=list(fc["notes"]),
        _raw=raw,
    )
