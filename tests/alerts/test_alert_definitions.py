"""Alert rules in a definition: errors name file and line; services, channels, disabling and extra
rules behave as the README says."""

from __future__ import annotations

import re
import textwrap

import pytest

import signoz_dac
from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError
from tests.conftest import MINIMAL_DEFINITION
from tests.support.definitions import starts_at

HEAD = MINIMAL_DEFINITION + "alerts:\n"


def definition(tmp_path, alerts: str):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(alerts), "  "))
    return path


def rules_of(tmp_path, alerts: str) -> dict[str, dict]:
    rendered = signoz_dac.render_alerts(load_definition(definition(tmp_path, alerts)))
    return {r["labels"]["signoz_dac_rule"]: r for r in rendered}


# (case, alerts section, expected line, words the message must contain)
ERRORS = [
    ("unknown option", "rules:\n  - type: error_rate\n    warning: 1\n    windw: 5m\n", 12,
     ["alerts.rules[0].windw", "did you mean 'window'"]),
    ("unknown type", "rules:\n  - type: latency_p95\n    warning: 1\n", 10, ["unknown type 'latency_p95'", "turn_latency_p95"]),
    ("no level", "rules:\n  - type: error_rate\n", 10, ["set `warning:`, `critical:` or both"]),
    ("critical below warning", "rules:\n  - type: error_rate\n    warning: 5\n    critical: 1\n", 12,
     ["critical must not be below warning"]),
    ("bad window", "rules:\n  - type: error_rate\n    warning: 1\n    window: 5 minutes\n", 12, ["window", "'5m'"]),
    ("bad component", "rules:\n  - type: component_latency_p95\n    component: vad\n    warning: 1\n", 11,
     ["component", "'stt', 'llm' or 'tts'"]),
    ("reserved label", "rules:\n  - type: error_rate\n    warning: 1\n    labels: {managed_by: me}\n", 12,
     ["'managed_by' is set by signoz-dac"]),
    ("label name SigNoz refuses", "rules:\n  - type: error_rate\n    warning: 1\n    labels: {on-call: me}\n", 12,
     ["'on-call'", "followed by letters, digits, '_' or '.'"]),
    ("threshold without id", "rules:\n  - type: threshold\n    aggregation: count()\n    warning: 1\n", 10,
     ["alerts.rules[0].id", "required"]),
    ("unknown default option", "chanels: [slack]\n", 9, ["alerts.chanels", "did you mean 'channels'"]),
    # SigNoz counts a no-data rule's absence in whole minutes: 90 s would silently become 1 minute.
    ("no_data window not in whole minutes", "rules:\n  - type: no_data\n    window: 90s\n", 11,
     ["alerts.rules[0].window", "whole number of minutes"]),
    ("no_data window under a minute", "rules:\n  - type: no_data\n    window: 30s\n", 11,
     ["alerts.rules[0].window", "whole number of minutes"]),
]


@pytest.mark.parametrize(("case", "alerts", "line", "words"), ERRORS, ids=[e[0] for e in ERRORS])
def test_a_bad_rule_names_file_and_line(tmp_path, case, alerts, line, words):
    path = definition(tmp_path, alerts)
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert starts_at(str(info.value), path, line), str(info.value)
    for word in words:
        assert word in str(info.value)


def test_duplicate_rule_ids_point_at_the_second_rule(tmp_path):
    path = definition(tmp_path, "rules:\n  - type: error_rate\n    warning: 1\n  - type: error_rate\n    warning: 2\n")
    with pytest.raises(DefinitionError, match=r"d\.yaml:12:7: alert rule id 'error-rate' is already used by the rule at line 10"):
        signoz_dac.render_alerts(load_definition(path))


def test_an_aggregation_signoz_cannot_run_points_at_its_line(tmp_path):
    path = definition(tmp_path, "rules:\n  - type: threshold\n    id: x\n    aggregation: p95(a), p99(b)\n    warning: 1\n")
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render_alerts(load_definition(path))
    assert starts_at(str(info.value), path, 12, "aggregation does not parse: several aggregations packed")


