"""The Frictionless data package: a Table Schema per table, and ``datapackage.json``."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from unodc_metrics._base.source import REPORT, Citation
from unodc_metrics._base.version import __version__
from unodc_metrics._catalogue import FIGURE_TABLES, TABLES, check_name, metadata
from unodc_metrics._validation._read import FALSE_VALUES, TRUE_VALUES
from unodc_metrics.export._columns import Column, chosen_tables, columns
from unodc_metrics.export._text import write_text
from unodc_metrics.export._writers import table_csv, to_csv

__all__ = ["PRIMARY_KEYS", "datapackage", "table_schema", "write_datapackage"]

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    **{name: ("id",) for name in FIGURE_TABLES},
    "initiatives": ("code",),
    "measures": ("table", "measure"),
    "listed_items": ("figure_id", "position"),
    "parties": ("iso3",),
}
"""The columns that identify a row of each table: the primary keys of the data package."""

_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}

_TITLE = "Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work"
_DESCRIPTION = (
    "The figures of the report of the Secretariat of 22 July 2022 to the eleventh "
    "session of the Conference of the Parties to the United Nations Convention "
    "against Transnational Organized Crime, as validated, provenance-linked tables. "
    "Each figure row carries the report's paragraph and the verbatim phrase."
)


def _constraints(col: Column) -> dict[str, Any]:
    """A column's single-column rules, as Table Schema constraints."""
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


def _field(col: Column) -> dict[str, Any]:
    """A column as a Table Schema field."""
    spec: dict[str, Any] = {"name": col.name, "type": col.kind}
    if col.kind == "date":
        spec["format"] = "default"
    if col.kind == "boolean":  # the values that validate reads: one reading everywhere
        spec["trueValues"] = list(TRUE_VALUES)
        spec["falseValues"] = list(FALSE_VALUES)
    spec["description"] = col.description
    if col.unit is not None:
        spec["unit"] = col.unit
    constraints = _constraints(col)
    if constraints:
        spec["constraints"] = constraints
    return spec


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
    check_name(name)
    included = set(TABLES if resources is None else resources)
    schema: dict[str, Any] = {
        "fields": [_field(col) for col in columns(name)],
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


def _resource(name: str, chosen: list[str]) -> dict[str, Any]:
    """One table as a CSV resource of a package of the ``chosen`` tables."""
    meta = metadata(name)
    source = meta.source.text() if isinstance(meta.source, Citation) else meta.source
    digest = hashlib.sha256(table_csv(name).encode("utf-8")).hexdigest()
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": meta.title,
        "description": meta.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": "sha256:" + digest,
        "sources": [{"title": source}],
        "licenses": [{**_LICENCE, "title": meta.licence}],
        "schema": table_schema(name, resources=chosen),
    }


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
    chosen = chosen_tables(names)
    return {
        "profile": "tabular-data-package",
        "name": "unodc-metrics",
        "title": _TITLE,
        "description": _DESCRIPTION,
        "version": __version__,
        "licenses": [_LICENCE],
        "sources": [{"title": REPORT.text()}],
        "resources": [_resource(name, chosen) for name in chosen],
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
    chosen = chosen_tables(names)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [to_csv(name, out / f"{name}.csv") for name in chosen]
    descriptor = datapackage(chosen)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    written.append(write_text(out / "datapackage.json", text))
    return written
