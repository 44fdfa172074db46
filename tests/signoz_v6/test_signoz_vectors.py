"""SigNoz v0.138's own validation test cases (../shared/fixtures/signoz-vectors, SigNoz's Go unit tests as
JSON) through our models: each case valid or invalid as SigNoz says, and where SigNoz names what is
wrong, our issue sits at that JSON path (our wording is our own).

How each file's metadata is honoured:
- dashboards: `shape` "spec" is a bare DashboardSpec (parse_spec; paths relative to the spec),
  "dashboard" a whole body decoded as POST or PUT after its `entry`.
- rules: `stage` "validate" is a write (decode, then Validate: parse_rule), "unmarshal" only the
  decode every read runs (parse_rule(decode_only=True)); `unmarshal_ok` / `validate_ok` are checked
  stage by stage where the test asserted them.
- queries: `context` "any" is what CompositeQuery.Validate (or the strict decoder, `stage` decode)
  decides for a request type, which dashboards run with the panel query's kind and rules with
  time_series: so it is checked directly, in a dashboard panel of that kind, and in a rule. The other
  contexts are not checked when a dashboard or rule is saved, and each test says what that means
  for us: "query_range" (request-level checks) and "query_execution" (trace-operator expressions,
  parsed when the query runs) and "not_enforced" (a check nothing calls) are accepted on save.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from signoz_dac.errors import InputError, SchemaError
from signoz_dac.signoz.rules import parse_rule
from signoz_dac.signoz.v6 import parse_dashboard, parse_spec
from signoz_dac.signoz.v6.query_checks import parse_composite
from signoz_dac.sources import read_json
from tests.conftest import SHARED, require_shared

VECTORS = SHARED / "fixtures" / "signoz-vectors"


def _load(name: str) -> list[dict[str, Any]]:
    path = VECTORS / name
    return json.loads(path.read_text()) if path.is_file() else []


DASHBOARDS = _load("dashboard-validation.json")
RULES = _load("rule-validation.json")
QUERIES = _load("query-validation.json")


def _ids(vectors: list[dict[str, Any]]) -> list[str]:
    return [v["id"] for v in vectors]


def _cases(vectors: list[dict[str, Any]]) -> list[Any]:
    """One case per vector; without ../shared one case, which the test's require_shared() skips
    with its reason (or fails in CI), rather than pytest's bare "got empty parameter set"."""
    return [pytest.param(v, id=v["id"]) for v in vectors] or [pytest.param(None, id="shared-absent")]


def test_the_vectors_are_there():
    require_shared()
    assert (len(DASHBOARDS), len(QUERIES), len(RULES)) == (176, 109, 200)


def _paths(err: SchemaError) -> list[str]:
    return [issue.path for issue in err.issues]


# --- dashboards -----------------------------------------------------------------------------------

