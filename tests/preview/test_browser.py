"""The preview page in a real browser (headless Chromium): every panel visible at its place on the
12-column grid, the known numbers on screen, a screenshot, and not one network request.

Chromium comes from the system (Debian's `chromium` package; CI installs it). Without it the test
skips locally and fails under CI.
"""

from __future__ import annotations

import os
import struct

import pytest

import signoz_dac
from signoz_dac.preview import Dashboard, preview_html
from signoz_dac.preview.page import COLUMNS, GAP, ROW_HEIGHT
from signoz_dac.preview.pipeline import spans_range
from signoz_dac.preview.samples import sample_path
from signoz_dac.preview.spans import read_spans
from signoz_dac.preview.units import format_value
from tests.conftest import REPO
from tests.preview import truth
from tests.preview.browser import Browser, find_chromium

pytestmark = pytest.mark.slow

GEOMETRY = """
(() => {
  const grid = (el) => el.closest('.grid').getBoundingClientRect();
  return [...document.querySelectorAll('[data-panel]')].map((el) => {
    const r = el.getBoundingClientRect(), g = grid(el), style = getComputedStyle(el);
    return {key: el.dataset.panel, dashboard: el.closest('[data-dashboard]').dataset.dashboard,
            x: +el.dataset.x, y: +el.dataset.y, w: +el.dataset.w, h: +el.dataset.h,
            left: r.left - g.left, top: r.top - g.top, width: r.width, height: r.height, gridWidth: g.width,
            visible: style.visibility === 'visible' && style.display !== 'none' && r.width > 0 && r.height > 0,
            text: el.innerText};
  });
})()
"""


RULES = """
[...document.querySelectorAll('[data-rule]')].map((row) => {
  const r = row.getBoundingClientRect();
  return {rule: row.dataset.rule, dashboard: row.closest('[data-dashboard]').dataset.dashboard,
          visible: r.width > 600 && r.height > 10, text: row.innerText};
})
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium for the preview's browser test (.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[str, dict[str, dict]]:
    """Both shipped dashboards on one page, from the bundled samples."""
    bodies, dashboards = {}, []
    for name in ("pipecat", "livekit"):
        definition = signoz_dac.load_definition(REPO / "dashboards" / f"{name}.yaml")
        body = signoz_dac.render(definition)
        bodies[body["name"]] = body
        dashboards.append(Dashboard(f"dashboards/{name}.yaml", body, definition.profile, signoz_dac.render_alerts(definition)))
    path = tmp_path_factory.mktemp("preview") / "preview.html"
    path.write_text(preview_html(dashboards))
    return path.as_uri(), bodies


@pytest.fixture(scope="module")
def rendered(chromium, page, tmp_path_factory):
    url, bodies = page
    shot = tmp_path_factory.mktemp("shot") / "preview.png"
    with Browser(chromium) as browser:
        browser.open(url)
        panels = browser.evaluate(GEOMETRY)
        rules = browser.evaluate(RULES)
        requests = browser.requests()
        problems = browser.problems()
        browser.screenshot(str(shot))
    return url, bodies, panels, requests, shot, problems, rules


def test_nothing_is_loaded_from_the_network(rendered) -> None:
    url, _, _, requests, _, problems, _ = rendered
    assert requests == [url]
    assert problems == []  # no blocked load, no policy violation, no error of any kind


def test_every_panel_is_visible_at_its_place(rendered) -> None:
    _, bodies, panels, *_ = rendered
    expected = {(name, item["content"]["$ref"].rsplit("/", 1)[-1])
                for name, body in bodies.items() for layout in body["spec"]["layouts"] for item in layout["spec"]["items"]}
    assert {(p["dashboard"], p["key"]) for p in panels} == expected
    for p in panels:
        column = (p["gridWidth"] - (COLUMNS - 1) * GAP) / COLUMNS
        where = f"{p['dashboard']}/{p['key']}"
        assert p["visible"], where
        assert p["left"] == pytest.approx(p["x"] * (column + GAP), abs=1.5), where
        assert p["width"] == pytest.approx(p["w"] * column + (p["w"] - 1) * GAP, abs=1.5), where
        assert p["top"] == pytest.approx(p["y"] * (ROW_HEIGHT + GAP), abs=1.5), where
        assert p["height"] == pytest.approx(p["h"] * ROW_HEIGHT + (p["h"] - 1) * GAP, abs=1.5), where


def test_the_known_numbers_are_on_screen(rendered) -> None:
    _, _bodies, panels, *_ = rendered
    text = {(p["dashboard"], p["key"]): p["text"] for p in panels}
    for name, profile in (("pipecat-voice-agent", "pipecat"), ("livekit-voice-agent", "livekit")):
        spans = read_spans(sample_path(f"{'pipecat-1.14.0' if profile == 'pipecat' else 'livekit-1.8.9'}.json"))
        rng = spans_range(spans)
        w = truth.World(spans, truth.FACTS[profile], rng.start_ns, rng.end_ns, 5)
        tokens = truth.token_total(w, truth.INPUT)
        assert tokens > 0
        assert format_value(tokens, "none", "0") in text[(name, "token-usage-input")]
        assert format_value(truth.PANEL_TRUTH["error-rate"](w), "percentunit") in text[(name, "error-rate")]
        assert format_value(truth.turn_latency_p95(w), "s") in text[(name, "turn-latency-p95")]
        for model in truth.PANEL_TRUTH["model-distribution-tts"](w):
            assert model in text[(name, "model-distribution-tts")]


def test_every_alert_rule_is_on_screen_with_a_verdict(rendered) -> None:
    _, bodies, _, _, _, _, rules = rendered
    assert {(r["dashboard"], r["rule"]) for r in rules} == {
        (name, rule["labels"]["signoz_dac_rule"]) for name in bodies
        for rule in signoz_dac.render_alerts(signoz_dac.load_definition(REPO / "dashboards" / f"{name.split('-')[0]}.yaml"))}
    assert all(r["visible"] for r in rules)
    assert all(("fires" in r["text"]) or ("quiet" in r["text"]) for r in rules)
    assert any("fires" in r["text"] for r in rules)  # the captures' failure scenarios


def test_a_screenshot_of_the_whole_page(rendered) -> None:
    shot = rendered[4]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1440 and height > 4000  # two dashboards, five sections each
    assert len(data) > 100_000  # charts and text, not a blank page
