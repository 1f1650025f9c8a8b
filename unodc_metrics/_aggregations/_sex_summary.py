"""One output row of the breakdown by sex of the wide shape, from its group's sums: the counts
with their bounds and statuses, the shares with their denominator, and, in the ``"bounds"``
mode, share intervals that hold for every admissible assignment of the group's rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from unodc_metrics._aggregations._overlaps import Overlaps
from unodc_metrics._aggregations._totals import TOTAL_SPEC, ratio, total_summary

__all__ = ["SHARE_BOUNDS", "STATUSES", "sex_spec", "sex_summary", "with_shares"]

SHARE_BOUNDS = ("female_share_low", "female_share_high", "male_share_low", "male_share_high")
_SHARES = ("female_share", "male_share", "other_share", "unknown_share")
_PARTS = ("female", "male", "other", "unknown")
_BOUNDED = ("female", "male", "other", "unknown", "unreconciled")
STATUSES = ("stated", "computed", "derived", "estimated", "bounded", "missing")
"""The status of a count, in the spirit of SDMX's ``OBS_STATUS``: ``stated`` by the rows,
``computed`` from stated numbers (what a total leaves over), ``derived`` from a percentage,
``estimated`` (allocated by ``"proportional"``), ``bounded`` (only a range is known; the
point value is the one the report writes, or missing where rows may overlap), ``missing``."""


def sex_spec(unknown: str) -> dict[str, str]:
    """The output columns of the breakdown by sex, after the keys, and their kinds."""
    count = "float" if unknown == "proportional" else "int"
    spec: dict[str, str] = {**dict.fromkeys(_PARTS, count), "total": "int", "unreconciled": "int"}
    spec.update(dict.fromkeys(_SHARES, "float"))
    spec.update({"share_of": "str", "share_denominator": "float"})
    if unknown == "bounds":
        spec.update(dict.fromkeys(SHARE_BOUNDS, "float"))
    spec.update({k: v for k, v in TOTAL_SPEC.items() if k != "total"})
    for name in _BOUNDED:
        spec.update({f"{name}_low": "int", f"{name}_high": "int"})
    spec.update({f"{name}_status": "str" for name in _PARTS})
    spec.update({"estimate": "bool", "allocated": "float", "allocated_from": "str"})
    return spec


def _int(rec: Mapping[str, Any], name: str) -> int:
    return int(rec[name] or 0)


def _high(rec: Mapping[str, Any], name: str) -> int | None:
    """A group's sum of a per-row upper bound: missing where any row has none."""
    return int(rec[name]) if int(rec[f"__n{name}"]) == int(rec["__rows"]) else None


def sex_summary(
    rec: Mapping[str, Any], unknown: str, overlaps: Overlaps | None, allocated_from: str | None
) -> dict[str, Any]:
    """The sex columns of one output row, from the group's sums."""
    out: dict[str, Any] = dict.fromkeys(k for k in sex_spec(unknown) if k not in TOTAL_SPEC)
    out.update(total_summary(rec, overlaps))
    out["estimate"] = False
    if int(rec["__rows"]) == 0:
        return out
    stated = {
        "female": int(rec["__has_female"]) > 0 or int(rec["__derived"]) > 0,
        "male": int(rec["__has_male"]) > 0,
        "other": int(rec["__has_other"]) > 0,
    }
    f_lo, f_hi = _int(rec, "__f_lo"), _int(rec, "__f_hi")
    m, o = _int(rec, "__male"), _int(rec, "__other")
    bounds = {
        "female": (f_lo, f_hi),
        "male": (m, m),
        "other": (o, o),
        "unknown": (_int(rec, "__unknown_low"), _high(rec, "__unknown_high")),
        "unreconciled": (_int(rec, "__unreconciled_low"), _high(rec, "__unreconciled_high")),
    }
    points: dict[str, int | None] = {
        "female": _int(rec, "__female") if stated["female"] else None,
        "male": m if stated["male"] else None,
        "other": o if stated["other"] else None,
        "unknown": _int(rec, "__unknown"),
        "unreconciled": _int(rec, "__unreconciled"),
    }
    if overlaps is not None:
        # Persons that two rows may both count: only ranges are known.
        less = overlaps.less
        bounds["female"] = (f_lo - less["__f_lo"], f_hi)
        bounds["male"] = (m - less["male"], m)
        bounds["other"] = (o - less["other_sex"], o)
        known_high = f_hi + m + o
        bounds["unknown"] = (max(0, out["total_low"] - known_high), bounds["unknown"][1])
        bounds["unreconciled"] = (0, bounds["unreconciled"][1])
        points = dict.fromkeys(points)
    for name in _BOUNDED:
        low: int | None
        high: int | None
        low, high = bounds[name]
        if name in stated and not stated[name]:
            low = high = None
        out.update({name: points[name], f"{name}_low": low, f"{name}_high": high})
    out.update(_statuses(out, rec, stated, overlaps))
    with_shares(out, unknown, allocated_from)
    if unknown == "bounds":
        out.update(_share_bounds(out, rec))
    return out


