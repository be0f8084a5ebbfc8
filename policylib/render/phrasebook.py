"""The words replies are made of: Fluent patterns compiled once, and the phrasebook.

* Fluent compilation, shared by the phrasebook and the pack's texts (``render.texts``):
  every pattern is compiled once, and the simple ones (text and ``{ $x }`` only) are
  filled by a join.
* ``Shown``: a value as people read it that remembers the value itself, so that a
  selector picks a variant by the value (a number by its plural category in the locale)
  and ``NUMBER()`` / ``DATETIME()`` format the value with Fluent's options, while a plain
  ``{ $x }`` shows the renderer's words ("45 days", "$49.99").
* ``Phrasebook``: the connecting words of one pack in one locale, the library's defaults
  (``render/locales/<language>/*.ftl``) under the pack's own ``*.ftl`` messages, compiled
  once when the policy is built.

Imports no model, no engine and no view.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel import Locale
from fluent.runtime import FluentBundle, FluentResource, resolver
from fluent.runtime.types import (
    FluentDate,
    FluentDateTime,
    FluentFloat,
    FluentInt,
    fluent_date,
    fluent_number,
)
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

__all__ = [
    "MAX_TEXT",
    "MAX_VALUE",
    "UNKNOWN",
    "Compiled",
    "Phrasebook",
    "Shown",
    "cap",
    "compile_all",
    "fill_compiled",
    "library_phrases",
    "new_bundle",
    "tidy",
]

MAX_TEXT = 600
"""A filled text longer than this is cut at a word boundary and ends with an ellipsis."""

UNKNOWN = "\u2026"
"""What a placeholder shows when its fact is unknown and no catalog says how (the
catalogs' ``value-unknown`` is what readers see: "not known", "no se sabe")."""

MAX_VALUE = 600  # fluent refuses placeables over 2,500 characters; values never get close

# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True, slots=True)
class Compiled:
    """One compiled pattern: literal/variable parts for the fast path, else the pattern."""

    parts: tuple[tuple[bool, str], ...] | None
    """(is_variable, text-or-name) when the pattern is only text and ``{ $x }``."""
    pattern: Any
    variables: tuple[str, ...]


class Shown(str):
    """A value as people read it (the string), remembering the value it was made from.

    A plain ``{ $x }`` shows the string. A selector (``{ $x -> [one] ... *[other] ... }``)
    chooses by the value: a number by its CLDR plural category in the pack's locale (or an
    exact ``[0]`` key), an enum by one of its values (``[value]``), a yes/no fact by
    ``[true]`` / ``[false]``. ``NUMBER($x)`` and ``DATETIME($x)`` format the value itself,
    with Fluent's options. Only the renderer makes these; what a customer typed stays a
    plain string.
    """

    value: object

    def __new__(cls, text: str, value: object) -> Shown:
        shown = super().__new__(cls, text)
        shown.value = value
        return shown

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shown, (str(self), self.value))


class _Selectable(str):
    """A shown string that a selector also matches by the value's own key."""

    key: str

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other) is True or (isinstance(other, str) and other == self.key)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


class _ShownInt(FluentInt):
    text: str

    def format(self, locale: Locale) -> str:
        return self.text


class _ShownFloat(FluentFloat):
    text: str

    def format(self, locale: Locale) -> str:
        return self.text


class _ShownDate(FluentDate):
    text: str

    def format(self, locale: Locale) -> str:
        return self.text


class _ShownDateTime(FluentDateTime):
    text: str

    def format(self, locale: Locale) -> str:
        return self.text


