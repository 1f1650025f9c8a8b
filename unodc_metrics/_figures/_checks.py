"""Reproducing the figures: each one by the most telling computation that the tables allow."""

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
    sum_of_parts,
)
from unodc_metrics._figures._parts import Split, splits

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NOT_DERIVABLE", "STATUSES", "NoSuchFigure", "check_figures", "check_one"]

STATUSES: tuple[str, ...] = ("reproduced", "inconsistent", "not_derivable")
"""The statuses :func:`check_figures` gives a figure."""

NOT_DERIVABLE: dict[str, str] = {}
"""Figures declared not derivable from the tables, by figure id, with the reason.

Empty: every figure of the report is reproduced by a computation over the tables.
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


def _outcomes(ctx: Context, figure: Figure, all_splits: list[Split]) -> list[Outcome]:
    """Every computation that the figure calls for; a lookup when none does."""
    if figure.column.endswith(PERCENT_SUFFIX):
        return [percent_of_count(ctx, figure)]
    if figure.column != "value":
        return [lookup(ctx, figure)]
    out: list[Outcome] = []
    by_measure = BY_MEASURE.get((figure.table, figure.row["measure"]))
    if by_measure is not None:
        out.append(by_measure(ctx, figure))
    for split in all_splits:
        mine = split.table == figure.table and split.whole["id"] == figure.row["id"]
        if mine and (split.complete or split.verdict() is not None):
            out.append(sum_of_parts(split))
    items = ctx.listed().get(figure.row["id"])
    if items:
        out.append(count_listed(figure, items))
    return out or [lookup(ctx, figure)]


def _check(ctx: Context, figure: Figure, all_splits: list[Split]) -> _Check:
    """The figure's status, from its computations: the first that fails decides."""
    if figure.figure_id in NOT_DERIVABLE:
        return _Check(
            figure, "not_derivable", None, "none", None, True, NOT_DERIVABLE[figure.figure_id]
        )
    outcomes = _outcomes(ctx, figure, all_splits)
    failed = [o for o in outcomes if o.kind is not None]
    underivable = [o for o in outcomes if not o.derivable]
    detail = "; ".join(o.detail for o in outcomes)
    first = (failed or outcomes)[0]
    if failed:
        kind = failed[0].kind
        recorded = kind in flags_of(figure.row)
        if not recorded:
            detail += f"; not recorded: the row's flags do not name {kind}"
        return _Check(figure, "inconsistent", first.computed, first.method, kind, recorded, detail)
    if underivable:
        detail += "; not recorded in NOT_DERIVABLE"
        return _Check(figure, "not_derivable", None, underivable[0].method, None, False, detail)
    return _Check(figure, "reproduced", first.computed, first.method, None, True, detail)


def _checks(ctx: Context, only: str | None = None) -> list[_Check]:
    all_splits = splits(ctx)
    figs = derive_figures(ctx)
    if only is not None:
        figs = [f for f in figs if f.figure_id == only]
    return [_check(ctx, f, all_splits) for f in figs]


def check_figures(tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Reproduce every figure of :func:`figures` by a computation over the curated tables.

    Each figure gets the most telling computation the tables allow, through the public API:

    - ``count_parties``: a count of parties, by :func:`unodc_metrics.count_parties` on the
      ``parties`` table at the figure's date;
    - ``joined_between``: a count of States that joined in a period, by
      :func:`unodc_metrics.joined_between`;
    - ``sum_of_parts``: a whole that the report splits into parts, as the sum of its parts,
      per breakdown (by sex, or by a ``breakdown`` of nested rows);
    - ``count_listed``: a count whose items the report names, as the number of distinct
      items (or countries) in ``listed_items``;
    - ``percent_of_count``: a percentage, as the count it describes over its total,
      rounded to the precision the report writes;
    - ``lookup``: otherwise, the figure's cell of its row, looked up by id.

    A computation reproduces a figure when its result lies within the bounds that the
    qualifier allows (``value_low`` to ``value_high``); a lookup must give the number written.

    Args:
        tables: Frames to use instead of the shipped tables, by table name; the others are
            loaded with :func:`unodc_metrics.load`. Frames are used as given, not validated.

    Returns:
        One row per figure, in the order of :func:`figures`, with the columns
        ``figure_id``; ``status``: ``reproduced``, ``inconsistent`` (the report's own
        numbers contradict each other, or the reference) or ``not_derivable``; ``expected``
        (the figure's value); ``computed`` (missing where the computation gives a range or
        nothing); ``detail`` (the computation in words); ``method`` (the computation above);
        ``kind`` (for an inconsistent figure, what contradicts it: one of
        :data:`INCONSISTENCY_KINDS`, ``reference_mismatch`` or ``lookup_mismatch``);
        ``recorded`` (whether the data records the status: always true for a reproduced
        figure; for an inconsistent one, whether its row's ``flags`` name the kind; for a
        not derivable one, whether :data:`NOT_DERIVABLE` lists it); ``table`` and
        ``paragraph``.

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
        >>> checks["status"].value_counts().to_dict()
        {'reproduced': 58, 'inconsistent': 1}
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
