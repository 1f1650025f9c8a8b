"""The aggregations on the long shape of a GLOTIP download.

The real file is checked against a plain-pandas computation written here, independently of
the package's narwhals code in ``unodc_metrics._aggregations`` (a pivot of each cell's rows
by role, then sums), and against golden values; small generated long frames check each
promise as a property.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import unodc_metrics as um
from unodc_metrics import UnknownSex
from unodc_metrics._readers import COLUMNS, SUPPRESSED_HIGH, read_glotip

GLOTIP_DIR = Path(__file__).resolve().parents[2] / "shared" / "external" / "glotip"
GLOTIP_FILE = GLOTIP_DIR / "data_glotip_2025-04-14.xlsx"
VICTIMS = "Detected trafficking victims"

# Each call validates its frame and runs a few dozen frame operations (about 0.3 s on pandas
# here), so the property tests draw fewer examples than the wide shape's.
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEWER = settings(SETTINGS, max_examples=10)  # for the tests that call both functions twice
MODES: tuple[UnknownSex, ...] = ("separate", "known_only", "proportional", "bounds")
PARTS = ("female", "male", "other", "unknown")
# Every count of the output, each with a _low and a _high.
COUNTS = ("total", *PARTS, "unreconciled", "unsplit")
Key = tuple[Any, ...]


def as_records(frame: Any) -> list[dict[str, Any]]:
    """The rows of a pandas or polars frame, with None for every missing value."""
    out = frame.to_pandas() if isinstance(frame, pl.DataFrame) else frame.copy()
    out = out.astype(object)
    return [
        {str(k): v for k, v in r.items()} for r in out.where(out.notna(), None).to_dict("records")
    ]


def keyed(frame: Any, keys: Sequence[str]) -> dict[Key, dict[str, Any]]:
    return {tuple(r[k] for k in keys): r for r in as_records(frame)}


def na_none(value: Any) -> Any:
    return None if pd.isna(value) else value


# --- An independent computation in plain pandas -------------------------------------------

CELL = ["indicator", "dimension", "category", "iso3", "country", "year"]
FILE_KEY = ["iso3", "country", "indicator", "dimension", "category", "sex", "age", "year"]


def reference_by_sex(df: pd.DataFrame, by: Sequence[str]) -> dict[Key, dict[str, Any]]:
    """gender_breakdown's numbers, by a pivot of each cell's rows by role.

    A cell's total is its row(s) at sex and age total; its parts are female, male and other
    at age total and its unknown part (at age total if it has one, else at age unknown).
    A cell with a total and no part counts wholly as unknown (and as unsplit). A cell
    without a total counts nothing. Repeated keys are all added.
    """
    group = list(dict.fromkeys(["indicator", "dimension", "category", *by]))
    cell = list(dict.fromkeys([*group, *CELL]))
    d = df.copy()
    sex, age = d["sex"].astype(str), d["age"].astype(str)
    d["role"] = np.select(
        [
            (sex == "total") & (age == "total"),
            sex.isin(["female", "male", "other"]) & (age == "total"),
            (sex == "unknown") & (age == "total"),
            (sex == "unknown") & (age == "unknown"),
        ],
        ["total", sex, "unknown_at_total", "unknown_at_unknown"],
        default="age",
    )
    d["n"] = 1
    d["known"] = d["value"].fillna(0).astype(int)
    d["cens"] = d["censored"].astype(int)
    d["rep"] = (d.groupby(FILE_KEY, dropna=False)["line"].transform("size") > 1).astype(int)
    stats = ["n", "known", "value_low", "value_high", "cens", "rep"]
    per_role = d.groupby([*cell, "role"], dropna=False)[stats].sum()
    wide = per_role.unstack("role", fill_value=0)
    roles = ["total", "female", "male", "other", "unknown_at_total", "unknown_at_unknown"]
    for stat in stats:
        for role in roles:
            if (stat, role) not in wide.columns:
                wide[(stat, role)] = 0

    def col(stat: str, role: str) -> pd.Series:
        return wide[(stat, role)].astype(int)

    has_total = col("n", "total") > 0
    at_total = col("n", "unknown_at_total") > 0
    split = (
        col("n", "female") + col("n", "male") + col("n", "other") + col("n", "unknown_at_total")
    ) > 0
    cells = pd.DataFrame(index=wide.index)
    for stat in stats:
        unknown_part = col(stat, "unknown_at_total").where(
            at_total, col(stat, "unknown_at_unknown")
        )
        total = col(stat, "total").where(has_total, 0)
        parts = {
            name: col(stat, name).where(has_total & split, 0)
            for name in ("female", "male", "other")
        }
        cells[f"total.{stat}"] = total
        for name, series in parts.items():
            cells[f"{name}.{stat}"] = series
        reported_unknown = unknown_part.where(has_total & split, 0)
        cells[f"unknown.{stat}"] = reported_unknown + total.where(~split, 0)
        cells[f"unsplit.{stat}"] = total.where(~split, 0)
        cells[f"parts.{stat}"] = parts["female"] + parts["male"] + parts["other"] + reported_unknown
    # A part never exceeds its cell's total unless its stated rows already do: its high end
    # is clipped to the total's (never below its stated rows), in cells with parts.
    t_low, t_high = cells["total.value_low"], cells["total.value_high"]
    reported = {name: (f"{name}.value_low", f"{name}.value_high") for name in ("female", "male")}
    reported["other"] = ("other.value_low", "other.value_high")
    lows = {name: cells[low] for name, (low, _) in reported.items()}
    highs = {name: cells[high] for name, (_, high) in reported.items()}
    lows["unknown"] = cells["unknown.value_low"] - cells["unsplit.value_low"]
    highs["unknown"] = cells["unknown.value_high"] - cells["unsplit.value_high"]
    for name in ("female", "male", "other", "unknown"):
        clipped = np.maximum(lows[name], np.minimum(highs[name], t_high))
        cells[f"{name}.value_high"] = cells[f"{name}.value_high"] - highs[name] + clipped
        highs[name] = pd.Series(np.where(split, clipped, highs[name]), index=cells.index)
    # unreconciled: the least of total - parts over every total t from t_low to t_high,
    # with each part as large as it may be (by trying each t), and at most t_high less
    # the stated parts.
    least = pd.Series(np.iinfo(np.int64).max, index=cells.index)
    for step in range(int((t_high - t_low).max()) + 1 if len(cells) else 0):
        t = t_low + step
        parts_most = sum(np.minimum(highs[n], np.maximum(t, lows[n])) for n in lows)
        least = least.where(t > t_high, np.minimum(least, t - parts_most))  # type: ignore[arg-type]
    cells["unreconciled.known"] = (cells["total.known"] - cells["parts.known"]).where(split, 0)
    cells["unreconciled.value_low"] = least.where(split, 0)
    cells["unreconciled.value_high"] = (t_high - sum(lows.values())).where(split, 0)
    cells["unreconciled.cens"] = (cells["total.cens"] + cells["parts.cens"]).where(split, 0)
    cells["cells"] = has_total.astype(int)
    cells["cells_unsplit"] = (has_total & ~split).astype(int)
    cells["cells_split"] = (has_total & split).astype(int)
    cells["rows"] = cells["total.n"] + cells["parts.n"]
    cells["censored"] = cells["total.cens"] + cells["parts.cens"]
    cells["repeated"] = cells["total.rep"] + cells["parts.rep"]
    cells["all_rows"] = pd.DataFrame(wide["n"]).sum(axis=1)

    sums = cells.groupby(level=group, dropna=False).sum()
    out: dict[Key, dict[str, Any]] = {}
    for key, rec in sums.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = {
            name: int(rec[name])
            for name in ("cells", "cells_unsplit", "rows", "censored", "repeated")
        }
        row["rows_excluded"] = int(rec["all_rows"] - rec["rows"])
        nothing = row["rows"] == 0
        row["qualifier"] = None if nothing else ("exact" if row["censored"] == 0 else "range")
        for name in COUNTS:
            # Missing where nothing was summed, or (for a sex) where no cell has parts.
            missing = nothing or (name in ("female", "male", "other") and not rec["cells_split"])
            low, high = int(rec[f"{name}.value_low"]), int(rec[f"{name}.value_high"])
            row[name] = None if missing or low != high else low
            if low == high and rec[f"{name}.cens"] == 0:
                assert low == int(rec[f"{name}.known"])  # the bounds of exact rows are the sum
            row[f"{name}_low"] = None if missing else low
            row[f"{name}_high"] = None if missing else high
        out[tuple(na_none(k) for k in key)] = row
    return out


def reference_totals(df: pd.DataFrame, by: Sequence[str] = ()) -> dict[Key, dict[str, Any]]:
    """totals_by_year's numbers: only the overall counts are summed, per indicator and year."""
    keys = list(dict.fromkeys(["indicator", *by, "year"]))
    overall = (
        (df["dimension"] == "Total")
        & (df["category"] == "Total")
        & (df["sex"] == "total")
        & (df["age"] == "total")
    ).fillna(False)
    d = df.assign(
        counted=overall.astype(int),
        low=df["value_low"].where(overall, 0),
        high=df["value_high"].where(overall, 0),
        known=df["value"].fillna(0).where(overall, 0),
        cens=(df["censored"] & overall).astype(int),
    )
    sums = d.groupby(keys, dropna=False).agg(
        rows=("counted", "sum"),
        all_rows=("counted", "size"),
        low=("low", "sum"),
        high=("high", "sum"),
        known=("known", "sum"),
        cens=("cens", "sum"),
    )
    out: dict[Key, dict[str, Any]] = {}
    for key, rec in sums.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        rows = int(rec["rows"])
        out[tuple(na_none(k) for k in key)] = {
            "rows": rows,
            "rows_excluded": int(rec["all_rows"]) - rows,
            "censored": int(rec["cens"]),
            "total": int(rec["known"]) if rows and rec["cens"] == 0 else None,
            "qualifier": None if not rows else ("exact" if rec["cens"] == 0 else "range"),
            "total_low": int(rec["low"]) if rows else None,
            "total_high": int(rec["high"]) if rows else None,
        }
    return out


