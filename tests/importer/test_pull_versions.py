"""`pull` against SigNoz before 0.135 (dashboards are v5 JSON on /api/v1, with no name) and after,
run as the CLI runs them against the emulator on 127.0.0.1: what pull reports for a dashboard
SigNoz's conversion refuses, and what push does with a pulled dashboard it did not write."""

from __future__ import annotations

import copy
import json
from typing import Any

from signoz_dac.testing import SigNozEmulator
from tests.client.support import CANARY, KEYS, VIEWER
from tests.support.versions import versions

from .helpers import BODY
from .test_cli import run

# A dashboard made by hand in the UI of SigNoz 0.92-0.134: v5 JSON, no name, no tags of ours.
BY_HAND = {"title": "Voice calls", "description": "", "tags": ["team:voice"], "version": "v5",
           "widgets": [], "layout": [], "variables": {}}


def _made_in_the_ui(emulator: SigNozEmulator) -> dict[str, Any]:
    """The same dashboard made in this release's UI: v5 without a name before 0.135, v6 named after."""
    if emulator.ui_makes_v1():
        return emulator.seed(copy.deepcopy(BY_HAND))
    return emulator.seed({**copy.deepcopy(BODY), "name": "voice-calls", "tags": [{"key": "team", "value": "voice"}],
                          "spec": {**copy.deepcopy(BODY)["spec"], "display": {"name": "Voice calls"}}})


def test_pull_of_a_v5_dashboard_the_conversion_refuses_names_the_json_path(tmp_path):
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        seeded = emu.seed({**copy.deepcopy(BY_HAND), "widgets": {"not": "a list"}})
        result = run(["pull", "--all", "-d", str(tmp_path)], url=emu.url, key=VIEWER)
    assert result.code == 2
    assert "schemaVersion" not in result.stderr
    assert "widgets: must be a list" in result.stderr
    # The dashboard has no name there: the output says which one it is by its title and id.
    assert f"('Voice calls', id {seeded['id']})" in result.stderr
    assert not list(tmp_path.iterdir())


def test_pull_names_a_v5_dashboard_after_its_title_and_keeps_push_tags_out(tmp_path):
    with SigNozEmulator(api_keys=KEYS, version="0.120.0") as emu:
        emu.seed(copy.deepcopy(BY_HAND))
        result = run(["pull", "--all", "-d", str(tmp_path)], url=emu.url, key=VIEWER)
    assert result.code == 0, result.stderr
    text = (tmp_path / "voice-calls.yaml").read_text()
    assert "name: voice-calls" in text and "title: Voice calls" in text and "team: voice" in text


@versions("0.134", "0.92", "0.138")
def test_pushing_a_pulled_dashboard_push_did_not_write_never_makes_a_second_one(emulator, tmp_path):
    """On every release: pull a dashboard made in the UI, push the definition: a conflict naming
    --adopt, nothing written; with --adopt the pushed dashboard is the pulled one, and then in sync."""
    made = _made_in_the_ui(emulator)
    definitions = tmp_path / "dashboards"
    assert run(["pull", "--all", "-d", str(definitions)], url=emulator.url, key=VIEWER).code == 0
    before = copy.deepcopy(emulator.dashboards)

    diff = run(["diff", str(definitions), "-o", "json"], url=emulator.url, key=CANARY)
    assert diff.code == 1
    [item] = json.loads(diff.stdout)["items"]
    assert item["action"] == "conflict" and "--adopt" in item["reason"]

    push = run(["push", str(definitions)], url=emulator.url, key=CANARY)
    assert push.code == 1 and "--adopt" in push.stdout
    assert emulator.dashboards == before  # nothing created, nothing touched

    adopted = run(["push", "--adopt", str(definitions)], url=emulator.url, key=CANARY)
    assert adopted.code == 0, adopted.stdout + adopted.stderr
    assert list(emulator.dashboards) == [made["id"]]
    assert emulator.dashboards[made["id"]]["name"] == "voice-calls"
    assert run(["diff", str(definitions)], url=emulator.url, key=CANARY).code == 0


