"""The report's figures, derived from the curated tables, and checks that reproduce them.

One source of truth: the curated tables hold every number. :func:`figures` derives the list of
the report's quantitative statements from them, :func:`check_figures` reproduces each one by a
computation over the tables through the public API, and :func:`inconsistencies` applies
generic rules that find the places where the report contradicts itself.

The page ``docs/figures.md`` is rendered from these functions::

    python -m unodc_metrics._figures > docs/figures.md

Nothing here reads data or imports pandas at import time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FIGURE_COLUMNS",
    "INCONSISTENCY_KINDS",
    "NOT_DERIVABLE",
    "STATUSES",
    "check_figures",
    "figures",
    "inconsistencies",
    "render_figures_page",
]

STATUSES: tuple[str, ...] = ("reproduced", "inconsistent", "not_derivable")
"""The statuses :func:`check_figures` gives a figure."""

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

NOT_DERIVABLE: dict[str, str] = {}
"""Figures declared not derivable from the tables, by figure id, with the reason.

Empty: every figure of the report is reproduced by a computation over the tables.
"""

FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id",
    "paragraph",
    "table",
    "row_id",
    "column",
    "phrase",
    "description",
    "value",
    "qualifier",
    "value_low",
    "value_high",
    "measure",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "period_text",
    "initiative",
    "country",
    "area",
    "flags",
)
"""The columns of :func:`figures`, in order."""

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
_INCONSISTENCY_COLUMNS = ("paragraph", "kind", "detail", "figure_ids", "table", "id")

# The columns that split a row's whole by sex, and how a figure of each is described.
_SEX_COLUMNS: dict[str, str] = {
    "female": "female",
    "male": "male",
    "other_sex": "other sex",
    "unknown_sex": "sex not known",
}
_PERCENT_SUFFIX = "_percent"

_Row = dict[str, Any]


# --------------------------------------------------------------------------------------------
# Access to the tables
# --------------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    """A plain Python value: missing becomes None, timestamps become dates."""
    import pandas as pd

    if value is None:
        return None
    if not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def _date(value: Any) -> dt.date | None:
    """A date from a date, a timestamp or an ISO string; None when missing."""
    value = _scalar(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _num(value: Any) -> int | float | None:
    """A number, as an int when whole; None when missing."""
    value = _scalar(value)
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _flags(row: _Row) -> frozenset[str]:
    text = row.get("flags")
    if not isinstance(text, str):
        return frozenset()
    return frozenset(t.strip() for t in text.split(",") if t.strip())


class _Context:
    """The tables a computation reads: the shipped ones, or frames a caller passes instead."""

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None) -> None:
        import unodc_metrics as um

        given = dict(tables or {})
        unknown = sorted(set(given) - set(um.TABLES))
        if unknown:
            raise LookupError(
                f"no table named {', '.join(map(repr, unknown))}; "
                f"the tables are: {', '.join(um.TABLES)}"
            )
        self._given = given
        self._frames: dict[str, pd.DataFrame] = {}
        self._rows: dict[str, list[_Row]] = {}
        self._listed: dict[str, list[_Row]] | None = None

    def frame(self, name: str) -> pd.DataFrame:
        """The table ``name``: the caller's frame if given, else ``unodc_metrics.load(name)``."""
        import unodc_metrics as um

        if name not in self._frames:
            given = self._given.get(name)
            self._frames[name] = um.load(name) if given is None else given
        return self._frames[name]

    def rows(self, name: str) -> list[_Row]:
        """The rows of a table as plain dicts, missing values as None, dates as dates."""
        if name not in self._rows:
            records = self.frame(name).to_dict("records")
            self._rows[name] = [{str(k): _scalar(v) for k, v in r.items()} for r in records]
        return self._rows[name]

    def figure_rows(self) -> Iterator[tuple[str, _Row]]:
        import unodc_metrics as um

        for table in um.FIGURE_TABLES:
            for row in self.rows(table):
                yield table, row

    def row(self, table: str, row_id: str) -> _Row | None:
        for row in self.rows(table):
            if row.get("id") == row_id:
                return row
        return None

    def units(self) -> dict[tuple[str, str], str]:
        return {(r["table"], r["measure"]): r["unit"] for r in self.rows("measures")}

    def listed(self) -> dict[str, list[_Row]]:
        """The items listed for each figure, by figure id, in the report's order."""
        if self._listed is None:
            self._listed = {}
            for item in sorted(self.rows("listed_items"), key=lambda r: r["position"] or 0):
                self._listed.setdefault(str(item["figure_id"]), []).append(item)
        return self._listed


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    figure_id: str
    table: str
    row: _Row
    column: str
    description: str
    value: int | float
    qualifier: str
    value_low: int | float
    value_high: int | float | None
    unit: str

    def record(self) -> _Row:
        row = self.row
        return {
            "figure_id": self.figure_id,
            "paragraph": row["paragraph"],
            "table": self.table,
            "row_id": row["id"],
            "column": self.column,
            "phrase": row["phrase"],
            "description": self.description,
            "value": self.value,
            "qualifier": self.qualifier,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "measure": row["measure"],
            "unit": self.unit,
            "period_kind": row.get("period_kind"),
            "period_start": row.get("period_start"),
            "period_end": row.get("period_end"),
            "period_text": row.get("period_text"),
            "initiative": row.get("initiative"),
            "country": row.get("country"),
            "area": row.get("area"),
            "flags": row.get("flags"),
        }