def assert_matches_reference(
    got: Any, expected: dict[Key, dict[str, Any]], keys: Sequence[str]
) -> None:
    ours = keyed(got, keys)
    assert sorted(ours, key=repr) == sorted(expected, key=repr)
    for key, want in expected.items():
        have = {name: ours[key][name] for name in want}
        assert have == want, key


# --- The real download -------------------------------------------------------------------


@pytest.fixture(scope="module")
def glotip(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The real file, read once for the module (through a cache in a temporary folder)."""
    if not GLOTIP_FILE.is_file():
        pytest.skip(f"the real GLOTIP download is not at {GLOTIP_FILE} (a fresh clone)")
    return read_glotip(GLOTIP_FILE, cache_dir=tmp_path_factory.mktemp("glotip-cache"))


@pytest.fixture(scope="module")
def by_year(glotip: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """gender_breakdown(glotip, by="year"), with the rows it left out."""
    return um.gender_breakdown(glotip, by="year", return_excluded=True)


GROUP_YEAR = ["indicator", "dimension", "category", "year"]


def test_real_file_every_breakdown_matches_plain_pandas(
    glotip: pd.DataFrame, by_year: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    before = glotip.copy(deep=True)
    out, _ = by_year
    assert_matches_reference(out, reference_by_sex(glotip, ["year"]), GROUP_YEAR)
    pd.testing.assert_frame_equal(glotip, before)


def test_real_file_victims_per_year_by_sex(
    glotip: pd.DataFrame, by_year: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    out, _ = by_year
    victims = {
        key[3]: row
        for key, row in keyed(out, GROUP_YEAR).items()
        if key[:3] == (VICTIMS, "Total", "Total")
    }
    expected = reference_by_sex(glotip[glotip["indicator"] == VICTIMS], ["year"])
    for (_, dimension, category, year), want in expected.items():
        if (dimension, category) == ("Total", "Total"):
            assert {k: victims[year][k] for k in want} == want
    assert sorted(victims) == list(range(2007, 2023))

    def bounds(year: int, name: str) -> tuple[int, int]:
        return victims[year][f"{name}_low"], victims[year][f"{name}_high"]

    # Golden values: the world's detected victims by sex, as (low, high) after censoring; a
    # part's high end never exceeds its cell's total (before 2026-12, without that clip:
    # female (42,031, 42,127) and unreconciled (-989, -445) in 2019).
    golden = {
        2019: {
            "total": (82_291, 82_363),
            "female": (42_031, 42_115),
            "male": (34_045, 34_241),
            "other": (394, 506),
            "unknown": (6_330, 6_414),
            "unreconciled": (-913, -445),
            "unsplit": (4_635, 4_643),
        },
        2020: {
            "total": (68_426, 68_530),
            "female": (42_431, 42_567),
            "male": (21_039, 21_247),
            "other": (199, 319),
            "unknown": (5_787, 5_879),
            "unreconciled": (-1_482, -934),
            "unsplit": (4_654, 4_662),
        },
        2021: {
            "total": (75_754, 75_814),
            "female": (46_733, 46_817),
            "male": (24_568, 24_716),
            "other": (218, 326),
            "unknown": (2_147, 2_223),
            "unreconciled": (1_732, 2_144),
            "unsplit": (1_203, 1_207),
        },
        2022: {
            "total": (75_128, 75_176),
            "female": (54_376, 54_439),
            "male": (20_062, 20_209),
            "other": (702, 786),
            "unknown": (1_232, 1_284),
            "unreconciled": (-1_546, -1_200),
            "unsplit": (886, 890),
        },
    }
    for year, numbers in golden.items():
        assert {name: bounds(year, name) for name in numbers} == numbers, year
        assert victims[year]["qualifier"] == "range"
        assert victims[year]["total"] is None  # some count of the year is censored
    assert [victims[2021][k] for k in ("cells", "cells_unsplit", "rows", "censored")] == [
        125,
        14,
        415,
        120,
    ]


def test_real_file_global_totals_with_censored_bounds(
    glotip: pd.DataFrame, by_year: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    before = glotip.copy(deep=True)
    out, excluded = um.totals_by_year(glotip, table="glotip", return_excluded=True)
    pd.testing.assert_frame_equal(glotip, before)
    assert_matches_reference(out, reference_totals(glotip), ["indicator", "year"])
    rows = keyed(out, ["indicator", "year"])
    golden = {
        2019: (82_291, 82_363, 134, 18),
        2020: (68_426, 68_530, 143, 26),
        2021: (75_754, 75_814, 125, 15),
        2022: (75_128, 75_176, 112, 12),
    }
    for year, numbers in golden.items():
        row = rows[VICTIMS, year]
        assert (row["total_low"], row["total_high"], row["rows"], row["censored"]) == numbers
        assert row["total"] is None and row["qualifier"] == "range"
    # Before 2007 the file has breakdowns only (no overall count): nothing summed, all listed.
    early = rows[VICTIMS, 2003]
    assert (early["rows"], early["rows_excluded"], early["total_low"]) == (0, 104, None)
    # Every line is either summed or listed, once.
    assert int(out["rows"].sum()) + int(out["rows_excluded"].sum()) == len(glotip) == 58_769
    assert len(excluded) == int(out["rows_excluded"].sum())
    assert excluded["line"].is_unique
    # The overall counts of gender_breakdown are the same sums.
    by_sex = keyed(by_year[0], GROUP_YEAR)
    for (indicator, year), row in rows.items():
        if row["rows"]:
            same = by_sex[indicator, "Total", "Total", year]
            assert (same["total_low"], same["total_high"]) == (row["total_low"], row["total_high"])


def test_real_file_one_country_series(glotip: pd.DataFrame) -> None:
    malta = glotip[glotip["iso3"] == "MLT"]
    out = um.gender_breakdown(malta, by="year")
    assert_matches_reference(out, reference_by_sex(malta, ["year"]), GROUP_YEAR)
    series = {
        key[3]: row
        for key, row in keyed(out, GROUP_YEAR).items()
        if key[:3] == (VICTIMS, "Total", "Total")
    }
    assert sorted(series) == list(range(2007, 2023))
    cols = ("female", "male", "other", "unknown", "total")
    # 2018: 35 victims, 21 women, 14 men; other and unknown censored (0 to 4 each).
    assert tuple(series[2018][c] for c in cols) == (21, 14, None, None, 35)
    assert (series[2018]["unreconciled_low"], series[2018]["unreconciled_high"]) == (-8, 0)
    # 2007: 7 victims, 7 women; men censored; no other or unknown row (so none).
    assert tuple(series[2007][c] for c in cols) == (7, None, 0, 0, 7)
    assert (series[2007]["male_low"], series[2007]["male_high"]) == (0, 4)
    # 2021: everything censored.
    assert (series[2021]["total_low"], series[2021]["total_high"]) == (0, 4)
    lows = [series[y]["total_low"] for y in range(2007, 2023)]
    assert lows == [7, 0, 0, 0, 0, 0, 10, 20, 0, 27, 6, 35, 0, 0, 0, 22]
    totals = keyed(um.totals_by_year(malta, table="glotip"), ["indicator", "year"])
    assert [totals[VICTIMS, y]["total_low"] for y in range(2007, 2023)] == lows


def test_real_file_share_bounds_lie_in_0_1(glotip: pd.DataFrame) -> None:
    out = um.gender_breakdown(glotip, by=["year", "iso3"], unknown="bounds")
    bounds = out[["female_share_low", "female_share_high", "male_share_low", "male_share_high"]]
    assert len(out) > 25_000
    assert ((bounds >= 0) & (bounds <= 1)).where(bounds.notna(), True).all().all()
    assert (
        (out["female_share_low"] <= out["female_share_high"])
        .where(bounds.notna().all(axis=1), True)
        .all()
    )


def test_real_file_a_country_with_no_split_by_sex_has_no_women_count(
    glotip: pd.DataFrame,
) -> None:
    nld = glotip[(glotip["iso3"] == "NLD") & (glotip["year"] == 2019)]
    row = keyed(um.gender_breakdown(nld, by="year"), GROUP_YEAR)[VICTIMS, "Total", "Total", 2019]
    assert row["total"] is not None and row["unknown"] == row["total"]
    assert (row["female"], row["male"], row["female_share"]) == (None, None, None)
    assert (row["female_status"], row["male_status"]) == ("missing", "missing")


def test_real_file_a_total_without_parts_counts_as_unknown(glotip: pd.DataFrame) -> None:
    malawi = glotip[(glotip["iso3"] == "MWI") & (glotip["indicator"] == VICTIMS)]
    out = keyed(um.gender_breakdown(malawi, by="year"), GROUP_YEAR)
    assert_matches_reference(
        um.gender_breakdown(malawi, by="year"), reference_by_sex(malawi, ["year"]), GROUP_YEAR
    )
    row = out[VICTIMS, "Total", "Total", 2021]
    # no split by sex: the women and men are missing, not 0
    assert (row["total"], row["unknown"], row["unsplit"], row["female"]) == (199, 199, 199, None)
    assert (row["male"], row["female_share"], row["female_status"]) == (None, None, "missing")
    assert (row["qualifier"], row["cells_unsplit"], row["unreconciled"]) == ("exact", 1, 0)


def test_real_file_repeated_parts_are_a_child_and_an_adult_count(glotip: pd.DataFrame) -> None:
    """The evidence for adding repeated keys: each repeated part at age total of this edition
    holds, line for line, the child and the adult counts of the same sex."""
    parts = glotip[glotip["sex"].isin(["female", "male", "other"]) & (glotip["age"] == "total")]
    repeated = parts[parts.duplicated(FILE_KEY, keep=False)]
    assert len(repeated) == 310
    by_age = glotip[glotip["age"].isin(["child", "adult"])]
    cell = [k for k in FILE_KEY if k != "age"]

    def values(frame: pd.DataFrame) -> pd.Series:
        v = frame["value"].astype("Float64").fillna(-1)  # -1: censored
        return v.groupby([frame[k] for k in cell], dropna=False).agg(lambda s: tuple(sorted(s)))

    theirs = dict(values(by_age).items())
    ours = dict(values(repeated).items())
    assert len(ours) == 155
    assert all(theirs[key] == pair for key, pair in ours.items())


def test_real_file_polars_gives_the_same_numbers(
    glotip: pd.DataFrame, by_year: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    out, excluded = um.gender_breakdown(pl.from_pandas(glotip), by="year", return_excluded=True)
    assert isinstance(out, pl.DataFrame)
    assert as_records(out) == as_records(by_year[0])
    assert as_records(excluded) == as_records(by_year[1])


def test_real_file_every_line_is_summed_or_listed(
    glotip: pd.DataFrame, by_year: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    out, excluded = by_year
    assert int(out["rows"].sum()) + int(out["rows_excluded"].sum()) == len(glotip)
    assert len(excluded) == int(out["rows_excluded"].sum()) and excluded["line"].is_unique
    reasons = excluded["reason"].str.split(":").str[0].value_counts().to_dict()
    assert reasons == {
        "a row of an age breakdown (by age group)": 26_190,
        "unknown sex and age in a cell with no part by sex": 268,
        "a part by sex in a cell that has no total": 67,
    }
    assert int(out["repeated"].sum()) == 310 + 858  # the repeated parts, and other forms
    assert (int(out["cells"].sum()), int(out["cells_unsplit"].sum())) == (25_315, 22_592)


# --- Small long frames, written by the tests ----------------------------------------------

PLACES = [
    ("NLD", "Netherlands", "Europe", "Western Europe"),
    ("MLT", "Malta", "Europe", "Southern Europe"),
    ("MWI", "Malawi", "Africa", "Sub-Saharan Africa"),
]
INDICATORS = [VICTIMS, "Persons convicted"]
BREAKDOWNS = [("Total", "Total"), ("by form of exploitation", "Forced labour")]
KINDS = [
    ("female", "total"),
    ("male", "total"),
    ("other", "total"),
    ("unknown", "unknown"),
    ("unknown", "total"),
    ("female", "child"),
    ("total", "adult"),
]
DTYPES = {
    "iso3": "string",
    "iso3_is_iso3166": "bool",
    "country": "string",
    "region": "string",
    "subregion": "string",
    "area_kind": "string",
    "indicator": "string",
    "dimension": "string",
    "category": "string",
    "sex": "string",
    "age": "string",
    "year": "Int64",
    "value": "Int64",
    "value_low": "Int64",
    "value_high": "Int64",
    "censored": "bool",
    "unit": "string",
    "source": "string",
    "line": "Int64",
}


def long_frame(counts: Iterable[tuple[tuple[Any, ...], str, str, int | None]]) -> pd.DataFrame:
    """A valid long table: one row per (cell, sex, age, count), a count of None censored."""
    rows = []
    for line, (cell, sex, age, value) in enumerate(counts, start=1):
        place, indicator, (dimension, category), year = cell
        iso3, country, region, subregion = PLACES[place]
        rows.append(
            {
                "iso3": iso3,
                "iso3_is_iso3166": True,
                "country": country,
                "region": region,
                "subregion": subregion,
                "area_kind": "country",
                "indicator": indicator,
                "dimension": dimension,
                "category": category,
                "sex": sex,
                "age": age,
                "year": year,
                "value": value,
                "value_low": 0 if value is None else value,
                "value_high": SUPPRESSED_HIGH if value is None else value,
                "censored": value is None,
                "unit": "Counts",
                "source": "GLOTIP",
                "line": line,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(DTYPES)


counts = st.one_of(st.none(), st.integers(0, 60))  # None: written "<5"


@st.composite
def long_frames(draw: st.DrawFn) -> pd.DataFrame:
    """A few cells, each with or without a total, with parts by sex, age rows and repeats."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        cell = (
            draw(st.integers(0, len(PLACES) - 1)),
            draw(st.sampled_from(INDICATORS)),
            draw(st.sampled_from(BREAKDOWNS)),
            draw(st.sampled_from([2020, 2021])),
        )
        if draw(st.integers(0, 4)):  # mostly with a total, sometimes two
            out += [(cell, "total", "total", draw(counts))] * draw(st.integers(1, 2))
        for sex, age in draw(st.lists(st.sampled_from(KINDS), max_size=6)):
            out.append((cell, sex, age, draw(counts)))
    return long_frame(out)


