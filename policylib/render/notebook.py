"""Rich display in notebooks: decisions, alternatives, policies and rules as HTML and Markdown.

Jupyter shows an object through its ``_repr_html_`` / ``_repr_markdown_`` methods; the
output types and the policy delegate to the functions here, so this module is the one place
that lays those objects out for a developer reading them in a notebook:

* a ``Decision``: an outcome badge, the customer's answer, the alternatives, and two
  collapsible blocks (``<details>``): the agent view and the trace as a table;
* an ``Alternative``: a small card (kind, text, what re-checked it, the change it stands for);
* a pack (``policy.pack``): the store and a table of its rules, grouped by section;
* a ``Rule``: a small card with its conditions, in plain words when the pack is given.

The short ``*_repr`` functions give one-line ``__repr__`` texts. Every label comes from
policylib's catalogs (``render/locales/<language>/notebook.ftl``) in the decision's or the
pack's locale, so a notebook reads in the language the store answers in. Every text that
comes from a pack or a request is escaped (html) or has its markup characters escaped
(Markdown); the customer and agent views are the decision's own html rendering, which is
safe already.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeAlias

from policylib.errors import shorten_text
from policylib.lang.nodes import (
    All,
    Any_,
    Compare,
    Condition,
    Not,
    Outcome,
    Pack,
    Ref,
    Rule,
    precedence,
)
from policylib.output.decision import (
    Alternative,
    Audience,
    ConditionTrace,
    Decision,
    Format,
    RuleTrace,
)
from policylib.render.document import Run, p, serialize, ul
from policylib.render.page_words import Words
from policylib.render.phrasebook import Phrasebook, Shown
from policylib.render.texts import TextRenderer
from policylib.render.values import format_number
from policylib.render.views import safe_url

__all__ = [
    "alternative_html",
    "alternative_markdown",
    "alternative_repr",
    "decision_html",
    "decision_markdown",
    "decision_repr",
    "policy_html",
    "policy_markdown",
    "policy_repr",
    "rule_html",
    "rule_markdown",
    "rule_repr",
]

_REPR_LIMIT = 119
"""A repr fits on one line of a terminal or a notebook cell."""

_COLORS = {
    "granted": "#2e7d32",
    "partial": "#8a6d00",
    "denied": "#c62828",
    "needs_info": "#1565c0",
    "escalate": "#6a1b9a",
    "held": "#2e7d32",
    "failed": "#c62828",
    "unknown": "#8a6d00",
    "skipped": "#616161",
}
_MARKS = {"held": "\u2713", "failed": "\u2717", "unknown": "?"}
_OP_SIGNS = {
    "eq": "=",
    "ne": "\u2260",
    "lt": "<",
    "lte": "\u2264",
    "gt": ">",
    "gte": "\u2265",
    "in": "\u2208",
    "not_in": "\u2209",
}
"""Comparisons as signs, which read the same in every language."""
_STYLE = (
    "<style>.policylib table{border-collapse:collapse}"
    ".policylib th,.policylib td{text-align:left;vertical-align:top;padding:2px 8px}"
    ".policylib .policylib-section th{padding-top:8px}"
    ".policylib .policylib-badge{color:#fff;padding:1px 7px;border-radius:8px;font-weight:600}"
    ".policylib .policylib-answer{border-left:3px solid #9e9e9e;padding-left:10px}</style>"
)
"""Once per display: notebook front ends right-align table cells unless told otherwise."""


# --------------------------------------------------------------------------- helpers

_DEFAULT_LOCALE = "en_US"
"""The words of an alternative or a rule shown without its pack (no locale to go by)."""


@functools.lru_cache(maxsize=16)
def _book(locale: str) -> Phrasebook:
    """policylib's own words in ``locale`` (English where its catalog leaves one out);
    built once per locale, then only read."""
    return Phrasebook({}, locale)


def _count(book: Phrasebook, message_id: str, count: int, locale: str) -> str:
    """``notebook-rules`` for 3: "3 rules" (the catalog's plural form for the number)."""
    return book.get(message_id, {"count": Shown(format_number(count, locale), count)})


_SLOT = "\ue000"
"""A private-use character standing where markup goes into a filled message."""


def _html_with(book: Phrasebook, message_id: str, name: str, markup: str, **args: str) -> str:
    """A message as html: its words escaped, and ``markup`` (html already) in place of
    the value ``name``, so the catalog decides where the markup sits."""
    return _e(book.get(message_id, {**args, name: _SLOT})).replace(_SLOT, markup)


def _outcome_words(book: Phrasebook, outcome: str) -> str:
    """An outcome or a status in the catalog's words ("needs info", "decided")."""
    return (
        book.get(f"agent-outcome-{outcome}")
        or book.get(f"agent-state-{outcome}")
        or outcome.replace("_", " ")
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: object) -> str:
    """Text for Markdown: markup characters escaped, on one line (it may sit in a table)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _value(outcome: Outcome | str | None) -> str:
    if outcome is None:
        return ""
    return outcome.value if isinstance(outcome, Outcome) else str(outcome)


def _badge(word: str, book: Phrasebook) -> str:
    color = _COLORS.get(word, "#616161")
    shown = _e(_outcome_words(book, word))
    return f'<span class="policylib-badge" style="background:{color}">{shown}</span>'


def _fit(text: str, limit: int = _REPR_LIMIT) -> str:
    """A repr kept to one line: whitespace folded, and cut (keeping the closing ``>``)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 4] + "...>"


