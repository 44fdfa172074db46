"""Definition errors point at the cause: the offending option's own line and column, a suggestion
for a typo, every problem at once, and each warning said once."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from signoz_dac.cli.app import app
from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError, Location, Problem
from tests.conftest import MINIMAL_DEFINITION

GOOD = MINIMAL_DEFINITION
PANEL = "      - type: turn_latency\n"


def problems(tmp_path, text: str) -> list[str]:
    """Every problem `load_definition` reports for `text`, as the user reads them."""
    path = tmp_path / "d.yaml"
    path.write_text(text)
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems)
    return [str(p).replace(f"{path}:", "d.yaml:") for p in info.value.problems]


# (case, definition, the one message expected: file:line:column of the offending key)
ONE_PROBLEM = [
    ("option in the wrong place: a panel's", GOOD.replace(PANEL, PANEL + "        threshold: 0.7\n"),
     "d.yaml:8:9: sections[0].panels[0].threshold: unknown option 'threshold' (did you mean 'thresholds'?)"),
    ("option in the wrong place: inside size", GOOD.replace(PANEL, PANEL + "        size: {width: 6, threshold: 0.7}\n"),
     "d.yaml:8:26: sections[0].panels[0].size.threshold: unknown option 'threshold'"),
    ("option in the wrong place: an alert rule's", GOOD + "alerts:\n  rules:\n    - type: error_rate\n      warning: 1\n"
     "      threshold: 0.7\n",
     "d.yaml:12:7: alerts.rules[0].threshold: unknown option 'threshold'"),
    ("a model's own check names its option", GOOD + "alerts:\n  rules:\n    - type: error_rate\n      warning: 5\n"
     "      critical: 1\n",
     "d.yaml:12:7: alerts.rules[0].critical: critical must not be below warning"),
    ("an option of another panel kind", GOOD.replace(PANEL, PANEL + "      - type: query\n        kind: time_series\n"
     "        queries: [{name: A, signal: traces, aggregations: [count()]}]\n        column_units: {A: s}\n"),
     "d.yaml:11:9: sections[0].panels[1].column_units: 'column_units' is not an option of a time_series panel "
     "(it has: axes, chart_appearance, decimals, fill_spans, legend, thresholds, time_preference, unit)"),
    ("a typo'd panel type", GOOD.replace("type: turn_latency", "type: turn_latncy"),
     "d.yaml:7:9: sections[0].panels[0].type: unknown type 'turn_latncy' (did you mean 'turn_latency'?)"),
    ("a typo'd variable kind", GOOD.replace("sections:", "variables:\n  - {kind: dynamc, name: s, attribute: service.name}\n"
     "sections:"),
     "d.yaml:5:6: variables[0].kind: unknown kind 'dynamc' (did you mean 'dynamic'?)"),
    ("a union's member names stay out of the path", GOOD.replace("sections:", "tags: {team: 7}\nsections:"),
     "d.yaml:4:8: tags.team: Input should be a valid string, or input should be a valid list"),
]


@pytest.mark.parametrize(("case", "text", "expected"), ONE_PROBLEM, ids=[c[0] for c in ONE_PROBLEM])
def test_the_error_is_at_the_offending_option(tmp_path, case, text, expected):
    assert problems(tmp_path, text) == [expected]


def test_a_typo_d_top_level_key_is_suggested_beside_the_missing_one(tmp_path):
    assert problems(tmp_path, GOOD.replace("title: My agent", "titel: My agent")) == [
        "d.yaml:1:1: title: this option is required",
        "d.yaml:2:1: titel: unknown option 'titel' (did you mean 'title'?)",
    ]


SEVERAL = GOOD.replace("title: My agent", "titel: My agent").replace(
    PANEL, PANEL + "        threshold: 0.7\n        size: {width: 20}\n      - type: turn_latncy\n"
) + "alerts:\n  rules:\n    - type: error_rate\n      windw: 5m\n      warning: 1\n"
SEVERAL_PROBLEMS = [
    "d.yaml:1:1: title: this option is required",
    "d.yaml:2:1: titel: unknown option 'titel' (did you mean 'title'?)",
    "d.yaml:8:9: sections[0].panels[0].threshold: unknown option 'threshold' (did you mean 'thresholds'?)",
    "d.yaml:9:16: sections[0].panels[0].size.width: Input should be less than or equal to 12",
    "d.yaml:10:9: sections[0].panels[1].type: unknown type 'turn_latncy' (did you mean 'turn_latency'?)",
    "d.yaml:14:7: alerts.rules[0].windw: unknown option 'windw' (did you mean 'window'?)",
]


def test_every_problem_is_listed_at_its_line_in_file_order(tmp_path):
    assert problems(tmp_path, SEVERAL) == SEVERAL_PROBLEMS


def test_render_prints_every_problem_and_exits_2(tmp_path):
    (tmp_path / "d.yaml").write_text(SEVERAL)
    result = CliRunner().invoke(app, ["render", str(tmp_path / "d.yaml"), "-d", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.stderr.replace(f"{tmp_path / 'd.yaml'}:", "d.yaml:").splitlines()
    assert lines == [f"error: {p}" for p in SEVERAL_PROBLEMS]
    assert not (tmp_path / "out").exists()


def test_lint_reports_every_problem_with_line_and_column(tmp_path):
    (tmp_path / "d.yaml").write_text(SEVERAL)
    result = CliRunner().invoke(app, ["lint", "-o", "json", str(tmp_path / "d.yaml")])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    expected = []
    for problem in SEVERAL_PROBLEMS:
        where, message = problem.split(": ", 1)
        _, line, column = where.split(":")
        expected.append(("input", int(line), int(column), message))
    assert [(f["check"], f["line"], f["column"], f["message"]) for f in findings] == expected


def test_one_problem_reads_as_before(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(GOOD.replace(PANEL, PANEL + "        threshold: 0.7\n"))
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    message = "sections[0].panels[0].threshold: unknown option 'threshold' (did you mean 'thresholds'?)"
    assert info.value.problems == [Problem(message, Location(path, 8, 9))]
    assert (info.value.message, info.value.location) == (message, Location(path, 8, 9))


# -- warnings: an unknown attribute, said once, with the nearest the profile's spans have ---------


def lint_warnings(tmp_path, text: str) -> list[str]:
    (tmp_path / "d.yaml").write_text(text)
    result = CliRunner().invoke(app, ["lint", str(tmp_path / "d.yaml")])
    assert result.exit_code == 0, result.output
    return [line.replace(f"{tmp_path / 'd.yaml'}:", "d.yaml:") for line in result.stdout.splitlines()
            if "warning [" in line]


def test_an_unknown_attribute_is_said_once_with_the_nearest_one(tmp_path):
    # turn_latency renders a tile and a chart of two queries: three queries carry the filter.
    text = GOOD.replace(PANEL, PANEL + "        filter: \"stt.provder = 'deepgram'\"\n")
    assert lint_warnings(tmp_path, text) == [
        "d.yaml:7:9: warning [profile-attribute] panel \"Voice-to-voice turn latency (P95)\", query A: attribute "
        "'stt.provder' is not on span(s) turn of profile pipecat (1.14.0); did you mean 'gen_ai.provider.name' "
        "(on span(s) llm, llm_request, llm_response, llm_setup, stt, tts)?"
    ]


def test_an_unknown_group_by_attribute_suggests_the_one_on_the_queried_span(tmp_path):
    text = GOOD.replace(PANEL, "      - type: query\n        kind: time_series\n        title: STT calls\n"
                        "        queries:\n          - name: A\n            signal: traces\n"
                        "            filter: \"name = 'stt'\"\n            aggregations: [count()]\n"
                        "            group_by: [gen_ai.provder.name]\n")
    assert lint_warnings(tmp_path, text) == [
        "d.yaml:15:13: warning [profile-attribute] panel \"STT calls\", query A: attribute 'gen_ai.provder.name' is "
        "not on span(s) stt of profile pipecat (1.14.0); did you mean 'gen_ai.provider.name'?"
    ]
