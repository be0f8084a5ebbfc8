"""The customer-facing policy page, generated from the rules that decide requests.

Publishing from the same pack the engine runs means the page and the decisions can never
disagree: every section the rules cite is a heading (with the anchors the rules link to),
every rule is a plain-language entry (what it is about, why it exists, when it applies,
what the store can offer instead) and every worked example shows its outcome.

The page is for customers: rule ids never appear in the visible text (they are kept as
HTML comments for traceability) and texts written for one customer are rendered with
neutral words ("the item") instead of their ``{ $placeholders }``.

Typical use::

    from policylib import load_policy
    from policylib.publish import render_policy_page

    page = render_policy_page(load_policy().pack, format="html")
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

from policylib.language import (
    COMPARISON_OPS,
    All,
    Compare,
    Condition,
    Example,
    Message,
    Not,
    Pack,
    Rule,
    Section,
    Value,
)

__all__ = ["PageFormat", "render_policy_page"]

PageFormat = Literal["markdown", "html"]

KIND_WORDS: dict[str, str] = {
    "return": "returns",
    "exchange": "exchanges",
    "cancel": "cancellations",
    "change_delivery": "delivery changes",
    "delivery_estimate": "delivery estimates",
    "price_adjustment": "price adjustments",
}
"""Request kind -> plural plain words ("Applies to returns and exchanges when ...")."""

OFFER_WORDS: dict[str, str] = {
    "store_credit": "store credit",
    "refund": "a refund",
    "partial_refund": "a partial refund",
    "exchange": "an exchange",
    "repair": "a repair",
    "replacement": "a replacement",
    "supervisor_review": "a review of your case by a supervisor",
    "price_adjustment": "a price adjustment",
    "reschedule": "another delivery date",
    "goodwill": "a goodwill gesture",
    "cancel_order": "cancelling the order",
    "refuse_delivery": "refusing the delivery",
    "return_after_delivery": "a return once the order arrives",
}
"""Offer kind -> plain words; unknown kinds read as their name with spaces."""

_NEGATED_OPS: dict[str, str] = {
    "eq": "ne",
    "ne": "eq",
    "lt": "gte",
    "gte": "lt",
    "gt": "lte",
    "lte": "gt",
    "in": "not_in",
    "not_in": "in",
}

_DETERMINERS = ("the ", "your ", "our ", "a ", "an ", "whether ", "what ", "how ", "which ")
_ARTICLE_BEFORE = re.compile(r"(?i)\b(a|an|the|your)\s+$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_FILE_NAME = re.compile(r"(?i)^(?:request file\s+)?(?:[\w.-]+/)*([\w.-]+)\.json$")


def render_policy_page(pack: Pack, format: PageFormat = "markdown") -> str:
    """The store's published policy page, generated from the pack's rules.

    Args:
        pack: a loaded pack (``load_policy().pack`` or ``loader.load_pack(path)``).
        format: ``"markdown"`` (clean headings and lists) or ``"html"`` (a complete small
            document, every string escaped).

    Returns:
        The page text. Sections follow ``policy.yaml``; rules within a section follow
        precedence (higher priority first), so the page reads in the order rules apply.

    Raises:
        ValueError: ``format`` is neither ``"markdown"`` nor ``"html"``.
    """
    page = _build_page(pack)
    if format == "markdown":
        return _to_markdown(page)
    if format == "html":
        return _to_html(page)
    raise ValueError(f"unknown page format {format!r}; use 'markdown' or 'html'")


# --------------------------------------------------------------------------- page model
# The words are worked out once (``_build_page``); the two writers only lay them out.


@dataclass(frozen=True)
class _Entry:
    rule_id: str
    title: str
    anchor: str
    why: str
    applies: str
    result: str
    offers: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class _Part:
    section_id: str
    anchor: str
    title: str
    summary: str
    entries: tuple[_Entry, ...]


@dataclass(frozen=True)
class _Page:
    title: str
    lang: str
    intro: str
    parts: tuple[_Part, ...]
    closing: str


def _build_page(pack: Pack) -> _Page:
    words = _Words(pack)
    used_ids: set[str] = set()

    def claim(anchor: str) -> str:
        """Each id once per page: the first rule citing an anchor carries it."""
        if not anchor or anchor in used_ids:
            return ""
        used_ids.add(anchor)
        return anchor

    by_section: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.citation.section or rule.section, []).append(rule)
    sections: list[Section] = list(pack.sections.values())
    orphans = [sid for sid in by_section if sid not in pack.sections]
    if orphans:  # the loader refuses these; never drop a rule from the page regardless
        sections.append(Section(id="other", title="Other policies"))
        by_section.setdefault("other", [])
        for sid in orphans:
            if sid != "other":
                by_section["other"].extend(by_section.pop(sid))

    parts: list[_Part] = []
    for section in sections:
        section_anchor = claim(section.id)
        entries: list[_Entry] = []
        for rule in sorted(by_section.get(section.id, []), key=_precedence):
            entries.append(
                _Entry(
                    rule_id=rule.id,
                    title=rule.title,
                    anchor=claim(rule.citation.anchor),
                    why=words.message(rule.why) if rule.why is not None else "",
                    applies=words.applies(rule),
                    result=words.result(rule.outcome),
                    offers=tuple(dict.fromkeys(words.offer(o.kind) for o in rule.offers)),
                    examples=tuple(words.example(e) for e in pack.examples if e.rule == rule.id),
                )
            )
        parts.append(
            _Part(
                section_id=section.id,
                anchor=section_anchor,
                title=section.title,
                summary=" ".join(section.summary.split()),
                entries=tuple(entries),
            )
        )

    store = pack.store
    intro = (
        "This page is generated from the same rules we use to decide every request, "
        "so what you read here is exactly what we apply."
    )
    if store.escalation_contact:
        intro += f" If your case doesn't fit, you can always ask for {store.escalation_contact}."
    default = words.message(pack.default_text)
    closing = f"When none of the rules above applies: {default}" if default else ""
    return _Page(
        title=f"{store.name} customer service policy",
        lang=(store.locale or "en").replace("_", "-"),
        intro=intro,
        parts=tuple(parts),
        closing=closing,
    )


def _precedence(rule: Rule) -> tuple[int, int, int]:
    """The engine's order: higher priority, then more specific, then load order."""
    return (-rule.priority, -rule.specificity, rule.order)


