"""Lint with a real solver: proofs that no request reaches a rule, and requests that do.

Each target (``_targets.Target``) becomes one formula over the pack's modelled requests
(``_encode``). Proofs are asked with everything not modelled left free, so *unsat* means
no request at all meets the target; the rules the proof needed (an unsat core) say why.
Requests are asked with the model made exact (no unmodelled order lines) and preferring
requests that say everything the kind's rules test; each proposed request is checked by
the engine, and one the engine disagrees with is ruled out before the next is asked for.

An offer's change is the formula of "granted" (some granting rule decides, or a granting
default) with the changed slots put in as constants (``z3.substitute``): the kind, a
value a request path is set to, or every line selected. A change to anything else is not
modelled, and no proof about it is attempted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import z3  # type: ignore[import-untyped,import-not-found,unused-ignore]

from policylib.authoring._encode import Encoder
from policylib.authoring._space import ITEMS, MISSING, Choice, Slot, Space
from policylib.authoring._targets import Avoid, Span, Target, Tri, tests_of
from policylib.authoring._terms import Z3, minute_of
from policylib.lang.nodes import GRANTING, All, Compare, Outcome, Pack, Rule
from policylib.request.scalars import END_OF_DAY

__all__ = ["OPEN", "Proof", "Prover"]

OPEN: Any = type("Open", (), {"__repr__": lambda self: "OPEN"})()
"""What ``Prover.evaluate`` says of a fact its formulas leave free."""


@dataclass(frozen=True, slots=True)
class Proof:
    """No request meets the target. ``because`` are the rules the proof rests on (for a
    rule that never decides: the rules ahead that take every request it holds for);
    ``parts`` the indexes of the rule's own tests that cannot hold together."""

    because: tuple[Rule, ...] = ()
    parts: tuple[int, ...] = ()


_ORDERED = frozenset({"integer", "decimal", "money", "date", "datetime", "time"})


