"""What area each line of a download counts: ``area_kind``, by rules that can be stated.

The rules, the first that applies:

1. ``combined``: the ``Country`` cell names several areas joined by ``/``
   (``Aruba/Curacao``).
2. ``region_aggregate``: the line names a group of areas. Either it has a code but neither a
   ``Country`` nor a ``Region`` (a code for a regional group, which no country is part of),
   or its ``Country`` (or, without one, its code) is the name of a region or subregion that
   the file's own ``Region`` and ``Subregion`` columns use, or ``World``.
3. ``country``: the code is a current ISO 3166-1 alpha-3 code that ISO 3166-1 marks
   independent.
4. ``territory``: the code is an ISO 3166-1 alpha-3 code that ISO 3166-1 marks not
   independent (:data:`TERRITORIES`), or the line is one of the areas without an ISO code
   in :data:`OTHER_AREAS`.
5. ``unknown``: anything else, e.g. a line with neither a code nor a ``Country`` (a figure
   of no one place), or a code outside ISO 3166 that no list here names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OTHER_AREAS", "TERRITORIES", "area_kinds"]

TERRITORIES = frozenset(
    [
        "ABW",
        "AIA",
        "ALA",
        "ASM",
        "ATA",
        "ATF",
        "BES",
        "BLM",
        "BMU",
        "BVT",
        "CCK",
        "COK",
        "CUW",
        "CXR",
        "CYM",
        "ESH",
        "FLK",
        "FRO",
        "GGY",
        "GIB",
        "GLP",
        "GRL",
        "GUF",
        "GUM",
        "HKG",
        "HMD",
        "IMN",
        "IOT",
        "JEY",
        "MAC",
        "MAF",
        "MNP",
        "MSR",
        "MTQ",
        "MYT",
        "NCL",
        "NFK",
        "NIU",
        "PCN",
        "PRI",
        "PSE",
        "PYF",
        "REU",
        "SGS",
        "SHN",
        "SJM",
        "SPM",
        "SXM",
        "TCA",
        "TKL",
        "TWN",
        "UMI",
        "VGB",
        "VIR",
        "WLF",
    ]
)
"""The ISO 3166-1 alpha-3 codes that ISO 3166-1 marks not independent (its "Independent"
attribute, as the ISO Online Browsing Platform lists it; curated for this reader in December
2026). Any other current ISO 3166-1 code is a ``country``."""

OTHER_AREAS: dict[str, tuple[str, str]] = {
    "XKX": ("territory", "Kosovo (under UNSCR 1244): a user-assigned code, not in ISO 3166-1"),
    "Sark": (
        "territory",
        "a Channel Island, a dependency of Guernsey, written without a code in the "
        "2025-04-14 edition",
    ),
}
"""Areas without an ISO 3166-1 code that editions hold, by code (or, where the file gives
none, by ``Country``): the kind each is, and why."""

_WORLD = "world"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def area_kinds(
    iso3: pd.Series, in_iso: pd.Series, country: pd.Series, region: pd.Series, subregion: pd.Series
) -> pd.Series:
    """``area_kind`` of each line: the rules of this module, in order."""
    import numpy as np
    import pandas as pd

    places = pd.concat([region, subregion]).dropna().unique()
    groups = {_fold(str(x)) for x in places} | {_WORLD}
    name = country.fillna(iso3)
    group_names = [x for x in name.dropna().unique() if _fold(str(x)) in groups]
    is_group = name.isin(group_names).fillna(False).to_numpy(dtype=bool)
    no_place = (country.isna() & region.isna()).to_numpy(dtype=bool)
    has_code = iso3.notna().to_numpy(dtype=bool)
    listed = {key: kind for key, (kind, _) in OTHER_AREAS.items()}
    by_code = iso3.map(listed)
    other = by_code.where(iso3.notna(), country.map(listed))  # by Country only without a code
    other = other.eq("territory").fillna(False).to_numpy(dtype=bool) & ~in_iso.to_numpy(bool)
    in_iso_a = in_iso.to_numpy(dtype=bool)
    territory = iso3.isin(TERRITORIES).fillna(False).to_numpy(dtype=bool)
    kinds = np.select(
        [
            country.str.contains("/", regex=False).fillna(False).to_numpy(dtype=bool),
            (has_code & no_place) | is_group,
            in_iso_a & ~territory,
            (in_iso_a & territory) | other,
        ],
        ["combined", "region_aggregate", "country", "territory"],
        default="unknown",
    )
    return pd.Series(pd.array(kinds, dtype="string"), index=iso3.index)
