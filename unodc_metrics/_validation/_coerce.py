"""Reading each column as its schema's dtype, on pandas and on polars.

A value that cannot be read as its column's dtype is reported once (``coerce_dtype``) and
becomes missing, so that every other check still runs on the rest of the column. pandas
values are read by pandera's own coercion of the schema's dtype; polars values by a cast
that marks what it cannot read (a fraction in an integer column included).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.engines import quiet
from unodc_metrics._base.failures import Failure
from unodc_metrics._base.values import as_text
from unodc_metrics._validation._messages import human

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = ["Coerced", "coerce_pandas", "coerce_polars", "polars_column_schema", "polars_dtype"]

Coerced = tuple[Any, list[Failure], dict[str, set[int]]]
"""The coerced frame, the unreadable values as failures, and their positions by column."""


def _unreadable(table: str, column: str, row: Any, id_: Any, value: Any, dtype: str) -> Failure:
    check = f"coerce_dtype('{dtype}')"
    return Failure(table, column, row, id_, as_text(value), check, "coerce_dtype", human(check))


def coerce_pandas(df: Any, schema: pa.DataFrameSchema, table: str) -> Coerced:
    """A copy of a pandas frame, with a fresh 0-based index and every column of the schema
    read as its dtype. Failures name the rows by the caller's index labels."""
    import numpy as np

    index = df.index
    out = df.reset_index(drop=True)
    failures: list[Failure] = []
    unreadable: dict[str, set[int]] = {}
    ids = out["id"] if "id" in out.columns else None
    for name, column in schema.columns.items():
        if name not in out.columns or str(out[name].dtype) == str(column.dtype):
            continue
        series = out[name]
        coerced, bad = _read_pandas(series, column.dtype)
        out[name] = coerced
        if not bad.any():
            continue
        positions = np.flatnonzero(bad)
        unreadable[name] = set(positions.tolist())
        for i in positions:
            id_ = None if ids is None else ids.iat[i]
            value, dtype = series.iat[i], str(column.dtype)
            failures.append(_unreadable(table, name, index[i], id_, value, dtype))
    return out, failures, unreadable


def _read_pandas(series: Any, dtype: Any) -> tuple[Any, Any]:
    """``series`` read as pandera's ``dtype``, missing where a value cannot be read; and a
    mask of those values."""
    import numpy as np
    import pandas as pd
    import pandera.errors

    try:
        return dtype.try_coerce(series), np.zeros(len(series), dtype=bool)
    except pandera.errors.ParserError as exc:
        cases = exc.failure_cases
    bad = np.zeros(len(series), dtype=bool)
    if cases is not None and "index" in cases:
        bad[pd.to_numeric(cases["index"], errors="coerce").dropna().astype(int)] = True
    else:  # pandera named no value: try each distinct one
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        unreadable = [not _readable(dtype, value) for value in uniques]
        bad = np.array([*unreadable, False], dtype=bool)[codes]
    try:
        return dtype.try_coerce(series.mask(bad)), bad
    except (pandera.errors.ParserError, TypeError, ValueError):
        bad = series.notna().to_numpy(dtype=bool)
        return dtype.coerce(pd.Series([None] * len(series), dtype=object)), bad


def _readable(dtype: Any, value: Any) -> bool:
    import pandas as pd
    import pandera.errors

    try:
        dtype.try_coerce(pd.Series([value], dtype=object))
    except (pandera.errors.ParserError, TypeError, ValueError):
        return False
    return True


def polars_dtype(pandas_dtype: str) -> Any:
    """The polars dtype that a schema's pandas dtype stands for."""
    import polars as pl

    if pandas_dtype.startswith(("string", "str")):
        return pl.String
    if pandas_dtype.startswith("datetime"):
        return pl.Datetime("us")
    return {"Int64": pl.Int64, "Float64": pl.Float64, "bool": pl.Boolean}[pandas_dtype]


def coerce_polars(df: Any, schema: pa.DataFrameSchema, table: str) -> Coerced:
    """A polars frame with every column of the schema cast to its dtype."""
    import polars as pl

    failures: list[Failure] = []
    unreadable: dict[str, set[int]] = {}
    ids = df.get_column("id") if "id" in df.columns else None
    for name, column in schema.columns.items():
        if name not in df.columns:
            continue
        source = df.get_column(name)
        target = polars_dtype(str(column.dtype))
        if source.dtype == target:
            continue
        try:
            cast = source.cast(target, strict=False)
            bad = source.is_not_null() & cast.is_null()
            if source.dtype.is_float() and target.is_integer():
                # A fraction would be truncated: it cannot be read as a whole count.
                bad = bad | (cast.cast(pl.Float64) != source).fill_null(False)
                cast = cast.scatter(bad.arg_true(), None)
        except pl.exceptions.PolarsError:
            cast = pl.Series(name, [None] * len(source), dtype=target)
            bad = source.is_not_null()
        positions = bad.arg_true().to_list()
        if positions:
            unreadable[name] = set(positions)
        for i in positions:
            id_ = None if ids is None else ids[i]
            failures.append(_unreadable(table, name, i, id_, source[i], str(target)))
        df = df.with_columns(cast.alias(name))
    return df, failures, unreadable


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
