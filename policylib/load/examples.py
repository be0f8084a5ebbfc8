"""An area file's ``examples:``: worked examples, each a request and the answer it gets.

::

    examples:
      - name: unused lamp returned on day 20
        rule: RET-001                  # the rule that decides it (optional)
        outcome: granted
        now: "2026-11-20T15:00:00-05:00"   # optional: when it is asked
        request: {...}                 # or request_file: examples/x.json

A request file is a JSON object in a file inside the pack (never over ``MAX_FILE_BYTES``).
That each named rule exists is checked once every area file is read.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from policylib.lang.nodes import Example, Outcome
from policylib.load.files import MAX_FILE_BYTES
from policylib.load.reader import Doc
from policylib.load.store import read_outcome
from policylib.load.strict_yaml import MappingNode, Node

__all__ = ["read_example", "read_examples", "read_request_file"]

_EXAMPLE_KEYS = ("name", "request", "request_file", "outcome", "rule", "now")


def read_examples(doc: Doc, node: Node, base: Path) -> list[tuple[Example, Node]]:
    """The examples that could be read, each with its node (to place a wrong rule name);
    ``base`` is the pack's folder, which request files are inside."""
    out: list[tuple[Example, Node]] = []
    for item in doc.sequence(node, "examples") or []:
        example = read_example(doc, item, base)
        if example is not None:
            out.append((example, item))
    return out


def read_example(doc: Doc, node: Node, base: Path) -> Example | None:
    m = doc.mapping(node, "an example", required=("name", "outcome"), optional=_EXAMPLE_KEYS[1:])
    if m is None:
        return None
    before = len(doc.problems)
    name = doc.text(m["name"][1], "example name") if "name" in m else None
    outcome = read_outcome(doc, m["outcome"][1], "example outcome") if "outcome" in m else None
    rule = doc.optional(m, "rule", doc.text, "", "example rule")
    now = ""
    if "now" in m:
        now_node = doc.scalar(m["now"][1], "example now")
        if now_node is not None:
            now = str(now_node.value)
            if not _aware_datetime(now):
                doc.problem(
                    "wrong-type",
                    f"example now `{now}` is not a date-time with a time zone",
                    now_node,
                    hint='write it like "2026-11-20T15:00:00-05:00"',
                )
    request: object = None
    if ("request" in m) == ("request_file" in m):
        doc.problem(
            "missing-key" if "request" not in m else "wrong-type",
            "an example needs exactly one of 'request' or 'request_file'",
            node,
        )
    elif "request" in m:
        if not isinstance(m["request"][1], MappingNode):
            doc.problem("wrong-type", "example request must be a mapping", m["request"][1])
        else:
            request = doc.plain(m["request"][1], "request")[1]
    else:
        request = read_request_file(doc, m["request_file"][1], base)
    if len(doc.problems) != before or name is None or outcome is None or rule is None:
        return None
    if not isinstance(request, dict):
        return None
    return Example(
        name=name,
        request=request,
        outcome=Outcome(outcome),
        rule=rule,
        now=now,
        loc=doc.loc(node),
    )


def read_request_file(doc: Doc, node: Node, base: Path) -> object:
    """The JSON object in the file ``node`` names, inside ``base``; None (reported) when
    there is none."""
    rel = doc.text(node, "request_file")
    if rel is None:
        return None
    if ".." in Path(rel).parts or Path(rel).is_absolute():
        doc.problem(
            "missing-file",
            f"request_file '{rel}' points outside the pack",
            node,
            hint="name a file inside the pack, like examples/late_refund.json",
        )
        return None
    try:
        resolved = (base / rel).resolve(strict=True)
        inside = resolved.is_relative_to(base.resolve()) and resolved.is_file()
    except (OSError, RuntimeError):
        inside = False
    if not inside:  # a symlink out of the pack, a folder, or nothing at all
        doc.problem(
            "missing-file",
            f"request_file '{rel}' is not a file inside the pack",
            node,
            hint="put example requests in the pack's examples/ folder",
        )
        return None
    if resolved.stat().st_size > MAX_FILE_BYTES:
        doc.problem("file-too-large", f"request_file '{rel}' is over 1 MiB", node)
        return None
    try:
        data = json.loads(resolved.read_text(encoding="utf-8"))
    except RecursionError:
        doc.problem(
            "nesting-too-deep",
            f"request_file '{rel}' nests lists and objects too deeply to read",
            node,
            hint="a request never needs more than a few levels",
        )
        return None
    except (ValueError, OSError) as exc:
        doc.problem("wrong-type", f"request_file '{rel}' is not valid JSON: {exc}", node)
        return None
    if not isinstance(data, dict):
        doc.problem("wrong-type", f"request_file '{rel}' must hold a JSON object", node)
        return None
    return data


def _aware_datetime(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None