# Where SigNoz's error names the problem, the path of our issue (relative to the vector's body: to
# the spec for shape "spec"). Read off each vector's body and SigNoz's message.
DASHBOARD_PATHS = {
    "dash-unknown-panel-plugin-kind-keeps-nested-message": "panels.p1.spec.plugin.kind",
    "dash-variables-absent": "variables",
    "dash-variables-null": "variables",
    "dash-panels-absent": "panels",
    "dash-panels-null": "panels",
    "dash-layouts-absent": "layouts",
    "dash-layouts-null": "layouts",
    "dash-duplicate-variable-name-across-text-and-list-variables": "variables[1].spec.name",
    "dash-list-variable-name-my-var-rejected": "variables[0].spec.name",
    "dash-list-variable-name-cost-dollar-rejected": "variables[0].spec.name",
    "dash-list-variable-name-bad-bang-rejected": "variables[0].spec.name",
    "dash-list-variable-name-a-b-rejected": "variables[0].spec.name",
    "dash-digits-only-variable-name-rejected": "variables[0].spec.name",
    "dash-panel-key-with-space-and-bang-rejected": "panels.bad key!",
    "dash-customallvalue-without-allowallvalue": "variables[0].spec.customAllValue",
    "dash-allowallvalue-without-allowmultiple": "variables[0].spec.allowAllValue",
    "dash-list-defaultvalue-without-allowmultiple": "variables[0].spec.defaultValue",
    "dash-single-element-list-default-without-allowmultiple": "variables[0].spec.defaultValue",
    "dash-explicit-empty-sort-is-rejected": "variables[0].spec.sort",
    "dash-unknown-sort-is-rejected": "variables[0].spec.sort",
    "dash-empty-text-variable-name-rejected": "variables[0].spec.name",
    "dash-empty-list-variable-name-rejected": "variables[0].spec.name",
    "dash-unknown-panel-plugin": "panels.p1.spec.plugin.kind",
    "dash-unknown-panel-envelope-kind": "panels.p1.kind",
    "dash-unknown-query-plugin": "panels.p1.spec.queries[0].spec.plugin.kind",
    "dash-unknown-query-envelope-kind": "panels.p1.spec.queries[0].kind",
    "dash-empty-query-envelope-kind": "panels.p1.spec.queries[0].kind",
    "dash-unknown-variable-plugin": "variables[0].spec.plugin.kind",
    "dash-unknown-field-in-panel-spec": "panels.p1.spec.plugin.spec.bogusField",
    "dash-unknown-field-in-query-spec": "panels.p1.spec.queries[0].spec.plugin.spec.unknownThing",
    "dash-unknown-field-in-variable-spec": "variables[0].spec.plugin.spec.extraField",
    "dash-bad-signal-in-builder-query": "panels.p1.spec.queries[0].spec.plugin.spec.signal",
    "dash-bad-line-interpolation": "panels.p1.spec.plugin.spec.chartAppearance.lineInterpolation",
    "dash-bad-line-style": "panels.p1.spec.plugin.spec.chartAppearance.lineStyle",
    "dash-bad-fill-mode": "panels.p1.spec.plugin.spec.chartAppearance.fillMode",
    "dash-bad-spangaps-filllessthan": "panels.p1.spec.plugin.spec.chartAppearance.spanGaps.fillLessThan",
    "dash-bad-time-preference": "panels.p1.spec.plugin.spec.visualization.timePreference",
    "dash-bad-legend-position": "panels.p1.spec.plugin.spec.legend.position",
    "dash-bad-legend-mode": "panels.p1.spec.plugin.spec.legend.mode",
    "dash-bad-threshold-format": "panels.p1.spec.plugin.spec.thresholds[0].format",
    "dash-bad-comparison-operator": "panels.p1.spec.plugin.spec.thresholds[0].operator",
    "dash-bad-precision": "panels.p1.spec.plugin.spec.formatting.decimalPrecision",
    "dash-wrong-type-on-panel-plugin-field": "panels.p1.spec.plugin.spec.visualization.fillSpans",
    "dash-one-valid-and-one-unknown-kind-panel": "panels.bad.spec.plugin.kind",
    "dash-reference-to-unknown-panel": "layouts[0].spec.items[0].content.$ref",
    "dash-reference-not-pointing-at-a-panel": "layouts[0].spec.items[0].content.$ref",
    "dash-reference-missing-spec-prefix": "layouts[0].spec.items[0].content.$ref",
    "dash-panel-without-queries-key": "panels.p1.spec.queries",
    "dash-panel-with-empty-queries-array": "panels.p1.spec.queries",
    "dash-panel-with-two-top-level-queries": "panels.p1.spec.queries",
    "dash-dynamicvariable-missing-name": "variables[0].spec.plugin.spec.name",
    "dash-queryvariable-missing-queryvalue": "variables[0].spec.plugin.spec.queryValue",
    "dash-customvariable-missing-customvalue": "variables[0].spec.plugin.spec.customValue",
    "dash-thresholdwithlabel-missing-color": "panels.p1.spec.plugin.spec.thresholds[0].color",
    "dash-comparisonthreshold-missing-color": "panels.p1.spec.plugin.spec.thresholds[0].color",
    "dash-tablethreshold-missing-columnname": "panels.p1.spec.plugin.spec.thresholds[0].columnName",
    "dash-selectfield-missing-name": "panels.p1.spec.plugin.spec.selectFields[0].name",
    "dash-flag-true-with-non-empty-name-is-rejected": "name",
    "dash-flag-true-with-empty-display-name-is-rejected": "spec.display.name",
    "dash-flag-false-with-missing-name-is-rejected": "name",
    "dash-comma-separated-expression-is-rejected": "panels.p1.spec.queries[0].spec.plugin.spec.aggregations[0].expression",
    "dash-comma-separated-calls-are-rejected": "panels.p1.spec.queries[0].spec.plugin.spec.aggregations[0].expression",
    "dash-zero-width": "layouts[0].spec.items[0].width",
    "dash-zero-height": "layouts[0].spec.items[0].height",
    "dash-negative-x": "layouts[0].spec.items[0].x",
    "dash-negative-y": "layouts[0].spec.items[0].y",
    "dash-width-wider-than-grid": "layouts[0].spec.items[0].width",
    "dash-x-at-grid-width": "layouts[0].spec.items[0].x",
    "dash-x-plus-width-overflows-grid": "layouts[0].spec.items[0].width",
    "dash-overlapping-items": "layouts[0].spec.items[1]",
    "dash-101-grid-items-exceed-the-per-layout-maximum-100": "layouts[0].spec.items",
    "dash-overlapping-grid-items-rejected-through-unmarshal": "layouts[0].spec.items[1]",
    "dash-same-panel-placed-by-two-grid-items": "layouts[0].spec.items[1].content.$ref",
    "dash-dashboard-display-name-one-over-the-limit": "display.name",
    "dash-panel-display-name-one-over-the-limit": "panels.p1.spec.display.name",
    "dash-list-variable-display-name-one-over-the-limit": "variables[0].spec.display.name",
    "dash-text-variable-display-name-one-over-the-limit": "variables[0].spec.display.name",
    "dash-layout-title-one-over-the-limit": "layouts[0].spec.display.title",
    **{f"dash-image-{name}-rejected": "image" for name in (
        "http-evil-com-x-svg", "javascript-alert-1", "data-text-html-base64-phnjcmlwdd4-equals",
        "lt-svg-onload-equals-alert-1-gt", "assets-icons", "assets-logos", "not-a-path")},
    "dash-patch-wrong-schemaversion-rejected": "schemaVersion",
    "dash-patch-unknown-top-level-field-rejected": "bogus",
    "dash-patch-invalid-panel-kind-rejected": "spec.panels.p1.spec.plugin.kind",
    "dash-patch-removing-the-only-query-rejected": "spec.panels.p2.spec.queries",
    "dash-patch-two-direct-queries-rejected": "spec.panels.p1.spec.queries",
    "dash-patch-too-many-tags-rejected": "tags",
}


