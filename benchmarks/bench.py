#!/usr/bin/env python3
"""policylib performance benchmark: the engine against its peers, scaling, end to end, memory.

Usage::

    python benchmarks/bench.py            # full run (many minutes)
    python benchmarks/bench.py --quick    # smoke run (fewer samples, 100k memory loop)

Sections (all measured in ONE process run, so ratios between rows are comparable; absolute
numbers on a shared, noisy machine are not):

1. the peer workload (``peers.MAIN_RULES``) written as a single-file policylib YAML pack,
   loaded with ``policylib.load_policy`` and verified against ``peers.reference_decide``
   (decide and trace, 10,000 requests); any mismatch aborts the run;
2. single-request latency p50/p99 of the peer engines and policylib decide/trace with the
   peers' own ``latency_run`` harness, interleaved over several repeats;
3. scaling with synthetic packs of 7..10,000 rules: decide/trace p50, zen p50, load time,
   peak RSS of a fresh process that loads the pack;
4. end to end on the bundled pack's example requests (``Policy.evaluate``), dict and JSON
   text, with a per-stage time breakdown and a cProfile when over the 200 us target;
5. RSS sampled while evaluating 1,000,000 requests (``--quick``: 100,000).

Results go to ``--out`` (default: a new temporary folder); nothing is written in the repo.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import io
import json
import os
import platform
import pstats
import resource
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
PC = time.perf_counter

Decide = Callable[[Any], Any]


class BenchError(RuntimeError):
    """A correctness check failed: the numbers would be meaningless."""


# --------------------------------------------------------------------------- small helpers


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def pct(sorted_xs: Sequence[float], p: float) -> float:
    """Same definition as peers.pct (nearest rank on a sorted list)."""
    if not sorted_xs:
        return float("nan")
    k = min(len(sorted_xs) - 1, max(0, round(p / 100.0 * (len(sorted_xs) - 1))))
    return sorted_xs[k]


def latency_run(decide: Decide, reqs: Sequence[Any], budget_s: float) -> list[float]:
    """Fallback copy of peers.latency_run (used only when peers.py is missing)."""
    xs: list[float] = []
    append = xs.append
    t_end = PC() + budget_s
    for r in reqs:
        t0 = PC()
        decide(r)
        t1 = PC()
        append(t1 - t0)
        if t1 > t_end:
            break
    xs.sort()
    return xs


def fmt(x: float | None, nd: int = 1) -> str:
    if x is None or x != x:  # None or NaN
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def timer_overhead_ns() -> float:
    xs = []
    for _ in range(20_000):
        t0 = PC()
        t1 = PC()
        xs.append(t1 - t0)
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


# --------------------------------------------------------------------------- pack writing

_OPS = {"==": "eq", "!=": "ne", "<=": "lte"}
FACTS: dict[str, dict[str, Any]] = {
    "category": {"type": "text", "label": "item category"},
    "days_since_delivery": {"type": "integer", "unit": "days", "label": "days since delivery"},
    "opened": {"type": "boolean", "label": "whether the item was opened"},
    "defective": {"type": "boolean", "label": "whether the item is defective"},
    "final_sale": {"type": "boolean", "label": "whether the item was a final sale"},
    "order_status": {
        "type": "enum",
        "values": ["placed", "shipped", "delivered"],
        "label": "order status",
    },
    "loyalty_tier": {"type": "enum", "values": ["gold", "none"], "label": "loyalty tier"},
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
    tests = [
        {f: v} if op == "==" else {f: {_OPS[op]: v}}
        for f, op, v in conds  # "==" uses the shorthand form
    ]
    return _y(tests[0]) if len(tests) == 1 else _y({"all": tests})


def _policy_yaml(title: str) -> str:
    return (
        "store:\n"
        f"  name: {_y(title)}\n"
        '  country: "US"\n'
        '  timezone: "America/New_York"\n'
        '  currency: "USD"\n'
        "default:\n"
        '  outcome: "denied"\n'
        '  text: "No rule applies, so the return is refused."\n'
        "sections:\n"
        '  returns: {title: "Returns and refunds"}\n'
    )


def _facts_yaml() -> str:
    lines = ["facts:"]
    for name, decl in FACTS.items():
        lines.append(f"  {name}: {_y({**decl, 'derive': 'given'})}")
    return "\n".join(lines) + "\n"


def _rules_yaml(rules: Sequence[Any], prefix: str, first_priority: int) -> str:
    out = ['section: "returns"', "rules:"]
    for i, (rid, outcome, reason, conds) in enumerate(rules):
        words = reason.replace("_", " ")
        out.append(
            f"  - id: {_y(f'{prefix}-{rid}')}\n"
            f"    title: {_y(words.capitalize())}\n"
            '    kinds: ["return"]\n'
            f"    priority: {first_priority - i}\n"
            f"    when: {_when(conds)}\n"
            f"    outcome: {_y(outcome)}\n"
            f"    text: {_y(f'Decided by rule {rid}: {words}.')}\n"
            '    citation: {section: "returns"}'
        )
    return "\n".join(out) + "\n"


def write_pack(dest: Path, rules: Sequence[Any], prefix: str, title: str) -> tuple[Path, str]:
    """Write ``rules`` (peers' neutral spec) as a pack; list order -> priorities len..1.

    One YAML file when it fits the loader's 1 MiB per-file limit, else a directory
    (policy.yaml, facts.yaml and area files of ``RULES_PER_AREA_FILE`` rules each).
    """
    n = len(rules)
    single = _policy_yaml(title) + _facts_yaml() + _rules_yaml(rules, prefix, n)
    if len(single.encode()) <= PACK_FILE_LIMIT:
        path = dest.with_suffix(".yaml")
        path.write_text(single)
        return path, "single file"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "policy.yaml").write_text(_policy_yaml(title))
    (dest / "facts.yaml").write_text(_facts_yaml())
    chunks = range(0, n, RULES_PER_AREA_FILE)
    for k, start in enumerate(chunks):
        part = rules[start : start + RULES_PER_AREA_FILE]
        (dest / f"rules-{k:03d}.yaml").write_text(_rules_yaml(part, prefix, n - start))
    return dest, f"directory, {len(chunks)} area files"


def rule_key(verdict: Any, prefix: str) -> tuple[str, str]:
    """(outcome, peers' rule id) of a Verdict; the pack default <-> "DEFAULT"."""
    rule = verdict.rule
    if rule is None:
        return verdict.outcome, "DEFAULT"
    rid = rule.id
    return verdict.outcome, rid[len(prefix) + 1 :] if rid.startswith(prefix + "-") else rid


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
                decided = [x for x in verdict.trace or () if x.decided]
                if len(decided) != (0 if verdict.rule is None else 1) or (
                    decided and verdict.rule is not None and decided[0].rule_id != verdict.rule.id
                ):
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
    t0 = PC()
    policy = policylib.load_policy(path)
    load_ms = (PC() - t0) * 1e3
    engine = policy.engine
    vreqs = peers.gen_requests(10_000, 12345)
    verified = verify_engine(peers, engine, peers.MAIN_RULES, vreqs, "PEER")
    log(f"   {path} ({form}) loaded in {load_ms:.1f} ms; {verified} requests verified OK")

    log("2. single-request latency, one run, interleaved repeats")
    contenders: list[tuple[str, Decide, str]] = []
    for cls in (peers.PythonIfElif, peers.PythonInterp, peers.PythonInterpExplain):
        contenders.append((cls.name, cls().build(peers.MAIN_RULES, "bench"), "peer"))
    zen_note = ""
    try:
        import zen  # noqa: F401

        for cls in (peers.ZenStatic, peers.ZenTrace):
            contenders.append((cls.name, cls().build(peers.MAIN_RULES, "bench"), "peer"))
    except ImportError as exc:
        zen_note = f"zen-engine not importable ({exc}); zen rows skipped"
        log("   " + zen_note)
    contenders.append(("policylib decide", partial(engine.decide, KIND), "policylib"))
    contenders.append(("policylib trace", partial(engine.trace, KIND), "policylib"))
    try:  # the optional durable_rules backend, behind its guards (Python < 3.13)
        durable = policylib.load_policy(path, engine="durable").engine
        verify_engine(peers, durable, peers.MAIN_RULES, vreqs[:2_000], "PEER")
        contenders.append(("policylib durable", partial(durable.decide, KIND), "policylib"))
    except policylib.BackendError as exc:
        log(f"   durable backend skipped: {exc}")

    verified_peers: dict[str, int] = {}
    for name, fn, origin in contenders:
        if origin == "peer":
            bad = peers.verify(fn, peers.MAIN_RULES, vreqs)
            if bad:
                raise BenchError(f"peer engine {name} disagrees with the reference: {bad[:2]}")
        verified_peers[name] = len(vreqs)

    n_lat, reps, budget = (3_000, 3, 2.0) if quick else (10_000, 5, 6.0)
    lreqs = peers.gen_requests(n_lat, 777)
    for _, fn, _ in contenders:
        peers.latency_run(fn, lreqs[:1000], 5.0)  # warm-up
    p50s: dict[str, list[float]] = defaultdict(list)
    p99s: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}
    for _ in range(reps):
        for name, fn, _ in contenders:
            xs = peers.latency_run(fn, lreqs, budget)
            p50s[name].append(statistics.median(xs) * 1e6)
            p99s[name].append(peers.pct(xs, 99) * 1e6)
            counts[name] = min(counts.get(name, len(xs)), len(xs))
    floor = statistics.median(p50s["python_ifelif"])
    rows = []
    for name, _, origin in contenders:
        p50 = statistics.median(p50s[name])
        rows.append(
            {
                "engine": name,
                "origin": origin,
                "p50_us": p50,
                "p99_us": statistics.median(p99s[name]),
                "x_floor": p50 / floor,
                "n_per_repeat": counts[name],
                "repeats": reps,
                "verified": verified_peers[name],
            }
        )
        log(f"   {name:24s} p50 {p50:8.2f} us  p99 {statistics.median(p99s[name]):8.2f} us")
    return {
        "pack": str(path),
        "pack_form": form,
        "load_ms": load_ms,
        "verified": verified,
        "rows": rows,
        "zen_note": zen_note,
    }


# --------------------------------------------------------------------------- 3: scaling


def _load_child(path: str) -> None:
    """Fresh process: import policylib, load one pack, print load time and peak RSS."""
    import policylib

    before = rss_mb()
    t0 = PC()
    policy = policylib.load_policy(path)
    load_s = PC() - t0
    print(
        json.dumps(
            {
                "load_s": load_s,
                "rss_after_import_mb": before,
                "rss_after_load_mb": rss_mb(),
                "peak_rss_mb": peak_rss_mb(),
                "rules": len(policy.rules),
            }
        )
    )


def _fresh_load(path: Path) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), "--load-child", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"error": "fresh-process load timed out after 900 s"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
        return {"error": f"rc={proc.returncode}: {tail[0][:200]}"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def section_scaling(peers: ModuleType, out_dir: Path, quick: bool) -> list[dict[str, Any]]:
    import policylib

    try:
        import zen  # noqa: F401

        zen_ok = True
    except ImportError:
        zen_ok = False
    n_lat, budget = (1_000, 1.5) if quick else (5_000, 5.0)
    rows: list[dict[str, Any]] = []
    zen_rate: float | None = None  # build seconds per rule, from the last n built
    for n in SCALING_NS:
        log(f"3. scaling: N={n}")
        rules = peers.MAIN_RULES if n == 7 else peers.synth_rules(n)
        reqs = (
            peers.gen_requests(n_lat, 777)
            if n == 7
            else peers.gen_synth_requests(n_lat, n, 100 + n)
        )
        path, form = write_pack(out_dir / f"scale_{n}", rules, "SYN", f"Synthetic {n}")
        loads = []
        policy = None
        for _ in range(1 if n >= 10_000 or quick else 3):
            policy = None
            gc.collect()
            t0 = PC()
            policy = policylib.load_policy(path)
            loads.append(PC() - t0)
        assert policy is not None
        engine = policy.engine
        verified = verify_engine(peers, engine, rules, reqs[:1000], "SYN")
        fresh = _fresh_load(path)
        row: dict[str, Any] = {
            "n": n,
            "workload": "main (peers.MAIN_RULES)" if n == 7 else "peers.synth_rules",
            "pack_form": form,
            "load_ms": statistics.median(loads) * 1e3,
            "load_repeats": len(loads),
            "fresh_load_ms": fresh.get("load_s", float("nan")) * 1e3,
            "fresh_peak_rss_mb": fresh.get("peak_rss_mb"),
            "fresh_rss_after_import_mb": fresh.get("rss_after_import_mb"),
            "fresh_error": fresh.get("error", ""),
            "verified": verified,
        }
        dec, tra = partial(engine.decide, KIND), partial(engine.trace, KIND)
        contenders: list[tuple[str, Decide]] = [("decide", dec), ("trace", tra)]
        if zen_ok:
            predicted = None if zen_rate is None else zen_rate * n
            if predicted is not None and predicted > ZEN_BUILD_LIMIT_S:
                row["zen_note"] = (
                    f"skipped: build predicted {predicted:.0f} s > {ZEN_BUILD_LIMIT_S:.0f} s"
                )
            else:
                t0 = PC()
                zdec = peers.ZenStatic().build(rules, f"s{n}")
                zdec(reqs[0])
                build_s = PC() - t0
                zen_rate = build_s / n
                row["zen_build_ms"] = build_s * 1e3
                if build_s > ZEN_BUILD_LIMIT_S:
                    row["zen_note"] = f"skipped: build took {build_s:.0f} s > 60 s"
                else:
                    bad = peers.verify(zdec, rules, reqs[:1000], budget_s=20.0)
                    if bad:
                        raise BenchError(f"zen disagrees with the reference at N={n}: {bad[:1]}")
                    contenders.append(("zen", zdec))
        else:
            row["zen_note"] = "zen-engine not importable"
        for _, fn in contenders:
            peers.latency_run(fn, reqs[:300], 2.0)
        results: dict[str, list[float]] = defaultdict(list)
        for _ in range(2 if quick else 3):  # interleaved repeats
            for name, fn in contenders:
                xs = peers.latency_run(fn, reqs, budget)
                results[name].append(statistics.median(xs) * 1e6)
                results[name + "_p99"].append(peers.pct(xs, 99) * 1e6)
        for key, vals in results.items():
            row[f"{key}_us" if key.endswith("_p99") else f"{key}_p50_us"] = statistics.median(vals)
        row["peak_rss_inprocess_mb"] = peak_rss_mb()
        rows.append(row)
        log(
            f"   load {row['load_ms']:.1f} ms ({form}); decide p50 {row['decide_p50_us']:.2f} us,"
            f" trace p50 {row['trace_p50_us']:.2f} us, zen p50 "
            f"{fmt(row.get('zen_p50_us'), 2)} us; fresh peak RSS "
            f"{fmt(row['fresh_peak_rss_mb'])} MB {row['fresh_error']}"
        )
        del policy, engine, dec, tra, contenders
        gc.collect()
    return rows


# --------------------------------------------------------------------------- 4: end to end


class _Frame:
    __slots__ = ("child_s", "stage")

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.child_s = 0.0


class StageTimer:
    """Wraps functions to attribute wall time to named stages (self time and inclusive)."""

    def __init__(self) -> None:
        self.self_s: dict[str, float] = defaultdict(float)
        self.incl_s: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[_Frame] = []
        self._undo: list[Callable[[], None]] = []

    def wrap(
        self, stage: str, fn: Callable[..., Any], inherit: Iterable[str] = ()
    ) -> Callable[..., Any]:
        inherit_from = frozenset(inherit)
        stack = self._stack

        def timed(*args: Any, **kwargs: Any) -> Any:
            if stack and stack[-1].stage in inherit_from:
                return fn(*args, **kwargs)
            frame = _Frame(stage)
            outer = any(f.stage == stage for f in stack)
            stack.append(frame)
            t0 = PC()
            try:
                return fn(*args, **kwargs)
            finally:
                dt = PC() - t0
                stack.pop()
                self.self_s[stage] += dt - frame.child_s
                if not outer:
                    self.incl_s[stage] += dt
                self.calls[stage] += 1
                if stack:
                    stack[-1].child_s += dt

        return timed

    def patch(self, owner: Any, attr: str, stage: str, inherit: Iterable[str] = ()) -> bool:
        """Replace owner.attr by a timed wrapper (instance attribute or module global)."""
        original = getattr(owner, attr, None)
        if original is None or not callable(original):
            return False
        had_own = isinstance(owner, ModuleType) or attr in getattr(owner, "__dict__", {})
        setattr(owner, attr, self.wrap(stage, original, inherit))
        if had_own:
            self._undo.append(lambda: setattr(owner, attr, original))
        else:
            self._undo.append(lambda: delattr(owner, attr))
        return True

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


def _stage_breakdown(policy: Any, reqs: Sequence[Any], now: datetime) -> dict[str, Any]:
    import policylib.policy as ppol

    timer = StageTimer()
    patched = [
        timer.patch(policy, "evaluate", "evaluate (glue: split, clock, combine loop)"),
        timer.patch(ppol, "parse_request", "parse_request"),
        timer.patch(policy, "_context", "derive_facts"),
        timer.patch(ppol, "derive_facts", "derive_facts"),
        timer.patch(policy.engine, "trace", "engine.trace"),
        timer.patch(policy.engine, "decide", "engine.decide (probes)", inherit=["engine.trace"]),
        timer.patch(ppol, "find_alternatives", "alternatives (own work)"),
        timer.patch(policy.renderer, "format_facts", "rendering: format_facts"),
        timer.patch(policy.renderer, "fill", "rendering: fill (Fluent)"),
        timer.patch(policy, "_reasons", "rendering: reasons/questions"),
        timer.patch(policy, "_question", "rendering: reasons/questions"),
        timer.patch(ppol, "_trace_models", "rendering: trace models"),
        timer.patch(policy, "_decision_context", "rendering: decision context"),
        timer.patch(policy, "_combine", "rendering: combine + Decision models"),
        timer.patch(ppol, "render_decision", "rendering: render_decision"),
    ]
    try:
        for r in reqs[: min(200, len(reqs))]:  # warm-up through the wrappers
            policy.evaluate(r, now=now)
        for key in list(timer.self_s):
            timer.self_s[key] = timer.incl_s[key] = 0.0
            timer.calls[key] = 0
        t0 = PC()
        for r in reqs:
            policy.evaluate(r, now=now)
        wall = PC() - t0
    finally:
        timer.restore()
    n = len(reqs)
    stages = [
        {
            "stage": stage,
            "self_us": timer.self_s[stage] / n * 1e6,
            "incl_us": timer.incl_s[stage] / n * 1e6,
            "calls_per_eval": timer.calls[stage] / n,
        }
        for stage in sorted(timer.self_s, key=lambda s: -timer.self_s[s])
    ]
    return {
        "evaluations": n,
        "wall_us_per_eval": wall / n * 1e6,
        "stages": stages,
        "patched": sum(patched),
        "note": "self time per evaluate; wrappers add ~0.3-1 us per timed call",
    }


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


def section_e2e(
    lat_run: Callable[[Decide, Sequence[Any], float], list[float]],
    quick: bool,
    force_profile: bool,
) -> tuple[dict[str, Any], Any, list[Any], datetime]:
    import policylib

    log("4. end to end on the bundled pack")
    t0 = PC()
    policy = policylib.load_policy()
    load_ms = (PC() - t0) * 1e3
    now = datetime.fromisoformat(NOW_TEXT)
    ex_dir = Path(policy.pack.source) / "examples"
    files = sorted(ex_dir.glob("*.json"))
    if not files:
        raise BenchError(f"no example requests in {ex_dir}")
    names, dicts, texts, errors = [], [], [], {}
    outcomes: dict[str, int] = defaultdict(int)
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
        outcomes[str(decision.outcome.value)] += 1
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
    log(f"   {len(dicts)}/{len(files)} examples evaluate; outcomes {dict(outcomes)}")

    def by_dict(r: Any) -> Any:
        return policy.evaluate(r, now=now)

    n_cycle, reps, budget = (2_000, 2, 3.0) if quick else (10_000, 3, 8.0)
    cyc_d = [dicts[i % len(dicts)] for i in range(n_cycle)]
    cyc_t = [texts[i % len(texts)] for i in range(n_cycle)]
    lat_run(by_dict, cyc_d[: 5 * len(dicts)], 5.0)  # warm-up
    lat_run(by_dict, cyc_t[: 5 * len(texts)], 5.0)
    import policylib.policy as policy_module

    search = policy_module.find_alternatives

    def no_search(**_: Any) -> list[Any]:
        return []

    res: dict[str, list[float]] = defaultdict(list)
    count = {"dict": n_cycle, "json": n_cycle, "core": n_cycle}
    for _ in range(reps):
        for label, cyc in (("dict", cyc_d), ("json", cyc_t), ("core", cyc_d)):
            # "core": the pipeline the core issue times (validate, derive, decide, trace,
            # render), i.e. evaluate with the alternatives search switched off here only.
            policy_module.find_alternatives = no_search if label == "core" else search  # type: ignore[assignment]
            try:
                xs = lat_run(by_dict, cyc, budget)
            finally:
                policy_module.find_alternatives = search
            res[label + "_p50"].append(statistics.median(xs) * 1e6)
            res[label + "_p99"].append(pct(xs, 99) * 1e6)
            count[label] = min(count[label], len(xs))
    out: dict[str, Any] = {
        "pack": policy.pack.source,
        "pack_rules": len(policy.rules),
        "load_ms": load_ms,
        "examples": len(dicts),
        "examples_total": len(files),
        "example_errors": errors,
        "outcomes": dict(outcomes),
        "now": NOW_TEXT,
        "repeats": reps,
        "n_per_repeat": count,
    }
    for key, vals in res.items():
        out[key + "_us"] = statistics.median(vals)
    # per example: which requests are expensive
    per: list[dict[str, Any]] = []
    k = 20 if quick else 60
    for name, data in zip(names, dicts, strict=True):
        xs = lat_run(by_dict, [data] * k, 2.0)
        per.append({"example": name, "p50_us": statistics.median(xs) * 1e6})
    per.sort(key=lambda x: -x["p50_us"])
    out["per_example"] = per
    over = out["dict_p50_us"] > TARGET_E2E_US
    out["over_target"] = over
    log(
        f"   evaluate(dict) p50 {out['dict_p50_us']:.1f} us p99 {out['dict_p99_us']:.1f} us; "
        f"JSON text p50 {out['json_p50_us']:.1f} us ({'OVER' if over else 'within'} target)"
    )
    if over or force_profile:
        n_bd = 1_000 if quick else 5_000
        out["breakdown"] = _stage_breakdown(policy, cyc_d[:n_bd], now)
        out["cprofile"] = _cprofile(policy, cyc_d[: 300 if quick else 2_000], now, 30)
    return out, policy, dicts, now


# --------------------------------------------------------------------------- 5: memory


def section_memory(
    policy: Any,
    dicts: Sequence[Any],
    now: datetime,
    total: int,
    step: int,
    budget_s: float | None = None,
) -> dict[str, Any]:
    log(f"5. memory: {total:,} evaluations, RSS every {step:,}")
    deadline = None if budget_s is None else PC() + budget_s
    stopped = ""
    evaluate = policy.evaluate
    m = len(dicts)
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
    first, last = samples[1]["rss_mb"], samples[-1]["rss_mb"]
    return {
        "evaluations": done,
        "planned": total,
        "stopped": stopped,
        "step": step,
        "samples": samples,
        "growth_first_to_last_mb": last - first,
        "growth_start_to_last_mb": last - samples[0]["rss_mb"],
        "evals_per_s": done / wall,
        "wall_s": wall,
    }


# --------------------------------------------------------------------------- report


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _verdict(value: float | None, target: float) -> str:
    if value is None or value != value:
        return "-"
    return "yes" if value <= target else "**no**"


def report(res: dict[str, Any]) -> str:
    meta = res["meta"]
    out = [
        f"### policylib benchmark — {meta['started']} ({'quick' if meta['quick'] else 'full'})",
        "",
        f"Python {meta['python']}, {meta['cpus']} CPUs (shared, noisy), loadavg start "
        f"{meta['loadavg_start']:.2f} / end {meta.get('loadavg_end', float('nan')):.2f}; "
        f"zen-engine {meta.get('zen_version', '-')}; timer overhead "
        f"{meta['timer_overhead_ns']:.0f} ns/sample (not subtracted). All rows of one table "
        "come from ONE process run with interleaved repeats; compare ratios, not absolutes.",
        "",
        f"Command: `{meta['command']}`",
        "",
    ]
    peers_res = res.get("peers")
    if peers_res:
        out += [
            f"**Single request, peer workload** (7 rules; policylib pack = {peers_res['pack_form']}"
            f", {peers_res['verified']:,} requests verified vs `reference_decide` for decide and "
            "trace; peers' `latency_run`; policylib rows call `engine.decide/trace('return', "
            "facts)` and return a Verdict)",
            "",
        ]
        out += _md_table(
            ["engine", "p50 µs", "p99 µs", "x floor", "verified"],
            (
                (
                    r["engine"],
                    fmt(r["p50_us"], 2),
                    fmt(r["p99_us"], 2),
                    fmt(r["x_floor"], 1),
                    f"{r['verified']:,} ok",
                )
                for r in peers_res["rows"]
            ),
        )
        if peers_res.get("zen_note"):
            out += ["", peers_res["zen_note"]]
        out.append("")
    scaling = res.get("scaling")
    if scaling:
        out += [
            "**Scaling** (N=7 is the main workload, others `peers.synth_rules(N)`; p50 µs; "
            "load = `load_policy(path)` warm, median; fresh = first load in a new process "
            "incl. lazy imports; peak RSS of that fresh process)",
            "",
        ]
        base = scaling[0]
        out += _md_table(
            [
                "N rules",
                "pack",
                "decide p50",
                "trace p50",
                "zen p50",
                "decide p99",
                "trace p99",
                "load ms",
                "fresh load ms",
                "peak RSS MB",
                "zen build ms",
                "verified",
            ],
            (
                (
                    f"{r['n']:,}",
                    r["pack_form"],
                    fmt(r.get("decide_p50_us"), 2),
                    fmt(r.get("trace_p50_us"), 2),
                    fmt(r.get("zen_p50_us"), 2) if "zen_p50_us" in r else r.get("zen_note", "-"),
                    fmt(r.get("decide_p99_us"), 2),
                    fmt(r.get("trace_p99_us"), 2),
                    fmt(r["load_ms"], 1),
                    fmt(r["fresh_load_ms"], 1) if not r["fresh_error"] else r["fresh_error"],
                    fmt(r["fresh_peak_rss_mb"], 0),
                    fmt(r.get("zen_build_ms"), 1),
                    f"{r['verified']:,} ok",
                )
                for r in scaling
            ),
        )
        last = scaling[-1]
        out += [
            "",
            f"decide p50 N={last['n']:,} / N={base['n']}: "
            f"{last['decide_p50_us'] / base['decide_p50_us']:.2f}x; trace: "
            f"{last['trace_p50_us'] / base['trace_p50_us']:.2f}x",
            "",
        ]
    e2e = res.get("e2e")
    if e2e:
        out += [
            f"**End to end** — `policy.evaluate(request, now={NOW_TEXT})` on the bundled pack "
            f"({e2e['pack_rules']} rules), {e2e['examples']}/{e2e['examples_total']} example "
            f"requests cycled (outcomes {e2e['outcomes']})",
            "",
        ]
        out += _md_table(
            ["input", "p50 µs", "p99 µs", "target p50 ≤ 200 µs"],
            [
                (
                    "dict",
                    fmt(e2e["dict_p50_us"]),
                    fmt(e2e["dict_p99_us"]),
                    _verdict(e2e["dict_p50_us"], TARGET_E2E_US),
                ),
                (
                    "JSON text",
                    fmt(e2e["json_p50_us"]),
                    fmt(e2e["json_p99_us"]),
                    _verdict(e2e["json_p50_us"], TARGET_E2E_US),
                ),
                (
                    "dict, without the alternatives search",
                    fmt(e2e["core_p50_us"]),
                    fmt(e2e["core_p99_us"]),
                    _verdict(e2e["core_p50_us"], TARGET_E2E_US),
                ),
            ],
        )
        slow = ", ".join(f"{p['example']} {p['p50_us']:.0f}" for p in e2e["per_example"][:5])
        out += ["", f"Slowest examples (p50 µs): {slow}", ""]
        bd = e2e.get("breakdown")
        if bd:
            out += [
                f"Stage breakdown (self time per evaluate, {bd['evaluations']:,} evaluations, "
                f"{bd['wall_us_per_eval']:.0f} µs/eval with timing wrappers):",
                "",
            ]
            out += _md_table(
                ["stage", "self µs", "% ", "incl µs", "calls/eval"],
                (
                    (
                        s["stage"],
                        fmt(s["self_us"], 1),
                        f"{100 * s['self_us'] / bd['wall_us_per_eval']:.0f}%",
                        fmt(s["incl_us"], 1),
                        f"{s['calls_per_eval']:.1f}",
                    )
                    for s in bd["stages"]
                ),
            )
            out.append("")
    mem = res.get("memory")
    if mem:
        samples = " → ".join(
            f"{s['evaluations'] // 1000}k:{s['rss_mb']:.1f}" for s in mem["samples"]
        )
        out += [
            f"**Memory** — RSS MB while evaluating {mem['evaluations']:,} requests "
            f"({mem['evals_per_s']:,.0f} evaluations/s): {samples}; growth first sample → last "
            f"{mem['growth_first_to_last_mb']:+.1f} MB "
            f"(from start {mem['growth_start_to_last_mb']:+.1f} MB)"
            + (f" — {mem['stopped']}" if mem.get("stopped") else ""),
            "",
        ]
    targets = []
    if peers_res:
        row = {r["engine"]: r for r in peers_res["rows"]}
        d, t = row["policylib decide"]["p50_us"], row["policylib trace"]["p50_us"]
        targets.append(f"decision p50 ≤ {TARGET_DECIDE_US:g} µs: {fmt(d, 2)} → {_verdict(d, 5)}")
        targets.append(f"trace p50 ≤ {TARGET_TRACE_US:g} µs: {fmt(t, 2)} → {_verdict(t, 15)}")
    if scaling:
        worst_d = max(r["decide_p50_us"] for r in scaling)
        worst_t = max(r["trace_p50_us"] for r in scaling)
        targets.append(
            f"flat 7 → 10,000 rules: worst decide p50 {fmt(worst_d, 2)} "
            f"({_verdict(worst_d, TARGET_DECIDE_US)}), worst trace p50 {fmt(worst_t, 2)} "
            f"({_verdict(worst_t, TARGET_TRACE_US)})"
        )
    if e2e:
        targets.append(
            f"end-to-end p50 ≤ 200 µs: {fmt(e2e['dict_p50_us'])} → "
            f"{_verdict(e2e['dict_p50_us'], TARGET_E2E_US)}"
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
    ap.add_argument("--profile", action="store_true", help="always print the e2e breakdown")
    ap.add_argument("--mem-evals", type=int, help="evaluations in the memory loop")
    ap.add_argument("--mem-budget", type=float, help="stop the memory loop after S seconds")
    ap.add_argument("--skip", default="", help="comma list of: peers,scaling,e2e,memory")
    ap.add_argument("--load-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.load_child:
        _load_child(args.load_child)
        return 0

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="policylib-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    command = " ".join([sys.executable, *sys.argv])
    meta: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "quick": args.quick,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg()[0],
        "timer_overhead_ns": timer_overhead_ns(),
        "command": command,
        "cwd": os.getcwd(),
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
    if peers is None:
        log(f"peers.py not found at {args.peers}: running only the policylib parts (4, 5)")
        meta["peers"] = f"missing: {args.peers}"
    else:
        meta["peers"] = str(args.peers)
    status = 0
    try:
        if peers is not None and "peers" not in skip:
            results["peers"] = section_peers(peers, out_dir, args.quick)
        if peers is not None and "scaling" not in skip:
            results["scaling"] = section_scaling(peers, out_dir, args.quick)
        policy = dicts = now = None
        if "e2e" not in skip or "memory" not in skip:
            lat = peers.latency_run if peers is not None else latency_run
            e2e, policy, dicts, now = section_e2e(lat, args.quick, args.profile)
            if "e2e" not in skip:
                results["e2e"] = e2e
        if "memory" not in skip and policy is not None and dicts and now is not None:
            total = args.mem_evals or (100_000 if args.quick else 1_000_000)
            step = max(1, total // 10)
            results["memory"] = section_memory(policy, dicts, now, total, step, args.mem_budget)
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
    print()
    print("----- markdown (paste into the issue) -----")
    print(report(results))
    print("----- end markdown -----")
    print()
    e2e_res = results.get("e2e", {})
    if e2e_res.get("cprofile"):
        print(e2e_res["cprofile"])
    print(f"results JSON: {out_file}")
    print(f"command: {command}")
    if status:
        print(f"RUN FAILED: {results.get('error', '')[:2000]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
