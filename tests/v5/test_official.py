"""SigNoz's official Pipecat and LiveKit dashboards, v5 against their published v6 twins.

The v6 files were produced by SigNoz's conversion and then edited in the UI: sections were
rearranged, graphs grouped by service (with a legend and colours), pie colours picked, the
error-rate thresholds rescaled from 10/5 to 0.1/0.05, variable defaults set and the turns
threshold changed from 1 to 3. Everything else must match what our conversion makes of the v5
file, field for field (in the comparison form SigNoz itself uses).
"""

from __future__ import annotations

import json
import re

import pytest

from signoz_dac.signoz.v5 import convert_v5_to_v6, ui_problems
from signoz_dac.signoz.v6 import parse_dashboard
from tests.conftest import require_shared

from .helpers import comparable, differences

# Where the published v6 files were edited after SigNoz converted them (see the module doc).
# The graphs later grouped by service: 28bb5d45 (token usage), 74a94376, af79b14b, bc6e3017,
# e9849813 in both, and 066e6cd9 in Pipecat's.
_GROUPED = "(066e6cd9|28bb5d45|74a94376|af79b14b|bc6e3017|e9849813)-[0-9a-f-]+"
_COMMON = [
    r"spec\.layouts\[0\]\.spec\.items\[\d+\]\.",
    rf"spec\.panels\.{_GROUPED}\.spec\.queries\[0\]\.spec\.plugin\.spec(\.queries\[\d\]\.spec)?\.(groupBy|legend)",
    r"spec\.panels\.799913e6-fb95-497e-858a-6490b5f9d10d\.spec\.plugin\.spec\.thresholds\[[01]\]\.value",
    r"spec\.variables\[\d\]\.spec\.(defaultValue|value)",
]
EDITED = {"pipecat": [*_COMMON, r"spec\.panels\.[^.]+\.spec\.plugin\.spec\.legend\.customColors"], "livekit": _COMMON}


def _load(name: str) -> tuple[dict, dict]:
    folder = require_shared() / "fixtures" / "signoz-official"
    return json.loads((folder / f"{name}-v5.json").read_text()), json.loads((folder / f"{name}-v6.json").read_text())


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_v5_converts_to_its_v6_twin_except_the_later_edits(name):
    v5, published = _load(name)
    converted = convert_v5_to_v6(v5)
    parse_dashboard(converted)  # our strict models accept it (convert_v5_to_v6 checked it too)
    assert converted["name"] == name  # the title's slug, with no random suffix
    twin = {**published, "name": converted["name"]}
    del twin["generateName"]
    found = differences(comparable(converted), comparable(twin))
    assert found, "the published file was edited; an empty diff means the comparison is blind"
    unexplained = [d for d in found if not any(re.match(pattern, d) for pattern in EDITED[name])]
    assert unexplained == []
    # Every kind of edit is really there (the list above is not stale).
    assert all(any(re.match(pattern, d) for d in found) for pattern in EDITED[name])


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_layout_keeps_its_v5_geometry(name):
    """The v5 layout was already compact, so the converted grid holds the same boxes."""
    v5, _ = _load(name)
    converted = convert_v5_to_v6(v5)
    [grid] = converted["spec"]["layouts"]
    boxes = {(i["content"]["$ref"].rsplit("/", 1)[1], i["x"], i["y"], i["width"], i["height"]) for i in grid["spec"]["items"]}
    widgets = {w["id"] for w in v5["widgets"]}
    expected = {(i["i"], i["x"], i["y"], i["w"], i["h"]) for i in v5["layout"] if i["i"] in widgets}
    assert boxes == expected


def test_official_twins_confirm_how_aggregations_are_read():
    """`sum(x) ) ) )` (a typo in the official v5 files) is read as `sum(x)`, and
    `count() as 'Count of Conversations'` as an aliased count, as the v5 UI reads them."""
    v5, _published = _load("pipecat")
    converted = convert_v5_to_v6(v5)
    first = v5["widgets"][0]
    assert first["query"]["builder"]["queryData"][0]["aggregations"][0]["expression"].endswith(") ) )")
    aggregation = converted["spec"]["panels"][first["id"]]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["aggregations"]
    assert aggregation == [{"expression": "sum(gen_ai.usage.input_tokens)"}]
    table = converted["spec"]["panels"]["67a074ee-c46e-4a36-8f5c-10d981cae404"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]
    assert table["aggregations"] == [{"expression": "count()", "alias": "Count of Conversations"}]


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_v5_files_have_what_the_v5_ui_misreads(name):
    """The checks of what the v5 UI needs find the official files' typos (and nothing else but
    react-grid-layout's leftover drop placeholder)."""
    v5, _ = _load(name)
    paths = [issue.path for issue in ui_problems(v5)]
    assert paths and all(p.endswith("aggregations[0].expression") or p.endswith(".i") for p in paths)
