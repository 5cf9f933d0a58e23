"""A plot of a bound's additive terms against its sample-size variable (log-log).

It shows at a glance which term dominates where: for the Croissant bound, the covering term
``K sqrt(d)/2 n^(-1/d)`` against the Occam term ``~ n^(-1/2)``, for a dimension in each case of the split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

from ..spec import Problem, Symbol

__all__ = ["plot_terms", "representative_value"]


def representative_value(s: Symbol) -> sp.Expr:
    """A typical exact value inside a symbol's domain (used to draw curves, never to prove)."""
    lo, hi = s.lo, s.hi
    if lo is not None and hi is not None:
        v = (lo + hi) / 2
    elif lo is not None:
        v = lo + 1 if (s.lo_open or lo == 0) else lo
    elif hi is not None:
        v = hi - 1
    else:
        v = sp.Integer(1)
    if s.is_integer:
        v = sp.ceiling(v)
    return v


def _choose(problem: Problem) -> tuple[str, Symbol] | None:
    names = {d.name for d in problem.definitions}
    target = "bound" if "bound" in names else None
    var = None
    if problem.stress and isinstance(problem.stress.get("n"), str):
        var = problem.stress["n"]
    for c in problem.claims:
        if target is None and c.kind in ("exponent", "limit", "decreasing") and c.text("expr") in names:
            target = c.text("expr")
        if var is None and c.kind in ("exponent", "limit") and c.var:
            var = c.var
    if var is None:
        ints = [s for s in problem.symbols if s.is_integer and s.hi is None]
        var = ints[0].name if ints else None
    if target is None or var is None:
        return None
    try:
        return target, problem.symbol(var)
    except KeyError:
        return None


def plot_terms(problem: Problem, path: str | Path, *, split_values: dict[str, list] | None = None) -> Path | None:
    """Plot each additive term of the spec's bound against its size variable; None when there is no bound.

    Args:
        problem: the spec; the bound is the definition ``bound`` (or the expression of a claim about a
            definition), the variable the ``[stress]`` table's ``n`` or an exponent claim's variable.
        path: output file (PDF or PNG).
        split_values: values to draw for a parameter (default: for ``d``, 1 and 4 when d >= 1 is allowed).

    Raises:
        ValueError: the terms cannot be evaluated numerically.
    """
    from .plots import pyplot, save_figure

    plt = pyplot()

    chosen = _choose(problem)
    if chosen is None:
        return None
    name, var = chosen
    definition = problem.definition(name)
    placeholders = {d.placeholder: d.expanded for d in problem.definitions}
    terms = [t for t in sp.Add.make_args(definition.expr)]
    syms = [s for s in problem.symbols if s.sym in definition.expanded.free_symbols and s.name != var.name]
    split_values = dict(split_values or {})
    for s in syms:
        if s.name not in split_values and s.name in ("d", "dim") and (s.hi is None or s.hi >= 4):
            lo = s.lo if s.lo is not None else sp.Integer(1)
            split_values[s.name] = [max(lo, sp.Integer(1)), sp.Integer(4)]
    base = {s.sym: representative_value(s) for s in syms}
    panels = [dict()]
    for key, values in split_values.items():
        panels = [dict(p, **{key: v}) for p in panels for v in values]
    panels = panels[:4]
    ns = np.logspace(0, 8, 200)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.4), squeeze=False)
    for ax, extra in zip(axes[0], panels):
        point = dict(base)
        for k, v in extra.items():
            point[problem.symbol(k).sym] = sp.sympify(v, strict=True) if not isinstance(v, sp.Basic) else v
        total = np.zeros_like(ns)
        for t in terms:
            e = t.xreplace(placeholders).subs(point)
            if var.sym not in e.free_symbols:
                continue
            f = sp.lambdify(var.sym, e, "numpy", dummify=True)
            with np.errstate(all="ignore"):
                y = np.broadcast_to(np.asarray(f(ns), dtype=float), ns.shape)
            if not np.all(np.isfinite(y)):
                raise ValueError(f"term {t} is not finite on the plotted range")
            total = total + y
            ax.loglog(ns, np.abs(y), label=f"${sp.latex(t)}$")
        ax.loglog(ns, total, "k--", lw=1.2, label="sum of the n-dependent terms")
        title = ", ".join(f"{k} = {v}" for k, v in extra.items()) or "terms"
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(var.name)
        ax.grid(True, which="both", alpha=0.2)
    axes[0][0].legend(fontsize=7, loc="lower left")
    others = ", ".join(f"{s.name} = {base[s.sym]}" for s in syms if s.name not in split_values)
    fig.suptitle(f"terms of {name} against {var.name}" + (f" ({others})" if others else ""), fontsize=9)
    fig.tight_layout()
    return save_figure(fig, path)
