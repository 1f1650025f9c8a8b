"""gender_breakdown on GLOTIP's long shape: each cell's parts by sex against its total.

The steps: classify each line of its cell (:func:`_classified`), turn each counted line into
the bounds it adds (:func:`_with_terms`), sum per cell and bound what each cell's total allows
its parts (:func:`_per_group`, with :mod:`._glotip_cells`), sum per group, and write each
group's row (:func:`_summary`; the share bounds come from :mod:`._glotip_shares`). The rules
are in the docstring of :func:`unodc_metrics.gender_breakdown` and in ``docs/glotip.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY
from unodc_metrics._aggregations._glotip import (
    AGE_PART,
    AREA,
    CELL,
    GROUP,
    IN_UNSPLIT,
    KEY,
    NO_TOTAL,
    ROW_KEY,
    SUMMED,
    aggregate,
    area_reason,
    glotip_by,
    glotip_excluded,
    glotip_excluded_summary,
    with_group_key,
    with_repeats,
)
from unodc_metrics._aggregations._glotip_cells import OPTIONS, PARTS, SEXES, with_cell_bounds
from unodc_metrics._aggregations._glotip_shares import Choices, share_bounds, variable_cells
from unodc_metrics._aggregations._groups import SIZE, check_size
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._sex_summary import SHARE_BOUNDS, with_shares

__all__ = ["glotip_sex_breakdown"]

_BOUNDED = ("total", *PARTS, "unreconciled", "unsplit")
_KNOWN = ("female", "male", "other")
_ROLES = ("total", *PARTS, "unsplit")


def glotip_sex_breakdown(
    frame: nw.DataFrame[Any], by: str | Sequence[str] | None, unknown: str, areas: str
) -> tuple[Any, Any]:
    """gender_breakdown on the long shape; the result, and the rows left out.

    Raises:
        OverflowError: If a group's sums would exceed a 64-bit integer (before any is read).
        ValueError: If ``by`` names a summed column, or ``areas`` is not an option.
    """
    by_keys = glotip_by(by, frame)
    away = area_reason(areas, frame)
    group = list(dict.fromkeys([*GROUP, *by_keys]))
    cell = list(dict.fromkeys([*group, *CELL]))
    like = frame
    frame = frame.select(list(dict.fromkeys([*cell, *ROW_KEY, *SUMMED, AREA])))
    frame = with_group_key(with_group_key(with_repeats(frame), group), cell, name="__cell")
    frame, sums = _with_terms(_classified(frame.with_columns(away.alias("__area_out"))))
    agg, cells = _per_group(frame, group, sums)
    records = agg.rows(named=True)
    check_size(records, group)
    choices = variable_cells(cells.rows(named=True), KEY)
    excluded = glotip_excluded(frame)
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        keys = {k: rec[k] for k in group}
        listed = excluded.get(rec[KEY], [])
        row = _summary(rec, unknown, choices.get(rec[KEY]))
        out_rows.append({**keys, **row, **glotip_excluded_summary(rec, listed)})
        ex_rows.extend({**keys, **item} for item in listed)
    key_spec = {k: f"like:{k}" for k in group}
    result = frame_of(out_rows, {**key_spec, **_spec(unknown)}, like)
    ex_spec = {**key_spec, "line": "like:line", "reason": "str"}
    return result, frame_of(ex_rows, ex_spec, like)


def _classified(frame: nw.DataFrame[Any]) -> nw.DataFrame[Any]:
    """Each line with what it is in its cell, and why it is or is not counted."""
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
        nw.when(nw.col("__area_out") != COUNTED)
        .then(nw.col("__area_out"))
        .when(nw.col("__is_total"))
        .then(nw.lit(COUNTED))
        .when(~part)
        .then(nw.lit(AGE_PART))
        .when(~has_total)
        .then(nw.lit(NO_TOTAL))
        .when(~split)
        .then(nw.lit(IN_UNSPLIT))
        .otherwise(nw.lit(COUNTED))
    )
    return frame.with_columns(why.cast(nw.Int64).alias(WHY), split.alias("__split"))


def _with_terms(frame: nw.DataFrame[Any]) -> tuple[nw.DataFrame[Any], list[str]]:
    """Each line with the bounds it adds to each sum, and the names of the sums.

    Each term is a bound times a 0/1 mask of the rows it takes (cheaper than when/then). No
    point value is summed: a sum is exact when its low and high ends meet (a censored count
    has high - low = 4), and then it is its low end. ``__size`` adds each counted row's
    high end as a float, so that a group whose int64 sums would wrap is refused.
    """
    sex = nw.col("sex")
    counted = nw.col(WHY) == COUNTED
    is_total, in_split = nw.col("__is_total"), nw.col("__split")
    part = counted & ~is_total
    masks = {
        "total": counted & is_total,
        **{name: part & (sex == name) for name in PARTS},
        "unsplit": counted & is_total & ~in_split,
    }
    frame = frame.with_columns(
        *(m.cast(nw.Int64).alias(f"__m_{name}") for name, m in masks.items()),
        counted.cast(nw.Int64).alias("__rows"),
        (~counted).cast(nw.Int64).alias("__excluded"),
    )
    low, high, rows = nw.col("value_low"), nw.col("value_high"), nw.col("__rows")
    terms: dict[str, nw.Expr] = {}
    for name in _ROLES:
        terms[f"__{name}_low"] = low * nw.col(f"__m_{name}")
        terms[f"__{name}_high"] = high * nw.col(f"__m_{name}")
    for name in PARTS:
        terms[f"__{name}_rows"] = nw.col(f"__m_{name}")
    terms["__censored"] = nw.col("censored").cast(nw.Int64) * rows
    terms["__repeated"] = (nw.col("__repeats") > 1).cast(nw.Int64) * rows
    terms[SIZE] = high.cast(nw.Float64) * rows.cast(nw.Float64)
    return frame.with_columns(**terms), ["__rows", "__excluded", *terms]


def _per_group(
    frame: nw.DataFrame[Any], group: list[str], sums: list[str]
) -> tuple[nw.DataFrame[Any], nw.DataFrame[Any]]:
    """The sums per group, and the cells whose total is a range, with their choices.

    Per cell first: what a part may be, and who may be a woman (or a man), depends on the
    cell's own total (:func:`._glotip_cells.with_cell_bounds`).
    """
    cells = aggregate(frame, [*group, "__cell"], sums=sums, maxs=["__c_total", "__c_split"])
    counted = (nw.col("__c_total") > 0) & (nw.col("__rows") > 0)
    split = counted & (nw.col("__c_split") > 0)
    cells = with_cell_bounds(
        cells.with_columns(
            split.cast(nw.Int64).alias("__split"),
            (counted & ~split).cast(nw.Int64).alias("__whole"),
            counted.cast(nw.Int64).alias("__cells"),
        )
    )
    per_cell = [f"__{p}_top" for p in PARTS] + ["__unreconciled_low", "__unreconciled_high"]
    per_cell += [f"__{sex}_{end}_n" for sex in SEXES for end in ("least", "most")]
    cell_sums = [*sums, *per_cell, "__cells", "__whole", "__split"]
    agg = aggregate(cells, group, sums=cell_sums).sort(group, nulls_last=True)
    ranged = cells.filter(
        (nw.col("__cells") == 1) & (nw.col("__total_low") < nw.col("__total_high"))
    )
    options = [c for columns in OPTIONS.values() for pair in columns for c in pair]
    return agg, ranged.select(KEY, *options)


def _spec(unknown: str) -> dict[str, str]:
    """The output columns after the keys, and their kinds."""
    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {**dict.fromkeys(PARTS, count), "total": "int", "unreconciled": "int"}
    spec.update(
        dict.fromkeys(("female_share", "male_share", "other_share", "unknown_share"), "float")
    )
    if unknown == "bounds":
        spec.update(dict.fromkeys(SHARE_BOUNDS, "float"))
    spec.update({"qualifier": "str", "total_low": "int", "total_high": "int"})
    for name in (*PARTS, "unreconciled"):
        spec.update({f"{name}_low": "int", f"{name}_high": "int"})
    spec.update(dict.fromkeys(("unsplit", "unsplit_low", "unsplit_high"), "int"))
    spec.update({f"{name}_status": "str" for name in PARTS})
    spec["estimate"] = "bool"
    spec.update(dict.fromkeys(("cells", "cells_unsplit", "rows", "censored", "repeated"), "int"))
    return {**spec, "rows_excluded": "int", "excluded": "str"}


def _bounds(rec: Mapping[str, Any]) -> dict[str, tuple[int, int] | None]:
    """Each count's low and high ends; None for a sex where nothing states a split by sex."""
    split = int(rec["__split"]) > 0

    def ends(low: str, high: str) -> tuple[int, int]:
        return int(rec[low]), int(rec[high])

    out: dict[str, tuple[int, int] | None] = {
        name: ends(f"__{name}_low", f"__{name}_top") if split else None for name in _KNOWN
    }
    reported = ends("__unknown_low", "__unknown_top")
    unsplit = ends("__unsplit_low", "__unsplit_high")
    out["unknown"] = (reported[0] + unsplit[0], reported[1] + unsplit[1])
    out["total"] = ends("__total_low", "__total_high")
    out["unreconciled"] = ends("__unreconciled_low", "__unreconciled_high")
    out["unsplit"] = unsplit
    return out


