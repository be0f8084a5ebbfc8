"""The policy page as data: what ``page`` works out from a pack, ``page_formats`` lays out.

Every string here is final customer-facing text in the page's language, phrased but not
yet escaped; an empty string (an anchor, a ``why``, an example, the closing) means the
page leaves that piece out. Rule ids are kept for the writers' traceability comments and
are never shown as text.

The shape follows how people read a store's policy page: each section is its summary and
a short table of situations (one row per rule); the detail of each rule (why it exists,
what it checks, its worked examples) is folded away under the table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Clause", "Entry", "Headings", "Page", "Part"]


@dataclass(frozen=True)
class Clause:
    """One bullet of a rule's conditions; ``items`` are its sub-bullets ("One of these:"
    followed by the alternatives), so no condition ever needs brackets to be read."""

    text: str
    items: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One rule: a row of its section's table, and its folded detail.

    Attributes:
        anchor: the id of the rule's detail (its citation anchor when it is the first to
            cite it, else one made up for the page), which the row links to.
        cites: the citation anchor the rule's replies link to ("" for its section), so a
            link to it can open every rule citing it.
        outcome: what we do, as a short sentence ("We can't do this.").
        offers: what we can offer instead, as one phrase ("" for nothing).
        example: the first worked example, shortly ("" for none).
        applies: the line above the conditions ("This applies to returns when:").
        conditions: the conditions as bullets.
        examples: every worked example with its full answer.
    """

    rule_id: str
    anchor: str
    cites: str
    title: str
    outcome: str
    offers: str
    example: str
    why: str
    applies: str
    conditions: tuple[Clause, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One section of ``policy.yaml`` with its rules, in precedence order."""

    section_id: str
    anchor: str
    title: str
    summary: str
    table_label: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Headings:
    """The page's fixed words around the content: column names, headings, labels."""

    situation: str
    outcome: str
    offers: str
    example: str
    details: str
    examples: str
    contents: str
    nothing: str
    """What an empty cell shows."""


@dataclass(frozen=True)
class Page:
    """The whole page: title, introduction, sections and the closing line."""

    title: str
    lang: str
    intro: str
    headings: Headings
    parts: tuple[Part, ...]
    closing: str
