"""The validation layer: a table's contract, checked on any engine, in the same steps.

1. **Columns**, from the frame's schema alone: present, none extra, in order
   (:mod:`._columns`).
2. **Values read as their dtypes.** pandas and polars frames are coerced, and a value that
   cannot be read is reported and set to missing (:mod:`._coerce`); a lazy engine's columns
   must already be of the right dtype family.
3. **Column checks**: not-null, ranges, allowed values, patterns, lengths, uniqueness. pandera
   runs them on pandas and polars frames (:mod:`._pandera`); on a polars LazyFrame, DuckDB,
   Dask or PySpark, the same checks, read from the same schema, run as narwhals expressions
   (:mod:`._checks`).
4. **Rules across columns and rows**, each written once in :mod:`unodc_metrics._rules`, run
   by :mod:`._runner` on every engine: one counting pass inside the engine, then the rows of
   the rules that fail.

Every failure is collected before :class:`~unodc_metrics.ValidationError` is raised. A rule
that reads a missing or unreadable column is reported as not checked, and a failure that is
only the consequence of a value that could not be read is left out: the value is reported.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.failures import Failure, failure_frame
from unodc_metrics._rules import Lookups, eager_rows
from unodc_metrics._validation._checks import column_checks, rule_checks
from unodc_metrics._validation._coerce import (
    coerce_pandas,
    coerce_polars,
    polars_column_schema,
)
from unodc_metrics._validation._columns import column_failures, dtype_failures
from unodc_metrics._validation._pandera import (
    failures_from_cases,
    pandas_column_schema,
    run_pandera,
)
from unodc_metrics._validation._runner import Frame, run
from unodc_metrics.schemas import pandera_schema, rules_of, schema_for

__all__ = ["eager_failures", "validate_eager", "validate_lazy"]


def validate_eager(df: Any, table: str, lookups: Lookups | None = None) -> Any:
    """Validate a pandas or polars DataFrame; return a coerced copy of the same kind.

    Raises:
        ValidationError: If the frame does not meet the table's schema; its ``failures``
            name each row by its index label (pandas) or position (polars).
    """
    coerced, failures = eager_failures(df, table, lookups)
    _raise(table, failures)
    return coerced


def eager_failures(
    df: Any, table: str, lookups: Lookups | None = None
) -> tuple[Any, list[Failure]]:
    """A coerced copy of a pandas or polars DataFrame, and every failure found in it."""
    model = schema_for(table)
    schema = pandera_schema(table)
    frame = nw.from_native(df, eager_only=True)
    is_pandas = frame.implementation.is_pandas()
    index_names = tuple(str(n) for n in df.index.names if n is not None) if is_pandas else ()
    failures, missing = column_failures(list(frame.columns), schema, table, index_names)
    present = [name for name in schema.columns if name not in missing]
    if is_pandas:
        coerced, unread, unreadable = coerce_pandas(df, schema, table)
        column_schema = pandas_column_schema(table, present)

        def label(position: int) -> Any:
            return df.index[position]
    else:
        coerced, unread, unreadable = coerce_polars(df, schema, table)
        column_schema = polars_column_schema(schema, present, lazy=False)

        def label(position: int) -> Any:
            return position

    checked = nw.from_native(coerced, eager_only=True)
    ids = checked.get_column("id") if "id" in checked.columns else None
    failures += unread
    failures += failures_from_cases(
        run_pandera(column_schema, coerced, inplace=is_pandas),
        table,
        label=label,
        id_at=lambda i: None if ids is None else ids[i],
        unreadable=unreadable,
    )
    rows = Frame(
        eager_rows(coerced),
        table,
        eager=True,
        label=label,
        unusable=missing,
        unreadable=unreadable,
    )
    failures += run(rows, rule_checks(rules_of(model), lookups or Lookups.shipped(table)))
    return (coerced.set_axis(df.index) if is_pandas else coerced), failures


def validate_lazy(frame: nw.LazyFrame[Any], table: str, lookups: Lookups | None = None) -> None:
    """Validate a narwhals LazyFrame inside its engine (polars, DuckDB, Dask, PySpark).

    Only counts, and at most :data:`~unodc_metrics._base.failures.LISTED` rows per failing
    check, come back to Python. Engines have no row positions: a failure names its row by id.

    Raises:
        ValidationError: If the frame does not meet the table's schema.
    """
    model = schema_for(table)
    schema = pandera_schema(table)
    names = frame.collect_schema().names()
    failures, missing = column_failures(names, schema, table)
    wrong_dtypes, wrong = dtype_failures(frame, schema, table)
    failures += wrong_dtypes
    unusable = missing | wrong
    usable = [name for name in schema.columns if name not in unusable]
    checks = column_checks(schema, usable)
    checks += rule_checks(rules_of(model), lookups or Lookups.shipped(table))
    failures += run(Frame(_aligned(frame, schema, usable), table, False, unusable=unusable), checks)
    _raise(table, failures)


def _aligned(frame: nw.LazyFrame[Any], schema: Any, usable: list[str]) -> nw.LazyFrame[Any]:
    """The frame, with its Date columns made Datetime where another date column is Datetime,
    so that dates compare across columns."""
    types = frame.collect_schema()
    dates = [n for n in usable if str(schema.columns[n].dtype).startswith("datetime")]
    datetimes = [types[n] for n in dates if types[n] == nw.Datetime]
    if not datetimes:
        return frame
    casts = [nw.col(n).cast(datetimes[0]) for n in dates if types[n] == nw.Date]
    return frame.with_columns(*casts) if casts else frame


def _raise(table: str, failures: list[Failure]) -> None:
    if failures:
        raise ValidationError(table, failure_frame(failures))
