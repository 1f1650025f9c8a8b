"""The records contracts: a figure table's columns for users' own records.

The report's contract (``contract="report"``) asks every row for the report's provenance: a
paragraph, a verbatim phrase, a description, a measure of the report's registry. A
ministry's or a research group's own records have none of that. The records contract of a
figure table (``contract="records"``) asks only for the columns that the aggregations read,
and takes the rest when they are there:

- **required**: ``id``, ``value``, ``period_kind``, ``period_start``, ``period_end``, and for
  rescues ``status``;
- **optional**, each with a stated default when the column is absent (:data:`DEFAULTS`):
  the provenance columns (missing), ``qualifier`` (``exact``) with ``value_low`` and
  ``value_high`` (``value``), the counts by sex (missing, so unknown), ``female_low`` and
  ``female_high`` (``female``), ``sex_split_derived`` (false), the rescues' ``sex``, ``age``
  and ``exploitation`` (``all``);
- **together**: a column that is present brings the columns it needs (:data:`TOGETHER`): a
  ``qualifier`` needs its bounds, a ``female_percent`` the interval its rounding allows.

Every other check is the report's: the same dtypes, ranges, allowed values and rules across
columns. The registries are open: ``initiative`` and ``measure`` codes are checked against
the codes a caller passes (``registry=``), and without them a code that the report's
registries do not list is named in a :class:`UnknownCodeWarning`, never taken for one of
ours. A missing value is allowed in the provenance columns, ``measure`` included.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import KIND_WORDS, kind_of
from unodc_metrics._catalogue import FIGURE_TABLES
from unodc_metrics.schemas._lookup import pandera_schema

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "CONTRACTS",
    "DEFAULTS",
    "OPEN_REGISTRIES",
    "REQUIRED",
    "TOGETHER",
    "Same",
    "UnknownCodeWarning",
    "check_contract",
    "record_columns",
    "records_schema",
]

CONTRACTS = ("report", "records")
"""The contracts a figure table has: the report's, and users' records."""


@dataclass(frozen=True)
class Same:
    """The default of an absent column that is another column's value."""

    column: str


REQUIRED = ("id", "value", "period_kind", "period_start", "period_end")
"""The columns that every record must have; rescues need ``status`` too."""

_OPTIONAL: dict[str, Any] = {
    name: None
    for name in (
        "paragraph",
        "phrase",
        "description",
        "measure",
        "initiative",
        "country",
        "area",
        "period_text",
        "part_of",
        "may_overlap",
        "inferred",
        "inferred_reason",
        "flags",
        "note",
    )
}
_BOUNDS: dict[str, Any] = {
    "qualifier": "exact",
    "value_low": Same("value"),
    "value_high": Same("value"),
}

DEFAULTS: dict[str, dict[str, Any]] = {table: {**_OPTIONAL, **_BOUNDS} for table in FIGURE_TABLES}
"""For each figure table, the value an absent optional column takes: a literal (None for
missing) or :class:`Same` another column."""
DEFAULTS["trainings"].update(
    female=None,
    male=None,
    other_sex=None,
    unknown_sex=None,
    female_percent=None,
    female_low=Same("female"),
    female_high=Same("female"),
    sex_split_derived=False,
)
DEFAULTS["rescues"].update(sex="all", age="all", exploitation="all", breakdown=None)

TOGETHER = {
    "qualifier": ("value_low", "value_high"),
    "value_low": ("qualifier", "value_high"),
    "value_high": ("qualifier", "value_low"),
    "female_percent": ("female", "female_low", "female_high", "sex_split_derived"),
    "female_low": ("female", "female_high"),
    "female_high": ("female", "female_low"),
}
"""A column that, when present, needs these columns too: their defaults would contradict it."""

OPEN_REGISTRIES = {"initiative": "initiative_known", "measure": "measure_known"}
"""The columns whose codes come from a registry, and the rule that checks them."""


class UnknownCodeWarning(UserWarning):
    """Records hold codes that the report's registries do not list, and no registry of the
    caller's was given for them: they are kept, as codes unknown to the registry."""


def check_contract(contract: str, table: str) -> None:
    """Refuse a contract that is not one of :data:`CONTRACTS`, or records of a table that
    holds no figures.

    Raises:
        ValueError: If so.
    """
    if contract not in CONTRACTS:
        raise ValueError(f"contract must be one of {', '.join(CONTRACTS)}; got {contract!r}")
    if contract == "records" and table not in FIGURE_TABLES:
        raise ValueError(
            f"the records contract is for the figure tables ({', '.join(FIGURE_TABLES)}), "
            f"not {table!r}"
        )


def records_schema(table: str) -> pa.DataFrameSchema:
    """The records contract of a figure table, as a pandera ``DataFrameSchema``.

    Its optional columns are ``required=False``, its provenance columns nullable, its column
    order free; its rules are the report's, less the checks of the open registries.

    Examples:
        >>> from unodc_metrics.schemas import records_schema
        >>> schema = records_schema("trainings")
        >>> [n for n, c in schema.columns.items() if c.required]
        ['id', 'value', 'period_kind', 'period_start', 'period_end']
    """
    check_contract("records", table)
    return _records_schema(table)


@cache
def _records_schema(table: str) -> pa.DataFrameSchema:
    schema = copy.deepcopy(pandera_schema(table))
    required = {*REQUIRED, *(("status",) if table == "rescues" else ())}
    for name, column in schema.columns.items():
        column.required = name in required
        if name in _OPTIONAL:
            column.nullable = True
    open_rules = set(OPEN_REGISTRIES.values())
    schema.checks = [c for c in schema.checks if c.name not in open_rules]
    schema.ordered = False
    schema.name = f"{table} records"
    return schema


def record_columns(table: str) -> list[dict[str, str]]:
    """The records contract of a figure table, one entry per column: its name, whether it
    is required, its kind in words, its default when absent, and its description.

    Examples:
        >>> from unodc_metrics.schemas import record_columns
        >>> qualifier = record_columns("trainings")[6]
        >>> qualifier["column"], qualifier["required"], qualifier["default"], qualifier["needs"]
        ('qualifier', 'no', 'exact', 'value_low, value_high')
    """
    out = []
    for name, column in records_schema(table).columns.items():
        default = DEFAULTS[table].get(name)
        if column.required:
            shown = ""
        elif isinstance(default, Same):
            shown = f"the value of {default.column}"
        else:
            shown = "missing" if default is None else str(default).lower()
        out.append(
            {
                "column": name,
                "required": "yes" if column.required else "no",
                "kind": KIND_WORDS[kind_of(str(column.dtype))],
                "default": shown,
                "needs": ", ".join(TOGETHER.get(name, ())),
                "description": str(column.description or ""),
            }
        )
    return out
