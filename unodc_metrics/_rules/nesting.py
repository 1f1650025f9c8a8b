"""The rules across rows: each part refers to a whole of the same table, and fits within it.

They read the columns that :data:`NESTING` adds to every row: how many rows have the id of
its whole (none where ``part_of`` names no row), the largest ``value_high`` among them,
whether any of them has no upper bound, and the sum of ``value_low`` over the parts of the
same whole and breakdown. The wholes are looked up only among the ids that some part names,
so that grouping the wholes costs as many parts as there are.

Where an id repeats (itself a failure of the id's uniqueness), a part is compared with the
largest ``value_high`` among the rows of that id, with no bound if any of them has none, and
:data:`BREAKDOWN_REFINES_WHOLE` does not judge it.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from unodc_metrics._base.vocabulary import BREAKDOWNS
from unodc_metrics._rules._core import Lookups, Preparation, Rule, le, narrowed, yes

__all__ = [
    "BREAKDOWN_REFINES_WHOLE",
    "NESTING",
    "PARTS_WITHIN_WHOLE",
    "PART_OF_EXISTS",
    "PART_WITHIN_WHOLE",
]

_WHOLE = "__whole"
_PARTS = "__parts"
_KEY = "__breakdown"
_NONE = "\x00none"
_CARRIED = ("status", *BREAKDOWNS)
"""The columns of its whole that a part of ``rescues`` is compared with."""
_READS = ("id", "part_of", "value_low", "value_high")
_OPTIONAL = ("breakdown", *_CARRIED)


def _whole(column: str) -> str:
    return f"{_WHOLE}_{column}"


def _nest(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    names = frame.collect_schema().names()
    carried = [c for c in _CARRIED if c in names] if "breakdown" in names else []
    key = nw.col("breakdown").fill_null(_NONE) if carried else nw.lit(_NONE)
    narrow = narrowed(frame, (*_READS, *_OPTIONAL))
    parts = narrow.filter(~nw.col("part_of").is_null()).with_columns(key.alias(_KEY))
    # A group_by, not unique(): DuckDB runs narwhals' unique() as a window over every row.
    referenced = parts.group_by("part_of").agg(nw.len()).select(nw.col("part_of").alias("__id"))
    open_ = nw.col("value_high").is_null().cast(nw.Int64)
    wholes = (
        narrow.select("id", "value_high", *carried)
        .join(referenced, left_on="id", right_on="__id", how="inner")
        .with_columns(open_.alias("__open"))
        # Only plain aggregations: narwhals runs anything else group by group on pandas.
        .group_by("id")
        .agg(
            nw.len().alias(_whole("n")),
            nw.col("value_high").max().alias(_whole("high")),
            nw.col("__open").sum().alias(_whole("open")),
            *(nw.col(c).min().alias(_whole(c)) for c in carried),
        )
        .rename({"id": "__id"})
    )
    sums = parts.group_by("part_of", _KEY).agg(nw.col("value_low").sum().alias(_PARTS))
    found = sums.join(wholes, left_on="part_of", right_on="__id", how="left")
    # Every row is kept, in one join; a row that is no part finds no whole and no sum, so its
    # added columns are missing (the null of each engine's own dtype).
    return frame.with_columns(key.alias(_KEY)).join(found, on=["part_of", _KEY], how="left")


NESTING = Preparation("nesting", _READS, _nest, _OPTIONAL)
"""Adds to each row its whole's count of rows, largest ``value_high`` and open bounds, the
sums of its breakdown's parts, and (in ``rescues``) the whole's status and dimensions."""


def _unbounded() -> nw.Expr:
    """No bound where the whole has none, or where a repeated id has one row without."""
    return nw.col(_whole("high")).is_null() | yes(nw.col(_whole("open")) > 0)


def _part_of_fails(_: Lookups) -> nw.Expr:
    part_of, found = nw.col("part_of"), ~nw.col(_whole("n")).is_null()
    return ~(part_of.is_null() | (found & yes(part_of != nw.col("id"))))


PART_OF_EXISTS = Rule(
    "part_of_exists",
    ("part_of",),
    "part_of must be the id of another row of the same table",
    _part_of_fails,
    NESTING,
)

PART_WITHIN_WHOLE = Rule(
    "part_within_whole",
    ("part_of", "value_low"),
    "a part must not exceed its whole: value_low of a row must not exceed the value_high of "
    "the row it is part_of",
    lambda _: ~(_unbounded() | le(nw.col("value_low"), nw.col(_whole("high")))),
    NESTING,
)

PARTS_WITHIN_WHOLE = Rule(
    "parts_within_whole",
    ("part_of", "value_low"),
    "the parts of one breakdown must not add up to more than their whole",
    lambda _: (
        ~(nw.col("part_of").is_null() | _unbounded() | le(nw.col(_PARTS), nw.col(_whole("high"))))
    ),
    NESTING,
)


def _breakdown_fails(_: Lookups) -> nw.Expr:
    has_whole = ~nw.col("part_of").is_null()
    breakdown = nw.col("breakdown")
    ok = (has_whole & ~breakdown.is_null()) | (~has_whole & breakdown.is_null())
    # A whole whose id repeats is ambiguous: it is not judged (the repeat is reported).
    exempt = ~has_whole | yes(nw.col(_whole("n")) > 1)
    ok = ok & (exempt | yes(nw.col("status") == nw.col(_whole("status"))))
    for dim in BREAKDOWNS:
        part, whole = nw.col(dim), nw.col(_whole(dim))
        split_here = yes(breakdown == dim)
        refines = yes(whole == "all") & yes(part != "all")
        kept = yes(part == whole) | yes(whole == "all")
        ok = ok & (exempt | (split_here & refines) | (~split_here & kept))
    return ~ok


BREAKDOWN_REFINES_WHOLE = Rule(
    "breakdown_refines_whole",
    ("part_of", "breakdown", "status", "sex", "age", "exploitation"),
    "a part must name its breakdown, differ from its whole only by refining 'all', and share "
    "its status; breakdown is set exactly when part_of is",
    _breakdown_fails,
    NESTING,
)
