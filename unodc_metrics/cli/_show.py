"""``show NAME``: one table printed, which loads and validates it (the other browsing
commands, in :mod:`._browse`, read only the catalogue)."""

from __future__ import annotations

import argparse

from unodc_metrics._tables import load
from unodc_metrics.cli._codes import EXIT_OK
from unodc_metrics.cli._output import frame_text, out, to_json
from unodc_metrics.export import table_csv, to_records

__all__ = ["show"]


def show(args: argparse.Namespace) -> int:
    """``show NAME``: the table for reading, or whole, as ``export`` writes it."""
    if args.format == "csv":
        out(table_csv(args.name))
    elif args.format == "json":
        out(to_json(to_records(args.name)))
    else:
        out(frame_text(load(args.name), max_colwidth=args.max_width))
    return EXIT_OK
