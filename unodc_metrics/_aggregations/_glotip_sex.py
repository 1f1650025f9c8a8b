"""gender_breakdown on GLOTIP's long shape: each cell's parts by sex against its total.

The steps: classify each line of its cell (:func:`_classified`), turn each counted line into
the bounds it adds (:func:`_with_terms`), sum per cell and then per group
(:func:`_per_group`), and write each group's row (:func:`_summary`). The rules are in the
docstring of :func:`unodc_metrics.gender_breakdown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY
from unodc_metrics._aggregations._glotip import (
    AGE_PART,
    CELL,
    GROUP,
    IN_UNSPLIT,
    KEY,
    NO_TOTAL,
    ROW_KEY,
    SUMMED,
    aggregate,
    glotip_by,
    glotip_excluded,
    glotip_excluded_summary,
    with_group_key,
    with_repeats,
)
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._sex import SHARE_BOUNDS, sex_summary
from unodc_metrics._aggregations._totals import ratio

__all__ = ["glotip_sex_breakdown"]

_PARTS = ("female", "male", "other", "unknown")
_BOUNDED = ("total", *_PARTS, "unreconciled", "unsplit")
_MASKS = ("total", *_PARTS, "unsplit")


def glotip_sex_breakdown(
    frame: nw.DataFrame[Any], by: str | Sequence[str] | None, unknown: str
) -> tuple[Any, Any]:
    """gender_breakdown on the long shape; the result, and the rows left out."""
    by_keys = glotip_by(by, frame)
    group = list(dict.fromkeys([*GROUP, *by_keys]))
    cell = list(dict.fromkeys([*group, *CELL]))
    like = frame
    frame = frame.select(list(dict.fromkeys([*cell, *ROW_KEY, *SUMMED])))
    frame = with_group_key(with_group_key(with_repeats(frame), group), cell, name="__cell")
    frame, sums = _with_terms(_classified(frame))
    agg = _per_group(frame, group, sums)
    excluded = glotip_excluded(frame)
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in agg.rows(named=True):
        keys = {k: rec[k] for k in group}
        listed = excluded.get(rec[KEY], [])
        out_rows.append({**keys, **_summary(rec, unknown), **glotip_excluded_summary(rec, listed)})
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
        nw.when(nw.col("__is_total"))
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
    has high - low = 4), and then it is its low end.
    """
    sex = nw.col("sex")
    counted = nw.col(WHY) == COUNTED
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
    for name in _MASKS:
        terms[f"__{name}_low"] = low * nw.col(f"__m_{name}")
        terms[f"__{name}_high"] = high * nw.col(f"__m_{name}")
    # unreconciled = total - parts, in the cells that have parts; its low end takes the
    # parts' high ends, and its high end their low ends.
    plus, minus = nw.col("__m_plus"), nw.col("__m_minus")
    terms["__unreconciled_low"] = low * plus - high * minus
    terms["__unreconciled_high"] = high * plus - low * minus
    terms["__censored"] = nw.col("censored").cast(nw.Int64) * rows
    terms["__repeated"] = (nw.col("__repeats") > 1).cast(nw.Int64) * rows
    return frame.with_columns(**terms), ["__rows", "__excluded", *terms]


def _per_group(frame: nw.DataFrame[Any], group: list[str], sums: list[str]) -> nw.DataFrame[Any]:
    """The sums per cell, with who in the cell may be a woman or a man, then per group.

    Per cell first: who may be a woman (or a man) depends on the cell's own total.
    """
    cells = aggregate(frame, [*group, "__cell"], sums=sums, maxs=["__c_total", "__c_split"])
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
    return aggregate(cells, group, sums=cell_sums).sort(group, nulls_last=True)


def _spec(unknown: str) -> dict[str, str]:
    """The output columns after the keys, and their kinds."""
    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {**dict.fromkeys(_PARTS, count), "total": "int", "unreconciled": "int"}
    spec.update(
        dict.fromkeys(("female_share", "male_share", "other_share", "unknown_share"), "float")
    )
    if unknown == "bounds":
        spec.update(dict.fromkeys(SHARE_BOUNDS, "float"))
    spec.update({"qualifier": "str", "total_low": "int", "total_high": "int"})
    for name in (*_PARTS, "unreconciled"):
        spec.update({f"{name}_low": "int", f"{name}_high": "int"})
    spec.update(dict.fromkeys(("unsplit", "unsplit_low", "unsplit_high"), "int"))
    spec["estimate"] = "bool"
    spec.update(dict.fromkeys(("cells", "cells_unsplit", "rows", "censored", "repeated"), "int"))
    return {**spec, "rows_excluded": "int", "excluded": "str"}


def _summary(rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """The columns of one output row, from its group's sums."""
    names = [*_PARTS, "total", "unreconciled", "female_share", "male_share", "other_share"]
    names += ["unknown_share", *(SHARE_BOUNDS if unknown == "bounds" else ()), "qualifier"]
    names += ["unsplit", *(f"{n}_{end}" for n in _BOUNDED for end in ("low", "high"))]
    out: dict[str, Any] = dict.fromkeys(names)
    out["estimate"] = False
    for name in ("cells", "cells_unsplit", "censored", "repeated"):
        out[name] = int(rec[f"__{name}"])
    if int(rec["__rows"]) == 0:
        return out  # nothing was summed: the sums are missing, not zero
    for name in _BOUNDED:
        low, high = int(rec[f"__{name}_low"]), int(rec[f"__{name}_high"])
        out.update({name: low if low == high else None, f"{name}_low": low, f"{name}_high": high})
    exact = int(rec["__censored"]) == 0
    out["qualifier"] = "exact" if exact else "range"
    if exact:
        out.update(_exact_shares(out, rec, unknown))
    elif unknown == "proportional":
        out.update({k: None if out[k] is None else float(out[k]) for k in _PARTS})
    if unknown == "bounds":
        # Outer bounds: the fewest persons of a sex over the largest total, and the most
        # persons who may be of that sex over the smallest total.
        total_low, total_high = out["total_low"], out["total_high"]
        out.update(
            female_share_low=ratio(out["female_low"], total_high),
            male_share_low=ratio(out["male_low"], total_high),
            female_share_high=ratio(int(rec["__female_max"]), total_low),
            male_share_high=ratio(int(rec["__male_max"]), total_low),
        )
    return out


def _exact_shares(out: Mapping[str, Any], rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """Nothing censored: the shares, and their allocation, are those of the wide shape."""
    wide = {
        "__rows": rec["__rows"],
        "__total_low": out["total"],
        "__total_high": out["total"],
        "__unbounded": 0,
        "__inexact": 0,
        "__female_low": out["female"],
        "__female_high": out["female"],
        "__female_max": rec["__female_max"],
        "__male_max": rec["__male_max"],
        "__unknown_stated": out["unknown"],
        "__to_unknown": 0,
        **{f"__{name}": out[name] for name in ("total", *_PARTS)},
    }
    shared = sex_summary(wide, unknown)
    kept = {k: shared[k] for k in (*_PARTS, "estimate")}
    kept.update({k: v for k, v in shared.items() if k.endswith(("_share", "_share_low"))})
    return kept
