"""The building blocks every v6 model shares: the strict base model and the small value types.

SigNoz decodes write bodies with Go's `DisallowUnknownFields` into typed structs, so:
- `extra="forbid"` everywhere (unknown field -> error);
- `strict=True`: no coercion ("1" is not 1, true is not 1), as Go's decoder does not coerce.

Rules that need more than one field raise `rule_error(...)`: one Pydantic error carrying a list
of (relative JSON path, message) pairs, which `decode.py` expands into one `Issue` each. This lets
a model report several problems at precise paths while Pydantic keeps collecting errors from the
rest of the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainValidator
from pydantic_core import PydanticCustomError

RULES_ERROR = "dac_rules"  # error type of a multi-issue rule error (see decode.py)
VALUE_ERROR = "dac_value"  # error type of a single-value check; its message is used as is

RelIssue = tuple[str, str]  # (path relative to the model that found it, message)


class Strict(BaseModel):
    """Base of every v6 model: unknown fields rejected, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


def raise_issues(issues: Iterable[RelIssue]) -> None:
    """Raise one Pydantic error carrying every issue found by a cross-field rule (if any)."""
    found = list(issues)
    if found:
        raise PydanticCustomError(
            RULES_ERROR,
            "{summary}",
            {"summary": "; ".join(f"{p}: {m}" if p else m for p, m in found), "issues": found},
        )


def value_error(message: str) -> PydanticCustomError:
    return PydanticCustomError(VALUE_ERROR, message)


def checked(check: Callable[[Any], str | None]) -> AfterValidator:
    """An AfterValidator from a function returning an error message or None."""

    def run(value: Any) -> Any:
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


def _precision(v: Any) -> Any:
    # PrecisionOption: "0".."4" or "full"; SigNoz also accepts the integers 0..4.
    if isinstance(v, str) and v in ("0", "1", "2", "3", "4", "full"):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 4:
        return v
    if v == "":
        raise value_error('must not be empty (omit it for the default "2"); one of: 0, 1, 2, 3, 4, full')
    raise value_error("must be one of: 0, 1, 2, 3, 4, full")


def _default_value(v: Any) -> Any:
    if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)):
        return v
    raise value_error("must be a string or a list of strings")


Number = Annotated[Union[int, float], PlainValidator(_number)]
# A step interval: seconds as a number, or a Go duration string such as "60s".
Step = Annotated[Union[int, float, str], PlainValidator(_number_or_string)]
NumberOrString = Annotated[Union[int, float, str], PlainValidator(_number_or_string)]
Precision = Annotated[Union[str, int], PlainValidator(_precision)]
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
