"""Checking the figures: each one by every computation over other cells that the tables allow.

A figure is ``reproduced`` when such a computation gives it, ``stated`` when none does (the
tables hold it, and its own cell is its only check), ``inconsistent`` when one contradicts it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unodc_metrics._figures._context import Context, Row, flags_of
from unodc_metrics._figures._listing import PERCENT_SUFFIX, Figure, derive_figures
from unodc_metrics._figures._methods import (
    BY_MEASURE,
    Outcome,
    count_listed,
    lookup,
    percent_of_count,
    remainder_of_whole,
    sum_of_parts,
    within_whole,
)
from unodc_metrics._figures._parts import Split, splits

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NOT_DERIVABLE", "STATUSES", "NoSuchFigure", "check_figures", "check_one"]

STATUSES: tuple[str, ...] = ("reproduced", "stated", "inconsistent", "not_derivable")
"""The statuses :func:`check_figures` gives a figure.

- ``reproduced``: a computation over other cells than the figure's own gives it: a sum of
  parts, a whole less its other parts, a count of the items listed or of the parties, a
  percentage recomputed from the count it describes.
- ``stated``: no such computation gives it. The tables hold it as the report states it; at
  most a check bounds it ("including 7 children" is at most its whole), and none contradicts
  it. Changing its cell would go unnoticed by :func:`check_figures`.
