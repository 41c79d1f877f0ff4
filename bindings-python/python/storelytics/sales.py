"""The sales table every analysis reads: :class:`Sales`."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Union

from storelytics import _native
from storelytics._frames import check_output, to_polars
from storelytics.errors import InvalidParameterError
from storelytics.period import Period, PeriodLike, to_native

Id = Union[int, str]
"""A store, product, customer or order id: an ``int`` or a ``str``."""

CONTRACT_COLUMNS = (
    "order_id",
    "ts",
    "product_id",
    "quantity",
    "unit_price",
    "amount",
    "unit_cost",
    "customer_id",
    "store_id",
    "category",
)
"""The columns of the data contract (the default column names)."""

DEFAULTS: dict = json.loads(_native.sales_defaults_json())
"""The core defaults of reading a table: ``time_zone`` (of stores without an entry in
``store_time_zones``) and ``money_scale`` (decimal places of money)."""
_TIME_ZONE: str = DEFAULTS["time_zone"]


@dataclass(frozen=True)
class Store:
    """One store (tenant) of a table."""

    id: Id
    """The caller's store id."""
    time_zone: str
    """IANA time zone of the store's calendar buckets."""


def _read_args(
    mapping: Optional[Mapping[str, str]],
    time_zone: str,
    store_time_zones: Optional[Mapping[Id, str]],
    money_scale: Optional[int],
) -> dict:
    if money_scale is not None and (not isinstance(money_scale, int) or isinstance(money_scale, bool)):
        raise InvalidParameterError(f"invalid parameter `money_scale`: {money_scale!r} is not an int")
    return dict(
        mapping=list(dict(mapping).items()) if mapping else None,
        time_zone=time_zone,
        store_time_zones=list(dict(store_time_zones).items()) if store_time_zones else None,
        money_scale=money_scale,
    )