def test_a_hand_made_v5_dashboard_with_a_managed_ones_title_is_left_alone(tmp_path):
    """The title only stands for a name where nothing carries the name: a dashboard push manages
    keeps being updated, and the hand-made one beside it is never touched."""
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        definitions = tmp_path / "dashboards"
        hand = emu.seed(copy.deepcopy(BY_HAND))
        ours = emu.seed({**copy.deepcopy(BODY), "name": "other"})  # stored with its identity tag
        assert run(["pull", "--all", "-d", str(definitions)], url=emu.url, key=VIEWER).code == 0
        (definitions / "voice-calls.yaml").unlink()
        (definitions / "other.yaml").write_text((definitions / "other.yaml").read_text()
                                                .replace("title: Calls", "title: Voice calls"))
        hand_before = copy.deepcopy(emu.dashboards[hand["id"]])
        push = run(["push", "--adopt", str(definitions)], url=emu.url, key=CANARY)
        assert push.code == 0, push.stdout + push.stderr
        assert sorted(emu.dashboards) == sorted([hand["id"], ours["id"]])
        assert emu.dashboards[hand["id"]] == hand_before
        assert emu.dashboards[ours["id"]]["data"]["title"] == "Voice calls"


def test_two_hand_made_v5_dashboards_with_one_title_are_a_conflict_even_with_adopt(tmp_path):
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        definitions = tmp_path / "dashboards"
        emu.seed(copy.deepcopy(BY_HAND))
        assert run(["pull", "--all", "-d", str(definitions)], url=emu.url, key=VIEWER).code == 0
        emu.seed({**copy.deepcopy(BY_HAND), "title": "Voice  calls!"})  # pull names it alike
        before = copy.deepcopy(emu.dashboards)
        push = run(["push", "--adopt", str(definitions), "-o", "json"], url=emu.url, key=CANARY)
        assert push.code == 1
        [item] = push.json()["items"]
        assert item["result"] == "conflict", item
        assert "2 dashboards not managed by signoz-dac, titled 'Voice  calls!', 'Voice calls'" in item["message"], item
        assert emu.dashboards == before


def test_with_use_dashboard_v2_on_a_v5_dashboard_is_pulled_through_v1_and_pushed_as_a_new_v6_one(tmp_path):
    """SigNoz 0.129-0.134 with the flag on lists a v5 dashboard as legacy (its UI cannot open it)
    but still serves it through /api/v1: pull reads it there; push writes the definition as v6
    beside it, never through an API that cannot update it."""
    with SigNozEmulator(api_keys=KEYS, version="0.134.0", use_dashboard_v2=True) as emu:
        legacy = emu.seed(copy.deepcopy(BY_HAND), v1=True)
        definitions = tmp_path / "dashboards"
        pulled = run(["pull", "--all", "-d", str(definitions)], url=emu.url, key=VIEWER)
        assert pulled.code == 0, pulled.stderr
        assert "team: voice" in (definitions / "voice-calls.yaml").read_text()
        before = copy.deepcopy(emu.dashboards[legacy["id"]])
        push = run(["push", "--adopt", str(definitions)], url=emu.url, key=CANARY)
        assert push.code == 0, push.stdout + push.stderr
        assert emu.dashboards[legacy["id"]] == before
        assert emu.get("voice-calls")["schemaVersion"] == "v6"


def test_from_0135_a_legacy_dashboard_is_skipped_saying_so(tmp_path):
    from signoz_dac.testing.emulator import LIST
    from signoz_dac.testing.faults import REPLY

    with SigNozEmulator(api_keys=KEYS, version="0.138.0") as emu:
        row = {"id": "01890000-0000-7000-8000-000000000001", "name": "", "tags": [],
               "spec": {"display": {"name": "Old"}}, "legacy": True}
        emu.inject(REPLY, route=LIST, status=200, body={"status": "success", "data": {"dashboards": [row], "total": 1}})
        result = run(["pull", "--all", "-d", str(tmp_path)], url=emu.url, key=VIEWER)
    assert result.code == 2 and "stored in SigNoz's v1 format" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_dashboard_without_a_name_is_pulled_by_the_name_pull_gives_it_and_a_pushed_name_wins(tmp_path):
    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        emu.seed(copy.deepcopy(BY_HAND))
        result = run(["pull", "voice-calls", "-d", str(tmp_path / "one")], url=emu.url, key=VIEWER)
        assert result.code == 0, result.stderr
        assert "title: Voice calls" in (tmp_path / "one" / "voice-calls.yaml").read_text()

        # One push wrote under that name as well: that one is the dashboard the name means.
        emu.seed({**copy.deepcopy(BODY), "name": "voice-calls", "spec": {**BODY["spec"], "display": {"name": "Ours"}}})
        result = run(["pull", "voice-calls", "-d", str(tmp_path / "two")], url=emu.url, key=VIEWER)
        assert result.code == 0, result.stderr
        assert "title: Ours" in (tmp_path / "two" / "voice-calls.yaml").read_text()
