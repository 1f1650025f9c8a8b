"""The benchmark suite of unodc-metrics: medians over repeated runs, with same-run baselines.

Run from the repository's root::

    python benchmarks/run.py                       # every case, at 100k, 1m and 10m rows
    python benchmarks/run.py --sizes 100k,1m --repeat 5
    python benchmarks/run.py --only validate,gender_breakdown_pandas --sizes 1m
    python benchmarks/run.py --write docs/performance.md
    python benchmarks/run.py --only validate --sizes 1m --profile /tmp/profiles

Each case is timed against a baseline that computes the same thing the plain way, measured
in the same run, so that the ratio holds on a noisy machine. Every measurement runs in a
fresh child process (``python benchmarks/run.py --child ...``): the imports, the command line
and the peak memory are measured there, never in this process. Timing never enters the test
suite: this script is not collected by pytest.

Peak memory is read from Linux's ``/proc/self/status``: the child loads its input, warms up
on a small slice, returns freed memory to the system (``malloc_trim``, Arrow's pool), resets
its high-water mark (``/proc/self/clear_refs``), then runs the repeats; ``peak`` is the
child's highest resident set size while it ran them, and ``extra`` is that peak less the
resident size before the first repeat. Both sides of a case import the same modules and load
the same frame, so their peaks differ only by the work done. For the command-line cases, the
peak is the child's ``ru_maxrss``.

Before timing, the script checks, on 100k rows, that each baseline computes the same numbers
as the function it stands for (an equality check, not a timing assertion).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the sibling module, found through sys.path)

TIMES = "\u00d7"  # the multiplication sign of the ratios

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa  # type: ignore[import-untyped]

GLOTIP_FILE = ROOT.parent / "shared" / "external" / "glotip" / "data_glotip_2025-04-14.xlsx"
"""The real 2025 GLOTIP download, outside the repository (never copied into it)."""

RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
# A cap on one child's repeats, in seconds: a 10M case that takes minutes runs fewer times.
DEFAULT_BUDGET = 420.0


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One benchmark: a function of the package and the baseline it is held against."""

    name: str
    what: str
    baseline: str
    target: float | None
    kind: str  # "process" (a fresh interpreter per run), "frame" (per size) or "file"
    memory_target: float | None = None
    min_repeat: int = 5
    sizes: tuple[str, ...] = ("100k", "1m", "10m")


CASES: dict[str, Case] = {
    c.name: c
    for c in (
        Case(
            "import",
            '`python -c "import unodc_metrics"`',
            '`python -c "import pandas"`',
            1.1,
            "process",
            min_repeat=7,
        ),
        Case(
            "cli_tables",
            "`unodc-metrics tables`",
            '`python -c "import pandas"`',
            1.5,
            "process",
            min_repeat=7,
        ),
        Case(
            "gender_breakdown_pandas",
            '`gender_breakdown(df, by="initiative", validate=False)`, pandas',
            "hand-written pandas groupby, no validation",
            1.3,
            "frame",
            memory_target=1.5,
            min_repeat=3,
        ),
        Case(
            "gender_breakdown_polars",
            '`gender_breakdown(df, by="initiative", validate=False)`, polars',
            "hand-written polars group_by, no validation",
            1.3,
            "frame",
            memory_target=1.5,
            min_repeat=3,
        ),
        Case(
            "gender_breakdown_pandas_validated",
            '`gender_breakdown(df, by="initiative")`, pandas, validating (no target)',
            "hand-written checks of the same rules, then the pandas groupby",
            None,
            "frame",
            min_repeat=3,
        ),
        Case(
            "gender_breakdown_polars_validated",
            '`gender_breakdown(df, by="initiative")`, polars, validating (no target)',
            "hand-written pandas checks of the same rules, then the polars group_by",
            None,
            "frame",
            min_repeat=3,
        ),
        Case(
            "validate",
            '`validate(df, "trainings")`, pandas',
            "hand-written vectorised pandas checks of the same rules",
            3.0,
            "frame",
            min_repeat=3,
        ),
        Case(
            "read_glotip",
            "`read_glotip` on the real 2025 file",
            '`pandas.read_excel(engine="openpyxl")`',
            0.3,
            "file",
        ),
        Case(
            "read_glotip_process",
            "`read_glotip` on the real 2025 file, first read, whole process",
            "`fastexcel` reading the same sheet to Arrow, whole process",
            1.3,
            "process",
            memory_target=2.0,
        ),
        Case(
            "cli_validate",
            "`unodc-metrics validate trainings.csv --table trainings`, 1M rows, valid",
            "`pandas.read_csv` then `um.validate(df, 'trainings')`, whole process",
            1.5,
            "process",
            memory_target=1.5,
        ),
        Case(
            "cli_validate_failing",
            "`unodc-metrics validate` on a 1M-row Parquet file whose every country is lower-cased",
            "`unodc-metrics validate` on the same file, valid",
            None,
            "process",
            memory_target=1.5,
        ),
        Case(
            "read_glotip_cached",
            "`read_glotip` again, cached",
            '`pandas.read_excel(engine="openpyxl")`',
            0.05,
            "file",
        ),
        Case(
            "read_glotip_csv",
            "`read_glotip` on a synthetic GLOTIP CSV (no target)",
            "`pandas.read_csv(skiprows=2)`",
            None,
            "frame",
            min_repeat=3,
            sizes=("100k", "1m"),
        ),
    )
}


