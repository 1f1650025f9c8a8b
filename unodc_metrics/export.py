"""Write the curated tables to files, and read such files back for validation.

Five formats, each keeping the table's metadata where the format has room for it:

- ``parquet``: one file per table. Dates are Arrow ``date32``, counts ``int64`` (nullable
  where the schema allows missing values), shares ``float64``, flags ``bool``, text
  ``string``. Each field carries its description and unit in its Arrow field metadata, and
  the schema metadata holds the table's whole metadata record, as JSON, under the key
  :data:`PARQUET_METADATA_KEY`.
- ``csv``: one file per table, in the schema's column order, UTF-8, ``,`` between cells,
  ``\\n`` between lines; dates ``YYYY-MM-DD``; ``true``/``false``; a missing value is an
  empty cell. These are the conventions of the shipped files.
- ``json``: one file per table, an array of records (one object per row, keys in the
  schema's column order); dates ``YYYY-MM-DD``; a missing value is ``null``.
- ``datapackage``: a Frictionless data package: ``datapackage.json`` and one CSV per table,
  with a Table Schema per resource (types, descriptions, units, constraints, primary keys
  and the foreign keys that stay inside the package).
- ``dataunodc``: ``dataunodc.csv``, the figure tables in the 13-column long format of
  dataUNODC's downloads (see :func:`to_dataunodc`).

:func:`validate_file` reads a CSV or Parquet file in the shape of a table, checks every cell
and every rule of the table's schema, and never writes to the file.

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from unodc_metrics import export
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = export.export(tmp, "parquet", ["arrests"])
    ...     [p.name for p in written], len(export.validate_file(written[0], "arrests"))
    (['arrests.parquet'], 4)
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unodc_metrics._errors import ValidationError
from unodc_metrics._glotip import FILE_COLUMNS
from unodc_metrics._source import Citation
from unodc_metrics._tables import FIGURE_TABLES, TABLES, _check_name, _schema, load, metadata

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "DATAUNODC_COLUMNS",
    "FILE_FORMATS",
    "FORMATS",
    "PARQUET_METADATA_KEY",
    "PRIMARY_KEYS",
    "datapackage",
    "export",
    "file_format",
    "metadata_record",
    "table_schema",
    "to_arrow",
    "to_csv",
    "to_dataunodc",
    "to_json",
    "to_parquet",
    "to_records",
    "validate_file",
    "write_datapackage",
    "write_dataunodc",
]

FORMATS: tuple[str, ...] = ("parquet", "csv", "json", "datapackage", "dataunodc")
"""The formats that :func:`export` writes."""

PARQUET_METADATA_KEY = b"unodc_metrics"
"""The key of the Arrow schema metadata that holds a table's metadata record, as JSON."""

DATAUNODC_COLUMNS: tuple[str, ...] = tuple(FILE_COLUMNS)
"""The columns of dataUNODC's GLOTIP downloads, in their order."""

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    **{name: ("id",) for name in FIGURE_TABLES},
    "initiatives": ("code",),
    "measures": ("table", "measure"),
    "listed_items": ("figure_id", "position"),
    "parties": ("iso3",),
}
"""The columns that identify a row of each table: the primary keys of the data package."""

# dataUNODC's labels for the schemas' codes.
_SEX_LABELS = {
    "all": "Total",
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "unknown": "Unknown",
}
_AGE_LABELS = {
    "all": "Total",
    "child": "0 to 17 years",
    "adult": "18 years or over",
    "unknown": "Unknown",
}
_EXPLOITATION_LABELS = {
    "sexual": "Sexual exploitation",
    "labour": "Labour exploitation",
    "other": "Other forms of exploitation",
}
# The trainings columns that split a total by sex, and their dataUNODC label.
_TRAINING_SEXES = {
    "female": "Female",
    "male": "Male",
    "other_sex": "Other",
    "unknown_sex": "Unknown",
}
_QUALIFIER_WORDS = {
    "at_least": "at least",
    "more_than": "more than",
    "over": "over",
    "approximately": "approximately",
}
# Measures that are not counts, and the unit dataUNODC's column gets for them.
_TIME_UNITS = {"years": "Years", "decades": "Decades", "months": "Months", "days": "Days"}

