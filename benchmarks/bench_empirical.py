"""Speed of the empirical engine (prints figures; not a timed test).

    PYTHONPATH=. python benchmarks/bench_empirical.py [--quick]

1. Nearest-sample distances: 1,000,000 training points, 100,000 queries in d = 8 (cKDTree, all cores)
   against a plain numpy brute-force baseline on a subset of the queries (extrapolated), with agreement.
2. The full `boundcheck scaling --space torus --dim 3 --sampler iid --n 100:100000 --points 8 --seeds 5` run.
3. Stress examples per second on the Croissant spec (and time to find the K/2 counterexample).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def bench_nearest(n_train: int, n_query: int, d: int, brute_queries: int) -> None:
    from boundcheck.empirical import nearest_distance

    rng = np.random.default_rng(0)
    train = rng.random((n_train, d))
    queries = rng.random((n_query, d))
    t0 = time.perf_counter()
    dist = nearest_distance(train, queries)
    t_tree = time.perf_counter() - t0
    sub = queries[:brute_queries]
    t0 = time.perf_counter()
    sq = np.einsum("ij,ij->i", train, train)
    best = np.full(sub.shape[0], np.inf)
    chunk = 200_000
    for s in range(0, n_train, chunk):
        block = train[s:s + chunk]
        d2 = sq[s:s + chunk][None, :] - 2.0 * sub @ block.T + np.einsum("ij,ij->i", sub, sub)[:, None]
        best = np.minimum(best, d2.min(axis=1))
    brute = np.sqrt(np.maximum(best, 0.0))
    t_brute = time.perf_counter() - t0
    per_query_brute = t_brute / brute_queries
    agree = float(np.max(np.abs(brute - dist[:brute_queries])))
    print(f"[nearest] d={d}, {n_train:,} training points, {n_query:,} queries")
    print(f"  cKDTree (build + query, workers=-1): {t_tree:.2f} s  ({n_query / t_tree:,.0f} queries/s)")
    print(f"  numpy brute force on {brute_queries:,} queries: {t_brute:.2f} s -> {per_query_brute * 1e3:.2f} ms/query, "
          f"extrapolated {per_query_brute * n_query:.1f} s for all queries")
    print(f"  speed-up {per_query_brute * n_query / t_tree:.1f}x; max |difference| {agree:.2e}")


def bench_scaling(seeds: int, hi: int) -> None:
    from boundcheck.empirical import get_sampler, get_space, parse_ns, run_scaling

    t0 = time.perf_counter()
    res = run_scaling(get_space("torus", 3), get_sampler("iid"), parse_ns(f"100:{hi}", 8), seeds=seeds, seed=0)
    el = time.perf_counter() - t0
    d = res.to_dict()
    fn, fc = d["fits"]["nearest"], d["fits"]["covering"]
    print(f"[scaling] torus dim 3, iid, n = 100:{hi}, 8 points, {seeds} seeds: {el:.1f} s")
    print(f"  nearest exponent {fn['exponent']:.4f} CI [{fn['exponent_ci'][0]:.4f}, {fn['exponent_ci'][1]:.4f}] "
          f"(theory -1/3); prefactor {fn['prefactor']:.4f}")
    ratio = np.asarray(d["nearest_mean"]).mean(0) / np.asarray(d["theory"]["nearest"]["values"])
    print(f"  measured / exact theory: {ratio.min():.4f} .. {ratio.max():.4f}")
    print(f"  covering ({d['covering_kind']}) exponent {fc['exponent']:.4f} CI [{fc['exponent_ci'][0]:.4f}, "
          f"{fc['exponent_ci'][1]:.4f}] (-1/3 up to a log factor)")
    print(f"  Hall-Janson n V R^3/log n: {', '.join(f'{r:.2f}' for r in d['hall_janson_ratio'])}")


def bench_stress(examples: int) -> None:
    from boundcheck.spec import load, loads
    from boundcheck.stress import run_stress

    problem = load(ROOT / "examples" / "croissant.toml")
    rep = run_stress(problem, examples=examples, seed=0)
    print(f"[stress] croissant: {rep.examples} examples in {rep.elapsed:.2f} s = {rep.examples_per_second:.0f} "
          f"examples/s; failure: {rep.failure is not None}")
    text = (ROOT / "examples" / "croissant.toml").read_text().replace('"L_train + K*radius + complexity"',
                                                                      '"L_train + K/2*radius + complexity"')
    rep = run_stress(loads(text, file="half.toml"), examples=examples, seed=0)
    print(f"  K/2 spec: counterexample after {rep.examples} examples (incl. shrinking) in {rep.elapsed:.2f} s: "
          f"{rep.failure is not None}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke run)")
    a = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, numpy {np.__version__}")
    if a.quick:
        bench_nearest(100_000, 10_000, 8, 200)
        bench_scaling(2, 10_000)
        bench_stress(50)
    else:
        bench_nearest(1_000_000, 100_000, 8, 1000)
        bench_scaling(5, 100_000)
        bench_stress(500)


if __name__ == "__main__":
    main()
