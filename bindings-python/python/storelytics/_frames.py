"""Conversions between the caller's tables and polars (input) and to the requested frame
library (output). Internal."""

from __future__ import annotations

from typing import Any, Literal, Sequence

import polars as pl

from storelytics.errors import InvalidParameterError, SchemaError

Output = Literal["polars", "pandas"]


def to_polars(data: Any) -> pl.DataFrame:
    """A polars DataFrame from a polars, pandas or pyarrow table (or anything that exports the
    Arrow PyCapsule stream interface)."""
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    module = type(data).__module__.split(".")[0]
    try:
        if module == "pandas":
            return pl.from_pandas(data)
        if module == "pyarrow":
            frame = pl.from_arrow(data)
            if isinstance(frame, pl.Series):
                raise SchemaError(f"expected a table, got a single pyarrow array ({type(data).__name__})")
            return frame
        if hasattr(data, "__arrow_c_stream__"):
            return pl.DataFrame(data)
    except SchemaError:
        raise
    except Exception as e:  # the converters raise their own types (ArrowInvalid, TypeError, ...)
        raise SchemaError(f"cannot convert the {module} table to polars: {e}") from e
    raise SchemaError(
        f"cannot read sales from {type(data).__name__}: pass a polars, pandas or pyarrow table, "
        "or a CSV / Parquet path"
    )


def check_output(output: str) -> Output:
    if output not in ("polars", "pandas"):
        raise InvalidParameterError(f"invalid parameter `output`: `{output}` is not one of polars, pandas")
    return output  # type: ignore[return-value]


def frame(rows: Sequence[dict[str, Any]], schema: dict[str, Any], output: Output) -> Any:
    """A frame of `rows` with a fixed schema (so empty results keep their columns)."""
    df = pl.DataFrame(list(rows), schema=schema) if rows else pl.DataFrame(schema=schema)
    if output == "pandas":
        return df.to_pandas()
    return df


def id_dtype(values: Sequence[Any]) -> Any:
    """polars type of an id column: Int64 when every id is an int, String otherwise."""
    return pl.Int64 if all(isinstance(v, int) for v in values) else pl.String
