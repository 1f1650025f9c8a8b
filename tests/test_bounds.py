"""The bounds of gender_breakdown, proved against a brute-force oracle.

For small groups of rows, the oracle enumerates every admissible integer assignment, as
``docs/methodology-aggregations.md`` defines it: a total ``T`` from ``value_low`` to
``value_high`` and at least the persons its stated counts account for; women as stated, or
any count of a percentage's rounding interval; and every person of unknown sex (stated
unknown, or left over) a woman, a man or of another sex, except that where the women come
from a percentage, nobody else is a woman. Every bound must contain every assignment, and,
where the group is bounded, equal the smallest or the largest of them: valid and tight. A
total with no upper end is enumerated up to a few persons above its least: that checks
validity only (its shares have suprema, not maxima).

The oracle shares no code with the package: it is written from the definition.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import unodc_metrics as um

CURATED = um.load("trainings")
BASE = CURATED[CURATED["id"] == "TRN-05a"].reset_index(drop=True)
OPEN_CAP = 5
"""Persons above the least admissible total to which an unbounded total is enumerated."""

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class Row:
    qualifier: str
    value: int
    low: int
    high: int | None
    female: int | None
    male: int | None
    other: int | None
    unknown: int | None
    percent: int | None = None  # the women come from this percentage of ``value``
    f_low: int | None = None
    f_high: int | None = None


def rounding_interval(total: int, percent: int) -> tuple[int, int] | None:
    fits = [k for k in range(total + 1) if abs(200 * k - 2 * percent * total) <= total]
    return (min(fits), max(fits)) if fits else None


@st.composite
def rows(draw: st.DrawFn) -> Row:
    qualifier = draw(st.sampled_from(um.schemas.QUALIFIERS))
    value = draw(st.integers(0, 6))
    low, high = {
        "exact": (value, value),
        "at_least": (value, None),
        "more_than": (value + 1, None),
        "over": (value + 1, None),
    }.get(qualifier, (0, 0))
    if qualifier == "approximately":
        low, high = value - draw(st.integers(0, min(value, 2))), value + draw(st.integers(0, 2))
    budget = (value + 2) if high is None else high  # stated parts may pass an open total's least
    if draw(st.booleans()) and value > 0:
        percent = draw(st.integers(0, 100))
        interval = rounding_interval(value, percent)
        if interval is not None and interval[1] <= budget:
            f_low, f_high = interval
            male = draw(st.none() | st.integers(0, budget - f_high))
            return Row(qualifier, value, low, high, draw(st.integers(f_low, f_high)), male,
                       None, None, percent, f_low, f_high)  # fmt: skip
    counts: list[int | None] = []
    for _ in range(4):
        count = draw(st.none() | st.integers(0, budget))
        counts.append(count)
        budget -= count or 0
    return Row(qualifier, value, low, high, *counts)


def frame_of(group: list[Row]) -> pd.DataFrame:
    frame = pd.concat([BASE] * len(group), ignore_index=True)
    frame["id"] = [f"X-{i}" for i in range(len(group))]
    for name in ("part_of", "may_overlap"):
        frame[name] = pd.array([None] * len(group), dtype=CURATED[name].dtype)  # type: ignore[call-overload, list-item, arg-type, unused-ignore]
    derived = [r.percent is not None for r in group]
    columns = {
        "qualifier": [r.qualifier for r in group],
        "value": [r.value for r in group],
        "value_low": [r.low for r in group],
        "value_high": [r.high for r in group],
        "female": [r.female for r in group],
        "male": [r.male for r in group],
        "other_sex": [r.other for r in group],
        "unknown_sex": [r.unknown for r in group],
        "female_percent": [None if r.percent is None else float(r.percent) for r in group],
        "female_low": [r.f_low if d else r.female for r, d in zip(group, derived, strict=True)],
        "female_high": [r.f_high if d else r.female for r, d in zip(group, derived, strict=True)],
        "sex_split_derived": derived,
    }
    for name, values in columns.items():
        frame[name] = pd.array(values, dtype=CURATED[name].dtype)  # type: ignore[call-overload, unused-ignore]
    return frame


@dataclass(frozen=True)
class Assignment:
    total: int
    women: int  # stated women (a percentage's count where derived)
    unknown: int  # persons of unknown sex, as the row counts them
    unreconciled: int
    true_women_low: int  # the fewest and the most who may be women, all told
    true_women_high: int
    true_men_low: int
    true_men_high: int


def assignments(row: Row) -> Iterator[Assignment]:
    """Every admissible (total, stated women) of a row, with who may be of which sex."""
    m, o, u = row.male or 0, row.other or 0, row.unknown or 0
    derived = row.percent is not None
    women_options = (
        range(int(row.f_low or 0), int(row.f_high or 0) + 1) if derived else [row.female or 0]
    )
    for women in women_options:
        least = max(row.low, women + m + o + u)
        most = row.high if row.high is not None else least + OPEN_CAP
        for total in range(least, most + 1):
            free = total - women - m - o  # of unknown sex, stated or left over
            left = total - women - m - o - u
            yield Assignment(
                total=total,
                women=women,
                unknown=u if row.unknown is not None else left,
                unreconciled=left if row.unknown is not None else 0,
                true_women_low=women,
                true_women_high=women + (0 if derived else free),
                true_men_low=m,
                true_men_high=m + free,
            )


@dataclass
class Extremes:
    low: float
    high: float

    def add(self, value: float) -> None:
        self.low, self.high = min(self.low, value), max(self.high, value)


def oracle(group: list[Row]) -> dict[str, Extremes]:
    """The smallest and largest of every output over every admissible assignment."""
    found: dict[str, Extremes] = {}

    def see(name: str, value: float) -> None:
        found.setdefault(name, Extremes(value, value)).add(value)

    for combo in itertools.product(*(list(assignments(r)) for r in group)):
        total = sum(a.total for a in combo)
        see("total", total)
        see("female", sum(a.women for a in combo))
        see("unknown", sum(a.unknown for a in combo))
        see("unreconciled", sum(a.unreconciled for a in combo))
        if total:
            # A share is a ratio of sums: its extremes lie at the extremes of each row's women
            # (or men), for a given total, so the ends of each row's range suffice.
            for sex in ("women", "men"):
                ends = [
                    (getattr(a, f"true_{sex}_low"), getattr(a, f"true_{sex}_high")) for a in combo
                ]
                see(f"{sex}_share", sum(e[0] for e in ends) / total)
                see(f"{sex}_share", sum(e[1] for e in ends) / total)
    return found


def engines() -> dict[str, Callable[[pd.DataFrame], Any]]:
    import duckdb
    import polars as pl
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    con = duckdb.connect()
    return {
        "pandas": lambda df: df,
        "polars": pl.from_pandas,
        "polars_lazy": lambda df: pl.from_pandas(df).lazy(),
        "duckdb": lambda df: con.from_arrow(pa.Table.from_pandas(df, preserve_index=False)),
    }


ENGINES = engines()


def breakdown(frame: pd.DataFrame, engine: str) -> dict[str, Any]:
    out = um.gender_breakdown(ENGINES[engine](frame), unknown="bounds")
    table = nw.from_native(out).lazy().collect(backend="pyarrow").to_native().to_pandas()
    (record,) = table.astype(object).where(table.notna(), None).to_dict("records")
    return record  # type: ignore[no-any-return]


def check(name: str, got: float | None, want: Extremes, *, side: str, tight: bool) -> None:
    if side == "low":
        assert got is not None and got <= want.low + 1e-12, (name, got, want)
        assert not tight or math.isclose(got, want.low, abs_tol=1e-12), (name, got, want)
    elif got is not None:
        assert got >= want.high - 1e-12, (name, got, want)
        assert not tight or math.isclose(got, want.high, abs_tol=1e-12), (name, got, want)
    else:
        assert not tight, (name, "no upper bound, yet every total is bounded", want)


@pytest.mark.parametrize("engine", list(ENGINES))
@SETTINGS
@given(st.lists(rows(), min_size=1, max_size=2))
# Found by hypothesis: no woman counted, a total of 0 or 1. The share of women is 0 for the
# total of 1, and exists, although 0 / the smallest total (0) does not.
@example(group=[Row("approximately", 1, 0, 1, 0, None, None, None, 0, 0, 0)])
def test_every_bound_is_valid_and_tight_where_the_group_is_bounded(
    engine: str, group: list[Row]
) -> None:
    frame = frame_of(group)
    um.validate(frame, "trainings")  # the generator makes only valid rows
    got = breakdown(frame, engine)
    want = oracle(group)
    bounded = all(r.high is not None for r in group)
    for name in ("total", "female", "unknown", "unreconciled"):
        if name == "female" and all(r.female is None for r in group):
            assert got["female"] is None and got["female_status"] == "missing"
            continue
        check(name, got[f"{name}_low"], want[name], side="low", tight=True)
        check(name, got[f"{name}_high"], want[name], side="high", tight=bounded)
    for sex, column in (("women", "female"), ("men", "male")):
        if f"{sex}_share" not in want:
            continue  # every admissible total is 0: no share exists
        for side in ("low", "high"):
            share = got[f"{column}_share_{side}"]
            assert share is not None and 0.0 <= share <= 1.0
            check(f"{column}_share_{side}", share, want[f"{sex}_share"], side=side, tight=bounded)


def test_the_issues_examples() -> None:
    """The four rows of issue 12 that the old bounds got wrong."""

    def shares(row: Row) -> tuple[float, ...]:
        got = breakdown(frame_of([row]), "pandas")
        names = ("female_share_low", "female_share_high", "unknown_low", "total_low")
        return tuple(round(got[n], 3) for n in names)

    # "at least 49", 20 women and 29 men: the total has no upper end, so neither have shares.
    assert shares(Row("at_least", 49, 49, None, 20, 29, None, None)) == (0.0, 1.0, 0, 49)
    # "more than 35", 20 women and 15 men: at least one person's sex is unknown.
    assert shares(Row("more_than", 35, 36, None, 20, 15, None, None)) == (0.0, 1.0, 1, 36)
    # "approximately 100" (90 to 110), 50 women and 40 men: 50/110 to 70/110.
    assert shares(Row("approximately", 100, 90, 110, 50, 40, None, None)) == (0.455, 0.636, 0, 90)
    # "at least 10", 6 women and 6 men: at least 12 persons, nothing unreconciled.
    got = breakdown(frame_of([Row("at_least", 10, 10, None, 6, 6, None, None)]), "pandas")
    assert (got["total"], got["total_low"], got["unreconciled"]) == (12, 12, 0)


def test_parts_beyond_every_admissible_total_are_refused() -> None:
    frame = frame_of([Row("approximately", 100, 90, 110, 70, 50, None, None)])
    with pytest.raises(um.ValidationError, match=r"sexes_within_total|exceed"):
        um.validate(frame, "trainings")
