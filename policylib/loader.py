"""Rule pack loader: YAML and Fluent files -> ``language.Pack``, every node located.

``load_pack`` reads a pack (a directory, or one YAML file holding everything), checks it
against the contract in ``docs/rule-language.md`` and returns a ``language.Pack``. It never
stops at the first mistake: every problem in every file is collected and raised together
as one ``RuleError`` whose problems each name ``file:line:col``, the rule id, what is wrong
and how to fix it, with a caret under the spot.

YAML is composed to nodes (never constructed to Python objects by PyYAML) so that each value
keeps its position and its *plain vs quoted* style: a plain ``NO`` where text is expected is
an error telling the author to quote it, not a silent ``False``. Anchors, aliases, merge keys,
duplicate keys, unknown keys and several documents in one file are refused. The strict
reading itself is ``policylib._yaml``; the check that no two rules decide one request
differently at the same precedence is ``policylib._conflicts``; the Fluent text checks (rule
texts and ``.ftl`` messages) are ``policylib._texts``, and the checks of request-model paths
(a fact's ``field``, an offer's ``change``) are ``policylib._paths``.

Problem codes (stable): yaml-syntax, duplicate-key, alias-not-allowed, tag-not-allowed,
nesting-too-deep, unknown-key, missing-key, wrong-type, unknown-fact, bad-operator,
unknown-enum-value, unknown-placeholder, template-not-allowed, template-syntax,
duplicate-id, bad-id, unknown-section, unknown-kind,
unknown-outcome, unknown-derivation, derivation-type-mismatch, precedence-conflict,
file-too-large, missing-file, bad-store, unknown-rule, internal-error.
"""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.resources
import importlib.util
import json
import os
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast, get_args

import babel
import babel.numbers
import holidays
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from policylib import language as lang
from policylib._conflicts import MAX_CONFLICTS, _find_conflicts
from policylib._hints import _one_of, _suggest
from policylib._paths import change_target, check_change_value, check_fact_field
from policylib._texts import SUPERVISOR_MESSAGE as SUPERVISOR_MESSAGE  # tests compare it
from policylib._texts import read_messages, read_pattern
from policylib._yaml import (
    _BOOL,
    _FLOAT,
    _INT,
    _MERGE,
    _NULL,
    _STR,
    _TAG,
    _TAG_WORDS,
    _TIMESTAMP,
    MAX_DEPTH,
    _AliasNode,
    _describe,
    _plain_quote_hint,
    _PyReader,
    _Reader,
    _StrictComposer,
    too_deep_for_libyaml,
)
from policylib.errors import Problem, RuleError, shorten_text
from policylib.model import Outcome, RequestKind

__all__ = ["MAX_FILE_BYTES", "load_pack"]

MAX_FILE_BYTES = 1024 * 1024
"""Pack files larger than this are refused before parsing."""

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_RESERVED = frozenset({"all", "any", "not"})
_UNITS = ("days", "business_days", "hours", "currency", "percent", "sessions", "")
_FACT_TYPES: tuple[str, ...] = get_args(lang.FactType)
_KINDS = tuple(k.value for k in RequestKind)
_OUTCOMES = tuple(o.value for o in Outcome)

_FACTS_KEYS = ("facts",)
_AREA_KEYS = ("section", "rules", "examples")
_STORE_KEYS = (
    "name",
    "country",
    "subdivision",
    "timezone",
    "currency",
    "locale",
    "policy_url",
    "escalation_contact",
)
_FACT_KEYS = ("type", "label", "derive", "unit", "values", "question", "field")
_RULE_REQUIRED = ("id", "title", "kinds", "when", "outcome", "text", "citation")
_RULE_OPTIONAL = ("priority", "why", "apology", "offers")
_EXAMPLE_KEYS = ("name", "request", "request_file", "outcome", "rule", "now")


# --------------------------------------------------------------------------- helpers


_EXCERPT = 120
"""Longest excerpt line shown under a problem; a longer line is cut around the caret."""


