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


def _readme_definitions() -> list[str]:
    """Every YAML block of the README that is a whole definition (it names its dashboard)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    return [block for block in blocks if re.match(r"name: ", block)]


def test_every_definition_in_the_readme_lints_clean_under_strict(tmp_path):
    """A user copies the README's definitions into a CI job that runs `lint --strict` (as the example
    workflow does): they must not fail it (a variable the example declares but no panel uses did)."""
    from typer.testing import CliRunner

    from signoz_dac.cli.app import build_app

    definitions = _readme_definitions()
    assert len(definitions) >= 2  # the customise example and the generic-panel example
    for index, text in enumerate(definitions):
        (tmp_path / f"readme-{index}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(build_app(["lint"]), ["lint", "--strict", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
