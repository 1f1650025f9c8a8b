"""Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work, as data.

The report of the Secretariat of 22 July 2022 (Conference of the Parties to the Organized Crime
Convention, eleventh session) describes UNODC's activities from October 2020 to July 2022.
Each of its figures is a row of a curated table here, with the paragraph and the verbatim
phrase that state it.

Examples:
    >>> import unodc_metrics as um
    >>> "trainings" in set(um.tables()["name"])
    True
    >>> um.count_parties(um.load("parties"), "2022-07-22").high
    178
"""

from __future__ import annotations

import warnings
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from unodc_metrics import export as export
from unodc_metrics._aggregate import (
    UNKNOWN_CHOICES,
    UnknownSex,
    gender_breakdown,
    totals_by_year,
    trainees_per_initiative,
)
from unodc_metrics._errors import ValidationError
from unodc_metrics._figures import check_figures, figures, inconsistencies
from unodc_metrics._glotip import read_glotip
from unodc_metrics._parties import (
    REFERENCE_COMPLETE_UNTIL,
    REFERENCE_LIMITS,
    PartyCount,
    count_parties,
    count_signatories,
    joined_between,
)
from unodc_metrics._source import REPORT, REPORTING_PERIOD, Citation
from unodc_metrics._tables import (
    FIGURE_TABLES,
    TABLES,
    TableMetadata,
    load,
    metadata,
    tables,
    validate,
)
from unodc_metrics.export import validate_file

if TYPE_CHECKING:
    from unodc_metrics import schemas as schemas

# Two warnings about other packages, raised when this one uses them, that say nothing about
# its results. With pyspark installed (the "spark" extra), pandera tries to import
# pyspark.pandas, which fails under pandas 3 and warns at every try; nothing here uses
# pyspark.pandas. narwhals announces that its Dask support will move to a package,
# narwhals-dask, that is not yet released. Every other warning is left alone.
warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
warnings.filterwarnings("ignore", "Dask support is moving out of Narwhals", FutureWarning)

try:
    __version__ = version("unodc-metrics")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

SOURCE_EDITION = REPORT.date.isoformat()
"""The edition of the source the data is built from: the date of the report."""

__all__ = [
    "FIGURE_TABLES",
    "REFERENCE_COMPLETE_UNTIL",
    "REFERENCE_LIMITS",
    "REPORT",
    "REPORTING_PERIOD",
    "SOURCE_EDITION",
    "TABLES",
    "UNKNOWN_CHOICES",
    "Citation",
    "PartyCount",
    "TableMetadata",
    "UnknownSex",
    "ValidationError",
    "__version__",
    "check_figures",
    "count_parties",
    "count_signatories",
    "export",
    "figures",
    "gender_breakdown",
    "inconsistencies",
    "joined_between",
    "load",
    "metadata",
    "read_glotip",
    "schemas",
    "tables",
    "totals_by_year",
    "trainees_per_initiative",
    "validate",
    "validate_file",
]


def __getattr__(name: str) -> object:
    # Only the schemas submodule is lazy: it imports pandera, which is slow to import.
    if name == "schemas":
        import importlib

        return importlib.import_module("unodc_metrics.schemas")
    raise AttributeError(f"module 'unodc_metrics' has no attribute {name!r}")
