"""The names of the formats: those :func:`~unodc_metrics.export.export` writes, and those
:func:`~unodc_metrics.export.validate_file` reads. They import nothing, so that the command
line can offer them as choices without loading the writers.
"""

from __future__ import annotations

__all__ = ["FILE_FORMATS", "FORMATS"]

FORMATS: tuple[str, ...] = (
    "parquet",
    "csv",
    "json",
    "datapackage",
    "dataunodc",
    "sdmx",
    "sdmx-csv",
)
"""The formats that :func:`~unodc_metrics.export.export` writes."""

FILE_FORMATS: tuple[str, ...] = ("csv", "parquet", "json")
"""The file formats that :func:`~unodc_metrics.export.validate_file` reads."""
