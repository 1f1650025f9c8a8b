"""Other editions and copies of the GLOTIP download, built at test time from the real 2025 file.

Editions that users have differ from the 2025-04-14 one: rows for regional groups with no
country, combined territories, a contact cell in the first line, copies re-saved without the
preamble, CSV conversions, and this library's own dataUNODC export. Each is read whole (rows
in = rows out), every row gets an ``area_kind``, and the sums over the long shape match a
plain-pandas computation, written here, that drops what is not a country or territory.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest

import unodc_metrics as um
from unodc_metrics.export import write_dataunodc

HEADER_LINE = 3  # in the 2025 file: UNODC, the edition date, then the header
# Codes of regional groups in the made-up aggregate rows: UN M49 codes, outside ISO 3166-1.
REGION_CODES = {"Europe": "150", "Africa": "002"}


def raw_cells(path: Path) -> pd.DataFrame:
    """The 2025 file's cells as text, header included, in its own line order."""
    cells = pd.read_excel(path, header=None, dtype=str, engine="calamine")
    return cells.astype(object).where(cells.notna(), None)


def aggregate_rows(body: pd.DataFrame) -> pd.DataFrame:
    """Region totals of the overall detected victims, in the file's 13 columns: a code and no
    Country, Region or Subregion, as the editions with area aggregates write them; and one
    ``World`` line with a name and no code."""
    overall = body[
        (body["Dimension"] == "Total")
        & (body["Category"] == "Total")
        & (body["Sex"] == "Total")
        & (body["Age"] == "Total")
        & (body["Indicator"] == "Detected trafficking victims")
        & body["txtVALUE"].str.fullmatch(r"\d+")
    ]
    out = []
    for region, code in REGION_CODES.items():
        part = overall[overall["Region"] == region]
        for year, group in part.groupby("Year"):
            total = str(group["txtVALUE"].astype(int).sum())
            what = ["Detected trafficking victims", "Total", "Total", "Total", "Total"]
            out.append([code, None, None, None, *what, year, "Counts", total, "GLOTIP"])
    world = [None, "World", None, None, *out[0][4:]]
    return pd.DataFrame([*out, world], columns=body.columns)


def combined_rows(body: pd.DataFrame) -> pd.DataFrame:
    """Aruba's lines again, as a combined ``Aruba/Curacao`` entry."""
    rows = body[body["Iso3_code"] == "ABW"].head(20).copy()
    rows["Iso3_code"], rows["Country"] = None, "Aruba/Curacao"
    return rows


@pytest.fixture(scope="module")
def edition(glotip_file: Path) -> dict[str, Any]:
    """The body of another edition: the 2025 lines, then aggregate and combined lines."""
    cells = raw_cells(glotip_file)
    header = [str(c) for c in cells.iloc[HEADER_LINE - 1]]
    body = cells.iloc[HEADER_LINE:].set_axis(header, axis=1).reset_index(drop=True)
    aggregates, combined = aggregate_rows(body), combined_rows(body)
    lines = pd.concat([body, aggregates, combined], ignore_index=True)
    return {
        "header": header,
        "lines": lines,
        "aggregates": len(aggregates),
        "combined": len(combined),
    }


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data_glotip_1")
    for r in rows:
        sheet.append(list(r))
    book.save(path)
    return path


def body_rows(edition: dict[str, Any]) -> list[Sequence[Any]]:
    return [edition["header"], *edition["lines"].itertuples(index=False, name=None)]


