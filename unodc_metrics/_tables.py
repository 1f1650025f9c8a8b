"""Loading, listing and validating the curated tables.

Nothing here runs at import time: the data files are read on first use, validated once,
and cached; every caller gets its own copy.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, overload

from unodc_metrics._errors import ValidationError
from unodc_metrics._source import REPORT, Citation

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa
    import polars as pl

__all__ = [
    "FIGURE_TABLES",
    "TABLES",
    "TableMetadata",
    "load",
    "metadata",
    "tables",
    "validate",
]

FIGURE_TABLES: tuple[str, ...] = (
    "trainings",
    "rescues",
    "arrests",
    "investigations",
    "countries_reached",
    "meetings",
    "knowledge_base",
    "publications",
    "protocol_status",
    "other_counts",
)
"""The tables of the report's figures, each sharing the columns of ``FigureTable``."""

TABLES: tuple[str, ...] = (*FIGURE_TABLES, "initiatives", "measures", "listed_items", "parties")
"""Every table the package ships, in the order :func:`tables` lists them."""

_SCHEMA_NAMES = {
    "trainings": "Trainings",
    "rescues": "Rescues",
    "arrests": "Arrests",
    "investigations": "Investigations",
    "countries_reached": "CountriesReached",
    "meetings": "Meetings",
    "knowledge_base": "KnowledgeBase",
    "publications": "Publications",
    "protocol_status": "ProtocolStatus",
    "other_counts": "OtherCounts",
    "initiatives": "Initiatives",
    "measures": "Measures",
    "listed_items": "ListedItems",
    "parties": "Parties",
}


@dataclass(frozen=True)
class TableMetadata:
    """What a table is, where it comes from, and how to check its file.

    Attributes:
        name: The table's name, as passed to :func:`load`.
        title: A short title.
        description: What one row is, and what the table holds.
        kind: ``figures`` (the report's numbers), ``registry`` (codes that the figure tables
            refer to) or ``reference`` (data from outside the report).
        source: The document the rows come from.
        source_note: How the rows were taken from it.
        licence: The terms under which the table is shared.
        units: The unit of each count column. Where it depends on the row, the unit is
            ``"see measure"``: look the row's measure up in the ``measures`` table.
        sha256: Checksum of the shipped CSV file.
        file: The file's name inside the package's data folder.
        limits: What the table cannot tell, to be carried with any figure built from it.
    """

    name: str
    title: str
    description: str
    kind: str
    source: Citation | str
    source_note: str
    licence: str
    units: dict[str, str]
    sha256: str
    file: str
    limits: tuple[str, ...] = field(default=())


def _data_file(name: str) -> Any:
    return files("unodc_metrics.data").joinpath(name)


@cache
def _metadata_records() -> dict[str, Any]:
    records: dict[str, Any] = json.loads(_data_file("metadata.json").read_text(encoding="utf-8"))
    return records


def _check_name(name: str) -> str:
    if not isinstance(name, str) or name not in TABLES:
        raise LookupError(f"no table named {name!r}; the tables are: {', '.join(TABLES)}")
    return name


def metadata(name: str) -> TableMetadata:
    """The metadata of one table: title, description, source, licence, units and checksum.

    Args:
        name: A table name, one of :data:`TABLES`.

    Returns:
        The table's :class:`TableMetadata`.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import unodc_metrics as um
        >>> meta = um.metadata("trainings")
        >>> meta.units["value"], meta.source.date.isoformat()
        ('persons', '2022-07-22')
        >>> len(meta.sha256)
        64
    """
    from unodc_metrics._parties import REFERENCE_LIMITS

    rec = _metadata_records()["tables"][_check_name(name)]
    source: Citation | str = REPORT if rec["source"] == "report" else rec["source"]
    return TableMetadata(
        name=name,
        title=rec["title"],
        description=rec["description"],
        kind=rec["kind"],
        source=source,
        source_note=rec["source_note"],
        licence=rec["licence"],
        units=dict(rec["units"]),
        sha256=rec["sha256"],
        file=f"{name}.csv",
        limits=REFERENCE_LIMITS if name == "parties" else tuple(rec.get("limits", ())),
    )


