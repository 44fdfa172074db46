"""Command-line paths → dashboard bodies to lint. The one place that knows about files.

`signoz_dac.sources.load_bodies` serves push and diff, which need valid bodies with a fixed `name`;
lint must also read invalid bodies and SigNoz's own exports (which use `generateName`), so it loads
files itself, here, in one function that can be swapped later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError, Issue, SchemaError
from signoz_dac.lint.engine import Locate

DEFINITION_SUFFIXES = (".yaml", ".yml")


@dataclass
class LintInput:
    source: str
    body: dict[str, Any] | None  # None when rendering refused the definition (see schema_issues)
    profile: str | None = None  # from the definition
    disable: tuple[str, ...] = ()  # from the definition's `lint: {disable: [...]}`
    locate: Locate | None = None
    schema_issues: list[Issue] = field(default_factory=list)


def load_inputs(paths: Sequence[str | Path]) -> list[LintInput]:
    """One input per file; folders contribute their .yaml and .json files. Raises InputError."""
    if not paths:
        from signoz_dac.resources import builtin_definitions

        paths = builtin_definitions()
    out: list[LintInput] = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (*DEFINITION_SUFFIXES, ".json"))
            if not files:
                raise InputError(f"{path}: no .yaml definitions or .json dashboards in this folder")
            out.extend(_load(f) for f in files)
        elif not path.is_file():
            raise InputError(f"{path}: no such file")
        else:
            out.append(_load(path))
    return out


def _load(path: Path) -> LintInput:
    if path.suffix in DEFINITION_SUFFIXES:
        return _load_definition(path)
    return LintInput(str(path), _load_json(path))


def _load_json(path: Path) -> dict[str, Any]:
    from signoz_dac.sources import read_json

    return as_dashboard(read_json(path), str(path))


def as_dashboard(body: Any, source: str) -> dict[str, Any]:
    """The v6 body in `body`: accepts a bare body or a GET response (`{"status", "data": body}`)."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "status" in body:
        body = body["data"]  # saved from `GET /api/v2/dashboards/{id}`
    if not isinstance(body, dict):
        raise InputError(f"{source}: not a SigNoz dashboard (expected a JSON object)")
    if "spec" not in body and ("widgets" in body or body.get("version") == "v5"):
        raise InputError(f"{source}: a v5 dashboard; lint reads v6 (export it from SigNoz ≥ 0.135)")
    if not isinstance(body.get("spec"), dict) and body.get("schemaVersion") != "v6":
        raise InputError(f"{source}: not a SigNoz v6 dashboard (no `spec` object)")
    return body


def _load_definition(path: Path) -> LintInput:
    from signoz_dac import load_definition  # lazy: the spec models are only needed for YAML
    from signoz_dac.render.pipeline import render_traced

    dashboard = load_definition(path)  # DefinitionError is an InputError: exit 2
    profile = dashboard.profile
    disable = tuple(dashboard.lint.disable)
    try:
        rendered = render_traced(dashboard)
    except SchemaError as err:
        # The renderer validates strictly; report its issues as `schema` findings, with lines.
        return LintInput(str(path), None, profile, disable, None, list(err.issues))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001  (one line for the user, not a traceback)
        raise InputError(f"{path}: cannot render the definition: {type(exc).__name__}: {exc}") from None
    return LintInput(str(path), rendered.body, profile, disable, rendered.locate)
