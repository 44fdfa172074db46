"""Hostile definition inputs, through the real entry point: alias bombs, deep nesting, non-finite
numbers, huge files, symlinks planted in the output folder. Each is exit 2 with one line naming
the file (and line), quickly, with no traceback; nothing is written, and nothing outside -o is
ever touched."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError
from signoz_dac.identity import RULE_LABEL
from signoz_dac.render.alerts import render_alerts
from signoz_dac.resources import dashboards_dir
from tests.support.definitions import starts_at

PIPECAT = dashboards_dir() / "pipecat.yaml"
LIVEKIT = dashboards_dir() / "livekit.yaml"
DEAD_SERVER = {"SIGNOZ_URL": "http://127.0.0.1:9", "SIGNOZ_API_KEY": "k"}


def signoz_dac(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIGNOZ_") or k == "SIGNOZ_DAC_CACHE_DIR"}
    return subprocess.run([sys.executable, "-m", "signoz_dac.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**clean, **(env or {})}, timeout=60)


def assert_refused(result: subprocess.CompletedProcess[str], where: str, *words: str) -> None:
    """Exit 2, one line on stderr naming `where` (file and line). `lint` may instead report a file it
    cannot read as a finding of that file (exit 1), as its README section says: the same words then."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if result.args[3] == "lint" and result.returncode == 1:
        [line] = [line for line in result.stdout.splitlines() if line.startswith(where)]
    else:
        assert result.returncode == 2, result.stdout + result.stderr[-2000:]
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"error: {where}"), line
    for word in words:
        assert word in line, line


