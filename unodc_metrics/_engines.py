"""Validation of a figure table that lives in a lazy engine, without collecting it.

:func:`validate_lazy` checks a narwhals ``LazyFrame`` backed by a polars ``LazyFrame``, a
DuckDB relation, a Dask DataFrame or a PySpark DataFrame against the schema of one of the
figure tables. Every check runs in the engine; only counts, and at most :data:`LISTED`
offending rows per rule, come back to Python. Failures are reported as the pandas path
(:func:`unodc_metrics.validate`) reports them: the same ``check`` names and messages, and
the same ``column`` (for a rule across columns, the comma-joined columns it reads), with
``row`` missing (engines have no row positions) and ``id`` the row's id. When more rows fail
a rule than are listed, the message of each listed failure ends with
"(1,234 rows fail this rule; the first 20 are listed)": the first by id, or, for the
column-level rules that pandera's polars backend runs, by position.

What runs where:

| Rules | polars LazyFrame | DuckDB, Dask, PySpark |
|---|---|---|
| Columns: present, none extra, in order, dtype families | narwhals, from the frame's schema (no data read) | the same |
| Not-null, and the column checks of the schema (ge, le, isin, str_matches, str_length) | pandera's polars backend (its failing rows, mapped to ids by position) | narwhals expressions, in the one pass below |
| Rules across the columns of one row, and the registries (measures, initiatives, ISO 3166) | narwhals expressions: one pass returns a count per rule | the same |
| Unique id, part_of, parts and wholes, breakdowns (rescues) | narwhals: one query joins each row to its whole, with windows over ids and parts | the same |

On PySpark, pandera's pyspark backend also runs the column-level part, where it can be
imported. It cannot with pandas 3: ``pandera.pyspark`` imports ``pyspark.pandas``, which
fails there (PySpark 4.3 imports ``DateOffset`` from ``pandas.tseries.frequencies``). Then
the narwhals pass alone checks those rules, as it always does on PySpark: pandera's report
(``df.pandera.errors``) names failing checks but not rows, so it only adds a failure, without
an id, for a (column, check) pair that the narwhals pass did not find.

The checks, in the order they run:

1. Columns. Every column of the schema is present (``column_in_dataframe``), there is no
   other column (``column_in_schema``; the schemas are strict), the columns come in the
   schema's order (``column_ordered``), and each column's dtype is of the right family:
   integer columns integer (any width), text columns string, ``period_start`` and
   ``period_end`` Date or Datetime (any unit or time zone), ``sex_split_derived`` boolean,
   ``female_percent`` float or integer. A missing column or a wrong dtype stops validation
   here, as the data checks need the columns.
2. Rows, in one pass that returns one count per rule: not-null for the columns that are not
   nullable; the column checks that the pandera schema declares (read from the schema, so
   they cannot drift from it); and every rule of ``FigureTable``, ``Trainings`` and
   ``Rescues`` that reads one row: bounds_follow_qualifier, period_in_order,
   period_matches_kind, inference_explained, flags_known, initiative_known,
   country_is_iso3166, measure_known, sexes_within_total and female_bounds, including the
   exact interval that the rounding of a whole percentage allows (in integer arithmetic,
   which every engine has). Lists of flags and of inferred attributes are judged with a
   regular expression.
3. Relations, in one query that joins each row to its whole: ``id`` unique
   (``field_uniqueness``), part_of_exists (``part_of`` is the id of another row, not its
   own), part_within_whole, parts_within_whole (the parts grouped by ``part_of``, and by
   ``breakdown`` in rescues) and, in rescues, breakdown_refines_whole.

Then, for the failing rules only, one query per step fetches up to :data:`LISTED` rows of
each (on polars, one more maps the rows that pandera found to their ids).

On polars, the column-level schema is :func:`unodc_metrics._aggregate.polars_schema` without
its dataframe-level checks (they run on pandas there) and without ``unique`` (step 3 checks
it), validated with ``validation_depth=SCHEMA_AND_DATA`` so that pandera checks the data of a
lazy frame. Integer and float columns of another width are first cast, losslessly and
lazily, to the schema's Int64 and Float64; the date columns are left to the family check.

What engines do not check, or check differently from the pandas path:

- Values are not coerced: where the pandas path reads the text ``"12"`` as a number, an
  engine reports the column's dtype.
- Where an id repeats (itself a failure), a part is not compared with the first row of that
  id, as the pandas path does: it is compared with the largest ``value_high`` among them
  (with no bound if any of them has none), and breakdown_refines_whole does not judge it.
- A rule that cannot be evaluated is never reported as "could not be checked": step 1
  stops before the data is read.
- Regular expressions run in each engine's dialect (RE2 in DuckDB and pyarrow, Rust's regex
  in polars, Java's in Spark, Python's for Dask text of object dtype): ``\\s`` may not match
  every Unicode space that Python's ``str.strip`` removes, and Java's and Python's ``$``
  also match before a final line break (an ``id`` ending in one passes there).
- Column order is checked, but an extra column does not stop validation: the data checks
  still run on the schema's columns.
"""  # noqa: E501 (a Markdown table, for docs/scale.md)

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from unodc_metrics._errors import ValidationError

