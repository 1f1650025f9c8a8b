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
from unodc_metrics._base.failures import (
    LISTED,
    Failure,
    failure_counts,
    failure_frame,
    limit_of,
)
from unodc_metrics._rules import eager_rows
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
from unodc_metrics._validation._records import Contract, Registry, contract_of
from unodc_metrics._validation._runner import Frame, run
from unodc_metrics.schemas import rules_of, schema_for

__all__ = [
    "Contract",
    "Registry",
    "contract_of",
    "eager_failures",
    "validate_eager",
    "validate_lazy",
]


def validate_eager(
    df: Any, table: str, contract: Contract | None = None, max_failures: int = LISTED
) -> Any:
    """Validate a pandas or polars DataFrame; return a coerced copy of the same kind, its
    columns in the schema's order (with a records contract's absent columns completed).

    Raises:
        ValidationError: If the frame does not meet the table's contract; its ``failures``
            name each row by its index label (pandas) or position (polars).
    """
    coerced, failures = eager_failures(df, table, contract, max_failures=max_failures)
    _raise(table, failures)
    return coerced


def eager_failures(
    df: Any, table: str, contract: Contract | None = None, *, max_failures: int = LISTED
) -> tuple[Any, list[Failure]]:
    """A coerced copy of a pandas or polars DataFrame, and its failures: at most
    ``max_failures`` listed per rule (0 lists all), every failing row counted."""
    limit = limit_of(max_failures)
    contract = contract or contract_of(table, "report")
    model = schema_for(table)
    schema = contract.schema
    frame = nw.from_native(df, eager_only=True)
    is_pandas = frame.implementation.is_pandas()
    index_names = tuple(str(n) for n in df.index.names if n is not None) if is_pandas else ()
    failures, missing, absent = column_failures(list(frame.columns), contract, index_names)
    present = [name for name in schema.columns if name not in missing]
    completed = contract.complete(frame, absent, typed=False).select(*present).to_native()
    if is_pandas:
        completed.index = df.index
        coerced, unread, unreadable = coerce_pandas(completed, schema, table, limit)
        column_schema = pandas_column_schema(contract, tuple(present))

        def label(position: int) -> Any:
            return df.index[position]
    else:
        coerced, unread, unreadable = coerce_polars(completed, schema, table, limit)
        column_schema = polars_column_schema(schema, present, lazy=False)

        def label(position: int) -> Any:
            return position

    checked = nw.from_native(coerced, eager_only=True)
    ids = checked.get_column("id") if "id" in checked.columns else None
    failures += _first_reading(unread, absent)
    failures += failures_from_cases(
        *run_pandera(column_schema, coerced, inplace=is_pandas, limit=limit),
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
        limit=limit,
    )
    rules, lookups = contract.rules(rules_of(model))
    failures += run(rows, rule_checks(rules, lookups))
    contract.warn_unknown(checked.lazy(), present)
    return (coerced.set_axis(df.index) if is_pandas else coerced), failures


def _first_reading(unread: list[Failure], absent: list[str]) -> list[Failure]:
    """The values that could not be read, less those of a completed column, which copies a
    column whose own values are reported."""
    return [f for f in unread if f.column not in absent]


def validate_lazy(
    frame: nw.LazyFrame[Any],
    table: str,
    contract: Contract | None = None,
    max_failures: int = LISTED,
) -> nw.LazyFrame[Any]:
    """Validate a narwhals LazyFrame inside its engine (polars, DuckDB, Dask, PySpark), and
    return it with its columns in the schema's order (a records contract's absent columns
    completed).

    Only counts, and at most ``max_failures`` rows per failing check (0: all), come back to
    Python. Engines have no row positions: a failure names its row by id.

    Raises:
        ValidationError: If the frame does not meet the table's contract.
    """
    limit = limit_of(max_failures)
    contract = contract or contract_of(table, "report")
    model = schema_for(table)
    schema = contract.schema
    names = frame.collect_schema().names()
    failures, missing, absent = column_failures(names, contract)
    wrong_dtypes, wrong = dtype_failures(frame, schema, table)
    failures += wrong_dtypes
    unusable = missing | wrong
    present = [name for name in schema.columns if name not in missing]
    completed: nw.LazyFrame[Any] = contract.complete(frame, absent, typed=True).select(*present)
    usable = [name for name in present if name not in unusable]
    checks = column_checks(schema, usable)
    rules, lookups = contract.rules(rules_of(model))
    checks += rule_checks(rules, lookups)
    aligned = _aligned(completed, schema, usable)
    failures += run(Frame(aligned, table, False, unusable=unusable, limit=limit), checks)
    _raise(table, failures)
    contract.warn_unknown(completed, present)
    return completed


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
        raise ValidationError(table, failure_frame(failures), failure_counts(failures))
