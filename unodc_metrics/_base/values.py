"""One reading of a single value, shared by every layer: is it missing, and how is it shown.

Engines hand back missing values in their own way (None, NaN, NaT, pandas' NA); these
functions treat them all alike, without importing pandas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["as_text", "is_missing"]


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
