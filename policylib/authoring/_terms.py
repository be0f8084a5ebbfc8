"""The values of lint's formulas: what a z3 term stands for, and the operations on them.

Every value is a ``Sym``: whether it is known (a z3 boolean) and what it is when known,
so the Kleene rules of the language hold in the formulas as they do at run time
(``false and unknown`` is false; a comparison on an unknown value is unknown). ``Terms``
makes them: constants, *opaque* values (what is not modelled: the solver may choose them
freely, which widens what a rule is taken to match and never narrows it), comparisons,
membership and rounding. ``Z3`` keeps every term of one lint run in a z3 context of its
own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import babel.numbers
import z3  # type: ignore[import-untyped,import-not-found,unused-ignore]
from pydantic import BaseModel

from policylib.authoring._space import Space
from policylib.lang import types as t
from policylib.lang.nodes import Pack
from policylib.lang.types import Type
from policylib.request.scalars import END_OF_DAY

__all__ = ["NUMBERS", "Z3", "Many", "Sym", "Terms", "minute_of", "more", "type_of"]


def minute_of(clock: time) -> int:
    """A clock time as minutes since midnight (24:00, the end of the day, is 1440)."""
    return 1440 if clock >= END_OF_DAY else clock.hour * 60 + clock.minute


NUMBERS = frozenset({"integer", "decimal", "money"})
_COUNTED = frozenset({"integer", "date", "datetime", "time"})
"""Types the solver holds as whole numbers (days, minutes)."""


@dataclass
class Sym:
    """A value in the formulas: whether it is known, and what it is when known.

    ``value`` is a z3 expression for a scalar, a dict of field -> Sym for an object, a
    ``Many`` for a list, or a Python mapping for a settings table.
    """

    type: Type
    known: Any
    value: Any


@dataclass
class Many:
    """A list: its elements (each with whether it is there) and whether more may follow
    that are not modelled (``extra``: their test results are opaque)."""

    elements: list[tuple[Any, Sym]] = field(default_factory=list)
    extra: Any = None
    words: Callable[[Sym], Any] | None = None
    """For a list of words kept as slots (an item's tags): whether it holds a word."""
    opaque: bool = False


class Z3:
    """z3's constructors in a context of their own: each lint run makes a fresh one, so a
    pack gets the same report however many runs came before it in the process."""

    def __init__(self) -> None:
        self.ctx = z3.Context()

    def __getattr__(self, name: str) -> Any:
        return getattr(z3, name)

    def Bool(self, name: str) -> Any:
        return z3.Bool(name, self.ctx)

    def BoolVal(self, value: bool) -> Any:
        return z3.BoolVal(value, self.ctx)

    def Int(self, name: str) -> Any:
        return z3.Int(name, self.ctx)

    def IntVal(self, value: int) -> Any:
        return z3.IntVal(value, self.ctx)

    def RealVal(self, value: int) -> Any:
        return z3.RealVal(value, self.ctx)

    def Q(self, numerator: int, denominator: int) -> Any:
        return z3.Q(numerator, denominator, self.ctx)

    def String(self, name: str) -> Any:
        return z3.String(name, self.ctx)

    def StringVal(self, text: str) -> Any:
        return z3.StringVal(text, self.ctx)

    def BoolSort(self) -> Any:
        return z3.BoolSort(self.ctx)

    def IntSort(self) -> Any:
        return z3.IntSort(self.ctx)

    def RealSort(self) -> Any:
        return z3.RealSort(self.ctx)

    def StringSort(self) -> Any:
        return z3.StringSort(self.ctx)

    def _terms(self, args: tuple[Any, ...]) -> list[Any]:
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
        return [self.BoolVal(a) if isinstance(a, bool) else a for a in items]

    def And(self, *args: Any) -> Any:
        items = self._terms(args)
        return z3.And(items) if items else self.BoolVal(True)

    def Or(self, *args: Any) -> Any:
        items = self._terms(args)
        return z3.Or(items) if items else self.BoolVal(False)

    def Not(self, value: Any) -> Any:
        return z3.Not(self.BoolVal(value) if isinstance(value, bool) else value)

    def Sum(self, items: list[Any]) -> Any:
        return z3.Sum(items) if items else self.IntVal(0)

    def Solver(self) -> Any:
        return z3.Solver(ctx=self.ctx)

    def Optimize(self) -> Any:
        return z3.Optimize(ctx=self.ctx)


def type_of(value: Any) -> Type:
    if isinstance(value, bool):
        return t.BOOLEAN
    if isinstance(value, int):
        return t.INTEGER
    if isinstance(value, Decimal):
        return t.DECIMAL
    if isinstance(value, datetime):
        return t.DATETIME
    if isinstance(value, date):
        return t.DATE
    if isinstance(value, time):
        return t.TIME
    return t.TEXT


def more(many: Many) -> bool:
    """Whether unmodelled elements may follow a list's modelled ones."""
    return many.extra is not None and not z3.is_false(z3.simplify(many.extra))


class Terms:
    """Makes and combines the values of one pack's formulas (``Encoder`` adds the
    request, the facts and the rules)."""

    def __init__(self, pack: Pack, space: Space) -> None:
        self.z = Z3()
        self.pack = pack
        self.space = space
        self._fresh = 0
        self.scale = 10 ** babel.numbers.get_currency_precision(pack.store.currency)

    def fact(self, name: str) -> Sym:
        """A fact's value (``Encoder`` works it out)."""
        raise NotImplementedError  # pragma: no cover - Encoder overrides it

    def fresh(self, sort: Any, what: str = "v") -> Any:
        self._fresh += 1
        return self.z.Const(f"{what}!{self._fresh}", sort)

    def sort(self, type_: Type) -> Any:
        kind = type_.name
        if kind == "boolean":
            return self.z.BoolSort()
        if kind in ("text", "enum"):
            return self.z.StringSort()
        if kind in _COUNTED:
            return self.z.IntSort()
        return self.z.RealSort()

    def opaque(self, type_: Type) -> Sym:
        """A value the solver may choose freely (what is not modelled)."""
        known = self.fresh(self.z.BoolSort(), "known")
        if type_.name == "list":
            return Sym(type_, known, Many(opaque=True))
        if type_.name == "object":
            fields = {name: self.opaque(ft) for name, ft in self._fields_of(type_.object).items()}
            return Sym(type_, known, fields)
        if type_.name in ("null",):
            return Sym(type_, self.z.BoolVal(False), self.z.BoolVal(False))
        return Sym(type_, known, self.fresh(self.sort(type_)))

    def _fields_of(self, name: str) -> dict[str, Type]:
        return {n: spec.type for n, spec in self.space.objects.get(name, {}).items()}

    def constant(self, type_: Type, value: Any) -> Sym:
        """A Python value (a setting, a literal, a rule's constant) as a known Sym."""
        yes = self.z.BoolVal(True)
        if value is None:
            return Sym(t.NULL, self.z.BoolVal(False), self.z.BoolVal(False))
        if isinstance(value, Mapping) and type_.name == "table":
            return Sym(type_, yes, value)
        if isinstance(value, (list, tuple)):
            of = type_.of if type_.of is not None else type_of(value[0] if value else "")
            items = [(yes, self.constant(of, v)) for v in value]
            return Sym(t.list_of(of), yes, Many(items))
        if isinstance(value, bool):
            return Sym(t.BOOLEAN, yes, self.z.BoolVal(value))
        if isinstance(value, datetime):
            return Sym(t.DATETIME, yes, self.z.IntVal(self.space.minute_number(value)))
        if isinstance(value, date):
            return Sym(t.DATE, yes, self.z.IntVal(self.space.day_number(value)))
        if isinstance(value, time):
            return Sym(t.TIME, yes, self.z.IntVal(minute_of(value)))
        if isinstance(value, str):
            return Sym(
                type_ if type_.name in ("enum", "text") else t.TEXT, yes, self.z.StringVal(value)
            )
        if isinstance(value, int):
            if type_.name in ("decimal", "money"):
                return Sym(type_, yes, self.z.RealVal(value))
            return Sym(t.INTEGER, yes, self.z.IntVal(value))
        if isinstance(value, Decimal):
            numerator, denominator = value.as_integer_ratio()
            kind = type_ if type_.name in ("decimal", "money") else t.DECIMAL
            return Sym(kind, yes, self.z.Q(numerator, denominator))
        if type_.name == "object" or isinstance(value, BaseModel):
            name = type_.object
            fields = {
                n: self.constant(ft, getattr(value, n, None))
                for n, ft in self._fields_of(name).items()
            }
            return Sym(type_, yes, fields)
        return self.opaque(type_)  # pragma: no cover - every setting type is above

    @staticmethod
    def true(sym: Sym) -> Any:
        return z3.And(sym.known, sym.value)

    @staticmethod
    def false(sym: Sym) -> Any:
        return z3.And(sym.known, z3.Not(sym.value))

    def rounded(self, amount: Any) -> Any:
        """An amount rounded half up (away from zero) to the currency's smallest unit."""
        scale = self.scale
        up = self.z.ToReal(self.z.ToInt(amount * scale + self.z.Q(1, 2))) / scale
        down = -self.z.ToReal(self.z.ToInt(-amount * scale + self.z.Q(1, 2))) / scale
        return self.z.If(amount >= 0, up, down)

    def coalesce(self, values: Sequence[Sym], type_: Type) -> Sym:
        known = self.z.Or([v.known for v in values])
        last = values[-1]
        if last.type.name == "object" or isinstance(last.value, (dict, Many)):
            return last if len(values) == 1 else self.opaque(type_)
        result = self.as_sort(last, type_)
        for v in reversed(values[:-1]):
            result = self.z.If(v.known, self.as_sort(v, type_), result)
        return Sym(type_, known, result)

    def as_sort(self, sym: Sym, type_: Type) -> Any:
        """A Sym's value in the sort of ``type_`` (a whole number where a decimal goes)."""
        value = sym.value
        if isinstance(value, (dict, Many, Mapping)):
            return value
        if type_.name in ("decimal", "money") and self.z.is_int(value):
            return self.z.ToReal(value)
        return value

    def compare(self, op: str, a: Sym, b: Sym) -> Sym:
        known = self.z.And(a.known, b.known)
        if op in ("in", "not in"):
            inside = self.member(a, b)
            return Sym(
                t.BOOLEAN,
                self.z.And(known, inside.known),
                inside.value if op == "in" else self.z.Not(inside.value),
            )
        if isinstance(a.value, dict) or isinstance(b.value, dict):
            same = self._same(a, b)
            return Sym(t.BOOLEAN, known, same if op == "==" else self.z.Not(same))
        x, y = self.numbers(a, b)
        if x.sort() != y.sort():  # pragma: no cover - the loader refused the comparison
            return self.opaque(t.BOOLEAN)
        result = {
            "==": lambda: x == y,
            "!=": lambda: x != y,
            "<": lambda: x < y,
            "<=": lambda: x <= y,
            ">": lambda: x > y,
            ">=": lambda: x >= y,
        }[op]()
        return Sym(t.BOOLEAN, known, result)

    def numbers(self, a: Sym, b: Sym) -> tuple[Any, Any]:
        x, y = a.value, b.value
        if self.z.is_int(x) and self.z.is_real(y):
            x = self.z.ToReal(x)
        elif self.z.is_real(x) and self.z.is_int(y):
            y = self.z.ToReal(y)
        return x, y

    def _same(self, a: Sym, b: Sym) -> Any:
        if not (isinstance(a.value, dict) and isinstance(b.value, dict)):
            return self.fresh(self.z.BoolSort(), "same")
        parts = []
        for name in set(a.value) | set(b.value):
            left, right = a.value.get(name), b.value.get(name)
            if left is None or right is None:
                continue
            equal = self.compare("==", left, right)
            both_missing = self.z.And(self.z.Not(left.known), self.z.Not(right.known))
            parts.append(self.z.Or(both_missing, self.true(equal)))
        return self.z.And(parts)

    def member(self, x: Sym, items: Sym) -> Sym:
        """Whether ``x`` is in a list (unknown when an element it may be is unknown)."""
        many = items.value
        if not isinstance(many, Many) or many.opaque:
            return self.opaque(t.BOOLEAN)
        if many.words is not None:
            return Sym(t.BOOLEAN, self.z.BoolVal(True), many.words(x))
        hits, unknown = [], []
        for there, element in many.elements:
            equal = self.compare("==", x, element)
            hits.append(self.z.And(there, self.true(equal)))
            unknown.append(self.z.And(there, self.z.Not(equal.known)))
        if more(many):
            extra = self.opaque(t.BOOLEAN)
            hits.append(self.z.And(many.extra, self.true(extra)))
            unknown.append(self.z.And(many.extra, self.z.Not(extra.known)))
        found = self.z.Or(hits)
        return Sym(t.BOOLEAN, self.z.Or(found, self.z.Not(self.z.Or(unknown))), found)
