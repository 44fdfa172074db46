"""`signoz-dac render`: definitions → SigNoz dashboard and alert-rule JSON files (no server needed).

Each dashboard goes to `<output-dir>/<name>.json`, its alert rules to `<output-dir>/<name>.alerts/<rule id>.json`.
With `--format v5`, each dashboard goes to `<output-dir>/<name>.v5.json` instead, as the v5 JSON SigNoz
0.92-0.134 reads (`POST /api/v1/dashboards`, or the UI's import), and what SigNoz's own v5 -> v6
conversion would not bring back is listed on stderr; a dashboard with no v5 form is bad input
(exit 2), naming each JSON path. Alert rules are the same JSON on every release.
Render writes and deletes only inside the output folder, never through a link (cli/output.py).
A definition rendered before by the same code is read from the cache (signoz_dac/cache.py).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cache import ResultCache, cache_dir
from signoz_dac.cli.common import (
    UNCHECKED,
    NoCache,
    Output,
    OutputDir,
    check_output,
    failures_reported,
    report_files,
    shown,
)
from signoz_dac.cli.output import OutputFolder
from signoz_dac.errors import InputError
from signoz_dac.sources import Input, inputs


def register(app: typer.Typer) -> None:
    app.command("render")(render_command)


def render_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Dashboard definitions (YAML), or folders of them. Default: the built-in Pipecat and LiveKit dashboards.",
                       **UNCHECKED),
    ] = None,
    output_dir: OutputDir = Path("build"),
    output: Output = "text",
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Use your own copy of the templates folder to restyle panels.", **UNCHECKED)
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the JSON instead of writing files (one dashboard only).")] = False,
    format_: Annotated[
        str, typer.Option("--format", help="v6 (SigNoz 0.135 and newer) or v5 (SigNoz 0.92-0.134: <name>.v5.json).")
    ] = "v6",
    no_cache: NoCache = False,
) -> None:
    """Render dashboard definitions into SigNoz v6 JSON (the body SigNoz's POST /api/v2/dashboards accepts),
    and their alert rules into the bodies POST /api/v2/rules accepts (<name>.alerts/<rule id>.json).
    --output json prints what was written and removed as one JSON document."""
    check_output(output, folder_flag="-d")
    if format_ not in ("v6", "v5"):
        raise typer.BadParameter("use v6 or v5", param_hint="--format")
    if stdout and output == "json":
        raise typer.BadParameter("--stdout prints the dashboard itself; --output json describes files written",
                                 param_hint="--stdout")
    with failures_reported(output):
        # Complete and validate everything before writing anything: a bad definition leaves no files.
        store = ResultCache("render", None if no_cache else cache_dir(), templates)
        rendered, alerts = [], []
        for item in inputs(definitions, templates=templates, other_files="definition"):
            if not item.is_definition:
                raise InputError(f"{shown(item.path)}: render takes definitions (.yaml); this is SigNoz JSON already")
            dashboard, rules = store.remember(item.path, [], partial(_render, item), encode=list, decode=_files)
            rendered.append((item.path, dashboard))
            alerts.append(rules)
        if stdout and len(rendered) != 1:
            raise typer.BadParameter("--stdout takes exactly one definition", param_hint="--stdout")
        names = _output_names(rendered)
        texts = [_as_v5(path, text) for path, text in rendered] if format_ == "v5" else [t for _, t in rendered]
        if stdout:
            typer.echo(texts[0], nl=False)
            return
        suffix = ".v5.json" if format_ == "v5" else ".json"
        files: list[tuple[str | None, str, str, Path]] = []  # (folder in -o or None, file, text, definition)
        stale: dict[str, tuple[set[str], Path]] = {}  # rule folder -> (its files now, definition)
        for (path, _), text, name, rules in zip(rendered, texts, names, alerts):
            files.append((None, f"{name}{suffix}", text, path))
            files += [(f"{name}.alerts", f"{rule_id}.json", rule, path) for rule_id, rule in rules]
            stale[f"{name}.alerts"] = ({f"{rule_id}.json" for rule_id, _ in rules}, path)
        rows = []
        with OutputFolder(output_dir) as out:
            out.refuse_links([(folder, name) for folder, name, _, _ in files] + [(folder, None) for folder in stale])
            out.write_all([(folder, name, text) for folder, name, text, _ in files])
            for folder, name, _, path in files:
                rows.append(_row("wrote", folder, shown(out.show(folder, name)), path))
            for folder, (keep, path) in stale.items():
                for removed in out.remove_stale(folder, keep):
                    rows.append(_row("removed", folder, shown(out.show(folder, removed)), path))
    report_files(rows, output)


RuleFiles = list[tuple[str, str]]  # (rule id, its JSON)


def _render(item: Input) -> tuple[str, RuleFiles]:
    """A definition's dashboard JSON and its alert rules' JSON."""
    from signoz_dac.identity import rule_key
    from signoz_dac.render import dump

    dashboard = dump(item.dashboard().body)
    return dashboard, [(rule_key(rule)[1], dump(rule)) for rule, _ in item.rules()]  # type: ignore[index]


def _files(stored: list[object]) -> tuple[str, RuleFiles]:
    """A cache entry back into what `_render` returns (ValueError for any other shape)."""
    dashboard, rules = stored
    if not isinstance(dashboard, str) or not isinstance(rules, list):
        raise ValueError("not a render entry")
    files = [(rule_id, text) for rule_id, text in rules]
    if not all(isinstance(part, str) for pair in files for part in pair):
        raise ValueError("not a render entry")
    return dashboard, files


def _row(action: str, folder: str | None, path: str, source: Path) -> dict[str, str]:
    return {"action": action, "kind": "rule" if folder else "dashboard", "path": path, "source": shown(source)}


def _as_v5(path: Path, text: str) -> str:
    """A rendered v6 body as v5 JSON; what SigNoz's conversion would not bring back goes to stderr."""
    import json
    import warnings

    from signoz_dac.errors import SchemaError
    from signoz_dac.render import dump
    from signoz_dac.render.v5 import NotCarried, not_carried, to_v5

    body = json.loads(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotCarried)  # said below, one line each
            v5 = to_v5(body)
    except SchemaError as exc:
        raise SchemaError(exc.issues, f"{shown(path)}: no v5 form (the dashboard JSON of SigNoz 0.92-0.134)") from None
    notes = not_carried(body)
    if notes:
        typer.echo(f"note: {shown(path)}: SigNoz's v5 -> v6 conversion does not bring back {len(notes)} of its fields:", err=True)
        for note in notes:
            typer.echo(f"  {note}", err=True)
    return dump(v5)


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [shown(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names
