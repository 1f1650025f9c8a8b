"""pandera, imported once for the schemas, with pyspark's warning about pandas 3 silenced
around the import (see :func:`unodc_metrics._base.engines.quiet`)."""

from unodc_metrics._base.engines import quiet

with quiet():
    import pandera.pandas as pa
    from pandera.typing import Series
    from pandera.typing.common import DateTime

__all__ = ["DateTime", "Series", "pa"]
