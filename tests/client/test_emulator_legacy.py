"""The emulator as a release before 0.135, over plain HTTP: the v1 dashboards API, the v1 rules API
and the feature flags behave as SigNoz 0.134's source says, over one store with the v2 routes."""

from __future__ import annotations

import pytest

from signoz_dac.testing import SigNozEmulator
from tests.support import wire

from .support import CANARY, KEYS, VIEWER, body

AUTH = {"SIGNOZ-API-KEY": CANARY}
OTHER_EDITOR = "other-editor-3c1d"
ADMIN = "admin-key-9e0f"
V5 = {"title": "Old", "description": "", "tags": ["team:voice"], "version": "v5", "widgets": [], "layout": []}


@pytest.fixture
def old():
    keys = {**KEYS, OTHER_EDITOR: "editor", ADMIN: "admin"}
    with SigNozEmulator(api_keys=keys, version="0.134.0") as emu, wire.Client(base_url=emu.url, headers=AUTH) as http:
        yield emu, http


def test_v1_dashboards_store_what_is_sent_with_server_fields_beside_it(old):
    _emu, http = old
    created = http.post("/api/v1/dashboards", json=V5)
    assert created.status_code == 201
    row = created.json()["data"]
    assert set(row) == {"id", "createdAt", "updatedAt", "createdBy", "updatedBy", "data", "locked", "org_id", "source"}
    assert row["data"] == V5 and row["locked"] is False and row["source"] == "user"
    second = http.post("/api/v1/dashboards", json=V5).json()["data"]  # titles need not be unique
    assert second["id"] != row["id"] and len(http.get("/api/v1/dashboards").json()["data"]) == 2
    assert http.get(f"/api/v1/dashboards/{row['id']}").json()["data"]["data"] == V5
    replaced = http.put(f"/api/v1/dashboards/{row['id']}", json={"title": "New"}).json()["data"]
    assert replaced["data"] == {"title": "New"} and replaced["updatedAt"] >= row["updatedAt"]  # data replaced whole
    assert http.delete(f"/api/v1/dashboards/{row['id']}").status_code == 204


