"""Build ``datasets/parties.csv`` from the read-only TIP Protocol participants reference.

Usage::

    python datasets/build/build_parties.py [REFERENCE_DIR] [--out PATH]

``REFERENCE_DIR`` defaults to ``shared/reference/tip_protocol_participants`` next to the
repository (``<repo>/../shared/reference/tip_protocol_participants``). It must hold
``parties.csv`` (183 participants of UN Treaty Collection chapter XVIII-12-a) and
``row_flags.csv`` (caveats on the rows added after January 2018). ``--out`` defaults to
``datasets/parties.csv`` in this repository; this script is the only thing that writes it.

The output is UTF-8 with "\\n" line ends, ISO dates, sorted by participant, and has the
columns of ``OUTPUT_COLUMNS``:

* ``participant``, ``iso3``, ``signature_date``, ``action_type``, ``action_date``,
  ``source_url``, ``source_as_of``: copied from the reference unchanged (``action_date``
  is empty where the reference has none: Palau, Pakistan);
* ``iso3_is_iso3166``: ``false`` only for codes that are not ISO 3166-1 alpha-3
  (``EUU``, the World Bank code used for the European Union);
* ``kind``: ``organization`` for the European Union, ``state`` otherwise;
* ``action_date_earliest``, ``action_date_latest``: bounds on the date of deposit of the
  instrument. Equal to ``action_date`` where it is known; a reporting window for the two
  ``date_unknown`` rows (``UNKNOWN_DATE_WINDOWS``); empty for signatories that are not
  parties;
* ``is_party``: ``true`` where an instrument (ratification, accession, ...) is recorded;
* ``flag``, ``flag_detail``: from ``row_flags.csv`` (``flag`` / ``detail``), else empty.

The script stops with a non-zero exit status and a message on stderr, writing nothing,
if the reference no longer has the shape it was written for.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference" / "tip_protocol_participants"
DEFAULT_OUT = REPO_ROOT / "datasets" / "parties.csv"

EXPECTED_ROWS = 183
PARTIES_COLUMNS = (
    "participant",
    "iso3",
    "signature_date",
    "action_date",
    "action_type",
    "source_url",
    "source_as_of",
)
FLAGS_COLUMNS = ("participant", "flag", "detail")
OUTPUT_COLUMNS = (
    "participant",
    "iso3",
    "iso3_is_iso3166",
    "kind",
    "signature_date",
    "action_type",
    "action_date",
    "action_date_earliest",
    "action_date_latest",
    "is_party",
    "flag",
    "flag_detail",
    "source_url",
    "source_as_of",
)
ACTION_TYPES = frozenset({"ratification", "accession", "acceptance", "approval", "succession"})
FLAGS = frozenset({"derived_date", "date_unknown", "press_date", "ok"})

# Codes in the reference's iso3 column that are not ISO 3166-1 alpha-3 codes.
NON_ISO3166_CODES = frozenset({"EUU"})  # World Bank code for the European Union
# Participants that are international organizations rather than States, with their code.
ORGANIZATIONS = {"European Union": "EUU"}

# Bounds (inclusive) on the date of deposit for parties whose date is unknown
# (flag ``date_unknown`` in row_flags.csv).
UNKNOWN_DATE_WINDOWS: dict[str, tuple[datetime.date, datetime.date]] = {
    # US 2020 TIP report, reporting period 1 Apr 2019 to 31 Mar 2020, credits Palau with
    # "acceding to the 2000 UN TIP Protocol".
    "Palau": (datetime.date(2019, 4, 1), datetime.date(2020, 3, 31)),
    # "ratified the 2000 UN TIP Protocol in November 2022" (Wikipedia mirror).
    "Pakistan": (datetime.date(2022, 11, 1), datetime.date(2022, 11, 30)),
}

_ISO3_RE = re.compile(r"[A-Z]{3}")


class ReferenceShapeError(Exception):
    """The reference is not in the shape this script was written for."""


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise ReferenceShapeError(f"{path}: file not found")
    frame = pd.read_csv(
        path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
    )
    found = tuple(str(c) for c in frame.columns)
    missing = [c for c in columns if c not in found]
    extra = [c for c in found if c not in columns]
    if missing or extra:
        raise ReferenceShapeError(
            f"{path}: columns changed (missing: {missing or 'none'}, "
            f"unexpected: {extra or 'none'}); expected {list(columns)}"
        )
    for column in columns:
        values = frame[column]
        stripped = values.str.strip()
        if bool((values != stripped).any()):
            bad = frame.loc[values != stripped, column].tolist()
            raise ReferenceShapeError(f"{path}: stray whitespace in column {column!r}: {bad}")
    return frame.loc[:, list(columns)]


def _check_date(path: Path, participant: str, column: str, value: str) -> None:
    if value == "":
        return
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.isoformat() != value:
        raise ReferenceShapeError(
            f"{path}: {participant}: {column} {value!r} is not an ISO date (YYYY-MM-DD)"
        )


def _check_parties(path: Path, parties: pd.DataFrame) -> None:
    if len(parties) != EXPECTED_ROWS:
        raise ReferenceShapeError(
            f"{path}: {len(parties)} rows, expected {EXPECTED_ROWS}; the reference has changed"
        )
    names = parties["participant"]
    if bool((names == "").any()):
        raise ReferenceShapeError(f"{path}: a row has an empty participant")
    duplicated = sorted(set(names[names.duplicated()].tolist()))
    if duplicated:
        raise ReferenceShapeError(f"{path}: duplicated participants: {duplicated}")
    codes = parties["iso3"]
    duplicated = sorted(set(codes[codes.duplicated()].tolist()))
    if duplicated:
        raise ReferenceShapeError(f"{path}: duplicated iso3 codes: {duplicated}")
    for row in parties.itertuples(index=False):
        participant = str(row.participant)
        if not _ISO3_RE.fullmatch(str(row.iso3)):
            raise ReferenceShapeError(f"{path}: {participant}: iso3 {row.iso3!r} is not 3 letters")
        for column in ("signature_date", "action_date", "source_as_of"):
            _check_date(path, participant, column, str(getattr(row, column)))
        action_type = str(row.action_type)
        if action_type != "" and action_type not in ACTION_TYPES:
            raise ReferenceShapeError(
                f"{path}: {participant}: unknown action_type {action_type!r}; "
                f"expected one of {sorted(ACTION_TYPES)} or empty"
            )
        if str(row.action_date) != "" and action_type == "":
            raise ReferenceShapeError(f"{path}: {participant}: action_date without action_type")
        if action_type == "" and str(row.signature_date) == "":
            raise ReferenceShapeError(f"{path}: {participant}: neither signature nor action")
        if str(row.source_url) == "":
            raise ReferenceShapeError(f"{path}: {participant}: empty source_url")
    for organization, code in ORGANIZATIONS.items():
        match = parties.loc[names == organization, "iso3"].tolist()
        if match != [code]:
            raise ReferenceShapeError(
                f"{path}: expected organization {organization!r} with iso3 {code!r}, found {match}"
            )


def _check_flags(path: Path, flags: pd.DataFrame, parties: pd.DataFrame) -> None:
    names = flags["participant"]
    duplicated = sorted(set(names[names.duplicated()].tolist()))
    if duplicated:
        raise ReferenceShapeError(f"{path}: more than one flag row for {duplicated}")
    unknown = sorted(set(names) - set(parties["participant"]))
    if unknown:
        raise ReferenceShapeError(
            f"{path}: flag rows for participants not in parties.csv: {unknown}"
        )
    bad_flags = sorted(set(flags["flag"]) - FLAGS)
    if bad_flags:
        raise ReferenceShapeError(
            f"{path}: unknown flag values {bad_flags}; expected one of {sorted(FLAGS)}"
        )


def build(reference_dir: Path) -> pd.DataFrame:
    """Return the derived parties table built from ``reference_dir``.

    Raises:
        ReferenceShapeError: if the reference is not in the expected shape.
    """
    parties_path = reference_dir / "parties.csv"
    flags_path = reference_dir / "row_flags.csv"
    parties = _read_csv(parties_path, PARTIES_COLUMNS)
    flags = _read_csv(flags_path, FLAGS_COLUMNS)
    _check_parties(parties_path, parties)
    _check_flags(flags_path, flags, parties)

    flag_of = dict(zip(flags["participant"], flags["flag"], strict=True))
    detail_of = dict(zip(flags["participant"], flags["detail"], strict=True))

    records: list[dict[str, str]] = []
    for row in parties.itertuples(index=False):
        participant = str(row.participant)
        iso3 = str(row.iso3)
        action_type = str(row.action_type)
        action_date = str(row.action_date)
        flag = flag_of.get(participant, "")
        is_party = action_type != ""

        if participant in UNKNOWN_DATE_WINDOWS:
            if action_date != "" or flag != "date_unknown" or not is_party:
                raise ReferenceShapeError(
                    f"{parties_path}: {participant}: expected a party with no action_date and "
                    f"flag 'date_unknown' (found action_type={action_type!r}, "
                    f"action_date={action_date!r}, flag={flag!r}); revise UNKNOWN_DATE_WINDOWS"
                )
            earliest_date, latest_date = UNKNOWN_DATE_WINDOWS[participant]
            if earliest_date > latest_date:
                raise ReferenceShapeError(f"{participant}: window ends before it starts")
            earliest, latest = earliest_date.isoformat(), latest_date.isoformat()
        elif is_party and action_date == "":
            raise ReferenceShapeError(
                f"{parties_path}: {participant}: party with no action_date and no window in "
                "UNKNOWN_DATE_WINDOWS"
            )
        elif flag == "date_unknown":
            raise ReferenceShapeError(
                f"{flags_path}: {participant}: flag 'date_unknown' but no window in "
                "UNKNOWN_DATE_WINDOWS"
            )
        else:
            earliest = latest = action_date

        records.append(
            {
                "participant": participant,
                "iso3": iso3,
                "iso3_is_iso3166": "false" if iso3 in NON_ISO3166_CODES else "true",
                "kind": "organization" if participant in ORGANIZATIONS else "state",
                "signature_date": str(row.signature_date),
                "action_type": action_type,
                "action_date": action_date,
                "action_date_earliest": earliest,
                "action_date_latest": latest,
                "is_party": "true" if is_party else "false",
                "flag": flag,
                "flag_detail": detail_of.get(participant, ""),
                "source_url": str(row.source_url),
                "source_as_of": str(row.source_as_of),
            }
        )

    records.sort(key=lambda record: record["participant"])
    return pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS))


def write(table: pd.DataFrame, out: Path) -> None:
    """Write ``table`` to ``out`` as UTF-8 CSV with "\\n" line ends, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = table.to_csv(index=False, lineterminator="\n")
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "reference_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_REFERENCE_DIR,
        metavar="REFERENCE_DIR",
        help=f"reference directory (default: {DEFAULT_REFERENCE_DIR})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output CSV file, or an existing directory to write parties.csv into "
        f"(default: {DEFAULT_OUT})",
    )
    args = parser.parse_args(argv)
    reference_dir: Path = args.reference_dir
    out: Path = args.out
    if out.is_dir():
        out = out / "parties.csv"
    if not reference_dir.is_dir():
        print(
            f"build_parties.py: error: reference directory not found: {reference_dir}",
            file=sys.stderr,
        )
        return 2
    try:
        table = build(reference_dir)
    except ReferenceShapeError as error:
        print(f"build_parties.py: error: the reference has changed shape: {error}", file=sys.stderr)
        return 1
    write(table, out)
    print(f"wrote {len(table)} rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
