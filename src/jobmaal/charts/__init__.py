"""Vega-Lite chart specs for Jobmål, built with Altair from plain Python data.

Every function returns a spec dict for vega-embed in the browser or `render_svg`/`render_png`
for reports; the look lives in `theme.py`. Nothing here imports Django.
"""

from jobmaal.charts.breakdown import BreakdownBar, breakdown_chart
from jobmaal.charts.errors import ChartInputError
from jobmaal.charts.labels import period_label
from jobmaal.charts.maps import choropleth_map, rar_map
from jobmaal.charts.models import RankRow, TrendPoint, TrendSeries
from jobmaal.charts.ranking import bar_ranking
from jobmaal.charts.render import render_png, render_svg
from jobmaal.charts.trend import trend_chart

__all__ = [
    "BreakdownBar",
    "ChartInputError",
    "RankRow",
    "TrendPoint",
    "TrendSeries",
    "bar_ranking",
    "breakdown_chart",
    "choropleth_map",
    "period_label",
    "rar_map",
    "render_png",
    "render_svg",
    "trend_chart",
]
