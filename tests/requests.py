"""The bundled pack's sample request, for example-based tests, and its generated requests.

``request(**changes)`` is one hand-written request (an opened toilet seat, returned for a
change of mind) that tests edit a field at a time to state one behaviour each; it is a
fixture, not a strategy. ``any_request`` is ``policylib.testing.requests`` over the bundled
pack, drawn at ``NOW``.
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

import policylib
from policylib.testing import requests

EST = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=EST)

BASE_REQUEST: dict[str, Any] = {
    "kind": "return",
    "requested_at": "2026-11-20T15:00:00-05:00",
    "customer": {"name": "Dana", "tier": "standard"},
    "order": {
        "id": "O-1001",
        "placed_at": "2026-11-10T10:00:00-05:00",
        "status": "delivered",
        "delivered_at": "2026-11-14T13:00:00-05:00",
        "items": [
            {
                "sku": "TS-100",
                "name": "Comfort toilet seat",
                "category": "bath",
                "tags": ["hygiene"],
                "price": 49.99,
                "quantity": 1,
                "condition": "opened",
                "final_sale": False,
            }
        ],
        "delivery": {
            "method": "white_glove",
            "scheduled_date": "2026-11-25",
            "window": {"start": "08:00", "end": "12:00"},
            "truck_loaded": False,
        },
    },
    "subscription": None,
    "items": ["TS-100"],
    "reason": "changed_mind",
    "resolution": "refund",
    "details": {},
}


def request(**changes: Any) -> dict[str, Any]:
    """The canonical sample request with dotted-path changes applied.

    ``request(**{"order.items.0.condition": None})`` sets a nested value; a value of
    ``...`` deletes the key.
    """
    data = copy.deepcopy(BASE_REQUEST)
    for path, value in changes.items():
        target: Any = data
        parts = path.split(".")
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is ...:
            target.pop(last, None)
        else:
            target[last] = value
    return data


@functools.cache
def bundled_policy() -> policylib.Policy:
    """The bundled pack, loaded once, on the first draw (not when a module imports this)."""
    return policylib.load_policy()


any_request: st.SearchStrategy[dict[str, Any]] = st.deferred(
    lambda: requests(bundled_policy(), now=NOW)
)
"""Valid requests to the bundled pack, of every kind, decided at ``NOW``."""
