"""`render_v5`: a definition rendered as the v5 dashboard JSON SigNoz 0.92-0.134 reads.

The conversion itself (v6 body -> v5, `to_v5`, and what it does not carry back, `not_carried`) is
on the SigNoz side, `signoz_dac.signoz.v5.write`, beside SigNoz's own v5 -> v6 conversion; the
client uses it too, to write dashboards through SigNoz's v1 API.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from signoz_dac.signoz.v5.write import NotCarried, not_carried, to_v5

if TYPE_CHECKING:
    from signoz_dac.definitions import Dashboard

__all__ = ["NotCarried", "not_carried", "render_v5", "to_v5"]


def render_v5(dashboard: Dashboard, *, templates: str | Path | None = None) -> dict[str, Any]:
    """`signoz_dac.render`, as the v5 JSON SigNoz 0.92-0.134 reads (see `to_v5`)."""
    from signoz_dac.render.pipeline import render

    return to_v5(render(dashboard, templates=templates))
