"""The ``unodc-metrics`` command line: list, show, export and validate the tables.

Installed as the console script ``unodc-metrics``; ``python -m unodc_metrics`` and
``python -m unodc_metrics.cli`` run the same :func:`main`. Run with no command, it prints a
summary of the package's tables. Every command has ``--help``. Exit codes:

- 0: done; the file is valid; every figure is reproduced or a recorded inconsistency.
- 1: a file is not a valid table (every problem is listed), or ``figures --check`` found a
  figure that fails to reproduce and is not a recorded inconsistency of the report.
- 2: a usage error: an unknown command, option, table name or format.
- 3: a file or folder cannot be read or written (missing, a folder, no permission).

Errors go to stderr, as one line that starts with ``unodc-metrics: error:``; a user's
error never prints a Python traceback.

The package's modules, each one concern:

- ``_codes``: the exit codes, the command's name and the usage errors;
- ``_output``: lines to stdout and errors to stderr; frames as aligned text, CSV or JSON;
- ``_browse``: the summary, ``tables`` and ``cite``, from the catalogue alone;
- ``_show``: ``show``;
- ``_files``: ``export`` and ``validate``;
- ``_figure_checks``: ``figures``, and :func:`report_checks` for ``figures --check``;
- ``_parser``: :func:`build_parser`, one step per command;
- ``_main``: :func:`main`.

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

from typing import TYPE_CHECKING, Any

from unodc_metrics.cli._codes import EXIT_FAILURE, EXIT_IO, EXIT_OK, EXIT_USAGE, PROG
from unodc_metrics.cli._main import main
from unodc_metrics.cli._parser import build_parser

if TYPE_CHECKING:
    from unodc_metrics.cli._figure_checks import report_checks

__all__ = [
    "EXIT_FAILURE",
    "EXIT_IO",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "build_parser",
    "main",
    "report_checks",
]


def __getattr__(name: str) -> Any:
    # report_checks needs the figures layer; the command line loads it only for `figures`.
    if name == "report_checks":
        from unodc_metrics.cli._figure_checks import report_checks

        return report_checks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
