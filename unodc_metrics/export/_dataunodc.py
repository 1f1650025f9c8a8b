"""The figure tables in the 13-column long format of dataUNODC's GLOTIP downloads."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.source import REPORT
from unodc_metrics._base.values import is_missing
from unodc_metrics._catalogue import FIGURE_TABLES, Measure, measures
from unodc_metrics._readers import FILE_COLUMNS
from unodc_metrics.export._columns import chosen_tables, table_rows
from unodc_metrics.export._text import cell_text, csv_text, write_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AGE_LABELS",
    "DATAUNODC_COLUMNS",
    "EXPLOITATION_LABELS",
    "QUALIFIER_WORDS",
    "SEX_LABELS",
    "TRAINING_SEXES",
    "area_name",
    "female_derivation",
    "figure_tables",
    "to_dataunodc",
    "write_dataunodc",
]

# dataUNODC's labels for the schemas' codes (the SDMX export names its codes with them).
SEX_LABELS = {
    "all": "Total",
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "unknown": "Unknown",
}
AGE_LABELS = {
    "all": "Total",
    "child": "0 to 17 years",
    "adult": "18 years or over",
    "unknown": "Unknown",
}
EXPLOITATION_LABELS = {
    "sexual": "Sexual exploitation",
    "labour": "Labour exploitation",
    "other": "Other forms of exploitation",
}
TRAINING_SEXES = {
    "female": "female",
    "male": "male",
    "other_sex": "other",
    "unknown_sex": "unknown",
}
"""The trainings columns that split a total by sex, and the sex code each one counts."""
QUALIFIER_WORDS = {
    "at_least": "at least",
    "more_than": "more than",
    "over": "over",
    "approximately": "approximately",
}
# Measures that are not counts, and the unit dataUNODC's column gets for them.
_TIME_UNITS = {"years": "Years", "decades": "Decades", "months": "Months", "days": "Days"}

_M49: dict[str, tuple[str, str, str]] = {
    "BGD": ("Bangladesh", "Asia", "Southern Asia"),
    "COL": ("Colombia", "Americas", "Latin America and the Caribbean"),
    "MWI": ("Malawi", "Africa", "Sub-Saharan Africa"),
    "PAK": ("Pakistan", "Asia", "Southern Asia"),
    "THA": ("Thailand", "Asia", "South-eastern Asia"),
}
"""dataUNODC's name, UN M49 region and sub-region of each country the figure tables name.

