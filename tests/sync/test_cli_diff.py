"""`signoz-dac diff`: per-panel summary, unified diff, kubectl-style exit codes. Table-driven, against
SigNoz 0.138 (v6 through /api/v2), 0.134 and 0.120 (v5 through /api/v1: read back through
SigNoz's conversion, so the same changes show)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY
from tests.client.support import body
from tests.support.versions import versions

from .cli_support import run, write_bodies

pytestmark = versions("0.138", "0.134", "0.120")


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch, tmp_path):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.chdir(tmp_path)


def _first_panel(data):
    return next(iter(data["spec"]["panels"]))


def _nothing(emulator, path):
    pass


def _retitle_panel(emulator, path):
    data = json.loads(path.read_text())
    data["spec"]["panels"][_first_panel(data)]["spec"]["display"]["name"] = "Renamed panel"
    path.write_text(json.dumps(data))


def _remove_panel(emulator, path):
    data = json.loads(path.read_text())
    key = _first_panel(data)
    del data["spec"]["panels"][key]
    for layout in data["spec"]["layouts"]:
        layout["spec"]["items"] = [i for i in layout["spec"]["items"] if not i["content"]["$ref"].endswith(key)]
    path.write_text(json.dumps(data))


def _ui_edit(emulator, path):
    emulator.edit("d", lambda d: d["spec"]["display"].update(name="Edited in the UI"))


def _delete_on_server(emulator, path):
    emulator.dashboards.clear()


def _unmanaged(emulator, path):
    emulator.dashboards.clear()
    emulator.seed(body("d"))


# (id, change after a first push, exit code, action, lines expected in the text output; {first} is the first panel's key)
CASES = [
    ("no changes", _nothing, 0, "unchanged", ["= d (unchanged"]),
    ("a panel retitled", _retitle_panel, 1, "update",
     ["~ panel {first} 'Renamed panel': changed (display)", '+            "name": "Renamed panel"']),
    ("a panel removed", _remove_panel, 1, "update", ["- panel {first}", "removed"]),
    ("edited in the UI", _ui_edit, 1, "drift", ["! d (drift", "~ spec.display: changed", '-      "name": "Edited in the UI"']),
    ("missing on the server", _delete_on_server, 1, "create", ["+ d (create", "+ panel {first}", "+++ local/d"]),
    ("held by an unmanaged dashboard", _unmanaged, 1, "conflict", ["! d (conflict", "--adopt"]),
]


@pytest.mark.parametrize(("change", "code", "action", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff(emulator, tmp_path, change, code, action, expected):
    [path] = write_bodies(tmp_path / "in", "d")
    assert run(["push", path], url=emulator.url).code == 0
    change(emulator, Path(path))
    emulator.reset_counters()

    text = run(["diff", path], url=emulator.url)
    assert text.code == code, text.stdout + text.stderr
    first = _first_panel(body())
    for line in expected:
        assert line.replace("{first}", first) in text.stdout
    assert emulator.writes == 0

    report = run(["diff", "--output", "json", path], url=emulator.url).json()
    assert report["exit_code"] == code and report["items"][0]["action"] == action

    summary = run(["diff", "--summary", path], url=emulator.url)
    assert summary.code == code and "@@" not in summary.stdout


def test_diff_json_lists_panel_changes(emulator, tmp_path):
    [path] = write_bodies(tmp_path / "in", "d")
    run(["push", path], url=emulator.url)
    _retitle_panel(emulator, Path(path))
    [entry] = run(["diff", "--output", "json", path], url=emulator.url).json()["items"]
    assert entry["panels"] == [{"key": _first_panel(body()), "title": "Renamed panel", "change": "changed", "parts": ["display"]}]
    assert entry["diff"].startswith("--- signoz/d\n+++ local/d\n")


def test_an_unchanged_builtin_dashboard_shows_no_diff(emulator):
    """Canonicalisation: the server fills defaults; the built-ins must still compare equal."""
    assert run(["push"], url=emulator.url).code == 0
    result = run(["diff"], url=emulator.url)
    assert result.code == 0 and "@@" not in result.stdout
