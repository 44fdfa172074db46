"""`signoz-dac render`: definitions → SigNoz dashboard and alert-rule JSON files (no server needed).

Each dashboard goes to `<output>/<name>.json`, its alert rules to `<output>/<name>.alerts/<rule id>.json`.
With `--format v5`, each dashboard goes to `<output>/<name>.v5.json` instead, as the v5 JSON SigNoz
0.92-0.134 reads (`POST /api/v1/dashboards`, or the UI's import), and what SigNoz's own v5 -> v6
conversion would not bring back is listed on stderr; a dashboard with no v5 form is bad input
(exit 2), naming each JSON path. Alert rules are the same JSON on every release.
Render writes and deletes only inside the output folder, never through a link (cli/output.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.errors import InputError

from signoz_dac.cli.common import fail_on_input_errors
from signoz_dac.cli.output import OutputFolder


def register(app: typer.Typer) -> None:
    app.command("render")(render_command)


def render_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Dashboard definitions (YAML), or folders of them. Default: the built-in Pipecat and LiveKit dashboards."),
    ] = None,
    output: Annotated[Path, typer.Option("--output-dir", "-o", help="Folder to write <name>.json files into.")] = Path("build"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Use your own copy of the templates folder to restyle panels.")
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the JSON instead of writing files (one dashboard only).")] = False,
    format_: Annotated[
        str, typer.Option("--format", help="v6 (SigNoz 0.135 and newer) or v5 (SigNoz 0.92-0.134: <name>.v5.json).")
    ] = "v6",
) -> None:
    """Render dashboard definitions into SigNoz v6 JSON (the body SigNoz's POST /api/v2/dashboards accepts),
    and their alert rules into the bodies POST /api/v2/rules accepts (<name>.alerts/<rule id>.json)."""
    from signoz_dac.render import dump
    from signoz_dac.identity import rule_key
    from signoz_dac.sources import inputs

    if format_ not in ("v6", "v5"):
        raise typer.BadParameter("use v6 or v5", param_hint="--format")
    with fail_on_input_errors():
        # Complete and validate everything before writing anything: a bad definition leaves no files.
        rendered, alerts = [], []
        for item in inputs(definitions, templates=templates, other_files="definition"):
            if not item.is_definition:
                raise InputError(f"{item.path}: render takes definitions (.yaml); this is SigNoz JSON already")
            rendered.append((item.path, dump(item.dashboard().body)))
            rules = item.rules()
            alerts.append([(rule_key(rule)[1], dump(rule)) for rule, _ in rules])  # type: ignore[index]
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
        with OutputFolder(output) as out:
            out.refuse_links([(folder, name) for folder, name, _, _ in files] + [(folder, None) for folder in stale])
            out.write_all([(folder, name, text) for folder, name, text, _ in files])
            for folder, name, _, path in files:
                typer.echo(f"wrote {out.show(folder, name)} (from {path})")
            for folder, (keep, path) in stale.items():
                for removed in out.remove_stale(folder, keep):
                    typer.echo(f"removed {out.show(folder, removed)} (no longer in {path})")


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
        raise SchemaError(exc.issues, f"{path}: no v5 form (the dashboard JSON of SigNoz 0.92-0.134)") from None
    notes = not_carried(body)
    if notes:
        typer.echo(f"note: {path}: SigNoz's v5 -> v6 conversion does not bring back {len(notes)} of its fields:", err=True)
        for note in notes:
            typer.echo(f"  {note}", err=True)
    return dump(v5)


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names
