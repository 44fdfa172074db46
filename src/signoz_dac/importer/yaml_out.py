"""A definition as the YAML a person would write: set options only, short forms where they say the
same, small lists and mappings on one line, SQL as a block."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from pydantic import BaseModel

from signoz_dac.definitions.generic.fields import FieldKey, OrderBy, field_key_text, order_text
from signoz_dac.definitions.generic.model import Omittable
from signoz_dac.definitions.generic.queries import Aggregation, Function, aggregation_text, function_text

SHORT: dict[type, Callable[[Any], str | None]] = {
    FieldKey: field_key_text, OrderBy: order_text, Function: function_text, Aggregation: aggregation_text,
}
# What a reader looks for first in a mapping, and what reads best last.
FIRST = (
    "type", "kind", "name", "id", "title", "description", "profile", "style", "size", "position", "signal",
    "formula", "trace_operator", "aggregations", "filter", "group_by", "order", "having", "limit",
)
LAST = ("sql", "promql", "variables", "sections", "unplaced_panels", "panels", "queries", "omit")
FLOW_WIDTH = 100  # a mapping or list of plain values that fits this goes on one line


def definition_text(
    definition: BaseModel, source: str | None, notes: tuple[str, ...], render_refuses: tuple[str, ...] = ()
) -> str:
    header = [f"# Imported by signoz-dac from {source}." if source else "# Imported by signoz-dac."]
    header += [f"# Note: {note}." for note in notes]
    if render_refuses:
        header.append(f"# `signoz-dac render` and `push` refuse it until {_these(render_refuses)} fixed (SigNoz itself accepts it):")
        header += [f"#   {_one_line(problem)}" for problem in render_refuses]
    else:
        header.append("# `signoz-dac render` turns it back into the same dashboard.")
    body = str(yaml.dump(data(definition), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096))
    return "\n".join(header) + "\n\n" + body


def _these(problems: tuple[str, ...]) -> str:
    return "this is" if len(problems) == 1 else "these are"


def _one_line(text: str) -> str:
    return " ".join(text.split())  # a comment ends at a line break


def data(value: Any) -> Any:
    """Plain YAML data for a model: its set options, in reading order; short forms where exact."""
    if isinstance(value, BaseModel):
        short = SHORT.get(type(value))
        text = short(value) if short else None
        if text is not None:
            return text
        names = [n for n in type(value).model_fields if n in value.model_fields_set and n != "omit"]
        names.sort(key=_rank)
        out = {n: data(getattr(value, n)) for n in names}
        if isinstance(value, Omittable) and value.omit:
            out["omit"] = list(value.omit)
        return out
    if isinstance(value, list):
        return [data(v) for v in value]
    if isinstance(value, dict):
        return {k: data(v) for k, v in value.items()}
    return value


def _rank(name: str) -> tuple[int, int]:
    if name in FIRST:
        return (0, FIRST.index(name))
    if name in LAST:
        return (2, LAST.index(name))
    return (1, 0)


def _scalar(value: Any) -> bool:
    return value is None or (isinstance(value, (str, int, float, bool)) and not (isinstance(value, str) and "\n" in value))


class _Dumper(yaml.SafeDumper):
    def represent_str(self, value: str) -> yaml.ScalarNode:
        # YAML reads \r, NEL and the Unicode line separators as line breaks and folds them: only
        # double quotes keep them. Other text with line breaks reads best as a block.
        if any(c in value for c in "\r\x85\u2028\u2029"):
            style: str | None = '"'
        else:
            style = "|" if "\n" in value else None
        return self.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_list(self, value: list[Any]) -> yaml.SequenceNode:  # type: ignore[override]  # registered for lists only
        flow = all(_scalar(v) for v in value) and len(repr(value)) <= FLOW_WIDTH
        return self.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    def represent_dict(self, value: dict[str, Any]) -> yaml.MappingNode:  # type: ignore[override]  # registered for dicts only
        flow = bool(value) and all(_scalar(v) for v in value.values()) and len(repr(value)) <= FLOW_WIDTH // 2
        return self.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_representer(list, _Dumper.represent_list)
_Dumper.add_representer(dict, _Dumper.represent_dict)
