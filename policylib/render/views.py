"""The audience views: a ``Decision`` laid out for a customer, an agent or a chat bubble.

Each view turns a decision into a tiny document (``render.document``) with no notion of
format. The customer and chat views tell the same story (``_story``): greeting, answer,
reasons, options, link; they differ only in how much of it fits. The agent view shows the
rules, the conditions checked and what the agent may do.

Imports only the output types, the phrasebook and the value formatters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
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
from policylib.render.phrasebook import UNKNOWN, Phrasebook
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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'\u201c\u2018(])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


# When the rule's own first sentence already gives the answer, a headline on top of it
# says the same thing twice ("We can't take this return. We can't take it back."). A rule
# whose text states its outcome says so (``answers: true``); otherwise, by outcome:
_ANSWERED: dict[str, re.Pattern[str]] = {
    "denied": re.compile(
        r"\b(can't|cannot|can not|won't|isn't possible|aren't able|not able|unable)\b",
        re.I,
    ),
    "escalate": re.compile(
        r"\b(will (look|review|check|contact|call|reply|write|get back)|passed|handed)\b", re.I
    ),
    "partial": re.compile(r"\b(we can|we'll)\b.*\bbut\b", re.I),
}
# A granted text that opens with what we'll do joins the headline: "Good news: we can ...".
_WE_CAN = re.compile(r"^(we can|we'll|we will)\b", re.I)
_SORRY = re.compile(r"^(i'm|i am|we're|we are)?\s*(so |very |really )?(sorry|apologi[sz]e)", re.I)
_I_WORDS = re.compile(r"^I(\b|')")


def _lower_first(text: str) -> str:
    """For a sentence that follows "Hi Dana,": lower the first letter of an ordinary word."""
    if not text or _I_WORDS.match(text.replace("\u2019", "'")):
        return text
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text  # an acronym or a name with capitals inside
    return text[0].lower() + text[1:]


@functools.lru_cache(maxsize=256)
def _section_words(title: str) -> str:
    words = title.strip()
    if words.lower().endswith(" policy"):
        words = words[: -len(" policy")]
    return _lower_first(words)


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


@dataclass(slots=True)
class _Story:
    """What the customer view says, before it is laid out for a format or a chat bubble."""

    greeting: str
    opening: str
    """The answer (headline, apology or the rule's own words when they are the answer)."""
    paragraphs: list[str]
    """One per reason: its text, then its why."""
    offers_lead: str
    offers: list[str]
    closing: str
    link_lead: str
    link: str | None


_MAX_REASONS = 3
_MAX_OFFERS = 5


_WORD_BUDGET = 95
"""Words for the reasons, so the reply stays under ~120 words before its list of options."""


def _paragraphs(reasons: Sequence[Reason]) -> list[str]:
    """One paragraph per reason: what applies, then why (each said once).

    Every reason's text is kept; when several items were decided differently, the whys
    of the later ones give way first, so the reply stays short.
    """
    seen: set[str] = set()
    chosen = [r for r in reasons[:_MAX_REASONS] if r.text.strip() or r.why.strip()]
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


def _story(decision: Decision, book: Phrasebook) -> _Story:
    ctx = decision.context
    outcome = _outcome(decision)
    kind = _kind(ctx)
    greeting = _greeting(ctx, book)
    paragraphs = _paragraphs(decision.reasons)
    # Curly apostrophes read the same as straight ones to the checks below.
    first = _first_sentence(paragraphs[0]).replace("\u2019", "'") if paragraphs else ""
    args = {**ctx.values, "escalation_contact": ctx.escalation_contact or "a member of our team"}
    ids: tuple[str, ...] = (f"{outcome}-{kind}", outcome)
    if outcome == "partial" and len({_value_of(r.outcome) for r in decision.reasons}) > 1:
        ids = (f"partial-mixed-{kind}", "partial-mixed", *ids)  # items decided differently
    headline = book.first(ids, args)
    opening = headline
    answered = _ANSWERED.get(outcome)
    if any(r.apology for r in decision.reasons):
        sorry = book.first((f"apology-{outcome}", "apology"))
        if _SORRY.match(first):
            # The rule says sorry in its own words: those words open the reply.
            sorry = ""
        answer = "" if outcome in ("granted", "partial") else headline
        opening = " ".join(x for x in (sorry, answer) if x)
    elif any(r.answers for r in decision.reasons[:1]) or (
        answered is not None and answered.search(first)
    ):
        opening = ""
    elif outcome == "granted" and _WE_CAN.match(first):
        opening = book.get("good-news")
        paragraphs[0] = _lower_first(paragraphs[0])
    offers = _unique(_offer_text(a, book) for a in decision.alternatives)[:_MAX_OFFERS]
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
        section = _section_words(citation.title) if citation and citation.section else ""
        link_lead = (
            book.get("policy-link", {"policy_section": section})
            if section
            else book.get("policy-link-general")
        )
    return _Story(greeting, opening, paragraphs, offers_lead, offers, closing, link_lead, link)


def _offer_text(alternative: Alternative, book: Phrasebook) -> str:
    """An offer as the customer reads it; in a reply about several items, naming its item."""
    if not alternative.item:
        return alternative.text
    text = alternative.text
    first_word = text.split(" ", 1)[0]
    ordinary = first_word != "I" and (len(first_word) == 1 or first_word[1:].islower())
    offer = text[:1].lower() + text[1:] if ordinary else text  # "A supervisor" -> "a supervisor"
    return book.get("offer-for-item", {"item_name": alternative.item, "offer": offer}) or text


def _ask(decision: Decision, book: Phrasebook, lead_in: str) -> Block:
    """The greeting, the lead-in phrase and the one question of a needs_info decision."""
    question = decision.questions[0].text.strip() if decision.questions else ""
    if not question:
        question = book.get("question-generic", {"fact_label": "details of your order"})
    first = f"{_greeting(decision.context, book)} {book.get(lead_in)}".strip()
    return p(first, Run(question, strong=True))


def _why_asked(decision: Decision, book: Phrasebook) -> list[str]:
    """Why the question matters and what happens once it is answered.

    The rule waiting on the answer says what is at stake, but only when the asked fact is
    all it is waiting for: a rule that also waits on other things (a late-delivery rule
    asked about a towel's reason) would explain something the customer never raised.
    """
    why: list[str] = []
    reason = next(iter(decision.reasons), None)
    if reason is not None and reason.why and _waits_only_on_question(decision, reason):
        title = reason.title.strip().rstrip(".")
        because = reason.why.strip()
        if _plain_title(title) and not _overlaps(title, _first_sentence(because)):
            # The rule's title says what is at stake; its why says why the rule exists.
            why.append(book.get("needs-info-because", {"because": _lower_first(title)}))
            why.append(because)
        else:
            why.append(
                book.get("needs-info-because", {"because": _lower_first(because.rstrip("."))})
            )
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


def _overlaps(title: str, sentence: str) -> bool:
    """Whether a sentence already says most of what the title says."""
    words = {w.strip(".,;:").lower() for w in title.split()}
    said = {w.strip(".,;:").lower() for w in sentence.split()}
    return bool(words) and len(words & said) / len(words) >= 0.6


def _plain_title(title: str) -> bool:
    """A rule title that reads as a clause ("opened food items cannot be returned")."""
    return (
        len(title.split()) >= 3
        and not re.search(r"[:;(\[\u2014\u2013/]|\b[A-Z]{2,}-?\d", title)
        and not title.isupper()
    )


def _offer_blocks(story: _Story, limit: int | None = None) -> list[Block]:
    """The options' lead-in and the list of options (none without options).

    When every option ends with the same sentence (the granting rule's words, say "There's
    no charge for the change."), it is said once, under the list, not in every line.
    """
    if not story.offers:
        return []
    offers, shared = _shared_ending(story.offers[:limit])
    blocks = [p(story.offers_lead), ul([o] for o in offers)]
    if shared:
        blocks.append(p(shared))
    return blocks


def _shared_ending(offers: Sequence[str]) -> tuple[list[str], str]:
    """The offers without a last sentence several of them share, and that sentence."""
    split = [_sentences(o) for o in offers]
    endings = [parts[-1] for parts in split if len(parts) >= 2]
    shared = next((e for e in endings if endings.count(e) >= 2), "")
    if not shared:
        return list(offers), ""
    out = [
        " ".join(parts[:-1]) if len(parts) >= 2 and parts[-1] == shared else " ".join(parts)
        for parts in split
    ]
    return out, shared


def _customer(decision: Decision, book: Phrasebook) -> list[Block]:
    if _outcome(decision) == "needs_info":
        blocks = [_ask(decision, book, "needs-info")]
        why = _why_asked(decision, book)
        if why:
            blocks.append(p(" ".join(why)))
        return blocks
    story = _story(decision, book)
    blocks = [p(story.greeting)]
    lead = p(Run(story.opening, strong=True), *story.paragraphs[:1])
    if lead.runs:
        blocks.append(lead)
    blocks.extend(p(paragraph) for paragraph in story.paragraphs[1:])
    blocks.extend(_offer_blocks(story))
    if story.closing:
        blocks.append(p(story.closing))
    if story.link:
        blocks.append(p(story.link_lead, Run(story.link, url=story.link)))
    return blocks


# A figure a reply states: an amount, a percentage, a date, a count of days.
_FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")


def _figures(sentence: str, names: Sequence[str]) -> set[str]:
    """The decisive facts a sentence states: the item names it quotes and its figures."""
    found = {name for name in names if name and name in sentence}
    for name in found:
        sentence = sentence.replace(name, " ")  # "AeroBook 14 laptop" is a name, not a 14
    found.update(_FIGURE.findall(sentence))
    return found


def _decisive(
    answer: str, sentences: Sequence[str], stated: Collection[str], names: Sequence[str]
) -> list[str]:
    """What a chat bubble says after its answer: the next sentence, then each later one
    of the rules' own texts (``stated``) that states a fact not said yet.

    The bubble drops the whys and the asides, never the fee, the refund, the date or the
    item a rule's text is about: what the customer reply states, the chat states too.
    """
    said = _figures(answer, names)
    kept: list[str] = []
    for sentence in sentences:
        figures = _figures(sentence, names)
        if not kept or (sentence in stated and figures - said):
            kept.append(sentence)
            said |= figures
    return kept


def _chat(decision: Decision, book: Phrasebook) -> list[Block]:
    if _outcome(decision) == "needs_info":
        return [_ask(decision, book, "needs-info-chat")]
    story = _story(decision, book)
    sentences = [s for text in story.paragraphs for s in _sentences(text)]
    answer = story.opening or (sentences.pop(0) if sentences else "")
    first = f"{story.greeting} {_lower_first(answer)}".strip()
    stated = {s for reason in decision.reasons for s in _sentences(reason.text)}
    told = _decisive(answer, sentences, stated, decision.context.names)
    # Two sentences lead the bubble; the other facts (another item's refund, the date the
    # window closes) follow in a paragraph of their own.
    blocks = [p(" ".join([first, *told[:1]]))]
    if told[1:]:
        blocks.append(p(" ".join(told[1:])))
    blocks.extend(_offer_blocks(story))
    if story.closing:
        blocks.append(p(story.closing))
    if story.link:
        blocks.append(p(story.link_lead, Run(story.link, url=story.link)))
    return blocks


# --------------------------------------------------------------------------- the agent view

_OP_WORDS = {
    "eq": "",
    "ne": "not",
    "lt": "less than",
    "lte": "at most",
    "gt": "more than",
    "gte": "at least",
    "in": "one of",
    "not_in": "none of",
}
ValueFormat = Callable[[str, Any], str]
"""Formats a value of a fact for people (the policy's ``TextRenderer.format_value``)."""


def _condition_line(cond: Any, show: ValueFormat, locale: str) -> str:
    """ "days since your order arrived: required at most 30 days, actual 6 days — held".

    The values come from the trace's raw values, formatted by ``show`` in the pack's
    locale and currency; a list of them is joined as the locale lists ("a, b, or c")."""
    actual = UNKNOWN if cond.actual is None else show(cond.fact, cond.actual)
    required = cond.required
    if required is None:
        wanted = UNKNOWN
    elif isinstance(required, list | tuple | set | frozenset):
        wanted = join_words([show(cond.fact, v) for v in required], "or", locale)
    else:
        wanted = show(cond.fact, required)
    needed = f"{_OP_WORDS.get(cond.op, cond.op)} {wanted}".strip()
    return f"{cond.label}: required {needed}, actual {actual} — {cond.status}"


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


def _agent(decision: Decision, voice: Voice) -> list[Block]:
    book = voice.book
    ctx = decision.context
    outcome = _outcome(decision).replace("_", " ")
    kind = _kind(ctx).replace("_", " ")
    name = (ctx.customer_name or "").strip()
    who = f"from {name}" if name else "no customer name given"
    blocks = [p(Run("Outcome:", strong=True), f"{outcome} ({kind} request, {who})")]
    if decision.reasons:
        label = "Waiting on" if decision.outcome == "needs_info" else "Decided by"
        blocks.append(h(label))
        blocks.append(
            ul(
                [
                    f"{r.rule_id} — {r.title}"
                    + (" (the store erred: apologise)" if r.apology else "")
                ]
                for r in decision.reasons
            )
        )
    told = [
        " ".join(x for x in (r.text, f"Why: {r.why}" if r.why else "") if x)
        for r in decision.reasons
    ]
    if decision.questions:
        question = decision.questions[0]
        field = f" (request field {question.field})" if question.field else ""
        told = [f"Ask: {question.text}{field}", *told]
    told = [t for t in told if t]
    if told:
        blocks.append(h("What the customer is told"))
        if len(told) == 1:
            blocks.append(p(told[0], tight=True))
        else:
            blocks.append(ul([t] for t in told))
    traces = _shown_traces(decision)
    if traces:
        blocks.append(h("Conditions checked"))
        heads: list[list[Run | str]] = []
        subs: list[list[list[Run | str]]] = []
        for trace in traces:
            state = "decided" if trace.decided else trace.status
            heads.append([f"{trace.rule_id} ({state}, priority {trace.priority}): {trace.title}"])
            subs.append(
                [[_condition_line(c, voice.format_value, ctx.locale)] for c in trace.conditions]
            )
        blocks.append(ul(heads, subs))
    elif ctx.facts:
        blocks.append(h("Facts that mattered"))
        blocks.append(ul([f"{label}: {value}"] for label, value in ctx.facts.items()))
    if decision.alternatives:
        blocks.append(h("Alternatives"))
        alts: list[list[Run | str]] = []
        for alt in decision.alternatives:
            if alt.rule_id and alt.verified:
                granted = "partly granted" if alt.outcome == "partial" else "granted"
                tag = f"verified: {granted} by {alt.rule_id}"
            elif alt.rule_id:
                tag = f"not verified ({alt.rule_id}): check before offering"
            else:
                tag = "a path: nothing to re-check"
            alts.append([f"{alt.text} [{alt.kind.replace('_', ' ')}; {tag}]"])
        blocks.append(ul(alts))
    limits: list[list[Run | str]] = []
    # An escalated case is already on its way to the contact: say so once, and offer no
    # review by the person who has it.
    if ctx.agent_may_approve and _outcome(decision) != "escalate":
        args = {"escalation_contact": ctx.escalation_contact, "limit": ctx.agent_may_approve}
        limits.append([book.get("agent-may-approve", args)])
    if ctx.escalation_contact:
        limits.append([f"To escalate, pass the case to {ctx.escalation_contact}."])
    if limits:
        blocks.append(h("What you can do"))
        blocks.append(ul(limits))
    cites: list[list[Run | str]] = []
    for reason in decision.reasons:
        url = safe_url(reason.citation.url)
        label = reason.citation.title or reason.citation.section or "Policy"
        cites.append([f"{label}:", Run(url, url=url)] if url else [label])
    if cites:
        blocks.append(h("Policy"))
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


View = Callable[[Decision, Voice], list[Block]]

VIEWS: dict[str, View] = {
    "customer": lambda decision, voice: _customer(decision, voice.book),
    "agent": _agent,
    "chat": lambda decision, voice: _chat(decision, voice.book),
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
            ``chat`` (the answer with every amount, date and item the customer reply
            states, and the options; no whys).
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
