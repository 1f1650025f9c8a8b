"""The whole counts that a percentage allows: one definition, for validation and figures.

"62 participants ... (24 per cent of whom were female)" allows exactly the counts ``k`` of
62 whose share ``100 k / 62`` rounds to 24: from ``ceil(62 (2*24 - 1) / 200)`` = 15 to
``floor(62 (2*24 + 1) / 200)`` = 15. In general, for a share written ``p / s`` per cent
(``s`` = 10 to the number of decimals written) of ``n``, the counts run from
``max(0, ceil(n (2p - 1) / 200s))`` to ``min(n, floor(n (2p + 1) / 200s))``; the interval is
empty (low above high) when no whole count gives that share.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from unodc_metrics._rules._core import Preparation, yes

__all__ = ["ROUNDING", "rounding", "rounding_interval"]

_PREFIX = "__rounding"


def rounding(part: str) -> str:
    """The name of a column that :data:`ROUNDING` adds: ``whole``, ``low`` or ``high``."""
    return f"{_PREFIX}_{part}"


def rounding_interval(n: nw.Expr, p: nw.Expr, scale: nw.Expr | int) -> tuple[nw.Expr, nw.Expr]:
    """The lowest and highest count of ``n`` whose share rounds to ``p / scale`` per cent.

    All three are whole numbers, ``n`` and ``p`` not negative. Integer arithmetic only, in
    which every engine agrees: the one division of a number that may be negative (of ``n
    (2p - 1)`` when ``p`` is 0) is never made, as its result is then 0.

    Examples:
        >>> import narwhals as nw, pandas as pd
        >>> frame = nw.from_native(pd.DataFrame({"n": [62, 10, 7], "p": [24, 24, 0]}))
        >>> low, high = rounding_interval(nw.col("n"), nw.col("p"), 1)
        >>> frame.select(low.alias("low"), high.alias("high")).rows()
        [(15, 15), (3, 2), (0, 0)]
    """
    divisor = scale * 200
    below = n * (p * 2 - 1)
    above = n * (p * 2 + 1)
    low = nw.when(below > 0).then((below + divisor - 1) // divisor).otherwise(0)
    high = above // divisor
    return low, nw.when(high <= n).then(high).otherwise(n)


def _with_rounding(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The interval of counts of women that a whole ``female_percent`` of ``value`` allows.

    In two steps, with the parts as columns of their own: an expression that repeats its
    parts grows with every repeat, and PySpark builds each node through the JVM.
    """
    pct, total = nw.col("female_percent"), nw.col("value")
    # Only a whole share from 0 to 100 has an interval; any other fails its column check.
    share = yes(pct >= 0) & yes(pct <= 100) & yes(pct.round(0) == pct)
    whole = ~total.is_null() & yes(total >= 0) & share
    n, p = nw.col(rounding("n")), nw.col(rounding("p"))
    low, high = rounding_interval(n, p, 1)
    return frame.with_columns(
        whole.alias(rounding("whole")),
        nw.when(whole).then(total).otherwise(0).cast(nw.Int64).alias(rounding("n")),
        nw.when(whole).then(pct.round(0)).otherwise(0).cast(nw.Int64).alias(rounding("p")),
    ).with_columns(low.alias(rounding("low")), high.alias(rounding("high")))


ROUNDING = Preparation("rounding", ("value", "female_percent"), _with_rounding)
"""Adds the interval of counts of women that a whole ``female_percent`` allows; the columns
are :func:`rounding` ``("whole")``, ``("low")`` and ``("high")``."""
