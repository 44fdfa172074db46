"""Read a YAML definition into the spec models, remembering the line of every value.

Errors name the file and line: YAML syntax, duplicate keys, unknown options, wrong types, bad names,
non-finite numbers (`.nan`, `.inf`).

A definition may come from anywhere (a pull request), so reading it is bounded: the file is read up
to MAX_INPUT_BYTES, nesting deeper than MAX_DEPTH is refused, and so is a document whose aliases
expand to more than MAX_VALUES values. YAML aliases repeat a node without copying it, so a few
hundred bytes can stand for billions of values ("billion laughs"); the expanded size is counted on
the node graph, each node once, before anything walks the expanded document.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from signoz_dac.definitions.dashboard import Dashboard
from signoz_dac.errors import DefinitionError, Location
from signoz_dac.safejson import MAX_DEPTH, TooLarge, read_limited

JsonPath = tuple[str | int, ...]
MAX_VALUES = 100_000  # values in the expanded document; the shipped definitions have about 1 500


class SourceMap:
    """Maps a path inside the definition (('sections', 0, 'panels', 2)) to its line in the file."""

    def __init__(self, file: Path, lines: dict[JsonPath, int]):
        self.file = file
        self._lines = lines

    def locate(self, path: JsonPath) -> Location:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self._lines:
            path = path[:-1]
        return Location(self.file, self._lines.get(path, 1))


def load_definition(path: str | Path) -> Dashboard:
    """Load and validate a dashboard definition; raises DefinitionError naming file and line."""
    path = Path(path)
    try:
        text = read_limited(path).decode("utf-8")
    except OSError as exc:
        raise DefinitionError(f"cannot read definition: {exc.strerror or exc}", Location(path)) from None
    except TooLarge as exc:
        raise DefinitionError(f"the definition is {exc}; is it the right file?", Location(path, 1)) from None
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"not UTF-8 text (byte {exc.start})", Location(path)) from None
    data, source_map = _parse_yaml(text, path)
    if not isinstance(data, dict):
        raise DefinitionError("a definition must be a YAML mapping (name:, title:, profile:, sections: ...)", Location(path, 1))
    try:
        dashboard = Dashboard.model_validate(data)
    except ValidationError as exc:
        raise _definition_error(exc, data, source_map) from None
    dashboard._source_map = source_map
    return dashboard


def source_map_of(dashboard: Dashboard) -> SourceMap | None:
    """Where a loaded definition's values came from; None for dashboards built in Python."""
    return cast("SourceMap | None", dashboard._source_map)


def _parse_yaml(text: str, path: Path) -> tuple[Any, SourceMap]:
    # libyaml's parser when PyYAML has it (several times faster), same nodes and marks otherwise.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError("the definition is empty", Location(path, 1))
        _check_size(node, path)
        lines: dict[JsonPath, int] = {}
        _record_lines(node, (), lines, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DefinitionError(f"YAML syntax error: {problem}", Location(path, line)) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"YAML error: {exc}", Location(path)) from None
    finally:
        loader.dispose()
    return data, SourceMap(path, lines)


def _check_size(root: yaml.Node, file: Path) -> None:
    """Refuse a node graph that nests deeper than MAX_DEPTH, refers to itself, or expands (aliases
    followed) to more than MAX_VALUES values. Iterative, each node counted once: no recursion, and
    no expansion, however the aliases multiply."""
    size: dict[int, int] = {}  # id(node) -> values it expands to, once known
    height: dict[int, int] = {}  # id(node) -> levels it spans, once known (an alias adds them where it is)
    active: set[int] = set()  # nodes being counted: meeting one again is a cycle
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key, line = id(node), node.start_mark.line + 1
        children = _children(node)
        if children_done:
            active.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            height[key] = 1 + max((height[id(child)] for child in children), default=0)
            if size[key] > MAX_VALUES:
                raise DefinitionError(
                    f"this expands to more than {MAX_VALUES} values (YAML aliases repeating each other); "
                    "a definition that large is not one", Location(file, line))
            continue
        if depth + height.get(key, 1) - 1 > MAX_DEPTH:
            raise DefinitionError(f"nested more than {MAX_DEPTH} levels deep", Location(file, line))
        if key in size:
            continue
        if key in active:
            raise DefinitionError("a YAML alias refers to a node that contains it", Location(file, line))
        active.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _record_lines(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int], file: Path) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                # PyYAML silently keeps the last duplicate; a definition that says two things is a mistake.
                raise DefinitionError(f"duplicate key {key!r} (first at line {seen[key]})", Location(file, line))
            seen[key] = line
            _record_lines(value_node, (*path, key), lines, file)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, file)


