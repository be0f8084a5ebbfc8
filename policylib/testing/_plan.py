"""What one pack's vocabulary lets a request say, worked out once per policy (the plan
``requests()`` draws by): the objects and their fields, the paths only the store's
systems fill, the text the pack's rules mention, and the paths each check reads."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from pydantic import BaseModel

from policylib.lang.nodes import COMPARISON_OPS, Check, Kind, ObjectDef, Pack
from policylib.lang.program import COLLECTION_FORMS
from policylib.lang.types import Type
from policylib.policy import Policy
from policylib.request.build import build_models, object_types

__all__ = ["Json", "Plan", "Reads", "plan_for", "read_paths"]

Json: TypeAlias = Any
"""A JSON value: what a request dict holds."""

_RESERVED = frozenset({"each", "settings", "now", "today", "true", "false", "null", "None"})
_SUBJECTS = ("order", "subscription")


@dataclass(frozen=True)
class Plan:
    """What one pack's requests can say, worked out once per policy."""

    policy: Policy
    kinds: Mapping[str, Kind]
    objects: Mapping[str, ObjectDef]
    types: Mapping[str, Mapping[str, Type]]
    """Object name -> its fields and their types, the base shape's with the pack's."""
    models: Mapping[str, type[BaseModel]]
    supplied: frozenset[str]
    """Request paths (``order.placed_at``, ``order.items[].price``) always filled: what
    the store's systems supply; their parents are filled too."""
    needed: frozenset[str]
    """The supplied paths and every object on the way to them (``order.delivery``)."""
    words: tuple[str, ...]
    """Text the pack's expressions and conditions mention, for fields that are text."""
    samples: Mapping[str, tuple[Json, ...]]
    """Object type name -> values of it the pack's settings hold (delivery windows)."""
    reads: Mapping[int, Reads] = field(default_factory=dict)
    """id(check) -> what its expression reads (paths relative to the checked object)."""


@dataclass(frozen=True)
class Reads:
    """What a check's expression reads: every path, and those it asks ``known(...)`` of
    (a check that may hold when they are unknown: leaving them out is one way to keep it)."""

    paths: tuple[str, ...]
    known: frozenset[str] = frozenset()


def plan_for(policy: Policy) -> Plan:
    """The drawing plan of a policy's vocabulary."""
    pack = policy.pack
    vocabulary = pack.vocabulary
    types = object_types(vocabulary)
    checks = [c for spec in vocabulary.objects.values() for c in spec.checks]
    supplied = _supplied(pack)
    return Plan(
        policy=policy,
        kinds=vocabulary.kinds,
        objects=vocabulary.objects,
        types=types,
        models=build_models(vocabulary),
        supplied=supplied,
        needed=frozenset(_prefixes(supplied)),
        words=_mentioned(pack, checks),
        samples=_samples(pack),
        reads={id(c): _reads(c.program.source) for c in checks},
    )


def _supplied(pack: Pack) -> frozenset[str]:
    """The paths a store fact without a default reads, and its ``field`` (through the store
    facts it builds on, not the customer's: a customer is asked for those)."""
    facts = pack.facts
    out: set[str] = set()
    todo = [f.name for f in facts.values() if f.known_by == "store" and f.default is None]
    seen: set[str] = set()
    while todo:
        fact = facts[todo.pop()]
        if fact.name in seen:
            continue
        seen.add(fact.name)
        out |= fact.program.paths | ({fact.field} if fact.field else set())
        todo.extend(
            name
            for name in fact.program.facts
            if name in facts and facts[name].known_by == "store" and facts[name].default is None
        )
    vocabulary = pack.vocabulary
    return frozenset(
        p
        for p in out
        if not any(q.startswith((p + ".", p + "[")) for q in out)
        and p not in ("kind", "items", *_SUBJECTS)
        and not vocabulary.chosen(p)
    )


def _prefixes(paths: frozenset[str]) -> Iterator[str]:
    """Each path and the paths it passes through (``order``, ``order.items[]`` ...)."""
    for path in paths:
        parts = path.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            yield prefix
            if prefix.endswith("[]"):
                yield prefix[:-2]


def _mentioned(pack: Pack, checks: Sequence[Check]) -> tuple[str, ...]:
    """Every text constant of the pack's expressions and rule conditions, once each."""
    sources = [f.program.source for f in pack.facts.values()]
    sources += [f.default.source for f in pack.facts.values() if f.default is not None]
    sources += [c.program.source for c in checks]
    words: list[str] = []
    for source in sources:
        words.extend(_constants(source))
    for rule in pack.rules:
        stack: list[Any] = [rule.when]
        while stack:
            node = stack.pop()
            if hasattr(node, "items"):
                stack.extend(node.items)
            elif hasattr(node, "item"):
                stack.append(node.item)
            elif getattr(node, "op", "") in COMPARISON_OPS:
                value = node.value
                values = value if isinstance(value, tuple) else (value,)
                words.extend(v for v in values if isinstance(v, str))
    return tuple(sorted(set(words)))


def _constants(source: str) -> Iterator[str]:
    try:
        tree = ast.parse(f"({source})", mode="eval")
    except SyntaxError:  # pragma: no cover - the pack loaded, so it parses
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _samples(pack: Pack) -> dict[str, tuple[Json, ...]]:
    """Values of object types the settings hold (a list of delivery windows, say)."""
    out: dict[str, list[Json]] = {}
    for setting in pack.settings.values():
        kind, values = setting.type, setting.value
        if kind.name == "list" and kind.of is not None:
            kind, values = kind.of, list(values)
        else:
            values = [values]
        if kind.name == "object":
            out.setdefault(kind.object, []).extend(
                v.model_dump(mode="json") for v in values if isinstance(v, BaseModel)
            )
    return {name: tuple(values) for name, values in out.items() if values}


def read_paths(source: str) -> set[str]:
    """The dotted paths an expression reads (``order.status``, ``order.items[].category``
    for ``each.category`` inside ``all(order.items, ...)``), settings and clocks left out."""
    return _walk(source)[0]


def _reads(source: str) -> Reads:
    paths, known = _walk(source)
    return Reads(tuple(sorted(paths)), frozenset(known))


def _walk(source: str) -> tuple[set[str], set[str]]:
    """The paths an expression reads, and those it reads inside ``known(...)``."""
    try:
        tree = ast.parse(f"({source})", mode="eval")
    except SyntaxError:  # pragma: no cover - the pack loaded, so it parses
        return set(), set()
    found: set[str] = set()
    known: set[str] = set()

    def dotted(node: ast.AST, each: str | None) -> str | None:
        if isinstance(node, ast.Name):
            if node.id == "each":
                return each
            return None if node.id in _RESERVED else node.id
        if isinstance(node, ast.Attribute):
            head = dotted(node.value, each)
            return f"{head}.{node.attr}" if head else None
        return None

    def walk(node: ast.AST, each: str | None) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = node.args
            if node.func.id in COLLECTION_FORMS and args:
                walk(args[0], each)
                inner = dotted(args[0], each)
                for arg in args[1:]:
                    walk(arg, f"{inner}[]" if inner else None)
                return
            if node.func.id == "known" and len(args) == 1:
                path = dotted(args[0], each)
                if path is not None:
                    known.add(path)
            for arg in args:
                walk(arg, each)
            return
        path = dotted(node, each)
        if path is not None:
            found.add(path)
            return
        for child in ast.iter_child_nodes(node):
            walk(child, each)

    walk(tree, None)
    return found, known
