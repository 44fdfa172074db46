"""Build a dashboard in Python instead of YAML: a latency-only view for a LiveKit agent.

    python examples/custom_dashboard.py > latency.json
"""

from __future__ import annotations

import sys

import signoz_dac
from signoz_dac.definitions import (
    ComponentLatency,
    Dashboard,
    DynamicVariable,
    Section,
    Size,
    Thresholds,
    TurnLatency,
)

dashboard = Dashboard(
    name="livekit-latency",
    title="LiveKit latency",
    profile="livekit",
    tags={"team": "voice"},
    variables=[
        DynamicVariable(kind="dynamic", name="service_name", attribute="service.name", default=["support-agent"]),
    ],
    sections=[
        Section(
            title="Latency",
            panels=[
                TurnLatency(type="turn_latency", percentiles=[50, 90, 99], thresholds=Thresholds(warning=0.7, critical=1.0)),
                *(
                    ComponentLatency(type="component_latency", component=c, size=Size(width=4, height=6))
                    for c in ("stt", "llm", "tts")
                ),
            ],
        )
    ],
)

if __name__ == "__main__":
    sys.stdout.write(signoz_dac.dump(signoz_dac.render(dashboard)))
