"""The policy page's two writers: Markdown and a small self-contained HTML document.

Both lay out a ``page_model.Page`` whose words are already final, escaping every string
for their format (Markdown shows text literally and renders no HTML; HTML escapes quotes
too); rule ids go into comments only. Neither decides anything about what the page says.

Each section is its summary, then a table of situations (one row per rule, its title
linking to the rule's detail), then the details: in HTML each rule is a ``<details>``
element carrying the rule's anchor, opened when a link points at it; in Markdown each rule
is an item of a list under the table, with its conditions as sub-lists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote

from policylib.render.page_model import Clause, Entry, Headings, Page, Part

__all__ = ["to_html", "to_markdown"]

# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _md(text: str) -> str:
    """Escape text so a Markdown renderer shows it literally (and renders no HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def _md_anchor(anchor: str) -> str:
    return f'<a id="{html.escape(anchor, quote=True)}"></a>' if anchor else ""


def _md_comment(rule_id: str) -> str:
    return f"<!-- rule {rule_id.replace('--', '- -')} -->"


def _href(anchor: str) -> str:
    """A link to an id on this page, safe inside Markdown's ``( )`` and HTML's quotes."""
    return "#" + quote(anchor, safe="-._~")


def to_markdown(page: Page) -> str:
    """The page as Markdown: headings, a table per section, the details as lists."""
    lines: list[str] = [f"# {_md(page.title)}", "", _md(page.intro), ""]
    for part in page.parts:
        lines += _md_part(part, page.headings)
    if page.closing:
        lines += [_md(page.closing), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_part(part: Part, headings: Headings) -> list[str]:
    lines: list[str] = []
    if part.anchor:
        lines.append(_md_anchor(part.anchor))
    lines += [f"## {_md(part.title)}", ""]
    if part.summary:
        lines += [_md(part.summary), ""]
    if not part.entries:
        return lines
    columns = (headings.situation, headings.outcome, headings.offers, headings.example)
    lines.append(_md_row(columns))
    lines.append(_md_row(["---"] * len(columns), escape=False))
    for entry in part.entries:
        situation = f"[{_md(entry.title)}]({_href(entry.anchor)})"
        cells = (entry.outcome, entry.offers or headings.nothing, entry.example or headings.nothing)
        lines.append(_md_row([situation, *(_md(c) for c in cells)], escape=False))
    lines += ["", f"### {_md(headings.details)}", ""]
    for entry in part.entries:
        lines += _md_entry(entry, headings)
    return lines


def _md_row(cells: Iterable[str], *, escape: bool = True) -> str:
    return "| " + " | ".join(_md(c) if escape else c for c in cells) + " |"


def _md_entry(entry: Entry, headings: Headings) -> list[str]:
    """One rule's detail: a list item with its reason, its conditions and its examples."""
    head = f"- {_md_anchor(entry.anchor)}{_md_comment(entry.rule_id)}**{_md(entry.title)}**"
    lines = [head, ""]
    if entry.why:
        lines += [f"  {_md(entry.why)}", ""]
    lines += [f"  {_md(entry.applies)}", ""]
    if entry.conditions:
        for clause in entry.conditions:
            lines += _md_clause(clause, 1)
        lines.append("")
    if entry.examples:
        lines += [f"  {_md(headings.examples)}", ""]
        lines += [f"  - {_md(example)}" for example in entry.examples]
        lines.append("")
    return lines


def _md_clause(clause: Clause, depth: int) -> list[str]:
    lines = [f"{'  ' * depth}- {_md(clause.text)}"]
    for item in clause.items:
        lines += _md_clause(item, depth + 1)
    return lines


# --------------------------------------------------------------------------- HTML

_CSS = (
    "<style>"
    "*,*::before,*::after{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;"
    "max-width:64rem;margin:0 auto;padding:1rem;color:#1f1f1f;background:#fff;"
    "overflow-wrap:anywhere}"
    "a{color:#0b57d0}a:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;"
    "outline-offset:2px}"
    "h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}"
    "h2{margin-top:2.5rem;padding-bottom:.25rem;border-bottom:2px solid #c4c4c4}"
    "h3{font-size:1.05rem;margin:1.5rem 0 .5rem}"
    "nav ul{padding-left:1.25rem}"
    "table{width:100%;table-layout:fixed;border-collapse:collapse;margin:1rem 0}"
    "th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #c4c4c4;"
    "overflow-wrap:anywhere}"
    "thead th{background:#ececec}tbody th{font-weight:600}"
    "details{border:1px solid #c4c4c4;border-radius:.375rem;padding:.5rem .75rem;"
    "margin:.5rem 0}"
    "summary{cursor:pointer;font-weight:600}details[open]>summary{margin-bottom:.5rem}"
    "details:target{border-color:#0b57d0;outline:2px solid #0b57d0}"
    "details ul{padding-left:1.25rem}"
    "@media (max-width:600px){"
    "table,thead,tbody,tr,th,td{display:block;width:100%}"
    "thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);"
    "white-space:nowrap}"
    "tbody tr{border:1px solid #c4c4c4;border-radius:.375rem;margin-bottom:.75rem;"
    "padding:.25rem .75rem}"
    "tbody th,tbody td{border:0;padding:.25rem 0}"
    "tbody th::before,tbody td::before{content:attr(data-label);display:block;"
    "font-size:.875rem;font-weight:600;color:#4a4a4a}"
    "}"
    "</style>"
)

_SCRIPT = (
    "<script>"
    "(function(){"
    "function r(){"
    "var h,t,e;"
    "try{h=decodeURIComponent(location.hash.slice(1))}catch(x){return}"
    "t=h&&document.getElementById(h);"
    "if(!t){return}"
    "for(e=t;e;e=e.parentElement){if(e.tagName==='DETAILS'){e.open=true}}"
    "document.querySelectorAll('details[data-cites]').forEach(function(d){"
    "if(d.getAttribute('data-cites')===h){d.open=true}});"
    "t.scrollIntoView()}"
    "addEventListener('hashchange',r);r()"
    "})()"
    "</script>"
)
"""A link to a rule's anchor opens its detail (and every rule citing that anchor): a
closed ``<details>`` would show only its title. On load and on every change of the
fragment, ``r`` finds the target (``h``, ``t``), opens each ``<details>`` around it
(``e``) and each one whose ``data-cites`` names it, and scrolls the target into view.
Without scripts the title still shows, and the detail opens with a tap."""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _id(anchor: str) -> str:
    return f' id="{_e(anchor)}"' if anchor else ""


def _html_comment(rule_id: str) -> str:
    # "--" may not appear inside an HTML comment; ids never hold it, but be safe.
    return f"<!-- rule {_e(rule_id).replace('--', '- -')} -->"


def to_html(page: Page) -> str:
    """The page as a complete small HTML document, with a section index when it has several."""
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(page.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(page.title)}</title>",
        _CSS,
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(page.title)}</h1>",
        f"<p>{_e(page.intro)}</p>",
    ]
    if len(page.parts) > 1:
        out += _html_contents(page)
    for part in page.parts:
        out += _html_part(part, page.headings)
    if page.closing:
        out.append(f"<p>{_e(page.closing)}</p>")
    out += ["</main>", _SCRIPT, "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_contents(page: Page) -> list[str]:
    out = [f'<nav aria-label="{_e(page.headings.contents)}"><ul>']
    for part in page.parts:
        if part.anchor:
            out.append(f'<li><a href="{_e(_href(part.anchor))}">{_e(part.title)}</a></li>')
        else:
            out.append(f"<li>{_e(part.title)}</li>")
    out.append("</ul></nav>")
    return out


def _html_part(part: Part, headings: Headings) -> list[str]:
    out = ["<section>", f"<h2{_id(part.anchor)}>{_e(part.title)}</h2>"]
    if part.summary:
        out.append(f"<p>{_e(part.summary)}</p>")
    if part.entries:
        out += _html_table(part, headings)
        out.append(f"<h3>{_e(headings.details)}</h3>")
        for entry in part.entries:
            out += _html_entry(entry, headings)
    out.append("</section>")
    return out


def _html_table(part: Part, headings: Headings) -> list[str]:
    columns = (headings.situation, headings.outcome, headings.offers, headings.example)
    header = "".join(f'<th scope="col">{_e(c)}</th>' for c in columns)
    out = [
        f'<table aria-label="{_e(part.table_label)}">',
        f"<thead><tr>{header}</tr></thead>",
        "<tbody>",
    ]
    for entry in part.entries:
        link = f'<a href="{_e(_href(entry.anchor))}">{_e(entry.title)}</a>'
        cells = (
            (headings.outcome, entry.outcome),
            (headings.offers, entry.offers or headings.nothing),
            (headings.example, entry.example or headings.nothing),
        )
        out.append(
            f'<tr><th scope="row" data-label="{_e(headings.situation)}">{link}</th>'
            + "".join(f'<td data-label="{_e(label)}">{_e(text)}</td>' for label, text in cells)
            + "</tr>"
        )
    out += ["</tbody>", "</table>"]
    return out


def _html_entry(entry: Entry, headings: Headings) -> list[str]:
    """One rule's detail, folded: its title shows, the rest opens with a tap or a link."""
    cites = f' data-cites="{_e(entry.cites)}"' if entry.cites else ""
    out = [
        _html_comment(entry.rule_id),
        f"<details{_id(entry.anchor)}{cites}>",
        f"<summary>{_e(entry.title)}</summary>",
    ]
    if entry.why:
        out.append(f"<p>{_e(entry.why)}</p>")
    out.append(f"<p>{_e(entry.applies)}</p>")
    if entry.conditions:
        out.append(_html_clauses(entry.conditions))
    if entry.examples:
        items = "".join(f"<li>{_e(example)}</li>" for example in entry.examples)
        out += [f"<p>{_e(headings.examples)}</p>", f"<ul>{items}</ul>"]
    out.append("</details>")
    return out


def _html_clauses(clauses: Iterable[Clause]) -> str:
    items = "".join(
        f"<li>{_e(c.text)}{_html_clauses(c.items) if c.items else ''}</li>" for c in clauses
    )
    return f"<ul>{items}</ul>"
