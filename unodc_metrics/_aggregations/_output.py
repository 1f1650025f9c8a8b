"""The one way an aggregation's output rows become a frame of the caller's kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._base.values import is_missing

__all__ = ["frame_of"]

_PANDAS_DTYPES = {"int": "Int64", "float": "Float64", "bool": "boolean"}
_TYPES = {"int": nw.Int64(), "float": nw.Float64(), "str": nw.String(), "bool": nw.Boolean()}


def frame_of(
    rows: Sequence[Mapping[str, Any]],
    spec: Mapping[str, str],
    like: nw.DataFrame[Any] | nw.LazyFrame[Any],
) -> Any:
    """A new native frame of ``like``'s kind, with the columns ``spec`` names, in its order.

    Each value of ``spec`` is ``int``, ``float``, ``str``, ``bool``, or ``like:col`` for the
    dtype of ``like``'s column ``col``. For a lazy ``like`` the (small) result is built in
    memory with pyarrow, then handed to ``like``'s engine: a polars LazyFrame, a DuckDB
    relation, a Dask or a PySpark DataFrame.
    """
    columns = {name: [None if is_missing(r[name]) else r[name] for r in rows] for name in spec}
    for name, kind in spec.items():  # a float column of ints: floats (Arrow refuses big ints)
        if kind == "float":
            columns[name] = [None if v is None else float(v) for v in columns[name]]
    if isinstance(like, nw.LazyFrame):
        schema = like.collect_schema()
        built = nw.from_dict(columns, schema=_schema(spec, schema), backend="pyarrow")
        session = getattr(like.to_native(), "sparkSession", None)
        return built.lazy(backend=like.implementation, session=session).to_native()
    if like.implementation.is_pandas():
        return _pandas(columns, spec, like.to_native())
    return nw.from_dict(
        columns, schema=_schema(spec, like.schema), backend=like.implementation
    ).to_native()


def _schema(spec: Mapping[str, str], like: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: like[kind.removeprefix("like:")] if kind.startswith("like:") else _TYPES[kind]
        for name, kind in spec.items()
    }


def _pandas(columns: Mapping[str, list[Any]], spec: Mapping[str, str], native: Any) -> Any:
    import pandas as pd

    data: dict[str, Any] = {}
    for name, kind in spec.items():
        if kind.startswith("like:"):
            dtype = native[kind.removeprefix("like:")].dtype
        elif kind == "str":
            # The text dtype that the tables use (the long shape of GLOTIP has no id).
            dtype = native["id"].dtype if "id" in native.columns else pd.StringDtype()
        else:
            dtype = _PANDAS_DTYPES[kind]
        data[name] = pd.array(columns[name], dtype=dtype)
    return pd.DataFrame(data, columns=list(spec))
