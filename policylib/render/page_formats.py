"""The policy page's two writers: Markdown and a small self-contained HTML document.

Both lay out a ``page_model.Page`` whose words are already final, escaping every string
for their format (Markdown shows text literally and renders no HTML; HTML escapes quotes
too); rule ids go into comments only. Neither decides anything about what the page says.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from policylib.render.page_model import Page
from policylib.render.page_words import join

__all__ = ["to_html", "to_markdown"]

# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _md(text: str) -> str:
    """Escape text so a Markdown renderer shows it literally (and renders no HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def _md_comment(rule_id: str) -> str:
    return f"<!-- rule {rule_id.replace('--', '- -')} -->"


def to_markdown(page: Page) -> str:
    """The page as Markdown: headings and lists, ``<a id>`` anchors, rule ids in comments."""
    lines: list[str] = [f"# {_md(page.title)}", "", _md(page.intro), ""]
    for part in page.parts:
        if part.anchor:
            lines.append(f'<a id="{html.escape(part.anchor)}"></a>')
        lines += [f"## {_md(part.title)}", ""]
        if part.summary:
            lines += [_md(part.summary), ""]
        if not part.entries:
            continue
        for entry in part.entries:
            lines.append(_md_comment(entry.rule_id))
            if entry.anchor:
                lines.append(f'<a id="{html.escape(entry.anchor)}"></a>')
            lines += [f"### {_md(entry.title)}", ""]
            if entry.why:
                lines += [_md(entry.why), ""]
            lines.append(f"- {_md(entry.applies)}")
            lines.append(f"- **What happens:** {_md(_sentence(entry.result))}")
            if entry.offers:
                lines.append(
                    f"- **What we may be able to offer:** {_md(_offers(entry.offers, page.lang))}"
                )
            if entry.examples:
                lines.append("- **Examples:**")
                lines += [f"  - {_md(example)}" for example in entry.examples]
            lines.append("")
    if page.closing:
        lines += [_md(page.closing), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- HTML

_CSS = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:2rem auto;"
    "padding:0 1rem;color:#222}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}"
    "h3{margin-bottom:.25rem}dt{font-weight:600}dd{margin:0 0 .5rem 0}"
)


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
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(page.title)}</h1>",
        f"<p>{_e(page.intro)}</p>",
    ]
    if len(page.parts) > 1:
        out.append('<nav aria-label="Sections"><ul>')
        for part in page.parts:
            target = f'<a href="#{_e(part.anchor)}">' if part.anchor else ""
            close = "</a>" if part.anchor else ""
            out.append(f"<li>{target}{_e(part.title)}{close}</li>")
        out.append("</ul></nav>")
    for part in page.parts:
        out.append("<section>")
        out.append(f"<h2{_id(part.anchor)}>{_e(part.title)}</h2>")
        if part.summary:
            out.append(f"<p>{_e(part.summary)}</p>")
        for entry in part.entries:
            out.append(_html_comment(entry.rule_id))
            out.append("<article>")
            out.append(f"<h3{_id(entry.anchor)}>{_e(entry.title)}</h3>")
            if entry.why:
                out.append(f"<p>{_e(entry.why)}</p>")
            out.append(f"<p>{_e(entry.applies)}</p>")
            out.append("<dl>")
            out.append(f"<dt>What happens</dt><dd>{_e(_sentence(entry.result))}</dd>")
            if entry.offers:
                offers = _e(_offers(entry.offers, page.lang))
                out.append(f"<dt>What we may be able to offer</dt><dd>{offers}</dd>")
            if entry.examples:
                items = "".join(f"<li>{_e(example)}</li>" for example in entry.examples)
                out.append(f"<dt>Examples</dt><dd><ul>{items}</ul></dd>")
            out.append("</dl>")
            out.append("</article>")
        out.append("</section>")
    if page.closing:
        out.append(f"<p>{_e(page.closing)}</p>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- shared bits


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _offers(offers: Iterable[str], lang: str) -> str:
    """The offers as one sentence, listed as the page's language lists ("a, b, or c")."""
    words = list(offers)
    return _sentence(join(words, "or", lang)) if words else ""
