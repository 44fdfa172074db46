"""`SigNozClient`: SigNoz's dashboards and rules APIs over httpx, safe to use from CI on a flaky network.

It speaks what the server's version calls for (`versions.py`): `/api/v2/dashboards` (v6 JSON) from
SigNoz 0.135, `/api/v1/dashboards` (v5 JSON, through `dashboards_v1.V1Dashboards`) before it, and
`/api/v1/rules` before 0.120; callers see the v2 shapes either way.

Rules it keeps (SigNoz's side of each is in docs/signoz-facts.md):
- every request carries `SIGNOZ-API-KEY`; the key is never logged, printed or shown in a repr, and
  it is redacted from everything the server says before that goes into an error;
- explicit timeouts: connect and read timeouts per socket operation, a wall clock per attempt (a
  server trickling bytes cannot hold an attempt), and an optional overall `Deadline` at which
  retries stop; a cap on response size; a cap on what is sent, well below it; no redirects
  followed (a redirect would carry the key to wherever it points);
- every reply is checked for the shape SigNoz sends (`replies`) before anyone reads it: anything
  else is a `BadReply`;
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
import functools
import json
import os
import random
import ssl
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from signoz_dac.safejson import JSONLimitError
from signoz_dac.safejson import loads as load_json
from signoz_dac.safetext import Secrets, printable
from signoz_dac.signoz import replies
from signoz_dac.signoz.dashboards_v1 import DASHBOARDS_V1, V1Dashboards
from signoz_dac.signoz.deadline import Deadline
from signoz_dac.signoz.errors import (
    APIError,
    AuthError,
    BadReply,
    Conflict,
    DeadlineExceeded,
    NotFound,
    RequestTooLarge,
    ResponseTooLarge,
    SigNozError,
    TransportError,
    UncertainCreate,
    Unsupported,
    UnsupportedVersion,
    error_from_response,
)
from signoz_dac.signoz.owned import RULE_AUDIT_V1_SPELLING
from signoz_dac.signoz.transport import attempt_window, install_wall_clock
from signoz_dac.signoz.versions import (
    FLAG,
    FLAG_SINCE,
    OLDEST,
    V1,
    V2,
    V2_DASHBOARD_LIST_SINCE,
    V6_SINCE,
    Apis,
    ServerVersion,
    choose,
    flag_on_without_list,
    parse_version,
    too_old,
)
from signoz_dac.version import __version__

MIN_VERSION = OLDEST
__all__ = ["MIN_VERSION", "RetryPolicy", "ServerVersion", "SigNozClient", "check_url", "encode_body", "parse_version"]

API_KEY_HEADER = "SIGNOZ-API-KEY"
DASHBOARDS = "/api/v2/dashboards"
RULES = "/api/v2/rules"
RULES_V1 = "/api/v1/rules"  # before SigNoz 0.120: `{"rules": [...]}`, and `createAt` for `createdAt`
FEATURES = "/api/v1/features"
CHANNELS = "/api/v1/channels"  # notification channels (v0.138; they move to /api/v2 in v0.145.0)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Only these fields may be sent on PUT (UpdatableDashboardV2); anything else is a 400.
UPDATABLE_FIELDS = ("schemaVersion", "name", "image", "tags", "spec")
MAX_PAGE = 200  # the server clamps `limit` to 200

# SigNoz's own request-scoped timeout is 10 s; reads get headroom for large orgs behind proxies.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)
# The most one attempt may take from first byte sent to last byte read, however the bytes trickle.
DEFAULT_ATTEMPT_SECONDS = 60.0
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
# What we send at most. A create's reply echoes the body, and a list page carries descriptions, so
# this stays well below the response cap: nothing we write can make a reply we refuse to read.
MAX_REQUEST_BYTES = 8 * 1024 * 1024
# A list page too large to read is asked again with fewer items; one dashboard too large on its
# own is skipped (on servers whose names are unique), at most this many times per listing.
MAX_SKIPPED_DASHBOARDS = 10
_MAY_HAVE_LANDED = "the create may have reached SigNoz; run push again to reconcile"


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
_T = TypeVar("_T")  # what a reply check returns


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


def check_url(url: str) -> str:
    """The base URL without a trailing slash; ValueError, which never quotes the URL (it may hold a
    secret), unless it is a plain http(s) URL without user info, query or fragment."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        raise ValueError("the SigNoz URL is not a valid URL") from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError("the SigNoz URL must not carry a user name or password (user:secret@); "
                         "the API key goes in SIGNOZ_API_KEY or a key file")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        scheme = printable(parts.scheme, limit=20) or "none"
        raise ValueError(f"the SigNoz URL is not an http(s) URL such as https://acme.us.signoz.cloud "
                         f"(its scheme is {scheme})")
    if parts.query or parts.fragment or not url.isprintable() or " " in url:
        raise ValueError("the SigNoz URL must be a plain base URL, without spaces, ?query or #fragment")
    return url.rstrip("/")


