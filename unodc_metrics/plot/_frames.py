"""What the charts take: pandas or polars frames, read as pandas, and their grouping columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import narwhals as nw

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_pandas", "column_names", "leading"]


def column_names(data: Any) -> set[str]:
    """The names of a frame's columns; none for what has no columns.

    Examples:
        >>> import pandas as pd
        >>> sorted(column_names(pd.DataFrame({"b": [1], "a": [2]}))), column_names([[1, 2]])
        (['a', 'b'], set())
    """
    return {str(c) for c in getattr(data, "columns", ())}


def as_pandas(data: Any) -> pd.DataFrame:
    """A pandas frame as it is, or any eager frame that narwhals reads, as pandas.

    Raises:
        ValueError: If ``data`` is no eager frame (a lazy frame, a list, ...).

    Examples:
        >>> import pandas as pd, polars as pl
        >>> frame = pd.DataFrame({"a": [1]})
        >>> as_pandas(frame) is frame, type(as_pandas(pl.DataFrame({"a": [1]}))).__name__
        (True, 'DataFrame')
        >>> as_pandas(pl.LazyFrame({"a": [1]}))
        Traceback (most recent call last):
        ...
        ValueError: expected a pandas or a polars DataFrame; got LazyFrame
    """
    if nw.dependencies.is_pandas_dataframe(data):
        return data
    try:
        frame = nw.from_native(data, eager_only=True)
    except TypeError as exc:
        raise ValueError(
            f"expected a pandas or a polars DataFrame; got {type(data).__name__}"
        ) from exc
    out: pd.DataFrame = frame.to_pandas()
    return out


def leading(frame: pd.DataFrame, first: str, skip: Sequence[str] = ()) -> list[str]:
    """The grouping columns of an aggregation's output: those before its first own column.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame(columns=["initiative", "period_start", "female", "male"])
        >>> leading(frame, "female"), leading(frame, "female", skip=("period_start",))
        (['initiative', 'period_start'], ['initiative'])
    """
    names = [str(c) for c in frame.columns]
    return [c for c in names[: names.index(first)] if c not in skip]
