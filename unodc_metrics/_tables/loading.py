"""Loading, listing and validating the curated tables.

Nothing here runs at import time: the data files are read on first use, validated once,
and cached; every caller gets its own copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, overload

import narwhals as nw

from unodc_metrics._base.failures import LISTED
from unodc_metrics._catalogue import check_name, open_data

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["load", "validate"]


def _read_csv(name: str) -> pd.DataFrame:
    """Read a shipped CSV with the dtypes its schema declares."""
    import pandas as pd

    from unodc_metrics.schemas import pandera_schema

    dtypes: dict[str, Any] = {}
    dates: list[str] = []
    for col, spec in pandera_schema(name).columns.items():
        kind = str(spec.dtype)
        if kind.startswith("datetime"):
            dates.append(col)
            dtypes[col] = "string"
        elif kind == "bool":
            dtypes[col] = "boolean"
        else:
            dtypes[col] = kind
    with open_data(f"{name}.csv") as fh:
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
        >>> from unodc_metrics import load
        >>> trainings = load("trainings")
        >>> row = trainings.set_index("id").loc["TRN-05a"]
        >>> int(row["value"]), int(row["female"]), int(row["male"]), int(row["unknown_sex"])
        (2776, 1138, 715, 919)
        >>> row["phrase"][:40]
        'trained 2,776 criminal justice practitio'
    """
    return _validated(check_name(name)).copy(deep=True)


@overload
def validate(
    df: pd.DataFrame,
    table: str,
    *,
    contract: str = ...,
    registry: Mapping[str, Iterable[str]] | None = ...,
    max_failures: int = ...,
) -> pd.DataFrame: ...
@overload
def validate(
    df: pl.DataFrame,
    table: str,
    *,
    contract: str = ...,
    registry: Mapping[str, Iterable[str]] | None = ...,
    max_failures: int = ...,
) -> pl.DataFrame: ...
def validate(
    df: Any,
    table: str,
    *,
    contract: str = "report",
    registry: Mapping[str, Iterable[str]] | None = None,
    max_failures: int = LISTED,
) -> Any:
    """Validate a frame against a table's schema.

    The frame is not changed. Every failure is collected before anything is raised. A polars
    DataFrame is validated with pandera's polars backend and comes back as polars.

    Args:
        df: A pandas or polars DataFrame in the shape of the table. The order of its
            columns does not matter.
        table: The name of the table whose schema to apply, one of :data:`TABLES`.
        contract: ``report`` (the default): the report's contract, provenance and all.
            ``records``: a figure table's contract for users' own records, which needs no
            provenance (see :mod:`unodc_metrics.schemas.records` and the
            [records contracts](records.md)).
        registry: With ``records``: your own codes for ``initiative`` and ``measure``
            (``{"initiative": ["MYPROG"]}``), checked as the report's registries are.
            Without it, codes that the report's registries do not list are kept and named
            in an :class:`~unodc_metrics.schemas.records.UnknownCodeWarning`.
        max_failures: The most failures listed per rule (the message of the first says how
            many rows fail it); every failing row is counted. 0 lists them all.

    Returns:
        A validated copy, with the schema's dtypes, of the caller's kind, its columns in
        the schema's order; with ``records``, absent optional columns are completed with
        their stated defaults.

    Raises:
        ValidationError: If the frame does not meet the schema. Its ``failures`` attribute
            lists each failure with its column, row, value and rule.
        LookupError: If there is no such table.
        TypeError: If ``df`` is neither a pandas nor a polars DataFrame.
        ValueError: If the contract is unknown, ``records`` is asked of a table that holds
            no figures, or ``max_failures`` is negative.

    Examples:
        >>> from unodc_metrics import ValidationError, load, validate
        >>> arrests = load("arrests")
        >>> arrests.loc[0, "value"] = -17
        >>> try:
        ...     validate(arrests, table="arrests")
        ... except ValidationError as err:
        ...     print(str(err).splitlines()[1])
        ...     print(err.failures[["row", "id", "column", "rule"]].to_string(index=False))
          - row 0 (id ARR-05a), column 'value', value -17: must be at least 0
         row      id                                   column                    rule
           0 ARR-05a                                    value greater_than_or_equal_to
           0 ARR-05a qualifier, value, value_low, value_high bounds_follow_qualifier
    """
    from unodc_metrics._validation import contract_of, validate_eager

    check_name(table)
    chosen = contract_of(table, contract, registry)
    frame = nw.from_native(df, pass_through=True)
    eager = isinstance(frame, nw.DataFrame)
    if not eager or not (frame.implementation.is_pandas() or frame.implementation.is_polars()):
        raise TypeError(f"validate() takes a pandas or polars DataFrame, not {type(df).__name__}")
    return validate_eager(df, table, chosen, max_failures)
