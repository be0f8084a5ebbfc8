"""Pack files: found, read within limits, and composed to located YAML nodes.

Every problem (a missing file, a file over 1 MiB, bytes that are not UTF-8, a YAML syntax
error, what the strict reader refuses) is reported to the load's ``Problems``, at the
file's first line when nothing more precise is known.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
from pathlib import Path
from typing import Any

import yaml

from policylib.errors import shorten_text
from policylib.lang.nodes import Loc
from policylib.load.problems import Problems
from policylib.load.strict_yaml import (
    MAX_DEPTH,
    TAG,
    Node,
    PyReader,
    Reader,
    StrictComposer,
    too_deep_for_libyaml,
)

__all__ = ["MAX_FILE_BYTES", "Files", "bundled_pack"]

MAX_FILE_BYTES = 1024 * 1024
"""Pack files larger than this are refused before parsing."""


def bundled_pack() -> Path:
    """The installed ``policylib.rules`` package, or ``rules/`` of a source checkout."""
    candidates: list[Path] = []
    try:
        found = importlib.resources.files("policylib.rules")
        if isinstance(found, Path):
            candidates.append(found)
        spec = importlib.util.find_spec("policylib.rules")
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(Path(p) for p in spec.submodule_search_locations)
    except (ModuleNotFoundError, TypeError):
        pass
    for candidate in candidates:
        if (candidate / "policy.yaml").is_file():
            return candidate
    return Path(__file__).resolve().parent.parent.parent / "rules"


class Files:
    """Reads a pack's files, reporting what cannot be read."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def read_text(self, path: Path, rel: str) -> str | None:
        self.problems.add_file(rel)
        here = Loc(rel, 1, 1)
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problems.report("missing-file", f"cannot read {rel}: {exc.strerror}", here)
            return None
        if size > MAX_FILE_BYTES:
            self.problems.report(
                "file-too-large",
                f"{rel} is {size} bytes; pack files are limited to {MAX_FILE_BYTES} bytes (1 MiB)",
                here,
                hint="split the file into several area files",
            )
            return None
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.report(
                "yaml-syntax",
                f"{rel} is not UTF-8 text (byte {exc.start})",
                here,
                hint="save the file as UTF-8",
            )
            return None
        except OSError as exc:
            self.problems.report("missing-file", f"cannot read {rel}: {exc.strerror}", here)
            return None
        self.problems.add_file(rel, text)
        return text

    def compose(self, path: Path, rel: str) -> Node | None:
        """The root node of a YAML file, or None (problems reported)."""
        text = self.read_text(path, rel)
        if text is None:
            return None
        reader: StrictComposer = Reader(text)
        try:
            try:
                node = reader.get_single_node()
            except yaml.MarkedYAMLError as exc:
                if not too_deep_for_libyaml(exc):
                    raise
                reader.dispose()
                reader = PyReader(text)  # no limit of its own: MAX_DEPTH refuses the spot
                node = reader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Loc(rel, mark.line + 1, mark.column + 1) if mark else Loc(rel, 1, 1)
            what = ": ".join(s for s in (exc.context, exc.problem) if s)
            hint = "check the indentation and quoting near this spot"
            if mark is not None and self._tab_at(rel, mark.line, mark.column):
                hint = "indent with spaces; YAML does not allow tabs for indentation"
            self.problems.report(
                "yaml-syntax",
                f"YAML syntax error {what}" if exc.context else f"YAML syntax error: {what}",
                where,
                hint=hint,
            )
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml reader errors
            self.problems.report("yaml-syntax", f"YAML syntax error: {exc}", Loc(rel, 1, 1))
            return None
        except RecursionError:  # a backstop: the composer caps nesting at MAX_DEPTH
            self.problems.report(
                "nesting-too-deep",
                f"{rel} nests lists and mappings too deeply to read",
                Loc(rel, 1, 1),
                hint=f"keep nesting under {MAX_DEPTH} levels",
            )
            return None
        finally:
            reader.dispose()
        for kind, mark, detail in reader.refused:
            self.refused_problem(rel, kind, mark, detail)
            if kind != "document":  # the rule it sits in is named once rules are read
                self.problems.unowned(rel, mark.line)
        if node is None:
            self.problems.report("wrong-type", f"{rel} is empty", Loc(rel, 1, 1), hint="")
        return node

    def _tab_at(self, rel: str, line: int, column: int) -> bool:
        lines = self.problems.lines.get(rel, [])
        if not 0 <= line < len(lines):
            return False
        text = lines[line]
        return "\t" in text[: len(text) - len(text.lstrip())] or text[column : column + 1] == "\t"

    def refused_problem(self, rel: str, kind: str, mark: Any, detail: str) -> None:
        """Reports what the strict YAML reader refused (see ``load.strict_yaml``)."""
        where = Loc(rel, mark.line + 1, mark.column + 1)
        if kind == "document":
            self.problems.report(
                "yaml-syntax",
                "a pack file holds exactly one YAML document; found another after '---'",
                where,
                hint="remove the '---' separator or split the file",
            )
        elif kind == "tag":
            shown = "!!" + detail[len(TAG) :] if detail.startswith(TAG) else detail
            self.problems.report(
                "tag-not-allowed",
                f"YAML tags are not allowed ({shorten_text(shown)})",
                where,
                hint="remove the tag; policy files use plain YAML",
            )
        elif kind == "depth":
            self.problems.report(
                "nesting-too-deep",
                f"lists and mappings are nested more than {detail} levels deep here",
                where,
                hint="no policy needs this much nesting; flatten the condition or the value",
            )
        else:
            self.problems.report(
                "alias-not-allowed",
                f"YAML {'anchors' if kind == 'anchor' else 'aliases'} are not allowed "
                f"({'&' if kind == 'anchor' else '*'}{shorten_text(detail)})",
                where,
                hint="write the value out in full; anchors and aliases hide what a rule says",
            )
