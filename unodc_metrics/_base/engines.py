"""How every layer that runs queries runs them: a small result leaves its engine one way,
and the warnings other packages raise on its behalf are silenced around the call only, as
is the one setting of an engine that a call needs (Dask's shuffle)."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, ParamSpec, TypeVar

import narwhals as nw

__all__ = ["attach", "collect", "quiet", "quietly"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

_PYSPARK_PANDAS = "PySpark does not yet fully support pandas"
_NARWHALS_DASK = "Dask support is moving out of Narwhals"
_DASK_DIVISIONS = "Concatenating dataframes with unknown divisions"


def collect(frame: nw.LazyFrame[Any]) -> nw.DataFrame[Any]:
    """Run a query in its engine and bring its (small) result into memory.

    pandas and polars keep their own kind, and Dask computes pandas; the other engines hand
    over Arrow (PySpark's pandas conversion does not support pandas 3).

    Raises:
        OverflowError: If the engine refuses a sum that overflows int64 (PySpark's ANSI mode
            does so before the sums are read, where ``_groups.check_size`` would).
    """
    impl = frame.implementation
    if impl.is_pandas() or impl.is_polars() or impl.is_pyarrow():
        return frame.collect()
    try:
        return frame.collect("pandas" if impl.is_dask() else "pyarrow")
    except Exception as err:
        # PySpark in ANSI mode refuses an int64 sum that overflows: the same error as ours.
        if type(err).__name__ == "ArithmeticException" and "OVERFLOW" in str(err):
            raise OverflowError(
                "a sum would exceed the largest 64-bit integer (9,223,372,036,854,775,807), "
                f"and the engine refused it: {str(err).splitlines()[0]}"
            ) from err
        raise


def attach(
    frame: nw.LazyFrame[Any], counts: nw.LazyFrame[Any], on: str, key: str
) -> nw.LazyFrame[Any]:
    """``frame`` with the integer columns of ``counts``, an aggregate with one row per value
    of ``key``, on each row whose ``on`` is that value, and 0 on the others: a left join.

    On Dask the (small) aggregate is brought into memory and mapped onto ``on`` instead:
    dask-expr rewrites each column of a joined frame on its own, and columns combined later
    (in a horizontal maximum, say) then come from partitions of different lengths. (0, not
    missing, on the other rows: Dask cannot cast a missing literal to a nullable integer.)
    """
    names = [name for name in counts.collect_schema().names() if name != key]
    if not frame.implementation.is_dask():
        joined = frame.join(counts, left_on=on, right_on=key, how="left")
        return joined.with_columns(nw.col(*names).fill_null(0))
    table = collect(counts)
    keys = table[key].to_list()
    return frame.with_columns(
        nw.col(on)
        .replace_strict(keys, table[name].to_list(), default=nw.lit(0), return_dtype=nw.Int64)
        .alias(name)
        for name in names
    )


@contextmanager
def quiet() -> Iterator[None]:
    """Silence, for the length of one call, three warnings about other packages that they raise
    on this package's behalf and that say nothing about its results:

    - with pyspark installed (the ``spark`` extra), importing pandera tries to import
      ``pyspark.pandas``, which warns under pandas 3 (nothing here uses it);
    - narwhals announces, whenever it handles a Dask frame, that its Dask support will move
      to ``narwhals-dask``, a package that is not released yet;
    - Dask warns that it concatenates columns of unknown divisions when narwhals combines
      columns in a horizontal function (the largest of a row's bounds, say): they are
      columns of one frame, and ``tests/test_engines.py`` checks, over several partitions,
      that the numbers are pandas' own.

    Every other warning is left alone, and the filters are restored afterwards: the user's
    own code sees every warning.

    Where Dask is imported, its shuffles run as tasks for the length of the call:
    ``dask.distributed``'s default peer-to-peer shuffle failed on the frames of the windows
    over groups that this package ran before (their Arrow conversion met a column name that
    is not a string).
    """
    with warnings.catch_warnings(), ExitStack() as stack:
        dask = sys.modules.get("dask")
        if dask is not None:
            stack.enter_context(dask.config.set({"dataframe.shuffle.method": "tasks"}))
        warnings.filterwarnings("ignore", _PYSPARK_PANDAS, FutureWarning)
        warnings.filterwarnings("ignore", _NARWHALS_DASK, FutureWarning)
        warnings.filterwarnings("ignore", _DASK_DIVISIONS, UserWarning)
        yield


def quietly(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` within :func:`quiet`: for the functions that take a user's frame of
    any engine (a Dask frame among them)."""

    @functools.wraps(function)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with quiet():
            return function(*args, **kwargs)

    return call
