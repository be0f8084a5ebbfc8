"""Request-model paths in a pack: a fact's ``field:`` and an offer's ``change:`` keys.

Both name a field of ``policylib.model.Request`` with a dotted path (``order.items[].condition``,
``details.new_date``); the path is resolved against the pydantic model itself, so a pack
cannot name a field the request does not have. Problems go to a ``Report`` callback (see
``policylib._hints``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import TypeAdapter, ValidationError
from yaml.nodes import Node, ScalarNode

from policylib._hints import Report, _one_of, _suggest
from policylib._yaml import _describe
from policylib.errors import shorten_text
from policylib.model import Request, customer_chooses

_FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\[\d*\])?(\.[a-z_][a-z0-9_]*(\[\d*\])?)*$")


def _unwrap(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin is Union or origin is UnionType:
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


@dataclass
class _Field:
    """Where a dotted request path leads: its type, or what is wrong with it."""

    type: Any = None
    annotation: Any = None
    """The field's full annotation (constraints and validators included)."""
    code: str = ""
    problem: str = ""
    hint: str = ""


def _request_field(path: str, lists: bool) -> _Field:
    """Resolves ``a.b[].c`` in the request model (``policylib.model.Request``); ``[]``
    steps into a list's items and is allowed only with ``lists``."""
    current: Any = Request
    walked: list[str] = []
    parts = path.split(".")
    for i, part in enumerate(parts):
        name, _, index = part.partition("[")
        fields: dict[str, Any] = getattr(current, "model_fields", None) or {}
        if not fields:
            return _Field(
                code="unknown-key",
                problem=f"'{'.'.join(walked)}' is a single value; it has no field '{name}'",
                hint=f"end the path at {'.'.join(walked)}",
            )
        if name not in fields:
            shown = ".".join([*walked, name])
            return _Field(
                code="unknown-key",
                problem=f"'{shown}' is not a request field",
                hint=_suggest(name, fields) or f"fields here: {_one_of(sorted(fields))}",
            )
        walked.append(part)
        info = fields[name]
        current = _unwrap(info.annotation)
        if get_origin(current) is list:
            if index and not lists:
                return _Field(
                    code="wrong-type",
                    problem=f"'{'.'.join(walked)}' points into a list, which a change cannot do",
                    hint="change a field outside the list",
                )
            if index:
                current = _unwrap(get_args(current)[0])
            elif i < len(parts) - 1:
                return _Field(
                    code="wrong-type",
                    problem=f"'{'.'.join(walked)}' is a list",
                    hint=f"write {name}[] to look inside each of its items",
                )
        elif index:
            return _Field(
                code="wrong-type",
                problem=f"'{'.'.join(walked)}' is not a list",
                hint=f"remove the [] after {name}",
            )
    if getattr(current, "model_fields", None):
        return _Field(
            code="wrong-type",
            problem=f"'{path}' is a group of fields, not a single value",
            hint=f"name one of its fields: {_one_of(sorted(current.model_fields))}",
        )
    # The field itself as metadata: its constraints and validators come with it.
    return _Field(type=current, annotation=Annotated[info.annotation, info])


def _allowed_values(annotation: Any) -> tuple[str, ...]:
    """The values a Literal or enum field takes; () for any other type."""
    if get_origin(annotation) is Literal:
        return tuple(str(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(str(e.value) for e in annotation)
    return ()


def check_fact_field(field: str, node: Node, what: str, report: Report) -> None:
    """A fact's ``field`` must be a request path, like order.items[].condition."""
    if not _FIELD_PATH.match(field):
        report(
            "wrong-type",
            f"{what} field '{shorten_text(field)}' is not a request field path",
            node,
            hint="write a dotted path like order.items[].condition or reason",
        )
        return
    target = _request_field(field, lists=True)
    if target.code:
        report(target.code, f"{what} field: {target.problem}", node, hint=target.hint)


def change_target(key: str, knode: Node, value: Node, report: Report) -> _Field | None:
    """The request field an offer's ``change`` key names (never inside a list), or None
    when the key is not such a path or its value is not a single value (reported)."""
    if not _FIELD_PATH.match(key):
        report(
            "wrong-type",
            f"offer change key '{key}' is not a request field path",
            knode,
            hint="write a path like resolution or details.new_date",
        )
        return None
    if not isinstance(value, ScalarNode):
        report(
            "wrong-type",
            f"offer change '{key}' must be a single value, not {_describe(value)}",
            value,
        )
        return None
    target = _request_field(key, lists=False)
    if target.code:
        report(target.code, f"offer change: {target.problem}", knode, hint=target.hint)
        return None
    if not customer_chooses(key):
        report(
            "not-changeable",
            f"offer change '{key}' is something that has happened, not a choice the "
            "customer makes, so no offer can change it",
            knode,
            hint="change what the customer chooses: kind, resolution, details.* or "
            "order.delivery.method",
        )
        return None
    return target


def check_change_value(key: str, val: object, node: Node, target: _Field, report: Report) -> bool:
    """Whether ``val`` is a value the request model takes at the target (else reported):
    one of the values of a Literal or enum, and otherwise what the field validates (a
    date, an amount of money that is not negative ...)."""
    allowed = _allowed_values(target.type)
    if allowed and str(val) not in allowed:
        report(
            "unknown-enum-value",
            f"offer change '{key}': '{shorten_text(str(val))}' is not one of its values",
            node,
            hint=_suggest(str(val), allowed) or f"use one of {_one_of(allowed)}",
        )
        return False
    if val is None:
        return True  # clearing an optional wish ("no exact time") is always possible
    try:
        TypeAdapter(target.annotation).validate_python(val)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        message = str(errors[0]["msg"]) if errors else "not a valid value"
        report(
            "wrong-type",
            f"offer change '{key}': `{shorten_text(str(val))}` is not a value the request "
            f"takes there ({message})",
            node,
            hint="write a value a customer could send in that field",
        )
        return False
    return True
