"""A v5 dashboard (SigNoz 0.92-0.134) -> the v6 body SigNoz's own conversion makes of it.

SigNoz converts a v5 dashboard when it migrates stored dashboards, on `POST /api/v2/dashboards/
{id}/migrate`, and when a v5 body is POSTed to `/api/v2/dashboards`: the v4->v5 query migration,
then `ConvertV1ToV2` (`pkg/types/dashboardtypes/perses_v1_to_v2*.go`), then the v6 validation.
`convert_v5_to_v6` does the same, step by step in the modules of this package:

- dashboard: `title` -> `display.name` (at most 128 characters), `description` kept, no links;
  `image`: an inline SVG is re-encoded as base64, a preset icon becomes `/assets/Icons/<name>`,
  anything the v6 schema refuses becomes `/assets/Icons/eight-ball`; tags (`convert_tags`);
- widgets -> panels (`panels.py`, `queries.py`), layout -> Grids (`layouts.py`), variables
  (`variables.py`);
- failures: the input is already v6; a field has the wrong JSON type, an unknown variable type
  or query type, a builder query without its `builder` object (`shape.py`); the result breaks
  the v6 checks. Each raises `SchemaError` naming the JSON path.

Two things are ours, not SigNoz's. SigNoz names a converted dashboard slug(title) + "-" + 8 random
characters, so converting twice makes two dashboards; we name it with the slug alone (or the
`name` the caller passes), so the same input always gives the same body. And the result is
checked by our strict v6 models, which are stricter than the server in a few places (see
`signoz_dac.signoz.v6`).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import urllib.parse
from typing import Any

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.names import MAX_TAG_LEN, RESERVED_TAG_KEYS, dns_label_problem
from signoz_dac.signoz.v6.checks import image_problem

from .layouts import convert_layouts, retain_placed_widgets
from .panels import convert_panels, panel_key
from .read import as_dict, as_list, as_text
from .shape import malformed
from .variables import convert_variables, unknown_types
from .vocabulary import MAX_TITLE, QUERY_TYPES, clip

DEFAULT_ICON = "/assets/Icons/eight-ball"
# SigNoz's preset dashboard icons are base64 SVG data URIs in v5; the server maps each to its
# icon path (`perses_v1_to_v2_icons.go`). We know two of them, identified by the SHA-256 of the
# data URI rather than carrying SigNoz's images; another preset stays a (valid) data URI.
PRESET_ICONS: dict[str, str] = {
    "d1a4218f92792e8685d9080fa7ed82edc533c1b0b6294eed8d29806599915d3d": "avocado",
    "3b531409faaffc916090db3fd9f974af34851ee974f65fa7afc8befc6cbe3a69": "eight-ball",
}

# --- image --------------------------------------------------------------------------------------

_INLINE_SVG = re.compile(r"data:image/svg\+xml((?:;[^,;]*)*),(.*)", re.DOTALL)


def reencode_inline_svg(image: str) -> tuple[str, bool]:
    """A percent-encoded inline SVG data URI as base64 (the v6 schema only takes base64), and
    whether it was rewritten."""
    match = _INLINE_SVG.fullmatch(image)
    if not match or "base64" in (p.strip().lower() for p in match.group(1).split(";")):
        return image, False
    data = urllib.parse.unquote_to_bytes(match.group(2))
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode(), True


def resolve_image(image: str) -> str:
    if not image:
        return ""
    image, _ = reencode_inline_svg(image)
    preset = PRESET_ICONS.get(hashlib.sha256(image.encode()).hexdigest())
    if preset:
        return f"/assets/Icons/{preset}"
    return image if image_problem(image) is None else DEFAULT_ICON


# --- tags ---------------------------------------------------------------------------------------

_KEY_PART = re.compile(r"[A-Za-z0-9_-]+")
_VALUE_PART = re.compile(r"[A-Za-z0-9_.-]+")
_KEY_START = re.compile(r"[a-zA-Z$_@{#]")
DEFAULT_TAG_KEY = "tag"


def _mold(text: str, part: re.Pattern[str]) -> str:
    # Runs of characters a tag cannot hold become one "_"; none at either end.
    return "_".join(part.findall(text))


def _mold_key(text: str) -> str:
    key = _mold(text, _KEY_PART)
    return f"_{key}" if key and not _KEY_START.match(key) else key


def convert_tag(tag: str) -> dict[str, str] | None:
    """One v5 tag string -> `{key, value}`: split at the first ':' (else '/'); a single part is
    the value of key "tag"; characters a v6 tag cannot hold are molded away; a side that molds to
    nothing leaves the other as the value of key "tag"; a reserved key gets a '_' prefix."""
    tag = tag.strip()
    separator = ":" if ":" in tag else "/" if "/" in tag else None
    if separator is None:
        key, value = DEFAULT_TAG_KEY, _mold(tag, _VALUE_PART)
    else:
        left, right = tag.split(separator, 1)
        key, value = _mold_key(left), _mold(right, _VALUE_PART)
        if not key or not value:
            key, value = DEFAULT_TAG_KEY, value or _mold(left, _VALUE_PART)
    if not value:
        return None
    if key.lower() in RESERVED_TAG_KEYS:
        key = f"_{key}"
    return {"key": key[:MAX_TAG_LEN], "value": value[:MAX_TAG_LEN]}


def convert_tags(tags: Any) -> list[dict[str, str]] | None:
    """v5 tag strings -> v6 tags, without case-insensitive duplicates (the first wins)."""
    if tags is None:
        return None
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for raw in as_list(tags):
        tag = convert_tag(as_text(raw))
        if tag is None:
            continue
        identity = (tag["key"].lower(), tag["value"].lower())
        if identity not in seen:
            seen.add(identity)
            out.append(tag)
    return out


# --- name ---------------------------------------------------------------------------------------


def name_from_title(title: str) -> str:
    """A DNS-1123 label from a title: "LiveKit voice agent" -> "livekit-voice-agent"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:63].rstrip("-")


