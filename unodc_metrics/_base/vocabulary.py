"""The codes that the tables use, and what each one means.

These are the vocabulary of the schemas and of the rules; they live here so that every layer
can name them without importing pandera.
"""

from __future__ import annotations

__all__ = [
    "AGES",
    "BREAKDOWNS",
    "EXPLOITATIONS",
    "FLAGS",
    "GLOTIP_AGES",
    "GLOTIP_AREA_KINDS",
    "GLOTIP_SEXES",
    "GLOTIP_SUMMED_AREAS",
    "INFERABLE",
    "PERIOD_KINDS",
    "QUALIFIERS",
    "SEXES",
]

QUALIFIERS = ("exact", "at_least", "more_than", "over", "approximately")
"""How a figure is qualified. ``more_than`` and ``over`` both exclude the number written."""

PERIOD_KINDS = ("calendar_year", "part_of_year", "date_range", "stock", "cumulative", "unspecified")
"""What a row's period means.

- ``calendar_year``: 1 January to 31 December of one year ("In 2021").
- ``part_of_year``: a span within one year ("Between January and May 2021").
- ``date_range``: any other span with both ends known ("on 1 and 2 September 2021").
- ``stock``: a level at a moment ("as at July 2022"); when only a month is given, the period
  is that month, and the stock lies somewhere in it.
- ``cumulative``: a total since an unstated start ("to date"); ``period_start`` may be missing.
- ``unspecified``: the report gives no period; either end may still bound it.
"""

FLAGS = ("parts_short_of_total", "nonexistent_date", "outside_reporting_period")
"""Markers for places where the report is inconsistent, recorded as stated."""

INFERABLE = (
    "initiative",
    "country",
    "area",
    "period_kind",
    "period_start",
    "period_end",
    "part_of",
    "sex",
    "age",
    "exploitation",
)
"""The attributes that may be taken from context rather than from the figure's own words."""

SEXES = ("female", "male", "other", "unknown", "all")
"""The sexes of the ``rescues`` table; ``all`` where a row is not split by sex."""

AGES = ("child", "adult", "unknown", "all")
"""The ages of the ``rescues`` table; ``all`` where a row is not split by age."""

EXPLOITATIONS = ("labour", "sexual", "other", "all")
"""The forms of exploitation of the ``rescues`` table; ``all`` where a row is not split."""

BREAKDOWNS = ("sex", "age", "exploitation")
"""The dimensions along which a row of ``rescues`` may split its whole."""

GLOTIP_SEXES = ("female", "male", "other", "unknown", "total")
"""The codes of the ``sex`` column of a GLOTIP download's long shape."""

GLOTIP_AGES = ("child", "adult", "unknown", "total")
"""The codes of the ``age`` column of a GLOTIP download's long shape."""

GLOTIP_AREA_KINDS = ("country", "territory", "region_aggregate", "combined", "unknown")
"""The codes of the ``area_kind`` column of a GLOTIP download's long shape: what area a line
counts (the rules are in :func:`unodc_metrics.read_glotip`)."""

GLOTIP_SUMMED_AREAS = {
    "countries": ("country", "territory"),
    "aggregates": ("region_aggregate",),
}
"""What each ``areas`` option of the sums over GLOTIP's long shape adds up. Combined and
unknown areas are never summed: they may hold areas that other lines count."""
