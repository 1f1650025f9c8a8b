"""Reading a CSV, Parquet or JSON file into columns, noting what cannot be read as a table.

The file's structure is read here, in columns, by pyarrow; its values are then read by the
one reading of values that frames get too (:mod:`unodc_metrics._validation._read`), as
:func:`~unodc_metrics.export.validate_file` validates the frame. Each structural problem is a
failure whose ``rule`` is its check: ``file_encoding``, ``csv_delimiter``, ``csv_syntax``,
``file_empty``, ``file_format``, ``field_count``, ``column_duplicated``.

A CSV file is read with every column as text, in the conventions of :func:`to_csv` (UTF-8,
``,`` between cells, an empty cell for a missing value); ``.csv.gz`` is decompressed first.
A JSON file is an array of records, as :func:`to_json` writes it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.failures import Failure
from unodc_metrics._base.values import as_text
from unodc_metrics.export._kinds import FILE_FORMATS

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

__all__ = ["FILE_FORMATS", "RawFile", "file_format", "problem", "read_cells"]

_SUFFIXES = {
    ".csv": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
}
_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def file_format(path: str | os.PathLike[str]) -> str:
    """The format of a file, from its suffix: ``csv`` (also ``.csv.gz``), ``parquet`` or
    ``json``.

    Raises:
        ValueError: If the suffix is none of these.

    Examples:
        >>> from unodc_metrics.export import file_format
        >>> file_format("data/trainings.parquet"), file_format("x.CSV"), file_format("x.csv.gz")
        ('parquet', 'csv', 'csv')
    """
    name = Path(path).name.lower()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIXES[suffix]
    raise ValueError(
        f"cannot tell the format of {os.fspath(path)!r} from its suffix; "
        "name it .csv, .csv.gz, .parquet or .json, or give the format"
    )


def problem(
    table: str,
    check: str,
    message: str,
    *,
    column: str | None = None,
    row: int | None = None,
    line: int | None = None,
    value: Any = None,
) -> Failure:
    """A problem found reading a file, as a failure whose rule is its check."""
    return Failure(table, column, row, None, as_text(value), check, check, message, line=line)


@dataclass
class RawFile:
    """A file's columns, before their values are read, with the problems found reading it.

    Attributes:
        header: The column names, as the file writes them (repeats included).
        columns: The columns, by name, as Arrow (chunked) arrays, text for CSV; the first
            of a repeated name.
        rows: The file's data rows, counted from 0, that the columns hold, in order; None
            when they are all of them (``rows[i]`` is the file's row of the table's row i).
        lines: For a CSV file, the line each data row starts on (the header is line 1),
            computed only when asked (:meth:`line_of`).
        problems: What could not be read.
    """

    header: list[str] = field(default_factory=list)
    columns: dict[str, pa.ChunkedArray | pa.Array] = field(default_factory=dict)
    rows: list[int] | None = None
    data: bytes | None = None
    problems: list[Failure] = field(default_factory=list)
    _lines: list[int] | None = None

    @property
    def text(self) -> str | None:
        """A CSV file's text, decoded when asked (to place failures on their lines)."""
        return None if self.data is None else self.data.decode("utf-8-sig")

    def row_of(self, position: int) -> int:
        """The file's data row of the table's row at ``position``."""
        return position if self.rows is None else self.rows[position]

    def line_of(self, row: int) -> int | None:
        """The CSV line a data row starts on; None for other formats."""
        text = self.text if self._lines is None else ""
        if text is None:
            return None
        if self._lines is None:
            try:
                self._lines = [line for line, _ in _records(text)][1:]
            except csv.Error:  # pyarrow read it; Python's stricter reader does not
                self._lines = []
        return self._lines[row] if row < len(self._lines) else None


def read_cells(data: bytes, kind: str, table: str) -> RawFile:
    """A file's bytes (``kind`` is ``csv``, ``parquet`` or ``json``) as columns."""
    if kind == "parquet":
        return _read_parquet(data, table)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            return _failed(table, "file_format", f"cannot be read as gzip: {exc}")
    try:
        text = data.decode("utf-8-sig")  # a CSV file's text is kept only as its bytes
    except UnicodeDecodeError as exc:
        message = (
            f"is not UTF-8 text: byte {exc.start} ({data[exc.start]:#04x}) cannot be read; "
            "save the file as UTF-8"
        )
        return _failed(table, "file_encoding", message)
    if kind == "json":
        return _read_json(text, table)
    first = text[:65536].lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    del text
    return _read_csv(data, first, table)


def _failed(table: str, check: str, message: str) -> RawFile:
    return RawFile(problems=[problem(table, check, message)])


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Each non-blank CSV record with the line it starts on (the header first)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out, start = [], 1
    for record in reader:
        line, start = start, reader.line_num + 1
        if record:
            out.append((line, record))
    return out


