"""The bars of the gender chart drawn: their segments, ranges, labels, callouts and brackets.

Each function draws on an axes whose bars run along x, one per row of a breakdown, as
:func:`unodc_metrics.plot.gender_chart` lays them out (see :mod:`._bars` for what a bar is).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._bars import SEX_CATEGORIES, Bar
from unodc_metrics.plot._labels import bounded_text, range_text, segment_text
from unodc_metrics.plot._text import number, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "COLOURS",
    "LEGEND_LABELS",
    "SEX_CATEGORIES",
    "draw_bars",
    "label_bars",
]

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
    "bounded": "sex known only as a range (censored)",
    "low": "total is a range: its least total",
    "high": "total is a range: what it may add",
}
"""The legend's name of each segment, and of the parts of a bar whose total is a range."""

_STYLES: dict[str, dict[str, Any]] = {
    "unreconciled": {"facecolor": "white", "edgecolor": COLOURS["unreconciled"], "hatch": "////"},
    "bounded": {"facecolor": "white", "edgecolor": "#777777", "hatch": "...."},
    "low": {"facecolor": "#E6E6E6", "edgecolor": "#555555"},
    "high": {"facecolor": "white", "edgecolor": "#555555", "hatch": "xx"},
}
_TEXT_ON = {"female": "black", "male": "white", "other": "black", "unknown": "black"}
_CALLOUT_NAMES = {"unknown": "unknown sex", "bounded": "bounded"}


def _style(cat: str) -> dict[str, Any]:
    return (
        {"linewidth": 0.8, **_STYLES[cat]}
        if cat in _STYLES
        else {
            "facecolor": COLOURS[cat],
            "edgecolor": "white",
            "linewidth": 0.6,
        }
    )


def _barh(
    ax: Axes, ys: Any, widths: Sequence[float], lefts: Sequence[float], cat: str, bar_h: float
) -> Any:
    """One container of bars, labelled by ``cat``; its empty bars hidden, leaving no edge."""
    drawn = ax.barh(ys, widths, left=lefts, height=bar_h, label=LEGEND_LABELS[cat], **_style(cat))
    for patch in drawn.patches:
        patch.set_visible(patch.get_width() > 0)
    return drawn


def draw_bars(ax: Axes, ys: Any, bars: list[Bar], bar_h: float) -> list[Any]:
    """Draw every bar: the five segments, then any bounded persons and ranges; the legend's.

    The five segments are always drawn, one container each, so that they are always in the
    legend; the bounded persons and the ranges only where some bar has them.
    """
    from matplotlib.patches import Patch

    n = len(bars)
    left = [0.0] * n
    handles: list[Any] = []
    for cat in SEX_CATEGORIES:
        widths = [b.share(cat) if b.kind == "exact" else 0.0 for b in bars]
        _barh(ax, ys, widths, left, cat, bar_h)
        handles.append(Patch(label=LEGEND_LABELS[cat], **_style(cat)))
        left = [a + w for a, w in zip(left, widths, strict=True)]
    if any(b.rest > 0 for b in bars):
        _barh(ax, ys, [b.rest / b.scale if b.scale else 0.0 for b in bars], left, "bounded", bar_h)
        handles.append(Patch(label=LEGEND_LABELS["bounded"], **_style("bounded")))
    ranged = [b.kind == "range" and b.scale > 0 for b in bars]
    if any(ranged):
        lows = [number(b.low) / b.scale if r else 0.0 for b, r in zip(bars, ranged, strict=True)]
        _barh(ax, ys, lows, [0.0] * n, "low", bar_h)
        highs = [
            1 - lo if r and b.high is not None else 0.0
            for b, r, lo in zip(bars, ranged, lows, strict=True)
        ]
        _barh(ax, ys, highs, lows, "high", bar_h)
        handles += [Patch(label=LEGEND_LABELS[c], **_style(c)) for c in ("low", "high")]
        for y, bar, low in zip(ys, bars, lows, strict=True):
            if bar.kind == "range" and bar.scale > 0:
                _draw_interval(ax, float(y), bar, low, bar_h)
    for y, bar in zip(ys, bars, strict=True):
        if bar.excess > 0:
            x = number(bar.total) / bar.scale
            ax.vlines([x], y - bar_h / 2 - 0.06, y + bar_h / 2 + 0.06, colors="black", lw=1.5)
    return handles


def _draw_interval(ax: Axes, y: float, bar: Bar, low: float, bar_h: float) -> None:
    """A range's interval over its bar: a bracket from its least to its largest total.

    Where it has no upper bound, a dashed arrow runs on from the least total.
    """
    top = y - bar_h / 2
    if bar.high is None:
        ax.annotate(
            "",
            xy=(1.05, y),
            xytext=(1.0, y),
            arrowprops={"arrowstyle": "-|>", "linestyle": "--", "color": "black"},
        )
        return
    ax.plot([low, low, 1.0, 1.0], [top, top - 0.08, top - 0.08, top], color="black", lw=1.2)


