"""Mutation fuzzing of requests and rule packs: finds what the example-based tests miss.

Not collected by pytest (no ``test_`` prefix); run it by hand, and put what it finds into
``tests/test_bad_input.py`` as a regression test::

    python -m tests.fuzz requests 100000 --seed 1    # mutated requests through evaluate
    python -m tests.fuzz packs 2000 --seed 1         # mutated pack files through load_pack

A request run mutates valid seeds: the bundled pack's example requests and requests drawn
from its vocabulary by ``policylib.testing.requests`` (``--generated``, reproducible from
the seed). It counts decisions, ``RequestError`` refusals, crashes (any other exception)
and broken invariants (a denial without an alternative; the same request deciding
differently twice). A pack run counts located refusals, unlocated ones (no line:col),
crashes, packs that load, and loaded packs whose example requests then crash.
"""

from __future__ import annotations

import argparse
import collections
import copy
import itertools
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as seeded

import policylib
from policylib import PolicyError, RequestError, RuleError
from policylib.testing import requests

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")


def _seeds(policy: policylib.Policy, generated: int, seed: int) -> list[dict[str, Any]]:
    """Every example request of the bundled pack (the files and the inline examples), and
    ``generated`` requests drawn from its vocabulary."""
    seeds = [
        json.loads(p.read_text()) for p in sorted((ROOT / "rules" / "examples").glob("*.json"))
    ]
    seeds.extend(copy.deepcopy(e.request) for e in policy.pack.examples)
    seeds.extend(_drawn(policy, generated, seed))
    return seeds


