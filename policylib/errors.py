"""Every exception policylib raises on purpose.

::

    PolicyError                      base of everything below; has a stable kebab-case ``code``
    ├── RequestError (ValueError)    a customer request failed validation; ``.problems`` lists
    │                                each bad field path with the value received
    ├── RuleError (ValueError)       a rule pack failed to load; ``.problems`` lists every
    │                                problem found (file:line:col, rule id, how to fix it)
    ├── BackendError (RuntimeError)  an optional backend is missing or refused the pack
    └── FunctionError (RuntimeError) a function the store registered raised while deriving

Foreign exceptions (pydantic, PyYAML, fluent, durable_rules) are translated where they
are caught and never reach a caller raw.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "BackendError",
    "FunctionError",
    "PolicyError",
    "Problem",
    "RequestError",
    "RuleError",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request or a rule file.

    Attributes:
        code: stable kebab-case identifier (``unknown-fact``, ``wrong-type`` ...).
        message: what is wrong, in one sentence.
        where: a field path (``order.items[0].price``) or ``file:line:col``.
        hint: how to fix it, when we know.
        rule_id: the rule the problem belongs to, for rule files.
        value: the value received, for requests (already shortened for display).
        excerpt: the source line with a caret under the spot, for rule files.
    """

    code: str
    message: str
    where: str = ""
    hint: str = ""
    rule_id: str = ""
    value: str = ""
    excerpt: str = field(default="", compare=False)

    def __str__(self) -> str:
        head = f"{self.where}: " if self.where else ""
        rule = f"[{self.rule_id}] " if self.rule_id else ""
        text = f"{head}{rule}{self.message} ({self.code})"
        if self.value:
            text += f"; received {self.value}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        if self.excerpt:
            text += "\n" + "\n".join("    " + line for line in self.excerpt.splitlines())
        return text


class PolicyError(Exception):
    """Base class of every error policylib raises on purpose."""

    code: str = "policy-error"

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.message = message
        super().__init__(self._text())

    def _text(self) -> str:
        if not self.problems:
            return self.message
        body = "\n".join(f"  - {p}".replace("\n", "\n  ") for p in self.problems)
        return f"{self.message}\n{body}"


class RequestError(PolicyError, ValueError):
    """The customer request is not valid; each problem names a field path and the value."""

    code = "invalid-request"


class RuleError(PolicyError, ValueError):
    """A rule pack could not be loaded; each problem names file:line:col and the rule."""

    code = "invalid-rules"


class BackendError(PolicyError, RuntimeError):
    """An optional evaluation backend is not available or cannot run this pack."""

    code = "backend-error"


class FunctionError(PolicyError, RuntimeError):
    """A function the store registered for its expressions raised; the fact is named."""

    code = "function-failed"


def shorten_text(text: str, limit: int = 60) -> str:
    """Text cut to ``limit`` characters with an ellipsis (values quoted into messages)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _SafeRepr(reprlib.Repr):
    """``repr`` for values received from outside: bounded in depth, width and digits.

    A request can hold anything JSON can: lists nested a thousand deep, or an integer of
    5,000 digits, which ``repr`` refuses (``sys.set_int_max_str_digits``). Neither may turn
    an error message into a second error.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = 60
        self.maxother = 60
        self.maxlong = 40

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:
            digits = int(x.bit_length() * 0.30103) + 1
            return f"<a number with about {digits:,} digits>"
        return super().repr_int(x, level)


_REPR = _SafeRepr()


def shorten(value: object, limit: int = 60) -> str:
    """A short, safe repr of a received value for error messages (never raises)."""
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError, TypeError, OverflowError, MemoryError):
        text = f"<{type(value).__name__}>"
    return shorten_text(text, limit)
