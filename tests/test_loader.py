"""Tests for policylib.load: packs are written into tmp_path from small YAML strings.

The mini pack here (``POLICY``, ``VOCABULARY``, ``FACTS``, ``RETURNS``, ``write_pack``) and
the helpers that find a problem and its ``file:line:col`` are shared with the
``tests/test_load_*.py`` files, which test one pack file kind each.
"""

from __future__ import annotations

import gc
import textwrap
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from policylib.errors import Problem, RuleError
from policylib.lang import nodes as lang
from policylib.lang.nodes import Outcome
from policylib.load import load_pack
from tests.conftest import Goldens

BAD_RULES = Path(__file__).resolve().parent / "data" / "bad_rules"


# --------------------------------------------------------------------------- the mini pack

POLICY = """\
store:
  name: Test Store
  timezone: America/New_York
  currency: USD
  locale: en_US
  calendar: {country: US, subdivision: NY}
default:
  outcome: denied
  text: "We found no rule for this request."
escalation:
  contact: a supervisor
  may_approve: goodwill_limit
settings:
  restocking_fee_percent: {value: 15, unit: percent}
  estimate_pad: {value: 1.5, type: decimal}
  goodwill_max: {value: 50, type: money}
  return_days: {value: {standard: 30, plus: 60}, unit: days}
  change_cutoff: {value: "18:00", type: time}
  windows:
    type: window
    value:
      - {start: "08:00", end: "12:00"}
      - {start: "12:00", end: "16:00"}
units:
  days: {one: day, other: days}
  hours: {one: hour, other: hours}
sections:
  returns: {title: Returns and refunds, summary: "How returns work."}
  delivery: {title: Delivery}
alternatives:
  kinds:
    refund: {rank: 0, words: a refund}
    store_credit: {rank: 4, words: store credit}
    another_date: {rank: 6, words: another delivery day}
    supervisor_review: {rank: 10, words: a review of your case by a supervisor}
  partial_rank: 5
  fallback:
    kind: supervisor_review
    text: "A supervisor can review your case and approve up to { $goodwill_limit }."
  search:
    - path: resolution
      values: [refund, store_credit]
      lead: "You can choose { $value } instead."
"""

VOCABULARY = """\
kinds:
  return: {per_item: true, description: Send items back.}
  exchange: {per_item: true}
  cancel: {subjects: [order, subscription]}
types:
  window:
    fields:
      start: {type: time, required: true}
      end: {type: time, required: true}
    checks:
      - require: end > start
        message: a window must end after it starts
        field: end
fields:
  request:
    reason:
      type: enum
      values: [changed_mind, defective, damaged_in_transit, wrong_item, other]
    resolution:
      type: enum
      values: {refund: Money back., store_credit: Credit to spend., exchange: Another item.}
  customer:
    tier: {type: enum, values: [standard, plus], default: standard}
  order:
    status: {type: enum, values: [placed, shipped, delivered]}
  item:
    condition: {type: enum, values: [unopened, opened, used]}
  details:
    new_date: {type: date, description: The delivery day the customer asks for.}
    current_price: {type: money}
    new_window: {type: window}
checks:
  - require: not known(order.delivered_at) or order.status == "delivered"
    message: delivered_at is set but the status is not 'delivered'
    field: order.delivered_at
choices: [kind, resolution, details]
"""

FACTS = """\
facts:
  days_since_delivery:
    type: integer
    unit: days
    label: days since delivery
    expr: days_between(order.delivered_at, now)
    question: "What day did your order arrive?"
    field: order.delivered_at
  item_opened:
    type: boolean
    label: whether the item was opened
    expr: item.condition != "unopened"
    question: "Has the { $item_name } been opened?"
    field: order.items[].condition
  item_name: {type: text, label: the item, expr: item.name}
  item_price: {type: money, unit: currency, label: the price, expr: item.price * item.quantity}
  hours_since_order:
    type: decimal
    unit: hours
    label: hours since the order
    expr: hours_between(order.placed_at, now)
  new_date: {type: date, label: the new date, expr: details.new_date}
  reason: {type: enum, label: the reason, expr: reason}
  return_window:
    type: integer
    unit: days
    label: days you have to return it
    expr: settings.return_days[customer.tier]
  goodwill_limit:
    type: money
    unit: currency
    label: most a supervisor can approve
    expr: >-
      min(settings.goodwill_max,
          item.price * settings.restocking_fee_percent / 100)
    description: A share of the price, never more than the goodwill maximum.
  delivered:
    type: boolean
    label: whether the order was delivered
    expr: order.status == "delivered"
    known_by: store
    field: order.status
"""

RETURNS = """\
section: returns
rules:
  - id: RET-WIN-001
    title: Unopened items within 30 days
    kinds: [return, exchange]
    when:
      all:
        - days_since_delivery: {lte: 30}
        - item_opened: false
    outcome: granted
    text: >-
      You can return the { $item_name }
      for a full refund.
    citation: {section: returns, anchor: return-window}
  - id: RET-WIN-002
    title: Too late
    kinds: [return]
    priority: 10
    when: {days_since_delivery: {gt: 30}}
    outcome: denied
    text: "It has been { $days_since_delivery } days."
    why: "The window keeps prices low."
    citation: {section: returns}
    offers:
      - kind: store_credit
        change: {resolution: store_credit}
        text: "Store credit for { $item_price }."
      - kind: supervisor_review
        text: A supervisor can review your case.
examples:
  - name: fresh return
    rule: RET-WIN-001
    outcome: granted
    now: "2026-11-20T15:00:00-05:00"
    request: {kind: return, order: {id: A-1, total: 49.99, items: [{sku: X, qty: 1}]}}
"""

