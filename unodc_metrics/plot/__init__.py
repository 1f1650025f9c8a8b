"""Charts of the report's figures: persons by sex, and totals per year.

Both charts keep the report's caveats in view, and never draw a total that may count the
same persons twice as one bar. :func:`gender_chart` draws one bar per row of a breakdown,
as shares of its own total, with its size ``n`` beside it; persons of unknown sex and the
persons that the report's parts leave unreconciled are segments of their own, a count that
no row states is not drawn (never as 0), a total that is a range is drawn as its interval,
and a bracket spans the share of women where it is uncertain. :func:`totals_chart` draws the
bounds of qualified totals ("at least 49"), draws a year that has no one total as an
interval, marks totals whose period spans years, and lists in a caption the rows counted
though outside the reporting period, the rows that no year holds, and those not summed.

The charts need matplotlib: ``pip install "unodc-metrics[plot]"``. Importing this module does
not import matplotlib, pandas or anything heavy; each function does so when called. Each
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API (a ``Figure``
with an Agg canvas, not ``pyplot``), so calls share no state and the code works under any
backend. Save one with ``fig.savefig("chart.png")``; in a notebook, ``%matplotlib inline``
lets a figure left at the end of a cell display itself.
"""

# The package's modules, each on one concern:
# - _gender: gender_chart, the breakdown it draws, its axes and legend;
# - _bars: what each row of a breakdown lets a bar show (exact, a range, or empty);
# - _segments: the gender chart's bars drawn, their labels, callouts, brackets and colours;
# - _labels, _gender_caption: the gender chart's words (bar names, n, counts, caption);
# - _totals: totals_chart, and the layout of its bars, bounds, ranges and spans;
# - _totals_caption: the totals chart's title and caption;
# - _drawing: the figure, legend and caption that both charts draw alike;
# - _text: the words of both charts (numbers, periods, ranges, rows left out);
# - _frames: the frames the charts take, read as pandas.

from unodc_metrics.plot._gender import gender_chart
from unodc_metrics.plot._segments import COLOURS, SEX_CATEGORIES
from unodc_metrics.plot._totals import totals_chart

__all__ = ["COLOURS", "SEX_CATEGORIES", "gender_chart", "totals_chart"]
