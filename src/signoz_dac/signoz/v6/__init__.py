"""The strict SigNoz v6 dashboard schema (SigNoz v0.138's `dashboardtypes`), one concern per module:

- enums.py        every enum and its default (ENUM_DEFAULTS)
- base.py         the strict base model and small value types
- queries.py      query envelope, query plugins, builder/composite/formula/PromQL/ClickHouse specs
- panels.py       panel and the seven panel plugins
- variables.py    ListVariable / TextVariable and their plugins
- layouts.py      Grid layouts
- dashboard.py    DashboardSpec, PostableDashboard, UpdatableDashboard, parse_dashboard, dump
- rules.py        cross-field rules (the server's and a few stricter ones of ours)
- expressions.py  formula and aggregation expression checks
- decode.py       Pydantic errors -> Issues with JSON paths
- defaults.py     with_defaults (canonical form for diffing)

Use:
    dash = parse_dashboard(body, source="build/pipecat.json")  # PostableDashboard, or SchemaError
    dash = parse_dashboard(body, updatable=True)                # the PUT shape
    dump(dash) == body                                          # exact round-trip (dict equality)
    with_defaults(body)                                         # omitted enums -> SigNoz defaults

Decisions:
- generateName: signoz-dac always sends a stable `name` (its push identity), so
  `generateName: true` is an error by default. SigNoz's own exports use it, so
  `allow_generate_name=True` accepts it for foreign JSON (then `name` must be empty, as the
  server requires). `generateName: false` or absent is always fine; PUT bodies may not carry it.
- null: accepted only where SigNoz's OpenAPI marks a field nullable (`thresholds`, `selectFields`,
  `order`, `functions`, `customColors`, ...); elsewhere a field may be omitted but not null.
- "" enums: rejected for dashboard enums (timePreference, legend, sort, ...); accepted for the
  query-builder enums whose server values include "" (fieldContext, fieldDataType, temporality...).
- Stricter than v0.138 on purpose (each marked "ours" in rules.py): query `kind` must match the
  panel type; top-level signoz/Formula and signoz/TraceOperator must sit in a CompositeQuery;
  panel keys are [A-Za-z0-9_-]; `duration` uses the newer server's single-unit form; a formula
  may only name queries of its composite; aggregations are one function call each.
- Issue paths are dotted JSON paths: `spec.panels.<key>.spec.queries[0].kind`; a key containing
  '.', '[' or ']' is quoted: `spec.panels."a.b"`.
"""

from .dashboard import DashboardSpec, PostableDashboard, UpdatableDashboard, dump, parse_dashboard
from .defaults import with_defaults
from .enums import ENUM_DEFAULTS, ENUM_VALUES

__all__ = [
    "ENUM_DEFAULTS",
    "ENUM_VALUES",
    "DashboardSpec",
    "PostableDashboard",
    "UpdatableDashboard",
    "dump",
    "parse_dashboard",
    "with_defaults",
]
