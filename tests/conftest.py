"""Shared fixtures: the report's text, for the tests that check provenance against it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPORT_FILE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_84e408440e65b4cf.txt"


def split_paragraphs(text: str) -> dict[int, str]:
    """Split the report into its numbered paragraphs, joining lines broken across pages.

    A paragraph runs from the line that opens with its number ("5. In 2021, ...") to the line
    that opens with the next number. Headings between paragraphs stay with the paragraph
    before them; they hold no figure.
    """
    paragraphs: dict[int, str] = {}
    current: int | None = None
    for line in text.splitlines():
        m = re.match(r"^(\d{1,2})\. (.*)", line)
        if m and int(m.group(1)) == (current or 0) + 1:
            current = int(m.group(1))
            paragraphs[current] = m.group(2)
        elif current is not None and line.strip():
            paragraphs[current] += "\n" + line.strip()
    return paragraphs


@pytest.fixture(scope="session")
def report_paragraphs() -> dict[int, str]:
    """The report's paragraphs by number; skips where ../shared is not beside the checkout."""
    if not REPORT_FILE.is_file():
        pytest.skip(f"the report's text is not at {REPORT_FILE} (a fresh clone without shared/)")
    return split_paragraphs(REPORT_FILE.read_text(encoding="utf-8"))
