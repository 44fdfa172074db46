"""Every span name and attribute a rule queries exists in the spans captured from the real frameworks,
and every attribute a rule aggregates is numeric there.

Two sources: the profile catalogs (`profiles/catalog/<profile.catalog>`, generated from the
captures; required in CI) and the raw captures in ../shared/fixtures/telemetry (checked when present).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import signoz_dac
from signoz_dac.definitions import load_definition
from signoz_dac.profiles import get_profile
from signoz_dac.resources import builtin_definitions
from tests.alerts.helpers import fields_of, rule_builders
from tests.conftest import require_shared

INTRINSIC = {"name", "has_error", "duration_nano", "service.name", "trace_id"}
CAPTURES = {"pipecat": "pipecat-1.14.0-spans.json", "livekit": "livekit-1.8.9-spans.json"}


def _rules_by_profile(tmp_path: Path) -> dict[str, list[dict]]:
    """The shipped rules per profile; the LiveKit definition is also rendered with livekit-legacy."""
    out: dict[str, list[dict]] = {}
    for path in builtin_definitions():
        definition = load_definition(path)
        out[definition.profile] = signoz_dac.render_alerts(definition)
        if definition.profile == "livekit":
            legacy = tmp_path / "legacy.yaml"
            legacy.write_text(path.read_text().replace("profile: livekit\n", "profile: livekit-legacy\n"))
            out["livekit-legacy"] = signoz_dac.render_alerts(load_definition(legacy))
    return out


def unresolved(rules: list[dict], spans: dict[str, dict[str, str]], *, some_of_several: bool = False) -> list[str]:
    """What the rules use that the span catalog ({span: {attr: "string"|"number"|"bool"}}) lacks.
    A key seen with two types has them joined by "|"; an aggregated key must be only a number.
    `some_of_several`: a query that names several spans needs only one of them in the catalog (a
    capture without, say, a speech-to-speech call)."""
    problems = []
    for rule in rules:
        rule_id = rule["labels"]["signoz_dac_rule"]
        for name, spec in rule_builders(rule).items():
            used = fields_of(spec)
            assert used.spans, f"{rule_id} {name}: the query names no span"
            for span in sorted(used.spans):
                if span not in spans and some_of_several and len(used.spans) > 1 and used.spans & set(spans):
                    continue
                if span not in spans:
                    problems.append(f"{rule_id} {name}: span {span!r} was never captured")
                    continue
                attrs = spans[span]
                for key in sorted(used.aggregated - INTRINSIC):
                    if attrs.get(key) != "number":
                        problems.append(f"{rule_id} {name}: {span}.{key} is {attrs.get(key, 'missing')}, not a number")
                for key in sorted((used.present | used.absent) - INTRINSIC):
                    if key not in attrs:
                        problems.append(f"{rule_id} {name}: {span}.{key} is not on the captured spans")
            # A compared key needs to exist on one of the query's spans (`name IN (...)` lists several).
            for key in sorted(used.compared - INTRINSIC):
                if not any(key in spans.get(span, {}) for span in used.spans):
                    problems.append(f"{rule_id} {name}: {key} is on none of {sorted(used.spans)}")
    return problems


@pytest.mark.parametrize("profile", ["pipecat", "livekit", "livekit-legacy"])
def test_rules_resolve_against_the_profile_catalog(tmp_path, profile):
    """The catalog as lint reads it: the names the captures hold."""
    from signoz_dac.lint.catalog import load_catalog

    filename = get_profile(profile).catalog
    try:
        catalog = load_catalog(profile)
    except FileNotFoundError:
        message = f"span catalog profiles/catalog/{filename} is missing: generate it from the captured spans"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert unresolved(_rules_by_profile(tmp_path)[profile], catalog.spans) == []


def _capture_catalog(data) -> dict[str, dict[str, str]]:
    """{span: {attr: type}} from every span object (name + attributes) anywhere in a capture file."""
    spans: dict[str, dict[str, str]] = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and isinstance(node.get("attributes"), dict) and "span_id" in node:
                attrs = spans.setdefault(node["name"], {})
                for key, value in node["attributes"].items():
                    kind = "bool" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else "string"
                    attrs.setdefault(key, kind)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return spans


@pytest.mark.parametrize("profile", list(CAPTURES))
def test_rules_resolve_against_the_captured_spans(tmp_path, profile):
    shared = require_shared()
    capture = shared / "fixtures" / "telemetry" / CAPTURES[profile]
    assert get_profile(profile).verified_on[0] in capture.name
    spans = _capture_catalog(json.loads(capture.read_text(encoding="utf-8")))
    assert unresolved(_rules_by_profile(tmp_path)[profile], spans, some_of_several=True) == []


def test_the_checker_finds_a_wrong_name():
    rule = {"labels": {"signoz_dac_rule": "x"}, "condition": {"compositeQuery": {"queries": [
        {"type": "builder_query", "spec": {"name": "A", "filter": {"expression": "name = 'turn' AND lat EXISTS"},
                                           "aggregations": [{"expression": "p95(lat)"}]}}]}}}
    assert unresolved([rule], {"turn": {"lat": "number"}}) == []
    assert unresolved([rule], {"turn": {"lat": "string"}}) == ["x A: turn.lat is string, not a number"]
    assert unresolved([rule], {"agent_turn": {}}) == ["x A: span 'turn' was never captured"]
    compared = {"labels": {"signoz_dac_rule": "y"}, "condition": {"compositeQuery": {"queries": [
        {"type": "builder_query", "spec": {"name": "A", "filter": {"expression": "name = 'turn' AND turn.nr > 1"},
                                           "aggregations": [{"expression": "count()"}]}}]}}}
    assert unresolved([compared], {"turn": {"turn.number": "number"}}) == ["y A: turn.nr is on none of ['turn']"]