@pytest.mark.parametrize("rule", [
    "type: error_rate\n    warning: 1\n    filter: service.name IN $service_name\n",
    "type: threshold\n    id: x\n    aggregation: count()\n    warning: 1\n    filter: deployment.environment = $env\n",
])
def test_a_variable_in_a_rule_filter_points_at_its_line(tmp_path, rule):
    # A rule runs without the dashboard's variables: `$name` is never replaced, so the rule would
    # never match anything and never fire.
    path = definition(tmp_path, "rules:\n  - " + rule)
    line = 10 + rule.count("\n") - 1
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render_alerts(load_definition(path))
    assert starts_at(str(info.value), path, line, "an alert rule has no dashboard variables"), str(info.value)
    assert "$" in str(info.value) and "\n" not in str(info.value)


def test_no_alerts_section_renders_no_rules(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD.replace("alerts:\n", ""))
    assert signoz_dac.render_alerts(load_definition(path)) == []


def test_services_and_filter_narrow_every_query(tmp_path):
    rules = rules_of(tmp_path, """\
        rules:
          - type: error_rate
            services: [checkout, "o'neil"]
            exclude_services: [canary]
            filter: deployment.environment = 'prod'
            warning: 1
        """)
    for query in rules["error-rate"]["condition"]["compositeQuery"]["queries"][:2]:
        expression = query["spec"]["filter"]["expression"]
        assert "service.name IN ('checkout', 'o\\'neil') AND service.name NOT IN ('canary') AND (deployment.environment = 'prod')" in expression


def test_a_service_with_other_limits_is_an_extra_rule(tmp_path):
    rules = rules_of(tmp_path, """\
        rules:
          - type: turn_latency_p95
            exclude_services: [premium]
            warning: 800
          - type: turn_latency_p95
            id: turn-latency-p95-premium
            title: Premium voice-to-voice latency P95
            services: [premium]
            warning: 500
        """)
    # One SigNoz rule per level: each counts the turns slower than its own latency.
    assert list(rules) == ["turn-latency-p95-warning", "turn-latency-p95-premium-warning"]
    premium = rules["turn-latency-p95-premium-warning"]
    assert premium["alert"] == "My agent: Premium voice-to-voice latency P95 (warning)"
    assert premium["condition"]["thresholds"]["spec"][0]["target"] == 5  # percent of turns above 500 ms
    slow = premium["condition"]["compositeQuery"]["queries"][0]["spec"]["filter"]["expression"]
    assert "turn.user_bot_latency_seconds > 0.5" in slow and "service.name IN ('premium')" in slow


def test_both_latency_levels_are_rules_with_distinct_names(tmp_path):
    rules = rules_of(tmp_path, """\
        rules:
          - type: turn_latency_p95
            title: Voice latency
            percent: 10
            warning: 800
            critical: 1200
        """)
    assert {k: r["alert"] for k, r in rules.items()} == {
        "turn-latency-p95-warning": "My agent: Voice latency (warning)",
        "turn-latency-p95-critical": "My agent: Voice latency (critical)",
    }
    for rule_id, level in (("turn-latency-p95-warning", "0.8"), ("turn-latency-p95-critical", "1.2")):
        (threshold,) = rules[rule_id]["condition"]["thresholds"]["spec"]
        assert (threshold["name"], threshold["target"]) == (rule_id.rsplit("-", 1)[1], 10)
        assert f"> {level}" in rules[rule_id]["condition"]["compositeQuery"]["queries"][0]["spec"]["filter"]["expression"]


def test_a_disabled_rule_is_rendered_disabled(tmp_path):
    rules = rules_of(tmp_path, "rules:\n  - type: tokens_per_call\n    enabled: false\n    warning: 3000\n")
    assert rules["tokens-per-call"]["disabled"] is True


def test_channels_rule_level_wins_and_critical_has_its_own(tmp_path):
    rules = rules_of(tmp_path, """\
        channels: [slack]
        critical_channels: [pager]
        labels: {team: voice}
        rules:
          - type: error_rate
            warning: 1
            critical: 5
          - type: turn_latency_p95
            channels: [latency-room]
            labels: {severity: page, team: latency}
            warning: 800
            critical: 1200
        """)
    levels = lambda r: {t["name"]: t["channels"] for t in r["condition"]["thresholds"]["spec"]}  # noqa: E731
    assert levels(rules["error-rate"]) == {"warning": ["slack"], "critical": ["pager"]}
    assert levels(rules["turn-latency-p95-warning"]) == {"warning": ["latency-room"]}
    assert levels(rules["turn-latency-p95-critical"]) == {"critical": ["latency-room"]}
    assert rules["error-rate"]["labels"]["team"] == "voice"
    for rule_id in ("turn-latency-p95-warning", "turn-latency-p95-critical"):
        assert (rules[rule_id]["labels"]["team"], rules[rule_id]["labels"]["severity"]) == ("latency", "page")


