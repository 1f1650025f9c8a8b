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

__all__ = ["collect", "quiet", "quietly"]

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


@contextmanager
def quiet() -> Iterator[None]:
    """Silence, for the length of one call, two warnings about other packages that they raise
    on this package's behalf and that say nothing about its results:

    - with pyspark installed (the ``spark`` extra), importing pandera tries to import
      ``pyspark.pandas``, which warns under pandas 3 (nothing here uses it);
    - narwhals announces, whenever it handles a Dask frame, that its Dask support will move
      to ``narwhals-dask``, a package that is not released yet;
    - Dask warns that it concatenates columns of unknown divisions when a row is compared
      with a window over its group (the sums of a whole's parts): the window's rows keep
      their index, and ``tests/test_engines.py`` checks, over several partitions, that the
      numbers are pandas' own.

    Every other warning is left alone, and the filters are restored afterwards: the user's
    own code sees every warning.

    Where Dask is imported, its shuffles run as tasks for the length of the call:
    ``dask.distributed``'s default peer-to-peer shuffle fails on the frames of a window over
    a group (their Arrow conversion meets a column name that is not a string).
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
