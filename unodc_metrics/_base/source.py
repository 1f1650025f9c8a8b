"""The report that every figure table is taken from, and its edition constants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["REPORT", "REPORTING_PERIOD", "SOURCE_EDITION", "Citation"]


@dataclass(frozen=True)
class Citation:
    """A source document, cited the way a reader would look it up.

    Attributes:
        author: The issuing body.
        title: The document's title.
        document: What kind of document it is, and for which meeting.
        date: The date printed on the document.
        session: The session of the meeting it was written for.
        venue: Where and when that session was held.
        agenda_item: The agenda item it falls under.
        licence: The terms under which the derived data is shared.
    """

    author: str
    title: str
    document: str
    date: dt.date
    session: str
    venue: str
    agenda_item: str
    licence: str

    def text(self) -> str:
        """The citation as one line of text.

        Examples:
            >>> from unodc_metrics import REPORT
            >>> REPORT.text().startswith("United Nations Office on Drugs and Crime (2022).")
            True
        """
        return (
            f"{self.author} ({self.date.year}). {self.title}. {self.document}, "
            f"{self.session}, {self.venue}, {self.agenda_item}. "
            f"Dated {self.date.day} {self.date:%B %Y}."
        )


REPORT = Citation(
    author="United Nations Office on Drugs and Crime",
    title=(
        "Activities of the United Nations Office on Drugs and Crime to promote and support the "
        "implementation of the Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
        "Especially Women and Children, supplementing the United Nations Convention against "
        "Transnational Organized Crime"
    ),
    document=(
        "Report of the Secretariat to the Conference of the Parties to the United Nations "
        "Convention against Transnational Organized Crime"
    ),
    date=dt.date(2022, 7, 22),
    session="Eleventh session",
    venue="Vienna, 17-21 October 2022",
    agenda_item="Item 2 (b) of the provisional agenda",
    licence=(
        "Curated tables: CC BY 4.0, attributing unodc-metrics and UNODC. The report itself is a "
        "United Nations document, distributed generally (Distr.: General)."
    ),
)
"""The edition every figure table is taken from: the Secretariat's report of 22 July 2022."""

REPORTING_PERIOD: tuple[dt.date, dt.date] = (dt.date(2020, 10, 1), dt.date(2022, 7, 22))
"""The period the report covers: since the tenth session, "in October 2020" (paragraph 1),
to the report's date. The report gives only the month of the tenth session, so the period
opens on 1 October 2020."""

SOURCE_EDITION = REPORT.date.isoformat()
"""The edition of the source the data is built from: the date of the report."""
