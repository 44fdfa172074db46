"""`signoz-dac push`: deploy dashboards and their alert rules to SigNoz, idempotently and without
overwriting UI edits.

Complete (read and validate every input, resolve the connection) → validate (server version; the
notification channels rules name) → plan (reads only) → apply (writes, bounded concurrency) →
report. Each definition brings its dashboard and its rules (`render_alerts`; `--no-alerts` skips
them); JSON inputs are dashboards only. Exit codes: 0 everything in place; 1 conflicts or drift
left unresolved; 2 bad input or usage (a rule naming a channel SigNoz lacks included: nothing is
written); 3 server or network failure.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from signoz_dac.cli.common import EXIT_CHANGES, EXIT_OK, EXIT_SERVER, fail_on_input_errors
from signoz_dac.cli.remote import (
    Concurrency,
    KeyFile,
    NoAlerts,
    Output,
    Paths,
    Templates,
    Url,
    check_output,
    planned,
)

if TYPE_CHECKING:
    from signoz_dac.sync import Plan, Result

PROGRESS_THRESHOLD = 4  # show a progress bar from this many items (on a terminal)


def register(app: typer.Typer) -> None:
    app.command("push")(push_command)


def push_command(
    paths: Paths = None,
    url: Url = None,
    api_key_file: KeyFile = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite dashboards and rules edited in SigNoz since the last push.")] = False,
    adopt: Annotated[bool, typer.Option("--adopt", help="Take over an unmanaged dashboard or rule with the same name.")] = False,
    lock: Annotated[bool, typer.Option("--lock", help="Lock pushed dashboards (read-only in the SigNoz UI).")] = False,
    concurrency: Concurrency = 4,
    output: Output = "text",
    templates: Templates = None,
    no_alerts: NoAlerts = False,
) -> None:
    """Create or update dashboards and their alert rules in SigNoz; unchanged ones are not written at all."""
    from signoz_dac.sync import apply

    check_output(output)
    with fail_on_input_errors(), planned(
        paths, url=url, api_key_file=api_key_file, templates=templates, alerts=not no_alerts,
        concurrency=concurrency, force=force, adopt=adopt,
    ) as (client, plan, version):
        if dry_run:
            _report_plan(plan, output, version=str(version) if version else None)
            raise typer.Exit(EXIT_CHANGES if plan.unresolved else EXIT_OK)
        with _progress(len(plan.items), enabled=output == "text") as tick:
            results = apply(client, plan, concurrency=concurrency, lock=lock, force=force, progress=tick)
    code = exit_code(results)
    _report_failures(results)
    _report_results(results, output, version=str(version) if version else None, code=code)
    raise typer.Exit(code)


def exit_code(results: list[Result]) -> int:
    from signoz_dac.sync import Outcome

    outcomes = {r.outcome for r in results}
    if any(r.error is not None for r in results):  # failed items, and writes whose lock failed
        return EXIT_SERVER
    if outcomes & {Outcome.CONFLICT, Outcome.DRIFT}:
        return EXIT_CHANGES
    return EXIT_OK


def _report_failures(results: list[Result]) -> None:
    """Failed items also go to stderr, one line each, so CI logs show why."""
    from signoz_dac.cli.remote import describe

    for result in results:
        if result.error is not None:
            typer.echo(f"error: {result.item.kind} {result.item.name}: {describe(result.error)}", err=True)


class _progress:
    """A rich progress bar on stderr for many items on a terminal; otherwise nothing."""

    def __init__(self, total: int, *, enabled: bool):
        self.total = total
        self.enabled = enabled and total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
        self._bar: Any = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(file=sys.stderr), transient=True)
        self._bar.start()
        task = self._bar.add_task("pushing", total=self.total)
        return lambda result: self._bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _console():
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _report_plan(plan: Plan, output: str, *, version: str | None) -> None:
    if output == "json":
        rows = [_item_json(item) for item in plan.items]
        _print_json({"dry_run": True, "server_version": version, "items": rows,
                     "summary": _counts(row["action"] for row in rows),
                     "exit_code": EXIT_CHANGES if plan.unresolved else EXIT_OK})
        return
    from rich.table import Table

    table = Table(title="Plan (dry run: nothing written)", title_justify="left")
    for column in ("kind", "name", "action", "source", "reason"):
        table.add_column(column)
    for item in plan.items:
        table.add_row(str(item.kind), item.name, str(item.action), item.source, item.reason)
    console = _console()
    console.print(table)
    console.print(_summary_line(_counts(str(item.action) for item in plan.items)))


def _report_results(results: list[Result], output: str, *, version: str | None, code: int) -> None:
    if output == "json":
        rows = [{**_item_json(r.item), "result": str(r.outcome), "id": r.server_id, "locked": r.locked,
                 "message": r.message} for r in results]
        _print_json({"dry_run": False, "server_version": version, "items": rows,
                     "summary": _counts(str(r.outcome) for r in results), "exit_code": code})
        return
    from rich.table import Table

    table = Table(title_justify="left")
    for column in ("kind", "name", "result", "id", "detail"):
        table.add_column(column)
    for r in results:
        detail = r.message or ("" if r.outcome == "unchanged" else r.item.reason)
        table.add_row(str(r.item.kind), r.item.name, str(r.outcome) + (" (locked)" if r.locked else ""),
                      r.server_id or "", detail)
    console = _console()
    console.print(table)
    console.print(_summary_line(_counts(str(r.outcome) for r in results)))


def _item_json(item: Any) -> dict[str, Any]:
    return {"kind": str(item.kind), "name": item.name, "source": item.source, "action": str(item.action),
            "reason": item.reason, "id": item.server_id}


def _counts(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _summary_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing to do"


def _print_json(payload: dict[str, Any]) -> None:
    import json

    typer.echo(json.dumps(payload, indent=2))
