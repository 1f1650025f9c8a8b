"""trainees_per_initiative: the persons each initiative trained, by sex, period apart from
"to date"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from unodc_metrics._aggregations._common import FrameT, UnknownSex, check_unknown
from unodc_metrics._aggregations._periods import Within
from unodc_metrics._aggregations._wide import wide_breakdown
from unodc_metrics._base.engines import quietly
from unodc_metrics._tables import load

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["trainees_per_initiative"]


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    within: Within | None = None,
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> pd.DataFrame: ...


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    within: Within | None = None,
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    within: Within | None = None,
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    within: Within | None = None,
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


@quietly
def trainees_per_initiative(
    df: FrameT | None = None,
    *,
    unknown: UnknownSex = "separate",
    within: Within | None = None,
    return_excluded: bool = False,
    validate: bool = True,
) -> Any:
    """The number of persons each initiative trained, with its breakdown by sex.

    Figures for a period (a year, part of one, a date range, or an unstated period) and
    figures "to date" (``cumulative``) or "as at" a date (``stock``) are kept apart, in the
    column ``basis``, and never summed together: a count "to date" may already hold the
    persons of a period count. A row without an initiative is not lumped with the others:
    it is its own output row, named by ``row`` (its id) and ``description``. Rows that may
    count the same persons (``may_overlap``) make their group a range; rows that are
    ``part_of`` another row are left out and listed.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the ``trainings`` schema; by default the curated
            ``trainings`` table.
        unknown: How shares treat persons of unknown sex; see :func:`gender_breakdown`.
        within: A period ``(start, end)``, such as ``um.REPORTING_PERIOD``: rows whose period
            is not wholly inside are left out and listed.
        return_excluded: Also return a frame of the rows left out.
        validate: Validate ``df`` first (the default). Pass False only for a frame that
            has already passed :func:`unodc_metrics.validate` (or, for a lazy frame, whose
            source did): the sums then trust its dtypes and rules, and only the columns they
            read must be present.

    Returns:
        One row per initiative and basis (and per row without an initiative), sorted by
        initiative (missing last), with ``initiative``, ``basis`` (``period``,
        ``cumulative`` or ``stock``), ``row`` and ``description``,
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
        >>> out[["initiative", "row", "basis", "total", "female", "male", "unknown"]]
          initiative      row       basis  total  female  male  unknown
        0    GLO.ACT      NaN  cumulative   1488     553   933        2
        1    GLO.ACT      NaN      period     25      25  <NA>        0
        2      GPTIP      NaN      period   2776    1138   715      919
        3        NaN  TRN-52a      period     35    <NA>  <NA>       35
        4        NaN  TRN-68a      period     62      15  <NA>       47
    """
    check_unknown(unknown)
    result, excluded = wide_breakdown(
        load("trainings") if df is None else df,
        "trainings",
        "initiative",
        unknown,
        within=within,
        validate=validate,
        want_excluded=return_excluded,
        coverage=True,
    )
    return (result, excluded) if return_excluded else result
