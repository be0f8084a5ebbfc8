"""An area file's ``examples:``: worked examples, each a request and the answer it gets.

::

    examples:
      - name: unused lamp returned on day 20
        rule: RET-001                  # the rule that decides it (optional)
        outcome: granted
        now: "2026-11-20T15:00:00-05:00"   # optional: when it is asked
        request: {...}                 # or request_file: examples/x.json
        offers: [exchange]             # optional: offer kinds among the alternatives;
                                       #   [] when it offers nothing
        question: was_opened           # optional: the fact asked about (needs_info only)
        says: [sorry]                  # optional: phrases the explanation contains
        never_says: [refund]           # optional: phrases it must not contain

A request file is a JSON object in a file inside the pack (never over ``MAX_FILE_BYTES``).
That each named rule, fact and offer kind exists is checked once every area file is read
(``check_example``); whether the request is one the vocabulary takes is found when the
example runs (``policylib.authoring.examples``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from policylib.lang.nodes import NOWHERE, Example, FactDef, Loc, Outcome
from policylib.load.files import MAX_FILE_BYTES
from policylib.load.problems import suggest
from policylib.load.reader import Doc, Entries
from policylib.load.store import read_outcome
from policylib.load.strict_yaml import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "ExampleSpots",
    "check_example",
    "example_spots",
    "read_example",
    "read_examples",
    "read_request_file",
]

_EXAMPLE_KEYS = (
    "name",
    "request",
    "request_file",
    "outcome",
    "rule",
    "now",
    "offers",
    "question",
    "says",
    "never_says",
)


def read_examples(doc: Doc, node: Node, base: Path) -> list[tuple[Example, Node]]:
    """The examples that could be read, each with its node (to place a wrong rule name);
    ``base`` is the pack's folder, which request files are inside."""
    out: list[tuple[Example, Node]] = []
    for item in doc.sequence(node, "examples") or []:
        example = read_example(doc, item, base)
        if example is not None:
            out.append((example, item))
    return out


def read_example(doc: Doc, node: Node, base: Path) -> Example | None:
    m = doc.mapping(node, "an example", required=("name", "outcome"), optional=_EXAMPLE_KEYS[1:])
    if m is None:
        return None
    before = len(doc.problems)
    name = doc.text(m["name"][1], "example name") if "name" in m else None
    outcome = read_outcome(doc, m["outcome"][1], "example outcome") if "outcome" in m else None
    rule = doc.optional(m, "rule", doc.text, "", "example rule")
    now = ""
    if "now" in m:
        now_node = doc.scalar(m["now"][1], "example now")
        if now_node is not None:
            now = str(now_node.value)
            if not _aware_datetime(now):
                doc.problem(
                    "wrong-type",
                    f"example now `{now}` is not a date-time with a time zone",
                    now_node,
                    hint='write it like "2026-11-20T15:00:00-05:00"',
                )
    request: object = None
    if ("request" in m) == ("request_file" in m):
        doc.problem(
            "missing-key" if "request" not in m else "wrong-type",
            "an example needs exactly one of 'request' or 'request_file'",
            node,
        )
    elif "request" in m:
        if not isinstance(m["request"][1], MappingNode):
            doc.problem("wrong-type", "example request must be a mapping", m["request"][1])
        else:
            request = doc.plain(m["request"][1], "request")[1]
    else:
        request = read_request_file(doc, m["request_file"][1], base)
    offers = _phrases(doc, m, "offers", "example offers") if "offers" in m else None
    question = doc.optional(m, "question", doc.text, "", "example question")
    says = _phrases(doc, m, "says", "example says")
    never_says = _phrases(doc, m, "never_says", "example never_says")
    if outcome is not None:
        _check_expectations(doc, m, outcome, offers, question, says, never_says)
    if len(doc.problems) != before or name is None or outcome is None or rule is None:
        return None
    if not isinstance(request, dict) or question is None:
        return None
    return Example(
        name=name,
        request=request,
        outcome=Outcome(outcome),
        rule=rule,
        now=now,
        loc=doc.loc(node),
        offers=offers,
        question=question,
        says=says,
        never_says=never_says,
    )


def _phrases(doc: Doc, m: Entries, key: str, what: str) -> tuple[str, ...]:
    """A list of texts under ``key`` (a single text is a list of one); () when absent."""
    if key not in m:
        return ()
    node = m[key][1]
    if isinstance(node, ScalarNode) and node.value:
        one = doc.text(node, what)
        return () if one is None else (one,)
    items = doc.sequence(node, what, hint=f"write a list, like {key}: [...]") or []
    found = (doc.text(item, f"{what}[{i}]") for i, item in enumerate(items))
    return tuple(text for text in found if text is not None)


