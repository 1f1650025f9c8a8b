"""What part rows carry up to their whole: its smallest admissible total ("at least 0" with
parts of 1 and 2 is at least 3), and the counts by sex they state (a whole of 100 with a part
of 40 women has 40 women, not 0). The ``rescues`` table states sex this way only (its rows
split by sex are parts of the victims they split), so its counts by sex are made first.

Only one level is carried: a part's counts go to the row it is ``part_of``. The parts of one
whole are distinct persons (as the rule ``parts_within_whole`` already holds them to be), so
their counts add up; a whole that states any count by sex has split its persons itself, and
keeps its own counts.

The parts' sums are made per whole (a group by) and attached to their whole by its id
(:func:`unodc_metrics._base.engines.attach`): one small aggregate, where windows over groups
were one shuffle each on Dask. Dask's choices (``when``) read plain columns, not the results
of functions, so the steps that choose read columns made in the step before.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from unodc_metrics._base.engines import attach

__all__ = ["SEX_COLUMNS", "lift_sexes", "rescue_sexes", "with_parts_floor"]

SEX_COLUMNS = ("female", "male", "other_sex", "unknown_sex", "female_low", "female_high")
_CODES = {"female": "female", "male": "male", "other_sex": "other", "unknown_sex": "unknown"}
_WHOLE = "__whole"


def _per_whole(
    frame: nw.LazyFrame[Any], keys: list[str], terms: dict[str, nw.Expr]
) -> nw.LazyFrame[Any]:
    """The sums of ``terms`` (per-row counts, none missing: Dask's sums by group fail on a
    missing Arrow integer) over the parts of each whole, grouped further by ``keys``, keyed
    by the whole's id."""
    parts = frame.filter(~nw.col("part_of").is_null()).rename({"part_of": _WHOLE})
    return parts.with_columns(**terms).group_by(_WHOLE, *keys).agg(nw.col(*terms).sum())


def _joined(frame: nw.LazyFrame[Any], per_whole: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    return attach(frame, per_whole, on="id", key=_WHOLE)


def with_parts_floor(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Each whole's ``value_low`` raised to the least its parts add up to, where that is more.

    The parts of one breakdown are distinct persons of the whole, so it has at least as many
    as their ``value_low`` add up to; where it has several breakdowns (by sex, and by form of
    exploitation), the largest of those sums. ``value_low`` is then the smallest total the
    whole admits, and every sum that reads it counts at least that. One level is carried:
    the wholes that are summed are the rows that are part of none.
    """
    names = frame.collect_schema().names()
    keys = ["breakdown"] if "breakdown" in names else []
    sums = _per_whole(frame, keys, {"__bsum": nw.col("value_low").fill_null(0)})
    floors = sums.group_by(_WHOLE).agg(nw.col("__bsum").max().alias("__floor"))
    frame = _joined(frame, floors).with_columns(
        __low=nw.max_horizontal(nw.col("value_low"), nw.col("__floor"))
    )
    floored = nw.when(nw.col("part_of").is_null()).then(nw.col("__low"))
    return frame.with_columns(
        floored.otherwise(nw.col("value_low")).cast(nw.Int64).alias("value_low")
    ).select(names)


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
    per_whole = _per_whole(
        frame.with_columns(__derived=derived),
        [],
        {
            **{f"__p_{c}": nw.col(c).fill_null(0) for c in (*SEX_COLUMNS, "__derived")},
            **{f"__pn_{c}": (~nw.col(c).is_null()).cast(nw.Int64) for c in SEX_COLUMNS},
        },
    )
    # A whole that states any count by sex has split its persons itself: it keeps its own.
    # Only a row that is part of none takes its parts' sums. (Columns: Dask's choices read
    # columns, not horizontal results.)
    takes = nw.all_horizontal(
        nw.col("part_of").is_null(), *(nw.col(c).is_null() for c in _CODES), ignore_nulls=True
    )
    frame = _joined(frame, per_whole).with_columns(
        __takes=takes,
        **{f"__has_{c}": nw.col(f"__pn_{c}") > 0 for c in SEX_COLUMNS},
        __p_derived=nw.col("__p___derived") > 0,
    )
    frame = frame.with_columns(
        **{f"__take_{c}": nw.col("__takes") & nw.col(f"__has_{c}") for c in SEX_COLUMNS}
    )
    lifted = {
        c: nw.when(nw.col(f"__take_{c}")).then(nw.col(f"__p_{c}")).otherwise(nw.col(c))
        for c in SEX_COLUMNS
    }
    lifted["sex_split_derived"] = (
        nw.when(nw.col("__take_female"))
        .then(nw.col("__p_derived"))
        .otherwise(nw.col("sex_split_derived"))
    )
    return frame.with_columns(**lifted).select(names)
