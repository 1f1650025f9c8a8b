"""Periods made explicit: ``within=(start, end)`` leaves out every row whose period is not
wholly inside, and without it the rows flagged as outside the reporting period are counted
and named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY
from unodc_metrics._aggregations._groups import EXCLUDED_LISTED, listed_rows

__all__ = [
    "OUTSIDE_SPEC",
    "OUTSIDE_TERMS",
    "Within",
    "basis",
    "inside",
    "outside_listed",
    "outside_summary",
    "outside_term",
    "within_dates",
]

Within = tuple[dt.date | str, dt.date | str]
"""A period as a pair of its first and last day: dates, or ISO texts (``"2020-10-01"``)."""

_FLAG = "outside_reporting_period"

OUTSIDE_TERMS = "__outside"
"""What a counted row flagged as outside the reporting period adds to its group."""

OUTSIDE_SPEC = {"outside_period": "str", "outside_period_total": "int"}
"""The output columns that name the counted rows flagged as outside the reporting period."""


def within_dates(within: Within | None) -> tuple[dt.datetime, dt.datetime] | None:
    """``within`` as the first and last instant it holds; a malformed one is refused."""
    if within is None:
        return None
    if not isinstance(within, tuple | list) or len(within) != 2:
        raise ValueError(
            "within must be a pair (start, end) of dates, such as um.REPORTING_PERIOD; "
            f"got {within!r}"
        )
    start, end = (_date(v) for v in within)
    if start > end:
        raise ValueError(f"within starts after it ends: {start} is after {end}")
    return (
        dt.datetime.combine(start, dt.time()),
        dt.datetime.combine(end, dt.time(23, 59, 59, 999999)),
    )


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(
        f"each end of within must be a date or an ISO date text (YYYY-MM-DD); got {value!r}"
    )


def inside(bounds: tuple[dt.datetime, dt.datetime]) -> nw.Expr:
    """True where a row's whole period lies within ``bounds``; false where either end of
    the period is unknown (nothing shows that it lies within)."""
    start, end = nw.col("period_start"), nw.col("period_end")
    known = ~start.is_null() & ~end.is_null()
    return (known & (start >= nw.lit(bounds[0])) & (end <= nw.lit(bounds[1]))).fill_null(False)


_BASES = ("cumulative", "stock")
"""Period kinds kept apart from the others, which are all ``period`` figures."""


def basis() -> nw.Expr:
    """A row's basis: ``cumulative`` ("to date"), ``stock`` ("as at") or ``period``; figures
    of different bases are never added together."""
    kind = nw.col("period_kind")
    out = nw.lit("period")
    for name in _BASES:
        out = nw.when(kind == name).then(nw.lit(name)).otherwise(out)
    return out


def flagged() -> nw.Expr:
    """True where a row's flags mark it as outside the reporting period."""
    return nw.col("flags").fill_null("").str.contains(_FLAG)


def outside_term() -> dict[str, nw.Expr]:
    return {OUTSIDE_TERMS: nw.when(flagged()).then(nw.col("__t")).otherwise(0)}


def outside_listed(
    frame: nw.LazyFrame[Any], group: Sequence[str]
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The counted rows flagged as outside the reporting period, by group, with their totals."""
    where = (nw.col(WHY) == COUNTED) & flagged()
    return listed_rows(frame, where, group, ["__t"], EXCLUDED_LISTED)


def outside_summary(rec: Mapping[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
    """``outside_period`` (the ids and totals of the counted rows flagged as outside the
    reporting period) and ``outside_period_total`` (how much of the total they make)."""
    if int(rec["__rows"]) == 0:
        return dict.fromkeys(OUTSIDE_SPEC)
    text = ", ".join(f"{item['id']} ({int(item['__t']):,})" for item in listed)
    return {"outside_period": text or None, "outside_period_total": int(rec[OUTSIDE_TERMS])}
