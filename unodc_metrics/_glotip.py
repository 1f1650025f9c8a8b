"""Read a dataUNODC GLOTIP download into a validated long table.

UNODC publishes the data of its Global Report on Trafficking in Persons (GLOTIP) on the
dataUNODC portal as ``data_glotip.xlsx`` (and, for some editions, a CSV file). One line of the
file is one count: a country, an indicator (detected victims, persons convicted, ...), a
breakdown (dimension and category), a sex, an age group and a year. Counts below 5 are
suppressed and written ``<5``.

:func:`read_glotip` reads such a file, wherever its header is, and returns one row per data
line of the file, never fewer: a line it cannot read stops the read with a
:class:`unodc_metrics.ValidationError` that names the line.

Nothing here imports pandas, pandera or python-calamine until a function is called.
"""

# No ``from __future__ import annotations`` here: pandera reads the annotations of the schema
# class that ``_schema`` builds, and they must be evaluated where pandas is imported (inside
# that function). Annotations that name pandas at module level are written as strings.

import csv
import datetime as dt
import hashlib
import io
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, cast

from unodc_metrics._errors import ValidationError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pandera.pandas as pa

    GlotipSchema: type[pa.DataFrameModel]

__all__ = [
    "AGES",
    "AGE_LABELS",
    "CACHE_ENV",
    "COLUMNS",
    "FILE_COLUMNS",
    "READER_VERSION",
    "SEXES",
    "SEX_LABELS",
    "SUPPRESSED_HIGH",
    "GlotipSchema",
    "read_glotip",
]

READER_VERSION = "1"
"""Version of the reader's output. Part of the cache key: bump it whenever the table changes."""

CACHE_ENV = "UNODC_METRICS_CACHE_DIR"
"""Environment variable naming a cache folder, used when ``read_glotip`` gets no ``cache_dir``."""

SUPPRESSED_HIGH = 4
"""The largest count that a suppressed ``<5`` cell can hide; the smallest is 0."""

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

SEXES = ("female", "male", "other", "unknown", "total")
"""The codes of the ``sex`` column."""

AGES = ("child", "adult", "unknown", "total")
"""The codes of the ``age`` column."""

_HEADER_SCAN = 20
# Other spellings of a column name seen, or to be expected, in other editions.
_ALIASES = {"iso3": "iso3", "iso3code": "iso3", "value": "value", "txtvalue": "value"}
_SUPPRESSED = re.compile(r"<\s*5")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_YEAR = re.compile(r"\d{4}")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def _norm(cell: Any) -> str:
    """A header cell as a key: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(cell).casefold()) if cell is not None else ""


_EXPECTED: dict[str, str] = {_norm(k): v for k, v in FILE_COLUMNS.items()} | _ALIASES


def _text(cell: Any) -> str | None:
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


# --- Reading the cells ------------------------------------------------------------------


def _load(source: Any) -> tuple[bytes, str, str | None]:
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


def _excel_rows(data: bytes, name: str | None) -> tuple[list[list[Any]], str]:
    """The cells of the first sheet that has a header, row 1 first, and the sheet's name."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError("reading a spreadsheet needs python-calamine") from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine's own error types vary between versions
        raise ValueError(f"cannot open {name or 'the file'} as a spreadsheet: {exc}") from exc
    first: list[list[Any]] | None = None
    for sheet_name in book.sheet_names:
        sheet = book.get_sheet_by_name(sheet_name)
        head = sheet.to_python(skip_empty_area=False, nrows=_HEADER_SCAN)
        if first is None:
            first = head
        if _find_header(head) is not None:
            return sheet.to_python(skip_empty_area=False), sheet_name
    _raise_no_header(first or [], range(1, _HEADER_SCAN + 1), name)


def _csv_rows(data: bytes, name: str | None) -> tuple[list[list[Any]], list[int], str]:
    """The records of a CSV file, the line each starts on, and the encoding used."""
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="strict"), "cp1252"
    head = text.splitlines()[:_HEADER_SCAN]
    delimiter = ","
    for candidate in (",", ";", "\t"):
        if _find_header(list(csv.reader(head, delimiter=candidate))) is not None:
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


# --- The header -------------------------------------------------------------------------


