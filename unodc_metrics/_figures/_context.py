"""The context of a computation: the tables it reads, as frames and as plain rows.

A :class:`Context` holds the frames a caller passes instead of the shipped tables, loads the
others on first use, and hands out each table's rows as plain dicts: missing values as None,
timestamps as dates, numpy scalars as Python numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import is_missing
from unodc_metrics._catalogue import FIGURE_TABLES, TABLES
from unodc_metrics._tables import load

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Context", "Row", "as_date", "as_number", "distinct_items", "flags_of", "scalar"]

Row = dict[str, Any]
"""One row of a table, as :meth:`Context.rows` gives it."""


def scalar(value: Any) -> Any:
    """A plain Python value: missing becomes None, timestamps become dates.

    Examples:
        >>> import datetime as dt
        >>> scalar(float("nan")), scalar(dt.datetime(2021, 5, 3, 0, 0)), scalar([1])
        (None, datetime.date(2021, 5, 3), [1])
    """
    if value is None:
        return None
    if not isinstance(value, (list, tuple, dict)) and is_missing(value):
        return None
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a timestamp or an ISO string; None when missing.

    Examples:
        >>> as_date("2021-05-03T10:00"), as_date(None)
        (datetime.date(2021, 5, 3), None)
    """
    value = scalar(value)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_number(value: Any) -> int | float | None:
    """A number, as an int when whole; None when missing.

    Examples:
        >>> as_number(24.0), as_number(37.5), as_number(None)
        (24, 37.5, None)
    """
    value = scalar(value)
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def flags_of(row: Row) -> frozenset[str]:
    """The inconsistencies that a row's ``flags`` column records.

    Examples:
        >>> sorted(flags_of({"flags": "nonexistent_date, parts_exceed_total"}))
        ['nonexistent_date', 'parts_exceed_total']
    """
    text = row.get("flags")
    if not isinstance(text, str):
        return frozenset()
    return frozenset(t.strip() for t in text.split(",") if t.strip())


def distinct_items(items: list[Row]) -> int:
    """How many distinct items a list holds: by country code where an item has one, else by
    its words, case and surrounding spaces aside.

    Examples:
        >>> items = [{"country": None, "item": "A guide"}, {"country": None, "item": "a guide "}]
        >>> distinct_items(items), distinct_items([*items, {"country": "KEN", "item": "Kenya"}])
        (1, 2)
    """
    return len({item["country"] or str(item["item"]).strip().lower() for item in items})


class Context:
    """The tables a computation reads: the shipped ones, or frames a caller passes instead.

    Args:
        tables: Frames by table name, used as given; the others are loaded on first use.

    Raises:
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> ctx = Context(None)
        >>> [r["value"] for r in ctx.rows("rescues") if r["id"] == "RES-05a"]
        [63]
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None) -> None:
        given = dict(tables or {})
        unknown = sorted(set(given) - set(TABLES))
        if unknown:
            raise LookupError(
                f"no table named {', '.join(map(repr, unknown))}; "
                f"the tables are: {', '.join(TABLES)}"
            )
        self._given = given
        self._frames: dict[str, pd.DataFrame] = {}
        self._rows: dict[str, list[Row]] = {}
        self._listed: dict[str, list[Row]] | None = None

    def frame(self, name: str) -> pd.DataFrame:
        """The table ``name``: the caller's frame if given, else the shipped table."""
        if name not in self._frames:
            given = self._given.get(name)
            self._frames[name] = load(name) if given is None else given
        return self._frames[name]

    def rows(self, name: str) -> list[Row]:
        """The rows of a table as plain dicts, missing values as None, dates as dates."""
        if name not in self._rows:
            records = self.frame(name).to_dict("records")
            self._rows[name] = [{str(k): scalar(v) for k, v in r.items()} for r in records]
        return self._rows[name]

    def figure_rows(self) -> Iterator[tuple[str, Row]]:
        """Every row of every table of figures, with its table's name, in table order."""
        for table in FIGURE_TABLES:
            for row in self.rows(table):
                yield table, row

    def units(self) -> dict[tuple[str, str], str]:
        """The unit of each measure, by (table, measure), from the ``measures`` table."""
        return {(r["table"], r["measure"]): r["unit"] for r in self.rows("measures")}

    def listed(self) -> dict[str, list[Row]]:
        """The items listed for each figure, by figure id, in the report's order."""
        if self._listed is None:
            self._listed = {}
            for item in sorted(self.rows("listed_items"), key=lambda r: r["position"] or 0):
                self._listed.setdefault(str(item["figure_id"]), []).append(item)
        return self._listed