def _parse_dashboard_vector(vector: dict[str, Any]) -> None:
    if vector["shape"] == "spec":
        parse_spec(vector["body"])
    else:
        parse_dashboard(vector["body"], updatable=vector["entry"].startswith("UpdatableDashboardV2"))


@pytest.mark.parametrize("vector", _cases(DASHBOARDS))
def test_dashboard_vector(vector, tmp_path):
    require_shared()
    if vector.get("body_raw") is not None:  # not JSON at all: our reader refuses it, naming the file
        path = tmp_path / "body.json"
        path.write_text(vector["body_raw"])
        with pytest.raises(InputError, match="invalid JSON"):
            read_json(path)
        return
    if vector["valid"]:
        _parse_dashboard_vector(vector)
        return
    with pytest.raises(SchemaError) as caught:
        _parse_dashboard_vector(vector)
    if vector["id"] in DASHBOARD_PATHS:
        assert DASHBOARD_PATHS[vector["id"]] in _paths(caught.value)


# --- rules ----------------------------------------------------------------------------------------

RULE_PATHS = {
    "rule-missing-alert-name": "alert",
    "rule-empty-alert-name": "alert",
    "rule-wrong-version-v4": "version",
    "rule-wrong-version-v3": "version",
    "rule-invalid-alerttype": "alertType",
    "rule-lowercase-alerttype": "alertType",
    "rule-invalid-ruletype": "ruleType",
    "rule-missing-condition-entirely": "condition",
    "rule-null-condition": "condition",
    "rule-missing-compositequery": "condition.compositeQuery",
    "rule-empty-queries-array": "condition.compositeQuery.queries",
    "rule-selectedqueryname-does-not-match-any-query": "condition.selectedQueryName",
    "rule-requireminpoints-true-with-zero-points": "condition.requiredNumPoints",
    "rule-requireminpoints-true-with-negative-points": "condition.requiredNumPoints",
    "rule-invalid-label-name-starting-with-number": "labels",
    "rule-invalid-label-name-with-special-chars": "labels",
    "rule-invalid-annotation-name": "annotations",
    "rule-invalid-template-in-label-value": "labels.severity",
    "rule-invalid-template-in-annotation-value": "annotations.description",
    "rule-invalid-seasonality-for-anomaly-rule": "condition.seasonality",
    "rule-unsupported-schemaversion-v2": "schemaVersion",
    "rule-unsupported-schemaversion-v3": "schemaVersion",
    "rule-unsupported-schemaversion-random-string": "schemaVersion",
    "rule-missing-thresholds": "condition.thresholds",
    "rule-missing-evaluation": "evaluation",
    "rule-missing-notificationsettings": "notificationSettings",
    "rule-renotify-enabled-with-zero-interval": "notificationSettings.renotify.interval",
    "rule-invalid-renotify-alert-state": "notificationSettings.renotify.alertStates[0]",
    "rule-threshold-with-empty-name": "condition.thresholds.spec[0].name",
    "rule-threshold-with-null-target": "condition.thresholds.spec[0].target",
    "rule-threshold-with-invalid-op": "condition.thresholds.spec[0].op",
    "rule-threshold-with-invalid-matchtype": "condition.thresholds.spec[0].matchType",
    "rule-unknown-threshold-kind": "condition.thresholds.kind",
    "rule-rolling-eval-with-zero-window": "evaluation.spec.evalWindow",
    "rule-rolling-eval-with-zero-frequency": "evaluation.spec.frequency",
    "rule-unknown-evaluation-kind": "evaluation.kind",
    "rule-promql-query-with-empty-query-string": "condition.compositeQuery.queries[0].spec.query",
    "rule-missing-target": "condition.target",
    "rule-missing-op": "condition.op",
    "rule-invalid-op-value": "condition.op",
    "rule-op-numeric-8-invalid": "condition.op",
    "rule-missing-matchtype": "condition.matchType",
    "rule-invalid-matchtype": "condition.matchType",
    "rule-matchtype-numeric-6-invalid": "condition.matchType",
    "rule-missing-alert-plus-wrong-version-plus-invalid-alerttype": "version",
    "rule-v2alpha1-carrying-only-v1-fields-target-op-matchtype-pre": "evaluation",
    "rule-cumulative-missing-minute-for-hourly": "evaluation.spec.schedule.minute",
    "rule-cumulative-invalid-timezone": "evaluation.spec.timezone",
    "rule-cumulative-zero-frequency": "evaluation.spec.frequency",
    "rule-cumulative-daily-missing-hour": "evaluation.spec.schedule.hour",
    "rule-query-types-logs-signal-query": "condition.compositeQuery.queries[0].spec.aggregations[0].spaceAggregation",
    "rule-query-types-traces-signal-query": "condition.compositeQuery.queries[0].spec.aggregations[0].spaceAggregation",
    "rule-disabled-rule-with-invalid-alerttype-still-fails-validat": "alertType",
}
# error_contains_all: every path SigNoz named.
RULE_ALL_PATHS = {"rule-v2alpha1-carrying-only-v1-fields-target-op-matchtype-pre": {"evaluation", "notificationSettings"}}