if TYPE_CHECKING:
    import narwhals as nw
    import pandas as pd
    import pandera.pandas as pa

__all__ = ["LISTED", "validate_lazy"]

LISTED = 20
"""The most offending rows fetched and listed per rule."""

_FAILURE_COLUMNS = ["table", "column", "row", "id", "value", "check", "message"]

# Internal columns start with two underscores; the schemas are strict, so input never has any.
_PARENT = "__parent"
_REPEATS = "__repeats"
_PART_SUM = "__parts"
_BREAKDOWN_KEY = "__breakdown"
_NO_BREAKDOWN = "\x00none"
_ROUNDING = "__rounding"
_DIMENSIONS = ("sex", "age", "exploitation")


@dataclass(frozen=True)
class _Rule:
    """One rule, as a narwhals expression that is true where a row passes it."""

    check: str
    """The check's name, as the pandas path reports it."""
    column: str
    """The column, or the comma-joined columns, that a failure is reported against."""
    message: str
    ok: nw.Expr
    shown: tuple[str, ...]
    """The columns whose values a failure lists."""
    column_level: bool = False
    """A not-null or column check: pandera's backend runs it where it can."""


@dataclass
class _Found:
    """A failing rule: how many rows fail it, and the first few of them."""

    rule: _Rule
    count: int
    rows: list[dict[str, Any]]


def validate_lazy(frame: nw.LazyFrame[Any], table: str) -> None:
    """Validate a lazy frame against the schema of a figure table, inside its engine.

    Args:
        frame: A narwhals ``LazyFrame`` backed by polars, DuckDB, Dask or PySpark, in the
            shape of the table. A narwhals ``DataFrame`` is validated through ``.lazy()``.
        table: The name of a figure table, one of
            :data:`unodc_metrics._tables.FIGURE_TABLES`.

    Returns:
        None, when the frame meets the schema.

    Raises:
        ValidationError: If it does not. Its ``failures`` have the columns of the pandas
            path, with ``row`` missing and ``id`` the row's id. At most :data:`LISTED` rows
            are listed per rule; where more fail, the message says how many.
        LookupError: If ``table`` is not a figure table.
        TypeError: If ``frame`` is not a narwhals frame.

    Examples:
        >>> import narwhals as nw
        >>> import polars as pl
        >>> import unodc_metrics as um
        >>> arrests = pl.from_pandas(um.load("arrests"))
        >>> validate_lazy(nw.from_native(arrests.lazy()), "arrests")
        >>> bad = arrests.lazy().with_columns(pl.col("value") * -1)
        >>> try:
        ...     validate_lazy(nw.from_native(bad), "arrests")
        ... except um.ValidationError as err:
        ...     print(str(err).splitlines()[1])
        ...     negative = err.failures["column"] == "value"
        ...     print(err.failures.loc[negative, ["id", "value"]].to_string(index=False))
          - the row with id ARR-05a, column 'value', value -17: must be at least 0
             id value
        ARR-05a   -17
        ARR-69a    -6
        ARR-76a    -5
        ARR-76b   -13
    """
    import narwhals as nw

    from unodc_metrics._tables import FIGURE_TABLES, _schema

    if table not in FIGURE_TABLES:
        raise LookupError(
            f"validate_lazy() checks the figure tables only, not {table!r}; they are: "
            + ", ".join(FIGURE_TABLES)
        )
    if isinstance(frame, nw.DataFrame):
        frame = frame.lazy()
    if not isinstance(frame, nw.LazyFrame):
        raise TypeError(
            "validate_lazy() takes a narwhals LazyFrame (wrap the engine's frame with "
            f"narwhals.from_native), not {type(frame).__name__}"
        )
    schema = _schema(table).to_schema()
    failures, readable = _column_failures(frame, schema, table)
    if not readable:
        raise ValidationError(table, _frame(failures))
    frame = _aligned(frame)
    backend = _pandera_backend(frame.implementation)
    rules = _row_rules(schema, table)
    # pandera's polars backend returns the failing rows of the column-level rules itself.
    ours = [r for r in rules if not (r.column_level and backend == "polars")]
    found = _run(_with_rounding(frame) if "female_percent" in schema.columns else frame, ours)
    relational = _relational_rules(schema, table)
    found += _run(_related(frame, table, relational), relational)
    if backend is not None:
        found = _merge(found, _pandera(frame, schema, table, rules, backend))
    failures += [failure for one in found for failure in _listed(one, table)]
    if failures:
        raise ValidationError(table, _frame(failures))


