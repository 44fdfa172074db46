"""What lint reports: one failed check at one place in one dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from signoz_dac.errors import Location

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    check: str  # check id, e.g. `panel-unit`
    severity: Severity
    path: str  # JSON path into the SigNoz body, e.g. `spec.panels.latency.spec.plugin.spec.formatting.unit`
    message: str  # says what is wrong and what to do about it
    source: str | None = None  # the file the dashboard came from, when it came from one
    location: Location | None = None  # the definition line, when the body was rendered from YAML

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "source": self.source,
            "file": str(self.location.file) if self.location else self.source,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
        }
