"""Cross-field checks: what SigNoz v0.138 checks after decoding a dashboard (`DashboardSpec.Validate`
and the body's own checks, dashboardtypes/perses_*.go). The query checks a panel runs are in
query_checks.py, shared with alert rules.

Every function takes an already-decoded model and returns `(path, message)` pairs, the path
relative to that model; the model's validator raises them (base.raise_issues) and decode.py
prefixes the model's own JSON path. Single-value checks return a message or None.

Nothing here is stricter than SigNoz: what signoz-dac demands of its own output on top (a query
`kind` that matches the panel, single-unit durations, ...) is checked in `render/output_checks.py`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import query_checks
from .base import RelIssue

if TYPE_CHECKING:  # the models import this module, so only type names here
    from .dashboard import DashboardSpec
    from .layouts import GridItem, Layout
    from .panels import Panel, SpanGaps
    from .variables import ListVariableSpec, TextVariableSpec

# --- limits ---------------------------------------------------------------------------------------

MAX_LAYOUTS = 500
MAX_ITEMS_PER_LAYOUT = 100
GRID_COLUMNS = 12

# --- single values --------------------------------------------------------------------------------

def schema_version_problem(v: str) -> str | None:
    return None if v == "v6" else f'schemaVersion must be "v6", got {v!r}'


_IMAGE = re.compile(
    r"/assets/(Icons|Logos)/[^\s/][^\s]*"
    r"|data:image/(png|jpe?g|gif|webp|avif|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}"
)


def image_problem(image: str) -> str | None:
    if image == "" or _IMAGE.fullmatch(image):
        return None
    return (
        "image must be empty, /assets/Icons/<name>, /assets/Logos/<name> or a "
        f"data:image/(png|jpeg|gif|webp|avif|svg+xml);base64 URI, got {image[:60]!r}"
    )


_PERSES_ID = re.compile(r"[a-zA-Z0-9_.-]+")


def perses_id_problem(name: str) -> str | None:
    """Perses' ValidateID, which SigNoz applies to panel keys and variable names."""
    if not name:
        return "name cannot be empty"
    if len(name) > 75:
        return f"must be at most 75 characters, got {len(name)}"
    if not _PERSES_ID.fullmatch(name):
        return f"{name!r} is not a correct name: it must match ^[a-zA-Z0-9_.-]+$"
    if ".." in name or name.startswith(".") or name.endswith("."):
        return f"{name!r} is not a correct name: no '..', and no '.' at the start or the end"
    return None


def panel_key_problem(key: str) -> str | None:
    problem = perses_id_problem(key)
    return f"panel key: {problem}" if problem else None


def variable_name_problem(name: str) -> str | None:
    problem = perses_id_problem(name)
    if problem:
        return problem
    if name.isdigit():
        return f"{name!r} cannot contain only digits"
    return None


# A Prometheus duration, as Perses reads `duration` and `refreshInterval` and SigNoz reads
# `fillLessThan`: units from the largest down, each at most once ("1h30m", "7d", "500ms"), or "0".
_PROM_DURATION = re.compile(r"(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?")
_PROM_UNITS = (365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001)


def prom_duration_seconds(text: str) -> float | None:
    if text == "0":
        return 0.0
    m = _PROM_DURATION.fullmatch(text)
    if not text or not m:
        return None
    return sum(int(g) * unit for g, unit in zip(m.groups(), _PROM_UNITS, strict=True) if g)


def duration_problem(d: str) -> str | None:
    if d == "" or prom_duration_seconds(d) is not None:
        return None
    return f'must be "" or a duration such as "1h", "7d" or "1h30m", got {d!r}'


# --- dashboard identity ---------------------------------------------------------------------------


def identity(name: Any, generate_name: Any, display_name: Any, allow_generate_name: bool) -> list[RelIssue]:
    """name vs generateName, as SigNoz checks a POST body. `allow_generate_name=False` adds the
    requirement of a push input (not SigNoz's): a stable name, since the name is push's identity."""
    issues: list[RelIssue] = []
    if generate_name is True:
        if not allow_generate_name:
            issues.append(
                ("generateName", "signoz-dac needs a stable name: set 'name' to a DNS-1123 label and drop generateName")
            )
        if name:
            issues.append(("name", "name must be empty when generateName is true"))
        if not display_name:
            issues.append(("spec.display.name", "spec.display.name is required when generateName is true"))
    elif not name:
        issues.append(("name", "name is required"))
    return issues


