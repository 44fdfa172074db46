"""Running `push` and `diff` in-process against the emulator, with definitions that carry alert rules.

The CLI runner and keys are tests/sync's and tests/client's; the definitions with rules are here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import signoz_dac
from signoz_dac.resources import dashboards_dir
from tests.client.support import CANARY, KEYS, VIEWER  # noqa: F401  (re-exported for these tests)
from tests.sync.cli_support import Run, run  # noqa: F401

PIPECAT = dashboards_dir() / "pipecat.yaml"
DASHBOARD = "pipecat-voice-agent"
TURN_RULE = "Pipecat voice agent: LLM tokens per call"  # the `alert` of the rule these tests change
FIRST_RULE = "Pipecat voice agent: Voice-to-voice latency P95 (warning)"  # errors name the first rule
_SHIPPED = signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))
RULES = len(_SHIPPED)  # per shipped definition
# TURN_RULE's warning level as shipped: what a push that converged leaves on the server
[TURN_WARNING] = [r["condition"]["thresholds"]["spec"][0]["target"] for r in _SHIPPED if r["alert"] == TURN_RULE]


def definition(folder: Path, *, channels: list[str] | None = None, turn_warning: int | None = None) -> str:
    """The shipped Pipecat definition, optionally with notification channels or another warning level
    for TURN_RULE (`turn_warning`); returns its path."""
    text = PIPECAT.read_text()
    if channels is not None:
        text, n = re.subn(r"(?m)^  channels: \[\]", f"  channels: {json.dumps(channels)}", text)
        assert n == 1
    if turn_warning is not None:
        text, n = re.subn(rf"(?m)^      warning: {TURN_WARNING}$", f"      warning: {turn_warning}", text)
        assert n == 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pipecat.yaml"
    path.write_text(text)
    return str(path)


def rule_writes(emulator) -> int:
    return sum(n for route, n in emulator.calls.items() if "/rules" in route and not route.startswith("GET"))
