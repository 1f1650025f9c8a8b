"""Read a dataUNODC GLOTIP download into a validated long table.

UNODC publishes the data of its Global Report on Trafficking in Persons (GLOTIP) on the
dataUNODC portal as ``data_glotip.xlsx`` (and, for some editions, a CSV file). One line of the
file is one count: a country, an indicator (detected victims, persons convicted, ...), a
breakdown (dimension and category), a sex, an age group and a year. Counts below 5 are
suppressed and written ``<5``.

:func:`read_glotip` reads such a file, wherever its header is, and returns one row per data
line of the file, never fewer: a line it cannot read stops the read with a
:class:`unodc_metrics.ValidationError` that names the line (or, with ``errors="report"``, is
listed apart). The steps: :mod:`.cells` reads the cells and finds the header, :mod:`.table`
turns them into the validated table, :mod:`.areas` says what area each line counts, and
:mod:`.cache` keeps a Parquet copy.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from typing import IO, TYPE_CHECKING, Literal

from unodc_metrics._readers.glotip.cache import cache_file, read_cache, write_cache
from unodc_metrics._readers.glotip.cells import load
from unodc_metrics._readers.glotip.format import (
    AGE_LABELS,
    CACHE_ENV,
    COLUMNS,
    FILE_COLUMNS,
    GLOTIP,
    READER_VERSION,
    SEX_LABELS,
)
from unodc_metrics._readers.glotip.table import ignored_message, parse

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AGE_LABELS",
    "CACHE_ENV",
    "COLUMNS",
    "FILE_COLUMNS",
    "GLOTIP",
    "READER_VERSION",
    "SEX_LABELS",
    "read_glotip",
]


def read_glotip(
    path_or_buffer: str | os.PathLike[str] | bytes | IO[bytes] | IO[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    errors: Literal["raise", "report"] = "raise",
) -> pd.DataFrame:
    """Read a dataUNODC GLOTIP download into a validated long table.

    The file may be the portal's ``.xlsx`` (read with fastexcel, as Arrow) or a CSV file.
    The reader finds the header itself among the first 20 lines, whatever precedes it (the
    ``UNODC`` line, the edition date, a contact cell), and finds each column by its name
    (case, spaces and underscores do not matter), wherever it is.

    Every data line becomes one row, whatever area it counts: countries, territories,
    area aggregates (regional groups, with no ``Country`` or ``Region``), combined areas
    (``Aruba/Curacao``) and codes outside ISO 3166 are all kept, and ``area_kind`` says
    which each is (the rules are in :mod:`unodc_metrics._readers.glotip.areas`: the ISO
    3166-1 code and whether ISO marks it independent, whether the line names a country and
    a region, the file's own region names, and a short curated list of areas without a
    code). A year the file leaves empty is missing. Blank lines are skipped and counted.
    Only a line that truly cannot be read fails: a count that is neither a whole number nor
    ``<5``, a year that is not a four-digit year from 1990 to this year, an unknown sex or
    age label, a missing indicator or dimension, data in a column the header does not name.
    By default (``errors="raise"``), nothing is returned and a
    :class:`~unodc_metrics.ValidationError` lists every such line; in its ``failures``, the
    ``row`` column is the file's line number. With ``errors="report"``, the readable lines
    are returned and ``df.attrs["glotip"]["unreadable"]`` lists each problem of the others
    (``line``, ``column``, ``value``, ``reason``), so that the rows returned and the lines
    listed together make every data line of the file.

    A suppressed count (``<5``) has a missing ``value``, ``censored`` true, and the bounds
    ``value_low`` 0 and ``value_high`` 4; any other count has ``value_low = value =
    value_high``. Thousands separators (``1,192``) are read as such.

    ``df.attrs["glotip"]`` records where the table comes from: ``source_name``,
    ``source_sha256``, ``reader_version``, ``format``, ``sheet``, ``encoding``,
    ``header_line``, ``preamble`` (the non-empty cells before the header), ``edition_date``
    (the date in the preamble, read day first, as ISO text; missing where the file has no
    preamble, never invented), ``data_lines`` (the file's data lines), ``blank_lines``,
    ``unreadable``, ``ignored_columns`` and ``from_cache``.

    Args:
        path_or_buffer: A path to the file, its bytes, or an open file (binary, or text for
            a CSV).
        cache_dir: A folder for a Parquet copy of the table, named by the SHA-256 of the
            file's bytes and :data:`READER_VERSION`: when the same file is read again, the
            copy is loaded instead (a changed file has another checksum, so a stale copy is
            never served). When ``None``, the folder named by the environment variable
            ``UNODC_METRICS_CACHE_DIR`` is used if it is set; otherwise nothing is cached.
            A read that left lines out is never cached.
        errors: ``"raise"`` (the default) refuses a file with any unreadable line;
            ``"report"`` returns the readable ones and lists the others in the attrs.

    Returns:
        One row per data line, with the columns of :data:`COLUMNS`: ``iso3``,
        ``iso3_is_iso3166``, ``country``, ``region``, ``subregion``, ``area_kind``,
        ``indicator``,
        ``dimension``, ``category``, ``sex``, ``age``, ``year``, ``value``, ``value_low``,
        ``value_high``, ``censored``, ``unit``, ``source`` and ``line`` (the file's line).

    Raises:
        ValidationError: If any line cannot be read, or the table fails
            :class:`unodc_metrics.schemas.GlotipSchema` (with ``errors="raise"``).
        ValueError: If no header is found in the first 20 lines, a column is missing or
            named twice, or the file cannot be opened as a spreadsheet.
        TypeError: If ``path_or_buffer`` is not a path, bytes or a file.

    Warns:
        UserWarning: If the header has columns the reader does not know (they are left out),
            or the cache cannot be written.

    Examples:
        >>> import io
        >>> from unodc_metrics import ValidationError, read_glotip
        >>> header = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension"]
        >>> header += ["Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE"]
        >>> header += ["Source"]
        >>> place = "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total"
        >>> lines = ["UNODC", "14/04/2025", ",".join(header)]
        >>> lines.append(place + ',Female,Total,2021,Counts,"1,192",GLOTIP')
        >>> lines.append(place + ",Other,Total,2021,Counts,<5,GLOTIP")
        >>> text = "".join(line + chr(10) for line in lines)
        >>> df = read_glotip(io.StringIO(text))
        >>> df[["sex", "year", "value", "value_low", "value_high", "censored", "line"]]
              sex  year  value  value_low  value_high  censored  line
        0  female  2021   1192       1192        1192     False     4
        1   other  2021   <NA>          0           4      True     5
        >>> df.attrs["glotip"]["header_line"], df.attrs["glotip"]["edition_date"]
        (3, '2025-04-14')
        >>> df["area_kind"].tolist()
        ['country', 'country']

        A line that cannot be read stops the read, and the error names it:

        >>> bad = text.replace("<5", "abc")
        >>> try:
        ...     read_glotip(io.StringIO(bad))
        ... except ValidationError as err:
        ...     print(err.failures.loc[0, "message"])
        cannot be read as a count: txtVALUE must be a whole number or '<5' (line 5 of the file)

        Or the readable lines, and the others listed:

        >>> df = read_glotip(io.StringIO(bad), errors="report")
        >>> len(df), [u["line"] for u in df.attrs["glotip"]["unreadable"]]
        (1, [5])
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
    data, kind, name = load(path_or_buffer)
    sha256 = hashlib.sha256(data).hexdigest()
    path = cache_file(cache_dir, sha256, kind)
    if path is not None:
        cached = read_cache(path)
        if cached is not None:
            meta = dict(cached.attrs["glotip"])
            if meta.get("ignored_columns"):
                warnings.warn(
                    ignored_message(name or "the file", meta["ignored_columns"]),
                    UserWarning,
                    stacklevel=2,
                )
            cached.attrs["glotip"] = meta | {"source_name": name, "from_cache": True}
            return cached
    df = parse(data, kind, name, sha256, errors)
    if path is not None and not df.attrs["glotip"]["unreadable"]:
        write_cache(path, df)
    return df