def test_a_body_not_in_v5_is_migrated_on_post_and_a_broken_one_is_a_500(old):
    _, http = old
    migrated = http.post("/api/v1/dashboards", json={"title": "v4", "variables": {"a": {"name": "my var"}}}).json()["data"]
    assert migrated["data"]["version"] == "v5" and migrated["data"]["variables"]["a"]["name"] == "myvar"
    panicked = http.post("/api/v1/dashboards", json={"title": "v4", "widgets": [{"id": "w", "query": {}}]})
    assert panicked.status_code == 500
    malformed = http.post("/api/v1/dashboards", content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 500  # not 400: the v1 handlers pass json.Decode's error on as it is


def test_locks_on_v1(old):
    _emu, http = old
    row = http.post("/api/v1/dashboards", json=V5).json()["data"]
    lock = f"/api/v1/dashboards/{row['id']}/lock"
    assert http.put(lock, json={}).json()["error"]["message"] == "lock is missing in the request payload"
    assert http.put(lock, json={"lock": True}, headers={"SIGNOZ-API-KEY": OTHER_EDITOR}).status_code == 403
    answer = http.put(lock, json={"lock": True})
    assert answer.status_code == 200 and answer.json() == {"status": "success"}  # no data
    assert http.put(f"/api/v1/dashboards/{row['id']}", json=V5).status_code == 400
    assert http.delete(f"/api/v1/dashboards/{row['id']}").status_code == 400
    assert http.put(lock, json={"lock": False}, headers={"SIGNOZ-API-KEY": ADMIN}).status_code == 200  # an admin may
    assert http.put(lock, json={"lock": True}, headers={"SIGNOZ-API-KEY": VIEWER}).status_code == 403


def test_v1_and_v2_dashboards_share_one_table(old):
    emu, http = old
    emu.seed(body("made-in-v2"), v1=False)
    v1 = http.post("/api/v1/dashboards", json=V5).json()["data"]
    listed = {d["id"]: d for d in http.get("/api/v1/dashboards").json()["data"]}
    [v2_id] = set(listed) - {v1["id"]}
    assert set(listed[v2_id]["data"]) == {"metadata", "spec"} and listed[v2_id]["data"]["metadata"]["schemaVersion"] == "v6"
    # The v2 list shows the v1 one as legacy, titled by its title, without tags; v2 reads of it are 501.
    page = {d["id"]: d for d in http.get("/api/v2/dashboards").json()["data"]["dashboards"]}
    assert page[v1["id"]]["legacy"] is True and page[v1["id"]]["spec"]["display"]["name"] == "Old"
    assert page[v1["id"]]["tags"] == [] and page[v2_id]["legacy"] is False
    refused = http.get(f"/api/v2/dashboards/{v1['id']}")
    assert refused.status_code == 501 and refused.json()["error"]["code"] == "dashboard_invalid_data"


def test_from_0135_the_v1_dashboards_api_answers_501():
    with SigNozEmulator(api_keys=KEYS, version="0.135.0") as emu:
        answer = wire.post(f"{emu.url}/api/v1/dashboards", json=V5, headers=AUTH)
        assert answer.status_code == 501 and answer.json()["error"]["code"] == "dashboard_deprecated"


@pytest.mark.parametrize(("version", "flag"), [("0.125.0", None), ("0.126.0", False), ("0.134.0", False), ("0.135.0", None)])
def test_the_use_dashboard_v2_flag_is_reported_from_0126_to_0134(version, flag):
    with SigNozEmulator(api_keys=KEYS, version=version) as emu:
        features = wire.get(f"{emu.url}/api/v1/features", headers=AUTH).json()["data"]
        found = {f["name"]: f for f in features}
        assert found.get("use_dashboard_v2", {}).get("active") == flag
        if flag is not None:
            assert found["use_dashboard_v2"] == {"name": "use_dashboard_v2", "active": False, "usage": 0,
                                                 "usage_limit": -1, "route": ""}


def test_v1_rules_have_their_own_shapes(old):
    """`{"rules": [...]}`, `createAt`, 200 for every success (PUT and DELETE with a sentence), and the
    older error envelope; the same rules as /api/v2/rules."""
    import signoz_dac
    from signoz_dac.resources import builtin_definitions

    _emu, http = old
    [rule, *_] = signoz_dac.render_alerts(signoz_dac.load_definition(builtin_definitions()[0]))
    created = http.post("/api/v1/rules", json=rule)
    assert created.status_code == 200
    made = created.json()["data"]
    assert made["createAt"] == "0001-01-01T00:00:00Z" and "createdAt" not in made and made["state"] == ""
    [listed] = http.get("/api/v1/rules").json()["data"]["rules"]
    assert {"createAt", "updateAt", "createBy", "updateBy"} <= set(listed) and "updatedAt" not in listed
    [same] = http.get("/api/v2/rules").json()["data"]
    assert same["id"] == listed["id"] and same["createdAt"] == listed["createAt"]
    edited = http.put(f"/api/v1/rules/{made['id']}", json=rule)
    assert (edited.status_code, edited.json()["data"]) == (200, "rule successfully edited")
    bad = http.put(f"/api/v1/rules/{made['id']}", json={**rule, "version": "v4"})
    assert bad.status_code == 400 and set(bad.json()) == {"status", "errorType", "error"}
    assert bad.json()["errorType"] == "bad_data"
    deleted = http.delete(f"/api/v1/rules/{made['id']}")
    assert (deleted.status_code, deleted.json()["data"]) == (200, "rule successfully deleted")
    missing = http.get(f"/api/v1/rules/{made['id']}")
    assert missing.status_code == 404 and missing.json()["errorType"] == "not_found"


def test_before_0120_only_the_v1_rules_api_exists():
    with SigNozEmulator(api_keys=KEYS, version="0.119.0") as emu:
        assert wire.get(f"{emu.url}/api/v2/rules", headers=AUTH).status_code == 404
        assert wire.get(f"{emu.url}/api/v1/rules", headers=AUTH).json()["data"] == {"rules": []}


def test_the_client_reads_the_older_error_envelope():
    from signoz_dac.signoz.errors import InvalidInput, error_from_response

    error = error_from_response(400, {"status": "error", "errorType": "bad_data", "error": "condition is required"})
    assert isinstance(error, InvalidInput) and (error.code, error.message) == ("bad_data", "condition is required")
