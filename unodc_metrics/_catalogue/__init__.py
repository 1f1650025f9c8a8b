"""The catalogue layer: which tables exist, where their files are, and what they are.

It reads the package's data folder (``metadata.json``, and the two registries that rules and
sums look codes up in) without pandas; parsing and validating a table is the tables layer's
work (:mod:`unodc_metrics._tables`). :func:`.overview.tables` lists the tables as a frame; it
is imported from its module, whose name does not clash with the submodule ``tables``.
"""

from unodc_metrics._catalogue.registries import Measure, initiative_codes, measures
from unodc_metrics._catalogue.tables import (
    FIGURE_TABLES,
    REFERENCE_COMPLETE_UNTIL,
    REFERENCE_LIMITS,
    SCHEMA_NAMES,
    TABLES,
    TableMetadata,
    check_name,
    data_file,
    metadata,
    open_data,
    shape,
)

__all__ = [
    "FIGURE_TABLES",
    "REFERENCE_COMPLETE_UNTIL",
    "REFERENCE_LIMITS",
    "SCHEMA_NAMES",
    "TABLES",
    "Measure",
    "TableMetadata",
    "check_name",
    "data_file",
    "initiative_codes",
    "measures",
    "metadata",
    "open_data",
    "shape",
]
