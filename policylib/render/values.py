"""Values as people read them: money, dates, times, numbers and lists, by Babel.

Facts reach a template as finished strings, formatted here for the store's locale and
currency and the fact's unit: ``$49.99``, ``Tuesday, December 1``, ``6 days``. A value
a customer typed is inserted as it is, never parsed.

Every value comes from CLDR through Babel in the locale it is given: money by
``format_currency``, numbers by ``format_decimal``, percentages by the locale's percent
pattern (``15%``, ``15 %``), days by the locale's pattern for the ``MMMMEEEEd`` skeleton
(``jeudi 26 novembre``), lists by ``format_list`` (``a, b ou c``) and times by
``format_time`` (``18:00``). A catalog may write times in a house style instead (the
English one says ``6 p.m.`` and ``noon``): see ``TextRenderer.clock``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal

import babel
import babel.dates
import babel.lists
import babel.numbers

__all__ = [
    "as_words",
    "babel_locale",
    "clock_words",
    "format_day",
    "format_money",
    "format_number",
    "format_percent",
    "join_words",
    "zone_words",
]


@functools.cache
def babel_locale(name: str) -> babel.Locale:
    """The Babel locale for ``en_US`` or ``en-US``; ``en_US`` when Babel does not know it."""
    try:
        return babel.Locale.parse(name.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en_US")


@functools.lru_cache(maxsize=64)
def zone_words(zone: str, locale: str) -> str:
    """A time zone as the locale names it in general ("Eastern Time", "hora oriental")."""
    found = babel.dates.get_timezone(zone)
    return str(
        babel.dates.get_timezone_name(
            found, "long", locale=babel_locale(locale), zone_variant="generic"
        )
    )


@functools.lru_cache(maxsize=4096)
def format_money(value: Decimal, currency: str, locale: str) -> str:
    """An amount as the locale writes it in that currency ("$49.99"). Cached: prices and
    fees repeat from request to request, and CLDR formatting is costly. Equal amounts
    (49.99 and 49.990) format alike, as the currency's own digits are always shown."""
    return str(babel.numbers.format_currency(value, currency, locale=babel_locale(locale)))


@functools.lru_cache(maxsize=4096)
def format_day(value: date, locale: str, with_year: bool) -> str:
    """A day as the locale writes it in full: "Tuesday, December 1" (en), "Dienstag,
    1. Dezember" (de), from the locale's own pattern for that skeleton."""
    pattern = _day_pattern(locale, with_year)
    return str(babel.dates.format_date(value, pattern, locale=babel_locale(locale)))


@functools.lru_cache(maxsize=64)
def _day_pattern(locale: str, with_year: bool) -> str:
    """The locale's pattern for the skeleton ``MMMMEEEEd`` (``yMMMMEEEEd``), with the
    weekday and month written out in full as CLDR's skeleton matching asks. Babel's own
    ``format_skeleton`` keeps the matched pattern's widths ("Thu, November 26" in en_US),
    so the widening is done here; a locale with no such skeleton gets its full date."""
    found = babel_locale(locale)
    skeletons = found.datetime_skeletons
    key = babel.dates.match_skeleton("yMMMMEEEEd" if with_year else "MMMMEEEEd", skeletons)
    if key is None:
        return str(found.date_formats["full"].pattern)
    found_pattern = skeletons[key]
    pattern = str(getattr(found_pattern, "pattern", found_pattern))
    parts = pattern.split("'")  # odd parts are quoted literals: left as they are
    for index in range(0, len(parts), 2):
        widened = re.sub(r"(?<![Ec])[Ec]{1,3}(?![Ec])", "EEEE", parts[index])
        # a month written as text (MMM) is written out; a numeric one (M) stays a number
        parts[index] = re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", widened)
    return "'".join(parts)


@functools.lru_cache(maxsize=4096)
def format_number(value: Decimal | int, locale: str) -> str:
    return str(babel.numbers.format_decimal(value, locale=babel_locale(locale)))


_HUNDREDTH_OF_A_PERCENT = Decimal("0.0001")


@functools.lru_cache(maxsize=1024)
def format_percent(value: Decimal | int, locale: str) -> str:
    """A percentage (``15`` is 15 percent) by the locale's own percent pattern, with up to
    two decimals: "15%", "12.5%" (en), "15 %", "12,5 %" (fr, de)."""
    share = (Decimal(value) / 100).quantize(_HUNDREDTH_OF_A_PERCENT)
    share = share.normalize() if share else Decimal(0)
    return str(
        babel.numbers.format_percent(share, locale=babel_locale(locale), decimal_quantization=False)
    )


def as_words(value: object, locale: str = "en_US") -> str:
    """An enum value or any other value as plain words; a set of them as the locale's
    list ("a, b, and c")."""
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, frozenset | set | tuple | list):
        return join_words(sorted(as_words(v, locale) for v in value), locale=locale)
    return str(value)


def join_words(items: Sequence[str], last: str = "and", locale: str = "en_US") -> str:
    """Words as the locale lists them (Babel's ``format_list``): "a, b, and c" (en), "a, b
    ou c" (fr, with ``last="or"``); nothing for no words at all.

    Raises:
        ValueError: ``last`` is neither ``and`` nor ``or``.
    """
    if last not in ("and", "or"):
        raise ValueError(f"unknown list word {last!r}; use 'and' or 'or'")
    if not items:
        return ""
    found = babel_locale(locale)
    if last == "or":
        return str(babel.lists.format_list(list(items), style="or", locale=found))
    return str(babel.lists.format_list(list(items), locale=found))  # Babel's default: "and"


def clock_words(moment: time, locale: str = "en_US") -> str:
    """A time of day as CLDR writes it in the locale ("18:00" in fr and de, "6:00 p.m."
    in es_US); a time at the very end of the day reads as midnight. A catalog's house
    style (the ``clock-*`` messages the English one has) is applied by ``TextRenderer``."""
    if moment >= END_OF_DAY:
        moment = time(0)
    return str(babel.dates.format_time(moment, "short", locale=babel_locale(locale)))


END_OF_DAY = time(23, 59)
"""From here on a time is the end of the day (a window "until 24:00")."""
