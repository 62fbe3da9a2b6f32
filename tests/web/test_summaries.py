"""Written summaries on the municipality page, over all 98 municipalities of the test release:
every number in the text is one the page shows (its cards, its plan line, the breakdown table),
in the same place, and a hidden figure is never described."""

from __future__ import annotations

import re

import pytest

from jobmaal.analysis.forecast import forecast_text_da
from jobmaal.formats import count, decimal, pct
from jobmaal.geography import load_geography
from jobmaal.web import dashboards, summaries
from jobmaal.web.forecasts import release_forecast

pytestmark = pytest.mark.django_db

TARGET = 40.0  # a year target for MM13 in every municipality's plan

def level_pattern(period: str) -> re.Pattern:
    """The level sentence of a period shown as `period` ("2023", "jun.–nov. 2023")."""
    return re.compile(r"^(?P<area>.+?) ligger på (?P<value>[\d.,]+(?: pct\.)?) i (?P<period>"
                      + re.escape(period) + r")(?:, (?P<change>[\d.,]+)(?: pct\.-point)? "
                      r"(?P<way>højere|lavere) end året før|(?P<same>, det samme som året før))?\.")
RANK = re.compile(r"nr\. (?P<rank>\d+) af (?P<count>\d+) kommuner \(nr\. 1 er bedst\)")
GAP = re.compile(r"Det er (?P<gap>[\d.,]+) pct\.-point (?P<way>over|under) det forventede niveau "
                 r"ud fra rammevilkårene \((?P<expected>[\d.,]+ pct\.)\)")
AT = re.compile(r"Det svarer til det forventede niveau ud fra rammevilkårene "
                r"\((?P<expected>[\d.,]+ pct\.)\)")
FORECAST = re.compile(r"Prognosen for hele (?P<year>\d{4}) er (?P<value>[\d.,]+ pct\.) "
                      r"\(90 %-interval (?P<lower>[\d.,]+)–(?P<upper>[\d.,]+)\)"
                      r"(?:, så målet på (?P<target>[\d.,]+) (?P<call>nås [\w ]+?) "
                      r"\(sandsynlighed (?P<p>\d+) %\))?\.")
GROUPS = re.compile(r"Stærkest står gruppen (?P<best>.+?) \((?P<best_value>[\d.,]+ pct\.)\), "
                    r"svagest (?P<worst>.+?) \((?P<worst_value>[\d.,]+ pct\.)\)\.")
NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def _shown_groups(release, block, code: str) -> dict[str, str]:
    """'dimension: label' → the value as the breakdown table formats it (shown groups only)."""
    table = dashboards.breakdown_table(release, block["indicator"], block["period"],
                                       block["own_level"], code)
    return {f"{r['breakdown'].lower()}: {r['breakdown_value']}": pct(r["value"])
            for r in table.rows if r["breakdown"] != "I alt" and not r["suppressed"]
            and r["value"] is not None}


