"""victims_breakdown: the victims of the ``rescues`` table by sex, age or form of exploitation,
from the nested rows that split them, with the victims whose category the report does not
give counted apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, overload

import narwhals as nw

from unodc_metrics._aggregations._common import (
    COUNTED,
    OUTSIDE,
    WHY,
    FrameT,
    by_columns,
    needed,
    order,
    wide_input,
)
from unodc_metrics._aggregations._groups import EXCLUDED_LISTED, group_sums
from unodc_metrics._aggregations._output import frame_of
from unodc_metrics._aggregations._overlaps import overlaps_by_group
from unodc_metrics._aggregations._periods import (
    OUTSIDE_SPEC,
    Within,
    basis,
    inside,
    outside_listed,
    outside_term,
    within_dates,
)
from unodc_metrics._aggregations._rows import total_columns
from unodc_metrics._aggregations._totals import TOTAL_COUNTS, TOTAL_SPEC, total_rows, total_terms
from unodc_metrics._base.engines import collect, quietly
from unodc_metrics._base.vocabulary import AGES, BREAKDOWNS, EXPLOITATIONS, SEXES

__all__ = ["NOT_GIVEN", "victims_breakdown"]

NOT_GIVEN = "not_given"
"""The category of the victims whose sex, age or form of exploitation the report does not give."""

Dimension = Literal["sex", "age", "exploitation"]

_LEVELS = 16
"""Nesting deeper than this is refused: it can only be a cycle of ``part_of``."""

_SPEC = {**TOTAL_SPEC, **OUTSIDE_SPEC, "rows": "int", "rows_excluded": "int", "excluded": "str"}


@overload
def victims_breakdown(
    df: FrameT,
    dimension: Dimension = "sex",
    by: str | Sequence[str] | None = None,
    *,
    within: Within | None = None,
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def victims_breakdown(
    df: FrameT,
    dimension: Dimension = "sex",
    by: str | Sequence[str] | None = None,
    *,
    within: Within | None = None,
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


@quietly
def victims_breakdown(
    df: FrameT,
    dimension: Dimension = "sex",
    by: str | Sequence[str] | None = None,
    *,
    within: Within | None = None,
    return_excluded: bool = False,
    validate: bool = True,
) -> FrameT | tuple[FrameT, FrameT]:
    """Victims by sex, age or form of exploitation, from the ``rescues`` table's nested rows.

    In ``rescues`` a breakdown is a set of part rows: "81 victims (57 women and 24 men)" is a
    whole of 81 with two parts split by ``sex``. For each whole (a row that is no part), the
    victims of each category are the parts that split ``dimension``, wherever they sit under
    it: "23, including 7 children, to sexual exploitation" gives 7 children of the 63 even
    though the children are a part of a part. The rest of the whole, whose category the report
    does not give, is the category ``not_given`` (never 0 by default, never spread over the
    others). The wholes are then summed per group, as :func:`totals_by_year` sums them: with
    their qualifiers as bounds, rows that may overlap as a range, and the rows flagged as
    outside the reporting period named.

    ``measure``, ``status`` (rescued and identified victims are different counts) and
    ``basis`` (period, cumulative, stock) are always grouping columns.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the ``rescues`` schema.
        dimension: ``"sex"``, ``"age"`` or ``"exploitation"``.
        by: Further grouping columns of the wholes: a column name, a list of them, or None.
        within: A period ``(start, end)``, such as ``um.REPORTING_PERIOD``: wholes whose
            period is not wholly inside it are left out and listed.
        return_excluded: Also return a frame of the rows left out.
        validate: Validate ``df`` first (the default).

    Returns:
        One row per group and category, with ``measure``, ``status``, ``basis``, the ``by``
        columns, the ``dimension`` column (its categories, then ``not_given``), and the
        columns of :func:`totals_by_year` from ``total`` on.

    Raises:
        ValueError: If ``dimension`` is not one of the three, or the parts of one whole split
            ``dimension`` under different breakdowns (they might count the same victims
            twice), or ``part_of`` runs in a cycle.
        ValidationError: If ``df`` does not validate against the ``rescues`` schema.

    Examples:
        >>> import unodc_metrics as um
        >>> rescues = um.load("rescues")
        >>> out = um.victims_breakdown(rescues[rescues["paragraph"] == 5], "age")
        >>> out[["status", "age", "total", "qualifier", "rows"]]
            status        age  total qualifier  rows
        0  rescued      child      7     exact     1
        1  rescued  not_given     56     exact     1
        >>> out = um.victims_breakdown(rescues, "sex", by="paragraph", within=um.REPORTING_PERIOD)
        >>> out[out["paragraph"] == 76][["sex", "total", "rows", "rows_excluded"]]
                 sex  total  rows  rows_excluded
        3     female     57     1              0
        4       male     24     1              0
        5  not_given      0     1              1
    """
    if dimension not in BREAKDOWNS:
        raise ValueError(f"dimension must be one of {', '.join(BREAKDOWNS)}; got {dimension!r}")
    bounds = within_dates(within)
    frame: nw.LazyFrame[Any]
    frame, like = wide_input(df, "rescues", validate)
    keys: list[str] = list(dict.fromkeys(["measure", "status", *by_columns(by, frame)]))
    frame = needed(frame, keys, ("breakdown", dimension))
    rows = _by_category(frame, dimension).with_columns(basis().cast(nw.String).alias("basis"))
    why = nw.lit(COUNTED)
    if bounds is not None:
        why = nw.when(~inside(bounds)).then(nw.lit(OUTSIDE)).otherwise(why)
    rows = rows.with_columns(why.cast(nw.Int64).alias(WHY))
    group: list[str] = [*dict.fromkeys(["measure", "status", "basis", *keys, dimension])]
    records, excluded = group_sums(
        rows,
        group,
        {**total_terms(), **outside_term()},
        counts=TOTAL_COUNTS,
        limit=None if return_excluded else EXCLUDED_LISTED,
    )
    overlaps = overlaps_by_group(rows, group, ["__t_low"])
    outside = outside_listed(rows, group)
    # Within a group, the categories in the vocabulary's order, then not_given.
    codes: tuple[str, ...] = {"sex": SEXES, "age": AGES, "exploitation": EXPLOITATIONS}[dimension]
    rank = {code: i for i, code in enumerate((*codes, NOT_GIVEN))}
    records.sort(
        key=lambda rec: (*(order(rec[k]) for k in group[:-1]), rank.get(rec[dimension], -1))
    )
    out_rows, ex_rows = total_rows(
        records, group, (excluded, overlaps, outside), lambda rec: {k: rec[k] for k in group}
    )
    key_spec = {k: "str" if k == "basis" else f"like:{k}" for k in group}
    result = frame_of(out_rows, {**key_spec, **_SPEC}, like)
    if not return_excluded:
        return result  # type: ignore[no-any-return]
    return result, frame_of(ex_rows, {**key_spec, "id": "str", "reason": "str"}, like)


def _by_category(frame: nw.LazyFrame[Any], dimension: str) -> nw.LazyFrame[Any]:
    """One row per whole and category, with the whole's columns and the category's ``__t``,
    ``__t_low`` and ``__t_high``: the parts that split ``dimension`` become their whole's
    counts, and the rest of the whole is ``not_given``."""
    frame = frame.with_columns(**total_columns())
    split = _splits(frame, dimension)
    stated = split.group_by("__root", dimension).agg(
        nw.col("__t").sum(),
        nw.col("__t_low").sum(),
        nw.col("__t_high").sum(),
        nw.col("__t_high").count().alias("__nh"),
        nw.len().alias("__n"),
    )
    per_root = stated.group_by("__root").agg(
        nw.col("__t").sum().alias("__s"),
        nw.col("__t_low").sum().alias("__s_low"),
        nw.col("__t_high").sum().alias("__s_high"),
    )
    whole = frame.filter(nw.col("part_of").is_null())
    names = frame.collect_schema().names()
    base = [c for c in names if c not in (dimension, "__t", "__t_low", "__t_high")]
    bounded = nw.col("__nh") == nw.col("__n")
    high = nw.when(bounded).then(nw.min_horizontal(nw.col("__t_high"), nw.col("__root_high")))
    root = {"id": "__root"}
    parts = (
        stated.join(
            whole.select("id", nw.col("__t_high").alias("__root_high")).rename(root), on="__root"
        )
        .with_columns(high.alias("__t_high"))
        .select("__root", dimension, "__t", "__t_low", "__t_high")
        .join(whole.select(base).rename(root), on="__root")
        .rename({"__root": "id"})
    )
    s, s_low, s_high = (nw.col(c).fill_null(0) for c in ("__s", "__s_low", "__s_high"))
    rest = whole.join(per_root.rename({"__root": "id"}), on="id", how="left").with_columns(
        nw.lit(NOT_GIVEN).alias(dimension),
        (nw.col("__t") - s).alias("__t"),
        nw.max_horizontal(nw.col("__t_low") - s_high, nw.lit(0)).alias("__t_low"),
        (nw.col("__t_high") - s_low).alias("__t_high"),
    )
    inexact = nw.col("__t_high").is_null() | (nw.col("__t_low") != nw.col("__t_high"))
    qualifier = nw.when(inexact).then(nw.lit("approximately")).otherwise(nw.lit("exact"))
    shaped = [
        f.select(*base, dimension, "__t", "__t_low", "__t_high").with_columns(
            nw.col(dimension).cast(nw.String),
            *(nw.col(c).cast(nw.Int64) for c in ("__t", "__t_low", "__t_high")),
        )
        for f in (parts, rest)
    ]
    return nw.concat(shaped, how="vertical").with_columns(qualifier.alias("qualifier"))


def _splits(frame: nw.LazyFrame[Any], dimension: str) -> nw.LazyFrame[Any]:
    """The rows that split ``dimension``, each with ``__root``, the whole at the top of its
    nesting. Where the splits of one whole sit under different breakdowns (victims by age
    under labour and by age under sex), they might count a victim twice: refused."""
    links = frame.select(nw.col("id").alias("__up_id"), "part_of", "breakdown")
    walk = frame.filter(nw.col("breakdown") == dimension).with_columns(
        nw.col("part_of").alias("__root"), nw.lit("").alias("__path")
    )
    for _ in range(_LEVELS):
        step = walk.join(
            links.rename({"part_of": "__next", "breakdown": "__via"}),
            left_on="__root",
            right_on="__up_id",
            how="left",
        )
        up = ~nw.col("__next").is_null()
        step = step.with_columns(
            nw.when(up).then(nw.col("__next")).otherwise(nw.col("__root")).alias("__root"),
            nw.when(up)
            .then(nw.concat_str(nw.col("__via"), nw.lit("/"), nw.col("__path")))
            .otherwise(nw.col("__path"))
            .alias("__path"),
        )
        walk = step.drop("__next", "__via")
        if int(collect(step.select(up.cast(nw.Int64).sum())).item() or 0) == 0:
            break
    else:
        raise ValueError("part_of runs in a cycle: no row at the top of the nesting is reached")
    paths = collect(walk.group_by("__root", "__path").agg(nw.len()).select("__root"))
    roots = paths.get_column("__root").to_list()
    mixed = sorted({str(r) for r in roots if roots.count(r) > 1})
    if mixed:
        raise ValueError(
            f"the parts of {', '.join(mixed)} split {dimension} under different breakdowns: "
            "they might count the same victims twice, so they are not added together"
        )
    return walk
