"""The published policy page is generated from the rules and never shows rule ids.

Every word the page uses for the store comes from the pack: request kinds from the
``kind-<kind>`` messages, offers from ``alternatives.kinds``, units from ``units:``, and
which facts only route a request from ``routing: true``.
"""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policylib import Policy, PolicyError
from policylib.lang.nodes import Alternatives, Message, OfferKind, Pack
from policylib.load import load_pack
from policylib.render.page import render_policy_page
from policylib.render.page_words import negated as negate
from policylib.render.texts import TextRenderer
from tests.conftest import Goldens
from tests.packs import SMALL_PACK

RICHER_PACK = {
    **SMALL_PACK,
    "facts.yaml": SMALL_PACK["facts.yaml"]
    + """\
  request_kind:
    type: enum
    label: what you asked for
    expr: kind
  request_subject:
    type: enum
    values: [order, subscription, none]
    label: what your request is about
    expr: >-
      "subscription" if known(subscription) else "order" if known(order) else "none"
    routing: true
  order_status:
    type: enum
    label: where your order is
    expr: order.status
  order_has_custom_item:
    type: boolean
    label: whether your order includes a made-to-order item
    expr: any(order.items, "custom_made" in each.tags)
""",
    "returns.yaml": SMALL_PACK["returns.yaml"].replace(
        "examples:\n",
        """\
  - id: RET-003
    title: Exchanges up to day 60
    kinds: [exchange]
    when:
      all:
        - request_subject: order
        - days_since_delivery: {gt: 30}
        - request_kind: exchange
        - order_has_custom_item: false
        - days_since_delivery: {lte: 60}
        - order_status: {in: [delivered, cancelled]}
    outcome: granted
    text: "We can exchange the { $item_name }."
    citation: {section: returns}
examples:
  - name: Bea's late_exchange on day 45 (demo request)
    rule: RET-003
    outcome: granted
    request_file: examples/late.json
  - name: Late lamp
    rule: RET-002
    outcome: denied
    request_file: examples/late.json
""",
    ),
}
"""The small pack plus a range on one fact, a routing fact, "what/where" labels and a
"whether" label with a verb, and example names written for authors."""

NIGHTS_PACK = {
    **SMALL_PACK,
    "policy.yaml": SMALL_PACK["policy.yaml"].replace(
        "  days: {one: day, other: days}", "  nights: {one: night, other: nights}"
    ),
    "facts.yaml": SMALL_PACK["facts.yaml"].replace(
        "    unit: days\n    label: days since your order arrived",
        "    unit: nights\n    label: nights since your stay",
    ),
}
"""The small pack counting in a unit policylib has no words for: the pack's own."""


def write_pack(root: Path, files: dict[str, str] = SMALL_PACK) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def without_comments(page: str) -> str:
    return re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return load_pack(write_pack(tmp_path_factory.mktemp("pack")))


@pytest.fixture(scope="module")
def richer_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return load_pack(write_pack(tmp_path_factory.mktemp("richer"), RICHER_PACK))


# --------------------------------------------------------------------------- small pack


def test_markdown_page_has_title_sections_anchors_and_rules(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "markdown")
    assert page.startswith("# Tess \\<&\\> Co customer service policy\n")
    assert "## Returns and refunds" in page
    assert "## Care & repairs" in page
    assert "Unused items within 30 days." in page
    assert page.count('<a id="return-window"></a>') == 1
    assert '<a id="returns"></a>' in page
    assert "### Unused items within 30 days" in page
    assert "### Late returns" in page
    assert "If your case doesn't fit, you can always ask for a care supervisor." in page


def test_rules_are_listed_by_precedence(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "markdown")
    assert page.index("### Late returns") < page.index("### Unused items within 30 days")
    # the anchor sits on the first rule that cites it, in page order
    assert page.index('<a id="return-window">') < page.index("### Late returns")


def test_conditions_read_as_plain_words(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "markdown")
    # "whether ..." facts are statements; "days since ..." reads "it has been ... since"
    assert (
        "Applies to returns and exchanges when it has been at most 30 days since your order "
        "arrived, and the item has not been used." in page
    )
    # not (reason in [...]) reads "is not ... or ..."; a nested "any" as (either ... or ...)
    assert (
        "Applies to returns when it has been more than 30 days since your order arrived, and "
        "(either the item has been used or the reason for the request is not defective or "
        "wrong item)." in page
    )


def test_bounds_merge_routing_is_skipped_and_wh_labels_read_as_sentences(
    richer_pack: Pack,
) -> None:
    page = render_policy_page(richer_pack, "markdown")
    # gt 30 and lte 60 on one fact: one range, said where the first bound was; the
    # request_subject comparison only routes the request and is left out; an enum value
    # naming an offer kind reads with the pack's words for it ("an exchange")
    assert (
        "Applies to exchanges when it has been between 31 and 60 days since your order "
        "arrived, and you asked for an exchange, and your order does not include a "
        "made-to-order item, and your order is delivered or cancelled." in page
    )
    assert "what your request is about" not in page
    assert "your request is about" not in page


