"""Helpers for these tests (the same as tests/client/support.py: each test package stands alone)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from signoz_dac.signoz.client import SigNozClient
from signoz_dac.testing import FAST_RETRY, SleepRecorder

SHARED = Path(__file__).resolve().parents[3] / "shared"
OFFICIAL = SHARED / "fixtures" / "signoz-official"
CANARY = "canary-key-5f1e"
VIEWER = "viewer-key-77aa"
KEYS = {CANARY: "editor", VIEWER: "viewer"}


@cache
def _official(name: str) -> dict[str, Any]:
    return json.loads((OFFICIAL / f"{name}-v6.json").read_text())


def body(name: str = "pipecat-test", *, official: str = "pipecat", title: str | None = None) -> dict[str, Any]:
    """SigNoz's own exported Pipecat (or LiveKit) dashboard with a fixed `name` instead of generateName."""
    data = copy.deepcopy(_official(official))
    data.pop("generateName", None)
    data["name"] = name
    if title:
        data["spec"]["display"]["name"] = title
    return data


def client(url: str, key: str | None = CANARY, **kwargs: Any) -> SigNozClient:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("sleep", SleepRecorder())
    return SigNozClient(url, key, **kwargs)
