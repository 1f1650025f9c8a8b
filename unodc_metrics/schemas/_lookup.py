"""A table's schema by name: the model class, and the pandera schema it builds."""

from __future__ import annotations

import unodc_metrics.schemas.figures as figures
import unodc_metrics.schemas.reference as reference
from unodc_metrics._base.engines import quiet
from unodc_metrics._catalogue import SCHEMA_NAMES
from unodc_metrics.schemas._pandera import pa

__all__ = ["pandera_schema", "schema_for"]


def schema_for(table: str) -> type[pa.DataFrameModel]:
    """The schema of a table, by the table's name (``"glotip"`` for GLOTIP's long shape).

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> schema_for("trainings").__name__
        'Trainings'
    """
    if table not in SCHEMA_NAMES:
        raise LookupError(f"no table named {table!r}; the tables are: {', '.join(SCHEMA_NAMES)}")
    name = SCHEMA_NAMES[table]
    model: type[pa.DataFrameModel] = getattr(figures, name, None) or getattr(reference, name)
    return model


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The pandera ``DataFrameSchema`` of a table, by name: ``schema_for(table).to_schema()``.

    pandera builds a schema on first use, and, with pyspark installed, tries to import
    ``pyspark.pandas`` while it does, which warns under pandas 3; this builds it with that
    warning silenced (:func:`unodc_metrics._base.engines.quiet`).

    Examples:
        >>> pandera_schema("arrests").columns["value"].dtype
        DataType(Int64)
    """
    with quiet():
        return schema_for(table).to_schema()
