"""Every number is traceable: phrases hold their numbers, every number of the report a row."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

import unodc_metrics as um

NUMBER_WORDS = {
    0: ("no", "zero", "none"),
    1: ("one", "a", "an"),
    2: ("two",),
    3: ("three",),
    4: ("four",),
    5: ("five",),
    6: ("six",),
    7: ("seven",),
    8: ("eight",),
    9: ("nine",),
    10: ("ten",),
    11: ("eleven",),
    12: ("twelve",),
}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NUMBER_TOKEN = re.compile(
    r"\b(\d[\d,]*|"
    + "|".join(sorted({w for ws in NUMBER_WORDS.values() for w in ws if len(w) > 2}))
    + r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|several"
    r"|dozens?)\b",
    re.IGNORECASE,
)

# Numbers that are not figures: dates, years, document symbols, ordinals, headings.
NOT_FIGURES = [
    ("date", rf"\b\d{{1,2}}(?:\s*(?:and|to|\u2013|-)\s*\d{{1,2}})?\s+(?:{MONTHS})\b"),
    ("year", r"\b(?:19|20)\d{2}\b"),
    ("document symbol", r"[\w.\[(]*\d+/[\w./]+"),
    ("resolution number", r"\bresolution \d+"),
    ("name of a disease", r"COVID-19"),
    ("title of the 2030 Agenda", r"\b2030 Agenda"),
    ("number of an objective or paragraph", r"\b(?:objective|paragraph) \d+"),
    ("ordinal", r"\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+"),
    ("section heading", r"(?m)^\d\. "),
]

# Numbers looked at and left out on purpose: vague words of quantity, and a repeat.
VAGUE = {
    (16, "several"): "'several expert briefings': no number is stated",
    (17, "several"): "'several expert briefings and high-level events': no number is stated",
    (30, "several"): "'several memorandums of understanding': no number is stated",
    (74, "thousands"): "'analysing thousands of advertisements' describes an app, not a count",
    (61, "seven"): "'all judges of the seven tribunals' repeats the figure of row OTH-61a",
}


def figure_rows() -> pd.DataFrame:
    return pd.concat([um.load(name) for name in um.FIGURE_TABLES], ignore_index=True)


def spellings(n: int) -> list[str]:
    return [f"{n:,}", str(n), *NUMBER_WORDS.get(n, ())]


def contains_number(phrase: str, n: int) -> bool:
    return any(
        re.search(
            rf"(?<![\d,]){re.escape(s)}(?!\d|,\d)" if s[0].isdigit() else rf"\b{s}\b", phrase, re.I
        )
        for s in spellings(n)
    )


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("row", figure_rows().to_dict("records"), ids=lambda r: r["id"])
def test_phrase_states_the_numbers_of_its_row(row: dict[str, Any]) -> None:
    phrase = str(row["phrase"])
    assert contains_number(phrase, int(row["value"])), (row["id"], row["value"], phrase)
    for col in ("female", "male", "other_sex", "unknown_sex"):
        stated = row.get(col)
        if stated is not None and not pd.isna(stated) and not row.get("sex_split_derived"):
            assert contains_number(phrase, int(stated)), (row["id"], col, stated, phrase)
    pct = row.get("female_percent")
    if pct is not None and not pd.isna(pct):
        assert f"{pct:g} per cent" in phrase, (row["id"], pct, phrase)


def test_phrases_are_verbatim_in_their_paragraph(report_paragraphs: dict[int, str]) -> None:
    rows = figure_rows()
    missing = [
        (r["id"], r["paragraph"], r["phrase"])
        for r in rows.to_dict("records")
        if squash(str(r["phrase"])) not in squash(report_paragraphs.get(int(r["paragraph"]), ""))
    ]
    assert not missing


def test_listed_items_are_named_in_the_paragraph(report_paragraphs: dict[int, str]) -> None:
    items = um.load("listed_items")
    rows = figure_rows().set_index("id")
    paragraph_of = rows["paragraph"].to_dict()
    for it in items.to_dict("records"):
        text = squash(report_paragraphs[int(paragraph_of[it["figure_id"]])])
        name = re.sub(r" \(\d{4}\)$", "", str(it["item"]))
        assert squash(name) in text, (it["figure_id"], it["item"])


def test_every_number_of_the_report_has_a_row(report_paragraphs: dict[int, str]) -> None:
    """A reviewer who picks any number in the report finds its row, paragraph and phrase."""
    rows = figure_rows()
    uncovered = []
    for number, text in report_paragraphs.items():
        excluded = [m.span() for _, pattern in NOT_FIGURES for m in re.finditer(pattern, text)]
        flat = squash(text)
        # Positions in the squashed text of every phrase stated in this paragraph.
        covered = [
            m.span()
            for phrase in rows.loc[rows["paragraph"] == number, "phrase"]
            for m in re.finditer(re.escape(squash(str(phrase))), flat)
        ]
        for m in NUMBER_TOKEN.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in excluded):
                continue
            if (number, m.group(0).lower()) in VAGUE:
                continue
            # Find the same token in the squashed text by its context.
            before = squash(text[: m.start()])
            start = len(before) + (1 if before and text[m.start() - 1].isspace() else 0)
            if not any(a <= start < b for a, b in covered):
                uncovered.append((number, m.group(0), text[max(0, m.start() - 40) : m.end() + 40]))
    assert not uncovered, "numbers with no row:\n" + "\n".join(map(str, uncovered))


def test_vague_quantities_still_exist(report_paragraphs: dict[int, str]) -> None:
    """The deliberate omissions above point at words that are really there."""
    for number, word in VAGUE:
        assert re.search(rf"\b{word}\b", report_paragraphs[number]), (number, word)


def number_value(token: str) -> int | None:
    token = token.lower()
    if token[0].isdigit():
        return int(token.replace(",", ""))
    return next((n for n, words in NUMBER_WORDS.items() if token in words), None)


def test_every_number_in_a_phrase_is_recorded_by_a_row_of_its_paragraph() -> None:
    """No phrase carries a number that no row records (coverage is not by accident)."""
    rows = figure_rows()
    recorded: dict[int, set[int]] = {}
    for r in rows.to_dict("records"):
        nums = recorded.setdefault(int(r["paragraph"]), set())
        for col in ("value", "female", "male", "other_sex", "unknown_sex", "female_percent"):
            v = r.get(col)
            if v is not None and not pd.isna(v):
                nums.add(int(v))
    stray = []
    for r in rows.to_dict("records"):
        phrase = str(r["phrase"])
        excluded = [m.span() for _, pattern in NOT_FIGURES for m in re.finditer(pattern, phrase)]
        for m in NUMBER_TOKEN.finditer(phrase):
            if any(a <= m.start() and m.end() <= b for a, b in excluded):
                continue
            n = number_value(m.group(0))
            if n is not None and n not in recorded[int(r["paragraph"])]:
                stray.append((r["id"], m.group(0), phrase))
    assert not stray
