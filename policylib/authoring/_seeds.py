"""Worked examples as slot values: where the bounded search starts.

A pack's worked examples are requests its author wrote, for the rules they meant to
show. ``choice_of`` reads one back into the slots of the modelled requests (the line it
is about first, one more line, words the pack does not test as a plain word), its
moments moved by whole days so that it is as old at lint's clock as it was at its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from policylib.authoring._space import ITEMS, MISSING, Slot, Space
from policylib.request.scalars import END_OF_DAY

__all__ = ["choice_of"]


def choice_of(space: Space, request: Mapping[str, Any]) -> dict[str, Any] | None:
    """The slot values closest to a request given as data (a worked example's), its
    moments moved by whole days so that it is as old, at the clock, as it was at its
    own; None when it does not fit the model (another kind of value, say)."""
    shift = timedelta(0)
    moment = _moment(request.get("requested_at"), space.zone)
    if moment is not None:
        shift = timedelta(days=(space.today - moment.astimezone(space.zone).date()).days)
    order = request.get("order") if isinstance(request.get("order"), Mapping) else None
    lines: list[Mapping[str, Any]] = []
    picked: set[int] = set()
    if order is not None and isinstance(order.get("items"), list):
        every = [i for i in order["items"] if isinstance(i, Mapping)]
        named = request.get("items")
        chosen = [i for i in every if not named or i.get("sku") in named]
        rest = [i for i in every if i not in chosen]
        lines = (chosen[:ITEMS] + rest)[:ITEMS]
        picked = {n for n, line in enumerate(lines) if line in chosen}
    out: dict[str, Any] = {}
    for key, slot in space.slots.items():
        if slot.kind == "selected":
            out[key] = int(key[6:-1]) in picked
            continue
        found = _find(request, lines, key.partition("#")[0])
        if slot.kind == "present":
            out[key] = found is not None
        elif slot.kind == "member":
            out[key] = isinstance(found, list) and key.partition("#")[2] in found
        elif found is None:
            out[key] = MISSING
        else:
            value = _read(slot, found, shift, space.zone)
            if value is None:
                return None
            out[key] = value
    _distinct_skus(space, out)
    return out


def _distinct_skus(space: Space, out: dict[str, Any]) -> None:
    """Give each line its own sku: skus the pack does not test all read back as the one
    plain identifier, and an order whose lines share a sku is refused."""
    taken: set[Any] = set()
    for index in range(ITEMS):
        key = f"{space.item_location(index)}.sku"
        slot = space.slots.get(key)
        if slot is None or (index > 0 and out.get(space.item_location(index)) is not True):
            continue
        if out.get(key) in taken:
            out[key] = next((v for v in reversed(slot.domain) if v not in taken), out[key])
        taken.add(out.get(key))


def _find(request: Mapping[str, Any], lines: list[Mapping[str, Any]], key: str) -> Any:
    """The value at a slot key in request data; None when it is not there."""
    parts = key.split(".")
    current: Any = request
    for index, part in enumerate(parts):
        if part.startswith("items[") and index == 1 and parts[0] == "order":
            number = int(part[6:-1])
            current = lines[number] if number < len(lines) else None
        elif isinstance(current, Mapping):
            current = current.get(part)
        else:
            return None
        if current is None:
            return None
    return current


def _moment(value: Any, zone: tzinfo) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return datetime.combine(date.fromisoformat(value), time(0), tzinfo=zone)
        except ValueError:
            return None
    return found if found.utcoffset() is not None else found.replace(tzinfo=zone)


def _read(slot: Slot, value: Any, shift: timedelta, zone: tzinfo) -> Any:
    """A JSON value as the slot's Python value (None: it does not fit)."""
    kind = slot.type.name
    try:
        if kind == "boolean":
            return value if isinstance(value, bool) else None
        if kind in ("text", "enum"):
            if not isinstance(value, str):
                return None
            if value in slot.domain:
                return value
            return slot.domain[-1] if kind == "text" and slot.domain else None
        if kind == "integer":
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        if kind in ("decimal", "money"):
            return Decimal(str(value)).quantize(Decimal("0.01"))
        if kind == "date":
            return date.fromisoformat(str(value)) + shift
        if kind == "datetime":
            moment = _moment(value, zone)
            return None if moment is None else moment.astimezone(zone) + shift
        if kind == "time":
            if str(value) == "24:00":
                return END_OF_DAY
            hours, _, minutes = str(value).partition(":")
            return time(int(hours), int(minutes))
    except (ValueError, ArithmeticError, OverflowError):
        return None
    return None
