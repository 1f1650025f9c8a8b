"""What the runner runs: each rule, and each column check of a schema, as one :class:`Check`.

A rule across columns becomes a check as it is. pandera's column checks (not-null, ranges,
allowed values, patterns, lengths, uniqueness) become checks too, for the engines that
pandera's own backends do not serve: each of pandera's built-in checks is translated once,
here, from the statistics that the schema declares, so it cannot drift from the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import narwhals as nw

from unodc_metrics._rules import ROW, Lookups, Preparation, Rule, one_of, yes
from unodc_metrics._validation._messages import human, rule_id

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = ["Check", "column_checks", "rule_checks"]


@dataclass(frozen=True)
class Check:
    """One check the runner evaluates: a rule, or one of pandera's column checks.

    Attributes:
        rule: The stable id that failures carry in ``rule``.
        check: What failures carry in ``check``: pandera's name, or the rule's message.
        column: What failures carry in ``column``.
        message: What failures carry in ``message``.
        fails: True on the rows that fail; never missing.
        shown: The columns whose values a failure lists.
        reads: Every column the check needs; it is not run where one is missing.
        across: A rule across columns (listed after a row's single-column failures).
        preparation: The columns the expression reads beyond the row's own.
    """

    rule: str
    check: str
    column: str
    message: str
    fails: nw.Expr
    shown: tuple[str, ...]
    reads: tuple[str, ...]
    across: bool = False
    preparation: Preparation = ROW


def rule_checks(rules: Iterable[Rule], lookups: Lookups) -> list[Check]:
    """The table's rules across columns, as checks (built once for the same rules and
    lookups: an expression is immutable, and building one costs more than evaluating it on a
    small frame)."""
    return list(_rule_checks(tuple(rules), lookups))


@cache
def _rule_checks(rules: tuple[Rule, ...], lookups: Lookups) -> tuple[Check, ...]:
    return tuple(
        Check(
            rule=rule.id,
            check=rule.message,
            column=", ".join(rule.columns),
            message=rule.message,
            fails=rule.fails(lookups).fill_null(value=True),
            shown=rule.columns,
            reads=(*rule.columns, *rule.preparation.reads),
            across=True,
            preparation=rule.preparation,
        )
        for rule in rules
    )


def _repeats(columns: tuple[str, ...]) -> Preparation:
    name = "__repeats_" + "_".join(columns)

    def count(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        return frame.with_columns(nw.col(columns[0]).count().over(*columns).alias(name))

    return Preparation(name, columns, count)


def column_checks(schema: pa.DataFrameSchema, present: Iterable[str]) -> list[Check]:
    """The schema's column checks, not-null and uniqueness as checks, for present columns."""
    out: list[Check] = []
    present = set(present)
    for name, column in schema.columns.items():
        if name not in present:
            continue
        c = nw.col(name)
        if not column.nullable:
            out.append(_column(name, "not_nullable", c.is_null()))
        for check in column.checks:
            ok = c.is_null() | yes(_builtin(c, check.name, check.statistics))
            out.append(_column(name, str(check.error), ~ok))
        if column.unique:
            out.append(_unique((name,), "field_uniqueness"))
    combined = schema.unique
    if combined and set(combined) <= present:
        out.append(_unique(tuple(combined), "multiple_fields_uniqueness"))
    return out


def _unique(columns: tuple[str, ...], check: str) -> Check:
    prep = _repeats(columns)
    fails = yes(nw.col(prep.name) > 1)
    label = ", ".join(columns)
    return Check(rule_id(check), check, label, human(check), fails, columns, columns, False, prep)


def _column(name: str, check: str, fails: nw.Expr, prep: Preparation = ROW) -> Check:
    return Check(rule_id(check), check, name, human(check), fails, (name,), (name,), False, prep)


def _builtin(c: nw.Expr, name: str, stats: Mapping[str, object]) -> nw.Expr:
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
        return one_of(c, _values(stats["allowed_values"]))
    if name == "notin":
        return ~one_of(c, _values(stats["forbidden_values"]))
    if name == "str_matches":
        # pandera matches at the start of the text, as re.match does.
        return c.str.contains("^(?:" + str(stats["pattern"]) + ")")
    if name == "str_length":
        return _length(c.str.len_chars(), stats)
    raise NotImplementedError(f"the column check {name!r} has no engine version")


def _length(length: nw.Expr, stats: Mapping[str, object]) -> nw.Expr:
    if stats.get("exact_value") is not None:
        return length == stats["exact_value"]
    ok = length >= 0
    if stats.get("min_value") is not None:
        ok = ok & (length >= stats["min_value"])
    if stats.get("max_value") is not None:
        ok = ok & (length <= stats["max_value"])
    return ok


def _values(values: object) -> Sequence[object]:
    if not isinstance(values, Iterable):
        raise TypeError(f"expected a collection of values, not {values!r}")
    return list(values)
