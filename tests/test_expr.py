"""Expressions: compiled programs agree with the reference interpreter, three-valued
(Kleene) semantics, exact decimals, located type errors, and the whitelist."""

from __future__ import annotations

import ast
import builtins
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylib.lang import types as t
from policylib.lang.expr import (
    Env,
    Program,
    Root,
    Scope,
    Setting,
    compile_expression,
    evaluate_reference,
)
from policylib.lang.functions import BUILTINS, Functions

# --------------------------------------------------------------------------- the scope

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2024, 3, 10, 15, 30, tzinfo=timezone.utc)
STATUS = t.enum(["open", "shipped", "delivered"])

REQUEST: dict[str, t.Type] = {
    "n": t.INTEGER,
    "d": t.DECIMAL,
    "m": t.MONEY,
    "b": t.BOOLEAN,
    "s": STATUS,
    "day": t.DATE,
    "txt": t.TEXT,
}
OBJECTS: dict[str, dict[str, t.Type]] = {
    "Item": {
        "name": t.TEXT,
        "price": t.MONEY,
        "quantity": t.INTEGER,
        "tags": t.list_of(t.TEXT),
        "status": STATUS,
        "final_sale": t.BOOLEAN,
        "shipped_on": t.DATE,
        "delivered_at": t.DATETIME,
        "box": t.object_of("Box"),
    },
    "Box": {"weight": t.DECIMAL, "sealed": t.BOOLEAN},
}
FACTS: dict[str, t.Type] = {"fi": t.INTEGER, "fb": t.BOOLEAN, "fm": t.MONEY}
SETTINGS = {
    "p": Setting(t.DECIMAL, Decimal("12.5")),
    "fee": Setting(t.MONEY, Decimal("4.99")),
    "limit": Setting(t.INTEGER, 30),
    "windows": Setting(t.list_of(t.TEXT), ["am", "pm"]),
    "days": Setting(t.table_of(STATUS, t.INTEGER), {"open": 1, "shipped": 2, "delivered": 3}),
    "partial": Setting(t.table_of(STATUS, t.INTEGER), {"open": 1}),
    "by_name": Setting(t.table_of(t.TEXT, t.INTEGER), {"lamp": 5}),
}


def _field(name: str) -> Callable[[Env], Any]:
    return lambda env: getattr(env.request, name)


ROOTS = {name: Root(type_, _field(name), name) for name, type_ in REQUEST.items()}
ROOTS["item"] = Root(t.object_of("Item"), lambda env: env.item, "item")
ROOTS["items"] = Root(t.list_of(t.object_of("Item")), lambda env: env.request.items, "items")
ROOTS["now"] = Root(t.DATETIME, lambda env: env.now)
ROOTS["today"] = Root(t.DATE, lambda env: env.today)


def scope(functions: Mapping[str, Any] | None = None) -> Scope:
    return Scope(ROOTS, OBJECTS, FACTS, SETTINGS, {**BUILTINS, **(functions or {})})


SCOPE = scope()


@dataclass(frozen=True)
class Box:
    weight: Decimal | None = None
    sealed: bool | None = None


@dataclass(frozen=True)
class Item:
    name: str | None = None
    price: Decimal | None = None
    quantity: int | None = None
    tags: list[str] | None = None
    status: str | None = None
    final_sale: bool | None = None
    shipped_on: date | None = None
    delivered_at: datetime | date | None = None
    box: Box | None = None


@dataclass
class Values:
    """One request's values: the roots, the item, the list and the facts (None: unknown)."""

    request: dict[str, Any] = field(default_factory=dict)
    item: Item | None = None
    items: Sequence[Item | None] | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def env(self) -> Env:
        programs = {name: _constant(self.facts.get(name)) for name in FACTS}
        request = SimpleNamespace(
            items=self.items, **{name: self.request.get(name) for name in REQUEST}
        )
        return Env(request, self.item, [], NOW, ZONE, None, programs)

    def names(self) -> dict[str, Any]:
        settings = {name: s.value for name, s in SETTINGS.items()}
        return {
            **{name: self.request.get(name) for name in REQUEST},
            "item": self.item,
            "items": self.items,
            **{name: self.facts.get(name) for name in FACTS},
            "settings": settings,
        }


def _constant(value: Any) -> Callable[[Env], Any]:
    return lambda env: value


@dataclass
class Reports:
    """The report callback: records every problem compile_expression reports."""

    seen: list[tuple[str, str, int, int, str]] = field(default_factory=list)

    def __call__(self, code: str, message: str, line: int, col: int, hint: str = "") -> None:
        self.seen.append((code, message, line, col, hint))


def compiled(source: str, scope_: Scope = SCOPE, expected: t.Type | None = None) -> Program:
    reports = Reports()
    program = compile_expression(source, scope_, reports, expected=expected)
    assert reports.seen == [], reports.seen
    assert program is not None
    return program


def refused(
    source: str, scope_: Scope = SCOPE, expected: t.Type | None = None
) -> tuple[str, str, int, int, str]:
    """The one problem reported for ``source`` (which must not compile)."""
    reports = Reports()
    program = compile_expression(source, scope_, reports, expected=expected)
    assert program is None
    assert len(reports.seen) == 1, reports.seen
    return reports.seen[0]


def run(source: str, values: Values | None = None) -> Any:
    return compiled(source).run((values or Values()).env())


def reference_functions(env: Env) -> dict[str, Callable[..., Any]]:
    """The built-ins as the reference calls them: strict ones give None on an unknown
    argument; the ones needing the evaluation get it."""

    def call_of(name: str) -> Callable[..., Any]:
        function = BUILTINS[name]

        def call(*args: Any) -> Any:
            if function.strict and any(a is None for a in args):
                return None
            return function.fn(env, *args) if function.context else function.fn(*args)

        return call

    return {name: call_of(name) for name in BUILTINS}


