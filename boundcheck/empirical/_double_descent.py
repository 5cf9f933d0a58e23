"""Double descent of min-norm least squares, simulated and compared with theory.

Isotropic Gaussian features x ~ N(0, I_p), a signal beta with |beta|^2 = r^2, labels y = X beta + noise
(variance sigma^2), the minimum-norm least-squares fit beta_hat = pinv(X) y. With isotropic features the
test risk excluding label noise is exactly |beta_hat - beta|^2, so no test sample is needed. The limit as
n, p -> oo with gamma = p/n (Hastie, Montanari, Rosset & Tibshirani, Ann. Statist. 2022):

    risk = sigma^2 gamma/(1 - gamma)                        for gamma < 1,
    risk = r^2 (1 - 1/gamma) + sigma^2/(gamma - 1)          for gamma > 1,

and the norm |beta_hat|^2 (the complexity a norm-based bound charges) peaks at gamma = 1: the complexity
term rises and then falls as parameters grow, which is how a complexity-based bound follows the curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import UsageError

__all__ = ["DoubleDescentResult", "run_double_descent", "theory_risk", "theory_norm"]


def theory_risk(gamma: float, r2: float, sigma2: float) -> float:
    """Asymptotic min-norm risk (label noise excluded); inf at gamma = 1."""
    if gamma < 1:
        return sigma2 * gamma / (1 - gamma)
    if gamma > 1:
        return r2 * (1 - 1 / gamma) + sigma2 / (gamma - 1)
    return math.inf


def theory_norm(gamma: float, r2: float, sigma2: float) -> float:
    """Asymptotic |beta_hat|^2: r^2 + sigma^2 gamma/(1-gamma) below 1, r^2/gamma + sigma^2/(gamma-1) above."""
    if gamma < 1:
        return r2 + sigma2 * gamma / (1 - gamma)
    if gamma > 1:
        return r2 / gamma + sigma2 / (gamma - 1)
    return math.inf


@dataclass(frozen=True)
class DoubleDescentResult:
    """Per gamma: mean and spread over seeds of the risk and of |beta_hat|^2, with the theory values."""

    n: int
    r2: float
    sigma2: float
    gammas: tuple[float, ...]
    risk: tuple[tuple[float, ...], ...]       # [seed][gamma]
    norm2: tuple[tuple[float, ...], ...]      # [seed][gamma]
    seed: int
    notes: tuple[str, ...] = field(default=())

    def mean_risk(self) -> np.ndarray:
        return np.mean(np.asarray(self.risk), axis=0)

    def mean_norm2(self) -> np.ndarray:
        return np.mean(np.asarray(self.norm2), axis=0)

    def to_dict(self) -> dict:
        risk = self.mean_risk()
        norm = self.mean_norm2()
        peak = int(np.argmax(norm))
        return {
            "n": self.n, "r2": self.r2, "sigma2": self.sigma2, "seed": self.seed,
            "gammas": list(self.gammas),
            "risk_mean": risk.tolist(), "risk_by_seed": [list(r) for r in self.risk],
            "norm2_mean": norm.tolist(), "norm2_by_seed": [list(r) for r in self.norm2],
            "theory_risk": [theory_risk(g, self.r2, self.sigma2) for g in self.gammas],
            "theory_norm2": [theory_norm(g, self.r2, self.sigma2) for g in self.gammas],
            "norm_peak_gamma": self.gammas[peak],
            "source": "Hastie, Montanari, Rosset & Tibshirani (Ann. Statist. 2022)",
            "notes": list(self.notes),
        }


def run_double_descent(n: int = 200, gammas=None, *, r2: float = 1.0, sigma2: float = 0.25, seeds: int = 5,
                       seed: int = 0, progress=None) -> DoubleDescentResult:
    """Simulate min-norm least squares for p = gamma * n features, ``seeds`` repetitions per gamma.

    Raises:
        UsageError: n < 2, a gamma <= 0, r2 < 0, sigma2 < 0 or seeds < 1.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise UsageError(f"n must be an integer >= 2, got {n!r}")
    if gammas is None:
        gammas = tuple(np.round(np.concatenate([np.linspace(0.1, 0.9, 9), [0.95, 1.05], np.linspace(1.2, 4, 8)]), 4))
    gammas = tuple(float(g) for g in gammas)
    if not gammas or any(not math.isfinite(g) or g <= 0 for g in gammas):
        raise UsageError("every gamma must be a finite number > 0")
    if not (math.isfinite(r2) and r2 >= 0 and math.isfinite(sigma2) and sigma2 >= 0):
        raise UsageError("r2 and sigma2 must be finite and >= 0")
    if seeds < 1:
        raise UsageError("seeds must be >= 1")
    ss = np.random.SeedSequence(seed)
    risk, norm2 = [], []
    total = seeds * len(gammas)
    done = 0
    for child in ss.spawn(seeds):
        rng = np.random.default_rng(child)
        r_row, n_row = [], []
        for g in gammas:
            p = max(1, int(round(g * n)))
            beta = rng.standard_normal(p)
            beta *= math.sqrt(r2) / max(np.linalg.norm(beta), 1e-300)
            X = rng.standard_normal((n, p))
            y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(n)
            beta_hat = np.linalg.lstsq(X, y, rcond=None)[0]  # the min-norm solution when p > n
            r_row.append(float(np.sum((beta_hat - beta) ** 2)))
            n_row.append(float(np.sum(beta_hat ** 2)))
            done += 1
            if progress is not None:
                progress(done, total)
        risk.append(tuple(r_row))
        norm2.append(tuple(n_row))
    notes = ("theory is the n, p -> oo limit; near gamma = 1 finite-n values fluctuate strongly",)
    return DoubleDescentResult(n, float(r2), float(sigma2), gammas, tuple(risk), tuple(norm2), seed, notes)
