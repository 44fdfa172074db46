"""Reading a body that may break SigNoz's rules, through the same strict models (lint, the UI checks).

`read_leniently(Model, data)` gives a `Model` of everything in `data` that decodes:
- SigNoz's cross-field rules and single-value checks are not applied (`base.LENIENT`): lint reports
  those through `parse_dashboard` / `parse_rule`, and they must not hide the rest of a body;
- a value of the wrong type or shape gives way to the field's default (a required field's: an
  empty value for text, numbers, booleans, lists and objects; None for a sub-object);
- an element of a list or an object that does not decode becomes None, so every other element
  keeps its place, and its JSON path;
- a discriminated union (a plugin `kind`, a query `type`, a builder query's `signal`) whose tag
  names no member is read as what all its members share (a builder query's name, filter, group
  by, ...), and is unreadable when they share nothing: no member is guessed.

A valid body takes one validation; only a part that fails is taken apart, field by field, with the
types and checks each field declares. The result is built with `model_construct`, so its types are
the models' except where a part could not be read (None).
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from pydantic.fields import FieldInfo

from .base import LENIENT

_FAILED = object()  # a part that does not decode
_ZERO: dict[Any, Any] = {str: "", bool: False, int: 0, float: 0.0}
_SLOTS: dict[tuple[int, int], type[BaseModel]] = {}  # one-field models, by id of (type, field info)


def read_leniently(model: type[BaseModel], data: Any) -> Any:
    """`model` read from `data` as far as it decodes (None when `data` is not even an object)."""
    token = LENIENT.set(True)
    try:
        value = _read(model, data, None)
    finally:
        LENIENT.reset(token)
    return None if value is _FAILED else value


def _slot(annotation: Any, info: FieldInfo | None) -> type[BaseModel]:
    """A one-field strict model holding a value of `annotation` (with the field's own metadata and
    discriminator, when it is a model field): validates exactly as the field does in its model."""
    key = (id(annotation), id(info))
    if key not in _SLOTS:
        field = (annotation, info) if info is not None else (annotation, ...)
        _SLOTS[key] = create_model("Slot", __config__=ConfigDict(strict=True, populate_by_name=True), value=field)
    return _SLOTS[key]


def _read(annotation: Any, data: Any, info: FieldInfo | None) -> Any:
    try:
        if info is None and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation.model_validate(data)
        return _slot(annotation, info).model_validate({"value": data}).value  # type: ignore[attr-defined]  # create_model's field
    except ValidationError:
        return _salvage(annotation, data, info.discriminator if info is not None else None)


def _salvage(annotation: Any, data: Any, discriminator: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        for meta in args[1:]:
            if isinstance(meta, FieldInfo) and meta.discriminator is not None:
                discriminator = meta.discriminator
        return _salvage(args[0], data, discriminator)
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if data is None:
            return _FAILED
        if isinstance(discriminator, str):
            return _member(members, discriminator, data)
        return _read(members[0], data, None) if len(members) == 1 else _FAILED
    if origin is list:
        return [_or_none(_read(args[0], item, None)) for item in data] if isinstance(data, list) else _FAILED
    if origin is dict:
        if not isinstance(data, dict):
            return _FAILED
        return {k: _or_none(_read(args[1], v, None)) for k, v in data.items() if isinstance(k, str)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation, data)
    return _FAILED


def _member(members: list[Any], discriminator: str, data: Any) -> Any:
    """The union member whose `discriminator` field names the tag `data` carries; else what the
    members have in common."""
    if not isinstance(data, dict):
        return _FAILED
    tag = data.get(discriminator)
    models = [get_args(m)[0] if get_origin(m) is Annotated else m for m in members]
    for model in models:
        field = model.model_fields.get(discriminator)
        if field is not None and get_origin(field.annotation) is Literal and tag in get_args(field.annotation):
            return _read(model, data, None)
    shared = _common_base(models)
    return _model(shared, data) if shared is not None else _FAILED


def _common_base(models: list[type[BaseModel]]) -> type[BaseModel] | None:
    """The most derived model every member derives from, if it has fields of its own."""
    for base in models[0].__mro__:
        if isinstance(base, type) and issubclass(base, BaseModel) and all(issubclass(m, base) for m in models):
            return base if base.model_fields else None
    return None


def _model(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        return _FAILED
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        value = _read(info.annotation, data[key], info) if key in data else _FAILED
        if value is not _FAILED:
            values[name] = value
        elif info.is_required():
            values[name] = _empty(info.annotation)
    return model.model_construct(**values)


def _empty(annotation: Any) -> Any:
    """What a required field holds when its value cannot be read."""
    origin = get_origin(annotation) or annotation
    if origin is list:
        return []
    if origin is dict:
        return {}
    return _ZERO.get(origin)


def _or_none(value: Any) -> Any:
    return None if value is _FAILED else value