_M49: dict[str, tuple[str, str, str]] = {
    "BGD": ("Bangladesh", "Asia", "Southern Asia"),
    "COL": ("Colombia", "Americas", "Latin America and the Caribbean"),
    "MWI": ("Malawi", "Africa", "Sub-Saharan Africa"),
    "PAK": ("Pakistan", "Asia", "Southern Asia"),
    "THA": ("Thailand", "Asia", "South-eastern Asia"),
}
"""dataUNODC's name, UN M49 region and sub-region of each country the figure tables name.

Written as dataUNODC's GLOTIP file writes them; the test suite checks each entry against
that file, and checks that every country of the figure tables has an entry.
"""

_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


# --------------------------------------------------------------------------------------------
# Columns: type, description and unit, from the schema and the metadata
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # string, integer, number, boolean or date: Table Schema's type names
    description: str
    unit: str | None
    nullable: bool
    unique: bool
    checks: tuple[tuple[str, dict[str, Any]], ...]


def _kind(dtype: str) -> str:
    if dtype.startswith("datetime"):
        return "date"
    if dtype == "bool":
        return "boolean"
    if dtype.startswith("Int") or dtype.startswith("int"):
        return "integer"
    if dtype.startswith("Float") or dtype.startswith("float"):
        return "number"
    return "string"


def _columns(name: str) -> list[_Column]:
    units = metadata(name).units
    out = []
    for col, spec in _schema(name).to_schema().columns.items():
        out.append(
            _Column(
                name=str(col),
                kind=_kind(str(spec.dtype)),
                description=spec.description or "",
                unit=units.get(str(col)),
                nullable=bool(spec.nullable),
                unique=bool(spec.unique),
                checks=tuple((c.name, dict(c.statistics or {})) for c in spec.checks),
            )
        )
    return out


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _python(value: Any, kind: str) -> Any:
    """One cell as a plain Python value: str, int, float, bool, datetime.date or None."""
    if _missing(value):
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


