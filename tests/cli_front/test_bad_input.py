"""Bad input on the command line, as a new user meets it: each is one message naming the file (and
line), exit 2 (lint: a finding, exit 1), nothing written, and one JSON document with `--output json`."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_DEFINITION, REPO

from .support import cli


@pytest.fixture
def unreadable(monkeypatch):
    """Make a file unreadable. Root reads any file whatever its mode (the tests run as root in CI),
    so for root the refusal the kernel would give anyone else is given by `open` and `os.access`."""

    def make(path: Path) -> Path:
        path.chmod(0)
        if os.geteuid() == 0:
            real_open, real_access = builtins.open, os.access

            def refusing_open(file, *args, **kwargs):
                if os.fspath(file) == os.fspath(path):
                    raise PermissionError(13, "Permission denied", os.fspath(file))
                return real_open(file, *args, **kwargs)

            monkeypatch.setattr(builtins, "open", refusing_open)
            monkeypatch.setattr(os, "access", lambda p, mode, **kw: os.fspath(p) != os.fspath(path) and real_access(p, mode, **kw))
        return path

    return make


def test_an_unreadable_definition_is_bad_input_said_by_render(tmp_path, unreadable):
    """Before, click refused the path itself ("Invalid value for 'definitions': path ... is not
    readable"): a usage message, and no JSON document on stdout under `--output json`."""
    definition = tmp_path / "my-agent.yaml"
    definition.write_text(MINIMAL_DEFINITION)
    unreadable(definition)
    result = cli("render", str(definition), "-d", str(tmp_path / "build"), "-o", "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 2 and doc["items"] == []
    assert doc["error"] == f"{definition}: cannot read definition: Permission denied"
    assert not (tmp_path / "build").exists()


def test_an_unreadable_file_is_a_lint_finding_for_that_file(tmp_path, unreadable):
    definition = tmp_path / "my-agent.yaml"
    definition.write_text(MINIMAL_DEFINITION)
    unreadable(definition)
    result = cli("lint", str(definition), "-o", "json")
    assert result.exit_code == 1, result.output  # as the README says: a file lint cannot read is a finding
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["file"] == str(definition) and finding["message"] == "cannot read definition: Permission denied"


def test_an_unreadable_definition_is_bad_input_said_by_preview(tmp_path, unreadable):
    definition = tmp_path / "my-agent.yaml"
    definition.write_text(MINIMAL_DEFINITION)
    unreadable(definition)
    result = cli("preview", str(definition), "-f", str(tmp_path / "p.html"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {definition}: cannot read definition: Permission denied\n"
    assert not (tmp_path / "p.html").exists()


@pytest.mark.parametrize(("command", "file", "what"), [
    (["push"], "agent.yaml", "cannot read definition"),
    (["diff"], "agent.yaml", "cannot read definition"),
    (["import", "-d", "out"], "dashboard.json", "cannot read"),
    (["push", str(REPO / "dashboards" / "pipecat.yaml"), "--api-key-file"], "key", "cannot read the API key file"),
])
def test_an_unreadable_input_is_bad_input_said_by_push_diff_and_import(tmp_path, unreadable, monkeypatch,
                                                                        command, file, what):
    """As for render: the command names the file it cannot read (exit 2, one JSON document), where
    click used to refuse the path with a usage message and no document. The input is read before
    any server is (the URL is a closed loopback port)."""
    monkeypatch.setenv("SIGNOZ_API_KEY", "k")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / file
    path.write_text(MINIMAL_DEFINITION if file.endswith(".yaml") else "{}")
    unreadable(path)
    remote = [] if command[0] == "import" else ["--url", "http://127.0.0.1:9"]
    result = cli(*command, str(path), *remote, "-o", "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 2 and doc["items"] == []
    assert doc["error"] == f"{path}: {what}: Permission denied"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("key", ["no", "on", "null", "yes"])
def test_a_yaml_11_word_as_a_key_is_that_word(tmp_path, key):
    """YAML 1.1 reads a plain `no:`/`on:` as false/true and `null:` as None. Every mapping of a
    definition is keyed by names, so such a key is its text: a tag `no` is the tag `no`, and an
    unknown option `on:` is reported as `on` at its own line (before: `[1]: Keys should be strings`
    at the line of the mapping, and a key False shown as `[0]`)."""
    tagged = tmp_path / "tags.yaml"
    tagged.write_text(MINIMAL_DEFINITION.replace("profile: pipecat\n", f"profile: pipecat\ntags: {{{key}: x}}\n"))
    result = cli("render", str(tagged), "--stdout")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tags"] == [{"key": key, "value": "x"}]

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(MINIMAL_DEFINITION.replace("profile: pipecat\n", f"profile: pipecat\n{key}: 1\n"))
    result = cli("render", str(unknown), "--stdout")
    assert result.exit_code == 2
    assert result.stderr == f"error: {unknown}:4:1: {key}: unknown option '{key}'\n"


def test_a_page_that_cannot_be_written_is_named_not_its_temporary_file(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be fails for root too
        locked.chmod(0o700)
        locked.rmdir()
        locked.write_text("")
    target = locked / "preview.html"
    result = cli("preview", str(REPO / "examples" / "custom-latency.yaml"), "-f", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot write {target}: "), result.stderr  # not ".preview.html.x1y2.tmp"
