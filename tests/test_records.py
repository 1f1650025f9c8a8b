"""Users' own records: the records contract, on every entry point, and files as users have
them (reordered, compressed, JSON, semicolons, broken quotes, huge numbers)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

import unodc_metrics as um
from unodc_metrics.export import to_json, validate_file
from unodc_metrics.schemas import UnknownCodeWarning, record_columns

RECORDS = pd.DataFrame(
    {
        "id": ["r1", "r2", "r3", "r4"],
        "value": [10, 20, 5, 8],
        "period_kind": ["date_range"] * 4,
        "period_start": ["2021-01-01", "2021-03-01", "2022-05-01", "2021-06-01"],
        "period_end": ["2021-01-02", "2021-03-02", "2022-05-02", "2021-06-03"],
        "female": [4, 10, None, 8],
        "male": [6, 10, None, 0],
        "initiative": ["GLO.ACT", "GLO.ACT", None, "GLO.ACT"],
    }
)


def test_seven_to_twelve_columns_validate_and_are_completed() -> None:
    out = um.validate(RECORDS, "trainings", contract="records")
    assert list(out.columns) == list(um.load("trainings").columns)
    assert out["qualifier"].eq("exact").all()
    assert out["value_low"].tolist() == out["value_high"].tolist() == RECORDS["value"].tolist()
    assert out["female_low"].tolist()[:2] == [4, 10]
    assert not out["sex_split_derived"].any()
    assert out["paragraph"].isna().all()
    polars = um.validate(pl.from_pandas(RECORDS), "trainings", contract="records")
    pd.testing.assert_frame_equal(
        polars.to_pandas(), pl.from_pandas(out).to_pandas(), check_dtype=False
    )


def test_the_aggregations_take_records_on_every_engine() -> None:
    want = um.gender_breakdown(RECORDS, by="initiative")
    assert want["total"].tolist() == [38, 5]
    assert want["female"].tolist()[0] == 22
    typed = um.validate(RECORDS, "trainings", contract="records")[list(RECORDS.columns)]
    lazy = pl.from_pandas(typed).lazy()
    relation = duckdb.from_arrow(pl.from_pandas(typed).to_arrow())
    for frame in (pl.from_pandas(RECORDS), lazy, relation):
        got = um.gender_breakdown(frame, by="initiative")
        got = got.collect() if isinstance(got, pl.LazyFrame) else got
        got = got.pl() if hasattr(got, "pl") else got
        assert pl.DataFrame(got)["total"].to_list() == [38, 5]
    years = um.totals_by_year(RECORDS, table="trainings")
    assert dict(zip(years["year"], years["total"], strict=True)) == {2021: 38, 2022: 5}


def test_a_qualifier_needs_its_bounds() -> None:
    with pytest.raises(um.ValidationError) as info:
        um.validate(RECORDS.assign(qualifier="at_least"), "trainings", contract="records")
    f = info.value.failures
    missing = f[f["rule"] == "column_in_dataframe"]
    assert missing["column"].tolist() == ["value_high", "value_low"]
    assert missing["message"].str.contains("qualifier is given").all()


def test_a_required_column_is_named() -> None:
    with pytest.raises(um.ValidationError) as info:
        um.validate(RECORDS.drop(columns="period_kind"), "trainings", contract="records")
    assert info.value.failures["column"].tolist()[0] == "period_kind"


def test_registries_are_open_but_never_silently_ours() -> None:
    codes = pd.Series(["MYPROG", "GLO.ACT", None, "MYPROG"], dtype="string")
    mine = RECORDS.assign(initiative=codes)
    with pytest.warns(UnknownCodeWarning, match="initiative codes unknown.*MYPROG"):
        um.validate(mine, "trainings", contract="records")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        um.validate(mine, "trainings", contract="records", registry={"initiative": ["MYPROG"]})
    with pytest.raises(um.ValidationError, match="initiative must be a code"):
        um.validate(mine, "trainings", contract="records", registry={"initiative": ["OTHER"]})
    with pytest.raises(um.ValidationError, match="initiative must be a code"):
        um.validate(um.load("trainings").assign(initiative="MYPROG"), "trainings")


def test_contract_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="contract must be one of"):
        um.validate(RECORDS, "trainings", contract="mine")
    with pytest.raises(ValueError, match="figure tables"):
        um.validate(um.load("initiatives"), "initiatives", contract="records")
    with pytest.raises(ValueError, match="goes with contract='records'"):
        um.validate(um.load("trainings"), "trainings", registry={"initiative": ["X"]})


def test_the_documented_columns_match_the_contract() -> None:
    columns = record_columns("rescues")
    required = [c["column"] for c in columns if c["required"] == "yes"]
    assert required == ["id", "value", "period_kind", "period_start", "period_end", "status"]
    page = (Path(__file__).parent.parent / "docs" / "records.md").read_text(encoding="utf-8")
    for table in ("trainings", "rescues", "arrests"):
        for c in record_columns(table):
            row = f"| `{c['column']}` | {c['required']} | {c['kind']} | {c['default']} |"
            assert row in page, (table, row)


# Files, through validate_file and the command line


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "unodc_metrics", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_records_file_validates_in_every_format(tmp_path: Path) -> None:
    csv = tmp_path / "mine.csv"
    RECORDS.iloc[:, ::-1].to_csv(csv, index=False)  # columns in another order
    gz = tmp_path / "mine.csv.gz"
    gz.write_bytes(gzip.compress(csv.read_bytes()))
    parquet = tmp_path / "mine.parquet"
    pl.from_pandas(RECORDS).write_parquet(parquet)
    for path in (csv, gz, parquet):
        out = validate_file(path, "trainings", contract="records")
        assert out["value"].tolist() == [10, 20, 5, 8]
        done = cli("validate", str(path), "--table", "trainings", "--contract", "records")
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_json_export_validates(tmp_path: Path) -> None:
    path = to_json("rescues", tmp_path / "rescues.json")
    pd.testing.assert_frame_equal(validate_file(path, "rescues"), um.load("rescues"))


def test_a_huge_count_is_a_failure_with_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    RECORDS.assign(value=["100000000000000000000", "1", "2", "3"]).to_csv(path, index=False)
    done = cli("validate", str(path), "--table", "trainings", "--contract", "records")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "line 2, row 0, id r1, column 'value'" in done.stdout
    assert "too large" in done.stdout


def test_semicolons_get_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    RECORDS.to_csv(path, index=False, sep=";")
    with pytest.raises(um.ValidationError) as info:
        validate_file(path, "trainings", contract="records")
    f = info.value.failures
    assert f["rule"].tolist() == ["csv_delimiter"]
    assert "semicolons" in f["message"].iloc[0]


def test_an_unclosed_quote_is_placed_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    lines = RECORDS.to_csv(index=False).splitlines()
    lines[3] = lines[3].replace("r3", '"r3', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(um.ValidationError) as info:
        validate_file(path, "trainings", contract="records")
    f = info.value.failures
    assert f[["rule", "line"]].values.tolist() == [["csv_syntax", 4]]


def test_an_all_failing_file_is_bounded_and_summarised(tmp_path: Path) -> None:
    many = pd.concat([RECORDS] * 2_500, ignore_index=True)
    many["id"] = [f"r{i}" for i in range(len(many))]
    many["country"] = "col"
    path = tmp_path / "many.csv"
    many.to_csv(path, index=False)
    done = cli("validate", str(path), "--table", "trainings", "--contract", "records")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].endswith("10,000 problems found")
    assert len(lines) < 30
    assert "  country_is_iso3166: 10,000" in lines
    assert "(10,000 rows fail this rule; the first 20 are listed)" in lines[1]
    done = cli(
        "validate",
        str(path),
        "--table",
        "trainings",
        "--contract",
        "records",
        "--max-failures",
        "3",
    )
    assert len(done.stdout.splitlines()) == 1 + 3 + 2 + 1
