"""with_defaults fills every omitted dashboard enum with SigNoz's default, idempotently, and the
result is still valid (so it can be compared with what the server returns)."""

from __future__ import annotations

import copy

import pytest

from signoz_dac.signoz.v6 import ENUM_DEFAULTS, ENUM_VALUES, dump, parse_dashboard, with_defaults

from .bodies import get_path, load_fixture, make_body, set_path

TS = "spec.panels.latency.spec.plugin.spec"
BAR = "spec.panels.bars.spec.plugin.spec"
NUM = "spec.panels.errors.spec.plugin.spec"
PIE = "spec.panels.models.spec.plugin.spec"
TBL = "spec.panels.table.spec.plugin.spec"
HIST = "spec.panels.hist.spec.plugin.spec"

# Every place of the minimal body where an enum is omitted, and the ENUM_DEFAULTS key that fills it.
FILLED = [
    (f"{TS}.legend.mode", "legend.mode"),
    (f"{TS}.chartAppearance.lineStyle", "chartAppearance.lineStyle"),
    (f"{TS}.chartAppearance.fillMode", "chartAppearance.fillMode"),
    (f"{BAR}.visualization.timePreference", "visualization.timePreference"),
    (f"{BAR}.formatting.decimalPrecision", "formatting.decimalPrecision"),
    (f"{BAR}.legend.position", "legend.position"),
    (f"{NUM}.visualization.timePreference", "visualization.timePreference"),
    (f"{NUM}.formatting.decimalPrecision", "formatting.decimalPrecision"),
    (f"{NUM}.thresholds[0].format", "thresholds[].format"),
    (f"{PIE}.legend.mode", "legend.mode"),
    (f"{TBL}.thresholds[0].operator", "thresholds[].operator"),
    (f"{TBL}.thresholds[0].format", "thresholds[].format"),
    (f"{TBL}.formatting.decimalPrecision", "formatting.decimalPrecision"),
    (f"{HIST}.legend.position", "legend.position"),
    ("spec.variables[0].spec.sort", "ListVariable.sort"),
]
# Values the minimal body sets explicitly: never overwritten.
KEPT = [
    (f"{TS}.visualization.timePreference", "global_time"),
    (f"{TS}.chartAppearance.lineInterpolation", "spline"),
    (f"{TS}.legend.position", "bottom"),
    (f"{PIE}.legend.position", "right"),
    (f"{NUM}.thresholds[0].operator", "above"),
    ("spec.variables[1].spec.sort", "alphabetical-asc"),
    ("spec.variables[0].spec.plugin.spec.signal", "traces"),
]


def test_defaults_table_is_consistent():
    assert ENUM_DEFAULTS.keys() == ENUM_VALUES.keys()
    assert ENUM_DEFAULTS["visualization.timePreference"] == "global_time"
    assert ENUM_DEFAULTS["chartAppearance.lineInterpolation"] == "spline"
    assert ENUM_DEFAULTS["formatting.decimalPrecision"] == "2"
    assert ENUM_DEFAULTS["DynamicVariable.signal"] == "all"


@pytest.mark.parametrize("path, key", FILLED, ids=[p for p, _ in FILLED])
def test_fills_each_omitted_enum(path, key):
    filled = with_defaults(make_body())
    assert get_path(filled, path) == ENUM_DEFAULTS[key]


@pytest.mark.parametrize("path, value", KEPT, ids=[p for p, _ in KEPT])
def test_keeps_given_values(path, value):
    assert get_path(with_defaults(make_body()), path) == value


def test_every_default_key_is_exercised():
    used = {key for _, key in FILLED} | {"chartAppearance.lineInterpolation", "DynamicVariable.signal"}
    assert used == set(ENUM_DEFAULTS)


def test_fills_a_missing_dynamic_signal_and_interpolation():
    body = make_body()
    del body["spec"]["variables"][0]["spec"]["plugin"]["spec"]["signal"]
    del body["spec"]["panels"]["latency"]["spec"]["plugin"]["spec"]["chartAppearance"]["lineInterpolation"]
    filled = with_defaults(body)
    assert get_path(filled, "spec.variables[0].spec.plugin.spec.signal") == "all"
    assert get_path(filled, f"{TS}.chartAppearance.lineInterpolation") == "spline"


def test_creates_absent_enum_parents_for_the_panel_kind():
    body = make_body()
    set_path(body, "spec.panels.bars.spec.plugin.spec", {})
    spec = get_path(with_defaults(body), BAR)
    assert spec == {
        "visualization": {"timePreference": "global_time"},
        "formatting": {"decimalPrecision": "2"},
        "legend": {"position": "bottom", "mode": "list"},
    }


def test_is_idempotent_does_not_mutate_and_stays_valid():
    body = make_body()
    original = copy.deepcopy(body)
    once = with_defaults(body)
    assert body == original
    assert with_defaults(once) == once
    assert dump(parse_dashboard(once)) == once


@pytest.mark.parametrize("name", ["pipecat-v6.json", "livekit-v6.json"])
def test_official_exports_already_carry_their_defaults(name):
    # What SigNoz itself stores and exports is a fixed point: our defaults are the server's.
    body = load_fixture(name)
    assert with_defaults(body) == body


def test_tolerates_garbage():
    assert with_defaults({"spec": None}) == {"spec": None}
    assert with_defaults({"spec": {"panels": {"x": 1}, "variables": [None]}}) == {"spec": {"panels": {"x": 1}, "variables": [None]}}
