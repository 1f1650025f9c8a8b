"""The aggregations on lazy and distributed engines give the numbers they give on pandas.

Each engine of the ``engine`` fixture (``conftest.py``) gets the curated tables, and a larger
frame made of copies of them: a polars LazyFrame, a DuckDB relation, a Dask DataFrame on a
``dask.distributed`` LocalCluster, and a PySpark DataFrame (where Java is present). The
result must come back as the engine's own kind, and hold pandas' numbers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

if TYPE_CHECKING:
    from conftest import Engine

import unodc_metrics as um
from unodc_metrics import UnknownSex

MODES: tuple[UnknownSex, ...] = ("separate", "known_only", "proportional", "bounds")
TEXT_ORDER = ("excluded",)  # lists ids: in row order on pandas, in id order on engines


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object)
    return out.where(out.notna(), None)


def naive(value: Any) -> pd.Timestamp:
    """A day as a naive timestamp: Spark's timestamps are instants in UTC."""
    stamp = pd.Timestamp(value)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def same(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    """Equal columns, and equal values row by row (floats to 1e-12), rows sorted by keys."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)

    def order(frame: pd.DataFrame) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
        return sorted(rows, key=lambda r: tuple((r[k] is None, str(r[k])) for k in keys))

    for g, w in zip(order(got), order(want), strict=True):
        for name, value in w.items():
            other = g[name]
            if isinstance(value, float) and other is not None:
                assert math.isclose(float(other), value, rel_tol=1e-12), (name, g, w)
            elif name in ("period_start", "period_end") and value is not None:
                assert naive(other) == naive(value), (name, g, w)
            elif isinstance(value, int) and not isinstance(value, bool):
                assert other is not None and int(other) == value, (name, g, w)
            elif name in TEXT_ORDER and value is not None:
                assert other is not None and sorted(str(other).split("; ")) == sorted(
                    value.split("; ")
                ), (name, g, w)
            else:
                assert other == value, (name, g, w)


def with_parts(df: pd.DataFrame, parts: int) -> pd.DataFrame:
    """The trainings, with ``parts`` rows of 10 women each nested in GPTIP's TRN-05a."""
    child = df[df["id"] == "TRN-05a"].copy()
    child[["value", "value_low", "value_high", "female", "female_low", "female_high"]] = 10
    child[["male", "unknown_sex", "flags"]] = pd.NA
    children = pd.concat([child] * parts, ignore_index=True)
    children["id"] = [f"TRN-05a-{i:03d}" for i in range(parts)]
    children["part_of"] = "TRN-05a"
    return pd.concat([df, children], ignore_index=True).astype(df.dtypes.to_dict())


def test_gender_breakdown(engine: Engine) -> None:
    trainings = um.load("trainings")
    native = engine.native(trainings)
    for unknown in MODES:
        # Validated once: each call validates in the engine, which is slow on Dask and Spark.
        got = um.gender_breakdown(
            native, by="initiative", unknown=unknown, validate=unknown == "separate"
        )
        assert isinstance(got, engine.kind)
        want = um.gender_breakdown(trainings, by="initiative", unknown=unknown)
        same(engine.to_pandas(got), plain(want), ["initiative"])


def test_gender_breakdown_over_everything_and_left_out_rows(engine: Engine) -> None:
    trainings = um.load("trainings")
    got, left = um.gender_breakdown(engine.native(trainings), return_excluded=True)
    want, want_left = um.gender_breakdown(trainings, return_excluded=True)
    same(engine.to_pandas(got), plain(want), [])
    same(engine.to_pandas(left), plain(want_left), ["id"])


def test_trainees_per_initiative(engine: Engine) -> None:
    trainings = um.load("trainings")
    got = um.trainees_per_initiative(engine.native(trainings))
    assert isinstance(got, engine.kind)
    same(engine.to_pandas(got), plain(um.trainees_per_initiative()), ["initiative", "basis"])


@pytest.mark.parametrize("table", ["trainings", "rescues", "arrests", "investigations"])
def test_totals_by_year(engine: Engine, table: str) -> None:
    df = um.load(table)
    got, left = um.totals_by_year(engine.native(df), table=table, return_excluded=True)
    assert isinstance(got, engine.kind)
    want, want_left = um.totals_by_year(df, table=table, return_excluded=True)
    keys = [c for c in want.columns if c in ("measure", "status", "years")]
    same(engine.to_pandas(got), plain(want), keys)
    same(engine.to_pandas(left), plain(want_left), ["id"])


def test_many_rows_left_out_are_counted_and_named_up_to_twenty(engine: Engine) -> None:
    """160 rows nested in GPTIP's total are left out: all counted, the first 20 named."""
    many = with_parts(um.load("trainings"), 160)
    got = engine.to_pandas(um.gender_breakdown(engine.native(many), by="initiative"))
    want = plain(um.gender_breakdown(many, by="initiative"))
    same(got, want, ["initiative"])  # the 20 lowest ids are the first 20 rows here
    gptip = got.set_index("initiative").loc["GPTIP"]
    assert (gptip["rows_excluded"], gptip["total"]) == (160, 2776)
    named = str(gptip["excluded"]).split("; ")
    assert named[0].startswith("TRN-05a-000 (part of TRN-05a")
    assert len(named) == 21 and named[-1].startswith("and 140 more")


def test_invalid_rows_are_refused_in_the_engine(engine: Engine) -> None:
    trainings = um.load("trainings")
    trainings.loc[0, "value"] = -3
    with pytest.raises(um.ValidationError) as info:
        um.gender_breakdown(engine.native(trainings), by="initiative")
    failures = info.value.failures
    assert {"trainings"} == set(failures["table"])
    assert "TRN-05a" in set(failures["id"])


def test_without_validation_a_frame_needs_only_the_columns_read(engine: Engine) -> None:
    unread = ["note", "phrase", "paragraph", "inferred_reason"]
    trainings = um.load("trainings").drop(columns=unread)
    got = um.gender_breakdown(engine.native(trainings), by="initiative", validate=False)
    want = um.gender_breakdown(um.load("trainings"), by="initiative")
    same(engine.to_pandas(got), plain(want), ["initiative"])
    with pytest.raises(ValueError, match="lacks the columns female"):
        um.gender_breakdown(engine.native(trainings.drop(columns="female")), validate=False)


def test_the_long_shape_of_glotip_is_summed_in_memory(engine: Engine) -> None:
    frame = pd.DataFrame({"indicator": ["x"], "sex": ["total"]})
    with pytest.raises(TypeError, match="collect a lazy frame first"):
        um.gender_breakdown(engine.native(frame), table="glotip")


def two_rows_of(value: int) -> pd.DataFrame:
    """Two valid trainings rows of ``value`` persons each, in one group, with no split."""
    trainings = um.load("trainings")
    row = trainings[trainings["id"] == "TRN-05a"]
    two = pd.concat([row, row], ignore_index=True)
    two["id"] = ["TRN-05a", "TRN-05b"]
    two[["value", "value_low", "value_high"]] = value
    sex = ["female", "male", "other_sex", "unknown_sex", "female_low", "female_high"]
    two[[*sex, "female_percent", "flags", "note", "may_overlap"]] = None
    two["sex_split_derived"] = False
    return two.astype(trainings.dtypes.to_dict())


@pytest.mark.parametrize(
    "call",
    [
        lambda df: um.gender_breakdown(df, by="initiative"),
        lambda df: um.trainees_per_initiative(df),
        lambda df: um.totals_by_year(df, table="trainings"),
    ],
    ids=["gender_breakdown", "trainees_per_initiative", "totals_by_year"],
)
def test_a_sum_that_would_overflow_raises_on_every_engine(engine: Engine, call: Any) -> None:
    import polars as pl

    big = two_rows_of(2**62)  # 2**63 wraps to -9223372036854775808 in int64
    for native in (big, pl.from_pandas(big), engine.native(big)):
        with pytest.raises(OverflowError, match="would exceed the largest 64-bit integer"):
            call(native)
    fits = call(engine.native(two_rows_of(2**61)))  # 2**62 fits
    assert int(engine.to_pandas(fits)["total"].max()) == 2**62