Written as dataUNODC's GLOTIP file writes them; the test suite checks each entry against
that file, and checks that every country of the figure tables has an entry.
"""


DATAUNODC_COLUMNS: tuple[str, ...] = tuple(FILE_COLUMNS)
"""The columns of dataUNODC's GLOTIP downloads, in their order: the GLOTIP reader's."""


def figure_tables(names: Iterable[str] | None, holder: str = "the dataUNODC format") -> list[str]:
    """The figure tables asked for; all of them for ``None`` or none.

    Args:
        names: The names asked for.
        holder: What holds only the figure tables, for the message of the error.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If a name is a table that holds no figures.
    """
    given = [] if names is None else list(names)
    chosen = chosen_tables(given) if given else list(FIGURE_TABLES)
    wrong = [n for n in chosen if n not in FIGURE_TABLES]
    if wrong:
        raise ValueError(
            f"{holder} holds only the figure tables ({', '.join(FIGURE_TABLES)}); "
            f"not {', '.join(wrong)}"
        )
    return chosen


def to_dataunodc(names: Iterable[str] | None = None) -> pd.DataFrame:
    """The figure tables in dataUNODC's long format: the 13 columns of its GLOTIP downloads.

    One row per figure; a training's split by sex adds one row per stated count. The
    columns, in order (see :data:`DATAUNODC_COLUMNS`):

    - ``Iso3_code``: the row's ``country``; empty when it concerns no single country.
    - ``Country``: dataUNODC's name of that country; else the row's ``area``
      ("Ecuador and Peru", "SADC region"); else empty (global or programme-wide figures).
    - ``Region``, ``Subregion``: the country's UN M49 region and sub-region, as dataUNODC
      writes them; empty where there is no country.
    - ``Indicator``: what is counted: the measure's description from the ``measures``
      table, up to its first ';' or ' (' ("Persons trained, coached or mentored"). Victims
      are "Victims of trafficking in persons rescued" or "... identified": they are not
      GLOTIP's "Detected trafficking victims", and are not labelled as such.
    - ``Dimension``, ``Category``: "by form of exploitation" and the form ("Sexual
      exploitation", "Labour exploitation" as the report words it, "Other forms of
      exploitation") for victims counted by form; "Total" and "Total" otherwise.
    - ``Sex``: Total, Female, Male, Other or Unknown. ``Age``: Total, "0 to 17 years",
      "18 years or over" or Unknown (the schemas' child and adult).
    - ``Year``: the year, when the period lies within one calendar year; empty otherwise
      (cumulative "to date" figures, spans across years, unknown periods).
    - ``Unit of measurement``: "Counts", or the unit of a duration ("Years", "Decades").
    - ``txtVALUE``: the number the report writes, as text. A qualifier ("at least 49")
      is not written into it: the number is, and ``Source`` says "the report says at
      least 49".
    - ``Source``: the report, its date and paragraph, and the row's table and id; then,
      where they apply, the qualifier, the derivation of a count, the period when it is not
      a whole calendar year, and the report's inconsistencies that the row is flagged with.

    Args:
        names: Figure tables to include (see :data:`unodc_metrics.FIGURE_TABLES`), in the
            order given; ``None`` or empty means all of them.

    Returns:
        A DataFrame with the 13 columns, text except ``Year`` (nullable integer).

    Raises:
        LookupError: If a name is not a table.
        ValueError: If a name is a table that holds no figures (a registry or reference).

    Examples:
        >>> from unodc_metrics.export import to_dataunodc
        >>> long = to_dataunodc(["trainings"])
        >>> rows = long.loc[long["Source"].str.contains("TRN-05a"), ["Sex", "Year", "txtVALUE"]]
        >>> print(rows.to_string(index=False))
            Sex  Year txtVALUE
          Total  2021     2776
         Female  2021     1138
           Male  2021      715
        Unknown  2021      919
    """
    import pandas as pd

    chosen = figure_tables(names)
    out: list[dict[str, Any]] = []
    for table in chosen:
        columns, rows = table_rows(table)
        for values in rows:
            row = dict(zip([c.name for c in columns], values, strict=True))
            out.extend(_rows(table, row, measures(table)[row["measure"]]))
    header = list(DATAUNODC_COLUMNS)
    frame = pd.DataFrame(out, columns=header)
    for col in header:
        frame[col] = frame[col].astype("Int64" if col == "Year" else "string")
    return frame


def _indicator(description: str) -> str:
    """The measure's description up to its first ';' or ' (', without the final full stop."""
    text = re.split(r";| \(", description, maxsplit=1)[0].strip()
    return text.removesuffix(".")


def area_name(country: str | None, area: str | None) -> str:
    """dataUNODC's name of a country; else the area's name; else empty.

    Examples:
        >>> area_name("COL", None), area_name(None, "SADC region"), area_name(None, None)
        ('Colombia', 'SADC region', '')
    """
    return _place({"country": country, "area": area})[0]


def female_derivation(row: dict[str, Any]) -> str:
    """How a training's female count was derived from the stated share, in words.

    Examples:
        >>> female_derivation({"female_percent": 24.0, "value": 62})
        'female count derived from the stated share of 24 per cent of 62'
    """
    return (
        "female count derived from the stated share of "
        f"{cell_text(row['female_percent'])} per cent of {row['value']}"
    )


def _place(row: dict[str, Any]) -> tuple[str, str, str]:
    """dataUNODC's country name, region and sub-region of a row; else its area."""
    country = row["country"]
    if country is None:
        return row["area"] or "", "", ""
    known = _M49.get(country)
    if known is not None:
        return known
    # Not reached with the shipped data: the tests require an entry per country.
    import pycountry

    entry = pycountry.countries.get(alpha_3=country)
    return (entry.name if entry else country), "", ""


def _source(row: dict[str, Any], table: str, year: int | None, extra: str = "") -> str:
    """The ``Source`` cell: the report, the row, and what the number needs said of it."""
    parts = [
        f"UNODC, report of the Secretariat, {REPORT.date.day} {REPORT.date:%B %Y}, "
        f"paragraph {row['paragraph']} (unodc-metrics {table} {row['id']})"
    ]
    qualifier = row["qualifier"]
    if qualifier != "exact":
        parts.append(f"the report says {QUALIFIER_WORDS[qualifier]} {row['value']}")
    if extra:
        parts.append(extra)
    if row["period_kind"] != "calendar_year":
        start, end = row["period_start"], row["period_end"]
        span = f"{cell_text(start) or 'unknown start'} to {cell_text(end) or 'unknown end'}"
        words = row["period_text"] or row["period_kind"].replace("_", " ")
        within = "period" if year is not None else "period not within one calendar year"
        parts.append(f"{within}: {words} ({span})")
    if row["flags"]:
        parts.append(f"the report is inconsistent here: {row['flags'].replace(',', ', ')}")
    return "; ".join(parts)


def _rows(table: str, row: dict[str, Any], measure: Measure) -> list[dict[str, Any]]:
    """One figure's rows of the long format: its total, then a training's split by sex."""
    name, region, subregion = _place(row)
    if table == "rescues":
        indicator = f"Victims of trafficking in persons {row['status']}"
    else:
        indicator = _indicator(measure.description)
    start, end = row["period_start"], row["period_end"]
    year = start.year if start is not None and end is not None and start.year == end.year else None
    exploitation = row.get("exploitation") or "all"
    base = {
        "Iso3_code": row["country"] or "",
        "Country": name,
        "Region": region,
        "Subregion": subregion,
        "Indicator": indicator,
        "Dimension": "Total" if exploitation == "all" else "by form of exploitation",
        "Category": EXPLOITATION_LABELS.get(exploitation, "Total"),
        "Sex": SEX_LABELS[row.get("sex") or "all"],
        "Age": AGE_LABELS[row.get("age") or "all"],
        "Year": year,
        "Unit of measurement": _TIME_UNITS.get(measure.unit, "Counts"),
        "txtVALUE": str(row["value"]),
        "Source": _source(row, table, year),
    }
    out = [base]
    if table == "trainings":
        for column, sex in TRAINING_SEXES.items():
            count = row[column]
            if count is None:
                continue
            derived = column == "female" and row["sex_split_derived"]
            source = _source(row, table, year, female_derivation(row) if derived else "")
            out.append({**base, "Sex": SEX_LABELS[sex], "txtVALUE": str(count), "Source": source})
    return out


def write_dataunodc(path: str | os.PathLike[str], names: Iterable[str] | None = None) -> Path:
    """Write :func:`to_dataunodc` as a UTF-8 CSV file with the 13 columns.

    Args:
        path: The file to write; it is replaced if it exists.
        names: Figure tables to include; ``None`` or empty means all of them.

    Returns:
        The path written.

    Raises:
        LookupError: If a name is not a table.
        ValueError: If a name is a table that holds no figures.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from unodc_metrics.export import write_dataunodc
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = write_dataunodc(Path(tmp) / "dataunodc.csv", ["arrests"])
        ...     header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
        >>> header[:4], header[-2:]
        (['Iso3_code', 'Country', 'Region', 'Subregion'], ['txtVALUE', 'Source'])
    """
    frame = to_dataunodc(names)
    header = DATAUNODC_COLUMNS
    rows = (
        [
            None if is_missing(v) else (int(v) if c == "Year" else str(v))
            for c, v in zip(header, record, strict=True)
        ]
        for record in frame.itertuples(index=False, name=None)
    )
    return write_text(path, csv_text(header, rows))
