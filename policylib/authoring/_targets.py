"""What lint looks for, said once for both ways of looking (the solver and the search).

A ``Target`` is a kind of request lint wants to find: one where a rule holds, one a
rule decides, one no rule decides (the pack's default answers it), or one a rule decides
while another rule of the same priority, with another outcome, holds too. ``Observed``
is what the engine made of one concrete request; ``Target.met`` says whether that
request is one the target describes, so a request either backend proposes is shown only
once the pack's own engine agrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from policylib.engine.core import evaluate_condition
from policylib.engine.protocol import Verdict
from policylib.errors import PolicyError, Problem
from policylib.lang.nodes import Compare, Outcome, Rule, comparisons
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
]

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
        outcome: the outcome of the whole decision (``Policy.evaluate``).
    """

    request: Mapping[str, Any]
    facts: Mapping[str, Any]
    verdict: Verdict
    truth: Mapping[str, Tri]
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Target:
    """A kind of request to find.

    Attributes:
        what: ``holds`` (``rule`` holds), ``decides`` (``rule`` decides), ``default``
            (no rule decides: the pack's default does), ``overlap`` (``rule`` decides while
            ``other`` holds too).
        kind: the request kind.
    """

    what: Literal["holds", "decides", "default", "overlap"]
    kind: str
    rule: Rule | None = None
    other: Rule | None = None

    def met(self, seen: Observed, default: Outcome) -> bool:
        """Whether the observed request is one this target describes."""
        verdict = seen.verdict
        if self.what == "holds":
            assert self.rule is not None
            return seen.truth.get(self.rule.id) is True
        if self.what == "decides":
            assert self.rule is not None
            return verdict.rule is not None and verdict.rule.id == self.rule.id
        if self.what == "default":
            return verdict.rule is None and verdict.outcome == default
        assert self.rule is not None and self.other is not None
        decided = verdict.rule is not None and verdict.rule.id == self.rule.id
        return decided and seen.truth.get(self.other.id) is True


class Observer:
    """Decides concrete requests the way ``Policy.evaluate`` does, keeping what lint needs
    (the facts, every rule's truth, the verdict for order line 0); counts what it tried."""

    def __init__(self, policy: Policy, order: Mapping[str, Sequence[Rule]]) -> None:
        self.policy = policy
        self.order = order
        self.tried = 0
        self.refused: tuple[Problem, ...] = ()
        """Why the pack refused the last request it refused (field paths in ``where``)."""

    def observe(self, request: Mapping[str, Any], *, full: bool = True) -> Observed | None:
        """What the engine makes of a request, or None when the pack refuses it (it is
        not valid, or only the store's systems could answer what it waits on). With
        ``full``, the whole decision is made too (texts, alternatives), as a customer's
        would be."""
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
        try:
            facts = policy.deriver.derive(env, policy.engine.facts_for(req.kind))
            verdict = policy.engine.decide(req.kind, facts)
            outcome = policy.evaluate(request).outcome if full else verdict.outcome
        except PolicyError as exc:
            self.refused = exc.problems
            return None
        truth = {rule.id: evaluate_condition(rule.when, facts) for rule in rules}
        return Observed(request, dict(facts), verdict, truth, outcome)
