"""Our v6 body -> the v5 dashboard JSON that SigNoz 0.92-0.134 stores and its UI reads.

It is the inverse of SigNoz's own v5 -> v6 conversion (`signoz_dac.signoz.v5.convert_v5_to_v6`):
widgets with the v5 UI's fields, `layout` with a `row` widget per titled Grid (`panelMap` holds
the children of collapsed rows), the `variables` map keyed by id, query builder v5 queries. So
`convert_v5_to_v6(to_v5(body))` gives `body` back, by SigNoz's rules, apart from what is listed
below. Ids the v5 JSON needs (variables, queries, rows) are derived from the dashboard's name, so
the output is byte-stable.

What a v6 body can hold and v5 cannot is reported, never dropped silently:
- no v5 form at all, or one the v5 UI cannot show (a PromQL step, a constant text variable, a
  nested aggregation call, a `not_equal` threshold, a numerical variable sort, ...): `to_v5`
  raises `SchemaError` naming each JSON path;
- fields that no SigNoz UI reads (`spec.duration`, `spec.refreshInterval`, dashboard links,
  variable display names, ...) or that the v5 UI reads but SigNoz's v5 -> v6 migration drops
  (panel links, which become `contextLinks`; order keys it does not keep; field-key signals):
  written where v5 has a place for them, and listed by `not_carried` and in a `NotCarried`
  warning from `to_v5`.
"""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.ui import REQUEST_TYPE as PANEL_REQUEST_TYPE
from signoz_dac.signoz.v6 import parse_dashboard

from .checks import ui_problems
from .convert import convert_tags, name_from_title, resolve_image
from .durations import seconds
from .queries import parse_aggregation, valid_order_keys
from .vocabulary import (
    AGGREGATION_CALL,
    GRID_COLUMNS,
    PANEL_TYPES,
    UI_DYNAMIC_SOURCES,
    UI_OPERATORS,
    UI_REDUCE_TO,
    UI_SORTS,
    UI_THRESHOLD_FORMATS,
)

_BARE_ALIAS = re.compile(r"[^\s'\",()]+")
_NAMESPACE = uuid.UUID("5b0c6a47-3f4e-4c8e-9d0b-6f1d2a7e8c31")  # signoz-dac's v5 ids


class NotCarried(UserWarning):
    """A v6 body held something its v5 form does not carry back to v6 (see `not_carried`)."""


