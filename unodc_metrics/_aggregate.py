"""Sums over the figure tables that keep what the report says about each figure.

The three functions here add up figures without losing the report's caveats: persons of
unknown sex, qualified numbers ("at least 49"), periods that are not years, figures "to
date", and rows nested in other rows. Each one:

- accepts a pandas or a polars DataFrame in the shape of a table (the curated tables, or a
  user's own records), validates it (pandas through :func:`unodc_metrics.validate`, polars
  through pandera's polars backend) and raises :class:`unodc_metrics.ValidationError`
  listing every failure; ``validate=False`` skips that for a frame already validated;
- on the wide shape also accepts a lazy frame (a polars LazyFrame, a DuckDB relation, a Dask
  or a PySpark DataFrame): it is validated in its engine
  (:func:`unodc_metrics._engines.validate_lazy`), the sums run in the engine, and the
  result, one row per group, comes back as the engine's own kind (see ``docs/scale.md``);
- :func:`gender_breakdown` and :func:`totals_by_year` also accept the long shape of a GLOTIP
  download (:func:`unodc_metrics.read_glotip`'s table, ``table="glotip"``), where censored
  counts (``<5``) become bounds; their docstrings say how parts are matched to totals;
- never changes its input, and returns a new tidy frame of the caller's kind;
- never adds a row that is ``part_of`` another row to anything: only wholes are summed;
- says which rows it left out and why: the columns ``rows_excluded`` and ``excluded`` on each
  output row, and, with ``return_excluded=True``, a second frame with one row per row left
  out (its group, ``id`` and ``reason``);
- carries qualifiers through the sums as bounds: ``total_low`` is the sum of ``value_low``,
  ``total_high`` the sum of ``value_high`` (missing when any row is unbounded), and the
  output ``qualifier`` is ``exact`` when every row summed is exact, ``at_least`` when some row
  has no upper bound, and ``approximately`` otherwise (a bounded range);
- refuses to sum a measure that the ``measures`` registry marks as not additive.

An output row whose group holds only rows left out has ``rows`` 0 and missing sums: nothing
was summed for it, which is not the same as a sum of zero.

The code is written once against narwhals, so every engine gives the same numbers.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from unodc_metrics._errors import ValidationError

if TYPE_CHECKING:
    import dask.dataframe as dd
    import duckdb
    import narwhals as nw
    import pandas as pd
    import pandera.polars as pap
    import polars as pl
    import pyspark.sql

__all__ = [
    "UNKNOWN_CHOICES",
    "UnknownSex",
    "gender_breakdown",
    "polars_schema",
    "totals_by_year",
    "trainees_per_initiative",
    "validate_polars",
]

FrameT = TypeVar(
    "FrameT",
    "pd.DataFrame",
    "pl.DataFrame",
    "pl.LazyFrame",
    "duckdb.DuckDBPyRelation",
    "dd.DataFrame",
    "pyspark.sql.DataFrame",
)
"""A pandas or polars DataFrame, or a lazy frame of polars, DuckDB, Dask or PySpark: each
function returns the kind it was given."""

UnknownSex = Literal["separate", "known_only", "proportional", "bounds"]
UNKNOWN_CHOICES: tuple[str, ...] = ("separate", "known_only", "proportional", "bounds")
"""The ways :func:`gender_breakdown` can treat persons of unknown sex."""

# Why a row is left out of a sum. Codes are computed with narwhals; texts are for people.
_COUNTED, _NESTED, _CUMULATIVE, _STOCK, _NO_PERIOD = 0, 1, 2, 3, 4
_REASONS = {
    _NESTED: "part of {part_of}: a part is never added to its whole",
    _CUMULATIVE: "a cumulative ('to date') figure is never put in a year",
    _STOCK: "a stock ('as at') figure is never put in a year",
    _NO_PERIOD: "the start or the end of its period is not known, so no year can hold it",
}

_SEX_COLUMNS = ("female", "male", "other_sex", "unknown_sex")
_PERIOD_BASIS = {"cumulative": "cumulative", "stock": "stock"}
"""trainees_per_initiative: period kinds kept apart; every other kind is a 'period' figure."""

# Internal columns start with two underscores; the schemas are strict, so input never has any.
_KEY = "__key"
_WHY = "__why"

GLOTIP = "glotip"
"""The ``table`` name of the long shape of a GLOTIP download (:func:`read_glotip`'s table)."""

# Why a row of the long shape is left out.
_AGE_PART, _NO_TOTAL, _IN_UNSPLIT, _BREAKDOWN_PART = 11, 12, 13, 14
_GLOTIP_REASONS = {
    _AGE_PART: "a row of an age breakdown (by age group): not a part of the breakdown by sex",
    _NO_TOTAL: "a part by sex in a cell that has no total: nothing says what it is a part of",
    _IN_UNSPLIT: (
        "unknown sex and age in a cell with no part by sex: its persons are already in the "
        "cell's total, which counts wholly as unknown"
    ),
    _BREAKDOWN_PART: (
        "a part of a breakdown (by sex, age or dimension): a part is never added to its whole"
    ),
}
_GLOTIP_GROUP = ("indicator", "dimension", "category")
"""Always grouping columns of gender_breakdown on the long shape: never summed across."""
_GLOTIP_CELL = ("indicator", "dimension", "category", "iso3", "country", "year")
"""The columns that a breakdown's parts share with its total."""
_GLOTIP_KEY = (*_GLOTIP_CELL, "sex", "age")
"""A count's key in the file; lines may repeat it."""
_GLOTIP_SUMMED = ("sex", "age", "value", "value_low", "value_high", "censored", "line")
"""Columns of the long shape that are summed or told apart, so never grouping columns."""
_SEX_PARTS = ("female", "male", "other", "unknown")


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    return_excluded: bool = False,
    validate: bool = True,
) -> FrameT | tuple[FrameT, FrameT]:
    """Persons by sex, per group, with the report's gaps kept in view.

    Each row of ``df`` contributes its reported ``value`` to ``total`` and its stated
    counts to ``female``, ``male``, ``other`` (from ``other_sex``) and ``unknown`` (from
    ``unknown_sex``). What the row's counts leave over goes to ``unknown`` (persons the
    report does not break down by sex; a row with no sex information at all counts wholly
    as unknown, not as zero), except in a row that states its own count of unknown sex: such a
    row has accounted for everyone, so what is left over is a shortfall of the report's parts
    against its total, and goes to ``unreconciled``. So
    ``female + male + other + unknown + unreconciled == total`` always holds.

    A count of women derived from a percentage (``sex_split_derived``) contributes its
    derived count to ``female`` and its rounding interval to ``female_low`` and
    ``female_high``. Rows that are ``part_of`` another row are never added: they are left
    out and listed.

    All other rows of a group are summed, whatever their period: a cumulative ("to date")
    figure and a period figure in the same group are added together. Select one kind of
    period first (``df[df["period_kind"] != "cumulative"]``), group ``by="period_kind"``, or
    use :func:`trainees_per_initiative`, which keeps them apart.

    **The long shape of a GLOTIP download** (:func:`unodc_metrics.read_glotip`'s table, one
    count per row with ``sex`` and ``value``) is summed by breakdown: a *cell* is the rows
    that share ``indicator``, ``dimension``, ``category``, ``iso3``, ``country``, ``year``
    and the ``by`` columns. Its ``total`` is its row with ``sex`` and ``age`` both
    ``total``; its parts are its rows with ``sex`` female, male or other at ``age`` total,
    and its row of unknown sex (at ``age`` total, or else at ``age`` unknown, where the
    file puts it). ``unreconciled`` is the total less the parts. In a cell:

    - with a total and no part by sex (the sex was not reported), the whole total counts
      as ``unknown``, and also as ``unsplit``; its row of unknown sex and age is already in
      the total, and is left out and listed;
    - with parts and no total, the parts are left out and listed: nothing says how many
      persons they are out of;
    - rows whose key repeats (the same key on several lines) are all added, and counted in
      ``repeated``: in the 2025-04-14 edition every repeated part is the child and the
      adult count of one sex, both labelled ``age`` total, so their sum is the sex's count;
    - rows of an age breakdown (``age`` child or adult, and any other row at ``age``
      unknown) are left out and listed.

    ``indicator``, ``dimension`` and ``category`` are always grouping columns: different
    indicators, and the breakdowns of one indicator, are never added together. A censored
    count (``<5``) is 0 to 4 persons: every count has ``_low`` and ``_high`` bounds, its
    point value is missing where any of its rows is censored, and ``qualifier`` is
    ``exact`` when nothing in the group is censored and ``range`` otherwise. The shares
    are ratios of exact counts, so they are missing where anything is censored (and
    ``"proportional"`` allocates nothing there); in the ``"bounds"`` mode the share bounds
    are always given, from the bounds of the counts: ``female_share_low`` is
    ``female_low / total_high``, and ``female_share_high`` the most persons who may be
    women over ``total_low``.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the ``trainings`` schema; or a pandas or polars
            DataFrame in the long shape (:class:`unodc_metrics._glotip.GlotipSchema`).
        by: A column name, a list of them, or None for one row over everything (over
            every ``indicator``, ``dimension`` and ``category`` in the long shape).
        unknown: How shares treat persons of unknown sex:

            - ``"separate"``: unknown is a category of its own; every share is over
              ``total``, so the shares add up to ``1 - unreconciled / total``.
            - ``"known_only"``: ``female_share``, ``male_share`` and ``other_share`` are
              over the persons of known sex (they add up to 1) and ``unknown_share`` is
              missing. A row that gives only a share of women states no men, so its other
              persons are unknown here.
            - ``"proportional"``: ``unknown`` is allocated to ``female``, ``male`` and
              ``other`` in proportion to the group's known counts, which become estimates
              (float); ``estimate`` is true where anything was allocated; ``unreconciled``
              stays apart. Where no person's sex is known nothing is allocated and the
              shares are missing.
            - ``"bounds"``: as ``"separate"``, plus ``female_share_low``,
              ``female_share_high``, ``male_share_low`` and ``male_share_high`` over
              ``total``, treating ``unknown`` plus ``unreconciled`` as persons who may be
              of either sex. Where a row's women come from a percentage, the percentage
              bounds them: its other persons cannot be women.
        table: The schema to validate against: ``"trainings"`` (the wide shape, with the
            sex columns) or ``"glotip"`` (the long shape). By default a frame with a ``sex``
            column and no ``female`` column is ``"glotip"`` and any other is
            ``"trainings"``; a frame with both columns is ambiguous and needs ``table``.
        return_excluded: Also return a frame of the rows left out, with the ``by``
            columns, ``id`` and ``reason`` (in the long shape: ``indicator``,
            ``dimension``, ``category``, the ``by`` columns, ``line`` and ``reason``).
        validate: Validate ``df`` first (the default). Pass False only for a frame that
            has already passed :func:`unodc_metrics.validate` (or, for a lazy frame, whose
            source did): the sums then trust its dtypes and rules, and only the columns they
            read must be present.

    Returns:
        One row per group, with the ``by`` columns, ``female``, ``male``, ``other``,
        ``unknown``, ``total`` (the sum of the reported totals), ``unreconciled``, the
        shares ``female_share``, ``male_share``, ``other_share``, ``unknown_share`` (and
        in ``"bounds"`` mode their bounds), ``qualifier``, ``total_low``, ``total_high``,
        ``female_low``, ``female_high``, ``estimate``, ``rows`` (rows summed),
        ``rows_excluded`` and ``excluded`` (which rows were left out and why). With
        ``return_excluded=True``, a tuple of that frame and the frame of rows left out.

        In the long shape: ``indicator``, ``dimension``, ``category``, the ``by``
        columns, then ``female``, ``male``, ``other``, ``unknown``, ``total``,
        ``unreconciled``, the shares (and their bounds in ``"bounds"`` mode),
        ``qualifier``, ``total_low``, ``total_high``, a ``_low`` and a ``_high`` for each of
        ``female``, ``male``, ``other``, ``unknown`` and ``unreconciled``, ``unsplit``,
        ``unsplit_low``, ``unsplit_high`` (the persons of totals with no part by sex, who
        are counted in ``unknown``), ``estimate``, ``cells`` (cells with a total),
        ``cells_unsplit``, ``rows`` (rows summed), ``censored`` and ``repeated`` (how many of
        them are censored, or repeat their key), ``rows_excluded`` and ``excluded`` (the
        rows left out, by reason, with their lines).

    Raises:
        ValidationError: If ``df`` does not validate against the table's schema.
        ValueError: If ``unknown``, ``table`` or ``by`` is not one the function knows, or
            the shape of ``df`` is ambiguous.
        TypeError: If ``df`` is not a frame of a kind listed above.

    Examples:
        >>> import unodc_metrics as um
        >>> trainings = um.load("trainings")
        >>> gptip = trainings[trainings["initiative"] == "GPTIP"]
        >>> out = um.gender_breakdown(gptip)
        >>> out[["female", "male", "unknown", "unreconciled", "total"]]
           female  male  unknown  unreconciled  total
        0    1138   715      919             4   2776
        >>> round(float(out.loc[0, "female_share"]), 3)
        0.41
        >>> b = um.gender_breakdown(gptip, unknown="bounds")
        >>> [round(float(b.loc[0, c]), 3) for c in ("female_share_low", "female_share_high")]
        [0.41, 0.742]

        The long shape: 22 victims, 17 of them women, fewer than 5 men, fewer than 5 of
        unknown sex (a made-up file):

        >>> import io
        >>> header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,"
        >>> header += "Age,Year,Unit of measurement,txtVALUE,Source"
        >>> cell = "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total"
        >>> counts = [("Total", "Total", 22), ("Female", "Total", 17), ("Male", "Total", "<5")]
        >>> counts += [("Unknown", "Unknown", "<5")]
        >>> lines = [header] + [f"{cell},{s},{a},2022,Counts,{n},GLOTIP" for s, a, n in counts]
        >>> glotip = um.read_glotip(io.StringIO("".join(line + chr(10) for line in lines)))
        >>> out = um.gender_breakdown(glotip, by="year")
        >>> out[["year", "female", "male", "unknown", "unreconciled", "total", "qualifier"]]
           year  female  male  unknown  unreconciled  total qualifier
        0  2022      17  <NA>     <NA>          <NA>     22     range
        >>> out.loc[0, ["male_low", "male_high", "unreconciled_low", "unreconciled_high"]].tolist()
        [0, 4, -3, 5]
    """
    import narwhals as nw

    if unknown not in UNKNOWN_CHOICES:
        raise ValueError(f"unknown must be one of {', '.join(UNKNOWN_CHOICES)}; got {unknown!r}")
    table = _shape_of(df) if table is None else table
    if table == GLOTIP:
        long = _validated_glotip(df, validate)
        result, excluded = _glotip_sex_breakdown(long, by, unknown)
        return (result, excluded) if return_excluded else result
    if table != "trainings":
        raise ValueError(
            "gender_breakdown needs the sex columns of the 'trainings' table or the long "
            f"shape of 'glotip'; got {table!r}"
        )
    frame, like = _input(df, table, validate)
    keys = _by_columns(by, frame)
    frame = _needed(frame, keys, _SEX_USED)
    # _NESTED (1) where the row is part of another, _COUNTED (0) otherwise.
    frame = frame.with_columns((~nw.col("part_of").is_null()).cast(nw.Int64).alias(_WHY))
    result, excluded = _sex_breakdown(
        frame, like, keys, unknown, table, want_excluded=return_excluded
    )
    return (result, excluded) if return_excluded else result


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
        >>> import unodc_metrics as um
        >>> out = um.trainees_per_initiative()
        >>> out[["initiative", "basis", "total", "female", "male", "unknown"]]
          initiative       basis  total  female  male  unknown
        0    GLO.ACT  cumulative   1488     553   933        2
        1    GLO.ACT      period     25      25     0        0
        2      GPTIP      period   2776    1138   715      919
        3        NaN      period     97      15     0       82
    """
    import narwhals as nw

    if unknown not in UNKNOWN_CHOICES:
        raise ValueError(f"unknown must be one of {', '.join(UNKNOWN_CHOICES)}; got {unknown!r}")
    source: Any = df
    if source is None:
        from unodc_metrics._tables import load

        source = load("trainings")
    frame, like = _input(source, "trainings", validate)
    frame = _needed(frame, ["initiative"], _SEX_USED)
    kind = nw.col("period_kind")
    basis = nw.lit("period")
    for period_kind, label in _PERIOD_BASIS.items():
        basis = nw.when(kind == period_kind).then(nw.lit(label)).otherwise(basis)
    frame = frame.with_columns(
        basis.cast(nw.String).alias("__basis"),
        nw.when(~nw.col("part_of").is_null())
        .then(nw.lit(_NESTED))
        .otherwise(nw.lit(_COUNTED))
        .cast(nw.Int64)
        .alias(_WHY),
    )
    result, excluded = _sex_breakdown(
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


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: bool = False,
    validate: bool = True,
) -> FrameT | tuple[FrameT, FrameT]:
    """Totals per calendar year, counting a row only in the year that holds its whole period.

    A row counts in year Y only when its whole period, from ``period_start`` to
    ``period_end``, lies within Y. A row whose period runs across years is never split:
    rows spanning the same years are summed apart, in an output row whose ``year`` is
    missing and whose ``years`` names the span (``"2020-2022"``). Cumulative figures
    ("to date"), stocks ("as at") and rows whose period has no known start or end never
    land in a year: they are left out, and listed on an output row whose ``year`` and
    ``years`` are both missing. Rows that are ``part_of`` another row are left out, and
    listed on the row of their own year.

    Different measures are never summed together: ``measure`` is always a grouping column,
    and so is ``status`` for the ``rescues`` table (rescued and identified victims are
    different counts).

    With ``table="glotip"``, ``df`` is the long shape of a GLOTIP download (the table of
    :func:`unodc_metrics.read_glotip`): only the overall counts are summed, the rows whose
    ``dimension`` and ``category`` are ``Total`` and whose ``sex`` and ``age`` are
    ``total``; every other row is a part of a breakdown, and is left out and listed. Its
    grouping columns are ``indicator``, then ``by``, then ``year``. A censored count
    (``<5``) adds 0 to ``total_low`` and 4 to ``total_high``; ``total`` is missing where
    any row summed is censored, and ``qualifier`` is then ``range`` (``exact`` otherwise).
    Rows whose key repeats are all added, and counted in ``repeated``.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the schema of ``table`` (the long shape of ``"glotip"``:
            a pandas or polars DataFrame).
        table: The figure table whose schema ``df`` has, e.g. ``"rescues"``, or
            ``"glotip"``. Required, so that a frame is never checked against the wrong
            schema.
        by: Further grouping columns: a column name, a list of them, or None.
        return_excluded: Also return a frame of the rows left out, with the grouping
            columns, ``year``, ``years``, ``id`` and ``reason`` (for ``"glotip"``: the
            grouping columns, ``line`` and ``reason``).
        validate: Validate ``df`` first (the default). Pass False only for a frame that
            has already passed :func:`unodc_metrics.validate` (or, for a lazy frame, whose
            source did): the sums then trust its dtypes and rules, and only the columns they
            read must be present.

    Returns:
        One row per group and year (then per span of years, then one row of rows that no
        year can hold), with the grouping columns, ``year``, ``years``, ``total``,
        ``qualifier``, ``total_low``, ``total_high``, ``rows`` (rows summed),
        ``rows_excluded`` and ``excluded`` (which rows were left out and why). With
        ``return_excluded=True``, a tuple of that frame and the frame of rows left out.

        For ``"glotip"``: one row per ``indicator``, ``by`` group and ``year``, with
        ``total``, ``qualifier``, ``total_low``, ``total_high``, ``rows`` (rows summed),
        ``censored`` and ``repeated`` (how many of them are censored, or repeat their
        key), ``rows_excluded`` and ``excluded`` (the rows left out, by reason, with their
        lines).

    Raises:
        ValueError: If ``df`` holds a measure that is not additive (such as ``parties``, a
            stock, or a count of distinct countries), which cannot be summed over time; or
            if ``table`` is not a figure table or ``by`` names an unknown column.
        ValidationError: If ``df`` does not validate against the schema of ``table``.
        TypeError: If ``df`` is not a frame of a kind listed above.

    Examples:
        >>> import unodc_metrics as um
        >>> out = um.totals_by_year(um.load("rescues"), table="rescues")
        >>> out[["status", "year", "total", "rows", "rows_excluded"]]
               status  year  total  rows  rows_excluded
        0  identified  2021     18     1              0
        1     rescued  2020    124     2              2
        2     rescued  2021     85     2              3
        >>> um.totals_by_year(um.load("protocol_status"), table="protocol_status")
        Traceback (most recent call last):
        ...
        ValueError: measure 'parties' of table 'protocol_status' is not additive (Parties to the Trafficking in Persons Protocol (a stock).): its values cannot be summed over time. Keep only the rows of additive measures, e.g. df[df["measure"] != "parties"].

        The long shape of a GLOTIP download (a made-up file): a censored count makes the
        year's total a range.

        >>> import io
        >>> header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,"
        >>> header += "Age,Year,Unit of measurement,txtVALUE,Source"
        >>> rows = [("NLD,Netherlands", "22"), ("MLT,Malta", "<5"), ("MLT,Malta", "<5")]
        >>> place = ",Europe,Western Europe,Detected trafficking victims,Total,Total,"
        >>> lines = [header] + [f"{a}{place}Total,Total,2022,Counts,{n},GLOTIP" for a, n in rows]
        >>> lines[3] = lines[3].replace("Total,Total,2022", "Female,Total,2022")
        >>> glotip = um.read_glotip(io.StringIO("".join(line + chr(10) for line in lines)))
        >>> out = um.totals_by_year(glotip, table="glotip")
        >>> out[["year", "total", "qualifier", "total_low", "total_high", "rows", "censored"]]
           year  total qualifier  total_low  total_high  rows  censored
        0  2022   <NA>     range         22          26     2         1
        >>> out.loc[0, "excluded"]
        '1 row (a part of a breakdown ...): line 4'
    """  # noqa: E501
    import narwhals as nw

    from unodc_metrics._tables import FIGURE_TABLES

    if table == GLOTIP:
        long = _validated_glotip(df, validate)
        return _glotip_totals_by_year(long, by, return_excluded)  # type: ignore[no-any-return]
    if table not in FIGURE_TABLES:
        raise ValueError(
            f"totals_by_year sums a figure table, one of {', '.join(FIGURE_TABLES)}, or "
            f"the long shape of 'glotip'; got {table!r}"
        )
    frame: nw.LazyFrame[Any]
    frame, like = _input(df, table, validate)
    _require_additive(frame, table)
    implicit: list[str] = ["measure", "status"] if table == "rescues" else ["measure"]
    keys: list[str] = list(dict.fromkeys([*implicit, *_by_columns(by, frame)]))
    frame = _needed(frame, keys, ())

    kind = nw.col("period_kind")
    start, end = nw.col("period_start"), nw.col("period_end")
    why = (
        nw.when(~nw.col("part_of").is_null())
        .then(nw.lit(_NESTED))
        .when(kind == "cumulative")
        .then(nw.lit(_CUMULATIVE))
        .when(kind == "stock")
        .then(nw.lit(_STOCK))
        .when(start.is_null() | end.is_null())
        .then(nw.lit(_NO_PERIOD))
        .otherwise(nw.lit(_COUNTED))
    )
    frame = frame.with_columns(why.cast(nw.Int64).alias(_WHY))
    # Where a row belongs: the years its period runs from and to, when it can be placed.
    placed = (nw.col(_WHY) <= _NESTED) & ~start.is_null() & ~end.is_null()
    # (No cast here: pandas gives float years where a date is missing.)
    frame = frame.with_columns(
        nw.when(placed).then(start.dt.year()).alias("__y1"),
        nw.when(placed).then(end.dt.year()).alias("__y2"),
    )
    group = [*keys, "__y1", "__y2"]
    records, excluded = _group_sums(
        frame,
        group,
        _total_terms(),
        counts=_TOTAL_COUNTS,
        limit=None if return_excluded else _LISTED,
    )
    # Within a group: single years first, then spans of years, then the rows no year holds.
    records.sort(
        key=lambda rec: (
            tuple(_order(rec[k]) for k in keys),
            2 if rec["__y1"] is None else (0 if rec["__y1"] == rec["__y2"] else 1),
            _order(rec["__y1"]),
            _order(rec["__y2"]),
        )
    )

    columns: dict[str, list[Any]] = {k: [] for k in keys}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        y1, y2 = _int_or_none(rec["__y1"]), _int_or_none(rec["__y2"])
        year = y1 if y1 is not None and y1 == y2 else None
        years = None if y1 is None else (str(y1) if y1 == y2 else f"{y1}-{y2}")
        listed = excluded.get(_key_of(rec, group), [])
        row: dict[str, Any] = {"year": year, "years": years, **_total_summary(rec)}
        row.update(_excluded_summary(rec, listed))
        out_rows.append(row)
        for k in keys:
            columns[k].append(rec[k])
        for item in listed:
            ex_rows.append({**{k: rec[k] for k in keys}, "year": year, "years": years, **item})

    spec: dict[str, str] = {
        "year": "int",
        "years": "str",
        "total": "int",
        "qualifier": "str",
        "total_low": "int",
        "total_high": "int",
        "rows": "int",
        "rows_excluded": "int",
        "excluded": "str",
    }
    for name in spec:
        columns[name] = [r[name] for r in out_rows]
    result = _build(columns, {**{k: f"like:{k}" for k in keys}, **spec}, like)
    if not return_excluded:
        return result  # type: ignore[no-any-return]
    ex_spec = {
        **{k: f"like:{k}" for k in keys},
        "year": "int",
        "years": "str",
        "id": "str",
        "reason": "str",
    }
    ex_columns = {name: [r[name] for r in ex_rows] for name in ex_spec}
    return result, _build(ex_columns, ex_spec, like)


# --------------------------------------------------------------------------------------
# The breakdown by sex, shared by gender_breakdown and trainees_per_initiative
# --------------------------------------------------------------------------------------


def _sex_terms(bounds: bool) -> dict[str, str | nw.Expr]:
    """What each counted row adds to its group's sums by sex; see gender_breakdown.

    A string names a column that is summed as it is (missing counts add nothing); an
    expression is worked out per row first. Only what is not a plain sum of columns is an
    expression, so that most of the work is the engine's own sum.
    """
    import narwhals as nw

    female, male = nw.col("female").fill_null(0), nw.col("male").fill_null(0)
    other, unknown = nw.col("other_sex").fill_null(0), nw.col("unknown_sex").fill_null(0)
    value = nw.col("value")
    rest = value - female - male - other - unknown
    # A row that states its count of unknown sex has accounted for everyone it can: what its
    # counts leave over is a shortfall of the report's own parts, not persons of unknown sex.
    # (A row with no sex information at all has no unknown_sex either: all of it is unknown.)
    states_unknown = ~nw.col("unknown_sex").is_null()
    terms: dict[str, str | nw.Expr] = {
        "__female": "female",
        "__male": "male",
        "__other": "other_sex",
        "__unknown_stated": "unknown_sex",
        "__to_unknown": nw.when((rest > 0) & ~states_unknown).then(rest).otherwise(0),
        "__female_low": "female_low",
        "__female_high": "female_high",
    }
    if bounds:
        # Persons who may be of either sex: neither female, male nor other in the row's counts.
        slack = (value - female - male - other).clip(lower_bound=0)
        derived = nw.col("sex_split_derived")
        female_low = nw.col("female_low").fill_null(0)
        female_high = nw.col("female_high").fill_null(0)
        # A percentage of women bounds the women of its whole row.
        terms["__female_max"] = nw.when(derived).then(female_high).otherwise(female + slack)
        terms["__male_max"] = (
            nw.when(derived).then(male + slack + female - female_low).otherwise(male + slack)
        )
    return terms


def _sex_breakdown(
    frame: nw.LazyFrame[Any],
    like: Any,
    keys: list[str],
    unknown: str,
    table: str,
    *,
    extra_keys: Mapping[str, str] | None = None,
    coverage: bool = False,
    want_excluded: bool = True,
) -> tuple[Any, Any]:
    _require_additive(frame, table)
    extra = dict(extra_keys or {})
    group = [*keys, *extra.values()]
    counts = dict(_TOTAL_COUNTS)
    mins: dict[str, str] = {}
    maxs: dict[str, str] = {}
    if coverage:
        mins, maxs = {"__start": "period_start"}, {"__end": "period_end"}
        counts.update({"__has_start": "period_start", "__has_end": "period_end"})
    records, excluded = _group_sums(
        frame,
        group,
        {**_total_terms(), **_sex_terms(unknown == "bounds")},
        counts=counts,
        mins=mins,
        maxs=maxs,
        limit=None if want_excluded else _LISTED,
    )
    records.sort(key=lambda rec: tuple(_order(rec[k]) for k in group))

    out_keys = [*keys, *extra]
    columns: dict[str, list[Any]] = {k: [] for k in out_keys}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        rec["__unknown"] = rec["__unknown_stated"] + rec["__to_unknown"]
        rec["__unreconciled"] = (
            rec["__total"] - rec["__female"] - rec["__male"] - rec["__other"] - rec["__unknown"]
        )
        values = {**{k: rec[k] for k in keys}, **{k: rec[v] for k, v in extra.items()}}
        for k in out_keys:
            columns[k].append(values[k])
        listed = excluded.get(_key_of(rec, group), [])
        row: dict[str, Any] = {}
        if coverage:
            rows = rec["__rows"]
            row["period_start"] = rec["__start"] if rec["__has_start"] == rows else None
            row["period_end"] = rec["__end"] if rec["__has_end"] == rows else None
        row.update(_sex_summary(rec, unknown))
        row.update(_excluded_summary(rec, listed))
        out_rows.append(row)
        ex_rows.extend({**values, **item} for item in listed)

    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {}
    if coverage:
        spec.update({"period_start": "like:period_start", "period_end": "like:period_end"})
    spec.update(
        {
            "female": count,
            "male": count,
            "other": count,
            "unknown": count,
            "total": "int",
            "unreconciled": "int",
            "female_share": "float",
            "male_share": "float",
            "other_share": "float",
            "unknown_share": "float",
        }
    )
    if unknown == "bounds":
        spec.update(dict.fromkeys(_SHARE_BOUNDS, "float"))
    spec.update(
        {
            "qualifier": "str",
            "total_low": "int",
            "total_high": "int",
            "female_low": "int",
            "female_high": "int",
            "estimate": "bool",
            "rows": "int",
            "rows_excluded": "int",
            "excluded": "str",
        }
    )
    for name in spec:
        columns[name] = [r[name] for r in out_rows]
    key_spec = {k: f"like:{k}" for k in keys}
    key_spec.update({k: "str" for k in extra})
    result = _build(columns, {**key_spec, **spec}, like)
    if not want_excluded:
        return result, None
    ex_spec = {**key_spec, "id": "str", "reason": "str"}
    ex_columns = {name: [r[name] for r in ex_rows] for name in ex_spec}
    return result, _build(ex_columns, ex_spec, like)


_SHARE_BOUNDS = ("female_share_low", "female_share_high", "male_share_low", "male_share_high")


def _sex_summary(rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """The sex columns of one output row, from the group's sums."""
    out: dict[str, Any] = dict.fromkeys(
        (
            "female",
            "male",
            "other",
            "unknown",
            "unreconciled",
            "female_share",
            "male_share",
            "other_share",
            "unknown_share",
            "female_low",
            "female_high",
            *(_SHARE_BOUNDS if unknown == "bounds" else ()),
        )
    )
    out.update(_total_summary(rec))
    out["estimate"] = False
    if int(rec["__rows"]) == 0:
        return out
    f, m, o = int(rec["__female"]), int(rec["__male"]), int(rec["__other"])
    u, total = int(rec["__unknown"]), int(rec["__total"])
    known = f + m + o
    out.update(
        female=f,
        male=m,
        other=o,
        unknown=u,
        unreconciled=int(rec["__unreconciled"]),
        female_low=int(rec["__female_low"]),
        female_high=int(rec["__female_high"]),
    )
    if unknown == "known_only":
        out.update(
            female_share=_ratio(f, known), male_share=_ratio(m, known), other_share=_ratio(o, known)
        )
        return out
    if unknown == "proportional":
        counts: dict[str, float] = {"female": f, "male": m, "other": o, "unknown": u}
        if u and known:
            for name, part in (("female", f), ("male", m), ("other", o)):
                counts[name] = part + u * part / known
            counts["unknown"] = 0.0
            out["estimate"] = True
        out.update({name: float(v) for name, v in counts.items()})
        if u and not known:
            return out  # nothing to allocate by: the shares are not known
        out.update(
            female_share=_ratio(counts["female"], total),
            male_share=_ratio(counts["male"], total),
            other_share=_ratio(counts["other"], total),
            unknown_share=_ratio(counts["unknown"], total),
        )
        return out
    out.update(
        female_share=_ratio(f, total),
        male_share=_ratio(m, total),
        other_share=_ratio(o, total),
        unknown_share=_ratio(u, total),
    )
    if unknown == "bounds":
        out.update(
            female_share_low=_ratio(int(rec["__female_low"]), total),
            female_share_high=_ratio(int(rec["__female_max"]), total),
            male_share_low=_ratio(m, total),
            male_share_high=_ratio(int(rec["__male_max"]), total),
        )
    return out


