"""Writing tables in any of the formats, into a folder."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from unodc_metrics.export._columns import chosen_tables
from unodc_metrics.export._dataunodc import figure_tables, write_dataunodc
from unodc_metrics.export._kinds import FORMATS
from unodc_metrics.export._package import write_datapackage
from unodc_metrics.export._sdmx import SDMX_FORMATS, write_sdmx
from unodc_metrics.export._writers import to_csv, to_json, to_parquet

__all__ = ["FORMATS", "export"]


def export(
    out_dir: str | os.PathLike[str], format: str, names: Iterable[str] | None = None
) -> list[Path]:
    """Write tables in one of :data:`FORMATS` into a folder.

    ``parquet``, ``csv`` and ``json`` write ``NAME.parquet``, ``NAME.csv`` or ``NAME.json``
    per table; ``datapackage`` writes the CSV files and ``datapackage.json``
    (:func:`write_datapackage`); ``dataunodc`` writes ``dataunodc.csv``
    (:func:`write_dataunodc`), which holds the figure tables only: with no names, it takes
    all of them. ``sdmx`` and ``sdmx-csv`` (extra ``sdmx``) write, per figure table (all of
    them with no names), ``NAME.sdmx.xml`` (SDMX-ML 2.1 structure-specific data) or
    ``NAME.sdmx.csv`` (SDMX-CSV 2.0), and its structure ``NAME.dsd.xml`` (:func:`to_sdmx`,
    :func:`to_sdmx_csv`).

    Args:
        out_dir: The folder to write into; created if missing. Files of the same names are
            replaced; nothing else in it is touched.
        format: One of :data:`FORMATS`.
        names: The tables to write; ``None`` or empty means all.

    Returns:
        The paths written.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If the format is unknown, or ``dataunodc``, ``sdmx`` or ``sdmx-csv`` is
            asked for a table that holds no figures.
        ImportError: For ``sdmx`` and ``sdmx-csv``, if sdmx1 is not installed.

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
    if format == "dataunodc":
        chosen = figure_tables(given)
    elif format in SDMX_FORMATS:
        chosen = figure_tables(given, f"the {format} format")
    else:
        chosen = chosen_tables(given)
    out = Path(out_dir)
    if format == "datapackage":
        return write_datapackage(out, chosen)
    out.mkdir(parents=True, exist_ok=True)
    if format == "dataunodc":
        return [write_dataunodc(out / "dataunodc.csv", chosen)]
    if format in SDMX_FORMATS:
        return write_sdmx(out, chosen, format)
    writer = {"parquet": to_parquet, "csv": to_csv, "json": to_json}[format]
    return [writer(name, out / f"{name}.{format}") for name in chosen]
