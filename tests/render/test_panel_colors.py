"""A voice panel's `colors`: legend colours on the charts and pies it expands into (SigNoz's UI
colours a series by its label from `legend.customColors`), and nowhere else."""

from __future__ import annotations

import textwrap

import signoz_dac
from tests.render.helpers import panel

DEFINITION = """\
name: coloured
title: Coloured
profile: livekit
sections:
  - title: Errors
    panels:
      - type: error_rate           # a tile (no legend) and a chart
        colors: {openai: "#10a37f", deepgram: red}
      - type: model_distribution   # a pie
        component: llm
        colors: {gpt-4o-mini: "#10a37f"}
      - type: turn_latency         # no colors: legends as before
"""


def _render(tmp_path, text: str) -> dict:
    path = tmp_path / "coloured.yaml"
    path.write_text(textwrap.dedent(text))
    return signoz_dac.render(signoz_dac.load_definition(path))


def test_colors_reach_the_legend_of_every_chart_and_pie_and_only_there(tmp_path):
    body = _render(tmp_path, DEFINITION)
    chart = panel(body, "error-rate-over-time")["plugin"]["spec"]["legend"]
    assert chart == {"position": "bottom", "mode": "list", "customColors": {"openai": "#10a37f", "deepgram": "red"}}
    pie = panel(body, "model-distribution-llm")["plugin"]["spec"]["legend"]
    assert pie == {"position": "right", "mode": "list", "customColors": {"gpt-4o-mini": "#10a37f"}}
    assert "legend" not in panel(body, "error-rate")["plugin"]["spec"]  # a number tile has no legend
    assert "customColors" not in panel(body, "turn-latency")["plugin"]["spec"]["legend"]


def test_without_colors_a_panel_renders_as_it_always_has(tmp_path):
    coloured = _render(tmp_path, DEFINITION)
    plain = _render(tmp_path, DEFINITION.replace('        colors: {openai: "#10a37f", deepgram: red}\n', ""))
    legend = panel(coloured, "error-rate-over-time")["plugin"]["spec"].pop("legend")
    assert legend.pop("customColors")
    assert panel(plain, "error-rate-over-time")["plugin"]["spec"].pop("legend") == legend
    assert panel(coloured, "error-rate-over-time") == panel(plain, "error-rate-over-time")