def _shift(value: Any, steps: int, kind: str) -> Any:
    """A value that many of its smallest steps away (a cent, a day, a minute); None
    past what the type holds."""
    try:
        if kind == "integer":
            return value + steps
        if kind in ("decimal", "money"):
            return value + Decimal(steps) / 100
        if kind == "date":
            return value + timedelta(days=steps)
        if kind == "datetime":
            return value + timedelta(minutes=steps)
        if kind == "time":
            minutes = value.hour * 60 + value.minute + steps
            return time(minutes // 60, minutes % 60) if 0 <= minutes < 1440 else None
    except (OverflowError, ValueError):
        return None
    return None  # pragma: no cover - only ordered kinds are widened


def _clock(minutes: int) -> time:
    return END_OF_DAY if minutes >= 1440 else time(minutes // 60, minutes % 60)


def _literal(z: Z3, value: Any) -> Any:
    if isinstance(value, bool):
        return z.BoolVal(value)
    if isinstance(value, int):
        return z.IntVal(value)
    return z.StringVal(str(value))


class Prover:
    """The solver side of lint for one pack (see the module docstring).

    Args:
        pack: the loaded pack.
        space: its modelled requests.
        order: the rules of each kind in precedence order.
        timeout_ms: the most one question to the solver may take.
    """

    def __init__(
        self,
        pack: Pack,
        space: Space,
        order: dict[str, tuple[Rule, ...]],
        timeout_ms: int = 10_000,
    ) -> None:
        self.pack = pack
        self.space = space
        self.order = order
        self.timeout_ms = timeout_ms
        self.encoder = Encoder(pack, space)
        self.z = self.encoder.z
        self.questions = 0
        self.proves = True

    # ---------------------------------------------------------------- formulas

    def _kind(self, kind: str) -> Any:
        return self.encoder.kind == self.z.StringVal(kind)

    def _passes(self, rule: Rule, outcome: Outcome) -> Any:
        """The rule lets a later rule (or the default) with ``outcome`` decide: it fails,
        or it is unknown and would decide the same."""
        holds, fails = self.encoder.condition(rule.when)
        if rule.outcome == outcome:
            return self.z.Not(holds)
        return fails

    def _ahead(self, kind: str, rule: Rule) -> list[Rule]:
        ranked = self.order.get(kind, ())
        ahead: list[Rule] = []
        for other in ranked:
            if other.id == rule.id:
                break
            ahead.append(other)
        return ahead

    def formula(self, target: Target) -> Any:
        """The target as one formula (the kind included)."""
        parts = [self._kind(target.kind)]
        if target.what == "holds":
            assert target.rule is not None
            parts.append(self.encoder.condition(target.rule.when)[0])
        elif target.what == "decides":
            assert target.rule is not None
            parts.append(self._decides(target.kind, target.rule))
        elif target.what == "default":
            default = self.pack.default_outcome
            parts.extend(self._passes(r, default) for r in self.order.get(target.kind, ()))
        elif target.what == "overlap":
            assert target.rule is not None and target.other is not None
            parts.append(self._decides(target.kind, target.rule))
            parts.append(self.encoder.condition(target.other.when)[0])
        else:
            assert target.rule is not None
            parts.append(self._decides(target.kind, target.rule))
            if target.what == "told":
                parts.append(self.encoder.fact(target.fact).known)
            else:
                granted = self.granted_after(target.kind, target.change)
                if granted is not None:  # a change not modelled: any request it decides
                    parts.append(granted)
        return self.z.And(parts)

    def granted_after(self, kind: str, change: Sequence[tuple[str, object]]) -> Any | None:
        """That the request, with the change made, is granted (line 0, or the whole
        request, decided by a granting rule or a granting default); None when the change
        touches something the formulas do not model."""
        pairs: list[tuple[Any, Any]] = []
        decided = kind
        for path, value in change:
            if path == "kind":
                if not isinstance(value, str) or value not in self.order:
                    return None
                decided = value
                pairs.append((self.encoder.kind, self.z.StringVal(value)))
            elif path == "items" and value is None:
                pairs.extend(
                    (self.encoder.vars[f"items[{i}]"][1], self.z.BoolVal(True))
                    for i in range(1, ITEMS)
                )
            else:
                found = self._set(path, value)
                if found is None:
                    return None
                pairs.extend(found)
        ranked = self.order.get(decided, ())
        granting = [self._decides(decided, r) for r in ranked if r.outcome in GRANTING]
        if self.pack.default_outcome in GRANTING:
            default = self.pack.default_outcome
            granting.append(self.z.And([self._passes(r, default) for r in ranked]))
        formula = self.z.Or(granting) if granting else self.z.BoolVal(False)
        return z3.substitute(formula, *pairs) if pairs else formula

    def _set(self, path: str, value: object) -> list[tuple[Any, Any]] | None:
        """The substitutions that set one value slot (None: not a slot, or a value it
        cannot take)."""
        slot = self.space.slots.get(path)
        if slot is None or slot.kind != "value":
            return None
        known, var = self.encoder.vars[path]
        if value is None:
            return [(known, self.z.BoolVal(False))] if slot.optional else None
        if slot.domain and value not in slot.domain:
            return None
        try:
            constant = self._z3(slot, value)
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return None
        out = [(var, constant)]
        if slot.optional:  # a required field's "known" is a constant, not a variable
            out.append((known, self.z.BoolVal(True)))
        return out

    def _decides(self, kind: str, rule: Rule) -> Any:
        holds = self.encoder.condition(rule.when)[0]
        ahead = [self._passes(r, rule.outcome) for r in self._ahead(kind, rule)]
        return self.z.And([holds, *ahead])

    def _solver(self) -> Any:
        solver = self.z.Solver()
        solver.set("timeout", self.timeout_ms)
        solver.add(self.encoder.valid)
        return solver

    def _check(self, solver: Any, *assumptions: Any) -> Any:
        self.questions += 1
        return solver.check(*assumptions)

    # ---------------------------------------------------------------- proofs

    def prove(self, target: Target) -> Proof | None:
        """A proof that no request meets the target, or None (one may; or the solver
        could not tell in time)."""
        if target.what == "decides":
            assert target.rule is not None
            return self._prove_decides(target.kind, target.rule)
        if target.what == "holds":
            assert target.rule is not None
            return self._prove_holds(target.kind, target.rule)
        if target.what == "offer" and self.granted_after(target.kind, target.change) is None:
            return None  # the change is not modelled: nothing to prove
        solver = self._solver()
        solver.add(self.formula(target))
        return Proof() if self._check(solver) == z3.unsat else None

    def _prove_holds(self, kind: str, rule: Rule) -> Proof | None:
        solver = self._solver()
        solver.add(self._kind(kind))
        items = rule.when.items if isinstance(rule.when, All) else (rule.when,)
        marks = []
        for index, item in enumerate(items):
            mark = self.z.Bool(f"part!{index}")
            solver.add(self.z.Implies(mark, self.encoder.condition(item)[0]))
            marks.append(mark)
        if self._check(solver, *marks) != z3.unsat:
            return None
        core = {str(m) for m in solver.unsat_core()}
        return Proof(parts=tuple(i for i, m in enumerate(marks) if str(m) in core))

    def _prove_decides(self, kind: str, rule: Rule) -> Proof | None:
        solver = self._solver()
        solver.add(self._kind(kind))
        solver.add(self.encoder.condition(rule.when)[0])
        ahead = self._ahead(kind, rule)
        marks = []
        for index, other in enumerate(ahead):
            mark = self.z.Bool(f"ahead!{index}")
            solver.add(self.z.Implies(mark, self._passes(other, rule.outcome)))
            marks.append(mark)
        if self._check(solver, *marks) != z3.unsat:
            return None
        core = {str(m) for m in solver.unsat_core()}
        return Proof(because=tuple(r for r, m in zip(ahead, marks, strict=True) if str(m) in core))

    # ---------------------------------------------------------------- requests

    def requests(self, target: Target, avoid: Sequence[Avoid]) -> Iterator[dict[str, Any]]:
        """Choices of slot values that meet the target in the exact model, preferring
        ones where every rule of the kind is known and none in a region of ``avoid``;
        each next one differs from the last in a slot the kind's facts read. Among
        those, the plainest request wins: optional fields left out, words the pack
        does not test, recent dates, everyday prices (not for ``offer`` and ``told``
        targets: any witness will do)."""
        ranked = self.order.get(target.kind, ())
        relevant = self.space.relevant(ranked)
        # a witness that an offer is made or a fact known is checked, never shown: any
        # request will do, and preferring plain ones can cost the optimizer its time
        witness = target.what in ("offer", "told")
        solver = self._solver() if witness else self._optimizer()
        solver.add(self.z.Not(self.encoder.extra), self.formula(target))
        tests = tests_of(ranked)
        for seen in avoid:
            if isinstance(seen, tuple):
                solver.add(
                    self.z.Or([self._differs(c, v) for c, v in zip(tests, seen, strict=True)])
                )
            else:
                solver.add(self.z.Not(self.z.And([self._is(n, v) for n, v in seen.items()])))
        everything = [self.z.Or(*self.encoder.condition(r.when)) for r in ranked]
        tiers = [self.z.And(everything)] if everything and not witness else []
        while True:
            result = self._check(solver, *tiers) if tiers else self._check(solver)
            if result != z3.sat:
                if tiers and result == z3.unsat:
                    tiers = []  # no such request says everything: take one that does not
                    continue
                return
            model = solver.model()
            yield self.choice(model)
            solver.add(self._other_than(model, relevant))

    def _optimizer(self) -> Any:
        solver = self.z.Optimize()
        solver.set("timeout", self.timeout_ms)
        solver.add(self.encoder.valid)
        space = self.space
        clock = space.minute_number(space.clock)
        today = space.day_number(space.today)
        for key, slot in space.slots.items():
            known, value = self.encoder.vars[key]
            kind = slot.type.name
            if slot.kind != "value":
                solver.add_soft(self.z.Not(value))
                continue
            if slot.optional:
                solver.add_soft(self.z.Not(known))
            default = space.default_of(key)
            if default is not None and kind in ("boolean", "enum", "text", "integer"):
                solver.add_soft(value == _literal(self.z, default))
            if kind == "text":
                solver.add_soft(value == self.z.StringVal(slot.domain[-1]))
            elif kind == "money":
                solver.add_soft(self.z.And(value >= 2000, value <= 50000))
            elif kind == "datetime":
                solver.add_soft(self.z.And(value >= clock - 90 * 1440, value <= clock + 90 * 1440))
            elif kind == "date":
                solver.add_soft(self.z.And(value >= today - 90, value <= today + 90))
        return solver

    def generalize(self, target: Target, facts: Mapping[str, Any]) -> dict[str, Any] | None:
        """The fewest of these facts (at their values here) that alone bring every request
        to the target, each number widened to the widest range that still does; None
        when the solver cannot show it even for all of them. Numbers are let go of first,
        then words, then yes/no facts."""
        kept: dict[str, Any] = dict(facts)
        solver = self._solver()
        solver.add(self._kind(target.kind), self.z.Not(self.formula(target)))

        def forced(values: Mapping[str, Any]) -> bool:
            result = self._check(solver, *[self._is(n, v) for n, v in values.items()])
            return bool(result == z3.unsat)

        if not forced(kept):
            return None
        for name in sorted(facts, key=self._weight):
            trial = {n: v for n, v in kept.items() if n != name}
            if forced(trial):
                kept = trial
        for name, value in list(kept.items()):
            if value is None or self._weight(name) > 0:
                continue
            others = {n: v for n, v in kept.items() if n != name}
            low = self._reach(forced, others, name, value, -1)
            high = self._reach(forced, others, name, value, 1)
            kept[name] = Span(low, high)
        return kept

    def _weight(self, name: str) -> int:
        kind = self.pack.facts[name].type.name
        if kind in _ORDERED:
            return 0
        return 1 if kind == "text" else 2

    def _reach(
        self,
        forced: Callable[[Mapping[str, Any]], bool],
        others: Mapping[str, Any],
        name: str,
        value: Any,
        direction: int,
    ) -> Any:
        """How far from ``value`` the fact may go (one way) with the target still forced;
        None when it may go as far as it likes."""
        kind = self.pack.facts[name].type.name

        def span(steps: int | None) -> Span | None:
            end = None if steps is None else _shift(value, direction * steps, kind)
            if steps is not None and end is None:
                return None
            return Span(value, end) if direction > 0 else Span(end, value)

        def ok(steps: int | None) -> bool:
            wanted = span(steps)
            return wanted is not None and forced({**others, name: wanted})

        if ok(None):
            return None
        good, bad = 0, 1
        while bad <= 1 << 22 and ok(bad):
            good, bad = bad, bad * 2
        while bad - good > 1:
            middle = (good + bad) // 2
            good, bad = (middle, bad) if ok(middle) else (good, middle)
        return _shift(value, direction * good, kind)

    def _is(self, name: str, value: Any) -> Any:
        """The fact has this value (None: it is unknown; a Span: it lies in it)."""
        sym = self.encoder.fact(name)
        if value is None:
            return self.z.Not(sym.known)
        type_ = self.pack.facts[name].type
        if isinstance(value, Span):
            parts = [sym.known]
            for end, low in ((value.low, True), (value.high, False)):
                if end is not None:
                    x, y = self.encoder.numbers(sym, self.encoder.constant(type_, end))
                    parts.append(x >= y if low else x <= y)
            return self.z.And(parts)
        x, y = self.encoder.numbers(sym, self.encoder.constant(type_, value))
        return self.z.And(sym.known, x == y)

    def _differs(self, test: Compare, seen: Tri) -> Any:
        holds, fails = self.encoder.condition(test)
        if seen is True:
            return self.z.Not(holds)
        if seen is False:
            return self.z.Not(fails)
        return self.z.Or(holds, fails)

    def _other_than(self, model: Any, relevant: Sequence[str]) -> Any:
        differ = []
        for key in relevant:
            known, value = self.encoder.vars[key]
            differ.append(model.eval(known, model_completion=True) != known)
            differ.append(self.z.And(known, model.eval(value, model_completion=True) != value))
        return self.z.Or(differ) if differ else self.z.BoolVal(False)

    def evaluate(self, kind: str, choice: Choice, names: Sequence[str]) -> dict[str, Any]:
        """What the formulas say these facts are for one choice of slot values: a value,
        None (unknown), or ``OPEN`` where the formula leaves it free (not modelled).
        For tests: the formulas must agree with the engine wherever they say."""
        pairs = self._substitution(kind, choice)
        out: dict[str, Any] = {}
        for name in names:
            sym = self.encoder.fact(name)
            known = z3.simplify(z3.substitute(sym.known, *pairs))
            if not (z3.is_true(known) or z3.is_false(known)):
                out[name] = OPEN
                continue
            if z3.is_false(known):
                out[name] = None
                continue
            value = z3.simplify(z3.substitute(sym.value, *pairs))
            out[name] = self._value(self.pack.facts[name].type.name, value)
        return out

    def valid_for(self, kind: str, choice: Choice) -> bool | None:
        """Whether the formulas take a choice for a valid request (None: they cannot say)."""
        pairs = self._substitution(kind, choice)
        verdict = z3.simplify(z3.substitute(self.z.And(self.encoder.valid), *pairs))
        return True if z3.is_true(verdict) else False if z3.is_false(verdict) else None

    def _substitution(self, kind: str, choice: Choice) -> list[tuple[Any, Any]]:
        """The slot variables bound to one choice of values, for ``z3.substitute``."""
        pairs = [(self.encoder.kind, self.z.StringVal(kind))]
        for key, slot in self.space.slots.items():
            known, value = self.encoder.vars[key]
            given = choice.get(key, MISSING)
            if slot.kind != "value":
                pairs.append((value, self.z.BoolVal(given is True)))
                continue
            if slot.optional:
                pairs.append((known, self.z.BoolVal(given is not MISSING)))
            if given is not MISSING:
                pairs.append((value, self._z3(slot, given)))
        pairs.append((self.encoder.extra, self.z.BoolVal(False)))
        return pairs

    def _z3(self, slot: Slot, value: Any) -> Any:
        kind = slot.type.name
        if kind == "boolean":
            return self.z.BoolVal(bool(value))
        if kind in ("text", "enum"):
            return self.z.StringVal(value)
        if kind in ("decimal", "money"):
            return self.z.IntVal(int(Decimal(value) * 100))
        if kind == "date":
            return self.z.IntVal(self.space.day_number(value))
        if kind == "datetime":
            return self.z.IntVal(self.space.minute_number(value))
        if kind == "time":
            return self.z.IntVal(minute_of(value))
        return self.z.IntVal(int(value))

    def _value(self, kind: str, value: Any) -> Any:
        if z3.is_true(value) or z3.is_false(value):
            return z3.is_true(value)
        if z3.is_string_value(value):
            return value.as_string()
        if z3.is_int_value(value):
            number = value.as_long()
            if kind == "date":
                return self.space.day_of(number)
            if kind == "datetime":
                return self.space.moment_of(number)
            if kind == "time":
                return _clock(number)
            return number
        if z3.is_rational_value(value):
            return Decimal(value.numerator_as_long()) / Decimal(value.denominator_as_long())
        return OPEN

    def choice(self, model: Any) -> dict[str, Any]:
        """The slot values of a model, as Python values."""
        out: dict[str, Any] = {}
        for key, slot in self.space.slots.items():
            known, value = self.encoder.vars[key]
            if slot.kind != "value":
                out[key] = z3.is_true(model.eval(value, model_completion=True))
                continue
            if not z3.is_true(model.eval(known, model_completion=True)):
                out[key] = MISSING
                continue
            out[key] = self._python(slot, model.eval(value, model_completion=True))
        return out

    def _python(self, slot: Slot, value: Any) -> Any:
        kind = slot.type.name
        if kind == "boolean":
            return z3.is_true(value)
        if kind in ("text", "enum"):
            return value.as_string()
        number = value.as_long()
        if kind == "integer":
            return number
        if kind in ("decimal", "money"):
            return (Decimal(number) / 100).quantize(Decimal("0.01"))
        if kind == "date":
            return self.space.day_of(number)
        if kind == "datetime":
            return self.space.moment_of(number)
        if kind == "time":
            return _clock(number)
        return MISSING  # pragma: no cover - every slot type is above
