"""SigNoz's trace tables in chDB and SigNoz's ClickHouse variable substitution, for tests and CI.

The code lives with the preview, which runs on it (`signoz_dac.preview.store`, `.schema`,
`.substitution`); this module keeps the names tests and CI jobs import from here.
"""

from signoz_dac.preview.schema import BUCKET_SECONDS, schema_statements
from signoz_dac.preview.store import TraceStore, fingerprint, span_row
from signoz_dac.preview.substitution import GoTemplateError, format_value, render_query, reserved_variables

__all__ = [
    "BUCKET_SECONDS",
    "GoTemplateError",
    "TraceStore",
    "fingerprint",
    "format_value",
    "render_query",
    "reserved_variables",
    "schema_statements",
    "span_row",
]