def _ids(ids: Sequence[str], book: Phrasebook, locale: str, most: int = 3) -> str:
    ids = list(dict.fromkeys(ids))
    shown = ", ".join(ids[:most])
    if len(ids) <= most:
        return shown
    more = Shown(format_number(len(ids) - most, locale), len(ids) - most)
    return book.get("notebook-more", {"shown": shown, "count": more})


def _shown(value: Any, book: Phrasebook) -> str:
    """A raw value (a condition's required or actual value) as short plain text: as the
    rules write it (``true``, ``[a, b]``), a value nobody told in the catalog's words."""
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return book.unknown
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_shown(v, book) for v in value) + "]"
    if isinstance(value, str | int | float | Decimal | date):
        return shorten_text(str(value), 60)
    return shorten_text(json.dumps(value, default=str, ensure_ascii=False), 60)


def _table(head: Sequence[str], rows: Iterable[str]) -> str:
    cells = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _row(cells: Sequence[str]) -> str:
    """A table row of cells that are html already."""
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _code(text: object) -> str:
    """A Markdown code span (no escapes inside one: a backtick becomes a quote)."""
    return "`" + " ".join(str(text).replace("`", "'").split()) + "`"


def _md_table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{_e(summary)}</summary>\n{body}\n</details>"


# --------------------------------------------------------------------------- decisions


def _decision_book(decision: Decision) -> tuple[Phrasebook, str]:
    """The words a decision is shown in: those of the locale it was decided in."""
    locale = decision.context.locale or _DEFAULT_LOCALE
    return _book(locale), locale


def _deciders(decision: Decision) -> str:
    """``by R-3`` or ``waiting on R-2``: the rules behind the outcome."""
    ids = [r.rule_id for r in decision.reasons]
    if not ids:
        return ""
    book, locale = _decision_book(decision)
    lead = "notebook-waiting-on" if decision.outcome == Outcome.NEEDS_INFO else "notebook-by"
    return book.get(lead, {"rules": _ids(ids, book, locale)})


def decision_repr(decision: Decision) -> str:
    """One line: ``<Decision denied by R-3: 2 alternatives, 1 question>``."""
    book, locale = _decision_book(decision)
    by = _deciders(decision)
    counts = ", ".join(
        [
            _count(book, "notebook-alternatives", len(decision.alternatives), locale),
            _count(book, "notebook-questions", len(decision.questions), locale),
        ]
    )
    return _fit(f"<Decision {_value(decision.outcome)}{' ' + by if by else ''}: {counts}>")


def _rendered(decision: Decision, audience: Audience, format: Format) -> str | None:
    """The decision in its policy's own words, or None when no policy holds it (JSON)."""
    if decision._renderer is None:
        return None
    return decision._renderer(decision, audience, format)


