"""nearest_peers on five municipalities and two variables, worked by hand.

2023:          101    147    151    153    155
ledighed       2.1    2.3    2.5    2.7    2.9   mean 2.5, sd 0.2·√2  → z = (−2,−1,0,1,2)/√2
indkomst       250    250    250    250   1250   mean 450, sd 400     → z = (−½,−½,−½,−½,2)

From 151 (z = 0, −½): 147 and 153 at Δz = (1/√2, 0), distance 1/√2 = 0.7071 (a tie: 147
first, lower code); 101 at (√2, 0), 1.4142; 155 at (√2, 2.5), √8.25 = 2.8723.
From 155 (z = √2, 2): 153 at √(½ + 6.25) = √6.75 = 2.5981; 151 at √8.25 = 2.8723;
147 at √(4.5 + 6.25) = √10.75 = 3.2787; 101 at √(8 + 6.25) = √14.25 = 3.7749.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jobmaal.analysis import FrameworkError, nearest_peers, variable_labels

VARS = ["ledighedsprocent", "gennemsnitsindkomst"]
CODES = [101, 147, 151, 153, 155]


def framework(extra: dict[str, list[float]] | None = None) -> pd.DataFrame:
    data = {"ledighedsprocent": [2.1, 2.3, 2.5, 2.7, 2.9],
            "gennemsnitsindkomst": [250, 250, 250, 250, 1250], **(extra or {})}
    rows = [dict(municipality_code=c, year=2023, variable=v, value=float(xs[i]))
            for v, xs in data.items() for i, c in enumerate(CODES)]
    # 2022 puts 151 far from everyone: must not leak into 2023
    rows += [dict(municipality_code=c, year=2022, variable=v, value=100.0 if c == 151 else 1.0)
             for v in data for c in CODES]
    return pd.DataFrame(rows)


def test_nearest_are_ordered_by_standardised_distance_ties_by_code():
    peers = nearest_peers(framework(), 2023, VARS, k=3)
    assert [p.code for p in peers[151]] == [147, 153, 101]
    assert [p.distance for p in peers[151]] == pytest.approx([1 / math.sqrt(2)] * 2 + [math.sqrt(2)])


def test_distances_from_the_outlier():
    peers = nearest_peers(framework(), 2023, VARS, k=2)
    assert [p.code for p in peers[155]] == [153, 151]
    assert [p.distance for p in peers[155]] == pytest.approx([math.sqrt(6.75), math.sqrt(8.25)])


def test_every_municipality_gets_its_k_others_never_itself():
    peers = nearest_peers(framework(), 2023, VARS)  # k = 5 but only 4 others
    assert sorted(peers) == CODES
    assert all(len(ps) == 4 and code not in [p.code for p in ps] for code, ps in peers.items())


def test_reasons_are_the_closest_variables_in_danish():
    peer = nearest_peers(framework(), 2023, VARS, k=1)[151][0]  # 147: Δz indkomst 0 < 0.71
    assert [r.text for r in peer.reasons] == [
        "Gennemsnitsindkomst (1.000 kr.): 250,0 mod 250,0",
        "Ledighedsprocent: 2,5 mod 2,3",
    ]
    assert (peer.reasons[1].own_value, peer.reasons[1].peer_value) == (2.5, 2.3)


def test_reason_numbers_use_thousands_point_and_decimal_comma():
    peer = nearest_peers(framework(), 2023, VARS, k=1)[155][0]  # 153: Δz 0.71 < 2.5
    assert [r.text for r in peer.reasons] == [
        "Ledighedsprocent: 2,9 mod 2,7",
        "Gennemsnitsindkomst (1.000 kr.): 1.250,0 mod 250,0",
    ]


def test_at_most_three_reasons():
    fw = framework({"andel_flygtninge": [1, 2, 3, 4, 5], "andel_ikke_vestlige": [5, 4, 3, 2, 1]})
    peer = nearest_peers(fw, 2023, VARS + ["andel_flygtninge", "andel_ikke_vestlige"], k=1)[151][0]
    assert len(peer.reasons) == 3
    assert peer.reasons[0].variable == "gennemsnitsindkomst"  # the only Δz of 0


def test_a_constant_variable_changes_no_distance():
    fw = framework({"andel_flygtninge": [7, 7, 7, 7, 7]})
    peers = nearest_peers(fw, 2023, VARS + ["andel_flygtninge"], k=3)
    assert [p.distance for p in peers[151]] == pytest.approx([1 / math.sqrt(2)] * 2 + [math.sqrt(2)])


def test_missing_value_names_the_year_variable_and_municipality():
    fw = framework()
    fw = fw.loc[~((fw.municipality_code == 153) & (fw.variable == "ledighedsprocent")
                  & (fw.year == 2023))]
    with pytest.raises(FrameworkError, match="ledighedsprocent.*153"):
        nearest_peers(fw, 2023, VARS)


def test_labels_from_descriptions_prefer_the_short_label():
    labels = variable_labels([
        {"name": "ledighedsprocent", "danish": "Bruttoledighed i procent", "english": "", "unit": ""},
        {"name": "ny_variabel", "danish": "En ny variabel", "english": "", "unit": ""},
    ])
    assert labels == {"ledighedsprocent": "Ledighedsprocent", "ny_variabel": "En ny variabel"}
