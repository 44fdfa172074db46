"""What differs between the server's copy and ours: a per-panel (for a rule: per-part) summary and a
unified diff.

Both sides are canonicalised first (and the content-hash tag or label left out), so only real
changes show. Which kind a body is, its shape says (`signoz.reading.is_rule`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.identity import HASH_LABEL, HASH_TAG
from signoz_dac.signoz.reading import is_rule
from signoz_dac.sync.canonical import canonical, canonical_json

_NO_HASH = frozenset({HASH_TAG, HASH_LABEL})  # the content-hash tag (dashboards) and label (rules)
# The parts of a rule a summary names one level deeper, e.g. `condition.thresholds`.
_RULE_SECTIONS = ("condition", "evaluation", "notificationSettings", "labels", "annotations")


@dataclass(frozen=True)
class PanelChange:
    key: str
    title: str
    change: str  # added | removed | changed
    parts: tuple[str, ...] = ()  # for a change: which parts (display, plugin, queries, links, layout)

    def __str__(self) -> str:
        mark = {"added": "+", "removed": "-", "changed": "~"}[self.change]
        parts = f" ({', '.join(self.parts)})" if self.parts else ""
        return f"{mark} panel {self.key} {self.title!r}: {self.change}{parts}"


@dataclass
class Summary:
    panels: list[PanelChange] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # e.g. "spec.variables", "tags"


def summarize(current: dict[str, Any] | None, desired: dict[str, Any]) -> Summary:
    """What differs from `current` (None: not on the server) to `desired`: for a dashboard per panel
    and top-level part, for an alert rule per part."""
    return _rule_parts(current, desired) if is_rule(desired) else _dashboard_parts(current, desired)


def _dashboard_parts(current: dict[str, Any] | None, desired: dict[str, Any]) -> Summary:
    old = canonical(current, drop=_NO_HASH, rule=False) if current else {"spec": {}}
    new = canonical(desired, drop=_NO_HASH, rule=False)
    old_panels, new_panels = old["spec"].get("panels") or {}, new["spec"].get("panels") or {}
    old_places, new_places = _placements(old), _placements(new)
    summary = Summary()
    for key in sorted(old_panels.keys() | new_panels.keys()):
        if key not in old_panels:
            summary.panels.append(PanelChange(key, _title(new_panels[key]), "added"))
        elif key not in new_panels:
            summary.panels.append(PanelChange(key, _title(old_panels[key]), "removed"))
        else:
            a, b = old_panels[key].get("spec", {}), new_panels[key].get("spec", {})
            parts = [part for part in sorted(a.keys() | b.keys()) if a.get(part) != b.get(part)]
            if old_places.get(key) != new_places.get(key):
                parts.append("layout")
            if parts:
                summary.panels.append(PanelChange(key, _title(new_panels[key]), "changed", tuple(parts)))
    if current:
        for part in sorted(old["spec"].keys() | new["spec"].keys()):
            if part not in ("panels", "layouts") and old["spec"].get(part) != new["spec"].get(part):
                summary.other.append(f"spec.{part}")
        if _sections(old) != _sections(new):
            summary.other.append("spec.layouts")
        for part in sorted((old.keys() | new.keys()) - {"spec"}):
            if old.get(part) != new.get(part):
                summary.other.append(part)
    return summary


def _rule_parts(current: dict[str, Any] | None, desired: dict[str, Any]) -> Summary:
    """Which parts of a rule differ (`condition.thresholds`, `labels.severity`, `disabled`...).
    Nothing on the server: an empty summary (the unified diff shows the whole rule)."""
    summary = Summary()
    if not current:
        return summary
    old = canonical(current, drop=_NO_HASH, rule=True)
    new = canonical(desired, drop=_NO_HASH, rule=True)
    for part in sorted(old.keys() | new.keys()):
        a, b = old.get(part), new.get(part)
        if a == b:
            continue
        if part in _RULE_SECTIONS and isinstance(a or {}, dict) and isinstance(b or {}, dict):
            a, b = a or {}, b or {}
            summary.other.extend(f"{part}.{key}" for key in sorted(a.keys() | b.keys()) if a.get(key) != b.get(key))
        else:
            summary.other.append(part)
    return summary


def unified_diff(current: dict[str, Any] | None, desired: dict[str, Any], name: str) -> str:
    """A unified diff of canonical JSON, server copy first (like `kubectl diff`)."""
    rule = is_rule(desired)

    def text(body: dict[str, Any]) -> list[str]:
        return canonical_json(canonical(body, drop=_NO_HASH, rule=rule), indent=2).splitlines()

    old = text(current) if current else []
    new = text(desired)
    lines = difflib.unified_diff(old, new, fromfile=f"signoz/{name}", tofile=f"local/{name}", lineterm="")
    return "\n".join(lines)


def _title(panel: dict[str, Any]) -> str:
    return str(panel.get("spec", {}).get("display", {}).get("name", ""))


def _placements(body: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """panel key -> (section index, x, y, width, height)."""
    places: dict[str, tuple[Any, ...]] = {}
    for index, layout in enumerate(body["spec"].get("layouts") or []):
        for item in layout.get("spec", {}).get("items") or []:
            key = str(item.get("content", {}).get("$ref", "")).rsplit("/", 1)[-1]
            places[key] = (index, item.get("x"), item.get("y"), item.get("width"), item.get("height"))
    return places


def _sections(body: dict[str, Any]) -> list[Any]:
    """The layouts without their items (section titles, collapse state, repeat variables)."""
    return [
        {k: v for k, v in layout.get("spec", {}).items() if k != "items"}
        for layout in body["spec"].get("layouts") or []
    ]
