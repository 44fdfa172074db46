"""Small definitions and dashboards of our own for the lifecycle tests (prune, lock state, renames):
no file from ../shared, so these run from a plain clone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY
from tests.support.timing import READ_TIMEOUT

# A dashboard with two alert rules; their titles come from the dashboard's title.
DEFINITION = """\
name: {name}
title: {title}
profile: pipecat
{extra}sections:
  - title: Latency
    panels:
      - type: turn_latency
alerts:
  rules:
{rules}"""
RULES = {
    "error_rate": "    - type: error_rate\n      warning: 1\n",
    "dead_air": "    - type: dead_air\n      warning: 5\n",
}


@pytest.fixture(autouse=True)
def fast_client(monkeypatch, tmp_path):
    """Quick retries, a short read timeout (slow faults), run from an empty folder outside any git repository."""
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", httpx.Timeout(5.0, read=READ_TIMEOUT))
    monkeypatch.chdir(tmp_path)


def definition(folder: Path, name: str, *, title: str | None = None, rules: tuple[str, ...] = tuple(RULES),
               locked: bool | None = None) -> str:
    """Write `<folder>/<name>.yaml`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = "" if locked is None else f"locked: {str(locked).lower()}\n"
    text = DEFINITION.format(name=name, title=title or name.replace("-", " ").capitalize(), extra=extra,
                             rules="".join(RULES[r] for r in rules) or "    []\n")
    if not rules:
        text = text.replace("alerts:\n  rules:\n    []\n", "")
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return str(path)


def dashboard_json(folder: Path, name: str, title: str = "A dashboard") -> str:
    """Write a small SigNoz v6 dashboard (`<folder>/<name>.json`); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(dashboard_body(name, title)))
    return str(path)


def dashboard_body(name: str, title: str = "A dashboard", tags: list[dict[str, str]] | None = None) -> dict:
    return {"schemaVersion": "v6", "name": name, "tags": tags or [],
            "spec": {"display": {"name": title}, "panels": {}, "layouts": [], "variables": []}}


def git_checkout(folder: Path, remote: str | None) -> Path:
    """Make `folder` a git work tree, as a CI checkout is, with `remote` as its origin (None: none)."""
    folder.mkdir(parents=True, exist_ok=True)
    commands = [["init", "-q"]] + ([["remote", "add", "origin", remote]] if remote else [])
    for command in commands:
        subprocess.run(["git", *command], cwd=folder, check=True, capture_output=True)
    return folder


def rules_of(emulator, dashboard: str) -> list[dict]:
    from signoz_dac.identity import DASHBOARD_LABEL

    return [r for r in emulator.rules.values() if (r.get("labels") or {}).get(DASHBOARD_LABEL) == dashboard]

