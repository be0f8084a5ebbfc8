"""Precedence conflicts: two rules that could decide one request differently.

Two rules conflict when they share a request kind, a priority and a specificity, give
different outcomes, and some request could satisfy both: the engine would then settle that
request by file order alone, which nobody reading the pack would see. The loader refuses
such a pack (``precedence-conflict``) until one of the rules gets a higher priority.

Whether two conditions can hold together is not decided exactly. The rule is conservative:
*prove the pair exclusive, or report it*. A pair is proven exclusive only when some fact is
held by both rules' top-level conjunctions (bare tests and ``all``) to sets of values with
nothing in common (``_Con``: allowed points, excluded values, bounds). Tests under ``any``
or ``not`` are ignored; that can only widen what a rule is taken to match, so a real
conflict is never missed. A pair the check cannot separate is reported, and the author
settles it with a priority.

Constraints are computed only for rules that share a bucket (kind, priority, specificity)
with a rule of another outcome, and large buckets are paired through an index on an
equality fact (``_candidate_pairs``), so big packs stay fast. The search stops after
``MAX_CONFLICTS`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from policylib.lang import nodes as lang

__all__ = ["MAX_CONFLICTS", "find_conflicts"]

MAX_CONFLICTS = 100
"""Stop looking for precedence conflicts after this many (the pack needs work first)."""


@dataclass
class _Con:
    """The set of values a fact may take in one rule's top-level conjunction."""

    points: frozenset[Any] | None = None
    excluded: frozenset[Any] = frozenset()
    lo: Any = None
    lo_inc: bool = True
    hi: Any = None
    hi_inc: bool = True
    integer: bool = False

    def apply(self, op: str, value: Any) -> None:
        if op in ("eq", "in"):
            vals = frozenset(value) if op == "in" else frozenset([value])
            self.points = vals if self.points is None else self.points & vals
        elif op == "ne":
            self.excluded = self.excluded | {value}
        elif op == "not_in":
            self.excluded = self.excluded | frozenset(value)
        elif op in ("gt", "gte"):
            inc = op == "gte"
            if self.integer and not inc:
                value, inc = value + 1, True
            if self.lo is None or value > self.lo or (value == self.lo and not inc):
                self.lo, self.lo_inc = value, inc
        elif op in ("lt", "lte"):
            inc = op == "lte"
            if self.integer and not inc:
                value, inc = value - 1, True
            if self.hi is None or value < self.hi or (value == self.hi and not inc):
                self.hi, self.hi_inc = value, inc

    def merged(self, other: _Con) -> _Con:
        out = _Con(
            points=self.points,
            excluded=self.excluded | other.excluded,
            lo=self.lo,
            lo_inc=self.lo_inc,
            hi=self.hi,
            hi_inc=self.hi_inc,
            integer=self.integer,
        )
        if other.points is not None:
            out.apply("in", other.points)
        if other.lo is not None:
            out.apply("gte" if other.lo_inc else "gt", other.lo)
        if other.hi is not None:
            out.apply("lte" if other.hi_inc else "lt", other.hi)
        return out

    def _inside(self, v: Any) -> bool:
        if v in self.excluded:
            return False
        if self.lo is not None and (v < self.lo or (v == self.lo and not self.lo_inc)):
            return False
        return not (self.hi is not None and (v > self.hi or (v == self.hi and not self.hi_inc)))

    def empty(self) -> bool:
        if self.points is not None:
            return not any(self._inside(v) for v in self.points)
        if self.lo is None or self.hi is None:
            return False
        if self.lo > self.hi:
            return True
        if self.lo == self.hi:
            return not (self.lo_inc and self.hi_inc) or self.lo in self.excluded
        if self.integer and self.hi - self.lo <= len(self.excluded):
            return not any(self._inside(v) for v in range(self.lo, self.hi + 1))
        return False


@dataclass
class _RuleCons:
    rule: lang.Rule
    cons: dict[str, _Con] = field(default_factory=dict)
    ready: bool = False


def _top_compares(cond: lang.Condition) -> list[lang.Compare]:
    if isinstance(cond, lang.Compare):
        return [cond]
    if isinstance(cond, lang.All):
        out: list[lang.Compare] = []
        for item in cond.items:
            if isinstance(item, (lang.Compare, lang.All)):
                out.extend(_top_compares(item))
        return out
    return []