# --- the dashboard ------------------------------------------------------------------------------


def is_v6(body: dict[str, Any]) -> bool:
    """A v6 body (`schemaVersion`) or a stored v6 row (`{metadata: {schemaVersion}, spec}`)."""
    return "schemaVersion" in body or "schemaVersion" in as_dict(body.get("metadata"))


def _query_type_issues(widgets: Any) -> list[Issue]:
    issues = []
    for i, widget in enumerate(as_list(widgets)):
        query = as_dict(as_dict(widget).get("query"))
        query_type = as_text(query.get("queryType"))
        path = f"widgets[{i}].query"
        if query_type and query_type not in QUERY_TYPES:
            issues.append(Issue(f"{path}.queryType", f"unknown query type {query_type!r}; one of: {', '.join(QUERY_TYPES)}"))
        elif query_type == "builder" and not isinstance(query.get("builder"), dict):
            issues.append(Issue(f"{path}.builder", "a builder query needs its 'builder' object"))
    return issues


def _name(title: str, name: str | None) -> tuple[str, list[Issue]]:
    if name is not None:
        problem = dns_label_problem(name) or ("must not be empty" if not name else None)
        return name, [Issue("name", problem)] if problem else []
    derived = name_from_title(title)
    if derived:
        return derived, []
    return "", [Issue("title", "cannot derive a dashboard name from this title; pass a name (a DNS-1123 label)")]


def _origin(path: str, widget_index: dict[str, int]) -> str:
    """For an issue in the result, the widget it came from: ' (from widgets[3])'."""
    parts = path.split(".")
    if len(parts) > 2 and parts[:2] == ["spec", "panels"]:
        key = parts[2].strip('"')
        if key in widget_index:
            return f" (from widgets[{widget_index[key]}])"
    return ""


def convert_v5_to_v6(body: Any, *, name: str | None = None, source: str | None = None) -> dict[str, Any]:
    """The v6 body (POST /api/v2/dashboards) SigNoz's conversion makes of a v5 dashboard.

    - `name`: the dashboard's name; by default a DNS-1123 slug of the title.
    - `source`: the file the body came from, for error messages.

    Raises `SchemaError` (an `InputError`) carrying every problem at its JSON path: in the v5
    input when it cannot be read, in the v6 result when the result breaks the v6 checks.
    """
    if not isinstance(body, dict):
        raise SchemaError([Issue("", "a v5 dashboard must be a JSON object")], source)
    if is_v6(body):
        raise SchemaError([Issue("schemaVersion", "the dashboard is already in the v6 format; nothing to convert")], source)
    issues = malformed(body) + _query_type_issues(body.get("widgets")) + unknown_types(body.get("variables"))
    title = as_text(body.get("title"))
    name, name_issues = _name(title, name)
    if issues or name_issues:
        raise SchemaError(issues + name_issues, source)
    panels = convert_panels(retain_placed_widgets(body))
    result = {
        "schemaVersion": "v6",
        "name": name,
        "image": resolve_image(as_text(body.get("image"))),
        "tags": convert_tags(body.get("tags")) or [],
        "spec": {
            "display": {"name": clip(title, MAX_TITLE), "description": as_text(body.get("description"))},
            "variables": convert_variables(body.get("variables"), strip_spaces=body.get("version") != "v5"),
            "panels": panels,
            "layouts": convert_layouts(body, panels),
            "duration": "",
            "refreshInterval": "",
            "links": [],
        },
    }
    _validate(result, body, source)
    return result


def _validate(result: dict[str, Any], body: dict[str, Any], source: str | None) -> None:
    from signoz_dac.signoz.v6 import parse_dashboard

    try:
        parse_dashboard(result, source=source)
    except SchemaError as exc:
        widget_index: dict[str, int] = {}
        for i, widget in enumerate(as_list(body.get("widgets"))):
            widget_index.setdefault(panel_key(as_text(as_dict(widget).get("id"))), i)
        issues = [
            Issue(i.path, f"after conversion: {i.message}{_origin(i.path, widget_index)}", i.location) for i in exc.issues
        ]
        raise SchemaError(issues, source) from None