- ``inconsistent``: a computation contradicts it (the report's own numbers, or a reference).
- ``not_derivable``: a computation that it calls for cannot run on the tables.
"""

_STATED_NOTE = "stated: no computation over other cells of the tables gives the value"
"""The end of a stated figure's ``detail``."""

NOT_DERIVABLE: dict[str, str] = {}
"""Figures declared not derivable from the tables, by figure id, with the reason.

Empty: every computation that a figure of the report calls for runs on the tables.
"""

_CHECK_COLUMNS = (
    "figure_id",
    "status",
    "expected",
    "computed",
    "detail",
    "method",
    "kind",
    "recorded",
    "table",
    "paragraph",
)


@dataclass(frozen=True)
class _Check:
    figure: Figure
    status: str
    computed: int | float | None
    method: str
    kind: str | None
    recorded: bool
    detail: str

    def record(self) -> Row:
        return {
            "figure_id": self.figure.figure_id,
            "status": self.status,
            "expected": self.figure.value,
            "computed": self.computed,
            "detail": self.detail,
            "method": self.method,
            "kind": self.kind,
            "recorded": self.recorded,
            "table": self.figure.table,
            "paragraph": self.figure.row["paragraph"],
        }


def _split_outcomes(figure: Figure, all_splits: list[Split]) -> list[Outcome]:
    """The splits that give or bound the figure: as a whole, or as one of the parts."""
    out: list[Outcome] = []
    for split in all_splits:
        if split.table != figure.table:
            continue
        whole = figure.column == "value" and split.whole["id"] == figure.row["id"]
        if whole and (split.complete or split.verdict() is not None):
            out.append(sum_of_parts(split))
        if any(p.figure_id == figure.figure_id for p in split.parts):
            part = remainder_of_whole if split.complete else within_whole
            out.append(part(split, figure))
    return out


def _outcomes(ctx: Context, figure: Figure, all_splits: list[Split]) -> list[Outcome]:
    """Every computation over other cells that the figure calls for; a lookup when none does."""
    if figure.column.endswith(PERCENT_SUFFIX):
        return [percent_of_count(ctx, figure)]
    out: list[Outcome] = []
    by_measure = BY_MEASURE.get((figure.table, figure.row["measure"]))
    if by_measure is not None and figure.column == "value":
        out.append(by_measure(ctx, figure))
    out.extend(_split_outcomes(figure, all_splits))
    items = ctx.listed().get(figure.row["id"])
    if items and figure.column == "value":
        out.append(count_listed(figure, items))
    return out or [lookup(ctx, figure)]


def _check(ctx: Context, figure: Figure, all_splits: list[Split]) -> _Check:
    """The figure's status, from its computations: the first that fails decides; else the
    first that gives the figure; else it is stated."""
    if figure.figure_id in NOT_DERIVABLE:
        return _Check(
            figure, "not_derivable", None, "none", None, True, NOT_DERIVABLE[figure.figure_id]
        )
    outcomes = _outcomes(ctx, figure, all_splits)
    failed = [o for o in outcomes if o.kind is not None]
    underivable = [o for o in outcomes if not o.derivable]
    detail = "; ".join(o.detail for o in outcomes)
    if failed:
        first = failed[0]
        where = first.flags_row or figure.row
        recorded = first.kind in flags_of(where)
        if not recorded:
            whose = "the row's flags" if where is figure.row else f"the flags of {where['id']}"
            detail += f"; not recorded: {whose} do not name {first.kind}"
        return _Check(
            figure, "inconsistent", first.computed, first.method, first.kind, recorded, detail
        )
    if underivable:
        detail += "; not recorded in NOT_DERIVABLE"
        return _Check(figure, "not_derivable", None, underivable[0].method, None, False, detail)
    giving = [o for o in outcomes if o.gives]
    if giving:
        return _Check(
            figure, "reproduced", giving[0].computed, giving[0].method, None, True, detail
        )
    detail += f"; {_STATED_NOTE}"
    return _Check(figure, "stated", None, outcomes[0].method, None, True, detail)


def _checks(ctx: Context, only: str | None = None) -> list[_Check]:
    all_splits = splits(ctx)
    figs = derive_figures(ctx)
    if only is not None:
        figs = [f for f in figs if f.figure_id == only]
    return [_check(ctx, f, all_splits) for f in figs]


def check_figures(tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Check every figure of :func:`figures` by the computations over the tables it allows.

    A figure is ``reproduced`` only when a computation over *other* cells than its own gives
    it. Each figure gets every such computation that the tables allow, through the public
    API:

    - ``count_parties``: a count of parties, by :func:`unodc_metrics.count_parties` on the
      ``parties`` table at the figure's date;
    - ``joined_between``: a count of States that joined in a period, by
      :func:`unodc_metrics.joined_between`;
    - ``sum_of_parts``: a whole that the report splits into two or more parts, as the sum of
      its parts, per breakdown (by sex, or by a ``breakdown`` of nested rows);
    - ``remainder_of_whole``: a part of such a split, as its whole less the other parts. A
      split is one equation, so its whole and its parts are reproduced, or inconsistent,
      together;
    - ``count_listed``: a count whose items the report names, as the number of distinct
      items (or countries) in ``listed_items``;
    - ``percent_of_count``: a percentage, as the count it describes over its total,
      rounded to the precision the report writes. A count derived from the percentage
      itself (``sex_split_derived``) cannot recompute it: the percentage is then only
      checked to be reachable by a whole count of the total;
    - ``within_whole``: the single part of a whole ("including 7 children"), which must not
      exceed it. This bounds the part; it never gives it.

    A computation gives a figure when every number it allows is one that the figure's
    qualifier allows (``value_low`` to ``value_high``), and contradicts it when it allows
    none of them. A figure that no computation gives, and none contradicts, is ``stated``:
    the tables hold it as the report states it, and its check (``lookup``, its own cell read
    by its row's id) shows only that. Changing a stated figure's cell would go unnoticed.

    Args:
        tables: Frames to use instead of the shipped tables, by table name; the others are
            loaded with :func:`unodc_metrics.load`. Frames are used as given, not validated.

    Returns:
        One row per figure, in the order of :func:`figures`, with the columns
        ``figure_id``; ``status``: one of :data:`STATUSES` (``reproduced``, ``stated``,
        ``inconsistent``: the report's own numbers contradict each other, or the reference;
        ``not_derivable``: a computation the figure calls for cannot run); ``expected`` (the
        figure's value); ``computed`` (what the computation gives; missing where it gives a
        range or nothing, and for a stated figure); ``detail`` (the computations in words);
        ``method`` (the computation that decides the status: for a stated figure the check
        that bounds it, else ``lookup``); ``kind`` (for an inconsistent figure, what
        contradicts it: one of :data:`INCONSISTENCY_KINDS`, ``reference_mismatch`` or
        ``lookup_mismatch``); ``recorded`` (whether the data records the status: always true
        for a reproduced or stated figure; for an inconsistent one, whether the ``flags`` of
        its row, or of the whole a part belongs to, name the kind; for a not derivable one,
        whether :data:`NOT_DERIVABLE` lists it); ``table`` and ``paragraph``.

    Raises:
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> from unodc_metrics import check_figures
        >>> checks = check_figures().set_index("figure_id")
        >>> trn = checks.loc["TRN-05a"]
        >>> trn["status"], float(trn["expected"]), float(trn["computed"]), bool(trn["recorded"])
        ('inconsistent', 2776.0, 2772.0, True)
        >>> pst = checks.loc["PST-02a"]
        >>> pst["status"], pst["method"], float(pst["computed"])
        ('reproduced', 'count_parties', 178.0)
        >>> checks.loc["RES-05a", "detail"]
        'sum of parts (RES-05b, RES-05c) by exploitation: 40 + 23 = 63, as stated (63)'
        >>> checks.loc["RES-05b", "detail"]
        'RES-05a by exploitation less the other parts (RES-05c): 63 - 23 = 40, as stated (40)'
        >>> arr = checks.loc["ARR-05a"]
        >>> arr["status"], arr["method"], arr["computed"]
        ('stated', 'lookup', <NA>)
        >>> checks["status"].value_counts().to_dict()
        {'stated': 37, 'reproduced': 18, 'inconsistent': 4}
    """
    import pandas as pd

    records = [c.record() for c in _checks(Context(tables))]
    df = pd.DataFrame(records, columns=list(_CHECK_COLUMNS))
    df["paragraph"] = df["paragraph"].astype("Int64")
    for column in ("expected", "computed"):
        df[column] = pd.to_numeric(df[column]).astype("Float64")
    df["recorded"] = df["recorded"].astype(bool)
    for column in ("figure_id", "status", "detail", "method", "kind", "table"):
        df[column] = df[column].astype("string")
    return df


class NoSuchFigure(LookupError):
    """No figure has the id asked for; the message suggests the ids nearest to it.

    Examples:
        >>> issubclass(NoSuchFigure, LookupError)
        True
    """


def check_one(figure_id: str, tables: Mapping[str, pd.DataFrame] | None = None) -> Row:
    """The check of one figure, as a dict with the columns of :func:`check_figures`.

    The values are plain Python ones (``expected`` and ``computed`` numbers or None,
    ``recorded`` a bool), not a frame's.

    Args:
        figure_id: The figure's id, as in :func:`unodc_metrics.figures`.
        tables: Frames to use instead of the shipped tables, by table name, as
            :func:`check_figures` takes them.

    Returns:
        The figure's check: ``figure_id``, ``status``, ``expected``, ``computed``,
        ``detail``, ``method``, ``kind``, ``recorded``, ``table`` and ``paragraph``.

    Raises:
        NoSuchFigure: If no figure has that id (a :class:`LookupError`).
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> check_one("TRN-06a")["status"]
        'reproduced'
        >>> try:
        ...     check_one("TRN-05z")
        ... except NoSuchFigure as error:
        ...     print(error)
        no figure 'TRN-05z' among unodc_metrics.figures(); did you mean TRN-05a, TRN-52a, TRN-06a?
    """
    ctx = Context(tables)
    found = _checks(ctx, only=figure_id)
    if not found:
        known = [f.figure_id for f in derive_figures(ctx)]
        near = difflib.get_close_matches(figure_id, known, n=6, cutoff=0.7)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise NoSuchFigure(f"no figure {figure_id!r} among unodc_metrics.figures(){hint}")
    return found[0].record()
