"""The benchmark's correctness gate runs in the test suite (no timings here).

benchmarks/bench.py times policylib beside the peer engines; before it times anything it
checks that policylib decides the peers' workload exactly like their reference. Running
that gate here keeps the benchmark working as the code changes. Timings are never
asserted in tests: the machines are shared and noisy. The peers' workload is not in this
repo, so the test is skipped where ``../shared/bench/peers.py`` is absent, and only then.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

import policylib
from tests import ROOT

PEERS = ROOT.parent / "shared" / "bench" / "peers.py"
"""The peer engines' workload (not part of this repo): beside it on the benchmark machine."""


def _bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "policylib_bench", ROOT / "benchmarks" / "bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


# Only a missing peers.py skips: a file that is there but broken, or a failing bench.py,
# fails the test.
@pytest.mark.skipif(
    not os.path.lexists(PEERS),
    reason=f"needs the peer engines' workload ../shared/bench/peers.py, which only the "
    f"benchmark machine has beside the repo (not found: {PEERS})",
)
def test_peer_workload_decides_like_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench(monkeypatch)
    monkeypatch.setenv("PEERS_OUT", str(tmp_path / "peers"))  # peers.py writes there on import
    peers = bench.load_peers(PEERS, tmp_path)
    assert peers is not None, f"{PEERS} exists but does not load as a Python module"
    for name, rules, requests in (
        ("main", peers.MAIN_RULES, peers.gen_requests(2_000, 12345)),
        ("synth", peers.synth_rules(300), peers.gen_synth_requests(500, 300, 7)),
    ):
        path, _form = bench.write_pack(tmp_path / name, rules, "B", name)
        policy = policylib.load_policy(path)
        assert bench.verify_engine(peers, policy.engine, rules, requests, "B") == len(requests)
