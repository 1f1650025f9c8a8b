"""pandera's names of its checks, in plain words, and the stable id each one has."""

from __future__ import annotations

import re

__all__ = ["NOT_CHECKED", "human", "rule_id"]

_HUMAN = [
    (r"^greater_than_or_equal_to\((.*)\)$", "must be at least {0}"),
    (r"^less_than_or_equal_to\((.*)\)$", "must be at most {0}"),
    (r"^greater_than\((.*)\)$", "must be more than {0}"),
    (r"^less_than\((.*)\)$", "must be less than {0}"),
    (r"^isin\((.*)\)$", "must be one of {0}"),
    (r"^str_matches\('?(.*?)'?\)$", "must match the pattern {0}"),
    (r"^str_length\((.*)\)$", "must not be empty"),
    (r"^not_nullable$", "must not be missing"),
    (r"^field_uniqueness$", "must be unique, but this value repeats"),
    (r"^multiple_fields_uniqueness$", "this combination of columns must be unique, but repeats"),
    (r"^column_in_dataframe$", "a required column is missing"),
    (r"^column_in_schema$", "this column is not part of the table (the schema is strict)"),
    (r"^column_ordered$", "the columns must be in the schema's order"),
    (r"^dtype\('?(.*?)'?\)$", "must have dtype {0}"),
]

NOT_CHECKED = (
    "this rule could not be checked because a column it reads has values of the wrong type "
    "or is missing; fix those first. The rule: "
)
"""The start of the message of a rule that reads a column that is missing or unreadable."""


def human(check: str) -> str:
    """pandera's name of a check (``greater_than_or_equal_to(0)``) in words.

    Examples:
        >>> human("greater_than_or_equal_to(0)"), human("not_nullable")
        ('must be at least 0', 'must not be missing')
    """
    for pattern, template in _HUMAN:
        m = re.match(pattern, check)
        if m:
            return template.format(*m.groups())
    return check


def rule_id(check: str) -> str:
    """The stable id of a pandera check: its name, without its arguments.

    Examples:
        >>> rule_id("greater_than_or_equal_to(0)"), rule_id("dtype('Int64')")
        ('greater_than_or_equal_to', 'dtype')
    """
    return check.split("(", 1)[0]
