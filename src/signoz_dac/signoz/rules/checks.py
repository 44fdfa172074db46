"""What SigNoz checks in an alert rule (`ruletypes`, v0.138): on every decode, and on a write.

Each function takes a decoded model and returns `(path, message)` pairs relative to it, raised by
the model's validator (v6 base.raise_issues) and prefixed with the model's JSON path on decode.
Nothing here is stricter than SigNoz; what signoz-dac demands of its own rules on top is checked in
`render/output_checks.py`.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import TYPE_CHECKING, Any

from signoz_dac.signoz.v6 import query_checks
from signoz_dac.signoz.v6.base import RelIssue, go_duration_seconds

if TYPE_CHECKING:  # the models import this module
    from .models import BasicRuleThreshold, CumulativeWindow, PostableRule, RollingWindow

ALERT_TYPES = ("METRIC_BASED_ALERT", "TRACES_BASED_ALERT", "LOGS_BASED_ALERT", "EXCEPTIONS_BASED_ALERT")
# The alert type of a rule on one signal's builder queries.
SIGNAL_ALERT_TYPES = {"metrics": "METRIC_BASED_ALERT", "traces": "TRACES_BASED_ALERT", "logs": "LOGS_BASED_ALERT"}
RULE_TYPES = ("threshold_rule", "promql_rule", "anomaly_rule")
SCHEMA_VERSIONS = ("", "v1", "v2alpha1")
SEASONALITIES = ("hourly", "daily", "weekly")
RENOTIFY_STATES = ("firing", "nodata")

# Comparison operators (rt/compare.go) and match types (rt/match.go) in every spelling SigNoz
# reads, each mapped to its name. SigNoz trims and lower-cases them first.
COMPARE_OPERATORS = {
    **dict.fromkeys(("1", "above", ">"), "above"),
    **dict.fromkeys(("2", "below", "<"), "below"),
    **dict.fromkeys(("3", "equal", "eq", "="), "equal"),
    **dict.fromkeys(("4", "not_equal", "not_eq", "!="), "not_equal"),
    **dict.fromkeys(("5", "above_or_equal", "above_or_eq", ">="), "above_or_equal"),
    **dict.fromkeys(("6", "below_or_equal", "below_or_eq", "<="), "below_or_equal"),
    **dict.fromkeys(("7", "outside_bounds"), "outside_bounds"),
}
MATCH_TYPES = {
    **dict.fromkeys(("1", "at_least_once"), "at_least_once"),
    **dict.fromkeys(("2", "all_the_times"), "all_the_times"),
    **dict.fromkeys(("3", "on_average", "avg"), "on_average"),
    **dict.fromkeys(("4", "in_total", "sum"), "in_total"),
    **dict.fromkeys(("5", "last"), "last"),
}

LABEL_NAME = re.compile(r"[a-zA-Z_.][a-zA-Z0-9_.]*")  # label and annotation names


def _positive(text: str) -> bool:
    return (go_duration_seconds(text) or 0) > 0


def compare_operator(op: str) -> str | None:
    return COMPARE_OPERATORS.get(op.strip().lower())


def match_type(match: str) -> str | None:
    return MATCH_TYPES.get(match.strip().lower())


# --- Go templates in label and annotation values --------------------------------------------------


def template_problem(text: str) -> str | None:
    """Why `text` would not parse as a Go text/template, for the errors SigNoz's check catches:
    an action (`{{ ... }}`) that is never closed, or one with nothing in it."""
    pos = 0
    while (start := text.find("{{", pos)) >= 0:
        i, quote = start + 2, ""
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\" and quote != "`":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'`":
                quote = ch
            elif text.startswith("}}", i):
                break
            i += 1
        else:
            return f"template: unclosed action starting at {text[start:start + 20]!r}"
        if not text[start + 2:i].strip(" -\t\n"):
            return "template: empty action {{}}"
        pos = i + 2
    return None


# --- on every decode ------------------------------------------------------------------------------


def threshold(t: BasicRuleThreshold) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if not t.name.strip():
        issues.append(("name", "threshold name must not be empty (it becomes the alert's severity)"))
    if t.target is None:
        issues.append(("target", "threshold target is required: a number"))
    if compare_operator(t.op) is None:
        issues.append(("op", f"unsupported comparison operator {t.op!r}"))
    if match_type(t.matchType) is None:
        issues.append(("matchType", f"unsupported match type {t.matchType!r}"))
    return issues


def rolling(w: RollingWindow) -> list[RelIssue]:
    issues: list[RelIssue] = []
    for field in ("evalWindow", "frequency"):
        if not _positive(getattr(w, field)):
            issues.append((f"spec.{field}", f'{field} must be a positive duration such as "5m", got {getattr(w, field)!r}'))
    return issues


_SCHEDULE_FIELDS = {"hourly": ("minute",), "daily": ("hour", "minute"), "weekly": ("weekday", "hour", "minute"),
                    "monthly": ("day", "hour", "minute")}
_RANGES = {"minute": (0, 59), "hour": (0, 23), "weekday": (0, 6), "day": (1, 31)}


def cumulative(w: CumulativeWindow) -> list[RelIssue]:
    issues: list[RelIssue] = []
    schedule = w.schedule
    if schedule is None:
        issues.append(("spec.schedule", "a cumulative evaluation needs a schedule"))
    elif schedule.type not in _SCHEDULE_FIELDS:
        issues.append(("spec.schedule.type", f"must be one of: {', '.join(_SCHEDULE_FIELDS)}, got {schedule.type!r}"))
    else:
        for field in _SCHEDULE_FIELDS[schedule.type]:
            value, (low, high) = getattr(schedule, field), _RANGES[field]
            if value is None:
                issues.append((f"spec.schedule.{field}", f"a {schedule.type} schedule needs a {field}"))
            elif not low <= value <= high:
                issues.append((f"spec.schedule.{field}", f"{field} must be between {low} and {high}, got {value}"))
    if not _positive(w.frequency):
        issues.append(("spec.frequency", f'frequency must be a positive duration such as "5m", got {w.frequency!r}'))
    if not _timezone(w.timezone):
        issues.append(("spec.timezone", f"timezone must be an IANA time zone such as UTC or Europe/Berlin, got {w.timezone!r}"))
    return issues


def _timezone(name: str) -> bool:
    if not name or name != name.strip():
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def decoded(r: PostableRule) -> list[RelIssue]:
    """What SigNoz checks whenever it decodes a rule (a write, and every read)."""
    issues: list[RelIssue] = []
    if r.condition is None:
        issues.append(("condition", "condition is required"))
    if r.version not in ("", "v5"):
        issues.append(("version", f'only version "v5" is supported, got {r.version!r}'))
    for field in ("labels", "annotations"):
        what = field[:-1]
        for name, value in (getattr(r, field) or {}).items():
            if not LABEL_NAME.fullmatch(name):
                issues.append((field, f"invalid {what} name {name!r}: it must match [a-zA-Z_.][a-zA-Z0-9_.]*"))
            problem = template_problem(value)
            if problem:
                issues.append((f"{field}.{name}", f"invalid {what} value: {problem}"))
    return issues


# --- on a write -----------------------------------------------------------------------------------


def schema_version(r: PostableRule) -> str:
    return r.schemaVersion or "v1"


def rule(r: PostableRule) -> list[RelIssue]:
    """What SigNoz's Validate checks on POST and PUT."""
    issues: list[RelIssue] = []
    if not r.alert.strip():
        issues.append(("alert", "alert (the rule's name) is required"))
    if r.alertType and r.alertType not in ALERT_TYPES:
        issues.append(("alertType", f"alertType must be one of: {', '.join(ALERT_TYPES)}, got {r.alertType!r}"))
    if r.ruleType and r.ruleType not in RULE_TYPES:
        issues.append(("ruleType", f"ruleType must be one of: {', '.join(RULE_TYPES)}, got {r.ruleType!r}"))
    if r.schemaVersion not in SCHEMA_VERSIONS:
        issues.append(("schemaVersion", f'unsupported schemaVersion {r.schemaVersion!r}: use "v1" or "v2alpha1"'))
    c = r.condition
    if c is not None:
        issues += [(f"condition.{p}", m) for p, m in _condition(c, r.ruleType)]
        if r.schemaVersion in ("", "v1"):
            if c.target is None:
                issues.append(("condition.target", "a v1 rule needs condition.target"))
            if compare_operator(c.op) is None:
                issues.append(("condition.op", f"unsupported value {c.op!r}" if c.op else "a v1 rule needs condition.op"))
            if match_type(c.matchType) is None:
                issues.append(("condition.matchType",
                               f"unsupported value {c.matchType!r}" if c.matchType else "a v1 rule needs condition.matchType"))
    if c is not None and c.thresholds is not None and not c.thresholds.spec:
        issues.append(("condition.thresholds.spec", "thresholds need at least one entry"))
    if r.schemaVersion == "v2alpha1":
        if c is not None and c.thresholds is None:
            issues.append(("condition.thresholds", "condition.thresholds is required with schemaVersion v2alpha1"))
        if r.evaluation is None:
            issues.append(("evaluation", "evaluation is required with schemaVersion v2alpha1"))
        if r.notificationSettings is None:
            issues.append(("notificationSettings", "notificationSettings is required with schemaVersion v2alpha1"))
    renotify = r.notificationSettings.renotify if r.notificationSettings else None
    if renotify is not None:
        if renotify.enabled and not _positive(renotify.interval):
            issues.append(("notificationSettings.renotify.interval",
                           f"renotify needs a positive interval when enabled, got {renotify.interval!r}"))
        for i, state in enumerate(renotify.alertStates or []):
            if state not in RENOTIFY_STATES:
                issues.append((f"notificationSettings.renotify.alertStates[{i}]",
                               f"invalid alert state {state!r}: one of {', '.join(RENOTIFY_STATES)}"))
    return issues


def _condition(c: Any, rule_type: str) -> list[RelIssue]:
    issues: list[RelIssue] = []
    cq = c.compositeQuery
    if cq is None:
        return [("compositeQuery", "compositeQuery is required")]
    envelopes = cq.queries or []
    if not envelopes:
        issues.append(("compositeQuery.queries", "at least one query is required in compositeQuery.queries"))
    else:
        # An alert rule's queries are validated as a time series request; no dashboard-only rules.
        issues += [(f"compositeQuery.{p}", m) for p, m in query_checks.composite(cq, "time_series", dashboard=False)]
    names = [env.spec.name for env in envelopes]
    if c.selectedQueryName and c.selectedQueryName not in names:
        issues.append(("selectedQueryName", f"selectedQueryName {c.selectedQueryName!r} is not a query of this rule; one of: {', '.join(names)}"))
    if c.requireMinPoints and c.requiredNumPoints <= 0:
        issues.append(("requiredNumPoints", "requiredNumPoints must be positive when requireMinPoints is true"))
    if rule_type == "anomaly_rule" and c.seasonality and c.seasonality not in SEASONALITIES:
        issues.append(("seasonality", f"seasonality must be one of: {', '.join(SEASONALITIES)}, got {c.seasonality!r}"))
    return issues
