"""The tool definition a chatbot's model is given: what the tool decides, and its schema.

``tool_spec`` writes one tool definition per provider from the pack alone: a description
for the model (what the tool decides, for which store, the request kinds and the rules
across fields that a JSON Schema cannot say) and the pack's request schema as the
parameters, a description on every field and every enum value.

OpenAI's strict mode accepts a subset of JSON Schema: every property listed in
``required``, ``additionalProperties: false`` on every object, no ``default``, no
``minLength``/``maxLength``, no ``$ref`` beside other keywords. ``strict_schema`` rewrites
the request schema into that subset faithfully: a property the request may leave out is
required but may be ``null`` (``call_tool`` reads a null as "not said"), a default is said
in the property's description ("Null means "standard"."), length limits are said in words
(the validator still enforces them), a ``$ref`` with a description is inlined, titles are
dropped. Anthropic and the provider-free ``json`` form get the request schema unchanged.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from policylib.errors import PolicyError
from policylib.lang.nodes import Kind, Pack

__all__ = ["DEFAULT_TOOL_NAME", "Provider", "strict_schema", "tool_description", "tool_spec"]

Provider = Literal["openai", "anthropic", "json"]

DEFAULT_TOOL_NAME = "check_store_policy"
"""The tool's name unless the application gives another."""

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what both providers accept as a tool name

# String formats OpenAI's strict mode knows; any other is said in words.
_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)
_MISSING = object()


def tool_spec(
    pack: Pack,
    schema: Mapping[str, Any],
    provider: Provider = "openai",
    *,
    name: str = DEFAULT_TOOL_NAME,
) -> dict[str, Any]:
    """A ready tool definition for one provider.

    Args:
        pack: the policy's pack (its store, kinds and checks write the description).
        schema: the pack's request schema (``policy.request_schema()``).
        provider: ``"openai"`` (a Chat Completions function tool, strict), ``"anthropic"``
            (a Messages API tool) or ``"json"`` (name, description and parameters).
        name: the tool's name (letters, digits, ``_`` and ``-``, at most 64).

    Raises:
        PolicyError: an unknown provider or a name the providers refuse.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise PolicyError(f"a tool name is 1 to 64 letters, digits, '_' or '-'; got {name!r}"[:200])
    description = tool_description(pack)
    if provider == "openai":
        return {
            "type": "function",
            "function": {
                "name": name,
                "description": description,
                "parameters": strict_schema(schema),
                "strict": True,
            },
        }
    if provider == "anthropic":
        return {"name": name, "description": description, "input_schema": copy.deepcopy(schema)}
    if provider == "json":
        return {"name": name, "description": description, "parameters": copy.deepcopy(schema)}
    raise PolicyError(f"unknown provider {provider!r}; use 'openai', 'anthropic' or 'json'")


# --------------------------------------------------------------------------- description


def tool_description(pack: Pack) -> str:
    """What the model reads about the tool: what it decides and how to fill in a request.

    Everything store-specific comes from the pack: its name, zone and currency, each
    request kind with its description and what it may be about, and its checks.
    """
    store = pack.store
    kinds = pack.vocabulary.kinds
    lines = [
        f"Decides a customer's request under {store.name}'s customer-service policy and "
        "returns the store's answer: the outcome (granted, partial, denied, needs_info or "
        "escalate), a reply to give the customer, what the store can offer instead, or the "
        "one question to ask next. Call it for every request of these kinds, and never "
        "promise the customer more than its result says.",
        "",
        "Kinds of request (kind):",
        *(f"- {kind.name}: {_kind_words(kind)}" for kind in kinds.values()),
        "",
        "How to fill it in:",
        "- A request is about one order (order, with every line of the order in "
        "order.items) or one subscription (subscription), never both; its kind says which.",
        "- items lists the skus, from order.items, of the lines the request is about; leave "
        "it null for the whole order.",
    ]
    one = [k.name for k in kinds.values() if k.one_item]
    if one:
        lines.append(f"- {_listed(one)} requests name exactly one item in items.")
    lines += [
        "- Date-times carry a time zone (2026-11-20T15:00:00-05:00); a bare date "
        f"(2026-11-20) is read in the store's time zone, {store.timezone}. The order's "
        "placed_at, shipped_at and delivered_at come in that order, none after "
        "requested_at; leave requested_at null to mean now.",
        f"- Money is a number or a decimal string, in {store.currency}.",
    ]
    checks = [c.message for obj in pack.vocabulary.objects.values() for c in obj.checks]
    if checks:
        lines.append(
            "- Other checks, as their errors say: " + "; ".join(map(_clause, checks)) + "."
        )
    lines += [
        "- Fill in only what the customer or the store's records say; null means not said. "
        "Never guess: when the answer depends on something missing, the outcome is "
        "needs_info with one question. Ask it, put the answer in the question's field (on "
        "the order line whose sku is the question's item) and call again.",
        "- To take an offer, call again with its changes applied (dotted field paths; null "
        "clears a field).",
        "- An invalid_request result lists errors by field: fix them and call again.",
    ]
    return "\n".join(lines)


def _kind_words(kind: Kind) -> str:
    about = [s for s in kind.subjects if s != "none"]
    words = _clause(kind.description) if kind.description else kind.name
    subject = " or ".join(_a(s) for s in about) if about else "nothing bought yet"
    if "none" in kind.subjects and about:
        subject += ", or nothing bought yet"
    extra = [f"about {subject}"]
    if kind.one_item:
        extra.append("one item only")
    elif kind.per_item:
        extra.append("each item decided on its own")
    return f"{words} ({'; '.join(extra)})."


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clause(text: str) -> str:
    return text.strip().rstrip(".")


# --------------------------------------------------------------------------- strict schema


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The request schema in the subset OpenAI's strict mode accepts (see the module).

    Every request the original schema allows is allowed here once each left-out property
    is given as null, and every instance allowed here, its nulls dropped, is one the
    original allows (length limits aside, which move into descriptions).
    """
    root = copy.deepcopy(dict(schema))
    defs: dict[str, Any] = root.pop("$defs", {})
    out = _strict(root, defs)
    strict_defs = {name: _strict(node, defs) for name, node in defs.items()}
    used = _refs_reached(out, strict_defs)
    if used:
        out["$defs"] = {name: strict_defs[name] for name in strict_defs if name in used}
    return out


