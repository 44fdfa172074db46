"""The building blocks every model shares: the strict and lenient bases, and the small value types.

SigNoz decodes most write bodies with Go's `DisallowUnknownFields` into typed structs, so:
- `Strict` (`extra="forbid"`): an unknown field is an error;
- `Lenient` (`extra="allow"`): where SigNoz ignores unknown keys (the `{kind, spec}` envelopes of
  plugins, variables and layouts; an alert rule's top level). The extras are kept on the model, so
  our own output can be told about a field SigNoz would drop, and left out of the stored form;
- `strict=True` everywhere: no coercion ("1" is not 1, true is not 1), as Go's decoder does not coerce.

Two ways to serialise a parsed model:
- `given_body(model)`: exactly what was given (a round trip);
- the stored form, `model_dump(context={STORE: True})`: what SigNoz keeps and returns on a re-read.
  Every field is written with its default (SigNoz materialises its defaults), values are written
  the way SigNoz normalises them (each value type below knows how), fields Go omits when empty
  (`OMIT_EMPTY`) are left out, and ignored extras are dropped.

Rules that need more than one field raise `raise_issues(...)`: one Pydantic error carrying a list
of (relative JSON path, message) pairs, which `decode.py` expands into one `Issue` each. This lets
a model report several problems at precise paths while Pydantic keeps collecting errors from the
rest of the tree.

While `LENIENT` is set (`lenient.read_leniently`), those rules and the single-value checks
(`checked`) are not applied: the models then only decode shapes and types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Annotated, Any, ClassVar, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    SerializationInfo,
    ValidationInfo,
    model_serializer,
)
from pydantic_core import PydanticCustomError

CHECKS_ERROR = "dac_checks"  # error type of a multi-issue cross-field check (see decode.py)
VALUE_ERROR = "dac_value"  # error type of a single-value check; its message is used as is

RelIssue = tuple[str, str]  # (path relative to the model that found it, message)

# Contexts. Validation: STAGE = "decode" runs only what SigNoz's decoder checks (the read path of
# a rule); the default also runs what its Validate checks. Serialisation: STORE gives the stored form.
STAGE = "stage"
DECODE = "decode"
STORE = "store"
KEEP_UNKNOWN = "keep_unknown"  # with STORE: keep the keys SigNoz would drop (for comparisons)


def storing(info: SerializationInfo | None) -> bool:
    return bool(info is not None and isinstance(info.context, dict) and info.context.get(STORE))


def decoding_only(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get(STAGE) == DECODE


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == [] or value == {} or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0
    )


class _Base(BaseModel):
    # Fields Go leaves out of what it writes back: OMIT_EMPTY when they hold a zero value or an
    # empty list or object (`omitempty`); OMIT_NULL only when unset (a nil pointer or slice: a
    # given 0 or [] is written back).
    OMIT_EMPTY: ClassVar[frozenset[str]] = frozenset()
    OMIT_NULL: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _stored(self, handler: Any, info: SerializationInfo) -> Any:
        data = handler(self)
        if storing(info) and isinstance(data, dict):
            data = self.stored_fields(data)
            for key in self.OMIT_EMPTY:
                if key in data and _is_empty(data[key]):
                    del data[key]
            for key in self.OMIT_NULL:
                if key in data and data[key] is None:
                    del data[key]
            if not info.context.get(KEEP_UNKNOWN):
                for key in self.model_extra or {}:
                    data.pop(key, None)
        return data

    def stored_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        """The stored form of this model's fields, where SigNoz changes more than single values."""
        return data


class Strict(_Base):
    """Unknown fields rejected, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Lenient(_Base):
    """Unknown fields kept aside (SigNoz ignores them), no type coercion."""

    model_config = ConfigDict(extra="allow", strict=True)


def given_body(model: BaseModel) -> dict[str, Any]:
    """The JSON body a model was parsed from, again: exactly the fields that were given (no default
    is added), so `given_body(parse_dashboard(body)) == body`. Key order follows the model."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def ignored_fields(model: BaseModel) -> list[str]:
    """The unknown keys a lenient model was given (SigNoz decodes past them and drops them)."""
    return sorted((model.model_extra or {}).keys())


