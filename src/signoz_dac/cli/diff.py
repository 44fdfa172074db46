"""`signoz-dac diff`: what push would change, per panel (per part for an alert rule) and as a
unified diff of canonical JSON, and the lock state it would set. Rules come with their definitions,
as for push (`--no-alerts`). What the definition set (`--set`) pushed before and no input holds any
more is listed as an orphan (`push --prune` deletes it).

Reads only (a Viewer key is enough), and takes no lock. Exit codes follow `kubectl diff`: 0 no
changes, 1 changes or drift (or a conflict, an orphan, a lock state to change, or duplicate rules to
delete), 2 bad input, 3 server or network failure or the --timeout deadline, 130 Ctrl-C.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from signoz_dac.cli.common import (
    EXIT_CHANGES,
    EXIT_OK,
    Output,
    check_output,
    failures_reported,
    say,
    shown,
)
from signoz_dac.cli.remote import (
    DEFAULT_TIMEOUT_SECONDS,
    Concurrency,
    KeyFile,
    LockAll,
    NoAlerts,
    Paths,
    SetName,
    Templates,
    Timeout,
    Url,
    planned,
)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)


def diff_command(
    paths: Paths = None,
    url: Url = None,
    api_key_file: KeyFile = None,
    summary_only: Annotated[bool, typer.Option("--summary", help="Per-panel summary only, no unified diff.")] = False,
    concurrency: Concurrency = 4,
    output: Output = "text",
    templates: Templates = None,
    no_alerts: NoAlerts = False,
    timeout: Timeout = DEFAULT_TIMEOUT_SECONDS,
    set_name: SetName = None,
    lock: LockAll = False,
) -> None:
    """Show how the dashboards and rules in SigNoz differ from the definitions; exit 1 if they do."""
    check_output(output)
    with failures_reported(output, interrupted="nothing was written (diff only reads)"), planned(
        paths, url=url, api_key_file=api_key_file, templates=templates, alerts=not no_alerts,
        concurrency=concurrency, timeout=timeout, set_name=set_name, lock_all=lock,
    ) as (_client, plan, _version):
        entries = [_entry(item, with_diff=not summary_only) for item in plan.items]
    code = EXIT_CHANGES if plan.changes else EXIT_OK
    if output == "json":
        import json

        say(json.dumps({"set": plan.set_name, "items": entries, "exit_code": code}, indent=2))
    else:
        for entry in entries:
            _print_entry(entry)
    raise typer.Exit(code)


def _entry(item: Any, *, with_diff: bool) -> dict[str, Any]:
    from signoz_dac.sync import Action, summarize, unified_diff

    entry: dict[str, Any] = {"kind": str(item.kind), "name": item.name, "source": shown(item.source),
                             "action": str(item.action), "reason": item.reason, "id": item.server_id,
                             "duplicates": list(item.duplicates), "lock": item.lock_change, "panels": [],
                             "other": [], "diff": ""}
    # Compare whenever we know both sides: create (against nothing), update, drift (shows the UI
    # edits). An orphan has no definition to compare with.
    if item.action == Action.UNCHANGED or item.desired is None or (
            item.action == Action.CONFLICT and item.current is None):
        return entry
    summary = summarize(item.current, item.desired)
    entry["panels"] = [{"key": p.key, "title": p.title, "change": p.change, "parts": list(p.parts)} for p in summary.panels]
    entry["other"] = summary.other
    if with_diff:
        entry["diff"] = unified_diff(item.current, item.desired, item.name)
    return entry


_MARK = {"create": "+", "update": "~", "unchanged": "=", "drift": "!", "conflict": "!", "orphan": "-", "delete": "-"}


def _print_entry(entry: dict[str, Any]) -> None:
    from signoz_dac.sync import PanelChange

    kind = "rule " if entry["kind"] == "rule" else ""
    mark = "~" if entry["lock"] is not None and entry["action"] == "unchanged" else _MARK[entry["action"]]
    say(f"{mark} {kind}{entry['name']} ({entry['action']}: {entry['reason']})  [{entry['source']}]")
    for panel in entry["panels"]:
        say(f"    {PanelChange(panel['key'], panel['title'], panel['change'], tuple(panel['parts']))}")
    for part in entry["other"]:
        say(f"    ~ {part}: changed")
    if entry["diff"]:
        say(entry["diff"])
