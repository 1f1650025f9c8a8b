"""pandera's own backends, for the column-level checks of pandas and polars frames.

pandera checks each column's dtype, nullability, column checks (ranges, allowed values,
patterns, lengths) and uniqueness, from the one schema definition of the table; the rules
across columns are the runner's. Its failure cases become :class:`Failure` records here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Mapping
from functools import cache
from typing import Any

from unodc_metrics._base.engines import quiet
from unodc_metrics._base.failures import LISTED, Failure
from unodc_metrics._base.values import as_text, is_missing
from unodc_metrics._validation._messages import human, rule_id
from unodc_metrics.schemas import pandera_schema

__all__ = ["failures_from_cases", "pandas_column_schema", "run_pandera"]

_RAISED = re.compile(r"^[A-Za-z]+(Error|Exception)\(")


def pandas_column_schema(table: str, present: Collection[str]) -> Any:
    """The schema's column-level part, for the present columns: no rule across columns, no
    coercion and no test of dtypes (the frame is coerced first, so every column has its
    dtype), no test of column presence or order (the column step reports those)."""
    return _pandas_column_schema(table, tuple(sorted(present)))


@cache
def _pandas_column_schema(table: str, present: tuple[str, ...]) -> Any:
    import pandera.pandas as pa

    schema = pandera_schema(table)
    columns = {}
    for name, col in schema.columns.items():
        if name in present:
            columns[name] = copy.deepcopy(col)
            columns[name].dtype = None
    unique = schema.unique if schema.unique and set(schema.unique) <= set(present) else None
    return pa.DataFrameSchema(columns, unique=unique, coerce=False, name=schema.name)


def run_pandera(column_schema: Any, native: Any, *, inplace: bool) -> list[dict[str, Any]]:
    """pandera's failure cases of a frame, as records with ``index``, ``column``, ``check``
    and ``failure_case``; none when the frame passes. ``inplace``: the frame is a copy that
    pandera may change (a pandas frame; pandera cannot change a polars one)."""
    import pandera.errors

    try:
        with quiet():  # pandera tries pyspark.pandas as it first registers its backends
            column_schema.validate(native, lazy=True, inplace=inplace)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases.to_pandas() if hasattr(cases, "to_pandas") else cases
        return list(cases.to_dict("records"))
    return []


def failures_from_cases(
    cases: list[dict[str, Any]],
    table: str,
    *,
    label: Callable[[int], Any],
    id_at: Callable[[int], Any],
    unreadable: Mapping[str, Collection[int]],
) -> list[Failure]:
    """pandera's failure cases as failures; ``index`` is the row's position.

    A value that could not be read (and so was set to missing) is not reported again as
    missing. A column check that raised, because the column holds values of another type,
    is reported once, as not checked.
    """
    out: list[Failure] = []
    for case in cases:
        check, column = str(case["check"]), str(case["column"])
        position = None if is_missing(case["index"]) else int(case["index"])
        if check == "not_nullable" and position in unreadable.get(column, ()):
            continue
        value: Any = case["failure_case"]
        message = human(check)
        if position is None and isinstance(value, str) and _RAISED.match(value):
            value = "<not checked>"
            message = (
                f"the rule '{message}' could not be checked because the column has values "
                "of the wrong type; fix those first"
            )
            check = f"{check}, not checked"
        out.append(
            Failure(
                table=table,
                column=column,
                row=None if position is None else label(position),
                id=None if position is None else id_at(position),
                value=value if value == "<not checked>" else as_text(value),
                check=check,
                rule=rule_id(check),
                message=message,
            )
        )
    return out


def listed_cases(cases: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[Any, int]]:
    """For a lazy frame: at most LISTED cases per (column, check), by position, and how
    many cases each (column, check) has."""
    counts: dict[Any, int] = {}
    kept: list[dict[str, Any]] = []
    for case in sorted(cases, key=lambda c: (is_missing(c["index"]), c["index"] or 0)):
        key = (case["column"], case["check"])
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= LISTED:
            kept.append(case)
    return kept, counts
