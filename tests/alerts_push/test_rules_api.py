"""The emulator's rules and channels routes over raw HTTP (the contract), and SigNozClient's rule
calls against them (retries, POST reconciliation by identity labels)."""

from __future__ import annotations

import copy

import httpx
import pytest

import signoz_dac
from signoz_dac.identity import rule_key
from signoz_dac.signoz import errors
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.testing import FAST_RETRY, SleepRecorder
from signoz_dac.testing.emulator import RULE_CREATE, RULES_LIST
from tests.support import wire

from .support import CANARY, PIPECAT, VIEWER


@pytest.fixture(scope="module")
def rule() -> dict:
    return signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))[0]


def _http(emulator, key=CANARY) -> httpx.Client:
    return wire.Client(base_url=emulator.url, headers={"SIGNOZ-API-KEY": key} if key else {})


def _client(emulator) -> SigNozClient:
    return SigNozClient(emulator.url, CANARY, retry=FAST_RETRY, sleep=SleepRecorder())


def test_rule_routes_follow_the_contract(emulator, rule):
    with _http(emulator) as http:
        created = http.post("/api/v2/rules", json=rule)
        assert created.status_code == 201
        data = created.json()["data"]
        # SigNoz answers a POST before it reads the rule back: zero audit fields and no state.
        assert data["state"] == "" and data["createdAt"] == data["updatedAt"] == "0001-01-01T00:00:00Z"
        assert data["createdBy"] == data["updatedBy"] == ""
        assert data["description"] == rule["description"] and "preferredChannels" not in data  # omitted when empty

        listed = http.get("/api/v2/rules").json()
        assert listed["status"] == "success" and [r["id"] for r in listed["data"]] == [data["id"]]
        read = http.get(f"/api/v2/rules/{data['id']}").json()["data"]
        assert read["condition"] == data["condition"] and read["state"] == "inactive"
        assert read["createdBy"] == read["updatedBy"] != "" and read["createdAt"] != "0001-01-01T00:00:00Z"

        changed = copy.deepcopy(rule)
        changed["disabled"] = True
        put = http.put(f"/api/v2/rules/{data['id']}", json=changed)
        assert put.status_code == 204 and put.content == b""
        stored = http.get(f"/api/v2/rules/{data['id']}").json()["data"]
        assert stored["disabled"] is True and stored["state"] == "disabled"
        assert stored["createdAt"] == read["createdAt"] and stored["updatedAt"] != read["updatedAt"]

        # SigNoz keeps no unique index on rule names: a second rule of the same name is accepted.
        assert http.post("/api/v2/rules", json=rule).status_code == 201
        assert len(emulator.rules_named(rule["alert"])) == 2

        assert http.delete(f"/api/v2/rules/{data['id']}").status_code == 204
        assert http.get(f"/api/v2/rules/{data['id']}").status_code == 404
        assert http.delete(f"/api/v2/rules/{data['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda r: r["condition"]["thresholds"]["spec"][0].update(op="bigger"), "condition.thresholds.spec[0].op"),
        (lambda r: r.update(alertType="TRACE_ALERT"), "alertType"),
        (lambda r: r["labels"].update({"on-call": "x"}), "labels"),
        (lambda r: r["condition"]["compositeQuery"]["queries"][0]["spec"].update(colour="red"), "colour"),
        (lambda r: r["condition"]["thresholds"]["spec"][0].update(channels=["nowhere"]), "channels"),
    ],
)
def test_invalid_rule_bodies_are_a_400_naming_the_field(emulator, rule, change, path):
    body = copy.deepcopy(rule)
    change(body)
    with _http(emulator) as http:
        response = http.post("/api/v2/rules", json=body)
    assert response.status_code == 400 and path in response.json()["error"]["message"]
    assert emulator.rules == {}