def realised(frame: pd.DataFrame, draw: Callable[[int], int]) -> pd.DataFrame:
    """The frame with each censored count replaced by a count it may hide (0 to 4)."""
    out = frame.copy()
    hidden = pd.Series(
        [draw(i) if c else None for i, c in enumerate(out["censored"])],
        index=out.index,
        dtype="Int64",
    )
    for name in ("value", "value_low", "value_high"):
        out[name] = out[name].where(~out["censored"], hidden)
    out["censored"] = False
    return out


def admissible(censored: pd.DataFrame, exact: pd.DataFrame) -> bool:
    """Whether ``exact`` (``censored`` with each ``<5`` replaced) is a world that the censored
    file allows: in a cell with a total and parts by sex, no part exceeds the total unless its
    stated (uncensored) rows already do. Written apart from the package, by a pivot."""
    d = exact.assign(stated=censored["value"].where(~censored["censored"], 0).fillna(0))
    sex, age = d["sex"].astype(str), d["age"].astype(str)
    unknown_at_total = (
        ((sex == "unknown") & (age == "total"))
        .groupby([d[c] for c in CELL], dropna=False)
        .transform("any")
    )
    d["role"] = np.select(
        [
            (sex == "total") & (age == "total"),
            sex.isin(["female", "male", "other"]) & (age == "total"),
            (sex == "unknown") & ((age == "total") | ((age == "unknown") & ~unknown_at_total)),
        ],
        ["total", sex, "unknown"],
        default="other_rows",
    )
    sums = d.groupby([*CELL, "role"], dropna=False)[["value", "stated"]].sum()
    for _, per_cell in sums.groupby(level=list(range(len(CELL))), dropna=False):
        roles = per_cell.droplevel(list(range(len(CELL))))
        if "total" not in roles.index or not set(PARTS) & set(roles.index):
            continue
        total = int(roles.loc["total", "value"])  # type: ignore[arg-type]
        for part in set(PARTS) & set(roles.index):
            value = int(roles.loc[part, "value"])  # type: ignore[arg-type]
            stated = int(roles.loc[part, "stated"])  # type: ignore[arg-type]
            if value > max(total, stated):
                return False
    return True


