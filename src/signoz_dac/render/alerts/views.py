"""What the alert template receives: one SigNoz rule as plain data (values only; the template shapes)."""

from __future__ import annotations

from dataclasses import dataclass

from signoz_dac.errors import Location
from signoz_dac.render.views import Query


@dataclass(frozen=True)
class LevelView:
    """One threshold level: `name` is the severity the alert carries when it fires."""

    name: str  # warning | critical
    target: int | float
    target_unit: str  # "" when the target is in the query's own unit
    op: str
    match: str
    channels: tuple[str, ...]


@dataclass(frozen=True)
class RuleView:
    id: str  # stable within the dashboard; the file name and the `signoz_dac_rule` label
    alert: str  # SigNoz's rule name, unique per dashboard
    alert_type: str  # TRACES_BASED_ALERT | LOGS_BASED_ALERT
    description: str
    disabled: bool
    query: Query  # builders (and formulas) of compositeQuery
    selected: str  # selectedQueryName: the query whose values are compared
    unit: str  # compositeQuery.unit: the unit of the selected query's values
    levels: tuple[LevelView, ...]
    window: str
    frequency: str
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    group_by: tuple[str, ...]  # notificationSettings.groupBy
    renotify: str | None
    absent_for: int | None = None  # minutes without data before a no-data alert (alertOnAbsent)
    origin: Location | None = None  # the definition line this rule came from
