"""An optional evaluation backend on durable_rules (the Rete engine), fenced in on every side.

This is the only module that imports ``durable_rules``; it does so lazily, inside functions,
so ``import policylib.engine.durable`` works on interpreters where durable_rules is absent
(it does not build on Python 3.13). ``DurableEngine(pack)`` then raises ``BackendError``.

What durable does here, and what it does not
-------------------------------------------
durable_rules is a two-valued matcher: it cannot say *unknown*. So the work is split:

* **durable decides which rules hold.** Every rule's ``when`` is rewritten to negation
  normal form (``not`` pushed down to the comparisons by De Morgan, ``lt`` <-> ``gte`` ...;
  ``in``/``not_in`` become an ``or`` of equalities / an ``and`` of inequalities) and compiled
  to one durable rule per (kind, rule). Each request's *known* facts are asserted as one
  durable fact in a fresh session; unknown facts are left out. A durable comparison on an
  absent attribute never matches, and in negation normal form "matches with the unknown
  comparisons taken as false" is exactly "true under Kleene logic", so the set of rules
  whose actions fire is exactly the set of rules that hold.
* **the core decides what the rest are.** A rule durable did not fire has failed, unless it
  reads a fact that is missing: then ``engine.evaluate_condition`` (the core's reference
  Kleene evaluator) says whether it failed or is unknown. Precedence is the core engine's
  (``Engine.rules_for``), and the unknown-rules-ahead-of-the-winner step reproduces
  ``engine.settle``. The winner durable found is re-checked with ``evaluate_condition``;
  any disagreement raises ``BackendError`` instead of answering.

So durable is the matcher, not the decision procedure; ``trace`` is the core engine's trace,
checked against durable's decision.

Guards (each one answers a failure measured on durable-rules 2.0.28)
-------------------------------------------------------------------
* no background threads: ``durable.lang`` and its process-global host are never touched;
  each ``DurableEngine`` owns a private ``durable.engine.Host`` whose ``_run`` (the two
  self-rescheduling ``threading.Timer`` dispatch loops that could steal an action) is
  replaced by a no-op, so actions only ever run inside our own ``assert_fact`` call;
* one process-wide ``threading.Lock`` around every call into durable (it crashes when
  several threads post at once);
* a never-reused ruleset name per load (rulesets cannot be redefined); rulesets are deleted
  (``delete_ruleset``) on ``close()`` or, via a finalizer, at the next locked call after the
  engine is garbage-collected;
* a fresh session id per evaluation, deleted in ``finally`` (more than 1,024 live sessions
  raise ``MemoryError``). Every ruleset has a catch-all rule, so no assertion is ever
  "not handled": durable raises on no match, and ``delete_state`` of such a session
  segfaults;
* only one flat dict of ints and floats is posted, never a list (posting a list crashes
  it). Values are encoded so durable compares like with like (``"5" > 30`` matches in
  durable): booleans -> 0/1, enum and text values -> small integer codes of the pack's
  constants (-1 for any other string), dates -> ordinals, integers/decimals/money -> exact
  integers at the scale of the pack's constants for that fact (a value with more decimal
  places goes as ``floor + 0.5``, which orders exactly the same against every constant;
  values beyond all constants are clamped to just beyond them). Values of the wrong type
  for their fact raise ``BackendError``; rules comparing a fact with a constant of another
  type, ordered comparisons of unordered facts and unknown facts refuse the pack at load;
* durable exceptions become ``BackendError``;
* packs needing 512 or more durable rules (all kinds' rules plus one catch-all per kind)
  are refused before durable sees them: durable hangs on rulesets of >= 512 rules.

It is slower than the core engine (each post goes through JSON and the Rete network) and it
serializes every evaluation process-wide; use it to cross-check the core, not to serve.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import platform
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from policylib.engine.core import CoreEngine, evaluate_condition
from policylib.engine.protocol import Verdict, settle
from policylib.errors import BackendError
from policylib.lang.nodes import (
    All,
    Compare,
    Condition,
    FactDef,
    Not,
    Pack,
    Ref,
    Rule,
    comparisons,
    facts_read,
)
from policylib.lang.types import ORDERED as ORDERED_TYPES

__all__ = ["MAX_DURABLE_RULES", "DurableEngine"]

MAX_DURABLE_RULES = 512
"""durable_rules 2.0.28 never returns from a post once a ruleset has this many rules."""

INSTALL_HINT = "pip install 'policylib[durable]' (Python 3.10 to 3.12)"

UNSUPPORTED_HINT = (
    "durable-rules does not support Python 3.13 or newer (its C core does not build there), "
    "so the [durable] extra installs nothing on this Python; use the default engine "
    '(engine="core"), or Python 3.10 to 3.12 for this backend'
)

_LOCK = threading.Lock()
"""Serializes every call into durable_rules in this process."""

_NAMES = itertools.count(1)
_DOOMED: list[Any] = []
"""Ruleset handles of collected engines, deleted at the next locked call."""

_BACKEND: tuple[Any, Any] | None = None  # (durable.engine, durable_rules_engine)

_MARK = "t"
"""An attribute every posted fact carries: the catch-all rule and always-true rules test it."""

_NEGATE = {
    "eq": "ne",
    "ne": "eq",
    "lt": "gte",
    "lte": "gt",
    "gt": "lte",
    "gte": "lt",
    "in": "not_in",
    "not_in": "in",
}
_DURABLE_OP = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
_LIMIT = 2**50
"""Largest scaled constant posted; keeps every number exact in durable's int64/double."""


