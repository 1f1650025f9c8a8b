"""read_glotip: the real dataUNODC download, and small files written by the tests."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unodc_metrics import ValidationError
from unodc_metrics._readers import (
    CACHE_ENV,
    COLUMNS,
    FILE_COLUMNS,
    READER_VERSION,
    read_glotip,
)
from unodc_metrics.schemas import GlotipSchema, rules_of

# The columns of every failure frame, in order (the reader's has no ``line``: its ``row`` is
# the file's line).
FAILURE_COLUMNS = ["table", "column", "row", "id", "value", "check", "rule", "message"]

HEADER = list(FILE_COLUMNS)
PLACE = ["NLD", "Netherlands", "Europe", "Western Europe"]
VICTIMS = ["Detected trafficking victims", "Total", "Total"]


def row(
    sex: str = "Total",
    age: str = "Total",
    year: Any = 2021,
    value: Any = "12",
    place: Sequence[Any] = PLACE,
    what: Sequence[Any] = VICTIMS,
) -> list[Any]:
    """One data line of a GLOTIP download, in the file's column order."""
    return [*place, *what, sex, age, year, "Counts", value, "GLOTIP"]


DATA = [
    row(value="1,192"),
    row("Female", value="1,000"),
    row("Male", value="188"),
    row("Other", value="<5"),
    row("Unknown", "Unknown", value="<5"),
    row("Female", "0 to 17 years", value="40"),
    row("Female", "18 years or over", value="960"),
]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """A real .xlsx file with the rows from A1, an empty list making a blank line."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data_glotip_1"
    for r in rows:
        sheet.append(list(r))
    book.save(path)
    return path


def csv_text(rows: Sequence[Sequence[Any]], sep: str = ",") -> str:
    out = io.StringIO()
    for r in rows:
        cells = ["" if c is None else str(c) for c in r]
        out.write(sep.join(f'"{c}"' if sep in c else c for c in cells) + "\n")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)


# --- Small files: layout and robustness -------------------------------------------------


def test_reads_a_standard_download(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "data_glotip.xlsx", [["UNODC"], ["14/04/2025"], HEADER, *DATA])
    df = read_glotip(path)
    assert tuple(df.columns) == COLUMNS
    assert len(df) == len(DATA)
    assert df["line"].tolist() == list(range(4, 4 + len(DATA)))
    assert df["sex"].tolist() == ["total", "female", "male", "other", "unknown", "female", "female"]
    assert df["age"].tolist() == ["total", "total", "total", "total", "unknown", "child", "adult"]
    assert df["value"].tolist()[:3] == [1192, 1000, 188]
    suppressed = df[df["censored"]]
    assert len(suppressed) == 2
    assert suppressed["value"].isna().all()
    assert (suppressed["value_low"] == 0).all() and (suppressed["value_high"] == 4).all()
    known = df[~df["censored"]]
    assert (known["value_low"] == known["value"]).all()
    assert (known["value_high"] == known["value"]).all()
    meta = df.attrs["glotip"]
    assert meta["header_line"] == 3
    assert meta["edition_date"] == "2025-04-14"
    assert meta["preamble"] == ["UNODC", "14/04/2025"]
    assert meta["sheet"] == "data_glotip_1"
    assert meta["source_name"] == "data_glotip.xlsx"
    assert meta["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["reader_version"] == READER_VERSION
    assert meta["from_cache"] is False
    assert str(df["value"].dtype) == "Int64" and df["censored"].dtype == bool


@pytest.mark.parametrize("before", [0, 1, 4, 7])
def test_finds_the_header_whatever_precedes_it(tmp_path: Path, before: int) -> None:
    preamble: list[list[Any]] = [["UNODC"], [], ["14/04/2025"], ["Note: counts"]] * 2
    path = write_xlsx(tmp_path / "f.xlsx", [*preamble[:before], HEADER, *DATA])
    df = read_glotip(path)
    assert len(df) == len(DATA)
    assert df.attrs["glotip"]["header_line"] == before + 1
    assert df["line"].iloc[0] == before + 2


def test_extra_contact_cell_in_the_first_line(tmp_path: Path) -> None:
    first: list[Any] = ["UNODC", *[None] * 12, "Contact: unodc-ddds@un.org"]
    rows: list[list[Any]] = [first, ["14/04/2025"], HEADER, *DATA]
    for df in (
        read_glotip(write_xlsx(tmp_path / "f.xlsx", rows)),
        read_glotip(io.StringIO(csv_text(rows))),
    ):
        assert len(df) == len(DATA)
        assert df.attrs["glotip"]["preamble"] == [
            "UNODC",
            "Contact: unodc-ddds@un.org",
            "14/04/2025",
        ]


def test_csv_whose_first_line_is_short_or_long() -> None:
    text = "UNODC,contact: unodc-ddds@un.org\n14/04/2025\n" + csv_text([HEADER, *DATA])
    assert len(read_glotip(io.StringIO(text))) == len(DATA)


def test_areas_that_are_not_countries_are_kept_as_written(tmp_path: Path) -> None:
    areas: list[list[Any]] = [
        ["ABW/CUW", "Aruba/Curacao", "Americas", "Latin America and the Caribbean"],
        ["ANT", "Aruba/Curacao", "Americas", "Latin America and the Caribbean"],
        ["XKX", "Kosovo under UNSCR 1244", "Europe", "Southern Europe"],
        [None, "Sark", "Europe", "Northern Europe"],
        ["ABW", "Aruba", "Americas", "Latin America and the Caribbean"],
    ]
    path = write_xlsx(tmp_path / "f.xlsx", [HEADER, *(row(place=a) for a in areas)])
    df = read_glotip(path)
    assert len(df) == len(areas)
    assert df["country"].tolist() == [a[1] for a in areas]
    assert df["iso3"].iloc[:3].tolist() == ["ABW/CUW", "ANT", "XKX"]
    assert df["iso3"].isna().tolist() == [False, False, False, True, False]
    assert df["iso3_is_iso3166"].tolist() == [False, False, False, False, True]
    kinds = ["combined", "combined", "territory", "territory", "territory"]
    assert df["area_kind"].tolist() == kinds


def test_a_bad_value_cell_names_its_line(tmp_path: Path) -> None:
    rows = [["UNODC"], ["14/04/2025"], HEADER, *DATA[:2], row(value="abc"), *DATA[2:]]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    with pytest.raises(ValidationError) as info:
        read_glotip(path)
    err = info.value
    assert err.table == "glotip"
    assert list(err.failures.columns) == FAILURE_COLUMNS
    assert err.failures[["column", "row", "value", "rule"]].values.tolist() == [
        ["value", 6, "abc", "count_text"]
    ]
    assert "(line 6 of the file)" in str(err)


def test_every_unreadable_line_is_reported_at_once() -> None:
    rows = [
        HEADER,
        row(value="12"),
        row(value="-3"),
        row(year="20x1"),
        row(sex="Transgender"),
        row(value=""),
        row(age="Elderly"),
        row(value="<3"),
        row(what=[None, "Total", "Total"]),
    ]
    with pytest.raises(ValidationError) as info:
        read_glotip(io.StringIO(csv_text(rows)))
    failures = info.value.failures
    assert failures["row"].tolist() == [3, 4, 5, 6, 7, 8, 9]
    assert failures["column"].tolist() == [
        "value",
        "year",
        "sex",
        "value",
        "age",
        "value",
        "indicator",
    ]
    assert failures["value"].tolist() == [
        "-3",
        "20x1",
        "Transgender",
        "<missing>",
        "Elderly",
        "<3",
        "<missing>",
    ]
    assert failures["rule"].tolist() == [
        "count_text",
        "year_text",
        "isin",
        "count_text",
        "isin",
        "count_text",
        "not_nullable",
    ]
    assert all(f"(line {n} of the file)" in m for n, m in failures[["row", "message"]].values)


def test_numbers_stored_as_numbers(tmp_path: Path) -> None:
    rows = [HEADER, row(value=12, year=2020), row(value=1192.0, year=2021.0)]
    df = read_glotip(write_xlsx(tmp_path / "f.xlsx", rows))
    assert df["value"].tolist() == [12, 1192]
    assert df["year"].tolist() == [2020, 2021]
    rows = [HEADER, row(value=12.5)]
    with pytest.raises(ValidationError, match=r"12\.5") as info:
        read_glotip(write_xlsx(tmp_path / "g.xlsx", rows))
    assert info.value.failures[["column", "row", "rule"]].values.tolist() == [
        ["value", 2, "count_text"]
    ]


def test_blank_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    rows = [HEADER, DATA[0], [], [None, "  "], DATA[1], [], []]
    df = read_glotip(write_xlsx(tmp_path / "f.xlsx", rows))
    assert df["line"].tolist() == [2, 5]
    assert df.attrs["glotip"]["blank_lines"] == 2  # the sheet ends at its last filled line
    df = read_glotip(io.StringIO(csv_text(rows)))
    assert df["line"].tolist() == [2, 5]
    assert df.attrs["glotip"]["blank_lines"] == 4


def test_data_outside_the_named_columns_is_an_error(tmp_path: Path) -> None:
    rows = [HEADER, DATA[0], [*DATA[1], "stray"], DATA[2]]
    with pytest.raises(ValidationError) as info:
        read_glotip(write_xlsx(tmp_path / "f.xlsx", rows))
    assert info.value.failures[["column", "row", "value", "rule"]].values.tolist() == [
        ["(unnamed column 14)", 3, "stray", "cell_outside_header"]
    ]


def test_columns_found_by_name_in_any_order_and_case() -> None:
    order = [12, 0, 3, 2, 1, 11, 4, 5, 6, 7, 8, 9, 10]
    header = ["ISO3 CODE" if h == "Iso3_code" else h.upper() for h in HEADER]
    header[10] = "unit  of measurement"
    rows = [[r[i] for i in order] for r in [header, *DATA]]
    df = read_glotip(io.StringIO(csv_text(rows)))
    expected = read_glotip(io.StringIO(csv_text([HEADER, *DATA])))
    pd.testing.assert_frame_equal(df, expected)


def test_a_missing_column_is_named() -> None:
    rows = [[c for c in r[:-1]] for r in [HEADER, *DATA]]
    with pytest.raises(ValueError, match=r"line 1 looks like the header but lacks .*Source"):
        read_glotip(io.StringIO(csv_text(rows)))


def test_no_header_says_what_it_found() -> None:
    rows = [["UNODC"], ["14/04/2025"], *DATA]
    with pytest.raises(ValueError, match=r"no header found .* line 1: 'UNODC'; line 2"):
        read_glotip(io.StringIO(csv_text(rows)))


def test_a_column_named_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="names 'country' twice"):
        read_glotip(io.StringIO(csv_text([[*HEADER, "Country"], *DATA])))


def test_an_unknown_column_is_left_out_with_a_warning() -> None:
    rows = [[*HEADER, "Footnote"], *([*r, "see note"] for r in DATA)]
    with pytest.warns(UserWarning, match="'Footnote'"):
        df = read_glotip(io.StringIO(csv_text(rows)))
    assert tuple(df.columns) == COLUMNS
    assert df.attrs["glotip"]["ignored_columns"] == ["Footnote"]


def test_header_only_gives_an_empty_table() -> None:
    df = read_glotip(io.StringIO(csv_text([["UNODC"], HEADER])))
    assert tuple(df.columns) == COLUMNS
    assert len(df) == 0


def test_semicolons_and_windows_encoding() -> None:
    rows = [HEADER, row(place=["CUW", "Curaçao", "Americas", "Caribbean"])]
    data = csv_text(rows, sep=";").encode("cp1252")
    df = read_glotip(data)
    assert df["country"].tolist() == ["Curaçao"]
    assert df.attrs["glotip"]["encoding"] == "cp1252"


def test_every_kind_of_input(tmp_path: Path) -> None:
    rows = [["UNODC"], HEADER, *DATA]
    xlsx = write_xlsx(tmp_path / "f.xlsx", rows)
    csv = tmp_path / "f.csv"
    csv.write_text(csv_text(rows), encoding="utf-8")
    expected = read_glotip(xlsx)
    for source in (
        str(xlsx),
        xlsx.read_bytes(),
        io.BytesIO(xlsx.read_bytes()),
        csv,
        csv.read_bytes(),
        io.StringIO(csv.read_text(encoding="utf-8")),
    ):
        pd.testing.assert_frame_equal(read_glotip(source), expected)
    with pytest.raises(TypeError, match="not int"):
        read_glotip(3)  # type: ignore[arg-type]


def test_a_broken_spreadsheet_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ValueError, match=r"cannot open broken\.xlsx as a spreadsheet"):
        read_glotip(path)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.booleans())
def test_counts_read_back_with_or_without_separators(count: int, separators: bool) -> None:
    text = f"{count:,}" if separators else str(count)
    df = read_glotip(io.StringIO(csv_text([HEADER, row(value=text)])))
    assert df[["value", "value_low", "value_high"]].iloc[0].tolist() == [count] * 3
    assert not df["censored"].iloc[0]


# --- The schema -------------------------------------------------------------------------


def test_schema_describes_every_column() -> None:
    columns = GlotipSchema.to_schema().columns
    assert tuple(columns) == COLUMNS
    assert all(len(col.description or "") > 10 for col in columns.values())


def test_schema_rejects_bounds_that_contradict_censoring() -> None:
    df = read_glotip(io.StringIO(csv_text([HEADER, *DATA])))
    GlotipSchema.validate(df)
    bad = df.copy()
    bad.loc[3, "value"] = 2  # a censored row with a value
    bad.loc[0, "value_high"] = 2000  # an exact row with a range
    bad.loc[1, "sex"] = "women"
    bad.loc[2, "iso3_is_iso3166"] = False
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        GlotipSchema.validate(bad, lazy=True)
    failed = info.value.failure_cases
    assert set(failed["index"].dropna()) == {0, 1, 2, 3}
    # pandera's dataframe checks are the schema's rules, reported by their messages.
    rules = {rule.id: rule for rule in rules_of(GlotipSchema)}
    assert set(rules) == {"bounds_follow_censoring", "iso_flag_true"}
    rows_by_rule = {
        rule_id: set(failed.loc[failed["check"] == rule.message, "index"])
        for rule_id, rule in rules.items()
    }
    assert rows_by_rule == {"bounds_follow_censoring": {0, 3}, "iso_flag_true": {2}}


# --- The cache --------------------------------------------------------------------------


def test_cache_serves_the_same_table_and_never_a_stale_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = tmp_path / "f.csv"
    path.write_text(csv_text([HEADER, *DATA]), encoding="utf-8")
    first = read_glotip(path, cache_dir=cache)
    files = list(cache.glob("*.parquet"))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert [f.name for f in files] == [f"glotip-{sha}-csv-r{READER_VERSION}.parquet"]
    second = read_glotip(path, cache_dir=cache)
    assert second.attrs["glotip"]["from_cache"] is True
    pd.testing.assert_frame_equal(second, first)
    assert {**second.attrs["glotip"], "from_cache": False} == first.attrs["glotip"]

    path.write_text(csv_text([HEADER, row(value="77")]), encoding="utf-8")
    third = read_glotip(path, cache_dir=cache)
    assert third["value"].tolist() == [77]
    assert third.attrs["glotip"]["from_cache"] is False
    assert len(list(cache.glob("*.parquet"))) == 2


def test_cache_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env-cache"))
    read_glotip(io.StringIO(csv_text([HEADER, *DATA])))
    assert len(list((tmp_path / "env-cache").glob("glotip-*.parquet"))) == 1


def test_a_corrupt_cache_file_is_replaced(tmp_path: Path) -> None:
    text = csv_text([HEADER, *DATA])
    read_glotip(io.StringIO(text), cache_dir=tmp_path)
    (cached,) = tmp_path.glob("*.parquet")
    cached.write_bytes(b"not parquet")
    df = read_glotip(io.StringIO(text), cache_dir=tmp_path)
    assert df.attrs["glotip"]["from_cache"] is False
    assert len(df) == len(DATA)
    assert read_glotip(io.StringIO(text), cache_dir=tmp_path).attrs["glotip"]["from_cache"]


def test_importing_the_reader_does_not_import_pandas() -> None:
    # The reader module loads narwhals, but pandas and pandera only when a file is read.
    code = (
        "import sys, unodc_metrics._readers; "
        "print(sorted({'pandas', 'pandera'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- The real download ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("glotip-cache")


@pytest.fixture(scope="module")
def glotip(cache_dir: Path, glotip_file: Path) -> pd.DataFrame:
    """The real file, read by read_glotip (writing the cache that a later test reads)."""
    old = os.environ.pop(CACHE_ENV, None)
    try:
        return read_glotip(glotip_file, cache_dir=cache_dir)
    finally:
        if old is not None:
            os.environ[CACHE_ENV] = old


@pytest.fixture(scope="module")
def raw(glotip_file: Path) -> Iterator[pd.DataFrame]:
    """The same file read with plain pandas, for computations independent of the reader."""
    df = pd.read_excel(
        glotip_file, engine="calamine", skiprows=2, keep_default_na=False, na_values=[""]
    )
    df["censored"] = df["txtVALUE"] == "<5"
    df["n"] = pd.to_numeric(df["txtVALUE"].str.replace(",", ""), errors="coerce")
    yield df


def totals(df: pd.DataFrame, **where: str) -> pd.DataFrame:
    """Rows of the plain frame that are totals except where ``where`` says otherwise."""
    keep = {"Dimension": "Total", "Category": "Total", "Sex": "Total", "Age": "Total"} | where
    mask = pd.Series(True, index=df.index)
    for col, val in keep.items():
        mask &= df[col] == val if val != "*" else df[col] != "Total"
    return df[mask]


def first_row(df: pd.DataFrame, key: tuple[Any, ...]) -> list[int]:
    """The numbers of one row of a frame indexed by (indicator or year, ...)."""
    return [int(x) for x in df.loc[[key]].iloc[0]]


def test_real_file_row_accounting(glotip: pd.DataFrame, raw: pd.DataFrame) -> None:
    assert len(glotip) == len(raw) == 58_769
    assert int(glotip["censored"].sum()) == int(raw["censored"].sum()) == 29_558
    assert int(glotip["value"].notna().sum()) == 58_769 - 29_558
    assert glotip["line"].tolist() == list(range(4, 58_769 + 4))
    meta = glotip.attrs["glotip"]
    assert meta["data_lines"] == 58_769 and meta["blank_lines"] == 0
    assert meta["header_line"] == 3
    assert meta["edition_date"] == "2025-04-14"
    assert meta["preamble"] == ["UNODC", "14/04/2025"]


def test_real_file_values_match_the_text(glotip: pd.DataFrame, raw: pd.DataFrame) -> None:
    assert glotip["value"].astype("Float64").tolist() == raw["n"].astype("Float64").tolist()
    assert glotip["censored"].tolist() == raw["censored"].tolist()
    for ours, theirs in [("country", "Country"), ("indicator", "Indicator"), ("year", "Year")]:
        assert glotip[ours].tolist() == raw[theirs].tolist()


def test_real_file_sex_and_age_labels(glotip: pd.DataFrame, raw: pd.DataFrame) -> None:
    pairs = set(zip(raw["Sex"], glotip["sex"], strict=True))
    assert pairs == {
        ("Female", "female"),
        ("Male", "male"),
        ("Other", "other"),
        ("Total", "total"),
        ("Unknown", "unknown"),
    }
    assert set(zip(raw["Age"], glotip["age"], strict=True)) == {
        ("0 to 17 years", "child"),
        ("18 years or over", "adult"),
        ("Total", "total"),
        ("Unknown", "unknown"),
    }


def test_real_file_areas_and_quirks(glotip: pd.DataFrame) -> None:
    not_iso = glotip[~glotip["iso3_is_iso3166"]]
    assert not_iso["country"].unique().tolist() == ["Sark"]
    assert not_iso["iso3"].isna().all() and len(not_iso) == 26
    assert glotip["area_kind"].value_counts().to_dict() == {"country": 58_514, "territory": 255}
    assert int(glotip["category"].isna().sum()) == 110
    assert int((glotip["category"] == "N/A").sum()) == 10  # kept as written, not as missing
    keys = ["iso3", "country", "indicator", "dimension", "category", "sex", "age", "year"]
    repeated = glotip[glotip.duplicated(keys, keep=False)]
    assert len(repeated) == 1_216
    assert repeated.groupby(keys, dropna=False).ngroups == 492


def test_real_file_victims_per_year_by_sex(glotip: pd.DataFrame, raw: pd.DataFrame) -> None:
    theirs = totals(raw, Indicator="Detected trafficking victims", Sex="*")
    theirs = theirs.assign(year=theirs["Year"], sex=theirs["Sex"].str.lower())
    expected = theirs.groupby(["year", "sex"]).agg(known=("n", "sum"), censored=("censored", "sum"))
    ours = glotip[
        (glotip["indicator"] == "Detected trafficking victims")
        & (glotip["dimension"] == "Total")
        & (glotip["category"] == "Total")
        & (glotip["age"] == "total")
        & (glotip["sex"] != "total")
    ]
    got = ours.groupby(["year", "sex"]).agg(
        low=("value_low", "sum"), high=("value_high", "sum"), censored=("censored", "sum")
    )
    assert got.index.tolist() == expected.index.tolist()
    assert got["low"].tolist() == expected["known"].astype(int).tolist()
    assert got["high"].tolist() == (expected["known"] + 4 * expected["censored"]).tolist()
    assert got["censored"].tolist() == expected["censored"].tolist()
    assert first_row(got, (2021, "female")) == [46_733, 46_829, 24]


def test_real_file_global_totals_with_censored_bounds(
    glotip: pd.DataFrame, raw: pd.DataFrame
) -> None:
    theirs = totals(raw)
    expected = theirs.groupby(["Indicator", "Year"]).agg(
        known=("n", "sum"), censored=("censored", "sum")
    )
    ours = glotip[
        (glotip["dimension"] == "Total")
        & (glotip["category"] == "Total")
        & (glotip["sex"] == "total")
        & (glotip["age"] == "total")
    ]
    got = ours.groupby(["indicator", "year"]).agg(
        low=("value_low", "sum"), high=("value_high", "sum")
    )
    assert got.index.tolist() == expected.index.tolist()
    assert got["low"].tolist() == expected["known"].astype(int).tolist()
    assert got["high"].tolist() == (expected["known"] + 4 * expected["censored"]).tolist()
    assert first_row(got, ("Detected trafficking victims", 2019)) == [82_291, 82_363]
    assert first_row(got, ("Detected trafficking victims", 2020)) == [68_426, 68_530]


def test_real_file_one_country_series(glotip: pd.DataFrame, raw: pd.DataFrame) -> None:
    theirs = totals(raw, Indicator="Detected trafficking victims")
    theirs = theirs[theirs["Iso3_code"] == "MLT"].sort_values("Year")
    ours = glotip[
        (glotip["iso3"] == "MLT")
        & (glotip["indicator"] == "Detected trafficking victims")
        & (glotip["dimension"] == "Total")
        & (glotip["category"] == "Total")
        & (glotip["sex"] == "total")
        & (glotip["age"] == "total")
    ].sort_values("year")
    assert ours["year"].tolist() == theirs["Year"].tolist() == list(range(2007, 2023))
    assert ours["censored"].tolist() == theirs["censored"].tolist()
    assert ours["value"].astype("Float64").tolist() == theirs["n"].astype("Float64").tolist()
    assert ours["value"].tolist()[:2] == [7, pd.NA]
    assert int(ours["censored"].sum()) == 9


def test_real_file_second_read_comes_from_the_cache(
    glotip: pd.DataFrame, cache_dir: Path, glotip_file: Path
) -> None:
    start = time.perf_counter()
    again = read_glotip(glotip_file, cache_dir=cache_dir)
    elapsed = time.perf_counter() - start
    assert again.attrs["glotip"]["from_cache"] is True
    assert elapsed < 1.0, f"a cached read took {elapsed:.2f} s"
    pd.testing.assert_frame_equal(again, glotip)
