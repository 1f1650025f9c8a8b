"""The bars of the gender chart: their five segments, the segments' labels and the brackets.

Each function draws on an axes whose bars run along y, one per group, as
:func:`unodc_metrics.plot.gender_chart` lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._text import count_text, number, percent, plain

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "COLOURS",
    "LEGEND_LABELS",
    "SEX_CATEGORIES",
    "Bars",
    "bar_data",
    "draw_bracket",
    "draw_segments",
    "label_bar",
]

SEX_CATEGORIES: tuple[str, ...] = ("female", "male", "other", "unknown", "unreconciled")
"""The segments of a bar of :func:`gender_chart`, in the order they are stacked."""

COLOURS: dict[str, str] = {
    "female": "#CC79A7",
    "male": "#0072B2",
    "other": "#E69F00",
    "unknown": "#B8B8B8",
    "unreconciled": "#D55E00",
}
"""The colour of each segment of :func:`gender_chart` (Okabe-Ito, safe for colour blindness).

``unreconciled`` is drawn as hatching in this colour on white.
"""

LEGEND_LABELS = {
    "female": "female",
    "male": "male",
    "other": "other",
    "unknown": "unknown sex (not stated)",
    "unreconciled": "unreconciled (parts short of the total)",
}
"""The legend's name of each segment."""

_TEXT_ON = {"female": "black", "male": "white", "other": "black", "unknown": "black"}

# Segments narrower than this share of the bar get a callout instead of an inner label.
_SMALL = 0.07


@dataclass(frozen=True)
class Bars:
    """A breakdown's rows as bars: which can be drawn, their counts, totals and shares."""

    rows: list[dict[Any, Any]]
    """The breakdown's rows, top to bottom."""
    known: list[bool]
    """Whether each row's counts are all known: a censored count ("<5") has no bar."""
    counts: dict[str, list[float]]
    """Each segment's count per row; 0 where the row has no bar."""
    totals: list[float]
    """Each row's total; 0 where the row has no bar."""
    shares: dict[str, list[float]]
    """Each segment's share of its row's total; 0 where the total is 0."""


def bar_data(frame: pd.DataFrame) -> Bars:
    """The bars of a breakdown: a bar is drawn only where every count is known.

    Examples:
        >>> import pandas as pd
        >>> row = {"female": 3, "male": 1, "other": 0, "unknown": None, "unreconciled": 0}
        >>> bars = bar_data(pd.DataFrame([{**row, "unknown": 4, "total": 8}, {**row, "total": 4}]))
        >>> bars.known, bars.shares["female"]
        ([True, False], [0.375, 0.0])
    """
    rows = frame.to_dict("records")
    # A censored count (GLOTIP's "<5") has bounds and no value: its group is written out.
    known = [all(plain(r[c]) is not None for c in (*SEX_CATEGORIES, "total")) for r in rows]
    counts = {
        c: [number(r[c]) if ok else 0.0 for r, ok in zip(rows, known, strict=True)]
        for c in SEX_CATEGORIES
    }
    totals = [number(r["total"]) if ok else 0.0 for r, ok in zip(rows, known, strict=True)]
    shares = {
        c: [(x / t if t else 0.0) for x, t in zip(counts[c], totals, strict=True)]
        for c in SEX_CATEGORIES
    }
    return Bars(rows, known, counts, totals, shares)


def _segment_style(cat: str) -> dict[str, Any]:
    """How a segment is drawn: in its colour, or hatched on white where unreconciled."""
    if cat == "unreconciled":
        return {"facecolor": "white", "edgecolor": COLOURS[cat], "hatch": "////", "linewidth": 0.8}
    return {"facecolor": COLOURS[cat], "edgecolor": "white", "linewidth": 0.6}