# --------------------------------------------------------------------------------------
# The long shape of a GLOTIP download
# --------------------------------------------------------------------------------------


def _shape_of(df: Any) -> str:
    """``"glotip"`` for GLOTIP's long shape, ``"trainings"`` for the wide one.

    A frame with ``sex`` and ``indicator`` columns and no ``female`` column is the long shape;
    any other frame with a ``sex`` column (the curated ``rescues``, say) is refused with a
    message that names the shapes this function takes.
    """
    columns: list[str] = []
    kind = type(df)
    if kind.__name__ == "DataFrame" and kind.__module__.split(".")[0] in ("pandas", "polars"):
        columns = [str(c) for c in df.columns]
    if "sex" in columns and "female" in columns:
        raise ValueError(
            "the frame has both a 'sex' column (the long shape of 'glotip') and a 'female' "
            "column (the wide shape of 'trainings'); say which with table='glotip' or "
            "table='trainings'"
        )
    if "sex" in columns and "indicator" not in columns:
        raise ValueError(
            "gender_breakdown takes the trainings table (counts by sex in the columns female, "
            "male, other_sex and unknown_sex) or GLOTIP's long shape (a sex and an indicator "
            "column, as read_glotip returns); this frame has a 'sex' column but is neither "
            "(the rescues table records victims by sex as nested rows: see its part_of and "
            "breakdown columns)"
        )
    return GLOTIP if "sex" in columns else "trainings"


