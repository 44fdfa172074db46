"""One push at a time per SigNoz organisation: a lock that SigNoz itself enforces.

SigNoz keeps no unique index on alert rules, so two pushes that plan at the same moment both see a
rule missing and both create it. Dashboard names, though, are unique per organisation from 0.135
(a second POST with a name is a 409). A push therefore creates a small marker dashboard with a
fixed name before it plans and deletes it when it ends: whoever creates it holds the lock, everyone
else gets a 409 and waits (polling, until their deadline).

The marker is plainly a lock to a person who sees it in the dashboard list: its title says a push
is in progress, its description who holds it, since when, and when it counts as abandoned. It
carries the managed tag, and its description records when it expires (the holder's deadline plus a
grace period): a push that finds an expired lock (its holder crashed or was killed) deletes it,
saying so, and takes its own. Deleting by id means a late breaker can only remove the stale marker,
never the fresh one that replaced it.

Servers before 0.135 refuse no duplicate name (the v1 API has no names at all: signoz-dac's
identity tag stands in). There a push holds the lock only when, after its marker was created, it
sees no other live marker: of two pushes that create theirs at once, the later to look sees both,
so at most one goes on; one that sees another removes its own and waits, as after a 409.

`PushLock` is the interface apply's caller uses; `push_lock` gives the lock for a server.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from signoz_dac.signoz.deadline import Deadline
from signoz_dac.signoz.errors import Conflict, DeadlineExceeded, NotFound, SigNozError
from signoz_dac.identity import MANAGED_TAG, MANAGED_VALUE, is_managed
from signoz_dac.sync.kinds import DASHBOARD

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient

LOCK_NAME = "signoz-dac-push-lock"
LOCK_TAG = {"key": "signoz-dac-lock", "value": "push"}
GRACE = 60.0  # beyond the holder's deadline, for clocks that disagree a little
DEFAULT_HOLD = 15 * 60.0  # how long a lock counts as held when its push has no deadline
RELEASE_SECONDS = 15.0  # the release gets its own time: it runs when the push's deadline may be gone
_RECORD = re.compile(r"\[lock ([0-9a-f]{16}) expires (\d{1,12})\]")


class LockError(SigNozError):
    """The lock cannot be taken: its name is held by a dashboard signoz-dac did not create."""


class PushLock(Protocol):
    def acquire(self) -> None:
        """Block until this push may write (or raise: DeadlineExceeded, LockError, SigNozError)."""

    def release(self) -> str | None:
        """Let the next push in; a message when that failed (the lock then expires on its own)."""


def push_lock(client: SigNozClient, *, notice: Callable[[str], None]) -> PushLock:
    """The lock for this server: a marker dashboard (see the module's docstring)."""
    return DashboardLock(client, notice=notice)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lock_body(token: str, holder: str, taken: float, expires: float) -> dict[str, Any]:
    """The marker dashboard: empty, titled and described for the person who sees it in SigNoz."""
    description = (
        f"signoz-dac creates this dashboard while a push writes dashboards and alert rules, so that two "
        f"pushes never write at once, and deletes it when the push ends. Held by {holder} since "
        f"{_iso(taken)}; a push after {_iso(expires)} treats it as abandoned and removes it. "
        f"[lock {token} expires {int(expires)}]"
    )
    return {
        "schemaVersion": "v6",
        "name": LOCK_NAME,
        "tags": [{"key": MANAGED_TAG, "value": MANAGED_VALUE}, dict(LOCK_TAG)],
        "spec": {
            "display": {"name": "signoz-dac: push in progress (lock, removed when it ends)",
                        "description": description},
            "panels": {},
            "layouts": [],
            "variables": [],
        },
    }


def _record(dashboard: dict[str, Any]) -> tuple[str, float] | None:
    """(token, expiry) from a marker's description (list shape: `spec.display`); None if absent."""
    display = (dashboard.get("spec") or {}).get("display") or {}
    match = _RECORD.search(display.get("description") or "")
    return (match.group(1), float(match.group(2))) if match else None


class DashboardLock:
    """The marker-dashboard lock (see the module's docstring)."""

    def __init__(
        self,
        client: SigNozClient,
        *,
        notice: Callable[[str], None],
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        poll: tuple[float, float] = (0.2, 2.0),
        holder: str | None = None,
    ):
        self._client = client
        self._notice = notice
        self._clock = clock
        self._sleep = sleep
        self._poll = poll
        self._holder = holder or f"signoz-dac on {socket.gethostname()} (pid {os.getpid()})"
        self._rng = random.Random()
        self._held: tuple[str, float] | None = None  # (dashboard id, expiry) while we hold it

    def _hold_for(self) -> float:
        deadline = self._client.deadline
        return (deadline.remaining() if deadline is not None else DEFAULT_HOLD) + GRACE

    def acquire(self) -> None:
        delay, started, told = self._poll[0], self._clock(), False
        while True:
            now = self._clock()
            token, expires = secrets.token_hex(8), now + self._hold_for()
            try:
                created = self._client.create_dashboard(
                    lock_body(token, self._holder, now, expires),
                    matches=lambda d, token=token: (_record(d) or ("", 0))[0] == token,
                )
            except Conflict:
                pass
            else:
                self._held = (str(created["id"]), expires)
                if self._client.unique_dashboard_names or self._alone(now):
                    return
                self._let_go()  # another push's marker is there too: it may go first
            holders = self._client.find_by_name(LOCK_NAME)
            until = None  # none: released between our POST and our look
            if holders:
                current = holders[0]
                if not is_managed(current):
                    raise LockError(
                        f"a dashboard named {LOCK_NAME!r} (id {current.get('id')}) exists that signoz-dac did not "
                        "create; push uses that name for its lock: rename or delete that dashboard"
                    )
                record = _record(current)
                if record is None or record[1] < now:
                    self._break(current, record)
                else:
                    until = record[1]
                    if not told:
                        self._notice(f"waiting for another push to finish (it holds the lock until {_iso(until)} "
                                     f"at the latest; see the dashboard {LOCK_NAME!r})")
                        told = True
            self._pause(delay, started, until)
            delay = min(delay * 1.5, self._poll[1])

    def _alone(self, now: float) -> bool:
        """After creating our marker, where names are not unique: is it the only live one? Stale
        markers are removed on the way."""
        assert self._held is not None
        for other in self._client.find_by_name(LOCK_NAME):
            if str(other.get("id")) == self._held[0]:
                continue
            record = _record(other)
            if not is_managed(other) or (record is not None and record[1] >= now):
                return False
            self._break(other, record)
        return True

    def _let_go(self) -> None:
        problem = self.release()
        if problem is not None:
            raise SigNozError(problem)

    def _pause(self, delay: float, started: float, until: float | None) -> None:
        """Wait a little before the next try; DeadlineExceeded if the deadline comes first."""
        deadline = self._client.deadline
        if deadline is not None and deadline.remaining() <= delay:
            held = f" (the dashboard {LOCK_NAME!r}, until {_iso(until)} at the latest)" if until else ""
            raise DeadlineExceeded(
                f"gave up waiting for another push after {self._clock() - started:.0f} s: it still holds the "
                f"lock{held} and the deadline of {deadline} passed; nothing was written"
            )
        self._sleep(self._rng.uniform(delay / 2, delay))

    def _break(self, stale: dict[str, Any], record: tuple[str, float] | None) -> None:
        when = f"it expired at {_iso(record[1])}" if record else "it records no expiry"
        self._notice(f"removing a stale push lock (dashboard id {stale.get('id')}; {when}): the push that took "
                     "it did not end cleanly")
        try:
            if stale.get("locked"):
                self._client.unlock_dashboard(str(stale["id"]))
            self._client.delete_dashboard(str(stale["id"]))
        except NotFound:
            pass  # another push removed it first

    def release(self) -> str | None:
        if self._held is None:
            return None
        lock_id, expires = self._held
        saved, self._client.deadline = self._client.deadline, Deadline(RELEASE_SECONDS)
        try:
            DASHBOARD.delete_surely(self._client, lock_id)  # gone already: someone removed it as stale
        except SigNozError as exc:
            return (f"could not remove the push lock (dashboard {lock_id}): {exc}; it expires at {_iso(expires)}, "
                    "or delete it in SigNoz")
        finally:
            self._client.deadline = saved
        self._held = None
        return None