def _text(value: Any) -> str:
    """One plain Python value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows(name: str) -> tuple[list[_Column], list[list[Any]]]:
    columns = _columns(name)
    df = load(name)
    rows = [
        [_python(value, col.kind) for col, value in zip(columns, record, strict=True)]
        for record in df[[c.name for c in columns]].itertuples(index=False, name=None)
    ]
    return columns, rows


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_text(v) for v in row] for row in rows)
    return buffer.getvalue()


def _write_text(path: str | os.PathLike[str], text: str) -> Path:
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return out


# --------------------------------------------------------------------------------------------
# Metadata record
# --------------------------------------------------------------------------------------------


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
    import unodc_metrics as um

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
            for c in _columns(name)
        },
        "package": "unodc-metrics",
        "version": um.__version__,
        "source_edition": um.SOURCE_EDITION,
    }


# --------------------------------------------------------------------------------------------
# CSV, JSON, Parquet
# --------------------------------------------------------------------------------------------


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
    columns, rows = _rows(name)
    return [
        {
            c.name: v.isoformat() if isinstance(v, dt.date) else v
            for c, v in zip(columns, row, strict=True)
        }
        for row in rows
    ]


def _csv_bytes(name: str) -> bytes:
    columns, rows = _rows(name)
    return _csv_text([c.name for c in columns], rows).encode("utf-8")


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
    out = Path(path)
    out.write_bytes(_csv_bytes(name))
    return out


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
    return _write_text(path, text)


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

    columns, rows = _rows(name)
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


# --------------------------------------------------------------------------------------------
# Frictionless data package
# --------------------------------------------------------------------------------------------


def _constraints(col: _Column) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not col.nullable:
        out["required"] = True
    if col.unique:
        out["unique"] = True
    for check, stats in col.checks:
        if check == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
        elif check == "less_than_or_equal_to":
            out["maximum"] = stats["max_value"]
        elif check == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check == "str_matches":
            # Table Schema patterns are implicitly anchored: drop the explicit anchors.
            out["pattern"] = re.sub(r"^\^|\$$", "", str(stats["pattern"]))
        elif check == "str_length" and stats.get("min_value") is not None:
            out["minLength"] = stats["min_value"]
    return out


def table_schema(name: str, resources: Iterable[str] | None = None) -> dict[str, Any]:
    """A table's Frictionless Table Schema: fields, constraints, primary and foreign keys.

    The schema carries each column's type, description, unit and single-column rules
    (required, unique, minimum, enum, pattern, minimum length). The rules that span several
    columns (bounds that follow the qualifier, parts within their whole, ...) cannot be
    expressed in a Table Schema: check them with :func:`unodc_metrics.validate`.

    Foreign keys: a figure table's ``part_of`` refers to the ``id`` of the same resource,
    and its ``initiative`` to ``initiatives.code`` when that resource is in the package.
    ``listed_items.figure_id`` has no foreign key: it refers to rows of several resources.

    Args:
        name: A table name, one of :data:`unodc_metrics.TABLES`.
        resources: The names of the package's resources; foreign keys to other resources
            are kept only when their target is among them. ``None`` means every table.

    Returns:
        The Table Schema, as a JSON-ready dict.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> from unodc_metrics.export import table_schema
        >>> schema = table_schema("rescues")
        >>> schema["primaryKey"], [fk["fields"] for fk in schema["foreignKeys"]]
        (['id'], ['initiative', 'part_of'])
        >>> table_schema("measures")["primaryKey"]
        ['table', 'measure']
        >>> table_schema("rescues", resources=["rescues"])["foreignKeys"][0]["reference"]
        {'resource': '', 'fields': 'id'}
    """
    _check_name(name)
    included = set(TABLES if resources is None else resources)
    fields = []
    for col in _columns(name):
        spec: dict[str, Any] = {"name": col.name, "type": col.kind}
        if col.kind == "date":
            spec["format"] = "default"
        if col.kind == "boolean":
            spec["trueValues"] = ["true"]
            spec["falseValues"] = ["false"]
        spec["description"] = col.description
        if col.unit is not None:
            spec["unit"] = col.unit
        constraints = _constraints(col)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(PRIMARY_KEYS[name]),
    }
    foreign: list[dict[str, Any]] = []
    if name in FIGURE_TABLES:
        if "initiatives" in included:
            foreign.append(
                {"fields": "initiative", "reference": {"resource": "initiatives", "fields": "code"}}
            )
        foreign.append({"fields": "part_of", "reference": {"resource": "", "fields": "id"}})
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _names(names: Iterable[str] | None) -> list[str]:
    if names is None:
        return list(TABLES)
    chosen = [_check_name(n) for n in names]
    return list(dict.fromkeys(chosen)) or list(TABLES)


def datapackage(names: Iterable[str] | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor for some tables, each a CSV resource.

    Each resource's ``hash`` is the SHA-256 of the CSV that :func:`to_csv` writes, so
    ``frictionless validate`` checks that the files are the ones described.

    Args:
        names: The tables to include, in the order given; ``None`` or empty means all.

    Returns:
        The descriptor, as a JSON-ready dict.

    Raises:
        LookupError: If a name is not a table.

    Examples:
        >>> from unodc_metrics.export import datapackage
        >>> package = datapackage(["initiatives", "arrests"])
        >>> [r["path"] for r in package["resources"]]
        ['initiatives.csv', 'arrests.csv']
        >>> package["licenses"][0]["name"]
        'CC-BY-4.0'
    """
    import unodc_metrics as um

    chosen = _names(names)
    resources = []
    for name in chosen:
        meta = metadata(name)
        source = meta.source.text() if isinstance(meta.source, Citation) else meta.source
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "title": meta.title,
                "description": meta.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(_csv_bytes(name)).hexdigest(),
                "sources": [{"title": source}],
                "licenses": [{**_LICENCE, "title": meta.licence}],
                "schema": table_schema(name, resources=chosen),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "unodc-metrics",
        "title": "Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work",
        "description": (
            "The figures of the report of the Secretariat of 22 July 2022 to the eleventh "
            "session of the Conference of the Parties to the United Nations Convention "
            "against Transnational Organized Crime, as validated, provenance-linked tables. "
            "Each figure row carries the report's paragraph and the verbatim phrase."
        ),
        "version": um.__version__,
        "licenses": [_LICENCE],
        "sources": [{"title": um.REPORT.text()}],
        "resources": resources,
    }


def write_datapackage(
    out_dir: str | os.PathLike[str], names: Iterable[str] | None = None
) -> list[Path]:
    """Write a Frictionless data package: one CSV per table and ``datapackage.json``.

    ``frictionless validate out_dir/datapackage.json`` accepts it.

    Args:
        out_dir: The folder to write into; created if missing. Files of the same names are
            replaced.
        names: The tables to include; ``None`` or empty means all.

    Returns:
        The paths written: the CSV files, then ``datapackage.json``.

    Raises:
        LookupError: If a name is not a table.

    Examples:
        >>> import json, tempfile
        >>> from unodc_metrics.export import write_datapackage
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     paths = write_datapackage(tmp, ["initiatives"])
        ...     descriptor = json.loads(paths[-1].read_text(encoding="utf-8"))
        >>> [p.name for p in paths], descriptor["resources"][0]["schema"]["primaryKey"]
        (['initiatives.csv', 'datapackage.json'], ['code'])
    """
    chosen = _names(names)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [to_csv(name, out / f"{name}.csv") for name in chosen]
    descriptor = datapackage(chosen)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    written.append(_write_text(out / "datapackage.json", text))
    return written