def _drawn(policy: policylib.Policy, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` valid requests to the policy, the same ones for the same seed."""
    drawn: list[dict[str, Any]] = []
    if count <= 0:
        return drawn

    @seeded(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(policy))
    def collect(data: dict[str, Any]) -> None:
        drawn.append(data)

    collect()
    return drawn


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    if len(prefix) > 8:  # an earlier edit nested it deeply: edit it whole, not inside
        return
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


_ODD = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    10**5000,
    1e308,
    float("nan"),
    "",
    " ",
    "\u202e",
    "\x00",
    "{ $customer_name }",
    "<script>",
    "2026-02-30",
    "24:00",
    "25:00",
    "9999-12-31",
    "-5",
    "1e9",
    "$49.99",
    [],
    {},
    [[[[]]]],
    "é" * 3000,
]


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value)
    except (RecursionError, ValueError, OverflowError):
        return "x"


def mutate(data: dict[str, Any], rng: random.Random) -> Any:
    """One to three random edits of a request: delete, retype, deepen, enlarge, swap."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        # a swap shares a subtree, and a shared subtree enlarged 150-fold makes a DAG
        # whose paths grow exponentially: the fuzzer only ever needs a few thousand
        paths = list(itertools.islice(_paths(data), 5_000))
        if not paths:
            return data
        path = rng.choice(paths)
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        how = rng.choice(["delete", "retype", "deepen", "enlarge", "swap", "odd"])
        if how == "delete":
            del parent[last]
        elif how == "retype":
            old = parent[last]
            text = old if isinstance(old, str) else _dumps(old)
            parent[last] = rng.choice([text, [old], {"v": old}, 1])
        elif how == "deepen":
            value: Any = parent[last]
            for _ in range(rng.choice([2, 20, 200, 900])):
                value = [value]
            parent[last] = value
        elif how == "enlarge":
            parent[last] = rng.choice(
                ["x" * rng.choice([100, 10_000, 100_000]), [parent[last]] * rng.choice([10, 150])]
            )
        elif how == "swap":
            other = rng.choice(paths)
            source: Any = data
            try:
                for step in other:
                    source = source[step]
            except (KeyError, IndexError, TypeError):
                continue
            parent[last] = source  # shared, not copied: it may be nested deeply
        else:
            parent[last] = rng.choice(_ODD)
    return data


def fuzz_requests(count: int, seed: int, generated: int = 500) -> int:
    policy = policylib.load_policy()
    seeds = _seeds(policy, generated, seed)
    rng = random.Random(seed)
    tally: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    slow = 0
    for n in range(count):
        try:
            data = mutate(rng.choice(seeds), rng)
        except RecursionError:  # the fuzzer's own copying, not policylib
            continue
        as_text = rng.random() < 0.3
        try:
            payload: Any = json.dumps(data) if as_text else data
        except (ValueError, RecursionError, OverflowError):
            payload = data
        started = time.perf_counter()
        try:
            decision = policy.evaluate(payload, now=NOW)
        except RequestError:
            tally["refused (RequestError)"] += 1
        except Exception as exc:  # a crash: what this tool is looking for
            tally["CRASH"] += 1
            where = traceback.extract_tb(exc.__traceback__)[-1]
            crashes[f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"] += 1
        else:
            tally["decided"] += 1
            if decision.outcome == "denied" and not decision.alternatives:
                tally["INVARIANT: denial without an alternative"] += 1
            if n % 10 == 0:
                again = policy.evaluate(payload, now=NOW)
                if again.model_dump(mode="json") != decision.model_dump(mode="json"):
                    tally["INVARIANT: same request, different decision"] += 1
        if time.perf_counter() - started > 1.0:
            slow += 1
    _report(f"{count:,} mutated requests (seed {seed})", tally, crashes, slow)
    return 1 if tally["CRASH"] or any(k.startswith("INVARIANT") for k in tally) else 0


_ODD_YAML = ["", "NO", "012", "12:30", "~", "[", "{x: 1}", "-1", "101", "xx_YY", "ZZ", "&a", "*a"]
_ODD_YAML += ["!!python/none", "1e6", "18.5", "ABC", "2026-02-30"]


def mutate_text(text: str, rng: random.Random) -> str:
    """One random edit of a YAML file's text: a line deleted, doubled or re-indented, a
    value replaced, or odd characters inserted."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    how = rng.choice(["delete", "double", "indent", "value", "insert", "number"])
    line = lines[i]
    if how == "delete":
        del lines[i]
    elif how == "double":
        lines.insert(i, line)
    elif how == "indent":
        lines[i] = (
            rng.choice(["  ", "\t", ""]) + line.lstrip(" ") if rng.random() < 0.5 else " " + line
        )
    elif how == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[i] = f"{key}: {rng.choice(_ODD_YAML)}"
    elif how == "number":
        lines[i] = "".join(
            str(rng.choice([-1, 0, 25, 101, 10**6])) if ch.isdigit() and rng.random() < 0.3 else ch
            for ch in line
        )
    else:
        at = rng.randrange(len(line) + 1)
        lines[i] = (
            line[:at]
            + rng.choice(["{", "}", "$", "{ $x }", "'", '"', "#", "\u202e", "ü"])
            + line[at:]
        )
    return "\n".join(lines)


def fuzz_packs(count: int, seed: int) -> int:
    rng = random.Random(seed)
    files = [*sorted(p.name for p in (ROOT / "rules").glob("*.yaml")), "common.ftl"]
    requests = [p.read_text() for p in sorted((ROOT / "rules" / "examples").glob("*.json"))]
    tally: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(count):
            pack = Path(tmp) / "pack"
            if pack.exists():
                shutil.rmtree(pack)
            shutil.copytree(ROOT / "rules", pack, symlinks=True)
            name = rng.choice(files)
            path = pack / name
            path.write_text(mutate_text(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
            try:
                policy = policylib.load_policy(pack)
            except RuleError as exc:
                located = all(p.where.count(":") == 2 for p in exc.problems) and exc.problems
                tally["refused, located" if located else "REFUSED WITHOUT line:col"] += 1
                continue
            except PolicyError:
                tally["refused (other PolicyError)"] += 1
                continue
            except Exception as exc:
                tally["CRASH at load"] += 1
                where = traceback.extract_tb(exc.__traceback__)[-1]
                crashes[f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"] += 1
                continue
            tally["loaded"] += 1
            for text in requests:
                try:
                    policy.evaluate(text, now=NOW)
                except RequestError:
                    pass
                except Exception as exc:
                    tally["CRASH evaluating a loaded pack"] += 1
                    where = traceback.extract_tb(exc.__traceback__)[-1]
                    crashes[
                        f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
                    ] += 1
                    break
    _report(f"{count:,} mutated packs (seed {seed})", tally, crashes, 0)
    return 1 if any(k.startswith(("CRASH", "REFUSED WITHOUT")) for k in tally) else 0


def _report(
    title: str, tally: collections.Counter[str], crashes: collections.Counter[str], slow: int
) -> None:
    print(title)
    for key, value in sorted(tally.items()):
        print(f"  {key}: {value:,}")
    if slow:
        print(f"  slower than 1 s: {slow:,}")
    for key, value in crashes.most_common(10):
        print(f"    {value:,} x {key}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["requests", "packs"])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--generated",
        type=int,
        default=500,
        help="valid requests drawn from the vocabulary, added to the example seeds",
    )
    args = parser.parse_args(argv)
    if args.what == "requests":
        return fuzz_requests(args.count, args.seed, args.generated)
    return fuzz_packs(args.count, args.seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
