"""A corpus of realistic v6 dashboards, written for these tests in the shapes SigNoz's own
dashboards and its UI produce: infrastructure metrics (Kubernetes, hosts, JVM, Postgres), APM
traces, logs, LLM and voice agents. Each is what a team would really save, so every finding lint
reports on it was reviewed by hand (test_corpus.py pins them, and says why each is true).

Variable names with dots, empty field contexts, number tiles beside charts of the same title,
arithmetic between aggregations, ratios of different things: the shapes that made lint cry wolf.
"""

from __future__ import annotations

from typing import Any

TIME = (
    "timestamp BETWEEN $start_datetime AND $end_datetime "
    "AND ts_bucket_start BETWEEN $start_timestamp - 1800 AND $end_timestamp"
)


# -- queries --------------------------------------------------------------------------------------


def _base(name: str, signal: str, filt: str, group: list[str], legend: str, disabled: bool, **extra: Any) -> dict:
    spec = {
        "name": name, "signal": signal, "stepInterval": 60, "disabled": disabled,
        "filter": {"expression": filt}, "groupBy": [_key(g) for g in group], "order": [], "limit": 0,
        "having": {"expression": ""}, "functions": [], "legend": legend,
    }  # fmt: skip
    spec.update(extra)
    return spec


def _key(name: str) -> dict:
    """A group-by key as the UI writes it when picked from suggestions: context left to the server,
    unless written `context:name`."""
    context, _, bare = name.rpartition(":")
    return {"name": bare, "fieldContext": context, "fieldDataType": ""}


def metric(name: str, metric_name: str, time: str, space: str, *, filt: str = "", group: list[str] = (), reduce: str | None = None,
           legend: str = "", disabled: bool = False, order: str | None = None) -> dict:  # fmt: skip
    agg = {"metricName": metric_name, "temporality": "", "timeAggregation": time, "spaceAggregation": space}
    if reduce:
        agg["reduceTo"] = reduce
    extra = {"order": [{"key": {"name": order}, "direction": "desc"}]} if order else {}
    return {"type": "builder_query", "spec": _base(name, "metrics", filt, list(group), legend, disabled, aggregations=[agg], **extra)}


def traces(name: str, *expressions: str, filt: str = "", group: list[str] = (), legend: str = "", disabled: bool = False,
           signal: str = "traces", aliases: tuple[str, ...] = (), order: str | None = None, limit: int = 0) -> dict:  # fmt: skip
    aggs = [{"expression": e, **({"alias": aliases[i]} if i < len(aliases) else {})} for i, e in enumerate(expressions)]
    extra = {"order": [{"key": {"name": order}, "direction": "desc"}]} if order else {}
    spec = _base(name, signal, filt, list(group), legend, disabled, aggregations=aggs, **extra)
    spec["limit"] = limit
    return {"type": "builder_query", "spec": spec}


def logs(name: str, *expressions: str, **kw: Any) -> dict:
    return traces(name, *expressions, signal="logs", **kw)


def formula(name: str, expression: str, legend: str = "") -> dict:
    return {"type": "builder_formula", "spec": {"name": name, "expression": expression, "disabled": False, "legend": legend}}


def sql(query: str) -> dict:
    return {"type": "clickhouse_sql", "spec": {"name": "A", "query": query, "disabled": False, "legend": ""}}


# -- panels ---------------------------------------------------------------------------------------

_KIND = {"TimeSeries": "time_series", "BarChart": "time_series", "Histogram": "time_series", "Number": "scalar",
         "PieChart": "scalar", "Table": "scalar", "List": "raw"}  # fmt: skip


