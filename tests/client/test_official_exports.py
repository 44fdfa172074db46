"""SigNoz's own exported dashboards (../shared) go through our client into the emulator and back.

The client and sync tests push our rendered dashboards, so they run from a plain clone; this one
keeps the check that SigNoz's own exports, which our renderer did not write, are pushed as they are.
"""

from __future__ import annotations

import json

import pytest

from signoz_dac.sync import DASHBOARD, canonical
from tests.conftest import require_shared

from .support import client


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_signoz_own_export_is_created_and_read_back(emulator, name):
    exported = json.loads((require_shared() / "fixtures" / "signoz-official" / f"{name}-v6.json").read_text())
    exported.pop("generateName", None)
    exported["name"] = f"official-{name}"
    exported = DASHBOARD.stamp(exported)
    with client(emulator.url) as c:
        created = c.create_dashboard(exported)
        stored = c.get_dashboard(created["id"])
    assert canonical(stored) == canonical(exported)  # what SigNoz fills in and adds is not a change
    assert stored["name"] == f"official-{name}"
    assert stored["spec"]["display"] == exported["spec"]["display"]
    assert stored["spec"]["panels"].keys() == exported["spec"]["panels"].keys()
    assert stored["spec"]["layouts"] == exported["spec"]["layouts"]
