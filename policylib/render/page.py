"""The customer-facing policy page, generated from the rules that decide requests.

Publishing from the same pack the engine runs means the page and the decisions can never
disagree. The page reads like a store's policy page: each section of ``policy.yaml`` is a
heading (with the anchors the rules link to), its summary, and a short table of
situations, one row per rule in the order rules apply: the situation, what we do, what we
can offer instead, and an example. The rule-by-rule detail (why the rule exists, the
conditions it checks as a list, every worked example) is folded away under the table; a
link to a rule's citation anchor opens it.

The page is for customers: rule ids never appear in the visible text (they are kept as
comments for traceability), texts written for one customer are shown with neutral words
(a fact's label) instead of their ``{ $placeholders }``, and every word comes from a
Fluent catalog in the renderer's locale (``page-*`` messages and the pack's own words).

The page is built in layers: this module turns a pack into the page model
(``page_model``), choosing the order and the anchors and asking ``page_words`` for every
phrase; ``page_formats`` then writes that model as Markdown or HTML.

Typical use::

    import policylib

    page = policylib.load_policy().publish(format="html")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from policylib.errors import PolicyError
from policylib.lang.nodes import Pack, Rule, Section
from policylib.render.page_formats import to_html, to_markdown
from policylib.render.page_model import Entry, Headings, Page, Part
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
        format: ``"markdown"`` (headings, tables and lists) or ``"html"`` (a complete
            small document, every string escaped, readable on a phone).
        renderer: the pack's texts in the locale to publish in (``policy.voice(locale)``);
            the pack's own locale when not given.

    Returns:
        The page text. Sections follow ``policy.yaml``; rules within a section follow
        precedence (higher priority first), so the page reads in the order rules apply.

    Raises:
        PolicyError: ``format`` is neither ``"markdown"`` nor ``"html"``.
    """
    if format not in ("markdown", "html"):
        raise PolicyError(f"unknown page format {format!r}; use 'markdown' or 'html'")
    page = _build_page(pack, renderer or TextRenderer(pack))
    return to_markdown(page) if format == "markdown" else to_html(page)


# --------------------------------------------------------------------------- building
# The words are worked out once (``_build_page``); the two writers only lay them out.


class _Anchors:
    """The page's ids, each used once: the sections' and the rules' citation anchors as
    the pack names them (links in replies point there), and made-up ones for the rules
    whose anchor an earlier rule already carries, so each row can link to its detail."""

    def __init__(self, pack: Pack) -> None:
        self.reserved = {*pack.sections, *(r.citation.anchor for r in pack.rules)}
        self.used: set[str] = set()

    def claim(self, anchor: str) -> str:
        """``anchor`` if no element carries it yet, else ""."""
        if not anchor or anchor in self.used:
            return ""
        self.used.add(anchor)
        return anchor

    def made_up(self, stem: str) -> str:
        """A fresh id from ``stem`` ("returns-3"), clashing with no anchor of the pack."""
        number = 1
        while f"{stem}-{number}" in self.used or f"{stem}-{number}" in self.reserved:
            number += 1
        return self.claim(f"{stem}-{number}")


def _build_page(pack: Pack, renderer: TextRenderer) -> Page:
    words = Words(pack, renderer)
    anchors = _Anchors(pack)
    by_section: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.citation.section, []).append(rule)
    # The loader refuses a citation of an undeclared section, so no rule is left out here.
    assert set(by_section) <= set(pack.sections), sorted(set(by_section) - set(pack.sections))
    # Sections claim their ids first: a rule citing only its section links to the heading.
    section_anchors = {sid: anchors.claim(sid) for sid in pack.sections}
    parts = tuple(
        _part(words, anchors, section, section_anchors[section.id], by_section.get(section.id, []))
        for section in pack.sections.values()
    )
    intro = words.phrase("page-intro")
    contact = words.contact(None)
    if contact:
        intro = f"{intro} {words.phrase('page-intro-contact', contact=contact)}"
    default = words.text(pack.default_text)
    return Page(
        title=words.phrase("page-title", store_name=pack.store.name),
        lang=renderer.locale.replace("_", "-"),
        intro=intro,
        headings=_headings(words),
        parts=parts,
        closing=words.phrase("page-closing", default=default) if default else "",
    )


def _headings(words: Words) -> Headings:
    return Headings(
        situation=words.phrase("page-col-situation"),
        outcome=words.phrase("page-col-outcome"),
        offers=words.phrase("page-col-offers"),
        example=words.phrase("page-col-example"),
        details=words.phrase("page-details"),
        examples=words.phrase("page-examples"),
        contents=words.phrase("page-contents"),
        nothing=words.phrase("page-cell-none"),
    )


def _part(
    words: Words, anchors: _Anchors, section: Section, anchor: str, rules: Iterable[Rule]
) -> Part:
    title = words.section_title(section)
    entries = tuple(
        _entry(words, anchors.claim(rule.citation.anchor) or anchors.made_up(section.id), rule)
        for rule in sorted(rules, key=_precedence)
    )
    return Part(
        section_id=section.id,
        anchor=anchor,
        title=title,
        summary=words.section_summary(section),
        table_label=words.phrase("page-table-label", section=title),
        entries=entries,
    )


def _entry(words: Words, anchor: str, rule: Rule) -> Entry:
    offers = words.offers(rule)
    contact = words.contact(rule)
    examples = [e for e in words.pack.examples if e.rule == rule.id]
    first = words.example(examples[0], offers, contact, full=False) if examples else ""
    return Entry(
        rule_id=rule.id,
        anchor=anchor,
        cites=rule.citation.anchor,
        title=words.rule_title(rule),
        outcome=words.outcome(rule, contact),
        offers=words.offer_list(offers),
        example=first,
        why=words.text(rule.why),
        applies=words.lead(rule),
        conditions=words.conditions(rule),
        examples=tuple(dict.fromkeys(words.example(e, offers, contact) for e in examples)),
    )


def _precedence(rule: Rule) -> tuple[int, int, int]:
    """The engine's order: higher priority, then more specific, then load order."""
    return (-rule.priority, -rule.specificity, rule.order)
