"""Counts of the parties to the Trafficking in Persons Protocol (UNTC chapter XVIII-12-a).

The functions here are pure: they take the ``parties`` table as a :class:`pandas.DataFrame`
(the shape written by ``datasets/build/build_parties.py``) and never read files. The date columns
(``signature_date``, ``action_date_earliest``, ``action_date_latest``) may be given either
parsed (``datetime64``) or as ISO ``YYYY-MM-DD`` strings, with empty strings or missing
values where there is no date.

Counting rule. A participant is a party *from the day its instrument (ratification,
accession, acceptance, approval or succession) is deposited, that day included*. This is how
the UN Treaty Collection's "Parties" count works (it counts deposits, not entries into force)
and it is what reproduces UNODC's "STATUS AS AT 26/09/2008: Parties 124": the Bahamas
deposited on 2008-09-26 and is among the 124. So for a date ``as_of``:

* a participant counts *surely* when ``action_date_latest <= as_of``;
* it counts *possibly* when ``action_date_earliest <= as_of < action_date_latest`` (its
  deposit date is unknown and the window straddles ``as_of``);
* otherwise it does not count.

The table is complete only up to :data:`REFERENCE_COMPLETE_UNTIL`; see
:data:`REFERENCE_LIMITS` for everything a figure built from it must carry (both are in the
catalogue: :mod:`unodc_metrics._catalogue`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unodc_metrics._catalogue import REFERENCE_COMPLETE_UNTIL

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PartyCount",
    "count_parties",
    "count_signatories",
    "joined_between",
]


@dataclass(frozen=True)
class PartyCount:
    """Number of parties to the Protocol on a given date.

    Attributes:
        as_of: The date counted (a party deposited on this day is included).
        low: Participants that were surely parties on ``as_of``.
        high: ``low`` plus the participants that possibly were (``uncertain``).
        uncertain: Participants, sorted by name, whose unknown deposit date falls in a window
            that straddles ``as_of``.
        complete: False when ``as_of`` is after :data:`REFERENCE_COMPLETE_UNTIL`, i.e. when
            the table may be missing parties that joined later.
    """

    as_of: datetime.date
    low: int
    high: int
    uncertain: tuple[str, ...]
    complete: bool

    @property
    def exact(self) -> bool:
        """True when the count is certain: no uncertain participant and a complete table."""
        return self.low == self.high and self.complete


def _to_date(value: datetime.date | str, name: str) -> datetime.date:
    """Return ``value`` as a date, parsing ISO ``YYYY-MM-DD`` strings.

    Raises:
        TypeError: If ``value`` is neither a date nor a string.
        ValueError: If a string is not an ISO date.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from error
    raise TypeError(f"{name}: expected a datetime.date or an ISO date string, got {value!r}")


