"""Sums over the figure tables that keep what the report says about each figure.

The three functions here add up figures without losing the report's caveats: persons of
unknown sex, qualified numbers ("at least 49"), periods that are not years, figures "to
date", and rows nested in other rows. Each one:

- accepts a pandas or a polars DataFrame in the shape of a table (the curated tables, or a
  user's own records), validates it (pandas through :func:`unodc_metrics.validate`, polars
  through pandera's polars backend) and raises :class:`unodc_metrics.ValidationError`
  listing every failure;
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

The code is written once against narwhals, so pandas and polars give the same numbers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from unodc_metrics._errors import ValidationError

if TYPE_CHECKING:
    import narwhals as nw
    import pandas as pd
    import pandera.polars as pap
    import polars as pl

__all__ = [
    "UNKNOWN_CHOICES",
    "UnknownSex",
    "gender_breakdown",
    "polars_schema",
    "totals_by_year",
    "trainees_per_initiative",
    "validate_polars",
]

FrameT = TypeVar("FrameT", "pd.DataFrame", "pl.DataFrame")
"""A pandas or a polars DataFrame: each function returns the kind it was given."""

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


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str = "trainings",
    return_excluded: Literal[False] = False,
) -> FrameT: ...


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str = "trainings",
    return_excluded: Literal[True],
) -> tuple[FrameT, FrameT]: ...


def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str = "trainings",
    return_excluded: bool = False,
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

    Args:
        df: A pandas or polars DataFrame that validates against the ``trainings`` schema.
        by: A column name, a list of them, or None for one row over everything.
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
        table: The schema to validate against. Only ``"trainings"`` has the sex columns.
        return_excluded: Also return a frame of the rows left out, with the ``by``
            columns, ``id`` and ``reason``.

    Returns:
        One row per group, with the ``by`` columns, ``female``, ``male``, ``other``,
        ``unknown``, ``total`` (the sum of the reported totals), ``unreconciled``, the
        shares ``female_share``, ``male_share``, ``other_share``, ``unknown_share`` (and
        in ``"bounds"`` mode their bounds), ``qualifier``, ``total_low``, ``total_high``,
        ``female_low``, ``female_high``, ``estimate``, ``rows`` (rows summed),
        ``rows_excluded`` and ``excluded`` (which rows were left out and why). With
        ``return_excluded=True``, a tuple of that frame and the frame of rows left out.

    Raises:
        ValidationError: If ``df`` does not validate against the table's schema.
        ValueError: If ``unknown``, ``table`` or ``by`` is not one the function knows.
        TypeError: If ``df`` is neither a pandas nor a polars DataFrame.

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
    """
    import narwhals as nw

    if unknown not in UNKNOWN_CHOICES:
        raise ValueError(f"unknown must be one of {', '.join(UNKNOWN_CHOICES)}; got {unknown!r}")
    if table != "trainings":
        raise ValueError(
            f"gender_breakdown needs the sex columns of the 'trainings' table; got {table!r}"
        )
    frame = _validated_frame(df, table)
    keys = _by_columns(by, frame)
    frame = _needed(frame, keys, _SEX_USED)
    frame = frame.with_columns(
        nw.when(~nw.col("part_of").is_null())
        .then(nw.lit(_NESTED))
        .otherwise(nw.lit(_COUNTED))
        .cast(nw.Int64)
        .alias(_WHY)
    )
    result, excluded = _sex_breakdown(frame, keys, unknown, table, always_one_row=not keys)
    return (result, excluded) if return_excluded else result


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[False] = False,
) -> pd.DataFrame: ...


@overload
def trainees_per_initiative(
    df: None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[True],
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[False] = False,
) -> FrameT: ...


@overload
def trainees_per_initiative(
    df: FrameT,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: Literal[True],
) -> tuple[FrameT, FrameT]: ...


