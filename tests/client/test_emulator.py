"""The emulator keeps SigNoz's dashboards API (envelopes, status codes, auth, names, locks), seen over raw HTTP."""

from __future__ import annotations

import uuid

import pytest

from signoz_dac.testing import SigNozEmulator
from tests.support import wire

from .support import CANARY, KEYS, VIEWER, body

AUTH = {"SIGNOZ-API-KEY": CANARY}


def test_success_envelope_and_status_codes(emulator):
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        created = http.post("/api/v2/dashboards", json=body("env"))
        assert created.status_code == 201 and created.json()["status"] == "success"
        data = created.json()["data"]
        assert {"id", "createdAt", "updatedAt", "createdBy", "updatedBy", "orgId", "locked", "source"} <= data.keys()
        assert uuid.UUID(data["id"]).version == 7
        deleted = http.delete(f"/api/v2/dashboards/{data['id']}")
        assert deleted.status_code == 204 and deleted.content == b""


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [({}, 401, "unauthenticated"), ({"SIGNOZ-API-KEY": "nope"}, 401, "unauthenticated"),
     ({"SIGNOZ-API-KEY": VIEWER}, 403, "authz_forbidden"), ({"signoz-api-key": CANARY}, 201, None)],
)
def test_auth(emulator, headers, status, code):
    response = wire.post(f"{emulator.url}/api/v2/dashboards", json=body("auth"), headers=headers)
    assert response.status_code == status
    if code:
        error = response.json()["error"]
        assert error["code"] == code and error["errors"] == [] and error["suggestions"] == []


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "code"),
    [
        ("POST", "/api/v2/dashboards", "{not json", 400, "invalid_request_body"),
        ("POST", "/api/v2/dashboards", lambda: {**body("x"), "id": "0190"}, 400, "dashboard_invalid_input"),
        ("GET", "/api/v2/dashboards/not-a-uuid", None, 400, "invalid_valuer"),
        ("GET", "/api/v2/dashboards/01890000-0000-7000-8000-000000000000", None, 404, "not_found"),
        ("GET", "/api/v2/dashboards?limit=-1", None, 400, "dashboard_list_invalid"),
        ("PUT", "/api/v2/dashboards/{id}", lambda: {**body("seeded"), "generateName": False}, 400, "dashboard_invalid_input"),
        ("PUT", "/api/v2/dashboards/{id}", lambda: body("other-name"), 400, "dashboard_immutable"),
        ("GET", "/api/v1/dashboards", None, 501, "dashboard_deprecated"),
        ("POST", "/api/v1/dashboards", {}, 501, "dashboard_deprecated"),
    ],
)
def test_errors(emulator, method, path, payload, status, code):
    seeded = emulator.seed(body("seeded"))
    payload = payload() if callable(payload) else payload  # bodies are built here: they need ../shared
    kwargs = {"content": payload} if isinstance(payload, str) else {"json": payload} if payload is not None else {}
    response = wire.request(method, emulator.url + path.replace("{id}", seeded["id"]), headers=AUTH, **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_v1_routes_need_auth_before_their_501(emulator):
    assert wire.get(f"{emulator.url}/api/v1/dashboards").status_code == 401


def test_version_is_raw_json_without_auth():
    with SigNozEmulator(version="v0.135.2-1a2b3c", api_keys=KEYS) as emu:
        assert wire.get(f"{emu.url}/api/v1/version").json() == {
            "version": "v0.135.2-1a2b3c", "ee": "Y", "setupCompleted": True}


@pytest.mark.parametrize(
    ("version", "route", "status"),
    [("v0.126.0", "/api/v2/dashboards", 404), ("v0.128.0", "/api/v2/dashboards", 404),
     ("v0.129.0", "/api/v2/dashboards", 200), ("v0.134.0", "/api/v1/dashboards", 200),
     ("v0.135.0", "/api/v1/dashboards", 501), ("v0.119.0", "/api/v2/rules", 404),
     ("v0.120.0", "/api/v2/rules", 200), ("v0.138.0", "/api/v1/rules", 200), ("v0.92.0", "/api/v1/rules", 200)],
)
def test_routes_follow_the_version(version, route, status):
    with SigNozEmulator(version=version, api_keys=KEYS) as emu:
        response = wire.get(emu.url + route, headers=AUTH)
        assert response.status_code == status
        if route.startswith("/api/v2") and status == 404:
            assert response.text == "404 page not found\n"  # Go's mux: no envelope


def test_list_pagination_clamp_display_only_and_filter(emulator):
    for i in range(205):
        tags = [{"key": "team", "value": "voice" if i % 2 else "infra"}]
        emulator.seed({**body(f"l{i}"), "tags": tags})
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        page = http.get("/api/v2/dashboards", params={"limit": 1000}).json()["data"]
        assert len(page["dashboards"]) == 200 and page["total"] == 205
        assert set(page["dashboards"][0]["spec"]) == {"display"} and page["dashboards"][0]["legacy"] is False
        assert len(http.get("/api/v2/dashboards").json()["data"]["dashboards"]) == 20  # the default limit
        rest = http.get("/api/v2/dashboards", params={"limit": 200, "offset": 200}).json()["data"]
        assert len(rest["dashboards"]) == 5
        voice = http.get("/api/v2/dashboards", params={"query": "team = 'voice'", "limit": 200}).json()["data"]
        assert voice["total"] == 102
        bad = http.get("/api/v2/dashboards", params={"query": "team ~~ 1"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "dashboard_list_filter_invalid"


def test_stored_bodies_get_the_server_defaults(emulator):
    sent = body("defaults")
    panel = next(iter(sent["spec"]["panels"].values()))
    panel["spec"]["plugin"]["spec"].get("visualization", {}).pop("timePreference", None)
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        data = http.post("/api/v2/dashboards", json=sent).json()["data"]
    stored_panel = next(iter(data["spec"]["panels"].values()))
    assert stored_panel["spec"]["plugin"]["spec"]["visualization"]["timePreference"] == "global_time"


def test_counters_and_writes(emulator):
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        http.get("/api/v2/dashboards")
        http.post("/api/v2/dashboards", json=body("c"))
    assert emulator.calls["GET /api/v2/dashboards"] == 1 and emulator.writes == 1
    emulator.reset_counters()
    assert emulator.writes == 0


def test_unknown_fault_kind_is_refused(emulator):
    with pytest.raises(ValueError):
        emulator.inject("explode")
