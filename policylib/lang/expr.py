"""Expressions: derived facts and checks written as data, compiled once into closures.

An expression is a small Python-like formula::

    item.price * item.quantity * settings.fee_percent / 100
    days_between(order.delivered_at, today) <= settings.window_days[customer.level]
    item.final_sale or "outlet" in item.tags
    any(order.items, each.category == "camera_bodies")

It is parsed with Python's own ``ast`` module and only a whitelist of node types is
accepted: literals, names, attribute paths, table lookups, calls of registered functions,
arithmetic (``+ - * /``), comparisons (``== != < <= > >= in``, chained), ``and``/``or``/
``not`` and ``x if c else y``. Anything else (attribute access to ``_`` names, method
calls, comprehensions, lambdas, f-strings, ``is``, imports ...) is refused with its
position. Nothing is ever evaluated as text at request time.

Stages, as in cel-python: a ``Scope`` (the vocabulary: roots, object fields, facts,
settings, functions) is passed in; ``compile_expression`` type-checks the formula against
it and builds a ``Program``; the program runs per request on an ``Env``. Nothing is
registered globally.

Semantics are three-valued (Kleene), like the engine's: a path through a missing value is
*unknown* (``None``), an operation on an unknown operand is unknown, ``False and unknown``
is ``False`` and ``True or unknown`` is ``True``; ``known(x)`` and ``coalesce(x, y)`` are the
only ways to look at an unknown value directly. Numbers are exact: integer literals are
``int``, decimal literals are ``Decimal`` read from their source text, and money stays
``Decimal`` (the caller rounds a money fact to its currency). A division by zero is
unknown, never an exception.
"""

from __future__ import annotations

import ast
import difflib
import io
import operator
import re
import tokenize
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, DecimalException
from typing import Any, Protocol

from policylib.lang import types as t
from policylib.lang.types import Type

__all__ = [
    "COLLECTION_FORMS",
    "Env",
    "ExprReport",
    "Function",
    "Program",
    "Root",
    "Scope",
    "Setting",
    "compile_expression",
    "evaluate_reference",
]

Run = Callable[["Env"], Any]

COLLECTION_FORMS = ("any", "all", "count", "sum")
"""``any(list, test)``, ``all(list, test)``, ``count(list[, test])``, ``sum(list, amount)``:
the second argument is evaluated for each element, which it names ``each``."""

_RESERVED = frozenset({"each", "settings", "true", "false", "null", *COLLECTION_FORMS})


class Env:
    """One evaluation's state: the request, the item decided, the clock and fact values.

    ``values`` memoises facts (None: unknown); ``programs`` compute the ones not derived
    yet. One Env serves one request (or one counterfactual probe); it is not shared.
    """

    __slots__ = (
        "calendar",
        "each",
        "item",
        "now",
        "programs",
        "quantum",
        "request",
        "selected",
        "today",
        "values",
        "zone",
    )

    def __init__(
        self,
        request: Any,
        item: Any,
        selected: Sequence[Any],
        now: datetime,
        zone: tzinfo,
        calendar: Any,
        programs: Mapping[str, Run],
        quantum: Decimal = Decimal("0.01"),
        today: date | None = None,
    ) -> None:
        self.request = request
        self.quantum = quantum
        """The currency's smallest unit (0.01 for dollars, 1 for yen)."""
        self.item = item
        self.selected = selected
        self.now = now
        self.today: date = today if today is not None else now.astimezone(zone).date()
        self.zone = zone
        self.calendar = calendar
        self.programs = programs
        self.values: dict[str, Any] = {}
        self.each: Any = None

    @classmethod
    def around(cls, value: Any) -> Env:
        """An Env for an expression about one value alone (an object's own checks read
        its fields through ``each``): no request, no clock, no facts."""
        env = cls.__new__(cls)
        env.each, env.values, env.quantum = value, {}, Decimal("0.01")
        env.zone = None  # type: ignore[assignment]  # no store zone here
        return env

    def fact(self, name: str) -> Any:
        """A fact's value, derived on first use (None when unknown)."""
        values = self.values
        if name in values:
            return values[name]
        value = values[name] = self.programs[name](self)
        return value


@dataclass(frozen=True, slots=True)
class Root:
    """A name an expression can start from (``order``, ``item``, ``now`` ...)."""

    type: Type
    get: Run
    path: str = ""
    """The request path it stands for (``order``, ``order.items[]``); "" for the clock."""
    field: str = ""
    """When the root is a field of the request itself (``order``): its name, so a path
    from it (``order.delivery.method``) compiles to one closure reading the request."""
    slot: str = ""
    """When the root is held by the evaluation itself (``item``: ``Env.item``): that
    attribute, read inline by the paths from it."""


@dataclass(frozen=True, slots=True)
class Setting:
    """A pack setting: a typed constant, or a table of them (``settings.x`` / ``[key]``)."""

    type: Type
    value: Any


Typer = Callable[[Sequence[Type]], "Type | str"]
"""Argument types -> the result type, or what is wrong with the arguments (in words)."""


@dataclass(frozen=True, slots=True)
class Function:
    """A function expressions may call.

    Attributes:
        name: the name expressions call it by.
        typer: argument types -> result type, or a message saying what is wrong.
        fn: the implementation; receives the ``Env`` first when ``context`` is set.
        strict: an unknown argument makes the call unknown without calling ``fn``.
        context: ``fn`` needs the evaluation (the store's calendar and time zone).
        arity: fewest and most arguments (None: any number).
        doc: one line for the reference documentation.
    """

    name: str
    typer: Typer
    fn: Callable[..., Any]
    strict: bool = True
    context: bool = False
    arity: tuple[int, int | None] = (1, 1)
    doc: str = ""


@dataclass(frozen=True, slots=True)
class _Pure(Function):
    """A built-in that only computes (no effects, no evaluation needed): a call of it on
    constants is worked out once, when compiling. A store's own function never is."""


