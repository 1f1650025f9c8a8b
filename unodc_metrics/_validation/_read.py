"""One reading of values, for every entry point: a column's values as its schema's kind.

pandas and polars frames, CSV text and Parquet columns all come here as Arrow arrays, and
each is read by the same rules, written once over ``pyarrow.compute``:

- **whole numbers** (``integer``): integers in the range of int64; a float with no
  fraction; text of digits, with an optional sign (and ``.0``, as pandas writes a count
  held as a float). Never ``true``/``false``, never a date.
- **numbers** (``number``): integers and floats; text written as a decimal number.
- **booleans** (``boolean``): real booleans, or the Table Schema's default true and false
  values as text: ``true``, ``True``, ``TRUE``, ``1`` and ``false``, ``False``, ``FALSE``,
  ``0``. Never a number.
- **dates** (``date``): real dates, or timestamps at midnight; text only as an ISO date,
  ``YYYY-MM-DD``, and only a day that exists. Never day-first, never a guess.
- **text** (``string``): text only; a number in a text column is not read as its digits.

Everywhere, a missing value is missing: None, null, pandas' NA, NaT, and NaN (which
pandas and Arrow treat as missing in a float column); in a column that is not text, an
empty or blank text cell is missing too.
A value that cannot be read is missing in the result, and its position comes back with the
reason, in words, so that the caller can report it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from unodc_metrics._base.values import KINDS, kind_of

__all__ = ["KINDS", "MESSAGES", "Reading", "kind_of", "read_array", "to_arrow"]

MESSAGES = {
    "integer": "must be a whole number",
    "number": "must be a number",
    "boolean": "must be true or false",
    "date": "must be a date written YYYY-MM-DD",
    "string": "must be text",
}
"""What a value of each kind must be, in words: the message of a value that is not."""

TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
"""The Table Schema's default true and false values, which the exported schemas declare."""

_ARROW = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.timestamp("ns"),
    "string": pa.large_string(),
}
_INT64_MAX = "9223372036854775807"
_FIRST_DAY, _LAST_DAY = dt.date(1677, 9, 22), dt.date(2262, 4, 11)  # what nanoseconds hold


@dataclass(frozen=True)
class Reading:
    """A column read as its kind.

    Attributes:
        values: The values, as an Arrow array of the kind's type; missing where unreadable.
        bad: The positions of the values that could not be read, in order.
        reason: The reason, in words, that the value at a bad position could not be read.
    """

    values: pa.Array
    bad: np.ndarray
    reason: Callable[[int], str]


def to_arrow(values: Any) -> pa.Array:
    """A pandas or polars column, or a list, as one Arrow array.

    A column of Python objects of several types (``[1, "x"]``), or of integers too large for
    int64, becomes text: each value as it is written, so that the reading of text decides.
    """
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values
    if hasattr(values, "to_arrow") and not hasattr(values, "array"):  # polars
        return to_arrow(values.to_arrow())
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return pa.array([_written(v) for v in _objects(values)], type=pa.large_string())


