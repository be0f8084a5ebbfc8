"""Tests for policylib.load.texts with policylib.lang.phrases: the ids a pack's ``*.ftl``
messages may have, and the values each may name beside the pack's facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.lang.phrases import library_ids, phrase_ids
from policylib.load import load_pack
from tests import ROOT
from tests.test_loader import area, only, problems_of, rule, sole, where, write_pack

MINI_KINDS = ("return", "exchange", "cancel")
"""The request kinds of the mini pack's vocabulary."""


def test_every_phrase_id_the_renderer_looks_up_may_be_overridden(tmp_path: Path) -> None:
    ids = phrase_ids(MINI_KINDS)
    ftl = "".join(f"{id_} = Some words.\n" for id_ in sorted(ids))
    pack = load_pack(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert set(pack.messages) == set(ids)


def test_per_kind_phrase_ids_follow_the_packs_kinds(tmp_path: Path) -> None:
    ids = phrase_ids(MINI_KINDS)
    for kind in MINI_KINDS:
        assert {f"granted-{kind}", f"offers-denied-{kind}", f"kind-{kind}"} <= set(ids)
    assert "granted-refund" not in ids
    problem = sole(write_pack(tmp_path / "pack", messages_ftl="granted-cancl = Yes.\n"))
    assert (problem.code, problem.where) == ("unknown-key", "messages.ftl:1:1")
    assert problem.message == "message id 'granted-cancl' is not one policylib looks up"
    assert problem.hint == "did you mean 'granted-cancel'?"


def test_a_phrase_id_without_a_close_one_points_to_the_list(tmp_path: Path) -> None:
    problem = sole(write_pack(tmp_path / "pack", messages_ftl="offer-supervisor-review = Hi.\n"))
    assert (problem.code, problem.where) == ("unknown-key", "messages.ftl:1:1")
    assert problem.hint == "see the phrase ids in docs/rule-language.md"


def test_the_librarys_default_phrases_all_have_ids_the_loader_accepts(tmp_path: Path) -> None:
    # a pack may override any default phrase, and a default nobody could override is dead
    english = "".join(
        f.read_text(encoding="utf-8")
        for f in sorted((ROOT / "policylib" / "render" / "locales" / "en").glob("*.ftl"))
    )
    pack = load_pack(write_pack(tmp_path / "pack", messages_ftl=english))
    assert set(library_ids()) <= set(pack.messages)


@pytest.mark.parametrize(
    ("ftl", "allowed"),
    [
        ("greeting = Hi { $customer_name }.\n", True),
        ("escalate = { $escalation_contact } will write.\n", True),
        ("escalate-return = { $escalation_contact } will write.\n", True),
        ("granted = Yes, { $customer_name }.\n", False),
        ("denied = Ask { $escalation_contact }.\n", False),
    ],
)
def test_a_phrase_names_its_own_values_beside_the_facts(
    tmp_path: Path, ftl: str, allowed: bool
) -> None:
    root = write_pack(tmp_path / "pack", messages_ftl=ftl)
    if allowed:
        load_pack(root)
        return
    problem = sole(root)
    column = ftl.index("$") + 1  # at the placeholder itself
    assert (problem.code, problem.where) == ("unknown-placeholder", f"messages.ftl:1:{column}")


def test_a_message_is_defined_once_across_ftl_files(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", a_ftl="granted = Yes.\n", b_ftl="\ngranted = Yes!\n")
    problem = only(problems_of(root), "duplicate-id")
    assert problem.where == "b.ftl:2:1"
    assert problem.message == "message 'granted' is defined twice (first at a.ftl:1:1)"


@pytest.mark.parametrize(
    ("ftl", "message"),
    [
        (
            "granted = Yes.\n    .title = Good\n",
            "message 'granted' has attributes (.title); they are not supported",
        ),
        (
            "-brand = Hearth\n    .short = H\n",
            "term '-brand' has attributes (.short); they are not supported",
        ),
    ],
)
def test_attributes_are_refused_in_pack_messages_and_terms(
    tmp_path: Path, ftl: str, message: str
) -> None:
    problem = sole(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert (problem.code, problem.where, problem.message) == (
        "template-not-allowed",
        "messages.ftl:1:1",
        message,
    )


SELECT_FTL = """\
denied =
    You had { $days_since_delivery ->
        [one] a day
       *[other] { $days_since_delivery }
    }, and { $item_opened ->
        [true] it is opened
       *[false] it is sealed
    }.
"""


def test_a_selector_on_facts_loads_and_names_its_variables(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack", messages_ftl=SELECT_FTL))
    assert pack.messages["denied"].variables == ("days_since_delivery", "item_opened")


def test_a_selector_in_a_yaml_text_loads_from_a_block_scalar(tmp_path: Path) -> None:
    text = (
        "|-\n    You have { $days_since_delivery ->\n        [one] a day\n"
        "       *[other] days\n    } left."
    )
    pack = load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text))))
    (found,) = [r for r in pack.rules if r.id == "MOR-A-001"]
    assert found.text is not None
    assert found.text.variables == ("days_since_delivery",)


