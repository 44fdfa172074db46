"""The templates and the views they read agree, checked on the templates' source:

- every attribute a template reads exists on the view it reads it from (a model option, or an
  attribute the render derives or adds), so a renamed option cannot fail only at render time;
- every option of every generic model that has a place in the body is read by some template, and
  every field of the render's own views (grid items, alert rules and their levels) too, so a value
  cannot be accepted or computed and then silently dropped;
- every name a template uses is one the render passes in (or a template sets);
- each ClickHouse SQL template reads exactly the fields of its view (render/views.py).

`VIEWS` names what each template variable holds; it is the contract.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import pytest
from jinja2 import meta, nodes

from signoz_dac.definitions.dashboard import Dashboard, Section
from signoz_dac.definitions.generic.fields import FieldKey, OrderBy
from signoz_dac.definitions.generic.model import Omittable, body_path, is_option, submodel
from signoz_dac.definitions.generic.panels import ChartAppearance, Link, PromqlPanel, QueryPanel, SqlPanel, Threshold
from signoz_dac.definitions.generic.queries import (
    ENTRY_TYPES,
    Aggregation,
    Function,
    FunctionArg,
    MetricAggregation,
    SecondaryAggregation,
)
from signoz_dac.definitions.generic.variables import CustomVariable, QueryVariable
from signoz_dac.definitions.variables import DynamicVariable, TextVariable
from signoz_dac.render.alerts.views import LevelView, RuleView
from signoz_dac.render.environment import environment
from signoz_dac.render.generic import DERIVED
from signoz_dac.render.views import SQL_VIEWS, Item
from signoz_dac.resources import templates_dir

ENTRIES = tuple(set(ENTRY_TYPES.values()))
# What each template variable holds: the models it may be, and the attributes the render adds.
VIEWS: dict[str, tuple[tuple[type, ...], frozenset[str]]] = {
    "dashboard": ((Dashboard,), frozenset({"tags", "variables", "panels", "sections"})),  # pipeline.render_traced
    "section": ((Section,), frozenset({"items"})),
    "item": ((Item,), frozenset()),
    "variable": ((DynamicVariable, QueryVariable, CustomVariable, TextVariable), frozenset()),
    "panel": ((QueryPanel, SqlPanel, PromqlPanel), frozenset({"key"})),
    "query": ((QueryPanel, SqlPanel, PromqlPanel, RuleView), frozenset()),  # what holds the entries of a composite
    "q": ((*ENTRIES, SecondaryAggregation), frozenset()),
    "s": ((SecondaryAggregation,), frozenset()),
    "f": ((FieldKey,), frozenset()),
    "o": ((OrderBy,), frozenset()),
    "fn": ((Function,), frozenset()),
    "arg": ((FunctionArg,), frozenset()),
    "a": ((Aggregation, MetricAggregation), frozenset()),
    "t": ((Threshold,), frozenset()),
    "link": ((Link,), frozenset()),
    "c": ((ChartAppearance,), frozenset()),
    "rule": ((RuleView,), frozenset()),  # alerts/pipeline.render_alerts_traced
    "level": ((LevelView,), frozenset()),
}
# Names a template gets from the template that includes it (with, set, for) or from Jinja.
PASSED = {"s", "links", "fields", "orders", "functions", "aggregations", "plugin", "plugin_spec", "joiner", "field"}
OWN = ("dashboard.json.j2", "layout.json.j2", "panels", "queries", "variables", "alerts")


def _templates() -> list[str]:
    root = templates_dir()
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.j2")
        if p.relative_to(root).parts[0] in OWN
    )


def _ast(name: str) -> nodes.Template:
    return environment().parse((templates_dir() / name).read_text(encoding="utf-8"))  # knows the render's filters


def _allowed(models: tuple[type, ...], extra: frozenset[str]) -> set[str]:
    names = set(extra)
    for model in models:
        if isinstance(model, type) and issubclass(model, Omittable):
            names |= set(model.model_fields) - {"omit"}
            for cls in model.__mro__:
                names |= set(DERIVED.get(cls, {}))
        else:
            names |= {f.name for f in dataclass_fields(model)}
    return names


def _reads(template: nodes.Template) -> list[tuple[tuple[type, ...], set[str], str, str]]:
    """(models the object may be, the attributes it has, attribute, expression) for each attribute
    read, following chains (`panel.legend.position` reads `position` of a Legend)."""
    out = []
    for node in template.find_all(nodes.Getattr):
        chain = []
        inner: nodes.Node = node
        while isinstance(inner, nodes.Getattr):
            chain.append(inner.attr)
            inner = inner.node
        if not isinstance(inner, nodes.Name) or inner.name not in VIEWS or _is_inner(node, template):
            continue
        models, extra = VIEWS[inner.name]
        chain.reverse()
        where = inner.name
        for attr in chain:
            allowed = _allowed(models, extra)
            out.append((models, allowed, attr, f"{where}.{attr}"))
            if attr not in allowed:
                break
            models = tuple(sub for m in models if isinstance(m, type) and issubclass(m, Omittable) and attr in m.model_fields
                           for sub in _submodels(m, attr))
            extra = frozenset()
            where = f"{where}.{attr}"
            if not models:
                break
    return out


def _is_inner(node: nodes.Getattr, template: nodes.Template) -> bool:
    """Is `node` the object of a longer chain (read through its parent instead)?"""
    return any(isinstance(parent, nodes.Getattr) and parent.node is node for parent in template.find_all(nodes.Getattr))


def _submodels(model: type, attr: str) -> tuple[type, ...]:
    try:
        return (submodel(model, attr),)
    except TypeError:
        return ()


@pytest.mark.parametrize("name", _templates())
def test_every_attribute_a_template_reads_exists(name):
    for _, allowed, attr, expression in _reads(_ast(name)):
        assert attr in allowed, f"{name} reads {expression}, which no view has"


def _declared(template: nodes.Template) -> set[str]:
    """Names the template sets itself: set, for, with, macro arguments, imports."""
    names = set()
    for node in template.find_all((nodes.Assign, nodes.For, nodes.With, nodes.Macro, nodes.Import)):
        if isinstance(node, nodes.Import):
            names.add(node.target)
            continue
        targets = node.targets if isinstance(node, nodes.With) else [getattr(node, "target", None)]
        for target in targets:
            names |= {n.name for n in target.find_all(nodes.Name)} if target is not None else set()
            if isinstance(target, nodes.Name):
                names.add(target.name)
        if isinstance(node, nodes.Macro):
            names |= {a.name for a in node.args} | {node.name}
    return names


@pytest.mark.parametrize("name", _templates())
def test_every_name_a_template_uses_is_passed_in(name):
    template = _ast(name)
    unknown = meta.find_undeclared_variables(template) - _declared(template) - set(VIEWS) - PASSED
    assert not unknown, f"{name} uses {sorted(unknown)}, which no template or render passes in"


def _generic_models() -> set[type]:
    found: set[type] = set()
    pending = [m for models, _ in VIEWS.values() for m in models if isinstance(m, type) and issubclass(m, Omittable)]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for attr in model.model_fields:
            pending += list(_submodels(model, attr))
    return found


def test_every_option_with_a_place_in_the_body_is_read_by_a_template():
    read = _all_reads()
    unread = sorted(
        f"{model.__name__}.{attr}"
        for model in _generic_models()
        for attr in model.model_fields
        if (body_path(model, attr) or is_option(model, attr)) and (model, attr) not in read
    )
    assert unread == []


def _all_reads() -> set[tuple[type, str]]:
    read: set[tuple[type, str]] = set()
    for name in _templates():
        for models, _, attr, _ in _reads(_ast(name)):
            read |= {(m, attr) for m in models}
    return read


def test_every_field_of_the_renders_own_views_is_read_by_a_template():
    """Grid items, alert rules and their levels are plain data the render computes for a template:
    a field no template reads is a value the render works out for nothing."""
    read = _all_reads()
    views = {m for models, _ in VIEWS.values() for m in models if not issubclass(m, Omittable)}
    assert views == {Item, RuleView, LevelView}
    unread = sorted(f"{view.__name__}.{f.name}" for view in views for f in dataclass_fields(view) if (view, f.name) not in read)
    assert unread == []


def test_the_attributes_the_render_adds_are_the_ones_the_contract_names(monkeypatch):
    """`VIEWS` says which attributes the pipeline adds to a view (`extra`); check that against what
    it really passes, on a definition with a section, a variable and panels."""
    from pathlib import Path

    from signoz_dac.definitions import load_definition
    from signoz_dac.render import pipeline
    from signoz_dac.render.generic import View

    added: dict[str, set[str]] = {}
    real = pipeline.render_json

    def spy(env, name, **values):
        dashboard = values["dashboard"]
        added["dashboard"] = set(dashboard._extra)
        added["section"] = {k for s in dashboard.sections for k in s._extra}
        added["panel"] = {k for p in dashboard.panels for k in p._extra}
        added["variable"] = {k for v in dashboard.variables for k in v._extra}
        assert all(isinstance(v, View) for v in dashboard.variables + dashboard.panels + dashboard.sections)
        return real(env, name, **values)

    monkeypatch.setattr(pipeline, "render_json", spy)
    pipeline.render_traced(load_definition(Path(__file__).parent / "kitchen_sink.yaml"))
    assert added == {name: set(VIEWS[name][1]) for name in added}


# -- ClickHouse SQL templates -------------------------------------------------------------------
# A partial over the finished conversations reads these only when the template including it sets them.
SET_BY_THE_INCLUDER = {"per_call", "extra_spans"}


def _sql_names(name: str) -> set[str]:
    """The names a SQL template and the templates it includes read, less those they set."""
    used: set[str] = set()
    declared: set[str] = set()
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        template = _ast(current)
        used |= meta.find_undeclared_variables(template)
        declared |= _declared(template)
        pending += [n for n in meta.find_referenced_templates(template) if n]
    return used - declared - SET_BY_THE_INCLUDER - PASSED


@pytest.mark.parametrize("view", SQL_VIEWS, ids=lambda v: v.__name__)
def test_each_sql_template_reads_exactly_its_views_fields(view):
    assert _sql_names(view.template) == {f.name for f in dataclass_fields(view)}


def test_every_sql_template_has_a_view():
    root = templates_dir()
    sql = {p.relative_to(root).as_posix() for p in (root / "sql").glob("*.j2") if not p.name.startswith("_")}
    assert sql == {view.template for view in SQL_VIEWS}


def test_the_contract_sees_a_misspelt_option():
    """The check itself works: a template reading an option that does not exist is caught."""
    bad = _ast("panels/_legend.json.j2")
    for node in bad.find_all(nodes.Getattr):
        if node.attr == "position":
            node.attr = "postion"
    problems = [expression for _, allowed, attr, expression in _reads(bad) if attr not in allowed]
    assert problems == ["panel.legend.postion"]
