"""gender_breakdown: persons by sex, per group, with the report's gaps kept in view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

from unodc_metrics._aggregations._common import (
    FrameT,
    GlotipAreas,
    UnknownSex,
    check_unknown,
    shape_of,
    validated_glotip,
)
from unodc_metrics._aggregations._glotip import figure_areas
from unodc_metrics._aggregations._glotip_sex import glotip_sex_breakdown
from unodc_metrics._aggregations._periods import Within
from unodc_metrics._aggregations._wide import SEX_TABLES, wide_breakdown
from unodc_metrics._base.engines import quietly
from unodc_metrics._readers import GLOTIP

__all__ = ["gender_breakdown"]


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
    return_excluded: Literal[False] = False,
    validate: bool = True,
) -> FrameT: ...


@overload
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
    return_excluded: Literal[True],
    validate: bool = True,
) -> tuple[FrameT, FrameT]: ...


@quietly
def gender_breakdown(
    df: FrameT,
    by: str | Sequence[str] | None = None,
    unknown: UnknownSex = "separate",
    *,
    table: str | None = None,
    within: Within | None = None,
    areas: GlotipAreas = "countries",
    return_excluded: bool = False,
    validate: bool = True,
) -> FrameT | tuple[FrameT, FrameT]:
    """Persons by sex, per group, with the report's gaps kept in view.

    Each row of ``df`` contributes its reported ``value`` to ``total`` and its stated
    counts to ``female``, ``male``, ``other`` (from ``other_sex``) and ``unknown`` (from
    ``unknown_sex``). What the row's counts leave over goes to ``unknown`` (persons the
    report does not break down by sex; a row with no sex information at all counts wholly
    as unknown, not as zero), except in a row that states its own count of unknown sex: such a
    row has accounted for everyone, so what is left over is a shortfall of the report's parts
    against its total, and goes to ``unreconciled``. So
    ``female + male + other + unknown + unreconciled == total`` always holds.

    A count of women derived from a percentage (``sex_split_derived``) contributes its
    derived count to ``female`` and its rounding interval to ``female_low`` and
    ``female_high``. A count that no row of a group states (no row gives men, say) is
    missing, not 0, and its ``*_status`` is ``missing``; the other statuses are ``stated``,
    ``computed`` (what a total leaves over), ``derived`` (from a percentage), ``estimated``
    (allocated) and ``bounded`` (only a range is known). Rows that are ``part_of`` another
    row are never added: they are left out and listed.

    Figures of a period, "to date" (``cumulative``) and "as at" a date (``stock``) are never
    added together: ``basis`` is always a grouping column. A row whose ``by`` value is
    missing is its own output row, named by ``row`` (its id) and ``description``, not one
    group of unrelated figures. Rows that may count the same persons (``may_overlap``) make
    their group's counts ranges: ``total`` is missing, ``total_low`` counts what must be
    distinct, and ``overlaps`` names them. The ``rescues`` table is taken too: its counts
    by sex are the parts that split its wholes by sex (see :func:`victims_breakdown`), and
    ``status`` is always a grouping column.

    **The long shape of a GLOTIP download** (:func:`unodc_metrics.read_glotip`'s table, one
    count per row with ``sex`` and ``value``) is summed by breakdown: a *cell* is the rows
    that share ``indicator``, ``dimension``, ``category``, ``iso3``, ``country``, ``year``
    and the ``by`` columns. Its ``total`` is its row with ``sex`` and ``age`` both
    ``total``; its parts are its rows with ``sex`` female, male or other at ``age`` total,
    and its row of unknown sex (at ``age`` total, or else at ``age`` unknown, where the
    file puts it). ``unreconciled`` is the total less the parts. In a cell:

    - with a total and no part by sex (the sex was not reported), the whole total counts
      as ``unknown``, and also as ``unsplit``; its row of unknown sex and age is already in
      the total, and is left out and listed;
    - with parts and no total, the parts are left out and listed: nothing says how many
      persons they are out of;
    - rows whose key repeats (the same key on several lines) are all added, and counted in
      ``repeated``: in the 2025-04-14 edition every repeated part is the child and the
      adult count of one sex, both labelled ``age`` total, so their sum is the sex's count;
    - rows of an age breakdown (``age`` child or adult, and any other row at ``age``
      unknown) are left out and listed.

    ``indicator``, ``dimension`` and ``category`` are always grouping columns: different
    indicators, and the breakdowns of one indicator, are never added together. A censored
    count (``<5``) is 0 to 4 persons: every count has ``_low`` and ``_high`` bounds, its
    point value is missing where any of its rows is censored, and ``qualifier`` is
    ``exact`` when nothing in the group is censored and ``range`` otherwise. The shares
    are ratios of exact counts, so they are missing where anything is censored (and
    ``"proportional"`` allocates nothing there); in the ``"bounds"`` mode the share bounds
    are always given, from the bounds of the counts: ``female_share_low`` is
    ``female_low / total_high``, and ``female_share_high`` the most persons who may be
    women over ``total_low``.

    Args:
        df: A pandas or polars DataFrame, or a lazy frame (polars, DuckDB, Dask, PySpark),
            that validates against the ``trainings`` schema; or a pandas or polars
            DataFrame in the long shape (:class:`unodc_metrics.schemas.GlotipSchema`).
        by: A column name, a list of them, or None for one row over everything (over
            every ``indicator``, ``dimension`` and ``category`` in the long shape).
        unknown: How shares treat persons of unknown sex:

            - ``"separate"``: unknown is a category of its own; every share is over
              ``total``, so the shares add up to ``1 - unreconciled / total``.
            - ``"known_only"``: ``female_share``, ``male_share`` and ``other_share`` are
              over the persons of known sex (they add up to 1) and ``unknown_share`` is
              missing. A row that gives only a share of women states no men, so its other
              persons are unknown here.
            - ``"proportional"``: ``unknown`` is allocated to ``female``, ``male`` and
              ``other`` in proportion to the group's known counts, which become estimates
              (float); ``estimate`` is true where anything was allocated; ``unreconciled``
              stays apart. Where no person's sex is known nothing is allocated and the
              shares are missing.
            - ``"bounds"``: as ``"separate"``, plus ``female_share_low``,
              ``female_share_high``, ``male_share_low`` and ``male_share_high`` over
              ``total``, treating ``unknown`` plus ``unreconciled`` as persons who may be
              of either sex. Where a row's women come from a percentage, the percentage
              bounds them: its other persons cannot be women.
        table: The schema to validate against: ``"trainings"`` (the wide shape, with the
            sex columns), ``"rescues"`` (victims split by sex in nested rows) or
            ``"glotip"`` (the long shape). By default it is read from the columns: ``sex``
            and ``indicator`` make ``"glotip"``, ``sex`` and ``breakdown`` make
            ``"rescues"``, and ``female`` makes ``"trainings"``; a frame that fits two is
            ambiguous and needs ``table``.
        within: A period ``(start, end)``, such as ``um.REPORTING_PERIOD``: rows whose period
            is not wholly inside are left out and listed. Without it, the rows flagged as
            outside the reporting period are counted and named in ``outside_period``.
        areas: For the long shape of ``"glotip"``: ``"countries"`` (the default) sums the
            lines of countries and territories (``area_kind``); ``"aggregates"`` sums the
            area aggregates on their own. The other lines are left out and listed, so an
            aggregate is never added to the countries it contains.
        return_excluded: Also return a frame of the rows left out, with the ``by``
            columns, ``id`` and ``reason`` (in the long shape: ``indicator``,
            ``dimension``, ``category``, the ``by`` columns, ``line`` and ``reason``).
        validate: Validate ``df`` first (the default). Pass False only for a frame that
            has already passed :func:`unodc_metrics.validate` (or, for a lazy frame, whose
            source did): the sums then trust its dtypes and rules, and only the columns they
            read must be present.

    Returns:
        One row per group, with the ``by`` columns, ``basis``, ``row`` and ``description``
        (for a row with a missing ``by`` value), ``female``, ``male``, ``other``,
        ``unknown``, ``total`` (the sum of the reported totals), ``unreconciled``, the
        shares ``female_share``, ``male_share``, ``other_share``, ``unknown_share``,
        ``share_of`` and ``share_denominator`` (what the shares are over, and how many
        persons that is), in ``"bounds"`` mode the share bounds, ``qualifier``,
        ``total_low``, ``total_high``, ``total_status``, ``overlaps``, a ``_low`` and a
        ``_high`` for each of ``female``, ``male``, ``other``, ``unknown`` and
        ``unreconciled``, a ``_status`` for each of ``female``, ``male``, ``other`` and
        ``unknown``, ``estimate``, ``allocated`` and ``allocated_from`` (how many persons
        ``"proportional"`` imputed, and from which rows), ``outside_period`` and
        ``outside_period_total``, ``rows`` (rows summed), ``rows_excluded`` and ``excluded``
        (which rows were left out and why). With ``return_excluded=True``, a tuple of that
        frame and the frame of rows left out.

        In the long shape: ``indicator``, ``dimension``, ``category``, the ``by``
        columns, then ``female``, ``male``, ``other``, ``unknown``, ``total``,
        ``unreconciled``, the shares (and their bounds in ``"bounds"`` mode),
        ``qualifier``, ``total_low``, ``total_high``, a ``_low`` and a ``_high`` for each of
        ``female``, ``male``, ``other``, ``unknown`` and ``unreconciled``, ``unsplit``,
        ``unsplit_low``, ``unsplit_high`` (the persons of totals with no part by sex, who
        are counted in ``unknown``), ``estimate``, ``cells`` (cells with a total),
        ``cells_unsplit``, ``rows`` (rows summed), ``censored`` and ``repeated`` (how many of
        them are censored, or repeat their key), ``rows_excluded`` and ``excluded`` (the
        rows left out, by reason, with their lines).

    Raises:
        ValidationError: If ``df`` does not validate against the table's schema.
        ValueError: If ``unknown``, ``table`` or ``by`` is not one the function knows, or
            the shape of ``df`` is ambiguous.
        TypeError: If ``df`` is not a frame of a kind listed above.

    Examples:
        >>> from unodc_metrics import gender_breakdown, load, read_glotip
        >>> trainings = load("trainings")
        >>> gptip = trainings[trainings["initiative"] == "GPTIP"]
        >>> out = gender_breakdown(gptip)
        >>> out[["female", "male", "unknown", "unreconciled", "total"]]
           female  male  unknown  unreconciled  total
        0    1138   715      919             4   2776
        >>> round(float(out.loc[0, "female_share"]), 3)
        0.41
        >>> b = gender_breakdown(gptip, unknown="bounds")
        >>> [round(float(b.loc[0, c]), 3) for c in ("female_share_low", "female_share_high")]
        [0.41, 0.742]

        The long shape: 22 victims, 17 of them women, fewer than 5 men, fewer than 5 of
        unknown sex (a made-up file):

        >>> import io
        >>> header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,"
        >>> header += "Age,Year,Unit of measurement,txtVALUE,Source"
        >>> cell = "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total"
        >>> counts = [("Total", "Total", 22), ("Female", "Total", 17), ("Male", "Total", "<5")]
        >>> counts += [("Unknown", "Unknown", "<5")]
        >>> lines = [header] + [f"{cell},{s},{a},2022,Counts,{n},GLOTIP" for s, a, n in counts]
        >>> glotip = read_glotip(io.StringIO("".join(line + chr(10) for line in lines)))
        >>> out = gender_breakdown(glotip, by="year")
        >>> out[["year", "female", "male", "unknown", "unreconciled", "total", "qualifier"]]
           year  female  male  unknown  unreconciled  total qualifier
        0  2022      17  <NA>     <NA>          <NA>     22     range
        >>> out.loc[0, ["male_low", "male_high", "unreconciled_low", "unreconciled_high"]].tolist()
        [0, 4, -3, 5]
    """
    check_unknown(unknown)
    table = shape_of(df) if table is None else table
    if table == GLOTIP:
        if within is not None:
            raise ValueError("within applies to the figure tables; select GLOTIP's years instead")
        result, excluded = glotip_sex_breakdown(validated_glotip(df, validate), by, unknown, areas)
        return (result, excluded) if return_excluded else result
    figure_areas(areas)
    if table not in SEX_TABLES:
        raise ValueError(
            "gender_breakdown needs the counts by sex of the 'trainings' or the 'rescues' "
            f"table, or the long shape of 'glotip'; got {table!r}"
        )
    result, excluded = wide_breakdown(
        df, table, by, unknown, within=within, validate=validate, want_excluded=return_excluded
    )
    return (result, excluded) if return_excluded else result