def trainees_per_initiative(
    df: FrameT | None = None,
    *,
    unknown: UnknownSex = "separate",
    return_excluded: bool = False,
) -> Any:
    """The number of persons each initiative trained, with its breakdown by sex.

    Figures for a period (a year, part of one, a date range, or an unstated period) and
    figures "to date" (``cumulative``) or "as at" a date (``stock``) are kept apart, in the
    column ``basis``, and never summed together: a count "to date" may already hold the
    persons of a period count. Rows without an initiative form the row whose initiative is
    missing. Rows that are ``part_of`` another row are left out and listed.

    Args:
        df: A pandas or polars DataFrame that validates against the ``trainings`` schema;
            by default the curated ``trainings`` table.
        unknown: How shares treat persons of unknown sex; see :func:`gender_breakdown`.
        return_excluded: Also return a frame of the rows left out.

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
        TypeError: If ``df`` is neither a pandas nor a polars DataFrame.

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
    frame = _needed(_validated_frame(source, "trainings"), ["initiative"], _SEX_USED)
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
        ["initiative"],
        unknown,
        "trainings",
        always_one_row=False,
        extra_keys={"basis": "__basis"},
        coverage=True,
    )
    return (result, excluded) if return_excluded else result


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: Literal[False] = False,
) -> FrameT: ...


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: Literal[True],
) -> tuple[FrameT, FrameT]: ...


def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    return_excluded: bool = False,
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

    Args:
        df: A pandas or polars DataFrame that validates against the schema of ``table``.
        table: The figure table whose schema ``df`` has, e.g. ``"rescues"``. Required, so
            that a frame is never checked against the wrong schema.
        by: Further grouping columns: a column name, a list of them, or None.
        return_excluded: Also return a frame of the rows left out, with the grouping
            columns, ``year``, ``years``, ``id`` and ``reason``.

    Returns:
        One row per group and year (then per span of years, then one row of rows that no
        year can hold), with the grouping columns, ``year``, ``years``, ``total``,
        ``qualifier``, ``total_low``, ``total_high``, ``rows`` (rows summed),
        ``rows_excluded`` and ``excluded`` (which rows were left out and why). With
        ``return_excluded=True``, a tuple of that frame and the frame of rows left out.

    Raises:
        ValueError: If ``df`` holds a measure that is not additive (such as ``parties``, a
            stock, or a count of distinct countries), which cannot be summed over time; or
            if ``table`` is not a figure table or ``by`` names an unknown column.
        ValidationError: If ``df`` does not validate against the schema of ``table``.
        TypeError: If ``df`` is neither a pandas nor a polars DataFrame.

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
    """  # noqa: E501
    import narwhals as nw

    from unodc_metrics._tables import FIGURE_TABLES

    if table not in FIGURE_TABLES:
        raise ValueError(
            f"totals_by_year sums a figure table, one of {', '.join(FIGURE_TABLES)}; got {table!r}"
        )
    frame: nw.DataFrame[Any] = _validated_frame(df, table)
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
    cells: list[str] = ["__y1", "__y2"]
    frame = _with_group_key(frame, [*keys, *cells])
    counted = nw.col(_WHY) == _COUNTED
    frame = frame.with_columns(**_masked(_total_terms(), counted))
    sums = ["__rows", "__excluded", *_total_terms()]
    agg = _aggregate(frame, [*keys, *cells], sums=sums)
    agg = agg.with_columns(
        nw.when(nw.col("__y1").is_null())
        .then(nw.lit(2))
        .when(nw.col("__y1") == nw.col("__y2"))
        .then(nw.lit(0))
        .otherwise(nw.lit(1))
        .alias("__order")
    ).sort([*keys, "__order", "__y1", "__y2"], nulls_last=True)
    excluded = _excluded_rows(frame)

    columns: dict[str, list[Any]] = {k: [] for k in keys}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in agg.rows(named=True):
        y1, y2 = _int_or_none(rec["__y1"]), _int_or_none(rec["__y2"])
        year = y1 if y1 is not None and y1 == y2 else None
        years = None if y1 is None else (str(y1) if y1 == y2 else f"{y1}-{y2}")
        listed = excluded.get(rec[_KEY], [])
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
    result = _build(columns, {**{k: f"like:{k}" for k in keys}, **spec}, frame)
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
    return result, _build(ex_columns, ex_spec, frame)


