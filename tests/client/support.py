"""Helpers for the client and sync tests: a valid v6 body (SigNoz's own export) and a client that never waits."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from signoz_dac.signoz.client import SigNozClient
from signoz_dac.testing import FAST_RETRY, SleepRecorder
from tests.conftest import SHARED, require_shared

OFFICIAL = SHARED / "fixtures" / "signoz-official"
CANARY = "canary-key-5f1e"
VIEWER = "viewer-key-77aa"
KEYS = {CANARY: "editor", VIEWER: "viewer"}


@cache
def _official(name: str) -> dict[str, Any]:
    require_shared()  # SigNoz's own exports live in ../shared: skip locally, fail in CI, when it is absent
    return json.loads((OFFICIAL / f"{name}-v6.json").read_text())


def body(
    name: str = "pipecat-test", *, official: str = "pipecat", title: str | None = None, panels: int | None = 3
) -> dict[str, Any]:
    """SigNoz's own exported Pipecat (or LiveKit) dashboard with a fixed `name` instead of generateName.

    `panels` keeps only the first few panels (and their grid items), which keeps the many HTTP round
    trips of these tests fast; None keeps all 18.
    """
    data = copy.deepcopy(_official(official))
    data.pop("generateName", None)
    if panels is not None:
        keep = list(data["spec"]["panels"])[:panels]
        data["spec"]["panels"] = {key: data["spec"]["panels"][key] for key in keep}
        for layout in data["spec"]["layouts"]:
            items = layout["spec"]["items"]
            layout["spec"]["items"] = [i for i in items if i["content"]["$ref"].rsplit("/", 1)[-1] in keep]
    data["name"] = name
    if title:
        data["spec"]["display"]["name"] = title
    return data


def client(url: str, key: str | None = CANARY, **kwargs: Any) -> SigNozClient:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("sleep", SleepRecorder())
    return SigNozClient(url, key, **kwargs)
