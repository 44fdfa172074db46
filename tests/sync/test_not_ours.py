"""Push never writes or deletes a dashboard it does not manage, even when what SigNoz shows changes
while push reads it: the list says "ours" but the full copy, read a moment later, no longer carries
the managed tag (someone took the dashboard over in the UI), or a person copied one of ours so that
two dashboards carry its identity (SigNoz before 0.135 refuses no duplicate). Over real HTTP
against the emulator."""

from __future__ import annotations

from signoz_dac.identity import MANAGED_TAG, SET_TAG, tag
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS
from signoz_dac.sync import Action, Outcome, apply, make_plan
from signoz_dac.sync.kinds import DASHBOARD
from signoz_dac.testing import FAST_RETRY
from signoz_dac.testing.emulator import GET
from signoz_dac.testing.faults import REPLY
from tests.client.support import CANARY, body
from tests.support.versions import versions

from .cli_support import run
from .lifecycle_support import definition, fast_client  # noqa: F401  (fast_client: autouse)


def _plan_and_apply(emulator, bodies, **options):
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [(f"{b['name']}.json", b) for b in bodies], set_name="team-a", **options)
        return plan, apply(client, plan, force=options.get("force", False))


def _taken_over(stored: dict) -> dict:
    """`stored` as it reads once a person removed our managed tag and retitled it in the UI."""
    mine = {**stored, "tags": [t for t in stored["tags"] if t["key"].lower() != MANAGED_TAG]}
    mine["spec"] = {**stored["spec"], "display": {**stored["spec"]["display"], "name": "Mine now"}}
    return mine


def _seen_by_the_next_get(emulator, stored: dict) -> None:
    emulator.inject(REPLY, route=GET, status=200, body={"status": "success", "data": stored})


def test_a_dashboard_taken_over_while_push_reads_it_is_a_conflict_not_adopted(emulator):
    _plan_and_apply(emulator, [body("taken")])
    _seen_by_the_next_get(emulator, _taken_over(emulator.get("taken")))
    emulator.reset_counters()
    plan, results = _plan_and_apply(emulator, [body("taken", title="Changed in code")])
    [item] = plan.items
    assert item.action == Action.CONFLICT and "--adopt" in item.reason, item.reason
    assert results[0].outcome == Outcome.CONFLICT and emulator.writes == 0


def test_a_dashboard_taken_over_while_push_reads_it_is_adopted_only_with_adopt(emulator):
    _plan_and_apply(emulator, [body("taken")])
    _seen_by_the_next_get(emulator, _taken_over(emulator.get("taken")))
    plan, _ = _plan_and_apply(emulator, [body("taken", title="Changed in code")], adopt=True)
    assert [item.action for item in plan.items] == [Action.UPDATE]
    assert "adopting" in plan.items[0].reason


def test_an_orphan_taken_over_while_push_reads_it_is_not_deleted_even_with_force(emulator):
    _plan_and_apply(emulator, [body("gone")])
    _seen_by_the_next_get(emulator, _taken_over(emulator.get("gone")))
    emulator.reset_counters()
    plan, _ = _plan_and_apply(emulator, [], orphans=(DASHBOARD,), prune=True, force=True)
    assert plan.items == []
    assert emulator.writes == 0 and len(emulator.by_name("gone")) == 1


@versions("0.134", "0.134-flag")
def test_a_copy_of_an_orphan_made_in_signoz_is_a_conflict_and_neither_is_deleted(emulator, tmp_path):
    keep, gone = definition(tmp_path / "in", "keep", rules=()), definition(tmp_path / "in", "gone", rules=())
    assert run(["push", "--set", "team-a", "--no-alerts", keep, gone], url=emulator.url).code == 0
    original = emulator.get("gone")
    # A person copies it in SigNoz: same content, same tags, so the same identity (and an unedited hash).
    emulator.seed({k: v for k, v in original.items() if k not in DASHBOARD_SERVER_FIELDS})
    assert [tag(d, SET_TAG) for d in emulator.by_name("gone")] == ["team-a", "team-a"]

    diff = run(["diff", "--set", "team-a", "--no-alerts", keep], url=emulator.url)
    assert diff.code == 1 and diff.stdout.count("- gone (orphan: ") == 2, diff.stdout

    emulator.reset_counters()
    planned = run(["push", "--set", "team-a", "--no-alerts", "--prune", "--dry-run", keep], url=emulator.url)
    assert planned.code == 1 and "2 dashboards are named 'gone'; delete all but one (ids" in planned.stdout, planned.text
    pruned = run(["push", "--set", "team-a", "--no-alerts", "--prune", "--force", keep], url=emulator.url)
    assert pruned.code == 1 and "conflict" in pruned.stdout, pruned.text
    assert emulator.writes == 0 and len(emulator.by_name("gone")) == 2
