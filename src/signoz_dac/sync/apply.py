"""Apply a plan: the writes, with bounded concurrency, a progress callback and per-item results.
Written once for dashboards and rules; their own calls are in kinds.py.

One dashboard or rule failing does not stop the others; its error is kept in its result (so is a
lock that failed after the write: the outcome stays created or updated, with the id). Conflicts,
drift and orphans (without --prune) are never written. Before a PUT or a DELETE the server copy is
read again: if it moved since the plan (someone saved it in the UI meanwhile) the item is reported
as drift instead of overwritten or deleted. A locked dashboard refuses PUT and DELETE, so it is
unlocked first; after an update it is left locked or not as the plan says (`PlanItem.lock`; as it
was found when the plan does not say), and `lock=True` locks every dashboard written or unchanged.
A rule's unedited duplicates (see plan.py) are deleted once the rule itself has been handled, each
read again first: one edited since the plan is kept.

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
from typing import TYPE_CHECKING, Any

from signoz_dac.safetext import printable
from signoz_dac.signoz.errors import Conflict, DeadlineExceeded, NotFound, SigNozError
from signoz_dac.sync.plan import Action, Plan, PlanItem

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DRIFT = "drift"
    ORPHAN = "orphan"  # in no definition any more, left alone (push --prune deletes it)
    DELETED = "deleted"
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
    `lock` locks every dashboard written or unchanged, whatever the plan says. `notice` hears what
    happens at a Ctrl-C (the writes being finished)."""
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


_WRITES = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})


def _start(client: SigNozClient, item: PlanItem, stop: threading.Event, *, lock: bool, force: bool) -> Result:
    """Start an item unless the run is stopping (Ctrl-C) or its deadline has passed."""
    if stop.is_set():
        return Result(item, Outcome.SKIPPED, item.server_id, message="not started: interrupted")
    deadline = client.deadline
    writes = item.action in _WRITES or item.duplicates or _wanted_lock(item, lock) not in (None, item.locked)
    if deadline is not None and deadline.expired and writes:
        error = DeadlineExceeded(f"not started: the deadline of {deadline} had passed")
        return Result(item, Outcome.SKIPPED, item.server_id, message=error.message, error=error)
    return _apply_one(client, item, lock=lock, force=force)


def _wanted_lock(item: PlanItem, lock: bool) -> bool | None:
    """The lock state to leave a dashboard in (None: as it is)."""
    if not item.kind.lockable:
        return None
    return True if lock else item.lock


def _apply_one(client: SigNozClient, item: PlanItem, *, lock: bool, force: bool) -> Result:
    want = _wanted_lock(item, lock)
    try:
        if item.duplicates and item.action != Action.CONFLICT:
            return _deduplicated(client, item, _apply_one(client, _without_duplicates(item), lock=lock, force=force))
        if item.action == Action.CREATE:
            return _create(client, item, want=want)
        if item.action == Action.UPDATE:
            return _update(client, item, want=want, force=force)
        if item.action == Action.DELETE:
            return _delete(client, item, force=force)
        if item.action == Action.UNCHANGED:
            return _unchanged(client, item, want=want)
        outcome = {Action.CONFLICT: Outcome.CONFLICT, Action.DRIFT: Outcome.DRIFT, Action.ORPHAN: Outcome.ORPHAN}
        return Result(item, outcome[item.action], item.server_id, locked=item.locked, message=item.reason)
    except SigNozError as exc:
        return Result(item, Outcome.FAILED, item.server_id, locked=item.locked, message=str(exc), error=exc)


def _without_duplicates(item: PlanItem) -> PlanItem:
    return replace(item, duplicates=())


def _deduplicated(client: SigNozClient, item: PlanItem, result: Result) -> Result:
    """Delete a rule's unedited copies, after the kept one was handled; said in its result."""
    result.item = item
    kind, deleted, kept = item.kind, [], []
    for duplicate in item.duplicates:
        try:
            # Read again, as before any delete: a copy saved in SigNoz since the plan holds someone's work.
            fresh = kind.get(client, duplicate)
            if kind.content_hash(fresh) != kind.recorded_hash(fresh):
                kept.append(duplicate)
                continue
            kind.delete_surely(client, duplicate)
        except NotFound:
            pass  # gone already
        except SigNozError as exc:
            _add_note(result, f"could not delete duplicate {duplicate}: {exc}")
            result.error = result.error or exc
            break
        deleted.append(duplicate)
    if deleted:
        _add_note(result, f"deleted {len(deleted)} duplicate{'s' if len(deleted) > 1 else ''} (ids {', '.join(deleted)})")
    for duplicate in kept:
        _add_note(result, f"kept duplicate {duplicate}: edited in SigNoz after the plan was made")
    return result


def _add_note(result: Result, note: str) -> None:
    result.message = f"{result.message}; {note}" if result.message else note