def _check_expectations(
    doc: Doc,
    m: Entries,
    outcome: Outcome,
    offers: tuple[str, ...] | None,
    question: str | None,
    says: tuple[str, ...],
    never_says: tuple[str, ...],
) -> None:
    """Expectations that contradict the example's own outcome can never pass."""
    if question and outcome is not Outcome.NEEDS_INFO:
        doc.problem(
            "not-allowed",
            f"an example that asks about '{question}' must have outcome needs_info, "
            f"not {outcome.value}",
            m["question"][1],
            hint="a decision asks a question only when it needs information",
        )
    if offers and outcome is Outcome.NEEDS_INFO:
        doc.problem(
            "not-allowed",
            "an example with outcome needs_info offers nothing: the question comes first",
            m["offers"][1],
            hint="remove offers, or state the outcome once the question is answered",
        )
    if offers == () and outcome is Outcome.DENIED:
        doc.problem(
            "not-allowed",
            "a denied example always offers something (an alternative or a review)",
            m["offers"][1],
            hint="name the offer kinds it gets, like offers: [...]",
        )
    lowered = {phrase.lower() for phrase in says}
    for i, phrase in enumerate(never_says):
        if phrase.lower() in lowered:
            items = m["never_says"][1]
            spot = items.value[i] if isinstance(items, SequenceNode) else items
            doc.problem(
                "not-allowed",
                f"the example both says and never says '{phrase}'",
                spot,
                hint="keep it in one of says or never_says",
            )


@dataclass(frozen=True, slots=True)
class ExampleSpots:
    """Where an example names what the pack must have: its rule, question and offers."""

    rule: Loc = NOWHERE
    question: Loc = NOWHERE
    offers: tuple[Loc, ...] = ()


def example_spots(doc: Doc, node: Node) -> ExampleSpots:
    """The places ``check_example`` reports at (kept, where the YAML nodes are not)."""
    offers_node = _value_of(node, "offers")
    offers = (
        tuple(doc.loc(item) for item in offers_node.value)
        if isinstance(offers_node, SequenceNode)
        else ()
        if offers_node is None
        else (doc.loc(offers_node),)
    )
    rule, question = _value_of(node, "rule"), _value_of(node, "question")
    return ExampleSpots(
        rule=doc.loc(rule if rule is not None else node),
        question=doc.loc(question if question is not None else node),
        offers=offers,
    )


def check_example(
    doc: Doc,
    example: Example,
    spots: ExampleSpots,
    *,
    rules: Collection[str],
    facts: Mapping[str, FactDef] | None,
    offer_kinds: Collection[str] | None,
) -> None:
    """Report what an example names that the pack lacks: a rule, a fact to ask about (one
    with a question), an offer kind. ``facts`` and ``offer_kinds`` are None when their file
    could not be read (reported there)."""
    if example.rule and example.rule not in rules:
        doc.problem(
            "unknown-rule",
            f"example names rule '{example.rule}', which is not in the pack",
            spots.rule,
            hint=suggest(example.rule, rules) or "check the rule id",
            rule_id="",
        )
    if example.question and facts is not None:
        fact = facts.get(example.question)
        if fact is None:
            doc.problem(
                "unknown-fact",
                f"example asks about '{example.question}', which is not a declared fact",
                spots.question,
                hint=suggest(example.question, facts) or "name a fact from facts.yaml",
                rule_id="",
            )
        elif fact.question is None:
            doc.problem(
                "unknown-fact",
                f"example asks about '{example.question}', a fact with no question: a "
                "customer is never asked about it",
                spots.question,
                hint="name a fact with a question (known_by: customer)",
                rule_id="",
            )
    if example.offers and offer_kinds is not None:
        for i, kind in enumerate(example.offers):
            if kind not in offer_kinds:
                doc.problem(
                    "unknown-kind",
                    f"example offers '{kind}', which is not an offer kind of the pack",
                    spots.offers[i] if i < len(spots.offers) else spots.rule,
                    hint=suggest(kind, offer_kinds) or "declare it under alternatives.kinds",
                    rule_id="",
                )


def _value_of(node: Node, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key and isinstance(v, Node):
                return v
    return None


def read_request_file(doc: Doc, node: Node, base: Path) -> object:
    """The JSON object in the file ``node`` names, inside ``base``; None (reported) when
    there is none."""
    rel = doc.text(node, "request_file")
    if rel is None:
        return None
    if ".." in Path(rel).parts or Path(rel).is_absolute():
        doc.problem(
            "missing-file",
            f"request_file '{rel}' points outside the pack",
            node,
            hint="name a file inside the pack, like examples/late_refund.json",
        )
        return None
    try:
        resolved = (base / rel).resolve(strict=True)
        inside = resolved.is_relative_to(base.resolve()) and resolved.is_file()
    except (OSError, RuntimeError):
        inside = False
    if not inside:  # a symlink out of the pack, a folder, or nothing at all
        doc.problem(
            "missing-file",
            f"request_file '{rel}' is not a file inside the pack",
            node,
            hint="put example requests in the pack's examples/ folder",
        )
        return None
    if resolved.stat().st_size > MAX_FILE_BYTES:
        doc.problem("file-too-large", f"request_file '{rel}' is over 1 MiB", node)
        return None
    try:
        data = json.loads(resolved.read_text(encoding="utf-8"))
    except RecursionError:
        doc.problem(
            "nesting-too-deep",
            f"request_file '{rel}' nests lists and objects too deeply to read",
            node,
            hint="a request never needs more than a few levels",
        )
        return None
    except (ValueError, OSError) as exc:
        doc.problem("wrong-type", f"request_file '{rel}' is not valid JSON: {exc}", node)
        return None
    if not isinstance(data, dict):
        doc.problem("wrong-type", f"request_file '{rel}' must hold a JSON object", node)
        return None
    return data


def _aware_datetime(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None