BASE_FILES = {
    "policy.yaml": POLICY,
    "vocabulary.yaml": VOCABULARY,
    "facts.yaml": FACTS,
    "returns.yaml": RETURNS,
}


def write_pack(root: Path, **files: str) -> Path:
    """A pack directory with the mini pack's files, overridden by ``files``.

    Keyword names map to file names: ``policy`` -> policy.yaml, ``messages_ftl`` ->
    messages.ftl; a value of ``""`` removes the file.
    """
    contents = dict(BASE_FILES)
    for key, text in files.items():
        name = key.replace("_ftl", ".ftl") if key.endswith("_ftl") else f"{key}.yaml"
        contents[name] = text
    root.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        if text:
            (root / name).write_text(text, encoding="utf-8")
    return root


def changed(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (a typo in a fixture fails)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def area(rules: str, section: str = "returns", examples: str = "") -> str:
    text = f"section: {section}\nrules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")
    if examples:
        text += "examples:\n" + textwrap.indent(textwrap.dedent(examples), "  ")
    return text


def rule(
    rid: str = "RET-X-001",
    *,
    when: str = "{item_opened: true}",
    outcome: str = "denied",
    kinds: str = "[return]",
    text: str = '"No."',
    extra: str = "",
) -> str:
    body = (
        f"- id: {rid}\n"
        f"  title: A rule\n"
        f"  kinds: {kinds}\n"
        f"  when: {when}\n"
        f"  outcome: {outcome}\n"
        f"  text: {text}\n"
        f"  citation: {{section: returns}}\n"
    )
    return body + textwrap.indent(textwrap.dedent(extra), "  ")


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(RuleError) as info:
        load_pack(root)
    return list(info.value.problems)


def where(root: Path, file: str, needle: str, nth: int = 0) -> str:
    """file:line:col of the nth occurrence of needle in a pack file (1-based)."""
    text = (root / file).read_text(encoding="utf-8")
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{file}:{line}:{col}"


def only(problems: list[Problem], code: str, file: str = "") -> Problem:
    """The one problem with ``code`` (in ``file``, when given)."""
    found = [p for p in problems if p.code == code and p.where.startswith(file)]
    assert len(found) == 1, "\n".join(str(p) for p in problems)
    return found[0]


def sole(root: Path) -> Problem:
    """The pack's one and only problem."""
    problems = problems_of(root)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


# --------------------------------------------------------------------------- happy path


def test_loads_a_valid_pack(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack", messages_ftl="denied = No { $item_name }!\nno-offers = Bye\n"
    )
    pack = load_pack(root)
    assert pack.store == lang.Store(
        "Test Store", "America/New_York", "USD", "en_US", "", lang.CalendarDef("US", "NY")
    )
    assert pack.default_outcome is Outcome.DENIED
    assert pack.escalation == lang.Escalation("a supervisor", "goodwill_limit")
    assert [r.id for r in pack.rules] == ["RET-WIN-001", "RET-WIN-002"]
    assert [r.order for r in pack.rules] == [0, 1]
    first, second = pack.rules
    assert first.kinds == ("return", "exchange")
    assert first.outcome is Outcome.GRANTED
    assert first.section == "returns"
    assert first.loc == lang.Loc("returns.yaml", 3, 5)
    assert first.when == lang.All(
        (
            lang.Compare("days_since_delivery", "lte", 30, lang.Loc("returns.yaml", 8, 11)),
            lang.Compare("item_opened", "eq", False, lang.Loc("returns.yaml", 9, 11)),
        ),
        lang.Loc("returns.yaml", 7, 7),
    )
    assert first.text.source == "You can return the { $item_name } for a full refund."
    assert first.text.variables == ("item_name",)
    assert first.citation == lang.Citation("returns", "return-window")
    assert second.priority == 10
    assert second.why is not None and second.why.source == "The window keeps prices low."
    assert second.offers[0].change == (("resolution", "store_credit"),)
    assert second.offers[1].change == ()
    assert pack.sections["returns"].file == "returns.yaml"
    assert pack.messages["denied"].source == "No { $item_name }!"
    assert pack.messages["denied"].variables == ("item_name",)
    (example,) = pack.examples
    assert example.request == {
        "kind": "return",
        "order": {"id": "A-1", "total": 49.99, "items": [{"sku": "X", "qty": 1}]},
    }
    assert example.rule == "RET-WIN-001"
    assert example.outcome is Outcome.GRANTED