def _schema(name: str) -> type[pa.DataFrameModel]:
    from unodc_metrics import schemas

    model: type[pa.DataFrameModel] = getattr(schemas, _SCHEMA_NAMES[_check_name(name)])
    return model


def _read_csv(name: str) -> pd.DataFrame:
    """Read a shipped CSV with the dtypes its schema declares."""
    import pandas as pd

    columns = _schema(name).to_schema().columns
    dtypes: dict[str, Any] = {}
    dates: list[str] = []
    for col, spec in columns.items():
        kind = str(spec.dtype)
        if kind.startswith("datetime"):
            dates.append(col)
            dtypes[col] = "string"
        elif kind == "bool":
            dtypes[col] = "boolean"
        else:
            dtypes[col] = kind
    with _data_file(f"{name}.csv").open("r", encoding="utf-8", newline="") as fh:
        df = pd.read_csv(
            fh,
            dtype=dtypes,
            keep_default_na=False,
            na_values=[""],
            true_values=["true"],
            false_values=["false"],
        )
    for col in dates:
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    return df


@cache
def _validated(name: str) -> pd.DataFrame:
    return validate(_read_csv(name), table=name)


def load(name: str) -> pd.DataFrame:
    """Load one curated table as a validated pandas DataFrame.

    Each call returns a new copy: changing it never changes what the next call returns.

    Args:
        name: A table name, one of :data:`TABLES` (see :func:`tables`).

    Returns:
        The table, with nullable integer, string, boolean and datetime columns.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> import unodc_metrics as um
        >>> trainings = um.load("trainings")
        >>> row = trainings.set_index("id").loc["TRN-05a"]
        >>> int(row["value"]), int(row["female"]), int(row["male"]), int(row["unknown_sex"])
        (2776, 1138, 715, 919)
        >>> row["phrase"][:40]
        'trained 2,776 criminal justice practitio'
    """
    return _validated(_check_name(name)).copy(deep=True)


def tables() -> pd.DataFrame:
    """List the tables with their titles, descriptions and sizes.

    Returns:
        One row per table, with the columns ``name``, ``title``, ``kind``, ``description``,
        ``rows`` and ``columns``.

    Examples:
        >>> import unodc_metrics as um
        >>> overview = um.tables()
        >>> list(overview.columns)
        ['name', 'title', 'kind', 'description', 'rows', 'columns']
        >>> overview.set_index("name").loc["parties", "rows"]
        np.int64(183)
    """
    import pandas as pd

    rows = []
    for name in TABLES:
        meta = metadata(name)
        n_rows, n_columns = _shape(name)
        rows.append(
            {
                "name": name,
                "title": meta.title,
                "kind": meta.kind,
                "description": meta.description,
                "rows": n_rows,
                "columns": n_columns,
            }
        )
    return pd.DataFrame(rows)