# --------------------------------------------------------------------------- the import


def _backend() -> tuple[Any, Any]:
    """``(durable.engine, durable_rules_engine)``, imported on first use, or BackendError."""
    global _BACKEND
    if _BACKEND is not None:
        return _BACKEND
    with _LOCK:
        if _BACKEND is None:
            try:
                durable_rules_engine = importlib.import_module("durable_rules_engine")
                durable_engine = importlib.import_module("durable.engine")

                durable_engine.Host  # noqa: B018 - fail here, not later, on a broken install
            except Exception as exc:  # ImportError, or a bad symbol in the C core (3.13)
                hint = (
                    UNSUPPORTED_HINT
                    if sys.version_info >= (3, 13)
                    else f"install it with: {INSTALL_HINT}"
                )
                raise BackendError(
                    f"the durable_rules backend is not available on Python "
                    f"{platform.python_version()} ({type(exc).__name__}: {exc}); {hint}"
                ) from exc
            _BACKEND = (durable_engine, durable_rules_engine)
    return _BACKEND


def _quiet_host(durable_engine: Any) -> Any:
    """A private ``Host`` that never starts durable's background dispatch timers."""
    cls = type("_QuietHost", (durable_engine.Host,), {"_run": lambda self: None})
    return cls()


def _reap(durable_rules_engine: Any) -> None:
    """Delete rulesets of collected engines. Caller holds ``_LOCK``."""
    while _DOOMED:
        handle = _DOOMED.pop()
        with contextlib.suppress(Exception):  # best effort; the handle is gone either way
            durable_rules_engine.delete_ruleset(handle)


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or repr(exc)
    return f"{type(exc).__name__}: {message}"


# --------------------------------------------------------------------------- value encoding


