"""Results of `render` and `lint` kept between runs, so that an unchanged input costs no work.

Most of a run's time is spent building the models that read a definition and check what it renders
(a few hundred pydantic classes), not in the work itself. A command that finds the result for the
same input in the cache skips both: it never imports those modules.

An entry is keyed on everything its result depends on:
- the input file's bytes and path, and the command's options that change the result;
- the code that computes it: each file of the package, of the shipped templates and definitions,
  and of a `--templates` folder (and that folder's place), by path, size, inode, and modification
  and change times, and the versions of Python, pydantic, pydantic-core, Jinja2 and PyYAML (their
  files' the same way).
Any change to one of them is a different key, so an entry is never stale; old entries are removed
when the cache grows past `MAX_ENTRIES` per command.

Only successful results are kept (a run that fails is run again, and says why again). An entry is
trusted as the code is, so a cache folder that another user could write to is not used. The cache
is `$SIGNOZ_DAC_CACHE_DIR`, else `$XDG_CACHE_HOME/signoz-dac`, else `~/.cache/signoz-dac`;
`SIGNOZ_DAC_CACHE_DIR=off` (or a command's `--no-cache`) turns it off. A cache that cannot be read
or written is no cache: the command computes the result and says nothing about it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

from signoz_dac.resources import data_dir
from signoz_dac.safejson import MAX_INPUT_BYTES  # a larger file is refused by the command, never cached

T = TypeVar("T")

MAX_ENTRIES = 256  # per command; a rendered dashboard with its rules is about 200 kB
OFF = "off"
_FORMAT = "1"  # bump when the shape of an entry changes
_LIBRARIES = ("pydantic", "pydantic_core", "jinja2", "yaml")  # what changes results besides our code


def cache_dir() -> Path | None:
    """The cache folder, or None when the user turned the cache off."""
    chosen = os.environ.get("SIGNOZ_DAC_CACHE_DIR")
    if chosen:
        return None if chosen == OFF else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "signoz-dac"


class ResultCache:
    """The entries of one command (`render`, `lint`) in the cache folder; `None` folder: no cache."""

    def __init__(self, command: str, folder: Path | None, templates: Path | None = None):
        # Entries are trusted as the code is: a folder someone else could write to is no cache.
        self.root = folder
        self.folder = folder / command if folder and _private(folder) and _private(folder / command) else None
        self._code = ""
        if self.folder:  # a `--templates` folder by where it is too: a missing or empty one is an error to report
            where = os.path.abspath(templates) if templates else "the shipped templates"
            self._code = f"{code_fingerprint()}\0{where}\0{files_fingerprint([templates])}"

    def remember(
        self,
        path: Path,
        options: Sequence[str],
        compute: Callable[[], T],
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
    ) -> T:
        """The result for the file at `path` with `options`: the cached one, else `compute()`, kept
        when the file did not change while it ran. A pipe or a special file is read once, by
        `compute`, and never cached; so is an entry that does not decode."""
        content = _regular_file_bytes(path) if self.folder else None
        if content is None:
            return compute()
        key = self.key(path, content, *options)
        stored = self.get(key)
        if stored is not None:
            try:
                return decode(stored)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: computed again, and replaced
        result = compute()
        if _regular_file_bytes(path) == content:
            self.put(key, encode(result))
        return result

    def key(self, path: Path, content: bytes, *options: str) -> str:
        """The key of the result for the file at `path` holding `content`, with `options`."""
        digest = hashlib.sha256()
        for part in (_FORMAT, self._code, str(path), os.path.abspath(path), *options):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content)
        return digest.hexdigest()

    def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        if self.folder is None:
            return None
        try:
            entry = json.loads((self.folder / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        return entry.get("value") if isinstance(entry, dict) and entry.get("key") == key else None

    def put(self, key: str, value: Any) -> None:
        """Store `value` (JSON) under `key`: written whole or not at all, never failing the command."""
        if self.folder is None:
            return
        import tempfile  # only when writing: a run that finds everything cached never needs it

        try:
            assert self.root is not None
            self.root.parent.mkdir(parents=True, exist_ok=True)  # ~/.cache: shared by every tool, as it is
            for level in (self.root, self.folder):  # ours: private whatever the umask
                level.mkdir(mode=0o700, exist_ok=True)
            handle, staged = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump({"key": key, "value": value}, out)
                os.replace(staged, self.folder / f"{key}.json")
            finally:
                if os.path.exists(staged):
                    os.unlink(staged)
            self._trim()
        except OSError:
            pass

    def _trim(self) -> None:
        assert self.folder is not None
        entries = list(self.folder.glob("*.json"))
        if len(entries) <= MAX_ENTRIES:
            return
        by_age = sorted(entries, key=lambda p: p.stat().st_mtime_ns)
        for old in by_age[: len(entries) - MAX_ENTRIES]:
            old.unlink(missing_ok=True)


def _private(folder: Path) -> bool:
    """Whether `folder` is missing (it is made private) or is ours and only ours to write."""
    try:
        stat_ = os.stat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat_.st_uid == os.getuid() and not stat_.st_mode & 0o022


def _regular_file_bytes(path: Path) -> bytes | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) or os.path.getsize(path) > MAX_INPUT_BYTES:
            return None
        return Path(path).read_bytes()
    except OSError:
        return None


@cache
def code_fingerprint() -> str:
    """What identifies the code that computes results: our package and its data, the libraries
    whose behaviour shows in results, and Python's version."""
    package = Path(__file__).resolve().parent
    libraries = [Path(spec.origin).parent for name in _LIBRARIES if (spec := find_spec(name)) and spec.origin]
    folders = [package, data_dir("templates"), data_dir("dashboards")]
    return hashlib.sha256(f"{sys.version}\0{files_fingerprint(folders)}\0{files_fingerprint(libraries, top=True)}".encode()).hexdigest()


def files_fingerprint(folders: Iterable[Path | None], *, top: bool = False) -> str:
    """A digest of every file in `folders` (with `top`, of the files directly in them only: a
    library's own modules, which a new release rewrites), by path, size, inode, and modification
    and change times. The change time moves with any write and cannot be set back (as `touch -d`,
    `cp -p` or `tar x` set the modification time), so an edit that keeps the size and the
    modification time still changes the digest. Links to folders are followed, as Jinja does."""
    digest = hashlib.sha256()
    seen: set[tuple[int, int]] = set()  # folders walked (a link may lead back up)
    for folder in folders:
        if folder is None:
            continue
        for directory, subfolders, files in os.walk(folder, followlinks=True):
            try:
                here = os.stat(directory)
            except OSError:
                continue
            if (here.st_dev, here.st_ino) in seen:
                subfolders[:] = []
                continue
            seen.add((here.st_dev, here.st_ino))
            subfolders[:] = [] if top else sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                line = f"{directory}/{name}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n"
                digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
