"""The aggregations: golden values from the report, and a property test for each promise.

Every function runs on pandas and on polars; the ``backend`` fixture turns a pandas frame
into the kind under test, and ``as_pandas`` brings the result back for the assertions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unodc_metrics as um
from unodc_metrics import UnknownSex
from unodc_metrics.schemas import QUALIFIERS

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEWER = settings(SETTINGS, max_examples=8)  # for the tests that call every function, twice
MODES: tuple[UnknownSex, ...] = ("separate", "known_only", "proportional", "bounds")

Frame = Any  # a pandas or a polars DataFrame
Convert = Callable[[pd.DataFrame], Frame]


def as_pandas(frame: Frame) -> pd.DataFrame:
    """A pandas frame whose missing values are None, whatever kind ``frame`` was."""
    out = frame.to_pandas() if isinstance(frame, pl.DataFrame) else frame.copy()
    out = out.astype(object)
    return out.where(out.notna(), None)


def records(frame: Frame) -> list[dict[str, Any]]:
    return as_pandas(frame).to_dict("records")  # type: ignore[return-value]


@pytest.fixture(params=["pandas", "polars"])
def backend(request: pytest.FixtureRequest) -> Convert:
    if request.param == "pandas":
        return lambda df: df
    return lambda df: pl.from_pandas(df)


def by_key(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r[k] for k in keys): r for r in rows}


# --- golden values: trainees per initiative (paragraphs 5, 6, 52, 62, 68) ---------------------


def test_trainees_per_initiative_golden(backend: Convert) -> None:
    out = records(um.trainees_per_initiative(backend(um.load("trainings"))))
    assert [(r["initiative"], r["basis"], r["row"]) for r in out] == [
        ("GLO.ACT", "cumulative", None),
        ("GLO.ACT", "period", None),
        ("GPTIP", "period", None),
        (None, "period", "TRN-52a"),  # rows without an initiative are never pooled
        (None, "period", "TRN-68a"),
    ]
    rows = by_key(out, "initiative", "basis", "row")
    cols = ("total", "female", "male", "other", "unknown", "unreconciled")
    # Paragraph 5: 2,776 trained in 2021, 1,138 female, 715 male, 919 unknown: 4 short.
    gptip = rows["GPTIP", "period", None]
    assert tuple(gptip[c] for c in cols) == (2776, 1138, 715, None, 919, 4)
    # Paragraph 6: 1,488 trained to date, 553 female, 933 male, 2 unknown.
    cumulative = rows["GLO.ACT", "cumulative", None]
    assert tuple(cumulative[c] for c in cols) == (1488, 553, 933, None, 2, 0)
    # Paragraph 62: 25 female officers, in the reporting period; never added to the 1,488.
    # No count of men is stated: missing, not zero.
    assert tuple(rows["GLO.ACT", "period", None][c] for c in cols) == (25, 25, None, None, 0, 0)
    # Paragraph 52: 35 judges, sex not stated; paragraph 68: 62 participants, 24 per cent
    # female: 15 women, exactly (the rounding allows 15 only), 47 unknown.
    judges, workshop = rows[None, "period", "TRN-52a"], rows[None, "period", "TRN-68a"]
    assert tuple(judges[c] for c in cols) == (35, None, None, None, 35, 0)
    assert tuple(workshop[c] for c in cols) == (62, 15, None, None, 47, 0)
    assert (workshop["female_low"], workshop["female_high"]) == (15, 15)
    assert workshop["female_status"] == "derived" and judges["female_status"] == "missing"
    assert judges["description"].startswith("Thai judges")
    for r in out:
        assert r["qualifier"] == "exact"
        assert r["rows_excluded"] == 0 and r["excluded"] is None
    assert gptip["period_start"] == pd.Timestamp("2021-01-01")
    assert cumulative["period_start"] is None
    assert cumulative["period_end"] == pd.Timestamp("2022-07-22")
    assert judges["period_start"] is None  # TRN-52a has no known start


def test_trainees_per_initiative_defaults_to_the_curated_table() -> None:
    default = um.trainees_per_initiative()
    assert isinstance(default, pd.DataFrame)
    pd.testing.assert_frame_equal(default, um.trainees_per_initiative(um.load("trainings")))


def test_gender_breakdown_golden_shares() -> None:
    trainings = um.load("trainings")
    gptip = trainings[trainings["id"] == "TRN-05a"]
    sep = records(um.gender_breakdown(gptip))[0]
    assert sep["female_share"] == pytest.approx(1138 / 2776)
    assert sep["unknown_share"] == pytest.approx(919 / 2776)
    known = records(um.gender_breakdown(gptip, unknown="known_only"))[0]
    assert known["female_share"] == pytest.approx(1138 / 1853)
    assert known["male_share"] == pytest.approx(715 / 1853)
    assert known["unknown_share"] is None
    prop = records(um.gender_breakdown(gptip, unknown="proportional"))[0]
    assert prop["estimate"] is True
    assert prop["female"] == pytest.approx(1138 + 919 * 1138 / 1853)
    assert prop["unknown"] == 0
    assert prop["unreconciled"] == 4  # stays apart
    bounds = records(um.gender_breakdown(gptip, unknown="bounds"))[0]
    assert bounds["female_share_low"] == pytest.approx(1138 / 2776)
    assert bounds["female_share_high"] == pytest.approx((1138 + 919 + 4) / 2776)
    assert bounds["male_share_high"] == pytest.approx((715 + 919 + 4) / 2776)


def test_a_percentage_bounds_the_women_of_its_row() -> None:
    trainings = um.load("trainings")
    workshop = trainings[trainings["id"] == "TRN-68a"]
    row = records(um.gender_breakdown(workshop, unknown="bounds"))[0]
    assert (row["female"], row["female_low"], row["female_high"], row["unknown"]) == (
        15,
        15,
        15,
        47,
    )
    # 24 per cent of 62: the other 47 are not women, so they widen only the men's bounds.
    assert row["female_share_high"] == pytest.approx(15 / 62)
    assert (row["male_share_low"], row["male_share_high"]) == (0.0, pytest.approx(47 / 62))


# --- golden values: victims rescued per year (paragraphs 5, 7, 63, 76) ------------------------


def test_victims_rescued_per_year_golden(backend: Convert) -> None:
    out, excluded = um.totals_by_year(
        backend(um.load("rescues")), table="rescues", return_excluded=True
    )
    rows = records(out)
    assert [(r["status"], r["year"], r["total"], r["rows"]) for r in rows] == [
        ("identified", 2021, 18, 1),  # paragraph 63: January to May 2021
        ("rescued", 2020, 124, 2),  # paragraph 76: 43 (first half) + 81 (November)
        ("rescued", 2021, 85, 2),  # paragraphs 5 and 7: 63 in Colombia + 22 under TRACK4TIP
    ]
    assert all(r["qualifier"] == "exact" for r in rows)
    # The breakdowns (40 + 23, of whom 7 children; 57 women + 24 men) are never added.
    ex = records(excluded)
    assert sorted(r["id"] for r in ex) == ["RES-05b", "RES-05c", "RES-05d", "RES-76c", "RES-76d"]
    assert {r["id"]: r["year"] for r in ex}["RES-76c"] == 2020
    assert "part of RES-05c" in {r["id"]: r["reason"] for r in ex}["RES-05d"]
    assert rows[2]["rows_excluded"] == 3
    assert rows[2]["excluded"].startswith("RES-05b (part of RES-05a")


def test_figures_outside_the_reporting_period_are_named_or_left_out(backend: Convert) -> None:
    rescues = backend(um.load("rescues"))
    rows = by_key(records(um.totals_by_year(rescues, table="rescues")), "status", "year")
    rescued = rows["rescued", 2020]  # 43 in the first half of 2020, before October 2020
    assert (rescued["total"], rescued["outside_period"]) == (124, "RES-76a (43)")
    assert rescued["outside_period_total"] == 43
    within = um.totals_by_year(rescues, table="rescues", within=um.REPORTING_PERIOD)
    rescued = by_key(records(within), "status", "year")["rescued", 2020]
    assert (rescued["total"], rescued["outside_period"]) == (81, None)
    assert "RES-76a (its period does not lie wholly within" in rescued["excluded"]


def test_victims_by_sex_and_by_age(backend: Convert) -> None:
    rescues = backend(um.load("rescues"))
    by_sex = um.victims_breakdown(rescues, "sex", by="paragraph", within=um.REPORTING_PERIOD)
    p76 = {r["sex"]: r["total"] for r in records(by_sex) if r["paragraph"] == 76}
    assert p76 == {"female": 57, "male": 24, "not_given": 0}  # RES-76b: 57 women and 24 men
    by_age = records(um.victims_breakdown(rescues, "age", by="paragraph"))
    p5 = {r["age"]: r["total"] for r in by_age if r["paragraph"] == 5}
    assert p5 == {"child": 7, "not_given": 56}  # "including 7 children", of 63
    statuses = {(r["status"], r["paragraph"]) for r in by_age}
    assert ("identified", 63) in statuses and ("rescued", 5) in statuses  # never mixed


def test_a_whole_takes_the_sexes_of_its_parts(backend: Convert) -> None:
    trainings = um.load("trainings")
    row = trainings[trainings["id"] == "TRN-52a"]
    two = pd.concat([row, row], ignore_index=True)
    two["id"] = ["TRN-90a", "TRN-90b"]
    two[["value", "value_low", "value_high"]] = [[100, 100, 100], [40, 40, 40]]
    two["part_of"] = [None, "TRN-90a"]
    two["female"] = [None, 40]
    two[["female_low", "female_high"]] = two[["female", "female"]].to_numpy()
    out = records(um.gender_breakdown(backend(two.astype(trainings.dtypes.to_dict()))))
    assert [(r["total"], r["female"], r["male"], r["unknown"]) for r in out if r["rows"]] == [
        (100, 40, None, 60)  # before: female 0, unknown 100
    ]


def test_trainings_per_year_keep_spans_and_cumulative_figures_out() -> None:
    rows = records(um.totals_by_year(um.load("trainings"), table="trainings"))
    assert [(r["year"], r["years"], r["total"], r["rows"], r["rows_excluded"]) for r in rows] == [
        # TRN-05a and the workshop of September 2021, whose 62 may be among the 2,776
        (2021, "2021", None, 2, 0),
        (None, "2020-2022", 25, 1, 0),  # TRN-62a, October 2020 to July 2022: apart
        (None, None, None, 0, 2),  # TRN-06a (to date) and TRN-52a (no start): in no year
    ]
    year = rows[0]
    assert (year["total_low"], year["total_high"], year["qualifier"]) == (2776, 2838, "range")
    assert year["overlaps"] == "TRN-05a, TRN-68a"
    assert "TRN-06a (a cumulative ('to date') figure" in rows[2]["excluded"]
    assert "TRN-52a (the start or the end of its period is not known" in rows[2]["excluded"]


def test_qualifiers_carry_through_as_bounds() -> None:
    meetings = um.load("meetings")
    rows = by_key(records(um.totals_by_year(meetings, table="meetings")), "measure", "years")
    more_than = rows["participants", "2021"]  # "More than 35 ... participated"
    # "More than 35" admits 36 persons at least: 35 is not an admissible total.
    assert (more_than["total"], more_than["total_low"], more_than["total_high"]) == (36, 36, None)
    assert more_than["qualifier"] == "at_least"
    exact = rows["panel_discussions", "2021"]
    assert (exact["total"], exact["qualifier"], exact["total_high"]) == (2, "exact", 2)
    assert rows["meetings", "2020-2021"]["year"] is None  # December 2020 to July 2021


def test_arrests_per_year_golden() -> None:
    rows = records(um.totals_by_year(um.load("arrests"), table="arrests"))
    assert [(r["year"], r["total"]) for r in rows] == [(2020, 5 + 13), (2021, None)]
    # The 6 arrested in Colombia in 2021 (paragraph 69) may be among the 17 (paragraph 5).
    assert (rows[1]["total_low"], rows[1]["total_high"]) == (17, 23)


@pytest.mark.parametrize("table", ["protocol_status", "countries_reached", "knowledge_base"])
def test_non_additive_measures_refuse_to_be_summed(table: str, backend: Convert) -> None:
    with pytest.raises(ValueError, match="is not additive"):
        um.totals_by_year(backend(um.load(table)), table=table)


def test_parties_refuse_with_a_clear_error_and_the_rest_sums() -> None:
    status = um.load("protocol_status")
    with pytest.raises(ValueError, match=r"measure 'parties' .* cannot be summed over time"):
        um.totals_by_year(status, table="protocol_status")
    joined = status[status["measure"] != "parties"]
    rows = records(um.totals_by_year(joined, table="protocol_status"))
    assert [(r["measure"], r["years"], r["total"]) for r in rows] == [
        ("states_joined", "2020-2022", 0)
    ]


# --- arguments, validation and types -----------------------------------------------------------


def test_validation_errors_list_every_failure(backend: Convert) -> None:
    trainings = um.load("trainings")
    trainings.loc[0, "value"] = -1
    trainings.loc[3, "qualifier"] = "roughly"
    with pytest.raises(um.ValidationError) as info:
        um.gender_breakdown(backend(trainings))
    failures = info.value.failures
    assert info.value.table == "trainings"
    assert list(failures.columns) == [
        "table",
        "column",
        "row",
        "id",
        "value",
        "check",
        "rule",
        "message",
    ]
    assert {"TRN-05a", "TRN-62a"} <= set(failures["id"])
    assert {"value", "qualifier"} <= set(failures["column"])


def test_pandas_and_polars_report_the_same_failures() -> None:
    trainings = um.load("trainings")
    trainings.loc[1, "female"] = 10_000
    trainings.loc[2, "initiative"] = "NOPE"
    errors = []
    for frame in (trainings, pl.from_pandas(trainings)):
        with pytest.raises(um.ValidationError) as info:
            um.totals_by_year(frame, table="trainings")
        f = info.value.failures
        errors.append(sorted(zip(f["id"], f["check"], f["value"], strict=True)))
    assert errors[0] == errors[1]
    assert len(errors[0]) == 2  # a female count outside its bounds, and an unknown code


def test_polars_validation_reports_missing_columns_and_unreadable_values() -> None:
    frame = pl.from_pandas(um.load("arrests")).drop("period_kind")
    frame = frame.with_columns(pl.col("value").cast(pl.Float64) + 0.5)
    with pytest.raises(um.ValidationError) as info:
        um.totals_by_year(frame, table="arrests")
    f = info.value.failures
    assert "a required column is missing" in set(f["message"])
    assert (f["message"] == "must be a whole number; this one has a fraction").sum() == 4


def test_polars_input_of_other_dtypes_is_coerced() -> None:
    frame = pl.from_pandas(um.load("rescues")).with_columns(
        pl.col("period_start").dt.date(),
        pl.col("period_end").dt.date(),
        pl.col("value").cast(pl.Int32),
    )
    out = um.totals_by_year(frame, table="rescues")
    assert isinstance(out, pl.DataFrame)
    assert out["total"].to_list() == [18, 124, 85]


def test_arguments_are_checked() -> None:
    trainings = um.load("trainings")
    with pytest.raises(ValueError, match="unknown must be one of"):
        um.gender_breakdown(trainings, unknown="guess")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="counts by sex"):
        um.gender_breakdown(um.load("arrests"), table="arrests")
    with pytest.raises(ValueError, match="within must be a pair"):
        um.gender_breakdown(trainings, within="2021")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="does not have"):
        um.gender_breakdown(trainings, by="region")
    with pytest.raises(ValueError, match="figure table"):
        um.totals_by_year(um.load("parties"), table="parties")
    with pytest.raises(TypeError, match="pandas or polars DataFrame"):
        um.gender_breakdown(trainings.to_dict())  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="DuckDB relation"):
        um.totals_by_year([1, 2], table="trainings")  # type: ignore[call-overload]


def test_returns_the_callers_kind(backend: Convert) -> None:
    frame = backend(um.load("trainings"))
    kind = type(frame)
    assert isinstance(um.gender_breakdown(frame), kind)
    assert isinstance(um.trainees_per_initiative(frame), kind)
    result, excluded = um.totals_by_year(frame, table="trainings", return_excluded=True)
    assert isinstance(result, kind) and isinstance(excluded, kind)


def test_pandas_output_uses_nullable_dtypes() -> None:
    out = um.gender_breakdown(um.load("trainings"), by="initiative", unknown="bounds")
    assert str(out["total"].dtype) == "Int64"
    assert str(out["female_share"].dtype) == "Float64"
    assert str(out["estimate"].dtype) == "boolean"
    assert out["initiative"].dtype == um.load("trainings")["initiative"].dtype


def test_one_row_over_everything_even_when_nothing_is_summed() -> None:
    trainings = um.load("trainings")
    parent = trainings.iloc[[0]].copy()
    child = parent.copy()
    child["id"], child["part_of"], child["value"] = "TRN-05z", "TRN-05a", 10
    child[["value_low", "value_high", "female", "female_low", "female_high"]] = 10
    child[["male", "unknown_sex"]] = pd.NA
    child["flags"] = pd.NA
    frame = pd.concat([parent, child], ignore_index=True)
    rows = records(um.gender_breakdown(frame, by="part_of"))
    assert [(r["part_of"], r["rows"], r["total"], r["rows_excluded"]) for r in rows] == [
        ("TRN-05a", 0, None, 1),  # nothing of its own is summed: missing, not zero
        (None, 1, 2776, 0),
    ]
    everything = records(um.gender_breakdown(frame))
    assert len(everything) == 1 and everything[0]["total"] == 2776


# --- property-based tests ------------------------------------------------------------------------

COLUMNS = list(um.load("trainings").columns)
DTYPES = um.load("trainings").dtypes.to_dict()
INITIATIVES = [None, "GPTIP", "GLO.ACT", "TRACK4TIP"]
YEARS = st.integers(2018, 2023)


@st.composite
def periods(draw: st.DrawFn, kind: str) -> tuple[dt.date | None, dt.date | None]:
    def day(year: int | None = None) -> dt.date:
        if year is None:
            return draw(st.dates(dt.date(2018, 1, 1), dt.date(2023, 12, 31)))
        return draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)))

    if kind == "calendar_year":
        year = draw(YEARS)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == "part_of_year":
        year = draw(YEARS)
        start, end = sorted([day(year), day(year)])
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            end = dt.date(year, 12, 30)
        return start, end
    if kind in ("date_range", "stock"):
        start = day()
        return start, start + dt.timedelta(days=draw(st.integers(0, 900)))
    if kind == "cumulative":
        until = day()
        return draw(st.none() | st.dates(dt.date(2015, 1, 1), until)), until
    first = draw(st.none() | st.dates(dt.date(2018, 1, 1), dt.date(2023, 12, 31)))
    last = draw(st.none() | st.dates(dt.date(2018, 1, 1), dt.date(2023, 12, 31)))
    if first is not None and last is not None and first > last:
        first, last = last, first
    return first, last


def rounding_interval(total: int, percent: int) -> tuple[int, int]:
    """The fewest and the most of ``total`` persons whose share ``100 k / total`` is within half
    a point of the whole ``percent`` (a tie may round either way), by trying every count, in
    exact integers: an oracle independent of the package's formula. Empty (low > high) when
    no count gives that share."""
    fits = [k for k in range(total + 1) if abs(200 * k - 2 * percent * total) <= total]
    return (min(fits), max(fits)) if fits else (1, 0)


@st.composite
def sex_counts(draw: st.DrawFn, value: int) -> dict[str, Any]:
    """Sex columns that a row of ``value`` persons can state; their parts never exceed it."""
    none: dict[str, Any] = dict.fromkeys(
        [
            "female",
            "male",
            "other_sex",
            "unknown_sex",
            "female_percent",
            "female_low",
            "female_high",
        ]
    )
    none["sex_split_derived"] = False
    mode = draw(st.sampled_from(["none", "stated", "derived"]))
    if mode == "derived":
        percent = draw(st.integers(0, 100))
        low, high = rounding_interval(value, percent) if value else (1, 0)
        if low <= high:
            female = draw(st.integers(low, high))
            male = draw(st.none() | st.integers(0, value - high))
            return {
                **none,
                "female": female,
                "male": male,
                "female_percent": float(percent),
                "female_low": low,
                "female_high": high,
                "sex_split_derived": True,
            }
        mode = "stated"
    if mode == "none":
        return none
    out = dict(none)
    budget = value
    for column in ("female", "male", "other_sex", "unknown_sex"):
        count = draw(st.none() | st.integers(0, budget))
        out[column] = count
        budget -= count or 0
    out["female_low"] = out["female_high"] = out["female"]
    return out


@st.composite
def trainings_frames(draw: st.DrawFn, max_rows: int = 8) -> pd.DataFrame:
    """Valid frames in the shape of the trainings table, with nesting, periods and qualifiers."""
    n = draw(st.integers(1, max_rows))
    rows: list[dict[str, Any]] = []
    room: dict[str, float] = {}  # what the parts of a row may still add up to
    for i in range(n):
        parent = None
        parents = [r["id"] for r in rows if room[r["id"]] >= 0]
        nest = draw(st.booleans())
        if parents and nest:
            parent = draw(st.sampled_from(parents))
        if parent is None:
            qualifier = draw(st.sampled_from(QUALIFIERS))
            value = draw(st.integers(0, 3000))
        else:
            qualifier = "exact"
            value = draw(st.integers(0, int(min(room[parent], 3000))))
            room[parent] -= value
        low, high = {
            "exact": (value, value),
            "at_least": (value, None),
            "more_than": (value + 1, None),
            "over": (value + 1, None),
        }.get(qualifier, (None, None))
        if qualifier == "approximately":
            low = draw(st.integers(0, value))
            high = value + draw(st.integers(0, 100))
        kind = draw(st.sampled_from(um.schemas.PERIOD_KINDS))
        start, end = draw(periods(kind))
        row: dict[str, Any] = {
            "id": f"T-{i:02d}",
            "paragraph": draw(st.integers(1, 90)),
            "phrase": "a phrase",
            "description": "persons trained",
            "measure": "persons_trained",
            "value": value,
            "qualifier": qualifier,
            "value_low": low,
            "value_high": high,
            "initiative": draw(st.sampled_from(INITIATIVES)),
            "country": None,
            "area": None,
            "period_kind": kind,
            "period_start": start,
            "period_end": end,
            "period_text": None,
            "part_of": parent,
            "inferred": None,
            "inferred_reason": None,
            "flags": draw(st.sampled_from([None, "parts_short_of_total"])),
            "note": None,
            **draw(sex_counts(value)),
        }
        room[row["id"]] = math.inf if high is None else float(high)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # The schema's dtypes; each function under test validates the frame itself.
    return frame.astype(DTYPES)


@SETTINGS
@given(trainings_frames())
def test_generated_frames_are_valid(frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(um.validate(frame, table="trainings"), frame)


def counted(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that a breakdown by sex sums: every row that is not part of another."""
    return frame[frame["part_of"].isna()]


