"""The Jinja environment: strict about undefined names, JSON-safe values, and where errors happened."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.nodes import EvalContext

from signoz_dac.definitions.generic.style import OMIT
from signoz_dac.errors import TemplateError
from signoz_dac.render.sql import sql_int, sql_number, sql_string
from signoz_dac.resources import templates_dir


@cache
def environment(templates: Path | None = None) -> jinja2.Environment:
    """One environment per templates folder; `templates=None` means the shipped templates."""
    folder = Path(templates) if templates else templates_dir()
    if not folder.is_dir():
        raise TemplateError(f"templates folder {folder} does not exist")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # JSON and SQL, not HTML: values are escaped by tojson / sql_string
        keep_trailing_newline=True,
        # The shipped templates do not change while signoz-dac runs: no file check on every include.
        # A user's folder may (a library user edits a template and renders again in one process):
        # Jinja then checks each template's modification time when it is used.
        auto_reload=templates is not None,
        # Compiling the templates is a good part of a render's start-up; Jinja keeps the compiled
        # code in a private per-user folder under the system temp dir, keyed by template source.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters["tojson"] = _strict_tojson
    env.filters["sql_string"] = sql_string
    env.filters["sql_int"] = sql_int
    env.filters["sql_number"] = sql_number
    env.filters["written"] = _written
    env.tests["omitted"] = _omitted
    env.globals["field"] = _field
    return env


@jinja2.pass_eval_context
def _field(eval_ctx: EvalContext, sep: Callable[[], str], key: str, value: Any) -> str:
    """`field(sep, "unit", panel.unit)`: `"unit": <value>` after `sep()`'s comma, or nothing when
    the option is omitted (a Python function: templates call it for every field they write)."""
    if value is OMIT:
        return ""
    return f"{sep()}{json.dumps(key)}: {_strict_tojson(eval_ctx, value)}"


def _omitted(value: Any) -> bool:
    """`x is omitted`: the option is left out of the body (see spec/generic/style.py)."""
    return value is OMIT


def _written(values: Iterable[Any]) -> list[Any]:
    """`[a, b] | written`: the options that are written, so a group is written when any of it is."""
    return [v for v in values if v is not OMIT]


@jinja2.pass_eval_context
def _strict_tojson(eval_ctx: EvalContext, value: Any, indent: int | None = None) -> str:
    # Jinja's tojson would hand an undefined value to json.dumps and report a type error;
    # report the missing name instead.
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    # Plain JSON: Jinja's own tojson also escapes <, >, & and ' for HTML pages, which a JSON body
    # parsed back (render_json) does not need, and which costs a good part of a render.
    return json.dumps(value, indent=indent, **eval_ctx.environment.policies["json.dumps_kwargs"])


def render_template(env: jinja2.Environment, name: str, **values: Any) -> str:
    """Render one template; any failure becomes a TemplateError naming the template and line."""
    try:
        return env.get_template(name).render(**values)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found in {_folder(env)}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"syntax error: {exc.message}", exc.name or exc.filename, exc.lineno) from None
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001  a user's template can fail in any way Python can: say where, not how
        template, line = _template_frame(exc, _folder(env))
        message = str(exc) if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(message, template or name, line) from None


def render_json(env: jinja2.Environment, name: str, **values: Any) -> dict[str, Any]:
    """Render a template that shapes JSON, and parse it: output that is not JSON is a TemplateError."""
    from signoz_dac.safejson import JSONLimitError, loads

    text = render_template(env, name, **values)
    try:
        return cast("dict[str, Any]", loads(text))  # no NaN or Infinity: they are not JSON, and SigNoz could not store them
    except JSONLimitError as exc:
        raise TemplateError(f"the templates produced JSON with {exc.message}", name) from None
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"the templates produced invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", name
        ) from None


def _folder(env: jinja2.Environment) -> Path:
    return Path(env.loader.searchpath[0])  # type: ignore[union-attr]


def _template_frame(exc: BaseException, folder: Path) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja maps its frames to template
    lines), named relative to the templates folder."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            path = Path(filename)
            found = (path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name, tb.tb_lineno)
        tb = tb.tb_next
    return found