@dataclass(frozen=True)
class Scope:
    """What an expression may name: the vocabulary it is checked against."""

    roots: Mapping[str, Root]
    objects: Mapping[str, Mapping[str, Type]]
    """Object type name -> its fields and their types."""
    facts: Mapping[str, Type] = field(default_factory=dict)
    settings: Mapping[str, Setting] = field(default_factory=dict)
    functions: Mapping[str, Function] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Program:
    """A checked expression, ready to run.

    Attributes:
        source: the expression as written.
        type: what it evaluates to.
        run: the compiled closure: ``run(env)`` -> value, or None when unknown.
        facts: the facts it reads (directly).
        paths: the request paths it reads (``order.delivery.booked_date``,
            ``order.items[].tags``): what a change to the request can affect.
        settings: the settings it reads.
        constant: it reads nothing from a request or the clock; ``value`` is its value.
    """

    source: str
    type: Type
    run: Run
    facts: frozenset[str]
    paths: frozenset[str]
    settings: frozenset[str]
    constant: bool = False
    value: Any = None


class ExprReport(Protocol):
    """Records a problem at ``line`` (1-based) and ``col`` (0-based) of the expression."""

    def __call__(self, code: str, message: str, line: int, col: int, hint: str = "") -> None: ...


class _Refused(Exception):
    def __init__(self, code: str, message: str, node: ast.AST | None, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.node, self.hint = code, message, node, hint


@dataclass(frozen=True, slots=True)
class _Reads:
    """What a subexpression reads: facts, request paths and settings."""

    facts: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    settings: frozenset[str] = frozenset()


_NOTHING = _Reads()


@dataclass(frozen=True, slots=True)
class _Typed:
    """A compiled subexpression: its type and closure, and what it reads."""

    type: Type
    run: Run
    reads: _Reads = _NOTHING
    constant: bool = False
    value: Any = None
    path: str = ""
    """For a path expression (``order.delivery``): the request path it reaches."""
    literal: bool = False
    """A text literal written in the expression (enum values are checked against these)."""
    chain: tuple[Run | None, tuple[str, ...]] | None = None
    """For a path: where it starts (None: the request itself) and the attributes read
    from there, so ``order.delivery.method`` runs as one closure, not three."""


_EMPTY: frozenset[str] = frozenset()


def _said(typed: _Typed) -> str:
    """An operand in words: 'the text "1"' for a quoted literal, else its type."""
    if typed.literal and isinstance(typed.value, str):
        return f'the text "{typed.value}"'
    return t.describe(typed.type)


def _unknown(env: Env) -> Any:
    return None


def _const(type_: Type, value: Any, *, literal: bool = False) -> _Typed:
    return _Typed(type_, lambda env: value, constant=True, value=value, literal=literal)


def _merge(*parts: _Typed, paths: Iterable[str] = ()) -> _Reads:
    return _Reads(
        facts=frozenset().union(*(p.reads.facts for p in parts)),
        paths=frozenset().union(*(p.reads.paths for p in parts), paths),
        settings=frozenset().union(*(p.reads.settings for p in parts)),
    )


# --------------------------------------------------------------------------- entry point


def compile_expression(
    source: str, scope: Scope, report: ExprReport, *, expected: Type | None = None
) -> Program | None:
    """Type-check ``source`` against ``scope`` and compile it; None when refused.

    Args:
        source: the expression text (several lines are fine).
        scope: the names, fields, facts, settings and functions it may use.
        report: called once for the first problem found, with its position.
        expected: the type the result must have (a fact's declared type), if any.
    """
    text = source.strip()
    if not text:
        report("expression-syntax", "the expression is empty", 1, 0, "write a formula")
        return None
    lines = text.split("\n")
    try:
        # The parentheses let a formula run over several lines; they are not the author's,
        # so a problem found on them is located again in the text as written.
        tree = ast.parse(f"(\n{text}\n)", mode="eval")
    except SyntaxError as exc:
        message, line, col = _syntax_error(exc, lines)
        report("expression-syntax", f"not a valid expression: {message}", line, col, _SYNTAX_HINT)
        return None
    except (ValueError, MemoryError, RecursionError):
        report("expression-syntax", "not a valid expression", 1, 0)
        return None
    stray = _brackets(text)
    if stray is not None:  # "1) + (2" closes our parenthesis and opens one of its own
        message, line, col = stray
        report("expression-syntax", f"not a valid expression: {message}", line, col, _SYNTAX_HINT)
        return None
    compiler = _Compiler(scope, text)
    try:
        typed = compiler.node(tree.body, None)
        number_as_money = expected is not None and (
            expected.name == "money" and typed.type.name in ("integer", "decimal")
        )
        if expected is not None and not t.assignable(typed.type, expected) and not number_as_money:
            raise _Refused(
                "wrong-type",
                f"this expression gives {t.describe(typed.type)}, but "
                f"{t.describe(expected)} is declared",
                tree.body,
                hint=f"declare type: {typed.type.name}, or change the formula",
            )
    except _Refused as exc:
        line, col = _position(exc.node, lines)
        report(exc.code, exc.message, line, col, exc.hint)
        return None
    except RecursionError:
        report("expression-syntax", "the expression is nested too deeply", 1, 0)
        return None
    return Program(
        source=text,
        type=typed.type,
        run=typed.run,
        facts=typed.reads.facts,
        paths=typed.reads.paths,
        settings=typed.reads.settings,
        constant=typed.constant,
        value=typed.value,
    )


_SYNTAX_HINT = "expressions look like: item.price * settings.fee_percent / 100"


def _position(node: ast.AST | None, lines: Sequence[str]) -> tuple[int, int]:
    """The node's line (1-based) and column (0-based, in characters) in the text as written."""
    line, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
    if not isinstance(line, int) or not isinstance(col, int):
        return 1, 0
    row = min(max(line - 1, 1), len(lines))
    # ast counts columns in UTF-8 bytes; a caret is placed in characters.
    return row, len(lines[row - 1].encode()[: max(col, 0)].decode(errors="ignore"))


def _syntax_error(exc: SyntaxError, lines: Sequence[str]) -> tuple[str, int, int]:
    """What Python's parser said, at its spot in the text as written (not in the wrapper)."""
    message = re.sub(
        r"\(detected at line (\d+)\)",
        lambda m: f"(detected at line {min(max(int(m.group(1)) - 1, 1), len(lines))})",
        exc.msg,
    )
    line = (exc.lineno or 2) - 1
    if line < 1 or line > len(lines):  # on the wrapper's parentheses
        stray = _brackets("\n".join(lines))
        if stray is not None:
            return (message if "never closed" in message else stray[0]), stray[1], stray[2]
        if line < 1:
            return message, 1, 0
        return message, len(lines), len(lines[-1])  # it ends too early
    return message, line, max((exc.offset or 1) - 1, 0)


def _brackets(text: str) -> tuple[str, int, int] | None:
    """The first bracket closed without being opened, or the last one never closed."""
    opened: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in ("(", "[", "{"):
                opened.append(token)
            elif token.string in (")", "]", "}"):
                if not opened:
                    return f"unmatched '{token.string}'", token.start[0], token.start[1]
                opened.pop()
    except (tokenize.TokenError, SyntaxError):
        pass  # the end of the text inside a bracket: the stack says which
    if opened:
        last = opened[-1]
        return f"'{last.string}' was never closed", last.start[0], last.start[1]
    return None


# --------------------------------------------------------------------------- the compiler

_NOT_ALLOWED: dict[type[ast.AST], tuple[str, str]] = {
    ast.Lambda: ("lambdas are not allowed", "name a fact or call a function instead"),
    ast.ListComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.SetComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.DictComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.GeneratorExp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.JoinedStr: ("f-strings are not allowed", "texts belong in the rule's Fluent text"),
    ast.NamedExpr: ("assignments are not allowed", "declare another fact instead"),
    ast.Dict: ("mappings are not allowed here", "declare a table under settings"),
    ast.Set: ("sets are not allowed", "write a list: [a, b]"),
    ast.Starred: ("* is not allowed", ""),
    ast.Slice: ("slices are not allowed", ""),
    ast.Await: ("await is not allowed", ""),
    ast.Yield: ("yield is not allowed", ""),
    ast.YieldFrom: ("yield is not allowed", ""),
}

_ARITHMETIC: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", lambda a, b: Decimal(a) / b),
}

