"""Forecasts: the automatic model choice on a metric built from sales (:func:`forecast`) and
any single model on sales or plain values (:func:`forecast_model`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, Sequence

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame
from storelytics._options import Granularity, Metric
from storelytics._series import check_count, check_levels, resolve
from storelytics.errors import InvalidParameterError
from storelytics.models import DEFAULTS, ModelLike
from storelytics.models import model as _model
from storelytics.period import PeriodLike, to_native
from storelytics.sales import Id, Sales

_SERIES = DEFAULTS["series"]
_AUTO = DEFAULTS["auto"]
_CONFORMAL = DEFAULTS["conformal"]

Thoroughness = Literal["fast", "thorough"]
"""How many candidates the automatic choice tries (``forecast::auto::Thoroughness``)."""


def _level_name(level: float) -> str:
    return f"{level:g}".replace(".", "_")


def _forecast_rows(fc: Dict[str, Any], leading: Dict[str, Any]) -> Any:
    """Rows and schema of a forecast table: the `leading` columns (name -> (values, type)),
    ``mean`` and ``lower_L`` / ``upper_L`` per interval level."""
    columns: Dict[str, Any] = {name: values for name, (values, _) in leading.items()}
    schema: Dict[str, Any] = {name: dtype for name, (_, dtype) in leading.items()}
    columns["mean"] = fc["mean"]
    schema["mean"] = pl.Float64
    for interval in fc["intervals"]:
        name = _level_name(interval["level"])
        columns[f"lower_{name}"] = interval["lower"]
        columns[f"upper_{name}"] = interval["upper"]
        schema[f"lower_{name}"] = pl.Float64
        schema[f"upper_{name}"] = pl.Float64
    rows = [{k: v[i] for k, v in columns.items()} for i in range(len(fc["mean"]))]
    return rows, schema


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
    metric: Metric = _SERIES["metric"],
    granularity: Granularity = _SERIES["granularity"],
    period: Optional[PeriodLike] = None,
    store: Optional[Id] = None,
    product: Optional[Id] = None,
    season_length: Optional[int] = _SERIES["season_length"],
    keep_partial_buckets: bool = _SERIES["keep_partial_buckets"],
    thoroughness: Thoroughness = _AUTO["thoroughness"],
    include_arima: bool = _AUTO["include_arima"],
    route_intermittent: bool = _AUTO["route_intermittent"],
    n_windows: int = _AUTO["n_windows"],
    step: Optional[int] = _AUTO["step"],
    levels: Sequence[float] = tuple(_AUTO["levels"]),
    output: Output = "polars",
) -> ForecastResult:
    """Forecasts ``horizon`` buckets of a metric with the automatic model choice.

    The series is ``storelytics::forecast::TimeSeries::from_sales`` (``SeriesOptions``: net
    revenue by day over the whole table, all stores and products, season length 7 for days, 52
    for weeks, 12 for months; partial first / last buckets dropped). The model is picked by
    ``forecast::auto::auto_forecast`` (``AutoOptions``: fast candidates, no AutoARIMA unless
    ``include_arima``, intermittent series routed to Croston-type models, 5 rolling windows of
    ``horizon`` steps, the lowest mean MASE wins) and refitted on the whole series, with
    intervals at ``levels`` percent (default 80 and 95). Every default is the core's
    (``storelytics.models.DEFAULTS``).
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
    rows, schema = _forecast_rows(fc, {"date": (dates, pl.Date)})
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


IntervalSource = Literal["model", "conformal"]
"""Where prediction intervals come from (``forecast::spec::Intervals``): the model's own
(analytic, or conformal for the intermittent-demand models) or conformal for any model."""


