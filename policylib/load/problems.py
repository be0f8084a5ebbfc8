"""Collecting a load's problems: each one located, with a caret excerpt, reported together.

The loader never stops at the first mistake. Every reader reports into one ``Problems``
collector, which knows each file's lines (for the excerpt under a problem) and the order
files were read in (problems are listed file by file, line by line).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

from policylib.errors import Problem
from policylib.lang.nodes import Loc

__all__ = ["Problems", "one_of", "suggest"]

_EXCERPT = 120
"""Longest excerpt line shown under a problem; a longer line is cut around the caret."""


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A did-you-mean hint for a misspelled name, or "".

    Where a name missing is as likely as a name misspelled (a fact a text uses before
    anyone declared it), pass a higher ``cutoff``: a new ``owner_name`` is not a typo of
    an ``owner_rank``, and pointing there sends the author the wrong way.
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


def undeclared(word: str, choices: Iterable[str], declare: str) -> str:
    """The hint for a name that may be misspelled or may simply be new: a near-certain
    typo gets its did-you-mean alone; otherwise the way to declare it comes first, and a
    looser match only after it."""
    names = list(choices)
    typo = suggest(word, names, cutoff=0.85)
    if typo:
        return typo
    near = suggest(word, names)
    return f"{declare}, or {near}" if near else declare


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(c if c else '""' for c in choices)


def _excerpt(line: str, col: int) -> str:
    """The source line with a caret under column ``col`` (0-based), cut around it if long."""
    if len(line) > _EXCERPT:
        start = max(0, min(col - _EXCERPT // 2, len(line) - _EXCERPT))
        end = start + _EXCERPT
        prefix = "..." if start else ""
        col = col - start + len(prefix)
        line = prefix + line[start:end] + ("..." if end < len(line) else "")
    return f"{line}\n{' ' * col}^"


class Problems:
    """Every problem found while loading one pack."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.lines: dict[str, list[str]] = {}
        self.order: dict[str, int] = {}
        self._unowned: list[tuple[int, str, int]] = []

    def __len__(self) -> int:
        return len(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def add_file(self, name: str, text: str | None = None) -> None:
        """Register a file (in read order) and its lines, for excerpts."""
        self.order.setdefault(name, len(self.order))
        if text is not None:
            self.lines[name] = text.splitlines()

    def report(
        self, code: str, message: str, where: Loc | None, hint: str = "", rule_id: str = ""
    ) -> None:
        excerpt = ""
        if where is not None:
            lines = self.lines.get(where.file, [])
            if 1 <= where.line <= len(lines):
                excerpt = _excerpt(lines[where.line - 1].rstrip(), max(where.col - 1, 0))
        self.found.append(
            Problem(
                code=code,
                message=message,
                where=str(where) if where is not None else "",
                hint=hint,
                rule_id=rule_id,
                excerpt=excerpt,
            )
        )

    def unowned(self, file: str, line: int) -> None:
        """The last problem lies in ``file`` at ``line`` before its rule was read; a later
        ``claim`` names the rule it belongs to."""
        self._unowned.append((len(self.found) - 1, file, line))

    def claim(self, file: str, first: int, last: int, rule_id: str) -> None:
        """Name ``rule_id`` in the unowned problems between lines ``first`` and ``last``."""
        left: list[tuple[int, str, int]] = []
        for index, where, line in self._unowned:
            if where == file and first <= line <= last:
                self.found[index] = replace(self.found[index], rule_id=rule_id)
            else:
                left.append((index, where, line))
        self._unowned = left

    def has_unowned(self) -> bool:
        return bool(self._unowned)

    def sorted(self) -> list[Problem]:
        """File by file (in read order), line by line; whole-pack problems first."""

        def key(p: Problem) -> tuple[int, int, int]:
            parts = p.where.rsplit(":", 2)
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                return (-1, 0, 0)
            return (self.order.get(parts[0], len(self.order)), int(parts[1]), int(parts[2]))

        return sorted(self.found, key=key)
