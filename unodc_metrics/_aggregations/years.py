"""totals_by_year: totals per calendar year, a row only in the year that holds its period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, overload

import narwhals as nw

from unodc_metrics._aggregations._common import (
    COUNTED,
    CUMULATIVE,
    NESTED,
    NO_PERIOD,
    OUTSIDE,
    STOCK,
    WHY,
    FrameT,
    GlotipAreas,
    by_columns,
    int_or_none,
    needed,
    order,
    require_additive,
    validated_glotip,
    wide_input,
)
from unodc_metrics._aggregations._glotip import figure_areas
from unodc_metrics._aggregations._glotip_years import glotip_totals_by_year
from unodc_metrics._aggregations._groups import EXCLUDED_LISTED, group_sums
from unodc_metrics._aggregations._lift import with_parts_floor
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._overlaps import overlaps_by_group
from unodc_metrics._aggregations._periods import (
    OUTSIDE_SPEC,
    Within,
    inside,
    outside_listed,
    outside_term,
    within_dates,
)
from unodc_metrics._aggregations._rows import total_columns
from unodc_metrics._aggregations._totals import TOTAL_COUNTS, TOTAL_SPEC, total_rows, total_terms
from unodc_metrics._base.engines import quietly
from unodc_metrics._catalogue import FIGURE_TABLES
from unodc_metrics._readers import GLOTIP

__all__ = ["totals_by_year"]

_SPEC = {"year": "int", "years": "str", **TOTAL_SPEC, **OUTSIDE_SPEC}
_SPEC.update({"rows": "int", "rows_excluded": "int", "excluded": "str"})


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


@quietly
def totals_by_year(
    df: FrameT,
    *,
    table: str,
    by: str | Sequence[str] | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
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

    Rows that may count the same persons (``may_overlap``) make their group's total a range:
    ``total`` is missing, ``total_low`` counts only what must be distinct, ``total_high``
    all of it, and ``overlaps`` names them. With ``within=(start, end)`` (such as
    ``um.REPORTING_PERIOD``), rows whose period is not wholly inside are left out and listed;
    without it, rows flagged as outside the reporting period are counted in their year, and
    named in ``outside_period`` with the part of the total they make
    (``outside_period_total``).

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
        within: A period ``(start, end)``: rows not wholly inside it are left out.
        areas: For the long shape of ``"glotip"``: ``"countries"`` (the default) sums the
            lines of countries and territories (``area_kind``); ``"aggregates"`` sums the
            area aggregates on their own. The other lines are left out and listed, so an
            aggregate is never added to the countries it contains.
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
        ``qualifier``, ``total_low``, ``total_high``, ``total_status``, ``overlaps``,
        ``outside_period``, ``outside_period_total``, ``rows`` (rows summed),
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
        >>> from unodc_metrics import load, read_glotip, totals_by_year
        >>> out = totals_by_year(load("rescues"), table="rescues")
        >>> out[["status", "year", "total", "rows", "rows_excluded"]]
               status  year  total  rows  rows_excluded
        0  identified  2021     18     1              0
        1     rescued  2020    124     2              2
        2     rescued  2021     85     2              3
        >>> totals_by_year(load("protocol_status"), table="protocol_status")
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
        >>> glotip = read_glotip(io.StringIO("".join(line + chr(10) for line in lines)))
        >>> out = totals_by_year(glotip, table="glotip")
        >>> out[["year", "total", "qualifier", "total_low", "total_high", "rows", "censored"]]
           year  total qualifier  total_low  total_high  rows  censored
        0  2022   <NA>     range         22          26     2         1
        >>> out.loc[0, "excluded"]
        '1 row (a part of a breakdown ...): line 4'
    """  # noqa: E501
    bounds = within_dates(within)
    if table == GLOTIP:
        if bounds is not None:
            raise ValueError("within applies to the figure tables; select GLOTIP's years instead")
        long = validated_glotip(df, validate)
        return glotip_totals_by_year(long, by, return_excluded, areas)  # type: ignore[no-any-return]
    figure_areas(areas)
    if table not in FIGURE_TABLES:
        raise ValueError(
            f"totals_by_year sums a figure table, one of {', '.join(FIGURE_TABLES)}, or "
            f"the long shape of 'glotip'; got {table!r}"
        )
    frame: nw.LazyFrame[Any]
    frame, like = wide_input(df, table, validate)
    require_additive(frame, table)
    implicit: list[str] = ["measure", "status"] if table == "rescues" else ["measure"]
    keys: list[str] = list(dict.fromkeys([*implicit, *by_columns(by, frame)]))
    group = [*keys, "__y1", "__y2"]
    frame = needed(with_parts_floor(frame), keys, ())
    placed = _placed(frame.with_columns(**total_columns()), bounds)
    records, excluded = group_sums(
        placed,
        group,
        {**total_terms(), **outside_term()},
        counts=TOTAL_COUNTS,
        limit=None if return_excluded else EXCLUDED_LISTED,
    )
    overlaps = overlaps_by_group(placed, group, ["__t_low"])
    outside = outside_listed(placed, group)
    # Within a group: single years first, then spans of years, then the rows no year holds.
    records.sort(
        key=lambda rec: (
            tuple(order(rec[k]) for k in keys),
            2 if rec["__y1"] is None else (0 if rec["__y1"] == rec["__y2"] else 1),
            order(rec["__y1"]),
            order(rec["__y2"]),
        )
    )
    out_rows, ex_rows = total_rows(records, group, (excluded, overlaps, outside), _place(keys))
    key_spec = {k: f"like:{k}" for k in keys}
    result = frame_of(out_rows, {**key_spec, **_SPEC}, like)
    if not return_excluded:
        return result  # type: ignore[no-any-return]
    ex_spec = {**key_spec, "year": "int", "years": "str", "id": "str", "reason": "str"}
    return result, frame_of(ex_rows, ex_spec, like)