def _shape(name: str) -> tuple[int, int]:
    """Rows and columns of a shipped table, counted from its file: no parsing, no pandera.

    The shipped files are validated by the test suite, and by :func:`load` on first use.
    """
    import csv

    with _data_file(f"{name}.csv").open("r", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return sum(1 for _ in reader), len(header)


@overload
def validate(df: pd.DataFrame, table: str) -> pd.DataFrame: ...
@overload
def validate(df: pl.DataFrame, table: str) -> pl.DataFrame: ...
def validate(df: Any, table: str) -> Any:
    """Validate a frame against a table's schema.

    The frame is not changed. Every failure is collected before anything is raised. A polars
    DataFrame is validated with pandera's polars backend and comes back as polars.

    Args:
        df: A pandas or polars DataFrame in the shape of the table.
        table: The name of the table whose schema to apply, one of :data:`TABLES`.

    Returns:
        A validated copy, with the schema's dtypes, of the caller's kind.

    Raises:
        ValidationError: If the frame does not meet the schema. Its ``failures`` attribute
            lists each failure with its column, row, value and rule.
        LookupError: If there is no such table.
        TypeError: If ``df`` is neither a pandas nor a polars DataFrame.

    Examples:
        >>> import unodc_metrics as um
        >>> arrests = um.load("arrests")
        >>> arrests.loc[0, "value"] = -17
        >>> try:
        ...     um.validate(arrests, table="arrests")
        ... except um.ValidationError as err:
        ...     print(str(err).splitlines()[1])
        ...     print(err.failures[["row", "id", "column"]].to_string(index=False))
          - row 0 (id ARR-05a), column 'value', value -17: must be at least 0
         row      id                                   column
           0 ARR-05a                                    value
           0 ARR-05a qualifier, value, value_low, value_high
    """
    import pandas as pd
    import pandera.errors

    _check_name(table)
    if type(df).__module__.startswith("polars") and type(df).__name__ == "DataFrame":
        from unodc_metrics._aggregate import validate_polars

        return validate_polars(df, table)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"validate() takes a pandas or polars DataFrame, not {type(df).__name__}")
    schema = _schema(table)
    try:
        out: pd.DataFrame = schema.validate(df.copy(deep=True), lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise ValidationError(table, _failures(table, df, exc.failure_cases)) from None
    return out


_HUMAN = [
    (r"^greater_than_or_equal_to\((.*)\)$", "must be at least {0}"),
    (r"^less_than_or_equal_to\((.*)\)$", "must be at most {0}"),
    (r"^greater_than\((.*)\)$", "must be more than {0}"),
    (r"^isin\((.*)\)$", "must be one of {0}"),
    (r"^str_matches\('?(.*?)'?\)$", "must match the pattern {0}"),
    (r"^str_length\((.*)\)$", "must not be empty"),
    (r"^not_nullable$", "must not be missing"),
    (r"^field_uniqueness$", "must be unique, but this value repeats"),
    (r"^multiple_fields_uniqueness$", "this combination of columns must be unique, but repeats"),
    (r"^column_in_dataframe$", "a required column is missing"),
    (r"^column_in_schema$", "this column is not part of the table (the schema is strict)"),
    (r"^column_ordered$", "the columns must be in the schema's order"),
    (r"^coerce_dtype\('?(.*?)'?\)$", "cannot be read as {0}"),
    (r"^dtype\('?(.*?)'?\)$", "must have dtype {0}"),
]


def _human(check: str) -> str:
    for pattern, template in _HUMAN:
        m = re.match(pattern, check)
        if m:
            return template.format(*m.groups())
    return check


def _failures(table: str, df: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Turn pandera's failure cases into one readable row per failure."""
    import pandas as pd

    from unodc_metrics.schemas import RULE_COLUMNS

    ids = df["id"] if "id" in df.columns else None
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    records = cases.to_dict("records")
    # A value that cannot be read as its type is reported once, not again as a wrong dtype.
    unreadable = {r["column"] for r in records if str(r["check"]).startswith("coerce_dtype")}
    for case in records:
        check = str(case["check"])
        row: Any = case["index"]
        if isinstance(row, float) and row.is_integer():
            row = int(row)
        column: Any = case["column"]
        value: Any = case["failure_case"]
        if check.startswith("dtype(") and column in unreadable:
            continue
        if check.startswith("coerce_dtype") and pd.isna(row) and column in df.columns:
            # pandera gave up on the whole column: find the rows that cannot be read.
            bad = _unreadable_rows(df[column], check)
            if bad:
                for label in bad:
                    rid_ = ids.at[label] if ids is not None else pd.NA
                    out.append(
                        {
                            "table": table,
                            "column": column,
                            "row": label,
                            "id": rid_,
                            "value": _text(df.at[label, column]),
                            "check": check,
                            "message": _human(check),
                        }
                    )
                continue
        if (
            check not in RULE_COLUMNS
            and pd.isna(row)
            and isinstance(value, str)
            and re.match(r"^[A-Za-z]+(Error|Exception)\(", value)
        ):
            # A column check that raised: the column holds values of the wrong type.
            value = "<not checked>"
            check = f"{check}, not checked"

        if check in RULE_COLUMNS and pd.isna(row):
            # The rule raised instead of answering: a column it reads has unreadable values.
            key = (check, row)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "table": table,
                    "column": ", ".join(RULE_COLUMNS[check]),
                    "row": pd.NA,
                    "id": pd.NA,
                    "value": "<not checked>",
                    "check": check,
                    "message": "this rule could not be checked because a column it reads has "
                    "values of the wrong type or is missing; fix those first. The rule: " + check,
                }
            )
            continue
        if check in RULE_COLUMNS:
            key = (check, row)
            if key in seen:
                continue
            seen.add(key)
            cols = [c for c in RULE_COLUMNS[check] if c in df.columns]
            column = ", ".join(RULE_COLUMNS[check])
            if not pd.isna(row) and row in df.index:
                if len(cols) == 1:
                    value = df.at[row, cols[0]]
                else:
                    value = ", ".join(f"{c}={_text(df.at[row, c])}" for c in cols)
            message = check
        else:
            if check in ("column_in_dataframe", "column_in_schema"):
                column, value, row = value, pd.NA, pd.NA
            message = _human(check.removesuffix(", not checked"))
            if check.endswith(", not checked"):
                message = (
                    f"the rule '{message}' could not be checked because the column has values "
                    "of the wrong type; fix those first"
                )
            if check == "column_in_dataframe" and column in (df.index.names or []):
                message += f" ({column!r} is the frame's index: call reset_index() first)"
        rid: Any = pd.NA
        if ids is not None and not pd.isna(row) and row in df.index:
            rid = ids.at[row]
        out.append(
            {
                "table": table,
                "column": column,
                "row": row,
                "id": rid,
                "value": _text(value),
                "check": check,
                "message": message,
            }
        )
    frame = pd.DataFrame(out, columns=["table", "column", "row", "id", "value", "check", "message"])
    frame["row"] = pd.Series([o["row"] for o in out], index=frame.index, dtype=object)
    # Row by row; within a row, single-column failures before cross-column rules.
    order = frame.assign(
        _missing_row=frame["row"].isna(),
        _rule=frame["check"].isin(list(RULE_COLUMNS)),
        _row=pd.to_numeric(frame["row"], errors="coerce"),
    ).sort_values(["_missing_row", "_row", "_rule", "column"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def _unreadable_rows(values: pd.Series, check: str) -> list[Any]:
    """Index labels of the values that the coercion named in ``check`` cannot read."""
    import pandas as pd

    present = values[values.notna()]
    if "Int" in check or "int" in check:
        numbers = pd.to_numeric(present, errors="coerce")
        ok = numbers.notna() & (numbers == numbers.round())
    elif "Float" in check or "float" in check:
        ok = pd.to_numeric(present, errors="coerce").notna()
    elif "datetime" in check.lower():
        ok = pd.to_datetime(present, errors="coerce", format="ISO8601").notna()
    else:
        return []
    return list(present.index[~ok.to_numpy(dtype=bool)])


def _text(value: Any) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "<missing>"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


@cache
def initiative_codes() -> frozenset[str]:
    """The codes of the initiatives registry."""
    return frozenset(_validated("initiatives")["code"])


@cache
def measure_names(table: str) -> frozenset[str]:
    """The measures that the measures registry lists for one table."""
    measures = _validated("measures")
    return frozenset(measures.loc[measures["table"] == table, "measure"])


def file_sha256(name: str) -> str:
    """SHA-256 of a shipped CSV file, as bytes on disk."""
    return hashlib.sha256(_data_file(f"{name}.csv").read_bytes()).hexdigest()
