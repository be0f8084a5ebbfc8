"""Tests for policylib.loader: packs are written into tmp_path from small YAML strings."""

from __future__ import annotations

import sys
import textwrap
import types
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import policylib.facts as real_facts
from policylib import language as lang
from policylib.errors import Problem, RuleError
from policylib.loader import load_pack
from tests.conftest import Goldens

BAD_RULES = Path(__file__).resolve().parent / "data" / "bad_rules"


# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class FakeDerivation:
    name: str
    type: str
    values: tuple[str, ...] = ()


FAKE_DERIVATIONS = {
    d.name: d
    for d in (
        FakeDerivation("days_since_delivery", "integer"),
        FakeDerivation("item_opened", "boolean"),
        FakeDerivation("item_name", "text"),
        FakeDerivation("item_price", "money"),
        FakeDerivation("hours_since_order", "decimal"),
        FakeDerivation("new_date", "date"),
        FakeDerivation(
            "reason",
            "enum",
            ("changed_mind", "defective", "damaged_in_transit", "wrong_item", "other"),
        ),
    )
}


@pytest.fixture(autouse=True)
def fake_derivations(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the derivations so these tests do not depend on policylib.facts' current list."""
    if "bundled" in request.node.name:
        return
    module = types.ModuleType("policylib.facts")
    module.DERIVATIONS = FAKE_DERIVATIONS  # type: ignore[attr-defined]
    module.SETTINGS = {  # type: ignore[attr-defined]
        **real_facts.SETTINGS,
        "estimate_pad": real_facts.Setting(1, False, 0, 10, "days"),
    }
    monkeypatch.setitem(sys.modules, "policylib.facts", module)


POLICY = """\
store:
  name: Test Store
  country: US
  timezone: America/New_York
  currency: USD
  locale: en_US
default:
  outcome: denied
  text: "We found no rule for this request."
settings:
  restocking_fee_percent: 15
  estimate_pad: 1.5
sections:
  returns: {title: Returns and refunds, summary: "How returns work."}
  delivery: {title: Delivery}
"""

FACTS = """\
facts:
  days_since_delivery:
    type: integer
    unit: days
    label: days since delivery
    derive: days_since_delivery
  item_opened:
    type: boolean
    label: whether the item was opened
    derive: item_opened
    question: "Has the { $item_name } been opened?"
    field: order.items[].condition
  item_name: {type: text, label: the item, derive: item_name}
  item_price: {type: money, unit: currency, label: the price, derive: item_price}
  hours_since_order: {type: decimal, unit: hours, label: hours, derive: hours_since_order}
  new_date: {type: date, label: the new date, derive: new_date}
  reason:
    type: enum
    values: [changed_mind, defective, damaged_in_transit, wrong_item, other]
    label: the reason
    derive: reason
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


def write_pack(root: Path, **files: str) -> Path:
    """A pack directory with the base policy/facts/returns files, overridden by ``files``.

    Keyword names map to file names: ``policy`` -> policy.yaml, ``messages_ftl`` ->
    messages.ftl; a value of ``""`` removes the file.
    """
    contents = {"policy.yaml": POLICY, "facts.yaml": FACTS, "returns.yaml": RETURNS}
    for key, text in files.items():
        name = key.replace("_ftl", ".ftl") if key.endswith("_ftl") else f"{key}.yaml"
        contents[name] = text
    root.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        if text:
            (root / name).write_text(text, encoding="utf-8")
    return root


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


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, "\n".join(str(p) for p in problems)
    return found[0]


# --------------------------------------------------------------------------- happy path


def test_loads_a_valid_pack(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack", messages_ftl="denied = No { $item_name }!\nno-offers = Bye\n"
    )
    pack = load_pack(root)
    assert pack.store.name == "Test Store"
    assert pack.default_outcome == "denied"
    assert pack.settings == {"restocking_fee_percent": 15, "estimate_pad": Decimal("1.5")}
    assert [r.id for r in pack.rules] == ["RET-WIN-001", "RET-WIN-002"]
    assert [r.order for r in pack.rules] == [0, 1]
    first, second = pack.rules
    assert first.kinds == ("return", "exchange")
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
    assert pack.facts["reason"].values[0] == "changed_mind"
    question = pack.facts["item_opened"].question
    assert question is not None and question.variables == ("item_name",)
    assert pack.facts["item_opened"].field == "order.items[].condition"
    assert pack.sections["returns"].file == "returns.yaml"
    assert pack.messages["denied"].source == "No { $item_name }!"
    assert pack.messages["denied"].variables == ("item_name",)
    (example,) = pack.examples
    assert example.request == {
        "kind": "return",
        "order": {"id": "A-1", "total": 49.99, "items": [{"sku": "X", "qty": 1}]},
    }
    assert example.rule == "RET-WIN-001"


def test_loading_twice_gives_equal_packs(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack")
    assert load_pack(root) == load_pack(str(root))


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
    from datetime import date

    assert values == [
        ("reason", "in", ("defective", "wrong_item")),
        ("item_price", "gte", Decimal("10.50")),
        ("new_date", "eq", date(2026, 12, 1)),
        ("hours_since_order", "lt", Decimal("2.5")),
        ("item_name", "ne", "012"),
    ]


def test_single_file_pack(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(POLICY + FACTS + RETURNS, encoding="utf-8")
    pack = load_pack(path)
    assert [r.id for r in pack.rules] == ["RET-WIN-001", "RET-WIN-002"]
    assert pack.rules[0].loc.file == "one.yaml"
    assert pack.facts["item_opened"].loc.file == "one.yaml"


def test_request_file_examples(tmp_path: Path) -> None:
    examples = "- name: from a file\n  outcome: denied\n  request_file: examples/late.json\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001"), examples=examples))
    (root / "examples").mkdir()
    (root / "examples" / "late.json").write_text('{"kind": "return"}', encoding="utf-8")
    pack = load_pack(root)
    assert pack.examples[0].request == {"kind": "return"}


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


def test_bundled_pack_loads() -> None:
    assert isinstance(load_pack(), lang.Pack)


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


def _more(rules: str, examples: str = "") -> dict[str, str]:
    return {"more": area(rules, examples=examples)}


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
        '"Sorry',
        "MOR-A-001",
    ),
    Case(
        "template-not-allowed",
        _more(rule("MOR-A-001", text='"Sorry { NUMBER($item_price) }."')),
        "more.yaml",
        '"Sorry',
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
    Case(
        "unknown-derivation",
        {"facts": FACTS.replace("derive: item_name", "derive: item_nam")},
        "facts.yaml",
        "item_nam}",
    ),
    Case(
        "derivation-type-mismatch",
        {"facts": FACTS.replace("type: text, label: the item", "type: enum, label: the item")},
        "facts.yaml",
        "item_name}",
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
        {"policy": POLICY.replace("America/New_York", "America/Gotham")},
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


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
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


def test_missing_policy_file(tmp_path: Path) -> None:
    problem = only(problems_of(write_pack(tmp_path / "pack", policy="")), "missing-file")
    assert "policy.yaml" in problem.message


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
        policy=POLICY.replace("currency: USD", "currency: usd"),
    )
    with pytest.raises(RuleError) as info:
        load_pack(root)
    codes = [(p.code, p.rule_id) for p in info.value.problems]
    assert codes == [  # files in name order (more.yaml before policy.yaml), then lines
        ("unknown-fact", "MOR-A-001"),
        ("unknown-outcome", "MOR-A-002"),
        ("unknown-placeholder", "MOR-A-003"),
        ("bad-store", ""),
    ]
    assert str(info.value).startswith(f"4 problem(s) in rule pack {root}")


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


def test_in_needs_a_non_empty_list(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when="{reason: {in: []}}")))
    assert "must not be empty" in only(problems_of(root), "wrong-type").message


@pytest.mark.parametrize(
    "pattern",
    ['"{ -brand }"', '"{ other-message }"', '"{ $reason ->\\n *[other] x\\n}"', '"{ \\"x\\" }"'],
)
def test_only_variable_placeholders_are_allowed(tmp_path: Path, pattern: str) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=pattern)))
    only(problems_of(root), "template-not-allowed")


def test_ftl_problems_are_located(tmp_path: Path) -> None:
    ftl = "denied = Hi { $nobody }\ngranted = { $item_name\nno-offers = Bye\n"
    problems = problems_of(write_pack(tmp_path / "pack", messages_ftl=ftl))
    assert [(p.code, p.where) for p in problems] == [
        ("unknown-placeholder", "messages.ftl:1:1"),
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

GOLDEN_CODES = sorted(p.stem for p in BAD_RULES.glob("*.yaml"))


@pytest.mark.parametrize("code", GOLDEN_CODES)
def test_bad_rule_files_match_their_golden_message(golden: Goldens, code: str) -> None:
    with pytest.raises(RuleError) as info:
        load_pack(BAD_RULES / f"{code}.yaml")
    text = str(info.value).replace(str(BAD_RULES), "tests/data/bad_rules") + "\n"
    assert code in {p.code for p in info.value.problems}
    golden.check(BAD_RULES / f"{code}.expected", text)


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
    extra = f"offers:\n  - kind: x\n    change: {{resolution: {value}}}\n    text: Y\n"
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
    extra = "offers:\n  - kind: x\n    change: {details.current_price: 12.50}\n    text: Y\n"
    pack = load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra))))
    offer = next(r for r in pack.rules if r.id == "MOR-A-001").offers[0]
    assert offer.change == (("details.current_price", Decimal("12.50")),)


@pytest.mark.parametrize(
    ("change", "code", "hint"),
    [
        ("{resolutoin: refund}", "unknown-key", "did you mean 'resolution'?"),
        ("{details.new_dat: 2026-01-01}", "unknown-key", "did you mean 'new_date'?"),
        ("{resolution: refnd}", "unknown-enum-value", "did you mean 'refund'?"),
        ("{kind: cancl}", "unknown-enum-value", "did you mean 'cancel'?"),
    ],
)
def test_offer_change_paths_and_values_follow_the_request_model(
    tmp_path: Path, change: str, code: str, hint: str
) -> None:
    extra = f"offers:\n  - kind: x\n    change: {change}\n    text: Y\n"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra)))
    assert only(problems_of(root), code).hint == hint


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


def test_non_specific_tag_is_allowed(tmp_path: Path) -> None:
    load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text='! "No."'))))


@pytest.mark.parametrize("nested", ["[" * 1000 + "]" * 1000, "{not: " * 500 + "{a: 1}" + "}" * 500])
def test_deep_nesting_is_reported_not_a_recursion_error(tmp_path: Path, nested: str) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=nested)))
    problem = only(problems_of(root), "nesting-too-deep")
    assert problem.where.startswith("more.yaml:6:") and problem.rule_id == "MOR-A-001"


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


def test_misspelled_ftl_message_id_is_reported(tmp_path: Path) -> None:
    ftl = "granted-retrun = Yes.\noffer-supervisor-review = A supervisor can look.\n"
    problem = only(problems_of(write_pack(tmp_path / "pack", messages_ftl=ftl)), "unknown-key")
    assert problem.hint == "did you mean 'granted-return'?"


def test_supervisor_message_id_matches_alternatives() -> None:
    from policylib import alternatives, loader

    assert loader.SUPERVISOR_MESSAGE == alternatives.SUPERVISOR_MESSAGE


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("not a path!! {}", "wrong-type"),
        ("order.itemz[].condition", "unknown-key"),
        ("order.items.condition", "wrong-type"),
        ("order.items[].conditon", "unknown-key"),
        ("order", "wrong-type"),
    ],
)
def test_fact_field_must_resolve_in_the_request_model(
    tmp_path: Path, field: str, code: str
) -> None:
    facts = FACTS.replace("field: order.items[].condition", f'field: "{field}"')
    only(problems_of(write_pack(tmp_path / "pack", facts=facts)), code)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example", "//x.example"])
def test_store_policy_url_must_be_http(tmp_path: Path, url: str) -> None:
    policy = POLICY.replace("  locale: en_US\n", f'  locale: en_US\n  policy_url: "{url}"\n')
    only(problems_of(write_pack(tmp_path / "pack", policy=policy)), "bad-store")


def test_long_excerpt_lines_are_cut_around_the_caret(tmp_path: Path) -> None:
    when = "{reason: " + "x" * 300 + "}"
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when)))
    problem = only(problems_of(root), "unknown-enum-value")
    line, caret = problem.excerpt.splitlines()
    assert len(line) <= 126 and caret.endswith("^")