# Set while reading leniently (lenient.py): SigNoz's rules are not applied, only shapes and types.
LENIENT: ContextVar[bool] = ContextVar("signoz_dac_lenient", default=False)


def raise_issues(issues: Iterable[RelIssue]) -> None:
    """Raise one Pydantic error carrying every issue found by a cross-field check (if any)."""
    if LENIENT.get():
        return
    found = list(issues)
    if found:
        raise PydanticCustomError(
            CHECKS_ERROR,
            "{summary}",
            {"summary": "; ".join(f"{p}: {m}" if p else m for p, m in found), "issues": found},
        )


def value_error(message: str) -> PydanticCustomError:
    return PydanticCustomError(VALUE_ERROR, message)


def checked(check: Callable[[Any], str | None]) -> AfterValidator:
    """An AfterValidator from a function returning an error message or None."""

    def run(value: Any) -> Any:
        if LENIENT.get():
            return value
        problem = check(value)
        if problem:
            raise value_error(problem)
        return value

    return AfterValidator(run)


def _not_null(value: Any) -> Any:
    if value is None:
        raise value_error("must not be null (omit the field instead)")
    return value


# For `Annotated[X | None, NOT_NULL] = None`: the field may be omitted (then it is None), but an
# explicit JSON null is refused where SigNoz's OpenAPI does not mark the field nullable.
# (Defaults are not validated, so only a given value reaches the check.)
NOT_NULL = BeforeValidator(_not_null)


def join_path(base: str, sub: str) -> str:
    if not sub:
        return base
    if not base:
        return sub
    return base + sub if sub.startswith("[") else f"{base}.{sub}"


# --- enums ----------------------------------------------------------------------------------------


def enum(values: Iterable[str], *, fold: bool = True, empty: bool = False, normal: Callable[[str], str] | None = None) -> Any:
    """A string type with a fixed set of values.

    - `fold`: SigNoz reads it through `valuer.NewString`, which trims and lower-cases, so "Solid"
      is "solid"; the stored form writes the folded value. Without `fold` the match is exact.
    - `empty`: "" is one of the values (query-builder enums); otherwise an explicit "" is refused
      (omit the field for the default).
    - `normal`: how the stored form writes a value, when SigNoz maps it to another (a synonym).
    """
    allowed = tuple(values)
    shown = ", ".join(v if v else '""' for v in allowed)

    def key(v: str) -> str:
        return v.strip().lower() if fold else v

    def validate(v: Any) -> str:
        if not isinstance(v, str):
            raise value_error("must be a string")
        if key(v) in allowed:
            return v
        if key(v) == "" and not empty:
            raise value_error(f"must not be empty (omit the field for the default); one of: {shown}")
        raise value_error(f"must be one of: {shown}, got {v!r}")

    def serialise(v: str, info: SerializationInfo) -> str:
        if not storing(info):
            return v
        return normal(key(v)) if normal else key(v)

    return Annotated[str, PlainValidator(validate), PlainSerializer(serialise, return_type=str)]


def folded(normal: Callable[[str], str] | None = None) -> Any:
    """Any string, which SigNoz trims and lower-cases (and may map with `normal`) when it stores it."""

    def validate(v: Any) -> str:
        if not isinstance(v, str):
            raise value_error("must be a string")
        return v

    def serialise(v: str, info: SerializationInfo) -> str:
        if not storing(info):
            return v
        return normal(v.strip().lower()) if normal else v.strip().lower()

    return Annotated[str, PlainValidator(validate), PlainSerializer(serialise, return_type=str)]


