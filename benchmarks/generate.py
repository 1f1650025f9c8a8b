"""Seeded synthetic data for the benchmarks: trainings-shaped and GLOTIP-shaped tables.

Everything is vectorised with numpy and pyarrow (no Python loop over rows), so that 10
million rows take seconds. The same ``seed`` and ``rows`` always give the same table.

- :func:`trainings_arrow` builds a table in the shape of the ``trainings`` schema that passes
  ``unodc_metrics.validate(df, table="trainings")``: unique ids, the ``persons_trained``
  measure, initiatives from the registry, ISO 3166-1 alpha-3 countries, bounds that follow
  each qualifier, periods that match their kind, counts by sex with and without unknowns
  (some with a shortfall against the total), derived shares of women with the interval their
  rounding allows, comma lists of inferred attributes and flags, and nested rows (``part_of``)
  whose parts never exceed their whole.
- :func:`trainings_pandas` and :func:`trainings_polars` give it with the dtypes that
  ``unodc_metrics.load`` and ``unodc_metrics.validate`` use.
- :func:`glotip_arrow` builds a table in the long shape of a dataUNODC GLOTIP download (the
  13 columns of the file, ``txtVALUE`` as text with ``<5`` for suppressed counts), and
  :func:`write_glotip_csv` writes it as the portal would, after its two preamble lines.

Run as a script to print a summary and check that the tables validate::

    python benchmarks/generate.py --rows 100000 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from unodc_metrics.export import DATAUNODC_COLUMNS

if TYPE_CHECKING:
    import numpy.typing as npt
    import pandas as pd
    import polars as pl

    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "GLOTIP_FILE_COLUMNS",
    "SEED",
    "SIZES",
    "glotip_arrow",
    "parse_size",
    "trainings_arrow",
    "trainings_pandas",
    "trainings_polars",
    "write_glotip_csv",
]

SEED = 20250414
"""The default seed of every generator."""

SIZES: dict[str, int] = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
"""The three sizes of the issue, by the names ``run.py --sizes`` takes."""

INITIATIVES = ("GPTIP", "GLO.ACT", "TRACK4TIP", "OCWAR-T", "SEE-TIP")
"""The codes of the initiatives registry (``datasets/initiatives.csv``)."""

COUNTRIES: tuple[str, ...] = (
    "AFG",
    "ALB",
    "DZA",
    "AGO",
    "ARG",
    "ARM",
    "AUS",
    "AUT",
    "AZE",
    "BGD",
    "BLR",
    "BEL",
    "BEN",
    "BOL",
    "BIH",
    "BWA",
    "BRA",
    "BGR",
    "BFA",
    "BDI",
    "KHM",
    "CMR",
    "CAN",
    "CAF",
    "TCD",
    "CHL",
    "CHN",
    "COL",
    "COD",
    "COG",
    "CRI",
    "CIV",
    "HRV",
    "CUB",
    "CYP",
    "CZE",
    "DNK",
    "DJI",
    "DOM",
    "ECU",
    "EGY",
    "SLV",
    "GNQ",
    "ERI",
    "EST",
    "ETH",
    "FJI",
    "FIN",
    "FRA",
    "GAB",
    "GMB",
    "GEO",
    "DEU",
    "GHA",
    "GRC",
    "GTM",
    "GIN",
    "GNB",
    "GUY",
    "HTI",
    "HND",
    "HUN",
    "ISL",
    "IND",
    "IDN",
    "IRN",
    "IRQ",
    "IRL",
    "ISR",
    "ITA",
    "JAM",
    "JPN",
    "JOR",
    "KAZ",
    "KEN",
    "KWT",
    "KGZ",
    "LAO",
    "LVA",
    "LBN",
    "LSO",
    "LBR",
    "LBY",
    "LTU",
    "LUX",
    "MDG",
    "MWI",
    "MYS",
    "MDV",
    "MLI",
    "MLT",
    "MRT",
    "MUS",
    "MEX",
    "MDA",
    "MNG",
    "MNE",
    "MAR",
    "MOZ",
    "MMR",
    "NAM",
    "NPL",
    "NLD",
    "NZL",
    "NIC",
    "NER",
    "NGA",
    "MKD",
    "NOR",
    "OMN",
    "PAK",
    "PAN",
    "PNG",
    "PRY",
    "PER",
    "PHL",
    "POL",
    "PRT",
    "QAT",
    "ROU",
    "RUS",
    "RWA",
    "SAU",
    "SEN",
    "SRB",
    "SLE",
    "SGP",
    "SVK",
    "SVN",
    "SOM",
    "ZAF",
    "SSD",
    "ESP",
    "LKA",
    "SDN",
    "SUR",
    "SWE",
    "CHE",
    "SYR",
    "TJK",
    "TZA",
    "THA",
    "TLS",
    "TGO",
    "TTO",
    "TUN",
    "TUR",
    "TKM",
    "UGA",
    "UKR",
    "ARE",
    "GBR",
    "USA",
    "URY",
    "UZB",
    "VEN",
    "VNM",
    "YEM",
    "ZMB",
    "ZWE",
)
"""ISO 3166-1 alpha-3 codes (all current, so every one passes the schema's check)."""

TEXT_COLUMNS: tuple[str, ...] = (
    "id",
    "phrase",
    "description",
    "measure",
    "qualifier",
    "initiative",
    "country",
    "area",
    "period_kind",
    "period_text",
    "part_of",
    "may_overlap",
    "inferred",
    "inferred_reason",
    "flags",
    "note",
)
"""The text columns of the trainings schema."""

INT_COLUMNS: tuple[str, ...] = (
    "paragraph",
    "value",
    "value_low",
    "value_high",
    "female",
    "male",
    "other_sex",
    "unknown_sex",
    "female_low",
    "female_high",
)
"""The nullable integer columns of the trainings schema."""

AREAS = ("West Africa", "Western Balkans", "Ecuador and Peru", "Central Asia", "Somaliland")
QUALIFIERS = ("exact", "at_least", "more_than", "over", "approximately")
PERIOD_KINDS = ("calendar_year", "part_of_year", "date_range", "stock", "cumulative", "unspecified")
INFERRED = ("period_end", "initiative", "country,period_start,period_end", "part_of", "sex")
FLAGS = ("parts_short_of_total", "nonexistent_date", "outside_reporting_period,nonexistent_date")

GLOTIP_FILE_COLUMNS: tuple[str, ...] = tuple(DATAUNODC_COLUMNS)
"""The 13 columns of a dataUNODC GLOTIP download, in the file's order."""

_NS_PER_DAY = 86_400 * 1_000_000_000
_EPOCH_2015 = int(np.datetime64("2015-01-01", "D").astype(np.int64))


def parse_size(text: str) -> int:
    """``100k``, ``1m``, ``10m`` or a plain number of rows."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    if key.endswith("k"):
        return int(float(key[:-1]) * 1_000)
    if key.endswith("m"):
        return int(float(key[:-1]) * 1_000_000)
    return int(key)


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def _pick(
    rng: np.random.Generator, n: int, pool: tuple[str, ...], p_missing: float = 0.0
) -> pa.Array:
    """``n`` strings drawn from ``pool``, missing with probability ``p_missing``."""
    codes = rng.integers(0, len(pool), size=n, dtype=np.int32)
    mask = rng.random(n) < p_missing if p_missing else None
    indices = pa.array(codes, mask=mask)
    return pc.take(pa.array(pool, type=pa.string()), indices)


def _from_codes(codes: IntArray, pool: tuple[str, ...], missing: BoolArray | None) -> pa.Array:
    indices = pa.array(codes.astype(np.int32), mask=missing)
    return pc.take(pa.array(pool, type=pa.string()), indices)


def _ints(values: IntArray, missing: BoolArray | None = None) -> pa.Array:
    if missing is not None and not missing.any():
        missing = None
    return pa.array(values.astype(np.int64), type=pa.int64(), mask=missing)


def _days(days: IntArray, missing: BoolArray) -> pa.Array:
    """Days since 1970-01-01 as a timestamp[ns] array (pandas' datetime64[ns])."""
    return pa.array(days.astype(np.int64) * _NS_PER_DAY, type=pa.timestamp("ns"), mask=missing)


def _year_start(year: IntArray) -> IntArray:
    days: IntArray = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return days


# --------------------------------------------------------------------------------------------
# Trainings
# --------------------------------------------------------------------------------------------


def trainings_arrow(rows: int, seed: int = SEED, *, nested_share: float = 0.1) -> pa.Table:
    """A valid trainings-shaped table of ``rows`` rows, as a pyarrow Table.

    Args:
        rows: Number of rows (at least 10).
        seed: Seed of ``numpy.random.default_rng``.
        nested_share: Share of rows that are parts of another row (``part_of``).

    Returns:
        The table, with the columns of ``unodc_metrics.schemas.Trainings`` in order.
    """
    if rows < 10:
        raise ValueError("rows must be at least 10")
    rng = np.random.default_rng(seed)
    n = rows

    # Nesting: a child is one of two parts of a whole; the wholes are distinct rows.
    n_children = int(n * nested_share) // 2 * 2
    perm = rng.permutation(n)
    child_rows = perm[:n_children]
    parent_rows = np.repeat(perm[n_children : n_children + n_children // 2], 2)
    is_child = np.zeros(n, dtype=bool)
    is_child[child_rows] = True
    del perm

    # Values and qualifiers. Children are exact and are filled in below from their whole.
    value = np.minimum(rng.lognormal(4.0, 1.3, size=n).astype(np.int64) + 1, 250_000)
    q = rng.choice(len(QUALIFIERS), size=n, p=[0.85, 0.05, 0.03, 0.02, 0.05]).astype(np.int64)
    q[is_child] = 0
    child_share = rng.random(n_children) * 0.5  # two parts of at most half each: sum <= whole
    value[child_rows] = (value[parent_rows] * child_share).astype(np.int64)
    del child_share
    spread = (value * rng.random(n) * 0.1).astype(np.int64)
    lo = value.copy()
    lo[(q == 2) | (q == 3)] += 1
    approx = q == 4
    lo[approx] -= spread[approx]
    hi = value.copy()
    hi[approx] += (spread[approx] // 2) + 1
    hi_missing = (q == 1) | (q == 2) | (q == 3)
    del spread

    # Counts by sex. 0: none; 1: female, male and unknown stated (some short of the total);
    # 2: female and male stated, the rest unknown; 3: a derived share of women;
    # 4: women only, stated; 5: female, male and other stated.
    kind = rng.choice(6, size=n, p=[0.2, 0.35, 0.2, 0.12, 0.08, 0.05]).astype(np.int64)
    pct = np.rint(rng.beta(4, 5, size=n) * 100).astype(np.int64)
    fractional = (rng.random(n) < 0.1) & (pct < 100)  # some percentages have a decimal
    pct_value = pct.astype(np.float64) + np.where(fractional, 0.5, 0.0)
    # A whole percentage allows exactly the counts whose share rounds to it.
    whole_lo = np.maximum(0, np.ceil(value * (2 * pct - 1) / 200)).astype(np.int64)
    whole_hi = np.minimum(value, np.floor(value * (2 * pct + 1) / 200)).astype(np.int64)
    frac_lo = np.maximum(0, np.floor(value * (pct_value - 0.05) / 100)).astype(np.int64)
    frac_hi = np.minimum(value, np.ceil(value * (pct_value + 0.05) / 100)).astype(np.int64)
    f_lo = np.where(fractional, frac_lo, whole_lo)
    f_hi = np.where(fractional, frac_hi, whole_hi)
    del whole_lo, whole_hi, frac_lo, frac_hi
    kind[(kind == 3) & (f_lo > f_hi)] = 0  # an empty interval: no share can be stated
    derived = kind == 3

    female = (value * rng.beta(4, 5, size=n)).astype(np.int64)
    female[derived] = np.clip(
        np.rint(value[derived] * pct_value[derived] / 100).astype(np.int64),
        f_lo[derived],
        f_hi[derived],
    )
    male = ((value - female) * rng.random(n)).astype(np.int64)
    other = np.where(kind == 5, np.minimum(value - female - male, rng.integers(0, 3, size=n)), 0)
    short = np.where(rng.random(n) < 0.1, rng.integers(1, 6, size=n), 0)
    unknown = np.maximum(value - female - male - other - short, 0)

    none = kind == 0
    female_missing = none
    male_missing = none | derived | (kind == 4)
    other_missing = kind != 5
    unknown_missing = kind != 1
    female_low = np.where(derived, f_lo, female)
    female_high = np.where(derived, f_hi, female)
    del f_lo, f_hi

    # Periods.
    pk = rng.choice(6, size=n, p=[0.35, 0.2, 0.15, 0.1, 0.1, 0.1]).astype(np.int64)
    year = rng.integers(2015, 2025, size=n)
    jan1 = _year_start(year)
    dec31 = _year_start(year + 1) - 1
    any_day = _EPOCH_2015 + rng.integers(0, 3650, size=n)
    start = any_day.copy()
    end = any_day + rng.integers(0, 900, size=n)
    # calendar_year
    cal = pk == 0
    start[cal], end[cal] = jan1[cal], dec31[cal]
    # part_of_year: within one year, never the whole of it
    poy = pk == 1
    s = jan1 + rng.integers(0, 365, size=n)
    e = np.minimum(s + rng.integers(0, 200, size=n), dec31)
    whole = (s == jan1) & (e == dec31)
    e[whole] -= 1
    start[poy], end[poy] = s[poy], e[poy]
    del s, e, whole, jan1, dec31
    # stock: a month
    stock = pk == 3
    end[stock] = start[stock] + 30
    start_missing = np.zeros(n, dtype=bool)
    end_missing = np.zeros(n, dtype=bool)
    cum = pk == 4
    start_missing[cum] = rng.random(int(cum.sum())) < 0.8
    unspec = pk == 5
    which = rng.integers(0, 3, size=n)  # unspecified: no start, no end, or neither
    start_missing[unspec & (which != 1)] = True
    end_missing[unspec & (which != 0)] = True
    del which, any_day

    # Text columns.
    ids = pc.binary_join_element_wise(
        "TRN-", pc.cast(pa.array(np.arange(n, dtype=np.int64)), pa.string()), ""
    )
    part_of_idx = np.zeros(n, dtype=np.int64)
    part_of_idx[child_rows] = parent_rows
    part_of = pc.take(ids, pa.array(part_of_idx, mask=~is_child))
    del part_of_idx, child_rows, parent_rows

    has_country = rng.random(n) < 0.6
    country_codes = rng.integers(0, len(COUNTRIES), size=n)
    area_missing = has_country | (rng.random(n) < 0.7)
    inferred_codes = rng.integers(0, len(INFERRED), size=n)
    inferred_missing = rng.random(n) >= 0.1
    flag_codes = rng.integers(0, len(FLAGS), size=n)
    flags_missing = rng.random(n) >= 0.03

    columns: dict[str, pa.Array] = {
        "id": ids,
        "paragraph": _ints(rng.integers(1, 100, size=n)),
        "phrase": _pick(rng, n, tuple(f"trained {k} groups of practitioners" for k in range(50))),
        "description": _pick(rng, n, ("Practitioners trained", "Officials trained", "Judges")),
        "measure": _pick(rng, n, ("persons_trained",)),
        "value": _ints(value),
        "qualifier": _from_codes(q, QUALIFIERS, None),
        "value_low": _ints(lo),
        "value_high": _ints(hi, hi_missing),
        "initiative": _pick(rng, n, INITIATIVES, p_missing=0.2),
        "country": _from_codes(country_codes, COUNTRIES, ~has_country),
        "area": _from_codes(rng.integers(0, len(AREAS), size=n), AREAS, area_missing),
        "period_kind": _from_codes(pk, PERIOD_KINDS, None),
        "period_start": _days(start, start_missing),
        "period_end": _days(end, end_missing),
        "period_text": _pick(rng, n, ("In 2021", "to date", "during the reporting period"), 0.3),
        "part_of": part_of,
        "may_overlap": pa.nulls(n, type=pa.string()),
        "inferred": _from_codes(inferred_codes, INFERRED, inferred_missing),
        "inferred_reason": _from_codes(
            inferred_codes,
            tuple(f"Taken from the paragraph ({x})." for x in INFERRED),
            inferred_missing,
        ),
        "flags": _from_codes(flag_codes, FLAGS, flags_missing),
        "note": _pick(rng, n, ("Kept as stated.", "See the paragraph before."), 0.95),
        "female": _ints(female, female_missing),
        "male": _ints(male, male_missing),
        "other_sex": _ints(other, other_missing),
        "unknown_sex": _ints(unknown, unknown_missing),
        "female_percent": pa.array(pct_value, type=pa.float64(), mask=~derived),
        "female_low": _ints(female_low, female_missing),
        "female_high": _ints(female_high, female_missing),
        "sex_split_derived": pa.array(derived, type=pa.bool_()),
    }
    return pa.table(columns)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    import pandas as pd

    mapping = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}
    df: pd.DataFrame = table.to_pandas(types_mapper=mapping.get, self_destruct=False)
    return df


def trainings_pandas(rows: int, seed: int = SEED) -> pd.DataFrame:
    """A valid trainings-shaped pandas DataFrame, with the dtypes of ``unodc_metrics.load``."""
    return _to_pandas(trainings_arrow(rows, seed))


def trainings_polars(rows: int, seed: int = SEED) -> pl.DataFrame:
    """A valid trainings-shaped polars DataFrame, with the dtypes ``validate`` expects."""
    import polars as pl

    frame = pl.from_arrow(trainings_arrow(rows, seed))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("period_start", "period_end").dt.cast_time_unit("us"))


# --------------------------------------------------------------------------------------------
# GLOTIP
# --------------------------------------------------------------------------------------------

_INDICATORS = (
    "Detected trafficking victims",
    "Persons convicted",
    "Persons prosecuted",
    "Persons brought into formal contact",
    "Offences of trafficking in persons",
)
_DIMENSIONS = ("Total", "by form of exploitation", "by citizenship", "by country of repatriation")
_CATEGORIES = ("Total", "Sexual exploitation", "Forced labour", "Nationals", "Other", "Ukraine")
_SEXES = ("Total", "Female", "Male", "Other", "Unknown")
_AGES = ("Total", "0 to 17 years", "18 years or over", "Unknown")
_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def glotip_arrow(rows: int, seed: int = SEED) -> pa.Table:
    """A GLOTIP-download-shaped table: the file's 13 columns, ``txtVALUE`` as text.

    About half the counts are suppressed (``<5``), as in the 2025 edition; some counts have
    a thousands separator (``1,192``).
    """
    rng = np.random.default_rng(seed + 1)
    n = rows
    country = rng.integers(0, len(COUNTRIES), size=n)
    count = rng.lognormal(2.5, 1.8, size=n).astype(np.int64)
    suppressed = count < 5
    text = pc.cast(pa.array(count), pa.string())
    big = count >= 1000
    with_sep = pc.binary_join_element_wise(
        pc.cast(pa.array(count // 1000), pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(count % 1000), pa.string()), 3, "0"),
        ",",
    )
    text = pc.if_else(pa.array(big), with_sep, text)
    text = pc.if_else(pa.array(suppressed), pa.scalar("<5"), text)
    codes = pa.array(COUNTRIES, type=pa.string())
    country_idx = pa.array(country.astype(np.int32))
    region = country % len(_REGIONS)
    columns = {
        "Iso3_code": pc.take(codes, country_idx),
        "Country": pc.binary_join_element_wise("Country ", pc.take(codes, country_idx), ""),
        "Region": _from_codes(region, _REGIONS, None),
        "Subregion": _from_codes(region, tuple(f"Sub-{r}" for r in _REGIONS), None),
        "Indicator": _pick(rng, n, _INDICATORS),
        "Dimension": _pick(rng, n, _DIMENSIONS),
        "Category": _pick(rng, n, _CATEGORIES, p_missing=0.02),
        "Sex": _pick(rng, n, _SEXES),
        "Age": _pick(rng, n, _AGES),
        "Year": pc.cast(pa.array(rng.integers(2003, 2024, size=n)), pa.string()),
        "Unit of measurement": _pick(rng, n, ("Counts",)),
        "txtVALUE": text,
        "Source": _pick(rng, n, ("GLOTIP",)),
    }
    return pa.table(columns)


def write_glotip_csv(table: pa.Table, path: str | Path) -> Path:
    """Write a GLOTIP-shaped table as CSV, after the portal's two preamble lines."""
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]

    path = Path(path)
    with path.open("wb") as fh:
        fh.write(b"UNODC\n14/04/2025\n")
        pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))
    return path


# --------------------------------------------------------------------------------------------
# Script
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", default="100k", help="100k, 1m, 10m or a number")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-validate", action="store_true", help="skip the schema check")
    args = parser.parse_args(argv)
    n = parse_size(args.rows)
    t0 = time.perf_counter()
    table = trainings_arrow(n, args.seed)
    t1 = time.perf_counter()
    print(f"trainings: {n:,} rows in {t1 - t0:.2f} s, {table.nbytes / 2**20:,.0f} MiB (arrow)")
    glotip = glotip_arrow(n, args.seed)
    print(f"glotip: {n:,} rows in {time.perf_counter() - t1:.2f} s")
    if not args.no_validate:
        import unodc_metrics as um

        df = _to_pandas(table)
        um.validate(df, table="trainings")
        print("trainings: valid (unodc_metrics.validate)")
        stats: dict[str, Any] = {
            "nested": int(df["part_of"].notna().sum()),
            "derived": int(df["sex_split_derived"].sum()),
            "with unknown_sex": int(df["unknown_sex"].notna().sum()),
            "no sex counts": int(df["female"].isna().sum()),
        }
        print("  " + ", ".join(f"{k}: {v:,}" for k, v in stats.items()))
        print(glotip.slice(0, 3).to_pandas().to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