def _constraints(rule: lang.Rule, facts: Mapping[str, lang.FactDef]) -> dict[str, _Con]:
    cons: dict[str, _Con] = {}
    for cmp in _top_compares(rule.when):
        if isinstance(cmp.value, lang.Ref):
            continue  # compared with another fact: could be anything, so it proves nothing
        fact = facts.get(cmp.fact)
        if fact is None:  # pragma: no cover - rules with unknown facts are not built
            continue
        con = cons.get(cmp.fact)
        if con is None:
            universe: frozenset[Any] | None = None
            if fact.type.name == "boolean":
                universe = frozenset([True, False])
            elif fact.type.name == "enum":
                universe = frozenset(fact.values)
            con = cons[cmp.fact] = _Con(points=universe, integer=fact.type.name == "integer")
        con.apply(cmp.op, cmp.value)
    return cons


def _exclusive(a: dict[str, _Con], b: dict[str, _Con]) -> bool:
    """True when no request can satisfy both top-level conjunctions (provably)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    for name, con in small.items():
        other = large.get(name)
        if other is not None and con.merged(other).empty():
            return True
    return False


def find_conflicts(
    rules: Sequence[lang.Rule], facts: Mapping[str, lang.FactDef]
) -> list[tuple[lang.Rule, lang.Rule]]:
    """Pairs (earlier, later) of rules that share a kind, priority and specificity, differ in
    outcome and cannot be proven exclusive."""
    buckets: dict[tuple[str, int, int], dict[str, list[_RuleCons]]] = {}
    infos: dict[int, _RuleCons] = {}
    for rule in rules:
        spec = rule.specificity
        for kind in rule.kinds:
            by_outcome = buckets.setdefault((kind, rule.priority, spec), {})
            info = infos.get(rule.order)
            if info is None:
                info = infos[rule.order] = _RuleCons(rule)
            by_outcome.setdefault(rule.outcome, []).append(info)
    # only now compute constraints, and only for rules that share a bucket with another outcome
    for by_outcome in buckets.values():
        if len(by_outcome) > 1:
            for group in by_outcome.values():
                for info in group:
                    if not info.ready:
                        info.cons, info.ready = _constraints(info.rule, facts), True
    seen: set[tuple[int, int]] = set()
    found: list[tuple[lang.Rule, lang.Rule]] = []
    for key in sorted(buckets):
        groups = [buckets[key][o] for o in sorted(buckets[key])]
        for i, left in enumerate(groups):
            for right in groups[i + 1 :]:
                for a, b in _candidate_pairs(left, right):
                    pair = (min(a.rule.order, b.rule.order), max(a.rule.order, b.rule.order))
                    if pair in seen or _exclusive(a.cons, b.cons):
                        continue
                    seen.add(pair)
                    first, second = (a, b) if a.rule.order < b.rule.order else (b, a)
                    found.append((first.rule, second.rule))
                    if len(found) >= MAX_CONFLICTS:
                        return found
    return found


def _candidate_pairs(
    left: list[_RuleCons], right: list[_RuleCons]
) -> Iterable[tuple[_RuleCons, _RuleCons]]:
    """Pairs worth comparing, skipping those an equality fact already separates."""
    if len(left) > len(right):
        left, right = right, left
    counts: dict[str, int] = {}
    for info in right:
        for name, each in info.cons.items():
            if each.points is not None:
                counts[name] = counts.get(name, 0) + 1
    if not counts or len(left) * len(right) < 64:
        for a in left:
            for b in right:
                yield a, b
        return
    index_fact = max(sorted(counts), key=lambda n: counts[n])
    by_value: dict[Any, list[_RuleCons]] = {}
    wild: list[_RuleCons] = []
    for info in right:
        got = info.cons.get(index_fact)
        if got is None or got.points is None:
            wild.append(info)
        else:
            for v in got.points:
                by_value.setdefault(v, []).append(info)
    for a in left:
        mine = a.cons.get(index_fact)
        if mine is None or mine.points is None:
            for b in right:
                yield a, b
            continue
        done: set[int] = set()
        for v in mine.points:
            for b in by_value.get(v, ()):
                if b.rule.order not in done:
                    done.add(b.rule.order)
                    yield a, b
        for b in wild:
            yield a, b
