"""Plan: for each dashboard and alert rule we want, and each one of our set that we no longer want,
what push would do, decided from the server's state. Written once for both kinds; what differs
between them is in kinds.py.

A resource is found by its identity: a dashboard's `name`, a rule's identity labels (its
dashboard's name and its own id). Outcomes:
- create: nothing holds the identity (and no rule not ours has the rule's title);
- update: ours, unedited since our last push, and the content differs;
- unchanged: ours and equal after canonicalisation, so push writes nothing (but a lock state the
  definition asks for);
- drift: ours, but edited in SigNoz since the last push (its content no longer matches the hash it
  carries); `--force` overwrites it;
- conflict: the identity is held by something we do not manage, or by another definition set
  (`--adopt` takes it over); or by several dashboards (possible before SigNoz 0.135), or by
  several rules edited in SigNoz, which no flag resolves; to prune, several dashboards of the set
  with one orphan's name (copies made in SigNoz before 0.135), which push cannot tell apart;
- orphan: managed by this definition set, and no input holds it any more (`orphans` says of which
  kinds the inputs are the whole set); with `prune` it becomes delete (or drift, when it was
  edited in SigNoz since, unless `force`).
Several unedited rules with one identity are one rule, the others listed in `duplicates` for apply
to delete. Planning only reads: one list per kind, then one GET per dashboard it compares.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from signoz_dac.identity import DEFAULT_SET
from signoz_dac.safetext import printable
from signoz_dac.sync.channels import check_channels
from signoz_dac.sync.kinds import DASHBOARD, RULE, Kind
from signoz_dac.sync.lock import LOCK_NAME

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient

NO_SOURCE = "(no definition)"  # an orphan's source


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DRIFT = "drift"
    ORPHAN = "orphan"  # ours, in no definition any more; left alone (push --prune deletes it)
    DELETE = "delete"


@dataclass
class PlanItem:
    name: str  # a dashboard's `name`; a rule's identity, "<dashboard name>/<rule id>"
    source: str  # where it came from: a file path or "<builtin>/..."; NO_SOURCE for an orphan
    action: Action
    reason: str
    desired: dict[str, Any] | None  # the body to push, with our marks stamped on; None for an orphan
    current: dict[str, Any] | None = None  # the server's full copy, when there is exactly one
    server_id: str | None = None  # the id SigNoz gave the dashboard or rule
    locked: bool = False  # whether the server copy is locked (dashboards only)
    lock: bool | None = None  # the lock state push leaves it in; None: as it is (dashboards only)
    updated_at: str | None = None  # the server's updatedAt when planned; re-checked before a write
    holders: tuple[str, ...] = ()  # ids of what holds the identity (for a conflict)
    kind: Kind = DASHBOARD
    duplicates: tuple[str, ...] = ()  # ids of unedited copies of this rule, to delete

    @property
    def lock_change(self) -> bool | None:
        """The lock state push will set (True: lock, False: unlock); None when it leaves it alone."""
        if self.lock is None or self.action not in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
            return None
        if self.action == Action.CREATE:
            return True if self.lock else None
        return None if self.lock == self.locked else self.lock


@dataclass
class Plan:
    items: list[PlanItem]
    set_name: str = DEFAULT_SET

    @property
    def unresolved(self) -> list[PlanItem]:
        return [item for item in self.items if item.action in (Action.CONFLICT, Action.DRIFT)]

    @property
    def writes(self) -> bool:
        """Would a push create, update, delete, lock or unlock anything?"""
        return any(item.action in (Action.CREATE, Action.UPDATE, Action.DELETE) or item.duplicates
                   or item.lock_change is not None for item in self.items)

    @property
    def changes(self) -> bool:
        """Does anything differ from the definitions (including what push will not change)?"""
        return any(item.action != Action.UNCHANGED or item.duplicates or item.lock_change is not None
                   for item in self.items)


@dataclass
class _Settings:
    set_name: str
    force: bool
    adopt: bool
    prune: bool
    locks: Mapping[str, bool] = field(default_factory=dict)


def make_plan(
    client: SigNozClient,
    bodies: Sequence[tuple[str, dict[str, Any]]],
    *,
    rules: Sequence[tuple[str, dict[str, Any]]] = (),
    set_name: str = DEFAULT_SET,
    locks: Mapping[str, bool] | None = None,
    force: bool = False,
    adopt: bool = False,
    orphans: Collection[Kind] = (),
    prune: bool = False,
    concurrency: int = 4,
    earlier: Plan | None = None,
) -> Plan:
    """Decide, for each (source, body) and each (source, rule), what push would do. Reads only.

    `set_name`: the definition set the bodies belong to (stamped on each). `locks`: dashboard name →
    the lock state its definition asks for (a name absent: left as it is). `orphans`: the kinds
    (DASHBOARD, RULE) of which the inputs are the whole set, so that what the set holds on the
    server and no input holds is an orphan; `prune` plans to delete those.
    `earlier`: a plan made moments ago (push plans again once it holds its lock); a resource the
    list shows with the same id and `updatedAt` as then is not fetched again.
    Raises UnknownChannels (bad input) when a rule names a notification channel SigNoz lacks.
    """
    settings = _Settings(set_name, force=force, adopt=adopt, prune=prune, locks=locks or {})
    seen = {(item.kind, item.server_id, item.updated_at): item.current for item in (earlier.items if earlier else ())
            if item.current is not None and item.updated_at}
    items: list[PlanItem] = []
    for kind, inputs in ((DASHBOARD, bodies), (RULE, rules)):
        if not inputs and kind not in orphans:
            continue  # nothing to read for this kind
        # As the server will give each body back (before 0.135: SigNoz's conversion of its v5 form).
        desired = [(source, kind.stamp(kind.as_read_back(client, body), set_name)) for source, body in inputs]
        if kind is RULE:
            check_channels(client, desired)
        items += _plan_kind(client, kind, desired, settings, whole_set=kind in orphans, seen=seen,
                            concurrency=concurrency)
    return Plan(items, set_name)


def _plan_kind(
    client: SigNozClient,
    kind: Kind,
    desired: list[tuple[str, dict[str, Any]]],
    settings: _Settings,
    *,
    whole_set: bool,
    seen: dict[tuple[Any, ...], dict[str, Any]],
    concurrency: int,
) -> list[PlanItem]:
    server = kind.list(client)
    holders: dict[str | None, list[dict[str, Any]]] = {}
    for resource in server:
        holders.setdefault(kind.key(resource), []).append(resource)
    wanted = {kind.key(body) for _, body in desired}
    orphans = [r for r in server if whole_set and _orphaned(kind, r, wanted, settings.set_name)]

    # The list of dashboards has no spec: fetch the full copy of what we compare, take or delete.
    def full(resource: dict[str, Any]) -> dict[str, Any]:
        if kind.full_listing:
            return resource
        cached = seen.get((kind, str(resource.get("id")), resource.get("updatedAt")))
        if cached is None:
            return kind.get(client, str(resource["id"]))
        # What the list says is newer than the copy (a lock leaves updatedAt as it was).
        return {**cached, **{k: v for k, v in resource.items() if k != "spec"}}

    compared = [found[0] for found in (holders.get(kind.key(body), []) for _, body in desired)
                if len(found) == 1 and (kind.managed(found[0]) or settings.adopt)]
    if settings.adopt and not kind.full_listing:  # what --adopt takes over is compared too
        compared += [n[0] for n in (kind.namesakes(server, body) for _, body in desired
                                    if not holders.get(kind.key(body))) if len(n) == 1]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        fulls = dict(zip((id(r) for r in compared + orphans), pool.map(full, compared + orphans), strict=True))

    items = [_decide(kind, source, body, holders.get(kind.key(body), []), server, fulls, settings)
             for source, body in desired]
    for item in items:
        if item.lock_change is not None:
            item.reason += "; to be locked" if item.lock_change else "; to be unlocked"
    return items + _orphans(kind, [fulls[id(r)] for r in orphans], wanted, settings)


def _orphans(kind: Kind, copies: list[dict[str, Any]], wanted: set[str | None], settings: _Settings) -> list[PlanItem]:
    """The orphans, from their full copies. One that the full copy shows is no longer ours (its
    managed tag removed since the list was read) is left out. Several dashboards with one orphan's
    name (a copy made in SigNoz before 0.135, where names are not unique) cannot be told apart: to
    prune, they are one conflict and none is deleted. (Several rules are cleaned up as for a rule
    in a definition: the unedited ones go, an edited one is drift.)"""
    by_key: dict[str | None, list[dict[str, Any]]] = {}
    for current in copies:
        if _orphaned(kind, current, wanted, settings.set_name):
            by_key.setdefault(kind.key(current), []).append(current)
    items = []
    for name, group in by_key.items():
        if len(group) > 1 and settings.prune and not kind.cleans_duplicates:
            assert name is not None
            item = PlanItem(name=name, source=NO_SOURCE, action=Action.CONFLICT, reason="", desired=None, kind=kind)
            items.append(_conflict(item, group, f"{len(group)} {kind.plural} are named {name!r}; delete all but one"))
        else:
            items += [_orphan(kind, current, settings) for current in group]
    return items


def _orphaned(kind: Kind, resource: dict[str, Any], wanted: set[str | None], set_name: str) -> bool:
    """Ours, pushed by this set, and no input holds it (the push lock's marker never is: it has no set)."""
    key = kind.key(resource)
    return (kind.managed(resource) and kind.set_of(resource) == set_name and key not in wanted
            and not (kind is DASHBOARD and key == LOCK_NAME))


def _decide(
    kind: Kind,
    source: str,
    body: dict[str, Any],
    found: list[dict[str, Any]],
    server: list[dict[str, Any]],
    fulls: dict[int, dict[str, Any]],
    settings: _Settings,
) -> PlanItem:
    name = kind.key(body)
    assert name is not None  # stamping checked it
    item = PlanItem(name=name, source=source, action=Action.CREATE, reason=f"new {kind}", desired=body, kind=kind,
                    lock=settings.locks.get(name) if kind.lockable else None)
    if len(found) > 1:
        if kind.cleans_duplicates:
            return _deduplicate(item, found, settings)
        return _conflict(item, found, f"{len(found)} {kind.plural} are named {name!r}; delete all but one")
    if found:
        [holder] = found
        current = fulls.get(id(holder))
        # Not ours: the list says so (nothing fetched), or the full copy read after it does (someone
        # took it over in SigNoz meanwhile).
        if current is None or not (kind.managed(current) or settings.adopt):
            return _conflict(item, found, f"the name is held by a {kind} not managed by signoz-dac "
                                          f"(id {holder.get('id')}); --adopt takes it over")
        _take(item, current)
        if not kind.managed(current):
            item.action, item.reason = Action.UPDATE, f"adopting a {kind} not managed by signoz-dac (--adopt)"
            return item
        return _judge_ours(item, current, settings)

    namesakes = kind.namesakes(server, body)
    if len(namesakes) > 1 or (namesakes and not settings.adopt):
        return _conflict(item, namesakes, kind.namesake_conflict(body, namesakes))
    if namesakes:
        [other] = namesakes
        _take(item, fulls.get(id(other), other))
        item.action, item.reason = Action.UPDATE, f"adopting a {kind} not managed by signoz-dac (--adopt)"
    return item


def _judge_ours(item: PlanItem, current: dict[str, Any], settings: _Settings) -> PlanItem:
    """One of ours holds the identity: another set's is a conflict (unless adopted); ours is judged."""
    kind = item.kind
    owner = kind.set_of(current)
    if owner is not None and owner != settings.set_name:
        shown = printable(owner, limit=40)  # server text: one safe line
        if not settings.adopt:
            return _conflict(item, [current], f"managed by another definition set, {shown!r} (this is "
                                              f"{settings.set_name!r}); --adopt moves it to this set")
        item.action, item.reason = Action.UPDATE, f"moving it from the definition set {shown!r} (--adopt)"
        return item
    assert item.desired is not None
    return judge(item, kind.content_hash(current), kind.recorded_hash(current), kind.recorded_hash(item.desired),
                 force=settings.force)


def judge(item: PlanItem, actual: str, recorded: str | None, wanted: str | None, *, force: bool) -> PlanItem:
    """Update, unchanged or drift for an item we manage, from three hashes: of the server copy's
    content (`actual`), the one it carries (`recorded`), and ours (`wanted`)."""
    edited = recorded != actual
    if actual == wanted:
        item.action = Action.UPDATE if edited else Action.UNCHANGED
        item.reason = f"only the content-hash {item.kind.mark_word} needs refreshing" if edited else "up to date"
    elif not edited:
        item.action, item.reason = Action.UPDATE, "definition changed"
    elif force:
        item.action, item.reason = Action.UPDATE, "overwriting edits made in SigNoz (--force)"
    else:
        item.action = Action.DRIFT
        item.reason = f"edited in SigNoz since the last push ({_by_whom(item.current)}); --force overwrites"
    return item


def _by_whom(current: dict[str, Any] | None) -> str:
    current = current or {}
    who = printable(current.get("updatedBy") or "someone", limit=100)  # server text: one safe line
    when = printable(current.get("updatedAt") or "an unknown time", limit=40)
    return f"by {who} at {when}"


def _deduplicate(item: PlanItem, ours: list[dict[str, Any]], settings: _Settings) -> PlanItem:
    """Several copies with our identity: keep one and judge it; the unedited others are duplicates."""
    kind = item.kind
    edited = [r for r in ours if kind.content_hash(r) != kind.recorded_hash(r)]
    if len(edited) > 1:
        return _conflict(item, ours, f"{len(ours)} {kind.plural} carry this identity and {len(edited)} of them were "
                                     "edited in SigNoz; delete all but one")
    assert item.desired is not None
    wanted = kind.recorded_hash(item.desired)
    # An edited copy holds someone's work: keep it. Otherwise the one already up to date, then the oldest.
    keep = edited[0] if edited else min(
        ours, key=lambda r: (kind.recorded_hash(r) != wanted, _created(r), str(r.get("id")))
    )
    _take(item, keep)
    if _judge_ours(item, keep, settings).action == Action.CONFLICT:
        return item
    # Another definition set's copy is never this push's to delete (two repositories never prune each other).
    item.duplicates = tuple(str(r.get("id")) for r in ours
                            if r is not keep and kind.set_of(r) in (None, settings.set_name))
    count = len(item.duplicates)
    if count:
        item.reason += f"; {count} duplicate{'s' if count > 1 else ''} to delete (ids {', '.join(item.duplicates)})"
    return item


def _orphan(kind: Kind, current: dict[str, Any], settings: _Settings) -> PlanItem:
    name = kind.key(current)
    assert name is not None
    item = PlanItem(name=name, source=NO_SOURCE, action=Action.ORPHAN, reason="", desired=None, kind=kind)
    _take(item, current)
    edited = kind.content_hash(current) != kind.recorded_hash(current)
    gone = f"no definition of the set {settings.set_name!r} holds it any more"
    if not settings.prune:
        item.reason = f"{gone}{' (and it was edited in SigNoz since)' if edited else ''}; push --prune deletes it"
    elif edited and not settings.force:
        item.action = Action.DRIFT
        item.reason = f"{gone}, but it was edited in SigNoz since the last push ({_by_whom(current)}); " \
                      "--prune deletes it only with --force"
    else:
        item.action = Action.DELETE
        item.reason = f"{gone}{'; deleting edits made in SigNoz (--force)' if edited else ''}"
    return item


def _created(resource: dict[str, Any]) -> str:
    # SigNoz's v1 rule shape spells it `createAt`.
    return str(resource.get("createdAt") or resource.get("createAt") or "")


def _take(item: PlanItem, current: dict[str, Any]) -> None:
    item.current = current
    item.server_id = str(current.get("id"))
    item.locked = item.kind.locked(current)
    item.updated_at = current.get("updatedAt")


def _conflict(item: PlanItem, holders: list[dict[str, Any]], reason: str) -> PlanItem:
    item.holders = tuple(str(r.get("id")) for r in holders)
    item.action = Action.CONFLICT
    item.reason = f"{reason} (ids {', '.join(item.holders)})" if len(holders) > 1 else reason
    if len(holders) == 1 and item.server_id is None:
        item.server_id = item.holders[0]
        item.locked = item.kind.locked(holders[0])
    return item
