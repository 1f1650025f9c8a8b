"""Pandera schemas, one per table: the contract that the data and users' frames meet.

Each table of figures shares the columns of :class:`FigureTable` (provenance, initiative,
place, period, qualifier and bounds, nesting, inference) and adds its own. The schemas are
public so that a pipeline can validate its own records in the same shape::

    >>> import pandas as pd
    >>> from unodc_metrics.schemas import Arrests
    >>> Arrests.to_schema().columns["qualifier"].description
    'How the report qualifies the number.'

Most users call :func:`unodc_metrics.validate`, which applies these schemas and turns
pandera's errors into a :class:`unodc_metrics.ValidationError` that lists every failure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from pandera.typing.common import DateTime

__all__ = [
    "AGES",
    "EXPLOITATIONS",
    "FLAGS",
    "INFERABLE",
    "PERIOD_KINDS",
    "QUALIFIERS",
    "SEXES",
    "Arrests",
    "CountriesReached",
    "FigureTable",
    "Initiatives",
    "Investigations",
    "KnowledgeBase",
    "ListedItems",
    "Measures",
    "Meetings",
    "OtherCounts",
    "Parties",
    "ProtocolStatus",
    "Publications",
    "Rescues",
    "Trainings",
]

QUALIFIERS = ("exact", "at_least", "more_than", "over", "approximately")
"""How a figure is qualified. ``more_than`` and ``over`` both exclude the number written."""

PERIOD_KINDS = ("calendar_year", "part_of_year", "date_range", "stock", "cumulative", "unspecified")
"""What a row's period means.

- ``calendar_year``: 1 January to 31 December of one year ("In 2021").
- ``part_of_year``: a span within one year ("Between January and May 2021").
- ``date_range``: any other span with both ends known ("on 1 and 2 September 2021").
- ``stock``: a level at a moment ("as at July 2022"); when only a month is given, the period
  is that month, and the stock lies somewhere in it.
- ``cumulative``: a total since an unstated start ("to date"); ``period_start`` may be missing.
- ``unspecified``: the report gives no period; either end may still bound it.
"""

FLAGS = ("parts_short_of_total", "nonexistent_date", "outside_reporting_period")
"""Markers for places where the report is inconsistent, recorded as stated."""

INFERABLE = (
    "initiative",
    "country",
    "area",
    "period_kind",
    "period_start",
    "period_end",
    "part_of",
    "sex",
    "age",
    "exploitation",
)
"""The attributes that may be taken from context rather than from the figure's own words."""

SEXES = ("female", "male", "other", "unknown", "all")
AGES = ("child", "adult", "unknown", "all")
EXPLOITATIONS = ("labour", "sexual", "other", "all")
_BREAKDOWNS = ("sex", "age", "exploitation")

# Each cross-column rule names the columns it reads, so that a failure can be reported
# against them rather than against every column of the row.
RULE_COLUMNS: dict[str, tuple[str, ...]] = {}


def _rule(message: str, columns: Iterable[str]) -> str:
    RULE_COLUMNS[message] = tuple(columns)
    return message


def _tokens(values: pd.Series) -> pd.Series:
    """Split comma-separated codes into lists; missing becomes an empty list."""
    return values.fillna("").map(lambda s: [t.strip() for t in str(s).split(",") if t.strip()])


def _split(text: Any) -> list[str]:
    return [t.strip() for t in str(text).split(",") if t.strip()]


def _all_in(values: pd.Series, allowed: Iterable[str]) -> pd.Series:
    allowed = frozenset(allowed)
    # Few distinct lists repeat over many rows: judge each distinct text once.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    verdicts = [all(t in allowed for t in _split(u)) for u in uniques]
    verdict = np.array([*verdicts, True], dtype=bool)  # code -1 (missing): an empty list
    return pd.Series(verdict[codes], index=values.index)


@cache
def _iso3166_alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _is_iso3166(values: pd.Series) -> pd.Series:
    codes = _iso3166_alpha3()
    return (values.isna() | values.isin(list(codes))).astype(bool)


def _int(values: pd.Series) -> pd.Series:
    """Nullable integers, whatever the input dtype."""
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def _ok(mask: pd.Series) -> pd.Series:
    """A boolean mask where missing (undecidable) comparisons pass."""
    return mask.fillna(True).astype(bool)


