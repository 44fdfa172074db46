"""The client on SigNoz's v1 dashboards API (before 0.135), over real HTTP against an emulated 0.134:
what it stores (v5 JSON the v5 UI shows, named by an identity tag), what it reads back (SigNoz's
v5 -> v6 conversion, in the v2 shapes), and v1's own rules (no unique names, the panel-removal limit)."""

from __future__ import annotations

import copy

import pytest

from signoz_dac.signoz import errors
from signoz_dac.signoz.dashboards_v1 import IDENTITY_KEY, from_v1, summary, to_v1
from signoz_dac.signoz.v5 import ui_problems
from signoz_dac.sync.canonical import canonical
from signoz_dac.testing import SigNozEmulator
from signoz_dac.testing.emulator import CREATE, GET, UPDATE
from signoz_dac.testing.faults import REPLY
from signoz_dac.testing.legacy import V1_CREATE, V1_LIST, V1_UPDATE
from tests.support import wire

from .support import CANARY, KEYS, body, client

AUTH = {"SIGNOZ-API-KEY": CANARY}


@pytest.fixture
def old():
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        yield emu


def _without_panels(data: dict, count: int) -> dict:
    data = copy.deepcopy(data)
    keys = list(data["spec"]["panels"])[:count]
    for key in keys:
        del data["spec"]["panels"][key]
    for layout in data["spec"]["layouts"]:
        layout["spec"]["items"] = [i for i in layout["spec"]["items"] if i["content"]["$ref"].rsplit("/", 1)[-1] not in keys]
    return data


def test_what_is_stored_is_v5_the_v5_ui_shows_and_reads_back_as_sent(old):
    with client(old.url) as c:
        sent = c.as_read_back(body("v1-life"))
        created = c.create_dashboard(sent)
        [row] = old.dashboards.values()
        data = row["data"]
        assert data["version"] == "v5" and ui_problems(data) == [] and data["title"] == sent["spec"]["display"]["name"]
        assert f"{IDENTITY_KEY}:v1-life" in data["tags"] and "name" not in data
        # Read back through SigNoz's conversion, in the v2 shapes, named by the identity tag.
        got = c.get_dashboard(created["id"])
        assert got["name"] == "v1-life" and got["id"] == created["id"] and not got["locked"]
        assert canonical(got) == canonical(sent)
        assert all(t["key"] != IDENTITY_KEY for t in got["tags"])
        [listed] = c.list_dashboards()
        assert (listed["name"], listed["spec"]) == ("v1-life", {"display": got["spec"]["display"]})
        assert c.find_by_name("v1-life")[0]["id"] == created["id"]
        # Update, lock, unlock, delete: v1's routes.
        changed = c.as_read_back(body("v1-life", title="Renamed"))
        c.update_dashboard(created["id"], changed)
        assert old.get("v1-life")["spec"]["display"]["name"] == "Renamed"
        c.lock_dashboard(created["id"])
        assert old.get("v1-life")["locked"]
        with pytest.raises(errors.Locked):
            c.update_dashboard(created["id"], sent)
        c.unlock_dashboard(created["id"])
        c.delete_dashboard(created["id"])
        assert old.dashboards == {}


def test_read_back_is_stable_so_an_unchanged_dashboard_compares_equal(builtin_bodies):
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu, client(emu.url) as c:
        for body_ in builtin_bodies.values():
            once = c.as_read_back(body_)
            assert canonical(c.as_read_back(once)) == canonical(once)
            assert canonical(from_v1({"id": "x", "data": to_v1(once)})) == canonical(once)


def test_dashboards_made_through_v2_and_v1_ones_without_the_identity_tag(old):
    old.seed(body("made-in-v2"), v1=False)  # hidden from the v1 UI: not in the v1 world at all
    seeded = old.seed({"title": "By hand", "tags": ["team:voice"], "widgets": [], "layout": [], "version": "v5"})
    with client(old.url) as c:
        listed = c.list_dashboards()
    assert [(d["id"], d["name"], d["spec"]["display"]["name"]) for d in listed] == [(seeded["id"], "", "By hand")]
    assert listed[0]["tags"] == [{"key": "team", "value": "voice"}]


