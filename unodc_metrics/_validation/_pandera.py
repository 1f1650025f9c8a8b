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
from unodc_metrics._base.failures import Failure, listed_note
from unodc_metrics._base.values import as_text, is_missing
from unodc_metrics._validation._messages import human, rule_id
from unodc_metrics._validation._records import Contract, contract_of

__all__ = ["failures_from_cases", "pandas_column_schema", "run_pandera"]

_RAISED = re.compile(r"^[A-Za-z]+(Error|Exception)\(")


def pandas_column_schema(contract: Contract, present: Collection[str]) -> Any:
    """The contract's column-level part, for the present columns: no rule across columns, no
    coercion and no test of dtypes (the frame is coerced first, so every column has its
    dtype), no test of column presence or order (the column step reports those)."""
    return _pandas_column_schema(contract.table, contract.name, tuple(sorted(present)))


@cache
def _pandas_column_schema(table: str, contract: str, present: tuple[str, ...]) -> Any:
    import pandera.pandas as pa

    schema = contract_of(table, contract).schema
    columns = {}
    for name, col in schema.columns.items():
        if name in present:
            columns[name] = copy.deepcopy(col)
            columns[name].dtype = None
    unique = schema.unique if schema.unique and set(schema.unique) <= set(present) else None
    return pa.DataFrameSchema(columns, unique=unique, coerce=False, name=schema.name)


def run_pandera(
    column_schema: Any, native: Any, *, inplace: bool, limit: int | None
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """pandera's failure cases of a frame, as records with ``index``, ``column``, ``check``
    and ``failure_case``, at most ``limit`` per column and check (all when None), and how
    many each column and check has; none when the frame passes. ``inplace``: the frame is a
    copy that pandera may change (a pandas frame; pandera cannot change a polars one)."""
    import pandera.errors

    try:
        with quiet():  # pandera tries pyspark.pandas as it first registers its backends
            column_schema.validate(native, lazy=True, inplace=inplace)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases.to_pandas() if hasattr(cases, "to_pandas") else cases
        groups = cases.groupby(["column", "check"], sort=False, dropna=False)
        counts = {(str(c), str(k)): int(n) for (c, k), n in groups.size().items()}
        listed = cases if limit is None else groups.head(limit)
        return list(listed.to_dict("records")), counts
    return [], {}


def failures_from_cases(
    cases: list[dict[str, Any]],
    counts: Mapping[tuple[str, str], int],
    table: str,
    *,
    label: Callable[[int], Any],
    id_at: Callable[[int], Any],
    unreadable: Mapping[str, Collection[int]],
) -> list[Failure]:
    """pandera's failure cases as failures; ``index`` is the row's position, and ``counts``
    how many cases each column and check has (more than are listed, when bounded).

    A value that could not be read (and so was set to missing) is not reported again as
    missing. A column check that raised, because the column holds values of another type,
    is reported once, as not checked.
    """
    listed: dict[tuple[str, str], int] = {}
    for case in cases:
        key = (str(case["column"]), str(case["check"]))
        listed[key] = listed.get(key, 0) + 1
    out: list[Failure] = []
    for case in cases:
        check, column = str(case["check"]), str(case["column"])
        position = None if is_missing(case["index"]) else int(case["index"])
        if check == "not_nullable" and position in unreadable.get(column, ()):
            continue
        value: Any = case["failure_case"]
        count = counts.get((column, check), 0)
        message = human(check) + listed_note(count, listed[column, check])
        failing = count if count > listed[column, check] else None
        if position is None and isinstance(value, str) and _RAISED.match(value):
            value = "<not checked>"
            message = (
                f"the rule '{human(check)}' could not be checked because the column has "
                "values of the wrong type; fix those first"
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
                failing=failing,
            )
        )
    return out
