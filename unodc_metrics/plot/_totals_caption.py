"""The words of the totals chart: its title, and its caption on ranges and rows left out.

Pure functions of an output of ``totals_by_year``, without matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from unodc_metrics.plot._text import left_out, number, outside_period, plain, range_label, words

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["default_title", "row_names", "totals_caption"]

_LISTED = 8  # the most years a caption line lists by name


def default_title(frame: pd.DataFrame, what: str, constant: list[str]) -> str:
    """What is counted, per year; with the status where all rows share one.

    Examples:
        >>> import pandas as pd
        >>> default_title(pd.DataFrame({"status": ["rescued"]}), "victims", ["status"])
        'Rescued victims, per year'
        >>> default_title(pd.DataFrame(), "total", [])
        'Totals per year'
    """
    default = f"{what[:1].upper()}{what[1:]} per year" if what != "total" else "Totals per year"
    if "status" in constant:
        default = f"{words(frame['status'].iloc[0]).capitalize()} {what}, per year"
    return default


def row_names(frame: pd.DataFrame, varying: list[str], what: str) -> list[str]:
    """Each row of an output as the caption names it: its series, if any, and its year.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"status": ["identified", "rescued"], "years": ["2021", None]})
        >>> row_names(frame, ["status"], "victims")
        ['identified, 2021', 'rescued, in no year']
    """
    names = []
    for rec in frame.to_dict("records"):
        years = plain(rec.get("years"))
        when = "in no year" if years is None else str(years)
        series = ", ".join("none" if plain(rec[k]) is None else words(rec[k]) for k in varying)
        names.append(f"{series}, {when}" if series else when)
    return names


def _listed(names: list[str]) -> str:
    if len(names) <= _LISTED:
        return ", ".join(names)
    return f"{', '.join(names[:_LISTED])} and {len(names) - _LISTED} more"


def _range_lines(frame: pd.DataFrame, names: list[str]) -> list[str]:
    """Why each year that has no one total has a range, and what its bar and hatching are."""
    lines: list[str] = []
    censored: list[str] = []
    for name, rec in zip(names, frame.to_dict("records"), strict=True):
        low = number(rec.get("total_low"), None)
        if plain(rec.get("total")) is not None or low is None or plain(rec.get("years")) is None:
            continue
        high = number(rec.get("total_high"), None)
        label = range_label(low, high)
        overlaps = plain(rec.get("overlaps"))
        if overlaps is not None:
            more = (
                f"the hatched part, {high - low:,.0f} more, may double count"
                if high is not None
                else "it has no upper bound"
            )
            lines.append(
                f"{name}: {label}, not one total: rows {overlaps} may count the same persons. "
                f"The bar rises to the {low:,.0f} that must be distinct; {more}."
            )
        elif number(rec.get("censored"), 0.0) > 0:
            censored.append(name)
        else:
            lines.append(f"{name}: {label}, not one total ({words(rec.get('qualifier'))}).")
    if censored:
        lines.append(
            "Totals that hold censored counts (<5, 0 to 4 each) are ranges, the bar to the "
            f"least and hatched up to the most: {_listed(censored)}."
        )
    return lines


def totals_caption(
    frame: pd.DataFrame, names: list[str], spans: list[str], gaps: bool
) -> list[str]:
    """How years hold figures, what ranges, hatching and gaps mean, and what was left out.

    ``names`` names each row of ``frame`` (:func:`row_names`).
    """
    lines = [
        "A year holds a figure only when the figure's whole period lies within it. "
        "Bars show the totals as the report writes them."
    ]
    if spans:
        lines.append(
            f"Hatched bars ({', '.join(spans)}) sum figures whose period runs across years: "
            "they are not split between years."
        )
    if gaps:
        lines.append("A missing bar: the report gives no figure for that group and year.")
    low, total = frame["total_low"], frame["total"]
    if bool(((low > total) & low.notna() & total.notna()).fillna(False).any()):
        lines.append(
            "A lower bound can exceed the number written: 'more than 35' means at least 36."
        )
    lines += _range_lines(frame, names)
    return lines + outside_period(frame, names) + left_out(frame)
