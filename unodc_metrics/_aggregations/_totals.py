"""Totals, qualifiers and bounds: how the qualifiers of the rows summed carry through."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import key_of
from unodc_metrics._aggregations._groups import SIZE, excluded_summary
from unodc_metrics._aggregations._overlaps import Overlaps
from unodc_metrics._aggregations._periods import outside_summary

__all__ = [
    "TOTAL_COUNTS",
    "TOTAL_SPEC",
    "Listed",
    "ratio",
    "total_rows",
    "total_summary",
    "total_terms",
]

TOTAL_COUNTS = {"__bounded": "__t_high"}
"""Counts of present values over the counted rows: a group is unbounded where any is missing."""

TOTAL_SPEC = {
    "total": "int",
    "qualifier": "str",
    "total_low": "int",
    "total_high": "int",
    "total_status": "str",
    "overlaps": "str",
}
"""The output columns of :func:`total_summary`, and their kinds."""


def total_terms() -> dict[str, str | nw.Expr]:
    """What each counted row adds to its group's total and bounds (over the per-row columns
    of :mod:`._rows`), and to ``__size``, which guards the sums against overflow."""
    return {
        "__total": "__t",
        "__total_low": "__t_low",
        "__total_high": "__t_high",  # used only where every row summed has one
        "__inexact": (nw.col("qualifier") != "exact").cast(nw.Int64),
        SIZE: nw.max_horizontal(nw.col("__t"), nw.col("__t_high")).cast(nw.Float64),
    }


def total_summary(rec: Mapping[str, Any], overlaps: Overlaps | None = None) -> dict[str, Any]:
    """total, qualifier, total_low, total_high, total_status and overlaps of one output row.

    Rows that may overlap make the total a range: ``total`` is missing, ``total_low`` counts
    only what must be distinct, ``total_high`` all of it, and ``overlaps`` names the rows.
    """
    if int(rec["__rows"]) == 0:
        return dict.fromkeys(TOTAL_SPEC)
    unbounded = int(rec["__unbounded"]) > 0
    high = None if unbounded else int(rec["__total_high"])
    if overlaps is not None:
        return {
            "total": None,
            "qualifier": "at_least" if unbounded else "range",
            "total_low": int(rec["__total_low"]) - overlaps.less["__t_low"],
            "total_high": high,
            "total_status": "bounded",
            "overlaps": overlaps.text(),
        }
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
        "total_high": high,
        "total_status": "stated" if qualifier == "exact" else "bounded",
        "overlaps": None,
    }


def ratio(part: float | None, whole: float | None) -> float | None:
    """``part / whole``; None where either is missing or the whole is 0."""
    return None if part is None or not whole else part / whole


Listed = Mapping[tuple[Any, ...], list[dict[str, Any]]]
"""Rows listed by group key, as :func:`._groups.listed_rows` gives them."""


def total_rows(
    records: Sequence[Mapping[str, Any]],
    group: Sequence[str],
    found: tuple[Listed, Mapping[tuple[Any, ...], Overlaps], Listed],
    place: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The output rows of a sum of totals, and the rows left out, from its groups' sums.

    ``found`` holds, by group key, the rows left out, the rows that may overlap and the rows
    outside the reporting period; ``place`` gives a group's own columns (its keys, and its
    years). Each output row is ``place`` then :func:`total_summary`, the outside-period
    columns and the excluded ones; each row left out is ``place`` then its id and reason.
    """
    excluded, overlaps, outside = found
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        key = key_of(rec, group)
        listed = excluded.get(key, [])
        where = place(rec)
        row = {**where, **total_summary(rec, overlaps.get(key))}
        row.update(outside_summary(rec, outside.get(key, [])))
        out_rows.append({**row, **excluded_summary(rec, listed)})
        ex_rows.extend({**where, **item} for item in listed)
    return out_rows, ex_rows
