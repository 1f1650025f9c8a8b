"""Totals, qualifiers and bounds: how the qualifiers of the rows summed carry through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals as nw

__all__ = ["TOTAL_COUNTS", "TOTAL_SPEC", "ratio", "total_summary", "total_terms"]

TOTAL_COUNTS = {"__bounded": "value_high"}
"""Counts of present values over the counted rows: a group is unbounded where any is missing."""

TOTAL_SPEC = {"total": "int", "qualifier": "str", "total_low": "int", "total_high": "int"}
"""The output columns of :func:`total_summary`, and their kinds."""


def total_terms() -> dict[str, str | nw.Expr]:
    """What each counted row adds to its group's total and bounds."""
    return {
        "__total": "value",
        "__total_low": "value_low",
        "__total_high": "value_high",  # used only where every row summed has one
        "__inexact": (nw.col("qualifier") != "exact").cast(nw.Int64),
    }


def total_summary(rec: Mapping[str, Any]) -> dict[str, Any]:
    """total, qualifier, total_low and total_high of one output row."""
    if int(rec["__rows"]) == 0:
        return dict.fromkeys(TOTAL_SPEC)
    unbounded = int(rec["__unbounded"]) > 0
    if int(rec["__inexact"]) == 0:
        qualifier = "exact"
    elif unbounded:
        qualifier = "at_least"
    else:
        qualifier = "approximately"
    return {
        "total": int(rec["__total"]),
        "qualifier": qualifier,
        "total_low": int(rec["__total_low"]),
        "total_high": None if unbounded else int(rec["__total_high"]),
    }


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``; None where the whole is 0."""
    return None if whole == 0 else part / whole
