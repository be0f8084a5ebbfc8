"""The audience views: a ``Decision`` laid out for a customer, an agent or a chat bubble.

Each view turns a decision into a tiny document (``render.document``) with no notion of
format. The customer and chat views tell the same story (``_story``): greeting, answer,
reasons, options, link; they differ only in how much of it fits. The agent view shows the
rules, the conditions checked and what the agent may do.

Every word comes from the voice's phrasebook (policylib's catalogs in
``render/locales/<language>/``, under the pack's own messages), and the reply's shape comes
from data, never from reading the words: a rule whose text states its outcome says so
(``answers: true``), a reason's ``text`` is its answer and its ``why`` the explanation, an
offer names its item. So a catalog in another language reads as well as the English one.

Imports only the output types, the phrasebook and the value formatters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from policylib.errors import PolicyError
from policylib.lang.nodes import Outcome
from policylib.output.decision import (
    Alternative,
    Audience,
    Decision,
    DecisionContext,
    Format,
    Reason,
    RuleTrace,
)
from policylib.render.document import Block, Run, h, p, serialize, ul
from policylib.render.phrasebook import Phrasebook
from policylib.render.values import join_words

__all__ = ["VIEWS", "View", "render_decision", "safe_url"]

# --------------------------------------------------------------------------- helpers


_URL_REFUSED = re.compile(r"[\s\x00-\x1f\x7f\"<>\\`]")


@functools.lru_cache(maxsize=1024)
def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a link, or None (anything else is dropped, not escaped).

    Cached: the URLs come from the pack, so there are only a few distinct ones.
    """
    if not url:
        return None
    url = url.strip()
    if _URL_REFUSED.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _kind(ctx: DecisionContext) -> str:
    return ctx.request_kind


def _value_of(outcome: Outcome | str) -> str:
    return outcome.value if isinstance(outcome, Outcome) else str(outcome)


def _outcome(decision: Decision) -> str:
    return _value_of(decision.outcome)