@pytest.mark.parametrize(
    "change",
    [lambda r: r.update(extra=1), lambda r: r.pop("alertType"), lambda r: r.pop("ruleType")],
    ids=["an unknown top-level field", "no alertType", "no ruleType"],
)
def test_what_signoz_accepts_the_emulator_accepts(emulator, rule, change):
    body = copy.deepcopy(rule)
    change(body)
    with _http(emulator) as http:
        response = http.post("/api/v2/rules", json=body)
        assert response.status_code == 201
        read = http.get(f"/api/v2/rules/{response.json()['data']['id']}").json()["data"]
    assert "extra" not in read and read["ruleType"] == "threshold_rule"  # dropped, and filled in on read


def test_auth_on_rules_and_channels(emulator, rule):
    with _http(emulator, key=None) as anonymous:
        assert anonymous.get("/api/v2/rules").status_code == 401
        assert anonymous.get("/api/v1/channels").status_code == 401
    with _http(emulator, key=VIEWER) as viewer:
        assert viewer.get("/api/v2/rules").status_code == 200
        denied = viewer.post("/api/v2/rules", json=rule)
        assert denied.status_code == 403 and "rule:create" in denied.json()["error"]["message"]
        assert [c["name"] for c in viewer.get("/api/v1/channels").json()["data"]] == ["slack-voice", "pagerduty-oncall"]


def test_client_rule_calls(emulator, rule):
    with _client(emulator) as client:
        created = client.create_rule(rule)
        assert client.get_rule(created["id"])["alert"] == rule["alert"]
        client.update_rule(created["id"], {**rule, "description": "changed"})
        assert [r["description"] for r in client.list_rules()] == ["changed"]
        assert {c["name"] for c in client.list_channels()} == {"slack-voice", "pagerduty-oncall"}
        client.delete_rule(created["id"])
        assert client.list_rules() == []


def test_a_lost_post_response_is_reconciled_by_identity_not_posted_again(emulator, rule):
    emulator.inject("commit_then_drop", route=RULE_CREATE)
    with _client(emulator) as client:
        created = client.create_rule(rule, identity=rule_key)
    assert rule_key(created) == rule_key(rule) and len(emulator.rules) == 1
    assert emulator.calls[RULE_CREATE] == 1 and emulator.calls[RULES_LIST] == 1


def test_an_uncertain_post_with_nothing_found_is_not_posted_again(emulator, rule):
    # Nothing found right after a reset proves nothing (a timed-out POST may still commit), and
    # SigNoz would accept a duplicate rule: the client gives up instead of posting again.
    emulator.inject("reset", route=RULE_CREATE)
    with _client(emulator) as client, pytest.raises(errors.UncertainCreate, match="run push again"):
        client.create_rule(rule, identity=rule_key)
    assert emulator.rules == {} and emulator.calls[RULE_CREATE] == 1 and emulator.calls[RULES_LIST] == 1


def test_our_identity_on_other_content_after_a_lost_response_is_a_conflict(emulator, rule):
    theirs = copy.deepcopy(rule)
    theirs["labels"]["signoz_dac_hash"] = "0" * 24
    emulator.seed_rule(theirs)
    emulator.inject("reset", route=RULE_CREATE)
    with _client(emulator) as client, pytest.raises(errors.Conflict, match="identity"):
        client.create_rule(rule, identity=rule_key)
    assert len(emulator.rules) == 1


def test_a_rule_without_identity_labels_is_never_posted_twice(emulator, rule):
    anonymous = {**rule, "labels": {"severity": "warning"}}
    emulator.inject("reset", route=RULE_CREATE)
    with _client(emulator) as client, pytest.raises(errors.TransportError):
        client.create_rule(anonymous, identity=rule_key)
    assert emulator.calls[RULE_CREATE] == 1


def test_list_accepts_the_v1_shape():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/version":
            return httpx.Response(200, json={"version": "v0.138.0"})
        return httpx.Response(200, json={"status": "success", "data": {"rules": [{"id": "1", "alert": "a"}]}})

    with SigNozClient("https://x.example", CANARY, transport=httpx.MockTransport(handler)) as client:
        assert client.list_rules() == [{"id": "1", "alert": "a"}]