@SETTINGS
@given(long_frames(), st.sampled_from([[], ["year"], ["iso3", "year"]]))
def test_generated_breakdowns_match_plain_pandas(frame: pd.DataFrame, by: list[str]) -> None:
    group = ["indicator", "dimension", "category", *by]
    out, excluded = um.gender_breakdown(frame, by=by, return_excluded=True)
    assert_matches_reference(out, reference_by_sex(frame, by), group)
    # Every row is summed or listed, once.
    assert int(out["rows"].sum()) + len(excluded) == len(frame)
    assert excluded["line"].is_unique
    others = [b for b in by if b != "year"]
    totals, left_out = um.totals_by_year(frame, table="glotip", by=others, return_excluded=True)
    assert_matches_reference(
        totals, reference_totals(frame, others), ["indicator", *others, "year"]
    )
    assert int(totals["rows"].sum()) + len(left_out) == len(frame)


@SETTINGS
@given(long_frames(), st.sampled_from(MODES))
def test_categories_plus_unreconciled_equal_total(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    for row in as_records(um.gender_breakdown(frame, by="year", unknown=unknown)):
        if not row["rows"]:
            assert all(row[c] is None for c in COUNTS) and row["qualifier"] is None
            continue
        for sex in ("female", "male", "other"):  # missing where no cell splits by sex
            assert (row[f"{sex}_low"] is None) == (row[f"{sex}_status"] == "missing")
            assert (row[f"{sex}_low"] is None) == (row["cells"] == row["cells_unsplit"])
        if row["qualifier"] == "exact":
            parts = sum(row[p] or 0 for p in PARTS)
            assert parts + row["unreconciled"] == pytest.approx(row["total"])
        # The bounds: unreconciled is the total less the parts (unsplit totals are counted
        # in unknown, and have nothing unreconciled). Its high end takes each part at its
        # stated rows; its low end is at least the total's low end less the parts' high
        # ends (a part never exceeds its cell's total unless its stated rows do, so it may
        # be more: test_generated_breakdowns_match_plain_pandas pins it).
        reported = row["total_high"] - row["unsplit_high"]
        parts_low = sum(row[f"{p}_low"] or 0 for p in PARTS) - row["unsplit_low"]
        assert row["unreconciled_high"] == reported - parts_low
        reported = row["total_low"] - row["unsplit_low"]
        parts_high = sum(row[f"{p}_high"] or 0 for p in PARTS) - row["unsplit_high"]
        assert reported - parts_high <= row["unreconciled_low"] <= row["unreconciled_high"]


@FEWER
@given(long_frames(), st.data())
def test_bounds_hold_every_count_that_the_censored_cells_allow(
    frame: pd.DataFrame, data: st.DataObject
) -> None:
    censored = keyed(um.gender_breakdown(frame, by="year", unknown="bounds"), GROUP_YEAR)
    for row in censored.values():
        for name in COUNTS:
            if row["rows"] and row[f"{name}_low"] is not None:
                assert row[f"{name}_low"] <= row[f"{name}_high"]
            if row[name] is not None:
                assert row[f"{name}_low"] <= row[name] <= row[f"{name}_high"]
        for share in ("female_share", "male_share"):
            for end in ("low", "high"):
                value = row[f"{share}_{end}"]
                assert value is None or 0 <= value <= 1
    exact = realised(frame, lambda i: data.draw(st.integers(0, SUPPRESSED_HIGH), label=str(i)))
    assume(admissible(frame, exact))
    for key, row in keyed(
        um.gender_breakdown(exact, by="year", unknown="bounds"), GROUP_YEAR
    ).items():
        wide = censored[key]
        assert row["rows"] == wide["rows"]
        if not row["rows"]:
            continue
        assert row["qualifier"] == "exact"
        for name in COUNTS:
            if wide[f"{name}_low"] is None:  # no cell splits by sex: missing in both
                assert row[name] is None, name
                continue
            assert wide[f"{name}_low"] <= row[name] <= wide[f"{name}_high"], name
        for share in ("female_share", "male_share"):
            if row[share] is None:  # a total of 0: no share
                continue
            assert wide[f"{share}_low"] <= row[share] + 1e-12
            if wide[f"{share}_high"] is not None:  # missing where the total may be 0
                assert row[f"{share}_high"] <= wide[f"{share}_high"] + 1e-12
    totals = keyed(um.totals_by_year(frame, table="glotip"), ["indicator", "year"])
    for key, row in keyed(um.totals_by_year(exact, table="glotip"), ["indicator", "year"]).items():
        if row["rows"]:
            assert totals[key]["total_low"] <= row["total"] <= totals[key]["total_high"]


@FEWER
@given(long_frames(), st.randoms(use_true_random=False))
def test_input_unchanged_and_row_order_does_not_matter(frame: pd.DataFrame, rnd: Any) -> None:
    before = frame.copy(deep=True)
    out, excluded = um.gender_breakdown(frame, by="year", return_excluded=True)
    totals, left_out = um.totals_by_year(frame, table="glotip", return_excluded=True)
    pd.testing.assert_frame_equal(frame, before)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order]
    again, again_excluded = um.gender_breakdown(shuffled, by="year", return_excluded=True)
    pd.testing.assert_frame_equal(again, out)
    pd.testing.assert_frame_equal(
        again_excluded.sort_values("line", ignore_index=True),
        excluded.sort_values("line", ignore_index=True),
    )
    again_totals, again_left_out = um.totals_by_year(shuffled, table="glotip", return_excluded=True)
    pd.testing.assert_frame_equal(again_totals, totals)
    pd.testing.assert_frame_equal(
        again_left_out.sort_values("line", ignore_index=True),
        left_out.sort_values("line", ignore_index=True),
    )


