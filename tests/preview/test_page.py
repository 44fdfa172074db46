"""The preview page: self-contained, laid out like SigNoz, every panel drawn by its kind with its
numbers; without chDB, the same layout with empty panels that say how to get numbers."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml

import signoz_dac
from signoz_dac.preview import Dashboard, preview_html
from signoz_dac.preview.page import DashboardPreview, DataInfo, build_page
from signoz_dac.preview.pipeline import spans_range
from signoz_dac.preview.spans import read_spans
from signoz_dac.preview.units import format_value
from tests.conftest import REPO
from tests.preview import truth
from tests.preview.conftest import committed_capture


class Page(HTMLParser):
    """Collects tags, panels (with their text) and every URL-carrying attribute."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.panels: dict[str, dict[str, Any]] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "poster", "data") and v]
        key = a.get("data-panel")
        if key:
            self.panels[key] = {**{k: a[k] for k in ("data-x", "data-y", "data-w", "data-h")}, "class": a.get("class"), "text": ""}
        if tag not in ("meta", "br", "img", "input", "link", "circle", "line", "rect", "path", "polyline"):
            self._open.append((tag, key))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self._open):  # the end of an element never pushed (a pie slice) closes nothing
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        for _, key in reversed(self._open):
            if key:
                self.panels[key]["text"] += data
                break


@pytest.fixture(scope="module")
def pipecat() -> tuple[dict, str]:
    definition = signoz_dac.load_definition(REPO / "dashboards" / "pipecat.yaml")
    body = signoz_dac.render(definition)
    rules = signoz_dac.render_alerts(definition)
    return body, preview_html([Dashboard("dashboards/pipecat.yaml", body, definition.profile, rules)])


def placed(body: dict) -> dict[str, dict[str, int]]:
    out = {}
    for layout in body["spec"]["layouts"]:
        for item in layout["spec"]["items"]:
            out[item["content"]["$ref"].rsplit("/", 1)[-1]] = {k: item[k] for k in ("x", "y", "width", "height")}
    return out


def test_the_page_loads_nothing_from_anywhere(pipecat) -> None:
    _, html = pipecat
    page = Page(html)
    assert page.urls == []
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "url(" not in html and "@import" not in html
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'", html)


def test_every_placed_panel_is_on_the_page_at_its_place(pipecat) -> None:
    body, html = pipecat
    page = Page(html)
    expected = placed(body)
    assert set(page.panels) == set(expected)
    for key, geometry in expected.items():
        got = page.panels[key]
        assert (int(got["data-x"]), int(got["data-y"]), int(got["data-w"]), int(got["data-h"])) == (
            geometry["x"], geometry["y"], geometry["width"], geometry["height"]), key
    # the grid placement CSS says the same
    for key, geometry in expected.items():
        style = re.search(rf'data-panel="{key}"[^>]*style="([^"]+)"', html).group(1)
        assert f"grid-column: {geometry['x'] + 1} / span {geometry['width']}" in style
        assert f"grid-row: {geometry['y'] + 1} / span {geometry['height']}" in style


def test_panels_are_drawn_by_kind_with_their_numbers(pipecat) -> None:
    body, html = pipecat
    page = Page(html)
    spans = read_spans(committed_capture("pipecat"))
    rng = spans_range(spans)
    w = truth.World(spans, truth.FACTS["pipecat"], rng.start_ns, rng.end_ns, 5)
    panels = body["spec"]["panels"]

    def shown(key: str, value: float) -> str:
        formatting = panels[key]["spec"]["plugin"]["spec"].get("formatting") or {}
        return format_value(value, formatting.get("unit"), formatting.get("decimalPrecision"))

    assert shown("token-usage-input", truth.token_total(w, truth.INPUT)) in page.panels["token-usage-input"]["text"]
    assert shown("error-rate", truth.PANEL_TRUTH["error-rate"](w)) in page.panels["error-rate"]["text"]
    assert shown("turn-latency-p95", truth.turn_latency_p95(w)) in page.panels["turn-latency-p95"]["text"]
    for model in truth.PANEL_TRUTH["model-distribution-llm"](w):
        assert model in page.panels["model-distribution-llm"]["text"]
    assert "voice-agent-eu" in page.panels["services-and-languages"]["text"]
    assert "RuntimeError" in page.panels["error-records"]["text"]
    # each kind is drawn its own way
    assert re.search(r'data-panel="turn-latency".*?<svg class="chart"', html, re.S)
    assert re.search(r'data-panel="model-distribution-stt".*?<svg class="pie"', html, re.S)
    assert re.search(r'data-panel="services-and-languages".*?<table>', html, re.S)
    # thresholds are drawn on the chart, in the panel's unit
    latency = re.search(r'data-panel="turn-latency".*?</article>', html, re.S).group(0)
    assert latency.count('stroke-dasharray') == 2 and ">critical<" in latency and ">warning<" in latency
    # what cannot be computed says why
    assert "Metrics are not computed locally" in page.panels["http-request-duration"]["text"]
    assert "Logs are not computed locally" in page.panels["logs"]["text"]


