"""Charts of the report's figures: persons by sex, and totals per year.

Both charts keep the report's caveats in view. :func:`gender_chart` draws persons of unknown
sex and the persons that the report's parts leave unreconciled as segments of their own, and
brackets the share of women where it is uncertain. :func:`totals_chart` draws the bounds of
qualified totals ("at least 49"), marks totals whose period spans years, and lists in a
caption the rows that no year holds or that were not summed.

The charts need matplotlib: ``pip install "unodc-metrics[plot]"``. Importing this module does
not import matplotlib, pandas or anything heavy; each function does so when called. Each
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API (a ``Figure``
with an Agg canvas, not ``pyplot``), so calls share no state and the code works under any
backend. Save one with ``fig.savefig("chart.png")``; in a notebook, ``%matplotlib inline``
lets a figure left at the end of a cell display itself.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["COLOURS", "SEX_CATEGORIES", "gender_chart", "totals_chart"]

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

_LEGEND_LABELS = {
    "female": "female",
    "male": "male",
    "other": "other",
    "unknown": "unknown sex (not stated)",
    "unreconciled": "unreconciled (parts short of the total)",
}
_TEXT_ON = {"female": "black", "male": "white", "other": "black", "unknown": "black"}
_SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
_BASIS_WORDS = {"cumulative": "to date", "stock": "as at a date"}
_INSTALL = 'the charts need matplotlib: pip install "unodc-metrics[plot]"'

# The columns that an output of totals_by_year always has; its grouping columns come first.
_TOTALS_OUTPUT = frozenset(
    {
        "year",
        "years",
        "total",
        "qualifier",
        "total_low",
        "total_high",
        "rows",
        "rows_excluded",
        "excluded",
    }
)
_TRAININGS_COLUMNS = frozenset({"value", "female", "male", "other_sex", "unknown_sex"})
_TABLE_COLUMNS = frozenset({"value", "period_kind", "period_start", "period_end", "part_of"})

# Segments narrower than this share of the bar get a callout instead of an inner label.
_SMALL = 0.07


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
        >>> import unodc_metrics as um
        >>> from unodc_metrics.plot import gender_chart
        >>> fig = gender_chart(um.load("trainings"))
        >>> type(fig).__name__
        'Figure'
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][3:5]
        ['unknown sex (not stated)', 'unreconciled (parts short of the total)']
    """
    _require_matplotlib()
    import numpy as np
    from matplotlib.container import ErrorbarContainer
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    frame = _gender_frame(data, by)
    groups = _leading(frame, "female", skip=("period_start", "period_end"))
    n = len(frame)
    caption = _gender_caption(frame)
    fig, ax = _new_figure(width, 1.6 + 0.95 * max(n, 1))

    bar_h = 0.42
    ys = np.arange(n, dtype=float)
    rows = frame.to_dict("records")
    # A bar is drawn only where every count is known: a censored count (GLOTIP's "<5") has
    # bounds and no value, and its group is written out instead.
    known = [all(_plain(r[c]) is not None for c in (*SEX_CATEGORIES, "total")) for r in rows]
    counts = {
        c: [_number(r[c]) if ok else 0.0 for r, ok in zip(rows, known, strict=True)]
        for c in SEX_CATEGORIES
    }
    totals = [_number(r["total"]) if ok else 0.0 for r, ok in zip(rows, known, strict=True)]
    shares = {
        c: [(x / t if t else 0.0) for x, t in zip(counts[c], totals, strict=True)]
        for c in SEX_CATEGORIES
    }
    left = np.zeros(n)
    segments: list[Any] = []  # the legend's patches: a bar's own patch may be hidden
    for cat in SEX_CATEGORIES:
        widths = np.array(shares[cat])
        if cat == "unreconciled":
            style: dict[str, Any] = {
                "facecolor": "white",
                "edgecolor": COLOURS[cat],
                "hatch": "////",
                "linewidth": 0.8,
            }
        else:
            style = {"facecolor": COLOURS[cat], "edgecolor": "white", "linewidth": 0.6}
        drawn = ax.barh(ys, widths, left=left, height=bar_h, label=_LEGEND_LABELS[cat], **style)
        for patch in drawn.patches:
            patch.set_visible(patch.get_width() > 0)  # an empty segment would leave its edge
        segments.append(Patch(label=_LEGEND_LABELS[cat], **style))
        left = left + widths

    bracket_drawn = False
    for i, row in enumerate(rows):
        y, total = float(ys[i]), totals[i]
        if not known[i]:
            ax.text(0.01, y, _censored_text(row), va="center", fontsize=8, color="#333333")
        elif not total:
            ax.text(0.01, y, "nothing summed", va="center", fontsize=9, color="dimgray")
            continue
        else:
            _label_segments(ax, y, bar_h, {c: counts[c][i] for c in SEX_CATEGORIES}, total)
        low = _number(row.get("female_share_low"), None)
        high = _number(row.get("female_share_high"), None)
        if low is not None and high is not None and high - low > 1e-9:
            y_br = y - bar_h / 2 - 0.13
            ax.errorbar(
                [(low + high) / 2],
                [y_br],
                xerr=[[(high - low) / 2], [(high - low) / 2]],
                fmt="none",
                ecolor="black",
                elinewidth=1.2,
                capsize=4,
                label=None if bracket_drawn else "possible share of women (bounds)",
            )
            bracket_drawn = True
            text = f"women: {_percent(low, high)}"
            if high <= 0.78:
                ax.text(high + 0.012, y_br, text, va="center", fontsize=8)
            else:
                ax.text(low - 0.012, y_br, text, va="center", ha="right", fontsize=8)

    ax.set_yticks(ys, [_group_label(row, groups) for row in rows])
    ax.set_ylim(n - 0.35, -0.75)  # the first group on top
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of the group's reported total")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    bracket = [c for c in ax.containers if isinstance(c, ErrorbarContainer)][:1]
    handles: list[Any] = [*segments, *bracket]
    labels = [str(h.get_label()) for h in handles]
    if not bracket_drawn and "female_share_low" in frame.columns:
        # Say so where the reader looks for the bracket.
        handles.append(Patch(visible=False))
        labels.append("no bracket: the share of women is certain")
    _legend(fig, ax, handles, labels)
    fig.suptitle(title or "Persons trained, by sex", fontsize=12, fontweight="bold")
    _caption(fig, caption, width)
    return fig


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
    ``total_low`` to ``total_high``. Where it has no upper bound ("at least", "more than",
    "over"), a dashed arrow rises from ``total_low``. Totals whose period spans years
    (``years`` such as ``"2020-2022"``) are drawn after the years, hatched: they are never
    split between years. A caption lists the rows that no year holds (figures "to date",
    stocks, rows without a known period) and the rows not summed (parts of another row).

    Args:
        data: Either the output of :func:`unodc_metrics.totals_by_year`, or a frame in the
            shape of a figure table, which is summed here with
            ``totals_by_year(data, table=table, by=by)``. pandas or polars.
        table: The table's name, needed (only) when ``data`` is a table.
        by: Further grouping columns, only for a table.
        title: The chart's title; by default one naming what is counted.
        width: The figure's width in inches.

    Returns:
        The figure, with one axes. The legend names each group and what the interval, the
        arrow and the hatching mean, where they appear; the caption lists what was left out.

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If ``data`` is neither an output of ``totals_by_year`` nor a table; if a
            table comes without ``table``, or ``table`` or ``by`` with an output; or as
            :func:`unodc_metrics.totals_by_year` raises it.
        ValidationError: If a table does not validate against the schema of ``table``.

    Examples:
        >>> import unodc_metrics as um
        >>> from unodc_metrics.plot import totals_chart
        >>> fig = totals_chart(um.load("rescues"), table="rescues")
        >>> type(fig).__name__
        'Figure'
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['2020', '2021']
    """
    _require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frame = _totals_frame(data, table, by)
    keys = _leading(frame, "year")
    varying = [k for k in keys if frame[k].nunique(dropna=False) > 1]
    constant = [k for k in keys if k not in varying]
    placed = frame[frame["years"].notna()]

    series: list[tuple[Any, ...]] = list(
        dict.fromkeys(tuple(_plain(r[k]) for k in varying) for r in placed.to_dict("records"))
    )
    single_years = sorted({str(v) for v in placed.loc[placed["year"].notna(), "years"]})
    spans = sorted({str(v) for v in placed.loc[placed["year"].isna(), "years"]})
    columns = [*single_years, *spans]
    slot = {name: i for i, name in enumerate(columns)}

    what = ", ".join(_words(frame[k].iloc[0]) for k in constant if k == "measure") or "total"
    fig, ax = _new_figure(width, 5.2)
    n_series = max(len(series), 1)
    bar_w = 0.8 / n_series
    marks: dict[str, bool] = {"range": False, "open": False, "span": False}
    labelled: set[int] = set()
    # Each bar's x, the top of its bar or interval, its lower bound if open-ended, its label.
    tops: list[tuple[float, float, float | None, str]] = []
    for rec in placed.to_dict("records"):
        s = series.index(tuple(_plain(rec[k]) for k in varying))
        x = slot[str(rec["years"])] - 0.4 + bar_w * (s + 0.5)
        colour = _SERIES_COLOURS[s % len(_SERIES_COLOURS)]
        is_span = _plain(rec["year"]) is None
        marks["span"] |= is_span
        total = _number(rec["total"], None)
        if total is None:
            ax.text(x, 0, "none\nsummed", ha="center", va="bottom", fontsize=8, color="dimgray")
            continue
        ax.bar(
            [x],
            [total],
            width=bar_w * 0.92,
            color=colour,
            alpha=0.55 if is_span else 1.0,
            hatch="//" if is_span else None,
            edgecolor=colour if is_span else "white",
            label=None if s in labelled else _series_label(series[s], varying, what),
        )
        labelled.add(s)
        low = _number(rec["total_low"], total)
        high = _number(rec["total_high"], None)
        top = max(total, low)
        if high is None:
            marks["open"] = True
        elif high > low:
            marks["range"] = True
            ax.errorbar([x], [low], yerr=[[0], [high - low]], fmt="none", ecolor="black", capsize=5)
            top = max(top, high)
        tops.append((x, top, low if high is None else None, _bar_label(total, low, high)))

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

    ticks = [*single_years, *(f"{s}\n(spans years)" for s in spans)]
    ax.set_xticks(range(len(columns)), ticks)
    ax.set_xlim(-0.6, max(len(columns), 1) - 0.4)
    ax.set_ylabel(what)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    handles, labels = ax.get_legend_handles_labels()
    if marks["range"]:
        handles.append(Line2D([], [], color="black", marker="_", markersize=10, linestyle="-"))
        labels.append("possible range (bounds)")
    if marks["open"]:
        handles.append(Line2D([], [], color="black", linestyle="--", marker="^", markersize=6))
        labels.append("no upper bound: at least the lower bound")
    if marks["span"]:
        handles.append(Patch(facecolor="white", edgecolor="dimgray", hatch="//"))
        labels.append("period spans years: not split")
    _legend(fig, ax, handles, labels)
    default = f"{what[:1].upper()}{what[1:]} per year" if what != "total" else "Totals per year"
    if constant and "status" in constant:
        default = f"{_words(frame['status'].iloc[0]).capitalize()} {what}, per year"
    fig.suptitle(title or default, fontsize=12, fontweight="bold")
    gaps = len(columns) * len(series) > len(tops)
    _caption(fig, _totals_caption(frame, spans, gaps), width)
    return fig


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc


def _as_pandas(data: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    import narwhals as nw

    try:
        out: pd.DataFrame = nw.from_native(data, eager_only=True).to_pandas()
        return out
    except TypeError as exc:
        raise ValueError(
            f"expected a pandas or a polars DataFrame; got {type(data).__name__}"
        ) from exc


def _leading(frame: pd.DataFrame, first: str, skip: Sequence[str] = ()) -> list[str]:
    """The grouping columns of an aggregation's output: those before its first own column."""
    names = [str(c) for c in frame.columns]
    return [c for c in names[: names.index(first)] if c not in skip]


