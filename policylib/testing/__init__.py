"""Testing a pack or an engine: hypothesis strategies and a pytest plugin.

Strategies (these need hypothesis, a test dependency; it is imported on first use, so
``import policylib.testing`` costs nothing)::

    from policylib.testing import requests, facts, packs

    requests(policy, kind=None, *, now=None)   # valid requests from the pack's vocabulary
    facts(policy, kind=None)                   # fact values for the engine, None = unknown
    packs(facts, constants, ...)               # small random packs for engine authors

The pytest plugin (``policylib.testing.plugin``, installed as a ``pytest11`` entry point)
runs the worked examples of the packs a project names (``policylib_packs`` in its pytest
configuration, or ``--policylib-pack DIR``) as test items, and gives tests a ``policy``
fixture.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policylib.testing.strategies import (
        DEFAULT_NOW,
        conditions,
        engine_pack,
        fact,
        facts,
        packs,
        packs_with_references,
        requests,
    )

__all__ = [
    "DEFAULT_NOW",
    "conditions",
    "engine_pack",
    "fact",
    "facts",
    "packs",
    "packs_with_references",
    "requests",
]


def __getattr__(name: str) -> Any:
    """The strategies, imported (with hypothesis) when first asked for."""
    if name in __all__:
        return getattr(importlib.import_module("policylib.testing.strategies"), name)
    raise AttributeError(f"module 'policylib.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
