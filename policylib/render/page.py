"""The customer-facing policy page, generated from the rules that decide requests.

Publishing from the same pack the engine runs means the page and the decisions can never
disagree: every section the rules cite is a heading (with the anchors the rules link to),
every rule is a plain-language entry (what it is about, why it exists, when it applies,
what the store can offer instead) and every worked example shows its outcome.

The page is for customers: rule ids never appear in the visible text (they are kept as
HTML comments for traceability) and texts written for one customer are rendered with
neutral words ("the item") instead of their ``{ $placeholders }``.

The page is built in layers: this module turns a pack into the page model
(``page_model``), choosing the order and the anchors and asking ``page_words`` for every
sentence; ``page_formats`` then writes that model as Markdown or HTML.

Typical use::

    import policylib

    page = policylib.load_policy().publish(format="html")
"""

from __future__ import annotations

from typing import Literal

from policylib.errors import PolicyError
from policylib.lang.nodes import Pack, Rule
from policylib.render.page_formats import to_html, to_markdown
from policylib.render.page_model import Entry, Page, Part
from policylib.render.page_words import Words
from policylib.render.texts import TextRenderer

__all__ = ["PageFormat", "render_policy_page"]

PageFormat = Literal["markdown", "html"]


def render_policy_page(
    pack: Pack, format: PageFormat = "markdown", renderer: TextRenderer | None = None
) -> str:
    """The store's published policy page, generated from the pack's rules.

    Args:
        pack: a loaded pack (``load_policy().pack`` or ``load_pack(path)``).
        format: ``"markdown"`` (clean headings and lists) or ``"html"`` (a complete small
            document, every string escaped).

    Returns:
        The page text. Sections follow ``policy.yaml``; rules within a section follow
        precedence (higher priority first), so the page reads in the order rules apply.

    Raises:
        PolicyError: ``format`` is neither ``"markdown"`` nor ``"html"``.
    """
    page = _build_page(pack, renderer or TextRenderer(pack))
    if format == "markdown":
        return to_markdown(page)
    if format == "html":
        return to_html(page)
    raise PolicyError(f"unknown page format {format!r}; use 'markdown' or 'html'")


# --------------------------------------------------------------------------- building
# The words are worked out once (``_build_page``); the two writers only lay them out.


def _build_page(pack: Pack, renderer: TextRenderer) -> Page:
    words = Words(pack, renderer)
    used_ids: set[str] = set()

    def claim(anchor: str) -> str:
        """Each id once per page: the first rule citing an anchor carries it."""
        if not anchor or anchor in used_ids:
            return ""
        used_ids.add(anchor)
        return anchor

    by_section: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.citation.section, []).append(rule)
    # The loader refuses a citation of an undeclared section, so no rule is left out here.
    assert set(by_section) <= set(pack.sections), sorted(set(by_section) - set(pack.sections))

    parts: list[Part] = []
    for section in pack.sections.values():
        section_anchor = claim(section.id)
        entries: list[Entry] = []
        for rule in sorted(by_section.get(section.id, []), key=_precedence):
            offers = tuple(dict.fromkeys(words.offer(o.kind) for o in rule.offers))
            contact = pack.escalation_for(rule).contact
            examples = (
                words.example(e, offers, contact) for e in pack.examples if e.rule == rule.id
            )
            entries.append(
                Entry(
                    rule_id=rule.id,
                    title=rule.title,
                    anchor=claim(rule.citation.anchor),
                    why=words.message(rule.why) if rule.why is not None else "",
                    applies=words.applies(rule),
                    result=words.result(rule.outcome, contact),
                    offers=offers,
                    examples=tuple(dict.fromkeys(examples)),
                )
            )
        parts.append(
            Part(
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
    contact = pack.escalation.contact
    if contact:
        intro += f" If your case doesn't fit, you can always ask for {contact}."
    default = words.message(pack.default_text)
    closing = f"When none of the rules above applies: {default}" if default else ""
    return Page(
        title=f"{store.name} customer service policy",
        lang=(store.locale or "en").replace("_", "-"),
        intro=intro,
        parts=tuple(parts),
        closing=closing,
    )


def _precedence(rule: Rule) -> tuple[int, int, int]:
    """The engine's order: higher priority, then more specific, then load order."""
    return (-rule.priority, -rule.specificity, rule.order)
