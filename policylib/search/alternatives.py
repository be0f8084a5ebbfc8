"""Alternatives: what the store can honestly offer instead of (or beside) a decision.

"Don't just say no: say what the store can do" -- but offer only what the policy really
grants. Every alternative that stands for a change to the request is re-decided by the
engine (``probe``) before it is offered; a change the policy would not grant is dropped.

The search, for one request (one item, or the whole order for non-item kinds):

1. **Declared offers** of the deciding rule, in the order the rule lists them. An offer
   with a ``change`` is applied to the request and re-checked; it is kept only when the
   re-check is granted (or partial), with the granting rule's id and ``verified=True``. An
   offer without a change is a *path* (a review by a person, refusing a delivery ...) and is
   kept as it is. A change may only touch what the customer chooses (the vocabulary's
   ``choices``).
2. **Counterfactuals** along the axes the pack declares (``alternatives.search``): another
   resolution, another delivery window, another business day ... Each axis is tried only
   when a rule of the request's kind reads (through its facts) the path it changes and
   could still decide differently, and only with the values the axis declares.
3. **Ranking** by the pack's offer ranks, stable, deduplicated by (item, kind, change).
4. **A way forward**: a denial (the pack default's too) that found nothing else gets the
   pack's fallback (a review by a person, say). An escalation does not: it is already
   with a person, and offering a review by the one who has the case contradicts the reply.

``needs_info`` gets no alternatives (the question comes first). A granted request only
carries what its rule declares (a retention offer after a cancellation), never the thing
already granted. At most ``MAX_PROBES`` re-decisions are made per call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from policylib.engine.protocol import Verdict
from policylib.errors import PolicyError
from policylib.lang.expr import Program
from policylib.lang.nodes import GRANTING, Axis, Message, Outcome, Pack, facts_read
from policylib.output.decision import Alternative, built
from policylib.request.base import Request
from policylib.request.scalars import clock_text

__all__ = ["MAX_PROBES", "Search", "apply_change", "rank_alternatives"]

Probe = Callable[[Request], "Sequence[tuple[Verdict, dict[str, str]]]"]
"""Re-decides a changed request: a verdict and formatted facts per decided part (one, or
one per item of a per-item kind); a single entry when a part is not granted."""
Fill = Callable[[Message, Mapping[str, str]], str]
Evaluate = Callable[[Program, Request, Any], Any]
"""Runs an axis's expression on a request (``value`` bound to a candidate, or None)."""
Words = Callable[[Any], str]
"""A candidate value as people read it."""

MAX_PROBES = 12
"""Most re-decisions per call (declared offers first, then counterfactuals)."""


# --------------------------------------------------------------------------- the search


