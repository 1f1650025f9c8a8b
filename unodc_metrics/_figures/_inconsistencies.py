"""Inconsistencies: the places where the report contradicts itself, by generic rules."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unodc_metrics._base.source import REPORTING_PERIOD
from unodc_metrics._figures._context import Context, Row, as_date, distinct_items
from unodc_metrics._figures._dates import NamedDate, named_dates
from unodc_metrics._figures._listing import PERCENT_SUFFIX, within
from unodc_metrics._figures._parts import splits
from unodc_metrics._figures._percent import percent_checks
from unodc_metrics._figures.wording import stated

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INCONSISTENCY_KINDS", "inconsistencies"]

INCONSISTENCY_KINDS: tuple[str, ...] = (
    "parts_short_of_total",
    "parts_exceed_total",
    "nonexistent_date",
    "outside_reporting_period",
    "percent_mismatch",
    "list_count_mismatch",
)
"""The kinds of internal inconsistency that :func:`inconsistencies` looks for.

- ``parts_short_of_total``: the parts of a complete split add up to less than their whole.
- ``parts_exceed_total``: the parts of a whole add up to more than it.
- ``nonexistent_date``: a period's words name a day that does not exist (31 November).
- ``outside_reporting_period``: a period lies wholly before or after the reporting period.
- ``percent_mismatch``: a percentage that no whole count of the total can give, or that
  disagrees with the count it describes.
- ``list_count_mismatch``: a count disagrees with the number of items the report lists for it.

A kind is *recorded* for a row when the row's ``flags`` column names it. Kinds that
:data:`unodc_metrics.schemas.FLAGS` does not list cannot be recorded: if one is ever found,
the data or the schema needs attention.
"""

_INCONSISTENCY_COLUMNS = ("paragraph", "kind", "detail", "figure_ids", "table", "id")


@dataclass(frozen=True)
class Finding:
    """One inconsistency, and the row whose ``flags`` should record it."""

    paragraph: int
    kind: str
    detail: str
    figure_ids: tuple[str, ...]
    table: str
    id: str

    @classmethod
    def of_row(cls, table: str, row: Row, kind: str, detail: str) -> Finding:
        """A finding that concerns one row and its own figure only."""
        return cls(row["paragraph"], kind, f"{row['id']}: {detail}", (row["id"],), table, row["id"])

    def record(self) -> dict[str, object]:
        """The finding as a row of :func:`inconsistencies`."""
        return {
            "paragraph": self.paragraph,
            "kind": self.kind,
            "detail": self.detail,
            "figure_ids": ",".join(self.figure_ids),
            "table": self.table,
            "id": self.id,
        }


def _parts_rule(ctx: Context) -> Iterator[Finding]:
    """Totals against their parts: sex counts against the total, nested rows per breakdown."""
    for split in splits(ctx):
        verdict = split.verdict()
        if verdict is None:
            continue
        whole = split.whole
        yield Finding(
            paragraph=whole["paragraph"],
            kind=verdict,
            detail=f"{whole['id']}: {split.describe()}",
            figure_ids=(whole["id"], *(p.figure_id for p in split.parts)),
            table=split.table,
            id=whole["id"],
        )


def _why_not(named: NamedDate) -> str:
    """Why a named day does not exist."""
    if 1 <= named.day <= 31:
        days = calendar.monthrange(named.year, named.month)[1]
        return f"{calendar.month_name[named.month]} {named.year} has {days} days"
    return "no month has that day"


def _dates_rule(ctx: Context) -> Iterator[Finding]:
    """Dates that do not exist, among the days each row's period_text names."""
    for table, row in ctx.figure_rows():
        text = row.get("period_text")
        if not isinstance(text, str):
            continue
        for named in named_dates(text):
            if not named.exists:
                detail = f"{text!r} names {named.text()}, which does not exist: {_why_not(named)}"
                yield Finding.of_row(table, row, "nonexistent_date", detail)


def _period_rule(ctx: Context) -> Iterator[Finding]:
    """Periods that lie wholly before or after the reporting period the report declares."""
    first, last = REPORTING_PERIOD
    for table, row in ctx.figure_rows():
        start, end = as_date(row.get("period_start")), as_date(row.get("period_end"))
        words = row.get("period_text")
        shown = f"{words!r} ({start or '?'} to {end or '?'})" if words else f"{start} to {end}"
        if end is not None and end < first:
            where = f"ends before the reporting period opens on {first}"
        elif start is not None and start > last:
            where = f"starts after the reporting period closes on {last}"
        else:
            continue
        detail = f"the period {shown} {where}"
        yield Finding.of_row(table, row, "outside_reporting_period", detail)