def panel(kind: str, title: str, *queries: dict, unit: str | None = None, decimals: str | None = None,
          columns: dict[str, str] | None = None, thresholds: list[dict] | None = None, links: list[dict] | None = None,
          select: list[str] | None = None, description: str = "", kind_saved: str | None = None) -> dict:  # fmt: skip
    """A panel as the UI saves it: one CompositeQuery (a List: its bare builder query); the query
    `kind` is what the UI writes for the panel kind, unless `kind_saved` says otherwise (an API client)."""
    spec: dict[str, Any] = {}
    if unit is not None or decimals is not None or columns is not None:
        spec["formatting"] = {k: v for k, v in (("unit", unit), ("decimalPrecision", decimals), ("columnUnits", columns)) if v is not None}
    if thresholds:
        spec["thresholds"] = thresholds
    if select:
        spec["selectFields"] = [{"name": s.rpartition(":")[2], "fieldContext": s.rpartition(":")[0], "fieldDataType": ""} for s in select]
    if kind in ("TimeSeries", "BarChart"):
        spec["legend"] = {"position": "bottom"}
    if kind == "List":
        plugin = {"kind": "signoz/BuilderQuery", "spec": queries[0]["spec"]}
    elif len(queries) == 1 and queries[0]["type"] == "clickhouse_sql":
        plugin = {"kind": "signoz/ClickHouseSQL", "spec": queries[0]["spec"]}
    else:
        plugin = {"kind": "signoz/CompositeQuery", "spec": {"queries": list(queries)}}
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": title, "description": description},
            "plugin": {"kind": f"signoz/{kind}Panel", "spec": spec},
            "queries": [{"kind": kind_saved or _KIND[kind], "spec": {"name": "A", "plugin": plugin}}],
            "links": links or [],
        },
    }


def variable(name: str, attribute: str, signal: str = "all", *, all_values: bool = True) -> dict:
    return {
        "kind": "ListVariable",
        "spec": {
            "name": name, "display": {"name": name, "description": ""}, "defaultValue": "__ALL__" if all_values else "",
            "allowAllValue": all_values, "allowMultiple": True, "sort": "alphabetical-asc",
            "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": attribute, "signal": signal}},
        },
    }  # fmt: skip


def text_variable(name: str, value: str) -> dict:
    return {"kind": "TextVariable", "spec": {"name": name, "display": {"name": name, "description": ""}, "value": value}}


def dashboard(name: str, title: str, variables: list[dict], sections: list[tuple[str, list[tuple[int, dict]]]]) -> dict:
    """Sections of (width, panel); panels are laid out left to right, 6 high, and keyed p<n>."""
    panels: dict[str, dict] = {}
    layouts = []
    for section_title, placed in sections:
        items, x, y = [], 0, 0
        for width, p in placed:
            if x + width > 12:
                x, y = 0, y + 6
            key = f"p{len(panels) + 1}"
            panels[key] = p
            items.append({"x": x, "y": y, "width": width, "height": 6, "content": {"$ref": f"#/spec/panels/{key}"}})
            x += width
        layouts.append({"kind": "Grid", "spec": {"display": {"title": section_title}, "items": items}})
    return {
        "schemaVersion": "v6",
        "name": name,
        "tags": [{"key": "team", "value": "platform"}],
        "spec": {"display": {"name": title, "description": ""}, "variables": variables, "panels": panels, "layouts": layouts},
    }


# -- the dashboards ---------------------------------------------------------------------------------

K8S = "k8s.cluster.name IN $k8s.cluster.name AND k8s.namespace.name IN $k8s.namespace.name"


