"""`signoz-dac render --format v5`: <name>.v5.json, the v5 JSON SigNoz 0.92-0.134 reads, with what
SigNoz's own v5 -> v6 conversion would not bring back said on stderr; bad input is exit 2."""

from __future__ import annotations

import json
import warnings

import typer
from typer.testing import CliRunner

import signoz_dac
from signoz_dac.cli import render as render_cli
from signoz_dac.render.v5 import NotCarried, not_carried, to_v5
from signoz_dac.resources import builtin_definitions
from signoz_dac.signoz.v5 import convert_v5_to_v6, ui_problems

app = typer.Typer()
render_cli.register(app)
app.command("other")(lambda: None)  # two commands: typer keeps `render` as a subcommand

MY_AGENT = """\
name: my-agent
title: My agent
profile: pipecat
variables:
  - {kind: custom, name: env, values: "a,b", sort: SORT}
sections:
  - title: Latency
    panels:
      - type: turn_latency
"""


def _run(args: list[str], cwd):
    import os

    before = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, ["render", *args])
    finally:
        os.chdir(before)


def test_the_builtins_render_to_v5_files_that_convert_back_to_their_v6_bodies(tmp_path, builtin_bodies):
    result = _run(["--format", "v5", "-d", "out"], tmp_path)
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{name}.v5.json" for name in builtin_bodies)
    for name, body in builtin_bodies.items():
        text = (out / f"{name}.v5.json").read_text()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotCarried)
            assert json.loads(text) == to_v5(body)
        v5 = json.loads(text)
        assert v5["version"] == "v5" and ui_problems(v5) == []
        assert convert_v5_to_v6(v5)["name"] == name  # SigNoz names a converted dashboard after its title
        assert list((out / f"{name}.alerts").glob("*.json"))  # rules: the same JSON on every release
        # What the conversion would not bring back is on stderr, one line a field, under its file.
        notes = not_carried(body)
        assert f"does not bring back {len(notes)} of its fields" in result.stderr
        assert all(f"  {note}" in result.stderr for note in notes)
    assert "wrote out/pipecat-voice-agent.v5.json" in result.stdout.replace("\\", "/")


def test_stdout_prints_the_v5_json(tmp_path):
    (tmp_path / "a.yaml").write_text(MY_AGENT.replace("SORT", "alphabetical-asc"))
    result = _run(["a.yaml", "--format", "v5", "--stdout"], tmp_path)
    assert result.exit_code == 0, result.stderr
    v5 = json.loads(result.stdout)
    body = signoz_dac.render(signoz_dac.load_definition(tmp_path / "a.yaml"))
    assert v5["title"] == "My agent" and convert_v5_to_v6(v5)["name"] == "my-agent"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotCarried)
        assert v5 == to_v5(body)
    assert not (tmp_path / "build").exists()


def test_a_dashboard_without_a_v5_form_is_exit_2_at_its_path_and_nothing_is_written(tmp_path):
    (tmp_path / "a.yaml").write_text(MY_AGENT.replace("SORT", "numerical-asc"))
    result = _run(["a.yaml", "--format", "v5", "-d", "out"], tmp_path)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: a.yaml: no v5 form (the dashboard JSON of SigNoz 0.92-0.134): ")
    assert "spec.variables[0].spec.sort: the v5 UI sorts only" in line
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_a_usage_error(tmp_path):
    result = _run(["--format", "v4"], tmp_path)
    assert result.exit_code == 2 and "v6 or v5" in result.stderr


def test_the_default_is_still_v6(tmp_path):
    definition = builtin_definitions()[0]
    result = _run([str(definition), "-d", "out"], tmp_path)
    assert result.exit_code == 0
    [written] = (tmp_path / "out").glob("*.json")
    assert json.loads(written.read_text())["schemaVersion"] == "v6" and not written.name.endswith(".v5.json")
