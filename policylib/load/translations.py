"""A pack in other languages: ``locales/<language>/*.ftl``, one Fluent catalog per locale.

The pack's YAML and ``*.ftl`` files are written in its default locale (``store.locale``).
Every other locale is a folder of Fluent files, ``locales/es/`` for Spanish, holding a
message for every customer-facing word of the pack, under ids the pack's own names give:

=========================  ====================================================
``rule-<id>``              the rule's text; ``.title``, ``.why``,
                           ``.offer-<kind>`` (``.offer-<kind>-2`` for a second one),
                           ``.contact`` (its own escalation contact)
``fact-<name>``            the fact's label; ``.question``
``section-<id>``           the section's title; ``.summary``, ``.contact``
``alternative-<kind>``     the offer kind's words
``unit-<name>``            ``.one`` and ``.other``: "session", "sessions"
``search-<path>``          ``.lead``, ``.lead-unasked`` (dots in the path as ``_``)
``value-<value>``          an enum value, as agents and the policy page read it
``example-<name>``         a worked example's name, as the policy page lists it
``store-default``          the text when no rule decides
``store-fallback``         the offer when a denial found nothing else
``store-escalation``       who takes a case the rules leave open
=========================  ====================================================

and the pack's own shared messages (``granted-return = ...``) under their usual ids. Texts
are Fluent patterns checked like the YAML's (declared facts only, selectors, ``NUMBER()``,
``DATETIME()``, terms); words (titles, labels, summaries, contacts) are plain text. A
message the pack has and a translation lacks is a load error, unless ``policy.yaml``
declares that locale falls back (``store.translations: {es: fallback}``), in which case the
default locale's words are used for it. ``policylib translate`` writes a catalog to start
from, every message in the default locale's words, and adds what a later change of the
pack makes missing.

The folder's name is a language (``es``), or a language and region (``es_MX``); a bare
language takes the store's region (``es`` in an ``en_US`` store is ``es_US``: US Spanish,
dollars, US dates).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import babel
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

from policylib.lang.nodes import Loc, Message, Pack, Translation
from policylib.lang.phrases import example_keys, phrase_ids
from policylib.load.problems import Problems, suggest
from policylib.load.texts import Terms, read_pattern

__all__ = [
    "Key",
    "extend_catalog",
    "locale_of",
    "read_translations",
    "translation_keys",
]

_PARSER = FluentParser(with_spans=True)
_FOLDER = re.compile(r"^([a-z]{2,3})(?:[_-]([A-Z]{2}|[0-9]{3}))?$")


@dataclass(frozen=True, slots=True)
class Key:
    """One translatable piece of a pack: its id, its words in the default locale (a text
    or plain words), the file it is written in, and the values beside facts it may name."""

    id: str
    default: Message | str
    file: str
    extra: frozenset[str] = frozenset()


def locale_of(folder: str, default_locale: str) -> str | None:
    """The locale a ``locales/<folder>`` holds (``es`` in an ``en_US`` store: ``es_US``);
    None when the name is not a language tag."""
    found = _FOLDER.match(folder.replace("-", "_"))
    if found is None:
        return None
    language, region = found.groups()
    if region is None:
        parts = default_locale.replace("-", "_").split("_")
        region = parts[1] if len(parts) > 1 else None
        if region is not None and not _known(f"{language}_{region}"):
            region = None  # CLDR has no such locale (de_US): the language alone
    return f"{language}_{region}" if region else language


def _known(locale: str) -> bool:
    try:
        babel.Locale.parse(locale)
    except (ValueError, babel.UnknownLocaleError):
        return False
    return True


def translation_keys(pack: Pack) -> dict[str, Key]:
    """Every piece of the pack a translation gives, by id, in the order a catalog lists
    them (area by area, rule by rule)."""
    out: dict[str, Key] = {}

    def add(
        key: str, default: Message | str | None, file: str, extra: frozenset[str] = frozenset()
    ) -> None:
        if default is None or (isinstance(default, str) and not default.strip()):
            return
        if isinstance(default, Message) and not default.source.strip():
            return
        out[key] = Key(key, default, file, extra)

    policy = "policy.yaml"
    add("store-default", pack.default_text, policy)
    fallback = pack.alternatives.fallback
    add(
        "store-fallback",
        fallback.text if fallback else None,
        policy,
        frozenset({"escalation_contact"}),
    )
    add("store-escalation", pack.escalation.contact, policy)
    for section in pack.sections.values():
        add(f"section-{section.id}", section.title, policy)
        add(f"section-{section.id}.summary", " ".join(section.summary.split()), policy)
        if section.escalation is not None:
            add(f"section-{section.id}.contact", section.escalation.contact, policy)
    for kind in pack.alternatives.kinds.values():
        add(f"alternative-{kind.name}", kind.words, policy)
    for unit, (one, other) in pack.units.items():  # the built-in ones unless reworded
        add(f"unit-{unit}.one", one, policy)
        add(f"unit-{unit}.other", other, policy)
    for axis in pack.alternatives.axes:
        name = f"search-{axis.path.replace('.', '_')}"
        extra = frozenset({"value", "start", "end"})
        add(f"{name}.lead", axis.lead, policy, extra)
        add(f"{name}.lead-unasked", axis.lead_unasked, policy, extra)
    values: dict[str, None] = {}
    for fact in pack.facts.values():
        if fact.type.name == "enum":
            values.update(dict.fromkeys(fact.type.values))
    for value in values:  # as agents and the policy page read an enum's values
        add(f"value-{value}", value.replace("_", " "), "vocabulary.yaml")
    for fact in pack.facts.values():
        add(f"fact-{fact.name}", " ".join(fact.label.split()), "facts.yaml")
        add(f"fact-{fact.name}.question", fact.question, "facts.yaml")
    for rule in pack.rules:
        file = rule.loc.file or "rules.yaml"
        add(f"rule-{rule.id}", rule.text, file)
        add(f"rule-{rule.id}.title", rule.title, file)
        add(f"rule-{rule.id}.why", rule.why, file)
        seen: dict[str, int] = {}
        for offer in rule.offers:
            seen[offer.kind] = seen.get(offer.kind, 0) + 1
            suffix = "" if seen[offer.kind] == 1 else f"-{seen[offer.kind]}"
            add(f"rule-{rule.id}.offer-{offer.kind}{suffix}", offer.text, file)
        if rule.escalation is not None:
            add(f"rule-{rule.id}.contact", rule.escalation.contact, file)

    for key, example in example_keys(pack).items():  # as the policy page lists them
        add(key, example.name, example.loc.file or "examples.yaml")
    for name, message in pack.messages.items():
        add(name, message, message.loc.file or "messages.ftl")
    return out


def read_translations(
    root: Path,
    pack: Pack,
    problems: Problems,
    fallbacks: Mapping[str, bool],
    types: Mapping[str, str] | None,
) -> dict[str, Translation]:
    """Every ``locales/<language>/`` folder of the pack at ``root``, read and checked
    against the pack; problems go to ``problems`` (files named ``locales/es/returns.ftl``)."""
    folder = root / "locales"
    if not folder.is_dir():
        for language in fallbacks:
            problems.report(
                "translation-missing",
                f"store.translations names '{language}', but the pack has no locales/ folder",
                None,
                hint=f"add locales/{language}/ with the pack's messages (policylib translate)",
            )
        return {}
    keys = translation_keys(pack)
    known = phrase_ids(pack.vocabulary.kinds)
    facts = frozenset(pack.facts)
    out: dict[str, Translation] = {}
    names = sorted(p.name for p in folder.iterdir() if p.is_dir())
    for language in fallbacks:
        if language not in names:
            problems.report(
                "translation-missing",
                f"store.translations names '{language}', but there is no locales/{language}/",
                None,
                hint=f"add locales/{language}/ (policylib translate --locale {language})",
            )
    for name in names:
        locale = locale_of(name, pack.store.locale)
        if locale is None:
            problems.report(
                "bad-locale",
                f"locales/{name}/ is not named after a language",
                Loc(f"locales/{name}/", 0, 0),
                hint="name the folder by its language, like es or es_MX",
            )
            continue
        reader = _Catalog(f"locales/{name}", problems, keys, known, facts, types)
        for file in sorted((folder / name).glob("*.ftl")):
            shown = f"locales/{name}/{file.name}"
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                problems.report("unreadable-file", f"cannot read {shown}: {error}", None)
                continue
            problems.add_file(shown, text)
            reader.read(shown, text)
        fallback = fallbacks.get(name, False)
        if not fallback:
            reader.report_untranslated()
        out[locale] = reader.translation(locale, fallback)
    return out


class _Catalog:
    """The messages of one locale's folder, checked as they are read."""

    def __init__(
        self,
        folder: str,
        problems: Problems,
        keys: Mapping[str, Key],
        known: Mapping[str, tuple[str, ...]],
        facts: frozenset[str],
        types: Mapping[str, str] | None,
    ) -> None:
        self.folder = folder
        self.problems = problems
        self.keys = keys
        self.known = known
        self.facts = facts
        self.types = types
        self.terms = Terms()
        self.texts: dict[Message, Message] = {}
        self.words: dict[str, str] = {}
        self.phrases: dict[str, Message] = {}
        self.given: dict[str, Loc] = {}

    def read(self, file: str, text: str) -> None:
        lines = text.split("\n")

        def at(offset: int) -> Loc:
            before = text[:offset]
            return Loc(file, before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)

        for entry in _PARSER.parse(text).body:
            start = entry.span.start if entry.span else 0
            if isinstance(entry, fl.Junk):
                detail = str(entry.annotations[0].message) if entry.annotations else "cannot parse"
                self.problems.report("template-syntax", f"Fluent syntax error: {detail}", at(start))
                continue
            if isinstance(entry, fl.Term):
                start = entry.id.span.start - 1 if entry.id.span else start
                if entry.value.span is not None:
                    source = text[entry.value.span.start : entry.value.span.end]
                    name = "-" + str(entry.id.name)
                    self.phrases[name] = Message(source, (), at(start))
                    self.terms.defined.setdefault(name, at(start))
                    self.given.setdefault(name, at(start))
                continue
            if not isinstance(entry, fl.Message):
                continue
            base = str(entry.id.name)
            start = entry.id.span.start if entry.id.span else start  # after its comment
            pieces: list[tuple[str, fl.Pattern | None, int]] = [(base, entry.value, start)]
            for attribute in entry.attributes:
                offset = attribute.span.start if attribute.span else start
                pieces.append((f"{base}.{attribute.id.name}", attribute.value, offset))
            for key, pattern, offset in pieces:
                if pattern is None or pattern.span is None:
                    continue
                source = text[pattern.span.start : pattern.span.end]
                source = "\n".join(line.strip() for line in source.split("\n"))
                self.piece(key, source, at(offset), lines)
        self.terms.check()

    def piece(self, key: str, source: str, loc: Loc, lines: list[str]) -> None:
        report = self._report
        if key in self.given:
            first = self.given[key]
            report(
                "duplicate-key",
                f"'{key}' is translated twice (first at {first.file}:{first.line})",
                loc,
                "keep one of them",
            )
            return
        self.given[key] = loc
        found = self.keys.get(key)
        is_phrase = key in self.known
        if found is None and not is_phrase:
            report(
                "unknown-key",
                f"'{key}' is not a message of this pack",
                loc,
                suggest(key, [*self.keys, *self.known]) or "see the ids policylib translate writes",
            )
            return
        if found is not None and isinstance(found.default, str):
            if "{" in source or "}" in source:
                report(
                    "translation-not-plain",
                    f"'{key}' is plain words in the pack, so its translation takes no {{ }}",
                    loc,
                    "write the words only",
                )
                return
            self.words[key] = " ".join(source.split())
            return
        extra = frozenset(self.known.get(key, ())) | (found.extra if found else frozenset())
        message = read_pattern(
            source,
            None,  # not a YAML scalar: the location is the catalog's line
            loc,
            f"'{key}'",
            self.facts | extra,
            lines,
            lambda code, text, where, hint="", rule_id=None: report(code, text, where, hint),
            types=self.types,
            terms=self.terms,
        )
        if message is None:
            return
        if found is not None and isinstance(found.default, Message):
            self.texts[found.default] = message
        if is_phrase:
            self.phrases[key] = message

    def report_untranslated(self) -> None:
        missing = [key for key in self.keys if key not in self.given]
        for key in missing[:50]:
            found = self.keys[key]
            default = found.default.source if isinstance(found.default, Message) else found.default
            shown = " ".join(default.split())
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            self._report(
                "translation-missing",
                f"{self.folder}/ has no '{key}' (from {found.file}: {shown!r})",
                Loc(f"{self.folder}/", 0, 0),
                "translate it, or declare store.translations: {<language>: fallback}",
            )
        if len(missing) > 50:
            self._report(
                "translation-missing",
                f"... and {len(missing) - 50} more messages missing from {self.folder}/",
                Loc(f"{self.folder}/", 0, 0),
                "run policylib translate to write every id",
            )

    def translation(self, locale: str, fallback: bool) -> Translation:
        return Translation(locale, self.texts, self.words, self.phrases, fallback)

    def _report(self, code: str, message: str, where: Loc | None, hint: str = "") -> None:
        self.problems.report(code, message, where, hint=hint)


