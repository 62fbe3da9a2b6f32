"""The national summary printed by the CLI, on a hand-made facts table."""

import pyarrow as pa

from jobmaal.facts import FACTS_SCHEMA
from jobmaal.indicators.summary import national_summary


def _row(indicator, period, level, code, num, den, suppressed=False, provisional=False):
    value = None if suppressed or not den else 100.0 * num / den
    return {"indicator": indicator, "period": period, "area_level": level, "area_code": code,
            "breakdown": "i_alt", "breakdown_value": "i_alt",
            "numerator": None if suppressed else num, "denominator": None if suppressed else den,
            "value": value, "suppressed": suppressed, "provisional": provisional}


def test_country_figure_year_before_and_areas_shown_or_suppressed():
    facts = pa.Table.from_pylist([
        _row("MM13", "2023", "land", "DK", 550, 1000, provisional=True),
        _row("MM13", "2022", "land", "DK", 450, 1000),
        _row("MM13", "2023", "kommune", "101", 540, 980),
        _row("MM13", "2023", "kommune", "147", None, None, suppressed=True),
        _row("REKRUT", "2023H2", "land", "DK", 19, 100),
        _row("REKRUT", "2022H2", "land", "DK", 21, 100),
        _row("REKRUT", "2023H2", "rar", "Fyn", 3, 10),
        _row("MM13", "2023M06", "land", "DK", 1, 2),  # other periods are not summarised
    ], schema=FACTS_SCHEMA)
    rows = {r.indicator: r for r in national_summary(facts, 2023)}
    assert set(rows) == {"MM13", "REKRUT"}  # indicators without rows are left out
    mm13 = rows["MM13"]
    # 550/1000 = 55 %, the year before 450/1000 = 45 %
    assert (mm13.period, mm13.value, mm13.value_year_before) == ("2023", 55.0, 45.0)
    assert (mm13.numerator, mm13.denominator, mm13.provisional) == (550, 1000, True)
    assert (mm13.areas_shown, mm13.areas_suppressed) == (1, 1)
    rekrut = rows["REKRUT"]
    # REKRUT is summarised on the year's second half: 19 % against 21 %, on RAR areas
    assert (rekrut.period, rekrut.value, rekrut.value_year_before) == ("2023H2", 19.0, 21.0)
    assert (rekrut.areas_shown, rekrut.areas_suppressed) == (1, 0)
