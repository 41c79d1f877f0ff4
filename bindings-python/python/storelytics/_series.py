"""The series a model is fitted on: built from sales (``TimeSeries::from_sales``) or given as
plain values. Internal."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from storelytics import _native
from storelytics.errors import InvalidParameterError
from storelytics.period import to_native
from storelytics.sales import Sales


@dataclass(frozen=True)
class SeriesInput:
    values: List[float]
    season_length: int
    label: str
    dates: Optional[List[dt.date]]
    """Bucket start dates (sales input only)."""
    future_dates: Optional[List[dt.date]]
    """Start dates of the buckets after the series (sales input only)."""


def check_count(name: str, value: Any, optional: bool = False) -> None:
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int >= 0")


def check_levels(levels: Any) -> List[float]:
    if isinstance(levels, (str, bytes)):
        raise InvalidParameterError(f"invalid parameter `levels`: {levels!r} is not a list of numbers")
    try:
        return [float(v) for v in levels]
    except (TypeError, ValueError):
        raise InvalidParameterError(f"invalid parameter `levels`: {levels!r} is not a list of numbers") from None


def values_of(data: Any, name: str = "data") -> List[float]:
    """Plain floats from a list / tuple, numpy array, polars or pandas Series; missing values
    (None, null, NaN) become NaN, which the core rejects with a typed error."""
    if isinstance(data, (str, bytes, dict)):
        raise InvalidParameterError(f"invalid parameter `{name}`: expected a sequence of numbers, got {type(data).__name__}")
    if hasattr(data, "to_list") and type(data).__module__.startswith("polars"):
        data = data.to_list()
    elif hasattr(data, "tolist"):  # numpy arrays, pandas Series
        data = data.tolist()
    try:
        items = list(data)
    except TypeError:
        raise InvalidParameterError(
            f"invalid parameter `{name}`: expected a sequence of numbers, got {type(data).__name__}"
        ) from None
    out = []
    for i, v in enumerate(items):
        if v is None:
            out.append(math.nan)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            try:
                v = float(v)  # numpy scalars, Decimal
            except (TypeError, ValueError):
                raise InvalidParameterError(
                    f"invalid parameter `{name}`: value {i} ({v!r}) is not a number"
                ) from None
        out.append(float(v))
    return out


def resolve(data: Any, horizon: int, season_length: Optional[int], series: Dict[str, Any]) -> SeriesInput:
    """The series of `data`: a :class:`Sales` table with the series options `series`, or plain
    values (season length 1 unless given)."""
    check_count("season_length", season_length, optional=True)
    if isinstance(data, Sales):
        raw = json.loads(
            _native.series_json(
                data._native,
                horizon,
                period=to_native(series.pop("period", None)),
                season_length=season_length,
                **series,
            )
        )
        s = raw["series"]
        return SeriesInput(
            values=s["values"],
            season_length=s["season_length"],
            label=s["label"],
            dates=[dt.date.fromisoformat(d) for d in s["dates"]],
            future_dates=[dt.date.fromisoformat(d) for d in raw["future_dates"]],
        )
    return SeriesInput(
        values=values_of(data),
        season_length=1 if season_length is None else season_length,
        label="series",
        dates=None,
        future_dates=None,
    )
