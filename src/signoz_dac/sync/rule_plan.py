"""Plan the alert rules: find each one on the server and decide what push would do.

SigNoz gives a rule a server-made id and keeps no unique index on its name (`alert`), so a rule is
found by its identity labels (`rule_key`: its dashboard's name and its rule id, under the managed
label). Outcomes, as for dashboards (plan.py):
- create: no rule carries the identity, and no other rule has the name;
- update / unchanged / drift: ours, judged by the content hash in its `signoz_dac_hash` label;
- conflict: none carries the identity and the name is held by a rule we do not manage (`--adopt`
  takes it over), by another signoz-dac rule, or by several rules.
Several rules carrying one identity (pushes that raced before push took a lock, a copy made in the
UI) are cleaned up: one is kept and judged as above, and the unedited copies (their content still
hashes to their label, so nobody's work is in them) are listed in `duplicates` for apply to
delete. Two or more edited copies are a conflict: someone must choose.
Planning reads the rule list once (it is the full shape) and the channel list when a rule names one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from signoz_dac.render.alerts.identity import is_managed, rule_key
from signoz_dac.safetext import printable
from signoz_dac.sync.channels import check_channels
from signoz_dac.sync.labels import recorded_rule_hash, rule_content_hash, stamp_rule
from signoz_dac.sync.plan import Action, Kind, PlanItem, judge

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient


def plan_rules(
    client: SigNozClient, rules: Sequence[tuple[str, dict[str, Any]]], *, force: bool, adopt: bool
) -> list[PlanItem]:
    if not rules:
        return []
    desired = [(source, stamp_rule(body)) for source, body in rules]
    check_channels(client, desired)
    server = client.list_rules()
    return [_decide(source, body, server, force=force, adopt=adopt) for source, body in desired]


def _decide(source: str, body: dict[str, Any], server: list[dict[str, Any]], *, force: bool, adopt: bool) -> PlanItem:
    key = rule_key(body)
    assert key is not None  # stamp_rule checked it
    alert = body["alert"]
    item = PlanItem(name="/".join(key), source=source, action=Action.CREATE, reason="new rule", desired=body,
                    kind=Kind.RULE)
    ours = [r for r in server if rule_key(r) == key]
    if len(ours) > 1:
        return _deduplicate(item, ours, force=force)
    if ours:
        _take(item, ours[0])
        return judge(item, rule_content_hash(ours[0]), recorded_rule_hash(ours[0]), recorded_rule_hash(body), force=force)

    namesakes = [r for r in server if r.get("alert") == alert]
    if not namesakes:
        return item
    if len(namesakes) > 1:
        return _conflict(item, namesakes, f"{len(namesakes)} rules are named {alert!r}; delete all but one")
    [other] = namesakes
    if is_managed(other):
        owner = printable("/".join(rule_key(other) or ("?", "?")), limit=100)  # server text: one safe line
        return _conflict(item, namesakes, f"the name {alert!r} is used by another signoz-dac rule ({owner}); "
                                          "rename one of them, or delete the old one")
    if not adopt:
        return _conflict(item, namesakes, f"the name {alert!r} is held by a rule not managed by signoz-dac "
                                          f"(id {other.get('id')}); --adopt takes it over")
    _take(item, other)
    item.action, item.reason = Action.UPDATE, "adopting a rule not managed by signoz-dac (--adopt)"
    return item


def _deduplicate(item: PlanItem, ours: list[dict[str, Any]], *, force: bool) -> PlanItem:
    edited = [r for r in ours if rule_content_hash(r) != recorded_rule_hash(r)]
    if len(edited) > 1:
        return _conflict(item, ours, f"{len(ours)} rules carry this identity and {len(edited)} of them were "
                                     "edited in SigNoz; delete all but one")
    wanted = recorded_rule_hash(item.desired)
    # An edited copy holds someone's work: keep it. Otherwise the one already up to date, then the oldest.
    keep = edited[0] if edited else min(
        ours, key=lambda r: (recorded_rule_hash(r) != wanted, _created(r), str(r.get("id")))
    )
    _take(item, keep)
    judge(item, rule_content_hash(keep), recorded_rule_hash(keep), wanted, force=force)
    item.duplicates = tuple(str(r.get("id")) for r in ours if r is not keep)
    count = len(item.duplicates)
    item.reason += f"; {count} duplicate{'s' if count > 1 else ''} to delete (ids {', '.join(item.duplicates)})"
    return item


def _created(rule: dict[str, Any]) -> str:
    # SigNoz's v1 rule shape spells it `createAt`.
    return str(rule.get("createdAt") or rule.get("createAt") or "")


def _take(item: PlanItem, current: dict[str, Any]) -> None:
    item.current = current
    item.server_id = str(current.get("id"))
    item.updated_at = current.get("updatedAt")


def _conflict(item: PlanItem, holders: list[dict[str, Any]], reason: str) -> PlanItem:
    item.holders = tuple(str(r.get("id")) for r in holders)
    item.action = Action.CONFLICT
    item.reason = f"{reason} (ids {', '.join(item.holders)})" if len(holders) > 1 else reason
    return item
