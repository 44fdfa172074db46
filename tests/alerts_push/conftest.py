from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY, SigNozEmulator
from tests.support.timing import READ_TIMEOUT

from .support import KEYS


@pytest.fixture(autouse=True)
def fast_client(monkeypatch, tmp_path):
    """Quick retries and a short read timeout (slow faults), run from an empty folder."""
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", httpx.Timeout(5.0, read=READ_TIMEOUT))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def emulator(request) -> Iterator[SigNozEmulator]:
    """As SigNoz 0.138, or the release `tests.support.versions.versions(...)` asks for."""
    with SigNozEmulator(api_keys=KEYS, channels=["slack-voice", "pagerduty-oncall"],
                        **getattr(request, "param", {})) as emu:
        yield emu