def _validated_glotip(df: Any, validate: bool = True) -> nw.DataFrame[Any]:
    """Validate the long shape against the GLOTIP schema; return it as narwhals.

    Both kinds are validated by the pandas schema of :mod:`unodc_metrics._glotip` (a polars
    frame through a pandas copy, so each rule has one definition; the ``row`` of a failure is
    then the row's position); a polars frame is then summed as polars. With ``validate``
    False, the frame (as :func:`unodc_metrics.read_glotip` returns it) is taken as it is.
    The long shape is summed in memory: a lazy frame is refused (``collect()`` it first;
    the 2025 edition has 58,769 rows).
    """
    import narwhals as nw
    import pandas as pd

    from unodc_metrics._glotip import _check

    kind = type(df)
    is_polars = kind.__module__.startswith("polars") and kind.__name__ == "DataFrame"
    if not is_polars and not isinstance(df, pd.DataFrame):
        raise TypeError(
            "the long shape of 'glotip' is summed from a pandas or polars DataFrame (collect "
            f"a lazy frame first), not {type(df).__name__}"
        )
    if not validate:
        return nw.from_native(df, eager_only=True)
    view = df.to_pandas() if is_polars else df.copy(deep=True)
    checked, failures = _check(view)
    if len(failures):
        raise ValidationError(GLOTIP, failures)
    if is_polars:
        import polars as pl

        return nw.from_native(pl.from_pandas(checked), eager_only=True)
    return nw.from_native(checked, eager_only=True)