def _le(left: pd.Series, right: pd.Series) -> pd.Series:
    """``left <= right``, true wherever either side is missing (dates or nullable numbers)."""
    return (left.isna() | right.isna() | (left <= right).fillna(True)).astype(bool)


_PROVENANCE = "Provenance"


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

    @pa.dataframe_check(
        error=_rule(
            "the bounds must follow the qualifier: exact means value_low = value = value_high; "
            "at_least means value_low = value and no value_high; more_than and over mean "
            "value_low = value + 1 and no value_high; approximately means "
            "value_low <= value <= value_high",
            ["qualifier", "value", "value_low", "value_high"],
        )
    )
    def bounds_follow_qualifier(cls, df: pd.DataFrame) -> pd.Series:
        q, v, lo, hi = (
            df["qualifier"],
            _int(df["value"]),
            _int(df["value_low"]),
            _int(df["value_high"]),
        )
        exact = (lo == v) & (hi == v)
        at_least = (lo == v) & hi.isna()
        above = (lo == v + 1) & hi.isna()
        approx = (lo <= v) & (v <= hi)
        ok = (
            ((q == "exact") & exact)
            | ((q == "at_least") & at_least)
            | (q.isin(["more_than", "over"]) & above)
            | ((q == "approximately") & approx)
        )
        return ok.fillna(False).astype(bool)

    @pa.dataframe_check(
        error=_rule("period_start must not be after period_end", ["period_start", "period_end"])
    )
    def period_in_order(cls, df: pd.DataFrame) -> pd.Series:
        return _le(df["period_start"], df["period_end"])

    @pa.dataframe_check(
        error=_rule(
            "the period must match its kind: calendar_year runs 1 January to 31 December of one "
            "year; part_of_year stays within one year; date_range and stock need both ends; "
            "cumulative needs an end",
            ["period_kind", "period_start", "period_end"],
        )
    )
    def period_matches_kind(cls, df: pd.DataFrame) -> pd.Series:
        kind = df["period_kind"]
        start = pd.to_datetime(df["period_start"], errors="coerce", format="ISO8601")
        end = pd.to_datetime(df["period_end"], errors="coerce", format="ISO8601")
        both = start.notna() & end.notna()
        same_year = both & (start.dt.year == end.dt.year)
        whole_year = (
            same_year
            & (start.dt.month == 1)
            & (start.dt.day == 1)
            & (end.dt.month == 12)
            & (end.dt.day == 31)
        )
        ok = (
            ((kind == "calendar_year") & whole_year)
            | ((kind == "part_of_year") & same_year & ~whole_year)
            | (kind.isin(["date_range", "stock"]) & both)
            | ((kind == "cumulative") & end.notna())
            | (kind == "unspecified")
        )
        return ok.fillna(False).astype(bool)

    @pa.dataframe_check(
        error=_rule("part_of must be the id of another row of the same table", ["part_of"])
    )
    def part_of_exists(cls, df: pd.DataFrame) -> pd.Series:
        part_of = df["part_of"]
        found = pd.Series(_parent_positions(df) >= 0, index=df.index)
        return (part_of.isna() | (found & (part_of != df["id"]).fillna(False))).astype(bool)

    @pa.dataframe_check(
        error=_rule(
            "a part must not exceed its whole: value_low of a row must not exceed the "
            "value_high of the row it is part_of",
            ["part_of", "value_low"],
        )
    )
    def part_within_whole(cls, df: pd.DataFrame) -> pd.Series:
        parent_high = _parent_values(df, "value_high")
        return _le(_int(df["value_low"]), parent_high)

    @pa.dataframe_check(
        error=_rule(
            "the parts of one breakdown must not add up to more than their whole",
            ["part_of", "value_low"],
        )
    )
    def parts_within_whole(cls, df: pd.DataFrame) -> pd.Series:
        # Parts of one whole and one breakdown share the whole's position and the breakdown.
        key = pd.Series(_parent_positions(df), index=df.index)
        if "breakdown" in df.columns:
            codes, uniques = pd.factorize(df["breakdown"], use_na_sentinel=True)
            key = key * (len(uniques) + 1) + (codes + 1)
        sums = _int(df["value_low"]).groupby(key).transform("sum")
        return df["part_of"].isna() | _le(sums, _parent_values(df, "value_high"))

    @pa.dataframe_check(
        error=_rule(
            "inferred must list known attributes ("
            + ", ".join(INFERABLE)
            + ") and come with an inferred_reason, and a reason needs inferred attributes",
            ["inferred", "inferred_reason"],
        )
    )
    def inference_explained(cls, df: pd.DataFrame) -> pd.Series:
        listed = _all_in(df["inferred"], INFERABLE)
        paired = df["inferred"].isna() == df["inferred_reason"].isna()
        return (listed & paired).astype(bool)

    @pa.dataframe_check(error=_rule("flags must be among: " + ", ".join(FLAGS), ["flags"]))
    def flags_known(cls, df: pd.DataFrame) -> pd.Series:
        return _all_in(df["flags"], FLAGS)

    @pa.dataframe_check(
        error=_rule("initiative must be a code of the initiatives table", ["initiative"])
    )
    def initiative_known(cls, df: pd.DataFrame) -> pd.Series:
        from unodc_metrics._tables import initiative_codes

        return (df["initiative"].isna() | df["initiative"].isin(initiative_codes())).astype(bool)

    @pa.dataframe_check(
        error=_rule("country must be an ISO 3166-1 alpha-3 code; use area otherwise", ["country"])
    )
    def country_is_iso3166(cls, df: pd.DataFrame) -> pd.Series:
        return _is_iso3166(df["country"]).astype(bool)

    @pa.dataframe_check(
        error=_rule("measure must be listed for this table in the measures table", ["measure"])
    )
    def measure_known(cls, df: pd.DataFrame) -> pd.Series:
        from unodc_metrics._tables import measure_names

        table = str(getattr(cls.Config, "name", ""))
        return df["measure"].isin(measure_names(table)).astype(bool)


