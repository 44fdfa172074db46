"""SigNoz's own v1/v5 -> v6 conversion test cases (`v1-to-v6.json`): run each through the step it
names (`unit`) and check it in its form (`exact`, `assertions` in the vectors' path language, or
`error`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.v5 import convert as dashboard
from signoz_dac.signoz.v5 import layouts, panels, queries, variables
from signoz_dac.signoz.names import MAX_TAG_LEN, tag_key_problem, tag_value_problem

MISSING = object()


def load(shared: Path) -> list[dict[str, Any]]:
    return json.loads((shared / "fixtures" / "signoz-vectors" / "v1-to-v6.json").read_text())


# --- units: each vector's `unit` -> our step ------------------------------------------------------


def _variables(v1: Any) -> Any:
    issues = variables.unknown_types(v1)
    if issues:
        raise SchemaError(issues)
    return variables.convert_variables(v1)


def _layouts(vector: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    data = vector["v1"]
    widgets = layouts.retain_placed_widgets(data) if "retainPlacedWidgets" in vector.get("unit_chain", "") else data.get("widgets")
    converted = panels.convert_panels(widgets)
    return layouts.convert_layouts(data, converted), {"panels": converted}


def _whole(v1: Any) -> Any:
    return dashboard.convert_v5_to_v6(v1)


def _reencode(v1: str) -> dict[str, Any]:
    image, rewritten = dashboard.reencode_inline_svg(v1)
    return {"image": image, "rewritten": rewritten}


_WIDGET_UNITS = {f"convert{k}Widget" for k in ("Graph", "Bar", "Value", "Table", "Pie", "Histogram", "List")}
_UNITS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "ReencodeInlineSVGImage": lambda v: _reencode(v["v1"]),
    "resolveV1Image": lambda v: dashboard.resolve_image(v["v1"]),
    "convertV1TagsForOrg": lambda v: dashboard.convert_tags(v["v1"]),
    "mapV1ComparisonOperator": lambda v: panels.map_comparison_operator(v["v1"]),
    "mapV1ThresholdFormat": lambda v: panels.map_threshold_format(v["v1"]),
    "mapV1SpanGaps": lambda v: panels.map_span_gaps(v["v1"]),
    "mapV1ThresholdsWithLabel": lambda v: panels.map_thresholds_with_label(v["v1"]),
    "mapV1ComparisonThresholds": lambda v: panels.map_comparison_thresholds(v["v1"]),
    "mapV1TableThresholds": lambda v: panels.map_table_thresholds(v["v1"]),
    "mapV1SelectFields": lambda v: panels.map_select_fields(v["v1"]),
    **{unit: (lambda v: panels.convert_widget(v["v1"])) for unit in _WIDGET_UNITS},
    "convertV1Panels": lambda v: panels.convert_panels(v["v1"]),
    "convertV1Variables": lambda v: _variables(v["v1"]),
    "convertV1WidgetQuery": lambda v: queries.convert_widget_query(v["v1"], v["panel_kind"]),
    "ensureMetricReduceTo": lambda v: queries.ensure_metric_reduce_to(v["v1"], v["panel_kind"]),
    "foldReduceToIntoMetricAggregations": lambda v: queries.fold_reduce_to(v["v1"]),
    "StorableDashboard.ConvertV1ToV2": lambda v: _whole(v["v1"]),
}


def run(vector: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """(the unit's output, extra roots for `extra_asserts`)."""
    if vector["unit"] == "convertV1Layouts":
        return _layouts(vector)
    return _UNITS[vector["unit"]](vector), {}


# --- the path language ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def _steps(path: str) -> list[str | tuple[str, str]]:
    steps: list[str | tuple[str, str]] = []
    for bracket, name in _TOKEN.findall(path):
        if name:
            steps.append(name)
        elif bracket == "*":
            steps.append(("all", ""))
        elif bracket.startswith("?"):
            steps.append(("where", bracket[1:]))
        elif bracket.startswith('"'):
            steps.append(json.loads(bracket))
        else:
            steps.append(("index", bracket))
    return steps


def _get(node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        node = node.get(part, MISSING) if isinstance(node, dict) else MISSING
    return node


def resolve(root: Any, path: str) -> list[Any]:
    """Every value a path names (several only through `[*]`); MISSING where nothing is."""
    nodes = [root]
    for step in _steps(path):
        out = []
        for node in nodes:
            if isinstance(step, str):
                out.append(node.get(step, MISSING) if isinstance(node, dict) else MISSING)
            elif step[0] == "index":
                i = int(step[1])
                out.append(node[i] if isinstance(node, list) and i < len(node) else MISSING)
            elif step[0] == "all":
                out += node if isinstance(node, list) else []
            else:
                field, _, wanted = step[1].partition("=")
                found = [e for e in node if _get(e, field) == wanted] if isinstance(node, list) else []
                out.append(found[0] if found else MISSING)
        nodes = out
    return nodes


def _size(value: Any) -> int:
    return 0 if value in (MISSING, None) else len(value)


def _keys(value: Any) -> set[str]:
    return set(value) if isinstance(value, dict) else set()


def _tag_is_valid(tag: Any) -> bool:
    return (
        tag_key_problem(tag["key"]) is None
        and tag_value_problem(tag["value"]) is None
        and len(tag["key"]) <= MAX_TAG_LEN
        and len(tag["value"]) <= MAX_TAG_LEN
    )


# The prose `each` checks the vectors carry, as code.
EACH: dict[str, Callable[[Any], bool]] = {
    "passes tagtypes.ValidatePostableTag; len(key) <= MAX_LEN_TAG_KEY; len(value) <= MAX_LEN_TAG_VALUE": _tag_is_valid,
}


def check(value: Any, assertion: dict[str, Any]) -> str | None:
    """Why a value fails one assertion, or None."""
    kind = next(k for k in assertion if k != "path")
    want = assertion[kind]
    ok = {
        "equals": lambda: value == want,
        "length": lambda: _size(value) == want,
        "is_null": lambda: value in (MISSING, None),
        "empty": lambda: value in (MISSING, None, [], {}, ""),
        "absent_or_zero": lambda: value in (MISSING, None, 0),
        "contains": lambda: isinstance(value, str) and want in value,
        "keys_include": lambda: set(want) <= _keys(value),
        "keys_exclude": lambda: not set(want) & _keys(value),
        "not_empty": lambda: value not in (MISSING, None, [], {}, ""),
        "each": lambda: EACH[want](value),
    }[kind]()
    shown = "<absent>" if value is MISSING else json.dumps(value)[:200]
    return None if ok else f"{assertion['path'] or '<root>'}: {kind} {json.dumps(want)} failed, got {shown}"


def failures(vector: dict[str, Any]) -> list[str]:
    """Every way our conversion disagrees with the vector ([] when it passes)."""
    form = vector["v6_form"]
    try:
        output, extra = run(vector)
    except SchemaError as exc:
        if form != "error":
            return [f"raised {exc}"]
        wanted = vector.get("error_contains")
        return [] if not wanted or wanted in str(exc) else [f"error {str(exc)!r} lacks {wanted!r}"]
    if form == "error":
        return [f"did not fail; gave {json.dumps(output)[:300]}"]
    if form == "exact":
        return [] if output == vector["v6"] else [f"got {json.dumps(output)[:300]}, want {json.dumps(vector['v6'])[:300]}"]
    problems = []
    for assertion in vector["v6"]:
        problems += [p for value in resolve(output, assertion["path"]) if (p := check(value, assertion))]
    for assertion in vector.get("extra_asserts", []):
        root, _, rest = assertion["path"].partition(".")
        problems += [p for value in resolve(extra[root], rest) if (p := check(value, {**assertion, "path": rest}))]
    return problems