@FEWER
@given(long_frames(), st.sampled_from(MODES))
def test_polars_gives_the_same_numbers(frame: pd.DataFrame, unknown: UnknownSex) -> None:
    ours = um.gender_breakdown(frame, by="year", unknown=unknown, return_excluded=True)
    theirs = um.gender_breakdown(
        pl.from_pandas(frame), by="year", unknown=unknown, return_excluded=True
    )
    assert [as_records(f) for f in theirs] == [as_records(f) for f in ours]
    ours_t = um.totals_by_year(frame, table="glotip", return_excluded=True)
    theirs_t = um.totals_by_year(pl.from_pandas(frame), table="glotip", return_excluded=True)
    assert [as_records(f) for f in theirs_t] == [as_records(f) for f in ours_t]


# --- Each decision, on a frame small enough to read ---------------------------------------

CELL_2021 = (0, VICTIMS, ("Total", "Total"), 2021)


def test_a_split_is_matched_to_its_total() -> None:
    frame = long_frame(
        [
            (CELL_2021, "total", "total", 30),
            (CELL_2021, "female", "total", 20),
            (CELL_2021, "male", "total", None),
            (CELL_2021, "unknown", "unknown", 5),
            (CELL_2021, "female", "child", 8),  # an age breakdown: listed, not summed
        ]
    )
    out, excluded = um.gender_breakdown(frame, by="year", return_excluded=True)
    row = as_records(out)[0]
    assert [row[c] for c in ("female", "male", "other", "unknown", "total")] == [20, None, 0, 5, 30]
    assert (row["unreconciled_low"], row["unreconciled_high"]) == (1, 5)
    assert (row["rows"], row["rows_excluded"], row["qualifier"]) == (4, 1, "range")
    reason = "a row of an age breakdown (by age group): not a part of the breakdown by sex"
    assert row["excluded"] == f"1 row ({reason}): line 5"
    assert as_records(excluded) == [
        {
            "indicator": VICTIMS,
            "dimension": "Total",
            "category": "Total",
            "year": 2021,
            "line": 5,
            "reason": reason,
        }
    ]


