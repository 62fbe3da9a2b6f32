"""Static images of chart specs with vl-convert (bundled Vega, no browser, no network)."""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert as vlc

from jobmaal.charts import theme

# The Vega-Lite minor version altair writes specs for, e.g. 'v6.4.1' → '6.4'.
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def render_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document; any data URL in the spec is refused (offline by design)."""
    return vlc.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[],
                               format_locale=theme.NUMBER_LOCALE, time_format_locale=theme.TIME_LOCALE)


def render_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG at `scale` times its CSS pixel size."""
    return vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=scale, allowed_base_urls=[],
                               format_locale=theme.NUMBER_LOCALE, time_format_locale=theme.TIME_LOCALE)
