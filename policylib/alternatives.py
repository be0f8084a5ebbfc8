"""Alternatives: what the store can honestly offer instead of (or beside) a decision.

"Don't just say no: say what the store can do" -- but offer only what the policy really
grants. Every alternative that stands for a change to the request is re-decided by the
engine (``probe``) before it is offered; a change the policy would not grant is dropped.

The search, for one request (one item, or the whole order for non-item kinds):

1. **Declared offers** of the deciding rule, in the order the rule lists them. An offer
   with a ``change`` is applied to the request and re-checked; it is kept only when the
   re-check is granted (or partial), with the granting rule's id and ``verified=True``. An
   offer without a change is a *path* (supervisor review, refusing a delivery ...) and is
   kept as it is (``verified=False``). A change may only touch what the customer chooses
   (``kind``, ``resolution``, ``details.*``, ``order.delivery.method``); an offer that
   would change anything else (the truck, the order status, a date) is never offered.
2. **Counterfactuals**: the few changes a customer can really make -- another resolution
   (refund, replacement, repair, exchange, store credit), for delivery changes another
   standard 4-hour window or another business day after the booked one. Each is tried only
   when a rule of the request's kind reads the input it changes. Facts the customer cannot
   change (time passed, item condition, truck loaded, order status, delivery date, reason)
   are never varied.
3. **Ranking** by value to the customer (``KIND_RANK``), stable, deduplicated by
   (kind, change).
4. **A way forward**: a denial (or escalation, or the pack default) that found nothing
   else gets a supervisor-review path naming the goodwill limit and the escalation contact.

``needs_info`` gets no alternatives (the question comes first). A granted request only
carries what its rule declares (a retention offer after a cancellation, say), never the
thing already granted. At most ``MAX_PROBES`` re-decisions are made per call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from policylib.engine import GRANTING, Verdict
from policylib.errors import PolicyError
from policylib.facts import STANDARD_WINDOWS, BusinessCalendar
from policylib.language import Message, Pack, comparisons
from policylib.model import Alternative, Request, RequestKind, TimeWindow, customer_chooses

__all__ = ["KIND_RANK", "MAX_PROBES", "apply_change", "find_alternatives", "rank_alternatives"]

Probe = Callable[[Request], tuple[Verdict, dict[str, str]]]
Fill = Callable[[Message, Mapping[str, str]], str]

MAX_PROBES = 12
"""Most re-decisions per call (declared offers first, then counterfactuals)."""

MAX_DATES = 3
"""Most alternative delivery days offered."""

KIND_RANK: dict[str, int] = {
    "refund": 0,
    "cancel_order": 0,  # cancelling before shipping is a full refund
    "replacement": 1,
    "repair": 2,
    "exchange": 3,
    "store_credit": 4,
    "partial_refund": 5,
    "reschedule": 6,
    "another_window": 6,
    "another_date": 6,
    "later_date_with_fee": 6,
    # kinds not listed here (retention offers ...) rank at _OTHER_RANK
    "another_receiver": 8,
    "refuse_delivery": 9,
    "return_after_delivery": 9,
    "supervisor_review": 10,
}
"""Alternative kind -> rank (lower is offered first). Supervisor review always comes last."""

_OTHER_RANK = 7
_NOT_GRANTED = frozenset({"denied", "escalate"})

RESOLUTIONS: tuple[str, ...] = ("refund", "replacement", "repair", "exchange", "store_credit")
"""Resolutions tried as counterfactuals, best for the customer first."""

_RESOLUTION_WORDS = {
    "refund": "a refund",
    "replacement": "a replacement",
    "repair": "a repair",
    "exchange": "an exchange",
    "store_credit": "store credit",
}

# Derivations (policylib.facts) that read each counterfactual axis.
_AXIS_DERIVATIONS: dict[str, frozenset[str]] = {
    "resolution": frozenset({"resolution"}),
    "window": frozenset({"new_window_requested", "new_window_standard", "exact_time_requested"}),
    "date": frozenset(
        {"new_date_requested", "new_date", "new_date_business_day", "days_until_new_date"}
    ),
}

SUPERVISOR_MESSAGE = "offer-supervisor-review"
"""Shared Fluent message id for the supervisor-review path, when the pack has one."""


# --------------------------------------------------------------------------- public entry


def find_alternatives(
    *,
    request: Request,
    verdict: Verdict,
    formatted: Mapping[str, str],
    probe: Probe,
    fill: Fill,
    pack: Pack,
    calendar: BusinessCalendar | None = None,
) -> list[Alternative]:
    """What the store can honestly offer for one decided request.

    Args:
        request: the request as decided (one item, or the whole order for non-item kinds).
        verdict: the engine's verdict for it.
        formatted: its facts formatted for people (for filling texts).
        probe: re-decides a changed request with the same clock; returns the verdict and
            the changed request's formatted facts.
        fill: renders a Fluent message with formatted facts.
        pack: the policy pack (store, shared messages).
        calendar: the store's business days (``Policy.calendar``); built from the pack's
            store when not given.

    Returns:
        Alternatives ranked by value to the customer; empty for ``needs_info`` and for a
        grant whose rule declares no offers. A denial always gets at least one.
    """
    outcome = verdict.outcome
    if outcome == "needs_info":
        return []
    search = _Search(request, probe)
    found: list[Alternative] = []

    rule = verdict.rule
    if rule is not None:
        for offer in rule.offers:
            if not offer.change:
                found.append(Alternative(kind=offer.kind, text=fill(offer.text, formatted)))
                continue
            result = search.declared(offer.change)
            if result is None:
                continue
            probed, probe_formatted, change = result
            text = fill(offer.text, probe_formatted)
            if probed.outcome == "partial":  # say what is kept, in the granting rule's words
                text = _with_rule_words(text, probed, probe_formatted, fill)
            found.append(
                Alternative(
                    kind=offer.kind,
                    text=text,
                    rule_id=probed.rule.id if probed.rule is not None else None,
                    verified=True,
                    outcome=probed.outcome,
                    change=change,
                )
            )

    if outcome != "granted":
        axes = _axes_that_matter(request, verdict, pack)
        days = calendar or _calendar(pack.store.country, pack.store.subdivision)
        for candidate in _counterfactuals(request, pack, axes, days):
            result = search.counterfactual(candidate)
            if result is None:
                continue
            probed, probe_formatted, change = result
            if outcome == "partial" and probed.outcome != "granted":
                continue  # only something strictly better than a partial grant
            kind = candidate.kind
            if kind == "refund" and probed.outcome == "partial":
                kind = "partial_refund"
            found.append(
                Alternative(
                    kind=kind,
                    text=_with_rule_words(candidate.lead, probed, probe_formatted, fill),
                    rule_id=probed.rule.id if probed.rule is not None else None,
                    verified=True,
                    outcome=probed.outcome,
                    change=change,
                )
            )

    ranked = rank_alternatives(found)
    if not ranked and outcome in _NOT_GRANTED:  # also the pack default when it says no
        ranked.append(_supervisor_review(formatted, fill, pack))
    return ranked


# --------------------------------------------------------------------------- probing


_Key = tuple[tuple[str, str], ...]
_Result = tuple[Verdict, dict[str, str], dict[str, Any]]

_PROBE_ERRORS = (PolicyError, ValueError, TypeError, KeyError, AttributeError, ArithmeticError)
"""A re-decision that fails on odd data means "not offered": the decision itself stands."""


class _Search:
    """Applies changes and re-decides them, within the probe budget, each change once."""

    __slots__ = ("probe", "probes", "request", "results")

    def __init__(self, request: Request, probe: Probe) -> None:
        self.request = request
        self.probe = probe
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
        if not change or not all(customer_chooses(path) for path in change):
            return None  # never vary what the customer cannot change
        if self.probes >= MAX_PROBES:
            return None
        changed = apply_change(self.request, pairs)
        if changed is None or _same_at(changed, self.request, change):
            return None  # invalid, or exactly what was already asked
        self.probes += 1
        try:
            probed, probe_formatted = self.probe(changed)
        except _PROBE_ERRORS:
            return None
        if probed.outcome not in GRANTING:
            return None
        return probed, probe_formatted, change


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


# --------------------------------------------------------------------------- counterfactuals


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: str
    pairs: tuple[tuple[str, object], ...]
    """The patch as applied (typed values: a TimeWindow, a date)."""
    change: dict[str, Any]
    """The same patch in the request's JSON shape, as offered."""
    lead: str
    """Plain words naming the change, the start of the alternative's text."""