class Search:
    """The alternatives search of one pack: which axes matter for which rules, worked out
    once, so a request only looks at the rules that can change its answer.

    Args:
        pack: the loaded pack (its offer kinds, fallback, axes and choices).
        reads: fact name -> every request path its expression reads, facts it names
            followed (``order.items[].tags``, ``details.new_window`` ...).
    """

    def __init__(self, pack: Pack, reads: Mapping[str, frozenset[str]]) -> None:
        self.pack = pack
        self.alternatives = pack.alternatives
        self.chosen = pack.vocabulary.chosen
        axes = pack.alternatives.axes
        # rule id -> the axes a change along which reaches the rule; and per kind, how
        # many of its rules each axis reaches (a request then looks only at its trace)
        self._touched: dict[str, frozenset[int]] = {}
        self._reached: dict[str, dict[int, int]] = {}
        for rule in pack.rules:
            read = [reads.get(fact, frozenset()) for fact in facts_read(rule.when)]
            paths = frozenset().union(*read)
            touched = frozenset(
                i for i, axis in enumerate(axes) if any(_under(p, axis.path) for p in paths)
            )
            if touched:
                self._touched[rule.id] = touched
                for kind in rule.kinds:
                    counts = self._reached.setdefault(kind, {})
                    for i in touched:
                        counts[i] = counts.get(i, 0) + 1

    def find(
        self,
        *,
        request: Request,
        verdict: Verdict,
        formatted: Mapping[str, str],
        probe: Probe,
        fill: Fill,
        evaluate: Evaluate,
        words: Words,
        escalation_contact: str,
    ) -> list[Alternative]:
        """What the store can honestly offer for one decided request.

        Args:
            request: the request as decided (one item, or the whole order).
            verdict: the engine's verdict for it (with its trace).
            formatted: its facts formatted for people (for filling texts).
            probe: re-decides a changed request with the same clock; returns the verdict
                and the changed request's formatted facts.
            fill: renders a Fluent message with formatted values.
            evaluate: runs an axis's expression on the request.
            words: a candidate value as people read it, in the reply's locale (an offer
                kind in its words, a time of day on the store's clock).
            escalation_contact: who takes the case (for the fallback's text).

        Returns:
            Alternatives ranked by value to the customer; empty for ``needs_info`` and for
            a grant whose rule declares no offers. A denial always gets at least one.
        """
        outcome = verdict.outcome
        if outcome is Outcome.NEEDS_INFO:
            return []
        tries = _Tries(request, probe, self.chosen)
        found: list[Alternative] = []
        rule = verdict.rule
        if rule is not None:
            for offer in rule.offers:
                if not offer.change:
                    found.append(
                        built(Alternative, kind=offer.kind, text=fill(offer.text, formatted))
                    )
                    continue
                result = tries.declared(offer.change)
                if result is None:
                    continue
                parts, change = result
                text = fill(offer.text, parts[0][1])
                if _outcome(parts) is Outcome.PARTIAL:  # say what is kept, in its rule's words
                    text = _with_rule_words(text, parts, fill, only_partial=True)
                found.append(_verified(offer.kind, text, parts, change))
        if outcome is not Outcome.GRANTED:
            for candidate in self._counterfactuals(request, verdict, evaluate, fill, words):
                result = tries.counterfactual(candidate)
                if result is None:
                    continue
                parts, change = result
                probed = _outcome(parts)
                if outcome is Outcome.PARTIAL and probed is not Outcome.GRANTED:
                    continue  # only something strictly better than a partial grant
                kind = candidate.kind
                partly = self.alternatives.kinds.get(kind)
                if probed is Outcome.PARTIAL and partly is not None and partly.partly:
                    kind = partly.partly
                text = _with_rule_words(candidate.lead, parts, fill)
                found.append(_verified(kind, text, parts, change))
        ranked = rank_alternatives(found, self.pack)
        fallback = self.alternatives.fallback
        if not ranked and outcome is Outcome.DENIED and fallback is not None:
            values = {**formatted, "escalation_contact": escalation_contact}
            ranked.append(built(Alternative, kind=fallback.kind, text=fill(fallback.text, values)))
        return ranked

    # ---------------------------------------------------------------- counterfactuals

    def _matter(self, kind: str, verdict: Verdict) -> frozenset[int]:
        """The axes whose change could alter this verdict.

        A rule ranked below the deciding one (``skipped`` in the trace) cannot decide after
        a change that leaves the deciding rule and every rule above it as they were, so
        only the axes the other rules of the kind read are worth a probe. Rules the
        engine's index kept out of the trace count too: a change could bring them in.
        """
        reached = self._reached.get(kind)
        if not reached:
            return frozenset()
        # An axis matters unless every rule of the kind it reaches was skipped: counted
        # over the trace, so a pack of 10,000 rules costs no more than its trace does.
        skipped: dict[int, int] = {}
        touched_by = self._touched
        for entry in verdict.trace or ():
            if entry.status == "skipped":
                for i in touched_by.get(entry.rule_id, ()):
                    skipped[i] = skipped.get(i, 0) + 1
        return frozenset(i for i, count in reached.items() if count > skipped.get(i, 0))

    def _counterfactuals(
        self, request: Request, verdict: Verdict, evaluate: Evaluate, fill: Fill, words: Words
    ) -> Iterator[_Candidate]:
        """The changes worth trying for this request, best for the customer first (lazy)."""
        matter = self._matter(request.kind, verdict)
        for index, axis in enumerate(self.alternatives.axes):
            if index not in matter or (axis.kinds and request.kind not in axis.kinds):
                continue
            if axis.when is not None and evaluate(axis.when, request, None) is not True:
                continue
            values: Iterable[Any] = axis.values
            if axis.generator is not None:
                values = evaluate(axis.generator, request, None) or ()
            current = _at(request, axis.path)
            offered = 0
            for value in values:
                if axis.limit and offered >= axis.limit:
                    break
                if value == current:
                    continue  # exactly what was already asked
                if axis.skip is not None and evaluate(axis.skip, request, value) is True:
                    continue
                offered += 1
                yield self._candidate(axis, value, current, request, fill, words)

    def _candidate(
        self, axis: Axis, value: Any, current: Any, request: Request, fill: Fill, words: Words
    ) -> _Candidate:
        pairs: list[tuple[str, object]] = [(axis.path, value)]
        change: dict[str, Any] = {axis.path: _jsonable(value)}
        for cleared in axis.clears:
            if _at(request, cleared) is None:
                continue  # nothing to clear: the change says only what it changes
            pairs.append((cleared, None))
            change[cleared] = None
        kind = axis.kind or str(value)
        shown: dict[str, str] = {}
        if isinstance(value, BaseModel):
            shown = {name: words(v) for name, v in value.__dict__.items() if v is not None}
        else:
            shown["value"] = words(value)
        lead = axis.lead_unasked if current is None and axis.lead_unasked else axis.lead
        return _Candidate(kind, tuple(pairs), change, fill(lead, shown))


