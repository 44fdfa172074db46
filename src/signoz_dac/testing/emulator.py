"""A SigNoz API emulator: a real HTTP server on 127.0.0.1 speaking SigNoz's dashboards and rules APIs
as the release it is asked to be (0.138 by default).

For our tests and for users' own CI (`from signoz_dac.testing import SigNozEmulator`):

    with SigNozEmulator(api_keys={"secret": "editor"}) as signoz:
        client = SigNozClient(signoz.url, "secret")
        ...
        assert signoz.writes == 0

    SigNozEmulator(version="0.134.0")                          # v1 (v5) dashboards, both rules APIs
    SigNozEmulator(version="0.134.0", use_dashboard_v2=True)   # the same, with the flag on
    SigNozEmulator(version="0.119.0")                          # v1 dashboards and v1 rules only

Each route exists from the release that brought it (`/api/v2/dashboards` in steps from 0.127,
`/api/v2/rules` from 0.120; older ones answer Go's plain 404), and the v1 dashboards API, the v1
rules API and the feature flags behave as SigNoz 0.134's (`legacy.py`), over the same store.
`route_for(CREATE)` names the route signoz-dac uses for a call on this release (for `inject`).

It answers as SigNoz v0.138 does (routes in `pkg/apiserver/signozapiserver/dashboard.go`, handlers in
`pkg/modules/dashboard/impldashboard/v2_handler.go`; see docs/signoz-facts.md): the success and error
envelopes (`pkg/http/render/render.go`) and their status codes, `SIGNOZ-API-KEY` auth (401 without a known key, 403 for a viewer
writing), bodies validated with the server's rules (`signoz_dac.signoz.v6`, so unknown fields are
rejected at every level), 409 on a duplicate `name` (the unique index of 0.135+), an immutable
`name`, locked dashboards refusing PUT and DELETE, list pagination (`limit` clamped to 200) that
returns `spec.display` only, the raw `GET /api/v1/version`, and v1 dashboard routes answering 501
`dashboard_deprecated` from 0.135.

Alert rules follow the v0.138 OpenAPI: `GET/POST /api/v2/rules` (the list is one
array of full rules; POST answers 201 with the rule), `GET/PUT/DELETE /api/v2/rules/{id}` (PUT and
DELETE answer 204). Bodies are validated with `signoz_dac.signoz.rules.parse_rule`, as SigNoz
validates a write. SigNoz keeps no unique index on rule names and the OpenAPI lists no 409 for
rules, so neither does the emulator: two rules may share a name, and spotting that is the client's
job. Notification channels (`GET /api/v1/channels`) are whatever the test configures; a rule naming
a channel the org lacks is a 400, as in SigNoz.

It stores like SigNoz v0.138 (by default; pass `normaliser=None` / `rule_normaliser=None` to keep
bodies verbatim): a re-read differs from what was sent just as it does on a real server.
- Dashboards are kept in their stored form (`signoz.v6.stored_dashboard`): every default written
  out, enums folded, step intervals in seconds, builder keys normalised, function names lower-case,
  `display.name` filled from `name`, tags trimmed, deduplicated and re-cased to the spelling of an
  existing org tag; an empty `links` is left out.
- Rules are read back as SigNoz reads them (`signoz.rules.stored_rule`): version v5, schemaVersion
  and the v1 windows filled in, ruleType from the query type, thresholds with `recoveryTarget` and
  `channels`, `notificationSettings.usePolicy`; a v1 rule without what the server derives from it.
  POST answers with zero audit fields and `state: ""`, as SigNoz does.
- Numbers go out as Go writes them (1.0 as `1`).

Faults can be injected per route: bursts of 5xx, 429 with Retry-After, connection resets, slow
responses, a request that is carried out only after a delay (it commits after the client has given
up), and a POST that is committed but whose response is lost; `faults.py` adds a hostile server's:
any reply instead of the real one (HTML, invalid JSON, wrong shapes, escape sequences, the key
echoed back), an answer trickled byte by byte, no answer at all. Counters of requests per route
and the peak number of requests in flight let tests assert "zero writes" and concurrency bounds.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import socket
import struct
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.dashboards_v1 import is_v5
from signoz_dac.signoz.owned import RULE_SERVER_FIELDS
from signoz_dac.signoz.versions import V2_DASHBOARD_LIST_SINCE, V2_RULES_SINCE, V6_SINCE, parse_version
from signoz_dac.testing import faults, legacy
from signoz_dac.testing.basics import Reply as _Reply
from signoz_dac.testing.basics import clone as _clone
from signoz_dac.testing.basics import now as _now
from signoz_dac.testing.basics import uuid7
from signoz_dac.testing.legacy import (
    FEATURES,
    V1_CREATE,
    V1_DASHBOARD_ROUTES,
    V1_DELETE,
    V1_GET,
    V1_LIST,
    V1_LOCK,
    V1_RULE_CREATE,
    V1_RULE_DELETE,
    V1_RULE_GET,
    V1_RULE_ROUTES,
    V1_RULE_UPDATE,
    V1_RULES_LIST,
    V1_UPDATE,
    LegacyRoutes,
    is_v1_row,
    v6_view,
)

LIST = "GET /api/v2/dashboards"
CREATE = "POST /api/v2/dashboards"
GET = "GET /api/v2/dashboards/{id}"
UPDATE = "PUT /api/v2/dashboards/{id}"
DELETE = "DELETE /api/v2/dashboards/{id}"
LOCK = "PUT /api/v2/dashboards/{id}/lock"
UNLOCK = "DELETE /api/v2/dashboards/{id}/lock"
VERSION = "GET /api/v1/version"
RULES_LIST = "GET /api/v2/rules"
RULE_CREATE = "POST /api/v2/rules"
RULE_GET = "GET /api/v2/rules/{id}"
RULE_UPDATE = "PUT /api/v2/rules/{id}"
RULE_DELETE = "DELETE /api/v2/rules/{id}"
CHANNELS = "GET /api/v1/channels"
RULE_ROUTES = frozenset({RULES_LIST, RULE_CREATE, RULE_GET, RULE_UPDATE, RULE_DELETE})
_ZERO_AUDIT = {"createdAt": "0001-01-01T00:00:00Z", "createdBy": "", "updatedAt": "0001-01-01T00:00:00Z", "updatedBy": ""}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# When each route first shipped (SigNoz's release tags); older servers answer Go's plain 404.
_ROUTE_SINCE = {
    CREATE: (0, 127, 0),
    GET: (0, 127, 0),
    UPDATE: (0, 128, 0),
    LOCK: (0, 128, 0),
    UNLOCK: (0, 128, 0),
    LIST: V2_DASHBOARD_LIST_SINCE,
    DELETE: V2_DASHBOARD_LIST_SINCE,
    **{route: V2_RULES_SINCE for route in RULE_ROUTES},
    # Older than any release signoz-dac supports: always there.
    **{route: (0, 0, 0) for route in (CHANNELS, FEATURES, *V1_RULE_ROUTES, *V1_DASHBOARD_ROUTES)},
}
V1_DEPRECATED_SINCE = V6_SINCE
UNIQUE_NAMES_SINCE = V6_SINCE  # migration 103 added UNIQUE (org_id, name)
_V1_TO_V2_RULE = {V1_RULES_LIST: RULES_LIST, V1_RULE_CREATE: RULE_CREATE, V1_RULE_GET: RULE_GET,
                  V1_RULE_UPDATE: RULE_UPDATE, V1_RULE_DELETE: RULE_DELETE}
# A v2 route and its counterpart where signoz-dac takes the v1 API (`route_for`).
_V2_TO_V1 = {LIST: V1_LIST, CREATE: V1_CREATE, GET: V1_GET, UPDATE: V1_UPDATE, DELETE: V1_DELETE, LOCK: V1_LOCK,
             UNLOCK: V1_LOCK}
_V2_TO_V1_RULE = {v2: v1 for v1, v2 in _V1_TO_V2_RULE.items()}

RESERVED_LIST_KEYS = ["name", "description", "created_at", "updated_at", "created_by", "locked"]
ROLES = ("admin", "editor", "viewer")

# The kinds of fault `inject` understands.
STATUS = "status"  # answer with an error status (a burst of 5xx, or 429 with Retry-After)
RESET = "reset"  # close the connection without a response, before doing anything
SLOW = "slow"  # do the work, then wait `delay` seconds before answering
STALL = "stall"  # wait `delay` seconds, then do the work: an overloaded server commits after the client gave up
COMMIT_THEN_DROP = "commit_then_drop"  # do the work (e.g. store the POST), then drop the connection
FAULT_KINDS = frozenset({STATUS, RESET, SLOW, STALL, COMMIT_THEN_DROP}) | faults.KINDS


@dataclass
class Fault:
    kind: str
    route: str | None = None  # a route such as CREATE, a bare method ("POST"), or None for any API route
    times: int = 1
    status: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    body: Any = None  # faults.REPLY and COMMIT_THEN_REPLY: what to answer
    headers: dict[str, str] | None = None
    content_type: str | None = None

    def applies_to(self, route: str) -> bool:
        if self.route is None:
            return route != VERSION and route.split(" ", 1)[-1].startswith("/api/")
        return self.route == route or self.route == route.split(" ", 1)[0]


def _default_validator(body: dict[str, Any], *, updatable: bool) -> None:
    from signoz_dac.signoz.v6 import parse_dashboard

    parse_dashboard(body, updatable=updatable)


def _default_normaliser(body: dict[str, Any]) -> dict[str, Any]:
    # What SigNoz keeps of a dashboard body and returns on a re-read.
    from signoz_dac.signoz.v6 import stored_dashboard

    return stored_dashboard(body)


def _default_rule_validator(body: dict[str, Any]) -> None:
    from signoz_dac.signoz.rules import parse_rule

    parse_rule(body)


def _default_rule_normaliser(body: dict[str, Any]) -> dict[str, Any]:
    # SigNoz stores the request as it came and re-reads it, with its defaults, on every GET.
    from signoz_dac.signoz.rules import stored_rule

    return stored_rule(body)


def _rule_channels(body: dict[str, Any]) -> list[str]:
    """The channels a rule notifies: its thresholds' (v2alpha1) or `preferredChannels` (v1)."""
    condition = body.get("condition")
    condition = condition if isinstance(condition, dict) else {}
    thresholds = condition.get("thresholds")
    thresholds = thresholds if isinstance(thresholds, dict) else {}
    names = [c for level in thresholds.get("spec") or [] if isinstance(level, dict) for c in level.get("channels") or []]
    if body.get("schemaVersion") in (None, "", "v1"):
        names += body.get("preferredChannels") or []
    return [n for n in names if isinstance(n, str)]


