"""Running a pack's worked examples: each one decided and held to what it states.

An example (``policylib.lang.nodes.Example``) states the outcome a request gets and,
when it says so, the rule that decides it, the offers among the alternatives, the fact
the decision asks about, and phrases the customer's explanation says or never says. It
is decided at its pinned clock (``now``, else the request's ``requested_at``). A request
the policy refuses (a kind or a value the vocabulary does not take, an unknown key) is a
failed example naming each field: that is how example requests are checked against the
pack's vocabulary.

Two properties hold for every example besides what it states: a decision that needs
information asks exactly one question, and a denial offers an alternative or a review.

``policylib test``, ``policylib check`` and the pytest plugin all run examples here::

    results = run_examples(policy, select="late and not kit")
    for result in results:
        if not result.passed:
            print(result.report())
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from policylib.errors import PolicyError, Problem, RequestError
from policylib.lang.nodes import Example, Outcome
from policylib.output.decision import Decision, RuleTrace
from policylib.policy import Policy

__all__ = [
    "ExampleResult",
    "deciding_rule",
    "matches",
    "pinned",
    "run_example",
    "run_examples",
]


@dataclass(frozen=True)
class ExampleResult:
    """One example run: the decision it got and what it stated that did not hold.

    Attributes:
        example: the example run.
        decision: what the policy decided; None when it refused the request.
        failures: one plain line per statement that did not hold ("outcome: expected
            denied, got granted"); empty when it passed.
        error: the refusal's text (its message and problems) when the request was refused.
        problems: the refusal's problems, each naming a field of the request.
    """

    example: Example
    decision: Decision | None
    failures: tuple[str, ...]
    error: str = ""
    problems: tuple[Problem, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures and not self.error

    @property
    def rule(self) -> str:
        """The rule the decision stands on ("" for the pack's default, or no decision)."""
        return deciding_rule(self.decision) if self.decision is not None else ""

    @property
    def where(self) -> str:
        """``file:line`` of the example in its area file."""
        return f"{self.example.loc.file}:{self.example.loc.line}"

    def report(self) -> str:
        """What a failure says: the example, each failure, and the trace of the rules that
        matter (the deciding one and the one expected), or the refused request's problems."""
        lines = [f"{self.where}: {self.example.name}"]
        if self.decision is None and self.problems:  # the failures, shown in full instead
            lines.append(f"  the request is refused: {self.error.splitlines()[0]}")
            for problem in self.problems:
                lines.append("    " + str(problem).replace("\n", "\n    "))
            return "\n".join(lines)
        lines.extend(f"  {failure}" for failure in self.failures)
        if self.decision is None:
            return "\n".join(lines)
        decided = self.rule
        shown = [rule for rule in (decided, self.example.rule) if rule]
        if not decided:
            lines.append("  decided by the pack's default: no rule held")
        for rule_id in dict.fromkeys(shown):
            lines.extend(_trace_lines(self.decision.trace, rule_id, rule_id == decided))
        return "\n".join(lines)


def run_examples(policy: Policy, select: str | None = None) -> list[ExampleResult]:
    """Run the pack's examples (those ``select`` matches, like ``pytest -k``), in pack order.

    Args:
        policy: the loaded policy whose pack holds the examples.
        select: words an example's name must contain (any case), joined with ``and``,
            ``or``, ``not`` and parentheses (``"late and not kit"``); None runs them all.

    Raises:
        PolicyError: ``select`` is not a valid expression.
    """
    chosen = matches(select) if select else None
    return [
        run_example(policy, example)
        for example in policy.pack.examples
        if chosen is None or chosen(example.name)
    ]


def pinned(example: Example) -> tuple[dict[str, object], datetime | None]:
    """The request an example decides and the clock to decide it at: its ``now`` wins over
    the request's own ``requested_at``. Raises ValueError for a ``now`` that is not a
    date-time (the loader refuses one; an example built in code may have it)."""
    request, now = example.request, None
    if example.now:
        now = datetime.fromisoformat(example.now.replace("Z", "+00:00"))
        if "requested_at" in request:
            request = {**request, "requested_at": example.now}
    return request, now


def run_example(policy: Policy, example: Example) -> ExampleResult:
    """Decide one example's request at its clock and compare it with what it states."""
    try:
        request, now = pinned(example)
    except ValueError:
        said = f"now `{example.now}` is not a date-time like 2026-11-20T15:00:00-05:00"
        return ExampleResult(example, None, (f"now: {said}",), error=said)
    try:
        decision = policy.evaluate(request, now=now)
    except RequestError as exc:
        failures = tuple(
            f"request: {p.where}: {p.message}" + (f" (received {p.value})" if p.value else "")
            for p in exc.problems
        )
        return ExampleResult(
            example,
            None,
            failures or (f"request: {exc.message}",),
            error=str(exc),
            problems=exc.problems,
        )
    except PolicyError as exc:  # a store function that failed while deriving a fact
        return ExampleResult(
            example, None, (f"decision: {exc.message}",), error=str(exc), problems=exc.problems
        )
    return ExampleResult(example, decision, tuple(_failures(example, decision)))


def deciding_rule(decision: Decision) -> str:
    """The rule a decision stands on: the one that decided it (the first item's, for a
    request about several), or the rule whose question it asks; "" for the pack's default.
    """
    if not decision.reasons:
        return ""
    rule_id = decision.reasons[0].rule_id
    for entry in decision.trace:
        if entry.rule_id == rule_id and (
            entry.decided or (decision.outcome is Outcome.NEEDS_INFO and entry.status == "unknown")
        ):
            return rule_id
    return ""


def _failures(example: Example, decision: Decision) -> list[str]:
    out: list[str] = []
    if decision.outcome is not example.outcome:
        out.append(f"outcome: expected {example.outcome.value}, got {decision.outcome.value}")
    decided = deciding_rule(decision)
    if example.rule and decided != example.rule:
        others = sorted({t.rule_id for t in decision.trace if t.decided} - {decided, example.rule})
        also = f" (and {', '.join(others)} for another item)" if others else ""
        got = decided or "no rule (the pack's default)"
        out.append(f"rule: expected {example.rule} to decide, got {got}{also}")
    kinds = [alt.kind for alt in decision.alternatives]
    got_kinds = ", ".join(dict.fromkeys(kinds)) or "none"
    if example.offers is not None:
        if not example.offers and kinds:
            out.append(f"offers: expected none, got {got_kinds}")
        missing = [kind for kind in example.offers if kind not in kinds]
        if missing:
            out.append(f"offers: expected {', '.join(missing)} among the offers, got {got_kinds}")
    asked = decision.questions[0].fact if decision.questions else ""
    if example.question and asked != example.question:
        out.append(f"question: expected a question about {example.question}, got {asked or 'none'}")
    text = decision.explanation.lower()
    out.extend(
        f"says: expected the explanation to say '{phrase}'"
        for phrase in example.says
        if phrase.lower() not in text
    )
    out.extend(
        f"never_says: the explanation says '{phrase}'"
        for phrase in example.never_says
        if phrase.lower() in text
    )
    if decision.outcome is Outcome.NEEDS_INFO and len(decision.questions) != 1:
        out.append(f"question: needs_info asks exactly one question, got {len(decision.questions)}")
    if decision.outcome is Outcome.DENIED and not decision.alternatives:
        out.append("offers: a denial must offer an alternative or a review, got none")
    return out


# --------------------------------------------------------------------------- traces


def _trace_lines(trace: Sequence[RuleTrace], rule_id: str, decided: bool) -> list[str]:
    entries = [entry for entry in trace if entry.rule_id == rule_id]
    role = "deciding rule" if decided else "expected rule"
    if not entries:
        return [f"  {rule_id} ({role}): not considered for this request"]
    lines: list[str] = []
    for entry in entries:
        if entry.status == "skipped":
            lines.append(f"  {rule_id} ({role}): skipped, ranked below the deciding rule")
            continue
        lines.append(f"  {rule_id} ({role}): {entry.status} -> {entry.outcome.value}")
        lines.extend(
            f"    {c.label} [{c.fact}] {c.op} {_shown(c.required)}: "
            f"actual {_shown(c.actual)}, {c.status}"
            for c in entry.conditions
        )
    return lines


def _shown(value: object) -> str:
    """A traced value as an author reads it in a YAML file."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, str)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_shown(v) for v in value]
        return "[" + ", ".join(items if isinstance(value, (list, tuple)) else sorted(items)) + "]"
    return str(value)


# --------------------------------------------------------------------------- selecting

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")
_WORDS = ("and", "or", "not")

Match = Callable[[str], bool]


def matches(expression: str) -> Match:
    """A test of example names from a ``-k`` expression: words a name contains (any case;
    neighbouring words are one phrase), joined by ``and``, ``or``, ``not`` and parentheses.

    Raises:
        PolicyError: the expression is not well formed (a dangling ``and``, a lone ``(``).
    """
    tokens = [m.group(1) for m in _TOKEN.finditer(expression) if m.group(1)]
    if not tokens:
        raise PolicyError(f"-k {expression!r}: the expression is empty")
    parser = _Parser(tokens, expression)
    found = parser.either()
    if parser.at < len(tokens):
        parser.fail(f"unexpected '{tokens[parser.at]}'")
    return found


class _Parser:
    """either := both ('or' both)*; both := one ('and' one)*; one := 'not' one | '(' either
    ')' | words."""

    def __init__(self, tokens: list[str], expression: str) -> None:
        self.tokens = tokens
        self.expression = expression
        self.at = 0

    def fail(self, why: str) -> NoReturn:
        raise PolicyError(f"-k {self.expression!r}: {why}")

    def peek(self) -> str:
        return self.tokens[self.at].lower() if self.at < len(self.tokens) else ""

    def either(self) -> Match:
        parts = [self.both()]
        while self.peek() == "or":
            self.at += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else (lambda name: any(p(name) for p in parts))

    def both(self) -> Match:
        parts = [self.one()]
        while self.peek() == "and":
            self.at += 1
            parts.append(self.one())
        return parts[0] if len(parts) == 1 else (lambda name: all(p(name) for p in parts))

    def one(self) -> Match:
        word = self.peek()
        if word == "not":
            self.at += 1
            inner = self.one()
            return lambda name: not inner(name)
        if word == "(":
            self.at += 1
            inner = self.either()
            if self.peek() != ")":
                self.fail("a '(' is not closed")
            self.at += 1
            return inner
        words: list[str] = []
        while self.at < len(self.tokens) and self.peek() not in (*_WORDS, "(", ")"):
            words.append(self.peek())
            self.at += 1
        if not words:
            self.fail(f"expected words before '{word}'" if word else "expected words at the end")
        phrase = " ".join(words)
        return lambda name: phrase in " ".join(name.lower().split())