def _glotip_by(by: str | Sequence[str] | None, frame: nw.DataFrame[Any]) -> list[str]:
    keys = _by_columns(by, frame)
    summed = [k for k in keys if k in _GLOTIP_SUMMED]
    if summed:
        raise ValueError(
            f"by cannot name {summed!r}: in the long shape of 'glotip' the columns "
            f"{', '.join(_GLOTIP_SUMMED)} are what is summed or told apart, not groups"
        )
    return keys


def _with_repeats(frame: nw.DataFrame[Any]) -> nw.DataFrame[Any]:
    """Add ``__repeats``: how many rows of the frame have the row's key (1 when unique)."""
    import narwhals as nw

    frame = _with_group_key(frame, _GLOTIP_KEY, name="__rowkey")
    return frame.with_columns(
        nw.col("line").count().over("__rowkey").cast(nw.Int64).alias("__repeats")
    )


def _glotip_sex_breakdown(
    frame: nw.DataFrame[Any], by: str | Sequence[str] | None, unknown: str
) -> tuple[Any, Any]:
    """gender_breakdown on the long shape; see its docstring for the rules."""
    import narwhals as nw

    by_keys = _glotip_by(by, frame)
    group = list(dict.fromkeys([*_GLOTIP_GROUP, *by_keys]))
    cell = list(dict.fromkeys([*group, *_GLOTIP_CELL]))
    frame = frame.select(list(dict.fromkeys([*cell, *_GLOTIP_KEY, *_GLOTIP_SUMMED])))
    frame = _with_repeats(frame)
    frame = _with_group_key(frame, group)
    frame = _with_group_key(frame, cell, name="__cell")

    sex, age = nw.col("sex"), nw.col("age")
    frame = frame.with_columns(
        ((sex == "total") & (age == "total")).alias("__is_total"),
        (sex.is_in(["female", "male", "other"]) & (age == "total")).alias("__is_known"),
        ((sex == "unknown") & (age == "total")).alias("__is_u_total"),
        ((sex == "unknown") & (age == "unknown")).alias("__is_u_u"),
    )
    # What each cell holds: a total? parts by sex at all ages? its unknown part at age total?
    frame = frame.with_columns(
        nw.col("__is_total").cast(nw.Int64).max().over("__cell").alias("__c_total"),
        (nw.col("__is_known") | nw.col("__is_u_total")).cast(nw.Int64).alias("__split_row"),
        nw.col("__is_u_total").cast(nw.Int64).max().over("__cell").alias("__c_u_total"),
    )
    frame = frame.with_columns(nw.col("__split_row").max().over("__cell").alias("__c_split"))
    has_total = nw.col("__c_total") > 0
    split = nw.col("__c_split") > 0
    # The unknown part sits at age total where the cell has one there, else at age unknown.
    part = (
        nw.col("__is_known")
        | nw.col("__is_u_total")
        | (nw.col("__is_u_u") & (nw.col("__c_u_total") == 0))
    )
    why = (
        nw.when(nw.col("__is_total"))
        .then(nw.lit(_COUNTED))
        .when(~part)
        .then(nw.lit(_AGE_PART))
        .when(~has_total)
        .then(nw.lit(_NO_TOTAL))
        .when(~split)
        .then(nw.lit(_IN_UNSPLIT))
        .otherwise(nw.lit(_COUNTED))
    )
    frame = frame.with_columns(why.cast(nw.Int64).alias(_WHY), split.alias("__split"))

    # Each term is a bound times a 0/1 mask of the rows it takes (cheaper than when/then).
    # No point value is summed: a sum is exact when its low and high ends meet (a censored
    # count has high - low = 4), and then it is its low end.
    counted = nw.col(_WHY) == _COUNTED
    is_total, in_split = nw.col("__is_total"), nw.col("__split")
    not_total = counted & ~is_total
    unsplit = counted & is_total & ~in_split
    masks = {
        "total": counted & is_total,
        "female": not_total & (sex == "female"),
        "male": not_total & (sex == "male"),
        "other": not_total & (sex == "other"),
        "unknown": (not_total & (sex == "unknown")) | unsplit,
        "unsplit": unsplit,
    }
    frame = frame.with_columns(
        *(m.cast(nw.Int64).alias(f"__m_{name}") for name, m in masks.items()),
        (counted & in_split & is_total).cast(nw.Int64).alias("__m_plus"),
        (counted & in_split & ~is_total).cast(nw.Int64).alias("__m_minus"),
        counted.cast(nw.Int64).alias("__rows"),
        (~counted).cast(nw.Int64).alias("__excluded"),
    )
    low, high, rows = nw.col("value_low"), nw.col("value_high"), nw.col("__rows")
    terms: dict[str, nw.Expr] = {}
    for name in masks:
        terms[f"__{name}_low"] = low * nw.col(f"__m_{name}")
        terms[f"__{name}_high"] = high * nw.col(f"__m_{name}")
    # unreconciled = total - parts, in the cells that have parts; its low end takes the
    # parts' high ends, and its high end their low ends.
    plus, minus = nw.col("__m_plus"), nw.col("__m_minus")
    terms["__unreconciled_low"] = low * plus - high * minus
    terms["__unreconciled_high"] = high * plus - low * minus
    terms["__censored"] = nw.col("censored").cast(nw.Int64) * rows
    terms["__repeated"] = (nw.col("__repeats") > 1).cast(nw.Int64) * rows
    frame = frame.with_columns(**terms)
    sums = ["__rows", "__excluded", *terms]

    # Per cell first: who may be a woman (or a man) depends on the cell's own total.
    cells = _aggregate(frame, [*group, "__cell"], sums=sums, maxs=["__c_total", "__c_split"])
    th = nw.col("__total_high")
    counted_cell = (nw.col("__c_total") > 0) & (nw.col("__rows") > 0)
    split_cell = counted_cell & (nw.col("__c_split") > 0)

    def may_be(name: str, others: tuple[str, str]) -> nw.Expr:
        # The most persons of the cell who may be of this sex: all of its own count, plus
        # those whose sex the parts leave open (none, when the parts exceed the total).
        rest = th - nw.col(f"__{others[0]}_low") - nw.col(f"__{others[1]}_low")
        return (
            nw.when(split_cell)
            .then(nw.max_horizontal(nw.col(f"__{name}_high"), rest))
            .when(counted_cell)
            .then(th)
            .otherwise(0)
        )

    cells = cells.with_columns(
        may_be("female", ("male", "other")).alias("__female_max"),
        may_be("male", ("female", "other")).alias("__male_max"),
        counted_cell.cast(nw.Int64).alias("__cells"),
        (counted_cell & ~split_cell).cast(nw.Int64).alias("__cells_unsplit"),
    )
    cell_sums = [*sums, "__female_max", "__male_max", "__cells", "__cells_unsplit"]
    agg = _aggregate(cells, group, sums=cell_sums)
    agg = agg.sort(group, nulls_last=True)
    excluded = _glotip_excluded(frame)

    columns: dict[str, list[Any]] = {k: [] for k in group}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in agg.rows(named=True):
        for k in group:
            columns[k].append(rec[k])
        listed = excluded.get(rec[_KEY], [])
        row = _glotip_sex_summary(rec, unknown)
        row.update(_glotip_excluded_summary(rec, listed))
        out_rows.append(row)
        ex_rows.extend({**{k: rec[k] for k in group}, **item} for item in listed)

    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {k: f"like:{k}" for k in group}
    spec.update(dict.fromkeys(_SEX_PARTS, count))
    spec.update({"total": "int", "unreconciled": "int"})
    spec.update(
        dict.fromkeys(("female_share", "male_share", "other_share", "unknown_share"), "float")
    )
    if unknown == "bounds":
        spec.update(dict.fromkeys(_SHARE_BOUNDS, "float"))
    spec.update({"qualifier": "str", "total_low": "int", "total_high": "int"})
    for name in (*_SEX_PARTS, "unreconciled"):
        spec.update({f"{name}_low": "int", f"{name}_high": "int"})
    spec.update(dict.fromkeys(("unsplit", "unsplit_low", "unsplit_high"), "int"))
    spec["estimate"] = "bool"
    spec.update(dict.fromkeys(("cells", "cells_unsplit", "rows", "censored", "repeated"), "int"))
    spec.update({"rows_excluded": "int", "excluded": "str"})
    for name in spec:
        if name not in group:
            columns[name] = [r[name] for r in out_rows]
    result = _build(columns, spec, frame)
    ex_spec = {**{k: f"like:{k}" for k in group}, "line": "like:line", "reason": "str"}
    ex_columns = {name: [r[name] for r in ex_rows] for name in ex_spec}
    return result, _build(ex_columns, ex_spec, frame)


