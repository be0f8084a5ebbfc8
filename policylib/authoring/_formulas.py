"""Expressions as lint's formulas: a fact's expression read from its source with Python's
``ast``, as the compiler reads it, each form becoming the formula of what it computes.

Paths read the request's slots; arithmetic and comparisons are exact (money in cents,
rounded as the engine rounds it); dates count days and moments minutes on the store's
wall clock (``hours_between`` corrects for the store's changes of UTC offset);
``year``/``month``/``day``, ``date(...)`` and ``is_business_day`` are worked out over
the ten years either side of the clock; ``any``/``all``/``count``/``sum`` run over the
modelled order lines. Business-day arithmetic (``add_business_days``,
``business_days_between``, ``next_business_days``), billing periods (``period_end``) and
a store's own functions are opaque.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import z3  # type: ignore[import-untyped,import-not-found,unused-ignore]

from policylib.authoring._terms import NUMBERS, Many, Sym, Terms, more, type_of
from policylib.lang import types as t
from policylib.lang.functions import BUILTINS
from policylib.lang.types import Type

__all__ = ["OPS", "read"]


def read(terms: Terms, source: str, roots: Mapping[str, Sym], *, facts: bool = True) -> Sym:
    """An expression's value as a Sym, its names read from ``roots`` (and the pack's
    facts, unless ``facts`` is off: an object's own checks name only its fields)."""
    wrapped = f"(\n{source.strip()}\n)"
    tree = ast.parse(wrapped, mode="eval")
    return _Reader(terms, roots, wrapped, facts).node(tree.body, None)


OPS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "lte": "<=",
    "gt": ">",
    "gte": ">=",
    "in": "in",
    "not_in": "not in",
}
_COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}


