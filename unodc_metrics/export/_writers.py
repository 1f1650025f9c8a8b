"""One table as records, CSV, JSON, Arrow or Parquet, each carrying what its format can."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unodc_metrics.export._columns import metadata_record, table_rows
from unodc_metrics.export._text import csv_text, write_text

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "PARQUET_METADATA_KEY",
    "table_csv",
    "to_arrow",
    "to_csv",
    "to_json",
    "to_parquet",
    "to_records",
]

PARQUET_METADATA_KEY = b"unodc_metrics"
"""The key of the Arrow schema metadata that holds a table's metadata record, as JSON."""


def to_records(name: str) -> list[dict[str, Any]]:
    """A table as JSON-ready records: one dict per row, keys in the schema's column order.

    Dates are ``YYYY-MM-DD`` strings and a missing value is ``None``.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.

    Returns:
        The rows, in the table's order.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> from unodc_metrics.export import to_records
        >>> first = to_records("arrests")[0]
        >>> first["id"], first["value"], first["period_start"], first["flags"]
        ('ARR-05a', 17, '2021-01-01', None)
    """
    columns, rows = table_rows(name)
    return [
        {
            c.name: v.isoformat() if isinstance(v, dt.date) else v
            for c, v in zip(columns, row, strict=True)
        }
        for row in rows
    ]


def table_csv(name: str) -> str:
    """A table as CSV text: what :func:`to_csv` writes, in the conventions of the shipped files.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.

    Returns:
        The header and every row, in the schema's column order (see :func:`csv_text`).

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> from unodc_metrics.export import table_csv
        >>> table_csv("initiatives").splitlines()[0]
        'code,name,kind,paragraphs,note'
    """
    columns, rows = table_rows(name)
    return csv_text([c.name for c in columns], rows)


def to_csv(name: str, path: str | os.PathLike[str]) -> Path:
    """Write a table as CSV, in the conventions of the shipped files.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.
        path: The file to write; it is replaced if it exists.

    Returns:
        The path written.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import csv, tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics.export import to_csv
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = to_csv("trainings", Path(tmp) / "trainings.csv")
        ...     rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
        >>> rows[0][:3], rows[2][0], rows[2][12:16]
        (['id', 'paragraph', 'phrase'], 'TRN-06a', ['cumulative', '', '2022-07-22', 'to date'])
        >>> rows[2][-1], rows[2][-4]
        ('false', '')
    """
    return write_text(path, table_csv(name))


def to_json(name: str, path: str | os.PathLike[str]) -> Path:
    """Write a table as a JSON array of records (see :func:`to_records`).

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.
        path: The file to write; it is replaced if it exists.

    Returns:
        The path written.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import json, tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics.export import to_json
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = to_json("initiatives", Path(tmp) / "initiatives.json")
        ...     records = json.loads(out.read_text(encoding="utf-8"))
        >>> records[0]["code"], list(records[0])
        ('GPTIP', ['code', 'name', 'kind', 'paragraphs', 'note'])
    """
    text = json.dumps(to_records(name), ensure_ascii=False, indent=2) + "\n"
    return write_text(path, text)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    return types[kind]


def to_arrow(name: str) -> pa.Table:
    """A table as a ``pyarrow.Table`` that carries its metadata.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.

    Returns:
        The table, with Arrow types (``date32`` dates, ``int64`` counts), each field's
        description and unit in its field metadata, and :func:`metadata_record` as JSON
        under :data:`PARQUET_METADATA_KEY` in the schema metadata.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import json
        >>> from unodc_metrics.export import PARQUET_METADATA_KEY, to_arrow
        >>> table = to_arrow("rescues")
        >>> str(table.schema.field("period_start").type), str(table.schema.field("value").type)
        ('date32[day]', 'int64')
        >>> table.schema.field("value").metadata[b"unit"]
        b'persons'
        >>> json.loads(table.schema.metadata[PARQUET_METADATA_KEY])["title"]
        'Victims rescued or identified'
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    columns, rows = table_rows(name)
    fields, arrays = [], []
    for i, col in enumerate(columns):
        typ = _arrow_type(col.kind)
        field_meta = {b"description": col.description.encode("utf-8")}
        if col.unit is not None:
            field_meta[b"unit"] = col.unit.encode("utf-8")
        fields.append(pa.field(col.name, typ, nullable=col.nullable, metadata=field_meta))
        arrays.append(pa.array([row[i] for row in rows], type=typ))
    record = json.dumps(metadata_record(name), ensure_ascii=False).encode("utf-8")
    schema = pa.schema(fields, metadata={PARQUET_METADATA_KEY: record})
    return pa.Table.from_arrays(arrays, schema=schema)


def to_parquet(name: str, path: str | os.PathLike[str]) -> Path:
    """Write a table as Parquet, with its metadata in the Arrow schema (see :func:`to_arrow`).

    pyarrow, polars and DuckDB read the file back with the same rows and types.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.
        path: The file to write; it is replaced if it exists.

    Returns:
        The path written.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import pyarrow.parquet as pq
        >>> from unodc_metrics.export import to_parquet
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = to_parquet("trainings", Path(tmp) / "trainings.parquet")
        ...     back = pq.read_table(out)
        >>> back.num_rows, str(back.schema.field("female").type)
        (5, 'int64')
    """
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    out = Path(path)
    pq.write_table(to_arrow(name), out)
    return out
