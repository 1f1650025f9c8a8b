"""Parts and wholes: the splits of a whole into parts that the tables record.

A whole is split by sex (the counts by sex of its row) or by a ``breakdown`` of the rows
nested in it (``part_of``). Two or more parts are read as a complete split, which must add up
to the whole within its bounds; a single part ("including 7 children") as a subset, which
must only not exceed it. A complete split gives each of its parts too: the whole less the
other parts (:meth:`Split.remainder`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from unodc_metrics._catalogue import FIGURE_TABLES
from unodc_metrics._figures._context import Context, Row
from unodc_metrics._figures._listing import SEX_COLUMNS
from unodc_metrics._figures.wording import range_text, stated

__all__ = ["Part", "Split", "splits"]


@dataclass(frozen=True)
class Part:
    """One part of a whole: the figure that states it, its value, and the bounds it allows."""

    figure_id: str
    value: int
    low: int
    high: int | None


@dataclass(frozen=True)
class Split:
    """The parts of a whole along one dimension (sex, or a ``breakdown`` of nested rows)."""

    table: str
    whole: Row
    by: str
    parts: tuple[Part, ...]

    @property
    def complete(self) -> bool:
        """Two or more parts are read as a complete split of their whole ("40 ... and 23");
        a single part ("including 7 children") as a subset, which must only not exceed it."""
        return len(self.parts) >= 2

    @property
    def stated_sum(self) -> int:
        """The sum of the parts as stated."""
        return sum(p.value for p in self.parts)

    @property
    def low(self) -> int:
        """The least that the parts can add up to."""
        return sum(p.low for p in self.parts)

    @property
    def high(self) -> int | None:
        """The most that the parts can add up to; None when a part is unbounded."""
        highs = [p.high for p in self.parts]
        return None if any(h is None for h in highs) else sum(h for h in highs if h is not None)

    def verdict(self) -> str | None:
        """``parts_short_of_total``, ``parts_exceed_total`` or None when they agree."""
        w_low, w_high = self.whole["value_low"], self.whole["value_high"]
        if w_high is not None and self.low > w_high:
            return "parts_exceed_total"
        high = self.high
        if self.complete and high is not None and high < w_low:
            return "parts_short_of_total"
        return None

    def describe(self) -> str:
        """The sum in words, and how it compares with the stated whole."""
        terms = " + ".join(f"{p.value:,}" for p in self.parts)
        whole = stated(self.whole["qualifier"], self.whole["value"])
        total = f"{terms} = {self.stated_sum:,}" if self.complete else f"{terms}"
        verdict = self.verdict()
        if verdict == "parts_short_of_total":
            gap = self.whole["value_low"] - (self.high or 0)
            return f"by {self.by}: {total}, {gap:,} short of the stated total of {whole}"
        if verdict == "parts_exceed_total":
            gap = self.low - (self.whole["value_high"] or 0)
            noun = "parts add" if self.complete else "part is"
            return f"by {self.by}: {total}; the {noun} {gap:,} more than the stated {whole}"
        return f"by {self.by}: {total}, as stated ({whole})"

    def others(self, figure_id: str) -> tuple[Part, ...]:
        """The parts other than the one that the figure ``figure_id`` states."""
        return tuple(p for p in self.parts if p.figure_id != figure_id)

    def remainder(self, figure_id: str) -> tuple[int | None, int | None]:
        """What the whole less the other parts leaves for one part: its least and its most.

        None is an open end: no least when another part is open ("more than 35"), no most
        when the whole is. A complete split's verdict is None exactly when the part's own
        bounds meet these.
        """
        others = self.others(figure_id)
        highs = [p.high for p in others]
        w_low, w_high = self.whole["value_low"], self.whole["value_high"]
        low = None if None in highs else w_low - sum(h for h in highs if h is not None)
        high = None if w_high is None else w_high - sum(p.low for p in others)
        return low, high

    def describe_remainder(self, figure_id: str, part: str) -> str:
        """The whole less the other parts in words, against the part as stated (``part``)."""
        others = self.others(figure_id)
        low, high = self.remainder(figure_id)
        terms = " - ".join([f"{self.whole['value']:,}", *(f"{p.value:,}" for p in others)])
        ids = ", ".join(p.figure_id for p in others)
        head = f"{self.whole['id']} by {self.by} less the other parts ({ids})"
        if low is not None and low == high:
            shown = f"{terms} = {low:,}"
        else:
            shown = f"{terms}: {range_text(low, high)}"
        if self.verdict() is not None:
            return f"{head}: {shown}, not the stated {part}; {self.describe()}"
        if low is not None and low == high:
            return f"{head}: {shown}, as stated ({part})"
        return f"{head}: {shown}, which leaves room for the stated {part} but does not give it"

    def describe_subset(self, part: str) -> str:
        """A single part against its whole, which bounds it but does not give it."""
        whole = stated(self.whole["qualifier"], self.whole["value"])
        head = f"part of {self.whole['id']} by {self.by}"
        if self.verdict() is not None:
            return f"{head}: {self.describe()}"
        if self.whole["value_high"] is None:
            return f"{head}: the whole, {whole}, has no upper bound, so it does not bound {part}"
        return f"{head}: {part} is at most the whole, {whole}, which bounds the part"


def _sex_parts(row: Row) -> list[Part]:
    """The counts by sex of a row; a count of women derived from a share keeps its bounds."""
    parts: list[Part] = []
    for column in SEX_COLUMNS:
        count = row.get(column)
        if count is None:
            continue
        if column == "female" and row.get("sex_split_derived"):
            low, high = row.get("female_low"), row.get("female_high")
            parts.append(
                Part(
                    f"{row['id']}.female_percent",
                    int(count),
                    int(count if low is None else low),
                    int(count if high is None else high),
                )
            )
        else:
            parts.append(Part(f"{row['id']}.{column}", int(count), int(count), int(count)))
    return parts


def _nested_splits(ctx: Context, table: str) -> Iterator[Split]:
    """The rows of ``table`` nested in a whole of the same table, per breakdown."""
    rows = ctx.rows(table)
    by_id = {r["id"]: r for r in rows}
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.get("part_of") is not None:
            key = (str(row["part_of"]), str(row.get("breakdown") or "parts"))
            groups.setdefault(key, []).append(row)
    for (whole_id, by), members in groups.items():
        whole = by_id.get(whole_id)
        if whole is None:
            continue
        parts = [Part(r["id"], r["value"], r["value_low"], r["value_high"]) for r in members]
        yield Split(table, whole, by, tuple(parts))


def splits(ctx: Context) -> list[Split]:
    """Every split of a whole into parts that the tables record: by sex, then nested rows."""
    out: list[Split] = []
    for table, row in ctx.figure_rows():
        parts = _sex_parts(row)
        if parts:
            out.append(Split(table, row, "sex", tuple(parts)))
    for table in FIGURE_TABLES:
        out.extend(_nested_splits(ctx, table))
    return out
