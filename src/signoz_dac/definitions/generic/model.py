"""The base of the generic definition models, and what every option needs to say about itself.

An option (a model field) may name where it lives in the SigNoz body (`body="formatting.unit"`,
relative to the object its model stands for). `signoz-dac import` reads a body back into the
models through these paths, and a test checks that the templates write every option exactly
there, so the two directions cannot drift apart.

`resolve` is the one rule both directions apply to an option that a definition leaves unset: the
object's `omit`, then its style's default, then the model's own default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, get_args, get_origin

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticUndefined

from signoz_dac.definitions.common import OptionError, SpecModel
from signoz_dac.definitions.generic.style import DEFAULT, OMIT, Context, table


def option(body: str | None = None, default: Any = None, **kwargs: Any) -> Any:
    """A model field for one option: left unset, the style decides whether and how it is written.
    `body` is its path in the body, relative to the model's object."""
    return Field(default, json_schema_extra={"option": True, "body": body}, **kwargs)


def at(body: str, default: Any = ..., **kwargs: Any) -> Any:
    """A model field always written (whatever the style), at `body` in the model's object."""
    return Field(default, json_schema_extra={"body": body}, **kwargs)


def _extra(model: type, name: str) -> dict[str, Any]:
    extra = model.model_fields[name].json_schema_extra  # type: ignore[attr-defined]
    return extra if isinstance(extra, dict) else {}


def body_path(model: type, name: str) -> str | None:
    return _extra(model, name).get("body")


def is_option(model: type, name: str) -> bool:
    return bool(_extra(model, name).get("option"))


def submodel(model: type, name: str) -> type[Omittable]:
    """The model class of a sub-object option (`legend` → Legend), for a style's PRESENT."""
    pending = [model.model_fields[name].annotation]  # type: ignore[attr-defined]
    while pending:
        candidate = pending.pop()
        if isinstance(candidate, type) and issubclass(candidate, Omittable):
            return candidate
        pending += get_args(candidate)[:1] if get_origin(candidate) is Annotated else get_args(candidate)
    raise TypeError(f"{model.__name__}.{name} is not a sub-object")


class Omittable(SpecModel):
    """An object whose style defaults can be switched off one by one: `omit: [legend, links]`."""

    style_key: ClassVar[str] = ""
    omit: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _omit_names_options(self) -> Omittable:
        for index, name in enumerate(self.omit):
            if name == "omit" or name not in type(self).model_fields:
                raise OptionError(f"omit: {name!r} is not an option here", "omit", index)
            if name in self.model_fields_set:
                raise OptionError(f"omit: {name!r} is also set; an option is either written or left out", "omit", index)
        return self


def resolve(model: Omittable, name: str, style: str, context: Context) -> Any:
    """What the body gets for field `name`: its value when set; nothing when omitted; else what
    the style writes for it unset (`unset_value`). OMIT means the body leaves the field out."""
    if name in model.model_fields_set:
        return getattr(model, name)
    if name in model.omit:
        return OMIT
    return unset_value(type(model), name, style, context)


def unset_value(model: type, name: str, style: str, context: Context) -> Any:
    """What `style` writes for field `name` of a `model` left unset: the style's default (PRESENT:
    an empty sub-object, filled from its own style; DEFAULT: the model's default). An option the
    style does not mention is left out; any other field is written with its model default. A
    default of None is never written."""
    defaults = table(style, context)
    if name not in defaults:
        if is_option(model, name):
            return OMIT
        default = DEFAULT
    else:
        default = defaults[name]
    if default is DEFAULT:
        value = model.model_fields[name].get_default(call_default_factory=True)  # type: ignore[attr-defined]
        return OMIT if value is None or value is PydanticUndefined else value
    return default


def child_context(context: Context, name: str, child: type[Omittable]) -> Context:
    """Where a sub-object of class `child` sits: it inherits its parent's qualifier (the panel kind,
    `composite`), except a field key, which is qualified by its role (`key`: an order key)."""
    if child.style_key == "field":
        return (child.style_key, "key" if name == "key" else None)
    return (child.style_key, context[1])


def one_of(*values: str) -> AfterValidator:
    """A check for SigNoz's enums, `Annotated[str, one_of(...)]`: SigNoz lower-cases and trims what
    it reads, so we compare the same way, and keep the spelling we were given (a body renders back
    exactly as it came)."""

    def check(value: str) -> str:
        if value.strip().lower() not in values:
            raise ValueError(f"must be one of: {', '.join(values)}; got {value!r}")
        return value

    return AfterValidator(check)


def compact(parse: Callable[[str], Any]) -> BeforeValidator:
    """Accept an option's short text form (`"timestamp desc"`) beside its full mapping."""
    return BeforeValidator(lambda value: parse(value) if isinstance(value, str) else value)
