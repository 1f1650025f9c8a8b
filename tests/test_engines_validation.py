"""validate_lazy checks a figure table inside polars, DuckDB, Dask and PySpark as pandas does.

Each engine gets the curated tables (which must pass) and corrupted copies of them (which
must fail on the same rows and rules as :func:`unodc_metrics.validate` finds on pandas).
Spark starts slowly, so its tests are few; the engines are conftest's ``engine`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

import unodc_metrics as um
from unodc_metrics import _engines
from unodc_metrics._engines import LISTED, validate_lazy
from unodc_metrics._tables import FIGURE_TABLES, _schema

if TYPE_CHECKING:
    from conftest import Engine

Failures = set[tuple[str, str]]
"""(id, check) pairs."""

FAST = pytest.mark.parametrize("engine", ["polars_lazy", "duckdb"], indirect=True)
"""For the tests that need no Spark or Dask: the conftest ``engine`` fixture, on two engines."""


@pytest.fixture
def to_engine(engine: Engine) -> Callable[[pd.DataFrame], Any]:
    """Each engine of conftest's ``engine`` fixture: hands a pandas frame to it, as narwhals."""
    import narwhals as nw

    return lambda df: nw.from_native(engine.native(df))


def engine_failures(frame: Any, table: str) -> pd.DataFrame:
    with pytest.raises(um.ValidationError) as info:
        validate_lazy(frame, table)
    failures: pd.DataFrame = info.value.failures
    assert list(failures.columns) == ["table", "column", "row", "id", "value", "check", "message"]
    assert (failures["table"] == table).all()
    assert failures["row"].isna().all()  # engines have no row positions
    return failures


def pandas_failures(df: pd.DataFrame, table: str) -> pd.DataFrame:
    with pytest.raises(um.ValidationError) as info:
        um.validate(df, table=table)
    failures: pd.DataFrame = info.value.failures
    return failures


def engine_checks(table: str) -> set[str]:
    """The checks that the engines run, by the names the pandas path gives them."""
    schema = _schema(table).to_schema()
    rules = _engines._row_rules(schema, table) + _engines._relational_rules(schema, table)
    return {rule.check for rule in rules} | {"column_in_dataframe", "column_in_schema"}


def pairs(failures: pd.DataFrame, checks: set[str] | None = None) -> Failures:
    return {
        (str(i), str(c))
        for i, c in zip(failures["id"], failures["check"], strict=True)
        if checks is None or c in checks
    }


def triples(failures: pd.DataFrame, checks: set[str] | None = None) -> set[tuple[str, ...]]:
    """(id, check, value) of each failure."""
    return {
        (str(i), str(c), str(v))
        for i, c, v in zip(failures["id"], failures["check"], failures["value"], strict=True)
        if checks is None or c in checks
    }


def has(failures: pd.DataFrame, column: str, id_: str, value: str, check: str) -> bool:
    """Whether a failure names this column, row id, value and check."""
    hit = (
        (failures["column"] == column)
        & (failures["id"] == id_)
        & (failures["value"] == value)
        & (failures["check"] == check)
    )
    return bool(hit.any())


def rule(table: str, method: str) -> str:
    """The message (and check name) of one of the schema's dataframe checks."""
    checks = {c.name: str(c.error) for c in _schema(table).to_schema().checks}
    return checks[method]


def corrupted_rescues() -> pd.DataFrame:
    df = um.load("rescues").set_index("id", drop=False)
    df.loc["RES-07a", "value"] = -22  # negative (and no longer equal to its bounds)
    df.loc["RES-63a", "qualifier"] = "at_least"  # "at least" with an upper bound
    df.loc["RES-05d", "part_of"] = "RES-99z"  # a part of nothing
    df.loc["RES-05b", ["value", "value_low", "value_high"]] = 50  # 50 + 23 > 63
    df.loc["RES-76d", ["value", "value_low", "value_high"]] = 90  # 90 > 81, its whole
    df.loc["RES-76b", "measure"] = "victims_fed"  # not in the measures table
    df.loc["RES-76a", "id"] = "RES-63a"  # an id twice
    return df.reset_index(drop=True)