# --- value types whose JSON shape is a union ---------------------------------------------------
# Written as plain validators so a wrong value gives one clear message instead of one error per
# union member, and so the value keeps its JSON type (an int stays an int) for exact round-trips.


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number(v: Any) -> Any:
    if not _is_number(v):
        raise value_error("must be a number")
    return v


def _number_or_string(v: Any) -> Any:
    if not (_is_number(v) or isinstance(v, str)):
        raise value_error("must be a number or a string")
    return v


_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_GO_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def go_duration_seconds(text: str) -> float | None:
    """Seconds of a Go duration string ("90s", "1h30m", "500ms", "-1m"), None if it does not parse
    (Go's time.ParseDuration: one or more number+unit pairs, an optional sign, or a bare "0")."""
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0.0
    if not body:
        return None
    pos, total = 0, 0.0
    while pos < len(body):
        m = _GO_DURATION.match(body, pos)
        if not m:
            return None
        total += float(m.group(1)) * _GO_UNITS[m.group(2)]
        pos = m.end()
    return -total if text.startswith("-") else total


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _step(v: Any) -> Any:
    # SigNoz's Step: a number of seconds, or a Go duration string; anything else fails to decode.
    if _is_number(v):
        return v
    if isinstance(v, str):
        if go_duration_seconds(v) is None:
            raise value_error(f'must be a number of seconds or a duration such as "60s" or "1m", got {v!r}')
        return v
    raise value_error("must be a number or a string")


def _step_stored(v: Any, info: SerializationInfo) -> Any:
    # SigNoz keeps a step as a duration and writes it back as seconds: "1m" becomes 60.
    if not storing(info):
        return v
    seconds = go_duration_seconds(v) if isinstance(v, str) else float(v)
    return _seconds(seconds or 0.0)


# decimalPrecision: these strings (trimmed, any case); SigNoz also accepts the integers 0..4.
PRECISIONS = ("0", "1", "2", "3", "4", "full")


def _precision(v: Any) -> Any:
    # PrecisionOption: "0".."4" or "full" (trimmed, any case); SigNoz also accepts the integers 0..4.
    if isinstance(v, str) and v.strip().lower() in PRECISIONS:
        return v
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 4:
        return v
    if v == "":
        raise value_error('must not be empty (omit it for the default "2"); one of: 0, 1, 2, 3, 4, full')
    raise value_error("must be one of: 0, 1, 2, 3, 4, full")


def _precision_stored(v: Any, info: SerializationInfo) -> Any:
    # An integer precision is stored as its string ("2"), as SigNoz's PrecisionOption marshals it.
    if not storing(info):
        return v
    return str(v).strip().lower()


def _default_value(v: Any) -> Any:
    if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)):
        return v
    raise value_error("must be a string or a list of strings")


Number = Annotated[Union[int, float], PlainValidator(_number)]
# A step interval: seconds as a number, or a Go duration string such as "60s".
Step = Annotated[Union[int, float, str], PlainValidator(_step), PlainSerializer(_step_stored)]
NumberOrString = Annotated[Union[int, float, str], PlainValidator(_number_or_string)]
Precision = Annotated[Union[str, int], PlainValidator(_precision), PlainSerializer(_precision_stored)]
DefaultValue = Annotated[Union[str, list[str]], PlainValidator(_default_value)]


def _max_len(limit: int) -> Callable[[str], str | None]:
    # len() of a Python str counts code points, which is what Go's utf8.RuneCountInString counts.
    return lambda s: f"must be at most {limit} characters, got {len(s)}" if len(s) > limit else None


def _non_empty(s: str) -> str | None:
    return "must not be empty" if not s.strip() else None


DisplayName = Annotated[str, checked(_max_len(128))]
LayoutTitle = Annotated[str, checked(_max_len(256))]
NonEmptyStr = Annotated[str, checked(_non_empty)]


def regex_check(pattern: str, what: str) -> Callable[[str], str | None]:
    compiled = re.compile(pattern)
    return lambda s: None if compiled.fullmatch(s) else f"{what}, got {s!r}"
