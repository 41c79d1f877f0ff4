"""Anomalies of a metric built from sales: :func:`detect` (exported as ``detect_anomalies``)."""

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

Detector = Literal["seasonal_esd", "forecast_interval", "level_shift", "rolling_z_score", "rolling_iqr"]
"""An anomaly detector (``storelytics::anomaly::Detector``)."""

Direction = Literal["spikes", "drops", "both"]
"""Which anomalies to report (``storelytics::anomaly::Direction``)."""

MetricScale = Literal["auto", "additive", "multiplicative"]
"""How values are compared (``storelytics::anomaly::MetricScale``)."""

ANOMALY_SCHEMA = {
    "index": pl.Int64,
    "date": pl.Date,
    "kind": pl.String,
    "actual": pl.Float64,
    "expected": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "score": pl.Float64,
    "direction": pl.String,
    "severity": pl.String,
}
"""Columns of :attr:`AnomalyReport.anomalies`."""

_DEFAULTS = json.loads(_native.anomaly_defaults_json())
"""The core defaults of the ``SeriesOptions`` and ``AnomalyOptions`` fields exposed here
(``anomaly_defaults_json``)."""


@dataclass(frozen=True)
class AnomalyReport:
    """The anomalies of one series (``storelytics::anomaly::AnomalyReport``).

    ``anomalies`` has one row per anomaly, in date order: ``index`` (bucket number), ``date``
    (bucket start), ``kind`` (``point`` or ``level_shift``), ``actual``, ``expected``, the normal
    range ``lower`` .. ``upper`` (metric units), ``score`` (robust noise standard deviations),
    ``direction`` (``spike`` / ``drop``) and ``severity`` (``low`` / ``medium`` / ``high``).
    ``summary`` is the core's summary as a dict (buckets, tested, missing, closed, count,
    share, spikes, drops, worst).
    """

    label: str
    detector: Detector
    anomalies: Any
    """A polars DataFrame (or pandas, with ``output="pandas"``)."""
    summary: Dict[str, Any]
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The report as the plain dict of the core's JSON."""
        return json.loads(json.dumps(self._raw))


def detect(
    sales: Sales,
    *,
    metric: Metric = _DEFAULTS["series"]["metric"],
    granularity: Granularity = _DEFAULTS["series"]["granularity"],
    period: Optional[PeriodLike] = None,
    store: Optional[Id] = None,
    product: Optional[Id] = None,
    season_length: Optional[int] = _DEFAULTS["series"]["season_length"],
    keep_partial_buckets: bool = _DEFAULTS["series"]["keep_partial_buckets"],
    detector: Detector = _DEFAULTS["detector"],
    sensitivity: float = _DEFAULTS["sensitivity"],
    direction: Direction = _DEFAULTS["direction"],
    max_anomalies: float = _DEFAULTS["max_anomalies"],
    alpha: Optional[float] = _DEFAULTS["alpha"],
    detect_weekly_closed: bool = _DEFAULTS["detect_weekly_closed"],
    closed_dates: Sequence[Any] = tuple(_DEFAULTS["closed_dates"]),
    scale: MetricScale = _DEFAULTS["scale"],
    window: Optional[int] = _DEFAULTS["window"],
    output: Output = "polars",
) -> AnomalyReport:
    """Detects anomalies of a metric by calendar bucket.

    The series is ``storelytics::forecast::TimeSeries::from_sales`` (the options of
    :func:`storelytics.forecast`); detection is ``storelytics::anomaly::detect`` with
    ``AnomalyOptions``: seasonal hybrid ESD by default, sensitivity 0.5 (0 = only the clearest,
    1 = many), spikes and drops, at most 10 % of the buckets, weekly closing days recognised
    (``detect_weekly_closed``) plus the caller's ``closed_dates``, automatic additive /
    multiplicative scale, rolling window of four seasons for the rolling detectors.
    """
    check_output(output)
    for name, value in (("season_length", season_length), ("window", window)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int >= 0")
    closed = [d.isoformat() if isinstance(d, dt.date) else str(d) for d in closed_dates]
    raw = json.loads(
        _native.detect_json(
            sales._native,
            metric=metric,
            granularity=granularity,
            period=to_native(period),
            store=store,
            product=product,
            season_length=season_length,
            keep_partial_buckets=keep_partial_buckets,
            detector=detector,
            sensitivity=float(sensitivity),
            direction=direction,
            max_anomalies=float(max_anomalies),
            alpha=None if alpha is None else float(alpha),
            detect_weekly_closed=detect_weekly_closed,
            closed_dates=closed,
            scale=scale,
            window=window,
        )
    )
    rows = [{**a, "date": dt.date.fromisoformat(a["date"])} for a in raw["anomalies"]]
    return AnomalyReport(
        label=raw["label"],
        detector=raw["detector"],
        anomalies=frame(rows, ANOMALY_SCHEMA, output),
        summary=raw["summary"],
        notes=list(raw["notes"]),
        _raw=raw,
    )
