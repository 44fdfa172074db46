"""The cache of render and lint results (signoz_dac/cache.py): an unchanged input is answered from
it without loading the models, and nothing else ever is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signoz_dac import cache
from signoz_dac.cache import ResultCache, files_fingerprint
from tests.cli_front.support import cli, run
from tests.conftest import THRESHOLD_ALERT

DEFINITION = THRESHOLD_ALERT.format(aggregation="p95(duration_nano)", filter="name = 'turn'")

# A panel whose filter names an attribute Pipecat does not emit: lint warns about it.
WITH_FINDING = DEFINITION.replace("      - type: turn_latency\n",
                                  "      - type: turn_latency\n        filter: \"stt.provder = 'x'\"\n")

_PROBE = """\
import sys
from signoz_dac.cli.app import main
sys.argv = ["signoz-dac", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
print("LOADED" if "signoz_dac.definitions" in sys.modules else "NOT LOADED", file=sys.stderr)
sys.exit(code)
"""


def _probe(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command in a process of its own, saying on stderr whether it loaded the definition models."""
    return subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def _entries(folder: Path, command: str) -> list[Path]:
    return sorted((folder / command).glob("*.json")) if (folder / command).is_dir() else []


@pytest.mark.slow  # a real signoz-dac process
def test_an_unchanged_render_is_answered_from_the_cache_without_loading_the_models(tmp_path, own_result_cache):
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    first = _probe("render", "agent.yaml", "-d", "first", cwd=tmp_path)
    second = _probe("render", "agent.yaml", "-d", "second", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "NOT LOADED" not in first.stderr  # the first run computes
    assert "NOT LOADED" in second.stderr  # the second only reads
    assert _files(tmp_path / "first") == _files(tmp_path / "second")
    assert len(_files(tmp_path / "first")) == 2  # the dashboard and its rule
    assert first.stdout.replace("first/", "second/") == second.stdout
    assert len(_entries(own_result_cache, "render")) == 1


def test_a_changed_definition_is_rendered_again(tmp_path):
    definition = tmp_path / "agent.yaml"
    definition.write_text(DEFINITION)
    assert cli("render", str(definition), "-d", str(tmp_path / "out")).exit_code == 0
    definition.write_text(DEFINITION.replace("title: My agent", "title: Renamed agent"))
    assert cli("render", str(definition), "-d", str(tmp_path / "out")).exit_code == 0
    body = json.loads((tmp_path / "out" / "my-agent.json").read_text())
    assert body["spec"]["display"]["name"] == "Renamed agent"


@pytest.mark.slow  # a real signoz-dac process
def test_a_changed_template_is_rendered_again(tmp_path):
    from signoz_dac.resources import templates_dir

    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    definition = tmp_path / "agent.yaml"
    definition.write_text(DEFINITION)
    render = ("render", str(definition), "--templates", str(templates), "--stdout")
    before = run(*render, cwd=tmp_path)  # a process each: Jinja keeps a template it compiled for the process
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["spec"]["display"]["name"] == "My agent"
    layout = templates / "dashboard.json.j2"
    title = '{{- field(d, "name", dashboard.title) }}'
    assert title in layout.read_text()
    layout.write_text(layout.read_text().replace(title, '{{- field(d, "name", dashboard.title ~ " (restyled)") }}'))
    again = run(*render, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["spec"]["display"]["name"] == "My agent (restyled)"


def test_a_missing_or_empty_templates_folder_is_an_error_even_after_a_cached_render(tmp_path):
    definition = tmp_path / "agent.yaml"
    definition.write_text(DEFINITION)
    assert cli("render", str(definition), "--stdout").exit_code == 0
    (tmp_path / "empty").mkdir()
    for folder in ("missing", "empty"):
        result = cli("render", str(definition), "--stdout", "--templates", str(tmp_path / folder))
        assert result.exit_code == 2 and result.stdout == "", (folder, result.output)


def _restyle(template: Path) -> None:
    """The same size, another output: the alert rule's `frequency` and `evalWindow` swap places."""
    text = template.read_text()
    window, frequency = '"evalWindow": {{ rule.window', '"frequency": {{ rule.frequency'
    assert window in text and frequency in text
    swapped = text.replace(window, "\0").replace(frequency, '"frequency": {{ rule.window').replace(
        "\0", '"evalWindow": {{ rule.frequency')
    assert len(swapped) == len(text) and swapped != text
    times = template.stat()
    template.write_text(swapped)
    os.utime(template, ns=(times.st_atime_ns, times.st_mtime_ns))  # as `touch -d` or `cp -p` would leave it


@pytest.mark.slow  # a real signoz-dac process
@pytest.mark.parametrize("linked", [False, True], ids=["in the folder", "in a linked subfolder"])
def test_an_edited_template_is_rendered_again_even_with_its_size_and_time_kept(tmp_path, linked):
    from signoz_dac.resources import templates_dir

    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    if linked:  # templates/alerts -> ../shared-alerts, which Jinja follows
        shutil.move(templates / "alerts", tmp_path / "shared-alerts")
        (templates / "alerts").symlink_to(tmp_path / "shared-alerts", target_is_directory=True)
    definition = tmp_path / "agent.yaml"
    definition.write_text(DEFINITION)
    render = ("render", str(definition), "--templates", str(templates), "-d")
    assert run(*render, "before", cwd=tmp_path).returncode == 0
    _restyle(templates / "alerts" / "rule.json.j2")
    assert run(*render, "after", cwd=tmp_path).returncode == 0
    assert run(*render, "truth", "--no-cache", cwd=tmp_path).returncode == 0
    rule = Path("my-agent.alerts") / "slow.json"
    assert (tmp_path / "after" / rule).read_text() == (tmp_path / "truth" / rule).read_text()
    assert (tmp_path / "after" / rule).read_text() != (tmp_path / "before" / rule).read_text()


@pytest.mark.slow  # a real signoz-dac process
def test_the_cache_is_private_and_used_whatever_the_umask(tmp_path, monkeypatch):
    root = tmp_path / "fresh" / "signoz-dac"
    monkeypatch.setenv("SIGNOZ_DAC_CACHE_DIR", str(root))
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    old = os.umask(0o002)
    try:
        runs = [_probe("render", "agent.yaml", "--stdout", cwd=tmp_path) for _ in range(2)]
    finally:
        os.umask(old)
    assert all(r.returncode == 0 for r in runs)
    assert "NOT LOADED" in runs[1].stderr  # the second run was answered from the cache
    assert root.stat().st_mode & 0o777 == 0o700 and (root / "render").stat().st_mode & 0o777 == 0o700


def test_a_failing_definition_is_not_cached_and_says_why_every_time(tmp_path, own_result_cache):
    definition = tmp_path / "agent.yaml"
    definition.write_text(DEFINITION.replace("title: My agent", "titel: My agent"))
    for _ in range(2):
        result = cli("render", str(definition), "-d", str(tmp_path / "out"))
        assert result.exit_code == 2 and "did you mean 'title'" in result.stderr
    assert _entries(own_result_cache, "render") == []


@pytest.mark.parametrize("turn_off", [("--no-cache",), ()], ids=["--no-cache", "SIGNOZ_DAC_CACHE_DIR=off"])
def test_the_cache_can_be_turned_off(tmp_path, own_result_cache, turn_off):
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    env = {} if turn_off else {"SIGNOZ_DAC_CACHE_DIR": "off"}
    for command in (("render", str(tmp_path / "agent.yaml"), "-d", str(tmp_path / "out")), ("lint", str(tmp_path / "agent.yaml"))):
        result = cli(*command, *turn_off, env=env)
        assert result.exit_code == 0, result.output
    assert list(own_result_cache.rglob("*")) == []


def test_a_damaged_entry_is_computed_again_and_replaced(tmp_path, own_result_cache):
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    render = ("render", str(tmp_path / "agent.yaml"), "--stdout")
    good = cli(*render)
    [entry] = _entries(own_result_cache, "render")
    for damage in (b"{not json", json.dumps({"key": entry.stem, "value": {"shape": "other"}}).encode(),
                   json.dumps({"key": "another key", "value": ["{}", []]}).encode()):
        entry.write_bytes(damage)
        again = cli(*render)
        assert again.exit_code == 0 and again.stdout == good.stdout
        assert json.loads(entry.read_text())["key"] == entry.stem


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SIGNOZ_DAC_CACHE_DIR", str(blocker / "cache"))
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    for _ in range(2):
        result = cli("render", str(tmp_path / "agent.yaml"), "-d", str(tmp_path / "out"))
        assert result.exit_code == 0 and result.stderr == ""
    assert (tmp_path / "out" / "my-agent.json").is_file()


def test_the_cache_folder_is_private_to_the_user(tmp_path, own_result_cache):
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    assert cli("render", str(tmp_path / "agent.yaml"), "--stdout").exit_code == 0
    assert (own_result_cache / "render").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_cache_folder_others_can_write_to_is_not_used(tmp_path, own_result_cache, mode):
    (tmp_path / "agent.yaml").write_text(DEFINITION)
    own_result_cache.chmod(mode)
    for _ in range(2):
        assert cli("render", str(tmp_path / "agent.yaml"), "--stdout").exit_code == 0
    assert list(own_result_cache.iterdir()) == []
    own_result_cache.chmod(0o700)
    (own_result_cache / "render").mkdir(mode=0o700)
    (own_result_cache / "render").chmod(mode)
    assert cli("render", str(tmp_path / "agent.yaml"), "--stdout").exit_code == 0
    assert list((own_result_cache / "render").iterdir()) == []


@pytest.mark.slow  # a real signoz-dac process
def test_a_definition_read_from_a_pipe_is_not_cached(tmp_path, own_result_cache):
    result = subprocess.run([sys.executable, "-m", "signoz_dac.cli", "render", "/dev/stdin", "--stdout"],
                            input=DEFINITION, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "my-agent"
    assert _entries(own_result_cache, "render") == []


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_cached_lint_findings_print_exactly_as_computed_ones(tmp_path, output):
    definition = tmp_path / "agent.yaml"
    definition.write_text(WITH_FINDING)
    (tmp_path / "broken.json").write_text('{"schemaVersion": "v6", "spec": [')
    args = ("lint", str(definition), str(tmp_path / "broken.json"), "-o", output)
    computed = cli(*args, "--no-cache")
    first, cached = cli(*args), cli(*args)
    assert computed.exit_code == first.exit_code == cached.exit_code == 1
    assert "stt.provder" in computed.stdout
    assert cached.stdout == computed.stdout and cached.stderr == computed.stderr


def test_lint_options_are_part_of_the_key(tmp_path, own_result_cache):
    definition = tmp_path / "agent.yaml"
    definition.write_text(WITH_FINDING)
    warned = cli("lint", str(definition), "--strict")
    assert warned.exit_code == 1 and "stt.provder" in warned.stdout
    assert "[profile-attribute]" in warned.stdout
    quiet = cli("lint", str(definition), "--strict", "--disable", "profile-attribute")
    assert quiet.exit_code == 0, quiet.stdout
    # an option that was never valid is refused even though the file has cached results
    bad = cli("lint", str(definition), "--profile", "pipecta")
    assert bad.exit_code == 2 and "pipecta" in bad.stderr
    assert cli("lint", str(definition), "--disable", "no-such-check").exit_code == 2


def test_old_entries_go_when_the_cache_grows(tmp_path, own_result_cache, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for number in range(5):
        definition = tmp_path / f"agent{number}.yaml"
        definition.write_text(DEFINITION.replace("my-agent", f"agent-{number}"))
        assert cli("render", str(definition), "--stdout").exit_code == 0
    assert len(_entries(own_result_cache, "render")) == 3


def test_a_file_that_changes_while_it_is_computed_is_not_kept(tmp_path):
    store = ResultCache("render", tmp_path / "cache")
    source = tmp_path / "input.yaml"
    source.write_text("one")

    def compute() -> str:
        source.write_text("two")  # an editor saving while the command runs
        return "result of one"

    assert store.remember(source, [], compute, encode=str, decode=str) == "result of one"
    assert list((tmp_path / "cache").rglob("*.json")) == []


def test_the_fingerprint_of_code_changes_with_any_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "module.py").write_text("x = 1\n")
    before = files_fingerprint([tmp_path])
    assert files_fingerprint([tmp_path]) == before
    (tmp_path / "sub" / "module.py").write_text("x = 22\n")
    changed = files_fingerprint([tmp_path])
    assert changed != before
    (tmp_path / "sub" / "new.py").write_text("")
    assert files_fingerprint([tmp_path]) != changed
    # `top`: only the files directly in the folder (a library's own modules)
    assert files_fingerprint([tmp_path], top=True) == files_fingerprint([tmp_path / "missing", tmp_path], top=True)