# --------------------------------------------------------------------------------------
# The breakdown by sex, shared by gender_breakdown and trainees_per_initiative
# --------------------------------------------------------------------------------------


def _sex_terms() -> dict[str, nw.Expr]:
    """Per-row contributions by sex; see gender_breakdown for the rules."""
    import narwhals as nw

    female, male = nw.col("female").fill_null(0), nw.col("male").fill_null(0)
    other, unknown = nw.col("other_sex").fill_null(0), nw.col("unknown_sex").fill_null(0)
    value = nw.col("value")
    rest = value - female - male - other - unknown
    no_info = (
        nw.col("female").is_null()
        & nw.col("male").is_null()
        & nw.col("other_sex").is_null()
        & nw.col("unknown_sex").is_null()
    )
    # A row that states its count of unknown sex has accounted for everyone it can: what its
    # counts leave over is a shortfall of the report's own parts, not persons of unknown sex.
    short = ~nw.col("unknown_sex").is_null()
    to_unknown = nw.when((rest > 0) & (no_info | ~short)).then(rest).otherwise(0)
    # Persons who may be of either sex: neither female, male nor other in the row's counts.
    slack = (value - female - male - other).clip(lower_bound=0)
    derived = nw.col("sex_split_derived")
    female_low = nw.col("female_low").fill_null(0)
    female_high = nw.col("female_high").fill_null(0)
    return {
        "__female": female,
        "__male": male,
        "__other": other,
        "__unknown": unknown + to_unknown,
        "__unreconciled": rest - to_unknown,
        "__female_low": female_low,
        "__female_high": female_high,
        # A percentage of women bounds the women of its whole row.
        "__female_max": nw.when(derived).then(female_high).otherwise(female + slack),
        "__male_max": nw.when(derived)
        .then(male + slack + female - female_low)
        .otherwise(male + slack),
    }


def _sex_breakdown(
    frame: nw.DataFrame[Any],
    keys: list[str],
    unknown: str,
    table: str,
    *,
    always_one_row: bool,
    extra_keys: Mapping[str, str] | None = None,
    coverage: bool = False,
) -> tuple[Any, Any]:
    import narwhals as nw

    _require_additive(frame, table)
    extra = dict(extra_keys or {})
    group = [*keys, *extra.values()]
    frame = _with_group_key(frame, group)
    counted = nw.col(_WHY) == _COUNTED
    terms = {**_total_terms(), **_sex_terms()}
    frame = frame.with_columns(**_masked(terms, counted))
    mins: list[str] = []
    maxs: list[str] = []
    sums = ["__rows", "__excluded", *terms]
    if coverage:
        frame = frame.with_columns(
            nw.when(counted).then(nw.col("period_start")).alias("__start"),
            nw.when(counted).then(nw.col("period_end")).alias("__end"),
            (counted & nw.col("period_start").is_null()).cast(nw.Int64).alias("__no_start"),
            (counted & nw.col("period_end").is_null()).cast(nw.Int64).alias("__no_end"),
        )
        mins, maxs = ["__start"], ["__end"]
        sums += ["__no_start", "__no_end"]
    agg = _aggregate(frame, group, sums=sums, mins=mins, maxs=maxs)
    if group:
        agg = agg.sort(group, nulls_last=True)
    records = agg.rows(named=True)
    if always_one_row and not records:
        records = [{_KEY: "", **{name: 0 for name in sums}}]
    excluded = _excluded_rows(frame)

    out_keys = [*keys, *extra]
    columns: dict[str, list[Any]] = {k: [] for k in out_keys}
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        values = {**{k: rec[k] for k in keys}, **{k: rec[v] for k, v in extra.items()}}
        for k in out_keys:
            columns[k].append(values[k])
        listed = excluded.get(rec[_KEY], [])
        row: dict[str, Any] = {}
        if coverage:
            row["period_start"] = None if rec["__no_start"] else rec["__start"]
            row["period_end"] = None if rec["__no_end"] else rec["__end"]
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
    result = _build(columns, {**key_spec, **spec}, frame)
    ex_spec = {**key_spec, "id": "str", "reason": "str"}
    ex_columns = {name: [r[name] for r in ex_rows] for name in ex_spec}
    return result, _build(ex_columns, ex_spec, frame)


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
# Totals, qualifiers and bounds
# --------------------------------------------------------------------------------------


