"""Values as people read them: money, dates, times, numbers and lists, by Babel.

Facts reach a template as finished strings, formatted here for the store's locale and
currency and the fact's unit: ``$49.99``, ``Tuesday, December 1``, ``6 days``. A value
a customer typed is inserted as it is, never parsed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal

import babel
import babel.dates
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
]


@functools.cache
def babel_locale(name: str) -> babel.Locale:
    """The Babel locale for ``en_US`` or ``en-US``; ``en_US`` when Babel does not know it."""
    try:
        return babel.Locale.parse(name.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en_US")


@functools.lru_cache(maxsize=8192)
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
    """The locale's pattern for a weekday, day and month (and year), with the weekday and
    month written out in full, as CLDR's skeleton matching widens them."""
    found = babel_locale(locale)
    skeletons = found.datetime_skeletons
    key = babel.dates.match_skeleton("yMMMMEEEEd" if with_year else "MMMMEEEEd", skeletons)
    if key is None:
        return "EEEE, MMMM d, y" if with_year else "EEEE, MMMM d"
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


@functools.lru_cache(maxsize=1024)
def format_percent(value: Decimal | int, locale: str) -> str:
    return str(
        babel.numbers.format_percent(
            Decimal(value) / 100, format="#,##0.##%", locale=babel_locale(locale)
        )
    )


def as_words(value: object) -> str:
    """An enum value or any other value as plain words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, frozenset | set | tuple | list):
        return join_words(sorted(as_words(v) for v in value))
    return str(value)


def join_words(items: Sequence[str], last: str = "and") -> str:
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def clock_words(moment: time) -> str:
    """A time of day in plain words: 8 a.m., noon, 4:30 p.m., midnight."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "noon" if moment.hour == 12 else "midnight"
    if moment >= time(23, 59):
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"
