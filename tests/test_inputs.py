"""One input loader serves every command (`signoz_dac.sources.inputs`): render, push, diff and lint
read the same paths the same way (folders, the built-in default, missing files, file kinds), and
differ only in what they demand of what they read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from signoz_dac.cli import lint as lint_cli
from signoz_dac.cli import render as render_cli
from signoz_dac.definitions import load_definition
from signoz_dac.errors import InputError
from signoz_dac.resources import builtin_definitions
from signoz_dac.sources import inputs, load_inputs


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # keeps the commands sub-commands, as in the real app
        pass

    render_cli.register(app)
    lint_cli.register(app)
    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding one built-in definition and one file that is neither YAML nor JSON."""
    (tmp_path / "defs").mkdir()
    shutil.copy(builtin_definitions()[0], tmp_path / "defs" / "agent.yaml")
    (tmp_path / "defs" / "notes.txt").write_text("not an input")
    return tmp_path / "defs"


def test_a_folder_gives_its_definitions_and_json_files_in_name_order(tmp_path, folder):
    (folder / "b.json").write_text("{}")
    assert [i.path.name for i in inputs([folder])] == ["agent.yaml", "b.json"]
    assert [i.path for i in inputs(None)] == builtin_definitions()


def test_a_folder_gives_only_its_regular_files(tmp_path, folder):
    """A pipe or a folder named like a definition is not read from a folder (a pipe would block
    render and lint until something wrote to it); a pipe named on the command line still is."""
    os.mkfifo(folder / "fifo.yaml")
    (folder / "sub.json").mkdir()
    assert [i.path.name for i in inputs([folder])] == ["agent.yaml"]
    assert [i.path.name for i in inputs([folder / "fifo.yaml"])] == ["fifo.yaml"]


def test_every_command_refuses_a_missing_path_with_the_same_message(app, folder):
    path = str(folder / "missing.yaml")
    with pytest.raises(InputError, match=r"missing\.yaml: no such file"):
        load_inputs([path])  # push and diff
    for command in ("render", "lint"):
        result = CliRunner().invoke(app, [command, path, *(["-d", str(folder / "out")] if command == "render" else [])])
        assert result.exit_code == 2, (command, result.output)
        assert "missing.yaml: no such file" in result.output, (command, result.output)


def test_a_file_named_otherwise_is_what_the_command_reads(app, folder):
    """A pipe or /dev/stdin has no suffix: render reads a definition, lint JSON; push refuses it."""
    notes = folder / "notes.txt"
    with pytest.raises(InputError, match="expected a definition"):
        load_inputs([notes])
    result = CliRunner().invoke(app, ["render", str(notes), "-d", str(folder / "out")])
    assert result.exit_code == 2 and "a definition must be a YAML mapping" in result.output, result.output
    result = CliRunner().invoke(app, ["lint", str(notes)])
    assert result.exit_code == 1 and "invalid JSON" in result.output, result.output


def test_render_and_lint_take_a_folder(app, folder, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["render", str(folder / "agent.yaml"), str(folder.parent / "defs"), "-d", str(out)])
    # the same definition twice (the file, and the folder holding it): one name, refused before writing
    assert result.exit_code == 2 and "used by several definitions" in result.output
    (folder / "notes.txt").unlink()
    result = CliRunner().invoke(app, ["render", str(folder), "-d", str(out)])
    assert result.exit_code == 0, result.output
    name = load_definition(folder / "agent.yaml").name
    assert [p.name for p in out.glob("*.json")] == [f"{name}.json"] and (out / f"{name}.alerts").is_dir()
    assert CliRunner().invoke(app, ["lint", "--strict", str(folder)]).exit_code == 0


def test_render_takes_definitions_only(app, tmp_path):
    body = tmp_path / "d.json"
    body.write_text(json.dumps({"schemaVersion": "v6", "name": "x", "spec": {}}))
    result = CliRunner().invoke(app, ["render", str(body), "-d", str(tmp_path / "out")])
    assert result.exit_code == 2 and "render takes definitions" in result.output
    assert not (tmp_path / "out").exists()


def test_a_definition_is_read_once_for_its_dashboard_and_its_rules(monkeypatch):
    import signoz_dac.definitions as definitions

    calls = []
    monkeypatch.setattr(definitions, "load_definition", lambda path: calls.append(path) or load_definition(path))
    (item,) = inputs([builtin_definitions()[0]])
    assert item.dashboard().body["name"] and item.rules()
    assert calls == [builtin_definitions()[0]]
