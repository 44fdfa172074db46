"""What the alert template receives: one SigNoz rule as plain data (values only; the template shapes).
Its queries are generic definition models (builder queries and formulas), as a panel's are."""

from __future__ import annotations

from dataclasses import dataclass

from signoz_dac.render.generic import View


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
    alert: str  # SigNoz's rule name, unique per dashboard
    alert_type: str  # TRACES_BASED_ALERT | LOGS_BASED_ALERT
    description: str
    disabled: bool
    entries: tuple[View, ...]  # the builder queries (and formulas) of compositeQuery
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
