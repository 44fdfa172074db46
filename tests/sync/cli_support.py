"""Running `push` and `diff` in-process (typer's CliRunner) against the emulator."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from signoz_dac.cli import diff, push
from tests.client.support import CANARY, body

# Only the commands under test: a broken sibling command must not fail these tests.
app = typer.Typer()
push.register(app)
diff.register(app)

CLEAN_ENV = {v: None for v in ("SIGNOZ_URL", "SIGNOZ_ENDPOINT", "SIGNOZ_API_KEY", "SIGNOZ_ACCESS_TOKEN")}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def text(self) -> str:
        return self.stdout + self.stderr

    @property
    def problems(self) -> str:
        """stderr without the notes saying which API an older SigNoz takes (`note: SigNoz 0.134.0: ...`)
        and that a call is retried (`note: attempt 1 of 5 failed ...`)."""
        return "".join(line for line in self.stderr.splitlines(keepends=True)
                       if not line.startswith(("note: SigNoz ", "note: attempt ")))


def run(args: list[str], *, url: str | None = None, key: str | None = CANARY, env: dict[str, str] | None = None) -> Run:
    environment: dict[str, str | None] = dict(CLEAN_ENV)
    if url:
        environment["SIGNOZ_URL"] = url
    if key:
        environment["SIGNOZ_API_KEY"] = key
    environment.update(env or {})
    result = CliRunner().invoke(app, args, env=environment)
    outcome = Run(result.exit_code, result.stdout, result.stderr, result.exception)
    # Whatever happened: the key is not in any output, and nothing crashed with a traceback.
    assert CANARY not in outcome.stdout and CANARY not in outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return outcome


def write_bodies(folder: Path, *names: str, **overrides: Any) -> list[str]:
    """Write SigNoz dashboard JSON files (official exports with fixed names); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(body(name, **overrides)))
        paths.append(str(path))
    return paths


def process_env(url: str, key: str = CANARY) -> dict[str, str]:
    """The environment for a real `signoz-dac` process: this one's, without SIGNOZ_*, plus URL and key."""
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIGNOZ_")}
    return {**clean, "SIGNOZ_URL": url, "SIGNOZ_API_KEY": key}


def spawn(args: list[str], env: dict[str, str], cwd: Path):
    """Start the real entry point (`python -m signoz_dac.cli`) without waiting for it."""
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "signoz_dac.cli", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