# --------------------------------------------------------------------------------------------
# dataUNODC long format
# --------------------------------------------------------------------------------------------


def _indicator(description: str) -> str:
    """The measure's description up to its first ';' or ' (', without the final full stop."""
    text = re.split(r";| \(", description, maxsplit=1)[0].strip()
    return text.removesuffix(".")


def _source_text(row: dict[str, Any], table: str, year: int | None, extra: str = "") -> str:
    import unodc_metrics as um

    report = um.REPORT
    parts = [
        f"UNODC, report of the Secretariat, {report.date.day} {report.date:%B %Y}, "
        f"paragraph {row['paragraph']} (unodc-metrics {table} {row['id']})"
    ]
    qualifier = row["qualifier"]
    if qualifier != "exact":
        parts.append(f"the report says {_QUALIFIER_WORDS[qualifier]} {row['value']}")
    if extra:
        parts.append(extra)
    if row["period_kind"] != "calendar_year":
        start, end = row["period_start"], row["period_end"]
        span = f"{_text(start) or 'unknown start'} to {_text(end) or 'unknown end'}"
        words = row["period_text"] or row["period_kind"].replace("_", " ")
        within = "period" if year is not None else "period not within one calendar year"
        parts.append(f"{within}: {words} ({span})")
    if row["flags"]:
        parts.append(f"the report is inconsistent here: {row['flags'].replace(',', ', ')}")
    return "; ".join(parts)


def to_dataunodc(names: Iterable[str] | None = None) -> pd.DataFrame:
    """The figure tables in dataUNODC's long format: the 13 columns of its GLOTIP downloads.

    One row per figure; a training's split by sex adds one row per stated count. The
    columns, in order (see :data:`DATAUNODC_COLUMNS`):

    - ``Iso3_code``: the row's ``country``; empty when it concerns no single country.
    - ``Country``: dataUNODC's name of that country; else the row's ``area``
      ("Ecuador and Peru", "SADC region"); else empty (global or programme-wide figures).
    - ``Region``, ``Subregion``: the country's UN M49 region and sub-region, as dataUNODC
      writes them; empty where there is no country.
    - ``Indicator``: what is counted: the measure's description from the ``measures``
      table, up to its first ';' or ' (' ("Persons trained, coached or mentored"). Victims
      are "Victims of trafficking in persons rescued" or "... identified": they are not
      GLOTIP's "Detected trafficking victims", and are not labelled as such.
    - ``Dimension``, ``Category``: "by form of exploitation" and the form ("Sexual
      exploitation", "Labour exploitation" as the report words it, "Other forms of
      exploitation") for victims counted by form; "Total" and "Total" otherwise.
    - ``Sex``: Total, Female, Male, Other or Unknown. ``Age``: Total, "0 to 17 years",
      "18 years or over" or Unknown (the schemas' child and adult).
    - ``Year``: the year, when the period lies within one calendar year; empty otherwise
      (cumulative "to date" figures, spans across years, unknown periods).
    - ``Unit of measurement``: "Counts", or the unit of a duration ("Years", "Decades").
    - ``txtVALUE``: the number the report writes, as text. A qualifier ("at least 49")
      is not written into it: the number is, and ``Source`` says "the report says at
      least 49".
    - ``Source``: the report, its date and paragraph, and the row's table and id; then,
      where they apply, the qualifier, the derivation of a count, the period when it is not
      a whole calendar year, and the report's inconsistencies that the row is flagged with.

    Args:
        names: Figure tables to include (see :data:`unodc_metrics.FIGURE_TABLES`), in the
            order given; ``None`` or empty means all of them.

    Returns:
        A DataFrame with the 13 columns, text except ``Year`` (nullable integer).

    Raises:
        LookupError: If a name is not a table.
        ValueError: If a name is a table that holds no figures (a registry or reference).

    Examples:
        >>> from unodc_metrics.export import to_dataunodc
        >>> long = to_dataunodc(["trainings"])
        >>> rows = long.loc[long["Source"].str.contains("TRN-05a"), ["Sex", "Year", "txtVALUE"]]
        >>> print(rows.to_string(index=False))
            Sex  Year txtVALUE
          Total  2021     2776
         Female  2021     1138
           Male  2021      715
        Unknown  2021      919
    """
    import pandas as pd

    chosen = _figure_names(names)
    measures = load("measures").set_index(["table", "measure"])
    out: list[dict[str, Any]] = []
    for table in chosen:
        columns, rows = _rows(table)
        for values in rows:
            row = dict(zip([c.name for c in columns], values, strict=True))
            out.extend(_dataunodc_rows(table, row, measures))
    frame = pd.DataFrame(out, columns=list(DATAUNODC_COLUMNS))
    for col in DATAUNODC_COLUMNS:
        frame[col] = frame[col].astype("Int64" if col == "Year" else "string")
    return frame


