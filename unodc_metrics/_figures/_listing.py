"""The list of the report's figures, derived from the curated tables (:func:`figures`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unodc_metrics._figures._context import Context, Row, as_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FIGURE_COLUMNS",
    "PERCENT_SUFFIX",
    "SEX_COLUMNS",
    "Figure",
    "contains",
    "derive_figures",
    "figures",
    "percent_columns",
    "within",
]

FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id",
    "paragraph",
    "table",
    "row_id",
    "column",
    "phrase",
    "description",
    "value",
    "qualifier",
    "value_low",
    "value_high",
    "measure",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "period_text",
    "initiative",
    "country",
    "area",
    "flags",
)
"""The columns of :func:`figures`, in order."""

SEX_COLUMNS: dict[str, str] = {
    "female": "female",
    "male": "male",
    "other_sex": "other sex",
    "unknown_sex": "sex not known",
}
"""The columns that split a row's whole by sex, and how a figure of each is described."""

PERCENT_SUFFIX = "_percent"
"""How the name of a share's column ends: ``female_percent`` is the share of ``female``."""

_NUMBER_COLUMNS = ("paragraph", "value", "value_low", "value_high")
_DATE_COLUMNS = ("period_start", "period_end")


@dataclass(frozen=True)
class Figure:
    """One quantitative statement of the report: a number held in one cell of a row."""

    figure_id: str
    table: str
    row: Row
    column: str
    description: str
    value: int | float
    qualifier: str
    value_low: int | float
    value_high: int | float | None
    unit: str

    def record(self) -> Row:
        """The figure as a row of :func:`figures`."""
        row = self.row
        own = {
            "figure_id": self.figure_id,
            "paragraph": row["paragraph"],
            "table": self.table,
            "row_id": row["id"],
            "column": self.column,
            "phrase": row["phrase"],
            "description": self.description,
            "value": self.value,
            "qualifier": self.qualifier,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "measure": row["measure"],
            "unit": self.unit,
        }
        return own | {c: row.get(c) for c in FIGURE_COLUMNS if c not in own}


def within(low: float, high: float | None, bound_low: float, bound_high: float | None) -> bool:
    """Whether the interval [low, high] meets [bound_low, bound_high] (None: unbounded).

    Examples:
        >>> within(36, 36, 37, None), within(40, None, 0, 39), within(3, 5, 5, 5)
        (False, False, True)
    """
    if bound_high is not None and low > bound_high:
        return False
    return high is None or high >= bound_low


def contains(
    low: float | None, high: float | None, bound_low: float, bound_high: float | None
) -> bool:
    """Whether [low, high] is bounded and lies wholly in [bound_low, bound_high] (None: open).

    :func:`within` asks whether a computation leaves room for a figure; this asks whether it
    gives the figure: every number it allows is one that the figure's qualifier allows.

    Examples:
        >>> contains(36, 36, 36, None), contains(177, 179, 178, 178), contains(5, None, 0, None)
        (True, False, False)
    """
    if low is None or high is None or low < bound_low:
        return False
    return bound_high is None or high <= bound_high


def _stated_sex_columns(row: Row) -> list[str]:
    """The sex columns whose count the report states (a count derived from a share is not)."""
    stated = []
    for column in SEX_COLUMNS:
        if row.get(column) is None:
            continue
        if column == "female" and row.get("sex_split_derived"):
            continue
        stated.append(column)
    return stated


def percent_columns(row: Row) -> list[str]:
    """The columns of a row that hold a share it states (``female_percent``)."""
    return [c for c in row if c.endswith(PERCENT_SUFFIX) and row[c] is not None]


def _exact(table: str, row: Row, column: str, description: str, value: float, unit: str) -> Figure:
    """A figure of one cell that states a number exactly: a count by sex, or a share."""
    return Figure(
        figure_id=f"{row['id']}.{column}",
        table=table,
        row=row,
        column=column,
        description=description,
        value=value,
        qualifier="exact",
        value_low=value,
        value_high=value,
        unit=unit,
    )