def _glotip_sex_summary(rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """The columns of one output row of gender_breakdown on the long shape."""
    names = [
        *_SEX_PARTS,
        "total",
        "unreconciled",
        "female_share",
        "male_share",
        "other_share",
        "unknown_share",
        *(_SHARE_BOUNDS if unknown == "bounds" else ()),
        "qualifier",
        "unsplit",
    ]
    for name in ("total", *_SEX_PARTS, "unreconciled", "unsplit"):
        names += [f"{name}_low", f"{name}_high"]
    out: dict[str, Any] = dict.fromkeys(names)
    out["estimate"] = False
    for name in ("cells", "cells_unsplit", "censored", "repeated"):
        out[name] = int(rec[f"__{name}"])
    if int(rec["__rows"]) == 0:
        return out  # nothing was summed: the sums are missing, not zero
    for name in ("total", *_SEX_PARTS, "unreconciled", "unsplit"):
        low, high = int(rec[f"__{name}_low"]), int(rec[f"__{name}_high"])
        out.update({name: low if low == high else None, f"{name}_low": low, f"{name}_high": high})
    exact = int(rec["__censored"]) == 0
    out["qualifier"] = "exact" if exact else "range"
    if exact:
        # Nothing censored: the shares, and their allocation, are those of the wide shape.
        wide = {
            "__rows": rec["__rows"],
            "__total_low": out["total"],
            "__total_high": out["total"],
            "__unbounded": 0,
            "__inexact": 0,
            "__unreconciled": out["unreconciled"],
            "__female_low": out["female"],
            "__female_high": out["female"],
            "__female_max": rec["__female_max"],
            "__male_max": rec["__male_max"],
            **{f"__{name}": out[name] for name in ("total", *_SEX_PARTS)},
        }
        shared = _sex_summary(wide, unknown)
        out.update({k: shared[k] for k in (*_SEX_PARTS, "estimate") if k in shared})
        out.update({k: v for k, v in shared.items() if k.endswith(("_share", "_share_low"))})
    elif unknown == "proportional":
        out.update({k: None if out[k] is None else float(out[k]) for k in _SEX_PARTS})
    if unknown == "bounds":
        # Outer bounds: the fewest persons of a sex over the largest total, and the most
        # persons who may be of that sex over the smallest total.
        total_low, total_high = out["total_low"], out["total_high"]
        out.update(
            female_share_low=_ratio(out["female_low"], total_high),
            male_share_low=_ratio(out["male_low"], total_high),
            female_share_high=_ratio(int(rec["__female_max"]), total_low),
            male_share_high=_ratio(int(rec["__male_max"]), total_low),
        )
    return out


def _glotip_totals_by_year(
    frame: nw.DataFrame[Any], by: str | Sequence[str] | None, return_excluded: bool
) -> Any:
    """totals_by_year on the long shape; see its docstring for the rules."""
    import narwhals as nw

    by_keys = _glotip_by(by, frame)
    keys = list(dict.fromkeys(["indicator", *by_keys, "year"]))
    frame = frame.select(list(dict.fromkeys([*keys, *_GLOTIP_KEY, *_GLOTIP_SUMMED])))
    frame = _with_repeats(frame)
    frame = _with_group_key(frame, keys)
    overall = (
        (nw.col("dimension") == "Total")
        & (nw.col("category") == "Total")
        & (nw.col("sex") == "total")
        & (nw.col("age") == "total")
    ).fill_null(False)
    frame = frame.with_columns(
        nw.when(overall)
        .then(nw.lit(_COUNTED))
        .otherwise(nw.lit(_BREAKDOWN_PART))
        .cast(nw.Int64)
        .alias(_WHY)
    )
    terms = {
        "__total": nw.col("value").fill_null(0),
        "__total_low": nw.col("value_low"),
        "__total_high": nw.col("value_high"),
        "__censored": nw.col("censored").cast(nw.Int64),
        "__repeated": (nw.col("__repeats") > 1).cast(nw.Int64),
    }
    frame = frame.with_columns(**_masked(terms, nw.col(_WHY) == _COUNTED))
    agg = _aggregate(frame, keys, sums=["__rows", "__excluded", *terms])
    agg = agg.sort(keys, nulls_last=True)
    excluded = _glotip_excluded(frame)

    columns: dict[str, list[Any]] = {k: [] for k in keys}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in agg.rows(named=True):
        for k in keys:
            columns[k].append(rec[k])
        listed = excluded.get(rec[_KEY], [])
        row: dict[str, Any] = dict.fromkeys(("total", "qualifier", "total_low", "total_high"))
        if int(rec["__rows"]):
            exact = int(rec["__censored"]) == 0
            row.update(
                total=int(rec["__total"]) if exact else None,
                qualifier="exact" if exact else "range",
                total_low=int(rec["__total_low"]),
                total_high=int(rec["__total_high"]),
            )
        row.update(censored=int(rec["__censored"]), repeated=int(rec["__repeated"]))
        row.update(_glotip_excluded_summary(rec, listed))
        out_rows.append(row)
        ex_rows.extend({**{k: rec[k] for k in keys}, **item} for item in listed)

    spec: dict[str, str] = {k: f"like:{k}" for k in keys}
    spec.update(
        {
            "total": "int",
            "qualifier": "str",
            "total_low": "int",
            "total_high": "int",
            "rows": "int",
            "censored": "int",
            "repeated": "int",
            "rows_excluded": "int",
            "excluded": "str",
        }
    )
    for name in spec:
        if name not in keys:
            columns[name] = [r[name] for r in out_rows]
    result = _build(columns, spec, frame)
    if not return_excluded:
        return result
    ex_spec = {**{k: f"like:{k}" for k in keys}, "line": "like:line", "reason": "str"}
    ex_columns = {name: [r[name] for r in ex_rows] for name in ex_spec}
    return result, _build(ex_columns, ex_spec, frame)


def _glotip_excluded(frame: nw.DataFrame[Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows left out, by group key and in line order: each with its line and reason."""
    import narwhals as nw

    listed: dict[str, list[dict[str, Any]]] = {}
    left_out = frame.filter(nw.col(_WHY) != _COUNTED).select(_KEY, "line", _WHY).sort("line")
    for key, line, why in left_out.iter_rows():
        listed.setdefault(key, []).append({"line": int(line), "reason": _GLOTIP_REASONS[int(why)]})
    return listed


_LINES_SHOWN = 10


def _glotip_excluded_summary(
    rec: Mapping[str, Any], listed: list[dict[str, Any]]
) -> dict[str, Any]:
    """rows, rows_excluded, and the rows left out in words: by reason, with their lines."""
    by_reason: dict[str, list[int]] = {}
    for item in listed:
        by_reason.setdefault(item["reason"], []).append(item["line"])
    texts = []
    for reason, lines in by_reason.items():
        shown = ", ".join(str(n) for n in lines[:_LINES_SHOWN])
        more = f" and {len(lines) - _LINES_SHOWN} more" if len(lines) > _LINES_SHOWN else ""
        word = "line" if len(lines) == 1 else "lines"
        rows = "1 row" if len(lines) == 1 else f"{len(lines)} rows"
        texts.append(f"{rows} ({reason}): {word} {shown}{more}")
    return {
        "rows": int(rec["__rows"]),
        "rows_excluded": int(rec["__excluded"]),
        "excluded": "; ".join(texts) or None,
    }


# --------------------------------------------------------------------------------------
# Totals, qualifiers and bounds
# --------------------------------------------------------------------------------------


def _total_terms() -> dict[str, str | nw.Expr]:
    """What each counted row adds to its group's total and bounds (see :func:`_sex_terms`)."""
    import narwhals as nw

    return {
        "__total": "value",
        "__total_low": "value_low",
        "__total_high": "value_high",  # used only where every row summed has one
        "__inexact": (nw.col("qualifier") != "exact").cast(nw.Int64),
    }


_TOTAL_COUNTS = {"__bounded": "value_high"}
"""Counts of present values over the counted rows: a group is unbounded where any is missing."""


def _total_summary(rec: Mapping[str, Any]) -> dict[str, Any]:
    """total, qualifier, total_low and total_high of one output row."""
    if int(rec["__rows"]) == 0:
        return dict.fromkeys(("total", "qualifier", "total_low", "total_high"))
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


def _masked(terms: Mapping[str, nw.Expr], counted: nw.Expr) -> dict[str, nw.Expr]:
    """Each term where the row is counted, zero where it is left out."""
    import narwhals as nw

    out = {name: nw.when(counted).then(expr).otherwise(0) for name, expr in terms.items()}
    out["__rows"] = counted.cast(nw.Int64)
    out["__excluded"] = (~counted).cast(nw.Int64)
    return out


def _ratio(part: float, whole: float) -> float | None:
    return None if whole == 0 else part / whole


# --------------------------------------------------------------------------------------
# Grouping, exclusions and output
# --------------------------------------------------------------------------------------


def _group_sums(
    frame: nw.LazyFrame[Any],
    group: Sequence[str],
    sums: Mapping[str, str | nw.Expr],
    *,
    counts: Mapping[str, str] = {},
    mins: Mapping[str, str] = {},
    maxs: Mapping[str, str] = {},
    limit: int | None,
) -> tuple[list[dict[str, Any]], dict[tuple[Any, ...], list[dict[str, Any]]]]:
    """Sum the counted rows per group, and list the rows left out, in the frame's engine.

    The rows whose ``__why`` is ``_COUNTED`` are summed; the others are counted and listed.
    Only the sums (one row per group) and the listed rows (at most ``limit`` per group, all
    with None) leave the engine.

    Args:
        frame: The rows, with ``__why`` and the ``group`` columns.
        group: The grouping columns (none: one group of everything).
        sums: Output name to a column summed as it is, or to a per-row expression.
        counts: Output name to a column whose present values are counted.
        mins: Output name to a column whose smallest value is taken.
        maxs: Output name to a column whose largest value is taken.
        limit: List at most this many rows left out per group (the lowest ids); None: all.

    Returns:
        One dict per group that has rows, counted or left out: its ``group`` values (None for
        missing), ``__rows`` and ``__excluded`` (how many rows were counted and left out), the
        sums and counts as ints (0 for a group with no row counted), ``__unbounded`` (rows
        counted without ``value_high``, where ``counts`` has ``__bounded``), and the mins and
        maxs; then, by group key (:func:`_key_of`), the rows left out as dicts with ``id`` and
        ``reason``.
    """
    import narwhals as nw

    computed = {name: expr for name, expr in sums.items() if not isinstance(expr, str)}
    if computed:
        frame = frame.with_columns(**computed)
    read = [e if isinstance(e, str) else n for n, e in sums.items()]
    read += [*counts.values(), *mins.values(), *maxs.values()]
    aggs = [
        nw.len().alias("__rows"),
        *(nw.col(e if isinstance(e, str) else n).sum().alias(n) for n, e in sums.items()),
        *(nw.col(c).count().alias(n) for n, c in counts.items()),
        *(nw.col(c).min().alias(n) for n, c in mins.items()),
        *(nw.col(c).max().alias(n) for n, c in maxs.items()),
    ]
    # One pass over the rows, grouped by why each row is or is not counted as well: no copy
    # of the counted rows is made. The sums of the rows left out are not used.
    totals = (
        frame.select(*dict.fromkeys([*group, _WHY, *read]))
        .group_by(*group, _WHY, drop_null_keys=False)
        .agg(*aggs)
    )
    records: dict[tuple[Any, ...], dict[str, Any]] = {}
    ints = ["__rows", *sums, *counts]
    for rec in _collect(totals).rows(named=True):
        key = _key_of(rec, group)
        out = records.setdefault(key, {**dict(zip(group, key, strict=True)), "__rows": 0})
        out.setdefault("__excluded", 0)
        if int(rec[_WHY]) == _COUNTED:
            # Engines sum nothing to null: no value is 0 here.
            out.update({name: _int_or_none(rec[name]) or 0 for name in ints})
            out.update({name: rec[name] for name in (*mins, *maxs)})
        else:
            out["__excluded"] += int(rec["__rows"])
    if not group and not records:
        records[()] = {"__rows": 0, "__excluded": 0}  # one row over everything, even of nothing
    for out in records.values():
        for name in (*ints, *mins, *maxs):
            out.setdefault(name, None if name in mins or name in maxs else 0)
        if "__bounded" in counts:
            out["__unbounded"] = out["__rows"] - out["__bounded"]
    left = frame.select(*dict.fromkeys([*group, "id", "part_of", _WHY]))
    left = left.filter(nw.col(_WHY) != _COUNTED)
    return list(records.values()), _excluded_rows(left, group, limit)


def _collect(frame: nw.LazyFrame[Any]) -> nw.DataFrame[Any]:
    """Run a small query in its engine and bring its result into memory.

    pandas and polars keep their own kind, and Dask computes pandas; the other engines hand
    over Arrow (PySpark's pandas conversion does not support pandas 3).
    """
    impl = frame.implementation
    if impl.is_pandas() or impl.is_polars():
        return frame.collect()
    return frame.collect("pandas" if impl.is_dask() else "pyarrow")


def _key_of(rec: Mapping[str, Any], group: Sequence[str]) -> tuple[Any, ...]:
    """A group's key, equal across engines for equal values and for missing ones."""
    return tuple(None if _missing(rec[k]) else rec[k] for k in group)


def _order(value: Any) -> tuple[bool, Any]:
    """Sort key of a group value: missing values last."""
    return (True, 0) if _missing(value) else (False, value)


def _with_group_key(
    frame: nw.DataFrame[Any], columns: Sequence[str], name: str = _KEY
) -> nw.DataFrame[Any]:
    """Add one text key per group, equal across backends for equal values and nulls."""
    import narwhals as nw

    if not columns:
        return frame.with_columns(nw.lit("").alias(name))
    parts = [
        nw.when(nw.col(c).is_null()).then(nw.lit("\x00")).otherwise(nw.col(c).cast(nw.String))
        for c in columns
    ]
    return frame.with_columns(nw.concat_str(parts, separator="\x1f").alias(name))


def _aggregate(
    frame: nw.DataFrame[Any],
    group: Sequence[str],
    *,
    sums: Sequence[str],
    mins: Sequence[str] = (),
    maxs: Sequence[str] = (),
) -> nw.DataFrame[Any]:
    import narwhals as nw

    aggs = [
        *(nw.col(c).sum() for c in sums),
        *(nw.col(c).min() for c in mins),
        *(nw.col(c).max() for c in maxs),
    ]
    return frame.group_by([*group, _KEY], drop_null_keys=False).agg(*aggs)


_LISTED = 20
"""The ``excluded`` text of a group names at most this many rows; ``return_excluded`` all."""


def _excluded_rows(
    left: nw.LazyFrame[Any], group: Sequence[str], limit: int | None
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The rows left out, by group key: each with its id and the reason, in words.

    With ``limit``, only the ``limit`` lowest ids of each group (the text needs no more).
    They come in the frame's order; engines with no order of rows (DuckDB, Dask, PySpark)
    give them in the order of their ids.
    """
    import narwhals as nw

    rows = left
    impl = left.implementation
    if limit is not None and not impl.is_dask():  # Dask has no ordered windows
        rank = nw.col("id").cum_count()
        rank = rank.over(*group, order_by="id") if group else rank.over(order_by="id")
        rows = rows.filter(rank <= limit)
    got = _collect(rows)
    if limit is not None and impl.is_dask():
        got = got.sort("id")
        rank = nw.col("id").cum_count()
        got = got.filter((rank.over(*group) if group else rank) <= limit)
    if not (impl.is_pandas() or impl.is_polars()):
        got = got.sort("id")
    listed: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for rec in got.rows(named=True):
        reason = _REASONS[int(rec[_WHY])].format(part_of=rec["part_of"])
        listed.setdefault(_key_of(rec, group), []).append({"id": rec["id"], "reason": reason})
    return listed


def _excluded_summary(rec: Mapping[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
    text = "; ".join(f"{item['id']} ({item['reason']})" for item in listed[:_LISTED])
    more = int(rec["__excluded"]) - min(len(listed), _LISTED)
    if more > 0:
        text += f"; and {more:,} more (return_excluded=True lists every one)"
    return {
        "rows": int(rec["__rows"]),
        "rows_excluded": int(rec["__excluded"]),
        "excluded": text or None,
    }


def _by_columns(
    by: str | Sequence[str] | None, frame: nw.DataFrame[Any] | nw.LazyFrame[Any]
) -> list[str]:
    if by is None:
        return []
    names = [by] if isinstance(by, str) else list(by)
    unknown = [n for n in names if not isinstance(n, str) or n not in frame.columns]
    if unknown:
        raise ValueError(
            f"by names columns that the frame does not have: {unknown!r}; "
            f"its columns are: {', '.join(frame.columns)}"
        )
    return list(dict.fromkeys(names))


_USED = (
    "id",
    "part_of",
    "measure",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "period_kind",
    "period_start",
    "period_end",
)
_SEX_USED = ("flags", *_SEX_COLUMNS, "female_low", "female_high", "sex_split_derived")


def _needed(
    frame: nw.LazyFrame[Any], keys: Sequence[str], extra: Sequence[str]
) -> nw.LazyFrame[Any]:
    """Only the columns a function reads: every step then works on fewer columns."""
    names = list(dict.fromkeys([*keys, *_USED, *extra]))
    missing = [name for name in names if name not in frame.columns]
    if missing:
        # Only reached with validate=False: validation reports missing columns itself.
        raise ValueError(
            f"the frame lacks the columns {', '.join(missing)}, which this function reads"
        )
    return frame.select(names)


def _require_additive(frame: nw.LazyFrame[Any], table: str) -> None:
    """Refuse to sum a measure that the measures registry marks as not additive."""
    import narwhals as nw

    from unodc_metrics._tables import _validated

    registry = _validated("measures")
    registry = registry[registry["table"] == table]
    additive = dict(zip(registry["measure"], registry["additive"], strict=True))
    descriptions = dict(zip(registry["measure"], registry["description"], strict=True))
    # A group_by, not unique(): DuckDB runs narwhals' unique() with a window over every row
    # (4 GB at 50M rows, against 0.1 GB for the group_by).
    measures = frame.group_by("measure", drop_null_keys=False).agg(nw.len())
    found = _collect(measures).get_column("measure").to_list()
    for measure in sorted(str(m) for m in found if not _missing(m)):
        if not bool(additive.get(measure, False)):
            raise ValueError(
                f"measure {measure!r} of table {table!r} is not additive "
                f"({descriptions.get(measure, 'not in the measures registry')}): its values "
                f"cannot be summed over time. Keep only the rows of additive measures, e.g. "
                f'df[df["measure"] != "{measure}"].'
            )


def _int_or_none(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA, whatever the backend gave back."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses to be a truth value
        return True


_PANDAS_DTYPES = {"int": "Int64", "float": "Float64", "bool": "boolean"}


def _build(
    columns: Mapping[str, list[Any]],
    spec: Mapping[str, str],
    like: nw.DataFrame[Any] | nw.LazyFrame[Any],
) -> Any:
    """A new native frame of ``like``'s kind; ``like:col`` takes the dtype of ``like[col]``.

    For a lazy ``like`` the (small) result is built in memory with pyarrow, then handed to
    ``like``'s engine: a polars LazyFrame, a DuckDB relation, a Dask or a PySpark DataFrame.
    """
    import narwhals as nw

    if isinstance(like, nw.LazyFrame):
        lazy_schema = like.collect_schema()
        types = {"int": nw.Int64(), "float": nw.Float64(), "str": nw.String()}
        types["bool"] = nw.Boolean()
        built = nw.from_dict(
            {name: [None if _missing(v) else v for v in columns[name]] for name in spec},
            schema={
                name: lazy_schema[kind.removeprefix("like:")]
                if kind.startswith("like:")
                else types[kind]
                for name, kind in spec.items()
            },
            backend="pyarrow",
        )
        session = getattr(like.to_native(), "sparkSession", None)
        return built.lazy(backend=like.implementation, session=session).to_native()

    if like.implementation.is_pandas():
        import pandas as pd

        native = like.to_native()
        data: dict[str, Any] = {}
        for name, kind in spec.items():
            values = [None if _missing(v) else v for v in columns[name]]
            if kind.startswith("like:"):
                dtype = native[kind.removeprefix("like:")].dtype
            elif kind == "str":
                # The text dtype that the tables use (the long shape of GLOTIP has no id).
                dtype = native["id"].dtype if "id" in native.columns else pd.StringDtype()
            else:
                dtype = _PANDAS_DTYPES[kind]
            data[name] = pd.array(values, dtype=dtype)
        return pd.DataFrame(data, columns=list(spec))

    dtypes = {"int": nw.Int64(), "float": nw.Float64(), "str": nw.String(), "bool": nw.Boolean()}
    schema = {
        name: like.schema[kind.removeprefix("like:")] if kind.startswith("like:") else dtypes[kind]
        for name, kind in spec.items()
    }
    data = {name: [None if _missing(v) else v for v in columns[name]] for name in spec}
    return nw.from_dict(data, schema=schema, backend=like.implementation).to_native()


# --------------------------------------------------------------------------------------
# Validation: pandas through unodc_metrics.validate, polars through pandera's polars backend
# --------------------------------------------------------------------------------------


_ENGINES = "a polars LazyFrame, a DuckDB relation, a Dask DataFrame or a PySpark DataFrame"


def _input(
    df: Any, table: str, validate: bool
) -> tuple[nw.LazyFrame[Any], nw.DataFrame[Any] | nw.LazyFrame[Any]]:
    """The rows to sum, as a narwhals LazyFrame, and the frame whose kind the result takes.

    A pandas or polars DataFrame is validated as :func:`unodc_metrics.validate` does; a
    lazy frame is validated in its engine (:func:`unodc_metrics._engines.validate_lazy`).
    Either way the work then runs lazily: on polars as one optimised query, on the engines
    in the engine.
    """
    import narwhals as nw

    try:
        frame = nw.from_native(df)
    except TypeError:
        frame = None
    eager = isinstance(frame, nw.DataFrame) and (
        frame.implementation.is_pandas() or frame.implementation.is_polars()
    )
    if eager:
        checked = _validated_frame(df, table) if validate else frame
        return checked.lazy(), checked
    if not isinstance(frame, nw.LazyFrame):
        raise TypeError(
            f"the aggregations take a pandas or polars DataFrame, or {_ENGINES}; "
            f"not {type(df).__name__}"
        )
    if validate:
        from unodc_metrics._engines import validate_lazy

        validate_lazy(frame, table)
    return frame, frame


def _validated_frame(df: Any, table: str) -> nw.DataFrame[Any]:
    """Validate a pandas or polars frame against a table's schema; return it as narwhals."""
    import narwhals as nw

    from unodc_metrics._tables import validate

    return nw.from_native(validate(df, table=table), eager_only=True)


def validate_polars(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """Validate a polars DataFrame against a table's schema with pandera's polars backend.

    The polars schema is built from the table's pandas ``DataFrameModel`` (see
    :func:`polars_schema`), so each rule has one definition. The frame is not changed.

    Args:
        df: A polars DataFrame in the shape of the table.
        table: The name of the table whose schema to apply.

    Returns:
        A validated copy, with the schema's dtypes.

    Raises:
        ValidationError: If the frame does not meet the schema; its ``failures`` list every
            failure, with ``row`` the 0-based position of the row.
        LookupError: If there is no such table.

    Examples:
        >>> import polars as pl
        >>> import unodc_metrics as um
        >>> from unodc_metrics._aggregate import validate_polars
        >>> arrests = pl.from_pandas(um.load("arrests"))
        >>> validate_polars(arrests, "arrests").shape
        (4, 21)
        >>> bad = arrests.head(1).with_columns(pl.lit(-17).alias("value"))
        >>> validate_polars(bad, "arrests")
        Traceback (most recent call last):
        ...
        unodc_metrics._errors.ValidationError: table 'arrests': 2 problems found
          - row 0 (id ARR-05a), column 'value', value -17: must be at least 0
          - row 0 (id ARR-05a), column 'qualifier, value, value_low, value_high', value qualifier=exact, value=-17, value_low=17, value_high=17: the bounds must follow the qualifier: exact means value_low = value = value_high; at_least means value_low = value and no value_high; more_than and over mean value_low = value + 1 and no value_high; approximately means value_low <= value <= value_high
    """  # noqa: E501
    import pandas as pd
    import pandera.errors

    from unodc_metrics._tables import _check_name, _failures

    schema = polars_schema(_check_name(table))
    # Missing columns are reported here, as pandas validation reports them: pandera's polars
    # backend would stop at them. The rest of the frame is still checked.
    missing = [name for name in schema.columns if name not in df.columns]
    cases = [
        {"failure_case": name, "check": "column_in_dataframe", "column": table, "index": None}
        for name in missing
    ]
    coerced, not_read = _coerce_polars(df, schema)
    cases.extend(not_read)
    token = _PANDAS_VIEW.set(_LazyView(coerced, table))
    try:
        out: pl.DataFrame = schema.remove_columns(missing).validate(coerced, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        found = exc.failure_cases
        found = found.to_pandas() if hasattr(found, "to_pandas") else found
        unread = {(c["column"], c["index"]) for c in not_read}
        for case in found.to_dict("records"):
            index = None if _missing(case["index"]) else int(case["index"])
            # A value that could not be read is not reported again as missing.
            if case["check"] == "not_nullable" and (case["column"], index) in unread:
                continue
            cases.append({**case, "index": index})
    finally:
        _PANDAS_VIEW.reset(token)
    if cases:
        frame = pd.DataFrame(cases, columns=["failure_case", "check", "column", "index"])
        frame["index"] = frame["index"].astype("Int64")
        raise ValidationError(table, _failures(table, _pandas_view(df, table), frame))
    return out


def _coerce_polars(
    df: pl.DataFrame, schema: pap.DataFrameSchema
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Cast each column to the schema's dtype; list the values that cannot be read as it.

    A value that cannot be read becomes null, so that the other checks still run.
    """
    import polars as pl

    failures: list[dict[str, Any]] = []
    for name, column in schema.columns.items():
        if name not in df.columns:
            continue
        source = df.get_column(name)
        target = column.dtype.type
        if source.dtype == target:
            continue
        try:
            cast = source.cast(target, strict=False)
            bad = source.is_not_null() & cast.is_null()
            if source.dtype.is_float() and target.is_integer():
                # A fraction would be truncated: it cannot be read as a whole count.
                bad = bad | (cast.cast(pl.Float64) != source).fill_null(False)
                cast = cast.scatter(bad.arg_true(), None)
        except pl.exceptions.PolarsError:
            cast = pl.Series(name, [None] * len(source), dtype=target)
            bad = source.is_not_null()
        failures.extend(
            {
                "failure_case": str(source[i]),
                "check": f"coerce_dtype('{target}')",
                "column": name,
                "index": i,
            }
            for i in bad.arg_true().to_list()
        )
        df = df.with_columns(cast.alias(name))
    return df, failures


@cache
def polars_schema(table: str) -> pap.DataFrameSchema:
    """The pandera polars schema of a table, built from its pandas ``DataFrameModel``.

    Mirrored natively in polars: the columns, their order and dtypes (coerced), strictness,
    nullability, uniqueness, and every built-in column check (``ge``, ``le``, ``isin``,
    ``str_matches``, ``str_length``), which pandera runs on polars as they are. The rules
    across columns (``@dataframe_check`` methods of the model: bounds and qualifier,
    periods, nesting, sex counts, registries) run as pandera polars checks that call the
    model's own method on a pandas view of the frame, so each rule is written once.

    Args:
        table: The name of the table.

    Returns:
        A ``pandera.polars.DataFrameSchema``.

    Examples:
        >>> from unodc_metrics._aggregate import polars_schema
        >>> schema = polars_schema("trainings")
        >>> str(schema.columns["value"].dtype), schema.strict
        ('Int64', True)
    """
    import pandera.polars as pap

    from unodc_metrics._tables import _schema

    model = _schema(table)
    pandas_schema = model.to_schema()
    columns = {
        name: pap.Column(
            _polars_dtype(str(col.dtype)),
            checks=list(col.checks),
            nullable=col.nullable,
            unique=col.unique,
            coerce=False,  # validate_polars casts first, reporting each value it cannot read
            description=col.description,
        )
        for name, col in pandas_schema.columns.items()
    }
    checks = [
        pap.Check(
            _rule_on_pandas(getattr(model, check.name), table), name=check.name, error=check.error
        )
        for check in pandas_schema.checks
    ]
    return pap.DataFrameSchema(
        columns,
        checks=checks,
        strict=bool(pandas_schema.strict),
        ordered=pandas_schema.ordered,
        unique=pandas_schema.unique,
        coerce=False,
        name=table,
    )


def _polars_dtype(pandas_dtype: str) -> Any:
    import polars as pl

    if pandas_dtype.startswith(("string", "str")):
        return pl.String
    if pandas_dtype.startswith("datetime"):
        return pl.Datetime("us")
    return {"Int64": pl.Int64, "Float64": pl.Float64, "bool": pl.Boolean}[pandas_dtype]


def _rule_on_pandas(rule: Callable[[Any], Any], table: str) -> Callable[[Any], Any]:
    """Wrap a pandas rule of a schema as a pandera polars dataframe check."""

    def check(data: Any) -> Any:
        import polars as pl

        view = _PANDAS_VIEW.get()
        frame = view.get() if view is not None else _pandas_view(data.lazyframe.collect(), table)
        ok = rule(frame).fillna(False).astype(bool).to_numpy()
        return pl.LazyFrame({"check_output": pl.Series(ok, dtype=pl.Boolean)})

    return check


class _LazyView:
    """The pandas view of the frame being validated, made once for all of its rules."""

    def __init__(self, df: pl.DataFrame, table: str) -> None:
        self._df, self._table = df, table
        self._view: pd.DataFrame | None = None

    def get(self) -> pd.DataFrame:
        if self._view is None:
            self._view = _pandas_view(self._df, self._table)
        return self._view


_PANDAS_VIEW: contextvars.ContextVar[_LazyView | None] = contextvars.ContextVar(
    "unodc_metrics_pandas_view", default=None
)


def _pandas_view(df: pl.DataFrame, table: str) -> pd.DataFrame:
    """A pandas copy of a polars frame with the pandas schema's dtypes, where they apply."""
    from unodc_metrics._tables import _schema

    frame = df.to_pandas()
    for name, col in _schema(table).to_schema().columns.items():
        if name in frame.columns:
            # Left as it is where it cannot be cast: the column checks report the problem.
            with contextlib.suppress(TypeError, ValueError):
                frame[name] = frame[name].astype(col.dtype.type)
    return frame
