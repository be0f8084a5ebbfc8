"""The core engine: a compiled, indexed, three-valued evaluator that can trace every condition.

Compilation (once per pack):

* rules are grouped by request kind and sorted by precedence: priority (high first), then
  specificity (more comparisons first), then load order;
* within a kind, the equality fact that most rules test at top level (``product_line:
  outdoor``) becomes an index: for each of its values the candidate list is precomputed,
  so a request only visits the rules that can possibly hold for it;
* each condition becomes a small closure; a flat ``all`` of comparisons (the common case) is
  kept as a tuple and tested inline.

Evaluation is three-valued: a fact missing from the facts mapping (or ``None``) makes its
comparison *unknown*. The first rule that holds decides, unless a rule earlier in
precedence order is unknown and has a different outcome: then the verdict is
``needs_info`` and names the missing facts, most decisive first.

``Engine.decide`` is the fast path (no trace, no allocation on the common path).
``Engine.trace`` evaluates every condition of every candidate rule (no short-circuit) and
records required vs actual values; both share one decision procedure, so they never
disagree.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from policylib.engine.protocol import Verdict, settle
from policylib.lang.nodes import (
    All,
    Compare,
    Condition,
    Not,
    Pack,
    Ref,
    Rule,
    comparisons,
    facts_read,
    precedence,
)
from policylib.output.decision import ConditionTrace, RuleTrace

__all__ = ["CoreEngine", "evaluate_condition"]

Tri = bool | None
"""Three-valued truth: True, False or None (unknown)."""

_ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda actual, allowed: actual in allowed,
    "not_in": lambda actual, allowed: actual not in allowed,
}


def _tester(name: str, op: str, const: Any) -> Callable[[Mapping[str, Any]], Tri]:
    """One comparison with a constant as a closure that tests inline (no call to an
    operator function: these run for every rule tried on every request)."""
    if op == "eq":

        def eq(facts: Mapping[str, Any]) -> Tri:
            actual = facts.get(name)
            return None if actual is None else actual == const

        return eq
    if op == "in":

        def in_(facts: Mapping[str, Any]) -> Tri:
            actual = facts.get(name)
            return None if actual is None else actual in const

        return in_
    if op == "not_in":

        def not_in(facts: Mapping[str, Any]) -> Tri:
            actual = facts.get(name)
            return None if actual is None else actual not in const

        return not_in
    fn = _ORDERED[op]

    def compare(facts: Mapping[str, Any]) -> Tri:
        actual = facts.get(name)
        if actual is None:
            return None
        return bool(fn(actual, const))

    return compare


# --------------------------------------------------------------------------- conditions


def _freeze(op: str, value: Any) -> Any:
    if op in ("in", "not_in"):
        return frozenset(value)
    return value


def evaluate_condition(cond: Condition, facts: Mapping[str, Any]) -> Tri:
    """Kleene evaluation of a condition tree (reference semantics, used by backends)."""
    if isinstance(cond, Compare):
        actual = facts.get(cond.fact)
        if actual is None:
            return None
        required = facts.get(cond.value.fact) if isinstance(cond.value, Ref) else cond.value
        if required is None:
            return None
        return bool(_ORDERED[cond.op](actual, _freeze(cond.op, required)))
    if isinstance(cond, Not):
        inner = evaluate_condition(cond.item, facts)
        return None if inner is None else not inner
    results = [evaluate_condition(item, facts) for item in cond.items]
    if isinstance(cond, All):
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def _compile(cond: Condition) -> Callable[[Mapping[str, Any]], Tri]:
    if isinstance(cond, Compare) and isinstance(cond.value, Ref):
        name, fn, other = cond.fact, _ORDERED[cond.op], cond.value.fact

        def against(facts: Mapping[str, Any]) -> Tri:
            actual, required = facts.get(name), facts.get(other)
            if actual is None or required is None:
                return None
            return bool(fn(actual, required))

        return against
    if isinstance(cond, Compare):
        return _tester(cond.fact, cond.op, _freeze(cond.op, cond.value))
    if isinstance(cond, Not):
        inner = _compile(cond.item)

        def negate(facts: Mapping[str, Any]) -> Tri:
            result = inner(facts)
            return None if result is None else not result

        return negate
    parts = tuple(_compile(item) for item in cond.items)
    if isinstance(cond, All):

        def all_(facts: Mapping[str, Any]) -> Tri:
            unknown = False
            for part in parts:
                result = part(facts)
                if result is False:
                    return False
                if result is None:
                    unknown = True
            return None if unknown else True

        return all_

    def any_(facts: Mapping[str, Any]) -> Tri:
        unknown = False
        for part in parts:
            result = part(facts)
            if result is True:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    return any_


def _flat(cond: Condition) -> tuple[tuple[str, Callable[[Any, Any], bool], Any], ...] | None:
    """A flat conjunction of comparisons as (fact, fn, constant) triples, else None."""
    items: Sequence[Condition]
    if isinstance(cond, Compare):
        items = (cond,)
    elif isinstance(cond, All) and all(isinstance(c, Compare) for c in cond.items):
        items = cond.items
    else:
        return None
    if any(isinstance(c, Compare) and isinstance(c.value, Ref) for c in items):
        return None  # a comparison with another fact takes the general path
    return tuple(
        (c.fact, _ORDERED[c.op], _freeze(c.op, c.value)) for c in items if isinstance(c, Compare)
    )


Tracer = Callable[[Mapping[str, Any], list[ConditionTrace]], Tri]


def _compile_tracer(cond: Condition, labels: Mapping[str, str]) -> Tracer:
    """A closure that evaluates without short-circuit, recording every comparison.

    Compiled once per rule (constants frozen, labels looked up), like ``_compile``.
    """
    if isinstance(cond, Compare) and isinstance(cond.value, Ref):
        name, op, other = cond.fact, cond.op, cond.value.fact
        label, fn = labels.get(name, name), _ORDERED[op]

        def against(facts: Mapping[str, Any], out: list[ConditionTrace]) -> Tri:
            actual, required = facts.get(name), facts.get(other)
            if actual is None or required is None:
                out.append(ConditionTrace(name, label, op, required, actual, "unknown"))
                return None
            held = bool(fn(actual, required))
            out.append(ConditionTrace(name, label, op, required, actual, _STATUS[held]))
            return held

        return against
    if isinstance(cond, Compare):
        name, op, value = cond.fact, cond.op, cond.value
        label, fn, const = labels.get(name, name), _ORDERED[op], _freeze(op, value)

        def compare(facts: Mapping[str, Any], out: list[ConditionTrace]) -> Tri:
            actual = facts.get(name)
            if actual is None:
                out.append(ConditionTrace(name, label, op, value, None, "unknown"))
                return None
            if fn(actual, const):
                out.append(ConditionTrace(name, label, op, value, actual, "held"))
                return True
            out.append(ConditionTrace(name, label, op, value, actual, "failed"))
            return False

        return compare
    if isinstance(cond, Not):
        inner = _compile_tracer(cond.item, labels)

        def negate(facts: Mapping[str, Any], out: list[ConditionTrace]) -> Tri:
            result = inner(facts, out)
            return None if result is None else not result

        return negate
    parts = tuple(_compile_tracer(item, labels) for item in cond.items)
    if isinstance(cond, All):

        def all_(facts: Mapping[str, Any], out: list[ConditionTrace]) -> Tri:
            results = [part(facts, out) for part in parts]
            if False in results:
                return False
            return None if None in results else True

        return all_

    def any_(facts: Mapping[str, Any], out: list[ConditionTrace]) -> Tri:
        results = [part(facts, out) for part in parts]
        if True in results:
            return True
        return None if None in results else False

    return any_


_FlatTrace = tuple[tuple[str, str, str, Any, Callable[[Any, Any], bool], Any], ...]
"""Per comparison of a flat rule: fact, label, op, required value, test, frozen constant."""


def _trace_flat(
    compares: _FlatTrace, facts: Mapping[str, Any]
) -> tuple[Literal["held", "failed", "unknown"], list[ConditionTrace]]:
    """``_trace`` for a flat conjunction, without recursion (the common case)."""
    get = facts.get
    out = []
    failed = unknown = False
    for name, label, op, value, fn, const in compares:
        actual = get(name)
        if actual is None:
            out.append(ConditionTrace(name, label, op, value, None, "unknown"))
            unknown = True
        elif fn(actual, const):
            out.append(ConditionTrace(name, label, op, value, actual, "held"))
        else:
            out.append(ConditionTrace(name, label, op, value, actual, "failed"))
            failed = True
    return ("failed" if failed else "unknown" if unknown else "held"), out


_STATUS: dict[Tri, Literal["held", "failed", "unknown"]] = {
    True: "held",
    False: "failed",
    None: "unknown",
}


# --------------------------------------------------------------------------- compiled rules


class _Compiled:
    __slots__ = (
        "facts",
        "flat",
        "flat_trace",
        "outcome",
        "rank",
        "rule",
        "test",
        "tracer",
        "verdict",
    )

    def __init__(self, rule: Rule, rank: int, labels: Mapping[str, str]) -> None:
        self.rule = rule
        self.rank = rank
        self.outcome = rule.outcome
        self.flat = _flat(rule.when)
        self.flat_trace = (
            None
            if self.flat is None
            else tuple(
                (
                    c.fact,
                    labels.get(c.fact, c.fact),
                    c.op,
                    c.value,
                    _ORDERED[c.op],
                    _freeze(c.op, c.value),
                )
                for c in comparisons(rule.when)
            )
        )
        self.test = _compile(rule.when)
        self.tracer = None if self.flat is not None else _compile_tracer(rule.when, labels)
        self.facts = facts_read(rule.when)
        self.verdict = Verdict(rule.outcome, rule)


def _index_fact(rules: Sequence[Rule]) -> str | None:
    """The equality fact that best splits a kind's rules, or None when none is worth it."""
    counts: Counter[str] = Counter()
    values: dict[str, set[Any]] = {}
    for rule in rules:
        for c in _top_equalities(rule.when):
            counts[c.fact] += 1
            values.setdefault(c.fact, set()).add(c.value)
    best = [(n, fact) for fact, n in counts.items() if n >= 2 and len(values[fact]) >= 2]
    if not best:
        return None
    return max(best)[1]


