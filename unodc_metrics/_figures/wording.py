"""How a figure is written in words: its number, and its qualifier before it.

The details of :func:`unodc_metrics.check_figures` and :func:`unodc_metrics.inconsistencies`
write the report's numbers this way, and so does the page ``docs/figures.md``
(``tools/figures_page.py``), so that a number reads the same everywhere.
"""

from __future__ import annotations

__all__ = ["QUALIFIER_WORDS", "number_text", "range_text", "stated"]

QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "approximately": "approximately ",
}
"""The words written before a number, by its qualifier (one of
:data:`unodc_metrics.schemas.QUALIFIERS`)."""


def number_text(number: float) -> str:
    """A number with thousands separators, without a decimal point when it is whole.

    Examples:
        >>> number_text(2776.0), number_text(24.5), number_text(1138)
        ('2,776', '24.5', '1,138')
    """
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def stated(qualifier: str, value: float) -> str:
    """A figure as the report states it: its qualifier's words, then its number.

    A qualifier outside :data:`QUALIFIER_WORDS` is written as it is, underscores included.

    Examples:
        >>> stated("at_least", 49), stated("exact", 2776.0), stated("some", 3)
        ('at least 49', '2,776', 'some 3')
    """
    return f"{QUALIFIER_WORDS.get(qualifier, qualifier + ' ')}{number_text(value)}"


def range_text(low: float | None, high: float | None) -> str:
    """The numbers from ``low`` to ``high`` in words; None is an open end.

    Examples:
        >>> range_text(553, 553), range_text(36, None), range_text(None, 23), range_text(3, 5)
        ('553', 'at least 36', 'at most 23', '3 to 5')
        >>> range_text(None, None)
        'any number'
    """
    if low is None and high is None:
        return "any number"
    if high is None:
        return f"at least {number_text(low or 0)}"
    if low is None:
        return f"at most {number_text(high)}"
    if low == high:
        return number_text(low)
    return f"{number_text(low)} to {number_text(high)}"