def _percent_rule(ctx: Context) -> Iterator[Finding]:
    """Percentages against the counts they describe and the total they are a share of."""
    for check in percent_checks(ctx):
        if check.consistent():
            continue
        row = check.row
        of = check.column.removesuffix(PERCENT_SUFFIX)
        ids = [f"{row['id']}.{check.column}", row["id"]]
        if check.count is not None and not check.derived:
            ids.append(f"{row['id']}.{of}")
        yield Finding(
            paragraph=row["paragraph"],
            kind="percent_mismatch",
            detail=f"{row['id']}: {check.describe()}",
            figure_ids=tuple(ids),
            table=check.table,
            id=row["id"],
        )


def _list_rule(ctx: Context) -> Iterator[Finding]:
    """Counts against the items that the report lists for them."""
    listed = ctx.listed()
    for table, row in ctx.figure_rows():
        items = listed.get(row["id"])
        if not items:
            continue
        n = distinct_items(items)
        if within(n, n, row["value_low"], row["value_high"]):
            continue
        detail = (
            f"the report states {stated(row['qualifier'], row['value'])} and lists {n:,}: "
            + "; ".join(str(i["item"]) for i in items)
        )
        yield Finding.of_row(table, row, "list_count_mismatch", detail)


_RULES: tuple[Callable[[Context], Iterator[Finding]], ...] = (
    _parts_rule,
    _dates_rule,
    _period_rule,
    _percent_rule,
    _list_rule,
)


def _findings(ctx: Context) -> list[Finding]:
    """Every inconsistency that the rules find in the tables of ``ctx``, in the report's order."""
    found = [f for rule in _RULES for f in rule(ctx)]
    order = {k: i for i, k in enumerate(INCONSISTENCY_KINDS)}
    return sorted(found, key=lambda f: (f.paragraph, order[f.kind], f.id))


def inconsistencies(tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Find the places where the report contradicts itself, by generic rules over the tables.

    The rules, applied to every table of figures:

    1. Totals against their parts: the counts by sex against the row's total, and the rows
       nested in a whole (``part_of``) against it, per ``breakdown``. Two or more parts are
       a complete split and must add up to the whole within its bounds; a single part
       ("including 7 children") must only not exceed it.
    2. Dates that do not exist, among the days that ``period_text`` names ("between 19 and
       31 November 2020"), read by a generic day-month-year parser.
    3. Periods wholly before or after :data:`unodc_metrics.REPORTING_PERIOD`.
    4. Percentages against the counts they describe: a share must be reachable by a whole
       count of the total, and agree with the count where one is given.
    5. Counts against the items the report lists for them (the ``listed_items`` table).

    Args:
        tables: Frames to check instead of the shipped tables, by table name; the others are
            loaded with :func:`unodc_metrics.load`. Frames are used as given, not validated.

    Returns:
        One row per inconsistency and row it concerns, in the report's order, with the
        columns ``paragraph``, ``kind`` (one of :data:`INCONSISTENCY_KINDS`), ``detail``,
        ``figure_ids`` (the figures involved, comma-separated, as in :func:`figures`; the
        first is the row concerned), ``table`` and ``id`` (the row whose ``flags`` column
        should record the kind).

    Raises:
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> from unodc_metrics import inconsistencies
        >>> found = inconsistencies()
        >>> found[["paragraph", "kind", "id"]].head(1).to_dict("records")
        [{'paragraph': 5, 'kind': 'parts_short_of_total', 'id': 'TRN-05a'}]
        >>> print(found.loc[0, "detail"])
        TRN-05a: by sex: 1,138 + 715 + 919 = 2,772, 4 short of the stated total of 2,776
        >>> sorted(set(found["kind"]))
        ['nonexistent_date', 'outside_reporting_period', 'parts_short_of_total']
    """
    import pandas as pd

    rows = [f.record() for f in _findings(Context(tables))]
    df = pd.DataFrame(rows, columns=list(_INCONSISTENCY_COLUMNS))
    df["paragraph"] = df["paragraph"].astype("Int64")
    for column in _INCONSISTENCY_COLUMNS[1:]:
        df[column] = df[column].astype("string")
    return df
