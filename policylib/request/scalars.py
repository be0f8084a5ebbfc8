"""The scalar types of a request: each a validator, a JSON serializer and a JSON Schema.

Each scalar is a plain Python type, a validator that raises policylib's own error codes,
a serializer where pydantic's default would not read back, and the JSON Schema of exactly
what the validator accepts, so a constrained decoder (an LLM's structured output) only
ever produces values that validate, and a validated request dumps to JSON that validates
again.

Money is ``Decimal`` (a JSON number or a decimal string, at most four decimals; floats are
read through their shortest repr, so 49.99 stays 49.99). Date-times follow RFC 3339 and
must carry a zone; a bare date is allowed where a day is enough and is read in the store's
zone. Clock times are ``HH:MM`` (``24:00`` is the end of the day). Names are plain words:
control characters become spaces and invisible format characters (bidi overrides,
zero-width spaces) are dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "END_OF_DAY",
    "MAX_MONEY",
    "Clock",
    "CustomerName",
    "Day",
    "Identifier",
    "Moment",
    "Money",
    "ShortText",
    "Tag",
    "clock_text",
    "decimal_type",
    "integer_type",
    "money_type",
    "refuse",
    "text_type",
]

MAX_MONEY = Decimal("9999999.9999")
"""The largest amount of money a request may carry (seven digits, four decimals)."""


# --------------------------------------------------------------------------- scalar types
# Each scalar is a plain Python type, a validator that raises our own error codes, a JSON
# serializer where the default would not read back, and the JSON Schema of exactly what
# the validator accepts.


def refuse(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


_MONEY_TEXT = re.compile(r"\d{1,7}(\.\d{1,4})?")
_TEN_THOUSANDTH = Decimal("0.0001")


def _parse_money(value: object) -> Decimal:
    if isinstance(value, bool):
        raise refuse("wrong-type", "expected an amount of money, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise refuse("bad-format", "expected a finite amount of money, not NaN or infinity")
        value = Decimal(repr(value))  # 49.99 stays 49.99
        near = value.quantize(_TEN_THOUSANDTH) if abs(value) < MAX_MONEY * 2 else value
        if near != value and abs(float(near) - float(value)) <= 1e-9 * max(1.0, abs(float(value))):
            value = near  # 2.3200000000000003 is how a float writes 2.32
    elif isinstance(value, int):
        if value < 0:
            raise refuse("out-of-range", "an amount of money cannot be negative")
        if value > MAX_MONEY:
            raise refuse("out-of-range", f"an amount above {MAX_MONEY} is not plausible here")
        value = Decimal(value)
    elif isinstance(value, str):
        if value.startswith("-") and _MONEY_TEXT.fullmatch(value[1:]):
            raise refuse("out-of-range", "an amount of money cannot be negative")
        if not _MONEY_TEXT.fullmatch(value):
            raise refuse(
                "bad-format",
                "expected an amount like 49.99 (digits, at most four decimals, no currency sign)",
            )
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise refuse("wrong-type", "expected an amount of money (a number or a decimal string)")
    if not value.is_finite():
        raise refuse("bad-format", "expected a finite amount of money, not NaN or infinity")
    if value < 0:
        raise refuse("out-of-range", "an amount of money cannot be negative")
    if value > MAX_MONEY:
        raise refuse("out-of-range", f"an amount above {MAX_MONEY} is not plausible here")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise refuse("bad-format", "an amount of money has at most four decimals")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_MONEY), "multipleOf": 0.0001},
                {"type": "string", "pattern": r"^\d{1,7}(\.\d{1,4})?$"},
            ]
        }
    ),
]

_FIRST_YEAR, _LAST_YEAR = 1900, 2200
"""Dates outside these years are data errors here, refused like an implausible amount."""

_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})"
)
"""RFC 3339 (JSON Schema's ``date-time``): seconds and a zone are required."""


def _plausible(day: date) -> None:
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise refuse("out-of-range", f"a date in the year {day.year} is not plausible here")


def _calendar_date(year: str, month: str, day: str) -> date:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        raise refuse("bad-format", "expected a real calendar date like 2026-11-20") from None
    _plausible(found)
    return found


def _date_time(match: re.Match[str]) -> datetime:
    fraction, zone = match[7], match[8]
    if fraction is None and zone not in ("Z", "z"):  # the common shape: C speed
        try:
            moment = datetime.fromisoformat(match[0])
        except ValueError:
            pass  # say exactly what is wrong below
        else:
            _plausible(moment)
            return moment
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    found = _calendar_date(year, month, day)
    if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
        raise refuse("bad-format", "expected a real time of day like 15:00:00")
    offset = timezone.utc
    if zone not in ("Z", "z"):
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise refuse("bad-format", f"the time zone offset {zone} is not a real offset")
        delta = timedelta(hours=hours, minutes=minutes)
        offset = timezone(-delta if zone[0] == "-" else delta)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return datetime.combine(found, time(int(hour), int(minute), int(second), micro), offset)


def _parse_moment(value: object) -> datetime | date:
    """A timezone-aware datetime, or a bare date (read later in the store's zone)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise refuse("bad-format", "this date-time has no time zone; add one")
        _plausible(value)
        return value
    if isinstance(value, date):
        _plausible(value)
        return value
    if not isinstance(value, str):
        raise refuse("wrong-type", "expected a date-time text like 2026-11-20T15:00:00-05:00")
    if len(value) > 10:
        moment = _DATETIME_TEXT.fullmatch(value)
        if moment is not None:
            return _date_time(moment)
    else:
        day = _DATE_TEXT.fullmatch(value)
        if day is not None:
            return _calendar_date(*day.groups())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value):
        raise refuse(
            "bad-format",
            "this date-time has no time zone; add one, like 2026-11-20T15:00:00-05:00",
        )
    raise refuse(
        "bad-format",
        "expected a date-time with seconds and a time zone, like 2026-11-20T15:00:00-05:00, "
        "or a date like 2026-11-20",
    )


_YEARS = r"(19\d\d|2[01]\d\d|2200)"
_DATE_SCHEMA = {"type": "string", "format": "date", "pattern": rf"^{_YEARS}-\d\d-\d\d$"}
_DATETIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": rf"^{_YEARS}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{{1,9}})?([Zz]|[+-]\d\d:\d\d)$",
}

Moment = Annotated[
    datetime | date,
    BeforeValidator(_parse_moment),
    WithJsonSchema({"anyOf": [_DATETIME_SCHEMA, _DATE_SCHEMA]}),
]


def _parse_day(value: object) -> date:
    if isinstance(value, datetime):
        raise refuse("bad-format", "expected a calendar date like 2026-11-25, not a date-time")
    if isinstance(value, date):
        _plausible(value)
        return value
    if isinstance(value, str):
        day = _DATE_TEXT.fullmatch(value)
        if day is not None:
            return _calendar_date(*day.groups())
    raise refuse("bad-format", "expected a calendar date like 2026-11-25")


Day = Annotated[date, BeforeValidator(_parse_day), WithJsonSchema(_DATE_SCHEMA)]

END_OF_DAY = time(23, 59, 59)
"""How the clock time ``24:00`` (the end of the day) is held: it dumps back as ``24:00``."""

_CLOCK_TEXT = re.compile(r"([01]\d|2[0-3]):([0-5]\d)|24:00")


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = _CLOCK_TEXT.fullmatch(value)
        if match is not None:
            if value == "24:00":
                return END_OF_DAY
            return time(int(match[1]), int(match[2]))
    raise refuse("bad-format", "expected a clock time like 08:00 (24-hour, HH:MM)")


def clock_text(moment: time) -> str:
    """A clock time as the request writes it: ``08:00``, ``24:00`` for the end of the day."""
    if moment >= END_OF_DAY:
        return "24:00"
    return f"{moment.hour:02d}:{moment.minute:02d}"


Clock = Annotated[
    time,
    BeforeValidator(_parse_clock),
    PlainSerializer(clock_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"}),
]


_NEUTRAL = {"Cc": " ", "Zl": " ", "Zp": " ", "Cf": "", "Cs": ""}
_MARKUP = re.compile(r"[{}<>]")


def _plain_name(value: str) -> str:
    """A name shown to people, as plain words.

    Control characters and line breaks become spaces, and invisible format characters
    (bidi overrides, zero-width spaces) are dropped, so a name cannot break a line or
    reorder and hide what is rendered around it; braces and angle brackets are refused.
    """
    if not value.isprintable():
        value = "".join(_NEUTRAL.get(unicodedata.category(ch), ch) for ch in value)
        value = " ".join(value.split())
    if _MARKUP.search(value):
        raise refuse("bad-format", "a name cannot contain braces or angle brackets")
    if not value:
        raise refuse("too-short", "a name needs at least one visible letter or digit")
    return value


def _name_schema(max_length: int) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        # at least one character that is not a space, a control or a format character
        "pattern": r"^[^{}<>]*[^{}<>\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e"
        r"\u2060-\u206f\ufeff\u00ad\u061c\u180e\ufff9-\ufffb][^{}<>]*$",
    }


CustomerName = Annotated[
    str,
    Field(max_length=80),
    AfterValidator(_plain_name),
    WithJsonSchema(_name_schema(80)),
]
ShortText = Annotated[
    str,
    Field(max_length=120),
    AfterValidator(_plain_name),
    WithJsonSchema(_name_schema(120)),
]

_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_TAG = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _identifier(value: str) -> str:
    if not _IDENTIFIER.fullmatch(value):
        raise refuse(
            "bad-format",
            "an id uses letters, digits and . _ : - only, at most 64 of them (like O-1001)",
        )
    return value


def _tag(value: str) -> str:
    if not _TAG.fullmatch(value):
        raise refuse(
            "bad-format",
            "use lowercase letters, digits and underscores, starting with a letter "
            "(like kitchen or gift_wrap)",
        )
    return value


Identifier = Annotated[
    str,
    AfterValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9_.:\-]{1,64}$"}),
]
Tag = Annotated[
    str,
    AfterValidator(_tag),
    WithJsonSchema({"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,39}$"}),
]


# --------------------------------------------------------------------------- declared types
# The types a pack's vocabulary declares for its own fields, with its own bounds.


def integer_type(minimum: int | None, maximum: int | None) -> Any:
    """A whole number (never true/false, never a float), within the declared bounds."""
    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return Annotated[int, Field(strict=True, ge=minimum, le=maximum), WithJsonSchema(schema)]


_DECIMAL_TEXT = re.compile(r"-?\d{1,9}(\.\d{1,6})?")


def _parse_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise refuse("wrong-type", "expected a number, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise refuse("bad-format", "expected a finite number, not NaN or infinity")
        value = Decimal(repr(value))
    elif isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, str):
        if not _DECIMAL_TEXT.fullmatch(value):
            raise refuse("bad-format", "expected a number like 1.5 (at most six decimals)")
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise refuse("wrong-type", "expected a number")
    if abs(value) >= Decimal(10) ** 9:
        raise refuse("out-of-range", "a number this large is not plausible here")
    return value


def decimal_type(minimum: Decimal | int | None, maximum: Decimal | int | None) -> Any:
    """A number (a JSON number or a decimal string), within the declared bounds."""

    def bounded(value: Decimal) -> Decimal:
        if minimum is not None and value < minimum:
            raise refuse("out-of-range", f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise refuse("out-of-range", f"must be at most {maximum}")
        return value

    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number["minimum"] = float(minimum)
    if maximum is not None:
        number["maximum"] = float(maximum)
    schema = {"anyOf": [number, {"type": "string", "pattern": r"^-?\d{1,9}(\.\d{1,6})?$"}]}
    return Annotated[
        Decimal,
        BeforeValidator(_parse_decimal),
        AfterValidator(bounded),
        WithJsonSchema(schema),
    ]


def money_type(minimum: Decimal | int | None, maximum: Decimal | int | None) -> Any:
    """An amount of money within the declared bounds (never negative, at most MAX_MONEY)."""
    if minimum is None and maximum is None:
        return Money

    def bounded(value: Decimal) -> Decimal:
        if minimum is not None and value < minimum:
            raise refuse("out-of-range", f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise refuse("out-of-range", f"must be at most {maximum}")
        return value

    return Annotated[Money, AfterValidator(bounded)]


def text_type(max_length: int | None) -> Any:
    """Free text (kept for people or matched exactly), at most ``max_length`` characters."""
    limit = max_length or 300
    return Annotated[
        str, Field(max_length=limit), WithJsonSchema({"type": "string", "maxLength": limit})
    ]
