"""The rules of the tables that are not figures: the listed items, the parties to the
Protocol, and the long shape of a GLOTIP download."""

from __future__ import annotations

import narwhals as nw

from unodc_metrics._rules._core import Lookups, Rule, le, one_of, yes
from unodc_metrics._rules.figures import COUNTRY_IS_ISO3166

__all__ = [
    "BOUNDS_FOLLOW_CENSORING",
    "ISO_FLAG_TRUE",
    "LISTED_COUNTRY_IS_ISO3166",
    "PARTY_DATES_CONSISTENT",
    "SUPPRESSED_HIGH",
]

SUPPRESSED_HIGH = 4
"""The largest count that a suppressed ``<5`` cell of a GLOTIP download can hide."""

LISTED_COUNTRY_IS_ISO3166 = COUNTRY_IS_ISO3166.saying("country must be an ISO 3166-1 alpha-3 code")
"""The listed items' country: the figure tables' rule, worded without the hint about area."""


def _party_dates_fail(_: Lookups) -> nw.Expr:
    party = yes(nw.col("is_party"))
    lo, d, hi = nw.col("action_date_earliest"), nw.col("action_date"), nw.col("action_date_latest")
    as_party = party & ~nw.col("action_type").is_null() & ~lo.is_null() & ~hi.is_null()
    as_party = as_party & yes(lo <= hi) & le(lo, d) & le(d, hi)
    no_dates = d.is_null() & lo.is_null() & hi.is_null()
    non_party = ~party & nw.col("action_type").is_null() & no_dates
    return ~(as_party | non_party)


PARTY_DATES_CONSISTENT = Rule(
    "party_dates_consistent",
    ("is_party", "action_type", "action_date", "action_date_earliest", "action_date_latest"),
    "a party needs an action_type and earliest <= action_date <= latest; a non-party has neither",
    _party_dates_fail,
)

ISO_FLAG_TRUE = Rule(
    "iso_flag_true",
    ("iso3", "iso3_is_iso3166"),
    "iso3_is_iso3166 must say whether iso3 is an ISO 3166-1 alpha-3 code",
    lambda lookups: one_of(nw.col("iso3"), lookups.countries) != yes(nw.col("iso3_is_iso3166")),
)


def _censoring_fails(_: Lookups) -> nw.Expr:
    censored = yes(nw.col("censored"))
    v, lo, hi = nw.col("value"), nw.col("value_low"), nw.col("value_high")
    suppressed = censored & v.is_null() & yes(lo == 0) & yes(hi == SUPPRESSED_HIGH)
    known = ~censored & ~v.is_null() & yes(lo == v) & yes(hi == v)
    return ~(suppressed | known)


BOUNDS_FOLLOW_CENSORING = Rule(
    "bounds_follow_censoring",
    ("censored", "value", "value_low", "value_high"),
    "a censored count has no value and bounds 0 to 4; any other count has value_low = value "
    "= value_high",
    _censoring_fails,
)
