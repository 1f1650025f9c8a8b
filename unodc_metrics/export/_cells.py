"""Reading a CSV or Parquet file's cells back as a table's types, noting what cannot be read.

Three steps, each reporting its own problems as failures whose ``rule`` is their check:

1. the bytes as a header and rows of cells (:func:`read_cells`): ``file_encoding``,
   ``csv_syntax``, ``file_empty``, ``file_format``, ``field_count``;
2. each cell as its column's type (:func:`typed_frame`): ``column_duplicated``,
   ``read_integer``, ``read_number``, ``read_boolean``, ``read_date``, and ``not_nullable``
   for a flag that is missing;
3. the typed frame is then validated against the table's schema (:mod:`._validate`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.failures import Failure
from unodc_metrics._base.values import as_text, is_missing
from unodc_metrics.export._columns import Column, columns
from unodc_metrics.export._kinds import FILE_FORMATS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FILE_FORMATS",
    "RawFile",
    "file_format",
    "problem",
    "read_cells",
    "row_ids",
    "typed_frame",
]

_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_INTEGER = re.compile(r"^[+-]?\d+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_READ_MESSAGES = {
    "integer": "cannot be read as a whole number",
    "number": "cannot be read as a number",
    "boolean": "must be true or false",
    "date": "must be a date written YYYY-MM-DD",
}
_DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}


def file_format(path: str | os.PathLike[str]) -> str:
    """The format of a file, from its suffix: ``csv`` or ``parquet``.

    Raises:
        ValueError: If the suffix is neither ``.csv`` nor ``.parquet`` (or ``.pq``).

    Examples:
        >>> from unodc_metrics.export import file_format
        >>> file_format("data/trainings.parquet"), file_format("x.CSV")
        ('parquet', 'csv')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; "
            "name it .csv or .parquet, or give the format"
        )
    return _SUFFIXES[suffix]


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
    """A problem found reading a file, as a failure whose rule is its check.

    The value is shown as it is in the file: a time of day is not dropped from a timestamp.
    """
    shown = str(value) if isinstance(value, dt.datetime) else as_text(value)
    return Failure(table, column, row, None, shown, check, check, message, line=line)