def _stated_sex_columns(row: _Row) -> list[str]:
    """The sex columns whose count the report states (a count derived from a share is not)."""
    stated = []
    for column in _SEX_COLUMNS:
        if row.get(column) is None:
            continue
        if column == "female" and row.get("sex_split_derived"):
            continue
        stated.append(column)
    return stated


def _percent_columns(row: _Row) -> list[str]:
    return [c for c in row if c.endswith(_PERCENT_SUFFIX) and row[c] is not None]


def _derive_figures(ctx: _Context) -> list[_Figure]:
    units = ctx.units()
    out: list[_Figure] = []
    for table, row in ctx.figure_rows():
        unit = units.get((table, row["measure"]), "")
        out.append(
            _Figure(
                figure_id=row["id"],
                table=table,
                row=row,
                column="value",
                description=row["description"],
                value=row["value"],
                qualifier=row["qualifier"],
                value_low=row["value_low"],
                value_high=row["value_high"],
                unit=unit,
            )
        )
        stated = _stated_sex_columns(row)
        for column in stated:
            count = row[column]
            # "25 female law enforcement officers": a lone count equal to its whole restates
            # the whole rather than splitting it, so it is not a figure of its own.
            if len(stated) == 1 and count == row["value"]:
                continue
            out.append(
                _Figure(
                    figure_id=f"{row['id']}.{column}",
                    table=table,
                    row=row,
                    column=column,
                    description=f"{row['description']}: {_SEX_COLUMNS[column]}",
                    value=count,
                    qualifier="exact",
                    value_low=count,
                    value_high=count,
                    unit=unit,
                )
            )
        for column in _percent_columns(row):
            share = _num(row[column])
            assert share is not None
            of = column.removesuffix(_PERCENT_SUFFIX)
            out.append(
                _Figure(
                    figure_id=f"{row['id']}.{column}",
                    table=table,
                    row=row,
                    column=column,
                    description=f"{row['description']}: share {_SEX_COLUMNS.get(of, of)}",
                    value=share,
                    qualifier="exact",
                    value_low=share,
                    value_high=share,
                    unit="percent",
                )
            )
    # In the report's order: by paragraph, then table and row order.
    return sorted(out, key=lambda f: int(f.row["paragraph"]))


