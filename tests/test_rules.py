"""Each rule of each table, run on every engine: the rows it fails are the ones it should.

Every rule across columns or rows is one object (:mod:`unodc_metrics._rules`) with one
narwhals expression. Here each table gets one frame corrupted by hand, so that each of its
rules fails on rows chosen in advance, and the frame is validated on pandas and polars
(:func:`unodc_metrics.validate`) and inside a polars LazyFrame, DuckDB, Dask and PySpark
(:func:`unodc_metrics._validation.validate_lazy`, which the aggregations call). The rows
each rule fails must be the rows written below, on every engine; the expected rows are
written by hand, never computed by the package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd
import polars as pl
import pytest

import unodc_metrics as um
from unodc_metrics._base.engines import quiet
from unodc_metrics._base.failures import LISTED
from unodc_metrics._rules import rounding_interval
from unodc_metrics._validation import validate_lazy
from unodc_metrics.schemas import rules_of, schema_for

if TYPE_CHECKING:
    from conftest import Engine

Failing = dict[str, set[str]]
"""Rule id to the ids of the rows that fail it."""


def corrupted_trainings() -> pd.DataFrame:
    df = um.load("trainings").set_index("id", drop=False)
    df.loc["TRN-05a", "male"] = 2000  # 1,138 + 2,000 + 919 > 2,776
    df.loc["TRN-05a", "initiative"] = "NOPE"
    df.loc["TRN-06a", "period_kind"] = "stock"  # a stock needs both ends
    df.loc["TRN-06a", "measure"] = "people_fed"
    df.loc["TRN-52a", "value_low"] = 34  # exact, but low is not the value
    df.loc["TRN-52a", "flags"] = "nonexistent_date, bogus"
    df.loc["TRN-52a", "country"] = "XXX"
    df.loc["TRN-62a", "period_end"] = pd.Timestamp("2020-09-30")  # before its start
    df.loc["TRN-62a", "part_of"] = "TRN-99z"  # a part of nothing
    df.loc["TRN-62a", ["inferred", "inferred_reason"]] = ["age, weather", "a guess"]
    df.loc["TRN-68a", "female_high"] = 16  # 24 per cent of 62 allows 15 only
    df.loc["TRN-68a", "part_of"] = "TRN-52a"  # 62 persons within a whole of 35
    return df.reset_index(drop=True)


TRAININGS: Failing = {
    "sexes_within_total": {"TRN-05a"},
    "initiative_known": {"TRN-05a"},
    "period_matches_kind": {"TRN-06a"},
    "measure_known": {"TRN-06a"},
    "bounds_follow_qualifier": {"TRN-52a"},
    "flags_known": {"TRN-52a"},
    "country_is_iso3166": {"TRN-52a"},
    "period_in_order": {"TRN-62a"},
    "part_of_exists": {"TRN-62a"},
    "inference_explained": {"TRN-62a"},
    "female_bounds": {"TRN-68a"},
    "part_within_whole": {"TRN-68a"},
    "parts_within_whole": {"TRN-68a"},
}


def corrupted_rescues() -> pd.DataFrame:
    df = um.load("rescues").set_index("id", drop=False)
    df.loc["RES-05b", ["value", "value_low", "value_high"]] = 50  # 50 + 23 > 63
    df.loc["RES-05d", "status"] = "identified"  # its whole was rescued
    df.loc["RES-07a", "part_of"] = "RES-07a"  # a part of itself, with no breakdown
    df.loc["RES-63a", "breakdown"] = "sex"  # a breakdown, but no whole
    df.loc["RES-76d", ["value", "value_low", "value_high"]] = 90  # 90 > 81, its whole
    return df.reset_index(drop=True)


RESCUES: Failing = {
    **{rule: set() for rule in TRAININGS if rule not in ("sexes_within_total", "female_bounds")},
    "parts_within_whole": {"RES-05b", "RES-05c", "RES-76c", "RES-76d"},
    "part_within_whole": {"RES-76d"},
    "part_of_exists": {"RES-07a"},
    "breakdown_refines_whole": {"RES-05d", "RES-07a", "RES-63a"},
}
"""The rules that every figure table shares pass here: the corruptions are of nesting."""

CASES: dict[str, tuple[Callable[[], pd.DataFrame], Failing]] = {
    "trainings": (corrupted_trainings, TRAININGS),
    "rescues": (corrupted_rescues, RESCUES),
}
RULES = [(table, rule.id) for table in CASES for rule in rules_of(schema_for(table))]
_found: dict[tuple[str, str], pd.DataFrame] = {}


def failures_on(engine: str, table: str, native: Callable[[pd.DataFrame], Any]) -> pd.DataFrame:
    """The failures of the table's corrupted frame on an engine, validated once per run."""
    if (engine, table) not in _found:
        df = CASES[table][0]()
        with pytest.raises(um.ValidationError) as info:
            if engine in ("pandas", "polars"):
                um.validate(native(df), table=table)
            else:
                with quiet():  # narwhals warns about its Dask support on every Dask frame
                    validate_lazy(nw.from_native(native(df)), table)
        _found[engine, table] = info.value.failures
    return _found[engine, table]


EAGER: dict[str, Callable[[pd.DataFrame], Any]] = {
    "pandas": lambda df: df,
    "polars": pl.from_pandas,
}


def failing(failures: pd.DataFrame) -> Failing:
    out: Failing = {}
    for rule, id_ in zip(failures["rule"], failures["id"], strict=True):
        out.setdefault(str(rule), set()).add(str(id_))
    return out


def test_every_rule_has_a_case() -> None:
    for table, (_, expected) in CASES.items():
        assert {rule.id for rule in rules_of(schema_for(table))} == set(expected)