def _top_equalities(cond: Condition) -> list[Compare]:
    """The comparisons with a constant by ``eq`` at the top of a condition."""
    if isinstance(cond, Compare):
        items: Sequence[Condition] = (cond,)
    elif isinstance(cond, All):
        items = cond.items
    else:
        return []
    return [
        c for c in items if isinstance(c, Compare) and c.op == "eq" and not isinstance(c.value, Ref)
    ]


class _KindTable:
    """The compiled rules of one request kind, with an optional equality index."""

    __slots__ = ("all", "by_value", "index_fact", "wildcard")

    def __init__(self, rules: Sequence[Rule], labels: Mapping[str, str]) -> None:
        ordered = sorted(rules, key=precedence)
        compiled = [_Compiled(rule, rank, labels) for rank, rule in enumerate(ordered)]
        self.all: tuple[_Compiled, ...] = tuple(compiled)
        self.index_fact = _index_fact(ordered)
        self.by_value: dict[Any, tuple[_Compiled, ...]] = {}
        self.wildcard: tuple[_Compiled, ...] = self.all
        if self.index_fact is None:
            return
        buckets: dict[Any, list[_Compiled]] = {}
        wildcard: list[_Compiled] = []
        for item in compiled:
            keyed = [c for c in _top_equalities(item.rule.when) if c.fact == self.index_fact]
            if keyed:
                buckets.setdefault(keyed[0].value, []).append(item)
            else:
                wildcard.append(item)
        self.wildcard = tuple(wildcard)
        for value, bucket in buckets.items():
            self.by_value[value] = tuple(sorted(bucket + wildcard, key=lambda c: c.rank))

    def candidates(self, facts: Mapping[str, Any]) -> tuple[_Compiled, ...]:
        if self.index_fact is None:
            return self.all
        value = facts.get(self.index_fact)
        if value is None:
            return self.all
        try:
            return self.by_value.get(value, self.wildcard)
        except TypeError:  # unhashable value: no index, visit everything
            return self.all


