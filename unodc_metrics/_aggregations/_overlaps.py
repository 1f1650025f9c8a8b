"""Rows that may count the same persons (``may_overlap``): what a sum over them must hold.

Two rows that may overlap are never added as if distinct. Within a group, the rows that may
overlap form components (linked by ``may_overlap``, read in both directions). The persons of
a component number at least the largest sum over rows of it that are pairwise free of any
overlap (any two such rows are distinct persons), and at most the sum of all its rows. So a
group's lowest total is its sum less, for each component, the component's sum less that
largest sum; its highest total is the sum of every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, WHY, key_of
from unodc_metrics._base.engines import collect

__all__ = ["Overlaps", "overlaps_by_group"]

_EXHAUSTIVE = 16
"""A component of up to this many rows is searched through; beyond, its largest row stands
for it (still a valid lower bound, not always the tightest)."""


class Overlaps:
    """The rows of one group that may overlap, and how much each sum must give back."""

    def __init__(self, ids: Sequence[str], less: Mapping[str, int]) -> None:
        self.ids = list(ids)
        self.less = dict(less)

    def text(self) -> str:
        return ", ".join(self.ids)


def overlaps_by_group(
    frame: nw.LazyFrame[Any], group: Sequence[str], columns: Sequence[str]
) -> dict[tuple[Any, ...], Overlaps]:
    """For each group with rows that may overlap: their ids and, for each of ``columns``
    (per-row counts that are never negative), how much less than its sum the group's lowest
    count is."""
    counted = frame.filter(nw.col(WHY) == COUNTED)
    read = list(dict.fromkeys([*group, "id", "may_overlap", *columns]))
    listing = collect(counted.filter(~nw.col("may_overlap").is_null()).select(read))
    rows = {(key_of(r, group), r["id"]): r for r in listing.rows(named=True)}
    if not rows:
        return {}
    named = {i.strip() for r in rows.values() for i in str(r["may_overlap"]).split(",")}
    others = collect(counted.filter(nw.col("id").is_in(sorted(named))).select(read))
    for r in others.rows(named=True):
        rows.setdefault((key_of(r, group), r["id"]), r)
    by_group: dict[tuple[Any, ...], dict[str, dict[str, Any]]] = {}
    for (key, ident), r in rows.items():
        by_group.setdefault(key, {})[ident] = r
    out: dict[tuple[Any, ...], Overlaps] = {}
    for key, members in by_group.items():
        edges = _edges(members)
        if not edges:
            continue
        components = _components(edges)
        less = {c: sum(_give_back(comp, edges, members, c) for comp in components) for c in columns}
        out[key] = Overlaps(sorted({i for comp in components for i in comp}), less)
    return out


def _edges(members: Mapping[str, Mapping[str, Any]]) -> set[frozenset[str]]:
    """Pairs of rows of a group that may overlap, whichever of the two names the other."""
    edges: set[frozenset[str]] = set()
    for ident, r in members.items():
        if r["may_overlap"] is None:
            continue
        for other in str(r["may_overlap"]).split(","):
            other = other.strip()
            if other in members and other != ident:
                edges.add(frozenset((ident, other)))
    return edges


def _components(edges: set[frozenset[str]]) -> list[list[str]]:
    linked: dict[str, set[str]] = {}
    for edge in edges:
        a, b = sorted(edge)
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    seen: set[str] = set()
    out: list[list[str]] = []
    for start in sorted(linked):
        if start in seen:
            continue
        stack, comp = [start], []
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            comp.append(node)
            stack.extend(linked[node] - seen)
        out.append(sorted(comp))
    return out


def _give_back(
    comp: Sequence[str],
    edges: set[frozenset[str]],
    members: Mapping[str, Mapping[str, Any]],
    column: str,
) -> int:
    """The component's sum of ``column`` less the largest sum over rows free of overlap."""
    values = {i: int(members[i][column] or 0) for i in comp}
    total = sum(values.values())
    if len(comp) > _EXHAUSTIVE:
        return total - max(values.values())
    best = 0
    for size in range(1, len(comp) + 1):
        for chosen in combinations(comp, size):
            if all(frozenset(p) not in edges for p in combinations(chosen, 2)):
                best = max(best, sum(values[i] for i in chosen))
    return total - best