def test_example_names_lose_author_notes(richer_pack: Pack) -> None:
    page = render_policy_page(richer_pack, "markdown")
    assert "Bea's late exchange on day 45: accepted." in page
    # a declined example says what the store can offer instead
    assert (
        "Late lamp: declined; we can offer store credit or a review of your case by a care "
        "supervisor instead." in page
    )


def test_placeholders_become_neutral_words(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "markdown")
    assert "{ $" not in page and "{$" not in page
    # "A { $item_name }" -> "An item" (the fact's label, merged with the article);
    # "your { $item_name }" -> "your item"
    assert "An item in new condition can be sold again, less " in page
    assert "will look at your item request personally." in page
    assert "your the item" not in page.lower()


def test_a_placeholder_of_a_constant_fact_shows_its_value(small_pack: Pack) -> None:
    assert small_pack.facts["restocking_fee_percent"].program.constant
    page = render_policy_page(small_pack, "markdown")
    assert "An item in new condition can be sold again, less 15%." in page


def test_offers_and_examples_in_plain_words(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "markdown")
    assert "Store credit or a review of your case by a care supervisor." in page
    assert "Unused lamp: accepted." in page


def test_no_rule_ids_outside_comments(small_pack: Pack) -> None:
    for fmt in ("markdown", "html"):
        page = render_policy_page(small_pack, fmt)
        visible = without_comments(page)
        assert "RET-001" not in visible and "RET-002" not in visible
        assert "<!-- rule RET-001 -->" in page  # kept for traceability


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id" and v is not None]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_a_complete_escaped_document(small_pack: Pack) -> None:
    page = render_policy_page(small_pack, "html")
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in page
    assert '<html lang="en-US">' in page
    assert "<title>Tess &lt;&amp;&gt; Co customer service policy</title>" in page
    assert "Care &amp; repairs" in page
    assert "<&>" not in page
    parser = _Collector()
    parser.feed(page)
    assert len(parser.ids) == len(set(parser.ids)), "ids must be unique"
    assert {"returns", "care", "return-window"} <= set(parser.ids)
    assert '<h3 id="return-window">' in page
    assert "Tess <&> Co customer service policy" in "".join(parser.text)
    assert page.rstrip().endswith("</html>")


def test_unknown_format_is_refused(small_pack: Pack) -> None:
    with pytest.raises(PolicyError, match="markdown"):
        render_policy_page(small_pack, "pdf")  # type: ignore[arg-type]


def test_a_given_renderer_is_used_and_the_same_page_comes_out(small_pack: Pack) -> None:
    renderer = TextRenderer(small_pack)
    for fmt in ("markdown", "html"):
        given = render_policy_page(small_pack, fmt, renderer)
        assert given == render_policy_page(small_pack, fmt)


# --------------------------------------------------------------------------- the pack's words


def _with_messages(pack: Pack, **messages: str) -> Pack:
    """The pack with some shared messages replaced (ids with dashes: pass them as a dict)."""
    merged = {**pack.messages, **{k: Message(v) for k, v in messages.items()}}
    return dataclasses.replace(pack, messages=merged)


def test_kind_words_come_from_the_packs_kind_messages(small_pack: Pack) -> None:
    pack = _with_messages(small_pack, **{"kind-exchange": "swaps", "kind-return": "send-backs"})
    page = render_policy_page(pack, "markdown")
    assert "Applies to send-backs and swaps when it has been at most 30 days" in page
    assert "Applies to send-backs when it has been more than 30 days" in page
    assert "Applies to returns" not in page


def test_a_kind_without_words_reads_as_its_name(small_pack: Pack) -> None:
    messages = {k: v for k, v in small_pack.messages.items() if not k.startswith("kind-")}
    page = render_policy_page(dataclasses.replace(small_pack, messages=messages), "markdown")
    assert "Applies to return and exchange when" in page


def test_offer_words_come_from_the_packs_offer_kinds(small_pack: Pack) -> None:
    kinds = dict(small_pack.alternatives.kinds)
    kinds["store_credit"] = OfferKind("store_credit", 1, words="a Tess gift card")
    kinds["supervisor_review"] = OfferKind("supervisor_review", 9)  # no words of its own
    alternatives: Alternatives = dataclasses.replace(small_pack.alternatives, kinds=kinds)
    page = render_policy_page(dataclasses.replace(small_pack, alternatives=alternatives))
    assert "- **What we may be able to offer:** A Tess gift card or supervisor review." in page
    assert "store credit" not in page.lower()


def test_enum_values_naming_an_offer_kind_use_its_words(richer_pack: Pack) -> None:
    kinds = dict(richer_pack.alternatives.kinds)
    kinds["exchange"] = OfferKind("exchange", 2, words="a swap for something else")
    alternatives = dataclasses.replace(richer_pack.alternatives, kinds=kinds)
    page = render_policy_page(dataclasses.replace(richer_pack, alternatives=alternatives))
    assert "and you asked for a swap for something else, and" in page


