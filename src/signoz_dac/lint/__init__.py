"""`signoz-dac lint`: catch broken SigNoz dashboards before they ship, ours and anyone's.

Library use:

    from signoz_dac.lint import lint_dashboard
    findings = lint_dashboard(body, profile="pipecat", disable=["formula-legend"])
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Imported on first use: the command line reads cached findings (`lint.finding`) without loading
# the checks and the models they read bodies with.
_LAZY = {
    "Catalog": "signoz_dac.lint.catalog",
    "CHECKS": "signoz_dac.lint.registry",
    "Check": "signoz_dac.lint.registry",
    "Finding": "signoz_dac.lint.finding",
    "Severity": "signoz_dac.lint.finding",
    "lint_dashboard": "signoz_dac.lint.engine",
    "validate_check_ids": "signoz_dac.lint.engine",
}

if TYPE_CHECKING:
    from signoz_dac.lint.catalog import Catalog
    from signoz_dac.lint.engine import lint_dashboard, validate_check_ids
    from signoz_dac.lint.finding import Finding, Severity
    from signoz_dac.lint.registry import CHECKS, Check


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module("signoz_dac.lint.engine")  # registers every check in CHECKS
    return getattr(importlib.import_module(_LAZY[name]), name)


__all__ = ["CHECKS", "Catalog", "Check", "Finding", "Severity", "lint_dashboard", "validate_check_ids"]
