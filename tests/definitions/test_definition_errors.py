"""Bad definitions: a one-line error naming file and line, exit 2, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError
from tests.support.definitions import refused_at, starts_at

GOOD = """\
name: my-agent
title: My agent
profile: pipecat
variables:
  - {kind: dynamic, name: service_name, attribute: service.name}
  - {kind: text, name: turns_threshold, default: "3"}
sections:
  - title: Latency
    panels:
      - type: turn_latency
      - type: component_latency
        component: tts
"""

# (case, definition text, expected line, words the message must contain)
CASES = [
    ("yaml syntax", GOOD.replace("title: Latency", "title: [Latency"), 9, ["YAML syntax error"]),
    ("unknown panel type", GOOD.replace("type: turn_latency", "type: turn_latencyy"), 10,
     ["unknown type 'turn_latencyy'", "turn_latency"]),
    ("unknown option", GOOD.replace("      - type: turn_latency\n", "      - type: turn_latency\n        percentile: [50]\n"), 11,
     ["unknown option 'percentile'", "did you mean 'percentiles'"]),
    ("wrong option type", GOOD.replace("component: tts", "component: tts\n        average: maybe"), 13,
     ["average", "bool"]),
    ("bad component", GOOD.replace("component: tts", "component: vad"), 12, ["component", "'stt', 'llm' or 'tts'"]),
    ("invalid name", GOOD.replace("name: my-agent", "name: My_Agent"), 1, ["DNS-1123"]),
    ("duplicate key", GOOD.replace("title: My agent", "title: My agent\ntitle: Again"), 3, ["duplicate key 'title'"]),
    ("missing required", GOOD.replace("profile: pipecat\n", ""), 1, ["profile", "required"]),
    ("unknown profile", GOOD.replace("profile: pipecat", "profile: vapi"), 3, ["profile", "pipecat"]),
    ("too many tags", GOOD.replace("profile: pipecat", "profile: pipecat\ntags: {" + ", ".join(f"k{i}: v" for i in range(9)) + "}"), 4, ["at most 7 tags"]),
    # SigNoz's own tag rules (signoz/names.py), caught at the definition's line rather than after rendering
    ("empty tag value", GOOD.replace("profile: pipecat", "profile: pipecat\ntags: {team: ''}"), 4,
     ["tag value ''", "must not be empty"]),
    ("reserved tag key", GOOD.replace("profile: pipecat", "profile: pipecat\ntags: {Locked: 'yes'}"), 4,
     ["tag key 'Locked'", "reserved"]),
    ("bad alert window", GOOD + "alerts:\n  rules:\n    - {type: error_rate, warning: 1, window: 5 min}\n", 15,
     ["window", "whole number of seconds, minutes or hours"]),
    ("bad lookback", GOOD.replace("      - type: turn_latency\n", "      - type: conversations_below_threshold\n        lookback: 2 hours\n"), 11,
     ["lookback", "minutes or hours"]),
    ("all without multiple", GOOD.replace("attribute: service.name}", "attribute: service.name, multiple: false}"), 5,
     ["allow_all needs multiple"]),
    ("not a mapping", "- just\n- a list\n", 1, ["YAML mapping"]),
    ("empty", "", 1, ["empty"]),
]


@pytest.mark.parametrize(("case", "text", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_load_reports_file_and_line(tmp_path, case, text, line, words):
    path = tmp_path / "my-agent.yaml"
    path.write_text(text)
    refused_at(path, line, *words)


def test_the_good_definition_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD)
    assert load_definition(path).name == "my-agent"


def test_missing_file(tmp_path):
    with pytest.raises(DefinitionError, match="cannot read definition"):
        load_definition(tmp_path / "nope.yaml")


def test_threshold_panel_without_its_variable_is_an_error_at_the_panel(tmp_path):
    import signoz_dac

    path = tmp_path / "x.yaml"
    path.write_text(GOOD.replace("  - {kind: text, name: turns_threshold, default: \"3\"}\n", "").replace(
        "      - type: turn_latency\n", "      - type: conversations_below_threshold\n"))
    with pytest.raises(DefinitionError, match="needs a text variable named 'turns_threshold'") as info:
        signoz_dac.render(load_definition(path))
    assert starts_at(str(info.value), path, 9)


def test_duplicate_panel_keys_point_at_the_second_panel(tmp_path):
    import signoz_dac

    path = tmp_path / "x.yaml"
    path.write_text(GOOD + "      - type: component_latency\n        component: tts\n")
    with pytest.raises(DefinitionError, match="'component-latency-tts' is already used by the panel at line 11") as info:
        signoz_dac.render(load_definition(path))
    assert starts_at(str(info.value), path, 13)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signoz_dac.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
@pytest.mark.parametrize(("case", "text", "line", "words"), CASES[:6], ids=[c[0] for c in CASES[:6]])
def test_cli_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, case, text, line, words):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD.replace("my-agent", "good-agent"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = run_cli("render", str(good), str(bad), "-d", "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and starts_at(lines[0].removeprefix("error: "), bad, line), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # the good definition was not written either


@pytest.mark.slow  # a real signoz-dac process
def test_cli_writes_files_and_says_so(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    result = run_cli("render", "a.yaml", "-d", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {Path('out') / 'my-agent.json'} (from a.yaml)"
    assert (tmp_path / "out" / "my-agent.json").read_text().startswith("{\n")


@pytest.mark.slow  # a real signoz-dac process
def test_cli_stdout_prints_one_dashboard(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    result = run_cli("render", "a.yaml", "--stdout", cwd=tmp_path)
    assert result.returncode == 0
    import json

    assert json.loads(result.stdout)["name"] == "my-agent"
    assert not (tmp_path / "build").exists()


@pytest.mark.slow  # a real signoz-dac process
def test_cli_two_definitions_with_one_name_is_bad_input(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    result = run_cli("render", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "is used by several definitions" in result.stderr


@pytest.mark.slow  # a real signoz-dac process
def test_cli_missing_file_is_bad_input(tmp_path):
    result = run_cli("render", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.yaml: no such file" in result.stderr  # as push, diff and lint say it (one input loader)


@pytest.mark.slow  # a real signoz-dac process
def test_cli_non_utf8_definition_is_bad_input(tmp_path):
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe name: x")
    result = run_cli("render", "bin.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: bin.yaml: not UTF-8 text (byte 0)"


@pytest.mark.slow  # a real signoz-dac process
def test_cli_unwritable_output_is_bad_input_and_writes_nothing(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "taken").write_text("a file where the output folder should be")
    result = run_cli("render", "a.yaml", "-d", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: cannot write into taken: it is a file, not a folder"
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "taken"]


@pytest.mark.parametrize(
    ("panel", "words"),
    [
        ("{type: turn_latency, average: false, percentiles: []}", "turn on at least one of: average, percentiles"),
        ("{type: token_usage, tiles: false, over_time: false}", "turn on at least one of: tiles, over_time"),
        ("{type: error_rate, tile: false, over_time: false}", "turn on at least one of: tile, over_time"),
        ("{type: turn_latency, unit: ms}", "unknown option 'unit'"),  # latency attributes are seconds
        ("{type: logs, title: " + "x" * 101 + "}", "at most 100 characters"),
    ],
)
def test_panels_that_would_render_nothing_or_break_signoz_are_rejected_at_their_line(tmp_path, panel, words):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD.replace("      - type: turn_latency\n", f"      - {panel}\n"))
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert starts_at(str(info.value), path, 10) and words in str(info.value), str(info.value)


def test_a_constant_text_variable_needs_a_value(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD.replace('default: "3"}', 'default: "", constant: true}'))
    with pytest.raises(DefinitionError, match="a constant variable needs a non-empty default") as info:
        load_definition(path)
    assert starts_at(str(info.value), path, 6)