def test_loads_the_vocabulary_of_a_valid_pack(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack"))
    kinds = pack.vocabulary.kinds
    assert list(kinds) == ["return", "exchange", "cancel"]
    assert kinds["return"].per_item and kinds["return"].description == "Send items back."
    assert kinds["cancel"].subjects == ("order", "subscription")
    assert kinds["exchange"].subjects == ("order",)  # the default subject
    assert pack.vocabulary.choices == ("kind", "resolution", "details")
    resolution = pack.vocabulary.objects["Request"].fields["resolution"]
    assert resolution.type.values == ("refund", "store_credit", "exchange")
    assert resolution.value_descriptions["refund"] == "Money back."
    assert pack.vocabulary.objects["Customer"].fields["tier"].default == "standard"
    assert pack.vocabulary.objects["Order"].fields["status"].required  # narrowed: required
    (check,) = pack.vocabulary.objects["window"].checks
    assert (check.message, check.field) == ("a window must end after it starts", "end")
    schema = pack.request_model.model_json_schema()
    assert "reason" in schema["properties"]


def test_loads_the_facts_of_a_valid_pack(tmp_path: Path) -> None:
    facts = load_pack(write_pack(tmp_path / "pack")).facts
    # an enum fact without values takes them from its expression (the vocabulary's field)
    assert facts["reason"].type.values[0] == "changed_mind"
    assert facts["item_opened"].known_by == "customer"  # it has a question
    question = facts["item_opened"].question
    assert question is not None and question.variables == ("item_name",)
    assert facts["item_opened"].field == "order.items[].condition"
    assert facts["delivered"].known_by == "store"
    assert facts["item_name"].known_by == "store"  # no question: the store's to supply
    assert facts["return_window"].program.settings == frozenset({"return_days"})
    limit = facts["goodwill_limit"]
    assert limit.type.name == "money" and limit.unit == "currency"
    assert limit.program.source == (
        "min(settings.goodwill_max,\n    item.price * settings.restocking_fee_percent / 100)"
    )
    assert limit.description == "A share of the price, never more than the goodwill maximum."
    assert facts["days_since_delivery"].loc == lang.Loc("facts.yaml", 3, 5)


def test_loads_the_settings_units_and_alternatives_of_a_valid_pack(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack"))
    settings = pack.settings
    assert {name: s.type.name for name, s in settings.items()} == {
        "restocking_fee_percent": "integer",
        "estimate_pad": "decimal",
        "goodwill_max": "money",
        "return_days": "table",
        "change_cutoff": "time",
        "windows": "list",
    }
    assert settings["restocking_fee_percent"].value == 15
    assert settings["restocking_fee_percent"].unit == "percent"
    assert settings["estimate_pad"].value == Decimal("1.5")
    assert settings["goodwill_max"].value == Decimal("50")
    assert settings["return_days"].value == {"standard": 30, "plus": 60}
    assert settings["change_cutoff"].value == time(18, 0)
    windows = settings["windows"].value
    assert [(w.start, w.end) for w in windows] == [(time(8), time(12)), (time(12), time(16))]
    assert pack.units["days"] == ("day", "days") and pack.units["hours"] == ("hour", "hours")
    alternatives = pack.alternatives
    assert {k.name: k.rank for k in alternatives.kinds.values()} == {
        "refund": 0,
        "store_credit": 4,
        "another_date": 6,
        "supervisor_review": 10,
    }
    assert alternatives.partial_rank == 5
    assert alternatives.fallback is not None
    assert alternatives.fallback.kind == "supervisor_review"
    assert alternatives.fallback.text.variables == ("goodwill_limit",)
    (axis,) = alternatives.axes
    assert (axis.path, axis.kind, axis.values) == ("resolution", "", ("refund", "store_credit"))


def test_loading_twice_reads_the_same_pack(tmp_path: Path) -> None:
    # compiled programs and the request model are built afresh by each load, so the packs
    # are compared by what was read, not by identity
    root = write_pack(tmp_path / "pack")
    one, two = load_pack(root), load_pack(str(root))
    assert one.rules == two.rules
    assert one.store == two.store and one.sections == two.sections
    assert one.alternatives == two.alternatives and one.examples == two.examples
    assert {n: (f.type, f.program.source) for n, f in one.facts.items()} == {
        n: (f.type, f.program.source) for n, f in two.facts.items()
    }
    assert {n: repr(s.value) for n, s in one.settings.items()} == {
        n: repr(s.value) for n, s in two.settings.items()
    }
    assert one.request_model.model_json_schema() == two.request_model.model_json_schema()


def test_rules_follow_file_order_then_source_order(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack",
        a_delivery=area(rule("DEL-A-001") + rule("DEL-A-002", when="{item_opened: false}")),
        z_more=area(rule("ZZZ-A-001", when="{reason: other}")),
    )
    pack = load_pack(root)
    assert [r.id for r in pack.rules] == [
        "DEL-A-001",
        "DEL-A-002",
        "RET-WIN-001",
        "RET-WIN-002",
        "ZZZ-A-001",
    ]
    assert [r.order for r in pack.rules] == [0, 1, 2, 3, 4]


def test_conditions_and_typed_values(tmp_path: Path) -> None:
    when = (
        "{any: [{reason: {in: [defective, wrong_item]}}, {not: {item_price: {gte: '10.50'}}},"
        " {new_date: 2026-12-01}, {hours_since_order: {lt: 2.5}}, {item_name: {ne: '012'}}]}"
    )
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    (pack_rule,) = [r for r in load_pack(root).rules if r.id == "MOR-A-001"]
    assert isinstance(pack_rule.when, lang.Any_)
    values = [(c.fact, c.op, c.value) for c in lang.comparisons(pack_rule.when)]
    assert values == [
        ("reason", "in", ("defective", "wrong_item")),
        ("item_price", "gte", Decimal("10.50")),
        ("new_date", "eq", date(2026, 12, 1)),
        ("hours_since_order", "lt", Decimal("2.5")),
        ("item_name", "ne", "012"),
    ]


def test_comparison_values_may_name_another_fact_or_a_setting(tmp_path: Path) -> None:
    when = (
        "{all: [{days_since_delivery: {lte: $return_window}},"
        " {item_price: {gte: $settings.goodwill_max}},"
        " {days_since_delivery: {gt: $settings.return_days.plus}}]}"
    )
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    (pack_rule,) = [r for r in load_pack(root).rules if r.id == "MOR-A-001"]
    values = [(c.fact, c.op, c.value) for c in lang.comparisons(pack_rule.when)]
    assert values == [
        ("days_since_delivery", "lte", lang.Ref("return_window")),
        ("item_price", "gte", Decimal("50")),  # a setting is read once, at load
        ("days_since_delivery", "gt", 60),
    ]


def test_single_file_pack(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(POLICY + VOCABULARY + FACTS + RETURNS, encoding="utf-8")
    pack = load_pack(path)
    assert [r.id for r in pack.rules] == ["RET-WIN-001", "RET-WIN-002"]
    assert pack.rules[0].loc.file == "one.yaml"
    assert pack.facts["item_opened"].loc.file == "one.yaml"
    assert list(pack.vocabulary.kinds) == ["return", "exchange", "cancel"]


def test_request_file_examples(tmp_path: Path) -> None:
    examples = "- name: from a file\n  outcome: denied\n  request_file: examples/late.json\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001"), examples=examples))
    (root / "examples").mkdir()
    (root / "examples" / "late.json").write_text('{"kind": "return"}', encoding="utf-8")
    pack = load_pack(root)
    assert pack.examples[0].request == {"kind": "return"}


