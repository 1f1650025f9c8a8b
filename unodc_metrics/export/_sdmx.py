"""SDMX: the figure tables, users' records and the GLOTIP long table, written with sdmx1.

Each data file gets its data structure definition beside it, as an SDMX-ML 2.1 structure
message (``NAME.dsd.xml``). Data are written as SDMX-ML 2.1 structure-specific data
(:func:`to_sdmx`) or SDMX-CSV 2.0 (:func:`to_sdmx_csv`). docs/sdmx.md describes the
mapping: the dimensions, the code lists, and the attributes that carry qualifiers, bounds,
censoring and derivation.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from unodc_metrics._catalogue import FIGURE_TABLES
from unodc_metrics._readers import GLOTIP
from unodc_metrics._tables import load
from unodc_metrics.export._dataunodc import figure_tables
from unodc_metrics.export._sdmx_codes import Cube
from unodc_metrics.export._sdmx_cube import figure_cube, glotip_cube
from unodc_metrics.export._sdmx_structure import data_message, import_sdmx, structure_message

if TYPE_CHECKING:
    import pandas as pd
    from sdmx.message import StructureMessage

__all__ = [
    "SDMX_FORMATS",
    "sdmx_structure",
    "structure_path",
    "to_sdmx",
    "to_sdmx_csv",
    "write_sdmx",
]

SDMX_FORMATS: dict[str, str] = {"sdmx": ".sdmx.xml", "sdmx-csv": ".sdmx.csv"}
"""The SDMX formats of :func:`~unodc_metrics.export.export`, and the suffix of their files."""

_SUFFIXES = (".xml", ".csv", ".sdmx")


def _cube(source: str | pd.DataFrame, table: str | None) -> Cube:
    """The cube of a figure table's name, or of a frame of a figure table or GLOTIP.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If the name is not a figure table, or a frame's table is not known.
    """
    if isinstance(source, str):
        if source == GLOTIP:
            raise ValueError("pass the frame that read_glotip returns, with table='glotip'")
        if table not in (None, source):
            raise ValueError(f"the table {source!r} is given with table={table!r}")
        (name,) = figure_tables([source], "the SDMX export")
        return figure_cube(load(name), name)
    if table is None and GLOTIP in source.attrs:
        table = GLOTIP
    if table == GLOTIP:
        return glotip_cube(source)
    if table in FIGURE_TABLES:
        return figure_cube(source, table)
    raise ValueError(
        f"say which table the frame holds: table= one of {', '.join(FIGURE_TABLES)} or "
        f"{GLOTIP!r}; not {table!r}"
    )


def structure_path(path: str | os.PathLike[str]) -> Path:
    """Where the structure of a data file goes: ``NAME.dsd.xml`` beside ``NAME.sdmx.xml``.

    Examples:
        >>> structure_path("out/trainings.sdmx.csv").as_posix()
        'out/trainings.dsd.xml'
        >>> structure_path("records.xml").name
        'records.dsd.xml'
    """
    out = Path(path)
    name = out.name
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return out.with_name(f"{name}.dsd.xml")


def sdmx_structure(source: str | pd.DataFrame, *, table: str | None = None) -> StructureMessage:
    """The SDMX structure of a table's data: its DSD, data flow, code lists and concepts.

    Args:
        source: A figure table's name (see :data:`unodc_metrics.FIGURE_TABLES`), or a frame
            with a figure table's columns (users' records, with or without the provenance
            columns), or the frame of :func:`unodc_metrics.read_glotip`.
        table: The table a frame holds: a figure table's name or ``"glotip"``; for a
            GLOTIP frame it may be left out.

    Returns:
        An sdmx1 ``StructureMessage``; the code lists of the measures and areas hold the
        codes of the data.

    Raises:
        ImportError: If sdmx1 is not installed.
        LookupError: If a name is not a table.
        ValueError: If the table is not a figure table or GLOTIP, a required column is
            missing, a code is unknown or two observations would share a key.

    Examples:
        >>> from unodc_metrics.export import sdmx_structure
        >>> dsd = sdmx_structure("trainings").structure["DSD_TRAININGS"]
        >>> [d.id for d in dsd.dimensions.components]
        ['MEASURE', 'REF_AREA', 'SEX', 'AGE', 'RECORD_ID', 'TIME_PERIOD']
    """
    return structure_message(_cube(source, table))


def _write(
    source: str | pd.DataFrame, path: str | os.PathLike[str], table: str | None, csv: bool
) -> list[Path]:
    """Write the data file and its structure beside it; return both paths."""
    sdmx = import_sdmx()
    cube = _cube(source, table)
    structure = structure_message(cube)
    data = data_message(cube, structure)
    out, dsd = Path(path), structure_path(path)
    if out == dsd:
        raise ValueError(f"{out} is where the structure goes; name the data file otherwise")
    if csv:
        sdmx.to_csv(data.data[0], path=out, attributes="o", dtype=None)
    else:
        out.write_bytes(sdmx.to_xml(data, pretty_print=True))
    dsd.write_bytes(sdmx.to_xml(structure, pretty_print=True))
    return [out, dsd]


def to_sdmx(
    source: str | pd.DataFrame, path: str | os.PathLike[str], *, table: str | None = None
) -> list[Path]:
    """Write SDMX-ML 2.1 structure-specific data, and its structure beside it.

    Args:
        source: A figure table's name, a frame with a figure table's columns, or the
            GLOTIP long table (see :func:`sdmx_structure`).
        path: The data file, replaced if it exists; the structure goes to
            :func:`structure_path` of it (``trainings.sdmx.xml`` → ``trainings.dsd.xml``).
        table: The table a frame holds (see :func:`sdmx_structure`).

    Returns:
        The data file and the structure file.

    Raises:
        ImportError: If sdmx1 is not installed.
        LookupError: If a name is not a table.
        ValueError: As :func:`sdmx_structure`.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import sdmx
        >>> from unodc_metrics.export import to_sdmx
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     data, dsd = to_sdmx("arrests", Path(tmp) / "arrests.sdmx.xml")
        ...     with dsd.open("rb") as fh:
        ...         structure = sdmx.read_sdmx(fh).structure["DSD_ARRESTS"]
        ...     with data.open("rb") as fh:
        ...         message = sdmx.read_sdmx(fh, structure=structure)
        >>> len(message.data[0].obs), dsd.name
        (4, 'arrests.dsd.xml')
    """
    return _write(source, path, table, csv=False)


def to_sdmx_csv(
    source: str | pd.DataFrame, path: str | os.PathLike[str], *, table: str | None = None
) -> list[Path]:
    """Write SDMX-CSV 2.0 (with sdmx1's writer), and the structure beside it.

    One line per observation: ``STRUCTURE``, ``STRUCTURE_ID`` (the data flow),
    ``ACTION``, the dimensions, ``OBS_VALUE``, then the attributes; a missing value is an
    empty cell. Arguments, result and errors as :func:`to_sdmx`.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics.export import to_sdmx_csv
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     data, dsd = to_sdmx_csv("arrests", Path(tmp) / "arrests.sdmx.csv")
        ...     header = data.read_text(encoding="utf-8").splitlines()[0].split(",")
        >>> header[:5]
        ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', 'MEASURE', 'REF_AREA']
        >>> header[8:11]
        ['TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS']
    """
    return _write(source, path, table, csv=True)


def write_sdmx(out_dir: Path, names: Iterable[str], format: str) -> list[Path]:
    """Write each figure table in an SDMX format (see :data:`SDMX_FORMATS`) into a folder:
    ``NAME.sdmx.xml`` or ``NAME.sdmx.csv``, and ``NAME.dsd.xml``."""
    writer = to_sdmx if format == "sdmx" else to_sdmx_csv
    written: list[Path] = []
    for name in names:
        written.extend(writer(name, out_dir / f"{name}{SDMX_FORMATS[format]}"))
    return written
