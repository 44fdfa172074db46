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
