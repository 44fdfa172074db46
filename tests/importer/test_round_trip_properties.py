"""The round trip on bodies drawn from the strict models' shapes (generated: runs from a plain clone).

For every body SigNoz accepts: render(import(body)) is the body in the canonical form push compares
(validated with SigNoz's rules on the way), and the import of that render is the same definition
again (import is render's inverse both ways). A body SigNoz refuses is refused when rendered back.
"""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from signoz_dac.errors import SchemaError
from signoz_dac.importer import import_dashboard
from signoz_dac.importer.yaml_out import data
from signoz_dac.render.pipeline import render_traced
from signoz_dac.signoz.v6 import parse_dashboard

from .bodies import dashboard
from .helpers import BODY, assert_same_dashboard, round_trip

# SIGNOZ_DAC_EXAMPLES=2000 searches deeper (minutes); the default keeps the suite fast.
SETTINGS = settings(
    max_examples=int(os.environ.get("SIGNOZ_DAC_EXAMPLES", "60")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _verdict(body: dict) -> list[str] | None:
    try:
        parse_dashboard(body, allow_generate_name=True)
    except SchemaError as exc:
        return sorted(i.message for i in exc.issues)
    return None


def _signoz_accepts(body: dict) -> bool:
    """Whether SigNoz accepts the body under the name import gives it (the body it renders back to)."""
    name = import_dashboard(body, source="body.json").definition.name
    return _verdict({**body, "name": name, "generateName": False}) is None


@pytest.mark.slow
@SETTINGS
@given(dashboard())
def test_render_of_import_is_the_body(body):
    if not _signoz_accepts(body):  # rendering it back is refused, as SigNoz refuses the body
        with pytest.raises(SchemaError):
            round_trip(body)
        return
    imported, _definition, rendered = round_trip(body)
    assert_same_dashboard(imported.body, rendered)
    assert rendered["name"] == imported.definition.name == (body.get("name") or imported.definition.name)
    assert _verdict(rendered) is None  # and the strict models accept what it renders


@pytest.mark.slow
@SETTINGS
@given(dashboard())
def test_import_of_the_render_is_the_same_definition(body):
    assume(_signoz_accepts(body))
    _, definition, rendered = round_trip(body)
    again = import_dashboard(rendered, source="rendered.json").definition
    assert data(again) == data(definition)  # the same options set, the same omitted
    assert render_traced(again, own_checks=False).body == rendered


@SETTINGS
@given(st.text(max_size=40), st.text(max_size=40))
@example("\x85", "a\u2028b\rc")  # line breaks YAML folds outside double quotes
def test_any_text_survives_the_yaml(title, expression):
    """Titles, filters and SQL are free text: control characters, quotes, YAML's own syntax and
    line breaks come back exactly from the definition YAML."""
    body = copy.deepcopy(BODY)
    body["spec"]["panels"]["p1"]["spec"]["display"]["name"] = title
    body["spec"]["panels"]["p1"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["filter"]["expression"] = expression
    _, _, rendered = round_trip(body)
    assert_same_dashboard(body, rendered)
