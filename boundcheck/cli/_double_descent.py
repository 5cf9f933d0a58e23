"""`boundcheck double-descent`: simulate min-norm least squares across gamma = p/n, compare with theory."""

from __future__ import annotations

import argparse

from ._common import add_common


def register(sub) -> None:
    p = sub.add_parser("double-descent", help="simulate double descent and compare with theory",
                       description="Min-norm least squares with isotropic features: test risk and |beta_hat|^2 "
                                   "(the complexity a norm-based bound charges) against gamma = p/n, with the "
                                   "asymptotic theory of Hastie et al. (2022). Exit 2 on bad input.")
    p.add_argument("--n", type=int, default=200, help="samples (default 200)")
    p.add_argument("--gammas", help="comma list of p/n values (default 0.1..4 with points near 1)")
    p.add_argument("--r2", type=float, default=1.0, help="signal energy |beta|^2 (default 1)")
    p.add_argument("--sigma2", type=float, default=0.25, help="label noise variance (default 0.25)")
    p.add_argument("--seeds", type=int, default=5, help="repetitions (default 5)")
    p.add_argument("--plot", metavar="PATH", help="write the risk and norm curves (png, pdf, svg)")
    add_common(p)
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from ..empirical import run_double_descent
    from ..errors import UsageError

    gammas = None
    if args.gammas:
        try:
            gammas = [float(g) for g in args.gammas.split(",") if g.strip()]
        except ValueError as err:
            raise UsageError(f"--gammas must be a comma list of numbers: {err}") from err
    from .._budget import check_fits

    g_max = max(gammas) if gammas else 4.0
    if args.n >= 1:  # X is n x p with p = gamma n, plus the pseudo-inverse and test features of the same size
        check_fits("this simulation", 8 * 4 * args.n * max(1.0, g_max * args.n), option="--n", value=args.n, scale=2)
    prog = Progress(TextColumn("[bold]double descent"), BarColumn(), MofNCompleteColumn(), console=console,
                    transient=True, disable=not console.is_terminal)
    with prog:
        task = prog.add_task("fits", total=None)
        res = run_double_descent(args.n, gammas, r2=args.r2, sigma2=args.sigma2, seeds=args.seeds, seed=args.seed,
                                 progress=lambda d, t: prog.update(task, completed=d, total=t))
    data = res.to_dict()
    table = Table(title=f"min-norm least squares, n = {res.n}, r^2 = {res.r2:g}, sigma^2 = {res.sigma2:g}",
                  title_justify="left")
    for col in ("gamma = p/n", "risk (sim)", "risk (theory)", "|beta_hat|^2 (sim)", "|beta_hat|^2 (theory)",
                "description length (bits)"):
        table.add_column(col, justify="right")
    for g, r, tr, nm, tn, b in zip(data["gammas"], data["risk_mean"], data["theory_risk"], data["norm2_mean"],
                                   data["theory_norm2"], data["bits_mean"]):
        table.add_row(f"{g:g}", f"{r:.4g}", f"{tr:.4g}", f"{nm:.4g}", f"{tn:.4g}", f"{b:.0f}")
    console.print(table)
    tr = data["tracking"]
    console.print(f"risk peaks at gamma = {tr['risk_peak_gamma']:g}; |beta_hat|^2 peaks at gamma = "
                  f"{tr['norm_peak_gamma']:g} (theory: at 1); description length (bits at the precision that adds "
                  f"{data['bits_eta']:.0%} to the risk) peaks at gamma = {tr['bits_peak_gamma']:g}", markup=False)
    for key, name in (("norm", "|beta_hat|^2"), ("bits", "description length")):
        verdict = "peaks with the risk" if tr[f"{key}_peaks_with_risk"] else "does not peak with the risk"
        console.print(f"{name} {verdict} (Spearman rank correlation with the risk across gamma: "
                      f"{tr[f'{key}_spearman_with_risk']:.2f})", markup=False)
    if args.plot:
        from ..report.plots_dd import plot_double_descent

        path = plot_double_descent(data, args.plot)
        console.print(f"plot: {path}", markup=False)
    if args.json:
        from ..report.table import write_json  # imports sympy: only when asked for

        write_json(args.json, data)
    return 0