def kubernetes() -> dict:
    pod_cpu = "k8s.pod.cpu.usage"
    return dashboard("k8s-pods", "Kubernetes pods", [variable("k8s.cluster.name", "k8s.cluster.name", "metrics"),
                                                     variable("k8s.namespace.name", "k8s.namespace.name", "metrics")], [
        ("Overview", [
            (3, panel("Number", "Pods", metric("A", "k8s.pod.phase", "latest", "count", filt=K8S, reduce="last"), decimals="0")),
            (3, panel("Number", "CPU usage", metric("A", pod_cpu, "avg", "sum", filt=K8S, reduce="avg"), unit="none")),
            (3, panel("Number", "Memory working set", metric("A", "k8s.pod.memory.working_set", "avg", "sum", filt=K8S, reduce="last"),
                      unit="bytes")),
            (3, panel("Number", "Restarts", metric("A", "k8s.container.restarts", "increase", "sum", filt=K8S, reduce="sum"),
                      thresholds=[{"value": 1, "operator": "above", "color": "Red", "format": "background"}])),
        ]),
        ("CPU", [
            (6, panel("TimeSeries", "CPU usage", metric("A", pod_cpu, "avg", "sum", filt=K8S, group=["k8s.pod.name"],
                                                        legend="{{k8s.pod.name}}"), unit="none")),
            (6, panel("TimeSeries", "CPU utilization of limit",
                      metric("A", pod_cpu, "avg", "sum", filt=K8S, group=["k8s.pod.name"], disabled=True),
                      metric("B", "k8s.container.cpu_limit", "avg", "sum", filt=K8S, group=["k8s.pod.name"], disabled=True),
                      formula("F1", "A / B", "{{k8s.pod.name}}"), unit="percentunit")),
        ]),
        ("Memory", [
            (6, panel("TimeSeries", "Memory working set", metric("A", "k8s.pod.memory.working_set", "avg", "sum", filt=K8S,
                                                                 group=["k8s.pod.name"], legend="{{k8s.pod.name}}"), unit="bytes")),
            (6, panel("BarChart", "OOM kills", metric("A", "k8s.container.oom_killed", "increase", "sum", filt=K8S,
                                                      group=["resource:k8s.namespace.name"], legend="{{k8s.namespace.name}}"))),
        ]),
        ("Pods", [
            (12, panel("Table", "Pods by usage",
                       metric("A", pod_cpu, "avg", "sum", filt=K8S, group=["k8s.pod.name", "k8s.node.name"], reduce="avg",
                              order="sum(avg(k8s.pod.cpu.usage))"),
                       metric("B", "k8s.pod.memory.working_set", "avg", "sum", filt=K8S, group=["k8s.pod.name", "k8s.node.name"],
                              reduce="last"),
                       columns={"B": "bytes"})),
        ]),
    ])  # fmt: skip


HOST = "host.name IN $host.name"


def hosts() -> dict:
    return dashboard("hosts", "Hosts", [variable("host.name", "host.name", "metrics")], [
        ("Summary", [
            (4, panel("Number", "CPU busy", metric("A", "system.cpu.utilization", "avg", "avg", filt=f"{HOST} AND state != 'idle'",
                                                   reduce="avg"), unit="percentunit")),
            (4, panel("Number", "Memory used", metric("A", "system.memory.usage", "avg", "sum", filt=f"{HOST} AND state = 'used'",
                                                      reduce="last"), unit="bytes")),
            (4, panel("Number", "Load average (1m)", metric("A", "system.cpu.load_average.1m", "avg", "max", filt=HOST,
                                                            reduce="max"), decimals="2")),
        ]),
        ("Detail", [
            (6, panel("TimeSeries", "CPU busy", metric("A", "system.cpu.utilization", "avg", "avg", filt=f"{HOST} AND state != 'idle'",
                                                       group=["host.name"], legend="{{host.name}}"), unit="percentunit")),
            (6, panel("TimeSeries", "Memory used", metric("A", "system.memory.usage", "avg", "sum", filt=f"{HOST} AND state = 'used'",
                                                          group=["host.name"], legend="{{host.name}}"), unit="bytes")),
            (6, panel("TimeSeries", "Disk I/O", metric("A", "system.disk.io", "rate", "sum", filt=f"{HOST} AND direction = 'read'",
                                                       legend="read"),
                      metric("B", "system.disk.io", "rate", "sum", filt=f"{HOST} AND direction = 'write'", legend="write"),
                      unit="binBps")),
            (6, panel("TimeSeries", "Network errors", metric("A", "system.network.errors", "rate", "sum", filt=HOST,
                                                             group=["device"], legend="{{device}}"))),
            (6, panel("PieChart", "Filesystem usage by mount",
                      metric("A", "system.filesystem.usage", "avg", "sum", filt=f"{HOST} AND state = 'used'",
                             group=["mountpoint"], reduce="last", legend="{{mountpoint}}"), unit="bytes")),
        ]),
    ])  # fmt: skip