def _columns(data: Any) -> set[str]:
    return {str(c) for c in getattr(data, "columns", ())}


def _gender_frame(data: Any, by: str | Sequence[str] | None) -> pd.DataFrame:
    from unodc_metrics._aggregate import gender_breakdown, trainees_per_initiative

    columns = _columns(data)
    if columns >= _TRAININGS_COLUMNS:
        if by is None:
            return _as_pandas(trainees_per_initiative(data, unknown="bounds"))
        return _as_pandas(gender_breakdown(data, by=by, unknown="bounds"))
    if {*SEX_CATEGORIES, "total"} <= columns:
        if by is not None:
            raise ValueError(
                "by groups the rows of a table; this frame is already a breakdown, grouped "
                "by its own columns"
            )
        return _as_pandas(data)
    raise ValueError(
        "gender_chart needs the output of gender_breakdown or trainees_per_initiative "
        f"(columns {', '.join((*SEX_CATEGORIES, 'total'))}) or a frame in the shape of the "
        f"trainings table; got the columns: {', '.join(sorted(columns)) or '(none)'}"
    )


def _totals_frame(data: Any, table: str | None, by: str | Sequence[str] | None) -> pd.DataFrame:
    from unodc_metrics._aggregate import totals_by_year

    columns = _columns(data)
    if columns >= _TABLE_COLUMNS:
        if table is None:
            raise ValueError(
                "this frame is a table: name it, e.g. totals_chart(df, table='rescues'), so "
                "that it is checked against the right schema"
            )
        return _as_pandas(totals_by_year(data, table=table, by=by))
    if columns >= _TOTALS_OUTPUT:
        if table is not None or by is not None:
            raise ValueError(
                "table and by apply to a table; this frame is already an output of totals_by_year"
            )
        return _as_pandas(data)
    raise ValueError(
        "totals_chart needs the output of totals_by_year (columns "
        f"{', '.join(sorted(_TOTALS_OUTPUT))}) or a frame in the shape of a figure table; "
        f"got the columns: {', '.join(sorted(columns)) or '(none)'}"
    )


