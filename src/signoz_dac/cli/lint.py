"""`signoz-dac lint`: find broken filters, units, SQL, variables and names before a dashboard ships.

Exit 0: clean (warnings allowed unless --strict); 1: findings at the failing severity; 2: unusable
input or usage (one line on stderr).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cli.common import EXIT_CHANGES, EXIT_INPUT, EXIT_OK, fail_on_input_errors


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)


def lint_command(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Definitions (.yaml) or SigNoz v6 dashboard JSON files, or folders of them. "
            "Default: the built-in dashboards.",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Telemetry profile for span/attribute checks: pipecat, livekit, livekit-legacy. "
                     "Default: the definition's profile; none for JSON."),
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="Rule id to skip (repeatable); see --list-rules.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="text, json or github (Actions annotations).")] = "text",
    list_rules: Annotated[bool, typer.Option("--list-rules", help="Print the rules and exit.")] = False,
) -> None:
    """Lint dashboards: filter syntax, aggregations, variables, units, ClickHouse SQL, field contexts, names."""
    from signoz_dac.lint import output as fmt
    from signoz_dac.lint.registry import RULES

    if output not in fmt.FORMATS:
        typer.echo(f"error: --output must be one of {', '.join(fmt.FORMATS)}, not {output!r}", err=True)
        raise typer.Exit(EXIT_INPUT)
    if list_rules:
        import signoz_dac.lint.engine  # noqa: F401  (registers every rule)

        typer.echo(fmt.rules_table(sorted(RULES.values(), key=lambda r: r.id), output), nl=False)
        raise typer.Exit(EXIT_OK)

    with fail_on_input_errors():
        findings, count = _run(inputs or [], profile, disable or [])
    failing = {"error", "warning"} if strict else {"error"}
    failed = any(f.severity in failing for f in findings)
    if output == "json":
        typer.echo(fmt.as_json(findings, count, failed), nl=False)
    elif output == "github":
        typer.echo(fmt.github(findings), nl=False)
    else:
        typer.echo(fmt.text(findings, count), nl=False)
    raise typer.Exit(EXIT_CHANGES if failed else EXIT_OK)


def _run(paths: list[Path], profile: str | None, disable: list[str]):
    from signoz_dac.errors import InputError
    from signoz_dac.lint import lint_dashboard, validate_rule_ids
    from signoz_dac.lint.catalog import load_catalog
    from signoz_dac.lint.finding import Finding
    from signoz_dac.lint.inputs import load_inputs
    from signoz_dac.profiles import PROFILES

    if profile is not None and profile not in PROFILES:
        raise InputError(f"--profile {profile!r} is not one of {', '.join(PROFILES)}")
    cli_disabled = validate_rule_ids(disable)
    catalogs: dict[str, object] = {}

    def catalog_for(name: str | None):
        if name is None:
            return None
        if name not in catalogs:
            catalogs[name] = load_catalog(name)
        return catalogs[name]

    findings: list[Finding] = []
    items = load_inputs(paths)
    for item in items:
        try:
            own = validate_rule_ids(item.disable)
        except InputError as err:
            raise InputError(f"{item.source}: lint.disable: {err}") from None
        disabled = cli_disabled | own
        if item.body is None:  # the renderer refused it: its schema issues are the findings
            if "schema" not in disabled:
                findings.extend(
                    Finding("schema", "error", i.path, i.message, item.source, i.location) for i in item.schema_issues
                )
            continue
        chosen = profile or item.profile
        findings.extend(
            lint_dashboard(
                item.body,
                profile=chosen,
                catalog=catalog_for(chosen),
                disable=disabled,
                source=item.source,
                locate=item.locate,
            )
        )
    return findings, len(items)