def figures(tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """List every quantitative statement of the report, one row each.

    The list is derived from the curated tables, never kept by hand: one figure per row of
    each table of :data:`unodc_metrics.FIGURE_TABLES` (its ``value``), plus, where the report
    splits a whole by sex, one figure per stated count (``TRN-05a.female``) and one per stated
    percentage (``TRN-68a.female_percent``, in ``percent``). A count derived from a percentage
    is not a figure of the report; nor is a lone count by sex equal to its whole ("25 female
    officers" states the whole).

    Args:
        tables: Frames to use instead of the shipped tables, by table name; the others are
            loaded with :func:`unodc_metrics.load`. Frames are used as given, not validated.

    Returns:
        One row per figure, in the report's order, with the columns of
        :data:`FIGURE_COLUMNS`: ``figure_id`` (stable and readable: the row's id, with
        ``.column`` for a count or share within the row), ``paragraph``, ``table``,
        ``row_id`` and ``column`` (where the number is held), ``phrase`` (verbatim),
        ``description``, ``value`` (the number as stated; a percentage stays a percentage),
        ``qualifier`` (``exact``, ``at_least``, ``more_than``, ``over`` or
        ``approximately``), ``value_low`` and ``value_high`` (the bounds it allows; missing
        when unbounded), ``measure`` and ``unit``, the period (``period_kind``,
        ``period_start``, ``period_end``, ``period_text``), ``initiative``, ``country``,
        ``area``, and the row's ``flags``.

    Raises:
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> import unodc_metrics as um
        >>> figs = um.figures().set_index("figure_id")
        >>> trn = figs.loc["TRN-05a"]
        >>> int(trn["paragraph"]), float(trn["value"]), trn["qualifier"], trn["unit"]
        (5, 2776.0, 'exact', 'persons')
        >>> share = figs.loc["TRN-68a.female_percent"]
        >>> float(share["value"]), share["unit"], share["row_id"], share["column"]
        (24.0, 'percent', 'TRN-68a', 'female_percent')
        >>> figs.loc["CTY-05a", "phrase"]
        'provided at least 49 countries with targeted technical cooperation activities'
    """
    import pandas as pd

    ctx = _Context(tables)
    records = [f.record() for f in _derive_figures(ctx)]
    df = pd.DataFrame(records, columns=list(FIGURE_COLUMNS))
    for column in ("paragraph",):
        df[column] = df[column].astype("Int64")
    for column in ("value", "value_low", "value_high"):
        df[column] = pd.to_numeric(df[column]).astype("Float64")
    for column in ("period_start", "period_end"):
        df[column] = pd.to_datetime(df[column])
    text = [
        c
        for c in FIGURE_COLUMNS
        if c not in ("paragraph", "value", "value_low", "value_high", "period_start", "period_end")
    ]
    for column in text:
        df[column] = df[column].astype("string")
    return df


# --------------------------------------------------------------------------------------------
# Parts and wholes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    figure_id: str
    value: int
    low: int
    high: int | None


@dataclass(frozen=True)
class _Split:
    """The parts of a whole along one dimension (sex, or a ``breakdown`` of nested rows)."""

    table: str
    whole: _Row
    by: str
    parts: tuple[_Part, ...]

    @property
    def complete(self) -> bool:
        """Two or more parts are read as a complete split of their whole ("40 ... and 23");
        a single part ("including 7 children") as a subset, which must only not exceed it."""
        return len(self.parts) >= 2

    @property
    def stated_sum(self) -> int:
        return sum(p.value for p in self.parts)

    @property
    def low(self) -> int:
        return sum(p.low for p in self.parts)

    @property
    def high(self) -> int | None:
        highs = [p.high for p in self.parts]
        return None if any(h is None for h in highs) else sum(h for h in highs if h is not None)

    def verdict(self) -> str | None:
        """``parts_short_of_total``, ``parts_exceed_total`` or None when they agree."""
        w_low, w_high = self.whole["value_low"], self.whole["value_high"]
        if w_high is not None and self.low > w_high:
            return "parts_exceed_total"
        high = self.high
        if self.complete and high is not None and high < w_low:
            return "parts_short_of_total"
        return None

    def describe(self) -> str:
        terms = " + ".join(f"{p.value:,}" for p in self.parts)
        whole = _stated(self.whole["qualifier"], self.whole["value"])
        total = f"{terms} = {self.stated_sum:,}" if self.complete else f"{terms}"
        verdict = self.verdict()
        if verdict == "parts_short_of_total":
            gap = self.whole["value_low"] - (self.high or 0)
            return f"by {self.by}: {total}, {gap:,} short of the stated total of {whole}"
        if verdict == "parts_exceed_total":
            gap = self.low - (self.whole["value_high"] or 0)
            noun = "parts add" if self.complete else "part is"
            return f"by {self.by}: {total}; the {noun} {gap:,} more than the stated {whole}"
        return f"by {self.by}: {total}, as stated ({whole})"


def _splits(ctx: _Context) -> list[_Split]:
    """Every split of a whole into parts that the tables record."""
    out: list[_Split] = []
    for table, row in ctx.figure_rows():
        parts: list[_Part] = []
        for column in _SEX_COLUMNS:
            count = row.get(column)
            if count is None:
                continue
            if column == "female" and row.get("sex_split_derived"):
                low, high = row.get("female_low"), row.get("female_high")
                parts.append(
                    _Part(
                        f"{row['id']}.female_percent",
                        int(count),
                        int(count if low is None else low),
                        int(count if high is None else high),
                    )
                )
            else:
                parts.append(_Part(f"{row['id']}.{column}", int(count), int(count), int(count)))
        if parts:
            out.append(_Split(table, row, "sex", tuple(parts)))
    for table in _figure_tables():
        rows = ctx.rows(table)
        by_id = {r["id"]: r for r in rows}
        groups: dict[tuple[str, str], list[_Row]] = {}
        for row in rows:
            if row.get("part_of") is not None:
                key = (str(row["part_of"]), str(row.get("breakdown") or "parts"))
                groups.setdefault(key, []).append(row)
        for (whole_id, by), members in groups.items():
            whole = by_id.get(whole_id)
            if whole is None:
                continue
            parts = [_Part(r["id"], r["value"], r["value_low"], r["value_high"]) for r in members]
            out.append(_Split(table, whole, by, tuple(parts)))
    return out


def _figure_tables() -> tuple[str, ...]:
    import unodc_metrics as um

    return tuple(um.FIGURE_TABLES)


# --------------------------------------------------------------------------------------------
# Dates named in words
# --------------------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_TOKENS = re.compile(r"(\d+)(?:st|nd|rd|th)?\b|([A-Za-z]+)|([\u2013\u2014-])")
_CONNECTORS = frozenset(
    {"and", "to", "from", "between", "on", "until", "till", "through", "\u2013", "\u2014", "-"}
)


@dataclass(frozen=True)
class _NamedDate:
    """A day named in words: its day, month and year as written, and whether it exists."""

    day: int
    month: int
    year: int

    @property
    def exists(self) -> bool:
        return 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]

    def text(self) -> str:
        return f"{self.day} {calendar.month_name[self.month]} {self.year}"