def test_a_selector_without_a_default_variant_is_located_with_a_hint(tmp_path: Path) -> None:
    ftl = "denied =\n    You had { $days_since_delivery ->\n        [one] a day\n    }.\n"
    problem = sole(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert problem.code == "template-syntax"
    assert "a selector needs a default variant, marked with *" in problem.message
    assert problem.where == "messages.ftl:4:5"  # where the variants end, none marked *
    assert "*[other]" in problem.hint


def test_a_one_line_selector_in_a_text_is_named_for_what_it_is(tmp_path: Path) -> None:
    text = '"You have { $days_since_delivery -> [one] a day *[other] days } left."'
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text)))
    problem = sole(root)
    assert problem.code == "template-syntax"
    assert "each variant of a selector goes on a line of its own" in problem.message
    assert problem.where == where(root, "more.yaml", "[one]")  # the variant that must move
    assert "|-" in problem.hint


@pytest.mark.parametrize(
    ("placeable", "needle", "message", "hint"),
    [
        (
            "{ $unknown_fact ->\n        [one] a\n       *[other] b\n    }",
            "$unknown_fact",
            "names { $unknown_fact }, which is not a declared fact",
            "facts.yaml",
        ),
        (
            "{ NUMBER($item_name) }",
            "$item_name",
            "NUMBER() needs a number fact, and $item_name is a text fact",
            "integer or money",
        ),
        (
            "{ DATETIME($days_since_delivery) }",
            "$days_since_delivery",
            "DATETIME() needs a date fact, and $days_since_delivery is a integer fact",
            "date or datetime",
        ),
        (
            "{ UPPER($item_name) }",
            "UPPER(",
            "unknown function UPPER()",
            "the functions allowed are NUMBER() and DATETIME()",
        ),
        (
            "{ NUMBER($item_price, decimals: 2) }",
            "decimals",
            "NUMBER() has no option 'decimals'",
            "maximumFractionDigits",
        ),
        (
            "{ $days_since_delivery ->\n        [single] a day\n       *[other] days\n    }",
            "[single]",
            "[single] never matches a number",
            "plural category (zero, one, two, few, many, other)",
        ),
        (
            "{ NUMBER($customer_name) }",
            "$customer_name",
            "NUMBER() needs a number fact, and $customer_name is words the renderer fills in",
            "without NUMBER()",
        ),
    ],
)
def test_selectors_and_functions_are_checked_at_load(
    tmp_path: Path, placeable: str, needle: str, message: str, hint: str
) -> None:
    ftl = f"greeting =\n    Hi {placeable}.\n"
    root = write_pack(tmp_path / "pack", messages_ftl=ftl)
    problem = sole(root)
    offset = ftl.index(needle)
    line = ftl.count("\n", 0, offset) + 1
    column = offset - (ftl.rfind("\n", 0, offset) + 1) + 1
    assert problem.where == f"messages.ftl:{line}:{column}"
    assert message in problem.message
    assert hint in problem.hint


def test_number_and_datetime_on_facts_of_their_type_load(tmp_path: Path) -> None:
    ftl = (
        "denied = { NUMBER($item_price, minimumFractionDigits: 2) } by "
        '{ DATETIME($new_date, dateStyle: "long") }.\n'
    )
    pack = load_pack(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert pack.messages["denied"].variables == ("item_price", "new_date")


def test_a_term_defined_in_an_ftl_file_may_be_named_by_any_text(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack",
        messages_ftl="-brand = Hearth & Home\ndenied = { -brand } can't do this.\n",
        more=area(rule("MOR-A-001", text='"{ -brand } says no."')),
    )
    pack = load_pack(root)
    assert pack.messages["-brand"].source == "Hearth & Home"


def test_a_term_no_ftl_file_defines_is_located_with_a_suggestion(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack",
        messages_ftl="-brand = Hearth & Home\n",
        more=area(rule("MOR-A-001", text='"{ -brnd } says no."')),
    )
    problem = sole(root)
    assert problem.code == "unknown-term"
    assert problem.message == ("text names the term -brnd, which no .ftl file of the pack defines")
    assert problem.where == where(root, "more.yaml", "-brnd")
    assert problem.hint == "did you mean 'brand'?"


def test_a_term_cannot_name_a_fact(tmp_path: Path) -> None:
    problem = sole(write_pack(tmp_path / "pack", messages_ftl="-brand = { $item_name }\n"))
    assert (problem.code, problem.where) == ("template-not-allowed", "messages.ftl:1:12")
    assert problem.message == "term '-brand' names { $item_name }, but a term holds fixed words"
