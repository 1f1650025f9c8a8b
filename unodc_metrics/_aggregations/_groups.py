"""Sums per group, in the frame's engine, and the rows left out of them, by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from unodc_metrics._aggregations._common import COUNTED, REASONS, WHY, int_or_none, key_of
from unodc_metrics._base.engines import collect

__all__ = ["EXCLUDED_LISTED", "SIZE", "check_size", "excluded_summary", "group_sums", "listed_rows"]

SIZE = "__size"
"""A float sum of each row's largest number: where it nears 2**63, an int64 sum would wrap."""

_LIMIT = 2.0**63 - 2.0**12  # floats near 2**63 are 2,048 apart: keep clear of the rounding

EXCLUDED_LISTED = 20
"""The ``excluded`` text of a group names at most this many rows; ``return_excluded`` all."""


def group_sums(
    frame: nw.LazyFrame[Any],
    group: Sequence[str],
    sums: Mapping[str, str | nw.Expr],
    *,
    counts: Mapping[str, str] | None = None,
    mins: Mapping[str, str] | None = None,
    maxs: Mapping[str, str] | None = None,
    limit: int | None,
) -> tuple[list[dict[str, Any]], dict[tuple[Any, ...], list[dict[str, Any]]]]:
    """Sum the counted rows per group, and list the rows left out, in the frame's engine.

    The rows whose ``__why`` is ``COUNTED`` are summed; the others are counted and listed.
    Only the sums (one row per group) and the listed rows (at most ``limit`` per group, all
    with None) leave the engine.

    Args:
        frame: The rows, with ``__why`` and the ``group`` columns.
        group: The grouping columns (none: one group of everything).
        sums: Output name to a column summed as it is, or to a per-row expression.
        counts: Output name to a column whose present values are counted.
        mins: Output name to a column whose smallest value is taken.
        maxs: Output name to a column whose largest value is taken.
        limit: List at most this many rows left out per group (the lowest ids); None: all.

    Returns:
        One dict per group that has rows, counted or left out: its ``group`` values (None for
        missing), ``__rows`` and ``__excluded`` (how many rows were counted and left out), the
        sums and counts as ints (0 for a group with no row counted), ``__unbounded`` (rows
        counted without ``value_high``, where ``counts`` has ``__bounded``), and the mins and
        maxs; then, by group key, the rows left out as dicts with ``id`` and ``reason``.
    """
    counts, mins, maxs = dict(counts or {}), dict(mins or {}), dict(maxs or {})
    sums = _summed_once(sums)
    computed = {name: expr for name, expr in sums.items() if not isinstance(expr, str)}
    if computed:
        frame = frame.with_columns(**computed)
    read = [e if isinstance(e, str) else n for n, e in sums.items()]
    read += [*counts.values(), *mins.values(), *maxs.values()]
    aggs = [
        nw.len().alias("__rows"),
        *(nw.col(e if isinstance(e, str) else n).sum().alias(n) for n, e in sums.items()),
        *(nw.col(c).count().alias(n) for n, c in counts.items()),
        *(nw.col(c).min().alias(n) for n, c in mins.items()),
        *(nw.col(c).max().alias(n) for n, c in maxs.items()),
    ]
    # One pass over the rows, grouped by why each row is or is not counted as well: no copy
    # of the counted rows is made. The sums of the rows left out are not used.
    totals = (
        frame.select(*dict.fromkeys([*group, WHY, *read]))
        .group_by(*group, WHY, drop_null_keys=False)
        .agg(*aggs)
    )
    ints = ["__rows", *sums, *counts]
    records = _records(collect(totals).rows(named=True), group, ints, [*mins, *maxs])
    if "__bounded" in counts:
        for out in records:
            out["__unbounded"] = out["__rows"] - out["__bounded"]
    check_size(records, group)
    return records, _excluded_rows(frame, group, limit)


def _summed_once(sums: Mapping[str, str | nw.Expr]) -> dict[str, str | nw.Expr]:
    """``sums`` with a column that several outputs sum summed once as itself and then as
    copies: Dask refuses two sums of one column in one aggregation."""
    seen = {name for name, source in sums.items() if isinstance(source, str) and source == name}
    out: dict[str, str | nw.Expr] = {}
    for name, source in sums.items():
        if isinstance(source, str) and source != name and source in seen:
            source = nw.col(source)  # summed under its own name too: sum a copy
        elif isinstance(source, str):
            seen.add(source)
        out[name] = source
    return out