def _alternatives_html(decision: Decision) -> str:
    book, _ = _decision_book(decision)
    if not decision.alternatives:
        return f"<p><em>{_e(book.get('notebook-no-alternatives'))}</em></p>"
    items = [[alt.text, f"[{_alternative_tag(alt, book)}]"] for alt in decision.alternatives]
    return serialize([ul(items)], "html", isolate=_isolated(decision))


def _alternative_tag(alt: Alternative, book: Phrasebook) -> str:
    """``credit; verified: granted by R-4``."""
    kind = alt.kind.replace("_", " ")  # the pack's own identifier
    args = {"rule_id": alt.rule_id or ""}
    if alt.rule_id and alt.verified:
        partly = alt.outcome == Outcome.PARTIAL
        tag = book.get("agent-verified-partial" if partly else "agent-verified", args)
    elif alt.rule_id:
        tag = book.get("notebook-unverified", args)
    else:
        tag = book.get("agent-path")
    parts = [kind, tag]
    if alt.item:
        parts.append(book.get("notebook-for-item", {"item_name": alt.item}))
    return "; ".join(parts)


def _isolated(decision: Decision) -> list[str]:
    """The names the views set in ``<bdi>``: the customer's and the items' and plans'."""
    ctx = decision.context
    return [ctx.customer_name or "", *ctx.names]


def _agent_fallback(decision: Decision) -> str:
    """The agent's facts from the decision's own fields (no policy to word them)."""
    ctx = decision.context
    book, _ = _decision_book(decision)
    blocks = []
    reasons = [
        [
            book.get("agent-reason", {"rule_id": r.rule_id, "title": r.title}),
            f"({r.citation.title or r.citation.section})",
        ]
        for r in decision.reasons
    ]
    if reasons:
        blocks.append(p(book.get("notebook-decided-by")))
        blocks.append(ul(reasons))
    if ctx.facts:
        blocks.append(p(book.get("notebook-facts")))
        blocks.append(
            ul(
                [book.get("agent-fact", {"label": label, "value": value})]
                for label, value in ctx.facts.items()
            )
        )
    if ctx.escalation_contact:
        blocks.append(p(book.get("agent-escalate", {"escalation_contact": ctx.escalation_contact})))
    policy = book.get("agent-policy")
    cites = [(r.citation.title or policy, safe_url(r.citation.url)) for r in decision.reasons]
    links: list[list[Run | str]] = [
        [book.get("agent-citation", {"title": title}), Run(url, url=url)]
        for title, url in dict.fromkeys(cites)
        if url
    ]
    if links:
        blocks.append(p(book.get("notebook-policy")))
        blocks.append(ul(links))
    return serialize(blocks, "html", isolate=_isolated(decision))


def _answer_fallback(decision: Decision) -> str:
    """The stored explanation (the customer's text) as paragraphs."""
    paragraphs = [t.strip() for t in re.split(r"\n\s*\n", decision.explanation) if t.strip()]
    return serialize([p(t) for t in paragraphs], "html", isolate=_isolated(decision))


def _condition_cell(cond: ConditionTrace, book: Phrasebook) -> str:
    mark = _MARKS.get(cond.status, "")
    color = _COLORS.get(cond.status, "#616161")
    wanted = f"{_OP_SIGNS.get(cond.op, cond.op)} {_shown(cond.required, book)}"
    actual = book.get("notebook-actual", {"value": _shown(cond.actual, book)})
    return f'<span style="color:{color}">{mark}</span> {_e(cond.label)}: {_e(wanted)} {_e(actual)}'


_TRACE_COLUMNS = ("rule", "status", "outcome", "priority", "held", "failed", "unknown")


def _columns(book: Phrasebook, names: Sequence[str]) -> list[str]:
    """A table's column heads in the catalog's words (``notebook-column-<name>``)."""
    return [book.get(f"notebook-column-{name}") or name for name in names]


def _trace_words(step: RuleTrace, book: Phrasebook) -> list[str]:
    """A trace entry's plain cells after the rule: status, outcome, priority, counts."""
    statuses = [c.status for c in step.conditions]
    counts = [str(statuses.count(s)) for s in ("held", "failed", "unknown")]
    status = "decided" if step.decided else step.status
    return [
        _outcome_words(book, status),
        _outcome_words(book, _value(step.outcome)),
        str(step.priority),
        *counts,
    ]


