"""The round trip on SigNoz's own material: its official Pipecat and LiveKit v6 dashboards, the
kitchen-sink test dashboards of its Go tests, and every valid dashboard among its validation vectors.

render(import(body)) is the body in the canonical form push compares (server-owned fields aside).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signoz_dac.importer import definition_yaml, import_dashboard
from signoz_dac.render.pipeline import render_traced
from signoz_dac.signoz.v5 import convert_v5_to_v6
from signoz_dac.definitions import load_definition
from tests.client.support import VIEWER
from tests.conftest import SHARED, require_shared

from .helpers import assert_same_dashboard, round_trip
from .test_cli import run

OFFICIAL = SHARED / "fixtures" / "signoz-official"
VECTORS = SHARED / "fixtures" / "signoz-vectors"


def _read(path: Path) -> dict:
    require_shared()
    return json.loads(path.read_text(encoding="utf-8"))


def _as_dashboard(spec: dict, name: str) -> dict:
    """SigNoz's test dashboards are bare specs; a body wraps them."""
    return {"schemaVersion": "v6", "name": name, "tags": [], "spec": spec}


def _valid_vector_ids() -> list[str]:
    if not VECTORS.is_dir():
        return ["(the shared fixtures are absent)"]
    vectors = json.loads((VECTORS / "dashboard-validation.json").read_text())
    return [v["id"] for v in vectors if v["valid"] and v.get("body") is not None]


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_v6_dashboard(name):
    body = _read(OFFICIAL / f"{name}-v6.json")
    imported, _, rendered = round_trip(body)
    assert imported.definition.name == name  # from the title: the export has only generateName
    assert imported.definition.style == "signoz-ui"
    assert_same_dashboard({**body, "name": name}, rendered)


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_v5_dashboard_imports_as_signoz_converts_it(name, tmp_path):
    """`signoz-dac import` of SigNoz's official v5 export writes YAML that renders back to SigNoz's
    own conversion of it."""
    path = OFFICIAL / f"{name}-v5.json"
    body = _read(path)
    result = run(["import", str(path), "-o", str(tmp_path)])
    assert result.code == 0, result.stdout + result.stderr
    assert "converted from SigNoz's v5 format" in result.stdout
    [written] = tmp_path.glob("*.yaml")
    converted = convert_v5_to_v6(body)
    assert written.name == f"{converted['name']}.yaml"
    assert_same_dashboard(converted, render_traced(load_definition(written), own_checks=False).body)


@pytest.mark.parametrize("fixture", ["perses.json", "perses_with_sections.json"])
def test_signoz_test_dashboards(fixture):
    body = _as_dashboard(_read(VECTORS / "testdata" / fixture), fixture.removesuffix(".json").replace("_", "-"))
    imported, definition, rendered = round_trip(body)
    assert_same_dashboard(body, rendered)
    kinds = {p.kind for s in definition.sections for p in s.panels}
    if fixture == "perses.json":  # the kitchen sink: every panel kind, in one untitled grid
        assert kinds == {"time_series", "bar", "number", "pie", "table", "list", "histogram"}
        assert {v.kind for v in definition.variables} == {"dynamic", "query", "custom", "text"}
    else:
        assert [s.title for s in definition.sections] == ["Bravo", "Alpha"]


@pytest.mark.parametrize("vector_id", _valid_vector_ids())
def test_valid_validation_vector(vector_id):
    require_shared()
    vectors = {v["id"]: v for v in json.loads((VECTORS / "dashboard-validation.json").read_text())}
    vector = vectors[vector_id]
    body = vector["body"] if vector["shape"] == "dashboard" else _as_dashboard(vector["body"], "vector")
    imported, _, rendered = round_trip(body)
    assert_same_dashboard(imported.body, rendered)


def _lint(path: Path) -> list[tuple[str, str, int | None]]:
    from typer.testing import CliRunner

    from signoz_dac.cli.app import app

    result = CliRunner().invoke(app, ["lint", "--output", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    return sorted((f["check"], f["path"], f.get("line")) for f in json.loads(result.stdout)["findings"])


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_official_yaml_lints_with_exactly_the_dashboards_own_faults(tmp_path, name):
    """The imported YAML is linted like any definition. What lint finds is what is wrong with SigNoz's
    own dashboard (the same findings as on its JSON), each at a line of the YAML; the import adds none."""
    body = _read(OFFICIAL / f"{name}-v6.json")
    path = tmp_path / f"{name}.yaml"
    path.write_text(definition_yaml(import_dashboard(body, source=f"{name}-v6.json")))
    json_path = tmp_path / f"{name}.json"
    json_path.write_text(json.dumps(body))
    from_yaml, from_json = _lint(path), _lint(json_path)
    assert [(rule, where) for rule, where, _ in from_yaml] == [(rule, where) for rule, where, _ in from_json]
    assert from_yaml, "SigNoz's official dashboard has known faults (SQL panels without a time filter)"
    assert all(line and line > 1 for _, _, line in from_yaml)  # each at its panel's line in the YAML


def test_pull_of_the_official_pipecat_dashboard_renders_back(emulator, tmp_path):
    """`pull` on SigNoz's official Pipecat dashboard, stored as SigNoz stores it (server fields and
    all): the YAML renders back to the stored dashboard and lints like its JSON."""
    body = _read(OFFICIAL / "pipecat-v6.json")
    stored = emulator.seed({**{k: v for k, v in body.items() if k != "generateName"}, "name": "pipecat"})
    assert run(["pull", "pipecat", "-o", str(tmp_path)], url=emulator.url, key=VIEWER).code == 0
    _, _, rendered = round_trip(stored)
    assert_same_dashboard(stored, rendered)
    assert_same_dashboard(stored, render_traced(load_definition(tmp_path / "pipecat.yaml")).body)
    json_path = tmp_path / "pipecat.json"
    json_path.write_text(json.dumps(body))
    assert [(r, p) for r, p, _ in _lint(tmp_path / "pipecat.yaml")] == [(r, p) for r, p, _ in _lint(json_path)]
