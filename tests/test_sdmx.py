"""SDMX export: every observation written as SDMX-ML and SDMX-CSV reads back with sdmx1."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import unodc_metrics as um
from unodc_metrics import export
from unodc_metrics.cli import main

sdmx = pytest.importorskip("sdmx", reason="sdmx1 is not installed (extra: sdmx)")

# The codes the export promises (docs/sdmx.md), written out here rather than imported.
SEX = {"female": "F", "male": "M", "other": "_O", "unknown": "_U", "all": "_T", "total": "_T"}
AGE = {"child": "Y0T17", "adult": "Y_GE18", "unknown": "_U", "all": "_T", "total": "_T"}
EXPLOITATION = {"sexual": "SEXUAL", "labour": "LABOUR", "other": "_O", "all": "_T"}
SPLIT = {"female": "F", "male": "M", "other_sex": "_O", "unknown_sex": "_U"}
PROVENANCE = [
    "paragraph",
    "phrase",
    "description",
    "note",
    "inferred",
    "inferred_reason",
    "flags",
    "may_overlap",
    "part_of",
]
WRITERS = {"xml": (export.to_sdmx, ".sdmx.xml"), "csv": (export.to_sdmx_csv, ".sdmx.csv")}

Observation = dict[str, str]


# --- Reading back ---------------------------------------------------------------------------


def read_back(data: Path, dsd: Path) -> tuple[list[Observation], Any]:
    """The observations of a data file, read with sdmx1 and its structure; and the DSD.

    Each observation maps every dimension, ``OBS_VALUE`` and every attribute to its text;
    a missing value has no entry.
    """
    # sdmx1 leaves a file it opens from a path open: give it open files.
    with dsd.open("rb") as fh:
        structure = sdmx.read_sdmx(fh)
    (flow,) = structure.dataflow.values()
    (dsd_object,) = structure.structure.values()
    csv = data.suffix == ".csv"
    with data.open("rb") as fh:
        message = sdmx.read_sdmx(
            fh, format="CSV" if csv else "XML", structure=flow if csv else dsd_object
        )
    (data_set,) = message.data
    out = []
    for obs in data_set.obs:
        row = {k: str(v.value) for k, v in obs.key.values.items()}
        row |= {k: str(v.value) for k, v in obs.attrib.items() if v.value not in (None, "")}
        if obs.value not in (None, ""):
            row["OBS_VALUE"] = str(obs.value)
        out.append(row)
    return out, dsd_object


def code_name(dsd: Any, component: str, code: str) -> str:
    """The name of a code in the code list of a dimension of the DSD."""
    codelist = dsd.dimensions.get(component).local_representation.enumerated
    return str(codelist[code].name)


def period_of(time_period: str) -> tuple[dt.date, dt.date]:
    """The first and last days of an SDMX time period (a year, month, day or range)."""

    def month_end(year: int, month: int) -> dt.date:
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return after - dt.timedelta(days=1)

    if "/" in time_period:
        first, duration = time_period.split("/")
        start, n = dt.date.fromisoformat(first), int(duration[1:-1])
        if duration.endswith("D"):
            return start, start + dt.timedelta(days=n - 1)
        months = start.month - 1 + n
        return start, month_end(start.year + (months - 1) // 12, (months - 1) % 12 + 1)
    if len(time_period) == 4:
        return dt.date(int(time_period), 1, 1), dt.date(int(time_period), 12, 31)
    if len(time_period) == 7:
        year, month = map(int, time_period.split("-"))
        return dt.date(year, month, 1), month_end(year, month)
    day = dt.date.fromisoformat(time_period)
    return day, day


def text(value: Any) -> str | None:
    """A cell as the text SDMX carries; None when missing."""
    return None if pd.isna(value) else str(value)


def day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


# --- What each figure row must become -------------------------------------------------------


def figure_expected(row: Mapping[Any, Any], table: str) -> dict[str, Observation]:
    """The observations of one figure row, by SEX, without REF_AREA, TIME_PERIOD,
    UNIT_MEASURE and COMMENT_OBS (checked apart)."""
    total: dict[str, str | None] = {
        "MEASURE": str(row["measure"]),
        "SEX": SEX[row.get("sex", "all")],
        "AGE": AGE[row.get("age", "all")],
        "RECORD_ID": str(row["id"]),
        "OBS_VALUE": str(row["value"]),
        "OBS_STATUS": "E" if row.get("qualifier") == "approximately" else "A",
        "QUALIFIER": text(row.get("qualifier")),
        "LOWER_BOUND": text(row.get("value_low")),
        "UPPER_BOUND": text(row.get("value_high")),
        "PERIOD_KIND": text(row.get("period_kind")),
        "INITIATIVE": text(row.get("initiative")),
        "REPORT_PARAGRAPH": text(row.get("paragraph")),
    }
    if table == "rescues":
        total |= {
            "VICTIM_STATUS": row["status"],
            "EXPLOITATION": EXPLOITATION[row["exploitation"]],
        }
    out = {SEX[row.get("sex", "all")]: total}
    for column, sex in SPLIT.items() if table == "trainings" else ():
        count = row.get(column)
        if count is None or pd.isna(count):
            continue
        derived = column == "female" and bool(row.get("sex_split_derived", False))
        low = row.get("female_low", count) if column == "female" else count
        high = row.get("female_high", count) if column == "female" else count
        out[sex] = total | {
            "SEX": sex,
            "OBS_VALUE": str(count),
            "OBS_STATUS": "E" if derived else "A",
            "QUALIFIER": "exact",
            "LOWER_BOUND": text(low),
            "UPPER_BOUND": text(high),
        }
    return {k: {c: v for c, v in obs.items() if v is not None} for k, obs in out.items()}


def assert_figures_round_trip(
    frame: pd.DataFrame, table: str, written: list[Observation], dsd: Any
) -> None:
    """Every row of the frame is in the observations read back, value and attributes."""
    units = dict(zip(um.load("measures")["measure"], um.load("measures")["unit"], strict=True))
    by_key = {(o["RECORD_ID"], o["SEX"]): o for o in written}
    expected_count = 0
    for row in frame.to_dict("records"):
        for sex, want in figure_expected(row, table).items():
            expected_count += 1
            got = dict(by_key[(str(row["id"]), sex)])
            area, period = got.pop("REF_AREA"), got.pop("TIME_PERIOD")
            unit, comment = got.pop("UNIT_MEASURE", None), got.pop("COMMENT_OBS", None)
            assert got == want, row["id"]
            country, place = row.get("country"), row.get("area")
            if isinstance(country, str):
                assert area == country
            else:
                name = place if isinstance(place, str) else "Not applicable"
                assert code_name(dsd, "REF_AREA", area) == name
            start, end = day(row["period_start"]), day(row["period_end"])
            if start is not None and end is not None:
                assert period_of(period) == (start, end), row["id"]
            else:
                known = end or start or um.REPORT.date
                assert period_of(period) == (known, known), row["id"]
            assert unit == units.get(row["measure"]), row["id"]
            if want["OBS_STATUS"] == "E" and sex == "F":
                assert comment is not None
                assert f"{row['female_percent']:g} per cent" in comment
            else:
                assert comment is None
    assert len(written) == expected_count


# --- The figure tables ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("table", um.FIGURE_TABLES)
def test_each_figure_table_round_trips(tmp_path: Path, table: str, kind: str) -> None:
    writer, suffix = WRITERS[kind]
    data, dsd_path = writer(table, tmp_path / f"{table}{suffix}")
    assert dsd_path == tmp_path / f"{table}.dsd.xml"
    written, dsd = read_back(data, dsd_path)
    assert_figures_round_trip(um.load(table), table, written, dsd)


def test_the_structure_names_its_dimensions_and_codes() -> None:
    message = export.sdmx_structure("rescues")
    dsd = message.structure["DSD_RESCUES"]
    assert [d.id for d in dsd.dimensions.components] == [
        "MEASURE",
        "VICTIM_STATUS",
        "EXPLOITATION",
        "REF_AREA",
        "SEX",
        "AGE",
        "RECORD_ID",
        "TIME_PERIOD",
    ]
    assert [m.id for m in dsd.measures.components] == ["OBS_VALUE"]
    assert code_name(dsd, "SEX", "_U") == "Unknown"
    assert code_name(dsd, "AGE", "Y0T17") == "0 to 17 years"
    status = dsd.attributes.get("OBS_STATUS").local_representation.enumerated
    assert sorted(status.items) == ["A", "E", "Q"]
    assert message.dataflow["DF_RESCUES"].structure is dsd


def test_a_qualified_figure_keeps_its_qualifier_and_bounds(tmp_path: Path) -> None:
    frame = um.load("meetings")
    row = frame[frame["qualifier"] == "more_than"].iloc[0]
    data, dsd = export.to_sdmx("meetings", tmp_path / "meetings.sdmx.xml")
    written, _ = read_back(data, dsd)
    (obs,) = [o for o in written if o["RECORD_ID"] == row["id"]]
    assert obs["QUALIFIER"] == "more_than"
    assert obs["LOWER_BOUND"] == str(row["value_low"])
    assert ("UPPER_BOUND" in obs) == (not pd.isna(row["value_high"]))


# --- Users' own records -----------------------------------------------------------------------


def users_trainings() -> pd.DataFrame:
    """A user's trainings, 11 columns, no provenance: one measure and one area of their own."""
    frame = um.load("trainings").drop(columns=PROVENANCE)
    frame = frame[
        [
            "id",
            "measure",
            "value",
            "qualifier",
            "value_low",
            "value_high",
            "country",
            "area",
            "period_start",
            "period_end",
            "female",
        ]
    ].copy()
    frame["id"] = [f"MY-{i}" for i in range(len(frame))]
    frame.loc[0, ["measure", "country", "area"]] = ["persons_coached", None, "Northern Province"]
    frame["period_start"] = frame["period_start"].dt.strftime("%Y-%m-%d")
    return frame


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_users_records_without_provenance_round_trip(tmp_path: Path, kind: str) -> None:
    frame = users_trainings()
    writer, suffix = WRITERS[kind]
    data, dsd_path = writer(frame, tmp_path / f"mine{suffix}", table="trainings")
    written, dsd = read_back(data, dsd_path)
    assert_figures_round_trip(frame, "trainings", written, dsd)
    assert code_name(dsd, "REF_AREA", "NORTHERN_PROVINCE") == "Northern Province"
    assert code_name(dsd, "MEASURE", "persons_coached") == "persons_coached"
    assert not any("REPORT_PARAGRAPH" in o for o in written)


