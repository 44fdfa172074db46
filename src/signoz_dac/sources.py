"""Paths on the command line → (source, SigNoz body) pairs, validated; shared by push, diff and lint.

A `.yaml`/`.yml` file is a definition, rendered through `signoz_dac.render`; a `.json` file is a
SigNoz v6 body, validated with the server's rules. A folder contributes its definitions and JSON
files. Every failure is an `InputError` that names the file (and line, where there is one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError, Location

DEFINITION_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


def load_bodies(
    paths: Sequence[str | Path] | None = None, *, templates: str | Path | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """Validated bodies for `paths` (default: the built-in dashboards), each with its source path.

    Every body has a stable `name`, and names are unique across the inputs: push identifies a
    dashboard by it.
    """
    from signoz_dac.resources import builtin_definitions

    files = _expand([Path(p) for p in paths] if paths else builtin_definitions())
    bodies = [(str(path), _load(path, templates)) for path in files]
    _check_names(bodies)
    return bodies


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in DEFINITION_SUFFIXES + JSON_SUFFIXES)
            if not found:
                raise InputError(f"{path}: no .yaml definitions or .json dashboards in this folder")
            files.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        else:
            files.append(path)
    return files


def _load(path: Path, templates: str | Path | None) -> dict[str, Any]:
    if path.suffix in DEFINITION_SUFFIXES:
        from signoz_dac import load_definition, render

        return render(load_definition(path), templates=templates)
    if path.suffix in JSON_SUFFIXES:
        return _load_json(path)
    raise InputError(f"{path}: expected a definition (.yaml) or a SigNoz dashboard (.json)")


def _load_json(path: Path) -> dict[str, Any]:
    from signoz_dac.signoz.v6 import parse_dashboard

    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{Location(path, exc.lineno)}: invalid JSON (column {exc.colno}): {exc.msg}") from None
    if not isinstance(body, dict):
        raise InputError(f"{Location(path, 1)}: a dashboard must be a JSON object")
    parse_dashboard(body, source=str(path))  # raises SchemaError with JSON paths
    if body.get("generateName") or not body.get("name"):
        raise InputError(
            f"{path}: the dashboard needs a fixed `name` (a DNS-1123 label such as 'voice-pipecat'), "
            "not generateName: push finds it again by that name"
        )
    return body


def _check_names(bodies: list[tuple[str, dict[str, Any]]]) -> None:
    seen: dict[str, str] = {}
    for source, body in bodies:
        name = body["name"]
        if name in seen:
            raise InputError(f"{source}: dashboard name {name!r} is also used by {seen[name]}")
        seen[name] = source