def corrupted_trainings() -> pd.DataFrame:
    df = um.load("trainings").set_index("id", drop=False)
    df.loc["TRN-05a", "male"] = 2000  # 1,138 + 2,000 + 919 > 2,776
    df.loc["TRN-68a", "female_high"] = 16  # 24% of 62 rounds from 15 only
    df.loc["TRN-52a", "female_percent"] = 150.0
    df.loc["TRN-52a", "country"] = "XXX"
    df.loc["TRN-52a", "flags"] = "nonexistent_date, bogus"
    df.loc["TRN-06a", "period_kind"] = "stock"  # a stock needs both ends
    df.loc["TRN-62a", "inferred"] = "age, weather"
    df.loc["TRN-62a", "inferred_reason"] = "a guess"
    df.loc["TRN-62a", "phrase"] = ""
    df.loc["TRN-62a", "period_end"] = pd.Timestamp("2020-09-30")  # before its start
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# On every engine
# --------------------------------------------------------------------------------------


def test_the_curated_tables_pass(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    for table in ("trainings", "rescues"):
        validate_lazy(to_engine(um.load(table)), table)  # raises if it fails


def test_a_corrupted_rescues_table_fails_as_on_pandas(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    df = corrupted_rescues()
    got = engine_failures(to_engine(df), "rescues")
    assert has(got, "value", "RES-07a", "-22", "greater_than_or_equal_to(0)")
    bounds = rule("rescues", "bounds_follow_qualifier")
    assert has(
        got,
        "qualifier, value, value_low, value_high",
        "RES-63a",
        "qualifier=at_least, value=18, value_low=18, value_high=18",
        bounds,
    )
    assert has(got, "id", "RES-63a", "RES-63a", "field_uniqueness")
    assert has(got, "part_of", "RES-05d", "RES-99z", rule("rescues", "part_of_exists"))
    parts = rule("rescues", "parts_within_whole")
    assert has(got, "part_of, value_low", "RES-05b", "part_of=RES-05a, value_low=50", parts)
    part = rule("rescues", "part_within_whole")
    assert has(got, "part_of, value_low", "RES-76d", "part_of=RES-76b, value_low=90", part)
    measure = rule("rescues", "measure_known")
    assert has(got, "measure", "RES-76b", "victims_fed", measure)
    checks = engine_checks("rescues")
    want = pandas_failures(df, "rescues")
    assert pairs(got) == pairs(want, checks)
    assert triples(got) == triples(want, checks)


def test_a_corrupted_trainings_table_fails_as_on_pandas(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    df = corrupted_trainings()
    got = engine_failures(to_engine(df), "trainings")
    want = pandas_failures(df, "trainings")
    female = rule("trainings", "female_bounds")
    assert ("TRN-68a", female) in pairs(want)  # only its rounding interval is wrong
    checks = engine_checks("trainings")
    assert pairs(got) == pairs(want, checks)
    # The values are written as the pandas path writes them, dates as ISO dates.
    assert triples(got) == triples(want, checks)


def test_a_missing_column_stops_validation(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    df = um.load("trainings").drop(columns=["measure"])
    got = engine_failures(to_engine(df), "trainings")
    assert got[["column", "check"]].values.tolist() == [["measure", "column_in_dataframe"]]
    assert got["message"].tolist() == ["a required column is missing"]
    want = pandas_failures(df, "trainings")
    assert ["measure", "column_in_dataframe"] in want[["column", "check"]].values.tolist()


# --------------------------------------------------------------------------------------
# On the fast engines only
# --------------------------------------------------------------------------------------


@FAST
def test_a_rule_lists_its_first_rows_and_counts_them_all(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    base = um.load("arrests")
    copies = [base.assign(id=base["id"] + f"-{k:02d}") for k in range(10)]
    df = pd.concat(copies, ignore_index=True)
    df["value"] = -df["value"]
    got = engine_failures(to_engine(df), "arrests")
    negative = got[got["check"] == "greater_than_or_equal_to(0)"]
    assert len(negative) == LISTED
    n = len(df)
    assert negative["message"].unique().tolist() == [
        f"must be at least 0 ({n:,} rows fail this rule; the first {LISTED} are listed)"
    ]
    bounds = got[got["check"] == rule("arrests", "bounds_follow_qualifier")]
    assert bounds["id"].tolist() == sorted(df["id"])[:LISTED]


@FAST
def test_wrong_dtypes_are_named_before_any_data_is_read(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    df = um.load("trainings")
    df["value"] = df["value"].astype(str)
    df["period_end"] = df["period_end"].dt.strftime("%Y-%m-%d")
    df["extra"] = 1
    got = engine_failures(to_engine(df), "trainings")
    assert set(zip(got["column"], got["check"], strict=True)) == {
        ("value", "dtype('integer')"),
        ("period_end", "dtype('date or datetime')"),
        ("extra", "column_in_schema"),
    }


@FAST
def test_lists_of_codes_are_read_as_pandas_reads_them(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    from unodc_metrics.schemas import FLAGS, _all_in

    texts = [
        "nonexistent_date",
        "nonexistent_date,parts_short_of_total",
        " nonexistent_date ,  outside_reporting_period ",
        "nonexistent_date,,parts_short_of_total,",
        "",
        " , ",
        "nonexistent_date,bogus",
        "nonexistent_dates",
        "nonexistent_date parts_short_of_total",
        "Nonexistent_date",
        "xnonexistent_date",
    ]
    df = pd.DataFrame({"flags": pd.array(texts, dtype="string")})
    nw = pytest.importorskip("narwhals", reason="narwhals is not installed")
    pattern = _engines._list_pattern(FLAGS)
    frame = to_engine(df).with_columns(nw.col("flags").str.contains(pattern).alias("ok"))
    got = dict(frame.collect().select("flags", "ok").rows())
    want = dict(zip(texts, _all_in(df["flags"], FLAGS).tolist(), strict=True))
    assert got == want


@FAST
def test_the_rounding_interval_is_the_schema_s(
    to_engine: Callable[[pd.DataFrame], Any],
) -> None:
    from unodc_metrics.schemas import _rounding_interval

    grid = [(n, p) for n in (0, 1, 7, 62, 199, 200, 2776) for p in (0.0, 1.0, 24.0, 50.0, 99.0)]
    grid += [(62, 24.5), (62, -3.0), (62, 101.0)]
    df = pd.DataFrame(
        {
            "value": pd.array([n for n, _ in grid], dtype="Int64"),
            "female_percent": pd.array([p for _, p in grid], dtype="Float64"),
        }
    )
    out = _engines._with_rounding(to_engine(df)).collect()
    got = [
        (low, high) if whole else (None, None)
        for whole, low, high in out.select(
            "__rounding_whole", "__rounding_low", "__rounding_high"
        ).rows()
    ]
    assert got == [_rounding_interval(n, p) for n, p in grid]


# --------------------------------------------------------------------------------------
# The rules, pandera's reports and the arguments
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", FIGURE_TABLES)
def test_every_rule_of_the_schema_runs_on_engines(table: str) -> None:
    schema = _schema(table).to_schema()
    wanted = {str(c.error) for c in schema.checks}
    wanted |= {str(c.error) for col in schema.columns.values() for c in col.checks}
    wanted |= {"not_nullable", "field_uniqueness"}
    assert wanted <= engine_checks(table)


def test_a_pyspark_report_adds_only_what_narwhals_did_not_find() -> None:
    schema = _schema("arrests").to_schema()
    rules = _engines._row_rules(schema, "arrests")
    by_key = {(r.column, r.check): r for r in rules if r.column_level}
    report = {
        "DATA": {
            "DATAFRAME_CHECK": [
                {
                    "schema": "arrests",
                    "column": "value",
                    "check": "greater_than_or_equal_to(0)",
                    "error": "column 'value' with type LongType() failed validation\n ge(0)",
                }
            ]
        },
        "SCHEMA": {
            "SERIES_CONTAINS_NULLS": [
                {"schema": "arrests", "column": "measure", "check": "not_nullable", "error": ""}
            ]
        },
    }
    found = _engines._from_pyspark_errors(report, by_key)
    assert [(f.rule.column, f.rule.check, f.rows) for f in found] == [
        ("value", "greater_than_or_equal_to(0)", []),
        ("measure", "not_nullable", []),
    ]
    assert found[0].rule.message == (
        "must be at least 0 (pandera's pyspark backend reports: column 'value' with type "
        "LongType() failed validation ge(0))"
    )
    ours = [_engines._Found(by_key[("value", "greater_than_or_equal_to(0)")], 3, [])]
    merged = _engines._merge(ours, found)
    assert [(f.rule.column, f.count) for f in merged] == [("value", 3), ("measure", 0)]
    failures = _engines._listed(merged[1], "arrests")
    assert [(f["column"], f["id"], f["value"]) for f in failures] == [
        ("measure", None, "<not listed>")
    ]


def test_only_figure_tables_and_narwhals_frames_are_taken() -> None:
    nw = pytest.importorskip("narwhals", reason="narwhals is not installed")
    pl = pytest.importorskip("polars", reason="polars is not installed")
    with pytest.raises(LookupError, match="figure tables only"):
        validate_lazy(nw.from_native(pl.LazyFrame({"a": [1]})), "parties")
    with pytest.raises(TypeError, match="narwhals LazyFrame"):
        validate_lazy(um.load("arrests"), "arrests")  # type: ignore[arg-type]
    eager = nw.from_native(pl.from_pandas(um.load("arrests")), eager_only=True)
    validate_lazy(eager, "arrests")  # validated through .lazy()
