"""Running the command line the way users do, for the first-hour tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from signoz_dac.cli.app import app


def cli(*args: str, env: dict[str, str] | None = None):
    """In this process (fast): exit code and output, stderr apart."""
    return CliRunner().invoke(app, list(args), env=env, prog_name="signoz-dac")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """In a process of its own, as a shell runs it."""
    return subprocess.run([sys.executable, "-m", "signoz_dac.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