def _outcome(body: Any, *, decode_only: bool) -> SchemaError | None:
    try:
        parse_rule(body, decode_only=decode_only)
    except SchemaError as err:
        return err
    return None


@pytest.mark.parametrize("vector", _cases(RULES))
def test_rule_vector(vector):
    require_shared()
    body = vector["rule"]
    err = _outcome(body, decode_only=vector["stage"] == "unmarshal")
    assert (err is None) == vector["valid"], err
    if "unmarshal_ok" in vector:  # the test asserted the decode on its own
        assert (_outcome(body, decode_only=True) is None) == vector["unmarshal_ok"]
    if err is not None and vector["id"] in RULE_PATHS:
        assert RULE_PATHS[vector["id"]] in _paths(err)
        assert RULE_ALL_PATHS.get(vector["id"], set()) <= set(_paths(err))


# --- queries --------------------------------------------------------------------------------------

QUERY_PATHS = {
    "q-empty-composite-query-should-return-error": "queries",
    "q-duplicate-builder-query-names-should-return-error": "queries[1].spec.name",
    "q-duplicate-names-across-log-and-metric-builder-queries-sh": "queries[1].spec.name",
    "q-formula-with-empty-expression-should-return-error": "queries[0].spec.expression",
    "q-promql-with-empty-query-should-return-error": "queries[0].spec.query",
    "q-clickhouse-with-empty-query-should-return-error": "queries[0].spec.query",
    "q-trace-operator-with-empty-expression-should-return-error": "queries[0].spec.expression",
    "q-timeseries-request-with-group-by-timestamp-should-return": "queries[0].spec.groupBy[0].name",
    "q-scalar-request-with-metric-query-without-reduceto-should": "queries[0].spec.aggregations[0].reduceTo",
    "q-scalar-request-with-metric-query-with-invalid-reduceto-s": "queries[0].spec.aggregations[0].reduceTo",
    "q-formula-with-empty-expression-should-fail": "queries[0].spec.expression",
    "q-trace-operator-with-empty-expression-should-fail": "queries[0].spec.expression",
    "q-promql-with-empty-query-should-fail": "queries[0].spec.query",
    "q-clickhouse-with-empty-query-should-fail": "queries[0].spec.query",
    "q-order-by-with-invalid-key-should-fail": "queries[0].spec.order[0].key.name",
    "q-unknown-field-function-in-query-spec": "queries[0].spec.function",
    "q-unknown-field-filters-in-query-spec": "queries[0].spec.filters",
    "q-unknown-field-with-no-good-suggestion": "queries[0].spec.randomField",
    "q-builder-spec-decode-unknown-field-error": "queries[0].spec.unknownField",
}
# Query-range vectors with no query to save: they test the /api/v5/query_range request itself (a
# body that is not JSON, an unknown top-level request field), which no dashboard or rule carries.
REQUEST_ONLY = {"q-invalid-json", "q-unknown-field-at-top-level"}
# Vectors of checks not run on save whose query is refused on save all the same, for a reason SigNoz
# does enforce there: a blank trace-operator expression (q-trace-operator-with-empty-expression-*).
BLANK_TRACE_OPERATOR = {"q-parsetraceexpression-empty-expression", "q-validatetraceoperator-empty-expression"}


