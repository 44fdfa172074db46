"""Lint on a corpus of realistic dashboards (tests/lint/corpus.py): every finding was reviewed by
hand and is pinned here with the reason it is true; anything else lint reports is a false alarm."""

from __future__ import annotations

import pytest

from signoz_dac.lint import lint_dashboard
from tests.lint.corpus import all_dashboards

Q = "spec.queries[0].spec.plugin.spec.queries[0].spec"

# (dashboard, rule, path) → why it is a true finding
TRUE_FINDINGS = {
    ("checkout", "panel-unit", "spec.panels.p1.spec.plugin.spec.formatting.unit"):
        "p99(duration_nano) is in nanoseconds; shown as ms every value reads 10^6 too large",
    ("checkout", "filter-variable-all", f"spec.panels.p1.{Q}.filter.expression"):
        "service.name = $service.name compares with '__all__' under ALL: the tile shows nothing",
    ("checkout", "panel-reduce-to", f"spec.panels.p2.{Q}.aggregations[0].reduceTo"):
        "the UI runs a Number panel as scalar; a metrics aggregation without reduceTo fails when viewed",
    ("checkout", "field-context-resource", f"spec.panels.p3.{Q}.groupBy[0].fieldContext"):
        "service.name grouped with the attribute context: SigNoz drops the grouping",
    ("checkout", "table-column-key", "spec.panels.p4.spec.plugin.spec.formatting.columnUnits.p95"):
        "the UI keys a builder column by query name (A), not by alias: the ns unit is never applied",
    ("checkout", "panel-link-hidden", "spec.panels.p5.spec.links"):
        "a ClickHouse SQL table has no drilldown menu, where the UI shows links",
}  # fmt: skip


def _findings():
    return [(name, f) for name, body in all_dashboards().items() for f in lint_dashboard(body)]


def test_every_finding_on_the_corpus_is_a_reviewed_true_one() -> None:
    found = {(name, f.check, f.path) for name, f in _findings() if f.check != "schema"}
    assert found == set(TRUE_FINDINGS)


def test_the_corpus_is_varied() -> None:
    bodies = all_dashboards().values()
    panels = [p for b in bodies for p in b["spec"]["panels"].values()]
    kinds = {p["spec"]["plugin"]["kind"] for p in panels}
    assert len(panels) >= 60 and len(kinds) == 7


def test_signoz_accepts_the_corpus_dashboards_without_faults() -> None:
    schema = [(name, f.path) for name, f in _findings() if f.check == "schema" and name != "checkout"]
    assert schema == []