def _fluent_arg(value: str) -> Any:
    """What Fluent gets for one argument: a number or date that shows the renderer's words
    but selects and formats by its value, a string that selects by an enum's value, or
    the string itself."""
    if not isinstance(value, Shown):
        return value
    raw = value.value
    text = str(value)
    shown: Any
    if isinstance(raw, bool):
        selectable = _Selectable(text)
        selectable.key = "true" if raw else "false"
        return selectable
    if isinstance(raw, int) or (isinstance(raw, Decimal) and raw == raw.to_integral_value()):
        shown = _ShownInt(int(raw))
    elif isinstance(raw, Decimal | float):
        # a float only to find the plural category; the words shown are the renderer's
        shown = _ShownFloat(float(raw))
    elif isinstance(raw, datetime):
        shown = _ShownDateTime.from_date_time(raw)
    elif isinstance(raw, date):
        shown = _ShownDate.from_date(raw)
    elif isinstance(raw, str):
        selectable = _Selectable(text)
        selectable.key = raw
        return selectable
    else:
        return text
    shown.text = text
    return shown


def _number(value: Any, **options: Any) -> Any:
    """Fluent's ``NUMBER()`` on the value itself, not on the renderer's words."""
    if isinstance(value, _ShownInt):
        return fluent_number(int(value), **options)
    if isinstance(value, _ShownFloat):
        return fluent_number(Decimal(str(float(value))), **options)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return fluent_number(value, **options)
    return value if isinstance(value, str) else UNKNOWN  # fill_compiled passes words


def _datetime(value: Any, **options: Any) -> Any:
    """Fluent's ``DATETIME()`` on the date itself, not on the renderer's words."""
    if isinstance(value, datetime):
        plain: date = datetime.combine(value.date(), value.timetz())
        return fluent_date(plain, **options)
    if isinstance(value, date):
        return fluent_date(date(value.year, value.month, value.day), **options)
    return value if isinstance(value, str) else UNKNOWN


FUNCTIONS: Mapping[str, Any] = {"NUMBER": _number, "DATETIME": _datetime}
"""The Fluent functions a pack's texts may call."""


def new_bundle(locale: str) -> FluentBundle:
    return FluentBundle([locale.replace("_", "-")], functions=dict(FUNCTIONS), use_isolating=False)


def _ftl_entry(message_id: str, source: str) -> str:
    """``id = source`` with continuation lines indented, the way the loader checks texts."""
    return f"{message_id} = " + "\n    ".join(source.split("\n")) + "\n"


def _variables(node: Any, out: dict[str, None]) -> None:
    if isinstance(node, fl.VariableReference):
        out[str(node.id.name)] = None
        return
    if isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            if isinstance(value, list):
                for item in value:
                    _variables(item, out)
            else:
                _variables(value, out)


def _literal(node: Any) -> str | None:
    if isinstance(node, resolver.TextElement):
        return str(node.value)
    if isinstance(node, resolver.StringLiteral):  # ``{ "x" }`` compiles to a bare literal
        return str(node.parse()["value"])
    return None


def _simple_parts(compiled: Any) -> tuple[tuple[bool, str], ...] | None:
    """Text-and-``{ $x }`` patterns as parts, read straight off fluent.runtime's compiled tree.

    Filling these is a join (no resolver environment per call); anything richer keeps the
    compiled pattern and goes through ``FluentBundle.format_pattern``.
    """
    text = _literal(compiled)
    if text is not None:  # the compiler folds plain text into one literal
        return ((False, text),)
    if isinstance(compiled, resolver.NeverIsolatingPlaceable):  # the compiler's lone { }
        if isinstance(compiled.expression, resolver.VariableReference):
            return ((True, str(compiled.expression.id.name)),)
        return None
    if not isinstance(compiled, resolver.Pattern):
        return None
    parts: list[tuple[bool, str]] = []
    for element in compiled.elements:
        text = _literal(element)
        if text is not None:
            parts.append((False, text))
        elif isinstance(element, resolver.Placeable) and isinstance(
            element.expression, resolver.VariableReference
        ):
            parts.append((True, str(element.expression.id.name)))
        else:
            return None
    return tuple(parts)


