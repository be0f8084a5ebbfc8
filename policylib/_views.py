"""The audience views: a ``Decision`` laid out for a customer, an agent or a chat bubble.

Each view turns a decision into a tiny document (paragraphs, headings, lists of runs) with
no notion of format; ``serialize`` writes that document as plain text, markdown or an
html fragment. The customer and chat views tell the same story (``_story``): greeting,
answer, reasons, options, link; they differ only in how much of it fits. The agent view
shows the rules, the conditions checked and what the agent may do.

Imports only the model, the rule language's operator words and ``_phrases``.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from policylib._phrases import UNKNOWN, Phrasebook, format_day, format_money, join_words
from policylib.language import COMPARISON_OPS
from policylib.model import (
    Alternative,
    Decision,
    DecisionContext,
    Outcome,
    Reason,
    RequestKind,
    RuleTrace,
)

__all__ = ["VIEWS", "Audience", "Format", "View", "serialize"]

Audience = Literal["customer", "agent", "chat"]
Format = Literal["text", "markdown", "html"]

# --------------------------------------------------------------------------- a tiny document


@dataclass(frozen=True, slots=True)
class _Run:
    """Words of a paragraph or list item; plain text drops ``strong`` and shows a url bare."""

    text: str
    strong: bool = False
    url: str | None = None


_Item = tuple[tuple[_Run, ...], tuple[tuple[_Run, ...], ...]]
"""A list item: its words and its sub-items (one level deep is all a reply needs)."""


@dataclass(frozen=True, slots=True)
class _Block:
    kind: Literal["p", "ul", "h"]
    runs: tuple[_Run, ...] = ()
    items: tuple[_Item, ...] = ()
    tight: bool = False
    """Text format: no blank line before this block (a list under its lead-in)."""


def _p(*runs: _Run | str, tight: bool = False) -> _Block:
    return _Block("p", _runs(runs), tight=tight)


def _runs(parts: Sequence[_Run | str]) -> tuple[_Run, ...]:
    """The parts as runs, empty ones dropped: the serializers never see an empty run."""
    out: list[_Run] = []
    for part in parts:
        run = part if isinstance(part, _Run) else _Run(part)
        if run.text:
            out.append(run)
    return tuple(out)


def _ul(
    items: Iterable[Sequence[_Run | str]],
    children: Sequence[Sequence[Sequence[_Run | str]]] = (),
) -> _Block:
    """A list, right under its lead-in; ``children[i]`` are the sub-items of item ``i``."""
    out: list[_Item] = []
    for index, item in enumerate(items):
        subs = children[index] if index < len(children) else ()
        out.append((_runs(item), tuple(_runs(sub) for sub in subs)))
    return _Block("ul", items=tuple(out), tight=True)


def _h(text: str) -> _Block:
    return _Block("h", (_Run(text),))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _runs_text(runs: Sequence[_Run]) -> str:
    return " ".join([r.text for r in runs])


def _runs_md(runs: Sequence[_Run]) -> str:
    out: list[str] = []
    for run in runs:
        if run.url is not None:
            label = _md(run.text)
            out.append(f"<{run.url}>" if run.text == run.url else f"[{label}]({run.url})")
        elif run.strong:
            out.append(f"**{_md(run.text)}**")
        else:
            out.append(_md(run.text))
    return " ".join(out)


def _runs_html(runs: Sequence[_Run], isolate: re.Pattern[str] | None = None) -> str:
    out: list[str] = []
    for run in runs:
        text = html.escape(run.text, quote=True)
        if isolate is not None:  # a customer's own words keep their direction to themselves
            text = isolate.sub(r"<bdi>\g<0></bdi>", text)
        if run.url is not None:
            out.append(f'<a href="{html.escape(run.url, quote=True)}">{text}</a>')
        elif run.strong:
            out.append(f"<strong>{text}</strong>")
        else:
            out.append(text)
    return " ".join(out)


def _list_html(items: Sequence[_Item], isolate: re.Pattern[str] | None) -> str:
    out: list[str] = []
    for runs, subs in items:
        inner = "".join(f"<li>{_runs_html(sub, isolate)}</li>" for sub in subs)
        out.append(
            f"<li>{_runs_html(runs, isolate)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"
        )
    return "<ul>" + "".join(out) + "</ul>"


def _isolating(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the (escaped) names, longest first, or None."""
    shown = sorted({html.escape(n, quote=True) for n in names if n.strip()}, key=len, reverse=True)
    if not shown:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in shown) + r")(?!\w)")


