"""The policy page as data: what ``page`` works out from a pack, ``page_formats`` lays out.

Every string here is final customer-facing text, phrased but not yet escaped; an empty
anchor (or ``why``, ``summary``, ``closing``) means the page leaves that piece out. Rule ids
are kept for the writers' traceability comments and are never shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry", "Page", "Part"]


@dataclass(frozen=True)
class Entry:
    """One rule as the page shows it."""

    rule_id: str
    title: str
    anchor: str
    why: str
    applies: str
    result: str
    offers: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One section of ``policy.yaml`` with its rules, in precedence order."""

    section_id: str
    anchor: str
    title: str
    summary: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Page:
    """The whole page: title, introduction, sections and the closing line."""

    title: str
    lang: str
    intro: str
    parts: tuple[Part, ...]
    closing: str
