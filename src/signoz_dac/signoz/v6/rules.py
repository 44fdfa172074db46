"""Cross-field rules: what SigNoz v0.138 checks after decoding (`DashboardSpec.Validate`,
`CompositeQuery.Validate`), plus a few stricter rules of our own, each marked "ours".

Every function takes an already-decoded model and returns `(path, message)` pairs, the path
relative to that model; the model's validator raises them (base.raise_issues) and decode.py
prefixes the model's own JSON path. Single-value checks return a message or None.

Sources: reference/signoz-contract.md §1.5, §3 and §4.5.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .base import RelIssue, regex_check
from signoz_dac.signoz.expressions import FormulaSyntaxError, aggregation_problem, formula_references

if TYPE_CHECKING:  # the models import this module, so only type names here
    from .dashboard import DashboardSpec
    from .layouts import GridItem, Layout
    from .panels import Panel, SpanGaps
    from .queries import CompositeQuery, Formula, Query, TraceOperator
    from .variables import ListVariableSpec, TextVariableSpec

# --- limits (reference §3.8) ----------------------------------------------------------------------

MAX_TAGS = 10
MAX_TAG_LEN = 32
MAX_LAYOUTS = 500
MAX_ITEMS_PER_LAYOUT = 100
GRID_COLUMNS = 12
MAX_LIMIT = 10_000
RESERVED_TAG_KEYS = frozenset({"name", "description", "created_at", "updated_at", "created_by", "locked", "source"})

# --- single values --------------------------------------------------------------------------------

_DNS1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def schema_version_problem(v: str) -> str | None:
    return None if v == "v6" else f'schemaVersion must be "v6", got {v!r}'


def dns_label_problem(name: str) -> str | None:
    """The dashboard `name`: a DNS-1123 label; "" is left to the name/generateName rule."""
    if name == "":
        return None
    if len(name) > 63:
        return f"must be at most 63 characters (a DNS-1123 label), got {len(name)}"
    if not _DNS1123.fullmatch(name):
        return (
            f"must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending "
            f"with a letter or digit), got {name!r}"
        )
    return None


def required_dns_label_problem(name: str) -> str | None:
    return "name is required" if name == "" else dns_label_problem(name)


_IMAGE = re.compile(
    r"/assets/(Icons|Logos)/[^\s/][^\s]*"
    r"|data:image/(png|jpe?g|gif|webp|avif|svg\+xml);base64,[A-Za-z0-9+/]+=*"
)


def image_problem(image: str) -> str | None:
    if image == "" or _IMAGE.fullmatch(image):
        return None
    return (
        "must be empty, /assets/Icons/<name>, /assets/Logos/<name> or a "
        f"data:image/(png|jpeg|gif|webp|avif|svg+xml);base64 URI, got {image[:60]!r}"
    )


_TAG_KEY = re.compile(r"[a-zA-Z$_@{#][a-zA-Z0-9$_@#{}:/-]*")
_TAG_VALUE = re.compile(r"[a-zA-Z0-9$_@#{}:.+=/-]*")


def tag_key_problem(key: str) -> str | None:
    if len(key) > MAX_TAG_LEN:
        return f"must be at most {MAX_TAG_LEN} characters, got {len(key)}"
    if not _TAG_KEY.fullmatch(key):
        return f"must match ^[a-zA-Z$_@{{#][a-zA-Z0-9$_@#{{}}:/-]*$, got {key!r}"
    if key.lower() in RESERVED_TAG_KEYS:
        return f"{key!r} is reserved (reserved keys: {', '.join(sorted(RESERVED_TAG_KEYS))})"
    return None


def tag_value_problem(value: str) -> str | None:
    if len(value) > MAX_TAG_LEN:
        return f"must be at most {MAX_TAG_LEN} characters, got {len(value)}"
    if not _TAG_VALUE.fullmatch(value):
        return f"must match ^[a-zA-Z0-9$_@#{{}}:.+=/-]*$, got {value!r}"
    return None


def tags_problem(tags: list[Any] | None) -> str | None:
    if tags is not None and len(tags) > MAX_TAGS:
        return f"at most {MAX_TAGS} tags, got {len(tags)}"
    return None


# Panel keys: Perses ValidateID allows '.', but a `$ref` segment must match [a-zA-Z0-9_-]+, so a
# key with a dot could never be placed; we allow only what can be referenced.
panel_key_problem = regex_check(
    r"[A-Za-z0-9_-]{1,75}", "panel key must be 1-75 characters of [A-Za-z0-9_-] (so a $ref can name it)"
)


def variable_name_problem(name: str) -> str | None:
    """Perses common.ValidateID, and not all digits."""
    if not re.fullmatch(r"[a-zA-Z0-9_.-]+", name):
        return f"must match ^[a-zA-Z0-9_.-]+$, got {name!r}"
    if len(name) > 75:
        return f"must be at most 75 characters, got {len(name)}"
    if ".." in name or name.startswith(".") or name.endswith("."):
        return f"must not contain '..' or start or end with '.', got {name!r}"
    if name.isdigit():
        return f"must not be all digits, got {name!r}"
    return None


# Newer servers accept a dashboard duration only as "" or one positive integer with m/h/d/w
# (perses_dashboard_duration_test.go); v0.138 is looser, so this is the safe subset.
_DASHBOARD_DURATION = re.compile(r"[1-9][0-9]*[mhdw]")


def duration_problem(d: str) -> str | None:
    if d == "" or _DASHBOARD_DURATION.fullmatch(d):
        return None
    return f'must be "" or a positive whole number of m, h, d or w such as "1h" or "7d", got {d!r}'


# A Prometheus/Perses duration such as "30s", "5m" or "1h30m".
_PROM_DURATION = re.compile(r"(?:\d+(?:ms|s|m|h|d|w|y))+")


def is_positive_duration(d: str) -> bool:
    return bool(_PROM_DURATION.fullmatch(d)) and any(c in "123456789" for c in d)


def refresh_interval_problem(d: str) -> str | None:
    if d == "" or is_positive_duration(d):
        return None
    return f'must be "" or a positive duration such as "30s" or "5m", got {d!r}'


# --- dashboard identity ---------------------------------------------------------------------------


def identity(name: Any, generate_name: Any, allow_generate_name: bool) -> list[RelIssue]:
    """name vs generateName. signoz-dac never uses generateName: the name is our push identity.
    Foreign JSON (SigNoz's own exports) uses it, so callers may allow it for parsing."""
    issues: list[RelIssue] = []
    if generate_name is True:
        if not allow_generate_name:
            issues.append(
                (
                    "generateName",
                    "signoz-dac needs a stable name: set 'name' to a DNS-1123 label and drop generateName",
                )
            )
        if name:
            issues.append(("name", "must be empty when generateName is true"))
    elif not name:
        issues.append(("name", "name is required"))
    return issues


# --- queries --------------------------------------------------------------------------------------


def _limit(limit: int) -> list[RelIssue]:
    if 0 <= limit <= MAX_LIMIT:
        return []
    return [("limit", f"must be between 0 and {MAX_LIMIT}, got {limit}")]


def _expression_aggregations(aggs: list[Any] | None) -> list[RelIssue]:
    """Trace/log aggregations: one function call each, no ' as ', unique aliases."""
    issues: list[RelIssue] = []
    aliases: dict[str, int] = {}
    for i, agg in enumerate(aggs or []):
        problem = aggregation_problem(agg.expression)
        if problem:
            issues.append((f"aggregations[{i}].expression", problem))
        if agg.alias:
            if agg.alias in aliases:
                issues.append(
                    (f"aggregations[{i}].alias", f"duplicate alias {agg.alias!r} (also aggregations[{aliases[agg.alias]}])")
                )
            else:
                aliases[agg.alias] = i
    return issues


def builder_query(q: Any) -> list[RelIssue]:
    """Checks on one builder query that do not depend on the request type."""
    issues: list[RelIssue] = []
    if q.signal == "metrics":
        for i, agg in enumerate(q.aggregations or []):
            if not agg.metricName.strip():
                issues.append((f"aggregations[{i}].metricName", "a metric aggregation needs a metricName"))
            if agg.spaceAggregation is None:
                issues.append(
                    (
                        f"aggregations[{i}].spaceAggregation",
                        "is required: one of sum, avg, min, max, count, p50, p75, p90, p95, p99",
                    )
                )
    else:
        issues += _expression_aggregations(q.aggregations)
    issues += _limit(q.limit)
    return issues


def formula(f: Formula) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if not f.name.strip():
        issues.append(("name", "a formula needs a name"))
    if not f.expression.strip():
        issues.append(("expression", "a formula needs an expression such as \"A / B\""))
    else:
        try:
            formula_references(f.expression)
        except FormulaSyntaxError as err:
            issues.append(("expression", f"does not parse: {err} (in {f.expression!r})"))
    issues += _limit(f.limit)
    return issues


def trace_operator(t: TraceOperator) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if not t.expression.strip():
        issues.append(("expression", "a trace operator needs an expression"))
    issues += _expression_aggregations(t.aggregations)
    issues += _limit(t.limit)
    return issues


def text_query(q: Any, language: str) -> list[RelIssue]:
    return [] if q.query.strip() else [("query", f"a {language} query must not be empty")]


def composite(c: CompositeQuery) -> list[RelIssue]:
    issues: list[RelIssue] = []
    envelopes = c.queries or []
    if not envelopes:
        return [("queries", "a composite query needs at least one query")]
    names, name_issues = query_names(envelopes, "queries")
    return issues + name_issues


def query_names(envelopes: list[Any], path: str) -> tuple[dict[str, int], list[RelIssue]]:
    """Names of a composite's queries (name → index), with issues for missing or duplicate names
    and for formulas naming a query that is not there (ours: the server would fail at query time)."""
    issues: list[RelIssue] = []
    names: dict[str, int] = {}
    for i, env in enumerate(envelopes):
        name = env.spec.name
        if not name:
            issues.append((f"{path}[{i}].spec.name", "is required (formulas and selectedQueryName refer to queries by name)"))
        elif name in names:
            issues.append((f"{path}[{i}].spec.name", f"duplicate query name {name!r} (also {path}[{names[name]}])"))
        else:
            names[name] = i
    for i, env in enumerate(envelopes):
        if env.type != "builder_formula":
            continue
        try:
            refs = formula_references(env.spec.expression)
        except FormulaSyntaxError:
            continue  # reported by the formula itself
        for ref in sorted(refs - names.keys()):
            issues.append((f"{path}[{i}].spec.expression", f"refers to {ref!r}, which is not a query of this composite"))
    return names, issues


AGGREGATE_REQUEST_TYPES = ("time_series", "scalar")


def builder_queries_of(q: Query) -> list[tuple[str, Any]]:
    """Every builder query in a panel query, with its path relative to the Query."""
    plugin = q.spec.plugin
    if plugin.kind == "signoz/BuilderQuery":
        return [("spec.plugin.spec", plugin.spec)]
    if plugin.kind == "signoz/CompositeQuery":
        return [
            (f"spec.plugin.spec.queries[{i}].spec", env.spec)
            for i, env in enumerate(plugin.spec.queries or [])
            if env.type == "builder_query"
        ]
    return []


def _order_keys(bq: Any) -> set[str]:
    keys = {g.name for g in bq.groupBy or []} | {"__result"}
    aggs = bq.aggregations or []
    keys |= {str(i) for i in range(len(aggs))}
    for agg in aggs:
        if bq.signal == "metrics":
            keys.add(agg.metricName)
            if agg.spaceAggregation:
                keys.add(f"{agg.spaceAggregation}({agg.metricName})")
            if agg.timeAggregation:
                keys.add(f"{agg.timeAggregation}({agg.metricName})")
        else:
            keys.add(agg.expression)
            if agg.alias:
                keys.add(agg.alias)
    return keys


def query(q: Query) -> list[RelIssue]:
    """Checks that depend on the request type (`kind`), as GetValidationOptions selects them."""
    issues: list[RelIssue] = []
    if q.kind not in AGGREGATE_REQUEST_TYPES:
        return issues  # raw, raw_stream, trace: aggregation, group-by and order checks are skipped
    for path, bq in builder_queries_of(q):
        aggs = bq.aggregations or []
        if not aggs:
            issues.append((f"{path}.aggregations", f"a {q.kind} query needs at least one aggregation"))
        if q.kind == "scalar" and bq.signal == "metrics":
            for i, agg in enumerate(aggs):
                if agg.reduceTo is None:
                    issues.append(
                        (
                            f"{path}.aggregations[{i}].reduceTo",
                            "is required for a scalar metrics query: one of sum, count, avg, min, max, last, median",
                        )
                    )
        if q.kind == "time_series":
            for i, g in enumerate(bq.groupBy or []):
                if g.name == "timestamp":
                    issues.append((f"{path}.groupBy[{i}].name", "a time_series query cannot group by timestamp"))
        allowed = _order_keys(bq)
        for i, o in enumerate(bq.order or []):
            if o.key.name not in allowed:
                issues.append(
                    (
                        f"{path}.order[{i}].key.name",
                        f"order key {o.key.name!r} must be a group-by key, an aggregation expression or alias, "
                        "an aggregation index or __result",
                    )
                )
    return issues


# --- panels ---------------------------------------------------------------------------------------

_B, _C, _F = "signoz/BuilderQuery", "signoz/CompositeQuery", "signoz/Formula"
_P, _CH, _TO = "signoz/PromQLQuery", "signoz/ClickHouseSQL", "signoz/TraceOperator"
_CHARTS = ("signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/HistogramPanel")

# The server's matrix (allowedQueryKinds), reference §3.5.
ALLOWED_QUERY_PLUGINS: dict[str, frozenset[str]] = {
    **{k: frozenset({_B, _C, _F, _P, _CH, _TO}) for k in _CHARTS},
    "signoz/PieChartPanel": frozenset({_B, _C, _F, _CH, _TO}),
    "signoz/TablePanel": frozenset({_B, _C, _F, _CH, _TO}),
    "signoz/ListPanel": frozenset({_B}),
}
ALLOWED_COMPOSITE_TYPES: dict[str, frozenset[str]] = {
    **{
        k: frozenset({"builder_query", "builder_formula", "builder_trace_operator", "promql", "clickhouse_sql"})
        for k in _CHARTS
    },
    "signoz/PieChartPanel": frozenset({"builder_query", "builder_formula", "builder_trace_operator", "clickhouse_sql"}),
    "signoz/TablePanel": frozenset({"builder_query", "builder_formula", "builder_trace_operator", "clickhouse_sql"}),
    "signoz/ListPanel": frozenset(),
}
# Ours: the UI drops these at the top level (toQueryEnvelopes), so the panel would be empty.
TOP_LEVEL_DROPPED = frozenset({_F, _TO})
# Ours: the request type the UI derives from the panel type (buildQueryRangeRequest.ts).
PANEL_REQUEST_TYPE: dict[str, str] = {
    "signoz/TimeSeriesPanel": "time_series",
    "signoz/BarChartPanel": "time_series",
    "signoz/HistogramPanel": "time_series",
    "signoz/NumberPanel": "scalar",
    "signoz/PieChartPanel": "scalar",
    "signoz/TablePanel": "scalar",
    "signoz/ListPanel": "raw",
}


def panel(p: Panel) -> list[RelIssue]:
    issues: list[RelIssue] = []
    kind = p.spec.plugin.kind
    queries = p.spec.queries
    if len(queries) != 1:
        issues.append(("spec.queries", f"panel must have one query, found {len(queries)}"))
    for i, q in enumerate(queries):
        path = f"spec.queries[{i}]"
        plugin_kind = q.spec.plugin.kind
        if plugin_kind in TOP_LEVEL_DROPPED and plugin_kind in ALLOWED_QUERY_PLUGINS[kind]:
            issues.append(
                (
                    f"{path}.spec.plugin.kind",
                    f"{plugin_kind} must be inside a signoz/CompositeQuery (the SigNoz UI drops it at the top level)",
                )
            )
        elif plugin_kind not in ALLOWED_QUERY_PLUGINS[kind]:
            allowed = sorted(ALLOWED_QUERY_PLUGINS[kind] - TOP_LEVEL_DROPPED)
            issues.append((f"{path}.spec.plugin.kind", f"{plugin_kind} is not allowed in a {kind}; allowed: {', '.join(allowed)}"))
        expected = PANEL_REQUEST_TYPE[kind]
        if q.kind != expected:
            issues.append((f"{path}.kind", f"must be {expected!r} for a {kind} (the UI runs it as {expected}), got {q.kind!r}"))
        issues += [(f"{path}.{sub}", message) for sub, message in query(q)]
        if plugin_kind == _C and plugin_kind in ALLOWED_QUERY_PLUGINS[kind]:
            for j, env in enumerate(q.spec.plugin.spec.queries or []):  # type: ignore[union-attr]
                if env.type not in ALLOWED_COMPOSITE_TYPES[kind]:
                    allowed = ", ".join(sorted(ALLOWED_COMPOSITE_TYPES[kind]))
                    issues.append(
                        (f"{path}.spec.plugin.spec.queries[{j}].type", f"{env.type} is not allowed in a {kind}; allowed: {allowed}")
                    )
    return issues


def span_gaps(s: SpanGaps) -> list[RelIssue]:
    if s.fillOnlyBelow and not is_positive_duration(s.fillLessThan):
        return [("fillLessThan", f'must be a positive duration such as "5m" when fillOnlyBelow is true, got {s.fillLessThan!r}')]
    return []


# --- variables ------------------------------------------------------------------------------------


def list_variable(v: ListVariableSpec) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if v.customAllValue and not v.allowAllValue:
        issues.append(("customAllValue", "customAllValue requires allowAllValue: true"))
    if v.allowAllValue and not v.allowMultiple:
        issues.append(("allowAllValue", "allowAllValue requires allowMultiple: true"))
    if isinstance(v.defaultValue, list) and not v.allowMultiple:
        issues.append(("defaultValue", "a list defaultValue requires allowMultiple: true"))
    return issues


def text_variable(v: TextVariableSpec) -> list[RelIssue]:
    if v.constant and v.value == "":
        return [("value", "a constant text variable needs a non-empty value")]
    return []


# --- layouts --------------------------------------------------------------------------------------

_REF = re.compile(r"#/spec/panels/([A-Za-z0-9_-]+)")


def ref_key(ref: str) -> str | None:
    m = _REF.fullmatch(ref)
    return m.group(1) if m else None


def grid_item(item: GridItem) -> list[RelIssue]:
    issues: list[RelIssue] = []
    x, y, w, h = item.x, item.y, item.width, item.height
    if not 1 <= w <= GRID_COLUMNS:
        issues.append(("width", f"must be between 1 and {GRID_COLUMNS}, got {w}"))
    if h < 1:
        issues.append(("height", f"must be at least 1, got {h}"))
    if x < 0:
        issues.append(("x", f"must not be negative, got {x}"))
    elif x >= GRID_COLUMNS:
        issues.append(("x", f"must be less than {GRID_COLUMNS} (the grid has {GRID_COLUMNS} columns), got {x}"))
    elif 1 <= w <= GRID_COLUMNS and x + w > GRID_COLUMNS:
        issues.append(("width", f"x + width must be at most {GRID_COLUMNS}, got {x} + {w} = {x + w}"))
    if y < 0:
        issues.append(("y", f"must not be negative, got {y}"))
    if ref_key(item.content.ref) is None:
        issues.append(("content.$ref", f"must be '#/spec/panels/<key>' with a key of [A-Za-z0-9_-], got {item.content.ref!r}"))
    return issues


def _overlap(a: GridItem, b: GridItem) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def layout(lay: Layout) -> list[RelIssue]:
    issues: list[RelIssue] = []
    items = lay.spec.items or []
    if len(items) > MAX_ITEMS_PER_LAYOUT:
        issues.append(("spec.items", f"at most {MAX_ITEMS_PER_LAYOUT} items per layout, got {len(items)}"))
    for j, b in enumerate(items):
        for i in range(j):
            a = items[i]
            if _overlap(a, b):
                issues.append(
                    (
                        f"spec.items[{j}]",
                        f"overlaps items[{i}] (x={b.x} y={b.y} w={b.width} h={b.height} "
                        f"vs x={a.x} y={a.y} w={a.width} h={a.height})",
                    )
                )
                break
    return issues


# --- the whole spec -------------------------------------------------------------------------------


def dashboard_spec(s: DashboardSpec) -> list[RelIssue]:
    issues: list[RelIssue] = []
    seen: dict[str, int] = {}
    for i, var in enumerate(s.variables):
        name = var.spec.name
        if name in seen:
            issues.append((f"variables[{i}].spec.name", f"duplicate variable name {name!r} (also variables[{seen[name]}])"))
        else:
            seen[name] = i
    if len(s.layouts) > MAX_LAYOUTS:
        issues.append(("layouts", f"at most {MAX_LAYOUTS} layouts, got {len(s.layouts)}"))
    placed: dict[str, str] = {}
    for li, lay in enumerate(s.layouts):
        for ii, item in enumerate(lay.spec.items or []):
            key = ref_key(item.content.ref)
            if key is None:
                continue  # malformed $ref: reported by the item itself
            where = f"layouts[{li}].spec.items[{ii}]"
            if key not in s.panels:
                issues.append((f"{where}.content.$ref", f"refers to panel {key!r}, which is not in spec.panels"))
            elif key in placed:
                issues.append((f"{where}.content.$ref", f"panel {key!r} is placed twice (also spec.{placed[key]})"))
            else:
                placed[key] = where
    return issues
