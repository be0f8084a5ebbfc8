"""The closures the node handlers share: built once when compiling, run for every request.

A path (``order.delivery.method``) is read by one closure, not one per step
(``_path_reader``); ``any()``, ``all()`` and ``count()`` run their test per element with
``each`` set on the ``Env`` (``_quantifier``); ``x in [constants]`` looks in a set built
once (``_membership``). ``_unknown`` is the closure of a subexpression already refused
elsewhere (a broken fact or setting).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policylib.lang.program import Env, Run


def _unknown(env: Env) -> Any:
    return None


def _each(env: Env) -> Any:
    return env.each


class _SlotReader:
    """Reads one attribute of the Env (``item``); paths from it read it inline."""

    __slots__ = ("slot",)

    def __init__(self, slot: str) -> None:
        self.slot = slot

    def __call__(self, env: Env) -> Any:
        return getattr(env, self.slot)


def _slot_reader(slot: str) -> Run:
    return _SlotReader(slot)


def _path_reader(start: Run | None, names: tuple[str, ...]) -> Run:
    """One closure for a path: from the request itself (``start`` None; its own fields
    always exist) or from a root, each step unknown when the one before is."""
    if start is None:
        first, rest = names[0], names[1:]
        if not rest:
            return lambda env: getattr(env.request, first)
        if len(rest) == 1:
            (a,) = rest

            def read1(env: Env) -> Any:
                v = getattr(env.request, first)
                return None if v is None else getattr(v, a, None)

            return read1
        if len(rest) == 2:
            a, b = rest

            def read2(env: Env) -> Any:
                v = getattr(env.request, first)
                if v is None:
                    return None
                v = getattr(v, a, None)
                return None if v is None else getattr(v, b, None)

            return read2

        def read_from_request(env: Env) -> Any:
            v = getattr(env.request, first)
            for n in rest:
                if v is None:
                    return None
                v = getattr(v, n, None)
            return v

        return read_from_request
    if isinstance(start, _SlotReader):
        slot = start.slot
        if len(names) == 1:
            (only,) = names

            def read_slot1(env: Env) -> Any:
                v = getattr(env, slot)
                return None if v is None else getattr(v, only, None)

            return read_slot1
    get = start
    if len(names) == 1:
        (a,) = names

        def read_root1(env: Env) -> Any:
            v = get(env)
            return None if v is None else getattr(v, a, None)

        return read_root1

    def read_root(env: Env) -> Any:
        v = get(env)
        for n in names:
            if v is None:
                return None
            v = getattr(v, n, None)
        return v

    return read_root


def _quantifier(name: str, get_items: Run, test: Run) -> Run:
    if name == "count":

        def count(env: Env) -> Any:
            found = get_items(env)
            if found is None:
                return None
            saved, n = env.each, 0
            try:
                for element in found:
                    env.each = element
                    value = test(env)
                    if value is None:
                        return None
                    n += bool(value)
            finally:
                env.each = saved
            return n

        return count
    stop = name == "any"  # any() stops at the first True, all() at the first False

    def quantify(env: Env) -> Any:
        found = get_items(env)
        if found is None:
            return None
        saved, unknown = env.each, False
        try:
            for element in found:
                env.each = element
                value = test(env)
                if value is None:
                    unknown = True
                elif value is stop:
                    return stop
        finally:
            env.each = saved
        return None if unknown else not stop

    return quantify


def _membership(values: list[Any], inside: bool) -> Callable[[Any, Any], bool]:
    """``x in [constants]`` against a set built once (the list stays for unhashables)."""
    members: frozenset[Any] | tuple[Any, ...] = (
        frozenset(values) if _hashable(values) else tuple(values)
    )
    if inside:
        return lambda actual, _ignored: actual in members
    return lambda actual, _ignored: actual not in members


def _hashable(values: list[Any]) -> bool:
    try:
        frozenset(values)
    except TypeError:
        return False
    return True
