"""Which panels a dynamic variable filters: only those whose records can carry its attribute.

SigNoz applies a variable only where a query names it, and a query filtered on an attribute its
records lack matches nothing: a log-only variable written into a trace panel empties it as soon
as a value is picked.
"""

from __future__ import annotations

import re
import textwrap

import signoz_dac
from signoz_dac.definitions import load_definition
from tests.render.helpers import builder_specs, sql

DEFINITION = """\
name: my-agent
title: My agent
profile: pipecat
variables:
  - {kind: dynamic, name: service_name, attribute: service.name}         # resource: every signal
  - {kind: dynamic, name: severity, attribute: severity_text}             # a log field, whatever the signal
  - {kind: dynamic, name: log_level, attribute: log.level, signal: logs}  # values from logs
  - {kind: dynamic, name: route, attribute: http.route}                   # values from traces (the default)
  - {kind: dynamic, name: method, attribute: http.method, signal: metrics}
  - {kind: dynamic, name: anywhere, attribute: app.tier, signal: all}
  - {kind: dynamic, name: unfiltered, attribute: deployment.environment, filter: false}
  - {kind: text, name: turns_threshold, default: "4"}
sections:
  - title: All
    panels:
      - type: turn_latency
      - type: logs
      - type: http_request_duration
      - type: conversations_below_threshold
"""


def _variables(text: str) -> set[str]:
    return set(re.findall(r"IN \$([a-z_]+)", text))


def _body(tmp_path) -> dict:
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(DEFINITION))
    return signoz_dac.render(load_definition(path))


def test_each_builder_panel_filters_on_the_variables_its_signal_carries(tmp_path) -> None:
    body = _body(tmp_path)
    filters = {key: " AND ".join(spec["filter"]["expression"] for spec in builder_specs(body, key))
               for key in ("turn-latency", "logs", "http-request-duration")}
    assert _variables(filters["turn-latency"]) == {"service_name", "route", "anywhere"}
    assert _variables(filters["logs"]) == {"service_name", "severity", "log_level"}
    assert _variables(filters["http-request-duration"]) == {"service_name", "method"}


def test_the_sql_panels_read_traces_so_only_trace_variables_filter_them(tmp_path) -> None:
    assert _variables(sql(_body(tmp_path), "conversations-below-threshold")) == {"service_name", "route", "anywhere"}