def _figure_names(names: Iterable[str] | None) -> list[str]:
    """The figure tables asked for; all of them for ``None`` or none."""
    given = [] if names is None else list(names)
    chosen = _names(given) if given else list(FIGURE_TABLES)
    wrong = [n for n in chosen if n not in FIGURE_TABLES]
    if wrong:
        raise ValueError(
            f"the dataUNODC format holds only the figure tables ({', '.join(FIGURE_TABLES)}); "
            f"not {', '.join(wrong)}"
        )
    return chosen


def _dataunodc_rows(
    table: str, row: dict[str, Any], measures: pd.DataFrame
) -> list[dict[str, Any]]:
    country = row["country"]
    if country is not None:
        known = _M49.get(country)
        if known is not None:
            name, region, subregion = known
        else:  # Not reached with the shipped data: the tests require an entry per country.
            import pycountry

            entry = pycountry.countries.get(alpha_3=country)
            name, region, subregion = (entry.name if entry else country), "", ""
    else:
        name, region, subregion = row["area"] or "", "", ""
    measure = measures.loc[(table, row["measure"])]
    if table == "rescues":
        indicator = f"Victims of trafficking in persons {row['status']}"
    else:
        indicator = _indicator(str(measure["description"]))
    unit = _TIME_UNITS.get(str(measure["unit"]), "Counts")
    start, end = row["period_start"], row["period_end"]
    year = start.year if start is not None and end is not None and start.year == end.year else None
    exploitation = row.get("exploitation") or "all"
    base = {
        "Iso3_code": country or "",
        "Country": name,
        "Region": region,
        "Subregion": subregion,
        "Indicator": indicator,
        "Dimension": "Total" if exploitation == "all" else "by form of exploitation",
        "Category": _EXPLOITATION_LABELS.get(exploitation, "Total"),
        "Sex": _SEX_LABELS[row.get("sex") or "all"],
        "Age": _AGE_LABELS[row.get("age") or "all"],
        "Year": year,
        "Unit of measurement": unit,
        "txtVALUE": str(row["value"]),
        "Source": _source_text(row, table, year),
    }
    out = [base]
    if table == "trainings":
        for column, label in _TRAINING_SEXES.items():
            count = row[column]
            if count is None:
                continue
            extra = ""
            if column == "female" and row["sex_split_derived"]:
                percent = row["female_percent"]
                extra = (
                    f"female count derived from the stated share of {_text(percent)} per cent "
                    f"of {row['value']}"
                )
            out.append(
                {
                    **base,
                    "Sex": label,
                    "txtVALUE": str(count),
                    "Source": _source_text(row, table, year, extra),
                }
            )
    return out


def write_dataunodc(path: str | os.PathLike[str], names: Iterable[str] | None = None) -> Path:
    """Write :func:`to_dataunodc` as a UTF-8 CSV file with the 13 columns.

    Args:
        path: The file to write; it is replaced if it exists.
        names: Figure tables to include; ``None`` or empty means all of them.

    Returns:
        The path written.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If a name is a table that holds no figures.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics.export import write_dataunodc
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = write_dataunodc(Path(tmp) / "dataunodc.csv", ["arrests"])
        ...     header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
        >>> header[:4], header[-2:]
        (['Iso3_code', 'Country', 'Region', 'Subregion'], ['txtVALUE', 'Source'])
    """
    frame = to_dataunodc(names)
    rows = (
        [
            None if _missing(v) else (int(v) if c == "Year" else str(v))
            for c, v in zip(DATAUNODC_COLUMNS, record, strict=True)
        ]
        for record in frame.itertuples(index=False, name=None)
    )
    return _write_text(path, _csv_text(DATAUNODC_COLUMNS, rows))