def test_unit_words_come_from_the_packs_units(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, NIGHTS_PACK))
    assert pack.units["nights"] == ("night", "nights")
    page = render_policy_page(pack, "markdown")
    # the unit's words shape the sentence: "nights since X" -> "it has been N nights since X"
    assert "when it has been at most 30 nights since your stay, and" in page
    assert "when it has been more than 30 nights since your stay, and" in page
    applies = [line for line in page.splitlines() if line.startswith("- Applies to")]
    assert applies and not any(" day" in line for line in applies), applies


def test_routing_facts_are_the_ones_marked_routing(richer_pack: Pack) -> None:
    subject = richer_pack.facts["request_subject"]
    assert subject.routing
    facts = {**richer_pack.facts, "request_subject": dataclasses.replace(subject, routing=False)}
    page = render_policy_page(dataclasses.replace(richer_pack, facts=facts), "markdown")
    # not marked: the comparison is said like any other
    assert "Applies to exchanges when your request is about order, and it has been" in page


def test_the_page_is_in_the_stores_language(small_pack: Pack) -> None:
    store = dataclasses.replace(small_pack.store, locale="en_GB")
    page = render_policy_page(dataclasses.replace(small_pack, store=store), "html")
    assert '<html lang="en-GB">' in page


# --------------------------------------------------------------------------- bundled pack


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_bundled_page_publishes_every_section_and_rule(bundled_pack: Pack, fmt: str) -> None:
    page = render_policy_page(bundled_pack, fmt)  # type: ignore[arg-type]
    visible = without_comments(page)
    shown = html.unescape(visible) if fmt == "html" else re.sub(r"\\(.)", r"\1", visible)
    for section in bundled_pack.sections.values():
        assert section.title in shown, section.title
    for rule in bundled_pack.rules:
        assert rule.id not in visible
        assert f"<!-- rule {rule.id} -->" in page
        if rule.citation.anchor:
            assert f'id="{rule.citation.anchor}"' in page
    assert "{ $" not in page and "{$" not in page
    assert not re.search(r"\b[A-Z]{2,}(-[A-Z0-9]+)*-\d{3}\b", visible)


def _shown(page: str, fmt: str) -> str:
    """The words a customer sees: no comments, no tags, no escapes."""
    visible = without_comments(page)
    if fmt == "html":
        parser = _Collector()
        parser.feed(visible)
        return " ".join("".join(parser.text).split())
    visible = re.sub(r"<a id=\"[^\"]*\"></a>", "", visible)
    return re.sub(r"\\(.)", r"\1", visible)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_bundled_page_reads_as_plain_english(bundled_pack: Pack, fmt: str) -> None:
    shown = _shown(render_policy_page(bundled_pack, fmt), fmt)  # type: ignore[arg-type]
    # "is yes" / "is no" as a fact's value (prose like "is no longer possible" is fine)
    assert not re.search(r"\bis (?:yes|no)\b(?! longer)", shown)
    for awkward in (" is is ", "(demo request)"):
        assert awkward not in shown, awkward
    assert not re.search(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", shown, flags=re.IGNORECASE)
    assert "between 31 and 60 days" in shown
    assert "your order has not shipped" in shown
    assert "your order is in production" in shown
    assert "what your request is about" not in shown  # only routes the request


def test_bundled_page_uses_the_packs_kind_offer_and_unit_words(bundled_pack: Pack) -> None:
    shown = _shown(render_policy_page(bundled_pack, "markdown"), "markdown")
    for kind in bundled_pack.vocabulary.kinds:
        words = bundled_pack.messages[f"kind-{kind}"].source
        assert f"Applies to {words}" in shown or f"and {words}" in shown, kind
    offered = {o.kind for rule in bundled_pack.rules for o in rule.offers}
    for kind in sorted(offered):
        words = bundled_pack.alternatives.kinds[kind].words
        assert words and words.lower() in shown.lower(), kind
    assert "business days" in shown or "business day" in shown or "days" in shown


def test_policy_publish_is_the_page_of_its_pack(bundled_policy: Policy) -> None:
    for fmt in ("markdown", "html"):
        page = render_policy_page(bundled_policy.pack, fmt)
        assert bundled_policy.publish(fmt) == page


@pytest.mark.parametrize(
    ("clause", "negated"),
    [
        ("your order has shipped", "your order has not shipped"),
        ("it is before 6 p.m.", "it is not before 6 p.m."),
        ("the item was made to order", "the item was not made to order"),
        ("your order includes a custom item", "your order does not include a custom item"),
        ("you asked for an exact time", "you did not ask for an exact time"),
        ("the window you asked for is ours", "the window you asked for is not ours"),
        ("the item already had one", "the item did not already have one"),
        ("over the moon", ""),
    ],
)
def test_statements_are_negated_at_their_verb(clause: str, negated: str) -> None:
    assert negate(clause) == negated


def test_bundled_markdown_page_matches_golden(golden: Goldens, bundled_policy: Policy) -> None:
    golden.check("publish/policy.md", bundled_policy.publish("markdown"))
