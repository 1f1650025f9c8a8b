"""The ``unodc-metrics`` command line: list, show, export and validate the tables.

Installed as the console script ``unodc-metrics``; ``python -m unodc_metrics.cli`` runs the
same :func:`main`. Run with no command, it prints a summary of the package's tables. Every
command has ``--help``. Exit codes:

- 0: done; the file is valid; every figure is reproduced or a recorded inconsistency.
- 1: a file is not a valid table (every problem is listed), or ``figures --check`` found a
  figure that fails to reproduce and is not a recorded inconsistency of the report.
- 2: a usage error: an unknown command, option, table name or format.
- 3: a file or folder cannot be read or written (missing, a folder, no permission).

Errors go to stderr, as one line that starts with ``unodc-metrics: error:``; a user's
error never prints a Python traceback.

Examples:
    >>> from unodc_metrics.cli import main
    >>> main(["show", "initiatives", "--format", "csv"])  # doctest: +ELLIPSIS
    code,name,kind,paragraphs,note
    GPTIP,Global Programme against Trafficking in Persons,programme,5,...
    0
    >>> main(["show", "no_such_table"])
    2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXIT_FAILURE", "EXIT_IO", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
"""Done; the file is valid; every figure is reproduced or a recorded inconsistency."""
EXIT_FAILURE = 1
"""A file is not a valid table, or ``figures --check`` found an unrecorded failure."""
EXIT_USAGE = 2
"""An unknown command, option, table name or format (argparse's own code for usage errors)."""
EXIT_IO = 3
"""A file or folder cannot be read or written."""

PROG = "unodc-metrics"

_EXIT_CODES = """\
exit codes:
  0  done; the file is valid; every figure is reproduced or a recorded inconsistency
  1  a file is not a valid table, or `figures --check` found a figure that fails to
     reproduce and is not a recorded inconsistency of the report
  2  usage error: unknown command, option, table name or format
  3  a file or folder cannot be read or written
"""

_VIEW_FORMATS = ("table", "csv", "json")
_QUALIFIER_WORDS = {
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "approximately": "approximately ",
}


class _UsageError(Exception):
    """A user's mistake in what they asked for: exit code 2."""


# --------------------------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _width() -> int:
    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records: ISO dates, None for missing, plain numbers."""
    import pandas as pd

    records = []
    for row in df.to_dict("records"):
        rec: dict[str, Any] = {}
        for key, value in row.items():
            if not isinstance(value, (list, tuple)) and pd.isna(value):
                rec[str(key)] = None
            elif isinstance(value, pd.Timestamp):
                rec[str(key)] = value.date().isoformat()
            elif hasattr(value, "item"):
                rec[str(key)] = value.item()
            else:
                rec[str(key)] = value
        records.append(rec)
    return records


def _frame_csv(df: pd.DataFrame) -> str:
    from unodc_metrics.export import _csv_text

    rows = [[rec[c] for c in rec] for rec in _frame_records(df)]
    return _csv_text([str(c) for c in df.columns], rows)


def _frame_text(df: pd.DataFrame, max_colwidth: int = 50, right: Sequence[str] = ()) -> str:
    """A frame as an aligned text table: numbers to the right, text to the left.

    Missing values are empty cells, dates ``YYYY-MM-DD``; cells longer than
    ``max_colwidth`` are cut and end with ``...``.
    """
    import pandas as pd

    from unodc_metrics.export import _text

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_colwidth else text[: max_colwidth - 3] + "..."

    headers = [str(c) for c in df.columns]
    rows = [[cut(_text(v)) for v in rec.values()] for rec in _frame_records(df)]
    to_right = set(right) | {
        str(c)
        for c in df.columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    }
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = []
    for cells in [headers, *rows]:
        padded = [
            cell.rjust(w) if h in to_right else cell.ljust(w)
            for h, cell, w in zip(headers, cells, widths, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def _emit(df: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        _out(_frame_csv(df))
    elif fmt == "json":
        _out(_json(_frame_records(df)))
    else:
        _out(_frame_text(df))


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def _summary(args: argparse.Namespace) -> int:
    """No command: what the package holds and where it comes from."""
    import pandas as pd

    import unodc_metrics as um

    _out(f"unodc-metrics {um.__version__}: the figures of one UNODC report, as validated tables")
    _out(f"Source: {um.REPORT.text()}")
    start, end = um.REPORTING_PERIOD
    _out(f"Reporting period: {start:%B %Y} to {end:%d %B %Y}")
    _out("")
    overview = um.tables()[["name", "kind", "rows", "title"]]
    with pd.option_context("display.max_colwidth", 60, "display.width", 120):
        _out(overview.to_string(index=False))
    figures = sum(len(um.load(name)) for name in um.FIGURE_TABLES)
    _out("")
    _out(f"{figures} figures in {len(um.FIGURE_TABLES)} tables, every one with its paragraph")
    _out("and verbatim phrase. Load one with unodc_metrics.load(name).")
    _out(f"Run `{PROG} --help` for the commands.")
    return EXIT_OK


def _tables(args: argparse.Namespace) -> int:
    import unodc_metrics as um

    overview = um.tables()
    if args.format != "table":
        _emit(overview, args.format)
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
            width=_width(),
            initial_indent=first,
            subsequent_indent=indent,
        )
        lines.extend(wrapped)
    _out("\n".join(lines))
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    import unodc_metrics as um
    from unodc_metrics import export

    if args.format == "csv":
        _out(export._csv_bytes(args.name).decode("utf-8"))
    elif args.format == "json":
        _out(_json(export.to_records(args.name)))
    else:
        _out(_frame_text(um.load(args.name), max_colwidth=args.max_width))
    return EXIT_OK


def _check_names(names: Sequence[str]) -> list[str]:
    import unodc_metrics as um

    unknown = [n for n in names if n not in um.TABLES]
    if unknown:
        raise _UsageError(
            f"no table named {', '.join(map(repr, unknown))}; "
            f"the tables are: {', '.join(um.TABLES)}"
        )
    return list(names)


def _export(args: argparse.Namespace) -> int:
    import unodc_metrics as um
    from unodc_metrics import export

    names = _check_names(args.names)
    if args.format == "dataunodc":
        other = [n for n in names if n not in um.FIGURE_TABLES]
        if other:
            raise _UsageError(
                f"the dataunodc format holds only the figure tables, not {', '.join(other)}; "
                f"the figure tables are: {', '.join(um.FIGURE_TABLES)}"
            )
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise NotADirectoryError(20, "exists and is not a folder", args.out)
    for path in export.export(args.out, args.format, names or None):
        _out(os.fspath(path))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    import unodc_metrics as um
    from unodc_metrics import export

    fmt = args.format
    if fmt is None:
        try:
            fmt = export.file_format(args.file)
        except ValueError as exc:
            raise _UsageError(f"{exc} with --format csv|parquet") from None
    try:
        valid = export.validate_file(args.file, args.table, format=fmt)
    except um.ValidationError as err:
        _out(_report(args.file, args.table, err.failures))
        _error(f"{args.file} is not a valid {args.table!r} table")
        return EXIT_FAILURE
    if not args.quiet:
        n = len(valid)
        _out(f"{args.file}: a valid {args.table!r} table, {n} row{'s' if n != 1 else ''}")
    return EXIT_OK


def _report(path: str, table: str, failures: pd.DataFrame) -> str:
    """Every failure, one line each: where (line, row, id, column), the value, the rule."""
    import pandas as pd

    n = len(failures)
    lines = [f"{path}: not a valid {table!r} table: {n} problem{'s' if n != 1 else ''} found"]
    for rec in failures.to_dict("records"):
        where = []
        if not pd.isna(rec.get("line")):
            where.append(f"line {int(rec['line'])}")
        if not pd.isna(rec["row"]):
            where.append(f"row {int(rec['row'])}")
        if not pd.isna(rec["id"]):
            where.append(f"id {rec['id']}")
        if not pd.isna(rec["column"]):
            where.append(f"column {rec['column']!r}")
        if pd.isna(rec["row"]):
            # A whole column (missing, extra, duplicated) or the whole file.
            place = ", ".join(where) if where else "the file"
            lines.append(f"  - {place}: {rec['message']}")
        else:
            lines.append(f"  - {', '.join(where)}, value {rec['value']}: {rec['message']}")
    lines.append("Rows count from 0, after the header. The file was not changed.")
    return "\n".join(lines)


def _figures(args: argparse.Namespace) -> int:
    try:
        from unodc_metrics import _figures as figures_module

        check_figures = figures_module.check_figures
    except (ImportError, AttributeError):
        _error("this version of unodc-metrics cannot check the report's figures")
        return EXIT_FAILURE
    checks = check_figures()
    stated = getattr(figures_module, "figures", None)
    if stated is not None:
        listing = stated()[["figure_id", "description", "value", "qualifier"]]
        checks = checks.merge(listing, on="figure_id", how="left", suffixes=("", "_stated"))
    if args.check:
        return _check(checks)
    if args.format != "table":
        _emit(checks, args.format)
        return EXIT_OK
    view = checks.assign(stated=[_stated(rec) for rec in _frame_records(checks)])
    columns = [c for c in ("figure_id", "paragraph", "stated", "status", "kind") if c in view]
    if "description" in view:
        columns.append("description")
    _out(_frame_text(view[columns], max_colwidth=70, right=["stated"]))
    counts = checks["status"].value_counts()
    _out(", ".join(f"{int(counts[s])} {s}" for s in counts.index) + f" of {len(checks)} figures")
    return EXIT_OK


def _stated(rec: dict[str, Any]) -> str:
    import pandas as pd

    value = rec.get("value", rec.get("expected"))
    if value is None or pd.isna(value):
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    qualifier = rec.get("qualifier")
    words = _QUALIFIER_WORDS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return words + number


def _check(checks: pd.DataFrame) -> int:
    failed = checks[checks["status"] != "reproduced"]
    unrecorded = failed[~failed["recorded"].astype(bool)]
    n = len(checks)
    _out(f"{n - len(failed)} of {n} figures reproduced from the tables.")
    for rec in failed.to_dict("records"):
        mark = "recorded" if rec["recorded"] else "NOT RECORDED"
        kind = "" if rec.get("kind") is None or _na(rec.get("kind")) else f" ({rec['kind']})"
        _out(f"  - {rec['figure_id']}: {rec['status']}{kind}, {mark}: {rec['detail']}")
    if len(unrecorded):
        one = len(unrecorded) == 1
        _error(
            f"{len(unrecorded)} figure{'' if one else 's'} {'fails' if one else 'fail'} to "
            f"reproduce and {'is not a recorded' if one else 'are not recorded'} "
            f"inconsistenc{'y' if one else 'ies'} of the report: "
            + ", ".join(map(str, unrecorded["figure_id"]))
        )
        return EXIT_FAILURE
    if len(failed):
        _out(
            "The others are recorded: inconsistencies of the report that the data flags, or "
            "figures declared not derivable."
        )
    return EXIT_OK


def _na(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _cite(args: argparse.Namespace) -> int:
    import unodc_metrics as um

    report = um.REPORT
    parties = um.metadata("parties").source
    data_title = (
        "unodc-metrics: every figure of UNODC's 2022 report on its Trafficking in Persons "
        "Protocol work, as validated, provenance-linked tables"
    )
    licence = "CC BY 4.0 (curated tables), MIT (code)"
    if args.format == "bibtex":
        _out(
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
            f"  title = {{{data_title}}},\n"
            f"  version = {{{um.__version__}}},\n"
            f"  note = {{Data set, source edition {um.SOURCE_EDITION}. Licence: {licence}}}\n"
            "}"
        )
        return EXIT_OK
    width = _width()
    blocks = [
        ("Cite the report:", report.text()),
        (
            "Cite the data:",
            f"unodc-metrics developers. {data_title}, version {um.__version__} "
            f"(source edition {um.SOURCE_EDITION}). Licence: {licence}.",
        ),
        ("The parties table is built from:", str(parties)),
    ]
    out = []
    for head, body in blocks:
        out.append(head)
        out.extend(textwrap.wrap(body, width=width, initial_indent="  ", subsequent_indent="  "))
        out.append("")
    _out("\n".join(out).rstrip())
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


def _table_name(value: str) -> str:
    import unodc_metrics as um

    if value not in um.TABLES:
        raise argparse.ArgumentTypeError(
            f"no table named {value!r}; the tables are: {', '.join(um.TABLES)}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``unodc-metrics`` command.

    Examples:
        >>> from unodc_metrics.cli import build_parser
        >>> args = build_parser().parse_args(["validate", "x.csv", "--table", "arrests"])
        >>> args.command, args.file, args.table
        ('validate', 'x.csv', 'arrests')
    """
    import unodc_metrics as um
    from unodc_metrics.export import FILE_FORMATS, FORMATS

    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=textwrap.fill(
            "Every figure of UNODC's 2022 report on its Trafficking in Persons Protocol work, "
            "as validated tables. With no command, print a summary of the tables.",
            width=88,
        ),
        epilog=_EXIT_CODES,
        formatter_class=formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {um.__version__} (source edition {um.SOURCE_EDITION})",
    )
    parser.set_defaults(run=_summary, command=None)
    sub = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        if "\n" not in description:
            description = textwrap.fill(description, width=88)
        p: argparse.ArgumentParser = sub.add_parser(
            name,
            help=summary,
            description=description,
            epilog=_EXIT_CODES,
            formatter_class=formatter,
        )
        return p

    p = command(
        "tables",
        "list the tables, with their descriptions and row counts",
        "List the tables, with their kind, row count, title and description.",
    )
    p.add_argument("--format", choices=_VIEW_FORMATS, default="table", help="default: table")
    p.set_defaults(run=_tables)

    p = command(
        "show",
        "print one table",
        "Print one table. 'table' is for reading (long cells are cut to --max-width); "
        "'csv' and 'json' print the whole table, as `export` writes it.",
    )
    p.add_argument(
        "name", metavar="NAME", type=_table_name, help="a table: " + ", ".join(um.TABLES)
    )
    p.add_argument("--format", choices=_VIEW_FORMATS, default="table", help="default: table")
    p.add_argument(
        "--max-width",
        type=int,
        default=40,
        metavar="N",
        help="with --format table, cut cells to N characters (default: 40)",
    )
    p.set_defaults(run=_show)

    p = command(
        "export",
        "write tables to files",
        textwrap.dedent(
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
            """
        ),
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="tables to write (default: all)")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    p.set_defaults(run=_export)

    p = command(
        "validate",
        "check a CSV or Parquet file against a table's schema",
        "Check a CSV or Parquet file against a table's schema: every cell's type and every "
        "rule. Exit 0 when the file is valid; otherwise list every problem (line, row, id, "
        "column, value, rule) and exit 1. The file is only read, never changed.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--table", required=True, type=_table_name, metavar="NAME")
    p.add_argument(
        "--format",
        choices=FILE_FORMATS,
        default=None,
        help="the file's format (default: from its suffix, .csv or .parquet)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when it is valid")
    p.set_defaults(run=_validate)

    p = command(
        "figures",
        "the report's figures and whether the tables reproduce them",
        "List the report's figures with their status: reproduced, inconsistent (the report "
        "contradicts itself) or not_derivable. With --check, print only the figures that do "
        "not reproduce, and exit 1 when any of them is not a recorded inconsistency of the "
        "report.",
    )
    p.add_argument("--check", action="store_true", help="exit 1 on an unrecorded failure")
    p.add_argument("--format", choices=_VIEW_FORMATS, default="table", help="default: table")
    p.set_defaults(run=_figures)

    p = command(
        "cite",
        "how to cite the report and the data",
        "Print the citation of the report and of the data.",
    )
    p.add_argument("--format", choices=("text", "bibtex"), default="text", help="default: text")
    p.set_defaults(run=_cite)
    return parser


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _os_message(exc: OSError) -> str:
    target = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return f"{target}: {reason}" if target else reason


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: The arguments, without the program's name; ``None`` means ``sys.argv[1:]``.

    Returns:
        The exit code: 0 done, 1 not valid or an unrecorded figure failure, 2 a usage
        error, 3 a file that cannot be read or written.

    Examples:
        >>> from unodc_metrics.cli import main
        >>> main(["cite"])  # doctest: +ELLIPSIS
        Cite the report:
          United Nations Office on Drugs and Crime (2022). Activities of ...
        0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_FAILURE
    except _UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _error(f"cannot read or write {_os_message(exc)}")
        return EXIT_IO
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
