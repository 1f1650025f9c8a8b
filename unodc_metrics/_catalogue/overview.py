"""The catalogue as a frame: one row per shipped table, for people to browse.

Counting rows reads each file with the ``csv`` module; nothing is parsed or validated, so
listing the tables loads neither narwhals nor pandera.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from unodc_metrics._catalogue.tables import TABLES, metadata, shape

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["tables"]


def tables() -> pd.DataFrame:
    """List the tables with their titles, descriptions and sizes.

    Returns:
        One row per table, with the columns ``name``, ``title``, ``kind``, ``description``,
        ``rows`` and ``columns``.

    Examples:
        >>> from unodc_metrics import tables
        >>> overview = tables()
        >>> list(overview.columns)
        ['name', 'title', 'kind', 'description', 'rows', 'columns']
        >>> overview.set_index("name").loc["parties", "rows"]
        np.int64(183)
    """
    import pandas as pd

    rows = []
    for name in TABLES:
        meta = metadata(name)
        n_rows, n_columns = shape(name)
        rows.append(
            {
                "name": name,
                "title": meta.title,
                "kind": meta.kind,
                "description": meta.description,
                "rows": n_rows,
                "columns": n_columns,
            }
        )
    return pd.DataFrame(rows)