def extend_catalog(pack: Pack, folder: Path, language: str) -> tuple[dict[str, str], int]:
    """What ``policylib translate`` writes: file name -> the folder's Fluent text, with every
    message of the pack the folder lacks added in the default locale's words, to translate
    in place, and how many pieces were added. What the folder has (translations, comments,
    layout) is kept as it is: a missing attribute goes at the end of its message, a missing
    message at the end of the file named after the pack file it comes from."""
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.ftl"))}
    have: dict[str, tuple[str, int]] = {}  # piece -> (file, end of its message)
    for name, text in texts.items():
        for entry in _PARSER.parse(text).body:
            if not isinstance(entry, fl.Message | fl.Term) or entry.span is None:
                continue
            base = ("-" if isinstance(entry, fl.Term) else "") + str(entry.id.name)
            end = len(text[: entry.span.end].rstrip())
            for piece in (base, *(f"{base}.{a.id.name}" for a in entry.attributes)):
                have[piece] = (name, end)
    inserts: dict[str, list[tuple[int, str]]] = {}
    appended: dict[str, dict[str, list[str]]] = {}
    added = 0
    for key in translation_keys(pack).values():
        if key.id in have:
            continue
        added += 1
        source = key.default.source if isinstance(key.default, Message) else key.default
        base, _, attribute = key.id.partition(".")
        if attribute and base in have:  # the message is there: add the attribute to it
            name, end = have[base]
            inserts.setdefault(name, []).append((end, f"\n    .{attribute} ={_indented(source)}"))
            continue
        name = Path(key.file).stem + ".ftl"
        parts = appended.setdefault(name, {}).setdefault(base, [])
        parts.append(f".{attribute} ={_indented(source)}" if attribute else f"={_indented(source)}")
    for name, found in inserts.items():
        text = texts[name]
        # the last place first, so the earlier offsets hold; at one place, the last piece
        # first, so they read in the pack's order
        ordered = sorted(enumerate(found), key=lambda item: (-item[1][0], -item[0]))
        for _, (end, piece) in ordered:
            text = text[:end] + piece + text[end:]
        texts[name] = text
    for name, messages in appended.items():
        lines = (
            [texts[name].rstrip("\n"), ""]
            if name in texts
            else [
                f"# {language}: the words of {Path(name).stem}, to translate",
                "",
            ]
        )
        for base, parts in messages.items():
            value = next((part[1:] for part in parts if part.startswith("=")), "")
            attributes = [f"    {part}" for part in parts if not part.startswith("=")]
            lines += [f"{base} ={value}", *attributes, ""]
        texts[name] = "\n".join(lines)
    return texts, added


def _indented(source: str) -> str:
    """A pattern as an entry's value: on the same line when it is one line, else on the
    lines below, indented (continuation lines of a selector keep their own layout)."""
    lines = source.split("\n")
    if len(lines) == 1:
        return f" {lines[0]}"
    return "".join(f"\n        {line}" for line in lines)
