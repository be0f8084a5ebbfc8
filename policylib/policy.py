"""A loaded policy: the one object applications hold and call ``evaluate`` on.

The flow of one evaluation, one way only::

    request (dict | JSON | model)
      -> parse_request            validated by the pack's request model     (request)
      -> Deriver                  typed facts, unknown = None               (derive)
      -> Engine.trace             Verdict + per-condition trace             (engine)
      -> Search.find              re-checked offers                         (search)
      -> render_decision          the customer explanation                  (render)
      -> Decision

Requests of a kind the pack decides per item (a return of three things) are decided item
by item and combined: the same outcome everywhere is that outcome; a mix of granted and not
is ``partial``; any item needing information makes the whole ``needs_info`` (one question).
A question is only ever about a fact the customer knows: when the decision waits on a fact
the store's systems supply, the request is refused, naming the field to fill.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from policylib.calendar import StoreCalendar
from policylib.derive import Deriver
from policylib.engine.core import CoreEngine
from policylib.engine.protocol import Engine, Verdict
from policylib.errors import BackendError, PolicyError, Problem, RequestError, shorten
from policylib.lang.expr import Env, Function, Program
from policylib.lang.nodes import GRANTING, FactDef, Message, Outcome, Pack, Rule, facts_read
from policylib.lang.types import Type
from policylib.llm.conversation import Conversation
from policylib.llm.result import call_tool
from policylib.llm.spec import DEFAULT_TOOL_NAME, Provider, tool_spec
from policylib.load import load_pack
from policylib.output.decision import (
    Alternative,
    Audience,
    Citation,
    Decision,
    DecisionContext,
    Format,
    Question,
    Reason,
    built,
)
from policylib.render.notebook import policy_html, policy_markdown, policy_repr
from policylib.render.page import PageFormat, render_policy_page
from policylib.render.texts import TextRenderer
from policylib.render.views import render_decision
from policylib.request.base import Request, events_after
from policylib.request.build import object_types
from policylib.request.parse import parse_request
from policylib.search.alternatives import Search, rank_alternatives

__all__ = ["Policy", "load_policy"]

EngineName = Literal["core", "durable"]


class Policy:
    """A compiled policy pack. Thread-safe: evaluate from as many threads as you like.

    Args:
        pack: a loaded pack (``load_pack``).
        engine: ``"core"`` (default) or ``"durable"`` (the optional durable_rules backend).
    """

    def __init__(self, pack: Pack, engine: EngineName = "core") -> None:
        self.pack = pack
        self.engine_name = engine
        self.engine: Engine
        if engine == "core":
            self.engine = CoreEngine(pack)
        elif engine == "durable":
            from policylib.engine.durable import DurableEngine  # optional: imports lazily

            self.engine = DurableEngine(pack)
        else:
            raise BackendError(f"unknown engine {engine!r}; use 'core' or 'durable'")
        self.request_model: type[Request] = pack.request_model
        """The pydantic model requests to this policy validate with."""
        store = pack.store
        self.zone = ZoneInfo(store.timezone)
        calendar = store.calendar
        self.calendar = StoreCalendar(
            calendar.country, calendar.subdivision, calendar.categories, calendar.closed
        )
        self.deriver = Deriver(pack, self.zone, self.calendar)
        self.texts = TextRenderer(pack)
        """The words of the pack's own locale."""
        self._voices: dict[str, TextRenderer] = {store.locale: self.texts}
        for locale in pack.translations:
            self._voices[locale] = TextRenderer(pack, locale)
        self.search = Search(pack, _paths_read(pack.facts))
        self._kinds = pack.vocabulary.kinds
        self._labels = {name: fact.label for name, fact in pack.facts.items()}
        self._citations = {rule.id: self._citation(rule) for rule in pack.rules}
        self._default_citation = Citation(section="", title="", url=store.policy_url or None)
        # Deciding needs only the facts the kind's rules read; the texts of the outcome
        # actually reached name a few more, derived and formatted after the decision.
        self._decide_facts = {kind: self.engine.facts_for(kind) for kind in self._kinds}
        # A translation may name other facts than the pack's own words do: each text's
        # facts are those of every locale's version of it.
        versions = [t.texts for t in pack.translations.values()]

        def named(message: Message) -> list[str]:
            out = list(message.variables)
            for texts in versions:
                found = texts.get(message)
                if found is not None:
                    out.extend(found.variables)
            return out

        # A phrase for one kind of request (granted-change_delivery) is only ever said in
        # answers of that kind: its facts are derived for those alone.
        phrases = [*pack.messages.items()]
        for translation in pack.translations.values():
            phrases.extend(translation.phrases.items())
        generic: list[str] = []
        per_kind: dict[str, list[str]] = {kind: [] for kind in self._kinds}
        for message_id, message in phrases:
            specific = [k for k in self._kinds if message_id.endswith(f"-{k}")]
            for kind in specific:
                per_kind[kind].extend(message.variables)
            if not specific:
                generic.extend(message.variables)
        shared = [*named(pack.default_text), *generic]
        offers = [v for rule in pack.rules for o in rule.offers for v in named(o.text)]
        fallback = pack.alternatives.fallback
        if fallback is not None:
            offers.extend(named(fallback.text))
        self._shared_display = _known(shared, pack)
        self._phrase_facts = {
            kind: _known([*generic, *names], pack) for kind, names in per_kind.items()
        }
        """Request kind -> the facts the phrases of its answers name."""
        self._offer_display = _known(offers, pack)
        self._display: dict[str, tuple[str, ...]] = {}
        self._tested: dict[str, tuple[str, ...]] = {}
        for rule in pack.rules:
            names = list(facts_read(rule.when))
            self._tested[rule.id] = tuple(dict.fromkeys(names))
            texts = [rule.text, *(o.text for o in rule.offers)]
            if rule.why is not None:
                texts.append(rule.why)
            for text in texts:
                names.extend(named(text))
            escalation = pack.escalation_for(rule)
            if escalation.may_approve:
                names.append(escalation.may_approve)
            for kind in rule.kinds:
                names.extend(per_kind.get(kind, ()))
            self._display[rule.id] = _known([*names, *self._shared_display], pack)
        if pack.escalation.may_approve:
            self._shared_display = _known(
                [*self._shared_display, pack.escalation.may_approve], pack
            )
        self._questions = {
            name: tuple(named(fact.question))
            for name, fact in pack.facts.items()
            if fact.question is not None
        }
        objects = object_types(pack.vocabulary)
        self._answers = {name: _answers(fact, objects) for name, fact in pack.facts.items()}
        self._supplies = {
            name: (fact.field,) if fact.field else _leaf_paths(name, pack)
            for name, fact in pack.facts.items()
            if fact.known_by == "store"
        }

    def __repr__(self) -> str:
        return policy_repr(self.pack, self.engine_name)

    def _repr_html_(self) -> str:
        """The store and a table of its rules by section (what a notebook shows)."""
        return policy_html(self.pack)

    def _repr_markdown_(self) -> str:
        return policy_markdown(self.pack)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.pack.rules

    # ------------------------------------------------------------------ public API

    def request_schema(self) -> dict[str, Any]:
        """The JSON Schema of this policy's requests, a description on every field."""
        return self.request_model.model_json_schema()

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales this policy answers in, its own first (``("en_US", "es_US")``)."""
        return tuple(self._voices)

    def evaluate(
        self, request: object, now: datetime | None = None, *, locale: str | None = None
    ) -> Decision:
        """Decide a request and explain the decision.

        Args:
            request: a request model instance, a dict or JSON text in the canonical shape.
            now: the clock to decide at (timezone-aware). The request's ``requested_at``
                wins when given; without either, the current time in the store's zone.
            locale: the locale to answer in (``es_US``, ``es-US`` or ``es``); without it,
                the request's ``customer.language`` when the pack speaks it, else the
                pack's own locale.

        Raises:
            RequestError: the request is not valid (names each field and value), or the
                decision needs a fact only the store's systems can supply (names the field).
            PolicyError: ``locale`` is not one the pack has words in.
        """
        voice = self.voice(locale) if locale is not None else None
        req = parse_request(request, self.request_model, zone=self.zone)
        if voice is None:
            voice = self._voice_for(req.customer.language)
        clock = self._clock(req, now)
        parts = [self._decide_one(req, clock, sku, voice) for sku in self._split(req)]
        outcome = _combine_outcomes([p.verdict.outcome for p in parts])
        if outcome is not Outcome.NEEDS_INFO:  # the question comes first; offers wait for it
            for part in parts:
                self._add_alternatives(part, clock, voice, labelled=len(parts) > 1)
        decision = self._combine(req, clock, parts, voice)
        decision._request = (req, clock)
        return decision

    def voice(self, locale: str | None = None) -> TextRenderer:
        """The pack's words in ``locale`` (``es_US``, ``es-US``, or a language, ``es``);
        the pack's own locale for None.

        Raises:
            PolicyError: the pack has no words in that locale.
        """
        if locale is None:
            return self.texts
        found = self._match(locale)
        if found is None:
            raise PolicyError(
                f"the pack has no words in {locale!r}; it answers in " + ", ".join(self._voices)
            )
        return found

    def _match(self, tag: str) -> TextRenderer | None:
        """The voice for a BCP 47 tag: the same locale, else the same language."""
        wanted = tag.replace("-", "_").split("_")
        language = wanted[0].lower()
        exact = "_".join([language, *(w.upper() for w in wanted[1:2])])
        if exact in self._voices:
            return self._voices[exact]
        for locale, voice in self._voices.items():
            if locale.split("_")[0].lower() == language:
                return voice
        return None

    def _voice_for(self, language: str | None) -> TextRenderer:
        """The voice a customer asked for, else the pack's own (a language the pack does
        not speak is answered in its own, never refused)."""
        if not language:
            return self.texts
        return self._match(language) or self.texts

    def decide(self, request: object, now: datetime | None = None) -> Outcome:
        """Only the outcome: the fast path (no trace, no texts, no alternatives)."""
        req = parse_request(request, self.request_model, zone=self.zone)
        clock = self._clock(req, now)
        outcomes = [
            self._asked(self._verdict(req, clock, sku)[0], req).outcome for sku in self._split(req)
        ]
        return _combine_outcomes(outcomes)

    def render(
        self,
        decision: Decision,
        audience: Audience = "customer",
        format: Format = "text",
        *,
        locale: str | None = None,
    ) -> str:
        """A decision's explanation for one audience in one format, in this policy's words.

        Args:
            locale: the locale to explain in; without it, the one it was decided in. A
                decision this policy made in this process is decided again in the new
                locale (same request, same clock, same decision).

        Raises:
            PolicyError: an unknown locale, or another locale for a decision read back
                from JSON (decide its request again with ``locale=``).
        """
        decided = self._voices.get(decision.context.locale, self.texts)
        if locale is None:
            return render_decision(decision, decided, audience, format)
        voice = self.voice(locale)
        if voice is decided:
            return render_decision(decision, voice, audience, format)
        made = decision._request
        if made is None:
            raise PolicyError(
                f"this decision was read back in {decision.context.locale}; to explain it "
                f"in {voice.locale}, decide its request again with locale={voice.locale!r}"
            )
        again = self.evaluate(made[0], now=made[1], locale=voice.locale)
        return render_decision(again, voice, audience, format)

    def publish(self, format: PageFormat = "markdown", *, locale: str | None = None) -> str:
        """The store's policy page, generated from the same rules that decide requests,
        in ``locale`` (default: the pack's own).

        Raises:
            PolicyError: an unknown format, or a locale the pack has no words in.
        """
        return render_policy_page(self.pack, format, self.voice(locale))

    # ------------------------------------------------------------------ steps

    def _clock(self, req: Request, now: datetime | None) -> datetime:
        """The moment to decide at: ``requested_at``, else ``now``, else the current time.

        A request whose order or subscription lies after that moment is refused, never
        decided: it would count negative days.
        """
        moment = req.requested_at
        if moment is not None:  # parse_request has checked the events against it
            if isinstance(moment, datetime):
                return moment
            return datetime.combine(moment, time(0), tzinfo=self.zone)
        if now is None:
            clock = datetime.now(self.zone)
        elif isinstance(now, datetime) and now.utcoffset() is not None:
            clock = now
        else:
            raise RequestError(
                "now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))",
                [Problem("wrong-type", "expected an aware datetime", "now", value=shorten(now))],
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

    def _split(self, req: Request) -> list[str | None]:
        """What is decided on its own: each selected item (its sku) of a per-item kind,
        else the request as a whole (None). Each item is decided on the whole request,
        so a rule still sees every item the customer selected (``items``)."""
        kind = self._kinds.get(req.kind)
        if kind is None or not kind.per_item or req.order is None:
            return [None]
        return [item.sku for item in req.selected_items()] or [None]

    def _env(self, req: Request, clock: datetime, sku: str | None) -> Env:
        kind = self._kinds.get(req.kind)
        selected = req.selected_items()
        item = None
        if kind is not None and kind.per_item and selected:
            item = next((i for i in selected if i.sku == sku), selected[0])
        return self.deriver.env(req, item, selected, clock)

    def _verdict(
        self, req: Request, clock: datetime, sku: str | None, traced: bool = False
    ) -> tuple[Verdict, dict[str, Any], Env]:
        env = self._env(req, clock, sku)
        facts = self.deriver.derive(env, self._decide_facts.get(req.kind, ()))
        kind = req.kind
        verdict = self.engine.trace(kind, facts) if traced else self.engine.decide(kind, facts)
        return verdict, facts, env

    def _asked(self, verdict: Verdict, req: Request) -> Verdict:
        """The verdict with a question only the customer can answer first; a decision that
        waits on the store's systems alone is refused, naming what they must supply."""
        if verdict.outcome is not Outcome.NEEDS_INFO:
            return verdict
        facts = self.pack.facts
        customer = [f for f in verdict.missing if facts[f].known_by == "customer"]
        if customer:
            if customer[0] == verdict.missing[0]:
                return verdict
            rest = tuple(f for f in verdict.missing if f != customer[0])
            return Verdict(
                verdict.outcome,
                verdict.rule,
                (customer[0], *rest),
                verdict.blocking,
                verdict.would_be,
                verdict.trace,
            )
        problems: dict[str, Problem] = {}
        for f in verdict.missing:
            paths = self._supplies[f]
            for path in [p for p in paths if _absent(req, p)] or paths:
                problems.setdefault(
                    path,
                    Problem(
                        "store-fact-missing",
                        f"the store's systems must say this ({facts[f].label}) to decide "
                        "the request",
                        path,
                    ),
                )
        raise RequestError(
            "the request lacks what only the store's systems know", list(problems.values())
        )

    def _display_names(self, verdict: Verdict, kind: str) -> tuple[str, ...]:
        """The facts the texts of this verdict name, plus the facts its rules tested."""
        if verdict.rule is not None:
            return self._display[verdict.rule.id]
        names = [*self._shared_display, *self._phrase_facts.get(kind, ())]
        for rule in verdict.blocking:
            names.extend(self._display[rule.id])
        for fact in verdict.missing[:1]:
            names.extend(self._questions.get(fact, ()))
        return tuple(dict.fromkeys(names))

    def _formatted(self, names: Sequence[str], env: Env, voice: TextRenderer) -> dict[str, str]:
        """Derive what the texts still need and format it for people."""
        facts = self.deriver.derive(env, names)
        shown = {n: facts[n] for n in names if facts.get(n) is not None}
        return voice.format_facts(shown, year=env.today.year, viewer=env.now.tzinfo)

    def probe(
        self,
        req: Request,
        clock: datetime,
        sku: str | None = None,
        voice: TextRenderer | None = None,
    ) -> list[tuple[Verdict, dict[str, str]]]:
        """Re-decide a changed request for the alternatives search: a verdict and its
        formatted facts for each part decided, or the first part that is not granted
        alone (never offered, so never shown). With ``sku``, only that item is decided."""
        skus = [sku] if sku is not None else self._split(req)
        parts: list[tuple[Verdict, dict[str, str]]] = []
        for one in skus:
            verdict, _, env = self._verdict(req, clock, one)
            verdict = self._asked(verdict, req)
            if verdict.outcome not in GRANTING:
                return [(verdict, {})]
            names = self._display_names(verdict, req.kind) + self._offer_display
            parts.append((verdict, self._formatted(names, env, voice or self.texts)))
        return parts

    def _decide_one(
        self, req: Request, clock: datetime, sku: str | None, voice: TextRenderer
    ) -> _Part:
        verdict, _, env = self._verdict(req, clock, sku, traced=True)
        verdict = self._asked(verdict, req)
        formatted = self._formatted(self._display_names(verdict, req.kind), env, voice)
        part = _Part(req, sku, verdict, env, formatted)
        part.reasons = self._reasons(verdict, formatted, voice)
        if verdict.outcome is Outcome.NEEDS_INFO:
            part.questions = [self._question(env, verdict, formatted, voice)]
        return part

    def _add_alternatives(
        self, part: _Part, clock: datetime, voice: TextRenderer, *, labelled: bool
    ) -> None:
        rule = part.verdict.rule or next(iter(part.verdict.blocking), None)
        found = self.search.find(
            request=part.request,
            verdict=part.verdict,
            formatted=part.formatted,
            probe=lambda changed: self.probe(changed, clock, _same_item(part, changed), voice),
            fill=voice.fill,
            evaluate=lambda program, req, value: self._run(program, req, part, value),
            words=voice.value,
            escalation_contact=self._contact(rule, voice),
        )
        if labelled:  # several items: say which one each offer is for
            name = part.env.item.name if part.env.item is not None else None
            found = [alt.model_copy(update={"item": name}) for alt in found]
        part.alternatives = found

    def _run(self, program: Program, req: Request, part: _Part, value: Any) -> Any:
        """A search expression on the part's request (its facts already derived) or on a
        changed one, with ``value`` as the candidate."""
        env = part.env if req is part.request else self._env(req, part.env.now, part.sku)
        env.each = value
        try:
            return program.run(env)
        finally:
            env.each = None

    def _citation(self, rule: Rule) -> Citation:
        store = self.pack.store
        section = self.pack.sections.get(rule.citation.section)
        title = section.title if section else rule.citation.section
        url = store.policy_url or None
        if url and rule.citation.anchor:
            url = f"{url}#{rule.citation.anchor}"
        return Citation(section=rule.citation.section, title=title, url=url)

    def _contact(self, rule: Rule | None, voice: TextRenderer) -> str:
        """Who takes a case this rule leaves open, in the voice's words."""
        escalation = self.pack.escalation_for(rule)
        if rule is not None and rule.escalation is escalation:
            key = f"rule-{rule.id}.contact"
        elif rule is not None and escalation is not self.pack.escalation:
            key = f"section-{rule.section}.contact"
        else:
            key = "store-escalation"
        return voice.pack_word(key, escalation.contact)

    def _reason(
        self, rule: Rule | None, outcome: Outcome, text: str, why: str, voice: TextRenderer
    ) -> Reason:
        # Built from the pack's own, already checked data: no validation on the hot path.
        citation = self._citations[rule.id] if rule else self._default_citation
        if voice is not self.texts and citation.section:
            title = voice.pack_word(f"section-{citation.section}", citation.title)
            citation = built(Citation, section=citation.section, title=title, url=citation.url)
        return built(
            Reason,
            rule_id=rule.id if rule else "DEFAULT",
            title=voice.pack_word(f"rule-{rule.id}.title", rule.title) if rule else "",
            outcome=outcome,
            citation=citation,
            text=text,
            why=why,
            apology=rule.apology if rule else False,
            answers=rule.answers if rule else True,  # the default text is the whole answer
        )

    def _reasons(
        self, verdict: Verdict, formatted: Mapping[str, str], voice: TextRenderer
    ) -> list[Reason]:
        fill = voice.fill
        if verdict.outcome is Outcome.NEEDS_INFO and verdict.blocking:
            blocking = self._asking_rule(verdict)
            why = fill(blocking.why, formatted) if blocking.why else ""
            return [self._reason(blocking, Outcome.NEEDS_INFO, "", why, voice)]
        rule = verdict.rule
        if rule is None:
            text = fill(self.pack.default_text, formatted)
            return [self._reason(None, verdict.outcome, text, "", voice)]
        why = fill(rule.why, formatted) if rule.why else ""
        return [self._reason(rule, rule.outcome, fill(rule.text, formatted), why, voice)]

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

    def _question(
        self, env: Env, verdict: Verdict, formatted: Mapping[str, str], voice: TextRenderer
    ) -> Question:
        name = verdict.missing[0]
        fact = self.pack.facts[name]
        item = None
        if "items[]" in fact.field:
            decided = env.item if env.item is not None else next(iter(env.selected), None)
            item = decided.sku if decided is not None else None
        return Question(
            fact=name,
            text=voice.question(fact, formatted),
            field=fact.field,
            item=item,
            answers=list(self._answers[name]),
        )

    # ------------------------------------------------------------------ combining

    def _combine(
        self, req: Request, clock: datetime, parts: Sequence[_Part], voice: TextRenderer
    ) -> Decision:
        outcome = _combine_outcomes([p.verdict.outcome for p in parts])
        asking = [p for p in parts if p.verdict.outcome is Outcome.NEEDS_INFO]
        reasons: list[Reason] = []
        seen: set[tuple[str, str]] = set()
        for part in asking or parts:
            for reason in part.reasons:
                key = (reason.rule_id, reason.text)
                if key not in seen:
                    seen.add(key)
                    reasons.append(reason)
        alternatives = rank_alternatives(
            [alt for part in parts for alt in part.alternatives], self.pack
        )
        questions = asking[0].questions[:1] if asking else []
        trace = [rt for part in parts for rt in part.verdict.trace or ()]
        # The escalation and its limit belong to an item that was not granted, when any.
        first = next((p for p in parts if p.verdict.outcome not in GRANTING), parts[0])
        decision = built(
            Decision,
            outcome=outcome,
            explanation="",
            reasons=reasons,
            alternatives=alternatives,
            questions=questions,
            trace=trace,
            context=self._decision_context(req, first, parts, voice),
            decided_at=clock,
        )
        decision._renderer = self.render
        # The decision has not left this method yet: fill in its explanation in place
        # rather than copying the whole model.
        decision.__dict__["explanation"] = render_decision(decision, voice, "customer", "text")
        return decision

    def _decision_context(
        self, req: Request, first: _Part, parts: Sequence[_Part], voice: TextRenderer
    ) -> DecisionContext:
        store = self.pack.store
        mattered: dict[str, str] = {}
        for part in parts:
            verdict = part.verdict
            rules = (verdict.rule,) if verdict.rule is not None else verdict.blocking
            for rule in rules:
                for name in self._tested[rule.id]:
                    label = voice.pack_word(f"fact-{name}", self._labels[name])
                    mattered[label] = part.formatted.get(name, voice.unknown)
        deciding = first.verdict.rule or next(iter(first.verdict.blocking), None)
        escalation = self.pack.escalation_for(deciding)
        return built(
            DecisionContext,
            customer_name=req.customer.name,
            names=_display_names(req),
            policy_url=store.policy_url or None,
            locale=voice.locale,
            currency=store.currency,
            request_kind=req.kind,
            escalation_contact=self._contact(deciding, voice),
            agent_may_approve=first.formatted.get(escalation.may_approve, ""),
            facts=mattered,
            values={
                n: getattr(first.formatted[n], "value", None)
                for n in self._phrase_facts.get(req.kind, ())
                if n in first.formatted
            },
        )

    # ------------------------------------------------------------------ chatbots and LLMs

    def tool_spec(
        self, provider: Provider = "openai", *, name: str = DEFAULT_TOOL_NAME
    ) -> dict[str, Any]:
        """A ready tool definition for an LLM's tool calling (``policylib.llm``).

        Args:
            provider: ``"openai"`` (a strict Chat Completions function tool),
                ``"anthropic"`` (a Messages API tool) or ``"json"`` (name, description
                and parameters).
            name: the tool's name.

        Raises:
            PolicyError: an unknown provider or a name the providers refuse.
        """
        return tool_spec(self.pack, self.request_schema(), provider, name=name)

    def call_tool(
        self, arguments: object, *, audience: Audience = "chat", now: datetime | None = None
    ) -> dict[str, Any]:
        """Decide a tool call's arguments and return the compact result for the model.

        Never raises for what a model sends (a dict, JSON text, anything else): a request
        that is not valid gives ``{"outcome": "invalid_request", "errors": [...]}``. See
        ``policylib.llm.tool_result`` for the result's shape.
        """
        return call_tool(self, arguments, audience=audience, now=now)

    def conversation(self, request: object, *, now: datetime | None = None) -> Conversation:
        """A conversation that answers the decision's questions one at a time.

        Raises:
            RequestError: the request is not valid.
        """
        return Conversation(self, request, now=now)


class _Part:
    """The decision for one item (or the whole order) before combining."""

    __slots__ = (
        "alternatives",
        "env",
        "formatted",
        "questions",
        "reasons",
        "request",
        "sku",
        "verdict",
    )

    def __init__(
        self,
        request: Request,
        sku: str | None,
        verdict: Verdict,
        env: Env,
        formatted: dict[str, str],
    ) -> None:
        self.request = request
        self.sku = sku
        """The item decided (per-item kinds), or None for the whole request."""
        self.verdict = verdict
        self.env = env
        self.formatted = formatted
        self.reasons: list[Reason] = []
        self.questions: list[Question] = []
        self.alternatives: list[Alternative] = []


def _paths_read(facts: Mapping[str, FactDef]) -> dict[str, frozenset[str]]:
    """Fact name -> every request path it reads, through the facts it names."""
    out: dict[str, frozenset[str]] = {}

    def reach(name: str, seen: frozenset[str]) -> frozenset[str]:
        if name in out:
            return out[name]
        fact = facts.get(name)
        if fact is None or name in seen:
            return frozenset()
        programs = [fact.program] + ([fact.default] if fact.default is not None else [])
        paths = frozenset().union(*(p.paths for p in programs))
        for other in frozenset().union(*(p.facts for p in programs)):
            paths |= reach(other, seen | {name})
        out[name] = paths
        return paths

    for name in facts:
        reach(name, frozenset())
    return out


def _answers(fact: FactDef, objects: Mapping[str, Mapping[str, Type]]) -> tuple[str, ...]:
    """The values the field answering a fact takes, when it has a fixed set (an enum's)."""
    found: Type | None = None
    if fact.field:
        current = "Request"
        for part in fact.field.replace("[]", "").split("."):
            found = objects.get(current, {}).get(part)
            if found is None:
                break
            if found.name == "list" and found.of is not None:
                found = found.of
            current = found.object
    if found is None or found.name != "enum":
        found = fact.type
    return found.values if found.name == "enum" else ()


def _display_names(req: Request) -> list[str]:
    """Names written by the customer or the catalogue that a reply may quote."""
    names = [item.name for item in req.selected_items()]
    if req.subscription is not None:
        names.append(req.subscription.plan)
    return names


def _same_item(part: _Part, changed: Request) -> str | None:
    """The item a change to one part is re-decided for: the part's own, unless the change
    selects other items (return the whole kit), when every item it selects is."""
    before = [i.sku for i in part.request.selected_items()]
    return part.sku if [i.sku for i in changed.selected_items()] == before else None


def _leaf_paths(name: str, pack: Pack) -> tuple[str, ...]:
    """The request fields a fact is derived from (through the facts it reads), deepest
    only: what an integration must fill when the fact is unknown."""
    paths: set[str] = set()
    seen: set[str] = set()
    todo = [name]
    while todo:
        fact = pack.facts.get(todo.pop())
        if fact is None or fact.name in seen:
            continue
        seen.add(fact.name)
        paths |= fact.program.paths
        todo.extend(fact.program.facts)
    return tuple(
        sorted(p for p in paths if not any(q.startswith((p + ".", p + "[")) for q in paths))
    )


def _absent(req: Request, path: str) -> bool:
    """Whether the request leaves ``path`` (``order.items[].condition``) unsaid anywhere."""
    values: list[Any] = [req]
    for part in path.split("."):
        many = part.endswith("[]")
        name = part[:-2] if many else part
        found = [getattr(v, name, None) for v in values]
        if any(f is None for f in found):
            return True
        values = [e for f in found for e in cast("list[Any]", f)] if many else found
    return False


def _known(names: Sequence[str], pack: Pack) -> tuple[str, ...]:
    """The declared facts among ``names``, once each, in order."""
    return tuple(n for n in dict.fromkeys(names) if n in pack.facts)


def _combine_outcomes(outcomes: Sequence[Outcome]) -> Outcome:
    distinct = set(outcomes)
    if len(distinct) == 1:
        return outcomes[0]
    if Outcome.NEEDS_INFO in distinct:
        return Outcome.NEEDS_INFO
    if distinct & GRANTING:
        return Outcome.PARTIAL
    if Outcome.ESCALATE in distinct:
        return Outcome.ESCALATE
    return Outcome.DENIED


def load_policy(
    path: str | os.PathLike[str] | None = None,
    *,
    engine: EngineName = "core",
    functions: Mapping[str, Function] | None = None,
) -> Policy:
    """Load and compile a policy pack.

    Args:
        path: a directory of rule files or a single YAML file; None for the bundled pack.
        engine: ``"core"`` (default) or ``"durable"`` (optional backend, Python < 3.13).
        functions: the store's own functions for its expressions (``policylib.Functions``).

    Raises:
        RuleError: every problem in the pack, each with file:line:col and how to fix it.
        BackendError: the durable backend is unavailable or refuses the pack.
    """
    return Policy(load_pack(path, functions=functions), engine=engine)
