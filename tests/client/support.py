"""Helpers for the client and sync tests: a valid v6 body (one of our built-in dashboards,
rendered) and a client that never waits."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from signoz_dac.signoz.client import SigNozClient
from signoz_dac.testing import FAST_RETRY, SleepRecorder

CANARY = "canary-key-5f1e"
VIEWER = "viewer-key-77aa"
KEYS = {CANARY: "editor", VIEWER: "viewer"}


@cache
def _rendered(name: str) -> dict[str, Any]:
    import signoz_dac
    from signoz_dac.resources import builtin_definitions

    [path] = [p for p in builtin_definitions() if p.stem == name]
    return signoz_dac.render(signoz_dac.load_definition(path))


@cache
def _trimmed(builtin: str, panels: int | None) -> dict[str, Any]:
    """The render with only its first `panels` panels (and their grid items); callers copy it."""
    data = copy.deepcopy(_rendered(builtin))
    if panels is not None:
        keep = list(data["spec"]["panels"])[:panels]
        data["spec"]["panels"] = {key: data["spec"]["panels"][key] for key in keep}
        for layout in data["spec"]["layouts"]:
            items = layout["spec"]["items"]
            layout["spec"]["items"] = [i for i in items if i["content"]["$ref"].rsplit("/", 1)[-1] in keep]
    return data


def body(
    name: str = "pipecat-test", *, builtin: str = "pipecat", title: str | None = None, panels: int | None = 3
) -> dict[str, Any]:
    """Our built-in Pipecat (or LiveKit) dashboard, rendered, under another `name`.

    `panels` keeps only the first few panels (and their grid items), which keeps the many HTTP round
    trips of these tests fast; None keeps them all (32). Each call returns a copy of its own (trimmed
    first: copying the whole render for every body took seconds of the test run).
    """
    data = copy.deepcopy(_trimmed(builtin, panels))
    data["name"] = name
    if title:
        data["spec"]["display"]["name"] = title
    return data


def client(url: str, key: str | None = CANARY, **kwargs: Any) -> SigNozClient:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("sleep", SleepRecorder())
    return SigNozClient(url, key, **kwargs)
