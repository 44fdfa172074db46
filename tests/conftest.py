"""Shared test fixtures: where the repo and ../shared are, and built-in renders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# The smallest Pipecat definition: one panel, `- type: turn_latency` at line 7.
MINIMAL_DEFINITION = """\
name: my-agent
title: My agent
profile: pipecat
sections:
  - title: Latency
    panels:
      - type: turn_latency
"""

# A definition with one threshold alert rule; its `aggregation:` is line 12, its `filter:` line 13.
THRESHOLD_ALERT = MINIMAL_DEFINITION + """\
alerts:
  rules:
    - type: threshold
      id: slow
      aggregation: {aggregation}
      filter: {filter}
      warning: 1
"""


def require_shared() -> Path:
    """../shared (SigNoz's official dashboards, the oracle). Skips locally when absent; CI must have it."""
    if SHARED.is_dir():
        return SHARED
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {SHARED} is missing: contract tests must run in CI, not skip")
    pytest.skip(f"{SHARED} is absent (the contract tests need ../shared beside the repo)")


@pytest.fixture(autouse=True)
def own_result_cache(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets an empty cache of render and lint results (signoz_dac/cache.py), never the
    user's: a result cached by one test must not answer for another (tests change code paths and
    inputs under the same names). Subprocesses inherit it through the environment."""
    folder = tmp_path_factory.mktemp("result-cache")
    monkeypatch.setenv("SIGNOZ_DAC_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def forget_secrets():
    """The command line redacts a key it read for the rest of its process; tests run many commands
    in one process, and one test's key must not be redacted from the next test's output."""
    from signoz_dac.cli import common

    yield
    common._SECRETS.clear()


@pytest.fixture
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def builtin_bodies() -> dict[str, dict]:
    """The built-in definitions rendered once: {dashboard name: body}."""
    import signoz_dac
    from signoz_dac.resources import builtin_definitions

    bodies = {}
    for path in builtin_definitions():
        body = signoz_dac.render(signoz_dac.load_definition(path))
        bodies[body["name"]] = body
    return bodies


@pytest.fixture
def emulator(request):
    """A SigNoz API emulator on 127.0.0.1 with an editor and a viewer key (tests/client/support.py),
    as SigNoz 0.138 or as the release `tests.support.versions.versions(...)` asks for.

    It needs nothing from ../shared; the tests that push SigNoz's own exports skip (or fail in CI)
    through `body()`, which reads them.
    """
    from signoz_dac.testing import SigNozEmulator
    from tests.client.support import KEYS

    with SigNozEmulator(api_keys=KEYS, **getattr(request, "param", {})) as emu:
        yield emu
