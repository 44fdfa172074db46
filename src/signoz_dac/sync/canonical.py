"""The canonical form of a dashboard or an alert rule: what is left to compare once the server's own
fields are gone.

SigNoz adds audit fields, fills in enum defaults and a few display fields when it stores a body, so
comparing raw JSON would show a change on every run (the "perma-diff" users of other tools suffer,
anchors §5.2). Canonicalising both sides the same way makes an unchanged dashboard compare equal.
A rule comes back as SigNoz's Go struct marshals it (every field, zero values, `null` for an empty
list), so its canonical form is the strict model's full dump with empty values dropped.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS

# Fields the server owns (GettableDashboardV2 and the list shape) and `generateName`, POST-only.
SERVER_OWNED = DASHBOARD_SERVER_FIELDS | {"generateName"}
# Fields the server owns on a rule (RuletypesRule); `createBy`/`updateBy` are older servers' spellings.
RULE_SERVER_OWNED = frozenset({"id", "state", "createdAt", "updatedAt", "createdBy", "updatedBy", "createBy", "updateBy"})
HASH_LENGTH = 24


def canonical(body: dict[str, Any], *, drop_tag_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A new dict: server-owned fields dropped, SigNoz's defaults applied, tags in a stable order.

    `drop_tag_keys` removes tags that must not take part in a comparison (the content hash tag).
    """
    from signoz_dac.signoz.v6 import with_defaults  # lazily: v6 is heavy and not needed for --help

    body = with_defaults({k: v for k, v in body.items() if k not in SERVER_OWNED})  # a deep copy
    # What the server itself fills in on store (contract §1.5, §3.2), whatever with_defaults covers.
    body.setdefault("image", "")
    spec = body.setdefault("spec", {})
    display = spec.setdefault("display", {})
    if not display.get("name") and body.get("name"):
        display["name"] = body["name"]
    display.setdefault("description", "")
    # Tags are a set to a person editing them; compare them as one.
    tags = [t for t in body.get("tags") or [] if t.get("key") not in drop_tag_keys]
    body["tags"] = sorted(tags, key=lambda t: (str(t.get("key")), str(t.get("value"))))
    return _stable(body)


def canonical_rule(rule: dict[str, Any], *, drop_label_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A new dict: server-owned fields dropped, SigNoz's defaults applied, empty values removed.

    `drop_label_keys` removes labels that must not take part in a comparison (the content hash).
    A rule our models cannot read (a newer server's field, an edit in a shape we do not know) is
    compared as it is (the server sends every field, so its defaults are there): a field we do not
    know shows as a change unless it holds an empty value.
    """
    from signoz_dac.errors import SchemaError
    from signoz_dac.signoz.rules import parse_rule

    body = {k: v for k, v in rule.items() if k not in RULE_SERVER_OWNED}
    try:
        body = parse_rule(body).model_dump(mode="json")
    except SchemaError:
        body = json.loads(json.dumps(body))  # a deep copy
    labels = {k: v for k, v in (body.get("labels") or {}).items() if k not in drop_label_keys}
    body["labels"] = labels
    return _stable(_pruned(body))


def _pruned(value: Any) -> Any:
    """None, "", [] and {} dropped from objects (Go sends `null` where we send nothing or `[]`, and
    a newer server's field we do not know arrives as its zero value)."""
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
