"""What `push` and `diff` share: where SigNoz is, the API key, and server failures as exit code 3.

Configuration comes from flags, then SIGNOZ_URL / SIGNOZ_API_KEY, then the Terraform provider's
SIGNOZ_ENDPOINT / SIGNOZ_ACCESS_TOKEN. The key is never printed, logged or written anywhere; there
is deliberately no `--api-key` flag (it would land in shell history and `ps`), only a file.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from signoz_dac.cli.common import EXIT_SERVER
from signoz_dac.errors import InputError

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.sync import Plan

Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Definitions (.yaml), SigNoz dashboard JSON files or folders. Default: the built-in dashboards."),
]
Url = Annotated[str | None, typer.Option("--url", help="SigNoz base URL. Default: $SIGNOZ_URL, then $SIGNOZ_ENDPOINT.")]
KeyFile = Annotated[
    Path | None,
    typer.Option("--api-key-file", help="Read the API key from this file. Default: $SIGNOZ_API_KEY, then $SIGNOZ_ACCESS_TOKEN."),
]
Concurrency = Annotated[int, typer.Option("--concurrency", min=1, max=32, help="Dashboards and rules handled at once.")]
Output = Annotated[str, typer.Option("--output", help="text or json.")]
Templates = Annotated[Path | None, typer.Option("--templates", help="Your own copy of the templates folder.")]
NoAlerts = Annotated[bool, typer.Option("--no-alerts", help="Leave alert rules alone: dashboards only.")]


URL_VARIABLES = ("SIGNOZ_URL", "SIGNOZ_ENDPOINT")
KEY_VARIABLES = ("SIGNOZ_API_KEY", "SIGNOZ_ACCESS_TOKEN")
# What an HTTP header value can carry as it is: printable ASCII, no spaces. Anything else would
# make httpx fail with the key in its message (or an encoding traceback) after connecting.
API_KEY_RE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str = field(repr=False)


def resolve_connection(
    url: str | None, api_key_file: Path | None, environ: Mapping[str, str] | None = None
) -> Connection:
    """The server and key to use; raises InputError (exit 2) when either is missing or malformed."""
    environ = os.environ if environ is None else environ
    url = url or next((environ[v] for v in URL_VARIABLES if environ.get(v)), None)
    if not url:
        raise InputError("no SigNoz URL: pass --url or set SIGNOZ_URL (e.g. https://acme.us.signoz.cloud)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--url {url!r} is not an http(s) URL such as https://acme.us.signoz.cloud")
    if api_key_file is not None:
        try:
            key = api_key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InputError(f"{api_key_file}: cannot read the API key file: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"{api_key_file}: the API key file is not UTF-8 text") from None
        if not key:
            raise InputError(f"{api_key_file}: the API key file is empty")
    else:
        key = next((environ[v].strip() for v in KEY_VARIABLES if environ.get(v, "").strip()), "")
    if not key:
        raise InputError(
            "no API key: set SIGNOZ_API_KEY (a service-account key; Editor role to push, Viewer to diff) "
            "or pass --api-key-file"
        )
    if not API_KEY_RE.fullmatch(key):
        # Never echo the key, not even a part of it: this message goes to CI logs.
        where = api_key_file or next(v for v in KEY_VARIABLES if environ.get(v, "").strip())
        raise InputError(
            f"the API key in {where} contains spaces, control characters or non-ASCII characters, "
            "which an HTTP header cannot carry; check that it was copied whole"
        )
    return Connection(url=url.rstrip("/"), api_key=key)


def plain_http_warning(url: str) -> str | None:
    """A warning when the key would cross the network unencrypted (loopback is fine)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or _is_loopback(parts.hostname or ""):
        return None
    return f"warning: the API key will be sent over plain http to {parts.hostname}; use https"


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(connection: Connection, *, concurrency: int) -> SigNozClient:
    from signoz_dac.signoz.client import SigNozClient

    warning = plain_http_warning(connection.url)
    if warning:
        typer.echo(warning, err=True)
    return SigNozClient(connection.url, connection.api_key, max_connections=max(4, concurrency))


def describe(exc: Exception) -> str:
    """One line for a server failure, with a hint where the fix is known."""
    from signoz_dac.signoz.errors import AuthError

    hint = ""
    if isinstance(exc, AuthError):
        hint = (
            " (check SIGNOZ_API_KEY: is it a current service-account key for this SigNoz?)" if exc.status == 401
            else " (the key's service account needs the Editor role to write dashboards and rules)"
        )
    return f"{exc}{hint}"


@contextmanager
def fail_on_server_errors() -> Iterator[None]:
    """A server or network failure ends the command with exit 3 and one line on stderr."""
    from signoz_dac.signoz.errors import SigNozError

    try:
        yield
    except SigNozError as exc:
        typer.echo(f"error: {describe(exc)}", err=True)
        raise typer.Exit(EXIT_SERVER) from None


def check_output(output: str) -> None:
    if output not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--output")


@contextmanager
def planned(
    paths: list[Path] | None, *, url: str | None, api_key_file: Path | None, templates: Path | None,
    alerts: bool, concurrency: int, force: bool = False, adopt: bool = False,
) -> Iterator[tuple[SigNozClient, Plan, object]]:
    """What push and diff both do first: read and validate every input, resolve the connection,
    check the server's version, and plan (reads only). Yields (client, plan, version), client open."""
    from signoz_dac.sources import load_inputs
    from signoz_dac.sync import make_plan
    from signoz_dac.sync.labels import check_rule_stampable
    from signoz_dac.sync.tags import check_stampable

    inputs = load_inputs(paths, templates=templates, alerts=alerts)
    # What planning would refuse without asking the server (too many tags...), refused before
    # connecting: every input error is exit 2, even with the server down.
    for _, body in inputs.dashboards:
        check_stampable(body)
    for _, rule in inputs.rules:
        check_rule_stampable(rule)
    connection = resolve_connection(url, api_key_file)
    with fail_on_server_errors(), connect(connection, concurrency=concurrency) as client:
        version = client.check_version()
        plan = make_plan(client, inputs.dashboards, rules=inputs.rules, force=force, adopt=adopt,
                         concurrency=concurrency)
        yield client, plan, version
