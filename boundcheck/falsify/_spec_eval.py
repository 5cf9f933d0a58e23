"""Numeric values of a spec's bound (layer 5 ``falsify``), for the quantity ``spec_gap``.

The spec is read with :func:`boundcheck.spec.loads` (read-only use of layer 1) and the expression is
compiled once per process with :func:`sympy.lambdify` on its expanded form (a tree the safe parser built;
no file text is evaluated).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import sympy as sp

from ..parse import parse_expr
from ._format import Conjecture

__all__ = ["evaluate_gap", "symbolic_exponent"]


@lru_cache(maxsize=16)
def _parsed(spec_text: str, path: str, expr: str) -> tuple[sp.Expr, object]:
    from ..spec import loads

    problem = loads(spec_text, file=path)
    return parse_expr(expr, problem.names(), file=path), problem


@lru_cache(maxsize=16)
def _compiled(spec_text: str, path: str, expr: str, var: str) -> tuple[Callable[..., np.ndarray], tuple[str, ...],
                                                                        object]:
    value, problem = _parsed(spec_text, path, expr)
    names = tuple(sorted(str(s) for s in value.free_symbols))
    syms = [problem.sympy_symbols[n] for n in names]
    return sp.lambdify(syms, value, modules="numpy", dummify=True), names, problem


def _bound_values(conj: Conjecture, bind: Mapping[str, float], props: Mapping[str, float],
                  problem: object) -> dict[str, float]:
    spec = conj.spec
    assert spec is not None
    values: dict[str, float] = {}
    for name, how in spec.bind:
        values[name] = float(props[how]) if isinstance(how, str) else float(bind[name])
    for name, v in values.items():
        sym = problem.symbol(name)
        exact = sp.Integer(round(v)) if sym.is_integer else sp.Rational(v)
        if sym.is_integer:
            values[name] = float(round(v))
        if not sym.contains(exact):
            raise ValueError(f"{name} = {v:.6g} lies outside its domain in the spec ({sym.describe()})")
    return values


def symbolic_exponent(conj: Conjecture, bind: Mapping[str, float], props: Mapping[str, float]) -> float | None:
    """The exact exponent of the spec's expression in its variable as it grows, for these values, from
    :func:`boundcheck.symbolic.exponent_cases` (read-only use); None when the analysis does not apply."""
    from ..symbolic import exponent_cases

    spec = conj.spec
    assert spec is not None
    value, problem = _parsed(spec.text, spec.path, spec.expr)
    values = _bound_values(conj, bind, props, problem)
    syms = problem.sympy_symbols
    subs = {syms[k]: (sp.Integer(int(v)) if float(v).is_integer() else sp.Float(v, 17)) for k, v in values.items()}
    try:
        cases = exponent_cases(value.subs(subs), syms[spec.var])
    except Exception:  # noqa: BLE001 - outside the analysis: the numbers decide alone
        return None
    if len(cases) != 1 or cases[0].log_power != 0:
        return None
    try:
        return float(cases[0].exponent)
    except (TypeError, ValueError):
        return None


def evaluate_gap(conj: Conjecture, bind: Mapping[str, float], props: Mapping[str, float],
                 ns: Sequence[int]) -> np.ndarray:
    """The spec's expression at each n, with the other symbols bound.

    Args:
        conj: a conjecture with a ``[spec]`` table.
        bind: values drawn for the searched symbols.
        props: the space's properties (for symbols bound to ``hausdorff_dim`` etc.).
        ns: sample sizes.

    Returns:
        Float array of shape (len(ns),).

    Raises:
        ValueError: a bound value lies outside the symbol's domain in the spec.
    """
    spec = conj.spec
    assert spec is not None
    fn, names, problem = _compiled(spec.text, spec.path, spec.expr, spec.var)
    values = _bound_values(conj, bind, props, problem)
    n = np.asarray(ns, dtype=float)
    args = [n if name == spec.var else values[name] for name in names]
    with np.errstate(all="ignore"):
        out = np.asarray(fn(*args), dtype=float)
    return np.broadcast_to(out, n.shape).astype(float)
