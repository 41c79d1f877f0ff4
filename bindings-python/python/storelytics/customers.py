"""Customer analytics: RFM scores, segments and the segment summary (:func:`rfm`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

import polars as pl

from storelytics import _native
from storelytics._frames import Output, check_output, frame, id_dtype
from storelytics.errors import InvalidParameterError
from storelytics.sales import Sales

DateLike = Union[dt.date, str]


def _rfm_schema(ids: Any) -> Dict[str, Any]:
    return {
        "store": ids[0],
        "customer": ids[1],
        "recency_days": pl.Int64,
        "frequency": pl.Int64,
        "monetary_minor": pl.Int64,
        "monetary": pl.Float64,
        "first_purchase": pl.Date,
        "last_purchase": pl.Date,
        "tenure_days": pl.Int64,
        "average_order_value": pl.Float64,
        "recency_score": pl.Int64,
        "frequency_score": pl.Int64,
        "monetary_score": pl.Int64,
        "segment": pl.String,
    }


def _summary_schema(store: Any) -> Dict[str, Any]:
    return {
        "store": store,
        "segment": pl.String,
        "customers": pl.Int64,
        "customer_share": pl.Float64,
        "net_revenue_minor": pl.Int64,
        "net_revenue": pl.Float64,
        "revenue_share": pl.Float64,
        "mean_recency_days": pl.Float64,
        "mean_frequency": pl.Float64,
        "mean_monetary": pl.Float64,
    }


@dataclass(frozen=True)
class RfmResult:
    """RFM of every (store, customer) (``storelytics::customers::RfmTable``).

    ``table`` has one row per (store, customer) with ``recency_days``, ``frequency``,
    ``monetary`` (net revenue, major units; ``monetary_minor`` exact), ``first_purchase``,
    ``last_purchase``, ``tenure_days``, ``average_order_value``, the three scores (1..bins) and
    ``segment``. ``summary`` is ``RfmTable::segment_summary``: per store and segment the
    customers, their share, net revenue and its share, and mean recency / frequency / monetary.
    ``stores`` lists per store its ``as_of`` date, customers, return-only customers and net
    revenue.
    """

    table: Any
    summary: Any
    stores: List[Dict[str, Any]]
    bins: int
    money_scale: int
    notes: List[str]
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON: ``table`` (the ``RfmTable``) and ``summary``."""
        return json.loads(json.dumps(self._raw))


def rfm(sales: Sales, *, as_of: Optional[DateLike] = None, bins: int = 5, output: Output = "polars") -> RfmResult:
    """Recency, frequency and monetary value per (store, customer), quantile scores and the
    ten named R/F segments (``storelytics::customers::rfm`` with ``RfmOptions``: recency at
    each store's last sale date unless ``as_of`` is given, 5 bins).

    Scores are pandas ``qcut(x.rank(method="first"), bins)`` within each store (recency
    reversed), rows in ascending customer id order per store.
    """
    check_output(output)
    if isinstance(bins, bool) or not isinstance(bins, int) or not 0 <= bins <= 255:
        raise InvalidParameterError(f"invalid parameter `bins`: {bins!r} is not an int between 2 and 10")
    as_of_text = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    raw = json.loads(_native.rfm_json(sales._native, as_of=as_of_text, bins=bins))
    table = raw["table"]
    rows = [
        {
            **r,
            "first_purchase": dt.date.fromisoformat(r["first_purchase"]),
            "last_purchase": dt.date.fromisoformat(r["last_purchase"]),
        }
        for r in table["rows"]
    ]
    store_t = id_dtype([r["store"] for r in table["rows"]])
    customer_t = id_dtype([r["customer"] for r in table["rows"]])
    summary_store_t = id_dtype([s["store"] for s in raw["summary"]])
    return RfmResult(
        table=frame(rows, _rfm_schema((store_t, customer_t)), output),
        summary=frame(raw["summary"], _summary_schema(summary_store_t), output),
        stores=[{**s, "as_of": dt.date.fromisoformat(s["as_of"])} for s in table["stores"]],
        bins=table["bins"],
        money_scale=table["money_scale"],
        notes=list(table["notes"]),
        _raw=raw,
    )
