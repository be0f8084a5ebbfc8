"""What every lint check shares: the pack's modelled requests, the backend that proposes
them (z3 or the bounded search), the engine that confirms each one, and the words a
finding is written in, its request as a worked example included.

``Looker.show`` is the one way a check gets a request: the backend proposes, the pack's
own engine decides, and only a request the target (and the check's own test, ``also``)
accepts is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol

from policylib.authoring._search import Searcher
from policylib.authoring._seeds import choice_of
from policylib.authoring._space import MISSING, Choice, Space
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
from policylib.authoring._words import asked, facts_tested
from policylib.authoring.examples import deciding_rule
from policylib.lang.nodes import Rule
from policylib.policy import Policy

__all__ = ["ATTEMPTS", "Backend", "Looker"]

ATTEMPTS = 8
"""Most requests the solver proposes for one question before lint gives up on it."""


class Backend(Protocol):
    proves: bool

    def prove(self, target: Target) -> Any: ...

    def requests(self, target: Target, avoid: Sequence[Avoid]) -> Iterator[Choice]: ...


class Looker:
    """The shared state of one lint run (see the module docstring).

    Args:
        policy: the loaded pack.
        clock: the moment the modelled requests are decided at.
        solver: ``z3`` or ``search``.
        ignore: the finding codes to leave out.
        probes: for the search, the most requests it tries per question.
        seed: for the search, where its random choices start.
    """

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
        self.backend: Backend
        if solver == "z3":
            # z3 is optional: only the solver's modules import it
            from policylib.authoring._solver import Prover

            self.prover = Prover(self.pack, self.space, self.order)
            self.backend = self.prover
        else:
            self.backend = Searcher(self.space, self.observer, self.order, probes, seed)
        self.unshown: list[str] = []
        self._names: dict[str, int] = {}

    def wants(self, *codes: str) -> bool:
        """Whether any of these finding codes is asked for."""
        return any(code not in self.ignore for code in codes)

    # ---------------------------------------------------------------- requests

    def show(
        self,
        target: Target,
        avoid: Sequence[Avoid] = (),
        also: Callable[[Observed], bool] | None = None,
        *,
        plain: bool = True,
    ) -> Observed | None:
        """A concrete request that meets the target (and ``also``), confirmed by the
        engine, or None; with ``plain``, one the search found is made plain (a witness
        that is never shown need not be)."""
        proposed = 0
        for choice in self.backend.requests(target, avoid):
            if proposed >= ATTEMPTS and self.solver == "z3":
                break
            proposed += 1
            seen = self._meets(target, choice, avoid, also)
            if seen is not None:
                return (
                    seen if self.solver == "z3" else self._shrink(target, choice, seen, avoid, also)
                )
        if proposed and self.solver == "z3":  # the solver said yes, the engine no
            self.unshown.append(asked(target))
        return None

    def _meets(
        self,
        target: Target,
        choice: Choice,
        avoid: Sequence[Avoid],
        also: Callable[[Observed], bool] | None,
    ) -> Observed | None:
        seen = self.observer.observe(self.space.build(target.kind, choice))
        if (
            seen is not None
            and target.met(seen, self.pack.default_outcome)
            and not avoided(avoid, self.region(target.kind, seen), seen.facts)
            and (also is None or also(seen))
        ):
            return seen
        return None

    def _shrink(
        self,
        target: Target,
        choice: Choice,
        seen: Observed,
        avoid: Sequence[Avoid],
        also: Callable[[Observed], bool] | None,
    ) -> Observed:
        """The search's request made plain, slot by slot, while it still meets the target:
        a field left out, at its default or a plain word, an optional object, word or
        second line taken away (the solver's requests are plain already)."""
        current = dict(choice)
        best = seen
        for key, slot in self.space.slots.items():
            value = current.get(key, MISSING)
            if slot.kind != "value":
                plain: Any = False
            elif slot.optional:
                plain = MISSING
            elif self.space.default_of(key) is not None:
                plain = self.space.default_of(key)
            elif slot.type.name == "text" and slot.domain:
                plain = slot.domain[-1]
            else:
                continue
            if value is plain or value == plain:
                continue
            trial = {**current, key: plain}
            found = self._meets(target, trial, avoid, also)
            if found is not None:
                current, best = trial, found
        return best

    def plain(
        self, target: Target, seen: Observed, also: Callable[[Observed], bool] | None = None
    ) -> Observed:
        """A request lint saw (a worked example's, one the search tried) made plain as
        ``show`` makes the search's, when it can be read back into slots; else itself."""
        if self.solver == "z3":
            return seen
        choice = choice_of(self.space, seen.request)
        if choice is None or self._meets(target, choice, (), also) is None:
            return seen
        return self._shrink(target, choice, seen, (), also)

    def region(self, kind: str, seen: Observed) -> Region:
        return region(tests_of(self.order[kind]), seen.facts)

    def deciding(self, rule: Rule, kind: str) -> list[Observed]:
        """Requests the rule decides for the kind: those the engine already decided this
        run (the worked examples among them), else one the backend finds; [] when none."""
        kept = self.observer.deciding.get((rule.id, kind))
        if kept:
            return list(kept)
        shown = self.show(Target("decides", kind, rule))
        return [shown] if shown is not None else []

    def observe_examples(self) -> None:
        """Decide every worked example at its own clock, so the requests the author wrote
        are among those each rule is seen deciding."""
        for example in self.pack.examples:
            request = dict(example.request)
            if example.now:
                request["requested_at"] = example.now
            if "requested_at" in request:
                self.observer.observe(request)

    # ---------------------------------------------------------------- words

    def example(self, seen: Observed, name: str) -> dict[str, Any] | None:
        """The request as a worked example, stating what the engine decides for it."""
        decision = self.observer.decision(seen)
        if decision is None:
            return None
        count = self._names[name] = self._names.get(name, 0) + 1
        out: dict[str, Any] = {
            "name": name if count == 1 else f"{name} ({count})",
            "now": seen.request.get("requested_at"),
            "outcome": decision.outcome.value,
        }
        rule = deciding_rule(decision)
        if rule:
            out["rule"] = rule
        out["request"] = dict(seen.request)
        return out

    def facts(self, seen: Observed, rules: Sequence[Rule]) -> tuple[tuple[str, str], ...]:
        """The known facts the rules test, as people read them (most tested first)."""
        counts: dict[str, int] = {}
        for rule in rules:
            for name in facts_tested(rule.when):
                counts[name] = counts.get(name, 0) + 1
        names = sorted(counts, key=lambda n: -counts[n])
        shown = {n: seen.facts[n] for n in names if seen.facts.get(n) is not None}
        return self.words(dict(list(shown.items())[:8]))

    def words(self, facts: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """Facts as people read them: (label, value); "not said" for an unknown one, and
        "at most 30 days", "31 days or more" or "from 3 to 9 days" for a range."""
        out = []
        for name, value in facts.items():
            label = self.pack.facts[name].label
            if isinstance(value, Span):
                low, high = self.word(name, value.low), self.word(name, value.high)
                if value.low is not None and value.high is not None:
                    said = low if value.low == value.high else f"from {low} to {high}"
                elif value.low is not None:
                    said = f"{low} or more"
                elif value.high is not None:
                    said = f"at most {high}"
                else:  # pragma: no cover - a span with no ends is not kept
                    said = "any"
            else:
                said = self.word(name, value)
            out.append((label, said))
        return tuple(out)

    def word(self, name: str, value: Any) -> str:
        if value is None:
            return "not said"
        words = self.policy.texts.format_facts({name: value}, year=self.space.today.year)
        return words.get(name, str(value))
