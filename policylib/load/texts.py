"""Fluent texts in a pack: rule and offer texts in YAML, and shared messages in ``.ftl`` files.

A text is a Fluent pattern that may only use ``{ $fact_name }`` placeholders naming declared
facts; functions, terms, message references, selectors and literals are refused. A shared
message must have an id the renderer looks up. A Fluent syntax error inside a YAML scalar is
placed at its line and column in the YAML file where that can be worked out. Problems go to a
``Report`` callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Protocol

from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

from policylib.lang.nodes import Loc, Message
from policylib.load.problems import suggest, undeclared
from policylib.load.reader import spot_in
from policylib.load.strict_yaml import Node, ScalarNode

__all__ = ["Report", "read_messages", "read_pattern"]


class Report(Protocol):
    """Records one problem: code, what is wrong, where (a node or a location), how to fix
    it, and the rule it belongs to (None: the rule being read)."""

    def __call__(
        self,
        code: str,
        message: str,
        where: Loc | Node | None,
        hint: str = "",
        rule_id: str | None = None,
    ) -> None: ...


_PARSER = FluentParser(with_spans=True)  # keeps no state between parses
_SIMPLE_PLACEHOLDER = re.compile(r"\{[ \t]*\$([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*\}")
_MESSAGE_ID = re.compile(r"^\s*(-?[a-zA-Z][a-zA-Z0-9_-]*)\s*=")
_SELECT = re.compile(r"\{[^{}]*->")


def _simple_variables(source: str, lines: list[str]) -> list[str] | None:
    """Variable names of a pattern that is plain text plus ``{ $name }`` placeholders only;
    None when the Fluent parser must decide (other braces, special line starts)."""
    if "{" in source or "}" in source:
        rest = _SIMPLE_PLACEHOLDER.sub("", source)
        if "{" in rest or "}" in rest:
            return None
    for line in lines[1:]:
        if line.lstrip()[:1] in ("[", "*", "."):
            return None
    return _SIMPLE_PLACEHOLDER.findall(source)


def read_pattern(
    source: str,
    node: Node,
    loc: Loc,
    what: str,
    facts: Collection[str] | None,
    file_lines: Sequence[str],
    report: Report,
) -> Message | None:
    """The text ``source`` of the scalar ``node`` (at ``loc``, a line of ``file_lines``) as a
    message, or None (reported). Placeholders must name one of ``facts``; None skips that
    check (the facts could not be read, which is reported once elsewhere)."""
    lines = source.split("\n")

    def locate(needle: str) -> Loc:
        """Where ``needle`` (``$item_name``, ``-brand``) is written inside the text, else
        the text's own spot."""
        offset = source.find(needle) if needle else -1
        if offset < 0 or not isinstance(node, ScalarNode):
            return loc
        return spot_in(node, source, offset, loc.file, file_lines) or loc

    simple = _simple_variables(source, lines)
    if simple is not None:  # no need to run the Fluent parser on plain text
        variables = _known_variables(simple, locate, what, facts, report)
        return None if variables is None else Message(source, variables, loc)
    wrapped = "msg = " + "\n    ".join(lines) + "\n"
    body = _PARSER.parse(wrapped).body
    if len(body) != 1 or not isinstance(body[0], fl.Message) or body[0].value is None:
        detail = "it is not a single text"
        where = loc
        for entry in body:
            if isinstance(entry, fl.Junk) and entry.annotations:
                ann = entry.annotations[0]
                detail = str(ann.message)
                if _SELECT.search(source):  # { $n -> [one] ... } on one line
                    detail = "select expressions ({ $x -> ... }) are not allowed"
                if ann.span is not None and isinstance(node, ScalarNode):
                    at = _value_offset(lines, wrapped, ann.span.start)
                    spot = spot_in(node, "\n".join(lines), at, loc.file, file_lines)
                    where = spot or loc
                break
        report(
            "template-syntax",
            f"{what} is not a valid Fluent pattern: {detail}",
            where,
            hint="placeholders look like { $fact_name }; avoid other braces, and lines "
            "starting with [, * or .",
        )
        return None
    variables = _pattern_variables(body[0].value, locate, what, facts, report)
    if variables is None:
        return None
    return Message(source=source, variables=variables, loc=loc)


def _value_offset(lines: list[str], wrapped: str, offset: int) -> int:
    """The offset in the scalar's value of ``offset`` in the Fluent text ``wrapped`` built
    from the value's ``lines`` ("msg = " + lines joined by a 4-space indent)."""
    offset = min(offset, len(wrapped.rstrip()) - 1)
    row = wrapped.count("\n", 0, offset)
    col = offset - (wrapped.rfind("\n", 0, offset) + 1) - (6 if row == 0 else 4)
    col = max(0, min(col, len(lines[row]) if row < len(lines) else 0))
    return sum(len(line) + 1 for line in lines[:row]) + col


