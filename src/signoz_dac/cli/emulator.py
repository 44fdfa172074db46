"""`signoz-dac emulator`: run the project's SigNoz emulator in the foreground, for users' CI.

It serves SigNoz's dashboards, rules, channels and version APIs as the release `--version` names
(`signoz_dac.testing.SigNozEmulator`), holding everything in memory. When it listens it prints its
URL, alone on one line of stdout; it stops on Ctrl-C (exit 130) or SIGTERM (exit 0). Keys are
given as `--key KEY[:ROLE]` and never printed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from signoz_dac.cli.common import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, keep_secret, say

DEFAULT_KEY = "test-key"


def register(app: typer.Typer) -> None:
    app.command("emulator")(emulator_command)


def emulator_command(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port to listen on; 0 picks a free one.")] = 8080,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    keys: Annotated[
        list[str] | None,
        typer.Option("--key", metavar="KEY[:ROLE]", show_default=False,
                     help=f"An API key it accepts (repeatable), with its role: admin, editor (the default) or viewer. "
                     f"Default: {DEFAULT_KEY}:editor."),
    ] = None,
    version: Annotated[
        str, typer.Option("--version", metavar="VERSION", help="The SigNoz release to behave as, e.g. 0.134.0.")
    ] = "0.138.0",
    channels: Annotated[
        list[str] | None,
        typer.Option("--channel", metavar="NAME", show_default=False,
                     help="A notification channel it has (repeatable), for alert rules that name one."),
    ] = None,
) -> None:
    """Run a SigNoz emulator (its dashboards, rules and channels APIs, in memory) until Ctrl-C or SIGTERM.
    Prints its URL on one line once it listens."""
    import signal
    import sys
    import threading

    from signoz_dac.testing import SigNozEmulator

    api_keys = dict(_key(text) for text in keys or [f"{DEFAULT_KEY}:editor"])
    for key in api_keys:
        keep_secret(key)
    emulator = SigNozEmulator(version=version, api_keys=api_keys, channels=channels or [])
    try:
        emulator.start(host=host, port=port)
    except OSError as exc:
        say(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    roles = ", ".join(sorted(set(api_keys.values())))
    say(f"note: SigNoz emulator {emulator.version} with {len(api_keys)} key(s) ({roles}); Ctrl-C or SIGTERM stops it",
        err=True)
    say(emulator.url)
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        emulator.stop()
        raise typer.Exit(EXIT_INTERRUPTED) from None
    emulator.stop()
    raise typer.Exit(EXIT_OK)


def _key(text: str) -> tuple[str, str]:
    """`KEY` or `KEY:ROLE` (a key may hold colons: only a known role after the last one is a role)."""
    from signoz_dac.testing.emulator import ROLES

    key, sep, role = text.rpartition(":")
    if not sep:
        key, role = text, "editor"
    elif role not in ROLES:
        raise typer.BadParameter(f"the role after the last ':' must be one of {', '.join(ROLES)}", param_hint="--key")
    if not key or any(c.isspace() or not c.isprintable() for c in key):
        raise typer.BadParameter("a key is printable characters without spaces", param_hint="--key")
    return key, role

