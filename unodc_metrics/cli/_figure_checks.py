"""The ``figures`` command: the report's figures, and whether the tables reproduce or only state
them."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any

from unodc_metrics._base.values import is_missing
from unodc_metrics._figures import STATUSES, check_figures, figures
from unodc_metrics.cli._codes import EXIT_FAILURE, EXIT_OK
from unodc_metrics.cli._output import emit, error, frame_records, frame_text, out

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["list_figures", "report_checks"]

_QUALIFIER_WORDS = {
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "approximately": "approximately ",
}


def list_figures(args: argparse.Namespace) -> int:
    """``figures``: every figure with its status; with ``--check``, :func:`report_checks`."""
    listing = figures()[["figure_id", "description", "value", "qualifier"]]
    checks = check_figures().merge(listing, on="figure_id", how="left", suffixes=("", "_stated"))
    if args.check:
        return report_checks(checks)
    if args.format != "table":
        emit(checks, args.format)
        return EXIT_OK
    view = checks.assign(stated=[_stated(rec) for rec in frame_records(checks)])
    columns = ["figure_id", "paragraph", "stated", "status", "kind", "description"]
    out(frame_text(view[columns], max_colwidth=70, right=["stated"]))
    counts = checks["status"].value_counts().to_dict()
    order = [s for s in STATUSES if s in counts] + sorted(
        str(s) for s in counts if s not in STATUSES
    )
    out(", ".join(f"{int(counts[s])} {s}" for s in order) + f" of {len(checks)} figures")
    return EXIT_OK


def _stated(rec: dict[str, Any]) -> str:
    """The figure as the report states it: ``at least 2,776``; empty when it has no value."""
    value: Any = rec.get("value", rec.get("expected"))
    if is_missing(value):
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    qualifier = rec.get("qualifier")
    words = _QUALIFIER_WORDS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return words + number


def _failed_line(rec: dict[Any, Any]) -> str:
    mark = "recorded" if rec["recorded"] else "NOT RECORDED"
    kind = "" if is_missing(rec.get("kind")) else f" ({rec['kind']})"
    return f"  - {rec['figure_id']}: {rec['status']}{kind}, {mark}: {rec['detail']}"


def _unrecorded_message(figure_ids: list[str]) -> str:
    one = len(figure_ids) == 1
    return (
        f"{len(figure_ids)} figure{'' if one else 's'} {'fails' if one else 'fail'} to "
        f"reproduce and {'is not a recorded' if one else 'are not recorded'} "
        f"inconsistenc{'y' if one else 'ies'} of the report: " + ", ".join(figure_ids)
    )


def _counts_line(checks: pd.DataFrame) -> str:
    """How many figures have each status: reproduced first, then the others."""
    counts = checks["status"].value_counts().to_dict()
    others = [s for s in STATUSES if s != "reproduced"]
    others += sorted(str(s) for s in counts if s not in STATUSES)
    rest = ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in others)
    return (
        f"{counts.get('reproduced', 0)} of {len(checks)} figures reproduced by a computation "
        f"over other cells of the tables; {rest}."
    )


def report_checks(checks: pd.DataFrame) -> int:
    """Print the report of ``figures --check`` for a frame of checks, and return the exit code.

    The report, on stdout, counts the figures of each status, lists each one that is
    inconsistent or not derivable, with its kind, whether it is recorded, and the detail,
    then names the stated ones. When any listed figure is not recorded, one error line on
    stderr names them, and the exit code is 1. A stated figure is no failure: the tables
    hold it as the report states it, though nothing recomputes it.

    Args:
        checks: One row per figure, as :func:`unodc_metrics.check_figures` returns them:
            the columns ``figure_id``, ``status`` (``reproduced``, ``stated``,
            ``inconsistent`` or ``not_derivable``), ``recorded`` (a recorded inconsistency of
            the report, or a figure declared not derivable) and ``detail``; ``kind``, when
            present, is printed after the status.

    Returns:
        :data:`~unodc_metrics.cli.EXIT_OK` when every figure is reproduced, stated or
        recorded, else :data:`~unodc_metrics.cli.EXIT_FAILURE`.

    Examples:
        >>> import pandas as pd
        >>> from unodc_metrics.cli import report_checks
        >>> checks = pd.DataFrame(
        ...     {
        ...         "figure_id": ["TRN-05a", "TRN-05b", "ARR-05a", "ARR-05b"],
        ...         "status": ["reproduced", "inconsistent", "stated", "not_derivable"],
        ...         "kind": [None, "sum", None, None],
        ...         "recorded": [True, True, True, False],
        ...         "detail": ["", "the parts add up to 2,777", "lookup", "no table holds it"],
        ...     }
        ... )
        >>> report_checks(checks.head(3))  # doctest: +ELLIPSIS
        1 of 3 figures reproduced by a computation over other cells of the tables; 1 stated, ...
          - TRN-05b: inconsistent (sum), recorded: the parts add up to 2,777
        These are recorded: inconsistencies of the report that the data flags, or figures ...
        Stated, with no computation over other cells to give them: ARR-05a
        0
        >>> report_checks(checks)  # doctest: +ELLIPSIS
        1 of 4 figures reproduced by a computation over other cells of the tables; 1 stated, ...
          - TRN-05b: inconsistent (sum), recorded: the parts add up to 2,777
          - ARR-05b: not_derivable, NOT RECORDED: no table holds it
        Stated, with no computation over other cells to give them: ARR-05a
        1
    """
    failed = checks[~checks["status"].isin(["reproduced", "stated"])]
    stated_ids = [str(i) for i in checks.loc[checks["status"] == "stated", "figure_id"]]
    unrecorded = failed[~failed["recorded"].astype(bool)]
    out(_counts_line(checks))
    for rec in failed.to_dict("records"):
        out(_failed_line(rec))
    if len(failed) and not len(unrecorded):
        out(
            "These are recorded: inconsistencies of the report that the data flags, or "
            "figures declared not derivable."
        )
    if stated_ids:
        words = "Stated, with no computation over other cells to give them: "
        out(textwrap.fill(words + ", ".join(stated_ids), width=100, subsequent_indent="  "))
    if len(unrecorded):
        error(_unrecorded_message([str(i) for i in unrecorded["figure_id"]]))
        return EXIT_FAILURE
    return EXIT_OK
