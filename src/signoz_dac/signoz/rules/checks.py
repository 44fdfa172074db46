"""Cross-field rules of an alert rule: what SigNoz checks after decoding a `PostableRule`, plus a few
stricter rules of our own, each marked "ours".

Each function takes a decoded model and returns `(path, message)` pairs relative to it, raised by
the model's validator (v6 base.raise_issues) and prefixed with the model's JSON path on decode.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from signoz_dac.signoz.v6.base import RelIssue
from signoz_dac.signoz.v6.rules import query_names

if TYPE_CHECKING:  # the models import this module
    from .models import PostableRule, RuleCondition

SCHEMA_VERSIONS = ("", "v1", "v2alpha1")
# A Go duration (time.ParseDuration), which is how SigNoz reads evalWindow and frequency.
_GO_DURATION = re.compile(r"(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+")

# queryType → the composite envelope types it may carry
_QUERY_TYPES = {
    "builder": {"builder_query", "builder_formula", "builder_trace_operator", "builder_ai_query"},
    "promql": {"promql"},
    "clickhouse_sql": {"clickhouse_sql"},
}
_ALERT_SIGNALS = {"TRACES_BASED_ALERT": "traces", "LOGS_BASED_ALERT": "logs", "METRIC_BASED_ALERT": "metrics"}
# SigNoz's unit converter converts within a category; across categories the target would be wrong.
_UNIT_CATEGORIES = {
    **dict.fromkeys(("ns", "us", "µs", "ms", "s", "m", "h", "d"), "time"),
    **dict.fromkeys(("percent", "percentunit"), "percent"),
    **dict.fromkeys(("bytes", "decbytes", "bits", "decbits", "kbytes", "mbytes", "gbytes"), "data"),
}


def duration_problem(value: str) -> str | None:
    if _GO_DURATION.fullmatch(value) and any(c in "123456789" for c in value):
        return None
    return f'must be a positive Go duration such as "5m" or "1h", got {value!r}'


def condition(c: RuleCondition) -> list[RelIssue]:
    issues: list[RelIssue] = []
    cq = c.compositeQuery
    envelopes = cq.queries or []
    if not envelopes:
        return [("compositeQuery.queries", "an alert needs at least one query")]
    allowed = _QUERY_TYPES[cq.queryType]
    for i, env in enumerate(envelopes):
        if env.type not in allowed:
            issues.append((f"compositeQuery.queries[{i}].type",
                           f"{env.type!r} does not belong in a queryType {cq.queryType!r} rule; use one of: {', '.join(sorted(allowed))}"))
    names, name_issues = query_names(envelopes, "compositeQuery.queries")
    issues += name_issues
    if c.selectedQueryName:
        if c.selectedQueryName not in names:
            issues.append(("selectedQueryName", f"{c.selectedQueryName!r} is not a query of this rule; one of: {', '.join(names)}"))
        elif envelopes[names[c.selectedQueryName]].spec.disabled:  # ours: a disabled query yields no series
            issues.append(("selectedQueryName", f"selects {c.selectedQueryName!r}, which is disabled, so the rule never sees data"))
    elif len(envelopes) > 1:
        issues.append(("selectedQueryName", "is required when the rule has more than one query"))
    if c.thresholds is not None:
        issues += _thresholds(c)
    return issues


def _thresholds(c: RuleCondition) -> list[RelIssue]:
    issues: list[RelIssue] = []
    levels = c.thresholds.spec or []  # type: ignore[union-attr]
    if not levels:
        issues.append(("thresholds.spec", "needs at least one threshold"))
    seen: set[str] = set()
    unit = c.compositeQuery.unit
    for i, level in enumerate(levels):
        where = f"thresholds.spec[{i}]"
        if not level.name.strip():
            issues.append((f"{where}.name", "must not be empty (it becomes the alert's severity)"))
        elif level.name in seen:
            issues.append((f"{where}.name", f"duplicate threshold name {level.name!r}"))
        seen.add(level.name)
        if level.target is None:
            issues.append((f"{where}.target", "must be a number"))
        if level.targetUnit and not unit:  # ours: without compositeQuery.unit the target is not converted
            issues.append((f"{where}.targetUnit", "needs compositeQuery.unit (the unit of the query's values) to convert from"))
        elif level.targetUnit and _UNIT_CATEGORIES.get(level.targetUnit, level.targetUnit) != _UNIT_CATEGORIES.get(unit, unit) \
                and level.targetUnit in _UNIT_CATEGORIES and unit in _UNIT_CATEGORIES:  # ours
            issues.append((f"{where}.targetUnit", f"{level.targetUnit!r} cannot be converted from the query's unit {unit!r}"))
        for j, channel in enumerate(level.channels or []):
            if not channel.strip():
                issues.append((f"{where}.channels[{j}]", "must not be empty"))
    return issues


def rule(r: PostableRule) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if not r.alert.strip():
        issues.append(("alert", "the rule needs a name"))
    if r.schemaVersion not in SCHEMA_VERSIONS:
        issues.append(("schemaVersion", f"must be one of: \"\" (v1), v1, v2alpha1; got {r.schemaVersion!r}"))
    if r.schemaVersion == "v2alpha1":
        if r.evaluation is None:
            issues.append(("evaluation", "is required with schemaVersion v2alpha1"))
        if r.ruleType == "threshold_rule" and r.condition.thresholds is None:
            issues.append(("condition.thresholds", "is required for a threshold_rule with schemaVersion v2alpha1"))
    if r.evaluation is not None and r.evaluation.kind == "rolling":
        for field in ("evalWindow", "frequency"):
            problem = duration_problem(getattr(r.evaluation.spec, field))
            if problem:
                issues.append((f"evaluation.spec.{field}", problem))
    for field in ("evalWindow", "frequency"):
        value = getattr(r, field)
        if value and (problem := duration_problem(value)):
            issues.append((field, problem))
    query_type = r.condition.compositeQuery.queryType
    if r.ruleType == "promql_rule" and query_type != "promql":
        issues.append(("condition.compositeQuery.queryType", "a promql_rule needs queryType 'promql'"))
    if r.ruleType == "threshold_rule" and query_type == "promql":
        issues.append(("ruleType", "a PromQL query needs ruleType 'promql_rule'"))
    signal = _ALERT_SIGNALS.get(r.alertType)
    if signal:  # ours: a traces alert on a logs query would page on the wrong data
        for i, env in enumerate(r.condition.compositeQuery.queries or []):
            if env.type in ("builder_query", "builder_ai_query") and env.spec.signal != signal:
                issues.append((f"condition.compositeQuery.queries[{i}].spec.signal",
                               f"is {env.spec.signal!r} but alertType {r.alertType} needs {signal!r}"))
    for key, value in (r.labels or {}).items():
        if not key.strip():
            issues.append(("labels", "a label key must not be empty"))
    return issues
