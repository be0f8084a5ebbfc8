"""The test harness in conftest.py: golden files fail when missing, and profile selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.conftest import Goldens, hypothesis_profile

# --------------------------------------------------------------------------- golden files


def test_a_matching_golden_passes_and_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"same\n")
    goldens = Goldens(tmp_path, update=True)
    goldens.check("a.txt", "same\n")
    assert goldens.rewritten == []


def test_a_missing_golden_fails_and_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"missing golden file .*--update-goldens"):
        Goldens(tmp_path, update=False).check("case/a.txt", "text\n")
    assert not (tmp_path / "case").exists()


def test_a_missing_golden_fails_whether_or_not_ci_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for ci in ("1", ""):
        monkeypatch.setenv("CI", ci)
        with pytest.raises(pytest.fail.Exception, match="missing golden file"):
            Goldens(tmp_path, update=False).check("a.txt", "text\n")


def test_a_changed_text_fails_with_a_diff(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\ntwo\n")
    with pytest.raises(pytest.fail.Exception) as info:
        Goldens(tmp_path, update=False).check("a.txt", "one\nthree\n")
    assert "-two\n+three\n" in str(info.value)
    assert (tmp_path / "a.txt").read_bytes() == b"one\ntwo\n"


def test_the_comparison_is_exact_to_the_byte(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\r\n")
    with pytest.raises(pytest.fail.Exception):
        Goldens(tmp_path, update=False).check("a.txt", "one\n")


def test_update_rewrites_missing_and_changed_goldens_and_records_them(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(b"old\n")
    goldens = Goldens(tmp_path, update=True)
    goldens.check("old.txt", "new\n")
    goldens.check("new/one.txt", "caf\u00e9\n")
    assert (tmp_path / "old.txt").read_bytes() == b"new\n"
    assert (tmp_path / "new" / "one.txt").read_bytes() == "caf\u00e9\n".encode()
    assert goldens.rewritten == [tmp_path / "old.txt", tmp_path / "new" / "one.txt"]


def test_an_absolute_name_is_a_golden_outside_the_golden_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "data" / "x.expected"
    Goldens(tmp_path / "golden", update=True).check(elsewhere, "x\n")
    assert elsewhere.read_bytes() == b"x\n"


def test_a_golden_text_must_end_with_a_newline(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="newline"):
        Goldens(tmp_path, update=True).check("a.txt", "no newline")
    assert not (tmp_path / "a.txt").exists()


# --------------------------------------------------------------------------- hypothesis profiles


@pytest.mark.parametrize(
    ("environ", "profile"),
    [
        ({}, "dev"),
        ({"CI": "1"}, "ci"),
        ({"HYPOTHESIS_PROFILE": "dev", "CI": "1"}, "dev"),
        ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
        ({"HYPOTHESIS_PROFILE": "", "CI": "1"}, "ci"),
    ],
)
def test_hypothesis_profile_is_ci_under_ci_unless_hypothesis_profile_names_one(
    environ: dict[str, str], profile: str
) -> None:
    assert hypothesis_profile(environ) == profile


def test_a_named_profile_is_the_same_whether_or_not_ci_is_set() -> None:
    dev, ci = settings.get_profile("dev"), settings.get_profile("ci")
    assert (dev.max_examples, dev.derandomize, dev.database is None) == (60, False, False)
    assert (ci.max_examples, ci.derandomize, ci.database) == (200, True, None)
