"""Charts of the report's figures: persons by sex, and totals per year.

Both charts keep the report's caveats in view. :func:`gender_chart` draws persons of unknown
sex and the persons that the report's parts leave unreconciled as segments of their own, and
brackets the share of women where it is uncertain. :func:`totals_chart` draws the bounds of
qualified totals ("at least 49"), marks totals whose period spans years, and lists in a
caption the rows that no year holds or that were not summed.

The charts need matplotlib: ``pip install "unodc-metrics[plot]"``. Importing this module does
not import matplotlib, pandas or anything heavy; each function does so when called. Each
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API (a ``Figure``
with an Agg canvas, not ``pyplot``), so calls share no state and the code works under any
backend. Save one with ``fig.savefig("chart.png")``; in a notebook, ``%matplotlib inline``
lets a figure left at the end of a cell display itself.
"""

# The package's modules, each on one concern:
# - _gender: gender_chart, and the breakdown it draws;
# - _segments: the gender chart's bars, their labels and brackets, and its colours;
# - _totals: totals_chart, and the layout of its bars, bounds and spans;
# - _drawing: the figure, legend and caption that both charts draw alike;
# - _text: the words of both charts (numbers, periods, groups, rows left out);
# - _frames: the frames the charts take, read as pandas.

from unodc_metrics.plot._gender import gender_chart
from unodc_metrics.plot._segments import COLOURS, SEX_CATEGORIES
from unodc_metrics.plot._totals import totals_chart

__all__ = ["COLOURS", "SEX_CATEGORIES", "gender_chart", "totals_chart"]
