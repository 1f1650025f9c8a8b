"""What part rows carry up to their whole: its smallest admissible total ("at least 0" with
parts of 1 and 2 is at least 3), and the counts by sex they state (a whole of 100 with a part
of 40 women has 40 women, not 0). The ``rescues`` table states sex this way only (its rows
split by sex are parts of the victims they split), so its counts by sex are made first.

Only one level is carried: a part's counts go to the row it is ``part_of``. The parts of one
whole are distinct persons (as the rule ``parts_within_whole`` already holds them to be), so
their counts add up; a whole that states any count by sex has split its persons itself, and
keeps its own counts.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

__all__ = ["SEX_COLUMNS", "lift_sexes", "rescue_sexes", "with_parts_floor"]

SEX_COLUMNS = ("female", "male", "other_sex", "unknown_sex", "female_low", "female_high")
_CODES = {"female": "female", "male": "male", "other_sex": "other", "unknown_sex": "unknown"}


def _whole() -> nw.Expr:
    """The row whose sums a row's window shares: its whole for a part, itself otherwise.

    Windows rather than joins carry the parts' sums to their whole, so that the rows keep
    their order and their partitions (Dask cannot align a joined frame's columns)."""
    return nw.coalesce(nw.col("part_of"), nw.col("id"))


def _of_parts(value: nw.Expr) -> nw.Expr:
    return nw.when(~nw.col("part_of").is_null()).then(value)


def with_parts_floor(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Each whole's ``value_low`` raised to the least its parts add up to, where that is more.

    The parts of one breakdown are distinct persons of the whole, so it has at least as many
    as their ``value_low`` add up to; where it has several breakdowns (by sex, and by form of
    exploitation), the largest of those sums. ``value_low`` is then the smallest total the
    whole admits, and every sum that reads it counts at least that. One level is carried:
    the wholes that are summed are the rows that are part of none.
    """
    names = frame.collect_schema().names()
    keys = ["__whole", "breakdown"] if "breakdown" in names else ["__whole"]
    # One step per column: Dask chooses (when) between columns only, not between results of
    # windows or of horizontal functions.
    steps = [
        {"__whole": _whole(), "__pl": _of_parts(nw.col("value_low"))},
        {"__bsum": nw.col("__pl").sum().over(*keys)},
        {"__bsum": _of_parts(nw.col("__bsum"))},
        {"__floor": nw.col("__bsum").max().over("__whole").fill_null(0)},
        {"__low": nw.max_horizontal(nw.col("value_low"), nw.col("__floor"))},
        {
            "value_low": nw.when(nw.col("part_of").is_null())
            .then(nw.col("__low"))
            .otherwise(nw.col("value_low"))
        },
    ]
    for step in steps:
        frame = frame.with_columns(**step)
    return frame.with_columns(nw.col("value_low").cast(nw.Int64)).select(names)


def rescue_sexes(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The sex columns of the wide shape for the ``rescues`` table: a part split by sex counts
    its ``value`` as its sex; every other row states no count by sex."""
    by_sex = nw.col("breakdown") == "sex"
    columns = {
        name: nw.when(by_sex & (nw.col("sex") == code)).then(nw.col("value"))
        for name, code in _CODES.items()
    }
    return frame.with_columns(
        **columns,
        female_low=columns["female"],
        female_high=columns["female"],
        sex_split_derived=nw.lit(False),
    )


def lift_sexes(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Each row with the counts by sex of its parts where it states none of its own."""
    names = frame.collect_schema().names()
    derived = nw.col("sex_split_derived").fill_null(False).cast(nw.Int64)
    of_parts = {f"__q_{c}": _of_parts(nw.col(c)) for c in SEX_COLUMNS}
    frame = frame.with_columns(
        _whole().alias("__whole"), __q_derived=_of_parts(derived), **of_parts
    )
    # One window per function over all the columns: each window is a shuffle on Dask.
    summed = [f"__q_{c}" for c in (*SEX_COLUMNS, "derived")]
    counted = [f"__q_{c}" for c in SEX_COLUMNS]
    parts = [
        nw.col(*summed).sum().over("__whole").name.map(lambda n: "__p_" + n[4:]),
        nw.col(*counted).count().over("__whole").name.map(lambda n: "__pn_" + n[4:]),
    ]
    # A whole that states any count by sex has split its persons itself: it keeps its own.
    # A part's window holds its siblings: only a row that is part of none takes the sums.
    # (A column: Dask's choices read columns, not horizontal results.)
    takes = nw.all_horizontal(
        nw.col("part_of").is_null(), *(nw.col(c).is_null() for c in _CODES), ignore_nulls=True
    )
    joined = frame.with_columns(*parts, __takes=takes)
    states_none = nw.col("__takes")
    lifted = {
        c: nw.when(states_none & (nw.col(f"__pn_{c}").fill_null(0) > 0))
        .then(nw.col(f"__p_{c}"))
        .otherwise(nw.col(c))
        for c in SEX_COLUMNS
    }
    takes_female = states_none & (nw.col("__pn_female").fill_null(0) > 0)
    derived = nw.when(takes_female).then(nw.col("__p_derived") > 0)
    lifted["sex_split_derived"] = derived.otherwise(nw.col("sex_split_derived"))
    return joined.with_columns(**lifted).select(names)
