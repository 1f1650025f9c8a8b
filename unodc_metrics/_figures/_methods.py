"""The computations that check a figure, each giving an :class:`Outcome`.

Each computation but ``lookup`` reads other cells than the figure's own: ``count_parties``
and ``joined_between`` count over the ``parties`` table, ``sum_of_parts`` adds up a split,
``remainder_of_whole`` takes the other parts from the whole, ``count_listed`` counts the
items listed, and ``percent_of_count`` recomputes a share. Each says whether it *gives* the
figure (every number it allows is one the figure allows) or only bounds it, as
``within_whole`` does for a part of a whole ("including 7 children"). ``lookup`` reads the
figure's own cell: it shows that the tables hold the figure, never that they reproduce it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from unodc_metrics._figures._context import Context, Row, as_date, as_number, distinct_items
from unodc_metrics._figures._listing import PERCENT_SUFFIX, Figure, contains, within
from unodc_metrics._figures._parts import Split
from unodc_metrics._figures._percent import percent_checks
from unodc_metrics._figures.wording import number_text, stated
from unodc_metrics._tables import count_parties, joined_between

__all__ = [
    "BY_MEASURE",
    "Outcome",
    "count_listed",
    "lookup",
    "percent_of_count",
    "remainder_of_whole",
    "sum_of_parts",
    "within_whole",
]


@dataclass(frozen=True)
class Outcome:
    """One computation's result for a figure.

    ``gives`` is true when the computation, over other cells than the figure's own, gives
    the figure: it allows no number that the figure's qualifier excludes. ``kind`` is set
    when it contradicts the figure; ``flags_row`` is the row whose ``flags`` record that
    contradiction, when it is not the figure's own (a whole, for its parts).
    """

    method: str
    computed: int | float | None
    low: int | float | None
    high: int | float | None
    detail: str
    kind: str | None = None  # set when the figure is inconsistent
    derivable: bool = True
    gives: bool = False
    flags_row: Row | None = None


def lookup(ctx: Context, figure: Figure) -> Outcome:
    """The figure's cell, looked up by its row's id; it must give the number written."""
    frame = ctx.frame(figure.table)
    matches = frame.loc[frame["id"] == figure.row["id"], figure.column]
    if len(matches) != 1:
        return Outcome(
            "lookup",
            None,
            None,
            None,
            f"no single row {figure.row['id']!r} in {figure.table}",
            derivable=False,
        )
    found = as_number(matches.iloc[0])
    detail = f"lookup of {figure.column} in {figure.table} row {figure.row['id']}"
    kind = None if found == figure.value else "lookup_mismatch"
    return Outcome("lookup", found, found, found, detail, kind=kind)


def sum_of_parts(split: Split) -> Outcome:
    """A whole, as the sum of the parts that split it; a single part only bounds it."""
    parts = ", ".join(p.figure_id for p in split.parts)
    whole = split.whole
    return Outcome(
        "sum_of_parts",
        split.stated_sum,
        split.low,
        split.high,
        f"sum of parts ({parts}) {split.describe()}",
        kind=split.verdict(),
        gives=split.complete
        and contains(split.low, split.high, whole["value_low"], whole["value_high"]),
    )


def remainder_of_whole(split: Split, figure: Figure) -> Outcome:
    """A part of a complete split, as its whole less the other parts."""
    low, high = split.remainder(figure.figure_id)
    part = stated(figure.qualifier, figure.value)
    return Outcome(
        "remainder_of_whole",
        low if low is not None and low == high else None,
        low,
        high,
        split.describe_remainder(figure.figure_id, part),
        kind=split.verdict(),
        gives=contains(low, high, figure.value_low, figure.value_high),
        flags_row=split.whole,
    )


def within_whole(split: Split, figure: Figure) -> Outcome:
    """The single part of a whole ("including 7 children"), which must not exceed it."""
    part = stated(figure.qualifier, figure.value)
    return Outcome(
        "within_whole",
        None,
        None,
        split.whole["value_high"],
        split.describe_subset(part),
        kind=split.verdict(),
        flags_row=split.whole,
    )


def count_listed(figure: Figure, items: list[Row]) -> Outcome:
    """A count whose items the report names, as the number of distinct items listed."""
    n = distinct_items(items)
    by_country = all(i["country"] is not None for i in items)
    what = "distinct countries" if by_country else "distinct items"
    ok = within(n, n, figure.value_low, figure.value_high)
    listed = "; ".join(str(i["country"] or i["item"]) for i in items)
    return Outcome(
        "count_listed",
        n,
        n,
        n,
        f"{what} listed ({listed}): {n:,}",
        kind=None if ok else "list_count_mismatch",
        gives=ok,
    )


def _count_parties(ctx: Context, figure: Figure) -> Outcome:
    """A count of parties, by ``count_parties`` on the ``parties`` table at the figure's date."""
    as_of = as_date(figure.row.get("period_end"))
    if as_of is None:
        return Outcome("count_parties", None, None, None, "no date to count on", derivable=False)
    count = count_parties(ctx.frame("parties"), as_of)
    high = count.high if count.complete else None
    computed = count.low if count.low == high else None
    shown = f"{count.low}" if computed is not None else f"{count.low} to {high or 'more'}"
    detail = f"count_parties(load('parties'), {as_of.isoformat()}): {shown}"
    if count.uncertain:
        detail += f"; uncertain: {', '.join(count.uncertain)}"
    ok = within(count.low, high, figure.value_low, figure.value_high)
    return Outcome(
        "count_parties",
        computed,
        count.low,
        high,
        detail,
        kind=None if ok else "reference_mismatch",
        gives=contains(computed, computed, figure.value_low, figure.value_high),
    )


