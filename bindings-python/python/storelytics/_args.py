"""Checks of Python arguments before they reach the native module, so a wrong type raises
:class:`~storelytics.InvalidParameterError` naming the parameter (not a ``TypeError`` from the
conversion). Ranges are checked by the Rust core. Internal."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional, Sequence

from storelytics.errors import InvalidParameterError

U64 = 2**64
"""Exclusive upper bound of unsigned 64-bit arguments (``u64``, ``usize``)."""


def _bad(name: str, value: Any, what: str) -> InvalidParameterError:
    return InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not {what}")


def integer(name: str, value: Any, minimum: int = 0, limit: int = U64) -> int:
    """An ``int`` (not a ``bool``) in ``[minimum, limit)``."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value < limit:
        raise _bad(name, value, f"an int in [{minimum}, {limit})")
    return value


def opt_integer(name: str, value: Any, minimum: int = 0, limit: int = U64) -> Optional[int]:
    """``None`` or :func:`integer`."""
    return None if value is None else integer(name, value, minimum, limit)


def number(name: str, value: Any) -> float:
    """An ``int`` or ``float`` (not a ``bool``) as a float; NaN and infinities pass to core."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(name, value, "a number")
    return float(value)


def boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(name, value, "a bool")
    return value


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not one of {', '.join(allowed)}")
    return value


def date_text(name: str, value: Any) -> Optional[str]:
    """``None``, a ``datetime.date`` or ISO text, as ISO text (core parses and checks it)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise _bad(name, value, "a date or an ISO date text (YYYY-MM-DD)")
