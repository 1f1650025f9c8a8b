"""The schemas of the tables of the report's figures.

Each table shares the columns of :class:`FigureTable` (provenance, initiative, place,
period, qualifier and bounds, nesting, inference) and adds its own. A schema declares its
columns, with their dtypes and column checks, and names its rules across columns; each rule
is written once, in :mod:`unodc_metrics._rules`.
"""

from __future__ import annotations

import pandas as pd

import unodc_metrics._rules as rules
from unodc_metrics._base.vocabulary import (
    AGES,
    BREAKDOWNS,
    EXPLOITATIONS,
    FLAGS,
    PERIOD_KINDS,
    QUALIFIERS,
    SEXES,
)
from unodc_metrics.schemas._checks import rule_check
from unodc_metrics.schemas._pandera import DateTime, Series, pa

__all__ = [
    "Arrests",
    "CountriesReached",
    "FigureTable",
    "Investigations",
    "KnowledgeBase",
    "Meetings",
    "OtherCounts",
    "ProtocolStatus",
    "Publications",
    "Rescues",
    "Trainings",
]


class FigureTable(pa.DataFrameModel):
    """The columns that every table of the report's figures shares.

    One row is one figure of the report. Its ``phrase`` is the shortest verbatim phrase that
    states it, and ``paragraph`` is the report's paragraph number. Attributes that the
    report implies but does not state are listed in ``inferred``, with the reason.
    """

    id: Series[pd.StringDtype] = pa.Field(
        unique=True,
        str_matches=r"^\S+$",
        description="Stable identifier of the row: a table prefix, the paragraph and a letter.",
    )
    paragraph: Series[pd.Int64Dtype] = pa.Field(
        ge=1, description="The number of the report's paragraph that states the figure."
    )
    phrase: Series[pd.StringDtype] = pa.Field(
        str_length={"min_value": 1},
        description=(
            "The shortest verbatim phrase of the report that states the figure, with the "
            "number written as the report writes it."
        ),
    )
    description: Series[pd.StringDtype] = pa.Field(
        str_length={"min_value": 1}, description="What is counted, in a few words."
    )
    measure: Series[pd.StringDtype] = pa.Field(
        description="The measure counted; its unit and additivity are in the measures table."
    )
    value: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        description=(
            'The number as the report states it: for a qualified figure ("at least 49"), '
            "the number written."
        ),
    )
    qualifier: Series[pd.StringDtype] = pa.Field(
        isin=list(QUALIFIERS), description="How the report qualifies the number."
    )
    value_low: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="The smallest count the statement allows."
    )
    value_high: Series[pd.Int64Dtype] = pa.Field(
        ge=0, nullable=True, description="The largest count it allows; missing when unbounded."
    )
    initiative: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="Code of the UNODC initiative behind the figure (see the initiatives table).",
    )
    country: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="ISO 3166-1 alpha-3 code of the one country the figure concerns.",
    )
    area: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description=(
            "Name of the area the figure concerns when it is not one country with an ISO code: "
            "a region, several countries, or an entity such as 'Somaliland'."
        ),
    )
    period_kind: Series[pd.StringDtype] = pa.Field(
        isin=list(PERIOD_KINDS),
        description=(
            "calendar_year, part_of_year, date_range, stock (a level at a date), cumulative "
            "(a total 'to date') or unspecified."
        ),
    )
    period_start: Series[DateTime] = pa.Field(
        nullable=True, description="First day of the period; missing when unknown."
    )
    period_end: Series[DateTime] = pa.Field(
        nullable=True, description="Last day of the period; missing when unknown."
    )
    period_text: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="The report's own words for the period; missing when the period is inferred.",
    )
    part_of: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="The id of the row, in the same table, of which this row is a component.",
    )
    may_overlap: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        str_matches=r"^[^,\s]+(?:,[^,\s]+)*$",
        description=(
            "Comma-separated ids of rows, in the same table, that may count some of the same "
            "persons or things (the report does not say they are distinct): a sum over both is "
            "a range, never exact."
        ),
    )
    inferred: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description=(
            "Comma-separated attributes taken from context rather than stated with the figure."
        ),
    )
    inferred_reason: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Why and from what the inferred attributes were taken."
    )
    flags: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description=(
            "Comma-separated markers of the report's own inconsistencies in this row: "
            + ", ".join(FLAGS)
            + "."
        ),
    )
    note: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Anything a reader should know about the row."
    )

    class Config:
        strict = True
        coerce = True
        ordered = True

    bounds_follow_qualifier = rule_check(rules.BOUNDS_FOLLOW_QUALIFIER)
    period_in_order = rule_check(rules.PERIOD_IN_ORDER)
    period_matches_kind = rule_check(rules.PERIOD_MATCHES_KIND)
    part_of_exists = rule_check(rules.PART_OF_EXISTS)
    part_within_whole = rule_check(rules.PART_WITHIN_WHOLE)
    parts_within_whole = rule_check(rules.PARTS_WITHIN_WHOLE)
    inference_explained = rule_check(rules.INFERENCE_EXPLAINED)
    flags_known = rule_check(rules.FLAGS_KNOWN)
    initiative_known = rule_check(rules.INITIATIVE_KNOWN)
    country_is_iso3166 = rule_check(rules.COUNTRY_IS_ISO3166)
    measure_known = rule_check(rules.MEASURE_KNOWN)


