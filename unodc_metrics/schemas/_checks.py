"""How a schema names the rules of its table: a pandera dataframe check that calls the rule.

The check holds no logic of its own: it runs the rule's one narwhals expression on the frame
pandera hands it (:func:`unodc_metrics._rules.passes`), with the lookups of the shipped
registries.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd

from unodc_metrics._rules import Lookups, Rule, passes
from unodc_metrics.schemas._pandera import pa

__all__ = ["rule_check", "rules_of"]

_MARK = "__unodc_rule__"


def rule_check(rule: Rule) -> Any:
    """A pandera dataframe check that runs ``rule``: write ``name = rule_check(RULE)`` in a
    schema's class body, where ``name`` is the rule's id."""

    def check(cls: type[pa.DataFrameModel], df: pd.DataFrame) -> pd.Series:
        lookups = Lookups.shipped(str(getattr(cls.Config, "name", "")))
        return pd.Series(passes(df, rule, lookups), index=df.index)

    check.__name__ = check.__qualname__ = rule.id
    check.__doc__ = rule.message
    setattr(check, _MARK, rule)
    # ignore_na=False: a row whose every cell is missing is judged too, as on every engine.
    return pa.dataframe_check(check, error=rule.message, ignore_na=False)


def rules_of(model: type[pa.DataFrameModel]) -> tuple[Rule, ...]:
    """The rules that a schema names, those of its bases first, in the order written."""
    found: dict[str, Rule] = {}
    for base in reversed(inspect.getmro(model)):
        for name, attr in vars(base).items():
            rule = getattr(getattr(attr, "__func__", None), _MARK, None)
            if isinstance(rule, Rule):
                found[name] = rule
    return tuple(found.values())
