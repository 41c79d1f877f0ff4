"""Exceptions raised by storelytics.

Every exception derives from :class:`StorelyticsError`; there is one subclass per kind of
problem the Rust core reports (``Error::kind()``). The message is the core's message and names
the column and first offending rows, or the parameter, at fault.

==========================  ===================  ==================================================
class                       core kind            raised when
==========================  ===================  ==================================================
``SchemaError``             ``schema``           the table does not fit the data contract: missing
                                                 column, wrong type, nulls in a required column,
                                                 NaN/inf, unparseable timestamp, inconsistent order
``InvalidParameterError``   ``invalid_parameter`` an argument is out of range, an unknown metric /
                                                 granularity name, a time zone that is not IANA
``InsufficientDataError``   ``insufficient_data`` not enough data for the analysis
``UnknownIdError``          ``unknown_id``       a store / product / customer id not in the data
``NumericalError``          ``numerical``        a numerical procedure failed to converge
``StorelyticsIOError``      ``io``               a CSV / Parquet file cannot be read
==========================  ===================  ==================================================

An internal failure (a bug in storelytics) raises the base class ``StorelyticsError`` with a
message that starts with ``internal error``; it never crashes the interpreter.
"""

from storelytics._native import (
    InsufficientDataError,
    InvalidParameterError,
    NumericalError,
    SchemaError,
    StorelyticsError,
    StorelyticsIOError,
    UnknownIdError,
)

__all__ = [
    "StorelyticsError",
    "SchemaError",
    "InvalidParameterError",
    "InsufficientDataError",
    "UnknownIdError",
    "NumericalError",
    "StorelyticsIOError",
]
