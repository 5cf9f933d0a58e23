"""Benchmark of `boundcheck falsify`: time to the first counterexample of each kind, and throughput.

Run: PYTHONPATH=. python benchmarks/bench_falsify.py [--budget 300] [--workers 2] [--strategy hypothesis]
       [--seed S] [--throughput 40] [--skip-search] [--true-budget 60]

Prints the time to the first counterexample of each kind (target: each under 60 s on 2 cores).

Kinds (what examples/conjectures/hausdorff-scaling.toml must reveal; the search is not told):
  box-dim      covering radius on a space whose Hausdorff and box dimensions differ, following -1/box_dim
  occam        the Croissant gap on a space with d < 2: exponent -1/2 (the Occam term), not -1/d
  good-region  distance to the nearest good sample that does not vanish (exponent near 0)
Throughput: a fixed list of scenarios drawn from the same conjecture, evaluated with 1 and 2 workers.
Also checks that the true conjecture examples/conjectures/torus-nn.toml yields no counterexample.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from boundcheck.falsify import Runner, load_conjecture, search  # noqa: E402
from boundcheck.falsify._scenario import draw_scenario  # noqa: E402


def kind(ev) -> str | None:
    """Which of the three required kinds a counterexample is (None: another one)."""
    if ev.verdict != "refuted" or ev.upper is None:
        return None
    props = dict(ev.properties)
    q = ev.scenario.quantity
    if q == "covering_radius" and props["hausdorff_dim"] != props["box_dim"] and ev.explained_by == "box_dim":
        return "box-dim"
    if q == "spec_gap" and props["hausdorff_dim"] < 2 and abs(ev.upper.exponent + 0.5) < 0.05:
        return "occam"
    if q in ("good_distance", "loss_gap") and abs(ev.upper.exponent) < 0.1:
        return "good-region"
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=None, help="search budget (default: the file's, 300 s)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--strategy", default="hypothesis")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--throughput", type=int, default=40, help="scenarios in the throughput measurement")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--true-budget", type=float, default=60, help="budget of the true-conjecture check (0 skips)")
    ap.add_argument("--json", help="write the search result (boundcheck.falsify.result_dict) here")
    args = ap.parse_args()
    conj = load_conjecture(ROOT / "examples" / "conjectures" / "hausdorff-scaling.toml")

    if not args.skip_search:
        first: dict[str, float] = {}

        def progress(p) -> None:
            k = kind(p.last) if p.last is not None else None
            if k is not None and k not in first:
                first[k] = p.elapsed
                print(f"  {p.elapsed:7.1f} s  first '{k}': {p.last.scenario.describe()}  "
                      f"(upper-half exponent {p.last.upper.exponent:.3f}, predicted {p.last.predicted:.3g})",
                      flush=True)

        print(f"search: {conj.name}, budget {args.budget or conj.search.budget:g} s, {args.workers} workers, "
              f"strategy {args.strategy}, seed {args.seed}", flush=True)
        res = search(conj, budget=args.budget, seed=args.seed, workers=args.workers, strategy=args.strategy,
                     progress=progress)
        print(f"  {len(res.evaluations)} scenarios in {res.elapsed:.1f} s ({res.scenarios_per_second:.2f}/s), "
              f"{len(res.counterexamples)} refuting, {len(res.unsettled)} unsettled, "
              f"{len(res.pre_asymptotic)} pre-asymptotic, {res.invalid} invalid")
        for k in ("box-dim", "occam", "good-region"):
            t = first.get(k)
            print(f"  time to first '{k}': " + (f"{t:.1f} s" if t is not None else "NOT FOUND"))
        kinds = {}
        for ev in res.counterexamples:
            kinds.setdefault(f"{ev.scenario.quantity}/{ev.scenario.space}", 0)
            kinds[f"{ev.scenario.quantity}/{ev.scenario.space}"] += 1
        print("  counterexamples by quantity/space:", dict(sorted(kinds.items())))
        if args.json:
            import json

            from boundcheck.falsify import result_dict

            Path(args.json).write_text(json.dumps(result_dict(res), indent=1))

        if args.true_budget > 0:
            true = load_conjecture(ROOT / "examples" / "conjectures" / "torus-nn.toml")
            tres = search(true, budget=args.true_budget, seed=args.seed, workers=args.workers,
                          strategy=args.strategy)
            print(f"true conjecture torus-nn: {len(tres.evaluations)} scenarios in {tres.elapsed:.1f} s, "
                  f"{len(tres.counterexamples)} counterexamples, {len(tres.pre_asymptotic)} pre-asymptotic, "
                  f"{len(tres.unsettled)} unsettled")

    if args.throughput <= 0:
        return
    import os

    print(f"load average before the throughput runs: {os.getloadavg()[0]:.2f} (2 cores)")
    rng = np.random.default_rng(12345)
    scens = [draw_scenario(conj, rng) for _ in range(args.throughput)]
    for workers in (1, 2):
        with Runner(conj, workers=workers) as runner:
            runner.run_batch(scens[:2])  # warm up the pool (imports) outside the timing
            t0 = time.perf_counter()
            futures = [runner.submit(s) for s in scens]
            evs = [f.result() for f in futures]
            dt = time.perf_counter() - t0
        print(f"throughput, {workers} worker(s): {len(evs)} scenarios in {dt:.1f} s = {len(evs) / dt:.2f} "
              f"scenarios/s ({sum(e.verdict == 'invalid' for e in evs)} invalid)", flush=True)


if __name__ == "__main__":
    main()
