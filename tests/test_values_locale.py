"""Every value in the pack's locale: dates, times, lists, money and percentages by Babel, in
the customer and the agent view alike (the agent view formats the trace's raw values)."""

from __future__ import annotations

import json
import shutil
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

import policylib
from policylib import Policy
from policylib.render.values import (
    as_words,
    clock_words,
    format_day,
    format_money,
    format_percent,
    join_words,
)
from tests.packs import SMALL_PACK

RULES = Path(__file__).resolve().parent.parent / "rules"
NBSP, NNBSP = "\u00a0", "\u202f"
ENGLISH_CLOCK = (" a.m.", " p.m.", "noon", "midnight", " AM", " PM")


def _store(text: str, locale: str, currency: str) -> str:
    changed = text.replace("currency: USD", f"currency: {currency}").replace(
        "locale: en_US", f"locale: {locale}"
    )
    assert changed != text
    return changed


@pytest.fixture(scope="module", params=[("fr_FR", "EUR"), ("de_DE", "EUR")], ids=str)
def rules_pack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Policy:
    """The bundled pack with another store locale and currency."""
    locale, currency = request.param
    root = tmp_path_factory.mktemp(f"rules_{locale}") / "rules"
    shutil.copytree(RULES, root)
    policy_file = root / "policy.yaml"
    policy_file.write_text(_store(policy_file.read_text(), locale, currency))
    return policylib.load_policy(root)


def _small_pack(tmp_path: Path, locale: str, currency: str) -> Policy:
    for name, text in SMALL_PACK.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_store(text, locale, currency) if name == "policy.yaml" else text)
    return policylib.load_policy(tmp_path)


def _views(policy: Policy, example: str) -> dict[str, str]:
    data = json.loads((RULES / "examples" / f"{example}.json").read_text())
    decision = policy.evaluate(data)
    return {aud: _flat(policy.render(decision, aud)) for aud in ("customer", "agent", "chat")}


def _flat(text: str) -> str:
    """A view with its spaces, no-break ones too, as single plain spaces, so that a test
    can write ``14,95 €`` as it reads."""
    return " ".join(text.split())


def _locale(policy: Policy) -> str:
    return policy.pack.store.locale


# --------------------------------------------------------------------------- the values


@pytest.mark.parametrize(
    ("locale", "day", "with_year"),
    [
        ("en_US", "Tuesday, December 1", "Tuesday, December 1, 2026"),
        ("fr_FR", "mardi 1 décembre", "mardi 1 décembre 2026"),
        ("de_DE", "Dienstag, 1. Dezember", "Dienstag, 1. Dezember 2026"),
    ],
)
def test_a_day_is_the_locales_full_weekday_day_and_month(
    locale: str, day: str, with_year: str
) -> None:
    assert format_day(date(2026, 12, 1), locale, False) == day
    assert format_day(date(2026, 12, 1), locale, True) == with_year


def test_english_keeps_the_stores_clock_and_other_languages_get_babels(
    bundled_policy: policylib.Policy,
) -> None:
    clock = bundled_policy.texts.clock  # the English catalog's house style
    english = [clock(time(h, m)) for h, m in ((8, 0), (12, 0), (16, 30), (0, 0))]
    assert english == ["8 a.m.", "noon", "4:30 p.m.", "midnight"]
    spanish = bundled_policy.voice("es").clock  # no house style: CLDR's es_US clock
    assert spanish(time(18)).replace("\u202f", " ") == "6:00 p.m."
    assert clock_words(time(18), "fr_FR") == "18:00"
    assert clock_words(time(8, 30), "de_DE") == "08:30"
    assert clock_words(time(23, 59, 59), "fr_FR") == "00:00"  # the end of the day
    for locale in ("fr_FR", "de_DE", "es_ES", "ja_JP"):
        for moment in (time(0), time(8), time(12), time(18, 45)):
            said = clock_words(moment, locale)
            assert not any(word in said for word in ENGLISH_CLOCK), (locale, said)


