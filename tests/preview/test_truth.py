"""Every shipped panel and alert rule, evaluated on spans captured from the real frameworks, equals
the ground truth computed from the same spans in Python (tests/preview/truth.py).

The captures: the committed ones (a plain clone), CI's fresh re-capture, and the raw captures in
../shared. Variables: ALL, and one service. Values are compared in base units after converting
from the panel's (or rule's) unit, so a wrong unit fails as surely as a wrong query; the negative
tests at the end prove that on the two mistakes SigNoz's official dashboards make.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

import signoz_dac
from signoz_dac.identity import RULE_LABEL
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.evaluate import PanelResult, evaluate_panel
from signoz_dac.preview.pipeline import spans_range
from signoz_dac.preview.query import TimeRange
from signoz_dac.preview.rules import rule_series
from signoz_dac.preview.units import to_base
from signoz_dac.preview.variables import resolve_variables
from tests.conftest import REPO
from tests.preview import truth
from tests.preview.conftest import PROFILE_CASES, Capture, capture_sources, definition, load_capture

pytestmark = pytest.mark.slow


def signoz_default_step(rng: TimeRange) -> int:
    """SigNoz's default step, written out here as the oracle: range / 300 points, a multiple of 5 s, ≥ 5 s."""
    step = int((rng.end_ms - rng.start_ms) / 1000) // 300
    return 5 if step < 5 else step - step % 5


@pytest.fixture(scope="module", params=capture_sources(), ids=lambda p: f"{p[0]}:{p[1]}")
def loaded(request):
    source, profile = request.param
    capture = load_capture(source, profile)
    dashboard = definition(profile)
    body = signoz_dac.render(dashboard)
    rules = signoz_dac.render_alerts(dashboard)
    with Engine(capture.spans) as engine:
        yield capture, body, rules, engine


def alert_rules(profile: str) -> list[dict[str, Any]]:
    """The shipped definition's `alerts.rules`, read as YAML: the levels the rules compare with."""
    return yaml.safe_load((REPO / "dashboards" / PROFILE_CASES[profile]).read_text())["alerts"]["rules"]


def world(capture: Capture, rng: TimeRange, services: frozenset[str] | None = None) -> truth.World:
    return truth.World(capture.spans, truth.FACTS[capture.profile], rng.start_ns, rng.end_ns,
                       signoz_default_step(rng), services, alerts=alert_rules(capture.profile))


# -- comparing ----------------------------------------------------------------------------------------


def evaluated(result: PanelResult, panel: dict[str, Any]) -> Any:
    """What the panel shows, in base units, in the shape its truth function returns (a table's rows
    in the order shown)."""
    plugin = panel["spec"]["plugin"]
    formatting = plugin["spec"].get("formatting") or {}
    unit = formatting.get("unit") or "none"
    kind = plugin["kind"]
    if kind == "signoz/NumberPanel":
        return None if result.value is None else to_base(result.value, unit)
    if kind in ("signoz/TimeSeriesPanel", "signoz/BarChartPanel"):
        return {s.label: {ts: to_base(v, unit) for ts, v in s.points.items()} for s in result.series}
    if kind == "signoz/PieChartPanel":
        return {s.label: s.points[0] for s in result.series}
    table = result.table
    assert table is not None
    units = [column_unit(formatting, result, column) for column in table.columns]
    return [tuple(to_base(float(c), u) if numeric and c is not None else c
                  for c, numeric, u in zip(row, table.numeric, units)) for row in table.rows]


def column_unit(formatting: dict[str, Any], result: PanelResult, column: str) -> str:
    """A table column's unit: `columnUnits` names a builder column by its query (an aliased
    aggregation's column shows the alias)."""
    units = formatting.get("columnUnits") or {}
    query = next((s.query for s in result.series if s.alias == column), column)
    return units.get(column) or units.get(query) or "none"


def _labels(row: tuple[Any, ...]) -> tuple[str, ...]:
    """A table row's identity: its text cells."""
    return tuple("" if c is None else str(c) for c in row if not isinstance(c, (int, float)) or isinstance(c, bool))


