"""The bars of the gender chart, as numbers: what each row of a breakdown lets a bar show.

A row is one of three kinds of bar:

- ``exact``: its total is one number. The bar is that total, and its segments are the counts
  that are known as numbers; a count that no row states is not drawn (it is not 0). Persons
  whose sex is known only as a range (a censored count, ``<5``) are one segment of their own
  (``rest``). Where the parts exceed the total (GLOTIP's parts do not always add up), the bar
  is drawn to the parts, and ``excess`` says by how much.
- ``range``: its total is a range (rows that may count the same persons, censored totals,
  qualified figures). The bar is drawn to its largest total, ``high``: solid up to its least
  total, ``low``, hatched from there. Its counts by sex are written out, not drawn.
- ``empty``: a total of 0 ("nothing summed"), or none at all.

Pure Python, without matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from unodc_metrics.plot._text import number, plain

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SEX_CATEGORIES", "Bar", "bar_of", "bars_of"]

SEX_CATEGORIES: tuple[str, ...] = ("female", "male", "other", "unknown", "unreconciled")
"""The segments of a bar of :func:`gender_chart`, in the order they are stacked."""


@dataclass(frozen=True)
class Bar:
    """One row of a breakdown, as a bar."""

    row: dict[Any, Any]
    kind: str
    """``exact``, ``range`` or ``empty``."""
    scale: float = 0.0
    """The persons that the whole bar stands for: the total, the parts where they exceed
    it, or the largest total of a range (its least total, where it has no upper bound)."""
    counts: dict[str, float] = field(default_factory=dict)
    """The counts drawn as segments (``exact`` only): those known as numbers, above 0."""
    rest: float = 0.0
    """Persons of an ``exact`` total whose sex is only bounded: a segment of their own."""
    excess: float = 0.0
    """By how much the parts of an ``exact`` bar exceed its total."""
    total: float | None = None
    low: float | None = None
    high: float | None = None
    """The total and its bounds; ``high`` is None where it has no upper bound."""
    unsplit: bool = False
    """No count of women, men or other sex is stated or bounded: no split by sex."""

    def share(self, cat: str) -> float:
        """A segment's share of the bar; 0 where it is not drawn."""
        return self.counts.get(cat, 0.0) / self.scale if self.scale else 0.0

    def status(self, cat: str) -> Any:
        """How sure a segment's count is: ``stated``, ``derived``, ``estimated``, ..."""
        return plain(self.row.get(f"{cat}_status"))


def _bounds(row: Mapping[Any, Any]) -> tuple[float | None, float | None, float | None]:
    total = number(row.get("total"), None)
    low = number(row.get("total_low"), total) if "total_low" in row else total
    high = number(row.get("total_high"), None) if "total_high" in row else total
    return total, low, high


def _unsplit(row: Mapping[Any, Any]) -> bool:
    return all(
        plain(row.get(c)) is None and plain(row.get(f"{c}_low")) is None
        for c in ("female", "male", "other")
    )


def bar_of(row: dict[Any, Any]) -> Bar:
    """The bar of one row of a breakdown.

    Examples:
        >>> row = {"female": 15, "male": None, "other": None, "unknown": 47,
        ...        "unreconciled": 0, "total": 62}
        >>> bar = bar_of(row)
        >>> bar.kind, bar.counts, round(bar.share("female"), 3)
        ('exact', {'female': 15.0, 'unknown': 47.0}, 0.242)
        >>> censored = {"female": 17, "male": None, "unknown": None, "unreconciled": None,
        ...             "total": 22, "total_low": 22, "total_high": 22}
        >>> bar_of(censored).rest
        5.0
        >>> ranged = bar_of({"total": None, "total_low": 2836, "total_high": 2898})
        >>> ranged.kind, ranged.scale
        ('range', 2898.0)
        >>> bar_of({"female": 0, "total": 0}).kind, bar_of({"total": None}).kind
        ('empty', 'empty')
    """
    total, low, high = _bounds(row)
    unsplit = _unsplit(row)
    if total is None and low is None:
        return Bar(row, "empty", unsplit=unsplit)
    if total is None or low != total or high != total:
        scale = high if high is not None else float(low or 0.0)
        return Bar(row, "range", scale, total=total, low=low, high=high, unsplit=unsplit)
    if not total:
        return Bar(row, "empty", total=total, low=low, high=high, unsplit=unsplit)
    # A negative count (unreconciled, where GLOTIP's parts exceed its total) is not drawn.
    counts: dict[str, float] = {}
    for cat in SEX_CATEGORIES:
        value = number(row.get(cat), None)
        if value is not None and value > 0:
            counts[cat] = value
    rest = total - sum(counts.values())
    return Bar(
        row,
        "exact",
        max(total, sum(counts.values())),
        counts,
        rest=max(rest, 0.0),
        excess=max(-rest, 0.0),
        total=total,
        low=low,
        high=high,
        unsplit=unsplit,
    )


def bars_of(frame: pd.DataFrame) -> list[Bar]:
    """The bars of a breakdown, top to bottom.

    Examples:
        >>> import pandas as pd
        >>> [b.kind for b in bars_of(pd.DataFrame({"female": [3, 0], "total": [4, 0]}))]
        ['exact', 'empty']
    """
    return [bar_of(r) for r in frame.to_dict("records")]
