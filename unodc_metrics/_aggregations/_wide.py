"""The breakdown by sex of a figure table in the wide shape, as gender_breakdown and
trainees_per_initiative run it: which rows count, on which basis, and the sums."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import (
    COUNTED,
    NESTED,
    OUTSIDE,
    WHY,
    by_columns,
    needed,
    wide_input,
)
from unodc_metrics._aggregations._lift import lift_sexes, rescue_sexes, with_parts_floor
from unodc_metrics._aggregations._periods import Within, basis, inside, within_dates
from unodc_metrics._aggregations._sex import SEX_USED, sex_breakdown

__all__ = ["SEX_TABLES", "wide_breakdown"]

SEX_TABLES = ("trainings", "rescues")
"""The figure tables with counts by sex: in columns (trainings) or in nested rows (rescues)."""


def wide_breakdown(
    df: Any,
    table: str,
    by: str | Sequence[str] | None,
    unknown: str,
    *,
    within: Within | None,
    validate: bool,
    want_excluded: bool,
    coverage: bool = False,
) -> tuple[Any, Any]:
    """The breakdown by sex of ``df``, a frame of ``table``, per ``by`` group and basis.

    Figures for a period, "to date" (``cumulative``) and "as at" a date (``stock``) are never
    added together: ``basis`` is always a group. In ``rescues``, so is ``status``.
    """
    bounds = within_dates(within)
    frame, like = wide_input(df, table, validate)
    keys = by_columns(by, frame)
    frame = with_parts_floor(frame)
    if table == "rescues":
        keys = list(dict.fromkeys(["status", *keys]))
        frame = rescue_sexes(frame)
    frame = lift_sexes(needed(frame, keys, SEX_USED))
    why = nw.when(~nw.col("part_of").is_null()).then(nw.lit(NESTED))
    if bounds is not None:
        why = why.when(~inside(bounds)).then(nw.lit(OUTSIDE))
    frame = frame.with_columns(
        why.otherwise(nw.lit(COUNTED)).cast(nw.Int64).alias(WHY),
        basis().cast(nw.String).alias("__basis"),
    )
    return sex_breakdown(
        frame,
        like,
        keys,
        unknown,
        table,
        extra_keys={"basis": "__basis"},
        coverage=coverage,
        want_excluded=want_excluded,
    )