def test_a_dashboard_edited_out_of_the_v5_shape_reads_as_changed_never_as_ours_unchanged(old):
    with client(old.url) as c:
        created = c.create_dashboard(c.as_read_back(body("edited-v1")))
    row = old.dashboards[created["id"]]
    row["data"]["widgets"] = "not a list"  # what SigNoz's conversion refuses
    view = from_v1({**row, "org_id": row["orgId"]})
    assert view["name"] == "edited-v1" and "panels" not in view["spec"]
    assert summary({**row, "org_id": row["orgId"]})["name"] == "edited-v1"


@pytest.mark.parametrize(("version", "refused"), [("0.93.2", True), ("0.94.0", False)])
def test_before_094_an_update_removing_more_than_one_panel_is_refused_before_it_is_sent(version, refused):
    with SigNozEmulator(api_keys=KEYS, version=version) as emu, client(emu.url) as c:
        full = body("panels", panels=None)
        created = c.create_dashboard(c.as_read_back(full))
        c.update_dashboard(created["id"], c.as_read_back(_without_panels(full, 1)))  # one panel: fine
        emu.reset_counters()
        fewer = c.as_read_back(_without_panels(full, 3))
        if refused:
            with pytest.raises(errors.UnsupportedVersion) as info:
                c.update_dashboard(created["id"], fewer)
            assert "removes 2" in str(info.value) and "0.94.0" in str(info.value)
            assert emu.calls[V1_UPDATE] == 0
        else:
            c.update_dashboard(created["id"], fewer)
            assert emu.calls[V1_UPDATE] == 1


def test_the_panel_limit_for_login_tokens_is_explained(old):
    """SigNoz limits a login token's PUT to one removed panel; signoz-dac sends an API key, which is
    exempt. A server (or proxy) applying the limit anyway gets an explanation."""
    full = body("panels", panels=None)
    with client(old.url) as c:
        created = c.create_dashboard(c.as_read_back(full))
        data = to_v1(c.as_read_back(_without_panels(full, 3)))
        answer = wire.put(f"{old.url}/api/v1/dashboards/{created['id']}", json=data,
                           headers={"Authorization": f"Bearer {CANARY}"})
        assert answer.status_code == 400 and "more than one panel" in answer.json()["error"]["message"]
        c.update_dashboard(created["id"], c.as_read_back(_without_panels(full, 3)))  # the API key: exempt
        old.inject(REPLY, route=V1_UPDATE, status=400, body={"status": "error", "error": {
            "type": "invalid-input", "code": "invalid_input", "message": "deleting more than one panel is not supported"}})
        with pytest.raises(errors.InvalidInput) as info:
            c.update_dashboard(created["id"], c.as_read_back(full))
    assert "use a service-account key in SIGNOZ_API_KEY" in str(info.value)


def test_a_create_of_uncertain_fate_is_found_or_reported_never_sent_twice(old):
    with client(old.url) as c:
        old.inject("commit_then_drop", route=V1_CREATE)
        found = c.create_dashboard(c.as_read_back(body("landed")))
        assert found["name"] == "landed" and len(old.by_name("landed")) == 1
        old.inject("reset", route=V1_CREATE)
        with pytest.raises(errors.UncertainCreate, match="run push again"):
            c.create_dashboard(c.as_read_back(body("lost")))
    assert old.calls[V1_CREATE] == 2 and old.by_name("lost") == []


def test_one_list_too_large_to_read_says_what_to_do(old):
    huge = body("huge")
    huge["spec"]["display"]["description"] = "x" * 300_000
    old.seed(huge)
    with client(old.url, max_response_bytes=200_000) as c, pytest.raises(errors.ResponseTooLarge) as info:
        c.list_dashboards()
    assert "lists every dashboard in one reply" in str(info.value) and "shrink or delete it" in str(info.value)
    assert old.calls[V1_LIST] == 1


def test_route_for_names_the_route_signoz_dac_takes():
    with SigNozEmulator(version="0.134.0") as old, SigNozEmulator(version="0.134.0", use_dashboard_v2=True) as flag:
        assert (old.route_for(CREATE), old.route_for(GET), old.route_for(UPDATE)) == (
            "POST /api/v1/dashboards", "GET /api/v1/dashboards/{id}", "PUT /api/v1/dashboards/{id}")
        assert flag.route_for(CREATE) == CREATE and old.route_for("POST /api/v2/rules") == "POST /api/v2/rules"
    with SigNozEmulator(version="0.119.0") as older:
        assert older.route_for("POST /api/v2/rules") == "POST /api/v1/rules"
