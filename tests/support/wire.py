"""Plain httpx for the tests that look at the emulator's wire themselves (status codes, headers,
raw bodies), with one TLS context for the whole run.

httpx loads its CA bundle for every client it builds (~18 ms of CPU), even for an http:// URL on
127.0.0.1 that never uses it; the package's own client shares one the same way."""

from __future__ import annotations

from typing import Any

import httpx

_TLS = httpx.create_ssl_context()


def Client(**kwargs: Any) -> httpx.Client:  # noqa: N802  (it stands in for httpx.Client)
    return httpx.Client(verify=_TLS, **kwargs)


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    with Client() as http:
        return http.request(method, url, **kwargs)


def get(url: str, **kwargs: Any) -> httpx.Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    return request("POST", url, **kwargs)


def put(url: str, **kwargs: Any) -> httpx.Response:
    return request("PUT", url, **kwargs)
