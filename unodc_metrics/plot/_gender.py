"""The gender chart: one bar per row of a breakdown, with unknown sex, ranges and brackets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._bars import SEX_CATEGORIES, Bar, bars_of
from unodc_metrics.plot._drawing import add_caption, add_legend, new_figure, require_matplotlib
from unodc_metrics.plot._frames import as_pandas, column_names, leading
from unodc_metrics.plot._gender_caption import gender_caption
from unodc_metrics.plot._labels import name_columns, y_label
from unodc_metrics.plot._segments import draw_bars, label_bars
from unodc_metrics.plot._text import plain

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["gender_chart"]

_TRAININGS_COLUMNS = frozenset({"value", "female", "male", "other_sex", "unknown_sex"})
_GLOTIP_COLUMNS = frozenset({"indicator", "dimension", "category", "sex", "age", "value"})
_BAR_HEIGHT = 0.42
# Inches per character of a tick label (9 points) and of a label on a bar (8 points).
_LABEL_CHAR, _BAR_CHAR = 0.072, 0.064


def gender_chart(
    data: pd.DataFrame | pl.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    title: str | None = None,
    width: float = 9.0,
) -> Figure:
    """A bar per row of a breakdown by sex: female, male, other, unknown sex, unreconciled.

    Each bar is one output row of :func:`unodc_metrics.gender_breakdown`: one group and
    basis (figures of a period, "to date" and "as at" a date are never added together), or
    one row that no group holds, named by its id and description. Bars are drawn as shares
    of their own total, so all have the same length and the counts are not to scale: each
    bar's label gives its size, ``n``, what its shares are over.

    A bar is split into the counts that are known: ``female``, ``male``, ``other``,
    ``unknown`` (the report does not give their sex) and ``unreconciled`` (the report's
    parts fall short of its total), each in its own colour, the last hatched, each labelled
    with its count (a callout under the bar where it is too narrow). A count that no row
    states is not drawn, and is never drawn as 0: a bar of which no count by sex is stated
    says "no split by sex", and the caption names the counts not stated. Persons whose sex
    is known only as a range (GLOTIP's censored ``<5``) are dotted, their bounds written out.
    Where the share of women is uncertain, a bracket above the bar spans its bounds,
    ``female_share_low`` to ``female_share_high``.

    A row whose total is a range (rows that may count the same persons, censored totals,
    qualified figures) is never one exact bar: it is drawn to its largest total, grey up to
    its least total and hatched and bracketed from there, and its counts by sex are written
    on it. Its label says why (``n = 2,836 to 2,898, may double count: TRN-05a, TRN-68a``).

    Args:
        data: The output of :func:`unodc_metrics.gender_breakdown` or
            :func:`unodc_metrics.trainees_per_initiative` (any ``unknown`` mode; the
            brackets need ``unknown="bounds"``), in the wide or in GLOTIP's long shape; or a
            frame in the shape of the ``trainings`` table, or of a GLOTIP download
            (:func:`unodc_metrics.read_glotip`). A table is summed here with
            ``unknown="bounds"``: a trainings table by initiative
            (:func:`unodc_metrics.trainees_per_initiative`) unless ``by`` is given, any
            table by the ``by`` columns (:func:`unodc_metrics.gender_breakdown`). pandas or
            polars.
        by: Grouping columns, only for a table: see :func:`unodc_metrics.gender_breakdown`.
        title: The chart's title; by default "Persons trained, by sex", or GLOTIP's
            indicator, by sex.
        width: The figure's width in inches; the height follows the number of bars.

    Returns:
        The figure, with one axes. Its legend names the segments, and the bracket and the
        parts of a range where they appear. A caption under the chart says what the bars
        are over, what the segments and brackets mean, which counts are not stated, and
        which rows were not summed.

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If ``data`` is neither a breakdown nor a table it can sum, or if ``by``
            is given with a breakdown.
        ValidationError: If a table does not validate against its schema.

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
    keys = leading(frame, "female")
    varying = [k for k in keys if frame[k].nunique(dropna=False) > 1]
    named = name_columns(keys, varying)
    bars = bars_of(frame)
    labels = _labels(frame, bars, named)
    caption = gender_caption(frame, bars, named)

    lines = max((label.count("\n") + 1 for label in labels), default=2)
    row_h = max(0.95, 0.16 * lines + 0.3)
    label_in = _LABEL_CHAR * max((len(s) for t in labels for s in t.split("\n")), default=10)
    capacity = max(width - label_in - 0.5, 2.0) / _BAR_CHAR
    caption_h = 0.13 * sum(len(c) // max(int(width * 15), 40) + 1 for c in caption)
    fig, ax = new_figure(width, 1.5 + row_h * max(len(bars), 1) + caption_h)

    ys = np.arange(len(bars), dtype=float)
    handles = draw_bars(ax, ys, bars, _BAR_HEIGHT)
    bracket_drawn = label_bars(ax, ys, bars, _BAR_HEIGHT, capacity)
    _style_axes(ax, ys, labels, [b for b in bars if b.kind == "range"])
    _gender_legend(ax, handles, bracket_drawn, "female_share_low" in frame.columns, width)
    fig.suptitle(title or _default_title(frame, varying), fontsize=12, fontweight="bold")
    add_caption(fig, caption, width)
    return fig


def _gender_frame(data: Any, by: str | Sequence[str] | None) -> pd.DataFrame:
    """The breakdown to draw: ``data`` itself, or a table summed here."""
    # The aggregations import pandas and pandera: only a chart that sums a table needs them.
    from unodc_metrics._aggregations import gender_breakdown, trainees_per_initiative

    columns = column_names(data)
    if columns >= _TRAININGS_COLUMNS:
        if by is None:
            return as_pandas(trainees_per_initiative(data, unknown="bounds"))
        return as_pandas(gender_breakdown(data, by=by, unknown="bounds"))
    if columns >= _GLOTIP_COLUMNS:
        return as_pandas(gender_breakdown(data, by=by, unknown="bounds", table="glotip"))
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
        "trainings table or of a GLOTIP download; got the columns: "
        f"{', '.join(sorted(columns)) or '(none)'}"
    )


def _labels(frame: pd.DataFrame, bars: list[Bar], named: list[str]) -> list[str]:
    """Each bar's tick label: its name and its size, ``n``."""
    periods = {"period_start", "period_end"} <= set(frame.columns)
    basis_varies = "basis" in frame.columns and frame["basis"].nunique() > 1
    return [y_label(b.row, named, periods=periods, basis_varies=basis_varies) for b in bars]


def _default_title(frame: pd.DataFrame, varying: list[str]) -> str:
    """Persons trained, by sex; for GLOTIP, what its indicator counts, where it is one."""
    if "indicator" not in frame.columns:
        return "Persons trained, by sex"
    if "indicator" in varying or frame.empty:
        return "Persons by sex"
    parts = [str(frame["indicator"].iloc[0])]
    for col in ("dimension", "category"):
        value = plain(frame[col].iloc[0]) if col in frame.columns and col not in varying else None
        if value is not None and str(value).lower() != "total":
            parts.append(str(value))
    return f"{', '.join(parts)}, by sex"


def _style_axes(ax: Axes, ys: Any, labels: list[str], ranges: list[Bar]) -> None:
    """Name the bars, first on top, and scale x as a share of each bar's total."""
    from matplotlib.ticker import FixedLocator, PercentFormatter

    ax.set_yticks(ys, labels, fontsize=9)
    ax.set_ylim(len(ys) - 0.35, -0.75)  # the first bar on top
    ax.set_xlim(0, 1.08 if any(b.high is None for b in ranges) else 1.0)
    ax.xaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    where = " (of its largest, where n is a range)" if ranges else ""
    ax.set_xlabel(f"share of each bar's total, n{where}: not to scale between bars")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _gender_legend(
    ax: Axes, handles: list[Any], bracket_drawn: bool, bounded: bool, width: float
) -> None:
    """The segments, the bracket and a range's parts; where bounds bring no bracket, why."""
    from matplotlib.container import ErrorbarContainer
    from matplotlib.patches import Patch

    bracket = [c for c in ax.containers if isinstance(c, ErrorbarContainer)][:1]
    handles = [*handles[:5], *bracket, *handles[5:]]
    labels = [str(h.get_label()) for h in handles]
    if not bracket_drawn and bounded:
        # Say so where the reader looks for the bracket.
        handles.append(Patch(visible=False))
        labels.append("no bracket: the share of women is certain")
    add_legend(ax, handles, labels, width)
