"""What a cell of GLOTIP's long shape allows its parts by sex, given its total.

A cell's sums, per role, are its total's bounds ``tl`` to ``th`` (the rows at sex and age
total) and, for each part ``s`` by sex, ``e_s`` (its stated rows: the sum of its rows'
``value_low``) and ``a_s`` (the sum of their ``value_high``: 4 more per ``<5``). An
*admissible assignment* gives each ``<5`` a whole number from 0 to 4 (the reader's
documented meaning; the file has no published 0, so a zero can only hide behind a ``<5``),
such that no suppressed row makes its part exceed its cell's total: in a cell with a total
and parts by sex, each part is at most ``max(total, e_s)``. Where the stated rows alone
exceed the total (the file contradicts itself in a few cells), the part keeps its stated
rows and its ``<5`` rows count 0. No constraint ties the parts to each other: in GLOTIP
the parts need not add up to their total (reporting gaps, and a row of unknown sex that is
not reliably inside the total).

Under that rule, per cell, each bound below is attained by some admissible assignment:

- a part lies in ``[e_s, max(e_s, min(a_s, th))]``, with the total at ``th``;
- ``unreconciled = total - parts`` lies in ``[min_t f(t), th - sum(e_s)]``, where
  ``f(t) = t - sum_s min(a_s, max(t, e_s))`` is the least it can be with the total at
  ``t``. ``f`` is piecewise linear, and its slope rises only where a part reaches its
  ``a_s``, so its minimum over ``[tl, th]`` is at ``tl``, ``th`` or an ``a_s`` between.

For the shares, the women of a cell with the total at ``t`` number at least its stated
women ``min(F, t)`` and at most the persons not stated to be men or of other sex,
``min(t, max(F, t - M - O))``: the persons of unknown sex and the unreconciled ones may be of
either sex. The fewest, ``n(t) = min(e_f, t)`` (the women at their stated rows), is concave
in ``t``; the most, ``h(t) = min(t, max(a_f, t - e_m - e_o))`` (the women at their most, the
men and others at their stated rows), rises with slope 1, 0, then 1. A cell with no part by
sex has 0 to ``t`` women. So the group's share ``sum(W) / sum(t)`` is least, and most, with
each cell's total at one of a few candidates (:mod:`._glotip_shares` picks them): ``tl`` or
``th`` for the fewest, and ``tl``, ``a_f`` (if between) or ``th`` for the most. The same holds
for men, with the sexes swapped.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

__all__ = ["OPTIONS", "PARTS", "SEXES", "with_cell_bounds"]

PARTS = ("female", "male", "other", "unknown")
SEXES = {"female": ("male", "other"), "male": ("female", "other")}
"""The sexes with share bounds, and the parts stated to be of another sex."""
OPTIONS = {
    f"{sex}_{end}": [(f"__{sex}_{end}_dn{i}", f"__{sex}_{end}_dt{i}") for i in range(n)]
    for sex in SEXES
    for end, n in (("least", 1), ("most", 2))
}
"""Per sex and end, the columns of each cell's other choices of its total: how many women
(or men) and persons each adds to the choice of ``tl`` (whose sums the group has)."""

_TL, _TH = nw.col("__total_low"), nw.col("__total_high")


def _e(part: str) -> nw.Expr:
    return nw.col(f"__{part}_low")


def _a(part: str) -> nw.Expr:
    return nw.col(f"__{part}_high")


def _within(x: nw.Expr) -> nw.Expr:
    """``x`` moved into ``[tl, th]``."""
    return nw.min_horizontal(nw.max_horizontal(x, _TL), _TH)


def _unreconciled_least(t: nw.Expr) -> nw.Expr:
    """``f(t)``: the least that the total less the parts can be with the total at ``t``."""
    parts = [nw.min_horizontal(_a(p), nw.max_horizontal(t, _e(p))) for p in PARTS]
    return t - nw.sum_horizontal(*parts)


def with_cell_bounds(cells: nw.DataFrame[Any]) -> nw.DataFrame[Any]:
    """The cells with their parts' tight high ends, their unreconciled ends, and each
    choice of the total that may make a share least or most.

    ``cells`` has, per cell, ``__split`` (1 for a counted cell with parts by sex, else 0),
    ``__whole`` (1 for a counted cell with no part by sex, else 0), ``__total_low`` and
    ``__total_high``, and ``__{part}_low`` and ``__{part}_high`` for each part (0 outside a
    counted cell with parts).
    """
    split, whole = nw.col("__split") == 1, nw.col("__whole") == 1
    candidates = [_TL, _TH, *(_within(_a(p)) for p in PARTS)]
    least = nw.min_horizontal(*(_unreconciled_least(t) for t in candidates))
    columns = [
        *(
            nw.max_horizontal(_e(p), nw.min_horizontal(_a(p), _TH)).alias(f"__{p}_top")
            for p in PARTS
        ),
        nw.when(split).then(least).otherwise(0).alias("__unreconciled_low"),
        nw.when(split)
        .then(_TH - nw.sum_horizontal(*(_e(p) for p in PARTS)))
        .otherwise(0)
        .alias("__unreconciled_high"),
    ]
    for sex, others in SEXES.items():
        stated_others = nw.sum_horizontal(*(_e(p) for p in others))

        def fewest(t: nw.Expr, sex: str = sex) -> nw.Expr:
            return nw.when(split).then(nw.min_horizontal(_e(sex), t)).otherwise(0)

        def most(t: nw.Expr, sex: str = sex, others: nw.Expr = stated_others) -> nw.Expr:
            high = nw.min_horizontal(t, nw.max_horizontal(_a(sex), t - others))
            return nw.when(split).then(high).otherwise(nw.when(whole).then(t).otherwise(0))

        columns += [fewest(_TL).alias(f"__{sex}_least_n"), most(_TL).alias(f"__{sex}_most_n")]
        choices = {"least": (fewest, [_TH]), "most": (most, [_within(_a(sex)), _TH])}
        for end, (count, ts) in choices.items():
            for (dn, dt), t in zip(OPTIONS[f"{sex}_{end}"], ts, strict=True):
                columns += [(count(t) - count(_TL)).alias(dn), (t - _TL).alias(dt)]
    return cells.with_columns(*columns)
