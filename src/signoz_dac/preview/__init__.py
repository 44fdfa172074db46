"""See a dashboard before it ships: every panel's numbers computed locally from spans.

- `spans`: read spans from OTLP JSON, the console exporter's output or our captures;
- `engine`: SigNoz's trace tables in chDB, loaded with those spans;
- `query`, `filters`, `aggregate`, `fields`, `formula`: a v6 builder query on traces evaluated with
  SigNoz's query-builder semantics; `evaluate`: panels (and alert rules) → numbers;
- `page`, `charts`, `units`: the self-contained HTML page, laid out like SigNoz;
- `pipeline.preview_html`: all of it.
"""

from signoz_dac.preview.pipeline import Dashboard, preview_html

__all__ = ["Dashboard", "preview_html"]
