"""Plan: for each dashboard (and alert rule) we want, what push would do, decided from the server's state.

A dashboard is identified by its SigNoz `name` (unique per org, immutable). Outcomes:
- create: no dashboard has the name;
- update: ours (managed tag), unedited since our last push, and the content differs;
- unchanged: ours and equal after canonicalisation, so push writes nothing at all;
- conflict: the name is held by a dashboard we do not manage (`--adopt` takes it over), or by
  several dashboards (possible before SigNoz 0.135's unique index), which no flag resolves;
- drift: ours, but edited in SigNoz since the last push (its content no longer matches the hash it
  carries); `--force` overwrites it.
Planning only reads (one list, then one GET per dashboard of that name). Alert rules get the same
outcomes from the same judgement (`judge`); how a rule is found is in rule_plan.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from signoz_dac.safetext import printable
from signoz_dac.sync.tags import content_hash, is_managed, recorded_hash, stamp

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient


class Kind(StrEnum):
    DASHBOARD = "dashboard"
    RULE = "rule"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DRIFT = "drift"


@dataclass
class PlanItem:
    name: str  # a dashboard's `name`; a rule's identity, "<dashboard name>/<rule id>"
    source: str  # where it came from: a file path or "<builtin>/..."
    action: Action
    reason: str
    desired: dict[str, Any]  # the body to push, with our tags (a rule: labels) stamped on
    current: dict[str, Any] | None = None  # the server's full copy, when there is exactly one
    server_id: str | None = None  # the id SigNoz gave the dashboard or rule
    locked: bool = False  # dashboards only
    updated_at: str | None = None  # the server's updatedAt when planned; re-checked before a PUT
    holders: tuple[str, ...] = ()  # ids of what holds the name (for a conflict)
    kind: Kind = Kind.DASHBOARD
    duplicates: tuple[str, ...] = ()  # ids of unedited copies of this rule, to delete (see rule_plan)


@dataclass
class Plan:
    items: list[PlanItem]

    @property
    def unresolved(self) -> list[PlanItem]:
        return [item for item in self.items if item.action in (Action.CONFLICT, Action.DRIFT)]

    @property
    def writes(self) -> bool:
        """Would a push create, update or delete anything?"""
        return any(item.action in (Action.CREATE, Action.UPDATE) or item.duplicates for item in self.items)

    @property
    def changes(self) -> bool:
        """Would a push change anything (or find something it will not change)?"""
        return any(item.action != Action.UNCHANGED or item.duplicates for item in self.items)


def make_plan(
    client: SigNozClient,
    bodies: Sequence[tuple[str, dict[str, Any]]],
    *,
    force: bool = False,
    adopt: bool = False,
    concurrency: int = 4,
    rules: Sequence[tuple[str, dict[str, Any]]] = (),
    earlier: Plan | None = None,
) -> Plan:
    """Decide, for each (source, body) and each (source, rule), what push would do. Reads only.

    `earlier`: a plan made moments ago (push plans again once it holds its lock); a dashboard the
    list shows with the same id and `updatedAt` as then is not fetched again.
    Raises UnknownChannels (bad input) when a rule names a notification channel SigNoz lacks.
    """
    from signoz_dac.sync.rule_plan import plan_rules
    # As the server will give each body back (on SigNoz before 0.135: SigNoz's conversion of its v5 form).
    desired = [(source, stamp(client.as_read_back(body))) for source, body in bodies]
    holders: dict[str, list[dict[str, Any]]] = {}
    for summary in client.list_dashboards():
        holders.setdefault(summary.get("name"), []).append(summary)
    seen = {(item.server_id, item.updated_at): item.current for item in (earlier.items if earlier else ())
            if item.kind == Kind.DASHBOARD and item.current is not None and item.updated_at}

    # The list shape has no spec: fetch the full copy of every single holder we might compare or take.
    def fetch(body: dict[str, Any]) -> dict[str, Any] | None:
        found = holders.get(body["name"], [])
        if len(found) == 1 and (is_managed(found[0]) or adopt):
            unchanged = seen.get((found[0]["id"], found[0].get("updatedAt")))
            return unchanged if unchanged is not None else client.get_dashboard(found[0]["id"])
        return None

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        currents = list(pool.map(fetch, (body for _, body in desired)))

    items = [
        _decide(source, body, holders.get(body["name"], []), current, force=force, adopt=adopt)
        for (source, body), current in zip(desired, currents, strict=True)
    ]
    return Plan(items + plan_rules(client, rules, force=force, adopt=adopt))


def _decide(
    source: str,
    body: dict[str, Any],
    found: list[dict[str, Any]],
    current: dict[str, Any] | None,
    *,
    force: bool,
    adopt: bool,
) -> PlanItem:
    name = body["name"]
    item = PlanItem(name=name, source=source, action=Action.CREATE, reason="new dashboard", desired=body)
    if not found:
        return item
    item.holders = tuple(str(d.get("id")) for d in found)
    if len(found) > 1:
        item.action = Action.CONFLICT
        item.reason = f"{len(found)} dashboards are named {name!r} (ids {', '.join(item.holders)}); delete all but one"
        return item
    item.server_id = found[0]["id"]
    item.locked = bool(found[0].get("locked"))
    if current is None:  # held by a dashboard we do not manage, and not adopting
        item.action = Action.CONFLICT
        item.reason = f"the name is held by a dashboard not managed by signoz-dac (id {item.server_id}); --adopt takes it over"
        return item
    item.current = current
    item.locked = bool(current.get("locked"))
    item.updated_at = current.get("updatedAt")
    if not is_managed(current):
        item.action = Action.UPDATE
        item.reason = "adopting a dashboard not managed by signoz-dac (--adopt)"
        return item
    return judge(item, content_hash(current), recorded_hash(current), recorded_hash(body), force=force)


def judge(item: PlanItem, actual: str, recorded: str | None, wanted: str | None, *, force: bool) -> PlanItem:
    """Update, unchanged or drift for an item we manage, from three hashes: of the server copy's
    content (`actual`), the one it carries (`recorded`), and ours (`wanted`)."""
    current = item.current or {}
    edited = recorded != actual
    if actual == wanted:
        item.action = Action.UPDATE if edited else Action.UNCHANGED
        where = "label" if item.kind == Kind.RULE else "tag"
        item.reason = f"only the content-hash {where} needs refreshing" if edited else "up to date"
    elif not edited:
        item.action, item.reason = Action.UPDATE, "definition changed"
    elif force:
        item.action, item.reason = Action.UPDATE, "overwriting edits made in SigNoz (--force)"
    else:
        who = printable(current.get("updatedBy") or "someone", limit=100)  # server text: one safe line
        when = printable(current.get("updatedAt") or "an unknown time", limit=40)
        item.action = Action.DRIFT
        item.reason = f"edited in SigNoz since the last push (by {who} at {when}); --force overwrites"
    return item