class _Reader:
    """Turns one expression's syntax tree into a Sym, node by node."""

    def __init__(self, encoder: Terms, roots: Mapping[str, Sym], source: str, facts: bool) -> None:
        self.e = encoder
        self.roots = roots
        self.source = source
        self.facts = facts

    def node(self, node: ast.expr, each: Sym | None) -> Sym:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:  # pragma: no cover - the loader refused anything else
            return self.e.opaque(t.ANY)
        result: Sym = method(node, each)
        return result

    # ---------------------------------------------------------------- leaves

    def _Constant(self, node: ast.Constant, each: Sym | None) -> Sym:
        value: Any = node.value
        if isinstance(value, float):
            text = (ast.get_source_segment(self.source, node) or repr(value)).replace("_", "")
            value = Decimal(text)
        return self.e.constant(type_of(value) if value is not None else t.NULL, value)

    def _Name(self, node: ast.Name, each: Sym | None) -> Sym:
        name = node.id
        if name in ("true", "false"):
            return self.e.constant(t.BOOLEAN, name == "true")
        if name == "null":
            return self.e.constant(t.NULL, None)
        if name == "each" and each is not None:
            return each
        root = self.roots.get(name)
        if root is not None:
            return root
        if self.facts and name in self.e.pack.facts:
            return self.e.fact(name)
        return self.e.opaque(t.ANY)  # pragma: no cover - the loader refused it

    def _List(self, node: ast.List | ast.Tuple, each: Sym | None) -> Sym:
        items = [self.node(e, each) for e in node.elts]
        of = items[0].type if items else t.TEXT
        yes = self.e.z.BoolVal(True)
        return Sym(t.list_of(of), yes, Many([(yes, i) for i in items]))

    _Tuple = _List

    def _Attribute(self, node: ast.Attribute, each: Sym | None) -> Sym:
        if isinstance(node.value, ast.Name) and node.value.id == "settings":
            setting = self.e.pack.settings.get(node.attr)
            if setting is None:  # pragma: no cover - the loader refused it
                return self.e.opaque(t.ANY)
            return self.e.constant(setting.type, setting.value)
        base = self.node(node.value, each)
        if isinstance(base.value, Mapping) and base.type.name == "table":
            of = base.type.of or t.ANY
            return self.e.constant(of, base.value.get(node.attr))
        if isinstance(base.value, dict):
            found = base.value.get(node.attr)
            if found is None:
                return self.e.opaque(t.ANY)
            return Sym(found.type, self.e.z.And(base.known, found.known), found.value)
        return self.e.opaque(t.ANY)

    def _Subscript(self, node: ast.Subscript, each: Sym | None) -> Sym:
        base = self.node(node.value, each)
        key = self.node(node.slice, each)
        table = base.value
        of = base.type.of or t.ANY
        if not isinstance(table, Mapping) or not table:
            return self.e.opaque(of)
        entries = [(self.e.z.StringVal(str(k)), self.e.constant(of, v)) for k, v in table.items()]
        if any(isinstance(s.value, (dict, Many)) for _, s in entries):
            return self.e.opaque(of)
        result = self.e.as_sort(entries[-1][1], of)
        for word, sym in reversed(entries[:-1]):
            result = self.e.z.If(key.value == word, self.e.as_sort(sym, of), result)
        found = self.e.z.Or([key.value == word for word, _ in entries])
        return Sym(
            of if of.name != "any" else entries[0][1].type, self.e.z.And(key.known, found), result
        )

    # ---------------------------------------------------------------- operators

    def _BoolOp(self, node: ast.BoolOp, each: Sym | None) -> Sym:
        parts = [self.node(v, each) for v in node.values]
        trues = [self.e.true(p) for p in parts]
        falses = [self.e.false(p) for p in parts]
        if isinstance(node.op, ast.And):
            holds, fails = self.e.z.And(trues), self.e.z.Or(falses)
        else:
            holds, fails = self.e.z.Or(trues), self.e.z.And(falses)
        return Sym(t.BOOLEAN, self.e.z.Or(holds, fails), holds)

    def _UnaryOp(self, node: ast.UnaryOp, each: Sym | None) -> Sym:
        inner = self.node(node.operand, each)
        if isinstance(node.op, ast.Not):
            return Sym(t.BOOLEAN, inner.known, self.e.z.Not(inner.value))
        if isinstance(node.op, ast.USub):
            return Sym(inner.type, inner.known, -inner.value)
        return inner

    def _BinOp(self, node: ast.BinOp, each: Sym | None) -> Sym:
        left, right = self.node(node.left, each), self.node(node.right, each)
        if isinstance(left.value, (dict, Many)) or isinstance(right.value, (dict, Many)):
            return self.e.opaque(t.DECIMAL)  # pragma: no cover - refused at load
        x, y = self.e.numbers(left, right)
        known = self.e.z.And(left.known, right.known)
        names = {left.type.name, right.type.name}
        money = "money" in names
        if isinstance(node.op, ast.Add):
            value = x + y
        elif isinstance(node.op, ast.Sub):
            value = x - y
        elif isinstance(node.op, ast.Mult):
            value = x * y
        elif isinstance(node.op, ast.Div):
            x = self.e.z.ToReal(x) if self.e.z.is_int(x) else x
            y = self.e.z.ToReal(y) if self.e.z.is_int(y) else y
            known = self.e.z.And(known, y != 0)
            value = x / y
        else:  # pragma: no cover - refused at load
            return self.e.opaque(t.DECIMAL)
        if money:
            type_ = t.MONEY
        elif self.e.z.is_int(value):
            type_ = t.INTEGER
        else:
            type_ = t.DECIMAL
        if (
            isinstance(node.op, ast.Div)
            and left.type.name == "money"
            and right.type.name == "money"
        ):
            type_ = t.DECIMAL
        return Sym(type_, known, value)

    def _Compare(self, node: ast.Compare, each: Sym | None) -> Sym:
        operands = [self.node(node.left, each)] + [self.node(c, each) for c in node.comparators]
        results = [
            self.e.compare(_COMPARE_OPS[type(op)], operands[i], operands[i + 1])
            for i, op in enumerate(node.ops)
        ]
        if len(results) == 1:
            return results[0]
        holds = self.e.z.And([self.e.true(r) for r in results])
        fails = self.e.z.Or([self.e.false(r) for r in results])
        return Sym(t.BOOLEAN, self.e.z.Or(holds, fails), holds)

    def _IfExp(self, node: ast.IfExp, each: Sym | None) -> Sym:
        test = self.node(node.test, each)
        yes, no = self.node(node.body, each), self.node(node.orelse, each)
        if isinstance(yes.value, (dict, Many)) or isinstance(no.value, (dict, Many)):
            return self.e.opaque(yes.type)
        a, b = self.e.numbers(yes, no)
        if a.sort() != b.sort():  # pragma: no cover - refused at load
            return self.e.opaque(yes.type)
        type_ = yes.type if yes.type.name != "null" else no.type
        if {yes.type.name, no.type.name} <= NUMBERS and yes.type != no.type:
            type_ = t.MONEY if "money" in (yes.type.name, no.type.name) else t.DECIMAL
        known = self.e.z.And(test.known, self.e.z.If(test.value, yes.known, no.known))
        return Sym(type_, known, self.e.z.If(test.value, a, b))

    # ---------------------------------------------------------------- calls

    def _Call(self, node: ast.Call, each: Sym | None) -> Sym:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name in ("any", "all", "count", "sum"):
            return self._collection(name, node, each)
        args = [self.node(a, each) for a in node.args]
        handler = _CALLS.get(name)
        if handler is not None and name in BUILTINS:
            return handler(self, args)
        # No formula (business days, billing periods, a store's own function): opaque,
        # but a strict function of an unknown argument is unknown all the same.
        result = self.e.opaque(self._returns(name, args))
        function = self.e.pack.functions.get(name)
        if function is None or function.strict:
            result.known = self.e.z.And([result.known, *(a.known for a in args)])
        return result

    def _returns(self, name: str, args: Sequence[Sym]) -> Type:
        function = self.e.pack.functions.get(name)
        if function is None:
            return t.ANY
        result = function.typer([a.type for a in args])
        return result if isinstance(result, Type) else t.ANY

    def _collection(self, name: str, node: ast.Call, each: Sym | None) -> Sym:
        items = self.node(node.args[0], each)
        many = items.value
        if not isinstance(many, Many) or many.opaque or many.words is not None:
            # a list only known word by word (an item's tags): how long it is, is free
            result = self.e.opaque(t.BOOLEAN if name in ("any", "all") else t.INTEGER)
            result.known = self.e.z.And(result.known, items.known)
            return result
        elements = list(many.elements)
        if len(node.args) == 1:  # count(list)
            total = self.e.z.Sum(
                [self.e.z.If(p, 1, 0) for p, _ in elements] or [self.e.z.IntVal(0)]
            )
            beyond = self.e.fresh(self.e.z.IntSort(), "count")
            total = total + self.e.z.If(many.extra, beyond, 0)
            known = self.e.z.And(items.known, self.e.z.Implies(many.extra, beyond >= 1))
            return Sym(t.INTEGER, known, total)
        results = [(p, self.node(node.args[1], element)) for p, element in elements]
        if more(many):
            kind = t.BOOLEAN if name != "sum" else (results[0][1].type if results else t.DECIMAL)
            results.append((many.extra, self.e.opaque(kind)))
        if name == "sum":
            return self._sum(items, results)
        if name == "count":
            counted = self.e.z.Sum(
                [self.e.z.If(self.e.z.And(p, self.e.true(r)), 1, 0) for p, r in results]
                or [self.e.z.IntVal(0)]
            )
            known = self.e.z.And(
                items.known, self.e.z.And([self.e.z.Implies(p, r.known) for p, r in results])
            )
            return Sym(t.INTEGER, known, counted)
        trues = [self.e.z.And(p, self.e.true(r)) for p, r in results]
        falses = [self.e.z.Implies(p, self.e.false(r)) for p, r in results]
        unknowns = [self.e.z.And(p, self.e.z.Not(r.known)) for p, r in results]
        if name == "any":
            holds = self.e.z.Or(trues)
            known = self.e.z.Or(holds, self.e.z.And(falses))
        else:
            fails = self.e.z.Or([self.e.z.And(p, self.e.false(r)) for p, r in results])
            holds = self.e.z.And([self.e.z.Implies(p, self.e.true(r)) for p, r in results])
            known = self.e.z.Or(fails, self.e.z.Not(self.e.z.Or(unknowns)))
        return Sym(t.BOOLEAN, self.e.z.And(items.known, known), holds)

    def _sum(self, items: Sym, results: list[tuple[Any, Sym]]) -> Sym:
        type_ = results[0][1].type if results else t.INTEGER
        real = type_.name != "integer"
        zero = self.e.z.RealVal(0) if real else self.e.z.IntVal(0)
        terms = []
        for p, r in results:
            value = self.e.z.ToReal(r.value) if real and self.e.z.is_int(r.value) else r.value
            terms.append(self.e.z.If(p, value, zero))
        known = self.e.z.And(
            items.known, self.e.z.And([self.e.z.Implies(p, r.known) for p, r in results])
        )
        return Sym(type_, known, self.e.z.Sum(terms) if terms else zero)


