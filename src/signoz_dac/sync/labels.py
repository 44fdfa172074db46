"""The labels that record what we last pushed of an alert rule (the rules' counterpart of tags.py).

A rendered rule already carries its identity (`managed_by: signoz-dac`, its dashboard and rule id;
see `render/alerts/identity.py`). Push adds `signoz_dac_hash: <24 hex>`, the hash of the rule's
canonical content: when the server copy no longer hashes to it, someone edited the rule in the UI
since (drift), and push will not overwrite that silently. SigNoz copies a rule's labels onto the
alerts it fires, so the hash is visible there too; it changes only when the rule does.
"""

from __future__ import annotations

from typing import Any

from signoz_dac.errors import InputError
from signoz_dac.render.alerts.identity import rule_key
from signoz_dac.sync.canonical import canonical_rule, digest

HASH_LABEL = "signoz_dac_hash"


def rule_content_hash(rule: dict[str, Any]) -> str:
    """The hash of a rule's canonical content, its hash label excluded."""
    return digest(canonical_rule(rule, drop_label_keys=frozenset({HASH_LABEL})))


def recorded_rule_hash(rule: dict[str, Any]) -> str | None:
    """The content hash a rule carries in its label, if any."""
    return (rule.get("labels") or {}).get(HASH_LABEL)


def check_rule_stampable(body: dict[str, Any]) -> None:
    """An InputError for a rule push could not find again: one without our identity labels."""
    if rule_key(body) is None:
        raise InputError(f"rule {body.get('alert')!r} has no signoz-dac identity labels; render it with render_alerts")


def stamp_rule(body: dict[str, Any]) -> dict[str, Any]:
    """A copy of a rendered rule with the hash of its content, ready to push."""
    check_rule_stampable(body)
    labels = {k: v for k, v in (body.get("labels") or {}).items() if k != HASH_LABEL}
    stamped = {**body, "labels": labels}
    stamped["labels"] = {**labels, HASH_LABEL: rule_content_hash(stamped)}
    return stamped