class _Codec:
    """Turns one fact's values (constants and request values) into comparable numbers."""

    __slots__ = ("codes", "hi", "kind", "lo", "name", "scale", "type")

    def __init__(self, fact: FactDef, constants: Iterable[Any]) -> None:
        self.name = fact.name
        self.type = fact.type.name
        self.codes: dict[str, int] = {}
        self.scale = 1
        self.lo = self.hi = 0
        if self.type in ("enum", "text"):
            self.kind = "code"
        elif self.type == "boolean":
            self.kind = "bool"
        elif self.type in ("date", "datetime", "time"):
            self.kind = self.type
        else:
            self.kind = "number"
        consts = [c for c in constants if self.accepts(c)]  # the rest refuse their rule
        if self.kind == "code":
            for value in sorted(set(consts) | set(fact.type.values)):
                self.codes[value] = len(self.codes)
        elif self.kind == "number":
            places = [-int(c.as_tuple().exponent) for c in consts if isinstance(c, Decimal)]
            self.scale = 10 ** max([0, *places])
            scaled = [Fraction(c) * self.scale for c in consts]
            if scaled:
                self.lo = floor(min(scaled)) - 1
                self.hi = floor(max(scaled)) + 1

    def accepts(self, value: Any) -> bool:
        """Whether a rule constant has this fact's type (finite numbers only)."""
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "code":
            return isinstance(value, str)
        if self.kind == "date":
            return isinstance(value, date) and not isinstance(value, datetime)
        if self.kind == "datetime":
            return isinstance(value, datetime) and value.tzinfo is not None
        if self.kind == "time":
            return isinstance(value, time)
        if isinstance(value, bool):
            return False
        if self.type == "integer":
            return isinstance(value, int)
        return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite())

    def constant(self, value: Any) -> int:
        """A rule constant (already checked by ``accepts``) as durable will compare it."""
        if self.kind == "bool":
            return int(value)
        if self.kind == "code":
            return self.codes[value]
        if self.kind in ("date", "datetime", "time"):
            return _instant(value)
        scaled = Fraction(value) * self.scale
        if scaled.denominator != 1 or abs(scaled) >= _LIMIT:
            raise ValueError(f"{value} cannot be compared exactly")
        return int(scaled)

    def encode(self, value: Any) -> int | float:
        """A request value as durable will compare it; BackendError on the wrong type."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return int(value)
        elif self.kind == "code":
            if isinstance(value, str):
                return self.codes.get(value, -1)
        elif self.kind in ("date", "datetime", "time"):
            if self.accepts(value):
                return _instant(value)
        elif not isinstance(value, bool) and isinstance(value, (int, Decimal, float)):
            return self._number(value)
        raise BackendError(
            f"fact {self.name!r} is {self.type} but received {type(value).__name__} "
            f"{value!r}; durable_rules would compare it across types, so it is not posted"
        )

    def _number(self, value: int | Decimal | float) -> int | float:
        if isinstance(value, int) and self.scale == 1:
            return min(max(value, self.lo), self.hi)
        if (isinstance(value, Decimal) and value.is_nan()) or value != value:
            raise BackendError(f"fact {self.name!r} received {value!r}, which has no order")
        if value in (float("inf"), float("-inf")):
            return self.hi if value > 0 else self.lo
        scaled = Fraction(value) * self.scale
        if scaled >= self.hi:
            return self.hi
        if scaled <= self.lo:
            return self.lo
        if scaled.denominator == 1:
            return int(scaled)
        # Strictly between two consecutive integers, as the value is between two constants.
        return floor(scaled) + 0.5


def _instant(value: date | datetime | time) -> int:
    """A date (its day number), an aware moment (microseconds since 1970 UTC) or a clock
    time (microseconds since midnight) as an integer that orders like the value."""
    if isinstance(value, datetime):
        return (value - _EPOCH) // timedelta(microseconds=1)
    if isinstance(value, time):
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + (
            value.microsecond
        )
    return int(value.toordinal())


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- compiling rules

_TRUE: dict[str, Any] = {"$ex": {_MARK: 1}}


class _Refused(Exception):
    """A rule durable cannot express exactly; becomes BackendError naming the rule."""


@dataclass(frozen=True, slots=True)
class _Translator:
    codecs: dict[str, _Codec]
    attrs: dict[str, str]
    between: dict[Compare, str]
    """Comparisons of two facts (``$return_window``) -> the attribute holding their result:
    durable compares attributes with constants, so the core works these out before the
    post (1 held, 0 failed, absent unknown) and durable tests the result."""

    def rule(self, cond: Condition) -> dict[str, Any] | None:
        """The durable expression of a condition; None when it can never hold."""
        expr = self.nnf(cond, negated=False)
        if expr is False:
            return None
        if expr is True:
            return _TRUE
        return expr

    def nnf(self, cond: Condition, negated: bool) -> dict[str, Any] | bool:
        """Negation normal form straight into durable's JSON; True/False for constants.

        With unknown comparisons read as false (what durable does with absent attributes),
        a formula in negation normal form is true exactly when Kleene logic says true.
        """
        if isinstance(cond, Not):
            return self.nnf(cond.item, not negated)
        if isinstance(cond, Compare):
            return self.compare(cond, negated)
        conjunction = isinstance(cond, All) != negated
        parts = [self.nnf(item, negated) for item in cond.items]
        return _combine(parts, conjunction)

    def compare(self, cond: Compare, negated: bool) -> dict[str, Any] | bool:
        if isinstance(cond.value, Ref):
            attr = self.between.setdefault(cond, f"c{len(self.between)}")
            return {attr: 0 if negated else 1}
        codec = self.codecs.get(cond.fact)
        if codec is None:
            raise _Refused(f"compares {cond.fact!r}, which is not in the vocabulary")
        op = _NEGATE[cond.op] if negated else cond.op
        if op in ("lt", "lte", "gt", "gte") and codec.type not in ORDERED_TYPES:
            raise _Refused(f"orders {cond.fact!r}, a {codec.type} fact")
        attr = self.attrs[cond.fact]
        values: list[Any]
        if op in ("in", "not_in"):
            if not isinstance(cond.value, (tuple, list, frozenset, set)):
                raise _Refused(f"{cond.op} on {cond.fact!r} needs a list of values")
            values = list(cond.value)
        else:
            values = [cond.value]
        for value in values:
            if not codec.accepts(value):
                raise _Refused(
                    f"compares {codec.type} fact {cond.fact!r} with "
                    f"{type(value).__name__} {value!r}"
                )
        try:
            encoded = list(dict.fromkeys(codec.constant(v) for v in values))
        except (ValueError, OverflowError) as exc:
            raise _Refused(f"on {cond.fact!r}: {exc}") from exc
        if op == "in":
            return _combine([{attr: c} for c in encoded], conjunction=False)
        if op == "not_in":
            if not encoded:  # "none of nothing": true whenever the fact is known
                return {"$ex": {attr: 1}}
            return _combine([{"$neq": {attr: c}} for c in encoded], conjunction=True)
        if op == "eq":
            return {attr: encoded[0]}
        return {_DURABLE_OP[op]: {attr: encoded[0]}}


def _combine(parts: list[dict[str, Any] | bool], conjunction: bool) -> dict[str, Any] | bool:
    absorbing, neutral = (False, True) if conjunction else (True, False)
    kept: list[dict[str, Any]] = []
    for part in parts:
        if part is absorbing:
            return absorbing
        if part is neutral:
            continue
        assert not isinstance(part, bool)
        kept.append(part)
    if not kept:
        return neutral
    if len(kept) == 1:
        return kept[0]
    return {"$and" if conjunction else "$or": kept}


def _constants(pack: Pack) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for rule in pack.rules:
        for cond in comparisons(rule.when):
            if isinstance(cond.value, Ref):
                continue  # worked out by the core before the post
            values = cond.value if cond.op in ("in", "not_in") else (cond.value,)
            if isinstance(values, (tuple, list, frozenset, set)):
                found.setdefault(cond.fact, []).extend(values)
    return found


# --------------------------------------------------------------------------- the engine


class _Entry:
    __slots__ = ("facts", "outcome", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.outcome = rule.outcome
        self.facts = facts_read(rule.when)


class _Kind:
    __slots__ = ("codecs", "entries", "name", "reads")

    def __init__(self, name: str, entries: tuple[_Entry, ...], codecs: list[_Codec]) -> None:
        self.name = name
        self.entries = entries
        self.codecs = codecs
        self.reads = tuple(c.name for c in codecs)


def _forget(handles: list[Any], closed: list[bool]) -> None:
    if not closed[0]:
        closed[0] = True
        _DOOMED.extend(handles)


class DurableEngine:
    """The core engine's decisions, with durable_rules doing the matching.

    Same surface as ``engine.Engine``: ``decide``, ``trace``, ``facts_for``, ``rules_for``,
    ``default_outcome``. Construction raises ``BackendError`` when durable_rules is missing
    or the pack cannot be expressed (naming the rule), or needs >= 512 durable rules.
    """

    def __init__(self, pack: Pack) -> None:
        durable_engine, durable_rules_engine = _backend()
        self.pack = pack
        self.default_outcome = pack.default_outcome
        self._core = CoreEngine(pack)
        self._default = Verdict(pack.default_outcome, None)
        constants = _constants(pack)
        codecs = {name: _Codec(fact, constants.get(name, ())) for name, fact in pack.facts.items()}
        attrs = {name: f"f{i}" for i, name in enumerate(pack.facts)}
        translate = _Translator(codecs, attrs, {})
        self._hits: list[int] = []
        hits = self._hits

        def action(index: int) -> Callable[[Any], None]:
            return lambda c: hits.append(index)

        kinds = sorted({kind for rule in pack.rules for kind in rule.kinds})
        definitions: dict[str, dict[str, Any]] = {}
        self._kinds: dict[str, _Kind] = {}
        total = 0
        for kind in kinds:
            entries = tuple(_Entry(rule) for rule in self._core.rules_for(kind))
            name = f"policylib_{os.getpid()}_{next(_NAMES)}"
            definition: dict[str, Any] = {"all": {"all": [{"m": _TRUE}], "run": action(-1)}}
            for index, entry in enumerate(entries):
                try:
                    expr = translate.rule(entry.rule.when)
                except _Refused as exc:
                    raise BackendError(
                        f"rule {entry.rule.id!r} ({entry.rule.loc}) {exc}; the durable_rules "
                        "backend cannot evaluate it exactly"
                    ) from None
                if expr is not None:
                    definition[f"r{index}"] = {"all": [{"m": expr}], "run": action(index)}
            total += len(definition)
            definitions[name] = definition
            reads = self._core.facts_for(kind)
            self._kinds[kind] = _Kind(name, entries, [codecs[f] for f in reads])
        if total >= MAX_DURABLE_RULES:
            raise BackendError(
                f"this pack needs {total} durable rules (one per rule and kind, plus one per "
                f"kind); durable_rules hangs at {MAX_DURABLE_RULES} or more, so the durable "
                "backend refuses it; use the core engine"
            )
        self._attrs = attrs
        self._between = tuple(translate.between.items())
        self._sids = itertools.count(1)
        self._closed = [False]
        handles: list[Any] = []
        with _LOCK:
            _reap(durable_rules_engine)
            self._host = _quiet_host(durable_engine)
            try:
                for name, definition in definitions.items():
                    self._host.register_rulesets({name: definition})
                    handles.append(self._host.get_ruleset(name)._handle)
            except Exception as exc:
                _DOOMED.extend(handles)
                raise BackendError(f"durable_rules refused the pack: {_describe(exc)}") from exc
        self._finalizer = weakref.finalize(self, _forget, handles, self._closed)

    # ------------------------------------------------------------------ the core surface

    def facts_for(self, kind: str) -> tuple[str, ...]:
        """Every fact any rule of this kind reads."""
        return self._core.facts_for(kind)

    def rules_for(self, kind: str) -> tuple[Rule, ...]:
        """The rules of a kind in precedence order (the core engine's order)."""
        return self._core.rules_for(kind)

    def close(self) -> None:
        """Release the durable rulesets now (they are released on collection anyway)."""
        self._finalizer()
        _, durable_rules_engine = _backend()
        with _LOCK:
            _reap(durable_rules_engine)

    def decide(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The decision for one set of facts: durable finds the rules that hold."""
        table = self._kinds.get(kind)
        if table is None:
            return self._default
        held = self.holding(kind, facts)
        pending: list[_Entry] = []
        for index, entry in enumerate(table.entries):
            if index in held:
                if evaluate_condition(entry.rule.when, facts) is not True:
                    raise BackendError(
                        f"durable_rules says rule {entry.rule.id!r} holds but the core "
                        "engine disagrees; not answering"
                    )
                return settle(entry.outcome, entry.rule, pending, facts)
            if any(facts.get(name) is None for name in entry.facts):
                status = evaluate_condition(entry.rule.when, facts)
                if status is True:
                    raise BackendError(
                        f"rule {entry.rule.id!r} holds but durable_rules did not match it; "
                        "not answering"
                    )
                if status is None:
                    pending.append(entry)
        return settle(self.default_outcome, None, pending, facts)

    def trace(self, kind: str, facts: Mapping[str, Any]) -> Verdict:
        """The core engine's trace, reporting (and checked against) durable's decision."""
        verdict = self.decide(kind, facts)
        traced = self._core.trace(kind, facts)
        if (traced.outcome, traced.rule, traced.missing, traced.blocking, traced.would_be) != (
            verdict.outcome,
            verdict.rule,
            verdict.missing,
            verdict.blocking,
            verdict.would_be,
        ):
            raise BackendError(
                f"durable_rules decided {verdict.outcome!r} but the core engine traced "
                f"{traced.outcome!r} for kind {kind!r}; not answering"
            )
        return Verdict(
            verdict.outcome,
            verdict.rule,
            verdict.missing,
            verdict.blocking,
            verdict.would_be,
            traced.trace,
        )

    # ------------------------------------------------------------------ durable

    def holding(self, kind: str, facts: Mapping[str, Any]) -> frozenset[int]:
        """Positions (in ``rules_for(kind)``) of the rules durable_rules finds holding."""
        table = self._kinds.get(kind)
        if table is None:
            return frozenset()
        message: dict[str, int | float | str] = {_MARK: 1}
        attrs = self._attrs
        for codec in table.codecs:
            value = facts.get(codec.name)
            if value is not None:
                message[attrs[codec.name]] = codec.encode(value)
        for cond, attr in self._between:
            held = evaluate_condition(cond, facts)
            if held is not None:
                message[attr] = int(held)
        _, durable_rules_engine = _backend()
        with _LOCK:
            if self._closed[0]:
                raise BackendError("this DurableEngine is closed")
            _reap(durable_rules_engine)
            sid = str(next(self._sids))
            message["sid"] = sid
            hits = self._hits
            hits.clear()
            try:
                self._host.assert_fact(table.name, message)
            except Exception as exc:
                raise BackendError(f"durable_rules failed: {_describe(exc)}") from exc
            finally:
                found = frozenset(hits)
                hits.clear()
                if -1 in found:  # handled: the session exists and can be deleted safely
                    try:
                        self._host.delete_state(table.name, sid)
                    except Exception as exc:
                        raise BackendError(
                            f"durable_rules could not delete session {sid}: {_describe(exc)}"
                        ) from exc
        if -1 not in found:
            raise BackendError("durable_rules did not run the catch-all rule; not answering")
        return found - {-1}