def serialize(blocks: Sequence[_Block], format: Format, isolate: Sequence[str] = ()) -> str:
    """The document as plain text, markdown or an html fragment (every value escaped).

    In html, each of ``isolate`` (names the customer or the store's catalog wrote) is set
    in ``<bdi>``, so right-to-left text in a name cannot reorder the sentence around it.
    """
    if format == "html":
        pattern = _isolating(isolate)
        parts: list[str] = []
        for block in blocks:
            if block.kind == "p":
                parts.append(f"<p>{_runs_html(block.runs, pattern)}</p>")
            elif block.kind == "h":
                parts.append(f"<h3>{_runs_html(block.runs, pattern)}</h3>")
            else:
                parts.append(_list_html(block.items, pattern))
        return "\n".join(parts)
    markdown = format == "markdown"
    render = _runs_md if markdown else _runs_text
    text_parts: list[str] = []
    for block in blocks:
        if block.kind == "ul":
            lines: list[str] = []
            for runs, subs in block.items:
                lines.append(f"- {render(runs)}")
                lines.extend(f"  - {render(sub)}" for sub in subs)
            body = "\n".join(lines)
        elif block.kind == "h":
            title = _runs_text(block.runs)
            body = f"### {_md(title)}" if markdown else title
        else:
            body = render(block.runs)
        if not body:
            continue
        if text_parts and block.tight and format == "text":
            text_parts[-1] += "\n" + body
        else:
            text_parts.append(body)
    return "\n\n".join(text_parts)


# --------------------------------------------------------------------------- helpers


_URL_REFUSED = re.compile(r"[\s\x00-\x1f\x7f\"<>\\`]")


