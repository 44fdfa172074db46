"""make_plan and apply, as a library, over real HTTP against the emulator."""

from __future__ import annotations

import threading

import pytest

from signoz_dac.identity import is_managed
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.sync import DASHBOARD, Action, Outcome, apply, make_plan, summarize, unified_diff
from signoz_dac.testing import FAST_RETRY, SigNozEmulator
from signoz_dac.testing.emulator import CREATE, UPDATE
from tests.client.support import CANARY, KEYS, body


def _push(emulator, bodies, **options):
    apply_options = {k: options.pop(k) for k in ("lock", "concurrency", "progress") if k in options}
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [(f"{b['name']}.json", b) for b in bodies], **options)
        return plan, apply(client, plan, force=options.get("force", False), **apply_options)


def _actions(plan):
    return [item.action for item in plan.items]


def _retitle(name, title):
    return lambda stored: stored["spec"]["display"].update(name=title)


def test_full_lifecycle(emulator):
    a, b = body("dash-a", panels=None), body("dash-b", builtin="livekit", panels=None)
    plan, results = _push(emulator, [a, b])
    assert _actions(plan) == [Action.CREATE, Action.CREATE]
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.CREATED]
    assert all(is_managed(emulator.get(n)) for n in ("dash-a", "dash-b"))

    emulator.reset_counters()
    plan, results = _push(emulator, [a, b])
    assert _actions(plan) == [Action.UNCHANGED, Action.UNCHANGED]
    assert emulator.writes == 0

    changed = body("dash-a", title="Pipecat v2")
    plan, results = _push(emulator, [changed, b])
    assert _actions(plan) == [Action.UPDATE, Action.UNCHANGED]
    assert emulator.get("dash-a")["spec"]["display"]["name"] == "Pipecat v2"
    assert emulator.calls[UPDATE] == 1 and emulator.calls[CREATE] == 0


def test_ui_edit_is_drift_kept_unless_forced(emulator):
    _push(emulator, [body("dash")])
    emulator.edit("dash", _retitle("dash", "Edited in the UI"))
    emulator.reset_counters()
    plan, results = _push(emulator, [body("dash")])
    assert _actions(plan) == [Action.DRIFT] and results[0].outcome == Outcome.DRIFT
    assert "edited in SigNoz" in plan.items[0].reason
    assert emulator.writes == 0 and emulator.get("dash")["spec"]["display"]["name"] == "Edited in the UI"
    # The diff shows what the UI changed, per panel and as text.
    assert summarize(plan.items[0].current, plan.items[0].desired).other == ["spec.display"]
    assert '-      "name": "Edited in the UI"' in unified_diff(plan.items[0].current, plan.items[0].desired, "dash")

    plan, results = _push(emulator, [body("dash")], force=True)
    assert _actions(plan) == [Action.UPDATE] and results[0].outcome == Outcome.UPDATED
    assert emulator.get("dash")["spec"]["display"]["name"] == body()["spec"]["display"]["name"]
    assert _actions(_push(emulator, [body("dash")])[0]) == [Action.UNCHANGED]


def test_ui_edit_that_matches_the_definition_only_refreshes_the_tag(emulator):
    _push(emulator, [body("dash")])
    emulator.edit("dash", _retitle("dash", "Same as code"))
    plan, _ = _push(emulator, [body("dash", title="Same as code")])
    assert _actions(plan) == [Action.UPDATE] and "hash" in plan.items[0].reason


def test_unmanaged_name_is_a_conflict_until_adopted(emulator):
    theirs = emulator.seed(body("shared-name", title="Made by hand"))
    emulator.reset_counters()
    plan, results = _push(emulator, [body("shared-name")])
    assert _actions(plan) == [Action.CONFLICT] and results[0].outcome == Outcome.CONFLICT
    assert "--adopt" in plan.items[0].reason and emulator.writes == 0

    plan, results = _push(emulator, [body("shared-name")], adopt=True)
    assert _actions(plan) == [Action.UPDATE] and results[0].outcome == Outcome.UPDATED
    adopted = emulator.get("shared-name")
    assert adopted["id"] == theirs["id"] and is_managed(adopted)


def test_several_dashboards_with_the_name_is_a_conflict_even_with_adopt():
    # Before SigNoz 0.135 names were not unique.
    with SigNozEmulator(version="v0.134.0", api_keys=KEYS) as emulator:
        emulator.seed(body("twin"))
        emulator.seed(body("twin"))
        plan, _results = _push(emulator, [body("twin")], adopt=True, force=True)
        assert _actions(plan) == [Action.CONFLICT] and len(plan.items[0].holders) == 2
        assert len(emulator.by_name("twin")) == 2


def test_lock_after_push_and_updates_of_locked_dashboards(emulator):
    _, results = _push(emulator, [body("locked")], lock=True)
    assert results[0].locked and emulator.get("locked")["locked"]
    # A later change: unlock, update, lock again.
    _, results = _push(emulator, [body("locked", title="Changed")])
    assert results[0].outcome == Outcome.UPDATED and results[0].locked
    stored = emulator.get("locked")
    assert stored["locked"] and stored["spec"]["display"]["name"] == "Changed"


