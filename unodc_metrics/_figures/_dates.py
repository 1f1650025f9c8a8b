"""Dates named in words: the days that a period's text names, and whether they exist.

The rule ``nonexistent_date`` of :func:`unodc_metrics.inconsistencies` reads each row's
``period_text`` with :func:`named_dates`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = ["NamedDate", "named_dates"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_TOKENS = re.compile(r"(\d+)(?:st|nd|rd|th)?\b|([A-Za-z]+)|([\u2013\u2014-])")
_CONNECTORS = frozenset(
    {"and", "to", "from", "between", "on", "until", "till", "through", "\u2013", "\u2014", "-"}
)

_Token = tuple[str, str]


@dataclass(frozen=True)
class NamedDate:
    """A day named in words: its day, month and year as written, and whether it exists."""

    day: int
    month: int
    year: int

    @property
    def exists(self) -> bool:
        """Whether the month of that year has that day."""
        return 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]

    def text(self) -> str:
        """The day as the report would write it: ``31 November 2020``."""
        return f"{self.day} {calendar.month_name[self.month]} {self.year}"


def _tokens(text: str) -> list[_Token]:
    """The text's numbers (years, days, others), month names, other words and dashes."""
    tokens: list[_Token] = []
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
    return tokens


def _group(before: list[_Token], year: int) -> list[NamedDate]:
    """The days that the tokens before a year name in it, in the order written."""
    # "November 31, 2020"
    if len(before) >= 2 and before[-1][0] == "day" and before[-2][0] == "month":
        return [NamedDate(int(before[-1][1]), _MONTHS[before[-2][1]], year)]
    group: list[NamedDate] = []
    month: int | None = None
    for kind, token in reversed(before):
        if kind == "month":
            month = _MONTHS[token]
        elif kind == "day" and month is not None:
            group.append(NamedDate(int(token), month, year))
        elif kind == "word" and token in _CONNECTORS:
            continue
        else:
            break
    group.reverse()
    return group


def named_dates(text: str) -> list[NamedDate]:
    """The days that a text names, in day-month-year order, ranges and lists included.

    Each year closes a group; reading back from it, a month name applies to the days before
    it up to the previous month name, across connectors ("between", "and", "to", dashes).
    "Month day, year" is read too.

    Examples:
        >>> [d.text() for d in named_dates("between 19 and 31 November 2020")]
        ['19 November 2020', '31 November 2020']
        >>> [d.text() for d in named_dates("on 30 September and 1 October 2021")]
        ['30 September 2021', '1 October 2021']
        >>> [d.text() for d in named_dates("from 30 December 2020 to 2 January 2021")]
        ['30 December 2020', '2 January 2021']
        >>> [d.exists for d in named_dates("29 February 2021, 17\u201321 May 2022")]
        [False, True, True]
        >>> named_dates("in the first half of 2020")
        []
    """
    tokens = _tokens(text)
    found: list[NamedDate] = []
    for i, (kind, token) in enumerate(tokens):
        if kind == "year":
            found.extend(_group(tokens[:i], int(token)))
    return found