def billion_laughs(depth: int = 9) -> str:
    """The classic: 9 levels of 9 aliases each, 9^9 values, in a few hundred bytes."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth)]
    return "name: x\n" + "\n".join(lines) + "\n"


YAML_CASES = [
    ("alias bomb", billion_laughs(), "bomb.yaml:7:", "more than 100000 values"),
    ("alias that contains itself", "name: x\ntitle: &a [x, *a]\n", "bomb.yaml:2:", "refers to a node that contains it"),
    ("deep flow nesting", "name: x\ntitle: " + "[" * 200 + "]" * 200 + "\n", "bomb.yaml:2:", "nested more than 64"),
    ("deep block nesting", "".join("  " * i + "a:\n" for i in range(200)) + "  " * 200 + "b: 1\n", "bomb.yaml:",
     "nested more than 64"),
    ("deep nesting through aliases", "name: x\nd: &d " + "[" * 40 + "]" * 40 + "\ne: " + "[" * 30 + "*d" + "]" * 30
     + "\n", "bomb.yaml:", "nested more than 64"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "where", "words"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_yaml_that_expands_or_nests_without_end_is_refused(tmp_path, text, where, words):
    (tmp_path / "bomb.yaml").write_text(text)
    with pytest.raises(DefinitionError) as info:
        load_definition(tmp_path / "bomb.yaml")
    assert words in str(info.value) and str(info.value).startswith(str(tmp_path / where))
    started = time.monotonic()
    assert_refused(signoz_dac("render", "-d", "out", "bomb.yaml", cwd=tmp_path), where, words)
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["lint"], ["push"], ["diff"]])
def test_every_command_refuses_an_alias_bomb_quickly(tmp_path, command):
    (tmp_path / "bomb.yaml").write_text(billion_laughs())
    started = time.monotonic()
    assert_refused(signoz_dac(*command, "bomb.yaml", cwd=tmp_path, env=DEAD_SERVER), "bomb.yaml:7:", "100000 values")
    assert time.monotonic() - started < 10


@pytest.mark.slow
@pytest.mark.parametrize("command", [["lint"], ["push"]])
def test_deeply_nested_json_is_refused(tmp_path, command):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    assert_refused(signoz_dac(*command, "deep.json", cwd=tmp_path, env=DEAD_SERVER), "deep.json:1:", "nested more than 64")


@pytest.mark.slow  # a real signoz-dac process
def test_json_nested_past_the_limit_but_parseable_is_refused(tmp_path):
    (tmp_path / "deep100.json").write_text('{"a":' * 100 + "1" + "}" * 100)
    assert_refused(signoz_dac("lint", "deep100.json", cwd=tmp_path), "deep100.json:1:", "nested more than 64")


def _non_finite(tmp_path: Path, value: str) -> tuple[Path, int, Path, int]:
    """The shipped definition with `value` as its first alert rule's warning level and as a panel's
    threshold; returns each file and the line the value is on."""
    text = PIPECAT.read_text()
    alerts = text.index("\nalerts:\n")
    warning = re.compile(r"(?m)^(\s+warning: )[^\s#]+").search(text, alerts)
    assert warning is not None
    alert = text[:warning.start()] + warning.group(1) + value + text[warning.end():]
    panel_line = f"      - {{type: error_rate, thresholds: {{warning: {value}}}}}"
    panel = text.replace("    panels:\n", f"    panels:\n{panel_line}\n", 1)
    assert panel != text
    (tmp_path / "alert.yaml").write_text(alert)
    (tmp_path / "panel.yaml").write_text(panel)
    return (tmp_path / "alert.yaml", text.count("\n", 0, warning.start()) + 1,
            tmp_path / "panel.yaml", panel.splitlines().index(panel_line) + 1)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_non_finite_numbers_in_a_definition_are_refused_at_their_line(tmp_path, value):
    alert, alert_line, panel, panel_line = _non_finite(tmp_path, value)
    for path, line in ((alert, alert_line), (panel, panel_line)):
        with pytest.raises(DefinitionError) as info:
            load_definition(path)
        assert starts_at(str(info.value), path, line) and "finite number" in str(info.value)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["render", "-d", "out"], ["lint"], ["push"]])
def test_every_command_refuses_non_finite_numbers(tmp_path, command):
    _, alert_line, _, panel_line = _non_finite(tmp_path, ".nan")
    assert_refused(signoz_dac(*command, "alert.yaml", cwd=tmp_path, env=DEAD_SERVER), f"alert.yaml:{alert_line}:",
                   "finite number")
    assert_refused(signoz_dac(*command, "panel.yaml", cwd=tmp_path, env=DEAD_SERVER), f"panel.yaml:{panel_line}:",
                   "finite number")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_non_finite_numbers_in_a_json_dashboard_are_refused_at_their_line(tmp_path):
    (tmp_path / "nan.json").write_text('{\n  "name": "x",\n  "spec": {"a": -Infinity}\n}\n')
    for command in ("lint", "push"):
        assert_refused(signoz_dac(command, "nan.json", cwd=tmp_path, env=DEAD_SERVER), "nan.json:3:", "-Infinity")


@pytest.mark.slow
def test_huge_files_are_refused_without_reading_them_whole(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w") as out:
        out.write("name: x\ndescription: '")
        out.write("x" * (17 * 1024 * 1024))
        out.write("'\n")
    assert_refused(signoz_dac("render", "-d", "out", "big.yaml", cwd=tmp_path), "big.yaml:1:", "larger than 16 MiB")
    (tmp_path / "big.json").write_bytes(b" " * (17 * 1024 * 1024))
    assert_refused(signoz_dac("lint", "big.json", cwd=tmp_path), "big.json:", "larger than 16 MiB")
    started = time.monotonic()
    assert_refused(signoz_dac("render", "/dev/zero", cwd=tmp_path), "/dev/zero:1:", "larger than 16 MiB")
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out").exists()


def _rule_file() -> str:
    """The file name of a rule the shipped LiveKit definition renders (its first)."""
    first = render_alerts(load_definition(LIVEKIT))[0]
    return f"{first['labels'][RULE_LABEL]}.json"


def _outside(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "important.json").write_text('{"keep": true}')
    (elsewhere / _rule_file()).write_text('{"keep": true}')
    return elsewhere


def _untouched(elsewhere: Path) -> None:
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(["important.json", _rule_file()])
    assert all(json.loads(p.read_text()) == {"keep": True} for p in elsewhere.iterdir())


@pytest.mark.slow  # a real signoz-dac process
def test_a_symlinked_alerts_folder_is_refused_and_nothing_is_written(tmp_path):
    elsewhere = _outside(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "pipecat-voice-agent.alerts").symlink_to(elsewhere)
    result = signoz_dac("render", "-d", "out", cwd=tmp_path)
    assert_refused(result, "out/pipecat-voice-agent.alerts is a symbolic link", "never through or over a link")
    _untouched(elsewhere)
    assert sorted(p.name for p in out.iterdir()) == ["pipecat-voice-agent.alerts"]  # every file or none


@pytest.mark.slow  # a real signoz-dac process
def test_a_symlinked_output_file_is_refused(tmp_path):
    elsewhere = _outside(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "pipecat-voice-agent.json").symlink_to(elsewhere / "important.json")
    (out / "livekit-voice-agent.alerts").mkdir()
    rule = _rule_file()
    (out / "livekit-voice-agent.alerts" / rule).symlink_to(elsewhere / rule)
    result = signoz_dac("render", "-d", "out", cwd=tmp_path)
    assert_refused(result, "out/")
    _untouched(elsewhere)
    (out / "pipecat-voice-agent.json").unlink()
    result = signoz_dac("render", "-d", "out", cwd=tmp_path)
    assert_refused(result, f"out/livekit-voice-agent.alerts/{rule} is a symbolic link")
    _untouched(elsewhere)


@pytest.mark.slow  # a real signoz-dac process
def test_a_stale_link_in_a_rules_folder_is_removed_not_followed(tmp_path):
    elsewhere = _outside(tmp_path)
    alerts = tmp_path / "out" / "pipecat-voice-agent.alerts"
    alerts.mkdir(parents=True)
    (alerts / "old-rule.json").symlink_to(elsewhere / "important.json")
    (alerts / "old-folder.json").symlink_to(elsewhere)
    result = signoz_dac("render", "-d", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"removed {Path('out') / 'pipecat-voice-agent.alerts' / 'old-rule.json'}" in result.stdout
    assert not (alerts / "old-rule.json").is_symlink() and not (alerts / "old-folder.json").is_symlink()
    _untouched(elsewhere)


@pytest.mark.slow  # a real signoz-dac process
def test_a_named_pipe_planted_in_the_output_folder_does_not_hang_render(tmp_path):
    """render reads a file already there to leave it alone when it holds its text: a named pipe
    in its place must neither block that read nor survive as a pipe."""
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "pipecat-voice-agent.json")
    result = signoz_dac("render", str(PIPECAT), "-d", "out", cwd=tmp_path)  # times out (fails) if it blocks
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "pipecat-voice-agent.json").read_text())["name"] == "pipecat-voice-agent"