def mismatches(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where two values differ (floats to 1e-9 relative), as readable lines; [] when they agree."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                out.append(f"{where}[{key!r}]: missing (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{where}[{key!r}]: unexpected {actual[key]!r}")
            else:
                out += mismatches(expected[key], actual[key], f"{where}[{key!r}]")
        return out
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, expected {len(expected)}: {actual!r} vs {expected!r}"]
        return [m for i, (e, a) in enumerate(zip(expected, actual)) for m in mismatches(e, a, f"{where}[{i}]")]
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(expected, bool):
        if math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-12):
            return []
        return [f"{where}: {actual!r}, expected {expected!r}"]
    return [] if expected == actual else [f"{where}: {actual!r}, expected {expected!r}"]


def check_panel(key: str, body: dict, engine: Engine, rng: TimeRange, w: truth.World, variables: dict | None = None) -> list[str]:
    """Mismatches between a panel's evaluated numbers and its truth."""
    values = variables or {v.name: v.value for v in resolve_variables(body, engine, rng)}
    panel = body["spec"]["panels"][key]
    result = evaluate_panel(key, panel, engine, values, rng)
    if key in truth.NOT_COMPUTED:
        ok = result.status == "not-evaluated" and truth.NOT_COMPUTED[key] in result.reason
        return [] if ok else [f"{key}: expected 'not evaluated: {truth.NOT_COMPUTED[key]}', got {result.status}: {result.reason}"]
    if result.status != "ok":
        return [f"{key}: {result.status}: {result.reason}"]
    actual = evaluated(result, panel)
    expected = truth.PANEL_TRUTH[key](w)
    if isinstance(actual, list) and panel["spec"]["plugin"]["kind"] == "signoz/TablePanel":
        order = truth.TABLE_ORDER.get(key)
        if order and [order(r) for r in actual] != sorted(order(r) for r in actual):
            return [f"{key}: rows not in the panel's order: {actual}"]
        actual, expected = sorted(actual, key=_labels), sorted(expected, key=_labels)
    return [f"{key}{m}" for m in mismatches(expected, actual)]


def check_rule(rule: dict, engine: Engine, rng: TimeRange, w: truth.World) -> list[str]:
    """Mismatches between a rule's selected query, evaluated over the range, and its truth: a series
    per group (its label values), in base units."""
    rule_id = rule["labels"][RULE_LABEL]
    _, unit, series = rule_series(rule, engine, rng)
    actual = {" ".join(str(v or "") for v in s.labels.values()): {ts: to_base(v, unit) for ts, v in s.points.items()}
              for s in series}
    return [f"{rule_id}{m}" for m in mismatches(truth.RULE_TRUTH[rule_id](w), actual)]


# -- the tests ----------------------------------------------------------------------------------------


def test_every_shipped_panel_and_rule_has_a_truth(loaded) -> None:
    _, body, rules, _ = loaded
    panels = set(body["spec"]["panels"])
    known = set(truth.PANEL_TRUTH) | set(truth.NOT_COMPUTED)
    assert panels - known == set(), "panels without a ground truth: add them to tests/preview/truth.py"
    rule_ids = {r["labels"][RULE_LABEL] for r in rules}
    assert rule_ids - set(truth.RULE_TRUTH) == set(), "rules without a ground truth: add them to tests/preview/truth.py"


def test_every_panel_equals_the_truth(loaded) -> None:
    capture, body, _, engine = loaded
    rng = spans_range(capture.spans)
    w = world(capture, rng)
    found = [m for key in body["spec"]["panels"] for m in check_panel(key, body, engine, rng, w)]
    assert found == [], "\n".join(found)


def test_every_panel_equals_the_truth_for_one_service(loaded) -> None:
    capture, body, _, engine = loaded
    rng = spans_range(capture.spans)
    services = sorted({truth.service(s) for s in capture.spans})
    chosen = frozenset(services[-1:])
    values = {v.name: v.value for v in resolve_variables(body, engine, rng, {"service_name": services[-1]})}
    assert values["service_name"] == [services[-1]]
    w = world(capture, rng, chosen)
    found = [m for key in body["spec"]["panels"] for m in check_panel(key, body, engine, rng, w, values)]
    assert found == [], "\n".join(found)


def test_every_panel_equals_the_truth_on_part_of_the_range(loaded) -> None:
    """A range that cuts the capture: only spans that start inside it count."""
    capture, body, _, engine = loaded
    full = spans_range(capture.spans)
    starts = sorted(s["start_ns"] for s in capture.spans)
    cut = starts[len(starts) // 2] // 1_000_000_000 * 1000
    rng = TimeRange(full.start_ms, cut)
    w = world(capture, rng)
    assert 0 < len(w.named(*{s["name"] for s in capture.spans})) < len(capture.spans)
    found = [m for key in body["spec"]["panels"] for m in check_panel(key, body, engine, rng, w)]
    assert found == [], "\n".join(found)


def test_every_rule_equals_the_truth(loaded) -> None:
    capture, _, rules, engine = loaded
    rng = spans_range(capture.spans)
    w = world(capture, rng)
    found = [m for rule in rules for m in check_rule(rule, engine, rng, w)]
    assert found == [], "\n".join(found)


PRICES = truth.Prices(llm={"gpt-4o-mini": (0.15, 0.075, 0.60), "gpt-realtime": (4.0, 0.4, 16.0)},
                      tts={"sonic-2": 40.0}, stt={"nova-3": 0.0043})


def priced(profile: str, folder) -> tuple[dict, truth.Prices]:
    """The shipped definition with its cost panel on and a `prices:` table (LiveKit's spans carry
    LLM tokens only, so it prices only those); its body and the prices."""
    prices = PRICES if profile == "pipecat" else truth.Prices(llm=PRICES.llm)
    table = {"llm": {m: {"input": i, "cached_input": c, "output": o} for m, (i, c, o) in prices.llm.items()}}
    table.update({k: v for k, v in (("tts", prices.tts), ("stt", prices.stt)) if v})
    text = (REPO / "dashboards" / PROFILE_CASES[profile]).read_text()
    path = folder / "priced.yaml"
    path.write_text(text.replace("      # - type: cost_per_call", "      - type: cost_per_call") + "\n"
                    + yaml.safe_dump({"prices": table}))
    dashboard = signoz_dac.load_definition(path)
    return signoz_dac.render(dashboard.model_copy(update={"profile": profile})), prices


def test_cost_per_call_equals_the_truth(loaded, tmp_path) -> None:
    capture, _, _, engine = loaded
    body, prices = priced(capture.profile, tmp_path)
    rng = spans_range(capture.spans)
    w = world(capture, rng)
    w.prices = prices
    assert (truth.cost_per_call(w) or 0) > 0
    assert check_panel("cost-per-call", body, engine, rng, w) == []


def test_the_captures_have_something_to_compare(loaded) -> None:
    """Guard the fixtures: tokens, errors, several models' panels and latencies are there to check;
    on our own captures every panel and rule has something to show, and the shares are not 0."""
    capture, body, rules, _ = loaded
    w = world(capture, spans_range(capture.spans))
    assert truth.token_total(w, truth.INPUT) > 0
    assert truth.turn_latency_p95(w) is not None
    assert all(truth.PANEL_TRUTH[f"model-distribution-{c}"](w) for c in ("stt", "llm", "tts"))
    if capture.source == "shared":  # recorded independently: 1.7.1's run has no failure, Pipecat's no TTS outage
        return
    empty = [key for key in body["spec"]["panels"] if key in truth.PANEL_TRUTH and truth.PANEL_TRUTH[key](w) in (None, [], {})]
    assert empty == [], "panels with nothing to compare on this capture"
    assert [r["labels"][RULE_LABEL] for r in rules if not truth.RULE_TRUTH[r["labels"][RULE_LABEL]](w)] == []
    shares = ("dead-air", "error-rate", "tts-without-audio", "interruptions-per-call")
    assert all(truth.PANEL_TRUTH[key](w) > 0 for key in shares if key in body["spec"]["panels"])