def _parent_positions(df: pd.DataFrame) -> Any:
    """The position of each row's ``part_of`` row (the first row with that id); -1 where none.

    One hash lookup in Arrow over the ids: ``Series.isin`` of a pyarrow string column builds
    a Python object per id, which takes minutes at 10 million rows.
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

    try:
        ids = pa.array(df["id"], from_pandas=True).cast(pa.large_string())
        part_of = pa.array(df["part_of"], from_pandas=True).cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Not text (a frame whose coercion failed): compare as Python objects.
        first = ~df["id"].duplicated().to_numpy()
        index = pd.Index(df["id"][first].to_numpy(dtype=object))
        where = index.get_indexer(df["part_of"].to_numpy(dtype=object))
        rows = np.flatnonzero(first)
        found = (where >= 0) & df["part_of"].notna().to_numpy()
        return np.where(found, rows[np.where(found, where, 0)], -1)
    where = pc.index_in(part_of, value_set=ids)  # the first occurrence; null where not found
    return where.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _parent_values(df: pd.DataFrame, column: str) -> pd.Series:
    """The value of ``column`` in each row's ``part_of`` row (missing where none)."""
    values = _int(df[column]).array
    return pd.Series(values.take(_parent_positions(df), allow_fill=True), index=df.index)


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

    @pa.dataframe_check(
        error=_rule(
            "the parts by sex (female_low + male + other_sex + unknown_sex) must not exceed "
            "value_high; a shortfall is allowed",
            ["value_high", "female_low", "male", "other_sex", "unknown_sex"],
        )
    )
    def sexes_within_total(cls, df: pd.DataFrame) -> pd.Series:
        parts = sum(
            (_int(df[c]).fillna(0) for c in ("female_low", "male", "other_sex", "unknown_sex")),
            start=pd.Series(0, index=df.index, dtype="Int64"),
        )
        return _le(parts, _int(df["value_high"]))

    @pa.dataframe_check(
        error=_rule(
            "female_low <= female <= female_high; a stated count has female_low = female = "
            "female_high; a derived count needs female_percent and, from a whole percentage, "
            "exactly the interval its rounding allows",
            ["female", "female_low", "female_high", "female_percent", "sex_split_derived"],
        )
    )
    def female_bounds(cls, df: pd.DataFrame) -> pd.Series:
        f, lo, hi = _int(df["female"]), _int(df["female_low"]), _int(df["female_high"])
        derived = df["sex_split_derived"].astype(bool)
        pct = pd.to_numeric(df["female_percent"], errors="coerce")
        none = f.isna() & lo.isna() & hi.isna() & ~derived
        stated = f.notna() & ~derived & (lo == f) & (hi == f)
        contained = f.notna() & (lo <= f) & (f <= hi) & pct.notna()
        exp_lo, exp_hi = _rounding_intervals(_int(df["value"]), pct)
        matches = exp_lo.isna() | ((lo == exp_lo) & (hi == exp_hi))
        ok = none | stated.fillna(False) | (derived & contained & matches).fillna(False)
        return ok.astype(bool)


