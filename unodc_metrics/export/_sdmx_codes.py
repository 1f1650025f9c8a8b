"""The pieces of an SDMX data set: its components, their codes, its time periods.

Nothing here imports sdmx1: a :class:`Cube` is plain Python values (the dimensions and
attributes of a data structure, with their codes, and one mapping per observation), which
:mod:`._sdmx_structure` turns into sdmx1's model. :mod:`._sdmx_cube` builds cubes from the
tables. docs/sdmx.md describes the mapping.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.source import REPORT
from unodc_metrics._base.values import is_missing
from unodc_metrics.export._dataunodc import AGE_LABELS, EXPLOITATION_LABELS, SEX_LABELS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AGE_CODES",
    "CONCEPTS",
    "EXPLOITATION_CODES",
    "NOT_APPLICABLE",
    "OBS_STATUS",
    "SDMX_ID",
    "SEX_CODES",
    "STATUSES",
    "TOTAL",
    "Component",
    "Cube",
    "age_codelist",
    "area_key",
    "as_date",
    "as_text",
    "bounds",
    "code_of",
    "codes_for",
    "exploitation_codelist",
    "make_cube",
    "named",
    "place_codelist",
    "place_codes",
    "records",
    "sex_codelist",
    "time_period",
]

SEX_CODES: dict[str, str] = {
    "female": "F",
    "male": "M",
    "other": "_O",
    "unknown": "_U",
    "all": "_T",
    "total": "_T",
}
"""The SDMX code of each sex code of the figure tables (``all``) and GLOTIP (``total``)."""

AGE_CODES: dict[str, str] = {
    "child": "Y0T17",
    "adult": "Y_GE18",
    "unknown": "_U",
    "all": "_T",
    "total": "_T",
}
"""The SDMX code of each age code of the figure tables and GLOTIP."""

STATUSES = {"rescued": "rescued", "identified": "identified"}
"""The VICTIM_STATUS code of each ``status`` of the rescues: the status itself."""

EXPLOITATION_CODES = {"sexual": "SEXUAL", "labour": "LABOUR", "other": "_O", "all": "_T"}
"""The EXPLOITATION code of each ``exploitation`` of the rescues."""

OBS_STATUS: dict[str, str] = {
    "A": "Normal value",
    "E": "Estimated value",
    "Q": "Missing value; suppressed",
}
"""The codes of SDMX's CL_OBS_STATUS that the export uses, with SDMX's names."""

CONCEPTS: dict[str, str] = {
    "MEASURE": "Measure: what is counted (the measures registry's code)",
    "INDICATOR": "Indicator: what is counted",
    "VICTIM_STATUS": "Victims rescued or identified",
    "EXPLOITATION": "Form of exploitation",
    "REF_AREA": "Reference area",
    "BREAKDOWN": "Breakdown (GLOTIP's Dimension)",
    "CATEGORY": "Category of the breakdown",
    "SEX": "Sex",
    "AGE": "Age",
    "RECORD_ID": "Record: the id of the row of the table",
    "SOURCE_LINE": "Line of the source file",
    "TIME_PERIOD": "Time period",
    "OBS_VALUE": "Observation value",
    "OBS_STATUS": "Observation status",
    "QUALIFIER": "How the source qualifies the number",
    "LOWER_BOUND": "Smallest value the statement allows",
    "UPPER_BOUND": "Largest value the statement allows; absent when unbounded",
    "COMMENT_OBS": "Observation comment",
    "PERIOD_KIND": "What the period means",
    "UNIT_MEASURE": "Unit of measure",
    "INITIATIVE": "UNODC initiative behind the figure",
    "REPORT_PARAGRAPH": "Paragraph of the report that states the figure",
    "AREA_KIND": "What area the line counts",
}
"""Every concept of the export, by id, with its name: one concept scheme for all."""

SDMX_ID = re.compile(r"[A-Za-z0-9_@$-]+")
NOT_APPLICABLE = "_Z"
TOTAL = "_T"


@dataclass(frozen=True)
class Component:
    """A dimension or an attribute of a data structure.

    Attributes:
        id: The component's id, also its concept's (see :data:`CONCEPTS`).
        codes: Each code and its name, for a coded component; ``None`` for free text.
    """

    id: str
    codes: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Cube:
    """What a data set holds, before it is written.

    Attributes:
        table: The table's name; it names the structure (``DSD_TRAININGS``).
        title: The data flow's name.
        dimensions: The key's dimensions in order, ``TIME_PERIOD`` last.
        attributes: The observation attributes.
        observations: One mapping per observation, from a component id (and ``OBS_VALUE``)
            to its value as text; a missing value has no entry.
    """

    table: str
    title: str
    dimensions: tuple[Component, ...]
    attributes: tuple[Component, ...]
    observations: list[dict[str, str]]


def slug(text: str) -> str:
    """An SDMX id for a text: ASCII, upper case, ``_`` between words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_").upper() or "X"