_COMPARE: dict[type[ast.cmpop], tuple[str, Callable[[Any, Any], bool]]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
}


class _Compiler:
    def __init__(self, scope: Scope, source: str) -> None:
        self.scope = scope
        self.source = source
        self.lines = source.split("\n")

    # ---------------------------------------------------------------- dispatch

    def node(self, node: ast.expr, each: _Typed | None) -> _Typed:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            message, hint = _NOT_ALLOWED.get(
                type(node), (f"{type(node).__name__} is not allowed in an expression", "")
            )
            raise _Refused("not-allowed", message, node, hint)
        result: _Typed = method(node, each)
        return result

    def _segment(self, node: ast.AST) -> str:
        """The source text of a node (for decimal literals)."""
        found = ast.get_source_segment(f"(\n{self.source}\n)", node)
        return found if found is not None else ""

    # ---------------------------------------------------------------- leaves

    def _Constant(self, node: ast.Constant, each: _Typed | None) -> _Typed:
        value = node.value
        if isinstance(value, bool):
            return _const(t.BOOLEAN, value)
        if isinstance(value, int):
            return _const(t.INTEGER, value)
        if isinstance(value, float):
            text = self._segment(node).replace("_", "")
            try:
                number = Decimal(text)
            except DecimalException:
                number = Decimal(repr(value))
            if not number.is_finite() or "e" in text.lower():
                raise _Refused(
                    "not-allowed", "write numbers with digits, like 49.99", node, "no exponents"
                )
            return _const(t.DECIMAL, number)
        if isinstance(value, str):
            # A text literal is the one value it spells: it fits a text, or an enum that has
            # that value ("order" if ... else "none" is an enum of two values).
            return _const(t.enum((value,)), value, literal=True)
        if value is None:
            return _const(t.NULL, None)
        raise _Refused("not-allowed", f"{type(value).__name__} literals are not allowed", node)

    def _Name(self, node: ast.Name, each: _Typed | None) -> _Typed:
        name = node.id
        if name in ("true", "false"):
            return _const(t.BOOLEAN, name == "true")
        if name == "null":
            return _const(t.NULL, None)
        if name == "each":
            if each is None:
                raise _Refused(
                    "unknown-name",
                    "'each' names one element inside any(), all(), count() or sum()",
                    node,
                    'write any(order.items, each.category == "lamps")',
                )
            return each
        if name == "settings":
            raise _Refused(
                "unknown-name", "name one setting: settings.<name>", node, self._setting_hint("")
            )
        root = self.scope.roots.get(name)
        if root is not None:
            reads = _Reads(paths=frozenset([root.path])) if root.path else _NOTHING
            chain: tuple[Run | None, tuple[str, ...]] = (
                (None, (root.field,))
                if root.field
                else (_slot_reader(root.slot), ())
                if root.slot
                else (root.get, ())
            )
            return _Typed(root.type, root.get, reads, path=root.path, chain=chain)
        fact_type = self.scope.facts.get(name)
        if fact_type is not None:

            def fact(env: Env, _name: str = name) -> Any:
                values = env.values  # derived already (the common case): no second call
                return values[_name] if _name in values else env.fact(_name)

            return _Typed(fact_type, fact, _Reads(facts=frozenset([name])))
        if name in self.scope.functions or name in COLLECTION_FORMS:
            raise _Refused("not-allowed", f"{name} is a function: call it, {name}(...)", node)
        choices = [*self.scope.roots, *self.scope.facts, "settings"]
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        raise _Refused(
            "unknown-name",
            f"unknown name '{name}'",
            node,
            f"did you mean '{close[0]}'?" if close else "declare it as a fact in facts.yaml",
        )

    def _setting_hint(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.scope.settings), n=1, cutoff=0.6)
        if close:
            return f"did you mean 'settings.{close[0]}'?"
        known = ", ".join(sorted(self.scope.settings)[:10])
        return f"settings: {known}" if known else "declare it under settings: in policy.yaml"

    # ---------------------------------------------------------------- paths

    def _Attribute(self, node: ast.Attribute, each: _Typed | None) -> _Typed:
        name = node.attr
        spot = _name_of(node)
        if name.startswith("_"):
            raise _Refused("not-allowed", f"names starting with '_' ({name}) are not allowed", spot)
        if isinstance(node.value, ast.Name) and node.value.id == "settings":
            setting = self.scope.settings.get(name)
            if setting is None:
                raise _Refused(
                    "unknown-setting", f"unknown setting '{name}'", spot, self._setting_hint(name)
                )
            typed = _const(setting.type, setting.value)
            reads = _Reads(settings=frozenset([name]))
            return _Typed(setting.type, typed.run, reads, constant=True, value=setting.value)
        base = self.node(node.value, each)
        if base.type.name == "any":  # a broken fact or setting, reported where it is
            return _Typed(t.ANY, _unknown, _merge(base))
        if base.type.name == "table":
            if base.constant and isinstance(base.value, Mapping) and name in base.value:
                assert base.type.of is not None
                value = base.value[name]
                return _Typed(base.type.of, lambda env: value, base.reads, True, value)
            raise _Refused(
                "unknown-setting",
                f"the table has no entry '{name}'",
                spot,
                f"entries: {', '.join(map(str, base.value))}"
                if isinstance(base.value, Mapping)
                else "",
            )
        if base.type.name == "list":
            raise _Refused(
                "wrong-type",
                f"'{self._segment(node.value)}' is a list, so it has no field '{name}'",
                spot,
                f"look inside it with any({self._segment(node.value)}, each.{name} ...)",
            )
        if base.type.name != "object":
            raise _Refused(
                "wrong-type",
                f"{t.describe(base.type)} has no fields, so '.{name}' means nothing here",
                spot,
            )
        fields = self.scope.objects.get(base.type.object, {})
        field_type = fields.get(name)
        if field_type is None:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
            raise _Refused(
                "unknown-field",
                f"{base.type.object} has no field '{name}'",
                spot,
                f"did you mean '{close[0]}'?" if close else f"fields: {', '.join(sorted(fields))}",
            )
        inner = base.run
        path = f"{base.path}.{name}" if base.path else ""
        chain = None
        if base.chain is not None:
            chain = (base.chain[0], (*base.chain[1], name))
            get = _path_reader(*chain)
        else:

            def get(env: Env) -> Any:
                value = inner(env)
                return None if value is None else getattr(value, name, None)

        if field_type.name == "datetime":  # a bare date stands for its first moment
            read = get
            chain = None

            def get_moment(env: Env) -> Any:
                found = read(env)
                if isinstance(found, date) and not isinstance(found, datetime):
                    return datetime.combine(found, time(0), tzinfo=env.zone)
                return found

            get = get_moment

        return _Typed(
            field_type,
            get,
            _merge(base, paths=[path] if path else []),
            path=path,
            chain=chain,
        )

    def _Subscript(self, node: ast.Subscript, each: _Typed | None) -> _Typed:
        base = self.node(node.value, each)
        if base.type.name == "any":  # a broken setting, reported where it is declared
            return _Typed(t.ANY, _unknown, _merge(base, self.node(node.slice, each)))
        if base.type.name != "table" or base.type.of is None or base.type.key is None:
            raise _Refused(
                "not-allowed",
                "[...] looks up an entry of a settings table",
                node,
                "write settings.<table>[<key>], like settings.return_days[customer.tier]",
            )
        key = self.node(node.slice, each)
        # An enum key (a text literal is one) is checked entry by entry below, where a
        # missing entry gets its own error.
        if not t.assignable(key.type, base.type.key) and not (
            key.type.name == "enum" and base.type.key.name in ("text", "enum")
        ):
            raise _Refused(
                "wrong-type",
                f"this table's keys are {t.describe(base.type.key)}, not {t.describe(key.type)}",
                node.slice,
            )
        table: Mapping[Any, Any] = base.value if isinstance(base.value, Mapping) else {}
        missing = self._missing_keys(key, table)
        if missing:
            raise _Refused(
                "unknown-enum-value",
                f"the table has no entry for {', '.join(map(repr, missing))}",
                node.slice,
                f"entries: {', '.join(map(str, table))}",
            )
        merged = _merge(base, key)
        if key.constant:
            value = table.get(key.value)
            return _Typed(base.type.of, lambda env: value, merged, constant=True, value=value)
        get_key = key.run

        def lookup(env: Env) -> Any:
            found = get_key(env)
            return None if found is None else table.get(found)

        return _Typed(base.type.of, lookup, merged)

    @staticmethod
    def _missing_keys(key: _Typed, table: Mapping[Any, Any]) -> list[Any]:
        if key.constant:
            return [] if key.value in table else [key.value]
        if key.type.name == "enum":
            return [v for v in key.type.values if v not in table]
        return []

    # ---------------------------------------------------------------- operators

    def _BoolOp(self, node: ast.BoolOp, each: _Typed | None) -> _Typed:
        parts = [self._boolean(v, each) for v in node.values]
        runs = tuple(p.run for p in parts)
        merged = _merge(*parts)
        if isinstance(node.op, ast.And):

            def and_(env: Env) -> Any:
                unknown = False
                for run in runs:
                    value = run(env)
                    if value is False:
                        return False
                    if value is None:
                        unknown = True
                return None if unknown else True

            return self._fold(_Typed(t.BOOLEAN, and_, merged), parts)

        def or_(env: Env) -> Any:
            unknown = False
            for run in runs:
                value = run(env)
                if value is True:
                    return True
                if value is None:
                    unknown = True
            return None if unknown else False

        return self._fold(_Typed(t.BOOLEAN, or_, merged), parts)

    def _boolean(self, node: ast.expr, each: _Typed | None) -> _Typed:
        typed = self.node(node, each)
        if typed.type.name not in ("boolean", "null", "any"):
            raise _Refused(
                "wrong-type",
                f"expected true or false here, not {t.describe(typed.type)}",
                node,
                'compare it with something: x > 0, x == "value"',
            )
        return typed

    def _UnaryOp(self, node: ast.UnaryOp, each: _Typed | None) -> _Typed:
        if isinstance(node.op, ast.Not):
            inner = self._boolean(node.operand, each)
            run = inner.run

            def not_(env: Env) -> Any:
                value = run(env)
                return None if value is None else not value

            return self._fold(_Typed(t.BOOLEAN, not_, _merge(inner)), [inner])
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.node(node.operand, each)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            if inner.type.name not in t.NUMERIC | {"any"}:
                raise _Refused(
                    "wrong-type",
                    f"'{'-' if sign < 0 else '+'}' needs a number, not {t.describe(inner.type)}",
                    node,
                )
            if sign > 0:
                return inner  # +x is x
            run = inner.run

            def negate(env: Env) -> Any:
                value = run(env)
                # -x, not -1 * x: the product of a zero and -1 is Decimal("-0.00")
                return None if value is None else -value

            return self._fold(_Typed(inner.type, negate, _merge(inner)), [inner])
        raise _Refused("not-allowed", "this operator is not allowed", node)

    def _BinOp(self, node: ast.BinOp, each: _Typed | None) -> _Typed:
        found = _ARITHMETIC.get(type(node.op))
        if found is None:
            raise _Refused(
                "not-allowed", "only + - * / are allowed", node, "use round_money() to round"
            )
        symbol, fn = found
        left, right = self.node(node.left, each), self.node(node.right, each)
        result = _arithmetic_type(symbol, left.type, right.type)
        if result is None:
            kinds = {left.type.name, right.type.name}
            if kinds & {"date", "datetime"}:
                hint = "dates change with add_days() and add_months()"
            elif "money" in kinds and symbol in ("*", "/"):
                hint = "money times or divided by a number is money"
            elif left.literal or right.literal:
                hint = "text in quotes is text, not a number: write the number without quotes"
            else:
                hint = "arithmetic works on numbers and money"
            raise _Refused(
                "wrong-type",
                f"cannot use {symbol} on {_said(left)} and {_said(right)}",
                node,
                hint,
            )
        a, b = left.run, right.run
        if right.constant and right.value is not None and not left.constant:
            const = right.value  # item.price * settings.fee_percent / 100

            def arithmetic_constant(env: Env) -> Any:
                x = a(env)
                if x is None:
                    return None
                try:
                    return fn(x, const)
                except (ZeroDivisionError, DecimalException):
                    return None

            return _Typed(result, arithmetic_constant, _merge(left, right))

        def arithmetic(env: Env) -> Any:
            x = a(env)
            if x is None:
                return None
            y = b(env)
            if y is None:
                return None
            try:
                return fn(x, y)
            except (ZeroDivisionError, DecimalException):
                return None  # a division by zero has no value: unknown

        return self._fold(_Typed(result, arithmetic, _merge(left, right)), [left, right])

    def _Compare(self, node: ast.Compare, each: _Typed | None) -> _Typed:
        operands = [self.node(node.left, each)]
        operands += [self.node(c, each) for c in node.comparators]
        pairs: list[tuple[Run, Callable[[Any, Any], bool], Run]] = []
        for i, op in enumerate(node.ops):
            found = _COMPARE.get(type(op))
            if found is None:
                raise _Refused(
                    "not-allowed",
                    "'is' is not allowed",
                    node,
                    "write known(x) to test whether a value is known",
                )
            symbol, fn = found
            left, right = operands[i], operands[i + 1]
            spot = node.comparators[i]
            self._check_comparison(symbol, left, right, spot)
            if symbol in ("in", "not in") and right.constant and isinstance(right.value, list):
                fn = _membership(right.value, symbol == "in")
            pairs.append((left.run, fn, right.run))
        merged = _merge(*operands)
        if len(pairs) == 1:
            (a, fn, b) = pairs[0]
            if operands[1].constant and operands[1].value is not None:
                const = operands[1].value

                def compare_constant(env: Env) -> Any:
                    x = a(env)
                    return None if x is None else bool(fn(x, const))

                return self._fold(_Typed(t.BOOLEAN, compare_constant, merged), operands)
            if operands[0].constant and operands[0].value is not None:
                known_left = operands[0].value  # "hygiene" in item.tags

                def constant_compare(env: Env) -> Any:
                    y = b(env)
                    return None if y is None else bool(fn(known_left, y))

                return self._fold(_Typed(t.BOOLEAN, constant_compare, merged), operands)

            def compare(env: Env) -> Any:
                x = a(env)
                if x is None:
                    return None
                y = b(env)
                if y is None:
                    return None
                return bool(fn(x, y))

            return self._fold(_Typed(t.BOOLEAN, compare, merged), operands)
        chain = tuple(pairs)

        def chained(env: Env) -> Any:
            unknown = False
            for a, fn, b in chain:
                x, y = a(env), b(env)
                if x is None or y is None:
                    unknown = True
                elif not fn(x, y):
                    return False
            return None if unknown else True

        return self._fold(_Typed(t.BOOLEAN, chained, merged), operands)

    def _check_comparison(self, symbol: str, left: _Typed, right: _Typed, spot: ast.AST) -> None:
        if t.NULL in (left.type, right.type) and symbol in ("==", "!="):
            raise _Refused(
                "not-allowed",
                "comparing with None is always unknown",
                spot,
                "write known(x) to test whether a value is known",
            )
        if symbol in ("in", "not in"):
            if right.type.name != "list" or right.type.of is None:
                raise _Refused(
                    "wrong-type", f"'{symbol}' needs a list on its right, like [a, b]", spot
                )
            self._same_kind(left, right.type.of, right, spot)
            return
        if symbol in ("<", "<=", ">", ">="):
            kinds = {left.type.name, right.type.name}
            if "any" in kinds:
                return  # a broken fact or setting, reported where it is
            ordered = kinds <= t.NUMERIC or (len(kinds) == 1 and kinds <= t.ORDERED)
            if not ordered:
                raise _Refused(
                    "wrong-type",
                    f"cannot order {t.describe(left.type)} against {t.describe(right.type)}",
                    spot,
                    "order compares numbers, money, dates and times with their own kind",
                )
            return
        self._same_kind(left, right.type, right, spot)

    def _same_kind(self, left: _Typed, right_type: Type, right: _Typed, spot: ast.AST) -> None:
        """Equality and membership: the two sides must be values of one kind; a text
        literal compared with an enum must be one of the enum's values."""
        if left.literal and right.literal:
            return  # two texts written in the formula
        if "any" in (left.type.name, right_type.name):
            return  # a broken fact or setting, reported where it is
        # A text literal has an enum type of its own one value: the values to check it
        # against are the other side's, whichever side it is on ("lamps" == item.category).
        sides = ((left, left.type, right, right_type), (right, right_type, left, left.type))
        for declared, declared_type, other, other_type in sides:
            if declared.literal or declared_type.name != "enum":
                continue
            if other_type.name not in ("text", "enum"):
                continue
            values = declared_type.values
            missing = [v for v in _text_literals(other) if v not in values]
            if missing:
                close = difflib.get_close_matches(missing[0], values, n=1)
                raise _Refused(
                    "unknown-enum-value",
                    f"'{missing[0]}' is not one of its values ({', '.join(values)})",
                    spot,
                    f"did you mean '{close[0]}'?" if close else "",
                )
            return
        if t.assignable(left.type, right_type) or t.assignable(right_type, left.type):
            return
        if left.type.name in t.NUMERIC and right_type.name in t.NUMERIC:
            return
        raise _Refused(
            "wrong-type",
            f"cannot compare {t.describe(left.type)} with {t.describe(right_type)}",
            spot,
        )

    def _IfExp(self, node: ast.IfExp, each: _Typed | None) -> _Typed:
        test = self._boolean(node.test, each)
        yes, no = self.node(node.body, each), self.node(node.orelse, each)
        result = t.unify(yes.type, no.type)
        if result is None:
            if yes.type.name in t.NUMERIC and no.type.name in t.NUMERIC:
                result = t.MONEY if "money" in (yes.type.name, no.type.name) else t.DECIMAL
            else:
                raise _Refused(
                    "wrong-type",
                    f"the two branches give {t.describe(yes.type)} and {t.describe(no.type)}",
                    node,
                    "both branches must give the same kind of value",
                )
        c, a, b = test.run, yes.run, no.run

        def choose(env: Env) -> Any:
            value = c(env)
            if value is None:
                return None
            return a(env) if value else b(env)

        return self._fold(_Typed(result, choose, _merge(test, yes, no)), [test, yes, no])

    def _List(self, node: ast.List | ast.Tuple, each: _Typed | None) -> _Typed:
        items = [self.node(e, each) for e in node.elts]
        element: Type | None = t.NULL
        for item in items:
            element = t.unify(element, item.type) if element is not None else None
        if element is None:
            raise _Refused("wrong-type", "a list's values must all be of one kind", node)
        runs = tuple(i.run for i in items)
        merged = _merge(*items)
        if all(i.constant for i in items):
            values = [i.value for i in items]
            typed = _const(t.list_of(element), values)
            literal_values = [i.value for i in items if i.literal]
            return _Typed(typed.type, typed.run, merged, True, values, literal=bool(literal_values))

        def listed(env: Env) -> Any:
            return [run(env) for run in runs]

        return _Typed(t.list_of(element), listed, merged)

    _Tuple = _List

    # ---------------------------------------------------------------- calls

    def _Call(self, node: ast.Call, each: _Typed | None) -> _Typed:
        if not isinstance(node.func, ast.Name):
            raise _Refused(
                "not-allowed",
                "only functions may be called, not methods",
                node,
                "write days_between(a, b), not a.method()",
            )
        if node.keywords:
            raise _Refused("not-allowed", "arguments are given by position, not by name", node)
        for arg in node.args:  # before counting them: f(*x) has one argument, or many
            if isinstance(arg, ast.Starred):
                raise _Refused("not-allowed", "* is not allowed", arg, "write each argument")
        name = node.func.id
        if name in COLLECTION_FORMS:
            return self._collection(name, node, each)
        function = self.scope.functions.get(name)
        if function is None:
            close = difflib.get_close_matches(name, [*self.scope.functions, *COLLECTION_FORMS], n=1)
            raise _Refused(
                "unknown-function",
                f"unknown function '{name}'",
                node.func,
                f"did you mean '{close[0]}'?"
                if close
                else "the functions are listed in docs/rule-language.md (Functions)",
            )
        low, high = function.arity
        if len(node.args) < low or (high is not None and len(node.args) > high):
            wanted = f"{low}" if low == high else f"{low} to {high}" if high else f"at least {low}"
            noun = "argument" if wanted == "1" else "arguments"
            raise _Refused(
                "wrong-type", f"{name}() takes {wanted} {noun}, not {len(node.args)}", node
            )
        args = [self.node(a, each) for a in node.args]
        result = function.typer([a.type for a in args])
        if isinstance(result, str):
            raise _Refused("wrong-type", f"{name}(): {result}", node)
        runs = tuple(a.run for a in args)
        fn, context, strict = function.fn, function.context, function.strict
        merged = _merge(*args)
        if len(runs) == 1 and strict and not context:
            only = runs[0]

            def call1(env: Env) -> Any:
                value = only(env)
                return None if value is None else fn(value)

            typed = _Typed(result, call1, merged)
        elif len(runs) == 1 and strict:
            only = runs[0]

            def call1_env(env: Env) -> Any:
                value = only(env)
                return None if value is None else fn(env, value)

            typed = _Typed(result, call1_env, merged)
        elif len(runs) == 2 and strict:
            first, second = runs

            def call2(env: Env) -> Any:
                x = first(env)
                if x is None:
                    return None
                y = second(env)
                if y is None:
                    return None
                return fn(env, x, y) if context else fn(x, y)

            typed = _Typed(result, call2, merged)
        elif len(runs) == 1 and not context:  # known(x): it looks at the unknown itself
            only = runs[0]
            typed = _Typed(result, lambda env: fn(only(env)), merged)
        elif len(runs) == 2 and not context:  # coalesce(x, y)
            first, second = runs
            typed = _Typed(result, lambda env: fn(first(env), second(env)), merged)
        else:

            def call(env: Env) -> Any:
                values = [run(env) for run in runs]
                if strict and None in values:
                    return None
                return fn(env, *values) if context else fn(*values)

            typed = _Typed(result, call, merged)
        if isinstance(function, _Pure):
            return self._fold(typed, args)
        return typed  # compiling never runs a store's function: it may have effects

    def _collection(self, name: str, node: ast.Call, each: _Typed | None) -> _Typed:
        if not 1 <= len(node.args) <= 2 or (len(node.args) == 1 and name != "count"):
            raise _Refused(
                "wrong-type",
                f"{name}() takes a list and what to {('test' if name != 'sum' else 'add up')} "
                "for each element",
                node,
                f"write {name}(order.items, each.price)"
                if name == "sum"
                else f'write {name}(order.items, each.category == "lamps")',
            )
        items = self.node(node.args[0], each)
        if items.type.name == "any":  # a broken fact, reported where it is
            result = (
                t.BOOLEAN if name in ("any", "all") else t.INTEGER if name == "count" else t.ANY
            )
            return _Typed(result, _unknown, _merge(items))
        if items.type.name != "list" or items.type.of is None:
            raise _Refused(
                "wrong-type",
                f"{name}() needs a list first, not {t.describe(items.type)}",
                node.args[0],
            )
        get_items = items.run
        if len(node.args) == 1:

            def length(env: Env) -> Any:
                found = get_items(env)
                return None if found is None else len(found)

            return _Typed(t.INTEGER, length, _merge(items))
        element_path = f"{items.path}[]" if items.path else ""
        element = _Typed(
            items.type.of,
            _each,
            _Reads(paths=frozenset([element_path])) if element_path else _NOTHING,
            path=element_path,
            chain=(_each, ()),
        )
        body = self.node(node.args[1], element)
        merged = _merge(items, body, element)
        test = body.run
        if name == "sum":
            if body.type.name not in t.NUMERIC:
                raise _Refused(
                    "wrong-type", f"sum() adds numbers, not {t.describe(body.type)}", node.args[1]
                )
            zero = 0 if body.type.name == "integer" else Decimal(0)

            def total(env: Env) -> Any:
                found = get_items(env)
                if found is None:
                    return None
                saved, amount = env.each, zero
                try:
                    for element_value in found:
                        env.each = element_value
                        value = test(env)
                        if value is None:
                            return None
                        amount += value
                finally:
                    env.each = saved
                return amount

            return _Typed(body.type, total, merged)
        if body.type.name not in ("boolean", "null", "any"):
            raise _Refused(
                "wrong-type", f"{name}() tests true or false for each element", node.args[1]
            )
        return _Typed(
            t.INTEGER if name == "count" else t.BOOLEAN, _quantifier(name, get_items, test), merged
        )

    # ---------------------------------------------------------------- folding

    @staticmethod
    def _fold(typed: _Typed, parts: Iterable[_Typed]) -> _Typed:
        """A subexpression of constants only is worked out once, here."""
        if not all(p.constant for p in parts):
            return typed
        value = typed.run(None)  # type: ignore[arg-type]  # constants never read the env
        return _Typed(typed.type, lambda env: value, typed.reads, constant=True, value=value)


