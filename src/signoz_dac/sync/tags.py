"""The tags that mark a dashboard as ours and record the content we last pushed.

`managed-by: signoz-dac` says signoz-dac owns the dashboard: push changes only dashboards that
carry it (or that the user adopts). `signoz-dac-hash: <24 hex>` is the hash of the canonical
content we pushed; when the server copy no longer hashes to it, someone edited the dashboard in the
UI since (drift), and push will not overwrite that silently. Both fit SigNoz's tag rules
(≤10 tags, key and value ≤32 characters, contract §1.5).
"""

from __future__ import annotations

from typing import Any

from signoz_dac.errors import InputError
from signoz_dac.signoz.tags import MAX_TAGS
from signoz_dac.sync.canonical import canonical, digest

MANAGED_KEY = "managed-by"
MANAGED_VALUE = "signoz-dac"
HASH_KEY = "signoz-dac-hash"
OUR_KEYS = frozenset({MANAGED_KEY, HASH_KEY})


def content_hash(body: dict[str, Any]) -> str:
    """The hash of a dashboard's canonical content, its hash tag excluded (a tag cannot hash itself)."""
    return digest(canonical(body, drop_tag_keys=frozenset({HASH_KEY})))


def _is(tag: Any, key: str) -> bool:
    # SigNoz re-cases a tag to the spelling the org already uses, so ours are matched in any case.
    return isinstance(tag, dict) and str(tag.get("key", "")).strip().lower() == key


def is_managed(dashboard: dict[str, Any]) -> bool:
    return any(_is(t, MANAGED_KEY) and str(t.get("value", "")).strip().lower() == MANAGED_VALUE
               for t in dashboard.get("tags") or [])


def recorded_hash(dashboard: dict[str, Any]) -> str | None:
    """The content hash a dashboard carries in its tag, if any."""
    for tag in dashboard.get("tags") or []:
        if _is(tag, HASH_KEY):
            return str(tag.get("value", "")).strip().lower()
    return None


def check_stampable(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The body's own tags; an InputError when our two tags would not fit beside them."""
    user_tags = [t for t in body.get("tags") or [] if not any(_is(t, key) for key in OUR_KEYS)]
    if len(user_tags) + len(OUR_KEYS) > MAX_TAGS:
        raise InputError(
            f"dashboard {body.get('name')!r} has {len(user_tags)} tags; SigNoz allows {MAX_TAGS} and "
            f"signoz-dac needs {len(OUR_KEYS)} of them ({MANAGED_KEY}, {HASH_KEY})"
        )
    return user_tags


def stamp(body: dict[str, Any]) -> dict[str, Any]:
    """A copy of `body` with our managed tag and the hash of its content, ready to push."""
    user_tags = check_stampable(body)
    stamped = {**body, "tags": [*user_tags, {"key": MANAGED_KEY, "value": MANAGED_VALUE}]}
    stamped["tags"].append({"key": HASH_KEY, "value": content_hash(stamped)})
    return stamped
