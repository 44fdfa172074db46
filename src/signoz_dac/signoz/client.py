"""`SigNozClient`: SigNoz's v2 dashboards and rules APIs over httpx, safe to use from CI on a flaky network.

Rules it keeps (see shared/reference/signoz-contract.md §1, §2):
- every request carries `SIGNOZ-API-KEY`; the key is never logged, printed or shown in a repr;
- explicit timeouts, a cap on response size, no redirects followed (a redirect would carry the key
  to wherever it points);
- idempotent calls (GET, PUT, DELETE) retry on 429/502/503/504 and transport errors with
  exponential backoff and jitter, honouring `Retry-After`;
- POST is never retried blindly: after a failure that may have committed, the client lists the
  dashboards by `name` (rules by the identity the caller gives) and returns what landed. Finding
  nothing proves nothing (the first POST may still be committing), so a POST is sent again only
  where the server refuses a duplicate: dashboards on SigNoz 0.135+, whose names are unique. A rule,
  or a dashboard on an older server, fails instead (`UncertainCreate`); the next run finds it.

Sync logic (what to create or update) lives in `signoz_dac.sync`; this module only speaks HTTP.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from signoz_dac import __version__
from signoz_dac.signoz.errors import (
    APIError,
    Conflict,
    NotFound,
    ResponseTooLarge,
    SigNozError,
    TransportError,
    UncertainCreate,
    UnsupportedVersion,
    error_from_response,
)

# The v2 dashboards API arrived in steps (contract §1.1): POST/GET in 0.126.1, PUT and lock in
# 0.127.1, list and DELETE in 0.129.0. Push needs list to stay idempotent, so 0.129.0 is the floor;
# 0.135.0 (the v6 cutover, unique names) is what we test against.
MIN_VERSION = (0, 129, 0)
UNIQUE_NAMES_SINCE = (0, 135, 0)  # SigNoz's migration 103: UNIQUE (org_id, name) on dashboards
SUPPORTED_VERSIONS = "SigNoz 0.129.0 or newer (0.135.0 or newer recommended)"

API_KEY_HEADER = "SIGNOZ-API-KEY"
DASHBOARDS = "/api/v2/dashboards"
RULES = "/api/v2/rules"
CHANNELS = "/api/v1/channels"  # notification channels (v0.138; they move to /api/v2 in v0.145.0)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Only these fields may be sent on PUT (UpdatableDashboardV2); anything else is a 400.
UPDATABLE_FIELDS = ("schemaVersion", "name", "image", "tags", "spec")
MAX_PAGE = 200  # the server clamps `limit` to 200

# SigNoz's own request-scoped timeout is 10 s; reads get headroom for large orgs behind proxies.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """How idempotent calls are retried. `attempts` counts the first try."""

    attempts: int = 5
    backoff: float = 0.5  # the first delay; doubled on each retry
    max_backoff: float = 8.0
    max_retry_after: float = 60.0  # a longer Retry-After is clamped, so a run always ends

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        if retry_after is not None:
            return max(0.0, min(retry_after, self.max_retry_after))
        ceiling = min(self.max_backoff, self.backoff * (2**retry))
        # "Equal jitter": at least half the backoff, so concurrent clients spread out but still wait.
        return rng.uniform(ceiling / 2, ceiling)


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class ServerVersion:
    raw: str
    number: tuple[int, int, int] | None  # None when the build string carries no release number

    def __str__(self) -> str:
        return self.raw


_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(raw: str) -> tuple[int, int, int] | None:
    """`v0.138.0-abc123` -> (0, 138, 0). Local builds report `<branch>-<sha>`: None."""
    match = _VERSION_RE.match(raw.strip().split("-")[0])
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:  # the HTTP-date form
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _same_tags(body: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    wanted = {(t.get("key"), t.get("value")) for t in body.get("tags") or []}
    return lambda found: {(t.get("key"), t.get("value")) for t in found.get("tags") or []} == wanted


def _same_labels(body: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    wanted = dict(body.get("labels") or {})
    return lambda found: dict(found.get("labels") or {}) == wanted


class SigNozClient:
    """A synchronous, thread-safe client for SigNoz's v2 dashboards and rules APIs.

    `transport` (an `httpx.BaseTransport`) and `sleep` are injectable so tests can run against a
    fake or record waits instead of waiting.
    """

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_connections: int = 16,
        rng: random.Random | None = None,
    ):
        self.url = url.rstrip("/")
        self.retry = retry or DEFAULT_RETRY
        self.max_response_bytes = max_response_bytes
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._version: ServerVersion | None = None
        self._version_known = False  # check_version (or a create's uncertainty) asks the server once
        headers = {"Accept": "application/json", "User-Agent": f"signoz-dac/{__version__}"}
        if api_key:
            headers[API_KEY_HEADER] = api_key
        try:
            self._http = httpx.Client(
                base_url=self.url,
                headers=headers,
                timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
                transport=transport,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            )
        except UnicodeEncodeError:  # its text would quote the key
            raise ValueError("the API key has characters an HTTP header cannot carry") from None

    def __repr__(self) -> str:
        # Deliberately without the key (nor any header).
        return f"SigNozClient(url={self.url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SigNozClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- version -------------------------------------------------------------------------------

    def server_version(self) -> ServerVersion | None:
        """`GET /api/v1/version` (raw JSON, no envelope); None if the server has no such route."""
        try:
            payload = self._request("GET", "/api/v1/version")
        except NotFound:
            self._version, self._version_known = None, True
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("version"), str):
            raise SigNozError(
                f"{self.url} does not look like SigNoz: /api/v1/version returned no version",
                method="GET",
                path="/api/v1/version",
            )
        raw = payload["version"]
        self._version, self._version_known = ServerVersion(raw=raw, number=parse_version(raw)), True
        return self._version

    def check_version(self) -> ServerVersion | None:
        """Fail early, with a clear message, on a server without the v2 dashboards API."""
        version = self.server_version()
        if version is not None and version.number is not None:
            if version.number < MIN_VERSION:
                raise UnsupportedVersion(
                    f"SigNoz {version.raw} at {self.url} is too old: signoz-dac needs "
                    f"{SUPPORTED_VERSIONS} for the v2 dashboards API"
                )
            return version
        # A development build (`main-abc123`) or no version route: ask the API itself.
        try:
            self._request("GET", DASHBOARDS, params={"limit": 1})
        except NotFound:
            raise UnsupportedVersion(
                f"{self.url} has no v2 dashboards API (GET {DASHBOARDS} is 404): signoz-dac needs "
                f"{SUPPORTED_VERSIONS}"
            ) from None
        return version

    # -- dashboards ----------------------------------------------------------------------------

    def list_dashboards(self, query: str | None = None, *, page_size: int = MAX_PAGE) -> list[dict[str, Any]]:
        """Every dashboard (list shape: `spec.display` only), following pagination to the end."""
        page_size = max(1, min(page_size, MAX_PAGE))
        # Sort by creation time: the default (updated_at desc) reorders pages while others write.
        params: dict[str, Any] = {"limit": page_size, "sort": "created_at", "order": "asc"}
        if query:
            params["query"] = query
        seen: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            data = self._request("GET", DASHBOARDS, params={**params, "offset": offset})
            page = (data or {}).get("dashboards") or []
            before = len(seen)
            for item in page:
                seen.setdefault(item.get("id"), item)
            offset += len(page)
            total = (data or {}).get("total")
            # The last condition guards against a server (or proxy) that ignores `offset`.
            if not page or len(page) < page_size or (isinstance(total, int) and offset >= total) or len(seen) == before:
                return list(seen.values())

    def find_by_name(self, name: str) -> list[dict[str, Any]]:
        # The list DSL's `name` is the display name, not this one; match client-side (contract §1.5).
        return [d for d in self.list_dashboards() if d.get("name") == name]

    def _unique_dashboard_names(self) -> bool:
        """Does the server refuse a second dashboard with a name? Unknown (a dev build): no."""
        if not self._version_known:
            self.server_version()
        number = self._version.number if self._version else None
        return number is not None and number >= UNIQUE_NAMES_SINCE

    def get_dashboard(self, dashboard_id: str) -> dict[str, Any]:
        return self._request("GET", f"{DASHBOARDS}/{dashboard_id}")

    def create_dashboard(
        self, body: dict[str, Any], *, matches: Callable[[dict[str, Any]], bool] | None = None
    ) -> dict[str, Any]:
        """POST a dashboard (201). Never retried blindly.

        When an attempt fails in a way that may have committed (a transport error, a 5xx), the
        client lists dashboards with the body's `name`; if one there `matches` (by default: the
        same tags, which for signoz-dac include a content hash), it is the one we created. When
        none exists, the POST is tried again only on SigNoz 0.135+, where a duplicate name is a 409
        (reconciled the same way); on older servers it raises UncertainCreate.
        """
        name = body.get("name")
        return self._create(
            DASHBOARDS,
            body,
            find=(lambda: self.find_by_name(name)) if name else None,
            get=self.get_dashboard,
            matches=matches or _same_tags(body),
            what=f"a dashboard named {name!r}",
            unique=self._unique_dashboard_names,
        )

    def _create(
        self,
        path: str,
        body: dict[str, Any],
        *,
        find: Callable[[], list[dict[str, Any]]] | None,
        get: Callable[[str], dict[str, Any]],
        matches: Callable[[dict[str, Any]], bool],
        what: str,
        unique: Callable[[], bool],
    ) -> dict[str, Any]:
        """POST with reconciliation: `find` lists what holds the body's identity on the server
        (None: the body has no identity, so an uncertain POST is never retried); `unique` says
        whether the server refuses a second object with that identity (asked only when needed)."""
        payload = json.dumps(body, separators=(",", ":")).encode()
        uncertain = False  # may an earlier attempt have been committed?
        last: SigNozError | None = None
        for attempt in range(self.retry.attempts):
            retry_after = None
            try:
                return self._request("POST", path, content=payload, expect=(201, 200), idempotent=False)
            except TransportError as exc:
                last, uncertain = exc, True
            except Conflict:
                if not uncertain or find is None:
                    raise
                found = self._reconcile(path, find, get, matches, what)
                if found is not None:
                    return found
                raise
            except APIError as exc:
                if exc.status not in RETRY_STATUSES:
                    raise
                last = exc
                # A 429 was refused before any work; a 5xx may come from a proxy after the commit.
                uncertain = uncertain or exc.status != 429
                retry_after = exc.retry_after
            if find is None:
                raise last  # a body without identity cannot be found again; never risk a duplicate
            if uncertain:
                found = self._reconcile(path, find, get, matches, what)
                if found is not None:
                    return found
                if not unique():
                    # Not found yet proves nothing: a POST that timed out may still be committing.
                    # Without a unique index a second POST could make a duplicate, so stop here.
                    raise UncertainCreate(
                        f"{last.message}; the create may have reached SigNoz; run push again to reconcile",
                        status=last.status, code=last.code, method="POST", path=path,
                    )
            if attempt + 1 < self.retry.attempts:
                self._wait(attempt, retry_after)
        assert last is not None
        raise last

    def _reconcile(
        self,
        path: str,
        find: Callable[[], list[dict[str, Any]]],
        get: Callable[[str], dict[str, Any]],
        matches: Callable[[dict[str, Any]], bool],
        what: str,
    ) -> dict[str, Any] | None:
        """After an uncertain POST: our object if it landed, None if nothing with its identity did."""
        found = find()
        ours = [d for d in found if matches(d)]
        if len(ours) == 1:
            return get(ours[0]["id"])
        if found:
            ids = ", ".join(str(d.get("id")) for d in found)
            raise Conflict(
                f"{what} exists but is not the one being created (ids: {ids})",
                status=409,
                code="already_exists",
                method="POST",
                path=path,
            )
        return None

    def update_dashboard(self, dashboard_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT: a full replace, sending only the fields SigNoz accepts on update."""
        updatable = {k: body[k] for k in UPDATABLE_FIELDS if k in body}
        payload = json.dumps(updatable, separators=(",", ":")).encode()
        return self._request("PUT", f"{DASHBOARDS}/{dashboard_id}", content=payload)

    def delete_dashboard(self, dashboard_id: str) -> None:
        # A retried DELETE whose first attempt landed sees 404: that is success.
        self._request("DELETE", f"{DASHBOARDS}/{dashboard_id}", expect=(204, 200), gone_ok_on_retry=True)

    def lock_dashboard(self, dashboard_id: str) -> None:
        self._request("PUT", f"{DASHBOARDS}/{dashboard_id}/lock", expect=(204, 200))

    def unlock_dashboard(self, dashboard_id: str) -> None:
        self._request("DELETE", f"{DASHBOARDS}/{dashboard_id}/lock", expect=(204, 200))

    # -- alert rules ---------------------------------------------------------------------------

    def list_rules(self) -> list[dict[str, Any]]:
        """Every alert rule of the organisation, full shape (the v2 list is not paginated)."""
        data = self._request("GET", RULES)
        if isinstance(data, dict):  # the v1 shape, `{"rules": [...]}`, from a proxy or an older server
            data = data.get("rules")
        return [r for r in data or [] if isinstance(r, dict)]

    def get_rule(self, rule_id: str) -> dict[str, Any]:
        return self._request("GET", f"{RULES}/{rule_id}")

    def create_rule(
        self,
        body: dict[str, Any],
        *,
        identity: Callable[[dict[str, Any]], Any] | None = None,
        matches: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """POST a rule (201). Never sent twice: SigNoz keeps no unique index on rules, so after an
        attempt that may have committed the client lists the rules with the body's `identity` (for
        signoz-dac, `rule_key`: its identity labels) and returns the one that `matches` (by default:
        the same labels, which for signoz-dac include a content hash); when none is there (yet), or
        without `identity`, it raises (UncertainCreate) rather than risk a duplicate."""
        key = identity(body) if identity else None
        return self._create(
            RULES,
            body,
            find=(lambda: [r for r in self.list_rules() if identity(r) == key]) if key else None,
            get=self.get_rule,
            matches=matches or _same_labels(body),
            what=f"a rule with the identity {key}" if key else "a rule",
            unique=lambda: False,
        )

    def update_rule(self, rule_id: str, body: dict[str, Any]) -> None:
        """PUT (204): a full replace with a PostableRule body."""
        payload = json.dumps(body, separators=(",", ":")).encode()
        self._request("PUT", f"{RULES}/{rule_id}", content=payload, expect=(204, 200))

    def delete_rule(self, rule_id: str) -> None:
        self._request("DELETE", f"{RULES}/{rule_id}", expect=(204, 200), gone_ok_on_retry=True)

    def list_channels(self) -> list[dict[str, Any]]:
        """The organisation's notification channels (`name` is what rules refer to)."""
        data = self._request("GET", CHANNELS)
        return [c for c in data or [] if isinstance(c, dict)]

    # -- plumbing ------------------------------------------------------------------------------

    def _wait(self, retry: int, retry_after: float | None) -> None:
        with self._rng_lock:
            delay = self.retry.delay(retry, retry_after, self._rng)
        self._sleep(delay)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        expect: Iterable[int] = (200,),
        idempotent: bool = True,
        gone_ok_on_retry: bool = False,
    ) -> Any:
        """One call with the retry policy; returns the envelope's `data` (or the raw JSON)."""
        expect = tuple(expect)
        attempts = self.retry.attempts if idempotent else 1
        for attempt in range(attempts):
            last_try = attempt + 1 >= attempts
            try:
                status, headers, payload = self._send(method, path, params, content)
            except TransportError:
                if last_try:
                    raise
                self._wait(attempt, None)
                continue
            if status in expect:
                if isinstance(payload, dict) and payload.get("status") == "success":
                    return payload.get("data")
                return payload
            if gone_ok_on_retry and attempt > 0 and status == 404:
                return None
            if 300 <= status < 400:
                where = headers.get("location", "elsewhere")
                raise APIError(
                    f"redirected to {where}; use that address as the SigNoz URL",
                    status=status,
                    method=method,
                    path=path,
                )
            err = error_from_response(status, payload, method=method, path=path)
            if status in RETRY_STATUSES:
                # A 503 may carry Retry-After as well as a 429; a POST's caller (`_create`) waits by it.
                err.retry_after = _retry_after(headers)
                if not last_try:
                    self._wait(attempt, err.retry_after)
                    continue
            raise err
        raise AssertionError("unreachable")

    def _send(
        self, method: str, path: str, params: dict[str, Any] | None, content: bytes | None
    ) -> tuple[int, httpx.Headers, Any]:
        """One HTTP exchange: status, headers and the decoded body, read under the size cap."""
        headers = {"Content-Type": "application/json"} if content is not None else None
        try:
            with self._http.stream(method, path, params=params, content=content, headers=headers) as resp:
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
                    raise self._too_large(method, path)
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > self.max_response_bytes:
                        raise self._too_large(method, path)
                status, resp_headers = resp.status_code, resp.headers
        except (httpx.LocalProtocolError, UnicodeEncodeError):
            # The request could not even be written, and the text of these errors quotes the offending
            # header value, which may be the key: say what is wrong without it. Nothing was sent, and
            # it would fail the same way again, so this is not a TransportError (those are retried).
            raise SigNozError(
                "cannot send the request: a header value is not valid in HTTP (is the API key intact?)",
                method=method,
                path=path,
            ) from None
        except httpx.TransportError as exc:
            # httpx's message names the failure (refused, reset, timed out); never the headers.
            detail = str(exc) or type(exc).__name__
            raise TransportError(
                f"cannot reach {self.url}: {type(exc).__name__}: {detail}", method=method, path=path
            ) from None
        return status, resp_headers, _decode(bytes(body))

    def _too_large(self, method: str, path: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"response larger than {self.max_response_bytes} bytes", method=method, path=path
        )


def _decode(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")