# --------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------


def _new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _caption(fig: Figure, lines: list[str], width: float) -> None:
    """Wrapped notes under the chart, as the figure's x label so the layout leaves room."""
    if not lines:
        return
    chars = max(int(width * 15), 40)
    text = "\n".join(textwrap.fill(line, chars) for line in lines)
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#333333")


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
                _count_text(count),
                ha="center",
                va="center",
                fontsize=8,
                color=_TEXT_ON[cat],
            )
        elif count > 0:
            label = "unknown sex" if cat == "unknown" else cat
            x_text = min(max(left + share / 2, 0.08), 0.92)
            ax.annotate(
                f"{label}: {_count_text(count)}",
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
        value = _plain(row.get(cat))
        low, high = _plain(row.get(f"{cat}_low")), _plain(row.get(f"{cat}_high"))
        if value is not None:
            parts.append(f"{cat} {float(value):,.0f}")
        elif low is not None and high is not None:
            parts.append(f"{cat} {float(low):,.0f} to {float(high):,.0f}")
        else:
            parts.append(f"{cat} not known")
    return "no bar, counts censored: " + ", ".join(parts)


def _percent(low: float, high: float) -> str:
    """Two shares as percentages, with a decimal where whole numbers would look equal."""
    digits = 0 if round(low * 100) != round(high * 100) else 1
    return f"{low:.{digits}%} to {high:.{digits}%}"


def _legend(fig: Figure, ax: Axes, handles: list[Any], labels: list[str]) -> None:
    """The legend above the chart, under the title, where it hides no bar or label."""
    if not handles:
        return
    del fig  # the layout makes room for an axes' legend, not for a figure's beside a title
    ax.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.02),
        ncol=3,
        fontsize=8,
        frameon=False,
    )


