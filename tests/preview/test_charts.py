"""The page's charts read at a glance: round ticks labelled with their own digits, threshold labels
that do not cover each other, plots sized for their legends, tables headed by their legends."""

from __future__ import annotations

import re

import pytest

from signoz_dac.preview.charts import Line, Threshold, nice_ticks, time_chart
from signoz_dac.preview.evaluate import PanelResult
from signoz_dac.preview.page import _body
from signoz_dac.preview.query import Series


@pytest.mark.parametrize(("lo", "hi", "ticks"), [
    (0, 7.5, [0, 2, 4, 6, 8]),  # whole counts stay whole (no 2.5 steps)
    (0, 9.5, [0, 5, 10]),
    (0, 1.3, [0, 0.5, 1, 1.5]),
    (0, 460, [0, 200, 400, 600]),
    (-0.4, 1.4, [-0.5, 0, 0.5, 1, 1.5]),
])
def test_ticks_are_round(lo: float, hi: float, ticks: list[float]) -> None:
    assert nice_ticks(lo, hi, 4) == ticks


def _labels(svg: str) -> list[str]:
    """The y axis's labels (left of the plot)."""
    return re.findall(r'<text x="58" y="[\d.]+" text-anchor="end" fill="#A9ADB9" font-size="11">([^<]+)</text>', svg)


def test_axis_labels_show_the_ticks_digits() -> None:
    counts = time_chart([Line("a", "#fff", {0: 1.0, 60: 7.0})], 0, 120, 60, "none", [], 600, 200)
    assert _labels(counts) == ["0", "2", "4", "6", "8"]
    seconds = time_chart([Line("a", "#fff", {0: 0.2, 60: 1.3})], 0, 120, 60, "s", [], 600, 200)
    assert _labels(seconds) == ["0 s", "500 ms", "1 s", "1.5 s"]


def test_labels_of_close_thresholds_do_not_overlap() -> None:
    svg = time_chart([Line("a", "#fff", {0: 1.0, 60: 150.0})], 0, 120, 60, "percent",
                     [Threshold(5, "#f00", "warning"), Threshold(10, "#0f0", "critical"), Threshold(100, "#00f", "far")],
                     600, 200)
    found = {m[2]: (float(m[0]), float(m[1])) for m in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="end" '
                                                                   r'fill="#[0-9a-f]+" font-size="11">(\w+)</text>', svg)}
    (x_warn, y_warn), (x_crit, y_crit), (x_far, _) = found["warning"], found["critical"], found["far"]
    assert abs(y_warn - y_crit) < 12  # on the same level: they would overlap at the same x
    assert x_warn <= x_crit - 6 * len("critical") - 8
    assert x_far == max(x_crit, x_warn)  # a label far from the others keeps its place at the right


def test_a_chart_keeps_its_proportions_when_its_legend_takes_two_rows() -> None:
    few = [Series("A", {}, {0: 1.0}, label="one")]
    many = [Series("A", {"k": str(i)}, {0: float(i)}, label=f"p95 voice-agent-provider-in-entrypoint {i}") for i in range(4)]
    heights = []
    for series in (few, many):
        result = PanelResult("p", "signoz/TimeSeriesPanel", "time_series", series=series, step=60, time_range=(0, 120))
        svg = _body("TimeSeries", {}, result, (600.0, 240.0))
        heights.append(float(re.search(r'viewBox="0 0 600 ([\d.]+)"', svg).group(1)))
    assert heights[0] - heights[1] == 18  # one legend row more, one row less of chart


def test_a_table_is_headed_by_its_queries_legends() -> None:
    from signoz_dac.preview.evaluate import scalar_table
    from signoz_dac.preview.query import QueryOutcome

    shown = [({"name": "A", "legend": "STT latency P95", "aggregations": [{"expression": "p95(x)"}]},
              QueryOutcome("A", series=[Series("A", {"model": "m"}, {0: 0.4})])),
             ({"name": "B", "legend": "{{model}}", "aggregations": [{"expression": "p95(y)"}]},
              QueryOutcome("B", series=[Series("B", {"model": "m"}, {0: 0.2})]))]
    table = scalar_table(shown)
    assert table.columns == ["model", "A", "B"]  # the keys columnUnits and thresholds use
    assert [table.title(i) for i in range(3)] == ["model", "STT latency P95", "B"]
    result = PanelResult("p", "signoz/TablePanel", "scalar", table=table)
    html = _body("Table", {"formatting": {"columnUnits": {"A": "s"}}}, result, (600.0, 240.0))
    assert '<th class="num">STT latency P95</th>' in html and ">400.00 ms<" in html
