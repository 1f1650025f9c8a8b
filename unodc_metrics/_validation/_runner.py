"""Run checks on any engine: one counting pass per preparation, then the failing rows.

For each group of checks that read the same prepared frame, one query counts the failing
rows of every check, inside the engine. Only the checks that fail are listed, at most
``limit`` rows each (``max_failures``; by default
:data:`~unodc_metrics._base.failures.LISTED`): on an eager frame (pandas, polars) the first
failing rows, by position; on a lazy engine those with the smallest ids, in one query for
all the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from unodc_metrics._base.engines import collect
from unodc_metrics._base.failures import LISTED, Failure, listed_note
from unodc_metrics._base.values import as_text, is_missing
from unodc_metrics._rules import ROW_INDEX, narrowed
from unodc_metrics._validation._checks import Check
from unodc_metrics._validation._messages import NOT_CHECKED

__all__ = ["Frame", "run"]


@dataclass(frozen=True)
class Frame:
    """The frame the checks run on, and what the runner must know about it.

    Attributes:
        lazy: The rows, as a narwhals LazyFrame; an eager frame's carry their position in
            ``__row``.
        table: The table's name, for the failures.
        eager: Whether the rows have positions (pandas, polars): then every failing row is
            listed, with its label.
        label: An eager row's label from its position (pandas' index label).
        unusable: Columns that are missing, or of a dtype that cannot be read: a check that
            reads one is not run.
        unreadable: For each column, the positions of the cells that could not be read and
            were set to missing: a failure of a check that reads such a cell is its
            consequence, and is not listed.
        limit: The most rows listed per failing check; None lists them all.
    """

    lazy: nw.LazyFrame[Any]
    table: str
    eager: bool
    label: Callable[[int], Any] = lambda position: position
    unusable: Collection[str] = ()
    unreadable: Mapping[str, Collection[int]] | None = None
    limit: int | None = LISTED


def run(frame: Frame, checks: Sequence[Check]) -> list[Failure]:
    """Every failure of ``checks`` on ``frame``."""
    out: list[Failure] = []
    runnable: list[Check] = []
    for check in checks:
        if not set(check.reads) & set(frame.unusable):
            runnable.append(check)
        elif check.across:
            out.append(_not_checked(frame.table, check))
    for prepared, members in _prepared(frame, runnable):
        failing = _count(prepared, members)
        if failing:
            out += _listed(frame, prepared, failing)
    return out


def _prepared(frame: Frame, checks: Sequence[Check]) -> list[tuple[nw.LazyFrame[Any], list[Check]]]:
    """The frames the checks read, each with the checks that read it.

    On a lazy engine, one frame with every preparation applied, so that one query counts
    every check (the engine reads only the columns it needs). On an eager frame, and on Dask
    (whose shuffles fail on a join of the whole frame followed by windows), one frame per
    preparation, narrowed to the columns its checks read: a preparation that joins copies
    every column it keeps.
    """
    preparations = {c.preparation.name: c.preparation for c in checks}
    if not frame.eager and not frame.lazy.implementation.is_dask():
        prepared = frame.lazy
        for preparation in preparations.values():
            prepared = preparation.apply(prepared)
        return [(prepared, list(checks))]
    out = []
    for name, preparation in preparations.items():
        members = [c for c in checks if c.preparation.name == name]
        read = ["id", *preparation.reads, *preparation.optional]
        read += [column for check in members for column in (*check.reads, *check.shown)]
        out.append((preparation.apply(narrowed(frame.lazy, read)), members))
    return out


def _not_checked(table: str, check: Check) -> Failure:
    return Failure(
        table=table,
        column=check.column,
        row=None,
        id=None,
        value="<not checked>",
        check=check.check,
        rule=check.rule,
        message=NOT_CHECKED + check.message,
        across=True,
    )


def _count(prepared: nw.LazyFrame[Any], checks: Sequence[Check]) -> list[tuple[Check, int]]:
    """The checks that some row fails, with how many rows fail each; in one query."""
    sums = [c.fails.cast(nw.Int64).sum().alias(f"__check{i}") for i, c in enumerate(checks)]
    counts = collect(prepared.select(*sums)).row(0)
    return [(c, int(n)) for c, n in zip(checks, counts, strict=True) if not is_missing(n) and n]


def _listed(
    frame: Frame, prepared: nw.LazyFrame[Any], failing: Sequence[tuple[Check, int]]
) -> list[Failure]:
    names = set(prepared.collect_schema().names())
    ids = ("id",) if "id" in names else ()
    if frame.eager:
        out: list[Failure] = []
        for check, count in failing:
            wanted = dict.fromkeys([ROW_INDEX, *ids, *check.shown])
            query = prepared.filter(check.fails).select(*wanted)
            query = query if frame.limit is None else query.head(frame.limit)
            out += _failures(frame, check, collect(query).rows(named=True), count)
        return out
    shown = list(dict.fromkeys([*ids, *(c for check, _ in failing for c in check.shown)]))
    order = ids or shown[:1]
    branches = []
    for i, (check, _) in enumerate(failing):
        branch = prepared.filter(check.fails).sort(*order, nulls_last=True)
        branch = branch if frame.limit is None else branch.head(frame.limit)
        branches.append(branch.select(nw.lit(i, dtype=nw.Int64).alias("__check"), *shown))
    found: dict[int, list[dict[str, Any]]] = {}
    for row in collect(nw.concat(branches, how="vertical")).rows(named=True):
        found.setdefault(int(row["__check"]), []).append(row)
    out = []
    for i, (check, count) in enumerate(failing):
        rows = sorted(found.get(i, []), key=lambda r: _by_id(r.get("id")))
        out += _failures(frame, check, rows, count)
    return out


def _by_id(value: Any) -> tuple[bool, str]:
    """Rows by id, missing ids last (each engine orders a union its own way)."""
    return (True, "") if is_missing(value) else (False, str(value))


def _failures(
    frame: Frame, check: Check, rows: Sequence[Mapping[str, Any]], count: int | None
) -> list[Failure]:
    """One failure per listed row; where not every failing row is listed, the message says
    how many fail."""
    message = check.message + ("" if count is None else listed_note(count, len(rows)))
    failing = count if count is not None and count > len(rows) else None
    out = []
    for row in rows:
        position = row.get(ROW_INDEX)
        if position is not None and _consequence(frame, check, int(position)):
            continue
        if len(check.shown) == 1:
            value = as_text(row.get(check.shown[0]))
        else:
            value = ", ".join(f"{c}={as_text(row.get(c))}" for c in check.shown)
        label = None if position is None else _plain(frame.label(int(position)))
        out.append(
            Failure(
                table=frame.table,
                column=check.column,
                row=label,
                id=_plain(row.get("id")),
                value=value,
                check=check.check,
                rule=check.rule,
                message=message,
                across=check.across,
                failing=failing,
            )
        )
    if not rows and count:
        out.append(
            Failure(
                frame.table,
                check.column,
                None,
                None,
                "<not listed>",
                check.check,
                check.rule,
                message,
                check.across,
                failing=count,
            )
        )
    return out


def _consequence(frame: Frame, check: Check, position: int) -> bool:
    """Whether a cell that the check reads at this row could not be read."""
    unreadable = frame.unreadable or {}
    return any(position in unreadable.get(column, ()) for column in check.reads)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds; missing as None."""
    if is_missing(value):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value
