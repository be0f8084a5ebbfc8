"""Parsing a request: JSON text or a dict in, a validated request model out, or one error.

``parse_request`` measures the input before validating anything (size, nesting, number of
items), so a hostile dict costs no more than a JSON text; then validates it with the
policy's model; then reports every problem that can be known at once, cross-field ones
included, each naming the field path and the value received, in policylib's own words
and stable codes (pydantic's messages never reach a caller).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from policylib.errors import Problem, RequestError, shorten
from policylib.request.base import MAX_ITEMS, Request, events_after, request_problems

__all__ = ["MAX_DEPTH", "MAX_REQUEST_BYTES", "parse_request", "translate_error"]

MAX_REQUEST_BYTES = 64 * 1024
"""Requests larger than this (JSON text, or a dict of about that size) are refused unread."""

MAX_DEPTH = 16
"""Deepest nesting of objects and lists a request may have (the model itself needs 4)."""


def _reject_constants(token: str) -> object:
    raise ValueError(f"{token} is not a number")


def _too_large(detail: str) -> RequestError:
    return RequestError(
        f"the request is larger than the {MAX_REQUEST_BYTES:,}-byte limit",
        [Problem("too-large", detail, "(request)")],
    )


def _path(parts: tuple[int | str, ...]) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in part and "(" in part:  # pydantic's validator steps, e.g. function-after[...]
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(request)"


def _counts(data: Mapping[Any, Any]) -> list[Problem]:
    """More than ``MAX_ITEMS`` items, refused before any item is validated."""
    items = data.get("items")
    if type(items) is list and len(items) > MAX_ITEMS:
        return [_count_problem("items", len(items))]
    order = data.get("order")
    if type(order) is dict:
        items = order.get("items")
        if type(items) is list and len(items) > MAX_ITEMS:
            return [_count_problem("order.items", len(items))]
    return []


def _measure(data: Mapping[Any, Any]) -> list[Problem]:
    """Size and shape checks on a raw dict request, before any field is validated.

    Walks the input once, without recursion: nesting deeper than ``MAX_DEPTH`` or about
    ``MAX_REQUEST_BYTES`` of content (the size its JSON would have) are refused here, so a
    huge or hostile dict costs no more than a JSON text (whose size is capped as text).
    """
    budget = MAX_REQUEST_BYTES
    stack: list[tuple[Any, int]] = [(data, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        kind = type(value)
        if kind is str:
            budget -= len(value) + 3
        elif kind is dict or kind is list or kind is tuple or isinstance(value, Mapping):
            if depth > MAX_DEPTH:
                return [_deep_problem(_deep_path(data))]
            children = value.values() if isinstance(value, Mapping) else value
            budget -= 2 + len(value) * 8
            if isinstance(value, Mapping):
                budget -= sum(len(k) if type(k) is str else 8 for k in value)
            for child in children:
                if type(child) in _CONTAINERS or isinstance(child, Mapping):
                    push((child, depth + 1))
        if budget < 0:
            return [Problem("too-large", "request too large", "(request)")]
    return []


_CONTAINERS = frozenset({str, dict, list, tuple})


def _deep_path(data: Any) -> str:
    """The path to the first spot nested deeper than ``MAX_DEPTH`` (found again, rarely)."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, Mapping | list | tuple):
            if depth > MAX_DEPTH:
                return where
            pairs = value.items() if isinstance(value, Mapping) else enumerate(value)
            for key, child in pairs:
                step = f"[{key}]" if isinstance(key, int) else (f".{key}" if where else str(key))
                stack.append((child, depth + 1, where + step))
    return ""


def _count_problem(where: str, count: int) -> Problem:
    return Problem("too-many", f"{count:,} items; a request may have at most {MAX_ITEMS}", where)


def _deep_problem(where: str) -> Problem:
    return Problem(
        "nesting-too-deep",
        f"nested more than {MAX_DEPTH} levels deep; no field of a request needs that",
        where or "(request)",
    )


_TYPE_WORDS = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "list_type": "expected a list",
    "none_required": "expected nothing here",
    "is_instance_of": "expected an object",
}


def _fields_at(model: type[BaseModel], parts: tuple[int | str, ...]) -> list[str]:
    """The field names of the object at a pydantic error location (for did-you-mean)."""
    current: Any = model
    for part in parts[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None) or {}
        found = fields.get(part)
        if found is None:
            return []
        current = _model_in(found.annotation)
    return sorted(getattr(current, "model_fields", None) or {})


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``X | None``, ``list[X]`` or ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _model_in(origin)
    return None


