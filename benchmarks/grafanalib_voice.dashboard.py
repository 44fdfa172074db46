"""An 18-panel voice-agent dashboard in grafanalib, for the start-up benchmark's named baseline:
`generate-dashboard -o out.json grafanalib_voice.dashboard.py` is grafanalib's whole-process render,
the same job `signoz-dac render` does (without validating the output against a server's rules).

Written for the benchmark: two sections of nine panels (time series, stats, a table, a pie) over
Prometheus queries, with a service variable, close to what our Pipecat dashboard shows.
"""

from grafanalib.core import (
    Dashboard,
    GridPos,
    PieChartv2,
    RowPanel,
    Stat,
    Table,
    Target,
    Template,
    Templating,
    TimeSeries,
)

DATASOURCE = "prometheus"
SERVICE = 'service_name="$service"'


def _series(title: str, expr: str, unit: str, x: int, y: int) -> TimeSeries:
    return TimeSeries(
        title=title,
        dataSource=DATASOURCE,
        targets=[Target(expr=expr, legendFormat="{{service_name}}", refId="A")],
        unit=unit,
        gridPos=GridPos(h=8, w=8, x=x, y=y),
    )


def _stat(title: str, expr: str, unit: str, x: int, y: int) -> Stat:
    return Stat(
        title=title,
        dataSource=DATASOURCE,
        targets=[Target(expr=expr, refId="A")],
        format=unit,
        gridPos=GridPos(h=4, w=8, x=x, y=y),
    )


def _section(name: str, top: int) -> list:
    span = f'{name}_duration_seconds_bucket{{{SERVICE}}}'
    return [
        RowPanel(title=name.upper(), gridPos=GridPos(h=1, w=24, x=0, y=top)),
        _series(f"{name} p50 latency", f"histogram_quantile(0.5, sum by (le) (rate({span}[5m])))", "s", 0, top + 1),
        _series(f"{name} p95 latency", f"histogram_quantile(0.95, sum by (le) (rate({span}[5m])))", "s", 8, top + 1),
        _series(f"{name} p99 latency", f"histogram_quantile(0.99, sum by (le) (rate({span}[5m])))", "s", 16, top + 1),
        _stat(f"{name} calls", f'sum(increase({name}_calls_total{{{SERVICE}}}[$__range]))', "short", 0, top + 9),
        _stat(f"{name} errors", f'sum(increase({name}_errors_total{{{SERVICE}}}[$__range]))', "short", 8, top + 9),
        _stat(f"{name} error rate", f'sum(rate({name}_errors_total{{{SERVICE}}}[5m])) / sum(rate({name}_calls_total{{{SERVICE}}}[5m]))',
              "percentunit", 16, top + 9),
        _series(f"{name} throughput", f'sum(rate({name}_calls_total{{{SERVICE}}}[5m]))', "reqps", 0, top + 13),
        Table(
            title=f"{name} slowest calls",
            dataSource=DATASOURCE,
            targets=[Target(expr=f"topk(10, max by (model) (rate({span}[5m])))", format="table", instant=True, refId="A")],
            gridPos=GridPos(h=8, w=8, x=8, y=top + 13),
        ),
        PieChartv2(
            title=f"{name} calls by model",
            dataSource=DATASOURCE,
            targets=[Target(expr=f'sum by (model) (increase({name}_calls_total{{{SERVICE}}}[$__range]))', refId="A")],
            gridPos=GridPos(h=8, w=8, x=16, y=top + 13),
        ),
    ]


dashboard = Dashboard(
    title="Voice agent (grafanalib)",
    uid="voice-agent-grafanalib",
    tags=["voice", "benchmark"],
    templating=Templating(list=[
        Template(name="service", label="Service", dataSource=DATASOURCE, query="label_values(service_name)"),
    ]),
    panels=_section("llm", 0) + _section("tts", 21),
    timezone="browser",
).auto_panel_ids()
