#!/usr/bin/env python3
"""policylib performance benchmark: the engine against its peers, scaling, end to end, memory.

Usage::

    python benchmarks/bench.py            # full run (many minutes)
    python benchmarks/bench.py --quick    # smoke run (fewer samples, 100k memory loop)

Sections (all measured in ONE process run, so ratios between rows are comparable; absolute
numbers on a shared, noisy machine are not):

1. the peer workload (``peers.MAIN_RULES``) written as a single-file policylib pack (its
   vocabulary declares the peers' request fields, each fact is its field), loaded with
   ``policylib.load_policy`` and verified against ``peers.reference_decide`` (decide and
   trace, 10,000 requests); any mismatch aborts the run;
2. single-request latency p50/p99 of the peer engines and policylib decide/trace with the
   peers' own ``latency_run`` harness, interleaved over several repeats;
3. scaling with synthetic packs of 7..10,000 rules: decide/trace p50, zen p50, load time
   (garbage collector on, as the library leaves it; its share measured), peak RSS of a
   fresh process that loads the pack;
4. end to end on the bundled pack's example requests (``Policy.evaluate``), dict and JSON
   text, with a per-stage time breakdown (and a cProfile when over the 200 us target);
5. RSS sampled while evaluating 1,000,000 requests (``--quick``: 100,000);
6. end to end flat in pack size: evaluate p50 of a denied and a granted return on the
   bundled pack and on temporary copies with 1,000 / 10,000 generated rules no example meets.

Results go to ``--out`` (default: a new temporary folder); nothing is written in the repo.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import importlib.util
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_PEERS = REPO.parent / "shared" / "bench" / "peers.py"
NOW_TEXT = "2026-11-20T15:00:00-05:00"
SCALING_NS = (7, 10, 100, 1_000, 10_000)
ZEN_BUILD_LIMIT_S = 60.0
PACK_FILE_LIMIT = 1_000_000  # the loader refuses pack files over 1 MiB
RULES_PER_AREA_FILE = 2_000
TARGET_DECIDE_US = 5.0
TARGET_TRACE_US = 15.0
TARGET_E2E_US = 200.0
KIND = "return"
SECTIONS = ("peers", "scaling", "e2e", "memory", "flat")
FLAT_EXTRA = (1_000, 10_000)  # generated rules added to the bundled pack (section 6)
FLAT_PRIORITY = 400  # above every bundled rule: tried first by anything that scans them
FLAT_DENIED = "late_refund_day_45.json"  # denied, with a counterfactual search
FLAT_GRANTED = "unused_return_day_20.json"
FLAT_RATIO_LIMIT = 1.25  # "flat": with the extra rules, p50 within this of the bundled pack's
PC = time.perf_counter

Decide = Callable[[Any], Any]
LatencyRun = Callable[[Decide, Sequence[Any], float], list[float]]


class BenchError(RuntimeError):
    """A correctness check failed: the numbers would be meaningless."""


# --------------------------------------------------------------------------- small helpers


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def rss_mb() -> float:
    return _status_mb("VmRSS:")


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss
    over fork and exec, so a fresh child would report at least its parent's RSS."""
    return _status_mb("VmHWM:")


def pct(sorted_xs: Sequence[float], p: float) -> float:
    """Same definition as peers.pct (nearest rank on a sorted list)."""
    if not sorted_xs:
        return float("nan")
    k = min(len(sorted_xs) - 1, max(0, round(p / 100.0 * (len(sorted_xs) - 1))))
    return sorted_xs[k]


def latency_run(decide: Decide, reqs: Sequence[Any], budget_s: float) -> list[float]:
    """Fallback copy of peers.latency_run (used only when peers.py is missing)."""
    xs: list[float] = []
    t_end = PC() + budget_s
    for r in reqs:
        t0 = PC()
        decide(r)
        t1 = PC()
        xs.append(t1 - t0)
        if t1 > t_end:
            break
    xs.sort()
    return xs


def fmt(x: float | None, nd: int = 1) -> str:
    if x is None or x != x:  # None or NaN
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.{nd}f}"