# --------------------------------------------------------------------------------------------
# Baselines: the same numbers, computed the plain way, without validation
# --------------------------------------------------------------------------------------------

_SUMS = (
    "total",
    "female",
    "male",
    "other",
    "unknown",
    "unreconciled",
    "total_low",
    "total_high",
    "female_low",
    "female_high",
    "rows",
    "rows_excluded",
)
"""The numbers that a baseline of ``gender_breakdown`` computes, per initiative."""


def baseline_gender_pandas(df: pd.DataFrame) -> pd.DataFrame:
    """``gender_breakdown(df, by="initiative")``'s numbers, with one pandas groupby.

    Rows with ``part_of`` are left out (and counted). Of a row's total, what its counts by sex
    leave over goes to ``unknown``, except in a row that states ``unknown_sex``, where it goes
    to ``unreconciled``.
    """
    import numpy as np
    import pandas as pd

    counted = df["part_of"].isna().to_numpy()

    def ints(name: str) -> Any:
        return np.where(counted, df[name].to_numpy(dtype=np.int64, na_value=0), 0)

    value, female, male = ints("value"), ints("female"), ints("male")
    other, unknown = ints("other_sex"), ints("unknown_sex")
    rest = value - female - male - other - unknown
    to_unknown = np.where((rest > 0) & df["unknown_sex"].isna().to_numpy(), rest, 0)
    parts = pd.DataFrame(
        {
            "total": value,
            "female": female,
            "male": male,
            "other": other,
            "unknown": unknown + to_unknown,
            "unreconciled": rest - to_unknown,
            "total_low": ints("value_low"),
            "total_high": ints("value_high"),
            "unbounded": counted & df["value_high"].isna().to_numpy(),
            "inexact": counted & (df["qualifier"] != "exact").to_numpy(),
            "female_low": ints("female_low"),
            "female_high": ints("female_high"),
            "rows": counted,
            "rows_excluded": ~counted,
        },
        index=df.index,
    )
    sums = parts.groupby(df["initiative"], dropna=False, sort=True).sum()
    out = sums.reset_index()
    out["total_high"] = out["total_high"].where(out["unbounded"] == 0)
    out["qualifier"] = np.where(
        out["inexact"] == 0, "exact", np.where(out["unbounded"] > 0, "at_least", "approximately")
    )
    for name in ("female", "male", "other", "unknown"):
        out[f"{name}_share"] = out[name] / out["total"]
    return out.drop(columns=["unbounded", "inexact"])


def baseline_gender_polars(df: pl.DataFrame) -> pl.DataFrame:
    """The same numbers as :func:`baseline_gender_pandas`, with one polars group_by."""
    import polars as pl

    counted = pl.col("part_of").is_null()
    f, m = pl.col("female").fill_null(0), pl.col("male").fill_null(0)
    o, u = pl.col("other_sex").fill_null(0), pl.col("unknown_sex").fill_null(0)
    rest = pl.col("value") - f - m - o - u
    to_unknown = pl.when((rest > 0) & pl.col("unknown_sex").is_null()).then(rest).otherwise(0)

    def total(expr: pl.Expr) -> pl.Expr:
        return expr.filter(counted).sum()

    out = (
        df.group_by("initiative")
        .agg(
            total(pl.col("value")).alias("total"),
            total(f).alias("female"),
            total(m).alias("male"),
            total(o).alias("other"),
            total(u + to_unknown).alias("unknown"),
            total(rest - to_unknown).alias("unreconciled"),
            total(pl.col("value_low")).alias("total_low"),
            total(pl.col("value_high").fill_null(0)).alias("total_high"),
            total(pl.col("value_high").is_null()).alias("unbounded"),
            total(pl.col("qualifier") != "exact").alias("inexact"),
            total(pl.col("female_low").fill_null(0)).alias("female_low"),
            total(pl.col("female_high").fill_null(0)).alias("female_high"),
            counted.sum().alias("rows"),
            (~counted).sum().alias("rows_excluded"),
        )
        .sort("initiative", nulls_last=True)
    )
    return out.with_columns(
        pl.when(pl.col("unbounded") == 0).then(pl.col("total_high")).alias("total_high"),
        pl.when(pl.col("inexact") == 0)
        .then(pl.lit("exact"))
        .when(pl.col("unbounded") > 0)
        .then(pl.lit("at_least"))
        .otherwise(pl.lit("approximately"))
        .alias("qualifier"),
        *(
            (pl.col(name) / pl.col("total")).alias(f"{name}_share")
            for name in ("female", "male", "other", "unknown")
        ),
    ).drop("unbounded", "inexact")


_TRAININGS_DTYPES: dict[str, str] = {
    **dict.fromkeys(generate.TEXT_COLUMNS, "string"),
    **dict.fromkeys(generate.INT_COLUMNS, "Int64"),
    "period_start": "datetime64[ns]",
    "period_end": "datetime64[ns]",
    "female_percent": "Float64",
    "sex_split_derived": "bool",
}
_COLUMN_ORDER = list(generate.trainings_arrow(10).column_names)


