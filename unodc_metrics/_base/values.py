"""One reading of a single value, shared by every layer: is it missing, and how is it shown.

Engines hand back missing values in their own way (None, NaN, NaT, pandas' NA); these
functions treat them all alike, without importing pandas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["KINDS", "KIND_WORDS", "as_text", "is_missing", "kind_of"]

KINDS = ("integer", "number", "boolean", "date", "string")
"""The kinds of values a column holds, whatever its engine's dtype."""

KIND_WORDS = {
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "date": "date, YYYY-MM-DD",
    "string": "text",
}
"""Each kind in words, as messages and the documentation name it."""


def kind_of(pandas_dtype: str) -> str:
    """The kind of a schema's pandas dtype (``Int64``, ``Float64``, ``bool``, ``string``,
    ``datetime64[ns]``).

    Examples:
        >>> kind_of("Int64"), kind_of("datetime64[ns]"), kind_of("bool")
        ('integer', 'date', 'boolean')
    """
    if pandas_dtype.startswith("datetime"):
        return "date"
    if pandas_dtype.startswith(("string", "str")):
        return "string"
    if pandas_dtype in ("bool", "boolean"):
        return "boolean"
    if pandas_dtype.startswith("Int"):
        return "integer"
    if pandas_dtype.startswith("Float"):
        return "number"
    raise NotImplementedError(f"no kind of value for the dtype {pandas_dtype!r}")


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA; false for anything else, lists included.

    Examples:
        >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing([None])
        (True, True, False, False)
    """
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        # pandas.NA refuses to be a truth value; so does an array, which is not missing.
        return type(value).__name__ == "NAType"


def as_text(value: Any) -> str:
    """A value as a failure shows it: ``<missing>`` when missing, dates as ISO dates.

    Examples:
        >>> as_text(None), as_text(dt.datetime(2021, 2, 3, 0, 0)), as_text(17)
        ('<missing>', '2021-02-03', '17')
    """
    if is_missing(value):
        return "<missing>"
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