def _trace_html(trace: Sequence[RuleTrace], book: Phrasebook) -> str:
    rows = []
    for step in trace:
        status, *rest = _trace_words(step, book)
        rule = f"<code>{_e(step.rule_id)}</code> {_e(step.title)}"
        conditions = "<br>".join(_condition_cell(c, book) for c in step.conditions)
        shown = _badge("decided", book) if step.decided else _e(status)
        rows.append(_row([rule, shown, *map(_e, rest), conditions]))
    return _table(_columns(book, (*_TRACE_COLUMNS, "conditions")), rows)


def decision_html(decision: Decision) -> str:
    """A decision for a notebook: badge, customer answer, alternatives, agent view, trace."""
    ctx = decision.context
    book, locale = _decision_book(decision)
    outcome = _value(decision.outcome)
    by = _deciders(decision)
    titles = "; ".join(dict.fromkeys(r.title for r in decision.reasons if r.title))
    request = book.get("notebook-request", {"kind": ctx.request_kind.replace("_", " ")})
    head = (
        f"<p>{_badge(outcome, book)} <strong>{_e(request)}</strong>"
        + (f" {_e(by)}" if by else "")
        + (f" — {_e(titles)}" if titles else "")
        + "</p>"
    )
    answer = _rendered(decision, "customer", "html")
    agent = _rendered(decision, "agent", "html")
    if answer is None or agent is None:
        note = _e(book.get("notebook-no-policy"))
        head += f'\n<p class="policylib-note"><em>{note}</em></p>'
        answer, agent = _answer_fallback(decision), _agent_fallback(decision)
    parts = [
        f'<div class="policylib policylib-decision">{_STYLE}',
        head,
        f'<div class="policylib-answer">\n{answer}\n</div>',
    ]
    if decision.questions:
        question = decision.questions[0]
        field = ""
        if question.field:
            code = f"<code>{_e(question.field)}</code>"
            field = " " + _html_with(book, "notebook-request-field", "field", code)
        label = _e(book.get("notebook-question"))
        parts.append(f"<p><strong>{label}</strong> {_e(question.text)}{field}</p>")
    count = format_number(len(decision.alternatives), locale)
    alternatives = _e(book.get("notebook-alternatives-head", {"count": count}))
    parts.append(f"<p><strong>{alternatives}</strong></p>")
    parts.append(_alternatives_html(decision))
    parts.append(_details(book.get("notebook-agent-view"), agent))
    rules = _count(book, "notebook-rules", len(decision.trace), locale)
    trace = book.get("notebook-trace", {"rules": rules})
    parts.append(_details(trace, _trace_html(decision.trace, book)))
    parts.append("</div>")
    return "\n".join(parts)


def decision_markdown(decision: Decision) -> str:
    """A decision as Markdown: headline, customer answer, alternatives and the trace table."""
    ctx = decision.context
    book, locale = _decision_book(decision)
    by = _deciders(decision)
    request = book.get("notebook-request", {"kind": ctx.request_kind.replace("_", " ")})
    lines = [
        f"**{_md(_outcome_words(book, _value(decision.outcome)))}** — {_md(request)}"
        + (f" {_md(by)}" if by else ""),
        "",
    ]
    answer = _rendered(decision, "customer", "markdown")
    if answer is None:
        paragraphs = re.split(r"\n\s*\n", decision.explanation)
        note = _md(book.get("notebook-no-policy"))
        answer = "\n\n".join([*(_md(t) for t in paragraphs if t.strip()), f"_{note}_"])
    lines += [answer, ""]
    if decision.questions:
        label = _md(book.get("notebook-question"))
        lines += [f"**{label}** {_md(decision.questions[0].text)}", ""]
    count = format_number(len(decision.alternatives), locale)
    lines.append(f"**{_md(book.get('notebook-alternatives-head', {'count': count}))}**")
    lines.append("")
    lines += [
        f"- {_md(a.text)} \\[{_md(_alternative_tag(a, book))}\\]" for a in decision.alternatives
    ]
    if decision.trace:
        rules = _count(book, "notebook-rules", len(decision.trace), locale)
        lines += ["", f"**{_md(book.get('notebook-trace', {'rules': rules}))}**", ""]
        rows = [
            [f"{_code(step.rule_id)} {_md(step.title)}", *_trace_words(step, book)]
            for step in decision.trace
        ]
        lines += _md_table(_columns(book, _TRACE_COLUMNS), rows)
    return "\n".join(lines).strip() + "\n"


