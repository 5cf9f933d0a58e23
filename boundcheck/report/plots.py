"""Plots (report layer): log-log scaling plots with matplotlib (Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["plot_scaling", "plot_stress", "pyplot", "save_figure"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


pyplot = _pyplot


def save_figure(fig, path: str | Path, **kwargs: Any) -> Path:
    """Save a figure to ``path`` (creating its folder; format from the suffix) and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, **kwargs)
    _pyplot().close(fig)
    return path


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
        kind = result.get("covering_kind")
        series.append(("covering", "covering", "covering radius >= (Monte Carlo lower estimate, not fitted)"
                       if kind == "lower-estimate" else f"covering radius ({kind})", "C1"))
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
            eff = th.get("effective_exponent")
            slope = f", slope {eff:.3f} over this range" if eff is not None else ""
            ax.plot(ns, th["values"], "--", color=colour, lw=1, alpha=0.7,
                    label=f"theory ({(th.get('source') or '')[:45]}{slope})")
            if th.get("values_first_order"):
                ax.plot(ns, th["values_first_order"], ":", color=colour, lw=0.8, alpha=0.5,
                        label="first order only (log n / n V_d)^(1/d)")
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


def plot_stress(result: dict[str, Any], path: str | Path) -> Path:
    """Margins of a stress run (``StressReport.to_dict()``): pointwise margin max[l(z) - l(z_i) - K|z - z_i|]
    against averaged margin (true loss - bound) per example; the bound holds in the lower-left quadrant."""
    import numpy as np

    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = result.get("margins") or []
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    spaces = sorted({r["space"] for r in rows})
    for k, name in enumerate(spaces):
        sel = [r for r in rows if r["space"] == name]
        pm = np.array([r["pointwise"] for r in sel], dtype=float)
        am = np.array([r["averaged"] for r in sel], dtype=float)
        failed = np.array([r["failed"] for r in sel], dtype=bool)
        colour = f"C{k % 10}"
        ax.scatter(pm[~failed], am[~failed], s=12, color=colour, alpha=0.7, label=name)
        if np.any(failed):
            ax.scatter(pm[failed], am[failed], s=40, color=colour, marker="x")
    ax.axvline(0.0, color="k", lw=0.8)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xscale("symlog", linthresh=1e-6)
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_xlabel("pointwise margin (> 0: Lipschitz step violated)")
    ax.set_ylabel("averaged margin: true loss - bound (> 0: violated)")
    status = "counterexample found" if result.get("failed") else "no counterexample"
    ax.set_title(f"stress: {result.get('examples')} examples, {status}")
    ax.grid(True, alpha=0.3)
    if spaces:
        ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