def _comma_list(allowed: tuple[str, ...]) -> str:
    """A regular expression for comma-separated tokens from ``allowed`` (blanks ignored)."""
    token = "(?:" + "|".join(a.replace(".", r"\.") for a in allowed) + ")"
    return rf"^\s*(?:{token}\s*)?(?:,\s*(?:{token}\s*)?)*$"


@cache
def _iso3166_alpha3() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes, from pycountry, read once as the package reads them."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def baseline_validate(df: pd.DataFrame) -> tuple[list[str], dict[str, pd.Series]]:
    """The rules of the ``trainings`` schema as plain vectorised pandas, without pandera.

    Returns:
        The frame-level problems (columns, order, dtypes), and for each rule a mask that is
        True where a row passes it.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    import unodc_metrics as um
    from unodc_metrics import schemas

    measures = um.load("measures")
    trainings_measures = set(measures.loc[measures["table"] == "trainings", "measure"])
    initiative_codes = set(um.load("initiatives")["code"])

    problems: list[str] = []
    if list(df.columns) != _COLUMN_ORDER:
        problems.append("columns: not the schema's columns in the schema's order")
    for name, kind in _TRAININGS_DTYPES.items():
        dtype = df[name].dtype
        ok = isinstance(dtype, pd.StringDtype) if kind == "string" else str(dtype) == kind
        if not ok:
            problems.append(f"{name}: dtype {dtype}, not {kind}")

    def ge0(name: str) -> pd.Series:
        return (df[name] >= 0).fillna(True)

    def present(name: str) -> pd.Series:
        return df[name].notna()

    def filled(name: str) -> pd.Series:
        return (df[name].str.len() >= 1).fillna(False)

    ints = {
        c: df[c].to_numpy(dtype=np.float64, na_value=np.nan)
        for c in ("value", "value_low", "value_high", "female", "female_low", "female_high")
    }
    v, lo, hi = ints["value"], ints["value_low"], ints["value_high"]
    q = df["qualifier"]
    rules: dict[str, pd.Series] = {
        "id": present("id") & ~df["id"].duplicated(keep=False) & ~df["id"].str.contains(r"\s"),
        "paragraph": (df["paragraph"] >= 1).fillna(False),
        "phrase": filled("phrase"),
        "description": filled("description"),
        "measure": present("measure") & df["measure"].isin(trainings_measures),
        "value": present("value") & ge0("value"),
        "qualifier": q.isin(schemas.QUALIFIERS),
        "value_low": present("value_low") & ge0("value_low"),
        "period_kind": df["period_kind"].isin(schemas.PERIOD_KINDS),
        "sex_split_derived": present("sex_split_derived"),
        "female_percent": df["female_percent"].between(0, 100).fillna(True),
    }
    for name in ("value_high", "female", "male", "other_sex", "unknown_sex"):
        rules[name] = ge0(name)
    rules["female_low"] = ge0("female_low")
    rules["female_high"] = ge0("female_high")

    def series(values: Any) -> pd.Series:
        return pd.Series(values, index=df.index)

    with np.errstate(invalid="ignore"):
        hi_missing = np.isnan(hi)
        rules["bounds_follow_qualifier"] = series(
            ((q == "exact").to_numpy() & (lo == v) & (hi == v))
            | ((q == "at_least").to_numpy() & (lo == v) & hi_missing)
            | (q.isin(["more_than", "over"]).to_numpy() & (lo == v + 1) & hi_missing)
            | ((q == "approximately").to_numpy() & (lo <= v) & (v <= hi))
        )
    start, end = df["period_start"], df["period_end"]
    rules["period_in_order"] = ~(start > end)
    pk = df["period_kind"]
    both = start.notna() & end.notna()
    same_year = both & (start.dt.year == end.dt.year)
    whole_year = (
        same_year
        & (start.dt.month == 1)
        & (start.dt.day == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
    )
    rules["period_matches_kind"] = (
        ((pk == "calendar_year") & whole_year)
        | ((pk == "part_of_year") & same_year & ~whole_year)
        | (pk.isin(["date_range", "stock"]) & both)
        | ((pk == "cumulative") & end.notna())
        | (pk == "unspecified")
    ).fillna(False)

    # Nesting: find each part_of among the ids once (pyarrow's hash lookup; pandas'
    # ArrowStringArray.isin builds a Python scalar per value, which takes minutes at 10M).
    part_of = df["part_of"]
    nested = part_of.notna().to_numpy()
    where = pc.index_in(pa.array(part_of), value_set=pa.array(df["id"]))
    pos = where.to_numpy(zero_copy_only=False)  # float: NaN where missing or not found
    found = ~np.isnan(pos)
    rules["part_of_exists"] = series(~nested | (found & (part_of != df["id"]).to_numpy()))
    at = np.where(found, pos, 0).astype(np.int64)
    parent_high = np.where(found, hi[at], np.nan)
    with np.errstate(invalid="ignore"):
        rules["part_within_whole"] = series(~(lo > parent_high))
        sums = np.bincount(at[found], weights=lo[found], minlength=len(df))
        part_sums = np.where(found, sums[at], np.nan)
        rules["parts_within_whole"] = series(~nested | ~(part_sums > parent_high))

    inferred = df["inferred"]
    rules["inference_explained"] = (
        inferred.isna() | inferred.str.fullmatch(_comma_list(schemas.INFERABLE)).fillna(False)
    ) & (inferred.isna() == df["inferred_reason"].isna())
    flags = df["flags"]
    rules["flags_known"] = flags.isna() | flags.str.fullmatch(_comma_list(schemas.FLAGS)).fillna(
        False
    )
    initiative = df["initiative"]
    rules["initiative_known"] = initiative.isna() | initiative.isin(initiative_codes)
    country = df["country"]
    rules["country_is_iso3166"] = country.isna() | country.isin(_iso3166_alpha3())

    parts = sum(
        df[c].to_numpy(dtype=np.int64, na_value=0)
        for c in ("female_low", "male", "other_sex", "unknown_sex")
    )
    with np.errstate(invalid="ignore"):
        rules["sexes_within_total"] = series(~(parts > hi))

    f, flo, fhi = ints["female"], ints["female_low"], ints["female_high"]
    derived = df["sex_split_derived"].to_numpy(dtype=bool)
    pct = df["female_percent"].to_numpy(dtype=np.float64, na_value=np.nan)
    f_na, lo_na, hi_na = np.isnan(f), np.isnan(flo), np.isnan(fhi)
    with np.errstate(invalid="ignore"):
        none = f_na & lo_na & hi_na & ~derived
        stated = ~f_na & ~derived & (flo == f) & (fhi == f)
        contained = ~f_na & (flo <= f) & (f <= fhi) & ~np.isnan(pct)
        whole_pct = ~np.isnan(pct) & (np.mod(pct, 1) == 0) & ~np.isnan(v)
        p = np.where(whole_pct, pct, 0).astype(np.int64)
        n = np.where(whole_pct, v, 0).astype(np.int64)
        exp_lo = np.maximum(0, np.ceil(n * (2 * p - 1) / 200))
        exp_hi = np.minimum(n, np.floor(n * (2 * p + 1) / 200))
        matches = ~whole_pct | ((flo == exp_lo) & (fhi == exp_hi))
        rules["female_bounds"] = series(none | stated | (derived & contained & matches))
    return problems, rules


def baseline_validate_failed_rows(df: pd.DataFrame) -> set[Any]:
    """The index labels of the rows that break any rule of :func:`baseline_validate`."""
    import numpy as np

    problems, rules = baseline_validate(df)
    if problems:
        raise ValueError("; ".join(problems))
    ok = np.logical_and.reduce([r.to_numpy(dtype=bool) for r in rules.values()])
    return set(df.index[~ok])


# --------------------------------------------------------------------------------------------
# Checking the baselines against the package (equality, not timing)
# --------------------------------------------------------------------------------------------


def check_baselines(cases: list[str]) -> list[str]:
    """Compare each baseline with the function it stands for, on 100k rows."""
    import unodc_metrics as um

    lines: list[str] = []
    rows = generate.SIZES["100k"]
    if "gender_breakdown_pandas" in cases:
        df = generate.trainings_pandas(rows)
        got = um.gender_breakdown(df, by="initiative")
        want = baseline_gender_pandas(df)
        _assert_same(got, {str(k): list(v) for k, v in want.items()}, "gender_breakdown, pandas")
        lines.append("gender_breakdown, pandas: the baseline's numbers equal the function's")
    if "gender_breakdown_polars" in cases:
        pdf = generate.trainings_polars(rows)
        got_pl = um.gender_breakdown(pdf, by="initiative").to_pandas()
        want_pl = baseline_gender_polars(pdf)
        _assert_same(got_pl, want_pl.to_dict(as_series=False), "gender_breakdown, polars")
        lines.append("gender_breakdown, polars: the baseline's numbers equal the function's")
    if "validate" in cases:
        df = generate.trainings_pandas(rows)
        um.validate(df, table="trainings")
        assert baseline_validate_failed_rows(df) == set(), "the baseline rejects a valid frame"
        bad = _broken(df)
        try:
            um.validate(bad, table="trainings")
        except um.ValidationError as err:
            flagged = set(err.failures["row"].dropna().astype(int))
        else:
            raise AssertionError("validate accepted a broken frame")
        mine = {int(i) for i in baseline_validate_failed_rows(bad)}
        assert mine == flagged, f"rows flagged differ: baseline {mine}, validate {flagged}"
        lines.append(
            f"validate: the baseline passes the valid frame and flags the same {len(mine)} "
            "rows as validate in a frame broken on every rule"
        )
    return lines


def _assert_same(got: pd.DataFrame, want: dict[str, list[Any]], what: str) -> None:
    import pandas as pd

    def norm(values: Any) -> list[Any]:
        return [None if pd.isna(x) else (round(float(x), 12)) for x in values]

    assert len(got) == len(want["total"]), f"{what}: {len(got)} groups, baseline {len(want)}"
    keys = ["initiative", *_SUMS, "female_share", "male_share", "other_share", "unknown_share"]
    for key in keys:
        if key == "initiative":
            a = [None if pd.isna(x) else x for x in got[key]]
            b = [None if pd.isna(x) else x for x in want[key]]
        else:
            a, b = norm(got[key]), norm(want[key])
        assert a == b, f"{what}: column {key!r} differs: {a} != {b}"
    assert list(got["qualifier"]) == list(want["qualifier"]), f"{what}: qualifier differs"


def _broken(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with one row broken for each rule (and a few column checks)."""
    import pandas as pd

    bad = df.copy()
    ids = bad["id"]
    top = bad.index[bad["part_of"].isna() & (bad["qualifier"] == "exact")]
    children = bad.index[bad["part_of"].notna()]
    derived = bad.index[bad["sex_split_derived"] & (bad["female_percent"] % 1 == 0)]
    cal = bad.index[bad["period_kind"] == "calendar_year"]
    r = iter(top[:20])
    bad.loc[next(r), "value"] = -3  # value >= 0 (and the bounds)
    bad.loc[next(r), "value_low"] = 1_000_000  # bounds follow the qualifier
    row = next(r)
    bad.loc[row, "period_start"] = pd.Timestamp("2030-01-01")  # start after end
    bad.loc[cal[0], "period_end"] = pd.Timestamp("2019-12-30")  # calendar_year
    bad.loc[children[0], "part_of"] = "NO-SUCH-ID"  # part_of exists
    bad.loc[children[1], "value_low"] = 10_000_000  # part within whole (and parts)
    bad.loc[next(r), "inferred"] = "weather"  # inference explained
    bad.loc[next(r), "inferred_reason"] = "no attribute inferred"
    bad.loc[next(r), "flags"] = "parts_short_of_total, typo"
    bad.loc[next(r), "initiative"] = "NOPE"
    bad.loc[next(r), "country"] = "XXX"
    bad.loc[next(r), "measure"] = "persons_rescued"
    row = next(r)
    bad.loc[row, "male"] = int(bad.loc[row, "value_high"]) + 1  # sexes within total
    bad.loc[derived[0], "female_high"] = int(bad.loc[derived[0], "female_high"]) + 1
    bad.loc[next(r), "id"] = ids.loc[top[19]]  # a duplicated id (both rows fail)
    bad.loc[next(r), "paragraph"] = 0
    bad.loc[next(r), "female_percent"] = 101.0
    return bad


