"""Denmark's areas: municipalities, job centres and RAR areas of a year, regions and the country.

Loaded from package data (copied from shared/reference). Every area has a level and a code;
the codes are the ones the facts table uses in `area_code`.
"""

from jobmaal.geography.areas import (
    AREA_LEVELS,
    COUNTRY_CODE,
    DEFAULT_YEAR,
    Area,
    Geography,
    Municipality,
    UnknownAreaError,
    load_geography,
)

__all__ = [
    "AREA_LEVELS",
    "COUNTRY_CODE",
    "DEFAULT_YEAR",
    "Area",
    "Geography",
    "Municipality",
    "UnknownAreaError",
    "load_geography",
]
