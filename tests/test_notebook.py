"""Notebook display: decisions, alternatives, policies and rules as HTML and Markdown, short
one-line reprs, and ``examples/notebook.ipynb`` executed by a real kernel.

The html is checked for what a reader needs (the badge, the answer, the alternatives, the
agent view and the trace folded in ``<details>``, one table row per rule) and for safety:
whatever a request or a pack says is escaped, never markup.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import html
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import policylib
from policylib import Decision, Policy
from policylib.lang.nodes import Pack, Section, Store, comparisons
from policylib.render import notebook
from policylib.render.page_words import Words
from tests import ROOT

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
HOSTILE = '<script>alert("x")</script>'


def bundled_request(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "rules" / "examples" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def decisions(bundled_policy: Policy) -> dict[str, Decision]:
    names = [
        "hygiene_opened_return",
        "late_refund_day_45",
        "hygiene_unknown_condition",
        "multi_item_return_mixed",
        "cancel_before_shipping",
    ]
    return {n: bundled_policy.evaluate(bundled_request(n), now=NOW) for n in names}


def rows(table_html: str) -> int:
    """Rows of data (``<td>`` cells) in an html table: headers and section rows aside."""
    return table_html.count("<tr><td>")


# --------------------------------------------------------------------------- reprs


def test_a_decision_repr_is_one_short_line(decisions: dict[str, Decision]) -> None:
    for decision in decisions.values():
        shown = repr(decision)
        assert "\n" not in shown and len(shown) < 120, shown
        assert shown.startswith(f"<Decision {decision.outcome.value} ")
        assert decision.reasons[0].rule_id in shown
    late = decisions["late_refund_day_45"]
    assert (
        repr(late) == f"<Decision denied by {late.reasons[0].rule_id}: 2 alternatives, 0 questions>"
    )
    unsure = decisions["hygiene_unknown_condition"]
    assert repr(unsure).endswith(": 0 alternatives, 1 question>")
    assert " waiting on " in repr(unsure)


def test_an_alternative_repr_is_one_short_line(decisions: dict[str, Decision]) -> None:
    for decision in decisions.values():
        for alt in decision.alternatives:
            shown = repr(alt)
            assert "\n" not in shown and len(shown) < 120, shown
            assert shown.startswith(f"<Alternative {alt.kind}: ")


def test_a_repr_is_cut_to_one_line_however_long_the_rule_ids(
    decisions: dict[str, Decision],
) -> None:
    late = decisions["late_refund_day_45"]
    reasons = [r.model_copy(update={"rule_id": "X" * 100}) for r in late.reasons * 5]
    shown = repr(late.model_copy(update={"reasons": reasons}))
    assert len(shown) < 120 and shown.endswith("...>")


def test_policy_and_rule_reprs_are_one_short_line(bundled_pack: Pack) -> None:
    shown = notebook.policy_repr(bundled_pack)
    kinds = len(bundled_pack.vocabulary.kinds)
    name = bundled_pack.store.name
    assert (
        shown == f"<Policy {name!r}: {len(bundled_pack.rules)} rules, {kinds} kinds, engine=core>"
    )
    for rule in bundled_pack.rules:
        line = notebook.rule_repr(rule)
        assert line.startswith(f"<Rule {rule.id} {rule.outcome.value} ") and len(line) < 120


# --------------------------------------------------------------------------- decisions


def test_decision_html_shows_badge_answer_alternatives_agent_view_and_trace(
    decisions: dict[str, Decision],
) -> None:
    late = decisions["late_refund_day_45"]
    shown = late._repr_html_()
    assert shown == notebook.decision_html(late)
    assert '<span class="policylib-badge"' in shown and ">denied</span>" in shown
    assert late.render(format="html") in shown  # the customer's answer, as the policy words it
    assert late.render(audience="agent", format="html") in shown
    assert shown.count("<details>") == 2
    assert "<summary>Agent view</summary>" in shown
    assert f"<summary>Trace: {len(late.trace)} rules</summary>" in shown
    trace = shown[shown.index("<summary>Trace") :]
    assert rows(trace) == len(late.trace)
    for step in late.trace:
        assert f"<code>{html.escape(step.rule_id)}</code>" in trace
    for alt in late.alternatives:
        assert html.escape(alt.text) in shown
        assert f"verified: granted by {alt.rule_id}" in shown


def test_a_question_is_shown_with_the_field_that_answers_it(
    decisions: dict[str, Decision],
) -> None:
    unsure = decisions["hygiene_unknown_condition"]
    shown = unsure._repr_html_()
    question = unsure.questions[0]
    assert f"<strong>Question:</strong> {html.escape(question.text)}" in shown
    assert f"<code>{html.escape(question.field)}</code>" in shown
    assert ">needs info</span>" in shown


def test_decision_markdown_has_the_answer_the_alternatives_and_the_trace_table(
    decisions: dict[str, Decision],
) -> None:
    late = decisions["late_refund_day_45"]
    text = late._repr_markdown_()
    assert text.startswith("**denied** — return request by ")
    assert late.render(format="markdown") in text
    assert f"**Alternatives ({len(late.alternatives)})**" in text
    table = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(table) == len(late.trace)


def test_a_decision_read_back_from_json_still_displays(decisions: dict[str, Decision]) -> None:
    late = decisions["late_refund_day_45"]
    stored = Decision.model_validate_json(late.model_dump_json())
    assert repr(stored) == repr(late)
    shown = stored._repr_html_()
    assert "read back without the policy that made it" in shown
    plain = re.sub(r"</?bdi>", "", shown)  # names are isolated, as in the policy's own html
    for paragraph in late.explanation.split("\n\n"):
        assert f"<p>{html.escape(paragraph)}</p>" in plain
    assert shown.count("<details>") == 2
    assert rows(shown[shown.index("<summary>Trace") :]) == len(late.trace)
    agent = shown[shown.index("<summary>Agent view") : shown.index("<summary>Trace")]
    assert late.reasons[0].rule_id in agent
    assert '<a href="https://' in agent  # the citation stays a link
    assert "read back without the policy" in stored._repr_markdown_()


def unescaped_markup(markdown: str) -> list[str]:
    """Html tags that Markdown would render: ``\\<script\\>`` and code spans are text."""
    text = re.sub(r"`[^`]*`", "", markdown)
    return re.findall(r"(?<!\\)<(?:script|img)\b", text)


def test_names_from_a_request_are_escaped(bundled_policy: Policy) -> None:
    # A request's names may not hold angle brackets (the request is refused), but may hold
    # ampersands and quotes.
    request = bundled_request("late_refund_day_45")
    request["customer"]["name"] = 'Ann "A&B" O\'Neil'
    for item in request["order"]["items"]:
        item["name"] = 'lamp & "shade"'
    decision = bundled_policy.evaluate(request, now=NOW)
    stored = Decision.model_validate_json(decision.model_dump_json())
    for shown in (decision._repr_html_(), stored._repr_html_()):
        assert "A&B" not in shown and '"shade"' not in shown
        assert "lamp &amp; &quot;shade&quot;" in shown


def test_hostile_texts_in_a_decision_are_escaped(decisions: dict[str, Decision]) -> None:
    late = decisions["late_refund_day_45"]
    context = late.context.model_copy(update={"customer_name": HOSTILE, "request_kind": HOSTILE})
    reasons = [r.model_copy(update={"title": HOSTILE, "rule_id": HOSTILE}) for r in late.reasons]
    question = decisions["hygiene_unknown_condition"].questions[0]
    question = question.model_copy(update={"text": HOSTILE, "field": HOSTILE})
    hostile = late.model_copy(
        update={"context": context, "reasons": reasons, "questions": [question]}
    )
    stored = Decision.model_validate_json(hostile.model_dump_json())
    for decision in (hostile, stored):
        shown = decision._repr_html_()
        assert "<script" not in shown and "&lt;script&gt;" in shown
        assert not unescaped_markup(decision._repr_markdown_())
        assert "\n" not in repr(decision)


def test_hostile_trace_values_and_alternative_changes_are_escaped(
    decisions: dict[str, Decision],
) -> None:
    late = decisions["late_refund_day_45"]
    trace = copy.deepcopy(late.trace)
    trace[0].title = HOSTILE
    trace[0].conditions[0].label = HOSTILE
    trace[0].conditions[0].actual = HOSTILE
    alt = late.alternatives[0].model_copy(
        update={"kind": HOSTILE, "text": HOSTILE, "change": {HOSTILE: HOSTILE}, "item": HOSTILE}
    )
    hostile = late.model_copy(update={"trace": trace, "alternatives": [alt]})
    for shown in (hostile._repr_html_(), alt._repr_html_()):
        assert "<script" not in shown and "&lt;script&gt;" in shown
    for text in (hostile._repr_markdown_(), alt._repr_markdown_()):
        assert not unescaped_markup(text)


# --------------------------------------------------------------------------- alternatives


def test_an_alternative_card_shows_kind_text_check_and_change(
    decisions: dict[str, Decision],
) -> None:
    alt = decisions["late_refund_day_45"].alternatives[0]
    shown = alt._repr_html_()
    assert shown == notebook.alternative_html(alt)
    assert html.escape(alt.text) in shown and f"granted by {alt.rule_id}" in shown
    for path in alt.change:
        assert f"<code>{html.escape(path)} = " in shown
    assert alt._repr_markdown_().startswith(f"**{alt.kind.replace('_', ' ')}**: ")
    path = decisions["hygiene_opened_return"].alternatives[0]
    assert "a path: nothing to re-check" in path._repr_html_()


# --------------------------------------------------------------------------- policies and rules


@pytest.mark.parametrize("root", ["rules", "examples/packs/voltaic"])
def test_the_policy_table_has_one_row_per_rule_grouped_by_section(root: str) -> None:
    pack = policylib.load_pack(ROOT / root)
    shown = notebook.policy_html(pack)
    assert rows(shown) == len(pack.rules)
    cited = {rule.citation.section for rule in pack.rules}
    assert shown.count('<tr class="policylib-section">') == len(cited)
    assert f"<strong>{html.escape(pack.store.name)}</strong>" in shown
    for rule in pack.rules:
        assert f"<td><code>{html.escape(rule.id)}</code></td>" in shown
    text = notebook.policy_markdown(pack)
    assert len([line for line in text.splitlines() if line.startswith("| `")]) == len(pack.rules)


def test_citations_link_to_the_anchor_on_the_policy_page(bundled_pack: Pack) -> None:
    shown = notebook.policy_html(bundled_pack)
    rule = next(r for r in bundled_pack.rules if r.citation.anchor)
    url = f"{bundled_pack.store.policy_url}#{rule.citation.anchor}"
    title = bundled_pack.sections[rule.citation.section].title
    assert f'<a href="{html.escape(url)}">{html.escape(title)}</a>' in shown


def test_hostile_pack_texts_are_escaped_and_unsafe_links_dropped(bundled_pack: Pack) -> None:
    rule = dataclasses.replace(bundled_pack.rules[0], title=HOSTILE, kinds=(HOSTILE,))
    section_id = rule.citation.section
    sections = {
        **bundled_pack.sections,
        section_id: dataclasses.replace(bundled_pack.sections[section_id], title=HOSTILE),
    }
    store = dataclasses.replace(bundled_pack.store, name=HOSTILE, policy_url="javascript:alert(1)")
    pack = dataclasses.replace(
        bundled_pack, rules=(rule, *bundled_pack.rules[1:]), sections=sections, store=store
    )
    for shown in (notebook.policy_html(pack), notebook.rule_html(rule, pack)):
        assert "<script" not in shown and "&lt;script&gt;" in shown
        assert "javascript:" not in shown
    for text in (notebook.policy_markdown(pack), notebook.rule_markdown(rule, pack)):
        assert not unescaped_markup(text) and "javascript:" not in text


def test_a_rule_card_words_its_conditions_with_the_pack(bundled_policy: Policy) -> None:
    pack = bundled_policy.pack
    rule = next(r for r in pack.rules if r.id == "HYG-001")
    words = Words(pack, bundled_policy.texts).applies(rule)
    shown = notebook.rule_html(rule, pack, bundled_policy.texts)
    assert html.escape(words) in shown
    assert f"<code>{rule.id}</code> <strong>{html.escape(rule.title)}</strong>" in shown
    labels = [pack.facts[c.fact].label for c in comparisons(rule.when)]
    assert all(html.escape(label) in shown for label in labels)
    bare = notebook.rule_html(rule)  # no pack: the facts by name, no plain words
    assert html.escape(words) not in bare
    assert all(f"<li>{c.fact} " in bare for c in comparisons(rule.when))
    assert notebook.rule_markdown(rule, pack).count("\n- ") == len(comparisons(rule.when))


def test_the_output_types_import_no_renderer_at_import_time() -> None:
    tree = ast.parse((ROOT / "policylib" / "output" / "decision.py").read_text())
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = [n.module or "" for n in top if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    assert not [n for n in names if n.startswith("policylib.render")]


# --------------------------------------------------------------------------- the example notebook


def test_the_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The example notebook run by a fresh kernel of this interpreter, in an empty folder
    (it must not depend on the working directory); a cell that raises fails here."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    probe = nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)")
    probe.metadata["tags"] = ["probe"]
    nb.cells.append(probe)
    folder = tmp_path_factory.mktemp("notebook")
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return nb


def _tagged(nb: nbformat.NotebookNode, tag: str) -> list[Any]:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def _mime(cell: Any) -> set[str]:
    return {
        mime
        for out in cell.outputs
        if out.output_type in ("execute_result", "display_data")
        for mime in out.data
    }


def test_the_notebook_runs_in_this_interpreter_without_errors(
    executed: nbformat.NotebookNode,
) -> None:
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    (probe,) = _tagged(executed, "probe")
    assert probe.outputs[0].text.strip() == sys.prefix


def test_the_notebook_shows_decisions_and_an_alternative_as_html(
    executed: nbformat.NotebookNode,
) -> None:
    decisions = _tagged(executed, "decision")
    assert len(decisions) >= 3
    for cell in [*decisions, *_tagged(executed, "alternative")]:
        assert {"text/html", "text/markdown", "text/plain"} <= _mime(cell), cell.source
    for cell in decisions:
        (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert result.data["text/html"].count("<details>") == 2
        assert re.fullmatch(r"<Decision [^\n]{1,110}>", result.data["text/plain"])
    agent = [c for c in executed.cells if 'audience="agent"' in c.source]
    assert agent and "Conditions checked" in agent[0].outputs[0].text


def test_the_notebook_shows_the_policy_and_a_rule_as_html(
    executed: nbformat.NotebookNode,
) -> None:
    # Needs Policy._repr_html_ / Rule._repr_html_ (policylib/policy.py, lang/nodes.py).
    for tag in ("policy", "rule"):
        (cell,) = _tagged(executed, tag)
        assert "text/html" in _mime(cell), f"the {tag} cell shows {sorted(_mime(cell))}"


def test_stores_and_sections_display_their_own_names(bundled_pack: Pack) -> None:
    # A pack with one section and a bare store still gets a header row and a title.
    rule = bundled_pack.rules[0]
    pack = dataclasses.replace(
        bundled_pack,
        rules=(rule,),
        sections={rule.citation.section: Section(id=rule.citation.section, title="Only")},
        store=Store(name="Plain"),
    )
    shown = notebook.policy_html(pack)
    assert rows(shown) == 1 and ">Only (1 rule)</th>" in shown
    assert "policy page" not in shown and "<a href" not in shown


# --------------------------------------------------------------------------- in other languages


def test_a_decision_made_in_spanish_displays_in_spanish(decisions: dict[str, Decision]) -> None:
    """Every label comes from policylib's catalogs in the decision's locale."""
    late = decisions["late_refund_day_45"]
    stored = Decision.model_validate_json(late.model_dump_json())
    context = stored.context.model_copy(update={"locale": "es_US"})
    spanish = stored.model_copy(update={"context": context})
    rule = late.reasons[0].rule_id
    assert repr(spanish) == f"<Decision denied por {rule}: 2 alternativas, 0 preguntas>"
    shown = spanish._repr_html_()
    assert ">rechazada</span>" in shown and "<strong>solicitud return</strong>" in shown
    assert "se leyó sin la política que la tomó" in shown
    assert "<summary>Vista del agente</summary>" in shown
    assert f"<summary>Traza: {len(late.trace)} reglas</summary>" in shown
    assert "<p>Decidida por:</p>" in shown and "<th>regla</th>" in shown
    for english in ("Agent view", "Trace:", "Decided by", "Alternatives", "(actual "):
        assert english not in shown, english
    text = spanish._repr_markdown_()
    assert text.startswith("**rechazada** — solicitud return por ")
    assert "**Alternativas (2)**" in text


def test_one_of_a_thing_is_said_in_the_singular(decisions: dict[str, Decision]) -> None:
    unsure = decisions["hygiene_unknown_condition"]
    one = unsure.model_copy(update={"trace": unsure.trace[:1]})
    assert "<summary>Trace: 1 rule</summary>" in notebook.decision_html(one)
    assert repr(one).endswith(": 0 alternatives, 1 question>")