# --------------------------------------------------------------------------------------
# Step 1: the columns and their dtypes, from the frame's schema alone
# --------------------------------------------------------------------------------------


def _column_failures(
    frame: nw.LazyFrame[Any], schema: pa.DataFrameSchema, table: str
) -> tuple[list[dict[str, Any]], bool]:
    """Failures of the columns' presence, order and dtypes; whether the data can be read."""
    types = frame.collect_schema()
    names = list(types.names())
    missing = [name for name in schema.columns if name not in types]
    failures = [_failure(table, name, None, None, "column_in_dataframe") for name in missing]
    extra = [name for name in names if name not in schema.columns]
    failures += [_failure(table, name, None, None, "column_in_schema") for name in extra]
    present = [name for name in names if name in schema.columns]
    expected = [name for name in schema.columns if name in types]
    failures += [
        _failure(table, table, None, name, "column_ordered")
        for name, want in zip(present, expected, strict=True)
        if name != want
    ]
    wrong = 0
    for name in present:
        family, fits = _family(str(schema.columns[name].dtype))
        if not fits(types[name]):
            wrong += 1
            message = f"must have {'an' if family[0] in 'aeiou' else 'a'} {family} dtype"
            failures.append(
                _failure(table, name, None, str(types[name]), f"dtype('{family}')", message)
            )
    return failures, not missing and not wrong


def _family(pandas_dtype: str) -> tuple[str, Callable[[Any], bool]]:
    """The dtype family that a schema dtype stands for, and a test of a narwhals dtype."""
    import narwhals as nw

    if pandas_dtype.startswith("datetime"):
        return "date or datetime", lambda d: d == nw.Date or d == nw.Datetime
    if pandas_dtype.startswith(("string", "str")):
        return "string", lambda d: d == nw.String
    if pandas_dtype == "bool":
        return "boolean", lambda d: d == nw.Boolean
    if pandas_dtype.startswith("Int"):
        return "integer", lambda d: bool(d.is_integer())
    if pandas_dtype.startswith("Float"):
        return "float or integer", lambda d: bool(d.is_float() or d.is_integer())
    raise NotImplementedError(f"no engine dtype family for the schema dtype {pandas_dtype!r}")


