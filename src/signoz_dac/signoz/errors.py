"""What can go wrong talking to SigNoz: a small typed hierarchy, in the manner of httpx's.

The server's error envelope `{"status":"error","error":{"type","code","message",...}}` (or the older
handlers' `{"status":"error","errorType","error"}`) becomes one of these, carrying the HTTP status,
SigNoz's `code` and its `message`. The CLI maps every `SigNozError` to exit code 3 (server or
network failure); bad input stays an `InputError` (exit 2). Nothing here ever holds request
headers; every message is one printable line (`safetext`), and the client redacts its key from
what the server said before raising, so an error can be printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from signoz_dac.errors import DacError, InputError
from signoz_dac.safetext import printable


class SigNozError(DacError):
    """Base of every failure that comes from the server or the network."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ):
        self.message = printable(message, limit=None)
        self.status = status
        self.code = printable(code, limit=100) if code is not None else None
        self.method = method
        self.path = path
        super().__init__(self.message)

    def redact(self, secrets: Iterable[str]) -> None:
        """Remove secrets (the API key) from what this error says; the client calls it before raising."""
        secrets = list(secrets)
        self.message = printable(self.message, secrets, limit=None)
        self.code = printable(self.code, secrets, limit=100) if self.code is not None else None
        self.args = (self.message,)

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: " if self.method and self.path else ""
        # Go's plain-text 404 body already starts with its status: "404 page not found".
        status = f"{self.status} " if self.status and not self.message.startswith(str(self.status)) else ""
        code = f"{self.code}: " if self.code and self.code != self.message else ""
        return f"{where}{status}{code}{self.message}"


class TransportError(SigNozError):
    """No usable HTTP response: connection refused or reset, timeout, TLS failure."""


class DeadlineExceeded(SigNozError):
    """The run's deadline passed before the call could be completed (retries stop there too)."""


class BadReply(SigNozError):
    """A reply that is not what SigNoz sends: not JSON, an HTML page, a list where an object belongs,
    an object without its `id`... Nothing is built on such a reply."""


class RequestTooLarge(InputError):
    """A body larger than the client sends (bad input: exit 2), or one JSON cannot carry (NaN)."""


class UncertainCreate(SigNozError):
    """A POST failed in a way that may have committed, nothing with its identity is there yet, and
    the server would not refuse a duplicate: it is not sent again (a later run finds what landed)."""


class ResponseTooLarge(SigNozError):
    """The response body exceeded the client's size cap (a misconfigured URL, a proxy page...)."""


class UnsupportedVersion(SigNozError):
    """The server cannot do what is asked the way its UI would show it: too old a release, a flag
    set so that no API puts dashboards where the UI shows them, or an update the release refuses."""


class APIError(SigNozError):
    """The server answered with an error status (and, usually, the error envelope). On a retryable
    status (429, 502, 503, 504) `retry_after` holds the server's Retry-After in seconds, if any."""

    retry_after: float | None = None


class InvalidInput(APIError):
    """400: the server rejected the body or a parameter (`dashboard_invalid_input`, ...)."""


class Locked(InvalidInput):
    """400: the dashboard is locked, so PUT, PATCH and DELETE are refused until it is unlocked."""


class AuthError(APIError):
    """401 (no key, a wrong or revoked key) or 403 (the key's role may not do this)."""


class NotFound(APIError):
    """404: no such dashboard, or no such route (an old server, a wrong base URL)."""


class Conflict(APIError):
    """409: a dashboard with this `name` already exists in the organisation."""


class RateLimited(APIError):
    """429: too many requests; `retry_after` holds the server's hint in seconds, if it gave one."""


class Unsupported(APIError):
    """501: e.g. `dashboard_deprecated` from a v1 route on SigNoz >= 0.135."""


class ServerError(APIError):
    """5xx: the server (or a proxy in front of it) failed."""


def _status_class(status: int) -> type[APIError]:
    if status == 401 or status == 403:
        return AuthError
    if status == 404:
        return NotFound
    if status == 409:
        return Conflict
    if status == 429:
        return RateLimited
    if status == 501:
        return Unsupported
    if status >= 500:
        return ServerError
    if status == 400:
        return InvalidInput
    return APIError


def error_from_response(
    status: int, payload: Any, *, method: str | None = None, path: str | None = None, secrets: Iterable[str] = ()
) -> APIError:
    """Turn an error status and its decoded body (envelope, raw text, or None) into an exception.

    What the server said is cut short and kept on one line, with `secrets` redacted first (a key cut
    in half could not be recognised any more)."""
    secrets = list(secrets)
    code: str | None = None
    message: str | None = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        err = payload["error"]
        code = err.get("code") if isinstance(err.get("code"), str) else None
        message = err.get("message") if isinstance(err.get("message"), str) else None
        # The envelope's `errors` carry details (e.g. every rule broken); keep them in the message.
        listed = err.get("errors") if isinstance(err.get("errors"), list) else []
        details = [e.get("message") for e in listed if isinstance(e, dict) and e.get("message")]
        if details and message:
            message = f"{message} ({'; '.join(str(d) for d in details)})"
    elif isinstance(payload, dict) and isinstance(payload.get("error"), str):
        # The older handlers' envelope (/api/v1/rules): {"status":"error","errorType":"bad_data","error":"..."}.
        code = payload.get("errorType") if isinstance(payload.get("errorType"), str) else None
        message = payload["error"]
    elif isinstance(payload, str) and payload.strip():
        # Not SigNoz's envelope (a proxy page, Go's plain "404 page not found"): keep a short excerpt.
        message = printable(payload.strip(), secrets, limit=200)
    message = printable(message, secrets) if message else None
    if not message:
        message = f"HTTP {status}"
    cls = _status_class(status)
    # SigNoz reports a locked dashboard as a plain 400 invalid_input; give it its own type so callers
    # can unlock and retry without parsing messages themselves.
    if cls is InvalidInput and "locked" in message.lower():
        cls = Locked
    return cls(message, status=status, code=printable(code, secrets, limit=100) if code else None, method=method,
               path=path)
