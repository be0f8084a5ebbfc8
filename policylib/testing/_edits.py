"""Edits of a drawn request's values (behind ``requests()``): where a value sits, how a
check is judged by the pack's own model, and the single edits that may make it hold."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeAlias

from pydantic import BaseModel, ValidationError

from policylib.lang.nodes import Check, FieldDef
from policylib.lang.types import Type
from policylib.request.build import BASE_OBJECTS
from policylib.testing._plan import Json

__all__ = [
    "Edit",
    "Invalid",
    "Spot",
    "base_fields",
    "clock",
    "expand",
    "failing_check",
    "get_at",
    "may_be_left_out",
    "neighbours",
    "restore",
    "set_at",
    "setter",
    "settles",
    "swap",
]

Step: TypeAlias = "str | int"
"""One key or list index on the way to a value in a request dict."""


@dataclass(frozen=True)
class Spot:
    type: Type
    optional: bool
    definition: FieldDef | None
    path: str
    supplied: bool


@dataclass(frozen=True)
class Edit:
    rank: int
    """1 when it leaves out what the store's systems supply (a decision may then wait on
    it) while the customer's values could be changed instead: tried after those (0)."""
    apply: Callable[[Json], None]


class Invalid(Exception):
    """A drawn request breaks a rule of the base shape: a bug in the drawing, reported."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"policylib.testing drew a request its own pack refuses: {detail}")


def settles(fixed: Callable[[], bool]) -> bool | None:
    """``fixed()``, or None when the edited value breaks another rule of the model."""
    try:
        return fixed()
    except Invalid:
        return None


def restore(out: dict[str, Json], before: dict[str, Json]) -> None:
    out.clear()
    out.update(copy.deepcopy(before))


def neighbours(spot: Spot, value: Json) -> tuple[Json, ...]:
    """The value one step down and one step up (a unit, a cent, a day, a quarter hour),
    within the field's declared bounds."""
    kind = spot.type.name
    definition = spot.definition
    low = definition.minimum if definition is not None else None
    high = definition.maximum if definition is not None else None
    out: list[Json] = []
    try:
        if kind == "integer" and isinstance(value, int):
            out = [value - 1, value + 1]
        elif kind in ("money", "decimal"):
            amount = Decimal(str(value))
            out = [format(amount + d, "f") for d in (Decimal("-0.01"), Decimal("0.01"))]
            low = 0 if kind == "money" and low is None else low
        elif kind == "date":
            day = date.fromisoformat(value)
            return tuple((day + timedelta(days=d)).isoformat() for d in (-1, 1))
        elif kind == "datetime":
            moment = datetime.fromisoformat(value)
            return tuple((moment + timedelta(hours=h)).isoformat() for h in (-1, 1))
        elif kind == "time":
            quarter = 96 if value == "24:00" else _quarters(value)
            return tuple(clock(q) for q in (quarter - 1, quarter + 1) if 0 <= q <= 96)
    except (ValueError, ArithmeticError):  # pragma: no cover - values drawn here parse
        return ()
    return tuple(
        v
        for v in out
        if (low is None or Decimal(str(v)) >= low) and (high is None or Decimal(str(v)) <= high)
    )


def _quarters(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 4 + int(minutes) // 15


def swap(first: tuple[Step, ...], second: tuple[Step, ...]) -> Callable[[Json], None]:
    def apply(data: Json) -> None:
        a, b = get_at(data, first), get_at(data, second)
        set_at(data, first, b)
        set_at(data, second, a)

    return apply


def setter(steps: tuple[Step, ...], value: Json) -> Callable[[Json], None]:
    def apply(data: Json) -> None:
        set_at(data, steps, value)

    return apply


def set_at(data: Json, steps: tuple[Step, ...], value: Json) -> None:
    parent = get_at(data, steps[:-1])
    if value is None:
        parent.pop(steps[-1], None)
    else:
        parent[steps[-1]] = value


def base_fields(owner: str) -> Mapping[str, Any]:
    base = BASE_OBJECTS.get(owner)
    return base.model_fields if base is not None else {}


def may_be_left_out(definition: FieldDef | None, owner: str, name: str) -> bool:
    if definition is not None:
        return not definition.required
    info = base_fields(owner).get(name)
    return info is not None and not info.is_required()


def failing_check(
    model: type[BaseModel], value: Json, checks: Sequence[Check], *, whole: bool = True
) -> Check | None:
    """The first of ``checks`` the value fails, judged by the model. Any other problem is
    a bug in the drawing when ``value`` is the whole object (``whole``)."""
    try:
        model.model_validate(value)
    except ValidationError as error:
        found = _check_failed(error, checks)
        if found is None and (whole or not _only_checks(error)):
            raise Invalid(str(error)) from None
        return found
    return None


def _only_checks(error: ValidationError) -> bool:
    return all(p["type"] == "failed-check" for p in error.errors(include_url=False))


def _check_failed(error: ValidationError, checks: Sequence[Check]) -> Check | None:
    for problem in error.errors(include_url=False):
        if problem["type"] == "failed-check":
            for check in checks:
                if problem["msg"] == check.message:
                    return check
    return None


def expand(data: Json, path: str) -> Iterator[tuple[Step, ...]]:
    """The concrete places of ``path`` in ``data``: one per element for ``[]`` steps."""
    places: list[tuple[Step, ...]] = [()]
    parts = path.split(".")
    for index, part in enumerate(parts):
        many = part.endswith("[]")
        name = part[:-2] if many else part
        nxt: list[tuple[Step, ...]] = []
        for place in places:
            holder = get_at(data, place)
            if not isinstance(holder, dict):
                continue
            if index == len(parts) - 1 and not many:
                nxt.append((*place, name))
                continue
            child = holder.get(name)
            if many and isinstance(child, list):
                nxt.extend((*place, name, i) for i in range(len(child)))
            elif isinstance(child, dict):
                nxt.append((*place, name))
        places = nxt
    yield from places


def get_at(data: Json, steps: Sequence[Step]) -> Json:
    for step in steps:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def clock(quarter: int) -> str:
    """A time of day on a quarter hour; 96 _quarters is the end of the day, "24:00"."""
    return "24:00" if quarter >= 96 else f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"
