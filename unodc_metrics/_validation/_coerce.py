"""Reading each column as its schema's dtype, on pandas and on polars, by one reading.

Every column that is not already of its schema's dtype is read by
:func:`unodc_metrics._validation._read.read_array`, the same rules on every entry point
(frames here, files in :mod:`unodc_metrics.export`). A value that cannot be read is reported
(rule ``read_integer``, ``read_number``, ``read_boolean``, ``read_date`` or ``read_text``,
with the reason in words) and becomes missing, so that every other check still runs on the
rest of the column. At most ``limit`` values per column are listed; the message of the
first says how many there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.engines import quiet
from unodc_metrics._base.failures import Failure, listed_note
from unodc_metrics._base.values import as_text, kind_of
from unodc_metrics._validation._read import Reading, read_array, to_arrow

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "Coerced",
    "coerce_pandas",
    "coerce_polars",
    "polars_column_schema",
    "polars_dtype",
    "read_failures",
]

Coerced = tuple[Any, list[Failure], dict[str, set[int]]]
"""The coerced frame, the unreadable values as failures, and their positions by column."""

_RULES = {
    "integer": "read_integer",
    "number": "read_number",
    "boolean": "read_boolean",
    "date": "read_date",
    "string": "read_text",
}
_PANDAS: dict[str, Any] = {
    "integer": "Int64",
    "number": "Float64",
    "boolean": "bool",
    "date": "datetime64[ns]",
}


def read_failures(
    table: str,
    column: str,
    kind: str,
    reading: Reading,
    source: Any,
    *,
    where: Any,
    limit: int | None,
) -> list[Failure]:
    """The first ``limit`` unreadable values of a column as failures (all when None).

    Args:
        source: The column's values as given (an Arrow array), to show a value as it was
            written.
        where: From a position, the row's label, id and file line.
    """
    bad = reading.bad if limit is None else reading.bad[:limit]
    note = listed_note(len(reading.bad), len(bad))
    failing = len(reading.bad) if len(reading.bad) > len(bad) else None
    rule = _RULES[kind]
    out = []
    for position in bad.tolist():
        label, id_, line = where(position)
        value = _shown(source[position].as_py())
        message = reading.reason(position) + note
        out.append(
            Failure(
                table, column, label, id_, value, rule, rule, message, line=line, failing=failing
            )
        )
    return out


def _shown(value: Any) -> str:
    """A value as it was given: a time of day is not dropped from a timestamp."""
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return value.isoformat(sep=" ")
    return as_text(value)


def _coerce(
    columns: Any, schema: pa.DataFrameSchema, table: str, limit: int | None, where: Any
) -> tuple[dict[str, Reading], list[Failure], dict[str, set[int]]]:
    """Each column of ``columns`` (name to values) that the schema has, read as its kind."""
    readings: dict[str, Reading] = {}
    failures: list[Failure] = []
    unreadable: dict[str, set[int]] = {}
    for name, values in columns.items():
        kind = kind_of(str(schema.columns[name].dtype))
        source = to_arrow(values)
        reading = read_array(source, kind)
        readings[name] = reading
        if len(reading.bad):
            unreadable[name] = set(reading.bad.tolist())
            failures += read_failures(table, name, kind, reading, source, where=where, limit=limit)
    return readings, failures, unreadable


def coerce_pandas(df: Any, schema: pa.DataFrameSchema, table: str, limit: int | None) -> Coerced:
    """A copy of a pandas frame, with a fresh 0-based index and every column of the schema
    read as its dtype. Failures name the rows by the caller's index labels."""
    import pandas as pd

    out = df.reset_index(drop=True)
    ids = out["id"] if "id" in out.columns else None
    todo = {
        name: out[name]
        for name, column in schema.columns.items()
        if name in out.columns and out[name].dtype != _pandas_dtype(column)
    }

    def where(position: int) -> tuple[Any, Any, None]:
        return df.index[position], None if ids is None else ids.iat[position], None

    readings, failures, unreadable = _coerce(todo, schema, table, limit, where)
    for name, reading in readings.items():
        target = _pandas_dtype(schema.columns[name])
        series = pd.Series(reading.values.to_pandas(types_mapper=pd.ArrowDtype))
        if target == "bool":
            series = series.astype("boolean")
            series = series if series.isna().any() else series.astype(bool)
        else:
            series = series.astype(target)
        out[name] = series.to_numpy() if target == "datetime64[ns]" else series.array
    return out, failures, unreadable


def _pandas_dtype(column: Any) -> Any:
    """The pandas dtype of a schema's column, as pandera makes it."""
    kind = kind_of(str(column.dtype))
    return column.dtype.type if kind == "string" else _PANDAS[kind]


def polars_dtype(pandas_dtype: str) -> Any:
    """The polars dtype that a schema's pandas dtype stands for."""
    import polars as pl

    if pandas_dtype.startswith(("string", "str")):
        return pl.String
    if pandas_dtype.startswith("datetime"):
        return pl.Datetime("us")
    return {"Int64": pl.Int64, "Float64": pl.Float64, "bool": pl.Boolean}[pandas_dtype]


def coerce_polars(df: Any, schema: pa.DataFrameSchema, table: str, limit: int | None) -> Coerced:
    """A polars frame with every column of the schema read as its dtype."""
    import polars as pl

    ids = df.get_column("id") if "id" in df.columns else None
    todo = {
        name: df.get_column(name)
        for name, column in schema.columns.items()
        if name in df.columns and df.get_column(name).dtype != polars_dtype(str(column.dtype))
    }

    def where(position: int) -> tuple[Any, Any, None]:
        return position, None if ids is None else ids[position], None

    readings, failures, unreadable = _coerce(todo, schema, table, limit, where)
    casts = [
        pl.Series(name, pl.from_arrow(reading.values)).cast(
            polars_dtype(str(schema.columns[name].dtype))
        )
        for name, reading in readings.items()
    ]
    return (df.with_columns(casts) if casts else df), failures, unreadable


def polars_column_schema(
    schema: pa.DataFrameSchema, present: Collection[str], *, lazy: bool
) -> Any:
    """The schema's column-level part for pandera's polars backend, for the present columns.

    On a lazy frame, which is not coerced, dates are left to the dtype family check (any unit
    or time zone will do) and uniqueness to the runner.
    """
    with quiet():  # pandera's polars API tries pyspark.pandas on first import
        import pandera.polars as pap

    columns: Mapping[str, Any] = {
        name: pap.Column(
            None
            if lazy and str(col.dtype).startswith("datetime")
            else polars_dtype(str(col.dtype)),
            checks=list(col.checks),
            nullable=col.nullable,
            unique=col.unique and not lazy,
            coerce=False,
            name=name,
        )
        for name, col in schema.columns.items()
        if name in present
    }
    unique = schema.unique if schema.unique and set(schema.unique) <= set(present) else None
    return pap.DataFrameSchema(dict(columns), unique=None if lazy else unique, name=schema.name)