@dataclass(frozen=True)
class ModelForecast:
    """One model's forecast (``storelytics::forecast::spec::ModelForecast``).

    ``forecast`` has one row per future step: ``step`` (1 = the first step after the series),
    ``date`` (bucket start; only when the series was built from sales), ``mean`` and, per
    interval level ``L``, ``lower_L`` and ``upper_L``. ``interval_method`` is ``analytic``,
    ``conformal`` or ``none`` (no levels requested). ``parameters`` is the fitted model as the
    core reports it for ARIMA / AutoARIMA (``kind="arima"``: orders, coefficients, ``sigma2``,
    ``loglik``, ``aic``, ``aicc``, ``bic``, ``nobs``) and ETS / AutoETS (``kind="ets"``: form,
    smoothing parameters, initial states, criteria and the AutoETS candidates), else ``None``.
    """

    model: str
    """The fitted model's description, e.g. ``ARIMA(1,1,1)`` or ``SES(alpha=0.300)``."""
    spec: Dict[str, Any]
    """The model specification that was fitted (``{"name": ..., options}``)."""
    forecast: Any
    interval_method: str
    levels: List[float]
    parameters: Optional[Dict[str, Any]]
    fitted: Optional[List[Optional[float]]]
    """In-sample one-step-ahead fitted values, when the model has them (``None`` = NaN)."""
    history: Any
    """The series: ``step`` (0-based position), ``date`` (sales input only) and ``value``."""
    season_length: int
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON: ``forecast`` (the ``Forecast``) and ``parameters``."""
        return json.loads(json.dumps(self._raw))


def forecast_model(
    data: Any,
    model: ModelLike,
    horizon: int,
    *,
    levels: Sequence[float] = tuple(_AUTO["levels"]),
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
) -> ModelForecast:
    """Fits one model and forecasts ``horizon`` steps with intervals at ``levels`` percent.

    ``data`` is a :class:`Sales` table (the series is ``TimeSeries::from_sales`` with
    ``metric``, ``granularity``, ``period``, ``store``, ``product``, ``keep_partial_buckets``;
    season length from the granularity unless given) or plain values: a list, tuple, numpy
    array, polars or pandas Series, regularly spaced (season length 1 = none, unless given).
    ``model`` is a class of :mod:`storelytics.models` (``models.AutoArima(max_p=3)``) or a
    model name for its defaults (``"auto_ets"``); see ``storelytics.models.MODELS``.

    ``intervals="conformal"`` replaces the model's intervals by conformal intervals from
    ``conformal_windows`` rolling-origin backtests ``conformal_step`` observations apart.

    >>> import storelytics as sl
    >>> y = [float(40 + (t % 7) * 3 + t // 7) for t in range(56)]
    >>> f = sl.forecast_model(y, sl.models.Arima(order=(1, 1, 0)), horizon=7, season_length=7)
    >>> f.forecast.columns
    ['step', 'mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95']
    >>> f.interval_method, f.parameters["kind"]
    ('analytic', 'arima')
    """
    check_output(output)
    check_count("horizon", horizon)
    for name, value in (("conformal_windows", conformal_windows), ("conformal_step", conformal_step)):
        check_count(name, value)
    if intervals not in ("model", "conformal"):
        raise InvalidParameterError(f"invalid parameter `intervals`: `{intervals}` is not one of model, conformal")
    levels = check_levels(levels)
    spec = _model(model).to_spec()
    series = resolve(
        data,
        horizon,
        season_length,
        dict(
            metric=metric,
            granularity=granularity,
            period=period,
            store=store,
            product=product,
            keep_partial_buckets=keep_partial_buckets,
        ),
    )
    raw = json.loads(
        _native.forecast_model_json(
            series.values,
            series.season_length,
            json.dumps(spec),
            horizon,
            levels=levels,
            intervals=intervals,
            conformal_windows=conformal_windows,
            conformal_step=conformal_step,
        )
    )
    fc = raw["forecast"]
    leading: Dict[str, Any] = {"step": (list(range(1, len(fc["mean"]) + 1)), pl.Int64)}
    history: Dict[str, Any] = {"step": list(range(len(series.values)))}
    history_schema: Dict[str, Any] = {"step": pl.Int64}
    if series.future_dates is not None and series.dates is not None:
        leading["date"] = (series.future_dates[: len(fc["mean"])], pl.Date)
        history["date"] = series.dates
        history_schema["date"] = pl.Date
    history["value"] = series.values
    history_schema["value"] = pl.Float64
    rows, schema = _forecast_rows(fc, leading)
    history_rows = [{k: v[i] for k, v in history.items()} for i in range(len(series.values))]
    return ModelForecast(
        model=fc["model"],
        spec=spec,
        forecast=frame(rows, schema, output),
        interval_method=fc["interval_method"],
        levels=[i["level"] for i in fc["intervals"]],
        parameters=raw["parameters"],
        fitted=fc["fitted"],
        history=frame(history_rows, history_schema, output),
        season_length=series.season_length,
        notes=list(fc["notes"]),
        _raw=raw,
    )
