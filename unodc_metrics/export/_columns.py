"""What every format writes: each column's type, description and unit, and the rows.

The column specs come from the table's schema (:func:`unodc_metrics.schemas.schema_for`) and
its metadata (:func:`unodc_metrics.metadata`): nothing here repeats them. The rows are the
loaded table's, as plain Python values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from unodc_metrics._base.source import SOURCE_EDITION, Citation
from unodc_metrics._base.values import is_missing, kind_of
from unodc_metrics._base.version import __version__
from unodc_metrics._catalogue import TABLES, check_name, metadata
from unodc_metrics._tables import load

__all__ = [
    "Column",
    "chosen_tables",
    "column_kind",
    "columns",
    "metadata_record",
    "plain",
    "table_rows",
]


@dataclass(frozen=True)
class Column:
    """One column of a table, as the exports describe it.

    Attributes:
        name: The column's name.
        kind: ``string``, ``integer``, ``number``, ``boolean`` or ``date``: Table Schema's
            type names.
        description: The schema's description of the column.
        unit: The unit from the table's metadata, if the column has one.
        nullable: Whether a value may be missing.
        unique: Whether each value must be unique.
        checks: The schema's column checks: each one's name and statistics.
    """

    name: str
    kind: str
    description: str
    unit: str | None
    nullable: bool
    unique: bool
    checks: tuple[tuple[str, dict[str, Any]], ...]


def column_kind(dtype: str) -> str:
    """The Table Schema type of a schema's dtype.

    Examples:
        >>> column_kind("datetime64[ns]"), column_kind("Int64"), column_kind("string[pyarrow]")
        ('date', 'integer', 'string')
    """
    return kind_of(dtype)  # the kinds are Table Schema's type names


def columns(name: str) -> list[Column]:
    """The columns of a table, in the schema's order.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> value = {c.name: c for c in columns("trainings")}["value"]
        >>> value.kind, value.unit, value.nullable
        ('integer', 'persons', False)
    """
    from unodc_metrics.schemas import pandera_schema

    units = metadata(name).units
    return [
        Column(
            name=str(col),
            kind=column_kind(str(spec.dtype)),
            description=spec.description or "",
            unit=units.get(str(col)),
            nullable=bool(spec.nullable),
            unique=bool(spec.unique),
            checks=tuple((c.name, dict(c.statistics or {})) for c in spec.checks),
        )
        for col, spec in pandera_schema(name).columns.items()
    ]


def plain(value: Any, kind: str) -> Any:
    """One cell as a plain Python value: str, int, float, bool, datetime.date or None.

    Examples:
        >>> import datetime as dt
        >>> plain(dt.datetime(2021, 1, 1), "date"), plain(float("nan"), "integer")
        (datetime.date(2021, 1, 1), None)
    """
    if is_missing(value):
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    return str(value)


def table_rows(name: str) -> tuple[list[Column], list[list[Any]]]:
    """A loaded table's columns, and its rows as plain Python values (see :func:`plain`).

    Raises:
        LookupError: If there is no such table.
    """
    specs = columns(name)
    df = load(name)
    rows = [
        [plain(value, col.kind) for col, value in zip(specs, record, strict=True)]
        for record in df[[c.name for c in specs]].itertuples(index=False, name=None)
    ]
    return specs, rows


def chosen_tables(names: Iterable[str] | None) -> list[str]:
    """The tables asked for, each once, in the order given; all of them for ``None`` or none.

    Raises:
        LookupError: If a name is not a table.

    Examples:
        >>> chosen_tables(["arrests", "rescues", "arrests"])
        ['arrests', 'rescues']
        >>> chosen_tables([]) == list(TABLES)
        True
    """
    if names is None:
        return list(TABLES)
    chosen = [check_name(n) for n in names]
    return list(dict.fromkeys(chosen)) or list(TABLES)


def _citation(source: Citation | str) -> dict[str, Any] | str:
    if isinstance(source, Citation):
        record = asdict(source)
        record["date"] = source.date.isoformat()
        record["text"] = source.text()
        return record
    return source


def metadata_record(name: str) -> dict[str, Any]:
    """A table's metadata as a JSON-ready dict, as the Parquet export stores it.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.

    Returns:
        The fields of :class:`unodc_metrics.TableMetadata` (the source as a dict with its
        one-line ``text`` when it is the report), plus ``columns`` (each column's type,
        description and unit), ``package``, ``version`` and ``source_edition``.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> from unodc_metrics.export import metadata_record
        >>> record = metadata_record("trainings")
        >>> record["title"], record["columns"]["value"]["unit"], record["source"]["date"]
        ('People trained', 'persons', '2022-07-22')
    """
    meta = metadata(name)
    return {
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "kind": meta.kind,
        "source": _citation(meta.source),
        "source_note": meta.source_note,
        "licence": meta.licence,
        "units": dict(meta.units),
        "limits": list(meta.limits),
        "sha256": meta.sha256,
        "columns": {
            c.name: {"type": c.kind, "description": c.description, "unit": c.unit}
            for c in columns(name)
        },
        "package": "unodc-metrics",
        "version": __version__,
        "source_edition": SOURCE_EDITION,
    }
