"""The README's generic-panel example (one panel per query source) renders and passes SigNoz's rules."""

from __future__ import annotations

import re

import signoz_dac
from tests.conftest import REPO
from tests.importer.helpers import load_text


def _example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Any SigNoz panel", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_readme_example_renders_one_panel_per_query_source():
    definition = load_text(_example(), "agent-tools")
    body = signoz_dac.render(definition)  # validated by the strict models
    plugins = {key: p["spec"]["queries"][0]["spec"]["plugin"]["kind"] for key, p in body["spec"]["panels"].items()}
    assert plugins == {
        "tool-calls": "signoz/BuilderQuery", "failed-tool-calls": "signoz/CompositeQuery",
        "slowest-tool-calls": "signoz/ClickHouseSQL", "request-rate": "signoz/PromQLQuery",
    }
    assert body["spec"]["panels"]["slowest-tool-calls"]["spec"]["plugin"]["spec"]["formatting"]["columnUnits"] == {"d": "ns"}