def _excerpt(line: str, col: int) -> str:
    """The source line with a caret under column ``col`` (0-based), cut around it if long."""
    if len(line) > _EXCERPT:
        start = max(0, min(col - _EXCERPT // 2, len(line) - _EXCERPT))
        end = start + _EXCERPT
        prefix = "..." if start else ""
        col = col - start + len(prefix)
        line = prefix + line[start:end] + ("..." if end < len(line) else "")
    return f"{line}\n{' ' * col}^"


@dataclass
class _FactInfo:
    type: str
    values: tuple[str, ...]


_EXAMPLE_VALUES = {
    "boolean": "true",
    "integer": "30",
    "decimal": "1.5",
    "money": "49.99",
    "date": "2026-11-20",
    "text": "some text",
}


def _example_value(info: _FactInfo) -> str:
    """A value of the fact's type, for hints."""
    if info.type == "enum" and info.values:
        return info.values[0]
    return _EXAMPLE_VALUES.get(info.type, "a value")


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Collects problems while turning composed YAML nodes into language nodes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.lines: dict[str, list[str]] = {}
        self.file_order: dict[str, int] = {}
        self.file = ""
        self.rule_id = ""
        self.facts: dict[str, _FactInfo] = {}
        self.section_ids: set[str] = set()
        # False when facts.yaml / policy.yaml is missing or unreadable: that problem is
        # reported once instead of as an unknown fact or section at every use.
        self.have_facts = False
        self.have_sections = False
        self.rule_locs: dict[str, lang.Loc] = {}
        # problems the YAML reader found before any rule was read: (index, file, line)
        self.unowned: list[tuple[int, str, int]] = []
        self.message_locs: dict[str, lang.Loc] = {}

    # ---------------------------------------------------------------- reporting

    def loc(self, node: Node) -> lang.Loc:
        mark = node.start_mark
        return lang.Loc(self.file, mark.line + 1, mark.column + 1)

    def problem(
        self,
        code: str,
        message: str,
        where: lang.Loc | Node | None,
        hint: str = "",
        rule_id: str | None = None,
    ) -> None:
        if isinstance(where, Node):
            where = self.loc(where)
        excerpt = ""
        text = ""
        if where is not None:
            text = str(where)
            lines = self.lines.get(where.file, [])
            if 1 <= where.line <= len(lines):
                excerpt = _excerpt(lines[where.line - 1].rstrip(), max(where.col - 1, 0))
        self.problems.append(
            Problem(
                code=code,
                message=message,
                where=text,
                hint=hint,
                rule_id=self.rule_id if rule_id is None else rule_id,
                excerpt=excerpt,
            )
        )

    def sorted_problems(self) -> list[Problem]:
        def key(p: Problem) -> tuple[int, int, int]:
            parts = p.where.rsplit(":", 2)
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                return (-1, 0, 0)  # whole-pack problems (a missing file) first
            return (
                self.file_order.get(parts[0], len(self.file_order)),
                int(parts[1]),
                int(parts[2]),
            )

        return sorted(self.problems, key=key)

    # ---------------------------------------------------------------- files

    def read_text(self, path: Path, rel: str) -> str | None:
        self.file = rel
        self.file_order.setdefault(rel, len(self.file_order))
        here = lang.Loc(rel, 1, 1)
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problem("missing-file", f"cannot read {rel}: {exc.strerror}", here, rule_id="")
            return None
        if size > MAX_FILE_BYTES:
            self.problem(
                "file-too-large",
                f"{rel} is {size} bytes; pack files are limited to {MAX_FILE_BYTES} bytes (1 MiB)",
                here,
                hint="split the file into several area files",
                rule_id="",
            )
            return None
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(
                "yaml-syntax",
                f"{rel} is not UTF-8 text (byte {exc.start})",
                here,
                hint="save the file as UTF-8",
                rule_id="",
            )
            return None
        except OSError as exc:
            self.problem("missing-file", f"cannot read {rel}: {exc.strerror}", here, rule_id="")
            return None
        self.lines[rel] = text.splitlines()
        return text

    def compose(self, path: Path, rel: str) -> Node | None:
        """The root node of a YAML file, or None (problems reported)."""
        text = self.read_text(path, rel)
        if text is None:
            return None
        reader: _StrictComposer = _Reader(text)
        try:
            try:
                node = reader.get_single_node()
            except yaml.MarkedYAMLError as exc:
                if not too_deep_for_libyaml(exc):
                    raise
                reader.dispose()
                reader = _PyReader(text)  # no limit of its own: MAX_DEPTH refuses the spot
                node = reader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = lang.Loc(rel, mark.line + 1, mark.column + 1) if mark else lang.Loc(rel, 1, 1)
            what = ": ".join(s for s in (exc.context, exc.problem) if s)
            hint = "check the indentation and quoting near this spot"
            if mark is not None and self._tab_at(rel, mark.line, mark.column):
                hint = "indent with spaces; YAML does not allow tabs for indentation"
            self.problem(
                "yaml-syntax",
                f"YAML syntax error {what}" if exc.context else f"YAML syntax error: {what}",
                where,
                hint=hint,
                rule_id="",
            )
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml reader errors
            self.problem(
                "yaml-syntax", f"YAML syntax error: {exc}", lang.Loc(rel, 1, 1), rule_id=""
            )
            return None
        except RecursionError:  # a backstop: the composer caps nesting at MAX_DEPTH
            self.problem(
                "nesting-too-deep",
                f"{rel} nests lists and mappings too deeply to read",
                lang.Loc(rel, 1, 1),
                hint=f"keep nesting under {MAX_DEPTH} levels",
                rule_id="",
            )
            return None
        finally:
            reader.dispose()
        for kind, mark, detail in reader.refused:
            self.refused_problem(rel, kind, mark, detail)
            if kind != "document":  # the rule it sits in is named once rules are read
                self.unowned.append((len(self.problems) - 1, rel, mark.line))
        if node is None:
            self.problem("wrong-type", f"{rel} is empty", lang.Loc(rel, 1, 1), hint="", rule_id="")
        return node

    def _tab_at(self, rel: str, line: int, column: int) -> bool:
        lines = self.lines.get(rel, [])
        if not 0 <= line < len(lines):
            return False
        text = lines[line]
        return "\t" in text[: len(text) - len(text.lstrip())] or text[column : column + 1] == "\t"

    def refused_problem(self, rel: str, kind: str, mark: Any, detail: str) -> None:
        """Reports what the strict YAML reader refused (see ``policylib._yaml``)."""
        where = lang.Loc(rel, mark.line + 1, mark.column + 1)
        if kind == "document":
            self.problem(
                "yaml-syntax",
                "a pack file holds exactly one YAML document; found another after '---'",
                where,
                hint="remove the '---' separator or split the file",
                rule_id="",
            )
        elif kind == "tag":
            shown = "!!" + detail[len(_TAG) :] if detail.startswith(_TAG) else detail
            self.problem(
                "tag-not-allowed",
                f"YAML tags are not allowed ({shorten_text(shown)})",
                where,
                hint="remove the tag; policy files use plain YAML",
                rule_id="",
            )
        elif kind == "depth":
            self.problem(
                "nesting-too-deep",
                f"lists and mappings are nested more than {detail} levels deep here",
                where,
                hint="no policy needs this much nesting; flatten the condition or the value",
                rule_id="",
            )
        else:
            self.problem(
                "alias-not-allowed",
                f"YAML {'anchors' if kind == 'anchor' else 'aliases'} are not allowed "
                f"({'&' if kind == 'anchor' else '*'}{shorten_text(detail)})",
                where,
                hint="write the value out in full; anchors and aliases hide what a rule says",
                rule_id="",
            )

    # ---------------------------------------------------------------- node shapes

    def mapping(
        self,
        node: Node | None,
        what: str,
        required: Sequence[str] = (),
        optional: Sequence[str] | None = (),
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """Keys -> (key node, value node). ``optional=None`` accepts any key."""
        if node is None or isinstance(node, _AliasNode):
            return None
        if not isinstance(node, MappingNode):
            self.problem(
                "wrong-type", f"{what} must be a mapping (key: value), not {_describe(node)}", node
            )
            return None
        allowed = None if optional is None else (*required, *optional)
        out: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.tag == _MERGE:
                self.problem(
                    "alias-not-allowed",
                    "merge keys (<<) are not allowed",
                    key,
                    hint="write every key out in full",
                )
                continue
            if isinstance(key, _AliasNode):
                continue
            if not isinstance(key, ScalarNode) or key.tag != _STR:
                self.problem(
                    "wrong-type",
                    f"keys in {what} must be text, not {_describe(key)}",
                    key,
                    hint=_plain_quote_hint(key) if isinstance(key, ScalarNode) else "",
                )
                continue
            name = key.value
            if name in out:
                self.problem(
                    "duplicate-key",
                    f"key '{name}' appears twice in {what} (first at {self.loc(out[name][0])})",
                    key,
                    hint="remove one of them; YAML would silently keep only the last",
                )
                continue
            if allowed is not None and name not in allowed:
                self.problem(
                    "unknown-key",
                    f"unknown key '{name}' in {what}",
                    key,
                    hint=_suggest(name, allowed) or f"allowed keys: {_one_of(allowed)}",
                )
                continue
            out[name] = (key, value)
        for name in required:
            if name not in out:
                self.problem("missing-key", f"{what} is missing the required key '{name}'", node)
        return out

    def sequence(
        self, node: Node, what: str, nonempty: bool = False, hint: str = ""
    ) -> list[Node] | None:
        if isinstance(node, _AliasNode):
            return None
        if not isinstance(node, SequenceNode):
            self.problem(
                "wrong-type", f"{what} must be a list, not {_describe(node)}", node, hint=hint
            )
            return None
        if nonempty and not node.value:
            self.problem("wrong-type", f"{what} must not be empty", node, hint=hint)
            return None
        return list(node.value)

    # ---------------------------------------------------------------- scalars

    def scalar(self, node: Node, what: str) -> ScalarNode | None:
        if isinstance(node, _AliasNode):
            return None
        if not isinstance(node, ScalarNode):
            self.problem(
                "wrong-type", f"{what} must be a single value, not {_describe(node)}", node
            )
            return None
        return node

    def text(self, node: Node, what: str, allow_empty: bool = False) -> str | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if sc.tag != _STR:
            if sc.tag == _NULL and not sc.value:
                self.problem("wrong-type", f"{what} is empty", sc, hint="write a value")
                return None
            self.problem(
                "wrong-type",
                f"{what} must be text, but YAML reads `{sc.value}` as "
                f"{_TAG_WORDS.get(sc.tag, sc.tag)}",
                sc,
                hint=_plain_quote_hint(sc),
            )
            return None
        if not allow_empty and not sc.value.strip():
            self.problem("wrong-type", f"{what} is empty", sc, hint="write a value")
            return None
        return str(sc.value)

    def boolean(self, node: Node, what: str) -> bool | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if not sc.style and sc.value in ("true", "false"):
            return bool(sc.value == "true")
        self.problem(
            "wrong-type",
            f"{what} must be true or false, not `{sc.value}`",
            sc,
            hint="write true or false (lowercase, unquoted)",
        )
        return None

    def integer(self, node: Node, what: str) -> int | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if not sc.style and _INTEGER.match(sc.value):
            return int(sc.value)
        hint = "write a whole number like 30"
        if not sc.style and re.fullmatch(r"[-+]?0[0-9_]+", sc.value):
            hint = "remove the leading zero (YAML 1.1 reads 012 as an octal number)"
        elif not sc.style and ":" in sc.value and sc.tag in (_INT, _FLOAT):
            hint = "YAML 1.1 reads 12:30 as a base-60 number; write a plain number"
        self.problem(
            "wrong-type", f"{what} must be a whole number, not `{sc.value}`", sc, hint=hint
        )
        return None

    def decimal(self, node: Node, what: str) -> Decimal | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        plain_number = not sc.style and sc.tag in (_INT, _FLOAT)
        if (plain_number or sc.tag == _STR) and _DECIMAL.match(sc.value):
            return Decimal(sc.value)
        self.problem(
            "wrong-type",
            f"{what} must be a number like 49.99, not `{sc.value}`",
            sc,
            hint="write digits with an optional decimal point (no leading zeros, no exponent)",
        )
        return None

    def number(self, node: Node, what: str) -> int | Decimal | None:
        if isinstance(node, ScalarNode) and not node.style and _INTEGER.match(node.value):
            return int(node.value)
        return self.decimal(node, what)

    def date(self, node: Node, what: str) -> date | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if sc.tag in (_STR, _TIMESTAMP) and _DATE.match(sc.value):
            try:
                return date.fromisoformat(sc.value)
            except ValueError:
                pass
        self.problem(
            "wrong-type",
            f"{what} must be a date YYYY-MM-DD, not `{sc.value}`",
            sc,
            hint="write a real calendar date like 2026-11-20",
        )
        return None

    def plain(self, node: Node, what: str, decimals: bool = False) -> tuple[bool, object]:
        """A JSON-like python value (for example requests and offer changes).

        Plain scalars are read strictly, as everywhere else: true/false, null (or nothing),
        whole numbers without leading zeros, decimals, dates and text. The YAML 1.1 readings
        (``NO``, ``012``, ``12:30``, ``.nan``) are refused with a hint to quote them. Decimal
        numbers are ``Decimal`` with ``decimals``, else floats (as JSON would give).
        """
        if isinstance(node, _AliasNode):
            return False, None
        if isinstance(node, MappingNode):
            m = self.mapping(node, what, optional=None)
            if m is None:
                return False, None
            out: dict[str, object] = {}
            ok = True
            for key, (_, value) in m.items():
                good, out[key] = self.plain(value, f"{what}.{key}", decimals)
                ok = ok and good
            return ok, out
        if isinstance(node, SequenceNode):
            items: list[object] = []
            ok = True
            for i, item in enumerate(node.value):
                good, val = self.plain(item, f"{what}[{i}]", decimals)
                items.append(val)
                ok = ok and good
            return ok, items
        assert isinstance(node, ScalarNode)
        tag, value = node.tag, node.value
        if tag in (_STR, _TIMESTAMP):
            return True, value
        if tag == _NULL and value in ("", "null"):
            return True, None
        if tag == _BOOL and value in ("true", "false"):
            return True, value == "true"
        if tag == _INT and _INTEGER.match(value):
            return True, int(value)
        if tag in (_INT, _FLOAT) and _DECIMAL.match(value):
            return True, Decimal(value) if decimals else float(value)
        words = _TAG_WORDS.get(tag, "a special value")
        if tag == _INT and re.fullmatch(r"[-+]?0[0-9_]+", value):
            why = f"YAML 1.1 reads `{value}` as an octal number"
        elif tag in (_INT, _FLOAT) and ":" in value:
            why = f"YAML 1.1 reads `{value}` as a base-60 number"
        else:
            why = f"YAML reads `{shorten_text(value)}` as {words}"
        self.problem(
            "wrong-type",
            f"{what}: {why}, which is not allowed here",
            node,
            hint=f"{_plain_quote_hint(node)} (or write true/false, null, 30 or 49.99)",
        )
        return False, None

    # ---------------------------------------------------------------- Fluent patterns

    def pattern(self, node: Node, what: str) -> lang.Message | None:
        source = self.text(node, what)
        if source is None:
            return None
        facts = self.facts if self.have_facts else None
        lines = self.lines.get(self.file, [])
        return read_pattern(source, node, self.loc(node), what, facts, lines, self.problem)

    def ftl(self, path: Path, rel: str, messages: dict[str, lang.Message]) -> None:
        text = self.read_text(path, rel)
        if text is None:
            return
        self.rule_id = ""
        facts = self.facts if self.have_facts else None
        read_messages(text, rel, messages, self.message_locs, facts, self.problem)

    # ---------------------------------------------------------------- policy.yaml

    def store(self, node: Node) -> lang.Store | None:
        m = self.mapping(node, "store", required=("name",), optional=_STORE_KEYS[1:])
        if m is None:
            return None
        values: dict[str, str] = {}
        for key, (_, value) in m.items():
            got = self.text(value, f"store.{key}", allow_empty=key == "subdivision")
            if got is not None:
                values[key] = got.strip()
        checks = (
            (
                "country",
                _valid_country,
                "a two-letter ISO country code with a holiday calendar, like US",
            ),
            ("currency", _valid_currency, "a three-letter ISO 4217 currency code like USD"),
            ("timezone", _valid_timezone, "a time zone name like America/New_York"),
            ("locale", _valid_locale, "a locale like en_US"),
            ("policy_url", _WEB_ADDRESS.match, "an http:// or https:// address"),
        )
        ok = len(values) == len(m)
        for key, check, expected in checks:
            if key in values and not check(values[key]):
                self.problem(
                    "bad-store",
                    f"store.{key} '{values[key]}' is not {expected}",
                    m[key][1],
                    hint=f"write {expected}",
                )
                ok = False
        country, subdivision = values.get("country", "US"), values.get("subdivision", "")
        if ok and subdivision and not _valid_subdivision(country, subdivision):
            known = _subdivisions(country)
            self.problem(
                "bad-store",
                f"store.subdivision '{subdivision}' is not a subdivision of {country} that "
                "has a public-holiday calendar",
                m["subdivision"][1],
                hint=_suggest(subdivision, known) or f"use one of {_one_of(known[:12])}...",
            )
            ok = False
        if not ok or "name" not in values:
            return None
        return lang.Store(**values)

    def policy(self, m: dict[str, tuple[ScalarNode, Node]]) -> dict[str, Any]:
        """store, default outcome/text, settings, sections from policy keys."""
        out: dict[str, Any] = {}
        if "store" in m:
            out["store"] = self.store(m["store"][1])
        if "default" in m:
            d = self.mapping(m["default"][1], "default", required=("outcome", "text"))
            if d is not None:
                if "outcome" in d:
                    out["default_outcome"] = self.outcome(d["outcome"][1], "default.outcome")
                if "text" in d:
                    out["default_text"] = self.pattern(d["text"][1], "default.text")
        settings: dict[str, object] = {}
        if "settings" in m:
            known = _settings()
            s = self.mapping(m["settings"][1], "settings", optional=None)
            for key, (knode, value) in (s or {}).items():
                spec = known.get(key)
                if spec is None:
                    self.problem(
                        "unknown-key",
                        f"'{key}' is not a setting any fact reads",
                        knode,
                        hint=_suggest(key, known) or f"settings: {_one_of(sorted(known))}",
                    )
                    continue
                num = (
                    self.integer(value, f"settings.{key}")
                    if spec.integer
                    else self.number(value, f"settings.{key}")
                )
                if num is None:
                    continue
                if not spec.low <= num <= spec.high:
                    self.problem(
                        "out-of-range",
                        f"settings.{key} is {num}, outside {spec.low} to {spec.high} ({spec.doc})",
                        value,
                        hint=f"write a value from {spec.low} to {spec.high}",
                    )
                    continue
                settings[key] = num
        out["settings"] = settings
        return out

    def sections(self, node: Node) -> dict[str, lang.Section]:
        m = self.mapping(node, "sections", optional=None)
        out: dict[str, lang.Section] = {}
        for key, (_, value) in (m or {}).items():
            self.section_ids.add(key)
            s = self.mapping(value, f"section '{key}'", required=("title",), optional=("summary",))
            if s is None:
                continue
            title = self.text(s["title"][1], f"sections.{key}.title") if "title" in s else None
            summary = (
                self.text(s["summary"][1], f"sections.{key}.summary") if "summary" in s else ""
            )
            if title is not None and summary is not None:
                out[key] = lang.Section(id=key, title=title, summary=summary)
        return out

    def outcome(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and value not in _OUTCOMES:
            self.problem(
                "unknown-outcome",
                f"{what} '{value}' is not a known outcome",
                node,
                hint=_suggest(value, _OUTCOMES) or f"use one of {_one_of(_OUTCOMES)}",
            )
            return None
        return value

    # ---------------------------------------------------------------- facts.yaml

    def fact_names(self, node: Node) -> dict[str, tuple[ScalarNode, Node]]:
        """First pass: names and types, so patterns anywhere can be checked against them."""
        m = self.mapping(node, "facts", optional=None) or {}
        good: dict[str, tuple[ScalarNode, Node]] = {}
        for name, (knode, value) in m.items():
            if not _NAME.match(name) or name in _RESERVED:
                self.problem(
                    "bad-id",
                    f"fact name '{name}' must be lowercase_words and not all/any/not",
                    knode,
                    hint="use letters, digits and underscores, starting with a letter",
                )
                continue
            info = _FactInfo(type="", values=())
            if isinstance(value, MappingNode):
                for k, v in value.value:
                    if (
                        isinstance(k, ScalarNode)
                        and k.value == "type"
                        and isinstance(v, ScalarNode)
                    ):
                        info.type = v.value
                    if k.value == "values" and isinstance(v, SequenceNode):
                        info.values = tuple(
                            str(i.value) for i in v.value if isinstance(i, ScalarNode)
                        )
            self.facts[name] = info
            good[name] = (knode, value)
        return good

    def fact(self, name: str, node: Node, derivations: Mapping[str, Any]) -> lang.FactDef | None:
        self.rule_id = ""
        what = f"fact '{name}'"
        m = self.mapping(node, what, required=("type", "label", "derive"), optional=_FACT_KEYS[3:])
        if m is None:
            return None
        before = len(self.problems)
        ftype = self.text(m["type"][1], f"{what} type") if "type" in m else None
        if ftype is not None and ftype not in _FACT_TYPES:
            self.problem(
                "wrong-type",
                f"{what} has unknown type '{ftype}'",
                m["type"][1],
                hint=_suggest(ftype, _FACT_TYPES) or f"use one of {_one_of(_FACT_TYPES)}",
            )
            ftype = None
        label = self.text(m["label"][1], f"{what} label") if "label" in m else None
        unit = ""
        if "unit" in m:
            unit = self.text(m["unit"][1], f"{what} unit", allow_empty=True) or ""
            if unit not in _UNITS:
                self.problem(
                    "wrong-type",
                    f"{what} has unknown unit '{unit}'",
                    m["unit"][1],
                    hint=_suggest(unit, _UNITS) or f"use one of {_one_of(_UNITS)}",
                )
        values: list[str] = []
        if "values" in m:
            if ftype is not None and ftype != "enum":
                self.problem("wrong-type", f"{what}: only enum facts take values", m["values"][0])
            for item in self.sequence(m["values"][1], f"{what} values", nonempty=True) or []:
                v = self.text(item, f"{what} value")
                if v is not None:
                    if v in values:
                        self.problem("duplicate-key", f"{what} lists '{v}' twice", item)
                    values.append(v)
        elif ftype == "enum":
            self.problem(
                "missing-key",
                f"{what} is an enum and needs a non-empty 'values' list",
                node,
                hint="list the allowed values: values: [a, b, c]",
            )
        derive = self.text(m["derive"][1], f"{what} derive") if "derive" in m else None
        if derive is not None:
            self.check_derivation(name, derive, ftype, values, m["derive"][1], derivations)
        question = self.pattern(m["question"][1], f"{what} question") if "question" in m else None
        field = self.text(m["field"][1], f"{what} field") if "field" in m else ""
        if field:
            check_fact_field(field, m["field"][1], what, self.problem)
        if len(self.problems) != before or ftype is None or label is None or derive is None:
            return None
        return lang.FactDef(
            name=name,
            type=cast(lang.FactType, ftype),
            label=label,
            derive=derive,
            unit=unit,
            values=tuple(values),
            question=question,
            field=field or "",
            loc=self.loc(node),
        )

    def check_derivation(
        self,
        name: str,
        derive: str,
        ftype: str | None,
        values: list[str],
        node: Node,
        derivations: Mapping[str, Any],
    ) -> None:
        found = derivations.get(derive)
        if found is None:
            self.problem(
                "unknown-derivation",
                f"fact '{name}' derives from '{derive}', which policylib.facts does not provide",
                node,
                hint=_suggest(derive, derivations) or "see policylib.facts.DERIVATIONS",
            )
            return
        dtype = str(getattr(found, "type", ""))
        if ftype is not None and dtype not in (ftype, "any"):
            self.problem(
                "derivation-type-mismatch",
                f"fact '{name}' is declared {ftype} but derivation '{derive}' gives {dtype}",
                node,
                hint=f"declare type: {dtype}, or pick a derivation that gives {ftype}",
            )
            return
        allowed = tuple(getattr(found, "values", ()) or ())
        extra = [v for v in values if v not in allowed]
        if ftype == "enum" and allowed and extra:
            self.problem(
                "derivation-type-mismatch",
                f"fact '{name}' declares values the derivation '{derive}' never gives: "
                f"{', '.join(extra)}",
                node,
                hint=f"the derivation gives {_one_of(allowed)}",
            )

    # ---------------------------------------------------------------- conditions

    def condition(self, node: Node) -> lang.Condition | None:
        m = self.mapping(node, "a condition", optional=None)
        if m is None:
            return None
        if len(m) != 1:
            if m:
                self.problem(
                    "wrong-type",
                    "a condition holds exactly one test",
                    node,
                    hint="combine several tests with all: [...] or any: [...]",
                )
            else:
                self.problem(
                    "wrong-type",
                    "a condition must not be empty",
                    node,
                    hint="write a test like item_opened: true, or all: [...] / any: [...]",
                )
            return None
        (key, (knode, value)) = next(iter(m.items()))
        loc = self.loc(knode)
        if key in ("all", "any"):
            if isinstance(value, SequenceNode) and value.value:
                items: list[Node] | None = list(value.value)
            else:  # the hint is built only when needed: this runs for every rule
                items = self.sequence(
                    value,
                    f"'{key}'",
                    nonempty=True,
                    hint=f"list one or more tests: {key}: [item_opened: true, reason: defective]",
                )
            if items is None:
                return None
            conds = [self.condition(item) for item in items]
            if any(c is None for c in conds):
                return None
            kept = tuple(c for c in conds if c is not None)
            return lang.All(kept, loc) if key == "all" else lang.Any_(kept, loc)
        if key == "not":
            inner = self.condition(value)
            return None if inner is None else lang.Not(inner, loc)
        return self.compare(key, knode, value)

    def compare(self, name: str, knode: ScalarNode, value: Node) -> lang.Compare | None:
        loc = self.loc(knode)
        info = self.facts.get(name)
        if info is None and not self.have_facts:
            return None
        if info is None:
            self.problem(
                "unknown-fact",
                f"unknown fact '{name}'",
                knode,
                hint=_suggest(name, [*self.facts, "all", "any", "not"])
                or "declare it in facts.yaml",
            )
            return None
        op, vnode = "eq", value
        if isinstance(value, MappingNode):
            m = self.mapping(value, f"the test on '{name}'", optional=None)
            if m is None:
                return None
            if len(m) != 1:
                if m:
                    self.problem(
                        "wrong-type",
                        f"the test on '{name}' takes exactly one operator",
                        value,
                        hint="combine several tests with all: [...]",
                    )
                else:
                    self.problem(
                        "wrong-type",
                        f"the test on '{name}' is empty",
                        value,
                        hint=f"write one operator and its value, like "
                        f"{name}: {{eq: {_example_value(info)}}}",
                    )
                return None
            (op, (onode, vnode)) = next(iter(m.items()))
            if op not in lang.COMPARISON_OPS:
                self.problem(
                    "bad-operator",
                    f"unknown operator '{op}'",
                    onode,
                    hint=_suggest(op, lang.COMPARISON_OPS)
                    or f"use one of {_one_of(lang.COMPARISON_OPS)}",
                )
                return None
            if op in ("lt", "lte", "gt", "gte") and info.type not in lang.ORDERED_TYPES:
                self.problem(
                    "bad-operator",
                    f"'{op}' compares order, but '{name}' is a {info.type or 'untyped'} fact",
                    onode,
                    hint="ordered operators work on integer, decimal, money and date facts; "
                    "use eq, ne, in or not_in",
                )
                return None
        if op in ("in", "not_in"):
            values: list[Node] | None
            if isinstance(vnode, SequenceNode) and vnode.value:
                values = list(vnode.value)
            else:
                values = self.sequence(
                    vnode,
                    f"'{op}' on '{name}'",
                    nonempty=True,
                    hint=f"list the values: {name}: {{{op}: [{_example_value(info)}, ...]}}",
                )
            if values is None:
                return None
            got = [self.typed_value(name, info, item) for item in values]
            if any(g is None for g in got):
                return None
            return lang.Compare(name, op, tuple(g for g in got if g is not None), loc)
        single = self.typed_value(name, info, vnode)
        return None if single is None else lang.Compare(name, op, single, loc)

    def typed_value(self, name: str, info: _FactInfo, node: Node) -> Any:
        what = f"the value for '{name}'"
        if isinstance(node, (MappingNode, SequenceNode)):
            self.problem(
                "wrong-type",
                f"{what} must be a single value, not {_describe(node)}",
                node,
                hint="lists go with in/not_in: {in: [a, b]}",
            )
            return None
        if info.type == "boolean":
            return self.boolean(node, what)
        if info.type == "integer":
            return self.integer(node, what)
        if info.type in ("decimal", "money"):
            return self.decimal(node, what)
        if info.type == "date":
            return self.date(node, what)
        text = self.text(node, what, allow_empty=info.type == "text")
        if text is not None and info.type == "enum" and text not in info.values:
            self.problem(
                "unknown-enum-value",
                f"'{text}' is not a value of '{name}'",
                node,
                hint=_suggest(text, info.values) or f"use one of {_one_of(info.values)}",
            )
            return None
        return text

    # ---------------------------------------------------------------- area files

    def rule(self, node: Node, section: str, order: int) -> lang.Rule | None:
        self.rule_id = ""
        if isinstance(node, MappingNode):
            for k, v in node.value:  # learn the id first so every problem names it
                if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode):
                    self.rule_id = str(v.value)
            if self.unowned and self.rule_id:
                self.claim(node)
        m = self.mapping(node, "a rule", required=_RULE_REQUIRED, optional=_RULE_OPTIONAL)
        if m is None:
            return None
        before = len(self.problems)
        rid = self.text(m["id"][1], "rule id") if "id" in m else None
        if rid is not None:
            if not _RULE_ID.match(rid):
                self.problem(
                    "bad-id",
                    f"rule id '{rid}' is not of the form AREA-TOPIC-NNN",
                    m["id"][1],
                    hint="use capital letters and digits joined by dashes, like RET-HYG-001",
                )
            elif rid in self.rule_locs:
                self.problem(
                    "duplicate-id",
                    f"rule id '{rid}' is already used at {self.rule_locs[rid]}",
                    m["id"][1],
                    hint="give each rule its own id; never reuse a retired id",
                )
            else:
                self.rule_locs[rid] = self.loc(m["id"][1])
        title = self.text(m["title"][1], "title") if "title" in m else None
        kinds: list[str] = []
        if "kinds" in m:
            kind_nodes = self.sequence(
                m["kinds"][1], "kinds", nonempty=True, hint="list request kinds, like [return]"
            )
            for item in kind_nodes or []:
                kind = self.text(item, "kind")
                if kind is None:
                    continue
                if kind not in _KINDS:
                    self.problem(
                        "unknown-kind",
                        f"'{kind}' is not a request kind",
                        item,
                        hint=_suggest(kind, _KINDS) or f"use one of {_one_of(_KINDS)}",
                    )
                elif kind not in kinds:
                    kinds.append(kind)
        when = None
        if "when" in m:
            seen = len(self.problems)
            when = self.condition(m["when"][1])
            dropped = when is None and len(self.problems) == seen and self.have_facts
            if dropped and not _has_refused(m["when"][1]):
                # every path that drops a condition must say why; never lose a rule quietly
                self.problem(
                    "internal-error",
                    "this rule's condition could not be read, and no reason was found",
                    m["when"][1],
                    hint="please report this to the policylib maintainers with the rule",
                )
        outcome = self.outcome(m["outcome"][1], "outcome") if "outcome" in m else None
        text = self.pattern(m["text"][1], "text") if "text" in m else None
        citation = self.citation(m["citation"][1]) if "citation" in m else None
        priority = self.integer(m["priority"][1], "priority") if "priority" in m else 0
        why = self.pattern(m["why"][1], "why") if "why" in m else None
        apology = self.boolean(m["apology"][1], "apology") if "apology" in m else False
        offers: list[lang.Offer] = []
        if "offers" in m:
            offer_nodes = self.sequence(
                m["offers"][1], "offers", hint="write each offer as a list item: - kind: ..."
            )
            for item in offer_nodes or []:
                offer = self.offer(item)
                if offer is not None:
                    offers.append(offer)
        if (
            len(self.problems) != before
            or rid is None
            or title is None
            or when is None
            or outcome is None
            or text is None
            or citation is None
            or priority is None
            or apology is None
            or not kinds
        ):
            return None
        return lang.Rule(
            id=rid,
            title=title,
            kinds=tuple(kinds),
            when=when,
            outcome=outcome,
            text=text,
            citation=citation,
            priority=priority,
            why=why,
            offers=tuple(offers),
            apology=apology,
            section=section,
            order=order,
            loc=self.loc(node),
        )

    def claim(self, node: Node) -> None:
        """Names this rule in the YAML reader's problems that lie inside it."""
        first, last = node.start_mark.line, node.end_mark.line
        left: list[tuple[int, str, int]] = []
        for index, file, line in self.unowned:
            if file == self.file and first <= line <= last:
                self.problems[index] = replace(self.problems[index], rule_id=self.rule_id)
            else:
                left.append((index, file, line))
        self.unowned = left

    def citation(self, node: Node) -> lang.Citation | None:
        m = self.mapping(node, "citation", required=("section",), optional=("anchor",))
        if m is None or "section" not in m:
            return None
        section = self.text(m["section"][1], "citation.section")
        anchor = self.text(m["anchor"][1], "citation.anchor") if "anchor" in m else ""
        if section is None or anchor is None:
            return None
        if not self.check_section(section, m["section"][1]):
            return None
        return lang.Citation(section=section, anchor=anchor)

    def check_section(self, section: str, node: Node) -> bool:
        if section in self.section_ids or not self.have_sections:
            return True
        self.problem(
            "unknown-section",
            f"section '{section}' is not declared in policy.yaml",
            node,
            hint=_suggest(section, self.section_ids) or "declare it under sections: in policy.yaml",
        )
        return False

    def offer(self, node: Node) -> lang.Offer | None:
        m = self.mapping(node, "an offer", required=("kind", "text"), optional=("change",))
        if m is None:
            return None
        kind = self.text(m["kind"][1], "offer kind") if "kind" in m else None
        if kind is not None and not _NAME.match(kind):
            self.problem(
                "bad-id",
                f"offer kind '{kind}' must be a lowercase identifier like store_credit",
                m["kind"][1],
            )
            kind = None
        text = self.pattern(m["text"][1], "offer text") if "text" in m else None
        change: list[tuple[str, object]] = []
        ok = True
        if "change" in m:
            c = self.mapping(m["change"][1], "offer change", optional=None)
            if c is None:
                ok = False
            for key, (knode, value) in (c or {}).items():
                target = change_target(key, knode, value, self.problem)
                if target is None:
                    ok = False
                    continue
                good, val = self.plain(value, f"change.{key}", decimals=True)
                if good:
                    good = check_change_value(key, val, value, target, self.problem)
                ok = ok and good
                change.append((key, val))
        if kind is None or text is None or not ok:
            return None
        return lang.Offer(kind=kind, text=text, change=tuple(change), loc=self.loc(node))

    def example(self, node: Node, base: Path) -> lang.Example | None:
        self.rule_id = ""
        m = self.mapping(
            node, "an example", required=("name", "outcome"), optional=_EXAMPLE_KEYS[1:]
        )
        if m is None:
            return None
        before = len(self.problems)
        name = self.text(m["name"][1], "example name") if "name" in m else None
        outcome = self.outcome(m["outcome"][1], "example outcome") if "outcome" in m else None
        rule = self.text(m["rule"][1], "example rule") if "rule" in m else ""
        now = ""
        if "now" in m:
            now_node = self.scalar(m["now"][1], "example now")
            if now_node is not None:
                now = str(now_node.value)
                if not _aware_datetime(now):
                    self.problem(
                        "wrong-type",
                        f"example now `{now}` is not a date-time with a time zone",
                        now_node,
                        hint='write it like "2026-11-20T15:00:00-05:00"',
                    )
        request: object = None
        if ("request" in m) == ("request_file" in m):
            self.problem(
                "missing-key" if "request" not in m else "wrong-type",
                "an example needs exactly one of 'request' or 'request_file'",
                node,
            )
        elif "request" in m:
            if not isinstance(m["request"][1], MappingNode):
                self.problem("wrong-type", "example request must be a mapping", m["request"][1])
            else:
                request = self.plain(m["request"][1], "request")[1]
        else:
            request = self.request_file(m["request_file"][1], base)
        if len(self.problems) != before or name is None or outcome is None or rule is None:
            return None
        if not isinstance(request, dict):
            return None
        return lang.Example(
            name=name, request=request, outcome=outcome, rule=rule, now=now, loc=self.loc(node)
        )

    def request_file(self, node: Node, base: Path) -> object:
        rel = self.text(node, "request_file")
        if rel is None:
            return None
        outside = self.problem_outside(rel, node)
        if outside:
            return None
        target = base / rel
        try:
            resolved = target.resolve(strict=True)
            inside = resolved.is_relative_to(base.resolve()) and resolved.is_file()
        except (OSError, RuntimeError):
            inside = False
        if not inside:  # a symlink out of the pack, a folder, or nothing at all
            self.problem(
                "missing-file",
                f"request_file '{rel}' is not a file inside the pack",
                node,
                hint="put example requests in the pack's examples/ folder",
            )
            return None
        if resolved.stat().st_size > MAX_FILE_BYTES:
            self.problem("file-too-large", f"request_file '{rel}' is over 1 MiB", node)
            return None
        try:
            data = json.loads(resolved.read_text(encoding="utf-8"))
        except RecursionError:
            self.problem(
                "nesting-too-deep",
                f"request_file '{rel}' nests lists and objects too deeply to read",
                node,
                hint="a request never needs more than a few levels",
            )
            return None
        except (ValueError, OSError) as exc:
            self.problem("wrong-type", f"request_file '{rel}' is not valid JSON: {exc}", node)
            return None
        if not isinstance(data, dict):
            self.problem("wrong-type", f"request_file '{rel}' must hold a JSON object", node)
            return None
        return data

    def problem_outside(self, rel: str, node: Node) -> bool:
        """Reports (and says so) a request_file path that leaves the pack by its spelling."""
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            self.problem(
                "missing-file",
                f"request_file '{rel}' points outside the pack",
                node,
                hint="name a file inside the pack, like examples/late_refund.json",
            )
            return True
        return False


# --------------------------------------------------------------------------- checks


def _has_refused(node: Node) -> bool:
    """Whether a node holds a stand-in for something the YAML reader refused (reported)."""
    if isinstance(node, _AliasNode):
        return True
    if isinstance(node, SequenceNode):
        return any(_has_refused(n) for n in node.value)
    if isinstance(node, MappingNode):
        return any(_has_refused(k) or _has_refused(v) for k, v in node.value)
    return False


def _valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _valid_locale(name: str) -> bool:
    try:
        babel.Locale.parse(name)
    except (ValueError, TypeError, LookupError, babel.UnknownLocaleError):
        return False
    return True


def _valid_currency(code: str) -> bool:
    return code in _currencies()


@functools.cache
def _currencies() -> frozenset[str]:
    return frozenset(babel.numbers.list_currencies())


@functools.cache
def _calendars() -> dict[str, list[str]]:
    """Country code -> subdivision codes, for the countries ``holidays`` has calendars for."""
    found: dict[str, list[str]] = holidays.list_supported_countries()
    return found


def _valid_country(code: str) -> bool:
    return len(code) == 2 and code.isupper() and code in _calendars()


def _subdivisions(country: str) -> list[str]:
    return list(_calendars().get(country, []))


def _valid_subdivision(country: str, subdivision: str) -> bool:
    return subdivision in _subdivisions(country)


def _aware_datetime(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None


# --------------------------------------------------------------------------- entry point


def _bundled_pack() -> Path:
    """The installed ``policylib.rules`` package, or ``rules/`` of a source checkout."""
    candidates: list[Path] = []
    try:
        found = importlib.resources.files("policylib.rules")
        if isinstance(found, Path):
            candidates.append(found)
        spec = importlib.util.find_spec("policylib.rules")
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(Path(p) for p in spec.submodule_search_locations)
    except (ModuleNotFoundError, TypeError):
        pass
    for candidate in candidates:
        if (candidate / "policy.yaml").is_file():
            return candidate
    return Path(__file__).resolve().parent.parent / "rules"


def _derivations() -> Mapping[str, Any]:
    """``policylib.facts.DERIVATIONS``, looked up at load time (tests substitute their own)."""
    module = importlib.import_module("policylib.facts")
    found: Mapping[str, Any] = module.DERIVATIONS
    return found


def _settings() -> Mapping[str, Any]:
    """``policylib.facts.SETTINGS``: the settings derivations read, with their ranges."""
    module = importlib.import_module("policylib.facts")
    found: Mapping[str, Any] = module.SETTINGS
    return found


def load_pack(path: str | os.PathLike[str] | None = None) -> lang.Pack:
    """Load and check a rule pack.

    Args:
        path: a pack directory (``policy.yaml``, ``facts.yaml``, area ``*.yaml`` files and
            ``*.ftl`` messages), a single YAML file holding all of it (keys ``store``,
            ``default``, ``settings``, ``sections``, ``facts``, ``section``, ``rules``,
            ``examples``), or None for the bundled pack.

    Returns:
        The validated pack, rules in load order (files alphabetically, rules top to bottom).

    Raises:
        RuleError: listing every problem found in every file (``file:line:col``, rule id,
            what to do), with stable kebab-case codes.
    """
    root = _bundled_pack() if path is None else Path(path)
    shown = str(root) if path is None else os.fspath(path)
    builder = _Builder(root)
    pack: lang.Pack | None = None
    # A big pack is hundreds of thousands of small acyclic objects: the cyclic garbage
    # collector would rescan them over and over (loading time grew quadratically), and
    # there is no cycle for it to find, so it is paused while the pack is built.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if root.is_dir():
            pack = _load_dir(builder, root)
        elif root.is_file():
            pack = _load_single(builder, root)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not root.is_dir() and not root.is_file():
        builder.problem(
            "missing-file",
            f"there is no rule pack at {shown}",
            None,
            hint="pass a pack directory or a single pack YAML file",
        )
    if builder.problems or pack is None:
        problems = builder.sorted_problems()
        raise RuleError(f"{len(problems)} problem(s) in rule pack {shown}", problems)
    return pack


_Parts = dict[str, tuple[ScalarNode, Node]]


def _load_dir(b: _Builder, root: Path) -> lang.Pack | None:
    names = sorted(p.name for p in root.iterdir() if p.is_file())
    yaml_files = [n for n in names if n.endswith(".yaml")]
    ftl_files = [n for n in names if n.endswith(".ftl")]
    parts: dict[str, _Parts | None] = {}
    for special in ("facts.yaml", "policy.yaml"):
        if special not in yaml_files:
            b.problem(
                "missing-file",
                f"the pack has no {special}",
                None,
                hint=f"every pack directory needs exactly one {special}",
                rule_id="",
            )
    for name in yaml_files:
        node = b.compose(root / name, name)
        if name == "policy.yaml":
            parts[name] = b.mapping(
                node, name, required=("store", "default", "sections"), optional=("settings",)
            )
        elif name == "facts.yaml":
            parts[name] = b.mapping(node, name, required=_FACTS_KEYS)
        else:
            parts[name] = b.mapping(node, name, required=("section",), optional=_AREA_KEYS[1:])
    areas = [(n, p) for n, p in parts.items() if n not in ("policy.yaml", "facts.yaml")]
    policy = ("policy.yaml", parts.get("policy.yaml"))
    facts = ("facts.yaml", parts.get("facts.yaml"))
    return _build(b, root, policy, facts, areas, ftl_files)


def _load_single(b: _Builder, path: Path) -> lang.Pack | None:
    name = path.name
    node = b.compose(path, name)
    m = b.mapping(
        node,
        name,
        required=("store", "default", "sections", "facts"),
        optional=("settings", "section", "rules", "examples"),
    )
    if m is None:
        return None
    return _build(b, path.parent, (name, m), (name, m), [(name, m)], [])


def _build(
    b: _Builder,
    base: Path,
    policy: tuple[str, _Parts | None],
    facts_file: tuple[str, _Parts | None],
    areas: list[tuple[str, _Parts | None]],
    ftl_files: list[str],
) -> lang.Pack | None:
    """Build the pack from composed parts, each with the file it came from."""
    policy_name, policy_part = policy
    facts_name, facts_part = facts_file
    # 1. the vocabulary's names first: every pattern anywhere is checked against them
    raw_facts: dict[str, tuple[ScalarNode, Node]] = {}
    if facts_part is not None and "facts" in facts_part:
        b.file = facts_name
        raw_facts = b.fact_names(facts_part["facts"][1])
        b.have_facts = isinstance(facts_part["facts"][1], MappingNode)
    # 2. policy: store, default, settings, sections
    info: dict[str, Any] = {}
    sections: dict[str, lang.Section] = {}
    if policy_part is not None:
        b.file, b.rule_id = policy_name, ""
        if "sections" in policy_part:
            sections = b.sections(policy_part["sections"][1])
            b.have_sections = True
        info = b.policy(policy_part)
    # 3. fact definitions
    facts: dict[str, lang.FactDef] = {}
    if raw_facts:
        b.file = facts_name
        derivations = _derivations()
        for name, (_, node) in raw_facts.items():
            fact = b.fact(name, node, derivations)
            if fact is not None:
                facts[name] = fact
    # 4. area files: rules and examples
    rules: list[lang.Rule] = []
    examples: list[lang.Example] = []
    example_rules: list[tuple[str, Node, str]] = []
    order = 0
    for file, part in areas:
        b.file, b.rule_id = file, ""
        if part is None:
            continue
        section = ""
        if "section" in part:
            section = b.text(part["section"][1], "section") or ""
            if section and b.check_section(section, part["section"][1]):
                old = sections.get(section)
                if old is not None and not old.file:
                    sections[section] = replace(old, file=file)
        rule_nodes = b.sequence(part["rules"][1], "rules") if "rules" in part else None
        for node in rule_nodes or []:
            rule = b.rule(node, section, order)
            order += 1
            if rule is not None:
                rules.append(rule)
        b.rule_id = ""
        example_nodes = b.sequence(part["examples"][1], "examples") if "examples" in part else None
        for node in example_nodes or []:
            example = b.example(node, base)
            if example is not None:
                examples.append(example)
                if example.rule:
                    example_rules.append((example.rule, node, file))
    # 5. shared Fluent messages
    messages: dict[str, lang.Message] = {}
    for name in ftl_files:
        b.ftl(base / name, name, messages)
    # 6. cross checks
    b.rule_id = ""
    for rid, node, file in example_rules:
        if rid not in b.rule_locs:
            b.file = file
            where = node
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == "rule":
                        where = v
            b.problem(
                "unknown-rule",
                f"example names rule '{rid}', which is not in the pack",
                where,
                hint=_suggest(rid, b.rule_locs) or "check the rule id",
            )
    # Conflicts among the rules that did build, whatever else is wrong, so that every
    # problem is reported in one go.
    found = 0
    for first, second in _find_conflicts(rules, facts):
        found += 1
        b.problem(
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
        b.problem(
            "precedence-conflict",
            f"stopped after {MAX_CONFLICTS} precedence conflicts",
            None,
            hint="fix these and load the pack again",
            rule_id="",
        )
    if b.problems:
        return None
    default_outcome = info.get("default_outcome")
    default_text = info.get("default_text")
    store = info.get("store")
    if store is None or default_outcome is None or default_text is None:  # pragma: no cover
        return None
    return lang.Pack(
        store=store,
        facts=facts,
        rules=tuple(rules),
        default_outcome=default_outcome,
        default_text=default_text,
        sections=sections,
        messages=messages,
        examples=tuple(examples),
        settings=info.get("settings", {}),
        source=str(b.root),
    )
