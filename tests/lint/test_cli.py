"""`signoz-dac lint`: exit codes, output formats, disabling, the built-in dashboards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from signoz_dac.cli.lint import register
from tests.lint.helpers import builder_panel, dashboard, sql_panel

OFFICIAL = Path("fixtures") / "signoz-official" / "pipecat-v6.json"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # keeps `lint` a sub-command, as in the real app
        pass

    register(app)
    return app


def run(app, *args: str):
    return CliRunner().invoke(app, ["lint", *args])


def write(tmp_path: Path, body, name: str = "d.json") -> str:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    return str(path)


CLEAN = dashboard({"a": builder_panel("Turn latency", expr="avg(turn.user_bot_latency_seconds)", unit="s")})
WARNS = dashboard({"a": builder_panel("Same"), "b": builder_panel("Same")})  # panel-title-duplicate: a warning
ERRS = dashboard({"a": sql_panel("S", "SELECT count() FROM signoz_traces.distributed_signoz_index_v3")})


def test_clean_exits_0(app, tmp_path) -> None:
    res = run(app, write(tmp_path, CLEAN))
    assert res.exit_code == 0, res.output
    assert "no findings" in res.output


def test_warnings_pass_unless_strict(app, tmp_path) -> None:
    path = write(tmp_path, WARNS)
    assert run(app, path).exit_code == 0
    res = run(app, "--strict", path)
    assert res.exit_code == 1 and "warning [panel-title-duplicate]" in res.output


def test_errors_exit_1_with_path_and_fix(app, tmp_path) -> None:
    res = run(app, write(tmp_path, ERRS))
    assert res.exit_code == 1
    assert "error [sql-time-filter]" in res.output
    assert "at spec.panels.a.spec.queries[0].spec.plugin.spec.query" in res.output


def test_disable_per_run(app, tmp_path) -> None:
    res = run(app, "--disable", "sql-time-filter", "--disable", "panel-title-duplicate", "--strict",
              write(tmp_path, ERRS), write(tmp_path, WARNS, "w.json"))  # fmt: skip
    assert res.exit_code == 0, res.output


def test_unknown_check_is_a_usage_error(app, tmp_path) -> None:
    res = run(app, "--disable", "nope", write(tmp_path, CLEAN))
    assert res.exit_code == 2 and "unknown lint check" in res.output


@pytest.mark.parametrize(
    ("content", "fragment", "line"),
    [("{not json", "invalid JSON", 1), ("[1, 2]", "not a SigNoz dashboard", None), ('{"a": 1}', "no `spec` object", None),
     ('{"version": "v5", "widgets": []}', "a v5 dashboard", None)],
)  # fmt: skip
def test_an_unreadable_file_is_a_finding_for_that_file(app, tmp_path, content: str, fragment: str, line) -> None:
    bad = write(tmp_path, content, "bad.json")
    res = run(app, "-o", "json", write(tmp_path, ERRS), bad, write(tmp_path, CLEAN, "clean.json"))
    assert res.exit_code == 1
    doc = json.loads(res.stdout)  # one document, whatever failed
    (finding,) = [f for f in doc["findings"] if f["check"] == "input"]
    assert finding["file"] == bad and fragment in finding["message"] and finding["line"] == line
    assert any(f["check"] == "sql-time-filter" for f in doc["findings"])  # the others were still linted
    assert doc["summary"]["dashboards"] == 2


def test_every_v5_file_is_named(app, tmp_path) -> None:
    v5 = '{"version": "v5", "widgets": []}'
    res = run(app, write(tmp_path, v5, "one.json"), write(tmp_path, v5, "two.json"), write(tmp_path, CLEAN))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.count("a v5 dashboard") == 2 and "one.json" in res.output and "two.json" in res.output


def test_usage_errors_still_print_one_json_document(app, tmp_path) -> None:
    res = run(app, "-o", "json", str(tmp_path / "missing.json"))
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    assert doc["failed"] is True and "no such file" in doc["error"] and doc["findings"] == []
    res = run(app, "-o", "json", "--disable", "nope", write(tmp_path, CLEAN))
    assert res.exit_code == 2 and "unknown lint check" in json.loads(res.stdout)["error"]


def test_missing_file_and_bad_flags_exit_2(app, tmp_path) -> None:
    assert run(app, str(tmp_path / "missing.json")).exit_code == 2
    assert run(app, "--output", "xml", write(tmp_path, CLEAN)).exit_code == 2
    assert run(app, "--profile", "nope", write(tmp_path, CLEAN)).exit_code == 2


def test_api_envelope_is_unwrapped(app, tmp_path) -> None:
    res = run(app, write(tmp_path, {"status": "success", "data": ERRS}))
    assert res.exit_code == 1 and "sql-time-filter" in res.output


def test_json_output(app, tmp_path) -> None:
    res = run(app, "--output", "json", write(tmp_path, ERRS))
    doc = json.loads(res.stdout)
    assert doc["failed"] is True and doc["summary"]["errors"] >= 1
    f = next(f for f in doc["findings"] if f["check"] == "sql-time-filter")
    assert f["severity"] == "error" and f["path"].startswith("spec.panels.a") and f["file"].endswith("d.json")


def test_github_output(app, tmp_path) -> None:
    res = run(app, "-o", "github", write(tmp_path, ERRS))
    line = next(line for line in res.output.splitlines() if "sql-time-filter" in line)
    assert line.startswith("::error file=") and ",title=sql-time-filter::" in line
    assert "\n" not in line and "spec.panels.a" in line


def test_github_escaping() -> None:
    from signoz_dac.errors import Location
    from signoz_dac.lint.finding import Finding
    from signoz_dac.lint.output import github

    f = Finding("filter-syntax", "warning", "p", "50% off\nline two", "a,b.yaml", Location("a,b:c.yaml", 3))
    assert github([f]) == "::warning file=a%2Cb%3Ac.yaml,line=3,title=filter-syntax::p: 50%25 off%0Aline two\n"


def test_list_checks(app) -> None:
    res = run(app, "--list-checks")
    assert res.exit_code == 0
    assert "sql-time-filter" in res.output and "panel-unit" in res.output and "warning" in res.output
    checks = json.loads(run(app, "--list-checks", "-o", "json").output)
    assert {"id", "severity", "doc"} <= set(checks[0])


def test_list_rules_is_a_hidden_alias_of_list_checks(app) -> None:
    """Scripts written before lint's rules were called checks keep working; --help shows the new name only."""
    assert run(app, "--list-rules").output == run(app, "--list-checks").output
    help_text = run(app, "--help").output
    assert "--list-checks" in help_text and "--list-rules" not in help_text


