"""trainees_per_initiative: the persons each initiative trained, by sex, period apart from
"to date"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

import narwhals as nw

from unodc_metrics._aggregations._common import (
    COUNTED,
    NESTED,
    WHY,
    FrameT,
    UnknownSex,
    check_unknown,
    needed,
    wide_input,
)
from unodc_metrics._aggregations._sex import SEX_USED, sex_breakdown
from unodc_metrics._base.engines import quietly
from unodc_metrics._tables import load

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["trainees_per_initiative"]

_PERIOD_BASIS = {"cumulative": "cumulative", "stock": "stock"}
"""Period kinds kept apart; every other kind is a 'period' figure."""


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> pd.DataFrame: ...


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


@quietly
def trainees_per_initiative(
    df: FrameT | None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: bool = False,
    validate: bool = True,
) -> Any:
    """The number of persons each initiative trained, with its breakdown by sex.

    Figures for a period (a year, part of one, a date range, or an unstated period) and
    figures "to date" (``cumulative``) or "as at" a date (``stock``) are kept apart, in the
    column ``basis``, and never summed together: a count "to date" may already hold the
    persons of a period count. Rows without an initiative form the row whose initiative is
    missing. Rows that are ``part_of`` another row are left out and listed.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the ``trainings`` schema; by default the curated
            ``trainings`` table.
        unknown: How shares treat persons of unknown sex; see :func:`gender_breakdown`.
        return_excluded: Also return a frame of the rows left out.
        validate: Validate ``df`` first (the default). Pass False only for a frame that
            has already passed :func:`unodc_metrics.validate` (or, for a lazy frame, whose
            source did): the sums then trust its dtypes and rules, and only the columns they
            read must be present.

    Returns:
        One row per initiative and basis, sorted by initiative (missing last), with
        ``initiative``, ``basis`` (``period``, ``cumulative`` or ``stock``),
        ``period_start`` and ``period_end`` (the first and last day that the summed rows
        cover; missing when any of them leaves it unknown), then the columns of
        :func:`gender_breakdown`. With ``return_excluded=True``, a tuple of that frame and
        the frame of rows left out.

    Raises:
        ValidationError: If ``df`` does not validate against the ``trainings`` schema.
        ValueError: If ``unknown`` is not one of :data:`UNKNOWN_CHOICES`.
        TypeError: If ``df`` is not a frame of a kind listed above.

    Examples:
        >>> from unodc_metrics import trainees_per_initiative
        >>> out = trainees_per_initiative()
        >>> out[["initiative", "basis", "total", "female", "male", "unknown"]]
          initiative       basis  total  female  male  unknown
        0    GLO.ACT  cumulative   1488     553   933        2
        1    GLO.ACT      period     25      25     0        0
        2      GPTIP      period   2776    1138   715      919
        3        NaN      period     97      15     0       82
    """
    check_unknown(unknown)
    frame, like = wide_input(load("trainings") if df is None else df, "trainings", validate)
    frame = needed(frame, ["initiative"], SEX_USED)
    kind = nw.col("period_kind")
    basis = nw.lit("period")
    for period_kind, label in _PERIOD_BASIS.items():
        basis = nw.when(kind == period_kind).then(nw.lit(label)).otherwise(basis)
    nested = nw.when(~nw.col("part_of").is_null()).then(nw.lit(NESTED)).otherwise(nw.lit(COUNTED))
    frame = frame.with_columns(
        basis.cast(nw.String).alias("__basis"), nested.cast(nw.Int64).alias(WHY)
    )
    result, excluded = sex_breakdown(
        frame,
        like,
        ["initiative"],
        unknown,
        "trainings",
        extra_keys={"basis": "__basis"},
        coverage=True,
        want_excluded=return_excluded,
    )
    return (result, excluded) if return_excluded else result
