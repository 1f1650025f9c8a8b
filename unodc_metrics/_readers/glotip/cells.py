"""Reading a download's cells, from a workbook or a CSV file, and finding its header."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from unodc_metrics._readers.glotip.format import EXPECTED, FILE_COLUMNS, cell_text, norm

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

__all__ = ["HEADER_SCAN", "csv_rows", "excel_sheet", "find_header", "header_positions", "load"]

HEADER_SCAN = 20
"""How many lines from the top the header is looked for in."""

_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def load(source: Any) -> tuple[bytes, str, str | None]:
    """The bytes of the source, its format (``xlsx`` or ``csv``) and its file name."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix in _EXCEL_SUFFIXES:
            return data, "xlsx", path.name
        if suffix in {".csv", ".txt"}:
            return data, "csv", path.name
        return data, _sniff(data), path.name
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return data, _sniff(data), None
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(
            "read_glotip() takes a path, bytes or an open file, not " + type(source).__name__
        )
    content = read()
    name = getattr(source, "name", None)
    name = Path(name).name if isinstance(name, str) else None
    if isinstance(content, str):
        return content.encode("utf-8"), "csv", name
    data = bytes(content)
    return data, _sniff(data), name


def _sniff(data: bytes) -> str:
    return "xlsx" if data.startswith(_EXCEL_MAGIC) else "csv"


def excel_sheet(data: bytes, name: str | None) -> tuple[list[list[Any]], pa.RecordBatch, str]:
    """The first sheet that has a header, read by fastexcel as Arrow text columns from row 1:
    its first :data:`HEADER_SCAN` rows as lists, the whole sheet, and the sheet's name."""
    import fastexcel

    try:
        book = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel's error types vary between versions
        raise ValueError(f"cannot open {name or 'the file'} as a spreadsheet: {exc}") from exc
    first: list[list[Any]] | None = None
    for sheet_name in book.sheet_names:
        # skip_rows=0 keeps blank rows at the top, so that row i is line i + 1 of the sheet
        sheet = book.load_sheet(sheet_name, header_row=None, skip_rows=0, dtypes="string")
        table = sheet.to_arrow()
        head = [list(r.values()) for r in table.slice(0, HEADER_SCAN).to_pylist()]
        if first is None:
            first = head
        if find_header(head) is not None:
            return head, table, sheet_name
    raise_no_header(first or [], range(1, HEADER_SCAN + 1), name)


def csv_rows(data: bytes, name: str | None) -> tuple[list[list[Any]], list[int], str]:
    """The records of a CSV file, the line each starts on, and the encoding used."""
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="strict"), "cp1252"
    head = text.splitlines()[:HEADER_SCAN]
    delimiter = ","
    for candidate in (",", ";", "\t"):
        if find_header(list(csv.reader(head, delimiter=candidate))) is not None:
            delimiter = candidate
            break
    rows: list[list[Any]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            rows.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValueError(f"{name or 'the CSV file'}, line {start}: {exc}") from exc
    return rows, lines, encoding


def _found(row: Sequence[Any]) -> set[str]:
    return {EXPECTED[k] for k in map(norm, row) if k in EXPECTED}


def find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first of the rows that names every expected column."""
    needed = set(FILE_COLUMNS.values())
    for i, row in enumerate(rows[:HEADER_SCAN]):
        if _found(row) >= needed:
            return i
    return None


def _shown(row: Sequence[Any]) -> str:
    cells = [t for t in map(cell_text, row) if t is not None]
    text = ", ".join(repr(c) for c in cells[:15])
    return text + (", ..." if len(cells) > 15 else "") if cells else "(empty)"


def raise_no_header(
    rows: Sequence[Sequence[Any]], lines: Iterable[int], name: str | None
) -> NoReturn:
    """Say why no header was found: the line that comes closest, or the first lines."""
    where = name or "the file"
    best: tuple[int, int, Sequence[Any]] | None = None
    for line, row in zip(lines, rows[:HEADER_SCAN], strict=False):
        found = _found(row)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), line, row)
    expected = ", ".join(FILE_COLUMNS)
    if best is not None and best[0] >= 3:
        _, line, row = best
        missing = [k for k, v in FILE_COLUMNS.items() if v not in _found(row)]
        raise ValueError(
            f"{where}: line {line} looks like the header but lacks the column(s) "
            f"{', '.join(missing)}; it holds: {_shown(row)}. A GLOTIP download has the "
            f"columns {expected}."
        )
    shown = "; ".join(
        f"line {line}: {_shown(row)}" for line, row in zip(lines, rows[:5], strict=False)
    )
    raise ValueError(
        f"{where}: no header found in the first {HEADER_SCAN} lines; expected a line with the "
        f"columns {expected}. The first lines hold: {shown or '(nothing)'}"
    )


def header_positions(row: Sequence[Any], where: str, line: int) -> tuple[dict[str, int], list[str]]:
    """Where each expected column is in the header row, and the header's unknown names."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for j, cell in enumerate(row):
        key = norm(cell)
        if not key:
            continue
        target = EXPECTED.get(key)
        if target is None:
            unknown.append(str(cell_text(cell)))
        elif target in positions:
            raise ValueError(f"{where}: the header (line {line}) names {target!r} twice")
        else:
            positions[target] = j
    return positions, unknown
