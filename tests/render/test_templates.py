"""User templates (`--templates`): restyle without Python; errors name the template and line."""

from __future__ import annotations

import shutil

import pytest

import signoz_dac
from signoz_dac.errors import SchemaError, TemplateError
from signoz_dac.render.sql import sql_string
from signoz_dac.resources import builtin_definitions, templates_dir
from tests.support.definitions import starts_at


@pytest.fixture
def my_templates(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    return folder


def pipecat():
    return signoz_dac.load_definition(next(p for p in builtin_definitions() if p.stem == "pipecat"))


LEGEND = '{%- include "panels/_legend.json.j2" %}'


def test_a_copied_template_restyles_panels(my_templates):
    pie = my_templates / "panels" / "pie.json.j2"
    assert LEGEND in pie.read_text()
    pie.write_text(pie.read_text().replace(LEGEND, '{{ s() }}"legend": {"position": "bottom", "mode": "list"}'))
    body = signoz_dac.render(pipecat(), templates=my_templates)
    legend = body["spec"]["panels"]["model-distribution-llm"]["spec"]["plugin"]["spec"]["legend"]
    assert legend["position"] == "bottom"
    assert signoz_dac.render(pipecat())["spec"]["panels"]["model-distribution-llm"]["spec"]["plugin"]["spec"]["legend"]["position"] == "right"


def test_an_undefined_name_names_template_and_line(my_templates):
    pie = my_templates / "panels" / "pie.json.j2"
    lines = pie.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if LEGEND in text)
    lines[line] = lines[line].replace(LEGEND, '{{ s() }}"legend": {"position": {{ panel.legend_position | tojson }}}')
    pie.write_text("\n".join(lines) + "\n")
    with pytest.raises(TemplateError) as info:
        signoz_dac.render(pipecat(), templates=my_templates)
    assert str(info.value).startswith(f"panels/pie.json.j2:{line + 1}: ")
    assert "legend_position" in str(info.value)


def test_a_syntax_error_names_template_and_line(my_templates):
    (my_templates / "panels" / "pie.json.j2").write_text('{\n  "kind": {% if %}\n}\n')
    with pytest.raises(TemplateError, match=r"^pie.json.j2:2: syntax error|panels/pie.json.j2:2: syntax error"):
        signoz_dac.render(pipecat(), templates=my_templates)


def test_output_that_breaks_signoz_rules_is_rejected_with_path_and_definition_line(my_templates):
    pie = my_templates / "panels" / "pie.json.j2"
    # SigNoz rejects explicit "" enums
    pie.write_text(pie.read_text().replace(LEGEND, '{{ s() }}"legend": {"position": "right", "mode": ""}'))
    with pytest.raises(SchemaError) as info:
        signoz_dac.render(pipecat(), templates=my_templates)
    issue = info.value.issues[0]
    assert issue.path.startswith("spec.panels.model-distribution-")
    assert issue.location is not None and str(issue.location).endswith(f"pipecat.yaml:{issue.location.line}:{issue.location.column}")
    assert issue.location.line > 1


def test_a_missing_templates_folder(tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        signoz_dac.render(pipecat(), templates=tmp_path / "nope")


@pytest.mark.parametrize(("value", "literal"), [("turn", "'turn'"), ("it's", "'it\\'s'"), ("a\\b", "'a\\\\b'"), ("x') OR 1=1 --", "'x\\') OR 1=1 --'")])
def test_sql_literals_are_escaped(value, literal):
    assert sql_string(value) == literal


def test_any_runtime_failure_names_the_template_relative_to_the_users_folder(tmp_path):
    folder = tmp_path / "my-templates"
    shutil.copytree(templates_dir(), folder)
    formatting = folder / "panels" / "_formatting.json.j2"
    formatting.write_text("{{ 1 / 0 }}\n" + formatting.read_text())
    with pytest.raises(TemplateError) as info:
        signoz_dac.render(pipecat(), templates=folder)
    assert str(info.value).startswith("panels/_formatting.json.j2:1: ZeroDivisionError")


def test_a_broken_variable_names_the_variables_line_once(my_templates):
    text = my_templates / "variables" / "text.json.j2"
    text.write_text(text.read_text().replace('"constant":', '"bogus": 1, "constant":'))
    definition = next(p for p in builtin_definitions() if p.stem == "pipecat")
    with pytest.raises(SchemaError) as info:
        signoz_dac.render(signoz_dac.load_definition(definition), templates=my_templates)
    (issue,) = info.value.issues
    line = next(i for i, text in enumerate(definition.read_text().splitlines(), 1) if "kind: text" in text)
    assert issue.path == "spec.variables[3].spec.bogus"
    assert starts_at(str(info.value), definition, line, "spec.variables[3].spec.bogus: ")
