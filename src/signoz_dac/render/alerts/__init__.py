"""Render a definition's alert rules into SigNoz rule bodies (POST /api/v2/rules).

- views.py     what the template receives
- expand.py    semantic rules → views, queries shared with the panels (render/queries.py)
- pipeline.py  render_alerts: template → JSON → strict validation
"""

from signoz_dac.render.alerts.pipeline import render_alerts

__all__ = ["render_alerts"]