def translate_error(error: Mapping[str, Any], model: type[BaseModel]) -> Problem:
    """A pydantic error in policylib's words, with a stable code."""
    kind = str(error.get("type", ""))
    parts = tuple(error.get("loc", ()))
    where = _path(parts)
    ctx = error.get("ctx") or {}
    received = "" if kind == "missing" else shorten(error.get("input"))
    hint = ""
    if "-" in kind:  # raised by policylib's own validators, already in its words
        if ctx.get("field"):  # a check on an object names the field it is about
            where = f"{where}.{ctx['field']}" if where != "(request)" else str(ctx["field"])
            received = ""
        return Problem(kind, str(error.get("msg", "not a valid value")), where, value=received)
    if kind == "missing":
        code, message = "missing-key", "this field is required"
    elif kind == "extra_forbidden":
        code, message = "unknown-key", "unknown field; check its spelling"
        names = _fields_at(model, parts)
        last = str(parts[-1])[:64] if parts else ""
        close = difflib.get_close_matches(last, names, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"fields here: {', '.join(names)}" if names else "this object has no fields"
    elif kind in ("literal_error", "enum"):
        code = "unknown-enum-value"
        expected = str(ctx.get("expected", ""))
        message = f"not one of the allowed values: {expected}"
        allowed = [w.strip(" '") for w in re.split(r",| or ", expected) if w.strip(" '")]
        got = error.get("input")
        if isinstance(got, str) and len(got) <= 64:
            close = difflib.get_close_matches(got, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else ""
    elif kind in _TYPE_WORDS:
        code, message = "wrong-type", _TYPE_WORDS[kind]
    elif kind == "string_too_long":
        code, message = "too-long", f"at most {ctx.get('max_length')} characters"
    elif kind == "string_too_short":
        code, message = "too-short", "must not be empty"
    elif kind == "too_long":
        code, message = "too-many", f"at most {ctx.get('max_length')} entries"
    elif kind == "too_short":
        code, message = "too-short", f"at least {ctx.get('min_length')} entry needed"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        code, message = "out-of-range", f"must be {words} {bound}"
    elif kind == "frozen_instance":
        code, message = "frozen", "a request cannot be changed once validated"
    elif kind == "value_error":
        code = "invalid-value"
        message = str(error.get("msg", "")).removeprefix("Value error, ") or "not a valid value"
    else:
        code, message = "invalid-value", "not a valid value here"
    return Problem(code, message, where, hint=hint, value=received)


def parse_request(
    data: object, model: type[Request] = Request, *, zone: tzinfo | None = None
) -> Request:
    """Validate a request given as a model instance, a dict or JSON text.

    Args:
        data: the request.
        model: the validating model (``policy.request_model``; the base ``Request`` by
            default). A request of another model is re-validated through this one.
        zone: the store's time zone, to read bare dates and compare them with date-times
            (``Policy`` passes its own; without it each date-time is read in its offset).

    Raises:
        RequestError: every problem that can be known at once, each naming the field path
            and the value received.
    """
    if isinstance(data, model):
        return _checked(data, zone)
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", exclude_none=True)
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_REQUEST_BYTES:
            raise _too_large(f"{len(data):,} bytes")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError(
                "the request is not UTF-8 text",
                [Problem("invalid-json", "not UTF-8 text", "(request)")],
            ) from None
    text = isinstance(data, str)
    if isinstance(data, str):
        # Every character is at least one byte: only a text near the limit is encoded.
        if len(data) > MAX_REQUEST_BYTES or (
            len(data) * 4 > MAX_REQUEST_BYTES and len(data.encode("utf-8")) > MAX_REQUEST_BYTES
        ):
            raise _too_large("request too large")
        data = _loads(data)
    if not isinstance(data, dict):
        raise RequestError(
            "a request must be a JSON object (a dict)",
            [Problem("not-an-object", "expected an object", "(request)", value=shorten(data))],
        )
    # A JSON text is already capped by its length; a dict is measured as its JSON would be.
    measured = _counts(data) or ([] if text else _measure(data))
    if measured:
        raise RequestError(measured[0].message, measured)
    try:
        request = model.model_validate(data)
    except ValidationError as exc:
        crossed = request_problems(data, model.kinds)  # with their fields, whatever else fails
        said = {(p.where, p.message) for p in crossed}
        problems = [translate_error(err, model) for err in exc.errors(include_url=False)]
        problems = [p for p in problems if (p.where, p.message) not in said]
        raise _invalid([*problems, *crossed]) from None
    except RecursionError:  # pragma: no cover - _measure caps nesting far below the stack
        raise RequestError("the request is nested too deeply") from None
    return _checked(request, zone)


def _checked(request: Request, zone: tzinfo | None) -> Request:
    """The request, unless its order or subscription lies after its own ``requested_at``."""
    if request.requested_at is not None:
        late = events_after(request, request.requested_at, zone)
        if late:
            raise _invalid(late)
    return request


def _loads(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constants, parse_float=Decimal)
    except RecursionError:
        raise RequestError(
            "the request is nested too deeply",
            [_deep_problem("(request)")],
        ) from None
    except ValueError as exc:
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f"line {exc.lineno} column {exc.colno}"
            reason = exc.msg
        else:
            reason = str(exc)
        raise RequestError(
            "the request is not valid JSON", [Problem("invalid-json", reason, where)]
        ) from None


def _invalid(problems: list[Problem]) -> RequestError:
    unique = list(dict.fromkeys(problems))
    count = len(unique)
    return RequestError(f"the request has {count} invalid field{'s' if count != 1 else ''}", unique)