def test_official_fixture_through_the_cli(app, shared: Path) -> None:
    res = run(app, "-o", "json", str(shared / OFFICIAL))
    checks = {f["check"] for f in json.loads(res.stdout)["findings"]}
    assert res.exit_code == 1 and {"panel-unit", "sql-time-filter"} <= checks


def test_definition_disable_and_lines(app, tmp_path) -> None:
    """A YAML definition is rendered, linted with its profile, and its `lint.disable` honoured."""
    from signoz_dac.resources import builtin_definitions

    source = builtin_definitions()[0].read_text()
    broken = tmp_path / "mine.yaml"
    broken.write_text(source)
    res = run(app, "-o", "json", "--strict", str(broken))
    assert res.exit_code in (0, 1), res.output
    findings = json.loads(res.stdout)["findings"]  # stdout only: notes go to stderr
    ids = sorted({f["check"] for f in findings})
    if not ids:
        return  # already clean: nothing to disable
    broken.write_text(source + "\nlint:\n  disable: [" + ", ".join(ids) + "]\n")
    res = run(app, "--strict", str(broken))
    assert res.exit_code == 0, res.output
    assert all(f["file"] == str(broken) and f["line"] for f in findings)


def test_builtin_dashboards_lint_clean_with_strict(app) -> None:
    res = run(app, "--strict")
    assert res.exit_code == 0, res.output