@pytest.mark.parametrize(
    ("rel", "make"),
    [("../outside.json", False), ("examples", True), ("examples/nope.json", False)],
)
def test_request_file_must_be_a_file_inside_the_pack(tmp_path: Path, rel: str, make: bool) -> None:
    examples = f"- name: x\n  outcome: denied\n  request_file: {rel}\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001"), examples=examples))
    (tmp_path / "outside.json").write_text("{}", encoding="utf-8")
    if make:
        (root / "examples").mkdir()
    problem = only(problems_of(root), "missing-file")
    assert problem.where == where(root, "more.yaml", f"{rel}\n")


def test_exclusive_rules_are_not_a_conflict(tmp_path: Path) -> None:
    # each group gets its own priority, so only the pairs inside a group are compared
    rules = (
        rule("EXC-A-001", when="{reason: defective}", outcome="granted", extra="priority: 1\n")
        + rule("EXC-A-002", when="{reason: {not_in: [defective]}}", extra="priority: 1\n")
        + rule("EXC-B-001", when="{all: [{item_opened: true}, {days_since_delivery: {lte: 30}}]}")
        + rule(
            "EXC-B-002",
            when="{all: [{item_opened: true}, {days_since_delivery: {gt: 30}}]}",
            outcome="granted",
        )
        + rule("EXC-C-001", when="{new_date: {lt: 2026-01-01}}", extra="priority: 2\n")
        + rule(
            "EXC-C-002",
            when="{new_date: {gte: 2026-01-01}}",
            outcome="granted",
            extra="priority: 2\n",
        )
        + rule("EXC-D-001", when="{item_price: {in: [1, 2]}}", extra="priority: 3\n")
        + rule(
            "EXC-D-002",
            when="{item_price: {in: ['3.00', 4]}}",
            outcome="granted",
            extra="priority: 3\n",
        )
        # different kinds never conflict
        + rule("EXC-E-001", when="{item_name: X}", outcome="granted", kinds="[cancel]")
        + rule("EXC-E-002", when="{item_name: X}", kinds="[exchange]")
    )
    load_pack(write_pack(tmp_path / "pack", more=area(rules)))


def test_rules_compared_with_another_fact_are_not_proven_exclusive(tmp_path: Path) -> None:
    rules = rule(
        "REF-A-001", when="{days_since_delivery: {lte: $return_window}}", outcome="granted"
    ) + rule("REF-A-002", when="{days_since_delivery: {gt: $return_window}}")
    problem = only(
        problems_of(write_pack(tmp_path / "pack", more=area(rules))), "precedence-conflict"
    )
    assert problem.rule_id == "REF-A-002"


def test_bundled_pack_loads(bundled_pack: lang.Pack) -> None:
    assert isinstance(bundled_pack, lang.Pack)
    assert bundled_pack.rules and bundled_pack.facts and bundled_pack.vocabulary.kinds


# --------------------------------------------------------------------------- one test per code


@dataclass(frozen=True)
class Case:
    code: str
    files: dict[str, str]
    file: str
    needle: str
    rule_id: str = ""
    nth: int = 0
    shift: int = 0
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or self.code


def _more(rules: str, examples: str = "") -> dict[str, str]:
    return {"more": area(rules, examples=examples)}


def _facts(old: str, new: str) -> dict[str, str]:
    return {"facts": changed(FACTS, old, new)}


