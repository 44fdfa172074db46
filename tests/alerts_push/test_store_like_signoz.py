"""An unchanged push writes nothing against an emulator that stores like SigNoz: the canonical form
absorbs every way SigNoz's re-read differs from what was sent, for dashboards and rules, and both
spellings of the rule audit fields (issue 11, defect 15: `createAt`/`updateAt` made every unchanged
rule drift and push exit 1). Each case first checks that SigNoz's re-read really does differ."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import signoz_dac
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.sync import Action, apply, make_plan
from signoz_dac.testing import FAST_RETRY
from tests.signoz_v6.bodies import get_path, make_body, set_path

from .support import CANARY, PIPECAT, RULES, run

TSB = "spec.panels.latency.spec.queries[0].spec.plugin.spec"
TS = "spec.panels.latency.spec.plugin.spec"


def _client(emulator) -> SigNozClient:
    return SigNozClient(emulator.url, CANARY, retry=FAST_RETRY)


def _push(emulator, bodies=(), rules=()) -> list[Action]:
    with _client(emulator) as client:
        plan = make_plan(client, [("b.json", b) for b in bodies], rules=[("r.yaml", r) for r in rules])
        apply(client, plan)
    return [item.action for item in plan.items]


def test_the_shipped_definitions_push_twice_with_no_second_write(emulator):
    first = run(["push"], url=emulator.url)
    assert first.code == 0, first.text
    assert len(emulator.dashboards) == 2 and len(emulator.rules) == 2 * RULES
    # SigNoz's re-read is not what we sent: defaults written out, step intervals in seconds, ...
    rendered = signoz_dac.render(signoz_dac.load_definition(PIPECAT))
    stored = emulator.get(rendered["name"])
    panel = next(iter(rendered["spec"]["panels"]))
    assert stored["spec"]["panels"][panel] != rendered["spec"]["panels"][panel]
    rule = signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))[0]
    read = emulator.rule(rule["alert"])
    assert read["condition"]["thresholds"]["spec"][0]["recoveryTarget"] is None
    assert "recoveryTarget" not in rule["condition"]["thresholds"]["spec"][0]

    emulator.reset_counters()
    second = run(["push"], url=emulator.url)
    assert (second.code, emulator.writes) == (0, 0), second.text
    assert run(["diff"], url=emulator.url).code == 0 and emulator.writes == 0


def _at(path: str, value: Any):
    return lambda stored: get_path(stored, path) == value


# (what SigNoz does to it, the change to the minimal body, what the stored copy then holds)
DASHBOARD_CASES = [
    ("stepInterval in seconds", [(f"{TSB}.stepInterval", "1m")], _at(f"{TSB}.stepInterval", 60)),
    ("function names lower-cased", [(f"{TSB}.functions", [{"name": "timeShift", "args": [{"value": 3600}]}])],
     _at(f"{TSB}.functions[0].name", "timeshift")),
    ("a key's context prefix split off", [(f"{TSB}.groupBy", [{"name": "resource.service.name"}])],
     _at(f"{TSB}.groupBy[0]", {"name": "service.name", "fieldContext": "resource"})),
    ("tag is attribute", [(f"{TSB}.groupBy[0].fieldContext", "tag")], _at(f"{TSB}.groupBy[0].fieldContext", "attribute")),
    ("float64 is number", [(f"{TSB}.groupBy[0].fieldDataType", "float64")], _at(f"{TSB}.groupBy[0].fieldDataType", "number")),
    ("enums folded", [(f"{TS}.chartAppearance.lineStyle", "Dashed")], _at(f"{TS}.chartAppearance.lineStyle", "dashed")),
    ("an integer precision as a string", [(f"{TS}.formatting.decimalPrecision", 3)], _at(f"{TS}.formatting.decimalPrecision", "3")),
    ("zero values written out", [], _at(f"{TS}.axes.softMin", None)),
    ("spanGaps written out", [(f"{TS}.chartAppearance", {})], _at(f"{TS}.chartAppearance.spanGaps", {"fillOnlyBelow": False, "fillLessThan": ""})),
    ("an empty links list left out", [("spec.panels.latency.spec.links", [])], lambda s: "links" not in get_path(s, "spec.panels.latency.spec")),
    ("display.name from name", [("spec.display.name", "")], _at("spec.display.name", "voice-agents")),
    ("tags trimmed", [("tags", [{"key": " team ", "value": "voice "}])], _at("tags[0]", {"key": "team", "value": "voice"})),
    ("tags deduplicated", [("tags", [{"key": "team", "value": "voice"}, {"key": "Team", "value": "Voice"}])],
     lambda s: [t["key"] for t in s["tags"]][:2] == ["team", "managed-by"]),
]


@pytest.mark.parametrize(("what", "changes", "stored_so"), DASHBOARD_CASES, ids=[c[0] for c in DASHBOARD_CASES])
def test_an_unchanged_dashboard_stays_unchanged(emulator, what, changes, stored_so):
    body = make_body()
    for where, value in changes:
        set_path(body, where, value)
    assert _push(emulator, [body]) == [Action.CREATE]
    assert stored_so(emulator.get(body["name"]))
    emulator.reset_counters()
    assert _push(emulator, [body]) == [Action.UNCHANGED]
    assert emulator.writes == 0


def test_a_tag_recased_to_the_orgs_spelling_stays_unchanged(emulator):
    other = make_body()
    other.update(name="someone-elses", tags=[{"key": "Team", "value": "Voice"}])
    emulator.seed(other)
    ours = make_body()
    ours["tags"] = [{"key": "team", "value": "voice"}]
    _push(emulator, [ours])
    assert {"key": "Team", "value": "Voice"} in emulator.get("voice-agents")["tags"]
    emulator.reset_counters()
    assert _push(emulator, [ours]) == [Action.UNCHANGED] and emulator.writes == 0


def test_our_own_tags_recased_by_the_org_are_still_ours(emulator):
    other = make_body()
    other.update(name="someone-elses", tags=[{"key": "Managed-By", "value": "SigNoz-DAC"}])
    emulator.seed(other)
    _push(emulator, [make_body()])
    assert {"key": "Managed-By", "value": "SigNoz-DAC"} in emulator.get("voice-agents")["tags"]
    emulator.reset_counters()
    assert _push(emulator, [make_body()]) == [Action.UNCHANGED] and emulator.writes == 0


# --- rules ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_rule() -> dict[str, Any]:
    return signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))[0]


def _query(rule: dict[str, Any]) -> dict[str, Any]:
    return rule["condition"]["compositeQuery"]["queries"][0]["spec"]


RULE_CASES = [
    ("version filled in", lambda r: r.pop("version"), lambda s: s["version"] == "v5"),
    ("ruleType filled in", lambda r: r.pop("ruleType"), lambda s: s["ruleType"] == "threshold_rule"),
    ("stepInterval in seconds", lambda r: _query(r).update(stepInterval="1m"), lambda s: _query(s)["stepInterval"] == 60),
    ("recoveryTarget and channels written", lambda r: [t.pop("channels") for t in r["condition"]["thresholds"]["spec"]],
     lambda s: s["condition"]["thresholds"]["spec"][0]["channels"] is None),
    ("usePolicy written", lambda r: r.update(notificationSettings={}), lambda s: s["notificationSettings"] == {"usePolicy": False}),
    ("a key's context prefix split off", lambda r: _query(r).update(groupBy=[{"name": "resource.service.name"}]),
     lambda s: _query(s)["groupBy"][0] == {"name": "service.name", "fieldContext": "resource"}),
]


@pytest.mark.parametrize(("what", "change", "stored_so"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_an_unchanged_rule_stays_unchanged(emulator, shipped_rule, what, change, stored_so):
    rule = copy.deepcopy(shipped_rule)
    change(rule)
    assert _push(emulator, rules=[rule]) == [Action.CREATE]
    assert stored_so(emulator.rule(rule["alert"]))
    emulator.reset_counters()
    assert _push(emulator, rules=[rule]) == [Action.UNCHANGED]
    assert emulator.writes == 0


def test_v1_audit_field_spellings_are_not_drift(emulator):
    assert run(["push", str(PIPECAT)], url=emulator.url).code == 0
    # A server that spells the audit fields as SigNoz's v1 GettableRule does.
    with emulator._lock:
        for rule in emulator.rules.values():
            for new, old in (("createdAt", "createAt"), ("updatedAt", "updateAt"), ("createdBy", "createBy"), ("updatedBy", "updateBy")):
                rule[old] = rule.pop(new)
    emulator.reset_counters()
    second = run(["push", str(PIPECAT)], url=emulator.url)
    assert (second.code, emulator.writes) == (0, 0), second.text
    assert f"{RULES + 1} unchanged" in second.stdout


# --- each normalisation alone: a hand-made server copy that differs from what was sent in one way ---

AUDIT = {"id": "0190a5b2-0000-7000-8000-000000000001", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z",
         "createdBy": "ci@example.com", "updatedBy": "ci@example.com"}


DROP = object()  # a change that removes the field


def _changed(body: dict[str, Any], changes: list[tuple[str, Any]]) -> dict[str, Any]:
    for path, value in changes:
        if value is DROP:
            parent, _, last = path.rpartition(".")
            del get_path(body, parent)[last]
        else:
            set_path(body, path, value)
    return body


def _server_copy(body: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(body), **AUDIT, "orgId": "0190", "locked": False, "source": "user"}

BAR = "spec.panels.bars.spec.plugin.spec"

# (what SigNoz changed, the body we send, the one change SigNoz's copy has)
ONE_CHANGE = [
    ("stepInterval in seconds", [(f"{TSB}.stepInterval", "1m")], [(f"{TSB}.stepInterval", 60)]),
    ("function name lower-cased", [(f"{TSB}.functions", [{"name": "timeShift", "args": [{"value": 1}]}])],
     [(f"{TSB}.functions", [{"name": "timeshift", "args": [{"value": 1}]}])]),
    ("key prefix split off", [(f"{TSB}.groupBy", [{"name": "resource.service.name"}])],
     [(f"{TSB}.groupBy", [{"name": "service.name", "fieldContext": "resource"}])]),
    ("tag is attribute", [(f"{TSB}.groupBy[0].fieldContext", "tag")], [(f"{TSB}.groupBy[0].fieldContext", "attribute")]),
    ("unknown context is empty", [(f"{TSB}.groupBy[0].fieldContext", "planet")], [(f"{TSB}.groupBy[0].fieldContext", DROP)]),
    ("float64 is number", [(f"{TSB}.groupBy[0].fieldDataType", "float64")], [(f"{TSB}.groupBy[0].fieldDataType", "number")]),
    ("enum folded", [(f"{TS}.chartAppearance.lineStyle", " Dashed")], [(f"{TS}.chartAppearance.lineStyle", "dashed")]),
    ("integer precision as a string", [(f"{TS}.formatting.decimalPrecision", 3)], [(f"{TS}.formatting.decimalPrecision", "3")]),
    ("thresholds null", [], [(f"{BAR}.thresholds", None)]),
    ("softMin null", [], [(f"{BAR}.axes", {"softMin": None, "softMax": None, "isLogScale": False})]),
    ("customColors null", [], [(f"{BAR}.legend", {"position": "bottom", "mode": "list", "customColors": None})]),
    ("spanGaps written out", [(f"{TS}.chartAppearance.spanGaps", DROP)],
     [(f"{TS}.chartAppearance.spanGaps", {"fillOnlyBelow": False, "fillLessThan": ""})]),
    ("duration written out", [("spec.refreshInterval", DROP)], [("spec.refreshInterval", "")]),
    ("display.name filled from name", [("spec.display.name", "")], [("spec.display.name", "voice-agents")]),
    ("empty links left out", [], [("spec.links", DROP)]),
    ("tag trimmed", [("tags", [{"key": " team", "value": "voice "}])], [("tags", [{"key": "team", "value": "voice"}])]),
    ("tag re-cased to the org's", [("tags", [{"key": "team", "value": "voice"}])], [("tags", [{"key": "Team", "value": "Voice"}])]),
    ("tag deduplicated", [("tags", [{"key": "team", "value": "voice"}, {"key": "TEAM", "value": "voice"}])],
     [("tags", [{"key": "team", "value": "voice"}])]),
]


@pytest.mark.parametrize(("what", "sent", "server"), ONE_CHANGE, ids=[c[0] for c in ONE_CHANGE])
def test_canonical_absorbs_each_normalisation(what, sent, server):
    from signoz_dac.sync import canonical

    body = _changed(make_body(), sent)
    server_copy = _changed(_server_copy(body), server)
    assert server_copy != _server_copy(body)  # SigNoz's copy does differ
    assert canonical(server_copy) == canonical(body)


RULE_ONE_CHANGE = [
    ("v1 audit spellings", lambda r: [r.pop(k) for k in ("createdAt", "updatedAt", "createdBy", "updatedBy")]
     + [r.update(createAt="2026-01-01T00:00:00Z", updateAt="2026-01-02T00:00:00Z", createBy="ci@x", updateBy="ci@x")]),
    ("state", lambda r: r.update(state="firing")),
    ("version filled in", None),
    ("ruleType from the query type", None),
    ("stepInterval in seconds", lambda r: _query(r).update(stepInterval=60)),
    ("recoveryTarget and channels", lambda r: [t.update(recoveryTarget=None, channels=None) for t in r["condition"]["thresholds"]["spec"]]),
    ("usePolicy", lambda r: r["notificationSettings"].update(usePolicy=False)),
]


@pytest.mark.parametrize(("what", "server"), RULE_ONE_CHANGE, ids=[c[0] for c in RULE_ONE_CHANGE])
def test_canonical_rule_absorbs_each_normalisation(shipped_rule, what, server):
    from signoz_dac.sync import canonical

    sent = copy.deepcopy(shipped_rule)
    _query(sent)["stepInterval"] = "1m"  # what "stepInterval in seconds" changes
    for level in sent["condition"]["thresholds"]["spec"]:
        level.pop("channels")
    if what == "version filled in":
        sent.pop("version")
        server = lambda r: r.update(version="v5")  # noqa: E731
    if what == "ruleType from the query type":
        sent.pop("ruleType")
        server = lambda r: r.update(ruleType="threshold_rule")  # noqa: E731
    server_copy = {**copy.deepcopy(sent), "state": "inactive", **AUDIT}
    server(server_copy)
    assert canonical(server_copy) == canonical(sent)
