"""Apply a plan: the writes, with bounded concurrency, a progress callback and per-item results.

One dashboard or rule failing does not stop the others; its error is kept in its result (so is a
lock that failed after the write: the outcome stays created or updated, with the id). Conflicts
and drift are never written. Before a PUT the server copy is read again: if it moved since the plan
(someone saved it in the UI meanwhile) the item is reported as drift instead of overwritten.
Rules are written like dashboards, with their own client calls; `lock` concerns dashboards only.
A rule's unedited duplicates (see rule_plan) are deleted once the rule itself has been handled.

Stopping: an item is only started before the client's deadline; later ones are `skipped` with a
DeadlineExceeded. At Ctrl-C no new item starts; the items in flight finish (each one's writes are
bounded by the client's timeouts) and apply raises `Interrupted` with every result so far. A second
Ctrl-C stops waiting for them: `Interrupted.abandoned` is then True, and their results say they may
or may not have reached SigNoz.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from signoz_dac.render.alerts.identity import rule_key
from signoz_dac.safetext import printable
from signoz_dac.signoz.errors import Conflict, DeadlineExceeded, SigNozError
from signoz_dac.sync.labels import recorded_rule_hash
from signoz_dac.sync.plan import Action, Kind, Plan, PlanItem
from signoz_dac.sync.tags import recorded_hash

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DRIFT = "drift"
    FAILED = "failed"
    SKIPPED = "skipped"  # never started: interrupted, or the deadline had passed


@dataclass
class Result:
    item: PlanItem
    outcome: Outcome
    server_id: str | None = None
    locked: bool = False
    message: str = ""
    error: SigNozError | None = None  # set on FAILED, and on a write whose lock then failed


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during apply. `results`: every item's, in plan order (`skipped` if never started);
    `abandoned`: a second Ctrl-C left writes in flight (their results say so)."""

    def __init__(self, results: list[Result], *, abandoned: bool):
        self.results = results
        self.abandoned = abandoned
        super().__init__("interrupted")


def apply(
    client: SigNozClient,
    plan: Plan,
    *,
    concurrency: int = 4,
    lock: bool = False,
    force: bool = False,
    progress: Callable[[Result], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[Result]:
    """Carry out `plan`; results come back in plan order. At most `concurrency` items at once.
    `notice` hears what happens at a Ctrl-C (the writes being finished)."""
    stop = threading.Event()
    results: dict[int, Result] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    futures = {
        pool.submit(_start, client, item, stop, lock=lock, force=force): i for i, item in enumerate(plan.items)
    }

    def collect() -> None:
        for future in as_completed(futures):
            index = futures[future]
            if index not in results:
                results[index] = future.result()
                if progress is not None:
                    progress(results[index])

    try:
        collect()
    except KeyboardInterrupt:
        stop.set()  # nothing new starts; what runs finishes
        running = sum(1 for f in futures if not f.done())
        if notice is not None and running:
            notice("interrupted: finishing the writes in progress (Ctrl-C again to stop waiting for them)")
        abandoned = False
        try:
            collect()
        except KeyboardInterrupt:
            abandoned = True
        pool.shutdown(wait=not abandoned, cancel_futures=True)
        raise Interrupted(_in_order(plan, results, futures), abandoned=abandoned) from None
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(plan.items))]


def _in_order(plan: Plan, results: dict[int, Result], futures: dict[Future[Result], int]) -> list[Result]:
    """Every item's result; an item still in flight (abandoned) says it may have been written."""
    pending = {index for future, index in futures.items() if not future.done()}
    out = []
    for index, item in enumerate(plan.items):
        if index in results:
            out.append(results[index])
        elif index in pending and item.action in _WRITES:
            out.append(Result(item, Outcome.FAILED, item.server_id,
                              message="interrupted while being written: it may or may not have reached SigNoz; "
                                      "run push again to reconcile"))
        else:
            out.append(Result(item, Outcome.SKIPPED, item.server_id, message="not started: interrupted"))
    return out


_WRITES = frozenset({Action.CREATE, Action.UPDATE})


def _start(client: SigNozClient, item: PlanItem, stop: threading.Event, *, lock: bool, force: bool) -> Result:
    """Start an item unless the run is stopping (Ctrl-C) or its deadline has passed."""
    if stop.is_set():
        return Result(item, Outcome.SKIPPED, item.server_id, message="not started: interrupted")
    deadline = client.deadline
    if deadline is not None and deadline.expired and (item.action in _WRITES or item.duplicates or lock):
        error = DeadlineExceeded(f"not started: the deadline of {deadline} had passed")
        return Result(item, Outcome.SKIPPED, item.server_id, message=error.message, error=error)
    return _apply_one(client, item, lock=lock, force=force)


def _apply_one(client: SigNozClient, item: PlanItem, *, lock: bool, force: bool) -> Result:
    try:
        if item.duplicates and item.action != Action.CONFLICT:
            return _deduplicated(client, item, _apply_one(client, _without_duplicates(item), lock=lock, force=force))
        if item.kind == Kind.RULE and item.action in (Action.CREATE, Action.UPDATE):
            return _create_rule(client, item) if item.action == Action.CREATE else _update_rule(client, item, force=force)
        if item.action == Action.CREATE:
            return _create(client, item, lock=lock)
        if item.action == Action.UPDATE:
            return _update(client, item, lock=lock, force=force)
        if item.action == Action.UNCHANGED:
            if lock and not item.locked and item.kind == Kind.DASHBOARD:
                client.lock_dashboard(item.server_id)
                return Result(item, Outcome.UNCHANGED, item.server_id, locked=True, message="locked")
            return Result(item, Outcome.UNCHANGED, item.server_id, locked=item.locked)
        outcome = Outcome.CONFLICT if item.action == Action.CONFLICT else Outcome.DRIFT
        return Result(item, outcome, item.server_id, locked=item.locked, message=item.reason)
    except SigNozError as exc:
        return Result(item, Outcome.FAILED, item.server_id, locked=item.locked, message=str(exc), error=exc)