_SIMPLE = re.compile(r"[^{}]*(?:\{\s*\$[A-Za-z][A-Za-z0-9_-]*\s*\}[^{}]*)*\Z")
_VARIABLE = re.compile(r"\{\s*\$([A-Za-z][A-Za-z0-9_-]*)\s*\}")


def _split_simple(source: str) -> Compiled | None:
    """A pattern of plain text and ``{ $x }`` placeables, split without Fluent.

    Equivalent to compiling it: the filled text is whitespace-collapsed either way, and
    the loader has already checked that such a pattern is valid Fluent.
    """
    if not _SIMPLE.match(source):
        return None
    parts: list[tuple[bool, str]] = []
    names: dict[str, None] = {}
    position = 0
    for match in _VARIABLE.finditer(source):
        if match.start() > position:
            parts.append((False, source[position : match.start()]))
        parts.append((True, match.group(1)))
        names[match.group(1)] = None
        position = match.end()
    if position < len(source):
        parts.append((False, source[position:]))
    return Compiled(tuple(parts), None, tuple(names))


def compile_all(bundle: FluentBundle, entries: Mapping[str, str]) -> dict[str, Compiled]:
    """Parse and compile each entry on its own (one bad text cannot hide the next one).

    Every pattern is compiled here, once: afterwards the bundle is only read, so formatting
    from many threads at once is safe (fluent.runtime compiles lazily on first lookup and
    keeps all per-call state in a fresh ``ResolverEnvironment``).
    """
    out: dict[str, Compiled] = {}
    for message_id, source in entries.items():
        if message_id.startswith("-"):  # a term: only referenced by the other patterns
            bundle.add_resource(FluentResource(_ftl_entry(message_id, source)))
            continue
        if not source.strip():
            out[message_id] = Compiled((), None, ())
            continue
        simple = _split_simple(source)
        if simple is not None:  # text and { $x } only: no Fluent parse needed (fast loads)
            out[message_id] = simple
            continue
        resource = FluentResource(_ftl_entry(message_id, source))
        body = [e for e in resource.body if isinstance(e, fl.Message | fl.Junk)]
        if len(body) != 1 or not isinstance(body[0], fl.Message) or body[0].value is None:
            # Not valid Fluent (the loader refuses these; a hand-built pack might not):
            # show the words, never the braces.
            words = re.sub(r"\{[^{}]*\}", UNKNOWN, source)
            out[message_id] = Compiled(
                ((False, words.replace("{", "").replace("}", "")),), None, ()
            )
            continue
        bundle.add_resource(resource, allow_overrides=True)
        names: dict[str, None] = {}
        _variables(body[0].value, names)
        pattern = bundle.get_message(message_id).value
        out[message_id] = Compiled(_simple_parts(pattern), pattern, tuple(names))
    return out


def fill_compiled(
    bundle: FluentBundle, compiled: Compiled, args: Mapping[str, str], unknown: str = UNKNOWN
) -> str:
    """A compiled pattern filled with finished strings, whitespace collapsed and capped;
    a selector or function reads the value a ``Shown`` string remembers; a value that is
    missing reads ``unknown``."""
    if compiled.parts is not None:
        pieces: list[str] = []
        for is_var, name in compiled.parts:
            if is_var:
                value = args.get(name)
                name = _value(value, unknown) if not value or len(value) > MAX_VALUE else value
            pieces.append(name)
        text = "".join(pieces)
    else:
        fluent_args = {
            name: _fluent_arg(_value(args.get(name), unknown)) for name in compiled.variables
        }
        result = _format(bundle, compiled.pattern, fluent_args)
        text = result if isinstance(result, str) else ""  # a FluentNone or a number
    return tidy(text)


def _format(bundle: FluentBundle, pattern: Any, args: dict[str, Any]) -> Any:
    """``FluentBundle.format_pattern`` without its conversion of arguments, which would
    turn a shown number or date back into a bare one and lose the renderer's words."""
    env = resolver.ResolverEnvironment(
        context=bundle, current=resolver.CurrentEnvironment(args=args), errors=[]
    )
    try:
        return pattern(env)
    except ValueError:  # fluent's limit on parts; the loader keeps texts far below it
        return ""