def test_parts_without_a_total_are_listed_not_counted() -> None:
    frame = long_frame([(CELL_2021, "female", "total", 9), (CELL_2021, "male", "total", 7)])
    row = as_records(um.gender_breakdown(frame, by="year"))[0]
    assert (row["rows"], row["rows_excluded"], row["total"], row["female"]) == (0, 2, None, None)
    assert "a part by sex in a cell that has no total" in row["excluded"]


def test_a_total_without_parts_is_unknown_and_its_unknown_row_is_not_added_again() -> None:
    frame = long_frame(
        [
            (CELL_2021, "total", "total", 40),
            (CELL_2021, "unknown", "unknown", 6),  # the unknown age part of an age split
            (CELL_2021, "total", "adult", 34),
        ]
    )
    row = as_records(um.gender_breakdown(frame, by="year"))[0]
    # no split by sex: missing, not 0
    assert [row[c] for c in ("female", "male", "unknown", "unsplit", "total")] == [
        None,
        None,
        40,
        40,
        40,
    ]
    assert (row["female_status"], row["male_status"]) == ("missing", "missing")
    assert (row["unreconciled"], row["cells_unsplit"], row["rows"]) == (0, 1, 1)
    assert "its persons are already in the cell's total" in row["excluded"]


def test_repeated_keys_are_all_added_and_counted() -> None:
    frame = long_frame(
        [
            (CELL_2021, "total", "total", 30),
            (CELL_2021, "female", "total", 20),  # the child count, labelled age total
            (CELL_2021, "female", "total", 7),  # the adult count, labelled age total
        ]
    )
    row = as_records(um.gender_breakdown(frame, by="year"))[0]
    assert (row["female"], row["unreconciled"], row["repeated"]) == (27, 3, 2)