def _pattern_variables(
    pattern: fl.Pattern,
    locate: Callable[[str], Loc],
    what: str,
    facts: Collection[str] | None,
    report: Report,
) -> tuple[str, ...] | None:
    names: list[str] = []
    ok = True
    for element in pattern.elements:
        if isinstance(element, fl.TextElement):
            continue
        expr = element.expression if isinstance(element, fl.Placeable) else element
        refused, needle = "", ""
        if isinstance(expr, fl.VariableReference):
            names.append(str(expr.id.name))
            continue
        if isinstance(expr, fl.FunctionReference):
            refused = f"functions ({expr.id.name}()) are not allowed"
            needle = f"{expr.id.name}("
        elif isinstance(expr, fl.TermReference):
            refused = f"terms (-{expr.id.name}) are not allowed"
            needle = f"-{expr.id.name}"
        elif isinstance(expr, fl.MessageReference):
            refused = f"message references ({expr.id.name}) are not allowed"
            needle = str(expr.id.name)
        elif isinstance(expr, fl.SelectExpression):
            refused = "select expressions are not allowed"
            needle = "->"
        elif isinstance(expr, (fl.StringLiteral, fl.NumberLiteral)):
            refused = "literals inside { } are not allowed; write the text directly"
        else:
            refused = "only { $fact_name } placeholders are allowed"
        report(
            "template-not-allowed",
            f"{what}: {refused}",
            locate(needle),
            hint="texts may only use { $fact_name }; values are formatted before they "
            "reach the template",
        )
        ok = False
    known = _known_variables(names, locate, what, facts, report)
    return known if ok else None


def _known_variables(
    names: Iterable[str],
    locate: Callable[[str], Loc],
    what: str,
    facts: Collection[str] | None,
    report: Report,
) -> tuple[str, ...] | None:
    """The distinct names, in order, if each is a declared fact (else reported)."""
    out: list[str] = []
    ok = True
    for name in names:
        if facts is not None and name not in facts:
            report(
                "unknown-placeholder",
                f"{what} names {{ ${name} }}, which is not a declared fact",
                locate(f"${name}"),
                hint=undeclared(name, facts, f"declare {name} in facts.yaml"),
            )
            ok = False
        elif name not in out:
            out.append(name)
    return tuple(out) if ok else None


def read_messages(
    text: str,
    file: str,
    messages: dict[str, Message],
    message_locs: dict[str, Loc],
    facts: Collection[str] | None,
    report: Report,
    known: Mapping[str, tuple[str, ...]],
) -> None:
    """Adds the messages of the ``.ftl`` file ``file`` (its ``text``) to ``messages``;
    ``message_locs`` holds where each id was first defined, across files; ``known`` maps
    the ids the renderer looks up to the values (beside facts) each may name."""

    def at(offset: int) -> Loc:
        before = text[:offset]
        line = before.count("\n") + 1
        return Loc(file, line, offset - (before.rfind("\n") + 1) + 1)

    for entry in _PARSER.parse(text).body:
        start = entry.span.start if entry.span else 0
        if isinstance(entry, fl.Junk):
            offset, detail = start, "cannot parse this entry"
            if entry.annotations:
                ann = entry.annotations[0]
                detail = str(ann.message)
                offset = ann.span.start if ann.span else start
            # The parser reports a missing "}" where it gave up, often on the next
            # message's line: keep the spot inside the broken entry's own text.
            own = str(entry.content).rstrip()
            last = start + max(len(own) - 1, 0)
            offset = max(start, min(offset, last))
            named = _MESSAGE_ID.match(own)
            which = f" in message '{named.group(1)}'" if named else ""
            report(
                "template-syntax",
                f"Fluent syntax error{which}: {detail}",
                at(offset),
                hint="messages look like: id = Text with { $fact_name }",
            )
            continue
        if isinstance(entry, fl.Term):
            report(
                "template-not-allowed",
                f"terms (-{entry.id.name}) are not supported in pack messages",
                at(start),
                hint="write a message instead: id = text",
            )
            continue
        if not isinstance(entry, fl.Message):
            continue  # comments
        name = str(entry.id.name)
        loc = at(start)
        if name not in known:
            report(
                "unknown-key",
                f"message id '{name}' is not one policylib looks up",
                loc,
                hint=suggest(name, known) or "see the phrase ids in docs/rule-language.md",
            )
            continue
        if entry.attributes:
            report(
                "template-not-allowed",
                f"message '{name}' has attributes (.{entry.attributes[0].id.name}); "
                "they are not supported",
                loc,
                hint="make each attribute a message of its own",
            )
            continue
        if entry.value is None:  # pragma: no cover - the parser makes this Junk
            continue
        span = entry.value.span
        source = text[span.start : span.end] if span else ""
        allowed = None if facts is None else {*facts, *known[name]}
        value_start = span.start if span else start

        def locate(needle: str, _from: int = value_start, _source: str = source) -> Loc:
            found = _source.find(needle) if needle else -1
            return at(_from + found) if found >= 0 else at(_from)

        variables = _pattern_variables(entry.value, locate, f"message '{name}'", allowed, report)
        if name in message_locs:
            report(
                "duplicate-id",
                f"message '{name}' is defined twice (first at {message_locs[name]})",
                loc,
                hint="rename or remove one of them",
            )
            continue
        message_locs[name] = loc
        if variables is not None:
            messages[name] = Message(source=source, variables=variables, loc=loc)