def _states_joined(ctx: Context, figure: Figure) -> Outcome:
    """A count of States that joined in the figure's period, by ``joined_between``."""
    start = as_date(figure.row.get("period_start"))
    end = as_date(figure.row.get("period_end"))
    if start is None or end is None:
        return Outcome("joined_between", None, None, None, "the period is open", derivable=False)
    parties = ctx.frame("parties")
    joined = joined_between(parties.loc[parties["kind"] == "state"], start, end)
    earliest = [as_date(d) for d in joined["action_date_earliest"]]
    latest = [as_date(d) for d in joined["action_date_latest"]]
    surely = sum(
        1
        for lo, hi in zip(earliest, latest, strict=True)
        if lo is not None and hi is not None and lo > start and hi <= end
    )
    high = len(joined)
    computed = surely if surely == high else None
    names = ", ".join(str(p) for p in joined["participant"]) or "none"
    detail = (
        f"joined_between(States of load('parties'), {start.isoformat()}, {end.isoformat()}): "
        f"{surely if computed is not None else f'{surely} to {high}'} ({names})"
    )
    ok = within(surely, high, figure.value_low, figure.value_high)
    return Outcome(
        "joined_between",
        computed,
        surely,
        high,
        detail,
        kind=None if ok else "reference_mismatch",
        gives=contains(computed, computed, figure.value_low, figure.value_high),
    )


BY_MEASURE: dict[tuple[str, str], Callable[[Context, Figure], Outcome]] = {
    ("protocol_status", "parties"): _count_parties,
    ("protocol_status", "states_joined"): _states_joined,
}
"""The computations that a figure's table and measure call for."""


def percent_of_count(ctx: Context, figure: Figure) -> Outcome:
    """A share, as the count it describes over its total, rounded as the share is written."""
    for check in percent_checks(ctx):
        if check.row["id"] != figure.row["id"] or check.column != figure.column:
            continue
        computed = check.computed
        of = figure.column.removesuffix(PERCENT_SUFFIX)
        count = "?" if check.count is None else f"{check.count:,}"
        detail = (
            f"{of} / value = {count} / {check.total:,}, rounded: "
            f"{'?' if computed is None else number_text(computed)} per cent; {check.describe()}"
        )
        # A share with no count beside it, or with a count derived from the share itself, is
        # only checked to be reachable by a whole count of its total: it is not given.
        if check.derived:
            detail = (
                f"{check.describe()}, from the share itself: the share is checked to be "
                f"reachable by a whole count of {check.total:,}, not recomputed"
            )
        return Outcome(
            "percent_of_count",
            computed,
            computed,
            computed,
            detail,
            kind=None if check.consistent() else "percent_mismatch",
            gives=check.count is not None and not check.derived and check.consistent(),
        )
    return Outcome(
        "percent_of_count",
        None,
        None,
        None,
        "the total is not an exact count, so the share cannot be recomputed",
        derivable=False,
    )