# --------------------------------------------------------------------------- alternatives


def alternative_repr(alt: Alternative) -> str:
    """One line: ``<Alternative credit: verified by R-4: 'We can offer ...'>``."""
    book = _book(_DEFAULT_LOCALE)
    if alt.rule_id:
        by = "notebook-verified-by" if alt.verified else "notebook-unverified-by"
        state = book.get(by, {"rule_id": alt.rule_id})
    else:
        state = book.get("notebook-a-path")
    return _fit(f"<Alternative {alt.kind}: {state}: {shorten_text(alt.text, 50)!r}>")


def _change_words(change: dict[str, Any], book: Phrasebook) -> list[str]:
    return [f"{path} = {_shown(value, book)}" for path, value in change.items()]


def alternative_html(alt: Alternative) -> str:
    """An alternative as a small card: kind, text, what re-checked it, the change."""
    book = _book(_DEFAULT_LOCALE)
    parts = [
        f'<div class="policylib policylib-alternative">{_STYLE}',
        f"<p>{_badge(alt.kind, book)} {_e(alt.text)}</p>",
        f"<p><small>{_e(_alternative_tag(alt, book))}</small></p>",
    ]
    if alt.change:
        changes = "".join(f"<li><code>{_e(c)}</code></li>" for c in _change_words(alt.change, book))
        label = _e(book.get("notebook-change"))
        parts.append(f"<p><small>{label}</small></p><ul>{changes}</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def alternative_markdown(alt: Alternative) -> str:
    book = _book(_DEFAULT_LOCALE)
    lines = [
        f"**{_md(alt.kind.replace('_', ' '))}**: {_md(alt.text)}",
        "",
        _md(_alternative_tag(alt, book)),
    ]
    if alt.change:
        lines += ["", *(f"- {_code(c)}" for c in _change_words(alt.change, book))]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- policies


def _pack_book(pack: Pack | None) -> tuple[Phrasebook, str]:
    """The words a pack is shown in: those of its own locale."""
    locale = (pack.store.locale if pack is not None else "") or _DEFAULT_LOCALE
    return _book(locale), locale


def policy_repr(pack: Pack, engine: str = "core") -> str:
    """One line: ``<Policy 'A Store': 55 rules, 6 kinds, engine=core>``."""
    book, locale = _pack_book(pack)
    rules = _count(book, "notebook-rules", len(pack.rules), locale)
    kinds = _count(book, "notebook-kinds", len(pack.vocabulary.kinds), locale)
    return _fit(f"<Policy {pack.store.name!r}: {rules}, {kinds}, engine={engine}>")


def _by_section(pack: Pack) -> list[tuple[str, list[Rule]]]:
    """(section title, its rules in precedence order), in the order ``policy.yaml`` lists
    sections; a rule citing a section the pack does not declare comes last, under its id."""
    grouped: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        grouped.setdefault(rule.citation.section, []).append(rule)
    order = [s for s in pack.sections if s in grouped]
    order += [s for s in grouped if s not in pack.sections]
    return [
        (_section_title(pack, grouped[s][0]), sorted(grouped[s], key=precedence)) for s in order
    ]


def _section_title(pack: Pack, rule: Rule) -> str:
    section = pack.sections.get(rule.citation.section)
    return section.title if section is not None else rule.citation.section


def _citation_url(pack: Pack, rule: Rule) -> str | None:
    url = safe_url(pack.store.policy_url or None)
    if url and rule.citation.anchor:
        return safe_url(f"{url}#{rule.citation.anchor}")
    return url


def _citation_html(pack: Pack, rule: Rule) -> str:
    title = _section_title(pack, rule)
    anchor = f" #{rule.citation.anchor}" if rule.citation.anchor else ""
    url = _citation_url(pack, rule)
    if url is None:
        return f"{_e(title)}<small>{_e(anchor)}</small>"
    return f'<a href="{_e(url)}">{_e(title)}</a><small>{_e(anchor)}</small>'


_RULE_COLUMNS = ("id", "title", "kinds", "outcome", "priority", "citation")


def policy_html(pack: Pack) -> str:
    """The store and a table of its rules, grouped by section (id, title, kinds, outcome,
    priority, citation linked to the published policy page)."""
    book, locale = _pack_book(pack)
    store = pack.store
    url = safe_url(store.policy_url or None)
    page = f' · <a href="{_e(url)}">{_e(book.get("notebook-policy-page"))}</a>' if url else ""
    groups = _by_section(pack)
    counts = book.get(
        "notebook-rules-in",
        {
            "rules": _count(book, "notebook-rules", len(pack.rules), locale),
            "sections": _count(book, "notebook-sections", len(groups), locale),
        },
    )
    kinds = book.get("notebook-request-kinds", {"kinds": ", ".join(pack.vocabulary.kinds)})
    default = book.get(
        "notebook-default", {"outcome": _outcome_words(book, _value(pack.default_outcome))}
    )
    head = (
        f"<p><strong>{_e(store.name)}</strong>: {_e(counts)} · {_e(kinds)} · "
        f"{_e(default)}{page}</p>"
    )
    columns = len(_RULE_COLUMNS)
    rows: list[str] = []
    for title, rules in groups:
        section = book.get(
            "notebook-section",
            {"title": title, "rules": _count(book, "notebook-rules", len(rules), locale)},
        )
        rows.append(
            f'<tr class="policylib-section"><th colspan="{columns}">{_e(section)}</th></tr>'
        )
        for rule in rules:
            rows.append(
                _row(
                    [
                        f"<code>{_e(rule.id)}</code>",
                        _e(rule.title),
                        _e(", ".join(rule.kinds)),
                        _badge(_value(rule.outcome), book),
                        _e(rule.priority),
                        _citation_html(pack, rule),
                    ]
                )
            )
    return "\n".join(
        [
            f'<div class="policylib policylib-policy">{_STYLE}',
            head,
            _table(_columns(book, _RULE_COLUMNS), rows),
            "</div>",
        ]
    )


def policy_markdown(pack: Pack) -> str:
    """The store and its rules as one Markdown table per section."""
    book, locale = _pack_book(pack)
    store = pack.store
    rules_count = _count(book, "notebook-rules", len(pack.rules), locale)
    lines = [f"**{_md(store.name)}**: {_md(rules_count)}", ""]
    for title, rules in _by_section(pack):
        lines += [f"**{_md(title)}**", ""]
        rows = []
        for rule in rules:
            url = _citation_url(pack, rule)
            anchor = f"#{rule.citation.anchor}" if rule.citation.anchor else title
            citation = f"[{_md(anchor)}](<{url}>)" if url else _md(anchor)
            rows.append(
                [
                    _code(rule.id),
                    _md(rule.title),
                    _md(", ".join(rule.kinds)),
                    _md(_outcome_words(book, _value(rule.outcome))),
                    str(rule.priority),
                    citation,
                ]
            )
        lines += [*_md_table(_columns(book, _RULE_COLUMNS), rows), ""]
    return "\n".join(lines).strip() + "\n"


# --------------------------------------------------------------------------- rules


def rule_repr(rule: Rule) -> str:
    """One line: ``<Rule R-1 denied (refund): Opened items can't be ...>``."""
    kinds = ", ".join(rule.kinds)
    return _fit(f"<Rule {rule.id} {_value(rule.outcome)} ({kinds}): {rule.title}>")


_Node: TypeAlias = "tuple[str, list[_Node]]"
"""A line of a condition and the lines under it."""


def _tree(cond: Condition, pack: Pack | None, book: Phrasebook) -> _Node:
    """A condition as (line, children): ``all of`` / ``any of`` / ``not`` over comparisons
    written ``label ≤ 30`` (the fact's label when the pack is known, else its name)."""
    if isinstance(cond, Compare):
        fact = pack.facts.get(cond.fact) if pack is not None else None
        label = " ".join(fact.label.split()) if fact is not None else cond.fact
        return f"{label} {_OP_SIGNS.get(cond.op, cond.op)} {_shown(cond.value, book)}", []
    if isinstance(cond, Not):
        return book.get("notebook-not"), [_tree(cond.item, pack, book)]
    word = book.get("notebook-all-of" if isinstance(cond, All) else "notebook-any-of")
    assert isinstance(cond, All | Any_)
    return word, [_tree(item, pack, book) for item in cond.items]


def _tree_html(node: _Node) -> str:
    line, children = node
    inner = "".join(_tree_html(child) for child in children)
    return f"<li>{_e(line)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"


def _tree_md(node: _Node, depth: int = 0) -> list[str]:
    line, children = node
    out = [f"{'  ' * depth}- {_md(line)}"]
    for child in children:
        out += _tree_md(child, depth + 1)
    return out


def _top(rule: Rule, pack: Pack | None, book: Phrasebook) -> list[_Node]:
    """The rule's conditions, the outer ``all of`` left implicit (a rule's ``when`` is one)."""
    node = _tree(rule.when, pack, book)
    return node[1] if isinstance(rule.when, All) else [node]


def _applies(rule: Rule, pack: Pack | None, renderer: TextRenderer | None) -> str:
    if pack is None:
        return ""
    return Words(pack, renderer or TextRenderer(pack)).applies(rule)


def rule_html(rule: Rule, pack: Pack | None = None, renderer: TextRenderer | None = None) -> str:
    """A rule as a small card: id, title, kinds, outcome, priority and its conditions.

    Args:
        rule: the rule.
        pack: its pack, for the section's title, the facts' labels and the conditions in
            the plain words of the policy page ("Applies to ... when ...").
        renderer: the pack's texts (``policy.texts``); built from ``pack`` when not given.
    """
    book, _ = _pack_book(pack)
    citation = _citation_html(pack, rule) if pack is not None else _e(rule.citation.section)
    meta = " · ".join(
        [
            _e(book.get("notebook-rule-kinds", {"kinds": ", ".join(rule.kinds)})),
            _e(book.get("notebook-rule-priority", {"priority": str(rule.priority)})),
            _html_with(book, "notebook-rule-cites", "citation", citation),
        ]
    )
    parts = [
        f'<div class="policylib policylib-rule">{_STYLE}',
        f"<p><code>{_e(rule.id)}</code> <strong>{_e(rule.title)}</strong> "
        f"{_badge(_value(rule.outcome), book)}</p>",
        f"<p><small>{meta}</small></p>",
    ]
    words = _applies(rule, pack, renderer)
    if words:
        parts.append(f"<p>{_e(words)}</p>")
    conditions = "".join(_tree_html(node) for node in _top(rule, pack, book))
    if conditions:
        when = _e(book.get("notebook-when"))
        parts.append(f"<p><small>{when}</small></p><ul>{conditions}</ul>")
    if rule.offers:
        offers = ", ".join(dict.fromkeys(o.kind.replace("_", " ") for o in rule.offers))
        shown = _e(book.get("notebook-offers", {"offers": offers}))
        parts.append(f"<p><small>{shown}</small></p>")
    parts.append("</div>")
    return "\n".join(parts)


def rule_markdown(
    rule: Rule, pack: Pack | None = None, renderer: TextRenderer | None = None
) -> str:
    """A rule as Markdown: the same card as ``rule_html``."""
    book, _ = _pack_book(pack)
    cited = _section_title(pack, rule) if pack else rule.citation.section
    outcome = _md(_outcome_words(book, _value(rule.outcome)))
    lines = [
        f"{_code(rule.id)} **{_md(rule.title)}** — {outcome}",
        "",
        " · ".join(
            _md(line)
            for line in (
                book.get("notebook-rule-kinds", {"kinds": ", ".join(rule.kinds)}),
                book.get("notebook-rule-priority", {"priority": str(rule.priority)}),
                book.get("notebook-rule-cites", {"citation": cited}),
            )
        ),
    ]
    words = _applies(rule, pack, renderer)
    if words:
        lines += ["", _md(words)]
    nodes = _top(rule, pack, book)
    if nodes:
        lines += ["", _md(book.get("notebook-when")), ""]
        for node in nodes:
            lines += _tree_md(node)
    return "\n".join(lines) + "\n"
