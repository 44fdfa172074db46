"""`signoz-dac init PROFILE [PATH]`: start a definition from the one signoz-dac ships for a framework.

The shipped definitions come from the installed package (`signoz_dac.resources`), so this works
after a plain `pip install`. The copy keeps every comment of the original. An existing file is
left alone unless `--force` is given; the file is written whole or not at all, with the user's umask.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cli.common import EXIT_INPUT, fail_on_input_errors, say, shown

# Profile -> the shipped definition it starts from. livekit-agents 1.5-1.8.1 (`livekit-legacy`)
# get LiveKit's definition with their profile: the same panels, read from the older spans.
SOURCES = {"pipecat": "pipecat", "livekit": "livekit", "livekit-legacy": "livekit"}

_LIVEKIT_HEADER = (
    "# LiveKit voice agent: the dashboard signoz-dac ships for livekit-agents >= 1.8.2 (verified on 1.8.9).\n"
    "# For livekit-agents 1.5 - 1.8.1 use `profile: livekit-legacy`.\n"
)
_LEGACY_HEADER = (
    "# LiveKit voice agent, for livekit-agents 1.5 - 1.8.1 (verified on 1.7.1; `profile: livekit-legacy`).\n"
    "# For livekit-agents >= 1.8.2 start from `signoz-dac init livekit` instead.\n"
)


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)


def init_command(
    profile: Annotated[
        str | None,
        typer.Argument(metavar="PROFILE", help=f"The framework's profile: {', '.join(SOURCES)}.", show_default=False),
    ] = None,
    path: Annotated[
        str | None,
        typer.Argument(metavar="PATH", help="The file to write, or a folder for <profile>.yaml. Default: ./<profile>.yaml.",
                       show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
) -> None:
    """Write the definition signoz-dac ships for a framework, with its comments, ready to edit."""
    if profile not in SOURCES:
        said = f"unknown profile {profile!r}" if profile else "name a profile"
        say(f"error: {said}: choose one of {', '.join(SOURCES)}", err=True)
        raise typer.Exit(EXIT_INPUT)
    target = Path(path) if path else Path(f"{profile}.yaml")
    if target.is_dir() or (path or "").endswith(("/", "\\")):  # a folder, or one to make
        target = target / f"{profile}.yaml"
    if (target.exists() or target.is_symlink()) and not force:
        say(f"error: {shown(target)} exists; pass --force to overwrite it", err=True)
        raise typer.Exit(EXIT_INPUT)
    from signoz_dac.cli.output import write_file

    with fail_on_input_errors():
        write_file(target, definition_text(profile))
    say(f"wrote {shown(target)} (the {profile} dashboard); edit it, then: signoz-dac render {shown(target)}")


def definition_text(profile: str) -> str:
    """The shipped definition for `profile`, comments and all."""
    from signoz_dac.resources import builtin_definition

    text = builtin_definition(SOURCES[profile]).read_text(encoding="utf-8")
    if profile == "livekit-legacy":
        if not text.startswith(_LIVEKIT_HEADER) or text.count("\nprofile: livekit\n") != 1:
            raise AssertionError("livekit.yaml changed: update init's livekit-legacy edit")
        text = _LEGACY_HEADER + text[len(_LIVEKIT_HEADER):]
        text = text.replace("\nprofile: livekit\n", "\nprofile: livekit-legacy\n")
    return text
