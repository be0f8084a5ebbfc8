"""What a pack's worked examples cover: rules decided, conditions seen both ways, offers
made, questions asked.

Four measures, each ``covered/total``:

* **rules**: a rule is covered when it decided at least one example;
* **conditions**: a comparison of a rule (its position in ``comparisons(rule.when)``) is
  covered when some example saw it hold and some example saw it fail; being unknown is
  recorded and shown, but is not needed;
* **offers**: a rule's offer is covered when an example that rule decided was offered it;
  the pack's fallback when an example got it;
* **questions**: a fact with a question that a rule reads is covered when an example asks it.

Conditions are read from the decisions' traces: the engine traces every comparison of
every rule it considers, in source order, without short-circuit, so a rule's trace entry
lines up with ``comparisons(rule.when)`` one to one (an entry that does not, from another
backend say, is not counted rather than miscounted). A rule of the request's kind that is
not in the trace at all was never considered: the engine's index on an equality fact
(``product_line: outdoor``) kept it out, because that equality, at the top of the rule,
is false for the request. Where the examples show which fact that is (the one equality
fact every such rule of the kind shares), its comparison is counted as seen failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from policylib.authoring.examples import ExampleResult
from policylib.lang.nodes import (
    All,
    Compare,
    Condition,
    Loc,
    Offer,
    Ref,
    Rule,
    comparisons,
    facts_read,
)
from policylib.output.decision import Alternative, Decision
from policylib.policy import Policy

__all__ = [
    "CATEGORIES",
    "ConditionSeen",
    "Coverage",
    "OfferSeen",
    "QuestionSeen",
    "RuleSeen",
    "Tally",
    "measure_coverage",
]

CATEGORIES = ("rules", "conditions", "offers", "questions")


@dataclass(frozen=True)
class RuleSeen:
    rule_id: str
    loc: Loc
    decided: int = 0
    """How many examples it decided."""

    @property
    def covered(self) -> bool:
        return self.decided > 0

    def gap(self) -> str:
        return f"{self.loc}: rule {self.rule_id} decides no example"


@dataclass(frozen=True)
class ConditionSeen:
    """One comparison of a rule: ``index`` is its position in ``comparisons(rule.when)``."""

    rule_id: str
    index: int
    fact: str
    op: str
    value: str
    loc: Loc
    held: bool = False
    failed: bool = False
    unknown: bool = False

    @property
    def covered(self) -> bool:
        return self.held and self.failed

    def gap(self) -> str:
        what = f"{self.loc}: rule {self.rule_id} condition {self.index + 1} "
        what += f"({self.fact} {self.op} {self.value})"
        seen = [name for name in ("held", "failed", "unknown") if getattr(self, name)]
        if not seen:
            return f"{what} is never evaluated"
        never = " nor ".join(name for name in ("held", "failed") if not getattr(self, name))
        return f"{what} never {never} (seen {', '.join(seen)})"


@dataclass(frozen=True)
class OfferSeen:
    """One offer a rule declares (``index`` in its ``offers``), or the pack's fallback
    (``rule_id`` "", index -1)."""

    rule_id: str
    index: int
    kind: str
    loc: Loc
    offered: int = 0

    @property
    def covered(self) -> bool:
        return self.offered > 0

    def gap(self) -> str:
        whose = f"rule {self.rule_id} offer" if self.rule_id else "the fallback offer"
        return f"{self.loc}: {whose} {self.kind} is never offered"


@dataclass(frozen=True)
class QuestionSeen:
    fact: str
    loc: Loc
    asked: int = 0

    @property
    def covered(self) -> bool:
        return self.asked > 0

    def gap(self) -> str:
        return f"{self.loc}: the question about {self.fact} is never asked"


@dataclass(frozen=True)
class Tally:
    covered: int
    total: int

    @property
    def percent(self) -> float:
        """Covered share in percent; 100 when there is nothing to cover."""
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total


@dataclass(frozen=True)
class Coverage:
    """What the examples run cover, item by item (pack order) and per category."""

    rules: tuple[RuleSeen, ...] = ()
    conditions: tuple[ConditionSeen, ...] = ()
    offers: tuple[OfferSeen, ...] = ()
    questions: tuple[QuestionSeen, ...] = ()
    examples: int = 0
    """Examples measured (those refused by the policy count, but cover nothing)."""
    tallies: Mapping[str, Tally] = field(init=False, compare=False, repr=False)
    """Covered/total per category (``CATEGORIES``)."""

    def __post_init__(self) -> None:
        tallies = {name: _tally(getattr(self, name)) for name in CATEGORIES}
        object.__setattr__(self, "tallies", tallies)

    def uncovered(self) -> list[str]:
        """One line per item not covered, ``file:line:col: what``, category by category."""
        return [
            item.gap() for name in CATEGORIES for item in getattr(self, name) if not item.covered
        ]

    def to_dict(self) -> dict[str, Any]:
        """The coverage as JSON-ready data: per category the tally and each item."""
        out: dict[str, Any] = {"examples": self.examples}
        for name in CATEGORIES:
            tally = self.tallies[name]
            out[name] = {
                "covered": tally.covered,
                "total": tally.total,
                "percent": round(tally.percent, 1),
                "items": [_item_dict(item) for item in getattr(self, name)],
            }
        return out


def measure_coverage(policy: Policy, results: Iterable[ExampleResult]) -> Coverage:
    """What ``results`` (examples run on ``policy``) cover of its pack."""
    pack = policy.pack
    rules = {rule.id: rule for rule in pack.rules}
    compares = {rule.id: comparisons(rule.when) for rule in pack.rules}
    decided: dict[str, int] = dict.fromkeys(rules, 0)
    seen: dict[tuple[str, int], set[str]] = {}
    offered: dict[tuple[str, int], int] = {}
    asked: dict[str, int] = {}
    fallback = pack.alternatives.fallback
    decisions: list[Decision] = []
    count = 0
    for result in results:
        count += 1
        decision = result.decision
        if decision is None:
            continue
        decisions.append(decision)
        deciding = [entry.rule_id for entry in decision.trace if entry.decided]
        for rule_id in dict.fromkeys(deciding):
            if rule_id in decided:
                decided[rule_id] += 1
        for entry in decision.trace:
            expected = compares.get(entry.rule_id)
            if expected is None or entry.status == "skipped":
                continue
            if len(entry.conditions) != len(expected) or any(
                c.fact != e.fact for c, e in zip(entry.conditions, expected, strict=True)
            ):
                continue  # not one entry per comparison in source order: not counted
            for index, condition in enumerate(entry.conditions):
                seen.setdefault((entry.rule_id, index), set()).add(condition.status)
        for key in _offers_made(decision, [rules[r] for r in deciding if r in rules], fallback):
            offered[key] = offered.get(key, 0) + 1
        for question in decision.questions:
            asked[question.fact] = asked.get(question.fact, 0) + 1
    for key in _left_out(pack.rules, decisions):
        seen.setdefault(key, set()).add("failed")
    read = {name for rule in pack.rules for name in facts_read(rule.when)}
    offers = [
        OfferSeen(rule.id, i, offer.kind, offer.loc, offered.get((rule.id, i), 0))
        for rule in pack.rules
        for i, offer in enumerate(rule.offers)
    ]
    if fallback is not None:
        offers.append(OfferSeen("", -1, fallback.kind, fallback.loc, offered.get(("", -1), 0)))
    return Coverage(
        rules=tuple(RuleSeen(rule.id, rule.loc, decided[rule.id]) for rule in pack.rules),
        conditions=tuple(
            ConditionSeen(
                rule.id,
                i,
                c.fact,
                c.op,
                _value(c.value),
                c.loc if c.loc.line else rule.loc,
                *(status in seen.get((rule.id, i), ()) for status in ("held", "failed", "unknown")),
            )
            for rule in pack.rules
            for i, c in enumerate(compares[rule.id])
        ),
        offers=tuple(offers),
        questions=tuple(
            QuestionSeen(name, fact.loc, asked.get(name, 0))
            for name, fact in pack.facts.items()
            if fact.question is not None and name in read
        ),
        examples=count,
    )


def _left_out(rules: Sequence[Rule], decisions: Sequence[Decision]) -> set[tuple[str, int]]:
    """The comparisons (rule id, index) seen failing by the engine's index: for each rule
    of a decision's kind missing from its trace, its first top equality on the kind's
    index fact. That fact is known when every rule ever left out of a kind's traces shares
    exactly one top equality fact (the index is one fact per kind)."""
    absent: list[tuple[str, list[Rule]]] = []
    for decision in decisions:
        kind = decision.context.request_kind
        present = {entry.rule_id for entry in decision.trace}
        missing = [r for r in rules if kind in r.kinds and r.id not in present]
        if missing:
            absent.append((kind, missing))
    shared: dict[str, set[str]] = {}
    for kind, missing in absent:
        for rule in missing:
            facts = {c.fact for _, c in _top_equalities(rule)}
            shared[kind] = shared[kind] & facts if kind in shared else facts
    found: set[tuple[str, int]] = set()
    for kind, missing in absent:
        if len(shared[kind]) != 1:
            continue  # not shown which fact the index is on: nothing inferred
        (index_fact,) = shared[kind]
        for rule in missing:
            found.add((rule.id, next(i for i, c in _top_equalities(rule) if c.fact == index_fact)))
    return found


def _top_equalities(rule: Rule) -> list[tuple[int, Compare]]:
    """The comparisons by ``eq`` with a constant at the top of a rule's condition, each
    with its index in ``comparisons(rule.when)``."""
    when = rule.when
    items: Sequence[Condition] = (when,) if isinstance(when, Compare) else ()
    if isinstance(when, All):
        items = when.items
    out: list[tuple[int, Compare]] = []
    index = 0
    for item in items:
        if isinstance(item, Compare) and item.op == "eq" and not isinstance(item.value, Ref):
            out.append((index, item))
        index += len(comparisons(item))
    return out


def _offers_made(
    decision: Decision, deciding: Sequence[Rule], fallback: Offer | None
) -> set[tuple[str, int]]:
    """The declared offers (rule id, index) a decision made, and ("", -1) for the fallback.

    A declared offer with a change is offered re-checked (``verified``) under its own
    kind; one without a change as it is. The fallback is what a denial gets when nothing
    else was found: an unverified offer of its kind that no deciding rule declares.
    """
    made: set[tuple[str, int]] = set()
    alternatives: list[Alternative] = decision.alternatives
    for rule in deciding:
        for i, offer in enumerate(rule.offers):
            if any(_is(alt, offer) for alt in alternatives):
                made.add((rule.id, i))
    if fallback is not None:
        declared = any(_is(alt, o) for r in deciding for o in r.offers for alt in alternatives)
        for alt in alternatives:
            if alt.kind == fallback.kind and not alt.verified and not declared:
                made.add(("", -1))
    return made


def _is(alt: Alternative, offer: Offer) -> bool:
    if alt.kind != offer.kind or alt.verified != bool(offer.change):
        return False
    return not offer.change or set(alt.change) == {path for path, _ in offer.change}


def _tally(items: Sequence[RuleSeen | ConditionSeen | OfferSeen | QuestionSeen]) -> Tally:
    return Tally(sum(1 for item in items if item.covered), len(items))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


def _item_dict(item: RuleSeen | ConditionSeen | OfferSeen | QuestionSeen) -> dict[str, Any]:
    loc = item.loc
    out: dict[str, Any] = {"file": loc.file, "line": loc.line, "col": loc.col}
    if isinstance(item, RuleSeen):
        out.update(rule=item.rule_id, decided=item.decided)
    elif isinstance(item, ConditionSeen):
        out.update(
            rule=item.rule_id,
            index=item.index,
            fact=item.fact,
            op=item.op,
            value=item.value,
            held=item.held,
            failed=item.failed,
            unknown=item.unknown,
        )
    elif isinstance(item, OfferSeen):
        out.update(rule=item.rule_id or None, kind=item.kind, offered=item.offered)
    else:
        out.update(fact=item.fact, asked=item.asked)
    out["covered"] = item.covered
    return out