def _statuses(
    out: Mapping[str, Any],
    rec: Mapping[str, Any],
    stated: Mapping[str, bool],
    overlaps: Overlaps | None,
) -> dict[str, str]:
    statuses: dict[str, str] = {}
    for name in ("female", "male", "other"):
        if not stated[name]:
            statuses[name] = "missing"
        elif overlaps is not None:
            statuses[name] = "bounded"
        elif name == "female" and int(rec["__derived"]) > 0:
            statuses[name] = "derived"
        else:
            statuses[name] = "stated"
    if overlaps is not None or out["unknown_low"] != out["unknown_high"]:
        statuses["unknown"] = "bounded"
    elif int(rec["__has_unknown"]) == int(rec["__rows"]):
        statuses["unknown"] = "stated"
    else:
        statuses["unknown"] = "computed"
    return {f"{name}_status": status for name, status in statuses.items()}


def with_shares(out: dict[str, Any], unknown: str, allocated_from: str | None = None) -> None:
    """Add to ``out`` (with the counts ``female``, ``male``, ``other``, ``unknown`` and
    ``total``, each an int or None) the shares and their denominator, by the way ``unknown``
    treats persons of unknown sex; ``"proportional"`` also allocates the unknown (its
    ``*_status`` entries, where present, become ``estimated``)."""
    f, m, o, u, total = (out[k] for k in ("female", "male", "other", "unknown", "total"))
    parts = [p for p in (f, m, o) if p is not None]
    known = sum(parts) if parts else None
    if unknown == "known_only":
        out.update(share_of="persons of known sex", share_denominator=known)
        out.update(
            female_share=ratio(f, known), male_share=ratio(m, known), other_share=ratio(o, known)
        )
        return
    out.update(share_of="total", share_denominator=total)
    if unknown == "proportional":
        if u and known:
            for name in ("female", "male", "other"):
                if out[name] is not None:
                    out[name] = out[name] + u * out[name] / known
                    if f"{name}_status" in out:
                        out[f"{name}_status"] = "estimated"
            if "unknown_status" in out:
                out["unknown_status"] = "estimated"
            out.update(
                unknown=0.0,
                estimate=True,
                allocated=float(u),
                allocated_from=allocated_from,
            )
        else:
            out["allocated"] = 0.0 if total is not None else None
        for name in _PARTS:
            out[name] = None if out[name] is None else float(out[name])
        if u and not known:
            return  # nothing to allocate by: the shares are not known
    out.update({f"{name}_share": ratio(out[name], total) for name in _PARTS})


def _share_bounds(out: Mapping[str, Any], rec: Mapping[str, Any]) -> dict[str, float | None]:
    """The smallest and largest shares of women and of men over every admissible assignment
    (``docs/methodology-aggregations.md`` derives them); where rows may overlap, bounds that
    hold but need not be attained."""
    low_total, high_total = out["total_low"], out["total_high"]
    f_lo, m_lo = out["female_low"] or 0, out["male_low"] or 0
    most_f, most_m = _high(rec, "__fmax_f"), _high(rec, "__mmax_m")
    open_f = int(rec["__open_f"]) > 0
    if out["overlaps"] is not None:
        f_high = 1.0 if open_f or most_f is None else _upper(most_f, low_total, high_total)
        m_high = 1.0 if most_m is None else _upper(most_m, low_total, high_total)
    else:
        f_high = 1.0 if open_f else _upper(most_f, _high(rec, "__fmax_t"), high_total)
        m_high = 1.0 if high_total is None else _upper(most_m, high_total, high_total)
    return {
        "female_share_low": _clip(0.0 if high_total is None else ratio(f_lo, high_total)),
        "female_share_high": _clip(f_high),
        "male_share_low": _clip(0.0 if high_total is None else ratio(m_lo, high_total)),
        "male_share_high": _clip(m_high),
    }


def _upper(most: Any, over: Any, high_total: int | None) -> float | None:
    """The largest share, ``most / over``. Where ``over`` is 0 but a positive total is
    admissible, the share still exists: 0 when no person of the sex may be counted (0 of
    every positive total), else 1 (a bound that holds)."""
    share = ratio(most, over)
    if share is not None or most is None or (high_total is not None and high_total <= 0):
        return share
    return 0.0 if most == 0 else 1.0


def _clip(share: float | None) -> float | None:
    return None if share is None else min(1.0, max(0.0, share))