@pytest.fixture(scope="module")
def copies(edition: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The edition as the shapes users have: with the preamble and a contact cell, re-saved
    with the header on line 1, and converted to CSV."""
    folder = tmp_path_factory.mktemp("editions")
    preamble: list[Sequence[Any]] = [["UNODC", None, None, "Contact: dataunodc@un.org"]]
    preamble.append(["14/04/2025"])
    return {
        "preamble": write_xlsx(folder / "with_preamble.xlsx", [*preamble, *body_rows(edition)]),
        "resaved": write_xlsx(folder / "resaved.xlsx", body_rows(edition)),
        "csv": _write_csv(folder / "converted.csv", edition),
    }


def _write_csv(path: Path, edition: dict[str, Any]) -> Path:
    edition["lines"].set_axis(edition["header"], axis=1).to_csv(path, index=False)
    return path


def plain_totals(lines: pd.DataFrame, aggregates: bool = False) -> pd.DataFrame:
    """Overall counts per indicator and year, computed in plain pandas from the file's text:
    the lines of countries and territories (or of the aggregates only), censored counts
    adding 0 to 4."""
    is_aggregate = lines["Iso3_code"].isin(REGION_CODES.values()) | (lines["Country"] == "World")
    is_combined = lines["Country"].fillna("").str.contains("/")
    keep = is_aggregate if aggregates else ~is_aggregate & ~is_combined
    overall = lines[
        keep
        & (lines["Dimension"] == "Total")
        & (lines["Category"] == "Total")
        & (lines["Sex"] == "Total")
        & (lines["Age"] == "Total")
    ]
    censored = overall["txtVALUE"] == "<5"
    numbers = pd.to_numeric(overall["txtVALUE"].where(~censored).str.replace(",", ""))
    frame = pd.DataFrame(
        {
            "indicator": overall["Indicator"],
            "year": overall["Year"].astype(int),
            "low": numbers.fillna(0).astype(int),
            "high": numbers.fillna(4).astype(int),
        }
    )
    sums = frame.groupby(["indicator", "year"])[["low", "high"]].sum().reset_index()
    sums["indicator"] = sums["indicator"].astype(object)
    return sums.sort_values(["indicator", "year"]).reset_index(drop=True)


def package_totals(
    df: pd.DataFrame, areas: Literal["countries", "aggregates"] = "countries"
) -> pd.DataFrame:
    out = um.totals_by_year(df, table="glotip", areas=areas)
    out = out[out["rows"] > 0]
    got = pd.DataFrame(
        {
            "indicator": out["indicator"].astype(object),
            "year": out["year"].astype(int),
            "low": out["total_low"].astype(int),
            "high": out["total_high"].astype(int),
        }
    )
    return got.sort_values(["indicator", "year"]).reset_index(drop=True)


@pytest.mark.parametrize("shape", ["preamble", "resaved", "csv"])
def test_every_shape_is_read_whole_and_classified(
    shape: str, copies: dict[str, Path], edition: dict[str, Any]
) -> None:
    df = um.read_glotip(copies[shape])
    meta = df.attrs["glotip"]
    assert len(df) == len(edition["lines"]) == meta["data_lines"]
    assert meta["unreadable"] == []
    assert df["area_kind"].notna().all()
    counts = df["area_kind"].value_counts().to_dict()
    assert counts == {
        "country": 58_514,
        "territory": 255,
        "region_aggregate": edition["aggregates"],
        "combined": edition["combined"],
    }
    aggregates = df[df["area_kind"] == "region_aggregate"]
    assert set(aggregates["iso3"].dropna()) == set(REGION_CODES.values())
    assert aggregates["country"].dropna().tolist() == ["World"]
    expected_date = "2025-04-14" if shape == "preamble" else None
    assert meta["edition_date"] == expected_date  # never invented without a preamble
    assert meta["header_line"] == (HEADER_LINE if shape == "preamble" else 1)
    first = meta["header_line"] + 1
    assert df["line"].tolist() == list(range(first, first + len(df)))


def test_sums_leave_out_the_aggregates_and_name_them(
    copies: dict[str, Path], edition: dict[str, Any]
) -> None:
    df = um.read_glotip(copies["preamble"])
    pd.testing.assert_frame_equal(package_totals(df), plain_totals(edition["lines"]))
    pd.testing.assert_frame_equal(
        package_totals(df, "aggregates"), plain_totals(edition["lines"], aggregates=True)
    )
    out, excluded = um.totals_by_year(df, table="glotip", return_excluded=True)
    left_out = excluded[excluded["reason"].str.startswith("an area aggregate")]
    assert len(left_out) == edition["aggregates"]
    combined = excluded[excluded["reason"].str.contains("combined or unknown")]
    assert len(combined) == edition["combined"]
    victims = out[out["indicator"] == "Detected trafficking victims"]
    assert victims["excluded"].str.contains("area aggregate").any()


def test_the_sums_by_sex_never_add_an_aggregate(copies: dict[str, Path]) -> None:
    df = um.read_glotip(copies["resaved"])
    with_aggregates = um.gender_breakdown(df, by="year")
    original = um.gender_breakdown(df[df["area_kind"].isin(["country", "territory"])], by="year")
    columns = ["indicator", "dimension", "category", "year", "total_low", "total_high"]
    pd.testing.assert_frame_equal(
        with_aggregates[columns].reset_index(drop=True), original[columns].reset_index(drop=True)
    )
    only = um.gender_breakdown(df, by="year", areas="aggregates")
    assert set(only.loc[only["rows"] > 0, "dimension"]) == {"Total"}


def test_the_real_file_sums_match_plain_pandas(glotip_file: Path) -> None:
    df = um.read_glotip(glotip_file)
    cells = raw_cells(glotip_file)
    header = [str(c) for c in cells.iloc[HEADER_LINE - 1]]
    lines = cells.iloc[HEADER_LINE:].set_axis(header, axis=1)
    pd.testing.assert_frame_equal(package_totals(df), plain_totals(lines))


def test_unreadable_lines_are_reported_with_errors_report(
    edition: dict[str, Any], tmp_path: Path
) -> None:
    lines = edition["lines"].copy()
    lines.loc[5, "txtVALUE"] = "n/a"
    lines.loc[9, "Year"] = "1890"
    path = tmp_path / "bad.csv"
    lines.set_axis(edition["header"], axis=1).to_csv(path, index=False)
    with pytest.raises(um.ValidationError) as info:
        um.read_glotip(path)
    assert info.value.failures["row"].tolist() == [7, 11]  # file lines: header on line 1
    df = um.read_glotip(path, errors="report")
    unreadable = df.attrs["glotip"]["unreadable"]
    assert [u["line"] for u in unreadable] == [7, 11]
    assert [u["value"] for u in unreadable] == ["n/a", "1890"]
    assert len(df) + len(unreadable) == len(lines)
    assert not set(df["line"]) & {7, 11}


def test_the_librarys_own_export_reads_back(tmp_path: Path) -> None:
    path = write_dataunodc(tmp_path / "dataunodc.csv")
    written = pd.read_csv(path, dtype=str)
    df = um.read_glotip(path)
    assert len(df) == len(written)
    assert df.attrs["glotip"]["unreadable"] == []
    assert df.attrs["glotip"]["edition_date"] is None
    assert df["year"].isna().sum() == written["Year"].isna().sum()  # undated, not refused
    no_place = written["Iso3_code"].isna() & written["Country"].isna()
    assert (df.loc[no_place.to_numpy(), "area_kind"] == "unknown").all()
    assert set(df["area_kind"]) <= {"country", "unknown"}
    pd.testing.assert_series_equal(
        df["value"].astype("Int64"),
        pd.to_numeric(written["txtVALUE"]).astype("Int64"),
        check_names=False,
    )


def test_errors_is_raise_or_report() -> None:
    with pytest.raises(ValueError, match="errors must be 'raise' or 'report'"):
        um.read_glotip(io.StringIO(""), errors="ignore")  # type: ignore[arg-type]


def test_areas_is_refused_for_a_figure_table_and_checked() -> None:
    with pytest.raises(ValueError, match="areas applies to the long shape"):
        um.totals_by_year(um.load("trainings"), table="trainings", areas="aggregates")
    with pytest.raises(ValueError, match="areas must be 'countries' or 'aggregates'"):
        header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,"
        line = "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total,"
        text = header + "Unit of measurement,txtVALUE,Source\n" + line
        text += "Total,Total,2021,Counts,12,GLOTIP\n"
        um.gender_breakdown(um.read_glotip(io.StringIO(text)), areas="all")  # type: ignore[call-overload]
