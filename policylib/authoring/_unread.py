"""Facts and settings a pack declares but nothing reads (``unread-fact``,
``unread-setting``).

Everything in a pack that can name a fact or a setting is looked at:

* rule conditions (``facts_read``: the facts compared, and ``$fact`` values);
* every Fluent pattern's placeholders (``Message.variables``): rule texts and whys, offer
  texts, questions, the default's text, the fallback offer's, the alternatives search's
  leads, and the shared ``*.ftl`` messages;
* every expression (``Program.facts`` and ``.settings``): facts and their defaults, the
  vocabulary's checks, and the search axes' values, ``when`` and ``skip``;
* escalation limits (``may_approve``) of the pack, its sections and its rules.

A ``$settings.name`` in a condition is read once at load and kept only as its value, so
those are found in the text of the files the rules are in (comments left out). When the
pack came from nowhere lint can read (built in memory), no setting is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from policylib.authoring._report import SEVERITY, Finding
from policylib.lang.expr import Program
from policylib.lang.nodes import Escalation, Message, Pack, facts_read

__all__ = ["unread"]

_SETTING = re.compile(r"\$settings\.([a-z][a-z0-9_]*)")
_COMMENT = re.compile(r"(^|\s)#.*$")


def unread(pack: Pack) -> Iterator[Finding]:
    """A finding for each fact and setting nothing in the pack reads."""
    facts, settings = _read(pack)
    for name, fact in pack.facts.items():
        if name not in facts:
            yield Finding(
                "unread-fact",
                SEVERITY["unread-fact"],
                f"the fact {name} ({fact.label}) is declared, but no rule tests it, no text "
                "names it and no other fact, check or search reads it",
                str(fact.loc),
                related=(name,),
                hint="remove it, or use it where it was meant to be used",
            )
    in_conditions = _condition_settings(pack)
    if in_conditions is None:
        return
    for name, setting in pack.settings.items():
        if name not in settings and name not in in_conditions:
            yield Finding(
                "unread-setting",
                SEVERITY["unread-setting"],
                f"the setting {name} is declared, but no fact, check, search or condition reads it",
                str(setting.loc),
                related=(name,),
                hint=f"remove it, or read it (settings.{name} in an expression, "
                f"$settings.{name} in a condition)",
            )


def _read(pack: Pack) -> tuple[set[str], set[str]]:
    """The facts and the settings the pack's own parts read."""
    programs: list[Program | None] = []
    messages: list[Message | None] = [pack.default_text, *pack.messages.values()]
    escalations: list[Escalation | None] = [pack.escalation]
    escalations.extend(section.escalation for section in pack.sections.values())
    facts: set[str] = set()
    for fact in pack.facts.values():
        programs.extend((fact.program, fact.default))
        messages.append(fact.question)
    for obj in pack.vocabulary.objects.values():
        programs.extend(check.program for check in obj.checks)
    alternatives = pack.alternatives
    for axis in alternatives.axes:
        programs.extend((axis.generator, axis.when, axis.skip))
        messages.extend((axis.lead, axis.lead_unasked))
    if alternatives.fallback is not None:
        messages.append(alternatives.fallback.text)
    for rule in pack.rules:
        facts.update(facts_read(rule.when))
        messages.extend((rule.text, rule.why, *(offer.text for offer in rule.offers)))
        escalations.append(rule.escalation)
    settings: set[str] = set()
    for program in programs:
        if program is not None:
            facts |= program.facts
            settings |= program.settings
    for message in messages:
        if message is not None:
            facts.update(message.variables)
    facts.update(e.may_approve for e in escalations if e is not None and e.may_approve)
    return facts, settings


def _condition_settings(pack: Pack) -> set[str] | None:
    """The settings the rule files name as ``$settings.name``; None when they cannot be
    read."""
    if not pack.source:
        return None if pack.settings else set()
    root = Path(pack.source)
    base = root if root.is_dir() else root.parent
    found: set[str] = set()
    for file in sorted({rule.loc.file for rule in pack.rules}):
        try:
            text = (base / file).read_text(encoding="utf-8")
        except OSError:
            return None
        for line in text.splitlines():
            found.update(_SETTING.findall(_COMMENT.sub("", line)))
    return found