# --------------------------------------------------------------------------- probing


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: str
    pairs: tuple[tuple[str, object], ...]
    """The patch as applied (typed values: a window model, a date)."""
    change: dict[str, Any]
    """The same patch in the request's JSON shape, as offered."""
    lead: str
    """Plain words naming the change, the start of the alternative's text."""


_Key = tuple[tuple[str, str], ...]
_Parts = Sequence[tuple[Verdict, dict[str, str]]]
_Result = tuple[_Parts, dict[str, Any]]

_PROBE_ERRORS = (PolicyError, ValueError)
"""A changed request the policy refuses means "not offered": the decision itself stands.
Anything else is a bug and is not swallowed."""


class _Tries:
    """Applies changes and re-decides them, within the probe budget, each change once."""

    __slots__ = ("chosen", "probe", "probes", "request", "results")

    def __init__(self, request: Request, probe: Probe, chosen: Callable[[str], bool]) -> None:
        self.request = request
        self.probe = probe
        self.chosen = chosen
        self.probes = 0
        self.results: dict[_Key, _Result | None] = {}

    def declared(self, pairs: Sequence[tuple[str, object]]) -> _Result | None:
        """A rule's offer: its re-decision when the policy grants it, else None. Two offers
        with the same change share one re-decision."""
        change = {path: _jsonable(value) for path, value in pairs}
        key = _change_key(change)
        if key not in self.results:
            self.results[key] = self._decide(pairs, change)
        return self.results[key]

    def counterfactual(self, candidate: _Candidate) -> _Result | None:
        """Like ``declared``, but None for a change already tried (a declared offer covers
        it, or the policy refused it)."""
        key = _change_key(candidate.change)
        if key in self.results:
            return None
        result = self.results[key] = self._decide(candidate.pairs, candidate.change)
        return result

    def _decide(
        self, pairs: Sequence[tuple[str, object]], change: dict[str, Any]
    ) -> _Result | None:
        if not change or not all(self.chosen(path) for path in change):
            return None  # never vary what the customer cannot change
        if self.probes >= MAX_PROBES:
            return None
        changed = apply_change(self.request, pairs)
        if changed is None or _same_at(changed, self.request, change):
            return None  # invalid, or exactly what was already asked
        self.probes += 1
        try:
            parts = self.probe(changed)
        except _PROBE_ERRORS:
            return None
        if not parts or any(verdict.outcome not in GRANTING for verdict, _ in parts):
            return None
        return parts, change


def _outcome(parts: _Parts) -> Outcome:
    """A change re-decided item by item grants fully only when every item is granted."""
    if all(verdict.outcome is Outcome.GRANTED for verdict, _ in parts):
        return Outcome.GRANTED
    return Outcome.PARTIAL


def _verified(kind: str, text: str, parts: _Parts, change: dict[str, Any]) -> Alternative:
    rule = parts[0][0].rule
    return built(
        Alternative,
        kind=kind,
        text=text,
        rule_id=rule.id if rule is not None else None,
        verified=True,
        outcome=_outcome(parts),
        change=change,
    )


class _Patch(dict[str, Any]):
    """A node of a nested request patch (distinct from dict values being set)."""


