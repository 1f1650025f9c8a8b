"""The breakdown by sex of the wide shape, shared by gender_breakdown and
trainees_per_initiative."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import order, require_additive
from unodc_metrics._aggregations._groups import EXCLUDED_LISTED, excluded_summary, group_sums
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._totals import (
    TOTAL_COUNTS,
    TOTAL_SPEC,
    ratio,
    total_summary,
    total_terms,
)

__all__ = ["SEX_USED", "SHARE_BOUNDS", "sex_breakdown", "sex_spec", "sex_summary"]

SEX_USED = (
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

SHARE_BOUNDS = ("female_share_low", "female_share_high", "male_share_low", "male_share_high")
_SHARES = ("female_share", "male_share", "other_share", "unknown_share")
_PARTS = ("female", "male", "other", "unknown")


def sex_spec(unknown: str) -> dict[str, str]:
    """The output columns of the breakdown by sex, after the keys, and their kinds."""
    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {**dict.fromkeys(_PARTS, count), "total": "int", "unreconciled": "int"}
    spec.update(dict.fromkeys(_SHARES, "float"))
    if unknown == "bounds":
        spec.update(dict.fromkeys(SHARE_BOUNDS, "float"))
    spec.update({k: v for k, v in TOTAL_SPEC.items() if k != "total"})
    spec.update({"female_low": "int", "female_high": "int", "estimate": "bool"})
    spec.update({"rows": "int", "rows_excluded": "int", "excluded": "str"})
    return spec


def _terms(bounds: bool) -> dict[str, str | nw.Expr]:
    """What each counted row adds to its group's sums by sex; see gender_breakdown.

    A string names a column that is summed as it is (missing counts add nothing); an
    expression is worked out per row first. Only what is not a plain sum of columns is an
    expression, so that most of the work is the engine's own sum.
    """
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
    column); with ``coverage``, the first and last day the group's rows cover."""
    require_additive(frame, table)
    extra = dict(extra_keys or {})
    group = [*keys, *extra.values()]
    counts, mins, maxs = dict(TOTAL_COUNTS), {}, {}
    if coverage:
        mins, maxs = {"__start": "period_start"}, {"__end": "period_end"}
        counts.update({"__has_start": "period_start", "__has_end": "period_end"})
    records, excluded = group_sums(
        frame,
        group,
        {**total_terms(), **_terms(unknown == "bounds")},
        counts=counts,
        mins=mins,
        maxs=maxs,
        limit=None if want_excluded else EXCLUDED_LISTED,
    )
    records.sort(key=lambda rec: tuple(order(rec[k]) for k in group))
    out_rows: list[dict[str, Any]] = []
    ex_rows: list[dict[str, Any]] = []
    for rec in records:
        values = {**{k: rec[k] for k in keys}, **{k: rec[v] for k, v in extra.items()}}
        listed = excluded.get(tuple(rec[k] for k in group), [])
        row = dict(values)
        if coverage:
            row["period_start"] = rec["__start"] if rec["__has_start"] == rec["__rows"] else None
            row["period_end"] = rec["__end"] if rec["__has_end"] == rec["__rows"] else None
        row.update(sex_summary(rec, unknown))
        row.update(excluded_summary(rec, listed))
        out_rows.append(row)
        ex_rows.extend({**values, **item} for item in listed)
    key_spec = {**{k: f"like:{k}" for k in keys}, **dict.fromkeys(extra, "str")}
    spec = dict(key_spec)
    if coverage:
        spec.update({"period_start": "like:period_start", "period_end": "like:period_end"})
    spec.update(sex_spec(unknown))
    result = frame_of(out_rows, spec, like)
    if not want_excluded:
        return result, None
    return result, frame_of(ex_rows, {**key_spec, "id": "str", "reason": "str"}, like)


def sex_summary(rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """The sex columns of one output row, from the group's sums."""
    out: dict[str, Any] = dict.fromkeys(
        (*_PARTS, "unreconciled", *_SHARES, "female_low", "female_high")
    )
    if unknown == "bounds":
        out.update(dict.fromkeys(SHARE_BOUNDS))
    out.update(total_summary(rec))
    out["estimate"] = False
    if int(rec["__rows"]) == 0:
        return out
    f, m, o = int(rec["__female"]), int(rec["__male"]), int(rec["__other"])
    u = int(rec["__unknown_stated"]) + int(rec["__to_unknown"])
    total = int(rec["__total"])
    out.update(
        female=f,
        male=m,
        other=o,
        unknown=u,
        unreconciled=total - f - m - o - u,
        female_low=int(rec["__female_low"]),
        female_high=int(rec["__female_high"]),
    )
    return _with_shares(out, rec, unknown)


def _with_shares(out: dict[str, Any], rec: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    """The shares, by the way ``unknown`` treats persons of unknown sex."""
    f, m, o, u, total = (out[k] for k in ("female", "male", "other", "unknown", "total"))
    known = f + m + o
    if unknown == "known_only":
        out.update(
            female_share=ratio(f, known), male_share=ratio(m, known), other_share=ratio(o, known)
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
        out.update({f"{name}_share": ratio(counts[name], total) for name in _PARTS})
        return out
    out.update({f"{name}_share": ratio(out[name], total) for name in _PARTS})
    if unknown == "bounds":
        out.update(
            female_share_low=ratio(int(rec["__female_low"]), total),
            female_share_high=ratio(int(rec["__female_max"]), total),
            male_share_low=ratio(m, total),
            male_share_high=ratio(int(rec["__male_max"]), total),
        )
    return out
