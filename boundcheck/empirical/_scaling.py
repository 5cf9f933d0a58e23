"""Scaling runs: nearest-sample distance and covering radius against n, with fits (empirical layer)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import UsageError
from ._check import check_n
from ._distances import build_tree, covering_radius
from ._fit import PowerLawFit, fit_power_law
from ._samplers import Sampler
from ._spaces import Space
from ._theory import hall_janson_alpha, hall_janson_ratio, theory_for, unit_ball_volume

__all__ = ["ScalingResult", "run_scaling", "parse_ns"]

_KIND_ORDER = {"exact": 0, "upper": 1, "lower-estimate": 2}


def _fit_or_none(ns: np.ndarray, values: np.ndarray, rng: np.random.Generator, n_boot: int, what: str,
                 notes: list[str]) -> PowerLawFit | None:
    """A power-law fit, or None (with a note) when a measured value is 0 (e.g. every query is a training
    point of an atomic measure)."""
    if np.any(values <= 0):
        notes.append(f"no power-law fit of the {what}: it is 0 for some n and seed")
        return None
    return fit_power_law(ns, values, rng=rng, n_boot=n_boot, interval="t")


def parse_ns(text: str, points: int = 8) -> tuple[int, ...]:
    """'100:100000' with ``points`` geometric steps, or a comma list '100,1000'.

    Raises:
        UsageError: malformed text, n < 1, fewer than two distinct values.
    """
    text = str(text).strip()
    try:
        if ":" in text:
            a, b = (float(t) for t in text.split(":", 1))
        else:
            ns = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError as err:
        msg = f"--n must be LO:HI or a comma list of integers, got {text!r}"
        raise UsageError(msg) from err
    if ":" in text:
        points = check_n(points, "points", 2)
        if not (a >= 1 and b > a and math.isfinite(b)):
            raise UsageError(f"--n range must be LO:HI with 1 <= LO < HI, got {text!r}")
        ns = sorted({int(round(v)) for v in np.geomspace(a, b, points)})
    if not ns or ns[0] < 1:
        raise UsageError(f"every n must be >= 1, got {text!r}")
    if len(ns) < 2:
        raise UsageError("a scaling run needs at least two distinct n")
    return tuple(ns)


@dataclass(frozen=True, slots=True)
class ScalingResult:
    """Measurements of a scaling run. Arrays are (seeds, len(ns)); ``n_actual`` is the number of points
    the sampler placed (grids may place fewer than requested). ``covering_kind`` is the weakest kind
    over all runs (exact < upper < lower-estimate)."""

    space: dict[str, Any]
    sampler: dict[str, Any]
    ns: tuple[int, ...]
    n_actual: np.ndarray
    seed: int
    queries: int
    nearest_mean: np.ndarray
    covering: np.ndarray | None
    covering_lower: np.ndarray | None
    covering_kind: str | None
    nearest_fit: PowerLawFit | None
    covering_fit: PowerLawFit | None
    theory: dict[str, Any]
    hall_janson: tuple[float, ...] | None
    hall_janson_centred: tuple[float, ...] | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def arr(a: np.ndarray | None) -> Any:
            return None if a is None else np.asarray(a).tolist()

        return {"space": self.space, "sampler": self.sampler, "ns": list(self.ns),
                "n_actual": arr(self.n_actual), "seed": self.seed, "queries": self.queries,
                "nearest_mean": arr(self.nearest_mean), "covering": arr(self.covering),
                "covering_lower": arr(self.covering_lower), "covering_kind": self.covering_kind,
                "fits": {"nearest": None if self.nearest_fit is None else self.nearest_fit.to_dict(),
                         "covering": None if self.covering_fit is None else self.covering_fit.to_dict()},
                "theory": self.theory,
                "hall_janson_ratio": None if self.hall_janson is None else list(self.hall_janson),
                "hall_janson_centred": None if self.hall_janson_centred is None else list(self.hall_janson_centred),
                "notes": list(self.notes),
                "hall_janson_note": None if self.hall_janson is None else
                "ratio n V_d R^d / log n -> 1 (Janson 1986); centred n V_d R^d - log n - (d-1) log log n - "
                "log alpha_d converges to a standard Gumbel law (mean 0.5772); R is the reported covering radius"}


def _measure_one(task: tuple) -> tuple[int, int, int, float, float | None, float | None, str | None]:
    """One (seed, n) cell of a scaling run; self-contained so it can run in a worker process."""
    (s, j, space, sampler, n, q_seq, n_seq, queries, covering, covering_rtol, max_cells, workers) = task
    q = space.sample(queries, np.random.default_rng(q_seq))
    rng = np.random.default_rng(n_seq)
    pts = sampler.draw(space, n, rng)
    d, _ = build_tree(pts, space.periodic).query(np.mod(q, 1.0) if space.periodic else q, k=1, workers=workers)
    if not covering:
        return s, j, int(pts.shape[0]), float(np.mean(d)), None, None, None
    cr = covering_radius(pts, space, rtol=covering_rtol, max_cells=max_cells, rng=rng, mc_points=min(queries, 50_000))
    return s, j, int(pts.shape[0]), float(np.mean(d)), cr.value, cr.lower, cr.kind


def run_scaling(space: Space, sampler: Sampler, ns: Sequence[int], *, seeds: int = 8, seed: int = 0,
                queries: int = 20_000, covering: bool = True, covering_rtol: float = 1e-2,
                max_cells: int = 5_000_000, n_boot: int = 2000, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> ScalingResult:
    """Measure mean nearest-sample distance (and the covering radius) for each n and seed; fit power laws.

    Args:
        space, sampler: where and how the training points are placed.
        ns: sample sizes (at least two distinct).
        seeds: independent repetitions; the exponent CIs are Student t-intervals on the per-seed slopes
            (between-seed variance included), so at least 2 are needed for an interval.
        seed: base seed; repetition s uses SeedSequence(seed).spawn(seeds)[s], which spawns one stream for
            its query points and one per n (so cells are independent and can run in any order).
        queries: fresh points of the natural measure for the mean nearest-sample distance.
        covering: also compute the covering radius (kind reported; see :func:`covering_radius`). A Monte Carlo
            lower estimate (where no certified bound is affordable, intrinsic dimension >= 5) is reported but
            never fitted: no exponent and no Hall-Janson statistic come from a lower bound.
        covering_rtol, max_cells: branch-and-bound tolerance and budget.
        n_boot: bootstrap resamples (used only with a single seed).
        workers: processes for the (seed, n) cells (default: one per CPU; 1 runs in this process).
        progress: called with (done, total) after each (seed, n).

    Raises:
        UsageError: bad n, seeds, workers or an unsupported sampler/space pair.
    """
    import os

    ns = tuple(check_n(n, "n") for n in ns)
    if len(set(ns)) < 2:
        raise UsageError("a scaling run needs at least two distinct n")
    seeds = check_n(seeds, "seeds")
    queries = check_n(queries, "queries")
    workers = (os.cpu_count() or 1) if workers is None else check_n(workers, "workers")
    if not sampler.supports(space):
        raise UsageError(f"sampler '{sampler.name}' does not support space '{space.name}' (dim {space.dim})")
    p = len(ns)
    tasks = []
    for s, child in enumerate(np.random.SeedSequence(int(seed)).spawn(seeds)):
        streams = child.spawn(p + 1)
        for j, n in enumerate(ns):
            tasks.append((s, j, space, sampler, n, streams[0], streams[j + 1], queries, covering, covering_rtol,
                          max_cells, 1 if workers > 1 else -1))
    nearest = np.empty((seeds, p))
    cover = np.empty((seeds, p)) if covering else None
    cover_lo = np.empty((seeds, p)) if covering else None
    n_actual = np.empty((seeds, p))
    worst = "exact"
    total, done = len(tasks), 0

    def collect(res: tuple) -> None:
        nonlocal worst, done
        s, j, m, near, cv, lo, kind = res
        n_actual[s, j] = m
        nearest[s, j] = near
        if covering:
            cover[s, j] = cv  # type: ignore[index]
            cover_lo[s, j] = lo  # type: ignore[index]
            if _KIND_ORDER[kind] > _KIND_ORDER[worst]:
                worst = kind
        done += 1
        if progress is not None:
            progress(done, total)

    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        # largest n first: the long cells start early and the pool stays busy
        order = sorted(tasks, key=lambda t: -t[4])
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            for res in pool.map(_measure_one, order, chunksize=1):
                collect(res)
    else:
        for t in tasks:
            collect(_measure_one(t))
    n_fit = n_actual.mean(axis=0)
    fit_rng = np.random.default_rng(np.random.SeedSequence(int(seed)).spawn(seeds + 1)[-1])
    notes: list[str] = []
    nearest_fit = _fit_or_none(n_fit, nearest, fit_rng, n_boot, "mean nearest-sample distance", notes)
    cover_fit = None
    lower_only = covering and worst == "lower-estimate"
    if lower_only:
        notes.append("covering radius: Monte Carlo lower estimate (no certified bound is affordable for this "
                      "space): shown as a lower bound only; no exponent and no Hall-Janson statistic are fitted "
                      "to it")
    elif covering:
        cover_fit = _fit_or_none(n_fit, cover, fit_rng, n_boot, "covering radius", notes)
    theory = theory_for(space, sampler, n_fit)
    hj = hjc = None
    if covering and not lower_only and space.name == "torus" and sampler.name == "iid" \
            and sampler.param("density") is None:
        d = space.dim
        hj = tuple(float(np.mean([hall_janson_ratio(n_fit[j], d, cover[s, j]) for s in range(seeds)]))
                   for j in range(p) if n_fit[j] > 1)
        hjc = tuple(float(np.mean([n_fit[j] * unit_ball_volume(d) * cover[s, j] ** d - math.log(n_fit[j])
                                   - (d - 1) * math.log(math.log(n_fit[j])) - math.log(hall_janson_alpha(d))
                                   for s in range(seeds)]))
                    for j in range(p) if n_fit[j] > math.e)
    return ScalingResult(space.describe(), sampler.describe(), ns, n_actual, int(seed), queries, nearest, cover,
                         cover_lo, worst if covering else None, nearest_fit, cover_fit, theory, hj, hjc, tuple(notes))
