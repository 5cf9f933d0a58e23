"""Numeric stress test of a spec's bound (layer 5): Hypothesis draws latent geometry and Lipschitz losses.

Each example is a (space, sampler, n, seed, generative map, loss, values of the other symbols). From it:
training points z_1..z_n (the sampler), a generative map G and a loss f on data space; the latent loss is
l = f ∘ G with certified constant K = Lip(f) Lip(G). Test points z are fresh draws of the space's natural
measure. The spec's ``[stress]`` table (docs/stress.md) says which names are the Lipschitz constant, the
radius, the training loss, n and the dimension; the bound is the definition named by ``bound`` (default
``bound``). Two forms are checked:

* pointwise (the Lipschitz step): l(z) <= l(z_i) + K_eff |z - z_i| at every test point z with z_i its
  nearest training sample, where K_eff = d bound / d radius evaluated at the example's values (for a bound
  that is not affine in the radius, e.g. a Hölder term K*radius**alpha, the increment
  bound(radius=|z - z_i|) - bound(radius=0) replaces K_eff |z - z_i|);
* averaged (the bound itself): mean_z l(z) <= bound(values), with the training loss := the mean training
  loss, radius := the largest distance from a test point to its nearest *good* training sample (loss <= the
  training loss), K := K, n := n, dim := the Hausdorff dimension of the space.

A violation beyond rounding (1e-9 relative) is a failure; Hypothesis shrinks it to a minimal example,
which is JSON and can be replayed with :func:`replay`. Expressions come from the parsed spec (sympy trees,
compiled with ``sympy.lambdify``); no text is evaluated.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from .empirical import (LOSSES, MAPS, Space, compose, get_loss, get_map, get_sampler, get_space,
                        good_sample_distance, nearest_distance)
from .errors import SpecError, UsageError
from .spec import Problem

__all__ = ["StressConfig", "StressExample", "StressOutcome", "StressReport", "stress_config", "run_stress",
           "evaluate_example", "replay", "load_example", "save_example", "STRESS_KEYS", "SPACE_CATALOGUE"]

STRESS_KEYS = ("lipschitz", "radius", "training_loss", "n", "dim", "bound", "values")
_REQUIRED = ("lipschitz", "radius", "training_loss", "n")
_RTOL = 1e-9

#: Spaces stress draws from, simplest first (Hypothesis shrinks towards the front).
SPACE_CATALOGUE: tuple[tuple[str, int | None, tuple[tuple[str, Any], ...]], ...] = (
    ("cube", 1, ()), ("cube", 2, ()), ("torus", 1, ()), ("torus", 2, ()), ("cube", 3, ()), ("torus", 3, ()),
    ("ball", 2, ()), ("sphere", 2, ()), ("sphere", 3, ()), ("cantor", 1, ()), ("cantor_dust", 2, ()),
    ("sierpinski", 2, ()), ("countable", 1, (("p", 1.0),)), ("union", None, (("pieces", "cube:2,cube:1"),)),
    ("embedded", 2, (("ambient", 4),)),
)
_SAMPLERS = ("iid", "grid", "sobol", "halton", "clustered", "hex")


# ------------------------------------------------------------------------------------------- config
def _line_of(problem: Problem, key: str | None) -> int | None:
    if not problem.path:
        return None
    try:
        lines = Path(problem.path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    start = None
    for i, line in enumerate(lines):
        if re.match(r"^\s*\[\s*stress\s*\]\s*(#.*)?$", line):
            start = i
            break
    if start is None:
        return None
    if key is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if re.match(r"^\s*\[", lines[i]):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1


@dataclass(frozen=True, slots=True)
class StressConfig:
    """The validated ``[stress]`` table: which spec names play which role.

    Invariant: lipschitz, training_loss, n (and dim) name symbols; radius names a symbol or a definition
    used by the bound; bound names a definition; values holds numbers inside their symbols' domains.
    """

    lipschitz: str
    radius: str
    training_loss: str
    n: str
    dim: str | None
    bound: str
    values: tuple[tuple[str, float], ...] = ()


def stress_config(problem: Problem) -> StressConfig:
    """Read and validate the spec's ``[stress]`` table.

    Raises:
        SpecError: naming the file, the key and its line, when the table is missing or malformed.
    """
    table = problem.stress
    file = problem.path

    def err(msg: str, key: str | None) -> SpecError:
        return SpecError(msg, file=file, key=f"stress.{key}" if key else "stress", line=_line_of(problem, key))

    if table is None:
        raise SpecError("the spec has no [stress] table (see docs/stress.md)", file=file, key="stress")
    for k in table:
        if k not in STRESS_KEYS:
            raise err(f"unknown key '{k}' (allowed: {', '.join(STRESS_KEYS)})", k)
    for k in _REQUIRED:
        if k not in table:
            raise err(f"[stress] needs '{k}'", None)
    symbols = {s.name: s for s in problem.symbols}
    defs = {d.name for d in problem.definitions}
    out: dict[str, Any] = {}
    for k in ("lipschitz", "training_loss", "n", "dim"):
        if k not in table:
            continue
        v = table[k]
        if not isinstance(v, str) or v not in symbols:
            raise err(f"'{k}' must name a symbol of [symbols], got {v!r}", k)
        out[k] = v
    v = table["radius"]
    if not isinstance(v, str) or (v not in symbols and v not in defs):
        raise err(f"'radius' must name a symbol or a definition, got {v!r}", "radius")
    out["radius"] = v
    bound = table.get("bound", "bound")
    if not isinstance(bound, str) or bound not in defs:
        raise err(f"'bound' must name a definition (default 'bound'), got {bound!r}", "bound" if "bound" in table
                  else None)
    out["bound"] = bound
    roles = [out[k] for k in ("lipschitz", "training_loss", "n", "dim", "radius") if out.get(k)]
    if len(set(roles)) != len(roles):
        raise err("lipschitz, radius, training_loss, n and dim must name different things", None)
    values_raw = table.get("values", {})
    if not isinstance(values_raw, Mapping):
        raise err("'values' must be a table of symbol = number", "values")
    values = []
    for name, val in values_raw.items():
        if name not in symbols or name in roles:
            raise err(f"'values.{name}': not a symbol, or a symbol stress sets itself", "values")
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not math.isfinite(val):
            raise err(f"'values.{name}' must be a finite number, got {val!r}", "values")
        if not _in_domain(symbols[name], float(val)):
            raise err(f"'values.{name}' = {val} is outside its domain ({symbols[name].describe()})", "values")
        values.append((name, float(val)))
    cfg = StressConfig(out["lipschitz"], out["radius"], out["training_loss"], out["n"], out.get("dim"),
                       out["bound"], tuple(values))
    _compile(problem, cfg)  # the bound must use the radius
    return cfg


def _in_domain(sym: Any, x: float) -> bool:
    if sym.is_integer and not float(x).is_integer():
        return False
    if sym.lo is not None:
        lo = float(sym.lo)
        if x < lo or (sym.lo_open and x <= lo):
            return False
    if sym.hi is not None:
        hi = float(sym.hi)
        if x > hi or (sym.hi_open and x >= hi):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Compiled:
    names: tuple[str, ...]          # argument order: spec symbols, then the radius placeholder
    bound: Callable[..., Any]
    k_eff: Callable[..., Any]
    bound_text: str
    k_eff_text: str
    linear: bool                    # the bound is affine in the radius


def _compile(problem: Problem, cfg: StressConfig) -> _Compiled:
    """bound as a function of the symbols and a radius variable R; K_eff = d bound / d R."""
    defs = {d.name: d for d in problem.definitions}
    r = sp.Symbol("__radius__", positive=True)
    expr = defs[cfg.bound].expr
    if cfg.radius in defs:
        keep = defs[cfg.radius].placeholder
        expr = expr.subs(keep, r)
        for _ in range(len(defs) + 1):
            phs = {d.placeholder: d.expr for d in problem.definitions if d.placeholder in expr.free_symbols}
            if not phs:
                break
            expr = expr.subs(phs).subs(keep, r)
    else:
        expr = defs[cfg.bound].expanded.subs(problem.symbol(cfg.radius).sym, r)
    if r not in expr.free_symbols:
        raise SpecError(f"the bound '{cfg.bound}' does not depend on the radius '{cfg.radius}'",
                        file=problem.path, key="stress.radius", line=_line_of(problem, "radius"))
    syms = [s.sym for s in problem.symbols]
    names = tuple(s.name for s in problem.symbols) + ("__radius__",)
    k_eff = sp.diff(expr, r)
    linear = r not in k_eff.free_symbols
    return _Compiled(names, sp.lambdify(syms + [r], expr, modules="numpy", dummify=True),
                     sp.lambdify(syms + [r], k_eff, modules="numpy", dummify=True), str(expr).replace("__radius__", cfg.radius),
                     str(k_eff).replace("__radius__", cfg.radius), linear)


# ------------------------------------------------------------------------------------------- examples
@dataclass(frozen=True, slots=True)
class StressExample:
    """One drawn instance; JSON round-trips through :meth:`to_dict` / :func:`load_example`."""

    space: str
    dim: int | None
    space_params: tuple[tuple[str, Any], ...]
    sampler: str
    n: int
    seed: int
    map: str
    map_out_dim: int
    map_scale: float
    loss: str
    loss_scale: float
    values: tuple[tuple[str, float], ...] = ()
    queries: int = 200

    def to_dict(self) -> dict[str, Any]:
        return {"space": self.space, "dim": self.dim, "space_params": dict(self.space_params),
                "sampler": self.sampler, "n": self.n, "seed": self.seed, "map": self.map,
                "map_out_dim": self.map_out_dim, "map_scale": self.map_scale, "loss": self.loss,
                "loss_scale": self.loss_scale, "values": dict(self.values), "queries": self.queries}

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> StressExample:
        try:
            return StressExample(str(data["space"]), data.get("dim"), tuple(sorted(dict(data.get("space_params") or
                                                                                         {}).items())),
                                 str(data["sampler"]), int(data["n"]), int(data["seed"]), str(data["map"]),
                                 int(data["map_out_dim"]), float(data["map_scale"]), str(data["loss"]),
                                 float(data["loss_scale"]), tuple(sorted((str(k), float(v)) for k, v in
                                                                         dict(data.get("values") or {}).items())),
                                 int(data.get("queries", 200)))
        except (KeyError, TypeError, ValueError) as err:
            msg = f"not a stress example: {err}"
            raise UsageError(msg) from err


@dataclass(frozen=True, slots=True)
class StressOutcome:
    """What one example measured. ``failed`` when either form is violated beyond rounding; ``skipped`` when
    the example's values fall outside the spec's domains (the reason says which)."""

    example: StressExample
    failed: bool
    pointwise_margin: float   # max over test points of l(z) - l(z_i) - K_eff |z - z_i| (> 0: violated)
    averaged_margin: float    # mean l(z) - bound (> 0: violated)
    lipschitz: float
    k_eff: float
    training_loss: float
    true_loss: float
    radius: float
    bound: float
    n_points: int
    forms: tuple[str, ...] = ()
    skipped: str | None = None
    worst_point: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"example": self.example.to_dict(), "failed": self.failed, "violated": list(self.forms),
                "pointwise_margin": self.pointwise_margin, "averaged_margin": self.averaged_margin,
                "lipschitz": self.lipschitz, "k_eff": self.k_eff, "training_loss": self.training_loss,
                "true_loss": self.true_loss, "radius": self.radius, "bound": self.bound,
                "n_points": self.n_points, "skipped": self.skipped, "worst_point": list(self.worst_point)}


def _skip(ex: StressExample, reason: str) -> StressOutcome:
    nan = float("nan")
    return StressOutcome(ex, False, nan, nan, nan, nan, nan, nan, nan, nan, 0, (), reason)


def _space_of(ex: StressExample) -> Space:
    return get_space(ex.space, ex.dim, **dict(ex.space_params))


def evaluate_example(problem: Problem, cfg: StressConfig, ex: StressExample,
                     compiled: _Compiled | None = None) -> StressOutcome:
    """Build the instance described by ``ex`` and check both forms of the bound on it."""
    comp = compiled or _compile(problem, cfg)
    symbols = {s.name: s for s in problem.symbols}
    space = _space_of(ex)
    rng = np.random.default_rng(ex.seed)
    sampler = get_sampler(ex.sampler)
    train = sampler.draw(space, ex.n, rng)
    gmap = get_map(ex.map, space.dim, ex.map_out_dim, rng, scale=ex.map_scale)
    loss = compose(get_loss(ex.loss, ex.map_out_dim, rng, scale=ex.loss_scale), gmap)
    test = space.sample(ex.queries, rng)
    periodic = space.periodic and loss.periodic
    l_train, l_test = loss(train), loss(test)
    lt = float(np.mean(l_train))
    vals: dict[str, float] = dict(ex.values)
    vals.update({cfg.lipschitz: loss.lipschitz, cfg.training_loss: lt, cfg.n: float(train.shape[0])})
    if cfg.radius in symbols:  # a radius symbol is replaced by the measured radius; any value serves here
        vals[cfg.radius] = 0.0 if _in_domain(symbols[cfg.radius], 0.0) else float(symbols[cfg.radius].lo or 0)
    if cfg.dim:
        vals[cfg.dim] = space.hausdorff_dim
    for name, v in vals.items():
        if name != cfg.radius and not _in_domain(symbols[name], v):
            return _skip(ex, f"{name} = {v:.6g} outside its domain ({symbols[name].describe()})")
    missing = [s for s in symbols if s not in vals]
    if missing:
        return _skip(ex, f"no value for {', '.join(missing)}")
    d_near, idx = nearest_distance(train, test, periodic=periodic, return_index=True)
    d_good = good_sample_distance(train, l_train, lt, test, periodic=periodic)
    radius = float(np.max(d_good))
    args = [np.float64(vals[nm]) for nm in comp.names[:-1]]
    try:
        with np.errstate(all="ignore"):
            k_eff = float(comp.k_eff(*args, np.float64(radius)))
            bound = float(comp.bound(*args, np.float64(radius)))
    except (ArithmeticError, ValueError, TypeError):
        return _skip(ex, "the bound cannot be evaluated at these values")
    if not (math.isfinite(k_eff) and math.isfinite(bound)):
        return _skip(ex, "the bound is not finite at these values")
    if comp.linear:
        increment = k_eff * d_near
    else:  # e.g. Hölder: K*radius**alpha; the pointwise step is bound(dist) - bound(0)
        with np.errstate(all="ignore"):
            increment = (np.asarray(comp.bound(*args, d_near), dtype=float)
                         - float(comp.bound(*args, np.float64(0.0))))
        if not np.all(np.isfinite(increment)):
            return _skip(ex, "the bound is not finite at radius 0 (pointwise form undefined)")
    slack = l_test - (l_train[idx] + increment)
    tol = _RTOL * (1.0 + np.abs(l_test))
    worst = int(np.argmax(slack - tol))
    p_margin = float(slack[worst])
    true_loss = float(np.mean(l_test))
    a_margin = true_loss - bound
    forms = []
    if slack[worst] > tol[worst]:
        forms.append("pointwise")
    if a_margin > _RTOL * (1.0 + abs(bound)):
        forms.append("averaged")
    return StressOutcome(ex, bool(forms), p_margin, a_margin, loss.lipschitz, k_eff, lt, true_loss, radius, bound,
                         int(train.shape[0]), tuple(forms), None, tuple(float(t) for t in test[worst]))


# ------------------------------------------------------------------------------------------- strategy
def _symbol_strategy(sym: Any) -> Any:
    from hypothesis import strategies as st

    lo = None if sym.lo is None else float(sym.lo)
    hi = None if sym.hi is None else float(sym.hi)
    if sym.is_integer:
        a = math.ceil(lo + (1 if sym.lo_open and float(lo).is_integer() else 0)) if lo is not None else -100
        b = math.floor(hi - (1 if sym.hi_open and float(hi).is_integer() else 0)) if hi is not None else a + 1000
        return st.integers(int(a), int(max(a, b))).map(float)
    a = lo if lo is not None else (hi - 100 if hi is not None else -100.0)
    b = hi if hi is not None else a + 100.0
    if sym.lo_open and lo is not None:  # keep away from the open end (no subnormal deltas)
        a = a + 1e-6 * max(1.0, abs(a), b - a)
    if sym.hi_open and hi is not None:
        b = b - 1e-6 * max(1.0, abs(b), b - a)
    return st.floats(a, max(a, b), allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _examples(problem: Problem, cfg: StressConfig, catalogue: tuple, queries: int) -> Any:
    from hypothesis import strategies as st

    set_by_stress = {cfg.lipschitz, cfg.training_loss, cfg.n, cfg.radius} | ({cfg.dim} if cfg.dim else set())
    fixed = dict(cfg.values)
    free = [s for s in problem.symbols if s.name not in set_by_stress and s.name not in fixed]

    @st.composite
    def draw(data: Any) -> StressExample:
        name, dim, params = data(st.sampled_from(catalogue))
        space = get_space(name, dim, **dict(params))
        sampler = data(st.sampled_from([s for s in _SAMPLERS if get_sampler(s).supports(space)]))
        n = data(st.integers(1, 300))
        seed = data(st.integers(0, 2 ** 32 - 1))
        gmap = data(st.sampled_from(MAPS))
        out_dim = space.dim if gmap == "identity" else data(st.integers(space.dim, space.dim + 3))
        map_scale = 1.0 if gmap == "identity" else data(st.floats(0.25, 4.0))
        loss = data(st.sampled_from(LOSSES))
        loss_scale = data(st.floats(0.1, 10.0))
        values = dict(fixed)
        for s in free:
            values[s.name] = data(_symbol_strategy(s))
        return StressExample(name, dim, params, sampler, n, seed, gmap, out_dim, map_scale, loss, loss_scale,
                             tuple(sorted(values.items())), queries)

    return draw()


@dataclass(frozen=True, slots=True)
class StressReport:
    """The result of a stress run: the minimal failure (if any) and counts.

    ``examples`` counts drawn examples (the search phase and shrinking), ``skipped`` those outside the spec's
    domains; ``failure`` is the shrunk failing outcome or None.
    """

    spec: str
    config: StressConfig
    bound: str
    k_eff: str
    examples: int
    skipped: int
    failures_seen: int
    elapsed: float
    seed: int
    budget: int
    failure: StressOutcome | None
    worst_pointwise: float
    worst_averaged: float
    artifact: str | None = None
    skip_reasons: tuple[tuple[str, int], ...] = field(default=())
    margins: tuple[tuple[str, float, float, bool], ...] = field(default=())  # (space, pointwise, averaged, failed)

    @property
    def examples_per_second(self) -> float:
        return self.examples / self.elapsed if self.elapsed > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.spec, "config": {"lipschitz": self.config.lipschitz, "radius": self.config.radius,
                                              "training_loss": self.config.training_loss, "n": self.config.n,
                                              "dim": self.config.dim, "bound": self.config.bound,
                                              "values": dict(self.config.values)},
                "bound": self.bound, "k_eff": self.k_eff, "examples": self.examples, "skipped": self.skipped,
                "failures_seen": self.failures_seen, "elapsed": self.elapsed,
                "examples_per_second": self.examples_per_second, "seed": self.seed, "budget": self.budget,
                "failed": self.failure is not None,
                "failure": None if self.failure is None else self.failure.to_dict(),
                "worst_pointwise_margin": self.worst_pointwise, "worst_averaged_margin": self.worst_averaged,
                "artifact": self.artifact, "skip_reasons": dict(self.skip_reasons),
                "margins": [{"space": sp_, "pointwise": pm, "averaged": am, "failed": f}
                            for sp_, pm, am, f in self.margins]}


def run_stress(problem: Problem, *, examples: int = 200, seed: int = 0, queries: int = 200,
               spaces: tuple | None = None, artifact_dir: str | Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> StressReport:
    """Stress-test the spec's bound on Hypothesis-drawn instances; shrink and save the first failure.

    Args:
        problem: the parsed spec (needs a ``[stress]`` table).
        examples: Hypothesis budget (examples generated before giving up).
        seed: seeds Hypothesis (runs are reproducible).
        queries: test points per example.
        spaces: restrict the space catalogue (entries like :data:`SPACE_CATALOGUE`).
        artifact_dir: where a failing example is saved as JSON (None: not saved).
        progress: called with (examples so far, budget).

    Raises:
        SpecError: missing or malformed ``[stress]`` table.
        UsageError: bad budget.
    """
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise UsageError(f"examples must be a positive integer, got {examples!r}")
    cfg = stress_config(problem)
    comp = _compile(problem, cfg)
    symbols = {s.name: s for s in problem.symbols}
    catalogue = tuple(spaces or SPACE_CATALOGUE)
    if cfg.dim:
        catalogue = tuple(c for c in catalogue if _in_domain(symbols[cfg.dim], get_space(c[0], c[1], **dict(c[2]))
                                                             .hausdorff_dim))
    if not catalogue:
        raise UsageError(f"no space of the catalogue has a dimension inside the domain of '{cfg.dim}'")
    counts = {"examples": 0, "skipped": 0, "failed": 0}
    worst = {"pointwise": -math.inf, "averaged": -math.inf}
    reasons: dict[str, int] = {}
    margins: list[tuple[str, float, float, bool]] = []

    def condition(ex: StressExample) -> bool:
        counts["examples"] += 1
        out = evaluate_example(problem, cfg, ex, comp)
        if out.skipped:
            counts["skipped"] += 1
            reasons[out.skipped.split(" = ")[0]] = reasons.get(out.skipped.split(" = ")[0], 0) + 1
        else:
            margins.append((ex.space, out.pointwise_margin, out.averaged_margin, out.failed))
            worst["pointwise"] = max(worst["pointwise"], out.pointwise_margin)
            worst["averaged"] = max(worst["averaged"], out.averaged_margin)
        if out.failed:
            counts["failed"] += 1
        if progress is not None:
            progress(min(counts["examples"], examples), examples)
        return out.failed

    conf = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    start = time.perf_counter()
    failure = None
    try:
        found = find(_examples(problem, cfg, catalogue, queries), condition, settings=conf,
                     random=random.Random(seed))
        failure = evaluate_example(problem, cfg, found, comp)
    except NoSuchExample:
        failure = None
    elapsed = time.perf_counter() - start
    artifact = None
    report = StressReport(problem.path or problem.name, cfg, comp.bound_text, comp.k_eff_text, counts["examples"],
                          counts["skipped"], counts["failed"], elapsed, seed, examples, failure, worst["pointwise"],
                          worst["averaged"], None, tuple(sorted(reasons.items())), tuple(margins))
    if failure is not None and artifact_dir is not None:
        artifact = str(save_example(report, Path(artifact_dir) / f"{problem.name}-stress-failure.json"))
        report = StressReport(**{**{f: getattr(report, f) for f in StressReport.__slots__}, "artifact": artifact})
    return report


def save_example(report: StressReport, path: str | Path) -> Path:
    """Write the failing example of ``report`` as replayable JSON."""
    if report.failure is None:
        raise UsageError("the stress run found no failure to save")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"kind": "boundcheck-stress-example", "version": 1, "spec": report.spec,
            "config": report.to_dict()["config"], "example": report.failure.example.to_dict(),
            "outcome": report.failure.to_dict()}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def load_example(path: str | Path) -> StressExample:
    """Read a saved example (the JSON of :func:`save_example`, or a bare example dict).

    Raises:
        UsageError: unreadable file or not a stress example.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        msg = f"cannot read stress example {path}: {err}"
        raise UsageError(msg) from err
    if isinstance(data, dict) and "example" in data:
        data = data["example"]
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not a stress example")
    return StressExample.from_dict(data)


def replay(problem: Problem, example: StressExample | str | Path) -> StressOutcome:
    """Re-run one example (a saved JSON path or a :class:`StressExample`) against the spec."""
    ex = example if isinstance(example, StressExample) else load_example(example)
    return evaluate_example(problem, stress_config(problem), ex)
