"""Property: for any v6 body made of what the v5 format holds, SigNoz's conversion of our v5 output
gives the body back; adding what v5 does not carry back changes only the paths `not_carried`
names. Bodies come from tests/v5/strategies.py (every panel kind, query plugin, variable kind and
section state); nothing from ../shared is needed."""

from __future__ import annotations

import copy
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signoz_dac.render.v5 import NotCarried, not_carried, to_v5
from signoz_dac.signoz.v5 import convert_v5_to_v6, ui_problems
from signoz_dac.signoz.v6 import parse_dashboard

from .helpers import comparable, differences
from .strategies import v6_bodies

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(v6_bodies())
def test_v5_output_converts_back_to_the_body(body):
    parse_dashboard(body)  # the strategy makes valid bodies only
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotCarried)
        v5 = to_v5(body)
    assert ui_problems(v5) == []
    back = convert_v5_to_v6(v5)
    assert differences(comparable(back), comparable(body)) == []


def _with_extras(body: dict, data: st.DataObject) -> dict:
    """The body plus a few things v5 does not carry back."""
    body = copy.deepcopy(body)
    spec = body["spec"]
    if data.draw(st.booleans()):
        spec["duration"] = "6h"
    if spec["variables"] and data.draw(st.booleans()):
        spec["variables"][0]["spec"]["display"]["name"] = "Shown " + spec["variables"][0]["spec"]["name"]
    for key, panel in spec["panels"].items():
        choice = data.draw(st.sampled_from(["none", "links", "name", "order"]), label=key)
        query = panel["spec"]["queries"][0]
        if choice == "links":
            panel["spec"]["links"] = [{"name": "open", "url": "/trace/{{trace_id}}", "targetBlank": True}]
        elif choice == "name" and query["spec"]["plugin"]["kind"] == "signoz/CompositeQuery":
            query["spec"]["name"] = "A"
        elif choice == "order" and query["kind"] == "raw":
            query["spec"]["plugin"]["spec"]["order"] = [{"key": {"name": "timestamp"}, "direction": "desc"}]
    titled = [lay for lay in spec["layouts"] if "display" in lay["spec"]]
    if titled and data.draw(st.booleans()):
        titled[0]["spec"]["display"].pop("collapse")
    if data.draw(st.booleans()):
        for lay in spec["layouts"]:
            if lay["spec"]["items"]:
                lay["spec"]["items"].pop()  # that panel is now in no layout
                break
    return body


@pytest.mark.slow
@SETTINGS
@given(v6_bodies(), st.data())
def test_what_is_not_carried_back_is_exactly_what_changes(body, data):
    body = _with_extras(body, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotCarried)
        v5 = to_v5(body)
    notes = [n.path for n in not_carried(body)]
    found = differences(comparable(convert_v5_to_v6(v5)), comparable(body))
    uncovered = [d for d in found if not any(d.split(": ", 1)[0].startswith(n) or n.startswith(d.split(": ", 1)[0]) for n in notes)]
    assert uncovered == []
