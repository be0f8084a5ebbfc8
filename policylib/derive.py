"""Deriving facts: a pack's fact expressions, run for one request.

Each fact's compiled expression is wrapped once, at policy build time, with what the
pack declares about it: money is rounded half-up to the currency's smallest unit and is
never negative (an amount below zero has nothing true to tell a customer, so it is
unknown); a store fact takes its declared default when the request does not say; a
function the store registered that raises becomes a ``FunctionError`` naming it. Facts
are derived on demand and memoised in the request's ``Env``, so a fact shared by several
rules (or read by another fact) is worked out once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import babel.numbers

from policylib.calendar import StoreCalendar
from policylib.errors import FunctionError
from policylib.lang.expr import Env, Run
from policylib.lang.functions import BUILTINS
from policylib.lang.nodes import FactDef, Pack

__all__ = ["Deriver"]


class Deriver:
    """The pack's facts, ready to derive for any request; shared by threads (its one
    cache, the last clock's date, is replaced whole)."""

    def __init__(self, pack: Pack, zone: tzinfo, calendar: StoreCalendar) -> None:
        self.zone = zone
        self.calendar = calendar
        digits = babel.numbers.get_currency_precision(pack.store.currency)
        self.quantum = Decimal(1).scaleb(-digits)
        own = frozenset(name for name in pack.functions if name not in BUILTINS)
        self.programs: dict[str, Run] = {
            name: _wrapped(fact, self.quantum, own) for name, fact in pack.facts.items()
        }
        self.store_facts = {n: f for n, f in pack.facts.items() if f.known_by == "store"}
        self._today: tuple[datetime | None, date] = (None, date.min)
        """The last clock an Env was made for and its date in the store's zone (one
        tuple, replaced whole: safe to share between threads)."""

    def env(self, request: Any, item: Any, selected: Sequence[Any], now: datetime) -> Env:
        """A fresh evaluation for one request (and the item decided, for per-item kinds)."""
        last = self._today  # one evaluation makes many Envs at one clock: one date
        today = last[1] if last[0] is now else now.astimezone(self.zone).date()
        self._today = (now, today)
        return Env(
            request,
            item,
            selected,
            now,
            self.zone,
            self.calendar,
            self.programs,
            self.quantum,
            today,
        )

    @staticmethod
    def derive(env: Env, names: Iterable[str]) -> dict[str, Any]:
        """Derive the named facts into ``env.values`` (None: unknown) and return it."""
        values, programs = env.values, env.programs
        for name in names:
            if name not in values:
                values[name] = programs[name](env)
        return values


def _wrapped(fact: FactDef, quantum: Decimal, own: frozenset[str]) -> Run:
    run = fact.program.run
    if fact.default is not None:
        primary, fallback = run, fact.default.run

        def with_default(env: Env) -> Any:
            value = primary(env)
            return fallback(env) if value is None else value

        run = with_default
    if fact.type.name == "money":
        exact = run

        def money(env: Env) -> Any:
            value = exact(env)
            if value is None:
                return None
            amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
            # never negative; and -0.00 (from 0 * -1) is plain zero, not "-$0.00"
            return None if amount < 0 else abs(amount)

        run = money
    if own and _calls(fact, own):
        guarded = run

        def guard(env: Env) -> Any:
            try:
                return guarded(env)
            except FunctionError:
                raise
            except Exception as exc:  # a store's own Python: named, never raw
                raise FunctionError(
                    f"fact '{fact.name}' failed in a function the store registered: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc

        run = guard
    return run


def _calls(fact: FactDef, own: frozenset[str]) -> bool:
    """Whether a fact's expression (or default) calls one of the store's own functions."""
    sources = [fact.program.source]
    if fact.default is not None:
        sources.append(fact.default.source)
    return any(f"{name}(" in source for source in sources for name in own)