# --------------------------------------------------------------------------------------------
# Child processes: one measurement each
# --------------------------------------------------------------------------------------------


def _status() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in KiB."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return out


def _release_memory() -> None:
    gc.collect()
    with contextlib.suppress(Exception):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def _read_table(path: str) -> pa.Table:
    import pyarrow as pa

    with pa.OSFile(path, "rb") as fh:
        table: pa.Table = pa.ipc.open_file(fh).read_all()
    return table


def _prepare(case: str, side: str, data: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The work of one side of a case, and a small warm-up of the same work."""
    import narwhals  # noqa: F401  (both sides import the same modules)
    import pandas as pd
    import polars as pl

    import unodc_metrics as um
    from unodc_metrics import schemas  # noqa: F401

    if case in ("gender_breakdown_pandas", "gender_breakdown_pandas_validated", "validate"):
        df = generate._to_pandas(_read_table(data))
        small = generate.trainings_pandas(2000)  # self-contained: its part_of ids exist
        if case == "validate":
            if side == "baseline":
                return (
                    lambda: baseline_validate_failed_rows(df),
                    lambda: baseline_validate_failed_rows(small),
                )
            return (
                lambda: um.validate(df, table="trainings"),
                lambda: um.validate(small, table="trainings"),
            )
        if case == "gender_breakdown_pandas_validated":
            if side == "baseline":
                return (
                    lambda: (baseline_validate_failed_rows(df), baseline_gender_pandas(df)),
                    lambda: (baseline_validate_failed_rows(small), baseline_gender_pandas(small)),
                )
            return (
                lambda: um.gender_breakdown(df, by="initiative"),
                lambda: um.gender_breakdown(small, by="initiative"),
            )
        if side == "baseline":
            return lambda: baseline_gender_pandas(df), lambda: baseline_gender_pandas(small)
        return (
            lambda: um.gender_breakdown(df, by="initiative", validate=False),
            lambda: um.gender_breakdown(small, by="initiative", validate=False),
        )
    if case in ("gender_breakdown_polars", "gender_breakdown_polars_validated"):
        table = _read_table(data)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        pdf = frame.with_columns(pl.col("period_start", "period_end").dt.cast_time_unit("us"))
        del frame
        psmall = generate.trainings_polars(2000)
        if case == "gender_breakdown_polars":
            del table
            if side == "baseline":
                return lambda: baseline_gender_polars(pdf), lambda: baseline_gender_polars(psmall)
            return (
                lambda: um.gender_breakdown(pdf, by="initiative", validate=False),
                lambda: um.gender_breakdown(psmall, by="initiative", validate=False),
            )
        if side == "baseline":
            # The hand-written checks are written for pandas: the conversion is part of them.
            return (
                lambda: (
                    baseline_validate_failed_rows(generate._to_pandas(table)),
                    baseline_gender_polars(pdf),
                ),
                lambda: baseline_gender_polars(psmall),
            )
        return (
            lambda: um.gender_breakdown(pdf, by="initiative"),
            lambda: um.gender_breakdown(psmall, by="initiative"),
        )
    if case == "read_glotip_csv":
        tiny = Path(data).with_name("tiny.csv")
        if side == "baseline":
            return (
                lambda: pd.read_csv(data, skiprows=2),
                lambda: pd.read_csv(tiny, skiprows=2),
            )
        return lambda: um.read_glotip(data), lambda: um.read_glotip(tiny)
    if case in ("read_glotip", "read_glotip_cached"):
        import openpyxl  # type: ignore[import-untyped]  # noqa: F401

        tiny = Path(data).with_name("tiny.csv")
        if side == "baseline":
            return (
                lambda: pd.read_excel(GLOTIP_FILE, engine="openpyxl", skiprows=2),
                lambda: pd.read_csv(tiny, skiprows=2),
            )
        if case == "read_glotip":
            return lambda: um.read_glotip(GLOTIP_FILE), lambda: um.read_glotip(tiny)
        cache = Path(data).with_name("glotip-cache")
        um.read_glotip(GLOTIP_FILE, cache_dir=cache)  # fills the cache
        return (
            lambda: _cached(um.read_glotip(GLOTIP_FILE, cache_dir=cache)),
            lambda: um.read_glotip(tiny),
        )
    raise ValueError(f"no such case: {case}")


def _cached(df: pd.DataFrame) -> pd.DataFrame:
    assert df.attrs["glotip"]["from_cache"], "the cache was not used"
    return df


def child(argv: list[str]) -> int:
    """Run one side of one case: print the times and the peak memory as JSON."""
    parser = argparse.ArgumentParser(prog="run.py --child")
    parser.add_argument("case")
    parser.add_argument("side", choices=("function", "baseline"))
    parser.add_argument("data")
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET)
    parser.add_argument("--profile", default=None)
    args = parser.parse_args(argv)

    work, warm = _prepare(args.case, args.side, args.data)
    warm()
    _release_memory()
    before = _status()["VmRSS"]
    peak_ok = _reset_peak()
    times: list[float] = []
    started = time.perf_counter()
    for i in range(args.repeat):
        t0 = time.perf_counter()
        if args.profile and i == 0:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.005)
            profiler.start()
            result = work()
            profiler.stop()
            Path(args.profile).write_text(
                profiler.output_text(unicode=False, color=False, show_all=False)
            )
        else:
            result = work()
        times.append(time.perf_counter() - t0)
        del result
        if time.perf_counter() - started + times[-1] > args.budget:
            break
    status = _status()
    print(
        json.dumps(
            {
                "times": times,
                "peak_mb": status["VmHWM"] / 1024 if peak_ok else None,
                "before_mb": before / 1024,
            }
        )
    )
    return 0


# --------------------------------------------------------------------------------------------
# The parent: data, children, table
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    case: Case
    size: str
    times: list[float]
    base_times: list[float]
    peak_mb: float | None = None
    base_peak_mb: float | None = None
    extra_mb: float | None = None
    base_extra_mb: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def base_median(self) -> float:
        return statistics.median(self.base_times)

    @property
    def ratio(self) -> float:
        return self.median / self.base_median

    @property
    def met(self) -> bool | None:
        return None if self.case.target is None else self.ratio <= self.case.target

    @property
    def peak_ratio(self) -> float | None:
        if self.peak_mb is None or not self.base_peak_mb:
            return None
        return self.peak_mb / self.base_peak_mb

    @property
    def memory_met(self) -> bool | None:
        target, ratio = self.case.memory_target, self.peak_ratio
        return None if target is None or ratio is None else ratio <= target


def _python() -> str:
    return sys.executable


def _cli() -> str:
    script = Path(sys.executable).with_name("unodc-metrics")
    return str(script) if script.exists() else shutil.which("unodc-metrics") or "unodc-metrics"


# Runs the commands of a process case and reports their times and peak memory. It runs in
# a small interpreter of its own (``python -S -c``): a process forked from a large one reports
# the large one's size as its own peak (Linux keeps the high-water mark across exec).
_SPAWNER = """
import json, os, subprocess, sys, time
commands, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
def run(command):
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return elapsed, usage.ru_maxrss / 1024
for command in commands:
    run(command)  # once each, to warm the file system cache
out = [[] for _ in commands]
for _ in range(repeat):  # interleaved: drift on a shared machine hits both alike
    for i, command in enumerate(commands):
        out[i].append(run(command))
print(json.dumps(out))
"""


def _process_commands(name: str, folder: Path, seed: int) -> tuple[list[str], list[str]]:
    """The baseline's command and the function's, for a process case."""
    if name == "cli_validate":
        csv = _trainings_text(folder, seed, "csv")
        read = "import sys, pandas as pd, unodc_metrics as um; "
        read += "um.validate(pd.read_csv(sys.argv[1]), 'trainings')"
        return [_python(), "-c", read, str(csv)], [
            _cli(),
            "validate",
            str(csv),
            "--table",
            "trainings",
        ]
    if name == "cli_validate_failing":
        valid = _trainings_text(folder, seed, "parquet")
        failing = _trainings_text(folder, seed, "parquet", lower_countries=True)
        return (
            [_cli(), "validate", str(valid), "--table", "trainings"],
            ["sh", "-c", f"{_cli()} validate {failing} --table trainings; test $? -eq 1"],
        )
    if name == "read_glotip_process":
        bare = "import fastexcel, sys; fastexcel.read_excel(sys.argv[1])"
        bare += ".load_sheet(0, header_row=2).to_arrow()"
        ours = "import sys, unodc_metrics as um; um.read_glotip(sys.argv[1])"
        return (
            [_python(), "-c", bare, str(GLOTIP_FILE)],
            [_python(), "-c", ours, str(GLOTIP_FILE)],
        )
    baseline = [_python(), "-c", "import pandas"]
    if name == "import":
        return baseline, [_python(), "-c", "import unodc_metrics"]
    return baseline, [_cli(), "tables"]


def run_process_case(case: Case, repeat: int, folder: Path, seed: int) -> Result:
    baseline, command = _process_commands(case.name, folder, seed)
    n = max(repeat, case.min_repeat)
    # Run outside the repository, so that ``import unodc_metrics`` finds the installed package.
    proc = subprocess.run(
        [_python(), "-S", "-c", _SPAWNER, json.dumps([baseline, command]), str(n)],
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{case.name} failed:\n{proc.stderr[-4000:]}")
    base, got = json.loads(proc.stdout)
    return Result(
        case,
        "-",
        [t for t, _ in got],
        [t for t, _ in base],
        peak_mb=statistics.median(p for _, p in got),
        base_peak_mb=statistics.median(p for _, p in base),
    )


def _run_child(
    case: Case, side: str, data: Path, repeat: int, budget: float, profile: Path | None
) -> dict[str, Any]:
    command = [
        _python(),
        str(Path(__file__).resolve()),
        "--child",
        case.name,
        side,
        str(data),
        "--repeat",
        str(repeat),
        "--budget",
        str(budget),
    ]
    if profile is not None:
        command += ["--profile", str(profile)]
    proc = subprocess.run(
        command, cwd=tempfile.gettempdir(), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {case.name} {side} failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run_child_case(
    case: Case,
    size: str,
    data: Path,
    repeat: int,
    budget: float,
    profile_dir: Path | None,
    baselines: dict[tuple[str, str], dict[str, Any]],
) -> Result:
    n = max(repeat, case.min_repeat)
    key = (case.baseline, size)  # read_glotip and read_glotip_cached share their baseline
    if key not in baselines:
        baselines[key] = _run_child(case, "baseline", data, n, budget, None)
    base = baselines[key]
    profile = None
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        profile = profile_dir / f"{case.name}-{size}.txt"
    got = _run_child(case, "function", data, n, budget, profile)
    result = Result(case, size, got["times"], base["times"])
    if got["peak_mb"] is not None and base["peak_mb"] is not None:
        result.peak_mb, result.base_peak_mb = got["peak_mb"], base["peak_mb"]
        result.extra_mb = got["peak_mb"] - got["before_mb"]
        result.base_extra_mb = base["peak_mb"] - base["before_mb"]
    return result


@contextlib.contextmanager
def _data_dir(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    path = Path(tempfile.mkdtemp(prefix="unodc-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _trainings_file(folder: Path, size: str, seed: int) -> Path:
    import pyarrow as pa

    path = folder / f"trainings-{size}-{seed}.arrow"
    if not path.exists():
        table = generate.trainings_arrow(generate.parse_size(size), seed)
        tmp = path.with_suffix(".tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        tmp.replace(path)
    return path


def _trainings_text(folder: Path, seed: int, kind: str, *, lower_countries: bool = False) -> Path:
    """A valid 1M-row trainings file in the library's conventions (CSV or Parquet), dates as
    dates; with ``lower_countries``, every country code lower-cased, so that every row with
    a country fails the ISO 3166 rule."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = folder / f"trainings-1m-{seed}{'-lower' if lower_countries else ''}.{kind}"
    if path.exists():
        return path
    table = generate.trainings_arrow(generate.parse_size("1m"), seed)
    for name in ("period_start", "period_end"):
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, table.column(name).cast(pa.date32()))
    if lower_countries:
        i = table.schema.get_field_index("country")
        table = table.set_column(i, "country", pc.utf8_lower(table.column("country")))
    tmp = path.with_suffix(".tmp")
    if kind == "csv":
        pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="needed"))
    else:
        pq.write_table(table, tmp)
    tmp.replace(path)
    return path


