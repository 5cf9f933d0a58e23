"""Measuring one scenario (layer 5 ``falsify``): values over n, exponent fits, the verdict.

:func:`evaluate` is deterministic: every random draw comes from a numpy Generator seeded with the
scenario's seed and the index of the sample size and of the repetition, so the same scenario gives
bit-identical values on any machine with the same library versions, in any worker.

A scenario contradicts the conjecture when the confidence intervals of the exponent fitted on the whole
n range and on its upper half both exclude the predicted exponent by more than the tolerance *and* the
deviation does not shrink toward the prediction as n grows. Local exponents of ``n^a (log n)^b`` are ``a + b / log n``:
the fits on the lower and upper halves of the n range are extrapolated linearly in ``1 / log n`` to
``n = oo`` (reading their CIs in the way most favourable to the conjecture); a deviation that shrinks
and whose extrapolation reaches the tolerance is pre-asymptotic (the ``log n`` factor in the coverage
of iid samples is the standard example), not a refutation. For ``spec_gap`` the exact exponent of the
formula (:func:`boundcheck.symbolic.exponent_cases` with the scenario's values) settles a deviation the
numbers show: refuted when it differs from the prediction, pre-asymptotic when it agrees.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ._format import Conjecture, geometric_grid, parse_good_rule
from ._scenario import Scenario

__all__ = ["Fit", "Evaluation", "evaluate", "predicted_exponent", "fit_exponent", "VERDICTS"]

#: Verdicts of one scenario, most to least interesting: ``refuted`` (the CIs of the whole range and of its
#: upper half exclude the prediction by more than the tolerance, and so does the extrapolation to n = oo),
#: ``unsettled`` (only one of the two fits excludes it and the deviation does not shrink: try larger n),
#: ``pre-asymptotic`` (the deviation shrinks toward the prediction as n grows), ``consistent``, ``invalid``
#: (the scenario could not be measured; ``note`` says why).
VERDICTS = ("refuted", "unsettled", "pre-asymptotic", "consistent", "invalid")
_MODEL_STREAM = 7_000_001
_QUERY_STREAM = 7_000_002


@dataclass(frozen=True, slots=True)
class Fit:
    """A power law ``value ~ prefactor * n**exponent`` fitted over ``ns``, with a bootstrap CI."""

    exponent: float
    lo: float
    hi: float
    prefactor: float
    n_min: int
    n_max: int

    def distance(self, predicted: float) -> float:
        """How far ``predicted`` lies outside the CI (0 inside; inf for an infinite prediction)."""
        if math.isnan(predicted):
            return math.nan
        if math.isinf(predicted):
            return math.inf
        if self.lo <= predicted <= self.hi:
            return 0.0
        return min(abs(predicted - self.lo), abs(predicted - self.hi))

    def to_dict(self) -> dict[str, Any]:
        return {"exponent": self.exponent, "ci": [self.lo, self.hi], "prefactor": self.prefactor,
                "n_range": [self.n_min, self.n_max]}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The measurement of one scenario and what it says about the conjecture.

    Invariants: ``values[i][r]`` is the quantity at ``ns[i]`` for repetition ``r``; ``verdict`` is one of
    :data:`VERDICTS`; for ``invalid`` the fits are None and ``note`` says why.
    """

    scenario: Scenario
    ns: tuple[int, ...]
    values: tuple[tuple[float, ...], ...]
    properties: tuple[tuple[str, float], ...]
    predicted: float
    verdict: str
    deviation: float
    asymptotic: float
    fit: Fit | None = None
    lower: Fit | None = None
    upper: Fit | None = None
    kind: str = ""
    note: str = ""
    elapsed: float = 0.0
    symbolic: float | None = None

    @property
    def score(self) -> float:
        """Ranking key (finite, for Hypothesis' ``target``): refutations first, then the deviation (capped
        at 10), then a clean measurement: explained by another property of the space, narrow CI."""
        if self.verdict == "invalid" or math.isnan(self.deviation):
            return -1.0
        score = min(self.deviation, 10.0) + {"refuted": 20.0, "unsettled": 5.0}.get(self.verdict, 0.0)
        if self.upper is not None:
            score += 0.5 * (self.explained_by is not None) - 0.5 * min(self.upper.hi - self.upper.lo, 1.0)
        return score

    @property
    def explained_by(self) -> str | None:
        """The property p whose exponent -1/p the measured upper-half exponent matches (within 0.1, and
        inside its CI widened by 0.05), if any other than the one the conjecture uses; else None."""
        if self.upper is None:
            return None
        best = None
        for name, value in self.properties:
            if value <= 0:
                continue
            target = -1.0 / value
            if math.isclose(target, self.predicted, rel_tol=1e-9):
                continue
            gap = abs(self.upper.exponent - target)
            if gap <= 0.1 and self.upper.lo - 0.05 <= target <= self.upper.hi + 0.05:
                if best is None or gap < best[0]:
                    best = (gap, name)
        return None if best is None else best[1]