SERVICE = "service.name IN $service.name AND deployment.environment IN $deployment.environment"


def apm() -> dict:
    return dashboard("apm-service", "Service overview", [variable("service.name", "service.name", "traces"),
                                                         variable("deployment.environment", "deployment.environment", "traces")], [
        ("Golden signals", [
            (3, panel("Number", "Requests", traces("A", "count()", filt=f"{SERVICE} AND isRoot = true"), decimals="0")),
            (3, panel("Number", "Error rate",
                      traces("A", "count()", filt=f"{SERVICE} AND has_error = true", disabled=True),
                      traces("B", "count()", filt=SERVICE, disabled=True),
                      formula("F1", "A / B * 100"), unit="percent",
                      thresholds=[{"value": 5, "operator": "above", "color": "Red", "format": "text"}])),
            (3, panel("Number", "P99 latency", traces("A", "p99(duration_nano)", filt=SERVICE), unit="ns")),
            (3, panel("Number", "Apdex-ish: fast requests",
                      traces("A", "countIf(duration_nano < 500000000) / count()", filt=SERVICE), unit="percentunit")),
        ]),
        ("Traffic", [
            (6, panel("TimeSeries", "Requests per second", traces("A", "rate()", filt=SERVICE, group=["service.name"],
                                                                  legend="{{service.name}}"), unit="reqps")),
            (6, panel("TimeSeries", "Error rate",
                      traces("A", "count()", filt=f"{SERVICE} AND has_error = true", group=["service.name"], disabled=True),
                      traces("B", "count()", filt=SERVICE, group=["service.name"], disabled=True),
                      formula("F1", "A / B * 100", "{{service.name}}"), unit="percent")),
            (6, panel("TimeSeries", "Latency", traces("A", "p50(duration_nano)", filt=SERVICE, legend="p50"),
                      traces("B", "p99(duration_nano)", filt=SERVICE, legend="p99"), unit="ns",
                      links=[{"name": "Traces", "url": "/traces-explorer?service=$service.name", "renderVariables": True}])),
            (6, panel("TimeSeries", "Database time", traces("A", "sum(duration_nano) / count()", filt=f"{SERVICE} AND db.system EXISTS",
                                                            group=["db.system"], legend="{{db.system}}"), unit="ns")),
        ]),
        ("Operations", [
            (12, panel("Table", "Top operations",
                       traces("A", "p50(duration_nano)", "p99(duration_nano)", "count()", filt=SERVICE, group=["name"],
                              order="count()", limit=20),
                       columns={"A.p50(duration_nano)": "ns", "A.p99(duration_nano)": "ns"})),
            (12, panel("List", "Recent errors", traces("A", "count()", filt=f"{SERVICE} AND has_error = true", limit=50),
                       select=["resource:service.name", "span:name", "span:duration_nano", "span:trace_id"])),
            (6, panel("TimeSeries", "Calls by peer", traces("A", "count()", filt=f"{SERVICE} AND kind_string = 'Client'",
                                                            group=["peer.service"], legend="{{peer.service}}"))),
            (6, panel("Table", "Slow endpoints (SQL)", sql(
                "SELECT attributes_string['http.route'] AS route, quantile(0.99)(duration_nano) AS p99 "
                f"FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME} "
                "AND ('__all__' IN $service.name OR serviceName IN $service.name) "
                "GROUP BY route ORDER BY p99 DESC LIMIT 10"), columns={"p99": "ns"})),
        ]),
    ])  # fmt: skip


NS = "k8s.namespace.name IN $k8s.namespace.name"