def _counterfactuals(
    request: Request, pack: Pack, axes: frozenset[str], calendar: BusinessCalendar
) -> Iterator[_Candidate]:
    """The changes worth trying for this request, best for the customer first (lazy)."""
    if "resolution" in axes:
        for resolution in RESOLUTIONS:
            if resolution != request.resolution:
                words = _RESOLUTION_WORDS[resolution]
                instead = " instead" if request.resolution is not None else ""
                yield _Candidate(
                    resolution,
                    (("resolution", resolution),),
                    {"resolution": resolution},
                    f"You can choose {words}{instead}.",
                )
    if request.kind is not RequestKind.CHANGE_DELIVERY:
        return
    details = request.details
    delivery = request.order.delivery if request.order is not None else None
    if "window" in axes and (details.exact_time is not None or details.new_window is not None):
        booked = delivery.window if delivery is not None and details.new_date is None else None
        for start, end in STANDARD_WINDOWS:
            if details.new_window is not None and (
                (details.new_window.start, details.new_window.end) == (start, end)
            ):
                continue
            if booked is not None and (booked.start, booked.end) == (start, end):
                continue
            pairs: tuple[tuple[str, object], ...] = (
                ("details.new_window", _standard_window(start, end)),
            )
            change: dict[str, Any] = {
                "details.new_window": {"start": _hhmm(start), "end": _hhmm(end)}
            }
            if details.exact_time is not None:
                pairs += (("details.exact_time", None),)
                change["details.exact_time"] = None
            yield _Candidate(
                "another_window",
                pairs,
                change,
                f"We can deliver between {_clock(start)} and {_clock(end)} instead.",
            )
    if "date" in axes and details.new_date is not None:
        base = delivery.scheduled_date if delivery is not None else None
        for day in _next_business_days(base or details.new_date, calendar, skip=details.new_date):
            yield _Candidate(
                "another_date",
                (("details.new_date", day),),
                {"details.new_date": day.isoformat()},
                f"We can deliver on {_day(day)} instead.",
            )