# --------------------------------------------------------------------------- generated expressions

KINDS = ("integer", "decimal", "money", "boolean", "enum", "date", "text")
NUMBERS = ("integer", "decimal", "money")


def _leaves(kind: str, each: bool) -> list[str]:
    own: dict[str, list[str]] = {
        "integer": ["n", "item.quantity", "fi", "settings.limit", "settings.days.shipped"],
        "decimal": ["d", "settings.p", "item.box.weight"],
        "money": ["m", "item.price", "settings.fee", "fm"],
        "boolean": ["b", "fb", "item.final_sale", "item.box.sealed", "true", "False"],
        "enum": ["s", "item.status"],
        "date": ["day", "item.shipped_on"],
        "text": ["txt", "item.name"],
    }
    element: dict[str, list[str]] = {
        "integer": ["each.quantity"],
        "decimal": ["each.box.weight"],
        "money": ["each.price"],
        "boolean": ["each.final_sale"],
        "enum": ["each.status"],
        "date": ["each.shipped_on"],
        "text": ["each.name"],
    }
    return own[kind] + (element[kind] if each else [])


_INTEGER_LITERALS = st.integers(-20, 20).map(lambda i: f"({i})" if i < 0 else str(i))
_DECIMAL_LITERALS = st.decimals(min_value=-100, max_value=100, places=2).map(
    lambda x: f"({x:f})" if x < 0 else f"{x:f}"
)
_STATUS_LITERALS = st.sampled_from([f'"{v}"' for v in STATUS.values])
_TEXT_LITERALS = st.sampled_from(['"lamp"', '"vase"', '""'])