def _expression(part: Any) -> str:
    """A filter's or having's expression; an absent one is empty, as SigNoz reads it."""
    return part.expression if part is not None else ""


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class _Writer:
    """Builds the v5 JSON of one parsed body, collecting what has no v5 form (`issues`) and what
    is not carried back by SigNoz's migration (`notes`)."""

    def __init__(self, body: dict[str, Any]):
        self.dash = parse_dashboard(body, allow_generate_name=True)
        self.issues: list[Issue] = []
        self.notes: list[Issue] = []

    def issue(self, path: str, message: str) -> None:
        self.issues.append(Issue(path, message))

    def note(self, path: str, message: str) -> None:
        self.notes.append(Issue(path, message))

    def id(self, *parts: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, "/".join([self.dash.name or self.dash.spec.display.name, *parts])))

    # --- the dashboard ----------------------------------------------------------------------

    def dashboard(self) -> dict[str, Any]:
        spec = self.dash.spec
        title = spec.display.name or self.dash.name  # SigNoz stores an untitled dashboard under its name
        if not title.strip():
            self.issue("spec.display.name", "the v5 UI needs a title (its dashboards list hides a dashboard without one)")
        if self.dash.name and self.dash.name != name_from_title(title):
            self.note("name", f"v5 has no name; SigNoz names a converted dashboard from its title ({name_from_title(title)!r})")
        for field, value in (("duration", spec.duration), ("refreshInterval", spec.refreshInterval)):
            if value:
                self.note(f"spec.{field}", "has no v5 form (and no SigNoz UI reads it)")
        if spec.links:
            self.note("spec.links", "dashboard links have no v5 form (and no SigNoz UI reads them)")
        image = self.dash.image
        if resolve_image(image) != image:
            self.issue("image", f"SigNoz's conversion would turn this image into {resolve_image(image)!r}; use that")
        tags = self.tags()
        variables = self.variables()
        widgets, layout, panel_map = self.layout()
        return {
            "title": title,
            "description": spec.display.description,
            "tags": tags,
            "image": image,
            "version": "v5",
            "uploadedGrafana": False,
            "variables": variables,
            "widgets": widgets,
            "layout": layout,
            "panelMap": panel_map,
        }

    def tags(self) -> list[str]:
        out = []
        molded = False
        for i, tag in enumerate(self.dash.tags or []):
            text = tag.value if tag.key == "tag" else f"{tag.key}:{tag.value}"
            back = convert_tags([text])
            if back != [{"key": tag.key, "value": tag.value}]:
                self.issue(f"tags[{i}]", f"SigNoz's conversion reads the v5 tag {text!r} as {back}")
                molded = True
            out.append(text)
        if not molded and len(convert_tags(out) or []) != len(out):
            self.issue("tags", "holds tags that differ only in letter case; SigNoz's conversion keeps the first")
        return out

    # --- variables ------------------------------------------------------------------------------

    def variables(self) -> dict[str, Any]:
        out = {}
        for i, variable in enumerate(self.dash.spec.variables):
            path = f"spec.variables[{i}].spec"
            spec = variable.spec
            display = spec.display  # absent: the UI shows the name, with no description
            if display is None:
                self.note(f"{path}.display", "absent; SigNoz's conversion writes the variable's name as its display name (what the UI shows anyway)")
            elif display.name != spec.name:
                self.note(f"{path}.display.name", "v5 shows the variable's name; its display name has no v5 form")
            vid = self.id("variable", spec.name)
            v5: dict[str, Any] = {
                "id": vid, "key": vid, "name": spec.name, "description": display.description if display else "", "order": i,
                "type": "TEXTBOX", "queryValue": "", "customValue": "", "textboxValue": "",
                "dynamicVariablesAttribute": "", "dynamicVariablesSource": "", "sort": "DISABLED",
                "multiSelect": False, "showALLOption": False, "allSelected": False, "modificationUUID": vid,
            }  # fmt: skip
            if variable.kind == "TextVariable":
                if variable.spec.constant:
                    self.issue(f"{path}.constant", "a v5 text box cannot be constant")
                v5["textboxValue"] = variable.spec.value
            else:
                self.list_variable(spec, path, v5)
            out[vid] = v5
        return out

    def list_variable(self, spec: Any, path: str, v5: dict[str, Any]) -> None:
        plugin = spec.plugin
        if plugin is None:
            self.issue(f"{path}.plugin", "a list variable without a plugin has no v5 form (SigNoz's conversion drops it)")
        elif plugin.kind == "signoz/DynamicVariable":
            v5.update(type="DYNAMIC", dynamicVariablesAttribute=plugin.spec.name,
                      dynamicVariablesSource=UI_DYNAMIC_SOURCES[plugin.spec.signal])  # fmt: skip
        elif plugin.kind == "signoz/QueryVariable":
            v5.update(type="QUERY", queryValue=plugin.spec.queryValue)
        else:
            v5.update(type="CUSTOM", customValue=plugin.spec.customValue)
        if plugin is not None and not (v5["dynamicVariablesAttribute"] or v5["queryValue"] or v5["customValue"]):
            self.issue(f"{path}.plugin.spec", "an empty attribute, query or value list has no v5 form (SigNoz's conversion drops the variable)")
        if spec.sort not in UI_SORTS:
            self.issue(f"{path}.sort", f"the v5 UI sorts only {', '.join(UI_SORTS)}")
        if spec.capturingRegexp:
            self.note(f"{path}.capturingRegexp", "has no v5 form (and no SigNoz UI reads it)")
        v5.update(
            sort=UI_SORTS.get(spec.sort, "DISABLED"),
            multiSelect=spec.allowMultiple,
            showALLOption=spec.allowAllValue,
            allSelected=spec.allowAllValue and spec.defaultValue is None,
        )
        if spec.customAllValue:
            v5["customAllValue"] = spec.customAllValue
        if spec.defaultValue is not None:
            v5["selectedValue"] = v5["defaultValue"] = spec.defaultValue
            if spec.defaultValue == "" or (isinstance(spec.defaultValue, list) and "" in spec.defaultValue):
                self.note(f"{path}.defaultValue", "SigNoz's conversion drops empty default values")

    # --- layout ---------------------------------------------------------------------------------

    def layout(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        panels = self.dash.spec.panels
        widgets: list[dict[str, Any]] = []
        layout: list[dict[str, Any]] = []
        panel_map: dict[str, Any] = {}
        placed: set[str] = set()
        top = 0  # the first free row of the v5 grid

        def boxes(items: list[Any], offset: int) -> list[dict[str, Any]]:
            out = []
            for item in items:
                key = item.content.ref.rsplit("/", 1)[-1]
                placed.add(key)
                out.append({"i": key, "x": item.x, "y": offset + item.y, "w": item.width, "h": item.height,
                            "moved": False, "static": False})  # fmt: skip
            return out

        for li, grid in enumerate(self.dash.spec.layouts):
            path = f"spec.layouts[{li}].spec"
            items = grid.spec.items or []
            height = max((i.y + i.height for i in items), default=0)
            if grid.spec.repeatVariable:
                self.note(f"{path}.repeatVariable", "has no v5 form")
            display = grid.spec.display
            if display is None:
                if li:
                    self.issue(f"{path}.display", "only the first layout can be untitled in v5: panels below a row belong to it")
                elif not items:
                    self.note(path, "an empty untitled layout has no v5 form")
                layout += boxes(items, top)
                top += height
                continue
            row = f"section-{li}"
            while row in panels:
                row += "-row"
            widgets.append({"id": row, "panelTypes": "row", "title": display.title, "description": ""})
            layout.append({"i": row, "x": 0, "y": top, "w": GRID_COLUMNS, "h": 1, "moved": False, "static": False})
            if display.collapse is None:
                self.note(f"{path}.display.collapse", "absent; the v5 row is written expanded (collapse.open: true)")
            collapsed = display.collapse is not None and not display.collapse.open
            children = boxes(items, top + 1)
            panel_map[row] = {"collapsed": collapsed, "widgets": children if collapsed else []}
            if not collapsed:
                layout += children
                top += height
            top += 1
        for key, panel in panels.items():
            if key in placed:
                widgets.append(self.widget(key, panel))
            else:
                self.note(f"spec.panels.{key}", "is in no layout: SigNoz's conversion drops it (no SigNoz UI shows it)")
        return widgets, layout, panel_map

    # --- widgets --------------------------------------------------------------------------------

    def widget(self, key: str, panel: Any) -> dict[str, Any]:
        path = f"spec.panels.{key}.spec"
        kind = panel.spec.plugin.kind
        p = panel.spec.plugin.spec
        display = panel.spec.display  # absent: no title, no description
        widget: dict[str, Any] = {
            "id": key, "panelTypes": PANEL_TYPES[kind], "title": display.name if display else "",
            "description": display.description if display else "", "opacity": "1", "nullZeroValues": "zero",
            "timePreferance": "GLOBAL_TIME", "yAxisUnit": "", "decimalPrecision": 2, "softMin": None,
            "softMax": None, "isLogScale": False, "legendPosition": "bottom", "customLegendColors": {},
            "fillSpans": False, "stackedBarChart": False, "thresholds": [], "columnUnits": {},
            "bucketCount": 30, "bucketWidth": 0, "mergeAllActiveQueries": False,
            "selectedLogFields": None, "selectedTracesFields": None, "contextLinks": {"linksData": []},
        }  # fmt: skip
        visualization = getattr(p, "visualization", None)
        if visualization is not None:
            widget["timePreferance"] = visualization.timePreference.upper()
            widget["fillSpans"] = getattr(visualization, "fillSpans", False)
            widget["stackedBarChart"] = getattr(visualization, "stackedBarChart", False)
        formatting = getattr(p, "formatting", None)
        if formatting is not None:
            widget["yAxisUnit"] = getattr(formatting, "unit", "")
            precision = formatting.decimalPrecision
            widget["decimalPrecision"] = precision if precision == "full" else int(precision)
            widget["columnUnits"] = dict(getattr(formatting, "columnUnits", None) or {})
        if getattr(p, "axes", None) is not None:
            widget.update(softMin=p.axes.softMin, softMax=p.axes.softMax, isLogScale=p.axes.isLogScale)
        if getattr(p, "legend", None) is not None:
            widget.update(legendPosition=p.legend.position, customLegendColors=dict(p.legend.customColors or {}))
        if getattr(p, "chartAppearance", None) is not None:
            widget.update(self.chart_appearance(p.chartAppearance, f"{path}.plugin.spec.chartAppearance.spanGaps"))
        if getattr(p, "histogramBuckets", None) is not None:
            buckets = p.histogramBuckets
            widget.update(bucketCount=buckets.bucketCount, bucketWidth=buckets.bucketWidth,
                          mergeAllActiveQueries=buckets.mergeAllActiveQueries)  # fmt: skip
        widget["thresholds"] = [self.threshold(t, f"{path}.plugin.spec.thresholds[{j}]", j) for j, t in enumerate(getattr(p, "thresholds", None) or [])]
        widget["contextLinks"] = self.links(panel.spec.links or [], f"{path}.links", key)
        widget["query"] = self.query(panel.spec.queries[0], kind, f"{path}.queries[0]", key)
        if kind == "signoz/ListPanel":
            fields = [self.field_key(f, f"{path}.plugin.spec.selectFields[{j}]", keep_signal=True) for j, f in enumerate(p.selectFields or [])]
            signal = widget["query"]["builder"]["queryData"][0]["dataSource"] if widget["query"]["builder"]["queryData"] else ""
            widget["selectedTracesFields" if signal == "traces" else "selectedLogFields"] = fields
        return widget

    def chart_appearance(self, chart: Any, path: str) -> dict[str, Any]:
        gaps = chart.spanGaps
        if not gaps.fillOnlyBelow and gaps.fillLessThan:
            self.note(f"{path}.fillLessThan", "v5 keeps no duration when fillOnlyBelow is false (the UI ignores it then)")
        span: bool | int | float = True if not gaps.fillOnlyBelow else _number(seconds(gaps.fillLessThan) or 0)
        return {"lineInterpolation": chart.lineInterpolation, "showPoints": chart.showPoints,
                "lineStyle": chart.lineStyle, "fillMode": chart.fillMode, "spanGaps": span}  # fmt: skip

    def threshold(self, t: Any, path: str, index: int) -> dict[str, Any]:
        operator = getattr(t, "operator", "above")
        if operator not in UI_OPERATORS:
            self.issue(f"{path}.operator", f"the v5 UI offers only {', '.join(UI_OPERATORS)}")
        out = {
            "index": self.id(path), "keyIndex": index, "isEditEnabled": False,
            "thresholdOperator": UI_OPERATORS.get(operator, ">"), "thresholdValue": t.value,
            "thresholdUnit": t.unit, "thresholdColor": t.color,
            "thresholdFormat": UI_THRESHOLD_FORMATS[getattr(t, "format", "text")],
            "thresholdLabel": getattr(t, "label", ""),
        }  # fmt: skip
        if getattr(t, "columnName", ""):
            out["thresholdTableOptions"] = t.columnName
        return out

    def links(self, links: list[Any], path: str, key: str) -> dict[str, Any]:
        if links:
            self.note(path, "written as the v5 UI's contextLinks (name and url only); SigNoz's v5 -> v6 migration drops them")
        return {"linksData": [{"id": self.id(key, "link", str(j)), "url": link.url, "label": link.name} for j, link in enumerate(links)]}

    # --- queries --------------------------------------------------------------------------------

    def query(self, q: Any, panel_kind: str, path: str, key: str) -> dict[str, Any]:
        plugin = q.spec.plugin
        out: dict[str, Any] = {
            "queryType": "builder",
            "builder": {"queryData": [], "queryFormulas": [], "queryTraceOperator": []},
            "promql": [{"name": "A", "query": "", "legend": "", "disabled": False}],
            "clickhouse_sql": [{"name": "A", "query": "", "legend": "", "disabled": False}],
            "id": self.id(key, "query"),
        }
        envelopes = (plugin.spec.queries or []) if plugin.kind == "signoz/CompositeQuery" else [plugin]
        spec_path = f"{path}.spec.plugin.spec"
        expected_kind = PANEL_REQUEST_TYPE[panel_kind]
        if q.kind != expected_kind:
            # v5 keeps no query kind: SigNoz's conversion sets it from the panel.
            self.note(f"{path}.kind", f"v5 has no query kind; SigNoz's conversion sets the panel's ({expected_kind!r})")
        if plugin.kind == "signoz/CompositeQuery":
            if q.spec.name:
                self.note(f"{path}.spec.name", "SigNoz's conversion names only a single query, not a composite")
            if len(envelopes) == 1:
                self.note(f"{path}.spec.plugin", "a composite of one query becomes that query in SigNoz's conversion")
            order = {"builder_query": 0, "builder_formula": 1, "builder_trace_operator": 2}
            ranks = [order.get(e.type, 3) for e in envelopes]
            if ranks != sorted(ranks):
                self.note(f"{spec_path}.queries", "SigNoz's conversion orders builder queries, then formulas, then trace operators")
            types = {e.type for e in envelopes}
            parts = [(e.type, e.spec, f"{spec_path}.queries[{j}].spec") for j, e in enumerate(envelopes)]
        else:
            single = {"signoz/BuilderQuery": "builder_query", "signoz/PromQLQuery": "promql", "signoz/ClickHouseSQL": "clickhouse_sql"}
            types = {single[plugin.kind]}
            parts = [(single[plugin.kind], plugin.spec, spec_path)]
            if q.spec.name != plugin.spec.name:
                self.note(f"{path}.spec.name", f"SigNoz's conversion names the query after its {plugin.spec.name!r}")
        if types <= {"promql"} or types <= {"clickhouse_sql"}:
            query_type = types.pop()
            out["queryType"] = query_type
            out[query_type] = [self.text_query(spec, p) for _, spec, p in parts]
            return out
        if not types <= {"builder_query", "builder_formula", "builder_trace_operator"}:
            self.issue(f"{spec_path}.queries", "a v5 widget runs builder queries, PromQL or ClickHouse SQL, not a mix")
            return out
        builder = out["builder"]
        for type_, spec, p in parts:
            if type_ == "builder_query":
                builder["queryData"].append(self.builder_query(spec, panel_kind, p, len(builder["queryData"])))
            elif type_ == "builder_formula":
                builder["queryFormulas"].append(self.formula(spec, p))
            else:
                builder["queryTraceOperator"].append(self.trace_operator(spec, p))
        return out

    def text_query(self, spec: Any, path: str) -> dict[str, Any]:
        if getattr(spec, "step", 0):
            self.issue(f"{path}.step", "a v5 PromQL query has no step (SigNoz's conversion drops it)")
        if getattr(spec, "stats", False):
            self.issue(f"{path}.stats", "a v5 PromQL query has no stats")
        return {"name": spec.name, "query": spec.query, "legend": spec.legend, "disabled": spec.disabled}

    def field_key(self, key: Any, path: str, *, keep_signal: bool = False) -> dict[str, Any]:
        if key.description or key.unit:
            self.note(path, "a v5 field key has no description or unit")
        if key.signal and not keep_signal:
            self.note(f"{path}.signal", "SigNoz's conversion drops the signal of a query's field keys")
        return {"name": key.name, "signal": key.signal, "fieldContext": key.fieldContext, "fieldDataType": key.fieldDataType}

    def group_by(self, key: Any, path: str) -> dict[str, Any]:
        self.field_key(key, path)  # for its notes
        # The v4 key form the v5 UI writes for group-by (`type` is the field context).
        return {"key": key.name, "dataType": key.fieldDataType, "type": key.fieldContext,
                "id": f"{key.name}--{key.fieldDataType}--{key.fieldContext}", "isColumn": False, "isJSON": False}  # fmt: skip

    def aggregations(self, aggregations: Any, signal: str, path: str) -> list[dict[str, Any]]:
        out = []
        for j, agg in enumerate(aggregations or []):
            if signal == "metrics":
                if agg.comparisonSpaceAggregationParam is not None:
                    self.issue(f"{path}.aggregations[{j}].comparisonSpaceAggregationParam", "has no v5 form")
                if agg.reduceTo is not None and agg.reduceTo not in UI_REDUCE_TO:
                    self.issue(f"{path}.aggregations[{j}].reduceTo", f"the v5 UI offers only {', '.join(UI_REDUCE_TO)}")
                metric = {"metricName": agg.metricName, "temporality": agg.temporality,
                          "timeAggregation": agg.timeAggregation, "spaceAggregation": agg.spaceAggregation}  # fmt: skip
                if agg.reduceTo is not None:
                    metric["reduceTo"] = agg.reduceTo
                out.append(metric)
                continue
            alias = agg.alias
            if not alias or _BARE_ALIAS.fullmatch(alias):
                written = f"{agg.expression} as {alias}" if alias else agg.expression
            else:
                written = f"{agg.expression} as '{alias}'" if "'" not in alias else f'{agg.expression} as "{alias}"'
            if parse_aggregation(written) != [(agg.expression, alias)] or not AGGREGATION_CALL.fullmatch(written):
                read = ", ".join(c for c, _ in parse_aggregation(written)) or "count()"
                self.issue(f"{path}.aggregations[{j}].expression",
                           f"the v5 UI reads one name(args) call without nested calls; it would read {written!r} as {read}")  # fmt: skip
            out.append({"expression": written})
        if signal == "metrics" and len(out) > 1:
            self.issue(f"{path}.aggregations", "the v5 UI uses only the first metric aggregation")
        return out

    def orders(self, spec: Any, path: str, aggregations: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        out = []
        valid = None
        if aggregations is not None:
            group_by = [{"name": g.name} for g in spec.groupBy or []]
            valid = valid_order_keys(aggregations, group_by, spec.signal)
        for j, order in enumerate(spec.order or []):
            name = order.key.name
            if valid is not None and name not in valid:
                self.note(f"{path}.order[{j}].key.name", f"SigNoz's conversion keeps only group-by and aggregation keys "
                                                         f"({name!r} is dropped on a List, else replaced by the aggregation's key)")
            if order.key.model_dump(exclude={"name"}, exclude_defaults=True):
                self.note(f"{path}.order[{j}].key", "a v5 order key is a column name only")
            out.append({"columnName": name, "order": order.direction})
        return out

    def _step(self, step: Any) -> int | float | None:
        value = seconds(step) if isinstance(step, str) else step
        return _number(value) if value else None

    def _unsupported(self, spec: Any, path: str, fields: tuple[str, ...]) -> None:
        for field in fields:
            value = getattr(spec, field, None)
            if value and (not hasattr(value, "model_dump") or value.model_dump(exclude_defaults=True)):
                self.issue(f"{path}.{field}", "has no v5 form")

    def builder_query(self, spec: Any, panel_kind: str, path: str, index: int) -> dict[str, Any]:
        self._unsupported(spec, path, ("cursor", "limitBy", "secondaryAggregations"))
        aggregations = self.aggregations(spec.aggregations, spec.signal, path)
        # The keys the conversion checks order by, from the aggregations as it reads them back.
        converted = [a.model_dump() for a in spec.aggregations or []]
        fields = [self.field_key(f, f"{path}.selectFields[{j}]") for j, f in enumerate(spec.selectFields or [])]
        name = spec.name or chr(ord("A") + index)
        qd: dict[str, Any] = {
            "queryName": name, "expression": name, "dataSource": spec.signal, "source": spec.source,
            "aggregations": aggregations, "filter": {"expression": _expression(spec.filter)},
            "groupBy": [self.group_by(g, f"{path}.groupBy[{j}]") for j, g in enumerate(spec.groupBy or [])],
            "orderBy": self.orders(spec, path, converted), "having": {"expression": _expression(spec.having)},
            "limit": spec.limit or None, "stepInterval": self._step(spec.stepInterval), "legend": spec.legend,
            "disabled": spec.disabled, "functions": self.functions(spec.functions, path),
        }  # fmt: skip
        if not spec.name:
            self.note(f"{path}.name", "a v5 query needs a name; SigNoz's conversion names it by position")
        if spec.offset:
            qd["offset"] = spec.offset
        if fields:
            qd["selectColumns"] = fields
        if panel_kind == "signoz/ListPanel" and spec.limit:
            qd["pageSize"] = spec.limit
        if spec.signal == "metrics" and aggregations and "reduceTo" in aggregations[0]:
            qd["reduceTo"] = aggregations[0]["reduceTo"]  # the v5 UI's fallback
        return qd

    def functions(self, functions: Any, path: str) -> list[dict[str, Any]]:
        out = []
        for j, fn in enumerate(functions or []):
            args = []
            for k, arg in enumerate(fn.args or []):
                if arg.name:
                    self.issue(f"{path}.functions[{j}].args[{k}].name", "a v5 function argument has no name")
                args.append({"value": arg.value})
            out.append({"name": fn.name, "args": args})
        return out

    def formula(self, spec: Any, path: str) -> dict[str, Any]:
        if spec.functions:
            self.issue(f"{path}.functions", "a v5 formula has no functions")
        out: dict[str, Any] = {"queryName": spec.name, "expression": spec.expression, "disabled": spec.disabled,
                               "legend": spec.legend, "having": {"expression": _expression(spec.having)}}  # fmt: skip
        if spec.limit:
            out["limit"] = spec.limit
        if spec.order:
            out["orderBy"] = self.orders(spec, path, None)
        return out

    def trace_operator(self, spec: Any, path: str) -> dict[str, Any]:
        self._unsupported(spec, path, ("selectFields", "functions", "cursor"))
        out: dict[str, Any] = {
            "queryName": spec.name, "expression": spec.expression, "dataSource": "traces",
            "disabled": spec.disabled, "legend": spec.legend, "aggregations": self.aggregations(spec.aggregations, "traces", path),
            "filter": {"expression": _expression(spec.filter)},
            "groupBy": [self.group_by(g, f"{path}.groupBy[{j}]") for j, g in enumerate(spec.groupBy or [])],
            "orderBy": self.orders(spec, path, None), "having": {"expression": _expression(spec.having)},
            "limit": spec.limit or None, "stepInterval": self._step(spec.stepInterval),
        }  # fmt: skip
        if spec.offset:
            out["offset"] = spec.offset
        if spec.returnSpansFrom:
            out["returnSpansFrom"] = spec.returnSpansFrom
        return out


def not_carried(body: dict[str, Any]) -> list[Issue]:
    """What `to_v5` writes without it coming back from SigNoz's v5 -> v6 conversion, at the JSON
    paths of the v6 body (fields no SigNoz UI reads, links the migration drops, ...)."""
    writer = _Writer(body)
    writer.dashboard()
    return writer.notes


def to_v5(body: dict[str, Any], *, warn: bool = True) -> dict[str, Any]:
    """The v5 dashboard JSON (SigNoz 0.92-0.134, `POST /api/v1/dashboards`) of a valid v6 body.

    Raises `SchemaError` naming every JSON path of the v6 body that has no v5 form; warns
    (`NotCarried`) about what SigNoz's conversion would not bring back (see `not_carried`), unless
    `warn=False`: silencing it with `warnings.catch_warnings` instead would not be thread-safe (it
    swaps the process's filters, so concurrent callers can leave one behind).
    """
    writer = _Writer(body)
    v5 = writer.dashboard()
    if writer.issues:
        raise SchemaError(writer.issues, body.get("name") or None)
    problems = ui_problems(v5)
    if problems:
        raise SchemaError([Issue(p.path, f"the v5 UI: {p.message}") for p in problems], body.get("name") or None)
    if warn and writer.notes:
        paths = ", ".join(n.path for n in writer.notes)
        warnings.warn(NotCarried(f"SigNoz's v5 -> v6 conversion does not bring back: {paths} (not_carried() says why)"), stacklevel=2)
    return v5