def _glotip_file(folder: Path, size: str, seed: int) -> Path:
    path = folder / f"glotip-{size}-{seed}.csv"
    if not path.exists():
        generate.write_glotip_csv(generate.glotip_arrow(generate.parse_size(size), seed), path)
    return path


def _tiny_csv(folder: Path, seed: int) -> None:
    tiny = folder / "tiny.csv"
    if not tiny.exists():
        generate.write_glotip_csv(generate.glotip_arrow(50, seed), tiny)


def _fmt_s(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f}"
    if seconds >= 1:
        return f"{seconds:.2f}"
    return f"{seconds:.3f}"


def _fmt_ratio(ratio: float) -> str:
    return f"{ratio:.3f}{TIMES}" if ratio < 0.1 else f"{ratio:.2f}{TIMES}"


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "**no**")


def table_lines(results: list[Result]) -> list[str]:
    head = (
        "| case | rows | runs | median s | baseline median s | ratio | target | met | "
        "peak MB | baseline peak MB | peak ratio | extra MB (fn / baseline) | memory met |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        target = "-" if r.case.target is None else f"≤ {r.case.target:g}{TIMES}"
        peak = "-" if r.peak_mb is None else f"{r.peak_mb:,.0f}"
        base_peak = "-" if r.base_peak_mb is None else f"{r.base_peak_mb:,.0f}"
        peak_ratio = "-" if r.peak_ratio is None else f"{r.peak_ratio:.2f}{TIMES}"
        extra = (
            "-"
            if r.extra_mb is None or r.base_extra_mb is None
            else f"{r.extra_mb:,.0f} / {r.base_extra_mb:,.0f}"
        )
        memory = "-" if r.case.memory_target is None else _yes(r.memory_met)
        runs = (
            f"{len(r.times)}"
            if len(r.times) == len(r.base_times)
            else (f"{len(r.times)} ({len(r.base_times)})")
        )
        lines.append(
            f"| {r.case.name} | {r.size} | {runs} | {_fmt_s(r.median)} | "
            f"{_fmt_s(r.base_median)} | {_fmt_ratio(r.ratio)} | {target} | {_yes(r.met)} | "
            f"{peak} | {base_peak} | {peak_ratio} | {extra} | {memory} |"
        )
    return lines


def machine_lines() -> list[str]:
    import narwhals
    import numpy
    import pandas
    import pandera
    import polars
    import pyarrow

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    load = os.getloadavg()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (`nproc`); load average at the end "
        f"{load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} (other engineers' work shares it)",
        f"- memory: {mem}; `free -h` at the end:",
        "",
        "```",
        free.rstrip(),
        "```",
        "",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- pandas {pandas.__version__}, polars {polars.__version__}, pandera "
        f"{pandera.__version__}, narwhals {narwhals.__version__}, numpy {numpy.__version__}, "
        f"pyarrow {pyarrow.__version__}",
        f"- {package_line()}",
    ]


