"""What lint reports: each finding (what, where, how sure, the request that shows it) and
the report of one run (the findings, how lint looked, what it could not show).

``policylib.authoring.lint`` re-exports these; they are here so that module holds only
the looking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["CODES", "SEVERITY", "Finding", "LintReport", "Severity"]

Severity = Literal["error", "warning"]

CODES = ("never-holds", "never-decides", "default-reached", "overlap")
"""Every finding's code, in the order findings are listed."""

SEVERITY: dict[str, Severity] = {
    "never-holds": "error",
    "never-decides": "error",
    "default-reached": "warning",
    "overlap": "warning",
}
"""How much each code matters: an error is a rule that cannot work as written (proven);
a warning is something to look at (the search's unproven "not seen" is one too)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing lint found.

    Attributes:
        code: ``never-holds``, ``never-decides``, ``default-reached`` or ``overlap``.
        severity: ``error`` (a rule that cannot work as written, proven) or ``warning``.
        message: what was found, in one sentence.
        where: ``file:line:col`` of the rule (or of the request kind).
        rule_id: the rule it is about ("" for a kind's default).
        kinds: the request kinds it concerns.
        related: the other rules involved (those ahead, the overlapping one).
        hint: what to do about it.
        request: a request that shows it (JSON-ready), checked by the engine.
        facts: what the rules see in that request: (label, value) pairs.
        proven: False when the bounded search only failed to find a request.
    """

    code: str
    severity: Severity
    message: str
    where: str
    rule_id: str = ""
    kinds: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    hint: str = ""
    request: Mapping[str, Any] | None = None
    facts: tuple[tuple[str, str], ...] = ()
    proven: bool = True

    def __str__(self) -> str:
        rule = f"[{self.rule_id}] " if self.rule_id else ""
        lines = [f"{self.where}: {self.severity}: {rule}{self.message} ({self.code})"]
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        if self.facts:
            lines.append("    facts: " + "; ".join(f"{k}: {v}" for k, v in self.facts))
        if self.request is not None:
            lines.append("    request: " + json.dumps(self.request, separators=(", ", ": ")))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
            "rule": self.rule_id or None,
            "kinds": list(self.kinds),
            "related": list(self.related),
            "hint": self.hint,
            "request": self.request,
            "facts": {k: v for k, v in self.facts},
            "proven": self.proven,
        }


@dataclass(frozen=True, slots=True)
class LintReport:
    """What lint found in one pack, and how it looked.

    Attributes:
        findings: every finding, by code then place.
        solver: ``z3`` or ``search``.
        requests: how many concrete requests the engine decided.
        questions: how many questions z3 answered (0 for the search).
        unshown: questions the solver said a request answers but none it proposed was
            confirmed by the engine (what was asked, in words).
    """

    pack: str
    findings: tuple[Finding, ...]
    solver: Literal["z3", "search"]
    requests: int = 0
    questions: int = 0
    unshown: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """No errors (warnings may remain)."""
        return not self.errors

    def __str__(self) -> str:
        lines = [str(f) for f in self.findings]
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: how many errors and warnings, and how lint looked."""
        errors, warnings = len(self.errors), len(self.warnings)
        found = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        how = (
            f"z3: {self.questions} questions, {_count(self.requests, 'request')} checked"
            if self.solver == "z3"
            else f"bounded search: {_count(self.requests, 'request')} tried, no proofs"
        )
        return f"{self.pack}: {found} ({how})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "pack": self.pack,
            "solver": self.solver,
            "requests": self.requests,
            "questions": self.questions,
            "unshown": list(self.unshown),
            "findings": [f.as_dict() for f in self.findings],
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
