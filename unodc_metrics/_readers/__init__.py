"""The readers layer: files that UNODC publishes, read into validated tables.

:func:`read_glotip` reads the GLOTIP download of the dataUNODC portal
(:mod:`unodc_metrics._readers.glotip`).
"""

from unodc_metrics._readers.glotip import (
    AGE_LABELS,
    CACHE_ENV,
    COLUMNS,
    FILE_COLUMNS,
    GLOTIP,
    READER_VERSION,
    SEX_LABELS,
    read_glotip,
)
from unodc_metrics._rules import SUPPRESSED_HIGH

__all__ = [
    "AGE_LABELS",
    "CACHE_ENV",
    "COLUMNS",
    "FILE_COLUMNS",
    "GLOTIP",
    "READER_VERSION",
    "SEX_LABELS",
    "SUPPRESSED_HIGH",
    "read_glotip",
]
