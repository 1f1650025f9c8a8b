"""What every aggregation shares: the kinds of frames it takes, how it takes them, and why a
row is left out of a sum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import narwhals as nw

from unodc_metrics._base.engines import collect
from unodc_metrics._base.values import is_missing
from unodc_metrics._catalogue import measures
from unodc_metrics._readers import GLOTIP
from unodc_metrics._validation import contract_of, validate_eager, validate_lazy
from unodc_metrics.schemas import pandera_schema

if TYPE_CHECKING:
    import dask.dataframe as dd
    import duckdb
    import pandas as pd
    import polars as pl
    import pyspark.sql

__all__ = [
    "COUNTED",
    "CUMULATIVE",
    "NESTED",
    "NO_PERIOD",
    "OUTSIDE",
    "REASONS",
    "STOCK",
    "UNKNOWN_CHOICES",
    "WHY",
    "FrameT",
    "GlotipAreas",
    "UnknownSex",
    "by_columns",
    "check_unknown",
    "int_or_none",
    "key_of",
    "needed",
    "order",
    "require_additive",
    "shape_of",
    "validated_glotip",
    "wide_input",
]

FrameT = TypeVar(
    "FrameT",
    "pd.DataFrame",
    "pl.DataFrame",
    "pl.LazyFrame",
    "duckdb.DuckDBPyRelation",
    "dd.DataFrame",
    "pyspark.sql.DataFrame",
)
"""A pandas or polars DataFrame, or a lazy frame of polars, DuckDB, Dask or PySpark: each
function returns the kind it was given."""

UnknownSex = Literal["separate", "known_only", "proportional", "bounds"]
GlotipAreas = Literal["countries", "aggregates"]
"""The ``areas`` option of the sums over GLOTIP's long shape: sum countries and territories,
or area aggregates on their own (never both together)."""
UNKNOWN_CHOICES: tuple[str, ...] = ("separate", "known_only", "proportional", "bounds")
"""The ways :func:`unodc_metrics.gender_breakdown` can treat persons of unknown sex."""

WHY = "__why"
"""The column that says why a row is or is not counted. Internal columns start with two
underscores; the schemas are strict, so input never has any."""

COUNTED, NESTED, CUMULATIVE, STOCK, NO_PERIOD, OUTSIDE = 0, 1, 2, 3, 4, 5
REASONS = {
    NESTED: "part of {part_of}: a part is never added to its whole",
    CUMULATIVE: "a cumulative ('to date') figure is never put in a year",
    STOCK: "a stock ('as at') figure is never put in a year",
    NO_PERIOD: "the start or the end of its period is not known, so no year can hold it",
    OUTSIDE: "its period does not lie wholly within the period asked for (within)",
}
"""Why a row of the wide shape is left out, in words, by the code in ``__why``."""

_ENGINES = "a polars LazyFrame, a DuckDB relation, a Dask DataFrame or a PySpark DataFrame"

_USED = (
    "id",
    "part_of",
    "measure",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "may_overlap",
    "flags",
    "period_kind",
    "period_start",
    "period_end",
)


def check_unknown(unknown: str) -> None:
    """Refuse a way of treating unknown sex that is not one of :data:`UNKNOWN_CHOICES`."""
    if unknown not in UNKNOWN_CHOICES:
        raise ValueError(f"unknown must be one of {', '.join(UNKNOWN_CHOICES)}; got {unknown!r}")


def int_or_none(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def key_of(rec: Mapping[str, Any], group: Sequence[str]) -> tuple[Any, ...]:
    """A group's key, equal across engines for equal values and for missing ones."""
    return tuple(None if is_missing(rec[k]) else rec[k] for k in group)


def order(value: Any) -> tuple[bool, Any]:
    """Sort key of a group value: missing values last."""
    return (True, 0) if is_missing(value) else (False, value)


def contract_name(table: str, columns: Sequence[str]) -> str:
    """The contract a frame is validated against: the report's when it has every column of
    the report's table, else users' records (whose absent optional columns are completed)."""
    return "report" if set(pandera_schema(table).columns) <= set(columns) else "records"


def wide_input(
    df: Any, table: str, validate: bool
) -> tuple[nw.LazyFrame[Any], nw.DataFrame[Any] | nw.LazyFrame[Any]]:
    """The rows to sum, as a narwhals LazyFrame, and the frame whose kind the result takes.

    A pandas or polars DataFrame is validated as :func:`unodc_metrics.validate` does; a lazy
    frame is validated in its engine. Either way the work then runs lazily: on polars as one
    optimised query, on the engines in the engine.
    """
    frame = nw.from_native(df, pass_through=True)
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        contract = contract_of(table, contract_name(table, frame.columns))
    if isinstance(frame, nw.DataFrame) and (
        frame.implementation.is_pandas() or frame.implementation.is_polars()
    ):
        if validate:
            frame = nw.from_native(validate_eager(df, table, contract), eager_only=True)
        return frame.lazy(), frame
    if not isinstance(frame, nw.LazyFrame):
        raise TypeError(
            f"the aggregations take a pandas or polars DataFrame, or {_ENGINES}; "
            f"not {type(df).__name__}"
        )
    if validate:
        frame = validate_lazy(frame, table, contract)
    return frame, frame


