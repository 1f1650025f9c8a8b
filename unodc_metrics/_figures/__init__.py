"""The figures layer: the report's figures, derived from the curated tables, and their checks.

One source of truth: the curated tables hold every number. :func:`figures` derives the list of
the report's quantitative statements from them, :func:`check_figures` checks each one by the
computations over the tables that it allows (``reproduced`` when one over other cells than
its own gives it, ``stated`` when none does, ``inconsistent`` when one contradicts it), and
:func:`inconsistencies` applies generic rules that find the places where the report
contradicts itself.

- :mod:`._context`: the tables a computation reads, as frames and as plain rows;
- :mod:`._listing`: the figures list (:func:`figures`, :data:`FIGURE_COLUMNS`);
- :mod:`._parts`: parts and wholes, the splits that the tables record;
- :mod:`._dates`: the days that a period's words name;
- :mod:`._percent`: percentages, and the counts each allows;
- :mod:`._inconsistencies`: the rules of :func:`inconsistencies`;
- :mod:`._methods` and :mod:`._checks`: the computations that check a figure, and
  :func:`check_figures`;
- :mod:`.wording`: how a figure is written in words.

:func:`check_one` and :class:`NoSuchFigure` serve :mod:`unodc_metrics.testing`. The page
``docs/figures.md`` is rendered from these functions by ``tools/figures_page.py``, outside
the package::

    python tools/figures_page.py > docs/figures.md

Nothing here reads data or imports pandas at import time.
"""

from unodc_metrics._figures._checks import (
    NOT_DERIVABLE,
    STATUSES,
    NoSuchFigure,
    check_figures,
    check_one,
)
from unodc_metrics._figures._inconsistencies import INCONSISTENCY_KINDS, inconsistencies
from unodc_metrics._figures._listing import FIGURE_COLUMNS, figures

__all__ = [
    "FIGURE_COLUMNS",
    "INCONSISTENCY_KINDS",
    "NOT_DERIVABLE",
    "STATUSES",
    "NoSuchFigure",
    "check_figures",
    "check_one",
    "figures",
    "inconsistencies",
]