# --------------------------------------------------------------------------------------------
# All formats
# --------------------------------------------------------------------------------------------


def export(
    out_dir: str | os.PathLike[str], format: str, names: Iterable[str] | None = None
) -> list[Path]:
    """Write tables in one of :data:`FORMATS` into a folder.

    ``parquet``, ``csv`` and ``json`` write ``NAME.parquet``, ``NAME.csv`` or ``NAME.json``
    per table; ``datapackage`` writes the CSV files and ``datapackage.json``
    (:func:`write_datapackage`); ``dataunodc`` writes ``dataunodc.csv``
    (:func:`write_dataunodc`), which holds the figure tables only: with no names, it takes
    all of them.

    Args:
        out_dir: The folder to write into; created if missing. Files of the same names are
            replaced; nothing else in it is touched.
        format: One of :data:`FORMATS`.
        names: The tables to write; ``None`` or empty means all.

    Returns:
        The paths written.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If the format is unknown, or ``dataunodc`` is asked for a table that
            holds no figures.

    Examples:
        >>> import tempfile
        >>> from unodc_metrics.export import export
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     [p.name for p in export(tmp, "json", ["arrests", "rescues"])]
        ['arrests.json', 'rescues.json']
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")
    given = None if names is None else list(names)
    # The names are checked before anything is written.
    chosen = _figure_names(given) if format == "dataunodc" else _names(given)
    out = Path(out_dir)
    if format == "datapackage":
        return write_datapackage(out, chosen)
    if format == "dataunodc":
        out.mkdir(parents=True, exist_ok=True)
        return [write_dataunodc(out / "dataunodc.csv", chosen)]
    out.mkdir(parents=True, exist_ok=True)
    writer = {"parquet": to_parquet, "csv": to_csv, "json": to_json}[format]
    return [writer(name, out / f"{name}.{format}") for name in chosen]


# --------------------------------------------------------------------------------------------
# Reading a file back, for validation
# --------------------------------------------------------------------------------------------

FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")
"""The file formats that :func:`validate_file` reads."""

_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_INTEGER = re.compile(r"^[+-]?\d+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_READ_MESSAGES = {
    "integer": "cannot be read as a whole number",
    "number": "cannot be read as a number",
    "boolean": "must be true or false",
    "date": "must be a date written YYYY-MM-DD",
}


class _Unreadable(ValueError):
    """A cell that cannot be read as its column's type."""


def file_format(path: str | os.PathLike[str]) -> str:
    """The format of a file, from its suffix: ``csv`` or ``parquet``.

    Raises:
        ValueError: If the suffix is neither ``.csv`` nor ``.parquet`` (or ``.pq``).

    Examples:
        >>> from unodc_metrics.export import file_format
        >>> file_format("data/trainings.parquet"), file_format("x.CSV")
        ('parquet', 'csv')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; "
            "name it .csv or .parquet, or give the format"
        )
    return _SUFFIXES[suffix]


def _cell(value: Any, kind: str) -> Any:
    """Read one cell (text from a CSV, or a Python value from Parquet) as its column's type."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "string":
        return value
    if kind == "integer":
        if isinstance(value, bool):
            raise _Unreadable
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.match(value.strip()):
            return int(value.strip())
        raise _Unreadable
    if kind == "number":
        if isinstance(value, bool):
            raise _Unreadable
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value).strip())
        except ValueError:
            raise _Unreadable from None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise _Unreadable
    # date
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise _Unreadable
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _Unreadable from None
    raise _Unreadable


@dataclass
class _Raw:
    """A file's header and cells, before typing, with the problems found reading it."""

    header: list[str] = field(default_factory=list)
    cells: list[list[Any]] = field(default_factory=list)  # the readable rows, as in the header
    rows: list[int] = field(default_factory=list)  # each readable row's number, from 0
    lines: dict[int, int] = field(default_factory=dict)  # the CSV line each row starts on
    problems: list[dict[str, Any]] = field(default_factory=list)


def _problem(check: str, message: str, **where: Any) -> dict[str, Any]:
    return {
        "column": where.get("column"),
        "row": where.get("row"),
        "line": where.get("line"),
        "value": where.get("value"),
        "check": check,
        "message": message,
    }


