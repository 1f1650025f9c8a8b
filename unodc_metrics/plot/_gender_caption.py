"""The caption of the gender chart: what the bars are over, and what their counts leave open.

Pure functions of a breakdown and its bars, without matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from unodc_metrics.plot._bars import Bar
from unodc_metrics.plot._labels import CATEGORY_WORDS, bounded_text, short_name
from unodc_metrics.plot._text import left_out, outside_period, plain

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["gender_caption"]


def _scale_lines(frame: pd.DataFrame) -> list[str]:
    lines = [
        "Each bar is one row of the breakdown, drawn as shares of its own total, n: all bars "
        "have the same length, so the counts are not to scale; n beside each bar is what its "
        "shares are over, persons of unknown sex included."
    ]
    share_of = {str(v) for v in frame.get("share_of", []) if plain(v) is not None}
    if share_of - {"total"}:
        lines.append(
            f"The breakdown's own shares are over the {', '.join(sorted(share_of - {'total'}))} "
            "(share_of); the bars are over the whole total, so that the persons of unknown sex "
            "stay in view."
        )
    return lines


def _join(names: list[str]) -> str:
    """Names in a list: by commas, or by semicolons where a name holds a comma."""
    return ("; " if any("," in n for n in names) else ", ").join(names)


def _not_stated(bars: list[Bar], names: list[str]) -> str | None:
    """Which counts no row states, by group: they are not drawn, and are not 0."""
    shown = [(b, n) for b, n in zip(bars, names, strict=True) if b.kind != "empty"]
    parts = []
    for cat in ("female", "male", "other"):
        lacking = [
            (b, n)
            for b, n in shown
            if plain(b.row.get(cat)) is None and plain(b.row.get(f"{cat}_low")) is None
        ]
        if len(lacking) == len(shown) > 1:
            parts.append(f"{CATEGORY_WORDS[cat]}: in every bar")
        elif split := [n for b, n in lacking if not b.unsplit]:
            parts.append(f"{CATEGORY_WORDS[cat]}: {_join(split)}")
    unsplit = [n for b, n in shown if b.unsplit]
    if unsplit:
        parts.append(f"no count by sex at all (no split by sex): {_join(unsplit)}")
    if not parts:
        return None
    return "Not stated by any row, so not drawn (and not 0). " + " ".join(
        f"{p[:1].upper()}{p[1:]}." for p in parts
    )


def _range_lines(bars: list[Bar], names: list[str]) -> list[str]:
    ranged = [(b, n) for b, n in zip(bars, names, strict=True) if b.kind == "range"]
    if not ranged:
        return []
    lines = [
        "A bar whose total is a range is no single total: its grey part is its least total, "
        "its hatched part (bracketed) what it may add, up to its largest; its counts by sex "
        "are written on it, not drawn."
    ]
    for bar, name in ranged:
        overlaps = plain(bar.row.get("overlaps"))
        if overlaps is not None:
            high = f"{bar.high:,.0f}" if bar.high is not None else "no upper bound"
            lines.append(
                f"{name[:1].upper()}{name[1:]}: rows {overlaps} may count the same persons, "
                f"so n is {bar.low:,.0f} (what must be distinct) to {high} (all of it)."
            )
    if any(plain(b.row.get("censored")) for b, _ in ranged):
        lines.append("Censored counts (<5) are 0 to 4 persons each.")
    return lines


def _marks_lines(frame: pd.DataFrame, bars: list[Bar], names: list[str]) -> list[str]:
    lines = []
    derived = [
        n
        for b, n in zip(bars, names, strict=True)
        if b.kind == "exact" and any(b.status(c) == "derived" for c in b.counts)
    ]
    if derived:
        lines.append(
            "Counts marked * are derived from a percentage that the report states "
            f"({', '.join(derived)})."
        )
    if "estimate" in frame.columns and bool(frame["estimate"].fillna(False).any()):
        lines.append(
            "Counts marked ~ are estimates: persons of unknown sex were allocated in "
            "proportion to the known counts."
        )
    if any(b.kind == "exact" and (b.rest > 0 or bounded_text(b.row)) for b in bars):
        lines.append(
            "Bounded: counts known only as a range (censored counts, <5, are 0 to 4 each), "
            "written out under the bar; dotted, where the stated counts leave persons for them."
        )
    if any(b.excess > 0 for b in bars):
        lines.append(
            "A black line marks a total that its parts exceed (the parts do not add up to it): "
            "such a bar is drawn to its parts."
        )
    return lines


def gender_caption(frame: pd.DataFrame, bars: list[Bar], named: Sequence[str]) -> list[str]:
    """What the bars are over, what the segments and brackets mean, and what was left out."""
    periods = {"period_start", "period_end"} <= set(frame.columns)
    names = [short_name(b.row, named, periods) for b in bars]
    lines = _scale_lines(frame)
    lines.append(
        "Unknown sex: persons whose sex the report does not give. Unreconciled: persons by "
        "which the report's parts fall short of its total."
    )
    if "female_share_low" in frame.columns:
        lines.append(
            "The bracket spans the possible share of women: none to all of the unknown and "
            "unreconciled persons may be women (a share stated as a percentage bounds it)."
        )
    else:
        lines.append(
            "No brackets: this breakdown has no bounds. Make it with unknown='bounds' to draw "
            "the possible share of women."
        )
    not_stated = _not_stated(bars, names)
    lines += [not_stated] if not_stated else []
    lines += _marks_lines(frame, bars, names)
    lines += _range_lines(bars, names)
    if "basis" in frame.columns and frame["basis"].nunique() > 1:
        lines.append(
            "Figures 'to date' are kept apart from those of a period: they may already hold "
            "the same persons."
        )
    return lines + outside_period(frame, names) + left_out(frame)