def _named_dates(text: str) -> list[_NamedDate]:
    """The days that a text names, in day-month-year order, ranges and lists included.

    Each year closes a group; reading back from it, a month name applies to the days before
    it up to the previous month name, across connectors ("between", "and", "to", dashes).
    "Month day, year" is read too.

    Examples:
        >>> [d.text() for d in _named_dates("between 19 and 31 November 2020")]
        ['19 November 2020', '31 November 2020']
        >>> [d.text() for d in _named_dates("on 30 September and 1 October 2021")]
        ['30 September 2021', '1 October 2021']
        >>> [d.text() for d in _named_dates("from 30 December 2020 to 2 January 2021")]
        ['30 December 2020', '2 January 2021']
        >>> [d.exists for d in _named_dates("29 February 2021, 17\u201321 May 2022")]
        [False, True, True]
        >>> _named_dates("in the first half of 2020")
        []
    """
    tokens: list[tuple[str, str]] = []
    for m in _TOKENS.finditer(text):
        number, word, dash = m.groups()
        if number is not None:
            tokens.append(
                ("year" if len(number) == 4 else "day" if len(number) <= 2 else "n", number)
            )
        elif word is not None:
            low = word.lower()
            tokens.append(("month" if low in _MONTHS else "word", low))
        else:
            tokens.append(("word", dash))
    found: list[_NamedDate] = []
    for i, (kind, token) in enumerate(tokens):
        if kind != "year":
            continue
        year = int(token)
        group: list[_NamedDate] = []
        # "November 31, 2020"
        if i >= 2 and tokens[i - 1][0] == "day" and tokens[i - 2][0] == "month":
            group.append(_NamedDate(int(tokens[i - 1][1]), _MONTHS[tokens[i - 2][1]], year))
        else:
            month: int | None = None
            for back_kind, back in reversed(tokens[:i]):
                if back_kind == "month":
                    month = _MONTHS[back]
                elif back_kind == "day" and month is not None:
                    group.append(_NamedDate(int(back), month, year))
                elif back_kind == "word" and back in _CONNECTORS:
                    continue
                else:
                    break
            group.reverse()
        found.extend(group)
    return found


# --------------------------------------------------------------------------------------------
# Percentages
# --------------------------------------------------------------------------------------------


def _decimals(value: float) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _rounding_interval(total: int, percent: float) -> tuple[int, int]:
    """The whole counts out of ``total`` whose share rounds to ``percent`` as written.

    The interval is empty (low > high) when no whole count gives that share.

    Examples:
        >>> _rounding_interval(62, 24.0)
        (15, 15)
        >>> _rounding_interval(10, 24.0)
        (3, 2)
    """
    half = Fraction(1, 2) / Fraction(10) ** _decimals(percent)
    share = Fraction(Decimal(str(percent)))
    low = max(0, math.ceil(total * (share - half) / 100))
    high = min(total, math.floor(total * (share + half) / 100))
    return low, high


def _percent_of(count: int, total: int, decimals: int) -> float:
    exact = Decimal(100 * count) / Decimal(total)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class _PercentCheck:
    row: _Row
    column: str
    percent: float
    count: int | None
    count_low: int | None
    count_high: int | None
    derived: bool
    total: int
    interval: tuple[int, int]

    @property
    def computed(self) -> float | None:
        if self.count is None or self.total == 0:
            return None
        return _percent_of(self.count, self.total, _decimals(self.percent))

    def consistent(self) -> bool:
        low, high = self.interval
        if low > high:
            return False
        if self.count is None:
            return True
        c_low = self.count if self.count_low is None else self.count_low
        c_high = self.count if self.count_high is None else self.count_high
        return c_low <= high and low <= c_high and low <= self.count <= high

    def describe(self) -> str:
        low, high = self.interval
        of = self.column.removesuffix(_PERCENT_SUFFIX)
        pct = f"{_fmt(self.percent)} per cent"
        if low > high:
            return f"no whole number of the {self.total:,} is {pct}"
        allowed = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        stated = "derived" if self.derived else "stated"
        count = "no count" if self.count is None else f"{self.count:,} ({stated})"
        verb = "allows" if self.consistent() else "allows only"
        return f"{pct} of {self.total:,} {verb} {allowed} {of}; {of}: {count}"