# --------------------------------------------------------------------------- built-ins


def _day(sym: Sym) -> Any:
    """A date or moment as a day number (a moment's day on the store's wall clock)."""
    return sym.value / 1440 if sym.type.name == "datetime" else sym.value


def _minutes(sym: Sym) -> Any:
    return sym.value if sym.type.name == "datetime" else sym.value * 1440


def _strict(args: Sequence[Sym]) -> Any:
    return z3.And([a.known for a in args])


def _days_between(r: _Reader, args: Sequence[Sym]) -> Sym:
    a, b = args
    return Sym(t.INTEGER, _strict(args), _day(b) - _day(a))


def _hours_between(r: _Reader, args: Sequence[Sym]) -> Sym:
    a, b = args
    elapsed = _universal(r, _minutes(b)) - _universal(r, _minutes(a))
    return Sym(t.DECIMAL, _strict(args), r.e.z.ToReal(elapsed) / 60)


def _universal(r: _Reader, wall: Any) -> Any:
    """A wall-clock minute as a minute of UTC: less the store's offset then (the offsets
    are known over the near days; further away they are left free)."""
    space = r.e.space
    offsets = space.offsets()
    offset: Any = r.e.z.IntVal(offsets[0][1])
    for start, minutes in offsets[1:]:
        offset = r.e.z.If(wall >= start, minutes, offset)
    near = r.e.z.And(
        wall >= space.day_number(space.near_first) * 1440,
        wall < (space.day_number(space.near_last) + 1) * 1440,
    )
    return wall - r.e.z.If(near, offset, r.e.fresh(r.e.z.IntSort(), "offset"))


