"""Output helpers: lines to stdout, error lines to stderr, and frames as text, CSV or JSON.

Every command prints through these, so the rules hold everywhere: results go to stdout, each
ending with a newline; errors go to stderr as one line that starts with ``unodc-metrics:
error:``; missing values are empty cells (text, CSV) or ``null`` (JSON), dates ISO dates.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import is_missing
from unodc_metrics.cli._codes import PROG
from unodc_metrics.export import cell_text, csv_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "VIEW_FORMATS",
    "emit",
    "error",
    "frame_records",
    "frame_text",
    "out",
    "terminal_width",
    "to_json",
]

VIEW_FORMATS = ("table", "csv", "json")
"""The ``--format`` choices of the commands that print a frame (see :func:`emit`)."""


def out(text: str) -> None:
    """Print ``text`` to stdout, ending it with a newline unless it already ends with one."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def error(message: str) -> None:
    """Print the one error line to stderr: ``unodc-metrics: error: <message>``."""
    sys.stderr.write(f"{PROG}: error: {message}\n")


def terminal_width() -> int:
    """The width to wrap text to: the terminal's (100 when it has none), kept within 60-120."""
    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


def to_json(data: Any) -> str:
    """``data`` as indented JSON, non-ASCII kept as it is, anything else as its ``str``."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records: ISO dates, None for missing, plain numbers."""
    import pandas as pd

    records = []
    for row in df.to_dict("records"):
        rec: dict[str, Any] = {}
        for key, value in row.items():
            if not isinstance(value, (list, tuple)) and is_missing(value):
                rec[str(key)] = None
            elif isinstance(value, pd.Timestamp):
                rec[str(key)] = value.date().isoformat()
            elif hasattr(value, "item"):
                rec[str(key)] = value.item()
            else:
                rec[str(key)] = value
        records.append(rec)
    return records


def _frame_csv(df: pd.DataFrame) -> str:
    rows = [[rec[c] for c in rec] for rec in frame_records(df)]
    return csv_text([str(c) for c in df.columns], rows)


def frame_text(df: pd.DataFrame, max_colwidth: int = 50, right: Sequence[str] = ()) -> str:
    """A frame as an aligned text table: numbers to the right, text to the left.

    Missing values are empty cells, dates ``YYYY-MM-DD``; cells longer than
    ``max_colwidth`` are cut and end with ``...``. The columns named in ``right`` are
    aligned to the right too.
    """
    import pandas as pd

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_colwidth else text[: max_colwidth - 3] + "..."

    headers = [str(c) for c in df.columns]
    rows = [[cut(cell_text(v)) for v in rec.values()] for rec in frame_records(df)]
    to_right = set(right) | {
        str(c)
        for c in df.columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    }
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = []
    for cells in [headers, *rows]:
        padded = [
            cell.rjust(w) if h in to_right else cell.ljust(w)
            for h, cell, w in zip(headers, cells, widths, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def emit(df: pd.DataFrame, fmt: str) -> None:
    """Print a frame in one of :data:`VIEW_FORMATS`: an aligned table, CSV or JSON records."""
    if fmt == "csv":
        out(_frame_csv(df))
    elif fmt == "json":
        out(to_json(frame_records(df)))
    else:
        out(frame_text(df))
