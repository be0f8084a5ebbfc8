"""The packs lint's tests look at: the small pack with every flaw lint finds planted in
it, and a clean one (file name -> text, written with ``write``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tests.packs import SMALL_PACK

RULES = """\
  - id: CLASH-001
    title: A window that cannot be
    kinds: [return]
    priority: 5
    when:
      all:
        - days_since_delivery: {lte: 5}
        - item_used: false
        - days_since_delivery: {gt: 10}
    outcome: denied
    text: "No."
    citation: {section: returns, anchor: return-window}
  - id: SHADOW-001
    title: Taken by RET-001 every time
    kinds: [return, exchange]
    when:
      all:
        - days_since_delivery: {lte: 10}
        - item_used: false
    outcome: granted
    text: "Yes."
    citation: {section: returns, anchor: return-window}
  - id: HALF-001
    title: Late used items, for returns taken by RET-002
    kinds: [return, exchange]
    priority: 5
    when:
      all:
        - days_since_delivery: {gt: 30}
        - item_used: true
    outcome: denied
    text: "No."
    citation: {section: returns, anchor: return-window}
  - id: KIND-001
    title: Quick exchanges, listed for returns too
    kinds: [return, exchange]
    priority: 20
    when:
      all:
        - request_kind: exchange
        - days_since_delivery: {lte: 3}
    outcome: granted
    text: "Yes."
    citation: {section: returns, anchor: return-window}
  - id: WIDE-001
    title: Exchanges within 40 days are refused
    kinds: [exchange]
    when:
      all:
        - days_since_delivery: {lte: 40}
    outcome: denied
    text: "No exchange."
    citation: {section: returns, anchor: return-window}
"""

PLANTED = """\
  - id: DEFX-001
    title: Used items exchanged within 60 days when faulty
    kinds: [exchange]
    priority: 2
    when:
      all:
        - reason: defective
        - item_used: true
        - days_since_delivery: {lte: $settings.defect_days}
    outcome: granted
    text: "We'll swap the faulty { $item_name }."
    citation: {section: returns, anchor: return-window}
  - id: NOTYET-001
    title: Orders that have not arrived
    kinds: [return, exchange]
    priority: 50
    when: {order_delivered: false}
    outcome: denied
    text: "Your order arrived { $days_since_delivery } ago, so it cannot go back yet."
    citation: {section: returns, anchor: return-window}
  - id: EXC-001
    title: Exchanges are for faults, not a change of mind
    kinds: [exchange]
    priority: 8
    when: {reason: changed_mind}
    outcome: denied
    text: "We exchange faulty items only."
    citation: {section: returns, anchor: return-window}
"""
"""Planted beside ``RULES``: a conflict (DEFX-001 grants used faulty exchanges up to 60
days, but HALF-001, above it, denies used ones after 30 and tests nothing DEFX-001 does
not), an exception by design that is no conflict (EXC-001 denies a change of mind above
RET-001's grant, and tests a fact RET-001 does not), and a text naming a fact that is
unknown whenever its rule decides (NOTYET-001)."""

CLEAN_RETURNS = """\
section: returns
rules:
  - id: RET-001
    title: Returns within 30 days
    kinds: [return, exchange]
    when: {days_since_delivery: {lte: 30}}
    outcome: granted
    text: "You can return the { $item_name } for { $item_price }."
    why: "It can be sold again, less { $restocking_fee_percent }, whatever { $reason }."
    citation: {section: returns, anchor: return-window}
  - id: RET-002
    title: Returns after 30 days
    kinds: [return, exchange]
    when: {days_since_delivery: {gt: 30}}
    outcome: denied
    text: "The { $item_name } arrived too long ago."
    why: "Used or not ({ $item_used }), it can no longer be sold as new."
    citation: {section: returns, anchor: return-window}
    offers:
      - kind: supervisor_review
        text: "A supervisor can review your case."
"""


def write(root: Path, files: Mapping[str, str]) -> Path:
    """Write a pack's files under ``root``."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def flawed_files() -> dict[str, str]:
    """The small pack with every flaw lint looks for planted in it."""
    area = SMALL_PACK["returns.yaml"]
    facts = SMALL_PACK["facts.yaml"] + (
        "  request_kind: {type: enum, label: what you asked for, expr: kind}\n"
        "  order_delivered:\n"
        "    type: boolean\n"
        "    label: whether your order has arrived\n"
        "    expr: known(order.delivered_at)\n"
        "  unused_count: {type: integer, label: a count nothing reads, expr: item.quantity}\n"
    )
    policy = SMALL_PACK["policy.yaml"].replace(
        "settings:\n",
        "settings:\n  defect_days: {value: 60, unit: days}\n  spare_days: {value: 7, unit: days}\n",
    )
    vocabulary = SMALL_PACK["vocabulary.yaml"].replace(
        "kinds:\n", "kinds:\n  repair: {per_item: true, description: Mend an item.}\n"
    )
    return {
        **SMALL_PACK,
        "policy.yaml": policy,
        "vocabulary.yaml": vocabulary,
        "facts.yaml": facts,
        "returns.yaml": area.replace("examples:\n", RULES + PLANTED + "examples:\n", 1),
    }