def apply_change(request: Request, pairs: Sequence[tuple[str, object]]) -> Request | None:
    """The request with each dotted path set to its value, validated; None when invalid.

    Only the models along the changed paths are rebuilt (a shallow dict of the model's
    fields, nested models passed through as instances), so the model validators run
    without re-validating the whole order.
    """
    patch = _Patch()
    for path, value in pairs:
        parts = path.split(".")
        if not all(parts):
            return None
        node = patch
        for part in parts[:-1]:
            child = node.setdefault(part, _Patch())
            if not isinstance(child, _Patch):
                return None  # a value and a sub-path set for the same field
            node = child
        if isinstance(node.get(parts[-1]), _Patch):
            return None
        node[parts[-1]] = value
    try:
        rebuilt = _rebuild(request, patch)
    except (ValidationError, PolicyError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return rebuilt if isinstance(rebuilt, Request) else None


def _rebuild(model: BaseModel, patch: _Patch) -> BaseModel:
    fields = type(model).model_fields
    data = dict(model.__dict__)
    for name, value in patch.items():
        if name not in fields:
            raise KeyError(name)
        if isinstance(value, _Patch):
            child = data.get(name)
            if not isinstance(child, BaseModel):
                raise TypeError(f"{name} is not set; cannot change inside it")
            data[name] = _rebuild(child, value)
        else:
            data[name] = value
    return type(model).model_validate(data)


def _at(model: object, path: str) -> Any:
    value: Any = model
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _same_at(changed: BaseModel, original: BaseModel, paths: Mapping[str, Any]) -> bool:
    """True when every changed path holds what the original already had (a no-op change;
    cheaper than comparing whole requests)."""
    missing = object()
    for path in paths:
        new: Any = changed
        old: Any = original
        for part in path.split("."):
            new = getattr(new, part, missing)
            old = getattr(old, part, missing)
        if new is missing or new != old:
            return False
    return True


def _under(path: str, axis: str) -> bool:
    """Whether reading ``path`` reads (part of) what the axis changes, or all of it."""
    return path == axis or path.startswith(axis + ".") or axis.startswith(path + ".")


# --------------------------------------------------------------------------- texts


def _with_rule_words(lead: str, parts: _Parts, fill: Fill, *, only_partial: bool = False) -> str:
    """The lead naming the change, then each granting rule's own words (the first
    sentence when they run long, or when a change re-decides several items: one per item,
    so a fee on each is said (``only_partial``: only the items granted in part)."""
    words = [lead]
    for verdict, formatted in parts:
        if verdict.rule is None or (only_partial and verdict.outcome is not Outcome.PARTIAL):
            continue
        said = " ".join(fill(verdict.rule.text, formatted).split())
        if len(said) > 200 or len(parts) > 1:  # several items: what each one keeps
            cut = said.find(". ")
            said = said[: cut + 1] if 0 < cut < 200 else said[:197].rstrip() + "..."
        if said and said not in words:
            words.append(said)
    return " ".join(words)


# --------------------------------------------------------------------------- ranking


def rank_alternatives(found: Sequence[Alternative], pack: Pack) -> list[Alternative]:
    """Best for the customer first (stable), each (item, kind, change) and each text once.

    An offer the policy grants only in part ranks no better than the pack's
    ``partial_rank``; verified offers come before paths of the same rank.
    """
    seen: set[tuple[str | None, str, tuple[tuple[str, str], ...]]] = set()
    said: set[str] = set()
    unique: list[Alternative] = []
    for alt in found:
        key = (alt.item, alt.kind, _change_key(alt.change))
        if key not in seen and alt.text not in said:
            seen.add(key)
            said.add(alt.text)
            unique.append(alt)
    alternatives = pack.alternatives

    def rank(alt: Alternative) -> tuple[int, bool]:
        value = alternatives.rank(alt.kind)
        if alt.outcome is Outcome.PARTIAL:
            value = max(value, alternatives.partial_rank)
        return value, not alt.verified

    return sorted(unique, key=rank)


def _change_key(change: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((path, repr(value)) for path, value in change.items()))


def _jsonable(value: object) -> Any:
    """A change value in the request's canonical JSON shape (dates ISO, times HH:MM)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return clock_text(value)
    if isinstance(value, BaseModel):
        return {name: _jsonable(v) for name, v in value.__dict__.items() if v is not None}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
