"""Generic models as the templates read them.

A `View` wraps one generic model (a panel, a query, a legend, ...) with the dashboard's style and
where the object sits. Reading an option gives what the body gets: the value the definition set,
the style's default, or `OMIT` (the templates test `is omitted` and leave the field out). Sub-models
come back as views too. A few attributes are derived rather than stored (a panel's plugin kind,
the request type its kind implies, its query entries); `DERIVED` lists them per model, and a test
checks that the templates read nothing else and leave nothing unread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from signoz_dac.definitions.generic.model import Omittable, child_context, resolve, submodel
from signoz_dac.definitions.generic.panels import PLUGINS, REQUEST_TYPE, GenericPanel
from signoz_dac.definitions.generic.queries import ENTRY_TYPES, ENVELOPE_TYPES, PLUGIN_KINDS, entry_tag
from signoz_dac.definitions.generic.style import OMIT, PRESENT, Context
from signoz_dac.definitions.generic.variables import ListOptions
from signoz_dac.definitions.variables import TextVariable


class View:
    """One generic model resolved for a template; `extra` adds attributes the render assembled."""

    __slots__ = ("_context", "_extra", "_model", "_read", "_style")

    def __init__(self, model: Omittable, style: str, context: Context, extra: dict[str, Any] | None = None):
        self._model = model
        self._style = style
        self._context = context
        self._extra = extra or {}
        self._read: dict[str, Any] = {}  # options already resolved: templates read some several times

    @property
    def model(self) -> Omittable:
        return self._model

    def __getattr__(self, name: str) -> Any:
        if name in self._extra:
            return self._extra[name]
        derive = _derived(type(self._model)).get(name)
        if derive is not None:
            return derive(self)
        if name not in _options(type(self._model)):
            raise AttributeError(name)
        return self.option(name)

    def option(self, name: str) -> Any:
        """Option `name` as the body gets it (OMIT when left out)."""
        if name not in self._read:
            value = resolve(self._model, name, self._style, self._context)
            if value is PRESENT:
                value = submodel(type(self._model), name)()
            self._read[name] = self._wrap(name, value)
        return self._read[name]

    def _wrap(self, name: str, value: Any) -> Any:
        if isinstance(value, Omittable):
            return View(value, self._style, child_context(self._context, name, type(value)))
        if isinstance(value, list):
            return [self._wrap(name, item) for item in value]
        return value

    def child(self, model: Omittable, context: Context, extra: dict[str, Any] | None = None) -> View:
        return View(model, self._style, context, extra)

    def __repr__(self) -> str:
        return f"View({type(self._model).__name__}, {self._context})"


@cache
def _options(model: type[Omittable]) -> frozenset[str]:
    """The options a view of `model` reads: its fields but `omit` (which names the ones left out)."""
    return frozenset(model.model_fields) - {"omit"}


@cache
def _derived(model: type) -> dict[str, Callable[[View], Any]]:
    """The derived attributes of a model's views, its base classes' included."""
    out: dict[str, Callable[[View], Any]] = {}
    for cls in reversed(model.__mro__):
        out.update(DERIVED.get(cls, {}))
    return out


def panel_key(panel: GenericPanel) -> str:
    """A generic panel's key in SigNoz: its `id`, else its title as a slug (`Tool calls` → `tool-calls`)."""
    if panel.id is not None:
        return panel.id
    return re.sub(r"[^a-z0-9]+", "-", panel.title.lower()).strip("-")[:75] or "panel"


def _panel_entries(view: View) -> list[View]:
    panel: GenericPanel = view.model  # type: ignore[assignment]
    qualifier = "composite" if _is_composite(panel) else None
    return [view.child(entry, (entry.style_key, qualifier)) for entry in panel.entries]


def _is_composite(panel: GenericPanel) -> bool:
    return panel.composite if panel.composite is not None else len(panel.entries) > 1


def _query_plugin(view: View) -> str:
    panel: GenericPanel = view.model  # type: ignore[assignment]
    return "signoz/CompositeQuery" if _is_composite(panel) else PLUGIN_KINDS[entry_tag(panel.entries[0])]  # type: ignore[index]


def _request_type(view: View) -> Any:
    panel: GenericPanel = view.model  # type: ignore[assignment]
    return panel.request_type if panel.request_type is not None else REQUEST_TYPE[panel.kind]


def _display_name(view: View) -> Any:
    """A variable's display name: its title, else its name; left out only when `omit`ted."""
    model = view.model
    return OMIT if "title" in model.omit else (model.name if model.title is None else model.title)  # type: ignore[attr-defined]


def _entry(table: dict[str, str]) -> Callable[[View], str]:
    return lambda view: table[entry_tag(view.model)]  # type: ignore[index]


_ENTRY_DERIVED: dict[str, Callable[[View], Any]] = {
    "envelope_type": _entry(ENVELOPE_TYPES),  # its `type` in a composite
    "plugin_kind": _entry(PLUGIN_KINDS),  # its query plugin when alone
}
DERIVED: dict[type, dict[str, Callable[[View], Any]]] = {
    GenericPanel: {
        "plugin": lambda v: PLUGINS[v.model.kind],  # type: ignore[attr-defined]
        "request_type": _request_type,
        "query_plugin": _query_plugin,
        "entries": _panel_entries,
    },
    **{cls: _ENTRY_DERIVED for cls in set(ENTRY_TYPES.values())},
    ListOptions: {"display_name": _display_name},
    TextVariable: {"display_name": _display_name},
}
