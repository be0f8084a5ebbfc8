"""The functions expressions may call, and the registry a store adds its own to.

The built-in library is small and generic: days and hours between moments, the local date
and time in the store's zone, business-day arithmetic on the store's calendar, the end of
a billing period, ``min``/``max``/``abs``, rounding money, ``coalesce`` and ``known``.
Every function is strict (an unknown argument makes the result unknown) except
``coalesce`` and ``known``, which exist to look at unknown values.

A store extends it per policy, never globally::

    functions = policylib.Functions()

    @functions.register(params=["money"], returns="money")
    def loyalty_bonus(amount):
        return amount / 10

    policy = policylib.load_policy("rules/", functions=functions)

The loader type-checks every call against the declared parameter and return types.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from keyword import iskeyword
from typing import Any

from policylib.lang import types as t
from policylib.lang.expr import COLLECTION_FORMS, Env, Function, _Pure
from policylib.lang.types import Type

__all__ = ["BUILTINS", "Functions", "add_months"]


# --------------------------------------------------------------------------- typers


def _fixed(
    params: Sequence[Sequence[str]], returns: Type
) -> Callable[[Sequence[Type]], Type | str]:
    """A typer for fixed parameters: each a list of the type names it accepts."""

    def typer(args: Sequence[Type]) -> Type | str:
        for index, (arg, accepted) in enumerate(zip(args, params, strict=False)):
            if arg.name in ("null", "any") or arg.name in accepted:
                continue
            if arg.name == "integer" and "decimal" in accepted:
                continue
            if arg.name == "enum" and "text" in accepted:
                continue
            words = " or ".join(t.describe(Type(n)) for n in accepted)
            return f"argument {index + 1} must be {words}, not {t.describe(arg)}"
        return returns

    return typer


def _same(kinds: frozenset[str], wanted: str) -> Callable[[Sequence[Type]], Type | str]:
    """A typer for min/max/abs: arguments of one kind among ``kinds``; numbers mix.
    ``wanted`` says what the arguments must be, in words."""

    def typer(args: Sequence[Type]) -> Type | str:
        names = {a.name for a in args} - {"null"}
        if not names:
            return t.NULL
        if "any" in names:
            return t.ANY  # a broken fact or setting, reported where it is
        if names <= t.NUMERIC:
            if "money" in names:
                return t.MONEY
            return t.INTEGER if names == {"integer"} else t.DECIMAL
        if len(names) == 1 and names <= kinds:
            return next(a for a in args if a.name != "null")
        return wanted

    return typer


def _coalesce_type(args: Sequence[Type]) -> Type | str:
    found: Type = t.NULL
    for arg in args:
        if arg.name == "any":
            return t.ANY  # a broken fact or setting, reported where it is
        unified = t.unify(found, arg)
        if unified is None and {found.name, arg.name} <= t.NUMERIC:
            # numbers mix as in ``x if c else y``: coalesce(shipping_fee, 0) is money
            unified = t.MONEY if "money" in (found.name, arg.name) else t.DECIMAL
        if unified is None:
            return "the arguments must all be the same kind of value"
        found = unified
    return found


def _local_date(env: Env, moment: date) -> date:
    if isinstance(moment, datetime):
        return moment.astimezone(env.zone).date()
    return moment


def _days_between(env: Env, a: date, b: date) -> int:
    zone = env.zone
    if isinstance(a, datetime):
        a = a.astimezone(zone).date()
    if isinstance(b, datetime):
        b = b.astimezone(zone).date()
    return (b - a).days


def _local_moment(env: Env, moment: date) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(env.zone)
    return datetime.combine(moment, time(0), tzinfo=env.zone)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, at the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def _add_days(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:  # past the year 9999: no such date, so unknown
        return None


def _add_months(day: date, months: int) -> date | None:
    try:
        return add_months(day, months)
    except (OverflowError, ValueError):  # past the year 9999
        return None


def _period_end(env: Env, started: date, months: int, on: date) -> date | None:
    """The last day of the period (of ``months`` months, from ``started``) running ``on``."""
    try:
        return _period_end_of(env, started, months, on)
    except (OverflowError, ValueError):  # past the year 9999
        return None


def _period_end_of(env: Env, started: date, months: int, on: date) -> date | None:
    if months < 1:
        return None
    start = _local_date(env, started)
    day = max(_local_date(env, on), start)  # not started yet: the first period
    elapsed = (day.year - start.year) * 12 + day.month - start.month
    periods = max(0, elapsed // months - 1)
    while add_months(start, months * (periods + 1)) <= day:  # at most two steps
        periods += 1
    return add_months(start, months * (periods + 1)) - timedelta(days=1)


def _hours_between(env: Env, a: date, b: date) -> Decimal:
    # In UTC: two moments of one zone subtract as wall-clock times, an hour off across a
    # change to or from daylight saving time.
    elapsed = _local_moment(env, b).astimezone(timezone.utc) - _local_moment(env, a).astimezone(
        timezone.utc
    )
    minutes = abs(elapsed) // timedelta(minutes=1)  # whole minutes, toward zero either way
    return Decimal(minutes if elapsed >= timedelta(0) else -minutes) / 60


def _round_money(env: Env, amount: Decimal) -> Decimal | None:
    try:
        return Decimal(amount).quantize(env.quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):  # February 30th, year 0: no such day
        return None


def _next_business_days(env: Env, after: date, count: int) -> list[date]:
    out: list[date] = []
    day = after
    for _ in range(max(0, count) * 7 + 14):  # a few weeks always hold them
        if len(out) >= count:
            break
        day += timedelta(days=1)
        if env.calendar.is_business_day(day):
            out.append(day)
    return out


_DAYS = frozenset({"date", "datetime"})
_ORDERED_WORDS = "the arguments must all be numbers, or all dates, or all times"


def _builtins() -> dict[str, Function]:
    F, P = Function, _Pure  # P: no context, no effects; folded on constants
    moment = ("date", "datetime")
    return {
        f.name: f
        for f in (
            F(
                "days_between",
                _fixed([moment, moment], t.INTEGER),
                _days_between,
                context=True,
                arity=(2, 2),
                doc="Calendar days from a to b in the store's time zone (negative if b is first).",
            ),
            F(
                "hours_between",
                _fixed([moment, moment], t.DECIMAL),
                _hours_between,
                context=True,
                arity=(2, 2),
                doc="Hours (in whole minutes) from a to b; a bare date counts from its midnight.",
            ),
            F(
                "local_date",
                _fixed([moment], t.DATE),
                _local_date,
                context=True,
                doc="The date of a moment in the store's time zone.",
            ),
            F(
                "local_time",
                _fixed([["datetime"]], t.TIME),
                lambda env, m: _local_moment(env, m).time().replace(tzinfo=None),
                context=True,
                doc="The clock time of a moment in the store's time zone.",
            ),
            F(
                "at",
                _fixed([["date"], ["time"]], t.DATETIME),
                lambda env, d, clock: datetime.combine(d, clock, tzinfo=env.zone),
                context=True,
                arity=(2, 2),
                doc="The moment a date reaches a clock time in the store's time zone.",
            ),
            P(
                "add_days",
                _fixed([["date"], ["integer"]], t.DATE),
                _add_days,
                arity=(2, 2),
                doc="The date n calendar days later (earlier when n is negative).",
            ),
            P(
                "add_months",
                _fixed([["date"], ["integer"]], t.DATE),
                _add_months,
                arity=(2, 2),
                doc="The same day n months later (the month's last day when it is shorter).",
            ),
            F(
                "is_business_day",
                _fixed([["date"]], t.BOOLEAN),
                lambda env, d: env.calendar.is_business_day(d),
                context=True,
                doc="Whether the store works that day (not a weekend, holiday or closure).",
            ),
            F(
                "add_business_days",
                _fixed([["date"], ["integer"]], t.DATE),
                lambda env, d, n: env.calendar.add_business_days(d, n),
                context=True,
                arity=(2, 2),
                doc="The date n business days after d (d itself not counted).",
            ),
            F(
                "business_days_between",
                _fixed([["date"], ["date"]], t.INTEGER),
                lambda env, a, b: env.calendar.business_days_between(a, b),
                context=True,
                arity=(2, 2),
                doc="Business days after a up to and including b (negative if b is before a).",
            ),
            F(
                "next_business_days",
                _fixed([["date"], ["integer"]], t.list_of(t.DATE)),
                _next_business_days,
                context=True,
                arity=(2, 2),
                doc="The next n business days after d, as a list.",
            ),
            F(
                "period_end",
                _fixed([moment, ["integer"], moment], t.DATE),
                _period_end,
                context=True,
                arity=(3, 3),
                doc="The last day of the period of n months, counted from start, running on a day.",
            ),
            P(
                "min",
                _same(t.ORDERED, _ORDERED_WORDS),
                lambda *values: min(values),
                arity=(2, None),
                doc="The smallest of two or more numbers, dates or times.",
            ),
            P(
                "max",
                _same(t.ORDERED, _ORDERED_WORDS),
                lambda *values: max(values),
                arity=(2, None),
                doc="The largest of two or more numbers, dates or times.",
            ),
            P(
                "abs",
                _same(t.NUMERIC, "the argument must be a number"),
                abs,
                doc="A number without its sign.",
            ),
            F(
                "round_money",
                _fixed([["money", "decimal"]], t.MONEY),
                _round_money,
                context=True,
                doc="An amount rounded half up to the currency's smallest unit (the cent).",
            ),
            P(
                "date",
                _fixed([["integer"], ["integer"], ["integer"]], t.DATE),
                _date,
                arity=(3, 3),
                doc="The date of a year, month and day (unknown when there is no such day).",
            ),
            F(
                "year",
                _fixed([moment], t.INTEGER),
                lambda env, d: _local_date(env, d).year,
                context=True,
                doc="The year of a date (of a moment, in the store's time zone).",
            ),
            F(
                "month",
                _fixed([moment], t.INTEGER),
                lambda env, d: _local_date(env, d).month,
                context=True,
                doc="The month of a date, 1 to 12 (of a moment, in the store's time zone).",
            ),
            F(
                "day",
                _fixed([moment], t.INTEGER),
                lambda env, d: _local_date(env, d).day,
                context=True,
                doc="The day of the month of a date, 1 to 31 (in the store's time zone).",
            ),
            P(
                "coalesce",
                _coalesce_type,
                lambda *values: next((v for v in values if v is not None), None),
                strict=False,
                arity=(2, None),
                doc="The first argument that is known.",
            ),
            P(
                "known",
                lambda args: t.BOOLEAN,
                lambda value: value is not None,
                strict=False,
                doc="Whether a value is known (true or false, never unknown).",
            ),
        )
    }


BUILTINS: Mapping[str, Function] = _builtins()
"""The functions every pack can call."""


# --------------------------------------------------------------------------- a store's own


_TYPE_NAMES = tuple(n for n in t.SCALAR_NAMES if n != "enum")
"""The type names ``register`` accepts (an enum needs its values, which a name has not)."""


class Functions(Mapping[str, Function]):
    """A policy's own functions, on top of the built-in library (pass to ``load_policy``).

    Each function declares its parameter and return types by name (boolean, integer,
    decimal, money, text, date, datetime, time); the loader checks every call against them.
    """

    def __init__(self) -> None:
        self._own: dict[str, Function] = {}

    def register(
        self,
        fn: Callable[..., Any] | None = None,
        *,
        params: Sequence[str],
        returns: str,
        name: str | None = None,
        strict: bool = True,
    ) -> Any:
        """Register ``fn`` (or decorate it). Raises ``ValueError`` for an unknown type name,
        a name a built-in (or ``any``/``all``/``count``/``sum``) already has, or a name an
        expression cannot call."""

        def add(func: Callable[..., Any]) -> Callable[..., Any]:
            called = name or func.__name__
            if called in BUILTINS or called in COLLECTION_FORMS:
                raise ValueError(f"{called!r} is a built-in function; choose another name")
            if not called.isidentifier() or iskeyword(called):
                raise ValueError(
                    f"{called!r} cannot be called from an expression; name it like loyalty_bonus"
                )
            if isinstance(params, str):
                raise ValueError(f"params is a list of type names: params=[{params!r}]")
            for type_name in (*params, returns):
                if type_name not in _TYPE_NAMES:
                    raise ValueError(
                        f"unknown type {type_name!r}; use one of {', '.join(_TYPE_NAMES)}"
                    )
            self._own[called] = Function(
                called,
                _fixed([[p] for p in params], Type(returns)),
                func,
                strict=strict,
                arity=(len(params), len(params)),
                doc=(func.__doc__ or "").strip().split("\n")[0],
            )
            return func

        return add(fn) if fn is not None else add

    def __getitem__(self, key: str) -> Function:
        return self._own[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._own)

    def __len__(self) -> int:
        return len(self._own)