def test_the_number_tile_takes_its_threshold_colour(pipecat) -> None:
    _, html = pipecat
    tile = re.search(r'data-panel="turn-latency-p95".*?</article>', html, re.S).group(0)
    assert "color: #F5222D" in tile  # P95 of 1.31 s is above the 1.2 s critical threshold: red


def _levels_met(rule: dict, points: list[float]) -> list[str]:
    """The levels a series fires, written out for the shipped rules' two match types."""
    compare = {"above": lambda v, t: v > t, "below": lambda v, t: v < t}
    out = []
    for level in rule["condition"]["thresholds"]["spec"]:
        test = compare[level["op"]]
        if level["matchType"] == "on_average":
            met = test(sum(points) / len(points), level["target"])
        else:
            assert level["matchType"] == "at_least_once"
            met = any(test(v, level["target"]) for v in points)
        out += [level["name"]] if met else []
    return out


def test_every_alert_rule_has_its_verdict_at_the_end_of_the_spans(pipecat) -> None:
    """Each shipped rule is evaluated once, at the end of the capture's range, over its window: the
    value per service and the levels it fires equal the rule's ground truth on the spans of that
    window (tests/preview/truth.py)."""
    _, html = pipecat
    definition = signoz_dac.load_definition(REPO / "dashboards" / "pipecat.yaml")
    rules = signoz_dac.render_alerts(definition)
    spans = read_spans(committed_capture("pipecat"))
    end = spans_range(spans).end_ns
    alerts = yaml.safe_load((REPO / "dashboards" / "pipecat.yaml").read_text())["alerts"]["rules"]
    rows = {}
    for m in re.finditer(r'<tr data-rule="([^"]+)">(.*?)</tr>', html, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)]
        rows.setdefault(m.group(1), []).append(cells[-3:])
    assert set(rows) == {r["labels"]["signoz_dac_rule"] for r in rules}
    fired = 0
    for rule in rules:
        rule_id = rule["labels"]["signoz_dac_rule"]
        window = int(rule["evaluation"]["spec"]["evalWindow"].removesuffix("m")) * 60 * 10**9
        w = truth.World(spans, truth.FACTS["pipecat"], end - window, end, 60, alerts=alerts)
        unit = rule["condition"]["compositeQuery"]["unit"]
        expected = {}
        for group, points in truth.RULE_TRUTH[rule_id](w).items():
            values = [v * 100 if unit == "percent" else v for _, v in sorted(points.items())]
            levels = _levels_met(rule, values)
            verdict = ["fires:", *", ".join(levels).split()] if levels else ["quiet"]
            shown = values[-1] if len(values) == 1 else min(values)  # the value that decides (below: the lowest)
            expected[f"service.name={group}" if group else "(all)"] = [format_value(shown, unit or "none"), verdict]
            fired += bool(levels)
        got = {" ".join(group): [" ".join(value), verdict] for group, value, verdict in rows[rule_id]}
        assert got == expected, rule_id
    assert fired  # the capture's failure scenarios fire some


def test_without_chdb_the_layout_stays_and_says_how_to_get_numbers(monkeypatch, pipecat) -> None:
    body, _ = pipecat
    monkeypatch.setitem(sys.modules, "chdb", None)  # `import chdb` now fails
    html = preview_html([Dashboard("dashboards/pipecat.yaml", body, "pipecat")])
    page = Page(html)
    assert set(page.panels) == set(placed(body))
    assert "chDB is not installed" in html
    for key, panel in page.panels.items():
        assert "pip install 'signoz-dac[preview]'" in panel["text"] or key in ("http-request-duration", "logs"), key


