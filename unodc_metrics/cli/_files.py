"""The commands that write or read files: ``export`` and ``validate``.

Each takes the parsed arguments and returns an exit code; :mod:`._parser` wires them to
their sub-parsers. A file that cannot be read or written raises :class:`OSError`, which
:func:`~unodc_metrics.cli.main` turns into exit code 3.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.errors import ValidationError
from unodc_metrics._base.values import is_missing
from unodc_metrics._catalogue import FIGURE_TABLES
from unodc_metrics.cli._codes import EXIT_FAILURE, EXIT_OK, UsageError, table_names
from unodc_metrics.cli._output import error, out
from unodc_metrics.export import export, file_format, validate_file

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["export_tables", "failure_report", "validate_table_file"]


def export_tables(args: argparse.Namespace) -> int:
    """``export [NAME ...] --format FORMAT --out DIR``: one path printed per file written."""
    names = table_names(args.names)
    if args.format in ("dataunodc", "sdmx", "sdmx-csv"):
        other = [n for n in names if n not in FIGURE_TABLES]
        if other:
            raise UsageError(
                f"the {args.format} format holds only the figure tables, not {', '.join(other)}; "
                f"the figure tables are: {', '.join(FIGURE_TABLES)}"
            )
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise NotADirectoryError(20, "exists and is not a folder", args.out)
    for path in export(args.out, args.format, names or None):
        out(os.fspath(path))
    return EXIT_OK


def validate_table_file(args: argparse.Namespace) -> int:
    """``validate FILE --table NAME``: exit 0 when valid, else every problem and exit 1."""
    fmt = args.format
    if fmt is None:
        try:
            fmt = file_format(args.file)
        except ValueError as exc:
            raise UsageError(f"{exc} with --format csv|parquet|json") from None
    try:
        valid = validate_file(
            args.file,
            args.table,
            format=fmt,
            contract=args.contract,
            max_failures=args.max_failures,
        )
    except ValidationError as err:
        out(failure_report(args.file, args.table, err.failures, err.counts))
        error(f"{args.file} is not a valid {args.table!r} table")
        return EXIT_FAILURE
    if not args.quiet:
        n = len(valid)
        out(f"{args.file}: a valid {args.table!r} table, {n} row{'s' if n != 1 else ''}")
    return EXIT_OK


def _place(rec: dict[Any, Any]) -> list[str]:
    """Where a failure is: its line, row, id and column, those that it has."""
    where = []
    if not is_missing(rec.get("line")):
        where.append(f"line {int(rec['line'])}")
    if not is_missing(rec["row"]):
        where.append(f"row {int(rec['row'])}")
    if not is_missing(rec["id"]):
        where.append(f"id {rec['id']}")
    if not is_missing(rec["column"]):
        where.append(f"column {rec['column']!r}")
    return where


def failure_report(
    path: str, table: str, failures: pd.DataFrame, counts: pd.DataFrame | None = None
) -> str:
    """Every failure listed, one line each: where (line, row, id, column), the value, the
    rule; then, from ``counts`` (:attr:`ValidationError.counts`), one line per rule: how
    many rows fail it."""
    by_rule = _by_rule(failures if counts is None else counts)
    n = sum(by_rule.values())
    lines = [f"{path}: not a valid {table!r} table: {n:,} problem{'s' if n != 1 else ''} found"]
    for rec in failures.to_dict("records"):
        where = _place(rec)
        if is_missing(rec["row"]):
            # A whole column (missing, extra, duplicated) or the whole file.
            place = ", ".join(where) if where else "the file"
            lines.append(f"  - {place}: {rec['message']}")
        else:
            lines.append(f"  - {', '.join(where)}, value {rec['value']}: {rec['message']}")
    lines.append("By rule:")
    lines += [f"  {rule}: {count:,}" for rule, count in by_rule.items()]
    lines.append("Rows count from 0, after the header. The file was not changed.")
    return "\n".join(lines)


def _by_rule(counts: pd.DataFrame) -> dict[str, int]:
    """How many problems each rule found, over its columns."""
    if "failing" not in counts.columns:  # a failure frame: one row per problem
        return {str(k): int(v) for k, v in counts.groupby("rule").size().items()}
    return {str(k): int(v) for k, v in counts.groupby("rule")["failing"].sum().items()}
