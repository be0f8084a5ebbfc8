"""Request paths in a pack: a fact's ``field``, an offer's ``change``, a search axis.

A path names a field of the pack's request model with dots (``details.preferred_date``,
``order.items[].condition`` where ``[]`` steps into each item of a list). Paths are
resolved against the model the vocabulary builds, so a pack cannot name a field its
requests do not have, and a value for a path is validated by that field itself.
"""

from __future__ import annotations

import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from policylib.load.problems import one_of, suggest
from policylib.request import base
from policylib.request.parse import translate_error

_BASE_OBJECTS = (
    base.Request,
    base.Customer,
    base.Order,
    base.Item,
    base.Delivery,
    base.Subscription,
    base.Details,
)

__all__ = ["RequestPaths"]

_FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\[\])?(\.[a-z_][a-z0-9_]*(\[\])?)*$")


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


class RequestPaths:
    """Resolves paths against one request model and validates values for them."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self._adapters: dict[str, TypeAdapter[Any]] = {}

    def problem(self, path: str, *, lists: bool = True, value: bool = False) -> str:
        """What is wrong with ``path`` in words, or "" when it names a field (with
        ``value``: a field holding one value, not one of the request's own objects)."""
        if not _FIELD_PATH.match(path):
            return f"'{path}' is not a request path; write one with dots, like order.status"
        current: Any = self.model
        walked: list[str] = []
        parts = path.split(".")
        for index, part in enumerate(parts):
            name, _, rest = part.partition("[")
            fields: dict[str, Any] = getattr(current, "model_fields", None) or {}
            if not fields:
                return f"'{'.'.join(walked)}' is a single value; it has no field '{name}'"
            if name not in fields:
                shown = ".".join([*walked, name])
                return f"'{shown}' is not a request field" + (
                    f" ({suggest(name, fields)})"
                    if suggest(name, fields)
                    else f" (fields here: {one_of(sorted(fields))})"
                )
            walked.append(part)
            current = _unwrap(fields[name].annotation)
            if get_origin(current) is list:
                if rest and not lists:
                    return f"'{'.'.join(walked)}' points into a list, which cannot be changed"
                if rest:
                    current = _unwrap(get_args(current)[0])
                elif index < len(parts) - 1:
                    return f"'{'.'.join(walked)}' is a list; write {name}[] to look inside it"
            elif rest:
                return f"'{'.'.join(walked)}' is not a list; remove the [] after {name}"
        if value and isinstance(current, type) and issubclass(current, _BASE_OBJECTS):
            inside = sorted(getattr(current, "model_fields", {}))
            return f"'{path}' is a part of the request, not one value; name a field inside it" + (
                f" ({one_of([f'{path}.{f}' for f in inside][:4])})" if inside else ""
            )
        return ""

    def check(self, path: str, value: object) -> tuple[Any, str]:
        """``value`` validated for the field at ``path`` (None clears it): the validated
        value, or None and what is wrong in words."""
        problem = self.problem(path, lists=False)
        if problem:
            return None, problem
        if value is None:
            return None, ""
        adapter = self._adapters.get(path)
        if adapter is None:
            adapter = self._adapters[path] = TypeAdapter(self._annotation(path))
        try:
            return adapter.validate_python(value), ""
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            if not errors:
                return None, "not a valid value"
            said = translate_error(errors[0], self.model)
            return None, f"{said.message}; {said.hint}" if said.hint else said.message

    def _annotation(self, path: str) -> Any:
        current: Any = self.model
        info: Any = None
        for part in path.split("."):
            info = current.model_fields[part]
            current = _unwrap(info.annotation)
        # The field itself as metadata: its constraints and validators come with it.
        return Annotated[info.annotation, info]
