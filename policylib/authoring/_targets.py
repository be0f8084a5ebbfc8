"""What lint looks for, said once for both ways of looking (the solver and the search).

A ``Target`` is a kind of request lint wants to find: one where a rule holds, one a
rule decides, one no rule decides (the pack's default answers it), one a rule decides
while another rule with another outcome holds too, one a rule decides and that one of its
offers' changes turns into a granted request, or one a rule decides with a fact its texts
name known. ``Observed`` is what the engine made of one concrete request; ``Target.met``
says whether that request is one the target describes, so a request either backend
proposes is shown only once the pack's own engine agrees. ``Observer`` also keeps the
requests it saw each rule decide, for the checks that look at every one of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from policylib.engine.core import evaluate_condition
from policylib.engine.protocol import Verdict
from policylib.errors import PolicyError, Problem
from policylib.lang.nodes import Compare, Message, Outcome, Rule, comparisons
from policylib.output.decision import Decision
from policylib.policy import Policy
from policylib.request.parse import parse_request

__all__ = [
    "Avoid",
    "Observed",
    "Observer",
    "Region",
    "Span",
    "Target",
    "Tri",
    "avoided",
    "matches",
    "region",
    "tests_of",
    "told",
]

KEPT = 12
"""Most requests ``Observer`` keeps per rule it saw decide (the first ones, each in a
region of its own)."""

Tri = bool | None
"""Three-valued truth: True, False or None (unknown)."""

Region = tuple[Tri, ...]
"""Where a request falls among a kind's tests: each test held, failed or unknown."""


@dataclass(frozen=True, slots=True)
class Span:
    """A range of a fact's values, either end open (None)."""

    low: Any = None
    high: Any = None

    def __contains__(self, value: object) -> bool:
        if value is None:
            return False
        try:
            return (self.low is None or self.low <= value) and (
                self.high is None or value <= self.high
            )
        except TypeError:
            return False


Avoid = Region | Mapping[str, Any]
"""Requests not to propose again: those in a region, or those whose facts have these
values (a value, None for unknown, or a ``Span``)."""


