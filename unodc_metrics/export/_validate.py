"""Validating a CSV or Parquet file against a table's schema, without writing to it."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.failures import (
    LISTED,
    Failure,
    failure_counts,
    failure_frame,
    limit_of,
    listed_note,
)
from unodc_metrics._catalogue import check_name
from unodc_metrics.export._cells import FILE_FORMATS, RawFile, file_format, read_cells

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["validate_file"]


def validate_file(
    path: str | os.PathLike[str],
    table: str,
    format: str | None = None,
    *,
    contract: str = "report",
    registry: Mapping[str, Iterable[str]] | None = None,
    max_failures: int = LISTED,
) -> pd.DataFrame:
    """Read a CSV, Parquet or JSON file and validate it against a table's contract.

    The file is only read, never written. It is read in columns by pyarrow (a CSV in the
    conventions of :func:`to_csv`: UTF-8, ``,`` between cells, an empty cell for a missing
    value; ``.csv.gz`` too; JSON as :func:`to_json` writes it), and then validated as
    :func:`unodc_metrics.validate` validates a frame: the same reading of every value (dates
    ``YYYY-MM-DD``, the Table Schema's true and false values), the same checks and rules,
    the same bound on the failures listed. The order of the columns does not matter.

    Args:
        path: The file.
        table: The name of the table whose contract to apply, one of
            :data:`unodc_metrics.TABLES`.
        format: ``csv``, ``parquet`` or ``json``; by default, taken from the file's suffix.
        contract: ``report`` or ``records``, as for :func:`unodc_metrics.validate`.
        registry: Your codes for the open registries, with ``records``.
        max_failures: The most failures listed per rule; every failing row is counted, and
            the first listed says how many fail. 0 lists them all.

    Returns:
        The validated table, with the schema's dtypes.

    Raises:
        ValidationError: If the file is not a valid table. Its ``failures`` hold one row
            per problem, with the columns of :class:`unodc_metrics.ValidationError` plus
            ``line``: the CSV line the row starts on (the header is line 1), or missing for
            Parquet and JSON files and for problems of a whole column or file. ``row``
            counts the data rows from 0. A file that cannot be read as a table at all is
            reported the same way, with the check ``file_encoding``, ``csv_delimiter``,
            ``csv_syntax``, ``file_empty`` or ``file_format``. A problem found reading the
            cells has its check as its ``rule`` (``read_integer``, ``field_count``, ...).
        LookupError: If there is no such table.
        ValueError: If the format is not ``csv``, ``parquet`` or ``json``, or cannot be told
            from the suffix; or the contract or ``max_failures`` is not valid.
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
        ('must be a whole number', 'read_integer')
    """
    from unodc_metrics._validation import contract_of, eager_failures

    check_name(table)
    chosen = contract_of(table, contract, registry)
    limit = limit_of(max_failures)
    kind = file_format(path) if format is None else format
    if kind not in FILE_FORMATS:
        raise ValueError(
            f"unknown file format {kind!r}; the formats are: {', '.join(FILE_FORMATS)}"
        )
    source = Path(path)
    if source.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    data = source.read_bytes()  # the only access to the file: it is never written
    raw = read_cells(data, kind, table)
    failures = _bounded(raw.problems, limit)
    if raw.columns:
        frame = _frame(raw)
        validated, found = eager_failures(frame, table, chosen, max_failures=max_failures)
        if not failures and not found:
            result: pd.DataFrame = validated.reset_index(drop=True)
            return result
        failures += _placed(raw, found)
    frame = failure_frame(failures, with_line=True)
    raise ValidationError(table, frame, failure_counts(failures))


def _frame(raw: RawFile) -> pd.DataFrame:
    """The file's columns as a pandas frame of Arrow-backed columns, read by the validation
    as any frame is."""
    import pandas as pd
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    frame: pd.DataFrame = pa.table(raw.columns).to_pandas(types_mapper=pd.ArrowDtype)
    return frame


def _bounded(problems: Sequence[Failure], limit: int | None) -> list[Failure]:
    """The file's problems, at most ``limit`` of each kind, the first saying how many."""
    counts: dict[str, int] = {}
    for found in problems:
        counts[found.rule] = counts.get(found.rule, 0) + 1
    out: list[Failure] = []
    seen: dict[str, int] = {}
    for found in problems:
        seen[found.rule] = seen.get(found.rule, 0) + 1
        if limit is None or seen[found.rule] <= limit:
            listed = counts[found.rule] if limit is None else min(limit, counts[found.rule])
            note = listed_note(counts[found.rule], listed)
            failing = counts[found.rule] if counts[found.rule] > listed else None
            out.append(dataclasses.replace(found, message=found.message + note, failing=failing))
    return out


def _placed(raw: RawFile, failures: Sequence[Failure]) -> list[Failure]:
    """The validation's failures, each at its file row and line; a rule that reads a column
    the file does not have is left out (the missing column is reported)."""
    absent = _absent(raw, failures)
    out = []
    for failure in failures:
        if failure.across and absent.intersection(_reads(failure)):
            continue
        if failure.row is None:
            out.append(failure)
            continue
        row = raw.row_of(int(failure.row))
        out.append(dataclasses.replace(failure, row=row, line=raw.line_of(row)))
    return out


def _absent(raw: RawFile, failures: Sequence[Failure]) -> set[str]:
    return {
        str(f.column)
        for f in failures
        if f.rule == "column_in_dataframe" and f.column not in raw.columns
    }


def _reads(failure: Failure) -> tuple[str | None, ...]:
    """The columns a failure's check reads: a rule across columns names them all in
    ``column``, comma-joined; any other check reads its own column."""
    if failure.across and failure.column is not None:
        return tuple(failure.column.split(", "))
    return (failure.column,)