def _local_date(r: _Reader, args: Sequence[Sym]) -> Sym:
    return Sym(t.DATE, args[0].known, _day(args[0]))


def _local_time(r: _Reader, args: Sequence[Sym]) -> Sym:
    return Sym(t.TIME, args[0].known, args[0].value % 1440)


def _at(r: _Reader, args: Sequence[Sym]) -> Sym:
    day, clock = args
    return Sym(t.DATETIME, _strict(args), day.value * 1440 + clock.value)


def _add_days(r: _Reader, args: Sequence[Sym]) -> Sym:
    day, n = args
    return Sym(t.DATE, _strict(args), day.value + n.value)


def _extreme(smallest: bool) -> Callable[[_Reader, Sequence[Sym]], Sym]:
    def pick(r: _Reader, args: Sequence[Sym]) -> Sym:
        names = {a.type.name for a in args}
        real = bool(names & {"decimal", "money"})
        values = [
            r.e.z.ToReal(a.value) if real and r.e.z.is_int(a.value) else a.value for a in args
        ]
        result = values[0]
        for v in values[1:]:
            result = (
                r.e.z.If(v < result, v, result) if smallest else r.e.z.If(v > result, v, result)
            )
        type_ = args[0].type
        if names <= NUMBERS and len(names) > 1:
            type_ = t.MONEY if "money" in names else t.DECIMAL
        return Sym(type_, _strict(args), result)

    return pick


def _abs(r: _Reader, args: Sequence[Sym]) -> Sym:
    x = args[0]
    return Sym(x.type, x.known, r.e.z.If(x.value < 0, -x.value, x.value))


def _round_money(r: _Reader, args: Sequence[Sym]) -> Sym:
    x = args[0]
    amount = r.e.z.ToReal(x.value) if r.e.z.is_int(x.value) else x.value
    return Sym(t.MONEY, x.known, r.e.rounded(amount))


def _known(r: _Reader, args: Sequence[Sym]) -> Sym:
    return Sym(t.BOOLEAN, r.e.z.BoolVal(True), args[0].known)


def _coalesce(r: _Reader, args: Sequence[Sym]) -> Sym:
    types = [a.type for a in args if a.type.name != "null"]
    type_ = types[0] if types else t.NULL
    if {x.name for x in types} <= NUMBERS and len({x.name for x in types}) > 1:
        type_ = t.MONEY if any(x.name == "money" for x in types) else t.DECIMAL
    return r.e.coalesce([a for a in args if a.type.name != "null"] or list(args), type_)


