"""What makes a SigNoz dashboard or alert rule signoz-dac's, which one it is, and which definition
set it belongs to: the one home of these marks, for render (which writes a rule's identity), sync
(which stamps, finds and judges), import and pull (which leave the marks out) and the definitions
(which may not set them).

Dashboards carry tags, rules carry labels; SigNoz refuses a label name outside
`[a-zA-Z_.][a-zA-Z0-9_.]*`, so label names use `_` where tag keys use `-`.

- managed: `managed-by: signoz-dac` (tag) / `managed_by: signoz-dac` (label). Push changes only
  what carries it (or what the user adopts).
- set: `signoz-dac-set` / `signoz_dac_set`: the definition set that pushed it (see `set_name_problem`).
  `push --prune` deletes only what its own set pushed and no definition of that set holds any more.
- hash: `signoz-dac-hash` / `signoz_dac_hash`: the hash of the content last pushed; a copy that no
  longer hashes to it was edited in SigNoz since (drift).
- a rule's identity: its dashboard's `name` and its own id (`signoz_dac_dashboard`,
  `signoz_dac_rule`), never its title: a title can change, the identity cannot. A dashboard's
  identity is its `name`, unique per organisation in SigNoz.
"""

from __future__ import annotations

import re
from typing import Any

MANAGED_VALUE = "signoz-dac"

# Dashboards: tags (SigNoz compares tag keys and values case-insensitively and re-cases them to the
# spelling the organisation already uses, so they are read in any case).
MANAGED_TAG = "managed-by"
SET_TAG = "signoz-dac-set"
HASH_TAG = "signoz-dac-hash"
DASHBOARD_MARKS = frozenset({MANAGED_TAG, SET_TAG, HASH_TAG})

# Rules: labels.
MANAGED_LABEL = "managed_by"
SET_LABEL = "signoz_dac_set"
HASH_LABEL = "signoz_dac_hash"
DASHBOARD_LABEL = "signoz_dac_dashboard"
RULE_LABEL = "signoz_dac_rule"
RULE_MARKS = frozenset({MANAGED_LABEL, SET_LABEL, HASH_LABEL})
# Labels signoz-dac sets itself; a definition may not set them.
RESERVED_LABELS = RULE_MARKS | {DASHBOARD_LABEL, RULE_LABEL}

# The definition set of what is pushed without naming one (the library's default; the CLI derives
# one from the git repository, and refuses to prune this one).
DEFAULT_SET = "default"
# A set name: ≤32 characters that a tag value keeps on every release (SigNoz before 0.135 stores tags
# as v5 strings, and its conversion to v6 keeps only letters, digits, '.', '_' and '-' of a value),
# in lower case, since SigNoz may re-case a tag. So one set has one name before and after an upgrade.
_SET_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


def identity_labels(dashboard: str, rule: str) -> dict[str, str]:
    """The labels a rendered rule carries: managed, and which rule of which dashboard it is."""
    return {MANAGED_LABEL: MANAGED_VALUE, DASHBOARD_LABEL: dashboard, RULE_LABEL: rule}


def tag(dashboard: dict[str, Any], key: str) -> str | None:
    """The value (trimmed, lower case) of a dashboard's tag `key`, in any case; None if absent."""
    for item in dashboard.get("tags") or []:
        if isinstance(item, dict) and str(item.get("key", "")).strip().lower() == key:
            return str(item.get("value", "")).strip().lower()
    return None


def label(rule: dict[str, Any], key: str) -> str | None:
    labels = rule.get("labels")
    value = labels.get(key) if isinstance(labels, dict) else None
    return None if value is None else str(value)


def is_managed(resource: dict[str, Any]) -> bool:
    """Does signoz-dac manage this dashboard (its tag) or alert rule (its label)?"""
    return tag(resource, MANAGED_TAG) == MANAGED_VALUE or label(resource, MANAGED_LABEL) == MANAGED_VALUE


def rule_key(rule: dict[str, Any]) -> tuple[str, str] | None:
    """(dashboard name, rule id) of a managed rule, None for any other rule."""
    if label(rule, MANAGED_LABEL) != MANAGED_VALUE:
        return None
    dashboard, rule_id = label(rule, DASHBOARD_LABEL), label(rule, RULE_LABEL)
    return None if dashboard is None or rule_id is None else (dashboard, rule_id)


def set_name_problem(name: str) -> str | None:
    """Why `name` cannot name a definition set; None if it can."""
    if _SET_NAME.fullmatch(name):
        return None
    return (f"a definition set's name is 1 to 32 lower-case letters, digits and . _ -, starting "
            f"with a letter or digit; got {name!r}")