def _each(env: Env) -> Any:
    return env.each


class _SlotReader:
    """Reads one attribute of the Env (``item``); paths from it read it inline."""

    __slots__ = ("slot",)

    def __init__(self, slot: str) -> None:
        self.slot = slot

    def __call__(self, env: Env) -> Any:
        return getattr(env, self.slot)


def _slot_reader(slot: str) -> Run:
    return _SlotReader(slot)


def _path_reader(start: Run | None, names: tuple[str, ...]) -> Run:
    """One closure for a path: from the request itself (``start`` None; its own fields
    always exist) or from a root, each step unknown when the one before is."""
    if start is None:
        first, rest = names[0], names[1:]
        if not rest:
            return lambda env: getattr(env.request, first)
        if len(rest) == 1:
            (a,) = rest

            def read1(env: Env) -> Any:
                v = getattr(env.request, first)
                return None if v is None else getattr(v, a, None)

            return read1
        if len(rest) == 2:
            a, b = rest

            def read2(env: Env) -> Any:
                v = getattr(env.request, first)
                if v is None:
                    return None
                v = getattr(v, a, None)
                return None if v is None else getattr(v, b, None)

            return read2

        def read_from_request(env: Env) -> Any:
            v = getattr(env.request, first)
            for n in rest:
                if v is None:
                    return None
                v = getattr(v, n, None)
            return v

        return read_from_request
    if isinstance(start, _SlotReader):
        slot = start.slot
        if len(names) == 1:
            (only,) = names

            def read_slot1(env: Env) -> Any:
                v = getattr(env, slot)
                return None if v is None else getattr(v, only, None)

            return read_slot1
    get = start
    if len(names) == 1:
        (a,) = names

        def read_root1(env: Env) -> Any:
            v = get(env)
            return None if v is None else getattr(v, a, None)

        return read_root1

    def read_root(env: Env) -> Any:
        v = get(env)
        for n in names:
            if v is None:
                return None
            v = getattr(v, n, None)
        return v

    return read_root


