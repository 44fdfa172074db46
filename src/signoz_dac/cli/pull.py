"""`signoz-dac pull [NAME…|--all|--tag key=value] -d DIR`: dashboards in SigNoz → definitions (YAML).

The same as `import`, from a live SigNoz (a Viewer key is enough). A dashboard signoz-dac manages
that someone edited in SigNoz's UI comes back as edited, so the edit can be reviewed and committed
instead of overwritten; push's own tags are left out (push adds them again). Exit 0 when every
dashboard was written, 2 for bad input (a name SigNoz does not have, a body a definition cannot
say), 3 when the server or the network fails.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from signoz_dac.cli.common import Output, OutputDir, check_output, failures_reported, keep_secret, say
from signoz_dac.cli.remote import (
    DEFAULT_TIMEOUT_SECONDS,
    KeyFile,
    Timeout,
    Url,
    connect,
    fail_on_server_errors,
    resolve_connection,
)


def register(app: typer.Typer) -> None:
    app.command("pull")(pull_command)


def pull_command(
    names: Annotated[list[str] | None, typer.Argument(help="Dashboard names (SigNoz's `name`, not the title).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dashboard.")] = False,
    tags: Annotated[list[str] | None, typer.Option("--tag", help="Dashboards with this tag, key=value (repeat: all of them).")] = None,
    output_dir: OutputDir = Path("."),
    output: Output = "text",
    url: Url = None,
    api_key_file: KeyFile = None,
    timeout: Timeout = DEFAULT_TIMEOUT_SECONDS,
) -> None:
    """Write dashboards from SigNoz as definitions that render back to them (edits made in the UI included)."""
    from signoz_dac.cli.importer import write_definitions
    from signoz_dac.errors import InputError
    from signoz_dac.identity import DASHBOARD_MARKS, is_managed
    from signoz_dac.importer import import_dashboard
    from signoz_dac.signoz.deadline import Deadline

    check_output(output, folder_flag="-d")
    wanted_tags = [_tag(t) for t in tags or []]
    if not names and not all_ and not wanted_tags:
        raise typer.BadParameter("name the dashboards, or pass --all or --tag key=value", param_hint="NAME")
    with failures_reported(output):
        connection = resolve_connection(url, api_key_file)
        keep_secret(connection.api_key)
        with fail_on_server_errors(), connect(connection, concurrency=4, deadline=Deadline(timeout)) as client:
            listed = client.list_dashboards()
            chosen = _choose(listed, names or [], all_, wanted_tags, legacy_ok=client.serves_legacy_dashboards())
            imported = []
            for summary in chosen:
                # Before SigNoz 0.135 this is the stored v5 JSON: import converts it as SigNoz would,
                # naming the JSON path of what the conversion refuses.
                body = client.get_dashboard_as_stored(summary["id"], legacy=bool(summary.get("legacy")))
                result = import_dashboard(body, source=f"{connection.url} ({_label(summary)})", drop_tags=DASHBOARD_MARKS)
                if is_managed(summary):
                    note = "managed by signoz-dac: this is SigNoz's copy, with any edits made in its UI"
                    result = replace(result, notes=(*result.notes, note))
                imported.append(result)
        if not imported:
            raise InputError("no dashboard matched: nothing to pull")
        write_definitions(imported, output_dir, output)


def _label(summary: dict[str, Any]) -> str:
    """How the output names a dashboard's origin: its name, or (before SigNoz 0.135, where one push
    did not write has none) its title and id. Server text, made one safe line."""
    from signoz_dac.safetext import printable

    name = summary.get("name")
    if name:
        return printable(name, limit=100)
    return f"{printable(_title(summary) or '', limit=100)!r}, id {printable(summary.get('id'), limit=100)}"


def _title(summary: dict[str, Any]) -> Any:
    return ((summary.get("spec") or {}).get("display") or {}).get("name")


def _tag(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise typer.BadParameter(f"{text!r} is not key=value", param_hint="--tag")
    return key, value


def _choose(
    listed: list[dict[str, Any]], names: list[str], all_: bool, tags: list[tuple[str, str]], *, legacy_ok: bool = False
) -> list[dict[str, Any]]:
    """The listed dashboards to pull, in list order; a name SigNoz lacks (or holds twice) is bad input.
    A dashboard still stored in v1's format is skipped (saying so) unless the server still serves
    it (`legacy_ok`: SigNoz 0.129-0.134 with `use_dashboard_v2` on)."""
    from signoz_dac.errors import InputError
    from signoz_dac.safetext import printable
    from signoz_dac.signoz.dashboards_v1 import name_after_title

    by_name: dict[str, list[dict[str, Any]]] = {}
    by_title: dict[str, list[dict[str, Any]]] = {}  # before 0.135, those push did not write: no name
    for summary in listed:
        if summary.get("name"):
            by_name.setdefault(summary["name"], []).append(summary)
        elif not summary.get("legacy"):
            by_title.setdefault(name_after_title(_title(summary)), []).append(summary)
    named: set[int] = set()
    for name in names:
        # A name push wrote wins; else the name pull gives a dashboard without one (as push takes it).
        found = by_name.get(name) or by_title.get(name, [])
        named.update(map(id, found))
        if not found:
            raise InputError(f"SigNoz has no dashboard named {name!r} (the name, not the title; see --all)")
        if len(found) > 1:
            raise InputError(f"SigNoz has {len(found)} dashboards named {name!r}; pull cannot tell them apart")
        if found[0].get("legacy") and not legacy_ok:
            raise InputError(f"dashboard {name!r} is still stored in SigNoz's v1 format; migrate it in SigNoz first")

    def folded(key: Any, value: Any) -> tuple[str, str]:
        # SigNoz trims tags and compares them without case (it stores one cased like the org's).
        return str(key).strip().lower(), str(value).strip().lower()

    def wanted(summary: dict[str, Any]) -> bool:
        pairs = {folded(t.get("key"), t.get("value")) for t in summary.get("tags") or [] if isinstance(t, dict)}
        return (all_ or id(summary) in named or bool(tags)) and all(folded(*t) in pairs for t in tags)

    chosen = [s for s in listed if wanted(s)]
    if legacy_ok:
        return chosen
    for summary in chosen:
        if summary.get("legacy"):
            name = printable(summary.get("name"), limit=100)  # server text: one safe line
            say(f"skipped {name}: stored in SigNoz's v1 format (migrate it in SigNoz first)", err=True)
    return [s for s in chosen if not s.get("legacy")]