@dataclass
class RawFile:
    """A file's header and cells, before typing, with the problems found reading it.

    Attributes:
        header: The column names, as the file writes them.
        cells: The readable rows, each with one cell per header column.
        rows: Each readable row's number, counting the data rows from 0.
        lines: The CSV line each row starts on (the header is line 1).
        problems: What could not be read.
    """

    header: list[str] = field(default_factory=list)
    cells: list[list[Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)
    problems: list[Failure] = field(default_factory=list)


def read_cells(data: bytes, kind: str, table: str) -> RawFile:
    """A file's bytes (``kind`` is ``csv`` or ``parquet``) as a header and rows of cells."""
    return _read_csv(data, table) if kind == "csv" else _read_parquet(data, table)


def _read_csv(data: bytes, table: str) -> RawFile:
    """Split CSV bytes into a header and rows of text cells, noting what cannot be read."""
    raw = RawFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"is not UTF-8 text (byte {exc.start} cannot be read)"
        raw.problems.append(problem(table, "file_encoding", message))
        return raw
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        start = 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue  # a blank line
            if not raw.header:
                raw.header = record
                continue
            raw.lines[row] = line
            if len(record) != len(raw.header):
                message = f"has {len(record)} cells; the header has {len(raw.header)}"
                found = problem(
                    table, "field_count", message, row=row, line=line, value=",".join(record)
                )
                raw.problems.append(found)
            else:
                raw.cells.append(record)
                raw.rows.append(row)
            row += 1
    except csv.Error as exc:
        message = f"is not well-formed CSV: {exc}"
        raw.problems.append(problem(table, "csv_syntax", message, line=reader.line_num))
    if not raw.header and not raw.problems:
        raw.problems.append(problem(table, "file_empty", "is empty: it has no header"))
    return raw


def _read_parquet(data: bytes, table: str) -> RawFile:
    """Split Parquet bytes into a header and rows of Python values, noting what cannot be read."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    raw = RawFile()
    try:
        parquet = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        message = f"cannot be read as Parquet: {exc}"
        raw.problems.append(problem(table, "file_format", message))
        return raw
    raw.header = [str(n) for n in parquet.column_names]
    values = [parquet.column(i).to_pylist() for i in range(parquet.num_columns)]
    raw.cells = [list(row) for row in zip(*values, strict=True)]
    raw.rows = list(range(parquet.num_rows))
    return raw


class _Unreadable(ValueError):
    """A cell that cannot be read as its column's type."""


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _Unreadable
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    raise _Unreadable


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise _Unreadable
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise _Unreadable from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _Unreadable


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise _Unreadable
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _Unreadable from None
    raise _Unreadable


_READERS = {"integer": _integer, "number": _number, "boolean": _boolean, "date": _date}


def _cell(value: Any, kind: str) -> Any:
    """Read one cell (text from a CSV, or a Python value from Parquet) as its column's type."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "string":
        return value
    return _READERS[kind](value)


def _column_values(
    table: str, name: str, i: int, col: Column | None, raw: RawFile
) -> tuple[list[Any], list[Failure]]:
    """The ``i``-th column's cells as its type; an unreadable cell becomes missing.

    A flag (a boolean that must not be missing) that is missing or unreadable is reported
    here, and False stands in for it, so that the schema's rules still run.
    """
    kind = col.kind if col is not None else "string"
    flag = kind == "boolean" and col is not None and not col.nullable
    values: list[Any] = []
    problems: list[Failure] = []
    for row, cells in zip(raw.rows, raw.cells, strict=True):
        line = raw.lines.get(row)
        try:
            value = _cell(cells[i], kind)
        except _Unreadable:
            value = False if flag else None
            check, message = f"read_{kind}", _READ_MESSAGES[kind]
            unread = problem(table, check, message, column=name, row=row, line=line, value=cells[i])
            problems.append(unread)
        if flag and value is None:
            message = "must not be missing"
            problems.append(
                problem(table, "not_nullable", message, column=name, row=row, line=line)
            )
            value = False
        values.append(value)
    return values, problems


def _series(values: list[Any], kind: str) -> Any:
    """A column's values as a pandas array of its kind's dtype (strings stay objects)."""
    import pandas as pd

    if kind in _DTYPES:
        return pd.array(values, dtype=_DTYPES[kind])  # type: ignore[call-overload]
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    return pd.Series(values, dtype=object)


def typed_frame(table: str, raw: RawFile) -> tuple[pd.DataFrame, list[Failure]]:
    """The cells as a frame of the schema's types, indexed by row number, and the cells that
    could not be read (unreadable cells become missing). A column of another table is read
    as text, and a repeated column is reported and left out."""
    import pandas as pd

    specs = {c.name: c for c in columns(table)}
    problems: list[Failure] = []
    data: dict[str, Any] = {}
    for i, name in enumerate(raw.header):
        if name in data:
            message = "this column appears twice in the header"
            problems.append(problem(table, "column_duplicated", message, column=name))
            continue
        col = specs.get(name)
        values, found = _column_values(table, name, i, col, raw)
        problems += found
        data[name] = _series(values, col.kind if col is not None else "string")
    frame = pd.DataFrame(data)
    frame.index = pd.Index(raw.rows, dtype="int64")
    return frame, problems


def row_ids(frame: pd.DataFrame) -> dict[int, Any]:
    """Each row's ``id``, where the frame has the column and the row a value."""
    if "id" not in frame.columns:
        return {}
    pairs = zip(frame.index.tolist(), frame["id"].tolist(), strict=True)
    return {int(row): rid for row, rid in pairs if not is_missing(rid)}