def logs_overview() -> dict:
    return dashboard("logs-overview", "Logs overview", [variable("k8s.namespace.name", "k8s.namespace.name", "logs"),
                                                        variable("service.name", "service.name", "logs")], [
        ("Volume", [
            (4, panel("Number", "Log lines", logs("A", "count()", filt=f"{NS} AND service.name IN $service.name"), decimals="0")),
            (4, panel("Number", "Errors and warnings", logs("A", "countIf(severity_text IN ('ERROR', 'WARN'))", filt=NS))),
            (4, panel("Number", "Bytes ingested", logs("A", "sum(log.size) + sum(attribute.log.extra_size)", filt=NS), unit="bytes")),
            (6, panel("BarChart", "Logs by severity", logs("A", "count()", filt=NS, group=["severity_text"], legend="{{severity_text}}"))),
            (6, panel("TimeSeries", "Error logs by service", logs("A", "count()", filt=f"{NS} AND severity_text = 'ERROR'",
                                                                  group=["service.name"], legend="{{service.name}}"))),
        ]),
        ("Search", [
            (6, panel("TimeSeries", "Timeouts", logs("A", "count()", filt=f"{NS} AND body CONTAINS 'timeout'", legend="timeouts"))),
            (6, panel("PieChart", "Top pods by errors", logs("A", "count()", filt=f"{NS} AND severity_number >= 17",
                                                             group=["k8s.pod.name"], legend="{{k8s.pod.name}}"))),
            (12, panel("List", "Error logs", logs("A", "count()", filt=f"{NS} AND severity_text = 'ERROR'", limit=100),
                       select=["log:timestamp", "log:severity_text", "log:body", "resource:k8s.pod.name"])),
        ]),
    ])  # fmt: skip


LLM = "service.name IN $service_name"


def llm_agents() -> dict:
    return dashboard("llm-agents", "LLM agents", [variable("service_name", "service.name", "traces"),
                                                  variable("model", "gen_ai.request.model", "traces")], [
        ("Usage", [
            (3, panel("Number", "LLM calls", traces("A", "count()", filt=f"{LLM} AND name = 'llm'"), decimals="0")),
            (3, panel("Number", "LLM calls per run",
                      traces("A", "count()", filt=f"{LLM} AND name = 'llm'", disabled=True),
                      traces("B", "count()", filt=f"{LLM} AND name = 'agent_run'", disabled=True),
                      formula("F1", "A / B"), decimals="1")),
            (3, panel("Number", "Tokens", traces("A", "sum(gen_ai.usage.input_tokens) + sum(gen_ai.usage.output_tokens)",
                                                 filt=f"{LLM} AND name = 'llm'"), decimals="0")),
            (3, panel("Number", "Failed tool calls",
                      traces("A", "count()", filt=f"{LLM} AND name = 'tool' AND has_error = true", disabled=True),
                      traces("B", "count()", filt=f"{LLM} AND name = 'tool'", disabled=True),
                      formula("F1", "A / B"), unit="percentunit")),
        ]),
        ("Models", [
            (6, panel("TimeSeries", "LLM calls", traces("A", "count()", filt=f"{LLM} AND name = 'llm' AND gen_ai.request.model IN $model",
                                                         group=["gen_ai.request.model"], legend="{{gen_ai.request.model}}"))),
            (6, panel("PieChart", "Calls by model", traces("A", "count()", filt=f"{LLM} AND name = 'llm'",
                                                           group=["gen_ai.request.model"], legend="{{gen_ai.request.model}}"))),
            (6, panel("TimeSeries", "Time to first token", traces("A", "p95(gen_ai.server.time_to_first_token)",
                                                                  filt=f"{LLM} AND name = 'llm'", legend="p95"), unit="s")),
            (6, panel("TimeSeries", "Tokens per call",
                      traces("A", "sum(gen_ai.usage.output_tokens)", filt=f"{LLM} AND name = 'llm'", disabled=True),
                      traces("B", "count()", filt=f"{LLM} AND name = 'llm'", disabled=True),
                      formula("F1", "A / B", "output tokens per call"), decimals="0")),
            (12, panel("Table", "Cost by model",
                       traces("A", "sum(gen_ai.usage.cost)", filt=f"{LLM} AND name = 'llm'", group=["gen_ai.request.model"]),
                       traces("B", "count()", filt=f"{LLM} AND name = 'llm'", group=["gen_ai.request.model"]),
                       columns={"A": "currencyUSD"})),
        ]),
    ])  # fmt: skip


