"""Fluent texts in a pack: rule and offer texts in YAML, and shared messages in ``.ftl`` files.

A text is a Fluent pattern: ``{ $fact_name }`` placeholders naming declared facts,
selectors on them (``{ $fact -> [one] ... *[other] ... }``, which Fluent requires to have a
default variant), ``NUMBER($fact)`` on a number fact, ``DATETIME($fact)`` on a date fact, and
terms (``{ -brand }``) defined in the pack's ``.ftl`` files; other functions, message
references and literals are refused. A shared message must have an id the renderer looks
up. A Fluent syntax error inside a YAML scalar is placed at its line and column in the YAML
file where that can be worked out. Problems go to a ``Report`` callback.
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

__all__ = [
    "DATE_TYPES",
    "FUNCTION_OPTIONS",
    "NUMBER_TYPES",
    "PLURAL_CATEGORIES",
    "Report",
    "Terms",
    "read_messages",
    "read_pattern",
]


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
_SELECTOR_HINT = (
    "a selector is { $fact_name -> then each variant on a line of its own ([one] ..., "
    "*[other] ...), then }; a YAML text keeps those lines in a |- block"
)


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
    node: Node | None,
    loc: Loc,
    what: str,
    facts: Collection[str] | None,
    file_lines: Sequence[str],
    report: Report,
    *,
    types: Mapping[str, str] | None = None,
    terms: Terms | None = None,
) -> Message | None:
    """The text ``source`` of the scalar ``node`` (at ``loc``, a line of ``file_lines``) as a
    message, or None (reported). Placeholders must name one of ``facts``; None skips that
    check (the facts could not be read, which is reported once elsewhere). ``types`` maps
    each fact to its declared type (for ``NUMBER()``, ``DATETIME()`` and plural keys);
    ``terms`` collects the terms named, checked once the ``.ftl`` files are read."""
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
                if ann.code == "E0010":
                    detail = "a selector needs a default variant, marked with * (*[other] ...)"
                elif _SELECT.search(source):  # { $n -> [one] ... } on one line
                    detail = "each variant of a selector goes on a line of its own"
                if ann.span is not None and isinstance(node, ScalarNode):
                    at = _value_offset(lines, wrapped, ann.span.start)
                    spot = spot_in(node, "\n".join(lines), at, loc.file, file_lines)
                    where = spot or loc
                break
        report(
            "template-syntax",
            f"{what} is not a valid Fluent pattern: {detail}",
            where,
            hint=_SELECTOR_HINT
            if "->" in source
            else "placeholders look like { $fact_name }; avoid other braces, and lines "
            "starting with [, * or .",
        )
        return None

    def at_span(offset: int) -> Loc:
        if not isinstance(node, ScalarNode):
            return loc
        at = _value_offset(lines, wrapped, offset)
        return spot_in(node, "\n".join(lines), at, loc.file, file_lines) or loc

    variables = _pattern_variables(
        body[0].value, locate, what, facts, report, types, terms, at_span
    )
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


NUMBER_TYPES = frozenset({"integer", "decimal", "money"})
"""The fact types ``NUMBER()`` formats and plural selectors choose on."""
DATE_TYPES = frozenset({"date", "datetime"})
"""The fact types ``DATETIME()`` formats."""
FUNCTION_OPTIONS: Mapping[str, frozenset[str]] = {
    "NUMBER": frozenset(
        {
            "useGrouping",
            "minimumIntegerDigits",
            "minimumFractionDigits",
            "maximumFractionDigits",
            "minimumSignificantDigits",
            "maximumSignificantDigits",
        }
    ),
    # fluent.runtime formats dates by dateStyle and timeStyle only; it ignores the rest
    "DATETIME": frozenset({"dateStyle", "timeStyle"}),
}
"""The functions a text may call, and the options each takes."""
_FUNCTION_TYPES = {"NUMBER": (NUMBER_TYPES, "a number"), "DATETIME": (DATE_TYPES, "a date")}
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""The CLDR plural categories a selector on a number may name (or an exact number)."""
_HINT = (
    "texts use { $fact_name }, selectors { $fact -> [one] ... *[other] ... }, "
    "NUMBER($fact), DATETIME($fact) and terms { -name }"
)


