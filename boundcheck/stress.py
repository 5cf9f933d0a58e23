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

from .empirical import LOSSES, MAPS, Space, compose, get_loss, get_map, get_sampler, get_space
from .errors import SpecError, UsageError
from .spec import Problem

__all__ = ["StressConfig", "StressExample", "StressOutcome", "StressReport", "stress_config", "run_stress",
           "evaluate_example", "replay", "load_example", "save_example", "STRESS_KEYS", "SPACE_CATALOGUE", "STEPS",
           "CoveringExample", "ComplexityExample", "StepOutcome", "StepResult", "evaluate_covering",
           "evaluate_complexity", "occam_failure_probability"]

STRESS_KEYS = ("lipschitz", "radius", "training_loss", "n", "dim", "bound", "values", "space", "sampling",
               "complexity", "bits", "delta")
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
    space: str | None = None        # the sampling the radius formula is stated for (covering step)
    sampling: str | None = None
    complexity: str | None = None   # the Occam term and its bits / confidence symbols (complexity step)
    bits: str | None = None
    delta: str | None = None


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
    cover: dict[str, str] = {}
    if ("space" in table) != ("sampling" in table):
        raise err("'space' and 'sampling' go together: the sampling the radius formula is stated for", None)
    if "space" in table:
        from .empirical import SAMPLERS, SPACES

        for k, allowed in (("space", SPACES), ("sampling", SAMPLERS)):
            v = table[k]
            if not isinstance(v, str) or v not in allowed:
                raise err(f"'{k}' must be one of {', '.join(allowed)}, got {v!r}", k)
            cover[k] = v
        if out["radius"] not in defs:
            raise err("the covering step needs 'radius' to name a definition (the radius formula)", "radius")
        if not _covering_catalogue(cover["space"], cover["sampling"], symbols.get(out.get("dim") or "")):
            raise err(f"sampling '{cover['sampling']}' cannot place points in space '{cover['space']}' "
                      "at a dimension inside the domain of the dimension symbol", "sampling")
    occam: dict[str, str] = {}
    keys = [k for k in ("complexity", "bits", "delta") if k in table]
    if keys and len(keys) != 3:
        raise err("'complexity', 'bits' and 'delta' go together (the Occam term, its bits and its confidence)",
                  None)
    if keys:
        v = table["complexity"]
        if not isinstance(v, str) or v not in defs:
            raise err(f"'complexity' must name a definition, got {v!r}", "complexity")
        occam["complexity"] = v
        for k in ("bits", "delta"):
            v = table[k]
            if not isinstance(v, str) or v not in symbols:
                raise err(f"'{k}' must name a symbol of [symbols], got {v!r}", k)
            occam[k] = v
    cfg = StressConfig(out["lipschitz"], out["radius"], out["training_loss"], out["n"], out.get("dim"),
                       out["bound"], tuple(values), cover.get("space"), cover.get("sampling"),
                       occam.get("complexity"), occam.get("bits"), occam.get("delta"))
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
                     sp.lambdify(syms + [r], k_eff, modules="numpy", dummify=True),
                     str(expr).replace("__radius__", cfg.radius), str(k_eff).replace("__radius__", cfg.radius), linear)


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
    radius_formula: float = float("nan")  # the spec's radius formula at the instance's values (nan: none)

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps violated: ``lipschitz`` (the pointwise form), ``whole`` (the averaged form)."""
        return tuple({"pointwise": "lipschitz", "averaged": "whole"}[f] for f in self.forms)

    def to_dict(self) -> dict[str, Any]:
        return {"example": self.example.to_dict(), "failed": self.failed, "violated": list(self.forms),
                "steps": list(self.steps), "radius_formula": self.radius_formula,
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
    from .empirical import good_sample_distance, nearest_distance  # scipy.spatial: only when stress runs

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
    formula = _radius_formula_at(problem, cfg, vals)
    return StressOutcome(ex, bool(forms), p_margin, a_margin, loss.lipschitz, k_eff, lt, true_loss, radius, bound,
                         int(train.shape[0]), tuple(forms), None, tuple(float(t) for t in test[worst]),
                         float("nan") if formula is None else formula)


# ------------------------------------------------------------------------------------------- steps
#: The steps of a Lipschitz/covering/Occam bound that stress checks, each on its own, and the whole.
STEPS: tuple[tuple[str, str], ...] = (
    ("lipschitz", "l(z) <= l(z_i) + K_eff |z - z_i| at every test point z, z_i its nearest training sample "
                  "(random losses with a certified constant K)"),
    ("covering", "covering radius of the stated sampling <= the radius formula (certified enclosure of the "
                 "covering radius; exact in 1-D)"),
    ("complexity", "P(some h of a 2^C-hypothesis class has R(h) - R_hat(h) > complexity) <= delta (exact "
                   "binomial tails of independent 0/1 losses)"),
    ("whole", "mean test loss <= bound with K, L_train, n, d and the radius measured on the instance"),
)


def _covering_catalogue(space: str, sampling: str, dim_sym: Any) -> tuple[tuple[str, int | None, tuple], ...]:
    """The (space, dim, params) entries the covering step draws: the stated space at the catalogue's
    dimensions whose Hausdorff dimension lies in the dimension symbol's domain and that the sampler supports."""
    entries = [c for c in SPACE_CATALOGUE if c[0] == space] or [(space, None, ())]
    out = []
    for name, dim, params in entries:
        sp_ = get_space(name, dim, **dict(params))
        if not get_sampler(sampling).supports(sp_):
            continue
        if dim_sym is not None and not _in_domain(dim_sym, sp_.hausdorff_dim):
            continue
        out.append((name, dim, params))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CoveringExample:
    """One instance of the covering step: n points of the stated sampling on the stated space."""

    space: str
    dim: int | None
    space_params: tuple[tuple[str, Any], ...]
    sampler: str
    n: int
    seed: int
    values: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"step": "covering", "space": self.space, "dim": self.dim, "space_params": dict(self.space_params),
                "sampler": self.sampler, "n": self.n, "seed": self.seed, "values": dict(self.values)}