def _issues_text(exc: SchemaError) -> str:
    text = "; ".join(f"{issue.path}: {issue.message}" if issue.path else issue.message for issue in exc.issues)
    return text or str(exc)


class SigNozEmulator(LegacyRoutes):
    """The emulated server. Use it as a context manager, or call `start()` and `stop()`."""

    def __init__(
        self,
        *,
        version: str = "v0.138.0",
        api_keys: dict[str, str] | None = None,
        latency: float = 0.0,
        validator: Callable[..., None] | None = _default_validator,
        normaliser: Callable[[dict[str, Any]], dict[str, Any]] | None = _default_normaliser,
        org_id: str | None = None,
        channels: Iterable[str] = (),
        rule_validator: Callable[[dict[str, Any]], None] | None = _default_rule_validator,
        rule_normaliser: Callable[[dict[str, Any]], dict[str, Any]] | None = _default_rule_normaliser,
        go_floats: bool = True,
        use_dashboard_v2: bool = False,
    ):
        """`version`: the release to be, "0.134.0" or "v0.134.0" (a build string such as
        "main-abc123" serves everything, as a development build would). `use_dashboard_v2`: that
        flag, on releases 0.126-0.134 (its default is off). `go_floats`: write whole-number floats
        in responses as integers (1.0 as `1`), as SigNoz's Go JSON encoder does. `normaliser` /
        `rule_normaliser`: how a body is stored (None: as sent)."""
        self.version = f"v{version}" if parse_version(version) is not None and not version.startswith("v") else version
        self.use_dashboard_v2 = use_dashboard_v2
        self.api_keys = dict(api_keys if api_keys is not None else {"test-key": "editor"})
        for role in self.api_keys.values():
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; use one of {ROLES}")
        self.latency = latency
        self.validator = validator
        self.normaliser = normaliser
        self.org_id = org_id or uuid7()
        self.rule_validator = rule_validator
        self.rule_normaliser = rule_normaliser
        self.go_floats = go_floats
        self.dashboards: dict[str, dict[str, Any]] = {}  # id -> stored (gettable) dashboard
        self.rules: dict[str, dict[str, Any]] = {}  # id -> stored (gettable) rule
        self.channels: list[dict[str, Any]] = []
        self.calls: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: list[Fault] = []
        self._lock = threading.RLock()
        for name in channels:
            self.add_channel(name)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> SigNozEmulator:
        """Serve on `host`:`port` (0: a free port) in a background thread; `url` says where."""
        server = ThreadingHTTPServer((host, port), _make_handler(self))
        server.daemon_threads = True
        server.block_on_close = False  # keep-alive connections must not hold up stop()
        server.handle_error = lambda request, address: None  # type: ignore[method-assign,assignment]  # a client gone mid-reply is expected
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="signoz-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        # shutdown() returns once the serving loop sees its flag, which it looks at when its select()
        # returns: a connection makes that happen now instead of at the end of the poll interval
        # (stopping took ~15 ms each, in a test suite that starts hundreds of emulators).
        stopping = threading.Thread(target=server.shutdown, name="signoz-emulator-stop", daemon=True)
        stopping.start()
        host, port = server.server_address[:2]
        with contextlib.suppress(OSError), socket.create_connection((str(host), port), timeout=1):
            pass
        stopping.join()
        server.server_close()

    def __enter__(self) -> SigNozEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- what tests look at --------------------------------------------------------------------

    @property
    def writes(self) -> int:
        """Write requests received on any route, dashboards and rules (faulted ones included)."""
        with self._lock:
            return sum(n for route, n in self.calls.items() if route.split(" ", 1)[0] in WRITE_METHODS)

    def reset_counters(self) -> None:
        with self._lock:
            self.calls.clear()
            self.max_in_flight = 0

    def by_name(self, name: str) -> list[dict[str, Any]]:
        """The stored dashboards with this name, as signoz-dac reads them: a v1 (v5) dashboard is
        named by signoz-dac's identity tag and converted to v6 as SigNoz converts it."""
        with self._lock:
            return [_clone(v6_view(d)) for d in self.dashboards.values() if d["name"] == name]

    def names(self) -> list[str]:
        """The name of every stored dashboard (as `by_name` reads it), sorted."""
        with self._lock:
            return sorted(d["name"] for d in self.dashboards.values())

    def get(self, name: str) -> dict[str, Any]:
        """The one stored dashboard with this name (a test helper: fails on none or several)."""
        found = self.by_name(name)
        if len(found) != 1:
            raise AssertionError(f"expected one dashboard named {name!r}, found {len(found)}")
        return found[0]

    def rules_named(self, alert: str) -> list[dict[str, Any]]:
        with self._lock:
            return [_clone(r) for r in self.rules.values() if r.get("alert") == alert]

    def rule(self, alert: str) -> dict[str, Any]:
        """The one stored rule with this name (`alert`); fails on none or several."""
        found = self.rules_named(alert)
        if len(found) != 1:
            raise AssertionError(f"expected one rule named {alert!r}, found {len(found)}")
        return found[0]

    # -- what tests do -------------------------------------------------------------------------

    def add_channel(self, name: str, type_: str = "slack") -> dict[str, Any]:
        """A notification channel, as an admin would create it (rules refer to it by `name`)."""
        with self._lock:
            now = _now()
            channel = {"id": uuid7(), "name": name, "type": type_, "data": "{}", "orgId": self.org_id,
                       "createdAt": now, "updatedAt": now}
            self.channels.append(channel)
            return _clone(channel)

    def seed_rule(self, body: dict[str, Any], *, by: str = "someone@example.com") -> dict[str, Any]:
        """Store a rule as if a person had created it in the UI (no counters, no faults). A stored
        rule may be given: its server fields are dropped, so this copies it."""
        body = {k: v for k, v in _clone(body).items() if k not in RULE_SERVER_FIELDS}
        with self._lock:
            return _clone(self._store_rule(body, by=by))

    def edit_rule(self, alert: str, change: Callable[[dict[str, Any]], Any], *, by: str = "someone@example.com") -> None:
        """Edit a stored rule "as the UI would": `change` mutates it; audit fields move on."""
        with self._lock:
            matches = [r for r in self.rules.values() if r.get("alert") == alert]
            if len(matches) != 1:
                raise AssertionError(f"expected one rule named {alert!r}, found {len(matches)}")
            change(matches[0])
            matches[0]["updatedAt"], matches[0]["updatedBy"] = _now(), by

    def inject(
        self,
        kind: str,
        *,
        route: str | None = None,
        times: int = 1,
        status: int = 503,
        retry_after: float | None = None,
        delay: float = 0.0,
        body: Any = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> None:
        """Make the next `times` matching requests fail in the given way (see STATUS, RESET...,
        and faults.REPLY, TRICKLE...)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; use one of {sorted(FAULT_KINDS)}")
        with self._lock:
            self._faults.append(Fault(kind, route, times, status, retry_after, delay, body, headers, content_type))

    def clear_faults(self) -> None:
        """Forget every fault not met yet."""
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> int:
        with self._lock:
            return sum(f.times for f in self._faults)

    def seed(self, body: dict[str, Any], *, locked: bool = False, by: str = "someone@example.com",
             v1: bool | None = None) -> dict[str, Any]:
        """Store a dashboard as if a person had created it in the UI (no counters, no faults), and
        return it as `by_name` does. `v1`: store it in v1's form, as v5 JSON named by signoz-dac's
        identity tag; by default, where this release's UI makes dashboards that way (before 0.135,
        with `use_dashboard_v2` off). A v5 body (with `title`, no `spec`) is stored as it is."""
        v1 = self.ui_makes_v1() if v1 is None else v1
        with self._lock:
            if "spec" not in body and is_v5(body):
                stored = self.store_v1(_clone(body), by=by)
            elif v1:
                stored = self.store_v1(self.v1_data_of(body), by=by)
            else:
                stored = self._store(_clone(body), by=by)
            stored["locked"] = locked
            return _clone(v6_view(stored))

    def edit(self, name: str, change: Callable[[dict[str, Any]], Any], *, by: str = "someone@example.com") -> None:
        """Edit a stored dashboard "as the UI would": `change` mutates it (as `by_name` reads it: a v1
        one is stored back as its v5 JSON); audit fields move on."""
        with self._lock:
            matches = [d for d in self.dashboards.values() if d["name"] == name]
            if len(matches) != 1:
                raise AssertionError(f"expected one dashboard named {name!r}, found {len(matches)}")
            stored = matches[0]
            if is_v1_row(stored):
                view = v6_view(stored)
                change(view)
                stored.update(data=self.v1_data_of(view), locked=bool(view.get("locked")), name=view["name"])
            else:
                change(stored)
            stored["updatedAt"], stored["updatedBy"] = _now(), by

    def ui_makes_v1(self) -> bool:
        """Does this release's UI (as configured) make v1 (v5) dashboards?"""
        return self.serves_v1_dashboards() and not self.flag_active()

    def route_for(self, route: str) -> str:
        """The route signoz-dac calls on this release for what `route` does on 0.135+: a v1 dashboards
        route before 0.135 (with `use_dashboard_v2` off), a v1 rules route before 0.120."""
        if route in _V2_TO_V1 and self.ui_makes_v1():
            return _V2_TO_V1[route]
        if route in _V2_TO_V1_RULE and not self._at_least(V2_RULES_SINCE):
            return _V2_TO_V1_RULE[route]
        return route

    # -- the server's behaviour ----------------------------------------------------------------

    def _at_least(self, since: tuple[int, int, int]) -> bool:
        number = parse_version(self.version)
        return number is None or number >= since  # a dev build has everything

    def _take_fault(self, route: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.applies_to(route):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _store(self, body: dict[str, Any], *, by: str) -> dict[str, Any]:
        if body.pop("generateName", False) and not body.get("name"):
            slug = re.sub(r"[^a-z0-9]+", "-", body.get("spec", {}).get("display", {}).get("name", "").lower())
            body["name"] = (slug.strip("-")[:54] or "dashboard") + "-" + secrets.token_hex(4)
        body = self._stored_form(body)
        now = _now()
        stored = {
            "id": uuid7(),
            "createdAt": now,
            "updatedAt": now,
            "createdBy": by,
            "updatedBy": by,
            "orgId": self.org_id,
            "locked": False,
            "source": "user",
            "schemaVersion": body.get("schemaVersion"),
            "image": body.get("image", ""),
            "name": body.get("name"),
            "tags": body.get("tags") or [],
            "spec": body["spec"],
        }
        self.dashboards[stored["id"]] = stored
        return stored

    def _stored_form(self, body: dict[str, Any]) -> dict[str, Any]:
        """A POST or PUT body as this server keeps it. A body SigNoz would refuse only arrives
        through `seed` (a test of what a legacy or hostile server holds): it is kept as given."""
        if self.normaliser is not None:
            try:
                body = self.normaliser(body)
            except SchemaError:
                return _clone(body)
            body["tags"] = [self._org_tag(tag) for tag in body.get("tags") or []]
            return body
        body = _clone(body)
        display = body.setdefault("spec", {}).setdefault("display", {})
        if not display.get("name"):
            display["name"] = body.get("name", "")
        display.setdefault("description", "")
        return body

    def _org_tag(self, tag: dict[str, str]) -> dict[str, str]:
        """SigNoz keeps tags per organisation: a tag equal to an existing one but for case takes the
        existing spelling (pkg/modules/tag/impltag/resolve.go)."""
        wanted = (tag["key"].lower(), tag["value"].lower())
        for dashboard in self.dashboards.values():
            for existing in dashboard.get("tags") or []:
                if (existing["key"].lower(), existing["value"].lower()) == wanted:
                    return {"key": existing["key"], "value": existing["value"]}
        return tag

    def _store_rule(self, body: dict[str, Any], *, by: str, keep: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store a new rule, or (with `keep`, the stored one) replace a rule's body in place. A rule
        SigNoz could not read back only arrives through `seed_rule`: it is kept as given."""
        if self.rule_normaliser is not None:
            try:
                body = self.rule_normaliser(body)
            except SchemaError:
                body = _clone(body)
        now = _now()
        server = keep or {"id": uuid7(), "createdAt": now, "createdBy": by}
        stored = {
            **body,
            "id": server["id"],
            "state": "disabled" if body.get("disabled") else "inactive",
            "createdAt": server["createdAt"],
            "createdBy": server["createdBy"],
            "updatedAt": now,
            "updatedBy": by,
        }
        self.rules[stored["id"]] = stored
        return stored

    def _validate_rule(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _Reply(400, "invalid-input", "invalid_request_field", "request body must be a JSON object")
        if self.rule_validator is not None:
            try:
                self.rule_validator(body)
            except SchemaError as exc:
                raise _Reply(400, "invalid-input", "invalid_input", _issues_text(exc)) from None
        missing = sorted(set(_rule_channels(body)) - {c["name"] for c in self.channels})
        if missing:
            raise _Reply(400, "invalid-input", "invalid_input",
                         f"channels: the following channels do not exist: {', '.join(missing)}")
        return body

    def _handle_rule(self, route: str, ident: str | None, body: Any, writer: str) -> tuple[int, Any]:
        if route == RULES_LIST:
            return 200, [_clone(r) for r in sorted(self.rules.values(), key=lambda r: (r.get("createdAt") or r.get("createAt") or "", r["id"]))]
        if route == RULE_CREATE:
            created = _clone(self._store_rule(_clone(self._validate_rule(body)), by=writer))
            # SigNoz answers a POST with the rule before it reads it back: no audit fields, no state.
            return 201, {**created, **_ZERO_AUDIT, "state": ""}
        assert ident is not None
        stored = self.rules.get(ident)
        if stored is None:
            raise _Reply(404, "not-found", "not_found", f"rule with id {ident} not found")
        if route == RULE_GET:
            return 200, _clone(stored)
        if route == RULE_UPDATE:
            self._store_rule(_clone(self._validate_rule(body)), by=writer, keep=stored)
            return 204, None
        del self.rules[ident]  # RULE_DELETE
        return 204, None

    def _validate(self, body: Any, *, updatable: bool) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _Reply(400, "invalid-input", "invalid_request_field", "request body must be a JSON object")
        if self.validator is not None:
            try:
                self.validator(body, updatable=updatable)
            except SchemaError as exc:
                raise _Reply(400, "invalid-input", "dashboard_invalid_input", _issues_text(exc)) from None
        return body

    def _find(self, dashboard_id: str) -> dict[str, Any]:
        try:
            uuid.UUID(dashboard_id)
        except ValueError:
            raise _Reply(400, "invalid-input", "invalid_valuer", f"invalid uuid {dashboard_id!r}") from None
        stored = self.dashboards.get(dashboard_id)
        if stored is None:
            raise _Reply(404, "not-found", "not_found", f"dashboard with id {dashboard_id} doesn't exist")
        return stored

    def account(self, key: str) -> str:
        """The e-mail SigNoz records as the author of what a key's service account does: one account
        a key (`editor@...` for the first editor key, `editor-2@...` for the second, ...)."""
        role = self.api_keys[key]
        same = [k for k, r in self.api_keys.items() if r == role]
        n = same.index(key) + 1
        return f"{role}@signoz-dac.emulator" if n == 1 else f"{role}-{n}@signoz-dac.emulator"

    def handle(self, route: str, role: str, ident: str | None, query: dict[str, list[str]], body: Any,
               *, login: bool = False, account: str | None = None) -> tuple[int, Any]:
        """Serve one authorised request; returns (status, envelope data) or raises _Reply. `login`:
        the caller signed in with a login token rather than an API key; `account`: its e-mail."""
        writer = account or f"{role}@signoz-dac.emulator"
        if route.split(" ", 1)[0] in WRITE_METHODS and role == "viewer":
            action = {"POST": "create", "PUT": "update", "DELETE": "delete"}[route.split(" ", 1)[0]]
            kind = "rule" if route in RULE_ROUTES | V1_RULE_ROUTES else "dashboard"
            raise _Reply(403, "forbidden", "authz_forbidden",
                         f"serviceaccount/{role} is not authorized to perform {kind}:{action}")
        with self._lock:
            if route in RULE_ROUTES:
                return self._handle_rule(route, ident, body, writer)
            if route in V1_RULE_ROUTES:
                return legacy.v1_rule_reply(route, self._handle_rule(_V1_TO_V2_RULE[route], ident, body, writer)[1])
            if route in V1_DASHBOARD_ROUTES:
                return self.handle_v1_dashboard(route, ident, body, writer, role=role, login=login)
            if route == FEATURES:
                return 200, self.features()
            if route == CHANNELS:
                return 200, [_clone(c) for c in self.channels]
            if route == LIST:
                return 200, self._list(query)
            if route == CREATE:
                body = self._validate(body, updatable=False)
                name = body.get("name")
                if name and self._at_least(UNIQUE_NAMES_SINCE) and any(
                    d["name"] == name for d in self.dashboards.values()
                ):
                    existing = next(d["id"] for d in self.dashboards.values() if d["name"] == name)
                    # SigNoz's (misleading) message for the unique (org_id, name) violation
                    # (`impldashboard/store.go`): it names the holder's id, not the name.
                    raise _Reply(409, "already-exists", "already_exists", f"dashboard with id {existing} already exists")
                return 201, _clone(self._store(_clone(body), by=writer))
            assert ident is not None
            stored = self._find(ident)
            if is_v1_row(stored) and route != DELETE:
                raise _Reply(501, "unsupported", "dashboard_invalid_data", f"dashboard {ident} is not in v6 schema")
            if route == GET:
                return 200, _clone(stored)
            if route == UPDATE:
                body = self._validate(body, updatable=True)
                if stored["locked"]:
                    raise _Reply(400, "invalid-input", "invalid_input", "cannot update a locked dashboard, please unlock the dashboard to update")
                if body.get("name") != stored["name"]:
                    raise _Reply(400, "invalid-input", "dashboard_immutable", "name is immutable")
                fresh = self._stored_form(_clone(body))
                stored.update(
                    schemaVersion=fresh["schemaVersion"], image=fresh.get("image", ""), tags=fresh.get("tags") or [],
                    spec=fresh["spec"], updatedAt=_now(), updatedBy=writer,
                )
                return 200, _clone(stored)
            if route == DELETE:
                if stored["locked"]:
                    raise _Reply(400, "invalid-input", "invalid_input", "cannot delete a locked dashboard, please unlock the dashboard first")
                del self.dashboards[ident]
                return 204, None
            if route in (LOCK, UNLOCK):
                stored["locked"] = route == LOCK
                return 204, None
        raise _Reply(404, "not-found", "not_found", "no such route")

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        def one(key: str, default: str) -> str:
            return (query.get(key) or [default])[0]

        try:
            limit, offset = int(one("limit", "20")), int(one("offset", "0"))
        except ValueError:
            raise _Reply(400, "invalid-input", "dashboard_list_invalid", "limit and offset must be integers") from None
        if limit < 0 or offset < 0:
            raise _Reply(400, "invalid-input", "dashboard_list_invalid", "limit and offset must not be negative")
        limit = min(limit or 20, 200)
        sort, order = one("sort", "updated_at"), one("order", "desc")
        if sort not in ("updated_at", "created_at", "name") or order not in ("asc", "desc"):
            raise _Reply(400, "invalid-input", "dashboard_list_invalid", f"invalid sort {sort!r} or order {order!r}")
        rows = [_v2_listed(d) for d in self.dashboards.values() if d["source"] != "system"]
        rows = [d for d in rows if _matches(d, one("query", ""))]
        field = {"updated_at": "updatedAt", "created_at": "createdAt", "name": "name"}[sort]
        rows.sort(key=lambda d: (d[field], d["id"]), reverse=order == "desc")
        page = [_clone(d) for d in rows[offset:offset + limit]]
        all_tags = sorted({(t["key"], t["value"]) for d in self.dashboards.values() for t in d["tags"]})
        return {
            "dashboards": page,
            "total": len(rows),
            "tags": [{"key": k, "value": v} for k, v in all_tags],
            "reservedKeywords": RESERVED_LIST_KEYS,
        }


def _v2_listed(row: dict[str, Any]) -> dict[str, Any]:
    """A stored dashboard in the v2 list: `spec.display` only; a v1 one with `legacy: true`, its title
    as display name, and neither name nor tags (v1 keeps them in its JSON, not in SigNoz's tables)."""
    if is_v1_row(row):
        data = row["data"] if isinstance(row["data"], dict) else {}
        display = {"name": str(data.get("title") or ""), "description": str(data.get("description") or "")}
        server = {k: v for k, v in row.items() if k not in ("data", "name", "tags")}
        return {**server, "schemaVersion": "", "name": "", "tags": [], "spec": {"display": display}, "legacy": True}
    return {**{k: v for k, v in row.items() if k != "spec"}, "spec": {"display": row["spec"].get("display", {})},
            "legacy": False}


# A small part of the list DSL (`listfilter_visitor.go`): `key = 'value'`, `key != 'value'`,
# `key CONTAINS 'value'` and `key EXISTS`, joined by AND. Other forms get the server's 400.
_CLAUSE = re.compile(r"^\s*([A-Za-z$_@{#][A-Za-z0-9$_@#{}:/.-]*)\s*(?:(=|!=|CONTAINS)\s*'([^']*)'|(EXISTS))\s*$", re.I)


def _matches(dashboard: dict[str, Any], query: str) -> bool:
    if not query.strip():
        return True
    if len(query) > 1024:
        raise _Reply(400, "invalid-input", "dashboard_list_filter_invalid", "query is longer than 1024 characters")
    for clause in re.split(r"\s+AND\s+", query.strip(), flags=re.I):
        match = _CLAUSE.match(clause)
        if not match:
            raise _Reply(400, "invalid-input", "dashboard_list_filter_invalid", f"cannot parse filter {clause!r}")
        key, op, value, exists = match.groups()
        if key.lower() == "name":
            actual = [dashboard["spec"].get("display", {}).get("name", "")]
        elif key.lower() == "locked":
            actual = [str(dashboard["locked"]).lower()]
        else:
            actual = [t["value"] for t in dashboard["tags"] if t["key"] == key]
        if exists:
            ok = bool(actual)
        elif op.upper() == "CONTAINS":
            ok = any(value.lower() in a.lower() for a in actual)
        elif op == "=":
            ok = value in actual
        else:
            ok = value not in actual
        if not ok:
            return False
    return True


def _go_floats(value: Any) -> Any:
    """Whole-number floats as ints, as Go's encoding/json writes a float64 (1.0 as `1`)."""
    if isinstance(value, dict):
        return {k: _go_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_floats(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _route(method: str, path: str) -> tuple[str, str | None]:
    """The route template for a request and the dashboard (or rule) id in it, if any."""
    parts = [p for p in path.split("/") if p]
    if parts[:3] in (["api", "v2", "rules"], ["api", "v1", "rules"]) and len(parts) in (3, 4):
        base = "/" + "/".join(parts[:3])
        return (f"{method} {base}", None) if len(parts) == 3 else (f"{method} {base}/{{id}}", parts[3])
    if parts[:3] in (["api", "v2", "dashboards"], ["api", "v1", "dashboards"]):
        base = "/" + "/".join(parts[:3])
        if len(parts) == 3:
            return f"{method} {base}", None
        if len(parts) == 4:
            return f"{method} {base}/{{id}}", parts[3]
        if len(parts) == 5 and parts[4] == "lock":
            return f"{method} {base}/{{id}}/lock", parts[3]
    return f"{method} {path}", None


def _make_handler(emulator: SigNozEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm the second waits for the
        # client's delayed ACK (~40 ms a request).
        disable_nagle_algorithm = True
        server_version = "SigNozEmulator"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read their own output
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def _serve(self, method: str) -> None:
            with emulator._lock:
                emulator.in_flight += 1
                emulator.max_in_flight = max(emulator.max_in_flight, emulator.in_flight)
            try:
                self._serve_counted(method)
            finally:
                with emulator._lock:
                    emulator.in_flight -= 1

        def _serve_counted(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if emulator.latency:
                time.sleep(emulator.latency)
            route, ident = _route(method, url.path)
            with emulator._lock:
                emulator.calls[route] += 1
            fault = emulator._take_fault(route)
            if fault is not None and fault.kind in faults.KINDS:
                return faults.serve(self, fault, lambda: self._answer(method, route, ident, url.query, raw, None))
            self._answer(method, route, ident, url.query, raw, fault)

        def _answer(self, method: str, route: str, ident: str | None, query: str, raw: bytes,
                    fault: Fault | None) -> None:
            if fault is not None and fault.kind == RESET:
                return self._drop()
            if fault is not None and fault.kind == STATUS:
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                kind = "too-many-requests" if fault.status == 429 else "internal"
                return self._error(_Reply(fault.status, kind, kind.replace("-", "_"), f"injected fault: HTTP {fault.status}", headers))
            if fault is not None and fault.kind == STALL:
                time.sleep(fault.delay)
            try:
                status, data = self._dispatch(method, route, ident, query, raw)
            except _Reply as reply:
                status, data = reply.status, reply
            if fault is not None and fault.kind == COMMIT_THEN_DROP:
                return self._drop()
            if fault is not None and fault.kind == SLOW:
                time.sleep(fault.delay)
            if isinstance(data, _Reply):
                if route in V1_RULE_ROUTES and data.status not in (401, 403):  # auth answers the newer way
                    return self._legacy_error(data)
                return self._error(data)
            if route == VERSION:
                return self._send(status, data)
            # `data` is left out when there is none (SigNoz's renderer omits a nil payload).
            self._send(status, None if status == 204 else {"status": "success", **({"data": data} if data is not None else {})})

        def _dispatch(self, method: str, route: str, ident: str | None, query: str, raw: bytes) -> tuple[int, Any]:
            if route == VERSION:  # open access, raw JSON (no envelope)
                return 200, {"version": emulator.version, "ee": "Y", "setupCompleted": True}
            since = _ROUTE_SINCE.get(route)
            if since is None or not emulator._at_least(since):
                raise _Reply(404, "", "", "404 page not found")
            key, login = self._caller()
            role = emulator.api_keys.get(key) if key else None
            if key is None or role is None:
                raise _Reply(401, "unauthenticated", "unauthenticated", "unauthenticated")
            is_v1 = route in V1_DASHBOARD_ROUTES
            if is_v1 and emulator._at_least(V1_DEPRECATED_SINCE):
                raise _Reply(501, "unsupported", "dashboard_deprecated",
                             "the v1 dashboard API is deprecated; instead, use /api/v2/dashboards. "
                             "See https://signoz.io/docs/dashboards/dashboards-v2-api/")
            body = None
            if method in ("POST", "PUT") and route != LOCK:
                try:
                    body = json.loads(raw or b"null")
                except ValueError as exc:
                    if is_v1:  # the v1 handlers render json.Decode's error as an internal one
                        raise _Reply(500, "internal", "unknown", str(exc)) from None
                    raise _Reply(400, "invalid-input", "invalid_request_body",
                                 f"request body contains invalid JSON: {exc}") from None
            return emulator.handle(route, role, ident, parse_qs(query), body, login=login,
                                   account=emulator.account(key))

        def _caller(self) -> tuple[str | None, bool]:
            """The caller's key, and whether it signed in with a login token (`Authorization:
            Bearer`; the emulator takes any configured key as one) rather than an API key."""
            key = self.headers.get("SIGNOZ-API-KEY")
            if key:
                return key, False
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            if scheme.lower() == "bearer" and token:
                return token.strip(), True
            return None, False


        def _error(self, reply: _Reply) -> None:
            if reply.status == 404 and not reply.code:
                # Go's mux for an unknown route: plain text, no envelope.
                return self._send(404, b"404 page not found\n", content_type="text/plain; charset=utf-8")
            envelope = {
                "status": "error",
                "error": {"type": reply.type, "code": reply.code, "message": reply.message,
                          "errors": [], "suggestions": []},
            }
            self._send(reply.status, envelope, headers=reply.headers)

        def _legacy_error(self, reply: _Reply) -> None:
            """The older handlers' error envelope (/api/v1/rules)."""
            kind = {400: "bad_data", 404: "not_found"}.get(reply.status, "internal")
            self._send(reply.status, {"status": "error", "errorType": kind, "error": reply.message})

        def _send(self, status: int, payload: Any, *, content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> None:
            if emulator.go_floats and not isinstance(payload, bytes):
                payload = _go_floats(payload)
            body = b"" if payload is None else payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                self.close_connection = True  # the client gave up (e.g. its read timeout fired)

        def _drop(self) -> None:
            """Close the connection without a byte of response: a reset as the client sees it."""
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    return Handler
