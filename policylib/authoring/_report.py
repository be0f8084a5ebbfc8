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

__all__ = ["CODES", "SEVERITY", "Finding", "LintReport", "Severity", "example_yaml"]

Severity = Literal["error", "warning"]

CODES = (
    "never-holds",
    "never-decides",
    "default-reached",
    "overlap",
    "conflict",
    "offer-never-granted",
    "unknown-placeholder",
    "unread-fact",
    "unread-setting",
)
"""Every finding's code, in the order findings are listed."""

SEVERITY: dict[str, Severity] = {
    "never-holds": "error",
    "never-decides": "error",
    "default-reached": "warning",
    "overlap": "warning",
    "conflict": "warning",
    "offer-never-granted": "warning",
    "unknown-placeholder": "warning",
    "unread-fact": "warning",
    "unread-setting": "warning",
}
"""How much each code matters: an error is a rule that cannot work as written (proven);
a warning is something to look at (the search's unproven "not seen" is one too)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing lint found.

    Attributes:
        code: one of ``CODES``.
        severity: ``error`` (a rule that cannot work as written, proven) or ``warning``.
        message: what was found, in one sentence.
        where: ``file:line:col`` of the rule (or of the request kind, fact or setting).
        rule_id: the rule it is about ("" for a kind's default, a fact or a setting).
        kinds: the request kinds it concerns.
        related: the other rules involved (those ahead, the overlapping one), or the
            offer kind, fact or setting it is about.
        hint: what to do about it.
        request: a request that shows it (JSON-ready), checked by the engine.
        facts: what the rules see in that request: (label, value) pairs.
        proven: False when the bounded search only failed to find a request.
        example: the request as a worked example (``name``, ``now``, ``outcome`` and
            ``rule`` as the engine decides it, ``request``), ready for an area file's
            ``examples:``; None when no request shows the finding.
        says: the customer's words in that request that the finding is about ("" when
            none are).
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
    example: Mapping[str, Any] | None = None
    says: str = ""

    def __str__(self) -> str:
        rule = f"[{self.rule_id}] " if self.rule_id else ""
        lines = [f"{self.where}: {self.severity}: {rule}{self.message} ({self.code})"]
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        if self.facts:
            lines.append("    facts: " + "; ".join(f"{k}: {v}" for k, v in self.facts))
        if self.says:
            lines.append("    says: " + json.dumps(self.says, ensure_ascii=False))
        if self.example is not None:
            lines.append("    example, for an area file's examples:")
            lines.extend("    " + line for line in example_yaml(self.example))
        elif self.request is not None:
            lines.append("    request: " + _flow(self.request))
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
            "example": dict(self.example) if self.example is not None else None,
            "says": self.says or None,
        }


def example_yaml(example: Mapping[str, Any]) -> list[str]:
    """A worked example as the lines of one YAML ``examples:`` entry: its texts quoted
    (JSON strings are YAML), the request as one JSON (YAML flow) mapping."""
    lines = [f"- name: {json.dumps(str(example['name']), ensure_ascii=False)}"]
    for key in ("now", "outcome", "rule"):
        value = example.get(key)
        if value:
            lines.append(f"  {key}: {json.dumps(str(value), ensure_ascii=False)}")
    lines.append(f"  request: {_flow(example['request'])}")
    return lines


def _flow(request: Mapping[str, Any]) -> str:
    return json.dumps(request, separators=(", ", ": "), ensure_ascii=False)


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
