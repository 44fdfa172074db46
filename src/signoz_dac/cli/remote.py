"""What `push` and `diff` share: where SigNoz is, the API key, the definition set, the deadline, the
push lock, and server failures as exit code 3.

Configuration comes from flags, then SIGNOZ_URL / SIGNOZ_API_KEY, then the Terraform provider's
SIGNOZ_ENDPOINT / SIGNOZ_ACCESS_TOKEN. The key is never printed, logged or written anywhere; there
is deliberately no `--api-key` flag (it would land in shell history and `ps`), only a file. A URL
with user info (`https://user:secret@host`) is refused rather than used or shown.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from signoz_dac.cli.common import EXIT_SERVER, UNCHECKED, fail, keep_secret, say
from signoz_dac.errors import InputError
from signoz_dac.identity import DEFAULT_SET, set_name_problem

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.signoz.deadline import Deadline
    from signoz_dac.sources import Inputs
    from signoz_dac.sync import Plan

Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Definitions (.yaml), SigNoz dashboard JSON files or folders. Default: the built-in dashboards.",
                   **UNCHECKED),
]
Url = Annotated[str | None, typer.Option("--url", help="SigNoz base URL. Default: $SIGNOZ_URL, then $SIGNOZ_ENDPOINT.")]
KeyFile = Annotated[
    Path | None,
    typer.Option("--api-key-file", help="Read the API key from this file. Default: $SIGNOZ_API_KEY, then $SIGNOZ_ACCESS_TOKEN.",
                 **UNCHECKED),
]
Concurrency = Annotated[int, typer.Option("--concurrency", min=1, max=32, help="Dashboards and rules handled at once.")]
Templates = Annotated[Path | None, typer.Option("--templates", help="Your own copy of the templates folder.", **UNCHECKED)]
NoAlerts = Annotated[bool, typer.Option("--no-alerts", help="Leave alert rules alone: dashboards only.")]
Timeout = Annotated[
    float,
    typer.Option("--timeout", min=1, max=86400, metavar="SECONDS",
                 help="Give up (exit 3) when the whole run takes longer than this, retries and waits included."),
]
DEFAULT_TIMEOUT_SECONDS = 120.0
LockAll = Annotated[
    bool,
    typer.Option("--lock", help="Every dashboard locked (read-only in the SigNoz UI), whatever its definition's "
                                "`locked:` says (JSON inputs included)."),
]
SetName = Annotated[
    str | None,
    typer.Option("--set", metavar="NAME", envvar="SIGNOZ_DAC_SET", show_envvar=False,
                 help="The definition set the inputs form: stamped on every dashboard and rule pushed, and "
                      "what orphans (and --prune) are scoped to. Default: $SIGNOZ_DAC_SET, then the git "
                      "remote (owner.repo) of the inputs' repository."),
]


URL_VARIABLES = ("SIGNOZ_URL", "SIGNOZ_ENDPOINT")
KEY_VARIABLES = ("SIGNOZ_API_KEY", "SIGNOZ_ACCESS_TOKEN")
# What an HTTP header value can carry as it is: printable ASCII, no spaces. Anything else would
# make httpx fail with the key in its message (or an encoding traceback) after connecting.
API_KEY_RE = re.compile(r"[\x21-\x7e]+")
MAX_KEY_BYTES = 4096  # a SigNoz key is a few dozen characters; more is not a key file


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str = field(repr=False)


def resolve_connection(
    url: str | None, api_key_file: Path | None, environ: Mapping[str, str] | None = None
) -> Connection:
    """The server and key to use; raises InputError (exit 2) when either is missing or malformed."""
    from signoz_dac.signoz.client import check_url

    environ = os.environ if environ is None else environ
    url = url or next((environ[v] for v in URL_VARIABLES if environ.get(v)), None)
    if not url:
        raise InputError("no SigNoz URL: pass --url or set SIGNOZ_URL (e.g. https://acme.us.signoz.cloud)")
    try:
        url = check_url(url)  # its messages never quote the URL: it may hold a secret
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if api_key_file is not None:
        key = _read_key_file(api_key_file)
    else:
        key = next((environ[v].strip() for v in KEY_VARIABLES if environ.get(v, "").strip()), "")
    if not key:
        raise InputError(
            "no API key: set SIGNOZ_API_KEY (a service-account key; Editor role to push, Viewer to diff) "
            "or pass --api-key-file"
        )
    where = api_key_file or next(v for v in KEY_VARIABLES if environ.get(v, "").strip())
    if len(key) > MAX_KEY_BYTES:
        raise InputError(f"the API key in {where} is longer than {MAX_KEY_BYTES} characters; is it the key?")
    if not API_KEY_RE.fullmatch(key):
        # Never echo the key, not even a part of it: this message goes to CI logs.
        raise InputError(
            f"the API key in {where} contains spaces, control characters or non-ASCII characters, "
            "which an HTTP header cannot carry; check that it was copied whole"
        )
    return Connection(url=url, api_key=key)


def _read_key_file(path: Path) -> str:
    """The key in a file, reading no more than MAX_KEY_BYTES + 1 bytes (`/dev/zero` is refused at once)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the API key file: {exc.strerror or exc}") from None
    if len(data) > MAX_KEY_BYTES:
        raise InputError(f"{path}: the API key file is larger than {MAX_KEY_BYTES} bytes; is it the key file?")
    try:
        key = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(f"{path}: the API key file is not UTF-8 text") from None
    if not key:
        raise InputError(f"{path}: the API key file is empty")
    return key


