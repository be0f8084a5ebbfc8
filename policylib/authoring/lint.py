"""Lint a pack: rules that never decide, requests no rule decides, and rules of one
priority that overlap, each proven or shown by a concrete request.

::

    from policylib.authoring.lint import lint

    report = lint("my-pack/")            # or a Policy; None: the bundled pack
    for finding in report.findings:
        print(finding)                   # file:line:col: [RULE] what (code), hint, request

What it reports (``Finding.code``):

* ``never-holds``: a rule whose tests can never all be true together (the facts behind
  them are worked out from the same request fields); the tests that clash are named;
* ``never-decides``: a rule that can hold, but every request it holds for is decided
  first by rules ahead of it (named), for every kind it lists or for some of them;
* ``default-reached``: a request of a kind that no rule decides, so the pack's
  ``default`` answers it (up to a few per kind, each unlike the others);
* ``overlap``: two rules of one kind with the same priority and different outcomes that
  both hold for one request: the engine picks the one with more tests, an order nobody
  wrote down (equal counts are refused at load as ``precedence-conflict``).

Every finding that says a request exists carries one (``Finding.request``), checked by the
pack's own engine: paste it into ``policylib explain``. The first two codes are errors, the
others warnings (``Finding.severity``). How it looks: with z3 installed (``pip install
'policylib[lint]'``) a solver reasons over every request the vocabulary allows (what it
does not model, such as business-day arithmetic or a store's own functions, it leaves
free, so a proof stays a proof), and a rule it calls dead is dead; without z3 a bounded
search tries requests built from the pack's worked examples and the values the pack
names, and a rule it never saw decide is a warning "not seen", not a proof
(``Finding.proven``). A requests-answered-by-the-default finding found by z3 names the
facts every such request shares ("days since delivery: at most 30 days").
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal, Protocol

from policylib.authoring._report import CODES, SEVERITY, Finding, LintReport, Severity
from policylib.authoring._search import Searcher
from policylib.authoring._space import Choice, Space
from policylib.authoring._targets import (
    Avoid,
    Observed,
    Observer,
    Region,
    Span,
    Target,
    avoided,
    region,
    tests_of,
)
from policylib.errors import BackendError
from policylib.lang.nodes import All, Compare, Condition, Not, Ref, Rule
from policylib.policy import Policy, load_policy

__all__ = ["CODES", "SEVERITY", "Finding", "LintReport", "Severity", "Solver", "lint"]

Solver = Literal["auto", "z3", "search"]
"""How lint looks: ``z3`` (the solver), ``search`` (the bounded search), ``auto`` (z3 when
it is installed)."""

DEFAULTS_PER_KIND = 3
"""Most requests answered by the default shown for one kind."""
ATTEMPTS = 8
"""Most requests the solver proposes for one question before lint gives up on it."""


class _Backend(Protocol):
    proves: bool

    def prove(self, target: Target) -> Any: ...

    def requests(self, target: Target, avoid: Sequence[Avoid]) -> Iterator[Choice]: ...


def lint(
    policy: Policy | str | os.PathLike[str] | None = None,
    *,
    solver: Solver = "auto",
    now: datetime | None = None,
    ignore: Iterable[str] = (),
    probes: int = 300,
    seed: int = 0,
) -> LintReport:
    """Lint a pack (see the module docstring).

    Args:
        policy: a loaded policy, a pack directory (or file), or None for the bundled pack.
        solver: ``auto`` (z3 when it is installed, else the search), ``z3`` or
            ``search``.
        now: the clock the requests are decided at (aware). Default: the ``requested_at``
            of the pack's first worked example that has one, else the current time.
        ignore: finding codes to leave out.
        probes: for the search, the most requests it tries per question.
        seed: for the search, where its random choices start (same seed, same report).

    Raises:
        RuleError: the pack does not load.
        BackendError: ``solver="z3"`` but z3 is not installed.
        ValueError: ``now`` has no time zone, or ``solver`` or a code in ``ignore`` is not
            one lint knows.
    """
    loaded = policy if isinstance(policy, Policy) else load_policy(policy)
    if solver not in ("auto", "z3", "search"):
        raise ValueError(f"unknown solver {solver!r}; use auto, z3 or search")
    skipped = frozenset(ignore)
    unknown = sorted(skipped - set(CODES))
    if unknown:
        raise ValueError(f"unknown finding code {unknown[0]!r}; codes: {', '.join(CODES)}")
    has_z3 = importlib.util.find_spec("z3") is not None
    if solver == "z3" and not has_z3:
        raise BackendError(
            "lint's solver needs z3: pip install 'policylib[lint]' (or use the search)"
        )
    clock = _clock(loaded, now)
    chosen: Literal["z3", "search"] = "z3" if solver != "search" and has_z3 else "search"
    return _Linter(loaded, clock, chosen, skipped, probes, seed).run()


def _clock(policy: Policy, now: datetime | None) -> datetime:
    if now is not None:
        if now.utcoffset() is None:
            raise ValueError("now must be a datetime with a time zone")
        return now.astimezone(policy.zone)
    for example in policy.pack.examples:
        moment = example.request.get("requested_at") or example.now
        if isinstance(moment, str) and moment:
            try:
                found = datetime.fromisoformat(moment.replace("Z", "+00:00"))
            except ValueError:
                continue
            if found.utcoffset() is not None:
                return found.astimezone(policy.zone)
    return datetime.now(policy.zone).replace(second=0, microsecond=0)


class _Linter:
    def __init__(
        self,
        policy: Policy,
        clock: datetime,
        solver: Literal["z3", "search"],
        ignore: frozenset[str],
        probes: int,
        seed: int,
    ) -> None:
        self.policy = policy
        self.pack = policy.pack
        self.solver = solver
        self.ignore = ignore
        kinds = self.pack.vocabulary.kinds
        self.order = {kind: policy.engine.rules_for(kind) for kind in kinds}
        self.space = Space(self.pack, clock, policy.zone, policy.calendar)
        self.observer = Observer(policy, self.order)
        self.backend: _Backend
        if solver == "z3":
            # z3 is optional: only the solver's modules import it
            from policylib.authoring._solver import Prover

            self.prover = Prover(self.pack, self.space, self.order)
            self.backend = self.prover
        else:
            self.backend = Searcher(self.space, self.observer, self.order, probes, seed)
        self.unshown: list[str] = []

    # ---------------------------------------------------------------- the run

    def run(self) -> LintReport:
        findings: list[Finding] = []
        if not {"never-holds", "never-decides"} <= self.ignore:
            findings.extend(self._dead_rules())
        for kind in self.order:
            if "default-reached" not in self.ignore:
                findings.extend(self._defaults(kind))
        if "overlap" not in self.ignore:
            findings.extend(self._overlaps())
        findings = [f for f in findings if f.code not in self.ignore]
        findings.sort(key=lambda f: (CODES.index(f.code), _place(f.where)))
        questions = self.prover.questions if self.solver == "z3" else 0
        return LintReport(
            self.pack.store.name,
            tuple(findings),
            self.solver,
            self.observer.tried,
            questions,
            tuple(self.unshown),
        )

    def _show(self, target: Target, avoid: Sequence[Avoid] = ()) -> Observed | None:
        """A concrete request that meets the target, confirmed by the engine, or None."""
        default = self.pack.default_outcome
        proposed = 0
        for choice in self.backend.requests(target, avoid):
            if proposed >= ATTEMPTS and self.solver == "z3":
                break
            proposed += 1
            seen = self.observer.observe(self.space.build(target.kind, choice))
            if (
                seen is not None
                and target.met(seen, default)
                and not avoided(avoid, self._region(target.kind, seen), seen.facts)
            ):
                return seen
        if proposed and self.solver == "z3":  # the solver said yes, the engine no
            self.unshown.append(_asked(target))
        return None

    def _region(self, kind: str, seen: Observed) -> Region:
        return region(tests_of(self.order[kind]), seen.facts)

    # ---------------------------------------------------------------- dead rules

    def _dead_rules(self) -> Iterator[Finding]:
        for rule in self.pack.rules:
            kinds = [k for k in rule.kinds if k in self.order]
            dead: dict[str, Any] = {}
            for kind in kinds:
                target = Target("decides", kind, rule)
                if self.backend.proves:
                    proof = self.backend.prove(target)
                    if proof is not None:
                        dead[kind] = proof
                elif self._show(target) is None:
                    dead[kind] = None
            if dead:
                yield self._dead(rule, kinds, dead)

    def _dead(self, rule: Rule, kinds: list[str], dead: Mapping[str, Any]) -> Finding:
        proven = self.backend.proves
        ahead: dict[str, None] = {}
        never = proven
        for proof in dead.values():
            if proof is not None:
                never = never and not proof.because
                ahead.update(dict.fromkeys(r.id for r in proof.because))
        kinds_dead = tuple(k for k in kinds if k in dead)
        everywhere = len(kinds_dead) == len(kinds)
        if never and everywhere:
            return self._never_holds(rule, kinds_dead)
        which = "a request" if everywhere else f"{_a(_or(kinds_dead))} request"
        shown = None
        for kind in kinds_dead:
            shown = self._show(Target("holds", kind, rule))
            if shown is not None:
                break
        if proven:
            impossible = [k for k, p in dead.items() if p is not None and not p.because]
            shadowed = [k for k in kinds_dead if k not in impossible]
            parts = []
            if shadowed:
                taken = "a request"
                if len(shadowed) < len(kinds):
                    taken = f"{_a(_or(shadowed))} request"
                parts.append(
                    f"never decides {taken}: whenever it holds, {_or(list(ahead))} is tried first"
                )
            if impossible:
                parts.append(f"can never hold for {_a(_or(impossible))} request")
            message = "; ".join(parts)
        else:
            message = (
                f"was not seen deciding {which} in the requests the search tried "
                "(not a proof: install z3 for one)"
            )
        if shown is not None:
            decided = shown.verdict.rule
            by = decided.id if decided is not None else f"the default ({shown.verdict.outcome})"
            message += f"; in the request below it holds and {by} decides"
        hint = (
            "give it a higher priority than the rules that take its requests, narrow them, "
            "or remove it"
            if everywhere
            else f"remove {_or(kinds_dead)} from its kinds, or give it a higher priority"
        )
        return Finding(
            "never-decides",
            SEVERITY["never-decides"] if proven else "warning",
            message,
            str(rule.loc),
            rule_id=rule.id,
            kinds=kinds_dead,
            related=tuple(ahead),
            hint=hint,
            request=shown.request if shown is not None else None,
            facts=self._facts(shown, [rule]) if shown is not None else (),
            proven=proven,
        )

    def _never_holds(self, rule: Rule, kinds: tuple[str, ...]) -> Finding:
        parts: set[int] = set()
        for kind in kinds:
            proof = self.backend.prove(Target("holds", kind, rule))
            if proof is not None:
                parts.update(proof.parts)
        items = rule.when.items if isinstance(rule.when, All) else (rule.when,)
        clash = [items[i] for i in sorted(parts)] or list(items)
        tests = " and ".join(_test(c) for c in clash)
        how = "cannot all be true" if len(clash) > 1 else "can never be true"
        return Finding(
            "never-holds",
            SEVERITY["never-holds"],
            f"can never hold: {tests} {how} for one request",
            str(rule.loc),
            rule_id=rule.id,
            kinds=kinds,
            hint="the facts behind these tests come from the same request fields; correct "
            "the tests or remove the rule",
        )

    # ---------------------------------------------------------------- the default

    def _defaults(self, kind: str) -> Iterator[Finding]:
        target = Target("default", kind)
        if self.backend.proves and self.backend.prove(target) is not None:
            return
        spec = self.pack.vocabulary.kinds[kind]
        rules = self.order[kind]
        avoid: list[Avoid] = []
        outcome = self.pack.default_outcome
        for _ in range(DEFAULTS_PER_KIND):
            shown = self._show(target, avoid)
            if shown is None:
                return
            tested = {n: shown.facts.get(n) for r in rules for n in _facts_read(r.when)}
            common = self.prover.generalize(target, tested) if self.backend.proves else None
            if common is not None:
                avoid.append(common)
                message = (
                    f"no rule decides {_a(kind)} request with the facts below, so the "
                    f"default ({outcome}) answers every such request"
                )
                facts = self._words(common)
            else:
                avoid.append(self._region(kind, shown))
                message = (
                    f"no rule decides this {kind} request, so the default ({outcome}) answers it"
                )
                facts = self._facts(shown, rules)
            yield Finding(
                "default-reached",
                SEVERITY["default-reached"],
                message,
                str(spec.loc),
                kinds=(kind,),
                hint="add a rule for such requests, or leave them to the default on purpose",
                request=shown.request,
                facts=facts,
            )

    # ---------------------------------------------------------------- overlaps

    def _overlaps(self) -> Iterator[Finding]:
        found: dict[tuple[str, str], tuple[list[str], Observed]] = {}
        for kind, ranked in self.order.items():
            for i, first in enumerate(ranked):
                for second in ranked[i + 1 :]:
                    if second.priority != first.priority or second.outcome == first.outcome:
                        continue
                    key = (first.id, second.id)
                    if key in found:
                        found[key][0].append(kind)
                        continue
                    target = Target("overlap", kind, first, second)
                    if self.backend.proves and self.backend.prove(target) is not None:
                        continue
                    shown = self._show(target)
                    if shown is not None:
                        found[key] = ([kind], shown)
        rules = {r.id: r for r in self.pack.rules}
        for (a, b), (kinds, shown) in found.items():
            first, second = rules[a], rules[b]
            yield Finding(
                "overlap",
                SEVERITY["overlap"],
                f"{a} ({first.outcome}) and {b} ({second.outcome}) have the same priority "
                f"({first.priority}) and both hold for the request below; {a} decides only "
                f"because it has more tests ({first.specificity} to {second.specificity})",
                str(second.loc),
                rule_id=b,
                kinds=tuple(kinds),
                related=(a,),
                hint="give the rule that should win a higher priority, so the order is "
                "written down",
                request=shown.request,
                facts=self._facts(shown, [first, second]),
            )

    # ---------------------------------------------------------------- words

    def _facts(self, seen: Observed, rules: Sequence[Rule]) -> tuple[tuple[str, str], ...]:
        """The known facts the rules test, as people read them (most tested first)."""
        counts: dict[str, int] = {}
        for rule in rules:
            for name in _facts_read(rule.when):
                counts[name] = counts.get(name, 0) + 1
        names = sorted(counts, key=lambda n: -counts[n])
        shown = {n: seen.facts[n] for n in names if seen.facts.get(n) is not None}
        return self._words(dict(list(shown.items())[:8]))

    def _words(self, facts: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """Facts as people read them: (label, value); "not said" for an unknown one, and
        "at most 30 days", "31 days or more" or "from 3 to 9 days" for a range."""
        out = []
        for name, value in facts.items():
            label = self.pack.facts[name].label
            if isinstance(value, Span):
                low, high = self._word(name, value.low), self._word(name, value.high)
                if value.low is not None and value.high is not None:
                    said = low if value.low == value.high else f"from {low} to {high}"
                elif value.low is not None:
                    said = f"{low} or more"
                elif value.high is not None:
                    said = f"at most {high}"
                else:  # pragma: no cover - a span with no ends is not kept
                    said = "any"
            else:
                said = self._word(name, value)
            out.append((label, said))
        return tuple(out)

    def _word(self, name: str, value: Any) -> str:
        if value is None:
            return "not said"
        words = self.policy.texts.format_facts({name: value}, year=self.space.today.year)
        return words.get(name, str(value))


def _facts_read(cond: Condition) -> list[str]:
    if isinstance(cond, Compare):
        names = [cond.fact]
        if isinstance(cond.value, Ref):
            names.append(cond.value.fact)
        return names
    if isinstance(cond, Not):
        return _facts_read(cond.item)
    return [n for item in cond.items for n in _facts_read(item)]


_SYMBOLS = {
    "eq": "=",
    "ne": "!=",
    "lt": "<",
    "lte": "<=",
    "gt": ">",
    "gte": ">=",
    "in": "in",
    "not_in": "not in",
}


def _test(cond: Condition) -> str:
    """A test as the author wrote it, briefly, with where it is."""
    if isinstance(cond, Compare):
        return f"'{cond.fact} {_SYMBOLS[cond.op]} {_value(cond.value)}' ({cond.loc})"
    if isinstance(cond, Not):
        return f"'not ...' ({cond.loc})"
    word = "all" if isinstance(cond, All) else "any"
    return f"'{word}: [...]' ({cond.loc})"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _a(word: str) -> str:
    """The word with its article: "a return", "an exchange"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _or(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _asked(target: Target) -> str:
    rule = target.rule.id if target.rule is not None else ""
    other = target.other.id if target.other is not None else ""
    words = {
        "holds": f"{_a(target.kind)} request {rule} holds for",
        "decides": f"{_a(target.kind)} request {rule} decides",
        "default": f"{_a(target.kind)} request the default answers",
        "overlap": f"{_a(target.kind)} request {rule} decides while {other} holds",
    }
    return words[target.what]


def _place(where: str) -> tuple[str, int, int]:
    file, _, rest = where.partition(":")
    line, _, col = rest.partition(":")
    return (file, int(line) if line.isdigit() else 0, int(col) if col.isdigit() else 0)
