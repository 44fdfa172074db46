"""The README's "Library use" snippet, run exactly as written in a fresh interpreter, as a CI job
would run it: it does what the README says, prints nothing, leaves the process as it found it,
writes no file, and type-checks under a user's `mypy --strict`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from signoz_dac.resources import builtin_definition
from tests.conftest import REPO


def readme_snippet() -> str:
    """The one ```python block of the README's "## Library use" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Library use\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, blocks
    return blocks[0]


# What the process looks like, before and after: anything a library call must not change.
SNAPSHOT = textwrap.dedent("""\
    import logging, os, signal, sys, warnings
    def _snapshot():
        loggers = {n: (l.level, list(l.handlers), l.propagate, l.disabled)
                   for n, l in logging.root.manager.loggerDict.items() if isinstance(l, logging.Logger)}
        return dict(cwd=os.getcwd(), env=dict(os.environ), path=list(sys.path), warnings=list(warnings.filters),
                    signals={s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)},
                    root=(logging.root.level, list(logging.root.handlers)), loggers=loggers,
                    streams=(sys.stdout, sys.stderr), hooks=(sys.excepthook, sys.displayhook),
                    recursion=sys.getrecursionlimit())
    _before = _snapshot()
""")

CHECKS = textwrap.dedent("""\
    import json as _json
    _after = _snapshot()
    _changed = sorted(k for k in _before if _before[k] != _after[k])
    # Loggers that did not exist before may appear (httpx creates its own on import): unconfigured.
    if _changed == ["loggers"]:
        _new = {n: v for n, v in _after["loggers"].items() if n not in _before["loggers"]}
        if all(v == (0, [], True, False) for v in _new.values()) and all(
                _after["loggers"][n] == v for n, v in _before["loggers"].items()):
            _changed = []
    print(_json.dumps({
        "changed": _changed,
        "dashboard": [type(dashboard).__module__ + "." + type(dashboard).__name__, dashboard.name],
        "body_is_dict": type(body) is dict,
        "name": body["name"],
        "text_is_body": _json.loads(text) == body,
        "text_again": text == signoz_dac.dump(signoz_dac.render(signoz_dac.load_definition("my-agent.yaml"))),
        "rules": [type(r).__name__ for r in rules],
        "labels": [{k: r["labels"][k] for k in ("managed_by", "signoz_dac_dashboard")} for r in rules],
        "rule_ids": sorted(r["labels"]["signoz_dac_rule"] for r in rules),
        "shipped": shipped.name,
        "same_as_shipped": shipped.model_dump() == dashboard.model_dump(),
    }))
""")


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    """A user's checkout: their copy of a shipped definition as `my-agent.yaml`, and the script."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copyfile(builtin_definition("pipecat"), repo / "my-agent.yaml")
    return repo


def test_the_readme_snippet_runs_as_written_and_does_what_it_says(user_repo: Path, tmp_path: Path):
    script = user_repo / "ci.py"
    script.write_text(SNAPSHOT + readme_snippet() + CHECKS, encoding="utf-8")
    before = sorted(p.name for p in user_repo.iterdir())
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(tmp_path / "home")}
    env.pop("SIGNOZ_DAC_CACHE_DIR", None)  # the library never uses the command line's result cache
    result = subprocess.run([sys.executable, script.name], cwd=user_repo, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing printed, nothing warned
    *printed, last = result.stdout.splitlines()
    assert printed == []
    seen = json.loads(last)
    assert seen["changed"] == []
    assert seen["dashboard"] == ["signoz_dac.definitions.dashboard.Dashboard", "pipecat-voice-agent"]
    assert seen["body_is_dict"] and seen["name"] == "pipecat-voice-agent"
    assert seen["text_is_body"] and seen["text_again"]  # byte-stable: the same text from a second render
    assert seen["rules"] and set(seen["rules"]) == {"dict"}
    # The definition's own rules, labelled as the README's "Alerts" says.
    assert seen["labels"][0] == {"managed_by": "signoz-dac", "signoz_dac_dashboard": "pipecat-voice-agent"}
    assert len({json.dumps(labels) for labels in seen["labels"]}) == 1
    assert "turn-latency-p95-warning" in seen["rule_ids"], seen["rule_ids"]
    assert seen["shipped"] == "pipecat-voice-agent" and seen["same_as_shipped"]  # the user's copy holds the same
    assert sorted(p.name for p in user_repo.iterdir()) == before  # no file written beside the user's
    assert not (tmp_path / "home").exists()  # nor in their home (no cache there)
    # Only Jinja's compiled-template cache, in the temp folder, as the README says.
    assert all(p.name.startswith("_jinja2-cache-") for p in temp.iterdir())


def test_the_dotted_names_the_readme_uses_work_after_import_signoz_dac_alone():
    """The README writes `signoz_dac.preview.preview_html(...)`, `signoz_dac.testing.SigNozEmulator`
    and `signoz_dac.definitions.Dashboard(...)`: each works after `import signoz_dac` alone (the first
    two raised AttributeError until something imported them), and none is imported before it is used."""
    code = textwrap.dedent("""\
        import sys
        import signoz_dac
        assert "signoz_dac.preview" not in sys.modules and "signoz_dac.testing" not in sys.modules
        print(signoz_dac.preview.preview_html.__name__, signoz_dac.testing.SigNozEmulator.__name__,
              signoz_dac.testing.faults.REPLY, signoz_dac.definitions.Dashboard.__name__)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "preview_html SigNozEmulator reply Dashboard\n"


def test_two_loads_of_one_file_are_equal(tmp_path: Path):
    """A definition loaded twice compares equal (it did not: each load's source map compared by
    identity), so a CI job can tell whether two files define the same dashboard."""
    import signoz_dac

    copy = tmp_path / "copy.yaml"
    shutil.copyfile(builtin_definition("livekit"), copy)
    first, second = (signoz_dac.load_definition(builtin_definition("livekit")) for _ in range(2))
    assert first == second
    assert signoz_dac.load_definition(copy) != first  # another file: its errors would name another place


@pytest.mark.slow  # mypy: about 10 s
def test_the_readme_snippet_type_checks_strictly_and_a_misspelt_name_does_not(tmp_path: Path):
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed beside this Python (pip install -e '.[test]' installs it)")
    good = tmp_path / "snippet.py"
    good.write_text(readme_snippet() + textwrap.dedent("""\
        from typing import Any
        from signoz_dac.definitions import Dashboard
        from signoz_dac.errors import DefinitionError, InputError, SchemaError, TemplateError
        from signoz_dac.testing import SigNozEmulator

        def render_both(definition: Dashboard) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
            return signoz_dac.render(definition), signoz_dac.render_alerts(definition), signoz_dac.render_v5(definition)

        def where(error: InputError) -> str:
            if isinstance(error, SchemaError):
                return error.issues[0].path
            if isinstance(error, DefinitionError):
                return str(error.location)
            if isinstance(error, TemplateError):
                return f"{error.template}:{error.line}"
            return str(error)

        with SigNozEmulator(api_keys={"ci-key": "editor"}) as signoz:
            url: str = signoz.url

        def preview(body: dict[str, Any]) -> str:
            page: str = signoz_dac.preview.preview_html([signoz_dac.preview.Dashboard("my-agent.yaml", body)])
            return page

        emulator: type[SigNozEmulator] = signoz_dac.testing.SigNozEmulator
    """), encoding="utf-8")
    bad = tmp_path / "misspelt.py"
    bad.write_text("import signoz_dac\n\nbody = signoz_dac.rendr(None)\n", encoding="utf-8")
    args = [mypy, "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary"]
    checked = subprocess.run([*args, str(good)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    misspelt = subprocess.run([*args, str(bad)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert misspelt.returncode == 1 and 'Module has no attribute "rendr"' in misspelt.stdout, misspelt.stdout