def draw_segments(ax: Axes, ys: Any, shares: dict[str, list[float]], bar_h: float) -> list[Any]:
    """Stack the segments of every bar, one category after another; the legend's patches.

    An empty segment is hidden, so that it leaves no edge; the legend gets patches of its own.
    """
    import numpy as np
    from matplotlib.patches import Patch

    left = np.zeros(len(ys))
    segments: list[Any] = []
    for cat in SEX_CATEGORIES:
        widths = np.array(shares[cat])
        style = _segment_style(cat)
        drawn = ax.barh(ys, widths, left=left, height=bar_h, label=LEGEND_LABELS[cat], **style)
        for patch in drawn.patches:
            patch.set_visible(patch.get_width() > 0)
        segments.append(Patch(label=LEGEND_LABELS[cat], **style))
        left = left + widths
    return segments


def label_bar(ax: Axes, y: float, bar_h: float, bars: Bars, i: int) -> bool:
    """Label the bar of row ``i``; False where it has nothing to show (a total of 0).

    A bar with censored counts is written out instead; a bar of nothing says so.
    """
    if not bars.known[i]:
        ax.text(0.01, y, _censored_text(bars.rows[i]), va="center", fontsize=8, color="#333333")
    elif not bars.totals[i]:
        ax.text(0.01, y, "nothing summed", va="center", fontsize=9, color="dimgray")
        return False
    else:
        counts = {c: bars.counts[c][i] for c in SEX_CATEGORIES}
        _label_segments(ax, y, bar_h, counts, bars.totals[i])
    return True


def draw_bracket(ax: Axes, y: float, low: float, high: float, label: str | None) -> None:
    """A bracket from ``low`` to ``high`` (shares of women) at ``y``, and its percentages."""
    ax.errorbar(
        [(low + high) / 2],
        [y],
        xerr=[[(high - low) / 2], [(high - low) / 2]],
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=4,
        label=label,
    )
    text = f"women: {percent(low, high)}"
    if high <= 0.78:
        ax.text(high + 0.012, y, text, va="center", fontsize=8)
    else:
        ax.text(low - 0.012, y, text, va="center", ha="right", fontsize=8)


def _label_segments(
    ax: Axes, y: float, bar_h: float, counts: dict[str, float], total: float
) -> None:
    """Each segment's count: inside it where it fits, else in a callout under the bar."""
    left = 0.0
    callouts = 0
    for cat in SEX_CATEGORIES:
        count = counts[cat]
        share = count / total
        if count > 0 and share >= _SMALL and cat != "unreconciled":
            ax.text(
                left + share / 2,
                y,
                count_text(count),
                ha="center",
                va="center",
                fontsize=8,
                color=_TEXT_ON[cat],
            )
        elif count > 0:
            label = "unknown sex" if cat == "unknown" else cat
            x_text = min(max(left + share / 2, 0.08), 0.92)
            ax.annotate(
                f"{label}: {count_text(count)}",
                xy=(left + share / 2, y + bar_h / 2),
                xytext=(x_text, y + bar_h / 2 + 0.17 + 0.15 * callouts),
                ha="right" if x_text > 0.5 else "left",
                va="center",
                fontsize=8,
                color=COLOURS[cat] if cat == "unreconciled" else "black",
                arrowprops={"arrowstyle": "-", "color": "dimgray", "lw": 0.8},
            )
            callouts += 1
        left += share


def _censored_text(row: Mapping[Any, Any]) -> str:
    """A group whose counts are not all known, written out: "female 17, male 0 to 4"."""
    parts = []
    for cat in SEX_CATEGORIES:
        value = plain(row.get(cat))
        low, high = plain(row.get(f"{cat}_low")), plain(row.get(f"{cat}_high"))
        if value is not None:
            parts.append(f"{cat} {float(value):,.0f}")
        elif low is not None and high is not None:
            parts.append(f"{cat} {float(low):,.0f} to {float(high):,.0f}")
        else:
            parts.append(f"{cat} not known")
    return "no bar, counts censored: " + ", ".join(parts)
