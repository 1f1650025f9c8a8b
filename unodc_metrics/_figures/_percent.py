"""Percentages: the share a row states, against its total and the count it describes.

The counts that a share allows are :func:`unodc_metrics._rules.rounding_interval`'s, the one
definition that validation uses too, evaluated here with narwhals on a small pandas frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import narwhals as nw

from unodc_metrics._figures._context import Context, Row
from unodc_metrics._figures._listing import PERCENT_SUFFIX, percent_columns
from unodc_metrics._figures.wording import number_text
from unodc_metrics._rules import rounding_interval

__all__ = ["PercentCheck", "allowed_counts", "percent_checks"]


def _decimals(value: float) -> int:
    """How many decimals a share is written with: 24.0 has none, 37.16 two."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def allowed_counts(shares: list[tuple[int, float]]) -> list[tuple[int, int]]:
    """For each (total, percent), the lowest and highest whole count whose share rounds to it.

    The interval is empty (low > high) when no whole count of the total gives that share.

    Examples:
        >>> allowed_counts([(62, 24.0), (10, 24.0), (1488, 37.2)])
        [(15, 15), (3, 2), (553, 554)]
        >>> allowed_counts([])
        []
    """
    if not shares:
        return []
    import pandas as pd

    scales = [10 ** _decimals(percent) for _, percent in shares]
    native = pd.DataFrame(
        {
            "n": [total for total, _ in shares],
            "p": [int(Decimal(str(pct)) * s) for (_, pct), s in zip(shares, scales, strict=True)],
            "scale": scales,
        },
        dtype="int64",
    )
    low, high = rounding_interval(nw.col("n"), nw.col("p"), nw.col("scale"))
    frame = nw.from_native(native, eager_only=True)
    bounds = frame.select(low.alias("low"), high.alias("high"))
    return [(int(lo), int(hi)) for lo, hi in bounds.rows()]


def _percent_of(count: int, total: int, decimals: int) -> float:
    """The share ``100 count / total``, rounded half up to ``decimals`` decimals."""
    exact = Decimal(100 * count) / Decimal(total)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PercentCheck:
    """A share that a row states, with its total, its count, and the counts it allows."""

    table: str
    row: Row
    column: str
    percent: float
    count: int | None
    count_low: int | None
    count_high: int | None
    derived: bool
    total: int
    interval: tuple[int, int]

    @property
    def computed(self) -> float | None:
        """The share that the count gives of the total, rounded as the share is written."""
        if self.count is None or self.total == 0:
            return None
        return _percent_of(self.count, self.total, _decimals(self.percent))

    def consistent(self) -> bool:
        """Whether some whole count gives the share, and the count (or its bounds) is one."""
        low, high = self.interval
        if low > high:
            return False
        if self.count is None:
            return True
        c_low = self.count if self.count_low is None else self.count_low
        c_high = self.count if self.count_high is None else self.count_high
        return c_low <= high and low <= c_high and low <= self.count <= high

    def describe(self) -> str:
        """The counts that the share allows, in words, and the count the row gives."""
        low, high = self.interval
        of = self.column.removesuffix(PERCENT_SUFFIX)
        pct = f"{number_text(self.percent)} per cent"
        if low > high:
            return f"no whole number of the {self.total:,} is {pct}"
        allowed = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        stated = "derived" if self.derived else "stated"
        count = "no count" if self.count is None else f"{self.count:,} ({stated})"
        verb = "allows" if self.consistent() else "allows only"
        return f"{pct} of {self.total:,} {verb} {allowed} {of}; {of}: {count}"


def _shares(ctx: Context) -> list[tuple[str, Row, str]]:
    """Each (table, row, column) of a share of an exact total."""
    out: list[tuple[str, Row, str]] = []
    for table, row in ctx.figure_rows():
        if row.get("value") is None or row.get("value_low") != row.get("value_high"):
            continue  # a share of an open or approximate total cannot be checked
        out.extend((table, row, column) for column in percent_columns(row))
    return out


def percent_checks(ctx: Context) -> list[PercentCheck]:
    """Every share of an exact total that the tables state, in table and row order."""
    shares = _shares(ctx)
    intervals = allowed_counts([(int(r["value"]), float(r[c])) for _, r, c in shares])
    out: list[PercentCheck] = []
    for (table, row, column), interval in zip(shares, intervals, strict=True):
        of = column.removesuffix(PERCENT_SUFFIX)
        count = row.get(of)
        out.append(
            PercentCheck(
                table=table,
                row=row,
                column=column,
                percent=float(row[column]),
                count=None if count is None else int(count),
                count_low=row.get(f"{of}_low"),
                count_high=row.get(f"{of}_high"),
                derived=bool(row.get("sex_split_derived")) if of == "female" else False,
                total=int(row["value"]),
                interval=interval,
            )
        )
    return out
