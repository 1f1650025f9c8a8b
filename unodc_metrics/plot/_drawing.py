"""What both charts draw alike: the figure, the legend above the chart, the caption under it.

matplotlib is imported inside each function, so that importing the charts stays cheap.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["INSTALL", "add_caption", "add_legend", "new_figure", "require_matplotlib"]

INSTALL = 'the charts need matplotlib: pip install "unodc-metrics[plot]"'
"""The message of the :class:`ImportError` raised where matplotlib is not installed."""


def require_matplotlib() -> None:
    """Check that matplotlib can be imported, before any work is done.

    Raises:
        ImportError: With :data:`INSTALL`, if matplotlib is not installed.

    Examples:
        >>> require_matplotlib()
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(INSTALL) from exc


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A white figure with one axes and its own Agg canvas, laid out by matplotlib.

    The figure is built without ``pyplot``, so that calls share no state.

    Examples:
        >>> fig, ax = new_figure(9.0, 5.2)
        >>> [float(x) for x in fig.get_size_inches()], fig.axes == [ax]
        ([9.0, 5.2], True)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def add_caption(fig: Figure, lines: list[str], width: float) -> None:
    """Wrapped notes under the chart, as the figure's x label so the layout leaves room.

    Each line is wrapped to the figure's ``width`` (in inches); no lines, no caption.

    Examples:
        >>> fig, _ = new_figure(4.0, 3.0)
        >>> add_caption(fig, ["A note.", "Another note."], 4.0)
        >>> fig.get_supxlabel()
        'A note.\\nAnother note.'
    """
    if not lines:
        return
    chars = max(int(width * 15), 40)
    text = "\n".join(textwrap.fill(line, chars) for line in lines)
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#333333")


def add_legend(ax: Axes, handles: list[Any], labels: list[str], width: float = 9.0) -> None:
    """The legend above the chart, under the title, where it hides no bar or label.

    It belongs to the axes, for which the layout makes room, not to the figure. It has a
    column per 3 inches of the figure's ``width``, up to 3, so that it is never wider than the
    figure. No handles, no legend.

    Examples:
        >>> from matplotlib.patches import Patch
        >>> _, ax = new_figure(4.0, 3.0)
        >>> add_legend(ax, [Patch(color="red")], ["red"])
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['red']
    """
    if not handles:
        return
    ax.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.02),
        ncol=max(1, min(3, int(width // 3))),
        fontsize=8,
        frameon=False,
    )
