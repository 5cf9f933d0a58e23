"""Tests for the falsify search: finding a counterexample, passing a true conjecture, artifacts and
bit-identical replay, the process pool and dask back ends, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundcheck.cli import main
from boundcheck.falsify import (Runner, evaluate, load_conjecture, loads_conjecture, replay, report_items, search,
                                write_artifacts)
from boundcheck.falsify import Scenario
from boundcheck.falsify._scenario import draw_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "conjectures"

# Covering exponent -1/dim_H, searched over spaces with equal and with different Hausdorff and box dims;
# the search is not told which.
SMALL = """\
name = "small-hausdorff"
[conjecture]
quantity = "covering_radius"
exponent = "-1/hausdorff_dim"
tolerance = 0.1
[search]
spaces = [
  { name = "cube", dim = [1, 2] },
  { name = "cantor" },
  { name = "countable", p = [0.5, 2.0] },
]
samplers = ["iid", "spread"]
n = [32, 512]
points = 5
seeds = 2
n_boot = 100
"""

CHEAP = SMALL.replace('  { name = "cantor" },\n', "")


@pytest.fixture(scope="module")
def small_result():
    conj = loads_conjecture(SMALL, file="small.toml")
    return search(conj, budget=60, seed=1, workers=1, max_scenarios=20)


def test_small_search_finds_box_dimension_counterexample(small_result):
    """A small search finds the countable set whose covering exponent follows the box dimension."""
    hits = [e for e in small_result.counterexamples if e.scenario.space == "countable"]
    assert hits, [e.scenario.describe() for e in small_result.evaluations]
    best = hits[0]
    assert best.predicted == float("-inf")
    assert best.verdict == "refuted"
    spread = [e for e in hits if e.scenario.sampler == "spread"]
    assert spread and all(e.explained_by == "box_dim" for e in spread)
    box = dict(spread[0].properties)["box_dim"]
    assert abs(spread[0].upper.exponent + 1 / box) < 0.1
    assert small_result.invalid == 0


def test_counterexamples_are_ranked(small_result):
    """Counterexamples come ranked by decreasing score, all refuted."""
    scores = [e.score for e in small_result.counterexamples]
    assert scores == sorted(scores, reverse=True)
    assert all(e.verdict == "refuted" for e in small_result.counterexamples)


def test_equal_dimensions_are_not_refuted(small_result):
    """On the cube and the Cantor set (Hausdorff = box dimension) no scenario is a counterexample."""
    assert not [e for e in small_result.counterexamples if e.scenario.space in ("cube", "cantor")]


def test_true_conjecture_passes():
    """The torus nearest-sample conjecture (true) yields no counterexample."""
    conj = load_conjecture(EXAMPLES / "torus-nn.toml")
    res = search(conj, budget=60, seed=0, workers=1, max_scenarios=8)
    assert len(res.evaluations) >= 8
    assert not res.counterexamples
    assert all(e.verdict == "consistent" for e in res.evaluations)


def test_artifacts_replay_bit_identical(small_result, tmp_path):
    """Artifacts carry scenario, seed, points, summary and plot; replay reproduces the values exactly."""
    arts = write_artifacts(small_result, tmp_path, max_artifacts=2)
    assert arts
    for art in arts:
        assert Path(art["plot"]).stat().st_size > 1000
        assert art["summary"].startswith("Counterexample")
        assert art["seed"] == art["scenario"]["seed"]
        res = replay(art["file"])
        assert res.identical and res.max_abs_diff == 0.0 and res.same_verdict
    items = report_items(arts)
    assert [i["plot"] for i in items] == [a["plot"] for a in arts]
    on_disk = json.loads(Path(arts[0]["file"]).read_text())
    assert (Path(arts[0]["file"]).parent / on_disk["plot"]).exists()  # relative to the artifact


def test_replay_detects_a_changed_value(small_result, tmp_path):
    """A tampered artifact does not replay identically, and the CLI exits 1 on it (0 on the original)."""
    art = write_artifacts(small_result, tmp_path, max_artifacts=1, plots=False)[0]
    assert main(["falsify", "--replay", art["file"]]) == 0
    data = json.loads(Path(art["file"]).read_text())
    data["values"][0][0] *= 1 + 1e-15
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(data))
    assert not replay(bad).identical
    assert main(["falsify", "--replay", str(bad)]) == 1


def test_process_pool_matches_in_process():
    """Scenarios evaluated on a 2-process pool give the same values as in this process."""
    import numpy as np

    conj = loads_conjecture(CHEAP, file="cheap.toml")
    rng = np.random.default_rng(5)
    scens = [draw_scenario(conj, rng) for _ in range(3)]
    with Runner(conj, workers=2) as runner:
        assert runner.backend == "process-pool"
        got = runner.run_batch(scens)
    assert [g.values for g in got] == [evaluate(conj, s).values for s in scens]


def test_dask_local_cluster():
    """A small search runs on a dask LocalCluster and its evaluations match in-process ones."""
    distributed = pytest.importorskip("distributed")
    conj = loads_conjecture(CHEAP, file="cheap.toml")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        res = search(conj, budget=60, seed=2, dask=client, max_scenarios=4, strategy="evolve")
    assert res.backend == "dask"
    assert len(res.evaluations) >= 4
    ev = res.evaluations[0]
    assert evaluate(conj, ev.scenario).values == ev.values


def test_cli_search_writes_json_and_artifacts(tmp_path):
    """The CLI exits 1 when it finds counterexamples and writes the JSON summary and artifacts."""
    conj = tmp_path / "small.toml"
    conj.write_text(SMALL.replace('{ name = "cube", dim = [1, 2] },\n  { name = "cantor" },\n', ""))
    out = tmp_path / "out"
    rc = main(["falsify", str(conj), "--budget", "4", "--workers", "1", "--seed", "3", "--out", str(out),
               "--json", str(tmp_path / "r.json"), "--strategy", "random"])
    data = json.loads((tmp_path / "r.json").read_text())
    assert rc == 1 and data["refuted"]
    assert data["artifacts"] and Path(data["artifacts"][0]["file"]).exists()
    assert data["evaluated"] == len(data["evaluations"])


def test_artifact_selection_covers_every_quantity():
    """With room for fewer artifacts than kinds, each quantity with a counterexample still gets one."""
    from boundcheck.falsify._artifact import select_artifacts

    conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
    picks = [("covering_radius", "countable", {"name": "spread"}), ("good_distance", "cube", {"name": "iid"}),
             ("good_distance", "cantor", {"name": "grid"}), ("spec_gap", "cube", {"name": "none"})]
    evs = []
    for q, space, sampler in picks:
        evs.append(evaluate(conj, Scenario.from_dict({
            "quantity": q, "space": {"name": space, **({"dim": 1} if space == "cube" else {"p": 1.0}
                                                       if space == "countable" else {})},
            "sampler": sampler, "map": {"name": "identity"},
            "loss": {"name": "sinusoid"} if q == "good_distance" else None,
            "good": "mean" if q == "good_distance" else "all",
            "bind": {"K": 1.0, "C": 1.0, "delta": 0.05} if q == "spec_gap" else {}, "seed": 3})))
    refuted = sorted((e for e in evs if e.verdict == "refuted"), key=lambda e: -e.score)
    assert len(refuted) == 4
    chosen = select_artifacts(tuple(refuted), 3)
    assert {e.scenario.quantity for e in chosen} == {"covering_radius", "good_distance", "spec_gap"}


def test_sweep_covers_every_combination_once():
    """The opening design has one scenario per (quantity, space, sampler) combination (no sampler for spec_gap),
    in a seed-dependent order."""
    import numpy as np

    from boundcheck.falsify._scenario import sweep_scenarios

    conj = load_conjecture(Path(__file__).resolve().parent.parent / "examples" / "conjectures"
                           / "hausdorff-scaling.toml")
    a = sweep_scenarios(conj, np.random.default_rng(0))
    combos = [(s.quantity, s.space, s.sampler) for s in a]
    n_spaces, n_samplers = len(conj.search.spaces), len(conj.search.samplers)
    spaces = {c.name for c in conj.search.spaces}
    assert len(combos) == len(set(combos)) == 2 * n_spaces * n_samplers + n_spaces
    assert {s.space for s in a} == spaces and {s.sampler for s in a if s.quantity == "spec_gap"} == {"none"}
    b = sweep_scenarios(conj, np.random.default_rng(1))
    assert [(s.quantity, s.space, s.sampler) for s in b] != combos and set(combos) == {
        (s.quantity, s.space, s.sampler) for s in b}
