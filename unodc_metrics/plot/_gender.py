"""The gender chart: persons by sex, with unknown sex, unreconciled persons and brackets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._drawing import add_caption, add_legend, new_figure, require_matplotlib
from unodc_metrics.plot._frames import as_pandas, column_names, leading
from unodc_metrics.plot._segments import (
    SEX_CATEGORIES,
    Bars,
    bar_data,
    draw_bracket,
    draw_segments,
    label_bar,
)
from unodc_metrics.plot._text import group_label, left_out, number

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["gender_chart"]

_TRAININGS_COLUMNS = frozenset({"value", "female", "male", "other_sex", "unknown_sex"})
_BAR_HEIGHT = 0.42


def gender_chart(
    data: pd.DataFrame | pl.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    title: str | None = None,
    width: float = 9.0,
) -> Figure:
    """A stacked bar per group: female, male, other, unknown sex and unreconciled persons.

    Each bar is one group's reported total, split into five segments: ``female``, ``male``,
    ``other``, ``unknown`` (the report does not give their sex) and ``unreconciled`` (the
    report's parts fall short of its total), each in its own colour, the last hatched.
    Segments are shares of the group's total, and each is labelled with its count; a
    segment too narrow to hold its label gets a callout below the bar. Where the share of
    women is uncertain (unknown or unreconciled persons may be women), a bracket above the
    bar spans its bounds, ``female_share_low`` to ``female_share_high``.

    Args:
        data: Either the output of :func:`unodc_metrics.gender_breakdown` or
            :func:`unodc_metrics.trainees_per_initiative` (any ``unknown`` mode; the
            brackets need ``unknown="bounds"``), or a frame in the shape of the
            ``trainings`` table. A table is summed here with ``unknown="bounds"``: by
            initiative, with figures "to date" kept apart from those of a period
            (:func:`unodc_metrics.trainees_per_initiative`), or by the ``by`` columns
            (:func:`unodc_metrics.gender_breakdown`). pandas or polars.
        by: Grouping columns, only for a table: see :func:`unodc_metrics.gender_breakdown`.
        title: The chart's title; by default "Persons trained, by sex".
        width: The figure's width in inches; the height follows the number of groups.

    Returns:
        The figure, with one axes. Its legend names the five segments and the bracket. A
        caption under the chart says what the segments and brackets mean, and which rows
        were not summed.

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If ``data`` is neither a breakdown nor a trainings-shaped frame, or if
            ``by`` is given with a breakdown.
        ValidationError: If a table does not validate against the ``trainings`` schema.

    Examples:
        >>> from unodc_metrics import load
        >>> from unodc_metrics.plot import gender_chart
        >>> fig = gender_chart(load("trainings"))
        >>> type(fig).__name__
        'Figure'
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][3:5]
        ['unknown sex (not stated)', 'unreconciled (parts short of the total)']
    """
    require_matplotlib()
    import numpy as np

    frame = _gender_frame(data, by)
    groups = leading(frame, "female", skip=("period_start", "period_end"))
    n = len(frame)
    caption = _gender_caption(frame)
    fig, ax = new_figure(width, 1.6 + 0.95 * max(n, 1))

    ys = np.arange(n, dtype=float)
    bars = bar_data(frame)
    segments = draw_segments(ax, ys, bars.shares, _BAR_HEIGHT)
    bracket_drawn = _label_bars(ax, ys, bars)
    _style_axes(ax, ys, [group_label(row, groups) for row in bars.rows])
    _gender_legend(ax, segments, bracket_drawn, "female_share_low" in frame.columns)
    fig.suptitle(title or "Persons trained, by sex", fontsize=12, fontweight="bold")
    add_caption(fig, caption, width)
    return fig


def _gender_frame(data: Any, by: str | Sequence[str] | None) -> pd.DataFrame:
    """The breakdown to draw: ``data`` itself, or a trainings-shaped table summed here."""
    # The aggregations import pandas and pandera: only a chart that sums a table needs them.
    from unodc_metrics._aggregations import gender_breakdown, trainees_per_initiative

    columns = column_names(data)
    if columns >= _TRAININGS_COLUMNS:
        if by is None:
            return as_pandas(trainees_per_initiative(data, unknown="bounds"))
        return as_pandas(gender_breakdown(data, by=by, unknown="bounds"))
    if {*SEX_CATEGORIES, "total"} <= columns:
        if by is not None:
            raise ValueError(
                "by groups the rows of a table; this frame is already a breakdown, grouped "
                "by its own columns"
            )
        return as_pandas(data)
    raise ValueError(
        "gender_chart needs the output of gender_breakdown or trainees_per_initiative "
        f"(columns {', '.join((*SEX_CATEGORIES, 'total'))}) or a frame in the shape of the "
        f"trainings table; got the columns: {', '.join(sorted(columns)) or '(none)'}"
    )


def _label_bars(ax: Axes, ys: Any, bars: Bars) -> bool:
    """Label each bar, and bracket its share of women where it is uncertain.

    Returns whether any bracket was drawn; only the first one is named in the legend.
    """
    bracket_drawn = False
    for i, row in enumerate(bars.rows):
        y = float(ys[i])
        if not label_bar(ax, y, _BAR_HEIGHT, bars, i):
            continue
        low = number(row.get("female_share_low"), None)
        high = number(row.get("female_share_high"), None)
        if low is not None and high is not None and high - low > 1e-9:
            label = None if bracket_drawn else "possible share of women (bounds)"
            draw_bracket(ax, y - _BAR_HEIGHT / 2 - 0.13, low, high, label)
            bracket_drawn = True
    return bracket_drawn


def _style_axes(ax: Axes, ys: Any, labels: list[str]) -> None:
    """Name the groups, first on top, and scale x as a share of each group's total."""
    from matplotlib.ticker import PercentFormatter

    ax.set_yticks(ys, labels)
    ax.set_ylim(len(ys) - 0.35, -0.75)  # the first group on top
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of the group's reported total")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _gender_legend(ax: Axes, segments: list[Any], bracket_drawn: bool, bounded: bool) -> None:
    """The five segments and the bracket; where a breakdown has bounds but no bracket, why."""
    from matplotlib.container import ErrorbarContainer
    from matplotlib.patches import Patch

    bracket = [c for c in ax.containers if isinstance(c, ErrorbarContainer)][:1]
    handles: list[Any] = [*segments, *bracket]
    labels = [str(h.get_label()) for h in handles]
    if not bracket_drawn and bounded:
        # Say so where the reader looks for the bracket.
        handles.append(Patch(visible=False))
        labels.append("no bracket: the share of women is certain")
    add_legend(ax, handles, labels)


def _gender_caption(frame: pd.DataFrame) -> list[str]:
    """What the segments and the brackets mean, and which rows were left out."""
    lines = [
        "Each bar is a group's reported total. Unknown sex: persons whose sex the report does "
        "not give. Unreconciled: persons by which the report's parts fall short of its total."
    ]
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
    if "estimate" in frame.columns and bool(frame["estimate"].fillna(False).any()):
        lines.append(
            "Counts marked ~ are estimates: persons of unknown sex were allocated in "
            "proportion to the known counts."
        )
    if "basis" in frame.columns:
        lines.append(
            "Figures 'to date' are kept apart from those of a period: they may already hold "
            "the same persons."
        )
    return lines + left_out(frame)
