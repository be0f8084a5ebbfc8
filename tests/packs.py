"""Small packs the tests build in temporary folders (file name -> text)."""

from __future__ import annotations

SMALL_PACK = {
    "policy.yaml": """\
store:
  name: Tess <&> Co
  timezone: America/New_York
  currency: USD
  locale: en_US
  policy_url: https://tess.example/policies
escalation:
  contact: a care supervisor
default:
  outcome: escalate
  text: "A member of our team will look at your { $item_name } request personally."
settings:
  restocking_fee_percent: {value: 15, unit: percent}
units:
  days: {one: day, other: days}
sections:
  returns: {title: Returns and refunds, summary: "Unused items within 30 days."}
  care: {title: Care & repairs}
alternatives:
  kinds:
    store_credit: {rank: 1, words: store credit}
    exchange: {rank: 2, words: an exchange}
    supervisor_review: {rank: 9, words: a review of your case by a care supervisor}
  fallback:
    kind: supervisor_review
    text: "A care supervisor can take a second look at your case."
""",
    "common.ftl": """\
kind-return = returns
kind-exchange = exchanges
""",
    "vocabulary.yaml": """\
kinds:
  return: {per_item: true, description: Send items back.}
  exchange: {per_item: true, description: Swap items for others.}
fields:
  request:
    reason:
      type: enum
      description: Why the item goes back.
      values: [changed_mind, defective, damaged_in_transit, wrong_item, arrived_late, other]
    resolution:
      type: enum
      description: What the customer would like instead.
      values: [refund, store_credit]
  order:
    status:
      type: enum
      description: Where the order is now.
      values: [placed, processing, in_production, shipped, delivered, cancelled]
  item:
    condition:
      type: enum
      description: The item's condition.
      values: [unopened, opened, used]
choices: [resolution]
""",
    "facts.yaml": """\
facts:
  days_since_delivery:
    type: integer
    unit: days
    label: days since your order arrived
    expr: days_between(order.delivered_at, now)
  item_used:
    type: boolean
    label: whether the item has been used
    expr: item.condition == "used"
    known_by: customer
    question: "Has the { $item_name } been used?"
    field: order.items[].condition
  item_name: {type: text, label: item, expr: item.name}
  item_price: {type: money, label: what you paid for the item, expr: item.price * item.quantity}
  reason:
    type: enum
    label: the reason for the request
    expr: reason
  restocking_fee_percent:
    type: decimal
    unit: percent
    label: restocking fee
    expr: settings.restocking_fee_percent
""",
    "returns.yaml": """\
section: returns
rules:
  - id: RET-001
    title: Unused items within 30 days
    kinds: [return, exchange]
    when:
      all:
        - days_since_delivery: {lte: 30}
        - item_used: false
    outcome: granted
    text: "You can return the { $item_name } for { $item_price }."
    why: "An item in new condition can be sold again, less { $restocking_fee_percent }."
    citation: {section: returns, anchor: return-window}
  - id: RET-002
    title: Late returns
    kinds: [return]
    priority: 10
    when:
      all:
        - days_since_delivery: {gt: 30}
        - any:
            - item_used: true
            - not:
                reason: {in: [defective, wrong_item]}
    outcome: denied
    text: "The { $item_name } arrived too long ago."
    citation: {section: returns, anchor: return-window}
    offers:
      - kind: store_credit
        change: {resolution: store_credit}
        text: "Store credit for { $item_price }."
      - kind: supervisor_review
        text: "A supervisor can review your case."
examples:
  - name: unused lamp
    rule: RET-001
    outcome: granted
    request_file: examples/fresh.json
""",
    "examples/fresh.json": """\
{"kind": "return", "requested_at": "2026-11-20T15:00:00-05:00",
 "customer": {"name": "Ana"},
 "order": {"id": "A1", "placed_at": "2026-11-01T10:00:00-05:00", "status": "delivered",
   "delivered_at": "2026-11-05T10:00:00-05:00",
   "items": [{"sku": "S1", "name": "Lamp", "category": "lighting", "price": 40,
              "condition": "unopened"}]}}
""",
    "examples/late.json": """\
{"kind": "return", "reason": "changed_mind", "requested_at": "2026-11-20T15:00:00-05:00",
 "order": {"id": "A2", "placed_at": "2026-09-01T10:00:00-05:00", "status": "delivered",
   "delivered_at": "2026-09-05T10:00:00-05:00",
   "items": [{"sku": "S1", "name": "Lamp", "category": "lighting", "price": 40,
              "condition": "unopened"}]}}
""",
}
"""A tiny pack that exercises the page: nesting, negation, offers, settings, escaping."""
