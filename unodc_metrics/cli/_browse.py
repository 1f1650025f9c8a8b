"""The commands that read the package's catalogue: the summary, ``tables`` and ``cite``.

Each takes the parsed arguments and returns an exit code; :mod:`._parser` wires them to
their sub-parsers.
"""

from __future__ import annotations

import argparse
import textwrap

from unodc_metrics._base.source import REPORT, REPORTING_PERIOD, SOURCE_EDITION
from unodc_metrics._base.version import __version__
from unodc_metrics._catalogue import FIGURE_TABLES, metadata, shape
from unodc_metrics._catalogue.overview import tables
from unodc_metrics.cli._codes import EXIT_OK, PROG
from unodc_metrics.cli._output import emit, out, terminal_width

__all__ = ["cite", "show_tables", "summary"]

_DATA_TITLE = (
    "unodc-metrics: every figure of UNODC's 2022 report on its Trafficking in Persons "
    "Protocol work, as validated, provenance-linked tables"
)
_LICENCE = "CC BY 4.0 (curated tables), MIT (code)"


def summary(args: argparse.Namespace) -> int:
    """No command: what the package holds and where it comes from."""
    import pandas as pd

    out(f"unodc-metrics {__version__}: the figures of one UNODC report, as validated tables")
    out(f"Source: {REPORT.text()}")
    start, end = REPORTING_PERIOD
    out(f"Reporting period: {start:%B %Y} to {end:%d %B %Y}")
    out("")
    overview = tables()[["name", "kind", "rows", "title"]]
    with pd.option_context("display.max_colwidth", 60, "display.width", 120):
        out(overview.to_string(index=False))
    figures = sum(shape(name)[0] for name in FIGURE_TABLES)
    out("")
    out(f"{figures} figures in {len(FIGURE_TABLES)} tables, every one with its paragraph")
    out("and verbatim phrase. Load one with unodc_metrics.load(name).")
    out(f"Run `{PROG} --help` for the commands.")
    return EXIT_OK


def show_tables(args: argparse.Namespace) -> int:
    """``tables``: one entry per table, its description wrapped to the terminal's width."""
    overview = tables()
    if args.format != "table":
        emit(overview, args.format)
        return EXIT_OK
    name_w = max(len("name"), *(len(n) for n in overview["name"]))
    kind_w = max(len("kind"), *(len(k) for k in overview["kind"]))
    head = f"{'name':<{name_w}}  {'kind':<{kind_w}}  {'rows':>4}  "
    indent = " " * len(head)
    lines = [head + "description"]
    for rec in overview.itertuples(index=False):
        first = f"{rec.name:<{name_w}}  {rec.kind:<{kind_w}}  {rec.rows:>4}  "
        wrapped = textwrap.wrap(
            f"{rec.title}. {rec.description}",
            width=terminal_width(),
            initial_indent=first,
            subsequent_indent=indent,
        )
        lines.extend(wrapped)
    out("\n".join(lines))
    return EXIT_OK


def _bibtex() -> str:
    report = REPORT
    return (
        "@techreport{unodc2022tip,\n"
        f"  author = {{{{{report.author}}}}},\n"
        f"  title = {{{report.title}}},\n"
        f"  institution = {{{report.author}}},\n"
        f"  type = {{{report.document}}},\n"
        f"  note = {{{report.session}, {report.venue}. {report.agenda_item}}},\n"
        f"  year = {{{report.date.year}}},\n"
        f"  month = {{{report.date:%B}}},\n"
        f"  day = {{{report.date.day}}}\n"
        "}\n\n"
        "@misc{unodcmetrics,\n"
        "  author = {{unodc-metrics developers}},\n"
        f"  title = {{{_DATA_TITLE}}},\n"
        f"  version = {{{__version__}}},\n"
        f"  note = {{Data set, source edition {SOURCE_EDITION}. Licence: {_LICENCE}}}\n"
        "}"
    )


def _citation_text() -> str:
    blocks = [
        ("Cite the report:", REPORT.text()),
        (
            "Cite the data:",
            f"unodc-metrics developers. {_DATA_TITLE}, version {__version__} "
            f"(source edition {SOURCE_EDITION}). Licence: {_LICENCE}.",
        ),
        ("The parties table is built from:", str(metadata("parties").source)),
    ]
    width = terminal_width()
    lines = []
    for head, body in blocks:
        lines.append(head)
        lines.extend(textwrap.wrap(body, width=width, initial_indent="  ", subsequent_indent="  "))
        lines.append("")
    return "\n".join(lines).rstrip()


def cite(args: argparse.Namespace) -> int:
    """``cite``: the citation of the report and of the data, as text or BibTeX."""
    out(_bibtex() if args.format == "bibtex" else _citation_text())
    return EXIT_OK