@lru_cache(maxsize=8)
def _standard_window(start: time, end: time) -> TimeWindow:
    return TimeWindow(start=start, end=end)


def _next_business_days(after: date, calendar: BusinessCalendar, skip: date | None) -> list[date]:
    out: list[date] = []
    day = after
    for _ in range(21):  # three business days are always within three weeks
        day += timedelta(days=1)
        if day != skip and calendar.is_business_day(day):
            out.append(day)
            if len(out) == MAX_DATES:
                break
    return out


@lru_cache(maxsize=8)
def _calendar(country: str, subdivision: str) -> BusinessCalendar:
    """For callers without a Policy (tests, tools); a Policy passes its own calendar."""
    return BusinessCalendar(country, subdivision)


_AXES_CACHE: dict[int, tuple[Pack, dict[str, frozenset[str]]]] = {}
"""id(pack) -> (pack, axes per rule). Packs are slotted (no weak references); the few packs a
process loads are held, at most ``_AXES_CACHE_SIZE``."""
_AXES_CACHE_SIZE = 16
_AXES_LOCK = threading.Lock()


def _rule_axes(pack: Pack) -> dict[str, frozenset[str]]:
    """Rule id -> the counterfactual axes the rule reads (cached per pack)."""
    entry = _AXES_CACHE.get(id(pack))
    if entry is not None and entry[0] is pack:
        return entry[1]
    result: dict[str, frozenset[str]] = {}
    for rule in pack.rules:
        derivations = {
            pack.facts[c.fact].derive if c.fact in pack.facts else c.fact
            for c in comparisons(rule.when)
        }
        result[rule.id] = frozenset(
            axis for axis, names in _AXIS_DERIVATIONS.items() if derivations & names
        )
    with _AXES_LOCK:
        if len(_AXES_CACHE) >= _AXES_CACHE_SIZE:
            _AXES_CACHE.clear()
        _AXES_CACHE[id(pack)] = (pack, result)
    return result


