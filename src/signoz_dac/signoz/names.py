"""SigNoz's rules for a dashboard's name and tags (v0.138, `pkg/types/dashboardtypes/perses_dashboard.go`
and tagtypes).

- `name`: a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending
  with a letter or digit), unique per organisation from 0.135; push's identity for a dashboard.
- tags: at most 10; key and value trimmed, then non-empty and at most 32 characters each, from
  fixed alphabets; a few keys reserved for the list's search language. Keys and values are
  compared case-insensitively, and a new tag takes the spelling the organisation already uses.

One home for the definitions, the strict models, v5 conversion and push's own tags.
"""

from __future__ import annotations

import re
from typing import Any

MAX_NAME_LEN = 63
MAX_TAGS = 10
MAX_TAG_LEN = 32
RESERVED_TAG_KEYS = frozenset({"name", "description", "created_at", "updated_at", "created_by", "locked", "source"})

_DNS1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_TAG_KEY = re.compile(r"[a-zA-Z$_@{#][a-zA-Z0-9$_@#{}:/-]*")
_TAG_VALUE = re.compile(r"[a-zA-Z0-9$_@#{}:.+=/-]*")


def dns_label_problem(name: str) -> str | None:
    """The dashboard `name`: a DNS-1123 label; "" is left to the name/generateName check."""
    if name == "":
        return None
    if len(name) > MAX_NAME_LEN:
        return f"must be at most {MAX_NAME_LEN} characters (a DNS-1123 label), got {len(name)}"
    if not _DNS1123.fullmatch(name):
        return (
            f"must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending "
            f"with a letter or digit), got {name!r}"
        )
    return None


def required_dns_label_problem(name: str) -> str | None:
    return "name is required" if name == "" else dns_label_problem(name)


def tag_key_problem(key: str) -> str | None:
    # SigNoz trims a tag's key and value before it checks them.
    key = key.strip()
    if not key:
        return "must not be empty"
    if len(key) > MAX_TAG_LEN:
        return f"must be at most {MAX_TAG_LEN} characters, got {len(key)}"
    if not _TAG_KEY.fullmatch(key):
        return f"must match ^[a-zA-Z$_@{{#][a-zA-Z0-9$_@#{{}}:/-]*$, got {key!r}"
    if key.lower() in RESERVED_TAG_KEYS:
        return f"{key!r} is reserved (reserved keys: {', '.join(sorted(RESERVED_TAG_KEYS))})"
    return None


def tag_value_problem(value: str) -> str | None:
    value = value.strip()
    if not value:
        return "must not be empty"
    if len(value) > MAX_TAG_LEN:
        return f"must be at most {MAX_TAG_LEN} characters, got {len(value)}"
    if not _TAG_VALUE.fullmatch(value):
        return f"must match ^[a-zA-Z0-9$_@#{{}}:.+=/-]*$, got {value!r}"
    return None


def tags_problem(tags: list[Any] | None) -> str | None:
    if tags is not None and len(tags) > MAX_TAGS:
        return f"at most {MAX_TAGS} tags, got {len(tags)}"
    return None
