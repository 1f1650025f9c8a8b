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

from unodc_metrics._base.engines import quiet
from unodc_metrics._base.vocabulary import (
    AGES,
    EXPLOITATIONS,
    FLAGS,
    INFERABLE,
    PERIOD_KINDS,
    QUALIFIERS,
    SEXES,
)
from unodc_metrics._catalogue import SCHEMA_NAMES
from unodc_metrics.schemas._checks import rules_of
from unodc_metrics.schemas._pandera import pa
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


def schema_for(table: str) -> type[pa.DataFrameModel]:
    """The schema of a table, by the table's name (``"glotip"`` for GLOTIP's long shape).

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> schema_for("trainings").__name__
        'Trainings'
    """
    if table not in SCHEMA_NAMES:
        raise LookupError(f"no table named {table!r}; the tables are: {', '.join(SCHEMA_NAMES)}")
    model: type[pa.DataFrameModel] = globals()[SCHEMA_NAMES[table]]
    return model


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The pandera ``DataFrameSchema`` of a table, by name: ``schema_for(table).to_schema()``.

    pandera builds a schema on first use, and, with pyspark installed, tries to import
    ``pyspark.pandas`` while it does, which warns under pandas 3; this builds it with that
    warning silenced (:func:`unodc_metrics._base.engines.quiet`).

    Examples:
        >>> pandera_schema("arrests").columns["value"].dtype
        DataType(Int64)
    """
    with quiet():
        return schema_for(table).to_schema()