def _total_terms() -> dict[str, nw.Expr]:
    import narwhals as nw

    high = nw.col("value_high")
    return {
        "__total": nw.col("value"),
        "__total_low": nw.col("value_low"),
        "__total_high": high.fill_null(0),
        "__unbounded": high.is_null().cast(nw.Int64),
        "__inexact": (nw.col("qualifier") != "exact").cast(nw.Int64),
    }


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


def _with_group_key(frame: nw.DataFrame[Any], columns: Sequence[str]) -> nw.DataFrame[Any]:
    """Add one text key per group, equal across backends for equal values and nulls."""
    import narwhals as nw

    if not columns:
        return frame.with_columns(nw.lit("").alias(_KEY))
    parts = [
        nw.when(nw.col(c).is_null()).then(nw.lit("\x00")).otherwise(nw.col(c).cast(nw.String))
        for c in columns
    ]
    return frame.with_columns(nw.concat_str(parts, separator="\x1f").alias(_KEY))


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


def _excluded_rows(frame: nw.DataFrame[Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows left out, by group key: each with its id and the reason, in words."""
    import narwhals as nw

    listed: dict[str, list[dict[str, Any]]] = {}
    left_out = frame.filter(nw.col(_WHY) != _COUNTED).select(_KEY, "id", "part_of", _WHY)
    for rec in left_out.rows(named=True):
        reason = _REASONS[int(rec[_WHY])].format(part_of=rec["part_of"])
        listed.setdefault(rec[_KEY], []).append({"id": rec["id"], "reason": reason})
    return listed


def _excluded_summary(rec: Mapping[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
    text = "; ".join(f"{item['id']} ({item['reason']})" for item in listed)
    return {
        "rows": int(rec["__rows"]),
        "rows_excluded": int(rec["__excluded"]),
        "excluded": text or None,
    }


def _by_columns(by: str | Sequence[str] | None, frame: nw.DataFrame[Any]) -> list[str]:
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
    frame: nw.DataFrame[Any], keys: Sequence[str], extra: Sequence[str]
) -> nw.DataFrame[Any]:
    """Only the columns a function reads: every step then works on fewer columns."""
    return frame.select(list(dict.fromkeys([*keys, *_USED, *extra])))


def _require_additive(frame: nw.DataFrame[Any], table: str) -> None:
    """Refuse to sum a measure that the measures registry marks as not additive."""
    from unodc_metrics._tables import _validated

    registry = _validated("measures")
    registry = registry[registry["table"] == table]
    additive = dict(zip(registry["measure"], registry["additive"], strict=True))
    descriptions = dict(zip(registry["measure"], registry["description"], strict=True))
    present = sorted(str(m) for m in frame.get_column("measure").unique().to_list())
    for measure in present:
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
    columns: Mapping[str, list[Any]], spec: Mapping[str, str], like: nw.DataFrame[Any]
) -> Any:
    """A new native frame of ``like``'s kind; ``like:col`` takes the dtype of ``like[col]``."""
    import narwhals as nw

    if like.implementation.is_pandas():
        import pandas as pd

        native = like.to_native()
        data: dict[str, Any] = {}
        for name, kind in spec.items():
            values = [None if _missing(v) else v for v in columns[name]]
            if kind.startswith("like:"):
                dtype = native[kind.removeprefix("like:")].dtype
            elif kind == "str":
                dtype = native["id"].dtype  # the text dtype that the tables use
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

        frame = _pandas_view(data.lazyframe.collect(), table)
        ok = rule(frame).fillna(False).astype(bool).tolist()
        return pl.LazyFrame({"check_output": pl.Series(ok, dtype=pl.Boolean)})

    return check


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