def test_the_unknown_part_at_age_total_is_preferred() -> None:
    frame = long_frame(
        [
            (CELL_2021, "total", "total", 30),
            (CELL_2021, "female", "total", 20),
            (CELL_2021, "unknown", "total", 10),
            (CELL_2021, "unknown", "unknown", 3),  # then a part of the age breakdown
        ]
    )
    row = as_records(um.gender_breakdown(frame, by="year"))[0]
    assert (row["unknown"], row["unreconciled"], row["rows_excluded"]) == (10, 0, 1)


def test_totals_by_year_sums_only_the_overall_counts() -> None:
    other = (1, VICTIMS, ("Total", "Total"), 2021)
    forms = (1, VICTIMS, ("by form of exploitation", "Forced labour"), 2021)
    frame = long_frame(
        [
            (CELL_2021, "total", "total", 30),
            (other, "total", "total", None),
            (other, "female", "total", 12),
            (forms, "total", "total", 9),
        ]
    )
    out, left_out = um.totals_by_year(frame, table="glotip", by="iso3", return_excluded=True)
    rows = keyed(out, ["indicator", "iso3", "year"])
    assert rows[VICTIMS, "NLD", 2021]["total"] == 30
    malta = rows[VICTIMS, "MLT", 2021]
    assert (malta["total"], malta["qualifier"], malta["total_low"], malta["total_high"]) == (
        None,
        "range",
        0,
        4,
    )
    assert (malta["rows"], malta["censored"], malta["rows_excluded"]) == (1, 1, 2)
    assert left_out["line"].tolist() == [3, 4]


