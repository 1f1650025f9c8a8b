"""What a rule is, the lookups it may need, and the small expressions rules are built from.

A :class:`Rule` is specified once, as a narwhals expression that is true on the rows that
fail it. The validation layer runs it on every engine; the schemas' pandera checks call it
through :func:`passes`. A rule that needs more than the row's own columns (the row's whole,
the sums of its parts, the interval a percentage allows) names a :class:`Preparation`: one
function, also written once in narwhals, that adds those columns to the frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import narwhals as nw

from unodc_metrics._catalogue import initiative_codes, measures

__all__ = [
    "ROW",
    "ROW_INDEX",
    "Lookups",
    "Preparation",
    "Rule",
    "eager_rows",
    "le",
    "list_pattern",
    "missing_or_in",
    "narrowed",
    "one_of",
    "passes",
    "yes",
]

ROW_INDEX = "__row"
"""The column that carries each row's position through a preparation, on eager frames.
Internal columns start with two underscores; the schemas are strict, so input never has any."""


@dataclass(frozen=True)
class Lookups:
    """The codes that the data-dependent rules check against, passed in rather than loaded.

    Attributes:
        initiatives: The codes of the initiatives registry.
        measures: The measures that the measures registry lists for the table checked.
        countries: The ISO 3166-1 alpha-3 codes.
    """

    initiatives: frozenset[str]
    measures: frozenset[str]
    countries: frozenset[str]

    @staticmethod
    def shipped(table: str) -> Lookups:
        """The lookups of the shipped registries, for one table."""
        return _shipped(table)


@cache
def _iso3166_alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def _shipped(table: str) -> Lookups:
    return Lookups(
        initiatives=initiative_codes(),
        measures=frozenset(measures(table)),
        countries=_iso3166_alpha3(),
    )


@dataclass(frozen=True)
class Preparation:
    """Columns that some rules read and no row holds by itself, added by one function.

    Attributes:
        name: A short name, for messages.
        reads: The columns of the input that the function needs.
        apply: Returns the frame with the added columns, and every row and column it was
            given (rows may come in another order). Preparations compose: the runner may
            apply several to one frame.
        optional: Columns that the function reads where the frame has them (``rescues``'
            breakdown, say); a frame narrowed for the preparation keeps them.
    """

    name: str
    reads: tuple[str, ...]
    apply: Callable[[nw.LazyFrame[Any]], nw.LazyFrame[Any]]
    optional: tuple[str, ...] = ()


ROW = Preparation("row", (), lambda frame: frame)
"""No preparation: the rule reads the row's own columns."""


@dataclass(frozen=True)
class Rule:
    """One rule of a table's contract, written once for every engine.

    Attributes:
        id: A stable identifier, such as ``bounds_follow_qualifier``: what code and users
            branch on. Failures carry it in their ``rule`` column.
        columns: The columns the rule reads; a failure is reported against them, and lists
            their values.
        message: The rule for people; failures carry it in ``check`` and ``message``.
        fails: Given the lookups, a narwhals expression that is true on the rows that fail.
        preparation: The columns the expression reads beyond the row's own.
    """

    id: str
    columns: tuple[str, ...]
    message: str
    fails: Callable[[Lookups], nw.Expr]
    preparation: Preparation = ROW

    def saying(self, message: str) -> Rule:
        """The same rule, with another message (a table that words it its own way)."""
        return replace(self, message=message)


def narrowed(frame: nw.LazyFrame[Any], columns: Iterable[str]) -> nw.LazyFrame[Any]:
    """The frame with only ``columns`` (those it has), and its row positions if it has them.

    A preparation that joins copies every column it keeps, so an eager frame is narrowed to
    what its checks read before it is prepared.
    """
    names = frame.collect_schema().names()
    return frame.select(*dict.fromkeys(c for c in (ROW_INDEX, *columns) if c in names))


def eager_rows(native: Any) -> nw.LazyFrame[Any]:
    """An eager frame as the rules read it: with each row's position in ``__row``.

    A pandas frame is read through Arrow, which holds the same values: narwhals' pandas
    backend evaluates each node of an expression as a pandas operation, which takes twice
    as long on small frames and is no faster on large ones.
    """
    frame: nw.DataFrame[Any] = nw.from_native(native, eager_only=True)
    if frame.implementation.is_pandas():
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        table = pa.Table.from_pandas(frame.to_native(), preserve_index=False)
        frame = nw.from_native(table, eager_only=True)
    rows: nw.LazyFrame[Any] = frame.with_row_index(ROW_INDEX).lazy()
    return rows


def passes(native: Any, rule: Rule, lookups: Lookups) -> Any:
    """Whether each row of an eager frame passes ``rule``: a boolean numpy array.

    This is how the schemas' pandera checks run a rule; the validation layer runs many rules
    at once, and on lazy engines, in the same way.
    """
    import numpy as np

    ok = np.ones(len(native), dtype=bool)
    prep = rule.preparation
    rows = narrowed(eager_rows(native), (*rule.columns, *prep.reads, *prep.optional))
    failing = prep.apply(rows).filter(rule.fails(lookups)).select(ROW_INDEX).collect()
    ok[failing.get_column(ROW_INDEX).to_numpy()] = False
    return ok


# --------------------------------------------------------------------------------------
# Expressions that rules are built from
# --------------------------------------------------------------------------------------


def yes(expr: nw.Expr) -> nw.Expr:
    """A comparison where missing (undecidable) counts as false."""
    return expr.fill_null(False)


def le(left: nw.Expr, right: nw.Expr) -> nw.Expr:
    """``left <= right``, true wherever either side is missing."""
    return left.is_null() | right.is_null() | yes(left <= right)


def one_of(expr: nw.Expr, values: Iterable[object]) -> nw.Expr:
    """Whether a value is one of ``values``; false where it is missing."""
    return yes(expr.is_in(sorted(set(values), key=str)))


def missing_or_in(expr: nw.Expr, allowed: Iterable[str]) -> nw.Expr:
    """Whether a value is missing or one of ``allowed``."""
    return expr.is_null() | one_of(expr, allowed)


def _literal(text: str) -> str:
    """``text`` as a regular expression that every engine's dialect reads literally.

    Only the metacharacters are escaped: Rust's regex refuses some escapes, such as of a
    space, that Python's ``re.escape`` writes.
    """
    return "".join("\\" + ch if ch in ".^$*+?()[]{}|\\" else ch for ch in text)


def list_pattern(allowed: Iterable[str]) -> str:
    """A regular expression for the comma-separated lists made of allowed tokens only.

    Items are separated by commas, spaces around an item are ignored, and an empty item is
    allowed (an empty text is no item).

    Examples:
        >>> import re
        >>> pattern = list_pattern(["a", "b.c"])
        >>> [bool(re.search(pattern, t)) for t in ["a", " a , b.c ,", "", "a b", "bxc"]]
        [True, True, True, False, False]
    """
    token = "(?:" + "|".join(_literal(t) for t in sorted(allowed)) + r")\s*"
    return rf"^\s*(?:{token})?(?:,\s*(?:{token})?)*$"