def _composite(vector: dict[str, Any]) -> dict[str, Any]:
    query = copy.deepcopy(vector["query"])
    if vector["query_shape"] == "builder_spec":
        return {"queries": [{"type": "builder_query", "spec": query}]}
    if vector["query_shape"] == "trace_operator_spec":
        return {"queries": [{"type": "builder_trace_operator", "spec": query}]}
    return query


def _in_a_panel(composite: dict[str, Any], kind: str) -> dict[str, Any]:
    """A dashboard whose one Number panel (it allows every query plugin) runs the composite as `kind`."""
    return {
        "schemaVersion": "v6", "name": "vector",
        "spec": {"variables": [], "layouts": [], "panels": {"p": {"kind": "Panel", "spec": {
            "plugin": {"kind": "signoz/NumberPanel", "spec": {}},
            "queries": [{"kind": kind, "spec": {"plugin": {"kind": "signoz/CompositeQuery", "spec": composite}}}],
        }}}},
    }


def _in_a_rule(composite: dict[str, Any]) -> dict[str, Any]:
    """A v1 alert rule around the composite (rules validate it as a time series request)."""
    return {"alert": "vector", "version": "v5",
            "condition": {"compositeQuery": {"queryType": "builder", **composite}, "target": 1, "op": "1", "matchType": "1"}}