def _calendar_part(part: str) -> Callable[[_Reader, Sequence[Sym]], Sym]:
    """``year``/``month``/``day`` over the modelled days, as a chain of month starts."""

    def extract(r: _Reader, args: Sequence[Sym]) -> Sym:
        space = r.e.space
        day = _day(args[0])
        starts = _month_starts(space.near_first, space.near_last)

        def at(start: date) -> Any:
            if part == "day":
                return day - space.day_number(start) + 1
            return r.e.z.IntVal(start.year if part == "year" else start.month)

        result = at(starts[0])
        for start in starts[1:]:
            result = r.e.z.If(day >= space.day_number(start), at(start), result)
        near = r.e.z.And(day >= space.day_number(starts[0]), day < space.day_number(starts[-1]))
        result = r.e.z.If(near, result, r.e.fresh(r.e.z.IntSort(), part))  # far away: left free
        return Sym(t.INTEGER, args[0].known, result)

    return extract


def _month_starts(first: date, last: date) -> list[date]:
    out = [date(first.year, first.month, 1)]
    while out[-1] < last:
        year, month = divmod(out[-1].month, 12)
        out.append(date(out[-1].year + year, month + 1, 1))
    return out


def _make_date(r: _Reader, args: Sequence[Sym]) -> Sym:
    """``date(y, m, d)``: worked out for constants, over the modelled years for a year."""
    values = [r.e.z.simplify(a.value) for a in args]
    if all(r.e.z.is_int_value(v) for v in values) and all(
        r.e.z.is_true(r.e.z.simplify(a.known)) for a in args
    ):
        year, month, day = (v.as_long() for v in values)
        try:
            found = date(year, month, day)
        except (ValueError, OverflowError):
            return Sym(t.DATE, r.e.z.BoolVal(False), r.e.z.IntVal(0))
        return r.e.constant(t.DATE, found)
    if not (r.e.z.is_int_value(values[1]) and r.e.z.is_int_value(values[2])):
        return r.e.opaque(t.DATE)
    month, day = values[1].as_long(), values[2].as_long()
    space = r.e.space
    first, last = space.near_first.year, space.near_last.year
    far = r.e.z.Or(args[0].value < first, args[0].value > last)
    result: Any = r.e.fresh(r.e.z.IntSort(), "date")  # a year far away: left free
    known: list[Any] = [r.e.z.And(far, r.e.fresh(r.e.z.BoolSort(), "known"))]
    for year in range(first, last + 1):
        try:
            number = space.day_number(date(year, month, day))
        except ValueError:
            continue  # February 29 in a common year: no such day, unknown
        result = r.e.z.If(args[0].value == year, number, result)
        known.append(args[0].value == year)
    return Sym(t.DATE, r.e.z.And(_strict(args), r.e.z.Or(known)), result)


def _is_business_day(r: _Reader, args: Sequence[Sym]) -> Sym:
    """The weekend rule (by weekday), with the holidays and closures of the near days as
    exceptions; further away the answer is left free."""
    space = r.e.space
    day = args[0].value
    weekday = (day + 3) % 7  # day 0, 1970-01-01, was a Thursday (Monday is 0)
    works: Any = r.e.z.And([weekday != w for w in sorted(space.calendar.weekend)])
    working, closed = space.exceptions()
    if working:
        works = r.e.z.Or(works, r.e.z.Or([day == n for n in sorted(working)]))
    if closed:
        works = r.e.z.And(works, r.e.z.And([day != n for n in sorted(closed)]))
    near = r.e.z.And(
        day >= space.day_number(space.near_first), day <= space.day_number(space.near_last)
    )
    return Sym(
        t.BOOLEAN, args[0].known, r.e.z.If(near, works, r.e.fresh(r.e.z.BoolSort(), "works"))
    )


_CALLS: dict[str, Callable[[_Reader, Sequence[Sym]], Sym]] = {
    "days_between": _days_between,
    "hours_between": _hours_between,
    "local_date": _local_date,
    "local_time": _local_time,
    "at": _at,
    "add_days": _add_days,
    "min": _extreme(True),
    "max": _extreme(False),
    "abs": _abs,
    "round_money": _round_money,
    "known": _known,
    "coalesce": _coalesce,
    "year": _calendar_part("year"),
    "month": _calendar_part("month"),
    "day": _calendar_part("day"),
    "date": _make_date,
    "is_business_day": _is_business_day,
}
"""The built-ins with a formula; the others (business-day arithmetic, billing periods) are
opaque."""
