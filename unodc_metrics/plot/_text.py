"""The words of both charts: numbers, periods, group and series names, and what was left out.

Pure functions of cells and rows, without matplotlib; each chart composes its labels and
captions from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import is_missing

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "bar_label",
    "count_text",
    "left_out",
    "number",
    "outside_period",
    "percent",
    "period_words",
    "plain",
    "range_label",
    "series_label",
    "words",
]

# One item of an ``excluded`` cell, "ID (reason)"; a reason may hold one level of brackets.
_EXCLUDED_ITEM = re.compile(r"(?P<id>[^;()]+?) \((?P<reason>[^()]*(?:\([^()]*\)[^()]*)*)\)")
# An item of GLOTIP's ``excluded``: a count of rows, not an id ("21 rows (reason): lines ...").
_ROW_COUNT = re.compile(r"^(?P<n>\d+) rows?$")


def plain(value: Any) -> Any:
    """A cell as a plain value; None for any kind of missing value.

    Examples:
        >>> plain(float("nan")) is None, plain(0)
        (True, 0)
    """
    return None if is_missing(value) else value


def number(value: Any, default: float | None = 0.0) -> Any:
    """A cell as a float, or ``default`` where it is missing.

    Examples:
        >>> number(3), number(None), number(None, None) is None
        (3.0, 0.0, True)
    """
    value = plain(value)
    return default if value is None else float(value)


def words(value: Any) -> str:
    """A code as words: ``"persons_trained"`` as ``"persons trained"``.

    Examples:
        >>> words("persons_trained")
        'persons trained'
    """
    return str(value).replace("_", " ")


def count_text(count: float) -> str:
    """A count with thousands separators, marked ``~`` where it is not whole (an estimate).

    Examples:
        >>> count_text(2776.0), count_text(12.4)
        ('2,776', '~12')
    """
    return f"{count:,.0f}" if float(count).is_integer() else f"~{count:,.0f}"


def percent(low: float, high: float) -> str:
    """Two shares as percentages, with a decimal where whole numbers would look equal.

    Examples:
        >>> percent(0.41, 0.742), percent(0.3721, 0.3734)
        ('41% to 74%', '37.2% to 37.3%')
    """
    digits = 0 if round(low * 100) != round(high * 100) else 1
    return f"{low:.{digits}%} to {high:.{digits}%}"


def bar_label(total: float, low: float, high: float | None) -> str:
    """A total as written over its bar, with its bounds where they differ from it.

    ``high`` is None where the total has no upper bound ("more than 35").

    Examples:
        >>> bar_label(35, 36, None), bar_label(49, 49, None)
        ('35\\n(at least 36)', 'at least 49')
        >>> bar_label(2838, 2800, 2900), bar_label(85, 85, 85)
        ('2,838\\n(2,800 to 2,900)', '85')
    """
    if high is None:
        return f"{total:,.0f}\n(at least {low:,.0f})" if low != total else f"at least {low:,.0f}"
    if high > low:
        return f"{total:,.0f}\n({low:,.0f} to {high:,.0f})"
    return f"{total:,.0f}"


def range_label(low: float, high: float | None) -> str:
    """A total that is a range, as written over its bar: its bounds joined by an en dash.

    Examples:
        >>> range_label(2776, 2838) == "2,776\\u20132,838"
        True
        >>> range_label(36, None), range_label(18, 18)
        ('at least 36', '18')
    """
    if high is None:
        return f"at least {low:,.0f}"
    if high == low:
        return f"{low:,.0f}"
    return f"{low:,.0f}\u2013{high:,.0f}"


def period_words(row: Mapping[Any, Any]) -> str:
    """A period figure's span, from its coverage: "2021", "Oct 2020 to Jul 2022".

    Examples:
        >>> import datetime as dt
        >>> period_words({"period_start": dt.date(2021, 1, 1), "period_end": dt.date(2021, 12, 31)})
        '2021'
        >>> period_words({"period_start": dt.date(2020, 10, 1), "period_end": dt.date(2022, 7, 22)})
        'Oct 2020 to Jul 2022'
        >>> period_words({"period_start": dt.date(2021, 9, 1), "period_end": dt.date(2021, 9, 2)})
        '1 to 2 Sep 2021'
        >>> period_words({"period_end": dt.date(2021, 9, 30)}), period_words({})
        ('until Sep 2021', 'period not known')
    """
    start, end = plain(row.get("period_start")), plain(row.get("period_end"))
    if start is None and end is None:
        return "period not known"
    if start is None:
        return f"until {end:%b %Y}"
    if end is None:
        return f"from {start:%b %Y}"
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if (start.year, start.month) == (end.year, end.month):
        if start.day == end.day:
            return f"{end.day} {end:%b %Y}"
        return f"{start.day} to {end.day} {end:%b %Y}"
    return f"{start:%b %Y} to {end:%b %Y}"


def series_label(values: tuple[Any, ...], varying: list[str], what: str) -> str:
    """A series' name in a legend: its values of the columns that vary, or what is counted.

    Examples:
        >>> series_label(("rescued",), ["status"], "victims"), series_label((), [], "victims")
        ('rescued', 'victims')
        >>> series_label((None, "labour_inspections"), ["initiative", "measure"], "")
        'none, labour inspections'
    """
    if not varying:
        return what
    return ", ".join("none" if v is None else words(v) for v in values)


def _excluded_items(text: Any) -> list[tuple[str, str]]:
    """The (id, reason) pairs of an ``excluded`` cell: "ID (reason); ID (reason)"."""
    value = plain(text)
    if value is None:
        return []
    return [(m["id"].strip(), m["reason"]) for m in _EXCLUDED_ITEM.finditer(str(value))]


def _short_reason(reason: str) -> str:
    if reason.startswith("part of"):
        return "not summed, as parts of another row"
    if reason.startswith("a cumulative"):
        return "in no year, as figures 'to date'"
    if reason.startswith("a stock"):
        return "in no year, as stocks ('as at' a date)"
    if reason.startswith("the start or the end"):
        return "in no year, as the start or the end of their period is not known"
    return reason


def left_out(frame: pd.DataFrame) -> list[str]:
    """The caption's lines on the rows an aggregation left out, by reason, from ``excluded``.

    GLOTIP's ``excluded`` counts rows ("21 rows (reason): lines ..."): they are added up.

    Examples:
        >>> import pandas as pd
        >>> left_out(pd.DataFrame({"excluded": ["A-1 (part of A); A-2 (part of A)", None]}))
        ['Left out, not summed, as parts of another row: A-1, A-2.']
        >>> glotip = ["2 rows (a part (by sex)): lines 4, 5", "1 row (a part (by sex)): line 9"]
        >>> left_out(pd.DataFrame({"excluded": glotip}))
        ['Left out, a part (by sex): 3 rows (see the column excluded).']
    """
    by_reason: dict[str, list[str]] = {}
    for text in frame["excluded"] if "excluded" in frame.columns else ():
        for row_id, reason in _excluded_items(text):
            by_reason.setdefault(_short_reason(reason), []).append(row_id)
    lines = []
    for reason, ids in by_reason.items():
        counts = [_ROW_COUNT.match(i) for i in ids]
        if all(counts):
            rows = sum(int(m["n"]) for m in counts if m)
            lines.append(
                f"Left out, {reason}: {rows:,} row{'s' if rows != 1 else ''} "
                "(see the column excluded)."
            )
        else:
            lines.append(f"Left out, {reason}: {', '.join(ids)}.")
    return lines


def outside_period(frame: pd.DataFrame, names: list[str]) -> list[str]:
    """The caption's line on the rows counted though they lie outside the reporting period.

    ``names`` names each row of ``frame``, as the caption calls it.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"total": [124, 85], "outside_period": ["RES-76a (43)", None]})
        >>> outside_period(frame, ["rescued, 2020", "rescued, 2021"])[0][:60]
        'Counted, though outside the reporting period: RES-76a (43) o'
    """
    if "outside_period" not in frame.columns:
        return []
    items = []
    for name, (_, rec) in zip(names, frame.iterrows(), strict=True):
        rows = plain(rec["outside_period"])
        if rows is not None:
            total = number(rec.get("total"), None)
            of = f" of {total:,.0f}" if total is not None else ""
            items.append(f"{rows}{of} in {name}")
    if not items:
        return []
    return [
        f"Counted, though outside the reporting period: {'; '.join(items)}. "
        "Pass within=um.REPORTING_PERIOD to leave such rows out."
    ]