@dataclass(frozen=True)
class DefinitionSet:
    """Which definition set a push or diff works for, and how it was chosen."""

    name: str
    origin: str  # said in reports: "--set", "the git remote of ...", ...
    chosen: bool = True  # False: the fallback, which --prune refuses to act on


def resolve_set(explicit: str | None, paths: list[Path] | None, cwd: Path | None = None) -> DefinitionSet:
    """The definition set: `--set` (or $SIGNOZ_DAC_SET), else one derived from the git repository
    that holds the inputs (the current folder for the built-in ones): its `origin` remote's last two
    path parts (`owner.repo`, the same in every clone and CI checkout, and different for another
    repository), else its top folder's name. Outside git: "default", which is never pruned."""
    if explicit is not None:
        name = explicit.strip().lower()
        problem = set_name_problem(name)
        if problem:
            raise InputError(f"--set: {problem}")
        return DefinitionSet(name, "--set")
    where = cwd or Path.cwd()
    if paths:
        first = Path(paths[0]).absolute()
        where = first if first.is_dir() else first.parent
    remote, top = _origin_and_top(where)
    if remote:
        parts = [p for p in re.split(r"[/:\\]", remote.strip()) if p][-2:]
        if parts:
            return DefinitionSet(_set_name(".".join(parts)), "the git remote `origin` of the definitions")
    if top:
        return DefinitionSet(_set_name(Path(top.strip()).name), "the name of the definitions' git repository")
    return DefinitionSet(DEFAULT_SET, "no --set, and the definitions are in no git repository", chosen=False)


def _set_name(text: str) -> str:
    """A set name from a repository's path or folder: lower case, `.git` off, other characters as '-',
    and a long one cut to 32 characters with a hash of the whole, so that it stays unique."""
    name = re.sub(r"\.git$", "", text.lower())
    name = re.sub(r"[^a-z0-9._-]", "-", name).lstrip("._-") or DEFAULT_SET
    if len(name) > 32:
        name = f"{name[:23]}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    return name


def _origin_and_top(where: Path) -> tuple[str | None, str | None]:
    """The `origin` remote's URL and the work tree's top folder of the git repository holding
    `where`, as `git config --get remote.origin.url` and `git rev-parse --show-toplevel` say
    (None where they would fail). Read from the repository's files where that is certain to give
    git's answer, which spares a push or diff two git processes; git itself is asked otherwise."""
    try:
        return _read_repository(where)
    except _AskGit:
        return _git(where, "config", "--get", "remote.origin.url"), _git(where, "rev-parse", "--show-toplevel")


class _AskGit(Exception):
    """The repository's files alone cannot say what git would: ask git."""


# Variables that change where git looks for a repository or its configuration.
_GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_CONFIG",
                  "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_COUNT",
                  "GIT_CONFIG_PARAMETERS", "GIT_DISCOVERY_ACROSS_FILESYSTEM")
_ORIGIN = re.compile(r'\[\s*(?i:remote)\s+"origin"\s*\]')  # a section's name is case-insensitive, not its subsection
_URL = re.compile(r"url\s*=\s*(.*?)\s*", re.IGNORECASE)


def _read_repository(where: Path) -> tuple[str | None, str | None]:
    """What `_origin_and_top` says, from the files; _AskGit wherever git could answer otherwise
    (settings from the environment, includes, a checkout owned by another user, a bare repository...)."""
    if any(os.environ.get(v) for v in _GIT_VARIABLES):
        raise _AskGit
    try:
        if not where.is_dir():
            return None, None  # `git -C` fails there
        start = where.resolve(strict=True)  # git works in the physical folder
        device = start.stat().st_dev
        for folder in (start, *start.parents):
            if folder.stat().st_dev != device:
                return None, None  # git stops at a file system boundary
            if folder.name == ".git" or (folder / "HEAD").is_file():
                raise _AskGit  # inside a git folder or a bare repository
            marker = folder / ".git"
            if marker.is_dir():
                git_dir = marker
            elif marker.is_file():
                text = marker.read_text()
                if not text.startswith("gitdir: "):
                    raise _AskGit
                git_dir = (folder / text[len("gitdir: "):].strip()).resolve()
            else:
                continue
            common = git_dir
            if (git_dir / "commondir").is_file():
                common = (git_dir / (git_dir / "commondir").read_text().strip()).resolve()
            if any(path.stat().st_uid != os.geteuid() for path in (folder, git_dir, common)):
                raise _AskGit  # owned by another user: git's safe.directory rules decide
            return _origin_url(common / "config"), str(folder)
    except (OSError, UnicodeDecodeError, ValueError):
        raise _AskGit from None
    return None, None


