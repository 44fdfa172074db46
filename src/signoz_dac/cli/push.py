"""`signoz-dac push`: deploy dashboards and their alert rules to SigNoz, idempotently and without
overwriting UI edits.

Complete (read and validate every input, resolve the connection) → validate (server version; the
notification channels rules name) → plan (reads only) → apply (writes, bounded concurrency) →
report. Each definition brings its dashboard and its rules (`render_alerts`; `--no-alerts` skips
them); JSON inputs are dashboards only. The inputs are one definition set (`--set`): what the set
pushed before and no input holds any more is reported as an orphan, and deleted with `--prune`. A
push that writes holds the push lock from before it plans until it ends (see `sync/lock.py`), so
concurrent pushes take turns. Exit codes: 0 everything in place (orphans left without --prune
included); 1 conflicts or drift left unresolved; 2 bad input or usage (a rule naming a channel
SigNoz lacks included: nothing is written); 3 server or network failure, or the --timeout deadline
passed; 130 Ctrl-C (after the writes in flight end, with the report of what was done).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from signoz_dac.cli.common import (
    EXIT_CHANGES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SERVER,
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
    note,
    planned,
)

if TYPE_CHECKING:
    from signoz_dac.sync import Plan, Result
    from signoz_dac.sync.apply import Interrupted

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
    prune: Annotated[bool, typer.Option("--prune", help="Delete the dashboards and rules this definition set pushed "
                                        "that no input holds any more (never anything else).")] = False,
    set_name: SetName = None,
    lock: LockAll = False,
    concurrency: Concurrency = 4,
    output: Output = "text",
    templates: Templates = None,
    no_alerts: NoAlerts = False,
    timeout: Timeout = DEFAULT_TIMEOUT_SECONDS,
) -> None:
    """Create or update dashboards and their alert rules in SigNoz; unchanged ones are not written at all.
    With --prune, delete those of this definition set that no input holds any more."""
    from signoz_dac.sync import apply
    from signoz_dac.sync.apply import Interrupted

    check_output(output)
    server: dict[str, str | None] = {"version": None, "set": None}
    try:
        with failures_reported(output, interrupted="nothing was written"), planned(
            paths, url=url, api_key_file=api_key_file, templates=templates, alerts=not no_alerts,
            concurrency=concurrency, timeout=timeout, force=force, adopt=adopt, write=not dry_run,
            set_name=set_name, prune=prune, lock_all=lock,
        ) as (client, plan, version):
            server["version"] = str(version) if version else None
            server["set"] = plan.set_name
            if dry_run:
                _report_plan(plan, output, version=server["version"])
                raise typer.Exit(EXIT_CHANGES if plan.unresolved else EXIT_OK)
            with _progress(len(plan.items), enabled=output == "text") as tick:
                results = apply(client, plan, concurrency=concurrency, lock=lock, force=force, progress=tick,
                                notice=note)
    except Interrupted as interrupted:
        _report_interrupted(interrupted, output, version=server["version"], set_name=server["set"])
    code = exit_code(results)
    _report_failures(results)
    _report_results(results, output, version=server["version"], set_name=server["set"], code=code)
    _report_deadline(results, timeout)
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
    """Failed items also go to stderr, one line each, so CI logs show why (those the deadline ended
    get one line for all of them, `_report_deadline`)."""
    from signoz_dac.cli.remote import describe
    from signoz_dac.signoz.errors import DeadlineExceeded

    for result in results:
        if result.error is not None and not isinstance(result.error, DeadlineExceeded):
            say(f"error: {result.item.kind} {result.item.name}: {describe(result.error)}", err=True)


def _done(results: list[Result]) -> str:
    """What a stopped push did: `2 created, 1 unchanged, 5 not started`."""
    from signoz_dac.sync import Outcome

    names = {Outcome.SKIPPED: "not started"}
    counts = _counts(names.get(r.outcome, str(r.outcome)) for r in results)
    return _summary_line(counts)


def _report_deadline(results: list[Result], timeout: float) -> None:
    from signoz_dac.signoz.errors import DeadlineExceeded

    if any(isinstance(r.error, DeadlineExceeded) for r in results):
        say(f"error: the deadline of {timeout:g} s (--timeout) passed during the push: {_done(results)}; "
            "run push again to finish", err=True)


def _report_interrupted(interrupted: Interrupted, output: str, *, version: str | None, set_name: str | None) -> None:
    """Ctrl-C during apply: the usual report of what was done, one line on what was not, exit 130."""
    results = interrupted.results
    _report_results(results, output, version=version, set_name=set_name, code=EXIT_INTERRUPTED)
    if interrupted.abandoned:
        say(f"error: interrupted, writes in flight abandoned: {_done(results)}; run push again to reconcile "
            "(the push lock stays until it expires)", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)  # abandoned writes still run in threads that would hold the exit
    say(f"error: interrupted: {_done(results)}; run push again to finish", err=True)
    raise typer.Exit(EXIT_INTERRUPTED)


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


def _show(table: Any, summary: str) -> None:
    """A table and its summary line, rendered by rich into text that goes out through `say`."""
    import io
    import shutil

    from rich.console import Console

    buffer = io.StringIO()
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 160
    console = Console(file=buffer, highlight=False, soft_wrap=False, width=width, color_system=None)
    console.print(table)
    console.print(summary, markup=False)
    say(buffer.getvalue(), nl=False)


def _table(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], title: str | None = None) -> Any:
    """Cells as plain Text: what a server sent is never read as rich markup (`[/x]` would even raise)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(str(cell)) for cell in row))
    return table