def _aligned(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The frame, with a Date period column made Datetime where the other one is Datetime."""
    import narwhals as nw

    types = frame.collect_schema()
    start, end = types["period_start"], types["period_end"]
    if (start == nw.Date) != (end == nw.Date):
        date, other = ("period_start", end) if start == nw.Date else ("period_end", start)
        frame = frame.with_columns(nw.col(date).cast(other))
    return frame


# --------------------------------------------------------------------------------------
# Step 2: the rules that read one row, as narwhals expressions
# --------------------------------------------------------------------------------------


def _yes(expr: nw.Expr) -> nw.Expr:
    """A comparison where missing (undecidable) counts as false."""
    return expr.fill_null(False)


def _le(left: nw.Expr, right: nw.Expr) -> nw.Expr:
    """``left <= right``, true wherever either side is missing (as ``schemas._le``)."""
    return left.is_null() | right.is_null() | _yes(left <= right)


def _one_of(expr: nw.Expr, values: Iterable[object]) -> nw.Expr:
    """Whether a value is one of ``values``; false where it is missing."""
    return _yes(expr.is_in(sorted(set(values), key=str)))


def _literal(text: str) -> str:
    """``text`` as a regular expression that every engine's dialect reads literally.

    Only the metacharacters are escaped: Rust's regex refuses some escapes, such as of a
    space, that Python's ``re.escape`` writes.
    """
    return "".join("\\" + ch if ch in ".^$*+?()[]{}|\\" else ch for ch in text)


def _missing_or_in(expr: nw.Expr, allowed: Iterable[str]) -> nw.Expr:
    return expr.is_null() | _one_of(expr, allowed)


def _list_pattern(allowed: Iterable[str]) -> str:
    """A regular expression for the comma-separated lists made of allowed tokens only.

    It reads a list as ``schemas._split`` does: items are separated by commas, spaces
    around an item are ignored, and an empty item is allowed (an empty text is no item).
    """
    token = "(?:" + "|".join(_literal(t) for t in sorted(allowed)) + r")\s*"
    return rf"^\s*(?:{token})?(?:,\s*(?:{token})?)*$"


def _row_rules(schema: pa.DataFrameSchema, table: str) -> list[_Rule]:
    """Every rule that reads one row, in the order the pandas schema lists them."""
    import narwhals as nw

    from unodc_metrics._tables import _human
    from unodc_metrics.schemas import RULE_COLUMNS

    rules: list[_Rule] = []
    for name, column in schema.columns.items():
        c = nw.col(name)
        if not column.nullable:
            message = _human("not_nullable")
            rules.append(_Rule("not_nullable", name, message, ~c.is_null(), (name,), True))
        for check in column.checks:
            error = str(check.error)
            ok = c.is_null() | _yes(_column_check(c, check.name, check.statistics))
            rules.append(_Rule(error, name, _human(error), ok, (name,), True))
    builders = _row_rule_builders(table)
    for check in schema.checks:
        if check.name in builders:
            error = str(check.error)
            columns = RULE_COLUMNS[error]
            ok = _yes(builders[check.name]())
            rules.append(_Rule(error, ", ".join(columns), error, ok, columns))
    return rules


def _column_check(c: nw.Expr, name: str, stats: Mapping[str, object]) -> nw.Expr:
    """A pandera built-in column check as a narwhals expression (nulls are judged apart)."""
    if name == "greater_than_or_equal_to":
        return c >= stats["min_value"]
    if name == "greater_than":
        return c > stats["min_value"]
    if name == "less_than_or_equal_to":
        return c <= stats["max_value"]
    if name == "less_than":
        return c < stats["max_value"]
    if name == "equal_to":
        return c == stats["value"]
    if name == "isin":
        return _one_of(c, _values(stats["allowed_values"]))
    if name == "notin":
        return ~_one_of(c, _values(stats["forbidden_values"]))
    if name == "str_matches":
        # pandera matches at the start of the text, as re.match does.
        return c.str.contains("^(?:" + str(stats["pattern"]) + ")")
    if name == "str_length":
        length = c.str.len_chars()
        if stats.get("exact_value") is not None:
            return length == stats["exact_value"]
        ok = length >= 0
        if stats.get("min_value") is not None:
            ok = ok & (length >= stats["min_value"])
        if stats.get("max_value") is not None:
            ok = ok & (length <= stats["max_value"])
        return ok
    raise NotImplementedError(f"the column check {name!r} has no engine version")


def _values(values: object) -> Iterable[object]:
    if not isinstance(values, Iterable):
        raise TypeError(f"expected a collection of values, not {values!r}")
    return values


def _row_rule_builders(table: str) -> dict[str, Callable[[], nw.Expr]]:
    """The rules across the columns of one row, by the name of the schema's method."""
    import narwhals as nw

    from unodc_metrics._tables import initiative_codes, measure_names
    from unodc_metrics.schemas import FLAGS, INFERABLE, _iso3166_alpha3

    def inference_explained() -> nw.Expr:
        inferred, reason = nw.col("inferred"), nw.col("inferred_reason")
        listed = inferred.is_null() | _yes(inferred.str.contains(_list_pattern(INFERABLE)))
        paired = (inferred.is_null() & reason.is_null()) | (~inferred.is_null() & ~reason.is_null())
        return listed & paired

    def flags_known() -> nw.Expr:
        flags = nw.col("flags")
        return flags.is_null() | _yes(flags.str.contains(_list_pattern(FLAGS)))

    return {
        "bounds_follow_qualifier": _bounds_follow_qualifier,
        "period_in_order": lambda: _le(nw.col("period_start"), nw.col("period_end")),
        "period_matches_kind": _period_matches_kind,
        "inference_explained": inference_explained,
        "flags_known": flags_known,
        "initiative_known": lambda: _missing_or_in(nw.col("initiative"), initiative_codes()),
        "country_is_iso3166": lambda: _missing_or_in(nw.col("country"), _iso3166_alpha3()),
        "measure_known": lambda: _one_of(nw.col("measure"), measure_names(table)),
        "sexes_within_total": _sexes_within_total,
        "female_bounds": _female_bounds,
    }


def _bounds_follow_qualifier() -> nw.Expr:
    import narwhals as nw

    q, v = nw.col("qualifier"), nw.col("value")
    lo, hi = nw.col("value_low"), nw.col("value_high")
    exact = _yes(lo == v) & _yes(hi == v)
    at_least = _yes(lo == v) & hi.is_null()
    above = _yes(lo == v + 1) & hi.is_null()
    approx = _yes(lo <= v) & _yes(v <= hi)
    return (
        (_yes(q == "exact") & exact)
        | (_yes(q == "at_least") & at_least)
        | (_one_of(q, ["more_than", "over"]) & above)
        | (_yes(q == "approximately") & approx)
    )


def _period_matches_kind() -> nw.Expr:
    import narwhals as nw

    kind, start, end = nw.col("period_kind"), nw.col("period_start"), nw.col("period_end")
    both = ~start.is_null() & ~end.is_null()
    same_year = both & _yes(start.dt.year() == end.dt.year())
    whole_year = (
        same_year
        & _yes(start.dt.month() == 1)
        & _yes(start.dt.day() == 1)
        & _yes(end.dt.month() == 12)
        & _yes(end.dt.day() == 31)
    )
    return (
        (_yes(kind == "calendar_year") & whole_year)
        | (_yes(kind == "part_of_year") & same_year & ~whole_year)
        | (_one_of(kind, ["date_range", "stock"]) & both)
        | (_yes(kind == "cumulative") & ~end.is_null())
        | _yes(kind == "unspecified")
    )


def _sexes_within_total() -> nw.Expr:
    import narwhals as nw

    parts = nw.sum_horizontal(
        *(nw.col(c).fill_null(0) for c in ("female_low", "male", "other_sex", "unknown_sex"))
    )
    return _le(parts, nw.col("value_high"))


def _female_bounds() -> nw.Expr:
    """Trainings: stated counts are exact, derived ones lie in their rounding interval.

    Reads the columns that :func:`_with_rounding` adds.
    """
    import narwhals as nw

    f, lo, hi = nw.col("female"), nw.col("female_low"), nw.col("female_high")
    derived = _yes(nw.col("sex_split_derived"))
    pct = nw.col("female_percent")
    none = f.is_null() & lo.is_null() & hi.is_null() & ~derived
    stated = ~f.is_null() & ~derived & _yes(lo == f) & _yes(hi == f)
    contained = ~f.is_null() & _yes(lo <= f) & _yes(f <= hi) & ~pct.is_null()
    exact = _yes(lo == nw.col(f"{_ROUNDING}_low")) & _yes(hi == nw.col(f"{_ROUNDING}_high"))
    matches = ~nw.col(f"{_ROUNDING}_whole") | exact
    return none | stated | (derived & contained & matches)


def _with_rounding(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The frame with the interval of female counts that a whole ``female_percent`` allows.

    From a whole percentage p of n, the counts whose share rounds to p run from
    max(0, ceil(n(2p - 1)/200)) to min(n, floor(n(2p + 1)/200)), as in
    ``schemas._rounding_intervals``; here in integers, which every engine has. The parts
    are columns of their own, in two steps: an expression that repeats its parts grows with
    every repeat, and PySpark builds each node through the JVM (as each step, too).
    """
    import narwhals as nw

    def name(part: str) -> str:
        return f"{_ROUNDING}_{part}"

    pct, total = nw.col("female_percent"), nw.col("value")
    whole = ~total.is_null() & ~pct.is_null() & _yes(pct.round(0) == pct)
    n, p = nw.col(name("n")), nw.col(name("p"))
    low = _ceil_div(n * (p * 2 - 1), 200)
    high = _floor_div(n * (p * 2 + 1), 200)
    return frame.with_columns(
        whole.alias(name("whole")),
        nw.when(whole).then(total).otherwise(0).cast(nw.Int64).alias(name("n")),
        nw.when(whole).then(pct.round(0)).otherwise(0).cast(nw.Int64).alias(name("p")),
    ).with_columns(
        nw.when(low >= 0).then(low).otherwise(0).alias(name("low")),
        nw.when(high <= n).then(high).otherwise(n).alias(name("high")),
    )


def _floor_div(a: nw.Expr, b: int) -> nw.Expr:
    """``floor(a / b)`` for a positive ``b``, dividing non-negative numbers only.

    Engines disagree on the integer division of negative numbers (floor or truncation).
    """
    import narwhals as nw

    return nw.when(a >= 0).then(a // b).otherwise(((a * -1) + (b - 1)) // b * -1)


def _ceil_div(a: nw.Expr, b: int) -> nw.Expr:
    """``ceil(a / b)`` for a positive ``b``, dividing non-negative numbers only."""
    import narwhals as nw

    return nw.when(a > 0).then((a + (b - 1)) // b).otherwise((a * -1) // b * -1)


# --------------------------------------------------------------------------------------
# Step 3: the rules across rows, on the frame joined to each row's whole
# --------------------------------------------------------------------------------------


def _related(frame: nw.LazyFrame[Any], table: str, rules: Sequence[_Rule]) -> nw.LazyFrame[Any]:
    """The frame with each row's whole and the windows that the relational rules read.

    The wholes are the rows grouped by ``id``, so the join never repeats a row. Only the
    columns that the rules read or show are kept: less to join and to move.
    """
    import narwhals as nw

    read = {"id", "part_of", "value_low", "value_high", "breakdown", "status", *_DIMENSIONS}
    read.update(c for rule in rules for c in rule.shown)
    frame = frame.select(*(c for c in frame.collect_schema().names() if c in read))
    carried = ("status", *_DIMENSIONS) if table == "rescues" else ()
    wholes = (
        frame.filter(~nw.col("id").is_null())
        .with_columns(nw.col("value_high").is_null().cast(nw.Int64).alias(f"{_PARENT}_open"))
        .group_by("id")
        .agg(
            nw.len().alias(f"{_PARENT}_n"),
            nw.col("value_high").max().alias(f"{_PARENT}_high"),
            nw.col(f"{_PARENT}_open").sum().alias(f"{_PARENT}_open"),
            *(nw.col(c).min().alias(f"{_PARENT}_{c}") for c in carried),
        )
        .rename({"id": f"{_PARENT}_id"})
    )
    if table == "rescues":
        breakdown = nw.col("breakdown").fill_null(_NO_BREAKDOWN)
    else:
        breakdown = nw.lit(_NO_BREAKDOWN)
    keyed = frame.with_columns(
        nw.col("id").count().over("id").alias(_REPEATS), breakdown.alias(_BREAKDOWN_KEY)
    ).with_columns(nw.col("value_low").sum().over("part_of", _BREAKDOWN_KEY).alias(_PART_SUM))
    return keyed.join(wholes, left_on="part_of", right_on=f"{_PARENT}_id", how="left")


def _relational_rules(schema: pa.DataFrameSchema, table: str) -> list[_Rule]:
    """The rules across rows, as expressions over the frame that :func:`_related` makes."""
    import narwhals as nw

    from unodc_metrics._tables import _human
    from unodc_metrics.schemas import RULE_COLUMNS

    part_of, found = nw.col("part_of"), ~nw.col(f"{_PARENT}_n").is_null()
    high = nw.col(f"{_PARENT}_high")
    # No bound where the whole has none, or where a repeated id has one row without.
    unbounded = high.is_null() | _yes(nw.col(f"{_PARENT}_open") > 0)
    builders: dict[str, Callable[[], nw.Expr]] = {
        "part_of_exists": lambda: part_of.is_null() | (found & _yes(part_of != nw.col("id"))),
        "part_within_whole": lambda: unbounded | _le(nw.col("value_low"), high),
        "parts_within_whole": lambda: part_of.is_null() | unbounded | _le(nw.col(_PART_SUM), high),
        "breakdown_refines_whole": _breakdown_refines_whole,
    }
    rules = []
    if schema.columns["id"].unique:
        ok = ~_yes(nw.col(_REPEATS) > 1)
        rules.append(_Rule("field_uniqueness", "id", _human("field_uniqueness"), ok, ("id",)))
    for check in schema.checks:
        if check.name in builders:
            error = str(check.error)
            columns = RULE_COLUMNS[error]
            ok = _yes(builders[check.name]())
            rules.append(_Rule(error, ", ".join(columns), error, ok, columns))
    return rules


def _breakdown_refines_whole() -> nw.Expr:
    """Rescues: a part names its breakdown, refines only that dimension, shares its status."""
    import narwhals as nw

    has_whole = ~nw.col("part_of").is_null()
    breakdown = nw.col("breakdown")
    ok = (has_whole & ~breakdown.is_null()) | (~has_whole & breakdown.is_null())
    # A whole whose id repeats is ambiguous: it is not judged (the repeat is reported).
    exempt = ~has_whole | _yes(nw.col(f"{_PARENT}_n") > 1)
    ok = ok & (exempt | _yes(nw.col("status") == nw.col(f"{_PARENT}_status")))
    for dim in _DIMENSIONS:
        part, whole = nw.col(dim), nw.col(f"{_PARENT}_{dim}")
        split_here = _yes(breakdown == dim)
        refines = _yes(whole == "all") & _yes(part != "all")
        kept = _yes(part == whole) | _yes(whole == "all")
        ok = ok & (exempt | (split_here & refines) | (~split_here & kept))
    return ok


# --------------------------------------------------------------------------------------
# Running the rules: one pass for the counts, one query for the rows of the failing rules
# --------------------------------------------------------------------------------------


def _run(source: nw.LazyFrame[Any], rules: Sequence[_Rule]) -> list[_Found]:
    """Count each rule's failing rows in one pass; then fetch the first few of each.

    The rows of all failing rules come back in one query: a union of one branch per rule,
    each that rule's failing rows with the smallest ids. Every branch selects the same
    columns (all that the failing rules show), so that the branches stack.
    """
    import narwhals as nw

    if not rules:
        return []
    counts = (
        source.select(
            *((~rule.ok).cast(nw.Int64).sum().alias(f"__rule{i}") for i, rule in enumerate(rules))
        )
        .collect()
        .row(0)
    )
    failing = [(i, rule, _count(n)) for i, (rule, n) in enumerate(zip(rules, counts, strict=True))]
    failing = [(i, rule, n) for i, rule, n in failing if n]
    if not failing:
        return []
    shown = list(dict.fromkeys(["id", *(c for _, rule, _ in failing for c in rule.shown)]))
    branches = [
        source.filter(~rule.ok)
        .sort("id", nulls_last=True)
        .head(LISTED)
        .select(nw.lit(i, dtype=nw.Int64).alias("__rule"), *shown)
        for i, rule, _ in failing
    ]
    rows: dict[int, list[dict[str, Any]]] = {}
    for row in nw.concat(branches, how="vertical").collect().rows(named=True):
        rows.setdefault(int(row["__rule"]), []).append(row)
    return [_Found(rule, n, sorted(rows.get(i, []), key=_by_id)) for i, rule, n in failing]


def _count(value: Any) -> int:
    """A count that an engine returned (an int, a Decimal, a numpy number or missing)."""
    return 0 if value is None or value != value else int(value)


def _by_id(row: Mapping[str, Any]) -> tuple[bool, str]:
    """Rows by id, missing ids last (each engine orders a union its own way)."""
    missing = _text(row.get("id")) == "<missing>"
    return (missing, "" if missing else str(row["id"]))


def _listed(found: _Found, table: str) -> list[dict[str, Any]]:
    """One failure per listed row; the message says how many rows fail, if not all are listed."""
    rule = found.rule
    message = rule.message
    if found.count > len(found.rows):
        message += f" ({found.count:,} rows fail this rule; the first {len(found.rows)} are listed)"
    out = []
    for row in found.rows:
        if "__value" in row:  # pandera's failure case, already text
            value = row["__value"]
        elif len(rule.shown) == 1:
            value = _text(row.get(rule.shown[0]))
        else:
            value = ", ".join(f"{c}={_text(row.get(c))}" for c in rule.shown)
        out.append(_failure(table, rule.column, row.get("id"), value, rule.check, message))
    if not found.rows:
        out.append(_failure(table, rule.column, None, "<not listed>", rule.check, message))
    return out


def _merge(ours: list[_Found], theirs: list[_Found]) -> list[_Found]:
    """pandera's findings added to the narwhals ones, each (column, check) pair once."""
    seen = {(f.rule.column, f.rule.check) for f in ours}
    return ours + [f for f in theirs if (f.rule.column, f.rule.check) not in seen]


# --------------------------------------------------------------------------------------
# pandera's own backends, for the column-level rules on polars and PySpark
# --------------------------------------------------------------------------------------


def _pandera_backend(implementation: Any) -> str | None:
    """``"polars"`` or ``"pyspark"`` where pandera has a backend for the engine and loads."""
    import narwhals as nw

    if implementation is nw.Implementation.POLARS and _loads("pandera.polars"):
        return "polars"
    if implementation is nw.Implementation.PYSPARK and _loads("pandera.pyspark"):
        return "pyspark"
    return None


@cache
def _loads(module: str) -> bool:
    """Whether a module imports (tried once: Python does not remember a failed import).

    Warnings are silenced while trying, so that the answer does not depend on the warning
    filters: importing ``pyspark.pandas`` warns about pandas 3 before it fails.
    """
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            importlib.import_module(module)
        except ImportError:
            return False
    return True


def _pandera(
    frame: nw.LazyFrame[Any],
    schema: pa.DataFrameSchema,
    table: str,
    rules: Sequence[_Rule],
    backend: str,
) -> list[_Found]:
    """The column-level failures that pandera's polars or pyspark backend finds."""
    import narwhals as nw

    targets = {"Int64": nw.Int64, "Float64": nw.Float64}
    types = frame.collect_schema()
    # Lossless casts to the schema's dtypes, so that pandera can check them as they are.
    casts = [
        nw.col(name).cast(targets[str(col.dtype)])
        for name, col in schema.columns.items()
        if str(col.dtype) in targets and types[name] != targets[str(col.dtype)]
    ]
    if casts:
        frame = frame.with_columns(*casts)
    by_key = {(r.column, r.check): r for r in rules if r.column_level}
    if backend == "polars":
        return _pandera_polars(frame, schema, table, by_key)
    return _pandera_pyspark(frame, schema, table, by_key)


def _rule_for(by_key: Mapping[tuple[str, str], _Rule], column: str, check: str) -> _Rule:
    """The rule that a pandera failure stands for, or a new one to report it."""
    import narwhals as nw

    from unodc_metrics._tables import _human

    rule = by_key.get((column, check))
    if rule is None:
        rule = _Rule(check, column, _human(check), nw.lit(True), (column,), True)
    return rule


def _pandera_polars(
    frame: nw.LazyFrame[Any],
    schema: pa.DataFrameSchema,
    table: str,
    by_key: Mapping[tuple[str, str], _Rule],
) -> list[_Found]:
    """Run pandera's polars backend on the column-level schema; map its rows to ids."""
    import pandera.errors
    import pandera.polars as pap
    import polars as pl
    from pandera.config import ValidationDepth, config_context

    from unodc_metrics._aggregate import polars_schema

    lf: pl.LazyFrame = frame.to_native()
    columns = {
        name: pap.Column(
            # Dates are left to the family check: any unit or time zone will do.
            None if str(schema.columns[name].dtype).startswith("datetime") else col.dtype,
            checks=list(col.checks),
            nullable=col.nullable,
            unique=False,  # the relational query reports repeated ids
            coerce=False,
            name=name,
        )
        for name, col in polars_schema(table).columns.items()
    }
    column_level = pap.DataFrameSchema(columns, strict=False, ordered=False, name=table)
    try:
        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            column_level.validate(lf, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases: pl.DataFrame = exc.failure_cases
    else:
        return []
    found: list[_Found] = []
    listed: list[list[tuple[int, Any]]] = []
    for (column, check), group in cases.group_by(["column", "check"], maintain_order=True):
        at = group.filter(pl.col("index").is_not_null()).sort("index").head(LISTED)
        listed.append(list(zip(at["index"].to_list(), at["failure_case"].to_list(), strict=True)))
        found.append(_Found(_rule_for(by_key, str(column), str(check)), len(group), []))
    # One query for the ids of the rows that pandera found, by their positions.
    positions = sorted({i for pairs in listed for i, _ in pairs})
    ids: dict[int, Any] = {}
    if positions:
        rows = (
            lf.with_row_index("__row")
            .filter(pl.col("__row").is_in(positions))
            .select("__row", "id")
            .collect()
        )
        ids = dict(zip(rows["__row"].to_list(), rows["id"].to_list(), strict=True))
    for one, pairs in zip(found, listed, strict=True):
        one.rows = [{"id": ids.get(i), "__value": _text(value)} for i, value in pairs]
    return found


def _pandera_pyspark(
    frame: nw.LazyFrame[Any],
    schema: pa.DataFrameSchema,
    table: str,
    by_key: Mapping[tuple[str, str], _Rule],
) -> list[_Found]:
    """Run pandera's pyspark backend on the column-level schema; read its error report."""
    import pandera.pyspark as psa
    import pyspark.sql.types as st
    from pandera.config import ValidationDepth, config_context

    def spark_type(pandas_dtype: str) -> Any:
        if pandas_dtype.startswith(("string", "str")):
            return st.StringType()
        simple = {"Int64": st.LongType, "Float64": st.DoubleType, "bool": st.BooleanType}
        return simple[pandas_dtype]() if pandas_dtype in simple else None  # dates: family

    columns = {
        name: psa.Column(
            spark_type(str(col.dtype)), checks=list(col.checks), nullable=col.nullable, name=name
        )
        for name, col in schema.columns.items()
    }
    column_level = psa.DataFrameSchema(columns, strict=False, name=table)
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        checked = column_level.validate(frame.to_native())
    return _from_pyspark_errors(checked.pandera.errors or {}, by_key)


def _from_pyspark_errors(
    errors: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]],
    by_key: Mapping[tuple[str, str], _Rule],
) -> list[_Found]:
    """The (column, check) pairs of a pandera pyspark report (``df.pandera.errors``).

    The report names failing checks but no rows, so a finding has none: :func:`_merge`
    keeps it only for a pair that the narwhals pass did not find, as one failure without id.
    """
    found = []
    for reasons in errors.values():
        for reports in reasons.values():
            for report in reports:
                rule = _rule_for(by_key, str(report.get("column")), str(report.get("check")))
                detail = " ".join(str(report.get("error") or "").split())
                message = f"{rule.message} (pandera's pyspark backend reports: {detail})"
                found.append(_Found(replace(rule, message=message), 0, []))
    return found


# --------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------


def _failure(
    table: str, column: str, id_: Any, value: Any, check: str, message: str | None = None
) -> dict[str, Any]:
    """One failure, in the shape of the pandas path's ``failures`` rows."""
    from unodc_metrics._tables import _human

    return {
        "table": table,
        "column": column,
        "row": None,
        "id": id_,
        "value": value if isinstance(value, str) else _text(value),
        "check": check,
        "message": _human(check) if message is None else message,
    }


def _frame(failures: list[dict[str, Any]]) -> pd.DataFrame:
    """The failures as a frame, ordered as the pandas path orders them.

    Row by row (here by id); within a row, single-column failures before the rules across
    columns; failures that concern no row (the columns) last.
    """
    import pandas as pd

    from unodc_metrics.schemas import RULE_COLUMNS

    def order(failure: Mapping[str, Any]) -> tuple[bool, str, bool, str]:
        no_id = _text(failure["id"]) == "<missing>"
        rid = "" if no_id else str(failure["id"])
        return (no_id, rid, failure["check"] in RULE_COLUMNS, str(failure["column"]))

    ordered: list[dict[str, Any]] = sorted(failures, key=order)
    frame = pd.DataFrame(ordered, columns=_FAILURE_COLUMNS)
    frame["row"] = pd.Series([pd.NA] * len(frame), index=frame.index, dtype=object)
    frame["id"] = frame["id"].astype(object).where(frame["id"].notna(), pd.NA)
    return frame


def _text(value: Any) -> str:
    """A value as the pandas path writes it: dates as ISO dates, missing as <missing>."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value))):
        return "<missing>"
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