def jvm() -> dict:
    app = "service.name IN $service.name AND host.name IN $host.name"
    return dashboard("jvm", "JVM", [variable("service.name", "service.name", "metrics"), variable("host.name", "host.name", "metrics")], [
        ("Memory", [
            (4, panel("Number", "Heap used", metric("A", "jvm.memory.used", "avg", "sum", filt=f"{app} AND jvm.memory.type = 'heap'",
                                                    reduce="last"), unit="bytes")),
            (8, panel("TimeSeries", "Heap used", metric("A", "jvm.memory.used", "avg", "sum", filt=f"{app} AND jvm.memory.type = 'heap'",
                                                        group=["jvm.memory.pool.name"], legend="{{jvm.memory.pool.name}}"),
                      unit="bytes")),
            (6, panel("TimeSeries", "GC pause", metric("A", "jvm.gc.duration", "rate", "p99", filt=app, group=["jvm.gc.name"],
                                                       legend="{{jvm.gc.name}}"), unit="s")),
            (6, panel("Histogram", "GC pause distribution", metric("A", "jvm.gc.duration", "rate", "sum", filt=app))),
            (6, panel("BarChart", "Threads", metric("A", "jvm.thread.count", "avg", "sum", filt=app, group=["jvm.thread.state"],
                                                    legend="{{jvm.thread.state}}"))),
            (6, panel("TimeSeries", "CPU", metric("A", "jvm.cpu.recent_utilization", "avg", "avg", filt=app, group=["host.name"],
                                                  legend="{{host.name}}"), unit="percentunit")),
        ]),
    ])  # fmt: skip


def postgres() -> dict:
    db = "postgresql.database.name IN $postgresql.database.name"
    return dashboard("postgres", "PostgreSQL", [variable("postgresql.database.name", "postgresql.database.name", "metrics"),
                                                text_variable("slow_ms", "500")], [
        ("Activity", [
            (3, panel("Number", "Backends", metric("A", "postgresql.backends", "avg", "sum", filt=db, reduce="last"), decimals="0")),
            (3, panel("Number", "Database size", metric("A", "postgresql.db_size", "avg", "sum", filt=db, reduce="last"), unit="bytes")),
            (6, panel("TimeSeries", "Commits and rollbacks",
                      metric("A", "postgresql.commits", "rate", "sum", filt=db, legend="commits"),
                      metric("B", "postgresql.rollbacks", "rate", "sum", filt=db, legend="rollbacks"))),
            (6, panel("TimeSeries", "Rows by operation", metric("A", "postgresql.operations", "rate", "sum", filt=db,
                                                                group=["operation"], legend="{{operation}}"))),
            (6, panel("TimeSeries", "Rollback ratio",
                      metric("A", "postgresql.rollbacks", "rate", "sum", filt=db, disabled=True),
                      metric("B", "postgresql.commits", "rate", "sum", filt=db, disabled=True),
                      formula("F1", "A / (A + B)", "rollbacks"), unit="percentunit")),
            (12, panel("Table", "Slow queries (SQL)", sql(
                "SELECT attributes_string['db.statement'] AS statement, count() AS calls, avg(duration_nano) / 1e6 AS avg_ms "
                f"FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME} AND attributes_string['db.system'] = 'postgresql' "
                "AND duration_nano > {{slow_ms}} * 1000000 GROUP BY statement ORDER BY calls DESC LIMIT 20"),
                columns={"avg_ms": "ms"})),
        ]),
    ])  # fmt: skip


