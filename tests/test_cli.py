"""The ``unodc-metrics`` command line, run in process and, for user errors, as a process."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

import unodc_metrics as um
from unodc_metrics import export
from unodc_metrics.cli import EXIT_FAILURE, EXIT_IO, EXIT_OK, EXIT_USAGE, main, report_checks

COMMANDS = ["tables", "show", "export", "validate", "figures", "cite"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------
# Help, version, summary
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help_with_the_exit_codes(
    capsys: pytest.CaptureFixture[str], command: str | None
) -> None:
    code, out, err = run(capsys, *([command] if command else []), "--help")
    assert code == EXIT_OK
    assert out.startswith("usage: unodc-metrics")
    assert "exit codes:" in out
    assert "3  a file or folder cannot be read or written" in out
    assert err == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == EXIT_OK
    assert out.strip() == f"unodc-metrics {um.__version__} (source edition {um.SOURCE_EDITION})"


def test_no_command_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == EXIT_OK
    assert out.startswith(f"unodc-metrics {um.__version__}:")
    assert f"Source: {um.REPORT.text()}" in out
    assert all(name in out for name in um.TABLES)


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frobnicate")
    assert code == EXIT_USAGE
    assert out == ""
    assert "invalid choice: 'frobnicate'" in err


# --------------------------------------------------------------------------------------------
# tables, show
# --------------------------------------------------------------------------------------------


def test_tables_lists_each_table_with_its_description_and_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "tables")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ["name", "kind", "rows", "description"]
    overview = um.tables()
    for rec in overview.itertuples(index=False):
        (line,) = [x for x in lines if x.startswith(f"{rec.name} ")]
        assert line.split()[1:3] == [rec.kind, str(rec.rows)]
    assert " ".join(out.split()).count(" ".join(str(overview.loc[0, "description"]).split())) == 1


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_tables_as_data(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "tables", "--format", fmt)
    assert code == EXIT_OK
    records = list(csv.DictReader(StringIO(out))) if fmt == "csv" else json.loads(out)
    assert [r["name"] for r in records] == list(um.TABLES)
    assert {r["name"]: int(r["rows"]) for r in records} == {n: len(um.load(n)) for n in um.TABLES}


def test_show_csv_is_the_exported_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "show", "rescues", "--format", "csv")
    assert code == EXIT_OK
    exported = export.to_csv("rescues", tmp_path / "rescues.csv").read_text(encoding="utf-8")
    assert out == exported


def test_show_json_is_the_exported_records(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "knowledge_base", "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out) == export.to_records("knowledge_base")


def test_show_table_is_aligned_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "arrests", "--max-width", "30")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "paragraph", "phrase"]
    assert len(lines) == 1 + len(um.load("arrests"))
    assert lines[1].startswith("ARR-05a")
    assert "2021-01-01" in lines[1]
    assert "NaN" not in out and "<NA>" not in out and "NaT" not in out


def test_show_unknown_table_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "trainingz")
    assert code == EXIT_USAGE
    assert out == ""
    assert "no table named 'trainingz'; the tables are: trainings, rescues" in err


# --------------------------------------------------------------------------------------------
# export, then validate: the pipeline of the issue
# --------------------------------------------------------------------------------------------


def test_export_parquet_then_validate_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", "--format", "parquet", "--out", "data/")
    assert code == EXIT_OK
    assert out.split() == [str(Path("data") / f"{n}.parquet") for n in um.TABLES]
    code, out, err = run(capsys, "validate", "data/trainings.parquet", "--table", "trainings")
    assert code == EXIT_OK, out + err
    assert out.strip() == "data/trainings.parquet: a valid 'trainings' table, 5 rows"
    code, out, _ = run(capsys, "validate", "-q", "data/parties.parquet", "--table", "parties")
    assert (code, out) == (EXIT_OK, "")


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_each_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    code, out, err = run(
        capsys, "export", "arrests", "rescues", "--format", fmt, "--out", str(tmp_path)
    )
    assert code == EXIT_OK, err
    written = [Path(p) for p in out.split()]
    assert all(p.is_file() for p in written)
    names = {
        "parquet": ["arrests.parquet", "rescues.parquet"],
        "csv": ["arrests.csv", "rescues.csv"],
        "json": ["arrests.json", "rescues.json"],
        "datapackage": ["arrests.csv", "rescues.csv", "datapackage.json"],
        "dataunodc": ["dataunodc.csv"],
        "sdmx": ["arrests.sdmx.xml", "arrests.dsd.xml", "rescues.sdmx.xml", "rescues.dsd.xml"],
        "sdmx-csv": ["arrests.sdmx.csv", "arrests.dsd.xml", "rescues.sdmx.csv", "rescues.dsd.xml"],
    }[fmt]
    assert [p.name for p in written] == names


def test_export_dataunodc_without_names_takes_the_figure_tables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "export", "--format", "dataunodc", "--out", str(tmp_path))
    assert code == EXIT_OK
    back = pd.read_csv(out.strip(), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(export.DATAUNODC_COLUMNS)
    assert len(back) == len(export.to_dataunodc())


def test_export_usage_and_io_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "nope", "--format", "csv", "--out", str(tmp_path / "a"))
    assert code == EXIT_USAGE
    assert "no table named 'nope'" in err
    code, _, err = run(capsys, "export", "parties", "--format", "dataunodc", "--out", str(tmp_path))
    assert code == EXIT_USAGE
    assert "only the figure tables" in err
    code, _, err = run(capsys, "export", "--format", "xlsx", "--out", str(tmp_path))
    assert code == EXIT_USAGE
    code, _, err = run(capsys, "export", "--format", "csv")
    assert code == EXIT_USAGE
    assert "--out" in err
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "export", "--format", "csv", "--out", str(blocker))
    assert code == EXIT_IO
    assert err.startswith("unodc-metrics: error: cannot read or write")
    assert not (tmp_path / "a").exists()


# --------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------


def corrupted_trainings(tmp_path: Path) -> Path:
    path = export.to_csv("trainings", tmp_path / "trainings.csv")
    text = path.read_text(encoding="utf-8")
    text = text.replace(",2776,exact,2776,2776,", ",-2776,exact,2776,2776,", 1)
    text = text.replace("TRN-52a,52,", "TRN-52a,fifty-two,", 1)
    text = text.replace(",GLO.ACT,PAK,", ",GLO.ACT,XXX,", 1)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_corrupted_csv_fails_with_every_problem_and_is_not_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = corrupted_trainings(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    code, out, err = run(capsys, "validate", str(path), "--table", "trainings")
    assert code == EXIT_FAILURE
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    lines = out.splitlines()
    assert lines[0] == f"{path}: not a valid 'trainings' table: 4 problems found"
    assert (
        lines[1] == "  - line 2, row 0, id TRN-05a, column 'value', value -2776: must be at least 0"
    )
    assert lines[2].startswith(
        "  - line 2, row 0, id TRN-05a, column 'qualifier, value, value_low, value_high', "
        "value qualifier=exact, value=-2776, value_low=2776, value_high=2776: the bounds must"
    )
    assert lines[3] == (
        "  - line 4, row 2, id TRN-52a, column 'paragraph', value fifty-two: must be a whole number"
    )
    assert lines[4] == (
        "  - line 5, row 3, id TRN-62a, column 'country', value XXX: "
        "country must be an ISO 3166-1 alpha-3 code; use area otherwise"
    )
    assert lines[5:] == [
        "By rule:",
        "  bounds_follow_qualifier: 1",
        "  country_is_iso3166: 1",
        "  greater_than_or_equal_to: 1",
        "  read_integer: 1",
        "Rows count from 0, after the header. The file was not changed.",
    ]
    assert err == f"unodc-metrics: error: {path} is not a valid 'trainings' table\n"


def test_the_wrong_table_for_a_file_names_the_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = export.to_parquet("arrests", tmp_path / "arrests.parquet")
    code, out, _ = run(capsys, "validate", str(path), "--table", "initiatives")
    assert code == EXIT_FAILURE
    assert "  - column 'code': a required column is missing" in out.splitlines()
    assert "  - column 'phrase': this column is not part of the table (the schema is strict)" in out


def test_validate_usage_and_io_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "none.csv"), "--table", "arrests")
    assert (code, out) == (EXIT_IO, "")
    missing = tmp_path / "none.csv"
    assert (
        err == f"unodc-metrics: error: cannot read or write {missing}: No such file or directory\n"
    )
    code, _, err = run(capsys, "validate", str(tmp_path / "x.txt"), "--table", "arrests")
    assert code == EXIT_USAGE
    assert "--format csv|parquet" in err
    code, _, err = run(capsys, "validate", str(tmp_path), "--table", "arrests", "--format", "csv")
    assert code == EXIT_IO
    code, _, err = run(capsys, "validate", "x.csv", "--table", "arrestz")
    assert code == EXIT_USAGE
    assert "no table named 'arrestz'" in err
    code, _, err = run(capsys, "validate", "x.csv")
    assert code == EXIT_USAGE
    assert "--table" in err


def test_a_malformed_csv_is_a_failed_validation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "arrests.csv"
    path.write_text('id,paragraph\n"ARR-01a,1\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--table", "arrests")
    assert code == EXIT_FAILURE
    assert out.splitlines()[1] == (
        "  - line 2: is not well-formed CSV: a quote opened on this line is never closed"
    )


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------


def test_figures_lists_every_figure_with_its_status(capsys: pytest.CaptureFixture[str]) -> None:
    checks = um.check_figures()
    code, out, _ = run(capsys, "figures")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["figure_id", "paragraph", "stated", "status"]
    for rec in checks.itertuples(index=False):
        (line,) = [x for x in lines if x.startswith(f"{rec.figure_id} ")]
        assert f" {rec.status}" in line
    assert lines[-1].endswith(f"of {len(checks)} figures")


def test_figures_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    checks = um.check_figures()
    code, out, _ = run(capsys, "figures", "--format", "json")
    assert code == EXIT_OK
    records = json.loads(out)
    assert [r["figure_id"] for r in records] == list(checks["figure_id"])
    assert {"status", "recorded", "detail"} <= set(records[0])


def test_figures_check_passes_on_the_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    checks = um.check_figures()
    code, out, err = run(capsys, "figures", "--check")
    unrecorded = checks[(checks["status"] != "reproduced") & ~checks["recorded"].astype(bool)]
    assert code == (EXIT_OK if unrecorded.empty else EXIT_FAILURE), out + err
    counts = checks["status"].value_counts().to_dict()
    assert out.splitlines()[0] == (
        f"{counts['reproduced']} of {len(checks)} figures reproduced by a computation over other "
        f"cells of the tables; {counts['stated']} stated, {counts['inconsistent']} inconsistent, "
        "0 not derivable."
    )
    assert "Stated, with no computation over other cells to give them: " in out


def checks_frame(*rows: tuple[str, str, bool, str | None]) -> pd.DataFrame:
    """A frame of checks as ``check_figures`` gives them: figure, status, recorded, kind."""
    return pd.DataFrame(
        {
            "figure_id": pd.array([r[0] for r in rows], dtype="string"),
            "status": pd.array([r[1] for r in rows], dtype="string"),
            "detail": pd.array([f"detail of {r[0]}" for r in rows], dtype="string"),
            "kind": pd.array([r[3] for r in rows], dtype="string"),
            "recorded": [r[2] for r in rows],
        }
    )


def test_figures_check_fails_on_an_unrecorded_failure(capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_frame(
        ("PST-02a", "reproduced", False, None),
        ("PST-02b", "inconsistent", False, "sum"),
        ("TRN-05a", "not_derivable", True, None),
        ("TRN-05b", "reproduced", False, "sum"),
    )
    code = report_checks(checks)
    out, err = capsys.readouterr()
    assert code == EXIT_FAILURE
    assert out == (
        "2 of 4 figures reproduced by a computation over other cells of the tables; 0 stated, "
        "1 inconsistent, 1 not derivable.\n"
        "  - PST-02b: inconsistent (sum), NOT RECORDED: detail of PST-02b\n"
        "  - TRN-05a: not_derivable, recorded: detail of TRN-05a\n"
    )
    assert err == (
        "unodc-metrics: error: 1 figure fails to reproduce and is not a recorded "
        "inconsistency of the report: PST-02b\n"
    )


def test_figures_check_names_every_unrecorded_failure(capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_frame(
        ("PST-02a", "inconsistent", False, None),
        ("PST-02b", "not_derivable", False, None),
    )
    code = report_checks(checks)
    out, err = capsys.readouterr()
    assert code == EXIT_FAILURE
    assert out.splitlines()[0] == (
        "0 of 2 figures reproduced by a computation over other cells of the tables; 0 stated, "
        "1 inconsistent, 1 not derivable."
    )
    assert err == (
        "unodc-metrics: error: 2 figures fail to reproduce and are not recorded "
        "inconsistencies of the report: PST-02a, PST-02b\n"
    )


def test_figures_check_passes_when_every_failure_is_recorded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks = checks_frame(
        ("PST-02a", "reproduced", False, None),
        ("TRN-05a", "inconsistent", True, "sum"),
    )
    assert report_checks(checks) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == (
        "1 of 2 figures reproduced by a computation over other cells of the tables; 0 stated, "
        "1 inconsistent, 0 not derivable.\n"
        "  - TRN-05a: inconsistent (sum), recorded: detail of TRN-05a\n"
        "These are recorded: inconsistencies of the report that the data flags, or "
        "figures declared not derivable.\n"
    )
    assert err == ""
    assert report_checks(checks.head(1)) == EXIT_OK
    assert capsys.readouterr() == (
        "1 of 1 figures reproduced by a computation over other cells of the tables; 0 stated, "
        "0 inconsistent, 0 not derivable.\n",
        "",
    )


def test_figures_check_names_the_stated_figures_and_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks = checks_frame(
        ("PST-02a", "reproduced", True, None),
        ("ARR-05a", "stated", True, None),
        ("INV-05a", "stated", True, None),
    )
    assert report_checks(checks) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == (
        "1 of 3 figures reproduced by a computation over other cells of the tables; 2 stated, "
        "0 inconsistent, 0 not derivable.\n"
        "Stated, with no computation over other cells to give them: ARR-05a, INV-05a\n"
    )
    assert err == ""


# --------------------------------------------------------------------------------------------
# cite
# --------------------------------------------------------------------------------------------


def test_cite_gives_the_report_and_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cite")
    assert code == EXIT_OK
    flat = " ".join(out.split())
    assert um.REPORT.text() in flat
    assert f"version {um.__version__}" in flat
    assert "CC BY 4.0" in flat
    assert "XVIII-12-a" in flat  # the parties table's own source


def test_cite_as_bibtex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cite", "--format", "bibtex")
    assert code == EXIT_OK
    assert out.startswith("@techreport{unodc2022tip,")
    assert "@misc{unodcmetrics," in out
    assert out.count("{") == out.count("}")


# --------------------------------------------------------------------------------------------
# As a process: user errors never print a traceback
# --------------------------------------------------------------------------------------------


def run_process(
    *args: str, cwd: Path, module: str = "unodc_metrics.cli"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_user_errors_as_a_process_print_no_traceback(tmp_path: Path) -> None:
    malformed = tmp_path / "malformed.csv"
    malformed.write_text('id,paragraph\n"ARR-01a,1\n', encoding="utf-8")
    corrupted = corrupted_trainings(tmp_path)
    cases = [
        (["validate", "missing.csv", "--table", "arrests"], EXIT_IO),
        (["validate", str(malformed), "--table", "arrestz"], EXIT_USAGE),
        (["show", "no_such_table"], EXIT_USAGE),
        (["validate", str(malformed), "--table", "arrests"], EXIT_FAILURE),
        (["validate", str(corrupted), "--table", "trainings"], EXIT_FAILURE),
        (["export", "--format", "csv", "--out", str(corrupted)], EXIT_IO),
    ]
    for args, expected in cases:
        done = run_process(*args, cwd=tmp_path)
        assert done.returncode == expected, (args, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout, args
        assert "unodc-metrics" in done.stderr.splitlines()[-1], args


def test_the_pipeline_as_a_process(tmp_path: Path) -> None:
    done = run_process("export", "--format", "parquet", "--out", "data/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run_process("validate", "data/trainings.parquet", "--table", "trainings", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("module", ["unodc_metrics", "unodc_metrics.cli"])
def test_both_modules_run_the_command(tmp_path: Path, module: str) -> None:
    done = run_process("--version", cwd=tmp_path, module=module)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"unodc-metrics {um.__version__} (source edition {um.SOURCE_EDITION})\n"