def _either(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class Terms:
    """The terms (``-brand = ...``) a pack's ``.ftl`` files define, and the references to
    them, which may come from texts read before those files; ``check`` reports each
    reference to a term that is never defined."""

    def __init__(self) -> None:
        self.defined: dict[str, Loc] = {}
        self._used: list[tuple[str, Loc, str, Report]] = []

    def use(self, name: str, loc: Loc, what: str, report: Report) -> None:
        self._used.append((name, loc, what, report))

    def check(self) -> None:
        for name, loc, what, report in self._used:
            if name not in self.defined:
                report(
                    "unknown-term",
                    f"{what} names the term -{name}, which no .ftl file of the pack defines",
                    loc,
                    hint=suggest(name, self.defined)
                    or f"define it in one of the pack's .ftl files: -{name} = ...",
                )


class _Walk:
    """Checks one pattern, collecting the variables it names, in order."""

    def __init__(
        self,
        locate: Callable[[str], Loc],
        what: str,
        facts: Collection[str] | None,
        types: Mapping[str, str] | None,
        terms: Terms | None,
        report: Report,
    ) -> None:
        self.locate = locate
        self.what = what
        self.facts = facts
        self.types = types
        self.terms = terms
        self.report = report
        self.names: list[str] = []
        self.ok = True
        self.at_span: Callable[[int], Loc] | None = None
        """Where an offset of the parsed text is, to place a problem at its own node."""

    def where(self, needle: str, node: object = None) -> Loc:
        """Where ``node`` starts when its place in the text is known, else ``needle``."""
        span = getattr(node, "span", None)
        if span is not None and self.at_span is not None:
            return self.at_span(span.start)
        return self.locate(needle)

    def refuse(self, message: str, needle: str, hint: str = _HINT, node: object = None) -> None:
        self.report(
            "template-not-allowed", f"{self.what}: {message}", self.where(needle, node), hint
        )
        self.ok = False

    def pattern(self, pattern: fl.Pattern) -> None:
        for element in pattern.elements:
            if isinstance(element, fl.Placeable):
                self.expression(element.expression)

    def expression(self, expr: object) -> None:
        if isinstance(expr, fl.VariableReference):
            self.names.append(str(expr.id.name))
        elif isinstance(expr, fl.FunctionReference):
            self.function(expr)
        elif isinstance(expr, fl.TermReference):
            self.term(expr)
        elif isinstance(expr, fl.SelectExpression):
            self.select(expr)
        elif isinstance(expr, fl.MessageReference):
            self.refuse(
                f"message references ({expr.id.name}) are not allowed",
                str(expr.id.name),
                node=expr,
            )
        elif isinstance(expr, fl.StringLiteral | fl.NumberLiteral):
            self.refuse("literals inside { } are not allowed; write the text directly", "")
        else:
            self.refuse(
                "only placeholders, selectors, NUMBER(), DATETIME() and terms are allowed", ""
            )

    def function(self, expr: fl.FunctionReference) -> str | None:
        """Checks a call; the type of the fact it formats, when that is known."""
        name = str(expr.id.name)
        if name not in FUNCTION_OPTIONS:
            self.refuse(
                f"unknown function {name}()",
                f"{name}(",
                hint="the functions allowed are NUMBER() and DATETIME()",
                node=expr,
            )
            return None
        args = expr.arguments
        if len(args.positional) != 1 or not isinstance(args.positional[0], fl.VariableReference):
            self.refuse(
                f"{name}() takes one fact", f"{name}(", hint=f"write {name}($fact_name)", node=expr
            )
            return None
        for option in args.named:
            if str(option.name.name) not in FUNCTION_OPTIONS[name]:
                allowed = ", ".join(sorted(FUNCTION_OPTIONS[name]))
                self.refuse(
                    f"{name}() has no option '{option.name.name}'",
                    str(option.name.name),
                    hint=suggest(str(option.name.name), FUNCTION_OPTIONS[name])
                    or f"its options are {allowed}",
                    node=option,
                )
        argument = args.positional[0]
        fact = str(argument.id.name)
        self.names.append(fact)
        kinds, noun = _FUNCTION_TYPES[name]
        if self.types is None or self.facts is None or fact not in self.facts:
            return None  # unknown names are reported once, by _known_variables
        kind = self.types.get(fact)
        if kind is None:  # a phrase's own value: already words, not a number or a date
            self.refuse(
                f"{name}() needs {noun} fact, and ${fact} is words the renderer fills in",
                f"${fact}",
                hint=f"write {{ ${fact} }} without {name}()",
                node=argument,
            )
        elif kind not in kinds:
            self.refuse(
                f"{name}() needs {noun} fact, and ${fact} is a {kind or 'untyped'} fact",
                f"${fact}",
                hint=f"write {{ ${fact} }}, or use {name}() on a fact of type "
                + _either(sorted(kinds)),
                node=argument,
            )
        return kind

    def term(self, expr: fl.TermReference) -> None:
        name = str(expr.id.name)
        if expr.attribute is not None or expr.arguments is not None:
            self.refuse(
                f"a term is used as {{ -{name} }}, without attributes or arguments",
                f"-{name}",
                node=expr,
            )
            return
        if self.terms is not None:
            self.terms.use(name, self.where(f"-{name}", expr), self.what, self.report)

    def select(self, expr: fl.SelectExpression) -> None:
        selector = expr.selector
        kind: str | None = None
        if isinstance(selector, fl.VariableReference):
            fact = str(selector.id.name)
            self.names.append(fact)
            kind = self.types.get(fact) if self.types is not None else None
        elif isinstance(selector, fl.FunctionReference):
            kind = self.function(selector)
        else:
            self.refuse(
                "a selector chooses by a fact: { $fact_name -> [one] ... *[other] ... }",
                "->",
                node=selector,
            )
        for variant in expr.variants:
            key = variant.key
            if (
                kind in NUMBER_TYPES
                and isinstance(key, fl.Identifier)
                and str(key.name) not in PLURAL_CATEGORIES
            ):
                self.refuse(
                    f"[{key.name}] never matches a number",
                    f"[{key.name}]",
                    hint="a selector on a number chooses by plural category ("
                    + ", ".join(PLURAL_CATEGORIES)
                    + ") or an exact number like [0]",
                    node=variant,
                )
            self.pattern(variant.value)


def _pattern_variables(
    pattern: fl.Pattern,
    locate: Callable[[str], Loc],
    what: str,
    facts: Collection[str] | None,
    report: Report,
    types: Mapping[str, str] | None = None,
    terms: Terms | None = None,
    at_span: Callable[[int], Loc] | None = None,
) -> tuple[str, ...] | None:
    walk = _Walk(locate, what, facts, types, terms, report)
    walk.at_span = at_span
    walk.pattern(pattern)
    known = _known_variables(walk.names, locate, what, facts, report)
    return known if walk.ok else None


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
    *,
    types: Mapping[str, str] | None = None,
    terms: Terms | None = None,
) -> None:
    """Adds the messages of the ``.ftl`` file ``file`` (its ``text``) to ``messages``;
    ``message_locs`` holds where each id was first defined, across files; ``known`` maps
    the ids the renderer looks up to the values (beside facts) each may name. A term
    (``-brand = ...``) goes into ``messages`` as ``-brand`` and into ``terms``."""

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
                if ann.code == "E0010":
                    detail = "a selector needs a default variant, marked with * (*[other] ...)"
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
                hint="messages look like: id = Text with { $fact_name }; a selector is "
                "{ $fact -> then each variant on a line of its own ([one] ..., *[other] ...), "
                "then }",
            )
            continue
        if not isinstance(entry, fl.Message | fl.Term):
            continue  # comments
        is_term = isinstance(entry, fl.Term)
        name = ("-" if is_term else "") + str(entry.id.name)
        loc = at(start)
        if not is_term and name not in known:
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
                f"{'term' if is_term else 'message'} '{name}' has attributes "
                f"(.{entry.attributes[0].id.name}); they are not supported",
                loc,
                hint=f"make each attribute a {'term' if is_term else 'message'} of its own",
            )
            continue
        if entry.value is None:  # pragma: no cover - the parser makes this Junk
            continue
        span = entry.value.span
        source = text[span.start : span.end] if span else ""
        allowed = None if facts is None or is_term else {*facts, *known[name]}
        value_start = span.start if span else start

        def locate(needle: str, _from: int = value_start, _source: str = source) -> Loc:
            found = _source.find(needle) if needle else -1
            return at(_from + found) if found >= 0 else at(_from)

        what = f"term '{name}'" if is_term else f"message '{name}'"
        variables = _pattern_variables(entry.value, locate, what, allowed, report, types, terms, at)
        if is_term and variables:  # Fluent gives a term none of the message's values
            report(
                "template-not-allowed",
                f"{what} names {{ ${variables[0]} }}, but a term holds fixed words",
                locate(f"${variables[0]}"),
                hint="put the fact in the message or text that uses the term",
            )
            variables = None
        if name in message_locs:
            report(
                "duplicate-id",
                f"{what} is defined twice (first at {message_locs[name]})",
                loc,
                hint="rename or remove one of them",
            )
            continue
        message_locs[name] = loc
        if is_term and terms is not None:
            terms.defined[name[1:]] = loc
        if variables is not None:
            messages[name] = Message(source=source, variables=variables, loc=loc)