def _row_figures(table: str, row: Row, unit: str) -> Iterator[Figure]:
    """The figures of one row: its value, its stated counts by sex, and its shares."""
    yield Figure(
        figure_id=row["id"],
        table=table,
        row=row,
        column="value",
        description=row["description"],
        value=row["value"],
        qualifier=row["qualifier"],
        value_low=row["value_low"],
        value_high=row["value_high"],
        unit=unit,
    )
    stated = _stated_sex_columns(row)
    for column in stated:
        count = row[column]
        # "25 female law enforcement officers": a lone count equal to its whole restates
        # the whole rather than splitting it, so it is not a figure of its own.
        if len(stated) == 1 and count == row["value"]:
            continue
        description = f"{row['description']}: {SEX_COLUMNS[column]}"
        yield _exact(table, row, column, description, count, unit)
    for column in percent_columns(row):
        share = as_number(row[column])
        assert share is not None
        of = column.removesuffix(PERCENT_SUFFIX)
        description = f"{row['description']}: share {SEX_COLUMNS.get(of, of)}"
        yield _exact(table, row, column, description, share, "percent")


def derive_figures(ctx: Context) -> list[Figure]:
    """Every figure that the tables of ``ctx`` hold, in the report's order."""
    units = ctx.units()
    out = [
        figure
        for table, row in ctx.figure_rows()
        for figure in _row_figures(table, row, units.get((table, row["measure"]), ""))
    ]
    # In the report's order: by paragraph, then table and row order.
    return sorted(out, key=lambda f: int(f.row["paragraph"]))


def figures(tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """List every quantitative statement of the report, one row each.

    The list is derived from the curated tables, never kept by hand: one figure per row of
    each table of :data:`unodc_metrics.FIGURE_TABLES` (its ``value``), plus, where the report
    splits a whole by sex, one figure per stated count (``TRN-05a.female``) and one per stated
    percentage (``TRN-68a.female_percent``, in ``percent``). A count derived from a percentage
    is not a figure of the report; nor is a lone count by sex equal to its whole ("25 female
    officers" states the whole).

    Args:
        tables: Frames to use instead of the shipped tables, by table name; the others are
            loaded with :func:`unodc_metrics.load`. Frames are used as given, not validated.

    Returns:
        One row per figure, in the report's order, with the columns of
        :data:`FIGURE_COLUMNS`: ``figure_id`` (stable and readable: the row's id, with
        ``.column`` for a count or share within the row), ``paragraph``, ``table``,
        ``row_id`` and ``column`` (where the number is held), ``phrase`` (verbatim),
        ``description``, ``value`` (the number as stated; a percentage stays a percentage),
        ``qualifier`` (``exact``, ``at_least``, ``more_than``, ``over`` or
        ``approximately``), ``value_low`` and ``value_high`` (the bounds it allows; missing
        when unbounded), ``measure`` and ``unit``, the period (``period_kind``,
        ``period_start``, ``period_end``, ``period_text``), ``initiative``, ``country``,
        ``area``, and the row's ``flags``.

    Raises:
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> from unodc_metrics import figures
        >>> figs = figures().set_index("figure_id")
        >>> trn = figs.loc["TRN-05a"]
        >>> int(trn["paragraph"]), float(trn["value"]), trn["qualifier"], trn["unit"]
        (5, 2776.0, 'exact', 'persons')
        >>> share = figs.loc["TRN-68a.female_percent"]
        >>> float(share["value"]), share["unit"], share["row_id"], share["column"]
        (24.0, 'percent', 'TRN-68a', 'female_percent')
        >>> figs.loc["CTY-05a", "phrase"]
        'provided at least 49 countries with targeted technical cooperation activities'
    """
    import pandas as pd

    records = [f.record() for f in derive_figures(Context(tables))]
    df = pd.DataFrame(records, columns=list(FIGURE_COLUMNS))
    df["paragraph"] = df["paragraph"].astype("Int64")
    for column in _NUMBER_COLUMNS[1:]:
        df[column] = pd.to_numeric(df[column]).astype("Float64")
    for column in _DATE_COLUMNS:
        df[column] = pd.to_datetime(df[column])
    for column in FIGURE_COLUMNS:
        if column not in _NUMBER_COLUMNS + _DATE_COLUMNS:
            df[column] = df[column].astype("string")
    return df
