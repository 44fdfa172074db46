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

from signoz_dac.definitions.common import OptionError
from signoz_dac.definitions.dashboard import Dashboard
from signoz_dac.errors import DefinitionError, Location, Problem
from signoz_dac.safejson import MAX_DEPTH, TooLarge, read_limited

JsonPath = tuple[str | int, ...]
_TEXT = "tag:yaml.org,2002:str"
_NOT_TEXT = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("bool", "null", "int", "float"))
MAX_VALUES = 100_000  # values in the expanded document; the shipped definitions have about 1 500


class SourceMap:
    """Maps a path inside the definition (('sections', 0, 'panels', 2)) to where it is in the file:
    an option's key, a list item's first character."""

    def __init__(self, file: Path, marks: dict[JsonPath, tuple[int, int]]):
        self.file = file
        self._marks = marks  # path → (line, column), both 1-based

    def __eq__(self, other: object) -> bool:
        # By value, so that a definition loaded twice from one file gives equal Dashboards (pydantic
        # compares private attributes, where the source map lives).
        if not isinstance(other, SourceMap):
            return NotImplemented
        return self.file == other.file and self._marks == other._marks

    def locate(self, path: JsonPath) -> Location:
        """Where `path` is, or its nearest ancestor that is in the file."""
        path = tuple(path)
        while path and path not in self._marks:
            path = path[:-1]
        line, column = self._marks.get(path, (1, 1))
        return Location(self.file, line, column)


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
        marks: dict[JsonPath, tuple[int, int]] = {}
        _record_marks(node, (), marks, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise DefinitionError(f"YAML syntax error: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"YAML error: {exc}", Location(path)) from None
    finally:
        loader.dispose()
    return data, SourceMap(path, marks)


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
        key, at = id(node), _where(file, node)
        children = _children(node)
        if children_done:
            active.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            height[key] = 1 + max((height[id(child)] for child in children), default=0)
            if size[key] > MAX_VALUES:
                raise DefinitionError(
                    f"this expands to more than {MAX_VALUES} values (YAML aliases repeating each other); "
                    "a definition that large is not one", at)
            continue
        if depth + height.get(key, 1) - 1 > MAX_DEPTH:
            raise DefinitionError(f"nested more than {MAX_DEPTH} levels deep", at)
        if key in size:
            continue
        if key in active:
            raise DefinitionError("a YAML alias refers to a node that contains it", at)
        active.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _where(file: Path, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _record_marks(node: yaml.Node, path: JsonPath, marks: dict[JsonPath, tuple[int, int]], file: Path) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and not key_node.style and key_node.tag in _NOT_TEXT:
                # Every mapping of a definition is keyed by names (options, tags, series labels,
                # models): a plain `no:`, `on:`, `null:` or `200:` is that text, not YAML 1.1's false,
                # None or number (which would be reported at the wrong place, as `[0]`).
                key_node.tag = _TEXT
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in seen:
                # PyYAML silently keeps the last duplicate; a definition that says two things is a mistake.
                raise DefinitionError(f"duplicate key {key!r} (first at line {seen[key]})", Location(file, line, column))
            seen[key] = line
            _record_marks(value_node, (*path, key), marks, file)
            marks[(*path, key)] = (line, column)  # an option is where its key is
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_marks(item, (*path, index), marks, file)


def _definition_error(exc: ValidationError, data: Any, source_map: SourceMap) -> DefinitionError:
    """Every problem pydantic found, each at the line and column of the option it is about, in the
    order of the file. The alternatives of a union that all failed at one option are one problem."""
    found: dict[JsonPath, list[str]] = {}  # path → what is wrong there, in pydantic's order
    for error in exc.errors(include_url=False):
        loc = _yaml_path(error["loc"], error["type"])
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, OptionError):  # a model's check names the option it is about
            loc = (*loc, *cause.at)
        loc, alternative = _in_data(loc, data, error["type"])
        if error["type"] == "union_tag_invalid":  # the `type:` (or `kind:`) key is the culprit
            loc = (*loc, error.get("ctx", {}).get("discriminator", "type").strip("'"))
        said = found.setdefault(loc, [])
        message = _describe(error, loc, data)
        if message in said:
            continue
        if said and alternative:
            said[-1] = f"{said[-1]}, or {message[:1].lower()}{message[1:]}"
        else:
            said.append(message)
    problems = [
        Problem(f"{_dotted(loc) + ': ' if loc else ''}{message}", source_map.locate(loc))
        for loc, messages in found.items()
        for message in messages
    ]
    problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0) if p.location else (0, 0))
    return DefinitionError.of(problems)


def _dotted(path: JsonPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _holds(node: Any, part: str | int) -> bool:
    """Is `part` a key of the mapping, or an index of the list, `node`?"""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _in_data(loc: JsonPath, data: Any, error_type: str) -> tuple[JsonPath, bool]:
    """`loc` without the names of union members pydantic adds when it tried each (`tags.team.str`,
    `tags.team.list[str]`): they are not in the definition, and a user cannot know them. True when
    one was dropped, i.e. this error is about one alternative of several."""
    out: list[str | int] = []
    node, dropped = data, False
    for index, part in enumerate(loc):
        if _holds(node, part):
            node = node[part]
        elif index == len(loc) - 1 and isinstance(node, dict) and error_type == "missing":
            pass  # a required option the mapping does not have
        else:
            dropped = True
            continue
        out.append(part)
    return tuple(out), dropped


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
        tag, expected = str(ctx.get("tag")), [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        # a typo gets the one it resembles; anything else, the whole list
        return f"unknown {field} {tag!r}" + (_did_you_mean(tag, set(expected)) or f"; expected one of: {ctx.get('expected_tags')}")
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
