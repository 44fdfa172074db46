"""`signoz-dac lint`: catch broken SigNoz dashboards before they ship, ours and anyone's.

Library use:

    from signoz_dac.lint import lint_dashboard
    findings = lint_dashboard(body, profile="pipecat", disable=["formula-legend"])
"""

from signoz_dac.lint.catalog import Catalog
from signoz_dac.lint.engine import lint_dashboard, validate_check_ids
from signoz_dac.lint.finding import Finding, Severity
from signoz_dac.lint.registry import CHECKS, Check

__all__ = ["CHECKS", "Catalog", "Check", "Finding", "Severity", "lint_dashboard", "validate_check_ids"]
