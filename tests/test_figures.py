"""Tests of the report's figures: one test per figure, the rules that find inconsistencies,
and the generated page ``docs/figures.md``.

Everything goes through the public API (``figures``, ``check_figures(tables=...)``,
``inconsistencies(tables=...)``, ``unodc_metrics.testing``) and the figures layer's documented
constants: a case is provoked by passing modified copies of the tables. The page is written
by ``tools/figures_page.py``, outside the package; its tests skip where ``tools/`` is absent.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import unodc_metrics as um
from unodc_metrics import check_figures, figures, inconsistencies
from unodc_metrics._figures import FIGURE_COLUMNS, INCONSISTENCY_KINDS, NOT_DERIVABLE, STATUSES
from unodc_metrics.schemas import FLAGS, QUALIFIERS
from unodc_metrics.testing import assert_reproduces

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "figures.md"
TOOL = REPO / "tools" / "figures_page.py"
REGENERATE = "python tools/figures_page.py > docs/figures.md"

FIGURE_IDS: list[str] = figures()["figure_id"].tolist()

Tables = dict[str, pd.DataFrame]


@cache
def _shipped() -> Mapping[str, pd.DataFrame]:
    return {name: um.load(name) for name in um.TABLES}


def _tables(**changed: pd.DataFrame) -> Tables:
    """Every table, shipped copies except the ones given."""
    out = {name: df.copy(deep=True) for name, df in _shipped().items()}
    out.update(changed)
    return out


def _found(tables: Mapping[str, pd.DataFrame] | None = None) -> set[tuple[str, str]]:
    found = inconsistencies(tables)
    return set(zip(found["kind"], found["id"], strict=True))


def _recorded() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for name in um.FIGURE_TABLES:
        for row_id, flags in zip(um.load(name)["id"], um.load(name)["flags"], strict=True):
            if isinstance(flags, str):
                out |= {(flag.strip(), str(row_id)) for flag in flags.split(",") if flag.strip()}
    return out


# --------------------------------------------------------------------------------------------
# One test per figure
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_figure_reproduces_or_its_status_is_recorded(figure_id: str) -> None:
    assert_reproduces(figure_id, allow_recorded=True, allow_stated=True)


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------


def test_the_package_exports_the_functions() -> None:
    assert getattr(um, "figures", None) is figures
    assert getattr(um, "check_figures", None) is check_figures
    assert getattr(um, "inconsistencies", None) is inconsistencies
    assert {"figures", "check_figures", "inconsistencies"} <= set(um.__all__)


def test_figures_are_pinned() -> None:
    figs = figures()
    assert len(figs) == 59
    assert list(figs.columns) == list(FIGURE_COLUMNS)
    assert figs["figure_id"].is_unique
    by_id = figs.set_index("figure_id")
    assert by_id.loc["TRN-05a", "value"] == 2776
    assert by_id.loc["TRN-05a.female", "value"] == 1138
    assert by_id.loc["TRN-05a.male", "value"] == 715
    assert by_id.loc["TRN-05a.unknown_sex", "value"] == 919
    assert by_id.loc["TRN-68a.female_percent", "value"] == 24
    assert by_id.loc["TRN-68a.female_percent", "unit"] == "percent"
    assert by_id.loc["MTG-70a", "qualifier"] == "more_than"
    assert by_id.loc["MTG-70a", "value_low"] == 36
    assert by_id.loc["CTY-05a", "qualifier"] == "at_least"
    assert by_id["value_high"].isna()["CTY-05a"]
    # A derived count is not a figure of the report; a lone count equal to its whole neither.
    assert "TRN-68a.female" not in by_id.index
    assert "TRN-62a.female" not in by_id.index


def test_every_row_of_every_figure_table_is_one_figure() -> None:
    figs = figures()
    values = figs[figs["column"] == "value"]
    expected = [(name, i) for name in um.FIGURE_TABLES for i in um.load(name)["id"]]
    assert sorted(zip(values["table"], values["row_id"], strict=True)) == sorted(expected)
    assert (values["figure_id"] == values["row_id"]).all()


def test_figures_are_read_from_the_tables_not_kept_apart() -> None:
    """One source of truth: every figure's number, words and period are its row's."""
    for fig in figures().itertuples(index=False):
        frame = um.load(str(fig.table))
        row = frame[frame["id"] == fig.row_id].to_dict("records")[0]
        assert float(row[str(fig.column)]) == float(str(fig.value)), fig.figure_id
        assert row["phrase"] == fig.phrase
        assert row["paragraph"] == fig.paragraph
        for column in ("period_start", "period_end", "initiative", "country", "area"):
            same = (pd.isna(row[column]) and pd.isna(getattr(fig, column))) or (
                row[column] == getattr(fig, column)
            )
            assert same, (fig.figure_id, column)


def test_figures_carry_a_known_qualifier_unit_and_measure() -> None:
    figs = figures()
    assert set(figs["qualifier"]) <= set(QUALIFIERS)
    assert figs["unit"].notna().all() and (figs["unit"].str.len() > 0).all()
    measures = um.load("measures")
    known = set(zip(measures["table"], measures["measure"], strict=True))
    assert set(zip(figs["table"], figs["measure"], strict=True)) <= known
    assert figs["paragraph"].is_monotonic_increasing


def test_a_changed_table_changes_the_figures() -> None:
    arrests = um.load("arrests")
    arrests.loc[arrests["id"] == "ARR-69a", ["value", "value_low", "value_high"]] = 7
    figs = figures({"arrests": arrests}).set_index("figure_id")
    assert figs.loc["ARR-69a", "value"] == 7


def test_unknown_tables_are_refused() -> None:
    with pytest.raises(LookupError, match="no table named 'nope'"):
        figures({"nope": pd.DataFrame()})


# --------------------------------------------------------------------------------------------
# Reproducing them
# --------------------------------------------------------------------------------------------


def test_check_figures_covers_every_figure_in_order() -> None:
    checks = check_figures()
    assert checks["figure_id"].tolist() == FIGURE_IDS
    assert set(checks["status"]) <= set(STATUSES)


def test_status_counts_are_pinned() -> None:
    counts = check_figures()["status"].value_counts().to_dict()
    assert counts == {"reproduced": 18, "stated": 37, "inconsistent": 4}


def test_no_lookup_of_its_own_value_is_called_reproduced() -> None:
    checks = check_figures()
    assert not ((checks["method"] == "lookup") & (checks["status"] == "reproduced")).any()
    stated = checks[checks["status"] == "stated"]
    assert stated["computed"].isna().all()
    assert (
        stated["detail"]
        .str.endswith("stated: no computation over other cells of the tables gives the value")
        .all()
    )


@pytest.mark.parametrize(
    ("figure_id", "method"),
    [("ARR-05a", "lookup"), ("MTG-70a", "lookup"), ("RES-05d", "within_whole")],
)
def test_figures_that_only_the_tables_hold_are_stated(figure_id: str, method: str) -> None:
    check = check_figures().set_index("figure_id").loc[figure_id]
    assert (check["status"], check["method"]) == ("stated", method)
    with pytest.raises(AssertionError, match="is stated, not reproduced"):
        assert_reproduces(figure_id)
    assert_reproduces(figure_id, allow_stated=True)


def test_no_figure_is_not_derivable() -> None:
    checks = check_figures()
    assert not (checks["status"] == "not_derivable").any()
    assert NOT_DERIVABLE == {}


def test_every_inconsistent_figure_is_recorded_in_its_flags() -> None:
    checks = check_figures()
    bad = checks[checks["status"] == "inconsistent"]
    # TRN-05a's split is one equation: its whole and each of its parts contradict it
    assert bad["figure_id"].tolist() == [
        "TRN-05a",
        "TRN-05a.female",
        "TRN-05a.male",
        "TRN-05a.unknown_sex",
    ]
    assert bad["recorded"].all()
    figs = figures().set_index("figure_id")
    for check in bad.itertuples(index=False):
        flags = str(figs.loc[str(check.figure_id), "flags"]).split(",")
        assert check.kind in flags


def test_trn_05a_is_its_parts_short_of_its_total() -> None:
    check = check_figures().set_index("figure_id").loc["TRN-05a"]
    assert check["status"] == "inconsistent"
    assert check["method"] == "sum_of_parts"
    assert check["kind"] == "parts_short_of_total"
    assert (check["expected"], check["computed"]) == (2776, 2772)


@pytest.mark.parametrize(
    ("figure_id", "method", "computed"),
    [
        ("PST-02a", "count_parties", 178),
        ("PST-02b", "joined_between", 0),
        ("TRN-06a", "sum_of_parts", 1488),
        ("RES-05a", "sum_of_parts", 63),
        ("RES-76b", "sum_of_parts", 81),
        ("CTY-65a", "count_listed", 2),
        ("CTY-77a", "count_listed", 5),
        ("OTH-31a", "count_listed", 4),
        ("OTH-32a", "count_listed", 6),
        ("OTH-45a", "count_listed", 3),
        ("KB-47a", "count_listed", 3),
        ("RES-05b", "remainder_of_whole", 40),
        ("RES-76c", "remainder_of_whole", 57),
        ("TRN-06a.male", "remainder_of_whole", 933),
    ],
)
def test_figures_are_reproduced_by_the_best_computation(
    figure_id: str, method: str, computed: int
) -> None:
    check = check_figures().set_index("figure_id").loc[figure_id]
    assert (check["status"], check["method"], check["computed"]) == (
        "reproduced",
        method,
        computed,
    )


def test_lookups_say_so() -> None:
    checks = check_figures()
    lookups = checks[checks["method"] == "lookup"]
    assert len(lookups) > 0
    assert lookups["detail"].str.startswith("lookup of ").all()


def test_a_broken_split_makes_its_whole_inconsistent_and_unrecorded() -> None:
    trainings = um.load("trainings")
    trainings.loc[trainings["id"] == "TRN-06a", "male"] = 934
    tables = _tables(trainings=trainings)
    check = check_figures(tables).set_index("figure_id").loc["TRN-06a"]
    assert (check["status"], check["kind"], check["recorded"]) == (
        "inconsistent",
        "parts_exceed_total",
        False,
    )
    with pytest.raises(AssertionError, match="NOT recorded in the data"):
        assert_reproduces("TRN-06a", allow_recorded=True, tables=tables)


def test_a_party_count_that_differs_from_the_reference_is_inconsistent() -> None:
    status = um.load("protocol_status")
    status.loc[status["id"] == "PST-02a", ["value", "value_low", "value_high"]] = 177
    check = check_figures(_tables(protocol_status=status)).set_index("figure_id").loc["PST-02a"]
    assert (check["status"], check["kind"], check["computed"]) == (
        "inconsistent",
        "reference_mismatch",
        178,
    )


def test_a_figure_whose_row_repeats_cannot_be_looked_up() -> None:
    # The figures come from the frames given; a lookup that finds no single row says so.
    meetings = um.load("meetings")
    twice = pd.concat([meetings, meetings[meetings["id"] == "MTG-70a"]], ignore_index=True)
    tables = _tables(meetings=twice)
    checks = check_figures(tables)
    mine = checks[checks["figure_id"] == "MTG-70a"]
    assert mine["status"].tolist() == ["not_derivable", "not_derivable"]
    assert mine["method"].tolist() == ["lookup", "lookup"]
    assert not mine["recorded"].any()
    assert mine["computed"].isna().all()
    detail = "no single row 'MTG-70a' in meetings; not recorded in NOT_DERIVABLE"
    assert mine["detail"].tolist() == [detail, detail]
    with pytest.raises(AssertionError, match=r"is not_derivable \(NOT recorded in the data\)"):
        assert_reproduces("MTG-70a", allow_recorded=True, tables=tables)


@pytest.mark.parametrize(
    ("table", "row_id", "changed", "figure_id", "method", "why"),
    [
        (
            "protocol_status",
            "PST-02a",
            "period_end",
            "PST-02a",
            "count_parties",
            "no date to count on",
        ),
        (
            "protocol_status",
            "PST-02b",
            "period_start",
            "PST-02b",
            "joined_between",
            "the period is open",
        ),
        (
            "trainings",
            "TRN-68a",
            "value_high",
            "TRN-68a.female_percent",
            "percent_of_count",
            "the total is not an exact count, so the share cannot be recomputed",
        ),
    ],
)
def test_a_figure_the_tables_cannot_give_is_not_derivable_and_not_recorded(
    table: str, row_id: str, changed: str, figure_id: str, method: str, why: str
) -> None:
    frame = um.load(table)
    frame.loc[frame["id"] == row_id, changed] = None
    tables = _tables(**{table: frame})
    checks = check_figures(tables).set_index("figure_id")
    check = checks.loc[figure_id]
    assert (check["status"], check["method"], bool(check["recorded"])) == (
        "not_derivable",
        method,
        False,
    )
    assert check["detail"] == f"{why}; not recorded in NOT_DERIVABLE"
    assert pd.isna(check["computed"])
    assert (checks.drop(index=figure_id)["status"] != "not_derivable").all()
    with pytest.raises(AssertionError, match="list the figure with a reason in NOT_DERIVABLE"):
        assert_reproduces(figure_id, allow_recorded=True, tables=tables)


# --------------------------------------------------------------------------------------------
# The testing helper
# --------------------------------------------------------------------------------------------


def test_assert_reproduces_passes_a_reproduced_figure() -> None:
    assert_reproduces("RES-05a")


def test_assert_reproduces_fails_an_inconsistent_figure_unless_allowed() -> None:
    with pytest.raises(AssertionError, match=r"TRN-05a .* is inconsistent") as info:
        assert_reproduces("TRN-05a")
    assert "expected 2,776, computed 2,772" in str(info.value)
    assert "allow_recorded=True" in str(info.value)
    assert_reproduces("TRN-05a", allow_recorded=True)


def test_assert_reproduces_fails_an_unknown_figure() -> None:
    with pytest.raises(AssertionError, match=r"no figure 'TRN-05z'.*did you mean TRN-05a"):
        assert_reproduces("TRN-05z")


# --------------------------------------------------------------------------------------------
# Inconsistencies: the report's, found by the rules, agree with the data's flags
# --------------------------------------------------------------------------------------------


def test_inconsistencies_are_pinned() -> None:
    found = inconsistencies()
    assert list(found.columns) == ["paragraph", "kind", "detail", "figure_ids", "table", "id"]
    assert list(zip(found["paragraph"], found["kind"], found["id"], strict=True)) == [
        (5, "parts_short_of_total", "TRN-05a"),
        (76, "nonexistent_date", "ARR-76b"),
        (76, "nonexistent_date", "RES-76b"),
        (76, "nonexistent_date", "RES-76c"),
        (76, "nonexistent_date", "RES-76d"),
        (76, "outside_reporting_period", "ARR-76a"),
        (76, "outside_reporting_period", "RES-76a"),
    ]
    first = found.iloc[0]
    assert first["figure_ids"] == "TRN-05a,TRN-05a.female,TRN-05a.male,TRN-05a.unknown_sex"
    assert "2,772" in first["detail"] and "2,776" in first["detail"]
    assert set(found["kind"]) <= set(INCONSISTENCY_KINDS)


def test_the_rules_find_exactly_what_the_flags_record() -> None:
    """Code and data agree: each (kind, row) found is flagged, and each flag is found."""
    assert _found() == _recorded()


def test_every_flag_is_a_kind_the_rules_look_for() -> None:
    assert set(FLAGS) <= set(INCONSISTENCY_KINDS)


def test_figure_ids_of_inconsistencies_are_figures() -> None:
    ids = set(FIGURE_IDS)
    for listed in inconsistencies()["figure_ids"]:
        assert set(str(listed).split(",")) <= ids


NAMED_DATES_ROW = ("arrests", "ARR-69a")  # its own period_text, "Also in 2021", names no day


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # Each case lists every day the text names; the rule reports those that do not exist.
        ("between 19 and 31 November 2020", [(19, 11, 2020), (31, 11, 2020)]),
        ("on 1 and 31 September 2021", [(1, 9, 2021), (31, 9, 2021)]),
        ("from 9 to 31 November 2021", [(9, 11, 2021), (31, 11, 2021)]),
        ("on 31 September and 1 October 2021", [(31, 9, 2021), (1, 10, 2021)]),
        ("on 30 September and 31 October 2021", [(30, 9, 2021), (31, 10, 2021)]),
        ("launched it on 31 April 2020, following the training", [(31, 4, 2020)]),
        ("17\u201331 June 2022", [(17, 6, 2022), (31, 6, 2022)]),
        ("from 30 December 2020 to 30 February 2021", [(30, 12, 2020), (30, 2, 2021)]),
        ("from 31 February 2020 to 2 January 2021", [(31, 2, 2020), (2, 1, 2021)]),
        ("November 31, 2020", [(31, 11, 2020)]),
        ("on the 3rd and 31st April 2021", [(3, 4, 2021), (31, 4, 2021)]),
        ("29 February 2020 and 29 February 2021", [(29, 2, 2020), (29, 2, 2021)]),
        ("on 0 and 32 May 2021", [(0, 5, 2021), (32, 5, 2021)]),
        ("on 1 and 2 September 2021", [(1, 9, 2021), (2, 9, 2021)]),
        ("in the first half of 2020", []),
        ("Between 2021 and 2022", []),
        ("In June 2021", []),
        ("as at July 2022", []),
        ("62 participants from 31 countries in 2021", []),
        ("31 of them in November 2020", []),
    ],
)
def test_the_days_named_in_words_that_do_not_exist_are_found(
    text: str, dates: list[tuple[int, int, int]]
) -> None:
    table, row_id = NAMED_DATES_ROW
    frame = um.load(table)
    frame.loc[frame["id"] == row_id, "period_text"] = text
    found = inconsistencies(_tables(**{table: frame}))
    mine = found[(found["id"] == row_id) & (found["kind"] == "nonexistent_date")]
    pattern = re.compile(
        rf"{row_id}: {re.escape(repr(text))} names (.+), which does not exist: (.+)"
    )
    named = []
    for detail in mine["detail"]:
        match = pattern.fullmatch(str(detail))
        assert match is not None, detail
        named.append(match.groups())
    expected = [
        (f"{day} {MONTHS[month - 1]} {year}", why)
        for day, month, year in dates
        if (why := _why_not(day, month, year)) is not None
    ]
    assert named == expected
    assert set(mine["figure_ids"]) <= {row_id}


def _why_not(day: int, month: int, year: int) -> str | None:
    """Why a day does not exist, as the rule says it; None when it exists."""
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    if 1 <= day <= 31:
        return f"{MONTHS[month - 1]} {year} has {days} days"
    return "no month has that day"


# --------------------------------------------------------------------------------------------
# Property-based: corrupt a copy of a table, and the rule finds it
# --------------------------------------------------------------------------------------------

SPLIT_SEX = ("TRN-05a", "TRN-06a")
SEX_PARTS = ("female", "male", "unknown_sex")


@settings(max_examples=25, deadline=None)
@given(
    row_id=st.sampled_from(SPLIT_SEX), column=st.sampled_from(SEX_PARTS), count=st.integers(0, 3000)
)
def test_sex_parts_against_their_total(row_id: str, column: str, count: int) -> None:
    trainings = um.load("trainings")
    at = trainings["id"] == row_id
    trainings.loc[at, column] = count
    if column == "female":
        trainings.loc[at, ["female_low", "female_high"]] = count
    row = trainings.loc[at].iloc[0]
    total = sum(int(row[c]) for c in SEX_PARTS)
    found = {k for k, i in _found(_tables(trainings=trainings)) if i == row_id}
    if total < int(row["value"]):
        assert found == {"parts_short_of_total"}
    elif total > int(row["value"]):
        assert found == {"parts_exceed_total"}
    else:
        assert found == set()


NESTED = {"RES-05a": ("RES-05b", "RES-05c"), "RES-76b": ("RES-76c", "RES-76d")}


@settings(max_examples=25, deadline=None)
@given(
    whole=st.sampled_from(sorted(NESTED)),
    which=st.integers(0, 1),
    count=st.integers(0, 150),
)
def test_nested_parts_against_their_whole(whole: str, which: int, count: int) -> None:
    rescues = um.load("rescues")
    part = NESTED[whole][which]
    rescues.loc[rescues["id"] == part, ["value", "value_low", "value_high"]] = count
    values = rescues.set_index("id")["value"]
    total = sum(int(values[p]) for p in NESTED[whole])
    found = {k for k, i in _found(_tables(rescues=rescues)) if i == whole and k.startswith("parts")}
    if total < int(values[whole]):
        assert found == {"parts_short_of_total"}
    elif total > int(values[whole]):
        assert found == {"parts_exceed_total"}
    else:
        assert found == set()
    check = check_figures(_tables(rescues=rescues)).set_index("figure_id").loc[whole]
    assert check["computed"] == total
    assert (check["status"] == "reproduced") == (total == int(values[whole]))


@settings(max_examples=30, deadline=None)
@given(children=st.integers(0, 100))
def test_a_single_part_may_fall_short_but_not_exceed(children: int) -> None:
    # "23, including 7 children": one part is a subset of its whole, not a split of it.
    rescues = um.load("rescues")
    rescues.loc[rescues["id"] == "RES-05d", ["value", "value_low", "value_high"]] = children
    found = {k for k, i in _found(_tables(rescues=rescues)) if i == "RES-05c"}
    assert found == ({"parts_exceed_total"} if children > 23 else set())


@settings(max_examples=30, deadline=None)
@given(low=st.integers(0, 60), more=st.booleans())
def test_qualified_parts_are_read_by_their_bounds(low: int, more: bool) -> None:
    # A part "more than N" contributes at least N + 1 and has no upper bound.
    rescues = um.load("rescues")
    at = rescues["id"] == "RES-05b"
    rescues.loc[at, ["value", "value_low"]] = low
    rescues.loc[at, "value_high"] = pd.NA if more else low
    rescues.loc[at, "qualifier"] = "at_least" if more else "exact"
    found = {k for k, i in _found(_tables(rescues=rescues)) if i == "RES-05a"}
    if low + 23 > 63:
        assert found == {"parts_exceed_total"}
    elif low + 23 < 63 and not more:
        assert found == {"parts_short_of_total"}
    else:
        assert found == set()


MONTHS = list(calendar.month_name)[1:]
TEMPLATES = (
    "{d} {m} {y}",
    "between {e} and {d} {m} {y}",
    "from {e} to {d} {m} {y}",
    "on {d} and {e} {m} {y}",
    "on {d} {m} and 1 December {y}",
    "{e}\u2013{d} {m} {y}",
)


@st.composite
def _day_in_words(draw: st.DrawFn, exists: bool) -> str:
    """A period in words that names a day of a month; the day exists or not, as asked."""
    year = draw(st.integers(1990, 2030))
    month = draw(st.integers(1, 11))
    last = calendar.monthrange(year, month)[1]
    if exists:
        day = draw(st.integers(1, last))
    else:
        day = draw(st.integers(last + 1, 31)) if last < 31 else draw(st.sampled_from([0, 32]))
    template = draw(st.sampled_from(TEMPLATES))
    return template.format(d=day, e=1, m=MONTHS[month - 1], y=year)


@settings(max_examples=50, deadline=None)
@given(
    table=st.sampled_from(um.FIGURE_TABLES),
    data=st.data(),
    exists=st.booleans(),
)
def test_impossible_dates_in_words_are_found(table: str, data: st.DataObject, exists: bool) -> None:
    frame = um.load(table)
    index = data.draw(st.integers(0, len(frame) - 1))
    text = data.draw(_day_in_words(exists))
    frame.loc[frame.index[index], "period_text"] = text
    row_id = str(frame["id"].iloc[index])
    found = {k for k, i in _found(_tables(**{table: frame})) if i == row_id}
    assert ("nonexistent_date" in found) == (not exists), text


@settings(max_examples=50, deadline=None)
@given(
    table=st.sampled_from(um.FIGURE_TABLES),
    data=st.data(),
    start=st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)),
    days=st.integers(0, 800),
)
def test_periods_outside_the_reporting_period_are_found(
    table: str, data: st.DataObject, start: dt.date, days: int
) -> None:
    frame = um.load(table)
    index = data.draw(st.integers(0, len(frame) - 1))
    end = start + dt.timedelta(days=days)
    label = frame.index[index]
    frame.loc[label, "period_start"] = pd.Timestamp(start)
    frame.loc[label, "period_end"] = pd.Timestamp(end)
    row_id = str(frame["id"].iloc[index])
    found = {k for k, i in _found(_tables(**{table: frame})) if i == row_id}
    first, last = um.REPORTING_PERIOD
    outside = end < first or start > last
    assert ("outside_reporting_period" in found) == outside


@settings(max_examples=30, deadline=None)
@given(percent=st.integers(0, 100))
def test_a_percentage_must_match_the_stated_count(percent: int) -> None:
    # TRN-06a states 553 women of 1,488; give it a share too.
    trainings = um.load("trainings")
    trainings.loc[trainings["id"] == "TRN-06a", "female_percent"] = float(percent)
    found = {k for k, i in _found(_tables(trainings=trainings)) if i == "TRN-06a"}
    agrees = abs(100 * 553 / 1488 - percent) <= 0.5
    assert ("percent_mismatch" in found) == (not agrees)
    check = check_figures(_tables(trainings=trainings)).set_index("figure_id")
    assert check.loc["TRN-06a.female_percent", "computed"] == 37
    assert (check.loc["TRN-06a.female_percent", "status"] == "reproduced") == agrees


@settings(max_examples=50, deadline=None)
@given(total=st.integers(1, 300), percent=st.integers(0, 100))
def test_a_percentage_must_be_reachable_by_a_whole_count(total: int, percent: int) -> None:
    trainings = um.load("trainings")
    at = trainings["id"] == "TRN-68a"
    trainings.loc[at, ["value", "value_low", "value_high"]] = total
    trainings.loc[at, "female_percent"] = float(percent)
    reachable = [k for k in range(total + 1) if abs(100 * k / total - percent) <= 0.5]
    # Keep the derived count where it was derived from: the nearest reachable one, if any.
    female = reachable[0] if reachable else 0
    trainings.loc[at, ["female", "female_low", "female_high"]] = female
    found = {k for k, i in _found(_tables(trainings=trainings)) if i == "TRN-68a"}
    assert ("percent_mismatch" in found) == (not reachable)


@settings(max_examples=25, deadline=None)
@given(
    figure=st.sampled_from(["CTY-65a", "CTY-77a", "KB-47a", "OTH-31a", "OTH-32a", "OTH-45a"]),
    drop=st.integers(0, 2),
    extra=st.integers(0, 2),
)
def test_counts_against_the_items_listed(figure: str, drop: int, extra: int) -> None:
    items = um.load("listed_items")
    mine = items[items["figure_id"] == figure]
    kept = mine.iloc[: max(0, len(mine) - drop)]
    added = pd.DataFrame(
        {
            "figure_id": [figure] * extra,
            "position": [100 + i for i in range(extra)],
            "item": [f"another item {i}" for i in range(extra)],
            "country": [pd.NA] * extra,
        }
    )
    changed = pd.concat([items[items["figure_id"] != figure], kept, added], ignore_index=True)
    found = {k for k, i in _found(_tables(listed_items=changed)) if i == figure}
    listed = len(kept) + extra
    assert ("list_count_mismatch" in found) == (0 < listed != len(mine))
    check = check_figures(_tables(listed_items=changed)).set_index("figure_id").loc[figure]
    if listed:
        assert check["computed"] == listed
        assert (check["status"] == "reproduced") == (listed == len(mine))


def test_a_repeated_item_counts_once() -> None:
    items = um.load("listed_items")
    again = items[items["figure_id"] == "CTY-65a"].assign(position=[10, 11])
    changed = pd.concat([items, again], ignore_index=True)
    assert not {k for k, i in _found(_tables(listed_items=changed)) if i == "CTY-65a"}


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered_page() -> str:
    """The page as ``python tools/figures_page.py`` writes it."""
    if not TOOL.is_file():
        pytest.skip("tools/figures_page.py is absent: not run from a source checkout")
    return subprocess.run(
        [sys.executable, str(TOOL)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def test_the_figures_page_is_current(rendered_page: str) -> None:
    if not PAGE.parent.is_dir():
        pytest.skip("not run from a source checkout: docs/ is absent")
    assert PAGE.is_file(), f"docs/figures.md is missing; generate it with: {REGENERATE}"
    current = PAGE.read_text(encoding="utf-8")
    assert current == rendered_page, (
        f"docs/figures.md is out of date; regenerate it with: {REGENERATE}"
    )


def test_the_page_says_how_to_regenerate_it(rendered_page: str) -> None:
    assert rendered_page.splitlines()[2] == f"<!-- Generated from code: {REGENERATE} -->"


def test_the_page_lists_every_figure_and_inconsistency(rendered_page: str) -> None:
    for figure_id in FIGURE_IDS:
        assert f"| {figure_id} |" in rendered_page
    found = inconsistencies()
    for row in found.itertuples(index=False):
        assert f"| {row.paragraph} | {row.kind} | {row.id} |" in rendered_page
    counts = check_figures()["status"].value_counts()
    summary = (
        f"{len(FIGURE_IDS)} figures: {counts.get('reproduced', 0)} reproduced, "
        f"{counts.get('stated', 0)} stated, {counts.get('inconsistent', 0)} inconsistent, "
        f"{counts.get('not_derivable', 0)} not derivable. {len(found)} inconsistencies found."
    )
    assert summary in rendered_page


def test_importing_the_modules_stays_cheap() -> None:
    code = (
        "import sys\n"
        "import unodc_metrics._figures, unodc_metrics.testing\n"
        "assert 'pandas' not in sys.modules, 'pandas imported at import time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
