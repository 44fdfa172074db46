"""Writing command output into a folder the user names (`-d/--output-dir`), safely.

Commands write and delete only inside the output folder: every file and folder in it is reached
through the folder's descriptor without following a symbolic link (`O_NOFOLLOW`), and a link where
a command would write is refused before anything is written, so a link planted in the output
folder can never send a write or a delete elsewhere. Every file is staged first, so a failure
leaves none of them written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from signoz_dac.errors import InputError

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class OutputFolder:
    """The output folder, opened once. Names inside it are single path components (a dashboard's DNS
    name, a rule id), reached relative to its descriptor, never through a link."""

    def __init__(self, root: Path):
        self.root = root
        self._fd = -1
        self._folders: dict[str, int] = {}

    def __enter__(self) -> OutputFolder:
        try:
            self.root.mkdir(parents=True, exist_ok=True)  # the folder itself is the user's choice, link or not
            self._fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except FileExistsError:  # mkdir's answer when a file holds the name
            raise InputError(f"cannot write into {self.root}: it is a file, not a folder") from None
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
        raise InputError(f"{path} is a symbolic link; signoz-dac writes only inside {self.root} and never through "
                         "or over a link: remove it and run the command again")

    def _folder(self, folder: str | None, *, create: bool) -> int | None:
        """The descriptor of `folder` inside the output folder (made if `create`), None if it does not exist."""
        if folder is None:
            return self._fd
        if folder not in self._folders:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(folder, dir_fd=self._fd)
            try:
                self._folders[folder] = os.open(folder, _DIRECTORY, dir_fd=self._fd)
            except FileNotFoundError:
                return None
            except OSError as exc:  # a file in the way, no permission, a link that appeared since the check
                raise InputError(f"cannot write {self.root / folder}: {exc.strerror or exc}") from None
        return self._folders[folder]

    def write_all(self, files: list[tuple[str | None, str, str]]) -> None:
        """Stage every file beside its target, then move them all into place: a failure while
        staging (the likely one: a full disk, a file in the way) writes nothing. A file that
        already holds its text is left alone (and keeps its time, for tools that rebuild on change).

        A folder that cannot be written (a file in the way, no permission, a link that appeared
        since the check) is bad usage: exit 2, one line."""
        staged: list[tuple[int, str, str]] = []  # (folder fd, staged name, final name)
        current = self.root
        mode = new_file_mode()
        try:
            for folder, name, text in files:
                current = self.show(folder, name)
                fd = self._folder(folder, create=True)
                assert fd is not None
                if _unchanged(fd, name, text, mode):
                    continue
                temporary = f".{name}.{os.urandom(4).hex()}.tmp"
                handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=fd)
                staged.append((fd, temporary, name))
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
        except BaseException as exc:  # Ctrl-C included: leave no staged files behind
            for fd, temporary, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=fd)
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


def new_file_mode() -> int:
    """The permissions the user's umask gives a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _unchanged(folder: int, name: str, text: str, mode: int) -> bool:
    """Whether `name` in `folder` is a regular file (not a link) holding exactly `text`, with the
    permissions a new file would get (one written before with others is written again)."""
    data = text.encode("utf-8")
    try:  # O_NONBLOCK: a named pipe planted there must not hang the command
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return False
    with os.fdopen(handle, "rb") as existing:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data) or stat.S_IMODE(found.st_mode) != mode:
            return False
        return existing.read(len(data) + 1) == data


def write_file(target: Path, text: str) -> None:
    """One file the user names, written through a temporary file beside it, so a failure leaves
    nothing half-written; it gets the mode the user's umask gives a new file."""
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, new_file_mode())  # a normal file, not mkstemp's private one
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:  # named by the file asked for: the temporary file beside it is ours, not the user's
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
