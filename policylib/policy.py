"""A loaded policy: the one object applications hold and call ``evaluate`` on.

The flow of one evaluation, one way only::

    request (dict | JSON | Request)
      -> parse_request            validated, typed Request            (model)
      -> derive_facts             typed facts, unknown = absent        (facts)
      -> Engine.trace             Verdict + per-condition trace        (engine)
      -> find_alternatives        re-checked offers                    (alternatives)
      -> render_decision          the customer explanation             (explain)
      -> Decision

Requests about several items (a return of three things) are decided item by item and
combined: the same outcome everywhere is that outcome; a mix of granted and not is
``partial``; any item needing information makes the whole ``needs_info`` (one question).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime, time
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from policylib.alternatives import find_alternatives, rank_alternatives
from policylib.engine import GRANTING, Engine, Verdict
from policylib.errors import BackendError, Problem, RequestError, RuleError, shorten
from policylib.explain import TextRenderer, render_decision
from policylib.facts import BusinessCalendar, FactContext, derive_facts
from policylib.language import Pack, Rule, comparisons
from policylib.loader import load_pack
from policylib.model import (
    Alternative,
    Citation,
    Decision,
    DecisionContext,
    Outcome,
    Question,
    Reason,
    Request,
    RequestKind,
    events_after,
    parse_request,
)

__all__ = ["ITEM_KINDS", "Policy", "load_policy"]

ITEM_KINDS = frozenset({RequestKind.RETURN, RequestKind.EXCHANGE, RequestKind.PRICE_ADJUSTMENT})
"""Kinds decided item by item; the others are decided once for the whole order."""

EngineName = Literal["core", "durable"]

_OUTCOMES = {o.value: o for o in Outcome}


class Policy:
    """A compiled policy pack. Thread-safe: evaluate from as many threads as you like."""

    def __init__(self, pack: Pack, engine: EngineName = "core") -> None:
        self.pack = pack
        self.engine_name = engine
        self.engine: Any
        if engine == "core":
            self.engine = Engine(pack)
        elif engine == "durable":
            from policylib._durable import DurableEngine

            self.engine = DurableEngine(pack)
        else:
            raise BackendError(f"unknown engine {engine!r}; use 'core' or 'durable'")
        self.zone = ZoneInfo(pack.store.timezone)
        try:
            self.calendar = BusinessCalendar(pack.store.country, pack.store.subdivision)
        except ValueError as exc:
            where = f"{pack.source}/policy.yaml" if pack.source else "policy.yaml"
            problem = Problem("bad-store", str(exc), where)
            raise RuleError(f"1 problem in rule pack {pack.source}", [problem]) from None
        self.renderer = TextRenderer(pack)
        self._derive = {name: fact.derive for name, fact in pack.facts.items()}
        self._labels = {name: fact.label for name, fact in pack.facts.items()}
        self._settings = {k: Decimal(str(v)) for k, v in pack.settings.items()}
        self._citations = {rule.id: self._citation(rule) for rule in pack.rules}
        self._citations[""] = self._citation(None)
        # Deciding needs only the facts the kind's rules read; the texts of the outcome
        # actually reached name a few more, derived and formatted after the decision.
        self._decide_facts = {k.value: self.engine.facts_for(k.value) for k in RequestKind}
        shared = [*pack.default_text.variables]
        for message in pack.messages.values():
            shared.extend(message.variables)
        offers = [v for rule in pack.rules for o in rule.offers for v in o.text.variables]
        self._shared_display = _known(shared, pack)
        self._offer_display = _known(offers, pack)
        self._display: dict[str, tuple[str, ...]] = {}
        self._tested: dict[str, tuple[str, ...]] = {}
        for rule in pack.rules:
            names = [c.fact for c in comparisons(rule.when)]
            self._tested[rule.id] = tuple(dict.fromkeys(names))
            texts = [rule.text, *(o.text for o in rule.offers)]
            if rule.why is not None:
                texts.append(rule.why)
            for text in texts:
                names.extend(text.variables)
            self._display[rule.id] = _known([*names, *self._shared_display], pack)
        self._questions = {
            name: fact.question.variables
            for name, fact in pack.facts.items()
            if fact.question is not None
        }

    def __repr__(self) -> str:
        return (
            f"<Policy {self.pack.store.name!r}: {len(self.pack.rules)} rules, "
            f"engine={self.engine_name}>"
        )

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.pack.rules

    # ------------------------------------------------------------------ public API

    def evaluate(self, request: object, now: datetime | None = None) -> Decision:
        """Decide a request and explain the decision.

        Args:
            request: a ``Request``, a dict or JSON text in the canonical shape.
            now: the clock to decide at (timezone-aware). The request's ``requested_at``
                wins when given; without either, the current time in the store's zone.

        Raises:
            RequestError: the request is not valid (names each field and value).
        """
        req = parse_request(request, zone=self.zone)
        clock = self._clock(req, now)
        parts = [self._decide_one(sub, clock) for sub in self._split(req)]
        outcome = _combine_outcomes([p.verdict.outcome for p in parts])
        if outcome != "needs_info":  # the question comes first; offers wait for the answer
            for part in parts:
                self._add_alternatives(part, clock, labelled=len(parts) > 1)
        return self._combine(req, clock, parts)

    def decide(self, request: object, now: datetime | None = None) -> Outcome:
        """Only the outcome: the fast path (no trace, no texts, no alternatives)."""
        req = parse_request(request, zone=self.zone)
        clock = self._clock(req, now)
        outcomes = [self._verdict(sub, clock)[0].outcome for sub in self._split(req)]
        return Outcome(_combine_outcomes(outcomes))

    # ------------------------------------------------------------------ steps

    def _clock(self, req: Request, now: datetime | None) -> datetime:
        """The moment to decide at: ``requested_at``, else ``now``, else the current time.

        A request whose order or subscription lies after that moment is refused, never
        decided: it would count negative days.
        """
        moment = req.requested_at
        if moment is not None:
            clock = (
                moment
                if isinstance(moment, datetime)
                else datetime.combine(moment, time(0), tzinfo=self.zone)
            )
            late = events_after(req, moment, self.zone)
        else:
            if now is None:
                clock = datetime.now(self.zone)
            elif isinstance(now, datetime) and now.utcoffset() is not None:
                clock = now
            else:
                raise RequestError(
                    "now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))",
                    [
                        Problem(
                            "wrong-type", "expected an aware datetime", "now", value=shorten(now)
                        )
                    ],
                )
            late = events_after(
                req, clock, self.zone, what=f"the time it is decided ({clock:%Y-%m-%d %H:%M %z})"
            )
        if late:
            raise RequestError(
                "the request is about events after the time it is decided; check its dates "
                "or the clock",
                late,
            )
        return clock

    def _split(self, req: Request) -> list[Request]:
        """One request per selected item for item kinds; the request itself otherwise."""
        if req.kind not in ITEM_KINDS or req.order is None:
            return [req]
        items = req.selected_items()
        if len(items) <= 1:
            return [req]
        return [req.model_copy(update={"items": [item.sku]}) for item in items]

    def _context(self, req: Request, clock: datetime) -> FactContext:
        items = req.selected_items() if req.kind in ITEM_KINDS else []
        return FactContext(
            request=req,
            item=items[0] if items else None,
            now=clock,
            zone=self.zone,
            calendar=self.calendar,
            settings=self._settings,
        )

    def _verdict(
        self, req: Request, clock: datetime, traced: bool = False
    ) -> tuple[Verdict, dict[str, Any], FactContext]:
        kind = req.kind.value
        ctx = self._context(req, clock)
        facts = derive_facts(self._decide_facts[kind], self._derive, ctx)
        verdict = self.engine.trace(kind, facts) if traced else self.engine.decide(kind, facts)
        return verdict, facts, ctx

    def _display_names(self, verdict: Verdict) -> tuple[str, ...]:
        """The facts the texts of this verdict name, plus the facts its rules tested."""
        if verdict.rule is not None:
            return self._display[verdict.rule.id]
        names = list(self._shared_display)
        for rule in verdict.blocking:
            names.extend(self._display[rule.id])
        for fact in verdict.missing[:1]:
            names.extend(self._questions.get(fact, ()))
        return tuple(dict.fromkeys(names))

    def _formatted(
        self,
        names: Sequence[str],
        facts: dict[str, Any],
        ctx: FactContext,
        decided: Sequence[str],
    ) -> dict[str, str]:
        """Derive what the texts still need and format it for people."""
        wanted = set(decided)
        missing = [n for n in names if n not in facts and n not in wanted]
        if missing:
            facts.update(derive_facts(missing, self._derive, ctx))
        shown = {n: facts[n] for n in names if n in facts}
        return self.renderer.format_facts(shown, year=ctx.today.year)

    def probe(self, req: Request, clock: datetime) -> tuple[Verdict, dict[str, str]]:
        """Re-decide a changed one-item request (for the alternatives search)."""
        verdict, facts, ctx = self._verdict(req, clock)
        if verdict.outcome not in GRANTING:
            return verdict, {}  # never offered, so never shown
        names = self._display_names(verdict) + self._offer_display
        decided = self._decide_facts[req.kind.value]
        return verdict, self._formatted(names, facts, ctx, decided)

    def _decide_one(self, req: Request, clock: datetime) -> _Part:
        verdict, facts, ctx = self._verdict(req, clock, traced=True)
        decided = self._decide_facts[req.kind.value]
        formatted = self._formatted(self._display_names(verdict), facts, ctx, decided)
        part = _Part(req, verdict, facts, formatted)
        part.reasons = self._reasons(verdict, formatted)
        if verdict.outcome == "needs_info":
            part.questions = [self._question(verdict, formatted)]
        return part

    def _add_alternatives(self, part: _Part, clock: datetime, *, labelled: bool) -> None:
        found = find_alternatives(
            request=part.request,
            verdict=part.verdict,
            formatted=part.formatted,
            probe=lambda changed: self.probe(changed, clock),
            fill=self.renderer.fill,
            pack=self.pack,
            calendar=self.calendar,
        )
        if labelled:  # several items: say which one each offer is for
            item = part.formatted.get("item_name")
            found = [alt.model_copy(update={"item": item}) for alt in found]
        part.alternatives = found

    def _citation(self, rule: Rule | None) -> Citation:
        store = self.pack.store
        if rule is None:
            return Citation(section="", title="Our customer service policy", url=store.policy_url)
        section = self.pack.sections.get(rule.citation.section)
        title = section.title if section else rule.citation.section
        url = store.policy_url or None
        if url and rule.citation.anchor:
            url = f"{url}#{rule.citation.anchor}"
        return Citation(section=rule.citation.section, title=title, url=url)

    def _reason(self, rule: Rule | None, outcome: str, text: str, why: str) -> Reason:
        # Built from the pack's own, already checked data: no validation on the hot path.
        return Reason.model_construct(
            rule_id=rule.id if rule else "DEFAULT",
            title=rule.title if rule else "No specific rule applies",
            outcome=_OUTCOMES[outcome],
            citation=self._citations[rule.id if rule else ""],
            text=text,
            why=why,
            apology=rule.apology if rule else False,
        )

    def _reasons(self, verdict: Verdict, formatted: Mapping[str, str]) -> list[Reason]:
        fill = self.renderer.fill
        if verdict.outcome == "needs_info" and verdict.blocking:
            blocking = self._asking_rule(verdict)
            why = fill(blocking.why, formatted) if blocking.why else ""
            return [self._reason(blocking, "needs_info", "", why)]
        rule = verdict.rule
        if rule is None:
            text = fill(self.pack.default_text, formatted)
            return [self._reason(None, verdict.outcome, text, "")]
        why = fill(rule.why, formatted) if rule.why else ""
        return [self._reason(rule, rule.outcome, fill(rule.text, formatted), why)]

    def _asking_rule(self, verdict: Verdict) -> Rule:
        """The blocking rule that explains the question best: one that waits on the asked
        fact and nothing else it tests is unknown, else the first blocking rule."""
        asked = verdict.missing[0] if verdict.missing else ""
        unknown = set(verdict.missing)
        for rule in verdict.blocking:
            waiting = unknown.intersection(self._tested[rule.id])
            if waiting == {asked}:
                return rule
        return verdict.blocking[0]

    def _question(self, verdict: Verdict, formatted: Mapping[str, str]) -> Question:
        name = verdict.missing[0]
        fact = self.pack.facts[name]
        return Question(
            fact=name,
            text=self.renderer.question(fact, formatted),
            field=fact.field,
        )

    # ------------------------------------------------------------------ combining

    def _combine(self, req: Request, clock: datetime, parts: Sequence[_Part]) -> Decision:
        outcome = Outcome(_combine_outcomes([p.verdict.outcome for p in parts]))
        asking = [p for p in parts if p.verdict.outcome == "needs_info"]
        reasons: list[Reason] = []
        seen: set[tuple[str, str]] = set()
        for part in asking or parts:
            for reason in part.reasons:
                key = (reason.rule_id, reason.text)
                if key not in seen:
                    seen.add(key)
                    reasons.append(reason)
        alternatives = rank_alternatives([alt for part in parts for alt in part.alternatives])
        questions = asking[0].questions[:1] if asking else []
        trace = [rt for part in parts for rt in part.verdict.trace or ()]
        # The agent's goodwill limit belongs to an item that was not granted, when any.
        first = next((p for p in parts if p.verdict.outcome not in GRANTING), parts[0])
        decision = Decision.model_construct(
            outcome=outcome,
            explanation="",
            reasons=reasons,
            alternatives=alternatives,
            questions=questions,
            trace=trace,
            context=self._decision_context(req, first, parts),
            decided_at=clock,
        )
        # The decision has not left this method yet: fill in its explanation in place
        # rather than copying the whole model.
        decision.__dict__["explanation"] = render_decision(decision, "customer", "text")
        return decision

    def _decision_context(
        self, req: Request, first: _Part, parts: Sequence[_Part]
    ) -> DecisionContext:
        store = self.pack.store
        mattered: dict[str, str] = {}
        for part in parts:
            verdict = part.verdict
            rules = (verdict.rule,) if verdict.rule is not None else verdict.blocking
            for rule in rules:
                for name in self._tested[rule.id]:
                    mattered[self._labels[name]] = part.formatted.get(name, "not known")
        return DecisionContext.model_construct(
            customer_name=req.customer.name,
            names=_display_names(req),
            store_name=store.name,
            policy_url=store.policy_url or None,
            locale=store.locale,
            request_kind=req.kind,
            escalation_contact=store.escalation_contact,
            agent_may_approve=first.formatted.get("goodwill_limit", ""),
            phrases=dict(self.renderer.context_phrases()),
            facts=mattered,
        )


class _Part:
    """The decision for one item (or the whole order) before combining."""

    __slots__ = ("alternatives", "facts", "formatted", "questions", "reasons", "request", "verdict")

    def __init__(
        self, request: Request, verdict: Verdict, facts: dict[str, Any], formatted: dict[str, str]
    ) -> None:
        self.request = request
        self.verdict = verdict
        self.facts = facts
        self.formatted = formatted
        self.reasons: list[Reason] = []
        self.questions: list[Question] = []
        self.alternatives: list[Alternative] = []


def _display_names(req: Request) -> list[str]:
    """Names written by the customer or the catalogue that a reply may quote."""
    names = [item.name for item in req.selected_items()]
    if req.subscription is not None:
        names.append(req.subscription.plan)
    return names


def _known(names: Sequence[str], pack: Pack) -> tuple[str, ...]:
    """The declared facts among ``names``, once each, in order."""
    return tuple(n for n in dict.fromkeys(names) if n in pack.facts)


def _combine_outcomes(outcomes: Sequence[str]) -> str:
    distinct = set(outcomes)
    if len(distinct) == 1:
        return outcomes[0]
    if "needs_info" in distinct:
        return "needs_info"
    if distinct & GRANTING:
        return "partial"
    if "escalate" in distinct:
        return "escalate"
    return "denied"


def load_policy(
    path: str | os.PathLike[str] | None = None, *, engine: EngineName = "core"
) -> Policy:
    """Load and compile a policy pack.

    Args:
        path: a directory of rule files or a single YAML file; None for the bundled pack.
        engine: ``"core"`` (default) or ``"durable"`` (optional backend, Python < 3.13).

    Raises:
        RuleError: every problem in the pack, each with file:line:col and how to fix it.
        BackendError: the durable backend is unavailable or refuses the pack.
    """
    return Policy(load_pack(path), engine=engine)
