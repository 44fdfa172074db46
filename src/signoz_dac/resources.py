"""Find the shipped `templates/` and `dashboards/` folders from a wheel or from a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from signoz_dac.errors import UnknownBuiltin

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """`templates` or `dashboards`: inside the installed wheel, else at the repository's top level."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"signoz-dac cannot find its {name}/ folder (looked beside {_PACKAGE})")


def templates_dir() -> Path:
    return data_dir("templates")


def dashboards_dir() -> Path:
    return data_dir("dashboards")


def builtin_definitions() -> list[Path]:
    """The shipped dashboard definitions, in a stable order."""
    return sorted(dashboards_dir().glob("*.yaml"))


def builtin_definition(name: str) -> Path:
    """The shipped definition `name` ("pipecat" or "livekit"), wherever the package is installed:
    `signoz_dac.load_definition(signoz_dac.builtin_definition("pipecat"))`. UnknownBuiltin (an
    InputError) for any other name."""
    path = dashboards_dir() / f"{name}.yaml"
    if not path.is_file():
        names = ", ".join(p.stem for p in builtin_definitions())
        raise UnknownBuiltin(f"no built-in definition {name!r}; the built-in ones are {names}")
    return path
