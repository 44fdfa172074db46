"""`with_defaults`: fill every omitted dashboard enum with the value SigNoz applies.

Used to canonicalise before diffing: our body omits `timePreference`, the server may return
`"global_time"`; both sides through `with_defaults` compare equal. Only enums are filled (see
enums.ENUM_DEFAULTS); where an enum's parent object is absent it is created, because the server
treats an absent object like an empty one, so this is symmetric and idempotent. Values that are
present, including wrong ones, are left alone: validation is parse_dashboard's job.
"""

from __future__ import annotations

import copy
from typing import Any

from .enums import ENUM_DEFAULTS

# Which defaulted enum groups each panel kind has (reference §3.3).
_PANEL_PARTS: dict[str, tuple[str, ...]] = {
    "signoz/TimeSeriesPanel": ("visualization", "formatting", "chartAppearance", "legend"),
    "signoz/BarChartPanel": ("visualization", "formatting", "legend"),
    "signoz/NumberPanel": ("visualization", "formatting", "comparisonThresholds"),
    "signoz/PieChartPanel": ("visualization", "formatting", "legend"),
    "signoz/TablePanel": ("visualization", "formatting", "comparisonThresholds"),
    "signoz/HistogramPanel": ("legend",),
    "signoz/ListPanel": (),
}


def _fill(obj: dict[str, Any], parent: str, field: str, default_key: str) -> None:
    """obj[parent][field] = default when absent, creating obj[parent] if it is absent."""
    if parent not in obj:
        obj[parent] = {}
    target = obj[parent]
    if isinstance(target, dict) and field not in target:
        target[field] = ENUM_DEFAULTS[default_key]


def _panel(panel: Any) -> None:
    if not isinstance(panel, dict) or not isinstance(panel.get("spec"), dict):
        return
    plugin = panel["spec"].get("plugin")
    if not isinstance(plugin, dict) or plugin.get("kind") not in _PANEL_PARTS:
        return
    spec = plugin.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    for part in _PANEL_PARTS[plugin["kind"]]:
        if part == "comparisonThresholds":
            for threshold in spec.get("thresholds") or []:
                if isinstance(threshold, dict):
                    threshold.setdefault("operator", ENUM_DEFAULTS["thresholds[].operator"])
                    threshold.setdefault("format", ENUM_DEFAULTS["thresholds[].format"])
            continue
        for key in ENUM_DEFAULTS:
            if key.startswith(part + "."):
                _fill(spec, part, key.split(".", 1)[1], key)


def _variable(var: Any) -> None:
    if not isinstance(var, dict) or var.get("kind") != "ListVariable" or not isinstance(var.get("spec"), dict):
        return
    spec = var["spec"]
    spec.setdefault("sort", ENUM_DEFAULTS["ListVariable.sort"])
    plugin = spec.get("plugin")
    if isinstance(plugin, dict) and plugin.get("kind") == "signoz/DynamicVariable" and isinstance(plugin.get("spec"), dict):
        plugin["spec"].setdefault("signal", ENUM_DEFAULTS["DynamicVariable.signal"])


def with_defaults(body: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a dashboard body with every omitted enum set to SigNoz's default."""
    out = copy.deepcopy(body)
    spec = out.get("spec") if isinstance(out, dict) else None
    if not isinstance(spec, dict):
        return out
    panels = spec.get("panels")
    if isinstance(panels, dict):
        for panel in panels.values():
            _panel(panel)
    for var in spec.get("variables") or []:
        _variable(var)
    return out