def codes_for(
    texts: Iterable[str],
    *,
    keep_ids: bool,
    fixed: Mapping[str, str] | None = None,
    reserved: Iterable[str] = (),
) -> dict[str, str]:
    """A distinct code for each distinct text, the same on every run.

    A text found in ``fixed`` gets that code; with ``keep_ids``, a text that is already an
    SDMX id is its own code; any other text gets its :func:`slug`, with ``_2``, ``_3`` ...
    added where two texts, or a text and a ``reserved`` code, would share one.
    """
    texts = list(texts)
    fixed = fixed or {}
    out = {t: fixed[t] for t in texts if t in fixed}
    used = set(out.values()) | set(reserved)
    # Shorter texts first: 'Ukraine' gets UKRAINE, and '(Ukraine)' UKRAINE_2.
    for text in sorted(set(texts) - set(out), key=lambda t: (len(t), t)):
        base = text if keep_ids and SDMX_ID.fullmatch(text) else slug(text)
        code, n = base, 2
        while code in used:
            code, n = f"{base}_{n}", n + 1
        used.add(code)
        out[text] = code
    return out


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime, a pandas Timestamp or an ISO text; None if missing."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def as_text(value: Any) -> str | None:
    """A cell as SDMX text (a whole float as a whole number); None if missing."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def time_period(start: dt.date | None, end: dt.date | None) -> str:
    """The SDMX ``TIME_PERIOD`` of a period with these first and last days.

    A whole year is ``2021``, a whole month ``2021-03``, one day ``2021-03-05``; whole
    months are ``2021-01-01/P5M``, any other span ``2021-09-01/P2D`` (SDMX time ranges:
    the first day and a duration). With one end unknown, the known day; with both unknown,
    the report's date, on which the report states the figure.

    Examples:
        >>> import datetime as dt
        >>> time_period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
        '2021'
        >>> time_period(dt.date(2021, 1, 1), dt.date(2021, 5, 31))
        '2021-01-01/P5M'
        >>> time_period(dt.date(2021, 9, 1), dt.date(2021, 9, 2))
        '2021-09-01/P2D'
        >>> time_period(None, dt.date(2022, 7, 22)), time_period(None, None)
        ('2022-07-22', '2022-07-22')
    """
    if start is None or end is None:
        return (end or start or REPORT.date).isoformat()
    if start == end:
        return start.isoformat()
    if start.day == 1 and _month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return str(start.year)
        return f"{start:%Y-%m}" if months == 1 else f"{start.isoformat()}/P{months}M"
    return f"{start.isoformat()}/P{(end - start).days + 1}D"


def code_of(codes: Mapping[str, str], value: Any, column: str) -> str:
    """The SDMX code of a row's value; a clear error for a value the codes do not know."""
    try:
        return codes[value]
    except KeyError:
        known = ", ".join(sorted(k for k in codes if isinstance(k, str)))
        raise ValueError(f"column {column!r}: {value!r} is not one of {known}") from None


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as mappings, with ``None`` for every missing value."""
    return [
        {str(k): (None if is_missing(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def named(codes: Mapping[str, str], name: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each code and its name: the name given for the text, else the text itself."""
    name = name or {}
    return {code: name.get(text, text) for text, code in codes.items()}


def sex_codelist() -> dict[str, str]:
    """The SEX codes, named as dataUNODC names the sexes."""
    return {SEX_CODES[s]: label for s, label in SEX_LABELS.items()}


def age_codelist() -> dict[str, str]:
    """The AGE codes, named as dataUNODC names the age groups."""
    return {AGE_CODES[a]: label for a, label in AGE_LABELS.items()}


def bounds(low: Any, high: Any) -> dict[str, str | None]:
    """The bound attributes of an observation; a missing bound is left out."""
    return {"LOWER_BOUND": as_text(low), "UPPER_BOUND": as_text(high)}


def _check_unique(observations: list[dict[str, str]], dims: tuple[Component, ...]) -> None:
    """Refuse observations that share a key: SDMX keeps one value per key."""
    ids = [d.id for d in dims]
    seen: set[tuple[str | None, ...]] = set()
    for obs in observations:
        key = tuple(obs.get(i) for i in ids)
        if key in seen:
            raise ValueError(f"two observations have the key {dict(zip(ids, key, strict=True))}")
        seen.add(key)


def make_cube(
    table: str,
    title: str,
    dims: tuple[Component, ...],
    attrs: tuple[Component, ...],
    observations: Iterable[dict[str, str | None]],
) -> Cube:
    """The cube, without the missing values, after checking that every key is distinct."""
    present = [{k: v for k, v in obs.items() if v is not None} for obs in observations]
    _check_unique(present, dims)
    return Cube(table, title, dims, attrs, present)


def area_key(country: str | None, area: str | None) -> tuple[str, str]:
    """What names a row's place: its ISO code, else its area's name, else nothing."""
    if country:
        return ("iso3", country)
    return ("name", area) if area else ("", "")


def place_codes(places: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The REF_AREA code of each place: its code when it is an SDMX id, else a slug of it,
    ``_Z`` (not applicable) for no place."""
    places = set(places)
    out = {p: p[1] for p in places if p[0] == "iso3" and SDMX_ID.fullmatch(p[1])}
    out[("", "")] = NOT_APPLICABLE
    others = [p for p in places if p not in out]
    slugs = codes_for([p[1] for p in others], keep_ids=False, reserved=out.values())
    return {p: out.get(p) or slugs[p[1]] for p in places}


def place_codelist(
    codes: Mapping[tuple[str, str], str], names: Mapping[Any, str]
) -> dict[str, str]:
    """The REF_AREA codes and their names ("Not applicable" for ``_Z``)."""
    return {code: names.get(key) or "Not applicable" for key, code in codes.items()}


def exploitation_codelist() -> dict[str, str]:
    """The EXPLOITATION codes, named as dataUNODC names the forms."""
    labels = {**EXPLOITATION_LABELS, "all": SEX_LABELS["all"]}
    return {EXPLOITATION_CODES[e]: labels[e] for e in EXPLOITATION_CODES}