class Sales:
    """A validated, columnar table of sales line items (``storelytics::Sales`` in Rust).

    Build one from a polars, pandas or pyarrow table, or from a CSV / Parquet path. Validation
    is the Rust core's own (the same code reads Rust and Python input), and errors name
    the column and the first offending rows.

    Args:
        data: a ``polars.DataFrame`` / ``LazyFrame``, ``pandas.DataFrame``, ``pyarrow.Table`` /
            ``RecordBatch``, any object with ``__arrow_c_stream__``, or a path to a ``.csv`` or
            ``.parquet`` file.
        mapping: the caller's column names by contract name, e.g.
            ``{"order_id": "InvoiceNo", "customer_id": "CustomerID"}``; unmapped columns use
            the contract names (:data:`CONTRACT_COLUMNS`).
        time_zone: IANA time zone of stores without an entry in ``store_time_zones``
            (default ``DEFAULTS["time_zone"]``, the core's ``"UTC"``).
        store_time_zones: IANA time zone per store id.
        money_scale: decimal places of money (``None``: the core's ``DEFAULTS["money_scale"]``,
            2 = cents).

    Timestamps may be polars ``Datetime`` (an instant; naive values are read as UTC), ``Date``
    (the store's local date) or text (RFC 3339, ``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DD``).

    >>> import polars as pl
    >>> sales = Sales(pl.DataFrame({"order_id": [1, 1], "ts": ["2024-03-01", "2024-03-01"],
    ...     "product_id": ["a", "b"], "quantity": [1.0, 2.0], "unit_price": [10.0, 5.0]}))
    >>> len(sales)
    2
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        data: Any,
        *,
        mapping: Optional[Mapping[str, str]] = None,
        time_zone: str = _TIME_ZONE,
        store_time_zones: Optional[Mapping[Id, str]] = None,
        money_scale: Optional[int] = None,
    ) -> None:
        args = _read_args(mapping, time_zone, store_time_zones, money_scale)
        if isinstance(data, (str, os.PathLike)):
            path = os.fspath(data)
            if path.lower().endswith(".parquet"):
                self._native = _native.Sales.read_parquet(path, **args)
            elif path.lower().endswith(".csv"):
                self._native = _native.Sales.read_csv(path, **args)
            else:
                raise InvalidParameterError(
                    f"invalid parameter `data`: `{path}` is neither a .csv nor a .parquet file "
                    "(use Sales.read_csv / Sales.read_parquet for other names)"
                )
        else:
            self._native = _native.Sales.from_polars(to_polars(data), **args)

    @classmethod
    def _wrap(cls, native: _native.Sales) -> "Sales":
        obj = cls.__new__(cls)
        obj._native = native
        return obj

    @classmethod
    def read_csv(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        mapping: Optional[Mapping[str, str]] = None,
        time_zone: str = _TIME_ZONE,
        store_time_zones: Optional[Mapping[Id, str]] = None,
        money_scale: Optional[int] = None,
    ) -> "Sales":
        """Reads a CSV file with a header row (core's ``read_csv``)."""
        args = _read_args(mapping, time_zone, store_time_zones, money_scale)
        return cls._wrap(_native.Sales.read_csv(os.fspath(path), **args))

    @classmethod
    def read_parquet(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        mapping: Optional[Mapping[str, str]] = None,
        time_zone: str = _TIME_ZONE,
        store_time_zones: Optional[Mapping[Id, str]] = None,
        money_scale: Optional[int] = None,
    ) -> "Sales":
        """Reads a Parquet file (core's ``read_parquet``)."""
        args = _read_args(mapping, time_zone, store_time_zones, money_scale)
        return cls._wrap(_native.Sales.read_parquet(os.fspath(path), **args))

    def __len__(self) -> int:
        """Number of line items."""
        return len(self._native)

    def __repr__(self) -> str:
        r = self.date_range
        span = f"{r.start}..={r.end}" if r else "empty"
        return f"<storelytics.Sales: {len(self)} lines, {len(self.stores)} stores, {span}>"

    @property
    def money_scale(self) -> int:
        """Decimal places of money amounts (2 = cents)."""
        return self._native.money_scale

    @property
    def stores(self) -> List[Store]:
        """The stores, in store-code order, with their time zones."""
        return [Store(s["id"], s["time_zone"]) for s in json.loads(self._native.stores_json())]

    @property
    def date_range(self) -> Optional[Period]:
        """First and last local date with a line, or ``None`` for an empty table."""
        r = self._native.date_range()
        if r is None:
            return None
        return Period(dt.date.fromisoformat(r[0]), dt.date.fromisoformat(r[1]))

    def filter_period(self, period: PeriodLike) -> "Sales":
        """The lines whose store-local date lies in ``period``."""
        p = to_native(period)
        if p is None:
            raise InvalidParameterError("invalid parameter `period`: a period is required")
        return Sales._wrap(self._native.filter_period(*p))

    def for_store(self, store: Id) -> "Sales":
        """The lines of one store; :class:`~storelytics.UnknownIdError` if there is no such store."""
        return Sales._wrap(self._native.for_store(store))

    @property
    def store_time_zones(self) -> Dict[Id, str]:
        """The time zone of every store, as ``Sales(..., store_time_zones=...)`` takes it."""
        return {s.id: s.time_zone for s in self.stores}

    def to_polars(self) -> Any:
        """The line items as a ``polars.DataFrame`` in the data contract (core's
        ``sales::io::to_dataframe``), rows in the table's order (store, timestamp, order).

        Columns: ``order_id``, ``ts`` (``Datetime("us", "UTC")``, the instant of the line),
        ``product_id``, ``quantity``, ``unit_price`` and ``amount`` (line revenue) in major
        units with ``amount_minor`` the exact integer, ``unit_cost`` and ``cost_minor`` (line
        cost) when the table has costs, ``customer_id`` (null for guests), ``store_id`` and
        ``category`` (null when none). Ids keep the caller's values (integer columns when every
        id of the kind is an integer). Reading the frame back with the same time zones and
        money scale gives the same table, so every analysis gives the same results:

        >>> import storelytics as sl
        >>> sales = sl.generate(lines=2_000).sales
        >>> back = sl.Sales(sales.to_polars(), store_time_zones=sales.store_time_zones,
        ...                 money_scale=sales.money_scale)
        >>> sl.kpi_report(back).to_dict() == sl.kpi_report(sales).to_dict()
        True
        """
        return self._native.to_polars()

    def to_pandas(self) -> Any:
        """:meth:`to_polars` as a ``pandas.DataFrame`` with Arrow-backed columns (so integer ids
        with guests stay integers with nulls, not floats; ``ts`` is ``timestamp[us, tz=UTC]``).
        Needs pandas and pyarrow."""
        return self.to_polars().to_pandas(use_pyarrow_extension_array=True)

    def to_arrow(self) -> Any:
        """:meth:`to_polars` as a ``pyarrow.Table`` (needs pyarrow)."""
        return self.to_polars().to_arrow()

    def to_frame(self, output: str = "polars") -> Any:
        """:meth:`to_polars` or :meth:`to_pandas` by ``output`` (``"polars"`` / ``"pandas"``)."""
        return self.to_pandas() if check_output(output) == "pandas" else self.to_polars()
