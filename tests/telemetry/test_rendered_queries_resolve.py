"""Every builder query of the shipped dashboards resolves against spans captured from the real
framework of its profile: span names exist, attributes exist on those spans, and what a panel
sums, averages or takes percentiles of is a number there."""

from __future__ import annotations

import copy
import re

import pytest

import signoz_dac
from signoz_dac.lint import lint_dashboard
from signoz_dac.profiles import get_profile
from signoz_dac.profiles.catalog import attribute_types, load_catalog
from signoz_dac.resources import builtin_definitions

PROFILE_RULES = ("profile-span-name", "profile-attribute")
NUMERIC = re.compile(r"^(?:sum|avg|min|max|p\d+)\((?P<attr>[^)]+)\)$")
SPAN = re.compile(r"^name (?:= '(?P<span>[^']+)'|IN \((?P<spans>[^)]+)\))")


def variants() -> list[tuple[str, str]]:
    """(definition text, profile): the built-ins, and LiveKit's under the legacy profile."""
    out = []
    for path in builtin_definitions():
        text = path.read_text()
        out.append((text, signoz_dac.load_definition(path).profile))
        if "profile: livekit\n" in text:
            out.append((text.replace("profile: livekit\n", "profile: livekit-legacy\n"), "livekit-legacy"))
    return out


@pytest.fixture(params=variants(), ids=lambda v: v[1])
def rendered(request, tmp_path):
    text, profile = request.param
    path = tmp_path / "definition.yaml"
    path.write_text(text)
    return signoz_dac.render(signoz_dac.load_definition(path)), profile


def builders(body: dict):
    for key, panel in body["spec"]["panels"].items():
        plugin = panel["spec"]["queries"][0]["spec"]["plugin"]
        specs = [plugin["spec"]] if plugin["kind"] == "signoz/BuilderQuery" else [
            q["spec"] for q in plugin["spec"].get("queries", []) if q["type"] == "builder_query"
        ]
        for spec in specs:
            if spec.get("signal") == "traces":
                yield key, spec


def test_span_names_and_attributes_exist_in_the_capture(rendered):
    body, profile = rendered
    found = [f for f in lint_dashboard(body, profile=profile) if f.check in PROFILE_RULES]
    assert found == [], "\n".join(f"{f.path}: {f.message}" for f in found)


def test_the_check_sees_a_wrong_attribute(rendered):
    # The check above is not vacuous: one misspelt attribute in one panel is found.
    body, profile = rendered
    broken = copy.deepcopy(body)
    spec = broken["spec"]["panels"]["turn-latency-p95"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]
    spec["aggregations"][0]["expression"] = spec["aggregations"][0]["expression"].replace("(", "(x_", 1)
    found = [f for f in lint_dashboard(broken, profile=profile) if f.check == "profile-attribute"]
    assert len(found) == 1 and "turn-latency-p95" in found[0].path


def test_aggregated_attributes_are_numbers_on_their_span(rendered):
    body, profile = rendered
    catalog = load_catalog(get_profile(profile).catalog)
    checked = 0
    for key, spec in builders(body):
        match = SPAN.match(spec["filter"]["expression"])
        spans = ([match["span"]] if match["span"] else re.findall(r"'([^']+)'", match["spans"])) if match else []
        for aggregation in spec["aggregations"]:
            numeric = NUMERIC.match(aggregation["expression"])
            if spans and numeric and numeric["attr"] != "duration_nano":  # a span field, not an attribute
                # on each span that carries it, a number; and at least one span carries it
                types = {span: attribute_types(catalog, span, numeric["attr"]) for span in spans}
                assert all(t <= {"number"} for t in types.values()) and any(types.values()), (key, numeric["attr"], types)
                checked += 1
    assert checked >= 12  # tokens, turn latency, the component latencies (tile, charts, table), percentiles