def test_library_api_on_rendered_builtins() -> None:
    import signoz_dac
    from signoz_dac.lint import lint_dashboard
    from signoz_dac.render import render
    from signoz_dac.resources import builtin_definitions

    for path in builtin_definitions():
        dash = signoz_dac.load_definition(path)
        assert not [f for f in lint_dashboard(render(dash), profile=dash.profile) if f.check == "internal-error"]


_FILTERS = """\
name: lines
title: Lines
profile: pipecat
sections:
  - title: S
    panels:
      - type: turn_latency
        filter: "stt.provder = 'x'"
      - type: query
        kind: time_series
        title: Calls
        queries:
          - name: A
            signal: traces
            aggregations: [count()]
            filter: "name = 'turn'"
          - name: B
            signal: traces
            aggregations: [count()]
            filter: "stt.provdr = 'x'"
"""


def test_a_finding_in_a_filter_points_at_its_filter_line(app, tmp_path) -> None:
    """A generic query's finding is at the option of that query (found by the query's name), not
    at its panel's first line; a voice panel's is at the panel (its queries mix the user's
    `filter:` with the panel's own conditions, which the finding may be about)."""
    definition = tmp_path / "lines.yaml"
    definition.write_text(_FILTERS)
    res = run(app, "-o", "json", str(definition))
    findings = {f["message"].split("attribute ")[1].split()[0]: f for f in json.loads(res.stdout)["findings"]
                if f["check"] == "profile-attribute"}
    assert (findings["'stt.provder'"]["line"], findings["'stt.provder'"]["column"]) == (7, 9)
    assert (findings["'stt.provdr'"]["line"], findings["'stt.provdr'"]["column"]) == (20, 13)


def test_a_finding_in_a_query_whose_name_is_used_twice_points_at_the_panel(app, tmp_path) -> None:
    """Two queries named A: the name does not say which one, so the panel's line it is."""
    definition = tmp_path / "twice.yaml"
    definition.write_text(_FILTERS.replace("- name: B", "- name: A"))
    res = run(app, "-o", "json", str(definition))
    lines = {(f["line"], f["column"]) for f in json.loads(res.stdout)["findings"] if "'stt.provdr'" in f["message"]
             or "duplicate" in f["message"]}
    assert lines == {(9, 9)}, res.stdout


def test_text_names_the_built_in_definitions_short_and_json_keeps_their_paths(app) -> None:
    text = run(app, "--profile", "livekit")
    lines = [line for line in text.stdout.splitlines() if "[profile-span-name]" in line]
    assert lines and all(line.startswith(("<builtin>/livekit.yaml:", "<builtin>/pipecat.yaml:")) for line in lines)
    findings = json.loads(run(app, "--profile", "livekit", "-o", "json").stdout)["findings"]
    assert findings and all(Path(f["file"]).is_absolute() and Path(f["file"]).is_file() for f in findings)


EVIL_TITLE = "Evil\n::error file=x.py,line=1::forged\x1b]0;retitled\x07\x1b[31mred"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_title_quoted_in_a_finding_cannot_forge_annotations_or_drive_the_terminal(app, tmp_path, fmt) -> None:
    """A finding quotes the panel's title, which comes from the file (a pull request, someone
    else's export). Its escape sequences go, and a line of it cannot start a workflow command."""
    body = dashboard({"a": builder_panel(EVIL_TITLE, expr="avg(turn.user_bot_latency_seconds)", unit="ns")})
    res = run(app, "-o", fmt, write(tmp_path, body))
    assert res.exit_code == 1, res.output
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout and "forgedred" in res.stdout
    forged = [line for line in res.stdout.splitlines() if line.lstrip().startswith("::") and "file=x.py" in line.split("::")[1]]
    assert forged == [], res.stdout