class Trainings(FigureTable):
    """People trained, coached or mentored, per activity or reported total.

    ``value`` is the reported number of participants. The sex columns hold what the report
    states; where it gives only a share ("24 per cent of whom were female"), ``female`` is
    the derived count, ``sex_split_derived`` is true, and ``female_low``/``female_high`` hold
    the interval that the rounding of the percentage allows.
    """

    female: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Women or girls among the participants, as stated or derived.",
    )
    male: Series[pd.Int64Dtype] = pa.Field(
        ge=0, nullable=True, description="Men or boys among the participants, as stated."
    )
    other_sex: Series[pd.Int64Dtype] = pa.Field(
        ge=0, nullable=True, description="Participants recorded with another sex, as stated."
    )
    unknown_sex: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Participants whose sex the report says is not known, as stated.",
    )
    female_percent: Series[pd.Float64Dtype] = pa.Field(
        ge=0, le=100, nullable=True, description="The share of women, when the report gives one."
    )
    female_low: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Lowest count of women the statement allows (equals female when stated).",
    )
    female_high: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Highest count of women the statement allows (equals female when stated).",
    )
    sex_split_derived: Series[bool] = pa.Field(
        description="True where female is derived from a percentage rather than stated."
    )

    class Config:
        name = "trainings"

    sexes_within_total = rule_check(rules.SEXES_WITHIN_TOTAL)
    female_bounds = rule_check(rules.FEMALE_BOUNDS)


class Rescues(FigureTable):
    """Victims of trafficking rescued or identified, with breakdowns as nested rows.

    A breakdown is a set of rows whose ``part_of`` is the same whole and whose ``breakdown``
    names the dimension they split it by: "63 victims, of whom 40 ... labour exploitation and
    23, including 7 children, to sexual exploitation" is a whole, two rows split by
    exploitation, and one row that splits the 23 by age.
    """

    status: Series[pd.StringDtype] = pa.Field(
        isin=["rescued", "identified"],
        description="rescued or identified: the report treats them as different measures.",
    )
    sex: Series[pd.StringDtype] = pa.Field(
        isin=list(SEXES), description="Sex of the victims counted; 'all' when not split by sex."
    )
    age: Series[pd.StringDtype] = pa.Field(
        isin=list(AGES), description="child, adult, unknown or 'all' when not split by age."
    )
    exploitation: Series[pd.StringDtype] = pa.Field(
        isin=list(EXPLOITATIONS),
        description="Form of exploitation; 'all' when not split by it.",
    )
    breakdown: Series[pd.StringDtype] = pa.Field(
        isin=list(BREAKDOWNS),
        nullable=True,
        description="For a part: the dimension (sex, age, exploitation) it splits its whole by.",
    )

    class Config:
        name = "rescues"

    breakdown_refines_whole = rule_check(rules.BREAKDOWN_REFINES_WHOLE)


class Arrests(FigureTable):
    """Suspects or individuals arrested."""

    class Config:
        name = "arrests"


class Investigations(FigureTable):
    """Investigations, law enforcement operations and labour inspections."""

    class Config:
        name = "investigations"


class CountriesReached(FigureTable):
    """Counts of countries assisted, reached or represented."""

    class Config:
        name = "countries_reached"


class Meetings(FigureTable):
    """Meetings, sessions and panel discussions held, and their participants."""

    class Config:
        name = "meetings"


class KnowledgeBase(FigureTable):
    """Contents of the SHERLOC Human Trafficking Knowledge Portal."""

    class Config:
        name = "knowledge_base"


class Publications(FigureTable):
    """Counts about publications: reports produced and the cases and countries they cover."""

    class Config:
        name = "publications"


class ProtocolStatus(FigureTable):
    """The report's statements on the parties to the Protocol (paragraph 2)."""

    class Config:
        name = "protocol_status"


class OtherCounts(FigureTable):
    """Every other figure of the report: members, pillars, tribunals, durations and the rest."""

    class Config:
        name = "other_counts"