def voice_agents() -> dict:
    svc = "service.name IN $service_name"
    return dashboard("voice-agents", "Voice agents", [variable("service_name", "service.name", "traces"),
                                                      text_variable("turns", "3")], [
        ("Conversations", [
            (3, panel("Number", "Conversations", traces("A", "count()", filt=f"{svc} AND name = 'conversation'"), decimals="0")),
            (3, panel("Number", "Turns per conversation",
                      traces("A", "count()", filt=f"{svc} AND name = 'turn'", disabled=True),
                      traces("B", "count()", filt=f"{svc} AND name = 'conversation'", disabled=True),
                      formula("F1", "A / B"), decimals="1")),
            (3, panel("Number", "Turn latency P95", traces("A", "p95(turn.user_bot_latency_seconds)", filt=f"{svc} AND name = 'turn'"),
                      unit="s")),
            (3, panel("Number", "Interrupted turns",
                      traces("A", "countIf(turn.was_interrupted = true)", filt=f"{svc} AND name = 'turn'", disabled=True),
                      traces("B", "count()", filt=f"{svc} AND name = 'turn'", disabled=True),
                      formula("F1", "A / B"), unit="percentunit")),
            (6, panel("TimeSeries", "Turn latency", traces("A", "avg(turn.user_bot_latency_seconds)", filt=f"{svc} AND name = 'turn'",
                                                           legend="avg"),
                      traces("B", "p95(turn.user_bot_latency_seconds)", filt=f"{svc} AND name = 'turn'", legend="p95"), unit="s")),
            (6, panel("TimeSeries", "TTFB by service", traces("A", "p95(metrics.ttfb)", filt=f"{svc} AND name IN ('stt', 'llm', 'tts')",
                                                              group=["name"], legend="{{name}}"), unit="s")),
            (12, panel("Table", "Short conversations", sql(
                "SELECT trace_id, count() AS turns FROM signoz_traces.distributed_signoz_index_v3 "
                f"WHERE {TIME} AND name = 'turn' AND ('__all__' IN $service_name OR serviceName IN $service_name) "
                "GROUP BY trace_id HAVING turns < toUInt64($turns) ORDER BY turns LIMIT 50"), columns={"turns": "none"})),
        ]),
    ])  # fmt: skip


def checkout() -> dict:
    """A team dashboard with the faults real ones have (each one a true finding, see test_corpus.py)."""
    svc = "service.name = $service.name"  # `=` with a dynamic variable that allows ALL
    return dashboard("checkout", "Checkout", [variable("service.name", "service.name", "traces"),
                                              variable("region", "cloud.region", "traces")], [
        ("Service", [
            (3, panel("Number", "Checkout latency P99", traces("A", "p99(duration_nano)", filt=f"{svc} AND name = 'checkout'"),
                      unit="ms")),  # nanoseconds shown as milliseconds
            (3, panel("Number", "Payment provider latency", metric("A", "http.client.request.duration", "avg", "p95",
                                                                   filt="server.address = 'api.stripe.com'"), unit="s",
                      kind_saved="time_series")),  # saved by a script as time_series, without reduceTo
            (6, panel("TimeSeries", "Checkouts by region", traces("A", "count()", filt="name = 'checkout' AND cloud.region IN $region",
                                                                  group=["attribute:service.name"], legend="{{service.name}}"))),
            (6, panel("Table", "Checkout steps", traces("A", "p95(duration_nano)", filt="name = 'checkout' AND cloud.region IN $region",
                                                        group=["name"], aliases=("p95",)), columns={"p95": "ns"})),
            (6, panel("Table", "Failed orders (SQL)", sql(
                "SELECT trace_id, attributes_string['order.id'] AS order_id FROM signoz_traces.distributed_signoz_index_v3 "
                f"WHERE {TIME} AND has_error = true ORDER BY timestamp DESC LIMIT 20"),
                links=[{"name": "Open trace", "url": "/trace/{{trace_id}}"}])),
        ]),
    ])  # fmt: skip


def all_dashboards() -> dict[str, dict]:
    made = (kubernetes(), hosts(), apm(), logs_overview(), llm_agents(), jvm(), postgres(), voice_agents(), checkout())
    return {d["name"]: d for d in made}