def _read_csv_raw(data: bytes) -> _Raw:
    """Split CSV bytes into a header and rows of text cells, noting what cannot be read."""
    raw = _Raw()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raw.problems.append(
            _problem("file_encoding", f"is not UTF-8 text (byte {exc.start} cannot be read)")
        )
        return raw
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        start = 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue  # a blank line
            if not raw.header:
                raw.header = record
                continue
            raw.lines[row] = line
            if len(record) != len(raw.header):
                raw.problems.append(
                    _problem(
                        "field_count",
                        f"has {len(record)} cells; the header has {len(raw.header)}",
                        row=row,
                        line=line,
                        value=",".join(record),
                    )
                )
            else:
                raw.cells.append(record)
                raw.rows.append(row)
            row += 1
    except csv.Error as exc:
        raw.problems.append(
            _problem("csv_syntax", f"is not well-formed CSV: {exc}", line=reader.line_num)
        )
    if not raw.header and not raw.problems:
        raw.problems.append(_problem("file_empty", "is empty: it has no header"))
    return raw


def _read_parquet_raw(data: bytes) -> _Raw:
    """Split Parquet bytes into a header and rows of Python values, noting what cannot be read."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    raw = _Raw()
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raw.problems.append(_problem("file_format", f"cannot be read as Parquet: {exc}"))
        return raw
    raw.header = [str(n) for n in table.column_names]
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    raw.cells = [list(values) for values in zip(*columns, strict=True)]
    raw.rows = list(range(table.num_rows))
    return raw


def _typed_frame(table: str, raw: _Raw) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The cells as a frame of the schema's types; unreadable cells become missing."""
    import pandas as pd

    columns = {c.name: c for c in _columns(table)}
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    data: dict[str, Any] = {}
    for i, name in enumerate(raw.header):
        if name in seen:
            problems.append(
                _problem(
                    "column_duplicated", "this column appears twice in the header", column=name
                )
            )
            continue
        seen.add(name)
        col = columns.get(name)
        kind = col.kind if col is not None else "string"
        values: list[Any] = []
        for row, cells in zip(raw.rows, raw.cells, strict=True):
            where = {"column": name, "row": row, "line": raw.lines.get(row), "value": cells[i]}
            try:
                value = _cell(cells[i], kind)
            except _Unreadable:
                flag = kind == "boolean" and col is not None and not col.nullable
                value = False if flag else None
                problems.append(_problem(f"read_{kind}", _READ_MESSAGES[kind], **where))
            if kind == "boolean" and value is None and col is not None and not col.nullable:
                # Reported here; False stands in so that the schema's rules still run.
                where["value"] = None
                problems.append(_problem("not_nullable", "must not be missing", **where))
                value = False
            values.append(value)
        if kind == "integer":
            data[name] = pd.array(values, dtype="Int64")
        elif kind == "number":
            data[name] = pd.array(values, dtype="Float64")
        elif kind == "boolean":
            data[name] = pd.array(values, dtype="boolean")
        elif kind == "date":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
        else:
            data[name] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data)
    frame.index = pd.Index(raw.rows, dtype="int64")
    return frame, problems