def test_shape_detection_and_arguments() -> None:
    frame = long_frame([(CELL_2021, "total", "total", 30)])
    pd.testing.assert_frame_equal(
        um.gender_breakdown(frame), um.gender_breakdown(frame, table="glotip")
    )
    with pytest.raises(
        ValueError,
        match="fit the shapes of 'glotip' and 'trainings'; say which with table='glotip' or ",
    ):
        um.gender_breakdown(frame.assign(female=1))
    with pytest.raises(um.ValidationError, match="table 'trainings'"):
        um.gender_breakdown(frame, table="trainings")
    with pytest.raises(um.ValidationError, match="table 'glotip'"):
        um.gender_breakdown(um.load("trainings"), table="glotip")
    with pytest.raises(ValueError, match="by cannot name"):
        um.gender_breakdown(frame, by="sex")
    with pytest.raises(ValueError, match="by cannot name"):
        um.totals_by_year(frame, table="glotip", by=["line"])
    with pytest.raises(ValueError, match="does not have"):
        um.totals_by_year(frame, table="glotip", by="area")
    with pytest.raises(TypeError, match="pandas or polars DataFrame"):
        um.totals_by_year(frame.to_dict(), table="glotip")  # type: ignore[call-overload]


def test_an_invalid_long_frame_lists_every_failure() -> None:
    frame = long_frame([(CELL_2021, "total", "total", 30), (CELL_2021, "female", "total", 20)])
    bad = frame.assign(value_high=pd.array([30, 21], dtype="Int64"), sex=["total", "woman"])
    for kind in (bad, pl.from_pandas(bad)):
        with pytest.raises(um.ValidationError) as info:
            um.gender_breakdown(kind, table="glotip")
        failures = info.value.failures
        assert set(failures["column"]) == {"sex", "censored, value, value_low, value_high"}
        assert failures["row"].tolist() == [1, 1]
        assert dict(zip(failures["column"], failures["rule"], strict=True)) == {
            "sex": "isin",
            "censored, value, value_low, value_high": "bounds_follow_censoring",
        }


def test_a_failure_shows_each_value_as_the_frame_holds_it() -> None:
    # A censored row makes polars' value column hold a null: its counts are still whole.
    frame = long_frame([(CELL_2021, "total", "total", 103), (CELL_2021, "female", "total", None)])
    bad = frame.assign(value_high=pd.array([104, 4], dtype="Int64"))
    for kind in (bad, pl.from_pandas(bad)):
        with pytest.raises(um.ValidationError) as info:
            um.gender_breakdown(kind, table="glotip")
        failures = info.value.failures
        assert failures[["column", "row", "value", "rule"]].values.tolist() == [
            [
                "censored, value, value_low, value_high",
                0,
                "censored=False, value=103, value_low=103, value_high=104",
                "bounds_follow_censoring",
            ]
        ]
