"""Pandera schemas, one per table: the contract that the data and users' frames meet.

Each table of figures shares the columns of :class:`FigureTable` (provenance, initiative,
place, period, qualifier and bounds, nesting, inference) and adds its own. The schemas are
public so that a pipeline can validate its own records in the same shape::

    >>> import pandas as pd
    >>> from unodc_metrics.schemas import Arrests
    >>> Arrests.to_schema().columns["qualifier"].description
    'How the report qualifies the number.'

A schema declares the columns (dtypes, nullability, ranges, allowed values: pandera runs
these) and names the table's rules across columns, each written once in
:mod:`unodc_metrics._rules` and run by the schema's dataframe checks::

    >>> [rule.id for rule in rules_of(Arrests)][:3]
    ['bounds_follow_qualifier', 'period_in_order', 'period_matches_kind']

Most users call :func:`unodc_metrics.validate`, which applies these schemas on any engine and
raises a :class:`unodc_metrics.ValidationError` that lists every failure.
"""

from __future__ import annotations

from unodc_metrics._base.vocabulary import (
    AGES,
    EXPLOITATIONS,
    FLAGS,
    INFERABLE,
    PERIOD_KINDS,
    QUALIFIERS,
    SEXES,
)
from unodc_metrics.schemas._checks import rules_of
from unodc_metrics.schemas._lookup import pandera_schema, schema_for
from unodc_metrics.schemas.figures import (
    Arrests,
    CountriesReached,
    FigureTable,
    Investigations,
    KnowledgeBase,
    Meetings,
    OtherCounts,
    ProtocolStatus,
    Publications,
    Rescues,
    Trainings,
)
from unodc_metrics.schemas.records import (
    CONTRACTS,
    UnknownCodeWarning,
    record_columns,
    records_schema,
)
from unodc_metrics.schemas.reference import (
    GlotipSchema,
    Initiatives,
    ListedItems,
    Measures,
    Parties,
)

__all__ = [
    "AGES",
    "CONTRACTS",
    "EXPLOITATIONS",
    "FLAGS",
    "INFERABLE",
    "PERIOD_KINDS",
    "QUALIFIERS",
    "SEXES",
    "Arrests",
    "CountriesReached",
    "FigureTable",
    "GlotipSchema",
    "Initiatives",
    "Investigations",
    "KnowledgeBase",
    "ListedItems",
    "Measures",
    "Meetings",
    "OtherCounts",
    "Parties",
    "ProtocolStatus",
    "Publications",
    "Rescues",
    "Trainings",
    "UnknownCodeWarning",
    "pandera_schema",
    "record_columns",
    "records_schema",
    "rules_of",
    "schema_for",
]
