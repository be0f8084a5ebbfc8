"""Tests for policylib.load.texts with policylib.lang.phrases: the ids a pack's ``*.ftl``
messages may have, and the values each may name beside the pack's facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.lang.phrases import PHRASES, phrase_ids
from policylib.load import load_pack
from tests import ROOT
from tests.test_loader import area, only, problems_of, rule, sole, write_pack

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
    english = (ROOT / "policylib" / "render" / "locales" / "en.ftl").read_text(encoding="utf-8")
    pack = load_pack(write_pack(tmp_path / "pack", messages_ftl=english))
    assert set(PHRASES) <= set(pack.messages)


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
        ("-brand = Hearth\n", "terms (-brand) are not supported in pack messages"),
        (
            "granted = Yes.\n    .title = Good\n",
            "message 'granted' has attributes (.title); they are not supported",
        ),
    ],
)
def test_terms_and_attributes_are_refused_in_pack_messages(
    tmp_path: Path, ftl: str, message: str
) -> None:
    problem = sole(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert (problem.code, problem.where, problem.message) == (
        "template-not-allowed",
        "messages.ftl:1:1",
        message,
    )


def test_a_select_expression_in_a_text_is_named_for_what_it_is(tmp_path: Path) -> None:
    text = '"You have { $days_since_delivery -> [one] a day *[other] days } left."'
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text)))
    problem = sole(root)
    assert problem.code == "template-syntax"
    assert "select expressions ({ $x -> ... }) are not allowed" in problem.message
