"""CSV text in the conventions of the shipped files, and writing text files.

The conventions: UTF-8, ``,`` between cells, ``\\n`` between lines, quotes only where a cell
needs them; dates ``YYYY-MM-DD``; ``true``/``false``; a missing value is an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["cell_text", "csv_text", "write_text"]


def cell_text(value: Any) -> str:
    """One plain Python value as a CSV cell, in the conventions of the shipped files.

    Args:
        value: A str, int, float, bool, ``datetime.date`` or None.

    Returns:
        ``""`` for None; ``true`` or ``false`` for a bool; a whole float without ``.0``; a
        date as ``YYYY-MM-DD``; anything else as ``str()`` writes it.

    Examples:
        >>> import datetime as dt
        >>> from unodc_metrics.export import cell_text
        >>> [cell_text(v) for v in (None, True, 24.0, 2.5, dt.date(2022, 7, 22), "GPTIP")]
        ['', 'true', '24', '2.5', '2022-07-22', 'GPTIP']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows of plain Python values as CSV text, each cell as :func:`cell_text`
    writes it, with ``\\n`` after each line.

    Args:
        header: The column names.
        rows: The rows, each a sequence of plain Python values in the header's order.

    Returns:
        The CSV text.

    Examples:
        >>> from unodc_metrics.export import csv_text
        >>> csv_text(["id", "value", "note"], [["A-1", 3, None], ["A-2", 4.0, "x, y"]])
        'id,value,note\\nA-1,3,\\nA-2,4,"x, y"\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell_text(v) for v in row] for row in rows)
    return buffer.getvalue()


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write text as UTF-8, with its line ends as they are; return the path."""
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return out
