"""The observations of a figure table, of users' records, or of the GLOTIP long table.

:func:`figure_cube` and :func:`glotip_cube` turn a frame into a :class:`~._sdmx_codes.Cube`;
docs/sdmx.md describes the mapping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from unodc_metrics._base.source import REPORT
from unodc_metrics._base.vocabulary import GLOTIP_AREA_KINDS, PERIOD_KINDS, QUALIFIERS
from unodc_metrics._catalogue import measures
from unodc_metrics.export._dataunodc import (
    QUALIFIER_WORDS,
    TRAINING_SEXES,
    area_name,
    female_derivation,
)
from unodc_metrics.export._sdmx_codes import (
    AGE_CODES,
    EXPLOITATION_CODES,
    NOT_APPLICABLE,
    OBS_STATUS,
    SEX_CODES,
    STATUSES,
    TOTAL,
    Component,
    Cube,
    age_codelist,
    area_key,
    as_date,
    as_text,
    bounds,
    code_of,
    codes_for,
    exploitation_codelist,
    make_cube,
    named,
    place_codelist,
    place_codes,
    records,
    sex_codelist,
    time_period,
)
from unodc_metrics.schemas.records import DEFAULTS, Same

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIGURE_REQUIRED", "figure_cube", "glotip_cube"]

FIGURE_REQUIRED: tuple[str, ...] = ("id", "value", "period_start", "period_end")
"""The columns a figure frame must have; every other column is optional."""

_UNKNOWN_MEASURE = "_U"


def _completed(rows: list[dict[str, Any]], table: str, absent: set[str]) -> None:
    """Give each absent column of the records contract its default, in place: a qualifier
    ``exact`` with both bounds the value, no counts by sex, ``all`` for sex and age ..."""
    for name, default in DEFAULTS.get(table, {}).items():
        if name not in absent:
            continue
        for row in rows:
            row[name] = row.get(default.column) if isinstance(default, Same) else default


def _measure_of(row: dict[str, Any], registry: dict[str, Any]) -> str:
    """A row's measure; when it gives none, the table's one measure, else ``_U``."""
    if row.get("measure") is not None:
        return str(row["measure"])
    return next(iter(registry)) if len(registry) == 1 else _UNKNOWN_MEASURE


def figure_cube(frame: pd.DataFrame, table: str) -> Cube:
    """The observations of a frame with a figure table's columns.

    Only ``id``, ``value``, ``period_start`` and ``period_end`` are required. An absent
    column of the records contract takes its default there
    (:data:`unodc_metrics.schemas.records.DEFAULTS`); the provenance columns
    ``paragraph``, ``phrase``, ``description``, ``note``, ``inferred``, ``flags``, ... may
    be absent. A row without a measure counts the table's one measure where the registry
    lists one, else ``_U``.

    Raises:
        ValueError: If a required column is missing, a code is unknown, or two
            observations would share a key.
    """
    missing = [c for c in FIGURE_REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"the {table} frame lacks the column(s): {', '.join(missing)}")
    rows = records(frame)
    _completed(rows, table, set(DEFAULTS.get(table, {})) - set(frame.columns))
    registry = measures(table)
    for row in rows:
        row["measure"] = _measure_of(row, registry)
    measure_codes = codes_for([r["measure"] for r in rows], keep_ids=True)
    places = {
        area_key(r.get("country"), r.get("area")): area_name(r.get("country"), r.get("area"))
        for r in rows
    }
    area_codes = place_codes(places)
    extra = table == "rescues"
    dims = (
        Component(
            "MEASURE",
            named(
                measure_codes,
                {_UNKNOWN_MEASURE: "Measure not stated"}
                | {m: v.description for m, v in registry.items()},
            ),
        ),
        *(
            (
                Component("VICTIM_STATUS", {s: s.capitalize() for s in STATUSES}),
                Component("EXPLOITATION", exploitation_codelist()),
            )
            if extra
            else ()
        ),
        Component("REF_AREA", place_codelist(area_codes, places)),
        Component("SEX", sex_codelist()),
        Component("AGE", age_codelist()),
        Component("RECORD_ID"),
        Component("TIME_PERIOD"),
    )
    attrs = (
        Component("OBS_STATUS", OBS_STATUS),
        Component("QUALIFIER", {q: QUALIFIER_WORDS.get(q, "exact") for q in QUALIFIERS}),
        Component("LOWER_BOUND"),
        Component("UPPER_BOUND"),
        Component("COMMENT_OBS"),
        Component("PERIOD_KIND", {k: k.replace("_", " ") for k in PERIOD_KINDS}),
        Component("UNIT_MEASURE"),
        Component("INITIATIVE"),
        Component("REPORT_PARAGRAPH"),
    )
    observations = []
    for row in rows:
        measure = row["measure"]
        base: dict[str, str | None] = {
            "MEASURE": measure_codes[measure],
            "REF_AREA": area_codes[area_key(row.get("country"), row.get("area"))],
            "RECORD_ID": as_text(row["id"]),
            "TIME_PERIOD": time_period(as_date(row["period_start"]), as_date(row["period_end"])),
            "PERIOD_KIND": as_text(row.get("period_kind")),
            "UNIT_MEASURE": registry[measure].unit if measure in registry else None,
            "INITIATIVE": as_text(row.get("initiative")),
            "REPORT_PARAGRAPH": as_text(row.get("paragraph")),
        }
        if extra:
            base["VICTIM_STATUS"] = code_of(STATUSES, row.get("status"), "status")
            base["EXPLOITATION"] = code_of(
                EXPLOITATION_CODES, row.get("exploitation") or "all", "exploitation"
            )
        observations.extend(_figure_observations(row, base, split=table == "trainings"))
    title = f"unodc-metrics {table}: figures of UNODC's report of {REPORT.date.isoformat()}"
    return make_cube(table, title, dims, attrs, observations)


def _glotip_place(row: dict[str, Any]) -> tuple[str, str]:
    """What names a GLOTIP line's area: its code, else its name, else nothing."""
    return area_key(row.get("iso3"), row.get("country"))


