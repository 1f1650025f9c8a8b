"""What the sums of GLOTIP's long shape share: its keys, why a line is left out, and how the
lines left out are listed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY, by_columns
from unodc_metrics._base.vocabulary import GLOTIP_SUMMED_AREAS

__all__ = [
    "AGE_PART",
    "AREA",
    "BREAKDOWN_PART",
    "CELL",
    "GROUP",
    "IN_UNSPLIT",
    "KEY",
    "NO_TOTAL",
    "ROW_KEY",
    "SUMMED",
    "aggregate",
    "area_reason",
    "figure_areas",
    "glotip_by",
    "glotip_excluded",
    "glotip_excluded_summary",
    "with_group_key",
    "with_repeats",
]

KEY = "__key"
"""The column of each row's group key, as text."""

# Why a row of the long shape is left out.
AGE_PART, NO_TOTAL, IN_UNSPLIT, BREAKDOWN_PART = 11, 12, 13, 14
_REASONS = {
    AGE_PART: "a row of an age breakdown (by age group): not a part of the breakdown by sex",
    NO_TOTAL: "a part by sex in a cell that has no total: nothing says what it is a part of",
    IN_UNSPLIT: (
        "unknown sex and age in a cell with no part by sex: its persons are already in the "
        "cell's total, which counts wholly as unknown"
    ),
    BREAKDOWN_PART: (
        "a part of a breakdown (by sex, age or dimension): a part is never added to its whole"
    ),
}
# Why a line is left out for the area it counts (``areas`` says which areas are summed).
AGGREGATE_AREA, OTHER_AREA, COUNTRY_AREA = 15, 16, 17
_REASONS |= {
    AGGREGATE_AREA: (
        "an area aggregate (area_kind region_aggregate): never added to the countries it "
        "contains; areas='aggregates' sums the aggregates on their own"
    ),
    OTHER_AREA: (
        "neither a country nor a territory nor an aggregate (area_kind combined or unknown): "
        "it may count persons that other lines count"
    ),
    COUNTRY_AREA: "a country or territory: areas='aggregates' sums area aggregates only",
}
AREA = "area_kind"
"""The column that says what area a line counts."""
GROUP = ("indicator", "dimension", "category")
"""Always grouping columns of gender_breakdown on the long shape: never summed across."""
CELL = ("indicator", "dimension", "category", "iso3", "country", "year")
"""The columns that a breakdown's parts share with its total."""
ROW_KEY = (*CELL, "sex", "age")
"""A count's key in the file; lines may repeat it."""
SUMMED = ("sex", "age", "value", "value_low", "value_high", "censored", "line")
"""Columns of the long shape that are summed or told apart, so never grouping columns."""
_LINES_SHOWN = 10


def glotip_by(by: str | Sequence[str] | None, frame: nw.DataFrame[Any]) -> list[str]:
    """The ``by`` columns; refused where they name what is summed or told apart."""
    keys = by_columns(by, frame)
    summed = [k for k in keys if k in SUMMED]
    if summed:
        raise ValueError(
            f"by cannot name {summed!r}: in the long shape of 'glotip' the columns "
            f"{', '.join(SUMMED)} are what is summed or told apart, not groups"
        )
    return keys


def figure_areas(areas: str) -> None:
    """Refuse an ``areas`` option other than the default for a figure table."""
    if areas != "countries":
        raise ValueError(
            "areas applies to the long shape of 'glotip', whose lines count areas of "
            "different kinds; a figure table has no area aggregates"
        )


def area_reason(areas: str, frame: nw.DataFrame[Any]) -> nw.Expr:
    """Why each line is left out for its area, as a reason code; ``COUNTED`` where it is
    summed.

    Raises:
        ValueError: If ``areas`` is not an option, or the frame has no ``area_kind``.
    """
    if areas not in GLOTIP_SUMMED_AREAS:
        options = " or ".join(map(repr, GLOTIP_SUMMED_AREAS))
        raise ValueError(f"areas must be {options}, not {areas!r}")
    if AREA not in frame.columns:
        raise ValueError(
            "the long shape of 'glotip' needs its area_kind column, which says what area each "
            "line counts: read the file with read_glotip"
        )
    kind = nw.col(AREA)
    return (
        nw.when(kind.is_in(GLOTIP_SUMMED_AREAS[areas]))
        .then(nw.lit(COUNTED))
        .when(kind == "region_aggregate")
        .then(nw.lit(AGGREGATE_AREA))
        .when(kind.is_in(GLOTIP_SUMMED_AREAS["countries"]))
        .then(nw.lit(COUNTRY_AREA))
        .otherwise(nw.lit(OTHER_AREA))
        .cast(nw.Int64)
    )


def with_group_key(
    frame: nw.DataFrame[Any], columns: Sequence[str], name: str = KEY
) -> nw.DataFrame[Any]:
    """Add one text key per group, equal across backends for equal values and nulls."""
    if not columns:
        return frame.with_columns(nw.lit("").alias(name))
    parts = [
        nw.when(nw.col(c).is_null()).then(nw.lit("\x00")).otherwise(nw.col(c).cast(nw.String))
        for c in columns
    ]
    return frame.with_columns(nw.concat_str(parts, separator="\x1f").alias(name))


def with_repeats(frame: nw.DataFrame[Any]) -> nw.DataFrame[Any]:
    """Add ``__repeats``: how many rows of the frame have the row's key (1 when unique)."""
    frame = with_group_key(frame, ROW_KEY, name="__rowkey")
    return frame.with_columns(
        nw.col("line").count().over("__rowkey").cast(nw.Int64).alias("__repeats")
    )


def aggregate(
    frame: nw.DataFrame[Any],
    group: Sequence[str],
    *,
    sums: Sequence[str],
    maxs: Sequence[str] = (),
) -> nw.DataFrame[Any]:
    """Sums (and largest values) per group of ``group`` and the group key."""
    aggs = [*(nw.col(c).sum() for c in sums), *(nw.col(c).max() for c in maxs)]
    return frame.group_by([*group, KEY], drop_null_keys=False).agg(*aggs)


def glotip_excluded(frame: nw.DataFrame[Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows left out, by group key and in line order: each with its line and reason."""
    listed: dict[str, list[dict[str, Any]]] = {}
    left_out = frame.filter(nw.col(WHY) != COUNTED).select(KEY, "line", WHY).sort("line")
    for key, line, why in left_out.iter_rows():
        listed.setdefault(key, []).append({"line": int(line), "reason": _REASONS[int(why)]})
    return listed


def glotip_excluded_summary(rec: Mapping[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
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