# --------------------------------------------------------------------------- plain words


class _Words:
    """Turns a pack's data into customer-facing sentences."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack

    # ---- outcomes

    def result(self, outcome: str) -> str:
        contact = self.pack.store.escalation_contact or "a supervisor"
        return {
            "granted": "we can do what you ask",
            "partial": "we can do part of what you ask",
            "denied": "we can't do what you ask",
            "needs_info": "we'll ask you a question before we decide",
            "escalate": f"we pass your request to {contact}",
        }.get(outcome, outcome.replace("_", " "))

    def outcome(self, outcome: str) -> str:
        contact = self.pack.store.escalation_contact or "a supervisor"
        return {
            "granted": "granted",
            "partial": "partly granted",
            "denied": "not granted",
            "needs_info": "we ask for more information first",
            "escalate": f"passed to {contact}",
        }.get(outcome, outcome.replace("_", " "))

    def offer(self, kind: str) -> str:
        contact = self.pack.store.escalation_contact
        if kind == "supervisor_review" and contact:
            return f"a review of your case by {contact}"
        return OFFER_WORDS.get(kind, kind.replace("_", " "))

    def example(self, example: Example) -> str:
        name = " ".join(example.name.split())
        # "request file late_refund_day_45.json" is for pack authors; show "late refund day 45"
        found = _FILE_NAME.match(name)
        if found is not None:
            name = found.group(1).replace("_", " ").replace("-", " ")
        return f"{name[:1].upper()}{name[1:]}: {self.outcome(example.outcome)}."

    # ---- conditions

    def applies(self, rule: Rule) -> str:
        kinds = _join([KIND_WORDS.get(k, k.replace("_", " ")) for k in rule.kinds], "and")
        return f"Applies to {kinds or 'requests'} when: {self.condition(rule.when, top=True)}."

    def condition(self, cond: Condition, *, top: bool = False, negate: bool = False) -> str:
        if isinstance(cond, Not):
            return self.condition(cond.item, top=top, negate=not negate)
        if isinstance(cond, Compare):
            op = _NEGATED_OPS.get(cond.op, cond.op) if negate else cond.op
            return self.compare(cond.fact, op, cond.value)
        # De Morgan: a negated "all" is an "any" of negations, and the other way round.
        is_all = isinstance(cond, All) != negate
        parts = [self.condition(item, negate=negate) for item in cond.items]
        if len(parts) == 1:
            return parts[0]
        if is_all:
            text = ", and ".join(parts) if top else " and ".join(parts)
        else:
            text = f"either {_join(parts, 'or')}" if len(parts) == 2 else _join(parts, "or")
        return text if top else f"({text})"

    def compare(self, fact: str, op: str, value: Value) -> str:
        definition = self.pack.facts.get(fact)
        label = definition.label if definition is not None else fact.replace("_", " ")
        ops = COMPARISON_OPS.get(op, op.replace("_", " "))
        return f"{label} {ops} {self.value(fact, value, op)}"

    def value(self, fact: str, value: Value, op: str = "eq") -> str:
        if isinstance(value, tuple):
            shown = [self.value(fact, v) for v in value]
            return _join(shown, "or")
        if isinstance(value, bool):
            return "yes" if value else "no"
        definition = self.pack.facts.get(fact)
        unit = definition.unit if definition is not None else ""
        type_ = definition.type if definition is not None else ""
        if isinstance(value, date):
            return f"{value:%B} {value.day}, {value.year}"
        if isinstance(value, Decimal | int) and (type_ == "money" or unit == "currency"):
            return self.money(value)
        if isinstance(value, Decimal | int) and unit == "percent":
            return f"{value}%"
        if isinstance(value, str):
            return value.replace("_", " ")
        return str(value)

    def money(self, amount: Decimal | int) -> str:
        currency = self.pack.store.currency or "USD"
        try:
            from babel.numbers import format_currency

            return str(format_currency(amount, currency, locale=self.pack.store.locale))
        except Exception:  # an odd locale must not break the page; plain amount instead
            return f"{amount} {currency}"

    # ---- Fluent texts without a customer

    def message(self, message: Message) -> str:
        """A Fluent text with each placeholder replaced by neutral words ("the item")."""
        parsed = FluentParser().parse("m = " + "\n    ".join(message.source.splitlines()) + "\n")
        entry = parsed.body[0] if parsed.body else None
        if isinstance(entry, fl.Message) and entry.value is not None:
            text = self._pattern(entry.value)
        else:  # not parseable here: drop the braces' syntax, keep the words
            text = _PLACEHOLDER.sub(lambda m: self._neutral_from_source(m.group(0)), message.source)
        text = " ".join(text.split())
        return _PLACEHOLDER.sub("", text) if "{" in text else text

    def _pattern(self, pattern: Any) -> str:
        out = ""
        for element in pattern.elements:
            if isinstance(element, fl.TextElement):
                out += element.value
            elif isinstance(element, fl.Placeable):
                out = self._placeable(element.expression, out)
        return out

    def _placeable(self, expression: Any, before: str) -> str:
        if isinstance(expression, fl.VariableReference):
            return _attach(before, self.neutral(expression.id.name))
        if isinstance(expression, fl.StringLiteral | fl.NumberLiteral):
            return before + str(expression.value)
        if isinstance(expression, fl.SelectExpression):
            for variant in expression.variants:
                if variant.default:
                    return before + self._pattern(variant.value)
        if isinstance(expression, fl.Placeable):
            return self._placeable(expression.expression, before)
        return before

    def _neutral_from_source(self, braces: str) -> str:
        found = re.search(r"\$([A-Za-z][A-Za-z0-9_-]*)", braces)
        return self.neutral(found.group(1)) if found else ""

    def neutral(self, name: str) -> str:
        """Words standing for a fact's value on a page read by every customer."""
        settings = self.pack.settings
        setting = settings.get(name)
        if isinstance(setting, int | Decimal | str) and not isinstance(setting, bool):
            return self.value(name, setting)  # pack-wide: the real number
        if name in {"item_name", "item"}:
            return "the item"
        if name == "customer_name":
            return "there"
        if name.endswith("_name"):
            return "the " + name[: -len("_name")].replace("_", " ")
        definition = self.pack.facts.get(name)
        label = definition.label if definition is not None else name.replace("_", " ")
        label = " ".join(label.split())
        if label.lower().startswith(_DETERMINERS):
            return label
        return f"the {label}"


