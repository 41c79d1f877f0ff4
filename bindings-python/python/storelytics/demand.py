"""Demand forecasts of the top products (``storelytics::forecast::demand``): daily net units of
the best-selling products (:func:`product_daily_units`) and the automatic model choice on each
(:func:`top_product_demand`; intermittent products go to the Croston family).

Defaults are the core's ``DemandOptions`` (``storelytics.models.DEFAULTS["demand"]``) and
``AutoOptions`` (``DEFAULTS["auto"]``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import polars as pl

from storelytics import _args, _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics._series import check_levels
from storelytics.forecast import Thoroughness, _forecast_rows
from storelytics.models import DEFAULTS
from storelytics.period import PeriodLike, to_native
from storelytics.sales import Id, Sales

_DEMAND = DEFAULTS["demand"]
_AUTO = DEFAULTS["auto"]


def _days(start: str, n: int) -> List[dt.date]:
    first = dt.date.fromisoformat(start)
    return [first + dt.timedelta(days=i) for i in range(n)]


def _history(demand: List[Dict[str, Any]], output: Output) -> Any:
    product_t = id_dtype([d["product"] for d in demand])
    rows = [
        {"product": d["product"], "date": day, "units": units}
        for d in demand
        for day, units in zip(_days(d["start"], len(d["daily_units"])), d["daily_units"])
    ]
    return frame(rows, {"product": product_t, "date": pl.Date, "units": pl.Float64}, output)


def product_daily_units(
    sales: Sales,
    *,
    top_n: int = _DEMAND["top_n"],
    period: Optional[PeriodLike] = _DEMAND["period"],
    store: Optional[Id] = _DEMAND["store"],
    output: Output = "polars",
) -> Any:
    """Daily net units (returns subtract) of the ``top_n`` products with the most net units in
    ``period`` (default the data's whole date range), all stores together unless ``store`` is
    given (``forecast::demand::product_daily_units``).

    One row per product and store-local day of the period, zero on days without sales:
    ``product``, ``date``, ``units``; products in descending order of their net units (ties by
    first appearance), days ascending.

    >>> import storelytics as sl
    >>> s = sl.generate(seed=5, stores=1, lines=3000).sales
    >>> d = sl.product_daily_units(s, top_n=3)
    >>> d.columns, d["product"].n_unique()
    (['product', 'date', 'units'], 3)
    """
    check_output(output)
    _args.integer("top_n", top_n)
    demand = json.loads(_native.product_daily_units_json(sales._native, top_n, to_native(period), store))
    return _history(demand, output)


@dataclass(frozen=True)
class ProductDemandForecasts:
    """Demand forecasts of the top products: the list of ``forecast::demand::ProductDemandForecast``
    as tables.

    ``forecast`` has one row per product and future day: ``product``, ``date``, ``mean`` and,
    per interval level ``L``, ``lower_L`` and ``upper_L``. ``products`` has one row per
    product, best-selling first: ``product``, ``total_units`` (net units in the period),
    ``model`` (the chosen model's description), ``chosen`` (the candidate's name),
    ``intermittent``, ``interval_method``, ``forecast_start``. ``history`` is the daily net
    units the models were fitted on (``product``, ``date``, ``units``); ``candidates`` the
    cross-validation scores of every candidate per product (``product``, ``model``, ``mase``,
    ``rmse``, ``smape``, ``error``); ``notes`` the forecast notes per product.
    """

    forecast: Any
    products: Any
    history: Any
    candidates: Any
    levels: List[float]
    notes: Dict[Any, List[str]]
    _raw: List[Dict[str, Any]] = field(repr=False, compare=False, default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON: ``products``, the list of ``ProductDemandForecast`` (``demand``,
        ``forecast_start``, ``choice``)."""
        return {"products": json.loads(json.dumps(self._raw))}


def top_product_demand(
    sales: Sales,
    *,
    top_n: int = _DEMAND["top_n"],
    horizon: int = _DEMAND["horizon"],
    period: Optional[PeriodLike] = _DEMAND["period"],
    store: Optional[Id] = _DEMAND["store"],
    thoroughness: Thoroughness = _AUTO["thoroughness"],
    include_arima: bool = _AUTO["include_arima"],
    route_intermittent: bool = _AUTO["route_intermittent"],
    n_windows: int = _AUTO["n_windows"],
    step: Optional[int] = _AUTO["step"],
    levels: Sequence[float] = tuple(_AUTO["levels"]),
    output: Output = "polars",
) -> ProductDemandForecasts:
    """Forecasts ``horizon`` days of net units of each of the ``top_n`` best-selling products
    (``forecast::demand::top_product_demand`` with ``DemandOptions``: 10 products, 28 days,
    the whole date range, all stores together).

    Each product's series is :func:`product_daily_units`; the model is the automatic choice
    (``forecast::auto``, weekly season, options as in :func:`~storelytics.forecast`: fast
    candidates, intermittent products routed to the Croston family, the lowest mean MASE over
    ``n_windows`` rolling windows wins) with intervals at ``levels`` percent.

    >>> import storelytics as sl
    >>> s = sl.generate(seed=5, stores=1, lines=3000).sales
    >>> d = sl.top_product_demand(s, top_n=2, horizon=7)
    >>> d.forecast.height, d.products.height
    (14, 2)
    """
    check_output(output)
    for name, value in (("top_n", top_n), ("horizon", horizon), ("n_windows", n_windows)):
        _args.integer(name, value)
    _args.opt_integer("step", step)
    for name, value in (("include_arima", include_arima), ("route_intermittent", route_intermittent)):
        _args.boolean(name, value)
    _args.choice("thoroughness", thoroughness, ("fast", "thorough"))
    levels = check_levels(levels)
    raw = json.loads(
        _native.top_product_demand_json(
            sales._native,
            top_n,
            horizon,
            to_native(period),
            store,
            thoroughness=thoroughness,
            include_arima=include_arima,
            route_intermittent=route_intermittent,
            n_windows=n_windows,
            step=step,
            levels=levels,
        )
    )
    product_t = id_dtype([p["demand"]["product"] for p in raw])
    rows: List[Dict[str, Any]] = []
    schema: Dict[str, Any] = {"product": product_t, "date": pl.Date, "mean": pl.Float64}
    for p in raw:
        fc = p["choice"]["forecast"]
        dates = _days(p["forecast_start"], len(fc["mean"]))
        product_rows, schema = _forecast_rows(
            fc, {"product": ([p["demand"]["product"]] * len(dates), product_t), "date": (dates, pl.Date)}
        )
        rows.extend(product_rows)
    products = [
        {
            "product": p["demand"]["product"],
            "total_units": p["demand"]["total_units"],
            "model": p["choice"]["forecast"]["model"],
            "chosen": p["choice"]["chosen"],
            "intermittent": p["choice"]["intermittent"],
            "interval_method": p["choice"]["forecast"]["interval_method"],
            "forecast_start": dt.date.fromisoformat(p["forecast_start"]),
        }
        for p in raw
    ]
    products_schema = {
        "product": product_t,
        "total_units": pl.Float64,
        "model": pl.String,
        "chosen": pl.String,
        "intermittent": pl.Boolean,
        "interval_method": pl.String,
        "forecast_start": pl.Date,
    }
    scores = [
        {
            "product": p["demand"]["product"],
            "model": c["model"],
            **{k: (c.get("scores") or {}).get(k) for k in ("mase", "rmse", "smape")},
            "error": c.get("error"),
        }
        for p in raw
        for c in p["choice"]["candidates"]
    ]
    score_schema = {
        "product": product_t,
        "model": pl.String,
        "mase": pl.Float64,
        "rmse": pl.Float64,
        "smape": pl.Float64,
        "error": pl.String,
    }
    return ProductDemandForecasts(
        forecast=frame(rows, schema, output),
        products=frame(products, products_schema, output),
        history=_history([p["demand"] for p in raw], output),
        candidates=frame(scores, score_schema, output),
        levels=[float(v) for v in levels],
        notes={p["demand"]["product"]: list(p["choice"]["forecast"]["notes"]) for p in raw},
        _raw=raw,
    )