def test_absent_columns_take_the_records_contracts_defaults(tmp_path: Path) -> None:
    # Five of the records contract's required columns and one count: no measure, no
    # qualifier or bounds, no place.
    mine = pd.DataFrame(
        {
            "id": ["A", "B"],
            "value": [30, 8],
            "period_kind": ["calendar_year", "unspecified"],
            "period_start": [dt.date(2023, 1, 1), None],
            "period_end": [dt.date(2023, 12, 31), None],
            "female": [12, None],
        }
    )
    data, dsd_path = export.to_sdmx(mine, tmp_path / "mine.xml", table="trainings")
    written, dsd = read_back(data, dsd_path)
    by_key = {(o["RECORD_ID"], o["SEX"]): o for o in written}
    assert sorted(by_key) == [("A", "F"), ("A", "_T"), ("B", "_T")]
    common = {"MEASURE": "persons_trained", "REF_AREA": "_Z", "AGE": "_T", "QUALIFIER": "exact"}
    common |= {"OBS_STATUS": "A", "UNIT_MEASURE": "persons"}
    assert by_key[("A", "_T")] == common | {
        "RECORD_ID": "A",
        "SEX": "_T",
        "TIME_PERIOD": "2023",
        "PERIOD_KIND": "calendar_year",
        "OBS_VALUE": "30",
        "LOWER_BOUND": "30",
        "UPPER_BOUND": "30",
    }
    assert by_key[("A", "F")]["LOWER_BOUND"] == by_key[("A", "F")]["UPPER_BOUND"] == "12"
    assert by_key[("B", "_T")]["TIME_PERIOD"] == um.REPORT.date.isoformat()
    measures = dsd.dimensions.get("MEASURE").local_representation.enumerated
    assert str(measures["persons_trained"].name).startswith("Persons trained")


