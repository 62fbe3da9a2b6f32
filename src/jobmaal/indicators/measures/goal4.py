"""Goal 4, local indicators (lokal indikator, ikke STAR's): flexjob and ledighedsydelse.

No national indicator follows goal 4; these three register series are offered to a plan's
local indicators for goal 4 (web/followup) and are never ministerial targets. Two are counts
(`kind="count"`, published per month only: the number of people in the month) and one is a
share:
- LOK_FLEXJOB (lok_flexjob.sql): people in flexjob employment in the month;
- LOK_LEDYD (lok_ledyd.sql): people on ledighedsydelse in the month;
- LOK_LEDYD_FLEX (lok_ledyd_flex.sql): of those on ledighedsydelse, the share who start a
  flexjob in the month.
"""

from jobmaal.indicators.measures.base import Measure

LOK_FLEXJOB = Measure(id="LOK_FLEXJOB", sql_file="lok_flexjob.sql", native_period="month",
                      kind="count")
LOK_LEDYD = Measure(id="LOK_LEDYD", sql_file="lok_ledyd.sql", native_period="month",
                    kind="count", requires=("ledyd_months.sql",))
LOK_LEDYD_FLEX = Measure(id="LOK_LEDYD_FLEX", sql_file="lok_ledyd_flex.sql",
                         native_period="month", requires=("ledyd_months.sql",))
