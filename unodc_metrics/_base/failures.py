"""The one shape of a validation failure, and the frame that lists them.

Every path that checks data (the schemas on pandas and polars, the lazy engines, the file
reader, the GLOTIP reader) describes each problem as a :class:`Failure` and hands the list to
:func:`failure_frame`, which alone knows the columns of
:attr:`unodc_metrics.ValidationError.failures` and their order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import is_missing

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FAILURE_COLUMNS",
    "LISTED",
    "Failure",
    "failure_counts",
    "failure_frame",
    "limit_of",
    "listed_note",
]

FAILURE_COLUMNS = ("table", "column", "row", "id", "value", "check", "rule", "message")
"""The columns of a failure frame, in order (``line`` follows where a file was read)."""

LISTED = 20
"""The most rows listed per failing rule, by default, on every entry point
(``max_failures``); every failing row is still counted."""


def limit_of(max_failures: int) -> int | None:
    """The most failures to list per rule: ``max_failures``, or None (all) for 0.

    Raises:
        ValueError: If ``max_failures`` is negative.
    """
    if isinstance(max_failures, bool) or not isinstance(max_failures, int) or max_failures < 0:
        raise ValueError(f"max_failures must be 0 (list all) or more, not {max_failures!r}")
    return max_failures or None


def listed_note(count: int, listed: int) -> str:
    """What a listed failure's message adds when not every failing row is listed.

    Examples:
        >>> listed_note(1_000_000, 20), listed_note(3, 3)
        (' (1,000,000 rows fail this rule; the first 20 are listed)', '')
    """
    if count <= listed:
        return ""
    return f" ({count:,} rows fail this rule; the first {listed} are listed)"


@dataclass(frozen=True)
class Failure:
    """One problem found in a frame or a file.

    Attributes:
        table: The table whose contract was applied.
        column: The column, or the comma-joined columns a rule reads; None for the file.
        row: The row: its index label (pandas), its position (polars), or the file's line
            (GLOTIP); None for a whole column or file, and on engines with no row positions.
        id: The row's ``id`` value, where the frame has one.
        value: The offending value, as text (``<missing>``, ``<not checked>``).
        check: The check's name as pandera writes it, or the rule's message.
        rule: The stable id of the rule: what code branches on, never the message.
        message: The rule in plain words.
        across: Whether the rule reads several columns of the row (listed after the
            row's single-column failures).
        line: The line of the file the row starts on, where a file was read.
        failing: How many rows fail this rule in this column, where more fail than are
            listed (``max_failures``); None when every failing row is listed.
    """

    table: str
    column: str | None
    row: Any
    id: Any
    value: str
    check: str
    rule: str
    message: str
    across: bool = False
    line: int | None = None
    failing: int | None = None


def _order(failure: Failure) -> tuple[int, int, float, str, bool, str]:
    """Problems of the whole file first, then row by row (by position, else by id), single
    columns before rules across columns; problems of whole columns last."""
    has_row = not is_missing(failure.row)
    has_id = not is_missing(failure.id)
    if not has_row and not has_id:
        scope = 0 if failure.column is None else 2
        return (scope, 0, 0.0, "", failure.across, str(failure.column or ""))
    numeric = has_row and isinstance(failure.row, Real) and not isinstance(failure.row, bool)
    position = float(failure.row) if numeric else 0.0
    key = "" if numeric or not has_id else str(failure.id)
    return (1, 0 if numeric else 1, position, key, failure.across, str(failure.column or ""))


def failure_frame(failures: Iterable[Failure], *, with_line: bool = False) -> pd.DataFrame:
    """The failures as the frame of :attr:`unodc_metrics.ValidationError.failures`, in order.

    Args:
        failures: The failures, in the order they were found.
        with_line: Add the column ``line``, for failures found in a file; ``row`` and
            ``line`` are then nullable integers and the text columns are strings.

    Returns:
        One row per failure, with the columns of :data:`FAILURE_COLUMNS`.
    """
    import pandas as pd

    ordered = sorted(failures, key=_order)
    columns = [*FAILURE_COLUMNS, *(("line",) if with_line else ())]
    data = {name: [getattr(f, name) for f in ordered] for name in columns}
    data["id"] = [pd.NA if is_missing(v) else v for v in data["id"]]
    frame = pd.DataFrame(data, columns=columns)
    # A row is a label of any kind (an index label, a position, a line): missing is NA.
    rows = [pd.NA if is_missing(v) else v for v in data["row"]]
    frame["row"] = pd.Series(rows, index=frame.index, dtype=object)
    if with_line:
        frame["row"] = frame["row"].astype("Int64")
        frame["line"] = pd.array(
            [pd.NA if is_missing(v) else v for v in data["line"]], dtype="Int64"
        )
        for name in ("table", "column", "id", "value", "check", "rule", "message"):
            frame[name] = frame[name].astype("string")
    return frame


def failure_counts(failures: Iterable[Failure]) -> pd.DataFrame:
    """How many problems each rule found in each column: the rows listed, or, where more
    fail than are listed, how many fail. The frame of
    :attr:`unodc_metrics.ValidationError.counts`: ``rule``, ``column``, ``failing``,
    ``listed``, in the order of the rules' ids."""
    import pandas as pd

    found: dict[tuple[str, str], list[int]] = {}
    for f in failures:
        key = (f.rule, "" if f.column is None else str(f.column))
        entry = found.setdefault(key, [0, 0])
        entry[1] += 1
        entry[0] = max(entry[0], f.failing or 0, entry[1])
    rows = [(rule, column or None, n, listed) for (rule, column), (n, listed) in found.items()]
    frame = pd.DataFrame(rows, columns=["rule", "column", "failing", "listed"])
    return frame.sort_values(["rule", "column"], na_position="first", ignore_index=True)
