"""Run the registered checks over one dashboard body and turn their hits into findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import signoz_dac.lint.checks  # noqa: F401  (registers every check)
from signoz_dac.errors import InputError, Location
from signoz_dac.lint.catalog import Catalog, load_catalog
from signoz_dac.lint.context import LintContext
from signoz_dac.lint.finding import Finding
from signoz_dac.lint.registry import CHECKS, FINDERS, check

# A finder that raised: lint must never crash on a dashboard, and must not hide its own bug either.
INTERNAL = check("internal-error", "error", "A lint check itself failed on this dashboard; please report it.")
# An input lint cannot read: a v5 export, broken JSON, a definition that does not load or render.
INPUT = check("input", "error", "Every input must be a readable v6 dashboard, alert rule or definition (v5: export again from SigNoz).")

Locate = Callable[[str], Location | None]


def validate_check_ids(ids: Iterable[str]) -> set[str]:
    """The ids as a set; unknown ids are an input error naming the known ones."""
    ids = set(ids)
    unknown = sorted(ids - CHECKS.keys())
    if unknown:
        raise InputError(f"unknown lint check(s) {', '.join(unknown)}; see `signoz-dac lint --list-checks`")
    return ids


def lint_dashboard(
    body: dict[str, Any],
    *,
    profile: str | None = None,
    disable: Iterable[str] = (),
    catalog: Catalog | None = None,
    source: str | None = None,
    locate: Locate | None = None,
) -> list[Finding]:
    """Lint one SigNoz v6 dashboard body, or an alert rule body; the findings are sorted by JSON path.

    `profile` selects the telemetry catalog for the profile-* checks (`pipecat`, `livekit`, ...);
    `catalog` overrides it (tests, custom frameworks). `locate` maps a JSON path to the definition
    line it was rendered from, when the caller knows it.
    """
    if not isinstance(body, dict):
        raise InputError("a dashboard or rule body must be a JSON object")
    disabled = validate_check_ids(disable)
    if catalog is None and profile is not None:
        try:
            catalog = load_catalog(profile)
        except KeyError as err:
            raise InputError(str(err.args[0])) from None
    ctx = LintContext(body, profile, catalog)
    findings: list[tuple[Finding, str]] = []  # with the hit's message without its subject
    for check_ids, fn in FINDERS:
        if all(c in disabled for c in check_ids):
            continue
        try:
            hits = list(fn(ctx))
        except Exception as err:  # noqa: BLE001  (reported as a finding, see INTERNAL)
            if INTERNAL not in disabled:
                message = f"check {fn.__name__} failed: {type(err).__name__}: {err}"
                findings.append((Finding(INTERNAL, "error", "", message, source), message))
            continue
        for hit in hits:
            if hit.check in disabled:
                continue
            where = locate(hit.path) if locate else None
            message = f"{hit.subject}: {hit.message}" if hit.subject else hit.message
            findings.append((Finding(hit.check, CHECKS[hit.check].severity, hit.path, message, source, where), hit.message))
    findings.sort(key=lambda pair: (pair[0].path, pair[0].check, pair[0].message))
    return _said_once(findings)


def _said_once(findings: list[tuple[Finding, str]]) -> list[Finding]:
    """The findings, each message said once per definition line: one line of a definition renders
    into several queries (a panel's tile and its chart), and its mistake is one mistake."""
    seen: set[tuple[Location, str, str]] = set()
    out = []
    for finding, message in findings:
        if finding.location is not None:
            key = (finding.location, finding.check, message)
            if key in seen:
                continue
            seen.add(key)
        out.append(finding)
    return out
