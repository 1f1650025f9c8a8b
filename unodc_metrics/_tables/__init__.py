"""The tables layer: the curated tables, loaded and validated, and the counts of parties.

- :func:`load` and :func:`validate` (:mod:`.loading`; :func:`tables` is the catalogue's);
- :func:`count_parties`, :func:`count_signatories` and :func:`joined_between` over the
  ``parties`` table (:mod:`.parties`).
"""

from unodc_metrics._tables.loading import load, validate
from unodc_metrics._tables.parties import (
    PartyCount,
    count_parties,
    count_signatories,
    joined_between,
)

__all__ = [
    "PartyCount",
    "count_parties",
    "count_signatories",
    "joined_between",
    "load",
    "validate",
]