def test_text_from_the_definition_is_escaped() -> None:
    body = {
        "name": "x", "spec": {
            "display": {"name": "<script>alert(1)</script>"}, "variables": [],
            "panels": {"p": {"kind": "Panel", "spec": {"display": {"name": "<img src=x onerror=alert(1)>"},
                                                         "plugin": {"kind": "signoz/NumberPanel", "spec": {}}, "queries": []}}},
            "layouts": [{"kind": "Grid", "spec": {"display": {"title": "<b>s</b>"}, "items": [
                {"x": 0, "y": 0, "width": 3, "height": 3, "content": {"$ref": "#/spec/panels/p"}}]}}],
        },
    }
    html = build_page([DashboardPreview("x.json", body, [], {}, DataInfo(["f"], 0, 0, 60_000))], "test")
    assert "<script>" not in html and "<img" not in html and "<b>s</b>" not in html
    assert "&lt;script&gt;" in html


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, k, v) for k, v in attrs]


def test_a_panel_kind_from_a_json_body_cannot_add_markup() -> None:
    """`preview_html` takes bodies as they are: a panel kind is text like any other."""
    kind = 'signoz/x" onmouseover="steal()"><meta http-equiv="refresh" content="0;url=https://example.com'
    body = {"name": "x", "spec": {"display": {"name": "d"}, "variables": [], "panels": {
        "p": {"kind": "Panel", "spec": {"display": {"name": "p"}, "plugin": {"kind": kind, "spec": {}}, "queries": []}}},
        "layouts": [{"kind": "Grid", "spec": {"items": [{"x": 0, "y": 0, "width": 3, "height": 3,
                                                         "content": {"$ref": "#/spec/panels/p"}}]}}]}}
    html = build_page([DashboardPreview("x.json", body, [], {}, DataInfo(["f"], 0, 0, 60_000))], "test")
    attributes = Attributes(html).found
    assert not [a for a in attributes if a[1].startswith("on")]
    assert [a for a in attributes if a[1] == "http-equiv"] == [("meta", "http-equiv", "Content-Security-Policy")]


def test_a_right_to_left_override_reorders_only_its_own_text() -> None:
    """A title or label may open a bidi override (U+202E) and never close it; the page closes it at the
    end of that text, so the text after it (the page's own) reads as written."""
    rlo, pdf, rli, pdi = "\u202e", "\u202c", "\u2067", "\u2069"
    body = {"name": "x", "spec": {"display": {"name": f"{rlo}gnp.exe", "description": f"{rli}a{rlo}b"}, "variables": [],
                                  "panels": {}, "layouts": []}}
    html = build_page([DashboardPreview("x.json", body, [], {}, DataInfo(["f"], 0, 0, 60_000))], "test")
    assert f"<h1>{rlo}gnp.exe{pdf}</h1>" in html
    assert f"{rli}a{rlo}b{pdf}{pdi}</p>" in html
    closed = {**body, "spec": {**body["spec"], "display": {"name": f"{rlo}closed{pdf}"}}}
    html = build_page([DashboardPreview("x.json", closed, [], {}, DataInfo(["f"], 0, 0, 60_000))], "test")
    assert f"<h1>{rlo}closed{pdf}</h1>" in html and pdf + pdf not in html  # closed already: nothing added


def test_a_sql_rule_reads_the_json_columns_of_spans_clickhouse_loads(tmp_path) -> None:
    """A file ClickHouse loads fills the JSON columns (`resource`, `attributes`) only when some SQL reads
    them: the SQL of a ClickHouse rule counts, or its query sees every span without a service."""
    from tests.preview.spans_factory import dataset

    spans = tmp_path / "spans.jsonl"
    spans.write_text("".join(f"{__import__('json').dumps(s)}\n" for s in dataset()))
    sql = ("SELECT toStartOfInterval(timestamp, INTERVAL 10 MINUTE) AS ts, count() AS value "
           "FROM signoz_traces.distributed_signoz_index_v3 WHERE resource.`service.name`::String = 'web' GROUP BY ts")
    rule = {"alert": "web spans", "labels": {"signoz_dac_rule": "web-spans"},
            "evaluation": {"kind": "rolling", "spec": {"evalWindow": "10m", "frequency": "1m"}},
            "condition": {"selectedQueryName": "A", "compositeQuery": {"queryType": "clickhouse_sql", "queries": [
                {"type": "clickhouse_sql", "spec": {"name": "A", "query": sql}}]},
                "thresholds": {"kind": "basic", "spec": [{"name": "warning", "target": 3, "op": "above", "matchType": "in_total"}]}}}
    body = {"name": "x", "spec": {"display": {"name": "d"}, "variables": [], "panels": {}, "layouts": []}}
    html = preview_html([Dashboard("x.json", body, None, [rule])], [spans])
    [row] = re.findall(r'<tr data-rule="web-spans">(.*?)</tr>', html, re.S)
    assert "fires: warning" in row and ">4.00<" in row  # 4 spans of service web