def package_line() -> str:
    """Which unodc_metrics was measured: its folder, and the repository's commit."""
    import unodc_metrics

    where = Path(unodc_metrics.__file__).resolve().parent
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "unodc_metrics"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if where == ROOT / "unodc_metrics":
        state = "with uncommitted changes" if dirty else "clean"
        return f"unodc_metrics {unodc_metrics.__version__} from the work tree at {commit} ({state})"
    return (
        f"unodc_metrics {unodc_metrics.__version__} from {where} (not the work tree; the "
        f"repository is at {commit})"
    )


def write_results(path: Path, command: str, results: list[Result], checks: list[str]) -> None:
    """Write the generated part of the results page between its markers."""
    block = [
        RESULTS_START,
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```bash",
        command,
        "```",
        "",
        *machine_lines(),
        "",
        *table_lines(results),
        "",
        *(f"- {line}" for line in checks),
        RESULTS_END,
    ]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if RESULTS_START in text and RESULTS_END in text:
        head, rest = text.split(RESULTS_START, 1)
        _, tail = rest.split(RESULTS_END, 1)
        text = head + "\n".join(block) + tail
    else:
        text = "# Performance\n\n" + "\n".join(block) + "\n" + text
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="Benchmark unodc-metrics against same-run baselines.",
    )
    parser.add_argument("--sizes", default="100k,1m,10m", help="default: 100k,1m,10m")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs per side (default 5; "
        "at least 7 for the process cases and 3 for the frame cases)",
    )
    parser.add_argument("--only", default=None, help="comma-separated cases: " + ", ".join(CASES))
    parser.add_argument("--write", default=None, metavar="FILE", help="write the results there")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help=f"seconds one child may spend on repeats before stopping (default {DEFAULT_BUDGET:g})",
    )
    parser.add_argument("--data-dir", default=None, help="keep generated data there")
    parser.add_argument("--profile", default=None, metavar="DIR", help="pyinstrument profiles")
    parser.add_argument("--no-check", action="store_true", help="skip the baseline checks")
    args = parser.parse_args(argv)

    names = list(CASES) if args.only is None else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {unknown}; the cases are {', '.join(CASES)}")
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    real_file = ("read_glotip", "read_glotip_process", "read_glotip_cached")
    if any(n in real_file for n in names) and not GLOTIP_FILE.exists():
        print(f"skipping read_glotip: {GLOTIP_FILE} is absent", file=sys.stderr)
        names = [n for n in names if n not in real_file]

    checks: list[str] = []
    if not args.no_check:
        checks = check_baselines(names)
        for line in checks:
            print(line, flush=True)

    results: list[Result] = []
    baselines: dict[tuple[str, str], dict[str, Any]] = {}
    profile_dir = Path(args.profile) if args.profile else None
    with _data_dir(args.data_dir) as folder:
        _tiny_csv(folder, args.seed)
        for name in names:
            case = CASES[name]
            if case.kind == "process":
                result = run_process_case(case, args.repeat, folder, args.seed)
                results.append(result)
                print("\n".join(table_lines([result])[-1:]), flush=True)
                continue
            if case.kind == "file":
                data = folder / "tiny.csv"
                result = run_child_case(
                    case, "-", data, args.repeat, args.budget, profile_dir, baselines
                )
                results.append(result)
                print("\n".join(table_lines([result])[-1:]), flush=True)
                continue
            for size in sizes:
                if size not in case.sizes:
                    continue
                if name == "read_glotip_csv":
                    data = _glotip_file(folder, size, args.seed)
                else:
                    data = _trainings_file(folder, size, args.seed)
                result = run_child_case(
                    case, size, data, args.repeat, args.budget, profile_dir, baselines
                )
                results.append(result)
                print("\n".join(table_lines([result])[-1:]), flush=True)

    print()
    print("\n".join(table_lines(results)))
    if args.write:
        command = "python benchmarks/run.py " + " ".join(argv)
        write_results(Path(args.write), command.strip(), results, checks)
        print(f"\nwrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
