"""Loading a pack: every file read, every stage checked, every problem reported together.

The stages follow what each part needs: the store and settings (``policy.yaml``), the
request vocabulary (``vocabulary.yaml``, from which the request model is built), the facts
(``facts.yaml``, expressions over the vocabulary and settings), then what names facts (the
default text, the alternatives and their search), then the areas' rules and examples,
then the shared Fluent messages, and last the checks across files (examples name real
rules, facts with a question and offer kinds; no two rules decide one request differently
at the same precedence). A stage whose input is broken is skipped where it would only
repeat that problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from policylib.errors import RuleError
from policylib.lang import types as t
from policylib.lang.expr import Function, Root, Scope, Setting
from policylib.lang.functions import BUILTINS
from policylib.lang.nodes import (
    Alternatives,
    Example,
    FactDef,
    Loc,
    Message,
    Pack,
    Rule,
    Section,
    Vocabulary,
)
from policylib.lang.phrases import phrase_ids
from policylib.lang.types import Type
from policylib.load.conflicts import MAX_CONFLICTS, find_conflicts
from policylib.load.examples import ExampleSpots, check_example, example_spots
from policylib.load.facts import FactsFile
from policylib.load.files import Files, bundled_pack
from policylib.load.paths import RequestPaths
from policylib.load.problems import Problems, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.rules import AreaReader
from policylib.load.store import PolicyFile
from policylib.load.strict_yaml import Node
from policylib.load.texts import Terms, read_messages, read_pattern
from policylib.load.translations import read_translations
from policylib.load.vocabulary import read_vocabulary
from policylib.request.build import build_models, expression_roots, object_types
from policylib.request.parse import translate_error

__all__ = ["load_pack"]

_POLICY_KEYS = ("store", "default", "sections", "escalation", "alternatives")
_VOCABULARY_KEYS = ("kinds", "types", "fields", "checks", "choices")
_AREA_KEYS = ("section", "rules", "examples")
_SPECIAL = ("policy.yaml", "vocabulary.yaml", "facts.yaml")


def load_pack(
    path: str | os.PathLike[str] | None = None,
    *,
    functions: Mapping[str, Function] | None = None,
    translations: bool = True,
) -> Pack:
    """Load and check a rule pack.

    Args:
        path: a pack directory (``policy.yaml``, ``vocabulary.yaml``, ``facts.yaml``, area
            ``*.yaml`` files and ``*.ftl`` messages), a single YAML file holding all of it,
            or None for the bundled pack.
        functions: the store's own functions for expressions (``policylib.Functions``), on
            top of the built-in library.
        translations: read the pack's other locales (``locales/<language>/*.ftl``);
            False loads the default locale only (to write a catalog from it).

    Returns:
        The validated pack, rules in load order (files alphabetically, rules top to bottom).

    Raises:
        RuleError: listing every problem found in every file (``file:line:col``, rule id,
            what to do), with stable kebab-case codes.
    """
    root = bundled_pack() if path is None else Path(path)
    shown = str(root) if path is None else os.fspath(path)
    problems = Problems()
    loader = _Loader(root, problems, {**BUILTINS, **(functions or {})})
    pack: Pack | None = None
    if root.is_dir():
        pack = loader.directory()
    elif root.is_file():
        pack = loader.single_file()
    else:
        problems.report(
            "missing-file",
            f"there is no rule pack at {shown}",
            None,
            hint="pass a pack directory or a single pack YAML file",
        )
    if translations and pack is not None and not problems and root.is_dir():
        fallbacks = {language: True for language in pack.store.fallbacks}
        catalogs = read_translations(root, pack, problems, fallbacks, loader.fact_kinds)
        pack = replace(pack, translations=catalogs)
    if problems or pack is None:
        found = problems.sorted()
        raise RuleError(f"{len(found)} problem(s) in rule pack {shown}", found)
    return pack


class _Loader:
    def __init__(self, root: Path, problems: Problems, functions: Mapping[str, Function]) -> None:
        self.root = root
        self.problems = problems
        self.files = Files(problems)
        self.functions = functions
        self._fact_kinds: dict[str, str] | None = None  # fact -> declared type, once read
        self._terms = Terms()

    @property
    def fact_kinds(self) -> dict[str, str] | None:
        """Fact -> declared type, once the facts are read."""
        return self._fact_kinds

    # ---------------------------------------------------------------- the files

    def directory(self) -> Pack | None:
        names = sorted(p.name for p in self.root.iterdir() if p.is_file())
        yaml_files = [n for n in names if n.endswith(".yaml")]
        ftl_files = [n for n in names if n.endswith(".ftl")]
        for special in _SPECIAL:
            if special not in yaml_files:
                self.problems.report(
                    "missing-file",
                    f"the pack has no {special}",
                    None,
                    hint=f"every pack directory needs exactly one {special}",
                )
        for name in (*yaml_files, *ftl_files):  # problems are listed file by file, by name
            self.problems.order.setdefault(name, len(self.problems.order))
        parts = {name: self.part(name) for name in _SPECIAL if name in yaml_files}
        # Area files hold nearly all of a big pack: each is composed when its rules are
        # read and dropped after, so a 10,000-rule pack never holds every YAML node at once
        # (the garbage collector would rescan them all, again and again).
        areas = (self.part(name) for name in yaml_files if name not in _SPECIAL)
        return self.build(
            parts.get("policy.yaml"),
            parts.get("vocabulary.yaml"),
            parts.get("facts.yaml"),
            areas,
            ftl_files,
        )

    def part(self, name: str) -> tuple[Doc, Entries | None]:
        """One YAML file of a pack directory, composed and checked for its top-level keys."""
        doc = Doc(name, self.problems)
        node = self.files.compose(self.root / name, name)
        if name == "policy.yaml":
            entries = doc.mapping(node, name, required=_POLICY_KEYS, optional=("settings", "units"))
        elif name == "vocabulary.yaml":
            entries = doc.mapping(node, name, required=("kinds",), optional=_VOCABULARY_KEYS)
        elif name == "facts.yaml":
            entries = doc.mapping(node, name, required=("facts",))
        else:
            entries = doc.mapping(node, name, required=("section",), optional=_AREA_KEYS[1:])
        return doc, entries

    def single_file(self) -> Pack | None:
        name = self.root.name
        doc = Doc(name, self.problems)
        node = self.files.compose(self.root, name)
        entries = doc.mapping(
            node,
            name,
            required=(*_POLICY_KEYS, "kinds", "facts"),
            optional=("settings", "units", *_VOCABULARY_KEYS[1:], *_AREA_KEYS),
        )
        if entries is None:
            return None
        self.root = self.root.parent
        part = (doc, entries)
        return self.build(part, part, part, [part], [])

    # ---------------------------------------------------------------- the stages

    def build(
        self,
        policy_part: tuple[Doc, Entries | None] | None,
        vocabulary_part: tuple[Doc, Entries | None] | None,
        facts_part: tuple[Doc, Entries | None] | None,
        areas: Iterable[tuple[Doc, Entries | None]],
        ftl_files: list[str],
    ) -> Pack | None:
        policy = _entries_of(policy_part)
        vocab_entries = _entries_of(vocabulary_part)
        facts_entries = _entries_of(facts_part)
        # 1. the vocabulary, and the request model it makes
        vocabulary: Vocabulary | None = None
        if vocab_entries is not None:
            vocabulary = read_vocabulary(vocab_entries[0], vocab_entries[1], self.functions)
        models = build_models(vocabulary) if vocabulary is not None else {}
        model = models.get("Request")
        paths = RequestPaths(model) if model is not None else None
        # 2. the store, its settings (which may hold the vocabulary's objects) and sections
        policy_file = PolicyFile(policy[0], policy[1]) if policy is not None else None
        store = policy_file.store() if policy_file is not None else None
        units = policy_file.units() if policy_file is not None else {}
        settings = (
            policy_file.settings(
                None
                if vocabulary is None
                else {
                    name: _object_check(policy_file.doc, found)
                    for name, found in models.items()
                    if name in vocabulary.objects and not vocabulary.objects[name].base
                }
            )
            if policy_file is not None
            else {}
        )
        sections = policy_file.sections() if policy_file is not None else {}
        escalation = policy_file.pack_escalation() if policy_file is not None else None
        roots = expression_roots(vocabulary) if vocabulary is not None else {}
        objects = object_types(vocabulary) if vocabulary is not None else {}
        values = {name: Setting(s.type, s.value) for name, s in settings.items()}
        if policy_file is not None:  # reported where declared; not again where used
            values.update({name: Setting(t.ANY, None) for name in policy_file.broken_settings})

        def scope(facts: Mapping[str, Type], extra: Mapping[str, Root] | None = None) -> Scope:
            return Scope({**roots, **(extra or {})}, objects, facts, values, self.functions)

        # 3. the facts
        facts: dict[str, FactDef] = {}
        facts_file: FactsFile | None = None
        if facts_entries is not None:
            facts_file = FactsFile(facts_entries[0], facts_entries[1], frozenset(roots))
        fact_names = facts_file.names if facts_file is not None else frozenset()
        known_facts = fact_names if facts_file is not None and facts_file.readable else None
        if facts_file is not None and known_facts is not None:
            self._fact_kinds = {name: facts_file.declared_type(name) for name in fact_names}
        if facts_file is not None and vocabulary is not None and paths is not None:
            facts = facts_file.read(
                scope,
                self._pattern(facts_file.doc, known_facts),
                lambda path: paths.problem(path, value=True),
                frozenset(units),
            )
        fact_types = {name: fact.type for name, fact in facts.items()}
        # 4. what names facts: the default, the escalations, the alternatives
        default = None
        alternatives: Alternatives | None = None
        if policy_file is not None and policy is not None:
            doc = policy[0]
            default = policy_file.default(self._pattern(doc, known_facts))
            for escalation_of, where in self._escalations(escalation, sections):
                if (
                    known_facts is not None
                    and escalation_of.may_approve
                    and escalation_of.may_approve not in fact_names
                ):
                    doc.problem(
                        "unknown-fact",
                        f"{where}.may_approve names '{escalation_of.may_approve}', which is "
                        "not a declared fact",
                        escalation_of.loc,
                        hint=suggest(escalation_of.may_approve, fact_names)
                        or "declare it in facts.yaml",
                    )
            if vocabulary is not None and paths is not None:
                alternatives = policy_file.alternatives(
                    self._pattern(doc, known_facts),
                    lambda value_type: scope(
                        fact_types,
                        {"value": Root(value_type or t.ANY, _value)} if value_type else None,
                    ),
                    self._value_check(doc, paths),
                    vocabulary.chosen,
                    frozenset(vocabulary.kinds),
                )
        # 5. the areas: rules and examples
        reader = AreaReader(
            facts=facts,
            fact_names=fact_names,
            fact_types={n: facts_file.declared_type(n) for n in fact_names} if facts_file else {},
            settings=settings,
            kinds=frozenset(vocabulary.kinds) if vocabulary is not None else None,
            offer_kinds=policy_file.offer_kinds if policy_file is not None else None,
            sections=frozenset(sections) if policy_file is not None else None,
            pattern=lambda doc: self._pattern(doc, known_facts),
            chosen=vocabulary.chosen if vocabulary is not None else lambda path: True,
            value_check=lambda doc: self._value_check(doc, paths),
            path_problem=None if paths is None else partial(paths.problem, lists=False),
        )
        rules: list[Rule] = []
        examples: list[tuple[Example, ExampleSpots, Doc]] = []
        area_docs: dict[str, Doc] = {}
        for doc, part in areas:
            area_docs[doc.name] = doc
            if part is None:
                continue
            section = ""
            if "section" in part:
                section = doc.text(part["section"][1], "section") or ""
                if section and reader.check_section(doc, section, part["section"][1]):
                    old = sections.get(section)
                    if old is not None and not old.file:
                        sections[section] = replace(old, file=doc.name)
            if "rules" in part:
                rules.extend(reader.rules(doc, part["rules"][1], section))
            if "examples" in part:
                examples.extend(
                    (example, example_spots(doc, node), doc)
                    for example, node in reader.examples(doc, part["examples"][1], self.root)
                )
            del part  # this file's YAML nodes are no longer needed
        # 6. the shared messages
        messages: dict[str, Message] = {}
        known_ids = phrase_ids(vocabulary.kinds if vocabulary is not None else ())
        locs: dict[str, Loc] = {}
        for name in ftl_files:
            text = self.files.read_text(self.root / name, name)
            if text is not None:
                doc = Doc(name, self.problems)
                read_messages(
                    text,
                    name,
                    messages,
                    locs,
                    known_facts,
                    doc.problem,
                    known_ids,
                    types=self._fact_kinds,
                    terms=self._terms,
                )
        self._terms.check()  # the texts read before the .ftl files name terms too
        # 7. across files
        for example, spots, doc in examples:
            check_example(
                doc,
                example,
                spots,
                rules=reader.rule_locs,
                facts=facts if known_facts is not None else None,
                offer_kinds=policy_file.offer_kinds if policy_file is not None else None,
            )
        self._conflicts(rules, facts, area_docs)
        if self.problems or store is None or default is None or vocabulary is None:
            return None
        if escalation is None or alternatives is None or model is None:
            return None
        return Pack(
            store=store,
            vocabulary=vocabulary,
            facts=facts,
            rules=tuple(rules),
            default_outcome=default[0],
            default_text=default[1],
            sections=sections,
            messages=messages,
            examples=tuple(example for example, _, _ in examples),
            settings=settings,
            escalation=escalation,
            alternatives=alternatives,
            functions=dict(self.functions),
            units=units,
            request_model=model,
            source=str(self.root),
        )

    # ---------------------------------------------------------------- helpers

    def _pattern(
        self, doc: Doc, facts: frozenset[str] | None
    ) -> Callable[[Node, str, frozenset[str]], Message | None]:
        def read(node: Node, what: str, extra: frozenset[str]) -> Message | None:
            source = doc.text(node, what)
            if source is None:
                return None
            allowed = None if facts is None else facts | extra
            lines = self.problems.lines.get(doc.name, [])
            return read_pattern(
                source,
                node,
                doc.loc(node),
                what,
                allowed,
                lines,
                doc.problem,
                types=self._fact_kinds,
                terms=self._terms,
            )

        return read

    @staticmethod
    def _value_check(doc: Doc, paths: RequestPaths | None) -> Callable[[str, Any, Node], Any]:
        def check(path: str, raw: Any, node: Node) -> Any:
            if paths is None:
                return raw
            value, problem = paths.check(path, raw)
            if problem:
                doc.problem(
                    "wrong-type",
                    f"`{raw}` is not a value the request takes at {path} ({problem})",
                    node,
                    hint="write a value a customer could send in that field",
                )
                return None
            return value if value is not None else raw

        return check

    @staticmethod
    def _escalations(escalation: Any, sections: Mapping[str, Section]) -> list[tuple[Any, str]]:
        found = [(escalation, "escalation")] if escalation is not None else []
        for key, section in sections.items():
            if section.escalation is not None:
                found.append((section.escalation, f"sections.{key}.escalation"))
        return found

    def _conflicts(
        self,
        rules: list[Rule],
        facts: Mapping[str, FactDef],
        docs: Mapping[str, Doc],
    ) -> None:
        found = 0
        for first, second in find_conflicts(rules, facts):
            found += 1
            doc = docs.get(second.loc.file) or Doc(second.loc.file, self.problems)
            doc.problem(
                "precedence-conflict",
                f"rules {first.id} ({first.loc}) and {second.id} could both hold for one "
                f"{'/'.join(k for k in second.kinds if k in first.kinds)} request with "
                f"different outcomes ({first.outcome} vs {second.outcome}) at the same "
                f"priority {second.priority} and specificity {second.specificity}",
                second.loc,
                hint="give one of them a higher priority",
                rule_id=second.id,
            )
        if found >= MAX_CONFLICTS:
            self.problems.report(
                "precedence-conflict",
                f"stopped after {MAX_CONFLICTS} precedence conflicts",
                None,
                hint="fix these and load the pack again",
            )


def _object_check(doc: Doc, model: Any) -> Callable[[Any, Node, str], Any]:
    """Validates a setting's value as one of the pack's objects (a delivery window)."""
    adapter = TypeAdapter(model)

    def check(raw: Any, node: Node, what: str) -> Any:
        try:
            return adapter.validate_python(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                said = translate_error(error, model)
                at = f"{what}.{said.where}" if said.where != "(request)" else what
                doc.problem(said.code, f"{at}: {said.message}", node, hint=said.hint)
            return None

    return check


def _entries_of(part: tuple[Doc, Entries | None] | None) -> tuple[Doc, Entries] | None:
    if part is None or part[1] is None:
        return None
    return part[0], part[1]


def _value(env: Any) -> Any:
    return env.each