CASES = [
    Case(
        "yaml-syntax",
        _more(rule("MOR-A-001", when="{item_opened: [true}")),
        "more.yaml",
        "true}",
        shift=4,
    ),
    Case(
        "duplicate-key",
        _more(rule("MOR-A-001", extra="outcome: granted\n")),
        "more.yaml",
        "outcome",
        "MOR-A-001",
        nth=1,
    ),
    Case(
        "alias-not-allowed",
        _more(rule("MOR-A-001", kinds="*k")),
        "more.yaml",
        "*k",
        "MOR-A-001",
    ),
    Case(
        "unknown-key",
        _more(rule("MOR-A-001", extra="priorty: 5\n")),
        "more.yaml",
        "priorty",
        "MOR-A-001",
    ),
    Case(
        "missing-key",
        _more(rule("MOR-A-001").replace("  citation: {section: returns}\n", "")),
        "more.yaml",
        "id: MOR-A-001",
        "MOR-A-001",
    ),
    Case(
        "wrong-type",
        _more(rule("MOR-A-001", when="{item_name: NO}")),
        "more.yaml",
        "NO}",
        "MOR-A-001",
    ),
    Case(
        "unknown-fact",
        _more(rule("MOR-A-001", when="{item_opend: true}")),
        "more.yaml",
        "item_opend",
        "MOR-A-001",
    ),
    Case(
        "bad-operator",
        _more(rule("MOR-A-001", when="{item_opened: {gt: true}}")),
        "more.yaml",
        "gt",
        "MOR-A-001",
    ),
    Case(
        "unknown-enum-value",
        _more(rule("MOR-A-001", when="{reason: {in: [defective, broken]}}")),
        "more.yaml",
        "broken",
        "MOR-A-001",
    ),
    Case(
        "unknown-placeholder",
        _more(rule("MOR-A-001", text='"Sorry { $item_nme }."')),
        "more.yaml",
        "$item_nme",
        "MOR-A-001",
    ),
    Case(
        "template-not-allowed",
        _more(rule("MOR-A-001", text='"Sorry { UPPER($item_name) }."')),
        "more.yaml",
        "UPPER(",
        "MOR-A-001",
    ),
    Case(
        "template-syntax",
        _more(rule("MOR-A-001", text='"Sorry { $item_name."')),
        "more.yaml",
        '."',  # the caret points at the spot inside the text, not at its start
        "MOR-A-001",
    ),
    Case(
        "duplicate-id",
        {"zz": area(rule("RET-WIN-001"))},
        "zz.yaml",
        "RET-WIN-001",
        "RET-WIN-001",
    ),
    Case("bad-id", _more(rule("ret-1")), "more.yaml", "ret-1", "ret-1"),
    Case(
        "unknown-section",
        {"more": area(rule("MOR-A-001"), section="retruns")},
        "more.yaml",
        "retruns",
    ),
    Case(
        "unknown-kind",
        _more(rule("MOR-A-001", kinds="[return, refund]")),
        "more.yaml",
        "refund",
        "MOR-A-001",
    ),
    Case(
        "unknown-outcome",
        _more(rule("MOR-A-001", outcome="approved")),
        "more.yaml",
        "approved",
        "MOR-A-001",
    ),
    # unknown-derivation and derivation-type-mismatch are gone with derivations: a fact's
    # expression names unknown things (unknown-name), or gives another type (wrong-type)
    Case(
        "unknown-name",
        _facts("expr: item.name}", "expr: item_nam}"),
        "facts.yaml",
        "item_nam}",
    ),
    Case(
        "wrong-type",
        _facts("item_name: {type: text,", "item_name: {type: integer,"),
        "facts.yaml",
        "item.name}",
        name="wrong-type-in-an-expression",
    ),
    Case(
        "fact-cycle",
        _facts("expr: item.price * item.quantity}", "expr: item_price}"),
        "facts.yaml",
        "item_price:",
    ),
    Case(
        "expression-syntax",
        _facts("expr: item.price * item.quantity}", "expr: item.price * * item.quantity}"),
        "facts.yaml",
        "* item.quantity}",
    ),
    Case(
        "unknown-field",
        _facts("expr: item.name}", "expr: item.nme}"),
        "facts.yaml",
        "nme}",  # the caret points at the field, after the object
    ),
    Case(
        "unknown-setting",
        _facts("settings.return_days[", "settings.return_dayz["),
        "facts.yaml",
        "return_dayz",
    ),
    Case(
        "unknown-function",
        _facts("days_between(order.delivered_at", "days_betwen(order.delivered_at"),
        "facts.yaml",
        "days_betwen",
    ),
    Case(
        "not-changeable",
        _more(
            rule(
                "MOR-A-001",
                extra="offers:\n  - kind: refund\n    change: {order.status: placed}\n"
                "    text: Y\n",
            )
        ),
        "more.yaml",
        "order.status",
        "MOR-A-001",
    ),
    Case(
        "out-of-range",
        {"policy": changed(POLICY, "{value: 50, type: money}", "{value: -50, type: money}")},
        "policy.yaml",
        "-50",
    ),
    Case(
        "precedence-conflict",
        _more(
            rule("MOR-A-001", when="{item_opened: true}", outcome="denied")
            + rule("MOR-A-002", when="{reason: defective}", outcome="granted")
        ),
        "more.yaml",
        "id: MOR-A-002",
        "MOR-A-002",
    ),
    Case(
        "missing-file",
        _more(
            rule("MOR-A-001"),
            examples="- name: x\n  outcome: denied\n  request_file: examples/nope.json\n",
        ),
        "more.yaml",
        "examples/nope.json",
    ),
    Case(
        "bad-store",
        {"policy": changed(POLICY, "America/New_York", "America/Gotham")},
        "policy.yaml",
        "America/Gotham",
    ),
    Case(
        "unknown-rule",
        _more(
            rule("MOR-A-001"),
            examples="- name: x\n  outcome: denied\n  rule: MOR-A-01\n  request: {kind: return}\n",
        ),
        "more.yaml",
        "MOR-A-01\n",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_problem_code_is_located(tmp_path: Path, case: Case) -> None:
    root = write_pack(tmp_path / "pack", **case.files)
    problem = only(problems_of(root), case.code)
    file, line, col = where(root, case.file, case.needle, case.nth).split(":")
    expected = f"{file}:{line}:{int(col) + case.shift}"
    assert problem.where == expected, str(problem)
    assert problem.rule_id == case.rule_id, str(problem)
    assert problem.message and problem.excerpt.endswith("^")


def test_file_too_large(tmp_path: Path) -> None:
    big = RETURNS + "#" * (1024 * 1024) + "\n"
    problem = only(problems_of(write_pack(tmp_path / "pack", returns=big)), "file-too-large")
    assert problem.where == "returns.yaml:1:1"


def test_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack")
    (root / "more.yaml").write_bytes(b"section: returns\nrules: []\n# caf\xe9\n")
    problem = only(problems_of(root), "yaml-syntax")
    assert problem.where == "more.yaml:1:1"
    assert problem.message == "more.yaml is not UTF-8 text (byte 32)"
    assert problem.hint == "save the file as UTF-8"


@pytest.mark.parametrize("name", ["policy", "vocabulary", "facts"])
def test_missing_special_file(tmp_path: Path, name: str) -> None:
    problem = only(problems_of(write_pack(tmp_path / "pack", **{name: ""})), "missing-file")
    assert problem.message == f"the pack has no {name}.yaml"


def test_missing_pack(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path / "nowhere"), "missing-file")
    assert "nowhere" in problem.message


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    rules = (
        rule("MOR-A-001", when="{item_opend: true}")
        + rule("MOR-A-002", outcome="approved")
        + rule("MOR-A-003", text='"Hi { $nobody }"')
    )
    root = write_pack(
        tmp_path / "pack",
        more=area(rules),
        policy=changed(POLICY, "currency: USD", "currency: usd"),
        facts=changed(FACTS, "expr: item.name}", "expr: item.nme}"),
        messages_ftl="granted-retrun = Yes.\n",
    )
    with pytest.raises(RuleError) as info:
        load_pack(root)
    codes = [(p.where.split(":")[0], p.code, p.rule_id) for p in info.value.problems]
    assert codes == [  # files in name order, then lines; .ftl files after the YAML
        ("facts.yaml", "unknown-field", ""),
        ("more.yaml", "unknown-fact", "MOR-A-001"),
        ("more.yaml", "unknown-outcome", "MOR-A-002"),
        ("more.yaml", "unknown-placeholder", "MOR-A-003"),
        ("policy.yaml", "bad-store", ""),
        ("messages.ftl", "unknown-key", ""),
    ]
    assert str(info.value).startswith(f"6 problem(s) in rule pack {root}")


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("NO", 'quote it: "NO"'),
        ("~", 'quote it: "~"'),
        ("12:30", 'quote it: "12:30"'),
        ("012", 'quote it: "012"'),
    ],
)
def test_yaml_11_surprises_in_text_must_be_quoted(tmp_path: Path, value: str, hint: str) -> None:
    root = write_pack(
        tmp_path / "pack", more=area(rule("MOR-A-001", when=f"{{item_name: {value}}}"))
    )
    problem = only(problems_of(root), "wrong-type")
    assert hint in problem.hint