def matches(facts: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether the facts have these values (each a value, None or a ``Span``)."""
    for name, wanted in values.items():
        found = facts.get(name)
        if isinstance(wanted, Span):
            if found not in wanted:
                return False
        elif found != wanted or (found is None) != (wanted is None):
            return False
    return True


def avoided(avoid: Sequence[Avoid], where: Region, facts: Mapping[str, Any]) -> bool:
    """Whether a request (its region and facts) is one of those to avoid."""
    for item in avoid:
        if isinstance(item, tuple):
            if item == where:
                return True
        elif matches(facts, item):
            return True
    return False


def tests_of(rules: Sequence[Rule]) -> tuple[Compare, ...]:
    """Every comparison of these rules, once each, in order."""
    seen: dict[int, Compare] = {}
    for rule in rules:
        for cmp in comparisons(rule.when):
            seen.setdefault(id(cmp), cmp)
    return tuple(seen.values())


def region(tests: Sequence[Compare], facts: Mapping[str, Any]) -> Region:
    """Each test's truth for these facts."""
    return tuple(evaluate_condition(cmp, facts) for cmp in tests)


@dataclass(frozen=True, slots=True)
class Observed:
    """What the engine made of one request (the part for order line 0).

    Attributes:
        request: the request, as data.
        facts: the facts derived for it (None: unknown).
        verdict: the engine's verdict for the part.
        truth: each rule of the kind (by id): held, failed or unknown.
        outcome: the outcome of the whole decision (``Policy.evaluate``), or of the
            part when the decision was not made.
        decision: the whole decision, when it was made.
    """

    request: Mapping[str, Any]
    facts: Mapping[str, Any]
    verdict: Verdict
    truth: Mapping[str, Tri]
    outcome: Outcome
    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A kind of request to find.

    Attributes:
        what: ``holds`` (``rule`` holds), ``decides`` (``rule`` decides), ``default``
            (no rule decides: the pack's default does), ``overlap`` (``rule`` decides while
            ``other`` holds too), ``offer`` (``rule`` decides, and the request with
            ``change`` made is granted), ``told`` (``rule`` decides with ``fact`` known).
        kind: the request kind.
    """

    what: Literal["holds", "decides", "default", "overlap", "offer", "told"]
    kind: str
    rule: Rule | None = None
    other: Rule | None = None
    change: tuple[tuple[str, object], ...] = ()
    fact: str = ""

    def met(self, seen: Observed, default: Outcome) -> bool:
        """Whether the observed request is one this target describes."""
        verdict = seen.verdict
        if self.what == "holds":
            assert self.rule is not None
            return seen.truth.get(self.rule.id) is True
        if self.what in ("decides", "offer", "told"):
            assert self.rule is not None
            decided = verdict.rule is not None and verdict.rule.id == self.rule.id
            # whether the offer is made is the caller's to check, on the whole decision
            return decided and (self.what != "told" or seen.facts.get(self.fact) is not None)
        if self.what == "default":
            return verdict.rule is None and verdict.outcome == default
        assert self.rule is not None and self.other is not None
        decided = verdict.rule is not None and verdict.rule.id == self.rule.id
        return decided and seen.truth.get(self.other.id) is True


def told(rule: Rule) -> tuple[str, ...]:
    """The facts a rule's own words name: its text, its why, and the texts of its offers
    without a change (those are filled from the request it decides)."""
    texts: list[Message | None] = [rule.text, rule.why]
    texts.extend(offer.text for offer in rule.offers if not offer.change)
    return tuple(dict.fromkeys(v for m in texts if m is not None for v in m.variables))


class Observer:
    """Decides concrete requests the way ``Policy.evaluate`` does, keeping what lint needs
    (the facts, every rule's truth, the verdict for order line 0); counts what it tried,
    and keeps up to ``KEPT`` requests it saw each rule decide (``deciding``)."""

    def __init__(self, policy: Policy, order: Mapping[str, Sequence[Rule]]) -> None:
        self.policy = policy
        self.order = order
        self.tried = 0
        self.refused: tuple[Problem, ...] = ()
        """Why the pack refused the last request it refused (field paths in ``where``)."""
        self.deciding: dict[tuple[str, str], list[Observed]] = {}
        """(rule id, kind) -> requests that rule decided, the first in each region."""
        self.known: set[tuple[str, str]] = set()
        """(rule id, fact) for each fact its words name that was known in a request the
        rule decided."""
        self.offered: set[tuple[str, str]] = set()
        """(rule id, offer kind) for each verified offer made where the rule decided."""
        self._regions: dict[tuple[str, str], set[Region]] = {}
        self._told = {rule.id: told(rule) for rule in policy.pack.rules}
        self._tests = {kind: tests_of(rules) for kind, rules in order.items()}
        self._decisions: dict[str, Decision | None] = {}

    def observe(self, request: Mapping[str, Any], *, full: bool = True) -> Observed | None:
        """What the engine makes of a request, or None when the pack refuses it (it is
        not valid, or only the store's systems could answer what it waits on). With
        ``full``, the whole decision is made too (texts, alternatives), as a customer's
        would be. The facts include those the deciding rule's words name."""
        policy = self.policy
        self.tried += 1
        try:
            req = parse_request(request, policy.request_model, zone=policy.zone)
        except PolicyError as exc:
            self.refused = exc.problems
            return None
        clock = req.requested_at
        if not isinstance(clock, datetime):
            return None  # every modelled request names its moment
        kind = policy.pack.vocabulary.kinds[req.kind]
        selected = req.selected_items()
        item = selected[0] if kind.per_item and selected else None
        env = policy.deriver.env(req, item, selected, clock)
        rules = self.order.get(req.kind, ())
        decision = None
        try:
            facts = policy.deriver.derive(env, policy.engine.facts_for(req.kind))
            verdict = policy.engine.decide(req.kind, facts)
            if verdict.rule is not None:
                facts = policy.deriver.derive(env, self._told.get(verdict.rule.id, ()))
            if full:
                decision = policy.evaluate(request)
            outcome = decision.outcome if decision is not None else verdict.outcome
        except PolicyError as exc:
            self.refused = exc.problems
            return None
        truth = {rule.id: evaluate_condition(rule.when, facts) for rule in rules}
        seen = Observed(request, dict(facts), verdict, truth, outcome, decision)
        if decision is not None:
            self._decisions[_key(request)] = decision
        if verdict.rule is not None:
            self._keep(req.kind, verdict.rule, seen)
        return seen

    def offers(self, seen: Observed) -> frozenset[str]:
        """The kinds of verified offer the decision makes for the part lint looks at
        (order line 0, or the whole request)."""
        decision = self.decision(seen)
        if decision is None:
            return frozenset()
        line = _first_name(seen.request)
        return frozenset(
            alt.kind
            for alt in decision.alternatives
            if alt.verified and (alt.item is None or alt.item == line)
        )

    def decision(self, seen: Observed) -> Decision | None:
        """The whole decision of an observed request (made now, if it was not)."""
        if seen.decision is not None:
            return seen.decision
        key = _key(seen.request)
        if key not in self._decisions:
            try:
                self._decisions[key] = self.policy.evaluate(seen.request)
            except PolicyError:
                self._decisions[key] = None
        return self._decisions[key]

    def _keep(self, kind: str, rule: Rule, seen: Observed) -> None:
        for name in self._told.get(rule.id, ()):
            if seen.facts.get(name) is not None:
                self.known.add((rule.id, name))
        if seen.decision is not None:
            self.offered.update((rule.id, k) for k in self.offers(seen))
        key = (rule.id, kind)
        kept = self.deciding.setdefault(key, [])
        if len(kept) >= KEPT:
            return
        where = region(self._tests.get(kind, ()), seen.facts)
        regions = self._regions.setdefault(key, set())
        if where not in regions:
            regions.add(where)
            kept.append(seen)


def _first_name(request: Mapping[str, Any]) -> str | None:
    """The name of the line a request's first part is about: the first order line it
    selects (None: it names no order). Offers for several items carry their names."""
    order = request.get("order")
    lines = order.get("items") if isinstance(order, Mapping) else None
    if not isinstance(lines, list):
        return None
    chosen = request.get("items")
    for line in lines:
        if isinstance(line, Mapping) and (not chosen or line.get("sku") in chosen):
            return str(line.get("name"))
    return None


def _key(request: Mapping[str, Any]) -> str:
    return json.dumps(request, sort_keys=True, default=str)
