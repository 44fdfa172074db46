"""The shape of a v5 dashboard: the JSON type of every field the conversion reads.

SigNoz decodes a v1/v5 dashboard into typed Go structs before converting it, and a field present
with the wrong JSON type anywhere ("malformed v1 dashboard fields") fails the whole conversion
(`pkg/types/dashboardtypes/perses_v1_to_v2_decoder.go`). Unknown fields are ignored (the v5 UI
writes many the conversion drops), and `null` reads as "absent", as Go's decoder treats it.

`malformed(body)` returns every such problem as an `Issue` at its JSON path, e.g.
`widgets[0].title: must be a string, got a number`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from signoz_dac.errors import Issue
from signoz_dac.signoz.v6.base import join_path

Check = Callable[[Any, str, list[Issue]], None]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _scalar(what: str, ok: Callable[[Any], bool]) -> Check:
    def check(value: Any, path: str, issues: list[Issue]) -> None:
        if value is not None and not ok(value):
            issues.append(Issue(path, f"must be {what}, got {_kind(value)}"))

    return check


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


STRING = _scalar("a string", lambda v: isinstance(v, str))
NUMBER = _scalar("a number", _is_number)
WHOLE = _scalar("a whole number", lambda v: _is_number(v) and float(v).is_integer())
BOOL = _scalar("true or false", lambda v: isinstance(v, bool))
NUMBER_OR_STRING = _scalar("a number or a string", lambda v: _is_number(v) or isinstance(v, str))
BOOL_OR_NUMBER = _scalar("true/false or a number", lambda v: isinstance(v, bool) or _is_number(v))
SCALAR = _scalar("a string, number or true/false", lambda v: isinstance(v, (str, int, float, bool)))


def ANY(value: Any, path: str, issues: list[Issue]) -> None:  # noqa: N802 - a shape constant
    return None


def member(path: str, key: str) -> str:
    """The path of an object member, in the notation of v6 issue paths: bare keys, quoted when
    they hold '.', '[', ']' or '"' (`variables."a.b".type`)."""
    return join_path(path, f'"{key}"' if re.search(r"[.\[\]\"]", key) else key)


def _is(value: Any, kind: type, path: str, issues: list[Issue]) -> bool:
    """Whether a present value is a JSON object (dict) or list; a wrong type is an issue."""
    if isinstance(value, kind):
        return True
    if value is not None:
        issues.append(Issue(path, f"must be {'an object' if kind is dict else 'a list'}, got {_kind(value)}"))
    return False


@dataclass(frozen=True)
class Obj:
    """A JSON object with these known fields (others ignored)."""

    fields: dict[str, Check]

    def __call__(self, value: Any, path: str, issues: list[Issue]) -> None:
        if not _is(value, dict, path, issues):
            return
        for name, check in self.fields.items():
            if name in value:
                check(value[name], member(path, name), issues)


@dataclass(frozen=True)
class ListOf:
    item: Check

    def __call__(self, value: Any, path: str, issues: list[Issue]) -> None:
        if not _is(value, list, path, issues):
            return
        for i, element in enumerate(value):
            self.item(element, f"{path}[{i}]", issues)


@dataclass(frozen=True)
class MapOf:
    value: Check

    def __call__(self, value: Any, path: str, issues: list[Issue]) -> None:
        if not _is(value, dict, path, issues):
            return
        for key, element in value.items():
            self.value(element, member(path, key), issues)


@dataclass(frozen=True)
class OneOf:
    """Either shape (the first that fits); `what` names them for the message."""

    what: str
    shapes: tuple[Check, ...]

    def __call__(self, value: Any, path: str, issues: list[Issue]) -> None:
        if value is None:
            return
        for shape in self.shapes:
            found: list[Issue] = []
            shape(value, path, found)
            if not found:
                return
        issues.append(Issue(path, f"must be {self.what}, got {_kind(value)}"))


# --- the v5 dashboard -------------------------------------------------------------------------------

FIELD_KEY = Obj(
    {
        "name": STRING, "key": STRING, "signal": STRING, "fieldContext": STRING, "fieldDataType": STRING,
        "dataType": STRING, "type": STRING, "description": STRING, "unit": STRING,
    }
)  # fmt: skip
THRESHOLD = Obj(
    {
        "thresholdValue": NUMBER, "thresholdOperator": STRING, "thresholdColor": STRING, "thresholdUnit": STRING,
        "thresholdLabel": STRING, "thresholdTableOptions": STRING, "thresholdFormat": ANY,
    }
)  # fmt: skip
AGGREGATION = Obj(
    {
        "expression": STRING, "alias": STRING, "metricName": STRING, "temporality": STRING,
        "timeAggregation": STRING, "spaceAggregation": STRING, "reduceTo": STRING,
    }
)  # fmt: skip
FILTER_ITEM = Obj({"key": Obj({"key": STRING, "dataType": STRING, "type": STRING}), "op": STRING, "value": ANY})
ORDER = Obj({"columnName": STRING, "order": STRING})
FUNCTION = Obj({"name": STRING, "args": ListOf(ANY)})
EXPRESSION = Obj({"expression": STRING})
_QUERY_COMMON: dict[str, Check] = {
    "queryName": STRING,
    "expression": STRING,
    "dataSource": STRING,
    "disabled": BOOL,
    "legend": STRING,
    "aggregations": ListOf(AGGREGATION),
    "filter": EXPRESSION,
    "filters": Obj({"items": ListOf(FILTER_ITEM), "op": STRING}),
    "groupBy": ListOf(FIELD_KEY),
    "orderBy": ListOf(ORDER),
    "having": ANY,  # {expression} in v5; a v4 array is ignored
    "limit": NUMBER,
    "offset": NUMBER,
    "stepInterval": NUMBER,
    "selectColumns": ListOf(FIELD_KEY),
    "aggregateOperator": STRING,
    "aggregateAttribute": Obj({"key": STRING}),
}
QUERY_DATA = Obj(
    {
        **_QUERY_COMMON,
        "source": STRING, "pageSize": NUMBER, "reduceTo": STRING, "functions": ListOf(FUNCTION),
        "timeAggregation": STRING, "spaceAggregation": STRING, "temporality": STRING,
    }
)  # fmt: skip
FORMULA = Obj(
    {
        "queryName": STRING, "expression": STRING, "disabled": BOOL, "legend": STRING, "limit": NUMBER,
        "orderBy": ListOf(ORDER), "having": ANY,
    }
)  # fmt: skip
TRACE_OPERATOR = Obj({**_QUERY_COMMON, "returnSpansFrom": STRING})
TEXT_QUERY = Obj({"name": STRING, "query": STRING, "legend": STRING, "disabled": BOOL})
QUERY = Obj(
    {
        "queryType": STRING,
        "builder": Obj(
            {"queryData": ListOf(QUERY_DATA), "queryFormulas": ListOf(FORMULA), "queryTraceOperator": ListOf(TRACE_OPERATOR)}
        ),
        "promql": ListOf(TEXT_QUERY),
        "clickhouse_sql": ListOf(TEXT_QUERY),
    }
)
WIDGET = Obj(
    {
        "id": STRING, "panelTypes": STRING, "title": STRING, "description": STRING, "timePreferance": STRING,
        "yAxisUnit": STRING, "decimalPrecision": NUMBER_OR_STRING, "softMin": NUMBER, "softMax": NUMBER,
        "isLogScale": BOOL, "legendPosition": STRING, "customLegendColors": MapOf(STRING), "fillSpans": BOOL,
        "stackedBarChart": BOOL, "lineInterpolation": STRING, "showPoints": BOOL, "lineStyle": STRING,
        "fillMode": STRING, "spanGaps": BOOL_OR_NUMBER, "thresholds": ListOf(THRESHOLD),
        "columnUnits": MapOf(STRING), "bucketCount": NUMBER, "bucketWidth": NUMBER,
        "mergeAllActiveQueries": BOOL, "selectedLogFields": ListOf(FIELD_KEY),
        "selectedTracesFields": ListOf(FIELD_KEY), "query": QUERY,
    }
)  # fmt: skip
LAYOUT_ITEM = Obj({"i": STRING, "x": WHOLE, "y": WHOLE, "w": WHOLE, "h": WHOLE})
_SECTION = Obj({"collapsed": BOOL, "widgets": ListOf(LAYOUT_ITEM)})


def PANEL_MAP_ENTRY(value: Any, path: str, issues: list[Issue]) -> None:  # noqa: N802 - a shape constant
    # SigNoz tolerates a bare list of widget ids here (it reads the row as expanded).
    if not isinstance(value, list):
        _SECTION(value, path, issues)


VARIABLE = Obj(
    {
        "id": STRING, "name": STRING, "description": STRING, "type": STRING, "queryValue": STRING,
        "customValue": STRING, "textboxValue": STRING, "sort": STRING, "multiSelect": BOOL,
        "showALLOption": BOOL, "customAllValue": STRING, "dynamicVariablesAttribute": STRING,
        "dynamicVariablesSource": STRING, "order": NUMBER,
        "selectedValue": OneOf("a value or a list of values", (SCALAR, ListOf(SCALAR))),
    }
)  # fmt: skip
DASHBOARD = Obj(
    {
        "title": STRING, "description": STRING, "image": STRING, "version": STRING, "tags": ListOf(STRING),
        "widgets": ListOf(WIDGET), "layout": ListOf(LAYOUT_ITEM), "panelMap": MapOf(PANEL_MAP_ENTRY),
        "variables": MapOf(VARIABLE),
    }
)  # fmt: skip


def malformed(body: Any, shape: Check = DASHBOARD, path: str = "") -> list[Issue]:
    """Every field of `body` whose JSON type the conversion cannot read, at its JSON path."""
    issues: list[Issue] = []
    shape(body, path, issues)
    return issues