def validated_glotip(df: Any, validate: bool = True) -> nw.DataFrame[Any]:
    """The long shape of a GLOTIP download, validated, as an eager narwhals frame.

    The long shape is summed in memory: a lazy frame is refused (``collect()`` it first; the
    2025-04-14 edition has 58,769 rows).
    """
    frame = nw.from_native(df, pass_through=True)
    eager = isinstance(frame, nw.DataFrame) and (
        frame.implementation.is_pandas() or frame.implementation.is_polars()
    )
    if not eager:
        raise TypeError(
            "the long shape of 'glotip' is summed from a pandas or polars DataFrame (collect "
            f"a lazy frame first), not {type(df).__name__}"
        )
    checked = validate_eager(df, GLOTIP) if validate else df
    return nw.from_native(checked, eager_only=True)


def shape_of(df: Any) -> str:
    """The table a frame's columns make it: ``"glotip"`` for GLOTIP's long shape (``sex`` and
    ``indicator``), ``"rescues"`` for victims by sex in nested rows (``sex`` and
    ``breakdown``), ``"trainings"`` for counts by sex in columns (any other frame).

    A frame whose columns fit two of them is ambiguous, and a frame with a ``sex`` column that
    fits none is refused, each with a message that names the shapes
    :func:`unodc_metrics.gender_breakdown` takes.
    """
    frame = nw.from_native(df, pass_through=True)
    if not isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return "trainings"  # refused with the kinds of frames taken, by wide_input
    columns = set(frame.collect_schema().names())
    fits = [
        name
        for name, needs in ((GLOTIP, {"sex", "indicator"}), ("rescues", {"sex", "breakdown"}))
        if needs <= columns
    ]
    if "female" in columns:
        fits.append("trainings")
    if len(fits) > 1:
        raise ValueError(
            f"the frame's columns fit the shapes of {' and '.join(map(repr, fits))}; say which "
            f"with table={' or table='.join(map(repr, fits))}"
        )
    if not fits and "sex" in columns:
        raise ValueError(
            "gender_breakdown takes the trainings table (counts by sex in the columns female, "
            "male, other_sex and unknown_sex), the rescues table (victims by sex as nested "
            "rows, with sex and breakdown columns) or GLOTIP's long shape (a sex and an "
            "indicator column, as read_glotip returns); this frame has a 'sex' column but is "
            "none of them"
        )
    return fits[0] if fits else "trainings"


def by_columns(
    by: str | Sequence[str] | None, frame: nw.DataFrame[Any] | nw.LazyFrame[Any]
) -> list[str]:
    """The ``by`` argument as a list of the frame's columns; an unknown one is refused."""
    if by is None:
        return []
    names = [by] if isinstance(by, str) else list(by)
    columns = frame.collect_schema().names()
    unknown = [n for n in names if not isinstance(n, str) or n not in columns]
    if unknown:
        raise ValueError(
            f"by names columns that the frame does not have: {unknown!r}; "
            f"its columns are: {', '.join(columns)}"
        )
    return list(dict.fromkeys(names))


def needed(
    frame: nw.LazyFrame[Any], keys: Sequence[str], extra: Sequence[str]
) -> nw.LazyFrame[Any]:
    """Only the columns a function reads: every step then works on fewer columns."""
    names = list(dict.fromkeys([*keys, *_USED, *extra]))
    columns = frame.collect_schema().names()
    missing = [name for name in names if name not in columns]
    if missing:
        # Only reached with validate=False: validation reports missing columns itself.
        raise ValueError(
            f"the frame lacks the columns {', '.join(missing)}, which this function reads"
        )
    return frame.select(names)


def require_additive(frame: nw.LazyFrame[Any], table: str) -> None:
    """Refuse to sum a measure that the measures registry marks as not additive."""
    registry = measures(table)
    # A group_by, not unique(): DuckDB runs narwhals' unique() with a window over every row
    # (4 GB at 50M rows, against 0.1 GB for the group_by).
    found = collect(frame.group_by("measure", drop_null_keys=False).agg(nw.len()))
    for measure in sorted(
        str(m) for m in found.get_column("measure").to_list() if not is_missing(m)
    ):
        known = registry.get(measure)
        if known is None or not known.additive:
            description = known.description if known else "not in the measures registry"
            raise ValueError(
                f"measure {measure!r} of table {table!r} is not additive "
                f"({description}): its values cannot be summed over time. Keep only the "
                f'rows of additive measures, e.g. df[df["measure"] != "{measure}"].'
            )
