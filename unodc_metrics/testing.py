"""Assertions for test suites that rely on the report's figures.

Pin the figures your analysis uses, so that a change of the data that breaks one fails your
tests rather than your results::

    import pytest
    from unodc_metrics.testing import assert_reproduces

    @pytest.mark.parametrize("figure_id", ["TRN-06a", "RES-05a", "PST-02a"])
    def test_figure_reproduces(figure_id):
        assert_reproduces(figure_id)

Nothing here reads data or imports pandas at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from unodc_metrics._figures import NoSuchFigure, check_one

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["assert_reproduces"]


def assert_reproduces(
    figure_id: str,
    *,
    allow_recorded: bool = False,
    allow_stated: bool = False,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """Assert that a figure of the report is reproduced by a computation over the tables.

    The check is the figure's row of :func:`unodc_metrics.check_figures`. By default only
    the status ``reproduced`` passes: a computation over other cells than the figure's own
    gives it, so a change of the data that breaks it fails. A ``stated`` figure fails: the
    tables hold it, but nothing recomputes it, so pinning it pins little; with
    ``allow_stated=True`` it passes. With ``allow_recorded=True``, a figure that is
    ``inconsistent`` or ``not_derivable`` passes too, provided the data records it: the
    ``flags`` of an inconsistent figure's row (or of the whole it is a part of) name the kind
    (TRN-05a, whose parts add up to 2,772 against a stated 2,776, is
    ``parts_short_of_total``), and a figure not derivable is listed, with its reason, in
    ``unodc_metrics._figures.NOT_DERIVABLE``. Use it to accept the report's known
    contradictions while still failing on new ones.

    Args:
        figure_id: The figure's id, as in :func:`unodc_metrics.figures` (``"TRN-05a"``,
            ``"TRN-68a.female_percent"``).
        allow_recorded: Also accept an ``inconsistent`` or ``not_derivable`` status that the
            data records.
        allow_stated: Also accept the status ``stated``.
        tables: Frames to check instead of the shipped tables, by table name, as
            :func:`unodc_metrics.check_figures` takes them.

    Raises:
        AssertionError: If the figure does not exist, or its status is not accepted; the
            message gives the status, the expected and computed values, and the computation.
        LookupError: If ``tables`` names a table that does not exist.

    Examples:
        >>> from unodc_metrics.testing import assert_reproduces
        >>> assert_reproduces("TRN-06a")
        >>> assert_reproduces("TRN-05a")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        AssertionError: figure TRN-05a (paragraph 5) is inconsistent (parts_short_of_total, ...
        >>> assert_reproduces("TRN-05a", allow_recorded=True)
        >>> assert_reproduces("ARR-05a")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        AssertionError: figure ARR-05a (paragraph 5) is stated, not reproduced: no computation ...
        >>> assert_reproduces("ARR-05a", allow_stated=True)
        >>> assert_reproduces("TRN-99z")
        Traceback (most recent call last):
        ...
        AssertionError: no figure 'TRN-99z' among unodc_metrics.figures()
    """
    try:
        check = check_one(figure_id, tables)
    except NoSuchFigure as error:
        raise AssertionError(str(error)) from None
    status = check["status"]
    if status == "reproduced":
        return
    if status == "stated":
        if allow_stated:
            return
        raise AssertionError(
            f"figure {figure_id} (paragraph {check['paragraph']}) is stated, not reproduced: "
            "no computation over other cells of the tables gives it, so a change of its value "
            f"would go unnoticed. {check['detail']}. Pass allow_stated=True to accept a figure "
            "that the tables only state."
        )
    if allow_recorded and check["recorded"]:
        return
    kind = f"{check['kind']}, " if check["kind"] is not None else ""
    recorded = "recorded in the data" if check["recorded"] else "NOT recorded in the data"
    message = (
        f"figure {figure_id} (paragraph {check['paragraph']}) is {status} ({kind}{recorded}): "
        f"expected {_number(check['expected'])}, computed {_number(check['computed'])}. "
        f"{check['detail']}."
    )
    if check["recorded"]:
        message += " Pass allow_recorded=True to accept a recorded status."
    elif status == "inconsistent":
        message += (
            f" Fix the data, or record the inconsistency in the row's flags ({check['kind']})."
        )
    else:
        message += " Fix the data, or list the figure with a reason in NOT_DERIVABLE."
    raise AssertionError(message)


def _number(value: object) -> str:
    if value is None:
        return "nothing"
    number = float(str(value))
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"