def _count_text(count: float) -> str:
    return f"{count:,.0f}" if float(count).is_integer() else f"~{count:,.0f}"


def _bar_label(total: float, low: float, high: float | None) -> str:
    if high is None:
        return f"{total:,.0f}\n(at least {low:,.0f})" if low != total else f"at least {low:,.0f}"
    if high > low:
        return f"{total:,.0f}\n({low:,.0f} to {high:,.0f})"
    return f"{total:,.0f}"


# --------------------------------------------------------------------------------------
# Labels and captions
# --------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as a plain value; None for any kind of missing value."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):  # pandas.NA refuses to be a truth value
        return None
    return value


def _number(value: Any, default: float | None = 0.0) -> Any:
    plain = _plain(value)
    return default if plain is None else float(plain)


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _period_words(row: Mapping[Any, Any]) -> str:
    """A period figure's span, from its coverage: "2021", "Oct 2020 to Jul 2022"."""
    start, end = _plain(row.get("period_start")), _plain(row.get("period_end"))
    if start is None and end is None:
        return "period not known"
    if start is None:
        return f"until {end:%b %Y}"
    if end is None:
        return f"from {start:%b %Y}"
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    return f"{start:%b %Y} to {end:%b %Y}"


def _group_label(row: Mapping[Any, Any], groups: list[str]) -> str:
    parts = []
    for col in groups:
        value = _plain(row.get(col))
        if col == "basis":
            if value == "period":
                parts.append(_period_words(row))
            else:
                parts.append(_BASIS_WORDS.get(str(value), str(value)))
        elif value is None:
            parts.append(f"no {_words(col)}")
        else:
            parts.append(_words(value))
    name = ", ".join(parts) if parts else "all rows"
    total = _number(row.get("total"), None)
    low, high = _number(row.get("total_low"), None), _number(row.get("total_high"), None)
    if total is None:
        if low is None or high is None:
            return name
        return f"{name}\nn = {low:,.0f} to {high:,.0f}"
    qualifier = _plain(row.get("qualifier"))
    size = f"n = {total:,.0f}" + ("" if qualifier in (None, "exact") else f" ({qualifier})")
    return f"{name}\n{size}"