def label_bars(ax: Axes, ys: Any, bars: list[Bar], bar_h: float, capacity: float) -> bool:
    """Label each bar, and bracket its share of women where it is uncertain.

    ``capacity`` is how many characters of a label the whole width of a bar holds. Returns
    whether any bracket was drawn; only the first one is named in the legend.
    """
    bracket_drawn = False
    for y, bar in zip((float(v) for v in ys), bars, strict=True):
        if bar.kind == "empty":
            text = "nothing summed" if bar.total == 0 else "no total"
            ax.text(0.01, y, text, va="center", fontsize=9, color="dimgray")
            continue
        if bar.kind == "range":
            ax.text(
                0.015,
                y,
                "\n".join(
                    line
                    for part in range_text(bar.row).split("\n")
                    for line in textwrap.wrap(part, max(int(capacity * 1.05), 30))
                ),
                va="center",
                fontsize=7.5,
                bbox={"facecolor": "#E6E6E6", "edgecolor": "none", "alpha": 0.9, "pad": 1.5},
            )
            continue
        _label_segments(ax, y, bar_h, bar, capacity)
        low = number(bar.row.get("female_share_low"), None)
        high = number(bar.row.get("female_share_high"), None)
        if low is not None and high is not None and high - low > 1e-9:
            label = None if bracket_drawn else "possible share of women (bounds)"
            draw_bracket(ax, y - bar_h / 2 - 0.13, low, high, label, capacity)
            bracket_drawn = True
    return bracket_drawn


def draw_bracket(
    ax: Axes, y: float, low: float, high: float, label: str | None, capacity: float = 80.0
) -> None:
    """A bracket from ``low`` to ``high`` (shares of women) at ``y``, and its percentages.

    The percentages go beside the bracket where there is room (``capacity`` is how many
    characters the whole width holds), else on it.
    """
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
    room = (len(text) + 2) / capacity
    if high + room <= 1.0:
        ax.text(high + 0.012, y, text, va="center", fontsize=8)
    elif low - room >= 0.0:
        ax.text(low - 0.012, y, text, va="center", ha="right", fontsize=8)
    else:
        box = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}
        ax.text((low + high) / 2, y, text, va="center", ha="center", fontsize=8, bbox=box)


def _segment_labels(bar: Bar) -> list[tuple[str, float, str]]:
    """Each drawn segment of an exact bar: its category, its share, and its label."""
    out = []
    for cat in SEX_CATEGORIES:
        count = bar.counts.get(cat, 0.0)
        if count > 0:
            text = segment_text(count, bar.status(cat))
            if cat == "unknown" and bar.unsplit:
                text += ": no split by sex"
            out.append((cat, count / bar.scale, text))
    bounded = bounded_text(bar.row)
    if bar.rest > 0 or bounded:
        # Bounded counts with no persons left for them (the stated parts fill the total) are
        # still named, in a callout at the end of the bar.
        out.append(("bounded", bar.rest / bar.scale, bounded or "sex not known"))
    return out


def _label_segments(ax: Axes, y: float, bar_h: float, bar: Bar, capacity: float) -> None:
    """Each segment's count: inside it where it fits, else in a callout under the bar."""
    left = 0.0
    callouts = 0
    for cat, share, text in _segment_labels(bar):
        if cat not in ("unreconciled", "bounded") and len(text) + 1 <= share * capacity:
            ax.text(
                left + share / 2, y, text, ha="center", va="center", fontsize=8, color=_TEXT_ON[cat]
            )
        else:
            _callout(
                ax,
                left + share / 2,
                y + bar_h / 2,
                callouts,
                f"{_CALLOUT_NAMES.get(cat, cat)}: {text}",
                COLOURS[cat] if cat == "unreconciled" else "black",
            )
            callouts += 1
        left += share
    if bar.excess > 0:
        x = number(bar.total) / bar.scale
        text = f"total {number(bar.total):,.0f}: the parts exceed it by {bar.excess:,.0f}"
        _callout(ax, x, y + bar_h / 2, callouts, text, "black")


def _callout(ax: Axes, x: float, y: float, i: int, text: str, colour: str) -> None:
    """The ``i``-th callout under a bar, pointing at ``x`` on the bar's lower edge."""
    x_text = min(max(x, 0.08), 0.92)
    ax.annotate(
        text,
        xy=(x, y),
        xytext=(x_text, y + 0.17 + 0.15 * i),
        ha="right" if x_text > 0.5 else "left",
        va="center",
        fontsize=8,
        color=colour,
        arrowprops={"arrowstyle": "-", "color": "dimgray", "lw": 0.8},
    )
