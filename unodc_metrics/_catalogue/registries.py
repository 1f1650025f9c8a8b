"""The registries that the figure tables refer to, read straight from their shipped files.

The rules that check codes against a registry (an initiative, a measure) and the sums that
ask whether a measure adds up need only a few columns of the registries, so they read them
here with the ``csv`` module: no pandas, no validation, and no dependency on the loader. The
files themselves are validated by :func:`unodc_metrics.load` and by the test suite.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from unodc_metrics._catalogue.tables import open_data

__all__ = ["Measure", "initiative_codes", "measures"]


@dataclass(frozen=True)
class Measure:
    """One measure of the ``measures`` registry: what a figure counts, and whether it adds up."""

    table: str
    measure: str
    unit: str
    additive: bool
    description: str


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open_data(f"{name}.csv") as fh:
        return tuple(csv.DictReader(fh))


@cache
def initiative_codes() -> frozenset[str]:
    """The codes of the ``initiatives`` registry."""
    return frozenset(row["code"] for row in _rows("initiatives"))


@cache
def measures(table: str) -> dict[str, Measure]:
    """The measures that the ``measures`` registry lists for one table, by name."""
    return {
        row["measure"]: Measure(
            table=row["table"],
            measure=row["measure"],
            unit=row["unit"],
            additive=row["additive"] == "true",
            description=row["description"],
        )
        for row in _rows("measures")
        if row["table"] == table
    }
