"""Plots (report layer): log-log scaling plots with matplotlib (Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["plot_scaling"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def plot_scaling(result: dict[str, Any], path: str | Path) -> Path:
    """Log-log plot of a scaling run (``ScalingResult.to_dict()``): measured means with seed spread, fitted
    power laws with their exponents and CIs, and theory where known. Writes ``path`` (format from suffix).
    """
    import numpy as np

    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ns = np.mean(np.asarray(result["n_actual"], dtype=float), axis=0)
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    series = [("nearest", "nearest_mean", "mean nearest-sample distance", "C0")]
    if result.get("covering") is not None:
        series.append(("covering", "covering", f"covering radius ({result.get('covering_kind')})", "C1"))
    for key, field, label, colour in series:
        vals = np.asarray(result[field], dtype=float)
        mean = vals.mean(axis=0)
        lo, hi = vals.min(axis=0), vals.max(axis=0)
        ax.errorbar(ns, mean, yerr=[mean - lo, hi - mean], fmt="o", color=colour, ms=4, capsize=2, label=label)
        fit = result["fits"][key]
        if fit:
            ci = fit["exponent_ci"]
            ax.plot(ns, fit["prefactor"] * ns ** fit["exponent"], "-", color=colour, lw=1,
                    label=f"fit n^{fit['exponent']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]")
        th = result["theory"][key]
        if th.get("values"):
            ax.plot(ns, th["values"], "--", color=colour, lw=1, alpha=0.7,
                    label=f"theory ({th.get('source') or ''})"[:70])
        elif th.get("exponent") is not None:
            ref = mean[-1] * (ns / ns[-1]) ** th["exponent"]
            ax.plot(ns, ref, ":", color=colour, lw=1, alpha=0.7, label=f"slope {th['exponent']:.3f} (theory)")
    sp = result["space"]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n (training samples)")
    ax.set_ylabel("distance")
    ax.set_title(f"{sp['name']} (dim {sp['dim']}, box dim {sp['box_dim']:.3g}), sampler {result['sampler']['name']}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
