"""The totals chart: bars of the totals per year, with their bounds, one colour per group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._drawing import add_caption, add_legend, new_figure, require_matplotlib
from unodc_metrics.plot._frames import as_pandas, column_names, leading
from unodc_metrics.plot._text import bar_label, number, plain, range_label, series_label, words
from unodc_metrics.plot._totals_caption import default_title, row_names, totals_caption

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["totals_chart"]

# The columns that an output of totals_by_year always has; its grouping columns come first.
# GLOTIP's output has no ``years``: each of its rows is one year.
_TOTALS_OUTPUT = frozenset(
    {"year", "total", "qualifier", "total_low", "total_high", "rows", "rows_excluded", "excluded"}
)
_TABLE_COLUMNS = frozenset({"value", "period_kind", "period_start", "period_end", "part_of"})
_GLOTIP_COLUMNS = frozenset({"indicator", "dimension", "category", "sex", "age", "value"})
_SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")

# Each bar's x, the top of its bar or interval, its lower bound if open-ended, and its label.
_Top = tuple[float, float, float | None, str]


def totals_chart(
    data: pd.DataFrame | pl.DataFrame,
    *,
    table: str | None = None,
    by: str | Sequence[str] | None = None,
    title: str | None = None,
    width: float = 9.0,
) -> Figure:
    """Bars of the totals per year, with their bounds, one colour per group.

    Each bar is a group's total for a calendar year, as the report writes its numbers.
    Where a total is a range (a qualified figure was summed), an interval with caps spans
    ``total_low`` to ``total_high``. Where a year has no one total (``total`` is missing:
    rows that may count the same persons, or censored counts), it is never drawn as one
    bar: a solid bar rises to ``total_low`` (what must be distinct), a hatched part with caps
    to ``total_high``, labelled with both bounds ("2,776" and "2,838", joined by an en dash),
    and the caption says why. Where a total has no upper bound ("at least", "more than",
    "over"), a dashed arrow rises from ``total_low``. Totals whose period spans years
    (``years`` such as ``"2020-2022"``) are drawn after the years, hatched: they are never
    split between years. A caption lists the
    rows counted though outside the reporting period (``outside_period``), the rows that no
    year holds (figures "to date", stocks, rows without a known period) and the rows not
    summed (parts of another row).

    Args:
        data: Either the output of :func:`unodc_metrics.totals_by_year` (GLOTIP's too), or a
            frame in the shape of a figure table or of a GLOTIP download, which is summed
            here with ``totals_by_year(data, table=table, by=by)``. pandas or polars.
        table: The table's name, needed (only) when ``data`` is a figure table; a GLOTIP
            download is ``"glotip"``.
        by: Further grouping columns, only for a table.
        title: The chart's title; by default one naming what is counted.
        width: The figure's width in inches.

    Returns:
        The figure, with one axes. The legend names each group and what the interval, the
        hatched part of a range, the arrow and the hatching of a span mean, where they
        appear; the caption lists what was left out, and why a range is one.

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If ``data`` is neither an output of ``totals_by_year`` nor a table; if a
            figure table comes without ``table``, or ``table`` or ``by`` with an output; or
            as :func:`unodc_metrics.totals_by_year` raises it.
        ValidationError: If a table does not validate against the schema of ``table``.

    Examples:
        >>> from unodc_metrics import load
        >>> from unodc_metrics.plot import totals_chart
        >>> fig = totals_chart(load("rescues"), table="rescues")
        >>> type(fig).__name__
        'Figure'
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['2020', '2021']
    """
    require_matplotlib()
    frame = _totals_frame(data, table, by)
    layout = _layout(frame)
    fig, ax = new_figure(width, 5.2)
    bar_w = 0.8 / max(len(layout.series), 1)
    tops, marks = _draw_bars(ax, layout, bar_w)
    _draw_tops(ax, tops, bar_w)
    _style_axes(ax, layout)
    _totals_legend(ax, marks, width)
    fig.suptitle(
        title or default_title(frame, layout.what, layout.constant), fontsize=12, fontweight="bold"
    )
    gaps = len(layout.columns) * len(layout.series) > len(tops)
    names = row_names(frame, layout.varying, layout.what)
    add_caption(fig, totals_caption(frame, names, layout.spans, gaps), width)
    return fig


def _totals_frame(data: Any, table: str | None, by: str | Sequence[str] | None) -> pd.DataFrame:
    """The totals to draw: ``data`` itself, or a table summed here."""
    # The aggregations import pandas and pandera: only a chart that sums a table needs them.
    from unodc_metrics._aggregations import totals_by_year

    columns = column_names(data)
    if columns >= _GLOTIP_COLUMNS:
        return _with_years(as_pandas(totals_by_year(data, table=table or "glotip", by=by)))
    if columns >= _TABLE_COLUMNS:
        if table is None:
            raise ValueError(
                "this frame is a table: name it, e.g. totals_chart(df, table='rescues'), so "
                "that it is checked against the right schema"
            )
        return as_pandas(totals_by_year(data, table=table, by=by))
    if columns >= _TOTALS_OUTPUT:
        if table is not None or by is not None:
            raise ValueError(
                "table and by apply to a table; this frame is already an output of totals_by_year"
            )
        return _with_years(as_pandas(data))
    raise ValueError(
        "totals_chart needs the output of totals_by_year (columns "
        f"{', '.join(sorted(_TOTALS_OUTPUT))}) or a frame in the shape of a figure table or "
        f"of a GLOTIP download; got the columns: {', '.join(sorted(columns)) or '(none)'}"
    )


def _with_years(frame: pd.DataFrame) -> pd.DataFrame:
    """GLOTIP's totals name no ``years``: each of its rows is the year it names."""
    if "years" in frame.columns:
        return frame
    import pandas as pd

    years = pd.Series(
        [None if plain(y) is None else str(y) for y in frame["year"]],
        index=frame.index,
        dtype=object,
    )
    return frame.assign(years=years)


@dataclass(frozen=True)
class _Layout:
    """Where the bars go: one series per combination of the grouping columns that vary."""

    varying: list[str]
    """The grouping columns whose values differ between rows: they name the series."""
    constant: list[str]
    """The grouping columns with one value: they name what is counted."""
    placed: pd.DataFrame
    """The rows with a year or a span of years: each is a bar."""
    series: list[tuple[Any, ...]]
    """Each series' values of the varying columns, in the order of their first row."""
    single_years: list[str]
    spans: list[str]
    """The spans of years ("2020-2022"), drawn after the single years."""
    what: str
    """What is counted: the measure, GLOTIP's indicator, or "total"."""

    @property
    def columns(self) -> list[str]:
        """The x axis: the single years, then the spans."""
        return [*self.single_years, *self.spans]


def _what(frame: pd.DataFrame, constant: list[str]) -> str:
    if "measure" in constant:
        return words(frame["measure"].iloc[0])
    if "indicator" in constant:
        return str(frame["indicator"].iloc[0])
    return "total"


def _layout(frame: pd.DataFrame) -> _Layout:
    keys = leading(frame, "year")
    varying = [k for k in keys if frame[k].nunique(dropna=False) > 1]
    constant = [k for k in keys if k not in varying]
    placed = frame[frame["years"].notna()]
    series: list[tuple[Any, ...]] = list(
        dict.fromkeys(tuple(plain(r[k]) for k in varying) for r in placed.to_dict("records"))
    )
    single_years = sorted({str(v) for v in placed.loc[placed["year"].notna(), "years"]})
    spans = sorted({str(v) for v in placed.loc[placed["year"].isna(), "years"]})
    what = _what(frame, constant)
    return _Layout(varying, constant, placed, series, single_years, spans, what)


def _draw_bars(ax: Axes, layout: _Layout, bar_w: float) -> tuple[list[_Top], dict[str, bool]]:
    """A bar per placed row, and its interval where it is a range; the tops, and the marks.

    The marks say whether any bar is a range, has no one total, has no upper bound, or
    spans years.
    """
    slot = {name: i for i, name in enumerate(layout.columns)}
    marks: dict[str, bool] = {"range": False, "unsummed": False, "open": False, "span": False}
    labelled: set[int] = set()
    tops: list[_Top] = []
    for rec in layout.placed.to_dict("records"):
        s = layout.series.index(tuple(plain(rec[k]) for k in layout.varying))
        x = slot[str(rec["years"])] - 0.4 + bar_w * (s + 0.5)
        is_span = plain(rec["year"]) is None
        marks["span"] |= is_span
        total = number(rec["total"], None)
        low = number(rec["total_low"], None)
        if total is None and low is None:
            ax.text(x, 0, "none\nsummed", ha="center", va="bottom", fontsize=8, color="dimgray")
            continue
        label = (
            None if s in labelled else series_label(layout.series[s], layout.varying, layout.what)
        )
        labelled.add(s)
        colour = _SERIES_COLOURS[s % len(_SERIES_COLOURS)]
        if total is None:  # no one total: a bar to what must be distinct, hatched to the most
            _draw_bar(ax, x, float(low or 0.0), bar_w, colour, is_span, label)
            tops.append(_draw_unsummed(ax, x, rec, float(low or 0.0), bar_w, colour, marks))
            continue
        _draw_bar(ax, x, total, bar_w, colour, is_span, label)
        tops.append(_draw_bounds(ax, x, rec, total, marks))
    return tops, marks


def _draw_bar(
    ax: Axes, x: float, total: float, bar_w: float, colour: str, is_span: bool, label: str | None
) -> None:
    """One bar, hatched and paler where its period spans years."""
    ax.bar(
        [x],
        [total],
        width=bar_w * 0.92,
        color=colour,
        alpha=0.55 if is_span else 1.0,
        hatch="//" if is_span else None,
        edgecolor=colour if is_span else "white",
        label=label,
    )


def _draw_unsummed(
    ax: Axes,
    x: float,
    rec: dict[Any, Any],
    low: float,
    bar_w: float,
    colour: str,
    marks: dict[str, bool],
) -> _Top:
    """Over a bar to ``total_low``, the rest of a range: hatched, with caps, up to its most."""
    high = number(rec["total_high"], None)
    marks["unsummed"] = True
    if high is None:
        marks["open"] = True
        return (x, low, low, range_label(low, None))
    if high > low:
        ax.bar(
            [x],
            [high - low],
            bottom=[low],
            width=bar_w * 0.92,
            facecolor="white",
            edgecolor=colour,
            hatch="xx",
            linewidth=0.8,
        )
        ax.errorbar([x], [low], yerr=[[0], [high - low]], fmt="none", ecolor="black", capsize=5)
    return (x, max(low, high), None, range_label(low, high))


def _draw_bounds(
    ax: Axes, x: float, rec: dict[Any, Any], total: float, marks: dict[str, bool]
) -> _Top:
    """A range's interval with caps; an open upper bound is drawn later, as an arrow."""
    low = number(rec["total_low"], total)
    high = number(rec["total_high"], None)
    top = max(total, low)
    if high is None:
        marks["open"] = True
    elif high > low:
        marks["range"] = True
        ax.errorbar([x], [low], yerr=[[0], [high - low]], fmt="none", ecolor="black", capsize=5)
        top = max(top, high)
    return (x, top, low if high is None else None, bar_label(total, low, high))


def _draw_tops(ax: Axes, tops: list[_Top], bar_w: float) -> None:
    """Over each bar, its arrow if its upper bound is open, and its label; scale y to fit."""
    ymax = max([top for _, top, _, _ in tops], default=0.0) * 1.35 or 1.0
    arrow = ymax * 0.12
    for x, top, open_low, label in tops:
        if open_low is not None:  # an open upper bound: a cap at the lower bound, an arrow up
            ax.plot([x - bar_w * 0.25, x + bar_w * 0.25], [open_low, open_low], color="black")
            ax.annotate(
                "",
                xy=(x, open_low + arrow),
                xytext=(x, open_low),
                arrowprops={"arrowstyle": "-|>", "linestyle": "--", "color": "black"},
            )
            top = max(top, open_low + arrow)
        ax.text(x, top + ymax * 0.015, label, ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, ymax)
    if not tops:
        ax.text(0.5, 0.5, "no figure lies within a year", ha="center", transform=ax.transAxes)


def _style_axes(ax: Axes, layout: _Layout) -> None:
    """Name the years and the spans on x, and what is counted on y."""
    ticks = [*layout.single_years, *(f"{s}\n(spans years)" for s in layout.spans)]
    ax.set_xticks(range(len(layout.columns)), ticks)
    ax.set_xlim(-0.6, max(len(layout.columns), 1) - 0.4)
    if len(ticks) > 12:
        ax.tick_params(axis="x", labelrotation=90)
    ax.set_ylabel(layout.what)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _totals_legend(ax: Axes, marks: dict[str, bool], width: float) -> None:
    """The series, then what the interval, the arrow and the hatching mean, where drawn."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = ax.get_legend_handles_labels()
    if marks["range"]:
        handles.append(Line2D([], [], color="black", marker="_", markersize=10, linestyle="-"))
        labels.append("possible range (bounds)")
    if marks["unsummed"]:
        handles.append(Patch(facecolor="white", edgecolor="dimgray", hatch="xx"))
        labels.append("no one total: bar to the least, hatched up to the most")
    if marks["open"]:
        handles.append(Line2D([], [], color="black", linestyle="--", marker="^", markersize=6))
        labels.append("no upper bound: at least the lower bound")
    if marks["span"]:
        handles.append(Patch(facecolor="white", edgecolor="dimgray", hatch="//"))
        labels.append("period spans years: not split")
    add_legend(ax, handles, labels, width)
