"""Periods: inclusive ranges of store-local calendar dates."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from storelytics.errors import InvalidParameterError

DateLike = Union[dt.date, str]
"""A date, or its ISO text ``YYYY-MM-DD``."""


@dataclass(frozen=True)
class Period:
    """The local dates ``start..=end`` (both inclusive), as ``storelytics::Period`` in Rust.

    >>> Period.month(2024, 2).end
    datetime.date(2024, 2, 29)
    """

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidParameterError(f"invalid parameter `period`: end {self.end} is before start {self.start}")

    @classmethod
    def day(cls, date: DateLike) -> "Period":
        """One day."""
        d = _date("period", date)
        return cls(d, d)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        """A calendar month."""
        if not 1 <= month <= 12:
            raise InvalidParameterError(f"invalid parameter `month`: {year}-{month} is not a valid month")
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year(cls, year: int) -> "Period":
        """A calendar year."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def last_days(cls, end: DateLike, n: int) -> "Period":
        """The ``n`` days that end with ``end`` (inclusive)."""
        if n < 1:
            raise InvalidParameterError("invalid parameter `days`: must be at least 1")
        e = _date("period", end)
        return cls(e - dt.timedelta(days=n - 1), e)

    @property
    def len_days(self) -> int:
        """Number of days."""
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict:
        """``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}`` as in the core's JSON."""
        return {"end": self.end.isoformat(), "start": self.start.isoformat()}

    @classmethod
    def from_dict(cls, d: dict) -> "Period":
        return cls(dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"]))


PeriodLike = Union[Period, Tuple[DateLike, DateLike]]
"""A :class:`Period` or a ``(start, end)`` pair of dates or ISO texts (inclusive)."""


def _date(name: str, value: DateLike) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidParameterError(f"invalid parameter `{name}`: `{value}` is not a date (YYYY-MM-DD)")


def to_native(value: Optional[PeriodLike], name: str = "period") -> Optional[Tuple[str, str]]:
    """The (start, end) ISO pair the native module takes."""
    if value is None:
        return None
    if isinstance(value, Period):
        return value.start.isoformat(), value.end.isoformat()
    try:
        start, end = value
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"invalid parameter `{name}`: expected a Period or a (start, end) pair, got {value!r}"
        ) from None
    return _date(name, start).isoformat(), _date(name, end).isoformat()