def _percent_checks(ctx: _Context) -> Iterator[tuple[str, _PercentCheck]]:
    for table, row in ctx.figure_rows():
        total = row.get("value")
        if total is None or row.get("value_low") != row.get("value_high"):
            continue  # a share of an open or approximate total cannot be checked
        for column in _percent_columns(row):
            of = column.removesuffix(_PERCENT_SUFFIX)
            percent = float(row[column])
            count = row.get(of)
            derived = bool(row.get("sex_split_derived")) if of == "female" else False
            yield (
                table,
                _PercentCheck(
                    row=row,
                    column=column,
                    percent=percent,
                    count=None if count is None else int(count),
                    count_low=row.get(f"{of}_low"),
                    count_high=row.get(f"{of}_high"),
                    derived=derived,
                    total=int(total),
                    interval=_rounding_interval(int(total), percent),
                ),
            )


# --------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------


def _distinct_items(items: list[_Row]) -> int:
    """Distinct items listed: by country code where an item has one, else by its words."""
    return len({item["country"] or str(item["item"]).strip().lower() for item in items})


# --------------------------------------------------------------------------------------------
# Inconsistencies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Finding:
    paragraph: int
    kind: str
    detail: str
    figure_ids: tuple[str, ...]
    table: str
    id: str


def _parts_rule(ctx: _Context) -> Iterator[_Finding]:
    """Totals against their parts: sex counts against the total, nested rows per breakdown."""
    for split in _splits(ctx):
        verdict = split.verdict()
        if verdict is None:
            continue
        whole = split.whole
        yield _Finding(
            paragraph=whole["paragraph"],
            kind=verdict,
            detail=f"{whole['id']}: {split.describe()}",
            figure_ids=(whole["id"], *(p.figure_id for p in split.parts)),
            table=split.table,
            id=whole["id"],
        )


def _dates_rule(ctx: _Context) -> Iterator[_Finding]:
    """Dates that do not exist, among the days each row's period_text names."""
    for table, row in ctx.figure_rows():
        text = row.get("period_text")
        if not isinstance(text, str):
            continue
        for named in _named_dates(text):
            if named.exists:
                continue
            if 1 <= named.day <= 31:
                days = calendar.monthrange(named.year, named.month)[1]
                month = f"{calendar.month_name[named.month]} {named.year}"
                why = f"{month} has {days} days"
            else:
                why = "no month has that day"
            yield _Finding(
                paragraph=row["paragraph"],
                kind="nonexistent_date",
                detail=f"{row['id']}: {text!r} names {named.text()}, which does not exist: {why}",
                figure_ids=(row["id"],),
                table=table,
                id=row["id"],
            )


def _period_rule(ctx: _Context) -> Iterator[_Finding]:
    """Periods that lie wholly before or after the reporting period the report declares."""
    import unodc_metrics as um

    first, last = um.REPORTING_PERIOD
    for table, row in ctx.figure_rows():
        start, end = _date(row.get("period_start")), _date(row.get("period_end"))
        words = row.get("period_text")
        shown = f"{words!r} ({start or '?'} to {end or '?'})" if words else f"{start} to {end}"
        if end is not None and end < first:
            where = f"ends before the reporting period opens on {first}"
        elif start is not None and start > last:
            where = f"starts after the reporting period closes on {last}"
        else:
            continue
        yield _Finding(
            paragraph=row["paragraph"],
            kind="outside_reporting_period",
            detail=f"{row['id']}: the period {shown} {where}",
            figure_ids=(row["id"],),
            table=table,
            id=row["id"],
        )


def _percent_rule(ctx: _Context) -> Iterator[_Finding]:
    """Percentages against the counts they describe and the total they are a share of."""
    for table, check in _percent_checks(ctx):
        if check.consistent():
            continue
        row = check.row
        of = check.column.removesuffix(_PERCENT_SUFFIX)
        ids = [f"{row['id']}.{check.column}", row["id"]]
        if check.count is not None and not check.derived:
            ids.append(f"{row['id']}.{of}")
        yield _Finding(
            paragraph=row["paragraph"],
            kind="percent_mismatch",
            detail=f"{row['id']}: {check.describe()}",
            figure_ids=tuple(ids),
            table=table,
            id=row["id"],
        )


def _list_rule(ctx: _Context) -> Iterator[_Finding]:
    """Counts against the items that the report lists for them."""
    listed = ctx.listed()
    for table, row in ctx.figure_rows():
        items = listed.get(row["id"])
        if not items:
            continue
        n = _distinct_items(items)
        if _within(n, n, row["value_low"], row["value_high"]):
            continue
        stated = _stated(row["qualifier"], row["value"])
        yield _Finding(
            paragraph=row["paragraph"],
            kind="list_count_mismatch",
            detail=f"{row['id']}: the report states {stated} and lists {n:,}: "
            + "; ".join(str(i["item"]) for i in items),
            figure_ids=(row["id"],),
            table=table,
            id=row["id"],
        )


