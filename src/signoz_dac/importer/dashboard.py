"""A SigNoz v6 dashboard body → a definition (`Dashboard`), the inverse of `dashboard.json.j2`."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from signoz_dac.definitions.dashboard import Dashboard, Section
from signoz_dac.definitions.generic.panels import GridSize, Position
from signoz_dac.definitions.generic.style import OMIT
from signoz_dac.definitions.generic.variables import CustomVariable, QueryVariable
from signoz_dac.definitions.variables import DynamicVariable, TextVariable
from signoz_dac.importer.errors import fail
from signoz_dac.importer.panels import read_panel
from signoz_dac.importer.reader import MISSING, Reader, get, join, same
from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS

VARIABLE_PLUGINS: dict[str, type] = {
    "signoz/DynamicVariable": DynamicVariable, "signoz/QueryVariable": QueryVariable,
    "signoz/CustomVariable": CustomVariable,
}
VARIABLE_KINDS = {"signoz/DynamicVariable": "dynamic", "signoz/QueryVariable": "query", "signoz/CustomVariable": "custom"}
_REF = re.compile(r"#/spec/panels/([A-Za-z0-9_-]+)")
_ITEM_FIELDS = ("x", "y", "width", "height")


def read_dashboard(body: dict[str, Any], name: str, reader: Reader, *, drop_tags: frozenset[str]) -> Dashboard:
    """The definition of `body` (a v6 body, server fields included or not) under `name`."""
    spec = body.get("spec")
    if not isinstance(spec, dict):
        raise fail("spec", "a v6 dashboard needs a `spec` object")
    for key in ("variables", "panels", "layouts"):
        if not isinstance(spec.get(key), dict if key == "panels" else list):
            raise fail(f"spec.{key}", "is required" + (" (an object of panels)" if key == "panels" else " (a list)"))
    panels: dict[str, Any] = spec["panels"]
    sections, placed = _sections(reader, spec["layouts"], panels)
    unplaced = [read_panel(reader, key, panel, f"spec.panels.{key}", None) for key, panel in panels.items() if key not in placed]
    given: dict[str, Any] = {
        "name": name,
        "title": _display_name(spec) or name,  # SigNoz fills an empty display name in from the name
        "style": reader.style,
        "tags": _tags(body.get("tags"), drop_tags),
        "variables": [_variable(reader, v, f"spec.variables[{i}]") for i, v in enumerate(spec["variables"])],
        "sections": sections,
        "unplaced_panels": unplaced,
    }
    handled = frozenset({
        "schemaVersion", "name", "generateName", "tags", "spec.display.name", "spec.variables", "spec.panels",
        "spec.layouts", *DASHBOARD_SERVER_FIELDS,
    })
    return reader.model(
        Dashboard, body, "", ("dashboard", None), given=given, handled=handled, written=frozenset({"spec", "spec.display"}),
        given_at={"name": "name", "title": "spec.display.name", "tags": "tags"},
    )


def _display_name(spec: dict[str, Any]) -> Any:
    name = get(spec, "display.name")
    return None if name is MISSING else name


def _tags(tags: Any, drop: frozenset[str]) -> dict[str, str | list[str]]:
    """Tags as the definition writes them: `key: value`, or `key: [values]` for a key used twice.
    SigNoz compares tags as a set, so their order is not kept."""
    out: dict[str, Any] = {}
    if tags is not None and not isinstance(tags, list):
        raise fail("tags", "must be a list of {key, value} objects")
    for i, tag in enumerate(tags or []):
        if not isinstance(tag, dict) or set(tag) != {"key", "value"}:
            raise fail(f"tags[{i}]", "a tag is {key, value}")
        key, value = tag["key"], tag["value"]
        if key in drop:
            continue
        if key not in out:
            out[key] = value
        else:
            out[key] = [*([out[key]] if isinstance(out[key], str) else out[key]), value]
    return out


def _variable(reader: Reader, variable: Any, path: str) -> Any:
    if not isinstance(variable, dict) or not isinstance(variable.get("spec"), dict):
        raise fail(path, "must be an object with `kind` and `spec`")
    for extra in sorted(set(variable) - {"kind", "spec"}):
        raise fail(join(path, extra), "is not a field of a variable")
    spec = variable["spec"]
    spec_path = join(path, "spec")
    if variable.get("kind") == "TextVariable":
        cls: type = TextVariable
        given: dict[str, Any] = {"kind": "text"}
    elif variable.get("kind") == "ListVariable":
        plugin = spec.get("plugin")
        kind = plugin.get("kind") if isinstance(plugin, dict) else None
        if kind not in VARIABLE_PLUGINS:
            raise fail(join(spec_path, "plugin"), "a list variable needs a plugin: signoz/DynamicVariable, "
                       "signoz/QueryVariable or signoz/CustomVariable (one without cannot be written in a definition)")
        cls = VARIABLE_PLUGINS[kind]
        given = {"kind": VARIABLE_KINDS[kind]}
    else:
        raise fail(join(path, "kind"), f"must be ListVariable or TextVariable, got {variable.get('kind')!r}")
    display_name = get(spec, "display.name")
    if display_name is MISSING:
        given["omit"] = ["title"]  # the variable's settings show its name
    elif display_name != spec.get("name"):
        given["title"] = display_name
    return reader.model(
        cls, spec, spec_path, ("variable", given["kind"]), given=given,
        handled=frozenset({"display.name", "plugin.kind"}), written=frozenset({"plugin", "plugin.spec"}),
    )


def _sections(reader: Reader, layouts: list[Any], panels: dict[str, Any]) -> tuple[list[Section], set[str]]:
    sections: list[Section] = []
    placed: set[str] = set()
    for i, layout in enumerate(layouts):
        path = f"spec.layouts[{i}]"
        if not isinstance(layout, dict) or layout.get("kind") != "Grid" or not isinstance(layout.get("spec"), dict):
            raise fail(path, "must be a Grid layout: {kind: Grid, spec: {...}}")
        for extra in sorted(set(layout) - {"kind", "spec"}):
            raise fail(join(path, extra), "is not a field of a layout")
        spec = layout["spec"]
        path = join(path, "spec")
        items = spec.get("items")
        if not isinstance(items, list):
            raise fail(join(path, "items"), "a section's items must be a list (a definition always writes one)")
        section_panels = []
        for j, item in enumerate(items):
            key, place = _item(item, join(path, f"items[{j}]"), panels, placed)
            placed.add(key)
            section_panels.append(read_panel(reader, key, panels[key], f"spec.panels.{key}", place))
        sections.append(_section(reader, spec, path, section_panels))
    return sections, placed


def _item(item: Any, path: str, panels: dict[str, Any], placed: set[str]) -> tuple[str, dict[str, int]]:
    if not isinstance(item, dict):
        raise fail(path, "must be an object")
    for extra in sorted(set(item) - {*_ITEM_FIELDS, "content"}):
        raise fail(join(path, extra), "is not a field of a grid item")
    for field in _ITEM_FIELDS:
        if not isinstance(item.get(field), int) or isinstance(item.get(field), bool):
            raise fail(join(path, field), "a definition writes every item's x, y, width and height (whole numbers)")
    content = item.get("content")
    match = _REF.fullmatch(content.get("$ref", "")) if isinstance(content, dict) and set(content) == {"$ref"} else None
    if match is None or match.group(1) not in panels:
        raise fail(join(path, "content"), 'must be {"$ref": "#/spec/panels/<key>"} naming a panel of the dashboard')
    if match.group(1) in placed:
        raise fail(join(path, "content"), f"panel {match.group(1)!r} is placed twice")
    _check_geometry(item, path)
    return match.group(1), {field: item[field] for field in _ITEM_FIELDS}


def _check_geometry(item: dict[str, Any], path: str) -> None:
    """The item's place fits the definition's `position` and `size` (SigNoz refuses the rest: a
    negative or empty place, or one outside its 12 columns)."""
    for model, fields in ((Position, ("x", "y")), (GridSize, ("width", "height"))):
        try:
            model.model_validate({field: item[field] for field in fields})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            raise fail(join(path, str(error["loc"][0])), f"{error['msg']}, got {error['input']!r}") from None


def _section(reader: Reader, spec: dict[str, Any], path: str, panels: list[Any]) -> Section:
    titled = get(spec, "display.title") is not MISSING
    context = ("section", None if titled else "untitled")
    given: dict[str, Any] = {"panels": panels}
    collapse = get(spec, "display.collapse")
    default = reader.default(Section, "collapsed", context)
    if collapse is MISSING or collapse is None:  # SigNoz's re-read of a section without one has null
        if default is not OMIT:
            given["omit"] = ["collapsed"]
    elif not isinstance(collapse, dict) or set(collapse) != {"open"} or not isinstance(collapse["open"], bool):
        raise fail(join(path, "display.collapse"), 'must be {"open": true|false} (a definition writes `open` whenever it writes collapse)')
    elif not same(not collapse["open"], default):
        given["collapsed"] = not collapse["open"]
    handled = frozenset({"items", "display.collapse"})
    return reader.model(Section, spec, path, context, given=given, handled=handled)
