"""Importers of published figures: Jobindsats (API), Statistics Denmark (StatBank) and files.

One module per source, each with one class that turns the source's answers into the facts
table the indicators layer writes (same 12 columns), and `release.py`, which writes such a
table as an OUT folder the web app loads like a computed one. Nothing here imports Django.
"""

from jobmaal.sources.common import SUPPRESSED_MARKS, SourceError, parse_number

__all__ = ["SUPPRESSED_MARKS", "SourceError", "parse_number"]
