"""The least and the most share of women (and of men) of a group of GLOTIP cells, over every
admissible assignment of its ``<5`` rows, in exact integers.

:mod:`._glotip_cells` gives, per cell, the women (or men) and persons it counts with its
total at its low end, and what each other candidate choice of its total adds to them. The
group's share is a ratio of sums, ``sum(W) / sum(t)``: it is least (or most) where each cell
takes the choice that makes ``W - r t`` least (or most) at the optimal share ``r``. Dinkelbach's
method finds ``r``: start from the totals at their high ends, pick each cell's best choice at
the current share, and repeat while the share improves (it does so strictly, so the loop
ends, in a few rounds). Worlds whose total is 0 have no share and are never picked: an
improving pick always has persons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from unodc_metrics._aggregations._glotip_cells import OPTIONS, SEXES

__all__ = ["Choices", "share_bounds", "variable_cells"]

Choices = Sequence[Sequence[tuple[int, int]]]
"""Per cell, its choices other than the total's low end: what each adds, (count, persons)."""


def variable_cells(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, dict[str, Choices]]:
    """Per group key, then per sex and end (``female_least``, ...), the choices of the cells
    whose total is a range (a cell whose total is exact has one choice, in the group's sums)."""
    found: dict[str, dict[str, list[list[tuple[int, int]]]]] = {}
    for rec in rows:
        group = found.setdefault(rec[key], {name: [] for name in OPTIONS})
        for name, columns in OPTIONS.items():
            group[name].append([(int(rec[dn]), int(rec[dt])) for dn, dt in columns])
    return found  # type: ignore[return-value]


def _extreme(count: int, persons: int, cells: Choices, most: bool) -> Fraction | None:
    """The least (or, with ``most``, the most) of ``(count + dn) / (persons + dt)`` over one
    choice per cell (or none of them, adding (0, 0)); None where every total may only be 0."""
    options = [[(0, 0), *choices] for choices in cells]
    picks = [max(o, key=lambda c: c[1]) for o in options]  # every total at its high end
    n, d = count + sum(p[0] for p in picks), persons + sum(p[1] for p in picks)
    if d <= 0:
        return None
    sign = -1 if most else 1
    while True:
        # The choice that makes sign * (W - r t) least, with r = n / d (times d > 0).
        picks = [min(o, key=lambda c: sign * (d * c[0] - n * c[1])) for o in options]
        n2, d2 = count + sum(p[0] for p in picks), persons + sum(p[1] for p in picks)
        if sign * (n2 * d - n * d2) >= 0:  # no better share: r is the extreme
            return Fraction(n, d)
        n, d = n2, d2


def share_bounds(
    rec: Mapping[str, Any], cells: Mapping[str, Choices] | None
) -> dict[str, float | None]:
    """``female_share_low``, ``female_share_high``, ``male_share_low`` and ``male_share_high``
    of a group, from its sums (``rec``) and the choices of its cells whose total is a range."""
    persons = int(rec["__total_low"])
    out: dict[str, float | None] = {}
    for sex in SEXES:
        for end, most, name in (("least", False, "low"), ("most", True, "high")):
            count = int(rec[f"__{sex}_{end}_n"])
            choices = cells[f"{sex}_{end}"] if cells else ()
            share = _extreme(count, persons, choices, most)
            out[f"{sex}_share_{name}"] = None if share is None else float(share)
    return out