@pytest.mark.parametrize("value", ["yes", "True", "on", "'true'"])
def test_booleans_are_lowercase_true_false_only(tmp_path: Path, value: str) -> None:
    root = write_pack(
        tmp_path / "pack", more=area(rule("MOR-A-001", when=f"{{item_opened: {value}}}"))
    )
    only(problems_of(root), "wrong-type")


@pytest.mark.parametrize("value", ["012", "12:30", "'12'", "1.5", "0x10"])
def test_integers_are_plain_decimal_numbers(tmp_path: Path, value: str) -> None:
    when = f"{{days_since_delivery: {{lte: {value}}}}}"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    only(problems_of(root), "wrong-type")


def test_merge_keys_and_extra_documents_are_refused(tmp_path: Path) -> None:
    text = area(rule("MOR-A-001", extra="<<: {priority: 3}\n")) + "---\nsection: returns\n"
    problems = problems_of(write_pack(tmp_path / "pack", more=text))
    assert [p.code for p in problems] == ["alias-not-allowed", "yaml-syntax"]


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("vocabulary", "tier: {type: enum", "tier: &tier {type: enum"),
        ("facts", "expr: item.name}", "expr: &name item.name}"),
        ("policy", "partial_rank: 5", "partial_rank: &five 5"),
    ],
)
def test_anchors_are_refused_in_every_pack_file(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    text = changed(BASE_FILES[f"{file}.yaml"], old, new)
    root = write_pack(tmp_path / "pack", **{file: text})
    problem = only(problems_of(root), "alias-not-allowed", f"{file}.yaml")
    assert problem.where == where(root, f"{file}.yaml", "&")
    assert problem.message.startswith("YAML anchors are not allowed (&")


def test_duplicate_keys_are_refused_in_the_vocabulary_and_facts(tmp_path: Path) -> None:
    vocabulary = changed(VOCABULARY, "  exchange: {per_item: true}\n", "  return: {}\n")
    facts = changed(FACTS, "  new_date: {type: date,", "  item_name: {type: date,")
    root = write_pack(tmp_path / "pack", vocabulary=vocabulary, facts=facts)
    problems = problems_of(root)
    vocabulary_problem = only(problems, "duplicate-key", "vocabulary.yaml")
    assert vocabulary_problem.where == where(root, "vocabulary.yaml", "return", nth=1)
    facts_problem = only(problems, "duplicate-key", "facts.yaml")
    assert facts_problem.where == where(root, "facts.yaml", "item_name:", nth=1)


def test_in_needs_a_non_empty_list(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when="{reason: {in: []}}")))
    assert "must not be empty" in only(problems_of(root), "wrong-type").message


@pytest.mark.parametrize(
    "pattern",
    ['"{ -brand(case: \\"x\\") }"', '"{ other-message }"', '"{ UPPER($reason) }"', '"{ \\"x\\" }"'],
)
def test_only_placeholders_selectors_functions_and_terms_are_allowed(
    tmp_path: Path, pattern: str
) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=pattern)))
    only(problems_of(root), "template-not-allowed")


