"""The breakdown by sex of the wide shape, shared by gender_breakdown and
trainees_per_initiative: the sums per group in the frame's engine, then one output row each
(:mod:`._sex_summary`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY, order, require_additive
from unodc_metrics._aggregations._groups import (
    EXCLUDED_LISTED,
    excluded_summary,
    group_sums,
    listed_rows,
)
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._overlaps import overlaps_by_group
from unodc_metrics._aggregations._periods import (
    OUTSIDE_SPEC,
    outside_listed,
    outside_summary,
    outside_term,
)
from unodc_metrics._aggregations._rows import POINTS, ROW_TERMS, row_columns
from unodc_metrics._aggregations._sex_summary import sex_spec, sex_summary
from unodc_metrics._aggregations._totals import TOTAL_COUNTS, total_terms

__all__ = ["SEX_USED", "sex_breakdown"]

SEX_USED = (
    "description",
    "flags",
    "female",
    "male",
    "other_sex",
    "unknown_sex",
    "female_low",
    "female_high",
    "sex_split_derived",
)
"""The columns of the wide shape that the breakdown by sex reads, beyond the totals'."""

_HIGHS = ("__unknown_high", "__unreconciled_high", "__fmax_f", "__fmax_t", "__mmax_m")
"""Per-row upper bounds: a group's sum of one is missing where any row has none."""

_SINGLE, _LABEL = "__single", "__label"
"""A row whose group value is missing is its own group: its id and its description."""


def _sums() -> dict[str, str | nw.Expr]:
    sums: dict[str, str | nw.Expr] = {**total_terms(), **outside_term(), **POINTS}
    sums.update({name: name for name in (*ROW_TERMS, *_HIGHS, "__open_f")})
    sums["__derived"] = nw.col("sex_split_derived").fill_null(False).cast(nw.Int64)
    return sums


def _counts() -> dict[str, str]:
    counts = {**TOTAL_COUNTS, **{f"__n{name}": name for name in _HIGHS}}
    counts.update(__has_female="female", __has_male="male", __has_other="other_sex")
    counts["__has_unknown"] = "unknown_sex"
    return counts


def sex_breakdown(
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
    """The breakdown by sex per group of ``keys`` (and of ``extra_keys``: output name to a
    column); with ``coverage``, the first and last day the group's rows cover.

    A counted row whose value of a key is missing is not pooled with other such rows: it is a
    group of its own, named by its ``id`` and ``description`` (the output columns ``row``
    and ``description``, missing for the groups of rows that have every key).
    """
    require_additive(frame, table)
    extra = dict(extra_keys or {})
    for stage in row_columns():
        frame = frame.with_columns(**stage)
    if keys:
        lone = nw.any_horizontal(*(nw.col(k).is_null() for k in keys), ignore_nulls=True)
        lone = lone & (nw.col(WHY) == COUNTED)
        frame = frame.with_columns(
            nw.when(lone).then(nw.col("id")).alias(_SINGLE),
            nw.when(lone).then(nw.col("description")).alias(_LABEL),
        )
    singles = [_SINGLE, _LABEL] if keys else []
    group = [*keys, *extra.values(), *singles]
    counts, mins, maxs = _counts(), {}, {}
    if coverage:
        mins, maxs = {"__start": "period_start"}, {"__end": "period_end"}
        counts.update({"__has_start": "period_start", "__has_end": "period_end"})
    records, excluded = group_sums(
        frame,
        group,
        _sums(),
        counts=counts,
        mins=mins,
        maxs=maxs,
        limit=None if want_excluded else EXCLUDED_LISTED,
    )
    overlaps = overlaps_by_group(frame, group, ["__t_low", "__f_lo", "male", "other_sex"])
    outside = outside_listed(frame, group)
    allocated = _allocated_from(frame, group) if unknown == "proportional" else {}
    records.sort(key=lambda rec: tuple(order(rec[k]) for k in group))
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        values = {**{k: rec[k] for k in keys}, **{k: rec[v] for k, v in extra.items()}}
        key = tuple(rec[k] for k in group)
        listed = excluded.get(key, [])
        row = dict(values)
        if keys:
            row.update(row=rec[_SINGLE], description=rec[_LABEL])
        if coverage:
            row["period_start"] = rec["__start"] if rec["__has_start"] == rec["__rows"] else None
            row["period_end"] = rec["__end"] if rec["__has_end"] == rec["__rows"] else None
        row.update(sex_summary(rec, unknown, overlaps.get(key), allocated.get(key)))
        row.update(outside_summary(rec, outside.get(key, [])))
        row.update(excluded_summary(rec, listed))
        out_rows.append(row)
        ex_rows.extend({**values, **item} for item in listed)
    key_spec = {**{k: f"like:{k}" for k in keys}, **dict.fromkeys(extra, "str")}
    spec = dict(key_spec)
    if keys:
        spec.update(row="str", description="str")
    if coverage:
        spec.update({"period_start": "like:period_start", "period_end": "like:period_end"})
    spec.update(sex_spec(unknown))
    spec.update(OUTSIDE_SPEC)
    spec.update({"rows": "int", "rows_excluded": "int", "excluded": "str"})
    result = frame_of(out_rows, spec, like)
    if not want_excluded:
        return result, None
    return result, frame_of(ex_rows, {**key_spec, "id": "str", "reason": "str"}, like)


def _allocated_from(frame: nw.LazyFrame[Any], group: list[str]) -> dict[tuple[Any, ...], str]:
    """The rows whose persons of unknown sex ``"proportional"`` allocates, by group."""
    where = (nw.col(WHY) == COUNTED) & (nw.col("__unknown") > 0)
    found = listed_rows(frame, where, group, ["__unknown"], EXCLUDED_LISTED)
    return {
        key: ", ".join(f"{r['id']} ({int(r['__unknown']):,})" for r in recs)
        for key, recs in found.items()
    }
