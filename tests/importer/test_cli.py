"""`signoz-dac import` and `signoz-dac pull`, run as the CLI runs them (pull against the emulator on
127.0.0.1): what they write, what they refuse, and the pull → review → push loop for a dashboard
someone edited in SigNoz's UI."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from signoz_dac.cli import diff, importer, pull, push
from signoz_dac.cli import render as render_command
from signoz_dac.definitions import load_definition
from signoz_dac.render.pipeline import render_traced
from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY
from tests.client.support import CANARY, VIEWER
from tests.sync.cli_support import CLEAN_ENV, Run

from .helpers import BODY, assert_same_dashboard

app = typer.Typer()
for command in (importer, pull, push, diff):
    command.register(app)
render_app = typer.Typer()
render_command.register(render_app)
render_app.command("unused")(lambda: None)  # a second command keeps `render` a subcommand


def run(args: list[str], *, url: str | None = None, key: str | None = None) -> Run:
    env: dict[str, str | None] = dict(CLEAN_ENV)
    if url:
        env["SIGNOZ_URL"] = url
    if key:
        env["SIGNOZ_API_KEY"] = key
    result = CliRunner().invoke(app, args, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    out = Run(result.exit_code, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in out.stdout + out.stderr
    assert CANARY not in out.stdout + out.stderr and VIEWER not in out.stdout + out.stderr
    return out


def write_json(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data))
    return str(path)


def renders_back(path: Path, body: dict[str, Any]) -> None:
    assert_same_dashboard(body, render_traced(load_definition(path), own_checks=False).body)


# -- import -------------------------------------------------------------------------------------


def test_import_writes_one_definition_per_dashboard(tmp_path):
    other = {**copy.deepcopy(BODY), "name": "", "generateName": True}
    other["spec"]["display"]["name"] = "Tool calls"
    files = [write_json(tmp_path / "a.json", BODY), write_json(tmp_path / "b.json", {"status": "success", "data": other})]
    result = run(["import", *files, "-d", str(tmp_path / "out")])
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["calls.yaml", "tool-calls.yaml"]
    assert "named 'tool-calls' after its title" in result.stdout
    renders_back(tmp_path / "out" / "calls.yaml", BODY)
    renders_back(tmp_path / "out" / "tool-calls.yaml", {**other, "name": "tool-calls"})


def test_import_writes_nothing_when_one_body_cannot_be_represented(tmp_path):
    broken = copy.deepcopy(BODY)
    broken["name"] = "broken"
    broken["spec"]["panels"]["p1"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["filter"] = {}
    files = [write_json(tmp_path / "good.json", BODY), write_json(tmp_path / "broken.json", broken)]
    result = run(["import", *files, "-d", str(tmp_path / "out")])
    assert result.code == 2
    assert result.stderr.startswith(f"error: {files[1]}: spec.panels.p1.spec.queries[0].spec.plugin.spec.filter: ")
    assert not (tmp_path / "out").exists()


def test_import_of_invalid_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "schemaVersion": "v6",\n  oops\n}')
    result = run(["import", str(path), "-d", str(tmp_path)])
    assert result.code == 2
    assert f"{path}:3: invalid JSON" in result.stderr


def test_a_body_signoz_refuses_is_reported_against_the_input_file(tmp_path):
    # Two panels on one place: SigNoz refuses the body. The error names the JSON file imported and
    # the body's path, not the temporary definition import checks the round trip with.
    body = copy.deepcopy(BODY)
    body["spec"]["panels"]["p2"] = copy.deepcopy(body["spec"]["panels"]["p1"])
    body["spec"]["layouts"][0]["spec"]["items"].append(
        {"x": 3, "y": 3, "width": 6, "height": 6, "content": {"$ref": "#/spec/panels/p2"}})
    file = write_json(tmp_path / "overlap.json", body)
    result = run(["import", file, "-d", str(tmp_path / "out")])
    assert result.code == 2
    assert result.stderr.startswith(f"error: {file}: spec.layouts[0].spec.items[1]: overlaps items[0]"), result.stderr
    assert ".yaml" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_body_signoz_accepts_but_render_refuses_is_written_and_says_what_render_needs(tmp_path):
    # SigNoz's own test dashboard has a Number panel whose query kind is time_series: SigNoz stores
    # it, and the definition renders it back exactly, but `render` and `push` hold their output to
    # more (the UI runs a Number panel's query as scalar). The file must not claim that `render`
    # turns it back; it says what to fix, and the output says so too.
    body = copy.deepcopy(BODY)
    panel = body["spec"]["panels"]["p1"]["spec"]
    panel["plugin"] = {"kind": "signoz/NumberPanel", "spec": {}}
    file = write_json(tmp_path / "number.json", body)
    result = run(["import", file, "-d", str(tmp_path / "out")])
    assert result.code == 0, result.stderr
    written = tmp_path / "out" / "calls.yaml"
    renders_back(written, body)
    text = written.read_text()
    assert "`signoz-dac render` turns it back" not in text
    assert "# `signoz-dac render` and `push` refuse it until this is fixed (SigNoz itself accepts it):" in text
    assert "#   spec.panels.p1.spec.queries[0].kind: must be 'scalar' for a signoz/NumberPanel" in text
    assert "note: `signoz-dac render` and `push` refuse it until fixed: spec.panels.p1.spec.queries[0].kind" in result.stdout
    render = CliRunner().invoke(render_app, ["render", str(written), "-d", str(tmp_path / "build")], env=dict(CLEAN_ENV))
    assert render.exit_code == 2 and "spec.panels.p1.spec.queries[0].kind" in render.stderr


@pytest.mark.slow  # a body of 101 000 values
def test_a_body_too_large_for_a_definition_is_reported_against_the_input_file(tmp_path):
    # A definition is loaded with at most 100 000 values; a body whose definition would hold more
    # cannot be imported. The error names the JSON file, not the temporary definition.
    body = copy.deepcopy(BODY)
    body["spec"]["panels"]["p1"]["spec"]["plugin"]["spec"]["legend"] = {
        "position": "right", "customColors": {f"series-{i}": "#ffffff" for i in range(101_000)}}
    file = write_json(tmp_path / "large.json", body)
    result = run(["import", file, "-d", str(tmp_path / "out")])
    assert result.code == 2
    assert result.stderr.startswith(f"error: {file}: the definition written for it would not load back: "), result.stderr
    assert "more than 100000 values" in result.stderr and ".yaml" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("display", [None, "Calls"])
def test_a_body_signoz_refuses_is_bad_input_not_a_signoz_dac_bug(tmp_path, display):
    body = {**copy.deepcopy(BODY), "spec": {**BODY["spec"], "display": display}}
    file = write_json(tmp_path / "bad.json", body)
    result = run(["import", file, "-d", str(tmp_path / "out")])
    assert result.code == 2
    assert result.stderr == f"error: {file}: spec.display: must be an object\n"
    assert not (tmp_path / "out").exists()


def test_import_refuses_two_bodies_with_one_name(tmp_path):
    files = [write_json(tmp_path / "a.json", BODY), write_json(tmp_path / "b.json", BODY)]
    result = run(["import", *files, "-d", str(tmp_path / "out")])
    assert result.code == 2
    assert "dashboard name 'calls' is also the name of" in result.stderr
    assert not (tmp_path / "out").exists()


# -- pull ---------------------------------------------------------------------------------------


def test_pull_by_name_writes_what_signoz_holds(emulator, tmp_path):
    stored = emulator.seed(copy.deepcopy(BODY))
    result = run(["pull", "calls", "-d", str(tmp_path)], url=emulator.url, key=VIEWER)
    assert result.code == 0, result.stderr
    renders_back(tmp_path / "calls.yaml", stored)


def test_pull_all_and_by_tag(emulator, tmp_path):
    emulator.seed({**copy.deepcopy(BODY), "name": "one", "tags": [{"key": "team", "value": "voice"}]})
    emulator.seed({**copy.deepcopy(BODY), "name": "two", "tags": [{"key": "team", "value": "ops"}]})
    assert run(["pull", "--tag", "team=voice", "-d", str(tmp_path / "tag")], url=emulator.url, key=VIEWER).code == 0
    assert [p.name for p in (tmp_path / "tag").iterdir()] == ["one.yaml"]
    assert run(["pull", "--all", "-d", str(tmp_path / "all")], url=emulator.url, key=VIEWER).code == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["one.yaml", "two.yaml"]


def test_pull_by_tag_matches_tags_as_signoz_does_whatever_their_case(emulator, tmp_path):
    # SigNoz stores a tag cased like the org's existing spelling ("Team: Voice" for "team: voice"),
    # and compares tags without case: --tag as written in the definitions must still find it.
    emulator.seed({**copy.deepcopy(BODY), "name": "one", "tags": [{"key": "Team", "value": "Voice"}]})
    emulator.seed({**copy.deepcopy(BODY), "name": "two", "tags": [{"key": "team", "value": "ops"}]})
    assert run(["pull", "--tag", "team=voice", "-d", str(tmp_path / "tag")], url=emulator.url, key=VIEWER).code == 0
    assert [p.name for p in (tmp_path / "tag").iterdir()] == ["one.yaml"]


def test_pull_of_a_name_signoz_lacks_is_bad_input(emulator, tmp_path):
    emulator.seed(copy.deepcopy(BODY))
    result = run(["pull", "nope", "-d", str(tmp_path)], url=emulator.url, key=VIEWER)
    assert result.code == 2
    assert "no dashboard named 'nope'" in result.stderr
    assert not list(tmp_path.iterdir())


def test_pull_says_what_it_skips_in_one_safe_line(emulator, tmp_path):
    """A dashboard still in SigNoz's v1 format is skipped, saying so; its name is server text, which
    must not forge a CI annotation, drive the terminal or show the key."""
    from signoz_dac.testing.emulator import LIST
    from signoz_dac.testing.faults import REPLY

    legacy = {"id": "01890000-0000-7000-8000-000000000001", "name": "old\n::error::forged\x1b]0;pwned\x07 {key}",
              "tags": [], "spec": {"display": {"name": "Old"}}, "legacy": True}
    emulator.inject(REPLY, route=LIST, status=200,
                    body={"status": "success", "data": {"dashboards": [legacy], "total": 1}})
    result = run(["pull", "--all", "-d", str(tmp_path)], url=emulator.url, key=VIEWER)
    assert result.code == 2  # nothing else to pull
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped == ["skipped old ::error::forged [redacted]: stored in SigNoz's v1 format (migrate it in SigNoz first)"]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_pull_needs_something_to_pull(emulator, tmp_path):
    assert run(["pull", "-d", str(tmp_path)], url=emulator.url, key=VIEWER).code == 2


def test_pull_from_a_dead_server_is_exit_3(emulator, tmp_path, monkeypatch):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    emulator.seed(copy.deepcopy(BODY))
    emulator.inject("reset", times=1000)
    result = run(["pull", "--all", "-d", str(tmp_path)], url=emulator.url, key=VIEWER)
    assert result.code == 3 and "cannot reach" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_dashboard_edited_in_the_ui_is_pulled_reviewed_and_pushed_without_drift(emulator, tmp_path):
    """The loop `pull` exists for: push a definition, someone edits the dashboard in SigNoz, pull
    writes the edited version, and pushing it back is no overwrite: only push's hash tag moves."""
    definitions = tmp_path / "dashboards"
    assert run(["import", write_json(tmp_path / "calls.json", BODY), "-d", str(definitions)]).code == 0
    yaml_path = definitions / "calls.yaml"
    assert run(["push", str(yaml_path)], url=emulator.url, key=CANARY).code == 0

    def edit(stored: dict[str, Any]) -> None:  # in the UI: a new title and a unit on the panel
        stored["spec"]["panels"]["p1"]["spec"]["display"]["name"] = "LLM calls"
        stored["spec"]["panels"]["p1"]["spec"]["plugin"]["spec"]["formatting"] = {"unit": "reqps"}

    emulator.edit("calls", edit)
    drift = run(["diff", str(yaml_path), "--output", "json"], url=emulator.url, key=CANARY)
    assert drift.code == 1 and json.loads(drift.stdout)["items"][0]["action"] == "drift"

    assert run(["pull", "calls", "-d", str(definitions)], url=emulator.url, key=VIEWER).code == 0
    text = yaml_path.read_text()
    assert "title: LLM calls" in text and "unit: reqps" in text
    assert "managed-by" not in text and "signoz-dac-hash" not in text  # push adds its own tags again

    plan = json.loads(run(["diff", str(yaml_path), "--output", "json"], url=emulator.url, key=CANARY).stdout)
    assert plan["items"][0]["action"] == "update"
    assert "only the content-hash tag" in plan["items"][0]["reason"]
    assert run(["push", str(yaml_path)], url=emulator.url, key=CANARY).code == 0
    assert run(["diff", str(yaml_path)], url=emulator.url, key=CANARY).code == 0
    assert emulator.get("calls")["spec"]["panels"]["p1"]["spec"]["display"]["name"] == "LLM calls"



def test_every_part_import_cannot_say_is_listed(capsys):
    """Not "(and N more)": the first on the error line, each other one below it."""
    import pytest

    from signoz_dac.cli.common import fail_on_input_errors
    from signoz_dac.errors import Issue
    from signoz_dac.importer import NotRepresentable

    with pytest.raises(typer.Exit) as ended, fail_on_input_errors():
        raise NotRepresentable([Issue("spec.a", "cannot be said"), Issue("spec.b", "cannot be said")], "x.json")
    assert ended.value.exit_code == 2
    assert capsys.readouterr().err.splitlines() == ["error: x.json: spec.a: cannot be said", "  spec.b: cannot be said"]
