from __future__ import annotations

from collections.abc import Iterator

import pytest

from signoz_dac.testing import SigNozEmulator
from .support import KEYS, SHARED


@pytest.fixture
def emulator() -> Iterator[SigNozEmulator]:
    if not SHARED.is_dir():
        pytest.skip("../shared (SigNoz's official dashboards) is absent")
    with SigNozEmulator(api_keys=KEYS) as emu:
        yield emu