def test_ftl_problems_are_located(tmp_path: Path) -> None:
    ftl = "denied = Hi { $nobody }\ngranted = { $item_name\nno-offers = Bye\n"
    problems = problems_of(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert [(p.code, p.where) for p in problems] == [
        ("unknown-placeholder", "messages.ftl:1:15"),  # at the placeholder itself
        ("template-syntax", "messages.ftl:2:22"),  # in the broken message, not the next one
    ]
    assert "message 'granted'" in problems[1].message


def test_conflicts_name_both_rules(tmp_path: Path) -> None:
    rules = rule("MOR-A-001", outcome="granted") + rule("MOR-A-002")
    problem = only(
        problems_of(write_pack(tmp_path / "pack", more=area(rules))), "precedence-conflict"
    )
    assert "MOR-A-001 (more.yaml:3:5)" in problem.message
    assert problem.rule_id == "MOR-A-002"
    assert problem.hint == "give one of them a higher priority"


# --------------------------------------------------------------------------- goldens

GOLDEN_CASES = sorted(p.stem for p in BAD_RULES.glob("*.yaml"))
"""One broken single-file pack per error code: ``<code>.yaml``, or ``<code>--<what>.yaml``
when a code has more than one case worth reading."""


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_bad_rule_files_match_their_golden_message(golden: Goldens, case: str) -> None:
    with pytest.raises(RuleError) as info:
        load_pack(BAD_RULES / f"{case}.yaml")
    text = str(info.value).replace(str(BAD_RULES), "tests/data/bad_rules") + "\n"
    assert case.split("--")[0] in {p.code for p in info.value.problems}
    golden.check(BAD_RULES / f"{case}.expected", text)


def test_every_golden_bad_rule_file_has_its_message() -> None:
    messages = sorted(p.stem for p in BAD_RULES.glob("*.expected"))
    assert messages == GOLDEN_CASES


# --------------------------------------------------------------------------- big packs


def generated_pack(root: Path, n: int, outcomes: tuple[str, ...] = ("granted",)) -> Path:
    """A pack directory with ``n`` rules in files of 1,000 (each stays under 1 MiB). With
    several outcomes the rules are kept exclusive by an equality on ``days_since_delivery``."""
    reasons = ("changed_mind", "defective", "damaged_in_transit", "wrong_item", "other")
    kinds = ("return", "exchange", "cancel")
    files: dict[str, str] = {"returns": ""}
    for start in range(0, n, 1000):
        parts = ["section: returns\nrules:\n"]
        for i in range(start, min(n, start + 1000)):
            parts.append(
                f"  - id: GEN-R-{i:05d}\n"
                f"    title: Generated rule {i}\n"
                f"    kinds: [{kinds[i % 3]}]\n"
                f"    priority: {i % 7}\n"
                f"    when:\n"
                f"      all:\n"
                f"        - days_since_delivery: {i}\n"
                f"        - reason: {{in: [{reasons[i % 5]}, {reasons[(i + 1) % 5]}]}}\n"
                f"        - item_opened: {'true' if i % 2 else 'false'}\n"
                f"    outcome: {outcomes[i % len(outcomes)]}\n"
                f'    text: "Rule {i} decided about the {{ $item_name }}."\n'
                f"    citation: {{section: returns}}\n"
            )
        files[f"gen_{start // 1000:03d}"] = "".join(parts)
    return write_pack(root, **files)


@pytest.mark.parametrize("outcomes", [("granted",), ("granted", "denied", "partial")])
def test_generated_pack_of_10000_rules_loads(tmp_path: Path, outcomes: tuple[str, ...]) -> None:
    pack = load_pack(generated_pack(tmp_path / "big", 10_000, outcomes))
    assert len(pack.rules) == 10_000
    assert pack.rules[-1].id == "GEN-R-09999"


# --------------------------------------------------------------------------- regressions


def test_loading_leaves_the_garbage_collector_running(tmp_path: Path) -> None:
    # Pausing the collector would load a big pack faster (benchmarks/bench.py shows by how
    # much), but it is process-wide: every other thread of the application would stop
    # collecting too. Big packs are read one area file at a time instead.
    root = generated_pack(tmp_path / "big", 2_000)
    ran: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            ran.append(info["generation"])

    gc.callbacks.append(count)
    try:
        load_pack(root)
    finally:
        gc.callbacks.remove(count)
    assert gc.isenabled()
    assert ran, "no collection ran while 2,000 rules loaded: was the collector paused?"


def test_empty_comparison_mapping_is_reported_not_dropped(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when="{reason: {}}")))
    problem = only(problems_of(root), "wrong-type")
    assert problem.message == "the test on 'reason' is empty"
    assert "reason: {eq: changed_mind}" in problem.hint


@pytest.mark.parametrize("when", ["{}", "{all: []}", "{any: []}"])
def test_empty_conditions_are_errors_with_hints(tmp_path: Path, when: str) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    problem = only(problems_of(root), "wrong-type")
    assert problem.hint and problem.rule_id == "MOR-A-001"


@pytest.mark.parametrize(
    ("value", "hint"),
    [("NO", 'quote it: "NO"'), ("012", 'quote it: "012"'), ("12:30", 'quote it: "12:30"')],
)
def test_offer_change_values_get_strict_scalar_checks(
    tmp_path: Path, value: str, hint: str
) -> None:
    extra = f"offers:\n  - kind: refund\n    change: {{resolution: {value}}}\n    text: Y\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra)))
    assert hint in only(problems_of(root), "wrong-type").hint


@pytest.mark.parametrize("value", [".nan", "NO", "012", ".inf"])
def test_example_request_values_get_strict_scalar_checks(tmp_path: Path, value: str) -> None:
    examples = (
        f"- name: x\n  outcome: denied\n  rule: MOR-A-001\n"
        f"  request: {{kind: return, order: {{total: {value}}}}}\n"
    )
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001"), examples=examples))
    only(problems_of(root), "wrong-type")


