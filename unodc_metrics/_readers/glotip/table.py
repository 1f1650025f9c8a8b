"""From the cells of a download to its validated long table: one row per data line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.failures import Failure, failure_frame
from unodc_metrics._base.values import is_missing
from unodc_metrics._readers.glotip.areas import area_kinds
from unodc_metrics._readers.glotip.cells import (
    csv_rows,
    excel_sheet,
    find_header,
    header_positions,
    raise_no_header,
)
from unodc_metrics._readers.glotip.format import (
    AGE_LABELS,
    GLOTIP,
    READER_VERSION,
    SEX_LABELS,
    cell_text,
    norm,
)
from unodc_metrics._rules import SUPPRESSED_HIGH, Lookups

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = ["ignored_message", "parse"]

_SUPPRESSED = r"<\s*5"
_COUNT = r"\d{1,3}(?:,\d{3})+|\d+"
_YEAR = r"\d{4}"
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# A date cell of a workbook, as the sheet's text gives it.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?)?")


def ignored_message(where: str, unknown: Sequence[str]) -> str:
    """The warning for header columns that the reader does not know."""
    return (
        f"{where}: the header has column(s) this reader does not know, which the table leaves "
        f"out: {', '.join(map(repr, unknown))}"
    )


def _text_column(cells: npt.NDArray[np.object_]) -> pd.Series:
    """A column of cells as stripped text, missing where a cell is empty."""
    import numpy as np
    import pandas as pd

    kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind == "string":  # the usual case: every cell is text
        text = pd.Series(pd.array(cells, dtype="string")).str.strip()
    elif kind == "empty":
        text = pd.Series(pd.array([None] * len(cells), dtype="string"))
    elif kind in ("floating", "integer", "mixed-integer-float") and np.all(
        np.mod(numbers := cells.astype(float), 1) == 0  # NaN is unequal: no fast path
    ):
        text = pd.Series(numbers).astype("Int64").astype("string")
    else:
        text = pd.Series(pd.array([cell_text(c) for c in cells], dtype="string"))
    return text.mask((text == "").fillna(False))


def _edition_date(cells: Iterable[Any]) -> str | None:
    """The first date among the preamble's cells, read day first, as ISO text."""
    for cell in cells:
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat()
        if isinstance(cell, dt.date):
            return cell.isoformat()
        text = cell_text(cell) or ""
        if m := _ISO_DATE.fullmatch(text):
            year, month, day = map(int, m.groups())
        elif m := _DAY_FIRST_DATE.fullmatch(text):
            day, month, year = map(int, m.groups())
        else:
            continue
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def _failure(column: str, line: int, value: Any, check: str, message: str) -> Failure:
    text = "<missing>" if is_missing(value) else str(value)
    return Failure(GLOTIP, column, line, None, text, check, check, message)


def _codes(labels: pd.Series, codes: dict[str, str]) -> pd.Series:
    """Labels as codes, compared without case; a label without a code is kept as it is."""
    found = {x: codes.get(" ".join(x.casefold().split()), x) for x in labels.dropna().unique()}
    return labels.map(found).astype("string")


def _arrow_text(column: Any) -> pd.Series:
    """An Arrow text column as stripped text, missing where a cell is empty."""
    import pandas as pd
    import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

    text = pc.utf8_trim_whitespace(column)
    text = pc.if_else(pc.equal(text, ""), None, text)
    return pd.Series(pd.array(text, dtype=pd.StringDtype("pyarrow")))


def _row_texts(rows: list[list[Any]], at: int) -> list[pd.Series]:
    """Each column of the rows after the header as text (CSV records may be short or long)."""
    import numpy as np

    body = rows[at + 1 :]
    width = max(len(r) for r in [rows[at], *body])
    if any(len(r) != width for r in body):
        body = [[*r, *[None] * (width - len(r))] for r in body]
    cells = np.empty((len(body), width), dtype=object)
    if body:
        cells[:] = body
    return [_text_column(cells[:, j]) for j in range(width)]


def _body(texts: list[pd.Series], at: int, lines: Sequence[int]) -> tuple[Any, Any]:
    """Which body lines hold data, and every body line."""
    import numpy as np

    filled = np.zeros(len(lines) - at - 1, dtype=bool)
    for column in texts:
        filled |= column.notna().to_numpy()
    return filled, np.asarray(lines[at + 1 :], dtype=np.int64)


def _outside_header(header: Sequence[Any], texts: list[Any], body_lines: Any) -> list[Failure]:
    """Data in a column that the header does not name."""
    import pandas as pd

    named = {j for j, c in enumerate(header) if norm(c)}
    out = []
    for j in sorted(set(range(len(texts))) - named):
        for line, cell in zip(body_lines, texts[j], strict=True):
            if not pd.isna(cell):
                message = "holds data in a column that the header does not name"
                out.append(
                    _failure(
                        f"(unnamed column {j + 1})", int(line), cell, "cell_outside_header", message
                    )
                )
    return out


def _numbers(
    text: pd.Series, pattern: str, lines: Any, problem: tuple[str, str, str], also: Any = None
) -> tuple[pd.Series, list[Failure]]:
    """The texts that match ``pattern``, as numbers; a failure for each other text that is
    not ``also`` (a mask of texts read otherwise). ``problem`` is (column, check, message)."""
    import numpy as np
    import pandas as pd

    matches = text.str.fullmatch(pattern).fillna(False).astype(bool)
    numbers = pd.to_numeric(text.where(matches).str.replace(",", "", regex=False)).astype("Int64")
    bad = ~matches if also is None else ~(matches | also)
    column, check, message = problem
    failures = [
        _failure(column, int(lines[i]), text.iloc[i], check, message)
        for i in np.flatnonzero(bad.to_numpy())
    ]
    return numbers, failures


