"""Fixtures for the alert tests: the shipped rules, rendered once."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def shipped_rules() -> dict[str, dict[str, dict]]:
    """{dashboard name: {rule id: body}} for the built-in definitions."""
    import signoz_dac
    from signoz_dac.identity import rule_key
    from signoz_dac.resources import builtin_definitions

    out: dict[str, dict[str, dict]] = {}
    for path in builtin_definitions():
        dashboard = signoz_dac.load_definition(path)
        out[dashboard.name] = {rule_key(r)[1]: r for r in signoz_dac.render_alerts(dashboard)}  # type: ignore[index]
    return out
