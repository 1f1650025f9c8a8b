"""Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work, as data.

The report of the Secretariat of 22 July 2022 (Conference of the Parties to the Organized Crime
Convention, eleventh session) describes UNODC's activities from October 2020 to July 2022.
Each of its figures is a row of a curated table here, with the paragraph and the verbatim
phrase that state it.

This module is the package's facade: it names the public API and imports each part on first
use, so that ``import unodc_metrics`` stays cheap. Nothing inside the package imports it;
``docs/architecture.md`` maps the layers behind it.

Examples:
    >>> from unodc_metrics import count_parties, load, tables
    >>> "trainings" in set(tables()["name"])
    True
    >>> count_parties(load("parties"), "2022-07-22").high
    178
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.source import REPORT, REPORTING_PERIOD, SOURCE_EDITION, Citation
from unodc_metrics._catalogue import (
    FIGURE_TABLES,
    REFERENCE_COMPLETE_UNTIL,
    REFERENCE_LIMITS,
    TABLES,
    TableMetadata,
    metadata,
)
from unodc_metrics._catalogue.overview import tables

if TYPE_CHECKING:
    from unodc_metrics import export as export
    from unodc_metrics import schemas as schemas
    from unodc_metrics import testing as testing
    from unodc_metrics._aggregations import (
        UNKNOWN_CHOICES,
        UnknownSex,
        gender_breakdown,
        totals_by_year,
        trainees_per_initiative,
        victims_breakdown,
    )
    from unodc_metrics._base.version import __version__
    from unodc_metrics._figures import check_figures, figures, inconsistencies
    from unodc_metrics._readers import read_glotip
    from unodc_metrics._tables import (
        PartyCount,
        count_parties,
        count_signatories,
        joined_between,
        load,
        validate,
    )
    from unodc_metrics.export import validate_file

_LAZY: dict[str, str] = {
    "__version__": "unodc_metrics._base.version",
    "UNKNOWN_CHOICES": "unodc_metrics._aggregations",
    "UnknownSex": "unodc_metrics._aggregations",
    "gender_breakdown": "unodc_metrics._aggregations",
    "totals_by_year": "unodc_metrics._aggregations",
    "trainees_per_initiative": "unodc_metrics._aggregations",
    "victims_breakdown": "unodc_metrics._aggregations",
    "check_figures": "unodc_metrics._figures",
    "figures": "unodc_metrics._figures",
    "inconsistencies": "unodc_metrics._figures",
    "read_glotip": "unodc_metrics._readers",
    "PartyCount": "unodc_metrics._tables",
    "count_parties": "unodc_metrics._tables",
    "count_signatories": "unodc_metrics._tables",
    "joined_between": "unodc_metrics._tables",
    "load": "unodc_metrics._tables",
    "validate": "unodc_metrics._tables",
    "validate_file": "unodc_metrics.export",
}
"""Each lazily imported name, and the module that defines it."""

_SUBMODULES = ("export", "schemas", "testing")
"""The public submodules that the facade names; each is imported on first use."""

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
    "testing",
    "totals_by_year",
    "trainees_per_initiative",
    "validate",
    "validate_file",
    "victims_breakdown",
]


def __getattr__(name: str) -> Any:
    # Only the names listed above: any other name is an AttributeError, as usual.
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f"{__name__}.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