def _require_columns(df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise ValueError(f"parties frame is missing columns {missing}")


def _dates(df: pd.DataFrame, column: str) -> pd.Series[pd.Timestamp]:
    """Return ``df[column]`` as datetimes; empty strings and missing values become NaT."""
    import pandas as pd

    values = df[column]
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        values = values.mask(values.isna() | (values.astype(str).str.strip() == ""))
    return pd.to_datetime(values, format="%Y-%m-%d")


def _windows(df: pd.DataFrame) -> tuple[pd.Series[pd.Timestamp], pd.Series[pd.Timestamp]]:
    """Return the (earliest, latest) bounds on each participant's deposit date.

    Raises:
        ValueError: If a column is missing, a bound is given without the other, a window ends
            before it starts, or ``is_party`` (when present) disagrees with the bounds.
    """
    _require_columns(df, ("participant", "action_date_earliest", "action_date_latest"))
    earliest = _dates(df, "action_date_earliest")
    latest = _dates(df, "action_date_latest")
    half_open = earliest.isna() != latest.isna()
    if bool(half_open.any()):
        names = df.loc[half_open, "participant"].tolist()
        raise ValueError(f"only one of action_date_earliest/latest is given for {names}")
    reversed_ = earliest > latest
    if bool(reversed_.any()):
        names = df.loc[reversed_, "participant"].tolist()
        raise ValueError(f"action_date_earliest is after action_date_latest for {names}")
    if "is_party" in df.columns:
        is_party = df["is_party"].astype(str).str.lower().isin(["true", "1"])
        disagree = is_party != earliest.notna()
        if bool(disagree.any()):
            names = df.loc[disagree, "participant"].tolist()
            raise ValueError(f"is_party disagrees with the date bounds for {names}")
    return earliest, latest


def count_parties(df: pd.DataFrame, as_of: datetime.date | str) -> PartyCount:
    """Count the parties to the Protocol on ``as_of``, deposits on that day included.

    A participant counts surely when ``action_date_latest <= as_of`` and possibly when
    ``action_date_earliest <= as_of < action_date_latest``. The European Union counts as a
    party, as in the UN Treaty Collection's count.

    Args:
        df: The parties table (columns ``participant``, ``action_date_earliest``,
            ``action_date_latest`` and optionally ``is_party``).
        as_of: The date to count on, as a date or an ISO ``YYYY-MM-DD`` string.

    Returns:
        The count, with its bounds, the participants whose unknown date makes it uncertain,
        and whether the table is complete for ``as_of``.

    Raises:
        ValueError: If ``as_of`` is not an ISO date or the frame is inconsistent.
        TypeError: If ``as_of`` is neither a date nor a string.
    """
    import pandas as pd

    day = _to_date(as_of, "as_of")
    earliest, latest = _windows(df)
    stamp = pd.Timestamp(day)
    surely = latest <= stamp
    possibly = (earliest <= stamp) & (stamp < latest)
    uncertain = tuple(sorted(str(name) for name in df.loc[possibly, "participant"]))
    low = int(surely.sum())
    return PartyCount(
        as_of=day,
        low=low,
        high=low + len(uncertain),
        uncertain=uncertain,
        complete=day <= REFERENCE_COMPLETE_UNTIL,
    )


def count_signatories(df: pd.DataFrame) -> int:
    """Count the participants that signed the Protocol (those with a ``signature_date``).

    Signature closed on 12 December 2002, so this number no longer changes. It includes the
    European Union and the two signatories that never became parties.

    Args:
        df: The parties table (column ``signature_date``).

    Returns:
        The number of rows with a signature date.

    Raises:
        ValueError: If the column is missing or holds a value that is not an ISO date.
    """
    _require_columns(df, ("signature_date",))
    return int(_dates(df, "signature_date").notna().sum())


def joined_between(
    df: pd.DataFrame, start: datetime.date | str, end: datetime.date | str
) -> pd.DataFrame:
    """Return the participants that joined, or may have joined, in ``(start, end]``.

    The interval matches :func:`count_parties`: a participant is returned when its window
    ``[action_date_earliest, action_date_latest]`` overlaps ``(start, end]``, that is when
    ``action_date_earliest <= end`` and ``action_date_latest > start``. For a known deposit
    date ``d`` this is ``start < d <= end``, so ``count_parties(df, end).low -
    count_parties(df, start).low`` never exceeds the number of rows returned.

    Args:
        df: The parties table.
        start: Start of the period, excluded (a date or an ISO string).
        end: End of the period, included (a date or an ISO string).

    Returns:
        The matching rows of ``df`` (all columns), sorted by participant, with a fresh index.

    Raises:
        ValueError: If ``start`` is after ``end``, a date is not ISO, or the frame is
            inconsistent.
        TypeError: If ``start`` or ``end`` is neither a date nor a string.
    """
    import pandas as pd

    first = _to_date(start, "start")
    last = _to_date(end, "end")
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    earliest, latest = _windows(df)
    overlaps = (earliest <= pd.Timestamp(last)) & (latest > pd.Timestamp(first))
    return df.loc[overlaps].sort_values("participant", kind="stable").reset_index(drop=True)