@pytest.mark.parametrize(("table", "rule"), RULES)
@pytest.mark.parametrize("eager", EAGER)
def test_each_rule_fails_the_rows_it_should_on_pandas_and_polars(
    eager: str, table: str, rule: str
) -> None:
    got = failing(failures_on(eager, table, EAGER[eager]))
    assert got.get(rule, set()) == CASES[table][1][rule]


@pytest.mark.parametrize(("table", "rule"), RULES)
def test_each_rule_fails_the_rows_it_should_in_each_lazy_engine(
    engine: Engine, table: str, rule: str
) -> None:
    got = failing(failures_on(engine.name, table, engine.native))
    assert got.get(rule, set()) == CASES[table][1][rule]


@pytest.mark.parametrize("table", CASES)
def test_every_engine_reports_what_pandas_reports(engine: Engine, table: str) -> None:
    """Column checks included: the same (id, rule, column, value), and the same messages."""

    def facts(failures: pd.DataFrame) -> set[tuple[str, ...]]:
        columns = ["id", "rule", "column", "value", "message"]
        return {tuple(map(str, row)) for row in failures[columns].itertuples(index=False)}

    on_pandas = failures_on("pandas", table, EAGER["pandas"])
    assert facts(failures_on(engine.name, table, engine.native)) == facts(on_pandas)


# --------------------------------------------------------------------------------------
# What engines do alike, and where they differ from an eager frame
# --------------------------------------------------------------------------------------

FAST = pytest.mark.parametrize("engine", ["polars_lazy", "duckdb"], indirect=True)


@FAST
def test_a_lazy_engine_lists_the_first_rows_of_a_rule_and_counts_them_all(
    engine: Engine,
) -> None:
    base = um.load("arrests")
    df = pd.concat([base.assign(id=base["id"] + f"-{k:02d}") for k in range(10)], ignore_index=True)
    df["value"] = -df["value"]
    with pytest.raises(um.ValidationError) as info:
        validate_lazy(nw.from_native(engine.native(df)), "arrests")
    got = info.value.failures
    assert got["row"].isna().all()  # engines have no row positions
    negative = got[got["rule"] == "greater_than_or_equal_to"]
    assert len(negative) == LISTED == 20
    assert negative["message"].unique().tolist() == [
        "must be at least 0 (40 rows fail this rule; the first 20 are listed)"
    ]
    bounds = got[got["rule"] == "bounds_follow_qualifier"]
    assert bounds["id"].tolist() == sorted(df["id"])[:20]


@FAST
def test_wrong_dtypes_are_named_and_their_rules_not_run(engine: Engine) -> None:
    df = um.load("trainings")
    df["value"] = df["value"].astype(str)
    df["period_end"] = df["period_end"].dt.strftime("%Y-%m-%d")
    df["extra"] = 1
    with pytest.raises(um.ValidationError) as info:
        validate_lazy(nw.from_native(engine.native(df)), "trainings")
    got = info.value.failures
    named = set(zip(got["column"], got["rule"], got["value"], strict=True))
    assert {("value", "dtype", "String"), ("period_end", "dtype", "String")} <= named
    assert ("extra", "column_in_schema", "<missing>") in named
    not_checked = set(got.loc[got["value"] == "<not checked>", "rule"])
    # The rules that read value or period_end; the others ran, and passed.
    assert not_checked == {
        "bounds_follow_qualifier",
        "period_in_order",
        "period_matches_kind",
        "female_bounds",
    }


LISTS = [
    ("nonexistent_date", True),
    ("nonexistent_date,parts_short_of_total", True),
    (" nonexistent_date ,  outside_reporting_period ", True),
    ("nonexistent_date,,parts_short_of_total,", True),
    ("", True),
    (" , ", True),
    ("nonexistent_date,bogus", False),
    ("nonexistent_dates", False),
    ("nonexistent_date parts_short_of_total", False),
    ("Nonexistent_date", False),
    ("xnonexistent_date", False),
]


@FAST
def test_lists_of_flags_are_read_alike_on_every_engine(engine: Engine) -> None:
    df = um.load("arrests").head(1)
    df = pd.concat([df] * len(LISTS), ignore_index=True)
    df["id"] = [f"ARR-{i:02d}" for i in range(len(LISTS))]
    df["flags"] = pd.array([text for text, _ in LISTS], dtype="string")
    expected = {f"ARR-{i:02d}" for i, (_, ok) in enumerate(LISTS) if not ok}
    for run in (
        lambda: um.validate(df, table="arrests"),
        lambda: validate_lazy(nw.from_native(engine.native(df)), "arrests"),
    ):
        with pytest.raises(um.ValidationError) as info:
            run()
        assert failing(info.value.failures) == {"flags_known": expected}


def counts_that_round_to(total: int, percent: int) -> tuple[int, int] | None:
    """Every count of ``total`` whose share is within half a point of ``percent``, tried one
    by one in exact integers; None where there is none."""
    fits = [k for k in range(total + 1) if abs(200 * k - 2 * percent * total) <= total]
    return (min(fits), max(fits)) if fits else None


@FAST
def test_the_rounding_interval_is_the_same_on_every_engine(engine: Engine) -> None:
    grid = [(n, p) for n in (1, 7, 10, 62, 199, 200, 2776) for p in (0, 1, 24, 50, 99, 100)]
    df = pd.DataFrame({"n": [n for n, _ in grid], "p": [p for _, p in grid]})
    low, high = rounding_interval(nw.col("n"), nw.col("p"), 1)
    out = nw.from_native(engine.native(df)).select(low.alias("low"), high.alias("high"))
    got = [None if lo > hi else (lo, hi) for lo, hi in out.collect().rows()]
    assert got == [counts_that_round_to(n, p) for n, p in grid]
