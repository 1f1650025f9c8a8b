"""The one exception that validation raises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from unodc_metrics._base.values import is_missing

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ValidationError"]

_SHOWN = 20


class ValidationError(ValueError):
    """A frame does not meet a table's schema.

    Every failure is collected before this is raised, not just the first.

    Attributes:
        table: The name of the table whose schema was applied.
        failures: One row per failure, with the columns ``table``, ``column``, ``row``
            (the index label of the offending row; missing when the failure concerns the
            whole column, or when a lazy engine, which has no row positions, found it),
            ``id`` (the row's ``id`` value where the frame has one),
            ``value`` (the offending value, as text), ``check`` (the check's name as
            pandera writes it, or the rule's message), ``rule`` (the stable id of the rule,
            such as ``bounds_follow_qualifier`` or ``greater_than_or_equal_to``) and
            ``message`` (the rule in plain words). At most ``max_failures`` rows are listed
            per rule; the message of a rule that fails more rows says how many.
        counts: One row per rule and column: ``failing``, how many rows fail it (all of
            them, listed or not), and ``listed``, how many are in ``failures``.
    """

    def __init__(
        self, table: str, failures: pd.DataFrame, counts: pd.DataFrame | None = None
    ) -> None:
        self.table = table
        self.failures = failures
        self.counts = counts if counts is not None else _listed_counts(failures)
        super().__init__(self._describe())

    def _describe(self) -> str:
        n = len(self.failures)
        total = int(self.counts["failing"].sum()) if len(self.counts) else n
        found = f"{total:,} problem{'s' if total != 1 else ''} found"
        found += f" ({n:,} listed)" if total > n else ""
        lines = [f"table {self.table!r}: {found}"]
        for rec in self.failures.head(_SHOWN).itertuples(index=False):
            if is_missing(rec.row):
                # Engines with no row positions (DuckDB, Dask, PySpark) name the row by id.
                where = "whole column" if is_missing(rec.id) else f"the row with id {rec.id}"
            else:
                where = f"row {rec.row}" + ("" if is_missing(rec.id) else f" (id {rec.id})")
            lines.append(f"  - {where}, column {rec.column!r}, value {rec.value}: {rec.message}")
        if n > _SHOWN:
            lines.append(f"  ... and {n - _SHOWN} more; see the .failures DataFrame")
        return "\n".join(lines)


def _listed_counts(failures: pd.DataFrame) -> pd.DataFrame:
    """The counts of a failure frame whose every failing row is listed."""
    groups = failures.groupby(["rule", "column"], dropna=False, sort=True).size()
    frame = groups.rename("failing").reset_index()
    frame["listed"] = frame["failing"]
    return frame
