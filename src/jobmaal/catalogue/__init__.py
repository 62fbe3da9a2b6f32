"""The year-versioned catalogue of goals and indicators (data files in catalogue/data/)."""

from jobmaal.catalogue.models import (
    Breakdown,
    Catalogue,
    CatalogueError,
    Goal,
    Indicator,
    available_years,
    load_catalogue,
)

__all__ = [
    "Breakdown",
    "Catalogue",
    "CatalogueError",
    "Goal",
    "Indicator",
    "available_years",
    "load_catalogue",
]