def _placed(
    frame: nw.LazyFrame[Any], bounds: tuple[dt.datetime, dt.datetime] | None
) -> nw.LazyFrame[Any]:
    """The rows with why each is or is not counted, and the years its period runs from and
    to, where it can be placed."""
    kind = nw.col("period_kind")
    start, end = nw.col("period_start"), nw.col("period_end")
    why = (
        nw.when(~nw.col("part_of").is_null())
        .then(nw.lit(NESTED))
        .when(kind == "cumulative")
        .then(nw.lit(CUMULATIVE))
        .when(kind == "stock")
        .then(nw.lit(STOCK))
        .when(start.is_null() | end.is_null())
        .then(nw.lit(NO_PERIOD))
    )
    if bounds is not None:
        why = why.when(~inside(bounds)).then(nw.lit(OUTSIDE))
    frame = frame.with_columns(why.otherwise(nw.lit(COUNTED)).cast(nw.Int64).alias(WHY))
    placed = ((nw.col(WHY) <= NESTED) | (nw.col(WHY) == OUTSIDE)) & ~start.is_null()
    placed = placed & ~end.is_null()
    # (No cast here: pandas gives float years where a date is missing.)
    return frame.with_columns(
        nw.when(placed).then(start.dt.year()).alias("__y1"),
        nw.when(placed).then(end.dt.year()).alias("__y2"),
    )


def _place(keys: Sequence[str]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """A group's own columns: its keys, its year (where one holds it) and its years."""

    def place(rec: Mapping[str, Any]) -> dict[str, Any]:
        y1, y2 = int_or_none(rec["__y1"]), int_or_none(rec["__y2"])
        year = y1 if y1 is not None and y1 == y2 else None
        years = None if y1 is None else (str(y1) if y1 == y2 else f"{y1}-{y2}")
        return {**{k: rec[k] for k in keys}, "year": year, "years": years}

    return place