def validate_file(
    path: str | os.PathLike[str], table: str, format: str | None = None
) -> pd.DataFrame:
    """Read a CSV or Parquet file and validate it against a table's schema.

    The file is only read, never written. Every cell is read as its column's type (a CSV
    in the conventions of :func:`to_csv`: dates ``YYYY-MM-DD``, ``true``/``false``, an empty
    cell for a missing value); then every rule of the table's schema is applied, as
    :func:`unodc_metrics.validate` does. All the problems are collected before anything is
    raised.

    Args:
        path: The file.
        table: The name of the table whose schema to apply, one of
            :data:`unodc_metrics.TABLES`.
        format: ``csv`` or ``parquet``; by default, taken from the file's suffix.

    Returns:
        The validated table, with the schema's dtypes.

    Raises:
        ValidationError: If the file is not a valid table. Its ``failures`` hold one row
            per problem, with the columns of :class:`unodc_metrics.ValidationError` plus
            ``line``: the CSV line the row starts on (the header is line 1), or missing for
            Parquet files and for problems of a whole column or file. ``row`` counts the
            data rows from 0. A file that cannot be read as CSV or Parquet at all is
            reported the same way, with the check ``file_encoding``, ``csv_syntax``,
            ``file_empty`` or ``file_format``.
        LookupError: If there is no such table.
        ValueError: If the format is not ``csv`` or ``parquet``, or cannot be told from the
            suffix.
        OSError: If the file cannot be read (missing, a folder, no permission).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import unodc_metrics as um
        >>> from unodc_metrics.export import to_csv, validate_file
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = to_csv("arrests", Path(tmp) / "arrests.csv")
        ...     text = path.read_text(encoding="utf-8").replace(",17,exact,", ",x,exact,")
        ...     _ = path.write_text(text, encoding="utf-8")
        ...     try:
        ...         validate_file(path, "arrests")
        ...     except um.ValidationError as err:
        ...         found = err.failures
        >>> print(found[["line", "row", "id", "column", "value"]].to_string(index=False))
         line  row      id column value
            2    0 ARR-05a  value     x
        >>> found.loc[0, "message"]
        'cannot be read as a whole number'
    """
    import unodc_metrics as um

    _check_name(table)
    kind = file_format(path) if format is None else format
    if kind not in FILE_FORMATS:
        raise ValueError(f"unknown file format {kind!r}; the formats are: csv, parquet")
    source = Path(path)
    if source.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    data = source.read_bytes()  # the only access to the file: it is never written
    raw = _read_csv_raw(data) if kind == "csv" else _read_parquet_raw(data)
    problems = list(raw.problems)
    frame: pd.DataFrame | None = None
    schema_failures = None
    if raw.header:
        frame, read_problems = _typed_frame(table, raw)
        problems += read_problems
        try:
            validated = um.validate(frame, table=table)
        except ValidationError as exc:
            schema_failures = exc.failures
        else:
            if not problems:
                return validated.reset_index(drop=True)
    absent = {c.name for c in _columns(table)} - set(raw.header)
    failures = _merge(table, problems, schema_failures, frame, raw.lines, absent)
    raise ValidationError(table, failures)


def _merge(
    table: str,
    problems: list[dict[str, Any]],
    schema_failures: pd.DataFrame | None,
    frame: pd.DataFrame | None,
    lines: dict[int, int],
    absent: set[str],
) -> pd.DataFrame:
    """Problems found reading a file, then the schema's failures that they do not explain.

    A rule that reads a cell that could not be read, or a column that is missing, fails as
    a consequence: such failures are left out, the cause is reported.
    """
    import pandas as pd

    from unodc_metrics._tables import _text as value_text
    from unodc_metrics.schemas import RULE_COLUMNS

    ids = frame["id"] if frame is not None and "id" in frame.columns else None
    read_cells = {(p["row"], p["column"]) for p in problems if p["row"] is not None}
    records = []
    for p in problems:
        row = p["row"]
        rid = None
        if ids is not None and row is not None and row in ids.index and not _missing(ids[row]):
            rid = ids[row]
        records.append(
            {
                "table": table,
                "column": p["column"],
                "row": row,
                "id": rid,
                "value": value_text(p["value"]),
                "check": p["check"],
                "message": p["message"],
                "line": p["line"],
            }
        )
    if schema_failures is not None:
        for rec in schema_failures.to_dict("records"):
            row = None if _missing(rec["row"]) else int(rec["row"])
            cols = RULE_COLUMNS.get(str(rec["check"]), (str(rec["column"]),))
            if row is not None and any((row, c) in read_cells for c in cols):
                continue  # a consequence of a cell that could not be read
            if str(rec["check"]) in RULE_COLUMNS and absent.intersection(cols):
                continue  # a rule that could not run: a column it reads is missing
            fields = {str(k): v for k, v in rec.items()}
            records.append({**fields, "row": row, "line": None if row is None else lines.get(row)})
    columns = ["table", "column", "row", "id", "value", "check", "message", "line"]
    failures = pd.DataFrame(records, columns=columns)
    failures["row"] = failures["row"].astype("Int64")
    failures["line"] = failures["line"].astype("Int64")
    for col in ("table", "column", "id", "value", "check", "message"):
        failures[col] = failures[col].astype("string")
    # Problems of the whole file first, then row by row, then those of whole columns.
    order = failures.assign(
        _file=~(failures["row"].isna() & failures["column"].isna()),
        _no_row=failures["row"].isna(),
        _rule=failures["check"].isin(list(RULE_COLUMNS)),
    ).sort_values(["_file", "_no_row", "row", "_rule"], kind="stable")
    return failures.loc[order.index].reset_index(drop=True)