def _strict(
    node: Mapping[str, Any], defs: Mapping[str, Any], said: list[str] | None = None
) -> dict[str, Any]:
    """One schema node in strict form. Limits strict mode cannot hold are said in words:
    in ``said`` (the enclosing property's words) when given, else in the node's own
    description."""
    out = dict(node)
    all_of = out.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:  # older pydantic wraps a described $ref
        del out["allOf"]
        out = {**all_of[0], **out}
    ref = out.get("$ref")
    if isinstance(ref, str) and len(out) > 1:  # strict mode refuses a $ref with siblings
        target = defs[ref.removeprefix("#/$defs/")]
        del out["$ref"]
        out = {**target, **out}
    out.pop("title", None)
    words: list[str] = [] if said is None else said
    default = out.pop("default", _MISSING)
    if default is not _MISSING and default is not None:
        words.append(f"Null means {json.dumps(default)}.")
    minimum = out.pop("minLength", None)
    if minimum:
        words.append("Not empty." if minimum == 1 else f"At least {minimum} characters.")
    maximum = out.pop("maxLength", None)
    if maximum is not None:
        words.append(f"At most {maximum} characters.")
    if "format" in out and out["format"] not in _FORMATS:
        words.append(f"Format: {out.pop('format')}.")
    if isinstance(out.get("anyOf"), list):
        out["anyOf"] = [_strict(option, defs, words) for option in out["anyOf"]]
    if isinstance(out.get("items"), Mapping):
        out["items"] = _strict(out["items"], defs)
    properties = out.get("properties")
    if out.get("type") == "object" or isinstance(properties, Mapping):
        properties = properties if isinstance(properties, Mapping) else {}
        required = set(out.get("required", ()))
        out["properties"] = {
            key: _strict(prop, defs) if key in required else _nullable(_strict(prop, defs))
            for key, prop in properties.items()
        }
        out["required"] = list(properties)
        out["additionalProperties"] = False
    if words and said is None:
        text = out.get("description", "")
        out["description"] = f"{text} {' '.join(dict.fromkeys(words))}".strip()
    return out


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """A property that may be left out, as strict mode says it: required, but may be null."""
    options = node.get("anyOf")
    if isinstance(options, list):
        if not any(option.get("type") == "null" for option in options):
            options.append({"type": "null"})
        return node
    if node.get("type") == "null":
        return node
    outer: dict[str, Any] = {}
    if "description" in node:
        outer["description"] = node.pop("description")
    return {"anyOf": [node, {"type": "null"}], **outer}


def _refs_reached(node: Any, defs: Mapping[str, Any]) -> set[str]:
    """The definitions a schema uses, directly or through other definitions."""
    found: set[str] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, Mapping):
            ref = current.get("$ref")
            if isinstance(ref, str):
                name = ref.removeprefix("#/$defs/")
                if name not in found and name in defs:
                    found.add(name)
                    todo.append(defs[name])
            todo.extend(v for k, v in current.items() if k != "$ref")
        elif isinstance(current, list):
            todo.extend(current)
    return found
