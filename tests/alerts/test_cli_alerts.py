"""`signoz-dac render` writes each dashboard's rules to <output>/<name>.alerts/<rule id>.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import signoz_dac
from signoz_dac.resources import builtin_definitions
from signoz_dac.signoz.rules import parse_rule

RULE_IDS = ["component-latency-p95-llm-warning", "component-latency-p95-stt-warning", "component-latency-p95-tts-warning",
            "dead-air", "error-rate", "no-data", "tokens-per-call", "turn-latency-p95-critical", "turn-latency-p95-warning"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signoz_dac.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow  # a real signoz-dac process
def test_render_writes_the_rules_beside_the_dashboards(tmp_path):
    result = run_cli("render", "-d", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 2 * len(RULE_IDS) and all(line.startswith("wrote ") for line in lines)
    for path in builtin_definitions():
        definition = signoz_dac.load_definition(path)
        folder = tmp_path / "out" / f"{definition.name}.alerts"
        assert sorted(p.stem for p in folder.iterdir()) == RULE_IDS
        expected = {r["labels"]["signoz_dac_rule"]: signoz_dac.dump(r) for r in signoz_dac.render_alerts(definition)}
        for rule_id, text in expected.items():
            target = folder / f"{rule_id}.json"
            assert f"wrote {Path('out') / target.relative_to(tmp_path / 'out')} (from <builtin>/{path.name})" in lines
            assert target.read_text(encoding="utf-8") == text
            parse_rule(json.loads(text))


GOOD = """\
name: my-agent
title: My agent
profile: livekit
sections:
  - title: Latency
    panels:
      - type: turn_latency
alerts:
  rules:
    - type: turn_latency_p95
      warning: 800
    - type: error_rate
      warning: 1
"""


@pytest.mark.slow  # a real signoz-dac process
def test_a_rule_removed_from_the_definition_disappears_from_the_output(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    assert run_cli("render", "a.yaml", "-d", "out", cwd=tmp_path).returncode == 0
    folder = tmp_path / "out" / "my-agent.alerts"
    assert sorted(p.name for p in folder.iterdir()) == ["error-rate.json", "turn-latency-p95-warning.json"]
    (tmp_path / "a.yaml").write_text(GOOD.replace("    - type: error_rate\n      warning: 1\n", ""))
    result = run_cli("render", "a.yaml", "-d", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["turn-latency-p95-warning.json"]
    assert result.stdout.splitlines()[-1] == f"removed {Path('out') / 'my-agent.alerts' / 'error-rate.json'} (no longer in a.yaml)"


@pytest.mark.slow  # a real signoz-dac process
def test_a_bad_rule_is_bad_input_and_nothing_is_written(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD.replace("warning: 800", "warning: 800\n      windw: 5m"))
    result = run_cli("render", "a.yaml", "-d", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: a.yaml:12:7: alerts.rules[0].windw: unknown option 'windw'"), result.stderr
    assert not (tmp_path / "out").exists()