def _origin_url(config: Path) -> str | None:
    """The last `url` of `[remote "origin"]` in a repository's config; _AskGit for anything this
    reading may not get right (includes, other settings files that could set it, quoting)."""
    home = Path(os.path.expanduser("~"))
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
    for shared in (Path("/etc/gitconfig"), home / ".gitconfig", Path(xdg) / "git" / "config"):
        if shared.is_file() and re.search(r"^\s*\[\s*(remote|include)", shared.read_text(), re.IGNORECASE | re.MULTILINE):
            raise _AskGit
    url, in_origin = None, False
    for line in config.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            lowered = line.lower()
            if not line.endswith("]"):
                raise _AskGit  # a setting or a comment after the section's name
            if lowered.startswith(("[include", "[extensions", "[remote.")) or "worktree" in lowered:
                raise _AskGit
            in_origin = bool(_ORIGIN.fullmatch(line))
        elif in_origin and (found := _URL.fullmatch(line)):
            if any(c in found.group(1) for c in "\"\\#;"):
                raise _AskGit
            url = found.group(1) or None
        elif line.lower().replace(" ", "").startswith(("worktree=", "bare=true")):
            raise _AskGit
    return url


def _git(where: Path, *args: str) -> str | None:
    """A git command's output in `where`; None without git, outside a repository, or on any failure."""
    try:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout.strip() else None


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


def connect(connection: Connection, *, concurrency: int, deadline: Deadline | None = None) -> SigNozClient:
    from signoz_dac.signoz.client import SigNozClient

    warning = plain_http_warning(connection.url)
    if warning:
        say(warning, err=True)
    return SigNozClient(connection.url, connection.api_key, max_connections=max(4, concurrency),
                        deadline=deadline, on_warning=lambda message: say(f"warning: {message}", err=True),
                        on_retry=say_retry)


def say_retry(attempt: int, attempts: int, delay: float, error: Exception) -> None:
    """One line on stderr per retry, so a slow or unreachable SigNoz does not look like a hang.
    The error's text never holds the key (the client redacts it, and `say` again)."""
    say(f"note: attempt {attempt} of {attempts} failed ({error}); retrying in {delay:.1f} s", err=True)


def describe(exc: Exception) -> str:
    """One line for a server failure, with a hint where the fix is known."""
    from signoz_dac.signoz.errors import AuthError, DeadlineExceeded

    hint = ""
    if isinstance(exc, AuthError):
        hint = (
            " (check SIGNOZ_API_KEY: is it a current service-account key for this SigNoz?)" if exc.status == 401
            else " (the key's service account needs the Editor role to write dashboards and rules)"
        )
    elif isinstance(exc, DeadlineExceeded):
        hint = " (--timeout; raise it if SigNoz is only slow)"
    return f"{exc}{hint}"


@contextmanager
def fail_on_server_errors(done: str = "") -> Iterator[None]:
    """A server or network failure ends the command with exit 3 and one line on stderr, followed by
    `done` (what was or was not done)."""
    from signoz_dac.signoz.errors import SigNozError

    try:
        yield
    except SigNozError as exc:
        said = describe(exc)
        raise fail(EXIT_SERVER, [f"error: {said}" + (f"; {done}" if done and done not in said else "")]) from None


def note(message: str) -> None:
    """Something the user should know that is not an error (waiting for a lock, a stale lock removed)."""
    say(f"note: {message}", err=True)


def check_sendable(inputs: Inputs) -> None:
    """What the server would refuse, or what push refuses to send, refused before connecting: too
    many tags, a body too large, the lock's reserved name. Every input error is exit 2, even with
    the server down."""
    from signoz_dac.sync.kinds import DASHBOARD, RULE
    from signoz_dac.sync.lock import LOCK_NAME

    for source, body in inputs.dashboards:
        DASHBOARD.check_stampable(body)
        if body.get("name") == LOCK_NAME:
            raise InputError(f"{source}: the dashboard name {LOCK_NAME!r} is reserved for push's lock; choose another")
        _check_size(source, f"dashboard {body.get('name')!r}", body)
    for source, rule in inputs.rules:
        RULE.check_stampable(rule)
        _check_size(source, f"rule {rule.get('alert')!r}", rule)