def _find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first of the rows that names every expected column."""
    needed = set(FILE_COLUMNS.values())
    for i, row in enumerate(rows[:_HEADER_SCAN]):
        found = {_EXPECTED[k] for k in map(_norm, row) if k in _EXPECTED}
        if found >= needed:
            return i
    return None


def _shown(row: Sequence[Any]) -> str:
    cells = [t for t in map(_text, row) if t is not None]
    text = ", ".join(repr(c) for c in cells[:15])
    return text + (", ..." if len(cells) > 15 else "") if cells else "(empty)"


def _raise_no_header(
    rows: Sequence[Sequence[Any]], lines: Iterable[int], name: str | None
) -> NoReturn:
    where = name or "the file"
    needed = set(FILE_COLUMNS.values())
    best: tuple[int, int, Sequence[Any]] | None = None
    for line, row in zip(lines, rows[:_HEADER_SCAN], strict=False):
        found = {_EXPECTED[k] for k in map(_norm, row) if k in _EXPECTED}
        if found and (best is None or len(found) > best[0]):
            best = (len(found), line, row)
    expected = ", ".join(FILE_COLUMNS)
    if best is not None and best[0] >= 3:
        _, line, row = best
        found = {_EXPECTED[k] for k in map(_norm, row) if k in _EXPECTED}
        missing = [k for k, v in FILE_COLUMNS.items() if v not in found and v in needed]
        raise ValueError(
            f"{where}: line {line} looks like the header but lacks the column(s) "
            f"{', '.join(missing)}; it holds: {_shown(row)}. A GLOTIP download has the "
            f"columns {expected}."
        )
    shown = "; ".join(
        f"line {line}: {_shown(row)}" for line, row in zip(lines, rows[:5], strict=False)
    )
    raise ValueError(
        f"{where}: no header found in the first {_HEADER_SCAN} lines; expected a line with the "
        f"columns {expected}. The first lines hold: {shown or '(nothing)'}"
    )


def _header_positions(
    row: Sequence[Any], where: str, line: int
) -> tuple[dict[str, int], list[str]]:
    """Where each expected column is in the header row, and the header's unknown names."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for j, cell in enumerate(row):
        key = _norm(cell)
        if not key:
            continue
        target = _EXPECTED.get(key)
        if target is None:
            unknown.append(str(_text(cell)))
        elif target in positions:
            raise ValueError(f"{where}: the header (line {line}) names {target!r} twice")
        else:
            positions[target] = j
    return positions, unknown


# --- From cells to the table ------------------------------------------------------------


def _text_column(cells: "npt.NDArray[np.object_]") -> "pd.Series[str]":
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
        text = pd.Series(pd.array([_text(c) for c in cells], dtype="string"))
    return text.mask((text == "").fillna(False))


