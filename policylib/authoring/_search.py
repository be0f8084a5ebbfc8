"""Lint without a solver: a bounded search over concrete requests.

Each slot gets a few candidate values taken from the pack itself: every enum value and
word it tests, the numbers its rules, facts and settings name (and one either side, the
edge of a window), dates and moments that many days from the clock, and the clock times
it names. A kind's search starts from random requests built from those values, then, for
each question, climbs towards a request that meets it: a step changes one slot the kind's
facts read, and is kept when the request gets no further from the target (how far is
measured on the real facts, test by test: a number off by 3 days is nearer than one off
by 30). Every request is decided by the pack's own engine, so what the search finds is
real; what it does not find in ``probes`` tries may still exist, so it proves nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from policylib.authoring._seeds import choice_of
from policylib.authoring._space import EVENTS, FIRST_DAY, LAST_DAY, MISSING, Choice, Slot, Space
from policylib.authoring._targets import (
    Avoid,
    Observed,
    Observer,
    Region,
    Target,
    avoided,
    region,
    tests_of,
)
from policylib.engine.core import evaluate_condition
from policylib.lang.nodes import All, Any_, Compare, Condition, Not, Outcome, Ref, Rule

__all__ = ["Searcher"]

_FAR = 1e9
_CALM = 40
"""Steps without progress before the climb restarts from another request."""


class Searcher:
    """The bounded search side of lint (see the module docstring).

    Args:
        space: the pack's modelled requests.
        observer: decides concrete requests.
        order: the rules of each kind in precedence order.
        probes: the most requests tried per question (and to start each kind's pool).
        seed: where the random choices start.
    """

    proves = False

    def __init__(
        self,
        space: Space,
        observer: Observer,
        order: Mapping[str, Sequence[Rule]],
        probes: int,
        seed: int,
    ) -> None:
        self.space = space
        self.observer = observer
        self.order = order
        self.probes = max(1, probes)
        self.random = random.Random(seed)
        self.default = space.pack.default_outcome
        numbers = _numbers(space)
        self.candidates = {
            key: _candidates(space, slot, numbers) for key, slot in space.slots.items()
        }
        self.pools: dict[str, list[tuple[dict[str, Any], Observed]]] = {}
        self.relevant: dict[str, list[str]] = {}

    def prove(self, target: Target) -> None:
        """The search proves nothing."""
        return None

    # ---------------------------------------------------------------- requests

    def requests(self, target: Target, avoid: Sequence[Avoid]) -> Iterator[Choice]:
        """Choices whose requests meet the target (none of those to avoid)."""
        kind = target.kind
        pool = self._pool(kind)
        tests = tests_of(self.order.get(kind, ()))
        given: set[Region] = set()
        for choice, seen in list(pool):
            if target.met(seen, self.default):
                where = region(tests, seen.facts)
                if where not in given and not avoided(avoid, where, seen.facts):
                    given.add(where)
                    yield choice
        scored = [(self._distance(target, seen), c) for c, seen in pool]
        if not scored:
            return
        scored.sort(key=lambda pair: pair[0])
        current, far = scored[0][1], scored[0][0]
        focus = self._focus(target, self._seen(pool, current))
        calm, tries = 0, 0
        while tries < self.probes:
            steps = self._steps(kind, current, focus)
            best: tuple[float, dict[str, Any], Observed] | None = None
            for step in steps:
                tries += 1
                observed = self._observe(kind, step)
                if observed is None:
                    continue
                near = self._distance(target, observed)
                if target.met(observed, self.default):
                    where = region(tests, observed.facts)
                    if where not in given and not avoided(avoid, where, observed.facts):
                        given.add(where)
                        yield step
                if best is None or near < best[0]:
                    best = (near, step, observed)
            if best is not None and best[0] <= far:
                calm = 0 if best[0] < far else calm + 1
                far, current = best[0], best[1]
                focus = self._focus(target, best[2])
            else:
                calm += 1
            if calm > _CALM:
                current = self.random.choice(scored)[1]
                far, calm = _FAR, 0
                focus = self._focus(target, self._seen(pool, current))

    @staticmethod
    def _seen(
        pool: Sequence[tuple[dict[str, Any], Observed]], choice: dict[str, Any]
    ) -> Observed | None:
        return next((seen for c, seen in pool if c is choice), None)

    def _focus(self, target: Target, seen: Observed | None) -> list[str]:
        """The slots worth moving next: those the target's rules read, and those of the
        rules standing in the way (the one that decides now, or those it waits on)."""
        rules = [r for r in (target.rule, target.other) if r is not None]
        if seen is not None:
            verdict = seen.verdict
            if verdict.rule is not None and verdict.rule not in rules:
                rules.append(verdict.rule)
            rules.extend(verdict.blocking)
        if not rules:
            return self.relevant.get(target.kind, [])
        focus = self.space.relevant(rules) or self.relevant.get(target.kind, [])
        if target.fact:  # and what the fact the target wants known reads
            focus = [*focus, *(k for k in self._reads(target.fact) if k not in focus)]
        return focus

    def _reads(self, name: str) -> list[str]:
        """The slots a fact reads, through the facts it names."""
        facts = self.space.pack.facts
        paths: set[str] = set()
        seen: set[str] = set()
        todo = [name]
        while todo:
            fact = facts.get(todo.pop())
            if fact is None or fact.name in seen:
                continue
            seen.add(fact.name)
            for program in (fact.program, fact.default):
                if program is not None:
                    paths |= program.paths
                    todo.extend(program.facts)
        return self.space.slots_for(paths)

    def _pool(self, kind: str) -> list[tuple[dict[str, Any], Observed]]:
        """The requests of a kind tried so far: first the pack's worked examples (the
        author's own requests, those of other kinds asked as this kind too), then random
        ones."""
        pool = self.pools.get(kind)
        if pool is None:
            pool = self.pools[kind] = []
            rules = self.order.get(kind, ())
            self.relevant[kind] = self.space.relevant(rules)
            examples = sorted(self.space.pack.examples, key=lambda e: e.request.get("kind") != kind)
            for example in examples:
                choice = choice_of(self.space, example.request)
                if choice is not None:
                    self._observe(kind, choice)
            for _ in range(self.probes):
                self._observe(kind, self._random(kind))
        return pool

    def _observe(self, kind: str, choice: dict[str, Any]) -> Observed | None:
        """What the engine makes of a choice; a request the pack refuses is mended where
        it says (a field left out, or given another value) and tried again, twice."""
        for _ in range(3):
            seen = self.observer.observe(self.space.build(kind, choice), full=False)
            if seen is not None:
                self.pools[kind].append((choice, seen))
                return seen
            keys = [k for p in self.observer.refused for k in self._at(p.where)]
            if not keys:
                return None
            for key in keys:
                slot = self.space.slots[key]
                choice[key] = (
                    MISSING
                    if slot.optional and self.random.random() < 0.7
                    else self.random.choice(self.candidates[key])
                )
            _in_order(choice)
        return None

    def _at(self, where: str) -> list[str]:
        """The slots a refused request's field path names (a duplicate line: its sku)."""
        if where == "order.items":
            return [k for k in self.space.slots if k.endswith("].sku") and "[0]" not in k]
        return [k for k in self.space.slots if k == where or k.startswith(where + ".")]

    # ---------------------------------------------------------------- choices

    def _random(self, kind: str) -> dict[str, Any]:
        """A request of the kind: each value slot a random candidate (left out a third of
        the time when it may be), each optional object, word and second line rarely."""
        pick = self.random
        choice: dict[str, Any] = {}
        for key, values in self.candidates.items():
            slot = self.space.slots[key]
            if slot.kind != "value":
                choice[key] = pick.random() < 0.2
            elif slot.optional and pick.random() < 0.35:
                choice[key] = MISSING
            else:
                default = self.space.default_of(key)
                if default is not None and pick.random() < 0.6:
                    choice[key] = default
                else:
                    choice[key] = pick.choice(values)
        subjects = self.space.pack.vocabulary.kinds[kind].subjects
        subject = self.random.choice(subjects)
        choice["order"] = subject == "order"
        choice["subscription"] = subject == "subscription"
        _in_order(choice)
        return choice

    def _steps(
        self, kind: str, current: dict[str, Any], focus: Sequence[str]
    ) -> list[dict[str, Any]]:
        """The next requests to try from the current one: one or two slots moved, or
        (a third of the time) one slot through a dozen of its candidates, to take the
        best; mostly slots of ``focus``, sometimes any the kind's facts read."""
        keys = list(focus) if focus and self.random.random() < 0.8 else None
        keys = keys or self.relevant.get(kind) or list(self.candidates)
        if self.random.random() < 0.33:
            key = self.random.choice(keys)
            values = self.candidates[key]
            sample = self.random.sample(values, min(12, len(values)))
            out = []
            for value in sample:
                step = {**current, key: value}
                _in_order(step)
                out.append(step)
            return out
        step = dict(current)
        for _ in range(1 + (self.random.random() < 0.3)):
            key = self.random.choice(keys)
            step[key] = self._nearby(self.space.slots[key], step.get(key, MISSING))
        _in_order(step)
        return [step]

    def _nearby(self, slot: Slot, value: Any) -> Any:
        """Another value for a slot: a step from the current one, or any candidate."""
        values = self.candidates[slot.key]
        if value is MISSING or self.random.random() < 0.5:
            return self.random.choice(values)
        size = self.random.choice((1, 1, 2, 5, 10, 30))
        sign = self.random.choice((-1, 1))
        kind = slot.type.name
        if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            low = int(slot.minimum) if slot.minimum is not None else None
            high = int(slot.maximum) if slot.maximum is not None else None
            moved = value + sign * size
            if (low is not None and moved < low) or (high is not None and moved > high):
                return value
            return moved
        if kind in ("decimal", "money") and isinstance(value, Decimal):
            amount = value + sign * Decimal(size) / (100 if self.random.random() < 0.5 else 1)
            return amount if amount >= 0 else value
        if kind == "date" and isinstance(value, date):
            moved_day = value + timedelta(days=sign * size)
            return moved_day if FIRST_DAY <= moved_day <= LAST_DAY else value
        if kind == "datetime" and isinstance(value, datetime):
            unit = timedelta(hours=1) if self.random.random() < 0.3 else timedelta(days=1)
            moved_at = value + sign * size * unit
            return moved_at if moved_at <= self.space.clock or not _event(slot.key) else value
        if kind == "time" and isinstance(value, time):
            minutes = value.hour * 60 + value.minute + sign * size
            return time(minutes // 60, minutes % 60) if 0 <= minutes < 1440 else value
        return self.random.choice(values)

    # ---------------------------------------------------------------- how far

    def _distance(self, target: Target, seen: Observed) -> float:
        facts = seen.facts
        if target.what == "holds":
            assert target.rule is not None
            return _apart(target.rule.when, facts)[0]
        if target.what == "default":
            return sum(self._passes(r, self.default, seen) for r in self.order[target.kind])
        assert target.rule is not None
        far = self._decides(target.kind, target.rule, seen)
        if target.what == "overlap":
            assert target.other is not None
            far += _apart(target.other.when, facts)[0]
        elif target.what == "told" and facts.get(target.fact) is None:
            far += 1.0
        return far

    def _decides(self, kind: str, rule: Rule, seen: Observed) -> float:
        far = _apart(rule.when, seen.facts)[0]
        for other in self.order[kind]:
            if other.id == rule.id:
                break
            far += self._passes(other, rule.outcome, seen)
        return far

    def _passes(self, rule: Rule, outcome: Outcome, seen: Observed) -> float:
        truth = seen.truth.get(rule.id)
        if truth is False or (truth is None and rule.outcome == outcome):
            return 0.0
        return _apart(rule.when, seen.facts)[1]


# --------------------------------------------------------------------------- distances


def _apart(cond: Condition, facts: Mapping[str, Any]) -> tuple[float, float]:
    """How far the facts are from making the condition hold, and from making it fail."""
    if isinstance(cond, Compare):
        return _compare_apart(cond, facts)
    if isinstance(cond, Not):
        holds, fails = _apart(cond.item, facts)
        return fails, holds
    parts = [_apart(item, facts) for item in cond.items]
    if isinstance(cond, All):
        return sum(p[0] for p in parts), min(p[1] for p in parts)
    assert isinstance(cond, Any_)
    return min(p[0] for p in parts), sum(p[1] for p in parts)


def _compare_apart(cond: Compare, facts: Mapping[str, Any]) -> tuple[float, float]:
    truth = evaluate_condition(cond, facts)
    if truth is None:
        return 1.0, 1.0
    actual = facts.get(cond.fact)
    wanted = facts.get(cond.value.fact) if isinstance(cond.value, Ref) else cond.value
    gap = _gap(actual, wanted)
    off = 1.0 if gap is None else gap / (gap + 1.0) + 0.01
    return (0.0, off) if truth else (off, 0.0)


def _gap(a: Any, b: Any) -> float | None:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return None
    return abs(x - y)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp() / 86400
    if isinstance(value, date):
        return float(value.toordinal())
    if isinstance(value, time):
        return (value.hour * 60 + value.minute) / 60
    return None


# --------------------------------------------------------------------------- candidates


def _event(key: str) -> bool:
    return any(key == f"{parent}.{name}" for parent, name in EVENTS)


def _in_order(choice: dict[str, Any]) -> None:
    """Put an order's moments in order (placed, shipped, delivered), as any order has:
    each is moved back to the one after it when it is later (the last one chosen stays)."""
    later: datetime | None = None
    for key in ("order.delivered_at", "order.shipped_at", "order.placed_at"):
        moment = choice.get(key)
        if isinstance(moment, datetime):
            if later is not None and moment > later:
                choice[key] = moment = later
            later = moment


def _numbers(space: Space) -> tuple[list[int], list[Decimal], list[date], list[time]]:
    """The integers, decimals, dates and clock times the pack names."""
    ints: set[int] = {0, 1, 7}
    decimals: set[Decimal] = set()
    dates: set[date] = set()
    times: set[time] = set()

    def add(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            ints.add(value)
        elif isinstance(value, Decimal):
            decimals.add(value)
        elif isinstance(value, datetime):
            dates.add(value.date())
        elif isinstance(value, date):
            dates.add(value)
        elif isinstance(value, time):
            times.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        elif isinstance(value, Mapping):
            for item in value.values():
                add(item)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                add(getattr(value, name))

    pack = space.pack
    for rule in pack.rules:
        stack: list[Condition] = [rule.when]
        while stack:
            cond = stack.pop()
            if isinstance(cond, Compare):
                add(cond.value)
            elif isinstance(cond, Not):
                stack.append(cond.item)
            else:
                stack.extend(cond.items)
    for setting in pack.settings.values():
        add(setting.value)
    return (
        sorted(i for i in ints if abs(i) <= 100_000),
        sorted(decimals),
        sorted(dates),
        sorted(times),
    )


def _candidates(
    space: Space, slot: Slot, numbers: tuple[list[int], list[Decimal], list[date], list[time]]
) -> list[Any]:
    ints, decimals, dates, times = numbers
    kind = slot.type.name
    out: list[Any]
    if slot.kind != "value":
        return [True, False]
    if slot.domain:
        out = list(slot.domain)
    elif kind == "integer":
        low = int(slot.minimum) if slot.minimum is not None else None
        high = int(slot.maximum) if slot.maximum is not None else None
        near = {v + d for v in ints for d in (-1, 0, 1)} | {low or 0, high or 0}
        out = sorted(v for v in near if (low is None or v >= low) and (high is None or v <= high))
    elif kind in ("decimal", "money"):
        cent = Decimal("0.01")
        amounts = {v + d for v in decimals for d in (-cent, Decimal(0), cent)}
        amounts |= {Decimal(v) for v in ints if v >= 0} | {Decimal(0), Decimal(10), Decimal(100)}
        out = sorted(v.quantize(cent) for v in amounts if v >= 0)
    elif kind in ("date", "datetime"):
        offsets = sorted({d + s for d in ints if 0 <= d <= 1000 for s in (-1, 0, 1)})
        event = _event(slot.key)
        signs = (-1,) if event else (-1, 1)
        days = {space.today + timedelta(days=sign * d) for d in offsets for sign in signs}
        days |= {d + timedelta(days=s) for d in dates for s in (-1, 0, 1)}
        days = {d for d in days if FIRST_DAY <= d <= LAST_DAY}
        if event:
            days = {d for d in days if d <= space.today}
        if kind == "date":
            out = sorted(days)
        else:
            clock = space.clock
            moments = {datetime.combine(d, clock.time(), tzinfo=space.zone) for d in days}
            moments |= {clock - timedelta(hours=h) for h in ints if 0 < h <= 200}
            out = sorted(m for m in moments if not event or m <= clock)
    elif kind == "time":
        base = {time(0, 0), time(9, 0), time(12, 0), time(23, 59)}
        for named in times:
            minutes = named.hour * 60 + named.minute
            for d in (-1, 0, 1):
                if 0 <= minutes + d < 1440:
                    base.add(time((minutes + d) // 60, (minutes + d) % 60))
        out = sorted(base)
    else:
        out = [space.filler(space.words)]
    if slot.optional:
        out.append(MISSING)
    return out