def _axes_that_matter(request: Request, verdict: Verdict, pack: Pack) -> frozenset[str]:
    """The axes whose change could alter this verdict.

    A rule ranked below the deciding one (``skipped`` in the trace) cannot decide after a
    change that leaves the deciding rule and every rule above it as they were; so only
    the axes read by the other rules of the kind are worth a probe. Rules the engine's
    index kept out of the trace count too: a change could bring them in.
    """
    skipped = {r.rule_id for r in verdict.trace or () if r.status == "skipped"}
    axes_by_rule = _rule_axes(pack)
    kind = request.kind.value
    axes: set[str] = set()
    for rule in pack.rules:
        if kind in rule.kinds and rule.id not in skipped:
            axes |= axes_by_rule[rule.id]
    return frozenset(axes)


# --------------------------------------------------------------------------- texts


def _with_rule_words(
    lead: str, probed: Verdict, probe_formatted: Mapping[str, str], fill: Fill
) -> str:
    """The lead naming the change, then the granting rule's own words (first sentence
    when they run long)."""
    if probed.rule is None:
        return lead
    said = " ".join(fill(probed.rule.text, probe_formatted).split())
    if _unfilled(said):
        return lead
    if len(said) > 200:
        cut = said.find(". ")
        said = said[: cut + 1] if 0 < cut < 200 else said[:197].rstrip() + "..."
    return f"{lead} {said}" if said else lead


def _supervisor_review(formatted: Mapping[str, str], fill: Fill, pack: Pack) -> Alternative:
    contact = pack.store.escalation_contact
    message = pack.messages.get(SUPERVISOR_MESSAGE)
    text = ""
    if message is not None:
        values = dict(formatted)
        values.setdefault("escalation_contact", contact)
        text = fill(message, values)
    if not text or _unfilled(text):
        text = f"You can ask {contact} to review your case."
        limit = formatted.get("goodwill_limit")
        if limit:
            text = (
                f"You can ask {contact} to review your case; "
                f"they can approve a goodwill gesture of up to {limit}."
            )
    return Alternative(kind="supervisor_review", text=text)


def _unfilled(text: str) -> bool:
    """True when a renderer left a placeholder in (never show ``{ $x }`` to a customer)."""
    return "{" in text or "}" in text


def _clock(moment: time) -> str:
    """A time of day in plain words: 8 a.m., noon, 4:30 p.m., midnight."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "noon" if moment.hour == 12 else "midnight"
    if moment >= time(23, 59):
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"


def _hhmm(moment: time) -> str:
    if moment == time(23, 59, 59):
        return "24:00"  # how the request model reads the end of the day
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _day(day: date) -> str:
    return f"{day:%A, %B} {day.day}"


# --------------------------------------------------------------------------- ranking


def rank_alternatives(found: Sequence[Alternative]) -> list[Alternative]:
    """Best for the customer first (stable), each (item, kind, change) and each text once.

    An offer the policy grants only in part ranks no higher than a partial refund.
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

    def rank(alt: Alternative) -> tuple[int, bool]:
        value = KIND_RANK.get(alt.kind, _OTHER_RANK)
        if alt.outcome == "partial":
            value = max(value, KIND_RANK["partial_refund"])
        # verified offers before paths of the same rank ("a 12-4 window" before "pick a window")
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
        return _hhmm(value)
    if isinstance(value, BaseModel):
        return {name: _jsonable(v) for name, v in value.__dict__.items() if v is not None}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
