"""Declarative lock state: `locked:` in a definition says whether its dashboard is read-only in
SigNoz's UI. `push` converges it both ways, `diff` shows it, `--lock` locks every dashboard whatever
the definitions say, and a JSON input (which cannot say) leaves the lock as it finds it."""

from __future__ import annotations

from signoz_dac.testing.emulator import LOCK, UNLOCK, UPDATE

from tests.support.versions import versions

from .cli_support import run
from .lifecycle_support import dashboard_json, definition, fast_client  # noqa: F401  (fast_client: autouse)


# v2 dashboards with unique names, and v1 dashboards (v5 JSON, found by our identity tag).
pytestmark = versions("0.138", "0.134")


def _writes(emulator) -> dict[str, int]:
    return {route: n for route, n in emulator.calls.items() if route.startswith(("PUT", "POST", "DELETE"))
            and "/rules" not in route}


def _lock_requests(emulator) -> int:
    """Lock and unlock requests (one route on SigNoz before 0.135: the body says which)."""
    return sum(emulator.calls[route] for route in {emulator.route_for(LOCK), emulator.route_for(UNLOCK)})


def test_locked_true_locks_and_false_unlocks(emulator, tmp_path):
    locked = definition(tmp_path / "a", "agent", rules=(), locked=True)
    assert run(["push", locked], url=emulator.url).code == 0
    assert emulator.get("agent")["locked"]
    emulator.reset_counters()
    assert run(["diff", locked], url=emulator.url).code == 0
    assert run(["push", locked], url=emulator.url).code == 0 and emulator.writes == 0  # converged

    unlocked = definition(tmp_path / "b", "agent", rules=(), locked=False)
    diff = run(["diff", "--output", "json", unlocked], url=emulator.url)
    [entry] = diff.json()["items"]
    assert diff.code == 1 and (entry["action"], entry["lock"]) == ("unchanged", False)
    assert entry["reason"] == "up to date; to be unlocked"
    text = run(["diff", unlocked], url=emulator.url)
    assert text.code == 1 and text.stdout.startswith("~ agent (unchanged: up to date; to be unlocked)")

    emulator.reset_counters()
    pushed = run(["push", unlocked], url=emulator.url)
    assert pushed.code == 0 and not emulator.get("agent")["locked"], pushed.text
    assert _lock_requests(emulator) == 1 and emulator.calls[emulator.route_for(UPDATE)] == 0  # only the lock state changed
    assert run(["diff", unlocked], url=emulator.url).code == 0


def test_a_push_after_push_lock_unlocks_what_the_definition_leaves_unlocked(emulator, tmp_path):
    """The one-way lock of earlier versions: `push --lock` once, and no later push could unlock."""
    path = definition(tmp_path, "agent", rules=())  # `locked:` left out: false
    assert run(["push", "--lock", path], url=emulator.url).code == 0 and emulator.get("agent")["locked"]
    assert run(["diff", "--lock", path], url=emulator.url).code == 0  # --lock means the same to diff
    assert run(["diff", path], url=emulator.url).code == 1
    assert run(["push", path], url=emulator.url).code == 0 and not emulator.get("agent")["locked"]


def test_an_update_leaves_the_lock_as_the_definition_says(emulator, tmp_path):
    assert run(["push", definition(tmp_path / "a", "agent", rules=(), locked=True)], url=emulator.url).code == 0
    retitled = definition(tmp_path / "b", "agent", title="Agent, renamed", rules=(), locked=True)
    emulator.reset_counters()
    assert run(["push", retitled], url=emulator.url).code == 0
    stored = emulator.get("agent")
    assert stored["locked"] and stored["spec"]["display"]["name"] == "Agent, renamed"
    assert _lock_requests(emulator) == 2  # a locked dashboard refuses PUT: unlock, update, lock

    opened = definition(tmp_path / "c", "agent", title="Agent, open", rules=(), locked=False)
    emulator.reset_counters()
    assert run(["push", opened], url=emulator.url).code == 0
    assert not emulator.get("agent")["locked"] and _lock_requests(emulator) == 1


def test_a_json_input_leaves_the_lock_as_it_is(emulator, tmp_path):
    path = dashboard_json(tmp_path, "exported")
    assert run(["push", "--lock", path], url=emulator.url).code == 0
    emulator.reset_counters()
    assert run(["push", path], url=emulator.url).code == 0 and emulator.writes == 0
    assert emulator.get("exported")["locked"] and run(["diff", path], url=emulator.url).code == 0


def test_locked_is_created_locked(emulator, tmp_path):
    path = definition(tmp_path, "agent", rules=(), locked=True)
    dry = run(["push", "--dry-run", "--output", "json", path], url=emulator.url).json()
    assert [(i["action"], i["lock"]) for i in dry["items"]] == [("create", True)]
    result = run(["push", "--output", "json", path], url=emulator.url)
    assert [(i["result"], i["locked"]) for i in result.json()["items"]] == [("created", True)]
    assert emulator.get("agent")["locked"]