def _check(release, block, text: str, area: str, code: str, muni_code: int) -> int:
    """Assert the text against the block (the page's figures); the number of numbers checked."""
    own = block["own"]
    ind = block["indicator"]
    if own.suppressed or own.missing or own.value is None:
        why = ("er under diskretionsgrænsen og vises ikke" if own.suppressed else "findes ikke "
               "i udgivelsen" if own.missing else "kan ikke opgøres, da ingen personer indgår")
        assert text.endswith(f" {why}."), text
        assert not re.search(r"\d+,\d", text), text  # no figure at all
        return 0
    numbers = []
    level = level_pattern(dashboards.period_text(ind, block["period"])).match(text)
    amount, difference = (pct, decimal) if ind.unit == "pct" else (count, count)
    assert level and level["area"] == area and level["value"] == amount(own.value), text
    numbers.append(level["value"])
    change = block["change"]
    if change is None:
        assert level["change"] is None and level["same"] is None, text
    elif level["same"]:
        assert abs(change) < (0.05 if ind.unit == "pct" else 0.5), text
    else:
        assert level["change"] == difference(abs(change)), text
        assert level["way"] == ("højere" if change > 0 else "lavere"), text
        numbers.append(level["change"])
    rank = RANK.search(text)
    if block.get("rank"):
        assert rank and int(rank["rank"]) == block["rank"], text
        assert int(rank["count"]) == block["ranked_count"], text
        numbers += [rank["rank"], rank["count"], "1"]
    else:
        assert rank is None, text
    expected = block.get("expected")
    gap, at = GAP.search(text), AT.search(text)
    if expected is not None and expected.gap is not None and expected.expected is not None:
        found = gap or at
        assert found and found["expected"] == pct(expected.expected), text
        numbers.append(found["expected"])
        if gap:
            assert gap["gap"] == decimal(abs(expected.gap)), text
            assert gap["way"] == ("over" if expected.gap > 0 else "under"), text
            numbers.append(gap["gap"])
    else:
        assert gap is None and at is None, text
    forecast = FORECAST.search(text)
    result = block.get("forecast")
    if result is not None and result.computable:
        assert forecast, text
        card = (f"{result.year}", pct(result.forecast), decimal(result.lower), decimal(result.upper))
        assert (forecast["year"], forecast["value"], forecast["lower"], forecast["upper"]) == card
        numbers += [*card, "90"]
        if ind.id == "MM13":  # the plan line beside the target says the same
            line = forecast_text_da(release_forecast(release, muni_code, "MM13", result.year,
                                                     target=TARGET))
            assert forecast["target"] == decimal(TARGET), text
            assert (f"målet {forecast['target']} {forecast['call']} (sandsynlighed "
                    f"{forecast['p']} %)") in line, (text, line)
            numbers += [forecast["target"], forecast["p"]]
    else:
        assert forecast is None and "Prognose" not in text, text
    groups = GROUPS.search(text)
    shown = _shown_groups(release, block, code)
    if groups:
        assert shown[groups["best"]] == groups["best_value"], text
        assert shown[groups["worst"]] == groups["worst_value"], text
        values = sorted((float(v.split()[0].replace(".", "").replace(",", ".")), k)
                        for k, v in shown.items())
        ends = {values[0][0], values[-1][0]}
        for key in (groups["best"], groups["worst"]):
            assert float(shown[key].split()[0].replace(".", "").replace(",", ".")) in ends, text
        numbers += [groups["best_value"], groups["worst_value"]]
        numbers += NUMBER.findall(groups["best"]) + NUMBER.findall(groups["worst"])  # "30-39 år"
    # nothing else: every number in the text was checked against the page above
    allowed = NUMBER.findall(" ".join(numbers)) + NUMBER.findall(level["period"])
    rest = NUMBER.findall(text)
    for n in rest:
        assert n in allowed, (n, text)
    return len(rest)


@pytest.mark.slow
def test_every_number_of_every_summary_is_a_number_on_the_page(loaded_release):
    geo = load_geography()
    checked = hidden = with_groups = with_target = 0
    for code in geo.municipality_codes:
        data = dashboards.municipality(loaded_release, code, "2023")
        texts = summaries.municipality_summaries(loaded_release, data, {"MM13": TARGET})
        for block in (b for g in data["goals"] for b in g["blocks"]):
            text = texts[block["indicator"].id]
            level = block["own_level"]
            own_code = str(code) if level == "kommune" else geo.parent_code(code, "rar")
            area = geo.municipality(code).name if level == "kommune" else f"RAR {own_code}"
            checked += _check(loaded_release, block, text, area, own_code, code)
            hidden += block["own"].suppressed
            with_groups += "Stærkest" in text
            with_target += "målet på" in text
    assert checked > 98 * 20  # about 21 numbers per municipality (2 093 in the test release)
    assert hidden > 0 and with_groups > 30 and with_target > 0  # every kind of sentence was seen


def test_the_summary_is_on_the_municipality_page(client, loaded_release):
    html = client.get("/kommune/101/?periode=2023").content.decode()
    found = re.findall(r'<p class="summary" data-summary="MM13">(.+?)</p>', html)
    assert found and found[0].startswith("København ligger på ")