def _without_duplicates(item: PlanItem) -> PlanItem:
    return replace(item, duplicates=())


def _deduplicated(client: SigNozClient, item: PlanItem, result: Result) -> Result:
    """Delete a rule's unedited copies, after the kept one was handled; said in its result."""
    result.item = item
    deleted = []
    for rule_id in item.duplicates:
        try:
            client.delete_rule(rule_id)
        except SigNozError as exc:
            note = f"could not delete duplicate {rule_id}: {exc}"
            result.message = f"{result.message}; {note}" if result.message else note
            result.error = result.error or exc
            break
        deleted.append(rule_id)
    if deleted:
        note = f"deleted {len(deleted)} duplicate{'s' if len(deleted) > 1 else ''} (ids {', '.join(deleted)})"
        result.message = f"{result.message}; {note}" if result.message else note
    return result


def _create(client: SigNozClient, item: PlanItem, *, lock: bool) -> Result:
    ours = recorded_hash(item.desired)
    try:
        # If the POST's fate is uncertain, a dashboard with our name and our content hash is ours.
        created = client.create_dashboard(item.desired, matches=lambda d: recorded_hash(d) == ours)
    except Conflict:
        # The name was taken between plan and apply, e.g. by another CI job pushing the same commit.
        same = [d for d in client.find_by_name(item.name) if recorded_hash(d) == ours]
        if len(same) == 1:
            return Result(item, Outcome.UNCHANGED, same[0]["id"], locked=bool(same[0].get("locked")),
                          message="created meanwhile by another push, with the same content")
        return Result(item, Outcome.CONFLICT, None, message="the name was taken in SigNoz after the plan was made")
    if lock:
        failed = _lock(client, created["id"])
        if failed is not None:  # the dashboard was created all the same: say so, with its id
            return Result(item, Outcome.CREATED, created["id"], message=f"lock failed: {failed}", error=failed)
    return Result(item, Outcome.CREATED, created["id"], locked=lock)


def _lock(client: SigNozClient, dashboard_id: str) -> SigNozError | None:
    """Lock a dashboard just written; a failure is returned, to be reported beside the write."""
    try:
        client.lock_dashboard(dashboard_id)
    except SigNozError as exc:
        return exc
    return None


def _update(client: SigNozClient, item: PlanItem, *, lock: bool, force: bool) -> Result:
    assert item.server_id is not None
    fresh = client.get_dashboard(item.server_id)
    if not force and fresh.get("updatedAt") != item.updated_at:
        who = printable(fresh.get("updatedBy") or "someone", limit=100)  # server text: one safe line
        return Result(item, Outcome.DRIFT, item.server_id, locked=bool(fresh.get("locked")),
                      message=f"changed in SigNoz by {who} after the plan was made; not overwritten")
    was_locked = bool(fresh.get("locked"))
    if was_locked:
        # A locked dashboard refuses PUT; we lock our own dashboards (--lock), so unlock for the update.
        client.unlock_dashboard(item.server_id)
    relock = was_locked or lock
    try:
        client.update_dashboard(item.server_id, item.desired)
    except SigNozError as exc:
        # Leave it locked as we found it; the update's error is the one to report, and a failed
        # re-lock is said too, since the dashboard is now open to edits.
        failed = _lock(client, item.server_id) if was_locked else None
        message = f"{exc}; lock failed: {failed}" if failed else str(exc)
        return Result(item, Outcome.FAILED, item.server_id, locked=was_locked and not failed, message=message, error=exc)
    if relock:
        failed = _lock(client, item.server_id)
        if failed is not None:  # updated all the same
            return Result(item, Outcome.UPDATED, item.server_id, message=f"lock failed: {failed}", error=failed)
    return Result(item, Outcome.UPDATED, item.server_id, locked=relock, message=item.reason)


def _create_rule(client: SigNozClient, item: PlanItem) -> Result:
    ours = recorded_rule_hash(item.desired)
    try:
        # If the POST's fate is uncertain, a rule with our identity and our content hash is ours.
        created = client.create_rule(item.desired, identity=rule_key, matches=lambda r: recorded_rule_hash(r) == ours)
    except Conflict:
        # Reconciling found our identity on a rule with other content: another push got there first.
        return Result(item, Outcome.CONFLICT, None,
                      message="a rule with this identity appeared in SigNoz after the plan was made")
    return Result(item, Outcome.CREATED, str(created.get("id")))


def _update_rule(client: SigNozClient, item: PlanItem, *, force: bool) -> Result:
    assert item.server_id is not None
    fresh = client.get_rule(item.server_id)
    if not force and fresh.get("updatedAt") != item.updated_at:
        who = printable(fresh.get("updatedBy") or "someone", limit=100)  # server text: one safe line
        return Result(item, Outcome.DRIFT, item.server_id,
                      message=f"changed in SigNoz by {who} after the plan was made; not overwritten")
    client.update_rule(item.server_id, item.desired)
    return Result(item, Outcome.UPDATED, item.server_id, message=item.reason)