def timer_overhead_ns() -> float:
    xs = []
    for _ in range(20_000):
        t0 = PC()
        xs.append(PC() - t0)
    return statistics.median(xs) * 1e9


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def load_peers(path: Path, out_dir: Path) -> ModuleType | None:
    if not path.is_file():
        return None
    os.environ.setdefault("PEERS_OUT", str(out_dir / "peers"))  # peers.py makes a dir on import
    spec = importlib.util.spec_from_file_location("peers", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["peers"] = module
    spec.loader.exec_module(module)
    return module


class GcTime:
    """Time the cyclic garbage collector spends while the block runs (``gc.callbacks``).

    The loader leaves the collector on (the old one switched it off while loading), so the
    load times here include it, as an application sees them; this says how much of it.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0  # generation-2 collections
        self._t0 = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t0 = PC()
        else:
            self.seconds += PC() - self._t0
            self.full += info["generation"] == 2

    def __enter__(self) -> GcTime:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)


def timed_load(path: Path | str | None, repeats: int = 1) -> tuple[Any, dict[str, float]]:
    """Load a pack ``repeats`` times (earlier garbage collected first, the collector then
    left on); the last policy, and the median load time with the collector's share."""
    import policylib

    loads: list[tuple[float, float, int]] = []
    policy = None
    for _ in range(repeats):
        policy = None
        gc.collect()
        with GcTime() as gct:
            t0 = PC()
            policy = policylib.load_policy(path)
            loads.append((PC() - t0, gct.seconds, gct.full))
    load_s, gc_s, full = sorted(loads)[len(loads) // 2]
    return policy, {"load_ms": load_s * 1e3, "load_gc_ms": gc_s * 1e3, "load_gc_full": full}


def _load_child(path: str) -> None:
    """Fresh process: import policylib, load one pack, print load time and peak RSS."""
    before = rss_mb()
    policy, load = timed_load(path)
    after = {"rss_after_load_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}
    print(json.dumps({**load, **after, "rss_after_import_mb": before, "rules": len(policy.rules)}))


def fresh_load(path: Path) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), "--load-child", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"fresh_error": "fresh-process load timed out after 900 s"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
        return {"fresh_error": f"rc={proc.returncode}: {tail[0][:200]}"}
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"fresh_error": "", **{f"fresh_{k}": v for k, v in found.items()}}


# --------------------------------------------------------------------------- pack writing

_OPS = {"==": "eq", "!=": "ne", "<=": "lte"}
# The peers' request fields, declared as top-level request fields of the pack's vocabulary,
# and one fact per field, of the same name (a fact may share a field's name only to be it).
FIELDS: dict[str, dict[str, Any]] = {
    "category": {"type": "text", "description": "The item's category."},
    "days_since_delivery": {"type": "integer", "description": "Days since delivery."},
    "opened": {"type": "boolean", "description": "Whether the item was opened."},
    "defective": {"type": "boolean", "description": "Whether the item is defective."},
    "final_sale": {"type": "boolean", "description": "Whether it was a final sale."},
    "order_status": {
        "type": "enum",
        "values": ["placed", "shipped", "delivered"],
        "description": "Where the order is.",
    },
    "loyalty_tier": {"type": "enum", "values": ["gold", "none"], "description": "Loyalty tier."},
    "price": {"type": "money", "description": "The item's price."},
}
FACTS: dict[str, dict[str, Any]] = {
    "category": {"type": "text", "label": "item category"},
    "days_since_delivery": {"type": "integer", "unit": "days", "label": "days since delivery"},
    "opened": {"type": "boolean", "label": "whether the item was opened"},
    "defective": {"type": "boolean", "label": "whether the item is defective"},
    "final_sale": {"type": "boolean", "label": "whether the item was a final sale"},
    "order_status": {"type": "enum", "label": "order status"},
    "loyalty_tier": {"type": "enum", "label": "loyalty tier"},
    "price": {"type": "money", "unit": "currency", "label": "item price"},
}


def _y(value: Any) -> str:
    """A YAML flow scalar/collection the strict loader reads back exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # double-quoted: always text, never a YAML 1.1 surprise
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_y(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_y(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} to the pack")


def _when(conds: Sequence[tuple[str, str, Any]]) -> str:
    tests = [{f: v} if op == "==" else {f: {_OPS[op]: v}} for f, op, v in conds]
    return _y(tests[0]) if len(tests) == 1 else _y({"all": tests})


def _policy_yaml(title: str) -> str:
    return (
        f"store: {_y({'name': title, 'timezone': 'America/New_York', 'currency': 'USD'})}\n"
        'escalation: {contact: "a supervisor"}\n'
        'default: {outcome: "denied", text: "No rule applies, so the return is refused."}\n'
        'sections: {returns: {title: "Returns and refunds"}}\n'
        "alternatives:\n"
        '  kinds: {supervisor_review: {rank: 10, words: "a review of your case"}}\n'
        '  fallback: {kind: "supervisor_review", text: "A supervisor can review your case."}\n'
    )


def _vocabulary_yaml() -> str:
    lines = ['kinds: {return: {description: "Send an item back."}}', "fields:", "  request:"]
    lines += [f"    {name}: {_y(decl)}" for name, decl in FIELDS.items()]
    return "\n".join(lines) + "\n"


def _facts_yaml() -> str:
    lines = ["facts:"] + [f"  {n}: {_y({**d, 'expr': n})}" for n, d in FACTS.items()]
    return "\n".join(lines) + "\n"


def _rule_yaml(rid: str, priority: int, when: str, outcome: str, title: str) -> str:
    return (
        f"  - id: {_y(rid)}\n"
        f"    title: {_y(title)}\n"
        '    kinds: ["return"]\n'
        f"    priority: {priority}\n"
        f"    when: {when}\n"
        f"    outcome: {_y(outcome)}\n"
        f"    text: {_y(f'Decided by rule {rid}: {title}.')}\n"
        '    citation: {section: "returns"}'
    )


def _rules_yaml(rules: Sequence[Any], prefix: str, first_priority: int) -> str:
    out = ['section: "returns"', "rules:"]
    for i, (rid, outcome, reason, conds) in enumerate(rules):
        title = reason.replace("_", " ").capitalize()
        out.append(_rule_yaml(f"{prefix}-{rid}", first_priority - i, _when(conds), outcome, title))
    return "\n".join(out) + "\n"


def write_pack(dest: Path, rules: Sequence[Any], prefix: str, title: str) -> tuple[Path, str]:
    """Write ``rules`` (peers' neutral spec) as a pack; list order -> priorities len..1.

    One YAML file holding every top-level key when it fits the loader's 1 MiB per-file
    limit, else a directory (policy.yaml, vocabulary.yaml, facts.yaml and area files of
    ``RULES_PER_AREA_FILE`` rules each).
    """
    n = len(rules)
    head = {"policy": _policy_yaml(title), "vocabulary": _vocabulary_yaml()}
    head["facts"] = _facts_yaml()
    single = "".join(head.values()) + _rules_yaml(rules, prefix, n)
    if len(single.encode()) <= PACK_FILE_LIMIT:
        path = dest.with_suffix(".yaml")
        path.write_text(single)
        return path, "single file"
    dest.mkdir(parents=True, exist_ok=True)
    for name, text in head.items():
        (dest / f"{name}.yaml").write_text(text)
    chunks = range(0, n, RULES_PER_AREA_FILE)
    for k, start in enumerate(chunks):
        part = rules[start : start + RULES_PER_AREA_FILE]
        (dest / f"rules-{k:03d}.yaml").write_text(_rules_yaml(part, prefix, n - start))
    return dest, f"directory, {len(chunks)} area files"


def rule_key(verdict: Any, prefix: str) -> tuple[str, str]:
    """(outcome, peers' rule id) of a Verdict; the pack default <-> "DEFAULT"."""
    outcome = verdict.outcome.value  # an Outcome (str enum); the peers use plain text
    if verdict.rule is None:
        return outcome, "DEFAULT"
    rid = verdict.rule.id
    return outcome, rid[len(prefix) + 1 :] if rid.startswith(prefix + "-") else rid


def verify_engine(
    peers: ModuleType, engine: Any, rules: Sequence[Any], reqs: Sequence[Any], prefix: str
) -> int:
    """Decide and trace must equal peers.reference_decide on every request, else BenchError."""
    bad: list[str] = []
    for r in reqs:
        expected = peers.reference_decide(rules, r)
        for name, fn in (("decide", engine.decide), ("trace", engine.trace)):
            verdict = fn(KIND, r)
            got = rule_key(verdict, prefix)
            if got != expected:
                bad.append(f"{name}: got {got}, expected {expected} for {r}")
            if name == "trace":
                decided = [x.rule_id for x in verdict.trace or () if x.decided]
                if decided != ([] if verdict.rule is None else [verdict.rule.id]):
                    bad.append(f"trace: decided flags wrong for {r}")
    if bad:
        shown = "\n  ".join(bad[:5])
        raise BenchError(f"{len(bad)} mismatch(es) vs peers.reference_decide:\n  {shown}")
    return len(reqs)


# --------------------------------------------------------------------------- 1 + 2: peers


def section_peers(peers: ModuleType, out_dir: Path, quick: bool) -> dict[str, Any]:
    import policylib

    log("1. peer workload as a single-file policylib pack")
    path, form = write_pack(out_dir / "peer_main", peers.MAIN_RULES, "PEER", "Peer benchmark")
    policy, load = timed_load(path)
    engine = policy.engine
    vreqs = peers.gen_requests(10_000, 12345)
    verified = verify_engine(peers, engine, peers.MAIN_RULES, vreqs, "PEER")
    log(f"   {path} ({form}) loaded in {load['load_ms']:.1f} ms; {verified} requests verified")

    log("2. single-request latency, one run, interleaved repeats")
    classes = [peers.PythonIfElif, peers.PythonInterp, peers.PythonInterpExplain]
    zen_note = ""
    if importlib.util.find_spec("zen") is not None:
        classes += [peers.ZenStatic, peers.ZenTrace]
    else:
        zen_note = "zen-engine not importable; zen rows skipped"
        log("   " + zen_note)
    contenders: list[tuple[str, Decide]] = []
    for cls in classes:
        fn = cls().build(peers.MAIN_RULES, "bench")
        bad = peers.verify(fn, peers.MAIN_RULES, vreqs)
        if bad:
            raise BenchError(f"peer engine {cls.name} disagrees with the reference: {bad[:2]}")
        contenders.append((cls.name, fn))
    contenders.append(("policylib decide", partial(engine.decide, KIND)))
    contenders.append(("policylib trace", partial(engine.trace, KIND)))
    try:  # the optional durable_rules backend, behind its guards (Python < 3.13)
        durable = policylib.load_policy(path, engine="durable").engine
        verify_engine(peers, durable, peers.MAIN_RULES, vreqs[:2_000], "PEER")
        contenders.append(("policylib durable", partial(durable.decide, KIND)))
    except policylib.BackendError as exc:
        log(f"   durable backend skipped: {exc}")

    n_lat, reps, budget = (3_000, 3, 2.0) if quick else (10_000, 5, 6.0)
    lreqs = peers.gen_requests(n_lat, 777)
    for _, fn in contenders:
        peers.latency_run(fn, lreqs[:1000], 5.0)  # warm-up
    p50s: dict[str, list[float]] = defaultdict(list)
    p99s: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        for name, fn in contenders:
            xs = peers.latency_run(fn, lreqs, budget)
            p50s[name].append(statistics.median(xs) * 1e6)
            p99s[name].append(peers.pct(xs, 99) * 1e6)
    floor = statistics.median(p50s["python_ifelif"])
    rows = []
    for name, _ in contenders:
        p50, p99 = statistics.median(p50s[name]), statistics.median(p99s[name])
        rows.append({"engine": name, "p50_us": p50, "p99_us": p99, "x_floor": p50 / floor})
        rows[-1]["verified"] = 2_000 if name == "policylib durable" else len(vreqs)
        log(f"   {name:24s} p50 {p50:8.2f} us  p99 {p99:8.2f} us")
    out = {"pack": str(path), "pack_form": form, **load, "verified": verified, "rows": rows}
    return {**out, "repeats": reps, "zen_note": zen_note}


# --------------------------------------------------------------------------- 3: scaling


def _zen_contender(
    peers: ModuleType, rules: Sequence[Any], reqs: Sequence[Any], n: int, rate: float | None
) -> tuple[Decide | None, dict[str, Any], float | None]:
    """A verified zen decide for a scaling row, unless its build would take too long."""
    predicted = None if rate is None else rate * n
    if predicted is not None and predicted > ZEN_BUILD_LIMIT_S:
        return None, {"zen_note": f"skipped: build predicted {predicted:.0f} s > 60 s"}, rate
    t0 = PC()
    zdec = peers.ZenStatic().build(rules, f"s{n}")
    zdec(reqs[0])
    build_s = PC() - t0
    if build_s > ZEN_BUILD_LIMIT_S:
        return None, {"zen_note": f"skipped: build took {build_s:.0f} s > 60 s"}, build_s / n
    bad = peers.verify(zdec, rules, reqs[:1000], budget_s=20.0)
    if bad:
        raise BenchError(f"zen disagrees with the reference at N={n}: {bad[:1]}")
    return zdec, {"zen_build_ms": build_s * 1e3}, build_s / n


def section_scaling(peers: ModuleType, out_dir: Path, quick: bool) -> list[dict[str, Any]]:
    zen_ok = importlib.util.find_spec("zen") is not None
    n_lat, budget = (1_000, 1.5) if quick else (5_000, 5.0)
    rows: list[dict[str, Any]] = []
    zen_rate: float | None = None  # build seconds per rule, from the last n built
    for n in SCALING_NS:
        log(f"3. scaling: N={n}")
        rules = peers.MAIN_RULES if n == 7 else peers.synth_rules(n)
        if n == 7:
            reqs = peers.gen_requests(n_lat, 777)
        else:
            reqs = peers.gen_synth_requests(n_lat, n, 100 + n)
        path, form = write_pack(out_dir / f"scale_{n}", rules, "SYN", f"Synthetic {n}")
        policy, load = timed_load(path, 1 if n >= 10_000 or quick else 3)
        engine = policy.engine
        verified = verify_engine(peers, engine, rules, reqs[:1000], "SYN")
        row: dict[str, Any] = {"n": n, "pack_form": form, **load, **fresh_load(path)}
        row["verified"] = verified
        contenders: list[tuple[str, Decide]] = [
            ("decide", partial(engine.decide, KIND)),
            ("trace", partial(engine.trace, KIND)),
        ]
        if zen_ok:
            zdec, zen_row, zen_rate = _zen_contender(peers, rules, reqs, n, zen_rate)
            row.update(zen_row)
            if zdec is not None:
                contenders.append(("zen", zdec))
        else:
            row["zen_note"] = "zen-engine not importable"
        for _, fn in contenders:
            peers.latency_run(fn, reqs[:300], 2.0)
        results: dict[str, list[float]] = defaultdict(list)
        for _ in range(2 if quick else 3):  # interleaved repeats
            for name, fn in contenders:
                xs = peers.latency_run(fn, reqs, budget)
                results[name + "_p50_us"].append(statistics.median(xs) * 1e6)
                results[name + "_p99_us"].append(peers.pct(xs, 99) * 1e6)
        row.update({key: statistics.median(vals) for key, vals in results.items()})
        rows.append(row)
        log(
            f"   load {_load(row)} ms ({form}); decide p50 {row['decide_p50_us']:.2f} us, "
            f"trace p50 {row['trace_p50_us']:.2f} us, zen p50 {fmt(row.get('zen_p50_us'), 2)}"
            f" us; fresh peak RSS {fmt(row.get('fresh_peak_rss_mb'))} MB {row['fresh_error']}"
        )
        del policy, engine, contenders
        gc.collect()
    return rows


# --------------------------------------------------------------------------- 4: end to end


class StageTimer:
    """Wraps functions to attribute wall time to named stages (self time and inclusive)."""

    def __init__(self) -> None:
        self.self_s: dict[str, float] = defaultdict(float)
        self.incl_s: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []  # [stage, seconds spent in timed callees]
        self._undo: list[Callable[[], None]] = []

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        stack = self._stack

        def timed(*args: Any, **kwargs: Any) -> Any:
            frame: list[Any] = [stage, 0.0]
            outer = any(f[0] == stage for f in stack)  # recursion: inclusive counted once
            stack.append(frame)
            t0 = PC()
            try:
                return fn(*args, **kwargs)
            finally:
                dt = PC() - t0
                stack.pop()
                self.self_s[stage] += dt - frame[1]
                self.incl_s[stage] += 0.0 if outer else dt
                self.calls[stage] += 1
                if stack:
                    stack[-1][1] += dt

        return timed

    def patch(self, owner: Any, attr: str, stage: str) -> None:
        """Replace owner.attr by a timed wrapper (instance attribute or module global).

        Raises BenchError when there is no such callable: the library has moved on and the
        breakdown must follow it, not quietly lose a stage.
        """
        original = getattr(owner, attr, None)
        if original is None or not callable(original):
            name = getattr(owner, "__name__", type(owner).__name__)
            raise BenchError(f"stage breakdown: patch point {name}.{attr} is gone ({stage})")
        if isinstance(owner, ModuleType) or attr in getattr(owner, "__dict__", {}):
            self._undo.append(lambda: setattr(owner, attr, original))
        else:
            self._undo.append(lambda: delattr(owner, attr))
        setattr(owner, attr, self.wrap(stage, original))
        self.calls[stage] += 0  # listed even when never called

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


# (owner, attribute, stage, calls): owner is an attribute of the Policy ("" for the Policy
# itself) or a policylib module. calls: "each" = at least once per evaluation (on average),
# "some" = at least once over the run (the examples include denials with alternatives),
# "any" = may be idle. A stage called less than that means the wrappers are not where the
# work happens any more: the run fails rather than print a breakdown that is quietly wrong.
STAGES = (
    ("", "evaluate", "evaluate (glue: clock, split, verdicts, asked)", "each"),
    ("policylib.policy", "parse_request", "parse_request (pydantic)", "each"),
    ("deriver", "env", "derive: env per request", "each"),
    ("deriver", "derive", "derive: facts", "each"),
    ("engine", "trace", "engine.trace (without its decide)", "each"),
    ("engine", "decide", "engine.decide (in trace and probes)", "each"),
    ("texts", "format_facts", "rendering: format_facts", "each"),
    ("texts", "fill", "rendering: fill (Fluent)", "some"),
    ("", "_reasons", "rendering: reasons", "each"),
    ("", "_question", "rendering: question", "any"),
    ("", "_combine", "rendering: combine + Decision models", "each"),
    ("", "_decision_context", "rendering: decision context", "each"),
    ("policylib.policy", "render_decision", "rendering: render_decision", "each"),
    ("search", "find", "alternatives: search (own work)", "some"),
    ("", "probe", "alternatives: probe glue", "some"),
    ("", "_run", "alternatives: axis expressions", "any"),
    ("policylib.search.alternatives", "apply_change", "alternatives: apply_change", "some"),
)


def _stage_breakdown(policy: Any, reqs: Sequence[Any], now: datetime) -> dict[str, Any]:
    timer = StageTimer()
    try:
        for owner, attr, stage, _ in STAGES:
            if owner.startswith("policylib."):
                target = importlib.import_module(owner)
            else:
                target = getattr(policy, owner) if owner else policy
            timer.patch(target, attr, stage)
        for r in reqs[:200]:  # warm-up through the wrappers
            policy.evaluate(r, now=now)
        for key in list(timer.calls):
            timer.self_s[key] = timer.incl_s[key] = 0.0
            timer.calls[key] = 0
        t0 = PC()
        for r in reqs:
            policy.evaluate(r, now=now)
        wall = PC() - t0
    finally:
        timer.restore()
    n = len(reqs)
    least = {"each": n, "some": 1, "any": 0}
    idle = [f"{o or 'policy'}.{a} ({c})" for o, a, s, c in STAGES if timer.calls[s] < least[c]]
    if idle:
        raise BenchError(f"stage breakdown: stages called less than expected: {idle}")
    stages = []
    for s in sorted(timer.calls, key=lambda s: -timer.self_s[s]):
        us = {"self_us": timer.self_s[s] / n * 1e6, "incl_us": timer.incl_s[s] / n * 1e6}
        stages.append({"stage": s, **us, "calls_per_eval": timer.calls[s] / n})
    return {"evaluations": n, "wall_us_per_eval": wall / n * 1e6, "stages": stages}


def _cprofile(policy: Any, reqs: Sequence[Any], now: datetime, top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for r in reqs:
        policy.evaluate(r, now=now)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    buf.write(f"--- cProfile of {len(reqs)} evaluations, sorted by tottime ---\n")
    stats.sort_stats("tottime").print_stats(top)
    buf.write("--- sorted by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def examples(policy: Any, now: datetime) -> tuple[list[str], list[Any], list[str], dict[str, str]]:
    """The pack's example requests that evaluate: names, dicts, JSON texts, and errors."""
    ex_dir = Path(policy.pack.source) / "examples"
    files = sorted(ex_dir.glob("*.json"))
    if not files:
        raise BenchError(f"no example requests in {ex_dir}")
    names, dicts, texts, errors = [], [], [], {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        data = json.loads(text)
        try:
            decision = policy.evaluate(data, now=now)
            again = policy.evaluate(text, now=now)
        except Exception as exc:  # report the example, time the rest
            errors[f.name] = f"{type(exc).__name__}: {str(exc)[:200]}"
            continue
        if again.outcome != decision.outcome:
            errors[f.name] = f"dict -> {decision.outcome}, JSON text -> {again.outcome}"
            continue
        names.append(f.name)
        dicts.append(data)
        texts.append(text)
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, err in errors.items():
        grouped[err].append(name)
    for err, which in grouped.items():
        log(f"   {len(which)} example(s) skipped ({', '.join(which[:3])}...): {err}")
    if not dicts:
        raise BenchError("no example request could be evaluated")
    return names, dicts, texts, errors


def section_e2e(
    lat_run: LatencyRun, quick: bool, force_profile: bool
) -> tuple[dict[str, Any], Any, list[Any], datetime]:
    log("4. end to end on the bundled pack")
    policy, load = timed_load(None, 3)
    now = datetime.fromisoformat(NOW_TEXT)
    names, dicts, texts, errors = examples(policy, now)
    outcomes: dict[str, int] = defaultdict(int)
    for data in dicts:
        outcomes[policy.evaluate(data, now=now).outcome.value] += 1
    log(f"   {len(dicts)}/{len(dicts) + len(errors)} examples evaluate; outcomes {dict(outcomes)}")

    def by_dict(r: Any) -> Any:
        return policy.evaluate(r, now=now)

    n_cycle, reps, budget = (2_000, 2, 3.0) if quick else (10_000, 3, 8.0)
    cyc_d = [dicts[i % len(dicts)] for i in range(n_cycle)]
    cyc_t = [texts[i % len(texts)] for i in range(n_cycle)]
    lat_run(by_dict, cyc_d[: 5 * len(dicts)], 5.0)  # warm-up
    lat_run(by_dict, cyc_t[: 5 * len(texts)], 5.0)
    res: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        for label, cyc in (("dict", cyc_d), ("json", cyc_t), ("core", cyc_d)):
            # "core": the pipeline without the alternatives search (parse, derive, trace,
            # render): this policy's Search.find answers "nothing", here only.
            if label == "core":
                policy.search.find = lambda **_: []
            try:
                xs = lat_run(by_dict, cyc, budget)
            finally:
                policy.search.__dict__.pop("find", None)
            res[label + "_p50_us"].append(statistics.median(xs) * 1e6)
            res[label + "_p99_us"].append(pct(xs, 99) * 1e6)
    out: dict[str, Any] = {
        "pack": policy.pack.source,
        "pack_rules": len(policy.rules),
        **load,
        **fresh_load(Path(policy.pack.source)),
        "examples": len(dicts),
        "examples_total": len(dicts) + len(errors),
        "example_errors": errors,
        "outcomes": dict(outcomes),
        "repeats": reps,
        **{key: statistics.median(vals) for key, vals in res.items()},
    }
    per: list[dict[str, Any]] = []  # per example: which requests are expensive
    for name, data in zip(names, dicts, strict=True):
        xs = lat_run(by_dict, [data] * (20 if quick else 60), 2.0)
        per.append({"example": name, "p50_us": statistics.median(xs) * 1e6})
    out["per_example"] = sorted(per, key=lambda x: -x["p50_us"])
    over = out["dict_p50_us"] > TARGET_E2E_US
    log(
        f"   load {_load(out)} ms; evaluate(dict) p50 {out['dict_p50_us']:.1f} us p99 "
        f"{out['dict_p99_us']:.1f} us; JSON text p50 {out['json_p50_us']:.1f} us "
        f"({'OVER' if over else 'within'} target)"
    )
    # always: it is cheap, and it checks that the patch points still exist
    out["breakdown"] = _stage_breakdown(policy, cyc_d[: 1_000 if quick else 5_000], now)
    if over or force_profile:
        out["cprofile"] = _cprofile(policy, cyc_d[: 300 if quick else 2_000], now, 30)
    return out, policy, dicts, now


# --------------------------------------------------------------------------- 5: memory


def section_memory(
    policy: Any, dicts: Sequence[Any], now: datetime, total: int, budget_s: float | None
) -> dict[str, Any]:
    step = max(1, total // 10)
    log(f"5. memory: {total:,} evaluations, RSS every {step:,}")
    deadline = None if budget_s is None else PC() + budget_s
    stopped = ""
    evaluate, m = policy.evaluate, len(dicts)
    samples = [{"evaluations": 0, "rss_mb": rss_mb()}]
    t0 = PC()
    done = 0
    while done < total:
        for i in range(done, done + step):
            evaluate(dicts[i % m], now=now)
        done += step
        samples.append({"evaluations": done, "rss_mb": rss_mb()})
        log(f"   {done:>9,}  RSS {samples[-1]['rss_mb']:.1f} MB")
        if deadline is not None and done < total and PC() > deadline:
            stopped = f"stopped at {done:,} of {total:,} evaluations (--mem-budget {budget_s:g} s)"
            log("   " + stopped)
            break
    wall = PC() - t0
    last = samples[-1]["rss_mb"]
    return {
        "evaluations": done,
        "stopped": stopped,
        "samples": samples,
        "growth_first_to_last_mb": last - samples[1]["rss_mb"],
        "growth_start_to_last_mb": last - samples[0]["rss_mb"],
        "evals_per_s": done / wall,
    }


# --------------------------------------------------------------------------- 6: flat in size


def extra_rules_yaml(start: int, count: int, *, reads_choice: bool = False) -> str:
    """An area file of return rules no example request meets: each tests an item category
    of its own (``bench-extra-N``) and a return window, so they load without precedence
    conflicts (rules of one priority are told apart by their categories). With
    ``reads_choice`` each also tests ``resolution``, a path the alternatives search varies
    (with ``in``, so the engine's equality index stays on the category)."""
    out = ['section: "returns"', "rules:"]
    for i in range(start, start + count):
        tests: list[Any] = [
            {"item_category": f"bench-extra-{i}"},
            {"days_since_delivery": {"lte": 10 + i % 90}},
        ]
        if reads_choice:
            tests.append({"resolution": {"in": ["refund", "store_credit"]}})
        outcome = "granted" if i % 2 else "denied"
        title = f"Bench category {i} window"
        out.append(_rule_yaml(f"BENCH-X-{i}", FLAT_PRIORITY, _y({"all": tests}), outcome, title))
    return "\n".join(out) + "\n"


def write_big_pack(src: Path, dest: Path, extra: int, *, reads_choice: bool = False) -> Path:
    """A copy of the pack ``src`` plus ``extra`` generated rules (never written into src)."""
    shutil.copytree(src.resolve(), dest)
    for k, start in enumerate(range(0, extra, RULES_PER_AREA_FILE)):
        text = extra_rules_yaml(
            start, min(RULES_PER_AREA_FILE, extra - start), reads_choice=reads_choice
        )
        (dest / f"zz_bench_extra_{k:03d}.yaml").write_text(text)
    return dest


def _signature(decision: Any) -> tuple[Any, ...]:
    reasons = tuple(r.rule_id for r in decision.reasons)
    return (
        decision.outcome.value,
        reasons,
        tuple((a.kind, a.rule_id) for a in decision.alternatives),
    )


def section_flat(lat_run: LatencyRun, out_dir: Path, quick: bool) -> dict[str, Any]:
    """evaluate of one denied and one granted return: bundled pack vs + N extra rules."""
    src = Path(timed_load(None)[0].pack.source)
    now = datetime.fromisoformat(NOW_TEXT)
    variants = [("bundled", 0, False), *((f"+{n:,} extra", n, False) for n in FLAT_EXTRA)]
    variants.append((f"+{FLAT_EXTRA[-1]:,} extra reading resolution", FLAT_EXTRA[-1], True))
    rows: list[dict[str, Any]] = []
    policies: list[Any] = []
    for label, n, choice in variants:
        log(f"6. flat in pack size: {label}")
        dest = out_dir / f"flat_{n}_{int(choice)}"
        path = write_big_pack(src, dest, n, reads_choice=choice) if n else src
        policy, load = timed_load(path)
        rows.append({"pack": label, "extra_rules": n, "reads_choice": choice, **load})
        rows[-1]["rules"] = len(policy.rules)
        policies.append(policy)
        log(f"   {len(policy.rules):,} rules loaded in {_load(load)} ms")
    # the extra rules must change nothing: every example decided alike by every pack
    names, dicts, _, _ = examples(policies[0], now)
    base = [_signature(policies[0].evaluate(d, now=now)) for d in dicts]
    for row, policy in zip(rows[1:], policies[1:], strict=True):
        for name, data, expected in zip(names, dicts, base, strict=True):
            got = _signature(policy.evaluate(data, now=now))
            if got != expected:
                raise BenchError(f"{row['pack']}: {name} decided {got}, bundled {expected}")
    requests = {}
    for which, name in (("denied", FLAT_DENIED), ("granted", FLAT_GRANTED)):
        if name not in names or base[names.index(name)][0] != which:
            raise BenchError(f"flat: example {name} is missing or not {which}")
        requests[which] = dicts[names.index(name)]
    n_req, reps, budget = (300, 3, 1.0) if quick else (2_000, 5, 4.0)
    p50s: dict[tuple[int, str], list[float]] = defaultdict(list)
    for rep in range(reps + 1):  # the first round warms up; then interleaved repeats
        for k, policy in enumerate(policies):
            for which, data in requests.items():
                xs = lat_run(partial(policy.evaluate, now=now), [data] * n_req, budget)
                if rep:
                    p50s[k, which].append(statistics.median(xs) * 1e6)
    for k, row in enumerate(rows):
        for which in requests:
            row[f"{which}_p50_us"] = statistics.median(p50s[k, which])
            row[f"{which}_x"] = row[f"{which}_p50_us"] / statistics.median(p50s[0, which])
        log(
            f"   {row['pack']:34s} denied p50 {row['denied_p50_us']:7.1f} us "
            f"({row['denied_x']:.2f}x), granted {row['granted_p50_us']:7.1f} us "
            f"({row['granted_x']:.2f}x)"
        )
    return {"denied": FLAT_DENIED, "granted": FLAT_GRANTED, "repeats": reps, "rows": rows}


# --------------------------------------------------------------------------- report


def _md_table(
    columns: Sequence[tuple[str, Callable[[Any], Any]]], rows: Iterable[Any]
) -> list[str]:
    """A markdown table: one (header, cell of a row) pair per column."""
    lines = ["| " + " | ".join(h for h, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell(r)) for _, cell in columns) + " |" for r in rows]
    return lines


def _verdict(value: float | None, target: float) -> str:
    if value is None or value != value:
        return "-"
    return "yes" if value <= target else "**no**"


def _load(r: dict[str, Any], prefix: str = "") -> str:
    """Load ms with the garbage collector's part."""
    if r.get(f"{prefix}error"):
        return str(r[f"{prefix}error"])
    return f"{fmt(r.get(f'{prefix}load_ms'))} (gc {fmt(r.get(f'{prefix}load_gc_ms'))})"


def _report_peers(p: dict[str, Any]) -> list[str]:
    out = [
        f"**Single request, peer workload** (7 rules; policylib pack = {p['pack_form']}, "
        f"{p['verified']:,} requests verified vs `reference_decide` for decide and trace; "
        "peers' `latency_run`; policylib rows call `engine.decide/trace('return', facts)` and "
        "return a Verdict)",
        "",
    ]
    out += _md_table(
        [
            ("engine", lambda r: r["engine"]),
            ("p50 µs", lambda r: fmt(r["p50_us"], 2)),
            ("p99 µs", lambda r: fmt(r["p99_us"], 2)),
            ("x floor", lambda r: fmt(r["x_floor"], 1)),
            ("verified", lambda r: f"{r['verified']:,} ok"),
        ],
        p["rows"],
    )
    return [*out, *(["", p["zen_note"]] if p.get("zen_note") else []), ""]


def _report_scaling(scaling: list[dict[str, Any]]) -> list[str]:
    out = [
        "**Scaling** (N=7 is the main workload, others `peers.synth_rules(N)`; µs; load = "
        "`load_policy(path)` in this process, median, the garbage collector on as the library "
        "leaves it, its share in brackets; fresh = first load in a new process incl. lazy "
        "imports; peak RSS of that fresh process)",
        "",
    ]
    zen = lambda r: fmt(r.get("zen_p50_us"), 2) if "zen_p50_us" in r else r.get("zen_note")  # noqa: E731
    out += _md_table(
        [
            ("N rules", lambda r: f"{r['n']:,}"),
            ("pack", lambda r: r["pack_form"]),
            ("decide p50", lambda r: fmt(r["decide_p50_us"], 2)),
            ("trace p50", lambda r: fmt(r["trace_p50_us"], 2)),
            ("zen p50", zen),
            ("decide p99", lambda r: fmt(r["decide_p99_us"], 2)),
            ("trace p99", lambda r: fmt(r["trace_p99_us"], 2)),
            ("load ms (gc)", _load),
            ("fresh load ms (gc)", lambda r: _load(r, "fresh_")),
            ("peak RSS MB", lambda r: fmt(r.get("fresh_peak_rss_mb"), 0)),
            ("verified", lambda r: f"{r['verified']:,} ok"),
        ],
        scaling,
    )
    base, last = scaling[0], scaling[-1]
    return [
        *out,
        "",
        f"decide p50 N={last['n']:,} / N={base['n']}: "
        f"{last['decide_p50_us'] / base['decide_p50_us']:.2f}x; trace: "
        f"{last['trace_p50_us'] / base['trace_p50_us']:.2f}x",
        "",
    ]


def _report_e2e(e2e: dict[str, Any]) -> list[str]:
    out = [
        f"**End to end** — `policy.evaluate(request, now={NOW_TEXT})` on the bundled pack "
        f"({e2e['pack_rules']} rules; load {_load(e2e)} ms, in a fresh process "
        f"{_load(e2e, 'fresh_')} ms, its peak RSS {fmt(e2e.get('fresh_peak_rss_mb'), 0)} MB), "
        f"{e2e['examples']}/{e2e['examples_total']} example requests cycled (outcomes "
        f"{e2e['outcomes']})",
        "",
    ]
    out += _md_table(
        [
            ("input", lambda r: r[0]),
            ("p50 µs", lambda r: fmt(e2e[f"{r[1]}_p50_us"])),
            ("p99 µs", lambda r: fmt(e2e[f"{r[1]}_p99_us"])),
            (
                f"target p50 ≤ {TARGET_E2E_US:g} µs",
                lambda r: _verdict(e2e[f"{r[1]}_p50_us"], TARGET_E2E_US),
            ),
        ],
        [("dict", "dict"), ("JSON text", "json"), ("dict, without alternatives", "core")],
    )
    slow = ", ".join(f"{p['example']} {p['p50_us']:.0f}" for p in e2e["per_example"][:5])
    out += ["", f"Slowest examples (p50 µs): {slow}", ""]
    bd = e2e["breakdown"]
    wall = bd["wall_us_per_eval"]
    out += [
        f"Stage breakdown (self time per evaluate, {bd['evaluations']:,} evaluations, "
        f"{wall:.0f} µs/eval with timing wrappers):",
        "",
    ]
    out += _md_table(
        [
            ("stage", lambda s: s["stage"]),
            ("self µs", lambda s: fmt(s["self_us"], 1)),
            ("%", lambda s: f"{100 * s['self_us'] / wall:.0f}%"),
            ("incl µs", lambda s: fmt(s["incl_us"], 1)),
            ("calls/eval", lambda s: f"{s['calls_per_eval']:.1f}"),
        ],
        bd["stages"],
    )
    return [*out, ""]


def _report_memory(mem: dict[str, Any]) -> list[str]:
    samples = " → ".join(f"{s['evaluations'] // 1000}k:{s['rss_mb']:.1f}" for s in mem["samples"])
    return [
        f"**Memory** — RSS MB while evaluating {mem['evaluations']:,} requests "
        f"({mem['evals_per_s']:,.0f} evaluations/s): {samples}; growth first sample → last "
        f"{mem['growth_first_to_last_mb']:+.1f} MB "
        f"(from start {mem['growth_start_to_last_mb']:+.1f} MB)"
        + (f" — {mem['stopped']}" if mem.get("stopped") else ""),
        "",
    ]


def _report_flat(flat: dict[str, Any]) -> list[str]:
    out = [
        f"**End to end, flat in pack size** — `evaluate` p50 of one denied return "
        f"({flat['denied']}, with the counterfactual search) and one granted return "
        f"({flat['granted']}), bundled pack vs temporary copies with generated return rules no "
        f"example meets (own item category, priority {FLAT_PRIORITY}); {flat['repeats']} "
        "interleaved repeats; every example decided alike by every pack. The last row's rules "
        "also test `resolution`, a path the alternatives search varies.",
        "",
    ]
    out += _md_table(
        [
            ("pack", lambda r: r["pack"]),
            ("rules", lambda r: f"{r['rules']:,}"),
            ("load ms (gc)", _load),
            ("denied p50 µs", lambda r: fmt(r["denied_p50_us"])),
            ("x", lambda r: f"{r['denied_x']:.2f}"),
            ("granted p50 µs", lambda r: fmt(r["granted_p50_us"])),
            ("x", lambda r: f"{r['granted_x']:.2f}"),
            (f"flat (≤ {FLAT_RATIO_LIMIT:g}x)", lambda r: _verdict(_worst(r), FLAT_RATIO_LIMIT)),
        ],
        flat["rows"],
    )
    return [*out, ""]


def _worst(row: dict[str, Any]) -> float:
    return float(max(row["denied_x"], row["granted_x"]))


def report(res: dict[str, Any]) -> str:
    meta = res["meta"]
    out = [
        f"### policylib benchmark — {meta['started']} ({'quick' if meta['quick'] else 'full'})",
        "",
        f"Python {meta['python']}, {meta['cpus']} CPUs (shared, noisy), loadavg start "
        f"{meta['loadavg_start']:.2f} / end {meta.get('loadavg_end', float('nan')):.2f}; "
        f"zen-engine {meta.get('zen_version', '-')}; timer overhead "
        f"{meta['timer_overhead_ns']:.0f} ns/sample (not subtracted); peak RSS of this run "
        f"{fmt(meta.get('peak_rss_mb'), 0)} MB. All rows of one table come from ONE process "
        "run with interleaved repeats; compare ratios, not absolutes.",
        "",
        f"Command: `{meta['command']}`",
        "",
    ]
    parts: dict[str, Callable[[Any], list[str]]] = {
        "peers": _report_peers,
        "scaling": _report_scaling,
        "e2e": _report_e2e,
        "memory": _report_memory,
        "flat": _report_flat,
    }
    for key, part in parts.items():
        if res.get(key):
            out += part(res[key])
    targets = []
    if res.get("peers"):
        row = {r["engine"]: r for r in res["peers"]["rows"]}
        for name, target in (("decide", TARGET_DECIDE_US), ("trace", TARGET_TRACE_US)):
            p50 = row[f"policylib {name}"]["p50_us"]
            targets.append(f"{name} p50 ≤ {target:g} µs: {fmt(p50, 2)} → {_verdict(p50, target)}")
    if res.get("scaling"):
        worst_d = max(r["decide_p50_us"] for r in res["scaling"])
        worst_t = max(r["trace_p50_us"] for r in res["scaling"])
        targets.append(
            f"flat 7 → 10,000 rules: worst decide p50 {fmt(worst_d, 2)} "
            f"({_verdict(worst_d, TARGET_DECIDE_US)}), worst trace p50 {fmt(worst_t, 2)} "
            f"({_verdict(worst_t, TARGET_TRACE_US)})"
        )
    if res.get("e2e"):
        p50 = res["e2e"]["dict_p50_us"]
        targets.append(f"end-to-end p50 ≤ 200 µs: {fmt(p50)} → {_verdict(p50, TARGET_E2E_US)}")
    if res.get("flat"):
        row = [r for r in res["flat"]["rows"] if r["extra_rules"] and not r["reads_choice"]][-1]
        targets.append(
            f"end to end flat with +{row['extra_rules']:,} rules: worst {_worst(row):.2f}x → "
            f"{_verdict(_worst(row), FLAT_RATIO_LIMIT)}"
        )
    if targets:
        out += ["Targets: " + "; ".join(targets)]
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="fewer samples, 100k memory loop")
    ap.add_argument("--peers", type=Path, default=DEFAULT_PEERS, help="path to peers.py")
    ap.add_argument("--out", type=Path, help="results folder (default: a new temp folder)")
    ap.add_argument("--profile", action="store_true", help="always print the e2e cProfile")
    ap.add_argument("--mem-evals", type=int, help="evaluations in the memory loop")
    ap.add_argument("--mem-budget", type=float, help="stop the memory loop after S seconds")
    ap.add_argument("--skip", default="", help="comma list of: " + ",".join(SECTIONS))
    ap.add_argument("--load-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.load_child:
        _load_child(args.load_child)
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(SECTIONS):
        ap.error(f"--skip: unknown section(s) {sorted(skip - set(SECTIONS))}")

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="policylib-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    command = " ".join([sys.executable, *sys.argv])
    meta: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "quick": args.quick,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg()[0],
        "timer_overhead_ns": timer_overhead_ns(),
        "command": command,
        "out_dir": str(out_dir),
    }
    try:
        from importlib.metadata import version

        meta["zen_version"] = version("zen-engine")
    except Exception:
        meta["zen_version"] = "not installed"
    results: dict[str, Any] = {"meta": meta}
    log(f"results folder: {out_dir}")

    peers = load_peers(args.peers, out_dir)
    meta["peers"] = str(args.peers) if peers is not None else f"missing: {args.peers}"
    if peers is None:
        log(f"peers.py not found at {args.peers}: running only the policylib parts (4-6)")
    lat = peers.latency_run if peers is not None else latency_run
    status = 0
    try:
        if peers is not None and "peers" not in skip:
            results["peers"] = section_peers(peers, out_dir, args.quick)
        if peers is not None and "scaling" not in skip:
            results["scaling"] = section_scaling(peers, out_dir, args.quick)
        if "e2e" not in skip or "memory" not in skip:
            e2e, policy, dicts, now = section_e2e(lat, args.quick, args.profile)
            if "e2e" not in skip:
                results["e2e"] = e2e
            if "memory" not in skip:
                total = args.mem_evals or (100_000 if args.quick else 1_000_000)
                results["memory"] = section_memory(policy, dicts, now, total, args.mem_budget)
            del policy, dicts
        if "flat" not in skip:  # last: its big packs would inflate the memory section's RSS
            results["flat"] = section_flat(lat, out_dir, args.quick)
    except BenchError as exc:
        log(f"FAILED: {exc}")
        results["error"] = str(exc)
        status = 1
    except Exception as exc:
        log(f"FAILED with {type(exc).__name__}: {exc}")
        results["error"] = traceback.format_exc()
        status = 2
    meta["loadavg_end"] = os.getloadavg()[0]
    meta["peak_rss_mb"] = peak_rss_mb()

    out_file = out_dir / "results.json"
    out_file.write_text(json.dumps(results, indent=1, default=str))
    print("\n----- markdown (paste into the issue) -----")
    print(report(results))
    print("----- end markdown -----\n")
    if results.get("e2e", {}).get("cprofile"):
        print(results["e2e"]["cprofile"])
    print(f"results JSON: {out_file}")
    print(f"command: {command}")
    if status:
        print(f"RUN FAILED: {results.get('error', '')[:2000]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