# --- panels ---------------------------------------------------------------------------------------

_B, _C, _F = "signoz/BuilderQuery", "signoz/CompositeQuery", "signoz/Formula"
_P, _CH, _TO = "signoz/PromQLQuery", "signoz/ClickHouseSQL", "signoz/TraceOperator"
_CHARTS = ("signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/HistogramPanel")

# The server's matrix of query plugins per panel kind (allowedQueryKinds).
ALLOWED_QUERY_PLUGINS: dict[str, frozenset[str]] = {
    **{k: frozenset({_B, _C, _F, _P, _CH, _TO}) for k in _CHARTS},
    "signoz/PieChartPanel": frozenset({_B, _C, _F, _CH, _TO}),
    "signoz/TablePanel": frozenset({_B, _C, _F, _CH, _TO}),
    "signoz/ListPanel": frozenset({_B}),
}
# The same matrix for the sub-queries of a composite query.
_ENVELOPE_PLUGIN = {
    "builder_query": _B, "builder_formula": _F, "builder_trace_operator": _TO, "promql": _P, "clickhouse_sql": _CH,
}  # fmt: skip


def panel(p: Panel) -> list[RelIssue]:
    issues: list[RelIssue] = []
    kind = p.spec.plugin.kind
    queries = p.spec.queries or []
    if len(queries) != 1:
        issues.append(("spec.queries", f"panel must have one query, found {len(queries)}"))
    allowed = ALLOWED_QUERY_PLUGINS[kind]
    for i, q in enumerate(queries):
        path = f"spec.queries[{i}].spec.plugin"
        plugin = q.spec.plugin
        if plugin.kind not in allowed:
            issues.append((f"{path}.kind", f"{plugin.kind} is not allowed in a {kind}; allowed: {', '.join(sorted(allowed))}"))
        if plugin.kind == _C and plugin.kind in allowed:
            for j, env in enumerate(plugin.spec.queries or []):  # type: ignore[union-attr]
                if _ENVELOPE_PLUGIN.get(env.type) not in allowed:
                    types = ", ".join(t for t, k in _ENVELOPE_PLUGIN.items() if k in allowed)
                    issues.append((f"{path}.spec.queries[{j}].type", f"{env.type} is not allowed in a {kind}; allowed: {types}"))
        for sub, message in query_checks.plugin(plugin.kind, plugin.spec, q.kind, dashboard=True):
            issues.append((f"{path}.spec.{sub}" if sub else f"{path}.spec", message))
    return issues


def span_gaps(s: SpanGaps) -> list[RelIssue]:
    if s.fillOnlyBelow and not (prom_duration_seconds(s.fillLessThan) or 0) > 0:
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
    if v.constant and not v.value:
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
    if item.content is None:
        issues.append(("content", "must reference a panel as {\"$ref\": \"#/spec/panels/<key>\"}"))
    elif ref_key(item.content.ref) is None:
        issues.append(("content.$ref", f"must reference a panel as '#/spec/panels/<key>', got {item.content.ref!r}"))
    return issues


def _overlap(a: GridItem, b: GridItem) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def grid_item_count(items: Any) -> list[RelIssue]:
    if isinstance(items, list) and len(items) > MAX_ITEMS_PER_LAYOUT:
        return [("items", f"at most {MAX_ITEMS_PER_LAYOUT} items per layout (the maximum is {MAX_ITEMS_PER_LAYOUT}), got {len(items)}")]
    return []


def layout(lay: Layout) -> list[RelIssue]:
    issues: list[RelIssue] = []
    items = lay.spec.items or []
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
            key = ref_key(item.content.ref) if item.content is not None else None
            if key is None:
                continue  # malformed $ref: reported by the item itself
            where = f"layouts[{li}].spec.items[{ii}]"
            if key not in s.panels:
                issues.append((f"{where}.content.$ref", f"references unknown panel {key!r}: it is not in spec.panels"))
            elif key in placed:
                issues.append((f"{where}.content.$ref", f"panel {key!r} is already placed by spec.{placed[key]}"))
            else:
                placed[key] = where
    return issues
