"""Hostile-server faults for the emulator: what a broken proxy, a misconfigured URL or a malicious
server sends, so tests can show the client stays safe (exit 3, one line, no key, no traceback).

    signoz.inject(REPLY, route=LIST, status=200, body="<html>sign in</html>", content_type="text/html")
    signoz.inject(REPLY, route=GET, status=401, body={"status": "error", "error": {"message": "bad key {key}"}})
    signoz.inject(COMMIT_THEN_REPLY, route=CREATE, status=201, body={"status": "success", "data": {}})
    signoz.inject(TRICKLE, route=LIST, delay=0.5)       # the real answer, one byte every 0.5 s
    signoz.inject(HANG, route=LIST)                     # no answer until the client gives up

`{key}` in a reply's body or header values becomes the API key the request carried (a server
echoing the key back). A body that is not bytes or a string is sent as JSON.
"""

from __future__ import annotations

import json
import select
import time
from collections.abc import Callable
from typing import Any

REPLY = "reply"  # answer with `status`, `body`, `headers`, `content_type` instead of doing the work
COMMIT_THEN_REPLY = "commit_then_reply"  # do the work (e.g. store the POST), then answer as REPLY does
TRICKLE = "trickle"  # the real answer, status line and headers included, one byte every `delay` seconds
TRICKLE_BODY = "trickle_body"  # the real status and headers at once, then the body one byte every `delay`
HANG = "hang"  # read the request, never answer; stop when the client hangs up (or after `delay`, default 120 s)
KINDS = frozenset({REPLY, COMMIT_THEN_REPLY, TRICKLE, TRICKLE_BODY, HANG})


def serve(handler: Any, fault: Any, answer: Callable[[], None]) -> None:
    """Answer one request the way `fault` says; `answer()` gives the emulator's real answer."""
    if fault.kind == HANG:
        return _hang(handler, fault.delay or 120.0)
    if fault.kind in (TRICKLE, TRICKLE_BODY):
        handler.wfile = _Trickle(handler.wfile, fault.delay or 1.0, skip_first=fault.kind == TRICKLE_BODY)
        return answer()
    if fault.kind == COMMIT_THEN_REPLY:
        real, handler.wfile = handler.wfile, _Sink()
        try:
            answer()
        finally:
            handler.wfile = real
    _reply(handler, fault)


def _reply(handler: Any, fault: Any) -> None:
    key = handler.headers.get("SIGNOZ-API-KEY") or ""
    body = fault.body
    if body is None:
        data = b""
    elif isinstance(body, bytes):
        data = body
    else:
        text = body if isinstance(body, str) else json.dumps(body)
        data = text.replace("{key}", key).encode("utf-8", "surrogatepass")
    try:
        handler.send_response(fault.status)
        handler.send_header("Content-Type", fault.content_type or "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (fault.headers or {}).items():
            handler.send_header(name, value.replace("{key}", key))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass


def _hang(handler: Any, limit: float) -> None:
    handler.close_connection = True
    ends = time.monotonic() + limit
    while time.monotonic() < ends:
        readable, _, _ = select.select([handler.connection], [], [], 0.1)
        if readable:
            try:
                if not handler.connection.recv(1, 0):
                    return  # the client hung up
            except OSError:
                return


class _Sink:
    """Swallows the real answer (COMMIT_THEN_REPLY)."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass


class _Trickle:
    """Writes one byte at a time, `delay` seconds apart; stops when the client has gone."""

    def __init__(self, inner: Any, delay: float, *, skip_first: bool):
        self._inner = inner
        self._delay = delay
        self._skip = skip_first  # the first write is the status line and headers

    def write(self, data: bytes) -> int:
        if self._skip:
            self._skip = False
            self._inner.write(data)
            self._inner.flush()
            return len(data)
        for index in range(len(data)):
            self._inner.write(data[index:index + 1])
            self._inner.flush()
            time.sleep(self._delay)
        return len(data)

    def flush(self) -> None:
        self._inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
