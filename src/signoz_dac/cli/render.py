"""`signoz-dac render`: definitions → SigNoz dashboard and alert-rule JSON files (no server needed).

Each dashboard goes to `<output>/<name>.json`, its alert rules to `<output>/<name>.alerts/<rule id>.json`.

Render writes and deletes only inside the output folder: every file and folder in it is reached
through the folder's descriptor without following a symbolic link (`O_NOFOLLOW`), and a link where
render would write (`<name>.json`, `<name>.alerts`) is refused before anything is written, so a
link planted in the output folder can never send a write or a delete elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.errors import InputError

from signoz_dac.cli.common import fail_on_input_errors


def register(app: typer.Typer) -> None:
    app.command("render")(render_command)


def render_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Dashboard definitions (YAML). Default: the built-in Pipecat and LiveKit dashboards."),
    ] = None,
    output: Annotated[Path, typer.Option("--output-dir", "-o", help="Folder to write <name>.json files into.")] = Path("build"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Use your own copy of the templates folder to restyle panels.")
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the JSON instead of writing files (one dashboard only).")] = False,
) -> None:
    """Render dashboard definitions into SigNoz v6 JSON (the body SigNoz's POST /api/v2/dashboards accepts),
    and their alert rules into the bodies POST /api/v2/rules accepts (<name>.alerts/<rule id>.json)."""
    from signoz_dac.render import dump, render
    from signoz_dac.render.alerts import render_alerts
    from signoz_dac.render.alerts.identity import rule_key
    from signoz_dac.resources import builtin_definitions
    from signoz_dac.spec import load_definition

    paths = definitions or builtin_definitions()
    with fail_on_input_errors():
        # Complete and validate everything before writing anything: a bad definition leaves no files.
        rendered, alerts = [], []
        for path in paths:
            dashboard = load_definition(path)
            rendered.append((path, dump(render(dashboard, templates=templates))))
            rules = render_alerts(dashboard, templates=templates)
            alerts.append([(rule_key(rule)[1], dump(rule)) for rule in rules])  # type: ignore[index]
        if stdout:
            if len(rendered) != 1:
                raise typer.BadParameter("--stdout takes exactly one definition", param_hint="--stdout")
            typer.echo(rendered[0][1], nl=False)
            return
        names = _output_names(rendered)
        files: list[tuple[str | None, str, str, Path]] = []  # (folder in -o or None, file, text, definition)
        stale: dict[str, tuple[set[str], Path]] = {}  # rule folder -> (its files now, definition)
        for (path, text), name, rules in zip(rendered, names, alerts):
            files.append((None, f"{name}.json", text, path))
            files += [(f"{name}.alerts", f"{rule_id}.json", rule, path) for rule_id, rule in rules]
            stale[f"{name}.alerts"] = ({f"{rule_id}.json" for rule_id, _ in rules}, path)
        with _OutputDir(output) as out:
            out.refuse_links([(folder, name) for folder, name, _, _ in files] + [(folder, None) for folder in stale])
            out.write_all([(folder, name, text) for folder, name, text, _ in files])
            for folder, name, _, path in files:
                typer.echo(f"wrote {out.show(folder, name)} (from {path})")
            for folder, (keep, path) in stale.items():
                for removed in out.remove_stale(folder, keep):
                    typer.echo(f"removed {out.show(folder, removed)} (no longer in {path})")


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names


_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class _OutputDir:
    """The -o folder, opened once. Names inside it are single path components (a dashboard's DNS
    name, a rule id), reached relative to its descriptor, never through a link."""

    def __init__(self, root: Path):
        self.root = root
        self._fd = -1
        self._folders: dict[str, int] = {}

    def __enter__(self) -> _OutputDir:
        try:
            self.root.mkdir(parents=True, exist_ok=True)  # -o itself is the user's choice, link or not
            self._fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise InputError(f"cannot write {exc.filename or self.root}: {exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in [*self._folders.values(), self._fd]:
            if fd >= 0:
                os.close(fd)

    def show(self, folder: str | None, name: str) -> Path:
        return self.root / folder / name if folder else self.root / name

    def _is_link(self, name: str, folder_fd: int) -> bool:
        try:
            return os.stat(name, dir_fd=folder_fd, follow_symlinks=False).st_mode & 0o170000 == 0o120000
        except FileNotFoundError:
            return False

    def refuse_links(self, targets: list[tuple[str | None, str | None]]) -> None:
        """An InputError, before anything is written, if a folder or file render would write is a link."""
        for folder, name in targets:
            if folder and self._is_link(folder, self._fd):
                self._refuse(self.root / folder)
            if name and not folder and self._is_link(name, self._fd):
                self._refuse(self.root / name)
            if name and folder and not self._is_link(folder, self._fd):
                fd = self._folder(folder, create=False)
                if fd is not None and self._is_link(name, fd):
                    self._refuse(self.root / folder / name)

    def _refuse(self, path: Path) -> None:
        raise InputError(f"{path} is a symbolic link; render writes only inside {self.root} and never through "
                         "or over a link: remove it and run render again")

    def _folder(self, folder: str | None, *, create: bool) -> int | None:
        """The descriptor of `folder` inside -o (made if `create`), None if it does not exist."""
        if folder is None:
            return self._fd
        if folder not in self._folders:
            if create:
                try:
                    os.mkdir(folder, dir_fd=self._fd)
                except FileExistsError:
                    pass
            try:
                self._folders[folder] = os.open(folder, _DIRECTORY, dir_fd=self._fd)
            except FileNotFoundError:
                return None
            except OSError as exc:  # a file in the way, no permission, a link that appeared since the check
                raise InputError(f"cannot write {self.root / folder}: {exc.strerror or exc}") from None
        return self._folders[folder]

    def write_all(self, files: list[tuple[str | None, str, str]]) -> None:
        """Stage every file beside its target, then move them all into place: a failure while
        staging (the likely one: a full disk, a file in the way) writes nothing.

        A folder that cannot be written (a file in the way, no permission, a link that appeared
        since the check) is bad usage: exit 2, one line."""
        import secrets

        staged: list[tuple[int, str, str]] = []  # (folder fd, staged name, final name)
        current = self.root
        try:
            for folder, name, text in files:
                current = self.show(folder, name)
                fd = self._folder(folder, create=True)
                assert fd is not None
                temporary = f".{name}.{secrets.token_hex(4)}.tmp"
                handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=fd)
                staged.append((fd, temporary, name))
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
        except BaseException as exc:  # Ctrl-C included: leave no staged files behind
            for fd, temporary, _ in staged:
                try:
                    os.unlink(temporary, dir_fd=fd)
                except OSError:
                    pass
            if not isinstance(exc, OSError):
                raise
            raise InputError(f"cannot write {current}: {exc.strerror or exc}") from None
        for fd, temporary, name in staged:
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)  # replaces a name, follows nothing

    def remove_stale(self, folder: str, keep: set[str]) -> list[str]:
        """Rule files a definition no longer has, removed (links themselves, never what they point
        to), so the folder holds exactly its rules; the folder goes too once empty."""
        fd = self._folder(folder, create=False)
        if fd is None:
            return []
        removed = []
        with os.scandir(fd) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".json") and not e.is_dir(follow_symlinks=False))
        try:
            for name in names:
                if name not in keep:
                    os.unlink(name, dir_fd=fd)
                    removed.append(name)
            with os.scandir(fd) as entries:
                empty = not any(True for _ in entries)
            if empty:
                os.rmdir(folder, dir_fd=self._fd)
        except OSError as exc:
            raise InputError(f"cannot clean {self.root / folder}: {exc.strerror or exc}") from None
        return removed