def _edition_date(cells: Iterable[Any]) -> str | None:
    for cell in cells:
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat()
        if isinstance(cell, dt.date):
            return cell.isoformat()
        m = _DAY_FIRST_DATE.fullmatch(_text(cell) or "")
        if m:
            day, month, year = map(int, m.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def _failure(column: str, line: int, value: str | None, check: str, message: str) -> dict[str, Any]:
    return {
        "table": "glotip",
        "column": column,
        "row": line,
        "id": None,
        "value": "<missing>" if value is None else value,
        "check": check,
        "message": message,
    }


def _na_none(value: Any) -> str | None:
    import pandas as pd

    return None if pd.isna(value) else str(value)


def _codes(labels: "pd.Series[str]", codes: dict[str, str]) -> "pd.Series[str]":
    """Labels as codes, compared without case; a label without a code is kept as it is."""
    found = {x: codes.get(" ".join(x.casefold().split()), x) for x in labels.dropna().unique()}
    return labels.map(found).astype("string")


def _parse(data: bytes, kind: str, name: str | None, sha256: str) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    where = name or "the file"
    info: dict[str, Any] = {"format": kind, "sheet": None, "encoding": None}
    if kind == "xlsx":
        rows, info["sheet"] = _excel_rows(data, name)
        lines: Sequence[int] = range(1, len(rows) + 1)
    else:
        rows, lines, info["encoding"] = _csv_rows(data, name)
    at = _find_header(rows)
    if at is None:
        _raise_no_header(rows, lines, name)
    header_line = lines[at]
    positions, unknown = _header_positions(rows[at], where, header_line)
    if unknown:
        warnings.warn(_ignored_message(where, unknown), UserWarning, stacklevel=3)
    named = {j for j, c in enumerate(rows[at]) if _norm(c)}

    body = rows[at + 1 :]
    width = max(len(r) for r in [rows[at], *body])
    if any(len(r) != width for r in body):  # CSV records may be short or long: pad them
        body = [[*r, *[None] * (width - len(r))] for r in body]
    cells = np.empty((len(body), width), dtype=object)
    if body:
        cells[:] = body
    texts = [_text_column(cells[:, j]) for j in range(width)]
    filled = np.zeros(len(body), dtype=bool)
    for column in texts:
        filled |= column.notna().to_numpy()
    body_lines = np.asarray(lines[at + 1 :], dtype=np.int64)
    data_lines = body_lines[filled]

    failures: list[dict[str, Any]] = []
    named = {j for j, c in enumerate(rows[at]) if _norm(c)}
    for j in sorted(set(range(width)) - named):
        for line, cell in zip(body_lines, texts[j], strict=True):
            if not pd.isna(cell):
                failures.append(
                    _failure(
                        f"(unnamed column {j + 1})",
                        int(line),
                        str(cell),
                        "cell_outside_header",
                        "holds data in a column that the header does not name",
                    )
                )
    cols = {target: texts[j][filled].reset_index(drop=True) for target, j in positions.items()}

    value_text = cols["value"]
    censored = value_text.str.fullmatch(_SUPPRESSED.pattern).fillna(False).astype(bool)
    is_count = value_text.str.fullmatch(_COUNT.pattern).fillna(False).astype(bool)
    value = pd.to_numeric(value_text.where(is_count).str.replace(",", "", regex=False))
    value = value.astype("Int64")
    for i in np.flatnonzero(~(censored | is_count).to_numpy()):
        failures.append(
            _failure(
                "value",
                int(data_lines[i]),
                _na_none(value_text.iloc[i]),
                "count_text",
                "cannot be read as a count: txtVALUE must be a whole number or '<5'",
            )
        )
    year_text = cols["year"]
    is_year = year_text.str.fullmatch(_YEAR.pattern).fillna(False).astype(bool)
    year = pd.to_numeric(year_text.where(is_year)).astype("Int64")
    for i in np.flatnonzero(~is_year.to_numpy()):
        failures.append(
            _failure(
                "year",
                int(data_lines[i]),
                _na_none(year_text.iloc[i]),
                "year_text",
                "cannot be read as a four-digit year",
            )
        )

    frame = pd.DataFrame(
        {
            "iso3": cols["iso3"],
            "iso3_is_iso3166": cols["iso3"].isin(_iso3166_alpha3()).astype(bool),
            "country": cols["country"],
            "region": cols["region"],
            "subregion": cols["subregion"],
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
            "line": pd.array(data_lines, dtype="Int64"),
        }
    )
    frame.index = pd.Index(data_lines)

    bad_lines = {f["row"] for f in failures}
    checked = frame[~frame.index.isin(bad_lines)] if bad_lines else frame
    out, schema_failures = _check(checked)
    failures.extend(cast(list[dict[str, Any]], schema_failures.to_dict("records")))
    if failures:
        raise ValidationError("glotip", _failure_frame(failures))
    out = out.reset_index(drop=True)
    out.attrs["glotip"] = {
        "source_name": name,
        "source_sha256": sha256,
        "reader_version": READER_VERSION,
        **info,
        "header_line": header_line,
        "preamble": [t for r in rows[:at] for t in map(_text, r) if t is not None],
        "edition_date": _edition_date(c for r in rows[:at] for c in r),
        "data_lines": len(out),
        "blank_lines": int(len(body) - len(data_lines)),
        "ignored_columns": unknown,
        "from_cache": False,
    }
    return out


def _ignored_message(where: str, unknown: Sequence[str]) -> str:
    return (
        f"{where}: the header has column(s) this reader does not know, which the table leaves "
        f"out: {', '.join(map(repr, unknown))}"
    )


def _failure_frame(failures: list[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd

    frame = pd.DataFrame(
        failures, columns=["table", "column", "row", "id", "value", "check", "message"]
    )
    has_row = frame["row"].notna()
    frame.loc[has_row, "message"] = [
        f"{m} (line {int(r)} of the file)"
        for m, r in zip(frame.loc[has_row, "message"], frame.loc[has_row, "row"], strict=True)
    ]
    frame["id"] = frame["id"].astype(object).where(frame["id"].notna(), pd.NA)
    order = frame.assign(_r=pd.to_numeric(frame["row"], errors="coerce")).sort_values(
        "_r", kind="stable", na_position="first"
    )
    return frame.loc[order.index].reset_index(drop=True)


def _check(frame: "pd.DataFrame") -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Validate against the schema; the validated frame, and the failures (maybe none)."""
    import pandas as pd
    import pandera.errors

    from unodc_metrics._tables import _failures

    try:
        out: pd.DataFrame = _schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return frame, _failures("glotip", frame, exc.failure_cases)
    return out, pd.DataFrame(columns=["table", "column", "row", "id", "value", "check", "message"])


@cache
def _iso3166_alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


# --- The schema -------------------------------------------------------------------------


@cache
def _schema() -> "type[pa.DataFrameModel]":
    """Build the schema on first use, so that importing this module stays cheap."""
    import pandas as pd
    import pandera.pandas as pa
    from pandera.typing import Series

    from unodc_metrics.schemas import _rule

    latest_year = dt.date.today().year
    codes = _iso3166_alpha3()

    class GlotipSchema(pa.DataFrameModel):
        """One count of a dataUNODC GLOTIP download: a row of :func:`read_glotip`'s table.

        A breakdown's parts and its total are rows that agree on ``indicator``,
        ``dimension``, ``category``, ``age``, ``iso3``, ``country`` and ``year`` and differ
        in ``sex`` (parts: female, male, other, unknown; total: ``total``); the same holds
        for age with the roles of ``sex`` and ``age`` swapped. Keys may repeat: the file
        has lines with the same key and different counts, and every line is kept.
        """

        iso3: Series[pd.StringDtype] = pa.Field(
            nullable=True,
            str_matches=r"^\S+$",
            description=(
                "The area's code as the file writes it (Iso3_code): mostly ISO 3166-1 alpha-3, "
                "but areas that are not countries have other codes or none."
            ),
        )
        iso3_is_iso3166: Series[bool] = pa.Field(
            description="True where iso3 is a current ISO 3166-1 alpha-3 code (per pycountry)."
        )
        country: Series[pd.StringDtype] = pa.Field(
            str_length={"min_value": 1},
            description="The area's name as the file writes it, e.g. 'Aruba/Curacao'.",
        )
        region: Series[pd.StringDtype] = pa.Field(
            nullable=True, description="UN M49 region name, as the file writes it."
        )
        subregion: Series[pd.StringDtype] = pa.Field(
            nullable=True, description="UN M49 subregion name, as the file writes it."
        )
        indicator: Series[pd.StringDtype] = pa.Field(
            str_length={"min_value": 1},
            description="What is counted, e.g. 'Detected trafficking victims'.",
        )
        dimension: Series[pd.StringDtype] = pa.Field(
            str_length={"min_value": 1},
            description=(
                "The breakdown the row belongs to: 'Total', 'by form of exploitation', "
                "'by citizenship' or 'by country of repatriation'."
            ),
        )
        category: Series[pd.StringDtype] = pa.Field(
            nullable=True,
            description=(
                "The part of the dimension: 'Total', a form of exploitation, a citizenship or a "
                "country; missing where the file leaves it empty."
            ),
        )
        sex: Series[pd.StringDtype] = pa.Field(
            isin=list(SEXES), description="female, male, other, unknown or total (not split)."
        )
        age: Series[pd.StringDtype] = pa.Field(
            isin=list(AGES),
            description="child (0 to 17 years), adult (18 or over), unknown or total.",
        )
        year: Series[pd.Int64Dtype] = pa.Field(
            ge=1990, le=latest_year, description="The calendar year counted."
        )
        value: Series[pd.Int64Dtype] = pa.Field(
            ge=0, nullable=True, description="The count; missing where the file writes '<5'."
        )
        value_low: Series[pd.Int64Dtype] = pa.Field(
            ge=0, description="The smallest the count can be: value, or 0 where suppressed."
        )
        value_high: Series[pd.Int64Dtype] = pa.Field(
            ge=0, description="The largest the count can be: value, or 4 where suppressed."
        )
        censored: Series[bool] = pa.Field(
            description="True where the file writes '<5' instead of the count."
        )
        unit: Series[pd.StringDtype] = pa.Field(
            nullable=True, description="Unit of measurement, as the file writes it ('Counts')."
        )
        source: Series[pd.StringDtype] = pa.Field(
            nullable=True, description="Source, as the file writes it ('GLOTIP')."
        )
        line: Series[pd.Int64Dtype] = pa.Field(
            ge=1,
            unique=True,
            description="Line of the file the row comes from (1-based, as a spreadsheet shows it).",
        )

        class Config:
            name = "glotip"
            strict = True
            coerce = True
            ordered = True

        @pa.dataframe_check(
            error=_rule(
                "a censored count has no value and bounds 0 to 4; any other count has "
                "value_low = value = value_high",
                ["censored", "value", "value_low", "value_high"],
            )
        )
        def bounds_follow_censoring(cls, df: pd.DataFrame) -> pd.Series:
            cens = df["censored"].astype(bool)
            v, lo, hi = df["value"], df["value_low"], df["value_high"]
            suppressed = cens & v.isna() & (lo == 0).fillna(False)
            suppressed &= (hi == SUPPRESSED_HIGH).fillna(False)
            known = ~cens & v.notna() & (lo == v).fillna(False) & (hi == v).fillna(False)
            return (suppressed | known).astype(bool)

        @pa.dataframe_check(
            error=_rule(
                "iso3_is_iso3166 must say whether iso3 is an ISO 3166-1 alpha-3 code",
                ["iso3", "iso3_is_iso3166"],
            )
        )
        def iso_flag_true(cls, df: pd.DataFrame) -> pd.Series:
            is_code = df["iso3"].isin(codes).astype(bool)
            return (is_code == df["iso3_is_iso3166"].astype(bool)).astype(bool)

    return GlotipSchema


def __getattr__(name: str) -> Any:
    # Only the schema is lazy: building it imports pandera, which is slow to import.
    if name == "GlotipSchema":
        return _schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- The cache --------------------------------------------------------------------------


def _cache_dir(cache_dir: str | os.PathLike[str] | None) -> Path | None:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(CACHE_ENV, "").strip()
    return Path(env).expanduser() if env else None


def _cache_file(directory: Path, sha256: str, kind: str) -> Path:
    return directory / f"glotip-{sha256}-{kind}-r{READER_VERSION}.parquet"


def _read_cache(path: Path) -> "pd.DataFrame | None":
    import pandas as pd

    if not path.is_file():
        return None
    try:
        df = pd.read_parquet(path)
    except (OSError, ValueError):  # unreadable: read the source again and rewrite it
        return None
    meta = df.attrs.get("glotip")
    if tuple(df.columns) != COLUMNS or not isinstance(meta, dict):
        return None
    if meta.get("reader_version") != READER_VERSION or len(df) != meta.get("data_lines"):
        return None
    return df


def _write_cache(path: Path, df: "pd.DataFrame") -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        warnings.warn(f"could not write the GLOTIP cache {path}: {exc}", UserWarning, stacklevel=3)


# --- The public function ----------------------------------------------------------------


def read_glotip(
    path_or_buffer: str | os.PathLike[str] | bytes | IO[bytes] | IO[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> "pd.DataFrame":
    """Read a dataUNODC GLOTIP download into a validated long table.

    The file may be the portal's ``.xlsx`` (read with the calamine engine) or a CSV file.
    The reader finds the header itself among the first 20 lines, whatever precedes it (the
    ``UNODC`` line, the edition date, a contact cell), and finds each column by its name
    (case, spaces and underscores do not matter), wherever it is.

    Every data line becomes one row; blank lines are skipped and counted. No line is dropped
    otherwise: if any line cannot be read (a count that is neither a whole number nor
    ``<5``, a year that is not a year, an unknown sex or age label, an empty country, data
    in a column the header does not name), nothing is returned and a
    :class:`~unodc_metrics.ValidationError` lists every such line; in its ``failures``, the
    ``row`` column is the file's line number.

    A suppressed count (``<5``) has a missing ``value``, ``censored`` true, and the bounds
    ``value_low`` 0 and ``value_high`` 4; any other count has ``value_low = value =
    value_high``. Thousands separators (``1,192``) are read as such.

    ``df.attrs["glotip"]`` records where the table comes from: ``source_name``,
    ``source_sha256``, ``reader_version``, ``format``, ``sheet``, ``encoding``,
    ``header_line``, ``preamble`` (the non-empty cells before the header), ``edition_date``
    (the date in the preamble, read day first, as ISO text), ``data_lines``, ``blank_lines``,
    ``ignored_columns`` and ``from_cache``.

    Args:
        path_or_buffer: A path to the file, its bytes, or an open file (binary, or text for
            a CSV).
        cache_dir: A folder for a Parquet copy of the table, named by the SHA-256 of the
            file's bytes and :data:`READER_VERSION`: when the same file is read again, the
            copy is loaded instead (a changed file has another checksum, so a stale copy is
            never served). When ``None``, the folder named by the environment variable
            ``UNODC_METRICS_CACHE_DIR`` is used if it is set; otherwise nothing is cached.

    Returns:
        One row per data line, with the columns of :data:`COLUMNS`: ``iso3``,
        ``iso3_is_iso3166``, ``country``, ``region``, ``subregion``, ``indicator``,
        ``dimension``, ``category``, ``sex``, ``age``, ``year``, ``value``, ``value_low``,
        ``value_high``, ``censored``, ``unit``, ``source`` and ``line`` (the file's line).

    Raises:
        ValidationError: If any line cannot be read, or the table fails
            :class:`GlotipSchema`.
        ValueError: If no header is found in the first 20 lines, a column is missing or
            named twice, or the file cannot be opened as a spreadsheet.
        TypeError: If ``path_or_buffer`` is not a path, bytes or a file.

    Warns:
        UserWarning: If the header has columns the reader does not know (they are left out),
            or the cache cannot be written.

    Examples:
        >>> import io
        >>> import unodc_metrics as um
        >>> header = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension"]
        >>> header += ["Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE"]
        >>> header += ["Source"]
        >>> place = "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total"
        >>> lines = ["UNODC", "14/04/2025", ",".join(header)]
        >>> lines.append(place + ',Female,Total,2021,Counts,"1,192",GLOTIP')
        >>> lines.append(place + ",Other,Total,2021,Counts,<5,GLOTIP")
        >>> text = "".join(line + chr(10) for line in lines)
        >>> df = um.read_glotip(io.StringIO(text))
        >>> df[["sex", "year", "value", "value_low", "value_high", "censored", "line"]]
              sex  year  value  value_low  value_high  censored  line
        0  female  2021   1192       1192        1192     False     4
        1   other  2021   <NA>          0           4      True     5
        >>> df.attrs["glotip"]["header_line"], df.attrs["glotip"]["edition_date"]
        (3, '2025-04-14')

        A line that cannot be read stops the read, and the error names it:

        >>> bad = text.replace("<5", "abc")
        >>> try:
        ...     um.read_glotip(io.StringIO(bad))
        ... except um.ValidationError as err:
        ...     print(err.failures.loc[0, "message"])
        cannot be read as a count: txtVALUE must be a whole number or '<5' (line 5 of the file)
    """
    data, kind, name = _load(path_or_buffer)
    sha256 = hashlib.sha256(data).hexdigest()
    directory = _cache_dir(cache_dir)
    path = _cache_file(directory, sha256, kind) if directory is not None else None
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            meta = dict(cached.attrs["glotip"])
            if meta.get("ignored_columns"):
                warnings.warn(
                    _ignored_message(name or "the file", meta["ignored_columns"]),
                    UserWarning,
                    stacklevel=2,
                )
            cached.attrs["glotip"] = meta | {"source_name": name, "from_cache": True}
            return cached
    df = _parse(data, kind, name, sha256)
    if path is not None:
        _write_cache(path, df)
    return df