def _rounding_intervals(total: pd.Series, percent: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`_rounding_interval` over whole columns, vectorised; missing where it is."""
    n = total.to_numpy(dtype="float64", na_value=np.nan)
    p = percent.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        whole = ~np.isnan(n) & ~np.isnan(p) & (np.mod(p, 1) == 0)
    n_int = np.where(whole, n, 0).astype(np.int64)
    p_int = np.where(whole, p, 0).astype(np.int64)
    low = np.maximum(0, np.ceil(n_int * (2 * p_int - 1) / 200)).astype(np.int64)
    high = np.minimum(n_int, np.floor(n_int * (2 * p_int + 1) / 200)).astype(np.int64)
    return (
        pd.Series(pd.arrays.IntegerArray(low, ~whole), index=total.index),
        pd.Series(pd.arrays.IntegerArray(high, ~whole), index=total.index),
    )


def _rounding_interval(total: Any, percent: Any) -> tuple[int | None, int | None]:
    """Whole counts out of ``total`` whose share rounds to the whole ``percent``.

    >>> _rounding_interval(62, 24.0)
    (15, 15)
    """
    if pd.isna(total) or pd.isna(percent) or not float(percent).is_integer():
        return (None, None)
    n, p = int(total), int(percent)
    low = max(0, math.ceil(n * (2 * p - 1) / 200))
    high = min(n, math.floor(n * (2 * p + 1) / 200))
    return (low, high)


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
        isin=list(_BREAKDOWNS),
        nullable=True,
        description="For a part: the dimension (sex, age, exploitation) it splits its whole by.",
    )

    class Config:
        name = "rescues"

    @pa.dataframe_check(
        error=_rule(
            "a part must name its breakdown, differ from its whole only by refining 'all', and "
            "share its status; breakdown is set exactly when part_of is",
            ["part_of", "breakdown", "status", "sex", "age", "exploitation"],
        )
    )
    def breakdown_refines_whole(cls, df: pd.DataFrame) -> pd.Series:
        has_parent = df["part_of"].notna()
        ok = has_parent == df["breakdown"].notna()
        lookup = df.drop_duplicates("id").set_index("id")
        for dim in ("status", *_BREAKDOWNS):
            parent = df["part_of"].map(lookup[dim])
            same = df[dim] == parent
            if dim == "status":
                ok &= ~has_parent | same.fillna(False)
                continue
            split_here = df["breakdown"] == dim
            refines = (parent == "all") & (df[dim] != "all")
            ok &= (
                ~has_parent
                | (split_here & refines).fillna(False)
                | (~split_here.fillna(False) & (same | (parent == "all")).fillna(False))
            )
        return ok.fillna(False).astype(bool)


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

    @pa.dataframe_check(error=_rule("country must be an ISO 3166-1 alpha-3 code", ["country"]))
    def country_is_iso3166(cls, df: pd.DataFrame) -> pd.Series:
        return _is_iso3166(df["country"]).astype(bool)


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

    @pa.dataframe_check(
        error=_rule(
            "a party needs an action_type and earliest <= action_date <= latest; a non-party "
            "has neither",
            [
                "is_party",
                "action_type",
                "action_date",
                "action_date_earliest",
                "action_date_latest",
            ],
        )
    )
    def party_dates_consistent(cls, df: pd.DataFrame) -> pd.Series:
        party = df["is_party"].astype(bool)
        lo, d, hi = df["action_date_earliest"], df["action_date"], df["action_date_latest"]
        as_party = party & df["action_type"].notna() & lo.notna() & hi.notna() & (lo <= hi)
        as_party &= _le(lo, d) & _le(d, hi)
        non_party = ~party & df["action_type"].isna() & d.isna() & lo.isna() & hi.isna()
        return (as_party | non_party).fillna(False).astype(bool)

    @pa.dataframe_check(
        error=_rule(
            "iso3_is_iso3166 must say whether iso3 is an ISO 3166-1 alpha-3 code",
            ["iso3", "iso3_is_iso3166"],
        )
    )
    def iso_flag_true(cls, df: pd.DataFrame) -> pd.Series:
        return (_is_iso3166(df["iso3"]) == df["iso3_is_iso3166"].astype(bool)).astype(bool)