_RULES: tuple[Callable[[_Context], Iterator[_Finding]], ...] = (
    _parts_rule,
    _dates_rule,
    _period_rule,
    _percent_rule,
    _list_rule,
)


def _findings(ctx: _Context) -> list[_Finding]:
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
        >>> import unodc_metrics as um
        >>> found = um.inconsistencies()
        >>> found[["paragraph", "kind", "id"]].head(1).to_dict("records")
        [{'paragraph': 5, 'kind': 'parts_short_of_total', 'id': 'TRN-05a'}]
        >>> print(found.loc[0, "detail"])
        TRN-05a: by sex: 1,138 + 715 + 919 = 2,772, 4 short of the stated total of 2,776
        >>> sorted(set(found["kind"]))
        ['nonexistent_date', 'outside_reporting_period', 'parts_short_of_total']
    """
    import pandas as pd

    ctx = _Context(tables)
    rows = [
        {
            "paragraph": f.paragraph,
            "kind": f.kind,
            "detail": f.detail,
            "figure_ids": ",".join(f.figure_ids),
            "table": f.table,
            "id": f.id,
        }
        for f in _findings(ctx)
    ]
    df = pd.DataFrame(rows, columns=list(_INCONSISTENCY_COLUMNS))
    df["paragraph"] = df["paragraph"].astype("Int64")
    for column in _INCONSISTENCY_COLUMNS[1:]:
        df[column] = df[column].astype("string")
    return df


# --------------------------------------------------------------------------------------------
# Reproducing the figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    """One computation's result for a figure."""

    method: str
    computed: int | float | None
    low: int | float | None
    high: int | float | None
    detail: str
    kind: str | None = None  # set when the figure is inconsistent
    derivable: bool = True


@dataclass(frozen=True)
class _Check:
    figure: _Figure
    status: str
    computed: int | float | None
    method: str
    kind: str | None
    recorded: bool
    detail: str

    def record(self) -> _Row:
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


def _within(low: float, high: float | None, bound_low: float, bound_high: float | None) -> bool:
    """Whether the interval [low, high] meets [bound_low, bound_high] (None: unbounded)."""
    if bound_high is not None and low > bound_high:
        return False
    return high is None or high >= bound_low


def _lookup(ctx: _Context, figure: _Figure) -> _Outcome:
    frame = ctx.frame(figure.table)
    matches = frame.loc[frame["id"] == figure.row["id"], figure.column]
    if len(matches) != 1:
        return _Outcome(
            "lookup",
            None,
            None,
            None,
            f"no single row {figure.row['id']!r} in {figure.table}",
            derivable=False,
        )
    found = _num(matches.iloc[0])
    detail = f"lookup of {figure.column} in {figure.table} row {figure.row['id']}"
    part_of = figure.row.get("part_of")
    if figure.column in _SEX_COLUMNS:
        detail += f"; part of {figure.row['id']}, checked there as a sum of parts"
    elif part_of is not None:
        detail += f"; part of {part_of}, checked there as a sum of parts"
    kind = None if found == figure.value else "lookup_mismatch"
    return _Outcome("lookup", found, found, found, detail, kind=kind)


def _sum_of_parts(split: _Split) -> _Outcome:
    kind = split.verdict()
    parts = ", ".join(p.figure_id for p in split.parts)
    return _Outcome(
        "sum_of_parts",
        split.stated_sum,
        split.low,
        split.high,
        f"sum of parts ({parts}) {split.describe()}",
        kind=kind,
    )


def _count_listed(figure: _Figure, items: list[_Row]) -> _Outcome:
    n = _distinct_items(items)
    by_country = all(i["country"] is not None for i in items)
    what = "distinct countries" if by_country else "distinct items"
    ok = _within(n, n, figure.value_low, figure.value_high)
    listed = "; ".join(str(i["country"] or i["item"]) for i in items)
    return _Outcome(
        "count_listed",
        n,
        n,
        n,
        f"{what} listed ({listed}): {n:,}",
        kind=None if ok else "list_count_mismatch",
    )


