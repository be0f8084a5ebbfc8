"""Grammar in what customers read: items agree in number with what is said about them, no
word is written twice in a row, and a selector on a number follows the locale's plural
rules while the number still reads the way the renderer formats it."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import policylib
from policylib.lang.nodes import Example, Message
from policylib.load import load_pack
from policylib.render.texts import TextRenderer
from tests import ROOT
from tests.test_loader import write_pack

VOLTAIC_DIR = ROOT / "examples" / "packs" / "voltaic"
POLICIES = {
    "hearth": policylib.Policy(load_pack()),
    "voltaic": policylib.Policy(load_pack(VOLTAIC_DIR)),
}
AUDIENCES = ("customer", "chat", "agent")

DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
"""A word written twice in a row ("membership membership"), across a line break too."""

# --------------------------------------------------------------------------- agreement


def _return(item: dict[str, Any], *, condition: str | None = "opened") -> dict[str, Any]:
    """A change-of-mind return of one bath item, delivered five days before it is asked."""
    line = {"sku": "BTH-1", "category": "bath", "tags": ["hygiene"], "price": "30.00", **item}
    if condition is not None:
        line["condition"] = condition
    return {
        "kind": "return",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "customer": {"name": "Beth Carver"},
        "order": {
            "id": "HH-1",
            "placed_at": "2026-11-08T09:00:00-05:00",
            "status": "delivered",
            "delivered_at": "2026-11-15T11:20:00-05:00",
            "items": [line],
        },
        "reason": "changed_mind",
    }


TOWELS = {"name": "Waffle-weave bath towels", "plural_name": True}
THREE_SEATS = {"name": "soft-close toilet seat", "quantity": 3}
ONE_SEAT = {"name": "soft-close toilet seat"}


@pytest.mark.parametrize("item", [TOWELS, THREE_SEATS], ids=["plural name", "quantity 3"])
def test_several_items_are_them_in_the_denial(item: dict[str, Any]) -> None:
    text = POLICIES["hearth"].evaluate(_return(item)).explanation
    assert "we can't take them back" in text, text
    assert "take it back" not in text


@pytest.mark.parametrize("item", [TOWELS, THREE_SEATS], ids=["plural name", "quantity 3"])
def test_several_items_are_their_in_the_question(item: dict[str, Any]) -> None:
    decision = POLICIES["hearth"].evaluate(_return(item, condition=None))
    (question,) = decision.questions
    assert question.text == f"Have you taken the {item['name']} out of their sealed packaging?"


def test_one_item_is_still_it() -> None:
    policy = POLICIES["hearth"]
    assert "we can't take it back" in policy.evaluate(_return(ONE_SEAT)).explanation
    (question,) = policy.evaluate(_return(ONE_SEAT, condition=None)).questions
    assert question.text.endswith("out of its sealed packaging?")


def test_the_second_packs_headphones_are_them() -> None:
    policy = POLICIES["voltaic"]
    (example,) = [
        e for e in policy.pack.examples if e.name.startswith("damaged headphones sent back")
    ]
    text = policy.evaluate(example.request).explanation
    assert "needs to see them before" in text, text


# --------------------------------------------------------------------------- doubled words


def test_membership_cancellation_names_the_plan_once() -> None:
    # regression: a plan named "Hearth Plus membership" read "membership membership"
    request = {
        "kind": "cancel",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "customer": {"name": "Diane Fletcher", "tier": "plus"},
        "subscription": {
            "id": "SUB-1",
            "type": "membership",
            "plan": "Hearth Plus membership",
            "started_at": "2026-03-05T10:00:00-05:00",
            "billing_period": "monthly",
            "price": "9.99",
        },
    }
    text = POLICIES["hearth"].evaluate(request).explanation
    assert "Your membership is cancelled" in text
    assert not DOUBLED.search(text), text


def _worked_examples() -> list[tuple[str, Example]]:
    return [
        (name, example) for name, policy in POLICIES.items() for example in policy.pack.examples
    ]


@pytest.mark.parametrize(
    ("pack", "example"),
    _worked_examples(),
    ids=[f"{name}-{example.name}" for name, example in _worked_examples()],
)
def test_no_worked_example_writes_a_word_twice(pack: str, example: Example) -> None:
    policy = POLICIES[pack]
    now = datetime.fromisoformat(example.now) if example.now else None
    decision = policy.evaluate(example.request, now=now)
    for audience in AUDIENCES:
        text = decision.render(audience=audience)  # type: ignore[arg-type]
        found = DOUBLED.search(text)
        assert found is None, f"{audience}: {found.group(0)!r} in\n{text}"


GOLDENS = sorted(p for p in (ROOT / "tests" / "golden").rglob("*") if p.is_file())


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_no_golden_writes_a_word_twice(path: Path) -> None:
    found = DOUBLED.search(path.read_text(encoding="utf-8"))
    assert found is None, f"{found.group(0)!r} in {path}"


def test_the_doubled_word_check_finds_what_it_is_for() -> None:
    assert DOUBLED.search("Your Hearth Plus membership membership is cancelled")
    assert DOUBLED.search("the the\nlamp")
    assert not DOUBLED.search("the theme")  # a word, then a longer word
    assert not DOUBLED.search("a 4-4 draw")  # the hyphen joins one word


# --------------------------------------------------------------------------- selectors


def _renderer(tmp_path: Path, ftl: str = "") -> TextRenderer:
    return TextRenderer(load_pack(write_pack(tmp_path / "pack", messages_ftl=ftl)))


def _message(source: str) -> Message:
    return Message(source)


DAYS = "{ $days_since_delivery ->\n    [one] just one day\n   *[other] { $days_since_delivery }\n}"


@pytest.mark.parametrize(
    ("days", "text"), [(1, "It's been just one day."), (45, "It's been 45 days.")]
)
def test_a_selector_on_a_number_uses_the_plural_rules_and_the_renderers_words(
    tmp_path: Path, days: int, text: str
) -> None:
    renderer = _renderer(tmp_path)
    shown = renderer.format_facts({"days_since_delivery": days})
    assert renderer.fill(_message(f"It's been {DAYS}."), shown) == text


def test_number_and_datetime_format_the_value_itself(tmp_path: Path) -> None:
    renderer = _renderer(tmp_path)
    shown = renderer.format_facts(
        {"item_price": Decimal("1234.5"), "new_date": datetime(2026, 12, 1).date()}
    )
    assert shown["item_price"] == "$1,234.50"  # what { $item_price } shows
    text = renderer.fill(
        _message(
            "{ NUMBER($item_price, minimumFractionDigits: 1) } by "
            '{ DATETIME($new_date, dateStyle: "long") }'
        ),
        shown,
    )
    assert text == "1,234.5 by December 1, 2026"


def test_a_selector_on_an_unknown_fact_takes_the_default_variant(tmp_path: Path) -> None:
    renderer = _renderer(tmp_path)
    assert renderer.fill(_message(f"It's been {DAYS}."), {}) == "It's been not known."


def test_a_term_from_the_packs_ftl_fills_texts_and_phrases(tmp_path: Path) -> None:
    renderer = _renderer(tmp_path, "-brand = Hearth & Home\nno-offers = Write to { -brand }.\n")
    assert renderer.fill(_message("Thanks for shopping at { -brand }."), {}) == (
        "Thanks for shopping at Hearth & Home."
    )
    assert renderer.book.get("no-offers") == "Write to Hearth & Home."


def test_shown_values_survive_a_copy() -> None:
    renderer = POLICIES["hearth"].texts
    shown = renderer.format_facts({"days_since_delivery": 3})
    assert copy.deepcopy(shown) == {"days_since_delivery": "3 days"}