def test_a_table_of_several_measures_marks_a_missing_one_unknown(tmp_path: Path) -> None:
    frame = um.load("meetings").drop(columns=[*PROVENANCE, "measure"])
    data, dsd_path = export.to_sdmx(frame, tmp_path / "meetings.xml", table="meetings")
    written, dsd = read_back(data, dsd_path)
    assert {o["MEASURE"] for o in written} == {"_U"}
    assert code_name(dsd, "MEASURE", "_U") == "Measure not stated"


def test_users_records_with_the_full_columns_but_no_provenance(tmp_path: Path) -> None:
    frame = um.load("rescues").drop(columns=PROVENANCE)
    data, dsd_path = export.to_sdmx(frame, tmp_path / "rescues.xml", table="rescues")
    written, dsd = read_back(data, dsd_path)
    assert_figures_round_trip(frame, "rescues", written, dsd)


def test_a_frame_needs_its_table_and_the_required_columns(tmp_path: Path) -> None:
    frame = users_trainings()
    with pytest.raises(ValueError, match="table="):
        export.to_sdmx(frame, tmp_path / "a.xml")
    with pytest.raises(ValueError, match="period_end"):
        export.to_sdmx(frame.drop(columns="period_end"), tmp_path / "b.xml", table="trainings")
    with pytest.raises(ValueError, match="two observations"):
        export.to_sdmx(pd.concat([frame, frame]), tmp_path / "c.xml", table="trainings")
    with pytest.raises(ValueError, match="figure tables"):
        export.sdmx_structure("parties")
    assert not any(tmp_path.iterdir())


