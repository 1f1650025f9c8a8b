"""Tests of the derived ``datasets/parties.csv`` and of the counts of parties."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from unodc_metrics import (
    REFERENCE_COMPLETE_UNTIL,
    REFERENCE_LIMITS,
    PartyCount,
    count_parties,
    count_signatories,
    joined_between,
)
from unodc_metrics.schemas import Parties

REPO = Path(__file__).resolve().parents[1]
PARTIES_CSV = Path(__file__).parents[1] / "datasets" / "parties.csv"
BUILD_SCRIPT = REPO / "datasets" / "build" / "build_parties.py"
REFERENCE_DIR = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "tip_protocol_participants"
)
DATE_COLUMNS = [
    "signature_date",
    "action_date",
    "action_date_earliest",
    "action_date_latest",
    "source_as_of",
]
# The build script writes the columns that the package's schema declares, in its order.
COLUMNS = list(Parties.to_schema().columns)
# The 8 post-2018 rows of the reference's row_flags.csv.
EXPECTED_FLAGS = {
    "Andorra": "derived_date",
    "Bangladesh": "derived_date",
    "Bhutan": "ok",
    "Brunei Darussalam": "derived_date",
    "Comoros": "derived_date",
    "Nepal": "press_date",
    "Pakistan": "date_unknown",
    "Palau": "date_unknown",
}

TENTH_COP = "2020-10-16"
REPORT_DATE = "2022-07-22"

needs_reference = pytest.mark.skipif(
    not REFERENCE_DIR.is_dir(),
    reason=f"reference directory {REFERENCE_DIR} is absent; cannot rebuild parties.csv",
)


@pytest.fixture(scope="module")
def parties() -> pd.DataFrame:
    return pd.read_csv(PARTIES_CSV, parse_dates=DATE_COLUMNS, date_format="%Y-%m-%d")


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
    )


# --- the table ----------------------------------------------------------------------------


def test_columns_and_row_count(parties: pd.DataFrame) -> None:
    assert list(parties.columns) == COLUMNS
    assert len(parties) == 183
    assert parties["participant"].is_unique
    assert parties["iso3"].is_unique
    assert parties["participant"].tolist() == sorted(parties["participant"])


def test_file_is_utf8_with_newline_line_ends() -> None:
    raw = PARTIES_CSV.read_bytes()
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    raw.decode("utf-8")


def test_dtypes(parties: pd.DataFrame) -> None:
    for column in DATE_COLUMNS:
        assert pd.api.types.is_datetime64_any_dtype(parties[column]), column
    assert pd.api.types.is_bool_dtype(parties["iso3_is_iso3166"])
    assert pd.api.types.is_bool_dtype(parties["is_party"])


def test_parties_and_signatories(parties: pd.DataFrame) -> None:
    assert int(parties["is_party"].sum()) == 181
    assert count_signatories(parties) == 117
    non_parties = parties.loc[~parties["is_party"], "participant"].tolist()
    assert non_parties == ["Congo", "Uganda"]
    assert parties.loc[~parties["is_party"], "action_date_earliest"].isna().all()
    assert parties.loc[~parties["is_party"], "action_date_latest"].isna().all()


def test_kind_and_iso3(parties: pd.DataFrame) -> None:
    not_iso = parties.loc[~parties["iso3_is_iso3166"], "iso3"].tolist()
    assert not_iso == ["EUU"]
    organizations = parties.loc[parties["kind"] == "organization", "participant"].tolist()
    assert organizations == ["European Union"]
    assert set(parties["kind"]) == {"state", "organization"}


def test_iso3_codes_are_iso3166_where_flagged(parties: pd.DataFrame) -> None:
    pycountry = pytest.importorskip("pycountry")
    known = {country.alpha_3 for country in pycountry.countries}
    flagged = parties.loc[parties["iso3_is_iso3166"], "iso3"]
    assert sorted(set(flagged) - known) == []
    assert "EUU" not in known


def test_action_types(parties: pd.DataFrame) -> None:
    party_types = set(parties.loc[parties["is_party"], "action_type"])
    assert party_types <= {"ratification", "accession", "acceptance", "approval", "succession"}
    assert parties.loc[~parties["is_party"], "action_type"].isna().all()


def test_bounds_equal_known_action_dates(parties: pd.DataFrame) -> None:
    known = parties["action_date"].notna()
    assert int(known.sum()) == 179
    pd.testing.assert_series_equal(
        parties.loc[known, "action_date_earliest"],
        parties.loc[known, "action_date"],
        check_names=False,
    )
    pd.testing.assert_series_equal(
        parties.loc[known, "action_date_latest"],
        parties.loc[known, "action_date"],
        check_names=False,
    )


@pytest.mark.parametrize(
    ("participant", "earliest", "latest"),
    [("Palau", "2019-04-01", "2020-03-31"), ("Pakistan", "2022-11-01", "2022-11-30")],
)
def test_unknown_date_windows(
    parties: pd.DataFrame, participant: str, earliest: str, latest: str
) -> None:
    row = parties.loc[parties["participant"] == participant].iloc[0]
    assert pd.isna(row["action_date"])
    assert row["is_party"]
    assert row["flag"] == "date_unknown"
    assert row["action_date_earliest"] == pd.Timestamp(earliest)
    assert row["action_date_latest"] == pd.Timestamp(latest)


def test_flags_carried(parties: pd.DataFrame) -> None:
    flagged = parties.loc[parties["flag"].notna()]
    assert dict(zip(flagged["participant"], flagged["flag"], strict=True)) == EXPECTED_FLAGS
    assert flagged["flag_detail"].notna().all()
    assert parties.loc[parties["flag"].isna(), "flag_detail"].isna().all()


@needs_reference
def test_every_reference_flag_row_is_carried(parties: pd.DataFrame) -> None:
    flags = pd.read_csv(REFERENCE_DIR / "row_flags.csv", dtype=str, keep_default_na=False)
    assert len(flags) == 8
    merged = flags.merge(parties, on="participant", how="left", validate="one_to_one")
    assert merged["flag_x"].tolist() == merged["flag_y"].tolist()
    assert merged["detail"].tolist() == merged["flag_detail"].tolist()


# --- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2005-03-08", 80),
        ("2008-09-26", 124),  # the Bahamas deposited that day and is counted
        ("2014-05-21", 159),
        ("2018-01-15", 173),
        (TENTH_COP, 178),
        (REPORT_DATE, 178),
    ],
)
def test_exact_historical_counts(parties: pd.DataFrame, as_of: str, expected: int) -> None:
    count = count_parties(parties, as_of)
    assert count.low == count.high == expected
    assert count.uncertain == ()
    assert count.complete
    assert count.exact


def test_paragraph_2_no_additional_states(parties: pd.DataFrame) -> None:
    """Paragraph 2: 178 parties, none added since the tenth session (October 2020)."""
    assert count_parties(parties, TENTH_COP).exact
    assert count_parties(parties, REPORT_DATE).exact
    assert count_parties(parties, REPORT_DATE).low == 178
    assert joined_between(parties, TENTH_COP, REPORT_DATE).empty
    # The same holds whichever day of October 2020 the session is dated by.
    assert joined_between(parties, "2020-09-30", REPORT_DATE).empty


def test_180_at_end_of_november_2022(parties: pd.DataFrame) -> None:
    # Certain only because Pakistan's window (November 2022) ends on 2022-11-30 itself.
    count = count_parties(parties, "2022-11-30")
    assert (count.low, count.high) == (180, 180)
    assert count.exact
    mid = count_parties(parties, "2022-11-29")
    assert (mid.low, mid.high, mid.uncertain) == (179, 180, ("Pakistan",))
    assert not mid.exact


def test_palau_window_makes_counts_uncertain(parties: pd.DataFrame) -> None:
    before = count_parties(parties, "2019-03-31")
    assert (before.low, before.high) == (173, 173)
    during = count_parties(parties, datetime.date(2019, 4, 1))
    assert (during.low, during.high, during.uncertain) == (173, 174, ("Palau",))
    after = count_parties(parties, "2020-03-31")
    assert after.uncertain == ()
    assert "Palau" not in after.uncertain


def test_incomplete_after_reference_cutoff(parties: pd.DataFrame) -> None:
    last = count_parties(parties, REFERENCE_COMPLETE_UNTIL)
    assert last.complete
    assert last.low == 181
    later = count_parties(parties, "2024-04-20")
    assert not later.complete
    assert not later.exact
    assert later.low == later.high == 181  # UNTC counted 182 on that date


def test_joined_between(parties: pd.DataFrame) -> None:
    joined = joined_between(parties, "2018-01-15", REFERENCE_COMPLETE_UNTIL)
    assert joined["participant"].tolist() == sorted(EXPECTED_FLAGS)
    assert list(joined.columns) == COLUMNS
    # (start, end]: a deposit on start is excluded, one on end is included.
    assert joined_between(parties, "2008-09-26", "2008-09-30")["participant"].tolist() == []
    assert "Bahamas" in joined_between(parties, "2008-09-25", "2008-09-26")["participant"].tolist()
    # Windows that overlap the period count, even partly.
    assert joined_between(parties, "2022-11-15", "2022-12-31")["participant"].tolist() == [
        "Pakistan"
    ]


def test_joined_between_rejects_reversed_period(parties: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="after end"):
        joined_between(parties, REPORT_DATE, TENTH_COP)


def test_count_parties_input_validation(parties: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="ISO date"):
        count_parties(parties, "16 October 2020")
    with pytest.raises(TypeError):
        count_parties(parties, 2020)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="missing columns"):
        count_parties(parties.drop(columns="action_date_latest"), TENTH_COP)


def test_functions_accept_unparsed_strings() -> None:
    raw = pd.read_csv(PARTIES_CSV, dtype=str, keep_default_na=False)
    assert count_parties(raw, TENTH_COP).low == 178
    assert count_signatories(raw) == 117
    assert joined_between(raw, TENTH_COP, REPORT_DATE).empty


def test_party_count_exact_property() -> None:
    day = datetime.date(2020, 1, 1)
    assert PartyCount(day, 5, 5, (), True).exact
    assert not PartyCount(day, 5, 6, ("X",), True).exact
    assert not PartyCount(day, 5, 5, (), False).exact


def test_reference_limits() -> None:
    assert REFERENCE_COMPLETE_UNTIL.isoformat() == "2023-02-20"
    text = " ".join(REFERENCE_LIMITS)
    for needle in ("2023-02-20", "182", "181", "EUU", "ISO 3166-1", "2018", "8 rows", "unknown"):
        assert needle in text, needle


# --- rebuilding from the reference --------------------------------------------------------


@needs_reference
def test_rebuild_reproduces_committed_csv(tmp_path: Path) -> None:
    out = tmp_path / "parties.csv"
    result = _run_build(str(REFERENCE_DIR), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == PARTIES_CSV.read_bytes()


def _mutable_reference(tmp_path: Path) -> Path:
    copy = tmp_path / "reference"
    copy.mkdir()
    for name in ("parties.csv", "row_flags.csv"):
        shutil.copyfile(REFERENCE_DIR / name, copy / name)
        (copy / name).chmod(0o644)
    return copy


@needs_reference
def test_build_fails_on_missing_column(tmp_path: Path) -> None:
    reference = _mutable_reference(tmp_path)
    frame = pd.read_csv(reference / "parties.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="action_type").to_csv(reference / "parties.csv", index=False)
    result = _run_build(str(reference), "--out", str(tmp_path / "out.csv"))
    assert result.returncode != 0
    assert "action_type" in result.stderr
    assert "changed shape" in result.stderr
    assert not (tmp_path / "out.csv").exists()


@needs_reference
def test_build_fails_on_row_count(tmp_path: Path) -> None:
    reference = _mutable_reference(tmp_path)
    frame = pd.read_csv(reference / "parties.csv", dtype=str, keep_default_na=False)
    frame.iloc[:-1].to_csv(reference / "parties.csv", index=False)
    result = _run_build(str(reference), "--out", str(tmp_path / "out.csv"))
    assert result.returncode != 0
    assert "182 rows, expected 183" in result.stderr
    assert not (tmp_path / "out.csv").exists()


@needs_reference
def test_build_fails_on_flag_for_unknown_participant(tmp_path: Path) -> None:
    reference = _mutable_reference(tmp_path)
    with (reference / "row_flags.csv").open("a", encoding="utf-8") as handle:
        handle.write('Atlantis,ok,"not a participant"\n')
    result = _run_build(str(reference), "--out", str(tmp_path / "out.csv"))
    assert result.returncode != 0
    assert "Atlantis" in result.stderr
    assert not (tmp_path / "out.csv").exists()