def _records(
    rows: Sequence[Mapping[str, Any]],
    group: Sequence[str],
    ints: Sequence[str],
    extremes: Sequence[str],
) -> list[dict[str, Any]]:
    """One record per group, from the engine's rows of (group, why) sums."""
    records: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rec in rows:
        key = key_of(rec, group)
        out = records.setdefault(key, {**dict(zip(group, key, strict=True)), "__rows": 0})
        out.setdefault("__excluded", 0)
        if int(rec[WHY]) == COUNTED:
            # Engines sum nothing to null: no value is 0 here.
            out.update({name: int_or_none(rec[name]) or 0 for name in ints})
            out.update({name: rec[name] for name in extremes})
        else:
            out["__excluded"] += int(rec["__rows"])
    if not group and not records:
        records[()] = {"__rows": 0, "__excluded": 0}  # one row over everything, even of nothing
    for out in records.values():
        for name in ints:
            out.setdefault(name, 0)
        for name in extremes:
            out.setdefault(name, None)
    return list(records.values())


def listed_rows(
    frame: nw.LazyFrame[Any],
    where: nw.Expr,
    group: Sequence[str],
    columns: Sequence[str],
    limit: int | None,
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The rows where ``where`` holds, by group key, each as a dict of ``id`` and ``columns``.

    With ``limit``, only the ``limit`` lowest ids of each group. They come in id order, on
    every engine.
    """
    rows = frame.filter(where).select(*dict.fromkeys([*group, "id", *columns]))
    impl = frame.implementation
    if limit is not None and not impl.is_dask():  # Dask has no ordered windows
        rank = nw.col("id").cum_count()
        rank = rank.over(*group, order_by="id") if group else rank.over(order_by="id")
        rows = rows.filter(rank <= limit)
    got = collect(rows)
    if limit is not None and impl.is_dask():
        got = got.sort("id")
        rank = nw.col("id").cum_count()
        got = got.filter((rank.over(*group) if group else rank) <= limit)
    got = got.sort("id")  # a join may reorder rows (polars' does): ids give one order
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for rec in got.rows(named=True):
        found.setdefault(key_of(rec, group), []).append(rec)
    return found


def _excluded_rows(
    frame: nw.LazyFrame[Any], group: Sequence[str], limit: int | None
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The rows left out, by group key: each with its id and the reason, in words."""
    found = listed_rows(frame, nw.col(WHY) != COUNTED, group, ["part_of", WHY], limit)
    return {
        key: [{"id": rec["id"], "reason": REASONS[int(rec[WHY])].format(**rec)} for rec in recs]
        for key, recs in found.items()
    }


def excluded_summary(rec: Mapping[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
    """``rows``, ``rows_excluded`` and ``excluded`` (the rows left out, in words)."""
    text = "; ".join(f"{item['id']} ({item['reason']})" for item in listed[:EXCLUDED_LISTED])
    more = int(rec["__excluded"]) - min(len(listed), EXCLUDED_LISTED)
    if more > 0:
        text += f"; and {more:,} more (return_excluded=True lists every one)"
    return {
        "rows": int(rec["__rows"]),
        "rows_excluded": int(rec["__excluded"]),
        "excluded": text or None,
    }


def check_size(records: Sequence[Mapping[str, Any]], group: Sequence[str]) -> None:
    """Refuse a group whose sums would not fit in a 64-bit integer, naming it.

    Every engine sums int64 its own way: pandas and polars wrap around, DuckDB widens. The
    float sum ``__size`` of each row's largest number bounds every sum of the group, so a
    group whose ``__size`` nears 2**63 is refused before any sum is read.
    """
    for rec in records:
        size = rec.get(SIZE)
        if size is not None and float(size) >= _LIMIT:
            name = (
                ", ".join(f"{k}={rec[k]!r}" for k in group if not k.startswith("__")) or "all rows"
            )
            raise OverflowError(
                f"the sums of the group {name} would exceed the largest 64-bit integer "
                f"(9,223,372,036,854,775,807; its largest numbers add up to about {size:.3g}): "
                "nothing is summed rather than wrapping around"
            )