def _figure_observations(
    row: dict[str, Any], base: dict[str, str | None], *, split: bool
) -> list[dict[str, str | None]]:
    """A figure's observations: its total, then (trainings) one per stated sex count."""
    qualifier = row.get("qualifier") or None
    total = {
        **base,
        "SEX": code_of(SEX_CODES, row.get("sex") or "all", "sex"),
        "AGE": code_of(AGE_CODES, row.get("age") or "all", "age"),
        "OBS_VALUE": as_text(row["value"]),
        "OBS_STATUS": "E" if qualifier == "approximately" else "A",
        "QUALIFIER": as_text(qualifier),
        **bounds(row.get("value_low"), row.get("value_high")),
    }
    out = [total]
    for column, sex in TRAINING_SEXES.items() if split else ():
        count = row.get(column)
        if count is None:
            continue
        derived = column == "female" and bool(row.get("sex_split_derived"))
        low, high = (
            (row.get("female_low"), row.get("female_high")) if column == "female" else (None, None)
        )
        out.append(
            {
                **total,
                "SEX": SEX_CODES[sex],
                "OBS_VALUE": as_text(count),
                "OBS_STATUS": "E" if derived else "A",
                "QUALIFIER": "exact",
                "COMMENT_OBS": female_derivation(row) if derived else None,
                **bounds(count if low is None else low, count if high is None else high),
            }
        )
    return out


def glotip_cube(frame: pd.DataFrame) -> Cube:
    """The observations of :func:`~unodc_metrics.read_glotip`'s long table.

    Raises:
        ValueError: If a row has no year (SDMX needs a time period), or a code is unknown.
    """
    rows = records(frame)
    no_year = [r.get("line") for r in rows if r.get("year") is None]
    if no_year:
        raise ValueError(
            f"{len(no_year)} row(s) have no year, and SDMX needs a time period "
            f"(lines {', '.join(map(str, no_year[:5]))}{' ...' if len(no_year) > 5 else ''})"
        )
    total = {"Total": TOTAL}
    indicators = codes_for([r["indicator"] for r in rows], keep_ids=False)
    breakdowns = codes_for([r["dimension"] for r in rows], keep_ids=False, fixed=total)
    categories = codes_for(
        [r["category"] or "" for r in rows], keep_ids=False, fixed={**total, "": NOT_APPLICABLE}
    )
    places: dict[tuple[str, str], str] = {}
    for r in rows:
        places.setdefault(_glotip_place(r), r.get("country") or r.get("iso3") or "")
    area_codes = place_codes(places)
    dims = (
        Component("INDICATOR", named(indicators)),
        Component("REF_AREA", place_codelist(area_codes, places)),
        Component("BREAKDOWN", named(breakdowns)),
        Component("CATEGORY", named(categories, {"": "Not applicable"})),
        Component("SEX", sex_codelist()),
        Component("AGE", age_codelist()),
        Component("SOURCE_LINE"),
        Component("TIME_PERIOD"),
    )
    attrs = (
        Component("OBS_STATUS", OBS_STATUS),
        Component("LOWER_BOUND"),
        Component("UPPER_BOUND"),
        Component("UNIT_MEASURE"),
        Component("AREA_KIND", {k: k.replace("_", " ") for k in GLOTIP_AREA_KINDS}),
    )
    observations = (
        {
            "INDICATOR": indicators[r["indicator"]],
            "REF_AREA": area_codes[_glotip_place(r)],
            "BREAKDOWN": breakdowns[r["dimension"]],
            "CATEGORY": categories[r["category"] or ""],
            "SEX": code_of(SEX_CODES, r["sex"], "sex"),
            "AGE": code_of(AGE_CODES, r["age"], "age"),
            "SOURCE_LINE": as_text(r["line"]),
            "TIME_PERIOD": str(r["year"]),
            "OBS_VALUE": as_text(r["value"]),
            "OBS_STATUS": "Q" if r["censored"] else "A",
            **bounds(r["value_low"], r["value_high"]),
            "UNIT_MEASURE": as_text(r.get("unit")),
            "AREA_KIND": as_text(r.get("area_kind")),
        }
        for r in rows
    )
    title = "GLOTIP: UNODC's data on trafficking in persons, as read by unodc-metrics"
    return make_cube("glotip", title, dims, attrs, observations)