def _count_parties(ctx: _Context, figure: _Figure) -> _Outcome:
    import unodc_metrics as um

    as_of = _date(figure.row.get("period_end"))
    if as_of is None:
        return _Outcome("count_parties", None, None, None, "no date to count on", derivable=False)
    count = um.count_parties(ctx.frame("parties"), as_of)
    high = count.high if count.complete else None
    computed = count.low if count.low == high else None
    shown = f"{count.low}" if computed is not None else f"{count.low} to {high or 'more'}"
    detail = f"count_parties(load('parties'), {as_of.isoformat()}): {shown}"
    if count.uncertain:
        detail += f"; uncertain: {', '.join(count.uncertain)}"
    ok = _within(count.low, high, figure.value_low, figure.value_high)
    return _Outcome(
        "count_parties",
        computed,
        count.low,
        high,
        detail,
        kind=None if ok else "reference_mismatch",
    )


def _states_joined(ctx: _Context, figure: _Figure) -> _Outcome:
    import unodc_metrics as um

    start = _date(figure.row.get("period_start"))
    end = _date(figure.row.get("period_end"))
    if start is None or end is None:
        return _Outcome("joined_between", None, None, None, "the period is open", derivable=False)
    parties = ctx.frame("parties")
    states = parties.loc[parties["kind"] == "state"]
    joined = um.joined_between(states, start, end)
    earliest = [_date(d) for d in joined["action_date_earliest"]]
    latest = [_date(d) for d in joined["action_date_latest"]]
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
    ok = _within(surely, high, figure.value_low, figure.value_high)
    return _Outcome(
        "joined_between",
        computed,
        surely,
        high,
        detail,
        kind=None if ok else "reference_mismatch",
    )


# Computations that a figure's table and measure call for.
_BY_MEASURE: dict[tuple[str, str], Callable[[_Context, _Figure], _Outcome]] = {
    ("protocol_status", "parties"): _count_parties,
    ("protocol_status", "states_joined"): _states_joined,
}


def _percent_of_count(ctx: _Context, figure: _Figure) -> _Outcome:
    for _table, check in _percent_checks(ctx):
        if check.row["id"] != figure.row["id"] or check.column != figure.column:
            continue
        computed = check.computed
        of = figure.column.removesuffix(_PERCENT_SUFFIX)
        count = "?" if check.count is None else f"{check.count:,}"
        detail = (
            f"{of} / value = {count} / {check.total:,}, rounded: "
            f"{'?' if computed is None else _fmt(computed)} per cent; {check.describe()}"
        )
        return _Outcome(
            "percent_of_count",
            computed,
            computed,
            computed,
            detail,
            kind=None if check.consistent() else "percent_mismatch",
        )
    return _Outcome(
        "percent_of_count",
        None,
        None,
        None,
        "the total is not an exact count, so the share cannot be recomputed",
        derivable=False,
    )


def _outcomes(ctx: _Context, figure: _Figure, splits: list[_Split]) -> list[_Outcome]:
    if figure.column.endswith(_PERCENT_SUFFIX):
        return [_percent_of_count(ctx, figure)]
    if figure.column != "value":
        return [_lookup(ctx, figure)]
    out: list[_Outcome] = []
    by_measure = _BY_MEASURE.get((figure.table, figure.row["measure"]))
    if by_measure is not None:
        out.append(by_measure(ctx, figure))
    for split in splits:
        mine = split.table == figure.table and split.whole["id"] == figure.row["id"]
        if mine and (split.complete or split.verdict() is not None):
            out.append(_sum_of_parts(split))
    items = ctx.listed().get(figure.row["id"])
    if items:
        out.append(_count_listed(figure, items))
    return out or [_lookup(ctx, figure)]


def _check(ctx: _Context, figure: _Figure, splits: list[_Split]) -> _Check:
    if figure.figure_id in NOT_DERIVABLE:
        return _Check(
            figure, "not_derivable", None, "none", None, True, NOT_DERIVABLE[figure.figure_id]
        )
    outcomes = _outcomes(ctx, figure, splits)
    failed = [o for o in outcomes if o.kind is not None]
    underivable = [o for o in outcomes if not o.derivable]
    detail = "; ".join(o.detail for o in outcomes)
    first = (failed or outcomes)[0]
    if failed:
        kind = failed[0].kind
        recorded = kind in _flags(figure.row)
        if not recorded:
            detail += f"; not recorded: the row's flags do not name {kind}"
        return _Check(figure, "inconsistent", first.computed, first.method, kind, recorded, detail)
    if underivable:
        detail += "; not recorded in NOT_DERIVABLE"
        return _Check(figure, "not_derivable", None, underivable[0].method, None, False, detail)
    return _Check(figure, "reproduced", first.computed, first.method, None, True, detail)


def _checks(ctx: _Context, only: str | None = None) -> list[_Check]:
    splits = _splits(ctx)
    figs = _derive_figures(ctx)
    if only is not None:
        figs = [f for f in figs if f.figure_id == only]
    return [_check(ctx, f, splits) for f in figs]


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
        >>> import unodc_metrics as um
        >>> checks = um.check_figures().set_index("figure_id")
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
    return _check_frame(_checks(_Context(tables)))


