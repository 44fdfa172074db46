"""A wall clock on each HTTP attempt, under httpx.

httpx's read timeout applies to each read from the socket, so a server that sends one byte every
few seconds (headers or body) keeps an attempt alive for ever. The client therefore sets, around
each exchange, the moment the attempt must end (`attempt_window`), and every read, write, connect
and TLS handshake of httpx's connections gets at most the time left until then, failing with
httpcore's own timeout errors (which httpx maps to `httpx.TimeoutException`) once it is gone.

httpx does not let a caller choose its network backend, so `install_wall_clock` wraps the backend
of the connection pools an `httpx.Client` built for itself. It returns False when a transport
does not have one (a transport the caller injected, or an httpx whose internals moved): the
per-read timeouts still apply there, the overall deadline still ends the run between attempts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

_ENDS: ContextVar[float | None] = ContextVar("signoz_dac_attempt_ends", default=None)


@contextmanager
def attempt_window(seconds: float) -> Iterator[None]:
    """Everything sent or read on this thread inside the block must be done within `seconds`."""
    token = _ENDS.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _ENDS.reset(token)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    ends = _ENDS.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise error("the attempt ran out of time (the server answers too slowly)")
    return left if timeout is None else min(timeout, left)


class _WallClockStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        return _WallClockStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _WallClockBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address,
                                         socket_options)
        return _WallClockStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options)
        return _WallClockStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_wall_clock(client: httpx.Client) -> bool:
    """Wrap the network backend of every connection pool `client` built itself; False if none has one."""
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001  (see the module's docstring)
    installed = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _WallClockBackend):
            pool._network_backend = _WallClockBackend(backend)  # type: ignore[union-attr]
            installed = True
    return installed