def encode_body(body: dict[str, Any]) -> bytes:
    """The JSON we send: compact, finite numbers only, at most MAX_REQUEST_BYTES (RequestTooLarge)."""
    try:
        payload = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        raise RequestTooLarge("the body holds a number JSON cannot carry (NaN or Infinity)") from None
    if len(payload) > MAX_REQUEST_BYTES:
        raise RequestTooLarge(
            f"the body is {len(payload) / 1048576:.1f} MiB of JSON; signoz-dac sends at most "
            f"{MAX_REQUEST_BYTES // 1048576} MiB, so that SigNoz's reply stays readable"
        )
    return payload


def _where(location: str) -> str:
    """A redirect's target without user info, query or fragment (they may carry secrets)."""
    try:
        parts = urlsplit(location)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "another address"
    if not parts.scheme and not host:
        return parts.path or "another address"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _same_tags(body: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    wanted = {(t.get("key"), t.get("value")) for t in body.get("tags") or []}
    return lambda found: {(t.get("key"), t.get("value")) for t in found.get("tags") or []} == wanted


def _same_labels(body: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    wanted = dict(body.get("labels") or {})
    return lambda found: dict(found.get("labels") or {}) == wanted


def _as_v2_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule from /api/v1/rules with the audit fields spelled as /api/v2 spells them."""
    for new, old in RULE_AUDIT_V1_SPELLING.items():
        if old in rule:
            value = rule.pop(old)
            rule.setdefault(new, value)
    return rule


def _tls_context() -> ssl.SSLContext:
    """The TLS settings httpx would build for `verify=True`, built once per process.

    Loading the CA bundle takes ~20 ms of CPU, and httpx does it again for every client; a CI job
    or a test run builds hundreds. A context is safe to share between clients and threads. httpx
    reads `SSL_CERT_FILE` / `SSL_CERT_DIR` when it builds one, so they key the cache: a changed
    setting gets a context of its own.
    """
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=True, trust_env=True)


class SigNozClient:
    """A synchronous, thread-safe client for SigNoz's dashboards and rules APIs (`apis` says which,
    read from the server's version on first use, or by `check_version`).

    `transport` (an `httpx.BaseTransport`) and `sleep` are injectable so tests can run against a
    fake or record waits instead of waiting. `deadline` (a `Deadline`, settable later) ends every
    call, retries and waits included, with DeadlineExceeded; `attempt_seconds` bounds one attempt
    from first byte to last. `on_warning` receives what the client skipped (default: `warnings`);
    `on_retry(attempt, attempts, delay, error)` hears of each retry before its wait (`attempt` is the
    attempt that failed, counted from 1), so a command can show that it is waiting and why.
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
        deadline: Deadline | None = None,
        attempt_seconds: float | None = None,
        on_warning: Callable[[str], None] | None = None,
        on_retry: Callable[[int, int, float, SigNozError], None] | None = None,
    ):
        self.url = check_url(url)
        self.retry = retry or DEFAULT_RETRY
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self.attempt_seconds = attempt_seconds if attempt_seconds is not None else DEFAULT_ATTEMPT_SECONDS
        self._on_warning = on_warning
        self._on_retry = on_retry
        self._secrets = Secrets(api_key)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._version: ServerVersion | None = None
        self._apis: Apis | None = None  # decided by check_version, on first need
        self._apis_lock = threading.Lock()
        self._v1: V1Dashboards | None = None  # the dashboards API before SigNoz 0.135
        chosen = timeout if timeout is not None else DEFAULT_TIMEOUT
        self._timeout = chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen)
        headers = {"Accept": "application/json", "User-Agent": f"signoz-dac/{__version__}"}
        if api_key:
            headers[API_KEY_HEADER] = api_key
        try:
            self._http = httpx.Client(
                base_url=self.url,
                headers=headers,
                timeout=self._timeout,
                transport=transport,
                verify=_tls_context() if transport is None else True,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            )
        except UnicodeEncodeError:  # its text would quote the key
            raise ValueError("the API key has characters an HTTP header cannot carry") from None
        install_wall_clock(self._http)

    def __repr__(self) -> str:
        # Deliberately without the key (nor any header).
        return f"SigNozClient(url={self.url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SigNozClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def warn(self, message: str) -> None:
        """Say something the caller should know (what was skipped, and why)."""
        message = printable(message, self._secrets, limit=None)
        if self._on_warning is not None:
            self._on_warning(message)
        else:
            warnings.warn(message, RuntimeWarning, stacklevel=3)

    # -- version -------------------------------------------------------------------------------

    def server_version(self) -> ServerVersion | None:
        """`GET /api/v1/version` (raw JSON, no envelope); None if the server has no such route, or
        something in front of it refuses it (SigNoz serves it to anyone, so a 403 is not SigNoz's)."""
        try:
            raw = self._call(replies.version, "GET", "/api/v1/version")
        except (NotFound, AuthError) as exc:
            if isinstance(exc, AuthError) and exc.status != 403:
                raise
            self._version = None
            return None
        raw = printable(raw, self._secrets, limit=100)
        self._version = ServerVersion(raw=raw, number=parse_version(raw))
        return self._version

    def check_version(self) -> ServerVersion | None:
        """Read the server's version and decide which APIs to speak (`apis`). UnsupportedVersion,
        one line saying why and what to do, for a server where no API puts dashboards where its UI
        shows them (older than 0.92; `use_dashboard_v2` on before v2 dashboards can be listed)."""
        version = self.server_version()
        if version is not None and version.number is not None:
            if version.number < OLDEST:
                raise UnsupportedVersion(too_old(version, self.url))
            flag = self._flag() if FLAG_SINCE <= version.number < V6_SINCE else None
            try:
                apis = choose(version, flag)
            except ValueError as exc:
                raise UnsupportedVersion(str(exc)) from None
        else:
            apis = self._probe(version)  # a development build (`main-abc123`), or no version route
        with self._apis_lock:
            self._apis = apis
            self._v1 = V1Dashboards(self, apis) if apis.dashboards == V1 else None
        return version

    @property
    def apis(self) -> Apis:
        """What this server speaks (see `versions.Apis`); asks it on first use."""
        if self._apis is None:
            self.check_version()
        assert self._apis is not None
        return self._apis

    def _flag(self) -> bool | None:
        """`use_dashboard_v2` as `GET /api/v1/features` reports it; None (with a warning) if unreadable."""
        try:
            return self._call(replies.features, "GET", FEATURES).get(FLAG)
        except (APIError, BadReply) as exc:
            if isinstance(exc, APIError) and exc.status == 401:
                raise
            self.warn(f"cannot read SigNoz's {FLAG} flag ({exc}); taking its default, off")
            return None

    def _probe(self, version: ServerVersion | None) -> Apis:
        """The APIs of a server whose version says no release number, found by asking them."""
        raw = version.raw if version is not None else "(no version)"
        rules = V2 if self._answers(RULES) else V1
        try:
            self._request("GET", DASHBOARDS_V1)
        except Unsupported:  # 501 dashboard_deprecated: 0.135 or newer
            return Apis(V2, rules, unique_names=True, version=raw)
        except NotFound:
            if self._answers(DASHBOARDS, {"limit": 1}):
                return Apis(V2, rules, unique_names=False, version=raw)
            raise UnsupportedVersion(f"{self.url} has no dashboards API (GET {DASHBOARDS_V1} and {DASHBOARDS} "
                                     f"are 404): signoz-dac needs SigNoz 0.92.0 or newer") from None
        # The v1 API is live, so this is a server before 0.135: the flag decides what its UI shows.
        flag = self._flag()
        if not flag:
            return Apis(V1, rules, unique_names=False, flag=flag, version=raw)
        if not self._answers(DASHBOARDS, {"limit": 1}):
            raise UnsupportedVersion(flag_on_without_list(raw))
        return Apis(V2, rules, unique_names=False, flag=True, version=raw)

    def _answers(self, path: str, params: dict[str, Any] | None = None) -> bool:
        """Does GET `path` exist on this server (anything but a 404)?"""
        try:
            self._request("GET", path, params=params)
        except NotFound:
            return False
        return True

    # -- dashboards ----------------------------------------------------------------------------

    def _dashboards_v1(self) -> V1Dashboards | None:
        """The v1 dashboards API, when this server's dashboards go through it (before 0.135)."""
        self.apis  # noqa: B018  (decides, on first use)
        return self._v1

    def as_read_back(self, body: dict[str, Any]) -> dict[str, Any]:
        """The v6 dashboard this server gives back once `body` is written, apart from what the
        canonical form already accounts for: `body` itself on the v2 API; on the v1 API, SigNoz's
        v5 -> v6 conversion of its v5 form (SchemaError, with what to do, if it has none)."""
        v1 = self._dashboards_v1()
        return v1.read_back(body) if v1 is not None else body

    def list_dashboards(self, query: str | None = None, *, page_size: int = MAX_PAGE) -> list[dict[str, Any]]:
        """Every dashboard (list shape: `spec.display` only), following pagination to the end.
        On the v1 API (no pages, no filter: `query` is not supported there), every v5 dashboard,
        named by its identity tag ("" without one).

        A page too large to read is asked for again with fewer dashboards. A dashboard too large to
        read on its own cannot be identified: where SigNoz refuses duplicate names (0.135+) it is
        skipped with a warning (a create under its name would meet a 409, never make a duplicate);
        on older servers, or beyond MAX_SKIPPED_DASHBOARDS, it is a ResponseTooLarge.
        """
        v1 = self._dashboards_v1()
        if v1 is not None:
            if query:
                raise ValueError("SigNoz's v1 dashboards API (before 0.135) has no list filter")
            return v1.list()
        return self._list_v2(query, page_size)

    def dashboards_the_ui_hides(self) -> list[dict[str, Any]]:
        """Where dashboards go through /api/v1 though /api/v2 can list them (0.129-0.134 with
        `use_dashboard_v2` off): the dashboards made through /api/v2 (list shape), which this
        SigNoz's UI neither lists nor opens. [] elsewhere."""
        apis = self.apis
        if apis.dashboards != V1 or (apis.number is not None and apis.number < V2_DASHBOARD_LIST_SINCE):
            return []
        try:
            return [d for d in self._list_v2(None, MAX_PAGE) if not d.get("legacy")]
        except NotFound:  # a development build without the v2 list
            return []

    def _list_v2(self, query: str | None, page_size: int) -> list[dict[str, Any]]:
        page_size = max(1, min(page_size, MAX_PAGE))
        # Sort by creation time: the default (updated_at desc) reorders pages while others write.
        params: dict[str, Any] = {"sort": "created_at", "order": "asc"}
        if query:
            params["query"] = query
        seen: dict[str, dict[str, Any]] = {}
        offset, size, skipped = 0, page_size, 0
        while True:
            try:
                page, total = self._call(
                    replies.dashboard_page, "GET", DASHBOARDS, params={**params, "limit": size, "offset": offset}
                )
            except ResponseTooLarge as exc:
                if size > 1:
                    size = max(1, size // 4)
                    continue
                skipped += 1
                self._skip_unreadable(exc, offset, skipped)
                offset += 1
                continue
            before = len(seen)
            for item in page:
                seen.setdefault(str(item["id"]), item)
            offset += len(page)
            # The server's `total` says whether more pages follow (a page shorter than asked for ends
            # the list only without it: a proxy may page by fewer).
            last = offset >= total if total is not None else len(page) < size
            if page and len(seen) == before:
                # Nothing new on a page: a server (or proxy) that ignores `offset`. A list cut short
                # would hide dashboards of ours, which push would then create again.
                raise BadReply(f"the reply is not what SigNoz sends: the page at offset {offset - len(page)} holds "
                               "only dashboards already listed (is `offset` dropped on the way?)",
                               method="GET", path=DASHBOARDS)
            if not page or last:
                return list(seen.values())
            size = page_size

    def _skip_unreadable(self, exc: ResponseTooLarge, offset: int, skipped: int) -> None:
        too_large = (
            f"the dashboard at position {offset + 1} of SigNoz's list (oldest first) is larger than "
            f"{self.max_response_bytes // 1048576} MiB"
        )
        if skipped > MAX_SKIPPED_DASHBOARDS or not self.apis.unique_names:
            why = (f"more than {MAX_SKIPPED_DASHBOARDS} dashboards are too large to read" if skipped > 1
                   else "this server does not refuse duplicate dashboard names, so it cannot be skipped safely")
            raise ResponseTooLarge(
                f"{too_large}, and {why}: shrink or delete it in SigNoz (it holds megabytes of text, "
                "probably in its description)",
                method=exc.method, path=exc.path,
            )
        self.warn(f"{too_large} and was skipped; signoz-dac cannot tell its name (shrink or delete it in "
                  "SigNoz; if it holds the name of a dashboard being pushed, that push reports the name as taken)")

    def find_by_name(self, name: str) -> list[dict[str, Any]]:
        # The list DSL's `name` filters on spec.display.name (`listfilter_visitor.go`), not on this
        # name: list everything and match client-side.
        return [d for d in self.list_dashboards() if d.get("name") == name]

    @property
    def unique_dashboard_names(self) -> bool:
        """Whether SigNoz refuses a second dashboard with the same `name` (0.135+, a 409)."""
        return self.apis.unique_names

    def get_dashboard(self, dashboard_id: str) -> dict[str, Any]:
        v1 = self._dashboards_v1()
        if v1 is not None:
            return v1.get(dashboard_id)
        return self._call(replies.dashboard, "GET", f"{DASHBOARDS}/{dashboard_id}")

    def get_dashboard_as_stored(self, dashboard_id: str, *, legacy: bool = False) -> dict[str, Any]:
        """The dashboard as SigNoz stores it, for import: before 0.135 its v5 JSON (which import
        converts itself, so that what the conversion refuses is named by its path); else `get_dashboard`.
        `legacy`: the v2 list calls it so (a v1 dashboard), which 0.129-0.134 with `use_dashboard_v2`
        on still serve through /api/v1 (0.135 and newer serve such a row through neither API)."""
        v1 = self._dashboards_v1()
        if v1 is None and legacy and self.apis.flag:
            v1 = V1Dashboards(self, self.apis)
        return v1.stored(dashboard_id) if v1 is not None else self.get_dashboard(dashboard_id)

    def serves_legacy_dashboards(self) -> bool:
        """Can `get_dashboard_as_stored` read a dashboard the v2 list calls legacy?"""
        return bool(self.apis.flag)

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
        v1 = self._dashboards_v1()
        if v1 is not None:
            if not name:
                raise ValueError("a dashboard written through SigNoz's v1 API needs a name (its identity tag)")
            return v1.create(body, matches=matches or _same_tags(body))
        return self._create(
            DASHBOARDS,
            body,
            find=(lambda: self.find_by_name(name)) if name else None,
            get=self.get_dashboard,
            matches=matches or _same_tags(body),
            what=f"a dashboard named {name!r}",
            unique=lambda: self.apis.unique_names,
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
        payload = encode_body(body)
        uncertain = False  # may an earlier attempt have been committed?
        last: SigNozError | None = None
        try:
            for attempt in range(self.retry.attempts):
                retry_after = None
                try:
                    reply = self._request("POST", path, content=payload, expect=(201, 200), idempotent=False, last=last)
                    return self._check(replies.created, reply, "POST", path)
                except BadReply as exc:
                    # It answered, maybe 201, so the create probably went through; but a server that
                    # answers so is not to be trusted further now. The next run finds what landed.
                    raise UncertainCreate(
                        f"{exc.message}; {_MAY_HAVE_LANDED}",
                        status=exc.status, method="POST", path=path,
                    ) from None
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
                            f"{last.message}; {_MAY_HAVE_LANDED}",
                            status=last.status, code=last.code, method="POST", path=path,
                        )
                if attempt + 1 < self.retry.attempts:
                    self._wait(attempt, retry_after, last)
            assert last is not None
            raise last
        except DeadlineExceeded as exc:
            if uncertain:  # what the deadline cut short may have landed: say so, as for any uncertain create
                raise DeadlineExceeded(f"{exc.message}; {_MAY_HAVE_LANDED}",
                                       status=exc.status, method="POST", path=path) from None
            raise

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
            return get(str(ours[0]["id"]))
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

    def update_dashboard(self, dashboard_id: str, body: dict[str, Any]) -> Any:
        """PUT: a full replace, sending only the fields SigNoz accepts on update. Returns what the
        server answers (the dashboard, as `get_dashboard` reads it)."""
        v1 = self._dashboards_v1()
        if v1 is not None:
            return v1.update(dashboard_id, body)
        updatable = {k: body[k] for k in UPDATABLE_FIELDS if k in body}
        return self._request("PUT", f"{DASHBOARDS}/{dashboard_id}", content=encode_body(updatable))

    def delete_dashboard(self, dashboard_id: str) -> None:
        v1 = self._dashboards_v1()
        if v1 is not None:
            return v1.delete(dashboard_id)
        # A retried DELETE whose first attempt landed sees 404: that is success.
        self._request("DELETE", f"{DASHBOARDS}/{dashboard_id}", expect=(204, 200), gone_ok_on_retry=True)
        return None

    def lock_dashboard(self, dashboard_id: str) -> None:
        v1 = self._dashboards_v1()
        if v1 is not None:
            return v1.set_locked(dashboard_id, True)
        self._request("PUT", f"{DASHBOARDS}/{dashboard_id}/lock", expect=(204, 200))
        return None

    def unlock_dashboard(self, dashboard_id: str) -> None:
        v1 = self._dashboards_v1()
        if v1 is not None:
            return v1.set_locked(dashboard_id, False)
        self._request("DELETE", f"{DASHBOARDS}/{dashboard_id}/lock", expect=(204, 200))
        return None

    # -- alert rules ---------------------------------------------------------------------------

    @property
    def _rules(self) -> str:
        return RULES if self.apis.rules == V2 else RULES_V1

    def list_rules(self) -> list[dict[str, Any]]:
        """Every alert rule of the organisation, full shape (the list is not paginated). From
        /api/v1/rules on servers before 0.120, with the audit fields spelled as /api/v2 does."""
        return [_as_v2_rule(r) for r in self._call(replies.rule_list, "GET", self._rules)]

    def get_rule(self, rule_id: str) -> dict[str, Any]:
        return _as_v2_rule(self._call(replies.rule, "GET", f"{self._rules}/{rule_id}"))

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
        return _as_v2_rule(self._create(
            self._rules,
            body,
            find=(lambda: [r for r in self.list_rules() if identity(r) == key]) if identity is not None and key else None,
            get=self.get_rule,
            matches=matches or _same_labels(body),
            what=f"a rule with the identity {key}" if key else "a rule",
            unique=lambda: False,
        ))

    def update_rule(self, rule_id: str, body: dict[str, Any]) -> None:
        """PUT (204; v1: 200 and a sentence): a full replace with a PostableRule body."""
        self._request("PUT", f"{self._rules}/{rule_id}", content=encode_body(body), expect=(204, 200))

    def delete_rule(self, rule_id: str) -> None:
        self._request("DELETE", f"{self._rules}/{rule_id}", expect=(204, 200), gone_ok_on_retry=True)

    def list_channels(self) -> list[dict[str, Any]]:
        """The organisation's notification channels (`name` is what rules refer to)."""
        return self._call(replies.channels, "GET", CHANNELS)

    # -- plumbing ------------------------------------------------------------------------------

    def _deadline_error(self, last: SigNozError | None, method: str | None = None, path: str | None = None) -> DeadlineExceeded:
        after = f"; last error: {last.message}" if last is not None else ""
        return DeadlineExceeded(
            f"gave up: the deadline of {self.deadline} passed{after}",
            method=method or (last.method if last else None), path=path or (last.path if last else None),
            status=last.status if last is not None else None,
        )

    def _wait(self, retry: int, retry_after: float | None, last: SigNozError) -> None:
        with self._rng_lock:
            delay = self.retry.delay(retry, retry_after, self._rng)
        if self.deadline is not None and delay >= self.deadline.remaining():
            raise self._deadline_error(last)  # waiting would end past the deadline: stop now
        if self._on_retry is not None:
            last.redact(self._secrets)
            self._on_retry(retry + 1, self.retry.attempts, delay, last)
        self._sleep(delay)

    def _check(self, check: Callable[[Any], _T], data: Any, method: str, path: str) -> _T:
        try:
            return check(data)
        except BadReply as exc:
            exc.method, exc.path = method, path
            exc.redact(self._secrets)
            raise

    def _call(self, check: Callable[[Any], _T], method: str, path: str, **kwargs: Any) -> _T:
        """A request whose reply must pass `check` (one of `replies`); BadReply otherwise."""
        return self._check(check, self._request(method, path, **kwargs), method, path)

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call with the retry policy; returns the envelope's `data` (or the raw JSON). Every
        error it raises has the key redacted from what the server said."""
        try:
            return self._attempts(method, path, **kwargs)
        except SigNozError as exc:
            exc.redact(self._secrets)
            raise

    def _attempts(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        expect: Iterable[int] = (200,),
        idempotent: bool = True,
        gone_ok_on_retry: bool = False,
        last: SigNozError | None = None,
    ) -> Any:
        expect = tuple(expect)
        attempts = self.retry.attempts if idempotent else 1
        for attempt in range(attempts):
            if self.deadline is not None and self.deadline.expired:
                raise self._deadline_error(last, method, path)
            last_try = attempt + 1 >= attempts
            try:
                status, headers, payload = self._send(method, path, params, content)
            except TransportError as exc:
                last = exc
                if last_try:
                    raise
                self._wait(attempt, None, exc)
                continue
            if status in expect:
                if isinstance(payload, _NotJSON):
                    raise BadReply(f"the reply is not JSON ({payload}); is the URL SigNoz's address "
                                   "(not its web page or a proxy's)?", status=status, method=method, path=path)
                if isinstance(payload, dict) and payload.get("status") == "success":
                    return payload.get("data")
                return payload
            if gone_ok_on_retry and attempt > 0 and status == 404:
                return None
            if 300 <= status < 400:
                where = _where(headers.get("location", ""))
                raise APIError(
                    f"redirected to {where}; use that address as the SigNoz URL",
                    status=status,
                    method=method,
                    path=path,
                )
            text = payload.text if isinstance(payload, _NotJSON) else payload
            err = error_from_response(status, text, method=method, path=path, secrets=self._secrets)
            if status in RETRY_STATUSES:
                # A 503 may carry Retry-After as well as a 429; a POST's caller (`_create`) waits by it.
                err.retry_after = _retry_after(headers)
                if not last_try:
                    last = err
                    self._wait(attempt, err.retry_after, err)
                    continue
            raise err
        raise AssertionError("unreachable")

    def _limits(self) -> tuple[httpx.Timeout, float]:
        """This attempt's socket timeouts and wall clock, none beyond the deadline."""
        window = self.attempt_seconds
        timeout = self._timeout
        if self.deadline is not None:
            left = max(self.deadline.remaining(), 0.001)
            window = min(window, left)
            timeout = httpx.Timeout(
                connect=_at_most(timeout.connect, left), read=_at_most(timeout.read, left),
                write=_at_most(timeout.write, left), pool=_at_most(timeout.pool, left),
            )
        return timeout, window

    def _send(
        self, method: str, path: str, params: dict[str, Any] | None, content: bytes | None
    ) -> tuple[int, httpx.Headers, Any]:
        """One HTTP exchange: status, headers and the decoded body, read under the size cap."""
        headers = {"Content-Type": "application/json"} if content is not None else None
        timeout, window = self._limits()
        try:
            with attempt_window(window), self._http.stream(
                method, path, params=params, content=content, headers=headers, timeout=timeout
            ) as resp:
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
                    raise self._too_large(method, path)
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > self.max_response_bytes:
                        raise self._too_large(method, path)
                status, resp_headers = resp.status_code, resp.headers
                content_type = resp.headers.get("content-type", "")
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
            # httpx's message names the failure (refused, reset, timed out); never the headers. A
            # protocol error may quote the server's bytes: SigNozError keeps one printable line.
            detail = str(exc) or type(exc).__name__
            raise TransportError(
                f"cannot reach {self.url}: {type(exc).__name__}: {detail}", method=method, path=path
            ) from None
        return status, resp_headers, _decode(bytes(body), content_type, self._secrets)

    def _too_large(self, method: str, path: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"response larger than {self.max_response_bytes} bytes", method=method, path=path
        )


def _at_most(value: float | None, limit: float) -> float:
    return limit if value is None else min(value, limit)


class _NotJSON:
    """A reply body that is not JSON we accept: kept as a short excerpt, for the error message."""

    def __init__(self, text: str, why: str):
        self.text = text
        self.why = why

    def __str__(self) -> str:
        return self.why


def _decode(body: bytes, content_type: str, secrets: Iterable[str]) -> Any:
    """The JSON in a body; a _NotJSON (with a short excerpt, secrets redacted first) for anything else."""
    if not body:
        return None
    try:
        return load_json(body)
    except JSONLimitError as exc:
        return _NotJSON("", exc.message)
    except ValueError:
        text = body[:4096].decode("utf-8", "replace")
        kind = printable(content_type.split(";")[0], secrets, limit=40) or "no content type"
        excerpt = printable(text.strip(), secrets, limit=60)
        return _NotJSON(text, f"{kind}: {excerpt!r}" if excerpt else kind)