def _statuses(
    rec: Mapping[str, Any], bounds: Mapping[str, tuple[int, int] | None]
) -> dict[str, str]:
    """Each part's status, in the words of the figure tables (``_sex_summary.STATUSES``)."""
    out: dict[str, str] = {}
    for name in PARTS:
        ends = bounds[name]
        if ends is None:
            status = "missing"  # no row of the group states a split by sex
        elif ends[0] != ends[1]:
            status = "bounded"
        elif int(rec[f"__{name}_rows"]) == 0 or (name == "unknown" and int(rec["__whole"])):
            status = "computed"  # from the totals: a split that lists no such row, or none
        else:
            status = "stated"
        out[f"{name}_status"] = status
    return out


def _summary(
    rec: Mapping[str, Any], unknown: str, cells: Mapping[str, Choices] | None
) -> dict[str, Any]:
    """The columns of one output row, from its group's sums."""
    names = [*PARTS, "total", "unreconciled", "female_share", "male_share", "other_share"]
    names += ["unknown_share", *(SHARE_BOUNDS if unknown == "bounds" else ()), "qualifier"]
    names += ["unsplit", *(f"{n}_{end}" for n in _BOUNDED for end in ("low", "high"))]
    out: dict[str, Any] = dict.fromkeys([*names, *(f"{n}_status" for n in PARTS)])
    out["estimate"] = False
    out["cells"], out["cells_unsplit"] = int(rec["__cells"]), int(rec["__whole"])
    for name in ("censored", "repeated"):
        out[name] = int(rec[f"__{name}"])
    if int(rec["__rows"]) == 0:
        return out  # nothing was summed: the sums are missing, not zero
    bounds = _bounds(rec)
    for name, ends in bounds.items():
        low, high = ends if ends is not None else (None, None)
        out.update({name: low if low == high else None, f"{name}_low": low, f"{name}_high": high})
    out.update(_statuses(rec, bounds))
    exact = int(rec["__censored"]) == 0
    out["qualifier"] = "exact" if exact else "range"
    if exact:
        out.update(_exact_shares(out, unknown))
    elif unknown == "proportional":
        out.update({k: None if out[k] is None else float(out[k]) for k in PARTS})
    if unknown == "bounds":
        out.update(share_bounds(rec, cells))
    return out


def _exact_shares(out: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """Nothing censored: the shares, and their allocation, are those of the wide shape."""
    statuses = [f"{name}_status" for name in PARTS]
    shared: dict[str, Any] = {k: out[k] for k in ("total", *PARTS, *statuses)}
    shared["estimate"] = False
    with_shares(shared, unknown)
    kept = {k: shared[k] for k in (*PARTS, *statuses, "estimate")}
    kept.update({k: v for k, v in shared.items() if k.endswith("_share")})
    return kept