def test_offer_change_decimals_are_decimal(tmp_path: Path) -> None:
    extra = "offers:\n  - kind: refund\n    change: {details.current_price: 12.50}\n    text: Y\n"
    pack = load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra))))
    offer = next(r for r in pack.rules if r.id == "MOR-A-001").offers[0]
    assert offer.change == (("details.current_price", Decimal("12.50")),)


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ("{resolution: refnd}", "'refund', 'store_credit' or 'exchange'"),
        ("{kind: cancl}", "'return', 'exchange' or 'cancel'"),
        ("{details.new_date: 2026-02-30}", "date"),
    ],
)
def test_offer_change_values_follow_the_request_model(
    tmp_path: Path, change: str, allowed: str
) -> None:
    extra = f"offers:\n  - kind: refund\n    change: {change}\n    text: Y\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra)))
    problem = only(problems_of(root), "wrong-type")
    value = change.split(": ")[1].rstrip("}")
    assert problem.where == where(root, "more.yaml", value)
    assert allowed in problem.message
    assert problem.hint == "write a value a customer could send in that field"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("when: {", "when: !!python/object:os.system {"),
        ("kinds: [", "kinds: !!set ["),
        ("citation: {", "citation: !!omap {"),
        ("citation: {", "citation: !custom {"),
        ("title: A", "title: !!python/name:os.system A"),
    ],
)
def test_explicit_yaml_tags_are_refused_on_every_node(tmp_path: Path, old: str, new: str) -> None:
    body = rule("MOR-A-001").replace(old, new)
    problem = only(problems_of(write_pack(tmp_path / "pack", more=area(body))), "tag-not-allowed")
    assert problem.hint == "remove the tag; policy files use plain YAML"
    assert problem.rule_id == "MOR-A-001"


def test_explicit_yaml_tags_are_refused_in_a_fact_expression(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", **_facts("expr: item.name}", "expr: !!str item.name}"))
    problem = only(problems_of(root), "tag-not-allowed")
    assert problem.where == where(root, "facts.yaml", "!!str")


def test_non_specific_tag_is_allowed(tmp_path: Path) -> None:
    load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text='! "No."'))))


@pytest.mark.parametrize("nested", ["[" * 1000 + "]" * 1000, "{not: " * 500 + "{a: 1}" + "}" * 500])
def test_deep_nesting_is_reported_not_a_recursion_error(tmp_path: Path, nested: str) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=nested)))
    problem = only(problems_of(root), "nesting-too-deep")
    assert problem.where.startswith("more.yaml:6:") and problem.rule_id == "MOR-A-001"


def test_deeply_nested_expression_is_reported_not_a_recursion_error(tmp_path: Path) -> None:
    deep = "(" * 400 + "item.name" + ")" * 400
    root = write_pack(tmp_path / "pack", **_facts("expr: item.name}", f"expr: '{deep}'}}"))
    problem = only(problems_of(root), "expression-syntax")
    assert problem.where.startswith("facts.yaml:15:")


def test_precedence_conflicts_are_reported_with_other_problems(tmp_path: Path) -> None:
    rules = rule("MOR-A-001", outcome="granted") + rule("MOR-A-002") + rule("MOR-A-003", kinds="[]")
    codes = {p.code for p in problems_of(write_pack(tmp_path / "pack", more=area(rules)))}
    assert codes == {"precedence-conflict", "wrong-type"}


def test_fluent_syntax_error_points_into_the_broken_message(tmp_path: Path) -> None:
    ftl = "granted = { $item_name\n\n\ndenied = fine\n"
    problem = only(problems_of(write_pack(tmp_path / "pack", messages_ftl=ftl)), "template-syntax")
    assert problem.where == "messages.ftl:1:22"
    assert "message 'granted'" in problem.message


def test_fluent_syntax_error_in_block_text_points_at_its_line(tmp_path: Path) -> None:
    text = "|-\n    First line.\n    Then { $item_name oops\n    end."
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text)))
    assert only(problems_of(root), "template-syntax").where.startswith("more.yaml:10:")


def test_fluent_syntax_error_in_block_text_points_at_its_column(tmp_path: Path) -> None:
    text = "|-\n    First line.\n    Then { $item_name oops\n    end."
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text)))
    assert only(problems_of(root), "template-syntax").where == where(root, "more.yaml", "oops")


def test_misspelled_ftl_message_id_is_reported(tmp_path: Path) -> None:
    ftl = "granted-retrun = Yes.\nno-offers = Nothing else.\n"
    problem = only(problems_of(write_pack(tmp_path / "pack", messages_ftl=ftl)), "unknown-key")
    assert problem.hint == "did you mean 'granted-return'?"
    assert problem.where == "messages.ftl:1:1"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("not a path!! {}", "is not a request path"),
        ("order.itemz[].condition", "'order.itemz' is not a request field (did you mean 'items'?)"),
        ("order.items.condition", "'order.items' is a list; write items[] to look inside it"),
        ("order.items[].conditon", "(did you mean 'condition'?)"),
    ],
)
def test_fact_field_must_resolve_in_the_request_model(
    tmp_path: Path, field: str, message: str
) -> None:
    root = write_pack(
        tmp_path / "pack", **_facts("field: order.items[].condition", f'field: "{field}"')
    )
    problem = only(problems_of(root), "unknown-key")
    assert message in problem.message
    assert problem.where == where(root, "facts.yaml", f'"{field}"')


def test_fact_field_must_name_a_single_value(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", **_facts("field: order.items[].condition", "field: order"))
    problem = only(problems_of(root), "unknown-key")
    assert problem.where == where(root, "facts.yaml", "order\n")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example", "//x.example"])
def test_store_policy_url_must_be_http(tmp_path: Path, url: str) -> None:
    policy = changed(POLICY, "  locale: en_US\n", f'  locale: en_US\n  policy_url: "{url}"\n')
    only(problems_of(write_pack(tmp_path / "pack", policy=policy)), "bad-store")


def test_long_excerpt_lines_are_cut_around_the_caret(tmp_path: Path) -> None:
    when = "{reason: " + "x" * 300 + "}"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    problem = only(problems_of(root), "unknown-enum-value")
    line, caret = problem.excerpt.splitlines()
    assert len(line) <= 126 and caret.endswith("^")
