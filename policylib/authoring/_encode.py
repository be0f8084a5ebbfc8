"""A pack's requests, facts and rules as z3 formulas over the slots of its requests.

The request is built of slots (``_space``): its objects, the two modelled order lines
(line 0 is the item decided), the items selected, the kind. What every valid request
obeys is collected in ``Encoder.valid``: the slots' types, enum values and bounds, a
subject the kind allows, one item for a one-item kind, moments in order and none after
the clock, and the vocabulary's own checks. A fact is the formula of its expression
(``_formulas``), with its default and its money rounding; a rule's condition is the pair
(holds, fails), unknown being neither.

What is not modelled is opaque (``_terms``), so a proof that no request reaches a rule
stays a proof; a request the solver proposes is checked by the engine before it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import z3  # type: ignore[import-untyped,import-not-found,unused-ignore]

from policylib.authoring._formulas import OPS, read
from policylib.authoring._space import EVENTS, FIRST_DAY, ITEMS, LAST_DAY, Slot, Space
from policylib.authoring._terms import Many, Sym, Terms
from policylib.lang import types as t
from policylib.lang.nodes import All, Any_, Compare, Condition, Not, Pack, Ref
from policylib.lang.types import Type

__all__ = ["Encoder"]


class Encoder(Terms):
    """The formulas of one pack over its modelled requests (see the module docstring)."""

    def __init__(self, pack: Pack, space: Space) -> None:
        super().__init__(pack, space)
        self.kind = self.z.String("kind")
        self.extra = self.z.Bool("more_lines")
        """Order lines beyond the modelled ones (left free in proofs, false in requests)."""
        self.vars: dict[str, tuple[Any, Any]] = {}
        """Slot key -> (known, value) z3 variables."""
        self.valid: list[Any] = []
        """What every modelled request obeys (the vocabulary's types, bounds and checks)."""
        self._facts: dict[str, Sym] = {}
        self._conditions: dict[int, tuple[Any, Any]] = {}
        for slot in space.slots.values():
            self._declare(slot)
        self.request = self._request()
        self._validity()

    # ---------------------------------------------------------------- slots

    def _declare(self, slot: Slot) -> None:
        key = slot.key
        if slot.kind != "value":
            self.vars[key] = (self.z.BoolVal(True), self.z.Bool(key))
            return
        kind = slot.type.name
        known = self.z.Bool(f"{key}?") if slot.optional else self.z.BoolVal(True)
        allowed: list[Any] = []
        if kind == "boolean":
            value = self.z.Bool(key)
        elif kind in ("text", "enum"):
            value = self.z.String(key)
            allowed = [self.z.Or([value == self.z.StringVal(w) for w in slot.domain])]
        else:
            value = self.z.Int(key)  # days, minutes, whole numbers, cents
            allowed = self._bounds(slot, value)
        # what a field says when it is there (when it is not, its value means nothing)
        self.valid.extend(z3.Implies(known, rule) for rule in allowed)
        self.vars[key] = (known, value)

    def _bounds(self, slot: Slot, value: Any) -> list[Any]:
        space, kind = self.space, slot.type.name
        first, last = space.day_number(FIRST_DAY), space.day_number(LAST_DAY)
        if kind == "date":
            return [value >= first, value <= last]
        if kind == "datetime":
            return [value >= first * 1440, value <= last * 1440 + 1439]
        if kind == "time":
            return [value >= 0, value <= 1440]  # 1440: 24:00, the end of the day
        scale = 100 if kind in ("decimal", "money") else 1
        out = []
        low: int | Decimal | None = slot.minimum
        if low is None and kind == "money":
            low = 0
        high: int | Decimal | None = slot.maximum
        if low is not None:
            out.append(value >= int(Decimal(low) * scale))
        if high is not None:
            out.append(value <= int(Decimal(high) * scale))
        if kind == "money" and high is None:
            out.append(value <= 10**9)
        return out

    def _slot(self, key: str, type_: Type, present: Any) -> Sym:
        found = self.vars.get(key)
        if found is None:  # a field no request says (a list of objects): opaque
            return self.opaque(type_)
        known, value = found
        kind = type_.name
        if kind in ("decimal", "money"):
            value = self.z.ToReal(value) / 100
        return Sym(type_, self.z.And(present, known), value)

    # ---------------------------------------------------------------- the request

    def _request(self) -> Sym:
        space = self.space
        request = self._object("Request", "", self.z.BoolVal(True))
        fields = request.value
        order = fields["order"]
        lines: list[tuple[Any, Sym]] = []
        chosen: list[tuple[Any, Sym]] = []
        for index in range(ITEMS):
            location = space.item_location(index)
            there = order.known if index == 0 else self.z.And(order.known, self.vars[location][1])
            line = self._object("Item", location + ".", there)
            lines.append((there, line))
            picked = there if index == 0 else self.z.And(there, self.vars[f"items[{index}]"][1])
            chosen.append((picked, line))
        more = self.z.And(order.known, self.extra)
        order.value["items"] = Sym(t.list_of(t.object_of("Item")), order.known, Many(lines, more))
        self.lines = lines
        self.chosen = chosen
        skus = [(p, line.value["sku"]) for p, line in chosen]
        fields["items"] = Sym(t.list_of(t.TEXT), order.known, Many(skus, more))
        fields["kind"] = Sym(t.TEXT, self.z.BoolVal(True), self.kind)
        fields["requested_at"] = self.constant(t.DATETIME, space.clock)
        per_item = self.z.Or(
            [
                self.kind == self.z.StringVal(k)
                for k, spec in self.pack.vocabulary.kinds.items()
                if spec.per_item
            ]
        )
        first = lines[0][1]
        self.item = Sym(first.type, self.z.And(first.known, per_item), first.value)
        self.selected = Sym(
            t.list_of(t.object_of("Item")), self.z.BoolVal(True), Many(chosen, more)
        )
        return request

    def _object(self, name: str, prefix: str, present: Any, depth: int = 0) -> Sym:
        fields: dict[str, Sym] = {}
        for spec in self.space.objects.get(name, {}).values():
            key = f"{prefix}{spec.name}"
            kind = spec.type.name
            if spec.mode == "fixed":
                fixed = self.constant(spec.type, spec.default)
                fields[spec.name] = Sym(fixed.type, self.z.And(present, fixed.known), fixed.value)
            elif kind == "object":
                inner = present
                if spec.mode == "optional":
                    inner = self.z.And(present, self.vars[key][1])
                if depth > 6:
                    fields[spec.name] = self.opaque(spec.type)
                else:
                    fields[spec.name] = self._object(spec.type.object, key + ".", inner, depth + 1)
            elif kind == "list":
                fields[spec.name] = self._word_list(key, spec.type, present, spec.mode)
            else:
                fields[spec.name] = self._slot(key, spec.type, present)
        return Sym(t.object_of(name), present, fields)

    def _word_list(self, key: str, type_: Type, present: Any, mode: str) -> Sym:
        slots = {
            s.key.partition("#")[2]: self.vars[s.key][1]
            for s in self.space.field_slots(key)
            if s.kind == "member"
        }
        if type_.of is None or type_.of.name not in ("text", "enum"):
            return self.opaque(type_)

        def holds(word: Sym) -> Any:
            return self.z.Or(
                [self.z.And(word.value == self.z.StringVal(w), v) for w, v in slots.items()]
            )

        known = (
            present if mode != "optional" else self.z.And(present, self.z.Or(list(slots.values())))
        )
        return Sym(type_, known, Many(words=holds))

    # ---------------------------------------------------------------- what requests obey

    def _validity(self) -> None:
        pack, space, valid = self.pack, self.space, self.valid
        kinds = pack.vocabulary.kinds
        valid.append(self.z.Or([self.kind == self.z.StringVal(k) for k in kinds]))
        order = self.request.value["order"].known
        subscription = self.request.value["subscription"].known
        valid.append(self.z.Not(self.z.And(order, subscription)))
        for name, spec in kinds.items():
            allowed = []
            if "order" in spec.subjects:
                allowed.append(self.z.And(order, self.z.Not(subscription)))
            if "subscription" in spec.subjects:
                allowed.append(self.z.And(subscription, self.z.Not(order)))
            if "none" in spec.subjects:
                allowed.append(self.z.And(self.z.Not(order), self.z.Not(subscription)))
            rule = self.z.Or(allowed) if allowed else self.z.BoolVal(False)
            if spec.one_item:
                rule = self.z.And(rule, self.z.Not(self.chosen[1][0]))
            valid.append(self.z.Implies(self.kind == self.z.StringVal(name), rule))
        first, second = (line for _, line in self.lines[:2])
        valid.append(
            self.z.Implies(self.lines[1][0], first.value["sku"].value != second.value["sku"].value)
        )
        clock = space.minute_number(space.clock)
        moments: dict[str, Sym] = {}
        for parent, name in EVENTS:
            moment = self.request.value[parent].value[name]
            moments[f"{parent}.{name}"] = moment
            valid.append(self.z.Implies(moment.known, moment.value <= clock))
        steps = [moments["order.placed_at"], moments["order.shipped_at"]]
        steps.append(moments["order.delivered_at"])
        for i, early in enumerate(steps):
            for late in steps[i + 1 :]:
                valid.append(
                    self.z.Implies(self.z.And(early.known, late.known), early.value <= late.value)
                )
        for instance, name in self._instances(self.request, "Request"):
            obj = pack.vocabulary.objects.get(name)
            if obj is None:
                continue
            for check in obj.checks:
                result = self._check(check.program.source, instance)
                valid.append(self.z.Implies(instance.known, self.z.Not(self.false(result))))

    def _instances(self, sym: Sym, name: str) -> list[tuple[Sym, str]]:
        """Every modelled object (and the type it is) under ``sym``, itself included."""
        out = [(sym, name)]
        if not isinstance(sym.value, dict):
            return out
        for value in sym.value.values():
            if value.type.name == "object" and isinstance(value.value, dict):
                out.extend(self._instances(value, value.type.object))
            elif isinstance(value.value, Many) and value.type.of is not None:
                for _, element in value.value.elements:
                    if element.type.name == "object" and isinstance(element.value, dict):
                        out.extend(self._instances(element, element.type.object))
        return out

    def _check(self, source: str, instance: Sym) -> Sym:
        roots = dict(instance.value) if isinstance(instance.value, dict) else {}
        return self.expression(source, roots, facts=False)

    # ---------------------------------------------------------------- facts and rules

    def fact(self, name: str) -> Sym:
        """A fact's value for the modelled request (memoised; the item is line 0)."""
        found = self._facts.get(name)
        if found is not None:
            return found
        definition = self.pack.facts[name]
        self._facts[name] = self.opaque(definition.type)  # a cycle is refused at load
        value = self.expression(definition.program.source, self._roots())
        if definition.default is not None:
            fallback = self.expression(definition.default.source, self._roots())
            value = self.coalesce([value, fallback], definition.type)
        value = Sym(definition.type, value.known, self.as_sort(value, definition.type))
        if definition.type.name == "money":  # rounded half up to the cent; never negative
            exact = value.value
            value = Sym(value.type, self.z.And(value.known, exact >= 0), self.rounded(exact))
        self._facts[name] = value
        return value

    def condition(self, cond: Condition) -> tuple[Any, Any]:
        """(holds, fails) of a rule's condition; unknown is neither."""
        memo = self._conditions.get(id(cond))
        if memo is not None:
            return memo
        if isinstance(cond, Compare):
            left = self.fact(cond.fact)
            if isinstance(cond.value, Ref):
                right = self.fact(cond.value.fact)
            else:
                right = self.constant(_value_type(left.type, cond.value), cond.value)
            result = self.compare(OPS[cond.op], left, right)
            out = (self.true(result), self.false(result))
        elif isinstance(cond, Not):
            holds, fails = self.condition(cond.item)
            out = (fails, holds)
        else:
            parts = [self.condition(item) for item in cond.items]
            if isinstance(cond, All):
                out = (self.z.And([p[0] for p in parts]), self.z.Or([p[1] for p in parts]))
            else:
                assert isinstance(cond, Any_)
                out = (self.z.Or([p[0] for p in parts]), self.z.And([p[1] for p in parts]))
        self._conditions[id(cond)] = out
        return out

    def _roots(self) -> dict[str, Sym]:
        roots = dict(self.request.value)
        roots["item"] = self.item
        roots["selected_items"] = self.selected
        roots["now"] = self.constant(t.DATETIME, self.space.clock)
        roots["today"] = self.constant(t.DATE, self.space.today)
        return roots

    # ---------------------------------------------------------------- expressions

    def expression(self, source: str, roots: Mapping[str, Sym], *, facts: bool = True) -> Sym:
        return read(self, source, roots, facts=facts)


def _value_type(fact_type: Type, value: Any) -> Type:
    """The type of a rule's constant compared with a fact of ``fact_type``."""
    if isinstance(value, tuple):
        return t.list_of(fact_type)
    return fact_type
