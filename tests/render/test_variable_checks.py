"""Variables a dashboard names but does not offer: a custom variable's default outside its values,
a section's `repeat_variable` naming no variable. SigNoz stores both; render refuses them at the
definition's line, and import still writes a definition that loads (noting what render refuses)."""

from __future__ import annotations

import textwrap

import pytest

import signoz_dac
from signoz_dac.cli.importer import verify
from signoz_dac.errors import SchemaError
from signoz_dac.importer import definition_yaml, import_dashboard

GENERIC = """\
name: plain
title: Plain
variables:
  - {{kind: custom, name: env, values: "{values}", default: {default}, allow_all: false, multiple: {multiple}}}
sections:
  - title: Calls
    repeat_variable: {repeat}
    panels:
      - {{type: query, kind: number, title: Calls, queries: [{{name: A, signal: traces, aggregations: [count()]}}]}}
"""


def _render(tmp_path, *, values="prod,staging", default="prod", multiple="false", repeat="env"):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(GENERIC.format(values=values, default=default, multiple=multiple, repeat=repeat)))
    return path, lambda: signoz_dac.render(signoz_dac.load_definition(path))


@pytest.mark.parametrize(("values", "default", "multiple"), [
    ("prod,staging", "prd", "false"),
    ("prod,staging", "[prod, stage]", "true"),
    ("1,10,20", "'2'", "false"),
    ("a\\\\,b,c", "a", "false"),  # `a\,b` is one value
    ("Production : prod,Staging : staging", "Production", "false"),  # the label is shown, the value selected
])
def test_a_custom_default_that_is_not_a_value_is_refused_at_the_variable(tmp_path, values, default, multiple):
    path, render = _render(tmp_path, values=values, default=default, multiple=multiple)
    with pytest.raises(SchemaError) as info:
        render()
    (issue,) = info.value.issues
    assert issue.path == "spec.variables[0].spec.defaultValue"
    assert "is not one of the variable's values" in issue.message
    assert issue.location is not None and (issue.location.file, issue.location.line) == (path, 4)


@pytest.mark.parametrize(("values", "default", "multiple"), [
    ("prod,staging", "staging", "false"),
    ("prod,staging", "[prod, staging]", "true"),
    ("1,10,20", "'10'", "false"),
    ("1,10,20", "'10.0'", "false"),  # the UI reads both as the number 10
    ("a\\\\,b,c", "'a,b'", "false"),
    ("Production : prod,Staging : staging", "prod", "false"),
    ("prod,staging", "__ALL__", "true"),  # the UI's "select ALL"
])
def test_a_custom_default_among_the_values_renders(tmp_path, values, default, multiple):
    _, render = _render(tmp_path, values=values, default=default, multiple=multiple)
    render()


def test_a_repeat_variable_that_names_no_variable_is_refused_at_the_section(tmp_path):
    path, render = _render(tmp_path, repeat="environment")
    with pytest.raises(SchemaError) as info:
        render()
    (issue,) = info.value.issues
    assert issue.path == "spec.layouts[0].spec.repeatVariable"
    assert issue.message == "names 'environment', which is not a variable of this dashboard (env)"
    assert issue.location is not None and (issue.location.file, issue.location.line) == (path, 6)


def test_import_writes_a_definition_that_loads_and_notes_what_render_refuses(tmp_path):
    # SigNoz stores both; import says the body exactly and names what render will refuse.
    _, render = _render(tmp_path)
    body = render()
    body["spec"]["variables"][0]["spec"]["defaultValue"] = "prd"
    body["spec"]["layouts"][0]["spec"]["repeatVariable"] = "environment"
    imported = import_dashboard(body, source="plain.json")
    refused = verify(imported, definition_yaml(imported))
    assert [r.split(":")[0] for r in refused] == ["spec.variables[0].spec.defaultValue", "spec.layouts[0].spec.repeatVariable"]