def predicted_exponent(expr: sp.Expr, properties: dict[str, float]) -> float:
    """The conjecture's exponent for a space with these properties.

    A property equal to 0 in a denominator gives the one-sided limit from above (``-1/hausdorff_dim`` at
    Hausdorff dimension 0 is ``-oo``), since dimensions are nonnegative.
    """
    syms = {str(s): s for s in expr.free_symbols}
    subs = {syms[k]: sp.nsimplify(v) if float(v).is_integer() else sp.Float(v, 30)
            for k, v in properties.items() if k in syms}
    value = expr.subs(subs)
    if value.has(sp.zoo, sp.nan) or not value.is_number:
        zeros = [syms[k] for k, v in properties.items() if k in syms and v == 0]
        value = expr.subs({s: v for s, v in subs.items() if s not in zeros})
        for z in zeros:
            value = sp.limit(value, z, 0, "+")
    if value in (sp.oo, -sp.oo):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def fit_exponent(ns: np.ndarray, values: np.ndarray, rng: np.random.Generator, n_boot: int,
                 confidence: float) -> Fit:
    """Power-law fit (the empirical engine's ``fit_power_law``: log-log least squares of the mean over
    repetitions, percentile bootstrap over repetitions, or over points for a single one).

    Args:
        ns: sample sizes, shape (k,).
        values: shape (k, reps), positive.
        rng: for the bootstrap.
        n_boot: bootstrap resamples.
        confidence: CI level.
    """
    from . import _engine

    e, lo, hi, pref = _engine.fit(ns, values, rng, n_boot, confidence)
    return Fit(exponent=e, lo=lo, hi=hi, prefactor=pref, n_min=int(ns[0]), n_max=int(ns[-1]))


def _halves(k: int) -> tuple[slice, slice]:
    h = max(3, (k + 1) // 2)
    return slice(0, h), slice(k - h, k)


def _nearest_in(fit: Fit, x: float) -> float:
    return min(max(x, fit.lo), fit.hi)


def _farthest_in(fit: Fit, x: float) -> float:
    return fit.lo if abs(fit.lo - x) >= abs(fit.hi - x) else fit.hi


def classify(full: Fit, lower: Fit, upper: Fit, predicted: float, tol: float) -> tuple[str, float, float]:
    """Verdict, deviation and extrapolated exponent; see the module docstring.

    The extrapolation reads the CIs in the way most favourable to the conjecture: the upper-half exponent
    is the point of its CI nearest the prediction, the lower-half one the point of its CI farthest from it,
    so noise makes a deviation look like it shrinks, never like it persists. A shrinking deviation is
    extrapolated linearly in 1/log n to n = oo, and not past the prediction.
    """
    if math.isnan(predicted):
        return "invalid", math.nan, math.nan
    dev_full, dev_upper = full.distance(predicted), upper.distance(predicted)
    if math.isinf(predicted):
        asym = upper.exponent
    else:
        a_u, a_l = _nearest_in(upper, predicted), _farthest_in(lower, predicted)
        x_l = 1 / math.log(math.sqrt(lower.n_min * lower.n_max))
        x_u = 1 / math.log(math.sqrt(upper.n_min * upper.n_max))
        asym = a_u
        if abs(a_u - predicted) < abs(a_l - predicted) and x_l > x_u:
            asym = a_u - (a_l - a_u) * x_u / (x_l - x_u)
            if (asym - predicted) * (a_u - predicted) <= 0:  # the shrinking deviation would cross zero
                asym = predicted
    if dev_full <= tol and dev_upper <= tol:
        return "consistent", dev_upper, asym
    if abs(asym - predicted) <= tol:
        return "pre-asymptotic", max(dev_full, dev_upper), asym
    if dev_full > tol and dev_upper > tol:
        return "refuted", dev_upper, asym
    return "unsettled", max(dev_full, dev_upper), asym


class _Model:
    """The landscape of a scenario: a Lipschitz loss of the latent point (through a generative map)."""

    def __init__(self, scen: Scenario, space: Any, seed: int) -> None:
        from . import _engine

        rng = np.random.default_rng([seed, _MODEL_STREAM])
        self.fn = _engine.make_loss(scen.loss, dict(scen.loss_params), scen.map, dict(scen.map_params), space, rng)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.fn(x), dtype=float).reshape(-1)


def _threshold(rule: str, train_loss: np.ndarray) -> float:
    kind, arg = parse_good_rule(rule)
    if kind == "all":
        return math.inf
    if kind == "mean":
        return float(train_loss.mean())
    if kind == "median":
        return float(np.median(train_loss))
    if kind == "quantile":
        return float(np.quantile(train_loss, arg))
    return float(arg)


