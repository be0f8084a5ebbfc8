"""A pack in two languages: translations in ``locales/<language>/*.ftl``, checked at load,
and the locale chosen per request (``customer.language``) or per call (``locale=``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

import policylib
from policylib.cli import cli
from policylib.errors import PolicyError, RuleError
from policylib.load import load_pack
from tests import ROOT

EXAMPLES = ROOT / "rules" / "examples"


def _example(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text())
    data.update(changes)
    return data


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """The bundled pack, Spanish included, in a folder a test may change."""
    target = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", target)
    return target


def _codes(error: pytest.ExceptionInfo[RuleError]) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in error.value.problems]


def _drop_entry(file: Path, message_id: str) -> None:
    """Remove one message (its line and its indented lines) from a catalog."""
    lines = file.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{message_id} ="))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    file.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


# --------------------------------------------------------------------------- loading


def test_the_bundled_pack_answers_in_english_and_us_spanish(
    bundled_policy: policylib.Policy,
) -> None:
    assert bundled_policy.locales == ("en_US", "es_US")
    spanish = bundled_policy.pack.translations["es_US"]
    assert not spanish.fallback
    # every text of the pack has its Spanish version
    rule = bundled_policy.pack.rules[0]
    assert spanish.texts[rule.text].source != rule.text.source


def test_a_missing_translation_is_a_load_error_naming_the_message(pack_copy: Path) -> None:
    _drop_entry(pack_copy / "locales" / "es" / "hygiene.ftl", "rule-HYG-001")
    with pytest.raises(RuleError) as error:
        load_pack(pack_copy)
    problems = error.value.problems
    assert {p.code for p in problems} == {"translation-missing"}
    assert all(p.where == "locales/es/" for p in problems)
    messages = " ".join(p.message for p in problems)
    assert "'rule-HYG-001'" in messages and "hygiene.yaml" in messages
    assert "'rule-HYG-001.why'" in messages  # its attributes went with it


def test_a_declared_fallback_reads_the_missing_message_in_the_packs_own_words(
    pack_copy: Path,
) -> None:
    _drop_entry(pack_copy / "locales" / "es" / "hygiene.ftl", "rule-HYG-001")
    policy_yaml = pack_copy / "policy.yaml"
    text = policy_yaml.read_text(encoding="utf-8")
    policy_yaml.write_text(
        text.replace("  locale: en_US\n", "  locale: en_US\n  translations: {es: fallback}\n"),
        encoding="utf-8",
    )
    policy = policylib.load_policy(pack_copy)
    decision = policy.evaluate(_example("hygiene_opened_return"), locale="es")
    english = policy.evaluate(_example("hygiene_opened_return"))
    assert decision.context.locale == "es_US"
    assert decision.reasons[0].text == english.reasons[0].text  # the rule's English words
    assert decision.explanation != english.explanation  # the rest is Spanish


@pytest.mark.parametrize(
    ("entry", "code", "words"),
    [
        ("rule-NOPE-1 = Hola.\n", "unknown-key", "'rule-NOPE-1' is not a message"),
        (
            "rule-HYG-001 = Hola { $nope }.\n",
            "unknown-placeholder",
            "{ $nope }",
        ),
        ("section-returns = Devoluciones { $item_name }\n", "translation-not-plain", "plain"),
    ],
)
def test_a_bad_translation_is_located_in_its_catalog(
    pack_copy: Path, entry: str, code: str, words: str
) -> None:
    catalog = pack_copy / "locales" / "es" / "extra.ftl"
    catalog.write_text("# a test\n" + entry, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_pack(pack_copy)
    found = [p for p in error.value.problems if p.code == code]
    assert found, _codes(error)
    assert found[0].where.startswith("locales/es/extra.ftl:2"), found[0].where
    assert words in found[0].message


def test_a_folder_not_named_for_a_language_is_refused(pack_copy: Path) -> None:
    (pack_copy / "locales" / "spanish").mkdir()
    with pytest.raises(RuleError) as error:
        load_pack(pack_copy)
    assert ("bad-locale", "locales/spanish/") in _codes(error)


def test_translate_writes_a_catalog_that_loads_and_keeps_what_is_translated(
    pack_copy: Path,
) -> None:
    shutil.rmtree(pack_copy / "locales")
    result = CliRunner().invoke(cli, ["translate", str(pack_copy), "--locale", "de"])
    assert result.exit_code == 0, result.output
    assert "messages to translate added" in result.output
    catalog = pack_copy / "locales" / "de" / "hygiene.ftl"
    text = catalog.read_text(encoding="utf-8")
    assert "rule-HYG-001 =" in text and "    .why =" in text
    catalog.write_text(
        "# Übersetzt von Hand\n" + text.replace("Because the packaging", "Geöffnet: Because the"),
        "utf-8",
    )
    again = CliRunner().invoke(cli, ["translate", str(pack_copy), "--locale", "de"])
    assert again.exit_code == 0, again.output
    assert "0 messages to translate added" in again.output
    kept = catalog.read_text(encoding="utf-8")
    assert kept.startswith("# Übersetzt von Hand\n") and "Geöffnet: " in kept
    assert load_pack(pack_copy).translations.keys() == {"de"}  # CLDR has no de_US


def test_translate_adds_what_a_change_of_the_pack_left_untranslated(pack_copy: Path) -> None:
    spanish = pack_copy / "locales" / "es"
    before = {f.name: f.read_text(encoding="utf-8") for f in spanish.glob("*.ftl")}
    _drop_entry(spanish / "hygiene.ftl", "rule-HYG-001")
    hygiene = (spanish / "hygiene.ftl").read_text(encoding="utf-8")
    returns = spanish / "returns.ftl"
    returns.write_text(
        returns.read_text(encoding="utf-8").replace(
            "    .why = Treinta días", "    .drop = Treinta días", 1
        ),
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["translate", str(pack_copy), "--locale", "es"])
    assert result.exit_code == 0, result.output
    assert "messages to translate added" in result.output
    # the dropped message comes back (in English, to translate) at the end of its file
    text = (spanish / "hygiene.ftl").read_text(encoding="utf-8")
    assert text.startswith(hygiene.rstrip("\n")) and "rule-HYG-001 =" in text
    assert "Because the packaging of the { $item_name }" in text
    with pytest.raises(RuleError) as error:  # the renamed attribute is not the pack's
        load_pack(pack_copy)
    assert {p.code for p in error.value.problems} == {"unknown-key"}
    assert before["policy.ftl"] == (spanish / "policy.ftl").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- choosing


def test_the_customers_language_chooses_the_reply_and_an_unknown_one_gets_the_default(
    bundled_policy: policylib.Policy,
) -> None:
    for language, locale in (("es", "es_US"), ("es-MX", "es_US"), ("fr", "en_US"), ("en", "en_US")):
        data = _example("hygiene_opened_return")
        data["customer"] = {**data["customer"], "language": language}
        assert bundled_policy.evaluate(data).context.locale == locale, language


def test_a_locale_per_call_wins_and_an_unknown_one_is_refused(
    bundled_policy: policylib.Policy,
) -> None:
    data = _example("hygiene_opened_return")
    data["customer"] = {**data["customer"], "language": "es"}
    assert bundled_policy.evaluate(data, locale="en-US").context.locale == "en_US"
    with pytest.raises(PolicyError, match="no words in 'fr'"):
        bundled_policy.evaluate(data, locale="fr")
    with pytest.raises(PolicyError, match="en_US, es_US"):
        bundled_policy.publish(locale="fr")


def test_a_decision_renders_in_another_locale_by_being_decided_again(
    bundled_policy: policylib.Policy,
) -> None:
    english = bundled_policy.evaluate(_example("membership_cancel"))
    spanish = bundled_policy.evaluate(_example("membership_cancel"), locale="es")
    assert english.render(locale="es") == spanish.explanation
    assert bundled_policy.render(spanish, "agent", locale="en") == english.render("agent")
    read_back = policylib.Decision.model_validate_json(spanish.model_dump_json())
    assert bundled_policy.render(read_back) == spanish.explanation  # its own locale
    with pytest.raises(PolicyError, match="decide its request again"):
        bundled_policy.render(read_back, locale="en")


def test_the_policy_page_is_published_in_each_locale(bundled_policy: policylib.Policy) -> None:
    html = bundled_policy.publish("html", locale="es")
    assert 'lang="es-US"' in html
    assert bundled_policy.publish(locale="es") != bundled_policy.publish()


# --------------------------------------------------------------------------- whose clock


@pytest.mark.parametrize(
    ("requested_at", "english", "spanish"),
    [
        # a Pacific customer writing at 5:30 p.m. their time, after the store's cutoff
        (
            "2026-11-23T17:30:00-08:00",
            "until 6 p.m. Eastern Time on Monday, November 23 (3 p.m. your time)",
            "hora oriental",
        ),
        # a customer on the store's own clock: nothing to convert
        ("2026-11-23T18:30:00-05:00", "until 6 p.m. Eastern Time on Monday, November 23,", ""),
    ],
)
def test_a_cutoff_says_whose_clock_it_is(
    bundled_policy: policylib.Policy, requested_at: str, english: str, spanish: str
) -> None:
    data = _example("window_change_before_cutoff", requested_at=requested_at)
    decision = bundled_policy.evaluate(data)
    assert decision.outcome.value == "denied"
    assert english in decision.explanation
    assert ("your time" in decision.explanation) == ("your time" in english)
    spanish_text = " ".join(bundled_policy.evaluate(data, locale="es").explanation.split())
    spanish_text = spanish_text.replace("\u202f", " ")
    assert "6:00 p.m." in spanish_text
    assert ("3:00 p.m." in spanish_text) == bool(spanish)
    if spanish:
        assert spanish in spanish_text


def test_a_granted_change_restates_the_new_day_and_window(
    bundled_policy: policylib.Policy,
) -> None:
    decision = bundled_policy.evaluate(_example("window_change_before_cutoff"))
    assert decision.outcome.value == "granted"
    assert "Tuesday, November 24, between 8 a.m. and noon" in decision.explanation
    assert "between 8 a.m. and noon" in decision.render("chat")
    spanish = bundled_policy.evaluate(_example("window_change_before_cutoff"), locale="es")
    assert "martes, 24 de noviembre" in spanish.explanation


def test_the_command_line_answers_and_publishes_in_a_chosen_locale() -> None:
    runner = CliRunner()
    request = str(EXAMPLES / "membership_cancel.json")
    spanish = runner.invoke(cli, ["explain", request, "--locale", "es"])
    assert spanish.exit_code == 0, spanish.output
    assert "diciembre" in spanish.output
    unknown = runner.invoke(cli, ["publish", "--locale", "xx"])
    assert unknown.exit_code == 2
    assert unknown.output.strip().endswith(
        "the pack has no words in 'xx'; it answers in en_US, es_US"
    )


# --------------------------------------------------------------------------- agreement


@pytest.mark.parametrize(
    ("name", "quantity", "plural_name"),
    [("Linen blackout curtains", 1, True), ("ceramic table lamp", 3, False)],
)
def test_several_things_read_in_the_plural_in_both_languages(
    bundled_policy: policylib.Policy, name: str, quantity: int, plural_name: bool
) -> None:
    data = _example("late_refund_day_45")
    item = data["order"]["items"][0]
    item.update(name=name, quantity=quantity, plural_name=plural_name)
    english = bundled_policy.evaluate(data).reasons[0].text
    spanish = bundled_policy.evaluate(data, locale="es").reasons[0].text
    assert "arrived 45 days ago" in english and "refund them" in english
    assert " it " not in f" {english} "
    assert spanish.startswith(f"Sus {name} llegaron hace 45 días")
    data["order"]["items"][0].update(name="ceramic table lamp", quantity=1, plural_name=False)
    assert "refund it " in bundled_policy.evaluate(data).reasons[0].text
    one = bundled_policy.evaluate(data, locale="es").reasons[0].text
    assert one.startswith("Su ceramic table lamp llegó hace 45 días")


# --------------------------------------------------------------------------- the library's words

_LIBRARY = ROOT / "policylib" / "render" / "locales"
_HOUSE_CLOCK = frozenset(
    {"clock-hour", "clock-hour-minutes", "clock-am", "clock-pm", "clock-noon", "clock-midnight"}
)
"""The English catalog's house clock ("6 p.m."): a language with clock-style = cldr writes
times as CLDR does, so it has no such messages."""


def _ids(path: Path) -> set[str]:
    body = FluentParser().parse(path.read_text(encoding="utf-8")).body
    assert not [e for e in body if isinstance(e, fl.Junk)], path
    return {str(e.id.name) for e in body if isinstance(e, fl.Message)}


@pytest.mark.parametrize("name", sorted(p.name for p in (_LIBRARY / "en").glob("*.ftl")))
def test_policylibs_spanish_has_every_english_message(name: str) -> None:
    english, spanish = _ids(_LIBRARY / "en" / name), _ids(_LIBRARY / "es" / name)
    assert english - spanish <= _HOUSE_CLOCK, sorted(english - spanish)
    assert spanish <= english, sorted(spanish - english)
