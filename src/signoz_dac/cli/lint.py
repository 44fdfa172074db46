"""`signoz-dac lint`: find broken filters, units, SQL, variables and names before a dashboard ships.

Exit 0: clean (warnings allowed unless --strict); 1: findings at the failing severity (a file lint
cannot read is a finding for that file); 2: usage (an unknown flag value or check, a path that does
not exist), one line on stderr, or one JSON document with `error` under `--output json`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from signoz_dac.cache import ResultCache, cache_dir
from signoz_dac.cli.common import EXIT_CHANGES, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, UNCHECKED, NoCache, say, shown
from signoz_dac.errors import Location
from signoz_dac.lint.finding import Finding
from signoz_dac.sources import Input
from signoz_dac.sources import inputs as input_files

if TYPE_CHECKING:
    from signoz_dac.lint.catalog import Catalog


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)


def lint_command(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Definitions (.yaml), SigNoz v6 dashboard or alert-rule JSON files, or folders of them. "
            "Default: the built-in dashboards.",
            show_default=False,
            **UNCHECKED,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Telemetry profile for span/attribute checks: pipecat, livekit, livekit-legacy. "
                     "Default: the definition's profile; none for JSON."),
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", metavar="CHECK", help="Check id to skip (repeatable); see --list-checks.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="text, json or github (Actions annotations).")] = "text",
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the checks and exit.")] = False,
    list_rules: Annotated[bool, typer.Option("--list-rules", hidden=True, help="Deprecated: --list-checks.")] = False,
    no_cache: NoCache = False,
) -> None:
    """Lint dashboards and alert rules: filter syntax, aggregations, variables, units, ClickHouse SQL,
    field contexts, names, and what SigNoz's UI does with them."""
    from signoz_dac.errors import InputError
    from signoz_dac.lint import output as fmt
    from signoz_dac.lint.registry import CHECKS

    if output not in fmt.FORMATS:
        typer.echo(f"error: --output must be one of {', '.join(fmt.FORMATS)}, not {output!r}", err=True)
        raise typer.Exit(EXIT_INPUT)
    if list_checks or list_rules:
        import signoz_dac.lint.engine  # noqa: F401  (registers every check)

        typer.echo(fmt.checks_table(sorted(CHECKS.values(), key=lambda c: c.id), output), nl=False)
        raise typer.Exit(EXIT_OK)

    try:
        findings, counts = _run(inputs or [], profile, disable or [], ResultCache("lint", None if no_cache else cache_dir()))
    except (InputError, KeyboardInterrupt) as exc:
        message, code = (str(exc), EXIT_INPUT) if isinstance(exc, InputError) else ("interrupted", EXIT_INTERRUPTED)
        if output == "json":  # still exactly one document on stdout
            typer.echo(fmt.as_json([], {}, True, error=message), nl=False)
        else:
            typer.echo(f"error: {message}", err=True)
        raise typer.Exit(code) from None
    failing = {"error", "warning"} if strict else {"error"}
    failed = any(f.severity in failing for f in findings)
    if output == "json":
        typer.echo(fmt.as_json(findings, counts, failed), nl=False)
    elif output == "github":
        typer.echo(fmt.github(findings), nl=False)
    else:  # for people: the built-in definitions as <builtin>/pipecat.yaml (json and github keep real paths);
        # through `say`, as a finding quotes what the dashboard says (a title could hold escape sequences or `::`)
        say(fmt.text([_shown(f) for f in findings], counts), nl=False)
    raise typer.Exit(EXIT_CHANGES if failed else EXIT_OK)


def _run(paths: list[Path], profile: str | None, disable: list[str], store: ResultCache) -> tuple[list[Finding], dict[str, int]]:
    """Every file's findings, and how many dashboards and rules were linted. A file linted before
    by the same code with the same options is read from the cache; a bad option or check id is
    found when the first file is linted (a cache entry exists only for options that were valid)."""
    findings: list[Finding] = []
    counts = {"dashboards": 0, "rules": 0}
    catalogs: dict[str, Catalog | None] = {}
    options = [f"profile={profile}", *sorted(set(disable))]
    for source in input_files(paths, other_files="json", rule_folders=True):
        found, seen = store.remember(
            source.path,
            [f"definition={source.is_definition}", *options],
            partial(_lint_file, source, profile, disable, catalogs),
            encode=_encode,
            decode=_decode,
        )
        findings += found
        for kind, count in seen.items():
            counts[kind] += count
    return findings, counts


def _lint_file(
    source: Input, profile: str | None, disable: list[str], catalogs: dict[str, Catalog | None]
) -> tuple[list[Finding], dict[str, int]]:
    """The findings of one input file (a definition's dashboard and rules, or a JSON body)."""
    from signoz_dac.errors import InputError
    from signoz_dac.lint import lint_dashboard, validate_check_ids
    from signoz_dac.lint.catalog import load_catalog
    from signoz_dac.lint.engine import INPUT
    from signoz_dac.lint.inputs import read_input
    from signoz_dac.profiles import PROFILES
    from signoz_dac.signoz.reading import is_rule

    if profile is not None and profile not in PROFILES:
        raise InputError(f"--profile {profile!r} is not one of {', '.join(PROFILES)}")
    cli_disabled = validate_check_ids(disable)

    def catalog_for(name: str | None) -> Catalog | None:
        if name is None:
            return None
        if name not in catalogs:
            catalogs[name] = load_catalog(name)
        return catalogs[name]

    findings: list[Finding] = []
    counts = {"dashboards": 0, "rules": 0}
    for item in read_input(source):
        try:
            own = validate_check_ids(item.disable)
        except InputError as err:
            findings.append(Finding(INPUT, "error", "", f"lint.disable: {err}", item.source))
            continue
        disabled = cli_disabled | own
        if item.body is None:  # nothing to lint: the findings say why
            findings.extend(f for f in item.findings if f.check not in disabled)
            continue
        counts["rules" if is_rule(item.body) else "dashboards"] += 1
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
    return findings, counts


def _shown(finding: Finding) -> Finding:
    location = finding.location
    return replace(
        finding,
        source=shown(finding.source) if finding.source else None,
        location=Location(shown(location.file), location.line, location.column) if location else None,
    )


def _encode(result: tuple[list[Finding], dict[str, int]]) -> dict[str, Any]:
    findings, counts = result
    return {
        "findings": [
            [f.check, f.severity, f.path, f.message, f.source,
             *((str(f.location.file), f.location.line, f.location.column) if f.location else (None, None, None))]
            for f in findings
        ],
        "counts": counts,
    }


def _decode(stored: dict[str, Any]) -> tuple[list[Finding], dict[str, int]]:
    """A cache entry back into findings (KeyError, TypeError or ValueError for any other shape)."""
    findings = []
    for check, severity, path, message, source, file, line, column in stored["findings"]:
        if severity not in ("error", "warning") or not all(isinstance(t, str) for t in (check, path, message)):
            raise ValueError("not a lint entry")
        location = Location(file, line, column) if file is not None else None
        findings.append(Finding(check, severity, path, message, source, location))
    counts = {kind: int(stored["counts"][kind]) for kind in ("dashboards", "rules")}
    return findings, counts
