"""How a rendered rule says it is ours and which one it is, so push can find it again on the server.

SigNoz gives a rule a server-made id, so the stable identity lives in labels: `managed_by:
signoz-dac` (the dashboards' managed tag) plus the dashboard's name and the rule's id. The rule's
name (`alert`) is unique too, so a rule of the same name that lacks the labels is someone else's.
SigNoz refuses a label name outside `[a-zA-Z_.][a-zA-Z0-9_.]*`, so these use `_`, not `-`.
"""

from __future__ import annotations

from typing import Any

MANAGED_LABEL = "managed_by"
MANAGED_VALUE = "signoz-dac"
DASHBOARD_LABEL = "signoz_dac_dashboard"
RULE_LABEL = "signoz_dac_rule"


def identity_labels(dashboard: str, rule: str) -> dict[str, str]:
    return {MANAGED_LABEL: MANAGED_VALUE, DASHBOARD_LABEL: dashboard, RULE_LABEL: rule}


def is_managed(rule: dict[str, Any]) -> bool:
    return (rule.get("labels") or {}).get(MANAGED_LABEL) == MANAGED_VALUE


def rule_key(rule: dict[str, Any]) -> tuple[str, str] | None:
    """(dashboard name, rule id) of a managed rule, None for any other rule."""
    labels = rule.get("labels") or {}
    if not is_managed(rule) or DASHBOARD_LABEL not in labels or RULE_LABEL not in labels:
        return None
    return labels[DASHBOARD_LABEL], labels[RULE_LABEL]
