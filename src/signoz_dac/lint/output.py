"""Findings → text for people, JSON for machines, annotation lines for GitHub Actions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from signoz_dac.lint.finding import Finding
from signoz_dac.lint.registry import Check
from signoz_dac.safetext import printable

FORMATS = ("text", "json", "github")


def summary(findings: Sequence[Finding], counts: dict[str, int]) -> dict[str, int]:
    """Findings by severity, and what was linted: {"dashboards": n, "rules": m}."""
    errors = sum(f.severity == "error" for f in findings)
    return {"errors": errors, "warnings": len(findings) - errors, "dashboards": counts.get("dashboards", 0),
            "rules": counts.get("rules", 0)}  # fmt: skip


def _linted(counts: dict[str, int]) -> str:
    parts = [(counts.get("dashboards", 0), "dashboard"), (counts.get("rules", 0), "alert rule")]
    said = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in parts if n]
    return " and ".join(said) or "nothing"


def _where(f: Finding) -> str:
    if f.location is not None:
        return str(f.location)
    return f.source or "<dashboard>"


def text(findings: Sequence[Finding], counts: dict[str, int]) -> str:
    lines = []
    for f in findings:
        first, *rest = f.message.splitlines() or [""]
        lines.append(f"{_where(f)}: {f.severity} [{f.check}] {first}")
        lines.extend(f"    {line}" for line in rest)
        if f.path:
            lines.append(f"    at {f.path}")
    s = summary(findings, counts)
    if findings:
        linted = _linted(counts)
        lines.append(f"{s['errors']} error(s), {s['warnings']} warning(s)" + (f" in {linted}" if linted != "nothing" else ""))
    else:
        lines.append(f"{_linted(counts)} linted, no findings")
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding], counts: dict[str, int], failed: bool, error: str | None = None) -> str:
    """One JSON document; `error` (a usage error, exit 2) is present only when lint could not run."""
    doc: dict = {"findings": [f.to_dict() for f in findings], "summary": summary(findings, counts), "failed": failed}
    if error is not None:
        doc["error"] = error
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    # GitHub's workflow-command escaping: the message may not hold raw newlines or '%'. What a
    # dashboard says (a panel title) is quoted in messages: its control characters and terminal
    # escape sequences go, line by line, as everywhere signoz-dac prints.
    value = "\n".join(printable(line, limit=None) for line in value.split("\n"))
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        props = []
        file = str(f.location.file) if f.location else f.source
        if file:
            props.append(f"file={_escape_property(file)}")
        if f.location and f.location.line:
            props.append(f"line={f.location.line}")
            if f.location.column:
                props.append(f"col={f.location.column}")
        props.append(f"title={_escape_property(f.check)}")
        message = f"{f.path}: {f.message}" if f.path else f.message
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def checks_table(checks: Sequence[Check], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"id": r.id, "severity": r.severity, "doc": r.doc} for r in checks], indent=2) + "\n"
    width = max(len(r.id) for r in checks)
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.doc}\n" for r in checks)
