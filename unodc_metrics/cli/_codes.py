"""The command's name, its exit codes, and the usage errors: the exception and table names."""

from __future__ import annotations

from unodc_metrics._catalogue import TABLES

__all__ = [
    "EXIT_CODES_HELP",
    "EXIT_FAILURE",
    "EXIT_IO",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "UsageError",
    "no_table_message",
    "table_names",
]

EXIT_OK = 0
"""Done; the file is valid; every figure is reproduced or a recorded inconsistency."""
EXIT_FAILURE = 1
"""A file is not a valid table, or ``figures --check`` found an unrecorded failure."""
EXIT_USAGE = 2
"""An unknown command, option, table name or format (argparse's own code for usage errors)."""
EXIT_IO = 3
"""A file or folder cannot be read or written."""

PROG = "unodc-metrics"
"""The command's name, as the help and every error line print it."""

EXIT_CODES_HELP = """\
exit codes:
  0  done; the file is valid; every figure is reproduced or a recorded inconsistency
  1  a file is not a valid table, or `figures --check` found a figure that fails to
     reproduce and is not a recorded inconsistency of the report
  2  usage error: unknown command, option, table name or format
  3  a file or folder cannot be read or written
"""
"""The epilog of every ``--help``: the exit codes above, in words."""


class UsageError(Exception):
    """A user's mistake in what they asked for: :func:`~unodc_metrics.cli.main` exits 2."""


def no_table_message(unknown: list[str]) -> str:
    """The error for names that are not tables: the names, then every table's name."""
    return f"no table named {', '.join(map(repr, unknown))}; the tables are: {', '.join(TABLES)}"


def table_names(names: list[str]) -> list[str]:
    """The names, if each is a table's.

    Raises:
        UsageError: If any is not; the message names them and lists the tables.
    """
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise UsageError(no_table_message(unknown))
    return list(names)