def _objects(values: Any) -> list[Any]:
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _written(value: Any) -> str | None:
    """One value of a column of mixed objects, as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_array(array: pa.Array, kind: str) -> Reading:
    """``array`` read as ``kind`` (one of :data:`KINDS`)."""
    if isinstance(array.type, pa.DictionaryType):
        array = array.cast(array.type.value_type)
    if pa.types.is_null(array.type):
        return _read(pa.nulls(len(array), _ARROW[kind]), pc.is_valid(array), lambda v: "")
    reader = _READERS[kind]
    return reader(array)


def _read(
    values: pa.Array, bad: pa.Array, reason: Callable[[Any], str], source: pa.Array | None = None
) -> Reading:
    """A reading from its values and the mask of the unreadable ones (which become missing);
    ``reason`` takes the source value at a bad position."""
    mask = np.asarray(pc.fill_null(bad, False).to_numpy(zero_copy_only=False), dtype=bool)
    if mask.any():
        values = pc.if_else(pa.array(mask), pa.nulls(len(values), values.type), values)
    origin = values if source is None else source

    def why(position: int) -> str:
        return reason(origin[position].as_py())

    return Reading(values, np.flatnonzero(mask), why)


def _none(array: pa.Array) -> pa.Array:
    """A mask with no value set: every value was read."""
    return pa.array(np.zeros(len(array), dtype=bool))


def _fixed(kind: str) -> Callable[[Any], str]:
    return lambda value: MESSAGES[kind]


def _refused(array: pa.Array, kind: str) -> Reading:
    """Values of a type that can never be of ``kind``: each one is unreadable."""
    return _read(pa.nulls(len(array), _ARROW[kind]), pc.is_valid(array), _fixed(kind), array)


def _text(array: pa.Array) -> pa.Array:
    """Text cells, trimmed, with empty cells missing."""
    trimmed = pc.utf8_trim_whitespace(array.cast(pa.large_string()))
    return pc.if_else(pc.equal(trimmed, ""), pa.nulls(len(trimmed), trimmed.type), trimmed)


def _is_text(array: pa.Array) -> bool:
    return bool(pa.types.is_string(array.type) or pa.types.is_large_string(array.type))


def _all_match(array: pa.Array, pattern: str) -> bool:
    """Whether every cell that is not missing matches ``pattern``."""
    matched = pc.match_substring_regex(array, pattern)
    return bool(pc.all(matched, skip_nulls=True).as_py() is not False)


def _not_nan(array: pa.Array) -> pa.Array:
    """A float array with NaN as missing."""
    return pc.if_else(pc.is_nan(array), pa.nulls(len(array), array.type), array)


def _integer(array: pa.Array) -> Reading:
    target = pa.int64()
    if pa.types.is_integer(array.type):
        if pa.types.is_uint64(array.type):
            bad = pc.greater(array, pa.scalar(2**63 - 1, pa.uint64()))
            return _read(pc.cast(_masked(array, bad), target), bad, _too_large, array)
        return _read(pc.cast(array, target), _none(array), _fixed("integer"))
    if pa.types.is_floating(array.type):
        array = _not_nan(array.cast(pa.float64()))
        whole = pc.and_(pc.equal(pc.floor(array), array), pc.less(pc.abs(array), 2.0**63))
        bad = pc.invert(whole)
        values = pc.cast(_masked(array, bad), target)
        return _read(values, bad, _integer_reason, array)
    if _is_text(array):
        fast = _all_match(array, r"^\d{1,18}$")  # the common case: plain digits that fit
        if fast:
            return _read(pc.cast(array, target), _none(array), _fixed("integer"))
        text = _text(array)
        # "4.0" is how pandas writes a count of a float column: a whole number too.
        text = pc.replace_substring_regex(text, r"^([+-]?\d+)\.0*$", r"\1")
        digits = pc.match_substring_regex(text, r"^[+-]?\d+$")
        unsigned = pc.utf8_ltrim(pc.utf8_ltrim(text, "+-"), "0")
        length = pc.utf8_length(unsigned)
        fits = pc.or_(
            pc.less(length, 19),
            pc.and_(pc.equal(length, 19), pc.less_equal(unsigned, _INT64_MAX)),
        )
        good = pc.and_(digits, fits)
        bad = pc.invert(good)
        signless = pc.utf8_ltrim(text, "+")  # Arrow reads "-3" but not "+3"
        values = pc.cast(_masked(signless, bad), target)
        return _read(values, bad, _integer_reason, text)
    return _refused(array, "integer")


def _masked(array: pa.Array, bad: pa.Array) -> pa.Array:
    """``array`` with missing where ``bad`` is true, so that a cast reads only the rest."""
    return pc.if_else(pc.fill_null(bad, False), pa.nulls(len(array), array.type), array)


def _too_large(value: Any) -> str:
    return f"{MESSAGES['integer']} of at most {int(_INT64_MAX):,}; this one is too large"


def _integer_reason(value: Any) -> str:
    if isinstance(value, float):
        if abs(value) >= 2.0**63:
            return _too_large(value)
        return f"{MESSAGES['integer']}; this one has a fraction"
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
        return _too_large(value)
    if isinstance(value, str) and value in TRUE_VALUES + FALSE_VALUES[:3]:
        return f"{MESSAGES['integer']}, not true or false"
    return MESSAGES["integer"]


def _number(array: pa.Array) -> Reading:
    target = pa.float64()
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        values = array.cast(target)
        return _read(_not_nan(values), _none(array), _fixed("number"))
    if _is_text(array):
        text = _text(array)
        good = pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
        bad = pc.invert(good)
        return _read(pc.cast(_masked(text, bad), target), bad, _fixed("number"), text)
    return _refused(array, "number")


def _boolean(array: pa.Array) -> Reading:
    if pa.types.is_boolean(array.type):
        return _read(array, _none(array), _fixed("boolean"))
    if _is_text(array):
        text = _text(array)
        true = pc.is_in(text, pa.array(TRUE_VALUES))
        false = pc.is_in(text, pa.array(FALSE_VALUES))
        bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(true, false)))
        values = pc.if_else(pc.is_valid(text), true, pa.nulls(len(text), pa.bool_()))
        return _read(values, bad, _fixed("boolean"), text)
    return _refused(array, "boolean")


def _date(array: pa.Array) -> Reading:
    target = _ARROW["date"]
    if pa.types.is_date(array.type):
        array = array.cast(pa.date32())
        bad = pc.or_(pc.less(array, _FIRST_DAY), pc.greater(array, _LAST_DAY))
        values = pc.cast(_masked(array, bad), target)
        return _read(values, bad, _date_reason, array)
    if pa.types.is_timestamp(array.type):
        if array.type.tz is not None:
            array = pc.local_timestamp(array)
        day = pc.floor_temporal(array, unit="day")
        bad = pc.not_equal(day, array)
        values = pc.cast(_masked(array, bad), pa.timestamp(array.type.unit)).cast(target)
        return _read(values, bad, _date_reason, array)
    if _is_text(array) and _all_match(array, r"^\d{4}-\d{2}-\d{2}$"):
        try:  # the common case: every cell a day that exists (Arrow checks the calendar)
            return _date(pc.cast(array, pa.date32()))
        except pa.ArrowInvalid:
            pass
    if _is_text(array):
        text = _text(array)
        iso = pc.match_substring_regex(text, r"^\d{4}-\d{2}-\d{2}$")
        parsed = pc.strptime(_masked(text, pc.invert(iso)), "%Y-%m-%d", "s", error_is_null=True)
        # strptime rolls 30 February over into March: a day that exists is written back.
        same = pc.equal(pc.strftime(parsed, "%Y-%m-%d"), text)
        in_range = pc.and_(
            pc.greater_equal(parsed, pa.scalar(dt.datetime(1677, 9, 22), pa.timestamp("s"))),
            pc.less_equal(parsed, pa.scalar(dt.datetime(2262, 4, 11), pa.timestamp("s"))),
        )
        good = pc.and_(pc.and_(iso, pc.fill_null(same, False)), pc.fill_null(in_range, False))
        bad = pc.and_(pc.is_valid(text), pc.invert(good))
        values = pc.cast(_masked(parsed, bad), target)
        return _read(values, bad, _date_reason, text)
    return _refused(array, "date")


def _date_reason(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"must be a date, with no time of day (this is {value.isoformat(sep=' ')})"
    if isinstance(value, dt.date):
        return "a date out of the range this library holds (1677-09-22 to 2262-04-11)"
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if match is None:
        return MESSAGES["date"]
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"not a date: there is no month {month}"
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        return f"not a date: {day} {calendar.month_name[month]} {year}"
    return "a date out of the range this library holds (1677-09-22 to 2262-04-11)"


def _string(array: pa.Array) -> Reading:
    if _is_text(array):
        values = array.cast(pa.large_string())
        return _read(values, _none(values), _fixed("string"))
    return _refused(array, "string")


_READERS: dict[str, Callable[[pa.Array], Reading]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "string": _string,
}
