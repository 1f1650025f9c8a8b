"""The words of the gender chart: each bar's name, its size ``n``, and what its counts leave open.

Pure functions of a breakdown's rows, without matplotlib.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from unodc_metrics.plot._text import number, percent, period_words, plain, words

__all__ = [
    "CATEGORY_WORDS",
    "bar_name",
    "bounded_text",
    "name_columns",
    "range_reasons",
    "range_text",
    "segment_text",
    "short_name",
    "size_text",
    "y_label",
]

CATEGORY_WORDS = {
    "female": "women",
    "male": "men",
    "other": "other sex",
    "unknown": "unknown sex",
    "unreconciled": "unreconciled",
}
"""Each segment in the words of a label: "women 1,163 to 1,178"."""

_BASIS_WORDS = {"cumulative": "to date", "stock": "as at a date"}
_BASIS_NAMES = {
    "cumulative": "figures to date",
    "stock": "figures as at a date",
    "period": "figures of a period",
}
# GLOTIP's grouping columns: named on each bar where they vary, in the title where they do not.
_STRUCTURE = ("indicator", "dimension", "category")
_NOT_NAMED = ("period_start", "period_end", "row", "description", "basis")
_WIDTH = 34  # characters per line of a bar's name


def name_columns(keys: Sequence[str], varying: Sequence[str]) -> list[str]:
    """The grouping columns that name a bar: all of them, but GLOTIP's only where they vary.

    Examples:
        >>> name_columns(["initiative", "basis", "row"], [])
        ['initiative']
        >>> name_columns(["indicator", "dimension", "category", "year"], ["category", "year"])
        ['category', 'year']
    """
    return [k for k in keys if k not in _NOT_NAMED and (k not in _STRUCTURE or k in varying)]


def _wrap(text: str, width: int = _WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _name_parts(row: Mapping[Any, Any], named: Sequence[str]) -> list[str]:
    parts = []
    for col in named:
        value = plain(row.get(col))
        parts.append(f"no {words(col)}" if value is None else words(value))
    return parts


def bar_name(row: Mapping[Any, Any], named: Sequence[str]) -> str:
    """A bar's name: its row id and description, for a row that no group holds; else its group.

    A bar of no group but its basis is named by the basis.

    Examples:
        >>> bar_name({"initiative": "GPTIP"}, ["initiative"])
        'GPTIP'
        >>> row = {"initiative": None, "row": "TRN-52a", "description": "Thai judges"}
        >>> bar_name(row, ["initiative"])
        'TRN-52a: Thai judges'
        >>> bar_name({"basis": "cumulative"}, []), bar_name({}, [])
        ('figures to date', 'all rows')
    """
    row_id, description = plain(row.get("row")), plain(row.get("description"))
    if row_id is not None:
        return _wrap(f"{row_id}: {description}" if description is not None else str(row_id))
    parts = _name_parts(row, named)
    if parts:
        return _wrap(", ".join(parts))
    basis = plain(row.get("basis"))
    return _BASIS_NAMES.get(str(basis), str(basis)) if basis is not None else "all rows"


def _basis_words(row: Mapping[Any, Any], periods: bool, basis_varies: bool) -> str:
    """What the basis adds to ``n``: "to date", the period, or nothing."""
    basis = plain(row.get("basis"))
    if basis in _BASIS_WORDS:
        return _BASIS_WORDS[str(basis)]
    if periods:
        return period_words(row)
    return "for a period" if basis_varies and basis is not None else ""


def range_reasons(row: Mapping[Any, Any]) -> list[str]:
    """Why a group's total is a range: rows that may overlap, censored counts, qualifiers.

    Examples:
        >>> range_reasons({"overlaps": "TRN-05a, TRN-68a", "qualifier": "range"})
        ['may double count: TRN-05a, TRN-68a']
        >>> range_reasons({"censored": 2, "qualifier": "range"})
        ['censored counts (<5)']
        >>> range_reasons({"qualifier": "at_least"})
        ['no upper bound']
    """
    reasons = []
    overlaps = plain(row.get("overlaps"))
    if overlaps is not None:
        reasons.append(f"may double count: {overlaps}")
    if number(row.get("censored"), 0.0) > 0:
        reasons.append("censored counts (<5)")
    qualifier = plain(row.get("qualifier"))
    if qualifier == "at_least" or (
        "total_high" in row and plain(row.get("total_high")) is None and not reasons
    ):
        reasons.append("no upper bound")
    elif qualifier == "approximately" and not reasons:
        reasons.append("approximate figures")
    return reasons


def size_text(row: Mapping[Any, Any], *, periods: bool, basis_varies: bool, named: bool) -> str:
    """A bar's size, the denominator of its shares: "n = 1,488 (to date)".

    A total that is a range says so, and why: "n = 2,836 to 2,898, may double count: ...".
    The basis is left out where it names the bar (``named`` is false).

    Examples:
        >>> row = {"total": 1488, "basis": "cumulative"}
        >>> size_text(row, periods=False, basis_varies=True, named=True)
        'n = 1,488 (to date)'
        >>> row = {"total": None, "total_low": 2836, "total_high": 2898, "overlaps": "A, B"}
        >>> size_text(row, periods=False, basis_varies=False, named=False)
        'n = 2,836 to 2,898, may double count: A, B'
        >>> size_text({"total": 36, "total_low": 36, "total_high": None}, periods=False,
        ...           basis_varies=False, named=True)
        'n = at least 36, no upper bound'
    """
    total = number(row.get("total"), None)
    low = number(row.get("total_low"), total) if "total_low" in row else total
    high = number(row.get("total_high"), None) if "total_high" in row else total
    if total is not None and low == total and high == total:
        size = f"n = {total:,.0f}"
        reasons: list[str] = []
    elif low is None:
        size, reasons = "n not known", []
    else:
        size = f"n = {low:,.0f} to {high:,.0f}" if high is not None else f"n = at least {low:,.0f}"
        reasons = range_reasons(row)
    basis = _basis_words(row, periods, basis_varies) if named else ""
    if basis:
        size += f" ({basis})"
    return ", ".join([size, *reasons])


def y_label(row: Mapping[Any, Any], named: Sequence[str], **kwargs: bool) -> str:
    """A bar's label: its name, and under it its size, each wrapped.

    Examples:
        >>> y_label({"initiative": "GPTIP", "total": 2776}, ["initiative"], periods=False,
        ...         basis_varies=False)
        'GPTIP\\nn = 2,776'
    """
    name = bar_name(row, named)
    has_name = bool(_name_parts(row, named)) or plain(row.get("row")) is not None
    size = size_text(row, named=has_name, **kwargs)
    return f"{name}\n{_wrap(size, _WIDTH + 6)}"


def short_name(row: Mapping[Any, Any], named: Sequence[str], periods: bool) -> str:
    """A bar's name in a caption: its row id, or its group and basis.

    Examples:
        >>> short_name({"initiative": "GLO.ACT", "basis": "cumulative"}, ["initiative"], False)
        'GLO.ACT (to date)'
        >>> short_name({"row": "TRN-68a", "description": "Participants"}, ["initiative"], False)
        'TRN-68a'
    """
    row_id = plain(row.get("row"))
    if row_id is not None:
        return str(row_id)
    parts = _name_parts(row, named)
    if not parts:
        return bar_name(row, named)
    basis = _basis_words(row, periods, basis_varies=False)
    return ", ".join(parts) + (f" ({basis})" if basis else "")


def segment_text(count: float, status: Any) -> str:
    """A segment's count as its label: ``~`` marks an estimate, ``*`` a count from a percentage.

    Examples:
        >>> segment_text(1138, "stated"), segment_text(15, "derived"), segment_text(62, "estimated")
        ('1,138', '15*', '~62')
        >>> segment_text(1702.39, None)
        '~1,702'
    """
    text = f"{count:,.0f}"
    if status == "estimated" or not float(count).is_integer():
        text = f"~{text}"
    if status == "derived":
        text += "*"
    return text


def _count_range(row: Mapping[Any, Any], cat: str) -> str | None:
    """A count as words: "women 715", "women 1,163 to 1,178"; None where it is not known.

    A shortfall that may be below 0 says that the parts may exceed the total.

    Examples:
        >>> _count_range({"unreconciled_low": -12, "unreconciled_high": 4}, "unreconciled")
        'unreconciled 0 to 4 (or the parts exceed the total by up to 12)'
    """
    value = number(row.get(cat), None)
    low, high = number(row.get(f"{cat}_low"), None), number(row.get(f"{cat}_high"), None)
    name = CATEGORY_WORDS[cat]
    if value is not None and (low is None or high is None or low == high):
        return f"{name} {value:,.0f}"
    if low is None or high is None:
        return None
    if low == high:
        return f"{name} {low:,.0f}"
    if low < 0 and high <= 0:
        return f"parts over the total by {-high:,.0f} to {-low:,.0f}"
    if low < 0:
        return f"{name} 0 to {high:,.0f} (or the parts exceed the total by up to {-low:,.0f})"
    return f"{name} {low:,.0f} to {high:,.0f}"


def bounded_text(row: Mapping[Any, Any]) -> str:
    """The counts of a bar that are only bounded (censored), as words.

    Examples:
        >>> bounded_text({"female": 17, "male": None, "male_low": 0, "male_high": 4})
        'men 0 to 4'
        >>> bounded_text({"female": 17, "male": 3})
        ''
    """
    parts = []
    for cat in ("female", "male", "other", "unknown"):
        if plain(row.get(cat)) is None:
            text = _count_range(row, cat)
            if text is not None:
                parts.append(text)
    return ", ".join(parts)


def range_text(row: Mapping[Any, Any]) -> str:
    """The counts by sex of a group whose total is a range; the possible share of women below.

    Examples:
        >>> row = {"female": None, "female_low": 1163, "female_high": 1178, "male": None,
        ...        "male_low": 715, "male_high": 715, "female_share_low": 0.401,
        ...        "female_share_high": 0.753}
        >>> range_text(row)
        'women 1,163 to 1,178, men 715\\nshare of women 40% to 75%'
    """
    parts = [t for cat in CATEGORY_WORDS if (t := _count_range(row, cat)) is not None]
    text = ", ".join(parts) or "no count by sex"
    low = number(row.get("female_share_low"), None)
    high = number(row.get("female_share_high"), None)
    if low is not None and high is not None:
        text += f"\nshare of women {percent(low, high)}"
    return text