def _report_plan(plan: Plan, output: str, *, version: str | None) -> None:
    if output == "json":
        items = [_item_json(item) for item in plan.items]
        _print_json({"dry_run": True, "server_version": version, "set": plan.set_name, "items": items,
                     "summary": _counts(row["action"] for row in items),
                     "exit_code": EXIT_CHANGES if plan.unresolved else EXIT_OK})
        return
    rows = [(str(item.kind), item.name, str(item.action), shown(item.source), item.reason) for item in plan.items]
    title = f"Plan for the definition set {plan.set_name!r} (dry run: nothing written)"
    _show(_table(("kind", "name", "action", "source", "reason"), rows, title=title),
          _summary_line(_counts(str(item.action) for item in plan.items)))


def _report_results(results: list[Result], output: str, *, version: str | None, set_name: str | None,
                    code: int) -> None:
    if output == "json":
        items = [{**_item_json(r.item), "result": str(r.outcome), "id": r.server_id, "locked": r.locked,
                 "message": r.message} for r in results]
        _print_json({"dry_run": False, "server_version": version, "set": set_name, "items": items,
                     "summary": _counts(str(r.outcome) for r in results), "exit_code": code})
        return
    rows = [
        (str(r.item.kind), r.item.name, str(r.outcome) + (" (locked)" if r.locked else ""), r.server_id or "",
         r.message or ("" if r.outcome == "unchanged" else r.item.reason))
        for r in results
    ]
    _show(_table(("kind", "name", "result", "id", "detail"), rows), _summary_line(_counts(str(r.outcome) for r in results)))


def _item_json(item: Any) -> dict[str, Any]:
    return {"kind": str(item.kind), "name": item.name, "source": shown(item.source), "action": str(item.action),
            "reason": item.reason, "id": item.server_id, "duplicates": list(item.duplicates),
            "lock": item.lock_change}


def _counts(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


_NOUNS = ("orphan", "conflict")  # the states named by a noun, which take a plural ("3 orphans")


def _summary_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}{'s' if what in _NOUNS and n > 1 else ''}" for what, n in sorted(counts.items())) or "nothing to do"


def _print_json(payload: dict[str, Any]) -> None:
    import json

    say(json.dumps(payload, indent=2))
