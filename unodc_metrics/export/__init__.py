"""Write the curated tables to files, and read such files back for validation.

Seven formats, each keeping the table's metadata where the format has room for it:

- ``parquet``: one file per table. Dates are Arrow ``date32``, counts ``int64`` (nullable
  where the schema allows missing values), shares ``float64``, flags ``bool``, text
  ``string``. Each field carries its description and unit in its Arrow field metadata, and
  the schema metadata holds the table's whole metadata record, as JSON, under the key
  :data:`PARQUET_METADATA_KEY`.
- ``csv``: one file per table, in the schema's column order, UTF-8, ``,`` between cells,
  ``\\n`` between lines; dates ``YYYY-MM-DD``; ``true``/``false``; a missing value is an
  empty cell. These are the conventions of the shipped files; :func:`csv_text`,
  :func:`cell_text` and :func:`table_csv` write text in them.
- ``json``: one file per table, an array of records (one object per row, keys in the
  schema's column order); dates ``YYYY-MM-DD``; a missing value is ``null``.
- ``datapackage``: a Frictionless data package: ``datapackage.json`` and one CSV per table,
  with a Table Schema per resource (types, descriptions, units, constraints, primary keys
  and the foreign keys that stay inside the package).
- ``dataunodc``: ``dataunodc.csv``, the figure tables in the 13-column long format of
  dataUNODC's downloads (see :func:`to_dataunodc`), whose columns are
  :data:`DATAUNODC_COLUMNS`.
- ``sdmx`` and ``sdmx-csv`` (extra ``sdmx``, the sdmx1 package): per figure table,
  SDMX-ML 2.1 structure-specific data (``NAME.sdmx.xml``, :func:`to_sdmx`) or SDMX-CSV 2.0
  (``NAME.sdmx.csv``, :func:`to_sdmx_csv`), each with its data structure definition beside
  it (``NAME.dsd.xml``, :func:`sdmx_structure`): SDMX codes for sex and age, and the
  qualifier, bounds, censoring and derivation of each number as observation attributes.
  The same functions take users' own records (a frame with a figure table's columns,
  provenance columns optional) and the GLOTIP long table of
  :func:`unodc_metrics.read_glotip`. docs/sdmx.md describes the mapping.

:func:`validate_file` reads a CSV or Parquet file in the shape of a table, checks every cell
and every rule of the table's schema, and never writes to the file.

The modules behind this package: ``_columns`` (each column's type, description and unit,
from the schema and the metadata), ``_text`` (CSV text), ``_writers`` (CSV, JSON, Arrow,
Parquet), ``_package`` (the data package), ``_dataunodc`` (the long format), ``_sdmx``
(the SDMX files, from the observations of ``_sdmx_cube`` built of ``_sdmx_codes``, in
sdmx1's model by ``_sdmx_structure``), ``_cells``
(reading a file's cells back), ``_validate`` (:func:`validate_file`) and ``_formats``
(:func:`export`).

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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unodc_metrics.export._cells import file_format
    from unodc_metrics.export._columns import metadata_record
    from unodc_metrics.export._dataunodc import DATAUNODC_COLUMNS, to_dataunodc, write_dataunodc
    from unodc_metrics.export._formats import export
    from unodc_metrics.export._kinds import FILE_FORMATS, FORMATS
    from unodc_metrics.export._package import (
        PRIMARY_KEYS,
        datapackage,
        table_schema,
        write_datapackage,
    )
    from unodc_metrics.export._sdmx import sdmx_structure, to_sdmx, to_sdmx_csv
    from unodc_metrics.export._text import cell_text, csv_text
    from unodc_metrics.export._validate import validate_file
    from unodc_metrics.export._writers import (
        PARQUET_METADATA_KEY,
        table_csv,
        to_arrow,
        to_csv,
        to_json,
        to_parquet,
        to_records,
    )

# Each name is imported from its module on first use, so that a caller who needs only CSV
# text or the names of the formats (the command line) does not load every writer.
_LAZY: dict[str, str] = {
    "DATAUNODC_COLUMNS": "unodc_metrics.export._dataunodc",
    "FILE_FORMATS": "unodc_metrics.export._kinds",
    "FORMATS": "unodc_metrics.export._kinds",
    "PARQUET_METADATA_KEY": "unodc_metrics.export._writers",
    "PRIMARY_KEYS": "unodc_metrics.export._package",
    "cell_text": "unodc_metrics.export._text",
    "csv_text": "unodc_metrics.export._text",
    "datapackage": "unodc_metrics.export._package",
    "export": "unodc_metrics.export._formats",
    "file_format": "unodc_metrics.export._cells",
    "metadata_record": "unodc_metrics.export._columns",
    "sdmx_structure": "unodc_metrics.export._sdmx",
    "table_csv": "unodc_metrics.export._writers",
    "table_schema": "unodc_metrics.export._package",
    "to_arrow": "unodc_metrics.export._writers",
    "to_csv": "unodc_metrics.export._writers",
    "to_dataunodc": "unodc_metrics.export._dataunodc",
    "to_json": "unodc_metrics.export._writers",
    "to_parquet": "unodc_metrics.export._writers",
    "to_records": "unodc_metrics.export._writers",
    "to_sdmx": "unodc_metrics.export._sdmx",
    "to_sdmx_csv": "unodc_metrics.export._sdmx",
    "validate_file": "unodc_metrics.export._validate",
    "write_datapackage": "unodc_metrics.export._package",
    "write_dataunodc": "unodc_metrics.export._dataunodc",
}

__all__ = [
    "DATAUNODC_COLUMNS",
    "FILE_FORMATS",
    "FORMATS",
    "PARQUET_METADATA_KEY",
    "PRIMARY_KEYS",
    "cell_text",
    "csv_text",
    "datapackage",
    "export",
    "file_format",
    "metadata_record",
    "sdmx_structure",
    "table_csv",
    "table_schema",
    "to_arrow",
    "to_csv",
    "to_dataunodc",
    "to_json",
    "to_parquet",
    "to_records",
    "to_sdmx",
    "to_sdmx_csv",
    "validate_file",
    "write_datapackage",
    "write_dataunodc",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