def basis_of(frame: pd.DataFrame) -> pd.Series:
    """Each row's basis: ``cumulative`` and ``stock`` figures are never added to a period's."""
    kinds = {"cumulative": "cumulative", "stock": "stock"}
    return frame["period_kind"].astype(object).map(kinds).fillna("period")


def per_basis(frame: pd.DataFrame, **kwargs: Any) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    """The counted rows of each basis, with the output row of ``gender_breakdown`` over them
    (one row per basis when ``by`` is None); every counted row is in exactly one."""
    top = counted(frame)
    basis = basis_of(top)
    out = []
    for row in records(um.gender_breakdown(frame, **kwargs)):
        same = top[basis == row["basis"]]
        assert row["rows"] == len(same)
        if len(same):
            out.append((same, row))
    assert sum(len(rows) for rows, _ in out) == len(top)
    return out


def point(rows: pd.DataFrame, frame: pd.DataFrame) -> int:
    """The sum of the rows' point totals: each row's ``value``, or its smallest admissible
    total where the value itself is not admissible: "more than 35" is at least 36, and "at
    least 0" with a part of 1 is at least 1 (the parts of a whole are rows of ``frame``)."""
    above = rows["qualifier"].isin(["more_than", "over"]).astype(int)
    parts = frame.groupby("part_of")["value"].sum()
    of_parts = rows["id"].map(parts).fillna(0).astype(int)
    return int(pd.concat([rows["value"] + above, of_parts], axis=1).max(axis=1).sum())