def _name_of(node: ast.Attribute) -> ast.AST:
    """Where ``.name`` is written in ``a.b.name``: the spot to show for a bad field."""
    end_line, end_col = node.end_lineno, node.end_col_offset
    if end_line is None or end_col is None:
        return node
    return ast.Name(id=node.attr, lineno=end_line, col_offset=end_col - len(node.attr.encode()))


def _quantifier(name: str, get_items: Run, test: Run) -> Run:
    if name == "count":

        def count(env: Env) -> Any:
            found = get_items(env)
            if found is None:
                return None
            saved, n = env.each, 0
            try:
                for element in found:
                    env.each = element
                    value = test(env)
                    if value is None:
                        return None
                    n += bool(value)
            finally:
                env.each = saved
            return n

        return count
    stop = name == "any"  # any() stops at the first True, all() at the first False

    def quantify(env: Env) -> Any:
        found = get_items(env)
        if found is None:
            return None
        saved, unknown = env.each, False
        try:
            for element in found:
                env.each = element
                value = test(env)
                if value is None:
                    unknown = True
                elif value is stop:
                    return stop
        finally:
            env.each = saved
        return None if unknown else not stop

    return quantify


def _membership(values: list[Any], inside: bool) -> Callable[[Any, Any], bool]:
    """``x in [constants]`` against a set built once (the list stays for unhashables)."""
    members: frozenset[Any] | tuple[Any, ...] = (
        frozenset(values) if _hashable(values) else tuple(values)
    )
    if inside:
        return lambda actual, _ignored: actual in members
    return lambda actual, _ignored: actual not in members


