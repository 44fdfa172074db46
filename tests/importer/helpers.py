"""Round trips through the importer: body → definition YAML → definition → body."""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path
from typing import Any

from signoz_dac.definitions import Dashboard, load_definition
from signoz_dac.importer import Imported, definition_yaml, import_dashboard
from signoz_dac.render.pipeline import render_traced
from signoz_dac.sync.canonical import canonical, canonical_json

# A small dashboard, built here so the tests run from a plain clone: one variable, one panel.
PANEL = {
    "kind": "Panel",
    "spec": {
        "display": {"name": "Calls"},
        "plugin": {"kind": "signoz/TimeSeriesPanel", "spec": {}},
        "queries": [{"kind": "time_series", "spec": {"plugin": {"kind": "signoz/BuilderQuery", "spec": {
            "name": "A", "signal": "traces", "aggregations": [{"expression": "count()"}],
            "filter": {"expression": "name = 'llm'"},
        }}}}],
    },
}
BODY = {
    "schemaVersion": "v6",
    "name": "calls",
    "tags": [],
    "spec": {
        "display": {"name": "Calls"},
        "variables": [{"kind": "ListVariable", "spec": {
            "name": "svc", "display": {"name": "svc"}, "allowAllValue": True, "allowMultiple": True,
            "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "all"}},
        }}],
        "panels": {"p1": PANEL},
        "layouts": [{"kind": "Grid", "spec": {"items": [
            {"x": 0, "y": 0, "width": 6, "height": 6, "content": {"$ref": "#/spec/panels/p1"}},
        ]}}],
    },
}



def load_text(text: str, name: str = "imported") -> Dashboard:
    """A definition from YAML text, through the same loader as a file on disk."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_definition(path)


def round_trip(body: dict[str, Any]) -> tuple[Imported, Dashboard, dict[str, Any]]:
    """(what import made of `body`, the definition loaded back from its YAML, what that renders)."""
    imported = import_dashboard(body, source="body.json")
    definition = load_text(definition_yaml(imported), imported.definition.name)
    return imported, definition, render_traced(definition, own_checks=False).body


def assert_same_dashboard(expected: dict[str, Any], got: dict[str, Any]) -> None:
    """Equal in the canonical form push compares, with a readable diff when not."""
    want = canonical_json(canonical(expected), indent=1)
    have = canonical_json(canonical(got), indent=1)
    if want != have:
        diff = "\n".join(difflib.unified_diff(want.splitlines(), have.splitlines(), "body", "rendered", lineterm=""))
        raise AssertionError(f"the definition does not render back to the body:\n{diff}")
