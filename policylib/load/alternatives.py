"""``policy.yaml``'s ``alternatives:``: what a customer may be offered instead, and how to
search for it.

::

    alternatives:
      kinds: {refund: {rank: 0, words: a refund, partly: part_refund}, ...}
      partial_rank: 5
      fallback: {kind: human_review, text: ...}
      search: [{path: resolution, values: [refund, credit], lead: ...}, ...]

The offer kinds are ranked, and one may become another when granted in part; the fallback
is the way forward when nothing is granted. Each search axis changes one request path the
customer chooses over a list of values (or an expression giving them), each value offered
as the axis's kind or the kind of its own name. Read after the facts: the texts name only
declared facts, the expressions type-check, and the values are ones the request model
accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from policylib.lang import types as t
from policylib.lang.expr import Scope, compile_expression
from policylib.lang.nodes import Alternatives, Axis, Message, Offer, OfferKind
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.strict_yaml import Node, ScalarNode

__all__ = ["AlternativesReader", "PatternReader", "ValueCheck"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_AXIS_KEYS = (
    "path",
    "kind",
    "kinds",
    "values",
    "limit",
    "when",
    "skip",
    "clears",
    "lead",
    "lead_unasked",
)

PatternReader = Callable[[Node, str, frozenset[str]], "Message | None"]
"""Reads a Fluent text whose placeholders may be declared facts or the given extra names."""
ValueCheck = Callable[[str, Any, Node], Any]
"""Validates a value for a request path (reported); None when invalid."""


class AlternativesReader:
    """Reads the ``alternatives:`` section of one ``policy.yaml``."""

    def __init__(
        self,
        doc: Doc,
        *,
        pattern: PatternReader,
        axis_scope: Callable[[Type | None], Scope],
        value_check: ValueCheck,
        chosen: Callable[[str], bool],
        request_kinds: frozenset[str] | None,
    ) -> None:
        """``axis_scope`` gives the scope of a search's expressions (with ``value`` of the
        given type, if any); ``request_kinds`` is None when the vocabulary could not be
        read (not checked then)."""
        self.doc = doc
        self.pattern = pattern
        self.axis_scope = axis_scope
        self.value_check = value_check
        self.chosen = chosen
        self.request_kinds = request_kinds
        self.offer_kinds: frozenset[str] | None = None
        """The offer kinds, once ``read()`` has read them (None: it could not)."""

    def read(self, entries: Entries) -> Alternatives | None:
        """The offer kinds, the fallback and the search axes of ``policy.yaml``'s entries."""
        doc = self.doc
        if "alternatives" not in entries:
            doc.problem(
                "missing-key",
                "policy.yaml has no alternatives: section",
                None,
                hint="declare the offer kinds (alternatives: {kinds: ...}) and the way "
                "forward when nothing is granted (fallback:)",
            )
            return None
        m = doc.mapping(
            entries["alternatives"][1],
            "alternatives",
            required=("kinds", "fallback"),
            optional=("partial_rank", "search"),
        )
        if m is None or "kinds" not in m or "fallback" not in m:
            return None
        kinds = self.kinds(m)
        self.offer_kinds = frozenset(kinds)
        partial_rank = doc.optional(m, "partial_rank", doc.integer, 0)
        fallback = self.fallback(m["fallback"][1], kinds)
        axes = tuple(
            axis for item in doc.items(m, "search") if (axis := self.axis(item, kinds)) is not None
        )
        if partial_rank is None or fallback is None:
            return None
        return Alternatives(kinds=kinds, partial_rank=partial_rank, fallback=fallback, axes=axes)

    def kinds(self, m: Entries) -> dict[str, OfferKind]:
        """The offer kinds that could be read; a ``partly:`` naming no kind is reported."""
        doc = self.doc
        kinds: dict[str, OfferKind] = {}
        partly_nodes: dict[str, Node] = {}
        for name, (knode, value) in doc.entries(m, "kinds").items():
            if not _NAME.match(name):
                doc.problem("bad-id", f"offer kind '{name}' must be lowercase_words", knode)
                continue
            k = doc.mapping(
                value, f"offer kind '{name}'", required=("rank",), optional=("words", "partly")
            )
            if k is None or "rank" not in k:
                continue
            rank = doc.integer(k["rank"][1], f"{name} rank")
            words = doc.optional(k, "words", doc.text, "", f"{name} words")
            partly = doc.optional(k, "partly", doc.text, "", f"{name} partly")
            if rank is not None and words is not None and partly is not None:
                kinds[name] = OfferKind(name, rank, " ".join(words.split()), partly)
                if partly:
                    partly_nodes[name] = k["partly"][1]
        for name, kind in kinds.items():
            if kind.partly and kind.partly not in kinds:
                doc.problem(
                    "unknown-kind",
                    f"offer kind '{name}' becomes '{kind.partly}' when granted in part, "
                    "which is not an offer kind",
                    partly_nodes[name],
                    hint=suggest(kind.partly, kinds) or "declare it under kinds:",
                )
        return kinds

    def fallback(self, node: Node, kinds: Mapping[str, OfferKind]) -> Offer | None:
        doc = self.doc
        m = doc.mapping(node, "alternatives.fallback", required=("kind", "text"))
        if m is None or "kind" not in m or "text" not in m:
            return None
        kind = self.kind_name(m["kind"][1], kinds)
        text = self.pattern(m["text"][1], "fallback text", frozenset({"escalation_contact"}))
        if kind is None or text is None:
            return None
        return Offer(kind=kind, text=text, loc=doc.loc(node))

    def kind_name(self, node: Node, kinds: Mapping[str, OfferKind]) -> str | None:
        doc = self.doc
        name = doc.text(node, "offer kind")
        if name is not None and name not in kinds:
            doc.problem(
                "unknown-kind",
                f"'{name}' is not an offer kind",
                node,
                hint=suggest(name, kinds) or "declare it under alternatives.kinds",
            )
            return None
        return name

    def axis(self, node: Node, kinds: Mapping[str, OfferKind]) -> Axis | None:
        doc = self.doc
        axis_scope, chosen, request_kinds = self.axis_scope, self.chosen, self.request_kinds
        m = doc.mapping(
            node, "a search axis", required=("path", "values", "lead"), optional=_AXIS_KEYS
        )
        if m is None or not {"path", "values", "lead"} <= set(m):
            return None
        before = len(doc.problems)
        path = doc.text(m["path"][1], "search path")
        if path is not None and not chosen(path):
            doc.problem(
                "not-changeable",
                f"search path '{path}' is not something the customer chooses",
                m["path"][1],
                hint="list it under choices: in vocabulary.yaml, or search another path",
            )
        kind = self.kind_name(m["kind"][1], kinds) if "kind" in m else ""
        applies = [doc.text(n, "a request kind") for n in doc.items(m, "kinds")]
        for name, knode in zip(applies, doc.items(m, "kinds"), strict=True):
            if name is not None and request_kinds is not None and name not in request_kinds:
                doc.problem(
                    "unknown-kind",
                    f"'{name}' is not a request kind",
                    knode,
                    hint=suggest(name, request_kinds)
                    or f"request kinds: {one_of(sorted(request_kinds))}",
                )
        values: list[Any] = []
        generator = None
        field_type: Type | None = None
        raw_values = m["values"][1]
        if isinstance(raw_values, ScalarNode):
            generator = doc.expression(raw_values, "search values", axis_scope(None))
            if generator is not None and generator.type.name != "list":
                doc.problem("wrong-type", "search values must give a list", raw_values)
            elif generator is not None and generator.type.of is not None:
                field_type = generator.type.of
        else:
            for item in doc.sequence(raw_values, "search values", nonempty=True) or []:
                ok, raw = doc.plain(item, "a search value", decimals=True)
                if ok and path is not None:
                    checked = self.value_check(path, raw, item)
                    if checked is not None:
                        values.append(checked)
                        if "kind" not in m and (not isinstance(raw, str) or raw not in kinds):
                            doc.problem(
                                "unknown-kind",
                                f"'{raw}' is not an offer kind, so the axis needs a kind",
                                item,
                                hint="each value is offered as the kind of its own name; "
                                "give the axis one with kind: (an offer kind)",
                            )
        if field_type is None and path is not None and "[" not in path:
            typed = compile_expression(path, axis_scope(None), _quiet)
            field_type = typed.type if typed is not None else None
        # a lead names the value, or the fields of an object value ({ $start }, { $end })
        objects = axis_scope(None).objects
        fields = objects.get(field_type.object, {}) if field_type is not None else {}
        extra = frozenset({"value", *fields})
        lead = self.pattern(m["lead"][1], "search lead", extra)
        unasked = (
            self.pattern(m["lead_unasked"][1], "search lead_unasked", extra)
            if "lead_unasked" in m
            else None
        )
        when = (
            doc.expression(m["when"][1], "search when", axis_scope(None), t.BOOLEAN)
            if "when" in m
            else None
        )
        skip = (
            doc.expression(m["skip"][1], "search skip", axis_scope(field_type), t.BOOLEAN)
            if "skip" in m
            else None
        )
        clears = [doc.text(n, "a cleared path") for n in doc.items(m, "clears")]
        for cleared, cnode in zip(clears, doc.items(m, "clears"), strict=False):
            if cleared is not None and not chosen(cleared):
                doc.problem(
                    "not-changeable", f"'{cleared}' is not something the customer chooses", cnode
                )
        limit = doc.optional(m, "limit", doc.integer, 0)
        if len(doc.problems) != before or path is None or kind is None or lead is None:
            return None
        return Axis(
            path=path,
            kind=kind,
            lead=lead,
            lead_unasked=unasked,
            kinds=tuple(k for k in applies if k),
            values=tuple(values),
            generator=generator,
            when=when,
            skip=skip,
            clears=tuple(c for c in clears if c),
            limit=limit or 0,
            loc=doc.loc(node),
        )


def _quiet(code: str, message: str, line: int, col: int, hint: str = "") -> None:
    """Reports nothing: the path is checked (and reported) elsewhere."""