@functools.lru_cache(maxsize=256)
@functools.lru_cache(maxsize=1024)
def _safe_url(url: str | None) -> str | None:
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
# says the same thing twice ("We can't take this return. We can't take it back."). Keys:
# "<outcome>-<kind>" first, then "<outcome>".
_ANSWERED: dict[str, re.Pattern[str]] = {
    "denied": re.compile(
        r"\b(can't|cannot|can not|won't|isn't possible|aren't able|not able|unable)\b",
        re.I,
    ),
    "escalate": re.compile(
        r"\b(will (look|review|check|contact|call|reply|write|get back)|passed|handed)\b", re.I
    ),
    "partial": re.compile(r"\b(we can|we'll)\b.*\bbut\b", re.I),
    "granted-cancel": re.compile(r"\b(is|are|has been|have been|now) (cancelled|canceled)\b", re.I),
    "partial-cancel": re.compile(
        r"\b(is|are|has been|have been|now) (cancelled|canceled)\b.*\bbut\b", re.I
    ),
    "granted-delivery_estimate": re.compile(r"\b(arrive|arrives|arriving|delivered)\b", re.I),
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
    kind = ctx.request_kind
    return kind.value if isinstance(kind, RequestKind) else str(kind)


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
    args = {"escalation_contact": ctx.escalation_contact or "a member of our team"}
    ids: tuple[str, ...] = (f"{outcome}-{kind}", outcome)
    if outcome == "partial" and len({_value_of(r.outcome) for r in decision.reasons}) > 1:
        ids = (f"partial-mixed-{kind}", "partial-mixed", *ids)  # items decided differently
    headline = book.first(ids, args)
    opening = headline
    answered = _ANSWERED.get(f"{outcome}-{kind}") or _ANSWERED.get(outcome)
    if any(r.apology for r in decision.reasons):
        sorry = book.first((f"apology-{outcome}", "apology"))
        if _SORRY.match(first):
            # The rule says sorry in its own words: those words open the reply.
            sorry = ""
        answer = "" if outcome in ("granted", "partial") else headline
        opening = " ".join(x for x in (sorry, answer) if x)
    elif answered is not None and answered.search(first):
        opening = ""
    elif outcome == "granted" and kind != "cancel" and _WE_CAN.match(first):
        opening = book.get("good-news")
        paragraphs[0] = _lower_first(paragraphs[0])
    offers = _unique(_offer_text(a, book) for a in decision.alternatives)[:_MAX_OFFERS]
    offers_lead = ""
    if offers:
        offers_lead = book.first((f"offers-{outcome}-{kind}", f"offers-{outcome}", "offers-denied"))
    closing = ""
    if not offers and outcome in ("denied", "partial"):
        closing = book.get("no-offers")
    citation = next((r.citation for r in decision.reasons if _safe_url(r.citation.url)), None)
    link = _safe_url(citation.url) if citation else _safe_url(ctx.policy_url)
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


def _ask(decision: Decision, book: Phrasebook, lead_in: str) -> _Block:
    """The greeting, the lead-in phrase and the one question of a needs_info decision."""
    question = decision.questions[0].text.strip() if decision.questions else ""
    if not question:
        question = book.get("question-generic", {"fact_label": "details of your order"})
    first = f"{_greeting(decision.context, book)} {book.get(lead_in)}".strip()
    return _p(first, _Run(question, strong=True))


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
    """A rule title that reads as a clause ("opened hygiene items cannot be returned")."""
    return (
        len(title.split()) >= 3
        and not re.search(r"[:;(\[\u2014\u2013/]|\b[A-Z]{2,}-?\d", title)
        and not title.isupper()
    )


def _offer_blocks(story: _Story, limit: int | None = None) -> list[_Block]:
    """The options' lead-in and the list of options (none without options).

    When every option ends with the same sentence (the granting rule's words, say "There's
    no charge for the change."), it is said once, under the list, not in every line.
    """
    if not story.offers:
        return []
    offers, shared = _shared_ending(story.offers[:limit])
    blocks = [_p(story.offers_lead), _ul([o] for o in offers)]
    if shared:
        blocks.append(_p(shared))
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


def _customer(decision: Decision, book: Phrasebook) -> list[_Block]:
    if _outcome(decision) == "needs_info":
        blocks = [_ask(decision, book, "needs-info")]
        why = _why_asked(decision, book)
        if why:
            blocks.append(_p(" ".join(why)))
        return blocks
    story = _story(decision, book)
    blocks = [_p(story.greeting)]
    lead = _p(_Run(story.opening, strong=True), *story.paragraphs[:1])
    if lead.runs:
        blocks.append(lead)
    blocks.extend(_p(paragraph) for paragraph in story.paragraphs[1:])
    blocks.extend(_offer_blocks(story))
    if story.closing:
        blocks.append(_p(story.closing))
    if story.link:
        blocks.append(_p(story.link_lead, _Run(story.link, url=story.link)))
    return blocks


def _chat(decision: Decision, book: Phrasebook) -> list[_Block]:
    if _outcome(decision) == "needs_info":
        return [_ask(decision, book, "needs-info-chat")]
    story = _story(decision, book)
    sentences = [s for text in story.paragraphs for s in _sentences(text)]
    answer = story.opening or (sentences.pop(0) if sentences else "")
    first = f"{story.greeting} {_lower_first(answer)}".strip()
    second = sentences[0] if sentences else ""
    blocks = [_p(first if not second else f"{first} {second}"), *_offer_blocks(story, 4)]
    if story.link:
        blocks.append(_p(story.link_lead, _Run(story.link, url=story.link)))
    return blocks


# --------------------------------------------------------------------------- the agent view

_OP_WORDS = {op: words.removeprefix("is ") for op, words in COMPARISON_OPS.items()}
_OP_WORDS["eq"] = ""
_OP_WORDS["ne"] = "not"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COUNTED = re.compile(r"^[\d.,]+ ([a-z ]+)$")


def _agent_value(raw: Any, like: str | None = None) -> str:
    """A trace value for an agent: plain words, with the unit of the actual value if known."""
    if raw is None:
        return UNKNOWN
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, list | tuple | set | frozenset):
        return join_words([_agent_value(v) for v in raw], "or")
    if isinstance(raw, date):
        return format_day(raw if not isinstance(raw, datetime) else raw.date(), "en_US", True)
    text = str(raw)
    match = _ISO_DAY.match(text)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
        return format_day(day, "en_US", True)
    if like and re.fullmatch(r"-?\d+(\.\d+)?", text):
        if like.startswith("$"):
            return format_money(Decimal(text), "USD", "en_US")
        if like.endswith("%"):
            return f"{text}%"
        unit = _COUNTED.match(like)
        if unit:
            words = unit[1]
            singular = words[:-1] if words.endswith("s") else words
            return f"{text} {singular if Decimal(text) == 1 else singular + 's'}"
    return text.replace("_", " ")