def n(value: Any) -> Any:
    """A count, with a missing one (nothing states it) as 0, for sums that promise so."""
    return 0 if value is None else value


@SETTINGS
@given(trainings_frames(), st.sampled_from(MODES))
def test_categories_plus_unreconciled_equal_total(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    for row in records(um.gender_breakdown(frame, by="initiative", unknown=unknown)):
        if not row["rows"]:  # a group of parts only: nothing summed, nothing to check
            assert row["total"] is None and row["female"] is None
            continue
        parts = n(row["female"]) + n(row["male"]) + n(row["other"]) + row["unknown"]
        assert parts + row["unreconciled"] == pytest.approx(row["total"])
        if unknown == "separate":
            for name in ("female", "male", "other"):
                assert (row[name] is None) == (row[f"{name}_status"] == "missing")
    for rows, row in per_basis(frame, unknown=unknown):
        assert row["total"] == point(rows, frame)


@SETTINGS
@given(trainings_frames(), st.sampled_from(MODES))
def test_shares_lie_in_0_1_and_add_up_as_promised(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    shares = ["female_share", "male_share", "other_share", "unknown_share"]
    for row in records(um.gender_breakdown(frame, by="initiative", unknown=unknown)):
        if not row["rows"]:
            continue
        values = [row[s] for s in shares if row[s] is not None]
        assert all(0 <= v <= 1 + 1e-12 for v in values)
        total, known = row["total"], n(row["female"]) + n(row["male"]) + n(row["other"])
        if values:
            denominator = known if unknown == "known_only" else total
            assert row["share_denominator"] == pytest.approx(denominator)
        if unknown == "known_only":
            assert row["unknown_share"] is None
            if known:
                assert sum(values) == pytest.approx(1)
            else:
                assert values == []
        elif unknown == "proportional" and row["unknown"] and not known:
            assert values == []  # nothing to allocate by
        elif total:
            assert sum(values) + row["unreconciled"] / total == pytest.approx(1)
        if unknown == "bounds" and total:
            for sex in ("female", "male"):
                low, high = row[f"{sex}_share_low"], row[f"{sex}_share_high"]
                assert 0 <= low <= high <= 1 + 1e-12
                if row[f"{sex}_share"] is not None and row["qualifier"] == "exact":
                    assert low - 1e-12 <= row[f"{sex}_share"] <= high + 1e-12


@SETTINGS
@given(trainings_frames())
def test_bounds_contain_the_point_estimates(frame: pd.DataFrame) -> None:
    # The bounds themselves are checked against a brute-force oracle in test_bounds.py.
    for top, row in per_basis(frame):
        if row["female"] is not None:
            assert row["female_low"] <= row["female"] <= row["female_high"]
        else:
            assert row["female_low"] is None and row["female_status"] == "missing"
        assert row["total_low"] >= int(top["value_low"].sum())
        if top["value_high"].isna().any():
            assert row["total_high"] is None
            assert row["qualifier"] == "at_least"
        else:
            assert row["total_low"] <= row["total_high"] == int(top["value_high"].sum())
        exact = bool((top["qualifier"] == "exact").all())
        assert (row["qualifier"] == "exact") == exact
        if exact:
            assert row["total_low"] == row["total"] == row["total_high"]


@SETTINGS
@given(trainings_frames())
def test_rows_without_sex_information_count_as_unknown(frame: pd.DataFrame) -> None:
    sex = ["female", "male", "other_sex", "unknown_sex"]
    # a whole that states no sex takes its parts' (test_a_whole_takes_the_sexes_of_its_parts)
    split_below = frame.loc[frame[sex].notna().any(axis=1), "part_of"].dropna()
    for top, row in per_basis(frame):
        silent = top[top[sex].isna().all(axis=1) & ~top["id"].isin(split_below)]
        assert row["unknown"] >= int(silent["value"].sum())
        if len(silent) == len(top):
            assert row["unknown"] == row["total"]
            assert row["female"] is None and row["male"] is None  # missing, not 0


@SETTINGS
@given(trainings_frames())
def test_derived_counts_contribute_their_rounding_interval(frame: pd.DataFrame) -> None:
    sex = ["female", "male", "other_sex", "unknown_sex"]
    columns = ["female", "female_low", "female_high", "sex_split_derived"]
    # Each whole's own counts of women, or, where it states no count by sex, its parts'.
    parts = frame[frame["part_of"].notna()].astype({"sex_split_derived": int})
    from_parts = parts.groupby("part_of")[columns].sum(min_count=1)
    for top, row in per_basis(frame):
        own = top.set_index("id")
        takes = own[sex].isna().all(axis=1) & own.index.isin(from_parts.index)
        women = own[columns].astype({"sex_split_derived": int}).astype(object)
        women.loc[takes] = from_parts.reindex(own.index[takes]).to_numpy()
        women = women.astype({c: "Int64" for c in columns})
        if women["female"].isna().all():
            assert row["female"] is None and row["female_status"] == "missing"
            continue
        assert row["female"] == int(women["female"].sum())
        if (top["qualifier"] == "exact").all():
            assert row["female_low"] == int(women["female_low"].sum())
            assert row["female_high"] == int(women["female_high"].sum())
        derived = women["sex_split_derived"].fillna(0) > 0
        assert (row["female_status"] == "derived") == bool(derived.any())


@SETTINGS
@given(trainings_frames())
def test_parts_are_never_added_to_their_whole(frame: pd.DataFrame) -> None:
    parts = frame.loc[frame["part_of"].notna(), "id"]
    with_parts, excluded = um.gender_breakdown(frame, return_excluded=True)
    # The parts change only what the whole admits (at least as many persons as its parts,
    # and their sexes where it states none): never its sum.
    for rows, row in per_basis(frame):
        assert row["total"] == point(rows, frame)
    assert sorted(as_pandas(excluded)["id"]) == sorted(parts)
    assert sum(r["rows_excluded"] for r in records(with_parts)) == len(parts)
    per_initiative = records(um.trainees_per_initiative(frame))
    assert sum(r["rows_excluded"] for r in per_initiative) == len(parts)


@SETTINGS
@given(trainings_frames())
def test_a_year_holds_only_rows_whose_whole_period_lies_in_it(frame: pd.DataFrame) -> None:
    rows = records(um.totals_by_year(frame, table="trainings"))
    flows = frame[
        frame["part_of"].isna()
        & ~frame["period_kind"].isin(["cumulative", "stock"])
        & frame["period_start"].notna()
        & frame["period_end"].notna()
    ]
    first, last = flows["period_start"].dt.year, flows["period_end"].dt.year
    expected: dict[str | None, int] = {}
    for (a, b), group in flows.groupby([first, last]):
        expected[str(a) if a == b else f"{a}-{b}"] = point(group, frame)
    got = {r["years"]: r["total"] for r in rows if r["rows"]}
    assert got == expected
    for r in rows:
        if r["year"] is not None:
            assert r["years"] == str(r["year"])
        if r["years"] is None:
            assert r["rows"] == 0 and r["total"] is None  # cumulative, stock, no known period
    assert sum(r["rows"] + r["rows_excluded"] for r in rows) == len(frame)


@SETTINGS
@given(trainings_frames(), st.integers(0, 10_000))
def test_cumulative_and_stock_figures_never_land_in_a_year(frame: pd.DataFrame, new: int) -> None:
    # Change every cumulative or stock figure that has no parts (its parts would no longer
    # fit): no year and no span may change.
    levels = (
        frame["period_kind"].isin(["cumulative", "stock"])
        & frame["part_of"].isna()
        & ~frame["id"].isin(frame["part_of"])
    )
    changed = frame.copy()
    changed.loc[levels, ["value", "value_low", "value_high"]] = new
    changed.loc[levels, "qualifier"] = "exact"
    sex = ["female", "male", "other_sex", "unknown_sex", "female_percent"]
    changed.loc[levels, [*sex, "female_low", "female_high"]] = pd.NA
    changed.loc[levels, "sex_split_derived"] = False
    before = records(um.totals_by_year(frame, table="trainings"))
    after = records(um.totals_by_year(changed, table="trainings"))
    assert [r for r in before if r["years"]] == [r for r in after if r["years"]]


@SETTINGS
@given(trainings_frames())
def test_period_and_to_date_figures_are_kept_apart(frame: pd.DataFrame) -> None:
    top = counted(frame)
    basis = basis_of(top)
    for row in records(um.trainees_per_initiative(frame)):
        # a row without an initiative is its own output row, named by its id
        same = (basis == row["basis"]) & (
            (top["id"] == row["row"])
            if row["initiative"] is None
            else top["initiative"] == row["initiative"]
        )
        assert row["rows"] == int(same.sum())
        if row["rows"]:
            assert row["total"] == point(top.loc[same], frame)
        else:
            assert row["total"] is None and row["rows_excluded"] > 0


@FEWER
@given(trainings_frames(max_rows=5), st.sampled_from(MODES))
def test_input_is_never_mutated(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    snapshot = frame.copy(deep=True)
    polars_frame = pl.from_pandas(frame)
    polars_snapshot = polars_frame.clone()
    for df in (frame, polars_frame):
        um.gender_breakdown(df, by=["initiative", "period_kind"], unknown=unknown)
        um.trainees_per_initiative(df, unknown=unknown)
        um.totals_by_year(df, table="trainings", by="initiative", return_excluded=True)
    pd.testing.assert_frame_equal(frame, snapshot)
    assert polars_frame.equals(polars_snapshot)


@FEWER
@given(trainings_frames(max_rows=6), st.sampled_from(MODES))
def test_pandas_and_polars_give_the_same_numbers(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    polars_frame = pl.from_pandas(frame)
    calls: list[Callable[[Frame], Any]] = [
        lambda df: um.gender_breakdown(df, by="initiative", unknown=unknown, return_excluded=True),
        lambda df: um.trainees_per_initiative(df, unknown=unknown, return_excluded=True),
        lambda df: um.totals_by_year(df, table="trainings", by="initiative", return_excluded=True),
    ]
    for call in calls:
        from_pandas, from_polars = call(frame), call(polars_frame)
        for a, b in zip(from_pandas, from_polars, strict=True):
            assert list(a.columns) == list(b.columns)
            assert records(a) == records(b)
