"""The first step on every engine: the columns, read from the frame's schema alone.

Every required column of the contract must be present (``column_in_dataframe``), and there
is no other column (``column_in_schema``: the schemas are strict). Each is named once. The
order of the columns does not matter: the names do. An optional column of the records
contract that is absent is completed with its default, unless a column that is present needs
it (:data:`unodc_metrics.schemas.records.TOGETHER`). On a lazy engine, whose values are not
coerced, each column's dtype must also be of the right family: integer columns integer (any
width), text columns string, dates Date or Datetime (any unit or time zone), flags boolean,
shares float or integer. A column that is missing, or of the wrong family, is *unusable*:
the checks that read it are not run, and each rule that reads it is reported as not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import narwhals as nw

from unodc_metrics._base.failures import Failure
from unodc_metrics._validation._messages import human
from unodc_metrics.schemas.records import TOGETHER

if TYPE_CHECKING:
    import pandera.pandas as pa

    from unodc_metrics._validation._records import Contract

__all__ = ["column_failures", "dtype_failures"]


def _failure(table: str, column: str, value: str, check: str, message: str = "") -> Failure:
    return Failure(
        table=table,
        column=column,
        row=None,
        id=None,
        value=value,
        check=check,
        rule=check.split("(", 1)[0],
        message=message or human(check),
    )


def column_failures(
    names: list[str], contract: Contract, index_names: tuple[str, ...] = ()
) -> tuple[list[Failure], set[str], list[str]]:
    """The failures of the columns' presence, the missing columns, and the absent optional
    columns to complete with their defaults.

    Args:
        names: The frame's columns.
        contract: The table's contract.
        index_names: The names of a pandas frame's index, to hint that a missing column is
            there.
    """
    schema, table = contract.schema, contract.table
    failures, missing, completed = [], set(), []
    for name, column in schema.columns.items():
        if name in names:
            continue
        needs = [c for c, wanted in TOGETHER.items() if c in names and name in wanted]
        if not column.required and not (contract.name == "records" and needs):
            completed.append(name)
            continue
        message = human("column_in_dataframe")
        if not column.required:
            message += f" ({needs[0]} is given, and needs {name})"
        if name in index_names:
            message += f" ({name!r} is the frame's index: call reset_index() first)"
        failures.append(_failure(table, name, "<missing>", "column_in_dataframe", message))
        missing.add(name)
    if schema.strict:
        extra = [name for name in dict.fromkeys(names) if name not in schema.columns]
        failures += [_failure(table, name, "<missing>", "column_in_schema") for name in extra]
    return failures, missing, completed


def dtype_failures(
    frame: nw.LazyFrame[Any], schema: pa.DataFrameSchema, table: str
) -> tuple[list[Failure], set[str]]:
    """The columns of a lazy frame whose dtype is not of their schema dtype's family."""
    types = frame.collect_schema()
    failures, wrong = [], set()
    for name, column in schema.columns.items():
        if name not in types:
            continue
        family, fits = _family(str(column.dtype))
        if not fits(types[name]):
            wrong.add(name)
            article = "an" if family[0] in "aeiou" else "a"
            check = f"dtype('{family}')"
            message = f"must have {article} {family} dtype"
            failures.append(_failure(table, name, str(types[name]), check, message))
    return failures, wrong


def _family(pandas_dtype: str) -> tuple[str, Callable[[Any], bool]]:
    """The dtype family that a schema dtype stands for, and a test of a narwhals dtype."""
    if pandas_dtype.startswith("datetime"):
        return "date or datetime", lambda d: d == nw.Date or d == nw.Datetime
    if pandas_dtype.startswith(("string", "str")):
        return "string", lambda d: d == nw.String
    if pandas_dtype == "bool":
        return "boolean", lambda d: d == nw.Boolean
    if pandas_dtype.startswith("Int"):
        return "integer", lambda d: bool(d.is_integer())
    if pandas_dtype.startswith("Float"):
        return "float or integer", lambda d: bool(d.is_float() or d.is_integer())
    raise NotImplementedError(f"no engine dtype family for the schema dtype {pandas_dtype!r}")