def _check_frame(checks: list[_Check]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame([c.record() for c in checks], columns=list(_CHECK_COLUMNS))
    df["paragraph"] = df["paragraph"].astype("Int64")
    for column in ("expected", "computed"):
        df[column] = pd.to_numeric(df[column]).astype("Float64")
    df["recorded"] = df["recorded"].astype(bool)
    for column in ("figure_id", "status", "detail", "method", "kind", "table"):
        df[column] = df[column].astype("string")
    return df


class _NoSuchFigure(LookupError):
    """No figure has the id asked for."""


def _check_one(figure_id: str, tables: Mapping[str, pd.DataFrame] | None = None) -> _Row:
    """The check of one figure, as a dict with the columns of :func:`check_figures`.

    Raises:
        LookupError: If no figure has that id.

    Examples:
        >>> _check_one("TRN-06a")["status"]
        'reproduced'
    """
    ctx = _Context(tables)
    found = _checks(ctx, only=figure_id)
    if not found:
        known = [f.figure_id for f in _derive_figures(ctx)]
        near = difflib.get_close_matches(figure_id, known, n=6, cutoff=0.7)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise _NoSuchFigure(f"no figure {figure_id!r} among unodc_metrics.figures(){hint}")
    return found[0].record()


# --------------------------------------------------------------------------------------------
# The documentation page
# --------------------------------------------------------------------------------------------

_QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "approximately": "approximately ",
}


def _fmt(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def _stated(qualifier: str, value: float) -> str:
    return f"{_QUALIFIER_WORDS.get(qualifier, qualifier + ' ')}{_fmt(value)}"


def _cell(value: Any) -> str:
    value = _scalar(value)
    if value is None:
        return ""
    text = str(value).replace("\n", " ").replace("|", "\\|")
    return text


def render_figures_page(tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """Render ``docs/figures.md``: every figure with its status, and every inconsistency.

    Regenerate the page with ``python -m unodc_metrics._figures > docs/figures.md``.

    Examples:
        >>> page = render_figures_page()
        >>> print(page.splitlines()[0])
        # The report's figures and how they are reproduced
        >>> "| TRN-05a | 5 |" in page
        True
    """
    import unodc_metrics as um

    ctx = _Context(tables)
    checks = _checks(ctx)
    found = _findings(ctx)
    counts = {s: sum(1 for c in checks if c.status == s) for s in STATUSES}
    first, last = um.REPORTING_PERIOD
    lines = [
        "# The report's figures and how they are reproduced",
        "",
        "<!-- Generated from code: python -m unodc_metrics._figures > docs/figures.md -->",
        "<!-- Do not edit by hand; tests/test_figures.py checks that this page is current. -->",
        "",
        f"Source: {um.REPORT.text()}",
        "",
        "Every quantitative statement of the report is a figure of `unodc_metrics.figures()`, "
        "derived from the curated tables. `unodc_metrics.check_figures()` reproduces each one "
        "by a computation over the tables; `unodc_metrics.inconsistencies()` finds where the "
        "report contradicts itself, by generic rules. "
        f"The report declares its period as {first.isoformat()} to {last.isoformat()}.",
        "",
        f"{len(checks)} figures: "
        + ", ".join(f"{counts[s]} {s.replace('_', ' ')}" for s in STATUSES)
        + f". {len(found)} inconsistencies found.",
        "",
        "## Figures",
        "",
        "| Figure | ¶ | Stated | Unit | Phrase | Status | Method | Computed | Detail |",
        "|---|---:|---|---|---|---|---|---:|---|",
    ]
    for c in checks:
        f = c.figure
        status = c.status if c.kind is None else f"{c.status} ({c.kind})"
        computed = "" if c.computed is None else _fmt(c.computed)
        lines.append(
            "| "
            + " | ".join(
                [
                    f.figure_id,
                    str(f.row["paragraph"]),
                    _cell(_stated(f.qualifier, f.value)),
                    _cell(f.unit),
                    _cell(f.row["phrase"]),
                    status,
                    c.method,
                    computed,
                    _cell(c.detail),
                ]
            )
            + " |"
        )
    lines += [
        "",
        "## Inconsistencies",
        "",
        "Kinds: " + ", ".join(f"`{k}`" for k in INCONSISTENCY_KINDS) + ".",
        "",
    ]
    if found:
        lines += ["| ¶ | Kind | Row | Figures | Detail |", "|---:|---|---|---|---|"]
        for i in found:
            lines.append(
                f"| {i.paragraph} | {i.kind} | {i.id} | {', '.join(i.figure_ids)} | "
                f"{_cell(i.detail)} |"
            )
    else:
        lines.append("None found.")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write the figures page to standard output."""
    sys.stdout.write(render_figures_page())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
