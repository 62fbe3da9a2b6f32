"""Documents: a municipality's plan as PDF, Word and Excel, and the national PDF for the minister.

Beside `web` in the layers: the web layer fills the plain dataclasses of `model.py`; this
package imports catalogue, analysis, charts, formats and periods, never Django. `typst_doc`
holds the shared Typst machinery (escaping, tables, the page, compiling) for every PDF.
"""
