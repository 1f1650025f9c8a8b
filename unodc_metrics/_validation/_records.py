"""The records contract at work: absent optional columns completed, registries opened.

The contract itself (which columns are required, the defaults, the columns that go together,
the open registries) is declared in :mod:`unodc_metrics.schemas.records`; this module applies
it, once, in narwhals, to any frame: eager frames before their values are read, lazy frames
inside their engine.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import narwhals as nw

from unodc_metrics._base.engines import collect
from unodc_metrics._base.values import is_missing, kind_of
from unodc_metrics._rules import Lookups, Rule
from unodc_metrics.schemas import pandera_schema
from unodc_metrics.schemas.records import (
    DEFAULTS,
    OPEN_REGISTRIES,
    Same,
    UnknownCodeWarning,
    check_contract,
    records_schema,
)

__all__ = ["Contract", "contract_of"]

Registry = Mapping[str, Iterable[str]]

_NW_DTYPES: dict[str, Any] = {
    "integer": nw.Int64,
    "number": nw.Float64,
    "boolean": nw.Boolean,
    "date": nw.Datetime("us"),
    "string": nw.String,
}


@dataclasses.dataclass(frozen=True)
class Contract:
    """A table's contract, as the validation steps apply it.

    Attributes:
        table: The table's name.
        name: ``report`` or ``records``.
        schema: The pandera schema whose columns are checked.
        registry: The caller's codes for the open registries (records only).
    """

    table: str
    name: str
    schema: Any
    registry: Mapping[str, frozenset[str]]

    def complete(self, frame: Any, absent: Iterable[str], *, typed: bool) -> Any:
        """``frame`` (narwhals) with each absent optional column at its default: a typed
        literal on a lazy engine (``typed``), else a plain one that the reading then types.
        Literals come first, so that a default that copies a column (``female_low`` from
        ``female``) may copy a completed one."""
        literals, copies = [], []
        for name in absent:
            default = DEFAULTS[self.table][name]
            if isinstance(default, Same):
                copies.append(nw.col(default.column).alias(name))
                continue
            dtype = _NW_DTYPES[kind_of(str(self.schema.columns[name].dtype))]
            literals.append(nw.lit(default, dtype=dtype if typed else None).alias(name))
        for exprs in (literals, copies):
            frame = frame.with_columns(*exprs) if exprs else frame
        return frame

    def rules(self, rules: Iterable[Rule]) -> tuple[tuple[Rule, ...], Lookups]:
        """The contract's rules among a schema's, and the codes they check against."""
        lookups = Lookups.shipped(self.table)
        if self.name == "report":
            return tuple(rules), lookups
        dropped = {rule for col, rule in OPEN_REGISTRIES.items() if col not in self.registry}
        lookups = dataclasses.replace(
            lookups,
            initiatives=lookups.initiatives | self.registry.get("initiative", frozenset()),
            measures=lookups.measures | self.registry.get("measure", frozenset()),
        )
        return tuple(r for r in rules if r.id not in dropped), lookups

    def warn_unknown(self, frame: Any, present: Collection[str]) -> None:
        """Warn of the codes of an open registry that ours do not list, where the caller gave
        no registry for the column."""
        if self.name == "report":
            return
        lookups = Lookups.shipped(self.table)
        known = {"initiative": lookups.initiatives, "measure": lookups.measures}
        for column in OPEN_REGISTRIES:
            if column in self.registry or column not in present:
                continue
            found = collect(frame.group_by(column, drop_null_keys=True).agg(nw.len()))
            codes = sorted(
                str(c)
                for c in found.get_column(column).to_list()
                if not is_missing(c) and c not in known[column]
            )
            if codes:
                warnings.warn(
                    f"{self.table} records: {column} codes unknown to the report's registry, "
                    f"kept as such: {', '.join(codes[:20])}"
                    + (f" and {len(codes) - 20} more" if len(codes) > 20 else "")
                    + f"; pass registry={{{column!r}: [...]}} to check them against yours",
                    UnknownCodeWarning,
                    stacklevel=4,
                )


def contract_of(table: str, contract: str, registry: Registry | None = None) -> Contract:
    """A table's contract by name.

    Raises:
        ValueError: If the contract is unknown, is ``records`` for a table that holds no
            figures, or a registry is given for the report's contract or a column without one.
    """
    check_contract(contract, table)
    given = dict(registry or {})
    if given and contract != "records":
        raise ValueError("a registry of the caller's goes with contract='records'")
    unknown = set(given) - set(OPEN_REGISTRIES)
    if unknown:
        raise ValueError(
            f"registry keys must be among {', '.join(OPEN_REGISTRIES)}; "
            f"got {', '.join(sorted(unknown))}"
        )
    schema = records_schema(table) if contract == "records" else pandera_schema(table)
    codes = {k: frozenset(str(c) for c in v) for k, v in given.items()}
    return Contract(table, contract, schema, codes)
