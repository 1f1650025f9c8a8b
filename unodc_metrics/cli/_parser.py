"""The argument parser, built in named steps: the main parser, then one step per command.

Each step adds one sub-parser, with its help, its options and the function that runs it
(``run``, set as a default); :func:`~unodc_metrics.cli.main` calls ``args.run(args)``. The
function is imported only when its command runs, so that ``tables`` or ``cite`` does not
load the figures, the validation layer or pandera.
"""

from __future__ import annotations

import argparse
import importlib
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from unodc_metrics._base.source import SOURCE_EDITION
from unodc_metrics._base.version import __version__
from unodc_metrics._catalogue import TABLES
from unodc_metrics.cli._codes import EXIT_CODES_HELP, PROG, no_table_message
from unodc_metrics.cli._output import VIEW_FORMATS
from unodc_metrics.export import FILE_FORMATS, FORMATS

__all__ = ["build_parser"]

if TYPE_CHECKING:
    from typing import TypeAlias

    _Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    """What ``add_subparsers`` returns: each step adds its command to it."""

_FORMATTER = argparse.RawDescriptionHelpFormatter

_EXPORT_DESCRIPTION = textwrap.dedent(
    """\
    Write tables into a folder (created if missing; files of the same names are
    replaced). With no NAME, write all the tables. One path is printed per file.

    formats:
      parquet      NAME.parquet: Arrow types (date32 dates, int64 counts), with the
                   column descriptions, units and table metadata in the schema
      csv          NAME.csv: schema column order, ISO dates, true/false, empty = missing
      json         NAME.json: an array of records, ISO dates, null = missing
      datapackage  a Frictionless data package: datapackage.json and NAME.csv files
      dataunodc    dataunodc.csv: the figure tables in dataUNODC's 13-column long
                   format (all the figure tables when no NAME is given)
      sdmx         NAME.sdmx.xml (SDMX-ML 2.1 structure-specific data) and its
                   structure NAME.dsd.xml, per figure table (extra: sdmx)
      sdmx-csv     NAME.sdmx.csv (SDMX-CSV 2.0) and NAME.dsd.xml, per figure table
    """
)


def _later(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command function ``name`` of ``unodc_metrics.cli.<module>``, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"unodc_metrics.cli.{module}"), name
        )
        return command(args)

    return run


def _table_name(value: str) -> str:
    """The ``type`` of a NAME argument: the name, if it is a table's."""
    if value not in TABLES:
        raise argparse.ArgumentTypeError(no_table_message([value]))
    return value


def _command(
    commands: _Commands,
    name: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """Add one command's sub-parser; a one-line description is wrapped to 88 columns."""
    if "\n" not in description:
        description = textwrap.fill(description, width=88)
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EXIT_CODES_HELP,
        formatter_class=_FORMATTER,
    )
    return parser


def _view_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=VIEW_FORMATS, default="table", help="default: table")


def _add_tables(commands: _Commands) -> None:
    p = _command(
        commands,
        "tables",
        "list the tables, with their descriptions and row counts",
        "List the tables, with their kind, row count, title and description.",
    )
    _view_format(p)
    p.set_defaults(run=_later("_browse", "show_tables"))


def _add_show(commands: _Commands) -> None:
    p = _command(
        commands,
        "show",
        "print one table",
        "Print one table. 'table' is for reading (long cells are cut to --max-width); "
        "'csv' and 'json' print the whole table, as `export` writes it.",
    )
    p.add_argument("name", metavar="NAME", type=_table_name, help="a table: " + ", ".join(TABLES))
    _view_format(p)
    p.add_argument(
        "--max-width",
        type=int,
        default=40,
        metavar="N",
        help="with --format table, cut cells to N characters (default: 40)",
    )
    p.set_defaults(run=_later("_show", "show"))


def _add_export(commands: _Commands) -> None:
    p = _command(commands, "export", "write tables to files", _EXPORT_DESCRIPTION)
    p.add_argument("names", nargs="*", metavar="NAME", help="tables to write (default: all)")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    p.set_defaults(run=_later("_files", "export_tables"))


def _count(text: str) -> int:
    """A count of 0 or more, for an option."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, not {text!r}")
    return int(text)


def _add_validate(commands: _Commands) -> None:
    p = _command(
        commands,
        "validate",
        "check a CSV, Parquet or JSON file against a table's contract",
        "Check a CSV (also .csv.gz), Parquet or JSON file against a table's contract: every "
        "cell's type and every rule, as unodc_metrics.validate checks a frame. Exit 0 when "
        "the file is valid; otherwise list the problems (line, row, id, column, value, rule), "
        "at most --max-failures of each rule, then one summary line per rule, and exit 1. "
        "The file is only read, never changed.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--table", required=True, type=_table_name, metavar="NAME")
    p.add_argument(
        "--format",
        choices=FILE_FORMATS,
        default=None,
        help="the file's format (default: from its suffix, .csv, .csv.gz, .parquet, .json)",
    )
    p.add_argument(
        "--contract",
        choices=("report", "records"),
        default="report",
        help="report: the report's tables, provenance and all (default); records: a figure "
        "table's contract for your own records, with no provenance",
    )
    p.add_argument(
        "--max-failures",
        type=_count,
        default=20,
        metavar="N",
        help="list at most N failures per rule (default 20; 0 lists all); every failing row "
        "is counted",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when it is valid")
    p.set_defaults(run=_later("_files", "validate_table_file"))


def _add_figures(commands: _Commands) -> None:
    p = _command(
        commands,
        "figures",
        "the report's figures and whether the tables reproduce them",
        "List the report's figures with their status: reproduced, inconsistent (the report "
        "contradicts itself) or not_derivable. With --check, print only the figures that do "
        "not reproduce, and exit 1 when any of them is not a recorded inconsistency of the "
        "report.",
    )
    p.add_argument("--check", action="store_true", help="exit 1 on an unrecorded failure")
    _view_format(p)
    p.set_defaults(run=_later("_figure_checks", "list_figures"))


def _add_cite(commands: _Commands) -> None:
    p = _command(
        commands,
        "cite",
        "how to cite the report and the data",
        "Print the citation of the report and of the data.",
    )
    p.add_argument("--format", choices=("text", "bibtex"), default="text", help="default: text")
    p.set_defaults(run=_later("_browse", "cite"))


_COMMANDS: tuple[Callable[[_Commands], None], ...] = (
    _add_tables,
    _add_show,
    _add_export,
    _add_validate,
    _add_figures,
    _add_cite,
)
"""The steps that add the commands, in the order ``--help`` lists them."""


def _main_parser() -> argparse.ArgumentParser:
    """The parser of the command itself: its description, ``--version`` and the summary."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=textwrap.fill(
            "Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work, "
            "as validated tables. With no command, print a summary of the tables.",
            width=88,
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=_FORMATTER,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__} (source edition {SOURCE_EDITION})",
    )
    parser.set_defaults(run=_later("_browse", "summary"), command=None)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``unodc-metrics`` command.

    Examples:
        >>> from unodc_metrics.cli import build_parser
        >>> args = build_parser().parse_args(["validate", "x.csv", "--table", "arrests"])
        >>> args.command, args.file, args.table
        ('validate', 'x.csv', 'arrests')
    """
    parser = _main_parser()
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for add in _COMMANDS:
        add(commands)
    return parser
