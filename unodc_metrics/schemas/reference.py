"""The schemas of the tables that are not figures: the registries, the parties to the
Protocol, and the long shape of a GLOTIP download."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import unodc_metrics._rules as rules
from unodc_metrics._base.vocabulary import GLOTIP_AGES, GLOTIP_AREA_KINDS, GLOTIP_SEXES
from unodc_metrics.schemas._checks import rule_check
from unodc_metrics.schemas._pandera import DateTime, Series, pa

__all__ = ["GlotipSchema", "Initiatives", "ListedItems", "Measures", "Parties"]


class Initiatives(pa.DataFrameModel):
    """The registry of UNODC initiatives that the figure tables refer to by code."""

    code: Series[pd.StringDtype] = pa.Field(
        unique=True, str_matches=r"^[A-Z0-9.\-]+$", description="Short code used in the tables."
    )
    name: Series[pd.StringDtype] = pa.Field(unique=True, description="Full name, as in the report.")
    kind: Series[pd.StringDtype] = pa.Field(
        description="programme, initiative, regional initiative or project."
    )
    paragraphs: Series[pd.StringDtype] = pa.Field(
        description="The report's paragraphs that mention it, comma-separated."
    )
    note: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Where the code comes from, and any quirk of the report."
    )

    class Config:
        name = "initiatives"
        strict = True
        coerce = True
        ordered = True


class Measures(pa.DataFrameModel):
    """The registry of measures: what each figure counts, its unit, and whether it adds up."""

    measure: Series[pd.StringDtype] = pa.Field(description="Name used in a table's measure column.")
    table: Series[pd.StringDtype] = pa.Field(description="The table whose rows use it.")
    unit: Series[pd.StringDtype] = pa.Field(description="What one unit of the count is.")
    additive: Series[bool] = pa.Field(
        description=(
            "True where counts of different rows can be summed; false for stocks, distinct "
            "counts and durations."
        )
    )
    description: Series[pd.StringDtype] = pa.Field(description="What the measure counts.")

    class Config:
        name = "measures"
        strict = True
        coerce = True
        ordered = True
        unique = ["table", "measure"]  # noqa: RUF012 (pandera reads it as given)


class ListedItems(pa.DataFrameModel):
    """The items that the report names for a count ("four new entities ..., namely, ...")."""

    figure_id: Series[pd.StringDtype] = pa.Field(
        description="The id of the row that states the count."
    )
    position: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Order in the report's list.")
    item: Series[pd.StringDtype] = pa.Field(
        str_length={"min_value": 1}, description="The item, in the report's words."
    )
    country: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="ISO 3166-1 alpha-3 code, when the item is a country."
    )

    class Config:
        name = "listed_items"
        strict = True
        coerce = True
        ordered = True
        unique = ["figure_id", "position"]  # noqa: RUF012 (pandera reads it as given)

    country_is_iso3166 = rule_check(rules.LISTED_COUNTRY_IS_ISO3166)


class Parties(pa.DataFrameModel):
    """Participants in the Trafficking in Persons Protocol, one row per State or organization.

    Built from the project's reference table of the UN Treaty Collection status (chapter
    XVIII-12-a); see :data:`unodc_metrics.REFERENCE_LIMITS` for what it cannot tell.
    """

    participant: Series[pd.StringDtype] = pa.Field(
        unique=True, description="Name as the UN Treaty Collection wrote it in January 2018."
    )
    iso3: Series[pd.StringDtype] = pa.Field(
        unique=True,
        str_matches=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code; EUU (not ISO) for the European Union.",
    )
    iso3_is_iso3166: Series[bool] = pa.Field(
        description="False where iso3 is not an ISO 3166-1 code (the European Union's EUU)."
    )
    kind: Series[pd.StringDtype] = pa.Field(
        isin=["state", "organization"], description="state, or organization (the EU)."
    )
    signature_date: Series[DateTime] = pa.Field(
        nullable=True, description="Date of signature; missing for those that never signed."
    )
    action_type: Series[pd.StringDtype] = pa.Field(
        isin=["ratification", "accession", "acceptance", "approval", "succession"],
        nullable=True,
        description="How it became a party; missing for signatories that are not parties.",
    )
    action_date: Series[DateTime] = pa.Field(
        nullable=True,
        description="Date of the instrument; missing where unknown or not a party.",
    )
    action_date_earliest: Series[DateTime] = pa.Field(
        nullable=True, description="Earliest date it can have become a party."
    )
    action_date_latest: Series[DateTime] = pa.Field(
        nullable=True, description="Latest date it can have become a party."
    )
    is_party: Series[bool] = pa.Field(description="True where an instrument is recorded.")
    flag: Series[pd.StringDtype] = pa.Field(
        isin=["derived_date", "date_unknown", "press_date", "ok"],
        nullable=True,
        description="The reference's caveat on the row's date, for rows added after 2018.",
    )
    flag_detail: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="How that date was found."
    )
    source_url: Series[pd.StringDtype] = pa.Field(description="Where the row comes from.")
    source_as_of: Series[DateTime] = pa.Field(
        nullable=True, description="The date its source speaks for, where known."
    )

    class Config:
        name = "parties"
        strict = True
        coerce = True
        ordered = True

    party_dates_consistent = rule_check(rules.PARTY_DATES_CONSISTENT)
    iso_flag_true = rule_check(rules.ISO_FLAG_TRUE)


class GlotipSchema(pa.DataFrameModel):
    """One count of a dataUNODC GLOTIP download: a row of :func:`read_glotip`'s table.

    A breakdown's parts and its total are rows that agree on ``indicator``,
    ``dimension``, ``category``, ``age``, ``iso3``, ``country`` and ``year`` and differ
    in ``sex`` (parts: female, male, other, unknown; total: ``total``); the same holds
    for age with the roles of ``sex`` and ``age`` swapped. Keys may repeat: the file
    has lines with the same key and different counts, and every line is kept.
    """

    iso3: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        str_matches=r"^\S+$",
        description=(
            "The area's code as the file writes it (Iso3_code): mostly ISO 3166-1 alpha-3, "
            "but areas that are not countries have other codes or none."
        ),
    )
    iso3_is_iso3166: Series[bool] = pa.Field(
        description="True where iso3 is a current ISO 3166-1 alpha-3 code (per pycountry)."
    )
    country: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        str_length={"min_value": 1},
        description=(
            "The area's name as the file writes it, e.g. 'Aruba/Curacao'; missing where the "
            "file names none (area aggregates, figures of no one place)."
        ),
    )
    region: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="UN M49 region name, as the file writes it."
    )
    subregion: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="UN M49 subregion name, as the file writes it."
    )
    area_kind: Series[pd.StringDtype] = pa.Field(
        isin=list(GLOTIP_AREA_KINDS),
        description=(
            "What area the line counts: country, territory (ISO 3166-1 marks it not "
            "independent, or a curated area without a code), region_aggregate (a group of "
            "areas), combined (several areas in one line, e.g. 'Aruba/Curacao') or unknown. "
            "The rules are in read_glotip's documentation."
        ),
    )
    indicator: Series[pd.StringDtype] = pa.Field(
        str_length={"min_value": 1},
        description="What is counted, e.g. 'Detected trafficking victims'.",
    )
    dimension: Series[pd.StringDtype] = pa.Field(
        str_length={"min_value": 1},
        description=(
            "The breakdown the row belongs to: 'Total', 'by form of exploitation', "
            "'by citizenship' or 'by country of repatriation'."
        ),
    )
    category: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description=(
            "The part of the dimension: 'Total', a form of exploitation, a citizenship or a "
            "country; missing where the file leaves it empty."
        ),
    )
    sex: Series[pd.StringDtype] = pa.Field(
        isin=list(GLOTIP_SEXES), description="female, male, other, unknown or total (not split)."
    )
    age: Series[pd.StringDtype] = pa.Field(
        isin=list(GLOTIP_AGES),
        description="child (0 to 17 years), adult (18 or over), unknown or total.",
    )
    year: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=1990,
        le=dt.date.today().year,
        description="The calendar year counted; missing where the file gives none.",
    )
    value: Series[pd.Int64Dtype] = pa.Field(
        ge=0, nullable=True, description="The count; missing where the file writes '<5'."
    )
    value_low: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="The smallest the count can be: value, or 0 where suppressed."
    )
    value_high: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="The largest the count can be: value, or 4 where suppressed."
    )
    censored: Series[bool] = pa.Field(
        description="True where the file writes '<5' instead of the count."
    )
    unit: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Unit of measurement, as the file writes it ('Counts')."
    )
    source: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Source, as the file writes it ('GLOTIP')."
    )
    line: Series[pd.Int64Dtype] = pa.Field(
        ge=1,
        unique=True,
        description="Line of the file the row comes from (1-based, as a spreadsheet shows it).",
    )

    class Config:
        name = "glotip"
        strict = True
        coerce = True
        ordered = True

    bounds_follow_censoring = rule_check(rules.BOUNDS_FOLLOW_CENSORING)
    iso_flag_true = rule_check(rules.ISO_FLAG_TRUE)