def _same_value(raw: Any, formatted: str) -> bool:
    """Whether a formatted fact shows this raw trace value (items of one order can differ)."""
    if isinstance(raw, bool):
        return formatted == ("yes" if raw else "no")
    if isinstance(raw, int | float | Decimal) or re.fullmatch(r"-?\d+(\.\d+)?", str(raw)):
        number = str(raw).lstrip("-")
        shown = formatted.replace(",", "")
        return bool(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", shown))
    return _agent_value(raw) == formatted


def _condition_line(cond: Any, facts: Mapping[str, str]) -> str:
    """ "days since your order arrived: required at most 30 days, actual 6 days — held"."""
    shown = facts.get(cond.label)
    if cond.actual is None:
        actual = UNKNOWN
    elif shown is not None and _same_value(cond.actual, shown):
        actual = shown
    else:
        actual = _agent_value(cond.actual, shown)
    like = actual if cond.actual is not None else None
    needed = f"{_OP_WORDS.get(cond.op, cond.op)} {_agent_value(cond.required, like)}".strip()
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


def _agent(decision: Decision, _book: Phrasebook) -> list[_Block]:
    ctx = decision.context
    outcome = _outcome(decision).replace("_", " ")
    kind = _kind(ctx).replace("_", " ")
    name = (ctx.customer_name or "").strip()
    who = f"from {name}" if name else "no customer name given"
    blocks = [_p(_Run("Outcome:", strong=True), f"{outcome} ({kind} request, {who})")]
    if decision.reasons:
        label = "Waiting on" if decision.outcome == "needs_info" else "Decided by"
        blocks.append(_h(label))
        blocks.append(
            _ul(
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
        blocks.append(_h("What the customer is told"))
        if len(told) == 1:
            blocks.append(_p(told[0], tight=True))
        else:
            blocks.append(_ul([t] for t in told))
    traces = _shown_traces(decision)
    if traces:
        blocks.append(_h("Conditions checked"))
        heads: list[list[_Run | str]] = []
        subs: list[list[list[_Run | str]]] = []
        for trace in traces:
            state = "decided" if trace.decided else trace.status
            heads.append([f"{trace.rule_id} ({state}, priority {trace.priority}): {trace.title}"])
            subs.append([[_condition_line(cond, ctx.facts)] for cond in trace.conditions])
        blocks.append(_ul(heads, subs))
    elif ctx.facts:
        blocks.append(_h("Facts that mattered"))
        blocks.append(_ul([f"{label}: {value}"] for label, value in ctx.facts.items()))
    if decision.alternatives:
        blocks.append(_h("Alternatives"))
        alts: list[list[_Run | str]] = []
        for alt in decision.alternatives:
            if alt.rule_id and alt.verified:
                tag = f"verified: granted by {alt.rule_id}"
            elif alt.rule_id:
                tag = f"not verified ({alt.rule_id}): check before offering"
            else:
                tag = "a path: nothing to re-check"
            alts.append([f"{alt.text} [{alt.kind.replace('_', ' ')}; {tag}]"])
        blocks.append(_ul(alts))
    limits: list[list[_Run | str]] = []
    if ctx.agent_may_approve:
        limits.append(
            [
                "You may offer a supervisor review; the supervisor may approve a goodwill "
                f"gesture of up to {ctx.agent_may_approve}."
            ]
        )
    if ctx.escalation_contact:
        limits.append([f"To escalate, pass the case to {ctx.escalation_contact}."])
    if limits:
        blocks.append(_h("What you can do"))
        blocks.append(_ul(limits))
    cites: list[list[_Run | str]] = []
    for reason in decision.reasons:
        url = _safe_url(reason.citation.url)
        label = reason.citation.title or reason.citation.section or "Policy"
        cites.append([f"{label}:", _Run(url, url=url)] if url else [label])
    if cites:
        blocks.append(_h("Policy"))
        blocks.append(_ul(_unique_runs(cites)))
    return blocks


def _unique_runs(items: list[list[_Run | str]]) -> list[list[_Run | str]]:
    seen: set[tuple[_Run | str, ...]] = set()
    out: list[list[_Run | str]] = []
    for item in items:
        key = tuple(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


View = Callable[[Decision, Phrasebook], list[_Block]]

VIEWS: dict[str, View] = {"customer": _customer, "agent": _agent, "chat": _chat}
"""Audience -> view."""
