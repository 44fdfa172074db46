"""The canonical form of a dashboard or an alert rule: what is left to compare once the server's own
fields are gone and both sides are written the way SigNoz stores them.

SigNoz does not return a body as it was sent: it adds its own fields, writes out every default,
folds enums, turns step intervals into seconds, normalises query keys, re-cases tags, and leaves
out what Go omits when empty. Comparing raw JSON would show a change on every run (the
"perma-diff" users of other tools suffer). So both sides go through the strict models' stored form
(`stored_dashboard`, `stored_rule`: one home for SigNoz's defaults and normalisation, which the
emulator stores too), then:
- the server's own fields are dropped, in both spellings of the rule audit fields (`createdAt` and
  v1's `createAt`, ...);
- tags are compared as a set, case-insensitively (SigNoz re-cases a tag to the org's spelling);
- null, "", [] and {} are dropped (Go writes `null` where we send nothing, omits what we send
  empty, and a newer server's field we do not know arrives as its zero value);
- keys are sorted and whole-number floats written as ints (Go writes 1.0 as `1`).
A field our models do not know (a newer server's) takes part as it is, so an edit to it shows; a
body our models cannot read at all is compared as it is, after the same clean-up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.reading import is_rule
from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS, RULE_SERVER_FIELDS

# Fields the server owns (GettableDashboardV2 and the list shape) and `generateName`, POST-only.
SERVER_OWNED = DASHBOARD_SERVER_FIELDS | {"generateName"}
HASH_LENGTH = 24


def canonical(body: dict[str, Any], *, drop: frozenset[str] = frozenset(), rule: bool | None = None) -> dict[str, Any]:
    """A new dict: the dashboard or alert rule as SigNoz stores it, its own fields dropped (a
    dashboard's tags as a sorted set).

    `drop` names marks that must not take part in a comparison: tag keys of a dashboard, label
    names of a rule (the content hash; for import, all of signoz-dac's marks). `rule` says which
    the body is; None: told by its shape.
    """
    return _rule(body, drop) if (is_rule(body) if rule is None else rule) else _dashboard(body, drop)


def _dashboard(body: dict[str, Any], drop: frozenset[str]) -> dict[str, Any]:
    from signoz_dac.signoz.v6 import stored_dashboard  # lazily: v6 is heavy and not needed for --help

    body = _stored(stored_dashboard, {k: v for k, v in body.items() if k not in SERVER_OWNED})
    dropped = {key.lower() for key in drop}
    tags = {
        (str(t.get("key", "")).strip().lower(), str(t.get("value", "")).strip().lower())
        for t in body.get("tags") or []
        if isinstance(t, dict) and str(t.get("key", "")).strip().lower() not in dropped
    }
    body["tags"] = [{"key": k, "value": v} for k, v in sorted(tags)]
    return _stable(_pruned(body))


def _rule(rule: dict[str, Any], drop: frozenset[str]) -> dict[str, Any]:
    from signoz_dac.signoz.rules import stored_rule

    body = _stored(stored_rule, {k: v for k, v in rule.items() if k not in RULE_SERVER_FIELDS})
    labels = body.get("labels")
    body["labels"] = {k: v for k, v in (labels if isinstance(labels, dict) else {}).items() if k not in drop}
    return _stable(_pruned(body))


def _stored(store: Callable[..., dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    """The body as SigNoz stores it; one our models cannot read is kept as it is (a deep copy)."""
    try:
        return store(body, keep_unknown=True)
    except SchemaError:
        return json.loads(json.dumps(body))


def _pruned(value: Any) -> Any:
    """None, "", [] and {} dropped from objects, at every depth."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != "" and v != [] and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def canonical_json(body: dict[str, Any], *, indent: int | None = None) -> str:
    """Canonical JSON text; `canonical()` must have been applied by the caller."""
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(body, sort_keys=True, indent=indent, separators=separators, ensure_ascii=False)


def digest(canonical_body: dict[str, Any]) -> str:
    """The first 24 hex digits of the SHA-256 of a canonical body: fits a SigNoz tag value (≤32)."""
    return hashlib.sha256(canonical_json(canonical_body).encode()).hexdigest()[:HASH_LENGTH]


def _stable(value: Any) -> Any:
    """Keys sorted, and whole-number floats as ints, for dashboards and rules alike.

    Key order is irrelevant to SigNoz; sorting makes the canonical text (and so the hash) stable.
    Go's JSON encoder writes float64 1.0 as `1`, so a server copy holds 1 where we sent 1.0: the
    same number, which must not read as a change (or as drift) forever.
    """
    if isinstance(value, dict):
        return {k: _stable(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
