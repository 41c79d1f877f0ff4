"""Rolling-origin backtests of forecasting models: :func:`backtest`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame
from storelytics._options import Granularity, Metric
from storelytics._series import check_count, check_levels, resolve
from storelytics.errors import InvalidParameterError
from storelytics.forecast import IntervalSource, _level_name
from storelytics.models import DEFAULTS, ModelLike
from storelytics.models import model as _model
from storelytics.period import PeriodLike
from storelytics.sales import Id, Sales

_SERIES = DEFAULTS["series"]
_BACKTEST = DEFAULTS["backtest"]
_CONFORMAL = DEFAULTS["conformal"]

WINDOW_SCHEMA = {
    "series": pl.String,
    "model": pl.String,
    "window": pl.Int64,
    "origin": pl.Int64,
    "step": pl.Int64,
    "actual": pl.Float64,
    "forecast": pl.Float64,
}
"""Columns of :attr:`Backtest.windows`."""


@dataclass(frozen=True)
class Backtest:
    """Backtests of several models on one or more series
    (``storelytics::forecast::backtest::ModelBacktest`` per model and series).

    ``scores`` has one row per series and model: ``series``, ``model``, ``mase``, ``smape``
    (percent, 0–200), ``rmse``, ``coverage_L`` per level ``L`` (share of actual values inside
    the ``L`` % interval, 0–1; null when the model gave no intervals) and ``error`` (why the
    model failed in some window; its scores are then null). ``windows`` has one row per series,
    model, window and step: ``window`` (0 = oldest), ``origin`` (length of the training part),
    ``step`` (1..horizon), ``actual`` and ``forecast``.

    The scores follow the core's definitions (``forecast::backtest``): MASE divides each
    window's mean absolute error by the in-sample mean absolute seasonal-naive error of its
    training part (lag 1 when the part is not longer than a season; the mean absolute value,
    then 1, when that is zero) and averages over windows; sMAPE terms with ``y = ŷ = 0``
    count 0; RMSE pools every window.
    """

    scores: Any
    windows: Any
    levels: List[float]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON per series: ``{series: [ModelBacktest, ...]}``."""
        return json.loads(json.dumps(self._raw))


def backtest(
    data: Any,
    models: Union[Sequence[ModelLike], Mapping[str, ModelLike]],
    *,
    horizon: int = _BACKTEST["horizon"],
    step: int = _BACKTEST["step"],
    n_windows: int = _BACKTEST["n_windows"],
    levels: Sequence[float] = tuple(_BACKTEST["levels"]),
    season_length: Optional[int] = _SERIES["season_length"],
    intervals: IntervalSource = "model",
    conformal_windows: int = _CONFORMAL["n_windows"],
    conformal_step: int = _CONFORMAL["step"],
    metric: Metric = _SERIES["metric"],
    granularity: Granularity = _SERIES["granularity"],
    period: Optional[PeriodLike] = None,
    store: Optional[Id] = None,
    product: Optional[Id] = None,
    keep_partial_buckets: bool = _SERIES["keep_partial_buckets"],
    output: Output = "polars",
) -> Backtest:
    """Rolling-origin backtests: each model is refitted at ``n_windows`` origins ``step``
    observations apart (the latest ends ``horizon`` before the end of the series) and scored
    on the next ``horizon`` observations with MASE, sMAPE, RMSE and the coverage of its
    intervals at ``levels`` percent (``forecast::spec::backtest_models``; defaults from
    ``BacktestOptions``: 3 windows of 7 steps, 7 apart, levels 80 and 95).

    ``data`` is a :class:`Sales` table (series options as :func:`storelytics.forecast_model`),
    plain values, or a mapping ``{series name: values}`` to backtest several series. ``models``
    is a list of models (classes of :mod:`storelytics.models` or names) labelled by the core's
    model names, or a mapping ``{label: model}``. A model that fails in some window is
    reported in the ``error`` column, not raised.

    >>> import storelytics as sl
    >>> y = [float(10 + (t % 7) + t // 7) for t in range(60)]
    >>> b = sl.backtest(y, ["naive", "seasonal_naive"], season_length=7)
    >>> b.scores["model"].to_list()
    ['Naive', 'SeasonalNaive']
    """
    check_output(output)
    for name, value in (
        ("horizon", horizon),
        ("step", step),
        ("n_windows", n_windows),
        ("conformal_windows", conformal_windows),
        ("conformal_step", conformal_step),
    ):
        check_count(name, value)
    if intervals not in ("model", "conformal"):
        raise InvalidParameterError(f"invalid parameter `intervals`: `{intervals}` is not one of model, conformal")
    levels = check_levels(levels)
    if isinstance(models, Mapping):
        labels: List[Optional[str]] = [str(k) for k in models]
        chosen = [_model(m) for m in models.values()]
    elif isinstance(models, (str, bytes)) or not isinstance(models, Sequence):
        raise InvalidParameterError(f"invalid parameter `models`: {models!r} is not a list or mapping of models")
    else:
        labels = [None] * len(models)
        chosen = [_model(m) for m in models]
    if not chosen:
        raise InvalidParameterError("invalid parameter `models`: needs at least one model")
    specs = json.dumps([m.to_spec() for m in chosen])
    series_options = dict(
        metric=metric,
        granularity=granularity,
        period=period,
        store=store,
        product=product,
        keep_partial_buckets=keep_partial_buckets,
    )
    inputs = data.items() if isinstance(data, Mapping) and not isinstance(data, Sales) else [(None, data)]
    raw: Dict[str, Any] = {}
    scores: List[Dict[str, Any]] = []
    windows: List[Dict[str, Any]] = []
    for name, values in inputs:
        series = resolve(values, 0, season_length, dict(series_options))
        key = series.label if name is None else str(name)
        result = json.loads(
            _native.backtest_json(
                series.values,
                series.season_length,
                specs,
                horizon=horizon,
                step=step,
                n_windows=n_windows,
                levels=levels,
                intervals=intervals,
                conformal_windows=conformal_windows,
                conformal_step=conformal_step,
            )
        )
        raw[key] = result
        for label, b in zip(labels, result):
            model_name = label if label is not None else b["model"]
            s = b.get("scores") or {}
            coverage = {c["level"]: c["coverage"] for c in s.get("coverage", [])}
            row: Dict[str, Any] = {
                "series": key,
                "model": model_name,
                "mase": s.get("mase"),
                "smape": s.get("smape"),
                "rmse": s.get("rmse"),
            }
            for level in levels:
                row[f"coverage_{_level_name(level)}"] = coverage.get(level)
            row["error"] = b.get("error")
            scores.append(row)
            for w, win in enumerate(b["windows"]):
                for h, (actual, fc) in enumerate(zip(win["actual"], win["forecast"])):
                    windows.append(
                        {
                            "series": key,
                            "model": model_name,
                            "window": w,
                            "origin": win["origin"],
                            "step": h + 1,
                            "actual": actual,
                            "forecast": fc,
                        }
                    )
    score_schema: Dict[str, Any] = {
        "series": pl.String,
        "model": pl.String,
        "mase": pl.Float64,
        "smape": pl.Float64,
        "rmse": pl.Float64,
    }
    for level in levels:
        score_schema[f"coverage_{_level_name(level)}"] = pl.Float64
    score_schema["error"] = pl.String
    return Backtest(
        scores=frame(scores, score_schema, output),
        windows=frame(windows, WINDOW_SCHEMA, output),
        levels=levels,
        _raw=raw,
    )
