"""The schemas reject corrupted frames, and say where and why."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unodc_metrics as um

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLES = st.sampled_from(um.FIGURE_TABLES)


def corrupt(table: str, row: int, column: str, value: Any) -> tuple[pd.DataFrame, int]:
    df = um.load(table)
    row = row % len(df)
    df[column] = df[column].astype(object)
    df.at[row, column] = value
    return df, row


def failures_of(df: pd.DataFrame, table: str) -> pd.DataFrame:
    snapshot = df.copy(deep=True)
    with pytest.raises(um.ValidationError) as info:
        um.validate(df, table=table)
    pd.testing.assert_frame_equal(df, snapshot)  # the caller's frame is untouched
    err = info.value
    assert err.table == table
    assert f"table {table!r}" in str(err)
    assert list(err.failures.columns) == [
        "table",
        "column",
        "row",
        "id",
        "value",
        "check",
        "rule",
        "message",
    ]
    return err.failures


@SETTINGS
@given(TABLES, st.integers(0, 50), st.integers(-(10**6), -1))
def test_negative_counts_are_rejected(table: str, row: int, negative: int) -> None:
    df, row = corrupt(table, row, "value", negative)
    f = failures_of(df, table)
    hit = f[(f["column"] == "value") & (f["row"] == row)]
    assert not hit.empty
    assert hit["value"].iloc[0] == str(negative)
    assert hit["id"].iloc[0] == df.at[row, "id"]
    assert "at least 0" in hit["message"].iloc[0]


@SETTINGS
@given(st.integers(0, 50), st.integers(1, 10**5))
def test_sex_parts_above_the_total_are_rejected(row: int, excess: int) -> None:
    df = um.load("trainings")
    row = row % len(df)
    too_many = int(df["value"].iloc[row]) + excess
    for col in ("female", "female_low", "female_high"):
        df.at[row, col] = too_many
    df.at[row, "sex_split_derived"] = False
    df.at[row, "female_percent"] = pd.NA
    f = failures_of(df, "trainings")
    assert any("must not exceed value_high" in m for m in f.loc[f["row"] == row, "message"])


def test_a_shortfall_of_parts_is_allowed_and_computable() -> None:
    df = um.load("trainings").set_index("id")
    row = df.loc["TRN-05a"]
    shortfall = row["value"] - row[["female", "male", "other_sex", "unknown_sex"]].fillna(0).sum()
    assert shortfall == 4


@SETTINGS
@given(
    st.sampled_from(["RES-05b", "RES-05c", "RES-05d", "RES-76c", "RES-76d"]), st.integers(1, 500)
)
def test_nested_parts_above_their_whole_are_rejected(part: str, excess: int) -> None:
    df = um.load("rescues")
    i = df.index[df["id"] == part][0]
    parent = df.loc[df["id"] == df.at[i, "part_of"], "value"].iloc[0]
    for col in ("value", "value_low", "value_high"):
        df.at[i, col] = parent + excess
    f = failures_of(df, "rescues")
    assert "part_of, value_low" in set(f.loc[f["row"] == i, "column"])


@SETTINGS
@given(TABLES, st.integers(0, 50), st.integers(1, 4000))
def test_reversed_periods_are_rejected(table: str, row: int, days: int) -> None:
    df = um.load(table)
    dated = df.index[df["period_start"].notna() & df["period_end"].notna()]
    if dated.empty:
        return
    i = dated[row % len(dated)]
    df.loc[i, "period_start"] = df["period_end"].loc[i] + pd.Timedelta(days=days)
    f = failures_of(df, table)
    assert "period_start must not be after period_end" in set(f.loc[f["row"] == i, "message"])


CODE_COLUMNS = st.sampled_from(
    ["initiative", "country", "qualifier", "measure", "period_kind", "part_of", "flags", "inferred"]
)


@SETTINGS
@given(TABLES, st.integers(0, 50), CODE_COLUMNS, st.text(alphabet="QXZJ", min_size=3, max_size=3))
def test_unknown_codes_are_rejected(table: str, row: int, column: str, code: str) -> None:
    df, row = corrupt(table, row, column, code)
    if column == "inferred":
        df.at[row, "inferred_reason"] = "a reason"
    f = failures_of(df, table)
    assert f.loc[f["row"] == row, "column"].str.contains(column).any(), f


@SETTINGS
@given(TABLES, st.integers(0, 50), st.sampled_from(["at_least", "more_than", "over"]))
def test_bounds_must_follow_the_qualifier(table: str, row: int, qualifier: str) -> None:
    df = um.load(table)
    row = row % len(df)
    if df.at[row, "qualifier"] != "exact":
        return
    df.at[row, "qualifier"] = qualifier  # keeps value_high: a qualified figure is unbounded
    f = failures_of(df, table)
    assert f.loc[f["row"] == row, "message"].str.contains("the bounds must follow").any()


@pytest.mark.parametrize("table", um.FIGURE_TABLES)
def test_missing_and_extra_columns_are_named(table: str) -> None:
    df = um.load(table).drop(columns=["phrase"]).assign(colour="red")
    f = failures_of(df, table)
    named = dict(zip(f["column"], f["message"], strict=False))
    assert "a required column is missing" in named["phrase"]
    assert "not part of the table" in named["colour"]


def test_text_in_a_count_column_is_reported_with_its_value() -> None:
    df, _ = corrupt("arrests", 1, "value", "six")
    f = failures_of(df, "arrests")
    hit = f[(f["column"] == "value") & (f["value"] == "six")]
    assert not hit.empty
    assert hit["message"].iloc[0] == "must be a whole number"


def test_duplicate_ids_are_rejected() -> None:
    df = um.load("arrests")
    df.loc[1, "id"] = df["id"].iloc[0]
    f = failures_of(df, "arrests")
    assert (f["column"] == "id").any()


def test_derived_female_count_must_match_the_percentage() -> None:
    df = um.load("trainings")
    i = df.index[df["id"] == "TRN-68a"][0]
    df.at[i, "female_high"] = 20  # 24 per cent of 62 allows 15 only
    f = failures_of(df, "trainings")
    assert f.loc[f["row"] == i, "check"].str.contains("rounding allows").any()


def test_error_message_reads_without_pandera_knowledge() -> None:
    df, _ = corrupt("arrests", 0, "value", -3)
    with pytest.raises(um.ValidationError) as info:
        um.validate(df, table="arrests")
    text = str(info.value)
    assert text.startswith("table 'arrests': 2 problems found")
    assert "row 0 (id ARR-05a), column 'value', value -3: must be at least 0" in text
    assert "pandera" not in text.lower() and "SchemaError" not in text


def test_many_failures_are_summarised() -> None:
    df = um.load("parties")
    df["iso3"] = "xx"
    with pytest.raises(um.ValidationError) as info:
        um.validate(df, table="parties")
    assert "... and" in str(info.value)
    f = info.value.failures
    # Bounded: the first 20 of each rule are listed, and each says how many fail.
    assert f.groupby("rule").size().max() <= 20
    assert f["message"].str.contains(f"{len(df)} rows fail this rule").any()
    with pytest.raises(um.ValidationError) as info:
        um.validate(df, table="parties", max_failures=0)
    assert len(info.value.failures) >= len(df)


def test_unreadable_values_are_named_once_by_row() -> None:
    df, _ = corrupt("trainings", 0, "value", 35.7)
    f = failures_of(df, "trainings")
    hit = f[(f["column"] == "value") & (f["row"] == 0)]
    assert list(hit["value"]) == ["35.7"]
    assert hit["message"].iloc[0] == "must be a whole number; this one has a fraction"
    df, _ = corrupt("trainings", 1, "period_end", "sometime in 2021")
    f = failures_of(df, "trainings")
    assert not f["check"].str.startswith("dtype(").any()  # not reported twice
    assert not f["value"].str.contains("Error\\(").any()  # no raw exceptions as values


def test_an_id_index_gets_a_hint() -> None:
    f = failures_of(um.load("arrests").set_index("id"), "arrests")
    assert f["message"].str.contains("call reset_index").any()


def test_gender_breakdown_names_the_shapes_it_takes() -> None:
    # the rescues table is taken: its counts by sex are its nested rows split by sex
    out = um.gender_breakdown(um.load("rescues"), by="paragraph").set_index("paragraph")
    assert (out.loc[76, "female"], out.loc[76, "male"], out.loc[76, "total"]) == (57, 24, 124)
    with pytest.raises(ValueError, match=r"takes the trainings table .*, the rescues table"):
        um.gender_breakdown(pd.DataFrame({"sex": ["female"], "value": [1]}))
