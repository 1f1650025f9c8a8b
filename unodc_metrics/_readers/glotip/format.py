"""What a GLOTIP download holds: its columns, its labels, and how a cell is read as text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = [
    "AGE_LABELS",
    "CACHE_ENV",
    "COLUMNS",
    "EXPECTED",
    "FILE_COLUMNS",
    "GLOTIP",
    "READER_VERSION",
    "SEX_LABELS",
    "cell_text",
    "norm",
]

GLOTIP = "glotip"
"""The ``table`` name of the long shape of a GLOTIP download."""

READER_VERSION = "2"
"""Version of the reader's output. Part of the cache key: bump it whenever the table changes."""

CACHE_ENV = "UNODC_METRICS_CACHE_DIR"
"""Environment variable naming a cache folder, used when ``read_glotip`` gets no ``cache_dir``."""

FILE_COLUMNS: dict[str, str] = {
    "Iso3_code": "iso3",
    "Country": "country",
    "Region": "region",
    "Subregion": "subregion",
    "Indicator": "indicator",
    "Dimension": "dimension",
    "Category": "category",
    "Sex": "sex",
    "Age": "age",
    "Year": "year",
    "Unit of measurement": "unit",
    "txtVALUE": "value",
    "Source": "source",
}
"""The 13 columns of a GLOTIP download, as the file names them, and the column each becomes."""

COLUMNS: tuple[str, ...] = (
    "iso3",
    "iso3_is_iso3166",
    "country",
    "region",
    "subregion",
    "area_kind",
    "indicator",
    "dimension",
    "category",
    "sex",
    "age",
    "year",
    "value",
    "value_low",
    "value_high",
    "censored",
    "unit",
    "source",
    "line",
)
"""The columns of the table that :func:`read_glotip` returns, in order."""

SEX_LABELS: dict[str, str] = {
    "total": "total",
    "female": "female",
    "male": "male",
    "other": "other",
    "unknown": "unknown",
}
"""The file's ``Sex`` labels (compared without case) and the code each becomes."""

AGE_LABELS: dict[str, str] = {
    "total": "total",
    "0 to 17 years": "child",
    "18 years or over": "adult",
    "unknown": "unknown",
}
"""The file's ``Age`` labels (compared without case) and the code each becomes."""

# Other spellings of a column name seen, or to be expected, in other editions.
_ALIASES = {"iso3": "iso3", "iso3code": "iso3", "value": "value", "txtvalue": "value"}


def norm(cell: Any) -> str:
    """A header cell as a key: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(cell).casefold()) if cell is not None else ""


EXPECTED: dict[str, str] = {norm(k): v for k, v in FILE_COLUMNS.items()} | _ALIASES
"""Each column's key (:func:`norm` of its name, or of an alias) and the column it becomes."""


def cell_text(cell: Any) -> str | None:
    """A cell as stripped text; ``None`` where it is empty."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell.strip() or None
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return None
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.isoformat()
    return str(cell).strip() or None