def _value(value: str | None, unknown: str) -> str:
    if value is None or value == "":
        return unknown
    if len(value) > MAX_VALUE:
        return cap(value, MAX_VALUE)
    return value


_SPACES = re.compile(r"[ \t\n\r\f\v]+")
"""Runs of the whitespace a YAML or Fluent source lays out (not the no-break spaces Babel
puts inside "14,95\u00a0€" or "15\u202f%", which keep a value on one line)."""


_DOUBLE_STOP = re.compile(r"(?<=\.)\.(?!\.)(?<!\.\.\.)")
"""A full stop right after a value that ends in one ("4 p.m." + "."): said once."""


def tidy(text: str, limit: int = MAX_TEXT) -> str:
    text = _SPACES.sub(" ", text).strip()
    if ".." in text:
        text = _DOUBLE_STOP.sub("", text)
    return cap(text, limit)


def cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


# --------------------------------------------------------------------------- phrasebooks


@functools.cache
def library_phrases(language: str) -> dict[str, str]:
    """policylib's own words for a language (id -> Fluent source): every ``.ftl`` file in
    ``render/locales/<language>/``, over the English ones, so a language policylib has
    only some words in reads English for the rest (a pack's messages go on top)."""
    folder = importlib.resources.files("policylib.render") / "locales"
    out: dict[str, str] = {}
    for name in dict.fromkeys(("en", language)):
        found = folder / name
        if not found.is_dir():
            continue
        for entry in sorted(found.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".ftl"):
                out.update(_phrase_sources(entry.read_text(encoding="utf-8")))
        if name == "en" and language != "en":
            out.pop("clock-style", None)  # a house style is one language's: CLDR elsewhere
    return out


def _phrase_sources(ftl: str) -> dict[str, str]:
    """Message id -> pattern source, read the way the loader reads a pack's ``*.ftl``."""
    out: dict[str, str] = {}
    for entry in FluentParser().parse(ftl).body:
        if isinstance(entry, fl.Message) and entry.value is not None and entry.value.span:
            out[str(entry.id.name)] = ftl[entry.value.span.start : entry.value.span.end]
    return out


class Phrasebook:
    """The connecting words of one pack in one locale, compiled once and then only read.

    Args:
        overrides: the pack's messages (id -> Fluent source), over the library's own.
        locale: the locale to write in (``en_US``).
    """

    def __init__(self, overrides: Mapping[str, str], locale: str) -> None:
        language = locale.replace("-", "_").split("_")[0]
        sources = {**library_phrases(language), **overrides}
        self._bundle = new_bundle(locale)
        self._compiled = compile_all(self._bundle, sources)
        # Phrases without variables are the same every time: fill them once.
        self._fixed = {
            message_id: fill_compiled(self._bundle, compiled, {})
            for message_id, compiled in self._compiled.items()
            if not compiled.variables
        }
        self.unknown = self._fixed.get("value-unknown", UNKNOWN)
        """What a value nobody told reads as, in this locale ("not known")."""

    def get(self, message_id: str, args: Mapping[str, str] | None = None) -> str:
        """The phrase filled with ``args``; "" when there is no such phrase."""
        fixed = self._fixed.get(message_id)
        if fixed is not None:
            return fixed
        compiled = self._compiled.get(message_id)
        if compiled is None:
            return ""
        return fill_compiled(self._bundle, compiled, args or {}, self.unknown)

    def first(self, ids: Iterable[str], args: Mapping[str, str] | None = None) -> str:
        """The first of ``ids`` that is a phrase, filled; "" when none is."""
        for message_id in ids:
            if message_id in self._compiled:
                return self.get(message_id, args)
        return ""