def _attach(before: str, phrase: str) -> str:
    """Insert a neutral phrase, merging it with an article just before it.

    ``"Once a " + "the item"`` reads "Once an item"; ``"Your " + "the item"`` "Your item".
    """
    found = _ARTICLE_BEFORE.search(before)
    if found is None or not phrase.lower().startswith("the "):
        return before + phrase
    noun = phrase[len("the ") :]
    article = found.group(1)
    if article.lower() in {"a", "an"}:
        fitting = "an" if noun[:1].lower() in "aeiou" else "a"
        article = fitting.capitalize() if article[:1].isupper() else fitting
    return before[: found.start()] + f"{article} {noun}"


def _join(parts: Sequence[str], word: str) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _md(text: str) -> str:
    """Escape text so a Markdown renderer shows it literally (and renders no HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def _md_comment(rule_id: str) -> str:
    return f"<!-- rule {rule_id.replace('--', '- -')} -->"


def _to_markdown(page: _Page) -> str:
    lines: list[str] = [f"# {_md(page.title)}", "", _md(page.intro), ""]
    for part in page.parts:
        if part.anchor:
            lines.append(f'<a id="{html.escape(part.anchor)}"></a>')
        lines += [f"## {_md(part.title)}", ""]
        if part.summary:
            lines += [_md(part.summary), ""]
        if not part.entries:
            continue
        for entry in part.entries:
            lines.append(_md_comment(entry.rule_id))
            if entry.anchor:
                lines.append(f'<a id="{html.escape(entry.anchor)}"></a>')
            lines += [f"### {_md(entry.title)}", ""]
            if entry.why:
                lines += [_md(entry.why), ""]
            lines.append(f"- {_md(entry.applies)}")
            lines.append(f"- **What happens:** {_md(_sentence(entry.result))}")
            if entry.offers:
                lines.append(f"- **What we may be able to offer:** {_md(_offers(entry.offers))}")
            if entry.examples:
                lines.append("- **Examples:**")
                lines += [f"  - {_md(example)}" for example in entry.examples]
            lines.append("")
    if page.closing:
        lines += [_md(page.closing), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- HTML

_CSS = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:2rem auto;"
    "padding:0 1rem;color:#222}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}"
    "h3{margin-bottom:.25rem}dt{font-weight:600}dd{margin:0 0 .5rem 0}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _id(anchor: str) -> str:
    return f' id="{_e(anchor)}"' if anchor else ""


def _html_comment(rule_id: str) -> str:
    # "--" may not appear inside an HTML comment; ids never hold it, but be safe.
    return f"<!-- rule {_e(rule_id).replace('--', '- -')} -->"


def _to_html(page: _Page) -> str:
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(page.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(page.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(page.title)}</h1>",
        f"<p>{_e(page.intro)}</p>",
    ]
    if len(page.parts) > 1:
        out.append('<nav aria-label="Sections"><ul>')
        for part in page.parts:
            target = f'<a href="#{_e(part.anchor)}">' if part.anchor else ""
            close = "</a>" if part.anchor else ""
            out.append(f"<li>{target}{_e(part.title)}{close}</li>")
        out.append("</ul></nav>")
    for part in page.parts:
        out.append("<section>")
        out.append(f"<h2{_id(part.anchor)}>{_e(part.title)}</h2>")
        if part.summary:
            out.append(f"<p>{_e(part.summary)}</p>")
        for entry in part.entries:
            out.append(_html_comment(entry.rule_id))
            out.append("<article>")
            out.append(f"<h3{_id(entry.anchor)}>{_e(entry.title)}</h3>")
            if entry.why:
                out.append(f"<p>{_e(entry.why)}</p>")
            out.append(f"<p>{_e(entry.applies)}</p>")
            out.append("<dl>")
            out.append(f"<dt>What happens</dt><dd>{_e(_sentence(entry.result))}</dd>")
            if entry.offers:
                offers = _e(_offers(entry.offers))
                out.append(f"<dt>What we may be able to offer</dt><dd>{offers}</dd>")
            if entry.examples:
                items = "".join(f"<li>{_e(example)}</li>" for example in entry.examples)
                out.append(f"<dt>Examples</dt><dd><ul>{items}</ul></dd>")
            out.append("</dl>")
            out.append("</article>")
        out.append("</section>")
    if page.closing:
        out.append(f"<p>{_e(page.closing)}</p>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- shared bits


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _offers(offers: Iterable[str]) -> str:
    words = list(offers)
    return _sentence(_join(words, "or")) if words else ""
