"""The rules that every table of the report's figures shares, across the columns of a row."""

from __future__ import annotations

import narwhals as nw

from unodc_metrics._base.vocabulary import FLAGS, INFERABLE
from unodc_metrics._rules._core import Lookups, Rule, le, list_pattern, missing_or_in, one_of, yes

__all__ = [
    "BOUNDS_FOLLOW_QUALIFIER",
    "COUNTRY_IS_ISO3166",
    "FLAGS_KNOWN",
    "INFERENCE_EXPLAINED",
    "INITIATIVE_KNOWN",
    "MEASURE_KNOWN",
    "PERIOD_IN_ORDER",
    "PERIOD_MATCHES_KIND",
]


def _bounds_fail(_: Lookups) -> nw.Expr:
    q, v = nw.col("qualifier"), nw.col("value")
    lo, hi = nw.col("value_low"), nw.col("value_high")
    exact = yes(lo == v) & yes(hi == v)
    at_least = yes(lo == v) & hi.is_null()
    above = yes(lo == v + 1) & hi.is_null()
    approx = yes(lo <= v) & yes(v <= hi)
    ok = (
        (yes(q == "exact") & exact)
        | (yes(q == "at_least") & at_least)
        | (one_of(q, ["more_than", "over"]) & above)
        | (yes(q == "approximately") & approx)
    )
    return ~ok


BOUNDS_FOLLOW_QUALIFIER = Rule(
    "bounds_follow_qualifier",
    ("qualifier", "value", "value_low", "value_high"),
    "the bounds must follow the qualifier: exact means value_low = value = value_high; "
    "at_least means value_low = value and no value_high; more_than and over mean "
    "value_low = value + 1 and no value_high; approximately means "
    "value_low <= value <= value_high",
    _bounds_fail,
)

PERIOD_IN_ORDER = Rule(
    "period_in_order",
    ("period_start", "period_end"),
    "period_start must not be after period_end",
    lambda _: ~le(nw.col("period_start"), nw.col("period_end")),
)


def _period_kind_fails(_: Lookups) -> nw.Expr:
    kind, start, end = nw.col("period_kind"), nw.col("period_start"), nw.col("period_end")
    both = ~start.is_null() & ~end.is_null()
    same_year = both & yes(start.dt.year() == end.dt.year())
    whole_year = (
        same_year
        & yes(start.dt.month() == 1)
        & yes(start.dt.day() == 1)
        & yes(end.dt.month() == 12)
        & yes(end.dt.day() == 31)
    )
    ok = (
        (yes(kind == "calendar_year") & whole_year)
        | (yes(kind == "part_of_year") & same_year & ~whole_year)
        | (one_of(kind, ["date_range", "stock"]) & both)
        | (yes(kind == "cumulative") & ~end.is_null())
        | yes(kind == "unspecified")
    )
    return ~ok


PERIOD_MATCHES_KIND = Rule(
    "period_matches_kind",
    ("period_kind", "period_start", "period_end"),
    "the period must match its kind: calendar_year runs 1 January to 31 December of one "
    "year; part_of_year stays within one year; date_range and stock need both ends; "
    "cumulative needs an end",
    _period_kind_fails,
)


def _inference_fails(_: Lookups) -> nw.Expr:
    inferred, reason = nw.col("inferred"), nw.col("inferred_reason")
    listed = inferred.is_null() | yes(inferred.str.contains(list_pattern(INFERABLE)))
    paired = (inferred.is_null() & reason.is_null()) | (~inferred.is_null() & ~reason.is_null())
    return ~(listed & paired)


INFERENCE_EXPLAINED = Rule(
    "inference_explained",
    ("inferred", "inferred_reason"),
    "inferred must list known attributes ("
    + ", ".join(INFERABLE)
    + ") and come with an inferred_reason, and a reason needs inferred attributes",
    _inference_fails,
)

FLAGS_KNOWN = Rule(
    "flags_known",
    ("flags",),
    "flags must be among: " + ", ".join(FLAGS),
    lambda _: ~(nw.col("flags").is_null() | yes(nw.col("flags").str.contains(list_pattern(FLAGS)))),
)

INITIATIVE_KNOWN = Rule(
    "initiative_known",
    ("initiative",),
    "initiative must be a code of the initiatives table",
    lambda lookups: ~missing_or_in(nw.col("initiative"), lookups.initiatives),
)

COUNTRY_IS_ISO3166 = Rule(
    "country_is_iso3166",
    ("country",),
    "country must be an ISO 3166-1 alpha-3 code; use area otherwise",
    lambda lookups: ~missing_or_in(nw.col("country"), lookups.countries),
)

MEASURE_KNOWN = Rule(
    "measure_known",
    ("measure",),
    "measure must be listed for this table in the measures table",
    lambda lookups: ~one_of(nw.col("measure"), lookups.measures),
)
