"""A definition's own `filter:` (and an alert's `aggregation:`): parsed, embedded as one unit, and
refused with the file and the line of the option when SigNoz could not read it."""

from __future__ import annotations

import textwrap

import pytest

import signoz_dac
from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError
from signoz_dac.signoz.expressions import parse_filter
from signoz_dac.signoz.expressions.filter import And, Comparison, Or
from tests.conftest import THRESHOLD_ALERT
from tests.support.definitions import starts_at

PANEL = """\
name: my-agent
title: My agent
profile: pipecat
sections:
  - title: Errors
    panels:
      - type: error_records
        title: Errors
        filter: {filter}
"""


def _write(tmp_path, text: str):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def _records_filter(body: dict) -> str:
    (panel,) = body["spec"]["panels"].values()
    return panel["spec"]["queries"][0]["spec"]["plugin"]["spec"]["filter"]["expression"]


@pytest.mark.parametrize(
    "attack",
    [
        "\"x') OR (name = 'llm'\"",  # the reported attack: ends inside a string
        "\"x = 1) OR (name = 'llm'\"",  # parses as text once pasted: `… AND (x = 1) OR (name = 'llm')`
        "\"name = 'llm' OR\"",
    ],
)
def test_a_panel_filter_that_does_not_parse_is_refused_at_its_line(tmp_path, attack: str) -> None:
    path = _write(tmp_path, PANEL.format(filter=attack))
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render(load_definition(path))
    assert info.value.location is not None and (info.value.location.file, info.value.location.line) == (path, 9)
    assert starts_at(str(info.value), path, 9, "filter does not parse:")


def test_a_panel_filter_is_embedded_as_one_parsed_unit(tmp_path) -> None:
    path = _write(tmp_path, PANEL.format(filter="\"name = 'llm'   or name = 'tts'\""))
    expression = _records_filter(signoz_dac.render(load_definition(path)))
    assert expression == "has_error = true AND (name = 'llm' OR name = 'tts')"
    root = parse_filter(expression).root
    assert isinstance(root, And) and isinstance(root.operands[0], Comparison) and isinstance(root.operands[1], Or)


def test_an_alert_filter_with_an_unclosed_quote_is_refused_at_its_line(tmp_path) -> None:
    path = _write(tmp_path, THRESHOLD_ALERT.format(aggregation="count()", filter="\"name = 'llm\""))
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render_alerts(load_definition(path))
    assert starts_at(str(info.value), path, 13, "filter does not parse: unterminated string")


@pytest.mark.parametrize(
    ("aggregation", "says"),
    [("\"p95(a\"", "unclosed"), ("average(x)", "unknown aggregation function"), ("\"countIf(a =)\"", "condition")],
)
def test_an_alert_aggregation_signoz_cannot_run_is_refused_at_its_line(tmp_path, aggregation: str, says: str) -> None:
    path = _write(tmp_path, THRESHOLD_ALERT.format(aggregation=aggregation, filter="\"\""))
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render_alerts(load_definition(path))
    assert starts_at(str(info.value), path, 12, "aggregation does not parse:") and says in str(info.value)


def test_an_alert_filter_is_one_unit_too(tmp_path) -> None:
    path = _write(tmp_path, THRESHOLD_ALERT.format(aggregation="count()", filter="\"a = 1 OR b = 2\""))
    (rule,) = signoz_dac.render_alerts(load_definition(path))
    expression = rule["condition"]["compositeQuery"]["queries"][0]["spec"]["filter"]["expression"]
    assert expression == "(a = 1 OR b = 2)"