def _definition_error(exc: ValidationError, data: Any, source_map: SourceMap) -> DefinitionError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = _yaml_path(first["loc"], first["type"])
    message = _describe(first, loc, data)
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return DefinitionError(f"{where + ': ' if where else ''}{message}{more}", source_map.locate(loc))


def _yaml_path(loc: tuple[str | int, ...], error_type: str = "") -> JsonPath:
    """Pydantic's error location minus the discriminator values it inserts after a list index
    (('sections', 0, 'panels', 2, 'turn_latency', 'title') → (..., 2, 'title')). A tag can also be
    an option's name (a `sql` panel has a `sql` option): it is a tag only right after the index, and
    only if more follows or the error is the model's own (a model validator's)."""
    out: list[str | int] = []
    tags = _TAGGED.keys() | _ALERT_TAGGED.keys() | _QUERY_TAGS
    for index, part in enumerate(loc):
        after_index = index > 0 and isinstance(loc[index - 1], int)
        more = index < len(loc) - 1
        if after_index and part in tags and (more or error_type in ("value_error", "assertion_error")):
            continue
        out.append(part)
    return tuple(out)


def _tagged_models(*unions: tuple[object, str]) -> dict[str, type]:
    models = {}
    for union, field in unions:
        for cls in union.__origin__.__args__:  # type: ignore[attr-defined]  # Annotated[Union[...], Field(...)]
            for tag in cls.model_fields[field].annotation.__args__:
                models[tag] = cls
    return models


def _panel_and_variable_models() -> dict[str, type]:
    from signoz_dac.definitions.generic.panels import AnyGeneric
    from signoz_dac.definitions.panels import Panel
    from signoz_dac.definitions.variables import Variable

    return _tagged_models((Panel, "type"), (AnyGeneric, "type"), (Variable, "kind"))


def _alert_models() -> dict[str, type]:
    from signoz_dac.definitions.alerts import Alert

    return _tagged_models((Alert, "type"))


_TAGGED = _panel_and_variable_models()


def _query_tags() -> frozenset[str]:
    from signoz_dac.definitions.generic.queries import ENTRY_TYPES

    return frozenset(ENTRY_TYPES)


_QUERY_TAGS = _query_tags()
_ALERT_TAGGED = _alert_models()  # apart: an alert type may share its name with a panel type (error_rate)


def _describe(error: ErrorDetails, loc: JsonPath, data: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        option = loc[-1] if loc else "?"
        return f"unknown option {option!r}{_did_you_mean(str(option), _options_at(data, loc[:-1]))}"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        field = ctx.get("discriminator", "type").strip("'")
        return f"unknown {field} {ctx.get('tag')!r}; expected one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        field = error.get("ctx", {}).get("discriminator", "type").strip("'")
        return f"missing '{field}'"
    if kind == "missing":
        return "this option is required"
    message = error["msg"]
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _options_at(data: Any, path: JsonPath) -> set[str]:
    """The option names the model at `path` accepts, to suggest a fix for a typo."""
    model = _model_at(data, path)
    return set(model.model_fields) if model else set()


def _model_at(data: Any, path: JsonPath) -> type[BaseModel] | None:
    """The model that reads the mapping at `path`, found by following the data through the models'
    fields (a generic panel's `legend`, a query's `group_by` item...); None where it is unclear."""
    from signoz_dac.definitions.dashboard import Dashboard

    candidates: list[type[BaseModel]] = [Dashboard]
    node = data
    for part in path:
        if isinstance(part, str):
            model = _pick(candidates, node)
            field = model.model_fields.get(part) if model else None
            if field is None:
                return None
            candidates = _models_in(field.annotation, BaseModel)
        node = node[part] if isinstance(node, dict) else node[part] if isinstance(node, list) and isinstance(part, int) else None
    return _pick(candidates, node)


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    """The one candidate model for a mapping: by its `type`, else its `kind` (the literal each model
    declares), else the key a generic query carries."""
    from typing import get_args

    from signoz_dac.definitions.generic.queries import ENTRY_TYPES, entry_tag

    if len(candidates) <= 1 or not isinstance(node, dict):
        return candidates[0] if len(candidates) == 1 else None
    for field in ("type", "kind"):
        matching = [
            m for m in candidates
            if field in m.model_fields and node.get(field) in get_args(m.model_fields[field].annotation)
        ]
        if len(matching) == 1:
            return matching[0]
    chosen = ENTRY_TYPES.get(entry_tag(node) or "")
    return chosen if chosen in candidates else None


def _models_in(annotation: Any, base: type[BaseModel]) -> list[type[BaseModel]]:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, base):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found += [m for m in _models_in(arg, base) if m not in found]
    return found


def _did_you_mean(option: str, known: set[str]) -> str:
    close = difflib.get_close_matches(option, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
