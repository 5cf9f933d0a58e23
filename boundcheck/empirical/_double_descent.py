"""Double descent of min-norm least squares, simulated and compared with theory.

Isotropic Gaussian features x ~ N(0, I_p), a signal beta with |beta|^2 = r^2, labels y = X beta + noise
(variance sigma^2), the minimum-norm least-squares fit beta_hat = pinv(X) y. With isotropic features the
test risk excluding label noise is exactly |beta_hat - beta|^2, so no test sample is needed. The limit as
n, p -> oo with gamma = p/n (Hastie, Montanari, Rosset & Tibshirani, Ann. Statist. 2022):

    risk = sigma^2 gamma/(1 - gamma)                        for gamma < 1,
    risk = r^2 (1 - 1/gamma) + sigma^2/(gamma - 1)          for gamma > 1,

and the norm |beta_hat|^2 (the complexity a norm-based bound charges) peaks at gamma = 1: the complexity
term rises and then falls as parameters grow, which is how a complexity-based bound follows the curve.

A second complexity measure is measured next to it: the *description length* of the fitted model, the bits
to encode beta_hat at the precision its risk needs. Quantising each of the p coefficients with step Delta
adds p Delta^2/12 to the risk (isotropic features); Delta is chosen so that this is a fraction ``eta`` (1 %)
of the risk, and a coefficient of spread s = |beta_hat|/sqrt(p) costs log2(sqrt(2 pi e) s / Delta) bits
(a Gaussian source at that step), so

    bits = (p/2) log2(2 pi e |beta_hat|^2 / (12 eta risk)).

The fits are solved with Cholesky on the smaller Gram matrix (X^T X for p < n, X X^T for p > n: the
min-norm solution X^T (X X^T)^-1 y) under one BLAS thread (threadpoolctl): a loop of small solves gains
nothing from threads, and on a loaded machine OpenBLAS threads fighting over the cores cost 20x.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import UsageError

__all__ = ["DoubleDescentResult", "run_double_descent", "theory_risk", "theory_norm", "min_norm_solve",
           "description_bits", "ETA"]

#: the fraction of the risk the quantisation of the coefficients may add (description length)
ETA = 0.01


def description_bits(p: int, norm2: float, risk: float, eta: float = ETA) -> float:
    """Bits to encode p coefficients with |beta_hat|^2 = norm2 at the precision that adds eta * risk."""
    if not (risk > 0 and norm2 > 0):
        return 0.0
    return max(0.0, 0.5 * p * math.log2(2 * math.pi * math.e * norm2 / (12 * eta * risk)))


def min_norm_solve(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The minimum-norm least-squares solution pinv(X) y by Cholesky on the smaller Gram matrix; falls back
    to ``lstsq`` when the Gram matrix is not numerically positive definite."""
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    n, p = X.shape
    try:
        if p <= n:
            return cho_solve(cho_factor(X.T @ X, check_finite=False), X.T @ y, check_finite=False)
        return X.T @ cho_solve(cho_factor(X @ X.T, check_finite=False), y, check_finite=False)
    except LinAlgError:
        return np.linalg.lstsq(X, y, rcond=None)[0]


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
    bits: tuple[tuple[float, ...], ...] = field(default=())   # [seed][gamma] description length

    def mean_bits(self) -> np.ndarray:
        return np.mean(np.asarray(self.bits), axis=0) if self.bits else np.full(len(self.gammas), np.nan)

    def tracking(self) -> dict:
        """Which complexity measure peaks with the risk: the gamma of each peak, and the Spearman rank
        correlation of each measure with the risk across gammas."""
        from scipy.stats import spearmanr

        risk, norm, bits = self.mean_risk(), self.mean_norm2(), self.mean_bits()
        g = self.gammas
        order = np.argsort(g)
        rank = {int(i): k for k, i in enumerate(order)}  # position of each gamma on the sorted grid
        i_risk = int(np.argmax(risk))
        out: dict = {"risk_peak_gamma": g[i_risk]}
        for key, vals in (("norm", norm), ("bits", bits)):
            finite = bool(np.all(np.isfinite(vals)))
            i = int(np.argmax(vals)) if finite else None
            out[f"{key}_peak_gamma"] = g[i] if i is not None else None
            rho = spearmanr(risk, vals).statistic if len(g) > 2 and finite else float("nan")
            out[f"{key}_spearman_with_risk"] = float(rho)
            # "peaks with the risk": at the risk's peak or a neighbouring gamma of the grid
            out[f"{key}_peaks_with_risk"] = bool(i is not None and abs(rank[i] - rank[i_risk]) <= 1)
        return out

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
            "bits_mean": self.mean_bits().tolist(), "bits_by_seed": [list(r) for r in self.bits],
            "bits_eta": ETA, "tracking": self.tracking(),
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
    from threadpoolctl import threadpool_limits

    ss = np.random.SeedSequence(seed)
    risk, norm2, bits = [], [], []
    total = seeds * len(gammas)
    done = 0
    with threadpool_limits(limits=1, user_api="blas"):
        for child in ss.spawn(seeds):
            rng = np.random.default_rng(child)
            r_row, n_row, b_row = [], [], []
            for g in gammas:
                p = max(1, int(round(g * n)))
                beta = rng.standard_normal(p)
                beta *= math.sqrt(r2) / max(np.linalg.norm(beta), 1e-300)
                X = rng.standard_normal((n, p))
                y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(n)
                beta_hat = min_norm_solve(X, y)
                r_row.append(float(np.sum((beta_hat - beta) ** 2)))
                n_row.append(float(np.sum(beta_hat ** 2)))
                b_row.append(description_bits(p, n_row[-1], r_row[-1]))
                done += 1
                if progress is not None:
                    progress(done, total)
            risk.append(tuple(r_row))
            norm2.append(tuple(n_row))
            bits.append(tuple(b_row))
    notes = ("theory is the n, p -> oo limit; near gamma = 1 finite-n values fluctuate strongly",)
    return DoubleDescentResult(n, float(r2), float(sigma2), gammas, tuple(risk), tuple(norm2), seed, notes,
                               tuple(bits))