def _check_size(source: str, what: str, body: dict) -> None:
    from signoz_dac.signoz.client import encode_body
    from signoz_dac.signoz.errors import RequestTooLarge

    try:
        encode_body(body)
    except RequestTooLarge as exc:
        raise InputError(f"{source}: {what}: {exc}") from None


def _say_what_the_ui_hides(client: SigNozClient) -> None:
    """Dashboards signoz-dac pushed through /api/v2 on a SigNoz whose UI shows only v1 ones (an
    earlier signoz-dac did so on 0.129-0.134): nobody sees them, and push now writes v5 copies."""
    from signoz_dac.identity import is_managed

    hidden = [d for d in client.dashboards_the_ui_hides() if is_managed(d)]
    if hidden:
        names = ", ".join(f"{d.get('name')} (id {d.get('id')})" for d in hidden)
        note(f"{len(hidden)} dashboard{'s' if len(hidden) > 1 else ''} signoz-dac pushed through /api/v2 earlier "
             f"{'are' if len(hidden) > 1 else 'is'} not shown by this SigNoz's UI (use_dashboard_v2 is off): {names}; "
             "push now writes dashboards as v5 through /api/v1: delete those (DELETE /api/v2/dashboards/<id>), "
             "or turn use_dashboard_v2 on to use them")


@contextmanager
def planned(
    paths: list[Path] | None, *, url: str | None, api_key_file: Path | None, templates: Path | None,
    alerts: bool, concurrency: int, timeout: float = DEFAULT_TIMEOUT_SECONDS, force: bool = False,
    adopt: bool = False, write: bool = False, set_name: str | None = None, prune: bool = False,
    lock_all: bool = False,
) -> Iterator[tuple[SigNozClient, Plan, object]]:
    """What push and diff both do first: read and validate every input, resolve the definition set
    and the connection, check the server's version (and say which API it takes where that is not
    0.135's), and plan (reads only). Yields (client, plan, version), client open.

    The inputs are the whole definition set: what the set holds in SigNoz and no input holds is an
    orphan (rules only with `alerts`), and `prune` plans to delete it; --prune with the fallback set
    (no --set, no git repository) is bad input. `lock_all` (--lock) locks every dashboard, whatever
    its definition says.

    Everything runs under one deadline of `timeout` seconds from here. With `write` (a push about
    to write), a plan with something to create, update or delete is made again under the push lock,
    which is released when the block ends, also at an error or a Ctrl-C; not after a second Ctrl-C
    that abandoned writes in flight (they could still land while another push plans): then it stays
    until it expires. A plan with nothing to create, update or delete takes no lock."""
    from signoz_dac.signoz.deadline import Deadline
    from signoz_dac.sources import load_inputs
    from signoz_dac.sync import DASHBOARD, RULE, make_plan
    from signoz_dac.sync.apply import Interrupted
    from signoz_dac.sync.lock import push_lock

    deadline = Deadline(timeout)
    inputs = load_inputs(paths, templates=templates, alerts=alerts)
    check_sendable(inputs)
    definition_set = resolve_set(set_name, paths)
    if prune and not definition_set.chosen:
        raise InputError(f"--prune deletes what the definition set no longer holds, and this one is not named "
                         f"({definition_set.origin}): pass --set NAME (or set SIGNOZ_DAC_SET), the same "
                         "name every push of these definitions uses; nothing was written")
    locks = {body["name"]: True for _, body in inputs.dashboards} if lock_all else inputs.locked
    connection = resolve_connection(url, api_key_file)
    keep_secret(connection.api_key)
    with connect(connection, concurrency=concurrency, deadline=deadline) as client:
        lock = None
        try:
            with fail_on_server_errors("nothing was written"):
                version = client.check_version()
                said = client.apis.note()  # where this SigNoz takes another way than 0.135's
                if said:
                    note(said)
                _say_what_the_ui_hides(client)

                def plan_now(earlier: Plan | None = None) -> Plan:
                    return make_plan(client, inputs.dashboards, rules=inputs.rules, set_name=definition_set.name,
                                     locks=locks, force=force, adopt=adopt, prune=prune,
                                     orphans=(DASHBOARD, RULE) if alerts else (DASHBOARD,),
                                     concurrency=concurrency, earlier=earlier)

                plan = plan_now()
                if write and plan.writes:
                    # Plan again under the lock: another push may have written since the first look
                    # (a dashboard the list shows unchanged is not fetched twice).
                    lock = push_lock(client, notice=note)
                    lock.acquire()
                    plan = plan_now(earlier=plan)
            yield client, plan, version
        except Interrupted as exc:
            if exc.abandoned:
                lock = None  # writes may still land: the lock stays until it expires
            raise
        finally:
            problem = lock.release() if lock is not None else None
            if problem:
                say(f"warning: {problem}", err=True)
