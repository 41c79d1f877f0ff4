"""KPIs of a period, overall and per store, compared with another period: :func:`kpi_report`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from storelytics import _native
from storelytics._options import Comparison, Metric
from storelytics.period import Period, PeriodLike, to_native
from storelytics.sales import Id, Sales

_DEFAULTS = json.loads(_native.kpi_defaults_json())
"""The core defaults of ``KpiOptions`` (``kpi_defaults_json``)."""


@dataclass(frozen=True)
class Kpis:
    """The KPIs of one store (or all stores) in one period (``storelytics::kpi::Kpis``).

    Money fields (``gross_revenue``, ``returns``, ``net_revenue``, ``cost``, ``gross_margin``) are
    exact integers in minor units (see :attr:`KpiReport.money_scale`; 2 = cents). Ratios are
    ``None`` when there is nothing to divide by; ``cost``, ``gross_margin`` and ``margin_pct``
    are ``None`` without cost data.
    """

    gross_revenue: int
    """Revenue of sale lines (minor units)."""
    returns: int
    """Revenue of return lines, positive (minor units)."""
    net_revenue: int
    """Gross revenue − returns (minor units)."""
    cost: Optional[int]
    """Cost of goods, returns subtracting (minor units)."""
    gross_margin: Optional[int]
    """Net revenue − cost (minor units)."""
    margin_pct: Optional[float]
    """Gross margin / net revenue × 100."""
    orders: int
    """Distinct orders with a sale line."""
    units: float
    """Units sold."""
    returned_units: float
    """Units returned."""
    avg_order_value: Optional[float]
    """Gross revenue / orders, major units."""
    items_per_order: Optional[float]
    """Units / orders."""
    unique_customers: int
    """Distinct customers with a sale order (guests excluded)."""
    new_customers: int
    """Customers whose first sale in the data is in the period."""
    returning_customers: int
    """Unique − new customers."""
    repeat_rate: Optional[float]
    """Share of unique customers with two or more orders, %."""
    return_rate: Optional[float]
    """Returns / gross revenue × 100."""
    lines: int
    """Line items in the period."""


@dataclass(frozen=True)
class KpiChange:
    """One metric in the current and the comparison period (money in major units)."""

    metric: Metric
    current: Optional[float]
    previous: Optional[float]
    abs_change: Optional[float]
    """``current − previous``."""
    pct_change: Optional[float]
    """``(current − previous) / |previous| × 100``; ``None`` when ``previous`` is 0 or missing."""


@dataclass(frozen=True)
class KpiComparison:
    """KPIs of a period with their comparison."""

    current: Kpis
    previous: Optional[Kpis]
    changes: List[KpiChange]
    """Every metric with absolute and % change (empty without comparison)."""

    def change(self, metric: Metric) -> Optional[KpiChange]:
        """The change of one metric."""
        return next((c for c in self.changes if c.metric == metric), None)


@dataclass(frozen=True)
class StoreKpis:
    """KPIs of one store."""

    store: Id
    kpis: KpiComparison


@dataclass(frozen=True)
class KpiReport:
    """The KPI report (``storelytics::kpi::KpiReport``): all stores together and each store."""

    period: Period
    comparison_period: Optional[Period]
    money_scale: int
    """Decimal places of the money amounts."""
    overall: KpiComparison
    """All stores together; a customer who bought in two stores counts once."""
    stores: List[StoreKpis]
    """Each store; new customers are new to that store."""
    _raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """The report as the plain dict of the core's JSON (the shape of the golden files)."""
        return json.loads(json.dumps(self._raw))

    def major(self, minor_units: Optional[int]) -> Optional[float]:
        """A money amount of this report in major units (e.g. cents → currency units)."""
        return None if minor_units is None else minor_units / 10**self.money_scale


def _kpis(d: Optional[Dict[str, Any]]) -> Optional[Kpis]:
    return None if d is None else Kpis(**d)


def _comparison(d: Dict[str, Any]) -> KpiComparison:
    current = _kpis(d["current"])
    assert current is not None
    return KpiComparison(current, _kpis(d["previous"]), [KpiChange(**c) for c in d["changes"]])


def kpi_report(
    sales: Sales,
    *,
    period: Optional[PeriodLike] = None,
    comparison: Comparison = _DEFAULTS["comparison"],
) -> KpiReport:
    """KPIs of a period, overall and per store, with the comparison period's KPIs and changes.

    Args:
        sales: the table.
        period: default the whole date range of the data.
        comparison: ``"previous_period"`` (default; the period of equal length right before),
            ``"same_period_last_year"`` or ``"none"``.

    >>> import polars as pl
    >>> sales = Sales(pl.DataFrame({"order_id": [1, 1, 2], "ts": ["2024-03-01", "2024-03-01", "2024-03-02"],
    ...     "product_id": ["a", "b", "a"], "quantity": [1.0, 2.0, 1.0], "unit_price": [10.0, 5.0, 10.0]}))
    >>> r = kpi_report(sales)
    >>> r.overall.current.gross_revenue, r.overall.current.orders, r.overall.current.avg_order_value
    (3000, 2, 15.0)
    """
    raw = json.loads(_native.kpi_report_json(sales._native, period=to_native(period), comparison=comparison))
    cp = raw["comparison_period"]
    return KpiReport(
        period=Period.from_dict(raw["period"]),
        comparison_period=None if cp is None else Period.from_dict(cp),
        money_scale=raw["money_scale"],
        overall=_comparison(raw["overall"]),
        stores=[StoreKpis(s["store"], _comparison(s["kpis"])) for s in raw["stores"]],
        _raw=raw,
    )