def _unique(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


# --------------------------------------------------------------------------- the customer view


@dataclass(frozen=True, slots=True)
class _Offer:
    """An option as the customer reads it, and the item it is for (in a reply about
    several items), so the list can group options under their item."""

    text: str
    item: str | None = None


@dataclass(slots=True)
class _Story:
    """What the customer view says, before it is laid out for a format or a chat bubble."""

    greeting: str
    opening: str
    """The answer (headline, apology, or nothing when the rule's own words are the answer)."""
    told: list[str]
    """The reasons' own texts, each once: the answer itself, without the whys."""
    paragraphs: list[str]
    """One per reason: its text, then its why."""
    offers_lead: str
    offers: list[_Offer]
    closing: str
    link_lead: str
    link: str | None


_MAX_REASONS = 3
_MAX_OFFERS = 5


_WORD_BUDGET = 95
"""Words for the reasons, so the reply stays under ~120 words before its list of options."""


def _chosen(reasons: Sequence[Reason]) -> list[Reason]:
    """The reasons a reply speaks of: the first few that have something to say."""
    return [r for r in reasons[:_MAX_REASONS] if r.text.strip() or r.why.strip()]


def _paragraphs(reasons: Sequence[Reason]) -> list[str]:
    """One paragraph per reason: what applies, then why (each said once).

    Every reason's text is kept; when several items were decided differently, the whys
    of the later ones give way first, so the reply stays short.
    """
    seen: set[str] = set()
    chosen = _chosen(reasons)
    budget = _WORD_BUDGET - sum(len(r.text.split()) for r in chosen)
    out: list[str] = []
    for reason in chosen:
        text, why = reason.text.strip(), reason.why.strip()
        parts = [text] if text and text not in seen else []
        if why and why not in seen and (len(why.split()) <= budget or not parts):
            parts.append(why)
            budget -= len(why.split())
        seen.update(parts)
        if parts:
            out.append(" ".join(parts))
    return out


def _greeting(ctx: DecisionContext, book: Phrasebook) -> str:
    name = (ctx.customer_name or "").strip()
    return book.get("greeting", {"customer_name": name}) if name else book.get("greeting-anonymous")


def _answers_itself(decision: Decision, outcome: str) -> bool:
    """Whether the first reason's own words are the answer (its rule says ``answers:
    true``, covering an apology in its own words too) for the whole decision: a rule that
    decided one item differently from the rest answers only for its item."""
    lead = next(iter(decision.reasons), None)
    return lead is not None and lead.answers and _value_of(lead.outcome) == outcome


def _opening(decision: Decision, book: Phrasebook, args: dict[str, str]) -> str:
    """The answer above the reasons: the headline for the outcome and request kind, an
    apology first when the store erred, or nothing when the rule's words say it all."""
    outcome = _outcome(decision)
    kind = _kind(decision.context)
    if _answers_itself(decision, outcome):
        return ""
    ids: tuple[str, ...] = (f"{outcome}-{kind}", outcome)
    if outcome == "partial" and len({_value_of(r.outcome) for r in decision.reasons}) > 1:
        ids = (f"partial-mixed-{kind}", "partial-mixed", *ids)  # items decided differently
    headline = book.first(ids, args)
    if any(r.apology for r in decision.reasons):
        sorry = book.first((f"apology-{outcome}", "apology"))
        # Granted and partial apologies say what we'll do ("... and we'll put it right").
        answer = "" if outcome in ("granted", "partial") else headline
        return " ".join(x for x in (sorry, answer) if x)
    return headline


def _asked_first(alternatives: Sequence[Alternative], kind: str) -> list[Alternative]:
    """The options, the one that is what the customer asked for first (its kind is the
    request's, or its change asks for it: ``{"resolution": "exchange"}`` on an exchange);
    otherwise in the policy's order (best for the customer first)."""

    def asked(alternative: Alternative) -> bool:
        return alternative.kind == kind or any(v == kind for v in alternative.change.values())

    return sorted(alternatives, key=lambda a: not asked(a))


def _story(decision: Decision, voice: Voice) -> _Story:
    book = voice.book
    ctx = decision.context
    outcome = _outcome(decision)
    kind = _kind(ctx)
    contact = ctx.escalation_contact or book.get("escalation-contact-default")
    # the facts the pack's phrases name, remembering their values for the selectors
    values = {name: voice.shown(name, value) for name, value in ctx.values.items()}
    args = {**values, "escalation_contact": contact}
    opening = _opening(decision, book, args)
    offers: list[_Offer] = []
    for alternative in _asked_first(decision.alternatives, kind):
        offer = _Offer(alternative.text.strip(), alternative.item)
        if offer.text and offer not in offers:
            offers.append(offer)
    offers = offers[:_MAX_OFFERS]
    offers_lead = ""
    if offers:
        offers_lead = book.first((f"offers-{outcome}-{kind}", f"offers-{outcome}", "offers-denied"))
    closing = ""
    if not offers and outcome in ("denied", "partial"):
        closing = book.get("no-offers")
    citation = next((r.citation for r in decision.reasons if safe_url(r.citation.url)), None)
    link = safe_url(citation.url) if citation else safe_url(ctx.policy_url)
    link_lead = ""
    if link:
        section = citation.title.strip() if citation and citation.section else ""
        link_lead = (
            book.get("policy-link", {"policy_section": section})
            if section
            else book.get("policy-link-general")
        )
    return _Story(
        greeting=_greeting(ctx, book),
        opening=opening,
        told=_unique(r.text for r in _chosen(decision.reasons)),
        paragraphs=_paragraphs(decision.reasons),
        offers_lead=offers_lead,
        offers=offers,
        closing=closing,
        link_lead=link_lead,
        link=link,
    )


def _ask(decision: Decision, book: Phrasebook, lead_in: str) -> Block:
    """The greeting, the lead-in phrase and the one question of a needs_info decision.

    The catalog writes the lead-in to follow its own greeting ("Hi Dana," then "before I
    can answer, ..."), so the two are only set side by side here."""
    question = decision.questions[0].text.strip() if decision.questions else ""
    if not question:
        question = book.get("question-fallback")
    first = " ".join(x for x in (_greeting(decision.context, book), book.get(lead_in)) if x)
    return p(first, Run(question, strong=True))


def _why_asked(decision: Decision, book: Phrasebook) -> list[str]:
    """Why the question matters and what happens once it is answered.

    The rule waiting on the answer says what is at stake, but only when the asked fact is
    all it is waiting for: a rule that also waits on other things (a late-delivery rule
    asked about a towel's reason) would explain something the customer never raised.
    Its why is said as written; when the why does not say what is at stake, the rule's
    title does, first.
    """
    why: list[str] = []
    reason = next(iter(decision.reasons), None)
    if reason is not None and reason.why and _waits_only_on_question(decision, reason):
        title = reason.title.strip().rstrip(".")
        because = reason.why.strip()
        if _plain_title(title) and not _overlaps(title, because):
            why.append(book.get("needs-info-rule", {"rule_title": title}))
            why.append(because)
        else:
            why.append(book.get("needs-info-why", {"why": because}))
    elif decision.questions:
        why.append(book.get("needs-info-depends"))
    why.append(book.get("needs-info-next"))
    return [w for w in why if w]


def _waits_only_on_question(decision: Decision, reason: Reason) -> bool:
    """Whether the asked fact is the only thing the reason's rule is waiting for."""
    if not decision.questions:
        return True
    asked = decision.questions[0].fact
    for trace in decision.trace:
        if trace.rule_id == reason.rule_id and trace.status == "unknown":
            waiting = {c.fact for c in trace.conditions if c.status == "unknown"}
            return waiting == {asked} if waiting else True
    return True


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?\u00bf\u00a1").casefold() for w in text.split()}


def _overlaps(title: str, why: str) -> bool:
    """Whether the why already says most of what the title says (any language: words
    compared as written, case aside)."""
    words = _words(title)
    return bool(words) and len(words & _words(why)) / len(words) >= 0.6


def _plain_title(title: str) -> bool:
    """A rule title that reads as a statement: a few words, no codes or asides (no
    ``:;()[]/`` or dashes, no rule-id-like ``ABC-1``, not all capitals)."""
    return (
        len(title.split()) >= 3
        and not re.search(r"[:;(\[\u2014\u2013/]|\b[A-Z]{2,}-?\d", title)
        and not title.isupper()
    )


def _offer_blocks(story: _Story, book: Phrasebook) -> list[Block]:
    """The options' lead-in and the list of options (none without options).

    When several options end with the same last part (the granting rule's words, say
    "There's no charge for the change."), it is said once, under the list, not in every
    line. In a reply about several items, each item's options are listed under it.
    """
    if not story.offers:
        return []
    texts, shared = _shared_ending([o.text for o in story.offers])
    groups: dict[str | None, list[str]] = {}
    for offer, text in zip(story.offers, texts, strict=True):
        groups.setdefault(offer.item, []).append(text)
    heads: list[list[Run | str]] = []
    subs: list[list[list[Run | str]]] = []
    for item, lines in groups.items():
        if item is None:
            heads.extend([line] for line in lines)
            subs.extend([] for _ in lines)
        else:
            heads.append([book.get("offers-for-item", {"item_name": item})])
            subs.append([[line] for line in lines])
    blocks = [p(story.offers_lead), ul(heads, subs)]
    if shared:
        blocks.append(p(shared))
    return blocks


def _word_before(text: str) -> str:
    return text.rsplit(" ", 1)[-1]


def _shared_part(first: str, second: str) -> str:
    """The last sentence two options share, where their authors ended the one before:
    after a space that follows the mark both texts end with ("." or "!" or "。"), inside
    the words they have in common. No language's words are read.

    A mark after a number alone ("am 1. Dezember") never ends a sentence. One after a
    word with the mark inside it too ("p.m.", "z.B.") may: that break is taken only when
    it is the one break the shared words have; with a plainer one, the shortest plain part
    is shared; otherwise nothing is (the options are then listed whole).
    """
    size = 0
    while size < min(len(first), len(second)) and first[-1 - size] == second[-1 - size]:
        size += 1
    common = first[len(first) - size :]
    if size < 3 or common[-1].isalnum():
        return ""
    mark = common[-1]
    plain: list[str] = []
    doubtful: list[str] = []
    for start in range(2, size - 1):
        if common[start - 1] != " " or common[start - 2] != mark or common[start].isspace():
            continue
        part = common[start:]
        words = [_word_before(text[: -len(part) - 1]) for text in (first, second)]
        if any(len(w) < 2 or w[:-1].isdigit() for w in words):
            continue  # a number's mark, or a mark alone
        if any(w.count(mark) > 1 for w in words):
            doubtful.append(part)
        else:
            plain.append(part)
    if plain:
        return min(plain, key=len)
    return doubtful[0] if len(doubtful) == 1 else ""


def _shared_ending(offers: Sequence[str]) -> tuple[list[str], str]:
    """The offers without a last sentence several of them share, and that sentence."""
    shared = next(
        (
            part
            for i, first in enumerate(offers)
            for second in offers[i + 1 :]
            if (part := _shared_part(first, second))
        ),
        "",
    )
    if not shared:
        return list(offers), ""
    ending = " " + shared
    return [o[: -len(ending)].rstrip() if o.endswith(ending) else o for o in offers], shared


def _tail(story: _Story, book: Phrasebook) -> list[Block]:
    """What follows the answer in both views: the options, what to do when there are
    none, and the link to the policy."""
    blocks = _offer_blocks(story, book)
    if story.closing:
        blocks.append(p(story.closing))
    if story.link:
        blocks.append(p(story.link_lead, Run(story.link, url=story.link)))
    return blocks


def _customer(decision: Decision, voice: Voice) -> list[Block]:
    book = voice.book
    if _outcome(decision) == "needs_info":
        blocks = [_ask(decision, book, "needs-info")]
        why = _why_asked(decision, book)
        if why:
            blocks.append(p(" ".join(why)))
        return blocks
    story = _story(decision, voice)
    blocks = [p(story.greeting)]
    lead = p(Run(story.opening, strong=True), *story.paragraphs[:1])
    if lead.runs:
        blocks.append(lead)
    blocks.extend(p(paragraph) for paragraph in story.paragraphs[1:])
    return blocks + _tail(story, book)


def _chat(decision: Decision, voice: Voice) -> list[Block]:
    """The customer reply without the whys: the greeting, the answer (headline, then the
    first reason's own text, whole), each other reason's text, the options and the link.

    Nothing is cut out of a text: every amount, date and item a rule's words state is
    in the bubble, in the sentences its author wrote.
    """
    book = voice.book
    if _outcome(decision) == "needs_info":
        return [_ask(decision, book, "needs-info-chat")]
    story = _story(decision, voice)
    blocks = [p(story.greeting)]
    answer = p(story.opening, *story.told[:1])
    if answer.runs:
        blocks.append(answer)
    blocks.extend(p(text) for text in story.told[1:])
    return blocks + _tail(story, book)


# --------------------------------------------------------------------------- the agent view


def _condition_line(cond: Any, voice: Voice, locale: str) -> str:
    """ "days since your order arrived: required at most 30 days, actual 6 days — held".

    The values come from the trace's raw values, formatted by ``show`` in the pack's
    locale and currency; a list of them is joined as the locale lists ("a, b, or c")."""
    book, show = voice.book, voice.format_value
    actual = book.unknown if cond.actual is None else show(cond.fact, cond.actual)
    required = cond.required
    if required is None:
        wanted = book.unknown
    elif isinstance(required, list | tuple | set | frozenset):
        wanted = join_words([show(cond.fact, v) for v in required], "or", locale)
    else:
        wanted = show(cond.fact, required)
    needed = book.get(f"agent-op-{cond.op}", {"value": wanted}) or f"{cond.op} {wanted}"
    status = book.get(f"agent-state-{cond.status}") or cond.status
    label = voice.pack_word(f"fact-{cond.fact}", cond.label)
    args = {"label": label, "required": needed, "actual": actual, "status": status}
    return book.get("agent-condition", args)


def _shown_traces(decision: Decision) -> list[RuleTrace]:
    """The decided rules and the unknown ones; with no rule decided, the nearest misses."""
    decided = [t for t in decision.trace if t.decided]
    unknown = [t for t in decision.trace if t.status == "unknown" and not t.decided]
    if not decided:
        unknown += [t for t in decision.trace if t.status == "failed"][:3]
    out: list[RuleTrace] = []
    seen: set[tuple[str, str]] = set()
    for trace in decided + unknown:
        key = (trace.rule_id, trace.status)
        if key not in seen:
            seen.add(key)
            out.append(trace)
    return out


def _alternative_tag(alt: Alternative, book: Phrasebook) -> str:
    """What re-checked an alternative: verified by its rule, not verified, or a path."""
    args = {"rule_id": alt.rule_id or ""}
    if alt.rule_id and alt.verified:
        partly = _value_of(alt.outcome) == "partial" if alt.outcome else False
        return book.get("agent-verified-partial" if partly else "agent-verified", args)
    if alt.rule_id:
        return book.get("agent-unverified", args)
    return book.get("agent-path")


def _agent_head(decision: Decision, voice: Voice) -> Block:
    """ "Outcome: partial (return request, from Lee)"."""
    book = voice.book
    ctx = decision.context
    outcome = _outcome(decision)
    kind = _kind(ctx)
    args = {
        "outcome": book.get(f"agent-outcome-{outcome}") or outcome.replace("_", " "),
        # the pack's own identifier, for the agent, in the locale's words when it has them
        "kind": voice.pack_word(f"value-{kind}", kind.replace("_", " ")),
        "customer_name": (ctx.customer_name or "").strip(),
    }
    summary = "agent-summary" if args["customer_name"] else "agent-summary-anonymous"
    return p(Run(book.get("agent-outcome-label"), strong=True), book.get(summary, args))


def _agent_told(decision: Decision, book: Phrasebook) -> list[Block]:
    """What the customer is told: the question (and the request field that answers it),
    then each reason's text and why."""
    told = [
        " ".join(x for x in (r.text, book.get("agent-why", {"why": r.why}) if r.why else "") if x)
        for r in decision.reasons
    ]
    if decision.questions:
        question = decision.questions[0]
        args = {"question": question.text, "field": question.field or ""}
        told = [book.get("agent-ask-field" if question.field else "agent-ask", args), *told]
    told = [t for t in told if t]
    if not told:
        return []
    if len(told) == 1:
        return [h(book.get("agent-told")), p(told[0], tight=True)]
    return [h(book.get("agent-told")), ul([t] for t in told)]


def _agent(decision: Decision, voice: Voice) -> list[Block]:
    book = voice.book
    ctx = decision.context
    blocks = [_agent_head(decision, voice)]
    if decision.reasons:
        label = "agent-waiting-on" if decision.outcome == "needs_info" else "agent-decided-by"
        blocks.append(h(book.get(label)))
        blocks.append(
            ul(
                [
                    book.get(
                        "agent-reason-apology" if r.apology else "agent-reason",
                        {"rule_id": r.rule_id, "title": r.title},
                    )
                ]
                for r in decision.reasons
            )
        )
    blocks.extend(_agent_told(decision, book))
    traces = _shown_traces(decision)
    if traces:
        blocks.append(h(book.get("agent-conditions")))
        heads: list[list[Run | str]] = []
        subs: list[list[list[Run | str]]] = []
        for trace in traces:
            state = "decided" if trace.decided else trace.status
            args = {
                "rule_id": trace.rule_id,
                "state": book.get(f"agent-state-{state}") or state,
                "priority": str(trace.priority),
                "title": voice.pack_word(f"rule-{trace.rule_id}.title", trace.title),
            }
            heads.append([book.get("agent-trace", args)])
            subs.append([[_condition_line(c, voice, ctx.locale)] for c in trace.conditions])
        blocks.append(ul(heads, subs))
    elif ctx.facts:
        blocks.append(h(book.get("agent-facts")))
        blocks.append(
            ul(
                [book.get("agent-fact", {"label": label, "value": value})]
                for label, value in ctx.facts.items()
            )
        )
    if decision.alternatives:
        blocks.append(h(book.get("agent-alternatives")))
        alts: list[list[Run | str]] = []
        for alt in decision.alternatives:
            args = {
                "text": alt.text,
                # the pack's own identifier, in the locale's words when it has them
                "kind": voice.pack_word(f"alternative-{alt.kind}", alt.kind.replace("_", " ")),
                "tag": _alternative_tag(alt, book),
            }
            alts.append([book.get("agent-alternative", args)])
        blocks.append(ul(alts))
    limits: list[list[Run | str]] = []
    # An escalated case is already on its way to the contact: say so once, and offer no
    # review by the person who has it.
    if ctx.agent_may_approve and _outcome(decision) != "escalate":
        args = {"escalation_contact": ctx.escalation_contact, "limit": ctx.agent_may_approve}
        limits.append([book.get("agent-may-approve", args)])
    if ctx.escalation_contact:
        limits.append([book.get("agent-escalate", {"escalation_contact": ctx.escalation_contact})])
    if limits:
        blocks.append(h(book.get("agent-limits")))
        blocks.append(ul(limits))
    cites: list[list[Run | str]] = []
    for reason in decision.reasons:
        url = safe_url(reason.citation.url)
        label = reason.citation.title or reason.citation.section or book.get("agent-policy")
        cites.append(
            [book.get("agent-citation", {"title": label}), Run(url, url=url)] if url else [label]
        )
    if cites:
        blocks.append(h(book.get("agent-policy")))
        blocks.append(ul(_unique_runs(cites)))
    return blocks


def _unique_runs(items: list[list[Run | str]]) -> list[list[Run | str]]:
    seen: set[tuple[Run | str, ...]] = set()
    out: list[list[Run | str]] = []
    for item in items:
        key = tuple(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


class Voice(Protocol):
    """What the views need of a policy: its connecting words and its value formatting."""

    @property
    def book(self) -> Phrasebook: ...

    def format_value(self, fact: str, value: Any) -> str: ...

    def shown(self, fact: str, value: Any) -> str: ...

    def pack_word(self, key: str, default: str) -> str: ...


View = Callable[[Decision, Voice], list[Block]]

VIEWS: dict[str, View] = {
    "customer": _customer,
    "agent": _agent,
    "chat": _chat,
}
"""Audience -> view."""


def render_decision(
    decision: Decision, voice: Voice, audience: Audience = "customer", format: Format = "text"
) -> str:
    """The explanation of a decision for one audience in one format.

    Args:
        decision: the decision (reasons' filled texts, alternatives, question, trace).
        voice: the connecting words and value formatting of the policy that decided it.
        audience: ``customer`` (the reply), ``agent`` (rule ids, conditions, limits) or
            ``chat`` (the answer and every reason's own text, whole, and the options; no
            whys).
        format: ``text``, ``markdown`` or ``html`` (a fragment; every value escaped,
            links only http/https).

    Raises:
        PolicyError: an unknown audience or format.
    """
    view = VIEWS.get(audience)
    if view is None:
        raise PolicyError(f"unknown audience {audience!r}; use 'customer', 'agent' or 'chat'")
    if format not in ("text", "markdown", "html"):
        raise PolicyError(f"unknown format {format!r}; use 'text', 'markdown' or 'html'")
    ctx = decision.context
    isolate = [ctx.customer_name or "", *ctx.names]
    return serialize(view(decision, voice), format, isolate=isolate)
