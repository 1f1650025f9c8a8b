"""Validating a CSV or Parquet file against a table's schema, without writing to it."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.failures import Failure, failure_frame
from unodc_metrics._catalogue import check_name
from unodc_metrics.export._cells import (
    FILE_FORMATS,
    RawFile,
    file_format,
    read_cells,
    row_ids,
    typed_frame,
)
from unodc_metrics.export._columns import columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["validate_file"]


def validate_file(
    path: str | os.PathLike[str], table: str, format: str | None = None
) -> pd.DataFrame:
    """Read a CSV or Parquet file and validate it against a table's schema.

    The file is only read, never written. Every cell is read as its column's type (a CSV
    in the conventions of :func:`to_csv`: dates ``YYYY-MM-DD``, ``true``/``false``, an empty
    cell for a missing value); then every rule of the table's schema is applied, as
    :func:`unodc_metrics.validate` does. All the problems are collected before anything is
    raised.

    Args:
        path: The file.
        table: The name of the table whose schema to apply, one of
            :data:`unodc_metrics.TABLES`.
        format: ``csv`` or ``parquet``; by default, taken from the file's suffix.

    Returns:
        The validated table, with the schema's dtypes.

    Raises:
        ValidationError: If the file is not a valid table. Its ``failures`` hold one row
            per problem, with the columns of :class:`unodc_metrics.ValidationError` plus
            ``line``: the CSV line the row starts on (the header is line 1), or missing for
            Parquet files and for problems of a whole column or file. ``row`` counts the
            data rows from 0. A file that cannot be read as CSV or Parquet at all is
            reported the same way, with the check ``file_encoding``, ``csv_syntax``,
            ``file_empty`` or ``file_format``. A problem found reading the cells has its
            check as its ``rule`` (``read_integer``, ``field_count``, ...).
        LookupError: If there is no such table.
        ValueError: If the format is not ``csv`` or ``parquet``, or cannot be told from the
            suffix.
        OSError: If the file cannot be read (missing, a folder, no permission).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics import ValidationError
        >>> from unodc_metrics.export import to_csv, validate_file
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = to_csv("arrests", Path(tmp) / "arrests.csv")
        ...     text = path.read_text(encoding="utf-8").replace(",17,exact,", ",x,exact,")
        ...     _ = path.write_text(text, encoding="utf-8")
        ...     try:
        ...         validate_file(path, "arrests")
        ...     except ValidationError as err:
        ...         found = err.failures
        >>> print(found[["line", "row", "id", "column", "value"]].to_string(index=False))
         line  row      id column value
            2    0 ARR-05a  value     x
        >>> found.loc[0, "message"], found.loc[0, "rule"]
        ('cannot be read as a whole number', 'read_integer')
    """
    from unodc_metrics._validation import eager_failures

    check_name(table)
    kind = file_format(path) if format is None else format
    if kind not in FILE_FORMATS:
        raise ValueError(f"unknown file format {kind!r}; the formats are: csv, parquet")
    source = Path(path)
    if source.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    data = source.read_bytes()  # the only access to the file: it is never written
    raw = read_cells(data, kind, table)
    problems = list(raw.problems)
    frame: pd.DataFrame | None = None
    schema_failures: list[Failure] = []
    if raw.header:
        frame, read_problems = typed_frame(table, raw)
        problems += read_problems
        validated, schema_failures = eager_failures(frame, table)
        if not problems and not schema_failures:
            result: pd.DataFrame = validated.reset_index(drop=True)
            return result
    failures = _merged(table, raw, frame, problems, schema_failures)
    raise ValidationError(table, failure_frame(failures, with_line=True))


def _merged(
    table: str,
    raw: RawFile,
    frame: pd.DataFrame | None,
    problems: Sequence[Failure],
    schema_failures: Sequence[Failure],
) -> list[Failure]:
    """The problems found reading the file, then the schema's failures they do not explain.

    A failure of a check that reads a cell that could not be read (the same row, and the
    check's column or one of the columns its rule reads), or of a rule that reads a column
    the file does not have, is a consequence: it is left out, and the cause is reported.
    """
    ids = {} if frame is None else row_ids(frame)
    unread = {(p.row, p.column) for p in problems if p.row is not None}
    absent = {c.name for c in columns(table)} - set(raw.header)
    out = [p if p.row is None else dataclasses.replace(p, id=ids.get(p.row)) for p in problems]
    for failure in schema_failures:
        reads = _reads(failure)
        if failure.row is not None and any((failure.row, c) in unread for c in reads):
            continue
        if failure.across and absent.intersection(reads):
            continue
        line = None if failure.row is None else raw.lines.get(failure.row)
        out.append(dataclasses.replace(failure, line=line))
    return out


def _reads(failure: Failure) -> tuple[str | None, ...]:
    """The columns a failure's check reads: a rule across columns names them all in
    ``column``, comma-joined; any other check reads its own column."""
    if failure.across and failure.column is not None:
        return tuple(failure.column.split(", "))
    return (failure.column,)
