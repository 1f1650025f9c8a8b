"""Exports: Parquet read back by three engines, CSV, JSON, the data package, dataUNODC."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest

import unodc_metrics as um
from unodc_metrics import export
from unodc_metrics.schemas import schema_for

# Each column kind, as each engine names the type it reads back.
ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "double",
    "boolean": "bool",
    "date": "date32[day]",
}
POLARS_TYPES = {
    "string": "String",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "Boolean",
    "date": "Date",
}
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


def kinds(name: str) -> dict[str, str]:
    """Each column's kind, from the table's pandera schema."""
    out = {}
    for col, spec in schema_for(name).to_schema().columns.items():
        dtype = str(spec.dtype)
        if dtype.startswith("datetime"):
            out[col] = "date"
        elif dtype == "bool":
            out[col] = "boolean"
        elif dtype == "Int64":
            out[col] = "integer"
        elif dtype == "Float64":
            out[col] = "number"
        else:
            out[col] = "string"
    return out


def python_rows(name: str) -> list[tuple[Any, ...]]:
    """The loaded table's rows as plain Python values: what every engine must read back."""
    df = um.load(name)

    def plain(value: Any) -> Any:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, pd.Timestamp):
            return value.date()
        if hasattr(value, "item"):
            return value.item()
        return value

    return [tuple(plain(v) for v in row) for row in df.itertuples(index=False, name=None)]


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    export.export(out, "parquet")
    return out


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", um.TABLES)
def test_pyarrow_reads_parquet_back_with_the_same_rows_and_types(
    parquet_dir: Path, name: str
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(parquet_dir / f"{name}.parquet")
    expected = kinds(name)
    assert table.column_names == list(expected)
    assert {f.name: str(f.type) for f in table.schema} == {
        c: ARROW_TYPES[k] for c, k in expected.items()
    }
    rows = [tuple(r.values()) for r in table.to_pylist()]
    assert rows == python_rows(name)


@pytest.mark.parametrize("name", um.TABLES)
def test_polars_reads_parquet_back_with_the_same_rows_and_types(
    parquet_dir: Path, name: str
) -> None:
    pl = pytest.importorskip("polars")
    df = pl.read_parquet(parquet_dir / f"{name}.parquet")
    expected = kinds(name)
    assert df.columns == list(expected)
    assert {c: str(t) for c, t in df.schema.items()} == {
        c: POLARS_TYPES[k] for c, k in expected.items()
    }
    assert df.rows() == python_rows(name)


@pytest.mark.parametrize("name", um.TABLES)
def test_duckdb_reads_parquet_back_with_the_same_rows_and_types(
    parquet_dir: Path, name: str
) -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    try:
        rel = con.read_parquet(str(parquet_dir / f"{name}.parquet"))
        expected = kinds(name)
        assert rel.columns == list(expected)
        assert [str(t) for t in rel.types] == [DUCKDB_TYPES[k] for k in expected.values()]
        assert rel.fetchall() == python_rows(name)
    finally:
        con.close()


def test_parquet_keeps_descriptions_units_and_table_metadata(parquet_dir: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    schema = pq.read_schema(parquet_dir / "trainings.parquet")
    record = json.loads(schema.metadata[export.PARQUET_METADATA_KEY])
    meta = um.metadata("trainings")
    assert record["title"] == meta.title
    assert record["description"] == meta.description
    assert record["licence"] == meta.licence
    assert record["units"] == meta.units
    assert record["sha256"] == meta.sha256
    assert record["source"]["text"] == um.REPORT.text()
    assert record["version"] == um.__version__
    columns = schema_for("trainings").to_schema().columns
    for field in schema:
        assert field.metadata[b"description"].decode() == columns[field.name].description
        assert record["columns"][field.name]["description"] == columns[field.name].description
    assert schema.field("female").metadata[b"unit"] == b"persons"
    assert schema.field("female_percent").metadata[b"unit"] == b"percent"
    assert b"unit" not in schema.field("phrase").metadata
    # Required columns are required in the file; nullable ones may be missing.
    assert not schema.field("id").nullable
    assert schema.field("female").nullable


def test_parquet_metadata_of_a_reference_table_keeps_its_limits(parquet_dir: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    schema = pq.read_schema(parquet_dir / "parties.parquet")
    record = json.loads(schema.metadata[export.PARQUET_METADATA_KEY])
    assert record["limits"] == list(um.metadata("parties").limits)
    assert record["source"] == um.metadata("parties").source


@pytest.mark.parametrize("name", um.TABLES)
def test_exported_parquet_validates_back_to_the_loaded_table(parquet_dir: Path, name: str) -> None:
    back = export.validate_file(parquet_dir / f"{name}.parquet", name)
    pd.testing.assert_frame_equal(back, um.load(name))


# --------------------------------------------------------------------------------------------
# CSV and JSON
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", um.TABLES)
def test_csv_export_has_the_shipped_cells_in_schema_order(tmp_path: Path, name: str) -> None:
    out = export.to_csv(name, tmp_path / f"{name}.csv")
    written = list(csv.reader(StringIO(out.read_text(encoding="utf-8"), newline="")))
    shipped_file = Path(um.__file__).parent / "data" / f"{name}.csv"
    shipped = list(csv.reader(StringIO(shipped_file.read_text(encoding="utf-8"), newline="")))
    assert written[0] == list(kinds(name))
    assert written == shipped
    pd.testing.assert_frame_equal(export.validate_file(out, name), um.load(name))


def test_csv_writes_iso_dates_booleans_and_empty_cells(tmp_path: Path) -> None:
    out = export.to_csv("trainings", tmp_path / "t.csv")
    rows = list(csv.DictReader(StringIO(out.read_text(encoding="utf-8"), newline="")))
    by_id = {r["id"]: r for r in rows}
    assert by_id["TRN-06a"]["period_start"] == ""
    assert by_id["TRN-06a"]["period_end"] == "2022-07-22"
    assert by_id["TRN-68a"]["sex_split_derived"] == "true"
    assert by_id["TRN-05a"]["sex_split_derived"] == "false"
    assert by_id["TRN-68a"]["female_percent"] == "24"
    assert out.read_bytes().count(b"\r") == 0


@pytest.mark.parametrize("name", um.TABLES)
def test_json_export_is_records_in_schema_order_with_iso_dates(tmp_path: Path, name: str) -> None:
    out = export.to_json(name, tmp_path / f"{name}.json")
    records = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(records, list)
    assert len(records) == len(um.load(name))
    assert all(list(r) == list(kinds(name)) for r in records)
    dates = [c for c, k in kinds(name).items() if k == "date"]
    for rec in records:
        for col in dates:
            assert rec[col] is None or dt.date.fromisoformat(rec[col]).isoformat() == rec[col]
    # Read back and validated, the records give the loaded table.
    frame = pd.DataFrame(records, columns=list(kinds(name)))
    for col in dates:
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
    pd.testing.assert_frame_equal(um.validate(frame, table=name), um.load(name))


def test_table_csv_is_the_text_that_to_csv_writes(tmp_path: Path) -> None:
    for name in ("trainings", "parties"):
        out = export.to_csv(name, tmp_path / f"{name}.csv")
        assert export.table_csv(name) == out.read_bytes().decode("utf-8")
    with pytest.raises(LookupError, match="no_such"):
        export.table_csv("no_such")


def test_cell_text_writes_the_shipped_files_conventions() -> None:
    cells = [None, True, False, 24.0, 0.5, -3.0, 7, dt.date(2022, 7, 22), "a, b", ""]
    assert [export.cell_text(v) for v in cells] == [
        "",
        "true",
        "false",
        "24",
        "0.5",
        "-3",
        "7",
        "2022-07-22",
        "a, b",
        "",
    ]


def test_csv_text_quotes_only_where_needed_and_ends_lines_with_newline() -> None:
    text = export.csv_text(
        ("id", "note", "flag", "when"),
        [("A-1", 'said "x, y"', False, None), ("A-2", "line\nbreak", True, dt.date(2021, 1, 1))],
    )
    assert text == (
        'id,note,flag,when\nA-1,"said ""x, y""",false,\nA-2,"line\nbreak",true,2021-01-01\n'
    )
    assert export.csv_text(["a"], []) == "a\n"


def test_json_uses_null_for_missing_values(tmp_path: Path) -> None:
    out = export.to_json("countries_reached", tmp_path / "c.json")
    first = json.loads(out.read_text(encoding="utf-8"))[0]
    assert first["id"] == "CTY-05a"
    assert first["value_high"] is None
    assert first["value_low"] == 49
    assert first["qualifier"] == "at_least"


def test_export_writes_all_tables_by_default_and_replaces_files(tmp_path: Path) -> None:
    first = export.export(tmp_path, "csv")
    assert [p.name for p in first] == [f"{n}.csv" for n in um.TABLES]
    (tmp_path / "arrests.csv").write_text("stale", encoding="utf-8")
    export.export(tmp_path, "csv", ["arrests"])
    assert (tmp_path / "arrests.csv").read_text(encoding="utf-8").startswith("id,")


def test_export_rejects_unknown_names_and_formats_before_writing(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="no_such"):
        export.export(tmp_path / "a", "csv", ["arrests", "no_such"])
    with pytest.raises(ValueError, match="unknown format"):
        export.export(tmp_path / "b", "xlsx")
    with pytest.raises(ValueError, match="figure tables"):
        export.export(tmp_path / "c", "dataunodc", ["parties"])
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------------------------
# Frictionless data package
# --------------------------------------------------------------------------------------------


def frictionless_validate(descriptor: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("frictionless") is None:
        pytest.skip("frictionless is not installed (it is a test dependency)")
    return subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datapackage")
    export.export(out, "datapackage")
    return out


def test_frictionless_accepts_the_data_package(package_dir: Path) -> None:
    done = frictionless_validate(package_dir / "datapackage.json")
    assert done.returncode == 0, done.stdout + done.stderr


def test_frictionless_accepts_a_package_of_some_tables(tmp_path: Path) -> None:
    paths = export.write_datapackage(tmp_path, ["rescues", "listed_items"])
    assert [p.name for p in paths] == ["rescues.csv", "listed_items.csv", "datapackage.json"]
    descriptor = json.loads(paths[-1].read_text(encoding="utf-8"))
    rescues = descriptor["resources"][0]["schema"]
    # Without the initiatives resource, only the self-reference of part_of is kept.
    assert [fk["fields"] for fk in rescues["foreignKeys"]] == ["part_of"]
    done = frictionless_validate(paths[-1])
    assert done.returncode == 0, done.stdout + done.stderr


def test_frictionless_enforces_the_keys_of_the_package(tmp_path: Path) -> None:
    paths = export.write_datapackage(tmp_path, ["initiatives", "rescues"])
    rescues = tmp_path / "rescues.csv"
    text = rescues.read_text(encoding="utf-8")
    rescues.write_text(text.replace(",RES-05a,", ",RES-99z,", 1), encoding="utf-8")
    done = frictionless_validate(paths[-1])
    assert done.returncode != 0
    assert "foreign-key" in done.stdout


def test_data_package_keys() -> None:
    package = export.datapackage()
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert [r["name"] for r in package["resources"]] == list(um.TABLES)
    for name in um.FIGURE_TABLES:
        assert schemas[name]["primaryKey"] == ["id"]
        assert schemas[name]["foreignKeys"] == [
            {"fields": "initiative", "reference": {"resource": "initiatives", "fields": "code"}},
            {"fields": "part_of", "reference": {"resource": "", "fields": "id"}},
        ]
    assert schemas["initiatives"]["primaryKey"] == ["code"]
    assert schemas["measures"]["primaryKey"] == ["table", "measure"]
    assert schemas["listed_items"]["primaryKey"] == ["figure_id", "position"]
    assert schemas["parties"]["primaryKey"] == ["iso3"]
    # listed_items.figure_id points into several resources: no single foreign key says so.
    assert "foreignKeys" not in schemas["listed_items"]


@pytest.mark.parametrize("name", um.TABLES)
def test_primary_keys_identify_the_rows(name: str) -> None:
    df = um.load(name)
    key = list(export.PRIMARY_KEYS[name])
    assert not df.duplicated(key).any()
    assert df[key].notna().all().all()


def test_table_schema_fields_carry_types_descriptions_units_and_rules() -> None:
    schema = export.table_schema("trainings")
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == list(kinds("trainings"))
    assert fields["value"]["type"] == "integer"
    assert fields["value"]["unit"] == "persons"
    assert fields["value"]["constraints"] == {"required": True, "minimum": 0}
    assert fields["period_start"]["type"] == "date"
    assert fields["id"]["constraints"] == {"required": True, "unique": True, "pattern": r"\S+"}
    assert fields["qualifier"]["constraints"]["enum"][0] == "exact"
    assert fields["sex_split_derived"]["trueValues"] == ["true", "True", "TRUE", "1"]
    assert "required" not in fields.get("female", {}).get("constraints", {})
    for name in um.TABLES:
        assert all(f["description"] for f in export.table_schema(name)["fields"]), name


def test_resource_hashes_match_the_written_files(package_dir: Path) -> None:
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (package_dir / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------
# dataUNODC long format
# --------------------------------------------------------------------------------------------

GLOTIP_SEXES = {"Total", "Female", "Male", "Other", "Unknown"}
GLOTIP_AGES = {"Total", "0 to 17 years", "18 years or over", "Unknown"}


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return export.to_dataunodc()


def test_dataunodc_has_the_13_columns_in_order(long: pd.DataFrame, tmp_path: Path) -> None:
    assert tuple(long.columns) == export.DATAUNODC_COLUMNS
    assert export.DATAUNODC_COLUMNS == (
        "Iso3_code",
        "Country",
        "Region",
        "Subregion",
        "Indicator",
        "Dimension",
        "Category",
        "Sex",
        "Age",
        "Year",
        "Unit of measurement",
        "txtVALUE",
        "Source",
    )
    (path,) = export.export(tmp_path, "dataunodc")
    assert path.name == "dataunodc.csv"
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert tuple(back.columns) == export.DATAUNODC_COLUMNS
    assert len(back) == len(long)


def test_dataunodc_has_every_figure_row_once_as_a_total(long: pd.DataFrame) -> None:
    for name in um.FIGURE_TABLES:
        for rid in um.load(name)["id"]:
            rows = long[long["Source"].str.contains(f" {rid})", regex=False)]
            assert len(rows) >= 1, rid
            assert (rows["Sex"].isin(["Total"]) | (name == "rescues")).any(), rid


def test_dataunodc_uses_dataunodc_labels(long: pd.DataFrame) -> None:
    assert set(long["Sex"]) <= GLOTIP_SEXES
    assert set(long["Age"]) <= GLOTIP_AGES
    assert set(long["Dimension"]) <= {"Total", "by form of exploitation"}
    assert set(long["Unit of measurement"]) <= {"Counts", "Years", "Decades"}
    assert long["txtVALUE"].str.fullmatch(r"\d+").all()
    assert not long["Indicator"].str.contains("Detected trafficking victims").any()


def test_dataunodc_splits_trainings_by_sex(long: pd.DataFrame) -> None:
    rows = long[long["Source"].str.contains("trainings TRN-05a)", regex=False)]
    assert list(zip(rows["Sex"], rows["txtVALUE"], strict=True)) == [
        ("Total", "2776"),
        ("Female", "1138"),
        ("Male", "715"),
        ("Unknown", "919"),
    ]
    assert rows["Source"].str.contains("parts_short_of_total").all()
    derived = long[long["Source"].str.contains("TRN-68a)", regex=False) & (long["Sex"] == "Female")]
    assert derived["txtVALUE"].tolist() == ["15"]
    assert "24 per cent" in derived["Source"].iloc[0]


def test_dataunodc_rescues_by_sex_age_and_exploitation(long: pd.DataFrame) -> None:
    def row(rid: str) -> dict[str, Any]:
        found = long[long["Source"].str.contains(f" {rid})", regex=False)]
        assert len(found) == 1, rid
        return {str(k): v for k, v in found.iloc[0].to_dict().items()}

    assert row("RES-05b")["Dimension"] == "by form of exploitation"
    assert row("RES-05b")["Category"] == "Labour exploitation"
    assert (row("RES-05d")["Category"], row("RES-05d")["Age"]) == (
        "Sexual exploitation",
        "0 to 17 years",
    )
    assert (row("RES-76c")["Sex"], row("RES-76c")["Age"]) == ("Female", "18 years or over")
    assert row("RES-63a")["Indicator"] == "Victims of trafficking in persons identified"
    assert row("RES-05a")["Indicator"] == "Victims of trafficking in persons rescued"
    assert (row("RES-05a")["Iso3_code"], row("RES-05a")["Country"]) == ("COL", "Colombia")
    assert row("RES-05a")["Region"] == "Americas"


def test_dataunodc_years_and_qualifiers(long: pd.DataFrame) -> None:
    def row(rid: str) -> dict[str, Any]:
        found = long[long["Source"].str.contains(f" {rid})", regex=False)]
        return {str(k): v for k, v in found.iloc[0].to_dict().items()}

    assert row("CTY-05a")["Year"] == 2021
    assert row("CTY-05a")["txtVALUE"] == "49"
    assert "the report says at least 49" in row("CTY-05a")["Source"]
    assert "the report says more than 35" in row("MTG-70a")["Source"]
    assert pd.isna(row("TRN-06a")["Year"])  # "to date": no single year
    assert "to date" in row("TRN-06a")["Source"]
    assert pd.isna(row("OTH-31a")["Year"])  # 2021 to July 2022
    assert row("OTH-33a")["Unit of measurement"] == "Decades"
    assert (row("CTY-65a")["Iso3_code"], row("CTY-65a")["Country"]) == ("", "Ecuador and Peru")
    assert "paragraph 65" in row("CTY-65a")["Source"]


def test_every_country_of_the_figure_tables_has_its_dataunodc_place(long: pd.DataFrame) -> None:
    countries: set[str] = set()
    for name in um.FIGURE_TABLES:
        countries |= set(um.load(name)["country"].dropna())
    places = long[long["Iso3_code"] != ""]
    assert set(places["Iso3_code"]) == countries
    # Each has dataUNODC's name, region and sub-region: none is left empty.
    for col in ("Country", "Region", "Subregion"):
        assert (places[col] != "").all(), col
        assert places.groupby("Iso3_code")[col].nunique().eq(1).all(), col
    first = places.drop_duplicates("Iso3_code").set_index("Iso3_code")
    assert tuple(first.loc["BGD", ["Country", "Region", "Subregion"]]) == (
        "Bangladesh",
        "Asia",
        "Southern Asia",
    )


def test_dataunodc_rejects_tables_without_figures() -> None:
    with pytest.raises(ValueError, match="figure tables"):
        export.to_dataunodc(["initiatives"])
    assert len(export.to_dataunodc(["arrests"])) == len(um.load("arrests"))


@pytest.fixture(scope="module")
def glotip(glotip_file: Path) -> pd.DataFrame:
    engine: Literal["calamine", "openpyxl"] = "calamine"
    if importlib.util.find_spec("python_calamine") is None:
        if importlib.util.find_spec("openpyxl") is None:
            pytest.skip("neither python-calamine nor openpyxl is installed to read the .xlsx file")
        engine = "openpyxl"
    return pd.read_excel(glotip_file, skiprows=2, dtype=str, engine=engine)


def test_dataunodc_places_match_dataunodcs_own_file(
    glotip: pd.DataFrame, long: pd.DataFrame
) -> None:
    columns = ["Iso3_code", "Country", "Region", "Subregion"]
    places = glotip[columns].drop_duplicates()
    ours = long.loc[long["Iso3_code"] != "", columns].drop_duplicates()
    assert len(ours) == ours["Iso3_code"].nunique() > 0
    for place in ours.itertuples(index=False):
        found = places[places["Iso3_code"] == place.Iso3_code]
        assert len(found) == 1, place.Iso3_code
        assert tuple(found.iloc[0]) == tuple(place), place.Iso3_code


def test_dataunodc_columns_and_labels_match_dataunodcs_own_file(
    glotip: pd.DataFrame, long: pd.DataFrame
) -> None:
    assert tuple(glotip.columns) == export.DATAUNODC_COLUMNS
    assert set(long["Sex"]) <= set(glotip["Sex"])
    assert set(long["Age"]) <= set(glotip["Age"])
    assert set(long["Dimension"]) <= set(glotip["Dimension"])
    ours = set(long.loc[long["Dimension"] != "Total", "Category"])
    # "Labour exploitation" is the report's word; GLOTIP's "Forced labour" is not assumed.
    assert ours - set(glotip["Category"]) <= {"Labour exploitation"}


# --------------------------------------------------------------------------------------------
# Reading files back: validate_file
# --------------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def failures(path: Path, table: str, **kw: Any) -> pd.DataFrame:
    before = path.read_bytes()
    with pytest.raises(um.ValidationError) as info:
        export.validate_file(path, table, **kw)
    assert path.read_bytes() == before
    found: pd.DataFrame = info.value.failures
    return found


@pytest.fixture
def arrests_csv(tmp_path: Path) -> Path:
    return export.to_csv("arrests", tmp_path / "arrests.csv")


def test_each_unreadable_cell_is_reported_with_its_line(arrests_csv: Path) -> None:
    text = arrests_csv.read_text(encoding="utf-8")
    text = text.replace("ARR-69a,69,", "ARR-69a,sixty-nine,")
    text = text.replace("2020-11-19,2020-11-30", "2020-11-19,2020-11-31")
    found = failures(write(arrests_csv, text), "arrests")
    assert found[["line", "row", "id", "column", "value", "check", "rule"]].values.tolist() == [
        [3, 1, "ARR-69a", "paragraph", "sixty-nine", "read_integer", "read_integer"],
        [5, 3, "ARR-76b", "period_end", "2020-11-31", "read_date", "read_date"],
    ]
    assert list(found.columns) == [
        "table",
        "column",
        "row",
        "id",
        "value",
        "check",
        "rule",
        "message",
        "line",
    ]


def test_a_ragged_row_is_reported_and_the_others_still_checked(arrests_csv: Path) -> None:
    lines = arrests_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "ARR-xx,1,too few\n")
    lines[3] = lines[3].replace(",6,exact,6,6,", ",-6,exact,6,6,")
    found = failures(write(arrests_csv, "".join(lines)), "arrests")
    assert found["check"].iloc[0] == found["rule"].iloc[0] == "field_count"
    assert (found.loc[0, "line"], found.loc[0, "row"]) == (3, 1)
    assert "has 3 cells" in str(found.loc[0, "message"])
    value = found[found["column"] == "value"]
    assert (value["line"].tolist(), value["row"].tolist(), value["value"].tolist()) == (
        [4],
        [2],
        ["-6"],
    )
    assert value["rule"].tolist() == ["greater_than_or_equal_to"]
    # The negative value also breaks the rule of the bounds, reported after it on its row.
    assert found.loc[found["row"] == 2, "rule"].tolist() == [
        "greater_than_or_equal_to",
        "bounds_follow_qualifier",
    ]


def test_a_missing_column_does_not_report_the_rules_it_stops(arrests_csv: Path) -> None:
    rows = list(csv.reader(StringIO(arrests_csv.read_text(encoding="utf-8"), newline="")))
    i = rows[0].index("qualifier")
    buffer = StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([r[:i] + r[i + 1 :] for r in rows])
    found = failures(write(arrests_csv, buffer.getvalue()), "arrests")
    assert found[["column", "check", "rule"]].values.tolist() == [
        ["qualifier", "column_in_dataframe", "column_in_dataframe"]
    ]


def test_files_that_are_not_csv_or_parquet_are_reported(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id\nCaf\u00e9\n".encode("latin-1"))
    assert failures(latin, "arrests")[["check", "rule"]].values.tolist() == [
        ["file_encoding", "file_encoding"]
    ]
    empty = write(tmp_path / "empty.csv", "")
    assert failures(empty, "arrests")[["check", "rule"]].values.tolist() == [
        ["file_empty", "file_empty"]
    ]
    fake = write(tmp_path / "fake.parquet", "id\nx\n")
    found = failures(fake, "arrests")
    assert found[["check", "rule"]].values.tolist() == [["file_format", "file_format"]]
    assert found[["column", "row", "line"]].isna().all().all()


def test_an_unclosed_quote_is_reported_with_its_line(arrests_csv: Path) -> None:
    lines = arrests_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",exact,", ',"exact,', 1)
    found = failures(write(arrests_csv, "".join(lines)), "arrests")
    assert found.loc[0, "rule"] == "csv_syntax"
    assert found.loc[0, "line"] == 4  # the line with the quote that does not close
    assert found["row"].isna().iloc[0]
    assert str(found.loc[0, "message"]).startswith("is not well-formed CSV")


def test_a_repeated_or_unknown_column_is_reported_once(arrests_csv: Path) -> None:
    rows = list(csv.reader(StringIO(arrests_csv.read_text(encoding="utf-8"), newline="")))
    i = rows[0].index("value")
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*rows[0], "value", "extra"])
    writer.writerows([*r, r[i], "x"] for r in rows[1:])
    found = failures(write(arrests_csv, buffer.getvalue()), "arrests")
    # Failures of whole columns come last, by column.
    assert found[["column", "row", "rule"]].values.tolist() == [
        ["extra", pd.NA, "column_in_schema"],
        ["value", pd.NA, "column_duplicated"],
    ]


def test_a_rule_that_reads_an_unreadable_cell_is_not_reported_again(arrests_csv: Path) -> None:
    rows = list(csv.reader(StringIO(arrests_csv.read_text(encoding="utf-8"), newline="")))
    # Read as missing, "lots" would break the bounds that the qualifier sets.
    rows[1][rows[0].index("value_low")] = "lots"
    buffer = StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    found = failures(write(arrests_csv, buffer.getvalue()), "arrests")
    assert found[["row", "column", "value", "rule"]].values.tolist() == [
        [0, "value_low", "lots", "read_integer"]
    ]


def test_booleans_must_be_true_or_false(tmp_path: Path) -> None:
    path = export.to_csv("trainings", tmp_path / "trainings.csv")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",false\n", ",no\n")
    lines[2] = lines[2].replace(",false\n", ",\n")
    found = failures(write(path, "".join(lines)), "trainings")
    assert found[["row", "column", "value", "message", "rule"]].values.tolist() == [
        [0, "sex_split_derived", "no", "must be true or false", "read_boolean"],
        [1, "sex_split_derived", "<missing>", "must not be missing", "not_nullable"],
    ]


def test_parquet_with_wrong_types_is_reported_per_cell(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = export.to_arrow("arrests")
    values = [str(v) for v in table.column("value").to_pylist()]
    values[2] = "five"
    i = table.schema.get_field_index("value")
    table = table.set_column(i, "value", pa.array(values, type=pa.string()))
    path = tmp_path / "arrests.parquet"
    pq.write_table(table, path)
    found = failures(path, "arrests")
    assert found[["row", "line", "column", "value", "check", "rule"]].values.tolist() == [
        [2, pd.NA, "value", "five", "read_integer", "read_integer"]
    ]


def test_parquet_timestamps_with_a_time_of_day_are_not_dates(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = export.to_arrow("arrests")
    starts = [dt.datetime(d.year, d.month, d.day) for d in table.column("period_start").to_pylist()]
    starts[1] = starts[1].replace(hour=5)
    i = table.schema.get_field_index("period_start")
    path = tmp_path / "arrests.parquet"
    pq.write_table(table.set_column(i, "period_start", pa.array(starts)), path)
    found = failures(path, "arrests")
    assert found[["row", "column", "value", "rule"]].values.tolist() == [
        [1, "period_start", "2021-01-01 05:00:00", "read_date"]
    ]


def test_validate_file_needs_a_known_format_and_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suffix"):
        export.validate_file(tmp_path / "x.txt", "arrests")
    with pytest.raises(FileNotFoundError):
        export.validate_file(tmp_path / "missing.csv", "arrests")
    with pytest.raises(IsADirectoryError):
        export.validate_file(tmp_path, "arrests", format="csv")
    with pytest.raises(LookupError):
        export.validate_file(tmp_path / "x.csv", "no_such_table")


@pytest.mark.parametrize("name", ["trainings", "rescues", "parties"])
def test_files_written_by_pandas_validate(tmp_path: Path, name: str) -> None:
    pytest.importorskip("pyarrow")
    df = um.load(name)
    df.to_parquet(tmp_path / f"{name}.parquet")  # timestamps, not dates
    df.to_csv(tmp_path / f"{name}.csv", index=False)  # True/False, not true/false
    for suffix in ("parquet", "csv"):
        back = export.validate_file(tmp_path / f"{name}.{suffix}", name)
        pd.testing.assert_frame_equal(back, df)


def test_importing_the_export_and_cli_modules_stays_cheap() -> None:
    code = (
        "import sys, unodc_metrics.export, unodc_metrics.cli\n"
        "heavy = [m for m in ('pandas', 'pandera', 'pyarrow', 'polars') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
