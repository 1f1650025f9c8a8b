"""The entry point: parse, run the command, and turn a user's error into one line and a code."""

from __future__ import annotations

import os
import sys

from unodc_metrics.cli._codes import EXIT_FAILURE, EXIT_IO, EXIT_USAGE, UsageError
from unodc_metrics.cli._output import error
from unodc_metrics.cli._parser import build_parser

__all__ = ["main"]


def _os_message(exc: OSError) -> str:
    """What could not be read or written, and why: ``path: reason``."""
    target = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return f"{target}: {reason}" if target else reason


def _silence_stdout() -> None:
    """The reader of our output went away (``| head``): send what is left nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
        _silence_stdout()
        return EXIT_FAILURE
    except UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        error(f"cannot read or write {_os_message(exc)}")
        return EXIT_IO
    except KeyboardInterrupt:
        return 130
    return code
