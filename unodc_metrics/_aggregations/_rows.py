"""What one row of the wide shape admits: its smallest and largest total, and the counts by
sex that every admissible assignment allows. Each is a narwhals expression, worked out per
row in the frame's engine, so that the sums per group are the engine's own sums.

The model of a row (``docs/methodology-aggregations.md`` explains it):

- its total ``T`` is an integer from ``value_low`` to ``value_high`` (no upper end where
  ``value_high`` is missing), and never less than the persons its stated counts account for:
  "at least 10" with 6 women and 6 men admits 12 persons or more;
- its women ``F`` are ``female`` where stated; where derived from a percentage they are any
  count from ``female_low`` to ``female_high``, and the row's other persons are not women;
- its men, other and unknown are ``male``, ``other_sex`` and ``unknown_sex`` as stated;
- the rest of ``T`` are persons of unknown sex (in a row that states no ``unknown_sex``) or
  a shortfall of the report's own parts (``unreconciled``, in a row that does), and may be of
  any sex, as may persons of unknown sex, except women in a row whose women are derived.
"""

from __future__ import annotations

import narwhals as nw

__all__ = ["POINTS", "ROW_TERMS", "row_columns", "total_columns"]


def _n(name: str) -> nw.Expr:
    return nw.col(name).fill_null(0)


def total_columns() -> dict[str, nw.Expr]:
    """The row's totals where it has no counts by sex: ``__t`` (the written number, raised to
    ``value_low`` where that is higher: "more than 35" is 36), ``__t_low`` and ``__t_high``."""
    return {
        "__t": nw.max_horizontal(nw.col("value"), nw.col("value_low")),
        "__t_low": nw.col("value_low"),
        "__t_high": nw.col("value_high"),
    }


def row_columns() -> list[dict[str, nw.Expr]]:
    """The per-row columns the sums read, as expressions over a validated row, in two stages
    (each a ``with_columns``): the totals and bounds first, then the counts that choose
    between them. Dask can only choose (``when``) between columns, not between results of
    ``max_horizontal``, so the second stage reads the first's columns.

    ``__t``, ``__t_low``, ``__t_high`` are the row's written total (raised to the smallest
    admissible one where the written number is not admissible: "more than 35" is 36), and its
    smallest and largest admissible totals (``__t_high`` missing: unbounded). The ``__*_low``
    and ``__*_high`` of each count bound it over every admissible assignment.
    """
    female = nw.col("female")
    f_lo = nw.col("female_low").fill_null(female).fill_null(0)
    f_hi = nw.col("female_high").fill_null(female).fill_null(0)
    m, o, u = _n("male"), _n("other_sex"), _n("unknown_sex")
    t_high = nw.col("value_high")
    # The total that makes the women's share largest, for a row whose women are derived:
    # just enough to hold the most of them (any other row: all of it).
    t_fmax_derived = nw.max_horizontal(
        nw.max_horizontal(nw.col("value_low"), f_lo + m + o + u),
        nw.min_horizontal(f_hi + m + o + u, t_high).fill_null(f_hi + m + o + u),
    )
    first = {
        "__t": nw.max_horizontal(
            nw.col("value"), nw.col("value_low"), female.fill_null(0) + m + o + u
        ),
        "__t_low": nw.max_horizontal(nw.col("value_low"), f_lo + m + o + u),
        "__t_high": t_high,
        "__f_lo": f_lo,
        "__f_hi": f_hi,
        "__t_fmax_d": t_fmax_derived,
        "__fmax_f_d": nw.min_horizontal(f_hi, t_fmax_derived - m - o - u),
    }
    t, t_low, f_lo, f_hi = nw.col("__t"), nw.col("__t_low"), nw.col("__f_lo"), nw.col("__f_hi")
    states_unknown = ~nw.col("unknown_sex").is_null()
    derived = nw.col("sex_split_derived").fill_null(False)
    rest, rest_low, rest_high = (
        t - _n("female") - m - o,
        t_low - f_hi - m - o,
        t_high - f_lo - m - o,
    )
    zero = nw.lit(0, dtype=nw.Int64())
    t_fmax = nw.col("__t_fmax_d")
    second = {
        "__unknown": nw.when(states_unknown).then(u).otherwise(rest),
        "__unknown_low": nw.when(states_unknown).then(u).otherwise(rest_low.clip(lower_bound=0)),
        "__unknown_high": nw.when(states_unknown).then(u).otherwise(rest_high),
        "__unreconciled": nw.when(states_unknown).then(rest - u).otherwise(zero),
        "__unreconciled_low": nw.when(states_unknown)
        .then((rest_low - u).clip(lower_bound=0))
        .otherwise(zero),
        "__unreconciled_high": nw.when(states_unknown).then(rest_high - u).otherwise(zero),
        # The women and the total of the assignment that makes the women's share largest.
        "__fmax_f": nw.when(derived).then(nw.col("__fmax_f_d")).otherwise(t_high - m - o),
        "__fmax_t": nw.when(derived).then(t_fmax).otherwise(t_high),
        # Rows whose other persons may be women and whose total has no upper end: the women's
        # share of the group then has no maximum below 1.
        "__open_f": (~derived & t_high.is_null()).cast(nw.Int64()),
        "__mmax_m": t_high - f_lo - o,
    }
    return [first, second]


POINTS = {"__female": "female", "__male": "male", "__other": "other_sex"}
"""The stated counts summed as they are; a group in which none is stated has none (missing)."""

ROW_TERMS = (
    "__t",
    "__t_low",
    "__unknown",
    "__unknown_low",
    "__unreconciled",
    "__unreconciled_low",
    "__f_lo",
    "__f_hi",
)
"""Per-row columns that always have a value, summed as they are."""