def _form(template: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Source text: ``template`` with each ``{}`` filled from its strategy."""
    return st.tuples(*parts).map(lambda texts: template.format(*texts))


@functools.cache
def expressions(kind: str, depth: int = 3, each: bool = False) -> st.SearchStrategy[str]:
    """Well-typed expressions of ``kind`` (``each``: inside a collection form). Enum and text
    expressions always keep a declared enum or text leaf, so comparing one with a literal
    is never refused."""
    leaf = st.sampled_from(_leaves(kind, each))
    if kind == "integer":
        leaf |= _INTEGER_LITERALS | st.sampled_from(
            ["settings.days[s]", "settings.days[item.status]", "count(items)"]
        )
        leaf |= st.just("days_between(day, item.shipped_on)")
    elif kind == "decimal":
        leaf |= _DECIMAL_LITERALS
    if depth <= 0:
        return leaf

    def sub(k: str) -> st.SearchStrategy[str]:
        return expressions(k, depth - 1, each)

    def element(k: str) -> st.SearchStrategy[str]:
        return expressions(k, depth - 1, True)

    same, test = sub(kind), sub("boolean")
    options = [leaf, leaf, _form("({} if {} else {})", same, test, same)]
    options.append(_form("coalesce({}, {})", same, same))
    if kind in NUMBERS:
        options += [
            _form("({} {} {})", same, st.sampled_from("+-"), same),
            _form("(-{})", same),
            _form("{}({}, {})", st.sampled_from(["min", "max"]), same, same),
            _form("abs({})", same),
        ]
    number = sub("integer") | sub("decimal")
    if kind == "integer":
        options += [
            _form("({} * {})", same, same),
            _form("sum(items, {})", element("integer")),
            _form("count(items, {})", element("boolean")),
        ]
    if kind == "decimal":
        options += [
            _form("({} {} {})", number, st.sampled_from("+-*/"), number),
            _form("({} / {})", sub("money"), sub("money")),
        ]
    if kind == "money":
        options += [
            _form("({} * {})", same, number),
            _form("({} * {})", number, same),
            _form("({} / {})", same, number),
            _form("round_money({})", same),
            _form("sum(items, {})", element("money")),
        ]
    if kind == "boolean":
        number |= sub("money")
        options += [
            _form("(not {})", test),
            _form("({} {} {})", test, st.sampled_from(["and", "or"]), test),
            _form("({} and {} or {})", test, test, test),
            _form(
                "({} {} {})", number, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), number
            ),
            _form(
                "({} {} {} {} {})",
                number,
                st.sampled_from(["<", "<="]),
                number,
                st.sampled_from(["<", "<=", "=="]),
                number,
            ),
            _form("({} {} {})", sub("date"), st.sampled_from(["<", "==", ">="]), sub("date")),
            _form(
                "({} {} {})",
                sub("enum"),
                st.sampled_from(["==", "!="]),
                sub("enum") | _STATUS_LITERALS,
            ),
            _form(
                "({} {} [{}])",
                sub("enum"),
                st.sampled_from(["in", "not in"]),
                st.lists(_STATUS_LITERALS, max_size=3).map(", ".join),
            ),
            _form("({} == {})", sub("text"), sub("text") | _TEXT_LITERALS),
            _form("({} in item.tags)", _TEXT_LITERALS),
            _form("({} in settings.windows)", sub("text")),
            _form("known({})", st.one_of([sub(k) for k in KINDS])),
            _form("{}(items, {})", st.sampled_from(["any", "all"]), element("boolean")),
        ]
    if kind == "enum":
        options.append(_form("coalesce({}, {})", same, _STATUS_LITERALS))
    if kind == "text":
        options.append(_form("coalesce({}, {})", same, _TEXT_LITERALS))
        options.append(_form("({} if {} else {})", same, test, _TEXT_LITERALS))
    if kind == "date":
        options += [
            _form("add_days({}, {})", same, sub("integer")),
            _form("add_months({}, {})", same, _INTEGER_LITERALS),
            _form("{}({}, {})", st.sampled_from(["min", "max"]), same, same),
        ]
    return st.one_of(options)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_MONEY = st.decimals(min_value=0, max_value=10_000, places=2)
_DECIMALS = st.decimals(min_value=-1_000, max_value=1_000, places=3)
_INTEGERS = st.integers(-3, 3) | st.integers(-(10**6), 10**6)
_DATES = st.dates(date(1990, 1, 1), date(2040, 12, 31))
_TEXTS = st.sampled_from(["lamp", "vase", "", "am"]) | st.text(max_size=5)

items_ = st.builds(
    Item,
    name=_maybe(_TEXTS),
    price=_maybe(_MONEY),
    quantity=_maybe(st.integers(0, 5)),
    tags=_maybe(st.lists(_TEXTS, max_size=3)),
    status=_maybe(st.sampled_from(STATUS.values)),
    final_sale=_maybe(st.booleans()),
    shipped_on=_maybe(_DATES),
    box=_maybe(st.builds(Box, weight=_maybe(_DECIMALS), sealed=_maybe(st.booleans()))),
)

values_ = st.builds(
    Values,
    request=st.fixed_dictionaries(
        {
            "n": _maybe(_INTEGERS),
            "d": _maybe(_DECIMALS),
            "m": _maybe(_MONEY),
            "b": _maybe(st.booleans()),
            "s": _maybe(st.sampled_from(STATUS.values)),
            "day": _maybe(_DATES),
            "txt": _maybe(_TEXTS),
        }
    ),
    item=_maybe(items_),
    items=_maybe(st.lists(_maybe(items_), max_size=4)),
    facts=st.fixed_dictionaries(
        {"fi": _maybe(_INTEGERS), "fb": _maybe(st.booleans()), "fm": _maybe(_MONEY)}
    ),
)


def fits(type_: t.Type, value: Any) -> bool:
    """Whether a runtime value is one of ``type_`` (never a float, never a bool for a number)."""
    if value is None:
        return True
    if isinstance(value, float):
        return False
    checks: dict[str, Callable[[Any], bool]] = {
        "integer": lambda v: type(v) is int,
        "decimal": lambda v: type(v) in (int, Decimal),
        "money": lambda v: type(v) in (int, Decimal),
        "boolean": lambda v: type(v) is bool,
        "enum": lambda v: isinstance(v, str) and v in type_.values,
        "text": lambda v: isinstance(v, str),
        "date": lambda v: type(v) is date,
    }
    return checks[type_.name](value)


def same(a: Any, b: Any) -> bool:
    """Equal values, with unknown only equal to unknown and a boolean only to a boolean."""
    if a is None or b is None:
        return a is b
    return a == b and isinstance(a, bool) == isinstance(b, bool)


@given(st.one_of([st.tuples(st.just(k), expressions(k)) for k in KINDS]), values_)
def test_compiled_expression_equals_the_reference_evaluation(
    case: tuple[str, str], values: Values
) -> None:
    kind, source = case
    program = compiled(source)
    assert program.type.name == kind or (kind, program.type.name) in {("decimal", "integer")}
    env = values.env()
    got = program.run(env)
    want = evaluate_reference(source, values.names(), reference_functions(env))
    assert same(got, want), (source, got, want)
    assert fits(program.type, got), (source, program.type, got)


@given(values_)
def test_the_bundled_kinds_of_fact_formula_agree_with_the_reference(values: Values) -> None:
    for source in (
        "item.price * item.quantity * settings.p / 100",
        "sum(items, each.price * each.quantity if 'lamp' in each.tags else 0) * settings.p / 100",
        "coalesce(min(settings.fee, item.price * item.quantity * settings.p / 100), settings.fee)",
        "max(0, item.price - m) * item.quantity",
        "s in ['shipped', 'delivered'] or item.final_sale",
        "'delivered' if known(item) else 'open' if known(items) else 'shipped'",
        "any(items, each.status == 'open' and not each.final_sale)",
        "item.box.weight > 2.5 and item.box.sealed",
    ):
        env = values.env()
        got = compiled(source).run(env)
        want = evaluate_reference(source, values.names(), reference_functions(env))
        assert same(got, want), (source, got, want)


# --------------------------------------------------------------------------- unknown propagation

TRUTH = (True, False, None)


@pytest.mark.parametrize("a", TRUTH)
@pytest.mark.parametrize("c", TRUTH)
def test_and_or_not_follow_kleene_truth_tables(a: bool | None, c: bool | None) -> None:
    values = Values(request={"b": a}, facts={"fb": c})
    kleene_and = False if False in (a, c) else None if None in (a, c) else True
    kleene_or = True if True in (a, c) else None if None in (a, c) else False
    assert run("b and fb", values) is kleene_and
    assert run("b or fb", values) is kleene_or
    assert run("fb and b", values) is kleene_and
    assert run("fb or b", values) is kleene_or
    assert run("not b", values) is (None if a is None else not a)
    assert run("not (b and fb)", values) is (None if kleene_and is None else not kleene_and)


@pytest.mark.parametrize(
    "source",
    [
        "n + 1",
        "1 - n",
        "n * 2",
        "n / 2",
        "m * 3",
        "-n",
        "+n",
        "n < 1",
        "n == 1",
        "n != 1",
        "1 <= n <= 3",
        "n in [1, 2]",
        "n not in [1, 2]",
        "abs(n)",
        "min(n, 1)",
        "max(1, n)",
        "add_days(day, n)",
        "n if b else 1",
        "1 if b else 2",
        "settings.days[s]",
        "s == 'open'",
        "count(items)",
        "any(items, true)",
    ],
)
def test_an_operation_on_an_unknown_value_is_unknown(source: str) -> None:
    assert run(source, Values()) is None


def test_known_and_coalesce_are_the_ways_to_look_at_unknown() -> None:
    assert run("known(None)") is False
    assert run("known(n)") is False
    assert run("known(n)", Values(request={"n": 0})) is True
    assert run("coalesce(None, 3)") == 3
    assert run("coalesce(n, fi, 7)", Values(facts={"fi": 5})) == 5
    assert run("coalesce(n, fi)") is None


@pytest.mark.parametrize(
    "item",
    [None, Item(), Item(box=Box())],
    ids=["no item", "no box", "no weight"],
)
def test_a_path_through_an_unknown_value_is_unknown(item: Item | None) -> None:
    assert run("item.box.weight", Values(item=item)) is None
    assert run("item.box.weight > 1", Values(item=item)) is None


def test_a_path_reaches_the_value_when_every_step_is_known() -> None:
    item = Item(box=Box(weight=Decimal("2.5")))
    assert run("item.box.weight * 2", Values(item=item)) == Decimal("5.0")


@pytest.mark.parametrize("source", ["n / 0", "0 / 0", "m / 0", "1.5 / (n - n)", "m / m"])
def test_division_by_zero_is_unknown_never_an_exception(source: str) -> None:
    assert run(source, Values(request={"n": 3, "m": Decimal(0)})) is None


def test_unknown_and_false_decide_chains_and_collections_as_kleene_says() -> None:
    assert run("n < 1 < 0", Values()) is False  # 1 < 0 is false whatever n is
    assert run("0 < n < 1", Values()) is None
    items = [Item(final_sale=None), Item(final_sale=True)]
    assert run("any(items, each.final_sale)", Values(items=items)) is True
    assert run("all(items, each.final_sale)", Values(items=items)) is None
    items = [Item(final_sale=None), Item(final_sale=False)]
    assert run("all(items, each.final_sale)", Values(items=items)) is False
    assert run("any(items, each.final_sale)", Values(items=items)) is None
    assert run("count(items, each.final_sale)", Values(items=items)) is None
    assert run("sum(items, each.quantity)", Values(items=[Item(quantity=1), None])) is None
    assert run("count(items)", Values(items=[None, None])) == 2


def test_a_condition_unknown_makes_the_choice_unknown() -> None:
    assert run("1 if b else 2", Values(request={"b": None})) is None
    assert run("1 if b else 2", Values(request={"b": False})) == 2


# --------------------------------------------------------------------------- exact decimals


def test_decimal_literals_keep_their_source_text() -> None:
    program = compiled("0.1 + 0.2")
    assert program.constant
    assert program.value == Decimal("0.3")
    assert type(program.value) is Decimal
    assert str(compiled("0.10").value) == "0.10"
    assert str(compiled("1_000.50").value) == "1000.50"
    assert compiled("0.1000000000000000055511151231257827").value == Decimal(
        "0.1000000000000000055511151231257827"
    )


def test_reference_reads_decimals_as_written() -> None:  # regression: it used repr(float)
    source = "0.1000000000000000055511151231257827"
    assert evaluate_reference(source, {}, {}) == Decimal(source)
    assert str(evaluate_reference("2.50", {}, {})) == "2.50"


def test_reference_unary_plus_keeps_the_sign() -> None:  # regression: +n gave -n
    assert evaluate_reference("+n", {"n": 3}, {}) == 3
    assert evaluate_reference("-n", {"n": 3}, {}) == -3


def test_money_arithmetic_is_exact_and_never_a_float() -> None:
    values = Values(
        request={"m": Decimal("19.99"), "n": 3},
        item=Item(price=Decimal("0.10"), quantity=3),
    )
    cases = {
        "m * n": Decimal("59.97"),
        "item.price * item.quantity": Decimal("0.30"),
        "item.price * item.quantity * settings.p / 100": Decimal("0.0375"),
        "m - settings.fee": Decimal("15.00"),
        "m / 4": Decimal("4.9975"),
        "round_money(m / 4)": Decimal("5.00"),
        "m * 1.1": Decimal("21.989"),
    }
    for source, want in cases.items():
        got = run(source, values)
        assert type(got) is Decimal, source
        assert got == want, source
        assert compiled(source).type == t.MONEY, source


def test_negating_a_zero_amount_is_not_minus_zero() -> None:
    # regression: -x was -1 * x, and Decimal("0.00") * -1 is Decimal("-0.00") ("-$0.00")
    assert str(run("-m", Values(request={"m": Decimal("0.00")}))) == "0.00"
    assert run("+m", Values(request={"m": Decimal("1.10")})) == Decimal("1.10")


def test_integer_division_gives_a_decimal() -> None:
    program = compiled("n / 4")
    assert program.type == t.DECIMAL
    got = program.run(Values(request={"n": 7}).env())
    assert type(got) is Decimal
    assert got == Decimal("1.75")
    assert compiled("7 / 2").value == Decimal("3.5")
    assert type(compiled("7 / 2").value) is Decimal
    assert compiled("1 / 3").value == Decimal(1) / Decimal(3)


@pytest.mark.parametrize("source", ["1e3", "1.5e2", "1E-2"])
def test_exponents_are_refused(source: str) -> None:
    assert refused(source)[:2] == ("not-allowed", "write numbers with digits, like 49.99")


def test_sum_of_money_over_no_items_is_an_exact_zero() -> None:
    got = run("sum(items, each.price)", Values(items=[]))
    assert got == 0
    assert type(got) is Decimal
    assert type(run("sum(items, each.quantity)", Values(items=[]))) is int


# --------------------------------------------------------------------------- located type errors

WORD_HINT = 'compare it with something: x > 0, x == "value"'
ORDER_HINT = "order compares numbers, money, dates and times with their own kind"
DATE_HINT = "dates change with add_days() and add_months()"
MONEY_HINT = "money times or divided by a number is money"
SYNTAX_HINT = "expressions look like: item.price * settings.fee_percent / 100"
STATUSES = "open, shipped, delivered"

# (source, code, (line, col), message, hint or None when not checked)
# fmt: off
BAD_FORMS: list[tuple[str, str, tuple[int, int], str, str | None]] = [
    # wrong operand types
    ("n + day", "wrong-type", (1, 0),
     "cannot use + on a whole number and a date", DATE_HINT),
    ("m * m", "wrong-type", (1, 0),
     "cannot use * on an amount of money and an amount of money", MONEY_HINT),
    ("n / m", "wrong-type", (1, 0),
     "cannot use / on a whole number and an amount of money", MONEY_HINT),
    ('txt + "x"', "wrong-type", (1, 0), 'cannot use + on text and the text "x"', None),
    ('m + "1"', "wrong-type", (1, 0), 'cannot use + on an amount of money and the text "1"',
     "text in quotes is text, not a number: write the number without quotes"),
    ("b + 1", "wrong-type", (1, 0), "cannot use + on true or false and a whole number", None),
    ("-txt", "wrong-type", (1, 0), "'-' needs a number, not text", ""),
    ("+b", "wrong-type", (1, 0), "'+' needs a number, not true or false", ""),
    ("b == 1", "wrong-type", (1, 5), "cannot compare true or false with a whole number", ""),
    # ordering texts, enums, mixed kinds
    ('txt < "b"', "wrong-type", (1, 6), "cannot order text against one of b", ORDER_HINT),
    ('s < "open"', "wrong-type", (1, 4),
     f"cannot order one of {STATUSES} against one of open", ORDER_HINT),
    ("day < now", "wrong-type", (1, 6),
     "cannot order a date against a date and time", ORDER_HINT),
    ("b < true", "wrong-type", (1, 4),
     "cannot order true or false against true or false", None),
    # an enum compared with a value it does not have, with did-you-mean
    ('s == "shiped"', "unknown-enum-value", (1, 5),
     f"'shiped' is not one of its values ({STATUSES})", "did you mean 'shipped'?"),
    ('"shiped" == s', "unknown-enum-value", (1, 12),
     f"'shiped' is not one of its values ({STATUSES})", "did you mean 'shipped'?"),
    ('item.status in ["open", "lost"]', "unknown-enum-value", (1, 15),
     f"'lost' is not one of its values ({STATUSES})", ""),
    ('b and\n  s != "opne"', "unknown-enum-value", (2, 7),
     f"'opne' is not one of its values ({STATUSES})", "did you mean 'open'?"),
    # a boolean operator on a number
    ("n and b", "wrong-type", (1, 0),
     "expected true or false here, not a whole number", WORD_HINT),
    ("b or m", "wrong-type", (1, 5), "expected true or false here, not an amount of money", None),
    ("not n", "wrong-type", (1, 4), "expected true or false here, not a whole number", None),
    ("1 if n else 2", "wrong-type", (1, 5),
     "expected true or false here, not a whole number", None),
    # in needs a list
    ("n in n", "wrong-type", (1, 5), "'in' needs a list on its right, like [a, b]", ""),
    ('"lamp" in txt', "wrong-type", (1, 10), "'in' needs a list on its right, like [a, b]", ""),
    ("day in [1, 2]", "wrong-type", (1, 7), "cannot compare a date with a whole number", ""),
    # table lookups: the key's type, an entry missing for an enum key
    ("settings.days[n]", "wrong-type", (1, 14),
     f"this table's keys are one of {STATUSES}, not a whole number", ""),
    ("settings.by_name[n]", "wrong-type", (1, 17),
     "this table's keys are text, not a whole number", ""),
    ("settings.partial[s]", "unknown-enum-value", (1, 17),
     "the table has no entry for 'shipped', 'delivered'", "entries: open"),
    ('settings.days["lost"]', "unknown-enum-value", (1, 14),
     "the table has no entry for 'lost'", f"entries: {STATUSES}"),
    ("settings.days.lost", "unknown-setting", (1, 14),
     "the table has no entry 'lost'", f"entries: {STATUSES}"),
    ("settings.dayz", "unknown-setting", (1, 9),
     "unknown setting 'dayz'", "did you mean 'settings.days'?"),
    ("n[1]", "not-allowed", (1, 0), "[...] looks up an entry of a settings table", None),
    # .field on a non-object, an unknown field (at the field's name)
    ("n.price", "wrong-type", (1, 2),
     "a whole number has no fields, so '.price' means nothing here", ""),
    ("item.prize", "unknown-field", (1, 5), "Item has no field 'prize'", "did you mean 'price'?"),
    ("item.box.wieght", "unknown-field", (1, 9),
     "Box has no field 'wieght'", "did you mean 'weight'?"),
    ("items.price", "wrong-type", (1, 6), "'items' is a list, so it has no field 'price'",
     "look inside it with any(items, each.price ...)"),
    ("item.price *\n    item.quantiy", "unknown-field", (2, 9),
     "Item has no field 'quantiy'", "did you mean 'quantity'?"),
    # branches and list elements of different kinds
    ("n if b else day", "wrong-type", (1, 0), "the two branches give a whole number and a date",
     "both branches must give the same kind of value"),
    ("[1, 'a']", "wrong-type", (1, 0), "a list's values must all be of one kind", ""),
    # names and calls
    ("nn + 1", "unknown-name", (1, 0), "unknown name 'nn'", "did you mean 'n'?"),
    ("each.price > 1", "unknown-name", (1, 0),
     "'each' names one element inside any(), all(), count() or sum()",
     'write any(order.items, each.category == "lamps")'),
    ("settings", "unknown-name", (1, 0), "name one setting: settings.<name>", None),
    ("min", "not-allowed", (1, 0), "min is a function: call it, min(...)", ""),
    ("known(n, b)", "wrong-type", (1, 0), "known() takes 1 argument, not 2", ""),
    ("days_between(day)", "wrong-type", (1, 0), "days_between() takes 2 arguments, not 1", ""),
    ("min(n)", "wrong-type", (1, 0), "min() takes at least 2 arguments, not 1", ""),
    ("days_between(n, day)", "wrong-type", (1, 0),
     "days_between(): argument 1 must be a date or a date and time, not a whole number", ""),
    ("cont(items)", "unknown-function", (1, 0), "unknown function 'cont'", "did you mean 'count'?"),
    ("sum(items)", "wrong-type", (1, 0), "sum() takes a list and what to add up for each element",
     "write sum(order.items, each.price)"),
    ("any(n, true)", "wrong-type", (1, 4), "any() needs a list first, not a whole number", ""),
    ("sum(items, each.final_sale)", "wrong-type", (1, 11),
     "sum() adds numbers, not true or false", ""),
    ("all(items, each.price)", "wrong-type", (1, 11),
     "all() tests true or false for each element", ""),
    ("n == None", "not-allowed", (1, 5), "comparing with None is always unknown",
     "write known(x) to test whether a value is known"),
    ("coalesce(n, day)", "wrong-type", (1, 0),
     "coalesce(): the arguments must all be the same kind of value", ""),
    ("abs(day)", "wrong-type", (1, 0), "abs(): the argument must be a number", ""),
    ("min(day, n)", "wrong-type", (1, 0),
     "min(): the arguments must all be numbers, or all dates, or all times", ""),
    # syntax, located in the text as written (not in the parentheses put around it)
    ("   ", "expression-syntax", (1, 0), "the expression is empty", "write a formula"),
    ("item.price *", "expression-syntax", (1, 12),
     "not a valid expression: invalid syntax", SYNTAX_HINT),
    ("min(n, (2)", "expression-syntax", (1, 3),
     "not a valid expression: '(' was never closed", SYNTAX_HINT),
    ("n)", "expression-syntax", (1, 1), "not a valid expression: unmatched ')'", SYNTAX_HINT),
    ("1) + (2", "expression-syntax", (1, 1), "not a valid expression: unmatched ')'", SYNTAX_HINT),
    ("n +\n  (1 +", "expression-syntax", (2, 2),
     "not a valid expression: '(' was never closed", SYNTAX_HINT),
    ("n +\n  * 2", "expression-syntax", (2, 2),
     "not a valid expression: invalid syntax", SYNTAX_HINT),
    ('"abc', "expression-syntax", (1, 0),
     "not a valid expression: unterminated string literal (detected at line 1)", SYNTAX_HINT),
    # a non-ASCII text before the spot: columns count characters, not UTF-8 bytes
    ('txt == "café" and item.__class__', "not-allowed", (1, 23),
     "names starting with '_' (__class__) are not allowed", ""),
    ('txt == "日本語" and n + day', "wrong-type", (1, 17),
     "cannot use + on a whole number and a date", None),
]
# fmt: on


@pytest.mark.parametrize(
    ("source", "code", "at", "message", "hint"),
    BAD_FORMS,
    ids=[f"{case[1]}:{case[0]}" for case in BAD_FORMS],
)
def test_each_bad_form_is_refused_with_its_code_message_and_position(
    source: str, code: str, at: tuple[int, int], message: str, hint: str | None
) -> None:
    got = refused(source)
    assert got[:4] == (code, message, *at)
    if hint is not None:
        assert got[4] == hint


@pytest.mark.parametrize(
    ("source", "expected", "message", "hint"),
    [
        (
            "n / 2",
            t.INTEGER,
            "this expression gives a number, but a whole number is declared",
            "declare type: decimal, or change the formula",
        ),
        (
            "txt",
            t.BOOLEAN,
            "this expression gives text, but true or false is declared",
            "declare type: text, or change the formula",
        ),
        (
            '"lamp"',
            STATUS,
            f"this expression gives one of lamp, but one of {STATUSES} is declared",
            "declare type: enum, or change the formula",
        ),
        (
            "m",
            t.INTEGER,
            "this expression gives an amount of money, but a whole number is declared",
            "declare type: money, or change the formula",
        ),
    ],
)
def test_the_declared_type_is_checked(
    source: str, expected: t.Type, message: str, hint: str
) -> None:
    assert refused(source, expected=expected) == ("wrong-type", message, 1, 0, hint)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n", t.MONEY),  # a number where money is declared: the pack's currency
        ("n", t.DECIMAL),
        ("None", t.DATE),
        ('"open" if b else "shipped"', STATUS),
        ("s", t.TEXT),
        ("item.tags", t.list_of(t.TEXT)),
    ],
)
def test_a_value_that_fits_the_declared_type_is_accepted(source: str, expected: t.Type) -> None:
    compiled(source, expected=expected)


def test_a_text_literal_on_the_left_is_checked_against_the_enum() -> None:
    # regression: the literal's own one-value enum was taken as the declared one
    assert refused('"lost" == item.status')[0] == "unknown-enum-value"
    assert refused('"lost" != s')[0] == "unknown-enum-value"
    assert compiled('"open" == item.status').type == t.BOOLEAN
    assert compiled('"lamp" == "vase"').value is False  # two texts: just compared


def test_a_list_key_in_a_table_lookup_is_a_type_error_not_a_crash() -> None:
    # regression: a list of text literals counted as a literal key, and hashing it crashed
    assert refused('settings.by_name[["lamp"]]')[:2] == (
        "wrong-type",
        "this table's keys are text, not a list of one of lamp",
    )


def test_an_enum_key_needs_a_text_or_enum_table() -> None:
    by_number = Setting(t.table_of(t.INTEGER, t.TEXT), {1: "one"})
    scope_ = Scope(ROOTS, OBJECTS, FACTS, {"names": by_number}, BUILTINS)
    assert refused("settings.names[s]", scope_)[:2] == (
        "wrong-type",
        f"this table's keys are a whole number, not one of {STATUSES}",
    )
    assert compiled("settings.names[n]", scope_).run(Values(request={"n": 1}).env()) == "one"


def test_table_lookups_read_the_entry_or_unknown() -> None:
    assert run("settings.days[s]", Values(request={"s": "shipped"})) == 2
    assert run("settings.days.delivered") == 3
    assert run("settings.by_name[txt]", Values(request={"txt": "lamp"})) == 5
    assert run("settings.by_name[txt]", Values(request={"txt": "sofa"})) is None
    assert compiled('settings.by_name["lamp"]').value == 5


# --------------------------------------------------------------------------- the whitelist

NOT_IN_THE_LANGUAGE = [
    ("x.__class__", "not-allowed"),
    ("item.__class__", "not-allowed"),
    ("().__class__.__bases__", "not-allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "not-allowed"),
    ("item._private", "not-allowed"),
    ("item.box.__dict__", "not-allowed"),
    ("settings.__class__", "not-allowed"),
    ("any(items, each.__class__)", "not-allowed"),
    ("txt.upper()", "not-allowed"),
    ("item.name.format(1)", "not-allowed"),
    ("[y for y in items]", "not-allowed"),
    ("{y for y in items}", "not-allowed"),
    ("{y: 1 for y in items}", "not-allowed"),
    ("(y for y in items)", "not-allowed"),
    ("known(y for y in items)", "not-allowed"),
    ("lambda: 1", "not-allowed"),
    ("n if b else (lambda: 1)", "not-allowed"),
    ('f"{n}"', "not-allowed"),
    ("x := 1", "not-allowed"),
    ("(n := 1) + 1", "not-allowed"),
    ("{1: 2}", "not-allowed"),
    ("{1, 2}", "not-allowed"),
    ("settings.days[0:1]", "not-allowed"),
    ("settings.windows[0]", "not-allowed"),
    ("n ** 2", "not-allowed"),
    ("n % 2", "not-allowed"),
    ('"%s" % n', "not-allowed"),
    ("n // 2", "not-allowed"),
    ("n @ n", "not-allowed"),
    ("n & 1", "not-allowed"),
    ("n | 1", "not-allowed"),
    ("n ^ 1", "not-allowed"),
    ("n << 1", "not-allowed"),
    ("n >> 1", "not-allowed"),
    ("~n", "not-allowed"),
    ("n is None", "not-allowed"),
    ("n is not None", "not-allowed"),
    ("min(*items)", "not-allowed"),
    ("known(*items)", "not-allowed"),
    ("known(x=1)", "not-allowed"),
    ("known(**n)", "not-allowed"),
    ("yield n", "not-allowed"),
    ("await n", "not-allowed"),
    ("...", "not-allowed"),
    ('b"x"', "not-allowed"),
    ("1j", "not-allowed"),
    ("import os", "expression-syntax"),
    ("from os import system", "expression-syntax"),
    ("n; import os", "expression-syntax"),
    ("n\nimport os", "expression-syntax"),
    ('__import__("os")', "unknown-function"),
    ('__import__("os").system("true")', "not-allowed"),
    ('open("/etc/passwd")', "unknown-function"),
    ('eval("1")', "unknown-function"),
    ('exec("1")', "unknown-function"),
    ('getattr(item, "price")', "unknown-function"),
    ("globals()", "unknown-function"),
    ('compile("1", "", "eval")', "unknown-function"),
    ("vars()", "unknown-function"),
    ("__import__", "unknown-name"),
    ("open", "unknown-name"),
    ("eval", "unknown-name"),
    ("exec", "unknown-name"),
    ("getattr", "unknown-name"),
    ("globals", "unknown-name"),
    ("__builtins__", "unknown-name"),
]


@pytest.mark.parametrize(
    ("source", "code"), NOT_IN_THE_LANGUAGE, ids=[c[0] for c in NOT_IN_THE_LANGUAGE]
)
def test_nothing_outside_the_whitelist_compiles(source: str, code: str) -> None:
    assert refused(source)[0] == code


def test_compiling_runs_no_registered_function() -> None:
    # regression: a call on constants was folded, so compiling ran the store's function
    calls: list[int] = []
    functions = Functions()

    @functions.register(params=["integer"], returns="integer")  # type: ignore[untyped-decorator]
    def boom(x: int) -> int:
        calls.append(x)
        return x

    scope_ = scope(functions)
    valid = [
        compiled(source, scope_)
        for source in ("boom(1)", "boom(1) + boom(2)", "known(boom(settings.limit))", "[boom(3)]")
    ]
    for source in ("boom(1) ** 2", "boom(1).__class__", "[boom(1) for y in items]", 'boom("x")'):
        refused(source, scope_)
    assert calls == []
    for program in valid:
        program.run(Values().env())
    assert calls == [1, 1, 2, 30, 3]


def test_a_built_in_call_on_constants_is_worked_out_once_a_store_function_never() -> None:
    program = compiled("max(settings.fee * 1.08, 0)")
    assert (program.constant, program.value) == (True, Decimal("5.3892"))
    assert not compiled("round_money(settings.fee)").constant  # the currency is the store's
    assert compiled("known(None)").value is False
    assert not compiled("add_business_days(today, 0)").constant  # needs the store calendar
    functions = Functions()
    functions.register(lambda: 1, params=[], returns="integer", name="one")
    assert not compiled("one() + 1", scope(functions)).constant


def test_a_raising_function_on_constants_does_not_break_compiling() -> None:
    # regression: these raised InvalidOperation / OverflowError out of compile_expression
    far = Setting(t.DATE, date(9999, 12, 1))
    scope_ = Scope(ROOTS, OBJECTS, FACTS, {**SETTINGS, "far": far}, BUILTINS)
    for source in (
        "add_days(settings.far, 100)",
        "add_months(settings.far, 100)",
    ):
        program = compiled(source, scope_)
        assert (program.constant, program.value) == (True, None)


def test_compiling_and_running_never_evaluate_python(monkeypatch: pytest.MonkeyPatch) -> None:
    real_compile = builtins.compile
    seen: list[str] = []

    def forbidden(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.append(name)
            raise AssertionError(f"{name} was called")

        return call

    def parse_only(source: Any, filename: Any, mode: Any, flags: int = 0, *a: Any, **k: Any) -> Any:
        if not flags & ast.PyCF_ONLY_AST:
            seen.append("compile")
            raise AssertionError("compile to bytecode")
        return real_compile(source, filename, mode, flags, *a, **k)

    monkeypatch.setattr(builtins, "eval", forbidden("eval"))
    monkeypatch.setattr(builtins, "exec", forbidden("exec"))
    monkeypatch.setattr(builtins, "compile", parse_only)
    for source, _code in NOT_IN_THE_LANGUAGE:
        assert compile_expression(source, SCOPE, Reports()) is None
    program = compile_expression("item.price * item.quantity * settings.p / 100", SCOPE, Reports())
    assert program is not None
    program.run(Values(item=Item(price=Decimal(10), quantity=2)).env())
    assert seen == []


def test_a_program_reads_only_the_fields_it_names() -> None:
    read: list[str] = []

    class Spy:
        def __getattribute__(self, name: str) -> Any:
            read.append(name)
            return {"price": Decimal(5), "quantity": 2}.get(name)

    program = compiled("item.price * item.quantity")
    env = Env(None, Spy(), [], NOW, ZONE, None, {})
    assert program.run(env) == Decimal(10)
    assert read == ["price", "quantity"]


@pytest.mark.parametrize(
    "source",
    [
        " + ".join(["n"] * 100_000),
        " + ".join(["1"] * 100_000),
        "(" * 300 + "1" + ")" * 300,
        "not " * 5_000 + "b",
        "-" * 5_000 + "n",
        "1" * 5_000,
        "[" * 1_000 + "]" * 1_000,
        "min(" * 2_000 + "1" + ", 1)" * 2_000,
    ],
    ids=[
        "long sum",
        "long constant sum",
        "deep parentheses",
        "deep not",
        "deep minus",
        "long number",
        "deep lists",
        "deep calls",
    ],
)
def test_huge_or_deeply_nested_input_is_a_clean_syntax_error(source: str) -> None:
    assert refused(source)[0] == "expression-syntax"


def test_a_long_flat_input_still_compiles() -> None:
    assert run(" and ".join(["b"] * 2_000), Values(request={"b": True})) is True
    assert refused("x" * 1_000_000)[:2] == ("unknown-name", f"unknown name '{'x' * 1_000_000}'")


# --------------------------------------------------------------------------- the program


def test_a_program_lists_what_it_reads() -> None:
    program = compiled("item.price * fi * settings.p + sum(items, each.price)")
    assert program.facts == frozenset({"fi"})
    assert program.settings == frozenset({"p"})
    assert program.paths == frozenset({"item", "item.price", "items", "items[]", "items[].price"})
    assert not program.constant


def test_settings_and_literals_fold_to_a_constant() -> None:
    program = compiled("settings.limit * 2 + settings.days.open")
    assert program.constant
    assert program.value == 61
    assert program.settings == frozenset({"limit", "days"})


def test_a_fact_is_derived_once_per_env() -> None:
    derived: list[str] = []

    def fi(env: Env) -> int:
        derived.append("fi")
        return 4

    env = Env(None, None, [], NOW, ZONE, None, {"fi": fi})
    assert compiled("fi * fi + fi").run(env) == 20
    assert derived == ["fi"]


def test_a_bare_date_in_a_datetime_field_is_its_first_moment_in_the_store_zone() -> None:
    got = run("item.delivered_at", Values(item=Item(delivered_at=date(2024, 3, 10))))
    assert got == datetime(2024, 3, 10, tzinfo=ZONE)
    assert got.utcoffset() is not None


def test_each_names_the_innermost_element() -> None:
    items = [Item(tags=["a", "lamp"]), Item(tags=["b"])]
    assert run('count(items, any(each.tags, each == "lamp"))', Values(items=items)) == 1
    assert run("all(items, count(each.tags) >= 1)", Values(items=items)) is True


def test_an_object_check_reads_its_own_fields_through_each() -> None:
    scope_ = Scope({}, OBJECTS, {}, {}, BUILTINS)
    env = Env.around(Box(weight=Decimal(3), sealed=True))
    item_type = Root(t.object_of("Box"), lambda env: env.each)
    scope_ = Scope({"box": item_type}, OBJECTS, {}, {}, BUILTINS)
    assert compiled("box.weight > 2 and box.sealed", scope_).run(env) is True


def test_today_is_the_date_in_the_store_zone() -> None:
    env = Env(None, None, [], datetime(2024, 3, 10, 3, tzinfo=timezone.utc), ZONE, None, {})
    assert compiled("today").run(env) == date(2024, 3, 9)
    assert compiled("now").run(env).time() == time(3)
