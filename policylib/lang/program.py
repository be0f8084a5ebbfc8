"""The runtime model of expressions: what a compiled one is and what it runs on.

A ``Scope`` is what an expression is checked against: the ``Root`` names it may start
from, the object types and their fields, the facts, the ``Setting`` constants and the
``Function`` library. A ``Program`` is a checked, compiled expression; its closure runs
per request on an ``Env``. The compiler (``lang.expr``) builds programs from these; the
loader and the engine use them without compiling anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Protocol

from policylib.lang.types import Type

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
