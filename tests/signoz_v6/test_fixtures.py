"""SigNoz's own exported v6 dashboards (SigNoz/dashboards: pipecat, livekit) parse without issues
and re-serialise to exactly the JSON they came from."""

from __future__ import annotations

import os

import pytest

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.v6 import given_body, parse_dashboard

from .bodies import FIXTURES, load_fixture

OFFICIAL = ["pipecat-v6.json", "livekit-v6.json"]


@pytest.fixture(autouse=True)
def _need_shared():
    if not FIXTURES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {FIXTURES} is missing")
        pytest.skip(f"{FIXTURES} is absent")


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_export_parses_and_round_trips(name):
    body = load_fixture(name)
    # The exports use generateName (SigNoz picks the name), which SigNoz accepts.
    dash = parse_dashboard(body, source=name)
    assert given_body(dash) == body


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_export_is_refused_for_push_without_a_stable_name(name):
    with pytest.raises(SchemaError) as caught:
        parse_dashboard(load_fixture(name), source=name, allow_generate_name=False)
    assert [i.path for i in caught.value.issues] == ["generateName"]
    assert "stable name" in str(caught.value)


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_export_with_a_name_is_a_valid_put_body(name):
    body = load_fixture(name)
    del body["generateName"]
    body["name"] = "voice-" + name.split("-")[0]
    assert given_body(parse_dashboard(body, updatable=True)) == body
