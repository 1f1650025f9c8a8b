"""The tables the package ships: their names, their files and their metadata records.

Nothing here parses a table: it reads ``metadata.json`` and counts the lines of a file, so
that listing the tables needs neither pandas nor pandera.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import IO, Any

from unodc_metrics._base.source import REPORT, Citation

__all__ = [
    "FIGURE_TABLES",
    "REFERENCE_COMPLETE_UNTIL",
    "REFERENCE_LIMITS",
    "SCHEMA_NAMES",
    "TABLES",
    "TableMetadata",
    "check_name",
    "data_file",
    "metadata",
    "open_data",
    "shape",
]

FIGURE_TABLES: tuple[str, ...] = (
    "trainings",
    "rescues",
    "arrests",
    "investigations",
    "countries_reached",
    "meetings",
    "knowledge_base",
    "publications",
    "protocol_status",
    "other_counts",
)
"""The tables of the report's figures, each sharing the columns of ``FigureTable``."""

TABLES: tuple[str, ...] = (*FIGURE_TABLES, "initiatives", "measures", "listed_items", "parties")
"""Every table the package ships, in the order :func:`unodc_metrics.tables` lists them."""

SCHEMA_NAMES: dict[str, str] = {
    "trainings": "Trainings",
    "rescues": "Rescues",
    "arrests": "Arrests",
    "investigations": "Investigations",
    "countries_reached": "CountriesReached",
    "meetings": "Meetings",
    "knowledge_base": "KnowledgeBase",
    "publications": "Publications",
    "protocol_status": "ProtocolStatus",
    "other_counts": "OtherCounts",
    "initiatives": "Initiatives",
    "measures": "Measures",
    "listed_items": "ListedItems",
    "parties": "Parties",
    "glotip": "GlotipSchema",
}
"""The name of each table's schema class in :mod:`unodc_metrics.schemas`; ``glotip`` is the
long shape of a GLOTIP download, which is read, not shipped."""

REFERENCE_COMPLETE_UNTIL: dt.date = dt.date(2023, 2, 20)
"""Last date up to which the ``parties`` table is known to list every party."""

REFERENCE_LIMITS: tuple[str, ...] = (
    "The table is complete only up to 2023-02-20 (Bhutan's accession); counts for later "
    "dates are lower bounds.",
    "The UN Treaty Collection counted 182 parties on 2024-04-20; this table has 181, so one "
    "party that joined between 2023-02-20 and 2024-04-20 is missing.",
    "EUU, the code given to the European Union, is a World Bank code, not an ISO 3166-1 "
    "alpha-3 code.",
    "Names are as the UN wrote them in January 2018 (e.g. Swaziland, Turkey, The former "
    "Yugoslav Republic of Macedonia), not the current UN names.",
    "The 8 rows for parties that joined after January 2018 were not read from a UN Treaty "
    "Collection page: 4 dates are derived (entry into force minus 30 days), 1 is from the "
    "press and 1 from UNODC.",
    "2 of those 8 have unknown dates (Palau: April 2019 to March 2020; Pakistan: November "
    "2022) and are counted through these windows.",
)
"""The limits of the ``parties`` table's reference, as short sentences to carry with any
figure built from it."""


@dataclass(frozen=True)
class TableMetadata:
    """What a table is, where it comes from, and how to check its file.

    Attributes:
        name: The table's name, as passed to :func:`unodc_metrics.load`.
        title: A short title.
        description: What one row is, and what the table holds.
        kind: ``figures`` (the report's numbers), ``registry`` (codes that the figure tables
            refer to) or ``reference`` (data from outside the report).
        source: The document the rows come from.
        source_note: How the rows were taken from it.
        licence: The terms under which the table is shared.
        units: The unit of each count column. Where it depends on the row, the unit is
            ``"see measure"``: look the row's measure up in the ``measures`` table.
        sha256: Checksum of the shipped CSV file.
        file: The file's name inside the package's data folder.
        limits: What the table cannot tell, to be carried with any figure built from it.
    """

    name: str
    title: str
    description: str
    kind: str
    source: Citation | str
    source_note: str
    licence: str
    units: dict[str, str]
    sha256: str
    file: str
    limits: tuple[str, ...] = field(default=())


def check_name(name: str) -> str:
    """``name``, if it is one of :data:`TABLES`.

    Raises:
        LookupError: If there is no such table; the message lists the tables.
    """
    if not isinstance(name, str) or name not in TABLES:
        raise LookupError(f"no table named {name!r}; the tables are: {', '.join(TABLES)}")
    return name


def data_file(name: str) -> Traversable:
    """A file of the package's data folder (``datasets/`` in the repository)."""
    return files("unodc_metrics.data").joinpath(name)


def open_data(name: str) -> IO[str]:
    """A shipped CSV file of the data folder, open for the ``csv`` module (UTF-8, no newline
    translation)."""
    opened: IO[str] = data_file(name).open("r", encoding="utf-8", newline="")  # type: ignore[call-overload]
    return opened


@cache
def _records() -> dict[str, Any]:
    records: dict[str, Any] = json.loads(data_file("metadata.json").read_text(encoding="utf-8"))
    return records


def metadata(name: str) -> TableMetadata:
    """The metadata of one table: title, description, source, licence, units and checksum.

    Args:
        name: A table name, one of :data:`TABLES`.

    Returns:
        The table's :class:`TableMetadata`.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> from unodc_metrics import metadata
        >>> meta = metadata("trainings")
        >>> meta.units["value"], meta.source.date.isoformat()
        ('persons', '2022-07-22')
        >>> len(meta.sha256)
        64
    """
    rec = _records()["tables"][check_name(name)]
    source: Citation | str = REPORT if rec["source"] == "report" else rec["source"]
    return TableMetadata(
        name=name,
        title=rec["title"],
        description=rec["description"],
        kind=rec["kind"],
        source=source,
        source_note=rec["source_note"],
        licence=rec["licence"],
        units=dict(rec["units"]),
        sha256=rec["sha256"],
        file=f"{name}.csv",
        limits=REFERENCE_LIMITS if name == "parties" else tuple(rec.get("limits", ())),
    )


def shape(name: str) -> tuple[int, int]:
    """Rows and columns of a shipped table, counted from its file: no parsing, no pandera.

    The shipped files are validated by the test suite, and by :func:`unodc_metrics.load` on
    first use.
    """
    with open_data(f"{check_name(name)}.csv") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return sum(1 for _ in reader), len(header)
