import pytest

from jobmaal.charts import ChartInputError, RankRow, bar_ranking

from .helpers import assert_valid_vega_lite, inline_rows


def _rows():
    return [
        RankRow(101, "København", 8.0),
        RankRow(751, "Aarhus", 12.0),
        RankRow(825, "Læsø", None, suppressed=True),
        RankRow(741, "Samsø", None),
        RankRow(461, "Odense", 10.0),
    ]


def _data(spec):
    return [r for r in inline_rows(spec) if "highlight" in r]


def test_ranking_is_valid_vega_lite():
    assert_valid_vega_lite(bar_ranking(_rows(), 101, "Ledige der starter opkvalificering"))


def test_bars_are_sorted_best_first_and_rows_without_numbers_last():
    names = [r["name"] for r in _data(bar_ranking(_rows(), 101, "T"))]
    assert names == ["Aarhus", "Odense", "København", "Læsø", "Samsø"]
    names_down = [r["name"] for r in _data(bar_ranking(_rows(), 101, "T", direction="down"))]
    assert names_down[:3] == ["København", "Odense", "Aarhus"]


def test_highlighted_municipality_is_marked():
    spec = bar_ranking(_rows(), 101, "T")
    highlighted = [r for r in _data(spec) if r["highlight"]]
    assert [r["code"] for r in highlighted] == [101]
    assert "København, 8,0 %, nr. 3 af 3" in spec["description"]


def test_suppressed_row_is_a_text_label_not_a_zero_bar():
    spec = bar_ranking(_rows(), 101, "T")
    laesoe = next(r for r in _data(spec) if r["code"] == 825)
    assert laesoe["value"] is None and laesoe["text"] == "Diskretioneret"
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert bars["transform"] == [{"filter": "datum.value != null"}]
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert any(layer["encoding"]["text"]["field"] == "status" for layer in texts)


def test_highlight_must_be_among_rows():
    with pytest.raises(ChartInputError, match="999"):
        bar_ranking(_rows(), 999, "T")
