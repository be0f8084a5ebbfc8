"""Lint a pack: rules that never decide, requests no rule decides, rules that answer one
request differently, offers never made, words that say "not known", and facts and
settings nothing reads; each proven, or shown by a concrete request.

::

    from policylib.authoring.lint import lint

    report = lint("my-pack/")            # or a Policy; None: the bundled pack
    for finding in report.findings:
        print(finding)                   # file:line:col: [RULE] what (code), hint, example

What it reports (``Finding.code``):

* ``never-holds``: a rule whose tests can never all be true together (the facts behind
  them are worked out from the same request fields); the tests that clash are named;
* ``never-decides``: a rule that can hold, but every request it holds for is decided
  first by rules ahead of it (named), for every kind it lists or for some of them;
* ``default-reached``: a request of a kind that no rule decides, so the pack's
  ``default`` answers it (up to a few per kind, each unlike the others), or a kind the
  vocabulary declares that no rule lists at all;
* ``overlap``: two rules of one kind with the same priority and different outcomes that
  both hold for one request: the engine picks the one with more tests, an order nobody
  wrote down (equal counts are refused at load as ``precedence-conflict``);
* ``conflict``: a rule that would grant (granted or partial) a request that a denial of
  higher priority takes, when the grant tests every fact the denial tests; a denial that
  tests something of its own is an exception by design and is not reported (the
  criterion is in ``_pairs``);
* ``offer-never-granted``: an offer with a ``change`` that no request the rule decides
  is granted with, so the alternatives search never shows it ("proven" with z3);
* ``unknown-placeholder``: a fact a rule's text, why or unchanged offer names that is
  unknown in every request the rule decides, so the customer reads "not known";
* ``unread-fact``, ``unread-setting``: declared, but nothing in the pack reads it (what
  counts as reading is listed in ``_unread``).

A store fact with a question is not a finding: the loader refuses it.

Every finding that says a request exists carries one (``Finding.request``), checked by the
pack's own engine, and the same request as a worked example (``Finding.example``: its
name, clock, and the outcome and rule the engine decides), ready to paste into an area
file's ``examples:``. The first two codes are errors, the others warnings
(``Finding.severity``). How it looks: with z3 installed (``pip install 'policylib[lint]'``)
a solver reasons over every request the vocabulary allows (what it does not model, such
as business-day arithmetic or a store's own functions, it leaves free, so a proof stays a
proof), and a rule it calls dead is dead; without z3 a bounded search tries requests
built from the pack's worked examples and the values the pack names, a request it finds
is made plain field by field, and a rule it never saw decide is a warning "not seen", not
a proof (``Finding.proven``). A requests-answered-by-the-default finding found by z3
names the facts every such request shares ("days since delivery: at most 30 days").
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Literal

from policylib.authoring._looker import Looker
from policylib.authoring._pairs import conflicts, overlaps
from policylib.authoring._promises import unkept_offers, unknown_placeholders
from policylib.authoring._report import CODES, SEVERITY, Finding, LintReport, Severity
from policylib.authoring._targets import Avoid, Target
from policylib.authoring._unread import unread
from policylib.authoring._words import a, either, facts_tested, place, written
from policylib.errors import BackendError
from policylib.lang.nodes import All, Rule
from policylib.policy import Policy, load_policy

__all__ = ["CODES", "SEVERITY", "Finding", "LintReport", "Severity", "Solver", "lint"]

Solver = Literal["auto", "z3", "search"]
"""How lint looks: ``z3`` (the solver), ``search`` (the bounded search), ``auto`` (z3 when
it is installed)."""

DEFAULTS_PER_KIND = 3
"""Most requests answered by the default shown for one kind."""


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


class _Linter(Looker):
    """One lint run: each check in turn, then the report."""

    def run(self) -> LintReport:
        findings: list[Finding] = []
        self.dead: dict[str, frozenset[str]] = {}
        """Rule id -> the kinds it was found never to decide."""
        if self.wants("never-holds", "never-decides"):
            findings.extend(self._dead_rules())
        if self.wants("default-reached"):
            for kind in self.order:
                findings.extend(self._defaults(kind))
        if self.wants("overlap"):
            findings.extend(overlaps(self))
        if self.wants("conflict"):
            findings.extend(conflicts(self, self.dead))
        if self.wants("offer-never-granted", "unknown-placeholder"):
            self.observe_examples()
        if self.wants("offer-never-granted"):
            findings.extend(unkept_offers(self, self.dead))
        if self.wants("unknown-placeholder"):
            findings.extend(unknown_placeholders(self, self.dead))
        findings.extend(unread(self.pack))
        findings = [f for f in findings if f.code not in self.ignore]
        findings.sort(key=lambda f: (CODES.index(f.code), place(f.where), f.rule_id, f.related))
        questions = self.prover.questions if self.solver == "z3" else 0
        return LintReport(
            self.pack.store.name,
            tuple(findings),
            self.solver,
            self.observer.tried,
            questions,
            tuple(self.unshown),
        )

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
                elif self.show(target) is None:
                    dead[kind] = None
            if dead:
                self.dead[rule.id] = frozenset(dead)
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
        which = "a request" if everywhere else f"{a(either(kinds_dead))} request"
        shown = None
        for kind in kinds_dead:
            shown = self.show(Target("holds", kind, rule))
            if shown is not None:
                break
        if proven:
            impossible = [k for k, p in dead.items() if p is not None and not p.because]
            shadowed = [k for k in kinds_dead if k not in impossible]
            parts = []
            if shadowed:
                taken = "a request"
                if len(shadowed) < len(kinds):
                    taken = f"{a(either(shadowed))} request"
                parts.append(
                    f"never decides {taken}: whenever it holds, {either(list(ahead))} is "
                    "tried first"
                )
            if impossible:
                parts.append(f"can never hold for {a(either(impossible))} request")
            message = "; ".join(parts)
        else:
            message = (
                f"was not seen deciding {which} in the requests the search tried "
                "(not a proof: install z3 for one)"
            )
        example = None
        if shown is not None:
            decided = shown.verdict.rule
            by = decided.id if decided is not None else f"the default ({shown.verdict.outcome})"
            message += f"; in the request below it holds and {by} decides"
            example = self.example(shown, f"{rule.id} holds, {by} decides")
        hint = (
            "give it a higher priority than the rules that take its requests, narrow them, "
            "or remove it"
            if everywhere
            else f"remove {either(kinds_dead)} from its kinds, or give it a higher priority"
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
            facts=self.facts(shown, [rule]) if shown is not None else (),
            proven=proven,
            example=example,
        )

    def _never_holds(self, rule: Rule, kinds: tuple[str, ...]) -> Finding:
        parts: set[int] = set()
        for kind in kinds:
            proof = self.backend.prove(Target("holds", kind, rule))
            if proof is not None:
                parts.update(proof.parts)
        items = rule.when.items if isinstance(rule.when, All) else (rule.when,)
        clash = [items[i] for i in sorted(parts)] or list(items)
        tests = " and ".join(written(c) for c in clash)
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
            shown = self.show(target, avoid)
            if shown is None:
                return
            tested = {n: shown.facts.get(n) for r in rules for n in facts_tested(r.when)}
            common = self.prover.generalize(target, tested) if self.backend.proves else None
            hint = "add a rule for such requests, or leave them to the default on purpose"
            if not rules:
                avoid.append({})  # one finding says it all
                message = (
                    f"no rule lists the kind {kind}, so the default ({outcome}) answers "
                    f"every {kind} request"
                )
                hint = f"add rules with {kind} among their kinds, or remove the kind"
                facts: tuple[tuple[str, str], ...] = ()
            elif common is not None:
                avoid.append(common)
                message = (
                    f"no rule decides {a(kind)} request with the facts below, so the "
                    f"default ({outcome}) answers every such request"
                )
                facts = self.words(common)
            else:
                avoid.append(self.region(kind, shown))
                message = (
                    f"no rule decides this {kind} request, so the default ({outcome}) answers it"
                )
                facts = self.facts(shown, rules)
            yield Finding(
                "default-reached",
                SEVERITY["default-reached"],
                message,
                str(spec.loc),
                kinds=(kind,),
                hint=hint,
                request=shown.request,
                facts=facts,
                example=self.example(shown, f"{a(kind)} request no rule decides"),
            )
