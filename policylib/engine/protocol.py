"""What every engine backend offers: a verdict for one set of facts, with or without a trace.

The engine sees facts, never requests: ``decide(kind, facts)`` and ``trace(kind, facts)``
take a mapping of fact name -> value (absent or None: unknown). Both backends (the core
engine and the durable_rules one) share ``settle``, so they ask the same question when an
unknown fact could change the outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from policylib.lang.nodes import Outcome, Rule
from policylib.output.decision import RuleTrace

__all__ = ["Engine", "Pending", "Verdict", "settle"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the engine decided for one set of facts.

    Attributes:
        outcome: granted | partial | denied | needs_info | escalate.
        rule: the deciding rule, or None when the pack's default applies (or info is missing).
        missing: for needs_info, the unknown facts, most decisive first.
        blocking: for needs_info, the unknown rules that could change the outcome.
        would_be: for needs_info, what the outcome would be if the unknown rules failed.
        trace: every candidate rule in precedence order (only from ``Engine.trace``).
    """

    outcome: Outcome
    rule: Rule | None
    missing: tuple[str, ...] = ()
    blocking: tuple[Rule, ...] = ()
    would_be: Outcome | None = None
    trace: tuple[RuleTrace, ...] | None = None


class Engine(Protocol):
    """A pack compiled for evaluation; immutable and safe to share across threads."""

    @property
    def default_outcome(self) -> Outcome: ...

    def facts_for(self, kind: str) -> tuple[str, ...]:
        """Every fact any rule of this kind reads (what must be derived to decide)."""
        ...

    def rules_for(self, kind: str) -> tuple[Rule, ...]:
        """The rules of a kind in precedence order."""
        ...

    def decide(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The decision for one set of facts, without a trace."""
        ...

    def trace(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The same decision as ``decide``, with the why-not of every rule considered."""
        ...


class Pending(Protocol):
    """A rule that was unknown for a request: its outcome and the facts it reads."""

    @property
    def rule(self) -> Rule: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def facts(self) -> tuple[str, ...]: ...


def settle(
    outcome: Outcome,
    rule: Rule | None,
    pending: Sequence[Pending],
    facts: Mapping[str, Any],
) -> Verdict:
    """The verdict once a rule (or the default) would decide, given the unknown rules ahead.

    Unknown rules ranked above the winner with a different outcome block it: the verdict is
    ``needs_info``, naming the missing facts, most decisive first (those of the first
    blocking rule, then those most blocking rules need, then in order). Shared by every
    backend, so they ask the same question.
    """
    blocking = [p for p in pending if p.outcome != outcome]
    if not blocking:
        return Verdict(outcome, rule)
    need: Counter[str] = Counter()
    for p in blocking:
        for name in p.facts:
            if facts.get(name) is None:
                need[name] += 1
    first_missing = [f for f in blocking[0].facts if facts.get(f) is None]
    order = {name: i for i, name in enumerate(need)}
    ranked = sorted(need, key=lambda f: (f not in first_missing, -need[f], order[f]))
    return Verdict(
        Outcome.NEEDS_INFO,
        None,
        missing=tuple(ranked),
        blocking=tuple(p.rule for p in blocking),
        would_be=outcome,
    )