_EMPTY = _KindTable((), {})


class CoreEngine:
    """A pack compiled for evaluation. Immutable after construction; safe across threads."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.default_outcome = pack.default_outcome
        self._default = Verdict(pack.default_outcome, None)
        by_kind: dict[str, list[Rule]] = {}
        for rule in pack.rules:
            for kind in rule.kinds:
                by_kind.setdefault(kind, []).append(rule)
        self.labels = {name: fact.label for name, fact in pack.facts.items()}
        self._tables = {kind: _KindTable(rules, self.labels) for kind, rules in by_kind.items()}

    def facts_for(self, kind: str) -> tuple[str, ...]:
        """Every fact any rule of this kind reads (what needs deriving for a request)."""
        table = self._tables.get(kind, _EMPTY)
        return tuple(dict.fromkeys(f for c in table.all for f in c.facts))

    def rules_for(self, kind: str) -> tuple[Rule, ...]:
        """The rules of a kind in precedence order."""
        return tuple(c.rule for c in self._tables.get(kind, _EMPTY).all)

    # ------------------------------------------------------------------ fast path

    def decide(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The decision for one set of facts, without a trace."""
        table = self._tables.get(kind)
        if table is None:
            return self._default
        pending: list[_Compiled] | None = None
        get = facts.get
        for item in table.candidates(facts):
            flat = item.flat
            if flat is not None:
                result: Tri = True
                for name, fn, const in flat:
                    actual = get(name)
                    if actual is None:
                        result = None
                    elif not fn(actual, const):
                        result = False
                        break
            else:
                result = item.test(facts)
            if result is True:
                if pending is None:
                    return item.verdict
                return settle(item.outcome, item.rule, pending, facts)
            if result is None:
                if pending is None:
                    pending = [item]
                else:
                    pending.append(item)
        if pending is None:
            return self._default
        return settle(self.default_outcome, None, pending, facts)

    # ------------------------------------------------------------------ traced path

    def trace(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The same decision as ``decide`` plus the why-not of every rule considered.

        Every rule ranked above the deciding one (all of them, when none decides) is
        evaluated without short-circuit: each comparison with its required and actual
        value. Rules ranked below the deciding rule were never considered; they are listed
        as ``skipped`` without conditions.
        """
        verdict = self.decide(kind, facts)
        table = self._tables.get(kind)
        if table is None:
            return Verdict(verdict.outcome, verdict.rule, trace=())
        deciding = verdict.rule
        results: list[RuleTrace] = []
        passed = False
        for item in table.candidates(facts):
            rule = item.rule
            outcome = rule.outcome
            if passed:
                # Below the deciding rule: never considered, so nothing to explain.
                results.append(RuleTrace(rule.id, rule.title, outcome, rule.priority, "skipped"))
                continue
            conds: list[ConditionTrace]
            if item.tracer is not None:
                conds = []
                status = _STATUS[item.tracer(facts, conds)]
            else:
                assert item.flat_trace is not None  # every rule has one or the other
                status, conds = _trace_flat(item.flat_trace, facts)
            decided = rule is deciding
            results.append(
                RuleTrace(rule.id, rule.title, outcome, rule.priority, status, decided, conds)
            )
            passed = decided
        return Verdict(
            verdict.outcome,
            verdict.rule,
            verdict.missing,
            verdict.blocking,
            verdict.would_be,
            tuple(results),
        )
