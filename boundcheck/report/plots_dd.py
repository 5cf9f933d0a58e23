"""The double-descent plot: simulated risk and |beta_hat|^2 against gamma = p/n, with theory."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_double_descent(data: dict[str, Any], path: str | Path) -> Path:
    """Panels of risk, norm and (when the data has it) description length against gamma, log y-axes; the
    interpolation threshold gamma = 1 marked."""
    from .plots import pyplot, save_figure

    plt = pyplot()
    import numpy as np

    from ..empirical import theory_norm, theory_risk

    g = np.asarray(data["gammas"], dtype=float)
    has_bits = bool(data.get("bits_by_seed"))
    fig, axes = plt.subplots(1, 3 if has_bits else 2, figsize=(13 if has_bits else 9, 3.6))
    for ax, sim, by_seed, theory, label in (
            (axes[0], "risk_mean", "risk_by_seed", "theory_risk", "test risk (label noise excluded)"),
            (axes[1], "norm2_mean", "norm2_by_seed", "theory_norm2", "|beta_hat|^2 (complexity)")):
        vals = np.asarray(data[by_seed], dtype=float)
        ax.plot(g, vals.T, ".", color="0.7", ms=3)
        ax.plot(g, data[sim], "o-", ms=4, label="simulation (mean over seeds)")
        fine = np.concatenate([np.linspace(g.min(), 0.97, 60), np.linspace(1.03, g.max(), 60)])
        fn = theory_risk if theory == "theory_risk" else theory_norm
        ax.plot(fine, [fn(x, data["r2"], data["sigma2"]) for x in fine], "k--", lw=1, label="theory (n, p -> oo)")
        ax.axvline(1.0, color="r", lw=0.8, alpha=0.6)
        ax.set_yscale("log")
        ax.set_xlabel("gamma = p / n")
        ax.set_title(label, fontsize=9)
        ax.grid(True, alpha=0.2)
    if has_bits:
        ax = axes[2]
        ax.plot(g, np.asarray(data["bits_by_seed"], dtype=float).T, ".", color="0.7", ms=3)
        ax.plot(g, data["bits_mean"], "o-", ms=4, color="C2")
        ax.axvline(1.0, color="r", lw=0.8, alpha=0.6)
        ax.set_yscale("log")
        ax.set_xlabel("gamma = p / n")
        ax.set_title(f"description length, bits (precision adding {data.get('bits_eta', 0.01):.0%} to the risk)",
                     fontsize=9)
        ax.grid(True, alpha=0.2)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"double descent of min-norm least squares (n = {data['n']})", fontsize=9)
    fig.tight_layout()
    return save_figure(fig, path)
