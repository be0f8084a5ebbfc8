"""A tiny document (paragraphs, headings, lists of runs) and its three writers.

Views lay a decision out as blocks with no notion of format; ``serialize`` writes them as
plain text, markdown or an html fragment, escaping every value (html escapes all text,
links only http(s); markdown escapes what would become markup).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Block", "Run", "h", "p", "serialize", "ul"]


@dataclass(frozen=True, slots=True)
class Run:
    """Words of a paragraph or list item; plain text drops ``strong`` and shows a url bare."""

    text: str
    strong: bool = False
    url: str | None = None


_Item = tuple[tuple[Run, ...], tuple[tuple[Run, ...], ...]]
"""A list item: its words and its sub-items (one level deep is all a reply needs)."""


@dataclass(frozen=True, slots=True)
class Block:
    kind: Literal["p", "ul", "h"]
    runs: tuple[Run, ...] = ()
    items: tuple[_Item, ...] = ()
    tight: bool = False
    """Text format: no blank line before this block (a list under its lead-in)."""


def p(*runs: Run | str, tight: bool = False) -> Block:
    return Block("p", _runs(runs), tight=tight)


def _runs(parts: Sequence[Run | str]) -> tuple[Run, ...]:
    """The parts as runs, empty ones dropped: the serializers never see an empty run."""
    out: list[Run] = []
    for part in parts:
        run = part if isinstance(part, Run) else Run(part)
        if run.text:
            out.append(run)
    return tuple(out)


def ul(
    items: Iterable[Sequence[Run | str]],
    children: Sequence[Sequence[Sequence[Run | str]]] = (),
) -> Block:
    """A list, right under its lead-in; ``children[i]`` are the sub-items of item ``i``."""
    out: list[_Item] = []
    for index, item in enumerate(items):
        subs = children[index] if index < len(children) else ()
        out.append((_runs(item), tuple(_runs(sub) for sub in subs)))
    return Block("ul", items=tuple(out), tight=True)


def h(text: str) -> Block:
    return Block("h", (Run(text),))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _runs_text(runs: Sequence[Run]) -> str:
    return " ".join([r.text for r in runs])


def _runs_md(runs: Sequence[Run]) -> str:
    out: list[str] = []
    for run in runs:
        if run.url is not None:
            label = _md(run.text)
            out.append(f"<{run.url}>" if run.text == run.url else f"[{label}]({run.url})")
        elif run.strong:
            out.append(f"**{_md(run.text)}**")
        else:
            out.append(_md(run.text))
    return " ".join(out)


def _runs_html(runs: Sequence[Run], isolate: re.Pattern[str] | None = None) -> str:
    out: list[str] = []
    for run in runs:
        text = html.escape(run.text, quote=True)
        if isolate is not None:  # a customer's own words keep their direction to themselves
            text = isolate.sub(r"<bdi>\g<0></bdi>", text)
        if run.url is not None:
            out.append(f'<a href="{html.escape(run.url, quote=True)}">{text}</a>')
        elif run.strong:
            out.append(f"<strong>{text}</strong>")
        else:
            out.append(text)
    return " ".join(out)


def _list_html(items: Sequence[_Item], isolate: re.Pattern[str] | None) -> str:
    out: list[str] = []
    for runs, subs in items:
        inner = "".join(f"<li>{_runs_html(sub, isolate)}</li>" for sub in subs)
        out.append(
            f"<li>{_runs_html(runs, isolate)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"
        )
    return "<ul>" + "".join(out) + "</ul>"


def _isolating(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the (escaped) names, longest first, or None."""
    shown = sorted({html.escape(n, quote=True) for n in names if n.strip()}, key=len, reverse=True)
    if not shown:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in shown) + r")(?!\w)")


def serialize(
    blocks: Sequence[Block],
    format: Literal["text", "markdown", "html"],
    isolate: Sequence[str] = (),
) -> str:
    """The document as plain text, markdown or an html fragment (every value escaped).

    In html, each of ``isolate`` (names the customer or the store's catalog wrote) is set
    in ``<bdi>``, so right-to-left text in a name cannot reorder the sentence around it.
    """
    if format == "html":
        pattern = _isolating(isolate)
        parts: list[str] = []
        for block in blocks:
            if block.kind == "p":
                parts.append(f"<p>{_runs_html(block.runs, pattern)}</p>")
            elif block.kind == "h":
                parts.append(f"<h3>{_runs_html(block.runs, pattern)}</h3>")
            else:
                parts.append(_list_html(block.items, pattern))
        return "\n".join(parts)
    markdown = format == "markdown"
    render = _runs_md if markdown else _runs_text
    text_parts: list[str] = []
    for block in blocks:
        if block.kind == "ul":
            lines: list[str] = []
            for runs, subs in block.items:
                lines.append(f"- {render(runs)}")
                lines.extend(f"  - {render(sub)}" for sub in subs)
            body = "\n".join(lines)
        elif block.kind == "h":
            title = _runs_text(block.runs)
            body = f"### {_md(title)}" if markdown else title
        else:
            body = render(block.runs)
        if not body:
            continue
        if text_parts and block.tight and format == "text":
            text_parts[-1] += "\n" + body
        else:
            text_parts.append(body)
    return "\n\n".join(text_parts)
