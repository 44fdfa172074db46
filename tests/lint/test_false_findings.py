"""The false findings measured on real v6 dashboards (issue 10), one minimal case each: all of
these are fine in SigNoz, and lint must stay quiet about them."""

from __future__ import annotations

import pytest

from signoz_dac.lint import lint_dashboard
from tests.lint.helpers import (
    TIME_FILTER,
    builder,
    builder_panel,
    composite_panel,
    dashboard,
    dynamic_var,
    key,
    panel,
    query,
    sql_panel,
)


def rules_of(body, **kw) -> set[str]:
    return {f.check for f in lint_dashboard(body, **kw)}


def test_an_empty_field_context_on_a_group_by_key() -> None:
    body = dashboard({"p": builder_panel("Calls", group_by=[key("service.name", "")], legend="{{service.name}}")})
    assert "field-context-resource" not in rules_of(body)


def _metrics(order_key: str) -> dict:
    spec = {
        "name": "A", "signal": "metrics", "filter": {"expression": ""},
        "aggregations": [{"metricName": "m", "timeAggregation": "increase", "spaceAggregation": "sum"}],
        "order": [{"key": {"name": order_key}, "direction": "desc"}],
    }  # fmt: skip
    return dashboard({"p": panel("Requests", queries=[query("time_series", "signoz/BuilderQuery", spec)])})


def test_schema_accepts_the_metrics_order_key_space_of_time_of_metric() -> None:
    assert "schema" not in rules_of(_metrics("sum(increase(m))"))


def test_schema_accepts_a_query_kind_that_differs_from_the_panels() -> None:
    body = dashboard({"p": panel("Calls", "signoz/NumberPanel", queries=[query("time_series", "signoz/BuilderQuery", builder())])})
    assert "schema" not in rules_of(body)


@pytest.mark.parametrize("expression", ["sum(a)+sum(b)", "sum(bytes) / count()", "countIf(has_error = true) * 100 / count()"])
def test_arithmetic_between_aggregations_is_one_aggregation(expression: str) -> None:
    body = dashboard({"p": builder_panel("Bytes", expr=expression, signal="logs")})
    assert not rules_of(body) & {"schema", "aggregation-packed", "aggregation-arguments", "aggregation-unknown-function"}


def test_a_variable_name_with_dots_is_one_variable() -> None:
    variables = [dynamic_var("k8s.cluster.name", "k8s.cluster.name")]
    sql = (f"SELECT count() FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} "
           "AND ('__all__' IN $k8s.cluster.name OR resources_string['k8s.cluster.name'] IN $k8s.cluster.name)")  # fmt: skip
    body = dashboard(
        {
            "a": builder_panel("Builder", filt="k8s.cluster.name IN $k8s.cluster.name"),
            "b": sql_panel("SQL", sql),
        },
        variables,
    )
    found = rules_of(body)
    assert "variable-undefined" not in found and "variable-unused" not in found


def test_a_number_tile_and_a_chart_of_one_metric_share_a_title() -> None:
    body = dashboard(
        {"tile": builder_panel("Error rate", plugin="signoz/NumberPanel"), "chart": builder_panel("Error rate")}
    )
    assert "panel-title-duplicate" not in rules_of(body)


def test_panels_in_different_sections_may_share_a_title() -> None:
    body = dashboard({"a": builder_panel("Latency"), "b": builder_panel("Latency")})
    items = body["spec"]["layouts"][0]["spec"]["items"]
    body["spec"]["layouts"] = [
        {"kind": "Grid", "spec": {"display": {"title": "STT"}, "items": [items[0]]}},
        {"kind": "Grid", "spec": {"display": {"title": "TTS"}, "items": [items[1]]}},
    ]
    assert "panel-title-duplicate" not in rules_of(body)


def test_a_ratio_of_different_things_is_not_a_fraction() -> None:
    body = dashboard(
        {
            "p": composite_panel(
                "LLM calls per run",
                [
                    {"type": "builder_query", "spec": builder(filt="name = 'llm'", name="A", disabled=True)},
                    {"type": "builder_query", "spec": builder(filt="name = 'run'", name="B", disabled=True)},
                    {"type": "builder_formula", "spec": {"name": "F1", "expression": "A / B", "legend": "calls per run"}},
                ],
                unit="none",
            )
        }
    )
    assert "panel-unit-ratio" not in rules_of(body)