def _measure_points(conj: Conjecture, scen: Scenario, space: Any, ns: tuple[int, ...]) -> tuple[np.ndarray, str]:
    from . import _engine

    s = conj.search
    reps = s.seeds
    out = np.empty((len(ns), reps))
    kind = ""
    model = _Model(scen, space, scen.seed) if scen.quantity in ("good_distance", "loss_gap") else None
    periodic = bool(getattr(space, "periodic", False))
    from ..empirical import get_sampler

    fixed = get_sampler(scen.sampler, **dict(scen.sampler_params)).is_deterministic(space)
    same = fixed and scen.quantity == "covering_radius"
    draws: dict[int, np.ndarray] = {}
    for r in range(reps):
        if same and r > 0:
            out[:, r] = out[:, 0]
            continue
        qrng = np.random.default_rng([scen.seed, _QUERY_STREAM, r])
        queries = None
        if scen.quantity != "covering_radius":
            queries = _engine.sample_space(space, s.queries, qrng)
            qloss = model(queries) if model is not None else None
        for i, n in enumerate(ns):
            rng = np.random.default_rng([scen.seed, i, r])
            if fixed and n in draws:
                train = draws[n]
            else:
                train = _engine.draw_points(scen.sampler, dict(scen.sampler_params), space, n, rng)
                if fixed:
                    draws[n] = train
            if scen.quantity == "covering_radius":
                out[i, r], kind = _engine.covering(train, space)
            elif scen.quantity == "nearest_distance":
                out[i, r] = float(np.mean(_engine.nearest(train, queries, periodic)[0]))
                kind = "mean nearest-sample distance of iid queries"
            elif scen.quantity == "good_distance":
                tl = model(train)
                good = train[tl <= _threshold(scen.good, tl)]
                if len(good) == 0:
                    raise ValueError(f"no good sample at n={n} (rule {scen.good})")
                out[i, r] = float(np.mean(_engine.nearest(good, queries, periodic)[0]))
                kind = f"mean distance to the nearest good sample (rule {scen.good})"
            else:  # loss_gap: 1-nearest-neighbour interpolant, training loss 0
                _, idx = _engine.nearest(train, queries, periodic)
                out[i, r] = float(np.mean(np.abs(qloss - model(train)[idx])))
                kind = "true minus training loss of the 1-NN interpolant"
    return out, kind


def _spec_points(conj: Conjecture, scen: Scenario, props: dict[str, float], ns: tuple[int, ...]) -> np.ndarray:
    from . import _spec_eval

    return _spec_eval.evaluate_gap(conj, dict(scen.bind), props, ns)[:, None]


def evaluate(conj: Conjecture, scen: Scenario) -> Evaluation:
    """Measure a scenario, fit its exponent and classify it (never raises on a bad scenario: ``invalid``)."""
    from . import _engine

    start = time.perf_counter()
    ns = conj.search.n_grid()
    if scen.quantity == "spec_gap" and conj.spec is not None and conj.spec.n_range is not None:
        ns = geometric_grid(*conj.spec.n_range, conj.search.points)
    props: dict[str, float] = {}
    try:
        space = _engine.make_space(scen.space, dict(scen.space_params))
        props = _engine.space_properties(space)
        predicted = predicted_exponent(conj.exponent, props)
        if scen.quantity == "spec_gap":
            values, kind = _spec_points(conj, scen, props, ns), f"gap of the spec ({conj.spec.expr})"
        else:
            values, kind = _measure_points(conj, scen, space, ns)
        if not np.all(np.isfinite(values)) or np.any(values <= 0):
            raise ValueError("the quantity is not finite and positive at every n (no power law to fit)")
    except Exception as err:  # noqa: BLE001 - a bad scenario is a result, not a crash of the search
        return Evaluation(scenario=scen, ns=ns, values=(), properties=tuple(sorted(props.items())),
                          predicted=math.nan, verdict="invalid", deviation=math.nan, asymptotic=math.nan,
                          note=f"{type(err).__name__}: {err}", elapsed=time.perf_counter() - start)
    brng = np.random.default_rng([scen.seed, 99])
    nsa = np.asarray(ns)
    nb, conf = conj.search.n_boot, conj.confidence
    full = fit_exponent(nsa, values, brng, nb, conf)
    lo_s, hi_s = _halves(len(ns))
    lower = fit_exponent(nsa[lo_s], values[lo_s], brng, nb, conf)
    upper = fit_exponent(nsa[hi_s], values[hi_s], brng, nb, conf)
    verdict, deviation, asym = classify(full, lower, upper, predicted, conj.tolerance)
    symbolic = None
    note = ""
    if scen.quantity == "spec_gap":
        from ._spec_eval import symbolic_exponent

        symbolic = symbolic_exponent(conj, dict(scen.bind), props)
        if symbolic is not None and verdict in ("refuted", "unsettled", "pre-asymptotic"):
            # The exact exponent of the formula settles what the finite n range cannot.
            if abs(symbolic - predicted) <= conj.tolerance:
                verdict = "pre-asymptotic"
                note = f"the symbolic exponent {symbolic:.4g} agrees with the prediction"
            else:
                verdict = "refuted"
                note = f"confirmed symbolically: the exponent is {symbolic:.4g}"
    return Evaluation(scenario=scen, ns=ns, values=tuple(tuple(float(v) for v in row) for row in values),
                      properties=tuple(sorted(props.items())), predicted=predicted, verdict=verdict,
                      deviation=deviation, asymptotic=asym, fit=full, lower=lower, upper=upper, kind=kind,
                      note=note, elapsed=time.perf_counter() - start, symbolic=symbolic)

