"""The rules of the ``trainings`` table: its counts by sex, against the total and the share."""

from __future__ import annotations

import narwhals as nw

from unodc_metrics._rules._core import Lookups, Rule, le, yes
from unodc_metrics._rules.percent import ROUNDING, rounding

__all__ = ["FEMALE_BOUNDS", "SEXES_WITHIN_TOTAL"]

_PARTS_BY_SEX = ("female_low", "male", "other_sex", "unknown_sex")


def _sexes_fail(_: Lookups) -> nw.Expr:
    parts = nw.sum_horizontal(*(nw.col(c).fill_null(0) for c in _PARTS_BY_SEX))
    return ~le(parts, nw.col("value_high"))


SEXES_WITHIN_TOTAL = Rule(
    "sexes_within_total",
    ("value_high", *_PARTS_BY_SEX),
    "the parts by sex (female_low + male + other_sex + unknown_sex) must not exceed "
    "value_high; a shortfall is allowed",
    _sexes_fail,
)


def _female_bounds_fail(_: Lookups) -> nw.Expr:
    f, lo, hi = nw.col("female"), nw.col("female_low"), nw.col("female_high")
    derived = yes(nw.col("sex_split_derived"))
    pct = nw.col("female_percent")
    none = f.is_null() & lo.is_null() & hi.is_null() & ~derived
    stated = ~f.is_null() & ~derived & yes(lo == f) & yes(hi == f)
    contained = ~f.is_null() & yes(lo <= f) & yes(f <= hi) & ~pct.is_null()
    exact = yes(lo == nw.col(rounding("low"))) & yes(hi == nw.col(rounding("high")))
    matches = ~nw.col(rounding("whole")) | exact
    return ~(none | stated | (derived & contained & matches))


FEMALE_BOUNDS = Rule(
    "female_bounds",
    ("female", "female_low", "female_high", "female_percent", "sex_split_derived"),
    "female_low <= female <= female_high; a stated count has female_low = female = "
    "female_high; a derived count needs female_percent and, from a whole percentage, "
    "exactly the interval its rounding allows",
    _female_bounds_fail,
    ROUNDING,
)
