"""The rules layer: every rule across the columns or rows of a table, written once.

A :class:`Rule` has a stable id, the columns it reads, a message for people and one narwhals
expression that marks the rows that fail it. The same object runs on pandas, polars, a polars
LazyFrame, DuckDB, Dask and PySpark (:mod:`unodc_metrics._validation`), and the pandera
schemas' dataframe checks call it too (:mod:`unodc_metrics.schemas`). The codes that some
rules check against come in as :class:`Lookups`, so no rule reads a table.

The column-level checks (types, nullability, ranges, allowed values) are not here: pandera
keeps them, in the one schema definition per table.
"""

from unodc_metrics._rules._core import (
    ROW,
    ROW_INDEX,
    Lookups,
    Preparation,
    Rule,
    eager_rows,
    le,
    list_pattern,
    missing_or_in,
    narrowed,
    one_of,
    passes,
    yes,
)
from unodc_metrics._rules.figures import (
    BOUNDS_FOLLOW_QUALIFIER,
    COUNTRY_IS_ISO3166,
    FLAGS_KNOWN,
    INFERENCE_EXPLAINED,
    INITIATIVE_KNOWN,
    MEASURE_KNOWN,
    PERIOD_IN_ORDER,
    PERIOD_MATCHES_KIND,
)
from unodc_metrics._rules.nesting import (
    BREAKDOWN_REFINES_WHOLE,
    NESTING,
    PART_OF_EXISTS,
    PART_WITHIN_WHOLE,
    PARTS_WITHIN_WHOLE,
)
from unodc_metrics._rules.percent import ROUNDING, rounding_interval
from unodc_metrics._rules.reference import (
    BOUNDS_FOLLOW_CENSORING,
    ISO_FLAG_TRUE,
    LISTED_COUNTRY_IS_ISO3166,
    PARTY_DATES_CONSISTENT,
    SUPPRESSED_HIGH,
)
from unodc_metrics._rules.trainings import FEMALE_BOUNDS, SEXES_WITHIN_TOTAL

__all__ = [
    "BOUNDS_FOLLOW_CENSORING",
    "BOUNDS_FOLLOW_QUALIFIER",
    "BREAKDOWN_REFINES_WHOLE",
    "COUNTRY_IS_ISO3166",
    "FEMALE_BOUNDS",
    "FLAGS_KNOWN",
    "INFERENCE_EXPLAINED",
    "INITIATIVE_KNOWN",
    "ISO_FLAG_TRUE",
    "LISTED_COUNTRY_IS_ISO3166",
    "MEASURE_KNOWN",
    "NESTING",
    "PARTS_WITHIN_WHOLE",
    "PARTY_DATES_CONSISTENT",
    "PART_OF_EXISTS",
    "PART_WITHIN_WHOLE",
    "PERIOD_IN_ORDER",
    "PERIOD_MATCHES_KIND",
    "ROUNDING",
    "ROW",
    "ROW_INDEX",
    "SEXES_WITHIN_TOTAL",
    "SUPPRESSED_HIGH",
    "Lookups",
    "Preparation",
    "Rule",
    "eager_rows",
    "le",
    "list_pattern",
    "missing_or_in",
    "narrowed",
    "one_of",
    "passes",
    "rounding_interval",
    "yes",
]
