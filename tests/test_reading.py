"""One reading of values: pandas, polars and a plain-Python oracle accept and reject the same
cells, with the same reasons in words; failures are bounded; column order does not matter."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import unodc_metrics as um


def failures(frame: Any, table: str = "trainings", **kwargs: Any) -> pd.DataFrame:
    with pytest.raises(um.ValidationError) as info:
        um.validate(frame, table, **kwargs)
    return info.value.failures


def both(df: pd.DataFrame, table: str = "trainings") -> list[pd.DataFrame]:
    """The failures of one frame, given as pandas and as polars."""
    return [failures(df, table), failures(pl.from_pandas(df), table)]


def as_text_column(df: pd.DataFrame, column: str, values: list[Any]) -> pd.DataFrame:
    out = df.copy()
    out[column] = pd.Series(values, dtype=object)
    return out


def test_day_first_dates_are_refused_alike_on_pandas_and_polars() -> None:
    trainings = um.load("trainings")
    written = trainings["period_start"].dt.strftime("%d/%m/%Y")
    df = as_text_column(trainings, "period_start", written.tolist())
    for f in both(df):
        hit = f[f["column"] == "period_start"]
        assert hit["rule"].eq("read_date").all()
        assert hit["message"].eq("must be a date written YYYY-MM-DD").all()
        assert hit["value"].tolist() == written.dropna().tolist()
        assert hit["row"].tolist() == written.dropna().index.tolist()


def test_a_day_that_does_not_exist_is_named() -> None:
    trainings = um.load("trainings")
    values = trainings["period_end"].dt.strftime("%Y-%m-%d").tolist()
    values[0] = "2021-02-30"
    for f in both(as_text_column(trainings, "period_end", values)):
        assert f.loc[f["column"] == "period_end", "message"].tolist() == [
            "not a date: 30 February 2021"
        ]


def test_table_schema_booleans_are_read_and_others_refused() -> None:
    trainings = um.load("trainings")
    words = trainings["sex_split_derived"].map({True: "true", False: "False"}).tolist()
    df = as_text_column(trainings, "sex_split_derived", words)
    for frame in (df, pl.from_pandas(df)):
        out = um.validate(frame, "trainings")
        assert list(out["sex_split_derived"]) == list(trainings["sex_split_derived"])
    words[0] = "yes"
    for f in both(as_text_column(trainings, "sex_split_derived", words)):
        assert f["rule"].tolist() == ["read_boolean"]
        assert f["message"].iloc[0].startswith("must be true or false")


def test_nan_in_a_count_column_is_missing_on_every_entry_point() -> None:
    trainings = um.load("trainings")
    df = trainings.assign(male=trainings["male"].astype("float64"))
    assert df["male"].isna().any()
    native = pl.DataFrame({"male": df["male"].to_numpy()}, nan_to_null=False)
    assert native["male"].is_nan().any()  # polars keeps NaN apart from null
    polars = pl.from_pandas(df).with_columns(native["male"])
    for frame in (df, polars):
        out = um.validate(frame, "trainings")
        assert list(pd.Series(out["male"]).isna()) == list(trainings["male"].isna())


def test_a_count_too_large_for_int64_is_a_failure_not_a_traceback() -> None:
    arrests = um.load("arrests")
    df = as_text_column(arrests, "value", [10**20, *arrests["value"].tolist()[1:]])
    polars = pl.from_pandas(df.assign(value=df["value"].astype(str)))
    for f in (failures(df, "arrests"), failures(polars, "arrests")):
        hit = f[f["column"] == "value"]
        assert hit["rule"].tolist() == ["read_integer"]
        assert "too large" in hit["message"].iloc[0]


def test_columns_in_another_order_validate_and_come_back_in_order() -> None:
    trainings = um.load("trainings")
    shuffled = trainings[list(reversed(trainings.columns))]
    for frame in (shuffled, pl.from_pandas(shuffled), pl.from_pandas(shuffled).lazy()):
        out = um.gender_breakdown(frame, by="initiative")
        out = out.collect() if isinstance(out, pl.LazyFrame) else out
        assert len(out) == len(um.gender_breakdown(trainings, by="initiative"))
    assert list(um.validate(shuffled, "trainings").columns) == list(trainings.columns)


def test_a_missing_and_an_extra_column_are_each_named_once() -> None:
    trainings = um.load("trainings").drop(columns="note").assign(extra=1)
    f = failures(trainings[list(reversed(trainings.columns))])
    assert sorted(f["column"].tolist()) == ["extra", "note"]


def test_failures_are_bounded_and_counted() -> None:
    big = pd.concat([um.load("arrests")] * 250, ignore_index=True)
    big["id"] = [f"A{i}" for i in range(len(big))]
    big["country"] = "col"  # every row fails the ISO rule
    big["value"] = big["value"].astype(object)
    big.loc[::2, "value"] = "many"  # half the rows cannot be read
    for frame in (big, pl.from_pandas(big.astype({"value": str}))):
        f = failures(frame, "arrests")
        assert f.groupby("rule").size().max() == 20
        messages = f.groupby("rule")["message"].first()
        assert f"({len(big):,} rows fail this rule" in messages["country_is_iso3166"]
        assert f"({len(big) // 2:,} rows fail this rule" in messages["read_integer"]
    assert len(failures(big, "arrests", max_failures=5)) <= 5 * f["rule"].nunique()
    assert (failures(big, "arrests", max_failures=0)["rule"] == "country_is_iso3166").sum() == len(
        big
    )
    with pytest.raises(ValueError, match="max_failures"):
        um.validate(big, "arrests", max_failures=-1)


# The oracle: the documented reading, in plain Python, one cell at a time.
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")


def oracle(kind: str, cell: str | None) -> tuple[bool, Any]:
    """Whether a text cell is read, and as what."""
    if cell is None or cell.strip() == "":
        return True, None
    text = cell.strip()
    if kind == "integer":
        whole = re.fullmatch(r"([+-]?\d+)(\.0*)?", text)
        ok = whole is not None and -(2**63) <= int(whole.group(1)) < 2**63
        return ok, int(whole.group(1)) if whole and ok else None
    if kind == "boolean":
        ok = text in TRUE + FALSE
        return ok, (text in TRUE) if ok else None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        return False, None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return False, None
    return dt.date(1677, 9, 22) <= day <= dt.date(2262, 4, 11), day


CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "7", "+7", "-0", " 12 ", "1.5", "1e3", "x", "2021-02-28", "4.0"]),
    st.sampled_from(["2021-02-29", "2020-02-29", "2021-13-01", "01/02/2021", "2021-1-5"]),
    st.sampled_from([*TRUE, *FALSE, "yes", "no", "T", "9223372036854775807"]),
    st.sampled_from(["9223372036854775808", "0001-01-01", "2262-04-12", "2021-06-01"]),
    st.integers(min_value=0, max_value=10**21).map(str),
    st.dates().map(str),
)
COLUMNS = {"integer": "female", "boolean": "sex_split_derived", "date": "period_end"}


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(sorted(COLUMNS)), cells=st.lists(CELLS, min_size=5, max_size=5))
def test_pandas_polars_and_the_oracle_read_text_cells_alike(
    kind: str, cells: list[str | None]
) -> None:
    from unodc_metrics._validation._read import read_array, to_arrow

    expected = [oracle(kind, c) for c in cells]
    for values in (pd.Series(cells, dtype=object), pl.Series(cells, dtype=pl.String)):
        reading = read_array(to_arrow(values), kind)
        assert reading.bad.tolist() == [i for i, (ok, _) in enumerate(expected) if not ok]
        got = reading.values.to_pylist()
        for (ok, value), read in zip(expected, got, strict=True):
            read = read.date() if isinstance(read, dt.datetime) else read
            assert read == (value if ok else None)


def test_the_frames_agree_with_the_reading_on_a_whole_table() -> None:
    """The same cells, in a frame: pandas and polars name the same rows."""
    trainings = um.load("trainings")
    cells = ["2021-01-31", "31/01/2021", "2021-02-30", None, "2021-9-1"]
    df = as_text_column(trainings, "period_end", cells)
    pandas_rows, polars_rows = (f.loc[f["rule"] == "read_date", "row"].tolist() for f in both(df))
    assert pandas_rows == polars_rows == [1, 2, 4]


def test_the_caller_frame_is_not_changed() -> None:
    trainings = um.load("trainings")
    df = as_text_column(trainings, "sex_split_derived", ["true"] * len(trainings))
    before = df.copy(deep=True)
    with pytest.raises(um.ValidationError):
        um.validate(df.assign(value=np.arange(len(df)) - 10), "trainings")
    pd.testing.assert_frame_equal(df, before)
