"""totals_by_year on GLOTIP's long shape: only the overall counts are summed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY
from unodc_metrics._aggregations._glotip import (
    AREA,
    BREAKDOWN_PART,
    KEY,
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
from unodc_metrics._aggregations._groups import SIZE, check_size
from unodc_metrics._aggregations._output import frame_of

__all__ = ["glotip_totals_by_year"]

_SPEC = {
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


def glotip_totals_by_year(
    frame: nw.DataFrame[Any], by: str | Sequence[str] | None, return_excluded: bool, areas: str
) -> Any:
    """totals_by_year on the long shape; see its docstring for the rules.

    Raises:
        OverflowError: If a group's sums would exceed a 64-bit integer (before any is read).
        ValueError: If ``by`` names a summed column, or ``areas`` is not an option.
    """
    by_keys = glotip_by(by, frame)
    away = area_reason(areas, frame)
    keys = list(dict.fromkeys(["indicator", *by_keys, "year"]))
    like = frame
    frame = frame.select(list(dict.fromkeys([*keys, *ROW_KEY, *SUMMED, AREA])))
    frame = with_group_key(with_repeats(frame), keys)
    overall = (
        (nw.col("dimension") == "Total")
        & (nw.col("category") == "Total")
        & (nw.col("sex") == "total")
        & (nw.col("age") == "total")
    ).fill_null(False)
    frame = frame.with_columns(away.alias("__area_out")).with_columns(
        nw.when(nw.col("__area_out") != COUNTED)
        .then(nw.col("__area_out"))
        .when(overall)
        .then(nw.lit(COUNTED))
        .otherwise(nw.lit(BREAKDOWN_PART))
        .cast(nw.Int64)
        .alias(WHY)
    )
    counted = nw.col(WHY) == COUNTED
    terms = {
        "__total": nw.col("value").fill_null(0),
        "__total_low": nw.col("value_low"),
        "__total_high": nw.col("value_high"),
        "__censored": nw.col("censored").cast(nw.Int64),
        "__repeated": (nw.col("__repeats") > 1).cast(nw.Int64),
        SIZE: nw.col("value_high").cast(nw.Float64),  # refuses a sum that would wrap
    }
    frame = frame.with_columns(
        *(nw.when(counted).then(expr).otherwise(0).alias(name) for name, expr in terms.items()),
        counted.cast(nw.Int64).alias("__rows"),
        (~counted).cast(nw.Int64).alias("__excluded"),
    )
    agg = aggregate(frame, keys, sums=["__rows", "__excluded", *terms]).sort(keys, nulls_last=True)
    records = agg.rows(named=True)
    check_size(records, keys)
    excluded = glotip_excluded(frame)
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        values = {k: rec[k] for k in keys}
        listed = excluded.get(rec[KEY], [])
        row: dict[str, Any] = {
            **values,
            **dict.fromkeys(("total", "qualifier", "total_low", "total_high")),
        }
        if int(rec["__rows"]):
            exact = int(rec["__censored"]) == 0
            row.update(
                total=int(rec["__total"]) if exact else None,
                qualifier="exact" if exact else "range",
                total_low=int(rec["__total_low"]),
                total_high=int(rec["__total_high"]),
            )
        row.update(censored=int(rec["__censored"]), repeated=int(rec["__repeated"]))
        out_rows.append({**row, **glotip_excluded_summary(rec, listed)})
        ex_rows.extend({**values, **item} for item in listed)
    key_spec = {k: f"like:{k}" for k in keys}
    result = frame_of(out_rows, {**key_spec, **_SPEC}, like)
    if not return_excluded:
        return result
    return result, frame_of(ex_rows, {**key_spec, "line": "like:line", "reason": "str"}, like)