def _text_literals(typed: _Typed) -> list[str]:
    """The texts a constant holds (a literal, a list of them, a text setting)."""
    if not typed.constant:
        return []
    values = typed.value if isinstance(typed.value, list) else [typed.value]
    return [v for v in values if isinstance(v, str)]


def _hashable(values: list[Any]) -> bool:
    try:
        frozenset(values)
    except TypeError:
        return False
    return True


def _arithmetic_type(symbol: str, a: Type, b: Type) -> Type | None:
    names = {a.name, b.name}
    if "any" in names:
        return t.ANY  # a broken fact or setting, reported where it is
    if not names <= t.NUMERIC | {"null"}:
        return None
    if "null" in names:
        return a if b.name == "null" else b
    if symbol in ("+", "-"):
        if "money" in names:
            return t.MONEY
        return t.INTEGER if names == {"integer"} else t.DECIMAL
    if symbol == "*":
        if names == {"money"}:
            return None  # money times money means nothing
        if "money" in names:
            return t.MONEY
        return t.INTEGER if names == {"integer"} else t.DECIMAL
    # division
    if a.name == "money" and b.name == "money":
        return t.DECIMAL  # a ratio
    if a.name == "money":
        return t.MONEY
    if b.name == "money":
        return None
    return t.DECIMAL


