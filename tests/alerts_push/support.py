"""Running `push` and `diff` in-process against the emulator, with definitions that carry alert rules.

Each test package stands alone (as tests/sync and tests/client do), so the few helpers are here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from signoz_dac.cli import diff, push
from signoz_dac.resources import dashboards_dir

CANARY = "canary-key-9c3d"
VIEWER = "viewer-key-31b0"
KEYS = {CANARY: "editor", VIEWER: "viewer"}
PIPECAT = dashboards_dir() / "pipecat.yaml"
DASHBOARD = "pipecat-voice-agent"
TURN_RULE = "Pipecat voice agent: Voice-to-voice latency P95"  # the `alert` of its first rule
RULES = 6  # per shipped definition

app = typer.Typer()
push.register(app)
diff.register(app)

CLEAN_ENV = {v: None for v in ("SIGNOZ_URL", "SIGNOZ_ENDPOINT", "SIGNOZ_API_KEY", "SIGNOZ_ACCESS_TOKEN")}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def run(args: list[str], *, url: str, key: str = CANARY) -> Run:
    result = CliRunner().invoke(app, args, env={**CLEAN_ENV, "SIGNOZ_URL": url, "SIGNOZ_API_KEY": key})
    outcome = Run(result.exit_code, result.stdout, result.stderr)
    # Whatever happened: the key is in no output, and nothing crashed with a traceback.
    assert CANARY not in outcome.text
    assert "Traceback" not in outcome.text
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return outcome


def definition(folder: Path, *, channels: list[str] | None = None, turn_warning: int | None = None) -> str:
    """The shipped Pipecat definition, optionally with notification channels or another turn-latency
    warning level; returns its path."""
    text = PIPECAT.read_text()
    if channels is not None:
        text, n = re.subn(r"(?m)^  channels: \[\]", f"  channels: {json.dumps(channels)}", text)
        assert n == 1
    if turn_warning is not None:
        text, n = re.subn(r"(?m)^      warning: 800$", f"      warning: {turn_warning}", text)
        assert n == 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pipecat.yaml"
    path.write_text(text)
    return str(path)


def rule_writes(emulator) -> int:
    return sum(n for route, n in emulator.calls.items() if "/rules" in route and not route.startswith("GET"))