def test_annotations_renotify_and_group_by(tmp_path):
    rules = rules_of(tmp_path, """\
        rules:
          - type: component_latency_p95
            component: llm
            unit: s
            warning: 1.5
            summary: LLM slow
            runbook: https://runbooks.example.com/llm
            renotify: 30m
            group_by: []
        """)
    rule = rules["component-latency-p95-llm-warning"]
    assert rule["annotations"]["summary"] == "LLM slow"
    assert rule["annotations"]["runbook_url"] == "https://runbooks.example.com/llm"
    assert rule["notificationSettings"] == {"groupBy": [], "renotify": {"enabled": True, "interval": "30m", "alertStates": ["firing"]}}
    level = rule["condition"]["thresholds"]["spec"][0]
    assert (level["target"], level["targetUnit"]) == (5, "percent")  # of LLM calls slower than 1.5 s
    query = rule["condition"]["compositeQuery"]["queries"][0]["spec"]
    assert query["groupBy"] == [] and "has_error = false" in query["filter"]["expression"]  # LLM TTFB leaves errors out
    assert "metrics.ttfb > 1.5" in query["filter"]["expression"]


@pytest.mark.parametrize(("signal", "alert_type"), [("traces", "TRACES_BASED_ALERT"), ("logs", "LOGS_BASED_ALERT")])
def test_a_generic_threshold_rule(tmp_path, signal, alert_type):
    rules = rules_of(tmp_path, f"""\
        rules:
          - type: threshold
            id: slow-http
            signal: {signal}
            aggregation: count()
            filter: severity_text = 'ERROR'
            unit: none
            operator: above
            match: in_total
            critical: 10
        """)
    rule = rules["slow-http"]
    assert rule["alertType"] == alert_type
    query = rule["condition"]["compositeQuery"]["queries"][0]["spec"]
    assert (query["signal"], query["aggregations"], query["filter"]["expression"]) == (
        signal, [{"expression": "count()"}], "(severity_text = 'ERROR')")
    assert rule["condition"]["thresholds"]["spec"] == [
        {"name": "critical", "target": 10, "op": "above", "matchType": "in_total", "channels": []}]


@pytest.mark.parametrize(("operator", "words"), [("above", "above the"), ("below", "below the"), ("below_or_equal", "at or below the")])
def test_the_summary_reads_as_the_operator_compares(tmp_path, operator, words):
    rules = rules_of(tmp_path, f"""\
        rules:
          - type: threshold
            id: quiet
            signal: traces
            aggregation: count()
            unit: none
            operator: {operator}
            warning: 1
        """)
    assert f"{words} {{{{$threshold}}}} threshold" in rules["quiet"]["annotations"]["summary"]


def test_no_data_services_whose_names_slug_alike_each_keep_a_rule(tmp_path):
    # Names outside a-z and 0-9 slug alike (both first ones to `service`): each keeps its own rule,
    # told apart by a hash of its name; a name whose slug is its own keeps its plain id.
    services = ["語音代理", "голосовой агент", "My Agent", "my-agent", "voice-agent"]
    rules = rules_of(tmp_path, f"rules:\n  - type: no_data\n    services: {services}\n")
    watched = {rule_id: r["condition"]["compositeQuery"]["queries"][0]["spec"]["filter"]["expression"]
               for rule_id, r in rules.items()}
    ids = {service: next(i for i, expression in watched.items() if f"service.name IN ('{service}')" in expression)
           for service in services}
    assert len(set(ids.values())) == 5
    assert ids["voice-agent"] == "no-data-voice-agent"
    for service, stem in (("語音代理", "service"), ("голосовой агент", "service"), ("My Agent", "my-agent"), ("my-agent", "my-agent")):
        assert re.fullmatch(rf"no-data-{stem}-[0-9a-f]{{8}}", ids[service]), ids[service]


def test_a_no_data_service_listed_twice_is_named(tmp_path):
    path = definition(tmp_path, "rules:\n  - type: no_data\n    services: [agent, agent]\n")
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render_alerts(load_definition(path))
    assert starts_at(str(info.value), path, 10, "service 'agent' is listed twice in `services:`")