def test_lock_of_an_unchanged_dashboard_writes_only_the_lock(emulator):
    _push(emulator, [body("later")])
    emulator.reset_counters()
    _, results = _push(emulator, [body("later")], lock=True)
    assert results[0].outcome == Outcome.UNCHANGED and emulator.get("later")["locked"]
    assert dict((r, n) for r, n in emulator.calls.items() if r.startswith(("PUT", "POST", "DELETE"))) == {
        "PUT /api/v2/dashboards/{id}/lock": 1
    }


def test_an_edit_between_plan_and_apply_is_not_overwritten(emulator):
    _push(emulator, [body("race")])
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [("race.json", body("race", title="From code"))])
        assert _actions(plan) == [Action.UPDATE]
        emulator.edit("race", _retitle("race", "Saved in the UI meanwhile"))
        [result] = apply(client, plan)
    assert result.outcome == Outcome.DRIFT
    assert emulator.get("race")["spec"]["display"]["name"] == "Saved in the UI meanwhile"


def test_concurrency_is_bounded_and_progress_reported():
    bodies = [body(f"many-{i:02d}") for i in range(12)]
    seen, lock = [], threading.Lock()

    def progress(result):
        with lock:
            seen.append(result.item.name)

    with SigNozEmulator(api_keys=KEYS, latency=0.03) as emulator:
        emulator.reset_counters()
        _, results = _push(emulator, bodies, concurrency=3, progress=progress)
        assert 2 <= emulator.max_in_flight <= 3
        assert sorted(seen) == [b["name"] for b in bodies]
        assert [r.item.name for r in results] == [b["name"] for b in bodies]  # plan order
        assert len(emulator.dashboards) == 12


def test_one_failure_does_not_stop_the_others(emulator):
    _push(emulator, [body("ok-1"), body("bad")])
    emulator.inject("status", route=UPDATE, status=500)  # not retryable
    _plan, results = _push(emulator, [body("ok-1", title="New"), body("bad", title="New")], concurrency=1)
    outcomes = {r.item.name: r.outcome for r in results}
    assert outcomes == {"ok-1": Outcome.UPDATED, "bad": Outcome.FAILED} or outcomes == {
        "ok-1": Outcome.FAILED, "bad": Outcome.UPDATED}
    failed = next(r for r in results if r.outcome == Outcome.FAILED)
    assert failed.error is not None and failed.error.status == 500


def test_created_dashboard_carries_the_hash_of_what_was_pushed(emulator):
    plan, _ = _push(emulator, [body("hashed")])
    assert DASHBOARD.recorded_hash(emulator.get("hashed")) == DASHBOARD.recorded_hash(plan.items[0].desired)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_plan_only_reads(emulator, concurrency):
    _push(emulator, [body("r1"), body("r2")])
    emulator.edit("r1", _retitle("r1", "x"))
    emulator.reset_counters()
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        make_plan(client, [("r1", body("r1")), ("r2", body("r2")), ("r3", body("r3"))], concurrency=concurrency)
    assert emulator.writes == 0


@pytest.mark.parametrize(("same_content", "outcome"), [(True, Outcome.UNCHANGED), (False, Outcome.CONFLICT)])
def test_a_name_taken_between_plan_and_apply(emulator, same_content, outcome):
    """Two CI jobs pushing at once: the second one's POST meets a 409."""
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [("x.json", body("racy"))])
        other = DASHBOARD.stamp(body("racy")) if same_content else body("racy", title="Someone else's")
        emulator.seed(other)
        [result] = apply(client, plan)
    assert result.outcome == outcome
    assert len(emulator.by_name("racy")) == 1


def test_a_failed_update_of_a_locked_dashboard_leaves_it_locked(emulator):
    _push(emulator, [body("keep-locked")], lock=True)
    emulator.inject("status", route=UPDATE, status=500)
    _, [result] = _push(emulator, [body("keep-locked", title="New")])
    assert result.outcome == Outcome.FAILED and emulator.get("keep-locked")["locked"]


def test_a_whole_number_float_read_back_as_an_int_is_no_change():
    """SigNoz's Go encoder writes a threshold of 1.0 as 1: the second push must find the dashboard
    unchanged (no write), not changed or drifted forever."""
    dashboard = body("whole-floats")
    key = next(k for k, p in dashboard["spec"]["panels"].items() if p["spec"]["plugin"]["kind"] == "signoz/NumberPanel")
    dashboard["spec"]["panels"][key]["spec"]["plugin"]["spec"]["thresholds"] = [
        {"value": 1.0, "operator": "above_or_equal", "color": "Red", "format": "text"}
    ]
    with SigNozEmulator(api_keys=KEYS, go_floats=True) as emu:
        _, results = _push(emu, [dashboard])
        assert [r.outcome for r in results] == [Outcome.CREATED]
        emu.reset_counters()
        plan, results = _push(emu, [dashboard])
        assert _actions(plan) == [Action.UNCHANGED] and emu.writes == 0
        with SigNozClient(emu.url, CANARY) as client:  # the emulator does answer like Go
            stored = client.get_dashboard(results[0].server_id)
        thresholds = stored["spec"]["panels"][key]["spec"]["plugin"]["spec"]["thresholds"]
        assert type(thresholds[0]["value"]) is int