def _series_label(values: tuple[Any, ...], varying: list[str], what: str) -> str:
    if not varying:
        return what
    return ", ".join("none" if v is None else _words(v) for v in values)


_EXCLUDED_ITEM = re.compile(r"(?P<id>[^;()]+?) \((?P<reason>[^)]*(?:\([^)]*\)[^)]*)*)\)")


def _excluded_items(text: Any) -> list[tuple[str, str]]:
    """The (id, reason) pairs of an ``excluded`` cell: "ID (reason); ID (reason)"."""
    plain = _plain(text)
    if plain is None:
        return []
    return [(m["id"].strip(), m["reason"]) for m in _EXCLUDED_ITEM.finditer(str(plain))]


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


def _left_out(frame: pd.DataFrame) -> list[str]:
    by_reason: dict[str, list[str]] = {}
    for text in frame["excluded"]:
        for row_id, reason in _excluded_items(text):
            by_reason.setdefault(_short_reason(reason), []).append(row_id)
    return [f"Left out, {reason}: {', '.join(ids)}." for reason, ids in by_reason.items()]


def _gender_caption(frame: pd.DataFrame) -> list[str]:
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
    return lines + _left_out(frame)


def _totals_caption(frame: pd.DataFrame, spans: list[str], gaps: bool) -> list[str]:
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
    return lines + _left_out(frame)