def _create(client: SigNozClient, item: PlanItem, *, want: bool | None) -> Result:
    kind, desired = item.kind, item.desired
    assert desired is not None
    ours = kind.recorded_hash(desired)
    try:
        # If the POST's fate is uncertain, one with our identity and our content hash is ours.
        created = kind.create(client, desired, lambda found: kind.recorded_hash(found) == ours)
    except Conflict:
        # The identity was taken between plan and apply, e.g. by another CI job pushing the same commit.
        same = [found for found in kind.find(client, item.name) if kind.recorded_hash(found) == ours]
        if len(same) == 1:
            return Result(item, Outcome.UNCHANGED, str(same[0]["id"]), locked=kind.locked(same[0]),
                          message="created meanwhile by another push, with the same content")
        return Result(item, Outcome.CONFLICT, None,
                      message=f"the {kind.identity_word} was taken in SigNoz after the plan was made")
    created_id = str(created.get("id"))
    if want:
        failed = _set_lock(client, item, created_id, True)
        if failed is not None:  # it was created all the same: say so, with its id
            return Result(item, Outcome.CREATED, created_id, message=f"lock failed: {failed}", error=failed)
    return Result(item, Outcome.CREATED, created_id, locked=bool(want))


def _set_lock(client: SigNozClient, item: PlanItem, resource_id: str, locked: bool) -> SigNozError | None:
    """Lock or unlock a dashboard; a failure is returned, to be reported beside the write it follows."""
    try:
        (item.kind.lock if locked else item.kind.unlock)(client, resource_id)
    except SigNozError as exc:
        return exc
    return None


def _fresh(client: SigNozClient, item: PlanItem, *, force: bool, verb: str) -> tuple[dict[str, Any] | None, Result | None]:
    """The server copy read again before a write, or the drift result when it moved since the plan."""
    assert item.server_id is not None
    fresh = item.kind.get(client, item.server_id)
    if not force and fresh.get("updatedAt") != item.updated_at:
        who = printable(fresh.get("updatedBy") or "someone", limit=100)  # server text: one safe line
        return None, Result(item, Outcome.DRIFT, item.server_id, locked=item.kind.locked(fresh),
                            message=f"changed in SigNoz by {who} after the plan was made; not {verb}")
    return fresh, None


def _update(client: SigNozClient, item: PlanItem, *, want: bool | None, force: bool) -> Result:
    fresh, drift = _fresh(client, item, force=force, verb="overwritten")
    if drift is not None:
        return drift
    assert fresh is not None and item.server_id is not None and item.desired is not None
    kind = item.kind
    was_locked = kind.locked(fresh)
    if was_locked:
        kind.unlock(client, item.server_id)  # a locked dashboard refuses PUT
    relock = was_locked if want is None else want
    try:
        kind.update(client, item.server_id, item.desired)
    except SigNozError as exc:
        # Leave it locked as we found it; the update's error is the one to report, and a failed
        # re-lock is said too, since the dashboard is now open to edits.
        failed = _set_lock(client, item, item.server_id, True) if was_locked else None
        message = f"{exc}; lock failed: {failed}" if failed else str(exc)
        return Result(item, Outcome.FAILED, item.server_id, locked=was_locked and not failed, message=message, error=exc)
    if relock:
        failed = _set_lock(client, item, item.server_id, True)
        if failed is not None:  # updated all the same
            return Result(item, Outcome.UPDATED, item.server_id, message=f"lock failed: {failed}", error=failed)
    return Result(item, Outcome.UPDATED, item.server_id, locked=relock, message=item.reason)


def _unchanged(client: SigNozClient, item: PlanItem, *, want: bool | None) -> Result:
    """Nothing to write but, where the plan or `lock` asks, the lock state."""
    if want is None or want == item.locked:
        return Result(item, Outcome.UNCHANGED, item.server_id, locked=item.locked)
    assert item.server_id is not None
    (item.kind.lock if want else item.kind.unlock)(client, item.server_id)
    return Result(item, Outcome.UNCHANGED, item.server_id, locked=want, message="locked" if want else "unlocked")


def _delete(client: SigNozClient, item: PlanItem, *, force: bool) -> Result:
    """Prune: delete what no definition holds any more, unless it was edited since the plan."""
    try:
        fresh, drift = _fresh(client, item, force=force, verb="deleted")
    except NotFound:
        return Result(item, Outcome.DELETED, item.server_id, message="already gone from SigNoz")
    if drift is not None:
        return drift
    assert fresh is not None and item.server_id is not None
    kind = item.kind
    was_locked = kind.locked(fresh)
    if was_locked:
        kind.unlock(client, item.server_id)  # SigNoz refuses to delete a locked dashboard
    try:
        kind.delete_surely(client, item.server_id)
    except SigNozError as exc:
        failed = _set_lock(client, item, item.server_id, True) if was_locked else None
        message = f"{exc}; lock failed: {failed}" if failed else str(exc)
        return Result(item, Outcome.FAILED, item.server_id, locked=was_locked and not failed, message=message, error=exc)
    return Result(item, Outcome.DELETED, item.server_id, message=item.reason)