def test_without_sdmx1_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sdmx", None)
    with pytest.raises(ImportError, match=r"pip install 'unodc-metrics\[sdmx\]'"):
        export.to_sdmx("arrests", tmp_path / "arrests.sdmx.xml")


def test_importing_the_package_imports_no_sdmx() -> None:
    code = (
        "import sys, unodc_metrics, unodc_metrics.export as e; e.FORMATS; "
        "assert 'sdmx' not in sys.modules and 'pandas' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- The GLOTIP long table --------------------------------------------------------------------


@pytest.fixture(scope="module")
def glotip(glotip_file: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return um.read_glotip(glotip_file, cache_dir=tmp_path_factory.mktemp("glotip-cache"))


@pytest.fixture(scope="module", params=sorted(WRITERS))
def glotip_written(
    request: pytest.FixtureRequest, glotip: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[Observation], Any]]:
    writer, suffix = WRITERS[request.param]
    data, dsd = writer(glotip, tmp_path_factory.mktemp("sdmx") / f"glotip{suffix}")
    yield read_back(data, dsd)


def test_the_glotip_table_round_trips(
    glotip: pd.DataFrame, glotip_written: tuple[list[Observation], Any]
) -> None:
    written, dsd = glotip_written
    assert len(written) == len(glotip)
    by_line = {o["SOURCE_LINE"]: o for o in written}
    names: dict[tuple[str, str], str] = {}
    for row in glotip.to_dict("records"):
        got = dict(by_line[str(row["line"])])
        for component in ("INDICATOR", "BREAKDOWN", "CATEGORY", "REF_AREA"):
            code = got.pop(component)
            names.setdefault((component, code), code_name(dsd, component, code))
            if component != "REF_AREA":
                want = {"INDICATOR": "indicator", "BREAKDOWN": "dimension"}.get(component)
                value = row[want] if want else row["category"]
                assert names[(component, code)] == (text(value) or "Not applicable")
            elif isinstance(row["iso3"], str) and row["iso3"].isalnum():
                assert code == row["iso3"]
            else:
                assert names[(component, code)] == (text(row["country"]) or "Not applicable")
        censored = bool(row["censored"])
        want_obs = {
            "SEX": SEX[row["sex"]],
            "AGE": AGE[row["age"]],
            "SOURCE_LINE": str(row["line"]),
            "TIME_PERIOD": str(row["year"]),
            "OBS_STATUS": "Q" if censored else "A",
            "LOWER_BOUND": str(row["value_low"]),
            "UPPER_BOUND": str(row["value_high"]),
            "UNIT_MEASURE": text(row["unit"]),
            "AREA_KIND": row["area_kind"],
            "OBS_VALUE": None if censored else str(row["value"]),
        }
        assert got == {k: v for k, v in want_obs.items() if v is not None}, row["line"]


def test_a_censored_cell_has_no_value_and_its_bounds(
    glotip_written: tuple[list[Observation], Any],
) -> None:
    written, _ = glotip_written
    censored = [o for o in written if o["OBS_STATUS"] == "Q"]
    assert censored
    assert all("OBS_VALUE" not in o for o in censored)
    assert {(o["LOWER_BOUND"], o["UPPER_BOUND"]) for o in censored} == {("0", "4")}


# --- The command line ---------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("sdmx", ".sdmx.xml"), ("sdmx-csv", ".sdmx.csv")])
def test_the_command_line_exports_files_that_read_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, suffix: str
) -> None:
    code = main(["export", "--format", fmt, "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    written = [Path(p) for p in out.split()]
    assert [p.name for p in written] == [
        name for t in um.FIGURE_TABLES for name in (f"{t}{suffix}", f"{t}.dsd.xml")
    ]
    for table, data, dsd_path in zip(um.FIGURE_TABLES, written[::2], written[1::2], strict=True):
        observations, dsd = read_back(data, dsd_path)
        assert_figures_round_trip(um.load(table), table, observations, dsd)