def test_lists_money_and_percentages_follow_the_locale() -> None:
    assert join_words(["a", "b", "c"], "or") == "a, b, or c"
    assert join_words(["a", "b"], "and") == "a and b"
    assert join_words(["a", "b", "c"], "or", "fr_FR") == "a, b ou c"
    assert join_words(["a", "b", "c"], "and", "de_DE") == "a, b und c"
    assert join_words([], "or", "fr_FR") == ""
    with pytest.raises(ValueError, match="unknown list word"):
        join_words(["a", "b"], "nor")
    assert as_words(frozenset({"wrong_item", "defective"}), "fr_FR") == "defective et wrong item"
    assert format_money(Decimal("1424.25"), "EUR", "fr_FR") == f"1{NNBSP}424,25{NBSP}€"
    assert format_money(Decimal("14.95"), "EUR", "de_DE") == f"14,95{NBSP}€"
    assert format_percent(15, "en_US") == "15%"
    assert format_percent(Decimal("12.5"), "fr_FR") == f"12,5{NBSP}%"
    assert format_percent(Decimal("33.3333"), "de_DE") == f"33,33{NBSP}%"
    assert format_percent(0, "fr_FR") == f"0{NBSP}%"


# --------------------------------------------------------------------------- the views


def test_money_is_in_the_packs_currency_in_the_customer_and_agent_views(
    rules_pack: Policy,
) -> None:
    views = _views(rules_pack, "late_delivery_shipping_refund")
    assert "refund your 14,95 € shipping fee" in views["customer"]
    assert "required more than 0,00 €, actual 14,95 € — held" in views["agent"]


def test_an_amount_keeps_its_no_break_space_in_the_reply(rules_pack: Policy) -> None:
    """The filled text keeps Babel's no-break space, so "14,95 €" never wraps before "€"."""
    data = json.loads((RULES / "examples" / "late_delivery_shipping_refund.json").read_text())
    decision = rules_pack.evaluate(data)
    for audience in ("customer", "chat"):
        assert f"14,95{NBSP}€" in rules_pack.render(decision, audience), audience


def test_no_view_of_a_euro_pack_shows_dollars_or_english_numbers(rules_pack: Policy) -> None:
    for example in sorted((RULES / "examples").glob("*.json")):
        for audience, text in _views(rules_pack, example.stem).items():
            assert "$" not in text, (example.stem, audience)
            assert "USD" not in text, (example.stem, audience)
    agent = _views(rules_pack, "custom_order_in_production_cancel")["agent"]
    total = {"fr_FR": "1 424,25 €", "de_DE": "1.424,25 €"}[_locale(rules_pack)]
    assert f"keep the 474,75 € deposit and refund {total}" in agent
    assert "474.75" not in agent and "1,424.25" not in agent


def test_dates_are_the_locales_in_the_customer_and_agent_views(rules_pack: Policy) -> None:
    views = _views(rules_pack, "delivery_estimate_thanksgiving")
    want = {
        "fr_FR": ("vendredi 27 novembre", "mardi 1 décembre"),
        "de_DE": ("Freitag, 27. November", "Dienstag, 1. Dezember"),
    }[_locale(rules_pack)]
    for audience in ("customer", "agent"):
        assert f"between {want[0]} and {want[1]}" in views[audience], audience
        assert "Friday" not in views[audience] and "Tuesday" not in views[audience]


def test_alternative_windows_are_written_with_the_locales_clock(rules_pack: Policy) -> None:
    views = _views(rules_pack, "exact_delivery_time")
    for audience in ("customer", "agent"):
        assert "between 08:00 and 12:00" in views[audience], audience
        assert "between 16:00 and 20:00" in views[audience], audience
        assert not any(word in views[audience] for word in ENGLISH_CLOCK), audience


def test_a_list_in_the_agent_view_is_joined_the_locales_way(rules_pack: Policy) -> None:
    word = {"fr_FR": "ou", "de_DE": "oder"}[_locale(rules_pack)]
    agent = _views(rules_pack, "custom_sofa_return")["agent"]
    assert f"required none of defective, damaged in transit {word} wrong item" in agent


def test_a_small_french_pack_formats_money_and_percentages_in_every_view(
    tmp_path: Path,
) -> None:
    policy = _small_pack(tmp_path, "fr_FR", "EUR")
    data = json.loads((tmp_path / "examples" / "fresh.json").read_text())
    decision = policy.evaluate(data)
    customer = _flat(policy.render(decision, "customer"))
    agent = _flat(policy.render(decision, "agent"))
    assert "for 40,00 €." in customer and "for 40,00 €." in agent
    assert "less 15 %." in customer and "less 15 %." in agent
    assert "$" not in customer + agent
