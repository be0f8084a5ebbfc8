"""Shared by the loader's checks: how a problem is reported, and the wording of its hints.

``Report`` is the shape of ``loader._Builder.problem``; the checks in ``policylib._texts``
and ``policylib._paths`` take one instead of the builder, so nothing here or there imports
the loader.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Protocol

from yaml.nodes import Node

from policylib import language as lang


class Report(Protocol):
    """Records one problem: code, what is wrong, where (a node or a location), how to fix
    it, and the rule it belongs to (None: the rule being read)."""

    def __call__(
        self,
        code: str,
        message: str,
        where: lang.Loc | Node | None,
        hint: str = "",
        rule_id: str | None = None,
    ) -> None: ...


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _one_of(choices: Iterable[str]) -> str:
    return ", ".join(c if c else '""' for c in choices)
