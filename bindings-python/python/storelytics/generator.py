"""Deterministic synthetic sales data: :func:`generate`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, List

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics.errors import InvalidParameterError
from storelytics.period import DateLike, _date
from storelytics.sales import Sales

DEFAULTS: dict = json.loads(_native.generator_defaults_json())
"""``GeneratorConfig::default()`` from the Rust core (``start`` as an ISO date)."""
_D = DEFAULTS


@dataclass(frozen=True)
class Generated:
    """The generated data and what was put into it (``storelytics::generator::Generated``)."""

    sales: Sales
    """The line items."""
    products: Any
    """The catalogue: ``id``, ``category``, ``price`` (list price) and ``cost`` per product."""
    anomalies: Any
    """Injected anomalies: ``store``, ``date``, ``kind`` (``spike`` / ``drop``), ``factor``."""
    closed_days: List[dt.date]
    """Days every store is closed (zero sales by design)."""


def generate(
    *,
    seed: int = _D["seed"],
    stores: int = _D["stores"],
    start: DateLike = _D["start"],
    days: int = _D["days"],
    lines: int = _D["lines"],
    customers: int = _D["customers"],
    products: int = _D["products"],
    categories: int = _D["categories"],
    guest_share: float = _D["guest_share"],
    return_rate: float = _D["return_rate"],
    anomalies_per_store: int = _D["anomalies_per_store"],
    yearly_growth: float = _D["yearly_growth"],
    taste_share: float = _D["taste_share"],
    output: Output = "polars",
) -> Generated:
    """Simulates stores in different time zones over a date range, with customers, products,
    weekly / yearly seasonality, holidays, returns and injected anomalies. The same arguments
    give the same data bit for bit on every platform (and the same as the Rust
    ``storelytics::generator::generate`` with the same ``GeneratorConfig``).

    Defaults are ``GeneratorConfig::default()`` (:data:`DEFAULTS`): 3 stores over two years
    from 2023-01-01 with about 100,000 line items; ``customers`` and ``products`` scale with ``lines`` when 0.
    ``taste_share`` is the share of a customer's picks drawn from their two favourite categories.

    >>> g = generate(lines=5_000)
    >>> len(g.sales) > 4_000
    True
    """
    check_output(output)
    counts = dict(
        seed=seed,
        stores=stores,
        days=days,
        lines=lines,
        customers=customers,
        products=products,
        categories=categories,
        anomalies_per_store=anomalies_per_store,
    )
    for name, value in counts.items():
        limit = 2**64 if name == "seed" else 2**32 if name == "days" else 2**63
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < limit:
            raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not an int in [0, {limit})")
    for name, value in dict(
        guest_share=guest_share, return_rate=return_rate, yearly_growth=yearly_growth, taste_share=taste_share
    ).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not a number")
    native, labels_json = _native.generate_native(
        seed=seed,
        stores=stores,
        start=_date("start", start).isoformat(),
        days=days,
        lines=lines,
        customers=customers,
        products=products,
        categories=categories,
        guest_share=guest_share,
        return_rate=return_rate,
        anomalies_per_store=anomalies_per_store,
        yearly_growth=yearly_growth,
        taste_share=taste_share,
    )
    labels = json.loads(labels_json)
    prods = labels["products"]
    anomalies = [{**a, "date": dt.date.fromisoformat(a["date"])} for a in labels["anomalies"]]
    return Generated(
        sales=Sales._wrap(native),
        products=frame(
            prods,
            {"id": id_dtype([p["id"] for p in prods]), "category": pl.String, "price": pl.Float64, "cost": pl.Float64},
            output,
        ),
        anomalies=frame(
            anomalies,
            {
                "store": id_dtype([a["store"] for a in anomalies]),
                "date": pl.Date,
                "kind": pl.String,
                "factor": pl.Float64,
            },
            output,
        ),
        closed_days=[dt.date.fromisoformat(d) for d in labels["closed_days"]],
    )