@dataclass(frozen=True, slots=True)
class ComplexityExample:
    """One instance of the complexity step: n samples, a class of 2^bits hypotheses, confidence delta."""

    n: int
    bits: int
    delta: float
    values: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"step": "complexity", "n": self.n, "bits": self.bits, "delta": self.delta,
                "values": dict(self.values)}


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one instance of the covering or complexity step measured; ``margin`` > 0 is a violation
    (relative: measured / claimed - 1)."""

    step: str
    example: CoveringExample | ComplexityExample
    failed: bool
    margin: float
    measured: float          # covering: certified lower bound of the covering radius; complexity: probability
    claimed: float           # covering: the radius formula; complexity: delta
    detail: str
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "example": self.example.to_dict(), "failed": self.failed,
                "margin": self.margin, "measured": self.measured, "claimed": self.claimed,
                "detail": self.detail, "skipped": self.skipped}


@dataclass(frozen=True, slots=True)
class StepResult:
    """The verdict of stress on one step: ``holds`` (no violation in ``examples`` instances), ``fails`` (with
    the shrunk ``failure``, a dict), or ``not tested`` (``reason`` says why)."""

    step: str
    claim: str
    status: str
    examples: int = 0
    worst_margin: float = float("nan")
    failure: dict[str, Any] | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "claim": self.claim, "status": self.status, "examples": self.examples,
                "worst_margin": self.worst_margin, "failure": self.failure, "reason": self.reason}


def _symbol_values_fn(problem: Problem, name: str) -> Callable[..., Any]:
    defs = {d.name: d for d in problem.definitions}
    expr = defs[name].expanded
    return sp.lambdify([s.sym for s in problem.symbols], expr, modules="numpy")


def _call(problem: Problem, fn: Callable[..., Any], vals: Mapping[str, float]) -> float:
    args = [np.float64(vals.get(s.name, float("nan"))) for s in problem.symbols]
    with np.errstate(all="ignore"):
        return float(fn(*args))


def _radius_formula_at(problem: Problem, cfg: StressConfig, vals: Mapping[str, float]) -> float | None:
    """The spec's radius formula at ``vals`` (None when the radius is a symbol or cannot be evaluated)."""
    if cfg.radius not in {d.name for d in problem.definitions}:
        return None
    try:
        v = _call(problem, _symbol_values_fn(problem, cfg.radius), vals)
    except (ArithmeticError, ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def evaluate_covering(problem: Problem, cfg: StressConfig, ex: CoveringExample) -> StepOutcome:
    """Place the stated sampling, enclose its covering radius, compare with the radius formula.

    A failure needs the certified *lower* end of the enclosure (a point of the space at that distance from
    every sample; exact in 1-D) above the formula by more than rounding, so it is a true violation."""
    from .empirical import covering_radius

    symbols = {s.name: s for s in problem.symbols}
    space = get_space(ex.space, ex.dim, **dict(ex.space_params))
    rng = np.random.default_rng(ex.seed)
    pts = get_sampler(ex.sampler).draw(space, ex.n, rng)
    vals = dict(ex.values)
    vals[cfg.n] = float(pts.shape[0])
    if cfg.dim:
        vals[cfg.dim] = space.hausdorff_dim
    for name, v in vals.items():
        if name in symbols and not _in_domain(symbols[name], v):
            return StepOutcome("covering", ex, False, float("nan"), float("nan"), float("nan"), "",
                               f"{name} = {v:.6g} outside its domain ({symbols[name].describe()})")
    formula = _radius_formula_at(problem, cfg, vals)
    if formula is None:
        return StepOutcome("covering", ex, False, float("nan"), float("nan"), float("nan"), "",
                           "the radius formula cannot be evaluated at these values")
    cr = covering_radius(pts, space, rtol=1e-3, max_cells=100_000, mc_points=4096, rng=rng)
    margin = cr.lower / formula - 1.0 if formula > 0 else (math.inf if cr.lower > 0 else 0.0)
    failed = cr.lower > formula * (1.0 + _RTOL) + 1e-300
    upper = "" if cr.upper is None else f", <= {cr.upper:.6g}"
    detail = (f"covering radius of {pts.shape[0]} {ex.sampler} points of {ex.space} (dim {space.dim}): "
              f">= {cr.lower:.6g}{upper} ({cr.kind}); radius formula {formula:.6g}")
    return StepOutcome("covering", ex, bool(failed), float(margin), float(cr.lower), float(formula), detail)


def occam_failure_probability(eps: float, n: int, bits: int) -> tuple[float, float]:
    """max over p of P(some of 2^bits independent Bernoulli(p) losses has p - mean of n draws > eps).

    Exact binomial tails (scipy) on a grid of p; the maximum over the grid is a lower bound of the sup over
    p, so a value above delta is a genuine violation of the Occam bound R <= R_hat + eps.
    Returns (probability, the p attaining it)."""
    from scipy.stats import binom

    if not eps > 0:
        return 1.0, 0.5
    p = np.linspace(0.0025, 0.9975, 399)
    k = np.ceil(n * (p - eps)) - 1          # R_hat < p - eps  <=>  count <= ceil(n(p - eps)) - 1
    q = np.where(k >= 0, binom.cdf(k, n, p), 0.0)
    m = float(2.0 ** bits)
    with np.errstate(all="ignore"):
        prob = -np.expm1(m * np.log1p(-np.minimum(q, 1.0)))
    prob = np.where(q >= 1.0, 1.0, prob)
    j = int(np.argmax(prob))
    return float(prob[j]), float(p[j])


def evaluate_complexity(problem: Problem, cfg: StressConfig, ex: ComplexityExample) -> StepOutcome:
    """The complexity term at (n, C = bits, delta) against the exact failure probability of a 2^bits class."""
    assert cfg.complexity and cfg.bits and cfg.delta
    symbols = {s.name: s for s in problem.symbols}
    vals = dict(ex.values)
    vals.update({cfg.n: float(ex.n), cfg.bits: float(ex.bits), cfg.delta: float(ex.delta)})
    for name, v in vals.items():
        if name in symbols and not _in_domain(symbols[name], v):
            return StepOutcome("complexity", ex, False, float("nan"), float("nan"), float("nan"), "",
                               f"{name} = {v:.6g} outside its domain ({symbols[name].describe()})")
    try:
        eps = _call(problem, _symbol_values_fn(problem, cfg.complexity), vals)
    except (ArithmeticError, ValueError, TypeError):
        eps = float("nan")
    if not math.isfinite(eps):
        return StepOutcome("complexity", ex, False, float("nan"), float("nan"), float("nan"), "",
                           "the complexity term cannot be evaluated at these values")
    prob, p = occam_failure_probability(eps, ex.n, ex.bits)
    failed = prob > ex.delta * (1.0 + _RTOL)
    detail = (f"n = {ex.n}, {2 ** ex.bits:g} hypotheses ({ex.bits} bits), delta = {ex.delta:.6g}: complexity "
              f"term {eps:.6g}; P(some R - R_hat > term) = {prob:.6g} at Bernoulli mean {p:.4g}")
    return StepOutcome("complexity", ex, bool(failed), prob / ex.delta - 1.0, prob, ex.delta, detail)


def _free_values(problem: Problem, cfg: StressConfig, data: Any, set_here: set[str]) -> dict[str, float]:
    fixed = dict(cfg.values)
    values = {k: v for k, v in fixed.items() if k not in set_here}
    for s in problem.symbols:
        if s.name not in set_here and s.name not in fixed:
            values[s.name] = data(_symbol_strategy(s))
    return values


def _covering_examples(problem: Problem, cfg: StressConfig) -> Any:
    from hypothesis import strategies as st

    assert cfg.space and cfg.sampling
    symbols = {s.name: s for s in problem.symbols}
    catalogue = _covering_catalogue(cfg.space, cfg.sampling, symbols.get(cfg.dim or ""))
    radius_syms = {str(x) for x in next(d for d in problem.definitions if d.name == cfg.radius).expanded
                   .free_symbols}
    set_here = {cfg.n} | ({cfg.dim} if cfg.dim else set())

    @st.composite
    def draw(data: Any) -> CoveringExample:
        name, dim, params = data(st.sampled_from(catalogue))
        n = data(st.integers(1, 300))
        seed = data(st.integers(0, 2 ** 32 - 1))
        values = {k: v for k, v in _free_values(problem, cfg, data, set_here | (set(symbols) - radius_syms))
                  .items() if k in radius_syms}
        return CoveringExample(name, dim, params, cfg.sampling, n, seed, tuple(sorted(values.items())))

    return draw()


def _complexity_examples(problem: Problem, cfg: StressConfig) -> Any:
    from hypothesis import strategies as st

    assert cfg.complexity and cfg.bits and cfg.delta
    symbols = {s.name: s for s in problem.symbols}
    term_syms = {str(x) for x in next(d for d in problem.definitions if d.name == cfg.complexity).expanded
                 .free_symbols}
    fixed = dict(cfg.values)
    set_here = {cfg.n, cfg.bits, cfg.delta}

    @st.composite
    def draw(data: Any) -> ComplexityExample:
        n = data(st.integers(1, 2000))
        bits = data(st.integers(0, 40))
        delta = fixed[cfg.delta] if cfg.delta in fixed else data(_symbol_strategy(symbols[cfg.delta]))
        values = {k: v for k, v in _free_values(problem, cfg, data, set_here | (set(symbols) - term_syms))
                  .items() if k in term_syms}
        return ComplexityExample(n, bits, float(delta), tuple(sorted(values.items())))

    return draw()


def _search_step(step: str, strategy: Any, evaluate: Callable[[Any], StepOutcome], budget: int, seed: int
                 ) -> tuple[StepResult, StepOutcome | None]:
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    claim = dict(STEPS)[step]
    seen = {"n": 0, "skipped": 0, "worst": -math.inf}

    def condition(ex: Any) -> bool:
        out = evaluate(ex)
        seen["n"] += 1
        if out.skipped:
            seen["skipped"] += 1
            return False
        seen["worst"] = max(seen["worst"], out.margin)
        return out.failed

    conf = settings(max_examples=budget, database=None, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    try:
        found = find(strategy, condition, settings=conf, random=random.Random(seed))
    except NoSuchExample:
        if seen["n"] == seen["skipped"]:
            return StepResult(step, claim, "not tested", seen["n"], reason="every instance fell outside the "
                              "spec's domains"), None
        return StepResult(step, claim, "holds", seen["n"], seen["worst"]), None
    out = evaluate(found)
    return StepResult(step, claim, "fails", seen["n"], seen["worst"], out.to_dict()), out


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
    steps: tuple[StepResult, ...] = field(default=())
    measured: tuple[tuple[str, str], ...] = field(default=())  # (symbol, how stress sets it)
    # On instances of the stated sampling: (instances whose distance to the nearest good sample exceeds the radius
    # formula, instances compared, largest ratio distance / formula). A finding, not a failed step.
    good_sample: tuple[int, int, float] = (0, 0, float("nan"))
    step_artifacts: tuple[tuple[str, str], ...] = field(default=())

    @property
    def failed(self) -> bool:
        """Whether any step (or the whole bound) failed."""
        return self.failure is not None or any(st_.status == "fails" for st_ in self.steps)

    @property
    def failed_steps(self) -> tuple[str, ...]:
        return tuple(st_.step for st_ in self.steps if st_.status == "fails")

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
                "failed": self.failed, "failed_steps": list(self.failed_steps),
                "steps": [st_.to_dict() for st_ in self.steps], "measured": dict(self.measured),
                "good_sample_vs_formula": {"beyond_formula": self.good_sample[0], "compared": self.good_sample[1],
                                           "max_ratio": self.good_sample[2]},
                "step_artifacts": dict(self.step_artifacts),
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

    good = {"beyond": 0, "compared": 0, "max": -math.inf}
    form_fail = {"pointwise": 0, "averaged": 0}

    def condition(ex: StressExample) -> bool:
        counts["examples"] += 1
        out = evaluate_example(problem, cfg, ex, comp)
        if not out.skipped and math.isfinite(out.radius_formula) and out.radius_formula > 0 \
                and math.isfinite(out.radius) and (ex.space, ex.sampler) == (cfg.space, cfg.sampling):
            ratio = out.radius / out.radius_formula
            good["compared"] += 1
            good["beyond"] += int(ratio > 1 + _RTOL)
            good["max"] = max(good["max"], ratio)
        for f in out.forms:
            form_fail[f] += 1
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
    live = counts["examples"] - counts["skipped"]
    steps: list[StepResult] = []
    shrunk_forms = set(failure.forms) if failure is not None else set()
    for step, form, key in (("lipschitz", "pointwise", "pointwise"), ("whole", "averaged", "averaged")):
        claim = dict(STEPS)[step]
        if live == 0:
            steps.append(StepResult(step, claim, "not tested", counts["examples"],
                                    reason="every instance fell outside the spec's domains"))
        elif form in shrunk_forms or form_fail[form]:
            fail = failure.to_dict() if failure is not None and form in shrunk_forms else None
            steps.append(StepResult(step, claim, "fails", counts["examples"], worst[key], fail,
                                    "" if fail else "violated during the search; the shrunk example shows "
                                                    "another step"))
        else:
            steps.append(StepResult(step, claim, "holds", counts["examples"], worst[key]))
    step_outcomes: dict[str, StepOutcome] = {}
    if cfg.space and cfg.sampling:
        res, out = _search_step("covering", _covering_examples(problem, cfg),
                                lambda ex: evaluate_covering(problem, cfg, ex), examples, seed)
        steps.insert(1, res)
        if out is not None:
            step_outcomes["covering"] = out
    else:
        steps.insert(1, StepResult("covering", dict(STEPS)["covering"], "not tested",
                                   reason="the [stress] table states no sampling ('space' and 'sampling') for "
                                          "the radius formula" if cfg.radius in {d.name for d in
                                                                                 problem.definitions}
                                   else "the radius is a symbol, not a formula"))
    if cfg.complexity:
        res, out = _search_step("complexity", _complexity_examples(problem, cfg),
                                lambda ex: evaluate_complexity(problem, cfg, ex), examples, seed)
        steps.insert(2, res)
        if out is not None:
            step_outcomes["complexity"] = out
    else:
        steps.insert(2, StepResult("complexity", dict(STEPS)["complexity"], "not tested",
                                   reason="the [stress] table names no Occam term ('complexity', 'bits', "
                                          "'delta')"))
    elapsed = time.perf_counter() - start
    measured = _measured(problem, cfg)
    report = StressReport(problem.path or problem.name, cfg, comp.bound_text, comp.k_eff_text, counts["examples"],
                          counts["skipped"], counts["failed"], elapsed, seed, examples, failure, worst["pointwise"],
                          worst["averaged"], None, tuple(sorted(reasons.items())), tuple(margins), tuple(steps),
                          measured, (good["beyond"], good["compared"], good["max"] if good["compared"] else
                                     float("nan")))
    if artifact_dir is not None:
        fields = {f: getattr(report, f) for f in StressReport.__slots__}
        if failure is not None:
            fields["artifact"] = str(save_example(report, Path(artifact_dir) / f"{problem.name}-stress-failure.json"))
        saved = []
        for step, out in step_outcomes.items():
            saved.append((step, str(_save_step(report, out, Path(artifact_dir) /
                                               f"{problem.name}-stress-{step}-failure.json"))))
        fields["step_artifacts"] = tuple(saved)
        if fields["artifact"] is None and saved:
            fields["artifact"] = saved[0][1]
        report = StressReport(**fields)
    return report


def _measured(problem: Problem, cfg: StressConfig) -> tuple[tuple[str, str], ...]:
    """How stress sets each role of the bound (printed with the bound, so nobody reads a measured radius as
    the formula)."""
    is_def = cfg.radius in {d.name for d in problem.definitions}
    out = [(cfg.lipschitz, "certified Lipschitz constant of the drawn loss in latent coordinates"),
           (cfg.training_loss, "measured: mean training loss"),
           (cfg.n, "number of training points placed")]
    if cfg.dim:
        out.append((cfg.dim, "Hausdorff dimension of the drawn space"))
    out.append((cfg.radius, "measured in the whole-bound check: largest distance from a test point to its nearest "
                            "good training sample" + (" (the formula itself is checked in the covering step)"
                                                      if is_def else "")))
    return tuple(out)


def _save_step(report: StressReport, out: StepOutcome, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"kind": "boundcheck-stress-example", "version": 1, "spec": report.spec, "step": out.step,
            "config": report.to_dict()["config"], "example": out.example.to_dict(), "outcome": out.to_dict()}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


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


def load_example(path: str | Path) -> StressExample | CoveringExample | ComplexityExample:
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
    step = data.get("step")
    try:
        if step == "covering":
            return CoveringExample(str(data["space"]), data.get("dim"),
                                   tuple(sorted(dict(data.get("space_params") or {}).items())), str(data["sampler"]),
                                   int(data["n"]), int(data["seed"]),
                                   tuple(sorted((str(k), float(v)) for k, v in dict(data.get("values") or {})
                                                .items())))
        if step == "complexity":
            return ComplexityExample(int(data["n"]), int(data["bits"]), float(data["delta"]),
                                     tuple(sorted((str(k), float(v)) for k, v in dict(data.get("values") or {})
                                                  .items())))
    except (KeyError, TypeError, ValueError) as err:
        msg = f"{path}: not a stress example: {err}"
        raise UsageError(msg) from err
    return StressExample.from_dict(data)


def replay(problem: Problem, example: Any) -> StressOutcome | StepOutcome:
    """Re-run one example (a saved JSON path, a :class:`StressExample`, :class:`CoveringExample` or
    :class:`ComplexityExample`) against the spec.

    Raises:
        UsageError: the example is for a step the spec's [stress] table does not configure.
    """
    ex = example if isinstance(example, (StressExample, CoveringExample, ComplexityExample)) else load_example(example)
    cfg = stress_config(problem)
    if isinstance(ex, CoveringExample):
        if cfg.radius not in {d.name for d in problem.definitions}:
            raise UsageError("a covering-step example needs a spec whose radius is a formula")
        return evaluate_covering(problem, cfg, ex)
    if isinstance(ex, ComplexityExample):
        if not cfg.complexity:
            raise UsageError("a complexity-step example needs 'complexity', 'bits' and 'delta' in [stress]")
        return evaluate_complexity(problem, cfg, ex)
    return evaluate_example(problem, cfg, ex)