def _read_csv(data: bytes, first: str, table: str) -> RawFile:
    import pyarrow as pa

    if not first:
        return _failed(table, "file_empty", "is empty: it has no header")
    header = next(csv.reader([first]))
    raw = RawFile(header=header, data=data)
    delimiter = _other_delimiter(header, first, table)
    if delimiter is not None:
        raw.problems.append(delimiter)
        return raw
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        arrow, skipped = _arrow_csv(body, len(header), handle=False)
    except pa.ArrowInvalid:
        try:  # a row of another width: read again, setting such rows aside (slower)
            arrow, skipped = _arrow_csv(body, len(header), handle=True)
        except pa.ArrowInvalid as exc:
            raw.problems.append(_syntax(data.decode("utf-8-sig"), table, exc))
            return raw
    if skipped:
        try:
            raw.rows = _field_counts(raw, table)
        except csv.Error as exc:
            raw.problems = [_syntax(data.decode("utf-8-sig"), table, exc)]
            return raw
    return _take_columns(raw, arrow, table)


def _take_columns(raw: RawFile, arrow: pa.Table, table: str) -> RawFile:
    """``raw`` with the columns of ``arrow`` under the header's names; a repeated name is
    reported, and only its first column kept."""
    for i, name in enumerate(raw.header):
        if name in raw.columns:
            message = "this column appears twice in the file"
            raw.problems.append(problem(table, "column_duplicated", message, column=name))
            continue
        raw.columns[name] = arrow.column(i)
    return raw


def _arrow_csv(body: bytes, width: int, *, handle: bool) -> tuple[pa.Table, list[int]]:
    """The CSV rows after the header, every column as text, by pyarrow; with ``handle``, the
    rows of another width are skipped and their numbers returned."""
    import pyarrow as pa
    import pyarrow.csv as pacsv  # type: ignore[import-untyped, unused-ignore]

    names = [f"{i}" for i in range(width)]  # repeated names are read apart
    skipped: list[int] = []

    def invalid(row: Any) -> str:
        skipped.append(row.number)
        return "skip"

    parse = pacsv.ParseOptions(newlines_in_values=True)
    if handle:
        parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid)
    arrow = pacsv.read_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=parse,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return arrow, skipped


def _other_delimiter(header: list[str], first: str, table: str) -> Failure | None:
    """One problem for a file whose cells are not separated by commas, or None."""
    from unodc_metrics.export._columns import columns

    if len(header) != 1:
        return None
    known = {c.name for c in columns(table)}
    for delimiter, name in _DELIMITERS.items():
        cells = first.split(delimiter)
        if len(cells) > 1 and len(known.intersection(c.strip('"') for c in cells)) > 1:
            message = (
                f"separates its cells with {name} ({delimiter!r}), not commas: its header is "
                f"read as one column; write the file with ',' between cells"
            )
            return problem(table, "csv_delimiter", message, line=1, value=first[:60])
    return None


def _syntax(text: str, table: str, exc: Exception) -> Failure:
    """A CSV syntax problem, at the line where it starts: for a quote that is never closed,
    the line that opens it."""
    inside, opened = False, None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"') % 2:
            inside = not inside
            opened = number if inside else None
    if inside and opened is not None:
        message = "is not well-formed CSV: a quote opened on this line is never closed"
        return problem(table, "csv_syntax", message, line=opened)
    return problem(table, "csv_syntax", f"is not well-formed CSV: {exc}")


def _field_counts(raw: RawFile, table: str) -> list[int]:
    """The rows with as many cells as the header, and a problem for each of the others."""
    text = raw.text
    assert text is not None
    kept: list[int] = []
    width = len(raw.header)
    for row, (line, record) in enumerate(_records(text)[1:]):
        if len(record) == width:
            kept.append(row)
            continue
        message = f"has {len(record)} cells; the header has {width}"
        found = problem(table, "field_count", message, row=row, line=line, value=",".join(record))
        raw.problems.append(found)
    return kept


def _read_parquet(data: bytes, table: str) -> RawFile:
    import pyarrow as pa
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    try:
        parquet = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        return _failed(table, "file_format", f"cannot be read as Parquet: {exc}")
    return _take_columns(RawFile(header=[str(n) for n in parquet.column_names]), parquet, table)


def _read_json(text: str, table: str) -> RawFile:
    """An array of records, as :func:`to_json` writes it."""
    from unodc_metrics._validation._read import to_arrow

    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"is not well-formed JSON: {exc.msg}"
        return RawFile(problems=[problem(table, "file_format", message, line=exc.lineno)])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return _failed(table, "file_format", "is not a JSON array of records (objects)")
    if not records:
        return _failed(table, "file_empty", "is an empty array: it has no records")
    raw = RawFile(header=list(dict.fromkeys(k for r in records for k in r)))
    for name in raw.header:
        raw.columns[name] = to_arrow([r.get(name) for r in records])
    return raw