_COUNT_PROBLEM = (
    "value",
    "count_text",
    "cannot be read as a count: txtVALUE must be a whole number or '<5'",
)
_YEAR_PROBLEM = ("year", "year_text", "cannot be read as a four-digit year")


def _frame(cols: dict[str, pd.Series], lines: Any) -> tuple[pd.DataFrame, list[Failure]]:
    """The long table, with the file's lines as its index, and the lines it cannot read."""
    import pandas as pd

    censored = cols["value"].str.fullmatch(_SUPPRESSED).fillna(False).astype(bool)
    value, failures = _numbers(cols["value"], _COUNT, lines, _COUNT_PROBLEM, also=censored)
    no_year = cols["year"].isna()  # a year the file does not give is missing, not unreadable
    year, year_failures = _numbers(cols["year"], _YEAR, lines, _YEAR_PROBLEM, also=no_year)
    in_iso = cols["iso3"].isin(Lookups.shipped(GLOTIP).countries).astype(bool)
    place = [cols[c] for c in ("country", "region", "subregion")]
    frame = pd.DataFrame(
        {
            "iso3": cols["iso3"],
            "iso3_is_iso3166": in_iso,
            "country": cols["country"],
            "region": cols["region"],
            "subregion": cols["subregion"],
            "area_kind": area_kinds(cols["iso3"], in_iso, *place),
            "indicator": cols["indicator"],
            "dimension": cols["dimension"],
            "category": cols["category"],
            "sex": _codes(cols["sex"], SEX_LABELS),
            "age": _codes(cols["age"], AGE_LABELS),
            "year": year,
            "value": value,
            "value_low": value.mask(censored, 0),
            "value_high": value.mask(censored, SUPPRESSED_HIGH),
            "censored": censored,
            "unit": cols["unit"],
            "source": cols["source"],
            "line": pd.array(lines, dtype="Int64"),
        }
    )
    frame.index = pd.Index(lines)
    return frame, failures + year_failures


def _cells(
    data: bytes, kind: str, name: str | None
) -> tuple[list[list[Any]], Sequence[int], Callable[[int], list[pd.Series]], dict[str, Any]]:
    """The file's first rows of cells (all of them for a CSV file), the line each row starts
    on, the body's columns as text given the header's row, and how the file was read."""
    info: dict[str, Any] = {"format": kind, "sheet": None, "encoding": None}
    if kind == "xlsx":
        head, sheet, info["sheet"] = excel_sheet(data, name)

        def columns(at: int) -> list[pd.Series]:
            return [_arrow_text(c.slice(at + 1)) for c in sheet.columns]

        return head, range(1, sheet.num_rows + 1), columns, info
    rows, lines, info["encoding"] = csv_rows(data, name)
    return rows, lines, lambda at: _row_texts(rows, at), info


def _with_lines(failures: list[Failure]) -> list[Failure]:
    """Each failure's message names its line of the file (a row is its line here)."""
    return [
        f
        if f.row is None
        else dataclasses.replace(f, message=f"{f.message} (line {f.row} of the file)")
        for f in failures
    ]


def _unreadable(failures: list[Failure]) -> list[dict[str, Any]]:
    """The lines left out by ``errors="report"``, in line order, each problem with its reason."""
    rows = sorted(failures, key=lambda f: (f.row is None, f.row or 0, f.column or ""))
    return [
        {"line": f.row, "column": f.column, "value": f.value, "reason": f.message} for f in rows
    ]


def parse(data: bytes, kind: str, name: str | None, sha256: str, errors: str) -> pd.DataFrame:
    """The long table of a download's bytes. Every line it cannot read raises, all at once;
    with ``errors="report"``, such lines are left out and listed in the table's attrs."""
    # Imported here: validation loads pandas and pandera, which importing the reader does not.
    from unodc_metrics._validation import eager_failures

    where = name or "the file"
    rows, lines, columns, info = _cells(data, kind, name)
    at = find_header(rows)
    if at is None:
        raise_no_header(rows, lines, name)
    header_line = lines[at]
    positions, unknown = header_positions(rows[at], where, header_line)
    if unknown:
        warnings.warn(ignored_message(where, unknown), UserWarning, stacklevel=4)
    texts = columns(at)
    filled, body_lines = _body(texts, at, lines)
    data_lines = body_lines[filled]
    failures = _outside_header(rows[at], texts, body_lines)
    cols = {target: texts[j][filled].reset_index(drop=True) for target, j in positions.items()}
    frame, read_failures = _frame(cols, data_lines)
    failures += read_failures
    bad_lines = {f.row for f in failures}
    checked = frame[~frame.index.isin(bad_lines)] if bad_lines else frame
    out: pd.DataFrame
    out, schema_failures = eager_failures(checked, GLOTIP)
    failures = _with_lines(failures + schema_failures)
    if failures and errors != "report":
        raise ValidationError(GLOTIP, failure_frame(failures))
    if failures:
        out = out[~out.index.isin({f.row for f in failures})]
    out = out.reset_index(drop=True)
    out.attrs["glotip"] = {
        "source_name": name,
        "source_sha256": sha256,
        "reader_version": READER_VERSION,
        **info,
        "header_line": header_line,
        "preamble": [t for r in rows[:at] for t in map(cell_text, r) if t is not None],
        "edition_date": _edition_date(c for r in rows[:at] for c in r),
        "data_lines": len(data_lines),
        "unreadable": _unreadable(failures),
        "blank_lines": int(len(body_lines) - len(data_lines)),
        "ignored_columns": unknown,
        "from_cache": False,
    }
    return out
