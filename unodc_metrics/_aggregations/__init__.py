"""The aggregations layer: sums over the figure tables that keep what the report says about
each figure.

The four functions add up figures without losing the report's caveats: persons of unknown
sex, qualified numbers ("at least 49"), figures that may count the same persons, periods
that are not years, figures "to date", and rows nested in other rows. Each one:

- accepts a pandas or a polars DataFrame in the shape of a table (the curated tables, or a
  user's own records), validates it (:func:`unodc_metrics.validate`) and raises
  :class:`unodc_metrics.ValidationError` listing every failure; ``validate=False`` skips
  that for a frame already validated;
- on the wide shape also accepts a lazy frame (a polars LazyFrame, a DuckDB relation, a Dask
  or a PySpark DataFrame): it is validated in its engine, the sums run in the engine, and the
  result, one row per group, comes back as the engine's own kind (see ``docs/scale.md``);
- :func:`gender_breakdown` and :func:`totals_by_year` also accept the long shape of a GLOTIP
  download (:func:`unodc_metrics.read_glotip`'s table, ``table="glotip"``), where censored
  counts (``<5``) become bounds; their docstrings say how parts are matched to totals;
- never changes its input, and returns a new tidy frame of the caller's kind;
- never adds a row that is ``part_of`` another row to anything: only wholes are summed;
- says which rows it left out and why: the columns ``rows_excluded`` and ``excluded`` on each
  output row, and, with ``return_excluded=True``, a second frame with one row per row left
  out (its group, ``id`` and ``reason``);
- carries qualifiers through the sums as bounds valid for every admissible value of every
  row (``docs/methodology-aggregations.md`` defines them): ``qualifier`` is ``exact`` only
  when every row summed is exact and none may overlap another;
- never adds rows that may count the same persons (``may_overlap``) as if distinct: their
  sum is a range, and ``overlaps`` names them;
- never adds a cumulative or stock figure to a period figure (``basis``);
- takes ``within=(start, end)`` and, without it, names the rows flagged as outside the
  reporting period (``outside_period``);
- gives each count a status (stated, computed, derived, estimated, bounded, missing), and
  each share its denominator; a count no row states is missing, never 0;
- refuses a sum that would overflow a 64-bit integer, naming the group;
- refuses to sum a measure that the ``measures`` registry marks as not additive.

An output row whose group holds only rows left out has ``rows`` 0 and missing sums: nothing
was summed for it, which is not the same as a sum of zero.

The code is written once against narwhals, so every engine gives the same numbers. The
modules: :mod:`.gender`, :mod:`.initiatives`, :mod:`.years` and :mod:`.victims` hold the
public functions; ``_common`` how frames are taken in, ``_groups`` the sums per group and
the rows left out, ``_rows`` what one row admits, ``_periods`` bases and ``within``,
``_overlaps`` rows that may overlap, ``_totals`` the totals, ``_lift`` counts by sex carried
up from part rows, ``_wide``, ``_sex`` and ``_sex_summary`` the breakdown by sex,
``_output`` the output frame, and ``_glotip*`` the long shape.
"""

from unodc_metrics._aggregations._common import UNKNOWN_CHOICES, FrameT, UnknownSex
from unodc_metrics._aggregations.gender import gender_breakdown
from unodc_metrics._aggregations.initiatives import trainees_per_initiative
from unodc_metrics._aggregations.victims import victims_breakdown
from unodc_metrics._aggregations.years import totals_by_year

__all__ = [
    "UNKNOWN_CHOICES",
    "FrameT",
    "UnknownSex",
    "gender_breakdown",
    "totals_by_year",
    "trainees_per_initiative",
    "victims_breakdown",
]