_DASHBOARD_TYPES = {"builder_query", "builder_formula", "builder_trace_operator", "promql", "clickhouse_sql"}
ANY_VALIDATE = [v for v in QUERIES if v["context"] == "any" and v["stage"] == "validate"]
ANY_DECODE = [v for v in QUERIES if v["context"] == "any" and v["stage"] == "decode"]
NOT_ON_SAVE = [v for v in QUERIES if v["context"] != "any" and v["id"] not in REQUEST_ONLY]


def _judged_as_signoz_does(vector: dict[str, Any], parse: Any) -> None:
    """`parse` accepts the vector if SigNoz does; else it refuses it, at SigNoz's path if named."""
    try:
        parse()
    except SchemaError as err:
        assert not vector["valid"], err
        if vector["id"] in QUERY_PATHS:
            assert QUERY_PATHS[vector["id"]] in _paths(err)
    else:
        assert vector["valid"]


def _accepts(parse: Any) -> bool:
    try:
        parse()
    except SchemaError:
        return False
    return True


@pytest.mark.parametrize("vector", _cases(ANY_VALIDATE))
def test_query_vector_as_signoz_validates_it(vector):
    require_shared()
    composite, kind = _composite(vector), vector["request_type"] or "time_series"
    _judged_as_signoz_does(vector, lambda: parse_composite(composite, kind))
    # The same verdict where SigNoz runs it: a panel of that kind (when panels allow every
    # sub-query), and an alert rule when the request type is a rule's.
    if all(q.get("type") in _DASHBOARD_TYPES for q in composite.get("queries") or []):
        assert _accepts(lambda: parse_dashboard(_in_a_panel(composite, kind))) == vector["valid"]
    if kind == "time_series":
        assert _accepts(lambda: parse_rule(_in_a_rule(composite))) == vector["valid"]


@pytest.mark.parametrize("vector", _cases(ANY_DECODE))
def test_query_vector_as_signoz_decodes_it(vector):
    """A decode vector's `valid` says only that the query decodes (validation may still refuse it)."""
    require_shared()
    _judged_as_signoz_does(vector, lambda: parse_composite(_composite(vector), decode_only=True))


@pytest.mark.parametrize("vector", _cases(NOT_ON_SAVE))
def test_query_checks_signoz_does_not_run_on_save(vector):
    """query_range, query_execution and not_enforced checks are not part of saving a dashboard or a
    rule, whatever the vector's verdict: saving the query is accepted (run as a raw request, so that
    the builder queries these vectors leave without aggregations are not the question)."""
    require_shared()
    composite = _composite(vector)
    if vector["id"] in BLANK_TRACE_OPERATOR:
        with pytest.raises(SchemaError) as caught:
            parse_composite(composite, "raw")
        assert _paths(caught.value) == [f"queries[{len(composite['queries']) - 1}].spec.expression"]
        return
    parse_composite(composite, "raw")
    if all(q.get("type") in _DASHBOARD_TYPES for q in composite["queries"]):
        parse_dashboard(_in_a_panel(composite, "raw"))


def test_every_error_signoz_names_has_its_path():
    require_shared()
    for vectors, paths in ((DASHBOARDS, DASHBOARD_PATHS), (RULES, RULE_PATHS), ([v for v in QUERIES if v["context"] == "any"], QUERY_PATHS)):
        named = {v["id"] for v in vectors if not v["valid"] and v.get("error_contains")}
        assert named == set(paths)


def test_every_query_vector_is_accounted_for():
    require_shared()
    groups = [_ids(ANY_VALIDATE), _ids(ANY_DECODE), _ids(NOT_ON_SAVE), sorted(REQUEST_ONLY)]
    assert sorted(i for g in groups for i in g) == sorted(_ids(QUERIES))
    assert {v["id"] for v in QUERIES if v["query"] is None} == REQUEST_ONLY


# --- beyond the vectors ---------------------------------------------------------------------------


def test_arithmetic_between_aggregations_is_one_select_item():
    composite = {"queries": [{"type": "builder_query", "spec": {
        "name": "A", "signal": "logs", "aggregations": [{"expression": "sum(a)+sum(b)"}]}}]}
    parse_dashboard(_in_a_panel(composite, "time_series"))
