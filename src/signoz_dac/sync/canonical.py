"""The canonical form of a dashboard: what is left to compare once the server's own fields are gone.

SigNoz adds audit fields, fills in enum defaults and a few display fields when it stores a body, so
comparing raw JSON would show a change on every run (the "perma-diff" users of other tools suffer,
anchors §5.2). Canonicalising both sides the same way makes an unchanged dashboard compare equal.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Fields the server owns (GettableDashboardV2 and the list shape) and `generateName`, POST-only.
SERVER_OWNED = frozenset(
    {"id", "createdAt", "updatedAt", "createdBy", "updatedBy", "orgId", "locked", "source", "legacy",
     "pinned", "generateName"}
)
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
    return _sorted(body)


def canonical_json(body: dict[str, Any], *, indent: int | None = None) -> str:
    """Canonical JSON text; `canonical()` must have been applied by the caller."""
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(body, sort_keys=True, indent=indent, separators=separators, ensure_ascii=False)


def digest(canonical_body: dict[str, Any]) -> str:
    """The first 24 hex digits of the SHA-256 of a canonical body: fits a SigNoz tag value (≤32)."""
    return hashlib.sha256(canonical_json(canonical_body).encode()).hexdigest()[:HASH_LENGTH]


def _sorted(value: Any) -> Any:
    # Key order is irrelevant to SigNoz; sorting makes the canonical text (and so the hash) stable.
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value
