"""Render the page ``docs/figures.md``: every figure of the report with its status, and every
inconsistency the rules find.

The page is built from the package's public API only (:func:`unodc_metrics.figures`,
:func:`unodc_metrics.check_figures`, :func:`unodc_metrics.inconsistencies`); it is never
edited by hand. Regenerate it from the repository's root with::

    python tools/figures_page.py > docs/figures.md

``tests/test_figures.py`` checks that the committed page equals what this renders. This file
is build tooling: it does not ship in the wheel.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pandas as pd

import unodc_metrics as um
from unodc_metrics._figures import INCONSISTENCY_KINDS, STATUSES
from unodc_metrics._figures.wording import number_text, stated

__all__ = ["main", "render_figures_page"]

REGENERATE = "python tools/figures_page.py > docs/figures.md"
"""The command that regenerates the page, as the page's header says."""

_FIGURES_HEADER = "| Figure | ¶ | Stated | Unit | Phrase | Status | Method | Computed | Detail |"
_FINDINGS_HEADER = "| ¶ | Kind | Row | Figures | Detail |"


def _cell(value: Any) -> str:
    """Text fit for one cell of a Markdown table: one line, pipes escaped, missing empty."""
    if value is None or pd.isna(value):
        return ""
    return str(value).replace("\n", " ").replace("|", "\\|")


def _intro(checks: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    """The page's title, header, source and counts."""
    counts = checks["status"].value_counts().to_dict()
    first, last = um.REPORTING_PERIOD
    return [
        "# The report's figures: reproduced, stated or inconsistent",
        "",
        f"<!-- Generated from code: {REGENERATE} -->",
        "<!-- Do not edit by hand; tests/test_figures.py checks that this page is current. -->",
        "",
        f"Source: {um.REPORT.text()}",
        "",
        "Every quantitative statement of the report is a figure of `unodc_metrics.figures()`, "
        "derived from the curated tables. `unodc_metrics.check_figures()` checks each one: it "
        "is `reproduced` when a computation over other cells of the tables gives it (a sum of "
        "parts, a whole less its other parts, a count of the items listed or of the parties), "
        "`stated` when the tables only hold it as the report states it (its own cell is its "
        "only check), and `inconsistent` when a computation contradicts it. "
        "`unodc_metrics.inconsistencies()` finds where the report contradicts itself, by "
        "generic rules. "
        f"The report declares its period as {first.isoformat()} to {last.isoformat()}.",
        "",
        f"{len(checks)} figures: "
        + ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in STATUSES)
        + f". {len(found)} inconsistencies found.",
        "",
    ]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, missing values as None."""
    return [
        {str(k): None if pd.isna(v) else v for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def _figure_lines(figs: pd.DataFrame, checks: pd.DataFrame) -> list[str]:
    """The table of figures: one line per figure, with its check."""
    lines = ["## Figures", "", _FIGURES_HEADER, "|---|---:|---|---|---|---|---|---:|---|"]
    for f, c in zip(_records(figs), _records(checks), strict=True):
        assert f["figure_id"] == c["figure_id"]
        status = c["status"] if c["kind"] is None else f"{c['status']} ({c['kind']})"
        computed = "" if c["computed"] is None else number_text(float(c["computed"]))
        cells = [
            str(f["figure_id"]),
            str(f["paragraph"]),
            _cell(stated(str(f["qualifier"]), float(f["value"]))),
            _cell(f["unit"]),
            _cell(f["phrase"]),
            str(status),
            str(c["method"]),
            computed,
            _cell(c["detail"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _finding_lines(found: pd.DataFrame) -> list[str]:
    """The table of inconsistencies, or a line that says there are none."""
    kinds = ", ".join(f"`{k}`" for k in INCONSISTENCY_KINDS)
    lines = ["", "## Inconsistencies", "", f"Kinds: {kinds}.", ""]
    if found.empty:
        return [*lines, "None found."]
    lines += [_FINDINGS_HEADER, "|---:|---|---|---|---|"]
    for i in _records(found):
        ids = ", ".join(str(i["figure_ids"]).split(","))
        lines.append(
            f"| {i['paragraph']} | {i['kind']} | {i['id']} | {ids} | {_cell(i['detail'])} |"
        )
    return lines


def render_figures_page(tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """Render ``docs/figures.md``: every figure with its status, and every inconsistency.

    Args:
        tables: Frames to use instead of the shipped tables, by table name, as
            :func:`unodc_metrics.check_figures` takes them.

    Returns:
        The page's text, ending with a newline.

    Examples:
        >>> page = render_figures_page()
        >>> print(page.splitlines()[0])
        # The report's figures: reproduced, stated or inconsistent
        >>> "| TRN-05a | 5 |" in page
        True
    """
    figs = um.figures(tables)
    checks = um.check_figures(tables)
    found = um.inconsistencies(tables)
    lines = _intro(checks, found) + _figure_lines(figs, checks) + _finding_lines(found)
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write the figures page to standard output."""
    sys.stdout.write(render_figures_page())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
