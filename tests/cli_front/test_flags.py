"""One meaning per flag, --version, completion, help without stray types, short paths."""

from __future__ import annotations

import json
import os

import pytest
import typer

import signoz_dac
from signoz_dac.cli.app import app
from tests.conftest import REPO

from .support import cli, run


def builtin_definition(name: str):
    return REPO / "dashboards" / f"{name}.yaml"

COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_version_prints_the_package_version():
    result = cli("--version")
    import importlib.metadata

    version = importlib.metadata.version("signoz-dac")  # what the build read from signoz_dac/version.py
    assert result.exit_code == 0 and result.stdout == f"signoz-dac {version}\n" and version == signoz_dac.__version__


@pytest.mark.slow  # a real signoz-dac process
def test_shell_completion_completes_commands(tmp_path):
    script = cli("--show-completion", "bash")
    assert script.exit_code == 0 and "_SIGNOZ_DAC_COMPLETE=complete_bash" in script.stdout
    env = {**os.environ, "_SIGNOZ_DAC_COMPLETE": "complete_bash", "COMP_WORDS": "signoz-dac ren", "COMP_CWORD": "1"}
    completed = run(cwd=tmp_path, env=env)
    assert completed.stdout.split() == ["render"], completed.stderr


@pytest.mark.parametrize("command", ["", *sorted(COMMANDS)])
def test_help_shows_no_bool_type(command):
    result = cli(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    assert "--help" in result.stdout
    assert "<bool>" not in result.stdout


def test_dash_o_is_the_output_format_in_every_command():
    """Every `-o` is `--output` (a format), every output folder is `-d/--output-dir`."""
    for name, command in COMMANDS.items():
        for param in command.params:
            opts = set(param.opts) | set(param.secondary_opts)
            if "-o" in opts:
                assert "--output" in opts and param.name == "output", name
            if "--output-dir" in opts:
                assert "-d" in opts, name
    with_format = {name for name, c in COMMANDS.items() if any("-o" in p.opts and not p.hidden for p in c.params)}
    assert with_format >= {"render", "push", "diff", "lint", "import", "pull"}


def test_render_dash_o_with_a_folder_says_to_use_dash_d(tmp_path):
    result = cli("render", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"the folder to write into is -d {tmp_path / 'out'}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_preview_dash_o_says_to_use_dash_f(tmp_path):
    result = cli("preview", "-o", str(tmp_path / "p.html"))
    assert result.exit_code == 2 and "-f/--output-file" in result.stderr
    assert not (tmp_path / "p.html").exists()


def test_render_output_json_lists_what_was_written_and_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "agent.yaml").write_text(builtin_definition("pipecat").read_text())
    first = cli("render", "agent.yaml", "-d", "out", "--output", "json")
    assert first.exit_code == 0 and first.stderr == ""
    items = json.loads(first.stdout)["items"]
    assert {i["action"] for i in items} == {"wrote"}
    assert items[0] == {"action": "wrote", "kind": "dashboard", "path": "out/pipecat-voice-agent.json",
                        "source": "agent.yaml"}
    rules = [i for i in items if i["kind"] == "rule"]
    assert rules and all((tmp_path / i["path"]).is_file() for i in items)
    # Without its alert rules, the rule files go, and the summary says so.
    text = (tmp_path / "agent.yaml").read_text()
    (tmp_path / "agent.yaml").write_text(text[: text.index("\nalerts:")] + "\n")
    second = json.loads(cli("render", "agent.yaml", "-d", "out", "-o", "json").stdout)["items"]
    removed = [i for i in second if i["action"] == "removed"]
    assert sorted(i["path"] for i in removed) == sorted(i["path"] for i in rules)
    assert all(i["kind"] == "rule" and not (tmp_path / i["path"]).exists() for i in removed)


def test_render_stdout_and_output_json_is_usage_error(tmp_path):
    result = cli("render", str(builtin_definition("pipecat")), "--stdout", "-o", "json")
    assert result.exit_code == 2 and result.stdout == ""


def test_import_output_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("render", str(builtin_definition("pipecat")), "-d", "out").exit_code == 0
    result = cli("import", "out/pipecat-voice-agent.json", "-d", "defs", "-o", "json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)["items"]
    assert item["path"] == "defs/pipecat-voice-agent.yaml" and item["source"] == "out/pipecat-voice-agent.json"
    assert (tmp_path / item["path"]).is_file()


def test_render_names_builtin_definitions_and_local_files_briefly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("render", "-d", "out")
    assert result.exit_code == 0
    assert "(from <builtin>/pipecat.yaml)" in result.stdout and "(from <builtin>/livekit.yaml)" in result.stdout
    assert str(REPO) not in result.stdout and "site-packages" not in result.stdout
    (tmp_path / "mine.yaml").write_text(builtin_definition("livekit").read_text())
    result = cli("render", str(tmp_path / "mine.yaml"), "-d", str(tmp_path / "out"))
    assert result.stdout.splitlines()[0] == "wrote out/livekit-voice-agent.json (from mine.yaml)"


def test_shown_keeps_paths_outside_the_current_folder(tmp_path, monkeypatch):
    from signoz_dac.cli.common import shown

    monkeypatch.chdir(tmp_path)
    assert shown(tmp_path / "a" / "b.yaml") == "a/b.yaml"
    assert shown("rel/x.yaml") == "rel/x.yaml"
    assert shown("/elsewhere/x.yaml") == "/elsewhere/x.yaml"
    assert shown(builtin_definition("pipecat")) == "<builtin>/pipecat.yaml"


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_follow_the_umask(tmp_path, monkeypatch, umask):
    monkeypatch.chdir(tmp_path)
    old = os.umask(umask)
    try:
        assert cli("render", str(builtin_definition("pipecat")), "-d", "out").exit_code == 0
        assert cli("import", "out/pipecat-voice-agent.json", "-d", "defs").exit_code == 0
        assert cli("init", "livekit", "start.yaml").exit_code == 0
    finally:
        os.umask(old)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 5
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path
    for folder in (tmp_path / "out", tmp_path / "out" / "pipecat-voice-agent.alerts"):
        assert folder.stat().st_mode & 0o777 == 0o777 & ~umask, folder


@pytest.mark.slow  # a real signoz-dac process
def test_python_dash_m_runs_the_same_cli(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == f"signoz-dac {signoz_dac.__version__}\n"


def test_the_readme_command_table_lists_every_command():
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("## Command line"):readme.index("## Development")]
    assert {name for name in COMMANDS if f"| `signoz-dac {name}" not in table} == set()
    assert "## Run the emulator" in readme


def test_render_leaves_a_file_that_holds_its_text_alone(tmp_path):
    """A second render rewrites nothing that did not change: files keep their inode and time (for
    tools that rebuild on change), and a changed file is replaced."""
    render = ("render", str(builtin_definition("pipecat")), "-d", str(tmp_path / "out"))
    assert cli(*render).exit_code == 0
    files = sorted((tmp_path / "out").rglob("*.json"))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}
    dashboard = tmp_path / "out" / "pipecat-voice-agent.json"
    dashboard.write_text(dashboard.read_text().replace('"v6"', '"v5"', 1))  # edited by hand since
    edited = (dashboard.stat().st_ino, dashboard.stat().st_mtime_ns)
    again = cli(*render)
    assert again.exit_code == 0 and again.stdout.count("wrote ") == len(files)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files if p != dashboard} == {
        p: v for p, v in before.items() if p != dashboard}
    assert (dashboard.stat().st_ino, dashboard.stat().st_mtime_ns) != edited
    assert json.loads(dashboard.read_text())["schemaVersion"] == "v6"
    rule = next(p for p in files if p != dashboard)
    rule.chmod(0o600)  # as signoz-dac wrote files before it followed the umask
    assert cli(*render).exit_code == 0
    assert rule.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@pytest.mark.parametrize("command", [
    ("render", "bad.yaml"),
    ("import", "missing.json"),
    ("pull", "--all", "--url", "http://127.0.0.1:9", "--timeout", "1"),
    ("push", "bad.yaml", "--url", "http://127.0.0.1:9"),
    ("diff", "--url", "http://127.0.0.1:9", "--timeout", "1"),
])
def test_a_failing_command_with_output_json_still_prints_one_document(tmp_path, monkeypatch, command):
    """Bad input (exit 2) or a server that is down (exit 3): stdout is one JSON document with the
    exit code and the message, and the message is on stderr too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("titel: My agent\nname: my-agent\n")
    result = cli(*command, "-o", "json", env={"SIGNOZ_API_KEY": "a-key-for-this-test"})
    assert result.exit_code in (2, 3), result.output
    document = json.loads(result.stdout)
    assert document["items"] == [] and document["exit_code"] == result.exit_code
    assert document["error"] and not document["error"].startswith("error:")
    assert document["error"].splitlines()[0] in result.stderr
    if "bad.yaml" in command:
        assert "did you mean 'title'" in document["error"]


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(("command", "stage"), [("render", "signoz_dac.cli.render._render"), ("lint", "signoz_dac.cli.lint._lint_file")])
def test_ctrl_c_in_render_or_lint_exits_130_and_says_so(tmp_path, monkeypatch, command, stage, output):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(stage, interrupted)
    args = [command, str(builtin_definition("pipecat")), "--no-cache", "-o", output]
    result = cli(*args, *(["-d", str(tmp_path)] if command == "render" else []))
    assert result.exit_code == 130, result.output
    if output == "json":
        document = json.loads(result.stdout)
        assert document["error"] == "interrupted" and (command == "lint" or document["exit_code"] == 130)
    else:
        assert result.stdout == "" and "error: interrupted" in result.stderr
    assert list(tmp_path.iterdir()) == []  # render wrote nothing