# --------------------------------------------------------------------------- reference semantics


def evaluate_reference(
    source: str, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
) -> Any:
    """A slow, direct interpreter of the same language, for tests: walks the tree for every
    evaluation with the Kleene rules spelled out. ``names`` maps root and fact names (and
    ``settings``, a dict) to values; objects are read with ``getattr``."""
    wrapped = f"(\n{source.strip()}\n)"
    tree = ast.parse(wrapped, mode="eval")
    return _ref(tree.body, names, functions, None, wrapped)


def _ref(
    node: ast.expr,
    names: Mapping[str, Any],
    functions: Mapping[str, Callable[..., Any]],
    each: Any,
    source: str,
) -> Any:
    def sub(child: ast.expr, element: Any = each) -> Any:
        return _ref(child, names, functions, element, source)

    if isinstance(node, ast.Constant):
        if isinstance(node.value, float):  # as written: 0.10 is Decimal("0.10")
            return Decimal((ast.get_source_segment(source, node) or "").replace("_", ""))
        return node.value
    if isinstance(node, ast.Name):
        if node.id == "each":
            return each
        if node.id in ("true", "false"):
            return node.id == "true"
        if node.id == "null":
            return None
        return names[node.id]
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise ValueError(f"not in the language: .{node.attr}")
        base = sub(node.value)
        if base is None:
            return None
        if isinstance(base, Mapping):
            return base.get(node.attr)
        return getattr(base, node.attr, None)
    if isinstance(node, ast.Subscript):
        base = sub(node.value)
        key = sub(node.slice)
        return None if base is None or key is None else base.get(key)
    if isinstance(node, ast.BoolOp):
        values = [sub(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in values else None if None in values else True
        return True if True in values else None if None in values else False
    if isinstance(node, ast.UnaryOp):
        value = sub(node.operand)
        if value is None:
            return None
        if isinstance(node.op, ast.Not):
            return not value
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        x, y = sub(node.left), sub(node.right)
        if x is None or y is None:
            return None
        try:
            return _ARITHMETIC[type(node.op)][1](x, y)
        except (ZeroDivisionError, DecimalException):
            return None
    if isinstance(node, ast.Compare):
        values = [sub(node.left)]
        values += [sub(c) for c in node.comparators]
        results = []
        for i, op in enumerate(node.ops):
            x, y = values[i], values[i + 1]
            results.append(None if x is None or y is None else bool(_COMPARE[type(op)][1](x, y)))
        return False if False in results else None if None in results else True
    if isinstance(node, ast.IfExp):
        test = sub(node.test)
        if test is None:
            return None
        return sub(node.body if test else node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [sub(e) for e in node.elts]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in COLLECTION_FORMS:
            items = sub(node.args[0])
            if items is None:
                return None
            if len(node.args) == 1:
                return len(items)
            results = [sub(node.args[1], x) for x in items]
            if name == "sum":
                return None if None in results else sum(results)
            if name == "count":
                return None if None in results else sum(bool(r) for r in results)
            if name == "any":
                return True if True in results else None if None in results else False
            return False if False in results else None if None in results else True
        args = [sub(a) for a in node.args]
        return functions[name](*args)
    raise ValueError(f"not in the language: {ast.dump(node)}")


def is_value(value: object) -> bool:
    """Whether a Python value is one the language has (for tests and function results)."""
    return value is None or isinstance(value, (bool, int, Decimal, str, date, datetime, time, list))
