"""The SigNoz releases the push, diff and fault suites run against: one for each way signoz-dac
talks to SigNoz. A test (or a module, with `pytestmark`) takes some of them with `versions(...)`,
which parametrises the `emulator` fixture.

    @versions("0.138", "0.134")
    def test_something(emulator): ...
"""

from __future__ import annotations

from typing import Any

import pytest

SERVERS: dict[str, dict[str, Any]] = {
    "0.138": {"version": "0.138.0"},  # v6 on /api/v2 with unique names; /api/v2/rules
    "0.134": {"version": "0.134.0"},  # v5 on /api/v1 (use_dashboard_v2 off, its default); /api/v2/rules
    "0.134-flag": {"version": "0.134.0", "use_dashboard_v2": True},  # v6 on /api/v2, names not unique
    "0.120": {"version": "0.120.0"},  # v5 on /api/v1, and the first /api/v2/rules
    "0.119": {"version": "0.119.0"},  # v5 on /api/v1, /api/v1/rules
    "0.92": {"version": "0.92.0"},  # the oldest supported: /api/v1 for both, one panel removed per update
}


def versions(*names: str) -> pytest.MarkDecorator:
    """The first release named runs in the fast loop; the others are `slow` (the whole suite runs all)."""
    params = [pytest.param(SERVERS[n], id=f"signoz-{n}", marks=() if i == 0 else pytest.mark.slow)
              for i, n in enumerate(names)]
    return pytest.mark.parametrize("emulator", params, indirect=True)


def unique_names(emulator: Any) -> bool:
    """Does this emulated release refuse a second dashboard with a name (so that a create whose
    fate is uncertain can be sent again)?"""
    from signoz_dac.signoz.versions import V6_SINCE, parse_version

    number = parse_version(emulator.version)
    return number is None or number >= V6_SINCE
